//! A meeting's whole life over raw HTTP, as the official SDK sends and
//! reads it: scheduled (create, search, show, update, cancel), started,
//! joined and left, controlled, recorded, stopped, then history,
//! attendance, control records and recordings; series and their
//! sub-meetings; pagination; event-push settings; bad input.

mod common;

use std::time::Duration;

use common::*;
use hwmeeting_sim::{DEFAULT_ACCOUNT, SimConfig, SimHandle, Simulator, codes};
use serde_json::{Value, json};

const CONFERENCES: &str = "/v1/mmc/management/conferences";
const CYCLE: &str = "/v1/mmc/management/cycleconferences";
const SUB: &str = "/v1/mmc/management/conferences/cyclesubconf";
const DETAIL: &str = "/v1/mmc/management/conferences/confDetail";
const ONLINE: &str = "/v1/mmc/management/conferences/online";
const ONLINE_DETAIL: &str = "/v1/mmc/management/conferences/online/confDetail";
const ATTENDEES: &str = "/v1/mmc/management/conferences/online/conf-attendee";
const HISTORY: &str = "/v1/mmc/management/conferences/history";
const HISTORY_DETAIL: &str = "/v1/mmc/management/conferences/history/confDetail";
const ATTENDANCE: &str = "/v1/mmc/management/conferences/history/confAttendeeRecord";
const CONTROL_RECORDS: &str = "/v1/mmc/management/conferences/history/confCtlRecord";
const RECORDINGS: &str = "/v1/mmc/management/record/files";
const RECORDING_DETAIL: &str = "/v1/mmc/management/conferences/record/files";
const DOWNLOAD_URLS: &str = "/v1/mmc/management/record/downloadurls";
const WEBHOOK: &str = "/v1/mmc/management/webhook/link-config";
const WEBHOOK_STATUS: &str = "/v1/mmc/management/webhook/change-status";
const MUTE: &str = "/v1/mmc/control/conferences/participants/mute";
const RECORD: &str = "/v1/mmc/control/conferences/record";
const STOP: &str = "/v1/mmc/control/conferences/stop";

/// A simulator with no meeting.
fn empty_sim() -> SimHandle {
    Simulator::spawn(SimConfig::http()).expect("simulator starts")
}

/// A management call as the official SDK makes it: the access token, and
/// a JSON content type even with no body.
fn mgmt(
    agent: &ureq::Agent,
    base: &str,
    token: &str,
    method: &str,
    path_and_query: &str,
    body: Option<Value>,
) -> Answer {
    let body = body.map(|b| b.to_string());
    let mut headers = vec![("X-Access-Token", token)];
    if body.is_none() {
        headers.push(("Content-Type", "application/json"));
    }
    send(
        agent,
        method,
        &format!("{base}{path_and_query}"),
        &headers,
        body.as_deref(),
    )
}

/// A control call with a control token.
fn control(
    agent: &ureq::Agent,
    base: &str,
    token: &str,
    path: &str,
    query: &str,
    body: Option<Value>,
) -> Answer {
    let body = body.map(|b| b.to_string());
    send(
        agent,
        "PUT",
        &format!("{base}{path}?{query}"),
        &[("X-Conference-Authorization", token)],
        body.as_deref(),
    )
}

fn ok(a: &Answer) {
    assert_eq!(a.status, 200, "{}", a.text);
}

/// An error in the service's shape, with this status and code.
fn refused(a: &Answer, status: u16, code: &str) {
    assert_eq!(a.status, status, "{}", a.text);
    assert_eq!(a.code(), code, "{}", a.text);
    assert!(!a.msg().is_empty(), "{}", a.text);
    assert_eq!(a.json["request_id"].as_str(), Some(a.request_id()));
}

