//! Flag values → JSON values, by the parameter's type in the spec.
//!
//! - strings as they are; integers and numbers parsed; booleans `true` /
//!   `false` (also `1`/`0`, `yes`/`no`);
//! - coded values (enums) by value or by name (`--apply-chair apply` or
//!   `--apply-chair 1`), strictly: anything else is a usage error listing
//!   the allowed values;
//! - lists of scalars comma-separated and/or repeated (the parser sees one
//!   item at a time);
//! - nested objects and lists of objects as JSON text, or `@file.json`.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use clap::{Arg, Command};
use hwmeeting_core::meta::{EnumMeta, Field, Literal, Type};
use serde_json::Value;

/// The JSON type a flag's value is parsed into.
#[derive(Clone, Copy, Debug)]
pub enum ValueKind {
    /// A scalar of this type, with its coded values if any.
    Scalar {
        /// The scalar type (`String`, `Integer`, `Number` or `Boolean`).
        ty: Type,
        /// The coded values.
        enumeration: Option<&'static EnumMeta>,
    },
    /// JSON text (or `@file`) that must be an object.
    JsonObject,
    /// JSON text (or `@file`) that must be a list (a list of objects), or
    /// one object to add to the list.
    JsonArray,
    /// The path of a file to upload.
    FilePath,
}

impl ValueKind {
    /// How a parameter's flag value is parsed. For a list of scalars this
    /// is the kind of one item.
    pub fn of(field: &Field) -> ValueKind {
        match field.ty {
            Type::Array(item) if is_scalar(&item.ty) => ValueKind::Scalar {
                ty: item.ty,
                enumeration: item.enumeration,
            },
            Type::Array(_) => ValueKind::JsonArray,
            Type::Object(_) | Type::Map(_) => ValueKind::JsonObject,
            Type::File => ValueKind::FilePath,
            ty => ValueKind::Scalar {
                ty,
                enumeration: field.enumeration,
            },
        }
    }
}

/// Whether a type is a scalar (string, integer, number, boolean).
pub fn is_scalar(ty: &Type) -> bool {
    matches!(
        ty,
        Type::String | Type::Integer | Type::Number | Type::Boolean
    )
}

/// Whether the field is a list of scalars (comma-separated / repeated flag).
pub fn is_scalar_list(field: &Field) -> bool {
    matches!(field.ty, Type::Array(item) if is_scalar(&item.ty))
}

/// The clap value parser of one flag: text in, JSON out.
#[derive(Clone, Debug)]
pub struct JsonValueParser {
    kind: ValueKind,
    secret: bool,
}

impl JsonValueParser {
    /// A parser for values of this kind; a secret value is never echoed in
    /// an error message.
    pub fn new(kind: ValueKind, secret: bool) -> Self {
        JsonValueParser { kind, secret }
    }
}

/// The allowed values of an enum, for messages: `1 (apply), 0 (relinquish)`.
pub fn allowed_values(e: &EnumMeta) -> String {
    e.values
        .iter()
        .map(|v| format!("{} ({})", literal_text(v.value), v.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A literal as it is typed on the command line (strings unquoted).
pub fn literal_text(l: Literal) -> String {
    match l {
        Literal::Str(s) => s.to_owned(),
        other => other.to_string(),
    }
}

/// Parses one flag value of a scalar type (with coded values, by value or
/// name). The error is the reason, without the flag name.
pub fn parse_scalar(
    text: &str,
    ty: Type,
    enumeration: Option<&'static EnumMeta>,
) -> Result<Value, String> {
    if let Some(e) = enumeration {
        let wanted = text.trim();
        let by_name = e.values.iter().find(|v| {
            v.name == wanted
                || v.name.replace('_', "-") == wanted
                || v.name.eq_ignore_ascii_case(wanted)
        });
        let by_value = e.values.iter().find(|v| literal_text(v.value) == wanted);
        return match by_value.or(by_name) {
            Some(v) => Ok(v.value.to_json()),
            None => Err(format!("allowed values: {}", allowed_values(e))),
        };
    }
    match ty {
        Type::String => Ok(Value::String(text.to_owned())),
        Type::Integer => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| "expected a whole number".to_owned()),
        Type::Number => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| "expected a number".to_owned()),
        Type::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(Value::Bool(true)),
            "false" | "0" | "no" | "off" => Ok(Value::Bool(false)),
            _ => Err("expected true or false".to_owned()),
        },
        Type::Array(_) | Type::Object(_) | Type::Map(_) => parse_json(text),
        Type::File => Ok(Value::String(text.to_owned())),
    }
}

