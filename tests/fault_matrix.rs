//! The fault matrix: one table of faults, each run against both clients
//! and against an idempotent (`set_role`) and a non-idempotent (`hang_up`)
//! operation (`start_meeting` for the access-token faults), with short time
//! limits so the whole table runs in seconds.
//!
//! For each row and operation it checks the typed error (or success), how
//! many requests reached the server (so how many retries were made), that
//! the call took at least what the fault imposes and at most the total
//! time limit — and, by finishing at all, that nothing hangs or panics.
//!
//! The rows build on what the clients' own tests check in depth (the
//! error body of a 429, `Retry-After` against the total limit, the connect
//! timeout, the exact timing of each timeout): here every fault meets
//! both clients and both kinds of operation.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hwmeeting_api::model::{ApplyChair, HangUpRequest, SetRoleRequest, StartMeetingRequest};
use hwmeeting_core::{Error, TimeoutPhase};
use hwmeeting_sim::{Fault, FaultRule, SimConfig, SimHandle, Simulator};
use hwmeeting_tests::{
    AnyClient, AnyConference, CONFERENCE, ClosingServer, Flavor, HOST_PASSWORD, Settings,
    closed_port, count_operation, count_path,
};
use serde_json::json;

/// The per-attempt time limit of the matrix.
const ATTEMPT: Duration = Duration::from_millis(400);
/// The whole-call time limit of the matrix.
const TOTAL: Duration = Duration::from_secs(5);
/// The body limit of the matrix.
const MAX_BODY: u64 = 64 * 1024;
/// How many requests a lasting fault hits: more than any call makes.
const LASTING: u32 = 10;

/// An operation of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// Idempotent, meeting control token.
    SetRole,
    /// Not idempotent, meeting control token.
    HangUp,
    /// Not idempotent, access token.
    StartMeeting,
}

impl Op {
    fn meta(self) -> &'static hwmeeting_core::OperationMeta {
        match self {
            Op::SetRole => SetRoleRequest::META,
            Op::HangUp => HangUpRequest::META,
            Op::StartMeeting => StartMeetingRequest::META,
        }
    }

    /// Sends the operation; the attempts it took.
    fn run(self, client: &AnyClient, meeting: &AnyConference) -> Result<u32, Error> {
        match self {
            Op::SetRole => meeting
                .execute(
                    SetRoleRequest::new("p-bob", ApplyChair::Apply).chairman_pwd(HOST_PASSWORD),
                )
                .map(|r| r.attempts),
            Op::HangUp => meeting
                .execute(HangUpRequest::new(["p-carol"]))
                .map(|r| r.attempts),
            Op::StartMeeting => client
                .execute(StartMeetingRequest::new(CONFERENCE, HOST_PASSWORD))
                .map(|r| r.attempts),
        }
    }
}

/// What goes wrong.
#[derive(Clone, Debug)]
enum Setup {
    /// A fault of the simulator on the operation's path, for this many
    /// requests.
    Fault(Fault, u32),
    /// The simulator revokes every token before the call.
    ExpireTokens,
    /// A server that accepts and closes every connection at once.
    ClosingServer,
    /// A port where nothing listens.
    ClosedPort,
}

/// What a call must end in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Want {
    Ok,
    Api(u16),
    Connect,
    Transport,
    Timeout(TimeoutPhase),
    Decode,
    BodyTooLarge,
    /// Anything else (a Build or Config error): never expected here.
    Other,
}

/// The expectation for one operation of a row.
#[derive(Clone, Copy, Debug)]
struct Expect {
    op: Op,
    want: Want,
    /// Requests (or connections) the server received.
    received: usize,
    /// The call takes at least this long.
    at_least: Duration,
}

fn expect(op: Op, want: Want, received: usize) -> Expect {
    Expect {
        op,
        want,
        received,
        at_least: Duration::ZERO,
    }
}

fn at_least(mut e: Expect, d: Duration) -> Expect {
    e.at_least = d;
    e
}

/// One row of the table.
struct Case {
    name: &'static str,
    setup: Setup,
    expect: Vec<Expect>,
}

fn lasting(fault: Fault) -> Setup {
    Setup::Fault(fault, LASTING)
}

fn status_with(status: u16, body: serde_json::Value, headers: &[(&str, &str)]) -> Fault {
    Fault::Status {
        status,
        body: Some(body),
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<BTreeMap<_, _>>(),
    }
}

