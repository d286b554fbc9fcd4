//! Rust emission: everything that turns the checked specs into tokens.

pub mod clients;
pub mod docs;
pub mod meta;
pub mod models;
pub mod module;
pub mod operation;

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, Span, TokenStream, TokenTree};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::catalog::Catalog;
use crate::naming;
use crate::spec::{FieldSpec, In, Kind};

/// What the emitters need besides the spec being emitted.
pub struct Ctx<'a> {
    /// All enums and models.
    pub catalog: &'a Catalog<'a>,
    /// The path of the runtime crate in generated code: `hwmeeting_core`
    /// (the generated code lives in hwmeeting-api). Read it only through
    /// [`Ctx::runtime_imports`].
    pub core: TokenStream,
    /// The chapter each operation is compiled with, by id ([`feature_of`]):
    /// each chapter is a cargo feature of the generated code.
    pub groups: std::collections::BTreeMap<String, String>,
}

/// Every name of the runtime (the hand-written core) that generated code
/// may use, by module; `""` is the crate root (the `lenient` module itself).
const RUNTIME: &[(&str, &[&str])] = &[
    ("", &["lenient"]),
    ("lenient", &["Lenient", "Unreadable", "Value"]),
    (
        "meta",
        &[
            "Auth",
            "Constraints",
            "EnumMeta",
            "EnumValue",
            "Field",
            "Literal",
            "Location",
            "ObjectMeta",
            "OperationMeta",
            "Pagination",
            "RequiredIf",
            "SessionRole",
            "TimeFormat",
            "Type",
        ],
    ),
    ("operation", &["Operation"]),
    ("page", &["Page", "Paginated"]),
    ("secret", &["Secret"]),
    ("upload", &["FilePart"]),
    (
        "time",
        &["OffsetDateTime", "format_minute_utc", "unix_millis"],
    ),
    ("view", &["ParamView", "Scalar", "ScalarParam", "Views"]),
    ("wire", &["WireRequest"]),
];

/// The chapter whose operations are always compiled: the logins and the
/// access token's life, which every session needs.
pub const ALWAYS_COMPILED: &str = "auth";

/// The chapter an operation is compiled with: its group, or none (always)
/// for an operation the session runs itself (logins, the control token).
pub fn feature_of(spec: &crate::spec::Spec) -> &str {
    if spec.session_role.is_some() {
        ALWAYS_COMPILED
    } else {
        &spec.group
    }
}

