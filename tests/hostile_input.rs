//! Hostile input, from the caller and from the service:
//!
//! - CR, LF and NUL in every string that becomes a header (spec
//!   parameters and credentials): refused naming the header, nothing sent;
//! - `&`, `=`, `#`, `%`, `+`, spaces, control characters and non-ASCII in
//!   query values and JSON strings: they arrive intact and cannot add
//!   parameters;
//! - 100 KB strings: a clear error or a clean send, never a panic;
//! - empty lists;
//! - answers with unknown coded values (decoded as `Unknown`), extra,
//!   missing and wrongly typed fields (typed `Decode` error or ignored,
//!   never a panic).

use std::time::{Duration, Instant};

use hwmeeting_api::model::{
    AccessTokenType, AccountAuthRequest, AppAuthRequest, ApplyChair, CameraInvitation,
    CreateConfTokenRequest, HangUpRequest, InviteOperateVideoRequest, Language, SetRoleRequest,
    StartMeetingRequest,
};
use hwmeeting_api::operations;
use hwmeeting_core::lenient::Lenient;
use hwmeeting_core::meta::{Field, Location, OperationMeta, Type};
use hwmeeting_core::{BuildError, Credentials, Endpoint, Error, Operation, Secret};
use hwmeeting_sim::{NewConference, NewParticipant, SimConfig, SimHandle, Simulator};
use hwmeeting_tests::{
    AnyClient, CONFERENCE, Flavor, HOST_PASSWORD, Settings, answer_value, typed_decode,
    valid_request, valid_value, with_credential,
};
use serde_json::{Value, json};

/// Strings that would break a header, or smuggle another one in.
const BAD_HEADER_VALUES: &[&str] = &[
    "a\rb",
    "a\nb",
    "a\0b",
    "tok\r\nX-Injected: 1",
    "\r\n\r\nGET /evil HTTP/1.1\r\nHost: x",
    "ends-with-lf\n",
    "a\u{7f}b",
];

/// 100 KB of text.
fn huge() -> String {
    "x".repeat(100 * 1024)
}

/// 100 KB of text, not ASCII.
fn huge_unicode() -> String {
    "é中🙂".repeat(100 * 1024 / 9)
}

fn sim() -> SimHandle {
    Simulator::spawn(SimConfig::default().demo(true)).expect("the simulator starts")
}

fn client(flavor: Flavor, sim: &SimHandle) -> AnyClient {
    let mut s = Settings::sim(sim);
    s.attempt_timeout = Duration::from_secs(3);
    s.total_timeout = Duration::from_secs(6);
    AnyClient::build(flavor, &s).expect("the client builds")
}

