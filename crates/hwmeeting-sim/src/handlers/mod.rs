//! The API: every request outside `/_sim/` is logged, may meet a queued
//! fault, is routed by the spec's method and path, has its token checked,
//! its parameters checked against the spec, its login credentials checked,
//! and is then run by the operation's stateful handler, or answered `{}`
//! when the operation has none.

mod auth;
mod control;
mod directory;
mod display;
mod history;
mod interpretation;
mod management;
mod meeting;
mod paging;
mod recordings;
mod schedule;
mod tokens;
mod webhooks;

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use hwmeeting_core::meta::{self, Auth, OperationMeta};
use hwmeeting_core::wire::WireRequest;
use serde_json::{Value, json};

use crate::checking;
use crate::codes::{
    ACCESS_TOKEN_INVALID, CONFERENCE_TOKEN_INVALID, Failure, Family, MMC_CONFERENCE_NOT_FOUND,
    MMC_CONFERENCE_NOT_STARTED, ROUTE_NOT_FOUND, SIM_NOT_FOUND, error_response, json_response,
};
use crate::conferences::{CallRecord, Conference};
use crate::faults::{self, Fault, ResetConnection};
use crate::request_log::{self, RecordedRequest};
use crate::server::{PeerAddr, RequestId};
use crate::state::{SimControl, SimState};
use crate::{lock, now_ms};

/// Largest request body read: room for the largest upload the spec allows
/// (a 10 MiB profile picture) and its part headers.
pub(crate) const BODY_LIMIT: usize = 12 * 1024 * 1024;

/// One checked API call, handed to an operation's handler.
pub(crate) struct Call<'a> {
    pub state: &'a SimState,
    pub op: &'static OperationMeta,
    pub wire: WireRequest,
    pub headers: &'a HeaderMap,
    pub request_id: &'a str,
    pub peer: Option<SocketAddr>,
}

impl Call<'_> {
    /// A raw header's text (names match case-insensitively).
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        header_text(self.headers, name)
    }

    /// The meeting ID the call names.
    pub(crate) fn conference_id(&self) -> Option<String> {
        checking::conference_id(self.op, &self.wire)
    }

    /// The record of this call, secrets masked.
    pub(crate) fn record(&self) -> CallRecord {
        CallRecord {
            operation: self.op.id.to_owned(),
            time_ms: now_ms(),
            request_id: self.request_id.to_owned(),
            params: request_log::mask_wire(&self.wire, self.op),
        }
    }

    /// Runs `f` on the call's meeting (404 if there is none; 400 for a
    /// meeting control call on a meeting that is not running) and, when it
    /// succeeds, records the call in the meeting.
    pub(crate) fn with_conference<T>(
        &self,
        f: impl FnOnce(&mut Conference) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        let id = self.conference_id().unwrap_or_default();
        let mut conferences = lock(&self.state.conferences);
        let conference = conferences
            .by_id
            .get_mut(&id)
            .ok_or_else(|| conference_not_found(&id))?;
        check_running(self.op, conference)?;
        let out = f(conference)?;
        // Whoever joined or left, and any recording started or stopped,
        // is tracked here rather than in each handler.
        crate::event_push::sync_attendance(self.state, conference, now_ms());
        conference.record(self.record());
        crate::live::publish(self.state, conference);
        Ok(out)
    }
}

/// The user key of the call's access token (`account:NAME`,
/// `app:APP:CORP:USER`), if it carries a live one.
pub(crate) fn caller(call: &Call<'_>) -> Option<String> {
    let header = call.op.auth.header()?;
    let token = call.header(header)?;
    lock(&call.state.tokens)
        .access_user(&token)
        .map(str::to_owned)
}

/// The enterprise of the caller: the corp ID an app user logged in with,
/// else the simulator's one enterprise (`sim-corp`).
pub(crate) fn caller_corp(call: &Call<'_>) -> String {
    caller(call)
        .and_then(|key| {
            let rest = key.strip_prefix("app:")?.to_owned();
            let corp = rest.split(':').nth(1)?.to_owned();
            (!corp.is_empty()).then_some(corp)
        })
        .unwrap_or_else(|| "sim-corp".to_owned())
}

