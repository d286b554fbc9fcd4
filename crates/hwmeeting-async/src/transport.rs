//! One HTTP attempt on reqwest: TLS setup (rustls with ring, always
//! verified), the connection pool, the body limit, and how transport errors
//! are told apart.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;

use hwmeeting_core::{BoxError, Config, Error, HttpRequest};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// How long an idle connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// The HTTP side of a client: a reqwest client and the per-request settings.
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    user_agent: http::HeaderValue,
    max_body: u64,
}

/// An answer read in full (any status).
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: Vec<u8>,
}

/// How an attempt failed before a whole answer was read.
#[derive(Debug)]
pub(crate) enum AttemptError {
    /// The request could not be turned into a reqwest request (nothing sent).
    Invalid(BoxError),
    /// The connection could not be opened (refused, DNS, reset while
    /// connecting): the request never left. Retried for every operation.
    Connect(BoxError),
    /// The TLS handshake failed (certificate not trusted, wrong name, alert):
    /// the request never left, and trying again cannot help.
    Tls(BoxError),
    /// The connect timeout ran out.
    ConnectTimeout,
    /// The connection failed after the request may have been sent.
    Transport(BoxError),
    /// The answer's body is larger than the limit.
    BodyTooLarge { status: u16, limit: u64 },
}

impl Transport {
    /// Builds the reqwest client from the configuration.
    pub(crate) fn new(config: &Config) -> Result<Self, Error> {
        let tls = tls_config(&config.extra_root_certificates)?;
        let user_agent = http::HeaderValue::from_str(&config.user_agent).map_err(|_| {
            Error::Config("user_agent holds characters that cannot travel in an HTTP header".into())
        })?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .https_only(!config.endpoint.is_plain_http())
            .connect_timeout(config.timeouts.connect)
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .tcp_nodelay(true)
            // The API never redirects; following one would carry tokens to
            // another place.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("the HTTP client could not be built: {e}")))?;
        Ok(Transport {
            http,
            user_agent,
            max_body: config.max_response_body_size,
        })
    }

    /// Sends one request and reads its answer in full, up to the body
    /// limit. The caller bounds it in time.
    pub(crate) async fn attempt(&self, request: HttpRequest) -> Result<RawResponse, AttemptError> {
        // reqwest parses the URL text once; nothing parses it before.
        let url =
            reqwest::Url::parse(&request.url).map_err(|e| AttemptError::Invalid(Box::new(e)))?;
        let mut outgoing = reqwest::Request::new(request.method, url);
        *outgoing.headers_mut() = request.headers;
        outgoing
            .headers_mut()
            .insert(http::header::USER_AGENT, self.user_agent.clone());
        *outgoing.body_mut() = Some(request.body.into());
        let mut response = self.http.execute(outgoing).await.map_err(classify)?;
        let status = response.status().as_u16();
        let limit = self.max_body;
        if response.content_length().is_some_and(|len| len > limit) {
            return Err(AttemptError::BodyTooLarge { status, limit });
        }
        let headers = std::mem::take(response.headers_mut());
        let capacity = response
            .content_length()
            .unwrap_or(0)
            .min(limit)
            .min(64 * 1024);
        let mut body = Vec::with_capacity(capacity as usize);
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| AttemptError::Transport(Box::new(e)))?
        {
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(AttemptError::BodyTooLarge { status, limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}

/// Sorts a reqwest error from sending (before the answer's head arrived).
fn classify(error: reqwest::Error) -> AttemptError {
    if find_in_chain::<rustls::Error>(&error).is_some() {
        return AttemptError::Tls(Box::new(error));
    }
    if error.is_timeout() {
        // Only the connect timeout is set on reqwest; the attempt timeout
        // is ours.
        return AttemptError::ConnectTimeout;
    }
    if error.is_connect() {
        return AttemptError::Connect(Box::new(error));
    }
    AttemptError::Transport(Box::new(error))
}

/// Finds an error of type `T` in the chain of sources, looking inside
/// `std::io::Error`s too (whose `source()` skips the error they wrap).
pub(crate) fn find_in_chain<'a, T: StdError + 'static>(
    error: &'a (dyn StdError + 'static),
) -> Option<&'a T> {
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            let inner: &(dyn StdError + 'static) = inner;
            current = Some(inner);
            continue;
        }
        current = e.source();
    }
    None
}

/// The rustls configuration: ring as the crypto provider, the public webpki
/// roots plus the caller's PEM certificates, always verified.
pub(crate) fn tls_config(extra_pems: &[Vec<u8>]) -> Result<rustls::ClientConfig, Error> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for (index, pem) in extra_pems.iter().enumerate() {
        let which = index + 1;
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(|e| {
                Error::Config(format!("extra root certificate #{which}: invalid PEM: {e}"))
            })?;
            roots.add(cert).map_err(|e| {
                Error::Config(format!(
                    "extra root certificate #{which}: not a usable CA certificate: {e}"
                ))
            })?;
            added += 1;
        }
        if added == 0 {
            return Err(Error::Config(format!(
                "extra root certificate #{which}: no `-----BEGIN CERTIFICATE-----` block found in the PEM"
            )));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS setup failed: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_pem_is_a_config_error() {
        let err = tls_config(&[b"not a certificate".to_vec()]).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
        assert!(err.to_string().contains("#1"), "{err}");
        let broken = b"-----BEGIN CERTIFICATE-----\nAAAA\n".to_vec();
        let err = tls_config(&[broken]).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
    }

    #[test]
    fn public_roots_only_is_fine() {
        let config = tls_config(&[]).unwrap();
        assert_eq!(
            config.alpn_protocols,
            vec![b"h2".to_vec(), b"http/1.1".to_vec()]
        );
    }

    #[test]
    fn finds_errors_inside_io_errors() {
        let inner = rustls::Error::General("x".into());
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, inner);
        assert!(find_in_chain::<rustls::Error>(&io).is_some());
    }
}
