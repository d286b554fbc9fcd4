//! What the benchmark ran on.

use std::process::Command;

use serde::Serialize;

/// The machine and the build, as far as they can be read.
#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    /// The CPU model (`/proc/cpuinfo`).
    pub cpu: String,
    /// Logical CPUs available to the process.
    pub cpus: usize,
    /// Memory, in GiB (`/proc/meminfo`).
    pub memory_gib: Option<f64>,
    /// The operating system and kernel.
    pub os: String,
    /// `rustc --version`, when rustc is on the `PATH`.
    pub rustc: Option<String>,
    /// `release` or `debug`.
    pub profile: String,
}

impl Machine {
    /// Reads the machine's description.
    pub fn detect() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_else(|| std::env::consts::ARCH.to_owned());
        let memory_gib = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                m.lines()
                    .find_map(|l| l.strip_prefix("MemTotal:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            })
            .map(|kb| (kb / (1024.0 * 1024.0) * 10.0).round() / 10.0);
        let pretty = std::fs::read_to_string("/etc/os-release")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                    .map(|v| v.trim_matches('"').to_owned())
            })
            .unwrap_or_else(|| std::env::consts::OS.to_owned());
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|k| format!(", kernel {}", k.trim()))
            .unwrap_or_default();
        let rustc = Command::new("rustc")
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
        Machine {
            cpu,
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_gib,
            os: format!("{pretty}{kernel}"),
            rustc,
            profile: if cfg!(debug_assertions) {
                "debug".into()
            } else {
                "release".into()
            },
        }
    }

    /// One line: `Intel(R) Xeon(R) Processor, 2 CPUs, 23.4 GiB, Debian ..., release`.
    pub fn summary(&self) -> String {
        let mut s = format!("{}, {} CPUs", self.cpu, self.cpus);
        if let Some(m) = self.memory_gib {
            s.push_str(&format!(", {m} GiB"));
        }
        s.push_str(&format!(", {}", self.os));
        if let Some(r) = &self.rustc {
            s.push_str(&format!(", {r}"));
        }
        s.push_str(&format!(", {} build", self.profile));
        s
    }
}
