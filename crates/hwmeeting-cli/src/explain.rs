//! A failed call in the words of the command line.
//!
//! The SDK's errors name the SDK's own settings (`add_root_certificate_pem`,
//! `allow_http`, ...). Here the errors a user can fix with a global option
//! are told again with that option's flag and variable, the endpoint the
//! call went to and, where it matters, how many attempts were made. The
//! errors are told apart by their variant and fields (and the settings the
//! user passed), not by their text.

use std::time::Duration;

use hwmeeting_core::{Error, TimeoutPhase};

use crate::exit::Failure;
use crate::global::Globals;

/// What the command line knows about the call beyond the error.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The options the call was made with.
    pub globals: &'a Globals,
    /// The endpoint URL the call went to.
    pub endpoint: &'a str,
    /// Whether the CA certificate is the command line's own (the demo's
    /// simulator): then `--ca-cert` is no help.
    pub own_ca: bool,
}

/// A failed call as a [`Failure`]: configuration and build errors (nothing
/// was sent) are usage errors (exit 2), everything else a failed call
/// (exit 1). The message names the operation, the HTTP status, the
/// service's code and message and the request id, and never a secret; an
/// error a global option can fix names that option.
pub fn call_failure(operation: &str, e: &Error, ctx: Option<&Context<'_>>) -> Failure {
    let context = match e.operation() {
        Some(other) if other != operation => {
            format!(" (while preparing {operation})")
        }
        _ => String::new(),
    };
    if let Some(ctx) = ctx
        && let Some(message) = explain(e, ctx)
    {
        return Failure::call(format!("{message}{context}"));
    }
    match e {
        Error::Config(_) | Error::Build { .. } => Failure::usage(format!("{e}{context}")),
        _ => Failure::call(format!("{e}{context}")),
    }
}

/// The message of an error the command line can say better, if it is one.
fn explain(e: &Error, ctx: &Context<'_>) -> Option<String> {
    let url = ctx.endpoint;
    match e {
        Error::Connect { operation, source } if e.tls_refusal().is_none() => {
            let tries = after_attempts(operation);
            let endpoint = ctx.globals.named("endpoint");
            Some(format!(
                "{operation}: could not connect to {url}{tries}: {source}; check that the service runs there and that {endpoint} is right{}",
                retries_hint(ctx)
            ))
        }
        Error::Transport { operation, source } => {
            let tries = after_attempts(operation);
            Some(format!(
                "{operation}: the connection to {url} failed during the call{tries}: {source}"
            ))
        }
        Error::Timeout {
            operation,
            phase,
            after,
        } => {
            let tries = after_attempts(operation);
            let limit = seconds(*after);
            Some(match phase {
                TimeoutPhase::Connect => format!(
                    "{operation}: could not connect to {url}{tries}: {}the time limit to open a connection, {limit}, ran out; raise it with {}, or check the network",
                    last(&tries),
                    option_and_variable("connect-timeout")
                ),
                TimeoutPhase::Attempt => format!(
                    "{operation}: no answer from {url}{tries}: {}the time limit of one attempt, {limit}, ran out; raise it with {}, or check the network{}",
                    last(&tries),
                    option_and_variable("timeout"),
                    not_resent(operation, &tries)
                ),
                TimeoutPhase::Total => format!(
                    "{operation}: the time limit of the whole call to {url}, {limit} for every attempt and the waits between them, ran out{tries}; it grows with {}, the limit of one attempt",
                    option_and_variable("timeout")
                ),
                // A phase a later SDK adds: its own words, with the URL.
                other => format!(
                    "{operation}: a time limit ({other}) of the call to {url} ran out{tries}; raise it with {}, or check the network",
                    option_and_variable("timeout")
                ),
            })
        }
        Error::Connect { operation, .. } => {
            let reason = e.tls_refusal()?;
            let ca = ctx.globals.named("ca-cert");
            let advice = match &ctx.globals.ca_cert {
                _ if ctx.own_ca => {
                    "the certificate is not the one the command line made for its simulator"
                        .to_owned()
                }
                Some(path) => format!(
                    "the CA certificate in {ca} {} does not vouch for it: give the PEM file of the CA that signed the server's certificate",
                    path.display()
                ),
                None => "if it comes from a private CA (such as the simulator's), trust that CA with --ca-cert FILE (or HWMEETING_CA_CERT=FILE), FILE holding its PEM certificate (`hwmeeting sim --tls --cert-out FILE` writes the simulator's)".to_owned(),
            };
            Some(format!(
                "{operation}: could not connect to {url}: the TLS handshake failed ({reason}): the server's certificate is not trusted; {advice}"
            ))
        }
        _ => None,
    }
}

/// ` after 3 attempts` (or ` after 1 attempt`), from the count of the
/// SDK's tracing; empty when the count is not known.
fn after_attempts(operation: &str) -> String {
    match crate::attempts::of(operation) {
        Some(1) => " after 1 attempt".to_owned(),
        Some(n) => format!(" after {n} attempts"),
        None => String::new(),
    }
}

/// Which attempt the time limit is about: `on the last, ` after several,
/// nothing when there was one.
fn last(tries: &str) -> &'static str {
    if tries.is_empty() || tries == " after 1 attempt" {
        ""
    } else {
        "on the last, "
    }
}

/// The flag of a time limit and its variable: `--timeout SECONDS (or
/// HWMEETING_TIMEOUT)`.
fn option_and_variable(long: &str) -> String {
    let env = crate::global::option(long).map_or("", |o| o.env);
    format!("--{long} SECONDS (or {env})")
}

/// Why a call that may have reached the service was tried once only.
fn not_resent(operation: &str, tries: &str) -> &'static str {
    let idempotent = hwmeeting_api::operations()
        .iter()
        .find(|m| m.id == operation)
        .is_none_or(|m| m.idempotent);
    if idempotent || tries != " after 1 attempt" {
        ""
    } else {
        " (this operation is not sent again once it may have reached the service)"
    }
}

/// A hint on `--retries` when the call was tried once only.
fn retries_hint(ctx: &Context<'_>) -> String {
    match ctx.globals.retries {
        Some(1) => format!(
            " ({} allows 1 attempt; raise it to try again on a failed connection)",
            ctx.globals.named("retries")
        ),
        _ => String::new(),
    }
}

/// A duration in seconds, as the time options take them: `5s`, `0.25s`.
fn seconds(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        let text = format!("{:.3}", d.as_secs_f64());
        format!("{}s", text.trim_end_matches('0').trim_end_matches('.'))
    }
}
