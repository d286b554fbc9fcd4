//! Meetings: what a test creates, what the operations change, and the
//! snapshot a test reads back.

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::SimError;
use crate::display::{HostView, MultiPicture, VideoMode};
use crate::history::Attendance;
use crate::interpretation::{InterpreterGroup, LanguageChannel};
use crate::recordings::Segment;
use crate::schedule::{self, Plan};

/// Most calls a meeting remembers (the oldest go first).
pub const CALLS_LIMIT: usize = 1_000;

/// A meeting to create, as `POST /_sim/conferences` takes it.
///
/// ```
/// use hwmeeting_sim::{NewConference, NewParticipant};
///
/// let meeting = NewConference::new("123456789", "host-pw")
///     .guest_password("guest-pw")
///     .participant(NewParticipant::new("p-1", "Dana"));
/// assert_eq!(meeting.participants.len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewConference {
    /// The meeting ID.
    #[serde(rename = "conferenceID")]
    pub conference_id: String,
    /// The host password: starts the meeting, gets control tokens, takes
    /// the host role.
    pub host_password: String,
    /// The guest password, if any.
    #[serde(default)]
    pub guest_password: Option<String>,
    /// Whether the guest password may start the meeting.
    #[serde(default)]
    pub allow_guest_start: bool,
    /// Whether the meeting is already started (default: not until
    /// `start_meeting`).
    #[serde(default)]
    pub active: bool,
    /// Who is in the meeting.
    #[serde(default)]
    pub participants: Vec<NewParticipant>,
    /// Who waits in the waiting room (admitted with
    /// `allow_waiting_participant`).
    #[serde(default)]
    pub waiting_room: Vec<NewParticipant>,
    /// How long the meeting is scheduled to last, in minutes
    /// (default [`DEFAULT_DURATION_MINUTES`]); `prolong_meeting` adds to it.
    #[serde(default = "default_duration")]
    pub duration_minutes: i64,
}

/// How long a meeting created without a duration lasts, in minutes.
pub const DEFAULT_DURATION_MINUTES: i64 = 60;

fn default_duration() -> i64 {
    DEFAULT_DURATION_MINUTES
}

fn yes() -> bool {
    true
}

impl NewConference {
    /// A meeting with an ID and a host password, not started, nobody in it.
    pub fn new(conference_id: impl Into<String>, host_password: impl Into<String>) -> Self {
        NewConference {
            conference_id: conference_id.into(),
            host_password: host_password.into(),
            guest_password: None,
            allow_guest_start: false,
            active: false,
            participants: Vec::new(),
            waiting_room: Vec::new(),
            duration_minutes: DEFAULT_DURATION_MINUTES,
        }
    }

    /// Sets the guest password.
    pub fn guest_password(mut self, password: impl Into<String>) -> Self {
        self.guest_password = Some(password.into());
        self
    }

    /// Lets the guest password start the meeting.
    pub fn allow_guest_start(mut self, allow: bool) -> Self {
        self.allow_guest_start = allow;
        self
    }

    /// Makes the meeting start out active.
    pub fn active(mut self, active: bool) -> Self {
        self.active = active;
        self
    }

    /// Adds a participant.
    pub fn participant(mut self, participant: NewParticipant) -> Self {
        self.participants.push(participant);
        self
    }

    /// Puts someone in the waiting room.
    pub fn waiting(mut self, participant: NewParticipant) -> Self {
        self.waiting_room.push(participant);
        self
    }

    /// Sets the scheduled length, in minutes.
    pub fn duration_minutes(mut self, minutes: i64) -> Self {
        self.duration_minutes = minutes;
        self
    }
}

/// A participant of a meeting to create.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewParticipant {
    /// The participant ID.
    #[serde(rename = "participantID")]
    pub participant_id: String,
    /// The display name.
    #[serde(default)]
    pub name: String,
    /// Whether the participant starts out as the host.
    #[serde(default)]
    pub is_chair: bool,
    /// The participant's number (what `rename_participant` and
    /// `delete_attendees` may name them by), if any.
    #[serde(default)]
    pub phone: Option<String>,
}

impl NewParticipant {
    /// A participant who is not the host.
    pub fn new(participant_id: impl Into<String>, name: impl Into<String>) -> Self {
        NewParticipant {
            participant_id: participant_id.into(),
            name: name.into(),
            is_chair: false,
            phone: None,
        }
    }

