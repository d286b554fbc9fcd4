//! The access-token cache and the meeting control-token handle.

mod common;

use std::time::Duration;

use hwmeeting_async::model::{ApplyChair, SetRoleRequest, StartMeetingRequest};
use hwmeeting_async::{Error, RetryPolicy};
use hwmeeting_sim::{DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD, SimConfig};

use common::{count, sim, sim_with};

fn start() -> StartMeetingRequest {
    StartMeetingRequest::new(DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD)
}

fn relinquish() -> SetRoleRequest {
    SetRoleRequest::new("p-alice", ApplyChair::Relinquish)
}

#[tokio::test(flavor = "multi_thread")]
async fn many_calls_make_one_login() {
    let sim = sim().await;
    let client = common::client(&sim);
    for _ in 0..20 {
        client.start_meeting(start()).await.unwrap();
    }
    // Clones share the cache.
    let clone = client.clone();
    clone.start_meeting(start()).await.unwrap();
    assert_eq!(count(&sim, "app_auth"), 1);
    assert_eq!(count(&sim, "start_meeting"), 21);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thousand_concurrent_calls_on_a_cold_client_make_one_login() {
    let sim = sim().await;
    let client = common::client(&sim);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let client = client.clone();
        tasks.spawn(async move { client.start_meeting(start()).await });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(count(&sim, "app_auth"), 1);
    assert_eq!(count(&sim, "start_meeting"), 1000);
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_waiters_share_a_failed_login() {
    let sim = sim().await;
    // A wrong key: the login fails with 401, for every waiter, once.
    let client = common::builder(&sim)
        .credentials(hwmeeting_async::Credentials::app_id(
            hwmeeting_sim::DEFAULT_APP_ID,
            "wrong-key-sentinel",
        ))
        .build()
        .unwrap();
    // Hold the login back so every caller is waiting on it.
    sim.push_fault(hwmeeting_sim::FaultRule::new(
        "/v2/usg/acs/auth/appauth",
        hwmeeting_sim::Fault::DelayHeaders { ms: 300 },
    ))
    .unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        tasks.spawn(async move { client.start_meeting(start()).await });
    }
    while let Some(result) = tasks.join_next().await {
        let err = result.unwrap().unwrap_err();
        assert_eq!(err.status(), Some(401), "{err}");
        assert!(!err.to_string().contains("wrong-key-sentinel"));
    }
    assert_eq!(count(&sim, "app_auth"), 1);
    assert_eq!(count(&sim, "start_meeting"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_access_token_is_renewed_before_it_expires() {
    let sim = sim_with(SimConfig::default().access_token_ttl(Duration::from_secs(2))).await;
    let client = common::client(&sim);
    let first = client.access_token().await.unwrap();
    client.start_meeting(start()).await.unwrap();
    assert_eq!(count(&sim, "app_auth"), 1);
    // Renewed a tenth of the lifetime before expiry (1.8 s).
    tokio::time::sleep(Duration::from_millis(1900)).await;
    client.start_meeting(start()).await.unwrap();
    assert_eq!(count(&sim, "app_auth"), 2);
    assert_ne!(client.access_token().await.unwrap(), first);
    // No start_meeting was rejected on the way.
    assert!(
        sim.requests()
            .iter()
            .filter(|r| r.operation.as_deref() == Some("start_meeting"))
            .all(|r| r.status == Some(200))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_access_token_is_renewed_and_the_call_retried_once() {
    let sim = sim().await;
    let client = common::client(&sim);
    client.start_meeting(start()).await.unwrap();
    assert!(sim.expire_tokens() >= 1);
    let reply = client.execute(start()).await.unwrap();
    assert_eq!(reply.attempts, 2);
    assert_eq!(count(&sim, "app_auth"), 2);
    let statuses: Vec<_> = sim
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("start_meeting"))
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [Some(200), Some(401), Some(200)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_rejected_twice_is_reported() {
    let sim = sim().await;
    let client = common::client(&sim);
    client.access_token().await.unwrap();
    // Every start_meeting answers 401 with the token-rejected code.
    let fault = hwmeeting_sim::Fault::Status {
        status: 401,
        body: Some(serde_json::json!({
            "error_code": "USG.000000004",
            "error_msg": "token expired",
            "request_id": "rid-401"
        })),
        headers: Default::default(),
    };
    sim.push_fault(
        hwmeeting_sim::FaultRule::new("/v1/mmc/management/conferences/start", fault).count(5),
    )
    .unwrap();
    let err = client.start_meeting(start()).await.unwrap_err();
    match &err {
        Error::Api { source, .. } => {
            assert_eq!(source.status, 401);
            assert!(source.is_token_rejected());
        }
        other => panic!("{other:?}"),
    }
    // The call and its one retry with a fresh token.
    assert_eq!(count(&sim, "start_meeting"), 2);
    assert_eq!(count(&sim, "app_auth"), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn invalidate_access_token_forces_a_new_login() {
    let sim = sim().await;
    let client = common::client(&sim);
    let first = client.access_token().await.unwrap();
    client.invalidate_access_token();
    let second = client.access_token().await.unwrap();
    assert_ne!(first, second);
    assert_eq!(count(&sim, "app_auth"), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_control_token_is_obtained_once_and_reused() {
    let sim = sim().await;
    let client = common::client(&sim);
    let meeting = common::started(&client).await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..200 {
        let meeting = meeting.clone();
        tasks.spawn(async move { meeting.set_role(relinquish()).await });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    // Through the client, with the registered handle: the same token.
    client
        .set_role(relinquish().conference_id(DEMO_CONFERENCE_ID))
        .await
        .unwrap();
    assert_eq!(count(&sim, "create_conf_token"), 1);
    assert_eq!(count(&sim, "set_role"), 201);
    let token_request = sim
        .requests()
        .into_iter()
        .find(|r| r.operation.as_deref() == Some("create_conf_token"))
        .unwrap();
    assert!(token_request.headers.contains_key("x-password"));
    assert!(
        !token_request
            .headers
            .contains_key("x-conference-authorization")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_control_token_is_renewed_near_expiry_with_the_live_token() {
    let sim = sim_with(SimConfig::default().conf_token_ttl(Duration::from_secs(5))).await;
    let client = common::client(&sim);
    let meeting = common::started(&client).await;
    let first = meeting.control_token().await.unwrap();
    meeting.set_role(relinquish()).await.unwrap();
    // Due for renewal at 4.5 s (a tenth before expiry), still alive.
    tokio::time::sleep(Duration::from_millis(4600)).await;
    meeting.set_role(relinquish()).await.unwrap();
    let renewals: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.operation.as_deref() == Some("create_conf_token"))
        .collect();
    assert_eq!(renewals.len(), 2);
    assert!(
        renewals[1]
            .headers
            .contains_key("x-conference-authorization"),
        "the renewal passes the live token: {:?}",
        renewals[1].headers
    );
    assert_eq!(renewals[1].status, Some(200));
    // The service keeps the same token alive.
    assert_eq!(meeting.control_token().await.unwrap(), first);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_control_token_is_replaced_with_the_password() {
    let sim = sim_with(SimConfig::default().conf_token_ttl(Duration::from_millis(1500))).await;
    let client = common::client(&sim);
    let meeting = common::started(&client).await;
    let first = meeting.control_token().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1700)).await;
    meeting.set_role(relinquish()).await.unwrap();
    let second = meeting.control_token().await.unwrap();
    assert_ne!(first, second);
    let renewals: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.operation.as_deref() == Some("create_conf_token"))
        .collect();
    assert_eq!(renewals.len(), 2);
    assert!(
        !renewals[1]
            .headers
            .contains_key("x-conference-authorization")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_control_token_is_renewed_and_the_call_retried_once() {
    let sim = sim().await;
    let client = common::client(&sim);
    let meeting = common::started(&client).await;
    meeting.set_role(relinquish()).await.unwrap();
    sim.expire_tokens();
    let reply = meeting.execute(relinquish()).await.unwrap();
    assert_eq!(reply.attempts, 2);
    assert_eq!(count(&sim, "create_conf_token"), 2);
    assert_eq!(count(&sim, "set_role"), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn conference_with_token_uses_the_callers_token() {
    let sim = sim().await;
    let client = common::client(&sim);
    common::started(&client).await;
    // A token obtained elsewhere (here: by another client).
    let other = common::client(&sim);
    let token = other
        .conference(DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD)
        .control_token()
        .await
        .unwrap();
    sim.clear_requests();

    let fresh_client = common::client(&sim);
    let meeting = fresh_client.conference_with_token(DEMO_CONFERENCE_ID, token.clone());
    assert_eq!(meeting.control_token().await.unwrap(), token);
    meeting.set_role(relinquish()).await.unwrap();
    fresh_client
        .set_role(relinquish().conference_id(DEMO_CONFERENCE_ID))
        .await
        .unwrap();
    assert_eq!(count(&sim, "set_role"), 2);
    assert_eq!(count(&sim, "create_conf_token"), 0);
    // Control calls need no access token: no login either.
    assert_eq!(count(&sim, "app_auth"), 0);

    // Without a host password it cannot be renewed: a rejection is final.
    sim.expire_tokens();
    let err = meeting.set_role(relinquish()).await.unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
    assert_eq!(count(&sim, "create_conf_token"), 0);
    assert_eq!(count(&sim, "set_role"), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_control_token_request_is_reported() {
    let sim = sim().await;
    let client = common::builder(&sim)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    common::started(&client).await;
    let meeting = client.conference(DEMO_CONFERENCE_ID, "not-the-password");
    let err = meeting.set_role(relinquish()).await.unwrap_err();
    assert_eq!(err.operation(), Some("create_conf_token"));
    assert_eq!(err.status(), Some(403));
    assert!(!err.to_string().contains("not-the-password"));
    assert_eq!(count(&sim, "set_role"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn conference_with_token_is_renewed_when_the_password_is_known() {
    let sim = sim().await;
    let client = common::client(&sim);
    let meeting = common::started(&client).await;
    let token = meeting.control_token().await.unwrap();
    sim.clear_requests();
    // The password is known from the handle registered for this meeting.
    let with_token = client.conference_with_token(DEMO_CONFERENCE_ID, token);
    with_token.set_role(relinquish()).await.unwrap();
    assert_eq!(count(&sim, "create_conf_token"), 0);
    sim.expire_tokens();
    let reply = with_token.execute(relinquish()).await.unwrap();
    assert_eq!(reply.attempts, 2);
    assert_eq!(count(&sim, "create_conf_token"), 1);
}

/// A login whose task is dropped (cancelled) midway releases the tasks
/// waiting on it with an error of its own, instead of leaving them waiting
/// for ever; the next call logs in afresh.
#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_login_releases_its_waiters() {
    use hwmeeting_async::model::AppAuthRequest;
    use hwmeeting_sim::{Fault, FaultRule};

    let sim = sim().await;
    let client = common::client(&sim);
    sim.push_fault(
        FaultRule::new(AppAuthRequest::META.path, Fault::DelayHeaders { ms: 1_000 }).count(1),
    )
    .unwrap();
    let fetcher = {
        let client = client.clone();
        tokio::spawn(async move { client.access_token().await })
    };
    // Let the first task start the login, then queue a second behind it.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let waiter = {
        let client = client.clone();
        tokio::spawn(async move { client.access_token().await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    fetcher.abort();
    let err = tokio::time::timeout(Duration::from_secs(5), waiter)
        .await
        .expect("the waiter is released")
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, Error::TokenFetchAbandoned { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "app_auth: the access token another call was obtaining was abandoned (that call panicked or was cancelled); try again"
    );
    // The next call fetches again.
    client.access_token().await.unwrap();
}
