//! Fault injection: answers that go wrong on purpose, queued for the next
//! requests that match a method and path.
//!
//! A fault is given as JSON to `POST /_sim/faults`, or as a [`FaultRule`] to
//! [`crate::SimControl::push_fault`]:
//!
//! ```json
//! {"method": "PUT", "path": "/v1/mmc/control/conferences/participants/role",
//!  "count": 2, "fault": {"kind": "status", "status": 503,
//!  "headers": {"Retry-After": "1"}}}
//! ```
//!
//! `method` is optional (any method); `path` is the exact path without the
//! query, or a prefix ending in `*` (`"*"` alone matches every path);
//! `count` (default 1) is how many matching requests the fault hits. Faults
//! hit API requests only, never `/_sim/` ones. The kinds, by their `kind`
//! tag, are those of [`Fault`]. Except for `delay_headers` and
//! `delay_body`, a fault answers in place of the operation, which then does
//! not take effect.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::codes::{INJECTED_FAULT, JSON};

/// A way for an answer to go wrong. Serialized with a `kind` tag in
/// snake_case, its fields beside it: `{"kind": "delay_headers", "ms": 200}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// Answers with this status, body and headers. Without a body, the body
    /// is a service-style error `{"error_code": "SIM.000000001", ...}`; a
    /// JSON string body is sent as plain text, any other JSON value as
    /// JSON. Headers such as `Retry-After` or `Content-Type` are added.
    Status {
        /// The HTTP status.
        status: u16,
        /// The body.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<Value>,
        /// Headers to add.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        headers: BTreeMap<String, String>,
    },
    /// Waits this long before answering, then answers normally (the
    /// operation takes effect).
    DelayHeaders {
        /// Milliseconds to wait.
        ms: u64,
    },
    /// Answers normally (the operation takes effect), but sends the headers
    /// and the first part of the body, stalls, then sends the rest.
    DelayBody {
        /// Milliseconds to stall.
        ms: u64,
        /// Bytes of the body sent before the stall (default: half).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bytes: Option<usize>,
    },
    /// Reads the request, then closes the connection without answering.
    Reset,
    /// Sends a `Content-Length` larger than the body it then sends, and
    /// closes the connection.
    Truncate {
        /// The status (default 200).
        #[serde(default = "ok")]
        status: u16,
    },
    /// Answers with a body that is not valid JSON, labelled
    /// `application/json`.
    MalformedJson {
        /// The status (default 200).
        #[serde(default = "ok")]
        status: u16,
    },
    /// Answers with an HTML error page (`text/html`), as a gateway does.
    Html {
        /// The status (default 502).
        #[serde(default = "bad_gateway")]
        status: u16,
    },
    /// Answers with an empty body.
    Empty {
        /// The status (default 200).
        #[serde(default = "ok")]
        status: u16,
    },
    /// Answers 200 with a JSON body of exactly this many bytes (streamed).
    LargeBody {
        /// The body's size in bytes (at most 1 GiB).
        bytes: u64,
    },
    /// Answers with a `text/plain` body.
    WrongContentType {
        /// The status (default 200).
        #[serde(default = "ok")]
        status: u16,
        /// The body (default `OK`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
    },
}

fn ok() -> u16 {
    200
}

fn bad_gateway() -> u16 {
    502
}

fn one() -> u32 {
    1
}

/// Largest body a `large_body` fault sends.
pub const LARGE_BODY_MAX: u64 = 1 << 30;

impl Fault {
    /// A `status` fault with the default error body.
    pub fn status(status: u16) -> Self {
        Fault::Status {
            status,
            body: None,
            headers: BTreeMap::new(),
        }
    }

    /// The `kind` tag.
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::Status { .. } => "status",
            Fault::DelayHeaders { .. } => "delay_headers",
            Fault::DelayBody { .. } => "delay_body",
            Fault::Reset => "reset",
            Fault::Truncate { .. } => "truncate",
            Fault::MalformedJson { .. } => "malformed_json",
            Fault::Html { .. } => "html",
            Fault::Empty { .. } => "empty",
            Fault::LargeBody { .. } => "large_body",
            Fault::WrongContentType { .. } => "wrong_content_type",
        }
    }

    /// Checks the values: statuses must be 100 to 999, header names and
    /// values valid, sizes within limits.
    pub fn check(&self) -> Result<(), String> {
        let status_ok = |s: u16| {
            if StatusCode::from_u16(s).is_ok() {
                Ok(())
            } else {
                Err(format!("`status` {s} is not an HTTP status"))
            }
        };
        match self {
            Fault::Status {
                status, headers, ..
            } => {
                status_ok(*status)?;
                for (name, value) in headers {
                    HeaderName::try_from(name.as_str())
                        .map_err(|_| format!("`{name}` is not a header name"))?;
                    HeaderValue::try_from(value.as_str())
                        .map_err(|_| format!("the value of header `{name}` is not valid"))?;
                }
                Ok(())
            }
            Fault::Truncate { status }
            | Fault::MalformedJson { status }
            | Fault::Html { status }
            | Fault::Empty { status }
            | Fault::WrongContentType { status, .. } => status_ok(*status),
            Fault::LargeBody { bytes } if *bytes > LARGE_BODY_MAX => {
                Err(format!("`bytes` must be at most {LARGE_BODY_MAX}"))
            }
            _ => Ok(()),
        }
    }
}

