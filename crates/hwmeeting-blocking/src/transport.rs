//! One HTTP attempt on ureq: TLS setup, time limits, the body size limit,
//! and the mapping of ureq's errors onto what the retry rules need to know.

use std::io;
use std::time::Duration;

use hwmeeting_core::attempt::{AttemptFailure, Cause, Stage, find_in_chain};
use hwmeeting_core::engine::Answer;
use hwmeeting_core::{Error, HttpRequest, trust};

use crate::resolver::LiteralFirstResolver;
use ureq::tls::{Certificate, RootCerts, TlsConfig, TlsProvider};
use ureq::unversioned::transport::{
    ConnectionDetails, Connector, DefaultConnector, Transport as UreqTransport,
};
use ureq::{AsSendBody, SendBody};

/// What the transport is built from.
pub(crate) struct TransportConfig<'a> {
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Duration,
    pub(crate) extra_roots_pem: &'a [Vec<u8>],
    pub(crate) user_agent: &'a str,
    pub(crate) allow_plain_http: bool,
}

/// A ureq agent set up for this API.
#[derive(Clone)]
pub(crate) struct Transport {
    agent: ureq::Agent,
    attempt_timeout: Duration,
    /// The caller's agent: every request carries the settings the API
    /// needs, which that agent may not have.
    borrowed: Option<String>,
}

/// The `log` target under which ureq-proto, the HTTP/1.1 engine under
/// ureq, writes every request and answer it handles as hex at TRACE:
/// credentials and tokens included. No setting of ureq turns it off.
pub(crate) const WIRE_DUMP_TARGET: &str = "ureq_proto::util";

/// Warns once per process, without any secret, when the application's
/// `log` logger lets ureq-proto's TRACE dumps through: they would write
/// every token this client sends into the application's logs.
pub(crate) fn warn_if_wire_dump_enabled() {
    static WARNED: std::sync::Once = std::sync::Once::new();
    if log::log_enabled!(target: WIRE_DUMP_TARGET, log::Level::Trace) {
        WARNED.call_once(|| {
            tracing::warn!(
                "the `log` target {WIRE_DUMP_TARGET} is enabled at TRACE: ureq-proto writes every request and answer of the blocking client as hex, credentials and tokens included; keep it at DEBUG or below (with tracing-subscriber: RUST_LOG=trace,ureq_proto=debug)"
            );
        });
    }
}

impl Transport {
    /// Builds the agent. Fails on an invalid extra CA certificate.
    pub(crate) fn new(config: &TransportConfig<'_>) -> Result<Self, Error> {
        let tls = TlsConfig::builder()
            .provider(TlsProvider::Rustls)
            .root_certs(root_certs(config.extra_roots_pem)?)
            .unversioned_rustls_crypto_provider(trust::crypto_provider())
            .build();
        let agent_config = ureq::Agent::config_builder()
            // Error statuses are answers to read, not transport errors.
            .http_status_as_error(false)
            .https_only(!config.allow_plain_http)
            // Never follow a redirect: it could carry a token elsewhere. A
            // 3xx comes back as an answer (and is reported as an error).
            .max_redirects(0)
            .user_agent(config.user_agent)
            .timeout_resolve(Some(config.connect_timeout))
            .timeout_connect(Some(config.connect_timeout))
            .timeout_per_call(Some(config.attempt_timeout))
            .tls_config(tls)
            .build();
        let agent = ureq::Agent::with_parts(
            agent_config,
            MarkOpeningFailures(DefaultConnector::new()),
            LiteralFirstResolver::new(),
        );
        Ok(Transport {
            agent,
            attempt_timeout: config.attempt_timeout,
            borrowed: None,
        })
    }

    /// The caller's agent, as it is: its TLS, resolver, proxy and pool.
    pub(crate) fn with_agent(
        agent: ureq::Agent,
        attempt_timeout: Duration,
        user_agent: &str,
    ) -> Self {
        Transport {
            agent,
            attempt_timeout,
            borrowed: Some(user_agent.to_owned()),
        }
    }

