//! The live view of a meeting, and the fold that keeps it: snapshots
//! replace a topic's state, increments merge into it (by `pid` for
//! participants and the waiting room, key by key in `pinfoMap`; field by
//! field for the meeting's state), and the increments' `version` numbering
//! is checked per topic: a repeat is ignored, a gap or a step back means
//! the view may have missed a change ([`Folded::ResyncNeeded`]) until the
//! topic's next snapshot (reconnect and subscribe again to get one).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::frame::Topic;
use super::push::{
    AttendeeEntry, ConfBasicInfo, ConfDynamicInfo, EntryMode, InterpreterGroup, MeetingState,
    MsgMode, ParticipantEntry, Push, Speaker,
};

/// A participant (or someone in the waiting room): its `pinfoMap`, merged.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Participant {
    /// `pid`.
    pub pid: String,
    /// Every field received, by its key (`NAME`, `ROLE`, `MUTE`, ...).
    pub info: BTreeMap<String, String>,
}

/// `ROLE` of a participant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `"1"`.
    Host,
    /// `"0"`.
    Participant,
    /// `"2"`.
    Audience,
}

impl Participant {
    fn get(&self, key: &str) -> Option<&str> {
        self.info.get(key).map(String::as_str)
    }
    fn is(&self, key: &str) -> bool {
        self.get(key) == Some("1")
    }
    /// `NAME`.
    pub fn name(&self) -> Option<&str> {
        self.get("NAME")
    }
    /// `TEL`.
    pub fn phone(&self) -> Option<&str> {
        self.get("TEL")
    }
    /// `ROLE`.
    pub fn role(&self) -> Option<Role> {
        match self.get("ROLE")? {
            "1" => Some(Role::Host),
            "0" => Some(Role::Participant),
            "2" => Some(Role::Audience),
            _ => None,
        }
    }
    /// Whether `ROLE` is host.
    pub fn is_host(&self) -> bool {
        self.role() == Some(Role::Host)
    }
    /// `IS_COHOST`.
    pub fn is_cohost(&self) -> bool {
        self.is("IS_COHOST")
    }
    /// `MUTE`.
    pub fn muted(&self) -> bool {
        self.is("MUTE")
    }
    /// `HAND`.
    pub fn hand_raised(&self) -> bool {
        self.is("HAND")
    }
    /// `SHARE`.
    pub fn sharing(&self) -> bool {
        self.is("SHARE")
    }
    /// `STATE` `"1"`: still being called (not in the meeting yet).
    pub fn being_called(&self) -> bool {
        self.is("STATE")
    }
    /// `ADDTIME`, Unix ms.
    pub fn joined_at(&self) -> Option<i64> {
        self.get("ADDTIME")?.trim().parse().ok()
    }
    /// The login type, under either spelling (`CLIENT_LOGIN_TYPE`, or the
    /// table's `CLICENT_LOGIN_TYPE`).
    pub fn login_type(&self) -> Option<&str> {
        self.get("CLIENT_LOGIN_TYPE")
            .or_else(|| self.get("CLICENT_LOGIN_TYPE"))
    }
}

/// What is known of a running meeting, from its pushes.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LiveView {
    conference_id: Option<String>,
    basic: Option<ConfBasicInfo>,
    dynamic: ConfDynamicInfo,
    participants: BTreeMap<String, Participant>,
    waiting: BTreeMap<String, Participant>,
    attendees: BTreeMap<String, AttendeeEntry>,
    speakers: Vec<Speaker>,
    interpreter_groups: Vec<InterpreterGroup>,
}

impl LiveView {
    /// The meeting (`confID` of the last push).
    pub fn conference_id(&self) -> Option<&str> {
        self.conference_id.as_deref()
    }
    /// The basic information, once received.
    pub fn basic(&self) -> Option<&ConfBasicInfo> {
        self.basic.as_ref()
    }
    /// The meeting's state, merged field by field.
    pub fn dynamic(&self) -> &ConfDynamicInfo {
        &self.dynamic
    }
    /// The participants online, by `pid`.
    pub fn participants(&self) -> &BTreeMap<String, Participant> {
        &self.participants
    }
    /// The waiting room, by `pid`.
    pub fn waiting(&self) -> &BTreeMap<String, Participant> {
        &self.waiting
    }
    /// The invitees, by [`AttendeeEntry::key`].
    pub fn attendees(&self) -> &BTreeMap<String, AttendeeEntry> {
        &self.attendees
    }
    /// The active speakers (empty: nobody speaks).
    pub fn speakers(&self) -> &[Speaker] {
        &self.speakers
    }
    /// The interpretation groups.
    pub fn interpreter_groups(&self) -> &[InterpreterGroup] {
        &self.interpreter_groups
    }
    /// The participant with the host role, if any.
    pub fn host(&self) -> Option<&Participant> {
        self.participants.values().find(|p| p.is_host())
    }
    /// Whether the meeting is locked.
    pub fn locked(&self) -> bool {
        self.dynamic.locked().unwrap_or(false)
    }
    /// Whether it is being recorded.
    pub fn recording(&self) -> bool {
        self.dynamic.recording().unwrap_or(false)
    }
    /// Whether it has ended (`state` `Destroyed`).
    pub fn ended(&self) -> bool {
        self.dynamic.state() == Some(MeetingState::Destroyed)
    }
}

