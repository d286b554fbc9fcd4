//! `hwmeeting demo`: the main job of the SDK, end to end, with the
//! blocking client.
//!
//! 1. authenticate (`app_auth`, or `account_auth`; skipped with a given
//!    access token);
//! 2. activate the meeting (`start_meeting`);
//! 3. get a meeting control token (`create_conf_token`, through the
//!    meeting handle, which then caches and renews it);
//! 4. make a participant the host (`set_role`, apply, with the host
//!    password);
//! 5. invite a participant to turn the camera off (`invite_operate_video`,
//!    status 1);
//! 6. lock sharing (`update_started_conf_config`, lockSharing 1);
//! 7. hang a participant up (`hang_up`).
//!
//! With no credentials and no endpoint it runs against an in-process
//! simulator over TLS (trusting the simulator's own CA) that holds the
//! demo meeting, and prints the meeting's state at the end. Given
//! credentials, an endpoint, `--conference-id` and `--host-password`, it
//! runs the same calls against that service.

use std::time::Instant;

use clap::{Arg, ArgMatches, Command};
use hwmeeting_blocking::{Conference, Credentials, DynamicOperation, Reply, Secret};
use hwmeeting_core::Operation;
use serde_json::{Value, json};

use crate::cli::CONFERENCE_ID_ENV;
use crate::exit::Failure;
use crate::explain::Context;
use crate::global::{self, Globals};

/// The `demo` subcommand.
pub fn command() -> Command {
    Command::new("demo")
        .about("Run the main job end to end (against the built-in simulator unless credentials are given)")
        .long_about(
            "Run the main job end to end with the blocking client: authenticate, activate \
             the meeting, get a meeting control token, make a participant the host, invite \
             a participant to turn the camera off, lock sharing, hang a participant up. \
             Each step prints the operation, HTTP status, request id and time taken.\n\n\
             With no credentials and no endpoint it starts an in-process simulator over TLS \
             with a demo meeting and prints the meeting's state at the end.\n\n\
             Against a real service give credentials (--app-id/--app-key, \
             --account/--account-password or --access-token, or their HWMEETING_* variables), \
             --conference-id and --host-password, and optionally --participant-id (the \
             participant made host and asked to turn the camera off) and \
             --hang-up-participant-id; steps without their participant are skipped.",
        )
        .args(global::args())
        .next_help_heading("Demo options")
        .arg(
            Arg::new("conference-id")
                .long("conference-id")
                .value_name("CONFERENCE_ID")
                .env(CONFERENCE_ID_ENV)
                .help("Meeting to run the job on (real service only)"),
        )
        .arg(
            Arg::new("participant-id")
                .long("participant-id")
                .value_name("PARTICIPANT_ID")
                .help("Participant to make host and to ask to turn the camera off (simulator: p-alice and p-bob)"),
        )
        .arg(
            Arg::new("hang-up-participant-id")
                .long("hang-up-participant-id")
                .value_name("PARTICIPANT_ID")
                .help("Participant to hang up (simulator: p-carol)"),
        )
}

/// What the flow runs on.
struct Plan {
    conference_id: String,
    host_password: Secret,
    host: Option<String>,
    camera: Option<String>,
    hang_up: Option<String>,
}

/// One printed step.
struct Step<'a> {
    number: usize,
    name: &'a str,
    operation: &'a str,
}

fn line(step: &Step<'_>, status: &str, request_id: &str, ms: &str) -> String {
    format!(
        "{:>2}. {:<22} {:<28} {:>6}  {:<34} {:>9}",
        step.number, step.name, step.operation, status, request_id, ms
    )
}

fn header() -> String {
    format!(
        "{:>2}  {:<22} {:<28} {:>6}  {:<34} {:>9}",
        "#", "STEP", "OPERATION", "STATUS", "REQUEST ID", "TIME"
    )
}

fn reply_line<T>(step: &Step<'_>, reply: &Reply<T>) -> String {
    line(
        step,
        &reply.status.to_string(),
        reply.request_id.as_deref().unwrap_or("-"),
        &format!("{:.1} ms", reply.elapsed.as_secs_f64() * 1000.0),
    )
}

/// A request for operation `id` with these parameters by wire name.
fn request(id: &str, params: Value) -> Result<DynamicOperation, Failure> {
    let mut op = hwmeeting_api::dynamic(id).map_err(|e| Failure::call(e.to_string()))?;
    if let Value::Object(map) = params {
        op.set_all(map)
            .map_err(|e| Failure::call(format!("{id}: {e}")))?;
    }
    Ok(op)
}

