//! One call: the credential, the attempt loop with retries and time limits,
//! one renewal of a rejected token, decoding, and tracing.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use hwmeeting_core::meta::Auth;
use hwmeeting_core::response::{parse_retry_after, request_id_header};
use hwmeeting_core::retry::{Outcome, RetryDecision};
use hwmeeting_core::session;
use hwmeeting_core::{
    BuildError, Credential, Credentials, Error, Operation, Prepared, Reply, Secret, TimeoutPhase,
};
use tokio::time::Instant as Deadline;
use tracing::field::Empty;
use tracing::{Instrument, Span};

use crate::client::Client;
use crate::conference::ConferenceState;
use crate::transport::{AttemptError, RawResponse};

/// The credential of one call, owned for the length of the call.
enum Held {
    None,
    Password(Secret),
    AppKey(Secret),
    AccessToken {
        token: Secret,
        renewable: bool,
    },
    ControlToken {
        token: Secret,
        state: Arc<ConferenceState>,
    },
}

impl Held {
    fn credential(&self) -> Credential<'_> {
        match self {
            Held::None => Credential::None,
            Held::Password(p) => Credential::Password(p),
            Held::AppKey(k) => Credential::AppKey(k),
            Held::AccessToken { token, .. } => Credential::AccessToken(token),
            Held::ControlToken { token, .. } => Credential::ConferenceToken(token),
        }
    }

    /// Whether the token came from a cache of ours that can get a new one.
    fn renewable(&self) -> bool {
        match self {
            Held::AccessToken { renewable, .. } => *renewable,
            Held::ControlToken { state, .. } => state.can_renew(),
            _ => false,
        }
    }

    /// Drops the rejected token from its cache.
    fn invalidate(&self, client: &Client) {
        match self {
            Held::AccessToken { token, .. } => client.inner.access.invalidate_if(token),
            Held::ControlToken { token, state } => state.invalidate_if(token),
            _ => {}
        }
    }
}

/// Sends `op` with the credential its spec names, taking a control token
/// from `handle` (or from the client's registry when it is `None`).
pub(crate) async fn execute<O: Operation>(
    client: &Client,
    op: &O,
    handle: Option<&Arc<ConferenceState>>,
) -> Result<Reply<O::Output>, Error> {
    let meta = op.meta();
    let span = tracing::info_span!(
        "hwmeeting.call",
        operation = meta.id,
        method = meta.method,
        path = meta.path,
        attempt = Empty,
        status = Empty,
        request_id = Empty,
    );
    run(client, op, handle).instrument(span).await
}

async fn run<O: Operation>(
    client: &Client,
    op: &O,
    handle: Option<&Arc<ConferenceState>>,
) -> Result<Reply<O::Output>, Error> {
    let meta = op.meta();
    // Wrong input fails before any login or request; the checked form is
    // built once and each attempt is made from it.
    let prepared = op.prepare()?;
    let timeouts = client.inner.config.timeouts;
    let started = Instant::now();
    let deadline = Deadline::now() + timeouts.total;
    let total_timeout = || Error::Timeout {
        operation: meta.id,
        phase: TimeoutPhase::Total,
        after: timeouts.total,
    };
    let mut attempts = 0u32;
    let mut renewed = false;
    loop {
        let held = match tokio::time::timeout_at(deadline, credential(client, op, handle)).await {
            Ok(held) => held?,
            Err(_) => return Err(total_timeout()),
        };
        let response = attempt_loop(
            client,
            op,
            &prepared,
            held.credential(),
            deadline,
            &mut attempts,
        )
        .await?;
        let span = Span::current();
        span.record("status", response.status);
        let request_id = request_id_header(&response.headers);
        if let Some(id) = &request_id {
            span.record("request_id", id.as_str());
        }
        match op.decode(response.status, &response.headers, &response.body) {
            Ok(output) => {
                tracing::debug!(
                    attempts,
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "call succeeded"
                );
                if is_logout(meta) && held.renewable() {
                    // The token is revoked now: the next call logs in.
                    held.invalidate(client);
                }
                if let Held::AccessToken {
                    token,
                    renewable: true,
                } = &held
                    && let Some(fresh) = session::refreshed_access_token(
                        meta,
                        &output,
                        SystemTime::now(),
                        Instant::now(),
                    )
                {
                    // update_token extended the cached token: keep it longer.
                    client.inner.access.replace_if(token, fresh);
                }
                return Ok(Reply {
                    output,
                    status: response.status,
                    request_id,
                    attempts,
                    elapsed: started.elapsed(),
                });
            }
            Err(Error::Api { source, .. })
                if !renewed
                    && !is_logout(meta)
                    && source.is_token_rejected()
                    && held.renewable() =>
            {
                tracing::info!(
                    status = source.status,
                    error_code = source.error_code.as_deref().unwrap_or(""),
                    "the token was rejected; renewing it and trying once more"
                );
                renewed = true;
                held.invalidate(client);
            }
            Err(error) => {
                tracing::debug!(attempts, %error, "call failed");
                return Err(error);
            }
        }
    }
}

