//! A provider configured for a receiving endpoint: the body limit, the store that keeps a
//! delivery from being lost or handled twice, whose webhook a key belongs to, and what a refused
//! request is answered with. The framework integrations are thin layers over
//! [`Receiver::accept`].

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;
use http::header::CONTENT_LENGTH;
use sha2::{Digest, Sha256};

use super::lease::Lease;
use super::observe;
use super::reception::{Claimed, Receipt, Reception};
use super::store::{Claim, IdempotencyStore, StoreError, WhenStoreFails};
use crate::error::{Error, ErrorKind};
use crate::headers::Headers;
use crate::provider::{Delivery, Provider};
use crate::secret::KeyId;
#[cfg(feature = "tenants")]
use crate::secret::KeyRing;

#[cfg(feature = "tenants")]
use super::tenants::{KeySource, TenantProviders};

/// A provider with what a receiving endpoint needs. Cheap to clone: everything is shared.
///
/// ```
/// use std::time::Duration;
/// use hookproof::delivery::{MemoryStore, Reception, Receiver};
/// use hookproof::testing::platnova::{sample, signed_request};
/// use hookproof::{Secret, platnova::Platnova};
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let platnova = Platnova::new(Secret::new("s3cret")?);
/// let request = signed_request(&platnova, sample("card.charged").unwrap().body)?;
/// let receiver = Receiver::new(platnova)
///     .with_store(MemoryStore::new(100_000))
///     .with_lease(Duration::from_secs(30));
///
/// let Reception::New(claimed) = receiver.accept(&request.headers, &request.body).await? else {
///     unreachable!()
/// };
/// // ... handle claimed.notification; on success:
/// claimed.lease.complete().await?;
/// // A retry is now a duplicate: acknowledged, not handled again.
/// let again = receiver.accept(&request.headers, &request.body).await?;
/// assert!(matches!(again, Reception::Duplicate(_)));
/// # Ok(()) }
/// # pollster::block_on(demo()).unwrap();
/// ```
pub struct Receiver<P> {
    providers: Providers<P>,
    body_limit: usize,
    guard: Option<Guard>,
    #[cfg(any(feature = "sqlite", feature = "postgres"))]
    inbox: Option<Arc<dyn super::inbox::Inbox>>,
    tenants: Arc<Tenants>,
    tenant_from: Option<TenantFrom>,
}

/// One provider for every request, or one per tenant.
enum Providers<P> {
    One(Arc<P>),
    #[cfg(feature = "tenants")]
    PerTenant(Arc<TenantProviders<P>>),
}

impl<P> Providers<P> {
    /// The one provider; `None` when there is one per tenant.
    fn one(&self) -> Option<&P> {
        match self {
            Self::One(provider) => Some(provider),
            #[cfg(feature = "tenants")]
            Self::PerTenant(_) => None,
        }
    }
}

impl<P> Clone for Providers<P> {
    fn clone(&self) -> Self {
        match self {
            Self::One(provider) => Self::One(Arc::clone(provider)),
            #[cfg(feature = "tenants")]
            Self::PerTenant(providers) => Self::PerTenant(Arc::clone(providers)),
        }
    }
}

/// Where a request names its tenant, for the framework integrations.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TenantFrom {
    /// A segment of the route's path, by its parameter name: `tenant` in
    /// `/webhooks/platnova/{tenant}` (axum and actix alike).
    Path(&'static str),
    /// A header set by something the receiver trusts (a gateway in front of it).
    Header(http::HeaderName),
}

/// The store and its policies.
#[derive(Clone)]
struct Guard {
    store: Arc<dyn IdempotencyStore>,
    when_store_fails: WhenStoreFails,
    lease: Duration,
    retention: Duration,
}

/// Whose webhook a key id belongs to.
#[derive(Debug, Default)]
enum Tenants {
    /// One tenant for every key: the receiver serves one account, whatever key verified.
    #[default]
    One,
    /// Each key id's tenant; a key id not listed is its own tenant.
    ByKeyId(HashMap<KeyId, Arc<str>>),
}

