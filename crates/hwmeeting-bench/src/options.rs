//! The command line, and the sizes it resolves to.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use serde::Serialize;

/// A figure of issue 6 (or all of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// Every figure below, in order.
    All,
    /// 1: sequential `set_role` through hwmeeting-blocking vs plain ureq.
    Blocking,
    /// 2: sequential `set_role` through hwmeeting-async vs plain reqwest.
    Async,
    /// 3: calls in flight on one async client vs plain reqwest.
    Fanout,
    /// 4: concurrent calls on a client with no token yet.
    Cold,
    /// 5: building requests and decoding answers, no network.
    Cpu,
    /// 6: `xtask codegen` over spec/ and over 20 renamed copies of it.
    Codegen,
    /// 7: the simulator's own throughput with a raw client.
    Sim,
    /// 8: cold and incremental builds of a small crate on each client
    /// (minutes; not part of `all`).
    Compile,
    /// 9: pushes/s through the sans-IO fold of the meeting control
    /// WebSocket.
    Live,
    /// 10: event-push verifications/s (parse + verify + typed event) vs a
    /// bare parse.
    Webhook,
}

impl Figure {
    /// The figures `list` stands for, in order, without repeats.
    pub fn expand(list: &[Figure]) -> Vec<Figure> {
        let mut out: Vec<Figure> = if list.is_empty() || list.contains(&Figure::All) {
            vec![
                Figure::Blocking,
                Figure::Async,
                Figure::Fanout,
                Figure::Cold,
                Figure::Cpu,
                Figure::Codegen,
                Figure::Sim,
                Figure::Live,
                Figure::Webhook,
            ]
        } else {
            list.to_vec()
        };
        out.sort();
        out.dedup();
        out
    }

    /// Whether the figure talks to a server.
    pub fn needs_server(self) -> bool {
        !matches!(
            self,
            Figure::Cpu
                | Figure::Codegen
                | Figure::Compile
                | Figure::Live
                | Figure::Webhook
                | Figure::All
        )
    }
}

/// `hwmeeting-bench`: the figures of issue 6 against one simulator on
/// 127.0.0.1 over TLS with keep-alive (the in-process one unless
/// `--endpoint` names a running one). Each figure is the median of several
/// runs; SDK and baseline runs alternate (A B, B A, ...).
#[derive(Clone, Debug, Parser)]
#[command(name = "hwmeeting-bench", version)]
pub struct Options {
    /// Figures to run (default: all).
    #[arg(value_enum)]
    pub figures: Vec<Figure>,

    /// A running hwmeeting-sim to measure against (`https://127.0.0.1:8443`)
    /// instead of the in-process one. It must serve the `/_sim/` routes.
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The PEM of the CA that `--endpoint`'s certificate chains to
    /// (`hwmeeting-sim --cert-out FILE`).
    #[arg(long, value_name = "PEM", requires = "endpoint")]
    pub ca_cert: Option<PathBuf>,
    /// App ID the SDK logs in with.
    #[arg(long, default_value = hwmeeting_sim::DEFAULT_APP_ID)]
    pub app_id: String,
    /// App key the SDK signs its login with.
    #[arg(long, default_value = hwmeeting_sim::DEFAULT_APP_KEY)]
    pub app_key: String,
    /// The meeting the calls control (created through `/_sim/conferences`
    /// if it does not exist, then started).
    #[arg(long, default_value = hwmeeting_sim::DEMO_CONFERENCE_ID)]
    pub conference_id: String,
    /// Its host password.
    #[arg(long, default_value = hwmeeting_sim::DEMO_HOST_PASSWORD)]
    pub host_password: String,
    /// The participant `set_role` makes host.
    #[arg(long, default_value = "p-alice")]
    pub participant: String,

