//! Checks that the schema cannot express: names match files, references
//! point at something, values are unique and valid, Rust names do not
//! collide.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::catalog::Catalog;
use crate::error::{Diagnostics, SpecError};
use crate::naming;
use crate::spec::{AuthKind, FieldSpec, In, Kind, Scalar, SpecFile, TimeFormat};

/// The most parameters an operation may have: what a request lends as
/// views (core `view::MAX_PARAMS`).
pub const MAX_PARAMS: usize = 32;

/// Method names a request type already has (constructor, `Operation`).
const REQUEST_RESERVED: &[&str] = &[
    "new",
    "meta",
    "to_wire",
    "views",
    "prepare",
    "attempt_request",
    "enum_check",
    "target_conference_id",
    "fill_conference_id",
    "validate",
    "to_http",
    "decode",
];

/// Method names a model or response type already has.
const MODEL_RESERVED: &[&str] = &["new"];

/// Type names the generated files import or use, which a spec type must not
/// shadow.
const RESERVED_TYPES: &[&str] = &[
    "Auth",
    "Box",
    "Constraints",
    "Default",
    "Deserialize",
    "Deserializer",
    "EnumMeta",
    "EnumValue",
    "Err",
    "Field",
    "Literal",
    "Location",
    "None",
    "ObjectMeta",
    "Ok",
    "OffsetDateTime",
    "Operation",
    "OperationMeta",
    "Option",
    "Page",
    "Paginated",
    "Pagination",
    "RequiredIf",
    "Result",
    "Secret",
    "Self",
    "Serialize",
    "Serializer",
    "Some",
    "String",
    "TimeFormat",
    "Type",
    "Vec",
    "WireRequest",
];

/// Checks every file and the catalog; errors go to `diagnostics`.
pub fn check(files: &[SpecFile], catalog: &Catalog<'_>, diagnostics: &mut Diagnostics) {
    for file in files {
        FileChecker { file, diagnostics }.check();
    }
    check_type_names(files, catalog, diagnostics);
}

struct FileChecker<'a, 'd> {
    file: &'a SpecFile,
    diagnostics: &'d mut Diagnostics,
}

/// What kind of struct a list of fields becomes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    Request,
    Model,
}