impl Tenants {
    fn of(&self, key_id: &KeyId) -> Arc<str> {
        match self {
            Self::One => Arc::from(""),
            Self::ByKeyId(tenants) => tenants
                .get(key_id)
                .cloned()
                .unwrap_or_else(|| Arc::from(key_id.as_str())),
        }
    }
}

impl<P: Provider + 'static> Receiver<P> {
    /// The largest body accepted unless [`with_body_limit`](Self::with_body_limit) says
    /// otherwise: 1 MiB, far above any documented webhook.
    pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
    /// How long a claim lasts unless [`with_lease`](Self::with_lease) says otherwise: 60 s.
    /// A process that dies mid-way blocks the delivery's retries this long.
    pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);
    /// How long a handled delivery is remembered unless
    /// [`with_retention`](Self::with_retention) says otherwise: 7 days, beyond every retry
    /// schedule the providers publish (Cedar's dashboard can replay later: raise it if you do).
    pub const DEFAULT_RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);

    /// Receives with `provider`, bodies up to [`DEFAULT_BODY_LIMIT`](Self::DEFAULT_BODY_LIMIT),
    /// no store (every verified delivery is handled).
    pub fn new(provider: P) -> Self {
        Self {
            providers: Providers::One(Arc::new(provider)),
            body_limit: Self::DEFAULT_BODY_LIMIT,
            guard: None,
            #[cfg(any(feature = "sqlite", feature = "postgres"))]
            inbox: None,
            tenants: Arc::new(Tenants::One),
            tenant_from: None,
        }
    }

    /// How long a tenant's keys are kept unless [`with_tenant_cache`](Self::with_tenant_cache)
    /// says otherwise: 60 s, how late a rotation or a removal at the source takes effect.
    #[cfg(feature = "tenants")]
    pub const DEFAULT_TENANT_TTL: Duration = Duration::from_secs(60);
    /// How many tenants' keys are kept unless [`with_tenant_cache`](Self::with_tenant_cache)
    /// says otherwise.
    #[cfg(feature = "tenants")]
    pub const DEFAULT_TENANT_CAPACITY: u64 = 10_000;

    /// A receiver for many tenants (feature `tenants`): each request's tenant comes from the
    /// request ([`tenant_from`](Self::tenant_from), or [`accept_for`](Self::accept_for)), that
    /// tenant's keys from `source`, and `build` makes the tenant's provider of them (`None`
    /// when the keys do not make one). Keys are cached ([`DEFAULT_TENANT_TTL`](Self::DEFAULT_TENANT_TTL),
    /// [`DEFAULT_TENANT_CAPACITY`](Self::DEFAULT_TENANT_CAPACITY)); concurrent misses for one
    /// tenant ask the source once. An unknown tenant is refused as a bad signature is (401, same
    /// body); a source that cannot answer, with 503, so the provider retries.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hookproof::delivery::{KeySource, SourceFuture, TenantFrom};
    /// use hookproof::{KeyRing, Receiver, Secret, platnova::Platnova};
    ///
    /// struct Tenants;
    /// impl KeySource for Tenants {
    ///     fn keys<'a>(&'a self, _provider: &'a str, tenant: &'a str) -> SourceFuture<'a, Option<KeyRing>> {
    ///         let keys = (tenant == "acme").then(|| KeyRing::from(Secret::new("acme secret").unwrap()));
    ///         Box::pin(async move { Ok(keys) })
    ///     }
    /// }
    ///
    /// let receiver = Receiver::per_tenant(Tenants, |keys| Some(Platnova::new(keys)))
    ///     .with_tenant_cache(Duration::from_secs(30), 50_000)
    ///     .tenant_from(TenantFrom::Path("tenant"));
    /// ```
    #[cfg(feature = "tenants")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tenants")))]
    pub fn per_tenant(
        source: impl KeySource + 'static,
        build: impl Fn(KeyRing) -> Option<P> + Send + Sync + 'static,
    ) -> Self {
        Self {
            providers: Providers::PerTenant(Arc::new(TenantProviders::new(
                source,
                build,
                Self::DEFAULT_TENANT_TTL,
                Self::DEFAULT_TENANT_CAPACITY,
            ))),
            body_limit: Self::DEFAULT_BODY_LIMIT,
            guard: None,
            #[cfg(any(feature = "sqlite", feature = "postgres"))]
            inbox: None,
            tenants: Arc::new(Tenants::One),
            tenant_from: None,
        }
    }

    /// Keeps each tenant's keys for `ttl` (how late a change at the source takes effect, unless
    /// [`invalidate_tenant`](Self::invalidate_tenant) is called) and at most `capacity`
    /// tenants' keys. Nothing for a receiver with one provider.
    #[cfg(feature = "tenants")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tenants")))]
    #[must_use]
    pub fn with_tenant_cache(mut self, ttl: Duration, capacity: u64) -> Self {
        if let Providers::PerTenant(providers) = self.providers {
            let providers = Arc::try_unwrap(providers)
                .unwrap_or_else(|_| panic!("configure a receiver before cloning it"));
            self.providers = Providers::PerTenant(Arc::new(providers.with_cache(ttl, capacity)));
        }
        self
    }

    /// Forgets `tenant`'s cached keys, so that a change at the source (a rotation, a removal)
    /// takes effect with the next request.
    #[cfg(feature = "tenants")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tenants")))]
    pub async fn invalidate_tenant(&self, tenant: &str) {
        if let Providers::PerTenant(providers) = &self.providers {
            providers.invalidate(tenant).await;
        }
    }

    /// Where the framework integrations read each request's tenant (default: none; the tenant
    /// then comes from [`with_key_tenants`](Self::with_key_tenants), or is the one tenant).
    #[must_use]
    pub fn tenant_from(mut self, from: TenantFrom) -> Self {
        self.tenant_from = Some(from);
        self
    }

    /// Where the framework integrations read each request's tenant, if anywhere.
    pub fn tenant_source(&self) -> Option<&TenantFrom> {
        self.tenant_from.as_ref()
    }

    /// Refuses bodies longer than `bytes` ([`BodyTooLarge`](ErrorKind::BodyTooLarge), 413).
    #[must_use]
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Claims each delivery's keys in `store` before it is handled, and marks them handled only
    /// when it was: a retry of a handled delivery is acknowledged without handling it again,
    /// one that arrives while the first attempt runs is answered "try later", and one whose
    /// first attempt failed, panicked, was cancelled or died is handled again. Keys are scoped
    /// by provider and tenant, never by key id. A store can be shared by several receivers
    /// (pass a clone).
    #[must_use]
    pub fn with_store(mut self, store: impl IdempotencyStore + 'static) -> Self {
        self.guard = Some(Guard {
            store: Arc::new(store),
            when_store_fails: WhenStoreFails::default(),
            lease: Self::DEFAULT_LEASE,
            retention: Self::DEFAULT_RETENTION,
        });
        self
    }

    /// Stores each verified delivery in `inbox` and answers 200 only once it is durable,
    /// without running a handler: [`Worker`](super::inbox::Worker)s handle it from there (see
    /// [`inbox`](super::inbox)). A delivery whose key is stored already is answered 200 without
    /// a second row; an inbox that cannot answer, 503. The inbox de-duplicates: a
    /// [`with_store`](Self::with_store) is not needed beside it.
    #[cfg(any(feature = "sqlite", feature = "postgres"))]
    #[cfg_attr(docsrs, doc(cfg(any(feature = "sqlite", feature = "postgres"))))]
    #[must_use]
    pub fn with_inbox(mut self, inbox: impl super::inbox::Inbox + 'static) -> Self {
        self.inbox = Some(Arc::new(inbox));
        self
    }

    /// What to do when the store cannot answer (default [`WhenStoreFails::Refuse`]: 503).
    /// Without a store, nothing.
    #[must_use]
    pub fn when_store_fails(mut self, policy: WhenStoreFails) -> Self {
        if let Some(guard) = &mut self.guard {
            guard.when_store_fails = policy;
        }
        self
    }

    /// How long a claim lasts before another attempt may take it over (default
    /// [`DEFAULT_LEASE`](Self::DEFAULT_LEASE)): longer than your slowest handler.
    #[must_use]
    pub fn with_lease(mut self, lease: Duration) -> Self {
        if let Some(guard) = &mut self.guard {
            guard.lease = lease;
        }
        self
    }

    /// How long a handled delivery is remembered (default
    /// [`DEFAULT_RETENTION`](Self::DEFAULT_RETENTION)).
    #[must_use]
    pub fn with_retention(mut self, retention: Duration) -> Self {
        if let Some(guard) = &mut self.guard {
            guard.retention = retention;
        }
        self
    }

    /// Says whose webhook each key id belongs to, for a receiver whose key ring holds several
    /// accounts' secrets: two tenants' deliveries never share a key, while a tenant's old and
    /// new secret (a rotation) map to the same tenant, so a retry signed with the new one is
    /// still the same delivery. A key id not listed is its own tenant; without this, every key
    /// belongs to one tenant.
    ///
    /// ```
    /// use hookproof::{KeyRing, Receiver, Secret, platnova::Platnova};
    ///
    /// let ring = KeyRing::new("acme-2025", Secret::new("acme old")?)
    ///     .with("acme-2026", Secret::new("acme new")?)
    ///     .with("globex", Secret::new("globex")?);
    /// let receiver = Receiver::new(Platnova::new(ring))
    ///     .with_key_tenants([("acme-2025", "acme"), ("acme-2026", "acme"), ("globex", "globex")]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_key_tenants<I, K, T>(mut self, tenants: I) -> Self
    where
        I: IntoIterator<Item = (K, T)>,
        K: Into<KeyId>,
        T: AsRef<str>,
    {
        self.tenants = Arc::new(Tenants::ByKeyId(
            tenants
                .into_iter()
                .map(|(key_id, tenant)| (key_id.into(), Arc::from(tenant.as_ref())))
                .collect(),
        ));
        self
    }

    /// The largest body accepted, in bytes.
    pub fn body_limit(&self) -> usize {
        self.body_limit
    }

    /// The provider; `None` for a receiver with a provider per tenant.
    pub fn provider(&self) -> Option<&P> {
        self.providers.one()
    }

    /// Whether a store guards the deliveries.
    pub fn is_guarded(&self) -> bool {
        self.guard.is_some()
    }

    /// Verifies and parses a request whose body has been read whole; no store is consulted.
    /// A receiver with a provider per tenant needs the tenant: [`receive_for`](Self::receive_for).
    pub fn receive<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<P::Notification, Error> {
        match &self.providers {
            Providers::One(provider) => self.verify_and_parse(provider, headers, body),
            #[cfg(feature = "tenants")]
            Providers::PerTenant(_) => Err(Error::new(
                ErrorKind::SignatureMismatch,
                "this receiver looks keys up per tenant, and the request names none",
            )),
        }
    }

    /// Verifies and parses a request of `tenant`: with the tenant's keys, for a receiver with a
    /// provider per tenant; with the one provider otherwise.
    pub async fn receive_for<H: Headers + ?Sized>(
        &self,
        tenant: &str,
        headers: &H,
        body: &[u8],
    ) -> Result<P::Notification, Rejection> {
        let provider = self.provider_of(tenant).await?;
        Ok(self.verify_and_parse(&provider, headers, body)?)
    }

    /// [`receive`](Self::receive), then claims the delivery's keys: what every framework
    /// integration calls once it has read the body, and what any other framework calls.
    /// Complete the returned [`Lease`] once the delivery is handled; drop it otherwise. The
    /// tenant is the key id's ([`with_key_tenants`](Self::with_key_tenants)), or the one tenant.
    pub async fn accept<H: Headers + Sync + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<Reception<P::Notification>, Rejection> {
        // Without one provider, the tenant is needed to find the keys: `accept_for`, or
        // `tenant_from` in a layer.
        let Some(provider) = self.provider() else {
            return Err(Rejection::NotConfigured { provider: P::NAME });
        };
        let notification = self.verify_and_parse(provider, headers, body)?;
        let tenant = self.tenants.of(notification.provenance().key_id());
        self.claim(provider.name(), tenant, notification).await
    }

    /// [`accept`](Self::accept) for a request that names its tenant: with that tenant's keys,
    /// for a receiver with a provider per tenant, and keyed under that tenant.
    pub async fn accept_for<H: Headers + Sync + ?Sized>(
        &self,
        tenant: &str,
        headers: &H,
        body: &[u8],
    ) -> Result<Reception<P::Notification>, Rejection> {
        let provider = self.provider_of(tenant).await?;
        let notification = self.verify_and_parse(&provider, headers, body)?;
        self.claim(provider.name(), Arc::from(tenant), notification)
            .await
    }

    /// The provider that verifies `tenant`'s requests.
    #[cfg_attr(not(feature = "tenants"), allow(unused_variables))]
    async fn provider_of(&self, tenant: &str) -> Result<Arc<P>, Rejection> {
        match &self.providers {
            Providers::One(provider) => Ok(Arc::clone(provider)),
            #[cfg(feature = "tenants")]
            Providers::PerTenant(providers) => match providers.provider(P::NAME, tenant).await {
                Ok(Some(provider)) => Ok(provider),
                // As a bad signature is refused: no hint whether the tenant exists.
                Ok(None) => {
                    let error = Error::new(
                        ErrorKind::SignatureMismatch,
                        "no configured key verifies the request for its tenant",
                    );
                    observe::refused(P::NAME, &error);
                    Err(Rejection::Invalid(error))
                }
                Err(error) => {
                    observe::source_failed(P::NAME, &error);
                    Err(Rejection::StoreUnavailable(error))
                }
            },
        }
    }

    fn verify_and_parse<H: Headers + ?Sized>(
        &self,
        provider: &P,
        headers: &H,
        body: &[u8],
    ) -> Result<P::Notification, Error> {
        if body.len() > self.body_limit {
            return Err(Error::body_too_large(self.body_limit));
        }
        provider
            .verify_and_parse(headers, body)
            .inspect_err(|error| observe::refused(provider.name(), error))
    }

    /// Claims a verified notification's keys under `provider` and `tenant`.
    async fn claim(
        &self,
        provider: &'static str,
        tenant: Arc<str>,
        mut notification: P::Notification,
    ) -> Result<Reception<P::Notification>, Rejection> {
        let key_id = notification.provenance().key_id().clone();
        let mut receipt = Receipt {
            provider,
            tenant,
            key_id,
            guarded: false,
            taken_over: false,
        };
        if let Some(drifted) = notification.drifted() {
            observe::drifted(&receipt, drifted.event_type(), drifted.error());
        }
        #[cfg(any(feature = "sqlite", feature = "postgres"))]
        if let Some(inbox) = &self.inbox {
            return file(inbox.as_ref(), receipt, &notification).await;
        }
        let Some(guard) = &self.guard else {
            observe::accepted(&receipt);
            return Ok(Reception::New(Claimed {
                notification,
                receipt,
                lease: Lease::unguarded(),
            }));
        };
        receipt.guarded = true;
        let mut lease = Lease::new(Arc::clone(&guard.store), guard.retention);
        let mut keep = Vec::new();
        let mut in_progress = false;
        for key in notification.item_keys() {
            let Some(key) = key else {
                keep.push(true); // Nothing to recognise a retry by: always handled.
                continue;
            };
            let scoped = scoped_key(receipt.provider, &receipt.tenant, key.as_str());
            match guard.store.claim(&scoped, guard.lease).await {
                Ok(Claim::Claimed { token, taken_over }) => {
                    lease.hold(scoped, token);
                    receipt.taken_over |= taken_over;
                    keep.push(true);
                }
                Ok(Claim::Done) => keep.push(false),
                Ok(Claim::InProgress) => {
                    in_progress = true;
                    keep.push(false);
                }
                Err(error) if guard.when_store_fails == WhenStoreFails::Accept => {
                    receipt.guarded = false;
                    observe::store_failed(&receipt, &error, true);
                    keep.push(true);
                }
                Err(error) => {
                    observe::store_failed(&receipt, &error, false);
                    return Err(Rejection::StoreUnavailable(error)); // The lease gives its claims up.
                }
            }
        }
        if in_progress {
            // Another attempt is handling part of it: the whole request is retried later, so
            // that nothing is acknowledged before it is handled.
            lease.release_detached();
            observe::in_progress(&receipt);
            return Ok(Reception::InProgress {
                receipt,
                retry_after: retry_after(guard.lease),
            });
        }
        if !keep.contains(&true) {
            observe::duplicate(&receipt);
            return Ok(Reception::Duplicate(receipt));
        }
        notification.retain_items(&keep);
        if receipt.taken_over {
            observe::taken_over(&receipt);
        }
        observe::accepted(&receipt);
        Ok(Reception::New(Claimed {
            notification,
            receipt,
            lease,
        }))
    }

    /// Refuses a request before reading its body when its `Content-Length` already exceeds the
    /// limit. A smaller `Content-Length` proves nothing: the body is still read under the limit.
    pub fn check_declared_length<H: Headers + ?Sized>(&self, headers: &H) -> Result<(), Error> {
        let declared = headers
            .optional(&CONTENT_LENGTH)?
            .and_then(|length| length.parse::<u64>().ok());
        match declared {
            Some(length) if length > self.body_limit as u64 => {
                Err(Error::body_too_large(self.body_limit))
            }
            _ => Ok(()),
        }
    }
}

