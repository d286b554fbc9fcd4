//! Shared helpers of the workspace integration tests: a simulator over TLS
//! with the demo meeting, clients of both kinds that trust it, one
//! interface over both clients ([`AnyClient`]) so a table of cases runs
//! against each, log capture, and servers that misbehave below HTTP.

use std::io;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use hwmeeting_core::{ClientBuilder, Credentials, Error, Operation, Reply, RetryPolicy, Secret};
use hwmeeting_sim::{SimConfig, SimControl, SimHandle, Simulator, demo_conference};

/// The demo meeting's id.
pub const CONFERENCE: &str = hwmeeting_sim::DEMO_CONFERENCE_ID;
/// The demo meeting's host password.
pub const HOST_PASSWORD: &str = hwmeeting_sim::DEMO_HOST_PASSWORD;

/// A simulator over TLS, on its own thread, with the demo meeting created.
pub fn simulator() -> SimHandle {
    let sim = Simulator::spawn(SimConfig::default()).expect("the simulator starts");
    sim.create_conference(demo_conference())
        .expect("the demo meeting is created");
    sim
}

/// App ID credentials the simulator accepts.
pub fn credentials(sim: &SimHandle) -> hwmeeting_core::Credentials {
    hwmeeting_core::Credentials::app_id(sim.app_id(), sim.app_key().clone())
}

/// A blocking client that trusts the simulator's certificate.
pub fn blocking_client(sim: &SimHandle) -> hwmeeting_blocking::Client {
    hwmeeting_blocking::Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(sim.ca_pem().expect("TLS is on"))
        .credentials(credentials(sim))
        .build()
        .expect("the client builds")
}

/// An async client that trusts the simulator's certificate.
pub fn async_client(sim: &SimHandle) -> hwmeeting_async::Client {
    hwmeeting_async::Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(sim.ca_pem().expect("TLS is on"))
        .credentials(credentials(sim))
        .build()
        .expect("the client builds")
}

/// A plain ureq agent that trusts the simulator's certificate and reads
/// every status as an answer: for the simulator's `/_sim/` test routes.
pub fn sim_agent(sim: &SimControl) -> ureq::Agent {
    use std::sync::Arc;
    use ureq::tls::{Certificate, RootCerts, TlsConfig, TlsProvider};
    let pem = sim.ca_pem().expect("TLS is on");
    let ca = Certificate::from_pem(pem.as_bytes())
        .expect("the CA is PEM")
        .to_owned();
    let tls = TlsConfig::builder()
        .provider(TlsProvider::Rustls)
        .root_certs(RootCerts::Specific(Arc::new(vec![ca])))
        .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .build();
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(tls)
        .build()
        .new_agent()
}

/// The wire facts of the API requests the simulator received (method,
/// path, query, body), in order, without the login and control-token
/// calls, whose nonces and times differ between runs.
pub fn control_requests(sim: &SimHandle) -> Vec<serde_json::Value> {
    sim.requests()
        .into_iter()
        .filter(|r| !matches!(r.operation.as_deref(), Some("app_auth") | Some("create_conf_token") | None))
        .map(|r| serde_json::json!({"method": r.method, "path": r.path, "query": r.query, "body": r.body}))
        .collect()
}

/// How many requests the simulator received at this method and path,
/// faulted ones included.
pub fn count_path(sim: &SimControl, method: &str, path: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
        .count()
}

/// How many requests the simulator received for this operation.
pub fn count_operation(sim: &SimControl, operation: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some(operation))
        .count()
}

/// Quick retries: three attempts, 20 ms first backoff; the longest wait is
/// long enough to honour a `Retry-After: 1`.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(20))
        .with_max_backoff(Duration::from_millis(1500))
}

/// Which client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// `hwmeeting-blocking` (ureq).
    Blocking,
    /// `hwmeeting-async` (reqwest + tokio).
    Async,
}

impl Flavor {
    /// Both.
    pub const ALL: [Flavor; 2] = [Flavor::Blocking, Flavor::Async];
}

/// The settings both kinds of client are built from.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The base URL.
    pub endpoint: String,
    /// A CA to trust besides the public roots.
    pub ca_pem: Option<String>,
    /// Plain `http://` allowed.
    pub allow_http: bool,
    /// How the client logs in.
    pub credentials: Option<Credentials>,
    /// Connect time limit.
    pub connect_timeout: Duration,
    /// Per-attempt time limit.
    pub attempt_timeout: Duration,
    /// Whole-call time limit.
    pub total_timeout: Duration,
    /// Retries.
    pub retry: RetryPolicy,
    /// Body size limit.
    pub max_body: Option<u64>,
}

