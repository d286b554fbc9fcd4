//! Figures 2, 3 and 4: `hwmeeting-async` against plain reqwest, one call
//! at a time, many in flight, and on a cold client.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hwmeeting_api::model::{ApplyChair, SetRoleRequest, StartMeetingRequest};
use tokio::runtime::Runtime;
use tokio::task::JoinSet;

use crate::cpuacct::{CpuMark, CpuSpent};
use crate::options::Plan;
use crate::raw::{self, RawSetRole};
use crate::report::{Goal, Row, per_call_rows};
use crate::stats::{PerCall, Side, interleave, micros, millis, percentile, rotate};
use crate::target::Target;
use crate::{BenchError, progress};

/// Figure 2's label.
pub const FIGURE_SEQUENTIAL: &str = "2 async";
/// Figure 3's label.
pub const FIGURE_FANOUT: &str = "3 fanout";
/// Figure 4's label.
pub const FIGURE_COLD: &str = "4 cold";

/// The tokio runtime the async figures run on: multi-threaded, one worker
/// per CPU, as a service would run.
pub fn runtime() -> Result<Runtime, BenchError> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// The SDK side and the baseline side of the async figures, warm: the
/// control token obtained, one connection open.
struct Sides {
    meeting: hwmeeting_async::Conference,
    participant: Arc<str>,
    host_password: Arc<str>,
    plain: reqwest::Client,
    raw: RawSetRole,
}

impl Sides {
    fn open(rt: &Runtime, target: &Target) -> Result<Sides, BenchError> {
        let client = target.async_client()?;
        let meeting =
            client.conference(target.conference_id.as_str(), target.host_password.as_str());
        let token = rt.block_on(meeting.control_token())?;
        Ok(Sides {
            meeting,
            participant: target.participant.as_str().into(),
            host_password: target.host_password.as_str().into(),
            plain: target.plain_reqwest()?,
            raw: RawSetRole::new(target, token.expose()),
        })
    }

    /// A `set_role` through the SDK, as a future that owns what it needs.
    fn sdk_call(&self) -> CallFn {
        let meeting = self.meeting.clone();
        let participant = self.participant.clone();
        let password = self.host_password.clone();
        Arc::new(move || {
            let meeting = meeting.clone();
            let request =
                SetRoleRequest::new(&*participant, ApplyChair::Apply).chairman_pwd(&*password);
            Box::pin(async move {
                meeting.set_role(request).await?;
                Ok(())
            })
        })
    }

    /// The same `set_role` hand-written on plain reqwest.
    fn raw_call(&self) -> CallFn {
        Self::raw_on(&self.plain, &self.raw)
    }

    fn raw_on(client: &reqwest::Client, raw: &RawSetRole) -> CallFn {
        let client = client.clone();
        let raw = raw.clone();
        Arc::new(move || {
            let client = client.clone();
            let raw = raw.clone();
            Box::pin(async move { raw.reqwest(&client).await })
        })
    }
}

/// One call, as a future that owns what it needs.
pub type BoxedCall = std::pin::Pin<Box<dyn Future<Output = Result<(), BenchError>> + Send>>;
/// What makes a call, shareable between tasks.
pub type CallFn = Arc<dyn Fn() -> BoxedCall + Send + Sync>;

/// Runs `n` calls one after the other in a task; returns what they cost
/// per call.
fn sequential(rt: &Runtime, n: usize, call: CallFn) -> Result<PerCall, BenchError> {
    let cpu = CpuMark::now();
    let started = Instant::now();
    rt.block_on(async move {
        tokio::spawn(async move {
            for _ in 0..n {
                call().await?;
            }
            Ok::<(), BenchError>(())
        })
        .await?
    })?;
    Ok(PerCall::from_totals(n, started.elapsed(), cpu.spent()))
}

/// Figure 2: `plan.calls` sequential `set_role` calls per run through
/// hwmeeting-async and through plain reqwest, alternating.
pub fn sequential_figure(target: &Target, plan: &Plan) -> Result<Vec<Row>, BenchError> {
    let rt = runtime()?;
    let sides = Sides::open(&rt, target)?;
    progress(FIGURE_SEQUENTIAL, "warming up");
    sequential(&rt, plan.warmup, sides.sdk_call())?;
    sequential(&rt, plan.warmup, sides.raw_call())?;
    let n = plan.calls;
    let (sdk, base) = interleave(
        plan.runs,
        |run| {
            progress(
                FIGURE_SEQUENTIAL,
                &format!("run {}/{} SDK", run + 1, plan.runs),
            );
            sequential(&rt, n, sides.sdk_call())
        },
        |run| {
            progress(
                FIGURE_SEQUENTIAL,
                &format!("run {}/{} plain reqwest", run + 1, plan.runs),
            );
            sequential(&rt, n, sides.raw_call())
        },
    )?;
    Ok(per_call_rows(
        FIGURE_SEQUENTIAL,
        &format!("set_role, {n} sequential calls/run"),
        &sdk,
        "plain reqwest",
        &base,
        Goal::RatioAtMost(1.05),
    ))
}

