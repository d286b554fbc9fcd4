//! Typed requests built straight from their fields, without the wire form.
//!
//! The wire form ([`WireRequest`]) holds every parameter as a
//! `serde_json::Value` under a `String` key: about ten allocations per call
//! before a byte is written, which is most of what the SDK costs over a
//! hand-written call when a thousand calls are in flight (BENCHMARKS.md).
//! A generated request lends its parameters as [`ParamView`]s instead,
//! in the order of its spec's `params`: that one list is also where its
//! wire form comes from ([`wire`], the default
//! [`Operation::to_wire`](crate::operation::Operation::to_wire)). When they
//! are all scalars, or lists of scalars, [`accepts`] checks them and
//! [`build`] writes the request from them, with no copy; a nested object
//! ([`ParamView::Json`]) always takes the wire form.
//!
//! This is a fast path, not a second set of rules: [`accepts`] only says
//! yes to what [`validate`](crate::validate::validate) accepts, and says no
//! (the call then takes the wire form, which names the problem) to
//! anything it is not sure of: a missing parameter, a default to fill in,
//! a value out of its limits. [`build`] writes the same bytes as
//! [`build_request`](crate::request::build_request); tests compare the two.

use std::fmt::Write as _;

use crate::auth::{Credential, credential_header};
use crate::endpoint::Endpoint;
use crate::error::BuildError;
use crate::meta::{Auth, Field, Literal, Location, OperationMeta, Type};
use crate::request::{ENCODE, HttpRequest, header_name, header_value};
use crate::secret::Secret;
use crate::upload::FilePart;
use crate::wire::WireRequest;
use percent_encoding::utf8_percent_encode;
use serde::Serialize;
use serde_json::Value;

/// The most parameters an operation may have for the fast path.
pub const MAX_PARAMS: usize = 32;

/// One scalar value, borrowed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar<'a> {
    /// A string.
    Str(&'a str),
    /// A whole number.
    Int(i64),
    /// A boolean.
    Bool(bool),
}

/// A type whose values are scalars on the wire: strings, secrets, whole
/// numbers, booleans and the generated coded values.
pub trait ScalarParam {
    /// The value as it goes on the wire.
    fn scalar(&self) -> Scalar<'_>;
}

impl ScalarParam for String {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Str(self)
    }
}

impl ScalarParam for Secret {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Str(self.expose())
    }
}

impl ScalarParam for i64 {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Int(*self)
    }
}

impl ScalarParam for bool {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Bool(*self)
    }
}

/// A list of scalars, read one by one.
pub trait ScalarList {
    /// How many items.
    fn count(&self) -> usize;
    /// The item at `index` (below [`count`](Self::count)).
    fn item(&self, index: usize) -> Scalar<'_>;
}

impl<T: ScalarParam> ScalarList for Vec<T> {
    fn count(&self) -> usize {
        self.len()
    }

    fn item(&self, index: usize) -> Scalar<'_> {
        self[index].scalar()
    }
}

impl Scalar<'_> {
    /// The value as JSON, as `serde_json` serializes it.
    pub fn to_json(self) -> Value {
        match self {
            Scalar::Str(s) => Value::from(s),
            Scalar::Int(n) => Value::from(n),
            Scalar::Bool(b) => Value::from(b),
        }
    }
}

/// A value that is not a scalar on the wire (a nested object, a list of
/// objects, a fractional number), serialized as the wire form holds it.
pub trait ToJson {
    /// The value as JSON: `serde_json::to_value`, null when it cannot be
    /// serialized (as [`WireRequest::set`] reads it).
    fn to_json(&self) -> Value;
}

