//! The spec files: their typed form, and loading them (JSON parse, schema
//! validation, then deserialization into the types below).

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Diagnostics, SpecError};

/// One spec file, as read.
#[derive(Clone, Debug)]
pub struct SpecFile {
    /// The file name without `.json` (which must equal the operation id).
    pub stem: String,
    /// How the file is named in messages and headers (`spec/set_role.json`).
    pub label: String,
    /// Its content.
    pub spec: Spec,
}

/// One endpoint (the top level of a spec file).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Always `./schema.json`.
    #[serde(rename = "$schema")]
    pub schema: String,
    pub id: String,
    pub group: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: String,
    pub auth: AuthSpec,
    pub idempotent: bool,
    /// The part the operation plays in a session; absent for most.
    #[serde(default)]
    pub session_role: Option<SessionRole>,
    /// How a search answers page by page; absent for other operations.
    #[serde(default)]
    pub pagination: Option<PaginationSpec>,
    pub parameters: Vec<FieldSpec>,
    pub response: Option<ResponseSpec>,
    /// Examples are for the simulator and the tests; the generator only
    /// checks that they exist (the schema checks their shape).
    pub examples: Vec<Value>,
}

/// The credential an operation needs.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AuthSpec {
    pub kind: AuthKind,
    pub header: Option<String>,
    pub username_field: Option<String>,
}

/// The kinds of credential.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    None,
    Basic,
    AppSignature,
    AccessToken,
    ConferenceToken,
}

/// The parts an operation can play in a session (core `SessionRole`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SessionRole {
    Login,
    Logout,
    ExtendsAccessToken,
    ControlToken,
}

/// The wire names that make an operation paginated.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PaginationSpec {
    /// The integer query parameter: index of the page's first item.
    pub offset: String,
    /// The integer query parameter: most items per page.
    pub limit: String,
    /// The integer answer field: items of all pages.
    pub count: String,
    /// The list answer field: the page's items.
    pub items: String,
}

/// The documented fields of an answer.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    /// The Rust name of a model the answer is, when operations share one:
    /// the struct is generated once in `models.rs`, and the operation's
    /// response type is an alias of it. Same-named models must be equal.
    pub model: Option<String>,
    /// What the shared answer is, for the docs of its struct (given with
    /// `model`, and repeated by every answer that names it).
    pub model_description: Option<String>,
    /// The answer is a JSON list of `model` objects, not one object.
    #[serde(default)]
    pub list: bool,
    pub fields: Vec<FieldSpec>,
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum In {
    Path,
    Query,
    Header,
    Body,
    /// A part of a `multipart/form-data` body.
    Form,
}

impl In {
    /// The words used in docs (`in the query`).
    pub fn phrase(self) -> &'static str {
        match self {
            In::Path => "in the path",
            In::Query => "in the query",
            In::Header => "header",
            In::Body => "in the body",
            In::Form => "a part of the multipart form",
        }
    }

    /// The spec's name.
    pub fn as_str(self) -> &'static str {
        match self {
            In::Path => "path",
            In::Query => "query",
            In::Header => "header",
            In::Body => "body",
            In::Form => "form",
        }
    }
}

/// The JSON types.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
    /// A file part of a multipart body.
    File,
}

impl Kind {
    /// The spec's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Array => "array",
            Kind::Object => "object",
            Kind::File => "file",
        }
    }
}

/// Width of an integer (documentation only: every integer is an `i64`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Int32,
    Int64,
}

/// How a field writes a point in time.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TimeFormat {
    /// A string `yyyy-MM-dd HH:mm`, UTC.
    MinuteUtc,
    /// A string `yyyy-MM-dd`.
    Date,
    /// An integer of milliseconds since the Unix epoch.
    UnixMillis,
}

impl TimeFormat {
    /// The spec's name.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeFormat::MinuteUtc => "minute_utc",
            TimeFormat::Date => "date",
            TimeFormat::UnixMillis => "unix_millis",
        }
    }
}

/// A parameter, a response field, a nested object field or an array's
/// items. The schema decides which keys each of them may have; one type
/// holds them all.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The wire name (absent for array items).
    pub name: Option<String>,
    /// Where a parameter travels (absent for fields and items).
    #[serde(rename = "in")]
    pub location: Option<In>,
    #[serde(rename = "type")]
    pub kind: Kind,
    pub format: Option<Format>,
    /// A point in time, and how it is written.
    pub time: Option<TimeFormat>,
    /// Absent for array items (they are always present).
    pub required: Option<bool>,
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub conference_id: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    /// Most bytes of a file.
    pub max_bytes: Option<u64>,
    /// The parameter is the whole JSON body (a list, or a dictionary).
    #[serde(default)]
    pub whole_body: bool,
    /// A dictionary's values (an object of free keys).
    pub values: Option<Box<FieldSpec>>,
    #[serde(rename = "enum")]
    pub enumeration: Option<EnumSpec>,
    pub required_if: Option<RequiredIfSpec>,
    pub default: Option<Value>,
    pub items: Option<Box<FieldSpec>>,
    pub model: Option<String>,
    /// What the object type is, for the docs of its struct (which
    /// otherwise borrow the description of the first field that uses it).
    pub model_description: Option<String>,
    pub fields: Option<Vec<FieldSpec>>,
    /// Overrides the Rust field name derived from the wire name.
    pub rust_name: Option<String>,
    /// Absent only for array items.
    pub description: Option<String>,
}

