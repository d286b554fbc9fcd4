//! What the server sends: every documented push, read leniently (numbers
//! as strings, the spelling variants of events.md 2.7), with unknown
//! actions kept whole ([`Push::Unknown`]). A frame that is not a JSON
//! object with an `action`, or a documented push with a field of the wrong
//! shape, is a [`LiveError::Malformed`], never a panic.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::LiveError;
use super::de;
use super::frame::Topic;
use crate::Secret;

/// Full or incremental (`msgMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MsgMode {
    /// `0`: a snapshot of the topic (also when `msgMode` is absent).
    #[default]
    Full,
    /// `1`: changes only.
    Incremental,
}

/// The common header of a push.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Header {
    /// `version`: the generation time in ms (full) or an increasing
    /// sequence number (incremental).
    pub version: Option<i64>,
    /// `createTime`, Unix ms.
    pub create_time: Option<i64>,
    /// `msgID`.
    pub msg_id: Option<String>,
    /// `msgMode`.
    pub mode: MsgMode,
    /// `confID`, the meeting.
    pub conf_id: Option<String>,
}

/// An entry of `ParticipantsNotify` or `WaitingListNotify`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ParticipantEntry {
    /// `pid`, the key.
    #[serde(deserialize_with = "de::text")]
    pub pid: String,
    /// `mode`: `0` refresh, `1` delete.
    #[serde(default, deserialize_with = "entry_mode")]
    pub mode: EntryMode,
    /// `pinfoMap`: the fields (all of them in a snapshot, the changed ones
    /// in an increment), every value as text.
    #[serde(rename = "pinfoMap", default, deserialize_with = "de::text_map")]
    pub info: BTreeMap<String, String>,
}

/// What an entry does to its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EntryMode {
    /// `0` (or absent): add or update.
    #[default]
    Refresh,
    /// `1`: remove.
    Delete,
    /// Any other value: left alone.
    Other(i64),
}

fn entry_mode<'de, D: serde::Deserializer<'de>>(d: D) -> Result<EntryMode, D::Error> {
    Ok(match de::opt_i64(d)? {
        None | Some(0) => EntryMode::Refresh,
        Some(1) => EntryMode::Delete,
        Some(n) => EntryMode::Other(n),
    })
}

/// An entry of `AttendeesNotify` (an invitee).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct AttendeeEntry {
    /// `mode`: refresh or delete.
    #[serde(default, deserialize_with = "entry_mode")]
    pub mode: EntryMode,
    /// `userUUID`.
    #[serde(rename = "userUUID", default, deserialize_with = "de::opt_text")]
    pub user_uuid: Option<String>,
    /// `participantID`.
    #[serde(rename = "participantID", default, deserialize_with = "de::opt_text")]
    pub participant_id: Option<String>,
    /// `name`.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub name: Option<String>,
    /// `phone`.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub phone: Option<String>,
    /// `accountId`.
    #[serde(rename = "accountId", default, deserialize_with = "de::opt_text")]
    pub account_id: Option<String>,
    /// `role`: `1` host, `0` participant.
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub role: Option<i64>,
    /// `orgId` (the example spells `orgID`).
    #[serde(
        rename = "orgId",
        alias = "orgID",
        default,
        deserialize_with = "de::opt_text"
    )]
    pub org_id: Option<String>,
    /// `type`: `normal`, `terminal`, ...
    #[serde(rename = "type", default, deserialize_with = "de::opt_text")]
    pub kind: Option<String>,
}

impl AttendeeEntry {
    /// The key an invitee is merged by: the first of `participantID`,
    /// `userUUID`, `accountId`, `phone`, `name` that is set.
    pub fn key(&self) -> Option<&str> {
        [
            &self.participant_id,
            &self.user_uuid,
            &self.account_id,
            &self.phone,
            &self.name,
        ]
        .into_iter()
        .find_map(|v| v.as_deref().filter(|s| !s.is_empty()))
    }
}

/// An active speaker.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Speaker {
    /// `pid`.
    #[serde(deserialize_with = "de::text")]
    pub pid: String,
    /// `name` (examples only).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub name: Option<String>,
    /// `speakingVolume` (orders the speakers; the scale is not given).
    #[serde(rename = "speakingVolume", default, deserialize_with = "de::opt_i64")]
    pub volume: Option<i64>,
}

