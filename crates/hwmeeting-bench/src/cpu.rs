//! Figure 5: pure CPU, no network: building each seed request
//! (`Operation::to_http`; and one attempt's request from a prepared call,
//! `Operation::attempt_request`, what a client does per attempt after
//! checking the call once) and decoding each seed answer
//! (`Operation::decode`). The same workloads feed the criterion benches
//! (`benches/cpu.rs`), the allocation counter (`benches/allocs.rs`) and the
//! `cpu` figure of the program.

use std::hint::black_box;
use std::time::{Duration, Instant};

use hwmeeting_api::model::*;
use hwmeeting_core::{Credential, Endpoint, Operation, Secret};
use serde_json::Value;

use crate::report::Row;

/// The figure's label.
pub const FIGURE: &str = "5 cpu";

/// A closure run by a benchmark; it returns a number so that the work
/// cannot be optimised away.
pub type Work = Box<dyn Fn() -> usize + Send + Sync>;

/// The CPU workloads of one operation.
pub struct Workload {
    /// The operation's id.
    pub operation: &'static str,
    /// Builds the seed request: `to_http` of a ready typed request (check,
    /// wire form, credential, `http::Request`).
    pub to_http: Work,
    /// Builds one attempt's request from the call prepared (checked) once:
    /// `attempt_request`, the clients' work per attempt.
    pub attempt: Work,
    /// Decodes the seed answer (status 200, the spec example's body).
    pub decode: Work,
}

impl Workload {
    /// The steps by name: `to_http`, `attempt`, `decode`.
    pub fn steps(&self) -> [(&'static str, &Work); 3] {
        [
            ("to_http", &self.to_http),
            ("attempt", &self.attempt),
            ("decode", &self.decode),
        ]
    }
}

/// The credential a workload's request carries.
#[derive(Clone, Copy, Debug)]
enum Cred {
    None,
    AppKey,
    Password,
    AccessToken,
    ConferenceToken,
}

impl Cred {
    fn with(self, secret: &Secret) -> Credential<'_> {
        match self {
            Cred::None => Credential::None,
            Cred::AppKey => Credential::AppKey(secret),
            Cred::Password => Credential::Password(secret),
            Cred::AccessToken => Credential::AccessToken(secret),
            Cred::ConferenceToken => Credential::ConferenceToken(secret),
        }
    }
}

/// The first example answer's body in a spec file (`null` is an empty
/// body, as the seed pages show it).
fn example_body(spec: &str) -> Vec<u8> {
    let spec: Value = serde_json::from_str(spec).expect("the spec files are JSON");
    match spec.pointer("/examples/0/response/body") {
        None | Some(Value::Null) => Vec::new(),
        Some(body) => serde_json::to_vec(body).expect("a JSON value serializes"),
    }
}

fn workload<O>(op: O, cred: Cred, answer: Vec<u8>) -> Workload
where
    O: Operation + Clone + Send + Sync + 'static,
{
    let operation = op.meta().id;
    let endpoint = Endpoint::default();
    let secret = Secret::new(match cred {
        Cred::None => "",
        Cred::AppKey => "hwmeeting-sim-key",
        Cred::Password => "p4ssw0rd!",
        Cred::AccessToken => "stbX5ElstO5QwOwPB9KGQWUZ1DHoFrTsQjjC",
        Cred::ConferenceToken => "stbaf8fa2ea8a1b0e3ab2e007a85a75f88c55d5f6d5c1912dfb",
    });
    // Both must work before they are timed.
    let built = op
        .to_http(&endpoint, cred.with(&secret))
        .unwrap_or_else(|e| panic!("{operation}: the seed request does not build: {e}"));
    drop(built);
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    headers.insert(
        "x-request-id",
        http::HeaderValue::from_static("8957e54c2881f52125edd6439995fbf7"),
    );
    if let Err(e) = op.decode(200, &headers, &answer) {
        panic!("{operation}: the seed answer does not decode: {e}");
    }
    let build_op = op.clone();
    let attempt_op = op.clone();
    let prepared = op.prepare().expect("checked above");
    let attempt_secret = secret.clone();
    let attempt_endpoint = endpoint.clone();
    Workload {
        operation,
        to_http: Box::new(move || {
            let request = black_box(&build_op)
                .to_http(black_box(&endpoint), cred.with(&secret))
                .expect("checked above");
            request.body().len() + request.headers().len()
        }),
        attempt: Box::new(move || {
            let request = black_box(&attempt_op)
                .attempt_request(
                    black_box(&prepared),
                    black_box(&attempt_endpoint),
                    cred.with(&attempt_secret),
                )
                .expect("checked above");
            request.body.len() + request.headers.len()
        }),
        decode: Box::new(move || {
            let output = black_box(&op)
                .decode(200, black_box(&headers), black_box(&answer))
                .expect("checked above");
            black_box(output);
            1
        }),
    }
}

