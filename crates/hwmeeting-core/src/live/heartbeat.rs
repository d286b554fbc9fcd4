//! Heartbeat timing, sans-IO: the caller passes `now` and does what
//! [`Heartbeat::poll`] says. A `HeartBeat` goes out every `interval` (the
//! service closes a channel that sends none for 180 s and recommends 60 s);
//! any frame received counts as a sign of life (the service echoes
//! heartbeats), and a channel silent for `dead_after` is dead.

use std::time::{Duration, Instant};

use super::frame::{self, Sequences};

/// The timings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeartbeatConfig {
    /// How often a heartbeat is sent (default 60 s).
    pub interval: Duration,
    /// How long a channel may stay silent before it counts as dead
    /// (default 150 s: two heartbeats unanswered and a half).
    pub dead_after: Duration,
}

impl Default for HeartbeatConfig {
    fn default() -> Self {
        HeartbeatConfig {
            interval: Duration::from_secs(60),
            dead_after: Duration::from_secs(150),
        }
    }
}

/// What to do now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeartbeatStep {
    /// Send this `HeartBeat` frame, then poll again at the deadline.
    Send(String),
    /// Nothing before this instant.
    WaitUntil(Instant),
    /// Nothing was received for this long: the channel is dead.
    Dead(Duration),
}

/// The heartbeat state of one connection.
#[derive(Clone, Debug)]
pub struct Heartbeat {
    config: HeartbeatConfig,
    sequences: Sequences,
    last_sent: Instant,
    last_heard: Instant,
}

impl Heartbeat {
    /// A connection opened at `now` (the subscription counts as the first
    /// frame sent).
    pub fn new(config: HeartbeatConfig, now: Instant) -> Self {
        Heartbeat {
            config,
            sequences: Sequences::new(),
            last_sent: now,
            last_heard: now,
        }
    }

    /// The sequences of this connection (for the `Subscribe` frame too).
    pub fn sequences(&mut self) -> &mut Sequences {
        &mut self.sequences
    }

    /// A frame arrived at `now`.
    pub fn heard(&mut self, now: Instant) {
        self.last_heard = self.last_heard.max(now);
    }

    /// What to do at `now` (`unix_ms` is the same moment in Unix ms, for
    /// the frame's `sequence`).
    pub fn poll(&mut self, now: Instant, unix_ms: u64) -> HeartbeatStep {
        let silent = now.saturating_duration_since(self.last_heard);
        if silent >= self.config.dead_after {
            return HeartbeatStep::Dead(silent);
        }
        if now.saturating_duration_since(self.last_sent) >= self.config.interval {
            self.last_sent = now;
            return HeartbeatStep::Send(frame::heartbeat(&self.sequences.next(unix_ms)));
        }
        HeartbeatStep::WaitUntil(self.deadline())
    }

    /// The next instant [`poll`](Self::poll) has something to do.
    pub fn deadline(&self) -> Instant {
        (self.last_sent + self.config.interval).min(self.last_heard + self.config.dead_after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heartbeats_go_out_on_time_and_silence_kills() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut hb = Heartbeat::new(HeartbeatConfig::default(), t0);
        assert_eq!(hb.poll(t0, 1_000), HeartbeatStep::WaitUntil(t0 + s(60)));
        assert_eq!(
            hb.poll(t0 + s(60), 1_611_993_655_770),
            HeartbeatStep::Send(
                r#"{"sequence":"000000000000000001611993655770","action":"HeartBeat"}"#.into()
            )
        );
        // The echo arrives: alive, next heartbeat at 120 s.
        hb.heard(t0 + s(61));
        assert_eq!(
            hb.poll(t0 + s(61), 0),
            HeartbeatStep::WaitUntil(t0 + s(120))
        );
        assert!(matches!(hb.poll(t0 + s(120), 0), HeartbeatStep::Send(_)));
        // No echo any more: dead 150 s after the last frame heard.
        assert_eq!(hb.deadline(), t0 + s(180));
        assert!(matches!(hb.poll(t0 + s(180), 0), HeartbeatStep::Send(_)));
        assert_eq!(hb.deadline(), t0 + s(211));
        assert_eq!(hb.poll(t0 + s(211), 0), HeartbeatStep::Dead(s(150)));
    }

    #[test]
    fn a_frame_heard_in_the_past_does_not_move_life_back() {
        let t0 = Instant::now();
        let mut hb = Heartbeat::new(
            HeartbeatConfig {
                interval: Duration::from_millis(100),
                dead_after: Duration::from_millis(250),
            },
            t0 + Duration::from_millis(50),
        );
        hb.heard(t0);
        assert_eq!(hb.deadline(), t0 + Duration::from_millis(150));
        assert!(matches!(
            hb.poll(t0 + Duration::from_millis(300), 0),
            HeartbeatStep::Dead(_)
        ));
    }
}
