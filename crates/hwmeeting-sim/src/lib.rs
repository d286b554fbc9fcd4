//! **hwmeeting-sim**: a stateful simulator of the Huawei Cloud Meeting
//! server REST API, over HTTPS (or plain HTTP), with fault injection, for
//! testing `hwmeeting` and the programs built on it without the real
//! service.
//!
//! It serves every operation of the SDK's spec ([`hwmeeting_core::meta`]):
//! routing by method and path, and checking every parameter (query,
//! headers matched case-insensitively, JSON body), come from the spec, so
//! a new spec file is served with no code here; it answers `400` naming the
//! parameter at fault, with an `MMC`/`USG` error code ([`codes`]). On top,
//! the operations the SDK ships have the service's behaviour:
//!
//! - `app_auth` checks the App ID signature with the configured app ID and
//!   key ([`DEFAULT_APP_ID`], [`DEFAULT_APP_KEY`]), `account_auth` checks
//!   Basic credentials against the configured accounts
//!   ([`DEFAULT_ACCOUNT`]); both issue access tokens;
//! - the scheduling calls keep one model of a meeting across its life:
//!   `create_meeting` (and `create_recurring_meeting`, a series with its
//!   sub-meetings laid out from `cycleParams`) makes a meeting with a new
//!   9-digit ID, a `confUUID` and host and guest passwords, in the same
//!   registry that `start_meeting` and every control call use;
//!   `search_meetings`, `show_meeting_detail`, `update_meeting`,
//!   `cancel_meeting` (refused for a running meeting unless `type` 1) and
//!   the series calls read and change it; a running meeting is in
//!   `search_online_meetings`, `show_online_meeting_detail` and
//!   `list_online_conf_attendee`; each run (start to stop) becomes
//!   history under its `confUUID` ([`HistoricMeeting`]: attendance in ms,
//!   the calls made as control records) and, when `record` or
//!   `set_mmr_record` recorded it, a [`Recording`] whose files the
//!   simulator serves under `/_sim/recordings/`; event-push settings are
//!   kept per enterprise, their key never answered back. Every search
//!   pages with `offset`/`limit` and counts every match;
//! - `start_meeting` (access token, host password) activates a meeting;
//! - `create_conf_token` (host password, or a live control token to keep
//!   alive) issues a meeting control token, for an active meeting only;
//! - every Meeting Control call needs a live control token of the very
//!   meeting, on a running meeting; these change its state, which
//!   [`ConferenceSnapshot`] shows (its documentation lists which call
//!   changes what): `set_role`, `set_cohost`, `hang_up`,
//!   `invite_operate_video`, `update_started_conf_config`, `mute_meeting`,
//!   `mute_participant`, `allow_guest_unmute`, `lock_meeting`, `record`,
//!   `set_mmr_record`, `live`, `pause_conference`, `prolong_meeting`,
//!   `rename_participant`, `hand`, `batch_hand`, the waiting room
//!   (`move_to_waiting_room`, `batch_move_to_waiting_room`,
//!   `allow_waiting_participant`), `invite_participant`, `invite_with_pwd`
//!   (host or guest password, no token), `delete_attendees`, broadcast
//!   and roll call (`broadcast_participant`, `rollcall_participant`,
//!   `cancel_broadcast`), layouts (`save_layout`, `delete_layout`),
//!   live streaming on an MMR (`set_mmr_live`), local recording rights
//!   (`allow_client_record`), screen-share invitations (`invite_share`),
//!   the audience of a webinar (`allow_audience_join`), terminal views
//!   (`lock_view`, `set_participant_view`), the host's view
//!   (`set_host_view`), the video strategy (`switch_mode`), the
//!   multi-picture (`set_multi_picture`, `set_custom_multi_picture`) and
//!   simultaneous interpretation (`set_interpreter_group`,
//!   `set_attendee_lan_channel`, `resume_simultaneous_interpretation`);
//!   `stop_meeting` ends the meeting and revokes its control tokens;
//!   an unknown participant is answered `404`
//!   ([`codes::MMC_PARTICIPANT_NOT_FOUND`]);
//! - `show_real_time_info_of_meeting` and `show_layout` answer with the
//!   meeting's state; `show_mgmt_site_status` with plausible values;
//! - the meeting control WebSocket: `create_web_socket_token` (and the
//!   `tmpWsToken` of `create_conf_token`) issue single-use tokens valid
//!   60 s; `GET /cms/open/websocket/confctl/increment/conn?confID=&tmpToken=`
//!   (the `wsURL` of `create_conf_token`, on the simulator's own port and
//!   TLS) accepts the upgrade, then closes (code 1008, the reason in words)
//!   for an unknown, used, expired or foreign token; `Subscribe` with the
//!   meeting's control token (raw or `Basic ` + Base64, `data` a JSON
//!   string or object) is answered `returnCode` 0 (1 and a close for a bad
//!   token) and followed by a snapshot per topic (basic and dynamic info,
//!   participants, waiting room, attendees, speakers); every change of the
//!   meeting (control calls, the `/_sim/` participant routes, stop) becomes
//!   increments numbered per topic from 1; `HeartBeat` is echoed; a channel
//!   silent for the heartbeat timeout (180 s,
//!   [`SimControl::set_live_heartbeat_timeout`]) is closed; `stop_meeting`
//!   pushes `state` `Destroyed`, then closes. Faults: [`LiveFaults`];
//! - `update_token` gives the access token a new lifetime, `delete_token`
//!   revokes it, `check_token` answers the details of a live token (a new
//!   one with `needGenNewToken`) and `401` for any other;
//! - the directory chapters keep one enterprise's directory (every
//!   configured login account is a user from the start, the first one its
//!   default administrator, each with a personal meeting ID): users
//!   (`add_user`, `show_user_detail`, `update_user`, `search_users`,
//!   `invite_user`; an added user logs in with `account_auth`; passwords
//!   are never answered), the department tree (`add_department`,
//!   `update_department`, `delete_department` of an empty one,
//!   `search_department_by_name`, `show_dept_and_child_dept`), the address
//!   book's view of both (`search_corp_dir`, `show_department`;
//!   `search_corp_external_dir` has no contact to list), cloud meeting
//!   rooms (`search_corp_vmr`, `search_member_vmr`, `update_member_vmr`;
//!   rooms are added with [`SimControl::add_cloud_meeting_room`]) and app
//!   IDs (`add_app_id`, `batch_search_app_id`, `update_app_id`,
//!   `reset_app_key`, `delete_app_id`; an added app logs in with
//!   `app_auth`; its key is answered only when made). Lists page with
//!   `offset`/`limit` (10 by default); what does not exist is answered
//!   `404`, an account or name in use `400` (`USG` codes in [`codes`]);
//! - an operation with no handler here (one added to the spec later) is
//!   checked, recorded in its meeting's `calls`, and answered `{}`.
//!
//! Every answer, success or error, carries an `X-Request-Id` of 32 hex
//! digits; errors look like the service's:
//! `{"error_code": "MMC.111070004", "error_msg": "...", "request_id": "..."}`.
//!
//! Tests drive it over HTTP under `/_sim/` ([`control`]) or in process
//! through [`SimControl`]: create meetings, read their state, queue faults
//! ([`faults`]), read the request log (secrets masked), shorten token
//! lifetimes, revoke every token.
//!
//! ```
//! use hwmeeting_sim::{SimConfig, Simulator, demo_conference};
//!
//! // A blocking test: the simulator runs on its own thread and runtime.
//! let sim = Simulator::spawn(SimConfig::http()).unwrap();
//! sim.create_conference(demo_conference()).unwrap();
//! assert!(sim.url().starts_with("http://127.0.0.1:"));
//! let meeting = sim.conference("900000001").unwrap();
//! assert!(!meeting.active);
//! assert_eq!(meeting.participants.len(), 3);
//! sim.shutdown();
//! ```
//!
//! With TLS (the default), the simulator makes a certificate authority at
//! start and a server certificate for `localhost`, `127.0.0.1` and `::1`
//! signed by it: a client adds [`SimControl::ca_pem`] (or the file at
//! [`SimControl::ca_pem_path`]) as a trusted root and connects to
//! [`SimControl::url`] with hostname verification on.
//!
//! The binary `hwmeeting-sim` runs it from the command line ([`cli`]).

