//! The enterprise event push, live: enabling a push configuration sends
//! `meeting.verify` (the configuration is enabled only when the nonce comes
//! back), and every meeting state change then POSTs its signed event to
//! the configured URL, exactly as configured (path included).
//!
//! Each event body is the documented envelope with compact `eventInfo`
//! bytes (keys in the service's order: `event`, `timestamp`, `payload`),
//! signed with HMAC-SHA256 keyed by the subscriber key over
//! `appID + timestamp + nonce + eventInfo`, lower-case hex, and sent with
//! the documented headers. Deliveries run on one background task per
//! configuration, so a handler never waits and events of a configuration
//! arrive in order; a failed push (any answer but 200, a timeout, a
//! connection error) is retried after 1, 1, 1 retry units and then every
//! 60 units until 2,880 units have passed (the service's 30 s, 30 s, 30 s,
//! every 30 min for 24 h, with the unit [`SimConfig::webhook_retry_ms`]
//! defaulting to 30 s). A retry resends the same bytes. Every attempt is
//! recorded ([`DeliveryAttempt`], `GET /_sim/webhook-deliveries`).
//!
//! Which events: `meeting.create`/`modify`/`cancel` from the scheduling
//! calls, `meeting.started` when a run begins, `meeting.join` and
//! `meeting.left` whenever the attendance of a running meeting changes
//! (API calls and the `/_sim/` participant routes alike),
//! `meeting.end` then `meeting.conclude` when it stops, then
//! `record.finish` when the run leaves a recording. Every enabled
//! configuration receives every event (the simulator holds one
//! enterprise's meetings).
//!
//! [`SimConfig::webhook_retry_ms`]: crate::SimConfig::webhook_retry_ms

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hwmeeting_core::Secret;
use hwmeeting_core::webhook::{AttendeeInfo, MeetingInfo, VERIFY_EVENT, sign};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::conferences::Conference;
use crate::history::Attendance;
use crate::recordings::Recording;
use crate::state::SimState;
use crate::webhooks::Webhooks;
use crate::{lock, now_ms, random_hex, stable_id};

/// How long one delivery attempt may take before it counts as failed.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// Retry units after the first attempt: three single ones, then 60 at a
/// time, up to 2,880 in all (30 s, 30 min and 24 h at the real unit).
const FIRST_RETRIES: u32 = 3;
const LATER_RETRY_UNITS: u32 = 60;
const TOTAL_UNITS: u32 = 2_880;

/// One delivery attempt, as `GET /_sim/webhook-deliveries` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryAttempt {
    /// The record ID of the push configuration.
    pub config_id: String,
    /// The URL posted to.
    pub url: String,
    /// The `event` pushed.
    pub event: String,
    /// The nonce of the message (the same for every attempt of an event).
    pub nonce: String,
    /// The message timestamp, Unix ms.
    pub timestamp: i64,
    /// 1 for the first attempt, 2 for the first retry, and so on.
    pub attempt: u32,
    /// The HTTP status answered, if any.
    #[serde(default)]
    pub status: Option<u16>,
    /// Why the attempt failed without a status, or what was wrong with the
    /// answer (a verify answer without the nonce).
    #[serde(default)]
    pub error: Option<String>,
    /// Whether the attempt counts as delivered.
    pub delivered: bool,
}

/// One message to deliver.
struct Job {
    config_id: String,
    url: String,
    event: String,
    nonce: String,
    timestamp: i64,
    body: String,
}

/// The push machinery of one simulator.
pub(crate) struct EventPush {
    runtime: Option<tokio::runtime::Handle>,
    client: Result<reqwest::Client, String>,
    retry_unit: Duration,
    /// Whether hosts other than the loopback are pushed to.
    remote: bool,
    queues: Mutex<HashMap<String, mpsc::UnboundedSender<Job>>>,
    attempts: Arc<Mutex<Vec<DeliveryAttempt>>>,
}

