//! Every fault kind, observed by a raw TCP client.

mod common;

use std::time::{Duration, Instant};

use common::*;
use hwmeeting_sim::{Fault, FaultRule};
use serde_json::{Value, json};

fn push(sim: &hwmeeting_sim::SimHandle, fault: Value) {
    let a = send(
        &agent(),
        "POST",
        &format!("{}/_sim/faults", sim.url()),
        &[],
        Some(&json!({"path": ACCOUNT_AUTH, "fault": fault}).to_string()),
    );
    assert_eq!(a.status, 201, "{}", a.text);
}

/// A login without credentials: answered 401 when no fault hits it.
const LOGIN: &str = r#"{"account": "demo@example.com", "clientType": 72}"#;

fn hit(sim: &hwmeeting_sim::SimHandle) -> (Vec<u8>, Option<std::io::Error>) {
    raw(sim.addr(), &raw_request("POST", ACCOUNT_AUTH, LOGIN))
}

fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse().unwrap())
        .expect("content-length")
}

fn assert_request_id(head: &str) {
    let id = head
        .lines()
        .find_map(|l| l.strip_prefix("x-request-id:"))
        .expect("x-request-id")
        .trim();
    assert_eq!(id.len(), 32);
}

#[test]
fn status_fault_with_headers_and_default_body() {
    let sim = sim();
    push(
        &sim,
        json!({"kind": "status", "status": 503, "headers": {"Retry-After": "2"}}),
    );
    let (bytes, _) = hit(&sim);
    let (head, body) = split(&bytes);
    assert!(head.starts_with("http/1.1 503"), "{head}");
    assert!(head.contains("retry-after: 2"));
    assert_request_id(&head);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error_code"], hwmeeting_sim::codes::INJECTED_FAULT);
    // Used up: the next request is answered normally (401: no credentials).
    let (bytes, _) = hit(&sim);
    assert!(split(&bytes).0.starts_with("http/1.1 401"));
}

#[test]
fn status_fault_with_custom_body_and_count() {
    let sim = sim();
    sim.push_fault(
        FaultRule::new(
            ACCOUNT_AUTH,
            Fault::Status {
                status: 429,
                body: Some(json!({"error_code": "APIG.0308", "error_msg": "throttled"})),
                headers: Default::default(),
            },
        )
        .method("POST")
        .count(2),
    )
    .unwrap();
    // Another method does not match.
    let (bytes, _) = raw(sim.addr(), &raw_request("PUT", ACCOUNT_AUTH, ""));
    assert!(!split(&bytes).0.starts_with("http/1.1 429"));
    for _ in 0..2 {
        let (bytes, _) = hit(&sim);
        let (head, body) = split(&bytes);
        assert!(head.starts_with("http/1.1 429"), "{head}");
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error_code"], "APIG.0308");
    }
    assert!(sim.faults().is_empty());
    assert!(split(&hit(&sim).0).0.starts_with("http/1.1 401"));
}

#[test]
fn delay_headers_then_normal_answer() {
    let sim = sim();
    push(&sim, json!({"kind": "delay_headers", "ms": 300}));
    let t = Instant::now();
    let (bytes, _) = hit(&sim);
    assert!(
        t.elapsed() >= Duration::from_millis(280),
        "{:?}",
        t.elapsed()
    );
    let (head, body) = split(&bytes);
    assert!(head.starts_with("http/1.1 401"), "{head}");
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert!(body["error_code"].as_str().unwrap().starts_with("USG."));
}

