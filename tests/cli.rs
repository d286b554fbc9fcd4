//! The `hwmeeting` command line keeps secrets too: for every operation of
//! the spec, with sentinel values for the app key, the account password,
//! the host password, an access token, a control token and every secret
//! parameter, neither stdout nor stderr shows one, with `-vvv`, in a
//! dry run (unless `--show-secrets`, which does show them), in real calls
//! to the simulator, in retries and in errors.
//!
//! The binary is built (or found up to date) with `cargo build -p
//! hwmeeting-cli` on first use.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::LazyLock;

use hwmeeting_api::operations;
use hwmeeting_core::meta::{Auth, Field, OperationMeta, Type};
use hwmeeting_core::wire::WireRequest;
use hwmeeting_sim::{
    Account, Fault, FaultRule, NewConference, NewParticipant, SimConfig, SimHandle, Simulator,
};
use hwmeeting_tests::{leaks, valid_value};
use serde_json::Value;

const APP_ID: &str = "cli-sentinel-app";
const ACCOUNT: &str = "cli@example.com";
const MEETING: &str = "661234567";

const APP_KEY: &str = "SNTLcliAppKey4d2f8a0c6e1bT5r";
const ACCOUNT_PASSWORD: &str = "SNTLcliAcctPw7a3c9e5b1d0fW8e";
// At most 16 characters: the longest password some parameters take.
const HOST_PASSWORD: &str = "SNTLhostPw2b8d4f";
const ACCESS_TOKEN: &str = "SNTLcliAccess9c1e3a5d7f2bU4i";
const CONTROL_TOKEN: &str = "SNTLcliControl6f0b2d4a8c1eO7p";
const WRONG_KEY: &str = "SNTLcliWrongKey3e7a1c5f9d2bA6s";

const SENTINELS: &[(&str, &str)] = &[
    ("app key", APP_KEY),
    ("account password", ACCOUNT_PASSWORD),
    ("host password", HOST_PASSWORD),
    ("access token", ACCESS_TOKEN),
    ("control token", CONTROL_TOKEN),
    ("wrong app key", WRONG_KEY),
];

/// The `hwmeeting` binary, built by cargo if it is not up to date.
static BIN: LazyLock<PathBuf> = LazyLock::new(|| {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut build = Command::new(cargo);
    build.current_dir(root).args([
        "build",
        "--quiet",
        "-p",
        "hwmeeting-cli",
        "--bin",
        "hwmeeting",
    ]);
    if !cfg!(debug_assertions) {
        build.arg("--release");
    }
    // Not what cargo set for this test: inherited, `CARGO_MANIFEST_DIR`
    // and the like would make build scripts that watch them (ring's) run
    // again, and the next `cargo test` undo it.
    for (key, _) in std::env::vars() {
        if key == "OUT_DIR"
            || [
                "CARGO_MANIFEST_",
                "CARGO_PKG_",
                "CARGO_CRATE_",
                "CARGO_BIN_",
                "CARGO_PRIMARY_",
                "CARGO_TARGET_TMPDIR",
            ]
            .iter()
            .any(|p| key.starts_with(p))
        {
            build.env_remove(key);
        }
    }
    let status = build.status().expect("cargo runs");
    assert!(status.success(), "cargo build -p hwmeeting-cli failed");
    let exe = std::env::current_exe().expect("the test's path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    dir.join(format!("hwmeeting{}", std::env::consts::EXE_SUFFIX))
});

/// What a run printed.
struct Run {
    code: i32,
    out: String,
}

fn hw(args: &[String]) -> Run {
    let mut cmd = Command::new(&*BIN);
    for (key, _) in std::env::vars() {
        if key.starts_with("HWMEETING_") || key == "RUST_LOG" {
            cmd.env_remove(key);
        }
    }
    let output = cmd.args(args).output().expect("hwmeeting runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        out: format!(
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

/// The account's Basic credentials, as they go on the wire.
fn basic() -> String {
    let header =
        hwmeeting_core::auth::basic_header(ACCOUNT, &hwmeeting_core::Secret::new(ACCOUNT_PASSWORD));
    header.expose()["Basic ".len()..].to_owned()
}

/// Fails naming every sentinel the text shows.
fn assert_clean(what: &str, text: &str) {
    let mut found: Vec<&str> = SENTINELS
        .iter()
        .filter(|(_, v)| leaks(text, v))
        .map(|(n, _)| *n)
        .collect();
    if leaks(text, &basic()) {
        found.push("Basic credentials");
    }
    assert!(found.is_empty(), "{what}: shows the {found:?}:\n{text}");
}

/// The flag of every parameter of an operation, read from its `--help`:
/// the `Parameters` section names each flag's wire parameter; those that
/// share a global option (`--conference-authorization`) are not listed.
fn flags(meta: &OperationMeta) -> BTreeMap<String, String> {
    let help = hw(&[subcommand(meta), "--help".into()]);
    assert_eq!(help.code, 0, "{}", help.out);
    let mut flags = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in help.out.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("--") {
            current = rest.split([' ', '<']).next().map(str::to_owned);
            continue;
        }
        for marker in ["parameter `", "Header `", "field `"] {
            if let (Some(flag), Some(at)) = (&current, trimmed.find(marker)) {
                let rest = &trimmed[at + marker.len()..];
                if let Some(name) = rest.split('`').next() {
                    flags.entry(name.to_owned()).or_insert_with(|| flag.clone());
                }
            }
        }
    }
    flags
}

/// The flags of every operation, read once.
static FLAGS: LazyLock<BTreeMap<&'static str, BTreeMap<String, String>>> = LazyLock::new(|| {
    parallel(operations(), |meta| (meta.id, flags(meta)))
        .into_iter()
        .collect()
});