impl Settings {
    /// Settings for an endpoint, no CA, no credentials, short time limits
    /// and quick retries.
    pub fn endpoint(url: impl Into<String>) -> Settings {
        let endpoint = url.into();
        Settings {
            allow_http: endpoint.starts_with("http://"),
            endpoint,
            ca_pem: None,
            credentials: None,
            connect_timeout: Duration::from_secs(2),
            attempt_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(10),
            retry: fast_retries(),
            max_body: None,
        }
    }

    /// Settings for a simulator: its URL, its CA trusted (or plain HTTP
    /// allowed), its default App ID credentials.
    pub fn sim(sim: &SimControl) -> Settings {
        let mut settings = Settings::endpoint(sim.url());
        settings.ca_pem = sim.ca_pem().map(str::to_owned);
        settings.credentials = Some(Credentials::app_id(sim.app_id(), sim.app_key().clone()));
        settings
    }

    /// The same with these credentials.
    pub fn with_credentials(mut self, credentials: Credentials) -> Settings {
        self.credentials = Some(credentials);
        self
    }

    /// Applies the settings to a builder of either client.
    pub fn apply<C>(&self, builder: ClientBuilder<C>) -> ClientBuilder<C> {
        let mut b = builder
            .endpoint(self.endpoint.clone())
            .allow_http(self.allow_http)
            .connect_timeout(self.connect_timeout)
            .attempt_timeout(self.attempt_timeout)
            .total_timeout(self.total_timeout)
            .retry_policy(self.retry.clone());
        if let Some(pem) = &self.ca_pem {
            b = b.add_root_certificate_pem(pem);
        }
        if let Some(credentials) = &self.credentials {
            b = b.credentials(credentials.clone());
        }
        if let Some(max) = self.max_body {
            b = b.max_response_body_size(max);
        }
        b
    }
}

/// A tokio runtime for the async client, shared by a client and its
/// meeting handles.
type Runtime = Arc<tokio::runtime::Runtime>;

fn runtime() -> Runtime {
    Arc::new(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime"),
    )
}

/// Either client behind one blocking interface: the async one runs on a
/// runtime of its own.
#[derive(Clone)]
pub enum AnyClient {
    /// The blocking client.
    Blocking(hwmeeting_blocking::Client),
    /// The async client and the runtime it runs on.
    Async(hwmeeting_async::Client, Runtime),
}

/// A meeting handle of either client.
#[derive(Clone)]
pub enum AnyConference {
    /// Of the blocking client.
    Blocking(hwmeeting_blocking::Conference),
    /// Of the async client.
    Async(hwmeeting_async::Conference, Runtime),
}

impl AnyClient {
    /// Builds a client of this flavor from the settings.
    pub fn build(flavor: Flavor, settings: &Settings) -> Result<AnyClient, Error> {
        Ok(match flavor {
            Flavor::Blocking => AnyClient::Blocking(
                settings
                    .apply(hwmeeting_blocking::Client::builder())
                    .build()?,
            ),
            Flavor::Async => AnyClient::Async(
                settings.apply(hwmeeting_async::Client::builder()).build()?,
                runtime(),
            ),
        })
    }

    /// Which client this is.
    pub fn flavor(&self) -> Flavor {
        match self {
            AnyClient::Blocking(_) => Flavor::Blocking,
            AnyClient::Async(..) => Flavor::Async,
        }
    }

    /// `Client::execute`.
    pub fn execute<O: Operation>(&self, op: O) -> Result<Reply<O::Output>, Error> {
        match self {
            AnyClient::Blocking(c) => c.execute(op),
            AnyClient::Async(c, rt) => rt.block_on(c.execute(op)),
        }
    }

    /// `Client::access_token`.
    pub fn access_token(&self) -> Result<Secret, Error> {
        match self {
            AnyClient::Blocking(c) => c.access_token(),
            AnyClient::Async(c, rt) => rt.block_on(c.access_token()),
        }
    }

    /// `Client::conference`.
    pub fn conference(&self, id: &str, host_password: impl Into<Secret>) -> AnyConference {
        match self {
            AnyClient::Blocking(c) => AnyConference::Blocking(c.conference(id, host_password)),
            AnyClient::Async(c, rt) => {
                AnyConference::Async(c.conference(id, host_password), rt.clone())
            }
        }
    }

    /// `Client::conference_with_token`.
    pub fn conference_with_token(&self, id: &str, token: impl Into<Secret>) -> AnyConference {
        match self {
            AnyClient::Blocking(c) => AnyConference::Blocking(c.conference_with_token(id, token)),
            AnyClient::Async(c, rt) => {
                AnyConference::Async(c.conference_with_token(id, token), rt.clone())
            }
        }
    }

