//! Every operation of the spec, end to end through each client (blocking
//! and async) against the simulator over TLS, built from the first example
//! of its spec file.
//!
//! The test knows no operation by name except the short list of examples
//! that cannot succeed against the simulator ([`EXPECTED_ERRORS`]): a new
//! spec file is covered as soon as it is generated. Each operation runs on
//! a meeting of its own (so `stop_meeting` or `hang_up` cannot disturb the
//! others), and the example is adapted to it generically:
//!
//! - the example's meeting ID (the value of the operation's meeting ID
//!   parameter) becomes the meeting's, wherever it occurs (`invite_with_pwd`
//!   repeats it in `confID`);
//! - participant IDs (strings under a parameter or field whose name
//!   contains `participant`, or is `pids` or `subscriber`) map, in order of
//!   first appearance, to the meeting's participants, wherever they occur;
//!   such a string that is a number (`+...`, as the custom multi-picture
//!   names its subscribers) maps to a participant's number instead;
//! - a secret parameter whose name says password (`pw`, `password`) gets the
//!   meeting's host password (when the operation names a meeting, or the
//!   example masks the value), one whose name says token gets the client's
//!   live access token;
//! - the credential headers are left to the client; a text header or query
//!   value is converted to the parameter's type.
//!
//! Some examples need state the running meeting does not have. It is
//! prepared for the operation alone (so `delete_recordings` or a cancel
//! destroys only its own), through the API (typed requests of the blocking
//! client, with the same credentials), not through the simulator's
//! shortcuts (but for cloud meeting rooms, which no API adds):
//!
//! - a `confUUID` or `confUUIDs` parameter (a comma-separated list): each
//!   UUID of the example maps to a meeting of its own that was created with
//!   cloud recording, started, recorded on and off and stopped: an ended
//!   and recorded meeting, with history, attendance, control records and a
//!   recording;
//! - an operation of the `recurring_meetings` group that names a meeting
//!   runs on a series created with `create_recurring_meeting`, and the
//!   strings under a name that contains `subConf` (`cycleSubConfID`,
//!   `cycleSubConfIDs`) map, in order, to the series' sub-meetings;
//! - an operation that changes a meeting through a management path
//!   (`PUT /v1/mmc/management/...` naming a meeting: `update_meeting`)
//!   runs on a meeting created with `create_meeting` for a later time,
//!   not started: the service changes only a meeting that has not started;
//! - an `id` parameter of the `webhooks` group maps to the id of event-push
//!   settings set with `set_web_hook_config` (read back with
//!   `show_web_hook_config`);
//! - the directory chapters keep real state: a department code the example
//!   names (`deptCode`, `parentDeptCode`, `dept_code`) is added with
//!   `add_department` if it does not exist, and a path `account` with
//!   `add_user`; what a `POST` of the `departments` or `users` group
//!   creates (its body `deptCode`, `account`, `phone`, `email`) gets a
//!   fresh value when the example's exists already; the `dept_code` of a
//!   `DELETE` maps to a department added for it; an `app_id` parameter
//!   maps to an application added with `add_app_id`; an `id` parameter of
//!   the `cloud_meeting_rooms` group maps to the caller's personal meeting
//!   ID (read with `search_member_vmr`); the accounts of a whole-body
//!   `accounts` list map to users added for the operation with
//!   `add_user` (a batch delete or disable touches no other example's
//!   user); the IDs of a whole-body `vmrIds` list map to cloud meeting
//!   rooms added for the operation, the one thing prepared with a
//!   simulator shortcut (`add_cloud_meeting_room`: no API adds a room),
//!   unassigned, or assigned to the path's `account` when the operation
//!   takes rooms back (its path says `recycle`).
//!
//! The call goes through `client.send` or, for an operation that needs a
//! meeting control token, through a `Conference` handle. On success the
//! simulator must have routed it to that very operation (its request log)
//! and, when the operation names a meeting:
//!
//! - recorded it in the meeting; except
//! - a read of the management API (`GET` with an access token), which the
//!   service does not count as a call on the meeting: the request the
//!   simulator logged must carry the meeting's ID;
//! - a `DELETE` may remove the meeting (`cancel_meeting`): then the meeting
//!   must be gone.

use std::path::PathBuf;

