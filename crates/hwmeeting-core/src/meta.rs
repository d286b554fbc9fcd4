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
    /// A field of the JSON body (or of a nested object in it).
    Body,
}

impl Location {
    /// The name used in the spec files (`path`, `query`, `header`, `body`).
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Body => "body",
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
    /// What it is.
    pub description: &'static str,
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
    /// Its parameters: path, query, header and top-level body fields.
    pub params: &'static [Field],
    /// The fields of its answer; `None` when it documents none.
    pub response: Option<&'static [Field]>,
}

impl OperationMeta {
    /// The parameters that travel at `location`.
    pub fn params_in(&self, location: Location) -> impl Iterator<Item = &'static Field> + use<> {
        self.params.iter().filter(move |p| p.location == location)
    }

    /// Whether the request has a JSON body.
    pub fn has_body(&self) -> bool {
        self.params.iter().any(|p| p.location == Location::Body)
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

/// The operation with this id, among all generated ones.
pub fn find_by_id(id: &str) -> Option<&'static OperationMeta> {
    crate::generated::OPERATIONS
        .iter()
        .copied()
        .find(|op| op.id == id)
}

/// The operation served at this method and path (path parameters match any
/// one segment).
pub fn find_by_route(method: &str, path: &str) -> Option<&'static OperationMeta> {
    crate::generated::OPERATIONS
        .iter()
        .copied()
        .find(|op| op.method.eq_ignore_ascii_case(method) && path_matches(op, path))
}

/// All operations, sorted by id.
pub fn operations() -> &'static [&'static OperationMeta] {
    crate::generated::OPERATIONS
}

/// The values of an operation's `{name}` path segments in a concrete path
/// (percent-decoded), or `None` when the path is not this operation's.
pub fn path_params(op: &OperationMeta, path: &str) -> Option<Vec<(&'static str, String)>> {
    let template: &'static str = op.path;
    let mut t = template.trim_end_matches('/').split('/');
    let mut p = path.trim_end_matches('/').split('/');
    let mut values = Vec::new();
    loop {
        match (t.next(), p.next()) {
            (None, None) => return Some(values),
            (Some(ts), Some(ps)) => match ts.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
                Some(name) if !ps.is_empty() => {
                    let value = percent_encoding::percent_decode_str(ps)
                        .decode_utf8()
                        .ok()?;
                    values.push((name, value.into_owned()));
                }
                _ if ts == ps => {}
                _ => return None,
            },
            _ => return None,
        }
    }
}

fn path_matches(template: &OperationMeta, path: &str) -> bool {
    path_params(template, path).is_some()
}
