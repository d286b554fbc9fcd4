//! The meeting control WebSocket: `GET
//! /cms/open/websocket/confctl/increment/conn?confID=&tmpToken=` on the
//! simulator's own port (and TLS), as events.md section 3 describes.
//!
//! - The upgrade is accepted, then the channel is closed (code 1008, the
//!   reason in words) if `tmpToken` is unknown, used, expired or for
//!   another meeting: tokens come from `create_web_socket_token` (or the
//!   `tmpWsToken` of `create_conf_token`), live 60 s and open one channel.
//! - `Subscribe` (`data` a JSON string, or an object) with the meeting's
//!   control token in `confToken`, raw or `Basic ` + Base64, is answered
//!   `returnCode` 0 and followed by one snapshot (`msgMode` 0, `version`
//!   now in ms) per topic the simulator keeps: basic info, dynamic info,
//!   participants, waiting room, attendees, speakers (nobody: the simulator
//!   has no audio). A bad token is answered `returnCode` 1 and closed.
//! - Every change of the meeting's state (the one call of [`publish`] in
//!   each place the simulator changes a meeting: control calls, the
//!   `/_sim/` participant routes, start and stop) becomes increments
//!   (`msgMode` 1), numbered per topic and per channel from 1: participants
//!   and the waiting room by `pid` (changed `pinfoMap` keys, `mode` 1 on
//!   leaving), the meeting's state field by field (`lock`, `recState`,
//!   `mute`, `mode`, `endTime`, `state`); the basic info and the attendees
//!   are sent whole when they change.
//! - `HeartBeat` is echoed with its `sequence`; a channel with no frame
//!   from the client for the heartbeat timeout (180 s, changeable with
//!   `POST /_sim/live/config {"heartbeatTimeoutMs": N}`) is closed.
//! - `stop_meeting`: `ConfDynamicInfoNotify` `state` `Destroyed`, then a
//!   close.
//! - Faults (`POST /_sim/live/faults`, [`LiveFaults`]): abrupt
//!   disconnects, lost increments (a gap in the numbering), repeated
//!   increments, unknown actions, the documentation's spelling variants,
//!   and a silent server.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use tokio::sync::watch;

use crate::conferences::Conference;
use crate::state::{SimControl, SimState};
use crate::{RecordingState, lock, now_ms, random_hex};

/// The connection path.
pub(crate) const PATH: &str = "/cms/open/websocket/confctl/increment/conn";

/// How long a channel may go without a frame from the client, by default
/// (the service's 180 s).
pub const DEFAULT_HEARTBEAT_TIMEOUT: Duration = Duration::from_secs(180);

/// Faults of the control WebSocket, as `POST /_sim/live/faults` takes them
/// (camelCase JSON; a field left out keeps its value). Counters are used
/// up one per channel event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LiveFaults {
    /// The next N channels with a change to push drop the connection
    /// instead (no close frame; the change is not sent).
    pub disconnect: u32,
    /// The next N increments are not sent, their `version` used up: the
    /// client sees a gap.
    pub gap: u32,
    /// The next N increments are sent twice.
    pub repeat: u32,
    /// The next N pushes of changes come after an unknown action
    /// (`OperationResultNotify`).
    pub unknown_actions: u32,
    /// Pushes use the documentation's spelling variants: `version`,
    /// `createTime` and `msgMode` as strings, `CLICENT_LOGIN_TYPE`, keys
    /// with a trailing space in the subscribe reply.
    pub variants: bool,
    /// Heartbeats are not echoed and nothing is pushed.
    pub silent: bool,
}

/// The WebSocket side of the simulator's state.
#[derive(Debug)]
pub(crate) struct LiveHub {
    meetings: Mutex<HashMap<String, watch::Sender<Arc<LiveState>>>>,
    faults: Mutex<LiveFaults>,
    heartbeat_timeout: Mutex<Duration>,
    open: AtomicUsize,
    closing: watch::Sender<bool>,
}

impl Default for LiveHub {
    fn default() -> Self {
        LiveHub {
            meetings: Mutex::default(),
            faults: Mutex::default(),
            heartbeat_timeout: Mutex::new(DEFAULT_HEARTBEAT_TIMEOUT),
            open: AtomicUsize::new(0),
            closing: watch::Sender::new(false),
        }
    }
}

