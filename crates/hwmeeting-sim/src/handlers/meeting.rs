//! Meeting control with state: mute, lock, recording, live, pause, the end
//! of the meeting, names, co-hosts, hands, local recording rights, share
//! invitations, the audience, the waiting room, invitations, the length of
//! the meeting, broadcast and roll call, layouts, and the calls that read
//! the meeting back (real-time info, layouts, WebSocket token, site
//! status). The helpers here serve the other handler modules too. Every handler runs on the call's meeting
//! ([`Call::with_conference`]: 404 for an unknown meeting, 400 when it is
//! not running) and changes nothing when it fails.

use hwmeeting_core::meta::Location;
use serde_json::{Map, Value, json};

use super::Call;
use crate::checking::text;
use crate::codes::{
    Failure, MMC_CONFERENCE_NOT_STARTED, MMC_PARAM_INVALID, MMC_PARTICIPANT_NOT_FOUND,
    MMC_PASSWORD_WRONG,
};
use crate::conferences::{AttendeeSnapshot, Conference, ParticipantSnapshot, RecordingState};
use crate::{lock, random_hex};

/// How many minutes `prolong_meeting` adds when it names no duration.
const DEFAULT_PROLONG_MINUTES: i64 = 15;

pub(super) fn not_found(conference: &Conference, id: &str) -> Failure {
    Failure::new(
        404,
        MMC_PARTICIPANT_NOT_FOUND,
        format!("participant `{id}` is not in meeting `{}`", conference.id),
    )
}

fn not_waiting(conference: &Conference, id: &str) -> Failure {
    Failure::new(
        404,
        MMC_PARTICIPANT_NOT_FOUND,
        format!(
            "participant `{id}` is not in the waiting room of meeting `{}`",
            conference.id
        ),
    )
}

pub(super) fn invalid(msg: impl Into<String>) -> Failure {
    Failure::new(400, MMC_PARAM_INVALID, msg)
}

/// An integer body field (checked against the spec before).
pub(super) fn int(call: &Call<'_>, name: &str) -> Option<i64> {
    call.wire.body.get(name).and_then(Value::as_i64)
}

/// A 0/1 body field as a flag.
pub(super) fn flag(call: &Call<'_>, name: &str) -> bool {
    int(call, name) == Some(1)
}

/// A list of strings in the body.
pub(super) fn strings(call: &Call<'_>, name: &str) -> Vec<String> {
    call.wire
        .body
        .get(name)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn query_participant(call: &Call<'_>) -> String {
    text(&call.wire, Location::Query, "participantID")
        .unwrap_or_default()
        .to_owned()
}

pub(super) fn body_participant(call: &Call<'_>) -> Option<String> {
    text(&call.wire, Location::Body, "participantID").map(str::to_owned)
}

/// The participant in the meeting with this ID, or 404.
pub(super) fn participant<'c>(
    conference: &'c mut Conference,
    id: &str,
) -> Result<&'c mut ParticipantSnapshot, Failure> {
    match conference
        .participants
        .iter()
        .position(|p| p.participant_id == id)
    {
        Some(i) => Ok(&mut conference.participants[i]),
        None => Err(not_found(conference, id)),
    }
}

/// Every ID must be a participant in the meeting (else 404, naming the
/// first that is not).
pub(super) fn all_present(conference: &Conference, ids: &[String]) -> Result<(), Failure> {
    match ids.iter().find(|id| !conference.has_participant(id)) {
        Some(missing) => Err(not_found(conference, missing)),
        None => Ok(()),
    }
}

/// Runs `f` on the call's meeting and answers `{}`.
pub(super) fn update(
    call: &Call<'_>,
    f: impl FnOnce(&mut Conference) -> Result<(), Failure>,
) -> Result<Value, Failure> {
    call.with_conference(f)?;
    Ok(json!({}))
}

