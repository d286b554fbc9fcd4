//! TLS: a server whose certificate is not trusted, and one whose trusted
//! certificate is for another host name, are refused by both clients with
//! `Error::Connect`, at once: nothing retried (one connection) and nothing
//! sent (no handshake completed, no request read). A server with a
//! certificate that is right is used, so it is the certificate that is
//! refused. Plain `http://` is refused without the opt-in.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hwmeeting_api::model::{ApplyChair, CreateConfTokenRequest, HangUpRequest, SetRoleRequest};
use hwmeeting_core::{Credentials, Error, RetryPolicy, TimeoutPhase};
use hwmeeting_sim::{SimConfig, Simulator};
use hwmeeting_tests::{AnyClient, ClosingServer, Flavor, Settings};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A certificate chain and its key, and the CA that signed it (PEM).
struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivatePkcs8KeyDer<'static>,
    ca_pem: String,
}

/// A CA and a server certificate it signs for `names`.
fn signed_for(names: &[&str]) -> Identity {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "hwmeeting tls test CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().unwrap();
    let mut leaf =
        CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).unwrap();
    leaf.is_ca = IsCa::ExplicitNoCa;
    leaf.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let cert = leaf.signed_by(&key, &issuer).unwrap();
    Identity {
        chain: vec![cert.der().clone(), ca_cert.der().clone()],
        key: PrivatePkcs8KeyDer::from(key.serialize_der()),
        ca_pem: ca_cert.pem(),
    }
}

/// A self-signed certificate for `names`: no CA anyone trusts.
fn self_signed(names: &[&str]) -> Identity {
    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).unwrap();
    let cert = params.self_signed(&key).unwrap();
    Identity {
        chain: vec![cert.der().clone()],
        key: PrivatePkcs8KeyDer::from(key.serialize_der()),
        ca_pem: cert.pem(),
    }
}

/// What a server saw.
#[derive(Default)]
struct Seen {
    connections: AtomicUsize,
    handshakes: AtomicUsize,
    requests: AtomicUsize,
}

/// A TLS server on 127.0.0.1 (tokio-rustls) that answers every request
/// `200 {}` and counts what it sees.
struct TlsServer {
    port: u16,
    seen: Arc<Seen>,
    _runtime: tokio::runtime::Runtime,
}

impl TlsServer {
    fn start(identity: &Identity) -> TlsServer {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                identity.chain.clone(),
                PrivateKeyDer::Pkcs8(identity.key.clone_key()),
            )
            .unwrap();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Seen::default());
        let counts = seen.clone();
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                counts.connections.fetch_add(1, Ordering::SeqCst);
                let (acceptor, counts) = (acceptor.clone(), counts.clone());
                tokio::spawn(async move {
                    use tokio::io::{AsyncReadExt, AsyncWriteExt};
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    counts.handshakes.fetch_add(1, Ordering::SeqCst);
                    let mut head = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match tls.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    counts.requests.fetch_add(1, Ordering::SeqCst);
                    let _ = tls
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
                        .await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        TlsServer {
            port,
            seen,
            _runtime: runtime,
        }
    }

    fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    fn counts(&self) -> (usize, usize, usize) {
        (
            self.seen.connections.load(Ordering::SeqCst),
            self.seen.handshakes.load(Ordering::SeqCst),
            self.seen.requests.load(Ordering::SeqCst),
        )
    }
}

/// A client of `server` that trusts `ca` (if any) and would retry three
/// times with a long first backoff, were a retry allowed.
fn client(flavor: Flavor, server: &TlsServer, ca: Option<&str>) -> AnyClient {
    let mut s = Settings::endpoint(server.url())
        .with_credentials(Credentials::access_token("access-token"));
    s.ca_pem = ca.map(str::to_owned);
    s.retry = RetryPolicy::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(600));
    AnyClient::build(flavor, &s).expect("the client builds")
}

/// The calls each case makes: idempotent, not idempotent, no credential.
fn calls(client: &AnyClient) -> Vec<(&'static str, Result<(), Error>)> {
    let meeting = client.conference_with_token("900000001", "control-token");
    vec![
        (
            "set_role",
            meeting
                .execute(SetRoleRequest::new("p", ApplyChair::Relinquish))
                .map(drop),
        ),
        (
            "hang_up",
            meeting.execute(HangUpRequest::new(["p"])).map(drop),
        ),
        (
            "create_conf_token",
            client
                .execute(CreateConfTokenRequest::new("pw").conference_id("900000001"))
                .map(drop),
        ),
    ]
}

/// The whole chain of an error, as text.
fn chain(err: &Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push_str(" / ");
        text.push_str(&format!("{s} {s:?}"));
        source = s.source();
    }
    text
}

fn refused(identity: &Identity, trust: bool, why: &[&str]) {
    for flavor in Flavor::ALL {
        let server = TlsServer::start(identity);
        let client = client(flavor, &server, trust.then_some(identity.ca_pem.as_str()));
        for (name, result) in calls(&client) {
            let err = result.expect_err("refused");
            assert!(
                matches!(err, Error::Connect { .. }),
                "{flavor:?} {name}: {err:?}"
            );
            let text = chain(&err);
            assert!(
                why.iter().any(|w| text.contains(w)),
                "{flavor:?} {name}: the error says why: {text}"
            );
            assert!(!err.is_timeout());
            // Both clients say the same thing about it.
            assert!(
                err.to_string().contains(
                    "TLS handshake failed (" 
                ) && err.to_string().contains(
                    "if the server's certificate comes from a private CA, trust that CA with add_root_certificate_pem"
                ),
                "{flavor:?} {name}: {err}"
            );
        }
        // Three calls, one connection each: nothing retried; no handshake
        // finished, so no byte of a request was sent.
        assert_eq!(server.counts(), (3, 0, 0), "{flavor:?}");
    }
}

