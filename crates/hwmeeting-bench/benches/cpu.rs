//! Figure 5 with criterion: `to_http` of each seed request and `decode` of
//! each seed answer, no network.
//!
//! `cargo bench -p hwmeeting-bench --bench cpu` (allocations per call:
//! `--bench allocs`).

use criterion::{Criterion, criterion_group, criterion_main};
use hwmeeting_bench::cpu::workloads;

fn bench(c: &mut Criterion) {
    for w in workloads() {
        let mut group = c.benchmark_group(w.operation);
        group.bench_function("to_http", |b| b.iter(|| (w.to_http)()));
        group.bench_function("decode", |b| b.iter(|| (w.decode)()));
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
