//! `delete_token` (log out): never renewed on a 401, and the cached access
//! token is dropped once it succeeds.

mod common;

use hwmeeting_async::model::{DeleteTokenRequest, StartMeetingRequest};
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