    /// Sends `request` and reads the whole answer, within `limit` (from
    /// opening the connection to the end of the body) and reading at most
    /// `max_body` bytes of body. A failure says how far the attempt got.
    pub(crate) fn attempt(
        &self,
        mut request: HttpRequest,
        limit: Duration,
        max_body: u64,
    ) -> Result<Answer, AttemptFailure> {
        match request.upload.take() {
            None => {
                let request = request
                    .into_http()
                    .map_err(|e| AttemptFailure::failed(Stage::Prepare, e.to_string()))?;
                self.run(request, limit, max_body)
            }
            Some(upload) => {
                let (reader, len) = crate::streaming::body(&upload)?;
                let mut request = request
                    .into_http_head()
                    .map_err(|e| AttemptFailure::failed(Stage::Prepare, e.to_string()))?
                    .map(|()| SendBody::from_owned_reader(reader));
                request
                    .headers_mut()
                    .insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(len));
                self.run(request, limit, max_body)
            }
        }
    }

    /// Sends a request with any body ureq can send, and reads the answer.
    fn run<B: AsSendBody>(
        &self,
        request: http::Request<B>,
        limit: Duration,
        max_body: u64,
    ) -> Result<Answer, AttemptFailure> {
        let request = if let Some(user_agent) = &self.borrowed {
            // The caller's agent: error statuses are answers, a redirect is
            // never followed (it could carry a token elsewhere), and the
            // time limit is the call's.
            self.agent
                .configure_request(request)
                .http_status_as_error(false)
                .max_redirects(0)
                .user_agent(user_agent.as_str())
                .timeout_per_call(Some(limit))
                .build()
        } else if limit == self.attempt_timeout {
            request
        } else {
            // Only when the total time limit leaves less than a full attempt:
            // a request-level setting.
            self.agent
                .configure_request(request)
                .timeout_per_call(Some(limit))
                .build()
        };
        let response = self
            .agent
            .run(request)
            .map_err(|e| failure(e, Stage::Wait))?;
        let (parts, mut body) = response.into_parts();
        let status = parts.status.as_u16();
        let body = body
            .with_config()
            .limit(max_body)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => {
                    AttemptFailure::new(Stage::Body, Cause::BodyTooLarge { status })
                }
                // The head is in: whatever broke now broke after it.
                other => failure(other, Stage::Body),
            })?;
        Ok(Answer {
            status,
            headers: parts.headers,
            body,
        })
    }
}

/// ureq's connector chain (TCP, then TLS with its handshake), with every
/// I/O failure while the connection is being opened marked as such
/// ([`Opening`]): ureq reports an I/O error the same way whether it came
/// before the request was sent or after, but one from here came before: a
/// server that closes the connection during the TLS handshake never saw the
/// request, so the call is as safe to retry as after a refused connection.
#[derive(Debug)]
struct MarkOpeningFailures(DefaultConnector);

impl Connector<()> for MarkOpeningFailures {
    type Out = Box<dyn UreqTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        self.0
            .connect(details, chained)
            .map_err(|e| Opening::mark(Stage::Connect, e))
    }
}

/// An I/O error while the connection was being opened (`stage` is
/// [`Stage::Resolve`] or [`Stage::Connect`]): the request was not sent.
#[derive(Debug)]
pub(crate) struct Opening {
    stage: Stage,
    error: io::Error,
}

impl Opening {
    /// Marks the I/O errors of `error` as happening at `stage`.
    pub(crate) fn mark(stage: Stage, error: ureq::Error) -> ureq::Error {
        match error {
            ureq::Error::Io(error) => {
                ureq::Error::Io(io::Error::new(error.kind(), Opening { stage, error }))
            }
            other => other,
        }
    }
}

