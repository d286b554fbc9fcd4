//! Receiving the enterprise event push (webhook): the sans-IO verifier and
//! typed events of [`hwmeeting_core::webhook`], and with the feature
//! `webhook-axum` a ready axum receiver (the module `axum`).
//!
//! ```
//! use std::time::SystemTime;
//! use hwmeeting_async::Secret;
//! use hwmeeting_async::webhook::{Receiver, WebhookConfig};
//!
//! let receiver = Receiver::new(WebhookConfig::new("1988692299", Secret::new("123456")));
//! let err = receiver.receive(b"{}", SystemTime::now()).unwrap_err();
//! assert_eq!(err.status(), 400);
//! ```

pub use hwmeeting_core::webhook::*;

#[cfg(feature = "webhook-axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhook-axum")))]
pub mod axum;
