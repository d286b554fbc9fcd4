//! What a client sends: the connection URL, `Subscribe` and `HeartBeat`
//! frames, written exactly as the service documents them (events.md 2.1
//! to 2.3).

use base64::Engine as _;
use serde::Serialize;

use super::LiveError;
use crate::Secret;

/// The connection path under the `wsURL` of the control-token answer.
pub const CONNECTION_PATH: &str = "/cms/open/websocket/confctl/increment/conn";

/// A push topic (a `subscribeType`, and the `action` of its pushes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Topic {
    /// `ConfBasicInfoNotify`: the meeting's basic information.
    ConfBasicInfo,
    /// `ConfDynamicInfoNotify`: its state (lock, recording, end).
    ConfDynamicInfo,
    /// `ParticipantsNotify`: the participants online.
    Participants,
    /// `AttendeesNotify`: the invitees of the scheduled meeting.
    Attendees,
    /// `SpeakerChangeNotify`: the active speakers.
    SpeakerChange,
    /// `InviteResultNotify`: invitation results and leave reasons.
    InviteResult,
    /// `RealTimeSubtitleNotify`: live captions.
    RealTimeSubtitle,
    /// `WaitingListNotify`: the waiting room.
    WaitingList,
    /// `InterpreterGroupNotify`: simultaneous interpretation groups.
    InterpreterGroup,
    /// `NetConditionNotify`: media quality (older documentation only).
    NetCondition,
}

impl Topic {
    /// Every topic, in the order of the documentation.
    pub const ALL: [Topic; 10] = [
        Topic::ConfBasicInfo,
        Topic::ConfDynamicInfo,
        Topic::Participants,
        Topic::Attendees,
        Topic::SpeakerChange,
        Topic::InviteResult,
        Topic::RealTimeSubtitle,
        Topic::WaitingList,
        Topic::InterpreterGroup,
        Topic::NetCondition,
    ];

    /// The topics subscribed by default: the current table's (events.md
    /// 2.3.1) without the captions, which must be started first.
    pub const DEFAULT: [Topic; 8] = [
        Topic::ConfBasicInfo,
        Topic::ConfDynamicInfo,
        Topic::Participants,
        Topic::Attendees,
        Topic::SpeakerChange,
        Topic::InviteResult,
        Topic::WaitingList,
        Topic::InterpreterGroup,
    ];

    /// Its wire name.
    pub fn name(self) -> &'static str {
        match self {
            Topic::ConfBasicInfo => "ConfBasicInfoNotify",
            Topic::ConfDynamicInfo => "ConfDynamicInfoNotify",
            Topic::Participants => "ParticipantsNotify",
            Topic::Attendees => "AttendeesNotify",
            Topic::SpeakerChange => "SpeakerChangeNotify",
            Topic::InviteResult => "InviteResultNotify",
            Topic::RealTimeSubtitle => "RealTimeSubtitleNotify",
            Topic::WaitingList => "WaitingListNotify",
            Topic::InterpreterGroup => "InterpreterGroupNotify",
            Topic::NetCondition => "NetConditionNotify",
        }
    }

    /// The topic of a wire name.
    pub fn from_name(name: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.name() == name)
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Topic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The `sequence` of client frames: 30 digits, a millisecond timestamp
/// zero-padded as in every published example, made unique per connection
/// (a frame in the same millisecond as the last takes the next number).
#[derive(Clone, Debug, Default)]
pub struct Sequences {
    last: u64,
}

impl Sequences {
    /// A new counter, for a new connection.
    pub fn new() -> Self {
        Sequences::default()
    }

    /// The next sequence at `unix_ms` (now, in Unix milliseconds).
    pub fn next(&mut self, unix_ms: u64) -> String {
        let n = unix_ms.max(self.last.saturating_add(1));
        self.last = n;
        format!("{n:030}")
    }
}

/// The URL to open: `wsURL` from the control-token answer, the connection
/// path, `confID` and `tmpToken` (a secret: it opens the meeting's
/// channel).
///
/// `wsURL` is taken with or without scheme (`https` becomes `wss`, `http`
/// becomes `ws`, none is `wss`), with or without the connection path
/// (events.md 2.7 leaves its form open).
pub fn connection_url(
    ws_url: &str,
    conference_id: &str,
    tmp_token: &Secret,
) -> Result<Secret, LiveError> {
    let bad = |reason: &str| LiveError::Url {
        url: ws_url.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = ws_url.trim();
    let (scheme, rest) = match trimmed.split_once("://") {
        Some((s, rest)) => {
            let scheme = match s.to_ascii_lowercase().as_str() {
                "wss" | "https" => "wss",
                "ws" | "http" => "ws",
                _ => return Err(bad("the scheme must be wss, ws, https or http")),
            };
            (scheme, rest)
        }
        None => ("wss", trimmed),
    };
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let rest = rest.trim_end_matches('/');
    let (host, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c == '@') {
        return Err(bad("it names no host"));
    }
    let path = if path.ends_with(CONNECTION_PATH) {
        path.to_owned()
    } else {
        format!("{path}{CONNECTION_PATH}")
    };
    let query = |v: &str| {
        percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    Ok(Secret::new(format!(
        "{scheme}://{host}{path}?confID={}&tmpToken={}",
        query(conference_id),
        query(tmp_token.expose())
    )))
}

/// The `Subscribe` frame: `data` is a JSON document written as a string,
/// as in every published example, with `conferenceID` (the table requires
/// it), the topics, and the control token as `Basic ` + Base64 (the form
/// of the example). A secret, since it carries the control token.
pub fn subscribe(
    sequence: &str,
    conference_id: &str,
    control_token: &Secret,
    topics: &[Topic],
) -> Secret {
    #[derive(Serialize)]
    struct Data<'a> {
        #[serde(rename = "conferenceID")]
        conference_id: &'a str,
        #[serde(rename = "subscribeType")]
        subscribe_type: Vec<&'static str>,
        #[serde(rename = "confToken")]
        conf_token: String,
    }
    let token = base64::engine::general_purpose::STANDARD.encode(control_token.expose());
    let data = Data {
        conference_id,
        subscribe_type: topics.iter().map(|t| t.name()).collect(),
        conf_token: format!("Basic {token}"),
    };
    // Serialising plain strings into a string cannot fail.
    let data = serde_json::to_string(&data).unwrap_or_default();
    let frame = ClientFrame {
        sequence,
        action: "Subscribe",
        data: Some(&data),
    };
    Secret::new(serde_json::to_string(&frame).unwrap_or_default())
}

/// A client frame, its fields in the order of the published examples.
#[derive(Serialize)]
struct ClientFrame<'a> {
    sequence: &'a str,
    action: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a str>,
}