pub(crate) fn conference_not_found(id: &str) -> Failure {
    Failure::new(
        404,
        MMC_CONFERENCE_NOT_FOUND,
        format!("meeting `{id}` does not exist"),
    )
}

/// A meeting control call (one with a control token) needs a running
/// meeting: 400 "not started" otherwise, as for a meeting that ended.
pub(crate) fn check_running(op: &OperationMeta, conference: &Conference) -> Result<(), Failure> {
    if matches!(op.auth, Auth::ConferenceToken { .. }) && !conference.active {
        return Err(Failure::new(
            400,
            MMC_CONFERENCE_NOT_STARTED,
            format!(
                "meeting `{}` is not running: it has not started or has ended",
                conference.id
            ),
        ));
    }
    Ok(())
}

pub(crate) fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
}

/// The handler of every request outside the `/_sim/` routes.
pub(crate) async fn api(State(control): State<SimControl>, request: Request) -> Response {
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_else(crate::server::new_request_id);
    let peer = request.extensions().get::<PeerAddr>().map(|p| p.0);
    let (parts, body) = request.into_parts();
    let method = parts.method.as_str();
    let path = parts.uri.path();
    if path == "/_sim" || path.starts_with("/_sim/") {
        return error_response(
            StatusCode::NOT_FOUND,
            SIM_NOT_FOUND,
            &format!("no simulator control route {method} {path}"),
            &request_id,
        );
    }
    let state = control.state();
    let op = hwmeeting_api::find_by_route(method, path);
    let family = op
        .map(checking::family)
        .unwrap_or_else(|| Family::of_path(path));

    let body = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(body) => body,
        Err(e) => {
            return error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                family.param_invalid(),
                &format!("the request body could not be read (at most {BODY_LIMIT} bytes): {e}"),
                &request_id,
            );
        }
    };

    let mut entry = RecordedRequest {
        seq: 0,
        request_id: request_id.clone(),
        time_ms: now_ms(),
        method: method.to_owned(),
        path: path.to_owned(),
        query: request_log::mask_query(parts.uri.query(), op),
        headers: request_log::mask_headers(&parts.headers, op),
        body: request_log::mask_body(&body, op),
        operation: op.map(|op| op.id.to_owned()),
        status: None,
        fault: None,
    };

    let fault = state.faults.take(method, path);
    entry.fault = fault.as_ref().map(|f| f.kind().to_owned());
    let run = || {
        let call = Incoming {
            state,
            op,
            method,
            path,
            query: parts.uri.query(),
            headers: &parts.headers,
            body: &body,
            request_id: &request_id,
            peer,
        };
        call.answer()
    };
    let response = match &fault {
        None => run(),
        Some(Fault::DelayHeaders { ms }) => {
            tokio::time::sleep(Duration::from_millis(*ms)).await;
            run()
        }
        Some(Fault::DelayBody { ms, bytes }) => faults::delay_body(run(), *ms, *bytes).await,
        Some(fault) => faults::answer(fault, &request_id).unwrap_or_else(run),
    };
    entry.status = if response.extensions().get::<ResetConnection>().is_some() {
        None
    } else {
        Some(response.status().as_u16())
    };
    tracing::debug!(
        method = %entry.method,
        path = %entry.path,
        status = ?entry.status,
        fault = ?entry.fault,
        request_id = %entry.request_id,
        "answered"
    );
    state.log.push(entry);
    response
}

/// A request as received, before checking.
struct Incoming<'a> {
    state: &'a SimState,
    op: Option<&'static OperationMeta>,
    method: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    headers: &'a HeaderMap,
    body: &'a [u8],
    request_id: &'a str,
    peer: Option<SocketAddr>,
}

