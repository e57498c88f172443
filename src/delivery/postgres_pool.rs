//! The connection pool the PostgreSQL store and the PostgreSQL inbox open.

use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use super::store::StoreError;

/// Up to this many connections.
const CONNECTIONS: u32 = 16;

/// A connection idle for this long is pinged before it is used again, and replaced if it broke
/// meanwhile (the server restarted). One in steady use is not: sqlx pings every connection it
/// takes back, so pinging it again on the way out would add a round trip to every statement
/// under load, when connections are idle for microseconds.
const PING_WHEN_IDLE_FOR: Duration = Duration::from_millis(100);

/// Connects to `url` with a pool whose connections are awaited at most `timeout`, and whose
/// statements run at most as long, so that a store failure is prompt.
pub(crate) async fn connect(url: &str, timeout: Duration) -> Result<PgPool, StoreError> {
    let statement_timeout = timeout.as_millis().to_string();
    let options = PgConnectOptions::from_str(url)
        .map_err(StoreError::new)?
        .options([("statement_timeout", statement_timeout.as_str())]);
    PgPoolOptions::new()
        .max_connections(CONNECTIONS)
        .acquire_timeout(timeout)
        .test_before_acquire(false)
        .before_acquire(|connection, metadata| {
            Box::pin(async move {
                if metadata.idle_for >= PING_WHEN_IDLE_FOR {
                    connection.ping().await?;
                }
                Ok(true)
            })
        })
        .connect_with(options)
        .await
        .map_err(StoreError::new)
}