use hwmeeting_blocking::model::{
    AddAppIdRequest, AddDepartmentRequest, AddUserRequest, CreateMeetingRequest,
    CreateRecurringMeetingRequest, CycleParams, PasswordRole, RecordRequest, RecordSwitch,
    RecordType, RecurrenceCycle, SearchMemberVmrRequest, SetWebHookConfigRequest,
    ShowDeptAndChildDeptRequest, ShowUserDetailRequest, ShowWebHookConfigRequest,
    StartMeetingRequest, StopMeetingRequest,
};
use hwmeeting_core::meta::{Auth, Field, Location, OperationMeta, Type};
use hwmeeting_core::{Credentials, DynamicOperation, Error};
use hwmeeting_sim::{NewConference, NewParticipant, SimConfig, SimHandle, Simulator};
use serde_json::Value;

/// The host password of every meeting of this test.
const HOST_PASSWORD: &str = "host-pw-1";
/// The guest password of every meeting of this test.
const GUEST_PASSWORD: &str = "guest-pw-2";
/// The password of the account the account-login example names.
const ACCOUNT_PASSWORD: &str = "account-pw-3";
/// The participants of every meeting, that example participant IDs map to
/// (the host, `p-host`, is not among them: no example acts on the host).
const PARTICIPANTS: &[&str] = &["p-1", "p-2", "p-3", "p-4"];

/// The operations whose first example cannot succeed against the
/// simulator, with the status and error code expected instead.
const EXPECTED_ERRORS: &[(&str, u16, &str, &str)] = &[
    (
        "app_auth",
        401,
        hwmeeting_sim::codes::USG_AUTH_FAILED,
        "the example is signed for another app ID (and its expireTime has passed); \
         the clients' own app_auth logins succeed throughout this test",
    ),
    (
        "allow_waiting_participant",
        404,
        hwmeeting_sim::codes::MMC_PARTICIPANT_NOT_FOUND,
        "the example admits one member of the waiting room, and the participant it maps \
         to is in the meeting, not waiting (admission is tested in meeting_control)",
    ),
];

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

/// The request of the first example of an operation's spec file.
fn first_example(op: &OperationMeta) -> Value {
    let path = spec_dir().join(format!("{}.json", op.id));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec: Value = serde_json::from_str(&text).expect("the spec file is JSON");
    spec["examples"][0]["request"].clone()
}

/// The parameter that carries the meeting ID (as the simulator finds it).
fn conference_param(op: &OperationMeta) -> Option<&'static Field> {
    op.conference_id_param().or_else(|| {
        op.params
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case("conferenceID"))
    })
}

/// Where an example's request keeps the parameters of a location.
fn location_key(location: Location) -> &'static str {
    match location {
        Location::Path => "path_params",
        Location::Query => "query",
        Location::Header => "headers",
        Location::Body => "body",
        Location::Form => "form",
    }
}

/// Whether a parameter or field name says it holds participant IDs (or
/// numbers: the subscribers of a multi-picture).
fn names_participants(name: &str) -> bool {
    name.to_ascii_lowercase().contains("participant") || name == "pids" || name == "subscriber"
}

/// The number of the `i`th of [`PARTICIPANTS`].
fn participant_number(i: usize) -> String {
    format!("+990000{i}")
}