/// The table.
fn cases() -> Vec<Case> {
    use Op::{HangUp, SetRole, StartMeeting};
    use Want::*;
    let mut cases = vec![
        Case {
            name: "500 is final",
            setup: lasting(Fault::status(500)),
            expect: vec![expect(SetRole, Api(500), 1), expect(HangUp, Api(500), 1)],
        },
        Case {
            name: "503 once, then success",
            setup: Setup::Fault(Fault::status(503), 1),
            expect: vec![expect(SetRole, Ok, 2), expect(HangUp, Api(503), 1)],
        },
        Case {
            name: "429 without Retry-After, lasting",
            setup: lasting(Fault::status(429)),
            expect: vec![expect(SetRole, Api(429), 3), expect(HangUp, Api(429), 3)],
        },
        Case {
            name: "429 with Retry-After: 1, once",
            setup: Setup::Fault(
                status_with(
                    429,
                    json!({"error_code": "MMC.111000429", "error_msg": "slow down"}),
                    &[("Retry-After", "1")],
                ),
                1,
            ),
            expect: vec![
                at_least(expect(SetRole, Ok, 2), Duration::from_secs(1)),
                at_least(expect(HangUp, Ok, 2), Duration::from_secs(1)),
            ],
        },
        Case {
            name: "connection closed before the request is sent (TLS never set up)",
            setup: Setup::ClosingServer,
            expect: vec![expect(SetRole, Connect, 3), expect(HangUp, Connect, 3)],
        },
        Case {
            name: "closed port",
            setup: Setup::ClosedPort,
            expect: vec![expect(SetRole, Connect, 0), expect(HangUp, Connect, 0)],
        },
        Case {
            name: "connection reset after the request was read",
            setup: lasting(Fault::Reset),
            expect: vec![expect(SetRole, Transport, 3), expect(HangUp, Transport, 1)],
        },
        Case {
            name: "headers later than the per-attempt timeout",
            setup: lasting(Fault::DelayHeaders { ms: 2500 }),
            expect: vec![
                at_least(
                    expect(SetRole, Timeout(TimeoutPhase::Attempt), 3),
                    ATTEMPT * 3,
                ),
                at_least(expect(HangUp, Timeout(TimeoutPhase::Attempt), 1), ATTEMPT),
            ],
        },
        Case {
            name: "body stalls mid-way past the per-attempt timeout",
            setup: lasting(Fault::DelayBody {
                ms: 2500,
                bytes: Some(1),
            }),
            expect: vec![
                at_least(
                    expect(SetRole, Timeout(TimeoutPhase::Attempt), 3),
                    ATTEMPT * 3,
                ),
                at_least(expect(HangUp, Timeout(TimeoutPhase::Attempt), 1), ATTEMPT),
            ],
        },
        Case {
            name: "truncated body (Content-Length longer than what is sent)",
            setup: lasting(Fault::Truncate { status: 200 }),
            expect: vec![expect(SetRole, Transport, 3), expect(HangUp, Transport, 1)],
        },
        Case {
            name: "malformed JSON in a 200",
            setup: lasting(Fault::MalformedJson { status: 200 }),
            expect: vec![expect(SetRole, Decode, 1), expect(HangUp, Decode, 1)],
        },
        Case {
            name: "HTML error page from a gateway (502)",
            setup: lasting(Fault::Html { status: 502 }),
            expect: vec![expect(SetRole, Api(502), 3), expect(HangUp, Api(502), 1)],
        },
        Case {
            name: "HTML error page (500)",
            setup: lasting(Fault::Html { status: 500 }),
            expect: vec![expect(SetRole, Api(500), 1), expect(HangUp, Api(500), 1)],
        },
        Case {
            name: "empty error body (503)",
            setup: lasting(Fault::Empty { status: 503 }),
            expect: vec![expect(SetRole, Api(503), 3), expect(HangUp, Api(503), 1)],
        },
        Case {
            name: "empty 200 body",
            setup: lasting(Fault::Empty { status: 200 }),
            expect: vec![expect(SetRole, Ok, 1), expect(HangUp, Ok, 1)],
        },
        Case {
            name: "body over the size limit",
            setup: lasting(Fault::LargeBody { bytes: 1 << 20 }),
            expect: vec![
                expect(SetRole, BodyTooLarge, 1),
                expect(HangUp, BodyTooLarge, 1),
            ],
        },
        Case {
            name: "wrong content type, not JSON",
            setup: lasting(Fault::WrongContentType {
                status: 200,
                body: None,
            }),
            expect: vec![expect(SetRole, Decode, 1), expect(HangUp, Decode, 1)],
        },
        Case {
            name: "wrong content type, JSON body",
            setup: lasting(Fault::WrongContentType {
                status: 200,
                body: Some("{}".into()),
            }),
            expect: vec![expect(SetRole, Ok, 1), expect(HangUp, Ok, 1)],
        },
        Case {
            name: "401: the control token expired (renewed, call made once more)",
            setup: Setup::ExpireTokens,
            expect: vec![expect(SetRole, Ok, 2), expect(HangUp, Ok, 2)],
        },
        Case {
            name: "401: the control token is rejected every time",
            setup: lasting(status_with(
                401,
                json!({"error_code": "MMC.111070005", "error_msg": "the token has expired"}),
                &[],
            )),
            expect: vec![expect(SetRole, Api(401), 2), expect(HangUp, Api(401), 2)],
        },
        Case {
            name: "401: the access token expired (logged in again, call made once more)",
            setup: Setup::ExpireTokens,
            expect: vec![expect(StartMeeting, Ok, 2)],
        },
        Case {
            name: "401: the access token is rejected every time",
            setup: lasting(status_with(
                401,
                json!({"error_code": "USG.000000004", "error_msg": "token invalid"}),
                &[],
            )),
            expect: vec![expect(StartMeeting, Api(401), 2)],
        },
    ];
    for status in [502, 503, 504] {
        cases.push(Case {
            name: match status {
                502 => "502, lasting",
                503 => "503, lasting",
                _ => "504, lasting",
            },
            setup: lasting(Fault::status(status)),
            expect: vec![
                expect(Op::SetRole, Api(status), 3),
                expect(Op::HangUp, Api(status), 1),
            ],
        });
    }
    cases
}

