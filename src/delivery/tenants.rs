//! Many tenants on one receiver: each request's tenant comes from the request, and that
//! tenant's keys from a source the application implements, cached.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use super::store::StoreError;
use crate::secret::KeyRing;

/// A future a [`KeySource`] returns.
pub type SourceFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Where tenants' keys live: a database, a secret manager, a file. Implement it for yours.
///
/// ```
/// use std::collections::HashMap;
/// use hookproof::delivery::{KeySource, SourceFuture};
/// use hookproof::{KeyRing, Secret};
///
/// /// Tenants' secrets held in memory, as a test might.
/// struct Fixed(HashMap<&'static str, &'static str>);
///
/// impl KeySource for Fixed {
///     fn keys<'a>(&'a self, _provider: &'a str, tenant: &'a str) -> SourceFuture<'a, Option<KeyRing>> {
///         let ring = self.0.get(tenant).map(|secret| KeyRing::from(Secret::new(*secret).unwrap()));
///         Box::pin(async move { Ok(ring) })
///     }
/// }
/// ```
pub trait KeySource: Send + Sync {
    /// `tenant`'s keys for `provider` (its name: `platnova`, …): `Ok(None)` when there is no
    /// such tenant, an error when the source cannot answer. A ring may hold a tenant's old and
    /// new secret during a rotation.
    fn keys<'a>(&'a self, provider: &'a str, tenant: &'a str) -> SourceFuture<'a, Option<KeyRing>>;
}

/// A provider per tenant, built from the tenant's keys and cached.
pub(crate) struct TenantProviders<P> {
    source: Arc<dyn KeySource>,
    build: Box<dyn Fn(KeyRing) -> Option<P> + Send + Sync>,
    cache: moka::future::Cache<String, Option<Arc<P>>>,
    ttl: Duration,
    capacity: u64,
}

impl<P: Send + Sync + 'static> TenantProviders<P> {
    pub(crate) fn new(
        source: impl KeySource + 'static,
        build: impl Fn(KeyRing) -> Option<P> + Send + Sync + 'static,
        ttl: Duration,
        capacity: u64,
    ) -> Self {
        Self {
            source: Arc::new(source),
            build: Box::new(build),
            cache: moka::future::Cache::builder()
                .max_capacity(capacity)
                .time_to_live(ttl)
                .build(),
            ttl,
            capacity,
        }
    }

    /// The same source and builder with another cache.
    pub(crate) fn with_cache(self, ttl: Duration, capacity: u64) -> Self {
        Self {
            cache: moka::future::Cache::builder()
                .max_capacity(capacity)
                .time_to_live(ttl)
                .build(),
            ttl,
            capacity,
            ..self
        }
    }

    /// `tenant`'s provider, asking the source only on a cache miss; concurrent misses for one
    /// tenant ask it once. `Ok(None)`: no such tenant (cached too, so an unknown tenant cannot
    /// make every request reach the source).
    pub(crate) async fn provider(
        &self,
        provider: &'static str,
        tenant: &str,
    ) -> Result<Option<Arc<P>>, StoreError> {
        self.cache
            .try_get_with_by_ref(tenant, async {
                let keys = self.source.keys(provider, tenant).await?;
                Ok::<_, StoreError>(keys.and_then(|keys| (self.build)(keys)).map(Arc::new))
            })
            .await
            .map_err(|shared| StoreError::new(shared.to_string()))
    }

    /// Forgets `tenant`'s keys at once: the next request asks the source.
    pub(crate) async fn invalidate(&self, tenant: &str) {
        self.cache.invalidate(tenant).await;
    }
}

impl<P> fmt::Debug for TenantProviders<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TenantProviders")
            .field("ttl", &self.ttl)
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}
