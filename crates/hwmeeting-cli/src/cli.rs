//! The command tree, built at run time from the operation metadata
//! (`hwmeeting_api::operations()`): one subcommand per operation,
//! one flag per parameter. Nothing here names an operation, so a new spec
//! file becomes a new subcommand after `cargo xtask codegen`.
//!
//! Naming:
//! - subcommand = the operation id in kebab case (`set_role` → `set-role`);
//! - flag = the wire name in kebab case (`conferenceID` →
//!   `--conference-id`), headers without their `X-` prefix
//!   (`X-Login-Type` → `--login-type`);
//! - a parameter of a login or of the control-token call whose flag would
//!   be a global option of the same meaning (`appId` ↔ `--app-id`,
//!   `account` ↔ `--account`, ...) takes the global option's value; one
//!   whose flag would clash with any other global
//!   option, with `--body`, or with another parameter, is prefixed with its
//!   location (`--query-region`).

use clap::builder::ValueParser;
use clap::{Arg, ArgAction, ArgMatches, Command};
use heck::ToKebabCase;
use hwmeeting_core::meta::{Auth, Field, Location, OperationMeta, SessionRole, Type};
use hwmeeting_core::upload::FilePart;
use hwmeeting_core::{BuildError, DynamicOperation, Operation};
use serde_json::Value;

use crate::args::{self, JsonValueParser, ValueKind};
use crate::exit::Failure;
use crate::global::{self, Globals};

/// Environment variable that gives the meeting ID of every operation that
/// takes one (and of `demo`).
pub const CONFERENCE_ID_ENV: &str = "HWMEETING_CONFERENCE_ID";

/// Help heading of the operation parameters.
pub const PARAMS_HEADING: &str = "Parameters";

/// Help heading of `--all`.
pub const PAGES_HEADING: &str = "Pages";

/// The id of the `--body` arg.
const BODY_ID: &str = "body";

/// Flag names a parameter can never take.
const RESERVED: &[&str] = &["help", "version", "body"];

/// How one parameter gets its value on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    /// A flag of its own.
    Flag {
        /// The clap arg id.
        id: String,
        /// The long flag name, without `--`.
        long: String,
    },
    /// The global option of this long name.
    Global(&'static str),
}

impl Binding {
    /// The flag as typed: `--conference-id`.
    pub fn flag(&self) -> String {
        match self {
            Binding::Flag { long, .. } => format!("--{long}"),
            Binding::Global(long) => format!("--{long}"),
        }
    }
}

/// One parameter and its binding.
#[derive(Clone, Debug)]
pub struct ParamPlan {
    /// The spec of the parameter.
    pub field: &'static Field,
    /// Where its value comes from.
    pub binding: Binding,
}

/// One operation as a subcommand.
#[derive(Clone, Debug)]
pub struct OpPlan {
    /// The spec of the operation.
    pub meta: &'static OperationMeta,
    /// The subcommand name.
    pub name: String,
    /// Its parameters, in spec order.
    pub params: Vec<ParamPlan>,
    /// The body fields whose value came from `--body` (no flag gave them),
    /// once [`OpPlan::build`] ran: errors about them name the field in
    /// `--body`, not a flag the user never typed.
    pub from_body: Vec<String>,
}

/// The subcommand name of an operation id: `set_role` → `set-role`.
pub fn subcommand_name(id: &str) -> String {
    id.to_kebab_case()
}

/// The natural flag name of a parameter (before clash handling).
pub fn natural_flag(field: &Field) -> String {
    let name = match field.location {
        Location::Header => field
            .name
            .strip_prefix("X-")
            .or_else(|| field.name.strip_prefix("x-"))
            .unwrap_or(field.name),
        _ => field.name,
    };
    name.to_kebab_case()
}