/// Whether the operation revokes the access token it carries
/// (`delete_token`): a logout is never renewed on a 401 (logging in again
/// only to log that token out would be pointless), and after it succeeds
/// the cached token is dropped.
fn is_logout(meta: &hwmeeting_core::OperationMeta) -> bool {
    meta.id == "delete_token"
}

/// The credential `op` needs, by its spec.
async fn credential<O: Operation>(
    client: &Client,
    op: &O,
    handle: Option<&Arc<ConferenceState>>,
) -> Result<Held, Error> {
    let meta = op.meta();
    match meta.auth {
        Auth::None => Ok(Held::None),
        Auth::Basic { .. } => match &client.inner.credentials {
            Some(Credentials::Account { password, .. }) => Ok(Held::Password(password.clone())),
            _ => Err(Error::Config(format!(
                "{} needs account credentials (Credentials::account(account, password), or HWMEETING_ACCOUNT + HWMEETING_PASSWORD)",
                meta.id
            ))),
        },
        Auth::AppSignature { .. } => match &client.inner.credentials {
            Some(Credentials::AppId(app)) => Ok(Held::AppKey(app.app_key.clone())),
            _ => Err(Error::Config(format!(
                "{} needs App ID credentials (Credentials::app_id(app_id, app_key), or HWMEETING_APP_ID + HWMEETING_APP_KEY)",
                meta.id
            ))),
        },
        Auth::AccessToken { .. } => {
            let (token, renewable) = client.access_credential().await?;
            Ok(Held::AccessToken { token, renewable })
        }
        Auth::ConferenceToken { .. } => {
            let state = match handle {
                Some(state) => Arc::clone(state),
                None => {
                    let id = op.target_conference_id().ok_or_else(|| Error::Build {
                        operation: meta.id,
                        source: BuildError::Missing {
                            parameter: meta
                                .conference_id_param()
                                .map_or("conferenceID", |p| p.name)
                                .to_owned(),
                        },
                    })?;
                    client.registered(id).ok_or_else(|| {
                        Error::Config(format!(
                            "no meeting control token for conference {id}: call client.conference(id, host_password) or client.conference_with_token(id, token) first"
                        ))
                    })?
                }
            };
            let token = state.control_token(client).await?;
            Ok(Held::ControlToken { token, state })
        }
    }
}

/// How a failed attempt is reported if it is the last one.
enum Failure {
    /// An error status: decoded by the caller into [`Error::Api`].
    Answer(RawResponse),
    Error(Error),
}

