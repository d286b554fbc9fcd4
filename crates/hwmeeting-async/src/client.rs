//! The client and its builder.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use hwmeeting_core::session::Login;
use hwmeeting_core::token::{CONFERENCE_TOKEN_LIFETIME, CachedToken};
use hwmeeting_core::{
    Config, Credentials, Endpoint, Error, Operation, Region, Reply, RetryPolicy, Secret,
};

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
    /// `conferenceID` use it; a later call for the same id replaces it.
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

/// Builds a [`Client`]. Every setter takes and returns the builder; nothing
/// is checked before [`ClientBuilder::build`].
#[derive(Clone, Debug, Default)]
pub struct ClientBuilder {
    config: Config,
    allow_http: bool,
    endpoint_url: Option<String>,
}

impl ClientBuilder {
    /// Starts from a whole configuration (replacing what was set before,
    /// except [`allow_http`](Self::allow_http)).
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self.endpoint_url = None;
        self
    }

    /// Sends requests to this base URL (parsed in [`build`](Self::build):
    /// `https://` only, unless [`allow_http`](Self::allow_http) is set).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Sends requests to this region's endpoint.
    pub fn region(mut self, region: Region) -> Self {
        self.config.endpoint = Endpoint::region(region);
        self.endpoint_url = None;
        self
    }

    /// Allows a plain `http://` endpoint (for a simulator on loopback).
    /// Off by default: the connection would not be encrypted.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// How the client logs in.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = Some(credentials);
        self
    }

    /// Time limit to open a connection (TCP and TLS). Default 5 s.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.config.timeouts.connect = d;
        self
    }

    /// Time limit of one attempt, from sending to the end of the answer's
    /// body. Default 30 s.
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.config.timeouts.attempt = d;
        self
    }

    /// Time limit of a whole call, retries, backoff waits and token
    /// renewals included. Default 90 s.
    pub fn total_timeout(mut self, d: Duration) -> Self {
        self.config.timeouts.total = d;
        self
    }

    /// How failed attempts are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// Trusts these CA certificates (PEM, one or more) in addition to the
    /// public webpki roots. Invalid PEM makes [`build`](Self::build) fail
    /// with [`Error::Config`].
    pub fn add_root_certificate_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.config
            .extra_root_certificates
            .push(pem.as_ref().to_vec());
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.config.user_agent = ua.into();
        self
    }

    /// The largest answer body accepted, in bytes; a larger one fails with
    /// [`Error::BodyTooLarge`]. Default 4 MiB.
    pub fn max_response_body_size(mut self, bytes: u64) -> Self {
        self.config.max_response_body_size = bytes;
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Fails with [`Error::Config`] on a URL that is not `https://` (unless
    /// plain HTTP was allowed), a zero time limit or body limit, an invalid
    /// `User-Agent`, or a root certificate that is not valid PEM. (An
    /// [`Endpoint`] inside a [`Config`] was checked when it was parsed.)
    pub fn build(self) -> Result<Client, Error> {
        let mut config = self.config;
        if let Some(url) = &self.endpoint_url {
            config.endpoint = Endpoint::parse(url, self.allow_http)?;
        }
        let timeouts = config.timeouts;
        for (name, value) in [
            ("connect_timeout", timeouts.connect),
            ("attempt_timeout", timeouts.attempt),
            ("total_timeout", timeouts.total),
        ] {
            if value.is_zero() {
                return Err(Error::Config(format!(
                    "{name} is zero: every call would fail at once; give it a positive duration"
                )));
            }
        }
        if config.max_response_body_size == 0 {
            return Err(Error::Config(
                "max_response_body_size is zero: no answer could be read; give it a positive size"
                    .into(),
            ));
        }
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