/// `mute_meeting`: every participant but the host muted (`isMute` 1) or
/// unmuted (0); `allowUnmuteByOneself`, when given, becomes the setting.
pub(crate) fn mute_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    let mute = flag(call, "isMute");
    let allow = call.wire.body.get("allowUnmuteByOneself").cloned();
    update(call, |c| {
        c.muted = mute;
        for p in c.participants.iter_mut().filter(|p| !p.is_chair) {
            p.muted = mute;
        }
        if let Some(allow) = allow {
            c.settings.insert("allowUnmuteByOneself".into(), allow);
        }
        Ok(())
    })
}

/// `mute_participant`: one participant's microphone.
pub(crate) fn mute_participant(call: &Call<'_>) -> Result<Value, Failure> {
    let pid = query_participant(call);
    let mute = flag(call, "isMute");
    update(call, |c| {
        participant(c, &pid)?.muted = mute;
        Ok(())
    })
}

/// Stores one body field as a meeting setting (`allow_guest_unmute`:
/// `allowUnmuteByOneself`; `lock_meeting`: `isLock`).
pub(crate) fn setting(call: &Call<'_>, name: &'static str) -> Result<Value, Failure> {
    let value = call.wire.body.get(name).cloned().unwrap_or(Value::Null);
    update(call, |c| {
        c.settings.insert(name.to_owned(), value);
        Ok(())
    })
}

/// `record` (`isRecord` 1 starts, 0 stops) and `set_mmr_record`
/// (`recordType` 1 starts, 0 pauses, 2 stops).
pub(crate) fn record(call: &Call<'_>) -> Result<Value, Failure> {
    let state = match (int(call, "isRecord"), int(call, "recordType")) {
        (Some(1), _) | (_, Some(1)) => RecordingState::Recording,
        (_, Some(0)) => RecordingState::Paused,
        _ => RecordingState::Stopped,
    };
    update(call, |c| {
        c.recording = state;
        Ok(())
    })
}

/// `live` (`isLive`) and `set_mmr_live` (`liveState`): live streaming on
/// (1) or off.
pub(crate) fn live(call: &Call<'_>, field: &str) -> Result<Value, Failure> {
    let on = flag(call, field);
    update(call, |c| {
        c.live = on;
        Ok(())
    })
}

/// `pause_conference`: paused (`pause` 1) or running.
pub(crate) fn pause(call: &Call<'_>) -> Result<Value, Failure> {
    let paused = flag(call, "pause");
    update(call, |c| {
        c.paused = paused;
        Ok(())
    })
}

/// `stop_meeting`: the meeting ends: no longer active, every control token
/// of it revoked (later control calls are answered 401, and
/// `create_conf_token` says it has not started), broadcast, roll call and
/// interpretation over; the run becomes history (with its attendance,
/// calls and recording).
pub(crate) fn stop_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    let id = call.with_conference(|c| {
        c.halt();
        Ok(c.id.clone())
    })?;
    // The run ends once the stop is recorded, so that its control records
    // end with it.
    let ended = lock(&call.state.conferences)
        .by_id
        .get_mut(&id)
        .and_then(|c| {
            let ended = c.end_run(crate::now_ms(), &call.state.url);
            if let Some((_, recording)) = &ended {
                crate::event_push::stopped(call.state, c, recording.as_ref());
            }
            ended
        });
    lock(&call.state.tokens).revoke_conf_of(&id);
    super::history::archive(call.state, ended);
    Ok(json!({}))
}

/// `rename_participant`: the participant named by `participantID`, else
/// the one (in the meeting or waiting) whose number is `number`, gets
/// `newName`.
pub(crate) fn rename_participant(call: &Call<'_>) -> Result<Value, Failure> {
    let pid = body_participant(call);
    let number = text(&call.wire, Location::Body, "number")
        .unwrap_or_default()
        .to_owned();
    let name = text(&call.wire, Location::Body, "newName")
        .unwrap_or_default()
        .to_owned();
    update(call, |c| {
        let found = c
            .participants
            .iter_mut()
            .chain(c.waiting_room.iter_mut())
            .find(|p| match &pid {
                Some(pid) => &p.participant_id == pid,
                None => p.phone.as_deref() == Some(number.as_str()),
            });
        match found {
            Some(p) => {
                p.name = name;
                Ok(())
            }
            None => Err(not_found(c, pid.as_deref().unwrap_or(&number))),
        }
    })
}

