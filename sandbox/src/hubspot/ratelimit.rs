//! HubSpot's API limits, per token (usage guidelines): a rolling ten-second window of
//! `hubspot_ten_secondly` requests, a daily allowance of `hubspot_daily` that resets at
//! midnight, and five requests per second for the search endpoints (search guide), which are
//! exempt from the ten-second window (the spec marks search and associations v4 batch
//! operations `x-hubspot-rate-limit-exemptions: ["ten-secondly"]`).
//!
//! Time runs `time_scale` times faster: the window is 10,000 / time_scale ms and
//! `X-HubSpot-RateLimit-Interval-Milliseconds` reports that, so a client pacing itself by the
//! headers is right at any scale. The day is a virtual one: virtual time starts at the real
//! wall clock and runs `time_scale` times faster; the allowance resets when the virtual UTC
//! date changes.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Which limits a request counts against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LimitKind {
    /// Ten-second window and daily allowance.
    Standard,
    /// Five per second and daily allowance (CRM search).
    Search,
    /// Daily allowance only (associations v4 batch operations).
    TenSecondlyExempt,
}

/// The limit a refused request hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Policy {
    TenSecondlyRolling,
    Secondly,
    Daily,
}

impl Policy {
    pub fn name(self) -> &'static str {
        match self {
            Policy::TenSecondlyRolling => "TEN_SECONDLY_ROLLING",
            Policy::Secondly => "SECONDLY",
            Policy::Daily => "DAILY",
        }
    }
}

pub(crate) struct Admission {
    pub refused: Option<Policy>,
    pub headers: Vec<(&'static str, String)>,
}

pub(crate) struct Limiter {
    scale: f64,
    lifted: bool,
    max: u32,
    daily_limit: u64,
    window: VecDeque<Instant>,
    search_window: VecDeque<Instant>,
    burst_until: Option<Instant>,
    daily_remaining: u64,
    day: i64,
    start: Instant,
    start_wall_ms: i64,
}

const SEARCH_PER_SECOND: usize = 5;
/// The window advertised when limits are lifted.
const LIFTED_MAX: u32 = 1_000_000;

impl Limiter {
    pub fn new(scale: f64, lifted: bool, max: u32, daily_limit: u64) -> Limiter {
        let start_wall_ms = chrono::Utc::now().timestamp_millis();
        Limiter {
            scale,
            lifted,
            max,
            daily_limit,
            window: VecDeque::new(),
            search_window: VecDeque::new(),
            burst_until: None,
            daily_remaining: daily_limit,
            day: start_wall_ms.div_euclid(86_400_000),
            start: Instant::now(),
            start_wall_ms,
        }
    }

    /// The rolling window in real time.
    pub fn window(&self) -> Duration {
        Duration::from_secs_f64(10.0 / self.scale)
    }

    fn second(&self) -> Duration {
        Duration::from_secs_f64(1.0 / self.scale)
    }

    fn virtual_day(&self, now: Instant) -> i64 {
        let elapsed = now.duration_since(self.start).as_secs_f64() * 1000.0 * self.scale;
        (self.start_wall_ms + elapsed as i64).div_euclid(86_400_000)
    }

    fn roll(&mut self, now: Instant) {
        let day = self.virtual_day(now);
        if day != self.day {
            self.day = day;
            self.daily_remaining = self.daily_limit;
        }
        let w = self.window();
        while self
            .window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= w)
        {
            self.window.pop_front();
        }
        let s = self.second();
        while self
            .search_window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= s)
        {
            self.search_window.pop_front();
        }
        if self.burst_until.is_some_and(|t| now >= t) {
            self.burst_until = None;
        }
    }

    /// Counts a request, or refuses it with the policy it hit.
    pub fn admit(&mut self, kind: LimitKind) -> Admission {
        let now = Instant::now();
        self.roll(now);
        let refused = if self.lifted {
            None
        } else if self.daily_remaining == 0 {
            Some(Policy::Daily)
        } else if (self.burst_until.is_some() && kind != LimitKind::Search)
            || (kind == LimitKind::Standard && self.window.len() >= self.max as usize)
        {
            Some(Policy::TenSecondlyRolling)
        } else if kind == LimitKind::Search && self.search_window.len() >= SEARCH_PER_SECOND {
            Some(Policy::Secondly)
        } else {
            None
        };
        if refused.is_none() {
            match kind {
                LimitKind::Standard => self.window.push_back(now),
                LimitKind::Search => self.search_window.push_back(now),
                LimitKind::TenSecondlyExempt => {}
            }
            self.daily_remaining = self.daily_remaining.saturating_sub(1);
        }
        Admission {
            refused,
            headers: self.headers(refused),
        }
    }

    /// The rest of the current window is refused (the `rate_limit_burst` fault).
    pub fn start_burst(&mut self) {
        self.burst_until = Some(Instant::now() + self.window());
    }

    fn headers(&self, refused: Option<Policy>) -> Vec<(&'static str, String)> {
        // With limits lifted (overhead benchmarks) the advertised window is as large as the
        // enforced one, so a client pacing by the headers is not held back either.
        let max = if self.lifted { LIFTED_MAX } else { self.max };
        let remaining = match refused {
            Some(Policy::TenSecondlyRolling) => 0,
            _ if self.burst_until.is_some() => 0,
            _ => (max as usize).saturating_sub(self.window.len()),
        };
        vec![
            ("x-hubspot-ratelimit-daily", self.daily_limit.to_string()),
            (
                "x-hubspot-ratelimit-daily-remaining",
                self.daily_remaining.to_string(),
            ),
            (
                "x-hubspot-ratelimit-interval-milliseconds",
                (self.window().as_millis()).to_string(),
            ),
            ("x-hubspot-ratelimit-max", max.to_string()),
            ("x-hubspot-ratelimit-remaining", remaining.to_string()),
        ]
    }

    pub fn daily_remaining(&self) -> u64 {
        self.daily_remaining
    }

    pub fn set_daily_remaining(&mut self, n: u64) {
        self.roll(Instant::now());
        self.daily_remaining = n;
    }

    /// A new day: the full allowance again.
    pub fn reset_daily(&mut self) {
        self.roll(Instant::now());
        self.daily_remaining = self.daily_limit;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_fills_and_empties() {
        let mut l = Limiter::new(1000.0, false, 3, 100);
        for _ in 0..3 {
            assert!(l.admit(LimitKind::Standard).refused.is_none());
        }
        assert_eq!(
            l.admit(LimitKind::Standard).refused,
            Some(Policy::TenSecondlyRolling)
        );
        // Search does not use the ten-second window.
        assert!(l.admit(LimitKind::Search).refused.is_none());
        std::thread::sleep(l.window());
        assert!(l.admit(LimitKind::Standard).refused.is_none());
    }

    #[test]
    fn daily_allowance() {
        let mut l = Limiter::new(1.0, false, 10, 2);
        assert!(l.admit(LimitKind::TenSecondlyExempt).refused.is_none());
        assert!(l.admit(LimitKind::Standard).refused.is_none());
        assert_eq!(l.admit(LimitKind::Standard).refused, Some(Policy::Daily));
        l.reset_daily();
        assert!(l.admit(LimitKind::Standard).refused.is_none());
    }
}
