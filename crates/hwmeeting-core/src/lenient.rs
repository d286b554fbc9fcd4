//! Tolerant reading of answers.
//!
//! The service (like the official SDKs, which read it loosely) does not
//! always write a field with its documented JSON type: numbers come as
//! strings (`"confTokenExpireTime": "1800"`) and strings as numbers. The
//! generated response models, and the nested models reached from them, read
//! their fields with the rules below instead of failing the whole call.
//! Requests are only ever written, so they are untouched.
//!
//! - an integer accepts a JSON integer, a float without a fraction, and a
//!   string holding either (trimmed): `"1800"`, `" 42 "`;
//! - a number accepts a JSON number and a string holding a finite one;
//! - a string accepts a number or a boolean, kept as its JSON text;
//! - a boolean accepts `0`/`1`, and the strings `"0"`/`"1"`/`"true"`/
//!   `"false"` (trimmed, any case);
//! - a coded value (enum) reads its integer or string with these rules and
//!   keeps values it does not know;
//! - a list reads each item with these rules; one unreadable item makes the
//!   list unreadable; a nested object reads its fields with these rules;
//! - an optional field that is `null` is absent; one that still cannot be
//!   read is absent too, with a `debug` event naming the field (never its
//!   value: it may be a token);
//! - a required field that is absent, `null` or unreadable fails the
//!   answer, and the error names the field by its wire name.
//!
//! No reason given here ever quotes the value read, for the same reason.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, DeserializeOwned, Deserializer, Error as _};
use serde_json::{Map, Number};

use crate::secret::Secret;

/// The JSON value [`Lenient::read`] takes (re-exported so that generated
/// code needs no `serde_json` of its own).
pub use serde_json::Value;

/// Why a value could not be read: what was expected and what kind of JSON
/// value was found, with the path inside it (`field `a`: item 2: ...`)
/// when the value is nested. It never holds the value itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable(String);

impl Unreadable {
    /// `expected` was wanted, and `found` is what the answer holds.
    fn expected(expected: &str, found: &Value) -> Unreadable {
        Unreadable(format!("expected {expected}, found {}", kind(found)))
    }

    /// A reason with free text (nested errors, already without values).
    pub fn new(reason: impl Into<String>) -> Unreadable {
        Unreadable(reason.into())
    }
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreadable {}

/// The kind of a JSON value, in words, without the value.
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

/// A type read from an answer with the tolerant rules of this module.
///
/// Implemented here for the scalar types and lists, and by the generated
/// code for the enums and models that answers contain.
pub trait Lenient: Sized {
    /// Reads a value that is present. `null` is refused: only an optional
    /// field may be `null`, and [`Object::optional`] deals with it.
    fn read(value: Value) -> Result<Self, Unreadable>;
}

/// An integer from a float that has no fraction and fits.
fn whole(f: f64) -> Option<i64> {
    // `i64::MAX as f64` rounds up to 2^63, which does not fit: `<` keeps it out.
    (f.is_finite() && f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64)
        .then_some(f as i64)
}

fn int_of_number(n: &Number) -> Option<i64> {
    n.as_i64().or_else(|| n.as_f64().and_then(whole))
}

fn int_of_text(text: &str) -> Option<i64> {
    let text = text.trim();
    text.parse::<i64>()
        .ok()
        .or_else(|| finite_of_text(text).and_then(whole))
}

/// A finite number from text; `inf` and `NaN`, which Rust parses, are not
/// numbers in JSON.
fn finite_of_text(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|f| f.is_finite())
}

impl Lenient for i64 {
    fn read(value: Value) -> Result<Self, Unreadable> {
        let found = match &value {
            Value::Number(n) => int_of_number(n),
            Value::String(s) => int_of_text(s),
            _ => None,
        };
        found.ok_or_else(|| Unreadable::expected("an integer", &value))
    }
}

impl Lenient for f64 {
    fn read(value: Value) -> Result<Self, Unreadable> {
        let found = match &value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => finite_of_text(s),
            _ => None,
        };
        found.ok_or_else(|| Unreadable::expected("a number", &value))
    }
}

impl Lenient for bool {
    fn read(value: Value) -> Result<Self, Unreadable> {
        let found = match &value {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => match n.as_i64() {
                Some(0) => Some(false),
                Some(1) => Some(true),
                _ => None,
            },
            Value::String(s) => {
                let s = s.trim();
                if s == "1" || s.eq_ignore_ascii_case("true") {
                    Some(true)
                } else if s == "0" || s.eq_ignore_ascii_case("false") {
                    Some(false)
                } else {
                    None
                }
            }
            _ => None,
        };
        found.ok_or_else(|| Unreadable::expected("a boolean", &value))
    }
}

