//! The async client of **hwmeeting**, the Rust SDK for the Huawei Cloud
//! Meeting server REST API, on [reqwest] and [tokio].
//!
//! - Every request is checked against the API's spec before a byte is
//!   sent; a wrong parameter fails with [`Error::Build`] naming it.
//! - The client logs in on first need (App ID signature, account, or a
//!   ready access token), caches the access token and renews it before it
//!   expires or when the service rejects it. Concurrent calls on a cold
//!   client make one login.
//! - A [`Conference`] handle obtains, caches and renews a meeting's control
//!   token and fills in its `conferenceID`.
//! - Failed attempts are retried by the rules of [`RetryPolicy`]: a
//!   connection that could not be opened and 429 (honouring `Retry-After`)
//!   for every call, 502/503/504, timeouts and broken connections only for
//!   idempotent ones. Time limits: connect, per attempt, and per call.
//! - TLS is rustls with the ring provider; certificates are always
//!   verified against the public webpki roots plus any CA you add.
//! - Each call runs in a `tracing` span `hwmeeting.call` (operation,
//!   method, path template, attempt, status, request id); secrets are never
//!   logged or shown: they are [`Secret`]s.
//!
//! ```no_run
//! use hwmeeting_async::model::{ApplyChair, SetRoleRequest, StartMeetingRequest};
//! use hwmeeting_async::{Client, Credentials};
//!
//! # async fn run() -> Result<(), hwmeeting_async::Error> {
//! let client = Client::builder()
//!     .credentials(Credentials::app_id("my-app-id", "my-app-key"))
//!     .build()?;
//!
//! // Activate a scheduled meeting (logs in first, once).
//! client
//!     .send(StartMeetingRequest::new("914083136", "157599"))
//!     .await?;
//!
//! // Control it: the handle obtains the meeting control token with the
//! // host password and keeps it fresh.
//! let meeting = client.conference("914083136", "157599");
//! let reply = meeting
//!     .execute(SetRoleRequest::new("p-alice", ApplyChair::Apply).chairman_pwd("157599"))
//!     .await?;
//! println!("host role given (request id {:?})", reply.request_id);
//! # Ok(())
//! # }
//! ```
//!
//! [`Client::from_env`] reads the endpoint and credentials from the
//! `HWMEETING_*` environment variables.

//! ## Cargo features
//!
//! - `ring` (default): rustls with the ring crypto provider.
//! - `aws-lc-rs`: rustls with the aws-lc-rs provider instead.
//! - `platform-verifier`: the platform's certificate store instead of the
//!   bundled web roots.
//! - `live`: the meeting control WebSocket ([`live`],
//!   `Conference::events`): a stream of typed pushes and a live view of
//!   the meeting, over tokio-tungstenite with the client's TLS settings.
//!
//! [`Client::with_reqwest`] takes a `reqwest::Client` of yours (a type of that crate, exposed on
//! purpose), for proxies, resolvers or middleware of your own; proxies
//! from the environment (`HTTPS_PROXY`, `NO_PROXY`) work without it.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod call;
mod client;
mod conference;
// Laid out by the generator (prettyplease); `cargo fmt` leaves it be.
#[rustfmt::skip]
mod generated;
#[cfg(feature = "live")]
#[cfg_attr(docsrs, doc(cfg(feature = "live")))]
pub mod live;
mod pages;
mod streaming;
mod transport;
#[cfg(feature = "webhook")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhook")))]
pub mod webhook;

pub use client::{Client, ClientBuilder};
pub use conference::Conference;
pub use futures_util::Stream;
pub use hwmeeting_api::model;
pub use hwmeeting_core::{
    ApiError, AppIdCredentials, BuildError, Config, Credentials, DynamicOperation, Endpoint, Error,
    Operation, Region, Reply, RetryPolicy, Secret, TimeoutPhase, Timeouts, meta, page, time,
    upload,
};
pub use pages::PageItem;
