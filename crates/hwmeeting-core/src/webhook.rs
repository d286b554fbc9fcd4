//! Receiving the enterprise event push (webhook), sans-IO.
//!
//! The service POSTs one signed JSON envelope per event to the URL of the
//! push configuration:
//!
//! ```json
//! {"appID":"…","timestamp":1629183619116,"nonce":"85262798",
//!  "signature":"262c…8ff3","eventInfo":{"event":"meeting.verify","timestamp":1629183619116}}
//! ```
//!
//! There is no signature header: everything travels in the body. The
//! signature is the lower-case hex HMAC-SHA256, keyed by the configuration's
//! subscriber key, of `appID + timestamp + nonce + eventInfo`, where
//! `eventInfo` is the object's text **exactly as it appears in the body**.
//! [`Receiver::receive`] checks the `appID` (the subscriber ID), then the
//! signature over those bytes (never a re-serialisation: key order, spacing
//! and the escaping of non-ASCII names stay as the service wrote them),
//! compares in constant time, accepts upper- or lower-case hex, optionally
//! refuses stale timestamps and replayed nonces, and types the event.
//! [`Delivery::answer`] and [`WebhookError::answer`] say what to reply:
//! the `meeting.verify` handshake echoes the nonce, every other event gets
//! an empty 200.
//!
//! ```
//! use std::time::SystemTime;
//! use hwmeeting_core::Secret;
//! use hwmeeting_core::webhook::{Event, Receiver, WebhookConfig};
//!
//! // The published verify request (its key is `123456`).
//! let body = br#"{"appID":"1988692299","timestamp":1629183619116,"nonce":"85262798","signature":"262ccb5f8854f824c41ea5854ba1798bfa850706fbc85b2be9fd7535ed6b8ff3","eventInfo":{"event":"meeting.verify","timestamp":1629183619116}}"#;
//! let receiver = Receiver::new(WebhookConfig::new("1988692299", Secret::new("123456")));
//! let delivery = receiver.receive(body, SystemTime::now())?;
//! assert!(matches!(delivery.event, Event::Verify));
//! let answer = delivery.answer();
//! assert_eq!(answer.status, 200);
//! assert_eq!(answer.body, br#"{"event":"meeting.verify","nonce":"85262798"}"#);
//! # Ok::<(), hwmeeting_core::webhook::WebhookError>(())
//! ```

use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::Sha256;

use crate::Secret;

/// The `event` of the verification handshake.
pub const VERIFY_EVENT: &str = "meeting.verify";

/// The `Content-Type` the service sends and the verify answer carries.
pub const CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// Why a push was refused. Each kind has its own [`status`](Self::status)
/// and [`answer`](Self::answer).
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The `signature` does not match the body under the subscriber key.
    #[error(
        "event-push signature does not match ({reason}): the body was altered or signed with another subscriber key; check the key of the push configuration"
    )]
    BadSignature {
        /// What was wrong: a mismatch, or a signature that is not 64 hex digits.
        reason: &'static str,
    },
    /// The `appID` is not the configured subscriber ID.
    #[error(
        "event push is for subscriber `{received}`, but this receiver is for subscriber `{expected}`; check the subscriber ID of the push configuration"
    )]
    WrongAppId {
        /// The `appID` of the body.
        received: String,
        /// The configured subscriber ID.
        expected: String,
    },
    /// The body is not a valid event-push envelope.
    #[error(
        "malformed event-push body: {what}; expected a JSON object with `appID`, `timestamp`, `nonce`, `signature` and `eventInfo`"
    )]
    Malformed {
        /// What is malformed (the field and the JSON error).
        what: String,
    },
    /// The message `timestamp` lies outside the replay window.
    #[error(
        "event-push timestamp {timestamp} ms is {skew_ms} ms away from now, beyond the replay window of {window_ms} ms; check the clock or widen the window"
    )]
    StaleTimestamp {
        /// The message timestamp (Unix ms).
        timestamp: i64,
        /// How far it is from now (ms).
        skew_ms: u128,
        /// The window (ms).
        window_ms: u128,
    },
    /// This nonce (with this timestamp) was already received.
    #[error(
        "event push replayed: nonce `{nonce}` with timestamp {timestamp} was already received; the event was not handed on again"
    )]
    ReplayedNonce {
        /// The nonce.
        nonce: String,
        /// The message timestamp (Unix ms).
        timestamp: i64,
    },
}

impl WebhookError {
    /// The HTTP status to answer: 401 for a bad signature, a wrong
    /// `appID` or a stale timestamp, 400 for a malformed body, and 200 for
    /// a replayed nonce (already received: acknowledging it stops the
    /// service's retries, and the event is not handed on twice).
    pub fn status(&self) -> u16 {
        match self {
            WebhookError::BadSignature { .. }
            | WebhookError::WrongAppId { .. }
            | WebhookError::StaleTimestamp { .. } => 401,
            WebhookError::Malformed { .. } => 400,
            WebhookError::ReplayedNonce { .. } => 200,
        }
    }

