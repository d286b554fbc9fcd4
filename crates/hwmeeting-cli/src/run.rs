//! Runs the parsed command line: an operation (sent, or printed with
//! `--dry-run`), `demo`, `sim` or `completions`.

use std::ffi::OsString;
use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::{ArgMatches, Command};
use hwmeeting_core::meta::Auth;
use hwmeeting_core::{Credentials, DynamicOperation, Operation, Reply};

use crate::cli::{self, OpPlan};
use crate::dry_run;
use crate::exit::Failure;
use crate::global::Globals;
use crate::output;
use crate::pages;

/// Parses `argv` and runs it; returns the process exit code.
pub fn main_with(argv: impl IntoIterator<Item = OsString>) -> ExitCode {
    let plans = OpPlan::all();
    let cmd = cli::command(&plans);
    let matches = match cmd.clone().try_get_matches_from(argv) {
        Ok(m) => m,
        // Help and version exit 0; usage errors exit 2.
        Err(e) => e.exit(),
    };
    let Some((name, sub)) = matches.subcommand() else {
        // `subcommand_required` makes clap refuse this already.
        return ExitCode::from(crate::exit::USAGE);
    };
    let result = match name {
        "completions" => completions(cmd, sub),
        "sim" => run_sim(sub),
        "webhook" => crate::webhook::run(sub),
        "demo" => Globals::from_matches(&[sub, &matches]).and_then(|g| {
            if g.dry_run {
                return Err(Failure::usage(
                    "demo: --dry-run is not supported here (the demo makes real calls); use --dry-run with an operation",
                ));
            }
            init_tracing(g.verbose);
            crate::demo::run(&g, sub)
        }),
        "events" => Globals::from_matches(&[sub, &matches]).and_then(|g| {
            if g.dry_run {
                return Err(Failure::usage(
                    "events: --dry-run is not supported here (it opens a WebSocket); use --dry-run with an operation",
                ));
            }
            init_tracing(g.verbose);
            crate::events::run(&g, sub)
        }),
        _ => match plans.iter().find(|p| p.name == name) {
            Some(plan) => run_operation(plan, &matches, sub),
            None => Err(Failure::usage(format!("unknown subcommand `{name}`"))),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// Sends one operation (or prints it with `--dry-run`) and prints the answer.
fn run_operation(plan: &OpPlan, root: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let globals = Globals::from_matches(&[sub, root])?;
    init_tracing(globals.verbose);
    let meta = plan.meta;
    // A copy that records which fields came from --body, for its errors.
    let mut plan = plan.clone();
    let plan = &mut plan;
    let op = plan.build(sub, &globals)?;

    if globals.dry_run {
        let endpoint = globals.endpoint()?;
        // With --all: the first page's request.
        let op = match meta.pagination.filter(|_| pages::wanted(sub)) {
            Some(pagination) => {
                let (offset, limit) = pages::start(meta, &op, &pagination);
                eprintln!(
                    "note: --all: the first page; the next ones ask for {} = {offset} + the items received so far",
                    pagination.offset
                );
                pages::page_request(&op, &pagination, offset, limit)
            }
            None => op,
        };
        let secret = dry_run::dry_run_secret(meta, &globals);
        let request = op
            .to_http(&endpoint, dry_run::credential(meta, secret.as_ref()))
            .map_err(|e| plan.map_error(e))?;
        outln!(
            "{}",
            dry_run::render_curl(meta, &request, globals.show_secrets)
        );
        return Ok(());
    }

    plan.check(&op)?;
    check_credentials(plan, &globals)?;
    let endpoint = globals.endpoint()?;
    let client = globals.client_for(&endpoint)?;
    let ctx = crate::explain::Context {
        globals: &globals,
        endpoint: endpoint.as_str(),
        own_ca: false,
    };
    let conference = match meta.auth {
        Auth::ConferenceToken { .. } => {
            let id = op
                .target_conference_id()
                .map(str::to_owned)
                .ok_or_else(|| {
                    plan.usage(&hwmeeting_core::BuildError::Missing {
                        parameter: meta
                            .conference_id_param()
                            .map_or("conferenceID", |p| p.name)
                            .to_owned(),
                    })
                })?;
            Some(
                match (&globals.conference_authorization, &globals.host_password) {
                    (Some(token), password) => {
                        if let Some(pw) = password {
                            // Registers the password so the given token can be renewed.
                            client.conference(id.clone(), pw.clone());
                        }
                        client.conference_with_token(id, token.clone())
                    }
                    (None, Some(pw)) => client.conference(id, pw.clone()),
                    (None, None) => {
                        return Err(Failure::usage(format!(
                            "{}: a meeting control call needs --host-password (HWMEETING_HOST_PASSWORD) to get a control token, or a control token in --conference-authorization (HWMEETING_CONFERENCE_AUTHORIZATION)",
                            plan.name
                        ))
                        .with_help_for(&plan.name));
                    }
                },
            )
        }
        _ => None,
    };
    let send = |op: DynamicOperation| match &conference {
        Some(conference) => conference.execute(op),
        None => client.execute(op),
    };
    let log = |reply: &Reply<serde_json::Value>| {
        tracing::info!(
            operation = meta.id,
            status = reply.status,
            request_id = reply.request_id.as_deref().unwrap_or("-"),
            attempts = reply.attempts,
            elapsed_ms = reply.elapsed.as_millis() as u64,
            "call succeeded"
        );
    };

    if let Some(pagination) = meta.pagination.filter(|_| pages::wanted(sub)) {
        let mut masked: Vec<String> = Vec::new();
        let walk = pages::walk(meta, &op, |page| {
            let mut reply = send(page)?;
            log(&reply);
            for path in output::mask_response(meta, &mut reply.output, globals.show_secrets) {
                let path = pages::item_path(&pagination, &path);
                if !masked.contains(&path) {
                    masked.push(path);
                }
            }
            Ok(reply.output)
        })
        .map_err(|e| {
            let note = e.note();
            match plan.map_call_error(e.error, &ctx) {
                Failure::Call(message) => Failure::Call(format!("{message}{note}")),
                usage => usage,
            }
        })?;
        tracing::info!(
            operation = meta.id,
            pages = walk.pages,
            items = walk.items.len(),
            total = walk.total.unwrap_or(-1),
            "every page received"
        );
        outln!(
            "{}",
            output::render(&serde_json::Value::Array(walk.items), globals.output)
        );
        note_masked(&masked);
        return Ok(());
    }

    let mut reply = send(op).map_err(|e| plan.map_call_error(e, &ctx))?;
    log(&reply);
    let masked = output::mask_response(meta, &mut reply.output, globals.show_secrets);
    let answer = reply.output;
    match output::confirmation(
        meta.id,
        &answer,
        reply.status,
        reply.request_id.as_deref(),
        globals.output,
    ) {
        // An empty answer (most control calls): say what succeeded.
        Some(line) => outln!("{line}"),
        None => outln!("{}", output::render(&answer, globals.output)),
    }
    note_masked(&masked);
    Ok(())
}

/// Says on stderr which secret fields were shown as `***`.
fn note_masked(masked: &[String]) {
    if !masked.is_empty() {
        eprintln!(
            "note: secret field{} {} shown as ***; pass --show-secrets to print {}",
            if masked.len() == 1 { "" } else { "s" },
            masked.join(", "),
            if masked.len() == 1 { "it" } else { "them" }
        );
    }
}

/// Fails with a usage error naming the options when the credentials the
/// operation needs are not given (before anything is sent).
fn check_credentials(plan: &OpPlan, globals: &Globals) -> Result<(), Failure> {
    let creds = globals.credentials()?;
    let missing = match (plan.meta.auth, &creds) {
        (Auth::AccessToken { .. }, None) => Some(
            "an access token: give --access-token, or log in with --app-id + --app-key or --account + --account-password (or their HWMEETING_* variables)",
        ),
        (Auth::AppSignature { .. }, Some(Credentials::AppId(_))) => None,
        (Auth::AppSignature { .. }, _) => Some(
            "App ID credentials: give --app-id and --app-key (HWMEETING_APP_ID, HWMEETING_APP_KEY)",
        ),
        (Auth::Basic { .. }, Some(Credentials::Account { .. })) => None,
        (Auth::Basic { .. }, _) => Some(
            "account credentials: give --account and --account-password (HWMEETING_ACCOUNT, HWMEETING_PASSWORD)",
        ),
        _ => None,
    };
    match missing {
        Some(what) => {
            Err(Failure::usage(format!("{} needs {what}", plan.name)).with_help_for(&plan.name))
        }
        None => Ok(()),
    }
}

/// Installs the tracing subscriber: always the layer that counts each
/// call's attempts (for error messages), and with `-v` logging to stderr
/// (info: one line per HTTP call), `-vv` (debug: retries, token renewals),
/// `-vvv` (trace), for hwmeeting's own crates only: the SDK never logs a
/// secret, and the HTTP and TLS libraries' own logs (which could show
/// headers) stay off below warnings. Colour only on a terminal without
/// `NO_COLOR`.
pub fn init_tracing(verbose: u8) {
    use tracing_subscriber::Layer as _;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let log = (verbose > 0).then(|| {
        let level = match verbose {
            1 => "info",
            2 => "debug",
            _ => "trace",
        };
        let filter = tracing_subscriber::EnvFilter::new(format!("warn,hwmeeting={level}"));
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(hwmeeting_sim::cli::colour_wanted(
                std::io::stderr().is_terminal(),
                std::env::var_os("NO_COLOR").as_deref(),
            ))
            .with_target(true)
            // One line per HTTP call as it ends (login and control token
            // included), with its status, request id and time.
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_filter(filter)
    });
    let _ = tracing_subscriber::registry()
        .with(log)
        .with(crate::attempts::CountAttempts)
        .try_init();
}

/// `hwmeeting completions <shell>`.
fn completions(mut cmd: Command, sub: &ArgMatches) -> Result<(), Failure> {
    let shell = *sub
        .get_one::<clap_complete::Shell>("shell")
        .ok_or_else(|| {
            Failure::usage("completions: give a shell (bash, zsh, fish, elvish, powershell)")
        })?;
    clap_complete::generate(shell, &mut cmd, "hwmeeting", &mut std::io::stdout());
    Ok(())
}

/// The `sim` subcommand: the `hwmeeting-sim` binary's own command line
/// (options, help), under another name.
pub fn sim_command() -> Command {
    use clap::CommandFactory as _;
    hwmeeting_sim::cli::SimArgs::command()
        .name("sim")
        .about("Run the API simulator until Ctrl-C (the options of the hwmeeting-sim binary)")
}

/// `hwmeeting sim ...`: runs the simulator as the `hwmeeting-sim` binary
/// does.
fn run_sim(sub: &ArgMatches) -> Result<(), Failure> {
    use clap::FromArgMatches as _;
    let args = hwmeeting_sim::cli::SimArgs::from_arg_matches(sub)
        .map_err(|e| Failure::usage(e.to_string()))?;
    hwmeeting_sim::cli::init_logging();
    args.run_blocking()
        .map_err(|e| Failure::call(format!("simulator: {e}")))
}
