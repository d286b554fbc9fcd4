//! The error codes the simulator answers with, and the shape of its error
//! answers.
//!
//! The codes for rejected tokens are the SDK's own
//! ([`hwmeeting_core::codes`]), so a client's re-authentication logic sees
//! what it expects. The others are the simulator's choice, in the service's
//! style: `USG.*` for authentication, `MMC.*` for meetings.
//!
//! | status | code | when |
//! |---|---|---|
//! | 400 | [`USG_PARAM_INVALID`] | a parameter of a login call is missing or invalid |
//! | 401 | [`USG_AUTH_FAILED`] | a bad app signature, unknown app ID, malformed `Authorization`, wrong account or password, a disabled (or deleted) user |
//! | 401 | [`USG_SIGNATURE_EXPIRED`] | the signed `expireTime` is in the past |
//! | 401 | [`ACCESS_TOKEN_INVALID`] | `X-Access-Token` is missing, unknown, expired or revoked |
//! | 404 | [`USG_USER_NOT_FOUND`] | no user of the enterprise has this account |
//! | 400 | [`USG_ACCOUNT_EXISTS`] | `add_user`/`update_user` with an account, third-party account, phone, email or personal meeting ID another user has |
//! | 404 | [`USG_DEPT_NOT_FOUND`] | no department has this code |
//! | 400 | [`USG_DEPT_EXISTS`] | a department code in use, or a sibling of the same name |
//! | 400 | [`USG_DEPT_NOT_EMPTY`] | deleting the root, or a department with sub-departments or users |
//! | 404 | [`USG_VMR_NOT_FOUND`] | no room of the caller's has this ID; no cloud meeting room of the enterprise has it (`associate_vmr`, `disassociate_vmr`) |
//! | 404 | [`USG_APP_NOT_FOUND`] | no application has this app ID |
//! | 400 | [`USG_APP_EXISTS`] | an application name in use |
//! | 400 | [`USG_DEFAULT_ADMIN`] | deleting or disabling the enterprise's default administrator |
//! | 400 | [`USG_VMR_ASSIGNED`] | assigning a cloud meeting room another user has, or taking one back from a user who does not have it |
//! | 400 | [`MMC_PARAM_INVALID`] | a parameter of a meeting call is missing or invalid, or the JSON body is malformed |
//! | 404 | [`MMC_CONFERENCE_NOT_FOUND`] | no meeting has this ID |
//! | 400 | [`MMC_CONFERENCE_NOT_STARTED`] | the meeting has not been started (activated) |
//! | 403 | [`MMC_PASSWORD_WRONG`] | a wrong host (or guest) password |
//! | 404 | [`MMC_PARTICIPANT_NOT_FOUND`] | no participant has this ID in the meeting |
//! | 400 | [`MMC_CONFERENCE_RUNNING`] | a meeting that has started cannot be updated, nor cancelled unless the call ends it (`type` 1) |
//! | 400 | [`MMC_SERIES_MISMATCH`] | a series call on a one-off meeting, or a one-off call (`update_meeting`) on a series |
//! | 404 | [`MMC_SUB_CONFERENCE_NOT_FOUND`] | no sub-meeting of the series has this `cycleSubConfID` |
//! | 404 | [`MMC_HISTORY_NOT_FOUND`] | no ended meeting has this `confUUID` |
//! | 404 | [`MMC_RECORDING_NOT_FOUND`] | no recording has this `confUUID` |
//! | 404 | [`MMC_WEBHOOK_NOT_FOUND`] | no event-push settings (for this enterprise, or with this `id`) |
//! | 401 | [`CONFERENCE_TOKEN_INVALID`] | `X-Conference-Authorization` is missing, unknown, expired, or of another meeting |
//! | 404 | [`ROUTE_NOT_FOUND`] | no operation is served at this path |
//! | 405 | [`ROUTE_NOT_FOUND`] | the path is served with another method |
//! | any | [`INJECTED_FAULT`] | the default body of an injected `status` fault |
//! | 500 | [`INTERNAL`] | a bug in the simulator |
//! | 4xx | [`SIM_BAD_REQUEST`], [`SIM_NOT_FOUND`], [`SIM_CONFLICT`] | a `/_sim/` control request was wrong |

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub use hwmeeting_core::codes::{ACCESS_TOKEN_INVALID, CONFERENCE_TOKEN_INVALID};

