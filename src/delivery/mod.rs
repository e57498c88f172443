//! What happens after a request verifies and parses: the [`Receiver`] that holds a provider's
//! limits and policies, and the stores that keep an authentic delivery from being lost or
//! handled twice.
//!
//! Providers deliver at least once and retry on anything but 2xx; most of their schemes carry
//! no timestamp, so a captured request stays valid too. With a store, a receiver **claims** a
//! delivery's keys before its handler runs and marks them **done** only when it succeeded:
//!
//! | what arrives | answer |
//! |---|---|
//! | a new delivery | handled; its keys done once the handler succeeds |
//! | a retry of a handled one | 200, without handling it again |
//! | a retry while the first attempt runs | 409 with `Retry-After`, never 200 |
//! | a retry after a failure, panic or cancelled request | handled (the claim was given up) |
//! | a retry after the process died | handled once the claim's lease runs out |
//!
//! Keys are made of signed content only, scoped by provider and tenant
//! ([`Receiver::with_key_tenants`]), never by the id of the key that verified (a rotated
//! secret must not make a retry look new). A Voximplant batch is claimed callback by callback.
//!
//! Stores: [`MemoryStore`] for one process; `RedisStore` (feature `redis`) and `PostgresStore`
//! (feature `postgres`) for receivers running as several instances. The axum layer and the
//! actix middleware do all of this with router configuration only.
//!
//! Or acknowledge a delivery once it is stored and handle it from there: see [`inbox`]
//! (features `sqlite`, `postgres`).

#[cfg(any(feature = "sqlite", feature = "postgres"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "sqlite", feature = "postgres"))))]
pub mod inbox;
mod lease;
mod memory;
pub(crate) mod observe;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "postgres")]
mod postgres_pool;
mod receiver;
mod reception;
#[cfg(feature = "redis")]
mod redis;
mod store;
#[cfg(feature = "tenants")]
mod tenants;

pub use lease::Lease;
pub use memory::MemoryStore;
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use postgres::PostgresStore;
pub use receiver::{Receiver, Rejection, TenantFrom};
pub use reception::{Answer, Claimed, Receipt, Reception};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis::RedisStore;
pub use store::{Claim, ClaimToken, IdempotencyStore, StoreError, StoreFuture, WhenStoreFails};
#[cfg(feature = "tenants")]
#[cfg_attr(docsrs, doc(cfg(feature = "tenants")))]
pub use tenants::{KeySource, SourceFuture};