    /// The answer to give: [`status`](Self::status) and a short plain-text
    /// body that names the kind of failure and nothing configured.
    pub fn answer(&self) -> Answer {
        let text: &[u8] = match self {
            WebhookError::BadSignature { .. } => b"bad signature",
            WebhookError::WrongAppId { .. } => b"unknown appID",
            WebhookError::Malformed { .. } => b"malformed body",
            WebhookError::StaleTimestamp { .. } => b"stale timestamp",
            WebhookError::ReplayedNonce { .. } => b"",
        };
        Answer {
            status: self.status(),
            content_type: (!text.is_empty()).then_some("text/plain;charset=UTF-8"),
            body: text.to_vec(),
        }
    }
}

/// What to answer the service: status, content type (none for an empty
/// body) and body bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` header, when there is a body.
    pub content_type: Option<&'static str>,
    /// The body.
    pub body: Vec<u8>,
}

/// Optional replay protection (off by default): refuse messages whose
/// timestamp is further than `window` from now, and remember the last
/// `nonces` (nonce, timestamp) pairs to refuse a second delivery.
///
/// The service keeps retrying a failed push for 24 hours and does not say
/// whether a retry keeps its timestamp, so a window shorter than 24 hours
/// may refuse late retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplayProtection {
    /// The largest distance between the message timestamp and now;
    /// `None` checks no timestamp.
    pub window: Option<Duration>,
    /// How many verified (nonce, timestamp) pairs to remember (oldest
    /// forgotten first); 0 remembers none.
    pub nonces: usize,
}

impl Default for ReplayProtection {
    /// A 24-hour-and-5-minute window (the service's retry tail) and 10,000 nonces.
    fn default() -> Self {
        ReplayProtection {
            window: Some(Duration::from_secs(24 * 3600 + 300)),
            nonces: 10_000,
        }
    }
}

/// The settings of a [`Receiver`]: the subscriber ID and key of the push
/// configuration, and optional replay protection.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    subscriber_id: String,
    subscriber_key: Secret,
    replay: Option<ReplayProtection>,
}

impl WebhookConfig {
    /// The settings for a configuration's `subscriberId` and
    /// `subscriberKey`, without replay protection.
    pub fn new(subscriber_id: impl Into<String>, subscriber_key: Secret) -> Self {
        WebhookConfig {
            subscriber_id: subscriber_id.into(),
            subscriber_key,
            replay: None,
        }
    }

    /// Turns on replay protection (see [`ReplayProtection`]).
    pub fn replay_protection(mut self, replay: ReplayProtection) -> Self {
        self.replay = Some(replay);
        self
    }

    /// The subscriber ID pushes must carry as `appID`.
    pub fn subscriber_id(&self) -> &str {
        &self.subscriber_id
    }
}

/// Verifies and types pushed events. Shareable between threads (the nonce
/// cache is behind a mutex); it does no I/O.
#[derive(Debug)]
pub struct Receiver {
    config: WebhookConfig,
    /// The HMAC state after the key, cloned per message (the key schedule
    /// is done once).
    mac: Hmac<Sha256>,
    seen: Mutex<NonceCache>,
}

#[derive(Debug, Default)]
struct NonceCache {
    order: VecDeque<(i64, String)>,
    set: HashSet<(i64, String)>,
}

impl NonceCache {
    /// Records a pair; false when it was already there.
    fn insert(&mut self, key: (i64, String), capacity: usize) -> bool {
        if capacity == 0 {
            return true;
        }
        if self.set.contains(&key) {
            return false;
        }
        while self.order.len() >= capacity {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
        self.set.insert(key.clone());
        self.order.push_back(key);
        true
    }
}

/// The envelope, borrowing from the body where it can.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "appID", borrow)]
    app_id: Cow<'a, str>,
    timestamp: i64,
    #[serde(borrow)]
    nonce: Cow<'a, str>,
    #[serde(borrow)]
    signature: Cow<'a, str>,
    #[serde(rename = "eventInfo", borrow)]
    event_info: &'a RawValue,
}

/// `eventInfo`, read in one pass: when `event` comes before `payload`
/// (the service's order) a known payload is typed on the way; otherwise
/// it is kept raw and typed afterwards.
struct EventHead<'a> {
    event: String,
    timestamp: i64,
    payload: Slot<'a>,
}

enum Slot<'a> {
    Absent,
    Raw(&'a RawValue),
    Meeting(MeetingInfo),
    Attendee(AttendeePayload),
}

/// The payload shape an event name has, if it is known.
#[derive(Clone, Copy)]
enum Shape {
    None,
    Meeting,
    Attendee,
    Unknown,
}