/// An invitation result or a leave reason.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct InviteResult {
    /// `callNumber`.
    #[serde(rename = "callNumber", default, deserialize_with = "de::opt_text")]
    pub call_number: Option<String>,
    /// `errorCode` (the example spells `resultCode`): `"0"` a successful
    /// call; `11076002` hung up by the host, and so on.
    #[serde(
        rename = "errorCode",
        alias = "resultCode",
        default,
        deserialize_with = "de::opt_text"
    )]
    pub code: Option<String>,
}

/// A caption line.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SubtitleMsg {
    /// `subtitleLang`: `Original`, `Mandarin`, `English`.
    #[serde(
        rename = "subtitleLang",
        alias = "subtitleLang ",
        default,
        deserialize_with = "de::opt_text"
    )]
    pub lang: Option<String>,
    /// `translateText`.
    #[serde(
        rename = "translateText",
        alias = "translateText ",
        default,
        deserialize_with = "de::opt_text"
    )]
    pub text: Option<String>,
    /// `id` (the example spells `"id "`).
    #[serde(default, alias = "id ", deserialize_with = "de::opt_text")]
    pub id: Option<String>,
}

/// Live captions (`RealTimeSubtitleNotify`'s `data`).
#[derive(Clone, Debug, PartialEq, Eq, Default, Deserialize)]
pub struct Subtitle {
    /// `msgs` (the example spells `"msgs "`).
    #[serde(default, alias = "msgs ", deserialize_with = "de::list")]
    pub msgs: Vec<SubtitleMsg>,
    /// `isFinal`: the end of a sentence.
    #[serde(rename = "isFinal", alias = "isFinal ", default)]
    pub is_final: Option<bool>,
    /// `timestamp`.
    #[serde(default, alias = "timestamp ", deserialize_with = "de::opt_i64")]
    pub timestamp: Option<i64>,
    /// `beginTime`.
    #[serde(
        rename = "beginTime",
        alias = "beginTime ",
        default,
        deserialize_with = "de::opt_i64"
    )]
    pub begin_time: Option<i64>,
    /// `endTime`.
    #[serde(
        rename = "endTime",
        alias = "endTime ",
        default,
        deserialize_with = "de::opt_i64"
    )]
    pub end_time: Option<i64>,
    /// `participantID`: who speaks.
    #[serde(
        rename = "participantID",
        alias = "participantID ",
        default,
        deserialize_with = "de::opt_text"
    )]
    pub participant_id: Option<String>,
}

/// An interpreter.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Interpreter {
    /// `userID`.
    #[serde(rename = "userID", default, deserialize_with = "de::opt_text")]
    pub user_id: Option<String>,
    /// `name`.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub name: Option<String>,
    /// `callNumber`.
    #[serde(rename = "callNumber", default, deserialize_with = "de::opt_text")]
    pub call_number: Option<String>,
    /// `interpreterType`: `MANUAL` or `AI`.
    #[serde(rename = "interpreterType", default, deserialize_with = "de::opt_text")]
    pub kind: Option<String>,
}

/// A simultaneous interpretation group.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct InterpreterGroup {
    /// `groupId` (the example spells `groupID`).
    #[serde(
        rename = "groupId",
        alias = "groupID",
        default,
        deserialize_with = "de::opt_text"
    )]
    pub group_id: Option<String>,
    /// `groupName`.
    #[serde(rename = "groupName", default, deserialize_with = "de::opt_text")]
    pub group_name: Option<String>,
    /// `firstLanguage`.
    #[serde(rename = "firstLanguage", default, deserialize_with = "de::opt_text")]
    pub first_language: Option<String>,
    /// `secondLanguage`.
    #[serde(rename = "secondLanguage", default, deserialize_with = "de::opt_text")]
    pub second_language: Option<String>,
    /// `interpreters`.
    #[serde(default, deserialize_with = "de::list")]
    pub interpreters: Vec<Interpreter>,
}

