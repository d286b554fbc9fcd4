//! The trait every operation implements: what it is, how it becomes an HTTP
//! request, and how its answer is read.

use std::any::Any;
use std::time::SystemTime;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::{Credential, credential_header};
use crate::endpoint::Endpoint;
use crate::error::{BuildError, Error};
use crate::meta::OperationMeta;
use crate::request::{HttpRequest, build_request};
use crate::validate::EnumCheck;
use crate::view::{self, Views};
use crate::wire::WireRequest;

/// An API operation with its parameters, ready to be sent.
///
/// Generated for every spec file; a transport only needs this trait. It
/// is `Sync`: a call lends the operation to the engine, which the async
/// client may run on any thread.
pub trait Operation: Sync {
    /// The typed answer.
    type Output: DeserializeOwned + Serialize + std::fmt::Debug + Send + 'static;

    /// The spec of the operation.
    fn meta(&self) -> &'static OperationMeta;

    /// The parameters by wire name and location, without the credential.
    ///
    /// By default built from [`views`](Self::views) ([`view::wire`]): the
    /// set parameters, each as `serde_json` serializes it. An operation
    /// without views (a login, a dynamic request) writes its own.
    fn to_wire(&self) -> WireRequest {
        self.views()
            .map(|views| view::wire(self.meta(), &views))
            .unwrap_or_default()
    }

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

    /// The parameters lent as views, in the order of the spec's `params`:
    /// the one list a typed request gives of its parameters, that its wire
    /// form is built from and that the fast path ([`view`]) writes straight
    /// away when they are all scalars. Generated for every operation;
    /// `None` for one that overrides [`to_wire`](Self::to_wire) instead.
    fn views(&self) -> Option<Views<'_>> {
        None
    }

    /// Checks the call once, before any attempt: the spec's defaults filled
    /// in and every parameter validated. Transports prepare a call once and
    /// build each attempt from it with
    /// [`attempt_request`](Self::attempt_request).
    ///
    /// A generated request that the fast path accepts ([`view::accepts`])
    /// needs nothing more; any other goes through its wire form.
    fn prepare(&self) -> Result<Prepared, Error> {
        let meta = self.meta();
        if view::supported(meta)
            && self.enum_check() == EnumCheck::Lenient
            && self
                .views()
                .is_some_and(|views| view::accepts(meta, &views))
        {
            return Ok(Prepared { meta, wire: None });
        }
        prepare_wire(self)
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
        let meta = self.meta();
        match (&prepared.wire, self.views()) {
            (None, Some(views)) => {
                view::build(meta, endpoint, &views, credential).map_err(|source| Error::Build {
                    operation: meta.id,
                    source,
                })
            }
            (None, None) => prepare_wire(self)?.request(endpoint, credential),
            (Some(_), _) => prepared.request(endpoint, credential),
        }
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
#[non_exhaustive]
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

impl Reply<AnyOutput> {
    /// The reply with its answer back at its own type `T`: the typed end
    /// of a call the engine ran through [`Dispatch`].
    pub fn downcast<T: 'static>(self) -> Result<Reply<T>, Error> {
        let Reply {
            output,
            status,
            request_id,
            attempts,
            elapsed,
        } = self;
        match output.downcast::<T>() {
            Ok(output) => Ok(Reply {
                output: *output,
                status,
                request_id,
                attempts,
                elapsed,
            }),
            // `Dispatch` is sealed and boxes `O::Output`: unreachable by
            // any input, but an error rather than a panic all the same.
            Err(_) => Err(Error::Config(format!(
                "the answer is not of type {}",
                std::any::type_name::<T>()
            ))),
        }
    }
}

/// The answer of a call with its type erased (see [`Dispatch`]).
pub type AnyOutput = Box<dyn Any + Send>;

mod sealed {
    /// Only operations are dispatched.
    pub trait Sealed {}
    impl<O: super::Operation> Sealed for O {}
}

