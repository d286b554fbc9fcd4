//! The client and its builder.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use hwmeeting_core::{
    Config, Credentials, Endpoint, Error, FromConfig, Operation, Reply, RetryPolicy, Secret,
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
    /// from now on (it replaces an earlier one; [`Client::forget_conference`]
    /// removes it).
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

    /// Removes the meeting's registered handle, with its host password and
    /// cached control token, from the client: control calls sent through
    /// the client for this conference id fail again until a new handle is
    /// made. Handles already held keep working. Returns whether one was
    /// registered.
    ///
    /// A long-running service that controls many meetings calls this when
    /// a meeting ends, so the client does not keep every meeting it ever
    /// controlled.
    pub fn forget_conference(&self, conference_id: &str) -> bool {
        self.inner.conferences().remove(conference_id).is_some()
    }

    fn register(&self, state: Arc<ConferenceState>) -> Conference {
        self.inner
            .conferences()
            .insert(state.id.clone(), state.clone());
        Conference::new(self.clone(), state)
    }
}

/// Builds a [`Client`]: the builder both transports share, see
/// [`hwmeeting_core::ClientBuilder`] for every setting.
pub type ClientBuilder = hwmeeting_core::ClientBuilder<Client>;

impl FromConfig for Client {
    fn from_config(config: Config) -> Result<Client, Error> {
        let timeouts = config.timeouts;
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
    use hwmeeting_core::Region;

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
