//! The error of the simulator's library API.

/// Why the simulator could not start, or an in-process helper failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// The listening socket could not be opened.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
    /// The certificate or the TLS set-up could not be made.
    #[error("TLS set-up failed: {0}")]
    Tls(String),
    /// A file could not be written, or a thread or runtime started.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// A meeting with this ID already exists.
    #[error("meeting {0} already exists")]
    ConferenceExists(String),
    /// No meeting has this ID.
    #[error("meeting {0} does not exist")]
    ConferenceNotFound(String),
    /// The meeting is not running (not started, or ended).
    #[error("meeting {0} is not running")]
    ConferenceNotRunning(String),
    /// A participant with this ID is in the meeting (or its waiting room).
    #[error("participant {0} is already in the meeting")]
    ParticipantExists(String),
    /// No participant with this ID is in the meeting.
    #[error("participant {0} is not in the meeting")]
    ParticipantNotFound(String),
    /// The meeting description is not usable.
    #[error("invalid meeting: {0}")]
    InvalidConference(String),
    /// A directory change asked of the test API is not possible.
    #[error("invalid directory change: {0}")]
    InvalidDirectory(String),
    /// The fault is not usable.
    #[error("invalid fault: {0}")]
    InvalidFault(String),
    /// The request needs TLS, and the simulator serves plain HTTP.
    #[error("the simulator serves plain HTTP: it has no certificate")]
    NoTls,
    /// The simulator's thread stopped before it was ready.
    #[error("the simulator thread stopped unexpectedly")]
    ThreadDied,
}
