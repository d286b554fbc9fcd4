//! The global options (endpoint, credentials, trust, time limits, output)
//! and how they become a blocking [`Client`].
//!
//! Every global option is also read from a `HWMEETING_*` environment
//! variable (the names of `hwmeeting_core::config::ENV_VARS`, plus a few the
//! command line adds). A value on the command line beats the environment.
//! The options are accepted before the subcommand and after it.

use std::path::PathBuf;
use std::time::Duration;

use clap::builder::{BoolishValueParser, PossibleValuesParser};
use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches};
use hwmeeting_blocking::{Client, ClientBuilder};
use hwmeeting_core::config::DEFAULT_TOTAL_TIMEOUT;
use hwmeeting_core::{AppIdCredentials, Credentials, Endpoint, Region, RetryPolicy, Secret};

use crate::exit::Failure;
use crate::output::OutputFormat;

/// The help heading the global options are listed under.
pub const HEADING: &str = "Global options";

/// One global option: its long name (which is also its arg id), the
/// environment variable it is read from, and what it holds.
#[derive(Clone, Copy, Debug)]
pub struct GlobalOption {
    /// Long flag name, without `--`; also the clap arg id.
    pub long: &'static str,
    /// The environment variable.
    pub env: &'static str,
    /// What kind of value it takes.
    pub kind: Kind,
    /// Whether an operation parameter of the same flag name takes its
    /// value from this option (instead of being a flag of its own).
    pub shares_with_params: bool,
    /// Help text.
    pub help: &'static str,
}

/// The kind of value a global option takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A plain value.
    Value,
    /// A secret value (its environment value is never shown in help).
    Secret,
    /// An on/off switch.
    Switch,
    /// A repeatable switch that counts.
    Count,
}

/// Every global option.
pub const OPTIONS: &[GlobalOption] = &[
    GlobalOption {
        long: "endpoint",
        env: "HWMEETING_ENDPOINT",
        kind: Kind::Value,
        shares_with_params: false,
        help: "Base URL of the service (https://; http:// only with --allow-http). Default: the region's endpoint",
    },
    GlobalOption {
        long: "region",
        env: "HWMEETING_REGION",
        kind: Kind::Value,
        shares_with_params: false,
        help: "Region whose endpoint to use: cn-north-4 (the default) or ap-southeast-1",
    },
    GlobalOption {
        long: "ca-cert",
        env: "HWMEETING_CA_CERT",
        kind: Kind::Value,
        shares_with_params: false,
        help: "PEM file with extra CA certificate(s) to trust besides the public roots (e.g. the simulator's)",
    },
    GlobalOption {
        long: "allow-http",
        env: "HWMEETING_ALLOW_HTTP",
        kind: Kind::Switch,
        shares_with_params: false,
        help: "Allow a plain http:// endpoint (a local simulator only: nothing is encrypted)",
    },
    GlobalOption {
        long: "app-id",
        env: "HWMEETING_APP_ID",
        kind: Kind::Value,
        shares_with_params: true,
        help: "App ID to log in with (with --app-key)",
    },
    GlobalOption {
        long: "app-key",
        env: "HWMEETING_APP_KEY",
        kind: Kind::Secret,
        shares_with_params: false,
        help: "App key that signs the App ID login",
    },
    GlobalOption {
        long: "user-id",
        env: "HWMEETING_USER_ID",
        kind: Kind::Value,
        shares_with_params: true,
        help: "User to act as with App ID login (default: the app's default user)",
    },
    GlobalOption {
        long: "corp-id",
        env: "HWMEETING_CORP_ID",
        kind: Kind::Value,
        shares_with_params: true,
        help: "Enterprise ID, for App ID login in service-provider mode",
    },
    GlobalOption {
        long: "account",
        env: "HWMEETING_ACCOUNT",
        kind: Kind::Value,
        shares_with_params: true,
        help: "Account to log in with (with --account-password)",
    },
    GlobalOption {
        long: "account-password",
        env: "HWMEETING_PASSWORD",
        kind: Kind::Secret,
        shares_with_params: false,
        help: "Password of --account",
    },
    GlobalOption {
        long: "access-token",
        env: "HWMEETING_ACCESS_TOKEN",
        kind: Kind::Secret,
        shares_with_params: false,
        help: "An access token obtained elsewhere (instead of logging in)",
    },
    GlobalOption {
        long: "host-password",
        env: "HWMEETING_HOST_PASSWORD",
        kind: Kind::Secret,
        shares_with_params: false,
        help: "Host password of the meeting: meeting control calls get their control token with it",
    },
    GlobalOption {
        long: "conference-authorization",
        env: "HWMEETING_CONFERENCE_AUTHORIZATION",
        kind: Kind::Secret,
        shares_with_params: true,
        help: "A meeting control token to use for meeting control calls (instead of --host-password)",
    },
    GlobalOption {
        long: "timeout",
        env: "HWMEETING_TIMEOUT",
        kind: Kind::Value,
        shares_with_params: false,
        help: "Time limit of one attempt, in seconds (default 30)",
    },
    GlobalOption {
        long: "connect-timeout",
        env: "HWMEETING_CONNECT_TIMEOUT",
        kind: Kind::Value,
        shares_with_params: false,
        help: "Time limit to open a connection (TCP and TLS), in seconds (default 5)",
    },
    GlobalOption {
        long: "retries",
        env: "HWMEETING_RETRIES",
        kind: Kind::Value,
        shares_with_params: false,
        help: "Attempts in all for a call, the first included (default 3; 1 = no retry)",
    },
    GlobalOption {
        long: "output",
        env: "HWMEETING_OUTPUT",
        kind: Kind::Value,
        shares_with_params: false,
        help: "How to print the answer: pretty (pretty JSON, the default), json (one line) or table; an empty answer shows as one line with the operation, HTTP status and request id, except with json",
    },
    GlobalOption {
        long: "dry-run",
        env: "HWMEETING_DRY_RUN",
        kind: Kind::Switch,
        shares_with_params: false,
        help: "Print the request as a curl command line instead of sending it (secrets masked)",
    },
    GlobalOption {
        long: "show-secrets",
        env: "HWMEETING_SHOW_SECRETS",
        kind: Kind::Switch,
        shares_with_params: false,
        help: "Show passwords, keys and tokens in --dry-run output and answers instead of ***",
    },
    GlobalOption {
        long: "verbose",
        env: "HWMEETING_VERBOSE",
        kind: Kind::Count,
        shares_with_params: false,
        help: "Log what happens to stderr (-v, -vv, -vvv); secrets are never logged",
    },
];