/// One run of many calls in flight.
#[derive(Clone, Debug)]
pub struct FanRun {
    /// From the first call started to the last answer.
    pub wall: Duration,
    /// The time of every successful call, sorted.
    pub latencies: Vec<Duration>,
    /// Calls that failed.
    pub errors: usize,
    /// The first failure, as text.
    pub first_error: Option<String>,
    /// CPU time spent during the run.
    pub cpu: CpuSpent,
}

impl FanRun {
    /// Successful calls per second.
    pub fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.wall.as_secs_f64()
    }

    /// Client CPU microseconds per call.
    pub fn client_cpu_us(&self) -> f64 {
        micros(self.cpu.client) / (self.latencies.len() + self.errors).max(1) as f64
    }

    /// Simulator CPU microseconds per call.
    pub fn sim_cpu_us(&self) -> f64 {
        micros(self.cpu.sim) / (self.latencies.len() + self.errors).max(1) as f64
    }
}

/// [`fan_out`] on `rt`, with the CPU time it took.
pub fn fan_out_on(
    rt: &Runtime,
    concurrency: usize,
    total: usize,
    call: CallFn,
) -> Result<FanRun, BenchError> {
    let cpu = CpuMark::now();
    let mut run = rt.block_on(fan_out(concurrency, total, call))?;
    run.cpu = cpu.spent();
    Ok(run)
}

/// `total` calls made by `concurrency` tasks, each starting its next call
/// when its last one answers: `concurrency` calls in flight.
pub async fn fan_out(concurrency: usize, total: usize, call: CallFn) -> Result<FanRun, BenchError> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for _ in 0..concurrency.clamp(1, total.max(1)) {
        let call = Arc::clone(&call);
        let next = Arc::clone(&next);
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            let mut first_error = None;
            while next.fetch_add(1, Ordering::Relaxed) < total {
                let t = Instant::now();
                match call().await {
                    Ok(()) => latencies.push(t.elapsed()),
                    Err(e) => {
                        errors += 1;
                        first_error.get_or_insert_with(|| e.to_string());
                    }
                }
            }
            (latencies, errors, first_error)
        });
    }
    let mut run = FanRun {
        wall: Duration::ZERO,
        latencies: Vec::with_capacity(total),
        errors: 0,
        first_error: None,
        cpu: CpuSpent::default(),
    };
    while let Some(done) = tasks.join_next().await {
        let (latencies, errors, first_error) = done?;
        run.latencies.extend(latencies);
        run.errors += errors;
        if run.first_error.is_none() {
            run.first_error = first_error;
        }
    }
    run.wall = started.elapsed();
    run.latencies.sort_unstable();
    Ok(run)
}

fn error_note(runs: &[&FanRun]) -> Option<String> {
    let errors: usize = runs.iter().map(|r| r.errors).sum();
    (errors > 0).then(|| {
        format!(
            "{errors} calls failed (first: {})",
            runs.iter()
                .find_map(|r| r.first_error.clone())
                .unwrap_or_default()
        )
    })
}

