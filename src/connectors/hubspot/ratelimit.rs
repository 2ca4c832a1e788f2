//! Pacing by HubSpot's rolling ten-second window.
//!
//! HubSpot counts requests per app in a rolling window and says how many in every answer
//! (`X-HubSpot-RateLimit-Max`, `-Remaining`, `-Interval-Milliseconds`). We keep our own log of
//! requests and let a new one start only while the log for the last window has room. A slot is
//! taken when a request starts and counted from when its answer arrives, which is never earlier
//! than HubSpot counted it (on arrival), so our window never runs ahead of HubSpot's, however
//! long a request queued on the way.
//!
//! Requests are also spread evenly over the window (one every `interval / max`, with a burst of a
//! few): sent all at once, a window's worth of batches queue at HubSpot, each answer comes late,
//! and as every slot is counted from its answer, the next window starts late by that queueing
//! (measured: 190-request bursts every ~11.5 s instead of 10, 85 % of the sustained rate). Spread
//! out, answers come back quickly and the window turns over on time.
//!
//! The answer's `Remaining` corrects our log: when HubSpot has counted more than our log holds
//! (another client using the same app), the difference is charged from now.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
struct Window {
    max: u32,
    interval: Duration,
    done: VecDeque<Instant>,
    in_flight: u32,
    blocked_until: Option<Instant>,
    daily_remaining: Option<u64>,
    /// When the next request may start under even spacing (the "theoretical arrival time").
    next_start: Instant,
}

/// Requests that may start back to back before even spacing applies.
const BURST: u32 = 8;

#[derive(Debug)]
pub struct RateLimiter {
    window: Mutex<Window>,
}

/// A taken slot; give it back with [`RateLimiter::finish`] when the answer has arrived.
#[must_use]
pub struct Slot(());

impl Default for RateLimiter {
    fn default() -> Self {
        // Until the first answer tells us the real limit, assume the lowest tier's.
        RateLimiter {
            window: Mutex::new(Window {
                max: 100,
                interval: Duration::from_secs(10),
                done: VecDeque::new(),
                in_flight: 0,
                blocked_until: None,
                daily_remaining: None,
                next_start: Instant::now(),
            }),
        }
    }
}

impl RateLimiter {
    /// Waits for a free slot in the window.
    pub async fn acquire(&self) -> Slot {
        loop {
            let wait = {
                let mut w = self.window.lock().unwrap();
                let now = Instant::now();
                match w.blocked_until {
                    Some(until) if until > now => Some(until - now),
                    _ => {
                        w.blocked_until = None;
                        while w
                            .done
                            .front()
                            .is_some_and(|t| now.duration_since(*t) >= w.interval)
                        {
                            w.done.pop_front();
                        }
                        let spacing = w.interval / w.max.max(1);
                        let earliest = w.next_start.checked_sub(spacing * BURST);
                        if earliest.is_some_and(|e| e > now) {
                            Some(earliest.unwrap() - now)
                        } else if (w.done.len() as u32 + w.in_flight) < w.max {
                            w.in_flight += 1;
                            w.next_start = w.next_start.max(now) + spacing;
                            None
                        } else if let Some(oldest) = w.done.front() {
                            Some(w.interval.saturating_sub(now.duration_since(*oldest)))
                        } else {
                            // Everything is in flight: wait a little for an answer.
                            Some(Duration::from_millis(5))
                        }
                    }
                }
            };
            match wait {
                None => return Slot(()),
                Some(d) => tokio::time::sleep(d.max(Duration::from_millis(1))).await,
            }
        }
    }