impl Incoming<'_> {
    fn answer(&self) -> Response {
        let Some(op) = self.op else {
            return self.route_not_found();
        };
        match self.operate(op) {
            Ok(value) => json_response(StatusCode::OK, &value),
            Err(failure) => failure.into_response(self.request_id),
        }
    }

    fn route_not_found(&self) -> Response {
        let methods: Vec<&str> = hwmeeting_api::operations()
            .iter()
            .filter(|op| meta::path_matches(op, self.path))
            .map(|op| op.method)
            .collect();
        if methods.is_empty() {
            return error_response(
                StatusCode::NOT_FOUND,
                ROUTE_NOT_FOUND,
                &format!("no API is served at {} {}", self.method, self.path),
                self.request_id,
            );
        }
        let allow = methods.join(", ");
        let mut r = error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            ROUTE_NOT_FOUND,
            &format!("{} is served with {allow}, not {}", self.path, self.method),
            self.request_id,
        );
        if let Ok(v) = HeaderValue::try_from(allow) {
            r.headers_mut().insert(header::ALLOW, v);
        }
        r
    }

    fn operate(&self, op: &'static OperationMeta) -> Result<Value, Failure> {
        // 1. The token, if the operation needs one.
        let token_conference = match op.auth {
            Auth::AccessToken { header } => {
                let token = header_text(self.headers, header).unwrap_or_default();
                if token.is_empty() || !lock(&self.state.tokens).access_valid(&token) {
                    return Err(Failure::new(
                        401,
                        ACCESS_TOKEN_INVALID,
                        format!(
                            "the access token in {header} is {}",
                            if token.is_empty() {
                                "missing"
                            } else {
                                "invalid or expired"
                            }
                        ),
                    ));
                }
                None
            }
            Auth::ConferenceToken { header } => {
                let token = header_text(self.headers, header).unwrap_or_default();
                let conference = lock(&self.state.tokens)
                    .conf_conference(&token)
                    .map(str::to_owned);
                match conference {
                    Some(id) if !token.is_empty() => Some((header, id)),
                    _ => {
                        return Err(Failure::new(
                            401,
                            CONFERENCE_TOKEN_INVALID,
                            format!(
                                "the meeting control token in {header} is {}",
                                if token.is_empty() {
                                    "missing"
                                } else {
                                    "invalid or expired"
                                }
                            ),
                        ));
                    }
                }
            }
            _ => None,
        };

        // 2. Every parameter, by the spec.
        let wire = checking::build_wire(op, self.path, self.query, self.headers, self.body)?;
        checking::check(op, &wire)?;

        // 3. The token must be of the meeting named; login credentials.
        if let Some((header, token_conference)) = token_conference {
            let named = checking::conference_id(op, &wire);
            if named.as_deref() != Some(token_conference.as_str()) {
                return Err(Failure::new(
                    401,
                    CONFERENCE_TOKEN_INVALID,
                    format!(
                        "the meeting control token in {header} is not a token of meeting `{}`",
                        named.unwrap_or_default()
                    ),
                ));
            }
        }
        let call = Call {
            state: self.state,
            op,
            wire,
            headers: self.headers,
            request_id: self.request_id,
            peer: self.peer,
        };
        let login = match op.auth {
            Auth::Basic {
                header,
                username_field,
            } => Some(auth::verify_basic(&call, header, username_field)?),
            Auth::AppSignature { header } => Some(auth::verify_app_signature(&call, header)?),
            _ => None,
        };

        // 4. The operation.
        match (op.id, login) {
            (_, Some(user)) => auth::login(&call, &user),
            ("start_meeting", _) => management::start_meeting(&call),
            ("create_conf_token", _) => control::create_conf_token(&call),
            ("set_role", _) => control::set_role(&call),
            ("hang_up", _) => control::hang_up(&call),
            ("invite_operate_video", _) => control::invite_operate_video(&call),
            ("update_started_conf_config", _) => control::update_started_conf_config(&call),
            ("mute_meeting", _) => meeting::mute_meeting(&call),
            ("mute_participant", _) => meeting::mute_participant(&call),
            ("allow_guest_unmute", _) => meeting::setting(&call, "allowUnmuteByOneself"),
            ("lock_meeting", _) => meeting::setting(&call, "isLock"),
            ("record" | "set_mmr_record", _) => meeting::record(&call),
            ("live", _) => meeting::live(&call, "isLive"),
            ("set_mmr_live", _) => meeting::live(&call, "liveState"),
            ("allow_client_record", _) => meeting::allow_client_record(&call),
            ("invite_share", _) => meeting::invite_share(&call),
            ("allow_audience_join", _) => meeting::allow_audience_join(&call),
            ("lock_view", _) => display::lock_view(&call),
            ("set_participant_view", _) => display::set_participant_view(&call),
            ("set_host_view", _) => display::set_host_view(&call),
            ("switch_mode", _) => display::switch_mode(&call),
            ("set_multi_picture", _) => display::set_multi_picture(&call),
            ("set_custom_multi_picture", _) => display::set_custom_multi_picture(&call),
            ("set_interpreter_group", _) => interpretation::set_interpreter_group(&call),
            ("set_attendee_lan_channel", _) => interpretation::set_attendee_lan_channel(&call),
            ("resume_simultaneous_interpretation", _) => interpretation::resume(&call),
            ("pause_conference", _) => meeting::pause(&call),
            ("stop_meeting", _) => meeting::stop_meeting(&call),
            ("rename_participant", _) => meeting::rename_participant(&call),
            ("set_cohost", _) => meeting::set_cohost(&call),
            ("hand", _) => meeting::hand(&call),
            ("batch_hand", _) => meeting::batch_hand(&call),
            ("move_to_waiting_room", _) => meeting::move_to_waiting_room(&call),
            ("batch_move_to_waiting_room", _) => meeting::batch_move_to_waiting_room(&call),
            ("allow_waiting_participant", _) => meeting::allow_waiting_participant(&call),
            ("invite_participant", _) => meeting::invite_participant(&call),
            ("invite_with_pwd", _) => meeting::invite_with_pwd(&call),
            ("delete_attendees", _) => meeting::delete_attendees(&call),
            ("prolong_meeting", _) => meeting::prolong_meeting(&call),
            ("broadcast_participant", _) => meeting::broadcast_participant(&call),
            ("rollcall_participant", _) => meeting::rollcall_participant(&call),
            ("cancel_broadcast", _) => meeting::cancel_broadcast(&call),
            ("save_layout", _) => meeting::save_layout(&call),
            ("delete_layout", _) => meeting::delete_layout(&call),
            ("show_layout", _) => meeting::show_layout(&call),
            ("show_real_time_info_of_meeting", _) => meeting::show_real_time_info(&call),
            ("create_web_socket_token", _) => meeting::create_web_socket_token(&call),
            ("show_mgmt_site_status", _) => meeting::show_mgmt_site_status(&call),
            ("delete_token", _) => tokens::delete_token(&call),
            ("update_token", _) => tokens::update_token(&call),
            ("check_token", _) => tokens::check_token(&call),
            ("create_portal_ref_nonce", _) => tokens::create_portal_ref_nonce(&call),
            ("create_meeting", _) => schedule::create_meeting(&call),
            ("search_meetings", _) => schedule::search_meetings(&call),
            ("update_meeting", _) => schedule::update_meeting(&call),
            ("cancel_meeting", _) => schedule::cancel_meeting(&call),
            ("show_meeting_detail", _) => schedule::show_meeting_detail(&call),
            ("search_online_meetings", _) => schedule::search_online_meetings(&call),
            ("show_online_meeting_detail", _) => schedule::show_online_meeting_detail(&call),
            ("list_online_conf_attendee", _) => schedule::list_online_conf_attendee(&call),
            ("show_region_info_of_meeting", _) => schedule::show_region_info_of_meeting(&call),
            ("create_anonymous_auth_random", _) => schedule::create_anonymous_auth_random(&call),
            ("create_auth_random", _) => schedule::create_auth_random(&call),
            ("check_call_number_in_conf", _) => schedule::check_call_number_in_conf(&call),
            ("create_recurring_meeting", _) => schedule::create_recurring_meeting(&call),
            ("update_recurring_meeting", _) => schedule::update_recurring_meeting(&call),
            ("cancel_recurring_meeting", _) => schedule::cancel_recurring_meeting(&call),
            ("update_recurring_sub_meeting", _) => schedule::update_recurring_sub_meeting(&call),
            ("cancel_recurring_sub_meeting", _) => schedule::cancel_recurring_sub_meeting(&call),
            ("search_his_meetings", _) => history::search_his_meetings(&call),
            ("show_his_meeting_detail", _) => history::show_his_meeting_detail(&call),
            ("search_attendance_records_of_his_meeting", _) => {
                history::search_attendance_records_of_his_meeting(&call)
            }
            ("search_ctl_records_of_his_meeting", _) => {
                history::search_ctl_records_of_his_meeting(&call)
            }
            ("search_recordings", _) => recordings::search_recordings(&call),
            ("show_recording_detail", _) => recordings::show_recording_detail(&call),
            ("show_recording_file_download_urls", _) => {
                recordings::show_recording_file_download_urls(&call)
            }
            ("delete_recordings", _) => recordings::delete_recordings(&call),
            ("show_record_info", _) => recordings::show_record_info(&call),
            ("set_web_hook_config", _) => webhooks::set_web_hook_config(&call),
            ("show_web_hook_config", _) => webhooks::show_web_hook_config(&call),
            ("delete_web_hook_config", _) => webhooks::delete_web_hook_config(&call),
            ("update_web_hook_config_status", _) => webhooks::update_web_hook_config_status(&call),
            ("add_user", _) => directory::add_user(&call),
            ("show_user_detail", _) => directory::show_user_detail(&call),
            ("update_user", _) => directory::update_user(&call),
            ("search_users", _) => directory::search_users(&call),
            ("invite_user", _) => directory::invite_user(&call),
            ("add_department", _) => directory::add_department(&call),
            ("update_department", _) => directory::update_department(&call),
            ("delete_department", _) => directory::delete_department(&call),
            ("search_department_by_name", _) => directory::search_department_by_name(&call),
            ("show_dept_and_child_dept", _) => directory::show_dept_and_child_dept(&call),
            ("search_corp_dir", _) => directory::search_corp_dir(&call),
            ("search_corp_external_dir", _) => directory::search_corp_external_dir(&call),
            ("show_department", _) => directory::show_department(&call),
            ("search_corp_vmr", _) => directory::search_corp_vmr(&call),
            ("search_member_vmr", _) => directory::search_member_vmr(&call),
            ("update_member_vmr", _) => directory::update_member_vmr(&call),
            ("add_app_id", _) => directory::add_app_id(&call),
            ("batch_search_app_id", _) => directory::batch_search_app_id(&call),
            ("update_app_id", _) => directory::update_app_id(&call),
            ("reset_app_key", _) => directory::reset_app_key(&call),
            ("delete_app_id", _) => directory::delete_app_id(&call),
            ("batch_delete_users", _) => directory::batch_delete_users(&call),
            ("batch_update_user_status", _) => directory::batch_update_user_status(&call),
            ("associate_vmr", _) => directory::associate_vmr(&call),
            ("disassociate_vmr", _) => directory::disassociate_vmr(&call),
            ("delete_corp_vmr", _) => directory::delete_corp_vmr(&call),
            ("batch_show_user_details", _) => directory::batch_show_user_details(&call),
            _ if !call.wire.files.is_empty() => upload(&call),
            _ => generic(&call),
        }
    }
}