fn shape(event: &str) -> Shape {
    match event {
        VERIFY_EVENT => Shape::None,
        "meeting.started" | "meeting.end" | "meeting.conclude" | "record.finish"
        | "meeting.create" | "meeting.modify" | "meeting.cancel" => Shape::Meeting,
        "meeting.join" | "meeting.left" => Shape::Attendee,
        _ => Shape::Unknown,
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum HeadKey {
    Event,
    Timestamp,
    Payload,
    #[serde(other)]
    Other,
}

impl<'de: 'a, 'a> Deserialize<'de> for EventHead<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = EventHead<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with `event`, `timestamp` and `payload`")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Self::Value, M::Error> {
                use serde::de::Error as _;
                let mut event: Option<String> = None;
                let mut timestamp = None;
                let mut payload = Slot::Absent;
                while let Some(key) = map.next_key::<HeadKey>()? {
                    match key {
                        HeadKey::Event => event = Some(map.next_value()?),
                        HeadKey::Timestamp => timestamp = Some(map.next_value()?),
                        HeadKey::Payload => {
                            let name = event.as_deref().unwrap_or_default();
                            let context = |e: M::Error| {
                                M::Error::custom(format_args!("`payload` of `{name}`: {e}"))
                            };
                            payload = match event.as_deref().map(shape) {
                                Some(Shape::Meeting) => Slot::Meeting(
                                    map.next_value::<MeetingPayload>()
                                        .map_err(context)?
                                        .meeting_info,
                                ),
                                Some(Shape::Attendee) => {
                                    Slot::Attendee(map.next_value().map_err(context)?)
                                }
                                _ => Slot::Raw(map.next_value()?),
                            };
                        }
                        HeadKey::Other => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(EventHead {
                    event: event.ok_or_else(|| M::Error::missing_field("event"))?,
                    timestamp: timestamp.ok_or_else(|| M::Error::missing_field("timestamp"))?,
                    payload,
                })
            }
        }
        deserializer.deserialize_map(Visit(std::marker::PhantomData))
    }
}

#[derive(Deserialize)]
struct PayloadOnly<'a> {
    #[serde(default, borrow)]
    payload: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct MeetingPayload {
    #[serde(rename = "meetingInfo")]
    meeting_info: MeetingInfo,
}

#[derive(Deserialize)]
struct AttendeePayload {
    #[serde(rename = "meetingInfo")]
    meeting_info: MeetingInfo,
    #[serde(rename = "attendeeInfo")]
    attendee_info: AttendeeInfo,
}

/// The meeting an event is about (`payload.meetingInfo`). Fields the
/// service adds later are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct MeetingInfo {
    /// The meeting ID (`meetingID`, the conference ID).
    #[serde(rename = "meetingID")]
    pub meeting_id: String,
    /// The meeting UUID (`meetingUUID`).
    #[serde(rename = "meetingUUID")]
    pub meeting_uuid: String,
    /// The occurrence of a recurring meeting (`meetingCycleSubID`), sent
    /// with start, end, conclude and record events.
    #[serde(
        rename = "meetingCycleSubID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub meeting_cycle_sub_id: Option<String>,
}

/// Who joined or left (`payload.attendeeInfo`). Every field is optional:
/// the service documents them but not which are always present; `role` and
/// `userAgent` are kept as text (their values are not enumerated).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendeeInfo {
    /// The user's UUID.
    #[serde(rename = "userUUID", default, skip_serializing_if = "Option::is_none")]
    pub user_uuid: Option<String>,
    /// The client type, e.g. `WeLink-desktop`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// The account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The participant (site) ID in the meeting.
    #[serde(
        rename = "participantID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub participant_id: Option<String>,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// When they joined (Unix ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_time: Option<i64>,
    /// When they left (Unix ms); 0 in a join event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_time: Option<i64>,
    /// The role, e.g. `CHAIR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The call number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_number: Option<String>,
}

/// A typed event.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event {
    /// `meeting.verify`: the handshake when push is enabled; answer with
    /// [`Delivery::answer`] (it echoes the nonce).
    Verify,
    /// `meeting.started`: a meeting started.
    Started(MeetingInfo),
    /// `meeting.end`: a meeting ended (it can be rejoined until its
    /// scheduled end).
    End(MeetingInfo),
    /// `meeting.conclude`: a meeting was closed for good.
    Conclude(MeetingInfo),
    /// `record.finish`: a recording finished (no recording details: query
    /// the recording APIs).
    RecordFinish(MeetingInfo),
    /// `meeting.create`: a meeting was scheduled.
    Create(MeetingInfo),
    /// `meeting.modify`: a meeting was edited.
    Modify(MeetingInfo),
    /// `meeting.cancel`: a meeting was cancelled.
    Cancel(MeetingInfo),
    /// `meeting.join`: a participant joined.
    Join {
        /// The meeting.
        meeting: MeetingInfo,
        /// Who joined.
        attendee: AttendeeInfo,
    },
    /// `meeting.left`: a participant left.
    Left {
        /// The meeting.
        meeting: MeetingInfo,
        /// Who left.
        attendee: AttendeeInfo,
    },
    /// An event this version does not know, kept whole.
    Unknown {
        /// Its `event` name.
        event: String,
        /// The `eventInfo` object exactly as received.
        raw: Box<RawValue>,
    },
}

/// A verified push: the envelope's fields, the raw `eventInfo` and the
/// typed event.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The `appID` (the subscriber ID).
    pub app_id: String,
    /// The message timestamp (Unix ms).
    pub timestamp: i64,
    /// The nonce.
    pub nonce: String,
    /// The `event` name of `eventInfo`.
    pub event_name: String,
    /// The event's own timestamp (`eventInfo.timestamp`, Unix ms).
    pub event_timestamp: i64,
    /// The `eventInfo` object exactly as received.
    pub event_info: Box<RawValue>,
    /// The typed event.
    pub event: Event,
}

impl Delivery {
    /// What to answer: for `meeting.verify`, 200 with
    /// `{"event":"meeting.verify","nonce":…}` echoing the nonce; for every
    /// other event, 200 with no body.
    pub fn answer(&self) -> Answer {
        if matches!(self.event, Event::Verify) {
            return verify_answer(&self.nonce);
        }
        Answer {
            status: 200,
            content_type: None,
            body: Vec::new(),
        }
    }