/// The media quality of a participant (`NetConditionNotify`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct NetCondition {
    /// `participantID`.
    #[serde(rename = "participantID", default, deserialize_with = "de::text")]
    pub participant_id: String,
    /// `mode`: refresh or delete.
    #[serde(default, deserialize_with = "entry_mode")]
    pub mode: EntryMode,
    /// `netInfo`: a rating such as `good`.
    #[serde(rename = "netInfo", default, deserialize_with = "de::opt_text")]
    pub net_info: Option<String>,
    /// `delay`, ms.
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub delay: Option<i64>,
    /// `jitter`, ms.
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub jitter: Option<i64>,
}

/// A password of `ConfBasicInfoNotify` (sent in plain text: kept as a
/// [`Secret`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfPassword {
    /// `role`: `chair` (host) or `general`.
    pub role: String,
    /// `pwd`.
    pub pwd: Secret,
}

/// The meeting's basic information (`ConfBasicInfoNotify`), its fields at
/// top level; the passwords apart, as secrets.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ConfBasicInfo {
    /// Every field but the header and `pwds`, as sent.
    pub fields: Map<String, Value>,
    /// `pwds`.
    pub passwords: Vec<ConfPassword>,
}

impl ConfBasicInfo {
    /// `title`, the subject.
    pub fn title(&self) -> Option<&str> {
        self.fields.get("title").and_then(Value::as_str)
    }
    /// `displayID`.
    pub fn display_id(&self) -> Option<&str> {
        self.fields.get("displayID").and_then(Value::as_str)
    }
    /// `startTime`, Unix ms.
    pub fn start_time(&self) -> Option<i64> {
        number(self.fields.get("startTime"))
    }
    /// `owner`, the scheduler's name.
    pub fn owner(&self) -> Option<&str> {
        self.fields.get("owner").and_then(Value::as_str)
    }
    /// `recType`: `0` off, `1` recording, `2` recording and live, `3` live.
    pub fn rec_type(&self) -> Option<i64> {
        number(self.fields.get("recType"))
    }
}

/// The meeting's state (`ConfDynamicInfoNotify`), its fields at top level:
/// all of them in a snapshot, the changed ones in an increment.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ConfDynamicInfo {
    /// Every field but the header, as sent.
    pub fields: Map<String, Value>,
}

/// `state` of `ConfDynamicInfoNotify`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MeetingState {
    /// `Schedule`.
    Scheduled,
    /// `Created`: running.
    Running,
    /// `Destroyed`: over.
    Destroyed,
    /// Another value.
    Other(String),
}

impl ConfDynamicInfo {
    /// `state`.
    pub fn state(&self) -> Option<MeetingState> {
        self.fields
            .get("state")
            .and_then(Value::as_str)
            .map(|s| match s {
                "Schedule" => MeetingState::Scheduled,
                "Created" => MeetingState::Running,
                "Destroyed" => MeetingState::Destroyed,
                other => MeetingState::Other(other.to_owned()),
            })
    }
    /// `lock`: the meeting is locked.
    pub fn locked(&self) -> Option<bool> {
        flag(self.fields.get("lock"))
    }
    /// `recState`: recording.
    pub fn recording(&self) -> Option<bool> {
        flag(self.fields.get("recState"))
    }
    /// `mute`: participants are muted when they join.
    pub fn mute_on_join(&self) -> Option<bool> {
        flag(self.fields.get("mute"))
    }
    /// `mode`: `FREE`, `FIXED`, `ROLLCALL`, `BROADCAST`.
    pub fn mode(&self) -> Option<&str> {
        self.fields.get("mode").and_then(Value::as_str)
    }
    /// `endTime`, Unix ms.
    pub fn end_time(&self) -> Option<i64> {
        number(self.fields.get("endTime"))
    }
}

/// A number, or a string holding one.
pub(crate) fn number(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `1`/`0`, `"1"`/`"0"`, or a boolean.
pub(crate) fn flag(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        other => number(Some(other)).map(|n| n != 0),
    }
}