/// An operation with no stateful handler: checked, recorded in its meeting
/// when it names one that exists (a control call needs it running),
/// answered `{}`.
/// An upload: every file part is kept, readable under `/_sim/uploads`;
/// the answer carries a new file ID where the spec has one (`fileId`).
fn upload(call: &Call<'_>) -> Result<Value, Failure> {
    let path_params: Vec<(String, String)> = call
        .wire
        .path
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_owned),
            )
        })
        .collect();
    let mut uploads = lock(&call.state.uploads);
    for (parameter, part) in &call.wire.files {
        let bytes = match part.source() {
            hwmeeting_core::upload::FileSource::Bytes(bytes) => bytes.to_vec(),
            // What the simulator parsed is always in memory.
            hwmeeting_core::upload::FileSource::Path(_) => Vec::new(),
        };
        uploads.push(crate::state::Upload {
            operation: call.op.id.to_owned(),
            parameter: parameter.clone(),
            path_params: path_params.clone(),
            file_name: part.file_name().to_owned(),
            content_type: part.content_type().to_owned(),
            bytes,
        });
    }
    let answers_file_id = call
        .op
        .response
        .is_some_and(|fields| fields.iter().any(|f| f.name == "fileId"));
    Ok(if answers_file_id {
        json!({ "fileId": format!("sim-file-{}", uploads.len()) })
    } else {
        json!({})
    })
}

