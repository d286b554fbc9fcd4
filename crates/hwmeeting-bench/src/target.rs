//! The server measured against, the SDK clients for it, and the plain
//! ureq and reqwest clients of the baselines, set up the same way the SDK
//! sets up its own (same trust roots, crypto provider, keep-alive, pool,
//! time limits, redirects and `User-Agent`).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use hwmeeting_core::config::DEFAULT_USER_AGENT;
use hwmeeting_sim::{NewConference, NewParticipant, SimConfig, SimHandle, Simulator};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde_json::Value;

use crate::BenchError;

/// The SDK's default connect time limit, which the baselines use too.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The SDK's default per-attempt time limit, which the baselines use as
/// their per-request time limit.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the async SDK keeps an idle connection.
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// The path of `set_role`.
pub const SET_ROLE_PATH: &str = "/v1/mmc/control/conferences/participants/role";
/// The path of `create_conf_token`.
pub const CREATE_CONF_TOKEN_PATH: &str = "/v1/mmc/control/conferences/token";
/// The path of `start_meeting`.
pub const START_MEETING_PATH: &str = "/v1/mmc/management/conferences/start";

/// Where the benchmark sends its calls, and what it needs to make them.
pub struct Target {
    /// The base URL: `https://127.0.0.1:PORT`.
    pub url: String,
    /// The CA certificate to trust, PEM.
    pub ca_pem: String,
    /// App ID of the SDK's login.
    pub app_id: String,
    /// App key of the SDK's login.
    pub app_key: String,
    /// The meeting that the calls control.
    pub conference_id: String,
    /// Its host password.
    pub host_password: String,
    /// The participant `set_role` makes host.
    pub participant: String,
    /// Whether the server is the in-process simulator.
    pub in_process: bool,
    admin: ureq::Agent,
    sim: Option<SimHandle>,
}

/// What [`Target::open`] needs.
#[derive(Clone, Debug)]
pub struct TargetOptions {
    /// A running simulator's URL, or `None` for an in-process one.
    pub endpoint: Option<String>,
    /// The CA of `endpoint`, PEM text.
    pub ca_pem: Option<String>,
    /// App ID.
    pub app_id: String,
    /// App key.
    pub app_key: String,
    /// Meeting ID.
    pub conference_id: String,
    /// Host password.
    pub host_password: String,
    /// Participant ID.
    pub participant: String,
}

impl Target {
    /// Starts the in-process simulator (or reaches the given one), makes
    /// sure the meeting exists, and starts it through the SDK.
    pub fn open(options: TargetOptions) -> Result<Target, BenchError> {
        let (url, ca_pem, sim) = match &options.endpoint {
            Some(url) => {
                let url = url.trim_end_matches('/').to_owned();
                let pem = options.ca_pem.clone().ok_or(
                    "--endpoint needs --ca-cert PEM: the benchmark measures over TLS, trusting that CA",
                )?;
                (url, pem, None)
            }
            None => {
                let sim = Simulator::spawn(SimConfig::default())?;
                let pem = sim
                    .ca_pem()
                    .ok_or("the in-process simulator has no CA")?
                    .to_owned();
                (sim.url().to_owned(), pem, Some(sim))
            }
        };
        let admin = plain_ureq_agent(&ca_pem)?;
        let target = Target {
            url,
            ca_pem,
            app_id: options.app_id,
            app_key: options.app_key,
            conference_id: options.conference_id,
            host_password: options.host_password,
            participant: options.participant,
            in_process: sim.is_some(),
            admin,
            sim,
        };
        target.create_meeting()?;
        target.start_meeting()?;
        Ok(target)
    }

    /// Creates the meeting through `POST /_sim/conferences` (a 409, it
    /// exists already, is fine).
    fn create_meeting(&self) -> Result<(), BenchError> {
        let meeting = if self.conference_id == hwmeeting_sim::DEMO_CONFERENCE_ID
            && self.host_password == hwmeeting_sim::DEMO_HOST_PASSWORD
        {
            hwmeeting_sim::demo_conference()
        } else {
            NewConference::new(&self.conference_id, &self.host_password)
        };
        let meeting = if meeting
            .participants
            .iter()
            .any(|p| p.participant_id == self.participant)
        {
            meeting
        } else {
            meeting.participant(NewParticipant::new(&self.participant, "Bench"))
        };
        let body = serde_json::to_vec(&meeting)?;
        let mut response = self
            .admin
            .post(format!("{}/_sim/conferences", self.url))
            .header("Content-Type", "application/json")
            .send(&body[..])?;
        let status = response.status().as_u16();
        if status != 201 && status != 409 {
            let text = response.body_mut().read_to_string().unwrap_or_default();
            return Err(format!(
                "POST {}/_sim/conferences answered {status}: {text} (is it an hwmeeting-sim?)",
                self.url
            )
            .into());
        }
        Ok(())
    }

    /// Starts the meeting through the blocking SDK (logging in first).
    fn start_meeting(&self) -> Result<(), BenchError> {
        let client = self.blocking_client()?;
        client.start_meeting(hwmeeting_api::model::StartMeetingRequest::new(
            self.conference_id.as_str(),
            self.host_password.as_str(),
        ))?;
        Ok(())
    }