#![warn(missing_docs)]

mod checking;
pub mod cli;
pub mod codes;
mod conferences;
mod config;
pub mod control;
mod directory;
mod display;
mod error;
mod event_push;
pub mod faults;
mod handlers;
mod history;
mod interpretation;
mod live;
mod multipart;
mod recordings;
mod request_log;
mod schedule;
mod server;
mod state;
mod times;
mod tls;
mod tokens;
mod webhooks;

use std::sync::{Mutex, MutexGuard};

pub use conferences::{
    AttendeeSnapshot, CALLS_LIMIT, CallRecord, ConferenceSnapshot, DEFAULT_DURATION_MINUTES,
    DEMO_CONFERENCE_ID, DEMO_GUEST_PASSWORD, DEMO_HOST_PASSWORD, NewConference, NewParticipant,
    ParticipantSnapshot, RecordingState, demo_conference,
};
pub use config::{
    Account, DEFAULT_ACCESS_TOKEN_TTL, DEFAULT_ACCOUNT, DEFAULT_ACCOUNT_PASSWORD, DEFAULT_APP_ID,
    DEFAULT_APP_KEY, DEFAULT_CONF_TOKEN_TTL, DEFAULT_REQUEST_LOG_LIMIT, DEFAULT_WEBHOOK_RETRY_MS,
    MAX_ACCESS_TOKENS_PER_USER, SimConfig,
};
pub use display::{FIXED, HostView, MultiPicture, Picture, VOICE_ACTIVATED, VideoMode};
pub use error::SimError;
pub use event_push::DeliveryAttempt;
pub use faults::{Fault, FaultRule};
pub use history::{Attendance, HistoricMeeting};
pub use interpretation::{Interpreter, InterpreterGroup, LanguageChannel};
pub use live::{DEFAULT_HEARTBEAT_TIMEOUT, LiveFaults};
pub use recordings::{Recording, Segment};
pub use request_log::{RecordedRequest, is_credential_header, is_token_like};
pub use server::{SimHandle, Simulator};
pub use state::{SimControl, Upload};
pub use tls::SERVER_NAMES;
pub use tokens::{ACCESS_TOKEN_PREFIX, CONF_TOKEN_PREFIX};

/// Locks a mutex, going on if a panic poisoned it (the state stays usable:
/// every change is made in one step).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `n` random bytes as lower-case hex.
pub(crate) fn random_hex(n: usize) -> String {
    use rand::RngCore as _;
    let mut bytes = vec![0u8; n];
    rand::rng().fill_bytes(&mut bytes);
    let mut out = String::with_capacity(n * 2);
    for b in bytes {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// A stable 32-hex-digit id derived from a text: the first 16 bytes of its
/// SHA-256, the same on every run and every Rust release (the standard
/// library's `DefaultHasher` promises neither).
pub(crate) fn stable_id(text: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text.as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Now, in Unix milliseconds.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod stable_id_tests {
    #[test]
    fn stable_ids_are_stable() {
        // Pinned: a user's id must not change between runs or releases.
        assert_eq!(
            super::stable_id("alice@example.com"),
            "ff8d9819fc0e12bf0d24892e45987e24"
        );
        assert_eq!(super::stable_id("x").len(), 32);
    }
}
