//! Secrets never show: with sentinel values for the app key, the account
//! password, the host password, an access token and a control token, every
//! operation, error case and retry runs through both clients with every
//! log record captured at TRACE (`tracing` events and spans, and the `log`
//! records of the HTTP stacks); no sentinel may appear in any `Debug` or
//! `Display` output (requests, responses, errors and their sources,
//! clients, builders, configs, handles), in a log line, or in the
//! simulator's request log and meeting records.
//!
//! The tokens the simulator issues during the run are secrets too, and are
//! checked the same way.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hwmeeting_api::model::{
    AccountAuthRequest, AppAuthRequest, ApplyChair, CameraInvitation, CreateConfTokenRequest,
    HangUpRequest, InviteOperateVideoRequest, SetRoleRequest, SharingLock, StartMeetingRequest,
    UpdateStartedConfConfigRequest,
};
use hwmeeting_core::{
    ClientBuilder, Config, Credential, Credentials, DynamicOperation, Endpoint, Error, Operation,
    Secret,
};
use hwmeeting_sim::{
    Account, Fault, FaultRule, NewConference, NewParticipant, SimConfig, SimHandle, Simulator,
};
use hwmeeting_tests::{AnyClient, Flavor, Logs, Settings, leaks};
use serde_json::json;

const APP_ID: &str = "sentinel-app";
const ACCOUNT: &str = "sentinel@example.com";
const MEETING: &str = "771234567";

const APP_KEY: &str = "SNTLappKey7c1d9a5b2e4fQ3x9w";
const ACCOUNT_PASSWORD: &str = "SNTLacctPw8e2b6d0c4a7fZ9k1v";
const HOST_PASSWORD: &str = "SNTLhostPw3f5a7c9e1b2dK4m8u";
const ACCESS_TOKEN: &str = "SNTLaccessTok5d7f9b1c3e2aP6q0";
const CONTROL_TOKEN: &str = "SNTLctrlTok2e4a6c8e0b1dR7s3t";
/// Wrong credentials a caller might send: just as secret.
const WRONG_APP_KEY: &str = "SNTLwrongKey9a8b7c6d5e4fH2j4";
const WRONG_PASSWORD: &str = "SNTLwrongPw1a2b3c4d5e6fN8p2q";
/// Tokens in answers the client cannot read.
const ANSWER_ACCESS_TOKEN: &str = "SNTLanswerAccess4b6d8f0a2cV5w";
const ANSWER_CONTROL_TOKEN: &str = "SNTLanswerCtrl7e9a1c3e5b7dX3y";

/// Every sentinel, by name.
fn sentinels() -> Vec<(&'static str, String)> {
    // The Basic credentials as they go on the wire: base64 of
    // `account:password`, of which the first 28 characters encode the
    // 21 bytes of `sentinel@example.com:`, the rest the password.
    let basic = hwmeeting_core::auth::basic_header(ACCOUNT, &Secret::new(ACCOUNT_PASSWORD));
    let wrong_basic = hwmeeting_core::auth::basic_header(ACCOUNT, &Secret::new(WRONG_PASSWORD));
    let password_part = |h: &Secret| h.expose()["Basic ".len() + 28..].to_owned();
    vec![
        ("app key", APP_KEY.into()),
        ("account password", ACCOUNT_PASSWORD.into()),
        ("host password", HOST_PASSWORD.into()),
        ("access token", ACCESS_TOKEN.into()),
        ("control token", CONTROL_TOKEN.into()),
        ("wrong app key", WRONG_APP_KEY.into()),
        ("wrong password", WRONG_PASSWORD.into()),
        ("access token in an answer", ANSWER_ACCESS_TOKEN.into()),
        ("control token in an answer", ANSWER_CONTROL_TOKEN.into()),
        ("Basic credentials", password_part(&basic)),
        ("wrong Basic credentials", password_part(&wrong_basic)),
    ]
}

/// Checks made, for the report.
static CHECKS: AtomicUsize = AtomicUsize::new(0);

