//! Logins: the App ID signature (`app_auth`) and HTTP Basic
//! (`account_auth`), both answered with a new access token.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hwmeeting_core::auth::app_signature;
use hwmeeting_core::meta::Location;
use serde_json::{Value, json};

use super::Call;
use crate::checking::text;
use crate::codes::{Failure, USG_AUTH_FAILED, USG_PARAM_INVALID, USG_SIGNATURE_EXPIRED};
use crate::{lock, now_ms, stable_id};

/// Who logged in.
pub(crate) struct LoginUser {
    /// The key the per-user token limit counts under.
    key: String,
    /// The account or user id shown as `ucloginAccount`.
    account: String,
    name: Option<String>,
    company: Option<String>,
    app_id: Option<String>,
}

fn auth_failed(msg: impl Into<String>) -> Failure {
    Failure::new(401, USG_AUTH_FAILED, msg)
}

/// Checks `Authorization: HMAC-SHA256 signature=<SIG>,access=<base64(appId)>`
/// against the configured app: the app ID, the signature's `expireTime`,
/// the nonce's length and the signature itself.
pub(crate) fn verify_app_signature(call: &Call<'_>, header: &str) -> Result<LoginUser, Failure> {
    const FORM: &str = "expected `HMAC-SHA256 signature=<SIG>,access=<base64 of appId>`";
    let value = call
        .header(header)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| auth_failed(format!("the {header} header is missing: {FORM}")))?;
    let (scheme, params) = value
        .split_once(char::is_whitespace)
        .ok_or_else(|| auth_failed(format!("malformed {header} header: {FORM}")))?;
    if !scheme.eq_ignore_ascii_case("HMAC-SHA256") {
        return Err(auth_failed(format!(
            "unsupported {header} scheme `{scheme}`: {FORM}"
        )));
    }
    let mut signature = None;
    let mut access = None;
    for part in params.split(',') {
        if let Some((k, v)) = part.split_once('=') {
            let v = v.trim().trim_matches('"');
            match k.trim().to_ascii_lowercase().as_str() {
                "signature" => signature = Some(v.to_owned()),
                "access" => access = Some(v.trim().to_owned()),
                _ => {}
            }
        }
    }
    let (Some(signature), Some(access)) = (signature, access) else {
        return Err(auth_failed(format!("malformed {header} header: {FORM}")));
    };
    let access_app = BASE64
        .decode(access.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| auth_failed("`access` in the Authorization header is not base64"))?;

    let body = |name: &str| text(&call.wire, Location::Body, name);
    let app_id = body("appId").unwrap_or_default();
    if access_app != app_id {
        return Err(auth_failed(
            "`access` in the Authorization header is not the base64 of the body's `appId`",
        ));
    }
    // The configured app, or one the enterprise added (`add_app_id`)
    // and has not disabled.
    let app_key = if app_id == call.state.app_id {
        call.state.app_key.clone()
    } else {
        lock(&call.state.directory)
            .app_key(app_id)
            .cloned()
            .ok_or_else(|| auth_failed(format!("unknown app ID `{app_id}`")))?
    };
    let expire_time = call
        .wire
        .body
        .get("expireTime")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let now_s = (now_ms() / 1000) as i64;
    if expire_time != 0 && expire_time < now_s {
        return Err(Failure::new(
            401,
            USG_SIGNATURE_EXPIRED,
            format!("the signature expired: `expireTime` {expire_time} is before now ({now_s})"),
        ));
    }
    let nonce = body("nonce").unwrap_or_default();
    let n = nonce.chars().count();
    if !(32..=64).contains(&n) {
        return Err(Failure::new(
            400,
            USG_PARAM_INVALID,
            format!("invalid parameter `nonce`: must be 32 to 64 characters long, got {n}"),
        ));
    }
    let corp_id = body("corpId");
    let user_id = body("userId");
    let expected = app_signature(app_id, corp_id, user_id, expire_time, nonce, &app_key);
    if !expected.eq_ignore_ascii_case(&signature) {
        return Err(auth_failed(
            "the signature does not match: sign `appId:[corpId:]userId:expireTime:nonce` \
             with HMAC-SHA256 keyed with the app key, upper-case hex",
        ));
    }
    let user = user_id.unwrap_or("");
    // An app may log in any user ID, but not one of a user an
    // administrator disabled.
    if !user.is_empty() && lock(&call.state.directory).is_disabled(user) {
        return Err(auth_failed(format!(
            "the user `{user}` is disabled: an administrator must enable them \
             (batch_update_user_status) before they can log in"
        )));
    }
    Ok(LoginUser {
        key: format!("app:{app_id}:{}:{user}", corp_id.unwrap_or("")),
        account: if user.is_empty() {
            format!("app-{app_id}")
        } else {
            user.to_owned()
        },
        name: body("userName").map(str::to_owned),
        company: corp_id.map(str::to_owned),
        app_id: Some(app_id.to_owned()),
    })
}

