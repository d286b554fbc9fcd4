//! The test-control routes under `/_sim/` (JSON in, JSON out), and the
//! router that puts them beside the API.
//!
//! | route | what |
//! |---|---|
//! | `GET /_sim/health` | `{"status": "ok", "url": ...}` |
//! | `POST /_sim/conferences` | creates a meeting from a [`NewConference`]; 201 with its snapshot, 409 if it exists |
//! | `GET /_sim/conferences` | every meeting's [`ConferenceSnapshot`] |
//! | `GET /_sim/conferences/{id}` | one meeting's [`ConferenceSnapshot`], 404 if none |
//! | `DELETE /_sim/conferences/{id}` | deletes a meeting |
//! | `POST /_sim/conferences/{id}/participants` | `{"participantID", "name", "phone"?, "isChair"?}` joins the running meeting (their stay starts); 201 with the meeting's snapshot, 404 for an unknown meeting, 409 if it is not running or they are in already |
//! | `DELETE /_sim/conferences/{id}/participants/{pid}` | the participant leaves (their stay ends); the meeting's snapshot, 404 if unknown |
//! | `GET /_sim/history` | every ended run of a meeting, [`HistoricMeeting`]s, oldest first |
//! | `GET /_sim/recordings` | every recording not deleted, [`Recording`]s |
//! | `GET /_sim/recordings/{confUUID}/{file}` | the bytes of a recording's file (`Hd.mp4`, `Sd.mp4`, `Aux.mp4`), as the download links name them; 404 if none |
//! | `POST /_sim/faults` | queues a [`FaultRule`] (or a list of them); see [`crate::faults`] |
//! | `GET /_sim/faults` | the faults still queued |
//! | `DELETE /_sim/faults` | drops every queued fault |
//! | `GET /_sim/requests` | the API requests received, [`RecordedRequest`]s, secrets masked |
//! | `DELETE /_sim/requests` | empties the request log |
//! | `GET /_sim/config` | `{"accessTokenTtlMs", "confTokenTtlMs", "appId", "tls", "url"}` |
//! | `POST /_sim/config` | `{"accessTokenTtlMs"?: n, "confTokenTtlMs"?: n}` changes token lifetimes |
//! | `POST /_sim/tokens/expire` | revokes every token now: `{"expired": n}` |
//! | `POST /_sim/vmrs` | `{"name", "assignTo"?: account}` adds a cloud meeting room, assigned to that user or to nobody: 201 with `{"id"}`, 400 for an unknown account |
//! | `GET /_sim/live/faults` | the faults of the meeting control WebSocket, [`LiveFaults`] |
//! | `POST /_sim/live/faults` | merges the fields given (`{"gap": 1}`, `{"silent": true}`, ...) into them |
//! | `DELETE /_sim/live/faults` | clears them |
//! | `POST /_sim/live/config` | `{"heartbeatTimeoutMs": n}`: how long a WebSocket may stay silent before it is closed |
//! | `GET /cms/open/websocket/confctl/increment/conn` | the meeting control WebSocket (see the crate docs) |
//! | `GET /_sim/webhook-deliveries` | every event-push delivery attempt, [`DeliveryAttempt`]s, oldest first |
//! | `DELETE /_sim/webhook-deliveries` | forgets them: `{"cleared": n}` |
//! | `POST /_sim/reset` | forgets every meeting, token, fault, logged request, push setting and delivery attempt; the directory goes back to its start |
//!
//! Errors are `{"error_code": "SIM.…", "error_msg": …, "request_id": …}`.
//!
//! [`NewConference`]: crate::NewConference
//! [`ConferenceSnapshot`]: crate::ConferenceSnapshot
//! [`FaultRule`]: crate::FaultRule
//! [`DeliveryAttempt`]: crate::DeliveryAttempt
//! [`RecordedRequest`]: crate::RecordedRequest
//! [`HistoricMeeting`]: crate::HistoricMeeting
//! [`Recording`]: crate::Recording
//! [`LiveFaults`]: crate::LiveFaults

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::SimError::{
    ConferenceExists, ConferenceNotFound, ConferenceNotRunning, ParticipantExists,
    ParticipantNotFound,
};
use crate::codes::{SIM_BAD_REQUEST, SIM_CONFLICT, SIM_NOT_FOUND, error_response, json_response};
use crate::conferences::{NewConference, NewParticipant};
use crate::faults::FaultRule;
use crate::handlers;
use crate::recordings::Recording;
use crate::server::RequestId;
use crate::state::SimControl;

