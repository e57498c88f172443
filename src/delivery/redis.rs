//! Delivery claims in Redis, shared by every instance of a receiver.

use std::fmt;
use std::sync::LazyLock;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, Script};

use super::store::{
    Claim, ClaimToken, IdempotencyStore, StoreError, StoreFuture, new_token, spawn_on_runtime,
};

/// Claims and handled keys in Redis: what a receiver running as several instances behind a load
/// balancer needs, since a retry may reach another instance.
///
/// The connection is a redis-rs [`ConnectionManager`]: after a Redis restart or a network cut it
/// reconnects by itself, and every command times out after [`TIMEOUT`](Self::TIMEOUT), so a
/// store failure is prompt and follows the receiver's
/// [`WhenStoreFails`](super::WhenStoreFails). Claiming, completing and giving up are each one
/// atomic Lua script (one round trip), checked against the claim's random token, so only the
/// holder of a claim can end it. A key holds `c:<token>:<lease end, ms>` while claimed and `d`
/// once handled, and expires by itself after the retention time.
///
/// ```no_run
/// use hookproof::delivery::{RedisStore, WhenStoreFails};
/// use hookproof::{Receiver, Secret, platnova::Platnova};
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let store = RedisStore::connect("redis://127.0.0.1:6379/").await?.with_prefix("payments:webhooks:");
/// let receiver = Receiver::new(Platnova::new(Secret::new("pn_live_9f8e7d6c5b4a")?))
///     .with_store(store)
///     .when_store_fails(WhenStoreFails::Refuse);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
}

/// `KEYS[1]` the key; `ARGV` token, lease (ms), retention of an abandoned claim (ms).
/// Returns 1 claimed, 2 claimed over an expired claim, 0 in progress, -1 done.
const CLAIM: &str = r"
local now = redis.call('TIME')
local now_ms = now[1] * 1000 + math.floor(now[2] / 1000)
local value = redis.call('GET', KEYS[1])
local taken_over = 0
if value then
  if value == 'd' then return -1 end
  local lease_end = tonumber(string.match(value, ':(%d+)$'))
  if lease_end and lease_end > now_ms then return 0 end
  taken_over = 1
end
redis.call('SET', KEYS[1], 'c:' .. ARGV[1] .. ':' .. (now_ms + tonumber(ARGV[2])), 'PX', ARGV[3])
return 1 + taken_over
";

/// `KEYS[1]` the key; `ARGV` token, retention (ms). Marks it handled if the token holds a live
/// claim: 1 done, 0 not ours.
const COMPLETE: &str = r"
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local token, lease_end = string.match(value, '^c:(.+):(%d+)$')
if token ~= ARGV[1] then return 0 end
local now = redis.call('TIME')
if tonumber(lease_end) <= now[1] * 1000 + math.floor(now[2] / 1000) then return 0 end
redis.call('SET', KEYS[1], 'd', 'PX', ARGV[2])
return 1
";

/// `KEYS[1]` the key; `ARGV` token. Frees it if the token holds its claim: 1 freed, 0 not ours.
const RELEASE: &str = r"
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local token = string.match(value, '^c:(.+):%d+$')
if token ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
";

impl RedisStore {
    /// The default key prefix.
    pub const DEFAULT_PREFIX: &'static str = "hookproof:delivery:";
    /// How long connecting, and then each command, may take before it is a store failure.
    pub const TIMEOUT: Duration = Duration::from_secs(2);
    /// How long an abandoned claim's record lingers (its lease decides when it can be taken
    /// over; this only bounds the memory it holds).
    const ABANDONED_CLAIM_RETENTION: Duration = Duration::from_secs(24 * 3600);

    /// Connects to the Redis at `url` (`redis://host:port/db`), reconnecting by itself later.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let client = Client::open(url).map_err(StoreError::new)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Self::TIMEOUT))
            .set_response_timeout(Some(Self::TIMEOUT))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        let connection = client
            .get_connection_manager_with_config(config)
            .await
            .map_err(StoreError::new)?;
        Ok(Self::new(connection))
    }

    /// Uses an existing connection manager.
    pub fn new(connection: ConnectionManager) -> Self {
        Self {
            connection,
            prefix: Self::DEFAULT_PREFIX.to_owned(),
        }
    }

    /// Prefixes every key with `prefix` (default [`DEFAULT_PREFIX`](Self::DEFAULT_PREFIX)), to
    /// share a Redis with other uses.
    #[must_use]
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

/// The scripts, hashed once; redis-rs runs them by hash and loads them when Redis lost them
/// (after a restart).
static CLAIM_SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(CLAIM));
static COMPLETE_SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(COMPLETE));
static RELEASE_SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(RELEASE));

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

impl IdempotencyStore for RedisStore {
    fn claim<'a>(&'a self, key: &'a str, lease: Duration) -> StoreFuture<'a, Claim> {
        Box::pin(async move {
            let token = new_token()?;
            let mut connection = self.connection.clone();
            let answer: i64 = CLAIM_SCRIPT
                .key(self.key(key))
                .arg(token.as_str())
                .arg(millis(lease))
                .arg(millis(lease.max(Self::ABANDONED_CLAIM_RETENTION)))
                .invoke_async(&mut connection)
                .await
                .map_err(StoreError::new)?;
            Ok(match answer {
                -1 => Claim::Done,
                0 => Claim::InProgress,
                taken => Claim::Claimed {
                    token,
                    taken_over: taken == 2,
                },
            })
        })
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
        retention: Duration,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let done: i64 = COMPLETE_SCRIPT
                .key(self.key(key))
                .arg(token.as_str())
                .arg(millis(retention))
                .invoke_async(&mut connection)
                .await
                .map_err(StoreError::new)?;
            Ok(done == 1)
        })
    }

    fn release<'a>(&'a self, key: &'a str, token: &'a ClaimToken) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let freed: i64 = RELEASE_SCRIPT
                .key(self.key(key))
                .arg(token.as_str())
                .invoke_async(&mut connection)
                .await
                .map_err(StoreError::new)?;
            Ok(freed == 1)
        })
    }

    fn detach(&self, work: StoreFuture<'static, bool>) {
        spawn_on_runtime(work);
    }
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}