/// `set_cohost`: grants (`isCohost` 1) or revokes the co-host role; the
/// host cannot be a co-host (400).
pub(crate) fn set_cohost(call: &Call<'_>) -> Result<Value, Failure> {
    let pid = query_participant(call);
    let grant = flag(call, "isCohost");
    update(call, |c| {
        let p = participant(c, &pid)?;
        if p.is_chair && grant {
            return Err(invalid(format!(
                "participant `{pid}` is the host and cannot be a co-host"
            )));
        }
        p.is_cohost = grant;
        Ok(())
    })
}

/// `hand`: one participant's hand raised (`handsState` 1) or lowered.
pub(crate) fn hand(call: &Call<'_>) -> Result<Value, Failure> {
    let pid = query_participant(call);
    let raised = flag(call, "handsState");
    update(call, |c| {
        participant(c, &pid)?.hand_raised = raised;
        Ok(())
    })
}

/// `batch_hand`: the hands of every participant in `pids`.
pub(crate) fn batch_hand(call: &Call<'_>) -> Result<Value, Failure> {
    let ids = strings(call, "pids");
    let raised = flag(call, "handsState");
    update(call, |c| {
        all_present(c, &ids)?;
        for p in c
            .participants
            .iter_mut()
            .filter(|p| ids.contains(&p.participant_id))
        {
            p.hand_raised = raised;
        }
        Ok(())
    })
}

/// `allow_client_record`: one participant may (`allowClientRecord` 1) or
/// may not record the meeting in their client.
pub(crate) fn allow_client_record(call: &Call<'_>) -> Result<Value, Failure> {
    let pid = query_participant(call);
    let allowed = flag(call, "allowClientRecord");
    update(call, |c| {
        participant(c, &pid)?.client_record_allowed = allowed;
        Ok(())
    })
}

/// `invite_share`: one participant is invited to share the screen
/// (`share` 1), or the invitation is withdrawn.
pub(crate) fn invite_share(call: &Call<'_>) -> Result<Value, Failure> {
    let pid = query_participant(call);
    let invited = flag(call, "share");
    update(call, |c| {
        participant(c, &pid)?.share_invited = invited;
        Ok(())
    })
}

/// `allow_audience_join`: the audience may join (`allowAudience` 1) or not.
pub(crate) fn allow_audience_join(call: &Call<'_>) -> Result<Value, Failure> {
    let allowed = flag(call, "allowAudience");
    update(call, |c| {
        c.audience_allowed = allowed;
        Ok(())
    })
}

/// Moves participants from the meeting into the waiting room; the host
/// cannot be moved (400); what held only in the meeting (hand, co-host
/// role, grants, views) is dropped.
fn to_waiting_room(c: &mut Conference, ids: &[String]) -> Result<(), Failure> {
    all_present(c, ids)?;
    if let Some(host) = c
        .participants
        .iter()
        .find(|p| p.is_chair && ids.contains(&p.participant_id))
    {
        return Err(invalid(format!(
            "participant `{}` is the host and cannot be moved to the waiting room",
            host.participant_id
        )));
    }
    let (moved, stay): (Vec<_>, Vec<_>) = std::mem::take(&mut c.participants)
        .into_iter()
        .partition(|p| ids.contains(&p.participant_id));
    c.participants = stay;
    for mut p in moved {
        p.leave();
        if c.broadcast.as_deref() == Some(p.participant_id.as_str()) {
            c.broadcast = None;
            c.roll_call = None;
        }
        c.waiting_room.push(p);
    }
    Ok(())
}

