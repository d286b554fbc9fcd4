//! Client settings shared by both transports: where to send, how to log in,
//! time limits, retries, trust and limits, with their defaults, and how they
//! are read from the environment.

use std::time::Duration;

use crate::auth::{AppIdCredentials, Credentials};
use crate::endpoint::{Endpoint, Region};
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::secret::Secret;

/// Default time limit to open a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time limit of one attempt, from sending to the end of the answer.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time limit of a whole call, retries and waits included.
pub const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(90);
/// Default limit on an answer's body: no answer of this API comes near it.
pub const DEFAULT_MAX_RESPONSE_BODY: u64 = 4 * 1024 * 1024;
/// Default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("hwmeeting-rust/", env!("CARGO_PKG_VERSION"));

/// The environment variables [`Config::from_env_with`] reads.
pub const ENV_VARS: &[&str] = &[
    "HWMEETING_ENDPOINT",
    "HWMEETING_REGION",
    "HWMEETING_APP_ID",
    "HWMEETING_APP_KEY",
    "HWMEETING_USER_ID",
    "HWMEETING_CORP_ID",
    "HWMEETING_ACCOUNT",
    "HWMEETING_PASSWORD",
    "HWMEETING_ACCESS_TOKEN",
    "HWMEETING_ALLOW_HTTP",
];

/// Time limits of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// Opening a connection.
    pub connect: Duration,
    /// One attempt.
    pub attempt: Duration,
    /// The whole call, retries included.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: DEFAULT_CONNECT_TIMEOUT,
            attempt: DEFAULT_ATTEMPT_TIMEOUT,
            total: DEFAULT_TOTAL_TIMEOUT,
        }
    }
}

/// Everything a client is built from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Where requests go.
    pub endpoint: Endpoint,
    /// How to log in; `None` allows only calls that need no access token.
    pub credentials: Option<Credentials>,
    /// Time limits.
    pub timeouts: Timeouts,
    /// Retries.
    pub retry: RetryPolicy,
    /// Extra trusted CA certificates, PEM (added to the public roots).
    pub extra_root_certificates: Vec<Vec<u8>>,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// The largest answer body accepted, in bytes.
    pub max_response_body_size: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            endpoint: Endpoint::default(),
            credentials: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            extra_root_certificates: Vec::new(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            max_response_body_size: DEFAULT_MAX_RESPONSE_BODY,
        }
    }
}

