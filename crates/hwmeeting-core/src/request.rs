//! Turns a request's wire form into an HTTP request.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::ser::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::endpoint::Endpoint;
use crate::error::BuildError;
use crate::meta::{Location, OperationMeta, Type};
use crate::secret::Secret;
use crate::upload::{Multipart, MultipartWriter};
use crate::wire::WireRequest;

/// Characters left as they are in a query value or path segment: the
/// unreserved set of RFC 3986. Everything else is percent-encoded, so a
/// value can never add a parameter or change the path.
pub(crate) const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a query value or path segment.
pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, ENCODE).to_string()
}

/// A request ready to send: method, absolute URL, headers and body.
///
/// Transports turn it into their HTTP library's request; the URL stays
/// text so a library that parses URLs its own way parses it only once.
/// Its `Debug` shows the path without the query (which may hold a
/// password), headers with credentials hidden, and the body's length.
#[derive(Clone)]
pub struct HttpRequest {
    /// The method.
    pub method: http::Method,
    /// The absolute URL, query included, every value percent-encoded.
    pub url: String,
    /// The headers; credentials and secret parameters are marked sensitive.
    pub headers: http::HeaderMap,
    /// The body (empty for operations without one, and for an upload).
    pub body: Vec<u8>,
    /// An upload's `multipart/form-data` body, which the transport streams
    /// (its files are read at each attempt); `None` for every other call.
    /// Its `Content-Type` is already among the headers.
    pub upload: Option<Multipart>,
}

impl HttpRequest {
    /// The same request as an `http::Request`. An upload's body must be in
    /// memory here (its files are read by the transports only).
    pub fn into_http(mut self) -> Result<http::Request<Vec<u8>>, BuildError> {
        let body = match self.upload.take() {
            None => std::mem::take(&mut self.body),
            Some(upload) => upload.in_memory().ok_or_else(|| {
                BuildError::Url(
                    "an upload of a file on disk has no in-memory form: send it with a client"
                        .into(),
                )
            })?,
        };
        Ok(self.into_http_head()?.map(|()| body))
    }

    /// The method, URL and headers as an `http::Request` without a body:
    /// for a transport that streams the body (an upload) itself.
    pub fn into_http_head(self) -> Result<http::Request<()>, BuildError> {
        let uri = http::Uri::try_from(self.url).map_err(|e| BuildError::Url(e.to_string()))?;
        let mut request = http::Request::new(());
        *request.method_mut() = self.method;
        *request.uri_mut() = uri;
        *request.headers_mut() = self.headers;
        Ok(request)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self
            .url
            .split_once('?')
            .map_or(self.url.as_str(), |(p, _)| p);
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field(
                "url",
                &format_args!(
                    "{path}{}",
                    if path.len() < self.url.len() {
                        "?…"
                    } else {
                        ""
                    }
                ),
            )
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .field("upload", &self.upload)
            .finish()
    }
}

/// Turns a wire form, already checked with [`validate`](crate::validate::validate),
/// into an HTTP request against `endpoint`: path parameters substituted,
/// query in spec order, headers, and the JSON body with
/// `Content-Type: application/json`.
pub fn build_http(
    meta: &OperationMeta,
    endpoint: &Endpoint,
    wire: &WireRequest,
) -> Result<http::Request<Vec<u8>>, BuildError> {
    build_request(meta, endpoint, wire, None)?.into_http()
}