/// A fault queued for the next `count` requests that match `method` and
/// `path`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// The method to match (any case); `None` matches every method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The path to match, without the query; a trailing `*` matches any
    /// path that starts with what comes before it.
    pub path: String,
    /// How many requests the fault hits (at least 1; default 1).
    #[serde(default = "one")]
    pub count: u32,
    /// What goes wrong.
    pub fault: Fault,
}

impl FaultRule {
    /// A fault for the next request to `path`, whatever its method.
    pub fn new(path: impl Into<String>, fault: Fault) -> Self {
        FaultRule {
            method: None,
            path: path.into(),
            count: 1,
            fault,
        }
    }

    /// Matches only this method.
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// Hits this many requests.
    pub fn count(mut self, count: u32) -> Self {
        self.count = count;
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = self
            .method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method));
        let path_ok = match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => self.path == path,
        };
        method_ok && path_ok
    }
}

/// The queued faults, in the order they were pushed.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    rules: Mutex<Vec<FaultRule>>,
    len: AtomicUsize,
}

impl FaultQueue {
    pub(crate) fn push(&self, rule: FaultRule) -> Result<(), String> {
        if rule.count == 0 {
            return Err("`count` must be at least 1".into());
        }
        if rule.path.is_empty() {
            return Err("`path` must not be empty".into());
        }
        rule.fault.check()?;
        let mut rules = crate::lock(&self.rules);
        rules.push(rule);
        self.len.store(rules.len(), Ordering::Release);
        Ok(())
    }

    pub(crate) fn clear(&self) -> usize {
        let mut rules = crate::lock(&self.rules);
        let n = rules.len();
        rules.clear();
        self.len.store(0, Ordering::Release);
        n
    }

    pub(crate) fn pending(&self) -> Vec<FaultRule> {
        crate::lock(&self.rules).clone()
    }

    /// The fault for this request, if one is queued; it is used up.
    pub(crate) fn take(&self, method: &str, path: &str) -> Option<Fault> {
        if self.len.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut rules = crate::lock(&self.rules);
        let i = rules.iter().position(|r| r.matches(method, path))?;
        let fault = rules[i].fault.clone();
        rules[i].count -= 1;
        if rules[i].count == 0 {
            rules.remove(i);
        }
        self.len.store(rules.len(), Ordering::Release);
        Some(fault)
    }
}

/// Marks a response whose connection must be closed instead of answered.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ResetConnection;

