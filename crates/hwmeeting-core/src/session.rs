//! The calls around every other call: logging in and getting a meeting
//! control token. Both transports use these so they behave the same.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::auth::{Credential, Credentials};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::meta::OperationMeta;
use crate::model::{
    AccountAuthRequest, AppAuthRequest, CreateConfTokenRequest, CreateConfTokenResponse,
};
use crate::operation::{Operation, Prepared};
use crate::request::HttpRequest;
use crate::secret::Secret;
use crate::token::{CachedToken, access_token_lifetime, conference_token_lifetime};
use crate::wire::WireRequest;

/// How long an App ID login signature stays valid after it is made.
pub const SIGNATURE_VALIDITY_SECS: i64 = 300;

/// The login call for a set of credentials.
#[derive(Clone, Debug, PartialEq)]
pub enum LoginRequest {
    /// App ID login (`app_auth`).
    App(AppAuthRequest),
    /// Account login (`account_auth`).
    Account(AccountAuthRequest),
}

impl LoginRequest {
    /// The login call for `credentials`, signed to expire a few minutes
    /// after `now`; `None` for a ready access token, which needs no login.
    /// `nonce` must be 32 to 64 characters ([`nonce`] makes one).
    pub fn new(credentials: &Credentials, now: SystemTime, nonce: String) -> Option<LoginRequest> {
        match credentials {
            Credentials::AppId(app) => {
                let now_secs = now
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_secs() as i64)
                    .unwrap_or(0);
                let mut request = AppAuthRequest::new(
                    app.app_id.clone(),
                    now_secs + SIGNATURE_VALIDITY_SECS,
                    nonce,
                );
                if let Some(user) = &app.user_id {
                    request = request.user_id(user.clone());
                }
                if let Some(corp) = &app.corp_id {
                    request = request.corp_id(corp.clone());
                }
                Some(LoginRequest::App(request))
            }
            Credentials::Account { account, .. } => Some(LoginRequest::Account(
                AccountAuthRequest::new(account.clone()),
            )),
            Credentials::AccessToken(_) => None,
        }
    }
}

/// The login call as one operation whose every attempt is signed afresh:
/// a new nonce and a new signature expiry each time it is built, so a
/// retried login (after a refused connection or a 429) never replays a
/// nonce the service has seen.
#[derive(Clone, Debug)]
pub struct Login {
    credentials: Credentials,
    random: fn() -> [u8; 16],
}

impl Login {
    /// The login of `credentials` (App ID or account); `random` gives 16
    /// random bytes for each nonce. `None` for a ready access token.
    pub fn new(credentials: Credentials, random: fn() -> [u8; 16]) -> Option<Login> {
        match credentials {
            Credentials::AccessToken(_) => None,
            credentials => Some(Login {
                credentials,
                random,
            }),
        }
    }

    /// The credential the login is signed with.
    pub fn credential(&self) -> Credential<'_> {
        login_credential(&self.credentials)
    }

    fn request(&self) -> Option<LoginRequest> {
        LoginRequest::new(&self.credentials, SystemTime::now(), nonce((self.random)()))
    }
}

/// The part of a login answer a client keeps: the token and its lifetime.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoginAnswer {
    /// The access token.
    #[serde(rename = "accessToken")]
    pub access_token: Secret,
    /// Seconds it stays valid.
    #[serde(
        rename = "validPeriod",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub valid_period: Option<i64>,
    /// When it expires, in Unix seconds.
    #[serde(
        rename = "expireTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub expire_time: Option<i64>,
}

impl LoginAnswer {
    /// The token to cache, with its renewal time.
    pub fn into_cached(self, now: SystemTime, now_instant: Instant) -> CachedToken {
        let lifetime = access_token_lifetime(self.valid_period, self.expire_time, now);
        CachedToken::new(self.access_token, lifetime, now_instant)
    }
}

impl Operation for Login {
    type Output = LoginAnswer;

