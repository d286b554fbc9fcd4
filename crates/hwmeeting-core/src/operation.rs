//! The trait every operation implements: what it is, how it becomes an HTTP
//! request, and how its answer is read.

use std::time::SystemTime;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::{Credential, credential_header};
use crate::endpoint::Endpoint;
use crate::error::{BuildError, Error};
use crate::meta::OperationMeta;
use crate::request::{HttpRequest, build_request};
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
        self.prepare().map(drop)
    }

    /// The checked wire form: the parameters with the spec's defaults
    /// filled in, validated. Transports prepare a call once and build each
    /// attempt from it with [`attempt_request`](Self::attempt_request).
    fn prepare(&self) -> Result<Prepared, Error> {
        let meta = self.meta();
        let mut wire = self.to_wire();
        wire.apply_defaults(meta);
        crate::validate::validate(meta, &wire, self.enum_check()).map_err(|source| {
            Error::Build {
                operation: meta.id,
                source,
            }
        })?;
        Ok(Prepared { meta, wire })
    }

    /// The request of one attempt, from what [`prepare`](Self::prepare)
    /// returned for this operation. An operation whose every attempt must
    /// differ (a signed login takes a new nonce each time) builds it anew.
    fn attempt_request(
        &self,
        prepared: &Prepared,
        endpoint: &Endpoint,
        credential: Credential<'_>,
    ) -> Result<HttpRequest, Error> {
        prepared.request(endpoint, credential)
    }

    /// Builds the HTTP request against `endpoint`, with the credential the
    /// operation needs. Fails, naming the parameter, on any input the spec
    /// forbids: no byte exists before the input is valid.
    fn to_http(
        &self,
        endpoint: &Endpoint,
        credential: Credential<'_>,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let prepared = self.prepare()?;
        let request = self.attempt_request(&prepared, endpoint, credential)?;
        request.into_http().map_err(|source| Error::Build {
            operation: self.meta().id,
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

/// A request's checked wire form (see [`Operation::prepare`]): valid by
/// the spec, ready to become the HTTP request of any attempt.
#[derive(Clone)]
pub struct Prepared {
    meta: &'static OperationMeta,
    wire: WireRequest,
}

impl Prepared {
    /// The operation's spec.
    pub fn meta(&self) -> &'static OperationMeta {
        self.meta
    }

    /// The wire form, defaults filled in.
    pub fn wire(&self) -> &WireRequest {
        &self.wire
    }

    /// The HTTP request against `endpoint` with `credential` in the header
    /// the spec names.
    pub fn request(
        &self,
        endpoint: &Endpoint,
        credential: Credential<'_>,
    ) -> Result<HttpRequest, Error> {
        let build = || -> Result<HttpRequest, BuildError> {
            let credential = credential_header(self.meta, &self.wire, credential)?;
            build_request(
                self.meta,
                endpoint,
                &self.wire,
                credential.as_ref().map(|(name, value)| (*name, value)),
            )
        };
        build().map_err(|source| Error::Build {
            operation: self.meta.id,
            source,
        })
    }
}

impl std::fmt::Debug for Prepared {
    /// The operation and the wire form with secrets masked.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("operation", &self.meta.id)
            .field("wire", &crate::redact::redact_wire(self.meta, &self.wire))
            .finish()
    }
}
