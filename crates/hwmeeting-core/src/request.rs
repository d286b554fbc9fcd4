//! Turns a request's wire form into an `http::Request`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

use crate::endpoint::Endpoint;
use crate::error::BuildError;
use crate::meta::{Location, OperationMeta};
use crate::wire::WireRequest;

/// Characters left as they are in a query value or path segment: the
/// unreserved set of RFC 3986. Everything else is percent-encoded, so a
/// value can never add a parameter or change the path.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a query value or path segment.
pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, ENCODE).to_string()
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
    let mut url = String::with_capacity(128);
    url.push_str(endpoint.as_str());
    for segment in meta.path.split('/').filter(|s| !s.is_empty()) {
        url.push('/');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => {
                let value = wire.path.get(name).ok_or_else(|| BuildError::Missing {
                    parameter: name.to_owned(),
                })?;
                url.push_str(&encode_component(&WireRequest::scalar_text(value, name)?));
            }
            None => url.push_str(segment),
        }
    }
    let mut first = true;
    for param in meta.params_in(Location::Query) {
        let Some(value) = wire.query.get(param.name).filter(|v| !v.is_null()) else {
            continue;
        };
        let values: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for v in values {
            url.push(if first { '?' } else { '&' });
            first = false;
            url.push_str(&encode_component(param.name));
            url.push('=');
            url.push_str(&encode_component(&WireRequest::scalar_text(v, param.name)?));
        }
    }

    let mut builder = http::Request::builder().method(meta.method).uri(&url);
    // Headers: the spec's parameters, then anything else the wire form
    // carries (credentials put there by `apply_credential`).
    let mut seen: Vec<&str> = Vec::new();
    for param in meta.params_in(Location::Header) {
        if let Some(value) = wire.headers.get(param.name).filter(|v| !v.is_null()) {
            builder = builder.header(param.name, header_value(meta, param.name, value)?);
            seen.push(param.name);
        }
    }
    for (name, value) in &wire.headers {
        if !seen.iter().any(|s| s.eq_ignore_ascii_case(name)) && !value.is_null() {
            builder = builder.header(name.as_str(), header_value(meta, name, value)?);
        }
    }
    let body = if meta.has_body() {
        builder = builder.header(http::header::CONTENT_TYPE, "application/json");
        let mut body = serde_json::Map::with_capacity(wire.body.len());
        for param in meta.params_in(Location::Body) {
            if let Some(v) = wire.body.get(param.name).filter(|v| !v.is_null()) {
                body.insert(param.name.to_owned(), v.clone());
            }
        }
        serde_json::to_vec(&body).map_err(|e| BuildError::Invalid {
            parameter: "body".into(),
            reason: e.to_string(),
        })?
    } else {
        Vec::new()
    };
    builder
        .body(body)
        .map_err(|e| BuildError::Url(e.to_string()))
}

/// A header's value. Credentials and secret parameters are marked
/// sensitive, so the `Debug` of the request (and of its headers) shows
/// `Sensitive` instead of them, and HTTP/2 never indexes them.
fn header_value(
    meta: &OperationMeta,
    name: &str,
    value: &Value,
) -> Result<http::HeaderValue, BuildError> {
    let text = WireRequest::scalar_text(value, name)?;
    let mut header = http::HeaderValue::from_str(&text).map_err(|_| BuildError::Invalid {
        parameter: name.to_owned(),
        reason: "contains characters that cannot travel in an HTTP header (CR, LF, NUL or other control characters)".into(),
    })?;
    if crate::redact::is_secret_header(Some(meta), name) {
        header.set_sensitive(true);
    }
    Ok(header)
}

#[cfg(test)]
mod tests {
    use crate::auth::Credential;
    use crate::endpoint::Endpoint;
    use crate::model::{ApplyChair, CreateConfTokenRequest, SetRoleRequest};
    use crate::operation::Operation;
    use crate::secret::Secret;

    #[test]
    fn credential_and_secret_headers_are_sensitive() {
        let token = Secret::new("control-token-sentinel");
        let request = SetRoleRequest::new("p1", ApplyChair::Relinquish)
            .conference_id("1")
            .to_http(&Endpoint::default(), Credential::ConferenceToken(&token))
            .unwrap();
        assert!(request.headers()["x-conference-authorization"].is_sensitive());
        assert!(!format!("{request:?}").contains("control-token-sentinel"));

        let request = CreateConfTokenRequest::new("host-pw-sentinel")
            .conference_id("1")
            .conference_authorization("live-token-sentinel")
            .to_http(&Endpoint::default(), Credential::None)
            .unwrap();
        let shown = format!("{request:?}");
        assert!(!shown.contains("host-pw-sentinel"), "{shown}");
        assert!(!shown.contains("live-token-sentinel"), "{shown}");
        // What is not secret stays readable.
        assert!(!request.headers()["x-login-type"].is_sensitive());
        assert_eq!(request.headers()["x-password"], "host-pw-sentinel");
    }
}
