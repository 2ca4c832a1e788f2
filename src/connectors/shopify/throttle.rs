//! Pacing by Shopify's cost-based leaky bucket.
//!
//! Every answer reports `extensions.cost.throttleStatus`: how many points are available now, the
//! bucket's size, and how fast it refills. Before each request we wait until the bucket will
//! hold the request's requested cost (Shopify's only condition: the requested cost must be
//! available when the request arrives; the difference to the actual cost is refunded when it is
//! answered), counting the refill while we wait, so requests are rarely THROTTLED.

use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Throttle {
    available: f64,
    maximum: f64,
    restore_rate: f64,
    at: Instant,
    known: bool,
    /// Points booked by requests waiting to be sent or in flight.
    pending: f64,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle {
            available: 0.0,
            maximum: 0.0,
            restore_rate: 0.0,
            at: Instant::now(),
            known: false,
            pending: 0.0,
        }
    }
}

/// The bucket as the last answer reported it, refilled to now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    pub available: f64,
    pub maximum: f64,
    pub restore_rate: f64,
}

impl Throttle {
    /// The bucket now (what the last answer reported plus the refill since, less the points
    /// booked by requests waiting or in flight); `None` until an answer told us.
    pub fn bucket(&self) -> Option<Bucket> {
        (self.known && self.restore_rate > 0.0).then(|| Bucket {
            available: (self.available_now() - self.pending).max(0.0),
            maximum: self.maximum,
            restore_rate: self.restore_rate,
        })
    }

    /// How long to wait before a request of `cost` points, assuming the bucket refills at the
    /// last reported rate. Zero until the first answer told us the bucket.
    pub fn wait_for(&self, cost: f64) -> Duration {
        if !self.known || self.restore_rate <= 0.0 {
            return Duration::ZERO;
        }
        let cost = cost.min(self.maximum);
        let now = self.available_now();
        if now >= cost {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((cost - now) / self.restore_rate)
        }
    }

    /// Like [`Throttle::wait_for`], and books `cost` for a request about to be sent, so that
    /// requests sent concurrently queue behind each other instead of all seeing the same free
    /// points (and all being THROTTLED). Returns the wait and the points booked; give the
    /// points back with [`Throttle::release`] when the answer (or the failure) comes.
    pub fn reserve(&mut self, cost: f64) -> (Duration, f64) {
        if !self.known || self.restore_rate <= 0.0 {
            return (Duration::ZERO, 0.0);
        }
        let cost = cost.min(self.maximum);
        let free = self.available_now() - self.pending;
        self.pending += cost;
        let wait = if free >= cost {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((cost - free) / self.restore_rate)
        };
        (wait, cost)
    }

    /// A request booked with [`Throttle::reserve`] was answered: Shopify's next
    /// `throttleStatus` counts it, so its booking ends.
    pub fn release(&mut self, booked: f64) {
        self.pending = (self.pending - booked).max(0.0);
    }

    fn available_now(&self) -> f64 {
        (self.available + self.at.elapsed().as_secs_f64() * self.restore_rate).min(self.maximum)
    }

    /// Records the bucket as an answer reported it.
    pub fn observe(&mut self, status: &serde_json::Value) {
        let num = |k: &str| status.get(k).and_then(|v| v.as_f64());
        if let (Some(available), Some(maximum), Some(restore)) = (
            num("currentlyAvailable"),
            num("maximumAvailable"),
            num("restoreRate"),
        ) {
            self.available = available;
            self.maximum = maximum;
            self.restore_rate = restore;
            self.at = Instant::now();
            self.known = true;
        }
    }

    /// The wait after a THROTTLED answer: until the bucket holds the requested cost again.
    pub fn wait_after_throttled(&self, requested: f64) -> Duration {
        let wait = self.wait_for(requested);
        if wait.is_zero() {
            Duration::from_millis(500)
        } else {
            wait
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_for_the_bucket_to_refill() {
        let mut t = Throttle::default();
        assert_eq!(t.wait_for(500.0), Duration::ZERO);
        t.observe(&serde_json::json!({"maximumAvailable": 2000.0, "currentlyAvailable": 100, "restoreRate": 100.0}));
        let wait = t.wait_for(300.0).as_secs_f64();
        assert!((1.9..=2.0).contains(&wait), "{wait}");
        assert_eq!(t.wait_for(50.0), Duration::ZERO);
    }

    #[test]
    fn concurrent_reservations_queue_behind_each_other() {
        let mut t = Throttle::default();
        t.observe(&serde_json::json!({"maximumAvailable": 2000.0, "currentlyAvailable": 25, "restoreRate": 100.0}));
        assert_eq!(t.reserve(10.0).0, Duration::ZERO);
        assert_eq!(t.reserve(10.0).0, Duration::ZERO);
        // 5 points left: the third waits for 5 more, the fourth for 15.
        let third = t.reserve(10.0).0.as_secs_f64();
        let (fourth, booked) = t.reserve(10.0);
        assert!((0.04..=0.05).contains(&third), "{third}");
        assert!((0.14..=0.15).contains(&fourth.as_secs_f64()), "{fourth:?}");
        // Answers come back: Shopify's status counts them, the bookings end.
        for _ in 0..4 {
            t.release(booked);
        }
        t.observe(&serde_json::json!({"maximumAvailable": 2000.0, "currentlyAvailable": 1000, "restoreRate": 100.0}));
        assert_eq!(t.reserve(10.0).0, Duration::ZERO);
    }
}
