//! Which failures are retried, and after how long. Pure decisions: the
//! transports do the waiting.

use std::time::Duration;

/// How a client retries.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 means no retry).
    pub max_attempts: u32,
    /// Wait before the first retry.
    pub initial_backoff: Duration,
    /// Longest wait between attempts (also caps `Retry-After`).
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The policy with this many attempts in all.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The policy with this first backoff.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The policy with this longest backoff.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Decides whether to try again after `attempt` (1 for the first) ended
    /// in `outcome`. `jitter` is a random number in `[0, 1)`.
    ///
    /// Retried: a connection that could not be opened and 429, for every
    /// operation; 502, 503, 504, a timeout or a broken connection after
    /// sending, for idempotent operations only (a non-idempotent one may
    /// already have taken effect).
    pub fn decide(
        &self,
        idempotent: bool,
        attempt: u32,
        outcome: &Outcome,
        jitter: f64,
    ) -> RetryDecision {
        if attempt >= self.max_attempts {
            return RetryDecision::GiveUp;
        }
        let retry = match outcome {
            Outcome::ConnectFailed => true,
            Outcome::Status { status: 429, .. } => true,
            Outcome::Status {
                status: 502..=504, ..
            } => idempotent,
            Outcome::SentThenFailed | Outcome::Timeout => idempotent,
            Outcome::Status { .. } => false,
        };
        if !retry {
            return RetryDecision::GiveUp;
        }
        let backoff = self.backoff(attempt, jitter);
        let wait = match outcome {
            Outcome::Status {
                retry_after: Some(after),
                ..
            } => (*after).max(backoff).min(self.max_backoff),
            _ => backoff,
        };
        RetryDecision::RetryAfter(wait)
    }

    /// Exponential backoff with jitter: `initial * 2^(attempt-1)`, capped,
    /// then a random point in its upper half.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let capped = exp.min(self.max_backoff);
        let jitter = jitter.clamp(0.0, 1.0);
        capped.mul_f64(0.5 + 0.5 * jitter)
    }
}

/// How an attempt ended, as far as retrying is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The connection could not be opened: the request never left.
    ConnectFailed,
    /// The connection broke after the request may have been sent.
    SentThenFailed,
    /// The attempt ran out of time after the request may have been sent.
    Timeout,
    /// An answer arrived with this status.
    Status {
        /// The HTTP status.
        status: u16,
        /// The `Retry-After` the server asked for.
        retry_after: Option<Duration>,
    },
}

/// What to do after an attempt failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryDecision {
    /// Try again after this wait.
    RetryAfter(Duration),
    /// Report the failure.
    GiveUp,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16) -> Outcome {
        Outcome::Status {
            status,
            retry_after: None,
        }
    }

    #[test]
    fn idempotent_calls_retry_gateway_errors_non_idempotent_do_not() {
        let p = RetryPolicy::default();
        for s in [502, 503, 504] {
            assert!(matches!(
                p.decide(true, 1, &status(s), 0.5),
                RetryDecision::RetryAfter(_)
            ));
            assert_eq!(p.decide(false, 1, &status(s), 0.5), RetryDecision::GiveUp);
        }
        assert_eq!(p.decide(true, 1, &status(500), 0.5), RetryDecision::GiveUp);
        assert_eq!(p.decide(true, 1, &status(400), 0.5), RetryDecision::GiveUp);
        assert_eq!(
            p.decide(false, 1, &Outcome::Timeout, 0.5),
            RetryDecision::GiveUp
        );
        assert_eq!(
            p.decide(false, 1, &Outcome::SentThenFailed, 0.5),
            RetryDecision::GiveUp
        );
    }

    #[test]
    fn connect_failures_and_429_retry_for_every_call() {
        let p = RetryPolicy::default();
        assert!(matches!(
            p.decide(false, 1, &Outcome::ConnectFailed, 0.0),
            RetryDecision::RetryAfter(_)
        ));
        assert!(matches!(
            p.decide(false, 2, &status(429), 0.0),
            RetryDecision::RetryAfter(_)
        ));
        assert_eq!(p.decide(false, 3, &status(429), 0.0), RetryDecision::GiveUp);
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let p = RetryPolicy::default();
        let o = Outcome::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(2)),
        };
        assert_eq!(
            p.decide(false, 1, &o, 0.0),
            RetryDecision::RetryAfter(Duration::from_secs(2))
        );
        let o = Outcome::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(3600)),
        };
        assert_eq!(
            p.decide(false, 1, &o, 0.0),
            RetryDecision::RetryAfter(p.max_backoff)
        );
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1, 1.0), Duration::from_millis(200));
        assert_eq!(p.backoff(2, 1.0), Duration::from_millis(400));
        assert_eq!(p.backoff(2, 0.0), Duration::from_millis(200));
        assert_eq!(p.backoff(30, 1.0), p.max_backoff);
    }
}