/// The password of a role in `passwordEntry`.
fn password(info: &Value, role: &str) -> String {
    info["passwordEntry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["conferenceRole"] == role)
        .and_then(|p| p["password"].as_str())
        .unwrap()
        .to_owned()
}

fn now_ms() -> i64 {
    now_s() * 1000
}

/// Creates a one-off meeting and returns its info.
fn create(agent: &ureq::Agent, base: &str, token: &str, body: Value) -> Value {
    let a = mgmt(agent, base, token, "POST", CONFERENCES, Some(body));
    ok(&a);
    let list = a.json.as_array().expect("create answers a list");
    assert_eq!(list.len(), 1, "{}", a.text);
    list[0].clone()
}

#[test]
fn a_meeting_from_creation_to_its_recording() {
    let sim = empty_sim();
    let agent = agent();
    let base = sim.url();
    let at = access_token(&agent, base);
    let t0 = now_ms();

    // Create.
    let info = create(
        &agent,
        base,
        &at,
        json!({
            "subject": "Quarterly review",
            "startTime": "2030-05-17 09:30",
            "length": 60,
            "mediaTypes": "HDVideo",
            "attendees": [
                {"name": "Dana", "phone": "+8613800000001", "role": 1},
                {"name": "Eli", "phone": "+8613800000002"}
            ],
            "confConfigInfo": {"isAutoMute": true, "callInRestriction": 0},
            "recordType": 2
        }),
    );
    let id = info["conferenceID"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 9, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_digit()), "{id}");
    let host = password(&info, "chair");
    let guest = password(&info, "general");
    assert_eq!(host.len(), 6);
    assert_eq!(guest.len(), 6);
    assert_eq!(info["subject"], "Quarterly review");
    assert_eq!(info["startTime"], "2030-05-17 09:30");
    assert_eq!(info["endTime"], "2030-05-17 10:30");
    assert_eq!(info["mediaTypes"], "HDVideo");
    assert_eq!(info["conferenceState"], "Schedule");
    assert_eq!(info["confType"], "FUTURE");
    assert_eq!(info["conferenceType"], 0);
    assert_eq!(info["size"], 2);
    assert_eq!(info["recordType"], 2);
    assert_eq!(info["isAutoMute"], 1);
    assert_eq!(info["confConfigInfo"]["isAutoMute"], true);
    assert_eq!(info["scheduserName"], DEFAULT_ACCOUNT);
    assert!(info["accessNumber"].is_string());
    // A future meeting gets its UUID when it starts.
    assert!(info.get("confUUID").is_none(), "{info}");
    assert_eq!(info["partAttendeeInfo"][0]["name"], "Dana");
    assert_eq!(info["partAttendeeInfo"][0]["role"], 1);

    // Search and show.
    let found = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{CONFERENCES}?searchKey=quarterly"),
        None,
    );
    ok(&found);
    assert_eq!(found.json["count"], 1);
    assert_eq!(found.json["data"][0]["conferenceID"], id.as_str());
    let none = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{CONFERENCES}?searchKey=nothing-like-it"),
        None,
    );
    assert_eq!(none.json["count"], 0);
    assert_eq!(none.json["data"], json!([]));
    let shown = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{DETAIL}?conferenceID={id}"),
        None,
    );
    ok(&shown);
    assert_eq!(shown.json["conferenceData"]["subject"], "Quarterly review");
    assert_eq!(shown.json["conferenceData"]["length"], Value::Null);
    assert_eq!(shown.json["data"]["count"], 2);
    assert_eq!(shown.json["data"]["data"][0]["name"], "Dana");
    assert_eq!(
        shown.json["data"]["data"][0]["participantID"],
        "+8613800000001"
    );
    assert_eq!(shown.json["data"]["data"][0]["role"], 1);
    assert_eq!(shown.json["data"]["data"][1]["role"], 0);

    // Update: the values given change, the others stay.
    let updated = mgmt(
        &agent,
        base,
        &at,
        "PUT",
        &format!("{CONFERENCES}?conferenceID={id}"),
        Some(json!({
            "subject": "Quarterly review (moved)",
            "startTime": "2030-05-18 10:00",
            "length": 90,
            "mediaTypes": "Voice"
        })),
    );
    ok(&updated);
    let u = &updated.json[0];
    assert_eq!(u["conferenceID"], id.as_str());
    assert_eq!(u["subject"], "Quarterly review (moved)");
    assert_eq!(u["startTime"], "2030-05-18 10:00");
    assert_eq!(u["endTime"], "2030-05-18 11:30");
    assert_eq!(u["mediaTypes"], "Voice");
    assert_eq!(u["size"], 2);
    assert_eq!(password(u, "chair"), host);
    let shown = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{DETAIL}?conferenceID={id}"),
        None,
    );
    assert_eq!(
        shown.json["conferenceData"]["startTime"],
        "2030-05-18 10:00"
    );
    assert_eq!(shown.json["conferenceData"]["recordType"], 2);

    // Start: the scheduled meeting is the one started and controlled.
    ok(&start(&agent, base, &at, &id, &host));
    let online = mgmt(&agent, base, &at, "GET", ONLINE, None);
    ok(&online);
    assert_eq!(online.json["count"], 1);
    let o = &online.json["data"][0];
    assert_eq!(o["conferenceID"], id.as_str());
    assert_eq!(o["conferenceState"], "Created");
    assert_eq!(o["onlineAttendeeAmount"], 0);
    let uuid = o["confUUID"].as_str().unwrap().to_owned();
    assert_eq!(sim.conference(&id).unwrap().conf_uuid, uuid);
    let od = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{ONLINE_DETAIL}?conferenceID={id}"),
        None,
    );
    ok(&od);
    assert_eq!(od.json["conferenceData"]["confUUID"], uuid.as_str());

    // A running meeting is neither changed nor cancelled.
    let cancel = mgmt(
        &agent,
        base,
        &at,
        "DELETE",
        &format!("{CONFERENCES}?conferenceID={id}"),
        None,
    );
    refused(&cancel, 400, codes::MMC_CONFERENCE_RUNNING);
    let change = mgmt(
        &agent,
        base,
        &at,
        "PUT",
        &format!("{CONFERENCES}?conferenceID={id}"),
        Some(json!({"mediaTypes": "Voice", "subject": "x"})),
    );
    refused(&change, 400, codes::MMC_CONFERENCE_RUNNING);

    // Participants join through the test routes.
    let join = |pid: &str, name: &str, phone: Option<&str>| {
        let mut body = json!({"participantID": pid, "name": name});
        if let Some(phone) = phone {
            body["phone"] = json!(phone);
        }
        send(
            &agent,
            "POST",
            &format!("{base}/_sim/conferences/{id}/participants"),
            &[],
            Some(&body.to_string()),
        )
    };
    assert_eq!(join("p-dana", "Dana", Some("+8613800000001")).status, 201);
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(join("p-eli", "Eli", None).status, 201);
    assert_eq!(join("p-eli", "Eli", None).status, 409);
    let elsewhere = send(
        &agent,
        "POST",
        &format!("{base}/_sim/conferences/123/participants"),
        &[],
        Some(r#"{"participantID": "x", "name": "X"}"#),
    );
    assert_eq!(elsewhere.status, 404);

    let who = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{ATTENDEES}?conf_id={id}"),
        None,
    );
    ok(&who);
    assert_eq!(who.json["count"], 2);
    assert_eq!(who.json["data"][0]["participant_id"], "p-dana");
    assert_eq!(who.json["data"][0]["name"], "Dana");
    assert_eq!(who.json["data"][0]["call_number"], "+8613800000001");
    assert_eq!(who.json["data"][0]["role"], 0);
    assert_eq!(who.json["data"][1]["participant_id"], "p-eli");
    let page = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{ATTENDEES}?conf_id={id}&offset=1&limit=1"),
        None,
    );
    assert_eq!(page.json["count"], 2);
    assert_eq!(page.json["data"].as_array().unwrap().len(), 1);
    assert_eq!(page.json["data"][0]["participant_id"], "p-eli");
    let online = mgmt(&agent, base, &at, "GET", ONLINE, None);
    assert_eq!(online.json["data"][0]["onlineAttendeeAmount"], 2);

    // Control, recording on and off.
    let ct = conf_token_answer(
        &agent,
        base,
        &id,
        &[("X-Password", &host), ("X-Login-Type", "1")],
    );
    ok(&ct);
    let ct = ct.json["data"]["token"].as_str().unwrap().to_owned();
    let q = format!("conferenceID={id}");
    ok(&control(
        &agent,
        base,
        &ct,
        MUTE,
        &format!("{q}&participantID=p-eli"),
        Some(json!({"isMute": 1})),
    ));
    ok(&control(
        &agent,
        base,
        &ct,
        RECORD,
        &q,
        Some(json!({"isRecord": 1})),
    ));
    std::thread::sleep(Duration::from_millis(30));
    ok(&control(
        &agent,
        base,
        &ct,
        RECORD,
        &q,
        Some(json!({"isRecord": 0})),
    ));

    // Eli leaves, then the meeting stops.
    let leave = send(
        &agent,
        "DELETE",
        &format!("{base}/_sim/conferences/{id}/participants/p-eli"),
        &[],
        None,
    );
    assert_eq!(leave.status, 200, "{}", leave.text);
    std::thread::sleep(Duration::from_millis(20));
    ok(&control(&agent, base, &ct, STOP, &q, None));
    let t1 = now_ms() + 1000;

    // It is history now.
    assert_eq!(
        mgmt(&agent, base, &at, "GET", ONLINE, None).json["count"],
        0
    );
    assert_eq!(
        mgmt(&agent, base, &at, "GET", CONFERENCES, None).json["count"],
        0
    );
    let gone = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{DETAIL}?conferenceID={id}"),
        None,
    );
    refused(&gone, 404, codes::MMC_CONFERENCE_NOT_FOUND);
    let window = format!("startDate={}&endDate={t1}", t0 - 1000);
    let his = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{HISTORY}?{window}"),
        None,
    );
    ok(&his);
    assert_eq!(his.json["count"], 1);
    let h = &his.json["data"][0];
    assert_eq!(h["conferenceID"], id.as_str());
    assert_eq!(h["confUUID"], uuid.as_str());
    assert_eq!(h["subject"], "Quarterly review (moved)");
    assert_eq!(h["conferenceState"], "Destroyed");
    assert_eq!(h["isHasRecordFile"], true);
    let before = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{HISTORY}?startDate=0&endDate={}", t0 - 60_000),
        None,
    );
    assert_eq!(before.json["count"], 0);
    let hd = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{HISTORY_DETAIL}?confUUID={uuid}"),
        None,
    );
    ok(&hd);
    assert_eq!(hd.json["conferenceData"]["conferenceID"], id.as_str());
    assert_eq!(hd.json["data"]["count"], 2);

    // Attendance: who joined and left, when (ms).
    let att = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{ATTENDANCE}?confUUID={uuid}"),
        None,
    );
    ok(&att);
    assert_eq!(att.json["count"], 2);
    let dana = &att.json["data"][0];
    let eli = &att.json["data"][1];
    assert_eq!(dana["displayName"], "Dana");
    assert_eq!(dana["callNumber"], "+8613800000001");
    assert_eq!(eli["displayName"], "Eli");
    let ms = |v: &Value| v.as_i64().unwrap();
    assert!(
        ms(&dana["joinTime"]) >= t0 && ms(&dana["leftTime"]) <= t1,
        "{}",
        att.text
    );
    assert!(ms(&dana["joinTime"]) < ms(&eli["joinTime"]), "{}", att.text);
    assert!(ms(&eli["joinTime"]) <= ms(&eli["leftTime"]));
    assert!(ms(&eli["leftTime"]) < ms(&dana["leftTime"]), "{}", att.text);

    // Control records: the calls made while it ran.
    let ctl = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{CONTROL_RECORDS}?confUUID={uuid}"),
        None,
    );
    ok(&ctl);
    let codes_seen: Vec<&str> = ctl.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["operateCode"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes_seen,
        [
            "start_meeting",
            "create_conf_token",
            "mute_participant",
            "record",
            "record",
            "stop_meeting"
        ]
    );
    assert_eq!(ctl.json["count"], 6);
    assert_eq!(ctl.json["data"][2]["operationObject"], "p-eli");
    assert!(ms(&ctl.json["data"][2]["operateTime"]) >= t0);
    assert!(
        !ctl.text.contains(&host),
        "the host password leaked: {}",
        ctl.text
    );

    // The recording.
    let recs = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{RECORDINGS}?{window}"),
        None,
    );
    ok(&recs);
    assert_eq!(recs.json["count"], 1);
    let r = &recs.json["data"][0];
    assert_eq!(r["confUUID"], uuid.as_str());
    assert_eq!(r["confID"], id.as_str());
    assert_eq!(r["subject"], "Quarterly review (moved)");
    assert!(r["rcdTime"].as_i64().unwrap() >= 1);
    assert_eq!(r["available"], true);
    let rd = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{RECORDING_DETAIL}?confUUID={uuid}"),
        None,
    );
    ok(&rd);
    assert_eq!(rd.json["confUUID"], uuid.as_str());
    let urls = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{DOWNLOAD_URLS}?confUUID={uuid}"),
        None,
    );
    ok(&urls);
    assert_eq!(urls.json["recordUrls"][0]["confUuid"], uuid.as_str());
    let files = urls.json["recordUrls"][0]["urls"]
        .as_array()
        .unwrap()
        .clone();
    let types: Vec<&str> = files
        .iter()
        .map(|f| f["fileType"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["Hd", "Sd"]);
    let url = files[0]["url"].as_str().unwrap().to_owned();
    assert!(files[0]["token"].is_string());
    let file = send(&agent, "GET", &url, &[], None);
    assert_eq!(file.status, 200, "{url}");
    assert_eq!(file.header("content-type"), Some("video/mp4"));
    assert!(file.text.contains(&uuid), "{}", file.text);

    // Deleted, it is gone everywhere.
    let del = mgmt(
        &agent,
        base,
        &at,
        "DELETE",
        &format!("{RECORDINGS}?confUUIDs={uuid}"),
        None,
    );
    ok(&del);
    assert_eq!(
        mgmt(
            &agent,
            base,
            &at,
            "GET",
            &format!("{RECORDINGS}?{window}"),
            None
        )
        .json["count"],
        0
    );
    let again = mgmt(
        &agent,
        base,
        &at,
        "DELETE",
        &format!("{RECORDINGS}?confUUIDs={uuid}"),
        None,
    );
    refused(&again, 404, codes::MMC_RECORDING_NOT_FOUND);
    assert_eq!(send(&agent, "GET", &url, &[], None).status, 404);
    let his = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{HISTORY}?{window}"),
        None,
    );
    assert_eq!(his.json["data"][0]["isHasRecordFile"], false);
    assert_eq!(sim.history().len(), 1);
    assert!(sim.recordings().is_empty());
}