impl Config {
    /// Reads the settings from environment variables through `var` (so it
    /// can be tested without touching the process environment):
    ///
    /// - `HWMEETING_ENDPOINT` (a URL) or `HWMEETING_REGION` (`cn-north-4`,
    ///   the default, or `ap-southeast-1`); `HWMEETING_ALLOW_HTTP=1` allows
    ///   an `http://` endpoint;
    /// - `HWMEETING_APP_ID` + `HWMEETING_APP_KEY` (with optional
    ///   `HWMEETING_USER_ID`, `HWMEETING_CORP_ID`), or `HWMEETING_ACCOUNT` +
    ///   `HWMEETING_PASSWORD`, or `HWMEETING_ACCESS_TOKEN`.
    ///
    /// Fails naming the variable that is missing or wrong.
    pub fn from_env_with(var: impl Fn(&str) -> Option<String>) -> Result<Config, Error> {
        let get = |name: &str| {
            var(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let allow_http = match get("HWMEETING_ALLOW_HTTP").as_deref() {
            None | Some("0") | Some("false") => false,
            Some("1") | Some("true") => true,
            Some(other) => {
                return Err(Error::Config(format!(
                    "HWMEETING_ALLOW_HTTP is `{other}`: use 1 or 0"
                )));
            }
        };
        let endpoint = match (get("HWMEETING_ENDPOINT"), get("HWMEETING_REGION")) {
            (Some(_), Some(_)) => {
                return Err(Error::Config(
                    "both HWMEETING_ENDPOINT and HWMEETING_REGION are set: set only one".into(),
                ));
            }
            (Some(url), None) => Endpoint::parse(&url, allow_http)
                .map_err(|e| Error::Config(format!("HWMEETING_ENDPOINT: {e}")))?,
            (None, Some(region)) => Endpoint::region(
                region
                    .parse::<Region>()
                    .map_err(|e| Error::Config(format!("HWMEETING_REGION: {e}")))?,
            ),
            (None, None) => Endpoint::default(),
        };
        let credentials = credentials_from_env(&get)?;
        Ok(Config {
            endpoint,
            credentials,
            ..Config::default()
        })
    }
}

fn credentials_from_env(
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Credentials>, Error> {
    let app = (get("HWMEETING_APP_ID"), get("HWMEETING_APP_KEY"));
    let account = (get("HWMEETING_ACCOUNT"), get("HWMEETING_PASSWORD"));
    let token = get("HWMEETING_ACCESS_TOKEN");
    let kinds = [
        app.0.is_some() || app.1.is_some(),
        account.0.is_some() || account.1.is_some(),
        token.is_some(),
    ];
    if kinds.iter().filter(|k| **k).count() > 1 {
        return Err(Error::Config(
            "credentials of more than one kind are set: set HWMEETING_APP_ID + HWMEETING_APP_KEY, or HWMEETING_ACCOUNT + HWMEETING_PASSWORD, or HWMEETING_ACCESS_TOKEN".into(),
        ));
    }
    let missing = |name: &str, with: &str| {
        Error::Config(format!("{name} is not set, but {with} is: set both"))
    };
    Ok(match (app, account, token) {
        ((Some(app_id), Some(app_key)), _, _) => {
            let mut creds = AppIdCredentials::new(app_id, Secret::new(app_key));
            creds.user_id = get("HWMEETING_USER_ID");
            creds.corp_id = get("HWMEETING_CORP_ID");
            Some(Credentials::AppId(creds))
        }
        ((Some(_), None), _, _) => return Err(missing("HWMEETING_APP_KEY", "HWMEETING_APP_ID")),
        ((None, Some(_)), _, _) => return Err(missing("HWMEETING_APP_ID", "HWMEETING_APP_KEY")),
        (_, (Some(account), Some(password)), _) => {
            Some(Credentials::account(account, Secret::new(password)))
        }
        (_, (Some(_), None), _) => return Err(missing("HWMEETING_PASSWORD", "HWMEETING_ACCOUNT")),
        (_, (None, Some(_)), _) => return Err(missing("HWMEETING_ACCOUNT", "HWMEETING_PASSWORD")),
        (_, _, Some(token)) => Some(Credentials::access_token(Secret::new(token))),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn app_id_from_env() {
        let c = Config::from_env_with(env(&[
            ("HWMEETING_APP_ID", "a"),
            ("HWMEETING_APP_KEY", "k"),
            ("HWMEETING_USER_ID", "u"),
        ]))
        .unwrap();
        match c.credentials {
            Some(Credentials::AppId(a)) => {
                assert_eq!(a.app_id, "a");
                assert_eq!(a.app_key.expose(), "k");
                assert_eq!(a.user_id.as_deref(), Some("u"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(c.endpoint, Endpoint::default());
    }

    #[test]
    fn names_the_missing_variable() {
        let e = Config::from_env_with(env(&[("HWMEETING_APP_ID", "a")]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "configuration: HWMEETING_APP_KEY is not set, but HWMEETING_APP_ID is: set both"
        );
        let e = Config::from_env_with(env(&[("HWMEETING_PASSWORD", "p")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("HWMEETING_ACCOUNT is not set"), "{e}");
        let e = Config::from_env_with(env(&[("HWMEETING_REGION", "mars-1")]))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("HWMEETING_REGION") && e.contains("mars-1"),
            "{e}"
        );
        let e = Config::from_env_with(env(&[("HWMEETING_ENDPOINT", "http://127.0.0.1:1")]))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("HWMEETING_ENDPOINT") && e.contains("plain http://"),
            "{e}"
        );
        let ok = Config::from_env_with(env(&[
            ("HWMEETING_ENDPOINT", "http://127.0.0.1:1"),
            ("HWMEETING_ALLOW_HTTP", "1"),
        ]))
        .unwrap();
        assert!(ok.endpoint.is_plain_http());
    }

    #[test]
    fn debug_of_config_hides_secrets() {
        let c = Config::from_env_with(env(&[
            ("HWMEETING_ACCOUNT", "a"),
            ("HWMEETING_PASSWORD", "sentinel-pw"),
        ]))
        .unwrap();
        assert!(!format!("{c:?}").contains("sentinel-pw"));
    }
}
