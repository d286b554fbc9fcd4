//! The log of the API requests received, with every secret masked as
//! `***`: the credential headers, every parameter the spec marks `secret`
//! (header, query or body, nested too), and body fields whose names look
//! like tokens or passwords.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use axum::http::HeaderMap;
use hwmeeting_core::meta::{Field, Location, OperationMeta, Type};
use hwmeeting_core::secret::REDACTED;
use hwmeeting_core::wire::WireRequest;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One API request as received (secrets masked).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedRequest {
    /// Its number, from 1, in the order received.
    pub seq: u64,
    /// The request id the answer carried in `X-Request-Id`.
    pub request_id: String,
    /// When it arrived, in Unix milliseconds.
    pub time_ms: u64,
    /// The method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query parameters, percent-decoded, by name (a list when a name
    /// repeats).
    pub query: Map<String, Value>,
    /// The headers, by lower-case name (repeated ones joined with `, `).
    pub headers: BTreeMap<String, String>,
    /// The body: its JSON, a string when it is not JSON, `null` when empty.
    pub body: Value,
    /// The operation it was routed to, if any.
    pub operation: Option<String>,
    /// The status answered; `None` when the connection was reset.
    pub status: Option<u16>,
    /// The kind of fault injected into the answer, if any.
    pub fault: Option<String>,
}

/// Whether a header carries a credential.
pub fn is_credential_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_str(),
        "authorization"
            | "proxy-authorization"
            | "x-access-token"
            | "x-conference-authorization"
            | "x-password"
            | "cookie"
            | "set-cookie"
    ) || n.contains("password")
        || n.contains("secret")
        || n.ends_with("-token")
}

/// Whether a body or query field's name looks like it holds a secret.
pub fn is_token_like(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    (n.contains("token") && !n.ends_with("type"))
        || n.contains("password")
        || n.contains("passwd")
        || n.contains("pwd")
        || n.contains("secret")
        || n.contains("appkey")
        || n.contains("app_key")
}

fn masked() -> Value {
    Value::String(REDACTED.to_owned())
}

fn field<'a>(fields: Option<&'a [Field]>, name: &str) -> Option<&'a Field> {
    fields?.iter().find(|f| f.name == name)
}

fn nested(ty: Type) -> Option<&'static [Field]> {
    match ty {
        Type::Object(object) => Some(object.fields),
        Type::Array(item) => nested(item.ty),
        _ => None,
    }
}

/// Masks the secrets of a JSON value in place, reading `fields` (the spec's
/// fields at this level, if known) for what is secret.
pub(crate) fn mask_json(value: &mut Value, fields: Option<&[Field]>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                let f = field(fields, key);
                if f.is_some_and(|f| f.secret) || (is_token_like(key) && !v.is_null()) {
                    *v = masked();
                } else {
                    mask_json(v, f.and_then(|f| nested(f.ty)));
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                mask_json(item, fields);
            }
        }
        _ => {}
    }
}

fn location_fields(op: Option<&OperationMeta>, location: Location) -> Vec<Field> {
    op.map(|op| op.params_in(location).copied().collect())
        .unwrap_or_default()
}

/// The headers, by lower-case name, credentials and secret parameters
/// masked.
pub(crate) fn mask_headers(
    headers: &HeaderMap,
    op: Option<&OperationMeta>,
) -> BTreeMap<String, String> {
    let secret: Vec<Field> = location_fields(op, Location::Header)
        .into_iter()
        .filter(|f| f.secret)
        .collect();
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        let name = name.as_str();
        let text = if is_credential_header(name)
            || secret.iter().any(|f| f.name.eq_ignore_ascii_case(name))
        {
            REDACTED.to_owned()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        out.entry(name.to_owned())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&text);
            })
            .or_insert(text);
    }
    out
}

