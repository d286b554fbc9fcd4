//! The call engine: every decision of a call, written once and sans-IO.
//!
//! A transport crate drives a [`Call`]: it asks [`Call::step`] what to do
//! ([`Step`]), does it (obtain a token, send a request, sleep), and reports
//! back ([`Call::credential`], [`Call::answer`], [`Call::failed`]). The
//! engine chooses the credential, builds each attempt, classifies each
//! outcome, decides whether to retry after a wait, renew a rejected token
//! and go again, or give up with which error, keeps the deadline, and
//! records the tracing span. The blocking and async clients differ only in
//! how they do the I/O and the waiting.
//!
//! What the clones of a client share (the configuration, the access-token
//! cache and the registry of meeting handles) is a [`Session`]; one meeting
//! handle's state is a [`Meeting`].

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use tracing::Span;
use tracing::field::Empty;

use crate::attempt::{self, AttemptFailure, Limits};
use crate::auth::{Credential, Credentials};
use crate::config::{Config, Timeouts};
use crate::endpoint::Endpoint;
use crate::error::{BuildError, Error, TimeoutPhase};
use crate::meta::{Auth, OperationMeta, SessionRole};
use crate::operation::{AnyOutput, Dispatch, Operation, Prepared, Reply};
use crate::request::HttpRequest;
use crate::response::{parse_retry_after, request_id_header};
use crate::retry::{Outcome, RetryDecision, RetryPolicy};
use crate::secret::Secret;
use crate::session::{self, ControlTokenAnswer, ControlTokenRequest, Login, SessionOperations};
use crate::token::{CONFERENCE_TOKEN_LIFETIME, CachedToken};
use crate::token_cell::{TokenCell, Wake};

/// What the clones of one client share, whatever the transport: the
/// settings, the access-token cache and the registry of meeting handles.
pub struct Session<W> {
    endpoint: Endpoint,
    credentials: Option<Credentials>,
    timeouts: Timeouts,
    retry: RetryPolicy,
    max_body: u64,
    operations: SessionOperations,
    access: TokenCell<W>,
    meetings: Mutex<HashMap<String, Arc<Meeting<W>>>>,
}

