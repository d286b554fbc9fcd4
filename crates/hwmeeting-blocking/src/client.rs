//! The client and its builder.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use hwmeeting_core::{
    Config, Credentials, Endpoint, Error, Operation, Region, Reply, RetryPolicy, Secret,
};

use crate::conference::{Conference, ConferenceState};
use crate::token::TokenCell;
use crate::transport::{Transport, TransportConfig};

/// A blocking client of the Huawei Cloud Meeting API.
///
/// Cheap to clone (the clones share one connection pool and one token
/// cache) and safe to use from many threads at once. Build it with
/// [`Client::builder`] or [`Client::from_env`].
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) endpoint: Endpoint,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Duration,
    pub(crate) total_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_body: u64,
    pub(crate) transport: Transport,
    /// The access token from a login (unused with `Credentials::AccessToken`).
    pub(crate) access: TokenCell,
    /// Meeting handles by conference id, for control calls sent through the
    /// client itself.
    pub(crate) conferences: Mutex<HashMap<String, Arc<ConferenceState>>>,
}

impl Inner {
    pub(crate) fn conferences(&self) -> MutexGuard<'_, HashMap<String, Arc<ConferenceState>>> {
        self.conferences.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint.as_str())
            .field("credentials", &self.inner.credentials)
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("attempt_timeout", &self.inner.attempt_timeout)
            .field("total_timeout", &self.inner.total_timeout)
            .field("retry", &self.inner.retry)
            .field("max_response_body_size", &self.inner.max_body)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with the default settings: region `cn-north-4`, no
    /// credentials, a 5 s connect / 30 s attempt / 90 s total time limit,
    /// three attempts.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client from the environment: `HWMEETING_ENDPOINT` or
    /// `HWMEETING_REGION`, `HWMEETING_APP_ID` + `HWMEETING_APP_KEY` (with
    /// optional `HWMEETING_USER_ID`, `HWMEETING_CORP_ID`), or
    /// `HWMEETING_ACCOUNT` + `HWMEETING_PASSWORD`, or
    /// `HWMEETING_ACCESS_TOKEN`; `HWMEETING_ALLOW_HTTP=1` for a plain
    /// `http://` simulator. Errors name the variable at fault.
    pub fn from_env() -> Result<Client, Error> {
        let config = Config::from_env_with(|k| std::env::var(k).ok())?;
        Client::builder().config(config).build()
    }

    /// Where requests go.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// Sends any operation (a typed request or a
    /// [`DynamicOperation`](crate::DynamicOperation)) and returns its typed
    /// answer. The credential comes from the client: the cached access token
    /// (logging in first if needed), the app key or account password for the
    /// login calls, or, for meeting control calls, the control token of the
    /// meeting handle registered for the request's conference id (see
    /// [`Client::conference`]).
    pub fn send<O: Operation>(&self, op: O) -> Result<O::Output, Error> {
        self.execute(op).map(|reply| reply.output)
    }

    /// Like [`Client::send`], with the HTTP status, the request id, the
    /// number of attempts and the time taken.
    pub fn execute<O: Operation>(&self, op: O) -> Result<Reply<O::Output>, Error> {
        self.execute_in(op, None)
    }

    /// The cached access token, logging in first if there is none or it is
    /// about to expire. However many threads ask at once, one login runs.
    pub fn access_token(&self) -> Result<Secret, Error> {
        match &self.inner.credentials {
            Some(Credentials::AccessToken(token)) => Ok(token.clone()),
            Some(_) => self.inner.access.get(|_| self.login()),
            None => Err(Error::Config(
                "no credentials: set App ID credentials (Credentials::app_id, or HWMEETING_APP_ID + HWMEETING_APP_KEY), account credentials (Credentials::account, or HWMEETING_ACCOUNT + HWMEETING_PASSWORD) or an access token (Credentials::access_token, or HWMEETING_ACCESS_TOKEN)".into(),
            )),
        }
    }

    /// Drops the cached access token: the next call that needs one logs in
    /// again.
    pub fn invalidate_access_token(&self) {
        self.inner.access.clear();
    }

    /// A handle on a running meeting. The handle obtains the meeting control
    /// token with `create_conf_token` (the host password goes in
    /// `X-Password`), caches it and renews it before it expires. Control
    /// calls sent through the client for this conference id use this handle
    /// from now on (it replaces an earlier one).
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

    /// A handle on a running meeting with a control token the caller already
    /// has. If a handle with the host password was registered for this
    /// conference before, the token is renewed like that handle's
    /// (passing it in `X-Conference-Authorization`); otherwise it is used
    /// until the service rejects it. Control calls sent through the client
    /// for this conference id use this handle from now on.
    pub fn conference_with_token(
        &self,
        conference_id: impl Into<String>,
        control_token: impl Into<Secret>,
    ) -> Conference {
        let conference_id = conference_id.into();
        let password = self
            .inner
            .conferences()
            .get(&conference_id)
            .and_then(|s| s.host_password.clone());
        let state = Arc::new(ConferenceState::with_token(
            conference_id,
            control_token.into(),
            password,
        ));
        self.register(state)
    }

    fn register(&self, state: Arc<ConferenceState>) -> Conference {
        self.inner
            .conferences()
            .insert(state.id.clone(), state.clone());
        Conference::new(self.clone(), state)
    }
}

