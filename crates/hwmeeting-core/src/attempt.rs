//! How one HTTP attempt failed, in facts a transport can report, and what
//! those facts mean for the call: the error to report and whether the
//! request may have reached the service.
//!
//! The classification lives here, once, so both transports sort failures
//! the same way: a transport only says how far the attempt got and what
//! went wrong there.

use std::time::Duration;

use crate::error::{Error, SharedSource, TimeoutPhase};
use crate::retry::Outcome;

/// How far an attempt got before it failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Stage {
    /// The transport could not turn the request into one of its own (a URL
    /// it refuses): nothing was sent, and trying again cannot help.
    Prepare,
    /// Looking up the host name.
    Resolve,
    /// Opening the TCP connection.
    Connect,
    /// The TLS handshake.
    Tls,
    /// Writing the request: from here on the service may have seen it.
    Send,
    /// The request is written; waiting for the answer's head.
    Wait,
    /// The answer's head arrived; reading its body.
    Body,
}

impl Stage {
    /// Whether the request may have reached the service: true from the
    /// first byte written on.
    pub fn maybe_sent(self) -> bool {
        self >= Stage::Send
    }

    fn describe(self) -> &'static str {
        match self {
            Stage::Prepare => "preparing the request",
            Stage::Resolve => "looking up the host",
            Stage::Connect => "connecting",
            Stage::Tls => "the TLS handshake",
            Stage::Send => "sending the request",
            Stage::Wait => "waiting for the answer",
            Stage::Body => "reading the answer",
        }
    }
}

/// What went wrong at that stage.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Cause {
    /// A time limit of the transport ran out (its connect timeout, or the
    /// attempt's time limit).
    TimedOut,
    /// The server's certificate is not trusted (or TLS failed in a way
    /// another try cannot fix).
    Untrusted(SharedSource),
    /// The answer's body is larger than the limit.
    BodyTooLarge {
        /// The status of the answer.
        status: u16,
    },
    /// Any other failure (refused, reset, closed, a lookup that found
    /// nothing).
    Failed(SharedSource),
    /// The request cannot be sent as given, before any byte left (an
    /// upload's file that is missing or too large): never retried.
    Input(crate::error::BuildError),
}

/// A failed attempt, as a transport reports it.
#[derive(Clone, Debug)]
pub struct AttemptFailure {
    /// How far the attempt got.
    pub stage: Stage,
    /// What went wrong there.
    pub cause: Cause,
}

impl AttemptFailure {
    /// A failure at `stage`.
    pub fn new(stage: Stage, cause: Cause) -> Self {
        AttemptFailure { stage, cause }
    }

    /// A time limit that ran out at `stage`.
    pub fn timed_out(stage: Stage) -> Self {
        AttemptFailure::new(stage, Cause::TimedOut)
    }

    /// A failed TLS handshake another try cannot fix (a certificate that is
    /// not trusted, a wrong host name, an alert), with the transport's
    /// error; the message says how to trust a private CA.
    pub fn untrusted(source: impl Into<crate::BoxError>) -> Self {
        AttemptFailure::new(
            Stage::Tls,
            Cause::Untrusted(std::sync::Arc::new(TlsFailure(source.into()))),
        )
    }

    /// A request that cannot be sent as given (an upload's file that
    /// cannot be read or is too large), found while preparing it.
    pub fn input(error: crate::error::BuildError) -> Self {
        AttemptFailure::new(Stage::Prepare, Cause::Input(error))
    }

    /// Any other failure at `stage`, with the transport's error.
    pub fn failed(stage: Stage, source: impl Into<crate::BoxError>) -> Self {
        AttemptFailure::new(stage, Cause::Failed(crate::error::shared_source(source)))
    }
}

/// Finds an error of type `T` in the chain of sources of a transport's
/// error, looking inside `std::io::Error`s too (whose `source()` skips the
/// error they wrap): how a transport tells, say, a rustls error inside an
/// I/O error.
pub fn find_in_chain<'a, T: std::error::Error + 'static>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = match e
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    None
}