/// Every log record of the process, `tracing` and `log`, at TRACE.
fn logs() -> &'static Logs {
    static LOGS: OnceLock<Logs> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Logs::default();
        let writer = logs.clone();
        // `try_init` also routes the `log` records of ureq, reqwest and
        // rustls into `tracing`. Everything at TRACE but ureq-proto's hex
        // dumps of the wire, which carry every credential as sent (see
        // tests/wire_dump_warning.rs for the warning when they are on).
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "trace,ureq_proto::util=debug",
            ))
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init()
            .expect("the global subscriber is set once");
        logs
    })
}

/// What a run printed, by what printed it.
#[derive(Default)]
struct Shown(Vec<(String, String)>);

impl Shown {
    fn add(&mut self, what: impl Into<String>, text: impl Into<String>) {
        self.0.push((what.into(), text.into()));
    }

    /// `Debug` and `Display` of a result, with the error's sources.
    fn result<T: std::fmt::Debug>(&mut self, what: &str, result: &Result<T, Error>) {
        match result {
            Ok(value) => self.add(format!("{what}: Ok Debug"), format!("{value:?} {value:#?}")),
            Err(err) => self.error(what, err),
        }
    }

    fn error(&mut self, what: &str, err: &Error) {
        self.add(format!("{what}: error Display"), err.to_string());
        self.add(format!("{what}: error Debug"), format!("{err:?} {err:#?}"));
        let mut source = std::error::Error::source(err);
        let mut depth = 0;
        while let Some(s) = source {
            self.add(
                format!("{what}: error source {depth}"),
                format!("{s} {s:?}"),
            );
            source = s.source();
            depth += 1;
        }
    }

    /// Fails naming every sentinel found and where.
    fn check(&self, extra: &[(&str, String)]) {
        let mut all = sentinels();
        all.extend(extra.iter().map(|(n, v)| (*n, v.clone())));
        let mut found = Vec::new();
        for (what, text) in &self.0 {
            for (name, value) in &all {
                CHECKS.fetch_add(1, Ordering::Relaxed);
                if leaks(text, value) {
                    found.push(format!(
                        "the {name} shows in {what}: {}",
                        excerpt(text, value)
                    ));
                }
            }
        }
        assert!(found.is_empty(), "{}", found.join("\n"));
        eprintln!(
            "sentinel checks: {} outputs x {} secrets",
            self.0.len(),
            all.len()
        );
    }
}

/// The part of `text` around the leak.
fn excerpt(text: &str, needle: &str) -> String {
    let at = text
        .find(needle)
        .or_else(|| {
            let piece: String = needle.chars().take(12).collect();
            text.find(&piece)
        })
        .or_else(|| {
            let piece: String = needle.chars().skip(needle.chars().count() - 12).collect();
            text.find(&piece)
        })
        .unwrap_or(0);
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(200)
        .map_or(0, |(i, _)| i);
    let end = text[at..]
        .char_indices()
        .nth(300)
        .map_or(text.len(), |(i, _)| at + i);
    text[start..end].to_owned()
}

/// A simulator that knows the sentinel app key, account password and host
/// password, with a started-to-be meeting.
fn sentinel_sim() -> SimHandle {
    let sim = Simulator::spawn(
        SimConfig::default()
            .app(APP_ID, APP_KEY)
            .accounts(vec![Account::new(ACCOUNT, ACCOUNT_PASSWORD)]),
    )
    .expect("the simulator starts");
    sim.create_conference(
        NewConference::new(MEETING, HOST_PASSWORD)
            .participant(NewParticipant::new("p-alice", "Alice").chair())
            .participant(NewParticipant::new("p-bob", "Bob"))
            .participant(NewParticipant::new("p-carol", "Carol"))
            .participant(NewParticipant::new("p-dan", "Dan"))
            // The participant ID `valid_value` gives (the shortest string),
            // so the calls on one participant find them (until `hang_up`).
            .participant(NewParticipant::new("a", "A")),
    )
    .expect("the meeting is created");
    sim
}