impl FileChecker<'_, '_> {
    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics
            .push(SpecError::new(&self.file.label, pointer, message));
    }

    fn check(&mut self) {
        let spec = &self.file.spec;
        if spec.id != self.file.stem {
            self.error(
                "/id",
                format!(
                    "the id `{}` differs from the file name `{}.json`",
                    spec.id, self.file.stem
                ),
            );
        }
        if naming::is_keyword(&spec.id) {
            self.error("/id", format!("`{}` is a Rust keyword", spec.id));
        }
        self.check_path();
        self.check_auth();

        let conference_ids: Vec<usize> = spec
            .parameters
            .iter()
            .enumerate()
            .filter(|(_, p)| p.conference_id)
            .map(|(i, _)| i)
            .collect();
        for i in conference_ids.iter().skip(1) {
            self.error(
                &format!("/parameters/{i}/conference_id"),
                format!(
                    "only one parameter may carry the meeting ID; `{}` already does",
                    spec.parameters[conference_ids[0]].wire_name()
                ),
            );
        }

        if spec.parameters.len() > MAX_PARAMS {
            self.error(
                "/parameters",
                format!(
                    "{} parameters; an operation may have at most {MAX_PARAMS}",
                    spec.parameters.len()
                ),
            );
        }
        self.check_list(&spec.parameters, "/parameters", Owner::Request);
        if let Some(response) = &spec.response {
            if let Some(model) = &response.model
                && RESERVED_TYPES.contains(&model.as_str())
            {
                self.error(
                    "/response/model",
                    format!("`{model}` is a name the generated code already uses"),
                );
            }
            self.check_list(&response.fields, "/response/fields", Owner::Model);
        }
        self.check_pagination();
        self.check_body_shape();
    }

    /// A whole-body parameter is the only body parameter and a list or a
    /// dictionary; form parts never share the request with a JSON body;
    /// files are form parts and form parts are scalars or files.
    fn check_body_shape(&mut self) {
        let spec = &self.file.spec;
        let body = |p: &&FieldSpec| p.location == Some(In::Body);
        let in_body = spec.parameters.iter().filter(body).count();
        let mut form = false;
        for (i, p) in spec.parameters.iter().enumerate() {
            let ptr = format!("/parameters/{i}");
            if p.whole_body {
                if p.location != Some(In::Body) {
                    self.error(
                        &format!("{ptr}/whole_body"),
                        "only a body parameter can be the whole body",
                    );
                } else if in_body > 1 {
                    self.error(
                        &format!("{ptr}/whole_body"),
                        "the whole body must be the only body parameter",
                    );
                }
                if !(p.kind == Kind::Array || (p.kind == Kind::Object && p.values.is_some())) {
                    self.error(
                        &format!("{ptr}/whole_body"),
                        "the whole body must be a list or a dictionary (`values`)",
                    );
                }
            }
            if p.location == Some(In::Form) {
                form = true;
                if !matches!(
                    p.kind,
                    Kind::File | Kind::String | Kind::Integer | Kind::Boolean
                ) {
                    self.error(
                        &format!("{ptr}/type"),
                        "a form part is a file, a string, an integer or a boolean",
                    );
                }
            }
            if p.kind == Kind::File && p.location != Some(In::Form) {
                self.error(
                    &format!("{ptr}/in"),
                    "a file travels as a form part (`\"in\": \"form\"`)",
                );
            }
        }
        if form && in_body > 0 {
            self.error(
                "/parameters",
                "an upload (form parts) cannot also have a JSON body",
            );
        }
        if form && !matches!(spec.method.as_str(), "POST" | "PUT" | "PATCH") {
            self.error("/method", "an upload is sent with POST, PUT or PATCH");
        }
    }

    /// The pagination names an integer query parameter for the offset and
    /// the limit, an integer answer field for the count and a list answer
    /// field for the items.
    fn check_pagination(&mut self) {
        let spec = &self.file.spec;
        let Some(pagination) = &spec.pagination else {
            return;
        };
        for (key, name) in [("offset", &pagination.offset), ("limit", &pagination.limit)] {
            let found = spec.parameters.iter().any(|p| {
                p.wire_name() == name
                    && p.location == Some(In::Query)
                    && p.kind == Kind::Integer
                    && p.is_optional_in_rust()
            });
            if !found {
                self.error(
                    &format!("/pagination/{key}"),
                    format!("`{name}` is not an optional integer parameter in the query"),
                );
            }
        }
        let answer: &[FieldSpec] = match &spec.response {
            Some(r) if !r.list => &r.fields,
            _ => &[],
        };
        let find = |name: &str| answer.iter().find(|f| f.wire_name() == name);
        if !find(&pagination.count).is_some_and(|f| f.kind == Kind::Integer) {
            self.error(
                "/pagination/count",
                format!(
                    "`{}` is not an integer field of the answer (an object)",
                    pagination.count
                ),
            );
        }
        if !find(&pagination.items).is_some_and(|f| f.kind == Kind::Array) {
            self.error(
                "/pagination/items",
                format!(
                    "`{}` is not a list field of the answer (an object)",
                    pagination.items
                ),
            );
        }
    }

    fn check_path(&mut self) {
        let spec = &self.file.spec;
        let mut in_path = BTreeSet::new();
        for segment in spec.path.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                if !in_path.insert(name) {
                    self.error("/path", format!("the path names `{{{name}}}` twice"));
                }
                let found = spec
                    .parameters
                    .iter()
                    .any(|p| p.location == Some(In::Path) && p.wire_name() == name);
                if !found {
                    self.error(
                        "/path",
                        format!(
                            "the path segment `{{{name}}}` has no parameter `{name}` in the path"
                        ),
                    );
                }
            }
        }
        for (i, p) in spec.parameters.iter().enumerate() {
            if p.location == Some(In::Path) && !in_path.contains(p.wire_name()) {
                self.error(
                    &format!("/parameters/{i}/name"),
                    format!(
                        "path parameter `{}` has no `{{{}}}` segment in the path `{}`",
                        p.wire_name(),
                        p.wire_name(),
                        spec.path
                    ),
                );
            }
        }
    }

    fn check_auth(&mut self) {
        let spec = &self.file.spec;
        if let (AuthKind::Basic, Some(user)) = (spec.auth.kind, &spec.auth.username_field) {
            let ok = spec.parameters.iter().any(|p| {
                p.location == Some(In::Body) && p.wire_name() == user && p.kind == Kind::String
            });
            if !ok {
                self.error(
                    "/auth/username_field",
                    format!("`{user}` is not a string parameter in the body"),
                );
            }
        }
    }

    /// Checks a list of sibling fields that become one struct.
    fn check_list(&mut self, fields: &[FieldSpec], pointer: &str, owner: Owner) {
        let reserved = match owner {
            Owner::Request => REQUEST_RESERVED,
            Owner::Model => MODEL_RESERVED,
        };
        let mut wire_names: BTreeMap<(Option<In>, String), usize> = BTreeMap::new();
        let mut rust_names: BTreeMap<String, usize> = BTreeMap::new();
        for (i, f) in fields.iter().enumerate() {
            let ptr = format!("{pointer}/{i}");
            // Header names are case-insensitive.
            let key = if f.location == Some(In::Header) {
                f.wire_name().to_ascii_lowercase()
            } else {
                f.wire_name().to_owned()
            };
            if let Some(first) = wire_names.insert((f.location, key), i) {
                self.error(
                    &format!("{ptr}/name"),
                    format!(
                        "`{}` is already the name of {pointer}/{first}",
                        f.wire_name()
                    ),
                );
            }
            let rust = naming::field_name(f);
            let rust_ptr = if f.rust_name.is_some() {
                format!("{ptr}/rust_name")
            } else {
                format!("{ptr}/name")
            };
            if !naming::is_snake_ident(&rust) || !naming::usable_ident(&rust) {
                self.error(&rust_ptr, format!("`{rust}` cannot be a Rust field name"));
            } else if reserved.contains(&rust.as_str()) {
                self.error(
                    &rust_ptr,
                    format!("the Rust name `{rust}` is taken by a method of the generated type"),
                );
            }
            if let Some(first) = rust_names.insert(rust.clone(), i) {
                self.error(
                    &rust_ptr,
                    format!(
                        "the Rust name `{rust}` is already the name of {pointer}/{first} (`{}`)",
                        fields[first].wire_name()
                    ),
                );
            }
            self.check_field(f, &ptr, Some(fields));
        }
    }

    /// Checks one field; `siblings` is the list it belongs to (none for
    /// array items).
    fn check_field(&mut self, f: &FieldSpec, ptr: &str, siblings: Option<&[FieldSpec]>) {
        if f.conference_id && ptr.contains("/fields/") {
            self.error(
                &format!("{ptr}/conference_id"),
                "only a top-level parameter can carry the meeting ID",
            );
        }
        for (lo, hi, a, b) in [
            (
                "min_length",
                "max_length",
                f.min_length.map(|v| v as f64),
                f.max_length.map(|v| v as f64),
            ),
            ("minimum", "maximum", f.minimum, f.maximum),
            (
                "min_items",
                "max_items",
                f.min_items.map(|v| v as f64),
                f.max_items.map(|v| v as f64),
            ),
        ] {
            if let (Some(a), Some(b)) = (a, b)
                && a > b
            {
                self.error(
                    &format!("{ptr}/{lo}"),
                    format!("`{lo}` is larger than `{hi}`"),
                );
            }
        }
        if let Some(e) = &f.enumeration {
            self.check_enum(f, e, &format!("{ptr}/enum"));
        }
        if let Some(time) = f.time {
            let fits = match time {
                TimeFormat::MinuteUtc | TimeFormat::Date => f.kind == Kind::String,
                TimeFormat::UnixMillis => f.kind == Kind::Integer,
            };
            if !fits || f.secret || f.enumeration.is_some() {
                self.error(
                    &format!("{ptr}/time"),
                    format!(
                        "`{}` needs a plain {} field",
                        time.as_str(),
                        if time == TimeFormat::UnixMillis {
                            "integer"
                        } else {
                            "string"
                        }
                    ),
                );
            }
        }
        if let Some(cond) = &f.required_if {
            self.check_required_if(f, cond, ptr, siblings);
        }
        if let Some(default) = &f.default
            && let Some(problem) = value_problem(f, default)
        {
            self.error(
                &format!("{ptr}/default"),
                format!("the default {default} {problem}"),
            );
        }
        if let Some(fields) = &f.fields {
            if let Some(model) = &f.model
                && RESERVED_TYPES.contains(&model.as_str())
            {
                self.error(
                    &format!("{ptr}/model"),
                    format!("`{model}` is a name the generated code already uses"),
                );
            }
            self.check_list(fields, &format!("{ptr}/fields"), Owner::Model);
        }
        if let Some(items) = &f.items {
            self.check_field(items, &format!("{ptr}/items"), None);
        }
        if let Some(values) = &f.values {
            if f.kind != Kind::Object || f.fields.is_some() || f.model.is_some() {
                self.error(
                    &format!("{ptr}/values"),
                    "only an object without `model` and `fields` is a dictionary",
                );
            }
            self.check_field(values, &format!("{ptr}/values"), None);
        }
        if f.kind == Kind::File && ptr.contains("/fields/") {
            self.error(
                &format!("{ptr}/type"),
                "a file can only be a top-level form parameter",
            );
        }
        if f.max_bytes.is_some() && f.kind != Kind::File {
            self.error(
                &format!("{ptr}/max_bytes"),
                "only a file has a size in bytes",
            );
        }
    }

    fn check_enum(&mut self, f: &FieldSpec, e: &crate::spec::EnumSpec, ptr: &str) {
        if f.secret {
            self.error(ptr, "a secret cannot have coded values");
        }
        if RESERVED_TYPES.contains(&e.rust_name.as_str()) {
            self.error(
                &format!("{ptr}/rust_name"),
                format!(
                    "`{}` is a name the generated code already uses",
                    e.rust_name
                ),
            );
        }
        let mut values: BTreeMap<&Scalar, usize> = BTreeMap::new();
        let mut names: BTreeMap<&str, usize> = BTreeMap::new();
        let mut variants: BTreeMap<String, usize> = BTreeMap::new();
        for (i, v) in e.values.iter().enumerate() {
            let vptr = format!("{ptr}/values/{i}");
            if let Some(first) = values.insert(&v.value, i) {
                self.error(
                    &format!("{vptr}/value"),
                    format!(
                        "the value {} is already listed at {ptr}/values/{first}",
                        v.value
                    ),
                );
            }
            if let Some(first) = names.insert(&v.name, i) {
                self.error(
                    &format!("{vptr}/name"),
                    format!(
                        "the name `{}` is already used at {ptr}/values/{first}",
                        v.name
                    ),
                );
            }
            let variant = naming::pascal(&v.name);
            if naming::is_keyword(&variant) {
                self.error(
                    &format!("{vptr}/name"),
                    format!("the Rust variant `{variant}` would be a keyword"),
                );
            } else if variant == "Unknown" {
                self.error(
                    &format!("{vptr}/name"),
                    "`unknown` is reserved for the variant of values the SDK does not know",
                );
            } else if let Some(first) = variants.insert(variant.clone(), i)
                && e.values[first].name != v.name
            {
                self.error(
                    &format!("{vptr}/name"),
                    format!(
                        "the name `{}` gives the Rust variant `{variant}`, as `{}` does",
                        v.name, e.values[first].name
                    ),
                );
            }
        }
    }

    fn check_required_if(
        &mut self,
        f: &FieldSpec,
        cond: &crate::spec::RequiredIfSpec,
        ptr: &str,
        siblings: Option<&[FieldSpec]>,
    ) {
        let ptr = format!("{ptr}/required_if/parameter");
        let Some(siblings) = siblings else {
            self.error(&ptr, "array items cannot be conditionally required");
            return;
        };
        let Some(other) = siblings.iter().find(|s| s.wire_name() == cond.parameter) else {
            self.error(
                &ptr,
                format!("`{}` names no sibling parameter or field", cond.parameter),
            );
            return;
        };
        if other.wire_name() == f.wire_name() {
            self.error(&ptr, "a field cannot depend on itself");
            return;
        }
        if other.location != f.location {
            self.error(
                &ptr,
                format!(
                    "`{}` travels {}, but this parameter {}; a condition reads its own location",
                    cond.parameter,
                    other.location.map_or("elsewhere", In::as_str),
                    f.location.map_or("elsewhere", In::as_str),
                ),
            );
        }
        if let Some(problem) = value_problem(other, &cond.equals) {
            let eq_ptr = ptr.replace("/parameter", "/equals");
            self.error(
                &eq_ptr,
                format!(
                    "{} {problem} (the type of `{}`)",
                    cond.equals, cond.parameter
                ),
            );
        }
    }
}

