//! The trait every operation implements: what it is, how it becomes an HTTP
//! request, and how its answer is read.

use std::time::SystemTime;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::{Credential, apply_credential};
use crate::endpoint::Endpoint;
use crate::error::{BuildError, Error};
use crate::meta::OperationMeta;
use crate::request::build_http;
use crate::validate::EnumCheck;
use crate::wire::WireRequest;

/// An API operation with its parameters, ready to be sent.
///
/// Generated for every spec file; a transport only needs this trait.
pub trait Operation {
    /// The typed answer.
    type Output: DeserializeOwned + Serialize + std::fmt::Debug + Send + 'static;

    /// The spec of the operation.
    fn meta(&self) -> &'static OperationMeta;

    /// The parameters by wire name and location, without the credential.
    fn to_wire(&self) -> WireRequest;

    /// How strictly coded values are checked before sending (typed requests
    /// let `Unknown` values through; the CLI checks strictly).
    fn enum_check(&self) -> EnumCheck {
        EnumCheck::Lenient
    }

    /// The meeting ID this request is for, if the operation takes one.
    fn target_conference_id(&self) -> Option<&str> {
        None
    }

    /// Sets the meeting ID when the caller left it out (a meeting handle
    /// does this). Does nothing when it is set, or for operations without
    /// one.
    fn fill_conference_id(&mut self, _conference_id: &str) {}

    /// Checks the parameters without building anything.
    fn validate(&self) -> Result<(), Error> {
        let meta = self.meta();
        let mut wire = self.to_wire();
        wire.apply_defaults(meta);
        crate::validate::validate(meta, &wire, self.enum_check()).map_err(|source| Error::Build {
            operation: meta.id,
            source,
        })
    }

    /// Builds the HTTP request against `endpoint`, with the credential the
    /// operation needs. Fails, naming the parameter, on any input the spec
    /// forbids: no byte exists before the input is valid.
    fn to_http(
        &self,
        endpoint: &Endpoint,
        credential: Credential<'_>,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let meta = self.meta();
        let build = || -> Result<http::Request<Vec<u8>>, BuildError> {
            let mut wire = self.to_wire();
            wire.apply_defaults(meta);
            crate::validate::validate(meta, &wire, self.enum_check())?;
            apply_credential(meta, &mut wire, credential)?;
            build_http(meta, endpoint, &wire)
        };
        build().map_err(|source| Error::Build {
            operation: meta.id,
            source,
        })
    }

    /// Reads the answer: the typed output, or the error it reports.
    fn decode(
        &self,
        status: u16,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Self::Output, Error> {
        crate::response::decode(self.meta(), status, headers, body, SystemTime::now())
    }
}

/// A successful answer with what a caller may want to log or show.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply<T> {
    /// The typed answer.
    pub output: T,
    /// The HTTP status.
    pub status: u16,
    /// The request id (`X-Request-Id`), for support.
    pub request_id: Option<String>,
    /// Attempts made, the first included.
    pub attempts: u32,
    /// Time from the first byte sent to the last byte received, retries and
    /// token renewals included.
    pub elapsed: std::time::Duration,
}