    /// Runs `f` on the client's runtime (async) or as it is (blocking), so
    /// that what the client logs there is seen by a scoped subscriber.
    pub fn in_context<T>(&self, f: impl FnOnce() -> T) -> T {
        match self {
            AnyClient::Blocking(_) => f(),
            AnyClient::Async(_, rt) => {
                let _guard = rt.enter();
                f()
            }
        }
    }
}

impl std::fmt::Debug for AnyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnyClient::Blocking(c) => std::fmt::Debug::fmt(c, f),
            AnyClient::Async(c, _) => std::fmt::Debug::fmt(c, f),
        }
    }
}

impl AnyConference {
    /// `Conference::execute`.
    pub fn execute<O: Operation>(&self, op: O) -> Result<Reply<O::Output>, Error> {
        match self {
            AnyConference::Blocking(c) => c.execute(op),
            AnyConference::Async(c, rt) => rt.block_on(c.execute(op)),
        }
    }

    /// `Conference::control_token`.
    pub fn control_token(&self) -> Result<Secret, Error> {
        match self {
            AnyConference::Blocking(c) => c.control_token(),
            AnyConference::Async(c, rt) => rt.block_on(c.control_token()),
        }
    }
}

impl std::fmt::Debug for AnyConference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnyConference::Blocking(c) => std::fmt::Debug::fmt(c, f),
            AnyConference::Async(c, _) => std::fmt::Debug::fmt(c, f),
        }
    }
}

/// Log lines captured from `tracing`, to check what is logged.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    /// A subscriber writing every event (TRACE and up) with its spans'
    /// fields here.
    pub fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + 'static {
        let logs = self.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || logs.clone())
            .finish()
    }

    /// What was logged.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

impl io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A port on 127.0.0.1 where nothing listens.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    drop(listener);
    port
}

/// A server on 127.0.0.1 that accepts every connection and closes it at
/// once, before reading a byte: the request can never have been sent.
/// Counts the connections.
pub struct ClosingServer {
    port: u16,
    accepted: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ClosingServer {
    /// Starts it on a port the system picks.
    pub fn start() -> ClosingServer {
        ClosingServer::spawn(false)
    }

    /// A server that accepts every connection and then says nothing, ever:
    /// a TLS handshake with it stalls before the request can be sent.
    pub fn silent() -> ClosingServer {
        ClosingServer::spawn(true)
    }

    fn spawn(hold: bool) -> ClosingServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let port = listener.local_addr().expect("its address").port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (accepted, stop) = (accepted.clone(), stop.clone());
            std::thread::spawn(move || {
                // Held open until the server stops.
                let mut held = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            accepted.fetch_add(1, Ordering::SeqCst);
                            if hold {
                                held.push(stream);
                            } else {
                                close_now(stream);
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                            std::thread::sleep(Duration::from_millis(2));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(2)),
                    }
                }
            })
        };
        ClosingServer {
            port,
            accepted,
            stop,
            thread: Some(thread),
        }
    }

    /// `https://127.0.0.1:PORT`.
    pub fn https_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

/// Closes a connection at once, with a reset rather than a clean close.
fn close_now(stream: TcpStream) {
    // SO_LINGER 0 is not in std; a clean close is as final for a TLS
    // handshake that never got a byte.
    let _ = stream.shutdown(std::net::Shutdown::Both);
    drop(stream);
}

impl Drop for ClosingServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Every string in `text` that looks like `needle`: the needle itself and
/// its pieces of 12 characters and more, so a secret split across lines
/// (a hex dump) is found too.
pub fn leaks(text: &str, needle: &str) -> bool {
    if text.contains(needle) {
        return true;
    }
    let chars: Vec<char> = needle.chars().collect();
    const PIECE: usize = 12;
    if chars.len() <= PIECE {
        return false;
    }
    chars
        .windows(PIECE)
        .map(|w| w.iter().collect::<String>())
        .any(|piece| text.contains(&piece))
}

