//! A cached token with single-flight renewal: however many threads need a
//! token at once, only one fetches it; the others wait on a condition
//! variable and take its result, success or error.

use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Instant;

use hwmeeting_core::token::CachedToken;
use hwmeeting_core::{Error, Secret};

/// A token cache that renews through one fetch at a time.
pub(crate) struct TokenCell {
    state: Mutex<CellState>,
    changed: Condvar,
}

#[derive(Default)]
struct CellState {
    token: Option<CachedToken>,
    fetching: bool,
    /// Bumped when a fetch ends.
    generation: u64,
    /// The result of the last fetch, for the threads that waited on it.
    last: Option<Result<Secret, SharedError>>,
}

impl TokenCell {
    /// An empty cache.
    pub(crate) fn new() -> Self {
        TokenCell {
            state: Mutex::new(CellState::default()),
            changed: Condvar::new(),
        }
    }

    /// A cache holding `token`.
    pub(crate) fn with_token(token: CachedToken) -> Self {
        let cell = TokenCell::new();
        cell.lock().token = Some(token);
        cell
    }

    fn lock(&self) -> MutexGuard<'_, CellState> {
        // A panic while holding the lock leaves the state consistent (every
        // field is written in one step), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached token if it is fresh; otherwise the result of a fetch.
    ///
    /// `fetch` receives the token being replaced (which may still be valid:
    /// renewals of control tokens pass it on). Only one fetch runs at a
    /// time; callers that arrive meanwhile wait and share its result.
    pub(crate) fn get(
        &self,
        fetch: impl FnOnce(Option<CachedToken>) -> Result<CachedToken, Error>,
    ) -> Result<Secret, Error> {
        let mut state = self.lock();
        loop {
            if let Some(token) = &state.token
                && token.is_fresh(Instant::now())
            {
                return Ok(token.token.clone());
            }
            if !state.fetching {
                break;
            }
            // Someone else is fetching: wait for that fetch, then take its
            // result (a failed fetch fails every waiter; no new attempt).
            let generation = state.generation;
            while state.fetching && state.generation == generation {
                state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            match &state.last {
                Some(Ok(token)) => return Ok(token.clone()),
                Some(Err(shared)) => return Err(shared.to_error()),
                None => continue,
            }
        }
        state.fetching = true;
        let stale = state.token.clone();
        drop(state);

        // If `fetch` panics, the guard still wakes the waiters.
        let mut guard = FetchGuard {
            cell: self,
            result: None,
        };
        let (token, last, returned) = match fetch(stale) {
            Ok(token) => {
                let secret = token.token.clone();
                (Some(token), Ok(secret.clone()), Ok(secret))
            }
            Err(error) => {
                let shared = SharedError::new(error);
                let returned = shared.to_error();
                (None, Err(shared), Err(returned))
            }
        };
        guard.result = Some((token, last));
        drop(guard);
        returned
    }

    /// Caches `fresh` in place of `sent` (a token whose life was extended),
    /// unless another thread has renewed the token meanwhile.
    pub(crate) fn replace_if(&self, sent: &Secret, fresh: CachedToken) {
        let mut state = self.lock();
        if state.token.as_ref().is_none_or(|t| &t.token == sent) {
            state.token = Some(fresh);
        }
    }

    /// Drops the cached token.
    pub(crate) fn clear(&self) {
        self.lock().token = None;
    }

    /// Drops the cached token if it is `rejected` (so a token another thread
    /// has just renewed is kept).
    pub(crate) fn invalidate_if(&self, rejected: &Secret) {
        let mut state = self.lock();
        if state.token.as_ref().is_some_and(|t| &t.token == rejected) {
            state.token = None;
        }
    }
}

impl fmt::Debug for TokenCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("TokenCell")
            .field("cached", &state.token.is_some())
            .field("fetching", &state.fetching)
            .finish()
    }
}

/// Ends a fetch: stores its result and wakes the waiters, also when the
/// fetch panicked.
struct FetchGuard<'a> {
    cell: &'a TokenCell,
    #[allow(clippy::type_complexity)]
    result: Option<(Option<CachedToken>, Result<Secret, SharedError>)>,
}

impl Drop for FetchGuard<'_> {
    fn drop(&mut self) {
        let mut state = self.cell.lock();
        state.fetching = false;
        state.generation = state.generation.wrapping_add(1);
        match self.result.take() {
            Some((token, last)) => {
                if token.is_some() {
                    state.token = token;
                }
                state.last = Some(last);
            }
            None => {
                state.last = Some(Err(SharedError::new(Error::Config(
                    "obtaining a token panicked in another thread".into(),
                ))));
            }
        }
        drop(state);
        self.cell.changed.notify_all();
    }
}

/// An [`Error`] that several threads receive: each gets an equal copy.
#[derive(Clone)]
pub(crate) struct SharedError(Arc<SharedInner>);

enum SharedInner {
    /// Errors whose parts can be cloned.
    Plain(Error),
    /// `Connect` / `Transport`, whose source is shared.
    WithSource {
        connect: bool,
        operation: &'static str,
        source: Arc<dyn std::error::Error + Send + Sync + 'static>,
    },
}

