//! The calls around every other call: logging in and getting a meeting
//! control token. The engine makes them on its own, so they are built here
//! from the operations' spec (found in the operation table by their
//! [`SessionRole`]), and their answers are read into the few fields a
//! client keeps: the runtime names no generated type.

use std::fmt;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::ser::SerializeStruct as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::auth::{Credential, Credentials};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::lenient;
use crate::meta::{Location, OperationMeta, SessionRole};
use crate::operation::{Operation, Prepared};
use crate::request::HttpRequest;
use crate::secret::Secret;
use crate::token::{CachedToken, access_token_lifetime, conference_token_lifetime};
use crate::wire::WireRequest;

/// How long an App ID login signature stays valid after it is made.
pub const SIGNATURE_VALIDITY_SECS: i64 = 300;

/// The operations a session makes on its own, from an operation table.
#[derive(Clone, Copy, Debug)]
pub struct SessionOperations {
    app_login: &'static OperationMeta,
    account_login: &'static OperationMeta,
    control_token: &'static OperationMeta,
}

impl SessionOperations {
    /// Finds them in `table` by their spec role: the logins signed with an
    /// app key and with an account password, and the control-token call.
    pub fn find(table: &[&'static OperationMeta]) -> Result<Self, Error> {
        let with = |role: SessionRole, auth: &str, what: &str| {
            table
                .iter()
                .copied()
                .find(|op| op.role == role && (auth.is_empty() || op.auth.kind() == auth))
                .ok_or_else(|| {
                    Error::Config(format!(
                        "the operation table has no {what}: regenerate it from a spec/ that has one"
                    ))
                })
        };
        Ok(SessionOperations {
            app_login: with(SessionRole::Login, "app_signature", "App ID login")?,
            account_login: with(SessionRole::Login, "basic", "account login")?,
            control_token: with(SessionRole::ControlToken, "", "control-token call")?,
        })
    }

    /// The control-token call.
    pub fn control_token(&self) -> &'static OperationMeta {
        self.control_token
    }

    /// The login operation for `credentials`.
    pub fn login(&self, credentials: &Credentials) -> &'static OperationMeta {
        match credentials {
            Credentials::Account { .. } => self.account_login,
            _ => self.app_login,
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
    meta: &'static OperationMeta,
}

impl Login {
    /// The login of `credentials` (App ID or account), with the login
    /// operation of `operations`; `random` gives 16 random bytes for each
    /// nonce. `None` for a ready access token.
    pub fn new(
        credentials: Credentials,
        random: fn() -> [u8; 16],
        operations: &SessionOperations,
    ) -> Option<Login> {
        match credentials {
            Credentials::AccessToken(_) => None,
            credentials => Some(Login {
                meta: operations.login(&credentials),
                credentials,
                random,
            }),
        }
    }

    /// The credential the login is signed with.
    pub fn credential(&self) -> Credential<'_> {
        login_credential(&self.credentials)
    }

    /// The parameters of one attempt, signed to expire a few minutes after
    /// `now` with `nonce` (32 to 64 characters, see [`nonce`]).
    pub fn wire_at(&self, now: SystemTime, nonce: String) -> WireRequest {
        let mut wire = WireRequest::new();
        match &self.credentials {
            Credentials::AppId(app) => {
                let now_secs = now
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_secs() as i64)
                    .unwrap_or(0);
                wire.set(Location::Body, "appId", &app.app_id);
                wire.set(
                    Location::Body,
                    "expireTime",
                    &(now_secs + SIGNATURE_VALIDITY_SECS),
                );
                wire.set(Location::Body, "nonce", &nonce);
                wire.set(Location::Body, "userId", &app.user_id);
                wire.set(Location::Body, "corpId", &app.corp_id);
            }
            Credentials::Account { account, .. } => {
                wire.set(Location::Body, "account", account);
            }
            Credentials::AccessToken(_) => {}
        }
        wire
    }
}

/// The part of a login answer a client keeps: the token and its lifetime.
///
/// Its serde impls are written out (as the generated models' are), so
/// that no build of the SDK compiles `serde_derive`.
#[derive(Clone, Debug, PartialEq)]
pub struct LoginAnswer {
    /// The access token (`accessToken`).
    pub access_token: Secret,
    /// Seconds it stays valid (`validPeriod`; a number or a numeric
    /// string, anything else absent).
    pub valid_period: Option<i64>,
    /// When it expires, in Unix seconds (`expireTime`, read as
    /// `validPeriod`).
    pub expire_time: Option<i64>,
}

impl Serialize for LoginAnswer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len =
            1 + usize::from(self.valid_period.is_some()) + usize::from(self.expire_time.is_some());
        let mut object = serializer.serialize_struct("LoginAnswer", len)?;
        object.serialize_field("accessToken", &self.access_token)?;
        if let Some(value) = &self.valid_period {
            object.serialize_field("validPeriod", value)?;
        }
        if let Some(value) = &self.expire_time {
            object.serialize_field("expireTime", value)?;
        }
        object.end()
    }
}