/// The whole application: the `/_sim/` routes and, for every other path,
/// the API.
pub(crate) fn router(control: SimControl) -> Router {
    Router::new()
        .route("/_sim/health", get(health))
        .route(
            "/_sim/conferences",
            get(list_conferences).post(create_conference),
        )
        .route(
            "/_sim/conferences/{id}",
            get(get_conference).delete(delete_conference),
        )
        .route("/_sim/conferences/{id}/participants", post(join))
        .route(
            "/_sim/conferences/{id}/participants/{pid}",
            axum::routing::delete(leave),
        )
        .route("/_sim/history", get(history))
        .route("/_sim/recordings", get(recordings))
        .route("/_sim/recordings/{uuid}/{file}", get(recording_file))
        .route("/_sim/uploads", get(uploads))
        .route("/_sim/uploads/{index}", get(upload_file))
        .route(
            "/_sim/faults",
            get(list_faults).post(push_faults).delete(clear_faults),
        )
        .route("/_sim/requests", get(requests).delete(clear_requests))
        .route("/_sim/config", get(get_config).post(set_config))
        .route("/_sim/tokens/expire", post(expire_tokens))
        .route("/_sim/vmrs", post(add_vmr))
        .route(
            "/_sim/webhook-deliveries",
            get(webhook_deliveries).delete(clear_webhook_deliveries),
        )
        .route("/_sim/reset", post(reset))
        .route(
            "/_sim/live/faults",
            get(live_faults)
                .post(set_live_faults)
                .delete(clear_live_faults),
        )
        .route("/_sim/live/config", post(set_live_config))
        .route(crate::live::PATH, get(crate::live::connect))
        .fallback(handlers::api)
        .with_state(control)
}

type Rid = Extension<RequestId>;

fn ok(value: Value) -> Response {
    json_response(StatusCode::OK, &value)
}

fn bad_request(rid: &RequestId, msg: impl std::fmt::Display) -> Response {
    error_response(
        StatusCode::BAD_REQUEST,
        SIM_BAD_REQUEST,
        &msg.to_string(),
        &rid.0,
    )
}

fn parse<T: DeserializeOwned>(rid: &RequestId, body: &[u8]) -> Result<T, Box<Response>> {
    serde_json::from_slice(body)
        .map_err(|e| Box::new(bad_request(rid, format!("bad JSON body: {e}"))))
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The body of `POST /_sim/vmrs`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewVmr {
    name: String,
    #[serde(default)]
    assign_to: Option<String>,
}

async fn add_vmr(State(control): State<SimControl>, Extension(rid): Rid, body: Bytes) -> Response {
    let new: NewVmr = match parse(&rid, &body) {
        Ok(new) => new,
        Err(r) => return *r,
    };
    match control.add_cloud_meeting_room(&new.name, new.assign_to.as_deref()) {
        Ok(id) => json_response(StatusCode::CREATED, &json!({ "id": id })),
        Err(e) => bad_request(&rid, e),
    }
}

async fn health(State(control): State<SimControl>) -> Response {
    ok(json!({ "status": "ok", "url": control.url() }))
}

async fn create_conference(
    State(control): State<SimControl>,
    Extension(rid): Rid,
    body: Bytes,
) -> Response {
    let new: NewConference = match parse(&rid, &body) {
        Ok(new) => new,
        Err(r) => return *r,
    };
    match control.create_conference(new) {
        Ok(snapshot) => json_response(StatusCode::CREATED, &to_json(&snapshot)),
        Err(e @ ConferenceExists(_)) => {
            error_response(StatusCode::CONFLICT, SIM_CONFLICT, &e.to_string(), &rid.0)
        }
        Err(e) => bad_request(&rid, e),
    }
}

async fn list_conferences(State(control): State<SimControl>) -> Response {
    ok(to_json(&control.conferences()))
}

fn no_conference(rid: &RequestId, id: &str) -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        SIM_NOT_FOUND,
        &format!("meeting `{id}` does not exist"),
        &rid.0,
    )
}

async fn get_conference(
    State(control): State<SimControl>,
    Extension(rid): Rid,
    Path(id): Path<String>,
) -> Response {
    match control.conference(&id) {
        Some(snapshot) => ok(to_json(&snapshot)),
        None => no_conference(&rid, &id),
    }
}

