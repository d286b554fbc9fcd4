//! The meeting control WebSocket, sans-IO (feature `live`): the frames a
//! client sends ([`frame`]), the pushes the service sends ([`push`]), the
//! live view of a meeting they fold into ([`view`]) and the heartbeat
//! timing ([`heartbeat`]). The clients do the I/O.
//!
//! The flow (the service's documentation, gathered in the project's
//! `events.md`, section 2): with a meeting control token, get a one-minute
//! single-use WebSocket token (`create_web_socket_token`), open
//! [`frame::connection_url`], send [`frame::subscribe`] right away, then a
//! [`frame::heartbeat`] at least every 180 s (every 60 s by default, see
//! [`heartbeat::Heartbeat`]). The service answers with a snapshot of every
//! topic (`msgMode` 0), then increments (`msgMode` 1) numbered by
//! `version`; [`view::Fold`] merges both into a [`view::LiveView`] and says
//! when the numbering shows a lost increment (then reconnect and subscribe
//! again: the only way to get a new snapshot). The meeting's end is a
//! `ConfDynamicInfoNotify` with `state` `Destroyed`, then the service
//! closes the socket.
//!
//! ```
//! use hwmeeting_core::live::{push, view::{Fold, Folded}};
//!
//! let mut fold = Fold::new();
//! let snapshot = br#"{"action":"ParticipantsNotify","msgMode":0,"version":1611993595058,
//!     "confID":"900487914","data":[{"pid":"p1","mode":0,"pinfoMap":{"NAME":"Alice","ROLE":"1","MUTE":"0"}}]}"#;
//! let muted = br#"{"action":"ParticipantsNotify","msgMode":1,"version":7,
//!     "confID":"900487914","data":[{"pid":"p1","mode":0,"pinfoMap":{"MUTE":"1"}}]}"#;
//! assert_eq!(fold.apply(&push::parse(snapshot)?), Folded::Snapshot);
//! assert_eq!(fold.apply(&push::parse(muted)?), Folded::Applied);
//! let alice = &fold.view().participants()["p1"];
//! assert_eq!((alice.name(), alice.is_host(), alice.muted()), (Some("Alice"), true, true));
//! # Ok::<(), hwmeeting_core::live::LiveError>(())
//! ```

pub mod frame;
pub mod heartbeat;
pub mod push;
pub mod view;

mod de;

pub use frame::{Sequences, Topic};
pub use heartbeat::{Heartbeat, HeartbeatConfig, HeartbeatStep};
pub use push::{Header, MsgMode, Push, parse};
pub use view::{Fold, Folded, LiveView, Participant};

/// What went wrong with the meeting control WebSocket, sans-IO: a frame
/// that cannot be read, a refused subscription, a URL that cannot be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LiveError {
    /// A frame from the server is not a JSON object with a string
    /// `action`, or a documented push has a field of the wrong shape.
    #[error("malformed WebSocket frame{}: {reason}", action.as_deref().map(|a| format!(" `{a}`")).unwrap_or_default())]
    Malformed {
        /// The frame's `action`, when it could be read.
        action: Option<String>,
        /// What is wrong, in words.
        reason: String,
    },
    /// The server answered the subscription with a non-zero `returnCode`.
    #[error("the subscription was refused: returnCode {code}{}; check the control token and the meeting ID", desc.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    SubscribeRefused {
        /// The `returnCode`.
        code: i64,
        /// The `returnDesc`, if any.
        desc: Option<String>,
    },
    /// The `wsURL` of the control-token answer cannot make a connection URL.
    #[error("invalid WebSocket URL `{url}`: {reason}")]
    Url {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl LiveError {
    pub(crate) fn malformed(action: Option<&str>, reason: impl Into<String>) -> Self {
        LiveError::Malformed {
            action: action.map(str::to_owned),
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests;
