//! The meeting control WebSocket (feature `live`): [`Conference::events`]
//! returns [`LiveEvents`], a [`Stream`](futures_util::Stream) of
//! [`LiveEvent`]s, with the meeting's [`LiveView`] readable at any time.
//!
//! A task of its own gets the control token (the handle's), a fresh
//! single-use WebSocket token (`create_web_socket_token`, preferred to the
//! control-token answer's `tmpWsToken`), opens the `wsURL` of the
//! control-token answer with the client's own rustls settings (its extra
//! CA certificates, or the platform verifier), subscribes, sends
//! heartbeats, and folds every push into the view
//! ([`hwmeeting_core::live`]). When the connection drops, stays silent too
//! long, or the increments' numbering shows a lost one, it says so
//! ([`LiveEvent::Resync`]), waits (exponential backoff with jitter),
//! reconnects with new tokens and takes the new snapshots as the truth. It
//! ends after [`LiveEvent::Ended`] (the meeting's `state` became
//! `Destroyed`), or with an [`EventsError`] it cannot get past (a refused
//! subscription, a token the service will not give, too many failed
//! reconnections in a row). Dropping the stream stops the task.
//!
//! [`Conference::events`]: crate::Conference::events

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt as _, StreamExt as _};
use hwmeeting_api::model::CreateWebSocketTokenRequest;
use hwmeeting_core::live::{
    Fold, Folded, HeartbeatConfig, HeartbeatStep, LiveView, Push, Topic, frame, parse,
};
use hwmeeting_core::{Error, Secret};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

pub use hwmeeting_core::live::{self as sansio, LiveError};

use crate::Conference;

/// How the event stream connects, heartbeats and reconnects.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LiveOptions {
    /// The topics to subscribe ([`Topic::DEFAULT`]).
    pub topics: Vec<Topic>,
    /// Heartbeat interval and silence limit (60 s and 150 s).
    pub heartbeat: HeartbeatConfig,
    /// The first wait before reconnecting (500 ms); it doubles on each
    /// failure in a row, up to `max_backoff`, with ±25 % jitter.
    pub min_backoff: Duration,
    /// The longest wait between reconnections (30 s).
    pub max_backoff: Duration,
    /// Reconnections in a row that may fail before the stream gives up
    /// (10); a successful subscription starts the count again.
    pub max_attempts: u32,
    /// The WebSocket URL to use instead of the control-token answer's
    /// `wsURL` (which, if missing, is the API endpoint's host).
    pub ws_url: Option<String>,
}

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            topics: Topic::DEFAULT.to_vec(),
            heartbeat: HeartbeatConfig::default(),
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_attempts: 10,
            ws_url: None,
        }
    }
}

impl LiveOptions {
    /// Sets the heartbeat interval and the silence after which the
    /// connection counts as dead.
    pub fn heartbeat(mut self, interval: Duration, dead_after: Duration) -> Self {
        self.heartbeat = HeartbeatConfig {
            interval,
            dead_after,
        };
        self
    }

    /// Sets the reconnection backoff bounds.
    pub fn backoff(mut self, min: Duration, max: Duration) -> Self {
        self.min_backoff = min;
        self.max_backoff = max.max(min);
        self
    }

    /// Sets the topics.
    pub fn topics(mut self, topics: impl IntoIterator<Item = Topic>) -> Self {
        self.topics = topics.into_iter().collect();
        self
    }

    /// Sets how many failed reconnections in a row end the stream.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Uses this WebSocket URL (`wss://host[:port]`, with or without the
    /// connection path).
    pub fn ws_url(mut self, url: impl Into<String>) -> Self {
        self.ws_url = Some(url.into());
        self
    }
}

/// Why the stream reconnects.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResyncReason {
    /// The connection could not be opened or subscribed, or it closed or
    /// broke: what happened, in words.
    Dropped(String),
    /// Nothing came for this long (not even a heartbeat echo).
    Silent(Duration),
    /// An increment was lost: its topic's numbering jumped or went back.
    Gap {
        /// The topic.
        topic: Topic,
        /// The version expected.
        expected: i64,
        /// The version received.
        received: i64,
    },
    /// A frame could not be read (and may have carried a change).
    Unreadable(LiveError),
}

