//! The client builder both transports share, so their settings have the
//! same names, defaults and checks by construction.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use crate::auth::Credentials;
use crate::config::Config;
use crate::endpoint::{Endpoint, Region};
use crate::error::Error;
use crate::retry::RetryPolicy;

/// A client a transport builds from checked settings.
pub trait FromConfig: Sized {
    /// Builds the client. `config` has passed [`ClientBuilder`]'s checks;
    /// the transport adds its own (trusted certificates, for one).
    fn from_config(config: Config) -> Result<Self, Error>;
}

/// Builds a client of type `C` (`hwmeeting_blocking::Client` or
/// `hwmeeting_async::Client`). Every setter takes and returns the builder;
/// nothing is checked before [`ClientBuilder::build`].
pub struct ClientBuilder<C> {
    config: Config,
    endpoint_url: Option<String>,
    allow_http: bool,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("config", &self.config)
            .field("endpoint_url", &self.endpoint_url)
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            config: self.config.clone(),
            endpoint_url: self.endpoint_url.clone(),
            allow_http: self.allow_http,
            client: PhantomData,
        }
    }
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C> ClientBuilder<C> {
    /// The default settings: region `cn-north-4`, no credentials, 5 s to
    /// connect, 30 s per attempt, 90 s per call, 3 attempts.
    pub fn new() -> Self {
        ClientBuilder {
            config: Config::default(),
            endpoint_url: None,
            allow_http: false,
            client: PhantomData,
        }
    }

    /// The settings of the process environment (the `HWMEETING_*`
    /// variables, see [`Config::from_env_with`]); an error names the
    /// variable at fault.
    pub fn from_env() -> Result<Self, Error> {
        let config = Config::from_env_with(|name| std::env::var(name).ok())?;
        Ok(Self::new().config(config))
    }

    /// Takes every setting from `config` (replacing what was set before,
    /// except [`allow_http`](Self::allow_http)). An [`Endpoint`] inside a
    /// `Config` was checked when it was parsed.
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

    /// The settings after the checks every transport needs: the endpoint
    /// URL (`https://` unless plain HTTP was allowed), positive time limits
    /// and body limit, a `User-Agent` that can travel in a header.
    pub fn checked_config(self) -> Result<Config, Error> {
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
        if http::HeaderValue::from_str(&config.user_agent).is_err() {
            return Err(Error::Config(
                "user_agent holds characters that cannot travel in an HTTP header".into(),
            ));
        }
        Ok(config)
    }
}

impl<C: FromConfig> ClientBuilder<C> {
    /// Checks the settings and builds the client.
    ///
    /// Fails with [`Error::Config`] on a URL that is not `https://` (unless
    /// plain HTTP was allowed), a zero time limit or body limit, an invalid
    /// `User-Agent`, or a root certificate that is not valid PEM.
    pub fn build(self) -> Result<C, Error> {
        C::from_config(self.checked_config()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Probe(Config);

    impl FromConfig for Probe {
        fn from_config(config: Config) -> Result<Self, Error> {
            Ok(Probe(config))
        }
    }

    #[test]
    fn checks_what_every_transport_needs() {
        let b = || ClientBuilder::<Probe>::new();
        let err = |b: ClientBuilder<Probe>| b.build().err().unwrap().to_string();
        assert!(err(b().endpoint("http://127.0.0.1:1")).contains("plain http://"));
        assert!(
            b().endpoint("http://127.0.0.1:1")
                .allow_http(true)
                .build()
                .is_ok()
        );
        assert!(err(b().attempt_timeout(Duration::ZERO)).contains("attempt_timeout is zero"));
        assert!(err(b().max_response_body_size(0)).contains("max_response_body_size is zero"));
        assert!(err(b().user_agent("a\nb")).contains("user_agent"));
        let Probe(config) = b().region(Region::ApSoutheast1).build().unwrap();
        assert_eq!(
            config.endpoint.as_str(),
            "https://api-intl.meeting.huaweicloud.com"
        );
    }
}