impl OpPlan {
    /// The plan of one operation.
    pub fn new(meta: &'static OperationMeta) -> OpPlan {
        let mut taken: Vec<String> = Vec::new();
        let mut params = Vec::with_capacity(meta.params.len());
        for field in meta.params {
            let natural = natural_flag(field);
            let global = global::option(&natural);
            let binding = match global {
                // Only where the parameter is the session's own credential
                // (a login, the control-token call): elsewhere `account` or
                // `appId` names the user or app acted on, not the caller.
                Some(g)
                    if g.shares_with_params
                        && meta.role != SessionRole::None
                        && is_text(field)
                        && !taken.contains(&natural) =>
                {
                    Binding::Global(g.long)
                }
                _ => {
                    let mut long = natural.clone();
                    if global.is_some()
                        || RESERVED.contains(&long.as_str())
                        || (meta.pagination.is_some() && long == crate::pages::ALL_ID)
                        || taken.contains(&long)
                    {
                        long = format!("{}-{natural}", field.location.as_str());
                    }
                    let mut n = 2;
                    while taken.contains(&long) || global::option(&long).is_some() {
                        long = format!("{}-{natural}-{n}", field.location.as_str());
                        n += 1;
                    }
                    Binding::Flag {
                        id: format!("param:{}:{}", field.location.as_str(), field.name),
                        long,
                    }
                }
            };
            taken.push(match &binding {
                Binding::Flag { long, .. } => long.clone(),
                Binding::Global(long) => (*long).to_owned(),
            });
            params.push(ParamPlan { field, binding });
        }
        OpPlan {
            meta,
            name: subcommand_name(meta.id),
            params,
            from_body: Vec::new(),
        }
    }

    /// The plans of every operation in the metadata, sorted by id.
    pub fn all() -> Vec<OpPlan> {
        hwmeeting_api::operations()
            .iter()
            .map(|m| OpPlan::new(m))
            .collect()
    }

    /// How the user gave this parameter, from a wire name as errors report
    /// it: the body field in `--body` when its value came from there
    /// (`` `applyChair` in --body ``), else its flag (see
    /// [`OpPlan::flag_for`]), else the wire name.
    pub fn given_as(&self, parameter: &str) -> String {
        let top = parameter.split(['.', '[']).next().unwrap_or(parameter);
        let only_in_body = self
            .params
            .iter()
            .filter(|p| p.field.name == top)
            .all(|p| p.field.location == Location::Body);
        if only_in_body && self.from_body.iter().any(|f| f == top) {
            return format!("`{parameter}` in --body");
        }
        self.flag_for(parameter)
            .unwrap_or_else(|| format!("`{parameter}`"))
    }

    /// The flag (or global option) that gives this parameter, from a wire
    /// name as errors report it (`chairmanPwd`, `items[0].name`).
    pub fn flag_for(&self, parameter: &str) -> Option<String> {
        let top = parameter.split(['.', '[']).next().unwrap_or(parameter);
        let plan = self.params.iter().find(|p| p.field.name == top)?;
        let flag = plan.binding.flag();
        Some(if top.len() == parameter.len() {
            flag
        } else {
            format!("{flag} (at `{parameter}`)")
        })
    }

    /// The clap command of the operation.
    pub fn command(&self) -> Command {
        let meta = self.meta;
        let mut cmd = Command::new(self.name.clone())
            .about(meta.summary)
            .long_about(long_about(meta))
            .next_help_heading(PARAMS_HEADING);
        let shared: Vec<&ParamPlan> = self
            .params
            .iter()
            .filter(|p| matches!(p.binding, Binding::Global(_)))
            .collect();
        for p in &self.params {
            if let Binding::Flag { id, long } = &p.binding {
                cmd = cmd.arg(param_arg(self, p.field, id, long));
            }
        }
        if has_body_flag(meta) {
            cmd = cmd.arg(
                Arg::new(BODY_ID)
                    .long("body")
                    .value_name("JSON|@FILE")
                    .help_heading(PARAMS_HEADING)
                    .value_parser(ValueParser::new(JsonValueParser::new(
                        ValueKind::JsonObject,
                        false,
                    )))
                    .value_hint(clap::ValueHint::FilePath)
                    .help("The whole JSON body (text, or @file.json) instead of the body flags; body flags given too override its fields"),
            );
        }
        if let Some(pagination) = &meta.pagination {
            let flag = |name: &str| self.flag_for(name).unwrap_or_else(|| format!("`{name}`"));
            cmd = cmd.arg(
                crate::pages::arg(
                    pagination,
                    &flag(pagination.offset),
                    &flag(pagination.limit),
                )
                .help_heading(PAGES_HEADING),
            );
        }
        // The global options after the parameters, so `--help` shows the
        // operation's own flags first.
        cmd = cmd.args(global::args());
        if !shared.is_empty() {
            let mut note = String::from("Parameters given by global options:\n");
            for p in shared {
                note.push_str(&format!(
                    "  {} → {} `{}`{}: {}\n",
                    p.binding.flag(),
                    p.field.location.as_str(),
                    p.field.name,
                    if p.field.required && p.field.default.is_none() {
                        " (required)"
                    } else {
                        ""
                    },
                    p.field.description
                ));
            }
            cmd = cmd.after_help(note);
        }
        cmd
    }

