//! The `/_sim/` routes, the request log and its masking, request ids,
//! routing errors.

mod common;

use common::*;
use hwmeeting_sim::codes;
use serde_json::json;

#[test]
fn request_log_masks_secrets() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();
    let token = control_token(&agent, base);
    let a = send(
        &agent,
        "PUT",
        &format!("{base}{ROLE}?conferenceID={DEMO}&participantID=p-alice"),
        &[
            ("x-conference-authorization", &token),
            ("X-Custom", "visible"),
        ],
        Some(r#"{"applyChair": 1, "chairmanPwd": "123456", "nested": {"accessToken": "t0k"}}"#),
    );
    assert_eq!(a.status, 200, "{}", a.text);

    let log = send(&agent, "GET", &format!("{base}/_sim/requests"), &[], None);
    assert_eq!(log.status, 200);
    let text = log.text.clone();
    for secret in [HOST_PW, token.as_str(), "t0k", "demo-password"] {
        assert!(!text.contains(secret), "`{secret}` leaked: {text}");
    }
    let entries = log.json.as_array().unwrap();
    // login, start, token, set_role
    assert_eq!(entries.len(), 4, "{text}");
    let login = &entries[0];
    assert_eq!(login["operation"], "account_auth");
    assert_eq!(login["headers"]["authorization"], "***");
    let start = &entries[1];
    assert_eq!(start["headers"]["x-access-token"], "***");
    assert_eq!(start["body"]["password"], "***");
    assert_eq!(start["body"]["conferenceID"], DEMO);
    let token_call = &entries[2];
    assert_eq!(token_call["method"], "GET");
    assert_eq!(token_call["headers"]["x-password"], "***");
    assert_eq!(token_call["query"]["conferenceID"], DEMO);
    assert_eq!(token_call["status"], 200);
    let role = &entries[3];
    assert_eq!(role["path"], ROLE);
    assert_eq!(role["headers"]["x-conference-authorization"], "***");
    assert_eq!(role["headers"]["x-custom"], "visible");
    assert_eq!(role["body"]["chairmanPwd"], "***");
    assert_eq!(role["body"]["applyChair"], 1);
    assert_eq!(role["body"]["nested"]["accessToken"], "***");
    assert_eq!(role["query"]["participantID"], "p-alice");
    assert_eq!(role["requestId"], a.request_id());

    // In process too, and DELETE clears.
    assert_eq!(sim.requests().len(), 4);
    let d = send(
        &agent,
        "DELETE",
        &format!("{base}/_sim/requests"),
        &[],
        None,
    );
    assert_eq!(d.status, 200);
    assert!(sim.requests().is_empty());
}

#[test]
fn every_answer_has_a_request_id() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();
    // `send` checks X-Request-Id on each of these.
    let answers = [
        send(&agent, "GET", &format!("{base}/_sim/health"), &[], None),
        send(&agent, "GET", &format!("{base}/_sim/nothing"), &[], None),
        send(&agent, "GET", &format!("{base}/_sim/config"), &[], None),
        send(&agent, "GET", &format!("{base}/v1/unknown"), &[], None),
        send(&agent, "PATCH", &format!("{base}{ROLE}"), &[], None),
        send(
            &agent,
            "POST",
            &format!("{base}{ACCOUNT_AUTH}"),
            &[],
            Some("{"),
        ),
        app_login(&agent, base),
    ];
    let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [200, 404, 200, 404, 405, 400, 200]);
    assert_eq!(answers[3].code(), codes::ROUTE_NOT_FOUND);
    assert_eq!(answers[4].header("allow"), Some("PUT"));
    // Error bodies repeat the id.
    assert_eq!(answers[3].json["request_id"], answers[3].request_id());
    let ids: std::collections::HashSet<&str> = answers.iter().map(|a| a.request_id()).collect();
    assert_eq!(ids.len(), answers.len());
}

#[test]
fn malformed_json_is_400_and_null_body_is_empty() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();
    let token = access_token(&agent, base);
    let url = format!("{base}{START}");
    let auth = [("X-Access-Token", token.as_str())];
    let a = send(&agent, "POST", &url, &auth, Some("{\"conferenceID\": "));
    assert_eq!(a.status, 400);
    assert_eq!(a.code(), codes::MMC_PARAM_INVALID);
    let a = send(&agent, "POST", &url, &auth, Some("[1, 2]"));
    assert_eq!(a.status, 400);
    assert!(a.msg().contains("JSON object"));
    let a = send(&agent, "POST", &url, &auth, Some("null"));
    assert_eq!(a.status, 400);
    assert!(a.msg().contains("`conferenceID`"), "{}", a.msg());
    let a = send(
        &agent,
        "POST",
        &url,
        &auth,
        Some(r#"{"conferenceID": null, "password": "x"}"#),
    );
    assert_eq!(a.status, 400);
    assert!(a.msg().contains("`conferenceID`"), "{}", a.msg());
}

#[test]
fn config_reset_and_listing() {
    let sim = sim();
    let agent = agent();
    let base = sim.url();
    let c = send(&agent, "GET", &format!("{base}/_sim/config"), &[], None);
    assert_eq!(c.json["accessTokenTtlMs"], 43_200_000);
    assert_eq!(c.json["confTokenTtlMs"], 1_800_000);
    assert_eq!(c.json["tls"], false);
    let c = send(
        &agent,
        "POST",
        &format!("{base}/_sim/config"),
        &[],
        Some(r#"{"confTokenTtlMs": 1500}"#),
    );
    assert_eq!(c.json["confTokenTtlMs"], 1500);
    let token_answer = {
        let at = access_token(&agent, base);
        start(&agent, base, &at, DEMO, HOST_PW);
        conf_token_answer(
            &agent,
            base,
            DEMO,
            &[("X-Password", HOST_PW), ("X-Login-Type", "1")],
        )
    };
    assert_eq!(token_answer.json["data"]["confTokenExpireTime"], 1);
    let bad = send(
        &agent,
        "POST",
        &format!("{base}/_sim/config"),
        &[],
        Some(r#"{"nope": 1}"#),
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.code(), codes::SIM_BAD_REQUEST);

    let list = send(
        &agent,
        "GET",
        &format!("{base}/_sim/conferences"),
        &[],
        None,
    );
    assert_eq!(list.json.as_array().unwrap().len(), 1);
    let r = send(&agent, "POST", &format!("{base}/_sim/reset"), &[], None);
    assert_eq!(r.status, 200);
    assert!(sim.conferences().is_empty());
    assert!(sim.requests().is_empty());
    let d = send(
        &agent,
        "POST",
        &format!("{base}/_sim/conferences"),
        &[],
        Some(&serde_json::to_string(&hwmeeting_sim::demo_conference()).unwrap()),
    );
    assert_eq!(d.status, 201);
    let del = send(
        &agent,
        "DELETE",
        &format!("{base}/_sim/conferences/{DEMO}"),
        &[],
        None,
    );
    assert_eq!(del.status, 200);
    assert_eq!(json!(sim.conferences()), json!([]));
}
