//! `--dry-run`: the request that would be sent, as one curl command line,
//! built by `Operation::to_http` exactly as the client builds it, with
//! every secret masked as `***` unless `--show-secrets`.
//!
//! Masked: the operation's credential header, any `Authorization` header,
//! and every parameter the spec marks `secret` (in headers, the query and
//! the JSON body, nested objects included). Never `-k`: the certificate is
//! checked.

use hwmeeting_core::meta::{Auth, Field, Location, OperationMeta, Type};
use hwmeeting_core::secret::REDACTED;
use hwmeeting_core::{Credential, Secret};
use serde_json::Value;

use crate::global::Globals;

/// Placeholder of a control token that a dry run does not obtain.
pub const CONTROL_TOKEN_PLACEHOLDER: &str = "<control-token>";
/// Placeholder of an access token that a dry run does not obtain.
pub const ACCESS_TOKEN_PLACEHOLDER: &str = "<access-token>";
/// Placeholder of a password that was not given.
pub const PASSWORD_PLACEHOLDER: &str = "<account-password>";
/// Placeholder of an app key that was not given.
pub const APP_KEY_PLACEHOLDER: &str = "<app-key>";

/// The credential of a dry run: what the options give, else a placeholder.
/// A dry run never logs in and never asks for a control token.
pub fn dry_run_secret(meta: &OperationMeta, globals: &Globals) -> Option<Secret> {
    let given = |s: &Option<Secret>, placeholder: &str| {
        Some(s.clone().unwrap_or_else(|| Secret::new(placeholder)))
    };
    match meta.auth {
        Auth::None => None,
        Auth::Basic { .. } => given(&globals.account_password, PASSWORD_PLACEHOLDER),
        Auth::AppSignature { .. } => given(&globals.app_key, APP_KEY_PLACEHOLDER),
        Auth::AccessToken { .. } => given(&globals.access_token, ACCESS_TOKEN_PLACEHOLDER),
        Auth::ConferenceToken { .. } => {
            given(&globals.conference_authorization, CONTROL_TOKEN_PLACEHOLDER)
        }
    }
}

/// The credential for `to_http`, from the secret of [`dry_run_secret`].
pub fn credential<'a>(meta: &OperationMeta, secret: Option<&'a Secret>) -> Credential<'a> {
    match (meta.auth, secret) {
        (Auth::Basic { .. }, Some(s)) => Credential::Password(s),
        (Auth::AppSignature { .. }, Some(s)) => Credential::AppKey(s),
        (Auth::AccessToken { .. }, Some(s)) => Credential::AccessToken(s),
        (Auth::ConferenceToken { .. }, Some(s)) => Credential::ConferenceToken(s),
        _ => Credential::None,
    }
}

/// Quotes a word for a POSIX shell: in single quotes, each `'` written as
/// `'\''`.
pub fn shell_quote(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    out.push('\'');
    for ch in word.chars() {
        if ch == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(ch);
        }
    }
    out.push('\'');
    out
}

/// A header name as the spec spells it (`X-Conference-Authorization`), or
/// in the usual capitalisation (`Content-Type`).
fn header_name(meta: &OperationMeta, lower: &str) -> String {
    if let Some(p) = meta
        .params_in(Location::Header)
        .find(|p| p.name.eq_ignore_ascii_case(lower))
    {
        return p.name.to_owned();
    }
    if let Some(h) = meta.auth.header().filter(|h| h.eq_ignore_ascii_case(lower)) {
        return h.to_owned();
    }
    lower
        .split('-')
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Whether a header carries a secret.
fn secret_header(meta: &OperationMeta, lower: &str) -> bool {
    lower == "authorization"
        || meta
            .auth
            .header()
            .is_some_and(|h| h.eq_ignore_ascii_case(lower))
        || meta
            .params_in(Location::Header)
            .any(|p| p.secret && p.name.eq_ignore_ascii_case(lower))
}

/// Replaces the value of every secret field (per `fields`) with `***`.
pub fn mask_json(fields: &[Field], value: &mut Value) {
    let Value::Object(map) = value else {
        return;
    };
    for field in fields {
        let Some(v) = map.get_mut(field.name) else {
            continue;
        };
        if v.is_null() {
            continue;
        }
        if field.secret {
            *v = Value::String(REDACTED.to_owned());
            continue;
        }
        match field.ty {
            Type::Object(obj) => mask_json(obj.fields, v),
            Type::Array(item) => {
                if let (Value::Array(items), Type::Object(obj)) = (&mut *v, item.ty) {
                    for it in items {
                        mask_json(obj.fields, it);
                    }
                } else if item.secret
                    && let Value::Array(items) = v
                {
                    for it in items {
                        *it = Value::String(REDACTED.to_owned());
                    }
                }
            }
            _ => {}
        }
    }
}

/// The URL with the values of secret query parameters masked.
fn masked_url(meta: &OperationMeta, uri: &str) -> String {
    let Some((base, query)) = uri.split_once('?') else {
        return uri.to_owned();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| {
            let (name, _) = pair.split_once('=').unwrap_or((pair, ""));
            let decoded = percent_decode(name);
            let secret = meta
                .params_in(Location::Query)
                .any(|p| p.secret && p.name == decoded);
            if secret {
                format!("{name}={REDACTED}")
            } else {
                pair.to_owned()
            }
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The request as one curl command line.
pub fn render_curl(
    meta: &OperationMeta,
    request: &http::Request<Vec<u8>>,
    show_secrets: bool,
) -> String {
    let mut words: Vec<String> = vec![
        "curl".into(),
        "-i".into(),
        "-X".into(),
        request.method().as_str().to_owned(),
    ];
    // Content-Type first, then the rest in the order they were set.
    let mut headers: Vec<(&http::HeaderName, &http::HeaderValue)> =
        request.headers().iter().collect();
    headers.sort_by_key(|(name, _)| *name != http::header::CONTENT_TYPE);
    for (name, value) in headers {
        let lower = name.as_str();
        let shown = if !show_secrets && secret_header(meta, lower) {
            REDACTED.to_owned()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        words.push("-H".into());
        words.push(shell_quote(&format!(
            "{}: {shown}",
            header_name(meta, lower)
        )));
    }
    let body = request.body();
    if !body.is_empty() {
        let text = if show_secrets {
            String::from_utf8_lossy(body).into_owned()
        } else {
            match serde_json::from_slice::<Value>(body) {
                Ok(mut json) => {
                    let body_fields: Vec<Field> = meta.params_in(Location::Body).copied().collect();
                    mask_json(&body_fields, &mut json);
                    json.to_string()
                }
                // The core only builds JSON bodies; anything else is shown
                // as a length, never as content that could hold a secret.
                Err(_) => format!("<{} bytes>", body.len()),
            }
        };
        words.push("-d".into());
        words.push(shell_quote(&text));
    }
    let uri = request.uri().to_string();
    let url = if show_secrets {
        uri
    } else {
        masked_url(meta, &uri)
    };
    words.push(shell_quote(&url));
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("abc"), "'abc'");
        assert_eq!(shell_quote("it's"), r#"'it'\''s'"#);
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a b $HOME \"x\""), "'a b $HOME \"x\"'");
    }

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("conferenceID"), "conferenceID");
        assert_eq!(percent_decode("a%20b%"), "a b%");
        assert_eq!(percent_decode("%41"), "A");
    }
}