    /// Gives the slot back, with what the answer's headers said (if anything).
    pub fn finish(&self, slot: Slot, headers: Option<&reqwest::header::HeaderMap>) {
        let Slot(()) = slot;
        let now = Instant::now();
        let mut w = self.window.lock().unwrap();
        w.in_flight = w.in_flight.saturating_sub(1);
        w.done.push_back(now);
        let Some(headers) = headers else { return };
        let num = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|s| s.trim().parse::<u64>().ok())
        };
        if let Some(max) = num("x-hubspot-ratelimit-max").filter(|m| *m > 0) {
            w.max = max as u32;
        }
        if let Some(ms) = num("x-hubspot-ratelimit-interval-milliseconds").filter(|m| *m > 0) {
            w.interval = Duration::from_millis(ms);
        }
        if let Some(remaining) = num("x-hubspot-ratelimit-remaining") {
            let interval = w.interval;
            while w
                .done
                .front()
                .is_some_and(|t| now.duration_since(*t) >= interval)
            {
                w.done.pop_front();
            }
            // HubSpot's count includes our requests still in flight; anything beyond ours is
            // someone else's (or counted earlier than we assumed): charge it from now.
            let hubspot_used = u64::from(w.max).saturating_sub(remaining);
            let ours = (w.done.len() as u64) + u64::from(w.in_flight);
            for _ in ours..hubspot_used {
                w.done.push_back(now);
            }
        }
        if let Some(daily) = num("x-hubspot-ratelimit-daily-remaining") {
            w.daily_remaining = Some(daily);
        }
    }

    /// After a ten-secondly 429: nothing goes out until the window has passed.
    pub fn block_for_window(&self) -> Duration {
        let mut w = self.window.lock().unwrap();
        let until = Instant::now() + w.interval;
        w.blocked_until = Some(until);
        w.interval
    }

    /// The length of the window, as HubSpot last reported it.
    pub fn interval(&self) -> Duration {
        self.window.lock().unwrap().interval
    }

    /// Requests per window, as HubSpot last reported it.
    pub fn max(&self) -> u32 {
        self.window.lock().unwrap().max
    }

    /// HubSpot said the daily allowance is used up.
    pub fn daily_exhausted(&self) -> bool {
        self.window.lock().unwrap().daily_remaining == Some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn never_more_than_max_in_a_window() {
        let limiter = RateLimiter::default();
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-hubspot-ratelimit-max", "3".parse().unwrap());
        headers.insert(
            "x-hubspot-ratelimit-interval-milliseconds",
            "1000".parse().unwrap(),
        );
        let slot = limiter.acquire().await;
        limiter.finish(slot, Some(&headers));
        let start = Instant::now();
        for _ in 0..2 {
            let slot = limiter.acquire().await;
            limiter.finish(slot, None);
        }
        assert!(start.elapsed() < Duration::from_millis(10));
        let slot = limiter.acquire().await; // the 4th must wait for the window
        assert!(
            start.elapsed() >= Duration::from_millis(990),
            "{:?}",
            start.elapsed()
        );
        limiter.finish(slot, None);
    }

    fn window_headers(
        max: &str,
        interval_ms: &str,
        remaining: Option<&str>,
    ) -> reqwest::header::HeaderMap {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-hubspot-ratelimit-max", max.parse().unwrap());
        headers.insert(
            "x-hubspot-ratelimit-interval-milliseconds",
            interval_ms.parse().unwrap(),
        );
        if let Some(r) = remaining {
            headers.insert("x-hubspot-ratelimit-remaining", r.parse().unwrap());
        }
        headers
    }

    #[tokio::test]
    async fn requests_are_spread_over_the_window_after_a_short_burst() {
        let limiter = RateLimiter::default();
        let slot = limiter.acquire().await;
        // 100 per second: one every 10 ms once the burst is used.
        limiter.finish(slot, Some(&window_headers("100", "1000", None)));
        let start = Instant::now();
        for _ in 0..(BURST + 20) {
            let slot = limiter.acquire().await;
            limiter.finish(slot, None);
        }
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(180) && took < Duration::from_millis(400),
            "{took:?}"
        );
    }

    #[tokio::test]
    async fn requests_hubspot_counted_beyond_ours_fill_the_window() {
        let limiter = RateLimiter::default();
        // One request of ours, but HubSpot says the window of 3 is used up: someone else sent 2.
        let slot = limiter.acquire().await;
        limiter.finish(slot, Some(&window_headers("3", "300", Some("0"))));
        let start = Instant::now();
        let slot = limiter.acquire().await;
        assert!(
            start.elapsed() >= Duration::from_millis(250),
            "{:?}",
            start.elapsed()
        );
        limiter.finish(slot, None);
    }

    #[tokio::test]
    async fn remaining_that_matches_our_own_count_costs_no_wait() {
        let limiter = RateLimiter::default();
        for remaining in ["2", "1"] {
            let slot = limiter.acquire().await;
            limiter.finish(slot, Some(&window_headers("3", "10000", Some(remaining))));
        }
        let start = Instant::now();
        let slot = limiter.acquire().await;
        assert!(start.elapsed() < Duration::from_millis(50));
        limiter.finish(slot, None);
    }
}
