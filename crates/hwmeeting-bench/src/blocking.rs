//! Figure 1: per-call overhead of `hwmeeting-blocking` against the same
//! request hand-written on plain ureq.

use hwmeeting_api::model::{ApplyChair, SetRoleRequest};

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
/// with ureq's default resolver (a lookup thread on every call), shows what
/// the SDK's resolver ([`hwmeeting_blocking::LiteralFirstResolver`]) saves.
pub fn run(target: &Target, plan: &Plan) -> Result<Vec<Row>, BenchError> {
    let client = target.blocking_client()?;
    let meeting = client.conference(target.conference_id.as_str(), target.host_password.as_str());
    let token = meeting.control_token()?;
    let agent = target.plain_ureq()?;
    let default_agent = target.plain_ureq_default_resolver()?;
    let raw = RawSetRole::new(target, token.expose());
    let sdk_call = || -> Result<(), BenchError> {
        meeting.set_role(
            SetRoleRequest::new(target.participant.as_str(), ApplyChair::Apply)
                .chairman_pwd(target.host_password.as_str()),
        )?;
        Ok(())
    };
    let raw_call = || raw.ureq(&agent);
    let default_call = || raw.ureq(&default_agent);

    progress(FIGURE, "warming up");
    for _ in 0..plan.warmup {
        sdk_call()?;
        raw_call()?;
        default_call()?;
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
                &format!("run {}/{runs} plain ureq, default resolver", run + 1),
            );
            PerCall::measure(n, default_call)
        }),
    ];
    let mut results = rotate(runs, sides)?.into_iter();
    let (sdk, base, default_resolver) = (
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
        format!("{case}: SDK vs plain ureq with ureq's default resolver"),
        "us/call",
        sdk.iter().map(|r| r.wall_us).collect(),
        "plain ureq, default resolver (a lookup thread per call)",
        default_resolver.iter().map(|r| r.wall_us).collect(),
    ));
    rows.push(Row::paired(
        FIGURE,
        format!("{case}: client CPU, SDK vs plain ureq with ureq's default resolver"),
        "us/call",
        sdk.iter().map(|r| r.client_cpu_us).collect(),
        "plain ureq, default resolver (a lookup thread per call)",
        default_resolver.iter().map(|r| r.client_cpu_us).collect(),
    ));
    Ok(rows)
}
