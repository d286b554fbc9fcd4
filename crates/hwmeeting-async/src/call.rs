//! The driver of a call: the engine ([`hwmeeting_core::engine`]) decides,
//! this file does the I/O and the waiting, on tokio.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use hwmeeting_core::engine::{AccessSource, Call, Meeting, RenewalStep, Step};
use hwmeeting_core::operation::{AnyOutput, Dispatch};
use hwmeeting_core::token::CachedToken;
use hwmeeting_core::token_cell::{Begin, TokenCell, Wake};
use hwmeeting_core::{Error, Operation, Reply, Secret};
use tracing::Instrument;

use crate::client::Client;

/// A boxed, sendable future: a token fetch is boxed (only the fetch, not
/// the fast path), as it makes calls itself, which would make the call
/// future's type recursive.
type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How tasks wait for a token another task is fetching.
#[derive(Debug, Default)]
pub(crate) struct Waiter(tokio::sync::Notify);

impl Wake for Waiter {
    fn wake_all(&self) {
        self.0.notify_waiters();
    }
}

/// Sends `op`, through the meeting handle `meeting` if there is one.
pub(crate) async fn execute<O: Operation>(
    client: &Client,
    op: &O,
    meeting: Option<&Arc<Meeting<Waiter>>>,
) -> Result<Reply<O::Output>, Error> {
    run(client, op, meeting).await?.downcast()
}

/// The loop of a call, compiled once for every operation: the answer's
/// type is erased until [`execute`] gives it back.
async fn run(
    client: &Client,
    op: &dyn Dispatch,
    meeting: Option<&Arc<Meeting<Waiter>>>,
) -> Result<Reply<AnyOutput>, Error> {
    let mut call = Call::new(&client.inner.session, op, meeting);
    let span = call.span().clone();
    async move {
        let deadline = tokio::time::Instant::from_std(call.deadline());
        loop {
            match call.step() {
                Step::AccessToken => {
                    let token = tokio::time::timeout_at(deadline, access_token(client)).await;
                    call.credential(token.unwrap_or_else(|_| Err(call.total_timeout())));
                }
                Step::ControlToken(meeting) => {
                    let token =
                        tokio::time::timeout_at(deadline, control_token(client, &meeting)).await;
                    call.credential(token.unwrap_or_else(|_| Err(call.total_timeout())));
                }
                Step::Send { request, timeout } => {
                    match tokio::time::timeout(timeout, client.inner.transport.attempt(request))
                        .await
                    {
                        Ok(Ok(answer)) => call.answer(answer),
                        Ok(Err(failure)) => call.failed(failure),
                        Err(_elapsed) => call.timed_out(),
                    }
                }
                Step::Wait(wait) => tokio::time::sleep(wait).await,
                Step::Done(result) => return result,
            }
        }
    }
    .instrument(span)
    .await
}

/// The access token: the one given, or the cached one, logging in when it
/// is missing or due.
pub(crate) async fn access_token(client: &Client) -> Result<Secret, Error> {
    let session = &client.inner.session;
    match session.access_source()? {
        AccessSource::Given(token) => Ok(token.clone()),
        AccessSource::Cached(cell) => {
            single_flight(cell, session.login_operation(), |_| login(client)).await
        }
    }
}

/// The control token of a meeting handle, obtaining or renewing it.
pub(crate) async fn control_token(
    client: &Client,
    meeting: &Arc<Meeting<Waiter>>,
) -> Result<Secret, Error> {
    let operation = client.inner.session.control_token_operation();
    single_flight(meeting.token(), operation, |stale| {
        renew_control_token(client, meeting, stale)
    })
    .await
}

/// Logs in (boxed: it is a call made while a call waits for it).
fn login(client: &Client) -> BoxFuture<'_, Result<CachedToken, Error>> {
    Box::pin(async move {
        let login = client.inner.session.login()?;
        let reply = execute(client, &login, None).await?;
        Ok(reply.output.into_cached(SystemTime::now(), Instant::now()))
    })
}

/// Obtains a new control token (boxed, like [`login`]).
fn renew_control_token<'a>(
    client: &'a Client,
    meeting: &'a Meeting<Waiter>,
    stale: Option<CachedToken>,
) -> BoxFuture<'a, Result<CachedToken, Error>> {
    Box::pin(async move {
        let mut renewal = meeting.renewal(&client.inner.session, stale)?;
        loop {
            let request = renewal.request();
            match renewal.answer(execute(client, &request, None).await) {
                RenewalStep::Done(result) => return result,
                RenewalStep::Again => {}
            }
        }
    })
}

/// The token of `cell`: fresh from the cache, or from `fetch`, which one
/// task at a time runs while the others wait on the cell's `Notify` and
/// take its result. A fetch whose task is dropped releases the waiters.
async fn single_flight<F, Fut>(
    cell: &TokenCell<Waiter>,
    operation: &'static str,
    fetch: F,
) -> Result<Secret, Error>
where
    F: FnOnce(Option<CachedToken>) -> Fut,
    Fut: Future<Output = Result<CachedToken, Error>>,
{
    if let Some(token) = cell.lock().fresh(Instant::now()) {
        // The fast path: no waiter registered.
        return Ok(token);
    }
    loop {
        // Registered before the state is read, so no wake-up is missed.
        let notified = cell.waiter().0.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let begin = cell.lock().begin(Instant::now());
        match begin {
            Begin::Fresh(token) => return Ok(token),
            Begin::Fetch(stale) => {
                let fetching = cell.fetching(operation);
                return fetching.finish(fetch(stale).await);
            }
            Begin::Wait(generation) => {
                if cell.lock().waiting_on(generation) {
                    notified.await;
                }
                if let Some(result) = cell.lock().outcome_since(generation) {
                    return result;
                }
            }
        }
    }
}
