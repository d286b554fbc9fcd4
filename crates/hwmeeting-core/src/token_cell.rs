//! A cached token renewed by one fetch at a time (single-flight), written
//! once for both transports.
//!
//! However many calls need a token at once, one fetches it (a login, or a
//! `create_conf_token`); the others wait and take its result, token or
//! error. The state and every decision live here; a transport supplies only
//! how to wait (a `Condvar` for threads, a `Notify` for tasks) through
//! [`Wake`], and drives [`TokenState::begin`] / [`TokenCell::fetching`].

use std::fmt;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use crate::error::Error;
use crate::secret::Secret;
use crate::token::CachedToken;

/// How a transport wakes the callers waiting for a fetch.
pub trait Wake: Default + Send + Sync {
    /// Wakes every caller waiting on this cell.
    fn wake_all(&self);
}

impl Wake for std::sync::Condvar {
    fn wake_all(&self) {
        self.notify_all();
    }
}

/// A token cache with single-flight renewal; `W` is the transport's way to
/// wait.
pub struct TokenCell<W> {
    state: Mutex<TokenState>,
    waiter: W,
    /// `access` or `meeting control`, for errors.
    kind: &'static str,
}

/// The cell's state, behind its lock.
#[derive(Default)]
pub struct TokenState {
    token: Option<CachedToken>,
    fetching: bool,
    /// Fetches finished so far.
    generation: u64,
    /// What the last fetch gave, for the callers that waited on it.
    last: Option<Result<Secret, Error>>,
}

/// What a caller of [`TokenState::begin`] does next.
#[derive(Debug)]
pub enum Begin {
    /// The cached token is fresh: use it.
    Fresh(Secret),
    /// Fetch a new one (this caller is the one fetcher), given the token
    /// being replaced, which may still be valid: a control token is renewed
    /// by passing the live one on. Start with [`TokenCell::fetching`].
    Fetch(Option<CachedToken>),
    /// Another caller is fetching: wait until [`TokenState::waiting_on`]
    /// is false for this generation, then take
    /// [`TokenState::outcome_since`].
    Wait(u64),
}

impl TokenState {
    /// The next step for a caller that needs the token at `now`. `Fetch`
    /// marks the cell as fetching: the caller must then hold a
    /// [`Fetching`] guard.
    pub fn begin(&mut self, now: Instant) -> Begin {
        if let Some(token) = &self.token
            && token.is_fresh(now)
        {
            return Begin::Fresh(token.token.clone());
        }
        if self.fetching {
            return Begin::Wait(self.generation);
        }
        self.fetching = true;
        Begin::Fetch(self.token.clone())
    }

    /// The cached token if it is fresh at `now`: the fast path, which
    /// changes nothing (a caller that finds none goes through
    /// [`begin`](Self::begin)).
    pub fn fresh(&self, now: Instant) -> Option<Secret> {
        self.token
            .as_ref()
            .filter(|t| t.is_fresh(now))
            .map(|t| t.token.clone())
    }

    /// Whether the fetch that was running at `generation` still runs.
    pub fn waiting_on(&self, generation: u64) -> bool {
        self.fetching && self.generation == generation
    }

    /// The result of the fetch a caller waited on (seen running at
    /// `generation`), once it has ended; `None` while it runs.
    pub fn outcome_since(&self, generation: u64) -> Option<Result<Secret, Error>> {
        if self.generation == generation {
            return None;
        }
        self.last.clone()
    }
}

impl<W: Wake> TokenCell<W> {
    /// An empty cell for a token of `kind` (`access` or
    /// `meeting control`).
    pub fn new(kind: &'static str) -> Self {
        TokenCell {
            state: Mutex::new(TokenState::default()),
            waiter: W::default(),
            kind,
        }
    }

    /// A cell holding `token`.
    pub fn with_token(kind: &'static str, token: CachedToken) -> Self {
        let cell = TokenCell::new(kind);
        cell.lock().token = Some(token);
        cell
    }

