//! Masks secrets in what is shown: credential headers and every parameter
//! or field the spec marks secret, nested ones included. The CLI's dry run,
//! the simulator's request log and the examples all mask with this.

use serde_json::Value;

use crate::meta::{Field, Location, OperationMeta, Type};
use crate::secret::REDACTED;
use crate::wire::WireRequest;

/// Headers that carry a credential in any operation.
pub const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "x-access-token",
    "x-conference-authorization",
    "x-password",
];

/// Whether a header of this operation holds a secret (case-insensitive).
pub fn is_secret_header(meta: Option<&OperationMeta>, name: &str) -> bool {
    CREDENTIAL_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
        || meta.is_some_and(|m| {
            m.auth
                .header()
                .is_some_and(|h| h.eq_ignore_ascii_case(name))
                || m.params_in(Location::Header)
                    .any(|p| p.secret && p.name.eq_ignore_ascii_case(name))
        })
}

/// Whether a query parameter of this operation holds a secret.
pub fn is_secret_query(meta: &OperationMeta, name: &str) -> bool {
    meta.params_in(Location::Query)
        .any(|p| p.secret && p.name == name)
}

/// Replaces, in a JSON body, the value of every field the spec marks
/// secret (at any depth) with `***`.
pub fn redact_body(meta: &OperationMeta, body: &mut Value) {
    // A body that is one value (a list, a dictionary) is that parameter's.
    if let Some(whole) = meta.whole_body()
        && !body
            .as_object()
            .is_some_and(|map| map.contains_key(whole.name))
    {
        redact_value(whole, body);
        return;
    }
    let fields: Vec<&Field> = meta.params_in(Location::Body).collect();
    redact_fields(&fields, body);
}

/// Replaces, in an answer's JSON, the value of every response field the
/// spec marks secret (tokens) with `***`.
pub fn redact_response(meta: &OperationMeta, body: &mut Value) {
    if let Some(fields) = meta.response {
        let fields: Vec<&Field> = fields.iter().collect();
        match body {
            // An answer that is a list of objects (`create_meeting`).
            Value::Array(items) if meta.response_is_list => {
                for item in items {
                    redact_fields(&fields, item);
                }
            }
            _ => redact_fields(&fields, body),
        }
    }
}

/// The wire form of a request with every credential header and every
/// parameter the spec marks secret (at any depth) replaced by `***`: what
/// a request may show of itself.
pub fn redact_wire(meta: &OperationMeta, wire: &WireRequest) -> WireRequest {
    let mut shown = wire.clone();
    for (name, value) in shown.headers.iter_mut() {
        if !value.is_null() && is_secret_header(Some(meta), name) {
            *value = Value::String(REDACTED.to_owned());
        }
    }
    for location in [Location::Path, Location::Query] {
        for (name, value) in shown.location_mut(location).iter_mut() {
            if !value.is_null()
                && meta
                    .params_in(location)
                    .any(|p| p.secret && p.name == name.as_str())
            {
                *value = Value::String(REDACTED.to_owned());
            }
        }
    }
    let mut body = Value::Object(std::mem::take(&mut shown.body));
    redact_body(meta, &mut body);
    if let Value::Object(map) = body {
        shown.body = map;
    }
    shown
}

/// The raw text of an answer of `meta`'s operation, with the value of
/// every string field its spec marks secret (tokens, at any depth) replaced
/// by `***`, whether or not the text is valid JSON: what an error may keep
/// of a body for support and logs. Everything else is kept as it came.
pub fn redact_response_text(meta: &OperationMeta, body: &str) -> String {
    let mut names = Vec::new();
    if let Some(fields) = meta.response {
        secret_names(fields, &mut names);
    }
    redact_json_strings(body, &names)
}

fn secret_names(fields: &[Field], names: &mut Vec<&'static str>) {
    for field in fields {
        if field.secret {
            names.push(field.name);
        }
        let mut ty = field.ty;
        while let Type::Array(item) = ty {
            ty = item.ty;
        }
        if let Type::Object(object) = ty {
            secret_names(object.fields, names);
        }
    }
}

/// Replaces, in JSON text (possibly cut short or malformed), the string
/// value of every key in `names` with `***`.
pub fn redact_json_strings(text: &str, names: &[&str]) -> String {
    if names.is_empty() {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"'
            && let Some(start) = names
                .iter()
                .find_map(|n| string_value_after_key(bytes, i, n))
        {
            out.push_str(&text[copied..start]);
            out.push_str(REDACTED);
            // Skip the value, whole characters at a time, to its closing
            // quote (kept) or the end of the text.
            let mut j = start;
            while j < bytes.len() && bytes[j] != b'"' {
                if bytes[j] == b'\\' {
                    j += 1;
                }
                if j < bytes.len() {
                    j += utf8_width(bytes[j]);
                }
            }
            copied = j.min(bytes.len());
            i = copied + 1;
            continue;
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// Where the string value of key `name` starts, if the text at `at` is
/// `"name"`, a colon and an opening quote (with any whitespace between).
fn string_value_after_key(bytes: &[u8], at: usize, name: &str) -> Option<usize> {
    let end = at + 1 + name.len();
    if bytes.get(at + 1..end)? != name.as_bytes() || bytes.get(end)? != &b'"' {
        return None;
    }
    let mut k = end + 1;
    let skip = |k: &mut usize| {
        while bytes.get(*k).is_some_and(u8::is_ascii_whitespace) {
            *k += 1;
        }
    };
    skip(&mut k);
    (bytes.get(k)? == &b':').then_some(())?;
    k += 1;
    skip(&mut k);
    (bytes.get(k)? == &b'"').then_some(k + 1)
}

/// The width of the UTF-8 character that starts with `lead`.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

fn redact_fields(fields: &[&Field], value: &mut Value) {
    let Some(map) = value.as_object_mut() else {
        return;
    };
    for field in fields {
        if let Some(v) = map.get_mut(field.name) {
            redact_value(field, v);
        }
    }
}

fn redact_value(field: &Field, value: &mut Value) {
    if value.is_null() {
        return;
    }
    if field.secret {
        *value = Value::String(REDACTED.to_owned());
        return;
    }
    match field.ty {
        Type::Object(object) => {
            let fields: Vec<&Field> = object.fields.iter().collect();
            redact_fields(&fields, value);
        }
        Type::Array(items) => {
            if let Some(list) = value.as_array_mut() {
                for item in list {
                    redact_value(items, item);
                }
            }
        }
        Type::Map(values) => {
            if let Some(map) = value.as_object_mut() {
                for item in map.values_mut() {
                    redact_value(values, item);
                }
            }
        }
        _ => {}
    }
}
