//! Recordings through the management API: the list, the details, the
//! download links (files the simulator serves under `/_sim/recordings/`),
//! the file information of one run, and deletion; addressed by the run's
//! `confUUID`.

use hwmeeting_core::meta::Location;
use serde_json::{Value, json};

use super::Call;
use super::paging::{Page, descending, matches_key, required_int, required_text, search_key};
use crate::codes::{Failure, MMC_PARAM_INVALID, MMC_RECORDING_NOT_FOUND};
use crate::recordings::{Recording, Recordings};
use crate::{lock, random_hex};

fn not_found(conf_uuid: &str) -> Failure {
    Failure::new(
        404,
        MMC_RECORDING_NOT_FOUND,
        format!("no recording has the meeting UUID `{conf_uuid}`"),
    )
}

/// Where the simulator serves a file of a recording.
pub(crate) fn file_url(base_url: &str, r: &Recording, file_type: &str) -> String {
    format!(
        "{base_url}/_sim/recordings/{}/{}",
        r.conf_uuid,
        Recording::file_name(file_type)
    )
}

/// A recording as the list and the details show it.
fn row(base_url: &str, r: &Recording) -> Value {
    let seconds = r.seconds();
    json!({
        "confUUID": r.conf_uuid,
        "confID": r.conference_id,
        "url": [file_url(base_url, r, "Hd")],
        "rcdTime": seconds,
        // A simulated size: about 1 MB a minute, at least 1.
        "rcdSize": seconds.div_ceil(60).max(1),
        "subject": r.subject,
        "scheduserName": r.scheduser_name,
        "startTime": r.start_time,
        "isDecodeFinish": true,
        "decodeEndTime": r.end_ms,
        "available": true,
        "recordAuthType": r.record_auth_type,
    })
}

/// The recording the parameter `confUUID` names.
fn named<'r>(
    call: &Call<'_>,
    all: &'r Recordings,
    location: Location,
) -> Result<&'r Recording, Failure> {
    let uuid = required_text(call, location, "confUUID")?;
    all.get(&uuid).ok_or_else(|| not_found(&uuid))
}

/// `search_recordings`: the recordings of runs that overlap `startDate`
/// to `endDate` (ms), matching `searchKey`; newest first unless
/// `sortType` says otherwise.
pub(crate) fn search_recordings(call: &Call<'_>) -> Result<Value, Failure> {
    let page = Page::of(call, "offset", "limit")?;
    let from = required_int(call, "startDate")?;
    let to = required_int(call, "endDate")?;
    let key = search_key(call, "searchKey");
    let all = lock(&call.state.recordings);
    let mut list: Vec<&Recording> = all
        .all
        .iter()
        .filter(|r| r.start_ms as i64 <= to && r.end_ms as i64 >= from)
        .filter(|r| {
            matches_key(
                key.as_deref(),
                &[&r.subject, &r.conference_id, &r.scheduser_name],
            )
        })
        .collect();
    list.sort_by_key(|r| r.start_ms);
    if descending(call, true) {
        list.reverse();
    }
    let rows: Vec<Value> = list.iter().map(|r| row(&call.state.url, r)).collect();
    Ok(page.answer(&rows))
}

/// `show_recording_detail`: one recording.
pub(crate) fn show_recording_detail(call: &Call<'_>) -> Result<Value, Failure> {
    let all = lock(&call.state.recordings);
    let r = named(call, &all, Location::Query)?;
    Ok(row(&call.state.url, r))
}

/// `show_recording_file_download_urls`: a page of the recording's files,
/// each with a download token and a URL the simulator serves.
pub(crate) fn show_recording_file_download_urls(call: &Call<'_>) -> Result<Value, Failure> {
    let page = Page::of(call, "offset", "limit")?;
    let all = lock(&call.state.recordings);
    let r = named(call, &all, Location::Query)?;
    let urls: Vec<Value> = page
        .slice(&r.file_types())
        .into_iter()
        .map(|file_type| {
            json!({
                "token": random_hex(16),
                "fileType": file_type,
                "url": file_url(&call.state.url, r, file_type),
            })
        })
        .collect();
    Ok(json!({ "recordUrls": [{ "confUuid": r.conf_uuid, "urls": urls }] }))
}

/// `delete_recordings`: every recording of the comma-separated
/// `confUUIDs` goes (every one must exist, else nothing changes); their
/// history no longer says it has a recording.
pub(crate) fn delete_recordings(call: &Call<'_>) -> Result<Value, Failure> {
    let list = required_text(call, Location::Query, "confUUIDs")?;
    let uuids: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .collect();
    if uuids.is_empty() {
        return Err(Failure::new(
            400,
            MMC_PARAM_INVALID,
            "invalid parameter `confUUIDs`: name at least one meeting UUID",
        ));
    }
    let mut history = lock(&call.state.history);
    let mut all = lock(&call.state.recordings);
    if let Some(missing) = uuids.iter().find(|u| all.get(u).is_none()) {
        return Err(not_found(missing));
    }
    all.all.retain(|r| !uuids.contains(&r.conf_uuid.as_str()));
    for run in history
        .runs
        .iter_mut()
        .filter(|h| uuids.contains(&h.conf_uuid.as_str()))
    {
        run.has_record = false;
        if let Some(info) = run.info.as_object_mut() {
            info.insert("isHasRecordFile".into(), json!(false));
        }
    }
    Ok(json!({}))
}

/// `show_record_info`: the recording's manual segments (one per span
/// recorded), a page of them (`segmentOffset`, `segmentLimit`), each with
/// its file.
pub(crate) fn show_record_info(call: &Call<'_>) -> Result<Value, Failure> {
    let page = Page::at(call, Location::Body, "segmentOffset", "segmentLimit")?;
    let all = lock(&call.state.recordings);
    let r = named(call, &all, Location::Body)?;
    let bytes = r.file_bytes("Hd");
    let sha = {
        use sha2::Digest as _;
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let url = file_url(&call.state.url, r, "Hd");
    let segments: Vec<Value> = r
        .segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let end = s.end_ms.unwrap_or(s.start_ms);
            json!({
                "manualOrder": i + 1,
                "segmentOrder": 1,
                "segmentSize": bytes.len().to_string(),
                "fileList": [{
                    "recordType": "SPEAKER_VIDEO",
                    "beginTime": s.start_ms,
                    "endTime": end,
                    "duration": end.saturating_sub(s.start_ms).div_ceil(1000),
                    "fileSize": bytes.len(),
                    "sha256": sha,
                    "playUrl": url,
                    "downloadUrl": url,
                }],
            })
        })
        .collect();
    Ok(json!({
        "code": "0",
        "message": "success",
        "data": {
            "subject": r.subject,
            "beginTime": r.start_time,
            "segmentOffset": page.offset,
            "segmentLimit": page.limit,
            "segmentCount": segments.len(),
            "segmentList": page.slice(&segments),
        },
    }))
}