/// The query parameters, percent-decoded, secrets masked.
pub(crate) fn mask_query(query: Option<&str>, op: Option<&OperationMeta>) -> Map<String, Value> {
    let fields = location_fields(op, Location::Query);
    let mut out = Map::new();
    for (name, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let secret = fields.iter().any(|f| f.name == name && f.secret) || is_token_like(&name);
        let v = if secret {
            masked()
        } else {
            Value::String(value.into_owned())
        };
        match out.get_mut(name.as_ref()) {
            Some(Value::Array(list)) => list.push(v),
            Some(prev) => {
                let first = prev.take();
                *prev = Value::Array(vec![first, v]);
            }
            None => {
                out.insert(name.into_owned(), v);
            }
        }
    }
    out
}

/// The body as the log shows it: JSON masked, or the text when it is not
/// JSON (masked whole if it could hold a secret), or `null` when empty.
pub(crate) fn mask_body(body: &[u8], op: Option<&OperationMeta>) -> Value {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Value::Null;
    }
    // An upload's files are not logged: `/_sim/uploads` has them.
    if op.is_some_and(OperationMeta::is_multipart) {
        return Value::String(format!("(multipart/form-data, {} bytes)", body.len()));
    }
    let body_fields = location_fields(op, Location::Body);
    match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            mask_json(&mut value, Some(&body_fields));
            value
        }
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            let lower = text.to_ascii_lowercase();
            let risky = body_fields.iter().any(|f| f.secret)
                || ["token", "password", "pwd", "secret", "key"]
                    .iter()
                    .any(|w| lower.contains(w));
            if risky {
                masked()
            } else {
                Value::String(text.into_owned())
            }
        }
    }
}

/// A request's parameters, by location, secrets masked: what a meeting's
/// call record keeps.
pub(crate) fn mask_wire(wire: &WireRequest, op: &OperationMeta) -> Value {
    let mut out = Map::new();
    for (key, location) in [
        ("path", Location::Path),
        ("query", Location::Query),
        ("headers", Location::Header),
        ("body", Location::Body),
    ] {
        let map = wire.location(location);
        if map.is_empty() {
            continue;
        }
        let fields = location_fields(Some(op), location);
        let mut value = Value::Object(map.clone());
        mask_json(&mut value, Some(&fields));
        out.insert(key.to_owned(), value);
    }
    Value::Object(out)
}

/// The log itself.
#[derive(Debug)]
pub(crate) struct RequestLog {
    limit: usize,
    inner: Mutex<(u64, VecDeque<RecordedRequest>)>,
}

impl RequestLog {
    pub(crate) fn new(limit: usize) -> Self {
        RequestLog {
            limit,
            inner: Mutex::new((0, VecDeque::new())),
        }
    }

    pub(crate) fn push(&self, mut entry: RecordedRequest) {
        if self.limit == 0 {
            return;
        }
        let mut inner = crate::lock(&self.inner);
        inner.0 += 1;
        entry.seq = inner.0;
        if inner.1.len() >= self.limit {
            inner.1.pop_front();
        }
        inner.1.push_back(entry);
    }

    pub(crate) fn all(&self) -> Vec<RecordedRequest> {
        crate::lock(&self.inner).1.iter().cloned().collect()
    }

    pub(crate) fn clear(&self) -> usize {
        let mut inner = crate::lock(&self.inner);
        let n = inner.1.len();
        inner.1.clear();
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn token_like_names() {
        for n in [
            "accessToken",
            "chairmanPwd",
            "password",
            "X-Password",
            "refreshToken",
        ] {
            assert!(is_token_like(n), "{n}");
        }
        for n in ["applyChair", "conferenceID", "X-Token-Type", "status"] {
            assert!(!is_token_like(n), "{n}");
        }
    }

    #[test]
    fn nested_secrets_are_masked() {
        let mut v = json!({"a": {"password": "p", "keep": 1}, "list": [{"token": "t"}], "x": null});
        mask_json(&mut v, None);
        assert_eq!(
            v,
            json!({"a": {"password": "***", "keep": 1}, "list": [{"token": "***"}], "x": null})
        );
    }

    #[test]
    fn non_json_bodies_with_secrets_are_masked_whole() {
        assert_eq!(mask_body(b"{\"pwd\": 1", None), json!("***"));
        assert_eq!(mask_body(b"hello", None), json!("hello"));
        assert_eq!(mask_body(b"  ", None), Value::Null);
    }
}
