//! One HTTP attempt on reqwest: TLS setup (rustls with ring, always
//! verified), the connection pool, the body limit, and how transport errors
//! are told apart.

use std::time::Duration;

use hwmeeting_core::attempt::{AttemptFailure, Cause, Stage, find_in_chain};
use hwmeeting_core::engine::Answer;
use hwmeeting_core::{Config, Error, HttpRequest, trust};

/// How long an idle connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// The HTTP side of a client: a reqwest client and the per-request settings.
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    user_agent: http::HeaderValue,
    max_body: u64,
    /// The same trust for the meeting control WebSocket (HTTP/1.1 only).
    #[cfg(feature = "live")]
    ws_tls: std::sync::Arc<rustls::ClientConfig>,
}

impl Transport {
    /// Builds the reqwest client from the configuration.
    pub(crate) fn new(config: &Config) -> Result<Self, Error> {
        let tls = tls_config(&config.extra_root_certificates)?;
        #[cfg(feature = "live")]
        let ws_tls = ws_tls(tls.clone());
        let user_agent =
            http::HeaderValue::from_str(&config.user_agent).map_err(|_| trust::bad_user_agent())?;
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
            #[cfg(feature = "live")]
            ws_tls,
        })
    }

    /// The TLS settings of the meeting control WebSocket.
    #[cfg(feature = "live")]
    pub(crate) fn ws_tls(&self) -> std::sync::Arc<rustls::ClientConfig> {
        std::sync::Arc::clone(&self.ws_tls)
    }

    /// The caller's reqwest client, as it is: its TLS, proxy, resolver,
    /// redirect policy and pool.
    pub(crate) fn with_client(http: reqwest::Client, config: &Config) -> Result<Self, Error> {
        let user_agent =
            http::HeaderValue::from_str(&config.user_agent).map_err(|_| trust::bad_user_agent())?;
        Ok(Transport {
            http,
            user_agent,
            max_body: config.max_response_body_size,
            // The caller's reqwest client keeps its TLS to itself: the
            // WebSocket trusts what the builder says (extra CAs, platform
            // verifier), as a client built by the SDK would.
            #[cfg(feature = "live")]
            ws_tls: ws_tls(tls_config(&config.extra_root_certificates)?),
        })
    }

    /// Sends one request and reads its answer in full, up to the body
    /// limit. The caller bounds it in time. A failure says how far the
    /// attempt got.
    pub(crate) async fn attempt(&self, request: HttpRequest) -> Result<Answer, AttemptFailure> {
        // reqwest parses the URL text once; nothing parses it before.
        let url = reqwest::Url::parse(&request.url)
            .map_err(|e| AttemptFailure::failed(Stage::Prepare, e))?;
        let mut outgoing = reqwest::Request::new(request.method, url);
        *outgoing.headers_mut() = request.headers;
        outgoing
            .headers_mut()
            .insert(http::header::USER_AGENT, self.user_agent.clone());
        *outgoing.body_mut() = Some(match &request.upload {
            None => request.body.into(),
            Some(upload) => {
                let (stream, len) = crate::streaming::body(upload).await?;
                outgoing
                    .headers_mut()
                    .insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(len));
                reqwest::Body::wrap_stream(stream)
            }
        });
        let mut response = self
            .http
            .execute(outgoing)
            .await
            .map_err(|e| failure(e, Stage::Wait))?;
        let status = response.status().as_u16();
        let limit = self.max_body;
        let too_large = || AttemptFailure::new(Stage::Body, Cause::BodyTooLarge { status });
        if response.content_length().is_some_and(|len| len > limit) {
            return Err(too_large());
        }
        let headers = std::mem::take(response.headers_mut());
        let capacity = response
            .content_length()
            .unwrap_or(0)
            .min(limit)
            .min(64 * 1024);
        let mut body = Vec::with_capacity(capacity as usize);
        // The head is in: whatever breaks now breaks after it.
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| failure(e, Stage::Body))?
        {
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            headers,
            body,
        })
    }
}