impl LiveHub {
    /// Closes every channel (the simulator stops).
    pub(crate) fn close_all(&self) {
        self.closing.send_replace(true);
    }

    pub(crate) fn faults(&self) -> LiveFaults {
        lock(&self.faults).clone()
    }

    pub(crate) fn set_faults(&self, faults: LiveFaults) {
        *lock(&self.faults) = faults;
    }

    pub(crate) fn heartbeat_timeout(&self) -> Duration {
        *lock(&self.heartbeat_timeout)
    }

    pub(crate) fn set_heartbeat_timeout(&self, timeout: Duration) {
        *lock(&self.heartbeat_timeout) = timeout;
    }

    pub(crate) fn open_channels(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    /// Uses up one of a counter fault.
    fn take(&self, pick: impl FnOnce(&mut LiveFaults) -> &mut u32) -> bool {
        let mut faults = lock(&self.faults);
        let n = pick(&mut faults);
        if *n > 0 {
            *n -= 1;
            true
        } else {
            false
        }
    }
}

/// A meeting as the channel shows it: what its pushes carry.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LiveState {
    basic: Map<String, Value>,
    dynamic: Map<String, Value>,
    participants: BTreeMap<String, BTreeMap<String, String>>,
    waiting: BTreeMap<String, BTreeMap<String, String>>,
    attendees: Vec<Value>,
    ended: bool,
}

fn bit(b: bool) -> &'static str {
    if b { "1" } else { "0" }
}

impl LiveState {
    fn of(c: &Conference) -> LiveState {
        let joined = |pid: &str| {
            c.attendance
                .iter()
                .rev()
                .find(|s| s.participant_id == pid)
                .map(|s| s.join_ms)
        };
        let participants = c
            .participants
            .iter()
            .map(|p| {
                let pid = p.participant_id.as_str();
                let mut info = BTreeMap::new();
                let mut put = |k: &str, v: &str| {
                    info.insert(k.to_owned(), v.to_owned());
                };
                put("NAME", &p.name);
                put("TEL", p.phone.as_deref().unwrap_or_default());
                put("ROLE", bit(p.is_chair));
                put("IS_COHOST", bit(p.is_cohost));
                put("MUTE", bit(p.muted));
                put("HAND", bit(p.hand_raised));
                put("STATE", "0");
                put("VIDEO", "1");
                put("SHARE", "0");
                put("BROADCAST", bit(c.broadcast.as_deref() == Some(pid)));
                put("ROLLCALL", bit(c.roll_call.as_deref() == Some(pid)));
                put("ALLOW_CLIENT_REC", bit(p.client_record_allowed));
                put("CLIENT_LOGIN_TYPE", "Desktop");
                put("RTC_USER_ID", pid);
                if let Some(at) = joined(pid) {
                    put("ADDTIME", &at.to_string());
                }
                (pid.to_owned(), info)
            })
            .collect();
        let waiting = c
            .waiting_room
            .iter()
            .map(|p| {
                let mut info = BTreeMap::new();
                info.insert("NAME".to_owned(), p.name.clone());
                info.insert("WAITINGSTATE".to_owned(), "0".to_owned());
                info.insert("ANONYMOUS".to_owned(), "0".to_owned());
                info.insert("CLIENT_LOGIN_TYPE".to_owned(), "Desktop".to_owned());
                if let Some(phone) = &p.phone {
                    info.insert("TEL".to_owned(), phone.clone());
                }
                (p.participant_id.clone(), info)
            })
            .collect();
        let mode = if c.broadcast.is_some() {
            "BROADCAST"
        } else if c.roll_call.is_some() {
            "ROLLCALL"
        } else {
            "FREE"
        };
        let start = c.started_ms.unwrap_or_default();
        let end = start.saturating_add((c.duration_minutes.max(0) as u64).saturating_mul(60_000));
        let mut dynamic = Map::new();
        dynamic.insert(
            "state".into(),
            json!(if c.active { "Created" } else { "Destroyed" }),
        );
        dynamic.insert("endTime".into(), json!(end.to_string()));
        dynamic.insert("mode".into(), json!(mode));
        dynamic.insert("lock".into(), json!(i64::from(c.locked())));
        dynamic.insert("mute".into(), json!(i64::from(c.muted)));
        dynamic.insert(
            "recState".into(),
            json!(i64::from(c.recording == RecordingState::Recording)),
        );
        dynamic.insert("pause".into(), json!(c.paused));
        let mut basic = Map::new();
        basic.insert("displayID".into(), json!(c.id));
        basic.insert("title".into(), json!(c.plan.subject));
        basic.insert("startTime".into(), json!(start.to_string()));
        let mut pwds = vec![json!({"role": "chair", "pwd": c.host_password})];
        if let Some(guest) = &c.guest_password {
            pwds.push(json!({"role": "general", "pwd": guest}));
        }
        basic.insert("pwds".into(), Value::Array(pwds));
        basic.insert("recType".into(), json!(i64::from(c.live) * 2));
        basic.insert("media".into(), json!(2));
        basic.insert("owner".into(), json!("hwmeeting-sim"));
        basic.insert("confMode".into(), json!("COMMON"));
        let attendees = c
            .attendees
            .iter()
            .map(|a| {
                json!({
                    "mode": 0,
                    "name": a.name,
                    "phone": a.phone,
                    "accountId": a.account_id,
                    "role": 0,
                    "type": "normal",
                })
            })
            .collect();
        LiveState {
            basic,
            dynamic,
            participants,
            waiting,
            attendees,
            ended: !c.active,
        }
    }
}