    /// Smaller sizes (fewer calls and runs, 5 copies of spec/ instead of
    /// 20): every figure in about a minute.
    #[arg(long)]
    pub quick: bool,
    /// Sequential calls per run (figures 1 and 2).
    #[arg(long, value_name = "N")]
    pub calls: Option<usize>,
    /// Runs of each side per figure (the median is reported).
    #[arg(long, value_name = "N")]
    pub runs: Option<usize>,
    /// Concurrency levels of figure 3.
    #[arg(long, value_name = "N,N,..", value_delimiter = ',')]
    pub levels: Option<Vec<usize>>,
    /// Calls per run at each level of figure 3 (default: the larger of
    /// 5,000 and 8 x the level).
    #[arg(long, value_name = "N")]
    pub fanout_calls: Option<usize>,
    /// Concurrent calls on the cold client of figure 4.
    #[arg(long, value_name = "N")]
    pub cold_calls: Option<usize>,
    /// Concurrency levels of figure 7.
    #[arg(long, value_name = "N,N,..", value_delimiter = ',')]
    pub sim_levels: Option<Vec<usize>>,
    /// Requests per run at each level of figure 7.
    #[arg(long, value_name = "N")]
    pub sim_requests: Option<usize>,
    /// Copies of spec/ for the scaling run of figure 6.
    #[arg(long, value_name = "N")]
    pub copies: Option<usize>,
    /// The xtask binary (default: `xtask` beside this program, built with
    /// `cargo build --release -p xtask` if missing).
    #[arg(long, value_name = "PATH")]
    pub xtask: Option<PathBuf>,

    /// Cold builds of each downstream crate, figure 8 (default 3; 1 with
    /// --quick).
    #[arg(long, value_name = "N")]
    pub cold_builds: Option<usize>,
    /// Incremental rebuilds of each downstream crate, figure 8 (default 3).
    #[arg(long, value_name = "N")]
    pub incremental_builds: Option<usize>,
    /// Parallel jobs of each build of figure 8 (`cargo build -j`; default:
    /// every core).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Figure 8: build the SDK's crates incrementally, as a path
    /// dependency is, rather than as cargo builds a crates.io dependency.
    #[arg(long)]
    pub sdk_incremental: bool,

    /// Also write the figures as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

/// The sizes of every figure, from the options.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    /// Sequential calls per run, figures 1 and 2.
    pub calls: usize,
    /// Warm-up calls of each side before figures 1 and 2.
    pub warmup: usize,
    /// Runs of each side.
    pub runs: usize,
    /// Concurrency levels, figure 3.
    pub levels: Vec<usize>,
    /// Calls per run at each level, figure 3 (`None`: the larger of
    /// `fanout_min_calls` and 8 x the level).
    pub fanout_calls: Option<usize>,
    /// Least calls per run at a level, figure 3.
    pub fanout_min_calls: usize,
    /// Concurrent calls, figure 4.
    pub cold_calls: usize,
    /// Runs of each side, figure 4.
    pub cold_runs: usize,
    /// Concurrency levels, figure 7.
    pub sim_levels: Vec<usize>,
    /// Requests per run, figure 7.
    pub sim_requests: usize,
    /// Copies of spec/, figure 6.
    pub copies: usize,
    /// Runs of each size, figure 6.
    pub codegen_runs: usize,
    /// Target time of one timing run of a CPU figure, in milliseconds.
    pub cpu_run_ms: u64,
    /// Cold builds of each downstream crate, figure 8.
    pub cold_builds: usize,
    /// Incremental rebuilds of each downstream crate, figure 8.
    pub incremental_builds: usize,
    /// `cargo build -j`, figure 8 (`None`: every core).
    pub jobs: Option<usize>,
}

