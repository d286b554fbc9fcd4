//! The client and its builder.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use hwmeeting_core::session::Login;
use hwmeeting_core::token::{CONFERENCE_TOKEN_LIFETIME, CachedToken};
use hwmeeting_core::{Config, Credentials, Endpoint, Error, FromConfig, Operation, Reply, Secret};

use crate::call;
use crate::conference::{Conference, ConferenceState};
use crate::token::TokenCell;
use crate::transport::Transport;

/// A boxed, sendable future (token renewals are boxed: they send requests
/// themselves, which would make the call future's type recursive).
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An async client of the Huawei Cloud Meeting server API.
///
/// Cheap to clone (the clones share one connection pool, one access-token
/// cache and one registry of meeting handles), `Send` and `Sync`. Build it
/// with [`Client::builder`] or [`Client::from_env`].
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
    pub(crate) endpoint: Endpoint,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) config: Config,
    pub(crate) transport: Transport,
    pub(crate) access: TokenCell,
    pub(crate) conferences: Mutex<HashMap<String, Arc<ConferenceState>>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint.as_str())
            .field("config", &self.inner.config)
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
    /// `HWMEETING_REGION`, `HWMEETING_APP_ID` + `HWMEETING_APP_KEY` (or
    /// `HWMEETING_ACCOUNT` + `HWMEETING_PASSWORD`, or
    /// `HWMEETING_ACCESS_TOKEN`), `HWMEETING_ALLOW_HTTP`. Errors name the
    /// variable at fault.
    pub fn from_env() -> Result<Client, Error> {
        let config = Config::from_env_with(|k| std::env::var(k).ok())?;
        Client::builder().config(config).build()
    }

    /// Where requests go.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// Sends any operation (a typed request or a
    /// [`DynamicOperation`](crate::DynamicOperation)) and returns its
    /// answer.
    ///
    /// The credential comes from the client: the access token (logging in
    /// first if needed), the account password or app key for the logins,
    /// or, for a meeting control operation, the control token of the handle
    /// registered for its `conferenceID` with [`Client::conference`] or
    /// [`Client::conference_with_token`].
    pub async fn send<O: Operation>(&self, op: O) -> Result<O::Output, Error> {
        self.execute(op).await.map(|reply| reply.output)
    }

    /// Like [`Client::send`], with the status, request id, attempts and
    /// time taken.
    pub async fn execute<O: Operation>(&self, op: O) -> Result<Reply<O::Output>, Error> {
        call::execute(self, &op, None).await
    }

    /// The cached access token, logging in first if needed. Concurrent
    /// callers share one login.
    pub async fn access_token(&self) -> Result<Secret, Error> {
        self.access_credential().await.map(|(token, _)| token)
    }

    /// Drops the cached access token: the next call that needs one logs in
    /// again. (A token given with [`Credentials::AccessToken`] is kept.)
    pub fn invalidate_access_token(&self) {
        self.inner.access.invalidate();
    }

    /// A handle on a meeting: it obtains the meeting control token with
    /// `create_conf_token` (the host password goes in `X-Password`), caches
    /// it and renews it before it expires.
    ///
    /// The handle is also registered in the client, so that
    /// `client.set_role(..)` and the other control calls naming this
    /// `conferenceID` use it; a later call for the same id replaces it, and
    /// [`Client::forget_conference`] removes it.
    pub fn conference(
        &self,
        conference_id: impl Into<String>,
        host_password: impl Into<Secret>,
    ) -> Conference {
        let state = Arc::new(ConferenceState::with_password(
            conference_id.into(),
            host_password.into(),
        ));
        self.register(state)
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
        let conference_id = conference_id.into();
        let password = self
            .registry()
            .get(&conference_id)
            .and_then(|state| state.host_password().cloned());
        let token = CachedToken::new(
            control_token.into(),
            CONFERENCE_TOKEN_LIFETIME,
            Instant::now(),
        );
        let state = Arc::new(ConferenceState::with_token(conference_id, token, password));
        self.register(state)
    }

    /// Removes the meeting's registered handle, with its host password and
    /// cached control token, from the client: control calls sent through
    /// the client for this `conferenceID` fail again until a new handle is
    /// made. Handles already held keep working. Returns whether one was
    /// registered.
    ///
    /// A long-running service that controls many meetings calls this when
    /// a meeting ends, so the client does not keep every meeting it ever
    /// controlled.
    pub fn forget_conference(&self, conference_id: &str) -> bool {
        self.registry().remove(conference_id).is_some()
    }

    fn register(&self, state: Arc<ConferenceState>) -> Conference {
        self.registry()
            .insert(state.id().to_owned(), Arc::clone(&state));
        Conference::new(self.clone(), state)
    }

    pub(crate) fn registry(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<String, Arc<ConferenceState>>> {
        self.inner
            .conferences
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The registered handle of a meeting.
    pub(crate) fn registered(&self, conference_id: &str) -> Option<Arc<ConferenceState>> {
        self.registry().get(conference_id).cloned()
    }

    /// The access token and whether it came from a login of ours (so a
    /// rejected one can be renewed).
    pub(crate) async fn access_credential(&self) -> Result<(Secret, bool), Error> {
        match &self.inner.credentials {
            Some(Credentials::AccessToken(token)) => Ok((token.clone(), false)),
            Some(_) => {
                let token = self.inner.access.get(|_| self.login()).await?;
                Ok((token, true))
            }
            None => Err(Error::Config(
                "an access token is needed, but the client has no credentials: set them with ClientBuilder::credentials (App ID, account or access token) or HWMEETING_APP_ID + HWMEETING_APP_KEY".into(),
            )),
        }
    }

    /// Logs in with the client's credentials. Every attempt is signed
    /// afresh ([`Login`]), so a retry never replays a nonce.
    fn login(&self) -> BoxFuture<'_, Result<CachedToken, Error>> {
        Box::pin(async move {
            let credentials = self.inner.credentials.as_ref().ok_or_else(|| {
                Error::Config("logging in needs credentials: set ClientBuilder::credentials".into())
            })?;
            let login =
                Login::new(credentials.clone(), rand::random::<[u8; 16]>).ok_or_else(|| {
                    Error::Config(
                        "these credentials cannot log in: they are an access token".into(),
                    )
                })?;
            let reply = call::execute(self, &login, None).await?;
            Ok(reply.output.into_cached(SystemTime::now(), Instant::now()))
        })
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
                endpoint: config.endpoint.clone(),
                credentials: config.credentials.clone(),
                config,
                transport,
                access: TokenCell::default(),
                conferences: Mutex::new(HashMap::new()),
            }),
        })
    }
}