/// The operations of the seed pages, which [`workloads`] covers with the
/// login and control-token calls every session makes.
pub const SEEDS: &[&str] = &[
    "set_role",
    "hang_up",
    "invite_operate_video",
    "update_started_conf_config",
    "start_meeting",
];

/// The seed requests and answers: the seed pages' operations, the control
/// token, and both logins, each with its spec example's answer.
pub fn workloads() -> Vec<Workload> {
    vec![
        workload(
            SetRoleRequest::new("d2c3ae64216e11eabc510dc9b62e3a80", ApplyChair::Apply)
                .conference_id("914083136")
                .chairman_pwd("157599"),
            Cred::ConferenceToken,
            example_body(include_str!("../../../spec/set_role.json")),
        ),
        workload(
            HangUpRequest::new(["ba9acb1e216d11eabc5165c2b91ad427"]).conference_id("914083136"),
            Cred::ConferenceToken,
            example_body(include_str!("../../../spec/hang_up.json")),
        ),
        workload(
            InviteOperateVideoRequest::new(
                "4a5rg64ag5p8pvvnam1rr6m8lqra6a61",
                CameraInvitation::Disable,
            )
            .conference_id("986947855"),
            Cred::ConferenceToken,
            example_body(include_str!("../../../spec/invite_operate_video.json")),
        ),
        workload(
            UpdateStartedConfConfigRequest::new()
                .conference_id("900244663")
                .lock_sharing(SharingLock::Unlocked),
            Cred::ConferenceToken,
            example_body(include_str!(
                "../../../spec/update_started_conf_config.json"
            )),
        ),
        workload(
            StartMeetingRequest::new("986030665", "******"),
            Cred::AccessToken,
            example_body(include_str!("../../../spec/start_meeting.json")),
        ),
        workload(
            CreateConfTokenRequest::new("157599").conference_id("914083136"),
            Cred::None,
            example_body(include_str!("../../../spec/create_conf_token.json")),
        ),
        workload(
            AppAuthRequest::new(
                "fdb8e4699586458bbd10c834872dcc62",
                1_700_000_300,
                "0123456789abcdef0123456789abcdef",
            ),
            Cred::AppKey,
            example_body(include_str!("../../../spec/app_auth.json")),
        ),
        workload(
            AccountAuthRequest::new("alice@example.com"),
            Cred::Password,
            example_body(include_str!("../../../spec/account_auth.json")),
        ),
    ]
}

/// Nanoseconds per call of `work`: the median of `runs` timed loops of
/// about `run_time` each.
pub fn time_ns(work: &Work, runs: usize, run_time: Duration) -> Vec<f64> {
    // Calibrate: how many calls fill a run.
    let mut iterations = 1usize;
    loop {
        let started = Instant::now();
        for _ in 0..iterations {
            black_box(work());
        }
        let elapsed = started.elapsed();
        if elapsed >= run_time / 4 || iterations >= 1 << 30 {
            let per = elapsed.as_secs_f64() / iterations as f64;
            iterations = ((run_time.as_secs_f64() / per.max(1e-9)) as usize).max(1);
            break;
        }
        iterations *= 2;
    }
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..iterations {
                black_box(work());
            }
            started.elapsed().as_secs_f64() * 1e9 / iterations as f64
        })
        .collect()
}

/// Figure 5 as rows: ns per `to_http`, per `attempt` and per `decode` of
/// each operation.
pub fn run(runs: usize, run_time: Duration) -> Vec<Row> {
    let mut rows = Vec::new();
    for w in workloads() {
        for (what, work) in w.steps() {
            crate::progress(FIGURE, &format!("{} {what}", w.operation));
            let ns = time_ns(work, runs, run_time);
            rows.push(Row::single(
                FIGURE,
                format!("{} {what}", w.operation),
                "ns/call",
                ns,
            ));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_has_a_workload_that_runs() {
        let all = workloads();
        let ids: Vec<&str> = all.iter().map(|w| w.operation).collect();
        for seed in SEEDS {
            assert!(ids.contains(seed), "no workload for {seed}");
        }
        for w in &all {
            assert!((w.to_http)() > 0, "{}", w.operation);
            assert!((w.attempt)() > 0, "{}", w.operation);
            assert_eq!((w.decode)(), 1, "{}", w.operation);
        }
    }
}
