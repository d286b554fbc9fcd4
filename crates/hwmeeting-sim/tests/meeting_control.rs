//! Meeting control over raw HTTP: routing by the spec (paths shared by
//! several methods), the end of a meeting, unknown participants, the
//! snapshot's JSON names, the token calls.

mod common;

use common::*;
use hwmeeting_sim::codes;
use serde_json::{Value, json};

const LAYOUT: &str = "/v1/mmc/control/conferences/layOut";
const TOKEN: &str = "/v1/usg/acs/token";
const MUTE: &str = "/v1/mmc/control/conferences/participants/mute";
const STOP: &str = "/v1/mmc/control/conferences/stop";

/// A control call on the demo meeting.
fn control(
    agent: &ureq::Agent,
    base: &str,
    method: &str,
    path: &str,
    query: &str,
    token: &str,
    body: Option<Value>,
) -> Answer {
    let body = body.map(|b| b.to_string());
    send(
        agent,
        method,
        &format!("{base}{path}?conferenceID={DEMO}{query}"),
        &[("X-Conference-Authorization", token)],
        body.as_deref(),
    )
}

#[test]
fn every_operation_is_routed_by_its_method_and_path() {
    for op in hwmeeting_api::operations() {
        let found = hwmeeting_api::find_by_route(op.method, op.path).map(|o| o.id);
        assert_eq!(found, Some(op.id), "{} {}", op.method, op.path);
    }
    // Paths served with several methods.
    let ids = |path: &str| -> Vec<(&str, &str)> {
        hwmeeting_api::operations()
            .iter()
            .filter(|op| op.path == path)
            .map(|op| (op.method, op.id))
            .collect()
    };
    let mut layout = ids(LAYOUT);
    layout.sort();
    assert_eq!(
        layout,
        [
            ("DELETE", "delete_layout"),
            ("GET", "show_layout"),
            ("PUT", "save_layout")
        ]
    );
    let mut token = ids(TOKEN);
    token.sort();
    assert_eq!(token, [("DELETE", "delete_token"), ("PUT", "update_token")]);
}

#[test]
fn one_layout_path_saves_shows_and_deletes_by_method() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();
    let token = control_token(&agent, base);
    let layout =
        json!({"restPicLayout": {"picNum": 2, "layOutName": "Speakers", "imageType": "Two"}});
    let saved = control(&agent, base, "PUT", LAYOUT, "", &token, Some(layout));
    assert_eq!(saved.status, 200, "{}", saved.text);
    let shown = control(&agent, base, "GET", LAYOUT, "", &token, None);
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert_eq!(shown.json["returnCode"], 0);
    let layouts = shown.json["picLayouts"].as_array().unwrap();
    assert_eq!(layouts.len(), 1);
    assert_eq!(layouts[0]["layOutName"], "Speakers");
    let uuid = layouts[0]["uuid"].as_str().unwrap().to_owned();
    let deleted = control(
        &agent,
        base,
        "DELETE",
        LAYOUT,
        &format!("&uuID={uuid}"),
        &token,
        None,
    );
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    let shown = control(&agent, base, "GET", LAYOUT, "", &token, None);
    assert_eq!(shown.json["picLayouts"], json!([]));

    let patch = control(&agent, base, "PATCH", LAYOUT, "", &token, None);
    assert_eq!(patch.status, 405);
    let allow = patch.header("allow").unwrap_or_default().to_owned();
    for method in ["GET", "PUT", "DELETE"] {
        assert!(allow.contains(method), "{allow}");
    }
    let ops: Vec<String> = sim
        .requests()
        .iter()
        .filter(|r| r.path == LAYOUT)
        .map(|r| r.operation.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        ops,
        [
            "save_layout",
            "show_layout",
            "delete_layout",
            "show_layout",
            ""
        ]
    );
}

#[test]
fn a_stopped_meeting_refuses_its_tokens_and_new_ones() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();
    let token = control_token(&agent, base);
    let stop = control(&agent, base, "PUT", STOP, "", &token, None);
    assert_eq!(stop.status, 200, "{}", stop.text);
    assert!(!sim.conference(DEMO).unwrap().active);

    let mute = control(
        &agent,
        base,
        "PUT",
        MUTE,
        "&participantID=p-bob",
        &token,
        Some(json!({"isMute": 1})),
    );
    assert_eq!(mute.status, 401, "{}", mute.text);
    assert_eq!(mute.code(), codes::CONFERENCE_TOKEN_INVALID);
    let again = conf_token_answer(
        &agent,
        base,
        DEMO,
        &[("X-Password", HOST_PW), ("X-Login-Type", "1")],
    );
    assert_eq!(again.status, 400, "{}", again.text);
    assert_eq!(again.code(), codes::MMC_CONFERENCE_NOT_STARTED);
    let snapshot = sim.conference(DEMO).unwrap();
    assert!(!snapshot.participant("p-bob").unwrap().muted);
    assert_eq!(snapshot.operations().last(), Some(&"stop_meeting"));
}