impl std::fmt::Display for ResyncReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResyncReason::Dropped(why) => write!(f, "the connection was lost: {why}"),
            ResyncReason::Silent(d) => {
                write!(f, "the server was silent for {} ms", d.as_millis())
            }
            ResyncReason::Gap {
                topic,
                expected,
                received,
            } => write!(
                f,
                "an increment of {topic} was lost (version {received}, expected {expected})"
            ),
            ResyncReason::Unreadable(e) => write!(f, "{e}"),
        }
    }
}

/// What the stream yields.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum LiveEvent {
    /// The subscription was accepted; snapshots follow. `resync` is true
    /// after a reconnection: the new snapshots replace the view.
    Subscribed {
        /// Whether this follows a [`LiveEvent::Resync`].
        resync: bool,
    },
    /// A push, and what it did to the view.
    Push {
        /// The push.
        push: Push,
        /// Its effect on the view.
        folded: Folded,
        /// The frame as received (a secret: `ConfBasicInfoNotify` carries
        /// the meeting passwords; see [`sansio::push::redact`]).
        frame: Secret,
    },
    /// The connection is being replaced, after `retry_in`.
    Resync {
        /// Why.
        reason: ResyncReason,
        /// The wait before reconnecting.
        retry_in: Duration,
    },
    /// The meeting ended; the stream ends after this.
    Ended,
}