/// `move_to_waiting_room`: one participant (body `participantID`).
pub(crate) fn move_to_waiting_room(call: &Call<'_>) -> Result<Value, Failure> {
    let ids: Vec<String> = body_participant(call).into_iter().collect();
    update(call, |c| to_waiting_room(c, &ids))
}

/// `batch_move_to_waiting_room`: every participant of
/// `batchParticipants`.
pub(crate) fn batch_move_to_waiting_room(call: &Call<'_>) -> Result<Value, Failure> {
    let ids = strings(call, "batchParticipants");
    update(call, |c| to_waiting_room(c, &ids))
}

/// `allow_waiting_participant`: admits everyone waiting (`allowAll`
/// true) or the member named by `participantID` (404 if not waiting).
pub(crate) fn allow_waiting_participant(call: &Call<'_>) -> Result<Value, Failure> {
    let all = call.wire.body.get("allowAll").and_then(Value::as_bool) == Some(true);
    let pid = body_participant(call);
    update(call, |c| {
        if all {
            let admitted = std::mem::take(&mut c.waiting_room);
            c.participants.extend(admitted);
            return Ok(());
        }
        let Some(pid) = pid else {
            return Err(invalid(
                "missing required parameter `participantID`: give it unless `allowAll` is true",
            ));
        };
        match c.waiting_room.iter().position(|p| p.participant_id == pid) {
            Some(i) => {
                let p = c.waiting_room.remove(i);
                c.participants.push(p);
                Ok(())
            }
            None => Err(not_waiting(c, &pid)),
        }
    })
}

/// A new participant ID.
fn new_pid() -> String {
    format!("sim-p-{}", random_hex(12))
}

/// `invite_participant`: every attendee joins the invited list (unless
/// one with that number is there) and the meeting, as a new participant.
pub(crate) fn invite_participant(call: &Call<'_>) -> Result<Value, Failure> {
    let attendees: Vec<Map<String, Value>> = call
        .wire
        .body
        .get("attendees")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(|a| a.as_object().cloned()).collect())
        .unwrap_or_default();
    update(call, |c| {
        for a in attendees {
            let field = |name: &str| a.get(name).and_then(Value::as_str).map(str::to_owned);
            let name = field("name").unwrap_or_default();
            let phone = field("phone");
            if !c
                .attendees
                .iter()
                .any(|known| phone.is_some() && known.phone == phone)
            {
                c.attendees.push(AttendeeSnapshot {
                    name: name.clone(),
                    phone: phone.clone(),
                    account_id: field("accountId"),
                    details: Map::new(),
                });
            }
            c.participants
                .push(ParticipantSnapshot::joined(new_pid(), name, phone, c.muted));
        }
        Ok(())
    })
}

/// `delete_attendees`: each entry leaves the invited list (by `number`);
/// a participant it names by `participantID` (404 if unknown), or whose
/// number it is, is hung up too.
pub(crate) fn delete_attendees(call: &Call<'_>) -> Result<Value, Failure> {
    let entries: Vec<(String, Option<String>)> = call
        .wire
        .body
        .get("bulkDelAttendInfo")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|e| {
                    let get = |name: &str| e.get(name).and_then(Value::as_str).map(str::to_owned);
                    (get("number").unwrap_or_default(), get("participantID"))
                })
                .collect()
        })
        .unwrap_or_default();
    update(call, |c| {
        let named: Vec<String> = entries.iter().filter_map(|(_, p)| p.clone()).collect();
        if let Some(missing) = named.iter().find(|id| {
            !c.participants
                .iter()
                .chain(&c.waiting_room)
                .any(|p| &p.participant_id == *id)
        }) {
            return Err(not_found(c, missing));
        }
        let numbers: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        let gone = |p: &ParticipantSnapshot| {
            named.contains(&p.participant_id)
                || p.phone.as_deref().is_some_and(|n| numbers.contains(&n))
        };
        c.attendees
            .retain(|a| !a.phone.as_deref().is_some_and(|n| numbers.contains(&n)));
        c.participants.retain(|p| !gone(p));
        c.waiting_room.retain(|p| !gone(p));
        Ok(())
    })
}