/// Files a verified notification in `inbox`: one row per item (a batch's callbacks one by one),
/// each under its scoped key.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
async fn file<N: Delivery>(
    inbox: &dyn super::inbox::Inbox,
    mut receipt: Receipt,
    notification: &N,
) -> Result<Reception<N>, Rejection> {
    use super::inbox::{Filed, NewDelivery};
    let keys = notification.item_keys();
    let batch = keys.len() > 1;
    let provenance = notification.provenance();
    let evidence = notification.evidence_text();
    let rows = keys
        .iter()
        .enumerate()
        .map(|(item, key)| NewDelivery {
            provider: receipt.provider,
            tenant: Arc::clone(&receipt.tenant),
            key: key
                .as_ref()
                .map(|key| scoped_key(receipt.provider, &receipt.tenant, key.as_str())),
            item: batch.then_some(item as u32),
            key_id: receipt.key_id.as_str().to_owned(),
            evidence: evidence.clone(),
            body: provenance.shared_body(),
            drifted: notification.drifted().is_some(),
        })
        .collect();
    match inbox.file(rows).await {
        Ok(filed) if filed.contains(&Filed::Stored) => {
            receipt.guarded = true;
            observe::accepted(&receipt);
            Ok(Reception::Stored(receipt))
        }
        Ok(_) => {
            receipt.guarded = true;
            observe::duplicate(&receipt);
            Ok(Reception::Duplicate(receipt))
        }
        Err(error) => {
            observe::store_failed(&receipt, &error, false);
            Err(Rejection::StoreUnavailable(error))
        }
    }
}

