//! Typed requests built straight from their fields, without the wire form.
//!
//! The wire form ([`WireRequest`]) holds every parameter as a
//! `serde_json::Value` under a `String` key: about ten allocations per call
//! before a byte is written, which is most of what the SDK costs over a
//! hand-written call when a thousand calls are in flight (BENCHMARKS.md).
//! A generated request whose parameters are all scalars, or lists of
//! scalars, lends them as [`ParamView`]s instead; [`accepts`] checks them
//! and [`build`] writes the request from them, with no copy.
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
use crate::wire::WireRequest;
use percent_encoding::utf8_percent_encode;

/// The most parameters an operation may have for the fast path.
pub const MAX_PARAMS: usize = 24;

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

/// A parameter of a typed request, borrowed.
#[derive(Clone, Copy)]
pub enum ParamView<'a> {
    /// Not set.
    Absent,
    /// A scalar.
    One(Scalar<'a>),
    /// A list of scalars.
    List(&'a dyn ScalarList),
}

impl<'a> ParamView<'a> {
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

/// Whether an operation can take the fast path at all: its credential is a
/// token or nothing (the logins sign parameters of the wire form).
pub fn supported(meta: &OperationMeta) -> bool {
    matches!(
        meta.auth,
        Auth::None | Auth::AccessToken { .. } | Auth::ConferenceToken { .. }
    )
}

/// Whether `views` are a request [`validate`](crate::validate::validate)
/// accepts with lenient coded values, and that needs no default filled in.
/// `false` means "take the wire form", not "invalid".
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
                            Some(ParamView::List(_)) => false,
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
        }
        (Type::Integer, Scalar::Int(n)) => {
            let n = n as f64;
            c.minimum.is_none_or(|min| n >= min) && c.maximum.is_none_or(|max| n <= max)
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
            ParamView::Absent => {}
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
    })
}

/// The body: the set body parameters in the order of their names (the
/// wire form's map is sorted), compact JSON.
fn body_json(meta: &OperationMeta, views: &[ParamView<'_>]) -> Result<Vec<u8>, BuildError> {
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
    let json = |e: serde_json::Error| BuildError::Invalid {
        parameter: "body".into(),
        reason: e.to_string(),
    };
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