/// A frame from the server.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Push {
    /// The reply to `Subscribe`.
    SubscribeReply {
        /// `sequence`.
        sequence: Option<String>,
        /// `returnCode`: `0` is success.
        return_code: i64,
        /// `returnDesc` (the example spells `"returnDesc "`).
        return_desc: Option<String>,
    },
    /// The echo of a `HeartBeat`.
    HeartBeat {
        /// `sequence`, the one sent.
        sequence: Option<String>,
    },
    /// `ConfBasicInfoNotify`.
    ConfBasicInfo {
        /// The header.
        header: Header,
        /// The information.
        info: Box<ConfBasicInfo>,
    },
    /// `ConfDynamicInfoNotify`.
    ConfDynamicInfo {
        /// The header.
        header: Header,
        /// The state (all of it, or the changed fields).
        info: Box<ConfDynamicInfo>,
    },
    /// `ParticipantsNotify`.
    Participants {
        /// The header.
        header: Header,
        /// `data`.
        entries: Vec<ParticipantEntry>,
    },
    /// `AttendeesNotify`.
    Attendees {
        /// The header.
        header: Header,
        /// `data`.
        entries: Vec<AttendeeEntry>,
    },
    /// `SpeakerChangeNotify`: empty when nobody speaks.
    SpeakerChange {
        /// The header.
        header: Header,
        /// `data`, loudest first as sent.
        speakers: Vec<Speaker>,
    },
    /// `InviteResultNotify`.
    InviteResult {
        /// The header.
        header: Header,
        /// `data`.
        results: Vec<InviteResult>,
    },
    /// `RealTimeSubtitleNotify`.
    RealTimeSubtitle {
        /// The header.
        header: Header,
        /// `data`.
        subtitle: Box<Subtitle>,
    },
    /// `WaitingListNotify`.
    WaitingList {
        /// The header.
        header: Header,
        /// `data`.
        entries: Vec<ParticipantEntry>,
    },
    /// `InterpreterGroupNotify` (`data`, or `interpreterGroups` as in the
    /// example).
    InterpreterGroup {
        /// The header.
        header: Header,
        /// The groups.
        groups: Vec<InterpreterGroup>,
    },
    /// `NetConditionNotify`.
    NetCondition {
        /// The header.
        header: Header,
        /// `data`.
        entries: Vec<NetCondition>,
    },
    /// Any other action, kept whole.
    Unknown {
        /// `action`.
        action: String,
        /// The frame.
        raw: Value,
    },
}

impl Push {
    /// The topic of a documented push.
    pub fn topic(&self) -> Option<Topic> {
        Some(match self {
            Push::ConfBasicInfo { .. } => Topic::ConfBasicInfo,
            Push::ConfDynamicInfo { .. } => Topic::ConfDynamicInfo,
            Push::Participants { .. } => Topic::Participants,
            Push::Attendees { .. } => Topic::Attendees,
            Push::SpeakerChange { .. } => Topic::SpeakerChange,
            Push::InviteResult { .. } => Topic::InviteResult,
            Push::RealTimeSubtitle { .. } => Topic::RealTimeSubtitle,
            Push::WaitingList { .. } => Topic::WaitingList,
            Push::InterpreterGroup { .. } => Topic::InterpreterGroup,
            Push::NetCondition { .. } => Topic::NetCondition,
            Push::SubscribeReply { .. } | Push::HeartBeat { .. } | Push::Unknown { .. } => {
                return None;
            }
        })
    }

    /// The `action` it came with.
    pub fn action(&self) -> &str {
        match self {
            Push::SubscribeReply { .. } => "Subscribe",
            Push::HeartBeat { .. } => "HeartBeat",
            Push::Unknown { action, .. } => action,
            other => other.topic().map(Topic::name).unwrap_or_default(),
        }
    }

    /// The header of a topic push.
    pub fn header(&self) -> Option<&Header> {
        match self {
            Push::ConfBasicInfo { header, .. }
            | Push::ConfDynamicInfo { header, .. }
            | Push::Participants { header, .. }
            | Push::Attendees { header, .. }
            | Push::SpeakerChange { header, .. }
            | Push::InviteResult { header, .. }
            | Push::RealTimeSubtitle { header, .. }
            | Push::WaitingList { header, .. }
            | Push::InterpreterGroup { header, .. }
            | Push::NetCondition { header, .. } => Some(header),
            Push::SubscribeReply { .. } | Push::HeartBeat { .. } | Push::Unknown { .. } => None,
        }
    }
}

/// Masks what a frame carries in plain text that must not be shown: the
/// meeting passwords of `ConfBasicInfoNotify` (`pwds[].pwd` becomes
/// `******`, as in the documentation's example).
pub fn redact(frame: &mut Value) {
    if let Some(pwds) = frame.get_mut("pwds").and_then(Value::as_array_mut) {
        for p in pwds {
            if let Some(pwd) = p.get_mut("pwd") {
                *pwd = Value::String("******".into());
            }
        }
    }
}

