//! A cached token renewed by one task at a time (single-flight): the access
//! token of a client and the control token of a meeting handle.
//!
//! A fresh token is read from a `std::sync::RwLock` snapshot without taking
//! the async lock, so calls with a fresh token never wait on each other. A
//! renewal holds a `tokio::sync::Mutex` across its request; callers that
//! arrive meanwhile wait for it and take its result, token or error, instead
//! of starting their own.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use hwmeeting_core::token::CachedToken;
use hwmeeting_core::{BoxError, Error, Secret};

/// The result of the last renewal, kept for the callers that waited on it.
#[derive(Debug, Default)]
struct Flight {
    /// Renewals finished so far.
    generation: u64,
    /// What the last one gave.
    last: Option<Result<Secret, Arc<Error>>>,
}

/// A token cache with single-flight renewal.
#[derive(Debug, Default)]
pub(crate) struct TokenCell {
    snapshot: RwLock<Option<CachedToken>>,
    flight: tokio::sync::Mutex<Flight>,
    generation: AtomicU64,
}

impl TokenCell {
    /// A cell holding `token`.
    pub(crate) fn with_token(token: CachedToken) -> Self {
        TokenCell {
            snapshot: RwLock::new(Some(token)),
            ..TokenCell::default()
        }
    }

    /// The cached token if it is fresh.
    pub(crate) fn fresh(&self) -> Option<Secret> {
        let now = Instant::now();
        self.read()
            .as_ref()
            .filter(|t| t.is_fresh(now))
            .map(|t| t.token.clone())
    }

    /// The cached token, fresh or not.
    pub(crate) fn current(&self) -> Option<Secret> {
        self.read().as_ref().map(|t| t.token.clone())
    }

    /// The cached token, renewed with `renew` (given the cached one, fresh
    /// or not) when it is missing or due. Only one renewal runs at a time;
    /// callers that arrive during one get its result.
    pub(crate) async fn get<F, Fut>(&self, renew: F) -> Result<Secret, Error>
    where
        F: FnOnce(Option<CachedToken>) -> Fut,
        Fut: Future<Output = Result<CachedToken, Error>>,
    {
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let seen = self.generation.load(Ordering::Acquire);
        let mut flight = self.flight.lock().await;
        if flight.generation != seen {
            // A renewal finished while we waited: its result is ours.
            match &flight.last {
                Some(Ok(token)) => return Ok(token.clone()),
                Some(Err(error)) => return Err(clone_error(error)),
                None => {}
            }
        }
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let previous = self.read().clone();
        let result = renew(previous).await;
        flight.generation += 1;
        self.generation.store(flight.generation, Ordering::Release);
        match result {
            Ok(token) => {
                let secret = token.token.clone();
                *self.write() = Some(token);
                flight.last = Some(Ok(secret.clone()));
                Ok(secret)
            }
            Err(error) => {
                let error = Arc::new(error);
                flight.last = Some(Err(Arc::clone(&error)));
                Err(clone_error(&error))
            }
        }
    }

    /// Caches `fresh` in place of `sent` (a token whose life was extended),
    /// unless another task has renewed the token meanwhile.
    pub(crate) fn replace_if(&self, sent: &Secret, fresh: CachedToken) {
        let mut slot = self.write();
        if slot.as_ref().is_none_or(|t| &t.token == sent) {
            *slot = Some(fresh);
        }
    }

    /// Drops the cached token.
    pub(crate) fn invalidate(&self) {
        *self.write() = None;
    }

    /// Drops the cached token if it is `token` (a token another task has
    /// already renewed is kept).
    pub(crate) fn invalidate_if(&self, token: &Secret) {
        let mut slot = self.write();
        if slot.as_ref().is_some_and(|t| &t.token == token) {
            *slot = None;
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Option<CachedToken>> {
        self.snapshot.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Option<CachedToken>> {
        self.snapshot.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// The error a shared renewal gives to every caller that waited on it. A
/// transport source cannot be cloned, so it is shared behind an `Arc`: the
/// text and the chain of sources stay the same.
pub(crate) fn clone_error(error: &Arc<Error>) -> Error {
    match &**error {
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
        Error::Connect { operation, .. } => Error::Connect {
            operation,
            source: Box::new(SharedSource(Arc::clone(error))),
        },
        Error::Transport { operation, .. } => Error::Transport {
            operation,
            source: Box::new(SharedSource(Arc::clone(error))),
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

/// The transport source of a shared error: shows and chains like the
/// original one.
#[derive(Debug)]
struct SharedSource(Arc<Error>);

impl SharedSource {
    fn inner(&self) -> Option<&BoxError> {
        match &*self.0 {
            Error::Connect { source, .. } | Error::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl std::fmt::Display for SharedSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.inner() {
            Some(source) => std::fmt::Display::fmt(source, f),
            None => std::fmt::Display::fmt(&self.0, f),
        }
    }
}

impl std::error::Error for SharedSource {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner().and_then(|s| s.source())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    fn token(value: &str, lifetime: Duration) -> CachedToken {
        CachedToken::new(Secret::new(value), lifetime, Instant::now())
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn one_renewal_for_many_waiters() {
        let cell = Arc::new(TokenCell::default());
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..200 {
            let cell = Arc::clone(&cell);
            let calls = Arc::clone(&calls);
            tasks.push(tokio::spawn(async move {
                cell.get(|_| async {
                    calls.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Ok(token("t1", Duration::from_secs(60)))
                })
                .await
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap().expose(), "t1");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_failed_renewal_fails_every_waiter_once() {
        let cell = Arc::new(TokenCell::default());
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let cell = Arc::clone(&cell);
            let calls = Arc::clone(&calls);
            tasks.push(tokio::spawn(async move {
                cell.get(|_| async {
                    calls.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Err(Error::Connect {
                        operation: "app_auth",
                        source: "refused".into(),
                    })
                })
                .await
            }));
        }
        for task in tasks {
            let err = task.await.unwrap().unwrap_err();
            assert!(matches!(err, Error::Connect { .. }), "{err}");
            assert!(err.to_string().contains("refused"), "{err}");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn renews_when_due_and_passes_the_old_token() {
        let cell = TokenCell::with_token(token("old", Duration::ZERO));
        let got = cell
            .get(|prev| async move {
                assert_eq!(prev.unwrap().token.expose(), "old");
                Ok(token("new", Duration::from_secs(60)))
            })
            .await
            .unwrap();
        assert_eq!(got.expose(), "new");
        cell.invalidate_if(&Secret::new("other"));
        assert!(cell.fresh().is_some());
        cell.invalidate_if(&Secret::new("new"));
        assert!(cell.fresh().is_none());
    }
}