/// Like [`build_http`], with the credential header of
/// [`credential_header`](crate::auth::credential_header) added last (it
/// replaces a header of the same name). Writes the URL and body straight
/// from the wire form, without intermediate copies.
pub fn build_request(
    meta: &OperationMeta,
    endpoint: &Endpoint,
    wire: &WireRequest,
    credential: Option<(&str, &Secret)>,
) -> Result<HttpRequest, BuildError> {
    let method = http::Method::from_bytes(meta.method.as_bytes())
        .map_err(|e| BuildError::Url(format!("method `{}`: {e}", meta.method)))?;
    let mut url = String::with_capacity(endpoint.as_str().len() + meta.path.len() + 96);
    url.push_str(endpoint.as_str());
    for segment in meta.path.split('/').filter(|s| !s.is_empty()) {
        url.push('/');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => {
                let value = wire.path.get(name).ok_or_else(|| BuildError::Missing {
                    parameter: name.to_owned(),
                })?;
                url.extend(utf8_percent_encode(&scalar_text(value, name)?, ENCODE));
            }
            None => url.push_str(segment),
        }
    }
    let mut first = true;
    for param in meta.params_in(Location::Query) {
        let Some(value) = wire.query.get(param.name).filter(|v| !v.is_null()) else {
            continue;
        };
        let values = match value {
            Value::Array(items) => items.as_slice(),
            other => std::slice::from_ref(other),
        };
        for v in values {
            url.push(if first { '?' } else { '&' });
            first = false;
            url.extend(utf8_percent_encode(param.name, ENCODE));
            url.push('=');
            url.extend(utf8_percent_encode(&scalar_text(v, param.name)?, ENCODE));
        }
    }

    // Headers: the spec's parameters, then anything else the wire form
    // carries, then the credential.
    let mut headers = http::HeaderMap::with_capacity(wire.headers.len() + 2);
    for param in meta.params_in(Location::Header) {
        if let Some(value) = wire.headers.get(param.name).filter(|v| !v.is_null()) {
            headers.append(
                header_name(param.name)?,
                header_value(meta, param.name, &scalar_text(value, param.name)?)?,
            );
        }
    }
    for (name, value) in &wire.headers {
        let in_spec = meta
            .params_in(Location::Header)
            .any(|p| p.name.eq_ignore_ascii_case(name));
        if !in_spec && !value.is_null() {
            headers.append(
                header_name(name)?,
                header_value(meta, name, &scalar_text(value, name)?)?,
            );
        }
    }
    if let Some((name, value)) = credential {
        let mut value = header_value(meta, name, value.expose())?;
        value.set_sensitive(true);
        headers.insert(header_name(name)?, value);
    }
    let mut upload = None;
    let body = if meta.is_multipart() {
        let form = multipart(meta, wire)?;
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_str(&form.content_type())
                .map_err(|e| BuildError::Url(e.to_string()))?,
        );
        upload = Some(form);
        Vec::new()
    } else if meta.has_body() {
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        let json = |e: serde_json::Error| BuildError::Invalid {
            parameter: "body".into(),
            reason: e.to_string(),
        };
        match meta.whole_body() {
            // The one parameter is the body; validated, so present when
            // required, and `{}`/`[]` is never sent for an absent one.
            Some(whole) => match wire.body.get(whole.name).filter(|v| !v.is_null()) {
                Some(value) => serde_json::to_vec(value).map_err(json)?,
                None => Vec::new(),
            },
            None => serde_json::to_vec(&BodyFields {
                meta,
                body: &wire.body,
            })
            .map_err(json)?,
        }
    } else {
        Vec::new()
    };
    Ok(HttpRequest {
        method,
        url,
        headers,
        body,
        upload,
    })
}

/// The multipart body of an upload: its parts in spec order, text parts
/// as their JSON text (strings as they are), file parts as given.
fn multipart(meta: &OperationMeta, wire: &WireRequest) -> Result<Multipart, BuildError> {
    let mut form = MultipartWriter::random();
    for param in meta.params_in(Location::Form) {
        if matches!(param.ty, Type::File) {
            if let Some(file) = wire.files.get(param.name) {
                form.file(param.name, file, crate::validate::max_file_bytes(param));
            }
        } else if let Some(value) = wire.body.get(param.name).filter(|v| !v.is_null()) {
            let text = match value {
                Value::String(s) => Cow::Borrowed(s.as_str()),
                other => Cow::Owned(other.to_string()),
            };
            form.text(param.name, &text);
        }
    }
    Ok(form.finish())
}

/// The body's fields the spec knows, in the wire form's (sorted) order,
/// nulls left out: serialized as one JSON object without copying them.
struct BodyFields<'a> {
    meta: &'a OperationMeta,
    body: &'a Map<String, Value>,
}

impl Serialize for BodyFields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.body.iter().filter(|(name, value)| {
            !value.is_null()
                && self
                    .meta
                    .params_in(Location::Body)
                    .any(|p| p.name == name.as_str())
        }))
    }
}

/// The text of a scalar parameter, borrowed when it already is text.
fn scalar_text<'a>(value: &'a Value, parameter: &str) -> Result<Cow<'a, str>, BuildError> {
    match value {
        Value::String(s) => Ok(Cow::Borrowed(s)),
        other => WireRequest::scalar_text(other, parameter).map(Cow::Owned),
    }
}

pub(crate) fn header_name(name: &str) -> Result<http::HeaderName, BuildError> {
    http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| BuildError::Invalid {
        parameter: name.to_owned(),
        reason: "is not a valid HTTP header name".into(),
    })
}

/// A header's value. Credentials and secret parameters are marked
/// sensitive, so the `Debug` of the request (and of its headers) shows
/// `Sensitive` instead of them, and HTTP/2 never indexes them.
pub(crate) fn header_value(
    meta: &OperationMeta,
    name: &str,
    text: &str,
) -> Result<http::HeaderValue, BuildError> {
    let mut header = http::HeaderValue::from_str(text).map_err(|_| BuildError::Invalid {
        parameter: name.to_owned(),
        reason: "contains characters that cannot travel in an HTTP header (CR, LF, NUL or other control characters)".into(),
    })?;
    if crate::redact::is_secret_header(Some(meta), name) {
        header.set_sensitive(true);
    }
    Ok(header)
}