    fn meta(&self) -> &'static OperationMeta {
        match self.credentials {
            Credentials::Account { .. } => AccountAuthRequest::META,
            _ => AppAuthRequest::META,
        }
    }

    fn to_wire(&self) -> WireRequest {
        match self.request() {
            Some(LoginRequest::App(request)) => request.to_wire(),
            Some(LoginRequest::Account(request)) => request.to_wire(),
            None => WireRequest::new(),
        }
    }

    /// Every attempt is signed afresh: a new nonce and expiry, never the
    /// prepared ones.
    fn attempt_request(
        &self,
        _prepared: &Prepared,
        endpoint: &Endpoint,
        credential: Credential<'_>,
    ) -> Result<HttpRequest, Error> {
        self.prepare()?.request(endpoint, credential)
    }
}

/// The token to cache after a successful `update_token` (the operation
/// that extends the life of the access token it carries), read from its
/// answer: the token and its new lifetime. `None` for any other operation,
/// or an answer without a token.
pub fn refreshed_access_token<T: Serialize>(
    meta: &OperationMeta,
    output: &T,
    now: SystemTime,
    now_instant: Instant,
) -> Option<CachedToken> {
    if meta.id != "update_token" {
        return None;
    }
    let answer: LoginAnswer = serde_json::to_value(output)
        .ok()
        .and_then(|value| serde_json::from_value(value).ok())?;
    if answer.access_token.is_empty() {
        return None;
    }
    Some(answer.into_cached(now, now_instant))
}

/// A nonce for the App ID login: 32 lower-case hex characters from 16
/// random bytes.
pub fn nonce(random: [u8; 16]) -> String {
    random.iter().map(|b| format!("{b:02x}")).collect()
}

/// The credential a login call is signed with.
pub fn login_credential(credentials: &Credentials) -> Credential<'_> {
    match credentials {
        Credentials::AppId(app) => Credential::AppKey(&app.app_key),
        Credentials::Account { password, .. } => Credential::Password(password),
        Credentials::AccessToken(_) => Credential::None,
    }
}

/// The `create_conf_token` call for a meeting: the host password, and the
/// live token when there is one, so the service extends it.
pub fn conference_token_request(
    conference_id: &str,
    host_password: &Secret,
    live_token: Option<&Secret>,
) -> CreateConfTokenRequest {
    let mut request =
        CreateConfTokenRequest::new(host_password.clone()).conference_id(conference_id);
    if let Some(token) = live_token {
        request = request.conference_authorization(token.clone());
    }
    request
}

