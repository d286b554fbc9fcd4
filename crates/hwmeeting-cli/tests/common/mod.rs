//! Helpers shared by the command-line tests: run the built `hwmeeting`
//! binary with a clean environment, and start a simulator over TLS.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

use hwmeeting_sim::{SimConfig, SimHandle, Simulator};

/// Default app credentials of the simulator.
pub const APP_ID: &str = "hwmeeting-sim-app";
/// Default app key of the simulator.
pub const APP_KEY: &str = "hwmeeting-sim-key";

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Asserts the exit code, showing the output when it differs.
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code {} (expected {code})\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// stdout and stderr together.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The `hwmeeting` command with no `HWMEETING_*` variables inherited.
pub fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hwmeeting"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("HWMEETING_") {
            cmd.env_remove(key);
        }
    }
    cmd.env_remove("RUST_LOG");
    cmd
}

/// Runs `hwmeeting` with these arguments.
pub fn hw(args: &[&str]) -> Run {
    finish(command().args(args).output().expect("run hwmeeting"))
}

/// Runs `hwmeeting` with these arguments and environment variables.
pub fn hw_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = command();
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    finish(cmd.output().expect("run hwmeeting"))
}

/// A simulator over TLS with the demo meeting, and its CA in a temp file.
pub struct Sim {
    pub handle: SimHandle,
    pub ca: PathBuf,
    _dir: tempfile::TempDir,
}

impl Sim {
    pub fn start() -> Sim {
        Self::with(SimConfig::default().demo(true))
    }

    pub fn with(config: SimConfig) -> Sim {
        let handle = Simulator::spawn(config).expect("start the simulator");
        let dir = tempfile::tempdir().expect("temp dir");
        let ca = dir.path().join("sim-ca.pem");
        std::fs::write(&ca, handle.ca_pem().expect("TLS simulator has a CA")).expect("write CA");
        Sim {
            handle,
            ca,
            _dir: dir,
        }
    }

    /// `--endpoint URL --ca-cert PEM` for this simulator.
    pub fn endpoint_args(&self) -> Vec<String> {
        vec![
            "--endpoint".into(),
            self.handle.url().to_owned(),
            "--ca-cert".into(),
            self.ca.display().to_string(),
        ]
    }

    /// The endpoint args plus the simulator's app credentials.
    pub fn login_args(&self) -> Vec<String> {
        let mut args = self.endpoint_args();
        args.extend(["--app-id", APP_ID, "--app-key", APP_KEY].map(String::from));
        args
    }

    /// Runs `hwmeeting` with the login args first, then `args`.
    pub fn hw(&self, args: &[&str]) -> Run {
        let mut all = self.login_args();
        all.extend(args.iter().map(|s| s.to_string()));
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        hw(&refs)
    }
}

/// Splits a command line into words the way a POSIX shell does for
/// single and double quotes and backslashes (no expansions).
pub fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    current.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                current.push(n);
                            }
                        }
                        other => current.push(other),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    current.push(n);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            other => {
                in_word = true;
                current.push(other);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

/// A curl command line, taken apart.
#[derive(Debug, Default)]
pub struct Curl {
    pub flags: Vec<String>,
    pub method: Option<String>,
    /// (name as written, value), values trimmed.
    pub headers: Vec<(String, String)>,
    pub data: Option<String>,
    pub url: String,
}

impl Curl {
    pub fn parse(line: &str) -> Curl {
        let words = shell_words(line.trim());
        assert_eq!(words.first().map(String::as_str), Some("curl"), "{line}");
        let mut curl = Curl::default();
        let mut it = words.into_iter().skip(1);
        while let Some(w) = it.next() {
            match w.as_str() {
                "-X" | "--request" => curl.method = it.next(),
                "-H" | "--header" => {
                    let h = it.next().expect("header value");
                    let (name, value) = h.split_once(':').expect("header has a colon");
                    curl.headers
                        .push((name.trim().to_owned(), value.trim().to_owned()));
                }
                "-d" | "--data" | "--data-raw" => curl.data = it.next(),
                flag if flag.starts_with('-') => curl.flags.push(flag.to_owned()),
                _ => curl.url = w,
            }
        }
        curl
    }

    /// The method: -X, else POST with data, else GET.
    pub fn method(&self) -> String {
        self.method
            .clone()
            .unwrap_or_else(|| if self.data.is_some() { "POST" } else { "GET" }.to_owned())
    }

    /// The header with this name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// (path, decoded query pairs) of the URL.
    pub fn path_and_query(&self) -> (String, Vec<(String, String)>) {
        let url = url::Url::parse(&self.url).unwrap_or_else(|e| panic!("{}: {e}", self.url));
        let pairs = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        (url.path().to_owned(), pairs)
    }

    /// The body as JSON.
    pub fn body(&self) -> Option<serde_json::Value> {
        self.data
            .as_ref()
            .map(|d| serde_json::from_str(d).unwrap_or_else(|e| panic!("body {d}: {e}")))
    }
}