impl Plan {
    /// The sizes for `options` (`--quick` or full, then each override).
    pub fn from_options(options: &Options) -> Plan {
        let mut plan = if options.quick {
            Plan {
                calls: 300,
                warmup: 50,
                runs: 3,
                levels: vec![1, 10, 100, 1000],
                fanout_calls: None,
                fanout_min_calls: 500,
                cold_calls: 1000,
                cold_runs: 2,
                sim_levels: vec![1, 10, 100],
                sim_requests: 500,
                copies: 5,
                codegen_runs: 1,
                cpu_run_ms: 20,
                cold_builds: 1,
                incremental_builds: 3,
                jobs: None,
            }
        } else {
            Plan {
                calls: 2000,
                warmup: 200,
                runs: 7,
                levels: vec![1, 10, 100, 1000],
                fanout_calls: None,
                fanout_min_calls: 5000,
                cold_calls: 1000,
                cold_runs: 5,
                sim_levels: vec![1, 10, 100],
                sim_requests: 3000,
                copies: 20,
                codegen_runs: 3,
                cpu_run_ms: 200,
                // One cold build of each crate moves by 20 % from run to
                // run: the median of three is the figure.
                cold_builds: 3,
                incremental_builds: 3,
                jobs: None,
            }
        };
        if let Some(n) = options.calls {
            plan.calls = n.max(1);
            plan.warmup = plan.warmup.min(n.max(1));
        }
        if let Some(n) = options.runs {
            plan.runs = n.max(1);
            plan.cold_runs = plan.cold_runs.min(n.max(1));
            plan.codegen_runs = plan.codegen_runs.min(n.max(1));
        }
        if let Some(levels) = &options.levels {
            plan.levels = levels.iter().map(|l| (*l).max(1)).collect();
        }
        if let Some(n) = options.fanout_calls {
            plan.fanout_calls = Some(n.max(1));
        }
        if let Some(n) = options.cold_calls {
            plan.cold_calls = n.max(1);
        }
        if let Some(levels) = &options.sim_levels {
            plan.sim_levels = levels.iter().map(|l| (*l).max(1)).collect();
        }
        if let Some(n) = options.sim_requests {
            plan.sim_requests = n.max(1);
        }
        if let Some(n) = options.copies {
            plan.copies = n.max(1);
        }
        if let Some(n) = options.cold_builds {
            plan.cold_builds = n.max(1);
        }
        if let Some(n) = options.incremental_builds {
            plan.incremental_builds = n;
        }
        if let Some(n) = options.jobs {
            plan.jobs = Some(n.max(1));
        }
        plan
    }

    /// Calls per run at concurrency `level`, figure 3.
    pub fn fanout_calls_at(&self, level: usize) -> usize {
        self.fanout_calls
            .unwrap_or_else(|| self.fanout_min_calls.max(8 * level))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_expands_in_order() {
        assert_eq!(Figure::expand(&[]).len(), 9);
        assert_eq!(Figure::expand(&[]).last(), Some(&Figure::Webhook));
        assert_eq!(
            Figure::expand(&[Figure::Sim, Figure::Blocking, Figure::Sim]),
            [Figure::Blocking, Figure::Sim]
        );
    }

    #[test]
    fn overrides_apply() {
        let options = Options::parse_from([
            "hwmeeting-bench",
            "--quick",
            "--calls",
            "5",
            "--runs",
            "1",
            "--levels",
            "1,4",
            "blocking",
        ]);
        let plan = Plan::from_options(&options);
        assert_eq!((plan.calls, plan.warmup, plan.runs), (5, 5, 1));
        assert_eq!(plan.levels, [1, 4]);
        assert_eq!(plan.fanout_calls_at(1000), 8000);
        assert_eq!(options.figures, [Figure::Blocking]);
    }

    #[test]
    fn the_compile_figure_is_asked_for_by_name_only() {
        assert!(!Figure::expand(&[Figure::All]).contains(&Figure::Compile));
        let options = Options::parse_from([
            "hwmeeting-bench",
            "compile",
            "-j",
            "2",
            "--incremental-builds",
            "5",
        ]);
        let plan = Plan::from_options(&options);
        assert_eq!(Figure::expand(&options.figures), [Figure::Compile]);
        assert_eq!(
            (plan.cold_builds, plan.incremental_builds, plan.jobs),
            (3, 5, Some(2))
        );
    }
}
