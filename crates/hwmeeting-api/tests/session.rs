//! The calls the engine makes on its own, built from the operation table:
//! the logins and the control-token call.

use std::time::{Instant, UNIX_EPOCH};

use hwmeeting_api::OPERATIONS;
use hwmeeting_api::model::UpdateTokenRequest;
use hwmeeting_core::session::{
    ControlTokenRequest, Login, SessionOperations, login_credential, nonce, refreshed_access_token,
};
use hwmeeting_core::{Credential, Credentials, Endpoint, HttpRequest, Operation, Secret};

fn operations() -> SessionOperations {
    SessionOperations::find(OPERATIONS).unwrap()
}

fn counter() -> [u8; 16] {
    use std::sync::atomic::{AtomicU8, Ordering};
    static N: AtomicU8 = AtomicU8::new(0);
    [N.fetch_add(1, Ordering::Relaxed); 16]
}

#[test]
fn the_session_operations_are_found_by_their_role() {
    let ops = operations();
    assert_eq!(ops.login(&Credentials::app_id("a", "k")).id, "app_auth");
    assert_eq!(
        ops.login(&Credentials::account("a", "p")).id,
        "account_auth"
    );
    let empty: &[&hwmeeting_core::OperationMeta] = &[];
    let err = SessionOperations::find(empty).unwrap_err();
    assert!(err.to_string().contains("no App ID login"), "{err}");
}

#[test]
fn app_login_is_signed_with_the_key() {
    let creds =
        Credentials::AppId(hwmeeting_core::AppIdCredentials::new("app", "key").user_id("alice"));
    let login = Login::new(creds.clone(), counter, &operations()).unwrap();
    let now = UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    let wire = login.wire_at(now, nonce([7; 16]));
    let prepared = hwmeeting_core::operation::prepare_wire(&FixedWire(&login, wire)).unwrap();
    let http = prepared_request(&login, &prepared, login_credential(&creds));
    let expected = hwmeeting_core::auth::app_auth_header(
        "app",
        None,
        Some("alice"),
        1_700_000_300,
        &"07".repeat(16),
        &Secret::new("key"),
    );
    assert_eq!(http.headers["authorization"], expected.expose());
    let body: serde_json::Value = serde_json::from_slice(&http.body).unwrap();
    assert_eq!(body["clientType"], 72, "the spec's default is filled in");
    assert_eq!(body["expireTime"], 1_700_000_300);
    assert_eq!(body["userId"], "alice");
    assert!(body.get("corpId").is_none());
}

/// `login` with a fixed wire form, to pin the signature.
struct FixedWire<'a>(&'a Login, hwmeeting_core::wire::WireRequest);

impl Operation for FixedWire<'_> {
    type Output = hwmeeting_core::session::LoginAnswer;
    fn meta(&self) -> &'static hwmeeting_core::OperationMeta {
        self.0.meta()
    }
    fn to_wire(&self) -> hwmeeting_core::wire::WireRequest {
        self.1.clone()
    }
}

fn prepared_request(
    login: &Login,
    prepared: &hwmeeting_core::Prepared,
    credential: Credential<'_>,
) -> HttpRequest {
    // The wire form's own request, as the engine builds it for any call.
    let op = FixedWire(login, prepared.wire().unwrap().clone());
    op.attempt_request(prepared, &Endpoint::default(), credential)
        .unwrap()
}

#[test]
fn account_login_uses_basic() {
    let creds = Credentials::account("alice@example.com", "p4ssw0rd!");
    let login = Login::new(creds.clone(), counter, &operations()).unwrap();
    let http = login
        .to_http(&Endpoint::default(), login_credential(&creds))
        .unwrap();
    assert_eq!(http.uri().path(), "/v1/usg/acs/auth/account");
    assert_eq!(
        http.headers()["authorization"],
        "Basic YWxpY2VAZXhhbXBsZS5jb206cDRzc3cwcmQh"
    );
    let body: serde_json::Value = serde_json::from_slice(http.body()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"account": "alice@example.com", "clientType": 72})
    );
}

#[test]
fn every_login_attempt_has_a_fresh_nonce() {
    let login = Login::new(Credentials::app_id("app", "key"), counter, &operations()).unwrap();
    let nonce_of = |r: &HttpRequest| {
        serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["nonce"].clone()
    };
    // Transports prepare a call once and build each attempt from it; a
    // login still signs every attempt afresh.
    let prepared = login.prepare().unwrap();
    let attempt = || {
        login
            .attempt_request(&prepared, &Endpoint::default(), login.credential())
            .unwrap()
    };
    let (c, d) = (attempt(), attempt());
    assert_ne!(nonce_of(&c), nonce_of(&d));
    assert_ne!(nonce_of(&c), prepared.wire().unwrap().body["nonce"]);
    assert_ne!(c.headers["authorization"], d.headers["authorization"]);
    assert!(Login::new(Credentials::access_token("t"), counter, &operations()).is_none());
    // The answer is read loosely: a lifetime written as a string counts.
    let answer = login
        .decode(
            200,
            &http::HeaderMap::new(),
            br#"{"accessToken":"tok","validPeriod":"60","user":{}}"#,
        )
        .unwrap();
    assert_eq!(answer.valid_period, Some(60));
}

#[test]
fn an_update_token_answer_is_the_token_to_cache() {
    let now = UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    let at = Instant::now();
    let answer = br#"{"accessToken":"renewed","validPeriod":3600,"expireTime":1700003600}"#;
    let cached = refreshed_access_token(UpdateTokenRequest::META, answer, now, at).unwrap();
    assert_eq!(cached.token.expose(), "renewed");
    assert!(cached.is_fresh(at + std::time::Duration::from_secs(3000)));
    // Not for other operations, nor for an answer without a token.
    let login = operations().login(&Credentials::app_id("a", "k"));
    assert!(refreshed_access_token(login, answer, now, at).is_none());
    assert!(refreshed_access_token(UpdateTokenRequest::META, b"{}", now, at).is_none());
    assert!(refreshed_access_token(UpdateTokenRequest::META, b"not json", now, at).is_none());
}

#[test]
fn the_control_token_call_carries_password_and_live_token() {
    let req = ControlTokenRequest::new(
        &operations(),
        "914083136",
        &Secret::new("host-pw"),
        Some(&Secret::new("live")),
    );
    assert!(!format!("{req:?}").contains("host-pw"));
    let http = req.to_http(&Endpoint::default(), Credential::None).unwrap();
    assert_eq!(http.uri().path(), "/v1/mmc/control/conferences/token");
    assert_eq!(http.uri().query(), Some("conferenceID=914083136"));
    assert_eq!(http.headers()["x-password"], "host-pw");
    assert_eq!(http.headers()["x-login-type"], "1");
    assert_eq!(http.headers()["x-conference-authorization"], "live");
    let without = ControlTokenRequest::new(&operations(), "1", &Secret::new("pw"), None);
    let http = without
        .to_http(&Endpoint::default(), Credential::None)
        .unwrap();
    assert!(http.headers().get("x-conference-authorization").is_none());
    let answer = req
        .decode(
            200,
            &http::HeaderMap::new(),
            br#"{"data":{"token":"ctl","expireTime":"1700000000000","role":1}}"#,
        )
        .unwrap();
    assert_eq!(answer.data.token.expose(), "ctl");
    assert_eq!(answer.data.expire_time, Some(1_700_000_000_000));
}