fn settings(sim: &SimHandle, credentials: Credentials) -> Settings {
    let mut s = Settings::sim(sim).with_credentials(credentials);
    s.attempt_timeout = Duration::from_millis(400);
    s.total_timeout = Duration::from_secs(4);
    s
}

fn set_role() -> SetRoleRequest {
    SetRoleRequest::new("p-bob", ApplyChair::Apply).chairman_pwd(HOST_PASSWORD)
}

fn fault(sim: &SimHandle, meta: &hwmeeting_core::OperationMeta, fault: Fault, count: u32) {
    sim.push_fault(
        FaultRule::new(meta.path, fault)
            .method(meta.method)
            .count(count),
    )
    .expect("the fault is queued");
}

/// Everything a run of one client does and shows.
fn exercise(flavor: Flavor, sim: &SimHandle, shown: &mut Shown) -> Vec<(&'static str, String)> {
    let app = AnyClient::build(flavor, &settings(sim, Credentials::app_id(APP_ID, APP_KEY)))
        .expect("the client builds");
    shown.add("App ID client", format!("{app:?}"));

    // Every operation, through the typed methods.
    let r = app.execute(StartMeetingRequest::new(MEETING, HOST_PASSWORD));
    shown.result("start_meeting", &r);
    r.expect("the meeting starts");
    let meeting = app.conference(MEETING, HOST_PASSWORD);
    let control = meeting.control_token().expect("a control token");
    let access = app.access_token().expect("an access token");
    shown.add("meeting handle", format!("{meeting:?}"));
    shown.add("access token", format!("{access:?} {access}"));
    shown.add("control token", format!("{control:?} {control}"));
    let r = meeting.execute(set_role());
    shown.result("set_role", &r);
    let r = meeting.execute(InviteOperateVideoRequest::new(
        "p-bob",
        CameraInvitation::Disable,
    ));
    shown.result("invite_operate_video", &r);
    let r =
        meeting.execute(UpdateStartedConfConfigRequest::new().lock_sharing(SharingLock::Locked));
    shown.result("update_started_conf_config", &r);
    let r = meeting.execute(HangUpRequest::new(["p-dan"]));
    shown.result("hang_up", &r);
    let r = app.execute(CreateConfTokenRequest::new(HOST_PASSWORD).conference_id(MEETING));
    shown.result("create_conf_token", &r);
    let r = app.execute(hwmeeting_core::session::ControlTokenRequest::new(
        &session_operations(),
        MEETING,
        &Secret::new(HOST_PASSWORD),
        Some(&control),
    ));
    shown.result("create_conf_token renewing the live token", &r);

    // The same through dynamic operations, the way the command line sends.
    let mut dynamic = hwmeeting_api::dynamic("set_role").unwrap();
    dynamic
        .set_all(
            json!({"participantID": "p-bob", "applyChair": 1, "chairmanPwd": HOST_PASSWORD})
                .as_object()
                .unwrap()
                .clone(),
        )
        .unwrap();
    shown.add("dynamic set_role", format!("{dynamic:?}"));
    let r = meeting.execute(dynamic);
    shown.result("dynamic set_role", &r);
    let mut dynamic = hwmeeting_api::dynamic("create_conf_token").unwrap();
    dynamic
        .set_all(
            json!({"conferenceID": MEETING, "X-Password": HOST_PASSWORD, "X-Conference-Authorization": CONTROL_TOKEN})
                .as_object()
                .unwrap()
                .clone(),
        )
        .unwrap();
    shown.add(
        "dynamic create_conf_token",
        format!("{dynamic:?} {dynamic:#?}"),
    );

    // Retries of every kind.
    fault(sim, SetRoleRequest::META, Fault::status(503), 2);
    shown.result("set_role after two 503", &meeting.execute(set_role()));
    let retry_after = Fault::Status {
        status: 429,
        body: None,
        headers: BTreeMap::from([("Retry-After".to_owned(), "0".to_owned())]),
    };
    fault(sim, HangUpRequest::META, retry_after, 1);
    shown.result(
        "hang_up after a 429",
        &meeting.execute(HangUpRequest::new(["p-carol"])),
    );
    fault(sim, SetRoleRequest::META, Fault::Reset, 1);
    shown.result("set_role after a reset", &meeting.execute(set_role()));
    fault(
        sim,
        SetRoleRequest::META,
        Fault::DelayHeaders { ms: 1000 },
        3,
    );
    shown.result("set_role timing out", &meeting.execute(set_role()));
    fault(
        sim,
        StartMeetingRequest::META,
        Fault::Truncate { status: 200 },
        1,
    );
    shown.result(
        "start_meeting cut short",
        &app.execute(StartMeetingRequest::new(MEETING, HOST_PASSWORD)),
    );
    fault(sim, AppAuthRequest::META, Fault::status(429), 1);
    fault(sim, CreateConfTokenRequest::META, Fault::status(502), 1);
    // Revoked tokens: a new login and a new control token.
    sim.expire_tokens();
    shown.result("set_role after expiry", &meeting.execute(set_role()));
    shown.result(
        "start_meeting after expiry",
        &app.execute(StartMeetingRequest::new(MEETING, HOST_PASSWORD)),
    );
    let new_access = app.access_token().expect("a renewed access token");
    let new_control = meeting.control_token().expect("a renewed control token");

    // Error answers.
    shown.result(
        "set_role of nobody",
        &meeting.execute(
            SetRoleRequest::new("p-nobody", ApplyChair::Apply).chairman_pwd(HOST_PASSWORD),
        ),
    );
    shown.result(
        "set_role with a wrong host password",
        &meeting
            .execute(SetRoleRequest::new("p-bob", ApplyChair::Apply).chairman_pwd(WRONG_PASSWORD)),
    );
    shown.result(
        "start_meeting with a wrong password",
        &app.execute(StartMeetingRequest::new(MEETING, WRONG_PASSWORD)),
    );
    let other =
        AnyClient::build(flavor, &settings(sim, Credentials::app_id(APP_ID, APP_KEY))).unwrap();
    let wrong_meeting = other.conference(MEETING, WRONG_PASSWORD);
    shown.add("handle with a wrong password", format!("{wrong_meeting:?}"));
    shown.result(
        "control token with a wrong password",
        &wrong_meeting.control_token(),
    );
    // Bad input: refused before sending, with the secret in the input.
    let too_long = format!("{HOST_PASSWORD}{HOST_PASSWORD}");
    shown.result(
        "set_role with a host password over the limit",
        &meeting.execute(
            SetRoleRequest::new("p-bob", ApplyChair::Apply).chairman_pwd(too_long.as_str()),
        ),
    );
    shown.result(
        "control token with CR LF in the password",
        &app.conference("771234568", format!("{HOST_PASSWORD}\r\nX-Evil: 1"))
            .control_token(),
    );
    // Answers the client cannot read that carry tokens.
    fault(
        sim,
        CreateConfTokenRequest::META,
        Fault::Status {
            status: 200,
            body: Some(json!({"data": {"token": ANSWER_CONTROL_TOKEN, "role": "host"}})),
            headers: BTreeMap::new(),
        },
        1,
    );
    shown.result(
        "create_conf_token answer of the wrong shape",
        &app.execute(CreateConfTokenRequest::new(HOST_PASSWORD).conference_id(MEETING)),
    );
    fault(
        sim,
        CreateConfTokenRequest::META,
        Fault::Status {
            status: 200,
            body: Some(json!(format!(
                "{{\"data\": {{\"token\": \"{ANSWER_CONTROL_TOKEN}\", \"role\": "
            ))),
            headers: BTreeMap::new(),
        },
        1,
    );
    shown.result(
        "create_conf_token answer cut short",
        &app.execute(CreateConfTokenRequest::new(HOST_PASSWORD).conference_id(MEETING)),
    );
    fault(
        sim,
        AppAuthRequest::META,
        Fault::Status {
            status: 200,
            body: Some(json!({"accessToken": ANSWER_ACCESS_TOKEN, "validPeriod": "forever"})),
            headers: BTreeMap::new(),
        },
        1,
    );
    let fresh =
        AnyClient::build(flavor, &settings(sim, Credentials::app_id(APP_ID, APP_KEY))).unwrap();
    shown.result("login answer of the wrong shape", &fresh.access_token());
    fault(sim, AppAuthRequest::META, Fault::Reset, 1);
    shown.result("login reset", &fresh.access_token());
    fault(sim, AppAuthRequest::META, Fault::status(503), 1);
    shown.result("login answered 503", &fresh.access_token());
    fault(
        sim,
        AppAuthRequest::META,
        Fault::Status {
            status: 401,
            body: Some(json!({"error_code": "USG.000000001", "accessToken": ANSWER_ACCESS_TOKEN})),
            headers: BTreeMap::new(),
        },
        1,
    );
    shown.result(
        "login refused with a token in the body",
        &fresh.access_token(),
    );

    // Wrong login credentials.
    let wrong = AnyClient::build(
        flavor,
        &settings(sim, Credentials::app_id(APP_ID, WRONG_APP_KEY)),
    )
    .unwrap();
    shown.add("client with a wrong app key", format!("{wrong:?}"));
    shown.result("login with a wrong app key", &wrong.access_token());

    // Account login.
    let account = AnyClient::build(
        flavor,
        &settings(sim, Credentials::account(ACCOUNT, ACCOUNT_PASSWORD)),
    )
    .unwrap();
    shown.add("account client", format!("{account:?}"));
    shown.result(
        "start_meeting with an account login",
        &account.execute(StartMeetingRequest::new(MEETING, HOST_PASSWORD)),
    );
    let account_token = account.access_token().expect("an account access token");
    fault(sim, AccountAuthRequest::META, Fault::status(429), 1);
    let account2 = AnyClient::build(
        flavor,
        &settings(sim, Credentials::account(ACCOUNT, ACCOUNT_PASSWORD)),
    )
    .unwrap();
    shown.result("account login after a 429", &account2.access_token());
    let wrong_account = AnyClient::build(
        flavor,
        &settings(sim, Credentials::account(ACCOUNT, WRONG_PASSWORD)),
    )
    .unwrap();
    shown.result(
        "account login with a wrong password",
        &wrong_account.access_token(),
    );

    // A ready access token and a ready control token, both rejected.
    let ready = AnyClient::build(
        flavor,
        &settings(sim, Credentials::access_token(ACCESS_TOKEN)),
    )
    .unwrap();
    shown.add("access-token client", format!("{ready:?}"));
    shown.result(
        "start_meeting with a rejected access token",
        &ready.execute(StartMeetingRequest::new(MEETING, HOST_PASSWORD)),
    );
    let handle = ready.conference_with_token(MEETING, CONTROL_TOKEN);
    shown.add("handle with a ready control token", format!("{handle:?}"));
    shown.result(
        "set_role with a rejected control token",
        &handle.execute(set_role()),
    );
    shown.result(
        "hang_up with a rejected control token",
        &handle.execute(HangUpRequest::new(["p-bob"])),
    );
    shown.result("the ready control token", &handle.control_token());
    // The same token renewed with a known password.
    let renewing = app.conference_with_token(MEETING, CONTROL_TOKEN);
    shown.add(
        "renewable handle with a ready token",
        format!("{renewing:?}"),
    );
    shown.result(
        "set_role with a ready token renewed",
        &renewing.execute(set_role()),
    );
    // Through the client, by conference id.
    shown.result(
        "set_role through the client",
        &app.execute(set_role().conference_id(MEETING)),
    );

    vec![
        ("issued access token", access.expose().to_owned()),
        ("issued control token", control.expose().to_owned()),
        ("renewed access token", new_access.expose().to_owned()),
        ("renewed control token", new_control.expose().to_owned()),
        ("account access token", account_token.expose().to_owned()),
    ]
}