/// What a retry told "in progress" is asked to wait: a fraction of the lease, at least a second.
fn retry_after(lease: Duration) -> Duration {
    (lease / 4).max(Duration::from_secs(1))
}

/// The key a delivery is claimed under: the provider, the tenant (with its length, so no tenant
/// name can run into the key) and the idempotency key, hashed when long (a Cedar key holds the
/// signed values, which may be large).
fn scoped_key(provider: &str, tenant: &str, key: &str) -> String {
    const LONGEST_KEPT: usize = 128;
    if key.len() <= LONGEST_KEPT {
        format!("{provider}:{}:{tenant}:{key}", tenant.len())
    } else {
        let digest = hex::encode(Sha256::digest(key.as_bytes()));
        format!("{provider}:{}:{tenant}:sha256:{digest}", tenant.len())
    }
}

impl<P> Clone for Receiver<P> {
    fn clone(&self) -> Self {
        Self {
            providers: self.providers.clone(),
            body_limit: self.body_limit,
            guard: self.guard.clone(),
            #[cfg(any(feature = "sqlite", feature = "postgres"))]
            inbox: self.inbox.clone(),
            tenants: Arc::clone(&self.tenants),
            tenant_from: self.tenant_from.clone(),
        }
    }
}

impl<P: fmt::Debug> fmt::Debug for Receiver<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("provider", &self.providers.one())
            .field("body_limit", &self.body_limit)
            .field("guarded", &self.guard.is_some())
            .field(
                "when_store_fails",
                &self.guard.as_ref().map(|guard| guard.when_store_fails),
            )
            .field("lease", &self.guard.as_ref().map(|guard| guard.lease))
            .field("tenants", &self.tenants)
            .field("tenant_from", &self.tenant_from)
            .finish()
    }
}

