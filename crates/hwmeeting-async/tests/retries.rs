//! Retry rules and time limits, with the simulator's faults.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use hwmeeting_async::model::{ApplyChair, HangUpRequest, SetRoleRequest};
use hwmeeting_async::{Client, Error, RetryPolicy, TimeoutPhase};
use hwmeeting_sim::{DEMO_CONFERENCE_ID, Fault, FaultRule};
use tracing::instrument::WithSubscriber;

use common::{Logs, count_path, sim};

const ROLE: &str = "/v1/mmc/control/conferences/participants/role";
const DELETE: &str = "/v1/mmc/control/conferences/participants/delete";

fn relinquish() -> SetRoleRequest {
    SetRoleRequest::new("p-alice", ApplyChair::Relinquish)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_503_on_an_idempotent_call_is_retried() {
    let sim = sim().await;
    let client = common::client(&sim);
    let meeting = common::started(&client).await;
    meeting.control_token().await.unwrap();
    sim.push_fault(FaultRule::new(ROLE, Fault::status(503)).count(2))
        .unwrap();
    let logs = Logs::default();
    let reply = meeting
        .execute(relinquish())
        .with_subscriber(logs.subscriber())
        .await
        .unwrap();
    assert_eq!(reply.attempts, 3);
    assert_eq!(count_path(&sim, "PUT", ROLE), 3);
    assert_eq!(logs.lines_with("retrying"), 2, "{}", logs.text());
    assert!(logs.text().contains("HTTP 503"), "{}", logs.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn retries_stop_at_max_attempts() {
    let sim = sim().await;
    let client = common::client(&sim);
    let meeting = common::started(&client).await;
    meeting.control_token().await.unwrap();
    sim.push_fault(FaultRule::new(ROLE, Fault::status(503)).count(10))
        .unwrap();
    let err = meeting.set_role(relinquish()).await.unwrap_err();
    match &err {
        Error::Api { source, .. } => {
            assert_eq!(source.status, 503);
            assert_eq!(source.error_code.as_deref(), Some("SIM.000000001"));
            assert!(source.request_id.is_some());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(count_path(&sim, "PUT", ROLE), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_503_on_hang_up_is_not_retried() {
    let sim = sim().await;
    let client = common::client(&sim);
    let meeting = common::started(&client).await;
    meeting.control_token().await.unwrap();
    sim.push_fault(FaultRule::new(DELETE, Fault::status(503)).count(3))
        .unwrap();
    let err = meeting
        .hang_up(HangUpRequest::new(["p-carol"]))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503), "{err}");
    assert_eq!(count_path(&sim, "POST", DELETE), 1);
    // The participant is still there: the fault answered in its place.
    let state = sim.conference(DEMO_CONFERENCE_ID).unwrap();
    assert!(state.participant("p-carol").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_with_retry_after_is_honoured_even_for_hang_up() {
    let sim = sim().await;
    let client = common::builder(&sim)
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(10))
                .with_max_backoff(Duration::from_secs(5)),
        )
        .build()
        .unwrap();
    let meeting = common::started(&client).await;
    meeting.control_token().await.unwrap();
    let fault = Fault::Status {
        status: 429,
        body: Some(serde_json::json!({
            "error_code": "MMC.111000429",
            "error_msg": "too many requests"
        })),
        headers: BTreeMap::from([("Retry-After".to_owned(), "1".to_owned())]),
    };
    sim.push_fault(FaultRule::new(DELETE, fault)).unwrap();
    let started = Instant::now();
    let reply = meeting
        .execute(HangUpRequest::new(["p-carol"]))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(reply.attempts, 2);
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(count_path(&sim, "POST", DELETE), 2);
    let state = sim.conference(DEMO_CONFERENCE_ID).unwrap();
    assert!(state.participant("p-carol").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_that_stays_keeps_its_body() {
    let sim = sim().await;
    let client = common::builder(&sim)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let meeting = common::started(&client).await;
    meeting.control_token().await.unwrap();
    let fault = Fault::Status {
        status: 429,
        body: Some(serde_json::json!({
            "error_code": "MMC.111000429",
            "error_msg": "too many requests",
            "request_id": "rid-429"
        })),
        headers: BTreeMap::from([("Retry-After".to_owned(), "7".to_owned())]),
    };
    sim.push_fault(FaultRule::new(ROLE, fault)).unwrap();
    let err = meeting.set_role(relinquish()).await.unwrap_err();
    match &err {
        Error::Api { source, .. } => {
            assert_eq!(source.status, 429);
            assert_eq!(source.error_code.as_deref(), Some("MMC.111000429"));
            assert_eq!(source.request_id.as_deref(), Some("rid-429"));
            assert_eq!(source.retry_after, Some(Duration::from_secs(7)));
            assert!(source.body.contains("too many requests"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reset_connection_is_retried_only_for_idempotent_calls() {
    let sim = sim().await;
    let client = common::client(&sim);
    let meeting = common::started(&client).await;
    meeting.control_token().await.unwrap();

    sim.push_fault(FaultRule::new(ROLE, Fault::Reset)).unwrap();
    let reply = meeting.execute(relinquish()).await.unwrap();
    assert_eq!(reply.attempts, 2);

    sim.push_fault(FaultRule::new(DELETE, Fault::Reset))
        .unwrap();
    let err = meeting
        .hang_up(HangUpRequest::new(["p-carol"]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(count_path(&sim, "POST", DELETE), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn connection_refused_is_retried_and_reported_as_connect() {
    // A port nobody listens on.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .endpoint(format!("https://127.0.0.1:{port}"))
        .credentials(hwmeeting_async::Credentials::access_token("t"))
        .retry_policy(common::fast_retries())
        .build()
        .unwrap();
    let logs = Logs::default();
    let meeting = client.conference_with_token("1", "control-token");
    // hang_up is not idempotent, but a request that never left is retried.
    let err = meeting
        .hang_up(HangUpRequest::new(["p"]))
        .with_subscriber(logs.subscriber())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(logs.lines_with("retrying"), 2, "{}", logs.text());
    assert!(logs.text().contains("connection could not be opened"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_lookup_was_never_sent_and_is_retried() {
    // `.invalid` never resolves: the request cannot have left.
    let client = Client::builder()
        .endpoint("https://hwmeeting-test.invalid")
        .credentials(hwmeeting_async::Credentials::access_token("t"))
        .retry_policy(common::fast_retries())
        .build()
        .unwrap();
    let logs = Logs::default();
    let meeting = client.conference_with_token("1", "control-token");
    let err = meeting
        .hang_up(HangUpRequest::new(["p"]))
        .with_subscriber(logs.subscriber())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(
        err.to_string().contains("could not connect to the service"),
        "{err}"
    );
    // hang_up is not idempotent, yet it is retried: nothing was sent.
    assert_eq!(logs.lines_with("retrying"), 2, "{}", logs.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_attempt_timeout_fires_and_is_a_timeout() {
    let sim = sim().await;
    let setting = Duration::from_millis(500);
    let client = common::builder(&sim)
        .attempt_timeout(setting)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let meeting = common::started(&client).await;
    meeting.control_token().await.unwrap();
    sim.push_fault(FaultRule::new(ROLE, Fault::DelayHeaders { ms: 3000 }))
        .unwrap();
    let started = Instant::now();
    let err = meeting.set_role(relinquish()).await.unwrap_err();
    let elapsed = started.elapsed();
    match err {
        Error::Timeout {
            operation: "set_role",
            phase: TimeoutPhase::Attempt,
            after,
        } => assert_eq!(after, setting),
        other => panic!("{other:?}"),
    }
    assert!(elapsed >= setting, "{elapsed:?}");
    assert!(
        elapsed < setting + Duration::from_millis(1500),
        "{elapsed:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stalled_body_is_an_attempt_timeout_too() {
    let sim = sim().await;
    let setting = Duration::from_millis(500);
    let client = common::builder(&sim)
        .attempt_timeout(setting)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let meeting = common::started(&client).await;
    meeting.control_token().await.unwrap();
    sim.push_fault(FaultRule::new(
        ROLE,
        Fault::DelayBody {
            ms: 3000,
            bytes: Some(1),
        },
    ))
    .unwrap();
    let started = Instant::now();
    let err = meeting.set_role(relinquish()).await.unwrap_err();
    let elapsed = started.elapsed();
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
    assert!(
        elapsed < setting + Duration::from_millis(1500),
        "{elapsed:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn timeouts_of_idempotent_calls_are_retried_within_the_total() {
    let sim = sim().await;
    let attempt = Duration::from_millis(600);
    let total = Duration::from_millis(1000);
    let client = common::builder(&sim)
        .attempt_timeout(attempt)
        .total_timeout(total)
        .build()
        .unwrap();
    let meeting = common::started(&client).await;
    meeting.control_token().await.unwrap();
    sim.push_fault(FaultRule::new(ROLE, Fault::DelayHeaders { ms: 5000 }).count(5))
        .unwrap();
    let logs = Logs::default();
    let started = Instant::now();
    let err = meeting
        .set_role(relinquish())
        .with_subscriber(logs.subscriber())
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    match err {
        Error::Timeout {
            phase: TimeoutPhase::Total,
            after,
            ..
        } => assert_eq!(after, total),
        other => panic!("{other:?}"),
    }
    assert!(elapsed >= total, "{elapsed:?}");
    assert!(elapsed < total + Duration::from_millis(1500), "{elapsed:?}");
    // The first attempt timed out and a second one was cut by the total
    // (the simulator logs a request when it answers, so count retries).
    assert_eq!(logs.lines_with("retrying"), 1, "{}", logs.text());
    assert!(logs.text().contains("attempt timed out"), "{}", logs.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_wait_past_the_total_returns_the_last_error() {
    let sim = sim().await;
    let client = common::builder(&sim)
        .total_timeout(Duration::from_millis(800))
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(10))
                .with_max_backoff(Duration::from_secs(10)),
        )
        .build()
        .unwrap();
    let meeting = common::started(&client).await;
    meeting.control_token().await.unwrap();
    let fault = Fault::Status {
        status: 503,
        body: None,
        headers: BTreeMap::from([("Retry-After".to_owned(), "5".to_owned())]),
    };
    sim.push_fault(FaultRule::new(ROLE, fault)).unwrap();
    let started = Instant::now();
    let err = meeting.set_role(relinquish()).await.unwrap_err();
    // No sleep of 5 s: the 503 comes back at once.
    assert!(started.elapsed() < Duration::from_millis(800));
    assert_eq!(err.status(), Some(503), "{err}");
    assert_eq!(count_path(&sim, "PUT", ROLE), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gateway_page_is_retried_for_idempotent_calls() {
    let sim = sim().await;
    let client = common::client(&sim);
    let meeting = common::started(&client).await;
    meeting.control_token().await.unwrap();
    sim.push_fault(FaultRule::new(ROLE, Fault::Html { status: 502 }))
        .unwrap();
    let reply = meeting.execute(relinquish()).await.unwrap();
    assert_eq!(reply.attempts, 2);
    assert_eq!(count_path(&sim, "PUT", ROLE), 2);
}