/// A valid value for `field` with the host password sentinel in every
/// secret string, at any depth.
fn with_sentinels(field: &hwmeeting_core::meta::Field) -> serde_json::Value {
    use hwmeeting_core::meta::Type;
    match field.ty {
        Type::String if field.secret => json!(HOST_PASSWORD),
        Type::Array(item) => json!([with_sentinels(item)]),
        Type::Object(object) => serde_json::Value::Object(
            object
                .fields
                .iter()
                .map(|f| (f.name.to_owned(), with_sentinels(f)))
                .collect(),
        ),
        _ => hwmeeting_tests::valid_value(field),
    }
}

/// Every operation of the spec, with the sentinel in every secret
/// parameter (nested ones too), through a client and the simulator.
fn every_operation(flavor: Flavor, sim: &SimHandle, shown: &mut Shown) -> (usize, usize) {
    let client =
        AnyClient::build(flavor, &settings(sim, Credentials::app_id(APP_ID, APP_KEY))).unwrap();
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    let (mut with_secrets, mut answered) = (0, 0);
    for meta in hwmeeting_api::operations() {
        let mut op = DynamicOperation::new(meta);
        for param in meta.params {
            if param.conference_id {
                continue;
            }
            op.set_in(param.location, param.name, with_sentinels(param))
                .unwrap();
        }
        let shown_op = format!("{op:?}");
        if meta
            .params
            .iter()
            .any(|p| format!("{:?}", with_sentinels(p)).contains(HOST_PASSWORD))
        {
            with_secrets += 1;
        }
        shown.add(format!("{} request", meta.id), shown_op);
        let key = Secret::new(APP_KEY);
        if let Ok(request) =
            hwmeeting_tests::with_credential(meta, &key, |c| op.to_http(&Endpoint::default(), c))
        {
            shown.add(format!("{} as HTTP", meta.id), format!("{request:?}"));
        }
        let result = match meta.auth {
            hwmeeting_core::meta::Auth::ConferenceToken { .. } => meeting.execute(op),
            _ => client.execute(op),
        };
        // The answer of a dynamic operation is the service's JSON as it
        // came; only its error is checked here. An error answer of the
        // service counts as answered too: the lifecycle operations name
        // meetings, recordings and settings that these made-up values do
        // not match, and their errors must not show a secret either.
        match &result {
            Ok(_) => answered += 1,
            Err(err) => {
                if matches!(err, hwmeeting_core::Error::Api { .. }) {
                    answered += 1;
                }
                shown.error(meta.id, err);
            }
        }
    }
    (with_secrets, answered)
}