/// `prolong_meeting`: `auto` 1 makes the meeting extend itself; `auto` 0
/// adds `duration` minutes (15 when not given) once.
pub(crate) fn prolong_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    let auto = flag(call, "auto");
    let minutes = int(call, "duration").unwrap_or(DEFAULT_PROLONG_MINUTES);
    update(call, |c| {
        if auto {
            c.auto_prolong = true;
        } else {
            c.auto_prolong = false;
            c.duration_minutes = c.duration_minutes.saturating_add(minutes);
        }
        Ok(())
    })
}

/// `broadcast_participant`: everyone sees this participant (a roll call
/// ends).
pub(crate) fn broadcast_participant(call: &Call<'_>) -> Result<Value, Failure> {
    let pid = query_participant(call);
    update(call, |c| {
        participant(c, &pid)?;
        c.broadcast = Some(pid);
        c.roll_call = None;
        Ok(())
    })
}

/// `rollcall_participant`: the participant is broadcast and unmuted,
/// everyone else but the host muted.
pub(crate) fn rollcall_participant(call: &Call<'_>) -> Result<Value, Failure> {
    let pid = query_participant(call);
    update(call, |c| {
        participant(c, &pid)?;
        for p in &mut c.participants {
            if p.participant_id == pid {
                p.muted = false;
            } else if !p.is_chair {
                p.muted = true;
            }
        }
        c.broadcast = Some(pid.clone());
        c.roll_call = Some(pid);
        Ok(())
    })
}

/// `cancel_broadcast`: nobody is broadcast or called on any more.
pub(crate) fn cancel_broadcast(call: &Call<'_>) -> Result<Value, Failure> {
    update(call, |c| {
        c.broadcast = None;
        c.roll_call = None;
        Ok(())
    })
}

/// `save_layout`: stores `restPicLayout`, replacing the layout with its
/// `uuid` if it names one that exists, else under a new UUID.
pub(crate) fn save_layout(call: &Call<'_>) -> Result<Value, Failure> {
    let mut layout = call
        .wire
        .body
        .get("restPicLayout")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    update(call, |c| {
        let uuid = layout
            .get("uuid")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let existing = uuid.as_deref().and_then(|u| {
            c.layouts
                .iter()
                .position(|l| l.get("uuid").and_then(Value::as_str) == Some(u))
        });
        match existing {
            Some(i) => c.layouts[i] = Value::Object(layout),
            None => {
                let h = random_hex(16);
                let uuid = format!(
                    "{}-{}-{}-{}-{}",
                    &h[0..8],
                    &h[8..12],
                    &h[12..16],
                    &h[16..20],
                    &h[20..32]
                );
                layout.insert("uuid".into(), Value::String(uuid));
                c.layouts.push(Value::Object(layout));
            }
        }
        Ok(())
    })
}

/// `delete_layout`: forgets the layout with `uuID` (none with it: nothing
/// to do, answered as a success since the call is idempotent).
pub(crate) fn delete_layout(call: &Call<'_>) -> Result<Value, Failure> {
    let uuid = text(&call.wire, Location::Query, "uuID")
        .unwrap_or_default()
        .to_owned();
    update(call, |c| {
        c.layouts
            .retain(|l| l.get("uuid").and_then(Value::as_str) != Some(uuid.as_str()));
        Ok(())
    })
}

/// `show_layout`: the saved layouts.
pub(crate) fn show_layout(call: &Call<'_>) -> Result<Value, Failure> {
    call.with_conference(|c| {
        Ok(json!({
            "returnCode": 0,
            "returnDesc": "Success",
            "picLayouts": c.layouts,
        }))
    })
}

