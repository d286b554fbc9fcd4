//! Credentials and the two login signatures: the App ID HMAC and HTTP Basic.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::BuildError;
use crate::meta::{Auth, OperationMeta};
use crate::secret::Secret;
use crate::wire::WireRequest;

/// `clientType` of an API caller, as the login calls expect.
pub const CLIENT_TYPE_API: i64 = 72;

/// How the client logs in.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// An App ID and its key (app authentication).
    AppId(AppIdCredentials),
    /// An account and its password.
    Account {
        /// The account name.
        account: String,
        /// The password.
        password: Secret,
    },
    /// An access token obtained elsewhere; it is used until it is rejected.
    AccessToken(Secret),
}

impl Credentials {
    /// App ID credentials without user or corp id.
    pub fn app_id(app_id: impl Into<String>, app_key: impl Into<Secret>) -> Self {
        Credentials::AppId(AppIdCredentials::new(app_id, app_key))
    }

    /// Account credentials.
    pub fn account(account: impl Into<String>, password: impl Into<Secret>) -> Self {
        Credentials::Account {
            account: account.into(),
            password: password.into(),
        }
    }

    /// A ready access token.
    pub fn access_token(token: impl Into<Secret>) -> Self {
        Credentials::AccessToken(token.into())
    }
}

/// App ID credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppIdCredentials {
    /// The App ID.
    pub app_id: String,
    /// The app key that signs the login.
    pub app_key: Secret,
    /// The user to act as (empty or absent: the app's default user).
    pub user_id: Option<String>,
    /// The enterprise id, in service-provider mode only.
    pub corp_id: Option<String>,
}

impl AppIdCredentials {
    /// App ID and key, no user or corp id.
    pub fn new(app_id: impl Into<String>, app_key: impl Into<Secret>) -> Self {
        AppIdCredentials {
            app_id: app_id.into(),
            app_key: app_key.into(),
            user_id: None,
            corp_id: None,
        }
    }

    /// Acts as this user.
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = Some(user_id.into());
        self
    }

    /// Service-provider mode for this enterprise.
    pub fn corp_id(mut self, corp_id: impl Into<String>) -> Self {
        self.corp_id = Some(corp_id.into());
        self
    }
}

/// The App ID signature: upper-case hex of HMAC-SHA256 keyed with the app
/// key over `appId:userId:expireTime:nonce`, or
/// `appId:corpId:userId:expireTime:nonce` in service-provider mode. An
/// absent user id is the empty string.
pub fn app_signature(
    app_id: &str,
    corp_id: Option<&str>,
    user_id: Option<&str>,
    expire_time: i64,
    nonce: &str,
    app_key: &Secret,
) -> String {
    let user_id = user_id.unwrap_or("");
    let message = match corp_id {
        Some(corp) if !corp.is_empty() => {
            format!("{app_id}:{corp}:{user_id}:{expire_time}:{nonce}")
        }
        _ => format!("{app_id}:{user_id}:{expire_time}:{nonce}"),
    };
    // HMAC accepts a key of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(app_key.expose().as_bytes())
        .expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push_str(&format!("{byte:02X}"));
    }
    hex
}

/// The `Authorization` header of `app_auth`:
/// `HMAC-SHA256 signature=<SIG>,access=<base64(appId)>`.
pub fn app_auth_header(
    app_id: &str,
    corp_id: Option<&str>,
    user_id: Option<&str>,
    expire_time: i64,
    nonce: &str,
    app_key: &Secret,
) -> Secret {
    let signature = app_signature(app_id, corp_id, user_id, expire_time, nonce, app_key);
    Secret::new(format!(
        "HMAC-SHA256 signature={signature},access={}",
        BASE64.encode(app_id)
    ))
}

/// The `Authorization` header of HTTP Basic: `Basic <base64(user:password)>`.
pub fn basic_header(user: &str, password: &Secret) -> Secret {
    Secret::new(format!(
        "Basic {}",
        BASE64.encode(format!("{user}:{}", password.expose()))
    ))
}