#[test]
fn cancelling_twice_is_refused_the_second_time() {
    let sim = empty_sim();
    let agent = agent();
    let base = sim.url();
    let at = access_token(&agent, base);
    let info = create(
        &agent,
        base,
        &at,
        json!({"subject": "Stand-up", "mediaTypes": "Voice", "startTime": ""}),
    );
    // An empty start time is none: it may start at once, and has its UUID
    // already.
    assert_eq!(info["confType"], "IMMEDIATELY");
    assert!(info["confUUID"].is_string());
    let id = info["conferenceID"].as_str().unwrap().to_owned();
    let cancel = || {
        mgmt(
            &agent,
            base,
            &at,
            "DELETE",
            &format!("{CONFERENCES}?conferenceID={id}"),
            None,
        )
    };
    let first = cancel();
    ok(&first);
    assert_eq!(first.json, json!({}));
    refused(&cancel(), 404, codes::MMC_CONFERENCE_NOT_FOUND);
    let show = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{DETAIL}?conferenceID={id}"),
        None,
    );
    refused(&show, 404, codes::MMC_CONFERENCE_NOT_FOUND);
    assert!(sim.conference(&id).is_none());
    let started = start(&agent, base, &at, &id, "123456");
    refused(&started, 404, codes::MMC_CONFERENCE_NOT_FOUND);
}