/// An [`Operation`] with the type of its answer erased: what the call
/// engine needs of an operation.
///
/// The engine ([`crate::engine::Call`]) and the clients' drivers take a
/// `&dyn Dispatch`, so they are compiled once rather than once per
/// operation (a crate with 200 operations would otherwise build 200 copies
/// of the whole retry loop); only reading the answer is typed. Implemented
/// for every operation, and sealed.
pub trait Dispatch: sealed::Sealed + Sync {
    /// [`Operation::meta`].
    fn operation_meta(&self) -> &'static OperationMeta;

    /// [`Operation::prepare`].
    fn prepare_call(&self) -> Result<Prepared, Error>;

    /// [`Operation::attempt_request`].
    fn attempt(
        &self,
        prepared: &Prepared,
        endpoint: &Endpoint,
        credential: Credential<'_>,
    ) -> Result<HttpRequest, Error>;

    /// [`Operation::target_conference_id`].
    fn conference_id(&self) -> Option<&str>;

    /// [`Operation::decode`], the typed answer boxed.
    fn decode_any(
        &self,
        status: u16,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<AnyOutput, Error>;
}

impl<O: Operation> Dispatch for O {
    fn operation_meta(&self) -> &'static OperationMeta {
        self.meta()
    }

    fn prepare_call(&self) -> Result<Prepared, Error> {
        self.prepare()
    }

    fn attempt(
        &self,
        prepared: &Prepared,
        endpoint: &Endpoint,
        credential: Credential<'_>,
    ) -> Result<HttpRequest, Error> {
        self.attempt_request(prepared, endpoint, credential)
    }

    fn conference_id(&self) -> Option<&str> {
        self.target_conference_id()
    }

    fn decode_any(
        &self,
        status: u16,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<AnyOutput, Error> {
        self.decode(status, headers, body)
            .map(|output| Box::new(output) as AnyOutput)
    }
}

/// The wire form of `op` with the spec's defaults, validated: the checked
/// call every operation can take.
pub fn prepare_wire<O: Operation + ?Sized>(op: &O) -> Result<Prepared, Error> {
    let meta = op.meta();
    let mut wire = op.to_wire();
    wire.apply_defaults(meta);
    crate::validate::validate(meta, &wire, op.enum_check()).map_err(|source| Error::Build {
        operation: meta.id,
        source,
    })?;
    Ok(Prepared {
        meta,
        wire: Some(wire),
    })
}

/// A checked call (see [`Operation::prepare`]): valid by the spec, ready to
/// become the HTTP request of any attempt.
#[derive(Clone)]
pub struct Prepared {
    meta: &'static OperationMeta,
    /// `None` when the typed parameters are written straight away.
    wire: Option<WireRequest>,
}

impl Prepared {
    /// The operation's spec.
    pub fn meta(&self) -> &'static OperationMeta {
        self.meta
    }

    /// The wire form, defaults filled in; `None` when the request is written
    /// straight from its typed parameters ([`view`]).
    pub fn wire(&self) -> Option<&WireRequest> {
        self.wire.as_ref()
    }

    /// The HTTP request of the wire form against `endpoint` with
    /// `credential` in the header the spec names.
    pub(crate) fn request(
        &self,
        endpoint: &Endpoint,
        credential: Credential<'_>,
    ) -> Result<HttpRequest, Error> {
        let build = || -> Result<HttpRequest, BuildError> {
            let empty = WireRequest::new();
            let wire = self.wire.as_ref().unwrap_or(&empty);
            let credential = credential_header(self.meta, wire, credential)?;
            build_request(
                self.meta,
                endpoint,
                wire,
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
        let wire = self
            .wire
            .as_ref()
            .map(|wire| crate::redact::redact_wire(self.meta, wire));
        f.debug_struct("Prepared")
            .field("operation", &self.meta.id)
            .field("wire", &wire)
            .finish()
    }
}