/// Figure 3: at each level, calls/s and p50/p99 latency of the SDK and of
/// plain reqwest with that many calls in flight on one client.
pub fn fanout_figure(target: &Target, plan: &Plan) -> Result<Vec<Row>, BenchError> {
    let rt = runtime()?;
    let sides = Sides::open(&rt, target)?;
    let mut rows = Vec::new();
    for &level in &plan.levels {
        let total = plan.fanout_calls_at(level);
        progress(FIGURE_FANOUT, &format!("{level} in flight: warming up"));
        // Opens the connections this level needs, on both sides.
        let warm = total.min(2 * level).max(level);
        rt.block_on(fan_out(level, warm, sides.sdk_call()))?;
        rt.block_on(fan_out(level, warm, sides.raw_call()))?;
        let runs = plan.runs;
        let say = |run: usize, who: &str| {
            progress(
                FIGURE_FANOUT,
                &format!("{level} in flight: run {}/{runs} {who}", run + 1),
            );
        };
        let list: Vec<Side<'_, FanRun, BenchError>> = vec![
            Box::new(|run| {
                say(run, "SDK");
                fan_out_on(&rt, level, total, sides.sdk_call())
            }),
            Box::new(|run| {
                say(run, "plain reqwest");
                fan_out_on(&rt, level, total, sides.raw_call())
            }),
        ];
        let mut results = rotate(runs, list)?.into_iter();
        let sdk = results.next().unwrap_or_default();
        let base = results.next().unwrap_or_default();
        let case = |what: &str| format!("{what}, {level} in flight ({total} calls/run)");
        let pick = |runs: &[FanRun], f: &dyn Fn(&FanRun) -> f64| runs.iter().map(f).collect();
        let mut rate = Row::paired(
            FIGURE_FANOUT,
            case("set_role throughput"),
            "calls/s",
            pick(&sdk, &FanRun::rate),
            "plain reqwest",
            pick(&base, &FanRun::rate),
        )
        .goal(Goal::RatioAtLeast(0.9));
        let all: Vec<&FanRun> = sdk.iter().chain(base.iter()).collect();
        if let Some(note) = error_note(&all) {
            rate = rate.note(note);
        }
        rows.push(rate);
        rows.push(Row::paired(
            FIGURE_FANOUT,
            case("client CPU"),
            "us/call",
            pick(&sdk, &FanRun::client_cpu_us),
            "plain reqwest",
            pick(&base, &FanRun::client_cpu_us),
        ));
        for (name, p) in [("p50 latency", 50.0), ("p99 latency", 99.0)] {
            let lat = |r: &FanRun| millis(percentile(&r.latencies, p));
            rows.push(Row::paired(
                FIGURE_FANOUT,
                case(name),
                "ms",
                pick(&sdk, &lat),
                "plain reqwest",
                pick(&base, &lat),
            ));
        }
    }
    Ok(rows)
}

/// What one cold run saw.
struct ColdRun {
    elapsed: Duration,
    auth_requests: usize,
    calls_seen: usize,
    errors: usize,
    first_error: Option<String>,
}

/// Runs `n` calls at once, each its own task; returns the time to the last
/// answer, the failures and the first failure.
async fn burst(
    n: usize,
    call: impl Fn() -> BoxedCall,
) -> Result<(Duration, usize, Option<String>), BenchError> {
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for _ in 0..n {
        tasks.spawn(call());
    }
    let mut errors = 0;
    let mut first = None;
    while let Some(done) = tasks.join_next().await {
        if let Err(e) = done? {
            errors += 1;
            first.get_or_insert_with(|| e.to_string());
        }
    }
    Ok((started.elapsed(), errors, first))
}

/// The two cold cases: what needs a token, how to call it, which
/// operation obtains the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cold {
    /// `start_meeting` needs an access token: a login (`app_auth`).
    Login,
    /// `set_role` needs a meeting control token: `create_conf_token`.
    Control,
}

