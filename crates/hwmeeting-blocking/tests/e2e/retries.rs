//! The retry rules, driven by the simulator's faults.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use hwmeeting_blocking::model::{
    ApplyChair, CreateConfTokenRequest, HangUpRequest, SetRoleRequest, StartMeetingRequest,
};
use hwmeeting_blocking::{Client, Error, RetryPolicy};
use hwmeeting_sim::{Fault, FaultRule};

use crate::common::*;

fn status_fault(path: &str, status: u16, count: u32) -> FaultRule {
    FaultRule::new(path, Fault::status(status)).count(count)
}

#[test]
fn a_503_on_an_idempotent_call_is_retried_until_success() {
    let sim = sim();
    let client = client(&sim);
    start(&client);
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    meeting.control_token().unwrap();
    sim.push_fault(status_fault(SetRoleRequest::META.path, 503, 2))
        .unwrap();
    let reply = meeting
        .execute(SetRoleRequest::new("p-bob", ApplyChair::Apply).chairman_pwd(HOST_PASSWORD))
        .unwrap();
    assert_eq!(reply.attempts, 3);
    let statuses: Vec<_> = requests_for(&sim, "set_role")
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [Some(503), Some(503), Some(200)]);
    assert_eq!(sim.conference(MEETING).unwrap().chair(), Some("p-bob"));
}

#[test]
fn a_503_that_persists_is_reported_after_the_last_attempt() {
    let sim = sim();
    let client = client(&sim);
    start(&client);
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    sim.push_fault(status_fault(SetRoleRequest::META.path, 503, 5))
        .unwrap();
    let err = meeting
        .send(SetRoleRequest::new("p-bob", ApplyChair::Relinquish))
        .unwrap_err();
    assert_eq!(err.status(), Some(503), "{err}");
    assert!(err.is_retryable());
    assert!(err.request_id().is_some());
    assert_eq!(count(&sim, "set_role"), 3, "max_attempts is 3");
}

#[test]
fn a_503_on_hang_up_is_not_retried() {
    let sim = sim();
    let client = client(&sim);
    start(&client);
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    sim.push_fault(status_fault(HangUpRequest::META.path, 503, 3))
        .unwrap();
    let err = meeting.send(HangUpRequest::new(["p-bob"])).unwrap_err();
    assert_eq!(err.status(), Some(503), "{err}");
    assert_eq!(count(&sim, "hang_up"), 1, "hang_up is not idempotent");
    assert!(
        sim.conference(MEETING)
            .unwrap()
            .participant("p-bob")
            .is_some()
    );
}

