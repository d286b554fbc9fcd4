//! `hwmeeting webhook serve`: receives the enterprise event push on a
//! local address with the axum receiver of `hwmeeting-async`. It answers
//! the `meeting.verify` handshake, prints one JSON line per verified event
//! on stdout (`{"event":…,"timestamp":…,"payload":…}`, the payload's bytes
//! as received), answers 401 to a bad signature or `appID` and 400 to a
//! malformed body (printing nothing on stdout; the reason goes to stderr).
//! Plain HTTP: put a TLS-terminating proxy in front for the service.

use std::net::SocketAddr;

use clap::{Arg, ArgMatches, Command};
use hwmeeting_async::Secret;
use hwmeeting_async::webhook::{Delivery, WebhookConfig};

use crate::exit::Failure;

/// Environment variable for `--subscriber-id`.
pub const SUBSCRIBER_ID_ENV: &str = "HWMEETING_SUBSCRIBER_ID";
/// Environment variable for `--subscriber-key`.
pub const SUBSCRIBER_KEY_ENV: &str = "HWMEETING_SUBSCRIBER_KEY";

/// The `webhook` subcommand and its `serve`.
pub fn command() -> Command {
    Command::new("webhook")
        .about("Receive the enterprise event push (webhook)")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("serve")
                .about("Receive pushed events over HTTP and print one JSON line per verified event")
                .long_about(
                    "Receive pushed events over HTTP on --addr (any path) and print one JSON line \
                     per verified event on stdout: {\"event\":…,\"timestamp\":…,\"payload\":…}, the \
                     meeting.verify handshake included (it is answered with its nonce). A bad \
                     signature or appID is answered 401 and a malformed body 400, with nothing on \
                     stdout. The address is printed on stderr as `listening on http://IP:PORT`. \
                     Stops on Ctrl-C.",
                )
                .arg(
                    Arg::new("addr")
                        .long("addr")
                        .value_name("IP:PORT")
                        .default_value("127.0.0.1:8080")
                        .value_parser(clap::value_parser!(SocketAddr))
                        .help("Address to listen on (port 0: any free port)"),
                )
                .arg(
                    Arg::new("subscriber-id")
                        .long("subscriber-id")
                        .value_name("ID")
                        .env(SUBSCRIBER_ID_ENV)
                        .required(true)
                        .help("The subscriber ID of the push settings (the pushes' appID)"),
                )
                .arg(
                    Arg::new("subscriber-key")
                        .long("subscriber-key")
                        .value_name("KEY")
                        .env(SUBSCRIBER_KEY_ENV)
                        .hide_env_values(true)
                        .required(true)
                        .help("The subscriber key of the push settings (signs the pushes)"),
                ),
        )
}

/// Runs `webhook <sub>`.
pub fn run(sub: &ArgMatches) -> Result<(), Failure> {
    let Some(("serve", serve)) = sub.subcommand() else {
        return Err(Failure::usage("webhook: expected `serve`"));
    };
    let addr = *serve
        .get_one::<SocketAddr>("addr")
        .ok_or_else(|| Failure::usage("webhook serve: --addr is required"))?;
    let id = serve
        .get_one::<String>("subscriber-id")
        .cloned()
        .ok_or_else(|| Failure::usage("webhook serve: --subscriber-id is required"))?;
    let key = serve
        .get_one::<String>("subscriber-key")
        .map(Secret::new)
        .ok_or_else(|| Failure::usage("webhook serve: --subscriber-key is required"))?;
    if key.is_empty() {
        return Err(Failure::usage(
            "webhook serve: --subscriber-key is empty; give the key of the push settings",
        ));
    }
    init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::call(format!("webhook serve: cannot start the runtime: {e}")))?;
    runtime.block_on(serve_on(addr, WebhookConfig::new(id, key)))
}

async fn serve_on(addr: SocketAddr, config: WebhookConfig) -> Result<(), Failure> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::call(format!("webhook serve: cannot listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::call(format!("webhook serve: {e}")))?;
    let app = hwmeeting_async::webhook::axum::router(config, |delivery: Delivery| async move {
        // Printed before the answer, so lines keep the order of the pushes.
        outln!("{}", delivery.to_json_line());
    });
    eprintln!("listening on http://{local}");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| Failure::call(format!("webhook serve: {e}")))
}

/// Refused pushes are logged (warnings) on stderr, without colour codes
/// on a pipe; stdout carries only events.
fn init_logging() {
    use std::io::IsTerminal as _;
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(hwmeeting_sim::cli::colour_wanted(
            std::io::stderr().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        ))
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
        .try_init();
}
