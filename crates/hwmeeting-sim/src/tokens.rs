//! Access tokens and meeting control tokens: issued, checked, kept alive,
//! expired.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::config::MAX_ACCESS_TOKENS_PER_USER;

/// Prefix of the access tokens the simulator issues.
pub const ACCESS_TOKEN_PREFIX: &str = "sim-at-";
/// Prefix of the meeting control tokens the simulator issues.
pub const CONF_TOKEN_PREFIX: &str = "sim-ct-";

#[derive(Debug)]
struct AccessToken {
    user: String,
    expires: Instant,
    /// When it was issued, in Unix milliseconds.
    created_ms: u64,
}

/// What the simulator knows of a live access token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AccessInfo {
    /// The key of the user it was issued to (`account:NAME`,
    /// `app:APP:CORP:USER`).
    pub user: String,
    /// What remains of its lifetime.
    pub remaining: Duration,
    /// When it was issued, in Unix milliseconds.
    pub created_ms: u64,
}

#[derive(Debug)]
struct ConfToken {
    conference_id: String,
    expires: Instant,
}

/// When a token issued now for `ttl` expires (far in the future if that
/// overflows).
fn deadline(now: Instant, ttl: Duration) -> Instant {
    now.checked_add(ttl)
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(now)
}

/// Every token issued and not yet forgotten.
#[derive(Debug)]
pub(crate) struct Tokens {
    pub access_ttl: Duration,
    pub conf_ttl: Duration,
    access: HashMap<String, AccessToken>,
    per_user: HashMap<String, VecDeque<String>>,
    conf: HashMap<String, ConfToken>,
    /// WebSocket tokens: single-use, [`WS_TOKEN_TTL`].
    ws: HashMap<String, ConfToken>,
    conf_purge_at: usize,
    access_purge_at: usize,
}

impl Tokens {
    pub(crate) fn new(access_ttl: Duration, conf_ttl: Duration) -> Self {
        Tokens {
            access_ttl,
            conf_ttl,
            access: HashMap::new(),
            per_user: HashMap::new(),
            conf: HashMap::new(),
            ws: HashMap::new(),
            conf_purge_at: 1024,
            access_purge_at: 1024,
        }
    }

    /// Issues an access token to a user; past
    /// [`MAX_ACCESS_TOKENS_PER_USER`] live ones, the user's oldest is
    /// revoked. Returns the token and its lifetime.
    pub(crate) fn issue_access(&mut self, user: &str) -> (String, Duration) {
        let now = Instant::now();
        if self.access.len() >= self.access_purge_at {
            // Forget expired tokens of every user, now and then.
            self.access.retain(|_, a| a.expires > now);
            let access = &self.access;
            self.per_user.retain(|_, list| {
                list.retain(|t| access.contains_key(t));
                !list.is_empty()
            });
            self.access_purge_at = (self.access.len() * 2).max(1024);
        }
        let token = format!("{ACCESS_TOKEN_PREFIX}{}", crate::random_hex(32));
        let ttl = self.access_ttl;
        let access = &mut self.access;
        let list = self.per_user.entry(user.to_owned()).or_default();
        // Forget this user's expired tokens, then revoke the oldest live
        // ones beyond the limit.
        list.retain(|t| match access.get(t) {
            Some(a) if a.expires > now => true,
            _ => {
                access.remove(t);
                false
            }
        });
        while list.len() >= MAX_ACCESS_TOKENS_PER_USER {
            if let Some(old) = list.pop_front() {
                access.remove(&old);
            }
        }
        list.push_back(token.clone());
        access.insert(
            token.clone(),
            AccessToken {
                user: user.to_owned(),
                expires: deadline(now, ttl),
                created_ms: crate::now_ms(),
            },
        );
        (token, ttl)
    }

    /// The user of a live access token.
    pub(crate) fn access_user(&self, token: &str) -> Option<&str> {
        self.access
            .get(token)
            .filter(|a| a.expires > Instant::now())
            .map(|a| a.user.as_str())
    }

