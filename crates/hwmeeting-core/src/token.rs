//! When a cached token must be renewed. The transports keep the cache and
//! make sure only one renewal runs at a time; the arithmetic lives here.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::secret::Secret;

/// How long an access token lives when the login answer says nothing.
pub const DEFAULT_ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// How long a meeting control token lives.
pub const CONFERENCE_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 60);
/// The longest margin before expiry at which a token is renewed.
pub const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// A token with the moments it must be renewed and stops working.
#[derive(Clone, Debug)]
pub struct CachedToken {
    /// The token.
    pub token: Secret,
    /// When it stops working.
    pub expires_at: Instant,
    /// When to renew it (a margin before `expires_at`).
    pub refresh_at: Instant,
}

impl CachedToken {
    /// A token obtained at `now` that lives `lifetime`.
    ///
    /// It is renewed a tenth of its lifetime before it expires, at most
    /// [`MAX_REFRESH_MARGIN`] before, so short-lived tokens in tests renew
    /// too.
    pub fn new(token: Secret, lifetime: Duration, now: Instant) -> Self {
        let margin = (lifetime / 10).min(MAX_REFRESH_MARGIN);
        CachedToken {
            token,
            expires_at: now + lifetime,
            refresh_at: now + lifetime.saturating_sub(margin),
        }
    }

    /// Whether it can be used as it is.
    pub fn is_fresh(&self, now: Instant) -> bool {
        now < self.refresh_at
    }
}

/// The lifetime of an access token from the login answer: `validPeriod`
/// (seconds left) when given, else `expireTime` (Unix seconds) against the
/// local clock, else [`DEFAULT_ACCESS_TOKEN_LIFETIME`].
pub fn access_token_lifetime(
    valid_period: Option<i64>,
    expire_time: Option<i64>,
    now: SystemTime,
) -> Duration {
    if let Some(secs) = valid_period.filter(|s| *s > 0) {
        return Duration::from_secs(secs as u64);
    }
    if let Some(at) = expire_time.filter(|s| *s > 0) {
        let now_secs = now
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        if at > now_secs {
            return Duration::from_secs((at - now_secs) as u64);
        }
    }
    DEFAULT_ACCESS_TOKEN_LIFETIME
}

/// The lifetime of a meeting control token from its `expireTime`
/// (Unix milliseconds) against the local clock, else 30 minutes. A value
/// further away than 30 minutes is not believed.
pub fn conference_token_lifetime(expire_time_ms: Option<i64>, now: SystemTime) -> Duration {
    let now_ms = now
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    match expire_time_ms {
        Some(at) if at > now_ms => {
            Duration::from_millis((at - now_ms) as u64).min(CONFERENCE_TOKEN_LIFETIME)
        }
        _ => CONFERENCE_TOKEN_LIFETIME,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_period_wins_over_expire_time() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(
            access_token_lifetime(Some(3600), Some(1_000_100), now),
            Duration::from_secs(3600)
        );
        assert_eq!(
            access_token_lifetime(None, Some(1_000_100), now),
            Duration::from_secs(100)
        );
        assert_eq!(
            access_token_lifetime(None, None, now),
            DEFAULT_ACCESS_TOKEN_LIFETIME
        );
        assert_eq!(
            access_token_lifetime(Some(0), Some(10), now),
            DEFAULT_ACCESS_TOKEN_LIFETIME
        );
    }

    #[test]
    fn refresh_comes_before_expiry() {
        let now = Instant::now();
        let t = CachedToken::new(Secret::new("t"), Duration::from_secs(12 * 3600), now);
        assert_eq!(t.expires_at - t.refresh_at, MAX_REFRESH_MARGIN);
        let t = CachedToken::new(Secret::new("t"), Duration::from_secs(10), now);
        assert_eq!(t.expires_at - t.refresh_at, Duration::from_secs(1));
        assert!(t.is_fresh(now));
        assert!(!t.is_fresh(now + Duration::from_secs(9)));
    }

    #[test]
    fn conference_token_lifetime_is_capped() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let ms = 1_000_000_000i64;
        assert_eq!(
            conference_token_lifetime(Some(ms + 60_000), now),
            Duration::from_secs(60)
        );
        assert_eq!(
            conference_token_lifetime(Some(ms + 99 * 3_600_000), now),
            CONFERENCE_TOKEN_LIFETIME
        );
        assert_eq!(
            conference_token_lifetime(None, now),
            CONFERENCE_TOKEN_LIFETIME
        );
    }
}
