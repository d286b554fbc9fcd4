//! The client and its builder.

use std::fmt;
use std::sync::Arc;

use hwmeeting_core::engine::Session;
use hwmeeting_core::{Config, Endpoint, Error, FromConfig, Operation, Reply, Secret};

use crate::call::{self, Waiter};
use crate::conference::Conference;
use crate::transport::Transport;

/// An async client of the Huawei Cloud Meeting API.
///
/// Cheap to clone (the clones share one connection pool, one access-token
/// cache and one registry of meeting handles), `Send` and `Sync`. Build it with [`Client::builder`] or
/// [`Client::from_env`].
///
/// Every operation has a method (`client.start_meeting(..)`,
/// `client.set_role(..)`, ...); [`Client::send`] sends any [`Operation`],
/// including a [`DynamicOperation`](crate::DynamicOperation).
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

/// What the clones of a client share.
pub(crate) struct Inner {
    pub(crate) session: Session<Waiter>,
    pub(crate) transport: Transport,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("session", &self.inner.session)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with the default settings: region `cn-north-4`, no
    /// credentials, 5 s to connect, 30 s per attempt, 90 s per call, 3
    /// attempts.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment
    /// ([`Config::from_env_with`]): `HWMEETING_ENDPOINT` or
    /// `HWMEETING_REGION`, `HWMEETING_APP_ID` + `HWMEETING_APP_KEY` (with
    /// optional `HWMEETING_USER_ID`, `HWMEETING_CORP_ID`), or
    /// `HWMEETING_ACCOUNT` + `HWMEETING_PASSWORD`, or
    /// `HWMEETING_ACCESS_TOKEN`; `HWMEETING_ALLOW_HTTP=1` for a plain
    /// `http://` simulator. Errors name the variable at fault.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// Where requests go.
    pub fn endpoint(&self) -> &Endpoint {
        self.inner.session.endpoint()
    }

    /// Sends any operation (a typed request or a
    /// [`DynamicOperation`](crate::DynamicOperation)) and returns its
    /// answer.
    ///
    /// The credential comes from the client: the access token (logging in
    /// first if needed), the account password or app key for the logins,
    /// or, for a meeting control operation, the control token of the handle
    /// registered for its meeting id with [`Client::conference`] or
    /// [`Client::conference_with_token`].
    pub async fn send<O: Operation>(&self, op: O) -> Result<O::Output, Error> {
        self.execute(op).await.map(|reply| reply.output)
    }

    /// Like [`Client::send`], with the status, request id, attempts and
    /// time taken.
    pub async fn execute<O: Operation>(&self, op: O) -> Result<Reply<O::Output>, Error> {
        call::execute(self, &op, None).await
    }

    /// The cached access token, logging in first if there is none or it is
    /// about to expire. However many tasks ask at once, one login runs.
    pub async fn access_token(&self) -> Result<Secret, Error> {
        call::access_token(self).await
    }

    /// Drops the cached access token: the next call that needs one logs in
    /// again. (A token given with
    /// [`Credentials::AccessToken`](crate::Credentials::AccessToken) is
    /// kept.)
    pub fn invalidate_access_token(&self) {
        self.inner.session.invalidate_access_token();
    }

    /// A handle on a meeting: it obtains the meeting control token with
    /// `create_conf_token` (the host password goes in `X-Password`), caches
    /// it and renews it before it expires.
    ///
    /// The handle is also registered in the client, so that
    /// `client.set_role(..)` and the other control calls naming this
    /// meeting id use it; a later call for the same id replaces it, and
    /// [`Client::forget_conference`] removes it.
    pub fn conference(
        &self,
        conference_id: impl Into<String>,
        host_password: impl Into<Secret>,
    ) -> Conference {
        let session = &self.inner.session;
        let meeting = session.meeting_with_password(conference_id.into(), host_password.into());
        Conference::new(self.clone(), meeting)
    }

    /// A handle on a meeting with a control token the caller already has.
    ///
    /// When a host password is known for this meeting (a handle made with
    /// [`Client::conference`] is registered for it), the token is renewed
    /// by passing it in `X-Conference-Authorization` together with that
    /// password; otherwise it is used until the service rejects it.
    pub fn conference_with_token(
        &self,
        conference_id: impl Into<String>,
        control_token: impl Into<Secret>,
    ) -> Conference {
        let session = &self.inner.session;
        let meeting = session.meeting_with_token(conference_id.into(), control_token.into());
        Conference::new(self.clone(), meeting)
    }

    /// Removes the meeting's registered handle, with its host password and
    /// cached control token, from the client: control calls sent through
    /// the client for this meeting id fail again until a new handle is
    /// made. Handles already held keep working. Returns whether one was
    /// registered.
    ///
    /// A long-running service that controls many meetings calls this when
    /// a meeting ends, so the client does not keep every meeting it ever
    /// controlled.
    pub fn forget_conference(&self, conference_id: &str) -> bool {
        self.inner.session.forget_meeting(conference_id)
    }
}

/// Builds a [`Client`]: the builder both transports share, see
/// [`hwmeeting_core::ClientBuilder`] for every setting.
pub type ClientBuilder = hwmeeting_core::ClientBuilder<Client>;

impl FromConfig for Client {
    fn from_config(config: Config) -> Result<Client, Error> {
        let transport = Transport::new(&config)?;
        Ok(Client {
            inner: Arc::new(Inner {
                session: Session::new(&config, hwmeeting_api::OPERATIONS)?,
                transport,
            }),
        })
    }
}