/// Why the stream ended early.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EventsError {
    /// A token could not be obtained (the control token or the WebSocket
    /// token): the service's answer, or why no answer came.
    #[error("the meeting control WebSocket needs a token: {0}")]
    Token(#[source] Error),
    /// The WebSocket protocol failed for good: a refused subscription, a
    /// URL that cannot be used.
    #[error(transparent)]
    Live(#[from] LiveError),
    /// Every reconnection of a row failed.
    #[error("gave up after {attempts} failed reconnections in a row; the last: {last}")]
    GaveUp {
        /// How many.
        attempts: u32,
        /// The last failure.
        last: ResyncReason,
    },
}

/// A stream of [`LiveEvent`]s from a meeting's control WebSocket (see the
/// [module docs](self)). Ends after [`LiveEvent::Ended`] or an error.
/// Dropping it closes the connection.
#[derive(Debug)]
pub struct LiveEvents {
    rx: mpsc::Receiver<Result<LiveEvent, EventsError>>,
    view: ViewHandle,
    task: tokio::task::JoinHandle<()>,
}

impl LiveEvents {
    /// The live view now.
    pub fn view(&self) -> LiveView {
        self.view.get()
    }

    /// A handle on the view that outlives borrowing the stream (for
    /// another task).
    pub fn view_handle(&self) -> ViewHandle {
        self.view.clone()
    }
}

impl Drop for LiveEvents {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl futures_util::Stream for LiveEvents {
    type Item = Result<LiveEvent, EventsError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

/// A shared, readable live view.
#[derive(Clone, Debug, Default)]
pub struct ViewHandle(Arc<Mutex<Fold>>);

impl ViewHandle {
    /// The view now.
    pub fn get(&self) -> LiveView {
        self.lock().view().clone()
    }

    /// Whether a topic missed an increment and waits for a new snapshot.
    pub fn needs_resync(&self) -> bool {
        self.lock().needs_resync()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Fold> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What one connection needs.
pub(crate) struct Link {
    pub conference: Conference,
    pub tls: Arc<rustls::ClientConfig>,
    pub endpoint_base: String,
    pub connect_timeout: Duration,
}

/// Starts the task (on the current tokio runtime).
pub(crate) fn start(link: Link, options: LiveOptions) -> LiveEvents {
    let (tx, rx) = mpsc::channel(1024);
    let view = ViewHandle::default();
    let task = tokio::spawn(run(link, options, view.clone(), tx));
    LiveEvents { rx, view, task }
}

type Tx = mpsc::Sender<Result<LiveEvent, EventsError>>;
type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// How a connection ended.
enum Outcome {
    Ended,
    Lost {
        reason: ResyncReason,
        subscribed: bool,
    },
    Fatal(EventsError),
    /// The stream was dropped.
    Gone,
}

async fn run(link: Link, options: LiveOptions, view: ViewHandle, tx: Tx) {
    let mut failures = 0u32;
    let mut resync = false;
    loop {
        let outcome = connection(&link, &options, &view, &tx, resync).await;
        let (reason, subscribed) = match outcome {
            Outcome::Gone => return,
            Outcome::Ended => {
                let _ = tx.send(Ok(LiveEvent::Ended)).await;
                return;
            }
            Outcome::Fatal(e) => {
                let _ = tx.send(Err(e)).await;
                return;
            }
            Outcome::Lost { reason, subscribed } => (reason, subscribed),
        };
        failures = if subscribed { 1 } else { failures + 1 };
        if failures > options.max_attempts {
            let _ = tx
                .send(Err(EventsError::GaveUp {
                    attempts: failures - 1,
                    last: reason,
                }))
                .await;
            return;
        }
        let wait = backoff(&options, failures);
        tracing::debug!(%reason, wait_ms = wait.as_millis() as u64, "control WebSocket: reconnecting");
        if tx
            .send(Ok(LiveEvent::Resync {
                reason,
                retry_in: wait,
            }))
            .await
            .is_err()
        {
            return;
        }
        tokio::time::sleep(wait).await;
        resync = true;
    }
}

/// The wait before the `n`th reconnection of a row (from 1).
fn backoff(options: &LiveOptions, n: u32) -> Duration {
    let base = options
        .min_backoff
        .saturating_mul(1u32 << n.saturating_sub(1).min(16))
        .min(options.max_backoff);
    // ±25 %: reconnecting clients do not all come back at once.
    base.mul_f64(0.75 + hwmeeting_core::random::unit() / 2.0)
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn lost(reason: impl Into<String>, subscribed: bool) -> Outcome {
    Outcome::Lost {
        reason: ResyncReason::Dropped(reason.into()),
        subscribed,
    }
}

/// Whether a token error is worth retrying (no answer, a time-out, a
/// server error, or 429); a 4xx means the service refuses.
fn retryable(e: &Error) -> bool {
    match e {
        Error::Api { source, .. } => source.status >= 500 || source.status == 429,
        Error::Build { .. } | Error::Config(_) | Error::NoControlToken { .. } => false,
        _ => true,
    }
}

/// One connection: tokens, connect, subscribe, then pushes until it ends.
async fn connection(
    link: &Link,
    options: &LiveOptions,
    view: &ViewHandle,
    tx: &Tx,
    resync: bool,
) -> Outcome {
    let token_error = |e: Error| {
        if retryable(&e) {
            lost(format!("no token: {e}"), false)
        } else {
            Outcome::Fatal(EventsError::Token(e))
        }
    };
    let control = match link.conference.control_token().await {
        Ok(t) => t,
        Err(e) => return token_error(e),
    };
    let ws_token = match link
        .conference
        .send(CreateWebSocketTokenRequest::new())
        .await
    {
        Ok(answer) => match answer.web_socket_token {
            Some(t) if !t.is_empty() => t,
            _ => {
                return lost("the WebSocket token answer has no `webSocketToken`", false);
            }
        },
        Err(e) => return token_error(e),
    };
    let ws_url = options
        .ws_url
        .clone()
        .or_else(|| link.conference.ws_url())
        .unwrap_or_else(|| link.endpoint_base.clone());
    let url = match frame::connection_url(&ws_url, link.conference.id(), &ws_token) {
        Ok(url) => url,
        Err(e) => return Outcome::Fatal(e.into()),
    };
    let config = WebSocketConfig::default()
        .max_message_size(Some(16 << 20))
        .max_frame_size(Some(16 << 20));
    let connecting = tokio_tungstenite::connect_async_tls_with_config(
        url.expose(),
        Some(config),
        true,
        Some(Connector::Rustls(Arc::clone(&link.tls))),
    );
    let mut socket = match tokio::time::timeout(link.connect_timeout, connecting).await {
        Ok(Ok((socket, _response))) => socket,
        // The URL carries the token: the error is shown, never the URL.
        Ok(Err(e)) => return lost(format!("could not connect: {e}"), false),
        Err(_) => {
            return lost(
                format!(
                    "could not connect within {} ms",
                    link.connect_timeout.as_millis()
                ),
                false,
            );
        }
    };
    drop(url);
    let mut heartbeat = hwmeeting_core::live::Heartbeat::new(options.heartbeat, Instant::now());
    let sequence = heartbeat.sequences().next(unix_ms());
    let subscribe = frame::subscribe(&sequence, link.conference.id(), &control, &options.topics);
    if let Err(e) = socket
        .send(Message::text(subscribe.expose().to_owned()))
        .await
    {
        return lost(format!("could not subscribe: {e}"), false);
    }
    drop(subscribe);
    let mut subscribed = false;
    loop {
        let deadline = tokio::time::Instant::from_std(heartbeat.deadline());
        tokio::select! {
            message = socket.next() => {
                let text = match message {
                    None => return lost("the server closed the connection", subscribed),
                    Some(Err(e)) => return lost(e.to_string(), subscribed),
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Binary(bytes))) => {
                        match String::from_utf8(bytes.to_vec()) {
                            Ok(text) => text.into(),
                            Err(_) => continue,
                        }
                    }
                    Some(Ok(Message::Close(frame))) => {
                        let why = frame
                            .map(|f| format!("code {}, {}", u16::from(f.code), f.reason))
                            .unwrap_or_else(|| "no reason".into());
                        return lost(format!("the server closed the connection ({why})"), subscribed);
                    }
                    // Pings are answered by tungstenite; they are life too.
                    Some(Ok(_)) => {
                        heartbeat.heard(Instant::now());
                        continue;
                    }
                };
                heartbeat.heard(Instant::now());
                let push = match parse(text.as_bytes()) {
                    Ok(push) => push,
                    Err(e) => {
                        close(&mut socket).await;
                        return Outcome::Lost { reason: ResyncReason::Unreadable(e), subscribed };
                    }
                };
                if let Push::SubscribeReply { return_code, return_desc, .. } = &push {
                    if *return_code != 0 {
                        close(&mut socket).await;
                        return Outcome::Fatal(EventsError::Live(LiveError::SubscribeRefused {
                            code: *return_code,
                            desc: return_desc.clone(),
                        }));
                    }
                    if !subscribed {
                        subscribed = true;
                        view.lock().resubscribed();
                        if tx.send(Ok(LiveEvent::Subscribed { resync })).await.is_err() {
                            return Outcome::Gone;
                        }
                        continue;
                    }
                }
                let folded = view.lock().apply(&push);
                let frame = Secret::new(text.as_str());
                if tx.send(Ok(LiveEvent::Push { push, folded, frame })).await.is_err() {
                    return Outcome::Gone;
                }
                match folded {
                    Folded::Ended => {
                        close(&mut socket).await;
                        return Outcome::Ended;
                    }
                    Folded::ResyncNeeded { topic, expected, received } => {
                        close(&mut socket).await;
                        return Outcome::Lost {
                            reason: ResyncReason::Gap { topic, expected, received },
                            subscribed,
                        };
                    }
                    _ => {}
                }
            }
            () = tokio::time::sleep_until(deadline) => {
                match heartbeat.poll(Instant::now(), unix_ms()) {
                    HeartbeatStep::Send(frame) => {
                        if let Err(e) = socket.send(Message::text(frame)).await {
                            return lost(format!("could not send a heartbeat: {e}"), subscribed);
                        }
                    }
                    HeartbeatStep::Dead(silent) => {
                        close(&mut socket).await;
                        return Outcome::Lost { reason: ResyncReason::Silent(silent), subscribed };
                    }
                    HeartbeatStep::WaitUntil(_) => {}
                }
            }
        }
    }
}

/// Closes politely, without waiting long for the server's answer.
async fn close(socket: &mut Socket) {
    let _ = tokio::time::timeout(Duration::from_millis(200), socket.close(None)).await;
}
