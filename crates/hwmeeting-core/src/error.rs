//! The error type of hwmeeting: one for the whole call, from building the
//! request to decoding the answer, shared by both transports.

use std::fmt;
use std::time::Duration;

/// A boxed error from a transport crate.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A transport's error kept as the source of ours: shared, so an [`Error`]
/// can be cloned (a failed login reaches every caller that waited on it),
/// and opaque, so no transport type appears in this crate's API.
pub type SharedSource = std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>;

/// Wraps a transport's error as a [`SharedSource`].
pub fn shared_source(error: impl Into<BoxError>) -> SharedSource {
    std::sync::Arc::from(error.into())
}

/// A request that cannot be built: the caller's input is wrong. Nothing was
/// sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A required parameter was not given.
    #[error("missing required parameter `{parameter}`: set it before sending")]
    Missing {
        /// Its wire name (with the path to it for nested fields).
        parameter: String,
    },
    /// A parameter the spec requires under a condition was not given.
    #[error("parameter `{parameter}` is required when `{condition}`")]
    RequiredIf {
        /// Its wire name.
        parameter: String,
        /// The condition, such as `applyChair = 1`.
        condition: String,
    },
    /// A parameter's value breaks the spec's rules.
    #[error("invalid parameter `{parameter}`: {reason}")]
    Invalid {
        /// Its wire name (with the path to it for nested fields).
        parameter: String,
        /// What is wrong, in words.
        reason: String,
    },
    /// The credential the operation needs is not available.
    #[error("missing credential: {0}")]
    Credential(String),
    /// The base URL cannot carry this request.
    #[error("invalid URL: {0}")]
    Url(String),
}

impl BuildError {
    /// The wire name of the parameter at fault, if one is.
    pub fn parameter(&self) -> Option<&str> {
        match self {
            BuildError::Missing { parameter }
            | BuildError::RequiredIf { parameter, .. }
            | BuildError::Invalid { parameter, .. } => Some(parameter),
            _ => None,
        }
    }
}

/// An error answer of the service: a 4xx or 5xx status.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    /// The service's error code (`MMC...`, `USG...`), from any of the key
    /// spellings `error_code`, `errorCode` or `code`.
    pub error_code: Option<String>,
    /// The service's message, from `error_msg`, `errorMsg` or `message`.
    pub error_msg: Option<String>,
    /// The request id: from the body, else from the `X-Request-Id` header.
    pub request_id: Option<String>,
    /// How long the service asked us to wait (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// The raw body, as text (lossy UTF-8), for support and logs; the
    /// values of fields the spec marks secret (tokens) are masked.
    pub body: String,
}

impl ApiError {
    /// Whether sending the same request again could succeed (429, 502, 503,
    /// 504). Whether the client does retry also depends on the operation.
    pub fn is_retryable(&self) -> bool {
        matches!(self.status, 429 | 502 | 503 | 504)
    }

    /// Whether the error says a token is missing, invalid or expired, so a
    /// fresh token may fix it.
    pub fn is_token_rejected(&self) -> bool {
        if self.status != 401 {
            return false;
        }
        let code = self.error_code.as_deref().unwrap_or("");
        let msg = self.error_msg.as_deref().unwrap_or("").to_ascii_lowercase();
        crate::codes::TOKEN_REJECTED.contains(&code) || msg.contains("token")
    }
}

impl std::error::Error for ApiError {}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(code) = &self.error_code {
            write!(f, " {code}")?;
        }
        if let Some(msg) = &self.error_msg {
            write!(f, ": {msg}")?;
        } else if self.body.trim().is_empty() {
            f.write_str(" with an empty body")?;
        } else if self.error_code.is_none() {
            f.write_str(" with a body that is not a service error (see the raw body)")?;
        }
        match &self.request_id {
            Some(id) => write!(f, " (request id {id})")?,
            None => f.write_str(" (no request id)")?,
        }
        if self.is_retryable() {
            f.write_str("; a retry may succeed")?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, " after {}s", wait.as_secs_f64())?;
        }
        Ok(())
    }
}

/// Which time limit ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Opening the connection (TCP and TLS).
    Connect,
    /// One attempt, from sending to the end of the answer.
    Attempt,
    /// The whole call, retries included.
    Total,
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "connect",
            TimeoutPhase::Attempt => "per-attempt",
            TimeoutPhase::Total => "total",
        })
    }
}