/// The `HeartBeat` frame.
pub fn heartbeat(sequence: &str) -> String {
    let frame = ClientFrame {
        sequence,
        action: "HeartBeat",
        data: None,
    };
    serde_json::to_string(&frame).unwrap_or_default()
}

/// The control token a `confToken` carries: raw, or `Basic ` + Base64 of
/// it (both forms are accepted, events.md 2.7). For servers and tests.
pub fn control_token_of(conf_token: &str) -> Option<String> {
    let t = conf_token.trim();
    match t.strip_prefix("Basic ") {
        Some(b64) => base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok()),
        None if t.is_empty() => None,
        None => Some(t.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences_are_thirty_digits_and_unique() {
        let mut s = Sequences::new();
        assert_eq!(s.next(1_611_993_655_770), "000000000000000001611993655770");
        assert_eq!(s.next(1_611_993_655_770), "000000000000000001611993655771");
        assert_eq!(s.next(1_611_993_655_000), "000000000000000001611993655772");
        assert_eq!(s.next(1_611_993_656_000), "000000000000000001611993656000");
    }

    #[test]
    fn the_subscribe_frame_carries_data_as_a_string() {
        let frame = subscribe(
            "000000000000000001702459164879",
            "900487914",
            &Secret::new("stbf6226eee8b48b9e58f4ddaf30ee1a9c7ef2ae58e9302434a"),
            &[Topic::ConfBasicInfo, Topic::Participants],
        );
        assert_eq!(
            frame.expose(),
            r#"{"sequence":"000000000000000001702459164879","action":"Subscribe","data":"{\"conferenceID\":\"900487914\",\"subscribeType\":[\"ConfBasicInfoNotify\",\"ParticipantsNotify\"],\"confToken\":\"Basic c3RiZjYyMjZlZWU4YjQ4YjllNThmNGRkYWYzMGVlMWE5YzdlZjJhZTU4ZTkzMDI0MzRh\"}"}"#
        );
        assert!(!format!("{frame:?}").contains("c3Ri"));
        assert_eq!(
            control_token_of(
                "Basic c3RiZjYyMjZlZWU4YjQ4YjllNThmNGRkYWYzMGVlMWE5YzdlZjJhZTU4ZTkzMDI0MzRh"
            )
            .as_deref(),
            Some("stbf6226eee8b48b9e58f4ddaf30ee1a9c7ef2ae58e9302434a")
        );
        assert_eq!(control_token_of("raw").as_deref(), Some("raw"));
        assert_eq!(control_token_of("Basic !!!"), None);
    }

    #[test]
    fn the_heartbeat_frame_is_the_documented_one() {
        assert_eq!(
            heartbeat("000000000000000001611993655770"),
            r#"{"sequence":"000000000000000001611993655770","action":"HeartBeat"}"#
        );
    }

    #[test]
    fn connection_urls_accept_every_form_of_ws_url() {
        let token = Secret::new("cnr6e8+/=");
        let url = |ws: &str| connection_url(ws, "900726255", &token).map(|s| s.expose().to_owned());
        let want = "wss://100.94.23.40/cms/open/websocket/confctl/increment/conn?confID=900726255&tmpToken=cnr6e8%2B%2F%3D";
        assert_eq!(url("wss://100.94.23.40").unwrap(), want);
        assert_eq!(url("https://100.94.23.40/").unwrap(), want);
        assert_eq!(url("100.94.23.40").unwrap(), want);
        assert_eq!(
            url("wss://100.94.23.40/cms/open/websocket/confctl/increment/conn").unwrap(),
            want
        );
        assert_eq!(
            url("http://127.0.0.1:8443").unwrap(),
            "ws://127.0.0.1:8443/cms/open/websocket/confctl/increment/conn?confID=900726255&tmpToken=cnr6e8%2B%2F%3D"
        );
        assert!(matches!(url("ftp://x"), Err(LiveError::Url { .. })));
        assert!(matches!(url("wss://"), Err(LiveError::Url { .. })));
    }
}
