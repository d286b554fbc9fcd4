//! The `hwmeeting-sim` binary.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run(args: &[&str]) -> (Killed, Vec<String>, usize) {
    let child = Command::new(env!("CARGO_BIN_EXE_hwmeeting-sim"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut child = Killed(child);
    let stdout = child.0.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().expect("a first line").unwrap();
    let mut out = vec![first];
    // The next lines (CA path, demo) come right after.
    let extra = args
        .iter()
        .filter(|a| **a == "--tls" || **a == "--demo")
        .count();
    for _ in 0..extra {
        out.push(lines.next().unwrap().unwrap());
    }
    (child, out, extra)
}

#[test]
fn prints_listening_on_first_and_serves() {
    let (_child, lines, _) = run(&["--addr", "127.0.0.1:0", "--demo"]);
    let url = lines[0]
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {}", lines[0]));
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(lines[1].contains("900000001"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent
        .get(format!("{url}/_sim/conferences/900000001"))
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value =
        serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(body["participants"].as_array().unwrap().len(), 3);
}

#[test]
fn tls_writes_the_ca_before_listening() {
    let dir = std::env::temp_dir().join(format!("sim-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pem = dir.join("ca.pem");
    let (_child, lines, _) = run(&[
        "--tls",
        "--cert-out",
        pem.to_str().unwrap(),
        "--app-id",
        "x-app",
        "--app-key",
        "x-key",
    ]);
    assert!(
        lines[0].starts_with("listening on https://127.0.0.1:"),
        "{}",
        lines[0]
    );
    let text = std::fs::read_to_string(&pem).unwrap();
    assert!(text.contains("BEGIN CERTIFICATE"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn help_documents_the_options() {
    let out = Command::new(env!("CARGO_BIN_EXE_hwmeeting-sim"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for option in [
        "--addr",
        "--tls",
        "--cert-out",
        "--app-id",
        "--app-key",
        "--account",
        "--demo",
        "--access-token-ttl-ms",
        "--conf-token-ttl-ms",
        "127.0.0.1:0",
        "hwmeeting-sim-app",
        "hwmeeting-sim-key",
    ] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
    let bad = Command::new(env!("CARGO_BIN_EXE_hwmeeting-sim"))
        .args(["--cert-out", "x.pem"])
        .output()
        .unwrap();
    assert!(!bad.status.success(), "--cert-out needs --tls");
}

#[test]
fn sim_args_nest_in_another_cli() {
    use clap::Parser;
    #[derive(Parser)]
    enum Outer {
        Sim(hwmeeting_sim::cli::SimArgs),
    }
    let Outer::Sim(args) = Outer::parse_from(["hwmeeting", "sim", "--tls", "--demo"]);
    assert!(args.tls && args.demo);
    let config = args.config();
    assert!(config.tls);
    assert_eq!(config.accounts.len(), 1);
}

#[cfg(unix)]
#[test]
fn sigterm_stops_it_cleanly() {
    let (mut child, lines, _) = run(&[]);
    assert!(lines[0].starts_with("listening on http://"));
    let pid = child.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still running");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Logs to a pipe carry no colour codes (only a terminal gets them, and
/// not with `NO_COLOR`).
#[cfg(unix)]
#[test]
fn logs_to_a_pipe_have_no_colour_codes() {
    use std::io::Read as _;
    let mut child = Killed(
        Command::new(env!("CARGO_BIN_EXE_hwmeeting-sim"))
            .env("RUST_LOG", "info")
            .env_remove("NO_COLOR")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs"),
    );
    let stdout = child.0.stdout.take().unwrap();
    let first = BufReader::new(stdout).lines().next().unwrap().unwrap();
    assert!(first.starts_with("listening on "), "{first}");
    let pid = child.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let _ = child.0.wait();
    let mut logs = String::new();
    child
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    assert!(logs.contains("INFO"), "no logs:\n{logs}");
    assert!(!logs.contains('\u{1b}'), "colour codes in:\n{logs:?}");
}
