//! A handle on one meeting: its id and its meeting control token.

use std::fmt;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use hwmeeting_core::session;
use hwmeeting_core::token::CachedToken;
use hwmeeting_core::{BuildError, Error, Operation, Reply, Secret};

use crate::call;
use crate::client::{BoxFuture, Client};
use crate::token::TokenCell;

/// A handle on a meeting, made with [`Client::conference`] or
/// [`Client::conference_with_token`].
///
/// It fills in the meeting's `conferenceID` and sends the meeting control
/// token, which it obtains with `create_conf_token`, caches, and renews
/// before it expires (passing the live token in
/// `X-Conference-Authorization`; if that is refused, with the host password
/// alone). Concurrent calls share one renewal. Cheap to clone, `Send` and
/// `Sync`.
///
/// Every meeting control operation has a method (`conference.set_role(..)`,
/// `conference.hang_up(..)`, ...).
#[derive(Clone)]
pub struct Conference {
    client: Client,
    state: Arc<ConferenceState>,
}

impl fmt::Debug for Conference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Conference")
            .field("id", &self.state.id)
            .field("renewable", &self.state.can_renew())
            .finish_non_exhaustive()
    }
}

impl Conference {
    pub(crate) fn new(client: Client, state: Arc<ConferenceState>) -> Self {
        Conference { client, state }
    }

    /// The meeting ID.
    pub fn id(&self) -> &str {
        &self.state.id
    }

    /// The meeting control token, obtaining or renewing it if needed.
    /// Concurrent callers share one renewal.
    pub async fn control_token(&self) -> Result<Secret, Error> {
        self.state.control_token(&self.client).await
    }

    /// Sends an operation for this meeting: its `conferenceID` is filled in
    /// (a request naming another meeting fails with [`Error::Build`] on
    /// `conferenceID`), and a meeting control operation carries this
    /// handle's control token.
    pub async fn send<O: Operation>(&self, op: O) -> Result<O::Output, Error> {
        self.execute(op).await.map(|reply| reply.output)
    }

    /// Like [`Conference::send`], with the status, request id, attempts
    /// and time taken.
    pub async fn execute<O: Operation>(&self, mut op: O) -> Result<Reply<O::Output>, Error> {
        if let Some(other) = op.target_conference_id()
            && other != self.state.id
        {
            return Err(Error::Build {
                operation: op.meta().id,
                source: BuildError::Invalid {
                    parameter: op
                        .meta()
                        .conference_id_param()
                        .map_or("conferenceID", |p| p.name)
                        .to_owned(),
                    reason: format!(
                        "the request is for meeting `{other}`, but this handle is for meeting `{}`",
                        self.state.id
                    ),
                },
            });
        }
        op.fill_conference_id(&self.state.id);
        call::execute(&self.client, &op, Some(&self.state)).await
    }
}

/// The shared state of a meeting handle.
#[derive(Debug)]
pub(crate) struct ConferenceState {
    id: String,
    host_password: Option<Secret>,
    cell: TokenCell,
}

impl ConferenceState {
    pub(crate) fn with_password(id: String, host_password: Secret) -> Self {
        ConferenceState {
            id,
            host_password: Some(host_password),
            cell: TokenCell::default(),
        }
    }

    pub(crate) fn with_token(id: String, token: CachedToken, password: Option<Secret>) -> Self {
        ConferenceState {
            id,
            host_password: password,
            cell: TokenCell::with_token(token),
        }
    }

    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn host_password(&self) -> Option<&Secret> {
        self.host_password.as_ref()
    }

    /// Whether the handle can obtain a new token (it knows the password).
    pub(crate) fn can_renew(&self) -> bool {
        self.host_password.is_some()
    }

    /// The control token, renewed if due and possible.
    pub(crate) async fn control_token(&self, client: &Client) -> Result<Secret, Error> {
        match &self.host_password {
            Some(password) => {
                self.cell
                    .get(|previous| self.renew(client, password, previous))
                    .await
            }
            // Without a password the caller's token is all we have: used
            // until the service rejects it.
            None => self.cell.current().ok_or_else(|| {
                Error::Config(format!(
                    "no meeting control token for conference {}: call client.conference(id, host_password) or client.conference_with_token(id, token) first",
                    self.id
                ))
            }),
        }
    }

    /// Drops `token` if it is the cached one (it was rejected).
    pub(crate) fn invalidate_if(&self, token: &Secret) {
        if self.can_renew() {
            self.cell.invalidate_if(token);
        }
    }

    /// Obtains a new control token: with the live one in
    /// `X-Conference-Authorization` while it has not expired, else (or if
    /// that is refused) with the host password alone.
    fn renew<'a>(
        &'a self,
        client: &'a Client,
        password: &'a Secret,
        previous: Option<CachedToken>,
    ) -> BoxFuture<'a, Result<CachedToken, Error>> {
        Box::pin(async move {
            if let Some(live) = previous.filter(|t| Instant::now() < t.expires_at) {
                let request =
                    session::conference_token_request(&self.id, password, Some(&live.token));
                match call::execute(client, &request, None).await {
                    Ok(reply) => {
                        return Ok(session::conference_token_from(
                            reply.output,
                            SystemTime::now(),
                            Instant::now(),
                        ));
                    }
                    Err(Error::Api { source, .. })
                        if (400..500).contains(&source.status) && source.status != 429 =>
                    {
                        tracing::debug!(
                            conference_id = %self.id,
                            status = source.status,
                            "renewing the control token with the live one was refused; using the host password"
                        );
                    }
                    Err(error) => return Err(error),
                }
            }
            let request = session::conference_token_request(&self.id, password, None);
            let reply = call::execute(client, &request, None).await?;
            Ok(session::conference_token_from(
                reply.output,
                SystemTime::now(),
                Instant::now(),
            ))
        })
    }
}
