//! `openapi.json`: an OpenAPI 3.0.3 document of every operation in
//! `spec/`, built from the same loaded and checked specs as the Rust code.
//!
//! What it maps, and how:
//!
//! - each spec file is one operation (`operationId` = the spec id, `tags` =
//!   its group), under one path item per spec path;
//! - path, query and header parameters are parameters; body parameters are
//!   the properties of one JSON request body;
//! - every `model` (nested objects, arrays' objects, shared answers) and
//!   every coded value (`enum`, by its `rust_name`) is one schema under
//!   `components/schemas`, used through `$ref` (wrapped in a one-item
//!   `allOf` where a use adds a description, a default or `deprecated`,
//!   which OpenAPI 3.0 ignores beside a bare `$ref`);
//! - the answer is the `200` response (an empty object schema when the spec
//!   documents no field), and every operation has `4XX` and `5XX`
//!   responses with the shared `ApiError` schema (not a `default`
//!   response, which progenitor takes for a second success type);
//! - the credential (`auth`) is the operation's `security`, one of four
//!   security schemes; the credential header itself is never a parameter;
//! - what OpenAPI 3.0 cannot say is kept in extensions: the names and
//!   descriptions of coded values (`x-enum-varnames`,
//!   `x-enum-descriptions`, and in the description), conditional
//!   requirements (`x-required-if`) and idempotence (`x-idempotent`).
//!
//! Where the document says less than the spec, or says it differently:
//!
//! - errors are `4XX` and `5XX` responses rather than one `default`
//!   response: progenitor counts `default` among the successes and refuses
//!   an operation with two success types (`200` and `ApiError`);
//! - `required_if` has no OpenAPI 3.0 form: the field stays optional in the
//!   schema, with `x-required-if` (and the spec's description) saying when
//!   it is needed;
//! - a `default` is what the SDK sends when the caller gives none, and the
//!   parameter stays `required` (the wire needs it); in OpenAPI a default
//!   is what the server assumes, so a generator may offer the parameter as
//!   optional;
//! - an answer the spec documents no field of is an empty object schema,
//!   though the service may answer such calls with an empty body;
//! - the credential headers of the security schemes are never parameters;
//!   a header the spec lists as a parameter of an operation whose own
//!   credential is another one (or none) stays a parameter
//!   (`create_conf_token` takes `X-Password`, and optionally a live
//!   `X-Conference-Authorization` to renew, with `auth` `none`);
//! - an enum's schema has no integer `format` (the spec gives the width per
//!   use), and an array's items that are a model or an enum are a bare
//!   `$ref`, without the items' own description.
//!
//! The output is deterministic: every object's keys are sorted, it is
//! pretty-printed with two spaces and ends with a newline.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::catalog::{Catalog, EnumDef, ModelDef};
use crate::spec::{AuthKind, FieldSpec, Format, In, Kind, Scalar, Spec, SpecFile, TimeFormat};

/// The file name, at the workspace root.
pub const FILE: &str = "openapi.json";

/// The OpenAPI version written (3.0.x: what progenitor and most generators
/// read).
pub const OPENAPI_VERSION: &str = "3.0.3";

/// The name of the error schema in `components/schemas`.
pub const API_ERROR: &str = "ApiError";

/// The service's regions: `(url, description)`.
pub const SERVERS: [(&str, &str); 2] = [
    (
        "https://api.meeting.huaweicloud.com",
        "cn-north-4 (Chinese mainland)",
    ),
    (
        "https://api-intl.meeting.huaweicloud.com",
        "ap-southeast-1 (international)",
    ),
];

/// The security scheme of a credential, if it takes one.
pub fn security_scheme(kind: AuthKind) -> Option<&'static str> {
    match kind {
        AuthKind::None => None,
        AuthKind::Basic => Some("accountBasic"),
        AuthKind::AppSignature => Some("appSignature"),
        AuthKind::AccessToken => Some("accessToken"),
        AuthKind::ConferenceToken => Some("conferenceToken"),
    }
}

