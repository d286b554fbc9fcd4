//! The client and its builder.

use std::fmt;
use std::sync::Arc;

use hwmeeting_core::engine::Session;
use hwmeeting_core::{Config, Endpoint, Error, FromConfig, Operation, Reply, Secret};

use crate::call::{self, Waiter};
use crate::conference::Conference;
use crate::transport::{Transport, TransportConfig};

/// A blocking client of the Huawei Cloud Meeting API.
///
/// Cheap to clone (the clones share one connection pool, one access-token
/// cache and one registry of meeting handles) and safe to use from many
/// threads at once. Build it with [`Client::builder`] or
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
    pub fn send<O: Operation>(&self, op: O) -> Result<O::Output, Error> {
        self.execute(op).map(|reply| reply.output)
    }

    /// Like [`Client::send`], with the status, request id, attempts and
    /// time taken.
    pub fn execute<O: Operation>(&self, op: O) -> Result<Reply<O::Output>, Error> {
        call::execute(self, &op, None)
    }

    /// The cached access token, logging in first if there is none or it is
    /// about to expire. However many threads ask at once, one login runs.
    pub fn access_token(&self) -> Result<Secret, Error> {
        call::access_token(self)
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
        crate::transport::warn_if_wire_dump_enabled();
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
                session: Session::new(&config, hwmeeting_api::OPERATIONS)?,
                transport,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hwmeeting_core::{Credentials, Region};
    use std::time::Duration;

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
        assert!(e.to_string().contains("no credentials"), "{e}");
    }

    #[test]
    fn client_is_send_sync() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Client>();
        check::<Conference>();
    }
}
