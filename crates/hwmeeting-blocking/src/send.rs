//! How a call is made: the credential, the attempts and the waits between
//! them, the renewal of a rejected token, and the tracing span.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use hwmeeting_core::meta::Auth;
use hwmeeting_core::response::{parse_retry_after, request_id_header};
use hwmeeting_core::retry::{Outcome, RetryDecision};
use hwmeeting_core::session::{self, Login};
use hwmeeting_core::token::CachedToken;
use hwmeeting_core::{
    Credential, Credentials, Error, Operation, Prepared, Reply, Secret, TimeoutPhase,
};
use tracing::field::Empty;

use crate::client::Client;
use crate::conference::ConferenceState;
use crate::transport::AttemptError;

/// The credential a call is sent with, owned for the length of the call.
enum Cred {
    None,
    Password(Secret),
    AppKey(Secret),
    /// An access token; `cached` when it came from our login (so it can be
    /// renewed).
    Access {
        token: Secret,
        cached: bool,
    },
    /// A meeting control token and the handle it came from.
    Control {
        token: Secret,
        state: Arc<ConferenceState>,
    },
}

impl Cred {
    fn as_credential(&self) -> Credential<'_> {
        match self {
            Cred::None => Credential::None,
            Cred::Password(p) => Credential::Password(p),
            Cred::AppKey(k) => Credential::AppKey(k),
            Cred::Access { token, .. } => Credential::AccessToken(token),
            Cred::Control { token, .. } => Credential::ConferenceToken(token),
        }
    }
}

impl Client {
    /// Sends `op`; `conference` is the handle it goes through, if any.
    pub(crate) fn execute_in<O: Operation>(
        &self,
        op: O,
        conference: Option<&Arc<ConferenceState>>,
    ) -> Result<Reply<O::Output>, Error> {
        let meta = op.meta();
        let span = call_span(meta);
        let _entered = span.enter();
        let started = Instant::now();
        // Wrong input fails before anything is sent: no login, no control
        // token for a request that cannot be built.
        let prepared = op.prepare()?;
        let cred = self.credential_for(&op, conference)?;
        self.run(&op, &prepared, cred, started, &span)
    }