/// `f` over every item, four at a time, results in order.
fn parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    results.lock().unwrap().push((i, r));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

fn subcommand(meta: &OperationMeta) -> String {
    meta.id.replace('_', "-")
}

/// The file every upload of these tests sends (`--file PATH`).
static PICTURE: LazyLock<std::path::PathBuf> = LazyLock::new(|| {
    let path = std::env::temp_dir().join(format!("hwmeeting-cli-{}.png", std::process::id()));
    std::fs::write(&path, hwmeeting_tests::VALID_FILE).unwrap();
    path
});

/// A parameter's value with the host password sentinel in every secret
/// string, at any depth.
fn value(field: &Field) -> Value {
    match field.ty {
        Type::File => Value::from(PICTURE.to_str().unwrap()),
        Type::String if field.secret => Value::from(HOST_PASSWORD),
        Type::Array(item) => Value::Array(vec![value(item)]),
        Type::Object(object) => Value::Object(
            object
                .fields
                .iter()
                .map(|f| (f.name.to_owned(), value(f)))
                .collect(),
        ),
        _ => valid_value(field),
    }
}

/// The text of a flag's value: scalars as they are, lists of scalars
/// comma-separated, objects and lists of objects as JSON.
fn flag_text(field: &Field, value: &Value) -> String {
    match (field.ty, value) {
        (Type::Array(item), Value::Array(items))
            if !matches!(item.ty, Type::Object(_) | Type::Array(_)) =>
        {
            items
                .iter()
                .map(|v| WireRequest::scalar_text(v, "x").unwrap())
                .collect::<Vec<_>>()
                .join(",")
        }
        (Type::Array(_) | Type::Object(_) | Type::Map(_), v) => v.to_string(),
        (_, v) => WireRequest::scalar_text(v, "x").unwrap(),
    }
}

/// The global options that give an operation its credential, sentinels
/// all.
fn credential_args(meta: &OperationMeta) -> Vec<String> {
    let args: &[&str] = match meta.auth {
        Auth::None => &["--conference-authorization", CONTROL_TOKEN],
        Auth::Basic { .. } => &["--account", ACCOUNT, "--account-password", ACCOUNT_PASSWORD],
        Auth::AppSignature { .. } => &["--app-id", APP_ID, "--app-key", APP_KEY],
        Auth::AccessToken { .. } => &["--access-token", ACCESS_TOKEN],
        Auth::ConferenceToken { .. } => &[
            "--conference-authorization",
            CONTROL_TOKEN,
            "--host-password",
            HOST_PASSWORD,
        ],
    };
    args.iter().map(|s| (*s).to_owned()).collect()
}