    /// The request built from the parsed flags: `--body` first, then every
    /// flag given, then the parameters shared with global options. Nothing
    /// is validated yet (see [`OpPlan::check`]). Records which body fields
    /// came from `--body`.
    pub fn build(
        &mut self,
        m: &ArgMatches,
        globals: &Globals,
    ) -> Result<DynamicOperation, Failure> {
        let meta = self.meta;
        let mut op = DynamicOperation::new(meta);
        self.from_body.clear();
        if let Ok(Some(Value::Object(body))) = m.try_get_one::<Value>(BODY_ID) {
            self.from_body = body.keys().cloned().collect();
            op.set_body(body.clone()).map_err(|e| {
                let field = e.parameter().unwrap_or("?").to_owned();
                let known: Vec<&str> = meta.params_in(Location::Body).map(|p| p.name).collect();
                Failure::usage(format!(
                    "{}: --body has the field `{field}`, which is not a body field of this operation (body fields: {})",
                    self.name,
                    known.join(", ")
                ))
                .with_help_for(&self.name)
            })?;
        }
        for p in &self.params {
            let value = match &p.binding {
                Binding::Flag { id, .. } => flag_value(m, id, p.field),
                Binding::Global(long) => globals.shared_value(long).map(Value::String),
            };
            if let (Some(Value::String(path)), Type::File) = (&value, p.field.ty) {
                op.set_file(p.field.name, FilePart::from_path(path))
                    .map_err(|e| self.usage(&e))?;
                continue;
            }
            if let Some(value) = value {
                if p.field.location == Location::Body {
                    self.from_body.retain(|f| f != p.field.name);
                }
                // By location: a wire name may travel in two places
                // (`lock_view` has a query and a body `participantID`).
                op.set_in(p.field.location, p.field.name, value)
                    .map_err(|e| self.usage(&e))?;
            }
        }
        fill_signature_fields(meta, &mut op);
        Ok(op)
    }

    /// A build error as a usage error that names flags, not wire names.
    pub fn usage(&self, e: &BuildError) -> Failure {
        let flag = |p: &str| self.given_as(p);
        let message = match e {
            BuildError::Missing { parameter } => {
                let hint = match self
                    .params
                    .iter()
                    .find(|p| p.field.name == parameter.as_str())
                {
                    Some(p) if p.field.location == Location::Body && self.meta.has_body() => {
                        " (or put it in --body)"
                    }
                    _ => "",
                };
                format!(
                    "missing required parameter {}: give it{hint}",
                    flag(parameter)
                )
            }
            BuildError::RequiredIf {
                parameter,
                condition,
            } => {
                let condition = match condition.split_once(" = ") {
                    Some((name, value)) => format!("{} is {value}", flag(name)),
                    None => condition.clone(),
                };
                format!("{} is required when {condition}", flag(parameter))
            }
            BuildError::Invalid { parameter, reason } => {
                format!("invalid value for {}: {reason}", flag(parameter))
            }
            other => other.to_string(),
        };
        Failure::usage(format!("{}: {message}", self.name)).with_help_for(&self.name)
    }

