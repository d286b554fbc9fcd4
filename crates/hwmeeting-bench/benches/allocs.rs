//! Figure 5, allocations: heap allocations and bytes per `to_http` of each
//! seed request, per attempt built from a prepared call, and per `decode`
//! of each seed answer, counted by a counting
//! global allocator (this binary only, so that the timed benchmarks run on
//! the plain system allocator).
//!
//! `cargo bench -p hwmeeting-bench --bench allocs`; with `-- --json FILE`
//! it also writes the counts as JSON.

use std::alloc::System;

use hwmeeting_bench::cpu::{Work, workloads};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Calls per count: the per-call figure is the total divided by this.
const CALLS: usize = 1000;

/// Allocations, reallocations and bytes allocated per call of `work`
/// (after one warm-up call, so lazy statics are not counted).
fn count(work: &Work) -> (f64, f64, f64) {
    std::hint::black_box(work());
    let region = Region::new(GLOBAL);
    for _ in 0..CALLS {
        std::hint::black_box(work());
    }
    let stats = region.change();
    let per = |n: usize| n as f64 / CALLS as f64;
    (
        per(stats.allocations),
        per(stats.reallocations),
        per(stats.bytes_allocated),
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let json_path = args
        .iter()
        .position(|a| a == "--json")
        .and_then(|i| args.get(i + 1));
    let mut rows = Vec::new();
    println!("| operation | step | allocations/call | reallocations/call | bytes allocated/call |");
    println!("| --- | --- | ---: | ---: | ---: |");
    for w in workloads() {
        for (step, work) in w.steps() {
            let (allocs, reallocs, bytes) = count(work);
            println!(
                "| {} | {step} | {allocs:.0} | {reallocs:.0} | {bytes:.0} |",
                w.operation
            );
            rows.push(serde_json::json!({
                "operation": w.operation,
                "step": step,
                "allocations_per_call": allocs,
                "reallocations_per_call": reallocs,
                "bytes_allocated_per_call": bytes,
            }));
        }
    }
    if let Some(path) = json_path {
        let text = serde_json::to_string_pretty(&rows).expect("JSON values serialize");
        std::fs::write(path, text + "\n").expect("the JSON file can be written");
        eprintln!("allocation counts written to {path}");
    }
}
