//! The interface every provider implements.

use crate::verified::Evidence;
use crate::{Drifted, Error, Headers, IdempotencyKey, Provenance, Verified};

/// Receives one provider's webhooks: verifies a request, then reads its body.
///
/// ```
/// use hookproof::{Provider, Secret, platnova::Platnova};
///
/// /// Handler code that works for any provider.
/// fn receive<P: Provider>(provider: &P, headers: &[(&str, &str)], body: &[u8])
///     -> Result<P::Notification, hookproof::Error> {
///     provider.verify_and_parse(headers, body)
/// }
///
/// let platnova = Platnova::new(Secret::new("s3cret")?);
/// let err = receive(&platnova, &[], b"{}").unwrap_err();
/// assert_eq!(err.status(), 400);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Provider: Send + Sync {
    /// What verification establishes beyond the key, such as the fields a signature covered;
    /// its default is what [`dangerous::assume_verified`](crate::dangerous::assume_verified)
    /// claims: nothing.
    type Evidence: Evidence;
    /// A verified, parsed request.
    type Notification: Delivery;

    /// The provider's name as used in paths and keys: `platnova`, `inplayer`, …
    const NAME: &'static str;

    /// This provider's name: [`NAME`](Self::NAME), unless one type serves several providers
    /// (the [generic provider](crate::generic) is named when it is built). Delivery keys are
    /// scoped by it.
    fn name(&self) -> &'static str {
        Self::NAME
    }

    /// Checks the request's signature (and whatever else authenticates it) over the body as
    /// received.
    fn verify<'a, H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &'a [u8],
    ) -> Result<Verified<'a, Self::Evidence>, Error>;

    /// Reads a verified body into a typed notification.
    fn parse(&self, verified: Verified<'_, Self::Evidence>) -> Result<Self::Notification, Error>;

    /// [`verify`](Provider::verify), then [`parse`](Provider::parse); providers whose
    /// verification reads the body override it so the body is parsed once.
    fn verify_and_parse<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<Self::Notification, Error> {
        self.parse(self.verify(headers, body)?)
    }
}

/// What every provider's notification offers to code that handles any provider: where it came
/// from, how to recognise a retry of it, and whether its payload drifted.
pub trait Delivery {
    /// The key that verified the request and the body as received.
    fn provenance(&self) -> &Provenance;

    /// One key for the whole request, equal across retries of the same delivery; `None` when the
    /// provider gives nothing to build one from. A request that carries several events (a
    /// Voximplant batch) gets a key made of all of theirs.
    fn idempotency_key(&self) -> Option<IdempotencyKey>;

    /// One key per item the request carries, in order: a single one for most providers, one per
    /// callback for a Voximplant batch. A store claims these.
    fn item_keys(&self) -> Vec<Option<IdempotencyKey>> {
        vec![self.idempotency_key()]
    }

    /// Keeps only the items whose entry in `keep` is `true` (one per [`item_keys`] entry): a
    /// batch whose other items were handled before is handed on with its new ones only.
    /// Providers that send one item per request keep it.
    ///
    /// [`item_keys`]: Delivery::item_keys
    fn retain_items(&mut self, keep: &[bool]) {
        let _ = keep;
    }

    /// The first item whose payload drifted from its model, if any.
    fn drifted(&self) -> Option<&Drifted>;

    /// What the scheme established besides the key, as [`Evidence::to_text`] writes it (Cedar's
    /// signed fields, a generic provider's message id): kept with a stored delivery, and read
    /// back when it is handled. Empty for a provider that establishes nothing more.
    ///
    /// [`Evidence::to_text`]: crate::Evidence::to_text
    fn evidence_text(&self) -> String {
        String::new()
    }
}