/// The version of the workspace: `version` under `[workspace.package]` in
/// the manifest at `path`.
pub fn workspace_version(path: &Path) -> Result<String, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read the manifest: {e}"))?;
    let mut in_section = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = line == "[workspace.package]";
        } else if in_section
            && let Some(rest) = line.strip_prefix("version")
            && let Some(value) = rest.trim_start().strip_prefix('=')
        {
            let value = value.trim();
            if let Some(v) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                return Ok(v.to_owned());
            }
        }
    }
    Err("no `version = \"...\"` under [workspace.package]".to_owned())
}

/// The document, as pretty-printed JSON with sorted keys and a final
/// newline.
pub fn render(files: &[SpecFile], catalog: &Catalog<'_>, version: &str) -> Result<String, String> {
    let document = sorted(document(files, catalog, version)?);
    let mut text = serde_json::to_string_pretty(&document)
        .map_err(|e| format!("cannot print the OpenAPI document: {e}"))?;
    text.push('\n');
    Ok(text)
}

/// The document.
pub fn document(files: &[SpecFile], catalog: &Catalog<'_>, version: &str) -> Result<Value, String> {
    if catalog.contains(API_ERROR) {
        return Err(format!(
            "the spec defines a type `{API_ERROR}`, the name of the OpenAPI document's error schema"
        ));
    }
    let mut paths = Map::new();
    for file in files {
        let spec = &file.spec;
        let item = paths
            .entry(spec.path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        let method = spec.method.to_ascii_lowercase();
        if let Some(item) = item.as_object_mut() {
            item.insert(method, operation(spec));
        }
    }

    let mut schemas = Map::new();
    for (name, def) in &catalog.enums {
        schemas.insert(name.clone(), enum_schema(def));
    }
    for (name, def) in &catalog.models {
        schemas.insert(name.clone(), model_schema(def));
    }
    schemas.insert(API_ERROR.to_owned(), api_error());

    let groups: BTreeSet<&str> = files.iter().map(|f| f.spec.group.as_str()).collect();
    let tags: Vec<Value> = groups
        .iter()
        .map(|g| json!({ "name": g, "description": group_description(g) }))
        .collect();

    Ok(json!({
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Huawei Cloud Meeting server REST API",
            "version": version,
            "description": INFO_DESCRIPTION,
            "license": { "name": "MIT OR Apache-2.0" },
        },
        "servers": SERVERS
            .iter()
            .map(|(url, description)| json!({ "url": url, "description": description }))
            .collect::<Vec<_>>(),
        "tags": tags,
        "paths": paths,
        "components": {
            "responses": {
                API_ERROR: {
                    "description": "A failed call: an HTTP error status and the service's error code and message.",
                    "content": {
                        "application/json": { "schema": reference(API_ERROR) },
                    },
                },
            },
            "schemas": schemas,
            "securitySchemes": security_schemes(),
        },
    }))
}

const INFO_DESCRIPTION: &str = "The operations of the Huawei Cloud Meeting server REST API that the hwmeeting SDK covers: logging in, scheduling and finding meetings, activating and controlling them, and reading their history and recordings.\n\nGenerated from hwmeeting's spec/*.json by `cargo xtask openapi` (or `cargo xtask codegen`); do not edit by hand.\n\nCoded values are integers or strings whose names and meanings are in the description of their schema and in `x-enum-varnames` / `x-enum-descriptions`. `x-required-if` marks a parameter or field that becomes required when another one has a given value; `x-idempotent` says whether an operation may be sent twice with the effect of once.\n\nFailed calls answer with an HTTP error status and a JSON body with the service's error code and message (`ApiError`); the request ID is also in the X-Request-Id answer header.";

