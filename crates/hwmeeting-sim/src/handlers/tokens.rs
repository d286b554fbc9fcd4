//! The access-token calls under `/v1/usg/acs/token`: log out
//! (`delete_token`), refresh (`update_token`) and check (`check_token`).

use std::time::Duration;

use hwmeeting_core::meta::Location;
use serde_json::{Value, json};

use super::Call;
use crate::checking::text;
use crate::codes::{ACCESS_TOKEN_INVALID, Failure};
use crate::tokens::AccessInfo;
use crate::{lock, now_ms, stable_id};

/// The access token the call carries (checked live before the handler).
fn carried(call: &Call<'_>) -> String {
    call.op
        .auth
        .header()
        .and_then(|h| call.header(h))
        .unwrap_or_default()
}

/// The account a user key names: `account:NAME` is NAME; an app user
/// `app:APP:CORP:USER` is USER, or `app-APP` without one.
pub(crate) fn account_of(key: &str) -> String {
    if let Some(account) = key.strip_prefix("account:") {
        return account.to_owned();
    }
    if let Some(rest) = key.strip_prefix("app:") {
        let mut parts = rest.splitn(3, ':');
        let app = parts.next().unwrap_or_default();
        let user = parts.nth(1).unwrap_or_default();
        return if user.is_empty() {
            format!("app-{app}")
        } else {
            user.to_owned()
        };
    }
    key.to_owned()
}

/// An answer in the shape of a login's, for a live token.
fn token_answer(call: &Call<'_>, token: &str, info: &AccessInfo, ttl: Duration) -> Value {
    let account = account_of(&info.user);
    json!({
        "accessToken": token,
        "tokenIp": call.peer.map(|p| p.ip().to_string()).unwrap_or_else(|| "127.0.0.1".into()),
        "validPeriod": ttl.as_secs(),
        "expireTime": (now_ms() + ttl.as_millis() as u64) / 1000,
        "createTime": info.created_ms,
        "user": {
            "userId": stable_id(&info.user),
            "ucloginAccount": account,
            "name": account,
            "companyId": "sim-corp",
            "spId": "sim-sp",
            "userType": 2,
            "adminType": 2,
            "status": 0,
        },
        "clientType": 72,
        "firstLogin": false,
        "pwdExpired": false,
        "tokenType": 0,
    })
}

fn token_invalid(what: &str) -> Failure {
    Failure::new(
        401,
        ACCESS_TOKEN_INVALID,
        format!("{what} is invalid or expired"),
    )
}

/// `delete_token`: the access token of the call is revoked; later calls
/// with it are answered 401.
pub(crate) fn delete_token(call: &Call<'_>) -> Result<Value, Failure> {
    let token = carried(call);
    if !lock(&call.state.tokens).revoke_access(&token) {
        return Err(token_invalid("the access token in X-Access-Token"));
    }
    Ok(json!({}))
}

/// `update_token`: the access token of the call lives a whole lifetime
/// again; answered like a login.
pub(crate) fn update_token(call: &Call<'_>) -> Result<Value, Failure> {
    let token = carried(call);
    let mut tokens = lock(&call.state.tokens);
    let ttl = tokens
        .extend_access(&token)
        .ok_or_else(|| token_invalid("the access token in X-Access-Token"))?;
    let info = tokens
        .access_info(&token)
        .ok_or_else(|| token_invalid("the access token in X-Access-Token"))?;
    drop(tokens);
    Ok(token_answer(call, &token, &info, ttl))
}

/// `create_portal_ref_nonce`: a one-time nonce for signing in to the web
/// portal with the call's access token.
pub(crate) fn create_portal_ref_nonce(_call: &Call<'_>) -> Result<Value, Failure> {
    Ok(json!({ "nonce": crate::random_hex(32) }))
}

/// `check_token`: the body's `token` is looked up: a live one is answered
/// with its details (with `needGenNewToken`, a new token of the same user
/// is issued and answered instead); an unknown or expired one is 401.
pub(crate) fn check_token(call: &Call<'_>) -> Result<Value, Failure> {
    let token = text(&call.wire, Location::Body, "token")
        .unwrap_or_default()
        .to_owned();
    let renew = call
        .wire
        .body
        .get("needGenNewToken")
        .and_then(Value::as_bool)
        == Some(true);
    let mut tokens = lock(&call.state.tokens);
    let info = tokens
        .access_info(&token)
        .ok_or_else(|| token_invalid("the token to check"))?;
    let (token, info, ttl) = if renew {
        let (fresh, ttl) = tokens.issue_access(&info.user);
        let fresh_info = tokens
            .access_info(&fresh)
            .ok_or_else(|| token_invalid("the new token"))?;
        (fresh, fresh_info, ttl)
    } else {
        let ttl = info.remaining;
        (token, info, ttl)
    };
    drop(tokens);
    Ok(token_answer(call, &token, &info, ttl))
}

#[cfg(test)]
mod tests {
    use super::account_of;

    #[test]
    fn the_account_comes_from_the_user_key() {
        assert_eq!(account_of("account:demo@example.com"), "demo@example.com");
        assert_eq!(account_of("app:a1:corp:alice"), "alice");
        assert_eq!(account_of("app:a1::"), "app-a1");
        assert_eq!(account_of("app:a1:c:x:y"), "x:y");
    }
}