impl<'de> Deserialize<'de> for LoginAnswer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut object = lenient::object(deserializer)?;
        Ok(LoginAnswer {
            access_token: object.exact("accessToken")?,
            valid_period: loose_i64(object.take("validPeriod")),
            expire_time: loose_i64(object.take("expireTime")),
        })
    }
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
        self.meta
    }

    fn to_wire(&self) -> WireRequest {
        self.wire_at(SystemTime::now(), nonce((self.random)()))
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

/// The token to cache after a successful call of an operation that
/// extends the life of the access token it carries (`update_token`), read
/// from its answer. `None` for any other operation, or an answer without a
/// token.
pub fn refreshed_access_token(
    meta: &OperationMeta,
    body: &[u8],
    now: SystemTime,
    now_instant: Instant,
) -> Option<CachedToken> {
    if meta.role != SessionRole::ExtendsAccessToken {
        return None;
    }
    let answer: LoginAnswer = serde_json::from_slice(body).ok()?;
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

/// The control-token call (`create_conf_token`) of a meeting: the host
/// password, and the live token when there is one, so the service extends
/// it.
#[derive(Clone)]
pub struct ControlTokenRequest {
    meta: &'static OperationMeta,
    conference_id: String,
    host_password: Secret,
    live_token: Option<Secret>,
}

impl ControlTokenRequest {
    /// The call for meeting `conference_id`, with the control-token
    /// operation of `operations`.
    pub fn new(
        operations: &SessionOperations,
        conference_id: &str,
        host_password: &Secret,
        live_token: Option<&Secret>,
    ) -> Self {
        ControlTokenRequest {
            meta: operations.control_token,
            conference_id: conference_id.to_owned(),
            host_password: host_password.clone(),
            live_token: live_token.cloned(),
        }
    }
}

impl fmt::Debug for ControlTokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ControlTokenRequest")
            .field("conference_id", &self.conference_id)
            .field("host_password", &self.host_password)
            .field("live_token", &self.live_token)
            .finish()
    }
}

impl Operation for ControlTokenRequest {
    type Output = ControlTokenAnswer;

    fn meta(&self) -> &'static OperationMeta {
        self.meta
    }

    fn to_wire(&self) -> WireRequest {
        let mut wire = WireRequest::new();
        wire.set(Location::Query, "conferenceID", &self.conference_id);
        wire.set(Location::Header, "X-Password", &self.host_password);
        wire.set(
            Location::Header,
            "X-Conference-Authorization",
            &self.live_token,
        );
        wire
    }

    fn target_conference_id(&self) -> Option<&str> {
        Some(&self.conference_id)
    }
}

/// The part of a control-token answer a client keeps.
#[derive(Clone, Debug, PartialEq)]
pub struct ControlTokenAnswer {
    /// The token and its expiry (`data`).
    pub data: ControlTokenData,
}

/// The `data` object of a control-token answer.
#[derive(Clone, Debug, PartialEq)]
pub struct ControlTokenData {
    /// The meeting control token (`token`).
    pub token: Secret,
    /// When it expires, in Unix milliseconds (`expireTime`; a number or a
    /// numeric string, anything else absent).
    pub expire_time: Option<i64>,
    /// `wsURL`: where the meeting control WebSocket is (the meeting handle
    /// keeps it for the WebSocket client); anything but a non-blank string
    /// is absent.
    pub ws_url: Option<String>,
}

impl Serialize for ControlTokenAnswer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_struct("ControlTokenAnswer", 1)?;
        object.serialize_field("data", &self.data)?;
        object.end()
    }
}

impl<'de> Deserialize<'de> for ControlTokenAnswer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut object = lenient::object(deserializer)?;
        Ok(ControlTokenAnswer {
            data: object.exact("data")?,
        })
    }
}

impl Serialize for ControlTokenData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = 1 + usize::from(self.expire_time.is_some()) + usize::from(self.ws_url.is_some());
        let mut object = serializer.serialize_struct("ControlTokenData", len)?;
        object.serialize_field("token", &self.token)?;
        if let Some(value) = &self.expire_time {
            object.serialize_field("expireTime", value)?;
        }
        if let Some(value) = &self.ws_url {
            object.serialize_field("wsURL", value)?;
        }
        object.end()
    }
}

impl<'de> Deserialize<'de> for ControlTokenData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut object = lenient::object(deserializer)?;
        Ok(ControlTokenData {
            token: object.exact("token")?,
            expire_time: loose_i64(object.take("expireTime")),
            ws_url: loose_string(object.take("wsURL")),
        })
    }
}

impl ControlTokenAnswer {
    /// The token to cache, with its renewal time.
    pub fn into_cached(self, now: SystemTime, now_instant: Instant) -> CachedToken {
        let lifetime = conference_token_lifetime(self.data.expire_time, now);
        CachedToken::new(self.data.token, lifetime, now_instant)
    }
}

/// A string; anything else counts as absent (it must not fail the token).
fn loose_string(value: Option<Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s),
        _ => None,
    }
}

/// A number or a numeric string; anything else counts as absent.
fn loose_i64(value: Option<Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod ws_url_tests {
    use super::ControlTokenAnswer;

    #[test]
    fn the_control_token_answer_keeps_ws_url_and_never_fails_on_it() {
        let read = |ws: &str| -> ControlTokenAnswer {
            serde_json::from_str(&format!(
                r#"{{"data":{{"token":"stb1","expireTime":"1700000000000","wsURL":{ws}}}}}"#
            ))
            .unwrap()
        };
        assert_eq!(
            read(r#""wss://100.94.23.40""#).data.ws_url.as_deref(),
            Some("wss://100.94.23.40")
        );
        // Any other shape is absent: the token still reads.
        for other in ["null", "7", r#"" ""#, "[]"] {
            let answer = read(other);
            assert_eq!(answer.data.ws_url, None, "{other}");
            assert_eq!(answer.data.token.expose(), "stb1");
        }
    }
}