impl<T: Serialize + ?Sized> ToJson for T {
    fn to_json(&self) -> Value {
        // Our generated types hold only strings, numbers, booleans, lists
        // and string-keyed objects: this cannot fail for them.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// A parameter of a typed request, borrowed.
#[derive(Clone, Copy)]
pub enum ParamView<'a> {
    /// Not set.
    Absent,
    /// A scalar.
    One(Scalar<'a>),
    /// A list of scalars.
    List(&'a dyn ScalarList),
    /// Anything else, serialized when the wire form is built; the fast
    /// path declines it.
    Json(&'a dyn ToJson),
    /// A file part of an upload; it always takes the wire form.
    File(&'a FilePart),
}

impl<'a> ParamView<'a> {
    /// A file that is always set.
    pub fn file(value: &'a FilePart) -> Self {
        ParamView::File(value)
    }

    /// An optional file.
    pub fn opt_file(value: &'a Option<FilePart>) -> Self {
        value.as_ref().map_or(ParamView::Absent, ParamView::File)
    }

    /// A parameter that is always set.
    pub fn one<T: ScalarParam>(value: &'a T) -> Self {
        ParamView::One(value.scalar())
    }

    /// An optional parameter.
    pub fn opt<T: ScalarParam>(value: &'a Option<T>) -> Self {
        value
            .as_ref()
            .map_or(ParamView::Absent, |v| ParamView::One(v.scalar()))
    }

    /// A list that is always set.
    // A `Vec`, not a slice: a slice cannot be lent as a trait object.
    #[allow(clippy::ptr_arg)]
    pub fn list<T: ScalarParam>(value: &'a Vec<T>) -> Self {
        ParamView::List(value)
    }

    /// An optional list.
    pub fn opt_list<T: ScalarParam>(value: &'a Option<Vec<T>>) -> Self {
        value
            .as_ref()
            .map_or(ParamView::Absent, |v| ParamView::List(v))
    }

    /// A value of any other type that is always set.
    pub fn json<T: Serialize>(value: &'a T) -> Self {
        ParamView::Json(value)
    }

    /// An optional value of any other type.
    pub fn opt_json<T: Serialize>(value: &'a Option<T>) -> Self {
        value
            .as_ref()
            .map_or(ParamView::Absent, |v| ParamView::Json(v))
    }

    /// The value as the wire form holds it; `None` when it is not set (or
    /// is JSON null, which the wire form leaves out too).
    pub fn to_json(&self) -> Option<Value> {
        let value = match self {
            ParamView::Absent | ParamView::File(_) => return None,
            ParamView::One(value) => value.to_json(),
            ParamView::List(list) => {
                Value::Array((0..list.count()).map(|i| list.item(i).to_json()).collect())
            }
            ParamView::Json(value) => value.to_json(),
        };
        (!value.is_null()).then_some(value)
    }
}

/// The parameters of a typed request, in the order of its spec's
/// `params`.
pub struct Views<'a> {
    items: [ParamView<'a>; MAX_PARAMS],
    len: usize,
}

impl<'a> Views<'a> {
    /// The views of `params` (`None` past [`MAX_PARAMS`]).
    pub fn new(params: &[ParamView<'a>]) -> Option<Self> {
        if params.len() > MAX_PARAMS {
            return None;
        }
        let mut items = [ParamView::Absent; MAX_PARAMS];
        items[..params.len()].copy_from_slice(params);
        Some(Views {
            items,
            len: params.len(),
        })
    }

    /// The views, in spec order.
    pub fn as_slice(&self) -> &[ParamView<'a>] {
        &self.items[..self.len]
    }
}

/// The wire form of `views`: each set parameter under its location and
/// wire name, the spec's `params` and `views` taken pairwise.
pub fn wire(meta: &OperationMeta, views: &Views<'_>) -> WireRequest {
    let mut wire = WireRequest::new();
    for (field, view) in meta.params.iter().zip(views.as_slice()) {
        if let ParamView::File(file) = view {
            wire.files.insert(field.name.to_owned(), (*file).clone());
        } else if let Some(value) = view.to_json() {
            wire.location_mut(field.location)
                .insert(field.name.to_owned(), value);
        }
    }
    wire
}

/// Whether an operation can take the fast path at all: its credential is a
/// token or nothing (the logins sign parameters of the wire form).
pub fn supported(meta: &OperationMeta) -> bool {
    matches!(
        meta.auth,
        Auth::None | Auth::AccessToken { .. } | Auth::ConferenceToken { .. }
    ) && !meta.is_multipart()
}

/// Whether `views` are a request [`validate`](crate::validate::validate)
/// accepts with lenient coded values, and that needs no default filled in.
/// `false` means "take the wire form", not "invalid": always so when a
/// parameter is a [`ParamView::Json`].
pub fn accepts(meta: &OperationMeta, views: &Views<'_>) -> bool {
    let views = views.as_slice();
    if views.len() != meta.params.len() {
        return false;
    }
    meta.params
        .iter()
        .zip(views)
        .all(|(field, view)| match view {
            ParamView::Absent => {
                field.default.is_none()
                    && !field.required
                    && field.required_if.is_none_or(|cond| {
                        let sibling = meta
                            .params
                            .iter()
                            .position(|p| p.name == cond.parameter && p.location == field.location);
                        match sibling.map(|i| views[i]) {
                            None | Some(ParamView::Absent) => true,
                            Some(ParamView::One(value)) => !literal_matches(cond.equals, value),
                            Some(ParamView::List(_) | ParamView::Json(_) | ParamView::File(_)) => {
                                false
                            }
                        }
                    })
            }
            ParamView::One(value) => scalar_ok(field, *value),
            ParamView::List(list) => {
                let Type::Array(items) = field.ty else {
                    return false;
                };
                let n = list.count() as u64;
                field.location == Location::Body
                    && field.constraints.min_items.is_none_or(|min| n >= min)
                    && field.constraints.max_items.is_none_or(|max| n <= max)
                    && (0..list.count()).all(|i| scalar_ok(items, list.item(i)))
            }
            ParamView::Json(_) | ParamView::File(_) => false,
        })
}

fn literal_matches(literal: Literal, value: Scalar<'_>) -> bool {
    match (literal, value) {
        (Literal::Int(a), Scalar::Int(b)) => a == b,
        (Literal::Str(a), Scalar::Str(b)) => a == b,
        (Literal::Bool(a), Scalar::Bool(b)) => a == b,
        _ => false,
    }
}

/// The checks of `validate` for one scalar, answered yes or no.
fn scalar_ok(field: &Field, value: Scalar<'_>) -> bool {
    let c = &field.constraints;
    match (field.ty, value) {
        (Type::String, Scalar::Str(s)) => {
            let len = s.chars().count() as u64;
            c.min_length.is_none_or(|min| len >= min)
                && c.max_length.is_none_or(|max| len <= max)
                && !(field.location != Location::Body && s.is_empty() && field.required)
                && !(field.location == Location::Header
                    && s.chars().any(|ch| ch.is_control() && ch != '\t'))
                && !(matches!(field.location, Location::Path | Location::Query)
                    && crate::validate::url_encoded_len(s) > crate::validate::MAX_URL_VALUE)
                && field
                    .time
                    .is_none_or(|format| crate::time::check_text(format, s).is_ok())
        }
        (Type::Integer, Scalar::Int(n)) => {
            let whole = n;
            let n = n as f64;
            c.minimum.is_none_or(|min| n >= min)
                && c.maximum.is_none_or(|max| n <= max)
                && field
                    .time
                    .is_none_or(|format| crate::time::check_int(format, whole).is_ok())
        }
        (Type::Boolean, Scalar::Bool(_)) => true,
        _ => false,
    }
}

/// Writes the HTTP request of `views` (which [`accepts`] said yes to):
/// the same bytes as [`build_request`](crate::request::build_request) of
/// the wire form.
pub fn build(
    meta: &OperationMeta,
    endpoint: &Endpoint,
    views: &Views<'_>,
    credential: Credential<'_>,
) -> Result<HttpRequest, BuildError> {
    let views = views.as_slice();
    if let Some((field, _)) = meta
        .params
        .iter()
        .zip(views)
        .find(|(_, view)| matches!(view, ParamView::Json(_) | ParamView::File(_)))
    {
        return Err(BuildError::Invalid {
            parameter: field.name.to_owned(),
            reason: "a nested value takes the wire form".into(),
        });
    }
    let method = http::Method::from_bytes(meta.method.as_bytes())
        .map_err(|e| BuildError::Url(format!("method `{}`: {e}", meta.method)))?;
    let view_of = |location: Location, name: &str| {
        meta.params
            .iter()
            .position(|p| p.location == location && p.name == name)
            .map_or(ParamView::Absent, |i| views[i])
    };
    let mut url = String::with_capacity(endpoint.as_str().len() + meta.path.len() + 96);
    url.push_str(endpoint.as_str());
    for segment in meta.path.split('/').filter(|s| !s.is_empty()) {
        url.push('/');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => match view_of(Location::Path, name) {
                ParamView::One(value) => push_encoded(&mut url, value),
                _ => {
                    return Err(BuildError::Missing {
                        parameter: name.to_owned(),
                    });
                }
            },
            None => url.push_str(segment),
        }
    }
    let mut first = true;
    let mut query = |url: &mut String, name: &str, value: Scalar<'_>| {
        url.push(if first { '?' } else { '&' });
        first = false;
        url.extend(utf8_percent_encode(name, ENCODE));
        url.push('=');
        push_encoded(url, value);
    };
    for (field, view) in meta.params.iter().zip(views) {
        if field.location != Location::Query {
            continue;
        }
        match view {
            // `Json` and `File` were refused above.
            ParamView::Absent | ParamView::Json(_) | ParamView::File(_) => {}
            ParamView::One(value) => query(&mut url, field.name, *value),
            ParamView::List(list) => {
                for i in 0..list.count() {
                    query(&mut url, field.name, list.item(i));
                }
            }
        }
    }

    let mut headers = http::HeaderMap::with_capacity(4);
    for (field, view) in meta.params.iter().zip(views) {
        if field.location != Location::Header {
            continue;
        }
        if let ParamView::One(value) = view {
            let mut text = String::new();
            let text = scalar_text(*value, &mut text);
            headers.append(
                header_name(field.name)?,
                header_value(meta, field.name, text)?,
            );
        }
    }
    if let Some((name, value)) = credential_header(meta, &WireRequest::new(), credential)? {
        let mut value = header_value(meta, name, value.expose())?;
        value.set_sensitive(true);
        headers.insert(header_name(name)?, value);
    }
    let body = if meta.has_body() {
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        body_json(meta, views)?
    } else {
        Vec::new()
    };
    Ok(HttpRequest {
        method,
        url,
        headers,
        body,
        upload: None,
    })
}

/// The body: the set body parameters in the order of their names (the
/// wire form's map is sorted), compact JSON.
fn body_json(meta: &OperationMeta, views: &[ParamView<'_>]) -> Result<Vec<u8>, BuildError> {
    let json = |e: serde_json::Error| BuildError::Invalid {
        parameter: "body".into(),
        reason: e.to_string(),
    };
    // A body that is one list: the list itself.
    if let Some(i) = meta.params.iter().position(|p| p.whole_body) {
        let mut body = Vec::with_capacity(64);
        match views[i] {
            ParamView::List(list) => {
                body.push(b'[');
                for j in 0..list.count() {
                    if j > 0 {
                        body.push(b',');
                    }
                    write_json(&mut body, list.item(j)).map_err(json)?;
                }
                body.push(b']');
            }
            ParamView::Absent => {}
            ParamView::One(value) => write_json(&mut body, value).map_err(json)?,
            ParamView::Json(value) => {
                serde_json::to_writer(&mut body, &value.to_json()).map_err(json)?
            }
            ParamView::File(_) => {}
        }
        return Ok(body);
    }
    let mut set: [(&str, ParamView<'_>); MAX_PARAMS] = [("", ParamView::Absent); MAX_PARAMS];
    let mut n = 0;
    for (field, view) in meta.params.iter().zip(views) {
        if field.location == Location::Body && !matches!(view, ParamView::Absent) {
            set[n] = (field.name, *view);
            n += 1;
        }
    }
    let set = &mut set[..n];
    set.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut body = Vec::with_capacity(64);
    body.push(b'{');
    for (i, (name, view)) in set.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        serde_json::to_writer(&mut body, name).map_err(json)?;
        body.push(b':');
        match view {
            ParamView::Absent => body.extend_from_slice(b"null"),
            ParamView::One(value) => write_json(&mut body, *value).map_err(json)?,
            ParamView::List(list) => {
                body.push(b'[');
                for j in 0..list.count() {
                    if j > 0 {
                        body.push(b',');
                    }
                    write_json(&mut body, list.item(j)).map_err(json)?;
                }
                body.push(b']');
            }
            ParamView::Json(value) => {
                serde_json::to_writer(&mut body, &value.to_json()).map_err(json)?
            }
            ParamView::File(_) => body.extend_from_slice(b"null"),
        }
    }
    body.push(b'}');
    Ok(body)
}

fn write_json(body: &mut Vec<u8>, value: Scalar<'_>) -> Result<(), serde_json::Error> {
    match value {
        Scalar::Str(s) => serde_json::to_writer(body, s),
        Scalar::Int(n) => serde_json::to_writer(body, &n),
        Scalar::Bool(b) => serde_json::to_writer(body, &b),
    }
}

/// A scalar as text in a URL or header (as `WireRequest::scalar_text`).
fn scalar_text<'a>(value: Scalar<'a>, buffer: &'a mut String) -> &'a str {
    match value {
        Scalar::Str(s) => s,
        Scalar::Int(n) => {
            let _ = write!(buffer, "{n}");
            buffer
        }
        Scalar::Bool(true) => "true",
        Scalar::Bool(false) => "false",
    }
}

fn push_encoded(url: &mut String, value: Scalar<'_>) {
    match value {
        Scalar::Str(s) => url.extend(utf8_percent_encode(s, ENCODE)),
        // Digits, `-`, `true` and `false` need no encoding.
        Scalar::Int(n) => {
            let _ = write!(url, "{n}");
        }
        Scalar::Bool(b) => url.push_str(if b { "true" } else { "false" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::Field;
    use proptest::prelude::*;
    use serde_json::json;

    /// What `WireRequest::set` puts in the wire form for `value`.
    fn set<T: Serialize>(value: &T) -> Option<Value> {
        let mut wire = WireRequest::new();
        wire.set(Location::Body, "x", value);
        wire.body.remove("x")
    }

    proptest! {
        #[test]
        fn views_serialize_as_the_wire_form_does(
            s in ".{0,12}",
            n in any::<i64>(),
            b in any::<bool>(),
            list in proptest::collection::vec(".{0,4}", 0..4),
            numbers in proptest::collection::vec(any::<i64>(), 0..4),
            f in any::<f64>(),
        ) {
            let secret = Secret::new(s.clone());
            let some = Some(s.clone());
            let none: Option<String> = None;
            let some_list = Some(list.clone());
            let some_f = Some(f);
            let cases = [
                (ParamView::one(&s), set(&s)),
                (ParamView::one(&secret), set(&secret)),
                (ParamView::one(&n), set(&n)),
                (ParamView::one(&b), set(&b)),
                (ParamView::opt(&some), set(&some)),
                (ParamView::opt(&none), set(&none)),
                (ParamView::list(&list), set(&list)),
                (ParamView::list(&numbers), set(&numbers)),
                (ParamView::opt_list(&some_list), set(&some_list)),
                // A fractional number, NaN and infinities (null, left out)
                // among them.
                (ParamView::json(&f), set(&f)),
                (ParamView::opt_json(&some_f), set(&some_f)),
            ];
            for (view, expected) in cases {
                prop_assert_eq!(view.to_json(), expected);
            }
        }
    }

    static PARAMS: [Field; 3] = [
        Field {
            name: "id",
            location: Location::Query,
            ..Field::DEFAULT
        },
        Field {
            name: "nested",
            ty: Type::Object(&crate::meta::ObjectMeta {
                model: "Nested",
                fields: &[],
            }),
            ..Field::DEFAULT
        },
        Field {
            name: "tags",
            ty: Type::Array(&Field::DEFAULT),
            ..Field::DEFAULT
        },
    ];

    static META: OperationMeta = OperationMeta {
        id: "nested_fixture",
        group: "meeting_control",
        method: "PUT",
        path: "/v1/nested",
        summary: "",
        description: "",
        auth: Auth::None,
        idempotent: true,
        role: crate::meta::SessionRole::None,
        params: &PARAMS,
        response: None,
        response_is_list: false,
        pagination: None,
    };

    #[test]
    fn a_nested_value_goes_to_the_wire_form_and_never_the_fast_path() {
        let id = "m 1".to_owned();
        let nested = json!({"b": [1, 2.5], "a": null});
        let tags = vec!["x".to_owned()];
        let views = Views::new(&[
            ParamView::one(&id),
            ParamView::json(&nested),
            ParamView::list(&tags),
        ])
        .unwrap();
        let form = wire(&META, &views);
        assert_eq!(
            form.query,
            json!({"id": "m 1"}).as_object().cloned().unwrap()
        );
        assert_eq!(
            form.body,
            json!({"nested": {"a": null, "b": [1, 2.5]}, "tags": ["x"]})
                .as_object()
                .cloned()
                .unwrap()
        );
        assert!(!accepts(&META, &views));
        let err = build(&META, &Endpoint::default(), &views, Credential::None).unwrap_err();
        assert!(
            matches!(&err, BuildError::Invalid { parameter, .. } if parameter == "nested"),
            "{err:?}"
        );

        let absent =
            Views::new(&[ParamView::one(&id), ParamView::Absent, ParamView::Absent]).unwrap();
        assert!(accepts(&META, &absent));
        assert_eq!(
            wire(&META, &absent).body,
            serde_json::Map::new(),
            "unset values are left out"
        );
    }
}