    /// Whether an access token is live.
    pub(crate) fn access_valid(&self, token: &str) -> bool {
        self.access_user(token).is_some()
    }

    /// What is known of a live access token.
    pub(crate) fn access_info(&self, token: &str) -> Option<AccessInfo> {
        let now = Instant::now();
        self.access
            .get(token)
            .filter(|a| a.expires > now)
            .map(|a| AccessInfo {
                user: a.user.clone(),
                remaining: a.expires.saturating_duration_since(now),
                created_ms: a.created_ms,
            })
    }

    /// Gives a live access token a whole lifetime again; its new lifetime,
    /// or `None` if it is not live.
    pub(crate) fn extend_access(&mut self, token: &str) -> Option<Duration> {
        let now = Instant::now();
        let ttl = self.access_ttl;
        let entry = self.access.get_mut(token).filter(|a| a.expires > now)?;
        entry.expires = deadline(now, ttl);
        Some(ttl)
    }

    /// Revokes an access token (logout); whether it was live.
    pub(crate) fn revoke_access(&mut self, token: &str) -> bool {
        let Some(revoked) = self.access.remove(token) else {
            return false;
        };
        if let Some(list) = self.per_user.get_mut(&revoked.user) {
            list.retain(|t| t != token);
        }
        revoked.expires > Instant::now()
    }

    /// Revokes every access token of the users `is_user` picks by their
    /// key (they were deleted or disabled); how many.
    pub(crate) fn revoke_users(&mut self, is_user: impl Fn(&str) -> bool) -> usize {
        let before = self.access.len();
        self.access.retain(|_, a| !is_user(&a.user));
        self.per_user.retain(|key, _| !is_user(key));
        before - self.access.len()
    }

    /// Revokes every control token of a meeting (it ended); how many.
    pub(crate) fn revoke_conf_of(&mut self, conference_id: &str) -> usize {
        let before = self.conf.len();
        self.conf.retain(|_, c| c.conference_id != conference_id);
        before - self.conf.len()
    }

    /// Issues a control token for a meeting. Returns it and its lifetime.
    pub(crate) fn issue_conf(&mut self, conference_id: &str) -> (String, Duration) {
        let now = Instant::now();
        if self.conf.len() >= self.conf_purge_at {
            self.conf.retain(|_, c| c.expires > now);
            self.conf_purge_at = (self.conf.len() * 2).max(1024);
        }
        let token = format!("{CONF_TOKEN_PREFIX}{}", crate::random_hex(32));
        let ttl = self.conf_ttl;
        self.conf.insert(
            token.clone(),
            ConfToken {
                conference_id: conference_id.to_owned(),
                expires: deadline(now, ttl),
            },
        );
        (token, ttl)
    }

    /// The meeting of a live control token.
    pub(crate) fn conf_conference(&self, token: &str) -> Option<&str> {
        self.conf
            .get(token)
            .filter(|c| c.expires > Instant::now())
            .map(|c| c.conference_id.as_str())
    }

    /// Keeps a live control token of this meeting alive for another
    /// lifetime; `None` if it is not one.
    pub(crate) fn extend_conf(&mut self, token: &str, conference_id: &str) -> Option<Duration> {
        let now = Instant::now();
        let ttl = self.conf_ttl;
        let entry = self
            .conf
            .get_mut(token)
            .filter(|c| c.expires > now && c.conference_id == conference_id)?;
        entry.expires = deadline(now, ttl);
        Some(ttl)
    }

    /// Revokes every token; returns how many there were.
    pub(crate) fn expire_all(&mut self) -> usize {
        let n = self.access.len() + self.conf.len();
        self.access.clear();
        self.per_user.clear();
        self.conf.clear();
        self.ws.clear();
        n
    }

