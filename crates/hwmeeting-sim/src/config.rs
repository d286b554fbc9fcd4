//! How a simulator is set up: the app and accounts it accepts, token
//! lifetimes, TLS and the address it listens on.

use std::net::SocketAddr;
use std::time::Duration;

use hwmeeting_core::Secret;

/// App ID that [`SimConfig::default`] accepts for app authentication.
pub const DEFAULT_APP_ID: &str = "hwmeeting-sim-app";
/// App key that [`SimConfig::default`] checks app signatures with.
pub const DEFAULT_APP_KEY: &str = "hwmeeting-sim-key";
/// Account name that [`SimConfig::default`] accepts for account authentication.
pub const DEFAULT_ACCOUNT: &str = "demo@example.com";
/// Password of [`DEFAULT_ACCOUNT`].
pub const DEFAULT_ACCOUNT_PASSWORD: &str = "demo-password";
/// Default lifetime of an access token: 12 hours, the shortest the service
/// issues.
pub const DEFAULT_ACCESS_TOKEN_TTL: Duration = Duration::from_secs(12 * 60 * 60);
/// Default lifetime of a meeting control token: 30 minutes, as the service.
pub const DEFAULT_CONF_TOKEN_TTL: Duration = Duration::from_secs(30 * 60);
/// Live access tokens one user may hold; past that the oldest is revoked,
/// as the service does for client type 72.
pub const MAX_ACCESS_TOKENS_PER_USER: usize = 64;
/// Default unit of the event-push retry schedule: 30 seconds, the
/// service's first retry delay.
pub const DEFAULT_WEBHOOK_RETRY_MS: u64 = 30_000;
/// Default number of requests the request log keeps (the oldest go first).
pub const DEFAULT_REQUEST_LOG_LIMIT: usize = 10_000;

/// An account that account authentication accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// The account name (the user name of the Basic credentials).
    pub account: String,
    /// Its password.
    pub password: Secret,
}

impl Account {
    /// An account and its password.
    pub fn new(account: impl Into<String>, password: impl Into<Secret>) -> Self {
        Account {
            account: account.into(),
            password: password.into(),
        }
    }
}

/// The set-up of a simulator.
///
/// [`SimConfig::default`] accepts app ID [`DEFAULT_APP_ID`] with key
/// [`DEFAULT_APP_KEY`] and the account [`DEFAULT_ACCOUNT`] with password
/// [`DEFAULT_ACCOUNT_PASSWORD`], issues access tokens for 12 hours and
/// control tokens for 30 minutes, serves HTTPS on `127.0.0.1` with a port
/// the system picks, and holds no meeting.
///
/// ```
/// use std::time::Duration;
/// use hwmeeting_sim::SimConfig;
///
/// let config = SimConfig::default()
///     .tls(false)
///     .app("my-app", "my-key")
///     .access_token_ttl(Duration::from_millis(300))
///     .demo(true);
/// assert!(!config.tls);
/// assert_eq!(config.app_id, "my-app");
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SimConfig {
    /// The app ID that app authentication accepts.
    pub app_id: String,
    /// The app key that app signatures are checked with.
    pub app_key: Secret,
    /// The accounts that account authentication accepts.
    pub accounts: Vec<Account>,
    /// Lifetime of access tokens (changeable at run time).
    pub access_token_ttl: Duration,
    /// Lifetime of meeting control tokens (changeable at run time).
    pub conf_token_ttl: Duration,
    /// Serve HTTPS (`true`, the default) or plain HTTP.
    pub tls: bool,
    /// Address to listen on; port 0 lets the system pick a free one.
    pub bind: SocketAddr,
    /// Create the demo meeting ([`crate::demo_conference`]) at start.
    pub demo: bool,
    /// Most requests the request log keeps.
    pub request_log_limit: usize,
    /// The unit of the event-push retry schedule, in milliseconds: a failed
    /// push is retried after 1, 1 and 1 units, then every 60 units until
    /// 2,880 units have passed. The default, 30,000 (30 s), is the
    /// service's schedule (30 s three times, then every 30 min for 24 h);
    /// tests use a few milliseconds.
    pub webhook_retry_ms: u64,
    /// Extra CA certificates (PEM) trusted when pushing events to an
    /// `https://` URL, besides the public web roots.
    pub webhook_ca_pems: Vec<Vec<u8>>,
    /// Whether events are pushed to hosts other than the loopback. Off by
    /// default, so a simulator in a test never reaches out to the URL of an
    /// example (such as `https://hooks.example.com`): such an attempt is
    /// recorded as failed, without a connection.
    pub webhook_remote: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            app_id: DEFAULT_APP_ID.to_owned(),
            app_key: Secret::new(DEFAULT_APP_KEY),
            accounts: vec![Account::new(DEFAULT_ACCOUNT, DEFAULT_ACCOUNT_PASSWORD)],
            access_token_ttl: DEFAULT_ACCESS_TOKEN_TTL,
            conf_token_ttl: DEFAULT_CONF_TOKEN_TTL,
            tls: true,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            demo: false,
            request_log_limit: DEFAULT_REQUEST_LOG_LIMIT,
            webhook_retry_ms: DEFAULT_WEBHOOK_RETRY_MS,
            webhook_ca_pems: Vec::new(),
            webhook_remote: false,
        }
    }
}

impl SimConfig {
    /// The default set-up (see the type's documentation).
    pub fn new() -> Self {
        Self::default()
    }

    /// A plain-HTTP set-up, otherwise the default: what most tests want.
    pub fn http() -> Self {
        Self::default().tls(false)
    }

    /// Serves HTTPS (`true`) or plain HTTP (`false`).
    pub fn tls(mut self, on: bool) -> Self {
        self.tls = on;
        self
    }

    /// Listens on this address.
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// Accepts this app ID, signed with this key (replacing the default).
    pub fn app(mut self, app_id: impl Into<String>, app_key: impl Into<Secret>) -> Self {
        self.app_id = app_id.into();
        self.app_key = app_key.into();
        self
    }

    /// Accepts one more account.
    pub fn account(mut self, account: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.accounts.push(Account::new(account, password));
        self
    }

    /// Replaces the accepted accounts.
    pub fn accounts(mut self, accounts: Vec<Account>) -> Self {
        self.accounts = accounts;
        self
    }

    /// Issues access tokens for this long.
    pub fn access_token_ttl(mut self, ttl: Duration) -> Self {
        self.access_token_ttl = ttl;
        self
    }

    /// Issues meeting control tokens for this long.
    pub fn conf_token_ttl(mut self, ttl: Duration) -> Self {
        self.conf_token_ttl = ttl;
        self
    }

    /// Creates the demo meeting at start.
    pub fn demo(mut self, on: bool) -> Self {
        self.demo = on;
        self
    }

    /// Keeps at most this many requests in the request log.
    pub fn request_log_limit(mut self, limit: usize) -> Self {
        self.request_log_limit = limit;
        self
    }

    /// Sets the unit of the event-push retry schedule
    /// ([`webhook_retry_ms`](Self::webhook_retry_ms)).
    pub fn webhook_retry_ms(mut self, ms: u64) -> Self {
        self.webhook_retry_ms = ms;
        self
    }

    /// Pushes events to hosts other than the loopback too
    /// ([`webhook_remote`](Self::webhook_remote)).
    pub fn webhook_remote(mut self, remote: bool) -> Self {
        self.webhook_remote = remote;
        self
    }

    /// Trusts one more CA certificate (PEM) for pushing events over HTTPS.
    pub fn webhook_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.webhook_ca_pems.push(pem.into());
        self
    }
}