fn response(status: u16, content_type: Option<&'static str>, body: Body) -> Response {
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(ct) = content_type {
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    r
}

/// The answer of a fault that answers in place of the operation; `None`
/// for the delays, which answer normally.
pub(crate) fn answer(fault: &Fault, request_id: &str) -> Option<Response> {
    let r = match fault {
        Fault::DelayHeaders { .. } | Fault::DelayBody { .. } => return None,
        Fault::Status {
            status,
            body,
            headers,
        } => {
            let mut r = match body {
                None => response(
                    *status,
                    Some(JSON),
                    Body::from(
                        json!({
                            "error_code": INJECTED_FAULT,
                            "error_msg": format!("injected fault: HTTP {status}"),
                            "request_id": request_id,
                        })
                        .to_string(),
                    ),
                ),
                Some(Value::String(text)) => {
                    response(*status, Some("text/plain"), Body::from(text.clone()))
                }
                Some(value) => response(*status, Some(JSON), Body::from(value.to_string())),
            };
            for (name, value) in headers {
                if let (Ok(n), Ok(v)) = (
                    HeaderName::try_from(name.as_str()),
                    HeaderValue::try_from(value.as_str()),
                ) {
                    r.headers_mut().insert(n, v);
                }
            }
            r
        }
        Fault::Reset => {
            let mut r = Response::new(Body::empty());
            r.extensions_mut().insert(ResetConnection);
            r
        }
        Fault::Truncate { status } => {
            let full = format!(
                "{{\"sim\":\"this body is cut short by an injected fault\",\"padding\":\"{}\"}}",
                "x".repeat(64)
            );
            let sent = Bytes::from(full[..full.len() / 2].to_owned());
            let stream = futures_util::stream::unfold(0u8, move |step| {
                let sent = sent.clone();
                async move {
                    match step {
                        0 => Some((Ok(sent), 1)),
                        1 => {
                            // Let the first part reach the socket before the
                            // connection is dropped.
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            Some((Err(std::io::Error::other("injected truncation")), 2))
                        }
                        _ => None,
                    }
                }
            });
            let mut r = response(*status, Some(JSON), Body::from_stream(stream));
            r.headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
            r
        }
        Fault::MalformedJson { status } => response(
            *status,
            Some(JSON),
            Body::from("{\"accessToken\": \"sim-malformed\", \"validPeriod\": 43200, \"user\": {"),
        ),
        Fault::Html { status } => {
            let reason = StatusCode::from_u16(*status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Error");
            response(
                *status,
                Some("text/html"),
                Body::from(format!(
                    "<!DOCTYPE html>\n<html><head><title>{status} {reason}</title></head>\
                     <body><center><h1>{status} {reason}</h1></center><hr>\
                     <center>gateway</center></body></html>\n"
                )),
            )
        }
        Fault::Empty { status } => response(*status, None, Body::empty()),
        Fault::LargeBody { bytes } => large_body((*bytes).min(LARGE_BODY_MAX)),
        Fault::WrongContentType { status, body } => response(
            *status,
            Some("text/plain"),
            Body::from(body.clone().unwrap_or_else(|| "OK".to_owned())),
        ),
    };
    Some(r)
}

/// A 200 answer whose JSON body (`{"padding":"xxx..."}`) is exactly `n`
/// bytes, streamed in 64 KiB chunks.
fn large_body(n: u64) -> Response {
    const PREFIX: &[u8] = b"{\"padding\":\"";
    const SUFFIX: &[u8] = b"\"}";
    const CHUNK: usize = 64 * 1024;
    let fill = Bytes::from(vec![b'x'; CHUNK]);
    let (head, tail, middle) = if n >= (PREFIX.len() + SUFFIX.len()) as u64 {
        (
            Bytes::from_static(PREFIX),
            Bytes::from_static(SUFFIX),
            n - (PREFIX.len() + SUFFIX.len()) as u64,
        )
    } else {
        (Bytes::new(), Bytes::new(), n)
    };
    let full_chunks = (middle / CHUNK as u64) as usize;
    let rest = (middle % CHUNK as u64) as usize;
    let chunks = std::iter::once(head)
        .chain(std::iter::repeat_n(fill.clone(), full_chunks))
        .chain(std::iter::once(fill.slice(..rest)))
        .chain(std::iter::once(tail))
        .filter(|b| !b.is_empty())
        .map(Ok::<Bytes, std::io::Error>);
    let stream = futures_util::stream::iter(chunks);
    let mut r = response(200, Some(JSON), Body::from_stream(stream));
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(n));
    r
}

/// Makes a normal answer stall in the middle of its body: the first
/// `bytes` (default half) go out with the headers, the rest after `ms`.
pub(crate) async fn delay_body(response: Response, ms: u64, bytes: Option<usize>) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(full) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let split = bytes.unwrap_or(full.len() / 2).min(full.len());
    let first = full.slice(..split);
    let rest = full.slice(split..);
    let stream = futures_util::stream::unfold(0u8, move |step| {
        let (first, rest) = (first.clone(), rest.clone());
        async move {
            match step {
                0 => Some((Ok::<_, std::io::Error>(first), 1)),
                1 => {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    Some((Ok(rest), 2))
                }
                _ => None,
            }
        }
    });
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
    Response::from_parts(parts, Body::from_stream(stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_json_round_trips() {
        let rule: FaultRule = serde_json::from_value(json!({
            "method": "PUT", "path": "/v1/x", "count": 2,
            "fault": {"kind": "status", "status": 429, "headers": {"Retry-After": "1"}}
        }))
        .unwrap();
        assert_eq!(rule.count, 2);
        assert_eq!(rule.fault.kind(), "status");
        let reset: Fault = serde_json::from_value(json!({"kind": "reset"})).unwrap();
        assert_eq!(reset, Fault::Reset);
        let html: Fault = serde_json::from_value(json!({"kind": "html"})).unwrap();
        assert_eq!(html, Fault::Html { status: 502 });
        assert!(serde_json::from_value::<Fault>(json!({"kind": "nope"})).is_err());
    }

    #[test]
    fn queue_matches_method_path_and_count() {
        let q = FaultQueue::default();
        q.push(FaultRule::new("/a", Fault::Reset).method("put").count(2))
            .unwrap();
        q.push(FaultRule::new("/b/*", Fault::status(500))).unwrap();
        assert!(q.take("GET", "/a").is_none());
        assert_eq!(q.take("PUT", "/a"), Some(Fault::Reset));
        assert_eq!(q.take("PUT", "/a"), Some(Fault::Reset));
        assert!(q.take("PUT", "/a").is_none());
        assert!(q.take("GET", "/b/c").is_some());
        assert!(q.take("GET", "/b/c").is_none());
        assert!(q.push(FaultRule::new("/a", Fault::status(1000))).is_err());
        assert!(q.push(FaultRule::new("/a", Fault::Reset).count(0)).is_err());
    }
}