#[test]
fn every_operation_with_secret_parameters_shows_none() {
    let logs = logs();
    for flavor in Flavor::ALL {
        let sim = sentinel_sim();
        let client = AnyClient::build(
            flavor,
            &settings(&sim, Credentials::app_id(APP_ID, APP_KEY)),
        )
        .unwrap();
        client
            .execute(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
            .unwrap();
        let mut shown = Shown::default();
        let (with_secrets, answered) = every_operation(flavor, &sim, &mut shown);
        let all = hwmeeting_api::operations().len();
        assert!(with_secrets >= 4, "{with_secrets} operations take a secret");
        eprintln!(
            "{flavor:?}: {answered} of {all} operations answered (2xx or the service's error)"
        );
        assert!(
            answered * 4 > all * 3,
            "{flavor:?}: only {answered} of {all} answered"
        );
        shown_sim(&sim, &mut shown);
        shown.add("logs", logs.text());
        shown.check(&[]);
    }
}

/// Types that hold secrets, printed directly.
fn shown_types(shown: &mut Shown) {
    let creds = [
        Credentials::app_id(APP_ID, APP_KEY),
        Credentials::account(ACCOUNT, ACCOUNT_PASSWORD),
        Credentials::access_token(ACCESS_TOKEN),
    ];
    for c in &creds {
        shown.add("credentials", format!("{c:?} {c:#?}"));
        let mut config = Config::default();
        config.credentials = Some(c.clone());
        shown.add("config", format!("{config:?} {config:#?}"));
        let b = hwmeeting_blocking::Client::builder().credentials(c.clone());
        shown.add("blocking builder", format!("{b:?}"));
        let a: ClientBuilder<hwmeeting_async::Client> =
            hwmeeting_async::Client::builder().credentials(c.clone());
        shown.add("async builder", format!("{a:?}"));
        let client = b.build().unwrap();
        shown.add("blocking client", format!("{client:?} {client:#?}"));
        let handle = client.conference(MEETING, HOST_PASSWORD);
        shown.add("blocking handle", format!("{handle:?} {handle:#?}"));
        let handle = client.conference_with_token(MEETING, CONTROL_TOKEN);
        shown.add(
            "blocking handle with token",
            format!("{handle:?} {handle:#?}"),
        );
        let client = a.build().unwrap();
        shown.add("async client", format!("{client:?} {client:#?}"));
        let handle = client.conference(MEETING, HOST_PASSWORD);
        shown.add("async handle", format!("{handle:?} {handle:#?}"));
        let handle = client.conference_with_token(MEETING, CONTROL_TOKEN);
        shown.add("async handle with token", format!("{handle:?} {handle:#?}"));
    }
    let from_env = Config::from_env_with(|k| match k {
        "HWMEETING_ACCOUNT" => Some(ACCOUNT.into()),
        "HWMEETING_PASSWORD" => Some(ACCOUNT_PASSWORD.into()),
        _ => None,
    })
    .unwrap();
    shown.add("config from the environment", format!("{from_env:?}"));

    // Typed requests, and the HTTP requests built from them.
    let endpoint = Endpoint::default();
    let key = Secret::new(APP_KEY);
    let password = Secret::new(ACCOUNT_PASSWORD);
    let access = Secret::new(ACCESS_TOKEN);
    let control = Secret::new(CONTROL_TOKEN);
    let mut requests: Vec<(String, String)> = Vec::new();
    let mut http = |name: &str, op: &dyn ShowOp, credential: Credential<'_>| {
        requests.push((format!("{name} request"), op.show()));
        match op.build(&endpoint, credential) {
            Ok(request) => requests.push((
                format!("{name} as HTTP"),
                format!("{request:?} {:?}", request.headers()),
            )),
            Err(e) => requests.push((format!("{name} build error"), format!("{e} {e:?}"))),
        }
    };
    http(
        "app_auth",
        &AppAuthRequest::new(APP_ID, 1_700_000_000, "0123456789abcdef0123456789abcdef"),
        Credential::AppKey(&key),
    );
    http(
        "account_auth",
        &AccountAuthRequest::new(ACCOUNT),
        Credential::Password(&password),
    );
    http(
        "start_meeting",
        &StartMeetingRequest::new(MEETING, HOST_PASSWORD),
        Credential::AccessToken(&access),
    );
    http(
        "create_conf_token",
        &CreateConfTokenRequest::new(HOST_PASSWORD)
            .conference_id(MEETING)
            .conference_authorization(CONTROL_TOKEN),
        Credential::None,
    );
    http(
        "set_role",
        &set_role().conference_id(MEETING),
        Credential::ConferenceToken(&control),
    );
    http(
        "hang_up",
        &HangUpRequest::new(["p-bob"]).conference_id(MEETING),
        Credential::ConferenceToken(&control),
    );
    let login = hwmeeting_core::session::Login::new(
        Credentials::app_id(APP_ID, APP_KEY),
        || [7; 16],
        &session_operations(),
    )
    .unwrap();
    http("login", &login, login.credential());
    for (what, text) in requests {
        shown.add(what, text);
    }
    // Answers that hold tokens.
    let answer: hwmeeting_api::model::CreateConfTokenResponse = serde_json::from_value(
        json!({"data": {"token": ANSWER_CONTROL_TOKEN, "tmpWsToken": ANSWER_CONTROL_TOKEN}, "addressToken": ANSWER_CONTROL_TOKEN}),
    )
    .unwrap();
    shown.add(
        "create_conf_token answer",
        format!("{answer:?} {answer:#?}"),
    );
    let answer: hwmeeting_api::model::AppAuthResponse = serde_json::from_value(
        json!({"accessToken": ANSWER_ACCESS_TOKEN, "refreshToken": ANSWER_ACCESS_TOKEN}),
    )
    .unwrap();
    shown.add("app_auth answer", format!("{answer:?} {answer:#?}"));
    let cached = hwmeeting_core::token::CachedToken::new(
        Secret::new(ACCESS_TOKEN),
        Duration::from_secs(60),
        std::time::Instant::now(),
    );
    shown.add("cached token", format!("{cached:?}"));
}