#[test]
fn cancelling_a_running_meeting_with_type_1_ends_it_into_history() {
    let sim = empty_sim();
    let agent = agent();
    let base = sim.url();
    let at = access_token(&agent, base);
    let info = create(
        &agent,
        base,
        &at,
        json!({"subject": "Ad hoc", "mediaTypes": "Voice"}),
    );
    let id = info["conferenceID"].as_str().unwrap().to_owned();
    ok(&start(&agent, base, &at, &id, &password(&info, "chair")));
    let cancel = mgmt(
        &agent,
        base,
        &at,
        "DELETE",
        &format!("{CONFERENCES}?conferenceID={id}&type=1"),
        None,
    );
    ok(&cancel);
    let history = sim.history();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].conference_id, id);
    assert_eq!(history[0].conf_uuid, info["confUUID"].as_str().unwrap());
    assert!(sim.conference(&id).is_none());
}

#[test]
fn a_stopped_meeting_started_again_is_a_new_run() {
    let sim = empty_sim();
    let agent = agent();
    let base = sim.url();
    let at = access_token(&agent, base);
    let info = create(
        &agent,
        base,
        &at,
        json!({"subject": "Twice", "mediaTypes": "Voice"}),
    );
    let id = info["conferenceID"].as_str().unwrap().to_owned();
    let host = password(&info, "chair");
    for _ in 0..2 {
        ok(&start(&agent, base, &at, &id, &host));
        let ct = conf_token_answer(
            &agent,
            base,
            &id,
            &[("X-Password", &host), ("X-Login-Type", "1")],
        );
        let ct = ct.json["data"]["token"].as_str().unwrap().to_owned();
        ok(&control(
            &agent,
            base,
            &ct,
            STOP,
            &format!("conferenceID={id}"),
            None,
        ));
    }
    let history = sim.history();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].conference_id, history[1].conference_id);
    assert_ne!(history[0].conf_uuid, history[1].conf_uuid);
    let his = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{HISTORY}?startDate=0&endDate={}", now_ms() + 1000),
        None,
    );
    assert_eq!(his.json["count"], 2);
    // Newest first by default.
    assert_eq!(
        his.json["data"][0]["confUUID"],
        history[1].conf_uuid.as_str()
    );
}

