//! Pushes per second through the sans-IO fold of the meeting control
//! WebSocket (`hwmeeting_core::live`): parse a typical participant
//! increment (one participant's `MUTE` toggled, in a meeting of 50) and
//! fold it into the live view, on one core; beside the bare
//! `serde_json::from_slice::<Value>` parse of the same bytes. No network.

use std::hint::black_box;
use std::time::Instant;

use hwmeeting_core::live::{Fold, Folded, parse};
use serde_json::Value;

use crate::report::{Goal, Row};

/// The figure's label.
pub const FIGURE: &str = "9 live";

/// Increments per run.
const PUSHES: usize = 20_000;

/// The snapshot the increments apply to: 50 participants.
pub fn snapshot() -> Vec<u8> {
    let people: Vec<String> = (0..50)
        .map(|i| {
            format!(
                r#"{{"pid":"p{i:031}","mode":0,"pinfoMap":{{"NAME":"Participant {i}","ROLE":"{}","MUTE":"0","HAND":"0","STATE":"0","VIDEO":"1","SHARE":"0","TEL":"+8657129967{i:04}","ADDTIME":"1611988486336","CLIENT_LOGIN_TYPE":"Desktop","IS_COHOST":"0"}}}}"#,
                u8::from(i == 0)
            )
        })
        .collect();
    format!(
        r#"{{"data":[{}],"confID":"900487914","msgID":"23a429e862d111eb980a11b5be5aab3c","msgMode":0,"version":1611993595058,"createTime":1611993595058,"action":"ParticipantsNotify"}}"#,
        people.join(",")
    )
    .into_bytes()
}

/// A typical increment: participant `n % 50` muted or unmuted, numbered
/// `version`.
pub fn increment(n: usize, version: usize) -> Vec<u8> {
    format!(
        r#"{{"data":[{{"pid":"p{:031}","mode":0,"pinfoMap":{{"MUTE":"{}"}}}}],"confID":"900487914","msgID":"244720b162d111eb980a6b11e9b06158","msgMode":1,"version":{version},"createTime":1611993596126,"action":"ParticipantsNotify"}}"#,
        n % 50,
        (n / 50) % 2
    )
    .into_bytes()
}

/// The increments of one run, numbered 1, 2, 3...
pub fn increments(count: usize) -> Vec<Vec<u8>> {
    (0..count).map(|n| increment(n, n + 1)).collect()
}

/// A fold that has taken the snapshot.
pub fn ready_fold() -> Fold {
    let mut fold = Fold::new();
    let push = parse(&snapshot()).expect("the snapshot parses");
    assert_eq!(fold.apply(&push), Folded::Snapshot);
    fold
}

/// Parses and folds every frame; how many were applied.
pub fn fold_all(fold: &mut Fold, frames: &[Vec<u8>]) -> usize {
    let mut applied = 0;
    for frame in frames {
        if let Ok(push) = parse(frame)
            && fold.apply(&push) == Folded::Applied
        {
            applied += 1;
        }
    }
    applied
}

/// Parses every frame as a bare `Value`; how many parsed.
pub fn parse_all(frames: &[Vec<u8>]) -> usize {
    frames
        .iter()
        .filter(|f| serde_json::from_slice::<Value>(f).is_ok())
        .count()
}

/// The figure: pushes/s, SDK (parse + fold) and baseline (bare parse)
/// alternating, the median of `runs` each.
pub fn run(runs: usize) -> Vec<Row> {
    let frames = increments(PUSHES);
    let base = ready_fold();
    let mut sdk = Vec::new();
    let mut bare = Vec::new();
    // One warm-up of each.
    black_box(fold_all(&mut base.clone(), &frames));
    black_box(parse_all(&frames));
    for i in 0..runs {
        crate::progress(FIGURE, &format!("run {} of {runs}", i + 1));
        let mut one = |sdk_first: bool| {
            for side in [sdk_first, !sdk_first] {
                if side {
                    let mut fold = base.clone();
                    let started = Instant::now();
                    let applied = black_box(fold_all(&mut fold, &frames));
                    let secs = started.elapsed().as_secs_f64();
                    assert_eq!(applied, PUSHES, "every increment is applied");
                    sdk.push(PUSHES as f64 / secs);
                } else {
                    let started = Instant::now();
                    let parsed = black_box(parse_all(&frames));
                    let secs = started.elapsed().as_secs_f64();
                    assert_eq!(parsed, PUSHES);
                    bare.push(PUSHES as f64 / secs);
                }
            }
        };
        one(i % 2 == 0);
    }
    vec![
        Row::paired(
            FIGURE,
            "participant increment: parse + fold into the live view",
            "pushes/s",
            sdk,
            "serde_json::from_slice::<Value> of the same bytes",
            bare,
        )
        .goal(Goal::ValueAtLeast(300_000.0))
        .note(format!(
            "one thread; {PUSHES} increments per run, {} bytes each, on a view of 50 participants",
            increment(0, 1).len()
        )),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_increment_is_applied_and_changes_the_view() {
        let mut fold = ready_fold();
        let frames = increments(120);
        assert_eq!(fold_all(&mut fold, &frames), 120);
        assert_eq!(parse_all(&frames), 120);
        // Increments 50..99 muted everyone; 100..119 unmuted the first 20.
        let view = fold.view();
        assert!(!view.participants()[&format!("p{:031}", 0)].muted());
        assert!(view.participants()[&format!("p{:031}", 20)].muted());
        assert_eq!(view.participants().len(), 50);
    }
}
