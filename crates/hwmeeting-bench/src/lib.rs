//! Benchmarks of **hwmeeting** (issue 6), run with
//! `cargo run --release -p hwmeeting-bench -- [FIGURE...] [--quick] [--json FILE]`.
//!
//! Every network figure runs against one simulator on 127.0.0.1 over TLS
//! with keep-alive: the in-process one, or a running one given with
//! `--endpoint URL --ca-cert PEM`. Each figure is the median of several
//! runs; each SDK figure is printed beside its baseline, measured in the
//! same runs (SDK and baseline alternate: A B, B A, ...), as a ratio.
//!
//! 1. [`blocking`]: sequential `set_role` through `hwmeeting-blocking` vs
//!    the same request hand-written on plain ureq (goal: ratio <= 1.05).
//! 2. [`asyncs::sequential_figure`]: the same with `hwmeeting-async` vs
//!    plain reqwest (goal: ratio <= 1.05).
//! 3. [`asyncs::fanout_figure`]: 1 to 1,000 calls in flight on one client:
//!    calls/s, p50 and p99 (goal: >= 0.9 of plain reqwest's calls/s).
//! 4. [`asyncs::cold_figure`]: 1,000 concurrent calls on a client with no
//!    token: token requests reaching the simulator (must be 1) and the time
//!    to the last answer.
//! 5. [`cpu`]: `to_http` and `decode` of every seed request and answer, in
//!    ns (also `cargo bench -p hwmeeting-bench --bench cpu`, and
//!    allocations per call with `--bench allocs`).
//! 6. [`codegen`]: `xtask codegen` over spec/ and over 20 renamed copies.
//! 7. [`simtp`]: the simulator's own throughput with a raw client.
//! 8. [`compile`]: cold and incremental build times of a small crate on
//!    each client with control only, the default features and `full`,
//!    against the same crate on the transport alone (only when asked for
//!    by name: it takes minutes).
//! 9. [`live`]: pushes/s through the sans-IO fold of the meeting control
//!    WebSocket (parse + fold of a participant increment) vs the bare
//!    `serde_json` parse of the same bytes (goal: >= 300,000/s).
//!
//! The baselines use clients set up as the SDK sets up its own
//! ([`target::plain_ureq_agent`], [`target::plain_reqwest_client`]), the
//! control token the SDK already holds, the same headers and body, and read
//! and parse the answer as the SDK does ([`raw::parse_answer`]). Timings are
//! reported, never asserted.

#![warn(missing_docs)]

pub mod asyncs;
pub mod blocking;
pub mod codegen;
pub mod compile;
pub mod cpu;
pub mod cpuacct;
pub mod live;
pub mod machine;
pub mod options;
pub mod raw;
pub mod report;
pub mod simtp;
pub mod stats;
pub mod target;
pub mod webhook;

use std::time::Duration;

use crate::machine::Machine;
use crate::options::{Figure, Options, Plan};
use crate::report::Report;
use crate::target::{Target, TargetOptions};

/// Any failure of a benchmark (they end the run: a figure is measured
/// whole or not at all).
pub type BenchError = Box<dyn std::error::Error + Send + Sync>;

/// Prints what is running now, on stderr.
pub fn progress(figure: &str, what: &str) {
    eprintln!("[{figure}] {what}");
}

/// Runs the figures the options ask for and gathers them in a report.
pub fn run(options: &Options, command: String) -> Result<Report, BenchError> {
    let plan = Plan::from_options(options);
    let figures = Figure::expand(&options.figures);
    let machine = Machine::detect();
    let target = if figures.iter().any(|f| f.needs_server()) {
        let ca_pem = match &options.ca_cert {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| format!("--ca-cert {}: {e}", path.display()))?,
            ),
            None => None,
        };
        Some(Target::open(TargetOptions {
            endpoint: options.endpoint.clone(),
            ca_pem,
            app_id: options.app_id.clone(),
            app_key: options.app_key.clone(),
            conference_id: options.conference_id.clone(),
            host_password: options.host_password.clone(),
            participant: options.participant.clone(),
        })?)
    } else {
        None
    };
    let mut report = Report {
        command,
        machine,
        endpoint: target
            .as_ref()
            .map(|t| t.url.clone())
            .unwrap_or_else(|| "(none: no network figure)".into()),
        in_process_simulator: target.as_ref().is_some_and(|t| t.in_process),
        plan: serde_json::to_value(&plan)?,
        rows: Vec::new(),
    };
    for figure in figures {
        let server = || target.as_ref().ok_or("no server");
        let rows = match figure {
            Figure::All => Vec::new(),
            Figure::Blocking => blocking::run(server()?, &plan)?,
            Figure::Async => asyncs::sequential_figure(server()?, &plan)?,
            Figure::Fanout => asyncs::fanout_figure(server()?, &plan)?,
            Figure::Cold => asyncs::cold_figure(server()?, &plan)?,
            Figure::Cpu => cpu::run(plan.runs.max(3), Duration::from_millis(plan.cpu_run_ms)),
            Figure::Codegen => codegen::run(&plan, options.xtask.as_deref())?,
            Figure::Sim => simtp::run(server()?, &plan)?,
            Figure::Compile => compile::run(&compile::CompilePlan {
                cold_runs: plan.cold_builds,
                incremental_runs: plan.incremental_builds,
                jobs: plan.jobs,
                sdk_incremental: options.sdk_incremental,
            })?,
            Figure::Live => live::run(plan.runs.max(3)),
            Figure::Webhook => {
                webhook::run(plan.runs.max(3), Duration::from_millis(plan.cpu_run_ms))
            }
        };
        report.rows.extend(rows);
    }
    if let Some(target) = target {
        target.shutdown();
    }
    Ok(report)
}