#[test]
fn searches_page_with_offset_and_limit_and_count_every_match() {
    let sim = empty_sim();
    let agent = agent();
    let base = sim.url();
    let at = access_token(&agent, base);
    let mut ids = Vec::new();
    for i in 0..7 {
        let info = create(
            &agent,
            base,
            &at,
            json!({"subject": format!("Meeting {i}"), "mediaTypes": "Voice",
                   "startTime": format!("2031-01-0{} 08:00", i + 1)}),
        );
        ids.push(info["conferenceID"].as_str().unwrap().to_owned());
    }
    let mut seen = Vec::new();
    for (offset, size) in [(0, 3), (3, 3), (6, 1)] {
        let page = mgmt(
            &agent,
            base,
            &at,
            "GET",
            &format!("{CONFERENCES}?offset={offset}&limit=3"),
            None,
        );
        ok(&page);
        assert_eq!(page.json["count"], 7, "{}", page.text);
        assert_eq!(page.json["offset"], offset);
        assert_eq!(page.json["limit"], 3);
        let data = page.json["data"].as_array().unwrap();
        assert_eq!(data.len(), size);
        seen.extend(
            data.iter()
                .map(|m| m["conferenceID"].as_str().unwrap().to_owned()),
        );
    }
    // In start order, each once.
    assert_eq!(seen, ids);
    let past = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{CONFERENCES}?offset=7&limit=3"),
        None,
    );
    assert_eq!(past.json["count"], 7);
    assert_eq!(past.json["data"], json!([]));
    let newest = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{CONFERENCES}?limit=1&sortType=DSC_StartTIME"),
        None,
    );
    assert_eq!(newest.json["data"][0]["conferenceID"], ids[6].as_str());
    let key = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{CONFERENCES}?searchKey=meeting%203"),
        None,
    );
    assert_eq!(key.json["count"], 1);
    for bad in ["limit=0", "limit=501", "offset=-1", "limit=many"] {
        let a = mgmt(
            &agent,
            base,
            &at,
            "GET",
            &format!("{CONFERENCES}?{bad}"),
            None,
        );
        refused(&a, 400, codes::MMC_PARAM_INVALID);
    }
}