/// The subcommand and one flag per parameter, secrets sentinels; the
/// meeting ID is `MEETING`.
fn operation_args(meta: &OperationMeta, flags: &BTreeMap<String, String>) -> Vec<String> {
    let mut args = vec![subcommand(meta)];
    for param in meta.params {
        let Some(flag) = flags.get(param.name) else {
            continue;
        };
        let v = if param.conference_id {
            Value::from(MEETING)
        } else {
            value(param)
        };
        args.push(format!("--{flag}"));
        args.push(flag_text(param, &v));
    }
    args
}

fn owned(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_owned()).collect()
}

/// Whether a request of `meta` carries anything to mask.
fn has_secrets(meta: &OperationMeta) -> bool {
    fn secret(field: &Field) -> bool {
        field.secret
            || match field.ty {
                Type::Array(item) => secret(item),
                Type::Object(object) => object.fields.iter().any(secret),
                _ => false,
            }
    }
    meta.auth.header().is_some() || meta.params.iter().any(secret)
}

#[test]
fn dry_runs_of_every_operation_mask_every_secret_unless_asked() {
    let outcomes = parallel(operations(), |meta| {
        let flags = &FLAGS[meta.id];
        let mut args = owned(&["--dry-run", "-vvv"]);
        args.extend(credential_args(meta));
        args.extend(operation_args(meta, flags));
        let run = hw(&args);
        assert_clean(&format!("{} --dry-run", meta.id), &run.out);
        if run.code != 0 {
            let why = run
                .out
                .lines()
                .find(|l| l.contains("error"))
                .unwrap_or_default()
                .to_owned();
            return (false, false, format!("{}: {why}", meta.id));
        }
        if !has_secrets(meta) {
            return (true, true, String::new());
        }
        assert!(
            run.out.contains("***"),
            "{}: nothing masked:\n{}",
            meta.id,
            run.out
        );
        // Asked to, it shows them: they were masked, not left out.
        let mut args = owned(&["--dry-run", "--show-secrets"]);
        args.extend(credential_args(meta));
        args.extend(operation_args(meta, flags));
        let run = hw(&args);
        // A password or key that signs the request shows as its Basic
        // header or signature.
        let shows = SENTINELS.iter().any(|(_, v)| run.out.contains(v))
            || run.out.contains(basic().as_str())
            || run.out.contains("signature=");
        (true, shows, String::new())
    });
    let all = operations().len();
    let built = outcomes.iter().filter(|(b, _, _)| *b).count();
    let shown = outcomes.iter().filter(|(b, s, _)| *b && *s).count();
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|(b, _, _)| !*b)
        .map(|(_, _, why)| why.as_str())
        .collect();
    assert!(
        built * 10 >= all * 9,
        "only {built} of {all} dry runs built a request:\n{}",
        failed.join("\n")
    );
    assert_eq!(
        shown, built,
        "--show-secrets shows the secrets of every dry run"
    );
}

fn sim() -> SimHandle {
    let sim = Simulator::spawn(
        SimConfig::default()
            .app(APP_ID, APP_KEY)
            .accounts(vec![Account::new(ACCOUNT, ACCOUNT_PASSWORD)]),
    )
    .unwrap();
    sim.create_conference(
        NewConference::new(MEETING, HOST_PASSWORD)
            .active(true)
            .participant(NewParticipant::new("p-alice", "Alice").chair())
            .participant(NewParticipant::new("a", "A")),
    )
    .unwrap();
    sim
}

/// Operations after which the meeting is no longer running (or no longer
/// exists) in the simulator.
const ENDS_THE_MEETING: &[&str] = &["cancel_meeting", "cancel_recurring_meeting", "stop_meeting"];

