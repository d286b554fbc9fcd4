//! Figure 1: per-call overhead of `hwmeeting-blocking` against the same
//! request hand-written on plain ureq.

use hwmeeting_core::model::{ApplyChair, SetRoleRequest};

use crate::options::Plan;
use crate::raw::RawSetRole;
use crate::report::{Goal, Row, per_call_rows};
use crate::stats::{PerCall, Side, rotate};
use crate::target::Target;
use crate::{BenchError, progress};

/// The figure's label.
pub const FIGURE: &str = "1 blocking";

/// `plan.calls` sequential `set_role` calls per run through the SDK and
/// through plain ureq with the same agent settings, alternating, with the
/// control token already obtained, each on its keep-alive connection.
/// Reports wall and CPU microseconds per call. A third side, plain ureq
/// with a resolver that does not spawn a thread per call
/// ([`crate::target::LiteralFirstResolver`]), shows what ureq's default
/// resolver costs the SDK and the baseline alike.
pub fn run(target: &Target, plan: &Plan) -> Result<Vec<Row>, BenchError> {
    let client = target.blocking_client()?;
    let meeting = client.conference(target.conference_id.as_str(), target.host_password.as_str());
    let token = meeting.control_token()?;
    let agent = target.plain_ureq()?;
    let lean_agent = target.plain_ureq_with_literal_resolver()?;
    let raw = RawSetRole::new(target, token.expose());
    let sdk_call = || -> Result<(), BenchError> {
        meeting.set_role(
            SetRoleRequest::new(target.participant.as_str(), ApplyChair::Apply)
                .chairman_pwd(target.host_password.as_str()),
        )?;
        Ok(())
    };
    let raw_call = || raw.ureq(&agent);
    let lean_call = || raw.ureq(&lean_agent);

    progress(FIGURE, "warming up");
    for _ in 0..plan.warmup {
        sdk_call()?;
        raw_call()?;
        lean_call()?;
    }
    let n = plan.calls;
    let runs = plan.runs;
    let sides: Vec<Side<'_, PerCall, BenchError>> = vec![
        Box::new(|run| {
            progress(FIGURE, &format!("run {}/{runs} SDK", run + 1));
            PerCall::measure(n, sdk_call)
        }),
        Box::new(|run| {
            progress(FIGURE, &format!("run {}/{runs} plain ureq", run + 1));
            PerCall::measure(n, raw_call)
        }),
        Box::new(|run| {
            progress(
                FIGURE,
                &format!("run {}/{runs} plain ureq, literal resolver", run + 1),
            );
            PerCall::measure(n, lean_call)
        }),
    ];
    let mut results = rotate(runs, sides)?.into_iter();
    let (sdk, base, lean) = (
        results.next().unwrap_or_default(),
        results.next().unwrap_or_default(),
        results.next().unwrap_or_default(),
    );
    let case = format!("set_role, {n} sequential calls/run");
    let mut rows = per_call_rows(
        FIGURE,
        &case,
        &sdk,
        "plain ureq",
        &base,
        Goal::RatioAtMost(1.05),
    );
    rows.push(Row::paired(
        FIGURE,
        format!("{case}: plain ureq, default resolver vs one without a thread per call"),
        "us/call",
        base.iter().map(|r| r.wall_us).collect(),
        "plain ureq + LiteralFirstResolver",
        lean.iter().map(|r| r.wall_us).collect(),
    ));
    rows.push(Row::paired(
        FIGURE,
        format!("{case}: client CPU, default resolver vs one without a thread per call"),
        "us/call",
        base.iter().map(|r| r.client_cpu_us).collect(),
        "plain ureq + LiteralFirstResolver",
        lean.iter().map(|r| r.client_cpu_us).collect(),
    ));
    Ok(rows)
}