#[test]
fn a_series_has_sub_meetings_that_change_and_go_one_by_one() {
    let sim = empty_sim();
    let agent = agent();
    let base = sim.url();
    let at = access_token(&agent, base);
    // 2030-03-04 is a Monday: Mondays and Wednesdays for two weeks.
    let created = mgmt(
        &agent,
        base,
        &at,
        "POST",
        CYCLE,
        Some(json!({
            "subject": "Team sync",
            "startTime": "2030-03-04 08:00",
            "length": 30,
            "mediaTypes": "Voice",
            "cycleParams": {"startDate": "2030-03-04", "endDate": "2030-03-15",
                            "cycle": "Week", "interval": 1, "point": [1, 3], "preRemindDays": 1}
        })),
    );
    ok(&created);
    let info = &created.json[0];
    let id = info["conferenceID"].as_str().unwrap().to_owned();
    assert_eq!(info["conferenceType"], 2);
    assert_eq!(info["confType"], "CYCLE");
    assert_eq!(info["cycleParams"]["cycle"], "Week");
    let starts = |info: &Value| -> Vec<String> {
        info["subConfs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["startTime"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        starts(info),
        [
            "2030-03-04 08:00",
            "2030-03-06 08:00",
            "2030-03-11 08:00",
            "2030-03-13 08:00"
        ]
    );
    let subs: Vec<String> = info["subConfs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["cycleSubConfID"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(info["cycleSubConfID"], subs[0].as_str());
    assert_eq!(info["subConfs"][0]["endTime"], "2030-03-04 08:30");

    // One sub-meeting moves; the others stay.
    let moved = mgmt(
        &agent,
        base,
        &at,
        "PUT",
        &format!("{SUB}?conferenceID={id}"),
        Some(json!({"cycleSubConfID": subs[1], "mediaTypes": "HDVideo",
                    "startTime": "2030-03-07 09:00", "length": 45})),
    );
    ok(&moved);
    let shown = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{DETAIL}?conferenceID={id}"),
        None,
    );
    let d = &shown.json["conferenceData"];
    assert_eq!(
        starts(d),
        [
            "2030-03-04 08:00",
            "2030-03-07 09:00",
            "2030-03-11 08:00",
            "2030-03-13 08:00"
        ]
    );
    assert_eq!(d["subConfs"][1]["endTime"], "2030-03-07 09:45");
    assert_eq!(d["subConfs"][1]["mediaType"], "HDVideo");
    assert_eq!(d["subConfs"][1]["cycleSubConfID"], subs[1].as_str());

    // One is cancelled; the others stay.
    let cancel = mgmt(
        &agent,
        base,
        &at,
        "DELETE",
        &format!("{SUB}?conferenceID={id}"),
        Some(json!({"cycleSubConfIDs": [subs[2]]})),
    );
    ok(&cancel);
    let shown = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{DETAIL}?conferenceID={id}"),
        None,
    );
    let left: Vec<&str> = shown.json["conferenceData"]["subConfs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["cycleSubConfID"].as_str().unwrap())
        .collect();
    assert_eq!(left, [subs[0].as_str(), subs[1].as_str(), subs[3].as_str()]);
    let unknown = mgmt(
        &agent,
        base,
        &at,
        "DELETE",
        &format!("{SUB}?conferenceID={id}"),
        Some(json!({"cycleSubConfIDs": [subs[2]]})),
    );
    refused(&unknown, 404, codes::MMC_SUB_CONFERENCE_NOT_FOUND);

    // The series' subject changes, its sub-meetings stay.
    let renamed = mgmt(
        &agent,
        base,
        &at,
        "PUT",
        &format!("{CYCLE}?conferenceID={id}"),
        Some(json!({"subject": "Team sync (new)", "mediaTypes": "Voice"})),
    );
    ok(&renamed);
    assert_eq!(renamed.json[0]["subject"], "Team sync (new)");
    assert_eq!(renamed.json[0]["subConfs"].as_array().unwrap().len(), 3);
    assert_eq!(sim.conference(&id).unwrap().sub_meetings.len(), 3);

    // One-off calls refuse a series, and the other way round.
    let wrong = mgmt(
        &agent,
        base,
        &at,
        "PUT",
        &format!("{CONFERENCES}?conferenceID={id}"),
        Some(json!({"mediaTypes": "Voice"})),
    );
    refused(&wrong, 400, codes::MMC_SERIES_MISMATCH);
    let one_off = create(&agent, base, &at, json!({"mediaTypes": "Voice"}));
    let one_off = one_off["conferenceID"].as_str().unwrap();
    let wrong = mgmt(
        &agent,
        base,
        &at,
        "DELETE",
        &format!("{CYCLE}?conferenceID={one_off}"),
        None,
    );
    refused(&wrong, 400, codes::MMC_SERIES_MISMATCH);

    // The whole series goes.
    ok(&mgmt(
        &agent,
        base,
        &at,
        "DELETE",
        &format!("{CYCLE}?conferenceID={id}"),
        None,
    ));
    let gone = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{DETAIL}?conferenceID={id}"),
        None,
    );
    refused(&gone, 404, codes::MMC_CONFERENCE_NOT_FOUND);
}

