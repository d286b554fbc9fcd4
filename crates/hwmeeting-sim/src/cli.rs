//! The command line of `hwmeeting-sim`, also usable from another program
//! (the `hwmeeting` CLI offers it as `hwmeeting sim ...`): flatten or nest
//! [`SimArgs`] in a clap parser and call [`SimArgs::run`] or
//! [`SimArgs::run_blocking`].
//!
//! The first line written to standard output is `listening on <url>`;
//! logs go to standard error. Ctrl-C (or SIGTERM) stops it.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::config::{
    Account, DEFAULT_ACCOUNT, DEFAULT_ACCOUNT_PASSWORD, DEFAULT_APP_ID, DEFAULT_APP_KEY,
};
use crate::{DEMO_CONFERENCE_ID, DEMO_GUEST_PASSWORD, DEMO_HOST_PASSWORD, SimConfig, SimError};

/// Runs a simulator of the Huawei Cloud Meeting server API, for tests.
///
/// It prints `listening on <url>` as its first line, then serves until
/// Ctrl-C. Test controls are under `/_sim/` (meetings, faults, request
/// log, token lifetimes).
#[derive(Clone, Debug, Parser)]
#[command(name = "hwmeeting-sim", version, about, long_about)]
pub struct SimArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:0")]
    pub addr: SocketAddr,

    /// Serve HTTPS with a certificate authority made at start (for
    /// localhost, 127.0.0.1 and ::1); plain HTTP without it.
    #[arg(long)]
    pub tls: bool,

    /// With --tls, write the certificate authority's PEM here (the root a
    /// client must trust) before printing `listening on`.
    #[arg(long, value_name = "PATH", requires = "tls")]
    pub cert_out: Option<PathBuf>,

    /// App ID that app authentication accepts.
    #[arg(long, value_name = "ID", default_value = DEFAULT_APP_ID)]
    pub app_id: String,

    /// App key that app signatures are checked with.
    #[arg(long, value_name = "KEY", default_value = DEFAULT_APP_KEY)]
    pub app_key: String,

    /// An account that account authentication accepts, as NAME:PASSWORD
    /// (repeatable). Without any, the default is
    /// demo@example.com:demo-password.
    #[arg(long = "account", value_name = "NAME:PASSWORD", value_parser = parse_account)]
    pub accounts: Vec<Account>,

    /// Create the demo meeting: ID 900000001, host password 123456, guest
    /// password 654321, participants p-alice, p-bob, p-carol.
    #[arg(long)]
    pub demo: bool,

    /// Lifetime of access tokens, in milliseconds (default 12 hours).
    #[arg(long, value_name = "MS", default_value_t = 43_200_000)]
    pub access_token_ttl_ms: u64,

    /// Lifetime of meeting control tokens, in milliseconds (default 30
    /// minutes).
    #[arg(long, value_name = "MS", default_value_t = 1_800_000)]
    pub conf_token_ttl_ms: u64,

    /// Unit of the event-push retry schedule, in milliseconds: retries
    /// after 1, 1, 1 units, then every 60 units for 2,880 units (default
    /// 30 s: the service's 30 s three times, then every 30 min for 24 h).
    #[arg(long, value_name = "MS", default_value_t = crate::DEFAULT_WEBHOOK_RETRY_MS)]
    pub webhook_retry_ms: u64,

    /// A CA certificate (PEM file) to trust when pushing events to an
    /// https:// URL (repeatable).
    #[arg(long = "webhook-ca", value_name = "PEM", value_parser = read_pem)]
    pub webhook_ca: Vec<Vec<u8>>,

    /// Push events to hosts other than the loopback too (off by default:
    /// a push to another host is recorded as failed, without connecting).
    #[arg(long)]
    pub webhook_remote: bool,
}

fn read_pem(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {e}"))
}

fn parse_account(text: &str) -> Result<Account, String> {
    let (name, password) = text
        .split_once(':')
        .ok_or_else(|| "expected NAME:PASSWORD".to_owned())?;
    if name.is_empty() {
        return Err("the account name is empty".into());
    }
    Ok(Account::new(name, password))
}

