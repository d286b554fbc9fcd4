//! Reads an answer: an error status becomes an [`ApiError`], a success body
//! becomes the operation's typed output.

use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ApiError, Error};
use crate::meta::OperationMeta;

/// The `X-Request-Id` header.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The request id from the `X-Request-Id` header.
pub fn request_id_header(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Parses `Retry-After`: delay seconds, or an HTTP date (relative to `now`).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Builds the [`ApiError`] of an error answer. Copes with every key
/// spelling the service and its gateways use, and with bodies that are not
/// JSON at all.
pub fn api_error(status: u16, headers: &http::HeaderMap, body: &[u8], now: SystemTime) -> ApiError {
    let json: Option<serde_json::Map<String, Value>> = serde_json::from_slice(body).ok();
    let pick = |keys: &[&str]| -> Option<String> {
        let map = json.as_ref()?;
        keys.iter().find_map(|k| match map.get(*k)? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    ApiError {
        status,
        error_code: pick(&["error_code", "errorCode", "code"]),
        error_msg: pick(&["error_msg", "errorMsg", "message"]),
        request_id: pick(&["request_id", "requestId"]).or_else(|| request_id_header(headers)),
        retry_after: headers
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, now)),
        body: String::from_utf8_lossy(body).into_owned(),
    }
}

/// The service's error in a 2xx answer that did not decode: one with an
/// error code (in any of its spellings) that is not a success code.
fn error_in_success(
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    value: &Value,
    now: SystemTime,
) -> Option<ApiError> {
    let map = value.as_object()?;
    let has_code = ["error_code", "errorCode", "code"]
        .iter()
        .any(|k| match map.get(*k) {
            Some(Value::String(s)) => !s.is_empty() && s != "0",
            Some(Value::Number(n)) => n.as_i64() != Some(0),
            _ => false,
        });
    if !has_code {
        return None;
    }
    Some(api_error(status, headers, body, now))
}

/// Decodes an answer into `T`, or into the error it reports.
///
/// The raw body an error keeps has the values of the answer's secret
/// fields (tokens) masked, even when the body is not valid JSON.
///
/// A 2xx answer of an operation with no documented fields may have an empty
/// body, `{}`, or any JSON object. A 2xx body that is not JSON is an error.
/// A 2xx body that does not decode but carries the service's error fields
/// (`error_code`/`error_msg`, `errorCode`/`errorMsg`, `code`/`message`) is
/// reported as [`Error::Api`] with that code and message.
pub fn decode<T: DeserializeOwned>(
    meta: &OperationMeta,
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    now: SystemTime,
) -> Result<T, Error> {
    // Only `T::deserialize` is generic: the rest is compiled once, not
    // once per answer type.
    let value = answer_value(meta, status, headers, body, now)?;
    T::deserialize(&value).map_err(|e| undecodable(meta, status, headers, body, &value, now, &e))
}

/// The JSON of a success body, checked to be an object (or a list where
/// the answer is one); the error an error status reports.
fn answer_value(
    meta: &OperationMeta,
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    now: SystemTime,
) -> Result<Value, Error> {
    if !(200..300).contains(&status) {
        let mut error = api_error(status, headers, body, now);
        // The raw body is kept for support and logs: never with a token.
        error.body = crate::redact::redact_response_text(meta, &error.body);
        return Err(Error::Api {
            operation: meta.id,
            source: Box::new(error),
        });
    }
    let trimmed = body.trim_ascii();
    let text: &[u8] = if trimmed.is_empty() { b"{}" } else { trimmed };
    let value: Value = serde_json::from_slice(text).map_err(|e| {
        decode_error(
            meta,
            status,
            headers,
            body,
            format!("the body is not valid JSON ({e})"),
        )
    })?;
    let shape = if meta.response_is_list {
        (!value.is_array() && !value.is_object()).then_some("the body is JSON but not a list")
    } else {
        (!value.is_object()).then_some("the body is JSON but not an object")
    };
    match shape {
        Some(message) => Err(decode_error(meta, status, headers, body, message.into())),
        None => Ok(value),
    }
}

/// The error of a success body that did not decode into the answer type.
fn undecodable(
    meta: &OperationMeta,
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    value: &Value,
    now: SystemTime,
    error: &serde_json::Error,
) -> Error {
    // A success status over an error body (some gateways answer so):
    // report the service's error, not a decoding failure.
    if let Some(mut api) = error_in_success(status, headers, body, value, now) {
        api.body = crate::redact::redact_response_text(meta, &api.body);
        return Error::Api {
            operation: meta.id,
            source: Box::new(api),
        };
    }
    let what = error.to_string();
    let message = if body.trim_ascii().is_empty() {
        format!("the body is empty, but the answer must carry fields ({what})")
    } else {
        what
    };
    decode_error(meta, status, headers, body, message)
}

/// [`Error::Decode`] with the body, its secret fields masked.
fn decode_error(
    meta: &OperationMeta,
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    message: String,
) -> Error {
    Error::Decode {
        operation: meta.id,
        status,
        request_id: request_id_header(headers),
        message,
        body: crate::redact::redact_response_text(meta, &String::from_utf8_lossy(body)),
    }
}