#[test]
fn a_429_with_retry_after_is_honoured_for_a_non_idempotent_call() {
    let sim = sim();
    let client = client(&sim);
    client.access_token().unwrap();
    let headers = BTreeMap::from([("Retry-After".to_owned(), "1".to_owned())]);
    sim.push_fault(FaultRule::new(
        StartMeetingRequest::META.path,
        Fault::Status {
            status: 429,
            body: None,
            headers,
        },
    ))
    .unwrap();
    let started = Instant::now();
    let reply = client
        .execute(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(reply.attempts, 2);
    assert!(elapsed >= Duration::from_secs(1), "waited {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "waited {elapsed:?}");
    let statuses: Vec<_> = requests_for(&sim, "start_meeting")
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [Some(429), Some(200)]);
}

#[test]
fn a_429_keeps_the_service_error_and_retry_after() {
    let sim = sim();
    let client = builder(&sim)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client.access_token().unwrap();
    let headers = BTreeMap::from([("Retry-After".to_owned(), "7".to_owned())]);
    sim.push_fault(FaultRule::new(
        StartMeetingRequest::META.path,
        Fault::Status {
            status: 429,
            body: Some(serde_json::json!({
                "error_code": "USG.000000429",
                "error_msg": "too many requests",
                "request_id": "rid-429"
            })),
            headers,
        },
    ))
    .unwrap();
    let err = client
        .send(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.status, 429);
    assert_eq!(api.error_code.as_deref(), Some("USG.000000429"));
    assert_eq!(api.request_id.as_deref(), Some("rid-429"));
    assert_eq!(api.retry_after, Some(Duration::from_secs(7)));
    assert!(api.body.contains("too many requests"));
}

#[test]
fn a_retry_after_past_the_total_timeout_is_not_waited_for() {
    let sim = sim();
    let client = builder(&sim)
        .total_timeout(Duration::from_secs(2))
        .retry_policy(fast_retries().with_max_backoff(Duration::from_secs(30)))
        .build()
        .unwrap();
    client.access_token().unwrap();
    let headers = BTreeMap::from([("Retry-After".to_owned(), "20".to_owned())]);
    sim.push_fault(FaultRule::new(
        StartMeetingRequest::META.path,
        Fault::Status {
            status: 429,
            body: None,
            headers,
        },
    ))
    .unwrap();
    let started = Instant::now();
    let err = client
        .send(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(err.status(), Some(429), "the last error, not a timeout");
    assert_eq!(count(&sim, "start_meeting"), 1);
}

#[test]
fn connection_refused_is_retried_and_reported_as_connect() {
    let port = closed_port();
    let client = Client::builder()
        .endpoint(format!("http://127.0.0.1:{port}"))
        .allow_http(true)
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(200)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    // create_conf_token is idempotent and needs no login; a refused
    // connection is retried for every call anyway.
    let err = client
        .send(CreateConfTokenRequest::new(HOST_PASSWORD).conference_id(MEETING))
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(err.is_retryable());
    // Two waits of at least 100 ms and 200 ms (backoff with jitter in its
    // upper half): the three attempts were made.
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(err.to_string().contains("could not connect"), "{err}");

    // A non-idempotent call is retried too: the request never left.
    let started = Instant::now();
    let client = Client::builder()
        .endpoint(format!("http://127.0.0.1:{port}"))
        .allow_http(true)
        .credentials(hwmeeting_blocking::Credentials::access_token("t"))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(200)),
        )
        .build()
        .unwrap();
    let err = client
        .send(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
        .unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(started.elapsed() >= Duration::from_millis(100));
}

#[test]
fn a_failed_lookup_was_never_sent() {
    // `.invalid` never resolves: the request cannot have left, so even a
    // non-idempotent call is retried, and the error says the connection
    // could not be opened (not that it failed during the call).
    let client = Client::builder()
        .endpoint("https://hwmeeting-test.invalid")
        .credentials(hwmeeting_blocking::Credentials::access_token("t"))
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(2)),
        )
        .build()
        .unwrap();
    let meeting = client.conference_with_token("1", "control-token");
    let err = meeting.send(HangUpRequest::new(["p"])).unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(
        err.to_string().contains("(while looking up the host)"),
        "{err}"
    );
}

#[test]
fn a_reset_connection_is_retried_only_for_idempotent_calls() {
    let sim = sim();
    let client = client(&sim);
    start(&client);
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    meeting.control_token().unwrap();

    sim.push_fault(FaultRule::new(SetRoleRequest::META.path, Fault::Reset))
        .unwrap();
    let reply = meeting
        .execute(SetRoleRequest::new("p-bob", ApplyChair::Relinquish))
        .unwrap();
    assert_eq!(reply.attempts, 2);

    sim.push_fault(FaultRule::new(HangUpRequest::META.path, Fault::Reset))
        .unwrap();
    let err = meeting.send(HangUpRequest::new(["p-bob"])).unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(count(&sim, "hang_up"), 1);
}

#[test]
fn gateway_answers_that_are_not_json_are_api_errors() {
    let sim = sim();
    let client = builder(&sim)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client.access_token().unwrap();
    sim.push_fault(FaultRule::new(
        StartMeetingRequest::META.path,
        Fault::Html { status: 502 },
    ))
    .unwrap();
    let err = client
        .send(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.status, 502);
    assert!(api.body.contains('<'), "the raw body is kept");
    assert!(err.request_id().is_some(), "from the X-Request-Id header");
}