/// The global option with this long name.
pub fn option(long: &str) -> Option<&'static GlobalOption> {
    OPTIONS.iter().find(|o| o.long == long)
}

/// The clap args of the global options. They are added to the top command
/// and to every subcommand that talks to the service, so they work on
/// either side of the subcommand name.
pub fn args() -> Vec<Arg> {
    OPTIONS
        .iter()
        .map(|o| {
            let arg = Arg::new(o.long)
                .long(o.long)
                .help(o.help)
                .help_heading(HEADING)
                .hide_env_values(true);
            match o.kind {
                Kind::Value | Kind::Secret => {
                    let mut arg = arg.env(o.env).action(ArgAction::Set);
                    arg = match o.long {
                        "output" => arg
                            .value_name("FORMAT")
                            .value_parser(PossibleValuesParser::new(["pretty", "json", "table"])),
                        "region" => arg
                            .value_name("REGION")
                            .value_parser(PossibleValuesParser::new(Region::ALL.map(Region::name))),
                        "ca-cert" => arg
                            .value_name("PEM-FILE")
                            .value_hint(clap::ValueHint::FilePath),
                        "endpoint" => arg.value_name("URL").value_hint(clap::ValueHint::Url),
                        "timeout" | "connect-timeout" => arg.value_name("SECONDS"),
                        "retries" => arg.value_name("N"),
                        _ => arg.value_name(o.long.to_uppercase().replace('-', "_")),
                    };
                    arg
                }
                Kind::Switch => arg
                    .env(o.env)
                    .action(ArgAction::SetTrue)
                    .value_parser(BoolishValueParser::new()),
                Kind::Count => arg.short('v').action(ArgAction::Count),
            }
        })
        .collect()
}