/// Runs `demo`.
pub fn run(globals: &Globals, m: &ArgMatches) -> Result<(), Failure> {
    let flag = |id: &str| {
        m.get_one::<String>(id)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let use_simulator =
        globals.endpoint.is_none() && globals.region.is_none() && !globals.has_credentials();
    if !use_simulator {
        return run_remote(
            globals,
            flag("conference-id"),
            flag("participant-id"),
            flag("hang-up-participant-id"),
        );
    }

    let started = Instant::now();
    let sim = hwmeeting_sim::Simulator::spawn(hwmeeting_sim::SimConfig::default().demo(true))
        .map_err(|e| Failure::call(format!("could not start the simulator: {e}")))?;
    let ca = sim
        .ca_pem()
        .ok_or_else(|| Failure::call("the simulator serves no TLS certificate"))?
        .to_owned();
    let demo = hwmeeting_sim::demo_conference();
    let ids: Vec<String> = demo
        .participants
        .iter()
        .map(|p| p.participant_id.clone())
        .collect();
    let pick = |i: usize| ids.get(i).cloned();
    outln!(
        "Simulator at {} (TLS, its own CA trusted), started in {} ms; demo meeting {} with participants {}",
        sim.url(),
        started.elapsed().as_millis(),
        demo.conference_id,
        ids.join(", ")
    );
    let endpoint = hwmeeting_core::Endpoint::parse(sim.url(), false)
        .map_err(|e| Failure::call(format!("simulator URL: {e}")))?;
    let builder = globals.builder(&endpoint)?.add_root_certificate_pem(ca);
    let creds = Credentials::app_id(sim.app_id(), sim.app_key().clone());
    let participant = flag("participant-id");
    let plan = Plan {
        conference_id: demo.conference_id.clone(),
        host_password: Secret::new(demo.host_password.clone()),
        host: participant.clone().or_else(|| pick(0)),
        camera: participant.or_else(|| pick(1)),
        hang_up: flag("hang-up-participant-id").or_else(|| pick(2)),
    };
    let ctx = Context {
        globals,
        endpoint: endpoint.as_str(),
        own_ca: true,
    };
    flow(builder, creds, &plan, &ctx)?;
    let state = sim
        .conference(&plan.conference_id)
        .ok_or_else(|| Failure::call("the simulator lost the demo meeting"))?;
    let state = serde_json::to_string_pretty(&state).unwrap_or_else(|e| format!("<{e}>"));
    outln!("\nMeeting state in the simulator:\n{state}");
    Ok(())
}

/// The flow against a real service.
fn run_remote(
    globals: &Globals,
    conference_id: Option<String>,
    participant: Option<String>,
    hang_up: Option<String>,
) -> Result<(), Failure> {
    // Everything missing at once, before any call.
    let mut missing: Vec<String> = Vec::new();
    if let Some(partner) = globals.missing_partner() {
        missing.push(partner);
    }
    let creds = match globals.credentials() {
        Ok(creds) => creds,
        Err(_) if !missing.is_empty() => None,
        Err(e) => return Err(e.with_help_for("demo")),
    };
    if creds.is_none() && missing.is_empty() {
        missing.push(
            "credentials: --app-id + --app-key, --account + --account-password, or --access-token (or their HWMEETING_* variables)".to_owned(),
        );
    }
    if conference_id.is_none() {
        missing.push("the meeting: --conference-id (HWMEETING_CONFERENCE_ID)".to_owned());
    }
    if globals.host_password.is_none() {
        missing.push(
            "the meeting's host password: --host-password (HWMEETING_HOST_PASSWORD)".to_owned(),
        );
    }
    let (Some(creds), Some(conference_id), Some(host_password), true) = (
        creds,
        conference_id,
        globals.host_password.clone(),
        missing.is_empty(),
    ) else {
        let why = globals
            .why_remote()
            .unwrap_or_else(|| "a service is given".to_owned());
        let list: String = missing.iter().map(|m| format!("\n  - {m}")).collect();
        let service = match globals.endpoint() {
            Ok(endpoint) => format!("the service at {endpoint}"),
            Err(_) => "a real service".to_owned(),
        };
        return Err(Failure::usage(format!(
            "demo: {why}, so demo runs against {service}, not the built-in simulator (for the simulator, give no endpoint, region or credentials); that also needs:{list}"
        ))
        .with_help_for("demo"));
    };
    let endpoint = globals.endpoint()?;
    outln!("Service at {endpoint}; meeting {conference_id}");
    let builder = globals.builder(&endpoint)?;
    let plan = Plan {
        conference_id,
        host_password,
        host: participant.clone(),
        camera: participant,
        hang_up,
    };
    let ctx = Context {
        globals,
        endpoint: endpoint.as_str(),
        own_ca: false,
    };
    flow(builder, creds, &plan, &ctx)
}

/// The login request for these credentials (`None` for an access token).
fn login_request(creds: &Credentials) -> Result<Option<DynamicOperation>, Failure> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let nonce: String = rand::random::<[u8; 16]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(match creds {
        Credentials::AppId(app) => {
            let mut params = json!({
                "appId": app.app_id,
                "expireTime": now + 600,
                "nonce": nonce,
            });
            if let Some(user) = &app.user_id {
                params["userId"] = json!(user);
            }
            if let Some(corp) = &app.corp_id {
                params["corpId"] = json!(corp);
            }
            Some(request("app_auth", params)?)
        }
        Credentials::Account { account, .. } => {
            Some(request("account_auth", json!({ "account": account }))?)
        }
        _ => None,
    })
}

