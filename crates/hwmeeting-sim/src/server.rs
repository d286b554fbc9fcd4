//! Starting and stopping: the listening socket, TLS, HTTP/1.1 with
//! keep-alive on each connection, and the layer that gives every answer an
//! `X-Request-Id`, turns panics into 500s and resets connections on demand.

use std::net::SocketAddr;
use std::ops::Deref;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode};
use futures_util::FutureExt as _;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;

use crate::codes::{INTERNAL, error_response};
use crate::conferences::demo_conference;
use crate::faults::ResetConnection;
use crate::state::{Shared, SimControl, SimState};
use crate::{SimConfig, SimError, control, random_hex, tls};

/// The request id of the request being answered (a request extension).
#[derive(Clone, Debug)]
pub(crate) struct RequestId(pub String);

/// The client's address (a request extension).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PeerAddr(pub SocketAddr);

/// A new request id: 32 lower-case hex digits.
pub(crate) fn new_request_id() -> String {
    random_hex(16)
}

/// How long a stopping simulator lets open connections finish.
const STOP_GRACE: Duration = Duration::from_millis(500);
/// How long a TLS handshake may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Pending connections the listening socket queues.
const BACKLOG: u32 = 4096;

/// The error that makes hyper drop a connection without answering.
#[derive(Debug)]
struct Reset;

impl std::fmt::Display for Reset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by an injected fault")
    }
}

impl std::error::Error for Reset {}