    /// The state, locked. A panic while holding the lock leaves the state
    /// consistent (every field is written in one step), so a poisoned lock
    /// is still usable.
    pub fn lock(&self) -> MutexGuard<'_, TokenState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The transport's waiter.
    pub fn waiter(&self) -> &W {
        &self.waiter
    }

    /// The guard of the fetch a caller started after [`Begin::Fetch`]:
    /// [`Fetching::finish`] stores its result and wakes the waiters; if it
    /// is dropped unfinished (the fetch panicked, or its task was
    /// cancelled), the waiters get [`Error::TokenFetchAbandoned`] naming
    /// `operation`, and the next caller fetches again.
    pub fn fetching(&self, operation: &'static str) -> Fetching<'_, W> {
        Fetching {
            cell: self,
            operation,
            done: false,
        }
    }

    /// The cached token, fresh or not.
    pub fn current(&self) -> Option<Secret> {
        self.lock().token.as_ref().map(|t| t.token.clone())
    }

    /// Caches `fresh` in place of `sent` (a token whose life was extended),
    /// unless another call has renewed the token meanwhile.
    pub fn replace_if(&self, sent: &Secret, fresh: CachedToken) {
        let mut state = self.lock();
        if state.token.as_ref().is_none_or(|t| &t.token == sent) {
            state.token = Some(fresh);
        }
    }

    /// Drops the cached token.
    pub fn invalidate(&self) {
        self.lock().token = None;
    }

    /// Drops the cached token if it is `rejected` (a token another call
    /// has just renewed is kept).
    pub fn invalidate_if(&self, rejected: &Secret) {
        let mut state = self.lock();
        if state.token.as_ref().is_some_and(|t| &t.token == rejected) {
            state.token = None;
        }
    }

    fn end(&self, token: Option<CachedToken>, last: Result<Secret, Error>) {
        let mut state = self.lock();
        state.fetching = false;
        state.generation = state.generation.wrapping_add(1);
        if token.is_some() {
            state.token = token;
        }
        state.last = Some(last);
        drop(state);
        self.waiter.wake_all();
    }
}

impl<W> fmt::Debug for TokenCell<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        f.debug_struct("TokenCell")
            .field("kind", &self.kind)
            .field("cached", &state.token.is_some())
            .field("fetching", &state.fetching)
            .finish()
    }
}

/// The one running fetch of a [`TokenCell`] (see [`TokenCell::fetching`]).
pub struct Fetching<'a, W: Wake> {
    cell: &'a TokenCell<W>,
    operation: &'static str,
    done: bool,
}

impl<W: Wake> Fetching<'_, W> {
    /// Stores the fetch's result, wakes the waiters, and returns the token
    /// (or the error) to the fetcher.
    pub fn finish(mut self, result: Result<CachedToken, Error>) -> Result<Secret, Error> {
        self.done = true;
        match result {
            Ok(token) => {
                let secret = token.token.clone();
                self.cell.end(Some(token), Ok(secret.clone()));
                Ok(secret)
            }
            Err(error) => {
                self.cell.end(None, Err(error.clone()));
                Err(error)
            }
        }
    }
}

