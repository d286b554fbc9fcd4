//! Figure 10, "webhook": event-push verifications per second on one core:
//! parse the envelope (raw `eventInfo`), check the appID, verify the
//! HMAC-SHA256 signature and type the event, for a signed `meeting.join`
//! push, beside the bare `serde_json::from_slice::<Value>` parse of the
//! same bytes. No network; the goal is at least 300,000 per second.

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use hwmeeting_core::Secret;
use hwmeeting_core::webhook::{Event, Receiver, WebhookConfig, sign};

use crate::cpu::{Work, time_ns};
use crate::report::{Goal, Row};

/// The figure's label.
pub const FIGURE: &str = "10 webhook";

const APP_ID: &str = "123456789";
const KEY: &str = "bench-subscriber-key";
const JOIN_INFO: &str = r#"{"event":"meeting.join","timestamp":1671523596351,"payload":{"meetingInfo":{"meetingID":"987446316","meetingUUID":"0307e0400f0a11eca58a9fcb8e69dde8"},"attendeeInfo":{"userUUID":"f39228ec18ed4ff88afa754a69832952","userAgent":"WeLink-desktop","account":"yangtest01","participantID":"ebbe4e6cdc6111ee960a91a270e1373e","displayName":"yangtest01","joinTime":1709802363369,"leftTime":0,"role":"CHAIR","callNumber":"+86571264265330456"}}}"#;

/// The signed `meeting.join` body (the documented join example, signed).
pub fn join_body() -> Vec<u8> {
    let signature = sign(
        &Secret::new(KEY),
        APP_ID,
        1671523596351,
        "60426560",
        JOIN_INFO,
    );
    format!(
        r#"{{"appID":"{APP_ID}","timestamp":1671523596351,"nonce":"60426560","signature":"{signature}","eventInfo":{JOIN_INFO}}}"#
    )
    .into_bytes()
}

/// The two workloads: receive (parse + verify + typed event) and the bare
/// parse.
pub fn workloads() -> (Work, Work) {
    let body = join_body();
    let receiver = Receiver::new(WebhookConfig::new(APP_ID, Secret::new(KEY)));
    let now = SystemTime::now();
    let verify_body = body.clone();
    let verify: Work = Box::new(
        move || match receiver.receive(black_box(&verify_body), now) {
            Ok(d) => match d.event {
                Event::Join { attendee, .. } => attendee.display_name.map_or(1, |n| n.len()),
                _ => 0,
            },
            Err(_) => 0,
        },
    );
    let parse: Work = Box::new(move || {
        serde_json::from_slice::<serde_json::Value>(black_box(&body))
            .map(|v| v.as_object().map_or(0, |o| o.len()))
            .unwrap_or(0)
    });
    (verify, parse)
}

/// The figure's row: verifications per second (median of `runs`), the
/// bare parse per second as the baseline, run alternately on this thread.
pub fn run(runs: usize, run_time: Duration) -> Vec<Row> {
    crate::progress(FIGURE, "meeting.join verify");
    let (verify, parse) = workloads();
    let mut ours = Vec::new();
    let mut bare = Vec::new();
    // Alternate single runs so both sides see the same machine state.
    for _ in 0..runs {
        ours.extend(time_ns(&verify, 1, run_time).into_iter().map(per_second));
        bare.extend(time_ns(&parse, 1, run_time).into_iter().map(per_second));
    }
    vec![
        Row::paired(
            FIGURE,
            "meeting.join: parse + verify + typed event",
            "events/s",
            ours,
            "serde_json::from_slice::<Value>",
            bare,
        )
        .goal(Goal::ValueAtLeast(300_000.0))
        .note("one core, no network; ratio = verifications/s ÷ bare parses/s"),
    ]
}

fn per_second(ns: f64) -> f64 {
    1e9 / ns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verify_workload_verifies_the_join_event() {
        let (verify, parse) = workloads();
        // "yangtest01": the display name of a verified join.
        assert_eq!(verify(), 10);
        assert_eq!(parse(), 5);
    }
}