    /// Makes the participant the host.
    pub fn chair(mut self) -> Self {
        self.is_chair = true;
        self
    }

    /// Sets the participant's number.
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    fn into_snapshot(self) -> ParticipantSnapshot {
        let mut p = ParticipantSnapshot::joined(self.participant_id, self.name, self.phone, false);
        p.is_chair = self.is_chair;
        p
    }
}

/// The ID of the demo meeting, [`demo_conference`].
pub const DEMO_CONFERENCE_ID: &str = "900000001";
/// The host password of the demo meeting.
pub const DEMO_HOST_PASSWORD: &str = "123456";
/// The guest password of the demo meeting.
pub const DEMO_GUEST_PASSWORD: &str = "654321";

/// The demo meeting: ID `900000001`, host password `123456`, guest password
/// `654321` (which cannot start it), not started, with participants `p-alice`
/// (Alice), `p-bob` (Bob) and `p-carol` (Carol), none of them host.
pub fn demo_conference() -> NewConference {
    NewConference::new(DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD)
        .guest_password(DEMO_GUEST_PASSWORD)
        .participant(NewParticipant::new("p-alice", "Alice"))
        .participant(NewParticipant::new("p-bob", "Bob"))
        .participant(NewParticipant::new("p-carol", "Carol"))
}