/// Runs the steps; each prints one line. Stops at the first failure.
fn flow(
    builder: hwmeeting_blocking::ClientBuilder,
    creds: Credentials,
    plan: &Plan,
    ctx: &Context<'_>,
) -> Result<(), Failure> {
    let login_client = global::build(builder.clone().credentials(creds.clone()))?;
    outln!("{}", header());
    let mut number = 0;
    let mut next = |name: &'static str, operation: &'static str| {
        number += 1;
        Step {
            number,
            name,
            operation,
        }
    };
    let fail = |step: &Step<'_>, e: hwmeeting_blocking::Error| {
        let status = e.status().map_or("-".to_owned(), |s| s.to_string());
        outln!(
            "{}",
            line(step, &status, e.request_id().unwrap_or("-"), "FAILED")
        );
        crate::explain::call_failure(step.operation, &e, Some(ctx))
    };

    // 1. Authenticate once; the other calls reuse the access token.
    let client = match login_request(&creds)? {
        Some(op) => {
            let step = next("authenticate", op.meta().id);
            let reply = login_client.execute(op).map_err(|e| fail(&step, e))?;
            outln!("{}", reply_line(&step, &reply));
            let token = reply
                .output
                .get("accessToken")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    Failure::call(format!("{}: the answer has no accessToken", step.operation))
                })?;
            global::build(builder.credentials(Credentials::access_token(token)))?
        }
        None => {
            let step = next("authenticate", "-");
            outln!("{}", line(&step, "-", "(access token given)", "-"));
            login_client
        }
    };

    // 2. Activate the meeting.
    let step = next("activate meeting", "start_meeting");
    let op = request(
        step.operation,
        json!({ "conferenceID": plan.conference_id, "password": plan.host_password.expose() }),
    )?;
    let reply = client.execute(op).map_err(|e| fail(&step, e))?;
    outln!("{}", reply_line(&step, &reply));

    // 3. The control token, through the meeting handle.
    let step = next("get control token", "create_conf_token");
    let conference = client.conference(plan.conference_id.clone(), plan.host_password.clone());
    let op = request(
        step.operation,
        json!({ "X-Password": plan.host_password.expose() }),
    )?;
    let reply = conference.execute(op).map_err(|e| fail(&step, e))?;
    outln!("{}", reply_line(&step, &reply));
    let conference = match reply.output.pointer("/data/token").and_then(Value::as_str) {
        // The handle keeps the host password, so it renews this token.
        Some(token) => client.conference_with_token(plan.conference_id.clone(), token),
        None => conference,
    };

    let control =
        |conference: &Conference, step: &Step<'_>, params: Value| -> Result<(), Failure> {
            let op = request(step.operation, params)?;
            let reply = conference.execute(op).map_err(|e| fail(step, e))?;
            outln!("{}", reply_line(step, &reply));
            Ok(())
        };
    let skipped = |step: &Step<'_>, flag: &str| {
        outln!("{}", line(step, "-", &format!("(skipped: no {flag})"), "-"));
    };

    // 4. Make a participant the host.
    let step = next("make host", "set_role");
    match &plan.host {
        Some(p) => control(
            &conference,
            &step,
            json!({ "participantID": p, "applyChair": 1, "chairmanPwd": plan.host_password.expose() }),
        )?,
        None => skipped(&step, "--participant-id"),
    }

    // 5. Ask a participant to turn the camera off.
    let step = next("camera off", "invite_operate_video");
    match &plan.camera {
        Some(p) => control(
            &conference,
            &step,
            json!({ "participantID": p, "status": 1 }),
        )?,
        None => skipped(&step, "--participant-id"),
    }

    // 6. Lock sharing.
    let step = next("lock sharing", "update_started_conf_config");
    control(&conference, &step, json!({ "lockSharing": 1 }))?;

    // 7. Hang a participant up.
    let step = next("hang up", "hang_up");
    match &plan.hang_up {
        Some(p) => control(&conference, &step, json!({ "bulkHangUpParticipants": [p] }))?,
        None => skipped(&step, "--hang-up-participant-id"),
    }
    outln!("Done: {number} steps.");
    Ok(())
}
