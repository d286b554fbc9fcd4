//! The whole life of a meeting through each client (blocking and async),
//! with typed requests only, against the simulator over TLS: created,
//! found, edited, started, joined and left, controlled, recorded, stopped,
//! then its history, attendance, control records and recording, fetched
//! and deleted. Also: the pagination helpers (every item once, one request
//! a page, an error as the last item), cancelling twice, a recurring
//! series and its sub-meetings, and a bad start time caught before
//! sending.
//!
//! The participants join and leave through the simulator's test routes
//! (`POST /_sim/conferences/{id}/participants`, `DELETE
//! .../participants/{pid}`), and the recording's download link is fetched
//! as it is given, with a plain HTTP client ([`Raw`]).
//!
//! Each flow is written once, in a macro, for both clients: the async
//! client's calls are the blocking client's with `.await` after them.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use hwmeeting_blocking::model::{
    ApplyChair, CameraInvitation, CancelMeetingRequest, CancelRecurringSubMeetingRequest, ConfType,
    ConferenceInfo, ConferenceRole, ConferenceState, CreateMeetingRequest,
    CreateRecurringMeetingRequest, CycleParams, DeleteRecordingsRequest, HangUpRequest,
    InviteOperateVideoRequest, ListOnlineConfAttendeeRequest, PasswordRole, RecordFileType,
    RecordRequest, RecordSwitch, RecordType, RecurrenceCycle, RestAttendeeDto,
    SearchAttendanceRecordsOfHisMeetingRequest, SearchCtlRecordsOfHisMeetingRequest,
    SearchHisMeetingsRequest, SearchMeetingsRequest, SearchOnlineMeetingsRequest,
    SearchRecordingsRequest, SetRoleRequest, ShowHisMeetingDetailRequest, ShowMeetingDetailRequest,
    ShowRecordingDetailRequest, ShowRecordingFileDownloadUrlsRequest, StartMeetingRequest,
    StopMeetingRequest, UpdateMeetingRequest, UpdateRecurringSubMeetingRequest,
};
use hwmeeting_blocking::time::{OffsetDateTime, parse_minute_utc};
use hwmeeting_blocking::{BuildError, Error};
use hwmeeting_sim::{Fault, FaultRule, SimConfig, SimHandle, Simulator, codes};
use hwmeeting_tests::{async_client, blocking_client, count_operation};

/// The path of `search_meetings` (and `create_meeting`, `cancel_meeting`).
const CONFERENCES: &str = "/v1/mmc/management/conferences";

/// A simulator over TLS with no meeting.
fn empty_sim() -> SimHandle {
    Simulator::spawn(SimConfig::default().demo(false)).expect("the simulator starts")
}

/// Now, in Unix milliseconds.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64
}

/// A point in time written `yyyy-MM-dd HH:mm` (UTC).
fn at(text: &str) -> OffsetDateTime {
    parse_minute_utc(text).expect("a valid time")
}

/// The length in minutes of a meeting, from its start and end.
fn minutes(info: &ConferenceInfo) -> i64 {
    let start = at(info.start_time.as_deref().expect("a start time"));
    let end = at(info.end_time.as_deref().expect("an end time"));
    (end - start).whole_minutes()
}

/// The password of a role in `password_entry`.
fn password(info: &ConferenceInfo, role: PasswordRole) -> String {
    info.password_entry
        .as_ref()
        .expect("passwords")
        .iter()
        .find(|p| p.conference_role.as_ref() == Some(&role))
        .and_then(|p| p.password.as_ref())
        .unwrap_or_else(|| panic!("a password for {role:?}"))
        .expose()
        .to_owned()
}

/// The error code and status of an `Error::Api`; panics on any other
/// outcome.
fn api_error<T: std::fmt::Debug>(result: Result<T, Error>) -> (u16, String) {
    match result {
        Err(Error::Api { source, .. }) => (
            source.status,
            source.error_code.clone().expect("an error code"),
        ),
        other => panic!("expected an Error::Api, got {other:?}"),
    }
}

/// Plain HTTP to the simulator, trusting its CA: its test routes and the
/// recording files its download links name.
struct Raw {
    agent: ureq::Agent,
    base: String,
}

impl Raw {
    fn new(sim: &SimHandle) -> Raw {
        let agent = hwmeeting_tests::sim_agent(sim);
        Raw {
            agent,
            base: sim.url().to_owned(),
        }
    }

    /// Someone joins a running meeting.
    fn join(&self, id: &str, pid: &str, name: &str) {
        let body = serde_json::json!({"participantID": pid, "name": name}).to_string();
        let answer = self
            .agent
            .post(format!("{}/_sim/conferences/{id}/participants", self.base))
            .header("Content-Type", "application/json")
            .send(body)
            .expect("the join route answers");
        assert_eq!(answer.status().as_u16(), 201, "{pid} joins {id}");
    }

    /// A participant leaves.
    fn leave(&self, id: &str, pid: &str) {
        let answer = self
            .agent
            .delete(format!(
                "{}/_sim/conferences/{id}/participants/{pid}",
                self.base
            ))
            .call()
            .expect("the leave route answers");
        assert_eq!(answer.status().as_u16(), 200, "{pid} leaves {id}");
    }

