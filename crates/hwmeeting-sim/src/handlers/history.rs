//! Ended meetings through the management API: the list, the details, the
//! attendance records and the control records of a run, addressed by its
//! `confUUID`.

use hwmeeting_core::meta::Location;
use serde_json::{Map, Value, json};

use super::Call;
use super::paging::{
    Page, by_record, descending, matches_key, required_int, required_text, search_key,
};
use crate::codes::{Failure, MMC_HISTORY_NOT_FOUND};
use crate::history::{HistoricMeeting, History};
use crate::lock;
use crate::recordings::Recording;
use crate::state::SimState;

/// Files an ended run: its history record, and its recording if it was
/// recorded. Called with no meeting locked.
pub(crate) fn archive(state: &SimState, ended: Option<(HistoricMeeting, Option<Recording>)>) {
    let Some((history, recording)) = ended else {
        return;
    };
    lock(&state.history).runs.push(history);
    if let Some(recording) = recording {
        lock(&state.recordings).all.push(recording);
    }
}

fn not_found(conf_uuid: &str) -> Failure {
    Failure::new(
        404,
        MMC_HISTORY_NOT_FOUND,
        format!("no ended meeting has the UUID `{conf_uuid}`"),
    )
}

/// The run the query's `confUUID` names.
fn run<'h>(call: &Call<'_>, history: &'h History) -> Result<&'h HistoricMeeting, Failure> {
    let uuid = required_text(call, Location::Query, "confUUID")?;
    history.get(&uuid).ok_or_else(|| not_found(&uuid))
}

/// `search_his_meetings`: the runs that overlap `startDate` to `endDate`
/// (ms), matching `searchKey`; newest first unless `sortType` says
/// otherwise.
pub(crate) fn search_his_meetings(call: &Call<'_>) -> Result<Value, Failure> {
    let page = Page::of(call, "offset", "limit")?;
    let from = required_int(call, "startDate")?;
    let to = required_int(call, "endDate")?;
    let key = search_key(call, "searchKey");
    let history = lock(&call.state.history);
    let mut runs: Vec<&HistoricMeeting> = history
        .runs
        .iter()
        .filter(|r| r.start_ms as i64 <= to && r.end_ms as i64 >= from)
        .filter(|r| {
            matches_key(
                key.as_deref(),
                &[&r.subject, &r.conference_id, &r.scheduser_name],
            )
        })
        .collect();
    let record_first = by_record(call);
    runs.sort_by_key(|r| (record_first && !r.has_record, r.start_ms));
    if descending(call, true) {
        runs.reverse();
    }
    let infos: Vec<Value> = runs.iter().map(|r| r.info.clone()).collect();
    Ok(page.answer(&infos))
}

/// `show_his_meeting_detail`: the run and a page of its invited
/// attendees.
pub(crate) fn show_his_meeting_detail(call: &Call<'_>) -> Result<Value, Failure> {
    let page = Page::of(call, "offset", "limit")?;
    let key = search_key(call, "searchKey");
    let history = lock(&call.state.history);
    let r = run(call, &history)?;
    let rows: Vec<Value> = r
        .attendees
        .iter()
        .filter(|row| {
            let field = |n: &str| {
                row.get(n)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            matches_key(key.as_deref(), &[&field("name"), &field("participantID")])
        })
        .cloned()
        .collect();
    Ok(json!({ "conferenceData": r.info, "data": page.answer(&rows) }))
}

/// `search_attendance_records_of_his_meeting`: every stay in the run, in
/// the order they began, with join and leave times in ms.
pub(crate) fn search_attendance_records_of_his_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    let page = Page::of(call, "offset", "limit")?;
    let key = search_key(call, "searchKey");
    let history = lock(&call.state.history);
    let r = run(call, &history)?;
    let media = r.info.get("mediaTypes").cloned().unwrap_or(Value::Null);
    let rows: Vec<Value> = r
        .attendance
        .iter()
        .filter(|a| {
            matches_key(
                key.as_deref(),
                &[
                    &a.name,
                    &a.participant_id,
                    a.phone.as_deref().unwrap_or_default(),
                ],
            )
        })
        .map(|a| {
            let mut row = Map::new();
            row.insert("displayName".into(), json!(a.name));
            // Without a number, the participant ID is what identifies them.
            let number = a.phone.clone().unwrap_or_else(|| a.participant_id.clone());
            row.insert("callNumber".into(), json!(number));
            row.insert("joinTime".into(), json!(a.join_ms));
            row.insert("leftTime".into(), json!(a.left_ms.unwrap_or(r.end_ms)));
            if !media.is_null() {
                row.insert("mediaType".into(), media.clone());
            }
            Value::Object(row)
        })
        .collect();
    Ok(page.answer(&rows))
}

/// `search_ctl_records_of_his_meeting`: the calls made on the run, oldest
/// first: the operation as `operateCode`, the participant it acted on (or
/// the meeting) as `operationObject`, its parameters (secrets masked) as
/// `detail`.
pub(crate) fn search_ctl_records_of_his_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    let page = Page::of(call, "offset", "limit")?;
    let history = lock(&call.state.history);
    let r = run(call, &history)?;
    let rows: Vec<Value> = r
        .calls
        .iter()
        .map(|c| {
            let object = ["query", "body"]
                .iter()
                .find_map(|at| c.params[at]["participantID"].as_str())
                .unwrap_or(&r.conference_id);
            json!({
                "operateTime": c.time_ms,
                "operateSource": "API",
                "operator": r.scheduser_name,
                "operateCode": c.operation,
                "operationObject": object,
                "operateResult": "success",
                "detail": c.params.to_string(),
            })
        })
        .collect();
    Ok(page.answer(&rows))
}