/// The limits an attempt ran under, to name the one that ran out.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The connect timeout.
    pub connect: Duration,
    /// The attempt timeout.
    pub attempt: Duration,
    /// The total timeout of the call.
    pub total: Duration,
    /// Whether this attempt's time limit was cut short by the total one.
    pub cut_by_total: bool,
    /// The largest body accepted.
    pub max_body: u64,
}

/// The error to report for a failed attempt, and how it counts for the
/// retry rules (`None`: never retried).
///
/// - Before the first byte of the request (lookup, connect, TLS): the
///   request never left, so every operation may be retried
///   ([`Outcome::ConnectFailed`]); a connect-stage time limit is
///   [`TimeoutPhase::Connect`]. An untrusted certificate is final.
/// - From the first byte on: the service may have acted on it, so only
///   idempotent operations are retried ([`Outcome::SentThenFailed`],
///   [`Outcome::Timeout`]).
pub fn classify(
    operation: &'static str,
    failure: AttemptFailure,
    limits: &Limits,
) -> (Error, Option<Outcome>) {
    let AttemptFailure { stage, cause } = failure;
    match cause {
        Cause::BodyTooLarge { status } => (
            Error::BodyTooLarge {
                operation,
                status,
                limit: limits.max_body,
            },
            None,
        ),
        Cause::Untrusted(source) => (Error::Connect { operation, source }, None),
        Cause::Input(source) => (Error::Build { operation, source }, None),
        Cause::Failed(source) if stage == Stage::Prepare => (
            Error::Build {
                operation,
                source: crate::error::BuildError::Url(source.to_string()),
            },
            None,
        ),
        Cause::TimedOut if !stage.maybe_sent() => (
            Error::Timeout {
                operation,
                phase: TimeoutPhase::Connect,
                after: limits.connect,
            },
            Some(Outcome::ConnectFailed),
        ),
        Cause::TimedOut if limits.cut_by_total => (
            Error::Timeout {
                operation,
                phase: TimeoutPhase::Total,
                after: limits.total,
            },
            None,
        ),
        Cause::TimedOut => (
            Error::Timeout {
                operation,
                phase: TimeoutPhase::Attempt,
                after: limits.attempt,
            },
            Some(Outcome::Timeout),
        ),
        Cause::Failed(source) if !stage.maybe_sent() => (
            Error::Connect {
                operation,
                source: with_stage(stage, source),
            },
            Some(Outcome::ConnectFailed),
        ),
        Cause::Failed(source) => (
            Error::Transport {
                operation,
                source: with_stage(stage, source),
            },
            Some(Outcome::SentThenFailed),
        ),
    }
}

/// A failed TLS handshake, with a hint on the usual cause.
#[derive(Debug)]
struct TlsFailure(crate::BoxError);

/// Why the TLS handshake refused the server, when `error` is a connection
/// that failed because of it (see [`Error::tls_refusal`]).
pub(crate) fn tls_refusal(error: &Error) -> Option<String> {
    let Error::Connect { source, .. } = error else {
        return None;
    };
    let failure = source.downcast_ref::<TlsFailure>()?;
    let inner: &(dyn std::error::Error + 'static) = &*failure.0;
    // The TLS library's own words when it is compiled in, else the
    // transport's whole message.
    #[cfg(any(feature = "ring", feature = "aws-lc-rs"))]
    if let Some(tls) = find_in_chain::<rustls::Error>(inner) {
        return Some(tls.to_string());
    }
    Some(inner.to_string())
}

impl std::fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "TLS handshake failed ({}); if the server's certificate comes from a private CA, trust that CA with add_root_certificate_pem",
            self.0
        )
    }
}

impl std::error::Error for TlsFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// The transport's error with the stage it happened at, so the message
/// says when the connection broke.
fn with_stage(stage: Stage, source: SharedSource) -> SharedSource {
    std::sync::Arc::new(AtStage { stage, source })
}

#[derive(Debug)]
struct AtStage {
    stage: Stage,
    source: SharedSource,
}

impl std::fmt::Display for AtStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (while {})", self.source, self.stage.describe())
    }
}

impl std::error::Error for AtStage {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(cut_by_total: bool) -> Limits {
        Limits {
            connect: Duration::from_secs(5),
            attempt: Duration::from_secs(30),
            total: Duration::from_secs(90),
            cut_by_total,
            max_body: 1024,
        }
    }