impl Lenient for String {
    fn read(value: Value) -> Result<Self, Unreadable> {
        match value {
            Value::String(s) => Ok(s),
            // Their JSON text, as the service meant it.
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(Unreadable::expected("a string", &other)),
        }
    }
}

impl Lenient for Secret {
    fn read(value: Value) -> Result<Self, Unreadable> {
        String::read(value).map(Secret::new)
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    fn read(value: Value) -> Result<Self, Unreadable> {
        match value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| T::read(item).map_err(|e| Unreadable(format!("item {i}: {e}"))))
                .collect(),
            other => Err(Unreadable::expected("a list", &other)),
        }
    }
}

/// Reads a generated model from a JSON value with its own (tolerant)
/// `Deserialize`: what the generated `Lenient` impls of models call.
pub fn model<T: DeserializeOwned>(value: Value) -> Result<T, Unreadable> {
    T::deserialize(value).map_err(|e| Unreadable(e.to_string()))
}

/// The fields of a JSON object being read into a generated model: each
/// field is taken out by wire name, tolerantly. `E` is the error type of
/// the deserializer it came from.
pub struct Object<E> {
    fields: Map<String, Value>,
    error: PhantomData<E>,
}

impl<E> fmt::Debug for Object<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only the names: the values may be tokens.
        f.debug_list().entries(self.fields.keys()).finish()
    }
}

/// Reads a JSON object for a generated model's `Deserialize`. Anything but
/// an object fails (naming the kind of value found, not the value).
pub fn object<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Object<D::Error>, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::Object(fields) => Ok(Object {
            fields,
            error: PhantomData,
        }),
        other => Err(D::Error::custom(Unreadable::expected("an object", &other))),
    }
}

impl<E: serde::de::Error> Object<E> {
    /// The field `name`, which must be present and readable: otherwise the
    /// error names it.
    pub fn required<T: Lenient>(&mut self, name: &'static str) -> Result<T, E> {
        match self.fields.remove(name) {
            None => Err(E::missing_field(name)),
            Some(value) => {
                T::read(value).map_err(|reason| E::custom(format_args!("field `{name}`: {reason}")))
            }
        }
    }

    /// The field `name` as it came, if present (for a reader of its own).
    pub fn take(&mut self, name: &str) -> Option<Value> {
        self.fields.remove(name)
    }

    /// The field `name` read exactly, with its own `Deserialize` (a model
    /// that is not part of an answer): it must be present and of its
    /// documented JSON type, or the error names it.
    pub fn exact<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<T, E> {
        match self.fields.remove(name) {
            None => Err(E::missing_field(name)),
            Some(value) => {
                T::deserialize(value).map_err(|e| E::custom(format_args!("field `{name}`: {e}")))
            }
        }
    }