impl std::fmt::Debug for EventPush {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventPush")
            .field("retry_unit", &self.retry_unit)
            .finish_non_exhaustive()
    }
}

impl EventPush {
    /// Set up from the configuration: the retry unit, the extra CA
    /// certificates (PEM) trusted for `https://` URLs, and whether hosts
    /// other than the loopback are pushed to.
    pub(crate) fn new(retry_unit: Duration, extra_ca_pems: &[Vec<u8>], remote: bool) -> Self {
        EventPush {
            runtime: tokio::runtime::Handle::try_current().ok(),
            client: client(extra_ca_pems),
            retry_unit,
            remote,
            queues: Mutex::new(HashMap::new()),
            attempts: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Every attempt so far, oldest first.
    pub(crate) fn attempts(&self) -> Vec<DeliveryAttempt> {
        lock(&self.attempts).clone()
    }

    /// Forgets the recorded attempts; how many there were.
    pub(crate) fn clear(&self) -> usize {
        let mut attempts = lock(&self.attempts);
        let n = attempts.len();
        attempts.clear();
        n
    }

    /// Queues a job on its configuration's task (started on first use).
    fn enqueue(&self, hooks: &Arc<Mutex<Webhooks>>, job: Job) {
        if !self.remote && !is_loopback(&job.url) {
            let error = "not pushed: the simulator pushes only to loopback hosts unless remote pushes are on (--webhook-remote)";
            self.record(&job, 1, None, Some(error.to_owned()), false);
            return;
        }
        let mut queues = lock(&self.queues);
        let job = match queues.get(&job.config_id) {
            Some(tx) => match tx.send(job) {
                Ok(()) => return,
                Err(mpsc::error::SendError(job)) => job,
            },
            None => job,
        };
        let (Some(runtime), Ok(client)) = (&self.runtime, &self.client) else {
            let error = match &self.client {
                Err(e) => e.clone(),
                Ok(_) => "no tokio runtime to deliver from".to_owned(),
            };
            tracing::warn!("event push not delivered: {error}");
            self.record(&job, 1, None, Some(error), false);
            return;
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let id = job.config_id.clone();
        // A fresh channel always has its receiver: this send cannot fail.
        let _ = tx.send(job);
        queues.insert(id, tx);
        runtime.spawn(worker(Worker {
            rx,
            client: client.clone(),
            retry_unit: self.retry_unit,
            hooks: Arc::clone(hooks),
            attempts: Arc::clone(&self.attempts),
        }));
    }

    fn record(
        &self,
        job: &Job,
        attempt: u32,
        status: Option<u16>,
        error: Option<String>,
        delivered: bool,
    ) {
        lock(&self.attempts).push(attempt_of(job, attempt, status, error, delivered));
    }
}

fn attempt_of(
    job: &Job,
    attempt: u32,
    status: Option<u16>,
    error: Option<String>,
    delivered: bool,
) -> DeliveryAttempt {
    DeliveryAttempt {
        config_id: job.config_id.clone(),
        url: job.url.clone(),
        event: job.event.clone(),
        nonce: job.nonce.clone(),
        timestamp: job.timestamp,
        attempt,
        status,
        error,
        delivered,
    }
}

fn client(extra_ca_pems: &[Vec<u8>]) -> Result<reqwest::Client, String> {
    let extra = hwmeeting_core::trust::extra_root_certificates(extra_ca_pems)
        .map_err(|e| format!("webhook CA certificates unusable: {e}"))?;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for der in extra {
        roots
            .add(der)
            .map_err(|e| format!("webhook CA certificate unusable: {e}"))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("webhook TLS setup failed: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .timeout(ATTEMPT_TIMEOUT)
        // The URL is used exactly as configured: no redirects followed.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("webhook HTTP client setup failed: {e}"))
}

struct Worker {
    rx: mpsc::UnboundedReceiver<Job>,
    client: reqwest::Client,
    retry_unit: Duration,
    hooks: Arc<Mutex<Webhooks>>,
    attempts: Arc<Mutex<Vec<DeliveryAttempt>>>,
}

/// Delivers a configuration's jobs one after the other.
async fn worker(mut w: Worker) {
    while let Some(job) = w.rx.recv().await {
        if job.event == VERIFY_EVENT {
            let result = post(&w.client, &job).await;
            let (status, error, ok) = match result {
                Ok((status, body)) => match verify_answer_error(status, &body, &job.nonce) {
                    None => (Some(status), None, true),
                    Some(e) => (Some(status), Some(e), false),
                },
                Err(e) => (None, Some(e), false),
            };
            lock(&w.attempts).push(attempt_of(&job, 1, status, error, ok));
            if let Some(c) = lock(&w.hooks).by_id_mut(&job.config_id) {
                // 0 enabled, 1 not enabled.
                c.status = if ok { 0 } else { 1 };
            }
            continue;
        }
        let mut attempt = 1;
        let mut waited = 0u32;
        loop {
            // A configuration replaced, deleted or turned off meanwhile
            // gets nothing more.
            let live = lock(&w.hooks)
                .configs
                .iter()
                .any(|c| c.id == job.config_id && c.status == 0);
            if !live {
                break;
            }
            let (status, error) = match post(&w.client, &job).await {
                Ok((status, _)) => (Some(status), None),
                Err(e) => (None, Some(e)),
            };
            let delivered = status == Some(200);
            lock(&w.attempts).push(attempt_of(&job, attempt, status, error, delivered));
            if delivered {
                break;
            }
            let Some(units) = next_wait(attempt, waited) else {
                tracing::warn!(event = %job.event, url = %job.url, "event push dropped after {attempt} attempts");
                break;
            };
            waited += units;
            attempt += 1;
            tokio::time::sleep(w.retry_unit * units).await;
        }
    }
}

/// How many retry units to wait after failed attempt `attempt` (1-based),
/// `waited` units having passed since the first; `None` once the next
/// wait would pass the 2,880 units (24 hours): the event is dropped.
fn next_wait(attempt: u32, waited: u32) -> Option<u32> {
    let units = if attempt <= FIRST_RETRIES {
        1
    } else {
        LATER_RETRY_UNITS
    };
    (waited + units <= TOTAL_UNITS).then_some(units)
}

/// What is wrong with a verify answer, if anything: it must be 200 with
/// JSON `event` `meeting.verify` and the same `nonce`.
fn verify_answer_error(status: u16, body: &[u8], nonce: &str) -> Option<String> {
    if status != 200 {
        return Some(format!("verify answered {status}, not 200"));
    }
    let answer: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Some(format!("verify answer is not JSON: {e}")),
    };
    if answer.get("event").and_then(|v| v.as_str()) != Some(VERIFY_EVENT) {
        return Some("verify answer lacks `\"event\":\"meeting.verify\"`".to_owned());
    }
    match answer.get("nonce").and_then(|v| v.as_str()) {
        Some(n) if n == nonce => None,
        Some(n) => Some(format!("verify answer echoes nonce `{n}`, not `{nonce}`")),
        None => Some("verify answer lacks the `nonce`".to_owned()),
    }
}

/// POSTs the body; the status and the body answered.
async fn post(client: &reqwest::Client, job: &Job) -> Result<(u16, Vec<u8>), String> {
    let response = client
        .post(&job.url)
        .header("Content-Type", "application/json;charset=UTF-8")
        .header(
            "Date",
            httpdate::fmt_http_date(std::time::SystemTime::now()),
        )
        .header("Connection", "keep-alive")
        .header("Pragma", "No-cache")
        .header("Cache-Control", "no-cache")
        .header("X-Request-ID", random_hex(16))
        .body(job.body.clone())
        .send()
        .await
        .map_err(|e| error_text(&e))?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(|e| error_text(&e))?;
    Ok((status, body.to_vec()))
}

fn error_text(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    if e.is_timeout() {
        format!("timed out: {text}")
    } else {
        text
    }
}

/// An 8-digit nonce, as the service's examples.
fn nonce() -> String {
    use rand::Rng as _;
    format!("{:08}", rand::rng().random_range(0..100_000_000u32))
}

/// The signed envelope of an event; its nonce and timestamp.
fn envelope(app_id: &str, key: &Secret, timestamp: i64, event_info: &str) -> (String, String) {
    let nonce = nonce();
    let signature = sign(key, app_id, timestamp, &nonce, event_info);
    let app = serde_json::Value::String(app_id.to_owned());
    let body = format!(
        r#"{{"appID":{app},"timestamp":{timestamp},"nonce":"{nonce}","signature":"{signature}","eventInfo":{event_info}}}"#
    );
    (body, nonce)
}

/// `eventInfo` in the service's key order, compact.
fn event_info(event: &str, timestamp: i64, payload: Option<&Payload<'_>>) -> String {
    let name = serde_json::Value::String(event.to_owned());
    match payload.and_then(|p| serde_json::to_string(p).ok()) {
        Some(p) => format!(r#"{{"event":{name},"timestamp":{timestamp},"payload":{p}}}"#),
        None => format!(r#"{{"event":{name},"timestamp":{timestamp}}}"#),
    }
}

#[derive(Serialize)]
struct Payload<'a> {
    #[serde(rename = "meetingInfo")]
    meeting_info: &'a MeetingInfo,
    #[serde(rename = "attendeeInfo", skip_serializing_if = "Option::is_none")]
    attendee_info: Option<&'a AttendeeInfo>,
}

/// Sends `meeting.verify` for a configuration being enabled; it becomes
/// enabled (status 0) only if the answer echoes the nonce.
pub(crate) fn verify(state: &SimState, config_id: &str) {
    let job = {
        let mut hooks = lock(&state.webhooks);
        let Some(c) = hooks.by_id_mut(config_id) else {
            return;
        };
        // Not enabled until the receiver answers.
        c.status = 1;
        let timestamp = now_ms() as i64;
        let info = event_info(VERIFY_EVENT, timestamp, None);
        let (body, nonce) = envelope(&c.subscriber_id, &c.subscriber_key, timestamp, &info);
        Job {
            config_id: c.id.clone(),
            url: c.url.clone(),
            event: VERIFY_EVENT.to_owned(),
            body,
            nonce,
            timestamp,
        }
    };
    state.event_push.enqueue(&state.webhooks, job);
}

/// Pushes one event to every enabled configuration.
fn emit(state: &SimState, event: &str, payload: Payload<'_>) {
    let jobs: Vec<Job> = {
        let hooks = lock(&state.webhooks);
        hooks
            .configs
            .iter()
            .filter(|c| c.status == 0)
            .map(|c| {
                // The event's time is the message's, as in every example.
                let timestamp = now_ms() as i64;
                let info = event_info(event, timestamp, Some(&payload));
                let (body, nonce) = envelope(&c.subscriber_id, &c.subscriber_key, timestamp, &info);
                Job {
                    config_id: c.id.clone(),
                    url: c.url.clone(),
                    event: event.to_owned(),
                    nonce,
                    timestamp,
                    body,
                }
            })
            .collect()
    };
    for job in jobs {
        state.event_push.enqueue(&state.webhooks, job);
    }
}

fn any_enabled(state: &SimState) -> bool {
    lock(&state.webhooks).configs.iter().any(|c| c.status == 0)
}

fn meeting_info(c: &Conference, with_cycle: bool) -> MeetingInfo {
    MeetingInfo {
        meeting_id: c.id.clone(),
        meeting_uuid: c.uuid.clone(),
        // The occurrence held now for a series; a one-off meeting's only
        // occurrence is its run (the service's examples always carry one).
        meeting_cycle_sub_id: with_cycle.then(|| {
            c.plan
                .series
                .as_ref()
                .and_then(|s| s.subs.first())
                .map_or_else(|| c.uuid.clone(), |sub| sub.id.clone())
        }),
    }
}

fn meeting_event(state: &SimState, event: &str, c: &Conference, with_cycle: bool) {
    if !any_enabled(state) {
        return;
    }
    let meeting = meeting_info(c, with_cycle);
    emit(
        state,
        event,
        Payload {
            meeting_info: &meeting,
            attendee_info: None,
        },
    );
}

/// `meeting.create` for a meeting just scheduled.
pub(crate) fn created(state: &SimState, c: &Conference) {
    meeting_event(state, "meeting.create", c, false);
}

/// `meeting.modify` for a meeting just edited.
pub(crate) fn modified(state: &SimState, c: &Conference) {
    meeting_event(state, "meeting.modify", c, false);
}

/// `meeting.cancel` for a meeting just cancelled.
pub(crate) fn cancelled(state: &SimState, c: &Conference) {
    meeting_event(state, "meeting.cancel", c, false);
}

/// `meeting.started` when a run begins, then `meeting.join` for everyone
/// already in it.
pub(crate) fn started(state: &SimState, c: &Conference) {
    meeting_event(state, "meeting.started", c, true);
    for (i, stay) in c.attendance.iter().enumerate() {
        if stay.left_ms.is_none() {
            attendance_event(state, c, i, true);
        }
    }
}

/// `meeting.end` then `meeting.conclude` when a run stops, then
/// `record.finish` if it left a recording. `c` is the meeting after its
/// run ended (its UUID is still the run's).
pub(crate) fn stopped(state: &SimState, c: &Conference, recording: Option<&Recording>) {
    meeting_event(state, "meeting.end", c, true);
    meeting_event(state, "meeting.conclude", c, true);
    if recording.is_some() {
        meeting_event(state, "record.finish", c, true);
    }
}

fn attendance_event(state: &SimState, c: &Conference, index: usize, join: bool) {
    let Some(stay) = c.attendance.get(index) else {
        return;
    };
    let meeting = meeting_info(c, false);
    let attendee = attendee_info(c, stay, join);
    emit(
        state,
        if join { "meeting.join" } else { "meeting.left" },
        Payload {
            meeting_info: &meeting,
            attendee_info: Some(&attendee),
        },
    );
}

fn attendee_info(c: &Conference, stay: &Attendance, join: bool) -> AttendeeInfo {
    let chair = c
        .participants
        .iter()
        .find(|p| p.participant_id == stay.participant_id)
        .map(|p| p.is_chair);
    AttendeeInfo {
        user_uuid: Some(stable_id(&stay.participant_id)),
        user_agent: Some("hwmeeting-sim".to_owned()),
        account: None,
        participant_id: Some(stay.participant_id.clone()),
        display_name: Some(stay.name.clone()),
        join_time: Some(stay.join_ms as i64),
        left_time: Some(if join {
            0
        } else {
            stay.left_ms.unwrap_or(0) as i64
        }),
        role: chair.map(|chair| if chair { "CHAIR" } else { "GENERAL" }.to_owned()),
        call_number: stay.phone.clone(),
    }
}

/// [`Conference::sync_attendance`], then `meeting.join`/`meeting.left`
/// for every stay it opened or closed. Every place that moves participants
/// calls this instead.
pub(crate) fn sync_attendance(state: &SimState, c: &mut Conference, now: u64) {
    let before = c.attendance.len();
    let open: Vec<usize> = c
        .attendance
        .iter()
        .enumerate()
        .filter(|(_, s)| s.left_ms.is_none())
        .map(|(i, _)| i)
        .collect();
    c.sync_attendance(now);
    if !any_enabled(state) {
        return;
    }
    for i in open {
        if c.attendance.get(i).is_some_and(|s| s.left_ms.is_some()) {
            attendance_event(state, c, i, false);
        }
    }
    for i in before..c.attendance.len() {
        attendance_event(state, c, i, true);
    }
}

/// Whether an event-push URL may be configured: `https://`, or `http://`
/// to a loopback host.
pub(crate) fn url_allowed(url: &str) -> bool {
    let Ok(parsed) = url::Url::parse(url) else {
        return false;
    };
    match parsed.scheme() {
        "https" => parsed.host().is_some(),
        "http" => is_loopback(url),
        _ => false,
    }
}

/// Whether a URL names the loopback (`localhost`, 127.0.0.0/8, `::1`).
fn is_loopback(url: &str) -> bool {
    match url::Url::parse(url).ok().as_ref().and_then(url::Url::host) {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_info_is_compact_in_service_order() {
        let meeting = MeetingInfo {
            meeting_id: "987446316".into(),
            meeting_uuid: "0307e0400f0a11eca58a9fcb8e69dde8".into(),
            meeting_cycle_sub_id: Some("6038a614321511ecaf39ffbe33ed54dc".into()),
        };
        let p = Payload {
            meeting_info: &meeting,
            attendee_info: None,
        };
        let info = event_info("meeting.started", 1629813991351, Some(&p));
        assert_eq!(
            info,
            r#"{"event":"meeting.started","timestamp":1629813991351,"payload":{"meetingInfo":{"meetingID":"987446316","meetingUUID":"0307e0400f0a11eca58a9fcb8e69dde8","meetingCycleSubID":"6038a614321511ecaf39ffbe33ed54dc"}}}"#
        );
        // The derived vector of events.md 1.6.
        assert_eq!(
            sign(
                &Secret::new("123456"),
                "123456789",
                1629813991351,
                "60426560",
                &info
            ),
            "3369757df3495bdfeb361ebffd7c7d3f68db60d747672009ef533a980cb25228"
        );
        assert_eq!(
            event_info(VERIFY_EVENT, 1629183619116, None),
            r#"{"event":"meeting.verify","timestamp":1629183619116}"#
        );
    }

    #[test]
    fn retries_follow_the_documented_schedule() {
        // At the real unit (30 s): 30 s three times, then every 30 min
        // until 24 h have passed, then the event is dropped.
        let mut waits = Vec::new();
        let (mut attempt, mut waited) = (1, 0);
        while let Some(units) = next_wait(attempt, waited) {
            waits.push(units);
            waited += units;
            attempt += 1;
        }
        assert_eq!(&waits[..4], [1, 1, 1, 60]);
        assert!(waits[3..].iter().all(|&u| u == 60));
        assert_eq!(waits.len(), 3 + 47);
        assert_eq!(waited, 3 + 47 * 60);
        assert!(waited <= 2_880 && waited + 60 > 2_880);
        assert_eq!(attempt, 51, "the first attempt and 50 retries");
    }

    #[test]
    fn urls_are_https_or_loopback_http() {
        assert!(url_allowed("https://example.com/openapi/meetingevent"));
        assert!(url_allowed("http://127.0.0.1:8080/hook"));
        assert!(url_allowed("http://[::1]:8080/hook"));
        assert!(url_allowed("http://localhost/x"));
        assert!(!url_allowed("http://example.com/hook"));
        assert!(!url_allowed("http://10.0.0.1/hook"));
        assert!(is_loopback("https://127.0.0.1:9/hook"));
        assert!(!is_loopback("https://hooks.example.com/hook"));
        assert!(!url_allowed("ftp://127.0.0.1/"));
        assert!(!url_allowed("https://"));
    }

    #[test]
    fn verify_answers_must_echo_the_nonce() {
        let ok = br#"{"event":"meeting.verify","nonce":"12345678"}"#;
        assert_eq!(verify_answer_error(200, ok, "12345678"), None);
        assert_eq!(
            verify_answer_error(200, ok, "87654321").as_deref(),
            Some("verify answer echoes nonce `12345678`, not `87654321`")
        );
        assert_eq!(
            verify_answer_error(500, ok, "12345678").as_deref(),
            Some("verify answered 500, not 200")
        );
        assert!(verify_answer_error(200, b"", "1").is_some());
    }
}