#[test]
fn an_untrusted_certificate_is_refused_without_retry_and_nothing_sent() {
    refused(
        &self_signed(&["127.0.0.1", "localhost"]),
        false,
        &[
            "UnknownIssuer",
            "unknown issuer",
            "not trusted",
            "certificate",
        ],
    );
}

#[test]
fn a_certificate_for_another_host_is_refused_without_retry_and_nothing_sent() {
    refused(
        &signed_for(&["wrong.example.com"]),
        true,
        &["NotValidForName", "not valid for name", "certificate"],
    );
}

#[test]
fn a_trusted_certificate_for_this_host_is_used() {
    // The same server with the right certificate: the refusals above come
    // from the certificate, not from the server.
    let identity = signed_for(&["127.0.0.1", "localhost"]);
    for flavor in Flavor::ALL {
        let server = TlsServer::start(&identity);
        let client = client(flavor, &server, Some(&identity.ca_pem));
        let meeting = client.conference_with_token("900000001", "control-token");
        meeting
            .execute(SetRoleRequest::new("p", ApplyChair::Relinquish))
            .unwrap_or_else(|e| panic!("{flavor:?}: {e:?}"));
        let (connections, handshakes, requests) = server.counts();
        assert_eq!((handshakes, requests), (connections, 1), "{flavor:?}");
    }
}

#[test]
fn the_time_a_refusal_takes_is_the_handshake_not_a_backoff() {
    let identity = self_signed(&["127.0.0.1"]);
    for flavor in Flavor::ALL {
        let server = TlsServer::start(&identity);
        let client = client(flavor, &server, None);
        let started = Instant::now();
        let err = client
            .conference_with_token("900000001", "t")
            .execute(HangUpRequest::new(["p"]))
            .unwrap_err();
        assert!(matches!(err, Error::Connect { .. }), "{err:?}");
        assert!(
            started.elapsed() < Duration::from_millis(600),
            "{flavor:?}: waited for a retry: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn plain_http_is_refused_without_the_opt_in() {
    let sim = Simulator::spawn(SimConfig::http().demo(true)).unwrap();
    assert!(sim.url().starts_with("http://"));
    for flavor in Flavor::ALL {
        let before = sim.requests().len();
        let mut s = Settings::sim(&sim);
        s.allow_http = false;
        let err = AnyClient::build(flavor, &s).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{flavor:?}: {err:?}");
        let text = err.to_string();
        assert!(
            text.contains("plain http://") && text.contains("allow_http"),
            "{flavor:?}: {text}"
        );
        // A config from the environment needs its own opt-in.
        let err = hwmeeting_core::Config::from_env_with(|k| {
            (k == "HWMEETING_ENDPOINT").then(|| sim.url().to_owned())
        })
        .unwrap_err();
        assert!(err.to_string().contains("HWMEETING_ENDPOINT"), "{err}");
        assert_eq!(sim.requests().len(), before, "{flavor:?}: nothing was sent");
        // With the opt-in the same settings work.
        s.allow_http = true;
        let client = AnyClient::build(flavor, &s).unwrap();
        client.access_token().expect("a login over plain HTTP");
    }
    assert_eq!(sim.requests().len(), 2);
}

#[test]
fn a_plain_http_server_behind_an_https_url_is_not_spoken_to_in_clear() {
    // An https:// URL pointing at a plain HTTP server: the TLS handshake
    // fails; the request is never sent in clear.
    let sim = Simulator::spawn(SimConfig::http().demo(true)).unwrap();
    let url = sim.url().replace("http://", "https://");
    for flavor in Flavor::ALL {
        let s = Settings::endpoint(url.clone())
            .with_credentials(Credentials::access_token("secret-token"));
        let client = AnyClient::build(flavor, &s).unwrap();
        let err = client
            .conference_with_token("900000001", "t")
            .execute(HangUpRequest::new(["p"]))
            .unwrap_err();
        assert!(matches!(err, Error::Connect { .. }), "{flavor:?}: {err:?}");
    }
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

/// A TLS handshake that stalls (the server accepts and never answers) ends
/// at the connect time limit, and the request was never sent: even
/// `hang_up`, which is not idempotent, is tried again, on both clients.
#[test]
fn a_stalled_handshake_is_a_connect_timeout_and_never_sent() {
    for flavor in Flavor::ALL {
        let server = ClosingServer::silent();
        let mut s = Settings::endpoint(server.https_url())
            .with_credentials(Credentials::access_token("access-token"));
        s.connect_timeout = Duration::from_millis(200);
        s.retry = RetryPolicy::default()
            .with_max_attempts(3)
            .with_initial_backoff(Duration::from_millis(1))
            .with_max_backoff(Duration::from_millis(2));
        let client = AnyClient::build(flavor, &s).expect("the client builds");
        let meeting = client.conference_with_token("900000001", "control-token");
        let err = meeting.execute(HangUpRequest::new(["p"])).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Timeout {
                    phase: TimeoutPhase::Connect,
                    ..
                }
            ),
            "{flavor:?}: {err:?}"
        );
        assert_eq!(
            server.accepted(),
            3,
            "{flavor:?}: three connections, three attempts"
        );
    }
}