/// The credential a request is sent with; which one an operation needs is in
/// its spec ([`Auth`]).
#[derive(Clone, Copy, Debug)]
pub enum Credential<'a> {
    /// None.
    None,
    /// The account password, for HTTP Basic.
    Password(&'a Secret),
    /// The app key, to sign an App ID login.
    AppKey(&'a Secret),
    /// An access token.
    AccessToken(&'a Secret),
    /// A meeting control token.
    ConferenceToken(&'a Secret),
}

/// Puts the credential into the request's headers as the operation's spec
/// says, or fails naming what is missing.
pub fn apply_credential(
    meta: &OperationMeta,
    wire: &mut WireRequest,
    credential: Credential<'_>,
) -> Result<(), BuildError> {
    if let Some((header, value)) = credential_header(meta, wire, credential)? {
        // The header name is the spec's; a caller-set header of the same
        // name is replaced, never duplicated.
        wire.headers.insert(
            header.to_owned(),
            serde_json::Value::String(value.expose().to_owned()),
        );
    }
    Ok(())
}

/// The header that carries the credential, by the operation's spec: its
/// name and value (`None` for operations without a credential). The App ID
/// signature and Basic auth read the parameters they sign from `wire`.
pub fn credential_header(
    meta: &OperationMeta,
    wire: &WireRequest,
    credential: Credential<'_>,
) -> Result<Option<(&'static str, Secret)>, BuildError> {
    let text = |name: &str| -> Option<&str> { wire.body.get(name).and_then(|v| v.as_str()) };
    let value = match (meta.auth, credential) {
        (Auth::None, _) => return Ok(None),
        (Auth::Basic { username_field, .. }, Credential::Password(password)) => {
            let user = text(username_field).ok_or_else(|| BuildError::Missing {
                parameter: username_field.to_owned(),
            })?;
            basic_header(user, password)
        }
        (Auth::AppSignature { .. }, Credential::AppKey(key)) => {
            let app_id = text("appId").ok_or_else(|| BuildError::Missing {
                parameter: "appId".into(),
            })?;
            let expire_time = wire
                .body
                .get("expireTime")
                .and_then(|v| v.as_i64())
                .ok_or_else(|| BuildError::Missing {
                    parameter: "expireTime".into(),
                })?;
            let nonce = text("nonce").ok_or_else(|| BuildError::Missing {
                parameter: "nonce".into(),
            })?;
            app_auth_header(
                app_id,
                text("corpId"),
                text("userId"),
                expire_time,
                nonce,
                key,
            )
        }
        (Auth::AccessToken { .. }, Credential::AccessToken(token))
        | (Auth::ConferenceToken { .. }, Credential::ConferenceToken(token)) => token.clone(),
        (auth, _) => {
            return Err(BuildError::Credential(format!(
                "{} needs a credential of kind `{}`",
                meta.id,
                auth.kind()
            )));
        }
    };
    Ok(Some((meta.auth.header().unwrap_or("Authorization"), value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP_ID: &str = "fdb8e4699586458bbd10c834872dcc62";
    const APP_KEY: &str = "7c1d9a5b2e4f4c3a9e8d7b6a5f4e3d2c";
    const NONCE: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn known_answer_single_enterprise() {
        let sig = app_signature(
            APP_ID,
            None,
            Some("alice@example.com"),
            1_700_000_600,
            NONCE,
            &Secret::new(APP_KEY),
        );
        assert_eq!(
            sig,
            "793F6ED31DFB508CC084348C4C1A9818F19BB70C3FB56BB063E3DF43AED37918"
        );
    }

    #[test]
    fn known_answer_service_provider() {
        let sig = app_signature(
            APP_ID,
            Some("corp-42"),
            Some("alice@example.com"),
            1_700_000_600,
            NONCE,
            &Secret::new(APP_KEY),
        );
        assert_eq!(
            sig,
            "7E35682A9F51631BCB9D6D3220905593F2E084D11E3D42E49DF139EFDD242FC1"
        );
    }

    #[test]
    fn known_answer_no_user_never_expires() {
        let sig = app_signature(APP_ID, None, None, 0, NONCE, &Secret::new(APP_KEY));
        assert_eq!(
            sig,
            "60EF6AC13CD56D78897C328453623097FAE5D04A94F5143B1C17762FDEB2F133"
        );
    }

    #[test]
    fn app_auth_header_has_signature_and_access() {
        let h = app_auth_header(
            APP_ID,
            None,
            Some("alice@example.com"),
            1_700_000_600,
            NONCE,
            &Secret::new(APP_KEY),
        );
        assert_eq!(
            h.expose(),
            "HMAC-SHA256 signature=793F6ED31DFB508CC084348C4C1A9818F19BB70C3FB56BB063E3DF43AED37918,access=ZmRiOGU0Njk5NTg2NDU4YmJkMTBjODM0ODcyZGNjNjI="
        );
    }

    #[test]
    fn basic_header_is_base64_of_user_and_password() {
        let h = basic_header("alice@example.com", &Secret::new("p4ssw0rd!"));
        assert_eq!(h.expose(), "Basic YWxpY2VAZXhhbXBsZS5jb206cDRzc3cwcmQh");
    }

    #[test]
    fn credentials_debug_hides_secrets() {
        let c = Credentials::account("bob", "sentinel-password");
        assert!(!format!("{c:?}").contains("sentinel-password"));
        let c = Credentials::app_id("id", "sentinel-key");
        assert!(!format!("{c:?}").contains("sentinel-key"));
    }
}
