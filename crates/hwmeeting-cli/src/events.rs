//! `hwmeeting events`: the meeting control WebSocket of a running meeting,
//! one JSON line per push on stdout (the frame as received, its `action`
//! kept, meeting passwords masked), until the meeting ends (exit 0).
//! Reconnections are said on stderr.

use std::time::Duration;

use clap::{Arg, ArgMatches, Command};
use futures_util::StreamExt as _;
use hwmeeting_async::live::{LiveEvent, LiveOptions, sansio};

use crate::exit::Failure;
use crate::global::{self, Globals};

/// The subcommand.
pub fn command() -> Command {
    Command::new("events")
        .about("Print the live pushes of a running meeting (its control WebSocket) until it ends")
        .long_about(
            "Open the meeting control WebSocket of a running meeting and print one JSON line \
             per push received (the frame as the service sent it, with its `action`: \
             ConfBasicInfoNotify, ConfDynamicInfoNotify, ParticipantsNotify, ...; meeting \
             passwords masked). The control token comes from --host-password, the WebSocket \
             token from create_web_socket_token; heartbeats are sent; a dropped, silent or \
             gapped connection is reopened with fresh tokens and snapshots (said on stderr). \
             Exits 0 when the meeting ends, 1 if the connection cannot be kept.",
        )
        .args(global::args())
        .next_help_heading("Events options")
        .arg(
            Arg::new("conference-id")
                .long("conference-id")
                .required(true)
                .value_name("ID")
                .help("The meeting ID"),
        )
        .arg(
            Arg::new("heartbeat-secs")
                .long("heartbeat-secs")
                .value_name("SECONDS")
                .value_parser(clap::value_parser!(u64).range(1..=180))
                .default_value("60")
                .help("Seconds between heartbeats (the service closes a channel after 180 s without one)"),
        )
}

/// Runs it.
pub fn run(globals: &Globals, sub: &ArgMatches) -> Result<(), Failure> {
    let conference_id = sub
        .get_one::<String>("conference-id")
        .cloned()
        .unwrap_or_default();
    let Some(password) = globals.host_password.clone() else {
        return Err(Failure::usage(format!(
            "events: the host password is needed for the meeting control token: give {}",
            globals.named("host-password")
        ))
        .with_help_for("events"));
    };
    let heartbeat =
        Duration::from_secs(sub.get_one::<u64>("heartbeat-secs").copied().unwrap_or(60));
    let endpoint = globals.endpoint()?;
    let mut builder = globals.builder(&endpoint)?;
    if let Some(creds) = globals.credentials()? {
        builder = builder.credentials(creds);
    }
    let config = builder
        .checked_config()
        .map_err(|e| Failure::usage(format!("events: {e}")))?;
    let client = hwmeeting_async::Client::builder()
        .config(config)
        .build()
        .map_err(|e| Failure::usage(format!("events: {e}")))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| Failure::call(format!("events: no async runtime: {e}")))?;
    runtime.block_on(async move {
        let meeting = client.conference(conference_id, password);
        let options = LiveOptions::default().heartbeat(heartbeat, heartbeat * 5 / 2);
        let mut events = meeting.events_with(options);
        while let Some(event) = events.next().await {
            match event {
                Ok(LiveEvent::Push { push, frame, .. }) => {
                    if matches!(
                        push,
                        sansio::Push::HeartBeat { .. } | sansio::Push::SubscribeReply { .. }
                    ) {
                        continue;
                    }
                    let mut value: serde_json::Value = match serde_json::from_str(frame.expose()) {
                        Ok(v) => v,
                        // Read already: cannot fail; shown as text if it does.
                        Err(_) => serde_json::Value::String(frame.expose().to_owned()),
                    };
                    sansio::push::redact(&mut value);
                    outln!("{value}");
                }
                Ok(LiveEvent::Subscribed { resync }) => {
                    if resync {
                        eprintln!("note: subscribed again; new snapshots follow");
                    }
                }
                Ok(LiveEvent::Resync { reason, retry_in }) => {
                    eprintln!(
                        "note: {reason}; reconnecting in {} ms",
                        retry_in.as_millis()
                    );
                }
                Ok(LiveEvent::Ended) => return Ok(()),
                Ok(_) => {}
                Err(e) => return Err(Failure::call(format!("events: {e}"))),
            }
        }
        Err(Failure::call("events: the stream ended before the meeting"))
    })
}
