//! A failed call in the words of the command line.
//!
//! The SDK's errors name the SDK's own settings (`add_root_certificate_pem`,
//! `allow_http`, ...). Here the errors a user can fix with a global option
//! are told again with that option's flag and variable, the endpoint the
//! call went to and, where it matters, how many attempts were made. The
//! errors are told apart by their variant and fields (and the settings the
//! user passed), not by their text.

use hwmeeting_core::attempt::find_in_chain;
use hwmeeting_core::{Error, SharedSource};

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
        Error::Connect { operation, source } => {
            let reason = untrusted_certificate(source)?;
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

/// Why the TLS handshake refused the server, when the connection failed
/// because of its certificate (or another TLS failure a retry cannot fix).
fn untrusted_certificate(source: &SharedSource) -> Option<String> {
    let error: &(dyn std::error::Error + 'static) = &**source;
    find_in_chain::<rustls::Error>(error).map(ToString::to_string)
}
