//! The Huawei Cloud Meeting server REST API as Rust types: the part of
//! **hwmeeting** generated from `spec/` by `cargo xtask codegen`.
//!
//! - [`model`]: the request, response, enum and object types of every
//!   operation. Each request implements
//!   [`Operation`](hwmeeting_core::Operation): it is checked against the
//!   spec before a byte exists, becomes an HTTP request, and reads its
//!   answer into a typed value (tolerantly, as the service writes numbers
//!   as strings and strings as numbers in places).
//! - [`OPERATIONS`]: the spec of every operation as data, which the
//!   clients, the simulator and the command line read.
//!
//! The runtime under it (`hwmeeting-core`) names no type of this crate.
//! Applications use it through `hwmeeting-blocking` or `hwmeeting-async`,
//! which re-export [`model`].
//!
//! ```
//! use hwmeeting_api::model::{ApplyChair, SetRoleRequest};
//! use hwmeeting_core::{Credential, Endpoint, Operation, Secret};
//!
//! let request = SetRoleRequest::new("d2c3ae64216e11eabc510dc9b62e3a80", ApplyChair::Apply)
//!     .conference_id("914083136")
//!     .chairman_pwd("157599");
//! let token = Secret::new("control-token");
//! let http = request.to_http(&Endpoint::default(), Credential::ConferenceToken(&token)).unwrap();
//! assert_eq!(http.method(), "PUT");
//! assert_eq!(
//!     http.uri(),
//!     "https://api.meeting.huaweicloud.com/v1/mmc/control/conferences/participants/role?conferenceID=914083136&participantID=d2c3ae64216e11eabc510dc9b62e3a80"
//! );
//!
//! // Applying for the host role without the host password fails before
//! // anything is sent, naming the parameter.
//! let err = SetRoleRequest::new("p1", ApplyChair::Apply).conference_id("914083136").validate().unwrap_err();
//! assert_eq!(err.to_string(), "set_role: parameter `chairmanPwd` is required when `applyChair = 1`");
//! ```

#![warn(missing_docs)]

// Laid out by the generator (prettyplease); `cargo fmt` leaves it be.
#[rustfmt::skip]
mod generated;

use hwmeeting_core::OperationMeta;

/// Request, response, enum and object types of every operation, generated
/// from `spec/`.
pub mod model {
    pub use crate::generated::*;
}

pub use generated::OPERATIONS;

/// Every operation, sorted by id.
pub fn operations() -> &'static [&'static OperationMeta] {
    OPERATIONS
}

/// The operation with this id.
pub fn find_by_id(id: &str) -> Option<&'static OperationMeta> {
    hwmeeting_core::meta::find_by_id(OPERATIONS, id)
}

/// The operation served at this method and path (see
/// [`hwmeeting_core::meta::find_by_route`]).
pub fn find_by_route(method: &str, path: &str) -> Option<&'static OperationMeta> {
    hwmeeting_core::meta::find_by_route(OPERATIONS, method, path)
}

/// An empty request for the operation with this id, to fill by wire name
/// (the command line's way to call).
pub fn dynamic(id: &str) -> Result<hwmeeting_core::DynamicOperation, hwmeeting_core::BuildError> {
    hwmeeting_core::DynamicOperation::by_id(OPERATIONS, id)
}