/// Tells the channels of a meeting that its state may have changed: the
/// one call each place that changes a meeting makes. Costs a map lookup
/// when no channel was ever opened on the meeting.
pub(crate) fn publish(state: &SimState, c: &Conference) {
    let meetings = lock(&state.live.meetings);
    if let Some(tx) = meetings.get(&c.id) {
        let next = LiveState::of(c);
        tx.send_if_modified(|current| {
            if **current == next {
                false
            } else {
                *current = Arc::new(next);
                true
            }
        });
    }
}

/// The state of a meeting now, and its changes to come.
fn watch_meeting(state: &SimState, id: &str) -> Option<watch::Receiver<Arc<LiveState>>> {
    let conferences = lock(&state.conferences);
    let c = conferences.by_id.get(id)?;
    let now = LiveState::of(c);
    let mut meetings = lock(&state.live.meetings);
    let tx = meetings
        .entry(id.to_owned())
        .or_insert_with(|| watch::Sender::new(Arc::new(now.clone())));
    tx.send_if_modified(|current| {
        if **current == now {
            false
        } else {
            *current = Arc::new(now);
            true
        }
    });
    Some(tx.subscribe())
}

/// The query of the connection URL.
#[derive(Debug, Deserialize)]
pub(crate) struct ConnQuery {
    #[serde(rename = "confID", default)]
    conf_id: String,
    #[serde(rename = "tmpToken", default)]
    tmp_token: String,
}

/// The upgrade: accepted, the checks come after (as on the service).
pub(crate) async fn connect(
    State(control): State<SimControl>,
    Query(query): Query<ConnQuery>,
    ws: WebSocketUpgrade,
) -> Response {
    ws.on_upgrade(move |socket| async move {
        let state = control.state();
        state.live.open.fetch_add(1, Ordering::SeqCst);
        let mut channel = Channel {
            state,
            socket,
            conf_id: query.conf_id,
            versions: HashMap::new(),
        };
        if let Err(e) = channel.run(&query.tmp_token).await {
            tracing::debug!(error = %e, "control WebSocket ended");
        }
        state.live.open.fetch_sub(1, Ordering::SeqCst);
    })
}

/// Why a channel ended early.
#[derive(Debug)]
enum End {
    Socket(axum::Error),
    Abrupt,
}

impl std::fmt::Display for End {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            End::Socket(e) => write!(f, "socket error: {e}"),
            End::Abrupt => f.write_str("dropped by an injected fault"),
        }
    }
}

