//! `hwmeeting demo`: a meeting's whole life, end to end, with the blocking
//! client and the typed requests of `hwmeeting_blocking::model`.
//!
//! 1. log in (`app_auth`, or `account_auth`; skipped with a given access
//!    token);
//! 2. schedule a meeting (`create_meeting`: subject, start at the next
//!    minute, length, media types), reading its meeting ID, host and guest
//!    passwords (`passwordEntry`) and, if it has one yet, its `confUUID`;
//! 3. find it (`search_meetings`) and edit it (`update_meeting`: a new
//!    subject);
//! 4. start it (`start_meeting`) and read its `confUUID` from the running
//!    meeting (`show_online_meeting_detail`);
//! 5. against the simulator, participants join (as its
//!    `POST /_sim/conferences/{id}/participants` route does);
//! 6. control it through a meeting handle: a control token
//!    (`create_conf_token`), a host (`set_role`), a camera invitation
//!    (`invite_operate_video`), the settings (`update_started_conf_config`),
//!    the recording on (`record`), a hang-up (`hang_up`), the recording off;
//! 7. stop it (`stop_meeting`);
//! 8. read its history by `confUUID`: `show_his_meeting_detail`,
//!    `search_attendance_records_of_his_meeting`,
//!    `search_ctl_records_of_his_meeting`, `search_recordings` and
//!    `show_recording_file_download_urls`.
//!
//! Each step prints one line: operation, HTTP status, request id, time and
//! what it acted on; then a summary of the meeting's history (subject,
//! times, attendees, control calls, recording). No password or token is
//! printed.
//!
//! With no credentials and no endpoint it runs against an in-process
//! simulator over TLS (trusting the simulator's own CA). Given credentials
//! (and an endpoint or region), it runs the same flow against that service,
//! with the participants given by flags (steps without one are skipped);
//! there the history may not be written yet right after the end, which the
//! history lines say instead of failing.

use std::collections::BTreeMap;
use std::time::Instant;

use clap::{Arg, ArgMatches, Command};
use hwmeeting_blocking::model::{
    ApplyChair, CameraInvitation, ConferenceInfo, CreateConfTokenRequest, CreateMeetingRequest,
    HangUpRequest, InviteOperateVideoRequest, PasswordRole, RecordRequest, RecordSwitch,
    SearchAttendanceRecordsOfHisMeetingRequest, SearchCtlRecordsOfHisMeetingRequest,
    SearchMeetingsRequest, SearchRecordingsRequest, SetRoleRequest, SharingLock,
    ShowHisMeetingDetailRequest, ShowOnlineMeetingDetailRequest,
    ShowRecordingFileDownloadUrlsRequest, StartMeetingRequest, StopMeetingRequest,
    UpdateMeetingRequest, UpdateStartedConfConfigRequest,
};
use hwmeeting_blocking::{Client, Conference, Credentials, DynamicOperation, Reply, Secret};
use hwmeeting_core::Operation;
use hwmeeting_core::time::{self, Duration, OffsetDateTime};
use serde_json::{Value, json};

use crate::exit::Failure;
use crate::explain::Context;
use crate::global::{self, Globals};

/// The subject the demo gives its meeting, and the one it edits it to.
const SUBJECT: &str = "hwmeeting demo";
const NEW_SUBJECT: &str = "hwmeeting demo (edited)";
/// The meeting's length in minutes.
const LENGTH: i64 = 30;
/// Its media.
const MEDIA: &str = "HDVideo";

/// The participants who join the meeting in the simulator: (ID, name).
const SIM_PARTICIPANTS: [(&str, &str); 3] =
    [("p-alice", "Alice"), ("p-bob", "Bob"), ("p-carol", "Carol")];