    /// Validates the request as the service would (strict enums, required
    /// parameters, lengths), naming flags in the error.
    pub fn check(&self, op: &DynamicOperation) -> Result<(), Failure> {
        op.validate().map_err(|e| self.map_error(e))
    }

    /// A core error, with build errors as usage errors naming flags.
    pub fn map_error(&self, e: hwmeeting_core::Error) -> Failure {
        match e {
            hwmeeting_core::Error::Build { source, operation } if operation == self.meta.id => {
                self.usage(&source)
            }
            other => crate::explain::call_failure(self.meta.id, &other, None),
        }
    }

    /// The error of a call that was made, explained with what the command
    /// line knows of it (build errors as usage errors naming flags).
    pub fn map_call_error(
        &self,
        e: hwmeeting_core::Error,
        ctx: &crate::explain::Context<'_>,
    ) -> Failure {
        match e {
            hwmeeting_core::Error::Build { source, operation } if operation == self.meta.id => {
                self.usage(&source)
            }
            other => crate::explain::call_failure(self.meta.id, &other, Some(ctx)),
        }
    }
}

/// Whether a parameter takes a plain string (so a global option can give it).
fn is_text(field: &Field) -> bool {
    matches!(field.ty, Type::String)
}

/// The value of a parameter flag, if given (on the command line or from
/// the environment).
fn flag_value(m: &ArgMatches, id: &str, field: &Field) -> Option<Value> {
    let values: Vec<Value> = m.try_get_many::<Value>(id).ok()??.cloned().collect();
    match field.ty {
        Type::Array(_) => {
            // Scalars: one item per value. Objects: a JSON list adds its
            // items, a JSON object is one item.
            let mut items = Vec::new();
            for v in values {
                match v {
                    Value::Array(list) if !args::is_scalar_list(field) => items.extend(list),
                    other => items.push(other),
                }
            }
            Some(Value::Array(items))
        }
        _ => values.into_iter().next_back(),
    }
}

/// Body fields of an App ID signed operation that the command line fills
/// in when they are not given.
const SIGNATURE_FIELDS: &[&str] = &["nonce", "expireTime"];

/// Whether the command line fills this field in when it is not given.
fn is_auto_filled(meta: &OperationMeta, field: &Field) -> bool {
    matches!(meta.auth, Auth::AppSignature { .. })
        && field.location == Location::Body
        && SIGNATURE_FIELDS.contains(&field.name)
}

/// For an operation signed with the app key, the body fields the
/// signature covers that a caller rarely wants to choose: a fresh nonce
/// and a signature validity of ten minutes.
fn fill_signature_fields(meta: &OperationMeta, op: &mut DynamicOperation) {
    if !matches!(meta.auth, Auth::AppSignature { .. }) {
        return;
    }
    let body = &op.wire().body;
    let missing =
        |name: &str| meta.param_in(Location::Body, name).is_some() && !body.contains_key(name);
    let nonce = missing("nonce").then(|| {
        let bytes: [u8; 16] = rand::random();
        Value::String(bytes.iter().map(|b| format!("{b:02x}")).collect())
    });
    let expire = missing("expireTime").then(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Value::from(now + 600)
    });
    if let Some(v) = nonce {
        let _ = op.set_in(Location::Body, "nonce", v);
    }
    if let Some(v) = expire {
        let _ = op.set_in(Location::Body, "expireTime", v);
    }
}

/// The operation's `--help` text: summary, description, and how it is sent.
fn long_about(meta: &OperationMeta) -> String {
    let credential = match meta.auth {
        Auth::None => "none".to_owned(),
        Auth::Basic { .. } => {
            "HTTP Basic with --account and --account-password".to_owned()
        }
        Auth::AppSignature { .. } => {
            "App ID signature with --app-id and --app-key (nonce and expireTime are filled in when not given)".to_owned()
        }
        Auth::AccessToken { header } => format!(
            "access token in {header}: --access-token, or a login with --app-id/--app-key or --account/--account-password"
        ),
        Auth::ConferenceToken { header } => format!(
            "meeting control token in {header}: obtained with --host-password, or given with --conference-authorization"
        ),
    };
    format!(
        "{}\n\n{}\n\nRequest: {} {}\nCredential: {credential}\nOperation id: {}{}",
        meta.summary,
        meta.description,
        meta.method,
        meta.path,
        meta.id,
        if meta.idempotent {
            " (idempotent: failures are retried)"
        } else {
            " (not idempotent: only failures before sending and 429 are retried)"
        }
    )
}