async fn delete_conference(
    State(control): State<SimControl>,
    Extension(rid): Rid,
    Path(id): Path<String>,
) -> Response {
    if control.remove_conference(&id) {
        ok(json!({ "deleted": id }))
    } else {
        no_conference(&rid, &id)
    }
}

/// The answer to a failed join or leave.
fn participant_error(rid: &RequestId, e: crate::SimError) -> Response {
    let status = match e {
        ConferenceNotFound(_) | ParticipantNotFound(_) => StatusCode::NOT_FOUND,
        ConferenceNotRunning(_) | ParticipantExists(_) => StatusCode::CONFLICT,
        _ => StatusCode::BAD_REQUEST,
    };
    let code = match status {
        StatusCode::NOT_FOUND => SIM_NOT_FOUND,
        StatusCode::CONFLICT => SIM_CONFLICT,
        _ => SIM_BAD_REQUEST,
    };
    error_response(status, code, &e.to_string(), &rid.0)
}

async fn join(
    State(control): State<SimControl>,
    Extension(rid): Rid,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let participant: NewParticipant = match parse(&rid, &body) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    match control.join_participant(&id, participant) {
        Ok(snapshot) => json_response(StatusCode::CREATED, &to_json(&snapshot)),
        Err(e) => participant_error(&rid, e),
    }
}

async fn leave(
    State(control): State<SimControl>,
    Extension(rid): Rid,
    Path((id, pid)): Path<(String, String)>,
) -> Response {
    match control.leave_participant(&id, &pid) {
        Ok(snapshot) => ok(to_json(&snapshot)),
        Err(e) => participant_error(&rid, e),
    }
}

async fn history(State(control): State<SimControl>) -> Response {
    ok(to_json(&control.history()))
}

async fn recordings(State(control): State<SimControl>) -> Response {
    ok(to_json(&control.recordings()))
}

async fn uploads(State(control): State<SimControl>) -> Response {
    let list: Vec<Value> = control
        .uploads()
        .iter()
        .map(crate::multipart::describe)
        .collect();
    ok(Value::Array(list))
}

/// The bytes of the upload at `index` (0 first), with its media type.
async fn upload_file(
    State(control): State<SimControl>,
    Extension(rid): Rid,
    Path(index): Path<usize>,
) -> Response {
    match control.uploads().into_iter().nth(index) {
        Some(upload) => {
            let mut response = (StatusCode::OK, upload.bytes).into_response();
            if let Ok(value) = HeaderValue::from_str(&upload.content_type) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            response
        }
        None => error_response(
            StatusCode::NOT_FOUND,
            SIM_NOT_FOUND,
            &format!("no upload #{index}"),
            &rid.0,
        ),
    }
}

async fn recording_file(
    State(control): State<SimControl>,
    Extension(rid): Rid,
    Path((uuid, file)): Path<(String, String)>,
) -> Response {
    let recording = control
        .recordings()
        .into_iter()
        .find(|r| r.conf_uuid == uuid);
    let found = recording.and_then(|r| {
        r.file_types()
            .into_iter()
            .find(|t| Recording::file_name(t) == file)
            .map(|t| r.file_bytes(t))
    });
    match found {
        Some(bytes) => {
            let mut response = (StatusCode::OK, bytes).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("video/mp4"));
            response
        }
        None => error_response(
            StatusCode::NOT_FOUND,
            SIM_NOT_FOUND,
            &format!("no recording file `{file}` of meeting `{uuid}`"),
            &rid.0,
        ),
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    Many(Vec<FaultRule>),
    One(FaultRule),
}

async fn push_faults(
    State(control): State<SimControl>,
    Extension(rid): Rid,
    body: Bytes,
) -> Response {
    let rules = match serde_json::from_slice::<OneOrMany>(&body) {
        Ok(OneOrMany::One(rule)) => vec![rule],
        Ok(OneOrMany::Many(rules)) => rules,
        Err(_) => {
            // Parse again as one rule, for a useful message.
            return match parse::<FaultRule>(&rid, &body) {
                Err(r) => *r,
                Ok(_) => bad_request(&rid, "bad fault"),
            };
        }
    };
    for rule in &rules {
        if let Err(e) = rule.fault.check() {
            return bad_request(&rid, e);
        }
    }
    let n = rules.len();
    for rule in rules {
        if let Err(e) = control.push_fault(rule) {
            return bad_request(&rid, e);
        }
    }
    json_response(
        StatusCode::CREATED,
        &json!({ "queued": n, "pending": to_json(&control.faults()) }),
    )
}