/// Why a call failed. Cheap to clone: transport sources are shared.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be built from the caller's input; nothing was
    /// sent.
    #[error("{operation}: {source}")]
    Build {
        /// The operation id.
        operation: &'static str,
        /// What is wrong.
        #[source]
        source: BuildError,
    },
    /// The service answered with an error status.
    #[error("{operation} failed: {source}")]
    Api {
        /// The operation id.
        operation: &'static str,
        /// The error answer (boxed: it is large, and errors travel in
        /// every `Result`).
        #[source]
        source: Box<ApiError>,
    },
    /// The service answered success, but the body is not what the spec says.
    #[error(
        "{operation}: the HTTP {status} answer could not be read: {message} (request id {})",
        request_id.as_deref().unwrap_or("none")
    )]
    Decode {
        /// The operation id.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The request id from the header, if any.
        request_id: Option<String>,
        /// What is wrong.
        message: String,
        /// The raw body (lossy UTF-8), the values of fields the spec marks
        /// secret (tokens) masked.
        body: String,
    },
    /// A time limit ran out.
    #[error("{operation}: the {phase} timeout of {}ms ran out; raise it or check the network", after.as_millis())]
    Timeout {
        /// The operation id.
        operation: &'static str,
        /// Which limit.
        phase: TimeoutPhase,
        /// The limit.
        after: Duration,
    },
    /// The connection could not be opened; the request never left.
    #[error("{operation}: could not connect to the service: {source}")]
    Connect {
        /// The operation id.
        operation: &'static str,
        /// The transport's error.
        #[source]
        source: SharedSource,
    },
    /// The connection failed after the request may have been sent.
    #[error("{operation}: the connection failed during the call: {source}")]
    Transport {
        /// The operation id.
        operation: &'static str,
        /// The transport's error.
        #[source]
        source: SharedSource,
    },
    /// The answer's body is larger than the configured limit.
    #[error(
        "{operation}: the HTTP {status} answer is larger than the limit of {limit} bytes (raise max_response_body_size if it is expected)"
    )]
    BodyTooLarge {
        /// The operation id.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The limit in bytes.
        limit: u64,
    },
    /// A meeting control call has no control token to carry: no handle is
    /// registered for the meeting, or its token can no longer be renewed.
    #[error("{operation}: no meeting control token for conference {conference_id}: {reason}")]
    NoControlToken {
        /// The operation id.
        operation: &'static str,
        /// The meeting the call is for.
        conference_id: String,
        /// Why there is none, and what to do.
        reason: String,
    },
    /// The token this call waited for was being obtained by another call
    /// that stopped before it finished (it panicked, or its task was
    /// dropped). Trying again starts a new fetch.
    #[error(
        "{operation}: the {token} token another call was obtaining was abandoned (that call panicked or was cancelled); try again"
    )]
    TokenFetchAbandoned {
        /// The operation id.
        operation: &'static str,
        /// Which token: `access` or `meeting control`.
        token: &'static str,
    },
    /// The client is not set up right (builder or environment).
    #[error("configuration: {0}")]
    Config(String),
}

impl Error {
    /// The operation id, when the error belongs to a call.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Build { operation, .. }
            | Error::Api { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Connect { operation, .. }
            | Error::Transport { operation, .. }
            | Error::BodyTooLarge { operation, .. }
            | Error::NoControlToken { operation, .. }
            | Error::TokenFetchAbandoned { operation, .. } => Some(operation),
            Error::Config(_) => None,
        }
    }

    /// The HTTP status, when an answer arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { source, .. } => Some(source.status),
            Error::Decode { status, .. } | Error::BodyTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The request id, when the service gave one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { source, .. } => source.request_id.as_deref(),
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The error answer, when the service gave one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api { source, .. } => Some(source),
            _ => None,
        }
    }

    /// Whether sending the same request again could succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { source, .. } => source.is_retryable(),
            Error::Timeout { .. }
            | Error::Connect { .. }
            | Error::Transport { .. }
            | Error::TokenFetchAbandoned { .. } => true,
            _ => false,
        }
    }

    /// Why the TLS handshake refused the server, when the connection
    /// failed because of it (a certificate that is not trusted or is for
    /// another host, or another TLS failure a retry cannot fix): the TLS
    /// library's words, for a message that says what to trust. `None` for
    /// any other error.
    pub fn tls_refusal(&self) -> Option<String> {
        crate::attempt::tls_refusal(self)
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }
}
