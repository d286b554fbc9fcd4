//! One HTTP attempt on ureq: TLS setup, time limits, the body size limit,
//! and the mapping of ureq's errors onto what the retry rules need to know.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use hwmeeting_core::{BoxError, Error};

use crate::resolver::LiteralFirstResolver;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig, TlsProvider};
use ureq::unversioned::transport::{
    ConnectionDetails, Connector, DefaultConnector, Transport as UreqTransport,
};

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
}

/// An answer that arrived whole.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: Vec<u8>,
}

/// How an attempt failed.
#[derive(Debug)]
pub(crate) enum AttemptError {
    /// The connection could not be opened; the request never left. A retry
    /// may help.
    Connect(BoxError),
    /// The connection could not be opened for a reason a retry cannot fix
    /// (TLS handshake or certificate failure, an unusable URL).
    ConnectFinal(BoxError),
    /// The connection failed after the request may have been sent.
    Sent(BoxError),
    /// The connection could not be opened in time.
    ConnectTimeout,
    /// The attempt's time limit ran out.
    AttemptTimeout,
    /// The body is larger than the limit.
    BodyTooLarge { status: u16 },
}

impl Transport {
    /// Builds the agent. Fails on an invalid extra CA certificate.
    pub(crate) fn new(config: &TransportConfig<'_>) -> Result<Self, Error> {
        let roots = root_certificates(config.extra_roots_pem)?;
        let tls = TlsConfig::builder()
            .provider(TlsProvider::Rustls)
            .root_certs(RootCerts::Specific(Arc::new(roots)))
            // ring, always: never whatever provider the process installed.
            .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
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
        })
    }

    /// Sends `request` and reads the whole answer, within `limit` (from
    /// opening the connection to the end of the body) and reading at most
    /// `max_body` bytes of body.
    pub(crate) fn attempt(
        &self,
        request: http::Request<Vec<u8>>,
        limit: Duration,
        max_body: u64,
    ) -> Result<Answer, AttemptError> {
        let request = if limit == self.attempt_timeout {
            request
        } else {
            // Only when the total time limit leaves less than a full attempt:
            // a request-level setting.
            self.agent
                .configure_request(request)
                .timeout_per_call(Some(limit))
                .build()
        };
        let response = self.agent.run(request).map_err(classify)?;
        let (parts, mut body) = response.into_parts();
        let status = parts.status.as_u16();
        let body = body
            .with_config()
            .limit(max_body)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => AttemptError::BodyTooLarge { status },
                other => match classify(other) {
                    // The request is out: whatever broke now broke after it.
                    AttemptError::Connect(e) | AttemptError::ConnectFinal(e) => {
                        AttemptError::Sent(e)
                    }
                    AttemptError::ConnectTimeout => AttemptError::AttemptTimeout,
                    other => other,
                },
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
/// ([`OpeningFailed`]): ureq reports an I/O error the same way whether it
/// came before the request was sent or after, but one from here came
/// before: a server that closes the connection during the TLS handshake
/// never saw the request, so the call is as safe to retry as after a
/// refused connection.
#[derive(Debug)]
struct MarkOpeningFailures(DefaultConnector);

impl Connector<()> for MarkOpeningFailures {
    type Out = Box<dyn UreqTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        self.0.connect(details, chained).map_err(|e| match e {
            ureq::Error::Io(io) => ureq::Error::Io(io::Error::new(io.kind(), OpeningFailed(io))),
            other => other,
        })
    }
}

/// An I/O error while the connection was being opened: the request was
/// not sent.
#[derive(Debug)]
struct OpeningFailed(io::Error);

impl std::fmt::Display for OpeningFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (while opening the connection)", self.0)
    }
}

impl std::error::Error for OpeningFailed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// Sorts a ureq error into what the retry rules and the error report need.
fn classify(error: ureq::Error) -> AttemptError {
    use ureq::Error as U;
    match error {
        U::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => AttemptError::ConnectTimeout,
        U::Timeout(_) => AttemptError::AttemptTimeout,
        U::BodyExceedsLimit(_) => AttemptError::BodyTooLarge { status: 0 },
        U::HostNotFound | U::ConnectionFailed => AttemptError::Connect(Box::new(error)),
        U::Io(io) => classify_io(io),
        U::Tls(_) | U::Pem(_) | U::Rustls(_) => {
            AttemptError::ConnectFinal(Box::new(TlsFailure(Box::new(error))))
        }
        U::BadUri(_) | U::Http(_) | U::RequireHttpsOnly(_) | U::TlsRequired => {
            AttemptError::ConnectFinal(Box::new(error))
        }
        other => AttemptError::Sent(Box::new(other)),
    }
}