/// The global options as given, merged from the top command's matches and
/// the subcommand's.
#[derive(Clone, Debug, Default)]
pub struct Globals {
    /// `--endpoint`.
    pub endpoint: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    endpoint_from_cli: bool,
    region_from_cli: bool,
    /// `--ca-cert`.
    pub ca_cert: Option<PathBuf>,
    /// `--allow-http`.
    pub allow_http: bool,
    /// `--app-id`.
    pub app_id: Option<String>,
    /// `--app-key`.
    pub app_key: Option<Secret>,
    /// `--user-id`.
    pub user_id: Option<String>,
    /// `--corp-id`.
    pub corp_id: Option<String>,
    /// `--account`.
    pub account: Option<String>,
    /// `--account-password`.
    pub account_password: Option<Secret>,
    /// `--access-token`.
    pub access_token: Option<Secret>,
    /// `--host-password`.
    pub host_password: Option<Secret>,
    /// `--conference-authorization`.
    pub conference_authorization: Option<Secret>,
    /// `--timeout`, parsed.
    pub timeout: Option<Duration>,
    /// `--connect-timeout`, parsed.
    pub connect_timeout: Option<Duration>,
    /// `--retries`, parsed.
    pub retries: Option<u32>,
    /// `--output`.
    pub output: OutputFormat,
    /// `--dry-run`.
    pub dry_run: bool,
    /// `--show-secrets`.
    pub show_secrets: bool,
    /// `-v` count.
    pub verbose: u8,
    /// The valued options that were given, each with whether it came from
    /// the command line (else from its environment variable).
    given: Vec<(&'static str, bool)>,
}

/// The value of a global option: from the first matches that got it on the
/// command line, else from the environment.
fn pick(layers: &[&ArgMatches], id: &str) -> Option<(String, bool)> {
    let mut from_env = None;
    for m in layers {
        if !has_arg(m, id) {
            continue;
        }
        match m.value_source(id) {
            Some(ValueSource::CommandLine) => {
                return m.get_one::<String>(id).map(|v| (v.clone(), true));
            }
            Some(ValueSource::EnvVariable) if from_env.is_none() => {
                from_env = m.get_one::<String>(id).map(|v| (v.clone(), false));
            }
            _ => {}
        }
    }
    from_env.filter(|(v, _)| !v.trim().is_empty())
}

fn has_arg(m: &ArgMatches, id: &str) -> bool {
    m.try_contains_id(id).is_ok()
}

fn switch(layers: &[&ArgMatches], id: &str) -> bool {
    layers.iter().any(|m| has_arg(m, id) && m.get_flag(id))
}

impl Globals {
    /// Reads the global options from the matches of the top command and of
    /// the subcommand (the subcommand's first: it was typed later).
    pub fn from_matches(layers: &[&ArgMatches]) -> Result<Globals, Failure> {
        let text = |id: &str| pick(layers, id).map(|(v, _)| v.trim().to_owned());
        let secret = |id: &str| pick(layers, id).map(|(v, _)| Secret::new(v));
        let endpoint = pick(layers, "endpoint");
        let region = pick(layers, "region");
        let seconds = |id: &str| -> Result<Option<Duration>, Failure> {
            let Some(t) = text(id) else {
                return Ok(None);
            };
            let secs: f64 = t
                .parse()
                .ok()
                .filter(|s: &f64| s.is_finite() && *s > 0.0 && *s < 1e9)
                .ok_or_else(|| {
                    Failure::usage(format!(
                        "invalid value '{t}' for '--{id} <SECONDS>': give a positive number of seconds"
                    ))
                })?;
            Ok(Some(Duration::from_secs_f64(secs)))
        };
        let timeout = seconds("timeout")?;
        let connect_timeout = seconds("connect-timeout")?;
        let retries = match text("retries") {
            None => None,
            Some(r) => Some(r.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                Failure::usage(format!(
                    "invalid value '{r}' for '--retries <N>': give the number of attempts, 1 or more"
                ))
            })?),
        };
        let mut verbose: u8 = layers
            .iter()
            .filter(|m| has_arg(m, "verbose"))
            .map(|m| m.get_count("verbose"))
            .fold(0u8, u8::saturating_add);
        if verbose == 0
            && let Some(v) = std::env::var("HWMEETING_VERBOSE")
                .ok()
                .filter(|v| !v.is_empty())
        {
            verbose = v.trim().parse().map_err(|_| {
                Failure::usage(format!(
                    "HWMEETING_VERBOSE is `{v}`: give a number (0 to 3)"
                ))
            })?;
        }
        let given = OPTIONS
            .iter()
            .filter(|o| matches!(o.kind, Kind::Value | Kind::Secret))
            .filter_map(|o| pick(layers, o.long).map(|(_, cli)| (o.long, cli)))
            .collect();
        let output = match text("output").as_deref() {
            None | Some("pretty") => OutputFormat::Pretty,
            Some("json") => OutputFormat::Json,
            Some("table") => OutputFormat::Table,
            Some(other) => {
                return Err(Failure::usage(format!(
                    "invalid value '{other}' for '--output <FORMAT>': use pretty, json or table"
                )));
            }
        };
        Ok(Globals {
            endpoint_from_cli: endpoint.as_ref().is_some_and(|e| e.1),
            region_from_cli: region.as_ref().is_some_and(|r| r.1),
            endpoint: endpoint.map(|e| e.0.trim().to_owned()),
            region: region.map(|r| r.0.trim().to_owned()),
            given,
            ca_cert: text("ca-cert").map(PathBuf::from),
            allow_http: switch(layers, "allow-http"),
            app_id: text("app-id"),
            app_key: secret("app-key"),
            user_id: text("user-id"),
            corp_id: text("corp-id"),
            account: text("account"),
            account_password: secret("account-password"),
            access_token: secret("access-token"),
            host_password: secret("host-password"),
            conference_authorization: secret("conference-authorization"),
            timeout,
            connect_timeout,
            retries,
            output,
            dry_run: switch(layers, "dry-run"),
            show_secrets: switch(layers, "show-secrets"),
            verbose,
        })
    }

    /// The value of a global option that an operation parameter shares,
    /// by the option's long name.
    pub fn shared_value(&self, long: &str) -> Option<String> {
        match long {
            "app-id" => self.app_id.clone(),
            "user-id" => self.user_id.clone(),
            "corp-id" => self.corp_id.clone(),
            "account" => self.account.clone(),
            "conference-authorization" => self
                .conference_authorization
                .as_ref()
                .map(|s| s.expose().to_owned()),
            _ => None,
        }
    }

    /// How the user gave the valued option `long`, for messages: `--ca-cert`
    /// when it came from the command line, `HWMEETING_CA_CERT` when it came
    /// from the environment, and `--ca-cert (HWMEETING_CA_CERT)` when it was
    /// not given.
    pub fn named(&self, long: &str) -> String {
        self.given_as(long).unwrap_or_else(|| match option(long) {
            Some(option) => format!("--{long} ({})", option.env),
            None => format!("--{long}"),
        })
    }

    /// How the user gave the valued option `long` (`--app-id` or
    /// `HWMEETING_APP_ID`), if they did.
    pub fn given_as(&self, long: &str) -> Option<String> {
        let option = option(long)?;
        self.given.iter().find(|(l, _)| *l == long).map(|(_, cli)| {
            if *cli {
                format!("--{long}")
            } else {
                option.env.to_owned()
            }
        })
    }

    /// The option of a credential pair that is missing, when its partner
    /// is given: what it is and how to give it, such as `the app key that
    /// goes with HWMEETING_APP_ID: --app-key (HWMEETING_APP_KEY)`.
    pub fn missing_partner(&self) -> Option<String> {
        let pairs = [
            ("app-id", "app-key", "the app key"),
            ("app-key", "app-id", "the App ID"),
            ("account", "account-password", "the password"),
            ("account-password", "account", "the account"),
        ];
        pairs.iter().find_map(|(have, need, what)| {
            let have = self.given_as(have)?;
            if self.given_as(need).is_some() {
                return None;
            }
            Some(format!(
                "{what} that goes with {have}: {}",
                self.named(need)
            ))
        })
    }

    /// Why the options point at a real service rather than the built-in
    /// simulator: the first of the endpoint, region or credentials given,
    /// as the user gave it (`HWMEETING_APP_ID is set`).
    pub fn why_remote(&self) -> Option<String> {
        [
            "endpoint",
            "region",
            "app-id",
            "app-key",
            "account",
            "account-password",
            "access-token",
        ]
        .iter()
        .find_map(|long| {
            let name = self.given_as(long)?;
            Some(if name.starts_with("--") {
                format!("{name} is given")
            } else {
                format!("{name} is set")
            })
        })
    }

    /// The valued option `long` with its value as the user gave it:
    /// `--ca-cert ca.pem` or `HWMEETING_CA_CERT=ca.pem`.
    pub fn named_value(&self, long: &str, value: &str) -> String {
        match (option(long), self.given.iter().find(|(l, _)| *l == long)) {
            (Some(option), Some((_, false))) => format!("{}={value}", option.env),
            _ => format!("--{long} {value}"),
        }
    }

    /// Whether any credential to log in with (or an access token) is given.
    pub fn has_credentials(&self) -> bool {
        self.app_id.is_some()
            || self.app_key.is_some()
            || self.account.is_some()
            || self.account_password.is_some()
            || self.access_token.is_some()
    }

    /// Where requests go: `--endpoint`, else `--region`, else the default
    /// region.
    pub fn endpoint(&self) -> Result<Endpoint, Failure> {
        let use_endpoint = match (&self.endpoint, &self.region) {
            (Some(_), Some(_)) if self.endpoint_from_cli == self.region_from_cli => {
                return Err(Failure::usage(
                    "both --endpoint (HWMEETING_ENDPOINT) and --region (HWMEETING_REGION) are set: give only one",
                ));
            }
            (Some(_), Some(_)) => self.endpoint_from_cli,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if use_endpoint {
            let url = self.endpoint.as_deref().unwrap_or_default();
            let name = self.named("endpoint");
            // Plain http:// is refused unless allowed: say how to allow it
            // on the command line (the SDK's message names its method).
            if !self.allow_http && Endpoint::parse(url, true).is_ok_and(|e| e.is_plain_http()) {
                return Err(Failure::usage(format!(
                    "{name} `{url}` is plain http://: the connection would not be encrypted; use https://, or allow plain HTTP for a local simulator with --allow-http (or HWMEETING_ALLOW_HTTP=1)"
                )));
            }
            return Endpoint::parse(url, self.allow_http).map_err(|e| {
                Failure::usage(format!(
                    "{name}: {}",
                    e.to_string().trim_start_matches("configuration: ")
                ))
            });
        }
        match &self.region {
            Some(r) => r
                .parse::<Region>()
                .map(Endpoint::region)
                .map_err(|e| Failure::usage(format!("--region: {e}"))),
            None => Ok(Endpoint::default()),
        }
    }

    /// The credentials to log in with, if any; fails when options of more
    /// than one kind are given or one of a pair is missing.
    pub fn credentials(&self) -> Result<Option<Credentials>, Failure> {
        let app = self.app_id.is_some() || self.app_key.is_some();
        let account = self.account.is_some() || self.account_password.is_some();
        let token = self.access_token.is_some();
        if [app, account, token].iter().filter(|k| **k).count() > 1 {
            return Err(Failure::usage(
                "credentials of more than one kind are given: use --app-id + --app-key, or --account + --account-password, or --access-token (or their HWMEETING_* variables)",
            ));
        }
        let pair = |a: &str, b: &str| {
            let given = self.named(a.trim_start_matches("--"));
            let needed = self.named(b.trim_start_matches("--"));
            let verb = if given.starts_with("--") {
                "given"
            } else {
                "set"
            };
            Failure::usage(format!(
                "{given} is {verb} but {b} is not: give {needed} too"
            ))
        };
        if app {
            let (Some(id), Some(key)) = (&self.app_id, &self.app_key) else {
                return Err(if self.app_id.is_some() {
                    pair("--app-id", "--app-key")
                } else {
                    pair("--app-key", "--app-id")
                });
            };
            let mut creds = AppIdCredentials::new(id.clone(), key.clone());
            creds.user_id = self.user_id.clone();
            creds.corp_id = self.corp_id.clone();
            return Ok(Some(Credentials::AppId(creds)));
        }
        if account {
            let (Some(name), Some(pw)) = (&self.account, &self.account_password) else {
                return Err(if self.account.is_some() {
                    pair("--account", "--account-password")
                } else {
                    pair("--account-password", "--account")
                });
            };
            return Ok(Some(Credentials::account(name.clone(), pw.clone())));
        }
        Ok(self.access_token.clone().map(Credentials::access_token))
    }

    /// A client builder with every option but the credentials, sending to
    /// `endpoint`.
    pub fn builder(&self, endpoint: &Endpoint) -> Result<ClientBuilder, Failure> {
        let mut builder = Client::builder()
            .endpoint(endpoint.as_str().to_owned())
            .allow_http(self.allow_http || endpoint.is_plain_http());
        if let Some(path) = &self.ca_cert {
            let given = self.named_value("ca-cert", &path.display().to_string());
            let pem = std::fs::read(path)
                .map_err(|e| Failure::usage(format!("{given}: cannot read the file: {e}")))?;
            // Checked here, where the file is known: the client would only
            // say "root certificate #1".
            if hwmeeting_core::trust::extra_root_certificates(std::slice::from_ref(&pem)).is_err() {
                let what = if contains(&pem, b"-----BEGIN CERTIFICATE-----") {
                    "holds a certificate that is not valid PEM"
                } else {
                    "holds no PEM certificate"
                };
                return Err(Failure::usage(format!(
                    "{given}: the file {what}: give a file with the CA certificate as PEM text (-----BEGIN CERTIFICATE-----), such as the one `hwmeeting sim --tls --cert-out FILE` writes"
                )));
            }
            builder = builder.add_root_certificate_pem(pem);
        }
        if let Some(connect) = self.connect_timeout {
            builder = builder.connect_timeout(connect);
        }
        let attempts = self.retries.unwrap_or(RetryPolicy::default().max_attempts);
        builder = builder.retry_policy(RetryPolicy::default().with_max_attempts(attempts));
        if let Some(timeout) = self.timeout {
            builder = builder.attempt_timeout(timeout);
            // The whole call must leave room for every attempt.
            let total = (timeout * attempts + Duration::from_secs(10)).max(DEFAULT_TOTAL_TIMEOUT);
            builder = builder.total_timeout(total);
        }
        Ok(builder)
    }

    /// Builds the blocking client from the options, sending to `endpoint`
    /// (see [`Globals::endpoint`]).
    pub fn client_for(&self, endpoint: &Endpoint) -> Result<Client, Failure> {
        let mut builder = self.builder(endpoint)?;
        if let Some(creds) = self.credentials()? {
            builder = builder.credentials(creds);
        }
        build(builder)
    }
}