impl<W: Wake> Drop for Fetching<'_, W> {
    fn drop(&mut self) {
        if !self.done {
            self.cell.end(
                None,
                Err(Error::TokenFetchAbandoned {
                    operation: self.operation,
                    token: self.cell.kind,
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Condvar;
    use std::time::Duration;

    fn token(value: &str, lifetime: Duration) -> CachedToken {
        CachedToken::new(Secret::new(value), lifetime, Instant::now())
    }

    #[test]
    fn one_fetcher_the_others_wait_and_share_its_result() {
        let cell: TokenCell<Condvar> = TokenCell::new("access");
        let now = Instant::now();
        let Begin::Fetch(None) = cell.lock().begin(now) else {
            panic!("the first caller fetches")
        };
        let Begin::Wait(generation) = cell.lock().begin(now) else {
            panic!("a second caller waits")
        };
        assert!(cell.lock().waiting_on(generation));
        assert!(cell.lock().outcome_since(generation).is_none());
        let fetch = cell.fetching("app_auth");
        let got = fetch.finish(Ok(token("t1", Duration::from_secs(600))));
        assert_eq!(got.unwrap().expose(), "t1");
        assert!(!cell.lock().waiting_on(generation));
        let shared = cell.lock().outcome_since(generation).unwrap().unwrap();
        assert_eq!(shared.expose(), "t1");
        let Begin::Fresh(fresh) = cell.lock().begin(Instant::now()) else {
            panic!("fresh now")
        };
        assert_eq!(fresh.expose(), "t1");
    }

    #[test]
    fn a_failed_fetch_is_shared_and_the_next_caller_fetches_again() {
        let cell: TokenCell<Condvar> = TokenCell::new("access");
        let now = Instant::now();
        assert!(matches!(cell.lock().begin(now), Begin::Fetch(_)));
        let Begin::Wait(generation) = cell.lock().begin(now) else {
            panic!()
        };
        let error = Error::Connect {
            operation: "app_auth",
            source: crate::error::shared_source("refused"),
        };
        let returned = cell.fetching("app_auth").finish(Err(error)).unwrap_err();
        let shared = cell.lock().outcome_since(generation).unwrap().unwrap_err();
        assert_eq!(shared.to_string(), returned.to_string());
        assert_eq!(
            shared.to_string(),
            "app_auth: could not connect to the service: refused"
        );
        assert!(matches!(cell.lock().begin(now), Begin::Fetch(None)));
    }

    #[test]
    fn an_abandoned_fetch_releases_the_waiters_with_its_own_error() {
        let cell: TokenCell<Condvar> = TokenCell::new("meeting control");
        let now = Instant::now();
        assert!(matches!(cell.lock().begin(now), Begin::Fetch(_)));
        let Begin::Wait(generation) = cell.lock().begin(now) else {
            panic!()
        };
        drop(cell.fetching("create_conf_token"));
        let error = cell.lock().outcome_since(generation).unwrap().unwrap_err();
        assert!(
            matches!(error, Error::TokenFetchAbandoned { .. }),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "create_conf_token: the meeting control token another call was obtaining was abandoned (that call panicked or was cancelled); try again"
        );
        assert!(matches!(cell.lock().begin(now), Begin::Fetch(None)));
    }

    #[test]
    fn a_stale_token_is_passed_to_the_fetcher() {
        let cell: TokenCell<Condvar> =
            TokenCell::with_token("meeting control", token("old", Duration::ZERO));
        let Begin::Fetch(Some(stale)) = cell.lock().begin(Instant::now()) else {
            panic!()
        };
        assert_eq!(stale.token.expose(), "old");
    }

    #[test]
    fn invalidate_if_keeps_a_renewed_token() {
        let cell: TokenCell<Condvar> =
            TokenCell::with_token("access", token("new", Duration::from_secs(600)));
        cell.invalidate_if(&Secret::new("old"));
        assert_eq!(cell.current().unwrap().expose(), "new");
        cell.invalidate_if(&Secret::new("new"));
        assert!(cell.current().is_none());
        cell.replace_if(
            &Secret::new("x"),
            token("extended", Duration::from_secs(60)),
        );
        assert_eq!(cell.current().unwrap().expose(), "extended");
        cell.replace_if(
            &Secret::new("other"),
            token("lost", Duration::from_secs(60)),
        );
        assert_eq!(cell.current().unwrap().expose(), "extended");
        cell.invalidate();
        assert!(cell.current().is_none());
        assert!(!format!("{cell:?}").contains("extended"));
    }
}