/// Builds a [`Client`]. Every setter takes and returns the builder; nothing
/// is checked before [`ClientBuilder::build`].
#[derive(Clone)]
pub struct ClientBuilder {
    config: Config,
    endpoint_url: Option<String>,
    allow_http: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("config", &self.config)
            .field("endpoint_url", &self.endpoint_url)
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    fn new() -> Self {
        ClientBuilder {
            config: Config::default(),
            endpoint_url: None,
            allow_http: false,
        }
    }

    /// Takes every setting from `config` (replacing what was set before).
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self.endpoint_url = None;
        self
    }

    /// Sends requests to this base URL instead of a region's. It must be
    /// `https://`, unless [`allow_http`](Self::allow_http) is set. Checked in
    /// [`build`](Self::build).
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

    /// Allows a plain `http://` endpoint, whose traffic is not encrypted:
    /// only for a local simulator.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// How the client logs in.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = Some(credentials);
        self
    }

    /// Time limit to open a connection (TCP and TLS handshake).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.config.timeouts.connect = d;
        self
    }

    /// Time limit of one attempt, from sending the request to the end of the
    /// answer's body.
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.config.timeouts.attempt = d;
        self
    }

    /// Time limit of a whole call, retries and the waits between them
    /// included.
    pub fn total_timeout(mut self, d: Duration) -> Self {
        self.config.timeouts.total = d;
        self
    }

    /// How failed attempts are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// Trusts the CA certificate(s) in this PEM text too, in addition to the
    /// public web roots. Invalid PEM fails [`build`](Self::build) with
    /// [`Error::Config`].
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
    /// [`Error::BodyTooLarge`].
    pub fn max_response_body_size(mut self, bytes: u64) -> Self {
        self.config.max_response_body_size = bytes;
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Fails with [`Error::Config`] on a URL that is not `https://` (unless
    /// plain HTTP was allowed), a zero time limit, an invalid `User-Agent`
    /// or a root certificate that is not valid PEM.
    pub fn build(self) -> Result<Client, Error> {
        let ClientBuilder {
            mut config,
            endpoint_url,
            allow_http,
        } = self;
        if let Some(url) = endpoint_url {
            config.endpoint = Endpoint::parse(&url, allow_http)?;
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
        if http::HeaderValue::from_str(&config.user_agent).is_err() {
            return Err(Error::Config(
                "user_agent holds characters that cannot travel in an HTTP header".into(),
            ));
        }
        if config.max_response_body_size == 0 {
            return Err(Error::Config(
                "max_response_body_size is zero: no answer could be read; give it a positive size"
                    .into(),
            ));
        }
        let transport = Transport::new(&TransportConfig {
            connect_timeout: timeouts.connect,
            attempt_timeout: timeouts.attempt,
            extra_roots_pem: &config.extra_root_certificates,
            user_agent: &config.user_agent,
            allow_plain_http: config.endpoint.is_plain_http(),
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                endpoint: config.endpoint,
                credentials: config.credentials,
                connect_timeout: timeouts.connect,
                attempt_timeout: timeouts.attempt,
                total_timeout: timeouts.total,
                retry: config.retry,
                max_body: config.max_response_body_size,
                transport,
                access: TokenCell::new(),
                conferences: Mutex::new(HashMap::new()),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_without_opt_in() {
        let err = Client::builder()
            .endpoint("http://127.0.0.1:8080")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(err.to_string().contains("plain http://"), "{err}");
        let client = Client::builder()
            .endpoint("http://127.0.0.1:8080")
            .allow_http(true)
            .build()
            .unwrap();
        assert_eq!(client.endpoint().as_str(), "http://127.0.0.1:8080");
    }

    #[test]
    fn defaults_and_region() {
        let client = Client::builder().build().unwrap();
        assert_eq!(
            client.endpoint().as_str(),
            "https://api.meeting.huaweicloud.com"
        );
        let client = Client::builder()
            .region(Region::ApSoutheast1)
            .build()
            .unwrap();
        assert_eq!(
            client.endpoint().as_str(),
            "https://api-intl.meeting.huaweicloud.com"
        );
    }

    #[test]
    fn bad_settings_fail_build() {
        let e = Client::builder()
            .attempt_timeout(Duration::ZERO)
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("attempt_timeout"), "{e}");
        let e = Client::builder()
            .user_agent("bad\nagent")
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("user_agent"), "{e}");
        let e = Client::builder()
            .add_root_certificate_pem("nope")
            .build()
            .unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{e:?}");
    }

    #[test]
    fn debug_hides_secrets() {
        let client = Client::builder()
            .credentials(Credentials::app_id("id", "sentinel-app-key"))
            .build()
            .unwrap();
        let text = format!("{client:?}");
        assert!(!text.contains("sentinel-app-key"), "{text}");
        let c = client.conference("1", "sentinel-host-pw");
        assert!(!format!("{c:?}").contains("sentinel-host-pw"));
    }

    #[test]
    fn no_credentials_is_a_config_error() {
        let client = Client::builder().build().unwrap();
        let e = client.access_token().unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{e:?}");
    }

    #[test]
    fn client_is_send_sync() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Client>();
        check::<Conference>();
    }
}