/// The cached control token of a `create_conf_token` answer.
pub fn conference_token_from(
    response: CreateConfTokenResponse,
    now: SystemTime,
    now_instant: Instant,
) -> CachedToken {
    let lifetime = conference_token_lifetime(response.data.expire_time, now);
    CachedToken::new(response.data.token.clone(), lifetime, now_instant)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Operation;
    use crate::endpoint::Endpoint;

    #[test]
    fn app_login_is_signed_with_the_key() {
        let creds = Credentials::AppId(crate::AppIdCredentials::new("app", "key").user_id("alice"));
        let now = UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let Some(LoginRequest::App(req)) = LoginRequest::new(&creds, now, nonce([7; 16])) else {
            panic!("app login expected")
        };
        let http = req
            .to_http(&Endpoint::default(), login_credential(&creds))
            .unwrap();
        let expected = crate::auth::app_auth_header(
            "app",
            None,
            Some("alice"),
            1_700_000_300,
            &"07".repeat(16),
            &Secret::new("key"),
        );
        assert_eq!(http.headers()["authorization"], expected.expose());
        let body: serde_json::Value = serde_json::from_slice(http.body()).unwrap();
        assert_eq!(body["clientType"], 72);
        assert_eq!(body["expireTime"], 1_700_000_300);
    }

    #[test]
    fn account_login_uses_basic() {
        let creds = Credentials::account("alice@example.com", "p4ssw0rd!");
        let Some(LoginRequest::Account(req)) =
            LoginRequest::new(&creds, SystemTime::now(), nonce([0; 16]))
        else {
            panic!()
        };
        let http = req
            .to_http(&Endpoint::default(), login_credential(&creds))
            .unwrap();
        assert_eq!(
            http.headers()["authorization"],
            "Basic YWxpY2VAZXhhbXBsZS5jb206cDRzc3cwcmQh"
        );
    }

    #[test]
    fn every_login_attempt_has_a_fresh_nonce() {
        let creds = Credentials::app_id("app", "key");
        let login = Login::new(creds, rand_like).unwrap();
        let a = login
            .to_http(&Endpoint::default(), login.credential())
            .unwrap();
        let b = login
            .to_http(&Endpoint::default(), login.credential())
            .unwrap();
        let nonce = |r: &http::Request<Vec<u8>>| {
            serde_json::from_slice::<serde_json::Value>(r.body()).unwrap()["nonce"].clone()
        };
        assert_ne!(nonce(&a), nonce(&b));
        assert_ne!(a.headers()["authorization"], b.headers()["authorization"]);
        // Transports prepare a call once and build each attempt from it; a
        // login still signs every attempt afresh.
        let prepared = login.prepare().unwrap();
        let attempt = || {
            login
                .attempt_request(&prepared, &Endpoint::default(), login.credential())
                .unwrap()
        };
        let (c, d) = (attempt(), attempt());
        let nonce_of = |r: &HttpRequest| {
            serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["nonce"].clone()
        };
        assert_ne!(nonce_of(&c), nonce_of(&d));
        assert_ne!(nonce_of(&c), prepared.wire().unwrap().body["nonce"]);
        assert_ne!(c.headers["authorization"], d.headers["authorization"]);
        assert!(Login::new(Credentials::access_token("t"), rand_like).is_none());
        let answer = login
            .decode(
                200,
                &http::HeaderMap::new(),
                br#"{"accessToken":"tok","validPeriod":60,"user":{}}"#,
            )
            .unwrap();
        assert_eq!(answer.valid_period, Some(60));
    }

    fn rand_like() -> [u8; 16] {
        use std::sync::atomic::{AtomicU8, Ordering};
        static N: AtomicU8 = AtomicU8::new(0);
        [N.fetch_add(1, Ordering::Relaxed); 16]
    }

    #[test]
    fn an_update_token_answer_is_the_token_to_cache() {
        use crate::model::{UpdateTokenRequest, UpdateTokenResponse};
        let now = UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let at = Instant::now();
        let answer: UpdateTokenResponse = serde_json::from_str(
            r#"{"accessToken":"renewed","validPeriod":3600,"expireTime":1700003600}"#,
        )
        .unwrap();
        let cached = refreshed_access_token(UpdateTokenRequest::META, &answer, now, at).unwrap();
        assert_eq!(cached.token.expose(), "renewed");
        assert!(cached.is_fresh(at + std::time::Duration::from_secs(3000)));
        // Not for other operations, nor for an answer without a token.
        assert!(refreshed_access_token(AppAuthRequest::META, &answer, now, at).is_none());
        let empty: UpdateTokenResponse = serde_json::from_str("{}").unwrap();
        assert!(refreshed_access_token(UpdateTokenRequest::META, &empty, now, at).is_none());
    }

    #[test]
    fn access_token_credentials_need_no_login() {
        assert!(
            LoginRequest::new(
                &Credentials::access_token("t"),
                SystemTime::now(),
                nonce([0; 16])
            )
            .is_none()
        );
    }

    #[test]
    fn conference_token_request_carries_password_and_live_token() {
        let req = conference_token_request(
            "914083136",
            &Secret::new("host-pw"),
            Some(&Secret::new("live")),
        );
        let http = req.to_http(&Endpoint::default(), Credential::None).unwrap();
        assert_eq!(http.uri().query(), Some("conferenceID=914083136"));
        assert_eq!(http.headers()["x-password"], "host-pw");
        assert_eq!(http.headers()["x-login-type"], "1");
        assert_eq!(http.headers()["x-conference-authorization"], "live");
    }
}