struct Channel<'a> {
    state: &'a SimState,
    socket: WebSocket,
    conf_id: String,
    versions: HashMap<&'static str, i64>,
}

/// A client frame, as far as the simulator reads it.
#[derive(Debug, Default, Deserialize)]
struct ClientFrame {
    #[serde(default)]
    action: String,
    #[serde(default)]
    sequence: Value,
    #[serde(default)]
    data: Value,
}

impl Channel<'_> {
    async fn send(&mut self, frame: Value) -> Result<(), End> {
        self.socket
            .send(Message::Text(Utf8Bytes::from(frame.to_string())))
            .await
            .map_err(End::Socket)
    }

    async fn close(&mut self, code: u16, reason: &str) -> Result<(), End> {
        let frame = CloseFrame {
            code,
            reason: Utf8Bytes::from(reason.to_owned()),
        };
        self.socket
            .send(Message::Close(Some(frame)))
            .await
            .map_err(End::Socket)
    }

    async fn run(&mut self, tmp_token: &str) -> Result<(), End> {
        let checked = lock(&self.state.tokens).take_ws(tmp_token, &self.conf_id);
        if let Err(reason) = checked {
            return self.close(1008, reason).await;
        }
        let timeout = self.state.live.heartbeat_timeout();
        let mut closing = self.state.live.closing.subscribe();
        // The subscription comes first.
        let subscribe = loop {
            let frame = tokio::select! {
                frame = tokio::time::timeout(timeout, self.socket.recv()) => frame,
                () = closed(&mut closing) => return self.close(1001, "the simulator stops").await,
            };
            match frame {
                Err(_) => {
                    return self
                        .close(1000, "no Subscribe before the heartbeat timeout")
                        .await;
                }
                Ok(None | Some(Err(_))) | Ok(Some(Ok(Message::Close(_)))) => return Ok(()),
                Ok(Some(Ok(Message::Text(text)))) => {
                    let frame: ClientFrame = serde_json::from_str(&text).unwrap_or_default();
                    match frame.action.as_str() {
                        "Subscribe" => break frame,
                        "HeartBeat" => self.echo(&frame).await?,
                        _ => {}
                    }
                }
                Ok(Some(Ok(_))) => {}
            }
        };
        if let Err(reason) = self.check_subscribe(&subscribe) {
            let reply = json!({
                "action": "Subscribe",
                "sequence": subscribe.sequence,
                "data": {"returnCode": 1, "returnDesc ": reason},
            });
            self.send(reply).await?;
            return self.close(1008, reason).await;
        }
        let desc_key = if self.faults().variants {
            "returnDesc "
        } else {
            "returnDesc"
        };
        self.send(json!({
            "action": "Subscribe",
            "sequence": subscribe.sequence,
            "data": {"returnCode": 0, desc_key: "SUCCESS"},
        }))
        .await?;
        let Some(mut rx) = watch_meeting(self.state, &self.conf_id) else {
            return self.close(1008, "the meeting no longer exists").await;
        };
        let mut shown = rx.borrow_and_update().clone();
        self.snapshots(&shown).await?;
        if shown.ended {
            return self.close(1000, "the meeting has ended").await;
        }
        let mut last_heard = tokio::time::Instant::now();
        loop {
            let idle = tokio::time::sleep_until(last_heard + timeout);
            tokio::select! {
                frame = self.socket.recv() => match frame {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return Ok(()),
                    Some(Ok(Message::Text(text))) => {
                        last_heard = tokio::time::Instant::now();
                        let frame: ClientFrame = serde_json::from_str(&text).unwrap_or_default();
                        if frame.action == "HeartBeat" {
                            self.echo(&frame).await?;
                        }
                    }
                    Some(Ok(_)) => last_heard = tokio::time::Instant::now(),
                },
                changed = rx.changed() => {
                    if changed.is_err() {
                        return self.close(1000, "the meeting was removed").await;
                    }
                    let next = rx.borrow_and_update().clone();
                    if self.faults().silent {
                        continue;
                    }
                    if self.state.live.take(|f| &mut f.disconnect) {
                        return Err(End::Abrupt);
                    }
                    self.changes(&shown, &next).await?;
                    shown = next;
                    if shown.ended {
                        return self.close(1000, "the meeting has ended").await;
                    }
                }
                () = idle => return self.close(1000, "no heartbeat before the timeout").await,
                () = closed(&mut closing) => return self.close(1001, "the simulator stops").await,
            }
        }
    }

    fn faults(&self) -> LiveFaults {
        self.state.live.faults()
    }

    async fn echo(&mut self, frame: &ClientFrame) -> Result<(), End> {
        if self.faults().silent {
            return Ok(());
        }
        self.send(json!({"sequence": frame.sequence, "action": "HeartBeat"}))
            .await
    }

    /// The subscription's `data` (a JSON string, or an object) names this
    /// meeting (or none) and carries a live control token of it.
    fn check_subscribe(&self, frame: &ClientFrame) -> Result<(), &'static str> {
        let data = match &frame.data {
            Value::String(s) => {
                serde_json::from_str::<Value>(s).map_err(|_| "`data` is not JSON")?
            }
            other => other.clone(),
        };
        if let Some(id) = data.get("conferenceID").and_then(Value::as_str)
            && id != self.conf_id
        {
            return Err("`conferenceID` is not the meeting of the channel");
        }
        let token = data
            .get("confToken")
            .and_then(Value::as_str)
            .and_then(hwmeeting_core::live::frame::control_token_of)
            .ok_or("`confToken` is missing")?;
        match lock(&self.state.tokens).conf_conference(&token) {
            Some(id) if id == self.conf_id => Ok(()),
            Some(_) => Err("`confToken` is a control token of another meeting"),
            None => Err("`confToken` is not a live control token"),
        }
    }

    /// A push: the header added, in the variant spelling when asked.
    fn push(&self, action: &str, full: bool, version: i64, mut body: Map<String, Value>) -> Value {
        let now = now_ms();
        let variants = self.faults().variants;
        let num = |n: i64| {
            if variants {
                json!(n.to_string())
            } else {
                json!(n)
            }
        };
        body.insert("confID".into(), json!(self.conf_id));
        body.insert("msgID".into(), json!(random_hex(16)));
        body.insert("msgMode".into(), num(i64::from(!full)));
        body.insert("version".into(), num(version));
        body.insert("createTime".into(), num(now as i64));
        body.insert("action".into(), json!(action));
        Value::Object(body)
    }

    fn people(&self, list: Vec<Value>) -> Map<String, Value> {
        let mut body = Map::new();
        body.insert("data".into(), Value::Array(list));
        body
    }

    fn entry(&self, pid: &str, mode: i64, info: &BTreeMap<String, String>) -> Value {
        let variants = self.faults().variants;
        let info: Map<String, Value> = info
            .iter()
            .map(|(k, v)| {
                let k = if variants && k == "CLIENT_LOGIN_TYPE" {
                    "CLICENT_LOGIN_TYPE"
                } else {
                    k.as_str()
                };
                (k.to_owned(), json!(v))
            })
            .collect();
        let mut e = json!({"pid": pid, "mode": mode});
        if mode == 0 {
            e["pinfoMap"] = Value::Object(info);
        }
        e
    }

    async fn snapshots(&mut self, s: &LiveState) -> Result<(), End> {
        let now = now_ms() as i64;
        let frames = [
            self.push("ConfBasicInfoNotify", true, now, s.basic.clone()),
            self.push("ConfDynamicInfoNotify", true, now, s.dynamic.clone()),
            self.push(
                "ParticipantsNotify",
                true,
                now,
                self.people(
                    s.participants
                        .iter()
                        .map(|(pid, info)| self.entry(pid, 0, info))
                        .collect(),
                ),
            ),
            self.push(
                "WaitingListNotify",
                true,
                now,
                self.people(
                    s.waiting
                        .iter()
                        .map(|(pid, info)| self.entry(pid, 0, info))
                        .collect(),
                ),
            ),
            self.push(
                "AttendeesNotify",
                true,
                now,
                self.people(s.attendees.clone()),
            ),
            self.push("SpeakerChangeNotify", true, now, Map::new()),
        ];
        for frame in frames {
            self.send(frame).await?;
        }
        Ok(())
    }

    /// Sends an increment of a topic, with the numbering faults.
    async fn delta(&mut self, action: &'static str, body: Map<String, Value>) -> Result<(), End> {
        let version = {
            let v = self.versions.entry(action).or_insert(0);
            *v += 1;
            *v
        };
        if self.state.live.take(|f| &mut f.gap) {
            return Ok(());
        }
        let frame = self.push(action, false, version, body);
        if self.state.live.take(|f| &mut f.repeat) {
            self.send(frame.clone()).await?;
        }
        self.send(frame).await
    }

    async fn changes(&mut self, old: &LiveState, new: &LiveState) -> Result<(), End> {
        if self.state.live.take(|f| &mut f.unknown_actions) {
            let mut body = Map::new();
            body.insert("data".into(), json!({"operation": "sim", "result": 0}));
            let frame = self.push("OperationResultNotify", true, now_ms() as i64, body);
            self.send(frame).await?;
        }
        let people = people_delta(&old.participants, &new.participants);
        if !people.is_empty() {
            let list = people
                .iter()
                .map(|(pid, m, i)| self.entry(pid, *m, i))
                .collect();
            let body = self.people(list);
            self.delta("ParticipantsNotify", body).await?;
        }
        let waiting = people_delta(&old.waiting, &new.waiting);
        if !waiting.is_empty() {
            let list = waiting
                .iter()
                .map(|(pid, m, i)| self.entry(pid, *m, i))
                .collect();
            let body = self.people(list);
            self.delta("WaitingListNotify", body).await?;
        }
        if old.attendees != new.attendees {
            let frame = self.push(
                "AttendeesNotify",
                true,
                now_ms() as i64,
                self.people(new.attendees.clone()),
            );
            self.send(frame).await?;
        }
        if old.basic != new.basic {
            let frame = self.push(
                "ConfBasicInfoNotify",
                true,
                now_ms() as i64,
                new.basic.clone(),
            );
            self.send(frame).await?;
        }
        let dynamic: Map<String, Value> = new
            .dynamic
            .iter()
            .filter(|(k, v)| old.dynamic.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !dynamic.is_empty() {
            self.delta("ConfDynamicInfoNotify", dynamic).await?;
        }
        Ok(())
    }
}