fn group_description(group: &str) -> &'static str {
    match group {
        "auth" => "Logging in and out, and the life of the access token.",
        "meeting_management" => "Scheduling, finding, editing, cancelling and activating meetings.",
        "recurring_meetings" => "Recurring meetings and their sub-meetings.",
        "meeting_control" => {
            "Controlling a running meeting, mostly with its meeting control token."
        }
        "meeting_history" => "Meetings that have ended: details, attendance and control records.",
        "recordings" => "Cloud recordings of meetings, and their files.",
        "webhooks" => "Settings of the event push to a webhook.",
        "webinars" => "Webinars.",
        "users" => "The enterprise's users (administrators).",
        "departments" => "The enterprise's departments.",
        "address_book" => "The address book, user lookup and profile pictures.",
        "my_account" => "The signed-in user's own profile and contact details.",
        "cloud_meeting_rooms" => "Cloud meeting rooms and personal meeting IDs.",
        "devices" => "Hardware terminals, smart screens and their activation codes.",
        "enterprise" => "The enterprise's registration, administrators and sign-on settings.",
        "app_ids" => "The enterprise's app IDs (API credentials).",
        "passwords" => "Passwords and verification codes.",
        "enterprise_resources" => "The enterprise's resources and orders.",
        "service_provider" => "A service provider's administration of its enterprises.",
        "quality_monitoring" => "Meeting quality monitoring.",
        "statistics" => "Usage statistics.",
        "meeting_files" => "Meeting minutes files.",
        "info_window" => "The information window: materials, programs and publications.",
        _ => "Operations of this group.",
    }
}

fn security_schemes() -> Value {
    json!({
        "appSignature": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "App ID login. The Authorization header is `HMAC-SHA256 signature=<SIG>,access=<Base64 of the app ID>`, where SIG is the upper-case hex HMAC-SHA256, keyed with the app key, of `appId:userId:expireTime:nonce` (or `appId:corpId:userId:expireTime:nonce` when corpId is given; a missing userId counts as the empty string), with the values of the request body. A new signature is needed for every login.",
        },
        "accountBasic": {
            "type": "http",
            "scheme": "basic",
            "description": "Account login: `Basic <Base64 of account:password>` in the Authorization header; the request body repeats the account name.",
        },
        "accessToken": {
            "type": "apiKey",
            "in": "header",
            "name": "X-Access-Token",
            "description": "The access token a login (appSignature or accountBasic) answers with, in `accessToken`. It lives 12 to 24 hours; reuse it rather than log in for every call.",
        },
        "conferenceToken": {
            "type": "apiKey",
            "in": "header",
            "name": "X-Conference-Authorization",
            "description": "The meeting control token of one meeting, as create_conf_token answers it in `data.token`. It is valid for 30 minutes and for that meeting only.",
        },
    })
}

fn api_error() -> Value {
    json!({
        "type": "object",
        "description": "The body of a failed call. The service spells the keys `error_code`/`error_msg`, and some of its endpoints `errorCode`/`errorMsg` or `code`/`message`; the request ID is also in the X-Request-Id header.",
        "properties": {
            "error_code": {
                "type": "string",
                "description": "The service's error code, such as `MMC.111070005`.",
                "example": "MMC.111070005",
            },
            "error_msg": {
                "type": "string",
                "description": "What went wrong, in the language of Accept-Language.",
            },
            "request_id": {
                "type": "string",
                "description": "ID of the request, for following it up with the service.",
            },
        },
    })
}

/// A `$ref` to a schema of `components/schemas`.
fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// A number as JSON: an integer when it is one.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

fn scalar(value: &Scalar) -> Value {
    match value {
        Scalar::Int(i) => json!(i),
        Scalar::Str(s) => json!(s),
    }
}

