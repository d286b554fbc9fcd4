//! The simulator's shared state, and [`SimControl`], the in-process handle
//! on it that mirrors the `/_sim/` routes.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::conferences::NewParticipant;
use crate::conferences::{ConferenceSnapshot, Conferences, NewConference};
use crate::config::{Account, SimConfig};
use crate::directory::Directory;
use crate::faults::{FaultQueue, FaultRule};
use crate::history::{HistoricMeeting, History};
use crate::live::{self, LiveFaults, LiveHub};
use crate::recordings::{Recording, Recordings};
use crate::request_log::{RecordedRequest, RequestLog};
use crate::tokens::Tokens;
use crate::webhooks::Webhooks;
use crate::{SimError, lock, now_ms};

/// Everything the handlers share. Its `Debug` shows no password or token.
pub(crate) struct SimState {
    pub app_id: String,
    pub app_key: hwmeeting_core::Secret,
    pub accounts: Vec<Account>,
    /// `https://127.0.0.1:PORT` or `http://...`.
    pub url: String,
    pub tls: bool,
    /// Locked before `history` and `recordings` when both are needed.
    pub conferences: Mutex<Conferences>,
    pub history: Mutex<History>,
    pub recordings: Mutex<Recordings>,
    /// Shared with the event-push tasks (which enable a verified
    /// configuration).
    pub webhooks: Arc<Mutex<Webhooks>>,
    pub event_push: crate::event_push::EventPush,
    /// Users, departments, rooms and applications.
    pub directory: Mutex<Directory>,
    pub tokens: Mutex<Tokens>,
    pub faults: FaultQueue,
    pub log: RequestLog,
    /// Every file uploaded, oldest first.
    pub uploads: Mutex<Vec<Upload>>,
    /// The meeting control WebSocket.
    pub live: LiveHub,
}

/// A file an upload operation received, as it arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Upload {
    /// The operation (`set_user_profile_image`).
    pub operation: String,
    /// The form part's name (`file`).
    pub parameter: String,
    /// The path parameters of the call (`user_id`).
    pub path_params: Vec<(String, String)>,
    /// The file name the part carried.
    pub file_name: String,
    /// The part's media type.
    pub content_type: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for SimState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimState")
            .field("url", &self.url)
            .field("tls", &self.tls)
            .field("app_id", &self.app_id)
            .field("accounts", &self.accounts)
            .field("conferences", &lock(&self.conferences).by_id.len())
            .field("faults", &self.faults.pending().len())
            .finish_non_exhaustive()
    }
}

