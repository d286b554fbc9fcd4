//! Activating meetings, control tokens and meeting control.

mod common;

use std::time::Duration;

use common::*;
use hwmeeting_sim::{NewConference, NewParticipant, SimConfig, Simulator, codes};
use serde_json::json;

#[test]
fn start_meeting_needs_a_token_and_the_right_password() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();

    let missing = send(
        &agent,
        "POST",
        &format!("{base}{START}"),
        &[],
        Some(&json!({"conferenceID": DEMO, "password": HOST_PW}).to_string()),
    );
    assert_eq!(missing.status, 401);
    assert_eq!(missing.code(), codes::ACCESS_TOKEN_INVALID);
    let unknown = start(&agent, base, "sim-at-unknown", DEMO, HOST_PW);
    assert_eq!(unknown.status, 401);
    assert_eq!(unknown.code(), codes::ACCESS_TOKEN_INVALID);

    let token = access_token(&agent, base);
    let wrong = start(&agent, base, &token, DEMO, "000000");
    assert_eq!(wrong.status, 403);
    assert_eq!(wrong.code(), codes::MMC_PASSWORD_WRONG);
    // The guest password cannot start the demo meeting.
    assert_eq!(start(&agent, base, &token, DEMO, GUEST_PW).status, 403);
    assert!(!sim.conference(DEMO).unwrap().active);

    let none = start(&agent, base, &token, "123", HOST_PW);
    assert_eq!(none.status, 404);
    assert_eq!(none.code(), codes::MMC_CONFERENCE_NOT_FOUND);
    assert!(none.code().starts_with("MMC."));

    let ok = start(&agent, base, &token, DEMO, HOST_PW);
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.json["regionIP"], "127.0.0.1");
    assert!(ok.json["uuid"].is_string());
    let snap = sim.conference(DEMO).unwrap();
    assert!(snap.active);
    assert_eq!(snap.calls.last().unwrap().operation, "start_meeting");
    // The password is masked in the call record.
    assert_eq!(snap.calls.last().unwrap().params["body"]["password"], "***");
}

#[test]
fn guest_password_starts_a_meeting_that_allows_it() {
    let sim = sim();
    sim.create_conference(
        NewConference::new("777", "host")
            .guest_password("guest")
            .allow_guest_start(true),
    )
    .unwrap();
    let agent = agent();
    let token = access_token(&agent, sim.url());
    let a = start(&agent, sim.url(), &token, "777", "guest");
    assert_eq!(a.status, 200, "{}", a.text);
    assert!(sim.conference("777").unwrap().active);
}

#[test]
fn control_token_needs_an_active_meeting_and_the_host_password() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();
    let login = [("X-Password", HOST_PW), ("X-Login-Type", "1")];

    let inactive = conf_token_answer(&agent, base, DEMO, &login);
    assert_eq!(inactive.status, 400, "{}", inactive.text);
    assert_eq!(inactive.code(), codes::MMC_CONFERENCE_NOT_STARTED);

    let token = access_token(&agent, base);
    assert_eq!(start(&agent, base, &token, DEMO, HOST_PW).status, 200);

    let wrong = conf_token_answer(
        &agent,
        base,
        DEMO,
        &[("X-Password", "999999"), ("X-Login-Type", "1")],
    );
    assert_eq!(wrong.status, 403);
    assert_eq!(wrong.code(), codes::MMC_PASSWORD_WRONG);

    let bad_type = conf_token_answer(
        &agent,
        base,
        DEMO,
        &[("X-Password", HOST_PW), ("X-Login-Type", "2")],
    );
    assert_eq!(bad_type.status, 400);
    assert!(
        bad_type.msg().contains("`X-Login-Type`"),
        "{}",
        bad_type.msg()
    );

    let no_type = conf_token_answer(&agent, base, DEMO, &[("X-Password", HOST_PW)]);
    assert_eq!(no_type.status, 400);
    assert!(
        no_type.msg().contains("`X-Login-Type`"),
        "{}",
        no_type.msg()
    );

    let none = conf_token_answer(&agent, base, "404404", &login);
    assert_eq!(none.status, 404);

    // Lower-case header names are accepted.
    let ok = conf_token_answer(
        &agent,
        base,
        DEMO,
        &[("x-password", HOST_PW), ("x-login-type", "1")],
    );
    assert_eq!(ok.status, 200, "{}", ok.text);
    let data = &ok.json["data"];
    let token = data["token"].as_str().unwrap();
    assert!(token.starts_with(hwmeeting_sim::CONF_TOKEN_PREFIX));
    assert_eq!(data["role"], 1);
    assert_eq!(data["confTokenExpireTime"], 1800);
    let expire = data["expireTime"].as_i64().unwrap();
    assert!((expire / 1000 - now_s() - 1800).abs() <= 2);
    assert!(data["supportNotifyType"].is_array());
    assert!(
        data["wsURL"]
            .as_str()
            .unwrap()
            .starts_with("ws://127.0.0.1:")
    );
    assert!(ok.json["gloablPublicIP"].is_string());
    assert!(ok.json["addressToken"].is_string());

    // Keep-alive: a live token of this meeting is extended, the password
    // is not checked.
    let kept = conf_token_answer(
        &agent,
        base,
        DEMO,
        &[
            ("X-Password", "not-checked"),
            ("X-Login-Type", "1"),
            ("X-Conference-Authorization", token),
        ],
    );
    assert_eq!(kept.status, 200, "{}", kept.text);
    assert_eq!(kept.json["data"]["token"], token);
}

