//! A ready event-push receiver for axum: [`router`] answers the service
//! (the `meeting.verify` handshake, 200, 401 for a bad signature or
//! `appID`, 400 for a malformed body) and hands every verified event to an
//! async callback.
//!
//! The callback is awaited before the answer, so events reach it in the
//! order the service sends them and a failed push is retried by the
//! service; keep it short (send to a channel, spawn) since the service
//! gives up on slow receivers. The verify handshake is handed on too
//! (as [`Event::Verify`](super::Event::Verify)); a replayed nonce (with
//! replay protection on) is answered 200 and not handed on.
//!
//! ```no_run
//! use hwmeeting_async::Secret;
//! use hwmeeting_async::webhook::{Delivery, Event, WebhookConfig};
//!
//! # async fn run() -> std::io::Result<()> {
//! let config = WebhookConfig::new("12345678", Secret::new("the subscriber key"));
//! let (tx, mut rx) = tokio::sync::mpsc::channel::<Delivery>(1024);
//! let app = hwmeeting_async::webhook::axum::router(config, move |delivery: Delivery| {
//!     let tx = tx.clone();
//!     async move {
//!         let _ = tx.send(delivery).await;
//!     }
//! });
//! tokio::spawn(async move {
//!     while let Some(delivery) = rx.recv().await {
//!         if let Event::Join { attendee, .. } = &delivery.event {
//!             println!("{:?} joined", attendee.display_name);
//!         }
//!     }
//! });
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await
//! # }
//! ```

use std::future::Future;
use std::sync::Arc;
use std::time::SystemTime;

use ::axum::Router;
use ::axum::body::{Body, Bytes};
use ::axum::extract::State;
use ::axum::http::{Method, Response, StatusCode, header};
use ::axum::routing::any;

use super::{Answer, Delivery, Receiver, WebhookConfig, WebhookError};

/// A router that receives pushes on every path (nest it, or mount it with
/// [`Router::merge`]/[`Router::nest_service`]) and hands verified events
/// to `handler`. Methods other than `POST` get 405.
pub fn router<H, F>(config: WebhookConfig, handler: H) -> Router
where
    H: Fn(Delivery) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    let receiver = Arc::new(Receiver::new(config));
    Router::new()
        .fallback(any(
            move |State(receiver): State<Arc<Receiver>>, method: Method, body: Bytes| {
                let handler = handler.clone();
                async move { receive(&receiver, method, &body, handler).await }
            },
        ))
        .with_state(receiver)
}

async fn receive<H, F>(
    receiver: &Receiver,
    method: Method,
    body: &[u8],
    handler: H,
) -> Response<Body>
where
    H: Fn(Delivery) -> F,
    F: Future<Output = ()>,
{
    if method != Method::POST {
        let mut response = respond(Answer {
            status: 405,
            content_type: Some("text/plain;charset=UTF-8"),
            body: b"event pushes are POSTed".to_vec(),
        });
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return response;
    }
    match receiver.receive(body, SystemTime::now()) {
        Ok(delivery) => {
            let answer = delivery.answer();
            handler(delivery).await;
            respond(answer)
        }
        Err(error) => {
            refused(&error);
            respond(error.answer())
        }
    }
}

fn refused(error: &WebhookError) {
    tracing::warn!(status = error.status(), "event push refused: {error}");
}

fn respond(answer: Answer) -> Response<Body> {
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(content_type) = answer.content_type {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static(content_type),
        );
    }
    response
}
