//! Checks a request's parameters against the spec: presence, types,
//! lengths, ranges, item counts, enum values and conditional requirements.
//! The same code runs in the SDK before a byte is sent and in the simulator
//! on what arrives.

use std::fmt;

use serde_json::{Map, Value};

use crate::error::BuildError;
use crate::meta::{Field, Location, OperationMeta, Type};
use crate::wire::WireRequest;

/// How to treat a coded value the spec does not list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnumCheck {
    /// Accept it: the service may know values this SDK does not yet (the
    /// typed `Unknown` variants).
    Lenient,
    /// Refuse it, naming the parameter and the allowed values.
    Strict,
}

/// Checks every parameter of a request against the operation's spec.
pub fn validate(
    meta: &OperationMeta,
    wire: &WireRequest,
    enums: EnumCheck,
) -> Result<(), BuildError> {
    for location in [
        Location::Path,
        Location::Query,
        Location::Header,
        Location::Body,
        Location::Form,
    ] {
        let map = wire.location(location);
        let values = meta
            .params_in(location)
            .filter(|p| !matches!(p.ty, Type::File));
        check_fields(values, map, None, enums, location)?;
    }
    for field in meta.params.iter().filter(|p| matches!(p.ty, Type::File)) {
        if wire
            .location(field.location)
            .get(field.name)
            .is_some_and(|v| !v.is_null())
        {
            return Err(BuildError::Invalid {
                parameter: field.name.to_owned(),
                reason: "is a file: give it as a file part, not as a JSON value".into(),
            });
        }
        match wire.files.get(field.name) {
            Some(part) => part.check(field.name, max_file_bytes(field))?,
            None if field.required => {
                return Err(BuildError::Missing {
                    parameter: field.name.to_owned(),
                });
            }
            None => {}
        }
    }
    if let Some(name) = wire.files.keys().find(|name| {
        !meta
            .params
            .iter()
            .any(|p| matches!(p.ty, Type::File) && p.name == name.as_str())
    }) {
        return Err(BuildError::Invalid {
            parameter: name.clone(),
            reason: "is not a file parameter of this operation".into(),
        });
    }
    Ok(())
}

/// The most bytes a file parameter may have: the spec's limit, or
/// [`DEFAULT_MAX_FILE_BYTES`](crate::upload::DEFAULT_MAX_FILE_BYTES).
pub fn max_file_bytes(field: &Field) -> u64 {
    field
        .constraints
        .max_bytes
        .unwrap_or(crate::upload::DEFAULT_MAX_FILE_BYTES)
}

/// Where a value sits (`items[2].name`), written out only for an error:
/// a valid request is checked without building any name.
#[derive(Clone, Copy)]
enum Name<'a> {
    Field(Option<&'a Name<'a>>, &'a str),
    Item(&'a Name<'a>, usize),
}

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Name::Field(None, name) => f.write_str(name),
            Name::Field(Some(parent), name) => write!(f, "{parent}.{name}"),
            Name::Item(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

fn check_fields<'f>(
    fields: impl Iterator<Item = &'f Field>,
    map: &Map<String, Value>,
    parent: Option<&Name<'_>>,
    enums: EnumCheck,
    location: Location,
) -> Result<(), BuildError> {
    for field in fields {
        let name = Name::Field(parent, field.name);
        match map.get(field.name).filter(|v| !v.is_null()) {
            None => {
                if field.required && field.default.is_none() {
                    return Err(BuildError::Missing {
                        parameter: name.to_string(),
                    });
                }
                if let Some(cond) = field.required_if {
                    let sibling = map.get(cond.parameter);
                    if sibling.is_some_and(|v| cond.equals.matches(v)) {
                        return Err(BuildError::RequiredIf {
                            parameter: name.to_string(),
                            condition: format!(
                                "{} = {}",
                                Name::Field(parent, cond.parameter),
                                cond.equals
                            ),
                        });
                    }
                }
            }
            Some(value) => check_value(field, value, &name, enums, location)?,
        }
    }
    Ok(())
}

/// The most bytes one path or query value may take in the URL, once
/// percent-encoded. An HTTP URL holds at most 65,534 bytes (and gateways
/// often far fewer): past this, the parameter at fault is named instead of
/// the URL failing as a whole.
pub const MAX_URL_VALUE: usize = 16 * 1024;

/// The length of `s` once percent-encoded (unreserved bytes stay as they
/// are, every other byte takes three).
pub fn url_encoded_len(s: &str) -> usize {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                1
            } else {
                3
            }
        })
        .sum()
}

/// The length of a list's items in the URL, once percent-encoded, with a
/// separator each (however the list is written: `a,b` or `x=a&x=b`, this
/// is the least it takes).
pub fn url_list_len(list: &[Value]) -> usize {
    list.iter()
        .map(|item| match item {
            Value::String(s) => url_encoded_len(s),
            other => url_encoded_len(&other.to_string()),
        } + 1)
        .sum()
}

fn invalid(parameter: &Name<'_>, reason: impl Into<String>) -> BuildError {
    BuildError::Invalid {
        parameter: parameter.to_string(),
        reason: reason.into(),
    }
}