    /// The `payload` of `eventInfo` exactly as received; `None` when
    /// absent (the verify event).
    pub fn payload(&self) -> Option<&RawValue> {
        // `event_info` parsed when it was received: this cannot fail.
        serde_json::from_str::<PayloadOnly<'_>>(self.event_info.get())
            .ok()
            .and_then(|p| p.payload)
    }

    /// One JSON line for logs and pipes: `{"event":…,"timestamp":…,"payload":…}`
    /// with the payload's bytes as received (`null` when absent).
    pub fn to_json_line(&self) -> String {
        let event = serde_json::Value::String(self.event_name.clone());
        let payload = self.payload().map_or("null", RawValue::get);
        format!(
            r#"{{"event":{event},"timestamp":{},"payload":{payload}}}"#,
            self.event_timestamp
        )
    }
}

/// The answer to a `meeting.verify` push with this nonce.
pub fn verify_answer(nonce: &str) -> Answer {
    let body = serde_json::json!({ "event": VERIFY_EVENT, "nonce": nonce });
    Answer {
        status: 200,
        content_type: Some(CONTENT_TYPE),
        body: body.to_string().into_bytes(),
    }
}

/// The lower-case hex signature of a message: HMAC-SHA256 keyed by the
/// subscriber key over `app_id + timestamp + nonce + event_info`. For
/// senders (the simulator) and tests.
pub fn sign(key: &Secret, app_id: &str, timestamp: i64, nonce: &str, event_info: &str) -> String {
    let mut mac = keyed(key);
    feed(&mut mac, app_id, timestamp, nonce, event_info);
    let tag = mac.finalize().into_bytes();
    let mut out = String::with_capacity(tag.len() * 2);
    for byte in tag {
        out.push(HEX[usize::from(byte >> 4)] as char);
        out.push(HEX[usize::from(byte & 0x0f)] as char);
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn keyed(key: &Secret) -> Hmac<Sha256> {
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    match Hmac::<Sha256>::new_from_slice(key.expose().as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of every length"),
    }
}

fn feed(mac: &mut Hmac<Sha256>, app_id: &str, timestamp: i64, nonce: &str, event_info: &str) {
    let mut digits = [0u8; 20];
    mac.update(app_id.as_bytes());
    mac.update(decimal(timestamp, &mut digits));
    mac.update(nonce.as_bytes());
    mac.update(event_info.as_bytes());
}

/// `value` in decimal, without allocating.
fn decimal(value: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut n = value.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if value < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    &buf[at..]
}

/// Decodes 64 hex digits (either case) into 32 bytes.
fn decode_hex(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        out[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(out)
}

fn malformed(what: impl fmt::Display) -> WebhookError {
    WebhookError::Malformed {
        what: what.to_string(),
    }
}

impl Receiver {
    /// A receiver for these settings.
    pub fn new(config: WebhookConfig) -> Self {
        let mac = keyed(&config.subscriber_key);
        Receiver {
            config,
            mac,
            seen: Mutex::new(NonceCache::default()),
        }
    }

    /// The settings.
    pub fn config(&self) -> &WebhookConfig {
        &self.config
    }

    /// Checks one request body and types its event. `now` is only read
    /// for replay protection.
    ///
    /// Order of checks: the envelope parses, the `appID` is the subscriber
    /// ID, the signature matches the body's own `eventInfo` bytes, the
    /// timestamp is in the window and the nonce is new (when replay
    /// protection is on), and the event is well-formed. A nonce is
    /// remembered only once its signature is verified.
    pub fn receive(&self, body: &[u8], now: SystemTime) -> Result<Delivery, WebhookError> {
        let envelope: Envelope<'_> = serde_json::from_slice(body).map_err(malformed)?;
        if envelope.app_id != self.config.subscriber_id {
            return Err(WebhookError::WrongAppId {
                received: envelope.app_id.into_owned(),
                expected: self.config.subscriber_id.clone(),
            });
        }
        let Some(expected) = decode_hex(&envelope.signature) else {
            return Err(WebhookError::BadSignature {
                reason: "`signature` is not 64 hex digits",
            });
        };
        let raw = envelope.event_info.get();
        let mut mac = self.mac.clone();
        feed(
            &mut mac,
            &envelope.app_id,
            envelope.timestamp,
            &envelope.nonce,
            raw,
        );
        if mac.verify_slice(&expected).is_err() {
            return Err(WebhookError::BadSignature {
                reason: "HMAC-SHA256 mismatch",
            });
        }
        let head: EventHead<'_> =
            serde_json::from_str(raw).map_err(|e| malformed(format_args!("`eventInfo`: {e}")))?;
        let event_name = head.event.clone();
        let event_timestamp = head.timestamp;
        let event = typed(head, envelope.event_info)?;
        if let Some(replay) = self.config.replay {
            check_window(envelope.timestamp, now, replay.window)?;
            let key = (envelope.timestamp, envelope.nonce.clone().into_owned());
            let fresh = match self.seen.lock() {
                Ok(mut seen) => seen.insert(key, replay.nonces),
                // A panic elsewhere while holding the cache leaves it
                // consistent (insert only pushes and pops): keep using it.
                Err(poisoned) => poisoned.into_inner().insert(key, replay.nonces),
            };
            if !fresh {
                return Err(WebhookError::ReplayedNonce {
                    nonce: envelope.nonce.into_owned(),
                    timestamp: envelope.timestamp,
                });
            }
        }
        Ok(Delivery {
            app_id: envelope.app_id.into_owned(),
            timestamp: envelope.timestamp,
            nonce: envelope.nonce.into_owned(),
            event_name,
            event_timestamp,
            event_info: envelope.event_info.to_owned(),
            event,
        })
    }
}

fn check_window(
    timestamp: i64,
    now: SystemTime,
    window: Option<Duration>,
) -> Result<(), WebhookError> {
    let Some(window) = window else {
        return Ok(());
    };
    let now_ms = match now.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i128,
        Err(e) => -(e.duration().as_millis() as i128),
    };
    let skew = (now_ms - i128::from(timestamp)).unsigned_abs();
    if skew > window.as_millis() {
        return Err(WebhookError::StaleTimestamp {
            timestamp,
            skew_ms: skew,
            window_ms: window.as_millis(),
        });
    }
    Ok(())
}

fn typed(head: EventHead<'_>, raw: &RawValue) -> Result<Event, WebhookError> {
    let name = head.event;
    let payload = match (shape(&name), head.payload) {
        (Shape::None, _) => return Ok(Event::Verify),
        (Shape::Unknown, _) => {
            return Ok(Event::Unknown {
                event: name,
                raw: raw.to_owned(),
            });
        }
        (_, Slot::Absent) => {
            return Err(malformed(format_args!(
                "`eventInfo.payload` is missing from a `{name}` event"
            )));
        }
        // A payload that came before `event` is typed now.
        (Shape::Meeting, Slot::Raw(p)) => {
            Slot::Meeting(late_payload::<MeetingPayload>(p, &name)?.meeting_info)
        }
        (Shape::Attendee, Slot::Raw(p)) => Slot::Attendee(late_payload(p, &name)?),
        (_, typed) => typed,
    };
    Ok(match (name.as_str(), payload) {
        ("meeting.started", Slot::Meeting(m)) => Event::Started(m),
        ("meeting.end", Slot::Meeting(m)) => Event::End(m),
        ("meeting.conclude", Slot::Meeting(m)) => Event::Conclude(m),
        ("record.finish", Slot::Meeting(m)) => Event::RecordFinish(m),
        ("meeting.create", Slot::Meeting(m)) => Event::Create(m),
        ("meeting.modify", Slot::Meeting(m)) => Event::Modify(m),
        ("meeting.cancel", Slot::Meeting(m)) => Event::Cancel(m),
        ("meeting.join", Slot::Attendee(p)) => Event::Join {
            meeting: p.meeting_info,
            attendee: p.attendee_info,
        },
        ("meeting.left", Slot::Attendee(p)) => Event::Left {
            meeting: p.meeting_info,
            attendee: p.attendee_info,
        },
        // `shape` and the visitor agree on every name: not reached.
        _ => {
            return Ok(Event::Unknown {
                event: name,
                raw: raw.to_owned(),
            });
        }
    })
}

fn late_payload<T: for<'de> Deserialize<'de>>(
    payload: &RawValue,
    name: &str,
) -> Result<T, WebhookError> {
    serde_json::from_str(payload.get())
        .map_err(|e| malformed(format_args!("`eventInfo`: `payload` of `{name}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERIFY: &str = r#"{"appID":"1988692299","timestamp":1629183619116,"nonce":"85262798","signature":"262ccb5f8854f824c41ea5854ba1798bfa850706fbc85b2be9fd7535ed6b8ff3","eventInfo":{"event":"meeting.verify","timestamp":1629183619116}}"#;

    fn receiver(id: &str, key: &str) -> Receiver {
        Receiver::new(WebhookConfig::new(id, Secret::new(key)))
    }

    fn envelope(app_id: &str, ts: i64, nonce: &str, info: &str, key: &str) -> String {
        let sig = sign(&Secret::new(key), app_id, ts, nonce, info);
        format!(
            r#"{{"appID":"{app_id}","timestamp":{ts},"nonce":"{nonce}","signature":"{sig}","eventInfo":{info}}}"#
        )
    }

    const JOIN_INFO: &str = r#"{"event":"meeting.join","timestamp":1671523596351,"payload":{"meetingInfo":{"meetingID":"987446316","meetingUUID":"0307e0400f0a11eca58a9fcb8e69dde8"},"attendeeInfo":{"userUUID":"f39228ec18ed4ff88afa754a69832952","userAgent":"WeLink-desktop","account":"yangtest01","participantID":"ebbe4e6cdc6111ee960a91a270e1373e","displayName":"杨测试01","joinTime":1709802363369,"leftTime":0,"role":"CHAIR","callNumber":"+86571264265330456"}}}"#;

    #[test]
    fn published_verify_vector_is_accepted_and_answered() {
        let d = receiver("1988692299", "123456")
            .receive(VERIFY.as_bytes(), SystemTime::now())
            .unwrap();
        assert!(matches!(d.event, Event::Verify));
        assert_eq!(d.nonce, "85262798");
        assert_eq!(d.timestamp, 1629183619116);
        assert_eq!(
            d.event_info.get(),
            r#"{"event":"meeting.verify","timestamp":1629183619116}"#
        );
        assert!(d.payload().is_none());
        assert_eq!(
            d.answer(),
            Answer {
                status: 200,
                content_type: Some("application/json;charset=UTF-8"),
                body: br#"{"event":"meeting.verify","nonce":"85262798"}"#.to_vec(),
            }
        );
        assert_eq!(
            d.to_json_line(),
            r#"{"event":"meeting.verify","timestamp":1629183619116,"payload":null}"#
        );
    }

    #[test]
    fn sign_reproduces_the_published_and_derived_vectors() {
        let key = Secret::new("123456");
        assert_eq!(
            sign(
                &key,
                "1988692299",
                1629183619116,
                "85262798",
                r#"{"event":"meeting.verify","timestamp":1629183619116}"#
            ),
            "262ccb5f8854f824c41ea5854ba1798bfa850706fbc85b2be9fd7535ed6b8ff3"
        );
        assert_eq!(
            sign(
                &key,
                "123456789",
                1629813991351,
                "60426560",
                r#"{"event":"meeting.started","timestamp":1629813991351,"payload":{"meetingInfo":{"meetingID":"987446316","meetingUUID":"0307e0400f0a11eca58a9fcb8e69dde8","meetingCycleSubID":"6038a614321511ecaf39ffbe33ed54dc"}}}"#
            ),
            "3369757df3495bdfeb361ebffd7c7d3f68db60d747672009ef533a980cb25228"
        );
    }

    #[test]
    fn derived_started_vector_types_the_meeting() {
        let body = r#"{"appID":"123456789","timestamp":1629813991351,"nonce":"60426560","signature":"3369757df3495bdfeb361ebffd7c7d3f68db60d747672009ef533a980cb25228","eventInfo":{"event":"meeting.started","timestamp":1629813991351,"payload":{"meetingInfo":{"meetingID":"987446316","meetingUUID":"0307e0400f0a11eca58a9fcb8e69dde8","meetingCycleSubID":"6038a614321511ecaf39ffbe33ed54dc"}}}}"#;
        let d = receiver("123456789", "123456")
            .receive(body.as_bytes(), SystemTime::now())
            .unwrap();
        let Event::Started(m) = &d.event else {
            panic!("not started: {:?}", d.event)
        };
        assert_eq!(m.meeting_id, "987446316");
        assert_eq!(m.meeting_uuid, "0307e0400f0a11eca58a9fcb8e69dde8");
        assert_eq!(
            m.meeting_cycle_sub_id.as_deref(),
            Some("6038a614321511ecaf39ffbe33ed54dc")
        );
        assert_eq!(d.answer().body, b"");
        assert_eq!(d.answer().status, 200);
    }

    #[test]
    fn every_tampered_byte_of_event_info_is_refused() {
        let r = receiver("1988692299", "123456");
        let start = VERIFY.find(r#"{"event""#).unwrap();
        for i in start..VERIFY.len() - 1 {
            let mut bytes = VERIFY.as_bytes().to_vec();
            // Flip a digit or letter to another of its kind so the JSON stays valid.
            let b = bytes[i];
            bytes[i] = match b {
                b'0'..=b'8' => b + 1,
                b'9' => b'0',
                b'a'..=b'y' => b + 1,
                _ => continue,
            };
            let err = r.receive(&bytes, SystemTime::now()).unwrap_err();
            assert!(
                matches!(err, WebhookError::BadSignature { .. }),
                "byte {i}: {err}"
            );
        }
    }

    #[test]
    fn tampered_nonce_timestamp_and_wrong_key_are_refused() {
        let r = receiver("1988692299", "123456");
        let nonce = VERIFY.replace("85262798", "85262799");
        let ts = VERIFY.replacen("1629183619116", "1629183619117", 1);
        for body in [nonce, ts] {
            let err = r.receive(body.as_bytes(), SystemTime::now()).unwrap_err();
            assert_eq!(
                err,
                WebhookError::BadSignature {
                    reason: "HMAC-SHA256 mismatch"
                }
            );
        }
        let err = receiver("1988692299", "1234567")
            .receive(VERIFY.as_bytes(), SystemTime::now())
            .unwrap_err();
        assert_eq!(err.status(), 401);
        assert_eq!(
            err.to_string(),
            "event-push signature does not match (HMAC-SHA256 mismatch): the body was altered or signed with another subscriber key; check the key of the push configuration"
        );
        assert_eq!(err.answer().body, b"bad signature");
    }

    #[test]
    fn upper_case_hex_is_accepted_and_non_hex_refused() {
        let r = receiver("1988692299", "123456");
        let upper = VERIFY.replace(
            "262ccb5f8854f824c41ea5854ba1798bfa850706fbc85b2be9fd7535ed6b8ff3",
            "262CCB5F8854F824C41EA5854BA1798BFA850706FBC85B2BE9FD7535ED6B8FF3",
        );
        assert!(r.receive(upper.as_bytes(), SystemTime::now()).is_ok());
        let short = VERIFY.replace("8ff3\"", "8ff\"");
        let bad = VERIFY.replace("8ff3\"", "8ffg\"");
        for body in [short, bad] {
            let err = r.receive(body.as_bytes(), SystemTime::now()).unwrap_err();
            assert_eq!(
                err.to_string(),
                "event-push signature does not match (`signature` is not 64 hex digits): the body was altered or signed with another subscriber key; check the key of the push configuration"
            );
        }
    }

    #[test]
    fn pretty_printed_event_info_signed_over_its_own_bytes_is_accepted() {
        let info = "{\n  \"event\": \"meeting.left\",\n  \"timestamp\": 1671523596351,\n  \"payload\": {\n    \"meetingInfo\": {\"meetingID\": \"987446316\", \"meetingUUID\": \"u\"},\n    \"attendeeInfo\": {\"displayName\": \"yang\", \"leftTime\": 1709802399449, \"extra\": [1, 2]}\n  },\n  \"future\": true\n}";
        let body = envelope("sub", 1671523596351, "1", info, "k");
        let d = receiver("sub", "k")
            .receive(body.as_bytes(), SystemTime::now())
            .unwrap();
        assert_eq!(d.event_info.get(), info);
        let Event::Left { meeting, attendee } = d.event else {
            panic!("not left")
        };
        assert_eq!(meeting.meeting_id, "987446316");
        assert_eq!(attendee.left_time, Some(1709802399449));
        assert_eq!(attendee.display_name.as_deref(), Some("yang"));
        assert_eq!(attendee.role, None);
        // The same object compacted does not verify under this signature.
        let compact: serde_json::Value = serde_json::from_str(info).unwrap();
        let sig = sign(&Secret::new("k"), "sub", 1671523596351, "1", info);
        let other = format!(
            r#"{{"appID":"sub","timestamp":1671523596351,"nonce":"1","signature":"{sig}","eventInfo":{compact}}}"#
        );
        assert!(matches!(
            receiver("sub", "k").receive(other.as_bytes(), SystemTime::now()),
            Err(WebhookError::BadSignature { .. })
        ));
    }

    #[test]
    fn non_ascii_names_verify_raw_and_escaped_forms_alike() {
        let r = receiver("123456789", "123456");
        let body = envelope("123456789", 1671523596351, "60426560", JOIN_INFO, "123456");
        let d = r.receive(body.as_bytes(), SystemTime::now()).unwrap();
        let Event::Join { meeting, attendee } = &d.event else {
            panic!("not join")
        };
        assert_eq!(meeting.meeting_cycle_sub_id, None);
        assert_eq!(attendee.display_name.as_deref(), Some("杨测试01"));
        assert_eq!(attendee.left_time, Some(0));
        assert_eq!(attendee.role.as_deref(), Some("CHAIR"));
        assert!(d.to_json_line().contains(r#""displayName":"杨测试01""#));
        // The service may escape non-ASCII: the escapes are what is signed.
        let escaped = JOIN_INFO.replace("杨测试01", r"\u6768\u6d4b\u8bd501");
        let body = envelope("123456789", 1671523596351, "60426560", &escaped, "123456");
        let d = r.receive(body.as_bytes(), SystemTime::now()).unwrap();
        let Event::Join { attendee, .. } = &d.event else {
            panic!("not join")
        };
        assert_eq!(attendee.display_name.as_deref(), Some("杨测试01"));
        // Signed over the escapes, sent raw: refused.
        let sig = sign(
            &Secret::new("123456"),
            "123456789",
            1671523596351,
            "60426560",
            &escaped,
        );
        let swapped = format!(
            r#"{{"appID":"123456789","timestamp":1671523596351,"nonce":"60426560","signature":"{sig}","eventInfo":{JOIN_INFO}}}"#
        );
        assert!(matches!(
            r.receive(swapped.as_bytes(), SystemTime::now()),
            Err(WebhookError::BadSignature { .. })
        ));
    }

    #[test]
    fn wrong_app_id_is_refused_with_its_own_error() {
        let err = receiver("other", "123456")
            .receive(VERIFY.as_bytes(), SystemTime::now())
            .unwrap_err();
        assert_eq!(err.status(), 401);
        assert_eq!(
            err.to_string(),
            "event push is for subscriber `1988692299`, but this receiver is for subscriber `other`; check the subscriber ID of the push configuration"
        );
        assert_eq!(err.answer().body, b"unknown appID");
    }

    #[test]
    fn malformed_bodies_name_what_is_wrong() {
        let r = receiver("sub", "k");
        let cases = [
            ("not json", "expected ident at line 1 column 2"),
            (r#"{"appID":"sub"}"#, "missing field `timestamp`"),
            (
                r#"{"appID":"sub","timestamp":"1","nonce":"1","signature":"","eventInfo":{}}"#,
                "invalid type: string \"1\", expected i64",
            ),
        ];
        for (body, what) in cases {
            let err = r.receive(body.as_bytes(), SystemTime::now()).unwrap_err();
            assert_eq!(err.status(), 400);
            let text = err.to_string();
            assert!(text.starts_with("malformed event-push body: "), "{text}");
            assert!(text.contains(what), "{text}");
        }
        // Signed, but the payload of a known event is missing or wrong.
        let info = r#"{"event":"meeting.started","timestamp":1}"#;
        let err = r
            .receive(
                envelope("sub", 1, "n", info, "k").as_bytes(),
                SystemTime::now(),
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "malformed event-push body: `eventInfo.payload` is missing from a `meeting.started` event; expected a JSON object with `appID`, `timestamp`, `nonce`, `signature` and `eventInfo`"
        );
        let info =
            r#"{"event":"meeting.join","timestamp":1,"payload":{"meetingInfo":{"meetingID":"1"}}}"#;
        let err = r
            .receive(
                envelope("sub", 1, "n", info, "k").as_bytes(),
                SystemTime::now(),
            )
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("`eventInfo`: `payload` of `meeting.join`: missing field `meetingUUID`"),
            "{err}"
        );
        assert_eq!(err.answer().body, b"malformed body");
    }

    #[test]
    fn a_payload_before_its_event_name_is_still_typed() {
        let info = r#"{"payload":{"meetingInfo":{"meetingID":"1","meetingUUID":"u"},"attendeeInfo":{"participantID":"p"}},"timestamp":7,"event":"meeting.left"}"#;
        let d = receiver("sub", "k")
            .receive(
                envelope("sub", 7, "n", info, "k").as_bytes(),
                SystemTime::now(),
            )
            .unwrap();
        let Event::Left { meeting, attendee } = &d.event else {
            panic!("not left: {:?}", d.event)
        };
        assert_eq!(
            (meeting.meeting_id.as_str(), meeting.meeting_uuid.as_str()),
            ("1", "u")
        );
        assert_eq!(attendee.participant_id.as_deref(), Some("p"));
        assert_eq!(
            d.payload().map(RawValue::get),
            Some(
                r#"{"meetingInfo":{"meetingID":"1","meetingUUID":"u"},"attendeeInfo":{"participantID":"p"}}"#
            )
        );
        let info = r#"{"payload":{"meetingInfo":{}},"timestamp":7,"event":"meeting.end"}"#;
        let err = receiver("sub", "k")
            .receive(
                envelope("sub", 7, "n", info, "k").as_bytes(),
                SystemTime::now(),
            )
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("`eventInfo`: `payload` of `meeting.end`: missing field `meetingID`"),
            "{err}"
        );
    }

    #[test]
    fn unknown_events_keep_their_raw_bytes() {
        let info = r#"{"event":"meeting.lobby","timestamp":5,"payload":{"x": 1}}"#;
        let d = receiver("sub", "k")
            .receive(
                envelope("sub", 5, "n", info, "k").as_bytes(),
                SystemTime::now(),
            )
            .unwrap();
        let Event::Unknown { event, raw } = &d.event else {
            panic!("not unknown")
        };
        assert_eq!(event, "meeting.lobby");
        assert_eq!(raw.get(), info);
        assert_eq!(
            d.to_json_line(),
            r#"{"event":"meeting.lobby","timestamp":5,"payload":{"x": 1}}"#
        );
        assert_eq!(d.answer().status, 200);
    }

    #[test]
    fn replay_protection_is_off_by_default() {
        let r = receiver("1988692299", "123456");
        let far_future = UNIX_EPOCH + Duration::from_secs(4_000_000_000);
        assert!(r.receive(VERIFY.as_bytes(), far_future).is_ok());
        assert!(r.receive(VERIFY.as_bytes(), far_future).is_ok());
    }

    #[test]
    fn replay_protection_refuses_stale_timestamps_and_repeated_nonces() {
        let config = WebhookConfig::new("1988692299", Secret::new("123456")).replay_protection(
            ReplayProtection {
                window: Some(Duration::from_secs(60)),
                nonces: 2,
            },
        );
        let r = Receiver::new(config);
        let at = |ms: u64| UNIX_EPOCH + Duration::from_millis(ms);
        let err = r
            .receive(VERIFY.as_bytes(), at(1629183619116 + 60_001))
            .unwrap_err();
        assert_eq!(err.status(), 401);
        assert_eq!(
            err.to_string(),
            "event-push timestamp 1629183619116 ms is 60001 ms away from now, beyond the replay window of 60000 ms; check the clock or widen the window"
        );
        assert!(
            r.receive(VERIFY.as_bytes(), at(1629183619116 - 60_000))
                .is_ok()
        );
        let err = r.receive(VERIFY.as_bytes(), at(1629183619116)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "event push replayed: nonce `85262798` with timestamp 1629183619116 was already received; the event was not handed on again"
        );
        assert_eq!(
            err.answer(),
            Answer {
                status: 200,
                content_type: None,
                body: vec![]
            }
        );
        // A forged body does not enter the cache; two other nonces push the first out.
        let info = r#"{"event":"meeting.verify","timestamp":1629183619116}"#;
        for nonce in ["1", "2"] {
            let body = envelope("1988692299", 1629183619116, nonce, info, "123456");
            r.receive(body.as_bytes(), at(1629183619116)).unwrap();
        }
        assert!(r.receive(VERIFY.as_bytes(), at(1629183619116)).is_ok());
    }

    #[test]
    fn decimal_writes_every_i64() {
        let mut buf = [0u8; 20];
        for v in [0, 7, -7, 1629183619116, i64::MAX, i64::MIN] {
            assert_eq!(decimal(v, &mut buf), v.to_string().as_bytes());
        }
    }
}