/// What a reqwest error says about how far the attempt got; `after` is the
/// stage when the connection was open (the request may be out).
///
/// `is_connect` is asked first: reqwest's `is_timeout` is true for any
/// timeout anywhere in the chain, an `ETIMEDOUT` after the request was
/// written included, which is no connect timeout.
fn failure(error: reqwest::Error, after: Stage) -> AttemptFailure {
    if find_in_chain::<rustls::Error>(&error).is_some() {
        return AttemptFailure::untrusted(error);
    }
    let stage = if error.is_connect() {
        Stage::Connect
    } else {
        after
    };
    if error.is_timeout() {
        AttemptFailure::timed_out(stage)
    } else {
        AttemptFailure::failed(stage, error)
    }
}

/// The rustls configuration: the crate's crypto provider; the public
/// webpki roots (or, with the `platform-verifier` feature, the platform's
/// store) plus the caller's PEM certificates; always verified.
pub(crate) fn tls_config(extra_pems: &[Vec<u8>]) -> Result<rustls::ClientConfig, Error> {
    let extra = trust::extra_root_certificates(extra_pems)?;
    let builder = rustls::ClientConfig::builder_with_provider(trust::crypto_provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS setup failed: {e}")))?;
    #[cfg(feature = "platform-verifier")]
    let mut config = {
        let provider = builder.crypto_provider().clone();
        let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider)
            .map_err(trust::unusable_root)?;
        builder
            .dangerous()
            .with_custom_certificate_verifier(std::sync::Arc::new(verifier))
            .with_no_client_auth()
    };
    #[cfg(not(feature = "platform-verifier"))]
    let mut config = {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for der in extra {
            roots.add(der).map_err(trust::unusable_root)?;
        }
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The HTTP settings' TLS for the WebSocket: HTTP/1.1 only (the upgrade
/// needs it).
#[cfg(feature = "live")]
fn ws_tls(mut tls: rustls::ClientConfig) -> std::sync::Arc<rustls::ClientConfig> {
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    std::sync::Arc::new(tls)
}

#[cfg(not(any(feature = "ring", feature = "aws-lc-rs")))]
compile_error!(
    "a TLS crypto provider is needed: enable the `ring` (default) or `aws-lc-rs` feature"
);

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

    /// reqwest's `is_timeout` is true for a timeout after the request was
    /// written: that must not be taken for a connect timeout, or a
    /// non-idempotent call would be sent again.
    #[tokio::test]
    async fn a_timeout_after_the_request_was_written_is_not_a_connect_timeout() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            // Accept and read, never answer.
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 1024];
            let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut buf).await;
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        });
        // The provider must be given: the client is built without a default.
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config(&[]).unwrap())
            .build()
            .unwrap();
        let error = http
            .put(format!(
                "http://{addr}/v1/mmc/control/conferences/participants/delete"
            ))
            .timeout(std::time::Duration::from_millis(200))
            .send()
            .await
            .unwrap_err();
        assert!(error.is_timeout() && !error.is_connect(), "{error:?}");
        let failure = failure(error, Stage::Wait);
        assert_eq!(failure.stage, Stage::Wait);
        assert!(matches!(failure.cause, Cause::TimedOut));
        let limits = hwmeeting_core::attempt::Limits {
            connect: std::time::Duration::from_secs(5),
            attempt: std::time::Duration::from_secs(30),
            total: std::time::Duration::from_secs(90),
            cut_by_total: false,
            max_body: 1024,
        };
        let (error, outcome) = hwmeeting_core::attempt::classify("hang_up", failure, &limits);
        assert!(
            matches!(
                error,
                Error::Timeout {
                    phase: hwmeeting_core::TimeoutPhase::Attempt,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(outcome, Some(hwmeeting_core::Outcome::Timeout));
        server.abort();
    }

    #[test]
    fn finds_errors_inside_io_errors() {
        let inner = rustls::Error::General("x".into());
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, inner);
        assert!(find_in_chain::<rustls::Error>(&io).is_some());
    }
}