/// Why a request was refused before it reached a handler. The response carries the status and
/// a short fixed body ([`reason`](Rejection::reason)); log [`Display`](fmt::Display) for the
/// details.
#[derive(Debug)]
#[non_exhaustive]
pub enum Rejection {
    /// Verification or parsing failed; the status follows the [`ErrorKind`].
    Invalid(Error),
    /// The body could not be read to its end (the connection failed). Status 400.
    BodyUnreadable,
    /// The store could not answer and the receiver was set to [`WhenStoreFails::Refuse`].
    /// Status 503, so that the provider retries later.
    StoreUnavailable(StoreError),
    /// The route has no hookproof layer or middleware for the provider: a setup mistake.
    /// Status 500.
    NotConfigured {
        /// The provider's name.
        provider: &'static str,
    },
}

impl Rejection {
    /// The status to answer with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Invalid(error) => error.status(),
            Self::BodyUnreadable => StatusCode::BAD_REQUEST,
            Self::StoreUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::NotConfigured { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The response body: a fixed phrase that says nothing about secrets or the request.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Invalid(error) => error.kind().reason(),
            Self::BodyUnreadable => "unreadable body",
            Self::StoreUnavailable(_) => "temporarily unavailable",
            Self::NotConfigured { .. } => "webhook receiver not configured",
        }
    }

    /// The verification or parsing error, if that is what this is.
    pub fn error(&self) -> Option<&Error> {
        match self {
            Self::Invalid(error) => Some(error),
            _ => None,
        }
    }

    /// The error's kind, if this is a verification or parsing error.
    pub fn kind(&self) -> Option<ErrorKind> {
        self.error().map(Error::kind)
    }
}

impl From<Error> for Rejection {
    fn from(error: Error) -> Self {
        Self::Invalid(error)
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(error) => error.fmt(f),
            Self::BodyUnreadable => f.write_str("the request body could not be read"),
            Self::StoreUnavailable(error) => error.fmt(f),
            Self::NotConfigured { provider } => write!(
                f,
                "no hookproof layer or middleware for `{provider}` wraps this route"
            ),
        }
    }
}

impl std::error::Error for Rejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Invalid(error) => Some(error),
            Self::StoreUnavailable(error) => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoped_keys_cannot_run_into_each_other() {
        assert_eq!(
            scoped_key("platnova", "", "card.charged:T1"),
            "platnova:0::card.charged:T1"
        );
        assert_ne!(scoped_key("p", "a:1", "x"), scoped_key("p", "a", "1:x"));
        let long = "k".repeat(129);
        let scoped = scoped_key("cedar", "t", &long);
        assert!(
            scoped.starts_with("cedar:1:t:sha256:") && scoped.len() < 100,
            "{scoped}"
        );
    }
}