impl SimState {
    pub(crate) fn new(config: &SimConfig, url: String) -> Self {
        SimState {
            app_id: config.app_id.clone(),
            app_key: config.app_key.clone(),
            accounts: config.accounts.clone(),
            url,
            tls: config.tls,
            conferences: Mutex::new(Conferences::default()),
            history: Mutex::new(History::default()),
            recordings: Mutex::new(Recordings::default()),
            webhooks: Arc::new(Mutex::new(Webhooks::default())),
            event_push: crate::event_push::EventPush::new(
                Duration::from_millis(config.webhook_retry_ms),
                &config.webhook_ca_pems,
                config.webhook_remote,
            ),
            directory: Mutex::new(Directory::new(&config.accounts)),
            tokens: Mutex::new(Tokens::new(config.access_token_ttl, config.conf_token_ttl)),
            faults: FaultQueue::default(),
            log: RequestLog::new(config.request_log_limit),
            uploads: Mutex::new(Vec::new()),
            live: LiveHub::default(),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub state: Arc<SimState>,
    pub addr: SocketAddr,
    pub ca_pem: Option<String>,
    pub ca_pem_path: Option<PathBuf>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        if let Some(path) = &self.ca_pem_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// An in-process handle on a running simulator: its address and
/// certificate, and the test controls that `/_sim/` offers over HTTP.
///
/// [`Simulator`](crate::Simulator) and [`SimHandle`](crate::SimHandle)
/// dereference to it. It is cheap to clone; clones outliving the simulator
/// still read its state, but nothing is served any more.
#[derive(Clone, Debug)]
pub struct SimControl {
    pub(crate) shared: Arc<Shared>,
}

impl SimControl {
    pub(crate) fn state(&self) -> &SimState {
        &self.shared.state
    }

    /// The base URL clients use: `https://127.0.0.1:PORT` (or `http://`
    /// without TLS; `[::1]` when listening on IPv6).
    pub fn url(&self) -> &str {
        &self.state().url
    }

    /// The base URL with the host name `localhost`:
    /// `https://localhost:PORT`.
    pub fn localhost_url(&self) -> String {
        let scheme = if self.state().tls { "https" } else { "http" };
        format!("{scheme}://localhost:{}", self.shared.addr.port())
    }

    /// The address the simulator listens on.
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// The port the simulator listens on.
    pub fn port(&self) -> u16 {
        self.shared.addr.port()
    }

    /// Whether it serves HTTPS.
    pub fn is_tls(&self) -> bool {
        self.state().tls
    }

    /// The PEM of the certificate authority a client must trust (add it as
    /// a root certificate); `None` without TLS.
    pub fn ca_pem(&self) -> Option<&str> {
        self.shared.ca_pem.as_deref()
    }

    /// A file holding [`ca_pem`](Self::ca_pem), written at start in the
    /// temporary directory and removed when the simulator is dropped;
    /// `None` without TLS.
    pub fn ca_pem_path(&self) -> Option<&Path> {
        self.shared.ca_pem_path.as_deref()
    }

    /// Writes [`ca_pem`](Self::ca_pem) to a file.
    pub fn write_ca_pem(&self, path: impl AsRef<Path>) -> Result<(), SimError> {
        let pem = self.ca_pem().ok_or(SimError::NoTls)?;
        std::fs::write(path, pem)?;
        Ok(())
    }

    /// The app ID that app authentication accepts.
    pub fn app_id(&self) -> &str {
        &self.state().app_id
    }

    /// The app key that app signatures are checked with.
    pub fn app_key(&self) -> &hwmeeting_core::Secret {
        &self.state().app_key
    }

    /// Creates a meeting (not started unless it says `active`).
    pub fn create_conference(
        &self,
        conference: NewConference,
    ) -> Result<ConferenceSnapshot, SimError> {
        lock(&self.state().conferences).create(conference)
    }

    /// The state of a meeting.
    pub fn conference(&self, conference_id: &str) -> Option<ConferenceSnapshot> {
        lock(&self.state().conferences)
            .by_id
            .get(conference_id)
            .map(|c| c.snapshot())
    }

    /// The state of every meeting, by ID.
    pub fn conferences(&self) -> Vec<ConferenceSnapshot> {
        let mut all: Vec<ConferenceSnapshot> = lock(&self.state().conferences)
            .by_id
            .values()
            .map(|c| c.snapshot())
            .collect();
        all.sort_by(|a, b| a.conference_id.cmp(&b.conference_id));
        all
    }

    /// Deletes a meeting; whether it existed.
    pub fn remove_conference(&self, conference_id: &str) -> bool {
        lock(&self.state().conferences)
            .by_id
            .remove(conference_id)
            .is_some()
    }

    /// Makes someone join a running meeting (as `POST
    /// /_sim/conferences/{id}/participants` does): their stay starts now.
    pub fn join_participant(
        &self,
        conference_id: &str,
        participant: NewParticipant,
    ) -> Result<ConferenceSnapshot, SimError> {
        let mut conferences = lock(&self.state().conferences);
        let c = conferences
            .by_id
            .get_mut(conference_id)
            .ok_or_else(|| SimError::ConferenceNotFound(conference_id.to_owned()))?;
        if !c.active {
            return Err(SimError::ConferenceNotRunning(conference_id.to_owned()));
        }
        if participant.participant_id.trim().is_empty() {
            return Err(SimError::InvalidConference(
                "`participantID` must not be empty".into(),
            ));
        }
        if c.participants
            .iter()
            .chain(&c.waiting_room)
            .any(|p| p.participant_id == participant.participant_id)
        {
            return Err(SimError::ParticipantExists(participant.participant_id));
        }
        let chair = participant.is_chair;
        let mut joined = crate::conferences::ParticipantSnapshot::joined(
            participant.participant_id,
            participant.name,
            participant.phone,
            c.muted,
        );
        if chair {
            for p in &mut c.participants {
                p.is_chair = false;
            }
            joined.is_chair = true;
        }
        c.participants.push(joined);
        crate::event_push::sync_attendance(self.state(), c, now_ms());
        live::publish(self.state(), c);
        Ok(c.snapshot())
    }

    /// Makes a participant leave a meeting (as `DELETE
    /// /_sim/conferences/{id}/participants/{pid}` does): their stay ends
    /// now.
    pub fn leave_participant(
        &self,
        conference_id: &str,
        participant_id: &str,
    ) -> Result<ConferenceSnapshot, SimError> {
        let mut conferences = lock(&self.state().conferences);
        let c = conferences
            .by_id
            .get_mut(conference_id)
            .ok_or_else(|| SimError::ConferenceNotFound(conference_id.to_owned()))?;
        let before = c.participants.len() + c.waiting_room.len();
        c.participants
            .retain(|p| p.participant_id != participant_id);
        c.waiting_room
            .retain(|p| p.participant_id != participant_id);
        if c.participants.len() + c.waiting_room.len() == before {
            return Err(SimError::ParticipantNotFound(participant_id.to_owned()));
        }
        if c.broadcast.as_deref() == Some(participant_id) {
            c.broadcast = None;
            c.roll_call = None;
        }
        crate::event_push::sync_attendance(self.state(), c, now_ms());
        live::publish(self.state(), c);
        Ok(c.snapshot())
    }

    /// Every ended run of every meeting, oldest first.
    pub fn history(&self) -> Vec<HistoricMeeting> {
        lock(&self.state().history).runs.clone()
    }

    /// Every event-push delivery attempt so far (the verify handshake
    /// included), oldest first.
    pub fn webhook_deliveries(&self) -> Vec<crate::DeliveryAttempt> {
        self.state().event_push.attempts()
    }

    /// Every recording not deleted, oldest first.
    pub fn recordings(&self) -> Vec<Recording> {
        lock(&self.state().recordings).all.clone()
    }

    /// Every file uploaded (profile pictures, materials, webinar files),
    /// oldest first, as it arrived.
    pub fn uploads(&self) -> Vec<Upload> {
        lock(&self.state().uploads).clone()
    }

    /// Adds a cloud meeting room to the enterprise (as buying a package
    /// does), assigned to the user with this account, or to nobody; the
    /// room's ID. It fails when no user has the account.
    pub fn add_cloud_meeting_room(
        &self,
        name: &str,
        assign_to: Option<&str>,
    ) -> Result<String, SimError> {
        lock(&self.state().directory)
            .add_cloud_room(name, assign_to)
            .map_err(SimError::InvalidDirectory)
    }

    /// Queues a fault (see [`crate::faults`]).
    pub fn push_fault(&self, rule: FaultRule) -> Result<(), SimError> {
        self.state()
            .faults
            .push(rule)
            .map_err(SimError::InvalidFault)
    }

    /// The faults still queued.
    pub fn faults(&self) -> Vec<FaultRule> {
        self.state().faults.pending()
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) {
        self.state().faults.clear();
    }

    /// The API requests received, oldest first, secrets masked.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().log.all()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.state().log.clear();
    }

    /// Changes the lifetime of tokens issued from now on (`None` keeps the
    /// current one).
    pub fn set_token_lifetimes(&self, access: Option<Duration>, conf: Option<Duration>) {
        let mut tokens = lock(&self.state().tokens);
        if let Some(ttl) = access {
            tokens.access_ttl = ttl;
        }
        if let Some(ttl) = conf {
            tokens.conf_ttl = ttl;
        }
    }

    /// The lifetimes of access tokens and of control tokens issued now.
    pub fn token_lifetimes(&self) -> (Duration, Duration) {
        let tokens = lock(&self.state().tokens);
        (tokens.access_ttl, tokens.conf_ttl)
    }

    /// Revokes every access and control token now; returns how many there
    /// were. The next call with one of them is answered 401.
    pub fn expire_tokens(&self) -> usize {
        lock(&self.state().tokens).expire_all()
    }

    /// Forgets every meeting, history record, recording, event-push
    /// setting and delivery attempt, token, fault and logged request; the
    /// directory goes back to its start (the login accounts as users, the
    /// root department).
    pub fn reset(&self) {
        *lock(&self.state().directory) = Directory::new(&self.state().accounts);
        lock(&self.state().conferences).by_id.clear();
        lock(&self.state().history).runs.clear();
        lock(&self.state().recordings).all.clear();
        lock(&self.state().webhooks).configs.clear();
        self.state().event_push.clear();
        self.expire_tokens();
        self.clear_faults();
        self.clear_requests();
        self.set_live_faults(LiveFaults::default());
    }

    /// The faults of the meeting control WebSocket (see [`LiveFaults`]).
    pub fn live_faults(&self) -> LiveFaults {
        self.state().live.faults()
    }

    /// Sets the faults of the meeting control WebSocket.
    pub fn set_live_faults(&self, faults: LiveFaults) {
        self.state().live.set_faults(faults);
    }

    /// How long a control WebSocket may go without a frame from its client
    /// before the simulator closes it (default
    /// [`DEFAULT_HEARTBEAT_TIMEOUT`](crate::DEFAULT_HEARTBEAT_TIMEOUT));
    /// applies to channels opened from now on.
    pub fn set_live_heartbeat_timeout(&self, timeout: Duration) {
        self.state().live.set_heartbeat_timeout(timeout);
    }

    /// How many control WebSocket channels are open now.
    pub fn live_channels(&self) -> usize {
        self.state().live.open_channels()
    }
}