/// Why `value` is not a valid value of `field`, if it is not.
fn value_problem(field: &FieldSpec, value: &Value) -> Option<String> {
    let ok_type = match field.kind {
        Kind::String => value.is_string(),
        Kind::Integer => value.is_i64(),
        Kind::Boolean => value.is_boolean(),
        Kind::Number => {
            return Some(
                "is a number; only string, integer and boolean values are supported here".into(),
            );
        }
        Kind::File => false,
        Kind::Array | Kind::Object => {
            return Some(format!(
                "cannot be given for a field of type {}",
                field.kind.as_str()
            ));
        }
    };
    if !ok_type {
        return Some(format!("is not of type {}", field.kind.as_str()));
    }
    if let Some(e) = &field.enumeration {
        let listed = e.values.iter().any(|v| match (&v.value, value) {
            (Scalar::Int(i), Value::Number(n)) => n.as_i64() == Some(*i),
            (Scalar::Str(s), Value::String(t)) => s == t,
            _ => false,
        });
        if !listed {
            return Some(format!("is not one of the values of `{}`", e.rust_name));
        }
    }
    if let Some(n) = value.as_i64() {
        let n = n as f64;
        if field.minimum.is_some_and(|m| n < m) || field.maximum.is_some_and(|m| n > m) {
            return Some("is out of the allowed range".into());
        }
    }
    if let Some(s) = value.as_str() {
        let len = s.chars().count() as u64;
        if field.min_length.is_some_and(|m| len < m) || field.max_length.is_some_and(|m| len > m) {
            return Some("has a length out of the allowed range".into());
        }
    }
    None
}