#[test]
fn control_token_of_another_meeting_is_401() {
    let sim = sim();
    create_copy_of_demo(&sim, "900000002");
    let agent = agent();
    let base = sim.url();
    let token = control_token(&agent, base);

    let a = send(
        &agent,
        "PUT",
        &format!("{base}{VIDEO}?conferenceID=900000002&participantID=p-bob"),
        &[("X-Conference-Authorization", &token)],
        Some(r#"{"status": 0}"#),
    );
    assert_eq!(a.status, 401, "{}", a.text);
    assert_eq!(a.code(), codes::CONFERENCE_TOKEN_INVALID);

    // Missing and unknown tokens too.
    for headers in [vec![], vec![("X-Conference-Authorization", "sim-ct-nope")]] {
        let a = send(
            &agent,
            "PUT",
            &format!("{base}{VIDEO}?conferenceID={DEMO}&participantID=p-bob"),
            &headers,
            Some(r#"{"status": 0}"#),
        );
        assert_eq!(a.status, 401);
        assert_eq!(a.code(), codes::CONFERENCE_TOKEN_INVALID);
    }
    assert_eq!(
        sim.conference("900000002")
            .unwrap()
            .participant("p-bob")
            .unwrap()
            .video_request,
        None
    );
}

#[test]
fn expired_control_token_is_401_and_a_new_one_works() {
    let sim = Simulator::spawn(
        SimConfig::http()
            .demo(true)
            .conf_token_ttl(Duration::from_millis(200)),
    )
    .unwrap();
    let agent = agent();
    let base = sim.url();
    let token = control_token(&agent, base);
    let url = format!("{base}{SETTINGS}?conferenceID={DEMO}");
    let ok = send(
        &agent,
        "PUT",
        &url,
        &[("X-Conference-Authorization", &token)],
        Some(r#"{"isLock": 1}"#),
    );
    assert_eq!(ok.status, 200, "{}", ok.text);
    std::thread::sleep(Duration::from_millis(300));
    let late = send(
        &agent,
        "PUT",
        &url,
        &[("X-Conference-Authorization", &token)],
        Some(r#"{"isLock": 0}"#),
    );
    assert_eq!(late.status, 401);
    assert_eq!(late.code(), codes::CONFERENCE_TOKEN_INVALID);
    // An expired token sent for keep-alive: the password is checked.
    let renewed = conf_token_answer(
        &agent,
        base,
        DEMO,
        &[
            ("X-Password", HOST_PW),
            ("X-Login-Type", "1"),
            ("X-Conference-Authorization", &token),
        ],
    );
    assert_eq!(renewed.status, 200);
    assert_ne!(renewed.json["data"]["token"], token.as_str());
    assert_eq!(sim.conference(DEMO).unwrap().settings["isLock"], 1);
}

#[test]
fn unknown_participant_is_404_naming_it() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();
    let token = control_token(&agent, base);
    let auth = [("X-Conference-Authorization", token.as_str())];

    let a = send(
        &agent,
        "PUT",
        &format!("{base}{ROLE}?conferenceID={DEMO}&participantID=p-zed"),
        &auth,
        Some(&json!({"applyChair": 1, "chairmanPwd": HOST_PW}).to_string()),
    );
    assert_eq!(a.status, 404, "{}", a.text);
    assert_eq!(a.code(), codes::MMC_PARTICIPANT_NOT_FOUND);
    assert!(a.msg().contains("p-zed"));

    let a = send(
        &agent,
        "POST",
        &format!("{base}{HANG_UP}?conferenceID={DEMO}"),
        &auth,
        Some(r#"{"bulkHangUpParticipants": ["p-bob", "p-ghost"]}"#),
    );
    assert_eq!(a.status, 404);
    assert!(a.msg().contains("p-ghost"));
    // Nothing changed: Bob is still there.
    assert!(sim.conference(DEMO).unwrap().participant("p-bob").is_some());

    let a = send(
        &agent,
        "PUT",
        &format!("{base}{VIDEO}?conferenceID={DEMO}&participantID=p-ghost"),
        &auth,
        Some(r#"{"status": 1}"#),
    );
    assert_eq!(a.status, 404);
}

#[test]
fn invalid_enum_and_missing_conditional_field_are_400_naming_them() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();
    let token = control_token(&agent, base);
    let auth = [("X-Conference-Authorization", token.as_str())];
    let url = format!("{base}{ROLE}?conferenceID={DEMO}&participantID=p-alice");

    let a = send(&agent, "PUT", &url, &auth, Some(r#"{"applyChair": 7}"#));
    assert_eq!(a.status, 400, "{}", a.text);
    assert_eq!(a.code(), codes::MMC_PARAM_INVALID);
    assert!(a.msg().contains("`applyChair`"), "{}", a.msg());

    let a = send(&agent, "PUT", &url, &auth, Some(r#"{"applyChair": 1}"#));
    assert_eq!(a.status, 400);
    assert!(a.msg().contains("`chairmanPwd`"), "{}", a.msg());

    let a = send(&agent, "PUT", &url, &auth, Some(r#"{"applyChair": "1"}"#));
    assert_eq!(a.status, 400);
    assert!(a.msg().contains("`applyChair`"));

    let a = send(&agent, "PUT", &url, &auth, Some(r#"{"applyChair": 1,"#));
    assert_eq!(a.status, 400);
    assert!(a.msg().contains("not valid JSON"), "{}", a.msg());

    let a = send(
        &agent,
        "PUT",
        &format!("{base}{ROLE}?conferenceID={DEMO}"),
        &auth,
        Some(r#"{"applyChair": 0}"#),
    );
    assert_eq!(a.status, 400);
    assert!(a.msg().contains("`participantID`"));

    let a = send(
        &agent,
        "POST",
        &format!("{base}{HANG_UP}?conferenceID={DEMO}"),
        &auth,
        Some(r#"{"bulkHangUpParticipants": []}"#),
    );
    assert_eq!(a.status, 400);
    assert!(a.msg().contains("`bulkHangUpParticipants`"));

    let a = send(
        &agent,
        "PUT",
        &format!("{base}{SETTINGS}?conferenceID={DEMO}"),
        &auth,
        Some(r#"{"chatPermission": 9}"#),
    );
    assert_eq!(a.status, 400);
    assert!(a.msg().contains("`chatPermission`"));
    assert!(sim.conference(DEMO).unwrap().settings.is_empty());
}

#[test]
fn state_changes_host_hang_up_video_settings() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();
    let token = control_token(&agent, base);
    let auth = [
        ("X-Conference-Authorization", token.as_str()),
        // Official SDKs send extra headers: accepted.
        ("X-Access-Token", "whatever"),
    ];
    let role = |pid: &str, body: &str| {
        send(
            &agent,
            "PUT",
            &format!("{base}{ROLE}?conferenceID={DEMO}&participantID={pid}"),
            &auth,
            Some(body),
        )
    };

    // Wrong host password.
    let a = role("p-alice", r#"{"applyChair": 1, "chairmanPwd": "000"}"#);
    assert_eq!(a.status, 403);
    assert_eq!(sim.conference(DEMO).unwrap().chair(), None);

    // Alice becomes host, then Bob: Alice loses it.
    let a = role(
        "p-alice",
        r#"{ "applyChair" : 1 , "chairmanPwd" : "123456" }"#,
    );
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(sim.conference(DEMO).unwrap().chair(), Some("p-alice"));
    let a = role("p-bob", r#"{"applyChair": 1, "chairmanPwd": "123456"}"#);
    assert_eq!(a.status, 200);
    let snap = sim.conference(DEMO).unwrap();
    assert_eq!(snap.chair(), Some("p-bob"));
    assert!(!snap.participant("p-alice").unwrap().is_chair);
    // Bob gives it up; chairmanPwd null is absent.
    let a = role("p-bob", r#"{"applyChair": 0, "chairmanPwd": null}"#);
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(sim.conference(DEMO).unwrap().chair(), None);

    // Camera request recorded.
    let a = send(
        &agent,
        "PUT",
        &format!("{base}{VIDEO}?conferenceID={DEMO}&participantID=p-carol"),
        &auth,
        Some(r#"{"status": 0}"#),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(
        sim.conference(DEMO)
            .unwrap()
            .participant("p-carol")
            .unwrap()
            .video_request,
        Some(0)
    );

    // Settings stored by wire name; null optional fields are absent.
    let a = send(
        &agent,
        "PUT",
        &format!("{base}{SETTINGS}?conferenceID={DEMO}"),
        &auth,
        Some(r#"{"isLock": 1, "chatPermission": 3, "freeShare": null, "lockSharing": null}"#),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let settings = sim.conference(DEMO).unwrap().settings;
    assert_eq!(settings["isLock"], 1);
    assert_eq!(settings["chatPermission"], 3);
    assert!(!settings.contains_key("freeShare"));

    // Hang up Alice and Carol.
    let a = send(
        &agent,
        "POST",
        &format!("{base}{HANG_UP}?conferenceID={DEMO}"),
        &auth,
        Some(r#"{"bulkHangUpParticipants": ["p-alice", "p-carol"]}"#),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let snap = sim.conference(DEMO).unwrap();
    let left: Vec<&str> = snap
        .participants
        .iter()
        .map(|p| p.participant_id.as_str())
        .collect();
    assert_eq!(left, ["p-bob"]);

    // Every call is recorded, secrets masked.
    let ops: Vec<&str> = snap.calls.iter().map(|c| c.operation.as_str()).collect();
    assert!(ops.contains(&"set_role") && ops.contains(&"hang_up"));
    let set_role = snap
        .calls
        .iter()
        .find(|c| c.operation == "set_role")
        .unwrap();
    assert_eq!(set_role.params["body"]["chairmanPwd"], "***");

    // Over HTTP too.
    let g = send(
        &agent,
        "GET",
        &format!("{base}/_sim/conferences/{DEMO}"),
        &[],
        None,
    );
    assert_eq!(g.status, 200);
    assert_eq!(g.json["conferenceID"], DEMO);
    assert_eq!(g.json["active"], true);
    assert_eq!(g.json["settings"]["isLock"], 1);
    assert_eq!(g.json["participants"][0]["participantID"], "p-bob");
    assert_eq!(g.json["participants"][0]["isChair"], false);
    assert_eq!(
        g.json["participants"][0]["videoRequest"],
        serde_json::Value::Null
    );
    assert!(g.json["calls"].as_array().unwrap().len() >= 5);
}

#[test]
fn initial_host_and_participants_from_sim_route() {
    let sim = sim();
    let agent = agent();
    let c = send(
        &agent,
        "POST",
        &format!("{}/_sim/conferences", sim.url()),
        &[],
        Some(
            &json!({"conferenceID": "55", "hostPassword": "h", "guestPassword": "g",
                "participants": [{"participantID": "a", "name": "A", "isChair": true}]})
            .to_string(),
        ),
    );
    assert_eq!(c.status, 201, "{}", c.text);
    assert_eq!(c.json["active"], false);
    let again = send(
        &agent,
        "POST",
        &format!("{}/_sim/conferences", sim.url()),
        &[],
        Some(r#"{"conferenceID": "55", "hostPassword": "h"}"#),
    );
    assert_eq!(again.status, 409);
    let bad = send(
        &agent,
        "POST",
        &format!("{}/_sim/conferences", sim.url()),
        &[],
        Some(r#"{"hostPassword": "h"}"#),
    );
    assert_eq!(bad.status, 400);
    assert_eq!(sim.conference("55").unwrap().chair(), Some("a"));
    let missing = send(
        &agent,
        "GET",
        &format!("{}/_sim/conferences/56", sim.url()),
        &[],
        None,
    );
    assert_eq!(missing.status, 404);
    let _ = NewParticipant::new("x", "y").chair();
}