    /// The attempts of one call, and one more round with a fresh token if
    /// the service rejects a token we can renew.
    fn run<O: Operation>(
        &self,
        op: &O,
        prepared: &Prepared,
        mut cred: Cred,
        started: Instant,
        span: &tracing::Span,
    ) -> Result<Reply<O::Output>, Error> {
        let deadline = started + self.inner.total_timeout;
        let mut attempts = 0u32;
        let mut renewed = false;
        loop {
            match self.attempts(op, prepared, &cred, deadline, &mut attempts, span) {
                Ok((output, status, request_id)) => {
                    if is_logout(op.meta())
                        && let Cred::Access {
                            token,
                            cached: true,
                        } = &cred
                    {
                        // The token is revoked now: the next call logs in.
                        self.inner.access.invalidate_if(token);
                    }
                    if let Cred::Access {
                        token,
                        cached: true,
                    } = &cred
                        && let Some(fresh) = session::refreshed_access_token(
                            op.meta(),
                            &output,
                            SystemTime::now(),
                            Instant::now(),
                        )
                    {
                        // update_token extended the cached token: keep it
                        // longer.
                        self.inner.access.replace_if(token, fresh);
                    }
                    return Ok(Reply {
                        output,
                        status,
                        request_id,
                        attempts,
                        elapsed: started.elapsed(),
                    });
                }
                // A logout is never renewed: logging in again only to log
                // that new token out would be pointless.
                Err(error) if !renewed && !is_logout(op.meta()) && token_rejected(&error) => {
                    match self.renew_rejected(&cred)? {
                        Some(fresh) => {
                            tracing::debug!(
                                operation = op.meta().id,
                                "the service rejected the token; trying once more with a new one"
                            );
                            cred = fresh;
                            renewed = true;
                        }
                        None => return Err(error),
                    }
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// A fresh credential after `cred` was rejected, or `None` when it
    /// cannot be renewed.
    fn renew_rejected(&self, cred: &Cred) -> Result<Option<Cred>, Error> {
        Ok(match cred {
            Cred::Access {
                token,
                cached: true,
            } => {
                self.inner.access.invalidate_if(token);
                Some(Cred::Access {
                    token: self.access_token()?,
                    cached: true,
                })
            }
            Cred::Control { token, state } if state.can_renew() => {
                state.token.invalidate_if(token);
                Some(Cred::Control {
                    token: self.control_token(state)?,
                    state: state.clone(),
                })
            }
            _ => None,
        })
    }

    /// Attempts until success, a failure that is not retried, or the end of
    /// the time allowed. Returns the output, status and request id.
    fn attempts<O: Operation>(
        &self,
        op: &O,
        prepared: &Prepared,
        cred: &Cred,
        deadline: Instant,
        attempts: &mut u32,
        span: &tracing::Span,
    ) -> Result<(O::Output, u16, Option<String>), Error> {
        let meta = op.meta();
        let inner = &self.inner;
        let mut attempt = 0u32;
        loop {
            // Building fails on bad input before anything is sent.
            let request = op
                .attempt_request(prepared, &inner.endpoint, cred.as_credential())?
                .into_http()
                .map_err(|source| Error::Build {
                    operation: meta.id,
                    source,
                })?;
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(Error::Timeout {
                    operation: meta.id,
                    phase: TimeoutPhase::Total,
                    after: inner.total_timeout,
                });
            }
            attempt += 1;
            *attempts += 1;
            span.record("attempt", attempt);
            let (limit, cut_by_total) = if remaining < inner.attempt_timeout {
                (remaining, true)
            } else {
                (inner.attempt_timeout, false)
            };
            let result = inner.transport.attempt(request, limit, inner.max_body);
            let (error, outcome) = match result {
                Ok(answer) => {
                    let request_id = request_id_header(&answer.headers);
                    span.record("status", answer.status);
                    if let Some(id) = &request_id {
                        span.record("request_id", id.as_str());
                    }
                    if (200..300).contains(&answer.status) {
                        let output = op.decode(answer.status, &answer.headers, &answer.body)?;
                        return Ok((output, answer.status, request_id));
                    }
                    let retry_after = answer
                        .headers
                        .get(http::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, SystemTime::now()));
                    let error = match op.decode(answer.status, &answer.headers, &answer.body) {
                        Err(error) => error,
                        // A decoder that accepts an error status: take it.
                        Ok(output) => return Ok((output, answer.status, request_id)),
                    };
                    let outcome = Outcome::Status {
                        status: answer.status,
                        retry_after,
                    };
                    (error, Some(outcome))
                }
                Err(failure) => self.attempt_error(meta.id, failure, cut_by_total),
            };
            let decision = match &outcome {
                Some(outcome) => {
                    inner
                        .retry
                        .decide(meta.idempotent, attempt, outcome, rand::random::<f64>())
                }
                None => RetryDecision::GiveUp,
            };
            let wait = match decision {
                RetryDecision::GiveUp => return Err(error),
                RetryDecision::RetryAfter(wait) => wait,
            };
            if Instant::now() + wait >= deadline {
                tracing::debug!(
                    operation = meta.id,
                    attempt,
                    "not retrying: the wait would pass the total time limit"
                );
                return Err(error);
            }
            tracing::debug!(
                operation = meta.id,
                attempt,
                wait_ms = wait.as_millis() as u64,
                error = %error,
                "attempt failed; retrying"
            );
            std::thread::sleep(wait);
        }
    }

    /// The error to report for a failed attempt, and how it counts for the
    /// retry rules (`None`: never retried).
    fn attempt_error(
        &self,
        operation: &'static str,
        failure: AttemptError,
        cut_by_total: bool,
    ) -> (Error, Option<Outcome>) {
        let inner = &self.inner;
        match failure {
            AttemptError::Connect(source) => (
                Error::Connect { operation, source },
                Some(Outcome::ConnectFailed),
            ),
            AttemptError::ConnectFinal(source) => (Error::Connect { operation, source }, None),
            AttemptError::Sent(source) => (
                Error::Transport { operation, source },
                Some(Outcome::SentThenFailed),
            ),
            AttemptError::ConnectTimeout => (
                Error::Timeout {
                    operation,
                    phase: TimeoutPhase::Connect,
                    after: inner.connect_timeout,
                },
                // The request never left: as safe to retry as a refusal.
                Some(Outcome::ConnectFailed),
            ),
            AttemptError::AttemptTimeout if cut_by_total => (
                Error::Timeout {
                    operation,
                    phase: TimeoutPhase::Total,
                    after: inner.total_timeout,
                },
                None,
            ),
            AttemptError::AttemptTimeout => (
                Error::Timeout {
                    operation,
                    phase: TimeoutPhase::Attempt,
                    after: inner.attempt_timeout,
                },
                Some(Outcome::Timeout),
            ),
            AttemptError::BodyTooLarge { status } => (
                Error::BodyTooLarge {
                    operation,
                    status,
                    limit: inner.max_body,
                },
                None,
            ),
        }
    }

    /// The credential `op` needs, from the client's credentials, its token
    /// cache or a meeting handle.
    fn credential_for<O: Operation>(
        &self,
        op: &O,
        conference: Option<&Arc<ConferenceState>>,
    ) -> Result<Cred, Error> {
        let meta = op.meta();
        let credentials = self.inner.credentials.as_ref();
        Ok(match meta.auth {
            Auth::None => Cred::None,
            Auth::Basic { .. } => match credentials {
                Some(Credentials::Account { password, .. }) => Cred::Password(password.clone()),
                _ => {
                    return Err(Error::Config(format!(
                        "{} logs in with an account password: set account credentials (Credentials::account, or HWMEETING_ACCOUNT + HWMEETING_PASSWORD)",
                        meta.id
                    )));
                }
            },
            Auth::AppSignature { .. } => match credentials {
                Some(Credentials::AppId(app)) => Cred::AppKey(app.app_key.clone()),
                _ => {
                    return Err(Error::Config(format!(
                        "{} is signed with an app key: set App ID credentials (Credentials::app_id, or HWMEETING_APP_ID + HWMEETING_APP_KEY)",
                        meta.id
                    )));
                }
            },
            Auth::AccessToken { .. } => Cred::Access {
                token: self.access_token()?,
                cached: !matches!(credentials, Some(Credentials::AccessToken(_))),
            },
            Auth::ConferenceToken { .. } => {
                let state = match conference {
                    Some(state) => state.clone(),
                    None => self.registered_conference(op)?,
                };
                Cred::Control {
                    token: self.control_token(&state)?,
                    state,
                }
            }
        })
    }

    /// The handle registered for the conference id `op` names.
    fn registered_conference<O: Operation>(&self, op: &O) -> Result<Arc<ConferenceState>, Error> {
        let Some(id) = op.target_conference_id() else {
            // Let the validator name the missing parameter.
            op.validate()?;
            return Err(Error::Config(format!(
                "{}: the request names no conference: send it through a meeting handle (client.conference(id, host_password))",
                op.meta().id
            )));
        };
        self.inner.conferences().get(id).cloned().ok_or_else(|| {
            Error::Config(format!(
                "no meeting control token for conference {id}: call client.conference(id, host_password) or client.conference_with_token(id, token) first"
            ))
        })
    }

    /// Logs in with the client's credentials (App ID or account). Every
    /// attempt is signed afresh ([`Login`]), so a retry never replays a nonce.
    pub(crate) fn login(&self) -> Result<CachedToken, Error> {
        let credentials = self.inner.credentials.as_ref().ok_or_else(|| {
            Error::Config("no credentials to log in with: set App ID or account credentials".into())
        })?;
        let cred = match credentials {
            Credentials::AppId(app) => Cred::AppKey(app.app_key.clone()),
            Credentials::Account { password, .. } => Cred::Password(password.clone()),
            _ => {
                return Err(Error::Config(
                    "these credentials cannot log in: set App ID or account credentials".into(),
                ));
            }
        };
        let login = Login::new(credentials.clone(), rand::random::<[u8; 16]>).ok_or_else(|| {
            Error::Config(
                "these credentials cannot log in: set App ID or account credentials".into(),
            )
        })?;
        let reply = self.login_call(login, cred, Instant::now())?;
        Ok(reply.output.into_cached(SystemTime::now(), Instant::now()))
    }

    fn login_call<O: Operation>(
        &self,
        op: O,
        cred: Cred,
        started: Instant,
    ) -> Result<Reply<O::Output>, Error> {
        let meta = op.meta();
        let span = call_span(meta);
        let _entered = span.enter();
        let prepared = op.prepare()?;
        self.run(&op, &prepared, cred, started, &span)
    }

    /// The control token of a meeting handle, obtaining or renewing it.
    pub(crate) fn control_token(&self, state: &Arc<ConferenceState>) -> Result<Secret, Error> {
        state
            .token
            .get(|stale| self.obtain_control_token(state, stale))
    }

    /// Runs `create_conf_token`: with the live token in
    /// `X-Conference-Authorization` when there is one, falling back to the
    /// host password alone if that is rejected.
    fn obtain_control_token(
        &self,
        state: &ConferenceState,
        stale: Option<CachedToken>,
    ) -> Result<CachedToken, Error> {
        let Some(password) = &state.host_password else {
            return Err(Error::Config(format!(
                "the meeting control token of conference {} is no longer valid and no host password is known to renew it: use client.conference(id, host_password)",
                state.id
            )));
        };
        let live = stale
            .filter(|t| Instant::now() < t.expires_at)
            .map(|t| t.token);
        let attempt = |live: Option<&Secret>| {
            let request = session::conference_token_request(&state.id, password, live);
            let meta = request.meta();
            let span = call_span(meta);
            let _entered = span.enter();
            let prepared = request.prepare()?;
            self.run(&request, &prepared, Cred::None, Instant::now(), &span)
        };
        let reply = match live {
            Some(live) => match attempt(Some(&live)) {
                Err(Error::Api { source, .. })
                    if (400..500).contains(&source.status) && source.status != 429 =>
                {
                    tracing::debug!(
                        conference = %state.id,
                        status = source.status,
                        "renewing with the live control token was refused; using the host password alone"
                    );
                    attempt(None)?
                }
                other => other?,
            },
            None => attempt(None)?,
        };
        Ok(session::conference_token_from(
            reply.output,
            SystemTime::now(),
            Instant::now(),
        ))
    }
}

/// Whether the operation revokes the access token it carries
/// (`delete_token`): it is not retried with a fresh token on a 401, and
/// after it succeeds the cached token is dropped.
fn is_logout(meta: &hwmeeting_core::OperationMeta) -> bool {
    meta.id == "delete_token"
}

/// Whether the service rejected the token the call carried.
fn token_rejected(error: &Error) -> bool {
    error.api_error().is_some_and(|api| api.is_token_rejected())
}

/// The span of one call: what is called and how it went, never a secret,
/// a query value or a header.
fn call_span(meta: &hwmeeting_core::OperationMeta) -> tracing::Span {
    tracing::info_span!(
        "hwmeeting.call",
        operation = meta.id,
        method = meta.method,
        path = meta.path,
        attempt = Empty,
        status = Empty,
        request_id = Empty,
    )
}
