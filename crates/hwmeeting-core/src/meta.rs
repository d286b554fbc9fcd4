//! A static description of every operation, generated from `spec/`.
//!
//! The typed request builders, the generic validator, the simulator and the
//! command line all read the same description, so a new spec file is checked
//! and served everywhere the same way.

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// A `{name}` segment of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A field of the JSON body (or of a nested object in it); with
    /// [`Field::whole_body`], the whole JSON body.
    Body,
    /// A part of a `multipart/form-data` body: a file
    /// ([`Type::File`]) or a text part.
    Form,
}

impl Location {
    /// The name used in the spec files (`path`, `query`, `header`, `body`,
    /// `form`).
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Body => "body",
            Location::Form => "form",
        }
    }
}

/// The credential an operation needs, and the header that carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// No credential (or one passed as an ordinary secret parameter).
    None,
    /// HTTP Basic: the user name is the body field `username_field`, the
    /// password is the account password.
    Basic {
        /// Header name, `Authorization`.
        header: &'static str,
        /// Wire name of the body field that holds the user name.
        username_field: &'static str,
    },
    /// The App ID signature (HMAC-SHA256 over the body's appId, corpId,
    /// userId, expireTime and nonce, keyed with the app key).
    AppSignature {
        /// Header name, `Authorization`.
        header: &'static str,
    },
    /// An access token from `app_auth` or `account_auth`.
    AccessToken {
        /// Header name, `X-Access-Token`.
        header: &'static str,
    },
    /// A meeting control token from `create_conf_token`.
    ConferenceToken {
        /// Header name, `X-Conference-Authorization`.
        header: &'static str,
    },
}

impl Auth {
    /// The header that carries the credential, if any.
    pub fn header(&self) -> Option<&'static str> {
        match *self {
            Auth::None => None,
            Auth::Basic { header, .. }
            | Auth::AppSignature { header }
            | Auth::AccessToken { header }
            | Auth::ConferenceToken { header } => Some(header),
        }
    }

    /// The spec's name of the kind (`none`, `basic`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Auth::None => "none",
            Auth::Basic { .. } => "basic",
            Auth::AppSignature { .. } => "app_signature",
            Auth::AccessToken { .. } => "access_token",
            Auth::ConferenceToken { .. } => "conference_token",
        }
    }
}

/// A literal value from the spec (enum values, defaults, conditions).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Literal {
    /// An integer.
    Int(i64),
    /// A string.
    Str(&'static str),
    /// A boolean.
    Bool(bool),
}

impl Literal {
    /// The value as JSON.
    pub fn to_json(self) -> serde_json::Value {
        match self {
            Literal::Int(i) => serde_json::Value::from(i),
            Literal::Str(s) => serde_json::Value::from(s),
            Literal::Bool(b) => serde_json::Value::from(b),
        }
    }

    /// Whether a JSON value equals this literal.
    pub fn matches(self, value: &serde_json::Value) -> bool {
        match self {
            Literal::Int(i) => value.as_i64() == Some(i),
            Literal::Str(s) => value.as_str() == Some(s),
            Literal::Bool(b) => value.as_bool() == Some(b),
        }
    }
}

impl std::fmt::Display for Literal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Literal::Int(i) => write!(f, "{i}"),
            Literal::Str(s) => write!(f, "{s:?}"),
            Literal::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// One named value of a coded field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnumValue {
    /// The value on the wire.
    pub value: Literal,
    /// Its snake_case name (the CLI accepts it in place of the value).
    pub name: &'static str,
    /// What it means.
    pub description: &'static str,
}

/// A coded field's values and the Rust type generated for it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnumMeta {
    /// The Rust type name.
    pub rust_name: &'static str,
    /// The known values.
    pub values: &'static [EnumValue],
}

/// A nested object type.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ObjectMeta {
    /// The Rust type name.
    pub model: &'static str,
    /// Its fields.
    pub fields: &'static [Field],
}

/// The type of a parameter or field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Type {
    /// A string.
    String,
    /// A whole number.
    Integer,
    /// A number that may have a fraction.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A list; the field describes each item.
    Array(&'static Field),
    /// A nested object.
    Object(&'static ObjectMeta),
    /// A JSON object of free keys (a dictionary); the field describes each
    /// value.
    Map(&'static Field),
    /// A file, sent as a part of a `multipart/form-data` body
    /// ([`crate::upload::FilePart`]).
    File,
}

impl Type {
    /// The spec's name of the type.
    pub fn name(&self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::Boolean => "boolean",
            Type::Array(_) => "array",
            Type::Object(_) => "object",
            Type::Map(_) => "object",
            Type::File => "file",
        }
    }
}

/// A condition under which an optional parameter becomes required.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RequiredIf {
    /// Wire name of the sibling parameter the condition reads.
    pub parameter: &'static str,
    /// The value of that sibling that makes this parameter required.
    pub equals: Literal,
}

