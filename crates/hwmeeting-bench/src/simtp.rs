//! Figure 7: the simulator's own throughput, with a raw reqwest client on
//! keep-alive connections, so a reader can tell whether the server bounds
//! figures 1 to 3.

use std::sync::Arc;

use crate::asyncs::{BoxedCall, CallFn, FanRun, fan_out, fan_out_on, runtime};
use crate::options::Plan;
use crate::raw::{self, RawSetRole, parse_answer};
use crate::report::Row;
use crate::stats::{median, millis, percentile};
use crate::target::Target;
use crate::{BenchError, progress};

/// The figure's label.
pub const FIGURE: &str = "7 sim";

/// At each level: requests/s of `GET /_sim/health` (no API work: routing,
/// TLS and HTTP only) and of a hand-written `set_role` (the API work of
/// figures 1 to 3), each the median of `plan.runs` runs.
pub fn run(target: &Target, plan: &Plan) -> Result<Vec<Row>, BenchError> {
    let rt = runtime()?;
    let client = target.plain_reqwest()?;
    let token = rt.block_on(raw::create_conf_token(&client, target))?;
    let set_role = RawSetRole::new(target, &token);
    let health_url = format!("{}/_sim/health", target.url);
    let health: CallFn = {
        let client = client.clone();
        Arc::new(move || {
            let client = client.clone();
            let url = health_url.clone();
            Box::pin(async move {
                let response = client.get(url).send().await?;
                let status = response.status().as_u16();
                let body = response.bytes().await?;
                parse_answer(status, &body)?;
                Ok(())
            }) as BoxedCall
        })
    };
    let control: CallFn = {
        let client = client.clone();
        Arc::new(move || {
            let client = client.clone();
            let call = set_role.clone();
            Box::pin(async move { call.reqwest(&client).await }) as BoxedCall
        })
    };
    let n = plan.sim_requests;
    let mut rows = Vec::new();
    for &level in &plan.sim_levels {
        for (name, call) in [
            ("GET /_sim/health", &health),
            ("set_role, raw reqwest", &control),
        ] {
            progress(FIGURE, &format!("{name}, {level} in flight"));
            let total = n.max(level);
            rt.block_on(fan_out(
                level,
                total.min(2 * level).max(level),
                Arc::clone(call),
            ))?;
            let mut runs: Vec<FanRun> = Vec::new();
            for _ in 0..plan.runs {
                runs.push(fan_out_on(&rt, level, total, Arc::clone(call))?);
            }
            let mut row = Row::single(
                FIGURE,
                format!("{name}, {level} in flight ({total} requests/run)"),
                "requests/s",
                runs.iter().map(FanRun::rate).collect(),
            );
            let p50: Vec<f64> = runs
                .iter()
                .map(|r| millis(percentile(&r.latencies, 50.0)))
                .collect();
            row = row.note(format!("p50 {:.3} ms", median(&p50)));
            let sim_cpu: Vec<f64> = runs.iter().map(FanRun::sim_cpu_us).collect();
            if sim_cpu.iter().any(|c| *c > 0.0) {
                row = row.note(format!("simulator CPU {:.1} us/request", median(&sim_cpu)));
            }
            let errors: usize = runs.iter().map(|r| r.errors).sum();
            if errors > 0 {
                row = row.note(format!("{errors} requests failed"));
            }
            rows.push(row);
        }
    }
    Ok(rows)
}