/// Checks `Authorization: Basic <base64(account:password)>` against the
/// configured accounts; the body's user name field must name the same
/// account.
pub(crate) fn verify_basic(
    call: &Call<'_>,
    header: &str,
    username_field: &str,
) -> Result<LoginUser, Failure> {
    let value = call
        .header(header)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            auth_failed(format!(
                "the {header} header is missing: expected `Basic <base64 of account:password>`"
            ))
        })?;
    let encoded = value
        .split_once(char::is_whitespace)
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Basic"))
        .map(|(_, rest)| rest.trim())
        .ok_or_else(|| {
            auth_failed(format!(
                "malformed {header} header: expected `Basic <base64 of account:password>`"
            ))
        })?;
    let decoded = BASE64
        .decode(encoded.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| auth_failed("the Basic credentials are not base64 of UTF-8 text"))?;
    let (account, password) = decoded
        .split_once(':')
        .ok_or_else(|| auth_failed("the Basic credentials are not `account:password`"))?;
    // Every configured account is a user of the directory from the start,
    // so the directory alone decides: an active, enabled user (a deleted
    // or disabled one, configured or not, is refused).
    let known = lock(&call.state.directory).can_log_in(account, password);
    if !known {
        return Err(auth_failed(
            "wrong account or password, or the user is disabled or deleted",
        ));
    }
    if let Some(named) = text(&call.wire, Location::Body, username_field)
        && named != account
    {
        return Err(auth_failed(format!(
            "`{username_field}` in the body is not the account of the Basic credentials"
        )));
    }
    Ok(LoginUser {
        key: format!("account:{account}"),
        account: account.to_owned(),
        name: None,
        company: None,
        app_id: None,
    })
}

/// Issues an access token to a user who logged in.
pub(crate) fn login(call: &Call<'_>, user: &LoginUser) -> Result<Value, Failure> {
    let (token, ttl) = lock(&call.state.tokens).issue_access(&user.key);
    let created = now_ms();
    let expires_ms = created.saturating_add(ttl.as_millis() as u64);
    let mut info = json!({
        "userId": stable_id(&user.key),
        "ucloginAccount": user.account,
        "name": user.name.clone().unwrap_or_else(|| user.account.clone()),
        "companyId": user.company.clone().unwrap_or_else(|| "sim-corp".to_owned()),
        "spId": "sim-sp",
        "userType": 2,
        "adminType": 2,
        "status": 0,
    });
    if let (Some(app_id), Some(map)) = (&user.app_id, info.as_object_mut()) {
        map.insert("appId".into(), Value::String(app_id.clone()));
    }
    Ok(json!({
        "accessToken": token,
        "tokenIp": call.peer.map(|p| p.ip().to_string()).unwrap_or_else(|| "127.0.0.1".into()),
        "validPeriod": ttl.as_secs(),
        "expireTime": expires_ms / 1000,
        "createTime": created,
        "user": info,
        "clientType": call.wire.body.get("clientType").cloned().unwrap_or(Value::from(72)),
        "firstLogin": false,
        "pwdExpired": false,
    }))
}