/// Request, response, enum and model names share one namespace.
fn check_type_names(files: &[SpecFile], catalog: &Catalog<'_>, diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut claim = |name: String, file: &str, pointer: &str, diagnostics: &mut Diagnostics| {
        if let Some((f, p)) = seen.get(&name) {
            diagnostics.push(SpecError::new(
                file,
                pointer,
                format!(
                    "the Rust type name `{name}` is already taken by {f} at {}",
                    if p.is_empty() { "/" } else { p }
                ),
            ));
        } else {
            seen.insert(name, (file.to_owned(), pointer.to_owned()));
        }
    };
    for file in files {
        claim(
            naming::request_type(&file.spec.id),
            &file.label,
            "/id",
            diagnostics,
        );
        claim(
            naming::response_type(&file.spec.id),
            &file.label,
            "/id",
            diagnostics,
        );
    }
    for (name, def) in &catalog.enums {
        claim(
            name.clone(),
            &def.origin.file,
            &def.origin.pointer,
            diagnostics,
        );
    }
    for (name, def) in &catalog.models {
        claim(
            name.clone(),
            &def.origin.file,
            &def.origin.pointer,
            diagnostics,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock_view(body_rust_name: Option<&str>) -> Vec<SpecFile> {
        let mut body = serde_json::json!({
            "name": "participantID", "in": "body", "type": "string", "required": true,
            "description": "The watched participant."
        });
        if let Some(name) = body_rust_name {
            body["rust_name"] = name.into();
        }
        let json = serde_json::json!({
            "$schema": "./schema.json", "id": "lock_view", "group": "meeting_control",
            "method": "PUT", "path": "/v1/lockView", "summary": "x", "description": "x",
            "auth": {"kind": "none"}, "idempotent": true,
            "parameters": [{
                "name": "participantID", "in": "query", "type": "string", "required": true,
                "description": "The terminal."
            }, body],
            "response": null, "examples": []
        });
        vec![SpecFile {
            stem: "lock_view".into(),
            label: "spec/lock_view.json".into(),
            spec: serde_json::from_value(json).unwrap(),
        }]
    }

    fn errors(files: &[SpecFile]) -> Vec<String> {
        let mut diagnostics = Diagnostics::default();
        let catalog = Catalog::build(files, &mut diagnostics);
        check(files, &catalog, &mut diagnostics);
        diagnostics.errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn one_wire_name_in_two_places_needs_a_rust_name() {
        assert_eq!(
            errors(&lock_view(None)),
            [
                "spec/lock_view.json: /parameters/1/name: the Rust name `participant_id` is already the name of /parameters/0 (`participantID`)"
            ]
        );
        assert!(errors(&lock_view(Some("source_participant_id"))).is_empty());
        assert_eq!(
            errors(&lock_view(Some("Source"))),
            ["spec/lock_view.json: /parameters/1/rust_name: `Source` cannot be a Rust field name"]
        );
    }
}