/// A running simulator, serving on its own tasks of the current tokio
/// runtime. Dereferences to [`SimControl`] for its address, certificate and
/// test controls. Dropping it stops it (without waiting); [`stop`]
/// waits until the port is closed.
///
/// [`stop`]: Simulator::stop
///
/// ```no_run
/// # async fn demo() -> Result<(), hwmeeting_sim::SimError> {
/// use hwmeeting_sim::{SimConfig, Simulator};
///
/// let sim = Simulator::start(SimConfig::default().demo(true)).await?;
/// println!("{} trusts {:?}", sim.url(), sim.ca_pem_path());
/// sim.stop().await;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Simulator {
    control: SimControl,
    shutdown: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Simulator {
    /// Starts a simulator on the current tokio runtime: binds the address,
    /// makes the certificates (with TLS) and serves until stopped.
    ///
    /// Must be called inside a tokio runtime (multi-threaded for real
    /// concurrency).
    pub async fn start(config: SimConfig) -> Result<Simulator, SimError> {
        let listener = bind(config.bind)?;
        let addr = listener.local_addr()?;
        let certificates = if config.tls { Some(tls::make()?) } else { None };
        let host = match addr {
            SocketAddr::V4(a) if a.ip().is_unspecified() => "127.0.0.1".to_owned(),
            SocketAddr::V4(a) => a.ip().to_string(),
            SocketAddr::V6(a) if a.ip().is_unspecified() => "[::1]".to_owned(),
            SocketAddr::V6(a) => format!("[{}]", a.ip()),
        };
        let scheme = if config.tls { "https" } else { "http" };
        let url = format!("{scheme}://{host}:{}", addr.port());
        let state = Arc::new(SimState::new(&config, url));

        let (ca_pem, acceptor) = match certificates {
            Some(c) => (Some(c.ca_pem), Some(c.acceptor)),
            None => (None, None),
        };
        let ca_pem_path = match &ca_pem {
            Some(pem) => {
                let path = std::env::temp_dir().join(format!(
                    "hwmeeting-sim-{}-{}-{}-ca.pem",
                    std::process::id(),
                    addr.port(),
                    random_hex(4)
                ));
                std::fs::write(&path, pem)?;
                Some(path)
            }
            None => None,
        };
        let control = SimControl {
            shared: Arc::new(Shared {
                state,
                addr,
                ca_pem,
                ca_pem_path,
            }),
        };
        if config.demo {
            control.create_conference(demo_conference())?;
        }
        let app = control::router(control.clone());
        let (shutdown, shutdown_rx) = watch::channel(false);
        let task = tokio::spawn(serve(listener, acceptor, app, shutdown_rx));
        tracing::info!(url = %control.url(), tls = config.tls, "hwmeeting-sim listening");
        Ok(Simulator {
            control,
            shutdown,
            task: Some(task),
        })
    }

    /// Starts a simulator on a thread of its own with its own tokio
    /// runtime, for blocking code; it stops when the handle is shut down or
    /// dropped.
    pub fn spawn(config: SimConfig) -> Result<SimHandle, SimError> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("hwmeeting-sim".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("hwmeeting-sim-worker")
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(SimError::Io(e)));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match Simulator::start(config).await {
                        Ok(sim) => {
                            let (stop_tx, stop_rx) = oneshot::channel::<()>();
                            if ready_tx.send(Ok((sim.control.clone(), stop_tx))).is_ok() {
                                let _ = stop_rx.await;
                            }
                            sim.stop().await;
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
            })?;
        let (control, stop) = ready_rx.recv().map_err(|_| SimError::ThreadDied)??;
        Ok(SimHandle {
            control,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The in-process controls (also reachable through `Deref`).
    pub fn control(&self) -> &SimControl {
        &self.control
    }

    /// Stops serving and waits until the port is closed; open connections
    /// get a moment to finish.
    pub async fn stop(mut self) {
        self.control.state().live.close_all();
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Deref for Simulator {
    type Target = SimControl;

    fn deref(&self) -> &SimControl {
        &self.control
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.control.state().live.close_all();
        let _ = self.shutdown.send(true);
    }
}

/// A simulator running on its own thread and runtime (see
/// [`Simulator::spawn`]). Dereferences to [`SimControl`]. Dropping it stops
/// it and waits for the thread.
#[derive(Debug)]
pub struct SimHandle {
    control: SimControl,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SimHandle {
    /// The in-process controls (also reachable through `Deref`).
    pub fn control(&self) -> &SimControl {
        &self.control
    }

    /// Stops the simulator and waits for its thread to end.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Deref for SimHandle {
    type Target = SimControl;

    fn deref(&self) -> &SimControl {
        &self.control
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

fn bind(addr: SocketAddr) -> Result<TcpListener, SimError> {
    let err = |source| SimError::Bind { addr, source };
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()
    } else {
        TcpSocket::new_v6()
    }
    .map_err(err)?;
    socket.set_reuseaddr(true).map_err(err)?;
    socket.bind(addr).map_err(err)?;
    socket.listen(BACKLOG).map_err(err)
}

/// Accepts connections until told to stop, then lets them finish for a
/// moment and drops the rest.
async fn serve(
    listener: TcpListener,
    acceptor: Option<TlsAcceptor>,
    app: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    break;
                }
            }
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    connections.spawn(connection(
                        stream,
                        peer,
                        acceptor.clone(),
                        app.clone(),
                        shutdown.clone(),
                    ));
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait, go on.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(STOP_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    connections.shutdown().await;
    tracing::info!("hwmeeting-sim stopped");
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    acceptor: Option<TlsAcceptor>,
    app: Router,
    shutdown: watch::Receiver<bool>,
) {
    match acceptor {
        None => http(stream, peer, app, shutdown).await,
        Some(acceptor) => {
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                Ok(Ok(tls)) => http(tls, peer, app, shutdown).await,
                Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
            }
        }
    }
}

async fn http<S>(stream: S, peer: SocketAddr, app: Router, mut shutdown: watch::Receiver<bool>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let app = app.clone();
        async move { answer(app, request, peer).await }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .keep_alive(true)
        .header_read_timeout(Duration::from_secs(30));
    // With upgrades: the meeting control WebSocket.
    let conn = builder
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    tokio::pin!(conn);
    tokio::select! {
        result = conn.as_mut() => {
            if let Err(e) = result {
                tracing::debug!(%peer, error = %e, "connection ended");
            }
        }
        () = async {
            let _ = shutdown.wait_for(|stop| *stop).await;
        } => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// Runs the router on one request: adds the request id (extension and
/// `X-Request-Id` header), turns a panic into a 500, and fails the request
/// (which drops the connection) when a fault asks for a reset.
async fn answer(
    app: Router,
    request: Request<Incoming>,
    peer: SocketAddr,
) -> Result<axum::response::Response, Reset> {
    let request_id = new_request_id();
    let mut request = request.map(Body::new);
    request
        .extensions_mut()
        .insert(RequestId(request_id.clone()));
    request.extensions_mut().insert(PeerAddr(peer));
    let result = AssertUnwindSafe(app.oneshot(request)).catch_unwind().await;
    let mut response = match result {
        Ok(Ok(response)) => response,
        Ok(Err(never)) => match never {},
        Err(_) => {
            tracing::error!("a handler panicked");
            error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                INTERNAL,
                "the simulator failed on this request",
                &request_id,
            )
        }
    };
    if response.extensions().get::<ResetConnection>().is_some() {
        return Err(Reset);
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    Ok(response)
}