    /// Empties the simulator's request log (`DELETE /_sim/requests`).
    pub fn clear_requests(&self) -> Result<(), BenchError> {
        let response = self
            .admin
            .delete(format!("{}/_sim/requests", self.url))
            .call()?;
        if !response.status().is_success() {
            return Err(format!("DELETE /_sim/requests answered {}", response.status()).into());
        }
        Ok(())
    }

    /// The API requests the simulator logged since the last
    /// [`clear_requests`](Self::clear_requests), counted by operation.
    pub fn count_requests(&self) -> Result<BTreeMap<String, usize>, BenchError> {
        let mut response = self
            .admin
            .get(format!("{}/_sim/requests", self.url))
            .call()?;
        let body = response
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_vec()?;
        let list: Vec<Value> = serde_json::from_slice(&body)?;
        let mut counts = BTreeMap::new();
        for entry in list {
            let op = entry
                .get("operation")
                .and_then(Value::as_str)
                .unwrap_or("(unrouted)")
                .to_owned();
            *counts.entry(op).or_insert(0) += 1;
        }
        Ok(counts)
    }

    /// A blocking SDK client of this server, with the App ID credentials.
    pub fn blocking_client(&self) -> Result<hwmeeting_blocking::Client, BenchError> {
        Ok(hwmeeting_blocking::Client::builder()
            .endpoint(self.url.as_str())
            .add_root_certificate_pem(&self.ca_pem)
            .credentials(hwmeeting_core::Credentials::app_id(
                self.app_id.as_str(),
                self.app_key.as_str(),
            ))
            .build()?)
    }

    /// An async SDK client of this server, with the App ID credentials.
    pub fn async_client(&self) -> Result<hwmeeting_async::Client, BenchError> {
        Ok(hwmeeting_async::Client::builder()
            .endpoint(self.url.as_str())
            .add_root_certificate_pem(&self.ca_pem)
            .credentials(hwmeeting_core::Credentials::app_id(
                self.app_id.as_str(),
                self.app_key.as_str(),
            ))
            .build()?)
    }

    /// The plain ureq agent of the baselines.
    pub fn plain_ureq(&self) -> Result<ureq::Agent, BenchError> {
        plain_ureq_agent(&self.ca_pem)
    }

    /// A plain ureq agent like [`plain_ureq`](Self::plain_ureq) but with
    /// ureq's default resolver, which looks the host up on a new thread on
    /// every call.
    pub fn plain_ureq_default_resolver(&self) -> Result<ureq::Agent, BenchError> {
        ureq_agent(&self.ca_pem, false)
    }

    /// A plain reqwest client of the baselines.
    pub fn plain_reqwest(&self) -> Result<reqwest::Client, BenchError> {
        plain_reqwest_client(&self.ca_pem)
    }

    /// Stops the in-process simulator, if there is one.
    pub fn shutdown(mut self) {
        if let Some(sim) = self.sim.take() {
            sim.shutdown();
        }
    }
}

/// A ureq agent set up as `hwmeeting-blocking` sets up its own: rustls
/// with ring, the public web roots plus `ca_pem`, error statuses as
/// answers, no redirects, the SDK's `User-Agent` and time limits, ureq's
/// default keep-alive pool, and the SDK's resolver (IP addresses read as
/// written, no lookup thread per call).
pub fn plain_ureq_agent(ca_pem: &str) -> Result<ureq::Agent, BenchError> {
    ureq_agent(ca_pem, true)
}

fn ureq_agent(ca_pem: &str, literal_resolver: bool) -> Result<ureq::Agent, BenchError> {
    use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig, TlsProvider};
    let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    for item in ureq::tls::parse_pem(ca_pem.as_bytes()) {
        if let PemItem::Certificate(cert) = item? {
            roots.push(cert);
        }
    }
    let tls = TlsConfig::builder()
        .provider(TlsProvider::Rustls)
        .root_certs(RootCerts::Specific(Arc::new(roots)))
        .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .build();
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .https_only(true)
        .max_redirects(0)
        .user_agent(DEFAULT_USER_AGENT)
        .timeout_resolve(Some(CONNECT_TIMEOUT))
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_per_call(Some(ATTEMPT_TIMEOUT))
        .tls_config(tls)
        .build();
    Ok(if literal_resolver {
        ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::default(),
            hwmeeting_blocking::LiteralFirstResolver::new(),
        )
    } else {
        config.new_agent()
    })
}

/// A reqwest client set up as `hwmeeting-async` sets up its own: rustls
/// with ring, the public web roots plus `ca_pem`, ALPN h2 and http/1.1,
/// reqwest's default pool (as the SDK's), `TCP_NODELAY`, no redirects, the SDK's connect time
/// limit, its per-attempt time limit as the request time limit, and its
/// `User-Agent`.
pub fn plain_reqwest_client(ca_pem: &str) -> Result<reqwest::Client, BenchError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert?)?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .https_only(true)
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(ATTEMPT_TIMEOUT)
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .tcp_nodelay(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(DEFAULT_USER_AGENT)
        .build()?)
}