fn generic(call: &Call<'_>) -> Result<Value, Failure> {
    if let Some(id) = call.conference_id()
        && let Some(conference) = lock(&call.state.conferences).by_id.get_mut(&id)
    {
        check_running(call.op, conference)?;
        crate::event_push::sync_attendance(call.state, conference, now_ms());
        conference.record(call.record());
        crate::live::publish(call.state, conference);
    }
    Ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hwmeeting_core::meta::{Constraints, Field, Location, Type};

    const fn field(name: &'static str, location: Location, ty: Type, cid: bool) -> Field {
        Field {
            name,
            rust_name: name,
            location,
            ty,
            required: true,
            secret: false,
            conference_id: cid,
            deprecated: false,
            default: None,
            enumeration: None,
            required_if: None,
            constraints: Constraints::NONE,
            time: None,
            whole_body: false,
            description: "",
        }
    }

    /// An operation the simulator has no handler for.
    static NEW_OP: OperationMeta = OperationMeta {
        id: "mute_room",
        group: "meeting_control",
        method: "PUT",
        path: "/v1/mmc/control/rooms/{room}/mute",
        summary: "",
        description: "",
        auth: Auth::AccessToken {
            header: "X-Access-Token",
        },
        idempotent: true,
        role: meta::SessionRole::None,
        params: &[
            field("room", Location::Path, Type::String, false),
            field("conferenceID", Location::Query, Type::String, true),
            field("level", Location::Query, Type::Integer, false),
            field("X-Secret-Pin", Location::Header, Type::String, false),
        ],
        response: None,
        response_is_list: false,
        pagination: None,
    };

    fn incoming<'a>(state: &'a SimState, query: &'a str, headers: &'a HeaderMap) -> Incoming<'a> {
        Incoming {
            state,
            op: Some(&NEW_OP),
            method: "PUT",
            path: "/v1/mmc/control/rooms/r%201/mute",
            query: Some(query),
            headers,
            body: b"",
            request_id: "0123456789abcdef0123456789abcdef",
            peer: None,
        }
    }

    #[test]
    fn an_operation_without_a_handler_is_checked_recorded_and_answered_empty() {
        let state = SimState::new(&crate::SimConfig::http(), "http://127.0.0.1:1".into());
        lock(&state.conferences)
            .create(crate::demo_conference())
            .unwrap();
        let (token, _) = lock(&state.tokens).issue_access("u");
        let mut headers = HeaderMap::new();
        headers.insert("x-access-token", token.parse().unwrap());
        headers.insert("x-secret-pin", "4321".parse().unwrap());

        let ok = incoming(&state, "conferenceID=900000001&level=3", &headers).operate(&NEW_OP);
        assert_eq!(ok, Ok(json!({})));
        let conference = lock(&state.conferences).by_id["900000001"].snapshot();
        let call = conference.calls.last().unwrap();
        assert_eq!(call.operation, "mute_room");
        assert_eq!(call.params["path"]["room"], "r 1");
        assert_eq!(call.params["query"]["level"], 3);

        let bad = incoming(&state, "conferenceID=900000001&level=loud", &headers)
            .operate(&NEW_OP)
            .unwrap_err();
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.msg.contains("`level`"), "{}", bad.msg);

        let missing = incoming(&state, "level=1", &headers)
            .operate(&NEW_OP)
            .unwrap_err();
        assert!(missing.msg.contains("`conferenceID`"), "{}", missing.msg);

        let no_token = HeaderMap::new();
        let denied = incoming(&state, "conferenceID=900000001&level=1", &no_token)
            .operate(&NEW_OP)
            .unwrap_err();
        assert_eq!(denied.status, StatusCode::UNAUTHORIZED);
        assert_eq!(denied.code, ACCESS_TOKEN_INVALID);
    }
}