/// The schema of the values of `f`, without what only one use of it says
/// (its description, default, ...): a `$ref` for models and coded values.
fn value_schema(f: &FieldSpec) -> Value {
    if let Some(model) = &f.model {
        return reference(model);
    }
    if let Some(e) = &f.enumeration {
        return reference(&e.rust_name);
    }
    let mut s = Map::new();
    s.insert(
        "type".into(),
        json!(match f.kind {
            Kind::File => "string",
            kind => kind.as_str(),
        }),
    );
    match f.kind {
        Kind::String => {
            if let Some(n) = f.min_length {
                s.insert("minLength".into(), json!(n));
            }
            if let Some(n) = f.max_length {
                s.insert("maxLength".into(), json!(n));
            }
            if f.secret {
                s.insert("format".into(), json!("password"));
            }
            // OpenAPI's `date-time` is RFC 3339, which these are not: a
            // format of our own says how they are written.
            match f.time {
                Some(TimeFormat::MinuteUtc) => {
                    s.insert("format".into(), json!("yyyy-MM-dd HH:mm (UTC)"));
                }
                Some(TimeFormat::Date) => {
                    s.insert("format".into(), json!("date"));
                }
                _ => {}
            }
        }
        Kind::Integer | Kind::Number => {
            match f.format {
                Some(Format::Int32) => s.insert("format".into(), json!("int32")),
                Some(Format::Int64) => s.insert("format".into(), json!("int64")),
                None => None,
            };
            if let Some(n) = f.minimum {
                s.insert("minimum".into(), number(n));
            }
            if let Some(n) = f.maximum {
                s.insert("maximum".into(), number(n));
            }
        }
        Kind::Array => {
            if let Some(items) = &f.items {
                s.insert("items".into(), item_schema(items));
            }
            if let Some(n) = f.min_items {
                s.insert("minItems".into(), json!(n));
            }
            if let Some(n) = f.max_items {
                s.insert("maxItems".into(), json!(n));
            }
        }
        Kind::Object => {
            // The schema requires a model for every object; without one
            // the object is described in place.
            if let Some(fields) = &f.fields {
                object_into(&mut s, fields);
            }
            if let Some(values) = &f.values {
                s.insert("additionalProperties".into(), item_schema(values));
            }
        }
        Kind::File => {
            s.insert("format".into(), json!("binary"));
        }
        Kind::Boolean => {}
    }
    Value::Object(s)
}

/// The schema of an array's items: a bare `$ref` for models and coded
/// values (their own schema describes them), else the items' description
/// with the type.
fn item_schema(items: &FieldSpec) -> Value {
    let mut schema = value_schema(items);
    if let (Some(s), Some(doc)) = (schema.as_object_mut(), &items.description)
        && !s.contains_key("$ref")
    {
        s.insert("description".into(), json!(doc));
    }
    schema
}

/// `schema` with `annotations` added: beside the keywords of an inline
/// schema, or around a `$ref` in a one-item `allOf`.
fn annotate(schema: Value, annotations: Map<String, Value>) -> Value {
    if annotations.is_empty() {
        return schema;
    }
    let Value::Object(mut s) = schema else {
        return schema;
    };
    if s.contains_key("$ref") {
        let mut wrapped = annotations;
        wrapped.insert("allOf".into(), json!([Value::Object(s)]));
        Value::Object(wrapped)
    } else {
        s.extend(annotations);
        Value::Object(s)
    }
}

/// What one use of `f` says about it, for its schema: the default and the
/// condition that makes it required, and, when `with_doc`, its
/// description and whether it is deprecated.
fn use_annotations(f: &FieldSpec, with_doc: bool) -> Map<String, Value> {
    let mut a = Map::new();
    if with_doc {
        if let Some(doc) = &f.description {
            a.insert("description".into(), json!(doc));
        }
        if f.deprecated {
            a.insert("deprecated".into(), json!(true));
        }
    }
    if let Some(default) = &f.default {
        a.insert("default".into(), default.clone());
    }
    if let Some(r) = &f.required_if {
        a.insert(
            "x-required-if".into(),
            json!({ "parameter": r.parameter, "equals": r.equals }),
        );
    }
    a
}

/// The schema of a field of an object, with its description.
fn field_schema(f: &FieldSpec) -> Value {
    annotate(value_schema(f), use_annotations(f, true))
}

/// Adds `type: object`, the properties and the required names of `fields`
/// to `s`.
fn object_into(s: &mut Map<String, Value>, fields: &[FieldSpec]) {
    s.insert("type".into(), json!("object"));
    let properties: Map<String, Value> = fields
        .iter()
        .map(|f| (f.wire_name().to_owned(), field_schema(f)))
        .collect();
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.is_required())
        .map(FieldSpec::wire_name)
        .collect();
    s.insert("properties".into(), Value::Object(properties));
    // OpenAPI 3.0 wants a non-empty list when there is one.
    if !required.is_empty() {
        s.insert("required".into(), json!(required));
    }
}

