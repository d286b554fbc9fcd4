//! The driver of a call: the engine ([`hwmeeting_core::engine`]) decides,
//! this file does the I/O and the waiting, on the calling thread.

use std::sync::{Arc, Condvar};
use std::time::{Instant, SystemTime};

use hwmeeting_core::engine::{AccessSource, Call, Meeting, RenewalStep, Step};
use hwmeeting_core::operation::{AnyOutput, Dispatch};
use hwmeeting_core::token::CachedToken;
use hwmeeting_core::token_cell::{Begin, TokenCell};
use hwmeeting_core::{Error, Operation, Reply, Secret};

use crate::client::Client;

/// How threads wait for a token another thread is fetching.
pub(crate) type Waiter = Condvar;

/// Sends `op`, through the meeting handle `meeting` if there is one.
pub(crate) fn execute<O: Operation>(
    client: &Client,
    op: &O,
    meeting: Option<&Arc<Meeting<Waiter>>>,
) -> Result<Reply<O::Output>, Error> {
    run(client, op, meeting)?.downcast()
}

/// The loop of a call, compiled once for every operation: the answer's
/// type is erased until [`execute`] gives it back.
fn run(
    client: &Client,
    op: &dyn Dispatch,
    meeting: Option<&Arc<Meeting<Waiter>>>,
) -> Result<Reply<AnyOutput>, Error> {
    let inner = &client.inner;
    let mut call = Call::new(&inner.session, op, meeting);
    let span = call.span().clone();
    let _entered = span.enter();
    loop {
        match call.step() {
            Step::AccessToken => call.credential(access_token(client)),
            Step::ControlToken(meeting) => call.credential(control_token(client, &meeting)),
            Step::Send { request, timeout } => {
                match inner
                    .transport
                    .attempt(request, timeout, inner.session.max_body())
                {
                    Ok(answer) => call.answer(answer),
                    Err(failure) => call.failed(failure),
                }
            }
            Step::Wait(wait) => std::thread::sleep(wait),
            Step::Done(result) => return result,
        }
    }
}

/// The access token: the one given, or the cached one, logging in when it
/// is missing or due.
pub(crate) fn access_token(client: &Client) -> Result<Secret, Error> {
    let session = &client.inner.session;
    match session.access_source()? {
        AccessSource::Given(token) => Ok(token.clone()),
        AccessSource::Cached(cell) => single_flight(cell, session.login_operation(), |_| {
            let login = session.login()?;
            let reply = execute(client, &login, None)?;
            Ok(reply.output.into_cached(SystemTime::now(), Instant::now()))
        }),
    }
}

/// The control token of a meeting handle, obtaining or renewing it.
pub(crate) fn control_token(
    client: &Client,
    meeting: &Arc<Meeting<Waiter>>,
) -> Result<Secret, Error> {
    let session = &client.inner.session;
    single_flight(
        meeting.token(),
        session.control_token_operation(),
        |stale| {
            let mut renewal = meeting.renewal(session, stale)?;
            loop {
                let request = renewal.request();
                match renewal.answer(execute(client, &request, None)) {
                    RenewalStep::Done(result) => return result,
                    RenewalStep::Again => {}
                }
            }
        },
    )
}

/// The token of `cell`: fresh from the cache, or from `fetch`, which one
/// thread at a time runs while the others wait on the cell's condition
/// variable and take its result.
fn single_flight(
    cell: &TokenCell<Waiter>,
    operation: &'static str,
    fetch: impl FnOnce(Option<CachedToken>) -> Result<CachedToken, Error>,
) -> Result<Secret, Error> {
    let mut state = cell.lock();
    loop {
        match state.begin(Instant::now()) {
            Begin::Fresh(token) => return Ok(token),
            Begin::Fetch(stale) => {
                drop(state);
                let fetching = cell.fetching(operation);
                return fetching.finish(fetch(stale));
            }
            Begin::Wait(generation) => {
                while state.waiting_on(generation) {
                    state = cell.waiter().wait(state).unwrap_or_else(|e| e.into_inner());
                }
                if let Some(result) = state.outcome_since(generation) {
                    return result;
                }
            }
        }
    }
}