impl SharedError {
    pub(crate) fn new(error: Error) -> Self {
        SharedError(Arc::new(match error {
            Error::Connect { operation, source } => SharedInner::WithSource {
                connect: true,
                operation,
                source: Arc::from(source),
            },
            Error::Transport { operation, source } => SharedInner::WithSource {
                connect: false,
                operation,
                source: Arc::from(source),
            },
            other => SharedInner::Plain(other),
        }))
    }

    pub(crate) fn to_error(&self) -> Error {
        match &*self.0 {
            SharedInner::WithSource {
                connect,
                operation,
                source,
            } => {
                let source = Box::new(SharedSource(source.clone()));
                if *connect {
                    Error::Connect { operation, source }
                } else {
                    Error::Transport { operation, source }
                }
            }
            SharedInner::Plain(error) => clone_error(error),
        }
    }
}

/// A copy of an error without a transport source.
fn clone_error(error: &Error) -> Error {
    match error {
        Error::Build { operation, source } => Error::Build {
            operation,
            source: source.clone(),
        },
        Error::Api { operation, source } => Error::Api {
            operation,
            source: source.clone(),
        },
        Error::Decode {
            operation,
            status,
            request_id,
            message,
            body,
        } => Error::Decode {
            operation,
            status: *status,
            request_id: request_id.clone(),
            message: message.clone(),
            body: body.clone(),
        },
        Error::Timeout {
            operation,
            phase,
            after,
        } => Error::Timeout {
            operation,
            phase: *phase,
            after: *after,
        },
        Error::BodyTooLarge {
            operation,
            status,
            limit,
        } => Error::BodyTooLarge {
            operation,
            status: *status,
            limit: *limit,
        },
        Error::Config(message) => Error::Config(message.clone()),
        other => Error::Config(other.to_string()),
    }
}

/// A transport error shared by several [`Error`]s.
struct SharedSource(Arc<dyn std::error::Error + Send + Sync + 'static>);

impl fmt::Debug for SharedSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for SharedSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl std::error::Error for SharedSource {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn token(value: &str, lifetime: Duration) -> CachedToken {
        CachedToken::new(Secret::new(value), lifetime, Instant::now())
    }

    #[test]
    fn fetches_once_then_reuses() {
        let cell = TokenCell::new();
        let fetches = AtomicUsize::new(0);
        for _ in 0..5 {
            let t = cell
                .get(|_| {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    Ok(token("a", Duration::from_secs(600)))
                })
                .unwrap();
            assert_eq!(t.expose(), "a");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn renews_a_stale_token_and_passes_it_on() {
        let cell = TokenCell::with_token(token("old", Duration::ZERO));
        let t = cell
            .get(|stale| {
                assert_eq!(stale.unwrap().token.expose(), "old");
                Ok(token("new", Duration::from_secs(600)))
            })
            .unwrap();
        assert_eq!(t.expose(), "new");
    }

    #[test]
    fn single_flight_under_concurrency() {
        let cell = Arc::new(TokenCell::new());
        let fetches = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let cell = cell.clone();
                let fetches = fetches.clone();
                std::thread::spawn(move || {
                    cell.get(|_| {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(100));
                        Ok(token("t", Duration::from_secs(600)))
                    })
                    .unwrap()
                })
            })
            .collect();
        for t in threads {
            assert_eq!(t.join().unwrap().expose(), "t");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_failed_fetch_fails_every_waiter_once() {
        let cell = Arc::new(TokenCell::new());
        let fetches = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let cell = cell.clone();
                let fetches = fetches.clone();
                std::thread::spawn(move || {
                    cell.get(|_| {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(200));
                        Err(Error::Connect {
                            operation: "app_auth",
                            source: "refused".into(),
                        })
                    })
                })
            })
            .collect();
        for t in threads {
            let err = t.join().unwrap().unwrap_err();
            assert!(matches!(err, Error::Connect { .. }), "{err:?}");
            assert_eq!(
                err.to_string(),
                "app_auth: could not connect to the service: refused"
            );
        }
        // Threads that started after the failed fetch ended fetch again,
        // but the ones that waited on it did not.
        assert!(fetches.load(Ordering::SeqCst) < 8);
    }

    #[test]
    fn invalidate_if_keeps_a_renewed_token() {
        let cell = TokenCell::with_token(token("new", Duration::from_secs(600)));
        cell.invalidate_if(&Secret::new("old"));
        assert_eq!(cell.get(|_| panic!("no fetch")).unwrap().expose(), "new");
        cell.invalidate_if(&Secret::new("new"));
        let t = cell
            .get(|_| Ok(token("newer", Duration::from_secs(600))))
            .unwrap();
        assert_eq!(t.expose(), "newer");
        cell.clear();
        assert!(cell.get(|_| Err(Error::Config("x".into()))).is_err());
    }

    #[test]
    fn a_panicking_fetch_releases_the_waiters() {
        let cell = Arc::new(TokenCell::new());
        let c = cell.clone();
        let _ = std::thread::spawn(move || {
            c.get(|_| panic!("boom")).ok();
        })
        .join();
        let t = cell
            .get(|_| Ok(token("after", Duration::from_secs(600))))
            .unwrap();
        assert_eq!(t.expose(), "after");
    }
}
