//! Meeting control: the control token, and the calls that carry it (host
//! role, hang up, camera, settings).

use hwmeeting_core::meta::Location;
use serde_json::{Value, json};

use super::{Call, conference_not_found};
use crate::checking::text;
use crate::codes::{
    Failure, MMC_CONFERENCE_NOT_STARTED, MMC_PARAM_INVALID, MMC_PARTICIPANT_NOT_FOUND,
    MMC_PASSWORD_WRONG,
};
use crate::conferences::Conference;
use crate::{lock, now_ms, random_hex};

/// The kinds of notification the control WebSocket offers (as the
/// service lists them).
const NOTIFY_TYPES: &[&str] = &[
    "ConfBasicInfoNotify",
    "ConfDynamicInfoNotify",
    "ParticipantsNotify",
    "WaitingListNotify",
    "AttendeesNotify",
    "SpeakerChangeNotify",
];

fn participant_not_found(conference: &Conference, id: &str) -> Failure {
    Failure::new(
        404,
        MMC_PARTICIPANT_NOT_FOUND,
        format!("participant `{id}` is not in meeting `{}`", conference.id),
    )
}

fn wrong_host_password(conference: &Conference, what: &str) -> Failure {
    Failure::new(
        403,
        MMC_PASSWORD_WRONG,
        format!(
            "{what} is not the host password of meeting `{}`",
            conference.id
        ),
    )
}

/// Issues a control token for an active meeting: with a live token of the
/// meeting in `X-Conference-Authorization`, that token is kept alive (the
/// password is not checked); otherwise `X-Password` must be the host
/// password and a new token is issued.
pub(crate) fn create_conf_token(call: &Call<'_>) -> Result<Value, Failure> {
    let id = call.conference_id().unwrap_or_default();
    let keep_alive = call
        .header("X-Conference-Authorization")
        .filter(|t| !t.is_empty());
    let password = call.header("X-Password").unwrap_or_default();
    let mut conferences = lock(&call.state.conferences);
    let conference = conferences
        .by_id
        .get_mut(&id)
        .ok_or_else(|| conference_not_found(&id))?;
    if !conference.active {
        return Err(Failure::new(
            400,
            MMC_CONFERENCE_NOT_STARTED,
            format!("meeting `{id}` has not started: start it first"),
        ));
    }
    let (token, ttl) = {
        let mut tokens = lock(&call.state.tokens);
        let extended = keep_alive
            .as_deref()
            .and_then(|t| tokens.extend_conf(t, &id).map(|ttl| (t.to_owned(), ttl)));
        match extended {
            Some(kept) => kept,
            None => {
                if password != conference.host_password {
                    return Err(wrong_host_password(conference, "X-Password"));
                }
                tokens.issue_conf(&id)
            }
        }
    };
    let ttl_ms = ttl.as_millis() as u64;
    let participant = conference
        .participants
        .iter()
        .find(|p| p.is_chair)
        .map(|p| p.participant_id.clone())
        .unwrap_or_default();
    let ws_scheme = if call.state.tls { "wss" } else { "ws" };
    let host = call
        .state
        .url
        .split_once("://")
        .map(|(_, h)| h)
        .unwrap_or("127.0.0.1");
    let answer = json!({
        "data": {
            "token": token,
            "tmpWsToken": lock(&call.state.tokens).issue_ws(&id),
            "wsURL": format!("{ws_scheme}://{host}"),
            "role": 1,
            "expireTime": now_ms().saturating_add(ttl_ms),
            "userID": "sim-host-user",
            "orgID": "sim-org",
            "participantID": participant,
            "confTokenExpireTime": ttl.as_secs(),
            "vmrCurrentConfID": id,
            "supportNotifyType": NOTIFY_TYPES,
        },
        "addressToken": format!("sim-adr-{}", random_hex(16)),
        "gloablPublicIP": "127.0.0.1",
    });
    conference.record(call.record());
    Ok(answer)
}

fn participant_id(call: &Call<'_>) -> String {
    text(&call.wire, Location::Query, "participantID")
        .unwrap_or_default()
        .to_owned()
}

/// Gives a participant the host role (`applyChair` 1, with the host
/// password in `chairmanPwd`; the previous host loses it) or takes it away
/// (`applyChair` 0).
pub(crate) fn set_role(call: &Call<'_>) -> Result<Value, Failure> {
    let pid = participant_id(call);
    let apply = call.wire.body.get("applyChair").and_then(Value::as_i64);
    let password = text(&call.wire, Location::Body, "chairmanPwd");
    call.with_conference(|conference| {
        if !conference.has_participant(&pid) {
            return Err(participant_not_found(conference, &pid));
        }
        match apply {
            Some(1) => {
                if password != Some(conference.host_password.as_str()) {
                    return Err(wrong_host_password(conference, "chairmanPwd"));
                }
                for p in &mut conference.participants {
                    p.is_chair = p.participant_id == pid;
                }
            }
            Some(0) => {
                if let Some(p) = conference.participant_mut(&pid) {
                    p.is_chair = false;
                }
            }
            _ => {
                return Err(Failure::new(
                    400,
                    MMC_PARAM_INVALID,
                    "invalid parameter `applyChair`: must be 1 or 0",
                ));
            }
        }
        Ok(json!({}))
    })
}

/// Hangs up participants: every ID must be in the meeting (else nothing
/// changes); they leave it.
pub(crate) fn hang_up(call: &Call<'_>) -> Result<Value, Failure> {
    let ids: Vec<String> = call
        .wire
        .body
        .get("bulkHangUpParticipants")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    call.with_conference(|conference| {
        if let Some(missing) = ids.iter().find(|id| !conference.has_participant(id)) {
            return Err(participant_not_found(conference, missing));
        }
        conference
            .participants
            .retain(|p| !ids.contains(&p.participant_id));
        Ok(json!({}))
    })
}

/// Asks a participant to turn the camera on (`status` 0) or off (1); the
/// request is recorded on the participant.
pub(crate) fn invite_operate_video(call: &Call<'_>) -> Result<Value, Failure> {
    let pid = participant_id(call);
    let status = call.wire.body.get("status").and_then(Value::as_i64);
    call.with_conference(|conference| {
        let id = conference.id.clone();
        let p = conference.participant_mut(&pid).ok_or_else(|| {
            Failure::new(
                404,
                MMC_PARTICIPANT_NOT_FOUND,
                format!("participant `{pid}` is not in meeting `{id}`"),
            )
        })?;
        p.video_request = status;
        Ok(json!({}))
    })
}

/// Changes the settings of a running meeting: every body field is stored
/// under its wire name.
pub(crate) fn update_started_conf_config(call: &Call<'_>) -> Result<Value, Failure> {
    call.with_conference(|conference| {
        for (name, value) in &call.wire.body {
            conference.settings.insert(name.clone(), value.clone());
        }
        Ok(json!({}))
    })
}