fn check_value(
    field: &Field,
    value: &Value,
    name: &Name<'_>,
    enums: EnumCheck,
    location: Location,
) -> Result<(), BuildError> {
    let c = &field.constraints;
    match field.ty {
        Type::String => {
            let s = value
                .as_str()
                .ok_or_else(|| invalid(name, format!("expected a string, got {}", kind(value))))?;
            let len = s.chars().count() as u64;
            if let Some(min) = c.min_length
                && len < min
            {
                return Err(invalid(
                    name,
                    if len == 0 {
                        "must not be empty".to_owned()
                    } else {
                        format!("must be at least {min} characters long, got {len}")
                    },
                ));
            }
            if let Some(max) = c.max_length
                && len > max
            {
                return Err(invalid(
                    name,
                    format!("must be at most {max} characters long, got {len}"),
                ));
            }
            if matches!(
                location,
                Location::Header | Location::Path | Location::Query
            ) && s.is_empty()
                && field.required
            {
                return Err(invalid(name, "must not be empty"));
            }
            if location == Location::Header {
                if let Some(bad) = s.chars().find(|ch| matches!(ch, '\r' | '\n' | '\0')) {
                    let what = match bad {
                        '\r' => "a carriage return (CR)",
                        '\n' => "a line feed (LF)",
                        _ => "a NUL character",
                    };
                    return Err(invalid(
                        name,
                        format!("contains {what}, which cannot travel in an HTTP header"),
                    ));
                }
                if s.chars().any(|ch| ch.is_control() && ch != '\t') {
                    return Err(invalid(
                        name,
                        "contains a control character, which cannot travel in an HTTP header",
                    ));
                }
            }
            if matches!(location, Location::Path | Location::Query)
                && url_encoded_len(s) > MAX_URL_VALUE
            {
                return Err(invalid(
                    name,
                    format!(
                        "is too long to travel in the URL: {} bytes once percent-encoded, at most {MAX_URL_VALUE}",
                        url_encoded_len(s)
                    ),
                ));
            }
            if let Some(format) = field.time {
                crate::time::check_text(format, s).map_err(|e| invalid(name, e.to_string()))?;
            }
        }
        Type::Integer => {
            let n = if let Some(i) = value.as_i64() {
                i as f64
            } else if let Some(u) = value.as_u64() {
                u as f64
            } else {
                return Err(invalid(
                    name,
                    format!("expected an integer, got {}", kind(value)),
                ));
            };
            check_range(n, c.minimum, c.maximum, name)?;
            if let Some(format) = field.time {
                let whole = value.as_i64().unwrap_or(i64::MAX);
                crate::time::check_int(format, whole).map_err(|e| invalid(name, e.to_string()))?;
            }
        }
        Type::Number => {
            let n = value
                .as_f64()
                .ok_or_else(|| invalid(name, format!("expected a number, got {}", kind(value))))?;
            check_range(n, c.minimum, c.maximum, name)?;
        }
        Type::Boolean => {
            if !value.is_boolean() {
                return Err(invalid(
                    name,
                    format!("expected true or false, got {}", kind(value)),
                ));
            }
        }
        Type::Array(items) => {
            let list = value
                .as_array()
                .ok_or_else(|| invalid(name, format!("expected a list, got {}", kind(value))))?;
            let n = list.len() as u64;
            if let Some(min) = c.min_items
                && n < min
            {
                return Err(invalid(
                    name,
                    if n == 0 {
                        format!(
                            "must not be empty: give at least {min} item{}",
                            if min == 1 { "" } else { "s" }
                        )
                    } else {
                        format!("must have at least {min} items, got {n}")
                    },
                ));
            }
            if let Some(max) = c.max_items
                && n > max
            {
                return Err(invalid(
                    name,
                    format!("must have at most {max} items, got {n}"),
                ));
            }
            if matches!(location, Location::Path | Location::Query)
                && url_list_len(list) > MAX_URL_VALUE
            {
                return Err(invalid(
                    name,
                    format!(
                        "is too long to travel in the URL: {} items, {} bytes once percent-encoded, at most {MAX_URL_VALUE}",
                        list.len(),
                        url_list_len(list)
                    ),
                ));
            }
            for (i, item) in list.iter().enumerate() {
                let item_name = Name::Item(name, i);
                if item.is_null() {
                    return Err(invalid(&item_name, "must not be null"));
                }
                check_value(items, item, &item_name, enums, location)?;
            }
        }
        Type::Object(object) => {
            let map = value
                .as_object()
                .ok_or_else(|| invalid(name, format!("expected an object, got {}", kind(value))))?;
            check_fields(object.fields.iter(), map, Some(name), enums, location)?;
        }
        Type::Map(values) => {
            let map = value
                .as_object()
                .ok_or_else(|| invalid(name, format!("expected an object, got {}", kind(value))))?;
            for (key, item) in map {
                let item_name = Name::Field(Some(name), key);
                if item.is_null() {
                    return Err(invalid(&item_name, "must not be null"));
                }
                check_value(values, item, &item_name, enums, location)?;
            }
        }
        Type::File => {
            return Err(invalid(
                name,
                "is a file: give it as a file part, not as a JSON value",
            ));
        }
    }
    if let (Some(e), EnumCheck::Strict) = (field.enumeration, enums)
        && !e.values.iter().any(|v| v.value.matches(value))
    {
        let allowed: Vec<String> = e
            .values
            .iter()
            .map(|v| format!("{} ({})", v.value, v.name))
            .collect();
        return Err(invalid(
            name,
            format!(
                "{} is not one of the allowed values: {}",
                shown_value(value),
                allowed.join(", ")
            ),
        ));
    }
    Ok(())
}

/// A value as an error shows it: at most 64 characters of it, so a huge
/// input does not make a huge message.
fn shown_value(value: &Value) -> String {
    const MAX: usize = 64;
    let text = value.to_string();
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}… ({} characters)", &text[..at], text.chars().count()),
        None => text,
    }
}

fn check_range(
    n: f64,
    min: Option<f64>,
    max: Option<f64>,
    name: &Name<'_>,
) -> Result<(), BuildError> {
    if let Some(min) = min
        && n < min
    {
        return Err(invalid(name, format!("must be at least {min}, got {n}")));
    }
    if let Some(max) = max
        && n > max
    {
        return Err(invalid(name, format!("must be at most {max}, got {n}")));
    }
    Ok(())
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