fn object(fields: &[FieldSpec], description: Option<&str>) -> Value {
    let mut s = Map::new();
    object_into(&mut s, fields);
    if let Some(doc) = description {
        s.insert("description".into(), json!(doc));
    }
    Value::Object(s)
}

fn model_schema(def: &ModelDef<'_>) -> Value {
    object(def.fields, Some(def.doc))
}

fn enum_schema(def: &EnumDef<'_>) -> Value {
    let values = &def.spec.values;
    let mut description = def.doc.to_owned();
    description.push_str("\n\nValues:");
    for v in values {
        let shown = match &v.value {
            Scalar::Int(i) => i.to_string(),
            Scalar::Str(s) => s.clone(),
        };
        description.push_str(&format!("\n- `{shown}` ({}): {}", v.name, v.description));
    }
    json!({
        "type": def.kind.as_str(),
        "enum": values.iter().map(|v| scalar(&v.value)).collect::<Vec<_>>(),
        "description": description,
        "x-enum-varnames": values.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
        "x-enum-descriptions": values.iter().map(|v| v.description.as_str()).collect::<Vec<_>>(),
    })
}

/// The first example value of the parameter `name` found `in` the spec's
/// examples, typed as the parameter is (examples hold header and query
/// values as strings).
fn parameter_example(spec: &Spec, f: &FieldSpec) -> Option<Value> {
    let section = match f.location? {
        In::Path => "path_params",
        In::Query => "query",
        In::Header => "headers",
        In::Body | In::Form => return None,
    };
    spec.examples.iter().find_map(|example| {
        let text = example
            .get("request")?
            .get(section)?
            .get(f.wire_name())?
            .as_str()?;
        match f.kind {
            Kind::String => Some(json!(text)),
            Kind::Integer => text.parse::<i64>().ok().map(|n| json!(n)),
            Kind::Number => text.parse::<f64>().ok().map(number),
            Kind::Boolean => text.parse::<bool>().ok().map(|b| json!(b)),
            // Lists travel as repeated query pairs: no single string
            // shows one.
            Kind::Array | Kind::Object | Kind::File => None,
        }
    })
}

fn parameter(spec: &Spec, f: &FieldSpec, location: In) -> Value {
    let mut p = Map::new();
    p.insert("name".into(), json!(f.wire_name()));
    p.insert("in".into(), json!(location.as_str()));
    p.insert("required".into(), json!(f.is_required()));
    if let Some(doc) = &f.description {
        p.insert("description".into(), json!(doc));
    }
    if f.deprecated {
        p.insert("deprecated".into(), json!(true));
    }
    p.insert(
        "schema".into(),
        annotate(value_schema(f), use_annotations(f, false)),
    );
    if let Some(example) = parameter_example(spec, f) {
        p.insert("example".into(), example);
    }
    Value::Object(p)
}

/// The first example's value of `section` (`body`) of the `request` or of
/// the `response` (with status 200), when it is not null.
fn example_body(spec: &Spec, part: &str) -> Option<Value> {
    spec.examples.iter().find_map(|example| {
        let part = example.get(part)?;
        if let Some(status) = part.get("status")
            && status != &json!(200)
        {
            return None;
        }
        part.get("body").filter(|b| !b.is_null()).cloned()
    })
}