#[test]
fn event_push_settings_are_stored_per_enterprise_and_hide_the_key() {
    let sim = empty_sim();
    let agent = agent();
    let base = sim.url();
    let at = access_token(&agent, base);
    let none = mgmt(&agent, base, &at, "GET", WEBHOOK, None);
    refused(&none, 404, codes::MMC_WEBHOOK_NOT_FOUND);
    let set = mgmt(
        &agent,
        base,
        &at,
        "POST",
        WEBHOOK,
        Some(
            json!({"subscriberId": "sub-1", "subscriberKey": "s3cr3t-key",
                    "url": "https://hooks.example.com/meeting"}),
        ),
    );
    ok(&set);
    let shown = mgmt(&agent, base, &at, "GET", WEBHOOK, None);
    ok(&shown);
    assert_eq!(shown.json["returnCode"], 0);
    assert_eq!(shown.json["subscriberId"], "sub-1");
    assert_eq!(shown.json["url"], "https://hooks.example.com/meeting");
    // Stored, not enabled: enabling verifies the URL first.
    assert_eq!(shown.json["status"], 1);
    assert!(!shown.text.contains("s3cr3t-key"), "{}", shown.text);
    let hook = shown.json["id"].as_str().unwrap().to_owned();
    // Another enterprise has none.
    let other = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{WEBHOOK}?corpId=other-corp"),
        None,
    );
    refused(&other, 404, codes::MMC_WEBHOOK_NOT_FOUND);

    ok(&mgmt(
        &agent,
        base,
        &at,
        "PUT",
        &format!("{WEBHOOK_STATUS}?id={hook}&status=1"),
        None,
    ));
    assert_eq!(
        mgmt(&agent, base, &at, "GET", WEBHOOK, None).json["status"],
        1
    );
    let bad = mgmt(
        &agent,
        base,
        &at,
        "PUT",
        &format!("{WEBHOOK_STATUS}?id=nope&status=0"),
        None,
    );
    refused(&bad, 404, codes::MMC_WEBHOOK_NOT_FOUND);

    ok(&mgmt(
        &agent,
        base,
        &at,
        "DELETE",
        &format!("{WEBHOOK}?id={hook}"),
        None,
    ));
    refused(
        &mgmt(&agent, base, &at, "GET", WEBHOOK, None),
        404,
        codes::MMC_WEBHOOK_NOT_FOUND,
    );
    let again = mgmt(
        &agent,
        base,
        &at,
        "DELETE",
        &format!("{WEBHOOK}?id={hook}"),
        None,
    );
    refused(&again, 404, codes::MMC_WEBHOOK_NOT_FOUND);
    let plain = mgmt(
        &agent,
        base,
        &at,
        "POST",
        WEBHOOK,
        Some(
            json!({"subscriberId": "s", "subscriberKey": "k", "url": "http://hooks.example.com/"}),
        ),
    );
    refused(&plain, 400, codes::MMC_PARAM_INVALID);
    // The request log does not keep the key either.
    let logged = serde_json::to_string(&sim.requests()).unwrap();
    assert!(!logged.contains("s3cr3t-key"), "{logged}");
}