/// A meeting as `GET /_sim/conferences/{id}` shows it (JSON names in the
/// API's camelCase).
///
/// | field | JSON | changed by |
/// |---|---|---|
/// | [`active`](Self::active) | `active` | `start_meeting` (on), `stop_meeting` (off) |
/// | [`settings`](Self::settings) | `settings` | `update_started_conf_config` (every field), `lock_meeting` (`isLock`), `mute_meeting` and `allow_guest_unmute` (`allowUnmuteByOneself`) |
/// | [`locked`](Self::locked) | `locked` | `lock_meeting`, `update_started_conf_config` `isLock` |
/// | [`muted`](Self::muted) | `muted` | `mute_meeting` |
/// | [`recording`](Self::recording) | `recording` | `record`, `set_mmr_record` |
/// | [`live`](Self::live) | `live` | `live`, `set_mmr_live` |
/// | [`paused`](Self::paused) | `paused` | `pause_conference` |
/// | [`duration_minutes`](Self::duration_minutes), [`auto_prolong`](Self::auto_prolong) | `durationMinutes`, `autoProlong` | `prolong_meeting` |
/// | [`broadcast`](Self::broadcast), [`roll_call`](Self::roll_call) | `broadcast`, `rollCall` | `broadcast_participant`, `rollcall_participant`, `cancel_broadcast` |
/// | [`participants`](Self::participants) | `participants` | `hang_up`, `invite_participant`, `invite_with_pwd`, `delete_attendees`, the waiting-room calls; each participant's state by `set_role`, `set_cohost`, `mute_meeting`, `mute_participant`, `rollcall_participant`, `hand`, `batch_hand`, `rename_participant`, `invite_operate_video`, `allow_client_record`, `invite_share`, `lock_view`, `set_participant_view`, `set_attendee_lan_channel` |
/// | [`waiting_room`](Self::waiting_room) | `waitingRoom` | `move_to_waiting_room`, `batch_move_to_waiting_room` (in), `allow_waiting_participant` (out) |
/// | [`attendees`](Self::attendees) | `attendees` | `invite_participant` (added), `delete_attendees` (removed) |
/// | [`layouts`](Self::layouts) | `layouts` | `save_layout`, `delete_layout` |
/// | [`audience_allowed`](Self::audience_allowed) | `audienceAllowed` | `allow_audience_join` |
/// | [`video_mode`](Self::video_mode) | `videoMode` | `switch_mode`; `set_custom_multi_picture` when applied |
/// | [`host_view`](Self::host_view) | `hostView` | `set_host_view` |
/// | [`multi_picture`](Self::multi_picture) | `multiPicture` | `set_multi_picture`, `set_custom_multi_picture` |
/// | [`interpreter_groups`](Self::interpreter_groups) | `interpreterGroups` | `set_interpreter_group` |
/// | [`interpretation`](Self::interpretation) | `interpretation` | `resume_simultaneous_interpretation`, `stop_meeting` (off) |
/// | [`calls`](Self::calls) | `calls` | every call on the meeting that succeeds |
///
/// An operation with no state of its own here (one added to the spec
/// after the simulator's handlers) is recorded in `calls` only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConferenceSnapshot {
    /// The meeting ID.
    #[serde(rename = "conferenceID")]
    pub conference_id: String,
    /// The UUID of its current (or next) run: what history and
    /// recordings are addressed by once the run ends.
    #[serde(default, rename = "confUUID")]
    pub conf_uuid: String,
    /// The subject (empty for a meeting made through `/_sim/`).
    #[serde(default)]
    pub subject: String,
    /// The scheduled start, UTC `yyyy-MM-dd HH:mm`.
    #[serde(default)]
    pub start_time: String,
    /// Whether it is running: started and not stopped.
    pub active: bool,
    /// Whether a one-off meeting has ended (it is then history only; a
    /// series ends with its last sub-meeting).
    #[serde(default)]
    pub ended: bool,
    /// The settings changed during the meeting, by wire name
    /// (`updateStartedConfConfig` body fields, `isLock`,
    /// `allowUnmuteByOneself`).
    pub settings: Map<String, Value>,
    /// Whether the meeting is locked (setting `isLock` 1): nobody new may
    /// join.
    #[serde(default)]
    pub locked: bool,
    /// Whether the whole meeting was last muted (`mute_meeting` 1) rather
    /// than unmuted.
    #[serde(default)]
    pub muted: bool,
    /// Cloud recording.
    #[serde(default)]
    pub recording: RecordingState,
    /// Whether it is streamed live.
    #[serde(default)]
    pub live: bool,
    /// Whether it is paused.
    #[serde(default)]
    pub paused: bool,
    /// The scheduled length, in minutes.
    #[serde(default = "default_duration")]
    pub duration_minutes: i64,
    /// Whether the meeting extends itself when it runs out.
    #[serde(default)]
    pub auto_prolong: bool,
    /// The participant everyone sees (broadcast or roll call), if any.
    #[serde(default)]
    pub broadcast: Option<String>,
    /// The participant called on (`rollcall_participant`), if any.
    #[serde(default)]
    pub roll_call: Option<String>,
    /// Who is in it, in the order they joined.
    pub participants: Vec<ParticipantSnapshot>,
    /// Who waits in the waiting room, in the order they were moved there.
    #[serde(default)]
    pub waiting_room: Vec<ParticipantSnapshot>,
    /// The invited attendees (those created with the meeting, then those
    /// invited), joined or not.
    #[serde(default)]
    pub attendees: Vec<AttendeeSnapshot>,
    /// The saved layouts (`restPicLayout` of `save_layout`, with its
    /// `uuid`).
    #[serde(default)]
    pub layouts: Vec<Value>,
    /// Whether the audience of a webinar may join (`allow_audience_join`;
    /// yes until said otherwise).
    #[serde(default = "yes")]
    pub audience_allowed: bool,
    /// How the meeting picks what everyone sees (`switch_mode`), once set.
    #[serde(default)]
    pub video_mode: Option<VideoMode>,
    /// What the host watches (`set_host_view`), once set.
    #[serde(default)]
    pub host_view: Option<HostView>,
    /// The multi-picture layout last set, once set.
    #[serde(default)]
    pub multi_picture: Option<MultiPicture>,
    /// The interpreter groups (`set_interpreter_group` replaces them).
    #[serde(default)]
    pub interpreter_groups: Vec<InterpreterGroup>,
    /// Whether simultaneous interpretation is on.
    #[serde(default)]
    pub interpretation: bool,
    /// The operations called on it, oldest first (secrets masked).
    pub calls: Vec<CallRecord>,
    /// Who joined and left during the current run.
    #[serde(default)]
    pub attendance: Vec<Attendance>,
    /// The sub-meetings of a series still to be held: their
    /// `cycleSubConfID`s, earliest first.
    #[serde(default)]
    pub sub_meetings: Vec<String>,
}

impl ConferenceSnapshot {
    /// The participant with this ID (in the meeting, not waiting).
    pub fn participant(&self, participant_id: &str) -> Option<&ParticipantSnapshot> {
        self.participants
            .iter()
            .find(|p| p.participant_id == participant_id)
    }

