//! The sans-IO runtime of **hwmeeting**, the Rust SDK for the Huawei Cloud
//! Meeting server REST API: the hand-written layer under the generated
//! models of `hwmeeting-api` and over the two transports.
//!
//! This crate does no I/O and names no generated type. It holds:
//! - the call engine ([`engine`]): every decision of a call (credential,
//!   attempts, retries, token renewal, deadline, tracing), driven by the
//!   blocking and async clients, with the single-flight token cache
//!   ([`token_cell`]) and the classification of failed attempts
//!   ([`attempt`]);
//! - what an operation is ([`Operation`], [`meta`]): the spec as data, the
//!   validator, the wire form and request building, the tolerant reading
//!   of answers ([`lenient`]);
//! - [`Error`], the App ID signature and Basic auth ([`auth`]), [`Secret`],
//!   retry decisions ([`retry`]) and token lifetimes ([`token`]).
//! - with the `live` feature, the meeting control WebSocket sans-IO
//!   (`live`): frames, pushes, the live view and heartbeat timing.
//!
//! Applications use it through `hwmeeting-blocking` or `hwmeeting-async`.
//!
//! Types of other crates appear in this API on purpose, and only these:
//! `http` (the request a call becomes, [`Operation::to_http`], and the
//! headers of an answer), `serde_json::Value` (the wire form of a request,
//! [`wire::WireRequest`], and [`DynamicOperation`] parameters), `tracing::Span`
//! (the span of a call, [`engine::Call::span`]) and
//! `rustls_pki_types::CertificateDer` ([`trust`]). Each is the ecosystem's
//! common type for what it carries.
//!
//! ```
//! use std::time::Duration;
//! use hwmeeting_core::{Outcome, RetryDecision, RetryPolicy};
//!
//! // A request that never left is retried even for a call that is not
//! // idempotent; a 503 is retried only for one that is.
//! let policy = RetryPolicy::default();
//! let waits = |idempotent, outcome| policy.decide(idempotent, 1, &outcome, 0.5);
//! assert!(matches!(waits(false, Outcome::ConnectFailed), RetryDecision::RetryAfter(_)));
//! let busy = Outcome::Status { status: 503, retry_after: None };
//! assert_eq!(waits(false, busy.clone()), RetryDecision::GiveUp);
//! assert_eq!(waits(true, busy), RetryDecision::RetryAfter(Duration::from_millis(150)));
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

pub mod attempt;
pub mod auth;
pub mod builder;
pub mod codes;
pub mod config;
pub mod dynamic;
pub mod endpoint;
pub mod engine;
pub mod error;
pub mod lenient;
#[cfg(feature = "live")]
#[cfg_attr(docsrs, doc(cfg(feature = "live")))]
pub mod live;
pub mod meta;
pub mod operation;
pub mod page;
pub mod random;
pub mod redact;
pub mod request;
pub mod response;
pub mod retry;
pub mod secret;
pub mod session;
mod surface;
pub mod time;
pub mod token;
pub mod token_cell;
pub mod trust;
pub mod upload;
pub mod validate;
pub mod view;
#[cfg(feature = "webhook")]
pub mod webhook;
pub mod wire;

pub use auth::{AppIdCredentials, Credential, Credentials};
pub use builder::{ClientBuilder, FromConfig};
pub use config::{Config, Timeouts};
pub use dynamic::DynamicOperation;
pub use endpoint::{Endpoint, Region};
pub use error::{ApiError, BoxError, BuildError, Error, SharedSource, TimeoutPhase};
pub use meta::OperationMeta;
pub use operation::{Operation, Prepared, Reply};
pub use request::HttpRequest;
pub use retry::{Outcome, RetryDecision, RetryPolicy};
pub use secret::Secret;
