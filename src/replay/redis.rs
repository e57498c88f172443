//! Recently seen keys in Redis, shared by every instance of a receiver.

use std::fmt;
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Client};

use super::{GuardFuture, ReplayGuard, Sighting, StoreError};

/// Keys seen in the last `ttl`, in Redis: what a receiver running as several instances behind a
/// load balancer needs, since a retry may reach another instance.
///
/// Each check is one atomic command, `SET <prefix><key> 1 NX PX <ttl>`: Redis sets the key only
/// if it is absent and says whether it did, so of two instances checking the same key at the same
/// moment exactly one sees [`Sighting::First`]. Keys expire by themselves. A connection or
/// response failure is a [`StoreError`]; the receiver's [`WhenStoreFails`](super::WhenStoreFails)
/// decides what that means for the request.
///
/// ```no_run
/// use std::time::Duration;
/// use hookproof::replay::{RedisGuard, WhenStoreFails};
/// use hookproof::{Receiver, Secret, platnova::Platnova};
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let guard = RedisGuard::connect("redis://127.0.0.1:6379/", Duration::from_secs(24 * 3600))
///     .await?
///     .with_prefix("payments:webhooks:");
/// let receiver = Receiver::new(Platnova::new(Secret::new("pn_live_9f8e7d6c5b4a")?))
///     .with_replay_guard(guard, WhenStoreFails::Refuse);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisGuard {
    connection: MultiplexedConnection,
    prefix: String,
    ttl_ms: u64,
}

impl RedisGuard {
    /// The default key prefix.
    pub const DEFAULT_PREFIX: &'static str = "hookproof:replay:";
    /// How long [`connect`](Self::connect) waits to connect, and then for each answer.
    pub const TIMEOUT: Duration = Duration::from_secs(2);

    /// Connects to the Redis at `url` (`redis://host:port/db`); keys live for `ttl`.
    pub async fn connect(url: &str, ttl: Duration) -> Result<Self, StoreError> {
        let client = Client::open(url).map_err(StoreError::new)?;
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(Self::TIMEOUT))
            .set_response_timeout(Some(Self::TIMEOUT));
        let connection = client
            .get_multiplexed_async_connection_with_config(&config)
            .await
            .map_err(StoreError::new)?;
        Ok(Self::new(connection, ttl))
    }

    /// Uses an existing connection; keys live for `ttl` (at least a millisecond).
    pub fn new(connection: MultiplexedConnection, ttl: Duration) -> Self {
        Self {
            connection,
            prefix: Self::DEFAULT_PREFIX.to_owned(),
            ttl_ms: u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1),
        }
    }

    /// Prefixes every key with `prefix` (default [`DEFAULT_PREFIX`](Self::DEFAULT_PREFIX)), to
    /// share a Redis with other uses.
    #[must_use]
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }
}

impl ReplayGuard for RedisGuard {
    fn check<'a>(&'a self, key: &'a str) -> GuardFuture<'a, Sighting> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let set: Option<String> = redis::cmd("SET")
                .arg(format!("{}{key}", self.prefix))
                .arg(1)
                .arg("NX")
                .arg("PX")
                .arg(self.ttl_ms)
                .query_async(&mut connection)
                .await
                .map_err(StoreError::new)?;
            Ok(if set.is_some() {
                Sighting::First
            } else {
                Sighting::Repeat
            })
        })
    }

    fn forget<'a>(&'a self, key: &'a str) -> GuardFuture<'a, ()> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            redis::cmd("DEL")
                .arg(format!("{}{key}", self.prefix))
                .query_async::<()>(&mut connection)
                .await
                .map_err(StoreError::new)
        })
    }
}

impl fmt::Debug for RedisGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisGuard")
            .field("prefix", &self.prefix)
            .field("ttl_ms", &self.ttl_ms)
            .finish_non_exhaustive()
    }
}