fn endpoint_args(sim: &SimHandle) -> Vec<String> {
    owned(&[
        "--endpoint",
        sim.url(),
        "--ca-cert",
        sim.ca_pem_path().unwrap().to_str().unwrap(),
        "--retries",
        "3",
        "-vvv",
    ])
}

#[test]
fn real_calls_retries_and_errors_of_every_operation_show_no_secret() {
    let sim = sim();
    // A 503 before every third operation: retried where allowed.
    for meta in operations().iter().step_by(3) {
        sim.push_fault(FaultRule::new(meta.path, Fault::status(503)).method(meta.method))
            .unwrap();
    }
    // The calls that end or delete the meeting go last, so the others find
    // it running.
    let (last, first): (Vec<&OperationMeta>, Vec<&OperationMeta>) = operations()
        .iter()
        .partition(|m| ENDS_THE_MEETING.contains(&m.id));
    let call = |meta: &&OperationMeta| {
        let flags = &FLAGS[meta.id];
        let mut args = endpoint_args(&sim);
        args.extend(owned(&[
            "--app-id",
            APP_ID,
            "--app-key",
            APP_KEY,
            "--host-password",
            HOST_PASSWORD,
        ]));
        if matches!(meta.auth, Auth::Basic { .. }) {
            args.extend(owned(&[
                "--account",
                ACCOUNT,
                "--account-password",
                ACCOUNT_PASSWORD,
            ]));
        }
        args.extend(operation_args(meta, flags));
        let run = hw(&args);
        assert_clean(&format!("{} against the simulator", meta.id), &run.out);
        run.code == 0
    };
    // One batch after the other: the last starts when the first is over.
    let answered = [first, last]
        .iter()
        .flat_map(|batch| parallel(batch, call))
        .filter(|ok| *ok)
        .count();
    assert!(
        answered * 2 > operations().len(),
        "only {answered} answered"
    );

    // Credentials the service refuses, and a revoked control token.
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "--app-id",
            APP_ID,
            "--app-key",
            WRONG_KEY,
            "start-meeting",
            "--conference-id",
            MEETING,
            "--password",
            HOST_PASSWORD,
        ],
        vec![
            "--access-token",
            ACCESS_TOKEN,
            "start-meeting",
            "--conference-id",
            MEETING,
            "--password",
            HOST_PASSWORD,
        ],
        vec![
            "--conference-authorization",
            CONTROL_TOKEN,
            "hang-up",
            "--conference-id",
            MEETING,
            "--bulk-hang-up-participants",
            "a",
        ],
        vec![
            "--host-password",
            WRONG_KEY,
            "set-role",
            "--conference-id",
            MEETING,
            "--participant-id",
            "a",
            "--apply-chair",
            "apply",
            "--chairman-pwd",
            HOST_PASSWORD,
        ],
        vec![
            "--account",
            ACCOUNT,
            "--account-password",
            WRONG_KEY,
            "account-auth",
        ],
    ];
    for case in cases {
        let mut args = endpoint_args(&sim);
        args.extend(owned(&case));
        let run = hw(&args);
        assert_eq!(run.code, 1, "{case:?}: a failed call:\n{}", run.out);
        assert_clean(&format!("{case:?}"), &run.out);
    }
    // The simulator logged what it received, masked.
    let log = serde_json::to_string(&sim.requests()).unwrap();
    assert_clean("the simulator's request log", &log);
}