/// What a push did to the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Folded {
    /// A snapshot replaced its topic's state.
    Snapshot,
    /// An increment was merged.
    Applied,
    /// An increment already seen (same `version`): ignored.
    Repeat,
    /// An increment after a gap or a step back in the numbering: not
    /// merged; the topic is stale until its next snapshot: reconnect and
    /// subscribe again.
    ResyncNeeded {
        /// The topic.
        topic: Topic,
        /// The version expected (the last one plus one).
        expected: i64,
        /// The version received.
        received: i64,
    },
    /// An increment of a topic already stale: not merged.
    Stale,
    /// The meeting ended (`state` `Destroyed` was merged).
    Ended,
    /// Not state: a reply, a heartbeat echo, captions, invitation results,
    /// media quality or an unknown action.
    Passed,
}

/// Per topic: the last increment's `version`, and whether one was missed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Track {
    last: Option<i64>,
    stale: bool,
}

/// The fold: a [`LiveView`] and the numbering of each topic's increments.
#[derive(Clone, Debug, Default)]
pub struct Fold {
    view: LiveView,
    tracks: [Track; Topic::ALL.len()],
}

impl Fold {
    /// An empty view.
    pub fn new() -> Self {
        Fold::default()
    }

    /// The view.
    pub fn view(&self) -> &LiveView {
        &self.view
    }

    /// Whether a topic missed an increment and waits for a snapshot.
    pub fn needs_resync(&self) -> bool {
        self.tracks.iter().any(|t| t.stale)
    }

    /// A new subscription begins: the numbering of increments starts over
    /// (the view is kept until the new snapshots replace it).
    pub fn resubscribed(&mut self) {
        self.tracks = Default::default();
    }

    /// Folds one push in.
    pub fn apply(&mut self, push: &Push) -> Folded {
        let Some(topic) = push.topic() else {
            return Folded::Passed;
        };
        let Some(header) = push.header() else {
            return Folded::Passed;
        };
        if let Some(id) = &header.conf_id
            && self.view.conference_id.as_deref() != Some(id)
        {
            self.view.conference_id = Some(id.clone());
        }
        let full = header.mode == MsgMode::Full;
        let track = &mut self.tracks[topic.index()];
        if full {
            *track = Track::default();
        } else if topic_has_state(topic) {
            if track.stale {
                return Folded::Stale;
            }
            if let Some(version) = header.version {
                match track.last {
                    Some(last) if version == last => return Folded::Repeat,
                    Some(last) if version != last.saturating_add(1) => {
                        track.stale = true;
                        return Folded::ResyncNeeded {
                            topic,
                            expected: last.saturating_add(1),
                            received: version,
                        };
                    }
                    _ => track.last = Some(version),
                }
            }
        }
        let v = &mut self.view;
        match push {
            Push::ConfBasicInfo { info, .. } => {
                if full || v.basic.is_none() {
                    v.basic = Some((**info).clone());
                } else if let Some(basic) = &mut v.basic {
                    merge_fields(&mut basic.fields, &info.fields);
                    if !info.passwords.is_empty() {
                        basic.passwords = info.passwords.clone();
                    }
                }
            }
            Push::ConfDynamicInfo { info, .. } => {
                if full {
                    v.dynamic = (**info).clone();
                } else {
                    merge_fields(&mut v.dynamic.fields, &info.fields);
                }
                if v.ended() {
                    return Folded::Ended;
                }
            }
            Push::Participants { entries, .. } => merge_people(&mut v.participants, entries, full),
            Push::WaitingList { entries, .. } => merge_people(&mut v.waiting, entries, full),
            Push::Attendees { entries, .. } => {
                if full {
                    v.attendees.clear();
                }
                for e in entries {
                    let Some(key) = e.key() else { continue };
                    match e.mode {
                        EntryMode::Refresh => {
                            v.attendees.insert(key.to_owned(), e.clone());
                        }
                        EntryMode::Delete => {
                            v.attendees.remove(key);
                        }
                        EntryMode::Other(_) => {}
                    }
                }
            }
            // The loudest speakers are always the whole list.
            Push::SpeakerChange { speakers, .. } => v.speakers = speakers.clone(),
            Push::InterpreterGroup { groups, .. } => v.interpreter_groups = groups.clone(),
            _ => return Folded::Passed,
        }
        if full {
            Folded::Snapshot
        } else {
            Folded::Applied
        }
    }
}

/// Topics whose increments change the view (and so are numbered-checked).
fn topic_has_state(topic: Topic) -> bool {
    matches!(
        topic,
        Topic::ConfBasicInfo
            | Topic::ConfDynamicInfo
            | Topic::Participants
            | Topic::WaitingList
            | Topic::Attendees
            | Topic::SpeakerChange
            | Topic::InterpreterGroup
    )
}

fn merge_fields(into: &mut Map<String, Value>, from: &Map<String, Value>) {
    for (k, v) in from {
        into.insert(k.clone(), v.clone());
    }
}

fn merge_people(
    people: &mut BTreeMap<String, Participant>,
    entries: &[ParticipantEntry],
    full: bool,
) {
    if full {
        people.clear();
    }
    for e in entries {
        match e.mode {
            EntryMode::Refresh => {
                let p = people.entry(e.pid.clone()).or_insert_with(|| Participant {
                    pid: e.pid.clone(),
                    info: BTreeMap::new(),
                });
                for (k, v) in &e.info {
                    if let Some(slot) = p.info.get_mut(k) {
                        slot.clone_from(v);
                    } else {
                        p.info.insert(k.clone(), v.clone());
                    }
                }
            }
            EntryMode::Delete => {
                people.remove(&e.pid);
            }
            EntryMode::Other(_) => {}
        }
    }
}