/// Only the `action`, to choose the reader.
#[derive(Deserialize)]
struct Probe<'a> {
    #[serde(borrow, default)]
    action: Option<Cow<'a, str>>,
}

/// A push with a `data` member.
#[derive(Deserialize)]
struct DataFrame<T> {
    #[serde(default, deserialize_with = "de::opt_i64")]
    version: Option<i64>,
    #[serde(rename = "createTime", default, deserialize_with = "de::opt_i64")]
    create_time: Option<i64>,
    #[serde(rename = "msgID", default, deserialize_with = "de::opt_text")]
    msg_id: Option<String>,
    #[serde(rename = "msgMode", default, deserialize_with = "de::opt_i64")]
    msg_mode: Option<i64>,
    #[serde(rename = "confID", default, deserialize_with = "de::opt_text")]
    conf_id: Option<String>,
    #[serde(default = "none")]
    data: Option<T>,
    #[serde(rename = "interpreterGroups", default = "none")]
    interpreter_groups: Option<Vec<InterpreterGroup>>,
    #[serde(default, deserialize_with = "de::opt_text")]
    sequence: Option<String>,
}

fn none<T>() -> Option<T> {
    None
}

impl<T> DataFrame<T> {
    fn header(&self) -> Result<Header, String> {
        Ok(Header {
            version: self.version,
            create_time: self.create_time,
            msg_id: self.msg_id.clone(),
            mode: match self.msg_mode {
                None | Some(0) => MsgMode::Full,
                Some(1) => MsgMode::Incremental,
                Some(n) => return Err(format!("`msgMode` {n} is neither 0 nor 1")),
            },
            conf_id: self.conf_id.clone(),
        })
    }
}

/// The `data` of a `Subscribe` reply.
#[derive(Deserialize)]
struct SubscribeData {
    #[serde(rename = "returnCode", default, deserialize_with = "de::opt_i64")]
    return_code: Option<i64>,
    #[serde(
        rename = "returnDesc",
        alias = "returnDesc ",
        default,
        deserialize_with = "de::opt_text"
    )]
    return_desc: Option<String>,
}

fn read<'a, T: Deserialize<'a>>(
    bytes: &'a [u8],
    action: &str,
) -> Result<(Header, Option<T>, DataFrame<T>), LiveError> {
    let mut frame: DataFrame<T> = serde_json::from_slice(bytes)
        .map_err(|e| LiveError::malformed(Some(action), e.to_string()))?;
    let header = frame
        .header()
        .map_err(|reason| LiveError::malformed(Some(action), reason))?;
    let data = frame.data.take();
    Ok((header, data, frame))
}

