//! The client: its shared surface (written once in
//! `hwmeeting_core::client_surface!`), the calls, and how it is built.

use hwmeeting_core::{Config, Error, FromConfig, Operation, Reply, Secret};

use crate::call::{self, Waiter};
use crate::transport::{Transport, TransportConfig};

hwmeeting_core::client_surface! {
    waiter: Waiter,
    transport: Transport,
    table: hwmeeting_api::OPERATIONS,
    doc: "A blocking client of the Huawei Cloud Meeting API, safe to use from many threads at once."
}

impl Client {
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
}

impl Client {
    /// A client that sends through `agent`, a ureq agent of yours: for a
    /// proxy, a resolver, a connector or TLS settings of your own. (This
    /// exposes `ureq::Agent` on purpose.)
    ///
    /// The SDK then does **not** configure the agent's TLS (trust roots,
    /// the extra CA certificates of `builder`, the crypto provider), its
    /// resolver, proxy, connect timeout or connection pool: they are
    /// `agent`'s. A failed name lookup of your resolver may then count as
    /// "maybe sent" (ureq does not say where it failed), so a call that is
    /// not idempotent is not retried after it. The SDK still does, on every
    /// request: error statuses read as answers, no redirect followed, its
    /// `User-Agent`, the per-attempt and total time limits, retries, token
    /// caching and renewal, checking every request against the spec, and
    /// the answer size limit.
    pub fn with_agent(builder: ClientBuilder, agent: ureq::Agent) -> Result<Client, Error> {
        let config = builder.checked_config()?;
        crate::transport::warn_if_wire_dump_enabled();
        let transport = Transport::with_agent(agent, config.timeouts.attempt, &config.user_agent);
        Client::assemble(&config, transport)
    }
}

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
        Client::assemble(&config, transport)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Conference;
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