/// Collects, in order, the strings under participant-ID names.
fn collect_participants(value: &Value, under_participant: bool, out: &mut Vec<String>) {
    match value {
        Value::String(s) if under_participant && !out.contains(s) => out.push(s.clone()),
        Value::Array(items) => {
            for v in items {
                collect_participants(v, under_participant, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                collect_participants(v, under_participant || names_participants(k), out);
            }
        }
        _ => {}
    }
}

/// Replaces every string found in `map` by its image.
fn replace_strings(value: &mut Value, map: &[(String, String)]) {
    match value {
        Value::String(s) => {
            if let Some((_, to)) = map.iter().find(|(from, _)| from == s) {
                *s = to.clone();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| replace_strings(v, map)),
        Value::Object(fields) => fields.values_mut().for_each(|v| replace_strings(v, map)),
        _ => {}
    }
}

/// A text value of a header or query parameter as the parameter's type.
fn typed(field: &Field, value: Value) -> Value {
    match (&value, field.ty) {
        (Value::String(s), Type::Integer) => s.parse::<i64>().map(Value::from).unwrap_or(value),
        (Value::String(s), Type::Boolean) => s.parse::<bool>().map(Value::from).unwrap_or(value),
        _ => value,
    }
}

/// One operation, ready to send.
struct Case {
    op: &'static OperationMeta,
    request: DynamicOperation,
    meeting: String,
    expected_error: Option<(u16, &'static str)>,
}

/// The meeting an operation runs on: running, a host and four
/// participants (with numbers), one member in the waiting room.
fn create_meeting(sim: &SimHandle, id: &str) {
    let mut meeting = NewConference::new(id, HOST_PASSWORD)
        .guest_password(GUEST_PASSWORD)
        .active(true)
        .participant(NewParticipant::new("p-host", "Host").chair());
    for (i, pid) in PARTICIPANTS.iter().enumerate() {
        meeting = meeting.participant(
            NewParticipant::new(*pid, format!("Participant {i}")).phone(participant_number(i)),
        );
    }
    meeting = meeting.waiting(NewParticipant::new("w-1", "Waiting"));
    sim.create_conference(meeting)
        .expect("the meeting is created");
}

/// The parameters of an operation's example that hold meeting UUIDs
/// (`confUUID`, `confUUIDs`), with their values.
fn uuid_values(op: &OperationMeta, example: &Value) -> Vec<String> {
    op.params
        .iter()
        .filter(|p| {
            p.name.eq_ignore_ascii_case("confUUID") || p.name.eq_ignore_ascii_case("confUUIDs")
        })
        .filter_map(|p| example[location_key(p.location)].get(p.name))
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The distinct UUIDs in those values, in order.
fn example_uuids(op: &OperationMeta, example: &Value) -> Vec<String> {
    let mut uuids: Vec<String> = Vec::new();
    for value in uuid_values(op, example) {
        for uuid in value.split(',').map(str::trim) {
            if !uuid.is_empty() && !uuids.iter().any(|u| u == uuid) {
                uuids.push(uuid.to_owned());
            }
        }
    }
    uuids
}

/// Whether the operation acts on a recurring series.
fn acts_on_series(op: &OperationMeta) -> bool {
    op.group == "recurring_meetings" && conference_param(op).is_some()
}

/// Whether the operation changes a meeting through the management API
/// (which changes only a meeting that has not started).
fn changes_schedule(op: &OperationMeta) -> bool {
    op.method == "PUT"
        && op.path.starts_with("/v1/mmc/management/")
        && conference_param(op).is_some()
}

/// The `id` parameter of an event-push operation.
fn webhook_id_param(op: &OperationMeta) -> Option<&'static Field> {
    (op.group == "webhooks")
        .then(|| op.params.iter().find(|p| p.name == "id"))
        .flatten()
}

/// Whether a parameter or field name says it holds sub-meeting IDs.
fn names_sub_meetings(name: &str) -> bool {
    name.to_ascii_lowercase().contains("subconf")
}

/// Collects, in order, the strings under sub-meeting-ID names.
fn collect_sub_meetings(value: &Value, under: bool, out: &mut Vec<String>) {
    match value {
        Value::String(s) if under && !out.contains(s) => out.push(s.clone()),
        Value::Array(items) => {
            for v in items {
                collect_sub_meetings(v, under, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                collect_sub_meetings(v, under || names_sub_meetings(k), out);
            }
        }
        _ => {}
    }
}

/// State prepared through the API for one operation, beyond the running
/// meeting every operation gets.
#[derive(Debug, Default)]
struct Prepared {
    /// The meeting the operation runs on instead of the running one: a
    /// series, or a meeting that has not started.
    meeting: Option<String>,
    /// The series' sub-meeting IDs.
    sub_meetings: Vec<String>,
    /// One ended, recorded meeting's UUID for each UUID of the example.
    uuids: Vec<String>,
    /// The id of the event-push settings.
    webhook: Option<String>,
    /// Directory identifiers of the example and what they map to.
    directory: Vec<(String, String)>,
}

/// The host password in a created meeting's answer.
fn host_password(info: &hwmeeting_blocking::model::ConferenceInfo) -> String {
    info.password_entry
        .iter()
        .flatten()
        .find(|p| p.conference_role == Some(PasswordRole::Chair))
        .and_then(|p| p.password.as_ref())
        .expect("a host password")
        .expose()
        .to_owned()
}

/// A meeting created with cloud recording, started, recorded on and off,
/// and stopped; its UUID.
fn ended_recorded_meeting(client: &hwmeeting_blocking::Client) -> Result<String, Error> {
    let created = client.create_meeting(
        CreateMeetingRequest::new("Voice")
            .subject("Recorded for the examples")
            .record_type(RecordType::Recording),
    )?;
    let info = &created[0];
    let id = info.conference_id.clone().expect("a meeting ID");
    let uuid = info
        .conf_uuid
        .clone()
        .expect("a meeting that starts at once has its UUID");
    let host = host_password(info);
    client.start_meeting(StartMeetingRequest::new(&id, host.clone()))?;
    let meeting = client.conference(&id, host);
    meeting.record(RecordRequest::new(RecordSwitch::Start))?;
    std::thread::sleep(std::time::Duration::from_millis(5));
    meeting.record(RecordRequest::new(RecordSwitch::Stop))?;
    meeting.stop_meeting(StopMeetingRequest::new())?;
    client.forget_conference(&id);
    Ok(uuid)
}

/// A series on Mondays and Wednesdays for two weeks; its ID and its
/// sub-meetings' IDs.
fn series(client: &hwmeeting_blocking::Client) -> Result<(String, Vec<String>), Error> {
    let created = client.create_recurring_meeting(
        CreateRecurringMeetingRequest::new("Voice")
            .subject("Series for the examples")
            .start_time("2030-03-04 08:00")
            .length(30)
            .cycle_params(
                CycleParams::new("2030-03-04", "2030-03-15", RecurrenceCycle::Week, 1)
                    .interval(1)
                    .point(vec![1, 3]),
            ),
    )?;
    let info = &created[0];
    let subs = info
        .sub_confs
        .iter()
        .flatten()
        .map(|s| s.cycle_sub_conf_id.clone())
        .collect();
    Ok((info.conference_id.clone().expect("a meeting ID"), subs))
}

/// A meeting scheduled for a later time, not started; its ID.
fn scheduled_meeting(client: &hwmeeting_blocking::Client) -> Result<String, Error> {
    let created = client.create_meeting(
        CreateMeetingRequest::new("Voice")
            .subject("Scheduled for the examples")
            .start_time("2030-05-17 09:30")
            .length(60),
    )?;
    Ok(created[0].conference_id.clone().expect("a meeting ID"))
}

/// Event-push settings; their id.
fn webhook(client: &hwmeeting_blocking::Client) -> Result<String, Error> {
    client.set_web_hook_config(SetWebHookConfigRequest::new(
        "examples",
        "examples-key",
        "https://hooks.example.com/meeting",
    ))?;
    let shown = client.show_web_hook_config(ShowWebHookConfigRequest::new())?;
    Ok(shown.id.expect("the settings' id"))
}

/// Whether the service answered 404 (the thing asked for does not exist).
fn is_not_found(result: &Result<impl Sized, Error>) -> bool {
    matches!(result, Err(Error::Api { source, .. }) if source.status == 404)
}

/// The string values of the example's parameters with one of `names`, in
/// every location, with their location and name.
fn example_values(example: &Value, names: &[&str]) -> Vec<(Location, String, String)> {
    let mut out = Vec::new();
    for location in [Location::Path, Location::Query, Location::Body] {
        let Some(Value::Object(values)) = example.get(location_key(location)) else {
            continue;
        };
        for (name, value) in values {
            if names.contains(&name.as_str())
                && let Some(text) = value.as_str()
            {
                out.push((location, name.clone(), text.to_owned()));
            }
        }
    }
    out
}

/// A department with this code, added under the root unless it exists.
fn ensure_department(client: &hwmeeting_blocking::Client, code: &str) -> Result<(), Error> {
    let shown = client.show_dept_and_child_dept(ShowDeptAndChildDeptRequest::new(code));
    if is_not_found(&shown) {
        client.add_department(
            AddDepartmentRequest::new(format!("Examples {code}")).dept_code(code),
        )?;
        return Ok(());
    }
    shown.map(drop)
}

/// A value of `base` no user or department has, for a created thing.
fn fresh(base: &str, n: usize) -> String {
    match base.split_once('@') {
        Some((name, domain)) => format!("{name}{n}@{domain}"),
        None if base.starts_with('+') => format!("{base}{n}"),
        None => format!("{base}x{n}"),
    }
}

/// Prepares, through `client`, what the example of a directory operation
/// needs (see the module's documentation).
fn prepare_directory(
    sim: &SimHandle,
    client: &hwmeeting_blocking::Client,
    op: &OperationMeta,
    example: &Value,
    prepared: &mut Prepared,
) -> Result<(), Error> {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let next = || COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let creates = op.method == "POST" && matches!(op.group, "departments" | "users");
    let mut map = |from: &str, to: String| prepared.directory.push((from.to_owned(), to));
    for (location, name, code) in
        example_values(example, &["deptCode", "parentDeptCode", "dept_code"])
    {
        if creates && op.group == "departments" && name == "deptCode" {
            let taken = !is_not_found(
                &client.show_dept_and_child_dept(ShowDeptAndChildDeptRequest::new(&code)),
            );
            if taken {
                map(&code, fresh(&code, next()));
            }
        } else if op.method == "DELETE" && location == Location::Path {
            let own = fresh(&code, next());
            ensure_department(client, &own)?;
            map(&code, own);
        } else {
            ensure_department(client, &code)?;
        }
    }
    let created = example_values(example, &["account", "phone", "email"]);
    if creates && op.group == "users" {
        let taken = created.iter().any(|(_, name, value)| {
            name == "account"
                && !is_not_found(&client.show_user_detail(ShowUserDetailRequest::new(value)))
        });
        // A repeated example repeats its phone and email too.
        if taken {
            for (_, _, value) in &created {
                map(value, fresh(value, next()));
            }
        }
    }
    for (location, name, value) in created {
        if location == Location::Path && name == "account" {
            let shown = client.show_user_detail(ShowUserDetailRequest::new(&value));
            if is_not_found(&shown) {
                client
                    .add_user(AddUserRequest::new(format!("Examples {value}")).account(&value))?;
            } else {
                shown?;
            }
        }
    }
    for (_, _, app_id) in example_values(example, &["app_id"]) {
        let added = client.add_app_id(AddAppIdRequest::new(format!("Examples {}", next())))?;
        map(&app_id, added.app_id.expect("an app ID"));
    }
    // A whole-body list of accounts names users of the operation's own,
    // so that deleting or disabling them touches no other example's user
    // (nor the account the account-login example logs in with).
    let whole_body = op.whole_body().map(|f| f.name);
    let listed = |name: &str| -> Vec<String> {
        match (whole_body == Some(name), example.get("body")) {
            (true, Some(Value::Array(items))) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        }
    };
    for account in listed("accounts") {
        let own = format!("examples{}", next());
        client.add_user(AddUserRequest::new(format!("Examples {own}")).account(&own))?;
        map(&account, own);
    }
    // No API adds a cloud meeting room (a package buys them): the
    // simulator's own call does, unassigned, or assigned to the path's
    // user when the operation takes rooms back from them.
    let takes_back = op.path.contains("recycle");
    let owner = example_values(example, &["account"])
        .into_iter()
        .find(|(location, ..)| *location == Location::Path)
        .map(|(_, _, account)| account);
    for room in listed("vmrIds") {
        let assign_to = owner.as_deref().filter(|_| takes_back);
        let own = sim
            .add_cloud_meeting_room(&format!("Examples room {}", next()), assign_to)
            .unwrap_or_else(|e| panic!("{}: a cloud meeting room: {e}", op.id));
        map(&room, own);
    }
    if op.group == "cloud_meeting_rooms" {
        for (_, _, id) in example_values(example, &["id"]) {
            let mine = client.search_member_vmr(SearchMemberVmrRequest::new())?;
            let room = mine
                .data
                .into_iter()
                .flatten()
                .find_map(|r| r.id)
                .expect("the caller's personal meeting ID");
            map(&id, room);
        }
    }
    Ok(())
}

/// Prepares, through `client`, what the example of `op` needs.
fn prepare_state(
    sim: &SimHandle,
    client: &hwmeeting_blocking::Client,
    op: &OperationMeta,
) -> Result<Prepared, Error> {
    let example = first_example(op);
    let mut prepared = Prepared::default();
    for _ in example_uuids(op, &example) {
        prepared.uuids.push(ended_recorded_meeting(client)?);
    }
    if acts_on_series(op) {
        let (id, subs) = series(client)?;
        prepared.meeting = Some(id);
        prepared.sub_meetings = subs;
    } else if changes_schedule(op) {
        prepared.meeting = Some(scheduled_meeting(client)?);
    }
    if webhook_id_param(op).is_some() {
        prepared.webhook = Some(webhook(client)?);
    }
    if matches!(
        op.group,
        "users" | "departments" | "address_book" | "cloud_meeting_rooms" | "app_ids"
    ) {
        prepare_directory(sim, client, op, &example, &mut prepared)?;
    }
    Ok(prepared)
}

/// Builds the request of `op` from its first example, for meeting
/// `meeting` (or the prepared one), with `access_token` for a token to
/// check.
fn prepare(
    op: &'static OperationMeta,
    meeting: String,
    access_token: &str,
    prepared: &Prepared,
) -> Case {
    let mut example = first_example(op);
    let meeting = prepared.meeting.clone().unwrap_or(meeting);
    let mut mapping: Vec<(String, String)> = Vec::new();
    if let Some(field) = conference_param(op)
        && let Some(Value::String(id)) = example[location_key(field.location)].get(field.name)
    {
        mapping.push((id.clone(), meeting.clone()));
    }
    let uuids: Vec<(String, String)> = example_uuids(op, &example)
        .into_iter()
        .zip(prepared.uuids.iter().cloned())
        .collect();
    for value in uuid_values(op, &example) {
        let mapped: Vec<String> = value
            .split(',')
            .map(|u| {
                uuids
                    .iter()
                    .find(|(from, _)| from == u.trim())
                    .map_or_else(|| u.to_owned(), |(_, to)| to.clone())
            })
            .collect();
        mapping.push((value, mapped.join(",")));
    }
    mapping.extend(uuids);
    if !prepared.sub_meetings.is_empty() {
        let mut subs = Vec::new();
        collect_sub_meetings(&example["query"], false, &mut subs);
        collect_sub_meetings(&example["body"], false, &mut subs);
        for (i, sub) in subs.into_iter().enumerate() {
            let to = prepared.sub_meetings[i % prepared.sub_meetings.len()].clone();
            mapping.push((sub, to));
        }
    }
    if let (Some(field), Some(id)) = (webhook_id_param(op), &prepared.webhook)
        && let Some(Value::String(from)) = example[location_key(field.location)].get(field.name)
    {
        mapping.push((from.clone(), id.clone()));
    }
    mapping.extend(prepared.directory.iter().cloned());
    let mut pids = Vec::new();
    collect_participants(&example["query"], false, &mut pids);
    collect_participants(&example["body"], false, &mut pids);
    for (i, pid) in pids.into_iter().enumerate() {
        let i = i % PARTICIPANTS.len();
        let to = if pid.starts_with('+') {
            participant_number(i)
        } else {
            PARTICIPANTS[i].to_owned()
        };
        mapping.push((pid, to));
    }
    replace_strings(&mut example, &mapping);

    let credential_header = op.auth.header();
    let mut request = DynamicOperation::new(op);
    // A body that is one list or dictionary: the example's body is it.
    if let Some(whole) = op.whole_body()
        && let Some(body) = example.get("body").filter(|b| !b.is_null())
    {
        request
            .set_in(Location::Body, whole.name, body.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", op.id));
    }
    // An upload sends a small picture.
    for file in op.params.iter().filter(|p| matches!(p.ty, Type::File)) {
        let part = hwmeeting_core::upload::FilePart::from_bytes(
            hwmeeting_tests::VALID_FILE,
            "picture.png",
        );
        request
            .set_file(file.name, part)
            .unwrap_or_else(|e| panic!("{}: {e}", op.id));
    }
    for location in [
        Location::Path,
        Location::Query,
        Location::Header,
        Location::Body,
    ] {
        if location == Location::Body && op.whole_body().is_some() {
            continue;
        }
        let Some(Value::Object(values)) = example.get(location_key(location)) else {
            continue;
        };
        for (name, value) in values.clone() {
            if credential_header.is_some_and(|h| h.eq_ignore_ascii_case(&name)) {
                continue;
            }
            let Some(field) = op
                .params_in(location)
                .find(|f| f.name.eq_ignore_ascii_case(&name))
            else {
                assert_ne!(
                    location,
                    Location::Body,
                    "{}: the example's body field `{name}` is not in the spec",
                    op.id
                );
                continue; // a credential header the client sets
            };
            let value = if field.secret {
                let lower = field.name.to_ascii_lowercase();
                let masked = value
                    .as_str()
                    .is_some_and(|s| !s.is_empty() && s.chars().all(|c| c == '*'));
                let names_meeting = conference_param(op).is_some();
                if (lower.contains("pw") || lower.contains("password")) && (names_meeting || masked)
                {
                    Value::from(HOST_PASSWORD)
                } else if lower.contains("token") {
                    Value::from(access_token)
                } else {
                    value
                }
            } else {
                typed(field, value)
            };
            request
                .set_in(location, field.name, value)
                .unwrap_or_else(|e| panic!("{}: {e}", op.id));
        }
    }
    let expected_error = EXPECTED_ERRORS
        .iter()
        .find(|(id, ..)| *id == op.id)
        .map(|(_, status, code, _)| (*status, *code));
    Case {
        op,
        request,
        meeting,
        expected_error,
    }
}

/// Whether the operation is sent through a meeting handle.
fn needs_handle(op: &OperationMeta) -> bool {
    matches!(op.auth, Auth::ConferenceToken { .. })
}

/// Whether the operation reads the management API: the service does not
/// count it as a call on the meeting it names.
fn is_management_read(op: &OperationMeta) -> bool {
    op.method == "GET" && matches!(op.auth, Auth::AccessToken { .. })
}

/// Whether the operation logs in with an account password.
fn is_basic(op: &OperationMeta) -> bool {
    matches!(op.auth, Auth::Basic { .. })
}

/// Checks the outcome of one case; returns a failure description.
fn check(sim: &SimHandle, case: &Case, result: Result<Value, Error>) -> Result<(), String> {
    let id = case.op.id;
    match (result, case.expected_error) {
        (Ok(_), None) => {}
        (Err(e), Some((status, code))) => {
            let api = e
                .api_error()
                .ok_or_else(|| format!("{id}: expected an API error, got {e}"))?;
            if api.status != status || api.error_code.as_deref() != Some(code) {
                return Err(format!(
                    "{id}: expected {status} {code}, got {} {:?}",
                    api.status, api.error_code
                ));
            }
            return Ok(());
        }
        (Ok(v), Some(_)) => return Err(format!("{id}: expected an error, got {v}")),
        (Err(e), None) => return Err(format!("{id}: {e}")),
    }
    let routed = sim
        .requests()
        .iter()
        .any(|r| r.operation.as_deref() == Some(id) && r.status == Some(200));
    if !routed {
        return Err(format!("{id}: the simulator logged no 200 answer of it"));
    }
    if conference_param(case.op).is_some() {
        let Some(snapshot) = sim.conference(&case.meeting) else {
            // A DELETE may remove the meeting: that is its effect.
            if case.op.method == "DELETE" {
                return Ok(());
            }
            return Err(format!("{id}: meeting {} is gone", case.meeting));
        };
        if is_management_read(case.op) {
            // Not a call on the meeting: the request names it.
            let named = sim.requests().iter().any(|r| {
                r.operation.as_deref() == Some(id)
                    && r.status == Some(200)
                    && r.query
                        .values()
                        .chain(r.body.as_object().into_iter().flat_map(|b| b.values()))
                        .any(|v| v.as_str() == Some(case.meeting.as_str()))
            });
            if !named {
                return Err(format!(
                    "{id}: no request of it named meeting {}",
                    case.meeting
                ));
            }
        } else if !snapshot.operations().contains(&id) {
            return Err(format!(
                "{id}: not recorded in meeting {}: {:?}",
                case.meeting,
                snapshot.operations()
            ));
        }
    }
    Ok(())
}

/// The account the account-login example names (its user name field), so
/// that example can log in.
fn example_account() -> Option<String> {
    hwmeeting_api::operations()
        .iter()
        .find_map(|op| match op.auth {
            Auth::Basic { username_field, .. } => first_example(op)["body"][username_field]
                .as_str()
                .map(str::to_owned),
            _ => None,
        })
}

fn simulator() -> SimHandle {
    let mut config = SimConfig::default();
    if let Some(account) = example_account() {
        config = config.account(account, ACCOUNT_PASSWORD);
    }
    Simulator::spawn(config).expect("the simulator starts")
}

fn account_credentials() -> Credentials {
    Credentials::account(
        example_account().expect("an account login example"),
        ACCOUNT_PASSWORD,
    )
}

fn report(failures: Vec<String>, client: &str) {
    assert!(
        failures.is_empty(),
        "{client}: {} operation(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_spec_file_is_an_operation() {
    let ids: Vec<&str> = hwmeeting_api::operations().iter().map(|op| op.id).collect();
    for entry in std::fs::read_dir(spec_dir()).expect("spec/") {
        let path = entry.expect("an entry").path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().is_some_and(|e| e == "json") && stem != "schema" {
            assert!(ids.contains(&stem.as_str()), "{stem} is not generated");
        }
    }
    for (id, _, _, reason) in EXPECTED_ERRORS {
        assert!(
            ids.contains(id),
            "unknown operation {id} in EXPECTED_ERRORS"
        );
        assert!(!reason.is_empty());
    }
}

#[test]
fn every_operation_through_the_blocking_client() {
    let sim = simulator();
    let client = hwmeeting_tests::blocking_client(&sim);
    let account_client = hwmeeting_blocking::Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(sim.ca_pem().expect("TLS is on"))
        .credentials(account_credentials())
        .build()
        .expect("the client builds");
    let mut failures = Vec::new();
    for (i, op) in hwmeeting_api::operations().iter().copied().enumerate() {
        let meeting = format!("71{i:05}");
        create_meeting(&sim, &meeting);
        let prepared = match prepare_state(&sim, &client, op) {
            Ok(prepared) => prepared,
            Err(e) => {
                failures.push(format!("{}: preparing its state: {e}", op.id));
                continue;
            }
        };
        let token = client.access_token().expect("a login");
        let case = prepare(op, meeting, token.expose(), &prepared);
        let result = if needs_handle(op) {
            client
                .conference(case.meeting.clone(), HOST_PASSWORD)
                .send(case.request.clone())
        } else if is_basic(op) {
            account_client.send(case.request.clone())
        } else {
            client.send(case.request.clone())
        };
        if let Err(failure) = check(&sim, &case, result) {
            failures.push(failure);
        }
    }
    report(failures, "blocking");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_through_the_async_client() {
    let sim = simulator();
    let client = hwmeeting_tests::async_client(&sim);
    let preparer = hwmeeting_tests::blocking_client(&sim);
    let account_client = hwmeeting_async::Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(sim.ca_pem().expect("TLS is on"))
        .credentials(account_credentials())
        .build()
        .expect("the client builds");
    let mut failures = Vec::new();
    for (i, op) in hwmeeting_api::operations().iter().copied().enumerate() {
        let meeting = format!("72{i:05}");
        create_meeting(&sim, &meeting);
        // Prepared through the blocking client (the same credentials): the
        // state, not the client, is what the example needs.
        let prepared = match prepare_state(&sim, &preparer, op) {
            Ok(prepared) => prepared,
            Err(e) => {
                failures.push(format!("{}: preparing its state: {e}", op.id));
                continue;
            }
        };
        let token = client.access_token().await.expect("a login");
        let case = prepare(op, meeting, token.expose(), &prepared);
        let result = if needs_handle(op) {
            client
                .conference(case.meeting.clone(), HOST_PASSWORD)
                .send(case.request.clone())
                .await
        } else if is_basic(op) {
            account_client.send(case.request.clone()).await
        } else {
            client.send(case.request.clone()).await
        };
        if let Err(failure) = check(&sim, &case, result) {
            failures.push(failure);
        }
    }
    report(failures, "async");
}

/// After `delete_token` the client's cached token is gone: the next call
/// logs in again (a second `app_auth`) and succeeds.
#[test]
fn a_logout_drops_the_cached_token_and_the_next_call_logs_in_again() {
    let sim = simulator();
    let client = hwmeeting_tests::blocking_client(&sim);
    let first = client.access_token().expect("a login");
    client
        .send(hwmeeting_api::dynamic("delete_token").unwrap())
        .expect("the logout succeeds");
    let second = client.access_token().expect("a second login");
    assert_ne!(first.expose(), second.expose());
    let logins = sim
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("app_auth"))
        .count();
    assert_eq!(logins, 2);
}