/// `--all` on a paginated search: 7 meetings created through the API,
/// `--limit 3 --all` asks for the pages at 0, 3 and 6 and prints all 7 as
/// one list; a failing page fails the command with no list printed.
#[test]
fn all_walks_every_page_of_a_search_and_prints_one_list() {
    use hwmeeting_blocking::model::CreateMeetingRequest;
    let sim = Simulator::spawn(SimConfig::default().app(APP_ID, APP_KEY)).unwrap();
    let client = hwmeeting_blocking::Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(sim.ca_pem().unwrap())
        .credentials(hwmeeting_core::Credentials::app_id(APP_ID, APP_KEY))
        .build()
        .unwrap();
    let mut created = Vec::new();
    for i in 0..7 {
        let info = client
            .create_meeting(
                CreateMeetingRequest::new("Voice")
                    .subject(format!("Paged {i}"))
                    .start_time(format!("2031-01-0{} 08:00", i + 1)),
            )
            .unwrap();
        created.push(info[0].conference_id.clone().unwrap());
    }
    sim.clear_requests();

    let mut args = endpoint_args(&sim);
    args.extend(owned(&[
        "--app-id",
        APP_ID,
        "--app-key",
        APP_KEY,
        "--output",
        "json",
        "search-meetings",
        "--limit",
        "3",
        "--all",
    ]));
    let output = Command::new(&*BIN).args(&args).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert_clean("search-meetings --all", &format!("{stdout}{stderr}"));
    let list: Value = serde_json::from_str(stdout.trim()).expect("one JSON list");
    let mut ids: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|m| m["conferenceID"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 7, "{stdout}");
    ids.sort();
    ids.dedup();
    created.sort();
    assert_eq!(ids, created, "7 distinct meetings, those created");
    let pages: Vec<(String, String)> = sim
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("search_meetings"))
        .map(|r| {
            let text = |v: &Value| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (text(&r.query["offset"]), text(&r.query["limit"]))
        })
        .collect();
    let pages: Vec<(&str, &str)> = pages
        .iter()
        .map(|(o, l)| (o.as_str(), l.as_str()))
        .collect();
    assert_eq!(pages, [("0", "3"), ("3", "3"), ("6", "3")]);

    // Without --all: one page, the answer as it is.
    let mut one = endpoint_args(&sim);
    one.extend(owned(&[
        "--app-id",
        APP_ID,
        "--app-key",
        APP_KEY,
        "--output",
        "json",
        "search-meetings",
        "--limit",
        "3",
    ]));
    let output = Command::new(&*BIN).args(&one).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["count"], 7);
    assert_eq!(answer["data"].as_array().unwrap().len(), 3);

    // A failing page: exit 1, no list on stdout. (The simulator's faults
    // cannot skip the first matching request; the failure of a later page
    // is covered by the walk's unit tests in hwmeeting-cli.)
    let rule = FaultRule::new("/v1/mmc/management/conferences", Fault::status(400))
        .method("GET")
        .count(1);
    sim.push_fault(rule).unwrap();
    let run = Command::new(&*BIN).args(&args).output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.trim().is_empty(), "no partial list: {stdout}");
    assert!(stderr.contains("page 1 from item 0"), "{stderr}");

    // Commands without pagination have no --all.
    let run = hw(&owned(&["start-meeting", "--all"]));
    assert_eq!(run.code, 2, "{}", run.out);
}

#[test]
fn an_upload_sends_the_file_its_flag_names_and_refuses_a_missing_one() {
    let sim = sim();
    let mut args = endpoint_args(&sim);
    args.extend(owned(&[
        "--access-token",
        ACCESS_TOKEN,
        "set-user-profile-image",
        // `--user-id` is the global option of App ID logins.
        "--path-user-id",
        "u-9",
        "--file",
        PICTURE.to_str().unwrap(),
    ]));
    // The access token is the simulator's to check: log in first.
    let token = hwmeeting_tests::blocking_client(&sim)
        .access_token()
        .unwrap()
        .expose()
        .to_owned();
    let args: Vec<String> = args
        .into_iter()
        .map(|a| if a == ACCESS_TOKEN { token.clone() } else { a })
        .collect();
    let output = Command::new(&*BIN).args(&args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let uploads = sim.uploads();
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0].bytes, hwmeeting_tests::VALID_FILE);
    assert_eq!(uploads[0].content_type, "image/png");

    // A missing file is a usage error naming the flag; nothing is sent.
    let mut missing = args.clone();
    let at = missing.iter().position(|a| a == "--file").unwrap() + 1;
    missing[at] = "/nonexistent/picture.png".into();
    let output = Command::new(&*BIN).args(&missing).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_ne!(output.status.code(), Some(0));
    assert!(
        stderr.contains("--file") && stderr.contains("/nonexistent/picture.png"),
        "{stderr}"
    );
    assert_eq!(sim.uploads().len(), 1);
}