/// The typed `decode` of the operation with this id (the one its
/// `Operation::decode` runs), its output as JSON; `None` for an id that is
/// not a spec file. The table is written from `spec/` by `build.rs`.
pub fn typed_decode(
    id: &str,
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Option<Result<serde_json::Value, Error>> {
    fn run<T: serde::de::DeserializeOwned + serde::Serialize>(
        id: &str,
        status: u16,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<serde_json::Value, Error> {
        let meta = hwmeeting_api::find_by_id(id).unwrap_or_else(|| {
            panic!("`{id}` is in spec/ but not generated: run cargo xtask codegen")
        });
        hwmeeting_core::response::decode::<T>(
            meta,
            status,
            headers,
            body,
            std::time::SystemTime::now(),
        )
        .map(|output| serde_json::to_value(output).expect("an output serializes"))
    }
    include!(concat!(env!("OUT_DIR"), "/typed_decode.rs"))
}

/// A value the spec accepts for this parameter or field: the first coded
/// value of an enum, a time in the field's format, else the shortest
/// string, the smallest number, one item, every field of an object.
pub fn valid_value(field: &hwmeeting_core::meta::Field) -> serde_json::Value {
    use hwmeeting_core::meta::{TimeFormat, Type};
    use serde_json::Value;
    if let Some(e) = field.enumeration
        && let Some(first) = e.values.first()
    {
        return first.value.to_json();
    }
    let c = &field.constraints;
    match field.time {
        Some(TimeFormat::MinuteUtc) => return Value::from("2026-12-24 09:30"),
        Some(TimeFormat::Date) => return Value::from("2026-12-24"),
        Some(TimeFormat::UnixMillis) => return Value::from(1_798_104_600_000_i64),
        None => {}
    }
    match field.ty {
        Type::String => Value::String("a".repeat(c.min_length.unwrap_or(1).max(1) as usize)),
        Type::Integer => Value::from(c.minimum.or(c.maximum).unwrap_or(1.0) as i64),
        Type::Number => Value::from(c.minimum.or(c.maximum).unwrap_or(1.5)),
        Type::Boolean => Value::Bool(true),
        Type::Array(item) => Value::Array(vec![
            valid_value(item);
            c.min_items.unwrap_or(1).max(1) as usize
        ]),
        Type::Object(object) => Value::Object(
            object
                .fields
                .iter()
                .map(|f| (f.name.to_owned(), valid_value(f)))
                .collect(),
        ),
        Type::Map(values) => serde_json::json!({ "key": valid_value(values) }),
        // A file is not a JSON value: `valid_request` gives a file part.
        Type::File => Value::Null,
    }
}

/// The file [`valid_request`] uploads: a few bytes of a PNG.
pub const VALID_FILE: &[u8] = b"\x89PNG\r\n\x1a\nsimulated picture";

/// A request of `meta`'s operation with every parameter set to a valid
/// value.
pub fn valid_request(
    meta: &'static hwmeeting_core::OperationMeta,
) -> hwmeeting_core::DynamicOperation {
    let mut op = hwmeeting_core::DynamicOperation::new(meta);
    for param in meta.params {
        if matches!(param.ty, hwmeeting_core::meta::Type::File) {
            let file = hwmeeting_core::upload::FilePart::from_bytes(VALID_FILE, "picture.png");
            op.set_file(param.name, file)
                .expect("the spec knows its own file parameters");
            continue;
        }
        op.set_in(param.location, param.name, valid_value(param))
            .expect("the spec knows its own parameters");
    }
    op
}

/// Runs `f` with a credential of the kind `meta`'s operation needs.
pub fn with_credential<T>(
    meta: &hwmeeting_core::OperationMeta,
    secret: &Secret,
    f: impl FnOnce(hwmeeting_core::Credential<'_>) -> T,
) -> T {
    use hwmeeting_core::Credential;
    use hwmeeting_core::meta::Auth;
    f(match meta.auth {
        Auth::None => Credential::None,
        Auth::Basic { .. } => Credential::Password(secret),
        Auth::AppSignature { .. } => Credential::AppKey(secret),
        Auth::AccessToken { .. } => Credential::AccessToken(secret),
        Auth::ConferenceToken { .. } => Credential::ConferenceToken(secret),
    })
}

/// An answer body with a value for every field of `fields` (every one, or
/// only the required ones).
pub fn answer_value(
    fields: &[hwmeeting_core::meta::Field],
    required_only: bool,
) -> serde_json::Value {
    use hwmeeting_core::meta::Type;
    use serde_json::Value;
    fn value(field: &hwmeeting_core::meta::Field, required_only: bool) -> Value {
        if let Some(e) = field.enumeration
            && let Some(first) = e.values.first()
        {
            return first.value.to_json();
        }
        match field.ty {
            Type::String => Value::from("x"),
            Type::Integer => Value::from(1),
            Type::Number => Value::from(1.5),
            Type::Boolean => Value::Bool(true),
            Type::Array(item) => Value::Array(vec![value(item, required_only)]),
            Type::Object(object) => answer_value(object.fields, required_only),
            Type::Map(values) => serde_json::json!({ "key": value(values, required_only) }),
            Type::File => Value::Null,
        }
    }
    Value::Object(
        fields
            .iter()
            .filter(|f| f.required || !required_only)
            .map(|f| (f.name.to_owned(), value(f, required_only)))
            .collect(),
    )
}
