//! Meetings: what a test creates, what the operations change, and the
//! snapshot a test reads back.

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::SimError;

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
}

impl NewParticipant {
    /// A participant who is not the host.
    pub fn new(participant_id: impl Into<String>, name: impl Into<String>) -> Self {
        NewParticipant {
            participant_id: participant_id.into(),
            name: name.into(),
            is_chair: false,
        }
    }

    /// Makes the participant the host.
    pub fn chair(mut self) -> Self {
        self.is_chair = true;
        self
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

/// A meeting as `GET /_sim/conferences/{id}` shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConferenceSnapshot {
    /// The meeting ID.
    #[serde(rename = "conferenceID")]
    pub conference_id: String,
    /// Whether it has been started.
    pub active: bool,
    /// The settings changed during the meeting, by wire name
    /// (`updateStartedConfConfig` body fields).
    pub settings: Map<String, Value>,
    /// Who is in it, in the order they joined.
    pub participants: Vec<ParticipantSnapshot>,
    /// The operations called on it, oldest first (secrets masked).
    pub calls: Vec<CallRecord>,
}

impl ConferenceSnapshot {
    /// The participant with this ID.
    pub fn participant(&self, participant_id: &str) -> Option<&ParticipantSnapshot> {
        self.participants
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
}

/// A participant as the snapshot shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantSnapshot {
    /// The participant ID.
    #[serde(rename = "participantID")]
    pub participant_id: String,
    /// The display name.
    pub name: String,
    /// Whether the participant is the host.
    pub is_chair: bool,
    /// The last camera request (`status` of `invite_operate_video`: 0 to
    /// turn the camera on, 1 off), or `None` if none was made.
    pub video_request: Option<i64>,
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
    pub settings: Map<String, Value>,
    pub calls: VecDeque<CallRecord>,
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

    pub(crate) fn snapshot(&self) -> ConferenceSnapshot {
        ConferenceSnapshot {
            conference_id: self.id.clone(),
            active: self.active,
            settings: self.settings.clone(),
            participants: self.participants.clone(),
            calls: self.calls.iter().cloned().collect(),
        }
    }
}

/// All meetings, by ID.
#[derive(Debug, Default)]
pub(crate) struct Conferences {
    pub by_id: HashMap<String, Conference>,
}

impl Conferences {
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
        for p in new.participants {
            if p.participant_id.is_empty() {
                return Err(SimError::InvalidConference(
                    "a participant has an empty `participantID`".into(),
                ));
            }
            if participants
                .iter()
                .any(|q| q.participant_id == p.participant_id)
            {
                return Err(SimError::InvalidConference(format!(
                    "participant `{}` is listed twice",
                    p.participant_id
                )));
            }
            participants.push(ParticipantSnapshot {
                participant_id: p.participant_id,
                name: p.name,
                is_chair: p.is_chair,
                video_request: None,
            });
        }
        if participants.iter().filter(|p| p.is_chair).count() > 1 {
            return Err(SimError::InvalidConference(
                "at most one participant can be the host".into(),
            ));
        }
        let conference = Conference {
            id: new.conference_id.clone(),
            uuid: format!("sim-{}", crate::random_hex(16)),
            host_password: new.host_password,
            guest_password: new.guest_password.filter(|p| !p.is_empty()),
            allow_guest_start: new.allow_guest_start,
            active: new.active,
            participants,
            settings: Map::new(),
            calls: VecDeque::new(),
        };
        let snapshot = conference.snapshot();
        self.by_id.insert(new.conference_id, conference);
        Ok(snapshot)
    }
}