    #[test]
    fn before_the_first_byte_nothing_was_sent() {
        for stage in [Stage::Resolve, Stage::Connect, Stage::Tls] {
            let (error, outcome) = classify(
                "hang_up",
                AttemptFailure::failed(stage, "no such host"),
                &limits(false),
            );
            assert!(matches!(error, Error::Connect { .. }), "{error:?}");
            assert_eq!(outcome, Some(Outcome::ConnectFailed));
            let (error, outcome) =
                classify("hang_up", AttemptFailure::timed_out(stage), &limits(false));
            assert!(
                matches!(
                    error,
                    Error::Timeout {
                        phase: TimeoutPhase::Connect,
                        ..
                    }
                ),
                "{error:?}"
            );
            assert_eq!(outcome, Some(Outcome::ConnectFailed));
        }
        let (error, _) = classify(
            "hang_up",
            AttemptFailure::failed(Stage::Resolve, "no such host"),
            &limits(false),
        );
        assert_eq!(
            error.to_string(),
            "hang_up: could not connect to the service: no such host (while looking up the host)"
        );
    }

    #[test]
    fn from_the_first_byte_it_may_have_been_sent() {
        for stage in [Stage::Send, Stage::Wait, Stage::Body] {
            let (error, outcome) = classify(
                "hang_up",
                AttemptFailure::failed(stage, "reset"),
                &limits(false),
            );
            assert!(matches!(error, Error::Transport { .. }), "{error:?}");
            assert_eq!(outcome, Some(Outcome::SentThenFailed));
            let (error, outcome) =
                classify("hang_up", AttemptFailure::timed_out(stage), &limits(false));
            assert!(
                matches!(
                    error,
                    Error::Timeout {
                        phase: TimeoutPhase::Attempt,
                        ..
                    }
                ),
                "{error:?}"
            );
            assert_eq!(outcome, Some(Outcome::Timeout));
        }
        // A time limit the total one cut short ends the call.
        let (error, outcome) = classify(
            "hang_up",
            AttemptFailure::timed_out(Stage::Wait),
            &limits(true),
        );
        assert!(
            matches!(
                error,
                Error::Timeout {
                    phase: TimeoutPhase::Total,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(outcome, None);
    }

    #[test]
    fn final_failures() {
        let untrusted = AttemptFailure::new(
            Stage::Tls,
            Cause::Untrusted(crate::error::shared_source("unknown issuer")),
        );
        let (error, outcome) = classify("hang_up", untrusted, &limits(false));
        assert!(matches!(error, Error::Connect { .. }));
        assert_eq!(outcome, None);
        let (error, outcome) = classify(
            "hang_up",
            AttemptFailure::new(Stage::Body, Cause::BodyTooLarge { status: 200 }),
            &limits(false),
        );
        assert!(matches!(
            error,
            Error::BodyTooLarge {
                status: 200,
                limit: 1024,
                ..
            }
        ));
        assert_eq!(outcome, None);
        let (error, outcome) = classify(
            "hang_up",
            AttemptFailure::failed(Stage::Prepare, "bad url"),
            &limits(false),
        );
        assert!(matches!(error, Error::Build { .. }));
        assert_eq!(outcome, None);
    }

    #[test]
    fn a_tls_refusal_says_why_and_nothing_else_is_one() {
        let (error, _) = classify(
            "hang_up",
            AttemptFailure::untrusted("unknown issuer"),
            &limits(false),
        );
        assert_eq!(error.tls_refusal().as_deref(), Some("unknown issuer"));
        let (refused, _) = classify(
            "hang_up",
            AttemptFailure::failed(Stage::Connect, "connection refused"),
            &limits(false),
        );
        assert_eq!(refused.tls_refusal(), None);
    }

    #[test]
    fn errors_clone_with_their_source() {
        let (error, _) = classify(
            "hang_up",
            AttemptFailure::failed(Stage::Wait, "reset by peer"),
            &limits(false),
        );
        let copy = error.clone();
        assert_eq!(copy.to_string(), error.to_string());
        let source = std::error::Error::source(&copy).unwrap();
        assert_eq!(
            source.to_string(),
            "reset by peer (while waiting for the answer)"
        );
    }
}
