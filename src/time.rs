//! Unix timestamps, the clock that judges them, and the freshness window some providers allow.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::Error;

/// A Unix timestamp as providers send it: a JSON integer or decimal text, in seconds, or in
/// milliseconds when it is 10¹² or more (InPlayer's `subscription.rebill.failed` sends
/// `1669043475000`; in seconds that would be the year 54,860).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime {
    millis: i64,
}

impl UnixTime {
    /// Values from this one up are milliseconds.
    pub const MILLISECONDS_FROM: i64 = 1_000_000_000_000;

    /// The timestamp `secs` seconds after the epoch (before it, if negative).
    pub const fn from_secs(secs: i64) -> Self {
        Self {
            millis: secs.saturating_mul(1000),
        }
    }

    /// The timestamp `millis` milliseconds after the epoch.
    pub const fn from_millis(millis: i64) -> Self {
        Self { millis }
    }

    /// What a provider's number means: milliseconds from [`MILLISECONDS_FROM`](Self::MILLISECONDS_FROM)
    /// (in either direction), seconds below.
    pub const fn from_sent(value: i64) -> Self {
        if value >= Self::MILLISECONDS_FROM || value <= -Self::MILLISECONDS_FROM {
            Self::from_millis(value)
        } else {
            Self::from_secs(value)
        }
    }

    /// Whole seconds since the epoch (rounded towards the past).
    pub const fn as_secs(self) -> i64 {
        self.millis.div_euclid(1000)
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> i64 {
        self.millis
    }

    /// The same instant as a [`SystemTime`].
    pub fn to_system_time(self) -> SystemTime {
        let offset = Duration::from_millis(self.millis.unsigned_abs());
        if self.millis >= 0 {
            UNIX_EPOCH + offset
        } else {
            UNIX_EPOCH - offset
        }
    }
}

impl fmt::Display for UnixTime {
    /// Seconds, with milliseconds when there are any.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.millis.rem_euclid(1000) {
            0 => self.as_secs().fmt(f),
            millis => write!(f, "{}.{millis:03}", self.as_secs()),
        }
    }
}

impl<'de> Deserialize<'de> for UnixTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SecondsVisitor;

        impl Visitor<'_> for SecondsVisitor {
            type Value = UnixTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Unix timestamp in whole seconds or milliseconds")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<UnixTime, E> {
                Ok(UnixTime::from_sent(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<UnixTime, E> {
                i64::try_from(value)
                    .map(UnixTime::from_sent)
                    .map_err(|_| E::custom("the Unix timestamp is out of range"))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<UnixTime, E> {
                text.parse().map(UnixTime::from_sent).map_err(|_| {
                    E::custom("expected a Unix timestamp in whole seconds or milliseconds")
                })
            }
        }

        deserializer.deserialize_any(SecondsVisitor)
    }
}

/// Where "now" comes from when a timestamp's age is judged. Inject one in tests.
///
/// Any `Fn() -> SystemTime` is a clock:
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use hookproof::Clock;
///
/// let fixed = || UNIX_EPOCH + Duration::from_secs(1_559_906_599);
/// assert_eq!(fixed.now(), UNIX_EPOCH + Duration::from_secs(1_559_906_599));
/// ```
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

impl<F: Fn() -> SystemTime + Send + Sync> Clock for F {
    fn now(&self) -> SystemTime {
        self()
    }
}

/// Accepts signed timestamps within `tolerance` of now, in both directions.
#[derive(Clone)]
pub(crate) struct Freshness {
    tolerance: Duration,
    clock: Arc<dyn Clock>,
}

impl Freshness {
    pub(crate) fn new(tolerance: Duration) -> Self {
        Self {
            tolerance,
            clock: Arc::new(SystemClock),
        }
    }

    pub(crate) fn with_tolerance(self, tolerance: Duration) -> Self {
        Self { tolerance, ..self }
    }

    pub(crate) fn with_clock(self, clock: impl Clock + 'static) -> Self {
        Self {
            clock: Arc::new(clock),
            ..self
        }
    }

    /// [`StaleTimestamp`](crate::ErrorKind::StaleTimestamp) or
    /// [`FutureTimestamp`](crate::ErrorKind::FutureTimestamp) outside the window.
    pub(crate) fn check(&self, at: UnixTime) -> Result<(), Error> {
        let tolerance = self.tolerance.as_secs();
        match self.clock.now().duration_since(at.to_system_time()) {
            Ok(age) if age > self.tolerance => {
                Err(Error::stale_timestamp(age.as_secs(), tolerance))
            }
            Err(ahead) if ahead.duration() > self.tolerance => Err(Error::future_timestamp(
                ahead.duration().as_secs(),
                tolerance,
            )),
            _ => Ok(()),
        }
    }
}

impl Freshness {
    /// [`check`](Self::check), refusing an absent timestamp as stale: nothing shows the event
    /// is fresh.
    pub(crate) fn check_present(&self, at: Option<UnixTime>) -> Result<(), Error> {
        match at {
            Some(at) => self.check(at),
            None => Err(Error::new(
                crate::ErrorKind::StaleTimestamp,
                "the body has no signed timestamp, and this receiver requires a fresh one",
            )),
        }
    }
}

impl fmt::Debug for Freshness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Freshness")
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn the_window_is_two_sided() {
        let now = UnixTime::from_secs(1_000_000);
        let freshness =
            Freshness::new(Duration::from_secs(300)).with_clock(move || now.to_system_time());
        assert!(freshness.check(UnixTime::from_secs(1_000_000)).is_ok());
        assert!(freshness.check(UnixTime::from_secs(999_700)).is_ok());
        assert!(freshness.check(UnixTime::from_secs(1_000_300)).is_ok());
        let stale = freshness.check(UnixTime::from_secs(999_699)).unwrap_err();
        assert_eq!(stale.kind(), ErrorKind::StaleTimestamp);
        assert_eq!(
            stale.to_string(),
            "the signed timestamp is 301 s old; the tolerance is 300 s"
        );
        let future = freshness.check(UnixTime::from_secs(1_000_301)).unwrap_err();
        assert_eq!(future.kind(), ErrorKind::FutureTimestamp);
    }

    #[test]
    fn timestamps_read_from_numbers_and_text() {
        assert_eq!(
            serde_json::from_str::<UnixTime>("1559906599")
                .unwrap()
                .as_secs(),
            1_559_906_599
        );
        assert_eq!(
            serde_json::from_str::<UnixTime>("\"1559906599\"")
                .unwrap()
                .as_secs(),
            1_559_906_599
        );
        assert_eq!(
            serde_json::from_str::<UnixTime>("-1")
                .unwrap()
                .to_system_time(),
            UNIX_EPOCH - Duration::from_secs(1)
        );
        assert!(serde_json::from_str::<UnixTime>("1.5").is_err());
        // 10^12 and above are milliseconds (InPlayer's subscription.rebill.failed).
        let millis = serde_json::from_str::<UnixTime>("1669043475000").unwrap();
        assert_eq!(
            (millis.as_secs(), millis.as_millis()),
            (1_669_043_475, 1_669_043_475_000)
        );
        let just_below = serde_json::from_str::<UnixTime>("999999999999").unwrap();
        assert_eq!(just_below.as_secs(), 999_999_999_999);
        assert_eq!(UnixTime::from_millis(1_500).to_string(), "1.500");
        assert!(serde_json::from_str::<UnixTime>("18446744073709551615").is_err());
    }
}