fn operation(spec: &Spec) -> Value {
    let credential_header = spec.auth.header.as_deref();
    let mut parameters = Vec::new();
    let mut body_fields = Vec::new();
    let mut form_fields = Vec::new();
    for p in &spec.parameters {
        match p.location {
            Some(In::Body) => body_fields.push(p.clone()),
            Some(In::Form) => form_fields.push(p.clone()),
            // The operation's security scheme carries its credential
            // header; it is not a parameter too.
            Some(In::Header)
                if credential_header.is_some_and(|h| h.eq_ignore_ascii_case(p.wire_name())) => {}
            Some(location) => parameters.push(parameter(spec, p, location)),
            None => {}
        }
    }

    let mut op = Map::new();
    op.insert("operationId".into(), json!(spec.id));
    op.insert("summary".into(), json!(spec.summary));
    op.insert("description".into(), json!(spec.description));
    op.insert("tags".into(), json!([spec.group]));
    op.insert("x-idempotent".into(), json!(spec.idempotent));
    op.insert(
        "security".into(),
        match security_scheme(spec.auth.kind) {
            Some(scheme) => json!([{ scheme: [] }]),
            None => json!([]),
        },
    );
    if !parameters.is_empty() {
        op.insert("parameters".into(), json!(parameters));
    }
    if let Some(whole) = body_fields.iter().find(|p| p.whole_body) {
        // The one parameter is the body.
        let mut media = Map::new();
        media.insert(
            "schema".into(),
            annotate(value_schema(whole), use_annotations(whole, false)),
        );
        if let Some(example) = example_body(spec, "request") {
            media.insert("example".into(), example);
        }
        op.insert(
            "requestBody".into(),
            json!({
                "required": whole.is_required(),
                "description": whole.doc(),
                "content": { "application/json": Value::Object(media) },
            }),
        );
    } else if !form_fields.is_empty() {
        op.insert(
            "requestBody".into(),
            json!({
                "required": true,
                "content": { "multipart/form-data": { "schema": object(&form_fields, None) } },
            }),
        );
    } else if !body_fields.is_empty() {
        let mut media = Map::new();
        media.insert("schema".into(), object(&body_fields, None));
        if let Some(example) = example_body(spec, "request") {
            media.insert("example".into(), example);
        }
        op.insert(
            "requestBody".into(),
            json!({
                "required": body_fields.iter().any(FieldSpec::is_required),
                "content": { "application/json": Value::Object(media) },
            }),
        );
    }

    let mut media = Map::new();
    let (schema, said) = match &spec.response {
        Some(response) => match &response.model {
            Some(model) if response.list => (
                json!({ "type": "array", "items": reference(model) }),
                "The answer: a list.",
            ),
            Some(model) => (reference(model), "The answer."),
            None => (object(&response.fields, None), "The answer."),
        },
        None => (
            json!({ "type": "object" }),
            "Success. The service documents no answer fields: the body is an empty JSON object, or empty.",
        ),
    };
    media.insert("schema".into(), schema);
    if let Some(example) = example_body(spec, "response") {
        media.insert("example".into(), example);
    }
    op.insert(
        "responses".into(),
        json!({
            "200": {
                "description": said,
                "content": { "application/json": Value::Object(media) },
            },
            // Not `default`: progenitor reads a `default` response as a
            // possible success too, and refuses two success types.
            "4XX": { "$ref": format!("#/components/responses/{API_ERROR}") },
            "5XX": { "$ref": format!("#/components/responses/{API_ERROR}") },
        }),
    );
    Value::Object(op)
}

/// `value` with the keys of every object sorted (whatever order
/// `serde_json::Map` keeps, which depends on its features).
pub fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_version_is_read_from_its_section() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cargo.toml");
        fs::write(
            &path,
            "[package]\nversion = \"9.9.9\"\n\n[workspace.package]\nedition = \"2024\"\nversion = \"1.2.3\"\n",
        )
        .unwrap();
        assert_eq!(workspace_version(&path).unwrap(), "1.2.3");
        fs::write(&path, "[package]\nversion = \"9.9.9\"\n").unwrap();
        assert!(workspace_version(&path).is_err());
    }

    #[test]
    fn keys_are_sorted_at_every_depth() {
        let value = json!({ "b": { "z": 1, "a": [{ "y": 1, "x": 2 }] }, "a": 0 });
        let text = serde_json::to_string(&sorted(value)).unwrap();
        assert_eq!(text, r#"{"a":0,"b":{"a":[{"x":2,"y":1}],"z":1}}"#);
    }

    #[test]
    fn a_ref_with_annotations_is_wrapped() {
        let mut a = Map::new();
        a.insert("description".into(), json!("Why."));
        assert_eq!(
            annotate(reference("X"), a.clone()),
            json!({ "allOf": [{ "$ref": "#/components/schemas/X" }], "description": "Why." })
        );
        assert_eq!(
            annotate(json!({ "type": "string" }), a),
            json!({ "type": "string", "description": "Why." })
        );
        assert_eq!(annotate(reference("X"), Map::new()), reference("X"));
    }
}