/// Whether `haystack` holds `needle`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Builds a client; its configuration errors are usage errors.
pub fn build(builder: ClientBuilder) -> Result<Client, Failure> {
    builder.build().map_err(|e| {
        Failure::usage(
            e.to_string()
                .trim_start_matches("configuration: ")
                .to_owned(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(argv: &[&str]) -> Globals {
        let cmd = clap::Command::new("t").args(args());
        let m = cmd.try_get_matches_from(argv).unwrap();
        Globals::from_matches(&[&m]).unwrap()
    }

    #[test]
    fn credentials_of_one_kind() {
        let g = parse(&["t", "--app-id", "a", "--app-key", "k", "--user-id", "u"]);
        match g.credentials().unwrap() {
            Some(Credentials::AppId(a)) => {
                assert_eq!(a.app_id, "a");
                assert_eq!(a.user_id.as_deref(), Some("u"));
            }
            other => panic!("{other:?}"),
        }
        let g = parse(&["t", "--app-id", "a", "--access-token", "x"]);
        assert!(g.credentials().is_err());
        let g = parse(&["t", "--account", "a"]);
        let e = g.credentials().unwrap_err().to_string();
        assert!(e.contains("--account-password"), "{e}");
    }

    #[test]
    fn endpoint_and_region() {
        let g = parse(&["t", "--region", "ap-southeast-1"]);
        assert_eq!(
            g.endpoint().unwrap().as_str(),
            "https://api-intl.meeting.huaweicloud.com"
        );
        let g = parse(&["t", "--endpoint", "http://127.0.0.1:9"]);
        let e = g.endpoint().unwrap_err().to_string();
        assert!(e.contains("plain http://"), "{e}");
        assert!(e.contains("--allow-http"), "{e}");
        assert!(!e.contains("allow_http"), "{e}");
        let g = parse(&["t", "--endpoint", "http://127.0.0.1:9", "--allow-http"]);
        assert!(g.endpoint().unwrap().is_plain_http());
    }

    #[test]
    fn timeout_and_retries_are_checked() {
        let cmd = clap::Command::new("t").args(args());
        let m = cmd.try_get_matches_from(["t", "--timeout", "0"]).unwrap();
        assert!(Globals::from_matches(&[&m]).is_err());
        let g = parse(&["t", "--timeout", "2.5", "--retries", "1"]);
        assert_eq!(g.timeout, Some(Duration::from_millis(2500)));
        assert_eq!(g.retries, Some(1));
    }
}