/// Limits on a value.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Constraints {
    /// Fewest characters of a string.
    pub min_length: Option<u64>,
    /// Most characters of a string.
    pub max_length: Option<u64>,
    /// Smallest number.
    pub minimum: Option<f64>,
    /// Largest number.
    pub maximum: Option<f64>,
    /// Fewest items of a list.
    pub min_items: Option<u64>,
    /// Most items of a list.
    pub max_items: Option<u64>,
    /// Most bytes of a file.
    pub max_bytes: Option<u64>,
}

impl Constraints {
    /// No limits.
    pub const NONE: Constraints = Constraints {
        min_length: None,
        max_length: None,
        minimum: None,
        maximum: None,
        min_items: None,
        max_items: None,
        max_bytes: None,
    };
}

/// A request parameter, a body field, a nested field or a response field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Field {
    /// The name on the wire.
    pub name: &'static str,
    /// The Rust field name generated for it.
    pub rust_name: &'static str,
    /// Where it travels (nested and response fields say `Body`).
    pub location: Location,
    /// Its type.
    pub ty: Type,
    /// Whether it must be present.
    pub required: bool,
    /// Whether it holds a password or token (never printed or logged).
    pub secret: bool,
    /// Whether it carries the meeting ID that a meeting handle fills in.
    pub conference_id: bool,
    /// Whether the service has deprecated it.
    pub deprecated: bool,
    /// The value sent when the caller gives none.
    pub default: Option<Literal>,
    /// The coded values, if it is an enum.
    pub enumeration: Option<&'static EnumMeta>,
    /// A condition that makes it required.
    pub required_if: Option<RequiredIf>,
    /// Limits on its value.
    pub constraints: Constraints,
    /// The way it writes a point in time, if it is one (checked before
    /// sending; [`crate::time`] reads and writes it).
    pub time: Option<TimeFormat>,
    /// The parameter is the whole JSON body (a list, or an object of free
    /// keys) rather than one field of it; the only body parameter.
    pub whole_body: bool,
    /// What it is.
    pub description: &'static str,
}

/// How a field writes a point in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeFormat {
    /// A string `yyyy-MM-dd HH:mm`, in UTC (a meeting's start time).
    MinuteUtc,
    /// A string `yyyy-MM-dd` (the first and last day of a series).
    Date,
    /// An integer of milliseconds since 1970-01-01 UTC (history, attendance).
    UnixMillis,
}

impl TimeFormat {
    /// The spec's name of the format.
    pub fn name(self) -> &'static str {
        match self {
            TimeFormat::MinuteUtc => "minute_utc",
            TimeFormat::Date => "date",
            TimeFormat::UnixMillis => "unix_millis",
        }
    }
}

/// The wire names that make an operation a paginated search: the request
/// says which page, the answer says how many items there are in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pagination {
    /// The integer query parameter: index of the page's first item (from 0).
    pub offset: &'static str,
    /// The integer query parameter: most items a page holds.
    pub limit: &'static str,
    /// The integer answer field: the number of items of all pages.
    pub count: &'static str,
    /// The answer field that lists the page's items.
    pub items: &'static str,
}

/// The part an operation plays in a session, from the spec's
/// `session_role`: the runtime reads it to know which answers carry a
/// token to cache and which calls end or renew a login, instead of
/// matching operation ids.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SessionRole {
    /// None of the others: an ordinary call.
    #[default]
    None,
    /// Logs in: the answer carries a new access token (`app_auth`,
    /// `account_auth`).
    Login,
    /// Logs out: revokes the access token the request carries
    /// (`delete_token`).
    Logout,
    /// Renews the access token the request carries: the answer is the
    /// token to cache from then on (`update_token`).
    ExtendsAccessToken,
    /// Obtains a meeting control token: the answer carries it
    /// (`create_conf_token`).
    ControlToken,
}

impl Field {
    /// A field with every member at its default: no name, a body string,
    /// optional, not secret, not the meeting ID, not deprecated, with no
    /// default value, coded values, condition, limits or description. The
    /// generated statics spell out only what differs from it
    /// (`Field { name: .., ty: .., ..Field::DEFAULT }`).
    pub const DEFAULT: Field = Field {
        name: "",
        rust_name: "",
        location: Location::Body,
        ty: Type::String,
        required: false,
        secret: false,
        conference_id: false,
        deprecated: false,
        default: None,
        enumeration: None,
        required_if: None,
        constraints: Constraints::NONE,
        time: None,
        whole_body: false,
        description: "",
    };
}

/// Everything needed to call, check and document one operation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OperationMeta {
    /// The operation id (`set_role`), as in the official SDKs.
    pub id: &'static str,
    /// The group (`auth`, `meeting_management`, `meeting_control`).
    pub group: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path, with `{name}` for path parameters.
    pub path: &'static str,
    /// One line on what it does.
    pub summary: &'static str,
    /// A paragraph on what it does.
    pub description: &'static str,
    /// The credential it needs.
    pub auth: Auth,
    /// Whether sending it twice has the effect of sending it once
    /// (decides which failures are retried).
    pub idempotent: bool,
    /// The part it plays in a session ([`SessionRole::None`] for most).
    pub role: SessionRole,
    /// Its parameters: path, query, header and top-level body fields.
    pub params: &'static [Field],
    /// The fields of its answer; `None` when it documents none.
    pub response: Option<&'static [Field]>,
    /// Whether the answer is a JSON list of objects with those fields,
    /// rather than one object.
    pub response_is_list: bool,
    /// How a paginated search answers page by page; `None` for the others.
    pub pagination: Option<Pagination>,
}