/// Where a call's access token comes from.
pub enum AccessSource<'a, W> {
    /// A token the caller gave ([`Credentials::AccessToken`]): used as it
    /// is until the service rejects it.
    Given(&'a Secret),
    /// The session's cache, filled by a login: take it with the cell's
    /// single-flight protocol, fetching with [`Session::login`].
    Cached(&'a TokenCell<W>),
}

impl<W: Wake> Session<W> {
    /// A session with the settings of `config` (already checked by the
    /// builder), making its logins and control-token calls with the
    /// operations of `table` (the generated operation table).
    pub fn new(config: &Config, table: &[&'static OperationMeta]) -> Result<Self, Error> {
        Ok(Session {
            operations: SessionOperations::find(table)?,
            endpoint: config.endpoint.clone(),
            credentials: config.credentials.clone(),
            timeouts: config.timeouts,
            retry: config.retry.clone(),
            max_body: config.max_response_body_size,
            access: TokenCell::new("access"),
            meetings: Mutex::new(HashMap::new()),
        })
    }

    /// Where requests go.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The time limits.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The largest answer body accepted.
    pub fn max_body(&self) -> u64 {
        self.max_body
    }

    /// Where the access token comes from; an error when the client has no
    /// credentials.
    pub fn access_source(&self) -> Result<AccessSource<'_, W>, Error> {
        match &self.credentials {
            Some(Credentials::AccessToken(token)) => Ok(AccessSource::Given(token)),
            Some(_) => Ok(AccessSource::Cached(&self.access)),
            None => Err(Error::Config(NO_CREDENTIALS.into())),
        }
    }

    /// The login call of the client's credentials, signed afresh on every
    /// attempt; its answer becomes the cached token with
    /// [`LoginAnswer::into_cached`](crate::session::LoginAnswer::into_cached).
    pub fn login(&self) -> Result<Login, Error> {
        self.credentials
            .clone()
            .and_then(|c| Login::new(c, crate::random::bytes16, &self.operations))
            .ok_or_else(|| {
                Error::Config(
                    "logging in needs App ID or account credentials (Credentials::app_id or Credentials::account)".into(),
                )
            })
    }

    /// The operation id of the login, for errors about it.
    pub fn login_operation(&self) -> &'static str {
        match &self.credentials {
            Some(credentials) => self.operations.login(credentials).id,
            None => "login",
        }
    }

    /// The operation id of the control-token call, for errors about it.
    pub fn control_token_operation(&self) -> &'static str {
        self.operations.control_token().id
    }

    /// Drops the cached access token: the next call that needs one logs in.
    pub fn invalidate_access_token(&self) {
        self.access.invalidate();
    }

    /// Registers a handle on a meeting whose control token is obtained
    /// with the host password; it replaces an earlier one.
    pub fn meeting_with_password(&self, id: String, host_password: Secret) -> Arc<Meeting<W>> {
        let meeting = Arc::new(Meeting {
            id,
            host_password: Some(host_password),
            token: TokenCell::new("meeting control"),
            ws_url: Arc::default(),
        });
        self.register(meeting)
    }

    /// Registers a handle on a meeting with a control token the caller
    /// has. If a handle with the host password was registered before, the
    /// token is renewed like that handle's; otherwise it is used until the
    /// service rejects it.
    pub fn meeting_with_token(&self, id: String, token: Secret) -> Arc<Meeting<W>> {
        let host_password = self
            .registry()
            .get(&id)
            .and_then(|m| m.host_password.clone());
        let now = Instant::now();
        let cached = if host_password.is_some() {
            // Issued some time before now: assume a whole lifetime at most;
            // a rejection renews it earlier.
            CachedToken::new(token, CONFERENCE_TOKEN_LIFETIME, now)
        } else {
            // Nothing can renew it: it is used until it is rejected.
            CachedToken::new(token, Duration::from_secs(100 * 365 * 24 * 3600), now)
        };
        let meeting = Arc::new(Meeting {
            id,
            host_password,
            token: TokenCell::with_token("meeting control", cached),
            ws_url: Arc::default(),
        });
        self.register(meeting)
    }

    /// Removes a meeting's registered handle; whether there was one.
    pub fn forget_meeting(&self, id: &str) -> bool {
        self.registry().remove(id).is_some()
    }

    fn register(&self, meeting: Arc<Meeting<W>>) -> Arc<Meeting<W>> {
        self.registry()
            .insert(meeting.id.clone(), Arc::clone(&meeting));
        meeting
    }

    fn registry(&self) -> MutexGuard<'_, HashMap<String, Arc<Meeting<W>>>> {
        self.meetings.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<W> fmt::Debug for Session<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("endpoint", &self.endpoint.as_str())
            .field("credentials", &self.credentials)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("max_response_body_size", &self.max_body)
            .finish_non_exhaustive()
    }
}

const NO_CREDENTIALS: &str = "no credentials: set App ID credentials (Credentials::app_id, or HWMEETING_APP_ID + HWMEETING_APP_KEY), account credentials (Credentials::account, or HWMEETING_ACCOUNT + HWMEETING_PASSWORD) or an access token (Credentials::access_token, or HWMEETING_ACCESS_TOKEN)";

/// The state of one meeting handle: its id, the host password when known,
/// and its control token.
pub struct Meeting<W> {
    id: String,
    host_password: Option<Secret>,
    token: TokenCell<W>,
    /// The `wsURL` of the last control-token answer (shared with the
    /// renewals, which fill it in).
    ws_url: Arc<Mutex<Option<String>>>,
}

impl<W: Wake> Meeting<W> {
    /// The meeting id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether a new control token can be obtained (the host password is
    /// known).
    pub fn can_renew(&self) -> bool {
        self.host_password.is_some()
    }

    /// The control-token cache.
    pub fn token(&self) -> &TokenCell<W> {
        &self.token
    }

    /// The `wsURL` (where the meeting control WebSocket is) of the last
    /// control-token answer, if one gave it.
    pub fn ws_url(&self) -> Option<String> {
        self.ws_url
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The steps that obtain a new control token, given the one being
    /// replaced; an error when no host password is known to obtain one.
    pub fn renewal(
        &self,
        session: &Session<W>,
        stale: Option<CachedToken>,
    ) -> Result<ControlTokenRenewal, Error> {
        let Some(password) = &self.host_password else {
            return Err(Error::NoControlToken {
                operation: session.control_token_operation(),
                conference_id: self.id.clone(),
                reason: "the token given with conference_with_token can no longer be used and no host password is known to obtain a new one: use conference(id, host_password)".into(),
            });
        };
        let live = stale
            .filter(|t| Instant::now() < t.expires_at)
            .map(|t| t.token);
        Ok(ControlTokenRenewal {
            operations: session.operations,
            conference_id: self.id.clone(),
            password: password.clone(),
            live,
            ws_url: Arc::clone(&self.ws_url),
        })
    }
}

impl<W> fmt::Debug for Meeting<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Meeting")
            .field("id", &self.id)
            .field("host_password", &self.host_password)
            .field("token", &self.token)
            .finish()
    }
}