    /// GET a URL: its status, content type and body.
    fn get(&self, url: &str) -> (u16, Option<String>, Vec<u8>) {
        let mut answer = self.agent.get(url).call().expect("the file answers");
        let content_type = answer
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let status = answer.status().as_u16();
        let body = answer.body_mut().read_to_vec().expect("a body");
        (status, content_type, body)
    }
}

/// The whole life of one meeting through `$client` (a client of either
/// kind; `$($aw)*` is `.await` for the async one).
macro_rules! whole_life {
    ($sim:expr, $client:expr, [$($aw:tt)*]) => {{
        let sim: &SimHandle = $sim;
        let client = $client;
        let raw = Raw::new(sim);
        let t0 = now_ms();

        // Created, for a later time.
        let created = client
            .create_meeting(
                CreateMeetingRequest::new("HDVideo")
                    .subject("Quarterly review")
                    .start_time_at(at("2030-05-17 09:30"))
                    .length(60)
                    .record_type(RecordType::Recording)
                    .attendees(vec![
                        RestAttendeeDto::new()
                            .name("Dana")
                            .phone("+8613800000001")
                            .role(ConferenceRole::Host),
                        RestAttendeeDto::new().name("Eli").phone("+8613800000002"),
                    ]),
            )
            $($aw)*
            .expect("create_meeting");
        assert_eq!(created.len(), 1, "{created:?}");
        let info = &created[0];
        let id = info.conference_id.clone().expect("a meeting ID");
        assert_eq!(info.subject.as_deref(), Some("Quarterly review"));
        assert_eq!(info.start_time.as_deref(), Some("2030-05-17 09:30"));
        assert_eq!(info.end_time.as_deref(), Some("2030-05-17 10:30"));
        assert_eq!(info.media_types.as_deref(), Some("HDVideo"));
        assert_eq!(info.conference_state, Some(ConferenceState::Scheduled));
        assert_eq!(info.conf_type, Some(ConfType::Future));
        assert_eq!(info.record_type, Some(RecordType::Recording));
        assert_eq!(info.size, Some(2));
        // A future meeting gets its UUID when it starts.
        assert_eq!(info.conf_uuid, None);
        let host = password(info, PasswordRole::Chair);
        let guest = password(info, PasswordRole::General);
        assert_ne!(host, guest);
        assert!(!format!("{info:?}").contains(&host), "Debug shows the host password");

        // Found and shown.
        let found = client
            .search_meetings(SearchMeetingsRequest::new().search_key("quarterly"))
            $($aw)*
            .expect("search_meetings");
        assert_eq!(found.count, Some(1));
        let found: Vec<_> = found
            .data
            .unwrap_or_default()
            .into_iter()
            .map(|m| m.conference_id)
            .collect();
        assert_eq!(found, [Some(id.clone())]);
        let none = client
            .search_meetings(SearchMeetingsRequest::new().search_key("nothing like it"))
            $($aw)*
            .expect("search_meetings");
        assert_eq!(none.count, Some(0));
        let shown = client
            .show_meeting_detail(ShowMeetingDetailRequest::new().conference_id(&id))
            $($aw)*
            .expect("show_meeting_detail");
        let data = shown.conference_data.expect("conferenceData");
        assert_eq!(data.conference_id.as_deref(), Some(id.as_str()));
        assert_eq!(data.subject.as_deref(), Some("Quarterly review"));
        assert_eq!(data.start_time.as_deref(), Some("2030-05-17 09:30"));
        assert_eq!(minutes(&data), 60);
        let invited = shown.data.expect("the attendees");
        assert_eq!(invited.count, Some(2));
        let invited = invited.data.unwrap_or_default();
        assert_eq!(invited[0].name.as_deref(), Some("Dana"));
        assert_eq!(invited[0].role, Some(ConferenceRole::Host));
        assert_eq!(invited[1].name.as_deref(), Some("Eli"));

        // Edited: what is given changes, the rest stays.
        let updated = client
            .update_meeting(
                UpdateMeetingRequest::new("Voice")
                    .conference_id(&id)
                    .subject("Quarterly review (moved)")
                    .start_time_at(at("2030-05-18 10:00"))
                    .length(90),
            )
            $($aw)*
            .expect("update_meeting");
        assert_eq!(updated.len(), 1, "{updated:?}");
        let u = &updated[0];
        assert_eq!(u.conference_id.as_deref(), Some(id.as_str()));
        assert_eq!(u.subject.as_deref(), Some("Quarterly review (moved)"));
        assert_eq!(u.start_time.as_deref(), Some("2030-05-18 10:00"));
        assert_eq!(u.end_time.as_deref(), Some("2030-05-18 11:30"));
        assert_eq!(u.media_types.as_deref(), Some("Voice"));
        assert_eq!(password(u, PasswordRole::Chair), host);
        let shown = client
            .show_meeting_detail(ShowMeetingDetailRequest::new().conference_id(&id))
            $($aw)*
            .expect("show_meeting_detail");
        let data = shown.conference_data.expect("conferenceData");
        assert_eq!(data.subject.as_deref(), Some("Quarterly review (moved)"));
        assert_eq!(data.start_time.as_deref(), Some("2030-05-18 10:00"));
        assert_eq!(minutes(&data), 90);
        assert_eq!(data.record_type, Some(RecordType::Recording));

        // Started: now it has its UUID.
        client
            .start_meeting(StartMeetingRequest::new(&id, host.clone()))
            $($aw)*
            .expect("start_meeting");
        let online = client
            .search_online_meetings(SearchOnlineMeetingsRequest::new())
            $($aw)*
            .expect("search_online_meetings");
        assert_eq!(online.count, Some(1));
        let o = &online.data.as_ref().expect("online meetings")[0];
        assert_eq!(o.conference_id.as_deref(), Some(id.as_str()));
        assert_eq!(o.conference_state, Some(ConferenceState::Created));
        let uuid = o.conf_uuid.clone().expect("a running meeting's UUID");
        assert_eq!(sim.conference(&id).expect("the meeting").conf_uuid, uuid);

        // Three join; one leaves again.
        raw.join(&id, "p-dana", "Dana");
        std::thread::sleep(Duration::from_millis(20));
        raw.join(&id, "p-eli", "Eli");
        std::thread::sleep(Duration::from_millis(20));
        raw.join(&id, "p-finn", "Finn");
        let who = client
            .list_online_conf_attendee(ListOnlineConfAttendeeRequest::new().conf_id(&id))
            $($aw)*
            .expect("list_online_conf_attendee");
        assert_eq!(who.count, Some(3));
        let names: Vec<_> = who
            .data
            .unwrap_or_default()
            .into_iter()
            .map(|a| (a.participant_id.unwrap_or_default(), a.name.unwrap_or_default()))
            .collect();
        assert_eq!(
            names,
            [
                ("p-dana".to_owned(), "Dana".to_owned()),
                ("p-eli".to_owned(), "Eli".to_owned()),
                ("p-finn".to_owned(), "Finn".to_owned()),
            ]
        );
        std::thread::sleep(Duration::from_millis(20));
        raw.leave(&id, "p-finn");
        let who = client
            .list_online_conf_attendee(ListOnlineConfAttendeeRequest::new().conf_id(&id))
            $($aw)*
            .expect("list_online_conf_attendee");
        assert_eq!(who.count, Some(2));

        // Controlled through a meeting handle, recorded on and off.
        let meeting = client.conference(&id, host.clone());
        meeting
            .set_role(SetRoleRequest::new("p-dana", ApplyChair::Apply).chairman_pwd(host.clone()))
            $($aw)*
            .expect("set_role");
        assert_eq!(sim.conference(&id).unwrap().chair(), Some("p-dana"));
        meeting
            .invite_operate_video(InviteOperateVideoRequest::new("p-eli", CameraInvitation::Enable))
            $($aw)*
            .expect("invite_operate_video");
        assert_eq!(
            sim.conference(&id).unwrap().participant("p-eli").unwrap().video_request,
            Some(0)
        );
        meeting
            .record(RecordRequest::new(RecordSwitch::Start))
            $($aw)*
            .expect("record on");
        std::thread::sleep(Duration::from_millis(30));
        meeting
            .record(RecordRequest::new(RecordSwitch::Stop))
            $($aw)*
            .expect("record off");
        std::thread::sleep(Duration::from_millis(20));
        meeting
            .hang_up(HangUpRequest::new(["p-eli"]))
            $($aw)*
            .expect("hang_up");
        let who = client
            .list_online_conf_attendee(ListOnlineConfAttendeeRequest::new().conf_id(&id))
            $($aw)*
            .expect("list_online_conf_attendee");
        let left: Vec<_> = who
            .data
            .unwrap_or_default()
            .into_iter()
            .map(|a| a.participant_id)
            .collect();
        assert_eq!(left, [Some("p-dana".to_owned())]);
        std::thread::sleep(Duration::from_millis(20));
        meeting
            .stop_meeting(StopMeetingRequest::new())
            $($aw)*
            .expect("stop_meeting");
        let t1 = now_ms() + 1000;

        // History.
        let his = client
            .search_his_meetings(SearchHisMeetingsRequest::new(t0 - 1000, t1))
            $($aw)*
            .expect("search_his_meetings");
        assert_eq!(his.count, Some(1));
        let h = &his.data.as_ref().expect("history")[0];
        assert_eq!(h.conf_uuid.as_deref(), Some(uuid.as_str()));
        assert_eq!(h.conference_id.as_deref(), Some(id.as_str()));
        assert_eq!(h.subject.as_deref(), Some("Quarterly review (moved)"));
        assert_eq!(h.conference_state, Some(ConferenceState::Destroyed));
        assert_eq!(h.is_has_record_file, Some(true));
        let before = client
            .search_his_meetings(SearchHisMeetingsRequest::new(0, t0 - 60_000))
            $($aw)*
            .expect("search_his_meetings");
        assert_eq!(before.count, Some(0));
        let hd = client
            .show_his_meeting_detail(ShowHisMeetingDetailRequest::new(&uuid))
            $($aw)*
            .expect("show_his_meeting_detail");
        let hdata = hd.conference_data.expect("conferenceData");
        assert_eq!(hdata.conference_id.as_deref(), Some(id.as_str()));
        assert_eq!(hdata.subject.as_deref(), Some("Quarterly review (moved)"));
        assert_eq!(hd.data.expect("the attendees").count, Some(2));

        // Attendance: each stay, in milliseconds, in the order they joined.
        let att = client
            .search_attendance_records_of_his_meeting(
                SearchAttendanceRecordsOfHisMeetingRequest::new(&uuid),
            )
            $($aw)*
            .expect("search_attendance_records_of_his_meeting");
        assert_eq!(att.count, Some(3));
        let att = att.data.unwrap_or_default();
        let who: Vec<_> = att.iter().map(|r| r.display_name.as_deref()).collect();
        assert_eq!(who, [Some("Dana"), Some("Eli"), Some("Finn")]);
        let stay = |i: usize| {
            let r = &att[i];
            let (join, left) = (r.join_time.expect("joinTime"), r.left_time.expect("leftTime"));
            assert!(t0 <= join && join <= left && left <= t1, "{r:?}");
            (join, left)
        };
        let (dana, eli, finn) = (stay(0), stay(1), stay(2));
        assert!(dana.0 < eli.0 && eli.0 < finn.0, "{att:?}");
        // Finn left, then Eli was hung up, then the meeting stopped.
        assert!(finn.1 < eli.1 && eli.1 < dana.1, "{att:?}");

        // Control records: the calls made while it ran, in order.
        let ctl = client
            .search_ctl_records_of_his_meeting(SearchCtlRecordsOfHisMeetingRequest::new(&uuid))
            $($aw)*
            .expect("search_ctl_records_of_his_meeting");
        let ctl = ctl.data.unwrap_or_default();
        let calls: Vec<_> = ctl.iter().map(|r| r.operate_code.as_deref().unwrap_or("")).collect();
        assert_eq!(
            calls,
            [
                "start_meeting",
                "create_conf_token",
                "set_role",
                "invite_operate_video",
                "record",
                "record",
                "hang_up",
                "stop_meeting"
            ]
        );
        assert_eq!(ctl[2].operation_object.as_deref(), Some("p-dana"));
        assert_eq!(ctl[3].operation_object.as_deref(), Some("p-eli"));
        assert!(ctl.iter().all(|r| r.operate_time.is_some_and(|t| t0 <= t && t <= t1)));
        assert!(!format!("{ctl:?}").contains(&host), "the host password leaked: {ctl:?}");

        // The recording.
        let recs = client
            .search_recordings(SearchRecordingsRequest::new(t0 - 1000, t1))
            $($aw)*
            .expect("search_recordings");
        assert_eq!(recs.count, Some(1));
        let r = &recs.data.as_ref().expect("recordings")[0];
        assert_eq!(r.conf_uuid.as_deref(), Some(uuid.as_str()));
        assert_eq!(r.conf_id.as_deref(), Some(id.as_str()));
        assert_eq!(r.subject.as_deref(), Some("Quarterly review (moved)"));
        assert!(r.rcd_time.is_some_and(|s| s >= 1), "{r:?}");
        assert_eq!(r.available, Some(true));
        let rd = client
            .show_recording_detail(ShowRecordingDetailRequest::new(&uuid))
            $($aw)*
            .expect("show_recording_detail");
        assert_eq!(rd.conf_uuid.as_deref(), Some(uuid.as_str()));
        assert_eq!(rd.conf_id.as_deref(), Some(id.as_str()));
        let urls = client
            .show_recording_file_download_urls(ShowRecordingFileDownloadUrlsRequest::new(&uuid))
            $($aw)*
            .expect("show_recording_file_download_urls");
        let urls = urls.record_urls.unwrap_or_default();
        assert_eq!(urls.len(), 1, "{urls:?}");
        assert_eq!(urls[0].conf_uuid.as_deref(), Some(uuid.as_str()));
        let files = urls[0].urls.clone().unwrap_or_default();
        let kinds: Vec<_> = files.iter().map(|f| f.file_type.clone()).collect();
        assert_eq!(kinds, [Some(RecordFileType::Hd), Some(RecordFileType::Sd)]);
        assert!(files[0].token.as_ref().is_some_and(|t| !t.expose().is_empty()));
        let url = files[0].url.clone().expect("a download URL");
        let recording = sim
            .recordings()
            .into_iter()
            .find(|r| r.conf_uuid == uuid)
            .expect("the simulator has the recording");
        let (status, content_type, bytes) = raw.get(&url);
        assert_eq!(status, 200, "{url}");
        assert_eq!(content_type.as_deref(), Some("video/mp4"));
        assert!(!bytes.is_empty());
        assert_eq!(bytes, recording.file_bytes("Hd"));

        // Deleted: gone.
        client
            .delete_recordings(DeleteRecordingsRequest::new(&uuid))
            $($aw)*
            .expect("delete_recordings");
        let gone = client
            .show_recording_detail(ShowRecordingDetailRequest::new(&uuid))
            $($aw)*;
        assert_eq!(api_error(gone), (404, codes::MMC_RECORDING_NOT_FOUND.to_owned()));
        assert_eq!(raw.get(&url).0, 404);
        let his = client
            .search_his_meetings(SearchHisMeetingsRequest::new(t0 - 1000, t1))
            $($aw)*
            .expect("search_his_meetings");
        assert_eq!(his.data.expect("history")[0].is_has_record_file, Some(false));
    }};
}