impl Cold {
    fn auth_operation(self) -> &'static str {
        match self {
            Cold::Login => "app_auth",
            Cold::Control => "create_conf_token",
        }
    }

    fn call_operation(self) -> &'static str {
        match self {
            Cold::Login => "start_meeting",
            Cold::Control => "set_role",
        }
    }

    /// One run through a brand-new SDK client.
    fn sdk(self, rt: &Runtime, target: &Target, n: usize) -> Result<ColdRun, BenchError> {
        let client = target.async_client()?;
        target.clear_requests()?;
        let conference = target.conference_id.clone();
        let password = target.host_password.clone();
        let participant = target.participant.clone();
        let meeting = client.conference(conference.as_str(), password.as_str());
        let (elapsed, errors, first_error) = rt.block_on(async {
            match self {
                Cold::Login => {
                    burst(n, || {
                        let client = client.clone();
                        let request =
                            StartMeetingRequest::new(conference.as_str(), password.as_str());
                        Box::pin(async move {
                            client.start_meeting(request).await?;
                            Ok(())
                        })
                    })
                    .await
                }
                Cold::Control => {
                    burst(n, || {
                        let meeting = meeting.clone();
                        let request = SetRoleRequest::new(participant.as_str(), ApplyChair::Apply)
                            .chairman_pwd(password.as_str());
                        Box::pin(async move {
                            meeting.set_role(request).await?;
                            Ok(())
                        })
                    })
                    .await
                }
            }
        })?;
        self.finish(target, elapsed, errors, first_error)
    }

    /// One run of the ideal on a brand-new plain reqwest client: one
    /// hand-written token request, then `n` hand-written calls at once.
    fn raw(self, rt: &Runtime, target: &Target, n: usize) -> Result<ColdRun, BenchError> {
        let client = target.plain_reqwest()?;
        target.clear_requests()?;
        let (elapsed, errors, first_error) = rt.block_on(async {
            let started = Instant::now();
            let (_, errors, first) = match self {
                Cold::Login => {
                    let token: Arc<str> = raw::app_login(&client, target).await?.into();
                    let base: Arc<str> = target.url.as_str().into();
                    let conference: Arc<str> = target.conference_id.as_str().into();
                    let password: Arc<str> = target.host_password.as_str().into();
                    burst(n, || {
                        let (client, token, base, conference, password) = (
                            client.clone(),
                            token.clone(),
                            base.clone(),
                            conference.clone(),
                            password.clone(),
                        );
                        Box::pin(async move {
                            raw::start_meeting(&client, &base, &conference, &password, &token).await
                        })
                    })
                    .await?
                }
                Cold::Control => {
                    let token = raw::create_conf_token(&client, target).await?;
                    let call = RawSetRole::new(target, &token);
                    burst(n, || {
                        let (client, call) = (client.clone(), call.clone());
                        Box::pin(async move { call.reqwest(&client).await })
                    })
                    .await?
                }
            };
            Ok::<_, BenchError>((started.elapsed(), errors, first))
        })?;
        self.finish(target, elapsed, errors, first_error)
    }

    fn finish(
        self,
        target: &Target,
        elapsed: Duration,
        errors: usize,
        first_error: Option<String>,
    ) -> Result<ColdRun, BenchError> {
        let counts = target.count_requests()?;
        Ok(ColdRun {
            elapsed,
            auth_requests: counts.get(self.auth_operation()).copied().unwrap_or(0),
            calls_seen: counts.get(self.call_operation()).copied().unwrap_or(0),
            errors,
            first_error,
        })
    }
}

/// Figure 4: `plan.cold_calls` calls at once on a client with no token:
/// how many token requests reach the simulator (must be 1) and the time to
/// the last answer, against the ideal on plain reqwest (one token request,
/// then the calls).
pub fn cold_figure(target: &Target, plan: &Plan) -> Result<Vec<Row>, BenchError> {
    let rt = runtime()?;
    let n = plan.cold_calls;
    let mut rows = Vec::new();
    for cold in [Cold::Login, Cold::Control] {
        let (sdk, base) = interleave(
            plan.cold_runs,
            |run| {
                progress(
                    FIGURE_COLD,
                    &format!(
                        "{} x{n}: run {}/{} SDK",
                        cold.call_operation(),
                        run + 1,
                        plan.cold_runs
                    ),
                );
                cold.sdk(&rt, target, n)
            },
            |run| {
                progress(
                    FIGURE_COLD,
                    &format!(
                        "{} x{n}: run {}/{} plain reqwest",
                        cold.call_operation(),
                        run + 1,
                        plan.cold_runs
                    ),
                );
                cold.raw(&rt, target, n)
            },
        )?;
        let what = cold.call_operation();
        let auth = cold.auth_operation();
        let seen: Vec<String> = sdk.iter().map(|r| r.calls_seen.to_string()).collect();
        let mut count = Row::single(
            FIGURE_COLD,
            format!("{auth} requests at the simulator, {n} concurrent {what} on a cold client"),
            "requests",
            sdk.iter().map(|r| r.auth_requests as f64).collect(),
        )
        .goal(Goal::ValueEquals(1.0))
        .note(format!("{what} requests seen per run: {}", seen.join(", ")));
        let errors: usize = sdk.iter().chain(base.iter()).map(|r| r.errors).sum();
        if errors > 0 {
            let first = sdk
                .iter()
                .chain(base.iter())
                .find_map(|r| r.first_error.clone())
                .unwrap_or_default();
            count = count.note(format!("{errors} calls failed (first: {first})"));
        }
        rows.push(count);
        rows.push(Row::paired(
            FIGURE_COLD,
            format!("time to last answer, {n} concurrent {what}, cold client"),
            "ms",
            sdk.iter().map(|r| millis(r.elapsed)).collect(),
            &format!("plain reqwest: 1 {auth}, then {n} {what} at once"),
            base.iter().map(|r| millis(r.elapsed)).collect(),
        ));
    }
    Ok(rows)
}