/// A parameter of a login call is missing or invalid (400).
pub const USG_PARAM_INVALID: &str = "USG.000000001";
/// The login credentials are wrong (401).
pub const USG_AUTH_FAILED: &str = "USG.000000002";
/// The app signature's `expireTime` has passed (401).
pub const USG_SIGNATURE_EXPIRED: &str = "USG.000000003";
/// No user of the enterprise has this account (404).
pub const USG_USER_NOT_FOUND: &str = "USG.000000010";
/// The account (or phone number, email address or meeting ID) belongs to
/// another user or room already (400).
pub const USG_ACCOUNT_EXISTS: &str = "USG.000000011";
/// No department has this code (404).
pub const USG_DEPT_NOT_FOUND: &str = "USG.000000012";
/// A department with this code, or with this name under the same parent,
/// exists already (400).
pub const USG_DEPT_EXISTS: &str = "USG.000000013";
/// The department is the root, or still has sub-departments or users: it
/// cannot be deleted (400).
pub const USG_DEPT_NOT_EMPTY: &str = "USG.000000014";
/// No cloud meeting room or personal meeting ID of the caller has this ID
/// (404).
pub const USG_VMR_NOT_FOUND: &str = "USG.000000015";
/// The enterprise has no application with this app ID (404).
pub const USG_APP_NOT_FOUND: &str = "USG.000000016";
/// An application with this name exists already (400).
pub const USG_APP_EXISTS: &str = "USG.000000017";
/// The enterprise's default administrator cannot be deleted or disabled
/// (400).
pub const USG_DEFAULT_ADMIN: &str = "USG.000000018";
/// The cloud meeting room is assigned to another user (or, taken back, is
/// not assigned to this one) (400).
pub const USG_VMR_ASSIGNED: &str = "USG.000000019";
/// A parameter of a meeting call is missing or invalid (400).
pub const MMC_PARAM_INVALID: &str = "MMC.111000001";
/// No meeting has this ID (404).
pub const MMC_CONFERENCE_NOT_FOUND: &str = "MMC.111070001";
/// The meeting has not been started (400).
pub const MMC_CONFERENCE_NOT_STARTED: &str = "MMC.111070002";
/// A meeting password is wrong (403).
pub const MMC_PASSWORD_WRONG: &str = "MMC.111070003";
/// No participant of the meeting has this ID (404).
pub const MMC_PARTICIPANT_NOT_FOUND: &str = "MMC.111070004";
/// The meeting has started: it cannot be updated, nor cancelled unless
/// the cancel ends it (400).
pub const MMC_CONFERENCE_RUNNING: &str = "MMC.111070005";
/// A series call names a one-off meeting, or a one-off call a series
/// (400).
pub const MMC_SERIES_MISMATCH: &str = "MMC.111070006";
/// No sub-meeting of the series has this ID (404).
pub const MMC_SUB_CONFERENCE_NOT_FOUND: &str = "MMC.111070007";
/// No ended meeting has this UUID (404).
pub const MMC_HISTORY_NOT_FOUND: &str = "MMC.111070008";
/// No recording has this meeting UUID (404).
pub const MMC_RECORDING_NOT_FOUND: &str = "MMC.111070009";
/// No event-push settings match (404).
pub const MMC_WEBHOOK_NOT_FOUND: &str = "MMC.111070010";
/// No operation is served at this path, or not with this method (404/405).
pub const ROUTE_NOT_FOUND: &str = "APIG.0101";
/// The default error code of an injected `status` fault.
pub const INJECTED_FAULT: &str = "SIM.000000001";
/// The simulator failed (500).
pub const INTERNAL: &str = "SIM.000000500";
/// A `/_sim/` control request is malformed (400).
pub const SIM_BAD_REQUEST: &str = "SIM.000000400";
/// A `/_sim/` control request names an unknown meeting (404).
pub const SIM_NOT_FOUND: &str = "SIM.000000404";
/// A `/_sim/` control request would create a meeting that exists (409).
pub const SIM_CONFLICT: &str = "SIM.000000409";

/// The content type of the service's JSON answers.
pub(crate) const JSON: &str = "application/json;charset=UTF-8";

/// Which family of codes a failure uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    /// Authentication (`USG`).
    Usg,
    /// Meetings (`MMC`).
    Mmc,
}

impl Family {
    /// The family of an operation group (`auth` is USG, the rest MMC).
    pub(crate) fn of_group(group: &str) -> Family {
        if group == "auth" {
            Family::Usg
        } else {
            Family::Mmc
        }
    }

    /// The family of a path with no known operation.
    pub(crate) fn of_path(path: &str) -> Family {
        if path.contains("/usg/") {
            Family::Usg
        } else {
            Family::Mmc
        }
    }

    /// Its code for an invalid parameter.
    pub(crate) fn param_invalid(self) -> &'static str {
        match self {
            Family::Usg => USG_PARAM_INVALID,
            Family::Mmc => MMC_PARAM_INVALID,
        }
    }
}

/// An error answer: status, code and message. The request id is added when
/// it becomes a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    pub status: StatusCode,
    pub code: &'static str,
    pub msg: String,
}

impl Failure {
    pub(crate) fn new(status: u16, code: &'static str, msg: impl Into<String>) -> Self {
        Failure {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code,
            msg: msg.into(),
        }
    }

    /// The answer, with the request id in the body.
    pub(crate) fn into_response(self, request_id: &str) -> Response {
        error_response(self.status, self.code, &self.msg, request_id)
    }
}

/// A JSON answer with the service's content type.
pub(crate) fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    response
}

/// An error answer in the service's format.
pub(crate) fn error_response(
    status: StatusCode,
    code: &str,
    msg: &str,
    request_id: &str,
) -> Response {
    json_response(
        status,
        &json!({ "error_code": code, "error_msg": msg, "request_id": request_id }),
    )
}