#[test]
fn a_meeting_from_creation_to_its_deleted_recording_through_the_blocking_client() {
    let sim = empty_sim();
    whole_life!(&sim, blocking_client(&sim), []);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_from_creation_to_its_deleted_recording_through_the_async_client() {
    let sim = empty_sim();
    whole_life!(&sim, async_client(&sim), [.await]);
}

/// Seven meetings, `Meeting 0` to `Meeting 6`, on seven days in a row (so
/// the search lists them in this order).
fn seven_meetings() -> Vec<CreateMeetingRequest> {
    (0..7)
        .map(|i| {
            CreateMeetingRequest::new("Voice")
                .subject(format!("Meeting {i}"))
                .start_time_at(at(&format!("2031-01-0{} 08:00", i + 1)))
        })
        .collect()
}

/// The offset and limit of each `search_meetings` request the simulator
/// received.
fn search_pages(sim: &SimHandle) -> Vec<(String, String)> {
    sim.requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == CONFERENCES)
        .map(|r| {
            let q = |name: &str| {
                r.query
                    .get(name)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_owned()
            };
            (q("offset"), q("limit"))
        })
        .collect()
}

/// A fault on the next `search_meetings` request: a 400 (not retried).
fn fail_next_search(sim: &SimHandle) {
    sim.push_fault(FaultRule::new(CONFERENCES, Fault::status(400)).method("GET"))
        .expect("the fault is queued");
}