/// Obtaining a meeting control token: with the live token in
/// `X-Conference-Authorization` while it has not expired (the service
/// extends it), and, if that is refused, with the host password alone.
#[derive(Debug)]
pub struct ControlTokenRenewal {
    operations: SessionOperations,
    conference_id: String,
    password: Secret,
    live: Option<Secret>,
    ws_url: Arc<Mutex<Option<String>>>,
}

/// What to do after a `create_conf_token` call of a renewal.
#[derive(Debug)]
pub enum RenewalStep {
    /// The renewal is over: the token to cache, or the error.
    Done(Result<CachedToken, Error>),
    /// Send [`ControlTokenRenewal::request`] again (now without the live
    /// token).
    Again,
}

impl ControlTokenRenewal {
    /// The `create_conf_token` call of this step.
    pub fn request(&self) -> ControlTokenRequest {
        ControlTokenRequest::new(
            &self.operations,
            &self.conference_id,
            &self.password,
            self.live.as_ref(),
        )
    }

    /// Takes the answer of [`request`](Self::request).
    pub fn answer(&mut self, result: Result<Reply<ControlTokenAnswer>, Error>) -> RenewalStep {
        match result {
            Ok(reply) => {
                if let Some(url) = &reply.output.data.ws_url {
                    *self.ws_url.lock().unwrap_or_else(|e| e.into_inner()) = Some(url.clone());
                }
                RenewalStep::Done(Ok(reply
                    .output
                    .into_cached(SystemTime::now(), Instant::now())))
            }
            Err(Error::Api { source, .. })
                if self.live.is_some()
                    && (400..500).contains(&source.status)
                    && source.status != 429 =>
            {
                tracing::debug!(
                    conference_id = %self.conference_id,
                    status = source.status,
                    "renewing the control token with the live one was refused; using the host password alone"
                );
                self.live = None;
                RenewalStep::Again
            }
            Err(error) => RenewalStep::Done(Err(error)),
        }
    }
}

/// An answer a transport read in full (any status).
#[derive(Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The headers.
    pub headers: http::HeaderMap,
    /// The whole body (within the size limit).
    pub body: Vec<u8>,
}

/// The credential of one call, owned for the length of the call.
enum Held {
    /// Not obtained yet (or dropped after a rejection).
    Pending,
    None,
    Password(Secret),
    AppKey(Secret),
    AccessToken {
        token: Secret,
        /// Whether it came from our login (so it can be renewed).
        renewable: bool,
    },
    ControlToken {
        token: Secret,
    },
}

impl Held {
    fn credential(&self) -> Credential<'_> {
        match self {
            Held::Password(p) => Credential::Password(p),
            Held::AppKey(k) => Credential::AppKey(k),
            Held::AccessToken { token, .. } => Credential::AccessToken(token),
            Held::ControlToken { token } => Credential::ConferenceToken(token),
            Held::Pending | Held::None => Credential::None,
        }
    }
}

/// What the driver of a [`Call`] does next.
pub enum Step<W> {
    /// Obtain the access token from [`Session::access_source`] (a cached
    /// one, or through the single-flight login) and pass the result to
    /// [`Call::credential`].
    AccessToken,
    /// Obtain this meeting's control token (its cell's single-flight
    /// protocol, fetching with [`Meeting::renewal`]) and pass the result to
    /// [`Call::credential`].
    ControlToken(Arc<Meeting<W>>),
    /// Send the request, reading the whole answer within `timeout`, and
    /// report with [`Call::answer`] or [`Call::failed`].
    Send {
        /// The request of this attempt.
        request: HttpRequest,
        /// The time limit of this attempt, from opening the connection to
        /// the end of the body.
        timeout: Duration,
    },
    /// Sleep this long, then ask [`Call::step`] again.
    Wait(Duration),
    /// The call is over: the answer has the operation's own type, boxed
    /// ([`Reply::downcast`] gives it back).
    Done(Result<Reply<AnyOutput>, Error>),
}

