//! Event-push settings through the management API: set, show, delete and
//! turn on or off, one set per enterprise (or SP). The subscriber key is
//! stored and never answered back.

use hwmeeting_core::Secret;
use hwmeeting_core::meta::Location;
use serde_json::{Value, json};

use super::Call;
use super::paging::{query_int, required_text};
use crate::checking::text;
use crate::codes::{Failure, MMC_PARAM_INVALID, MMC_WEBHOOK_NOT_FOUND};
use crate::webhooks::WebhookConfig;
use crate::{lock, random_hex};

/// Whose settings a call means: the SP or enterprise it names, else the
/// caller's enterprise.
fn owner(call: &Call<'_>, location: Location) -> String {
    let named = |name: &str| {
        text(&call.wire, location, name)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    if let Some(sp) = named("spId") {
        return format!("sp:{sp}");
    }
    let corp = named("corpId").unwrap_or_else(|| super::caller_corp(call));
    format!("corp:{corp}")
}

fn not_found(what: String) -> Failure {
    Failure::new(404, MMC_WEBHOOK_NOT_FOUND, what)
}

/// `set_web_hook_config`: stores the settings (not enabled yet: enabling
/// with `change-status` 0 verifies the URL), replacing the enterprise's
/// earlier ones; the URL must be HTTPS (or HTTP to a loopback address).
pub(crate) fn set_web_hook_config(call: &Call<'_>) -> Result<Value, Failure> {
    let subscriber_id = required_text(call, Location::Body, "subscriberId")?;
    let key = required_text(call, Location::Body, "subscriberKey")?;
    let url = required_text(call, Location::Body, "url")?;
    if !crate::event_push::url_allowed(&url) {
        return Err(Failure::new(
            400,
            MMC_PARAM_INVALID,
            "invalid parameter `url`: must be an https:// URL (or http:// to a loopback address)",
        ));
    }
    let config = WebhookConfig {
        id: random_hex(16),
        owner: owner(call, Location::Body),
        subscriber_id,
        subscriber_key: Secret::new(key),
        url,
        // Not enabled until `change-status` 0 and a verified handshake.
        status: 1,
    };
    lock(&call.state.webhooks).set(config);
    Ok(json!({}))
}

/// `show_web_hook_config`: the enterprise's settings, without the key.
pub(crate) fn show_web_hook_config(call: &Call<'_>) -> Result<Value, Failure> {
    let owner = owner(call, Location::Query);
    let hooks = lock(&call.state.webhooks);
    let c = hooks
        .of_owner(&owner)
        .ok_or_else(|| not_found(format!("no event-push settings for `{owner}`")))?;
    Ok(json!({
        "returnCode": 0,
        "returnDesc": "success",
        "id": c.id,
        "subscriberId": c.subscriber_id,
        "url": c.url,
        "status": c.status,
    }))
}

/// `delete_web_hook_config`: forgets the settings with this `id`.
pub(crate) fn delete_web_hook_config(call: &Call<'_>) -> Result<Value, Failure> {
    let id = required_text(call, Location::Query, "id")?;
    if !lock(&call.state.webhooks).delete(&id) {
        return Err(not_found(format!(
            "no event-push settings have the id `{id}`"
        )));
    }
    Ok(json!({}))
}

/// `update_web_hook_config_status`: 0 on (after the `meeting.verify`
/// handshake), 1 off, 2 locked.
pub(crate) fn update_web_hook_config_status(call: &Call<'_>) -> Result<Value, Failure> {
    let id = required_text(call, Location::Query, "id")?;
    let status = query_int(call, "status")
        .filter(|s| (0..=2).contains(s))
        .ok_or_else(|| {
            Failure::new(
                400,
                MMC_PARAM_INVALID,
                "invalid parameter `status`: must be 0, 1 or 2",
            )
        })?;
    {
        let mut hooks = lock(&call.state.webhooks);
        let c = hooks
            .by_id_mut(&id)
            .ok_or_else(|| not_found(format!("no event-push settings have the id `{id}`")))?;
        if status != 0 {
            c.status = status;
            return Ok(json!({}));
        }
    }
    // Enabling sends `meeting.verify`; the settings are enabled once the
    // receiver echoes the nonce (in the background: this answers now).
    crate::event_push::verify(call.state, &id);
    Ok(json!({}))
}