/// Sends `op` until an answer that is not retried, a final error, or the
/// deadline.
async fn attempt_loop<O: Operation>(
    client: &Client,
    op: &O,
    prepared: &Prepared,
    credential: Credential<'_>,
    deadline: Deadline,
    attempts: &mut u32,
) -> Result<RawResponse, Error> {
    let inner = &client.inner;
    let meta = op.meta();
    let operation = meta.id;
    let timeouts = inner.config.timeouts;
    let policy = &inner.config.retry;
    let span = Span::current();
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        *attempts += 1;
        span.record("attempt", *attempts);
        let request = op.attempt_request(prepared, &inner.endpoint, credential)?;
        let remaining = deadline.saturating_duration_since(Deadline::now());
        if remaining.is_zero() {
            return Err(Error::Timeout {
                operation,
                phase: TimeoutPhase::Total,
                after: timeouts.total,
            });
        }
        let bounded_by_total = remaining <= timeouts.attempt;
        let limit = remaining.min(timeouts.attempt);
        let (outcome, failure) =
            match tokio::time::timeout(limit, inner.transport.attempt(request)).await {
                Ok(Ok(response)) => {
                    let status = response.status;
                    if (200..300).contains(&status) {
                        return Ok(response);
                    }
                    let retry_after = response
                        .headers
                        .get(http::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, SystemTime::now()));
                    (
                        Outcome::Status {
                            status,
                            retry_after,
                        },
                        Failure::Answer(response),
                    )
                }
                Ok(Err(AttemptError::Invalid(source))) => {
                    return Err(Error::Build {
                        operation,
                        source: BuildError::Url(source.to_string()),
                    });
                }
                Ok(Err(AttemptError::Tls(source))) => {
                    // A certificate that is not trusted stays so: final.
                    return Err(Error::Connect { operation, source });
                }
                Ok(Err(AttemptError::BodyTooLarge { status, limit })) => {
                    return Err(Error::BodyTooLarge {
                        operation,
                        status,
                        limit,
                    });
                }
                Ok(Err(AttemptError::Connect(source))) => (
                    Outcome::ConnectFailed,
                    Failure::Error(Error::Connect { operation, source }),
                ),
                Ok(Err(AttemptError::ConnectTimeout)) => (
                    Outcome::ConnectFailed,
                    Failure::Error(Error::Timeout {
                        operation,
                        phase: TimeoutPhase::Connect,
                        after: timeouts.connect,
                    }),
                ),
                Ok(Err(AttemptError::Transport(source))) => (
                    Outcome::SentThenFailed,
                    Failure::Error(Error::Transport { operation, source }),
                ),
                Err(_elapsed) if bounded_by_total => {
                    return Err(Error::Timeout {
                        operation,
                        phase: TimeoutPhase::Total,
                        after: timeouts.total,
                    });
                }
                Err(_elapsed) => (
                    Outcome::Timeout,
                    Failure::Error(Error::Timeout {
                        operation,
                        phase: TimeoutPhase::Attempt,
                        after: timeouts.attempt,
                    }),
                ),
            };
        let decision = policy.decide(meta.idempotent, attempt, &outcome, rand::random::<f64>());
        let last = || match failure {
            Failure::Answer(response) => Ok(response),
            Failure::Error(error) => Err(error),
        };
        let wait = match decision {
            RetryDecision::GiveUp => return last(),
            RetryDecision::RetryAfter(wait) => wait,
        };
        if Deadline::now() + wait >= deadline {
            tracing::debug!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                "no time left for another attempt within the total timeout"
            );
            return last();
        }
        tracing::warn!(
            attempt,
            wait_ms = wait.as_millis() as u64,
            reason = describe(&outcome),
            "attempt failed; retrying"
        );
        tokio::time::sleep(wait).await;
    }
}

fn describe(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::ConnectFailed => "connection could not be opened",
        Outcome::SentThenFailed => "connection failed after sending",
        Outcome::Timeout => "attempt timed out",
        Outcome::Status { status: 429, .. } => "HTTP 429",
        Outcome::Status { status: 502, .. } => "HTTP 502",
        Outcome::Status { status: 503, .. } => "HTTP 503",
        Outcome::Status { status: 504, .. } => "HTTP 504",
        Outcome::Status { .. } => "HTTP error status",
    }
}