#[test]
fn unknown_participants_are_refused_and_nothing_changes() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();
    let token = control_token(&agent, base);
    let cases: [(&str, &str, Value); 5] = [
        (MUTE, "&participantID=nobody", json!({"isMute": 1})),
        (
            "/v1/mmc/control/conferences/participants/hands",
            "&participantID=nobody",
            json!({"handsState": 1}),
        ),
        (
            "/v1/mmc/control/conferences/participants/cohost",
            "&participantID=nobody",
            json!({"isCohost": 1}),
        ),
        (
            "/v1/mmc/control/conferences/participants/batch/hands",
            "",
            json!({"handsState": 1, "pids": ["p-bob", "nobody"]}),
        ),
        (
            "/v1/mmc/control/conferences/batchMoveToWaitingRoom",
            "",
            json!({"batchParticipants": ["p-bob", "nobody"]}),
        ),
    ];
    let before = sim.conference(DEMO).unwrap();
    for (path, query, body) in cases {
        let a = control(&agent, base, "PUT", path, query, &token, Some(body));
        assert_eq!(a.status, 404, "{path}: {}", a.text);
        assert_eq!(a.code(), codes::MMC_PARTICIPANT_NOT_FOUND, "{path}");
        assert!(a.msg().contains("nobody"), "{}", a.msg());
    }
    let after = sim.conference(DEMO).unwrap();
    assert_eq!(after.participants, before.participants);
    assert!(after.waiting_room.is_empty());
}

#[test]
fn the_snapshot_names_the_new_state_in_camel_case() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();
    let token = control_token(&agent, base);
    let a = control(
        &agent,
        base,
        "PUT",
        "/v1/mmc/control/conferences/moveToWaitingRoom",
        "",
        &token,
        Some(json!({"participantID": "p-carol"})),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let a = control(
        &agent,
        base,
        "PUT",
        "/v1/mmc/control/conferences/participants/hands",
        "&participantID=p-bob",
        &token,
        Some(json!({"handsState": 1})),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let snap = send(
        &agent,
        "GET",
        &format!("{base}/_sim/conferences/{DEMO}"),
        &[],
        None,
    );
    let j = &snap.json;
    for key in [
        "muted",
        "locked",
        "recording",
        "live",
        "paused",
        "durationMinutes",
        "autoProlong",
        "broadcast",
        "rollCall",
        "waitingRoom",
        "attendees",
        "layouts",
        "audienceAllowed",
        "videoMode",
        "hostView",
        "multiPicture",
        "interpreterGroups",
        "interpretation",
    ] {
        assert!(j.get(key).is_some(), "no `{key}` in {j}");
    }
    assert_eq!(j["recording"], "stopped");
    assert_eq!(j["durationMinutes"], 60);
    assert_eq!(j["waitingRoom"][0]["participantID"], "p-carol");
    let bob = j["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["participantID"] == "p-bob")
        .unwrap();
    assert_eq!(bob["handRaised"], true);
    assert_eq!(bob["isCohost"], false);
    assert_eq!(bob["muted"], false);
    assert_eq!(bob["name"], "Bob");
    for key in [
        "clientRecordAllowed",
        "shareInvited",
        "watching",
        "lockedView",
        "languageChannel",
    ] {
        assert!(bob.get(key).is_some(), "no `{key}` in {bob}");
    }
    assert_eq!(j["audienceAllowed"], true);
}

#[test]
fn token_calls_check_refresh_and_revoke_the_access_token() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();
    let token = access_token(&agent, base);
    let check = |t: &str, renew: bool| {
        send(
            &agent,
            "POST",
            &format!("{base}{TOKEN}/validate"),
            &[],
            Some(&json!({"token": t, "needGenNewToken": renew}).to_string()),
        )
    };
    let valid = check(&token, false);
    assert_eq!(valid.status, 200, "{}", valid.text);
    assert_eq!(valid.json["accessToken"], token.as_str());
    assert_eq!(valid.json["user"]["ucloginAccount"], "demo@example.com");
    let unknown = check("sim-at-not-a-token", false);
    assert_eq!(unknown.status, 401, "{}", unknown.text);
    let renewed = check(&token, true);
    assert_eq!(renewed.status, 200, "{}", renewed.text);
    let fresh = renewed.json["accessToken"].as_str().unwrap().to_owned();
    assert_ne!(fresh, token);

    let update = send(
        &agent,
        "PUT",
        &format!("{base}{TOKEN}"),
        &[("X-Access-Token", &token)],
        None,
    );
    assert_eq!(update.status, 200, "{}", update.text);
    assert!(update.json["validPeriod"].as_u64().unwrap() > 0);

    let delete = send(
        &agent,
        "DELETE",
        &format!("{base}{TOKEN}"),
        &[("X-Access-Token", &token)],
        None,
    );
    assert_eq!(delete.status, 200, "{}", delete.text);
    assert_eq!(check(&token, false).status, 401);
    let again = send(
        &agent,
        "DELETE",
        &format!("{base}{TOKEN}"),
        &[("X-Access-Token", &token)],
        None,
    );
    assert_eq!(again.status, 401);
    assert_eq!(again.code(), codes::ACCESS_TOKEN_INVALID);
    // The other token of the user lives on.
    assert_eq!(check(&fresh, false).status, 200);
}

#[test]
fn the_management_site_status_needs_no_credential() {
    let sim = sim();
    let a = send(
        &agent(),
        "GET",
        &format!(
            "{}/v1/mmc/control/confmaintain/queryMgmtSiteStatus",
            sim.url()
        ),
        &[],
        None,
    );
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json, json!({"status": "NORMAL", "redirectJoinUrl": ""}));
}