#[test]
fn bad_input_is_refused_in_the_services_shape() {
    let sim = empty_sim();
    let agent = agent();
    let base = sim.url();
    let at = access_token(&agent, base);
    let bodies = [
        json!({"subject": "no media"}),
        json!({"mediaTypes": "Smell"}),
        json!({"mediaTypes": "Voice", "startTime": "2030-13-01 00:00"}),
        json!({"mediaTypes": "Voice", "startTime": "tomorrow"}),
        json!({"mediaTypes": "Voice", "length": 5}),
        json!({"mediaTypes": "Voice", "attendees": [{"name": "A", "role": 7}]}),
        json!({"mediaTypes": "Voice", "confConfigInfo": {"guestPwd": "12"}}),
        json!({"mediaTypes": "Voice", "cycleParams": {"startDate": "2030-01-02",
               "endDate": "2030-01-01", "cycle": "Day", "preRemindDays": 1}}),
    ];
    for body in bodies {
        let a = mgmt(&agent, base, &at, "POST", CONFERENCES, Some(body.clone()));
        refused(&a, 400, codes::MMC_PARAM_INVALID);
    }
    let series = mgmt(
        &agent,
        base,
        &at,
        "POST",
        CYCLE,
        Some(json!({"mediaTypes": "Voice"})),
    );
    refused(&series, 400, codes::MMC_PARAM_INVALID);
    assert!(sim.conferences().is_empty());

    let no_token = send(&agent, "GET", &format!("{base}{CONFERENCES}"), &[], None);
    refused(&no_token, 401, codes::ACCESS_TOKEN_INVALID);
    for (method, path) in [
        ("GET", format!("{DETAIL}?conferenceID=123456789")),
        ("PUT", format!("{CONFERENCES}?conferenceID=123456789")),
        ("DELETE", format!("{CONFERENCES}?conferenceID=123456789")),
        ("GET", format!("{ONLINE_DETAIL}?conferenceID=123456789")),
        ("GET", format!("{ATTENDEES}?conf_id=123456789")),
    ] {
        let body = (method == "PUT").then(|| json!({"mediaTypes": "Voice"}));
        let a = mgmt(&agent, base, &at, method, &path, body);
        refused(&a, 404, codes::MMC_CONFERENCE_NOT_FOUND);
    }
    let his = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{HISTORY_DETAIL}?confUUID=nope"),
        None,
    );
    refused(&his, 404, codes::MMC_HISTORY_NOT_FOUND);
    let rec = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{RECORDING_DETAIL}?confUUID=nope"),
        None,
    );
    refused(&rec, 404, codes::MMC_RECORDING_NOT_FOUND);
    let missing = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{HISTORY}?startDate=0"),
        None,
    );
    refused(&missing, 400, codes::MMC_PARAM_INVALID);

    // A scheduled meeting: not online, and its passwords are checked.
    let info = create(&agent, base, &at, json!({"mediaTypes": "Voice"}));
    let id = info["conferenceID"].as_str().unwrap();
    let offline = mgmt(
        &agent,
        base,
        &at,
        "GET",
        &format!("{ATTENDEES}?conf_id={id}"),
        None,
    );
    refused(&offline, 400, codes::MMC_CONFERENCE_NOT_STARTED);
    refused(
        &start(&agent, base, &at, id, "000000"),
        403,
        codes::MMC_PASSWORD_WRONG,
    );
    let guest = password(&info, "general");
    refused(
        &start(&agent, base, &at, id, &guest),
        403,
        codes::MMC_PASSWORD_WRONG,
    );
    let anonymous = send(
        &agent,
        "GET",
        &format!("{base}/v1/mmc/management/conferences/anonymous/auth?conferenceID={id}"),
        &[("X-Access-Token", &at), ("X-Password", "000000")],
        None,
    );
    refused(&anonymous, 403, codes::MMC_PASSWORD_WRONG);
    let anonymous = send(
        &agent,
        "GET",
        &format!("{base}/v1/mmc/management/conferences/anonymous/auth?conferenceID={id}"),
        &[("X-Access-Token", &at), ("X-Password", &guest)],
        None,
    );
    ok(&anonymous);
    assert!(anonymous.json["random"].is_string());
}