/// Type name of a field for help: `string`, `list of string`, `object`.
fn type_text(field: &Field) -> String {
    match field.ty {
        Type::Array(item) if args::is_scalar(&item.ty) => {
            format!("list of {}: comma-separated or repeated", item.ty.name())
        }
        Type::Array(_) => "list of objects: JSON or @file".to_owned(),
        Type::Object(_) => "object: JSON or @file".to_owned(),
        Type::Map(_) => "object of free keys: JSON or @file".to_owned(),
        Type::File => "file: the path of the file to upload".to_owned(),
        ty => ty.name().to_owned(),
    }
}

/// Limits of a field in words.
fn constraints_text(field: &Field) -> Option<String> {
    let c = &field.constraints;
    let mut parts = Vec::new();
    match (c.min_length, c.max_length) {
        (Some(a), Some(b)) => parts.push(format!("{a} to {b} characters")),
        (Some(a), None) if a > 1 => parts.push(format!("at least {a} characters")),
        (None, Some(b)) => parts.push(format!("at most {b} characters")),
        _ => {}
    }
    match (c.minimum, c.maximum) {
        (Some(a), Some(b)) => parts.push(format!("{a} to {b}")),
        (Some(a), None) => parts.push(format!("at least {a}")),
        (None, Some(b)) => parts.push(format!("at most {b}")),
        _ => {}
    }
    match (c.min_items, c.max_items) {
        (Some(a), Some(b)) => parts.push(format!("{a} to {b} items")),
        (Some(a), None) => parts.push(format!(
            "at least {a} item{}",
            if a == 1 { "" } else { "s" }
        )),
        (None, Some(b)) => parts.push(format!("at most {b} items")),
        _ => {}
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The clap arg of one parameter.
fn param_arg(plan: &OpPlan, field: &'static Field, id: &str, long: &str) -> Arg {
    let meta = plan.meta;
    let kind = ValueKind::of(field);
    let value_name = match field.ty {
        Type::Array(item) if args::is_scalar(&item.ty) => format!("{},...", value_name(long)),
        Type::Array(_) | Type::Object(_) | Type::Map(_) => "JSON|@FILE".to_owned(),
        Type::File => "PATH".to_owned(),
        _ => value_name(long),
    };
    let auto = is_auto_filled(meta, field);
    let required = field.required && field.default.is_none() && !auto;
    let plan_flag = |name: &str| plan.flag_for(name).unwrap_or_else(|| format!("`{name}`"));
    let requirement = if required {
        "Required.".to_owned()
    } else if let Some(cond) = field.required_if {
        let mut value = args::literal_text(cond.equals);
        if let Some(e) = meta.param(cond.parameter).and_then(|p| p.enumeration)
            && let Some(v) = e.values.iter().find(|v| v.value == cond.equals)
        {
            value = format!("{value} ({})", v.name);
        }
        format!("Required when {} is {value}.", plan_flag(cond.parameter))
    } else {
        "Optional.".to_owned()
    };
    let mut short = field.description.to_owned();
    let mut long_help = format!(
        "{}\n{requirement} {} `{}` ({}).",
        field.description,
        location_text(field.location),
        field.name,
        type_text(field)
    );
    if let Some(c) = constraints_text(field) {
        long_help.push_str(&format!(" Limits: {c}."));
    }
    if let Some(d) = field.default {
        long_help.push_str(&format!(" Default: {}.", args::literal_text(d)));
    }
    if auto {
        long_help.push_str(" Filled in when not given (signature freshness).");
    }
    if field.secret {
        long_help.push_str(" Secret: shown as *** in --dry-run output.");
    }
    if field.deprecated {
        long_help.push_str(" Deprecated by the service.");
    }
    if is_meeting_id(field) {
        long_help.push_str(&format!(" Also read from {CONFERENCE_ID_ENV}."));
    }
    if required {
        short.push_str(" [required]");
    } else if field.required_if.is_some() {
        short.push_str(&format!(
            " [{}]",
            requirement.trim_end_matches('.').to_lowercase()
        ));
    }
    let enumeration = match field.ty {
        Type::Array(item) => item.enumeration,
        _ => field.enumeration,
    };
    if let Some(e) = enumeration {
        long_help.push_str("\nValues (name = value: meaning):");
        for v in e.values {
            long_help.push_str(&format!(
                "\n  {} = {}: {}",
                v.name,
                args::literal_text(v.value),
                v.description
            ));
        }
        let list: Vec<String> = e
            .values
            .iter()
            .map(|v| format!("{} = {}", v.name, args::literal_text(v.value)))
            .collect();
        short.push_str(&format!(" [values: {}]", list.join(", ")));
    }
    let mut arg = Arg::new(id.to_owned())
        .long(long.to_owned())
        .value_name(value_name)
        .help(short)
        .long_help(long_help)
        .help_heading(PARAMS_HEADING)
        .hide_possible_values(true)
        .value_parser(ValueParser::new(JsonValueParser::new(kind, field.secret)));
    arg = match field.ty {
        Type::Array(item) if args::is_scalar(&item.ty) => {
            arg.action(ArgAction::Append).value_delimiter(',')
        }
        Type::Array(_) => arg.action(ArgAction::Append),
        Type::Boolean => arg
            .action(ArgAction::Set)
            .num_args(0..=1)
            .default_missing_value("true"),
        _ => arg.action(ArgAction::Set),
    };
    if is_meeting_id(field) {
        arg = arg.env(CONFERENCE_ID_ENV).hide_env(true);
    }
    if required {
        arg = if field.location == Location::Body && has_body_flag(meta) {
            arg.required_unless_present(BODY_ID)
        } else {
            arg.required(true)
        };
    }
    arg
}

/// Whether the operation takes `--body`, an object of body fields: not for
/// a body that is one list or dictionary (its own flag gives it) nor for an
/// upload.
fn has_body_flag(meta: &OperationMeta) -> bool {
    meta.has_body() && meta.whole_body().is_none() && !meta.is_multipart()
}

/// Whether a parameter is the meeting ID: marked so in the spec (the
/// meeting handle fills it), or called `conferenceID` (as in
/// `start_meeting`'s body).
fn is_meeting_id(field: &Field) -> bool {
    field.conference_id || (field.name == "conferenceID" && matches!(field.ty, Type::String))
}

fn value_name(long: &str) -> String {
    long.to_uppercase().replace('-', "_")
}

fn location_text(location: Location) -> &'static str {
    match location {
        Location::Path => "Path parameter",
        Location::Query => "Query parameter",
        Location::Header => "Header",
        Location::Body => "Body field",
        Location::Form => "Form part",
    }
}

/// The whole command tree: global options, one subcommand per operation,
/// and `demo`, `sim`, `completions`.
pub fn command(plans: &[OpPlan]) -> Command {
    let mut cmd = Command::new("hwmeeting")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Call the Huawei Cloud Meeting server API from the command line")
        .long_about(
            "Call the Huawei Cloud Meeting server API from the command line.\n\n\
             Every operation of the API is a subcommand with one flag per parameter, \
             generated from the SDK's spec. The answer is printed as JSON on stdout (an empty \
             answer as one line with the operation, HTTP status and request id, unless \
             --output json); errors go to stderr. Exit codes: 0 success, 1 a failed call, 2 a usage error.\n\n\
             Credentials come from the global options or their HWMEETING_* environment \
             variables. Try `hwmeeting demo` for the whole flow against the built-in simulator, \
             and `hwmeeting <operation> --dry-run` to see a request as a curl command.",
        )
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global::args());
    for plan in plans {
        cmd = cmd.subcommand(plan.command());
    }
    cmd.subcommand(crate::demo::command())
        .subcommand(crate::events::command())
        .subcommand(crate::run::sim_command())
        .subcommand(crate::webhook::command())
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script for every subcommand and flag")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell))
                        .help("The shell"),
                ),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_a_subcommand_with_unique_flags() {
        let plans = OpPlan::all();
        assert!(!plans.is_empty());
        let cmd = command(&plans);
        // clap's own consistency checks (unique names, valid settings).
        cmd.clone().debug_assert();
        for p in &plans {
            assert!(cmd.find_subcommand(&p.name).is_some(), "{}", p.name);
            for param in &p.params {
                assert!(p.flag_for(param.field.name).is_some());
            }
        }
    }

    #[test]
    fn flag_names() {
        let plans = OpPlan::all();
        let find = |op: &str| plans.iter().find(|p| p.meta.id == op);
        if let Some(set_role) = find("set_role") {
            assert_eq!(set_role.name, "set-role");
            assert_eq!(
                set_role.flag_for("conferenceID").unwrap(),
                "--conference-id"
            );
            assert_eq!(
                set_role.flag_for("participantID").unwrap(),
                "--participant-id"
            );
            assert_eq!(set_role.flag_for("applyChair").unwrap(), "--apply-chair");
            assert_eq!(set_role.flag_for("chairmanPwd").unwrap(), "--chairman-pwd");
        }
        if let Some(token) = find("create_conf_token") {
            assert_eq!(token.flag_for("X-Login-Type").unwrap(), "--login-type");
            assert_eq!(token.flag_for("X-Password").unwrap(), "--password");
            assert_eq!(
                token.flag_for("X-Conference-Authorization").unwrap(),
                "--conference-authorization"
            );
        }
        if let Some(hang_up) = find("hang_up") {
            assert_eq!(
                hang_up.flag_for("bulkHangUpParticipants[0]").unwrap(),
                "--bulk-hang-up-participants (at `bulkHangUpParticipants[0]`)"
            );
        }
    }

    /// A made-up operation whose parameters clash with global options,
    /// `--body` and each other: every one still gets a flag of its own.
    #[test]
    fn clashing_names_are_prefixed() {
        use hwmeeting_core::meta::Constraints;
        const fn field(name: &'static str, location: Location, ty: Type) -> Field {
            Field {
                name,
                rust_name: "x",
                location,
                ty,
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
                description: "A made-up parameter.",
            }
        }
        static PARAMS: [Field; 7] = [
            field("conferenceID", Location::Query, Type::String),
            field("conferenceID", Location::Body, Type::String),
            field("region", Location::Query, Type::String),
            field("body", Location::Body, Type::String),
            field("X-Verbose", Location::Header, Type::Boolean),
            field("appId", Location::Body, Type::String),
            field("account", Location::Body, Type::Integer),
        ];
        static META: OperationMeta = OperationMeta {
            id: "made_up_op",
            group: "test",
            method: "POST",
            path: "/v1/made/up",
            summary: "A made-up operation.",
            description: "Only for this test.",
            auth: Auth::None,
            idempotent: false,
            role: hwmeeting_core::meta::SessionRole::None,
            params: &PARAMS,
            response: None,
            response_is_list: false,
            pagination: None,
        };
        let plan = OpPlan::new(&META);
        assert_eq!(plan.name, "made-up-op");
        let flags: Vec<String> = plan.params.iter().map(|p| p.binding.flag()).collect();
        assert_eq!(
            flags,
            [
                "--conference-id",
                "--body-conference-id",
                "--query-region",
                "--body-body",
                "--header-verbose",
                "--body-app-id",
                "--body-account",
            ]
        );
        // In a login, `appId` is the caller's own credential: the global
        // option gives it.
        static LOGIN: OperationMeta = OperationMeta {
            id: "made_up_login",
            role: hwmeeting_core::meta::SessionRole::Login,
            ..META
        };
        let login = OpPlan::new(&LOGIN);
        assert_eq!(login.params[5].binding, Binding::Global("app-id"));
        Command::new("t").subcommand(plan.command()).debug_assert();
        Command::new("t").subcommand(login.command()).debug_assert();
    }
}
