//! How failed deliveries are retried: exponential backoff with jitter, then a dead letter.

use std::time::Duration;

/// How failed deliveries are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Retry {
    /// The wait after the first failure (default 1 s); each next one is twice the last.
    pub first_wait: Duration,
    /// The longest wait (default 1 hour).
    pub max_wait: Duration,
    /// How many attempts before the delivery is dead-lettered (default 8: with the defaults,
    /// about two minutes of retries).
    pub max_attempts: u32,
}

impl Default for Retry {
    fn default() -> Self {
        Self {
            first_wait: Duration::from_secs(1),
            max_wait: Duration::from_secs(3600),
            max_attempts: 8,
        }
    }
}

impl Retry {
    /// Retries waiting `first_wait` after the first failure, doubling up to `max_wait`, and
    /// dead-lettering after `max_attempts` attempts (at least one).
    #[must_use]
    pub fn new(first_wait: Duration, max_wait: Duration, max_attempts: u32) -> Self {
        Self {
            first_wait,
            max_wait: max_wait.max(first_wait),
            max_attempts: max_attempts.max(1),
        }
    }

    /// The wait after failed attempt `attempt` (from 1), with up to a fifth taken off as `seed`
    /// (the row's id and attempt) says, so that rows that failed together do not retry
    /// together; `None` when no attempt is left.
    pub(crate) fn wait(&self, attempt: u32, seed: u64) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let doubled = self.first_wait.saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let wait = doubled.min(self.max_wait);
        let jitter = wait.mul_f64((seed % 1000) as f64 / 5000.0);
        Some(wait - jitter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_cap_with_a_fifth_of_jitter_then_stop() {
        let retry = Retry::default();
        let no_jitter = 0;
        assert_eq!(retry.wait(1, no_jitter), Some(Duration::from_secs(1)));
        assert_eq!(retry.wait(2, no_jitter), Some(Duration::from_secs(2)));
        assert_eq!(retry.wait(7, no_jitter), Some(Duration::from_secs(64)));
        assert_eq!(
            retry.wait(8, no_jitter),
            None,
            "the eighth failure is the last"
        );
        let most = retry.wait(3, 999).unwrap();
        assert!(
            most < Duration::from_secs(4) && most > Duration::from_millis(3200),
            "{most:?}"
        );
        let capped = Retry {
            max_attempts: 100,
            ..Retry::default()
        };
        assert_eq!(capped.wait(40, no_jitter), Some(Duration::from_secs(3600)));
    }
}