    /// The waiting-room member with this ID.
    pub fn waiting(&self, participant_id: &str) -> Option<&ParticipantSnapshot> {
        self.waiting_room
            .iter()
            .find(|p| p.participant_id == participant_id)
    }

    /// The ID of the host, if there is one.
    pub fn chair(&self) -> Option<&str> {
        self.participants
            .iter()
            .find(|p| p.is_chair)
            .map(|p| p.participant_id.as_str())
    }

    /// The operations called on the meeting, oldest first.
    pub fn operations(&self) -> Vec<&str> {
        self.calls.iter().map(|c| c.operation.as_str()).collect()
    }
}

/// The state of a meeting's cloud recording (JSON `"stopped"`,
/// `"recording"`, `"paused"`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RecordingState {
    /// Not recording (`record` 0, `set_mmr_record` 2).
    #[default]
    Stopped,
    /// Recording (`record` 1, `set_mmr_record` 1).
    Recording,
    /// Recording paused (`set_mmr_record` 0).
    Paused,
}

/// A participant as the snapshot shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantSnapshot {
    /// The participant ID.
    #[serde(rename = "participantID")]
    pub participant_id: String,
    /// The display name (`rename_participant` changes it).
    pub name: String,
    /// The participant's number, if known.
    #[serde(default)]
    pub phone: Option<String>,
    /// Whether the participant is the host.
    pub is_chair: bool,
    /// Whether the participant is a co-host (`set_cohost`).
    #[serde(default)]
    pub is_cohost: bool,
    /// Whether the microphone is muted (`mute_participant`,
    /// `mute_meeting`, `rollcall_participant`).
    #[serde(default)]
    pub muted: bool,
    /// Whether the hand is raised (`hand`, `batch_hand`).
    #[serde(default)]
    pub hand_raised: bool,
    /// The last camera request (`status` of `invite_operate_video`: 0 to
    /// turn the camera on, 1 off), or `None` if none was made.
    pub video_request: Option<i64>,
    /// Whether the participant may record the meeting in their client
    /// (`allow_client_record`).
    #[serde(default)]
    pub client_record_allowed: bool,
    /// Whether the participant is invited to share the screen
    /// (`invite_share`).
    #[serde(default)]
    pub share_invited: bool,
    /// The participant this terminal watches (`set_participant_view`).
    #[serde(default)]
    pub watching: Option<String>,
    /// The participant whose video is locked as this terminal's source
    /// (`lock_view`).
    #[serde(default)]
    pub locked_view: Option<String>,
    /// The language channel during interpretation
    /// (`set_attendee_lan_channel`).
    #[serde(default)]
    pub language_channel: Option<LanguageChannel>,
}

impl ParticipantSnapshot {
    /// Someone who just joined: no role, no grant, nothing asked of them.
    pub(crate) fn joined(
        participant_id: String,
        name: String,
        phone: Option<String>,
        muted: bool,
    ) -> Self {
        ParticipantSnapshot {
            participant_id,
            name,
            phone,
            is_chair: false,
            is_cohost: false,
            muted,
            hand_raised: false,
            video_request: None,
            client_record_allowed: false,
            share_invited: false,
            watching: None,
            locked_view: None,
            language_channel: None,
        }
    }

    /// Drops what holds only while in the meeting (on the way to the
    /// waiting room): hand, co-host role, grants, invitations, views and
    /// language channel.
    pub(crate) fn leave(&mut self) {
        self.hand_raised = false;
        self.is_cohost = false;
        self.client_record_allowed = false;
        self.share_invited = false;
        self.watching = None;
        self.locked_view = None;
        self.language_channel = None;
    }
}

/// An invited attendee as the snapshot shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendeeSnapshot {
    /// The name.
    pub name: String,
    /// The number, if any.
    #[serde(default)]
    pub phone: Option<String>,
    /// The meeting account, if any.
    #[serde(default, rename = "accountID")]
    pub account_id: Option<String>,
    /// Every field the attendee was scheduled with (`create_meeting`'s
    /// `attendees`), by wire name; empty otherwise.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub details: Map<String, Value>,
}

