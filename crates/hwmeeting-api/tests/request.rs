//! Building HTTP requests from generated operations.

use hwmeeting_api::model::{ApplyChair, CreateConfTokenRequest, SetRoleRequest};
use hwmeeting_core::auth::Credential;
use hwmeeting_core::endpoint::Endpoint;
use hwmeeting_core::operation::Operation;
use hwmeeting_core::secret::Secret;

#[test]
fn attempts_from_a_prepared_call_are_the_request_to_http_builds() {
    let token = Secret::new("control-token-sentinel");
    let request = SetRoleRequest::new("p 1/&x", ApplyChair::Apply)
        .conference_id("914083136")
        .chairman_pwd("pw-sentinel");
    let prepared = request.prepare().unwrap();
    let endpoint = Endpoint::default();
    let attempt = request
        .attempt_request(&prepared, &endpoint, Credential::ConferenceToken(&token))
        .unwrap();
    assert_eq!(
        attempt.url,
        "https://api.meeting.huaweicloud.com/v1/mmc/control/conferences/participants/role?conferenceID=914083136&participantID=p%201%2F%26x"
    );
    assert_eq!(
        attempt.body,
        br#"{"applyChair":1,"chairmanPwd":"pw-sentinel"}"#
    );
    let http = request
        .to_http(&endpoint, Credential::ConferenceToken(&token))
        .unwrap();
    let again = attempt.clone().into_http().unwrap();
    assert_eq!(http.method(), again.method());
    assert_eq!(http.uri(), again.uri());
    assert_eq!(http.headers(), again.headers());
    assert_eq!(http.body(), again.body());
    assert_eq!(
        http.headers()["x-conference-authorization"],
        "control-token-sentinel"
    );
    // Its Debug shows neither the token nor the query nor the body.
    let shown = format!("{attempt:?}");
    assert!(shown.contains("/participants/role?…"), "{shown}");
    for hidden in ["control-token-sentinel", "pw-sentinel", "914083136"] {
        assert!(!shown.contains(hidden), "{shown}");
    }
    let shown = format!("{prepared:?}");
    assert!(shown.contains("set_role"), "{shown}");
    assert!(!shown.contains("pw-sentinel"), "{shown}");
}

#[test]
fn credential_and_secret_headers_are_sensitive() {
    let token = Secret::new("control-token-sentinel");
    let request = SetRoleRequest::new("p1", ApplyChair::Relinquish)
        .conference_id("1")
        .to_http(&Endpoint::default(), Credential::ConferenceToken(&token))
        .unwrap();
    assert!(request.headers()["x-conference-authorization"].is_sensitive());
    assert!(!format!("{request:?}").contains("control-token-sentinel"));

    let request = CreateConfTokenRequest::new("host-pw-sentinel")
        .conference_id("1")
        .conference_authorization("live-token-sentinel")
        .to_http(&Endpoint::default(), Credential::None)
        .unwrap();
    let shown = format!("{request:?}");
    assert!(!shown.contains("host-pw-sentinel"), "{shown}");
    assert!(!shown.contains("live-token-sentinel"), "{shown}");
    // What is not secret stays readable.
    assert!(!request.headers()["x-login-type"].is_sensitive());
    assert_eq!(request.headers()["x-password"], "host-pw-sentinel");
}