/// `#[cfg(feature = "<chapter>")]` (or `any(..)`) for code that only the
/// operations of `groups` need; nothing when one of them is always
/// compiled.
pub fn chapter_cfg<'a>(groups: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let set: BTreeSet<&str> = groups.into_iter().collect();
    if set.is_empty() || set.contains(ALWAYS_COMPILED) {
        return TokenStream::new();
    }
    let features: Vec<TokenStream> = set.iter().map(|g| quote!(feature = #g)).collect();
    match features.as_slice() {
        [one] => quote!(#[cfg(#one)]),
        many => quote!(#[cfg(any(#(#many),*))]),
    }
}

impl Ctx<'_> {
    /// The `#[cfg]` of code that only the operations `ops` (ids) need.
    pub fn cfg_for_ops<'o>(&self, ops: impl IntoIterator<Item = &'o String>) -> TokenStream {
        chapter_cfg(
            ops.into_iter()
                .map(|op| self.groups.get(op).map_or(ALWAYS_COMPILED, String::as_str)),
        )
    }

    /// The `use` lines for the runtime names that `body` uses. The one
    /// place that writes a path into the runtime crate: generated code
    /// names runtime items only by these imports, so moving it to another
    /// crate changes `core` and nothing else.
    pub fn runtime_imports(&self, body: &TokenStream) -> TokenStream {
        let core = &self.core;
        let candidates: Vec<(TokenStream, &[&str])> = RUNTIME
            .iter()
            .filter(|(module, _)| *module != TIME_MODULE)
            .map(|(module, names)| {
                let path = if module.is_empty() {
                    core.clone()
                } else {
                    let module = format_ident!("{module}");
                    quote!(#core::#module)
                };
                (path, *names)
            })
            .collect();
        let mut uses = imports(body, &candidates);
        // The typed points in time come with the `time` feature, as the
        // setters that use them.
        let time = format_ident!("{TIME_MODULE}");
        let time_names = RUNTIME
            .iter()
            .find(|(module, _)| *module == TIME_MODULE)
            .map_or(&[][..], |(_, names)| *names);
        let time_uses = imports(body, &[(quote!(#core::#time), time_names)]);
        if !time_uses.is_empty() {
            uses.extend(quote!(#[cfg(feature = "time")] #time_uses));
        }
        uses
    }
}

/// The runtime module of the typed points in time, compiled with the
/// generated crate's `time` feature.
const TIME_MODULE: &str = "time";

/// `#[cfg(feature = "time")]`: the gate of everything that names a typed
/// point in time.
pub fn time_cfg() -> TokenStream {
    quote!(#[cfg(feature = "time")])
}

/// An identifier of a type name (`SetRoleRequest`).
pub fn type_ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// An integer literal without suffix, negative ones as `-n`.
pub fn int_lit(value: i64) -> TokenStream {
    let lit = Literal::u64_unsuffixed(value.unsigned_abs());
    if value < 0 {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}

/// A float literal (`1.0`), negative ones as `-x`.
pub fn float_lit(value: f64) -> TokenStream {
    let lit = Literal::f64_unsuffixed(value.abs());
    if value < 0.0 {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}

/// A `Literal` of the meta module for a JSON scalar (checked before).
pub fn meta_literal(value: &Value) -> TokenStream {
    match value {
        Value::Bool(b) => quote!(Literal::Bool(#b)),
        Value::String(s) => quote!(Literal::Str(#s)),
        Value::Number(n) => {
            let v = int_lit(n.as_i64().unwrap_or_default());
            quote!(Literal::Int(#v))
        }
        // Rejected by the checks: only scalars get here.
        _ => quote!(Literal::Bool(false)),
    }
}

/// The Rust type of a field, without the `Option` of optional fields.
pub fn base_type(field: &FieldSpec) -> TokenStream {
    if let Some(e) = &field.enumeration {
        let name = type_ident(&e.rust_name);
        return quote!(#name);
    }
    match field.kind {
        Kind::String if field.secret => quote!(Secret),
        Kind::String => quote!(String),
        Kind::Integer => quote!(i64),
        Kind::Number => quote!(f64),
        Kind::Boolean => quote!(bool),
        Kind::Array => {
            let item = field
                .items
                .as_deref()
                .map(base_type)
                .unwrap_or_else(|| quote!(String));
            quote!(Vec<#item>)
        }
        Kind::Object => match field.values.as_deref() {
            // A dictionary: keys in order, so its JSON is reproducible.
            Some(values) => {
                let value = base_type(values);
                quote!(std::collections::BTreeMap<String, #value>)
            }
            None => {
                let name = type_ident(field.model.as_deref().unwrap_or("Value"));
                quote!(#name)
            }
        },
        Kind::File => quote!(FilePart),
    }
}

/// The Rust type of a struct field.
pub fn field_type(field: &FieldSpec) -> TokenStream {
    let base = base_type(field);
    if field.is_optional_in_rust() {
        quote!(Option<#base>)
    } else {
        base
    }
}

/// Whether a field is a plain (not coded) string, and whether secret.
fn plain_string(field: &FieldSpec) -> Option<bool> {
    (field.kind == Kind::String && field.enumeration.is_none()).then_some(field.secret)
}

/// The argument type of a setter or constructor parameter, and the
/// expression that turns the argument `arg` into the field's base type.
pub fn argument(field: &FieldSpec, arg: &Ident) -> (TokenStream, TokenStream) {
    let into = |secret: bool| {
        if secret {
            quote!(Secret)
        } else {
            quote!(String)
        }
    };
    if let Some(secret) = plain_string(field) {
        let target = into(secret);
        return (quote!(impl Into<#target>), quote!(#arg.into()));
    }
    if let Some(secret) = (field.kind == Kind::Array)
        .then(|| field.items.as_deref().and_then(plain_string))
        .flatten()
    {
        let target = into(secret);
        return (
            quote!(impl IntoIterator<Item = impl Into<#target>>),
            quote!(#arg.into_iter().map(Into::into).collect()),
        );
    }
    (base_type(field), quote!(#arg))
}

/// The value of a field from a converted argument (`Some(..)` for options).
pub fn wrap_option(field: &FieldSpec, value: TokenStream) -> TokenStream {
    if field.is_optional_in_rust() {
        quote!(Some(#value))
    } else {
        value
    }
}

/// The Rust field identifier of a field.
pub fn field_ident(field: &FieldSpec) -> Ident {
    naming::ident(&naming::field_name(field))
}

/// Where a field is, for its doc line.
#[derive(Clone, Copy)]
pub enum Place {
    /// A request parameter (it has a location).
    Request,
    /// A field of an answer.
    Answer,
    /// A field of a nested object.
    Nested,
}

/// The doc paragraphs of a struct field: its description, then a line
/// with the wire name, location, requiredness, limits, secret, deprecation.
pub fn field_doc(field: &FieldSpec, place: Place) -> TokenStream {
    let wire = field.wire_name();
    let mut line = match (place, field.location) {
        (Place::Request, Some(In::Header)) => format!("`{wire}` header"),
        (Place::Request, Some(_)) if field.whole_body => "The whole JSON body".to_owned(),
        (Place::Request, Some(location)) => format!("`{wire}` {}", location.phrase()),
        (Place::Answer, _) => format!("`{wire}` in the answer"),
        _ => format!("`{wire}`"),
    };
    let mut parts: Vec<String> = Vec::new();
    if field.conference_id {
        parts.push("required (a meeting handle fills it in)".into());
    } else if let Some(default) = &field.default {
        parts.push(format!("optional: `{default}` is sent when it is not set"));
    } else if let Some(cond) = &field.required_if {
        parts.push(format!(
            "required when `{}` is `{}`",
            cond.parameter, cond.equals
        ));
    } else if field.is_required() {
        parts.push("required".into());
    } else {
        parts.push("optional".into());
    }
    parts.extend(limits(field));
    if let Some(max) = field.max_bytes {
        parts.push(format!("at most {max} bytes"));
    }
    if field.secret {
        parts.push("secret".into());
    }
    if field.deprecated {
        parts.push("deprecated by the service".into());
    }
    line.push_str("; ");
    line.push_str(&parts.join("; "));
    line.push('.');
    docs::doc(&[docs::md(field.doc()), line])
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// The limits of a field (and of its items), in words.
fn limits(field: &FieldSpec) -> Vec<String> {
    let mut out = Vec::new();
    let range = |min: Option<String>, max: Option<String>, unit: &str| match (min, max) {
        (Some(a), Some(b)) if a == b => Some(format!("exactly {a}{unit}")),
        (Some(a), Some(b)) => Some(format!("{a} to {b}{unit}")),
        (Some(a), None) => Some(format!("at least {a}{unit}")),
        (None, Some(b)) => Some(format!("at most {b}{unit}")),
        (None, None) => None,
    };
    let plural = |n: Option<u64>, one: &str, many: &str| {
        if n == Some(1) {
            one.to_owned()
        } else {
            many.to_owned()
        }
    };
    out.extend(range(
        field.min_length.map(|v| v.to_string()),
        field.max_length.map(|v| v.to_string()),
        &plural(
            field.max_length.or(field.min_length),
            " character",
            " characters",
        ),
    ));
    out.extend(range(
        field.minimum.map(number),
        field.maximum.map(number),
        "",
    ));
    out.extend(range(
        field.min_items.map(|v| v.to_string()),
        field.max_items.map(|v| v.to_string()),
        &plural(field.max_items.or(field.min_items), " item", " items"),
    ));
    if let Some(items) = &field.items {
        let inner = limits(items);
        if !inner.is_empty() {
            out.push(format!("each item {}", inner.join(", ")));
        }
    }
    out
}

/// The `use` lines a file needs: each `(path, names)` pair becomes
/// `use path::{names that occur in body}`.
pub fn imports(body: &TokenStream, candidates: &[(TokenStream, &[&str])]) -> TokenStream {
    let used = idents(body);
    let mut out = TokenStream::new();
    for (path, names) in candidates {
        let mut names: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| used.contains(*n))
            .collect();
        names.sort_unstable();
        match names.as_slice() {
            [] => {}
            [one] => {
                let one = format_ident!("{one}");
                out.extend(quote!(use #path::#one;));
            }
            many => {
                let many = many.iter().map(|n| format_ident!("{n}"));
                out.extend(quote!(use #path::{#(#many),*};));
            }
        }
    }
    out
}

/// Every identifier in a token stream.
pub fn idents(tokens: &TokenStream) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    fn walk(tokens: &TokenStream, out: &mut BTreeSet<String>) {
        for tt in tokens.clone() {
            match tt {
                TokenTree::Ident(i) => {
                    out.insert(i.to_string());
                }
                TokenTree::Group(g) => walk(&g.stream(), out),
                _ => {}
            }
        }
    }
    walk(tokens, &mut out);
    out
}

/// The "credential; idempotency" line of an operation's docs.
pub fn call_line(spec: &crate::spec::Spec) -> String {
    use crate::spec::AuthKind;
    let header = spec.auth.header.as_deref().unwrap_or("Authorization");
    let credential = match spec.auth.kind {
        AuthKind::None => "credential: none".to_owned(),
        AuthKind::Basic => {
            format!("credential: HTTP Basic with the account and password (`{header}`)")
        }
        AuthKind::AppSignature => format!("credential: App ID signature (`{header}`)"),
        AuthKind::AccessToken => format!("credential: access token (`{header}`)"),
        AuthKind::ConferenceToken => {
            format!("credential: meeting control token (`{header}`)")
        }
    };
    let idempotent = if spec.idempotent {
        "idempotent"
    } else {
        "not idempotent (not retried once it may have reached the service)"
    };
    format!(
        "`{} {}`; {credential}; {idempotent}.",
        spec.method, spec.path
    )
}

/// How a catalog entry is used, for its docs: "Used by `a` (`x`), `b` (`y`)."
pub fn used_by(uses: &std::collections::BTreeMap<String, Vec<String>>) -> String {
    let parts: Vec<String> = uses
        .iter()
        .map(|(op, fields)| format!("`{op}` ({})", fields.join(", ")))
        .collect();
    format!("Used by {}.", parts.join(", "))
}

/// The operations a shared answer answers: "The answer of `a` and `b`."
pub fn answer_of(uses: &std::collections::BTreeMap<String, Vec<String>>) -> String {
    let ops: Vec<String> = uses.keys().map(|op| format!("`{op}`")).collect();
    format!("The answer of {}.", and_list(&ops))
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