async fn list_faults(State(control): State<SimControl>) -> Response {
    ok(to_json(&control.faults()))
}

async fn clear_faults(State(control): State<SimControl>) -> Response {
    let n = control.state().faults.clear();
    ok(json!({ "cleared": n }))
}

async fn requests(State(control): State<SimControl>) -> Response {
    ok(to_json(&control.requests()))
}

async fn webhook_deliveries(State(control): State<SimControl>) -> Response {
    ok(to_json(&control.webhook_deliveries()))
}

async fn clear_webhook_deliveries(State(control): State<SimControl>) -> Response {
    ok(json!({ "cleared": control.state().event_push.clear() }))
}

async fn clear_requests(State(control): State<SimControl>) -> Response {
    let n = control.state().log.clear();
    ok(json!({ "cleared": n }))
}

fn config_json(control: &SimControl) -> Value {
    let (access, conf) = control.token_lifetimes();
    json!({
        "accessTokenTtlMs": access.as_millis() as u64,
        "confTokenTtlMs": conf.as_millis() as u64,
        "appId": control.app_id(),
        "tls": control.is_tls(),
        "url": control.url(),
    })
}

async fn get_config(State(control): State<SimControl>) -> Response {
    ok(config_json(&control))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConfigChange {
    #[serde(default)]
    access_token_ttl_ms: Option<u64>,
    #[serde(default)]
    conf_token_ttl_ms: Option<u64>,
}

async fn set_config(
    State(control): State<SimControl>,
    Extension(rid): Rid,
    body: Bytes,
) -> Response {
    let change: ConfigChange = match parse(&rid, &body) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    control.set_token_lifetimes(
        change.access_token_ttl_ms.map(Duration::from_millis),
        change.conf_token_ttl_ms.map(Duration::from_millis),
    );
    ok(config_json(&control))
}

async fn expire_tokens(State(control): State<SimControl>) -> Response {
    ok(json!({ "expired": control.expire_tokens() }))
}

async fn reset(State(control): State<SimControl>) -> Response {
    control.reset();
    ok(json!({ "reset": true }))
}

async fn live_faults(State(control): State<SimControl>) -> Response {
    ok(to_json(&control.live_faults()))
}

/// Merges the fields given into the WebSocket faults.
async fn set_live_faults(
    State(control): State<SimControl>,
    Extension(rid): Rid,
    body: Bytes,
) -> Response {
    let given: Value = match parse(&rid, &body) {
        Ok(v) => v,
        Err(response) => return *response,
    };
    let mut merged = to_json(&control.live_faults());
    if let (Some(into), Some(from)) = (merged.as_object_mut(), given.as_object()) {
        for (k, v) in from {
            into.insert(k.clone(), v.clone());
        }
    } else {
        return bad_request(&rid, "the body must be a JSON object of WebSocket faults");
    }
    match serde_json::from_value::<crate::LiveFaults>(merged) {
        Ok(faults) => {
            control.set_live_faults(faults);
            ok(to_json(&control.live_faults()))
        }
        Err(e) => bad_request(&rid, format!("invalid WebSocket faults: {e}")),
    }
}

async fn clear_live_faults(State(control): State<SimControl>) -> Response {
    control.set_live_faults(crate::LiveFaults::default());
    ok(to_json(&control.live_faults()))
}

/// `{"heartbeatTimeoutMs": N}`: the WebSocket heartbeat timeout.
async fn set_live_config(
    State(control): State<SimControl>,
    Extension(rid): Rid,
    body: Bytes,
) -> Response {
    let given: Value = match parse(&rid, &body) {
        Ok(v) => v,
        Err(response) => return *response,
    };
    match given.get("heartbeatTimeoutMs").and_then(Value::as_u64) {
        Some(ms) if ms > 0 => {
            control.set_live_heartbeat_timeout(Duration::from_millis(ms));
            ok(json!({ "heartbeatTimeoutMs": ms }))
        }
        _ => bad_request(
            &rid,
            "`heartbeatTimeoutMs` must be a positive number of milliseconds",
        ),
    }
}
