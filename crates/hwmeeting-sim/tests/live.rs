//! The `/_sim/live` routes (the WebSocket's faults and heartbeat timeout)
//! and the single-use WebSocket tokens of `create_web_socket_token`; the
//! WebSocket itself is driven over real sockets in
//! `hwmeeting-async/tests/live.rs`.

mod common;

use common::{agent, send, sim};
use hwmeeting_sim::LiveFaults;

#[test]
fn live_faults_are_merged_shown_and_cleared() {
    let sim = sim();
    let agent = agent();
    let url = format!("{}/_sim/live/faults", sim.url());
    let set = send(
        &agent,
        "POST",
        &url,
        &[],
        Some(r#"{"gap": 2, "silent": true}"#),
    );
    assert_eq!(set.status, 200, "{}", set.text);
    let set = send(&agent, "POST", &url, &[], Some(r#"{"disconnect": 1}"#));
    assert_eq!(
        set.json,
        serde_json::json!({"disconnect": 1, "gap": 2, "repeat": 0, "unknownActions": 0, "variants": false, "silent": true})
    );
    assert_eq!(
        sim.live_faults(),
        LiveFaults {
            disconnect: 1,
            gap: 2,
            silent: true,
            ..LiveFaults::default()
        }
    );
    let bad = send(&agent, "POST", &url, &[], Some(r#"{"gap": "many"}"#));
    assert_eq!(bad.status, 400);
    assert!(
        bad.msg().starts_with("invalid WebSocket faults: "),
        "{}",
        bad.msg()
    );
    let bad = send(&agent, "POST", &url, &[], Some("[1]"));
    assert_eq!(
        bad.msg(),
        "the body must be a JSON object of WebSocket faults"
    );
    let cleared = send(&agent, "DELETE", &url, &[], None);
    assert_eq!(cleared.json["gap"], 0);
    assert_eq!(sim.live_faults(), LiveFaults::default());

    let config = format!("{}/_sim/live/config", sim.url());
    let ok = send(
        &agent,
        "POST",
        &config,
        &[],
        Some(r#"{"heartbeatTimeoutMs": 250}"#),
    );
    assert_eq!(ok.json["heartbeatTimeoutMs"], 250);
    let bad = send(
        &agent,
        "POST",
        &config,
        &[],
        Some(r#"{"heartbeatTimeoutMs": 0}"#),
    );
    assert_eq!(
        bad.msg(),
        "`heartbeatTimeoutMs` must be a positive number of milliseconds"
    );
}

#[test]
fn web_socket_tokens_are_fresh_and_the_answer_points_at_the_simulator() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();
    let token = common::control_token(&agent, base);
    let ws = |agent: &ureq::Agent| {
        send(
            agent,
            "GET",
            &format!(
                "{base}/v1/mmc/control/conferences/wsToken?conferenceID={}",
                common::DEMO
            ),
            &[("X-Conference-Authorization", &token)],
            None,
        )
    };
    let a = ws(&agent);
    let b = ws(&agent);
    assert_eq!(a.status, 200, "{}", a.text);
    let (a, b) = (
        a.json["webSocketToken"].as_str().unwrap().to_owned(),
        b.json["webSocketToken"].as_str().unwrap().to_owned(),
    );
    assert!(a.starts_with("sim-ws-") && a.len() == 7 + 48, "{a}");
    assert_ne!(a, b);
    let answer = common::conf_token_answer(
        &agent,
        base,
        common::DEMO,
        &[("X-Password", common::HOST_PW), ("X-Login-Type", "1")],
    );
    assert_eq!(
        answer.json["data"]["wsURL"],
        base.replacen("http://", "ws://", 1)
    );
    assert!(
        answer.json["data"]["supportNotifyType"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("ParticipantsNotify"))
    );
}
