//! Time limits, the body size limit, TLS trust and secrets in errors.

use std::time::{Duration, Instant};

use hwmeeting_blocking::model::{ApplyChair, SetRoleRequest, StartMeetingRequest};
use hwmeeting_blocking::{Client, Credentials, Error, RetryPolicy, TimeoutPhase};
use hwmeeting_sim::{Fault, FaultRule, NewConference, NewParticipant, SimConfig};

use crate::common::*;

/// The correctness bound of a timeout: it fired, not long after.
fn assert_fired_within(elapsed: Duration, setting: Duration) {
    assert!(elapsed >= setting, "fired early: {elapsed:?} < {setting:?}");
    assert!(
        elapsed < setting + Duration::from_millis(1500),
        "fired late: {elapsed:?} for {setting:?}"
    );
}

#[test]
fn the_attempt_timeout_fires_on_slow_headers() {
    let sim = sim();
    let setting = Duration::from_millis(800);
    let client = builder(&sim)
        .attempt_timeout(setting)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    start(&client);
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    meeting.control_token().unwrap();
    sim.push_fault(FaultRule::new(
        SetRoleRequest::META.path,
        Fault::DelayHeaders { ms: 4000 },
    ))
    .unwrap();
    let started = Instant::now();
    let err = meeting
        .send(SetRoleRequest::new("p-bob", ApplyChair::Relinquish))
        .unwrap_err();
    assert_fired_within(started.elapsed(), setting);
    match err {
        Error::Timeout {
            operation,
            phase,
            after,
        } => {
            assert_eq!(operation, "set_role");
            assert_eq!(phase, TimeoutPhase::Attempt);
            assert_eq!(after, setting);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[test]
fn the_attempt_timeout_covers_a_stalled_body() {
    let sim = sim();
    let setting = Duration::from_millis(800);
    let client = builder(&sim)
        .attempt_timeout(setting)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client.access_token().unwrap();
    sim.push_fault(FaultRule::new(
        StartMeetingRequest::META.path,
        Fault::DelayBody {
            ms: 4000,
            bytes: Some(2),
        },
    ))
    .unwrap();
    let started = Instant::now();
    let err = client
        .send(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
        .unwrap_err();
    assert_fired_within(started.elapsed(), setting);
    assert!(
        matches!(
            err,
            Error::Timeout {
                phase: TimeoutPhase::Attempt,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn the_total_timeout_bounds_retries() {
    let sim = sim();
    let attempt = Duration::from_millis(700);
    let total = Duration::from_millis(1200);
    let client = builder(&sim)
        .attempt_timeout(attempt)
        .total_timeout(total)
        .build()
        .unwrap();
    start(&client);
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    meeting.control_token().unwrap();
    sim.push_fault(
        FaultRule::new(SetRoleRequest::META.path, Fault::DelayHeaders { ms: 3000 }).count(3),
    )
    .unwrap();
    let started = Instant::now();
    let err = meeting
        .send(SetRoleRequest::new("p-bob", ApplyChair::Relinquish))
        .unwrap_err();
    assert_fired_within(started.elapsed(), total);
    match err {
        Error::Timeout { phase, after, .. } => {
            assert_eq!(phase, TimeoutPhase::Total);
            assert_eq!(after, total);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    // Two of the three delayed answers were used: the second attempt was
    // cut short by the total limit, and no third was made.
    let pending: Vec<u32> = sim.faults().iter().map(|r| r.count).collect();
    assert_eq!(pending, [1]);
}

#[test]
fn an_error_shows_the_request_id_and_no_secret() {
    const APP_KEY: &str = "sentinel-app-key-5b1f";
    const HOST_PW: &str = "sentinel-host-pw-77";
    let sim = sim_with(SimConfig::default().app("sentinel-app", APP_KEY));
    sim.create_conference(
        NewConference::new("424242", HOST_PW).participant(NewParticipant::new("p-dan", "Dan")),
    )
    .unwrap();
    let client = Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(sim.ca_pem().unwrap())
        .credentials(Credentials::app_id("sentinel-app", APP_KEY))
        .build()
        .unwrap();
    client
        .send(StartMeetingRequest::new("424242", HOST_PW))
        .unwrap();
    let meeting = client.conference("424242", HOST_PW);
    let access = client.access_token().unwrap();
    let control = meeting.control_token().unwrap();

    // A wrong participant: the service answers 404.
    let err = meeting
        .send(SetRoleRequest::new("p-nobody", ApplyChair::Apply).chairman_pwd(HOST_PW))
        .unwrap_err();
    let shown = format!("{err}");
    let debug = format!("{err:?}");
    let id = err.request_id().expect("a request id").to_owned();
    assert!(shown.contains(&id), "{shown}");
    for secret in [APP_KEY, HOST_PW, access.expose(), control.expose()] {
        assert!(!shown.contains(secret), "{shown}");
        assert!(!debug.contains(secret), "{debug}");
    }
    // Handles and clients do not print them either.
    let printed = format!("{client:?} {meeting:?}");
    for secret in [APP_KEY, HOST_PW, access.expose(), control.expose()] {
        assert!(!printed.contains(secret), "{printed}");
    }
}

#[test]
fn a_body_over_the_limit_is_refused() {
    let sim = sim();
    let client = builder(&sim)
        .max_response_body_size(4096)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client.access_token().unwrap();
    sim.push_fault(FaultRule::new(
        StartMeetingRequest::META.path,
        Fault::LargeBody { bytes: 1 << 20 },
    ))
    .unwrap();
    let err = client
        .send(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
        .unwrap_err();
    match &err {
        Error::BodyTooLarge {
            operation,
            status,
            limit,
        } => {
            assert_eq!(*operation, "start_meeting");
            assert_eq!(*status, 200);
            assert_eq!(*limit, 4096);
        }
        other => panic!("{other:?}"),
    }
    // A body at the limit is fine.
    sim.push_fault(FaultRule::new(
        StartMeetingRequest::META.path,
        Fault::LargeBody { bytes: 4096 },
    ))
    .unwrap();
    client
        .send(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
        .unwrap();
}

#[test]
fn plain_http_needs_the_opt_in() {
    let sim = sim_with(SimConfig::http());
    let err = Client::builder().endpoint(sim.url()).build().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("plain http://"), "{text}");
    assert!(text.contains("allow_http"), "{text}");
    // With the opt-in, the plain simulator works.
    let client = builder(&sim).build().unwrap();
    start(&client);
    assert!(sim.conference(MEETING).unwrap().active);
}

#[test]
fn an_untrusted_certificate_fails_to_connect_without_retry() {
    let sim = sim();
    let client = Client::builder()
        .endpoint(sim.url())
        .credentials(Credentials::access_token("t"))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(500)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .send(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
        .unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "a certificate error is final"
    );
    assert!(sim.requests().is_empty(), "nothing reached the service");
    let chain = std::error::Error::source(&err).map(|s| s.to_string());
    assert!(chain.is_some());
}

#[test]
fn a_connect_timeout_is_a_timeout_not_a_connect_error() {
    // A listener that accepts nothing beyond its backlog never completes a
    // TLS handshake: the connect phase (TCP + TLS) times out.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let setting = Duration::from_millis(600);
    let client = Client::builder()
        .endpoint(format!("https://127.0.0.1:{port}"))
        .connect_timeout(setting)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .send(
            hwmeeting_blocking::model::CreateConfTokenRequest::new(HOST_PASSWORD)
                .conference_id(MEETING),
        )
        .unwrap_err();
    assert_fired_within(started.elapsed(), setting);
    match err {
        Error::Timeout { phase, after, .. } => {
            assert_eq!(phase, TimeoutPhase::Connect);
            assert_eq!(after, setting);
        }
        other => panic!("{other:?}"),
    }
    drop(listener);
}