/// One operation called on a meeting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallRecord {
    /// The operation id (`set_role`).
    pub operation: String,
    /// When, in Unix milliseconds.
    pub time_ms: u64,
    /// The request id of the answer.
    pub request_id: String,
    /// The parameters by location and wire name
    /// (`{"query": {...}, "headers": {...}, "body": {...}}`), secrets masked.
    pub params: Value,
}

/// A meeting's live state.
#[derive(Debug)]
pub(crate) struct Conference {
    pub id: String,
    pub uuid: String,
    pub host_password: String,
    pub guest_password: Option<String>,
    pub allow_guest_start: bool,
    pub active: bool,
    pub participants: Vec<ParticipantSnapshot>,
    pub waiting_room: Vec<ParticipantSnapshot>,
    pub attendees: Vec<AttendeeSnapshot>,
    pub settings: Map<String, Value>,
    pub muted: bool,
    pub recording: RecordingState,
    pub live: bool,
    pub paused: bool,
    pub duration_minutes: i64,
    pub auto_prolong: bool,
    pub broadcast: Option<String>,
    pub roll_call: Option<String>,
    pub layouts: Vec<Value>,
    pub audience_allowed: bool,
    pub video_mode: Option<VideoMode>,
    pub host_view: Option<HostView>,
    pub multi_picture: Option<MultiPicture>,
    pub interpreter_groups: Vec<InterpreterGroup>,
    pub interpretation: bool,
    pub calls: VecDeque<CallRecord>,
    /// What was scheduled (defaults for a meeting made through `/_sim/`).
    pub plan: Plan,
    /// When the current run started; `None` unless running.
    pub started_ms: Option<u64>,
    /// How many runs have ended (each left a history record).
    pub runs: u32,
    /// Whether the meeting is over (history only).
    pub ended: bool,
    /// Who joined and left during the current run.
    pub attendance: Vec<Attendance>,
    /// The spans recorded during the current run.
    pub segments: Vec<Segment>,
}

/// A new `confUUID`: 32 hex digits behind `sim-`.
pub(crate) fn new_conf_uuid() -> String {
    format!("sim-{}", crate::random_hex(16))
}

impl Conference {
    pub(crate) fn participant_mut(&mut self, id: &str) -> Option<&mut ParticipantSnapshot> {
        self.participants
            .iter_mut()
            .find(|p| p.participant_id == id)
    }

    pub(crate) fn has_participant(&self, id: &str) -> bool {
        self.participants.iter().any(|p| p.participant_id == id)
    }

    pub(crate) fn record(&mut self, call: CallRecord) {
        if self.calls.len() >= CALLS_LIMIT {
            self.calls.pop_front();
        }
        self.calls.push_back(call);
    }

    /// Whether the setting `isLock` is 1.
    pub(crate) fn locked(&self) -> bool {
        self.settings.get("isLock").and_then(Value::as_i64) == Some(1)
    }

    /// A meeting with nothing in it, not started, scheduled now.
    pub(crate) fn blank(id: String, host_password: String, now_ms: u64) -> Conference {
        Conference {
            id,
            uuid: new_conf_uuid(),
            host_password,
            guest_password: None,
            allow_guest_start: false,
            active: false,
            participants: Vec::new(),
            waiting_room: Vec::new(),
            attendees: Vec::new(),
            settings: Map::new(),
            muted: false,
            recording: RecordingState::Stopped,
            live: false,
            paused: false,
            duration_minutes: DEFAULT_DURATION_MINUTES,
            auto_prolong: false,
            broadcast: None,
            roll_call: None,
            layouts: Vec::new(),
            audience_allowed: true,
            video_mode: None,
            host_view: None,
            multi_picture: None,
            interpreter_groups: Vec::new(),
            interpretation: false,
            calls: VecDeque::new(),
            plan: Plan::simple(now_ms),
            started_ms: None,
            runs: 0,
            ended: false,
            attendance: Vec::new(),
            segments: Vec::new(),
        }
    }