fn assert_build_error_naming(err: &Error, parameter: &str) {
    match err {
        Error::Build { source, .. } => {
            assert_eq!(
                source.parameter(),
                Some(parameter),
                "the error names `{parameter}`: {err}"
            );
            assert!(err.to_string().contains(parameter), "{err}");
        }
        other => panic!("expected a Build error naming `{parameter}`, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Headers

/// Every string parameter the spec puts in a header, of every operation,
/// with every bad value: refused before building, naming it.
#[test]
fn every_header_parameter_refuses_cr_lf_and_nul() {
    let key = Secret::new("credential");
    let mut tried = 0;
    for meta in operations() {
        for param in meta.params_in(Location::Header) {
            if param.ty != Type::String {
                continue;
            }
            for bad in BAD_HEADER_VALUES {
                tried += 1;
                let mut op = valid_request(meta);
                op.set_in(Location::Header, param.name, json!(bad)).unwrap();
                let err = with_credential(meta, &key, |c| op.to_http(&Endpoint::default(), c))
                    .expect_err("a bad header value is refused");
                assert_build_error_naming(&err, param.name);
                if param.enumeration.is_none() {
                    let text = err.to_string();
                    assert!(
                        text.contains("HTTP header"),
                        "{}: the reason says why: {text}",
                        meta.id
                    );
                }
            }
        }
    }
    assert!(tried >= 4 * BAD_HEADER_VALUES.len(), "{tried}");
    eprintln!("bad values tried in header parameters: {tried}");
}

/// Credentials become headers too: a token with CR or LF is refused
/// naming its header.
#[test]
fn every_credential_header_refuses_cr_lf_and_nul() {
    let mut tried = 0;
    for meta in operations() {
        let Some(header) = meta.auth.header() else {
            continue;
        };
        for bad in BAD_HEADER_VALUES {
            tried += 1;
            let secret = Secret::new(*bad);
            let op = valid_request(meta);
            let result = with_credential(meta, &secret, |c| op.to_http(&Endpoint::default(), c));
            match meta.auth {
                // Signed or base64-encoded: whatever the key or password,
                // the header is clean.
                hwmeeting_core::meta::Auth::AppSignature { .. }
                | hwmeeting_core::meta::Auth::Basic { .. } => {
                    let request = result.expect("a signature header is always valid");
                    assert!(request.headers()[header].is_sensitive());
                }
                _ => assert_build_error_naming(&result.unwrap_err(), header),
            }
        }
    }
    eprintln!("bad values tried in credential headers: {tried}");
}

/// What a hostile header case sends, through a client of the simulator.
type HeaderCase = (
    &'static str,
    fn(&SimHandle, Flavor, &str) -> Result<(), Error>,
);

fn header_cases() -> Vec<HeaderCase> {
    vec![
        ("X-Password", |sim, flavor, bad| {
            client(flavor, sim)
                .conference(CONFERENCE, bad)
                .control_token()
                .map(drop)
        }),
        ("X-Nonce", |sim, flavor, bad| {
            client(flavor, sim)
                .execute(
                    CreateConfTokenRequest::new(HOST_PASSWORD)
                        .conference_id(CONFERENCE)
                        .nonce(bad),
                )
                .map(drop)
        }),
        ("X-Conference-Authorization", |sim, flavor, bad| {
            client(flavor, sim)
                .execute(
                    CreateConfTokenRequest::new(HOST_PASSWORD)
                        .conference_id(CONFERENCE)
                        .conference_authorization(bad),
                )
                .map(drop)
        }),
        ("X-Conference-Authorization", |sim, flavor, bad| {
            client(flavor, sim)
                .conference_with_token(CONFERENCE, bad)
                .execute(SetRoleRequest::new("p-bob", ApplyChair::Relinquish))
                .map(drop)
        }),
        ("X-Access-Token", |sim, flavor, bad| {
            let s = Settings::sim(sim).with_credentials(Credentials::access_token(bad));
            AnyClient::build(flavor, &s)
                .unwrap()
                .execute(StartMeetingRequest::new(CONFERENCE, HOST_PASSWORD))
                .map(drop)
        }),
        ("X-Token-Type", |sim, flavor, bad| {
            client(flavor, sim)
                .execute(
                    AppAuthRequest::new(sim.app_id(), 0, "0123456789abcdef0123456789abcdef")
                        .token_type(AccessTokenType::Unknown(bad.to_owned())),
                )
                .map(drop)
        }),
        ("Accept-Language", |sim, flavor, bad| {
            let s = Settings::sim(sim).with_credentials(Credentials::account(
                hwmeeting_sim::DEFAULT_ACCOUNT,
                hwmeeting_sim::DEFAULT_ACCOUNT_PASSWORD,
            ));
            AnyClient::build(flavor, &s)
                .unwrap()
                .execute(
                    AccountAuthRequest::new(hwmeeting_sim::DEFAULT_ACCOUNT)
                        .accept_language(Language::Unknown(bad.to_owned())),
                )
                .map(drop)
        }),
    ]
}

/// Through both clients, end to end: refused naming the header, and the
/// simulator received nothing at all.
#[test]
fn both_clients_refuse_bad_headers_and_send_nothing() {
    let cases = header_cases();
    for flavor in Flavor::ALL {
        let sim = sim();
        for (header, case) in &cases {
            for bad in BAD_HEADER_VALUES {
                let err = case(&sim, flavor, bad).expect_err("refused");
                assert_build_error_naming(&err, header);
                assert!(
                    sim.requests().is_empty(),
                    "{flavor:?} {header}: sent {:?}",
                    sim.requests()
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Query values and JSON strings

/// A meeting ID and participant IDs made of what a query string is made
/// of.
const HOSTILE_MEETING: &str = "9&conferenceID=1#frag%2F é中+?x=y";
const HOSTILE_PARTICIPANT: &str = "p&participantID=evil=1#f%00 +é🙂\r\n;/?%zz";
const HOSTILE_JSON: &str = "q\"uote\\back\u{2028}\u{0}\t</script>";

#[test]
fn query_values_and_json_strings_arrive_intact() {
    for flavor in Flavor::ALL {
        let sim = Simulator::spawn(SimConfig::default()).unwrap();
        sim.create_conference(
            NewConference::new(HOSTILE_MEETING, HOST_PASSWORD)
                .participant(NewParticipant::new(HOSTILE_PARTICIPANT, "Eve"))
                .participant(NewParticipant::new(HOSTILE_JSON, "Mallory"))
                .participant(NewParticipant::new("p-alice", "Alice")),
        )
        .unwrap();
        let client = client(flavor, &sim);
        client
            .execute(StartMeetingRequest::new(HOSTILE_MEETING, HOST_PASSWORD))
            .expect("the meeting starts");
        let meeting = client.conference(HOSTILE_MEETING, HOST_PASSWORD);
        meeting
            .execute(
                SetRoleRequest::new(HOSTILE_PARTICIPANT, ApplyChair::Apply)
                    .chairman_pwd(HOST_PASSWORD),
            )
            .expect("set_role");
        meeting
            .execute(InviteOperateVideoRequest::new(
                HOSTILE_PARTICIPANT,
                CameraInvitation::Disable,
            ))
            .expect("invite_operate_video");
        meeting
            .execute(HangUpRequest::new([HOSTILE_JSON]))
            .expect("hang_up");

        let state = sim.conference(HOSTILE_MEETING).expect("the meeting");
        assert_eq!(state.chair(), Some(HOSTILE_PARTICIPANT), "{flavor:?}");
        assert!(state.participant(HOSTILE_JSON).is_none(), "{flavor:?}");
        // The decoded query has exactly the parameters sent, intact.
        for r in sim.requests() {
            let expected = match r.operation.as_deref() {
                Some("create_conf_token") => json!({"conferenceID": HOSTILE_MEETING}),
                Some("set_role" | "invite_operate_video") => {
                    json!({"conferenceID": HOSTILE_MEETING, "participantID": HOSTILE_PARTICIPANT})
                }
                Some("hang_up") => {
                    assert_eq!(
                        r.body,
                        json!({"bulkHangUpParticipants": [HOSTILE_JSON]}),
                        "{flavor:?}"
                    );
                    json!({"conferenceID": HOSTILE_MEETING})
                }
                _ => json!({}),
            };
            assert_eq!(
                Value::Object(r.query.clone()),
                expected,
                "{flavor:?} {:?}",
                r.operation
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Long values and empty lists

/// Every string parameter of every operation at 100 KB (ASCII and not),
/// every list empty or with 10,000 items, every string empty: an error
/// naming it exactly when the spec forbids the value, else a request;
/// never a panic.
#[test]
fn long_strings_empty_strings_and_empty_lists_never_panic() {
    let key = Secret::new("credential");
    let (huge, unicode) = (huge(), huge_unicode());
    let mut tried = 0;
    for meta in operations() {
        for param in meta.params {
            let mut values: Vec<Value> = match param.ty {
                Type::String => vec![json!(huge), json!("")],
                Type::Array(item) => {
                    let mut v = vec![json!([]), json!(vec![valid_value(item); 10_000])];
                    if item.ty == Type::String {
                        v.push(json!([huge]));
                        v.push(json!([""]));
                    }
                    v
                }
                _ => vec![],
            };
            // Not ASCII: fine in a query and a body, and sent as UTF-8 in a
            // header.
            if param.ty == Type::String {
                values.push(json!(unicode));
            }
            for value in values {
                tried += 1;
                let mut op = valid_request(meta);
                op.set_in(param.location, param.name, value.clone())
                    .unwrap();
                let result = with_credential(meta, &key, |c| op.to_http(&Endpoint::default(), c));
                let refused = refused_by_spec(param, &value);
                match result {
                    Err(Error::Build { source, .. }) => {
                        let named = source.parameter().unwrap_or_default();
                        assert!(
                            named.starts_with(param.name),
                            "{}.{}: the error names {named:?}: {source}",
                            meta.id,
                            param.name
                        );
                        assert!(refused, "{}.{}: refused: {source}", meta.id, param.name);
                        // The reason does not echo a huge input back.
                        if let Some(text) = value.as_str().filter(|t| t.len() > 1000) {
                            let head: String = text.chars().take(100).collect();
                            assert!(
                                !source.to_string().contains(&head),
                                "{}.{}: the error echoes the input",
                                meta.id,
                                param.name
                            );
                        }
                    }
                    Err(other) => panic!("{}.{}: {other:?}", meta.id, param.name),
                    Ok(_) => assert!(
                        !refused,
                        "{}.{}: accepted {:.40}",
                        meta.id,
                        param.name,
                        value.to_string()
                    ),
                }
            }
        }
    }
    eprintln!("long, empty and non-ASCII parameter values tried: {tried}");
}

/// Whether the spec's limits refuse `value` for `field` (lengths, counts,
/// emptiness).
fn refused_by_spec(field: &Field, value: &Value) -> bool {
    let c = &field.constraints;
    // Dynamic requests check coded values strictly.
    if let Some(e) = field.enumeration
        && !e.values.iter().any(|v| v.value.matches(value))
    {
        return true;
    }
    match (field.ty, value) {
        (Type::String, Value::String(s)) => {
            let n = s.chars().count() as u64;
            c.max_length.is_some_and(|max| n > max)
                || c.min_length.is_some_and(|min| n < min)
                || (s.is_empty() && field.required && field.location != Location::Body)
                || field.time.is_some_and(|format| !time_text_ok(format, s))
                || (matches!(field.location, Location::Path | Location::Query)
                    && hwmeeting_core::validate::url_encoded_len(s)
                        > hwmeeting_core::validate::MAX_URL_VALUE)
        }
        (Type::Array(item), Value::Array(list)) => {
            let n = list.len() as u64;
            c.min_items.is_some_and(|min| n < min)
                || c.max_items.is_some_and(|max| n > max)
                || (matches!(field.location, Location::Path | Location::Query)
                    && hwmeeting_core::validate::url_list_len(list)
                        > hwmeeting_core::validate::MAX_URL_VALUE)
                || list.iter().any(|v| refused_by_spec(item, v))
        }
        _ => false,
    }
}

/// Whether a text is a point in time of `format` (an empty meeting time
/// means "now").
fn time_text_ok(format: hwmeeting_core::meta::TimeFormat, text: &str) -> bool {
    use hwmeeting_core::meta::TimeFormat;
    match format {
        TimeFormat::MinuteUtc => {
            text.is_empty() || hwmeeting_core::time::parse_minute_utc(text).is_ok()
        }
        TimeFormat::Date => hwmeeting_core::time::parse_date(text).is_ok(),
        TimeFormat::UnixMillis => false,
    }
}

/// A 100 KB value the spec allows goes on the wire and comes back as a
/// clean answer or a clean error; one it does not is refused before
/// anything is sent, even a login or a control-token request.
#[test]
fn long_values_through_both_clients() {
    let huge = huge();
    for flavor in Flavor::ALL {
        let sim = sim();
        // Refused before anything is sent: not even a login or a control
        // token is fetched for a request that cannot be built.
        let fresh = client(flavor, &sim);
        let meeting = fresh.conference(CONFERENCE, HOST_PASSWORD);
        let err = meeting
            .execute(SetRoleRequest::new(huge.as_str(), ApplyChair::Relinquish))
            .unwrap_err();
        assert_build_error_naming(&err, "participantID");
        let err = meeting
            .execute(SetRoleRequest::new("p-bob", ApplyChair::Apply).chairman_pwd(huge.as_str()))
            .unwrap_err();
        assert_build_error_naming(&err, "chairmanPwd");
        let err = meeting
            .execute(HangUpRequest::new([huge.as_str()]))
            .unwrap_err();
        assert_build_error_naming(&err, "bulkHangUpParticipants[0]");
        let err = meeting
            .execute(HangUpRequest::new(Vec::<String>::new()))
            .unwrap_err();
        assert_build_error_naming(&err, "bulkHangUpParticipants");
        let err = fresh
            .execute(StartMeetingRequest::new(huge.as_str(), HOST_PASSWORD))
            .unwrap_err();
        assert_build_error_naming(&err, "conferenceID");
        let err = fresh
            .conference(huge.as_str(), HOST_PASSWORD)
            .control_token()
            .unwrap_err();
        assert_build_error_naming(&err, "conferenceID");
        assert!(
            sim.requests().is_empty(),
            "{flavor:?}: sent {:?}",
            sim.requests()
                .iter()
                .map(|r| r.operation.clone())
                .collect::<Vec<_>>()
        );

        // Allowed by the spec: sent, and answered.
        client(flavor, &sim)
            .execute(StartMeetingRequest::new(CONFERENCE, HOST_PASSWORD))
            .expect("the meeting starts");
        let nonce = "nonce-é中🙂 \t~";
        client(flavor, &sim)
            .execute(
                CreateConfTokenRequest::new(HOST_PASSWORD)
                    .conference_id(CONFERENCE)
                    .nonce(nonce),
            )
            .expect("a non-ASCII header value is sent as UTF-8");
        let sent = sim
            .requests()
            .into_iter()
            .rfind(|r| r.operation.as_deref() == Some("create_conf_token"))
            .unwrap();
        assert_eq!(sent.headers.get("x-nonce").map(String::as_str), Some(nonce));
        let started = Instant::now();
        let result = fresh.execute(
            CreateConfTokenRequest::new(HOST_PASSWORD)
                .conference_id(CONFERENCE)
                .nonce(huge.as_str()),
        );
        clean(flavor, "a 100 KB X-Nonce", result.map(drop), started);
        let s = Settings::sim(&sim).with_credentials(Credentials::access_token(huge.as_str()));
        let started = Instant::now();
        let result = AnyClient::build(flavor, &s)
            .unwrap()
            .execute(StartMeetingRequest::new(CONFERENCE, HOST_PASSWORD));
        clean(flavor, "a 100 KB access token", result.map(drop), started);
        let s = Settings::sim(&sim).with_credentials(Credentials::app_id(huge.as_str(), "key"));
        let started = Instant::now();
        let result = AnyClient::build(flavor, &s).unwrap().access_token();
        clean(flavor, "a 100 KB app ID", result.map(drop), started);
        let s =
            Settings::sim(&sim).with_credentials(Credentials::app_id(sim.app_id(), huge.as_str()));
        let started = Instant::now();
        let result = AnyClient::build(flavor, &s).unwrap().access_token();
        clean(flavor, "a 100 KB app key", result.map(drop), started);
    }
}

/// A clean outcome: an answer, or an error that names the operation,
/// within the time limits.
fn clean(flavor: Flavor, what: &str, result: Result<(), Error>, started: Instant) {
    assert!(
        started.elapsed() < Duration::from_secs(7),
        "{flavor:?} {what}: took {:?}",
        started.elapsed()
    );
    if let Err(err) = result {
        let text = err.to_string();
        assert!(err.operation().is_some(), "{flavor:?} {what}: {text}");
        assert!(
            text.len() < 2000,
            "{flavor:?} {what}: {} bytes of error",
            text.len()
        );
    }
}

// ---------------------------------------------------------------------------
// Answers

/// Where a field sits in an answer: keys, with `0` for a list item.
type FieldPath = Vec<String>;

/// Every field of an answer, at any depth, with its path.
fn answer_fields(
    fields: &'static [Field],
    prefix: &FieldPath,
    out: &mut Vec<(FieldPath, &'static Field)>,
) {
    for field in fields {
        let mut path = prefix.clone();
        path.push(field.name.to_owned());
        out.push((path.clone(), field));
        let mut ty = field.ty;
        while let Type::Array(item) = ty {
            path.push("0".into());
            ty = item.ty;
        }
        if let Type::Object(object) = ty {
            answer_fields(object.fields, &path, out);
        }
    }
}

fn pointer(path: &FieldPath) -> String {
    path.iter().map(|p| format!("/{p}")).collect()
}

/// Sets the value at `path`, creating the objects and lists on the way.
fn set_at(root: &mut Value, path: &FieldPath, value: Value) {
    let mut at = root;
    for (i, key) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        at = match (key.parse::<usize>(), at) {
            (Ok(index), Value::Array(list)) => {
                while list.len() <= index {
                    list.push(Value::Object(Default::default()));
                }
                &mut list[index]
            }
            (_, Value::Object(map)) => map.entry(key.clone()).or_insert(Value::Null),
            (_, other) => {
                *other = Value::Object(Default::default());
                other
                    .as_object_mut()
                    .unwrap()
                    .entry(key.clone())
                    .or_insert(Value::Null)
            }
        };
        if last {
            *at = value;
            return;
        }
    }
}

fn remove_at(root: &mut Value, path: &FieldPath) {
    let (last, parents) = path.split_last().unwrap();
    let parent = root.pointer_mut(&pointer(&parents.to_vec()));
    if let Some(Value::Object(map)) = parent {
        map.remove(last);
    }
}

/// Decodes `body`, one object of the answer's fields, as the operation's
/// answer: an answer that is a list (`create_meeting`) gets it as its only
/// item, and the decoded item is returned.
fn decode(meta: &OperationMeta, body: &Value) -> Result<Value, Error> {
    let sent = if meta.response_is_list {
        json!([body])
    } else {
        body.clone()
    };
    let output = typed_decode(
        meta.id,
        200,
        &http::HeaderMap::new(),
        sent.to_string().as_bytes(),
    )
    .unwrap_or_else(|| panic!("no typed decoder for {}", meta.id))?;
    Ok(if meta.response_is_list {
        output.get(0).cloned().unwrap_or(Value::Null)
    } else {
        output
    })
}

/// An answer that is a list is read as one: empty or not, and an object
/// in its place is a typed error (or the service's error it carries).
#[test]
fn list_answers_are_lists() {
    let lists: Vec<_> = operations().iter().filter(|m| m.response_is_list).collect();
    assert!(!lists.is_empty(), "create_meeting answers a list");
    let headers = http::HeaderMap::new();
    for meta in lists {
        let empty = typed_decode(meta.id, 200, &headers, b"[]").unwrap();
        assert_eq!(empty.unwrap(), json!([]), "{}", meta.id);
        match typed_decode(meta.id, 200, &headers, b"{\"subject\": \"x\"}").unwrap() {
            Err(Error::Decode { operation, .. }) => assert_eq!(operation, meta.id),
            other => panic!("{}: an object for a list: {other:?}", meta.id),
        }
        let error = br#"{"error_code": "MMC.111071001", "error_msg": "no"}"#;
        match typed_decode(meta.id, 200, &headers, error).unwrap() {
            Err(Error::Api { source, .. }) => {
                assert_eq!(source.error_code.as_deref(), Some("MMC.111071001"))
            }
            other => panic!("{}: an error body: {other:?}", meta.id),
        }
        match typed_decode(meta.id, 200, &headers, b"7").unwrap() {
            Err(Error::Decode { message, .. }) => {
                assert!(message.contains("not a list"), "{message}")
            }
            other => panic!("{}: a number: {other:?}", meta.id),
        }
    }
}

#[test]
fn every_operation_has_a_typed_decoder() {
    for meta in operations() {
        assert!(
            typed_decode(meta.id, 200, &http::HeaderMap::new(), b"{}").is_some(),
            "`{}` is generated but has no spec file",
            meta.id
        );
    }
}

/// Every coded field of every answer, at any depth, with a value the SDK
/// does not know: decoded as `Unknown`, which keeps the value.
#[test]
fn unknown_coded_values_in_answers_decode_as_unknown() {
    let mut tried = 0;
    for meta in operations() {
        let Some(fields) = meta.response else {
            continue;
        };
        let mut all = Vec::new();
        answer_fields(fields, &Vec::new(), &mut all);
        for (path, field) in all {
            let Some(e) = field.enumeration else { continue };
            let unknown = match e.values.first().map(|v| v.value) {
                Some(hwmeeting_core::meta::Literal::Str(_)) => json!("some-new-value"),
                _ => json!(987_654),
            };
            let mut body = answer_value(fields, false);
            set_at(&mut body, &path, unknown.clone());
            let output = decode(meta, &body)
                .unwrap_or_else(|e| panic!("{} {}: {e:?}", meta.id, pointer(&path)));
            assert_eq!(
                output.pointer(&pointer(&path)),
                Some(&unknown),
                "{} {}: kept as Unknown",
                meta.id,
                pointer(&path)
            );
            tried += 1;
        }
    }
    assert!(tried > 0, "the answers have coded fields");
    eprintln!("unknown coded values tried in answers: {tried}");
}

/// Extra fields are ignored; a missing required field is a typed error.
#[test]
fn extra_and_missing_fields_in_answers() {
    for meta in operations() {
        let fields = meta.response.unwrap_or(&[]);
        // Extra fields, at the top and inside every object.
        let mut body = answer_value(fields, false);
        let mut all = Vec::new();
        answer_fields(fields, &Vec::new(), &mut all);
        set_at(
            &mut body,
            &vec!["someNewField".into()],
            json!({"deep": [1, "x", null]}),
        );
        for (path, field) in &all {
            if matches!(field.ty, Type::Object(_)) {
                let mut p = path.clone();
                p.push("anotherNewField".into());
                set_at(&mut body, &p, json!([true]));
            }
        }
        decode(meta, &body).unwrap_or_else(|e| panic!("{}: extra fields: {e:?}", meta.id));
        // Only the required fields, and an empty body.
        decode(meta, &answer_value(fields, true))
            .unwrap_or_else(|e| panic!("{}: required only: {e:?}", meta.id));
        let empty = decode(meta, &json!({}));
        let needs_fields = fields.iter().any(|f| f.required);
        assert_eq!(empty.is_err(), needs_fields, "{}: {empty:?}", meta.id);
        // Each required field missing, at any depth.
        for (path, field) in &all {
            if !field.required || path.iter().any(|p| p == "0") {
                continue;
            }
            let mut body = answer_value(fields, false);
            remove_at(&mut body, path);
            // A required field inside an optional object (or list) makes
            // that object unreadable, and answers are read tolerantly (core
            // `lenient`): the object is then taken as absent.
            let shielded = all.iter().any(|(p, f)| !f.required && path.starts_with(p));
            if shielded {
                decode(meta, &body)
                    .unwrap_or_else(|e| panic!("{} without {}: {e:?}", meta.id, pointer(path)));
                continue;
            }
            match decode(meta, &body) {
                Err(Error::Decode {
                    operation, status, ..
                }) => {
                    assert_eq!(operation, meta.id);
                    assert_eq!(status, 200);
                }
                other => panic!("{} without {}: {other:?}", meta.id, pointer(path)),
            }
        }
    }
}

/// Every field, at any depth, with a value of every JSON type: decoded
/// when the type fits (tolerantly) or the field is optional, a typed
/// `Decode` error when it does not.
#[test]
fn wrongly_typed_fields_in_answers() {
    let values = [
        json!(null),
        json!(true),
        json!(7),
        json!(-7),
        json!(1.5),
        json!(1e300),
        json!(u64::MAX),
        json!("text"),
        json!(""),
        json!([]),
        json!([1, "a"]),
        json!({}),
        json!({"a": 1}),
    ];
    let mut tried = 0;
    for meta in operations() {
        let fields = meta.response.unwrap_or(&[]);
        let mut all = Vec::new();
        answer_fields(fields, &Vec::new(), &mut all);
        for (path, field) in &all {
            for value in &values {
                tried += 1;
                let mut body = answer_value(fields, false);
                set_at(&mut body, path, value.clone());
                // Answers are read tolerantly (core `lenient`): a value
                // that cannot be read is taken as absent when it, or an
                // object or list around it, is optional.
                let shielded = all.iter().any(|(p, f)| !f.required && path.starts_with(p));
                let fits = shielded || reads(field, value);
                match decode(meta, &body) {
                    Ok(_) => assert!(fits, "{} {} = {value}: accepted", meta.id, pointer(path)),
                    Err(Error::Decode { message, .. }) => assert!(
                        !fits,
                        "{} {} = {value}: refused: {message}",
                        meta.id,
                        pointer(path)
                    ),
                    Err(other) => panic!("{} {}: {other:?}", meta.id, pointer(path)),
                }
            }
        }
    }
    eprintln!("wrongly typed answer fields tried: {tried}");
}

/// Whether `value`, present in an answer where `field` is required, is
/// one the generated type of `field` reads tolerantly: scalars by the core's own
/// `lenient` rules (unit-tested there), lists item by item, objects field
/// by field (an optional field may hold anything).
fn reads(field: &Field, value: &Value) -> bool {
    let scalar = |read: fn(Value) -> bool| read(value.clone());
    match field.ty {
        Type::String => scalar(|v| String::read(v).is_ok()),
        Type::Integer => scalar(|v| i64::read(v).is_ok()),
        Type::Number => scalar(|v| f64::read(v).is_ok()),
        Type::Boolean => scalar(|v| bool::read(v).is_ok()),
        Type::Array(item) => value
            .as_array()
            .is_some_and(|list| list.iter().all(|v| reads(item, v))),
        Type::Object(object) => value.as_object().is_some_and(|map| {
            object.fields.iter().all(|f| match map.get(f.name) {
                None => !f.required,
                Some(_) if !f.required => true,
                Some(v) => reads(f, v),
            })
        }),
        Type::Map(values) => value
            .as_object()
            .is_some_and(|map| map.values().all(|v| reads(values, v))),
        // Never in an answer (the spec rules keep files to form parts).
        Type::File => false,
    }
}

/// Whether `value` is one the generated type of `field` takes; `None`
/// when both outcomes are right: serde reads a struct from a JSON list
/// too (its fields in order), so a list where an object belongs may be
/// read or refused.
fn fits(field: &Field, value: &Value) -> Option<bool> {
    if value.is_null() {
        return Some(!field.required);
    }
    Some(match field.ty {
        Type::Map(_) | Type::File => return None,
        Type::String => value.is_string(),
        Type::Integer => value.is_i64(),
        Type::Number => value.is_number(),
        Type::Boolean => value.is_boolean(),
        Type::Array(item) => match value.as_array() {
            None => false,
            Some(list) => {
                let mut all = Some(true);
                for v in list {
                    match (v.is_null(), fits(item, v)) {
                        (true, _) | (_, Some(false)) => return Some(false),
                        (_, None) => all = None,
                        _ => {}
                    }
                }
                return all;
            }
        },
        Type::Object(object) => match value {
            Value::Array(_) => return None,
            Value::Object(map) => {
                let mut all = Some(true);
                for f in object.fields {
                    match map.get(f.name).map_or(Some(!f.required), |v| fits(f, v)) {
                        Some(false) => return Some(false),
                        None => all = None,
                        _ => {}
                    }
                }
                return all;
            }
            _ => false,
        },
    })
}

/// Error statuses with every kind of body, for every operation: an `Api`
/// error with the status, never a panic.
#[test]
fn error_answers_of_every_shape() {
    let bodies: [&[u8]; 8] = [
        b"",
        b"{}",
        b"null",
        b"[1,2]",
        b"<html>502</html>",
        br#"{"error_code": 5, "error_msg": ["x"], "request_id": {}}"#,
        br#"{"errorCode":"MMC.1","errorMsg":"m","requestId":"r"}"#,
        b"\xff\xfe\x00garbage",
    ];
    for meta in operations() {
        for status in [100, 204, 301, 400, 401, 404, 429, 500, 503, 599, 999] {
            for body in bodies {
                let result = typed_decode(meta.id, status, &http::HeaderMap::new(), body).unwrap();
                match (status, &result) {
                    (200..=299, _) => {}
                    (_, Err(Error::Api { source, .. })) => {
                        assert_eq!(source.status, status);
                        assert!(!source.to_string().is_empty());
                    }
                    _ => panic!("{} {status}: {result:?}", meta.id),
                }
            }
        }
    }
}

/// A dynamic request with a value of the wrong JSON type for every
/// parameter: a Build error naming it, never a panic.
#[test]
fn dynamic_parameters_of_the_wrong_type() {
    let key = Secret::new("credential");
    let mut tried = 0;
    for meta in operations() {
        for param in meta.params {
            for value in [
                json!(null),
                json!({"a": 1}),
                json!([[1]]),
                json!(1.5),
                json!(true),
            ] {
                tried += 1;
                let mut op = valid_request(meta);
                op.set_in(param.location, param.name, value.clone())
                    .unwrap();
                let result = with_credential(meta, &key, |c| op.to_http(&Endpoint::default(), c));
                if let Err(err) = &result {
                    assert!(
                        matches!(err, Error::Build { .. }),
                        "{}.{} = {value}: {err:?}",
                        meta.id,
                        param.name
                    );
                }
                if fits(param, &value) != Some(false) {
                    continue;
                }
                // A null is "not given": refused only when required.
                if value.is_null() {
                    let required_now = param.required_if.is_some_and(|cond| {
                        meta.param(cond.parameter)
                            .is_some_and(|sibling| cond.equals.matches(&valid_value(sibling)))
                    });
                    assert_eq!(
                        result.is_err(),
                        (param.required && param.default.is_none()) || required_now,
                        "{}.{} = null: {result:?}",
                        meta.id,
                        param.name
                    );
                    continue;
                }
                let err = result.expect_err("a value of the wrong type is refused");
                let Error::Build { source, .. } = &err else {
                    unreachable!()
                };
                assert!(
                    source
                        .parameter()
                        .is_some_and(|p| p.starts_with(param.name)),
                    "{}.{} = {value}: {err}",
                    meta.id,
                    param.name
                );
            }
        }
    }
    eprintln!("parameters of the wrong type tried: {tried}");
    // Unknown operations and parameters are refused by name too.
    assert!(matches!(
        hwmeeting_api::dynamic("no_such_operation"),
        Err(BuildError::Invalid { .. })
    ));
    let mut op = hwmeeting_api::dynamic("set_role").unwrap();
    assert!(op.set("noSuchParameter", json!(1)).is_err());
}