    /// Like [`exact`](Self::exact), for an optional field: `None` when it
    /// is absent or `null`.
    pub fn exact_optional<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
    ) -> Result<Option<T>, E> {
        match self.fields.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => T::deserialize(value)
                .map(Some)
                .map_err(|e| E::custom(format_args!("field `{name}`: {e}"))),
        }
    }

    /// The field `name`, or `None` when it is absent, `null`, or cannot be
    /// read; the last is logged at `debug` level, with the field's name and
    /// the reason but not its value.
    pub fn optional<T: Lenient>(&mut self, name: &'static str) -> Option<T> {
        match self.fields.remove(name)? {
            Value::Null => None,
            value => match T::read(value) {
                Ok(read) => Some(read),
                Err(reason) => {
                    tracing::debug!(
                        field = name,
                        %reason,
                        "an optional field of the answer cannot be read: taken as absent"
                    );
                    None
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read<T: Lenient>(value: Value) -> Result<T, Unreadable> {
        T::read(value)
    }

    #[test]
    fn integers_accept_numeric_strings_and_whole_floats() {
        assert_eq!(read::<i64>(json!(1800)), Ok(1800));
        assert_eq!(read::<i64>(json!("1800")), Ok(1800));
        assert_eq!(read::<i64>(json!(" 42 ")), Ok(42));
        assert_eq!(read::<i64>(json!("-7")), Ok(-7));
        assert_eq!(read::<i64>(json!(3.0)), Ok(3));
        assert_eq!(read::<i64>(json!("3.0")), Ok(3));
        for bad in [
            json!(1.5),
            json!("1.5"),
            json!("abc"),
            json!(""),
            json!(true),
            json!(null),
            json!([1]),
            json!({}),
            json!(u64::MAX),
            json!("1e300"),
            json!("inf"),
            json!("NaN"),
            json!(9.3e18),
        ] {
            let err = read::<i64>(bad.clone()).unwrap_err();
            assert!(
                err.to_string().starts_with("expected an integer"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn numbers_accept_numeric_strings() {
        assert_eq!(read::<f64>(json!(1.5)), Ok(1.5));
        assert_eq!(read::<f64>(json!(2)), Ok(2.0));
        assert_eq!(read::<f64>(json!("1.5")), Ok(1.5));
        assert_eq!(read::<f64>(json!(" 2 ")), Ok(2.0));
        for bad in [
            json!("x"),
            json!("inf"),
            json!("NaN"),
            json!(false),
            json!(null),
        ] {
            assert!(read::<f64>(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn strings_accept_numbers_and_booleans_as_their_json_text() {
        assert_eq!(read::<String>(json!("a")), Ok("a".to_owned()));
        assert_eq!(read::<String>(json!(914083136)), Ok("914083136".to_owned()));
        assert_eq!(read::<String>(json!(1.5)), Ok("1.5".to_owned()));
        assert_eq!(read::<String>(json!(true)), Ok("true".to_owned()));
        assert_eq!(read::<Secret>(json!(42)).unwrap().expose(), "42");
        for bad in [json!(null), json!([]), json!({})] {
            assert!(read::<String>(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn booleans_accept_zero_one_and_their_strings() {
        for (value, expected) in [
            (json!(true), true),
            (json!(false), false),
            (json!(1), true),
            (json!(0), false),
            (json!("1"), true),
            (json!("0"), false),
            (json!("true"), true),
            (json!(" FALSE "), false),
        ] {
            assert_eq!(read::<bool>(value.clone()), Ok(expected), "{value}");
        }
        for bad in [
            json!(2),
            json!(-1),
            json!(0.5),
            json!("yes"),
            json!(""),
            json!(null),
        ] {
            assert!(read::<bool>(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn lists_read_each_item_and_fail_on_one_bad_item() {
        assert_eq!(read::<Vec<i64>>(json!([1, "2", " 3 "])), Ok(vec![1, 2, 3]));
        assert_eq!(read::<Vec<String>>(json!([])), Ok(vec![]));
        let err = read::<Vec<i64>>(json!([1, "x"])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "item 1: expected an integer, found a string"
        );
        assert!(read::<Vec<i64>>(json!("1,2")).is_err());
    }

    #[test]
    fn reasons_never_quote_the_value() {
        let err = read::<i64>(json!("secret-token-value")).unwrap_err();
        assert!(!err.to_string().contains("secret-token-value"), "{err}");
        let err = object::<Value>(json!("secret-token-value")).unwrap_err();
        assert!(!err.to_string().contains("secret-token-value"), "{err}");
        assert_eq!(err.to_string(), "expected an object, found a string");
    }

    fn fields(value: Value) -> Object<serde_json::Error> {
        object(value).unwrap()
    }

    #[test]
    fn a_required_field_that_cannot_be_read_fails_naming_it() {
        let mut o = fields(json!({"expireTime": "soon", "n": null}));
        let err = o.required::<i64>("expireTime").unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `expireTime`: expected an integer, found a string"
        );
        let err = o.required::<i64>("n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `n`: expected an integer, found null"
        );
        let err = o.required::<i64>("absent").unwrap_err();
        assert_eq!(err.to_string(), "missing field `absent`");
    }

    #[test]
    fn an_optional_field_that_cannot_be_read_is_absent() {
        let mut o = fields(json!({"a": "soon", "b": null, "c": "7", "d": [1, "x"]}));
        assert_eq!(o.optional::<i64>("a"), None);
        assert_eq!(o.optional::<i64>("b"), None);
        assert_eq!(o.optional::<i64>("c"), Some(7));
        assert_eq!(o.optional::<Vec<i64>>("d"), None);
        assert_eq!(o.optional::<i64>("absent"), None);
    }

    #[test]
    fn exact_fields_keep_their_json_types_and_name_the_field() {
        let mut o = fields(json!({"n": "7", "m": 7, "o": null, "p": "x"}));
        let err = o.exact::<i64>("n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `n`: invalid type: string \"7\", expected i64"
        );
        assert_eq!(o.exact::<i64>("m").unwrap(), 7);
        assert_eq!(
            o.exact::<i64>("absent").unwrap_err().to_string(),
            "missing field `absent`"
        );
        assert_eq!(o.exact_optional::<i64>("o").unwrap(), None);
        assert_eq!(o.exact_optional::<i64>("absent").unwrap(), None);
        let err = o.exact_optional::<i64>("p").unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `p`: invalid type: string \"x\", expected i64"
        );
    }

    #[test]
    fn debug_shows_names_only() {
        let o = fields(json!({"token": "secret-token-value"}));
        assert_eq!(format!("{o:?}"), r#"["token"]"#);
    }
}