    pub(crate) fn snapshot(&self) -> ConferenceSnapshot {
        ConferenceSnapshot {
            conference_id: self.id.clone(),
            conf_uuid: self.uuid.clone(),
            subject: self.plan.subject.clone(),
            start_time: crate::times::format_minute(schedule::scheduled_span(self).0),
            active: self.active,
            ended: self.ended,
            settings: self.settings.clone(),
            locked: self.locked(),
            muted: self.muted,
            recording: self.recording,
            live: self.live,
            paused: self.paused,
            duration_minutes: self.duration_minutes,
            auto_prolong: self.auto_prolong,
            broadcast: self.broadcast.clone(),
            roll_call: self.roll_call.clone(),
            participants: self.participants.clone(),
            waiting_room: self.waiting_room.clone(),
            attendees: self.attendees.clone(),
            layouts: self.layouts.clone(),
            audience_allowed: self.audience_allowed,
            video_mode: self.video_mode.clone(),
            host_view: self.host_view.clone(),
            multi_picture: self.multi_picture.clone(),
            interpreter_groups: self.interpreter_groups.clone(),
            interpretation: self.interpretation,
            calls: self.calls.iter().cloned().collect(),
            attendance: self.attendance.clone(),
            sub_meetings: self
                .plan
                .series
                .iter()
                .flat_map(|s| s.subs.iter().map(|sub| sub.id.clone()))
                .collect(),
        }
    }
}

/// All meetings, by ID.
#[derive(Debug, Default)]
pub(crate) struct Conferences {
    pub by_id: HashMap<String, Conference>,
}

impl Conferences {
    /// A new 9-digit meeting ID that no meeting has.
    pub(crate) fn new_id(&self) -> String {
        use rand::Rng as _;
        let mut rng = rand::rng();
        loop {
            let id = rng.random_range(100_000_000u32..1_000_000_000).to_string();
            if !self.by_id.contains_key(&id) {
                return id;
            }
        }
    }

    pub(crate) fn create(&mut self, new: NewConference) -> Result<ConferenceSnapshot, SimError> {
        if new.conference_id.trim().is_empty() {
            return Err(SimError::InvalidConference(
                "`conferenceID` must not be empty".into(),
            ));
        }
        if new.host_password.is_empty() {
            return Err(SimError::InvalidConference(
                "`hostPassword` must not be empty".into(),
            ));
        }
        if self.by_id.contains_key(&new.conference_id) {
            return Err(SimError::ConferenceExists(new.conference_id));
        }
        let mut participants: Vec<ParticipantSnapshot> = Vec::new();
        let mut waiting_room: Vec<ParticipantSnapshot> = Vec::new();
        let everyone = new
            .participants
            .into_iter()
            .map(|p| (p, false))
            .chain(new.waiting_room.into_iter().map(|p| (p, true)));
        for (p, waiting) in everyone {
            if p.participant_id.is_empty() {
                return Err(SimError::InvalidConference(
                    "a participant has an empty `participantID`".into(),
                ));
            }
            if participants
                .iter()
                .chain(&waiting_room)
                .any(|q| q.participant_id == p.participant_id)
            {
                return Err(SimError::InvalidConference(format!(
                    "participant `{}` is listed twice",
                    p.participant_id
                )));
            }
            if waiting && p.is_chair {
                return Err(SimError::InvalidConference(format!(
                    "participant `{}` cannot be the host and wait in the waiting room",
                    p.participant_id
                )));
            }
            let p = p.into_snapshot();
            if waiting {
                waiting_room.push(p);
            } else {
                participants.push(p);
            }
        }
        if participants.iter().filter(|p| p.is_chair).count() > 1 {
            return Err(SimError::InvalidConference(
                "at most one participant can be the host".into(),
            ));
        }
        let attendees = participants
            .iter()
            .chain(&waiting_room)
            .map(|p| AttendeeSnapshot {
                name: p.name.clone(),
                phone: p.phone.clone(),
                account_id: None,
                details: Map::new(),
            })
            .collect();
        let now = crate::now_ms();
        let mut conference = Conference::blank(new.conference_id.clone(), new.host_password, now);
        conference.guest_password = new.guest_password.filter(|p| !p.is_empty());
        conference.allow_guest_start = new.allow_guest_start;
        conference.participants = participants;
        conference.waiting_room = waiting_room;
        conference.attendees = attendees;
        conference.duration_minutes = new.duration_minutes;
        if new.active {
            conference.begin_run(now);
        }
        let snapshot = conference.snapshot();
        self.by_id.insert(new.conference_id, conference);
        Ok(snapshot)
    }
}
