//! `hwmeeting webhook serve`: the binary receives pushes on 127.0.0.1,
//! answers the verify handshake with its nonce, prints one JSON line per
//! verified event on stdout, answers 401 to a bad signature or appID and
//! 400 to a malformed body with nothing on stdout; the key comes from the
//! flag or `HWMEETING_SUBSCRIBER_KEY`.

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Stdio};

use hwmeeting_core::Secret;
use hwmeeting_core::webhook::sign;

const VERIFY: &str = r#"{"appID":"1988692299","timestamp":1629183619116,"nonce":"85262798","signature":"262ccb5f8854f824c41ea5854ba1798bfa850706fbc85b2be9fd7535ed6b8ff3","eventInfo":{"event":"meeting.verify","timestamp":1629183619116}}"#;
const JOIN_INFO: &str = r#"{"event":"meeting.join","timestamp":1671523596351,"payload":{"meetingInfo":{"meetingID":"987446316","meetingUUID":"0307e0400f0a11eca58a9fcb8e69dde8"},"attendeeInfo":{"participantID":"p-1","displayName":"杨 Zoë","joinTime":1709802363369,"leftTime":0,"role":"CHAIR"}}}"#;

/// Starts `webhook serve` on a free port; the child and its address.
fn serve(args: &[&str], env: &[(&str, &str)]) -> (Child, String) {
    let mut cmd = common::command();
    cmd.args([
        "webhook",
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--subscriber-id",
        "1988692299",
    ])
    .args(args)
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start hwmeeting webhook serve");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().expect("a first line").expect("read");
    let addr = first
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .to_owned();
    // Keep draining stderr so the child never blocks on it.
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

/// POSTs `body`; the status and the body answered.
fn post(addr: &str, path: &str, body: &str) -> (u16, String) {
    let mut socket = TcpStream::connect(addr).expect("connects");
    write!(
        socket,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    socket.read_to_string(&mut answer).expect("reads");
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head");
    (head[9..12].parse().expect("a status"), body.to_owned())
}

/// Stops the child; what it printed on stdout.
fn stop(mut child: Child) -> String {
    let _ = child.kill();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let _ = child.wait();
    out
}

#[test]
fn serve_answers_and_prints_one_line_per_verified_event() {
    let (child, addr) = serve(&["--subscriber-key", "123456"], &[]);
    let outcome = std::panic::catch_unwind(|| {
        assert_eq!(
            post(&addr, "/openapi/meetingevent", VERIFY),
            (
                200,
                r#"{"event":"meeting.verify","nonce":"85262798"}"#.to_owned()
            )
        );
        let sig = sign(
            &Secret::new("123456"),
            "1988692299",
            1671523596351,
            "60426560",
            JOIN_INFO,
        );
        let join = format!(
            r#"{{"appID":"1988692299","timestamp":1671523596351,"nonce":"60426560","signature":"{sig}","eventInfo":{JOIN_INFO}}}"#
        );
        assert_eq!(post(&addr, "/", &join), (200, String::new()));
        let tampered = join.replace("杨 Zoë", "杨 Zoe");
        assert_eq!(
            post(&addr, "/", &tampered),
            (401, "bad signature".to_owned())
        );
        let other = join.replace("\"appID\":\"1988692299\"", "\"appID\":\"42\"");
        assert_eq!(post(&addr, "/", &other), (401, "unknown appID".to_owned()));
        assert_eq!(
            post(&addr, "/", "{\"appID\":1"),
            (400, "malformed body".to_owned())
        );
    });
    let stdout = stop(child);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
    let payload = &JOIN_INFO[JOIN_INFO.find(r#"{"meetingInfo""#).unwrap()..JOIN_INFO.len() - 1];
    assert_eq!(
        stdout,
        format!(
            "{{\"event\":\"meeting.verify\",\"timestamp\":1629183619116,\"payload\":null}}\n\
             {{\"event\":\"meeting.join\",\"timestamp\":1671523596351,\"payload\":{payload}}}\n"
        )
    );
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        assert!(v["event"].is_string() && v["timestamp"].is_i64(), "{line}");
    }
}

#[test]
fn the_key_comes_from_the_environment_and_is_required() {
    let (child, addr) = serve(&[], &[("HWMEETING_SUBSCRIBER_KEY", "123456")]);
    let answer = post(&addr, "/", VERIFY);
    let stdout = stop(child);
    assert_eq!(answer.0, 200, "{answer:?}");
    assert!(
        stdout.starts_with(r#"{"event":"meeting.verify""#),
        "{stdout}"
    );

    let run = common::hw(&["webhook", "serve", "--subscriber-id", "x"]);
    let run = run.expect(2);
    assert!(run.stderr.contains("--subscriber-key"), "{}", run.stderr);
    // The key is never shown in help.
    let help = common::hw_env(
        &["webhook", "serve", "--help"],
        &[("HWMEETING_SUBSCRIBER_KEY", "very-secret-key")],
    )
    .expect(0);
    assert!(
        help.stdout.contains("HWMEETING_SUBSCRIBER_KEY"),
        "{}",
        help.stdout
    );
    assert!(!help.all().contains("very-secret-key"), "{}", help.all());
}
