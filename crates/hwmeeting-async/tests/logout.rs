//! `delete_token` (log out): never renewed on a 401, and the cached access
//! token is dropped once it succeeds. `update_token` (extend the token's
//! life): the client keeps the token for its new lifetime.

mod common;

use std::time::Duration;

use hwmeeting_async::model::{DeleteTokenRequest, StartMeetingRequest, UpdateTokenRequest};
use hwmeeting_sim::{DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD};

use common::{count, sim};

#[tokio::test(flavor = "multi_thread")]
async fn a_logout_drops_the_cached_token() {
    let sim = sim().await;
    let client = common::client(&sim);
    let first = client.access_token().await.unwrap();
    client
        .delete_token(DeleteTokenRequest::new())
        .await
        .unwrap();
    assert_eq!(count(&sim, "app_auth"), 1);
    // The next call logs in again instead of sending the revoked token.
    client
        .send(StartMeetingRequest::new(
            DEMO_CONFERENCE_ID,
            DEMO_HOST_PASSWORD,
        ))
        .await
        .unwrap();
    assert_eq!(count(&sim, "app_auth"), 2);
    assert_ne!(client.access_token().await.unwrap(), first);
    assert!(
        sim.requests().iter().all(|r| r.status != Some(401)),
        "no call was sent with the revoked token"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_logout_is_not_renewed() {
    let sim = sim().await;
    let client = common::client(&sim);
    client.access_token().await.unwrap();
    sim.expire_tokens();
    let error = client
        .delete_token(DeleteTokenRequest::new())
        .await
        .unwrap_err();
    assert_eq!(error.api_error().map(|e| e.status), Some(401), "{error}");
    // No second login only to log that token out.
    assert_eq!(count(&sim, "app_auth"), 1);
    assert_eq!(count(&sim, "delete_token"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_extended_token_is_kept_for_its_new_lifetime() {
    let sim = sim().await;
    // Logins hand out tokens that the client renews after 1.8 s...
    sim.set_token_lifetimes(Some(Duration::from_secs(2)), None);
    let client = common::client(&sim);
    let token = client.access_token().await.unwrap();
    // ...but update_token extends this one to an hour.
    sim.set_token_lifetimes(Some(Duration::from_secs(3600)), None);
    let answer = client
        .update_token(UpdateTokenRequest::new())
        .await
        .unwrap();
    assert_eq!(answer.valid_period, Some(3600));
    tokio::time::sleep(Duration::from_millis(2100)).await;
    client
        .send(StartMeetingRequest::new(
            DEMO_CONFERENCE_ID,
            DEMO_HOST_PASSWORD,
        ))
        .await
        .unwrap();
    assert_eq!(client.access_token().await.unwrap(), token);
    assert_eq!(count(&sim, "app_auth"), 1, "no second login");
}