/// One call of an operation, from the first check to the last answer.
///
/// The operation is taken as a [`Dispatch`] so that the engine is
/// compiled once, not once per operation.
pub struct Call<'a, W> {
    session: &'a Session<W>,
    op: &'a dyn Dispatch,
    meta: &'static OperationMeta,
    prepared: Option<Prepared>,
    meeting: Option<Arc<Meeting<W>>>,
    held: Held,
    started: Instant,
    deadline: Instant,
    /// Attempts in all.
    attempts: u32,
    /// Attempts with the current credential (what the retry rules count).
    round: u32,
    renewed: bool,
    cut_by_total: bool,
    pending: Option<Step<W>>,
    span: Span,
}

impl<'a, W: Wake> Call<'a, W> {
    /// Starts a call of `op`, sent through the meeting handle `meeting`
    /// (or, for a meeting control call, the handle registered for the
    /// meeting it names). Wrong input fails here, before any login or
    /// request: [`step`](Self::step) then says `Done` with the error.
    pub fn new(
        session: &'a Session<W>,
        op: &'a dyn Dispatch,
        meeting: Option<&Arc<Meeting<W>>>,
    ) -> Self {
        let meta = op.operation_meta();
        let started = Instant::now();
        let span = tracing::info_span!(
            "hwmeeting.call",
            operation = meta.id,
            method = meta.method,
            path = meta.path,
            attempt = Empty,
            status = Empty,
            request_id = Empty,
        );
        let mut call = Call {
            session,
            op,
            meta,
            prepared: None,
            meeting: meeting.cloned(),
            held: Held::Pending,
            started,
            deadline: started + session.timeouts.total,
            attempts: 0,
            round: 0,
            renewed: false,
            cut_by_total: false,
            pending: None,
            span,
        };
        let start = op
            .prepare_call()
            .and_then(|prepared| Ok((prepared, call.initial_credential()?)));
        match start {
            Ok((prepared, held)) => {
                call.prepared = Some(prepared);
                call.held = held;
            }
            Err(error) => call.pending = Some(Step::Done(Err(error))),
        }
        call
    }

    /// The call's tracing span: drivers run the call inside it (a clone
    /// of it, entered or instrumenting the call's future).
    pub fn span(&self) -> &Span {
        &self.span
    }

    /// When the whole call must be over.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// The error of a call whose total time limit ran out (for a driver
    /// that bounds the wait for a token by [`deadline`](Self::deadline)).
    pub fn total_timeout(&self) -> Error {
        Error::Timeout {
            operation: self.meta.id,
            phase: TimeoutPhase::Total,
            after: self.session.timeouts.total,
        }
    }