/// Parses JSON text, or the contents of a file given as `@path`.
pub fn parse_json(text: &str) -> Result<Value, String> {
    let (source, json) = match text.strip_prefix('@') {
        Some(path) => {
            let json = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read the file `{path}`: {e}"))?;
            (format!("the JSON in `{path}`"), json)
        }
        None => ("the JSON".to_owned(), text.to_owned()),
    };
    serde_json::from_str(&json).map_err(|e| format!("{source} is not valid: {e}"))
}

impl TypedValueParser for JsonValueParser {
    type Value = Value;

    fn parse_ref(
        &self,
        cmd: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<Value, clap::Error> {
        let text = value
            .to_str()
            .ok_or_else(|| clap::Error::new(ErrorKind::InvalidUtf8).with_cmd(cmd))?;
        let parsed = match self.kind {
            ValueKind::Scalar { ty, enumeration } => parse_scalar(text, ty, enumeration),
            ValueKind::JsonObject => parse_json(text).and_then(|v| match v {
                Value::Object(_) => Ok(v),
                _ => Err("expected a JSON object ({...})".to_owned()),
            }),
            ValueKind::JsonArray => parse_json(text).and_then(|v| match v {
                Value::Array(_) | Value::Object(_) => Ok(v),
                _ => Err("expected a JSON list ([...]) or object ({...})".to_owned()),
            }),
            // Opened when the call is sent: a missing file is an error
            // that names the flag then.
            ValueKind::FilePath if text.is_empty() => Err("expected the path of a file".to_owned()),
            ValueKind::FilePath => Ok(Value::String(text.to_owned())),
        };
        parsed.map_err(|reason| {
            invalid_value(cmd, arg, if self.secret { "***" } else { text }, &reason)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        let ValueKind::Scalar {
            enumeration: Some(e),
            ..
        } = self.kind
        else {
            return None;
        };
        Some(Box::new(e.values.iter().flat_map(|v| {
            [
                PossibleValue::new(v.name).help(v.description),
                PossibleValue::new(literal_text(v.value)).help(v.description),
            ]
        })))
    }
}

/// A clap "invalid value" error naming the flag (exit code 2).
fn invalid_value(cmd: &Command, arg: Option<&Arg>, shown: &str, reason: &str) -> clap::Error {
    let flag = arg
        .map(ToString::to_string)
        .unwrap_or_else(|| "...".to_owned());
    clap::Error::raw(
        ErrorKind::ValueValidation,
        format!("invalid value '{shown}' for '{flag}': {reason}\n"),
    )
    .with_cmd(cmd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hwmeeting_core::meta::EnumValue;

    static APPLY: EnumMeta = EnumMeta {
        rust_name: "ApplyChair",
        values: &[
            EnumValue {
                value: Literal::Int(1),
                name: "apply",
                description: "Make the participant the host.",
            },
            EnumValue {
                value: Literal::Int(0),
                name: "relinquish",
                description: "The host gives the role up.",
            },
        ],
    };

    #[test]
    fn enums_by_value_or_name() {
        let p = |t| parse_scalar(t, Type::Integer, Some(&APPLY));
        assert_eq!(p("apply").unwrap(), Value::from(1));
        assert_eq!(p("1").unwrap(), Value::from(1));
        assert_eq!(p("relinquish").unwrap(), Value::from(0));
        let e = p("2").unwrap_err();
        assert_eq!(e, "allowed values: 1 (apply), 0 (relinquish)");
        assert!(p("host").is_err());
    }

    #[test]
    fn scalars() {
        assert_eq!(
            parse_scalar("42", Type::Integer, None).unwrap(),
            Value::from(42)
        );
        assert!(parse_scalar("4.2", Type::Integer, None).is_err());
        assert_eq!(
            parse_scalar("4.5", Type::Number, None).unwrap(),
            Value::from(4.5)
        );
        assert_eq!(
            parse_scalar("yes", Type::Boolean, None).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            parse_scalar(" x ", Type::String, None).unwrap(),
            Value::from(" x ")
        );
    }

    #[test]
    fn json_and_files() {
        assert_eq!(parse_json(r#"{"a":1}"#).unwrap()["a"], 1);
        assert!(parse_json("{nope").unwrap_err().contains("not valid"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        std::fs::write(&path, r#"{"b":[1,2]}"#).unwrap();
        let v = parse_json(&format!("@{}", path.display())).unwrap();
        assert_eq!(v["b"][1], 2);
        assert!(
            parse_json("@/no/such/file")
                .unwrap_err()
                .contains("cannot read")
        );
    }
}