/// The `demo` subcommand.
pub fn command() -> Command {
    Command::new("demo")
        .about("Run a meeting's whole life end to end (against the built-in simulator unless credentials are given)")
        .long_about(
            "Run a meeting's whole life end to end with the blocking client: log in, schedule \
             a meeting starting at the next minute (create_meeting), find it (search_meetings), \
             edit it (update_meeting), start it (start_meeting), let participants join, control \
             it through a meeting handle (control token, host role, camera invitation, \
             settings, recording on and off, hang-up), stop it (stop_meeting), then read its \
             history by confUUID: details, attendance, control records, recording and its \
             download links.\n\n\
             Each step prints one line with the operation, HTTP status, request id, time taken \
             and what it acted on; then a summary of the meeting's history: subject, start and \
             end, who attended and when, the control calls by operation, the recording. No \
             password or token is printed. -v also logs every HTTP call on stderr.\n\n\
             With no credentials and no endpoint it starts an in-process simulator over TLS, \
             where simulated participants (p-alice, p-bob, p-carol) join the meeting.\n\n\
             Against a real service give credentials (--app-id/--app-key, \
             --account/--account-password or --access-token, or their HWMEETING_* variables) \
             and optionally --participant-id (a participant of the meeting made host and asked \
             to turn the camera off) and --hang-up-participant-id; steps without their \
             participant are skipped. The service may write a meeting's history some time after \
             it ends: history lines that find none say so and the demo does not fail.",
        )
        .args(global::args())
        .next_help_heading("Demo options")
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

/// Who the control steps act on.
struct Plan {
    host: Option<String>,
    camera: Option<String>,
    hang_up: Option<String>,
}

/// The built-in simulator, when the demo runs on it.
type Sim = hwmeeting_sim::SimHandle;

/// Column widths of the step table.
const W_STEP: usize = 20;
const W_OP: usize = 40;
const W_ID: usize = 32;

fn header() -> String {
    format!(
        "{:>2}  {:<W_STEP$} {:<W_OP$} {:>6}  {:<W_ID$} {:>9}  TARGET",
        "#", "STEP", "OPERATION", "STATUS", "REQUEST ID", "TIME"
    )
}

/// The printed steps.
struct Table<'a> {
    number: usize,
    ctx: &'a Context<'a>,
    /// Whether history that is not there yet is said, not failed.
    lenient_history: bool,
}

impl Table<'_> {
    fn line(
        &mut self,
        step: &str,
        operation: &str,
        status: &str,
        id: &str,
        ms: &str,
        target: &str,
    ) {
        self.number += 1;
        let line = format!(
            "{:>2}. {:<W_STEP$} {:<W_OP$} {:>6}  {:<W_ID$} {:>9}  {}",
            self.number, step, operation, status, id, ms, target
        );
        outln!("{}", line.trim_end());
    }

    fn reply<T>(&mut self, step: &str, operation: &str, reply: &Reply<T>, target: &str) {
        self.line(
            step,
            operation,
            &reply.status.to_string(),
            reply.request_id.as_deref().unwrap_or("-"),
            &format!("{:.1} ms", reply.elapsed.as_secs_f64() * 1000.0),
            target,
        );
    }

    /// Prints the line of a call's answer, or of its failure (then the
    /// error to return).
    fn call<O: Operation>(
        &mut self,
        step: &str,
        target: &str,
        op: O,
        send: impl FnOnce(O) -> Result<Reply<O::Output>, hwmeeting_blocking::Error>,
    ) -> Result<Reply<O::Output>, Failure> {
        let operation = op.meta().id;
        match send(op) {
            Ok(reply) => {
                self.reply(step, operation, &reply, target);
                Ok(reply)
            }
            Err(e) => {
                let status = e.status().map_or("-".to_owned(), |s| s.to_string());
                self.line(
                    step,
                    operation,
                    &status,
                    e.request_id().unwrap_or("-"),
                    "FAILED",
                    target,
                );
                Err(crate::explain::call_failure(operation, &e, Some(self.ctx)))
            }
        }
    }

    /// A history call: against a real service, one that fails is said on
    /// its line (the history may not be written yet) and gives `None`.
    fn history<O: Operation>(
        &mut self,
        step: &str,
        target: &str,
        op: O,
        client: &Client,
    ) -> Result<Option<Reply<O::Output>>, Failure> {
        if !self.lenient_history {
            return self
                .call(step, target, op, |op| client.execute(op))
                .map(Some);
        }
        let operation = op.meta().id;
        match client.execute(op) {
            Ok(reply) => {
                self.reply(step, operation, &reply, target);
                Ok(Some(reply))
            }
            Err(e) => {
                let status = e.status().map_or("-".to_owned(), |s| s.to_string());
                self.line(
                    step,
                    operation,
                    &status,
                    e.request_id().unwrap_or("-"),
                    "-",
                    &format!("{target}: not available yet (the service writes history a while after the end; try again later)"),
                );
                Ok(None)
            }
        }
    }

    fn skipped(&mut self, step: &str, operation: &str, why: &str) {
        self.line(step, operation, "-", &format!("(skipped: {why})"), "-", "");
    }
}