fn classify_io(error: io::Error) -> AttemptError {
    use io::ErrorKind as K;
    if is_tls_error(&error) {
        return AttemptError::ConnectFinal(Box::new(TlsFailure(Box::new(error))));
    }
    if find_in_chain::<OpeningFailed>(&error).is_some() {
        return match error.kind() {
            K::TimedOut | K::WouldBlock => AttemptError::ConnectTimeout,
            _ => AttemptError::Connect(Box::new(error)),
        };
    }
    match error.kind() {
        K::TimedOut | K::WouldBlock => AttemptError::AttemptTimeout,
        K::ConnectionRefused
        | K::HostUnreachable
        | K::NetworkUnreachable
        | K::NetworkDown
        | K::AddrNotAvailable
        | K::NotConnected => AttemptError::Connect(Box::new(error)),
        _ => AttemptError::Sent(Box::new(error)),
    }
}

/// Whether an I/O error carries a rustls error (a failed handshake or a
/// certificate that is not trusted).
fn is_tls_error(error: &io::Error) -> bool {
    find_in_chain::<rustls::Error>(error).is_some()
}

/// Finds an error of type `T` in the chain of sources, looking inside
/// `io::Error`s too (whose `source()` skips the error they wrap).
fn find_in_chain<'a, T: std::error::Error + 'static>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = match e.downcast_ref::<io::Error>().and_then(io::Error::get_ref) {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    None
}

/// A failed TLS handshake, with a hint on the usual cause.
#[derive(Debug)]
struct TlsFailure(BoxError);

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

/// The public web roots plus the caller's PEM certificates; every extra
/// certificate must parse and be usable as a trust anchor.
fn root_certificates(extra_pem: &[Vec<u8>]) -> Result<Vec<Certificate<'static>>, Error> {
    let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    for (index, pem) in extra_pem.iter().enumerate() {
        let which = index + 1;
        let mut found = 0usize;
        for item in ureq::tls::parse_pem(pem) {
            let item = item.map_err(|e| {
                Error::Config(format!(
                    "root certificate #{which} is not valid PEM ({e}): pass the CA certificate as PEM text (-----BEGIN CERTIFICATE-----)"
                ))
            })?;
            if let PemItem::Certificate(cert) = item {
                let mut check = rustls::RootCertStore::empty();
                check
                    .add(rustls::pki_types::CertificateDer::from(cert.der()))
                    .map_err(|e| {
                        Error::Config(format!(
                            "root certificate #{which}: certificate {} cannot be trusted as a CA ({e})",
                            found + 1
                        ))
                    })?;
                roots.push(cert);
                found += 1;
            }
        }
        if found == 0 {
            return Err(Error::Config(format!(
                "root certificate #{which} holds no PEM certificate: pass the CA certificate as PEM text (-----BEGIN CERTIFICATE-----)"
            )));
        }
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

    #[test]
    fn io_errors_are_sorted() {
        let refused = io::Error::new(io::ErrorKind::ConnectionRefused, "refused");
        assert!(matches!(classify_io(refused), AttemptError::Connect(_)));
        let reset = io::Error::new(io::ErrorKind::ConnectionReset, "reset");
        assert!(matches!(classify_io(reset), AttemptError::Sent(_)));
        let timed_out = io::Error::new(io::ErrorKind::TimedOut, "slow");
        assert!(matches!(
            classify_io(timed_out),
            AttemptError::AttemptTimeout
        ));
        let tls = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        );
        assert!(matches!(classify_io(tls), AttemptError::ConnectFinal(_)));
        // The same failures while the connection was being opened: the
        // request never left.
        let opening = |e: io::Error| io::Error::new(e.kind(), OpeningFailed(e));
        let eof = opening(io::Error::from(io::ErrorKind::UnexpectedEof));
        assert!(matches!(classify_io(eof), AttemptError::Connect(_)));
        let reset = opening(io::Error::from(io::ErrorKind::ConnectionReset));
        assert!(matches!(classify_io(reset), AttemptError::Connect(_)));
        let tls = opening(io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        ));
        assert!(matches!(classify_io(tls), AttemptError::ConnectFinal(_)));
        assert!(matches!(
            classify(ureq::Error::Timeout(ureq::Timeout::Connect)),
            AttemptError::ConnectTimeout
        ));
        assert!(matches!(
            classify(ureq::Error::Timeout(ureq::Timeout::PerCall)),
            AttemptError::AttemptTimeout
        ));
    }
}