fn assert_seven(seen: &[String], ids: &[String]) {
    assert_eq!(seen, ids, "every meeting once, in start order");
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 7);
}

/// A 503 on the next `search_meetings` request, once (retried).
fn retry_next_search(sim: &SimHandle) {
    sim.push_fault(FaultRule::new(CONFERENCES, Fault::status(503)).method("GET"))
        .expect("the fault is queued");
}

/// The pages of three when the second is asked twice.
const RETRIED_PAGES: [(&str, &str); 4] = [("0", "3"), ("3", "3"), ("3", "3"), ("6", "3")];

const PAGES_OF_THREE: [(&str, &str); 3] = [("0", "3"), ("3", "3"), ("6", "3")];

#[test]
fn the_blocking_pages_walk_seven_meetings_three_at_a_time_and_end_at_an_error() {
    let sim = empty_sim();
    let client = blocking_client(&sim);
    let ids: Vec<String> = seven_meetings()
        .into_iter()
        .map(|r| {
            client.create_meeting(r).expect("create_meeting")[0]
                .conference_id
                .clone()
                .unwrap()
        })
        .collect();

    sim.clear_requests();
    let mut pages = client.search_meetings_all(SearchMeetingsRequest::new().limit(3));
    assert_eq!(pages.total(), None, "nothing is sent before the walk");
    assert_eq!(pages.page_size(), 3);
    assert!(sim.requests().is_empty());
    let seen: Vec<String> = pages
        .by_ref()
        .map(|m| m.expect("a meeting").conference_id.expect("its ID"))
        .collect();
    assert_seven(&seen, &ids);
    assert_eq!(pages.total(), Some(7));
    assert!(pages.next().is_none());
    assert_eq!(count_operation(&sim, "search_meetings"), 3);
    assert_eq!(search_pages(&sim), pairs(&PAGES_OF_THREE));

    // `pages` is the same walk.
    let again: Vec<String> = client
        .pages(SearchMeetingsRequest::new().limit(3))
        .map(|m| m.expect("a meeting").conference_id.expect("its ID"))
        .collect();
    assert_eq!(again, ids);

    // A second page that fails once with a 503 is asked again: each item
    // once.
    sim.clear_requests();
    let mut pages = client.search_meetings_all(SearchMeetingsRequest::new().limit(3));
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..3 {
        let m = pages.next().expect("an item").expect("a meeting");
        seen.push(m.conference_id.expect("its ID"));
    }
    retry_next_search(&sim);
    seen.extend(pages.map(|m| m.expect("a meeting").conference_id.expect("its ID")));
    assert_seven(&seen, &ids);
    assert_eq!(search_pages(&sim), pairs(&RETRIED_PAGES));

    // An error on the second page is the last item.
    sim.clear_requests();
    let mut pages = client.search_meetings_all(SearchMeetingsRequest::new().limit(3));
    for id in &ids[..3] {
        let m = pages.next().expect("an item").expect("a meeting");
        assert_eq!(m.conference_id.as_ref(), Some(id));
    }
    fail_next_search(&sim);
    let error = pages.next().expect("the error is an item");
    assert_eq!(api_error(error), (400, codes::INJECTED_FAULT.to_owned()));
    assert!(pages.next().is_none(), "the walk ends at the error");
    assert!(pages.next().is_none());
    assert_eq!(
        search_pages(&sim).len(),
        2,
        "nothing is asked after the error"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_async_stream_walks_seven_meetings_three_at_a_time_and_ends_at_an_error() {
    let sim = empty_sim();
    let client = async_client(&sim);
    let mut ids = Vec::new();
    for r in seven_meetings() {
        let created = client.create_meeting(r).await.expect("create_meeting");
        ids.push(created[0].conference_id.clone().unwrap());
    }

    sim.clear_requests();
    let stream = client.search_meetings_all(SearchMeetingsRequest::new().limit(3));
    assert!(sim.requests().is_empty(), "nothing is sent before the walk");
    let items: Vec<_> = stream.collect().await;
    assert_eq!(items.len(), 7);
    let seen: Vec<String> = items
        .into_iter()
        .map(|m| m.expect("a meeting").conference_id.expect("its ID"))
        .collect();
    assert_seven(&seen, &ids);
    assert_eq!(count_operation(&sim, "search_meetings"), 3);
    assert_eq!(search_pages(&sim), pairs(&PAGES_OF_THREE));

    let again: Vec<String> = client
        .pages(SearchMeetingsRequest::new().limit(3))
        .map(|m| m.expect("a meeting").conference_id.expect("its ID"))
        .collect()
        .await;
    assert_eq!(again, ids);

    // A second page that fails once with a 503 is asked again: each item
    // once.
    sim.clear_requests();
    let stream = client.search_meetings_all(SearchMeetingsRequest::new().limit(3));
    let mut stream = std::pin::pin!(stream);
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..3 {
        let m = stream.next().await.expect("an item").expect("a meeting");
        seen.push(m.conference_id.expect("its ID"));
    }
    retry_next_search(&sim);
    while let Some(m) = stream.next().await {
        seen.push(m.expect("a meeting").conference_id.expect("its ID"));
    }
    assert_seven(&seen, &ids);
    assert_eq!(search_pages(&sim), pairs(&RETRIED_PAGES));

    // An error on the second page is the last item.
    sim.clear_requests();
    let stream = client.search_meetings_all(SearchMeetingsRequest::new().limit(3));
    let mut stream = std::pin::pin!(stream);
    for id in &ids[..3] {
        let m = stream.next().await.expect("an item").expect("a meeting");
        assert_eq!(m.conference_id.as_ref(), Some(id));
    }
    fail_next_search(&sim);
    let error = stream.next().await.expect("the error is an item");
    assert_eq!(api_error(error), (400, codes::INJECTED_FAULT.to_owned()));
    assert!(
        stream.next().await.is_none(),
        "the stream ends at the error"
    );
    // Not polled again: the stream is not fused (`unfold` panics when
    // polled after its end, which the `Stream` contract allows).
    assert_eq!(
        search_pages(&sim).len(),
        2,
        "nothing is asked after the error"
    );
}

/// A meeting cancelled, then cancelled again: the second is the service's
/// error, and the meeting is gone.
macro_rules! cancel_twice {
    ($sim:expr, $client:expr, [$($aw:tt)*]) => {{
        let sim: &SimHandle = $sim;
        let client = $client;
        let created = client
            .create_meeting(
                CreateMeetingRequest::new("Voice")
                    .subject("Stand-up")
                    .start_time_at(at("2030-06-01 08:00")),
            )
            $($aw)*
            .expect("create_meeting");
        let id = created[0].conference_id.clone().expect("a meeting ID");
        client
            .cancel_meeting(CancelMeetingRequest::new().conference_id(&id))
            $($aw)*
            .expect("the first cancel");
        assert!(sim.conference(&id).is_none());
        let again = client
            .cancel_meeting(CancelMeetingRequest::new().conference_id(&id))
            $($aw)*;
        assert_eq!(api_error(again), (404, codes::MMC_CONFERENCE_NOT_FOUND.to_owned()));
        let shown = client
            .show_meeting_detail(ShowMeetingDetailRequest::new().conference_id(&id))
            $($aw)*;
        assert_eq!(api_error(shown), (404, codes::MMC_CONFERENCE_NOT_FOUND.to_owned()));
        assert_eq!(count_operation(sim, "cancel_meeting"), 2, "not retried");
    }};
}

#[test]
fn cancelling_a_cancelled_meeting_is_the_services_error_blocking() {
    let sim = empty_sim();
    cancel_twice!(&sim, blocking_client(&sim), []);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_cancelled_meeting_is_the_services_error_async() {
    let sim = empty_sim();
    cancel_twice!(&sim, async_client(&sim), [.await]);
}

/// The sub-meetings of a series: (ID, start, end, media).
fn sub_meetings(info: &ConferenceInfo) -> Vec<(String, String, String, Option<String>)> {
    info.sub_confs
        .as_ref()
        .expect("subConfs")
        .iter()
        .map(|s| {
            (
                s.cycle_sub_conf_id.clone(),
                s.start_time.clone().unwrap_or_default(),
                s.end_time.clone().unwrap_or_default(),
                s.media_type.clone(),
            )
        })
        .collect()
}

/// A series on Mondays and Wednesdays for two weeks: one sub-meeting
/// moved, one cancelled, the others as they were.
macro_rules! series {
    ($sim:expr, $client:expr, [$($aw:tt)*]) => {{
        let sim: &SimHandle = $sim;
        let client = $client;
        // 2030-03-04 is a Monday.
        let created = client
            .create_recurring_meeting(
                CreateRecurringMeetingRequest::new("Voice")
                    .subject("Team sync")
                    .start_time_at(at("2030-03-04 08:00"))
                    .length(30)
                    .cycle_params(
                        CycleParams::new("2030-03-04", "2030-03-15", RecurrenceCycle::Week, 1)
                            .interval(1)
                            .point(vec![1, 3]),
                    ),
            )
            $($aw)*
            .expect("create_recurring_meeting");
        assert_eq!(created.len(), 1, "{created:?}");
        let info = &created[0];
        let id = info.conference_id.clone().expect("a meeting ID");
        assert_eq!(info.conf_type, Some(ConfType::Cycle));
        assert_eq!(
            info.cycle_params.as_ref().map(|c| c.cycle.clone()),
            Some(RecurrenceCycle::Week)
        );
        let subs = sub_meetings(info);
        let starts: Vec<&str> = subs.iter().map(|s| s.1.as_str()).collect();
        assert_eq!(
            starts,
            ["2030-03-04 08:00", "2030-03-06 08:00", "2030-03-11 08:00", "2030-03-13 08:00"]
        );
        assert!(subs.iter().all(|s| minutes_between(&s.1, &s.2) == 30), "{subs:?}");
        assert_eq!(info.cycle_sub_conf_id.as_ref(), Some(&subs[0].0));
        let show = || client.show_meeting_detail(ShowMeetingDetailRequest::new().conference_id(&id));
        let shown = show()$($aw)*.expect("show_meeting_detail");
        assert_eq!(sub_meetings(&shown.conference_data.expect("conferenceData")), subs);

        // One moves; the others stay.
        client
            .update_recurring_sub_meeting(
                UpdateRecurringSubMeetingRequest::new(&subs[1].0, "HDVideo", "", 45)
                    .conference_id(&id)
                    .start_time_at(at("2030-03-07 09:00")),
            )
            $($aw)*
            .expect("update_recurring_sub_meeting");
        let shown = show()$($aw)*.expect("show_meeting_detail");
        let after = sub_meetings(&shown.conference_data.expect("conferenceData"));
        assert_eq!(after.len(), 4);
        assert_eq!(after[0], subs[0]);
        assert_eq!(
            after[1],
            (
                subs[1].0.clone(),
                "2030-03-07 09:00".to_owned(),
                "2030-03-07 09:45".to_owned(),
                Some("HDVideo".to_owned())
            )
        );
        assert_eq!(after[2..], subs[2..]);

        // One is cancelled; the others stay.
        client
            .cancel_recurring_sub_meeting(
                CancelRecurringSubMeetingRequest::new([subs[2].0.clone()]).conference_id(&id),
            )
            $($aw)*
            .expect("cancel_recurring_sub_meeting");
        let shown = show()$($aw)*.expect("show_meeting_detail");
        let left = sub_meetings(&shown.conference_data.expect("conferenceData"));
        assert_eq!(left, [after[0].clone(), after[1].clone(), after[3].clone()]);
        assert_eq!(sim.conference(&id).expect("the series").sub_meetings.len(), 3);
        let again = client
            .cancel_recurring_sub_meeting(
                CancelRecurringSubMeetingRequest::new([subs[2].0.clone()]).conference_id(&id),
            )
            $($aw)*;
        assert_eq!(api_error(again), (404, codes::MMC_SUB_CONFERENCE_NOT_FOUND.to_owned()));
    }};
}

/// Minutes from one `yyyy-MM-dd HH:mm` to another.
fn minutes_between(start: &str, end: &str) -> i64 {
    (at(end) - at(start)).whole_minutes()
}

#[test]
fn a_series_changes_and_loses_one_sub_meeting_and_keeps_the_others_blocking() {
    let sim = empty_sim();
    series!(&sim, blocking_client(&sim), []);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_series_changes_and_loses_one_sub_meeting_and_keeps_the_others_async() {
    let sim = empty_sim();
    series!(&sim, async_client(&sim), [.await]);
}

/// The parameter an `Error::Build` names; panics on any other outcome.
fn build_error<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Build { source, .. }) => {
            assert!(matches!(source, BuildError::Invalid { .. }), "{source:?}");
            source.parameter().expect("a parameter").to_owned()
        }
        other => panic!("expected an Error::Build, got {other:?}"),
    }
}

const BAD_START: &str = "2026-12-24T09:30";

#[test]
fn a_bad_start_time_is_refused_before_anything_is_sent_blocking() {
    let sim = empty_sim();
    let client = blocking_client(&sim);
    let created = client.create_meeting(CreateMeetingRequest::new("Voice").start_time(BAD_START));
    assert_eq!(build_error(created), "startTime");
    let updated = client.update_meeting(
        UpdateMeetingRequest::new("Voice")
            .conference_id("123456789")
            .start_time(BAD_START),
    );
    assert_eq!(build_error(updated), "startTime");
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_start_time_is_refused_before_anything_is_sent_async() {
    let sim = empty_sim();
    let client = async_client(&sim);
    let created = client
        .create_meeting(CreateMeetingRequest::new("Voice").start_time(BAD_START))
        .await;
    assert_eq!(build_error(created), "startTime");
    let updated = client
        .update_meeting(
            UpdateMeetingRequest::new("Voice")
                .conference_id("123456789")
                .start_time(BAD_START),
        )
        .await;
    assert_eq!(build_error(updated), "startTime");
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

/// Seven meetings started and stopped at once (`Ended 0` to `Ended 6`),
/// and one running with three participants; its ID.
fn seven_ended_and_one_running(sim: &SimHandle) -> String {
    let client = blocking_client(sim);
    let run = |subject: String| {
        let created = client
            .create_meeting(CreateMeetingRequest::new("Voice").subject(subject))
            .expect("create_meeting");
        let id = created[0].conference_id.clone().expect("a meeting ID");
        let host = password(&created[0], PasswordRole::Chair);
        client
            .start_meeting(StartMeetingRequest::new(&id, host.clone()))
            .expect("start_meeting");
        (id, host)
    };
    for i in 0..7 {
        let (id, host) = run(format!("Ended {i}"));
        client
            .conference(&id, host)
            .stop_meeting(StopMeetingRequest::new())
            .expect("stop_meeting");
    }
    let (running, _) = run("Running".to_owned());
    let raw = Raw::new(sim);
    for pid in ["p-1", "p-2", "p-3"] {
        raw.join(&running, pid, pid);
    }
    running
}

/// `(offset, limit)` of each request of an operation.
fn pages_of(sim: &SimHandle, operation: &str) -> Vec<(String, String)> {
    sim.requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some(operation))
        .map(|r| {
            let q = |name: &str| {
                r.query
                    .get(name)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_owned()
            };
            (q("offset"), q("limit"))
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(o, l)| (o.to_string(), l.to_string()))
        .collect()
}

#[test]
fn the_blocking_pages_walk_history_and_attendees_keeping_the_other_parameters() {
    let sim = empty_sim();
    let running = seven_ended_and_one_running(&sim);
    let client = blocking_client(&sim);
    sim.clear_requests();
    let (from, to) = (now_ms() - 60_000, now_ms() + 60_000);
    let mut his = client.search_his_meetings_all(SearchHisMeetingsRequest::new(from, to).limit(3));
    let subjects: BTreeSet<String> = his
        .by_ref()
        .map(|m| m.expect("a meeting").subject.expect("its subject"))
        .collect();
    assert_eq!(subjects, (0..7).map(|i| format!("Ended {i}")).collect());
    assert_eq!(his.total(), Some(7));
    assert_eq!(
        pages_of(&sim, "search_his_meetings"),
        pairs(&[("0", "3"), ("3", "3"), ("6", "3")])
    );
    // Every page keeps the time window.
    for r in sim
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("search_his_meetings"))
    {
        assert_eq!(
            r.query.get("startDate").and_then(|v| v.as_str()),
            Some(from.to_string().as_str())
        );
        assert_eq!(
            r.query.get("endDate").and_then(|v| v.as_str()),
            Some(to.to_string().as_str())
        );
    }

    let who: Vec<String> = client
        .list_online_conf_attendee_all(
            ListOnlineConfAttendeeRequest::new()
                .conf_id(&running)
                .limit(2),
        )
        .map(|a| a.expect("an attendee").participant_id.expect("its ID"))
        .collect();
    assert_eq!(who, ["p-1", "p-2", "p-3"]);
    assert_eq!(
        pages_of(&sim, "list_online_conf_attendee"),
        pairs(&[("0", "2"), ("2", "2")])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_async_streams_walk_history_and_attendees_keeping_the_other_parameters() {
    let sim = empty_sim();
    let running = seven_ended_and_one_running(&sim);
    let client = async_client(&sim);
    sim.clear_requests();
    let (from, to) = (now_ms() - 60_000, now_ms() + 60_000);
    let subjects: BTreeSet<String> = client
        .search_his_meetings_all(SearchHisMeetingsRequest::new(from, to).limit(3))
        .map(|m| m.expect("a meeting").subject.expect("its subject"))
        .collect()
        .await;
    assert_eq!(subjects, (0..7).map(|i| format!("Ended {i}")).collect());
    assert_eq!(
        pages_of(&sim, "search_his_meetings"),
        pairs(&[("0", "3"), ("3", "3"), ("6", "3")])
    );
    let who: Vec<String> = client
        .list_online_conf_attendee_all(
            ListOnlineConfAttendeeRequest::new()
                .conf_id(&running)
                .limit(2),
        )
        .map(|a| a.expect("an attendee").participant_id.expect("its ID"))
        .collect()
        .await;
    assert_eq!(who, ["p-1", "p-2", "p-3"]);
    assert_eq!(
        pages_of(&sim, "list_online_conf_attendee"),
        pairs(&[("0", "2"), ("2", "2")])
    );
}