/// A request for operation `id` with these parameters by wire name (the
/// logins, whose typed requests sign themselves only through a client).
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
            flag("participant-id"),
            flag("hang-up-participant-id"),
        );
    }

    let started = Instant::now();
    let sim = hwmeeting_sim::Simulator::spawn(hwmeeting_sim::SimConfig::default())
        .map_err(|e| Failure::call(format!("could not start the simulator: {e}")))?;
    let ca = sim
        .ca_pem()
        .ok_or_else(|| Failure::call("the simulator serves no TLS certificate"))?
        .to_owned();
    outln!(
        "Simulator at {} (TLS, its own CA trusted), started in {} ms; participants {} will join",
        sim.url(),
        started.elapsed().as_millis(),
        SIM_PARTICIPANTS.map(|(id, _)| id).join(", ")
    );
    let endpoint = hwmeeting_core::Endpoint::parse(sim.url(), false)
        .map_err(|e| Failure::call(format!("simulator URL: {e}")))?;
    let builder = globals.builder(&endpoint)?.add_root_certificate_pem(ca);
    let creds = Credentials::app_id(sim.app_id(), sim.app_key().clone());
    let participant = flag("participant-id");
    let plan = Plan {
        host: participant
            .clone()
            .or(Some(SIM_PARTICIPANTS[0].0.to_owned())),
        camera: participant.or(Some(SIM_PARTICIPANTS[1].0.to_owned())),
        hang_up: flag("hang-up-participant-id").or(Some(SIM_PARTICIPANTS[2].0.to_owned())),
    };
    let ctx = Context {
        globals,
        endpoint: endpoint.as_str(),
        own_ca: true,
    };
    flow(builder, creds, &plan, &ctx, Some(&sim))
}