impl SimArgs {
    /// The simulator set-up these options describe.
    pub fn config(&self) -> SimConfig {
        let accounts = if self.accounts.is_empty() {
            vec![Account::new(DEFAULT_ACCOUNT, DEFAULT_ACCOUNT_PASSWORD)]
        } else {
            self.accounts.clone()
        };
        let mut config = SimConfig::default()
            .bind(self.addr)
            .tls(self.tls)
            .app(self.app_id.clone(), self.app_key.clone())
            .accounts(accounts)
            .demo(self.demo)
            .access_token_ttl(Duration::from_millis(self.access_token_ttl_ms))
            .conf_token_ttl(Duration::from_millis(self.conf_token_ttl_ms))
            .webhook_retry_ms(self.webhook_retry_ms);
        config.webhook_ca_pems = self.webhook_ca.clone();
        config.webhook_remote = self.webhook_remote;
        config
    }

    /// Runs the simulator on the current tokio runtime until Ctrl-C:
    /// writes the CA PEM (with `--cert-out`), prints `listening on <url>`
    /// as the first line of standard output, then what to trust and the
    /// demo meeting.
    pub async fn run(self) -> Result<(), SimError> {
        let sim = crate::Simulator::start(self.config()).await?;
        // Listen for the stop signals before saying we listen: a supervisor
        // may send SIGTERM as soon as it reads the first line.
        let stop = StopSignal::install();
        if let Some(path) = &self.cert_out {
            sim.write_ca_pem(path)?;
        }
        {
            let mut out = std::io::stdout().lock();
            writeln!(out, "listening on {}", sim.url())?;
            if let Some(path) = &self.cert_out {
                writeln!(out, "CA certificate: {}", path.display())?;
            } else if let Some(path) = sim.ca_pem_path() {
                writeln!(out, "CA certificate: {}", path.display())?;
            }
            if self.demo {
                writeln!(
                    out,
                    "demo meeting {DEMO_CONFERENCE_ID}: host password {DEMO_HOST_PASSWORD}, \
                     guest password {DEMO_GUEST_PASSWORD}, participants p-alice, p-bob, p-carol"
                )?;
            }
            out.flush()?;
        }
        stop.wait().await;
        tracing::info!("stopping");
        sim.stop().await;
        Ok(())
    }

    /// [`run`](Self::run) on a new multi-threaded tokio runtime, for a
    /// program that has none.
    pub fn run_blocking(self) -> Result<(), SimError> {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(self.run())
    }
}

/// Ctrl-C (and, on Unix, SIGTERM), listened for from the moment it is
/// installed.
struct StopSignal {
    #[cfg(unix)]
    signals: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl StopSignal {
    fn install() -> StopSignal {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let signals = signal(SignalKind::terminate())
                .and_then(|term| Ok((term, signal(SignalKind::interrupt())?)))
                .ok();
            StopSignal { signals }
        }
        #[cfg(not(unix))]
        StopSignal {}
    }

    /// Waits for Ctrl-C or SIGTERM.
    async fn wait(self) {
        #[cfg(unix)]
        if let Some((mut term, mut interrupt)) = self.signals {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Sends `tracing` logs to standard error, filtered by `RUST_LOG` (default
/// `info`), in colour only when standard error is a terminal and
/// `NO_COLOR` is not set (see [`colour_wanted`]). Does nothing if a
/// subscriber is already installed.
pub fn init_logging() {
    use std::io::IsTerminal as _;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let colour = colour_wanted(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .try_init();
}

/// Whether to write colour codes: only to a terminal, and not when
/// `NO_COLOR` is set to anything but the empty string
/// (<https://no-color.org>).
pub fn colour_wanted(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::colour_wanted;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(colour_wanted(true, None));
        assert!(colour_wanted(true, Some(OsStr::new(""))));
        assert!(!colour_wanted(true, Some(OsStr::new("1"))));
        assert!(!colour_wanted(false, None));
        assert!(!colour_wanted(false, Some(OsStr::new("1"))));
    }
}