    /// What to do next.
    pub fn step(&mut self) -> Step<W> {
        if let Some(step) = self.pending.take() {
            return step;
        }
        if matches!(self.held, Held::Pending) {
            return match &self.meta.auth {
                Auth::ConferenceToken { .. } => match &self.meeting {
                    Some(meeting) => Step::ControlToken(Arc::clone(meeting)),
                    None => Step::Done(Err(Error::NoControlToken {
                        operation: self.meta.id,
                        conference_id: String::new(),
                        reason: "no meeting handle".into(),
                    })),
                },
                _ => Step::AccessToken,
            };
        }
        let Some(prepared) = &self.prepared else {
            return Step::Done(Err(Error::Config("the call was not prepared".into())));
        };
        let request =
            match self
                .op
                .attempt(prepared, &self.session.endpoint, self.held.credential())
            {
                Ok(request) => request,
                Err(error) => return Step::Done(Err(error)),
            };
        let remaining = self.deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Step::Done(Err(self.total_timeout()));
        }
        self.attempts += 1;
        self.round += 1;
        self.span.record("attempt", self.attempts);
        let attempt_limit = self.session.timeouts.attempt;
        self.cut_by_total = remaining < attempt_limit;
        Step::Send {
            request,
            timeout: remaining.min(attempt_limit),
        }
    }

    /// The token a [`Step::AccessToken`] or [`Step::ControlToken`] asked
    /// for, or why there is none.
    pub fn credential(&mut self, token: Result<Secret, Error>) {
        match token {
            Ok(token) => {
                self.held = match self.meta.auth {
                    Auth::ConferenceToken { .. } => Held::ControlToken { token },
                    _ => Held::AccessToken {
                        token,
                        renewable: true,
                    },
                }
            }
            Err(error) => self.pending = Some(Step::Done(Err(error))),
        }
    }

    /// An answer arrived (any status), read in full.
    pub fn answer(&mut self, answer: Answer) {
        let Answer {
            status,
            headers,
            body,
        } = answer;
        let headers = &headers;
        self.span.record("status", status);
        let request_id = request_id_header(headers);
        if let Some(id) = &request_id {
            self.span.record("request_id", id.as_str());
        }
        let error = match self.op.decode_any(status, headers, &body) {
            Ok(output) => {
                self.succeeded(&body);
                tracing::debug!(
                    attempts = self.attempts,
                    elapsed_ms = self.started.elapsed().as_millis() as u64,
                    "call succeeded"
                );
                self.pending = Some(Step::Done(Ok(Reply {
                    output,
                    status,
                    request_id,
                    attempts: self.attempts,
                    elapsed: self.started.elapsed(),
                })));
                return;
            }
            Err(error) => error,
        };
        if (200..300).contains(&status) {
            // A success the answer of which cannot be read: sending again
            // would repeat what the service already did.
            self.pending = Some(Step::Done(Err(error)));
            return;
        }
        let retry_after = headers
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let outcome = Outcome::Status {
            status,
            retry_after,
        };
        if self.retry(&error, &outcome) {
            return;
        }
        if self.renew_rejected(&error) {
            return;
        }
        tracing::debug!(attempts = self.attempts, %error, "call failed");
        self.pending = Some(Step::Done(Err(error)));
    }

    /// The attempt failed before a whole answer was read.
    pub fn failed(&mut self, failure: AttemptFailure) {
        let limits = Limits {
            connect: self.session.timeouts.connect,
            attempt: self.session.timeouts.attempt,
            total: self.session.timeouts.total,
            cut_by_total: self.cut_by_total,
            max_body: self.session.max_body,
        };
        let (error, outcome) = attempt::classify(self.meta.id, failure, &limits);
        if let Some(outcome) = outcome
            && self.retry(&error, &outcome)
        {
            return;
        }
        tracing::debug!(attempts = self.attempts, %error, "call failed");
        self.pending = Some(Step::Done(Err(error)));
    }

    /// The attempt's time limit ran out in the driver's own timer (it
    /// could not tell how far the attempt got: counted as maybe sent).
    pub fn timed_out(&mut self) {
        self.failed(AttemptFailure::timed_out(attempt::Stage::Wait));
    }

    /// Whether the call goes on after `error`: schedules the wait and
    /// logs. Retries follow the policy and the time left.
    fn retry(&mut self, error: &Error, outcome: &Outcome) -> bool {
        let decision = self.session.retry.decide(
            self.meta.idempotent,
            self.round,
            outcome,
            crate::random::unit(),
        );
        let RetryDecision::RetryAfter(wait) = decision else {
            return false;
        };
        if Instant::now() + wait >= self.deadline {
            tracing::debug!(
                attempt = self.attempts,
                wait_ms = wait.as_millis() as u64,
                "not retrying: the wait would pass the total time limit"
            );
            return false;
        }
        tracing::debug!(
            attempt = self.attempts,
            wait_ms = wait.as_millis() as u64,
            reason = describe(outcome),
            %error,
            "attempt failed; retrying"
        );
        self.pending = Some(Step::Wait(wait));
        true
    }

    /// Whether the call goes on with a fresh token after the service
    /// rejected the one it carried: once per call, for a token of ours that
    /// can be renewed, never for a logout (logging in again only to log
    /// that token out would be pointless).
    fn renew_rejected(&mut self, error: &Error) -> bool {
        let rejected = error.api_error().is_some_and(|api| api.is_token_rejected());
        if !rejected || self.renewed || is_logout(self.meta) {
            return false;
        }
        match &self.held {
            Held::AccessToken {
                token,
                renewable: true,
            } => self.session.access.invalidate_if(token),
            Held::ControlToken { token } => match &self.meeting {
                Some(meeting) if meeting.can_renew() => meeting.token.invalidate_if(token),
                _ => return false,
            },
            _ => return false,
        }
        tracing::debug!(
            operation = self.meta.id,
            "the service rejected the token; trying once more with a new one"
        );
        self.renewed = true;
        self.round = 0;
        self.held = Held::Pending;
        true
    }

    /// What a success changes in the session: a logout drops the cached
    /// token it revoked; `update_token` extends it (read from the body of
    /// its answer).
    fn succeeded(&self, body: &[u8]) {
        let Held::AccessToken {
            token,
            renewable: true,
        } = &self.held
        else {
            return;
        };
        if is_logout(self.meta) {
            self.session.access.invalidate_if(token);
        } else if let Some(fresh) =
            session::refreshed_access_token(self.meta, body, SystemTime::now(), Instant::now())
        {
            self.session.access.replace_if(token, fresh);
        }
    }

    /// The credential of the call, where it needs no fetch; `Pending` for
    /// a token a driver must obtain. Resolves the meeting handle of a
    /// meeting control call.
    fn initial_credential(&mut self) -> Result<Held, Error> {
        let meta = self.meta;
        let credentials = self.session.credentials.as_ref();
        Ok(match meta.auth {
            Auth::None => Held::None,
            Auth::Basic { .. } => match credentials {
                Some(Credentials::Account { password, .. }) => Held::Password(password.clone()),
                _ => {
                    return Err(Error::Config(format!(
                        "{} logs in with an account password: set account credentials (Credentials::account, or HWMEETING_ACCOUNT + HWMEETING_PASSWORD)",
                        meta.id
                    )));
                }
            },
            Auth::AppSignature { .. } => match credentials {
                Some(Credentials::AppId(app)) => Held::AppKey(app.app_key.clone()),
                _ => {
                    return Err(Error::Config(format!(
                        "{} is signed with an app key: set App ID credentials (Credentials::app_id, or HWMEETING_APP_ID + HWMEETING_APP_KEY)",
                        meta.id
                    )));
                }
            },
            Auth::AccessToken { .. } => match self.session.access_source()? {
                AccessSource::Given(token) => Held::AccessToken {
                    token: token.clone(),
                    renewable: false,
                },
                AccessSource::Cached(_) => Held::Pending,
            },
            Auth::ConferenceToken { .. } => {
                if self.meeting.is_none() {
                    self.meeting = Some(self.registered_meeting()?);
                }
                Held::Pending
            }
        })
    }

    /// The handle registered for the meeting the request names.
    fn registered_meeting(&self) -> Result<Arc<Meeting<W>>, Error> {
        let Some(id) = self.op.conference_id() else {
            return Err(Error::Build {
                operation: self.meta.id,
                source: BuildError::Missing {
                    parameter: self
                        .meta
                        .conference_id_param()
                        .map_or("conferenceID", |p| p.name)
                        .to_owned(),
                },
            });
        };
        self.session.registry().get(id).cloned().ok_or_else(|| Error::NoControlToken {
            operation: self.meta.id,
            conference_id: id.to_owned(),
            reason: "call client.conference(id, host_password) or client.conference_with_token(id, token) first".into(),
        })
    }
}