/// The flow against a real service.
fn run_remote(
    globals: &Globals,
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
    let (Some(creds), true) = (creds, missing.is_empty()) else {
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
    outln!("Service at {endpoint}");
    let builder = globals.builder(&endpoint)?;
    let plan = Plan {
        host: participant.clone(),
        camera: participant,
        hang_up,
    };
    let ctx = Context {
        globals,
        endpoint: endpoint.as_str(),
        own_ca: false,
    };
    flow(builder, creds, &plan, &ctx, None)
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

/// The next whole minute after `now` (seconds and below dropped).
fn next_minute(now: OffsetDateTime) -> OffsetDateTime {
    let later = now + Duration::minutes(1);
    later
        .replace_second(0)
        .and_then(|t| t.replace_nanosecond(0))
        .unwrap_or(later)
}

/// The password of a role in a meeting's `passwordEntry`.
fn password(info: &ConferenceInfo, role: &PasswordRole) -> Option<Secret> {
    info.password_entry
        .as_ref()?
        .iter()
        .find(|p| p.conference_role.as_ref() == Some(role))?
        .password
        .clone()
}

/// What the meeting's history answers said, for the summary.
#[derive(Default)]
struct History {
    subject: Option<String>,
    start: Option<String>,
    end: Option<String>,
    /// (name, number, joined ms, left ms).
    attendees: Vec<(String, String, Option<i64>, Option<i64>)>,
    control: BTreeMap<String, usize>,
    control_total: usize,
    /// (length s, size MB).
    recording: Option<(Option<i64>, Option<i64>)>,
    /// Download links by file type.
    urls: Vec<String>,
    missing: Vec<&'static str>,
}

/// Runs the steps; each prints one line. Stops at the first failure.
fn flow(
    builder: hwmeeting_blocking::ClientBuilder,
    creds: Credentials,
    plan: &Plan,
    ctx: &Context<'_>,
    sim: Option<&Sim>,
) -> Result<(), Failure> {
    let login_client = global::build(builder.clone().credentials(creds.clone()))?;
    let mut table = Table {
        number: 0,
        ctx,
        lenient_history: sim.is_none(),
    };
    let t0 = OffsetDateTime::now_utc();
    outln!("{}", header());

    // Log in once; the other calls reuse the access token.
    let client = match login_request(&creds)? {
        Some(op) => {
            let reply = table.call("log in", "", op, |op| login_client.execute(op))?;
            let token = reply
                .output
                .get("accessToken")
                .and_then(Value::as_str)
                .ok_or_else(|| Failure::call("log in: the answer has no accessToken"))?;
            global::build(builder.credentials(Credentials::access_token(token)))?
        }
        None => {
            table.line("log in", "-", "-", "(access token given)", "-", "");
            login_client
        }
    };

    // Schedule the meeting.
    let start = next_minute(t0);
    let op = CreateMeetingRequest::new(MEDIA)
        .subject(SUBJECT)
        .start_time_at(start)
        .length(LENGTH);
    let target = format!(
        "\"{SUBJECT}\" at {} UTC, {LENGTH} min",
        time::format_minute_utc(start)
    );
    let reply = table.call("schedule meeting", &target, op, |op| client.execute(op))?;
    let info = reply
        .output
        .into_iter()
        .next()
        .ok_or_else(|| Failure::call("create_meeting: the answer lists no meeting"))?;
    let id = info
        .conference_id
        .clone()
        .ok_or_else(|| Failure::call("create_meeting: the answer has no conferenceID"))?;
    let host_password = password(&info, &PasswordRole::Chair)
        .ok_or_else(|| Failure::call("create_meeting: the answer has no host (chair) password"))?;
    let guest_password = password(&info, &PasswordRole::General);
    let mut uuid = info.conf_uuid.clone();
    outln!(
        "    meeting {id}: host password and {} received (not shown){}",
        if guest_password.is_some() {
            "guest password"
        } else {
            "no guest password"
        },
        match &uuid {
            Some(u) => format!(", confUUID {u}"),
            None => ", confUUID once it starts".to_owned(),
        }
    );

    // Find it, and edit it.
    let op = SearchMeetingsRequest::new().search_key(SUBJECT).limit(100);
    let reply = table.call("find meeting", &format!("meeting {id}"), op, |op| {
        client.execute(op)
    })?;
    let found = reply
        .output
        .data
        .unwrap_or_default()
        .iter()
        .any(|m| m.conference_id.as_deref() == Some(id.as_str()));
    if !found {
        return Err(Failure::call(format!(
            "search_meetings: meeting {id} is not among the meetings found"
        )));
    }
    let op = UpdateMeetingRequest::new(MEDIA)
        .conference_id(&id)
        .subject(NEW_SUBJECT)
        .start_time_at(start)
        .length(LENGTH);
    table.call(
        "edit meeting",
        &format!("meeting {id}: subject \"{NEW_SUBJECT}\""),
        op,
        |op| client.execute(op),
    )?;

    // Start it.
    let op = StartMeetingRequest::new(&id, host_password.clone());
    table.call("start meeting", &format!("meeting {id}"), op, |op| {
        client.execute(op)
    })?;
    let op = ShowOnlineMeetingDetailRequest::new().conference_id(&id);
    let reply = table.call("running meeting", &format!("meeting {id}"), op, |op| {
        client.execute(op)
    })?;
    if let Some(u) = reply.output.conference_data.and_then(|d| d.conf_uuid) {
        uuid = Some(u);
    }

    // Participants join (the simulator's test route).
    if let Some(sim) = sim {
        for (pid, name) in SIM_PARTICIPANTS {
            let started = Instant::now();
            sim.join_participant(&id, hwmeeting_sim::NewParticipant::new(pid, name))
                .map_err(|e| Failure::call(format!("{pid} could not join meeting {id}: {e}")))?;
            table.line(
                "participant joins",
                "(simulator)",
                "-",
                "-",
                &format!("{:.1} ms", started.elapsed().as_secs_f64() * 1000.0),
                &format!("meeting {id}: {pid} ({name})"),
            );
        }
    }

    // Control it through the meeting handle.
    let op = CreateConfTokenRequest::new(host_password.clone());
    let conference = client.conference(id.clone(), host_password.clone());
    let reply = table.call("control token", &format!("meeting {id}"), op, |op| {
        conference.execute(op)
    })?;
    // The handle keeps the host password, so it renews this token.
    let conference: Conference = client.conference_with_token(id.clone(), reply.output.data.token);
    let on = |who: &str| format!("meeting {id}: {who}");

    match &plan.host {
        Some(p) => {
            let op = SetRoleRequest::new(p, ApplyChair::Apply).chairman_pwd(host_password.clone());
            table.call("make host", &on(p), op, |op| conference.execute(op))?;
        }
        None => table.skipped("make host", "set_role", "no --participant-id"),
    }
    match &plan.camera {
        Some(p) => {
            let op = InviteOperateVideoRequest::new(p, CameraInvitation::Disable);
            table.call("camera off", &on(p), op, |op| conference.execute(op))?;
        }
        None => table.skipped("camera off", "invite_operate_video", "no --participant-id"),
    }
    let op = UpdateStartedConfConfigRequest::new().lock_sharing(SharingLock::Locked);
    table.call("lock sharing", &on("lockSharing on"), op, |op| {
        conference.execute(op)
    })?;
    let op = RecordRequest::new(RecordSwitch::Start);
    table.call("record on", &on("recording"), op, |op| {
        conference.execute(op)
    })?;
    match &plan.hang_up {
        Some(p) => {
            let op = HangUpRequest::new([p.as_str()]);
            table.call("hang up", &on(p), op, |op| conference.execute(op))?;
        }
        None => table.skipped("hang up", "hang_up", "no --hang-up-participant-id"),
    }
    let op = RecordRequest::new(RecordSwitch::Stop);
    table.call("record off", &on("recording"), op, |op| {
        conference.execute(op)
    })?;
    let op = StopMeetingRequest::new();
    table.call("stop meeting", &format!("meeting {id}"), op, |op| {
        conference.execute(op)
    })?;
    let t1 = OffsetDateTime::now_utc();

    // Its history, by confUUID.
    let mut history = History::default();
    match &uuid {
        Some(uuid) => read_history(&mut table, &client, uuid, t0, t1, &mut history)?,
        None => {
            table.skipped(
                "history",
                "show_his_meeting_detail",
                "the service gave no confUUID",
            );
            history.missing.push("history");
        }
    }
    outln!("Done: {} steps.", table.number);
    summary(&id, uuid.as_deref(), &history);
    Ok(())
}

/// The history steps.
fn read_history(
    table: &mut Table<'_>,
    client: &Client,
    uuid: &str,
    t0: OffsetDateTime,
    t1: OffsetDateTime,
    history: &mut History,
) -> Result<(), Failure> {
    let target = format!("confUUID {uuid}");
    let op = ShowHisMeetingDetailRequest::new(uuid);
    match table.history("history", &target, op, client)? {
        Some(reply) => {
            if let Some(info) = reply.output.conference_data {
                history.subject = info.subject;
                history.start = info.start_time;
                history.end = info.end_time;
            }
        }
        None => history.missing.push("details"),
    }
    let op = SearchAttendanceRecordsOfHisMeetingRequest::new(uuid).limit(100);
    match table.history("attendance", &target, op, client)? {
        Some(reply) => {
            history.attendees = reply
                .output
                .data
                .unwrap_or_default()
                .into_iter()
                .map(|r| {
                    (
                        r.display_name.unwrap_or_default(),
                        r.call_number.unwrap_or_default(),
                        r.join_time,
                        r.left_time,
                    )
                })
                .collect();
        }
        None => history.missing.push("attendance"),
    }
    let op = SearchCtlRecordsOfHisMeetingRequest::new(uuid).limit(100);
    match table.history("control records", &target, op, client)? {
        Some(reply) => {
            for record in reply.output.data.unwrap_or_default() {
                history.control_total += 1;
                *history
                    .control
                    .entry(record.operate_code.unwrap_or_else(|| "?".into()))
                    .or_default() += 1;
            }
        }
        None => history.missing.push("control records"),
    }
    // Recordings of the meetings that started in the demo's time window.
    let from = time::unix_millis(t0 - Duration::minutes(1));
    let to = time::unix_millis(t1 + Duration::minutes(1));
    let op = SearchRecordingsRequest::new(from, to).limit(100);
    match table.history("recordings", &target, op, client)? {
        Some(reply) => {
            history.recording = reply
                .output
                .data
                .unwrap_or_default()
                .into_iter()
                .find(|r| r.conf_uuid.as_deref() == Some(uuid))
                .map(|r| (r.rcd_time, r.rcd_size));
        }
        None => history.missing.push("recording"),
    }
    if history.recording.is_some() {
        let op = ShowRecordingFileDownloadUrlsRequest::new(uuid);
        match table.history("download links", &target, op, client)? {
            Some(reply) => {
                history.urls = reply
                    .output
                    .record_urls
                    .unwrap_or_default()
                    .into_iter()
                    .flat_map(|r| r.urls.unwrap_or_default())
                    .filter(|u| u.url.is_some())
                    .map(|u| {
                        u.file_type
                            .map_or_else(|| "?".to_owned(), |t| t.as_str().to_owned())
                    })
                    .collect();
            }
            None => history.missing.push("download links"),
        }
    }
    Ok(())
}

/// `HH:MM:SS.mmm` UTC of a time in ms since the epoch.
fn clock(ms: Option<i64>) -> String {
    match ms.map(time::from_unix_millis) {
        Some(Ok(t)) => format!(
            "{:02}:{:02}:{:02}.{:03}",
            t.hour(),
            t.minute(),
            t.second(),
            t.millisecond()
        ),
        _ => "-".to_owned(),
    }
}

/// A length in seconds as `1 s`, `2 min 5 s`.
fn seconds(s: i64) -> String {
    if s < 60 {
        format!("{s} s")
    } else {
        format!("{} min {} s", s / 60, s % 60)
    }
}

/// The summary of the meeting's history.
fn summary(id: &str, uuid: Option<&str>, h: &History) {
    outln!("\nMeeting {id} (confUUID {})", uuid.unwrap_or("-"));
    outln!(
        "  subject     {}",
        h.subject
            .as_deref()
            .map_or("-".to_owned(), |s| format!("\"{s}\""))
    );
    let duration = match (
        h.start.as_deref().map(time::parse_minute_utc),
        h.end.as_deref().map(time::parse_minute_utc),
    ) {
        (Some(Ok(a)), Some(Ok(b))) => {
            let minutes = (b - a).whole_minutes();
            if minutes < 1 {
                "under a minute".to_owned()
            } else {
                format!("{minutes} min")
            }
        }
        _ => "-".to_owned(),
    };
    outln!(
        "  ran         {} to {} UTC ({duration})",
        h.start.as_deref().unwrap_or("-"),
        h.end.as_deref().unwrap_or("-")
    );
    // The span attendance shows, to the millisecond.
    let joined = h.attendees.iter().filter_map(|a| a.2).min();
    let left = h.attendees.iter().filter_map(|a| a.3).max();
    if let (Some(a), Some(b)) = (joined, left) {
        outln!(
            "  attended    {} to {} UTC ({:.1} s)",
            clock(Some(a)),
            clock(Some(b)),
            (b - a) as f64 / 1000.0
        );
    }
    outln!("  attendees   {}", h.attendees.len());
    for (name, number, join, left) in &h.attendees {
        outln!(
            "    {:<16} {:<16} joined {}  left {}",
            name,
            number,
            clock(*join),
            clock(*left)
        );
    }
    let calls: Vec<String> = h.control.iter().map(|(k, n)| format!("{k} {n}")).collect();
    outln!(
        "  control     {} call{}: {}",
        h.control_total,
        if h.control_total == 1 { "" } else { "s" },
        if calls.is_empty() {
            "-".to_owned()
        } else {
            calls.join(", ")
        }
    );
    match h.recording {
        Some((length, size)) => outln!(
            "  recording   {}, {}, {} download link{}{}",
            length.map_or("length -".to_owned(), seconds),
            size.map_or("size -".to_owned(), |mb| format!("{mb} MB")),
            h.urls.len(),
            if h.urls.len() == 1 { "" } else { "s" },
            if h.urls.is_empty() {
                String::new()
            } else {
                format!(" ({})", h.urls.join(", "))
            }
        ),
        None => outln!("  recording   none found"),
    }
    if !h.missing.is_empty() {
        outln!(
            "  not available yet: {} (run the history searches again later)",
            h.missing.join(", ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_minute_is_a_whole_minute_after_now() {
        let now = time::parse_minute_utc("2030-05-17 09:30").unwrap() + Duration::seconds(7);
        assert_eq!(
            time::format_minute_utc(next_minute(now)),
            "2030-05-17 09:31"
        );
        assert_eq!(next_minute(now).second(), 0);
        let end_of_day = time::parse_minute_utc("2030-12-31 23:59").unwrap();
        assert_eq!(
            time::format_minute_utc(next_minute(end_of_day)),
            "2031-01-01 00:00"
        );
    }

    #[test]
    fn times_and_lengths_read_well() {
        let t = time::parse_minute_utc("2030-05-17 09:30").unwrap();
        let ms = time::unix_millis(t) + 1_234;
        assert_eq!(clock(Some(ms)), "09:30:01.234");
        assert_eq!(clock(None), "-");
        assert_eq!(seconds(5), "5 s");
        assert_eq!(seconds(125), "2 min 5 s");
    }
}
