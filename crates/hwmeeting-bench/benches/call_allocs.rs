//! Heap allocations (and reallocations) of one whole `set_role` call: the
//! SDK (blocking and async) against the same call hand-written on plain
//! ureq and reqwest, over TLS with keep-alive against the in-process
//! simulator, 1 call in flight.
//!
//! The counter is global, so each figure also holds the simulator's
//! allocations for serving the call; those are the same for both sides (the
//! same request, answered the same way), so the difference is the SDK's own.
//!
//! `cargo bench -p hwmeeting-bench --bench call_allocs`

use std::alloc::System;

use hwmeeting_api::model::{ApplyChair, SetRoleRequest};
use hwmeeting_bench::BenchError;
use hwmeeting_bench::raw::RawSetRole;
use hwmeeting_bench::target::{Target, TargetOptions};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Calls per count, after as many to warm up.
const CALLS: u64 = 1000;

fn per_call(mut call: impl FnMut() -> Result<(), BenchError>) -> Result<f64, BenchError> {
    for _ in 0..CALLS {
        call()?;
    }
    let region = Region::new(GLOBAL);
    for _ in 0..CALLS {
        call()?;
    }
    let stats = region.change();
    Ok((stats.allocations + stats.reallocations) as f64 / CALLS as f64)
}

fn main() -> Result<(), BenchError> {
    let target = Target::open(TargetOptions {
        endpoint: None,
        ca_pem: None,
        app_id: hwmeeting_sim::DEFAULT_APP_ID.into(),
        app_key: hwmeeting_sim::DEFAULT_APP_KEY.into(),
        conference_id: hwmeeting_sim::DEMO_CONFERENCE_ID.into(),
        host_password: hwmeeting_sim::DEMO_HOST_PASSWORD.into(),
        participant: "p-alice".into(),
    })?;
    let request = || {
        SetRoleRequest::new(target.participant.as_str(), ApplyChair::Apply)
            .chairman_pwd(target.host_password.as_str())
    };

    let blocking = target.blocking_client()?;
    let meeting = blocking.conference(target.conference_id.as_str(), target.host_password.as_str());
    let token = meeting.control_token()?;
    let raw = RawSetRole::new(&target, token.expose());
    let agent = target.plain_ureq()?;
    let sdk_blocking = per_call(|| {
        meeting.set_role(request())?;
        Ok(())
    })?;
    let plain_ureq = per_call(|| raw.ureq(&agent))?;

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = rt.block_on(async { target.async_client() })?;
    let meeting = client.conference(target.conference_id.as_str(), target.host_password.as_str());
    let token = rt.block_on(meeting.control_token())?;
    let raw = RawSetRole::new(&target, token.expose());
    let plain = rt.block_on(async { target.plain_reqwest() })?;
    let sdk_async = per_call(|| {
        rt.block_on(meeting.set_role(request()))?;
        Ok(())
    })?;
    let plain_reqwest = per_call(|| rt.block_on(raw.reqwest(&plain)))?;

    println!(
        "| client | allocations per set_role call (client + simulator) | baseline | SDK's own |"
    );
    println!("| --- | ---: | ---: | ---: |");
    println!(
        "| hwmeeting-blocking vs plain ureq | {sdk_blocking:.1} | {plain_ureq:.1} | {:+.1} |",
        sdk_blocking - plain_ureq
    );
    println!(
        "| hwmeeting-async vs plain reqwest | {sdk_async:.1} | {plain_reqwest:.1} | {:+.1} |",
        sdk_async - plain_reqwest
    );
    target.shutdown();
    Ok(())
}