/// Waits until the simulator stops (the guard of `wait_for` is not `Send`:
/// it is dropped here).
async fn closed(closing: &mut watch::Receiver<bool>) {
    let _ = closing.wait_for(|c| *c).await;
}

/// The entries that take `old` to `new`: `(pid, mode, changed fields)`.
fn people_delta(
    old: &BTreeMap<String, BTreeMap<String, String>>,
    new: &BTreeMap<String, BTreeMap<String, String>>,
) -> Vec<(String, i64, BTreeMap<String, String>)> {
    let mut out = Vec::new();
    for (pid, info) in new {
        let changed: BTreeMap<String, String> = match old.get(pid) {
            None => info.clone(),
            Some(before) => info
                .iter()
                .filter(|(k, v)| before.get(*k) != Some(*v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        if !changed.is_empty() {
            out.push((pid.clone(), 0, changed));
        }
    }
    for pid in old.keys().filter(|pid| !new.contains_key(*pid)) {
        out.push((pid.clone(), 1, BTreeMap::new()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_deltas_carry_joins_changes_and_leaves() {
        let m = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let old: BTreeMap<_, _> = [
            ("a".to_owned(), m(&[("NAME", "A"), ("MUTE", "0")])),
            ("b".to_owned(), m(&[("NAME", "B")])),
        ]
        .into();
        let new: BTreeMap<_, _> = [
            ("a".to_owned(), m(&[("NAME", "A"), ("MUTE", "1")])),
            ("c".to_owned(), m(&[("NAME", "C")])),
        ]
        .into();
        assert_eq!(
            people_delta(&old, &new),
            vec![
                ("a".to_owned(), 0, m(&[("MUTE", "1")])),
                ("c".to_owned(), 0, m(&[("NAME", "C")])),
                ("b".to_owned(), 1, BTreeMap::new()),
            ]
        );
        assert!(people_delta(&new, &new).is_empty());
    }
}
