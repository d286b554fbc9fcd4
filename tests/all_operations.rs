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
//!   meeting's host password, one whose name says token gets the client's
//!   live access token;
//! - the credential headers are left to the client; a text header or query
//!   value is converted to the parameter's type.
//!
//! The call goes through `client.send` or, for an operation that needs a
//! meeting control token, through a `Conference` handle. On success the
//! simulator must have routed it to that very operation (its request log)
//! and recorded it in the meeting when the operation names one.

use std::path::PathBuf;

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

fn location_key(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "headers",
        Location::Body => "body",
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

/// Builds the request of `op` from its first example, for meeting
/// `meeting`, with `access_token` for a token to check.
fn prepare(op: &'static OperationMeta, meeting: String, access_token: &str) -> Case {
    let mut example = first_example(op);
    let mut mapping: Vec<(String, String)> = Vec::new();
    if let Some(field) = conference_param(op)
        && let Some(Value::String(id)) = example[location_key(field.location)].get(field.name)
    {
        mapping.push((id.clone(), meeting.clone()));
    }
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
    for location in [
        Location::Path,
        Location::Query,
        Location::Header,
        Location::Body,
    ] {
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
                if lower.contains("pw") || lower.contains("password") {
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
        let snapshot = sim
            .conference(&case.meeting)
            .ok_or_else(|| format!("{id}: meeting {} is gone", case.meeting))?;
        if !snapshot.operations().contains(&id) {
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
        let token = client.access_token().expect("a login");
        let case = prepare(op, meeting, token.expose());
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
        let token = client.access_token().await.expect("a login");
        let case = prepare(op, meeting, token.expose());
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