impl std::fmt::Display for Opening {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for Opening {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// What a ureq error says about how far the attempt got; `after` is the
/// stage assumed when ureq does not say (the request may be out).
fn failure(error: ureq::Error, after: Stage) -> AttemptFailure {
    use ureq::Error as U;
    use ureq::Timeout as T;
    match error {
        U::Timeout(T::Resolve) => AttemptFailure::timed_out(Stage::Resolve),
        U::Timeout(T::Connect) => AttemptFailure::timed_out(Stage::Connect),
        U::Timeout(T::SendRequest | T::Await100 | T::SendBody) => {
            AttemptFailure::timed_out(Stage::Send)
        }
        U::Timeout(T::RecvBody) => AttemptFailure::timed_out(Stage::Body),
        U::Timeout(_) => AttemptFailure::timed_out(after),
        U::BodyExceedsLimit(_) => {
            AttemptFailure::new(Stage::Body, Cause::BodyTooLarge { status: 0 })
        }
        U::HostNotFound => AttemptFailure::failed(Stage::Resolve, error),
        U::ConnectionFailed => AttemptFailure::failed(Stage::Connect, error),
        U::Io(io) => io_failure(io, after),
        U::Tls(_) | U::Pem(_) | U::Rustls(_) => AttemptFailure::untrusted(error),
        U::BadUri(_) | U::Http(_) | U::RequireHttpsOnly(_) | U::TlsRequired => {
            AttemptFailure::failed(Stage::Prepare, error)
        }
        other => AttemptFailure::failed(after, other),
    }
}

fn io_failure(error: io::Error, after: Stage) -> AttemptFailure {
    use io::ErrorKind as K;
    if find_in_chain::<rustls::Error>(&error).is_some() {
        return AttemptFailure::untrusted(error);
    }
    let stage = match find_in_chain::<Opening>(&error) {
        Some(opening) => opening.stage,
        None => match error.kind() {
            K::ConnectionRefused
            | K::HostUnreachable
            | K::NetworkUnreachable
            | K::NetworkDown
            | K::AddrNotAvailable
            | K::NotConnected => Stage::Connect,
            _ => after,
        },
    };
    match error.kind() {
        K::TimedOut | K::WouldBlock => AttemptFailure::timed_out(stage),
        _ => AttemptFailure::failed(stage, error),
    }
}

#[cfg(not(any(feature = "ring", feature = "aws-lc-rs")))]
compile_error!(
    "a TLS crypto provider is needed: enable the `ring` (default) or `aws-lc-rs` feature"
);

/// What the agent trusts: the platform's store with the
/// `platform-verifier` feature (to which ureq can add nothing), else the
/// public web roots plus the caller's CA certificates.
fn root_certs(extra_pem: &[Vec<u8>]) -> Result<RootCerts, Error> {
    #[cfg(feature = "platform-verifier")]
    {
        if !extra_pem.is_empty() {
            return Err(Error::Config(
                "the blocking client cannot add CA certificates to the platform's trust store (feature `platform-verifier`): add the CA to the system's store, or build without that feature".into(),
            ));
        }
        Ok(RootCerts::PlatformVerifier)
    }
    #[cfg(not(feature = "platform-verifier"))]
    Ok(RootCerts::Specific(std::sync::Arc::new(root_certificates(
        extra_pem,
    )?)))
}

/// The public web roots plus the caller's PEM certificates; every extra
/// certificate must parse and be usable as a trust anchor.
#[cfg_attr(feature = "platform-verifier", allow(dead_code))]
fn root_certificates(extra_pem: &[Vec<u8>]) -> Result<Vec<Certificate<'static>>, Error> {
    let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    for der in trust::extra_root_certificates(extra_pem)? {
        // ureq takes any DER; rustls says whether it can be an anchor.
        rustls::RootCertStore::empty()
            .add(der.clone())
            .map_err(trust::unusable_root)?;
        roots.push(Certificate::from_der(der.as_ref()).to_owned());
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_roots_are_there() {
        let roots = root_certificates(&[]).unwrap();
        assert!(roots.len() > 100, "{}", roots.len());
    }

    #[test]
    fn invalid_pem_is_a_config_error() {
        let err = root_certificates(&[b"not a certificate".to_vec()]).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(
            err.to_string().contains("holds no PEM certificate"),
            "{err}"
        );

        let garbage = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".to_vec();
        let err = root_certificates(&[garbage]).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
    }

    fn stage_of(failure: &AttemptFailure) -> (Stage, bool) {
        (failure.stage, matches!(failure.cause, Cause::TimedOut))
    }

    #[test]
    fn io_errors_say_how_far_the_attempt_got() {
        let io = |kind| ureq::Error::Io(io::Error::from(kind));
        let refused = failure(io(io::ErrorKind::ConnectionRefused), Stage::Wait);
        assert_eq!(stage_of(&refused), (Stage::Connect, false));
        let reset = failure(io(io::ErrorKind::ConnectionReset), Stage::Wait);
        assert_eq!(stage_of(&reset), (Stage::Wait, false));
        // An ETIMEDOUT once the request is out is not a connect timeout:
        // a non-idempotent call must not be sent again.
        let timed_out = failure(io(io::ErrorKind::TimedOut), Stage::Wait);
        assert_eq!(stage_of(&timed_out), (Stage::Wait, true));
        let tls = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        );
        assert!(matches!(
            failure(ureq::Error::Io(tls), Stage::Wait).cause,
            Cause::Untrusted(_)
        ));
        // The same failures while the connection was being opened: the
        // request never left.
        for kind in [io::ErrorKind::UnexpectedEof, io::ErrorKind::ConnectionReset] {
            let marked = Opening::mark(Stage::Connect, io(kind));
            assert_eq!(
                stage_of(&failure(marked, Stage::Wait)),
                (Stage::Connect, false)
            );
        }
        let stalled = Opening::mark(Stage::Connect, io(io::ErrorKind::TimedOut));
        assert_eq!(
            stage_of(&failure(stalled, Stage::Wait)),
            (Stage::Connect, true)
        );
        // A lookup that fails is marked by the resolver: never sent.
        let lookup = Opening::mark(
            Stage::Resolve,
            ureq::Error::Io(io::Error::other("failed to lookup address information")),
        );
        assert_eq!(
            stage_of(&failure(lookup, Stage::Wait)),
            (Stage::Resolve, false)
        );
        assert_eq!(
            stage_of(&failure(ureq::Error::HostNotFound, Stage::Wait)),
            (Stage::Resolve, false)
        );
        assert_eq!(
            stage_of(&failure(
                ureq::Error::Timeout(ureq::Timeout::Connect),
                Stage::Wait
            )),
            (Stage::Connect, true)
        );
        assert_eq!(
            stage_of(&failure(
                ureq::Error::Timeout(ureq::Timeout::PerCall),
                Stage::Wait
            )),
            (Stage::Wait, true)
        );
    }

    #[cfg(feature = "platform-verifier")]
    #[test]
    fn the_platform_store_takes_no_extra_ca_here() {
        assert!(matches!(root_certs(&[]), Ok(RootCerts::PlatformVerifier)));
        let err = root_certs(&[b"-----BEGIN CERTIFICATE-----".to_vec()]).unwrap_err();
        assert!(err.to_string().contains("platform-verifier"), "{err}");
    }
}
