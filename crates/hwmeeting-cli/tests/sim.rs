//! `hwmeeting sim`: the simulator binary's command line, served from the
//! `hwmeeting` binary; then a call against it.

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

#[test]
fn sim_subcommand_serves_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    let mut child = common::command()
        .args(["sim", "--tls", "--demo", "--cert-out"])
        .arg(&ca)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start hwmeeting sim");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a first line").expect("read");
    let url = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .to_owned();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");

    let ca_arg = ca.display().to_string();
    let run = common::hw(&[
        "--endpoint",
        &url,
        "--ca-cert",
        &ca_arg,
        "--app-id",
        common::APP_ID,
        "--app-key",
        common::APP_KEY,
        "start-meeting",
        "--conference-id",
        "900000001",
        "--password",
        "123456",
    ]);
    // Stop the simulator we started (by its handle), whatever the result.
    let _ = child.kill();
    let _ = child.wait();
    let run = run.expect(0);
    assert!(run.json()["regionIP"].is_string(), "{}", run.stdout);
}

#[test]
fn sim_help_is_the_simulator_binarys() {
    let run = common::hw(&["sim", "--help"]).expect(0);
    for flag in ["--addr", "--tls", "--cert-out", "--demo"] {
        assert!(run.stdout.contains(flag), "{flag}: {}", run.stdout);
    }
}

/// `hwmeeting sim` logs to a pipe without colour codes.
#[cfg(unix)]
#[test]
fn sim_logs_to_a_pipe_have_no_colour_codes() {
    use std::io::Read as _;
    let mut child = common::command()
        .args(["sim"])
        .env("RUST_LOG", "info")
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start hwmeeting sim");
    let first = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .next()
        .expect("a first line")
        .expect("read");
    // Stop the simulator we started (by its pid), then read its logs.
    let pid = child.id().to_string();
    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .map(|s| s.success());
    let _ = child.wait();
    assert!(first.starts_with("listening on "), "{first}");
    assert_eq!(stopped.ok(), Some(true));
    let mut logs = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    assert!(logs.contains("INFO"), "no logs:\n{logs}");
    assert!(!logs.contains('\u{1b}'), "colour codes in:\n{logs:?}");
}

/// `-v` logs of a call to a pipe have no colour codes either.
#[test]
fn verbose_logs_to_a_pipe_have_no_colour_codes() {
    let sim = common::Sim::start();
    let run = common::hw_env(
        &[
            "-v",
            "--endpoint",
            sim.handle.url(),
            "--ca-cert",
            &sim.ca.display().to_string(),
            "--app-id",
            common::APP_ID,
            "--app-key",
            common::APP_KEY,
            "app-auth",
        ],
        &[("NO_COLOR", "")],
    )
    .expect(0);
    assert!(run.stderr.contains("INFO"), "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
}
