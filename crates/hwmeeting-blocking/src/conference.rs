//! A handle on one running meeting and its control token.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hwmeeting_core::token::{CONFERENCE_TOKEN_LIFETIME, CachedToken};
use hwmeeting_core::{BuildError, Error, Operation, Reply, Secret};

use crate::client::Client;
use crate::token::TokenCell;

/// A handle on a running meeting: it holds the meeting's control token,
/// obtains it on first need, renews it before it expires and after the
/// service rejects it, and fills the meeting's id into every request sent
/// through it.
///
/// Get one with [`Client::conference`] or [`Client::conference_with_token`].
/// Cheap to clone; clones share the token.
#[derive(Clone)]
pub struct Conference {
    pub(crate) client: Client,
    pub(crate) state: Arc<ConferenceState>,
}

/// What the handles of one meeting share.
pub(crate) struct ConferenceState {
    pub(crate) id: String,
    /// The host password, when known: it is what renews the token.
    pub(crate) host_password: Option<Secret>,
    pub(crate) token: TokenCell,
}

impl ConferenceState {
    pub(crate) fn with_password(id: String, host_password: Secret) -> Self {
        ConferenceState {
            id,
            host_password: Some(host_password),
            token: TokenCell::new(),
        }
    }

    pub(crate) fn with_token(id: String, token: Secret, host_password: Option<Secret>) -> Self {
        let now = Instant::now();
        let cached = if host_password.is_some() {
            // Issued at some time before now: assume a whole lifetime at
            // most; a rejection renews it earlier.
            CachedToken::new(token, CONFERENCE_TOKEN_LIFETIME, now)
        } else {
            // Nothing can renew it: use it until it is rejected.
            let far = now
                .checked_add(Duration::from_secs(100 * 365 * 24 * 3600))
                .unwrap_or(now + CONFERENCE_TOKEN_LIFETIME * 1000);
            CachedToken {
                token,
                expires_at: far,
                refresh_at: far,
            }
        };
        ConferenceState {
            id,
            host_password,
            token: TokenCell::with_token(cached),
        }
    }

    /// Whether a rejected or expired token can be replaced.
    pub(crate) fn can_renew(&self) -> bool {
        self.host_password.is_some()
    }
}

impl fmt::Debug for Conference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Conference")
            .field("id", &self.state.id)
            .field("host_password", &self.state.host_password)
            .field("token", &self.state.token)
            .finish()
    }
}

impl Conference {
    pub(crate) fn new(client: Client, state: Arc<ConferenceState>) -> Self {
        Conference { client, state }
    }

    /// The meeting's id.
    pub fn id(&self) -> &str {
        &self.state.id
    }

    /// The meeting control token, obtaining or renewing it if needed. However
    /// many threads ask at once, one request runs.
    pub fn control_token(&self) -> Result<Secret, Error> {
        self.client.control_token(&self.state)
    }

    /// Sends an operation for this meeting: its id is filled in when the
    /// request has none, and meeting control calls carry this handle's
    /// control token. A request that names another meeting fails with
    /// [`Error::Build`] before anything is sent.
    pub fn send<O: Operation>(&self, op: O) -> Result<O::Output, Error> {
        self.execute(op).map(|reply| reply.output)
    }

    /// Like [`Conference::send`], with the HTTP status, the request id, the
    /// number of attempts and the time taken.
    pub fn execute<O: Operation>(&self, mut op: O) -> Result<Reply<O::Output>, Error> {
        if let Some(target) = op.target_conference_id()
            && target != self.state.id
        {
            return Err(Error::Build {
                operation: op.meta().id,
                source: BuildError::Invalid {
                    parameter: "conferenceID".into(),
                    reason: format!(
                        "the request is for conference `{target}`, but this handle is for conference `{}`: leave it unset or use that meeting's handle",
                        self.state.id
                    ),
                },
            });
        }
        op.fill_conference_id(&self.state.id);
        self.client.execute_in(op, Some(&self.state))
    }
}