/// Reads a frame from the server.
pub fn parse(bytes: &[u8]) -> Result<Push, LiveError> {
    // Serde would read a JSON array into the structs below, field by field.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(LiveError::malformed(None, "the frame is not a JSON object"));
    }
    let probe: Probe<'_> = serde_json::from_slice(bytes).map_err(|e| {
        LiveError::malformed(
            None,
            format!("not a JSON object with a string `action`: {e}"),
        )
    })?;
    let action = probe
        .action
        .ok_or_else(|| LiveError::malformed(None, "the frame has no `action`"))?;
    let action: &str = &action;
    Ok(match action {
        "Subscribe" => {
            let (_, data, frame) = read::<SubscribeData>(bytes, action)?;
            let data = data.ok_or_else(|| {
                LiveError::malformed(Some(action), "the reply has no `data` object")
            })?;
            Push::SubscribeReply {
                sequence: frame.sequence,
                return_code: data.return_code.unwrap_or(0),
                return_desc: data.return_desc,
            }
        }
        "HeartBeat" => {
            let (_, _, frame) = read::<serde::de::IgnoredAny>(bytes, action)?;
            Push::HeartBeat {
                sequence: frame.sequence,
            }
        }
        "ConfBasicInfoNotify" => {
            let (header, mut fields) = top_level(bytes, action)?;
            let passwords = match fields.remove("pwds") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(list)) => list
                    .into_iter()
                    .filter_map(|p| {
                        let role = p.get("role")?.as_str()?.to_owned();
                        let pwd = Secret::new(p.get("pwd")?.as_str()?);
                        Some(ConfPassword { role, pwd })
                    })
                    .collect(),
                Some(_) => return Err(LiveError::malformed(Some(action), "`pwds` is not a list")),
            };
            Push::ConfBasicInfo {
                header,
                info: Box::new(ConfBasicInfo { fields, passwords }),
            }
        }
        "ConfDynamicInfoNotify" => {
            let (header, fields) = top_level(bytes, action)?;
            Push::ConfDynamicInfo {
                header,
                info: Box::new(ConfDynamicInfo { fields }),
            }
        }
        "ParticipantsNotify" => {
            let (header, data, _) = read::<Listed<ParticipantEntry>>(bytes, action)?;
            Push::Participants {
                header,
                entries: listed(data),
            }
        }
        "WaitingListNotify" => {
            let (header, data, _) = read::<Listed<ParticipantEntry>>(bytes, action)?;
            Push::WaitingList {
                header,
                entries: listed(data),
            }
        }
        "AttendeesNotify" => {
            let (header, data, _) = read::<Listed<AttendeeEntry>>(bytes, action)?;
            Push::Attendees {
                header,
                entries: listed(data),
            }
        }
        "SpeakerChangeNotify" => {
            let (header, data, _) = read::<Listed<Speaker>>(bytes, action)?;
            Push::SpeakerChange {
                header,
                speakers: listed(data),
            }
        }
        "InviteResultNotify" => {
            let (header, data, _) = read::<Listed<InviteResult>>(bytes, action)?;
            Push::InviteResult {
                header,
                results: listed(data),
            }
        }
        "RealTimeSubtitleNotify" => {
            let (header, data, _) = read::<Subtitle>(bytes, action)?;
            Push::RealTimeSubtitle {
                header,
                subtitle: Box::new(data.unwrap_or_default()),
            }
        }
        "InterpreterGroupNotify" => {
            let (header, data, frame) = read::<Listed<InterpreterGroup>>(bytes, action)?;
            let groups = match data {
                Some(d) => d.0,
                None => frame.interpreter_groups.unwrap_or_default(),
            };
            Push::InterpreterGroup { header, groups }
        }
        "NetConditionNotify" => {
            let (header, data, _) = read::<Listed<NetCondition>>(bytes, action)?;
            Push::NetCondition {
                header,
                entries: listed(data),
            }
        }
        other => {
            let raw: Value = serde_json::from_slice(bytes)
                .map_err(|e| LiveError::malformed(Some(other), e.to_string()))?;
            Push::Unknown {
                action: other.to_owned(),
                raw,
            }
        }
    })
}

/// A list where `null` is empty (`data` absent is nobody speaking, for
/// instance).
struct Listed<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Listed<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de::list(d).map(Listed)
    }
}

fn listed<T>(data: Option<Listed<T>>) -> Vec<T> {
    data.map(|l| l.0).unwrap_or_default()
}

/// A push whose state is at top level: the header taken out, the rest
/// kept.
fn top_level(bytes: &[u8], action: &str) -> Result<(Header, Map<String, Value>), LiveError> {
    let mut fields: Map<String, Value> = serde_json::from_slice(bytes)
        .map_err(|e| LiveError::malformed(Some(action), e.to_string()))?;
    let bad =
        |field: &str| LiveError::malformed(Some(action), format!("`{field}` is not an integer"));
    let mut int = |name: &str| -> Result<Option<i64>, LiveError> {
        match fields.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => number(Some(&v)).map(Some).ok_or_else(|| bad(name)),
        }
    };
    let version = int("version")?;
    let create_time = int("createTime")?;
    let mode = match int("msgMode")? {
        None | Some(0) => MsgMode::Full,
        Some(1) => MsgMode::Incremental,
        Some(n) => {
            return Err(LiveError::malformed(
                Some(action),
                format!("`msgMode` {n} is neither 0 nor 1"),
            ));
        }
    };
    let mut text = |name: &str| match fields.remove(name) {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let msg_id = text("msgID");
    let conf_id = text("confID");
    fields.remove("action");
    Ok((
        Header {
            version,
            create_time,
            msg_id,
            mode,
            conf_id,
        },
        fields,
    ))
}