/// Checks that `op` may be sent through the handle of meeting `id`, and
/// fills that id in when the request has none.
pub fn bind_to_meeting<O: Operation>(op: &mut O, id: &str) -> Result<(), Error> {
    if let Some(other) = op.target_conference_id()
        && other != id
    {
        let meta = op.meta();
        return Err(Error::Build {
            operation: meta.id,
            source: BuildError::Invalid {
                parameter: meta
                    .conference_id_param()
                    .map_or("conferenceID", |p| p.name)
                    .to_owned(),
                reason: format!(
                    "the request is for meeting `{other}`, but this handle is for meeting `{id}`: leave it unset or use that meeting's handle"
                ),
            },
        });
    }
    op.fill_conference_id(id);
    Ok(())
}

/// Whether the operation revokes the access token it carries.
fn is_logout(meta: &OperationMeta) -> bool {
    meta.role == SessionRole::Logout
}

fn describe(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::ConnectFailed => "the connection could not be opened",
        Outcome::SentThenFailed => "the connection failed after sending",
        Outcome::Timeout => "the attempt timed out",
        Outcome::Status { status: 429, .. } => "HTTP 429",
        Outcome::Status { status: 502, .. } => "HTTP 502",
        Outcome::Status { status: 503, .. } => "HTTP 503",
        Outcome::Status { status: 504, .. } => "HTTP 504",
        Outcome::Status { .. } => "an HTTP error status",
    }
}
