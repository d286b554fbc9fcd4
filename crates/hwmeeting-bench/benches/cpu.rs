//! Figure 5 with criterion: `to_http` of each seed request, one attempt
//! built from a prepared call, and `decode` of each seed answer, no network.
//!
//! `cargo bench -p hwmeeting-bench --bench cpu` (allocations per call:
//! `--bench allocs`).

use criterion::{Criterion, criterion_group, criterion_main};
use hwmeeting_bench::cpu::workloads;

fn bench(c: &mut Criterion) {
    for w in workloads() {
        let mut group = c.benchmark_group(w.operation);
        for (step, work) in w.steps() {
            group.bench_function(step, |b| b.iter(work));
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