    /// Issues a WebSocket token for a meeting: valid [`WS_TOKEN_TTL`],
    /// once.
    pub(crate) fn issue_ws(&mut self, conference_id: &str) -> String {
        let now = Instant::now();
        self.ws.retain(|_, t| t.expires > now);
        let token = format!("{WS_TOKEN_PREFIX}{}", crate::random_hex(24));
        self.ws.insert(
            token.clone(),
            ConfToken {
                conference_id: conference_id.to_owned(),
                expires: deadline(now, WS_TOKEN_TTL),
            },
        );
        token
    }

    /// Uses up a WebSocket token for a meeting: why it is refused, if it
    /// is (unknown or used, expired, or for another meeting).
    pub(crate) fn take_ws(&mut self, token: &str, conference_id: &str) -> Result<(), &'static str> {
        let entry = self
            .ws
            .remove(token)
            .ok_or("the tmpToken is unknown or was already used")?;
        if entry.expires <= Instant::now() {
            return Err("the tmpToken has expired");
        }
        if entry.conference_id != conference_id {
            return Err("the tmpToken was issued for another meeting");
        }
        Ok(())
    }
}

/// Prefix of the WebSocket tokens the simulator issues.
pub(crate) const WS_TOKEN_PREFIX: &str = "sim-ws-";
/// How long a WebSocket token lives, as on the service.
pub(crate) const WS_TOKEN_TTL: Duration = Duration::from_secs(60);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oldest_access_token_is_revoked_past_the_limit() {
        let mut t = Tokens::new(Duration::from_secs(60), Duration::from_secs(60));
        let (first, _) = t.issue_access("u");
        for _ in 1..MAX_ACCESS_TOKENS_PER_USER {
            t.issue_access("u");
        }
        assert!(t.access_valid(&first));
        let (last, _) = t.issue_access("u");
        assert!(!t.access_valid(&first));
        assert!(t.access_valid(&last));
        let (other, _) = t.issue_access("v");
        assert!(t.access_valid(&other));
    }

    #[test]
    fn expired_tokens_of_many_users_are_forgotten() {
        let mut t = Tokens::new(Duration::ZERO, Duration::ZERO);
        for i in 0..5000 {
            t.issue_access(&format!("user-{i}"));
            t.issue_conf("1");
        }
        assert!(t.access.len() <= 1024, "{}", t.access.len());
        assert!(t.per_user.len() <= 1024, "{}", t.per_user.len());
        assert!(t.conf.len() <= 1024, "{}", t.conf.len());
    }

    #[test]
    fn conf_tokens_belong_to_one_meeting_and_expire() {
        let mut t = Tokens::new(Duration::from_secs(60), Duration::from_secs(60));
        let (tok, _) = t.issue_conf("1");
        assert_eq!(t.conf_conference(&tok), Some("1"));
        assert!(t.extend_conf(&tok, "2").is_none());
        assert!(t.extend_conf(&tok, "1").is_some());
        t.conf_ttl = Duration::ZERO;
        let (dead, _) = t.issue_conf("1");
        assert_eq!(t.conf_conference(&dead), None);
        assert_eq!(t.expire_all(), 2);
        assert_eq!(t.conf_conference(&tok), None);
    }

    #[test]
    fn access_tokens_are_extended_and_revoked_one_by_one() {
        let mut t = Tokens::new(Duration::from_secs(60), Duration::from_secs(60));
        let (a, _) = t.issue_access("u");
        let (b, _) = t.issue_access("u");
        assert_eq!(t.access_info(&a).unwrap().user, "u");
        assert_eq!(t.extend_access(&a), Some(Duration::from_secs(60)));
        assert!(t.revoke_access(&a));
        assert!(!t.revoke_access(&a));
        assert!(t.access_info(&a).is_none());
        assert!(t.extend_access(&a).is_none());
        assert!(t.access_valid(&b));
        let (c1, _) = t.issue_conf("1");
        let (c2, _) = t.issue_conf("2");
        assert_eq!(t.revoke_conf_of("1"), 1);
        assert_eq!(t.conf_conference(&c1), None);
        assert_eq!(t.conf_conference(&c2), Some("2"));
    }
}
