//! Spec-driven checking of what arrives: the request becomes a
//! [`WireRequest`] (path segments, percent-decoded query, headers matched
//! case-insensitively, JSON body with `null` meaning absent; text converted
//! to the spec's types), then every parameter is checked against the
//! operation's spec. A new spec file is checked with no code here.

use axum::http::HeaderMap;
use hwmeeting_core::BuildError;
use hwmeeting_core::meta::{self, Field, Location, OperationMeta, Type};
use hwmeeting_core::validate::{EnumCheck, validate};
use hwmeeting_core::wire::WireRequest;
use serde_json::{Map, Number, Value};

use crate::codes::{Failure, Family};

/// The family of codes of an operation's errors.
pub(crate) fn family(op: &OperationMeta) -> Family {
    Family::of_group(op.group)
}

fn invalid(op: &OperationMeta, msg: impl Into<String>) -> Failure {
    Failure::new(400, family(op).param_invalid(), msg)
}

/// A parameter's text (query, header or path) as the spec's type; text
/// that does not convert stays text, for the checker to name.
pub(crate) fn convert(ty: Type, text: &str) -> Value {
    match ty {
        Type::Integer => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(text.to_owned())),
        Type::Number => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(text.to_owned())),
        Type::Boolean => match text.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.to_owned()),
        },
        Type::Array(item) => Value::Array(vec![convert(item.ty, text)]),
        Type::Object(_) | Type::Map(_) => {
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
        }
        // A file never travels as text; the checker names it.
        Type::File => Value::String(text.to_owned()),
        Type::String => Value::String(text.to_owned()),
    }
}

fn put_text(map: &mut Map<String, Value>, field: &Field, text: &str) {
    match (field.ty, map.get_mut(field.name)) {
        (Type::Array(item), Some(Value::Array(list))) => list.push(convert(item.ty, text)),
        (_, Some(_)) => {} // the first value of a repeated scalar wins
        (ty, None) => {
            map.insert(field.name.to_owned(), convert(ty, text));
        }
    }
}

/// Builds the wire form of a request to `op`: only the parameters the spec
/// knows, converted to their types. Fails (400) on a malformed JSON body or
/// one that is not an object.
pub(crate) fn build_wire(
    op: &OperationMeta,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<WireRequest, Failure> {
    let mut wire = WireRequest::new();

    for (name, value) in meta::path_params(op, path).unwrap_or_default() {
        if let Some(field) = op.params_in(Location::Path).find(|f| f.name == name) {
            put_text(&mut wire.path, field, &value);
        }
    }

    for (name, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if let Some(field) = op.params_in(Location::Query).find(|f| f.name == name) {
            put_text(&mut wire.query, field, &value);
        }
    }

    for field in op.params_in(Location::Header) {
        for value in headers.get_all(field.name) {
            let text = String::from_utf8_lossy(value.as_bytes());
            put_text(&mut wire.headers, field, &text);
        }
    }

    if op.is_multipart() {
        crate::multipart::parse(op, headers, body, &mut wire).map_err(|e| invalid(op, e))?;
        return Ok(wire);
    }
    if op.has_body() && !body.iter().all(u8::is_ascii_whitespace) {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| invalid(op, format!("the request body is not valid JSON: {e}")))?;
        // A body that is one value (a list, a dictionary) is the parameter.
        if let Some(whole) = op.whole_body() {
            if !value.is_null() {
                wire.body.insert(whole.name.to_owned(), value);
            }
            return Ok(wire);
        }
        match value {
            Value::Object(map) => {
                wire.body = map
                    .into_iter()
                    .filter(|(name, v)| !v.is_null() && !empty_time(op, name, v))
                    .collect();
            }
            Value::Null => {}
            other => {
                return Err(invalid(
                    op,
                    format!(
                        "the request body must be a JSON object, not {}",
                        json_kind(&other)
                    ),
                ));
            }
        }
    }
    Ok(wire)
}

/// Whether a body field is a point in time sent as an empty string: the
/// service reads that as none (an empty `startTime` starts the meeting
/// now), so it is dropped before the spec's time check would refuse it.
fn empty_time(op: &OperationMeta, name: &str, value: &Value) -> bool {
    value.as_str() == Some("")
        && op
            .param_in(Location::Body, name)
            .is_some_and(|f| f.time.is_some())
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The message of a failed check, naming the parameter.
pub(crate) fn message(err: &BuildError) -> String {
    match err {
        BuildError::Missing { parameter } => format!("missing required parameter `{parameter}`"),
        other => other.to_string(),
    }
}

/// Checks every parameter against the spec, strictly: required parameters
/// must be sent even when the spec has a default (defaults are the
/// client's), and coded values must be ones the spec lists.
pub(crate) fn check(op: &OperationMeta, wire: &WireRequest) -> Result<(), Failure> {
    for field in op.params.iter().filter(|f| f.required) {
        let missing = match field.ty {
            Type::File => !wire.files.contains_key(field.name),
            _ => wire
                .location(field.location)
                .get(field.name)
                .is_none_or(Value::is_null),
        };
        if missing {
            return Err(invalid(
                op,
                message(&BuildError::Missing {
                    parameter: field.name.to_owned(),
                }),
            ));
        }
    }
    validate(op, wire, EnumCheck::Strict).map_err(|e| invalid(op, message(&e)))
}

/// The parameter that carries the meeting ID: the one the spec marks, else
/// one called `conferenceID`.
pub(crate) fn conference_id_field(op: &OperationMeta) -> Option<&'static Field> {
    op.conference_id_param().or_else(|| {
        op.params
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case("conferenceID"))
    })
}

/// The meeting ID a request names, if any.
pub(crate) fn conference_id(op: &OperationMeta, wire: &WireRequest) -> Option<String> {
    let field = conference_id_field(op)?;
    match wire.location(field.location).get(field.name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A string parameter.
pub(crate) fn text<'a>(wire: &'a WireRequest, location: Location, name: &str) -> Option<&'a str> {
    wire.location(location).get(name)?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hwmeeting_core::meta::{Constraints, Field};

    static ITEM: Field = Field {
        name: "item",
        rust_name: "item",
        location: Location::Query,
        ty: Type::Integer,
        required: false,
        secret: false,
        conference_id: false,
        deprecated: false,
        default: None,
        enumeration: None,
        required_if: None,
        constraints: Constraints::NONE,
        time: None,
        whole_body: false,
        description: "",
    };

    #[test]
    fn text_converts_to_the_spec_type() {
        assert_eq!(convert(Type::Integer, "12"), Value::from(12));
        assert_eq!(convert(Type::Integer, "x"), Value::from("x"));
        assert_eq!(convert(Type::Boolean, "true"), Value::from(true));
        assert_eq!(convert(Type::Number, "1.5"), Value::from(1.5));
        assert_eq!(
            convert(Type::Array(&ITEM), "3"),
            Value::Array(vec![Value::from(3)])
        );
        assert_eq!(convert(Type::String, "007"), Value::from("007"));
    }
}
