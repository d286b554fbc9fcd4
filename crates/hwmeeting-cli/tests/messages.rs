//! What a new user reads when something is wrong: every message names the
//! flag (and its `HWMEETING_*` variable) the user types, never an SDK
//! method, and says what was tried.

mod common;

use common::{APP_ID, APP_KEY, Sim, hw, hw_env};

/// Asserts the text names no SDK builder method.
fn no_sdk_names(text: &str) {
    for sdk in [
        "allow_http",
        "add_root_certificate_pem",
        "attempt_timeout",
        "connect_timeout",
        "total_timeout",
        "retry_policy",
    ] {
        assert!(!text.contains(sdk), "names the SDK's `{sdk}`:\n{text}");
    }
}

#[test]
fn plain_http_names_the_flag_and_the_variable() {
    let run = hw(&[
        "--endpoint",
        "http://127.0.0.1:1",
        "app-auth",
        "--app-id",
        "a",
        "--app-key",
        "k",
    ])
    .expect(2);
    assert!(
        run.stderr.starts_with(
            "error: --endpoint `http://127.0.0.1:1` is plain http://: the connection would not be encrypted; use https://, or allow plain HTTP for a local simulator with --allow-http (or HWMEETING_ALLOW_HTTP=1)"
        ),
        "{}",
        run.stderr
    );
    no_sdk_names(&run.stderr);

    // From the environment, the message names the variable it came from.
    let run = hw_env(
        &["app-auth", "--app-id", "a", "--app-key", "k"],
        &[("HWMEETING_ENDPOINT", "http://127.0.0.1:1")],
    )
    .expect(2);
    assert!(
        run.stderr
            .starts_with("error: HWMEETING_ENDPOINT `http://127.0.0.1:1` is plain http://"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--allow-http"), "{}", run.stderr);
    no_sdk_names(&run.stderr);

    // The same for demo against a given service.
    let run = hw(&[
        "demo",
        "--endpoint",
        "http://127.0.0.1:1",
        "--app-id",
        "a",
        "--app-key",
        "k",
    ])
    .expect(2);
    assert!(run.stderr.contains("--allow-http"), "{}", run.stderr);
    no_sdk_names(&run.stderr);
}

#[test]
fn untrusted_certificate_names_ca_cert() {
    let sim = Sim::start();
    let url = sim.handle.url().to_owned();
    let run = hw(&[
        "--endpoint",
        &url,
        "--app-id",
        APP_ID,
        "--app-key",
        APP_KEY,
        "app-auth",
    ])
    .expect(1);
    assert!(
        run.stderr.starts_with(&format!(
            "error: app_auth: could not connect to {url}: the TLS handshake failed ("
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("the server's certificate is not trusted; if it comes from a private CA (such as the simulator's), trust that CA with --ca-cert FILE (or HWMEETING_CA_CERT=FILE)"),
        "{}",
        run.stderr
    );
    no_sdk_names(&run.stderr);

    // A CA file that is not the one: the message names the file.
    let other = Sim::start();
    let wrong = other.ca.display().to_string();
    let run = hw(&[
        "--endpoint",
        &url,
        "--ca-cert",
        &wrong,
        "--app-id",
        APP_ID,
        "--app-key",
        APP_KEY,
        "app-auth",
    ])
    .expect(1);
    assert!(
        run.stderr.contains(&format!(
            "the CA certificate in --ca-cert {wrong} does not vouch for it"
        )),
        "{}",
        run.stderr
    );
    no_sdk_names(&run.stderr);
}

#[test]
fn a_ca_cert_file_without_a_certificate_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostname");
    std::fs::write(&file, "my-host\n").unwrap();
    let path = file.display().to_string();
    let args = [
        "--endpoint",
        "https://127.0.0.1:1",
        "--app-id",
        "a",
        "--app-key",
        "k",
        "app-auth",
    ];
    let mut with_flag = vec!["--ca-cert", &path];
    with_flag.extend(args);
    let run = hw(&with_flag).expect(2);
    assert!(
        run.stderr.starts_with(&format!(
            "error: --ca-cert {path}: the file holds no PEM certificate: give a file with the CA certificate as PEM text (-----BEGIN CERTIFICATE-----)"
        )),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("root certificate #1"),
        "{}",
        run.stderr
    );
    no_sdk_names(&run.stderr);

    // From the environment: the variable and the path.
    let run = hw_env(&args, &[("HWMEETING_CA_CERT", &path)]).expect(2);
    assert!(
        run.stderr.starts_with(&format!(
            "error: HWMEETING_CA_CERT={path}: the file holds no PEM certificate"
        )),
        "{}",
        run.stderr
    );

    // A broken certificate, and a file that is not there.
    std::fs::write(
        &file,
        "-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let run = hw(&with_flag).expect(2);
    assert!(
        run.stderr.starts_with(&format!(
            "error: --ca-cert {path}: the file holds a certificate that is not valid PEM"
        )),
        "{}",
        run.stderr
    );
    let missing = dir.path().join("nope.pem").display().to_string();
    let mut args_missing = vec!["--ca-cert", &missing];
    args_missing.extend(args);
    let run = hw(&args_missing).expect(2);
    assert!(
        run.stderr
            .starts_with(&format!("error: --ca-cert {missing}: cannot read the file")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_value_from_body_names_the_body_field() {
    let base = [
        "--dry-run",
        "set-role",
        "--conference-id",
        "1",
        "--participant-id",
        "p",
    ];
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        hw(&args)
    };
    let run = with(&["--body", r#"{"applyChair":"x"}"#]).expect(2);
    assert!(
        run.stderr.starts_with(
            "error: set-role: invalid value for `applyChair` in --body: expected an integer, got a string"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("--apply-chair"), "{}", run.stderr);

    // A condition met in --body, the missing parameter a flag.
    let run = with(&["--body", r#"{"applyChair":1}"#]).expect(2);
    assert!(
        run.stderr.starts_with(
            "error: set-role: --chairman-pwd is required when `applyChair` in --body is 1"
        ),
        "{}",
        run.stderr
    );

    // Nested: the path inside --body.
    let run = hw(&[
        "--dry-run",
        "hang-up",
        "--conference-id",
        "1",
        "--body",
        r#"{"bulkHangUpParticipants":[5]}"#,
    ])
    .expect(2);
    assert!(
        run.stderr.starts_with(
            "error: hang-up: invalid value for `bulkHangUpParticipants[0]` in --body: expected a string"
        ),
        "{}",
        run.stderr
    );

    // A flag overrides the field of --body: its value is the flag's, and
    // so is the blame.
    let run = with(&["--body", r#"{"applyChair":"x"}"#, "--apply-chair", "apply"]).expect(2);
    assert!(
        run.stderr
            .starts_with("error: set-role: --chairman-pwd is required when --apply-chair is 1"),
        "{}",
        run.stderr
    );
    with(&[
        "--body",
        r#"{"applyChair":"x"}"#,
        "--apply-chair",
        "relinquish",
    ])
    .expect(0);

    // Sent for real (not a dry run), the same check names the same field.
    let run = hw(&[
        "--endpoint",
        "https://127.0.0.1:1",
        "--host-password",
        "x",
        "set-role",
        "--conference-id",
        "1",
        "--participant-id",
        "p",
        "--body",
        r#"{"applyChair":"x"}"#,
    ])
    .expect(2);
    assert!(
        run.stderr.contains("`applyChair` in --body"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_empty_answer_is_confirmed_in_one_line() {
    let sim = Sim::start();
    let args = |output: Option<&'static str>| {
        let mut args = vec!["--host-password", "123456"];
        if let Some(format) = output {
            args.extend(["--output", format]);
        }
        args.extend([
            "update-started-conf-config",
            "--conference-id",
            "900000001",
            "--lock-sharing",
            "locked",
        ]);
        args
    };
    sim.hw(&[
        "start-meeting",
        "--conference-id",
        "900000001",
        "--password",
        "123456",
    ])
    .expect(0);

    // Pretty (the default): the operation, the status and the request id.
    let run = sim.hw(&args(None)).expect(0);
    let line = run.stdout.trim_end();
    assert_eq!(line.lines().count(), 1, "{line}");
    let id = line
        .strip_prefix("update_started_conf_config: done (HTTP 200, request id ")
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{line}"));
    assert!(!id.is_empty() && !id.contains(' '), "{line}");
    assert_ne!(line, "{}");

    // --output json keeps the answer as it is.
    let run = sim.hw(&args(Some("json"))).expect(0);
    assert_eq!(run.stdout.trim_end(), "{}");

    // An answer with content is printed as before.
    let run = sim
        .hw(&[
            "start-meeting",
            "--conference-id",
            "900000001",
            "--password",
            "123456",
        ])
        .expect(0);
    assert!(run.json().is_object(), "{}", run.stdout);
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A port that accepts connections and never says a word; it lives as
/// long as the test process.
fn silent_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

#[test]
fn a_refused_connection_names_the_url_and_the_attempts() {
    let url = format!("https://127.0.0.1:{}", closed_port());
    let login = ["--app-id", "a", "--app-key", "k", "app-auth"];
    let mut args = vec!["--endpoint", url.as_str()];
    args.extend(login);
    let run = hw(&args).expect(1);
    assert!(
        run.stderr.starts_with(&format!(
            "error: app_auth: could not connect to {url} after 3 attempts: "
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("check that the service runs there and that --endpoint is right"),
        "{}",
        run.stderr
    );

    // The count is the one made: --retries 2 makes 2; from the
    // environment, the variable is named.
    let run = hw_env(
        &login,
        &[("HWMEETING_ENDPOINT", &url), ("HWMEETING_RETRIES", "2")],
    )
    .expect(1);
    assert!(
        run.stderr.starts_with(&format!(
            "error: app_auth: could not connect to {url} after 2 attempts: "
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("that HWMEETING_ENDPOINT is right"),
        "{}",
        run.stderr
    );
    let mut args = vec!["--endpoint", url.as_str(), "--retries", "1"];
    args.extend(login);
    let run = hw(&args).expect(1);
    assert!(
        run.stderr.contains(" after 1 attempt: ")
            && run.stderr.contains("--retries allows 1 attempt"),
        "{}",
        run.stderr
    );
    no_sdk_names(&run.stderr);
}

#[test]
fn timeouts_name_the_url_the_attempts_and_the_flag() {
    let port = silent_port();
    let http = format!("http://127.0.0.1:{port}");
    let https = format!("https://127.0.0.1:{port}");

    // No answer, for an operation that is retried: 3 attempts.
    let run = hw(&[
        "--endpoint",
        &http,
        "--allow-http",
        "--timeout",
        "0.3",
        "--conference-authorization",
        "t",
        "set-role",
        "--conference-id",
        "1",
        "--participant-id",
        "p",
        "--apply-chair",
        "relinquish",
    ])
    .expect(1);
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "error: set_role: no answer from {http} after 3 attempts: on the last, the time limit of one attempt, 0.3s, ran out; raise it with --timeout SECONDS (or HWMEETING_TIMEOUT), or check the network"
        )
    );

    // One that is not sent again once it may have arrived: 1 attempt.
    let run = hw(&[
        "--endpoint",
        &http,
        "--allow-http",
        "--timeout",
        "0.3",
        "--app-id",
        "a",
        "--app-key",
        "k",
        "app-auth",
    ])
    .expect(1);
    assert!(
        run.stderr.starts_with(&format!(
            "error: app_auth: no answer from {http} after 1 attempt: the time limit of one attempt, 0.3s, ran out; raise it with --timeout SECONDS (or HWMEETING_TIMEOUT)"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("not sent again"), "{}", run.stderr);

    // A TLS handshake that never ends: the connect time limit.
    let run = hw(&[
        "--endpoint",
        &https,
        "--connect-timeout",
        "0.3",
        "--retries",
        "2",
        "--app-id",
        "a",
        "--app-key",
        "k",
        "app-auth",
    ])
    .expect(1);
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "error: app_auth: could not connect to {https} after 2 attempts: on the last, the time limit to open a connection, 0.3s, ran out; raise it with --connect-timeout SECONDS (or HWMEETING_CONNECT_TIMEOUT), or check the network"
        )
    );
    no_sdk_names(&run.stderr);
}