/// `show_real_time_info_of_meeting`: invited attendees, online
/// participants (microphone, hand), host and co-hosts.
pub(crate) fn show_real_time_info(call: &Call<'_>) -> Result<Value, Failure> {
    call.with_conference(|c| {
        let attendees: Vec<Value> = c
            .attendees
            .iter()
            .map(|a| {
                let mut o = Map::new();
                if let Some(account) = &a.account_id {
                    o.insert("accountID".into(), json!(account));
                }
                o.insert("name".into(), json!(a.name));
                if let Some(phone) = &a.phone {
                    o.insert("phone".into(), json!(phone));
                }
                Value::Object(o)
            })
            .collect();
        let participants: Vec<Value> = c
            .participants
            .iter()
            .map(|p| {
                let mut o = Map::new();
                o.insert("pid".into(), json!(p.participant_id));
                o.insert("name".into(), json!(p.name));
                if let Some(phone) = &p.phone {
                    o.insert("phone".into(), json!(phone));
                }
                o.insert("state".into(), json!(0));
                o.insert("video".into(), json!(1));
                o.insert("mute".into(), json!(i64::from(p.muted)));
                o.insert("hand".into(), json!(i64::from(p.hand_raised)));
                Value::Object(o)
            })
            .collect();
        let mut info = Map::new();
        if let Some(chair) = c.participants.iter().find(|p| p.is_chair) {
            info.insert("chairID".into(), json!(chair.participant_id));
        }
        let cohosts: Vec<&str> = c
            .participants
            .iter()
            .filter(|p| p.is_cohost)
            .map(|p| p.participant_id.as_str())
            .collect();
        info.insert("coHosts".into(), json!(cohosts));
        Ok(json!({
            "attendees": attendees,
            "participants": participants,
            "confInfo": info,
        }))
    })
}

/// `create_web_socket_token`: a fresh token that opens the meeting's
/// control WebSocket once, within a minute.
pub(crate) fn create_web_socket_token(call: &Call<'_>) -> Result<Value, Failure> {
    call.with_conference(|c| {
        let token = lock(&call.state.tokens).issue_ws(&c.id);
        Ok(json!({ "webSocketToken": token }))
    })
}

/// `show_mgmt_site_status`: the management site is always up.
pub(crate) fn show_mgmt_site_status(_call: &Call<'_>) -> Result<Value, Failure> {
    Ok(json!({ "status": "NORMAL", "redirectJoinUrl": "" }))
}

/// `invite_with_pwd`: `confID` must be the meeting named and `pwd` its
/// host or guest password (403 otherwise); the number `callNum` joins as a
/// new participant. The meeting must be running.
pub(crate) fn invite_with_pwd(call: &Call<'_>) -> Result<Value, Failure> {
    let body = |name: &str| {
        text(&call.wire, Location::Body, name)
            .unwrap_or_default()
            .to_owned()
    };
    let (conf_id, pwd, number) = (body("confID"), body("pwd"), body("callNum"));
    update(call, |c| {
        if !c.active {
            return Err(Failure::new(
                400,
                MMC_CONFERENCE_NOT_STARTED,
                format!("meeting `{}` has not started: start it first", c.id),
            ));
        }
        if conf_id != c.id {
            return Err(invalid(format!(
                "invalid parameter `confID`: `{conf_id}` is not the meeting `{}` the query names",
                c.id
            )));
        }
        if pwd != c.host_password && c.guest_password.as_deref() != Some(pwd.as_str()) {
            return Err(Failure::new(
                403,
                MMC_PASSWORD_WRONG,
                format!(
                    "`pwd` is neither the host nor the guest password of meeting `{}`",
                    c.id
                ),
            ));
        }
        c.participants.push(ParticipantSnapshot::joined(
            new_pid(),
            number.clone(),
            Some(number),
            c.muted,
        ));
        Ok(())
    })
}