impl FieldSpec {
    /// The wire name, or `""` for array items.
    pub fn wire_name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    /// Whether the spec says it must be present.
    pub fn is_required(&self) -> bool {
        self.required.unwrap_or(true)
    }

    /// The description, or `""`.
    pub fn doc(&self) -> &str {
        self.description.as_deref().unwrap_or("")
    }

    /// Whether the Rust field is an `Option`: the field may be absent, has
    /// a default the SDK fills in, or is the meeting ID a handle fills in.
    pub fn is_optional_in_rust(&self) -> bool {
        !self.is_required() || self.default.is_some() || self.conference_id
    }
}

/// The coded values of a field.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EnumSpec {
    pub rust_name: String,
    /// What the coded value is, for the docs of the enum (which otherwise
    /// borrow the description of the first field that uses it).
    pub description: Option<String>,
    pub values: Vec<EnumValueSpec>,
}

/// One coded value.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EnumValueSpec {
    pub value: Scalar,
    pub name: String,
    pub description: String,
}

/// An integer or string value of an enum.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(untagged)]
pub enum Scalar {
    Int(i64),
    Str(String),
}

impl std::fmt::Display for Scalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::Str(s) => write!(f, "{s:?}"),
        }
    }
}

/// A condition that makes an optional field required.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RequiredIfSpec {
    pub parameter: String,
    pub equals: Value,
}

/// The file name of the schema in the spec directory (not a spec itself).
pub const SCHEMA_FILE: &str = "schema.json";

/// Reads every spec file in `dir` (sorted by name, `schema.json` left
/// out), checking each against the schema at `schema_path`. `label_dir` is
/// how the directory is named in messages (`spec`).
pub fn load_dir(
    dir: &Path,
    label_dir: &str,
    schema_path: &Path,
) -> Result<Vec<SpecFile>, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let schema_label = schema_path.display().to_string();
    let validator = match read_json(schema_path, &schema_label) {
        Ok(schema) => match jsonschema::validator_for(&schema) {
            Ok(v) => v,
            Err(e) => {
                diagnostics.push(SpecError::new(
                    &schema_label,
                    e.instance_path().as_str(),
                    format!("not a valid JSON Schema: {e}"),
                ));
                return Err(diagnostics);
            }
        },
        Err(e) => {
            diagnostics.push(e);
            return Err(diagnostics);
        }
    };

    let mut paths: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter(|p| p.file_name().is_some_and(|n| n != SCHEMA_FILE))
            .collect(),
        Err(e) => {
            diagnostics.push(SpecError::new(
                label_dir,
                "",
                format!("cannot read the directory: {e}"),
            ));
            return Err(diagnostics);
        }
    };
    paths.sort();

    let mut files = Vec::new();
    for path in paths {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let label = format!("{label_dir}/{stem}.json");
        let json = match read_json(&path, &label) {
            Ok(json) => json,
            Err(e) => {
                diagnostics.push(e);
                continue;
            }
        };
        let mut schema_errors: Vec<SpecError> = validator
            .iter_errors(&json)
            .map(|e| schema_error(&label, &e))
            .collect();
        if !schema_errors.is_empty() {
            schema_errors.sort();
            schema_errors.dedup();
            diagnostics.extend(schema_errors);
            continue;
        }
        match serde_json::from_value::<Spec>(json) {
            Ok(spec) => files.push(SpecFile { stem, label, spec }),
            // The schema and these types agree, so this only happens when
            // the schema allows something the generator does not know.
            Err(e) => diagnostics.push(SpecError::new(
                &label,
                "",
                format!("the schema accepts it, but the generator cannot read it: {e}"),
            )),
        }
    }
    diagnostics.into_result(files)
}

fn read_json(path: &Path, label: &str) -> Result<Value, SpecError> {
    let text = fs::read_to_string(path)
        .map_err(|e| SpecError::new(label, "", format!("cannot read the file: {e}")))?;
    serde_json::from_str(&text)
        .map_err(|e| SpecError::new(label, "", format!("not valid JSON: {e}")))
}

fn schema_error(label: &str, error: &jsonschema::ValidationError<'_>) -> SpecError {
    let mut pointer = error.instance_path().as_str().to_owned();
    let message = match error.kind() {
        jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
            // Point at the unknown key itself.
            if let [key] = unexpected.as_slice() {
                pointer.push('/');
                pointer.push_str(&escape_pointer(key));
                format!("unknown key `{key}`")
            } else {
                let keys: Vec<String> = unexpected.iter().map(|k| format!("`{k}`")).collect();
                format!("unknown keys {}", keys.join(", "))
            }
        }
        _ => error.to_string(),
    };
    SpecError::new(label, &pointer, message)
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