/// The settings of the matrix for a server at `url`.
fn settings(mut s: Settings) -> Settings {
    s.attempt_timeout = ATTEMPT;
    s.total_timeout = TOTAL;
    s.connect_timeout = Duration::from_secs(1);
    s.max_body = Some(MAX_BODY);
    s
}

/// Where the call goes, and how to count what arrived there.
enum Server {
    Sim(SimHandle),
    Closing(ClosingServer),
    Closed,
}

/// Runs one operation of one row on one client; `Err` says what differs.
fn run(flavor: Flavor, case: &Case, e: &Expect) -> Result<(), String> {
    let meta = e.op.meta();
    let (server, client, meeting) = match &case.setup {
        Setup::Fault(..) | Setup::ExpireTokens => {
            let sim =
                Simulator::spawn(SimConfig::default().demo(true)).map_err(|e| e.to_string())?;
            let client = AnyClient::build(flavor, &settings(Settings::sim(&sim)))
                .map_err(|e| e.to_string())?;
            // Logged in, meeting started, control token at hand.
            client
                .execute(StartMeetingRequest::new(CONFERENCE, HOST_PASSWORD))
                .map_err(|e| format!("setup: {e}"))?;
            let meeting = client.conference(CONFERENCE, HOST_PASSWORD);
            meeting.control_token().map_err(|e| format!("setup: {e}"))?;
            sim.clear_requests();
            (Server::Sim(sim), client, meeting)
        }
        Setup::ClosingServer => {
            let server = ClosingServer::start();
            let s = settings(Settings::endpoint(server.https_url()))
                .with_credentials(hwmeeting_core::Credentials::access_token("access-token"));
            let client = AnyClient::build(flavor, &s).map_err(|e| e.to_string())?;
            let meeting = client.conference_with_token(CONFERENCE, "control-token");
            (Server::Closing(server), client, meeting)
        }
        Setup::ClosedPort => {
            let s = settings(Settings::endpoint(format!(
                "https://127.0.0.1:{}",
                closed_port()
            )))
            .with_credentials(hwmeeting_core::Credentials::access_token("access-token"));
            let client = AnyClient::build(flavor, &s).map_err(|e| e.to_string())?;
            let meeting = client.conference_with_token(CONFERENCE, "control-token");
            (Server::Closed, client, meeting)
        }
    };
    match (&case.setup, &server) {
        (Setup::Fault(fault, count), Server::Sim(sim)) => sim
            .push_fault(
                FaultRule::new(meta.path, fault.clone())
                    .method(meta.method)
                    .count(*count),
            )
            .map_err(|e| e.to_string())?,
        (Setup::ExpireTokens, Server::Sim(sim)) => {
            sim.expire_tokens();
        }
        _ => {}
    }

    let started = Instant::now();
    let result = e.op.run(&client, &meeting);
    let elapsed = started.elapsed();

    let received = match &server {
        Server::Sim(sim) => {
            // A delayed answer is logged when it is sent, after the client
            // gave up on it; the faults it used up count it at once.
            let logged = count_path(sim, meta.method, meta.path);
            let used = match &case.setup {
                Setup::Fault(_, count) => {
                    let left: u32 = sim.faults().iter().map(|r| r.count).sum();
                    (count - left) as usize
                }
                _ => 0,
            };
            logged.max(used)
        }
        Server::Closing(server) => server.accepted(),
        Server::Closed => 0,
    };

    let mut problems = Vec::new();
    let got = match &result {
        Ok(attempts) => {
            if *attempts as usize != e.received {
                problems.push(format!("{attempts} attempts reported"));
            }
            Want::Ok
        }
        Err(err) => classify(err),
    };
    if got != e.want {
        problems.push(format!("ended in {result:?}, expected {:?}", e.want));
    }
    if received != e.received {
        problems.push(format!(
            "the server received {received} requests, expected {}",
            e.received
        ));
    }
    if elapsed < e.at_least {
        problems.push(format!("took {elapsed:?}, less than {:?}", e.at_least));
    }
    // Within the configured time: the total limit, and some slack for a
    // loaded debug build.
    if elapsed > TOTAL + Duration::from_secs(1) {
        problems.push(format!(
            "took {elapsed:?}, more than the total limit {TOTAL:?}"
        ));
    }
    if let Err(err) = &result {
        check_error_text(err, e.op, &mut problems);
    }
    if let (Setup::ExpireTokens, Server::Sim(sim), Want::Ok) = (&case.setup, &server, e.want) {
        // The renewal went through the right call.
        let renewal = if e.op == Op::StartMeeting {
            "app_auth"
        } else {
            "create_conf_token"
        };
        if count_operation(sim, renewal) == 0 {
            problems.push(format!("expected a {renewal} call to renew the token"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn classify(err: &Error) -> Want {
    match err {
        Error::Api { source, .. } => Want::Api(source.status),
        Error::Connect { .. } => Want::Connect,
        Error::Transport { .. } => Want::Transport,
        Error::Timeout { phase, .. } => Want::Timeout(*phase),
        Error::Decode { .. } => Want::Decode,
        Error::BodyTooLarge { .. } => Want::BodyTooLarge,
        _ => Want::Other,
    }
}

/// Every error names the operation and says something useful.
fn check_error_text(err: &Error, op: Op, problems: &mut Vec<String>) {
    let text = err.to_string();
    if !text.starts_with(op.meta().id) {
        problems.push(format!("the error does not name the operation: {text}"));
    }
    if err.operation() != Some(op.meta().id) {
        problems.push(format!("Error::operation() is {:?}", err.operation()));
    }
    if let Error::Api { source, .. } = err
        && source.request_id.is_none()
    {
        problems.push(format!("no request id in {text}"));
    }
}

/// Runs every row against one client, several at a time; reports every
/// row that failed.
fn matrix(flavor: Flavor) {
    let cases = cases();
    let jobs: Vec<(&Case, &Expect)> = cases
        .iter()
        .flat_map(|c| c.expect.iter().map(move |e| (c, e)))
        .collect();
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..6 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((case, e)) = jobs.get(i) else { break };
                    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        run(flavor, case, e)
                    }));
                    let problem = match outcome {
                        Ok(Ok(())) => None,
                        Ok(Err(problem)) => Some(problem),
                        Err(_) => Some("panicked".to_owned()),
                    };
                    if let Some(problem) = problem {
                        failures.lock().unwrap().push(format!(
                            "{flavor:?} / {} / {:?}: {problem}",
                            case.name, e.op
                        ));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} runs failed:\n{}",
        failures.len(),
        jobs.len(),
        failures.join("\n")
    );
}

#[test]
fn fault_matrix_blocking() {
    matrix(Flavor::Blocking);
}

#[test]
fn fault_matrix_async() {
    matrix(Flavor::Async);
}

#[test]
fn the_table_covers_every_fault_kind_and_both_kinds_of_operation() {
    let cases = cases();
    let kinds: std::collections::BTreeSet<&str> = cases
        .iter()
        .filter_map(|c| match &c.setup {
            Setup::Fault(f, _) => Some(f.kind()),
            _ => None,
        })
        .collect();
    for kind in [
        "status",
        "delay_headers",
        "delay_body",
        "reset",
        "truncate",
        "malformed_json",
        "html",
        "empty",
        "large_body",
        "wrong_content_type",
    ] {
        assert!(kinds.contains(kind), "no row injects `{kind}`");
    }
    for c in &cases {
        let idempotent = c.expect.iter().any(|e| e.op.meta().idempotent);
        let not = c.expect.iter().any(|e| !e.op.meta().idempotent);
        assert!(not, "{}: no non-idempotent operation", c.name);
        assert!(
            idempotent || c.expect.iter().all(|e| e.op == Op::StartMeeting),
            "{}: no idempotent operation",
            c.name
        );
    }
}
