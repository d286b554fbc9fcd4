//! Masks secrets in what is shown: credential headers and every parameter
//! or field the spec marks secret, nested ones included. The CLI's dry run,
//! the simulator's request log and the examples all mask with this.

use serde_json::Value;

use crate::meta::{Field, Location, OperationMeta, Type};
use crate::secret::REDACTED;

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
    let fields: Vec<&Field> = meta.params_in(Location::Body).collect();
    redact_fields(&fields, body);
}

/// Replaces, in an answer's JSON, the value of every response field the
/// spec marks secret (tokens) with `***`.
pub fn redact_response(meta: &OperationMeta, body: &mut Value) {
    if let Some(fields) = meta.response {
        let fields: Vec<&Field> = fields.iter().collect();
        redact_fields(&fields, body);
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
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::find_by_id;
    use serde_json::json;

    #[test]
    fn masks_secret_body_fields_and_headers() {
        let meta = find_by_id("set_role").unwrap();
        let mut body = json!({"applyChair": 1, "chairmanPwd": "157599"});
        redact_body(meta, &mut body);
        assert_eq!(body, json!({"applyChair": 1, "chairmanPwd": "***"}));
        assert!(is_secret_header(Some(meta), "X-CONFERENCE-AUTHORIZATION"));
        assert!(is_secret_header(None, "authorization"));
        assert!(!is_secret_header(Some(meta), "content-type"));
    }

    #[test]
    fn masks_nested_response_tokens() {
        let meta = find_by_id("create_conf_token").unwrap();
        let mut body = json!({"data": {"token": "t", "role": 1}, "addressToken": "a"});
        redact_response(meta, &mut body);
        assert_eq!(
            body,
            json!({"data": {"token": "***", "role": 1}, "addressToken": "***"})
        );
    }
}