/// An operation whose request can be shown and built.
trait ShowOp {
    fn show(&self) -> String;
    fn build(
        &self,
        endpoint: &Endpoint,
        credential: Credential<'_>,
    ) -> Result<http::Request<Vec<u8>>, Error>;
}

impl<O: Operation + std::fmt::Debug> ShowOp for O {
    fn show(&self) -> String {
        format!("{self:?} {self:#?}")
    }

    fn build(
        &self,
        endpoint: &Endpoint,
        credential: Credential<'_>,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.to_http(endpoint, credential)
    }
}

/// The logins and control-token call of the generated operation table.
fn session_operations() -> hwmeeting_core::session::SessionOperations {
    hwmeeting_core::session::SessionOperations::find(hwmeeting_api::model::OPERATIONS).unwrap()
}

/// What the simulator keeps: its request log, meeting records, config.
fn shown_sim(sim: &SimHandle, shown: &mut Shown) {
    let requests = sim.requests();
    shown.add("simulator request log", format!("{requests:?}"));
    shown.add(
        "simulator request log as JSON",
        serde_json::to_string(&requests).unwrap(),
    );
    shown.add("simulator meetings", format!("{:?}", sim.conferences()));
    shown.add(
        "simulator meetings as JSON",
        serde_json::to_string(&sim.conferences()).unwrap(),
    );
    shown.add("simulator handle", format!("{sim:?}"));
}

