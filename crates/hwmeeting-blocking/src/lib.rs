//! Blocking client of **hwmeeting**, the Rust SDK for the Huawei Cloud
//! Meeting server REST API.
//!
//! It runs on [ureq](https://docs.rs/ureq) and plain threads: no async
//! runtime is started or needed. A [`Client`] is cheap to clone and can be
//! shared between threads.
//!
//! What it does for you:
//! - logs in (App ID signature or account) on first need, caches the access
//!   token, renews it before it expires or when the service rejects it, and
//!   never runs two logins at once;
//! - obtains, caches and renews meeting control tokens through a
//!   [`Conference`] handle;
//! - retries what is safe to retry (connections that could not be opened,
//!   429 with `Retry-After`, gateway errors and timeouts of idempotent
//!   calls) with exponential backoff, within a total time limit;
//! - verifies TLS certificates against the public web roots plus any CA you
//!   add, and never prints a secret.
//!
//! ```no_run
//! use hwmeeting_blocking::model::{ApplyChair, SetRoleRequest};
//! use hwmeeting_blocking::{Client, Credentials};
//!
//! # fn main() -> Result<(), hwmeeting_blocking::Error> {
//! let client = Client::builder()
//!     .credentials(Credentials::app_id("my-app-id", "my-app-key"))
//!     .build()?;
//!
//! // A handle on a running meeting: it obtains the control token with the
//! // host password, caches it and renews it.
//! let meeting = client.conference("914083136", "host-password");
//! meeting.send(SetRoleRequest::new("participant-id", ApplyChair::Apply).chairman_pwd("host-password"))?;
//! # Ok(())
//! # }
//! ```
//!
//! Settings can also come from the environment (`HWMEETING_ENDPOINT`,
//! `HWMEETING_APP_ID`, `HWMEETING_APP_KEY`, ...): see [`Client::from_env`].

//! ## Cargo features
//!
//! - `ring` (default): rustls with the ring crypto provider.
//! - `aws-lc-rs`: rustls with the aws-lc-rs provider instead.
//! - `platform-verifier`: the platform's certificate store instead of the
//!   bundled web roots.
//!
//! [`Client::with_agent`] takes a `ureq::Agent` of yours (a type of that crate, exposed on
//! purpose), for proxies, resolvers or middleware of your own; proxies
//! from the environment (`HTTPS_PROXY`, `NO_PROXY`) work without it.
//!
//! ## The meeting control WebSocket
//!
//! Live meeting events (the control WebSocket) are in `hwmeeting-async`
//! (feature `live`, `Conference::events`), not here yet. A blocking
//! iterator would have to interleave the heartbeat timer with blocking
//! reads (read timeouts on the TLS socket, resumed by tungstenite) and
//! repeat the async client's reconnection loop; it was left out of the
//! first version to keep one well-tested implementation. Its parts that
//! need no I/O (frames, pushes, the live view, heartbeat timing) are
//! ready in `hwmeeting_core::live` for it. A blocking program can run the
//! async stream on a small tokio runtime, as `hwmeeting events` does.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod call;
mod client;
mod conference;
// Laid out by the generator (prettyplease); `cargo fmt` leaves it be.
#[rustfmt::skip]
mod generated;
mod pages;
mod resolver;
mod streaming;
mod transport;

pub use client::{Client, ClientBuilder};
pub use conference::Conference;
pub use hwmeeting_api::model;
/// Receiving the enterprise event push (webhook): verify and type the
/// events the service POSTs (feature `webhook`; sans-IO, serve it with any
/// HTTP server). See [`hwmeeting_core::webhook`].
#[cfg(feature = "webhook")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhook")))]
pub use hwmeeting_core::webhook;
pub use hwmeeting_core::{
    ApiError, AppIdCredentials, BuildError, Config, Credentials, DynamicOperation, Endpoint, Error,
    Operation, Region, Reply, RetryPolicy, Secret, TimeoutPhase, Timeouts, meta, page, time,
    upload,
};
pub use pages::Pages;

/// The name resolver of the client's ureq agent (IP addresses at once,
/// host names remembered for 30 seconds), for the benchmarks' hand-written
/// ureq baseline, which must be set up as the client is. Not a stable API.
#[doc(hidden)]
pub use resolver::LiteralFirstResolver;

// The README's Rust example is compiled as a doc test, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
