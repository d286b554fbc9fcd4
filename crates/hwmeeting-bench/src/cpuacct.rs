//! CPU time, split between the client side and the in-process simulator:
//! what a call costs in CPU, which machine noise barely moves, beside the
//! wall time, which it does.

use std::time::Duration;

use cpu_time::ProcessTime;

/// The name prefix of the in-process simulator's threads (its runtime's
/// thread and workers; Linux keeps 15 bytes of a thread name).
const SIM_THREAD_PREFIX: &str = "hwmeeting-sim";

/// The CPU time of the simulator's threads in this process, from
/// `/proc/self/task/*/schedstat` (nanoseconds on the CPU); zero where that
/// cannot be read or the simulator runs elsewhere.
pub fn sim_threads_cpu() -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    let mut total = Duration::ZERO;
    for task in tasks.flatten() {
        let dir = task.path();
        let is_sim = std::fs::read_to_string(dir.join("comm"))
            .is_ok_and(|name| name.starts_with(SIM_THREAD_PREFIX));
        if !is_sim {
            continue;
        }
        let ns = std::fs::read_to_string(dir.join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0);
        total += Duration::from_nanos(ns);
    }
    total
}

/// A point to measure CPU time from.
#[derive(Clone, Copy, Debug)]
pub struct CpuMark {
    process: ProcessTime,
    sim: Duration,
}

/// CPU time spent since a [`CpuMark`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CpuSpent {
    /// Every thread of this process but the simulator's: the client, the
    /// benchmark's own loop, and threads that have exited since (ureq's
    /// resolver threads).
    pub client: Duration,
    /// The in-process simulator's threads.
    pub sim: Duration,
}

impl CpuMark {
    /// Now.
    pub fn now() -> CpuMark {
        CpuMark {
            process: ProcessTime::now(),
            sim: sim_threads_cpu(),
        }
    }

    /// What was spent since this mark.
    pub fn spent(&self) -> CpuSpent {
        let process = self.process.elapsed();
        let sim = sim_threads_cpu().saturating_sub(self.sim);
        CpuSpent {
            client: process.saturating_sub(sim),
            sim,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_work_counts_as_client() {
        let mark = CpuMark::now();
        let mut x = 0u64;
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_millis(30) {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
        }
        let spent = mark.spent();
        assert!(spent.client >= Duration::from_millis(10), "{spent:?}");
        assert_eq!(spent.sim, Duration::ZERO);
    }
}