impl OperationMeta {
    /// The parameters that travel at `location`.
    pub fn params_in(&self, location: Location) -> impl Iterator<Item = &'static Field> + use<> {
        self.params.iter().filter(move |p| p.location == location)
    }

    /// Whether the request has a body (JSON, or `multipart/form-data`).
    pub fn has_body(&self) -> bool {
        self.params
            .iter()
            .any(|p| matches!(p.location, Location::Body | Location::Form))
    }

    /// The parameter that is the whole JSON body, if the body is one value
    /// (a list or a dictionary) rather than an object of parameters.
    pub fn whole_body(&self) -> Option<&'static Field> {
        self.params.iter().find(|p| p.whole_body)
    }

    /// Whether the body is `multipart/form-data` (the operation uploads a
    /// file).
    pub fn is_multipart(&self) -> bool {
        self.params.iter().any(|p| p.location == Location::Form)
    }

    /// The parameter that carries the meeting ID, if any.
    pub fn conference_id_param(&self) -> Option<&'static Field> {
        self.params.iter().find(|p| p.conference_id)
    }

    /// The parameter with this wire name (the first the spec lists, when
    /// the name travels in more than one place).
    pub fn param(&self, name: &str) -> Option<&'static Field> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The parameter with this wire name that travels at `location`.
    pub fn param_in(&self, location: Location, name: &str) -> Option<&'static Field> {
        self.params
            .iter()
            .find(|p| p.location == location && p.name == name)
    }
}

/// The operation with this id in `table` (the generated operation table,
/// `hwmeeting_api::OPERATIONS`).
pub fn find_by_id(table: &[&'static OperationMeta], id: &str) -> Option<&'static OperationMeta> {
    table.iter().copied().find(|op| op.id == id)
}

/// The operation of `table` served at this method and path (path
/// parameters match any one non-empty segment that percent-decodes to
/// UTF-8; trailing slashes do not count). Matching compares segments in
/// place: it allocates nothing.
pub fn find_by_route(
    table: &[&'static OperationMeta],
    method: &str,
    path: &str,
) -> Option<&'static OperationMeta> {
    table
        .iter()
        .copied()
        .find(|op| op.method.eq_ignore_ascii_case(method) && path_matches(op, path))
}

/// The values of an operation's `{name}` path segments in a concrete path
/// (percent-decoded), or `None` when the path is not this operation's
/// ([`path_matches`] says so without building them).
pub fn path_params(op: &OperationMeta, path: &str) -> Option<Vec<(&'static str, String)>> {
    if !path_matches(op, path) {
        return None;
    }
    let template: &'static str = op.path;
    let values = segments(template)
        .zip(segments(path))
        .filter_map(|(ts, ps)| {
            let name = param_name(ts)?;
            let value = percent_encoding::percent_decode_str(ps)
                .decode_utf8()
                .ok()?;
            Some((name, value.into_owned()))
        })
        .collect();
    Some(values)
}

/// Whether a concrete path is this operation's: as many segments as its
/// template (trailing slashes ignored), each literal segment equal, each
/// `{name}` segment non-empty and percent-decoding to UTF-8. Allocates
/// nothing.
pub fn path_matches(op: &OperationMeta, path: &str) -> bool {
    if !op.path.contains('{') {
        // No parameter: the paths are equal, bar trailing slashes.
        return op.path.trim_end_matches('/') == path.trim_end_matches('/');
    }
    let mut t = segments(op.path);
    let mut p = segments(path);
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(ts), Some(ps)) => {
                let matched = match param_name(ts) {
                    Some(_) => !ps.is_empty() && decodes_to_utf8(ps),
                    None => ts == ps,
                };
                if !matched {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// The `/`-separated segments of a path, trailing slashes dropped.
fn segments(path: &str) -> std::str::Split<'_, char> {
    path.trim_end_matches('/').split('/')
}

/// The name of a `{name}` template segment.
fn param_name(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

/// Whether a path segment percent-decodes to valid UTF-8, checked one
/// encoded character at a time (no buffer for the whole segment).
fn decodes_to_utf8(segment: &str) -> bool {
    if !segment.contains('%') {
        return true; // already UTF-8, decodes to itself
    }
    let mut bytes = percent_encoding::percent_decode_str(segment);
    let mut char_bytes = [0u8; 4];
    while let Some(lead) = bytes.next() {
        let len = match lead {
            0x00..=0x7F => 1,
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return false,
        };
        char_bytes[0] = lead;
        for slot in &mut char_bytes[1..len] {
            match bytes.next() {
                Some(b) => *slot = b,
                None => return false,
            }
        }
        // Overlong forms, surrogates and values past U+10FFFF fail here.
        if std::str::from_utf8(&char_bytes[..len]).is_err() {
            return false;
        }
    }
    true
}