#[test]
fn delay_body_stalls_mid_body() {
    use std::io::{Read, Write};
    let sim = sim();
    push(&sim, json!({"kind": "delay_body", "ms": 400, "bytes": 10}));
    let mut stream = std::net::TcpStream::connect(sim.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
        .write_all(raw_request("POST", ACCOUNT_AUTH, LOGIN).as_bytes())
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let mut first_at = None;
    loop {
        let n = stream.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        first_at.get_or_insert_with(Instant::now);
        got.extend_from_slice(&buf[..n]);
    }
    let stalled = first_at.unwrap().elapsed();
    assert!(stalled >= Duration::from_millis(300), "{stalled:?}");
    let (head, body) = split(&got);
    assert!(head.starts_with("http/1.1 401"));
    assert_eq!(content_length(&head), body.len());
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert!(body["error_code"].is_string());
}

#[test]
fn reset_closes_without_an_answer() {
    let sim = sim();
    push(&sim, json!({"kind": "reset"}));
    let (bytes, _) = hit(&sim);
    assert!(bytes.is_empty(), "{}", String::from_utf8_lossy(&bytes));
    let log = sim.requests();
    let last = log.last().unwrap();
    assert_eq!(last.fault.as_deref(), Some("reset"));
    assert_eq!(last.status, None);
}

#[test]
fn truncate_sends_less_than_content_length() {
    let sim = sim();
    push(&sim, json!({"kind": "truncate"}));
    let (bytes, _) = hit(&sim);
    let (head, body) = split(&bytes);
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(body.len() < content_length(&head), "{} bytes", body.len());
    assert!(!body.is_empty());
}

#[test]
fn malformed_json_html_empty_and_wrong_content_type() {
    let sim = sim();

    push(&sim, json!({"kind": "malformed_json"}));
    let (head, body) = split(&hit(&sim).0);
    assert!(head.starts_with("http/1.1 200"));
    assert!(head.contains("content-type: application/json"));
    assert!(serde_json::from_slice::<Value>(&body).is_err());
    assert_request_id(&head);

    push(&sim, json!({"kind": "html", "status": 504}));
    let (head, body) = split(&hit(&sim).0);
    assert!(head.starts_with("http/1.1 504"), "{head}");
    assert!(head.contains("content-type: text/html"));
    assert!(String::from_utf8_lossy(&body).contains("<html>"));
    assert_request_id(&head);

    push(&sim, json!({"kind": "empty", "status": 500}));
    let (head, body) = split(&hit(&sim).0);
    assert!(head.starts_with("http/1.1 500"));
    assert!(body.is_empty());
    assert_eq!(content_length(&head), 0);
    assert_request_id(&head);

    push(&sim, json!({"kind": "wrong_content_type"}));
    let (head, body) = split(&hit(&sim).0);
    assert!(head.starts_with("http/1.1 200"));
    assert!(head.contains("content-type: text/plain"));
    assert_eq!(body, b"OK");
    assert_request_id(&head);
}

#[test]
fn large_body_is_exactly_n_bytes_of_json() {
    let sim = sim();
    push(&sim, json!({"kind": "large_body", "bytes": 3_000_001}));
    let (head, body) = split(&hit(&sim).0);
    assert!(head.starts_with("http/1.1 200"));
    assert_eq!(content_length(&head), 3_000_001);
    assert_eq!(body.len(), 3_000_001);
    assert!(serde_json::from_slice::<Value>(&body).unwrap()["padding"].is_string());
}

#[test]
fn fault_stops_the_operation_and_clear_drops_faults() {
    let sim = sim();
    let agent = agent();
    let token = access_token(&agent, sim.url());
    sim.push_fault(FaultRule::new(START, Fault::status(500)))
        .unwrap();
    let a = start(&agent, sim.url(), &token, DEMO, HOST_PW);
    assert_eq!(a.status, 500);
    assert!(!sim.conference(DEMO).unwrap().active);

    // Prefix paths, and DELETE /_sim/faults.
    push(&sim, json!({"kind": "reset"}));
    let f = send(
        &agent,
        "POST",
        &format!("{}/_sim/faults", sim.url()),
        &[],
        Some(r#"[{"path": "/v1/mmc/*", "count": 3, "fault": {"kind": "empty"}}]"#),
    );
    assert_eq!(f.status, 201, "{}", f.text);
    assert_eq!(sim.faults().len(), 2);
    let d = send(
        &agent,
        "DELETE",
        &format!("{}/_sim/faults", sim.url()),
        &[],
        None,
    );
    assert_eq!(d.status, 200);
    assert_eq!(d.json["cleared"], 2);
    assert_eq!(start(&agent, sim.url(), &token, DEMO, HOST_PW).status, 200);

    // Bad faults are refused.
    for bad in [
        r#"{"path": "/x", "fault": {"kind": "nope"}}"#,
        r#"{"path": "/x", "count": 0, "fault": {"kind": "reset"}}"#,
        r#"{"path": "/x", "fault": {"kind": "status", "status": 42}}"#,
        r#"{"fault": {"kind": "reset"}}"#,
    ] {
        let a = send(
            &agent,
            "POST",
            &format!("{}/_sim/faults", sim.url()),
            &[],
            Some(bad),
        );
        assert_eq!(a.status, 400, "{bad}: {}", a.text);
    }
}