fn run(flavor: Flavor) {
    let logs = logs();
    let sim = sentinel_sim();
    let mut shown = Shown::default();
    let issued = exercise(flavor, &sim, &mut shown);
    shown_sim(&sim, &mut shown);
    let text = logs.text();
    assert!(
        text.contains(" TRACE ") && text.contains("hwmeeting.call{") && text.contains("rustls::"),
        "the capture sees every record"
    );
    let log = serde_json::to_string(&sim.requests()).unwrap();
    assert!(
        log.contains("\"***\""),
        "the simulator masks, and logged what it masked"
    );
    // Every record is checked: with the wire dumps off, nothing is
    // filtered, and the client did not warn about them.
    assert!(
        !text.contains("ureq_proto::util"),
        "no wire dump, no warning"
    );
    shown.add("logs", text);
    shown.check(&issued);
}

#[test]
fn blocking_client_shows_no_secret() {
    run(Flavor::Blocking);
}

#[test]
fn async_client_shows_no_secret() {
    run(Flavor::Async);
}

#[test]
fn types_holding_secrets_show_none() {
    let mut shown = Shown::default();
    shown_types(&mut shown);
    shown.check(&[]);
    eprintln!("sentinel checks so far: {}", CHECKS.load(Ordering::Relaxed));
}

#[test]
fn the_checker_finds_a_secret_split_across_lines() {
    // A hex dump with 16 characters a line, as the HTTP stacks log at
    // TRACE, still shows it.
    let text = format!("x {}\ny {}\n", &APP_KEY[..14], &APP_KEY[14..]);
    assert!(leaks(&text, APP_KEY));
    assert!(!leaks("nothing here", APP_KEY));
}
