//! Standard Webhooks (the open spec Svix and many senders follow): HMAC-SHA256 of
//! `id.timestamp.body` with a `whsec_` base64 secret, a list of `v1,<base64>` signatures, and a
//! two-sided timestamp window.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use http::HeaderName;
use sha2::Sha256;

use crate::error::{HeaderProblem, SignatureLocation, SignatureProblem};
use crate::secret::{DerivedKeys, KeyRing};
use crate::time::{Clock, Freshness, UnixTime};
use crate::verify::{SignatureEncoding, Tag, Verifier};
use crate::{Error, Headers, KeyId, Secret};

/// The [Standard Webhooks](https://www.standardwebhooks.com/) scheme: `webhook-id`,
/// `webhook-timestamp` and `webhook-signature` (or the same with `svix-`), the signature a
/// space-separated list of `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
///
/// - Any `v1` signature that matches any configured key passes; other versions are ignored. A
///   signature must decode to exactly 32 bytes: `v1,` alone or a truncated one never matches
///   (the bypass that once hit a popular implementation), and a header with no usable `v1`
///   signature is [`MalformedSignature`](crate::ErrorKind::MalformedSignature).
/// - The timestamp must be within the tolerance of now, in both directions (default 5 minutes;
///   [`with_tolerance`](Self::with_tolerance), [`with_clock`](Self::with_clock)).
/// - Secrets are the base64 the sender shows, with or without its `whsec_` prefix; a key ring
///   holds several during a rotation.
/// - The signed `webhook-id` is the message's id: [`message_id`](Verifier::message_id) gives
///   it, as an idempotency key a retry repeats.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use hookproof::{Secret, Verifier, verify::StandardWebhooks};
///
/// // The spec's example, checked with Python's hmac module.
/// let scheme = StandardWebhooks::new(Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?)?
///     .with_clock(|| UNIX_EPOCH + Duration::from_secs(1_614_265_330));
/// let headers = [
///     ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
///     ("webhook-timestamp", "1614265330"),
///     ("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
/// ];
/// scheme.verify(&headers, br#"{"test": 2432232314}"#)?;
/// assert_eq!(scheme.message_id(&headers).as_deref(), Some("msg_p5jXN8AQM9LWM0D4loKWxJek"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct StandardWebhooks {
    macs: DerivedKeys<Hmac<Sha256>>,
    freshness: Freshness,
}

/// The three headers, in one naming.
struct Names {
    id: HeaderName,
    timestamp: HeaderName,
    signature: HeaderName,
}

const STANDARD_NAMES: [&str; 3] = ["webhook-id", "webhook-timestamp", "webhook-signature"];
const SVIX_NAMES: [&str; 3] = ["svix-id", "svix-timestamp", "svix-signature"];

impl Names {
    fn of([id, timestamp, signature]: [&'static str; 3]) -> Self {
        Self {
            id: HeaderName::from_static(id),
            timestamp: HeaderName::from_static(timestamp),
            signature: HeaderName::from_static(signature),
        }
    }

    /// `webhook-*`, or `svix-*` when the request has no `webhook-id`.
    fn used_by(headers: &(impl Headers + ?Sized)) -> Self {
        let standard = Self::of(STANDARD_NAMES);
        match headers.lookup(&standard.id) {
            crate::HeaderLookup::Absent
                if !matches!(
                    headers.lookup(&HeaderName::from_static(SVIX_NAMES[0])),
                    crate::HeaderLookup::Absent
                ) =>
            {
                Self::of(SVIX_NAMES)
            }
            _ => standard,
        }
    }
}

/// A Standard Webhooks secret that is not base64 (after its optional `whsec_` prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSecret {
    key_id: KeyId,
}

impl fmt::Display for InvalidSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the secret `{}` is not base64 after its `whsec_` prefix",
            self.key_id
        )
    }
}

impl std::error::Error for InvalidSecret {}

impl StandardWebhooks {
    /// How far a timestamp may be from now unless [`with_tolerance`](Self::with_tolerance)
    /// says otherwise: 5 minutes, as the spec recommends.
    pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);
    /// The prefix senders show secrets with.
    pub const SECRET_PREFIX: &'static str = "whsec_";

    /// Verifies with the secrets in `keys` (each `whsec_`-prefixed base64, as the sender shows
    /// it, or the bare base64).
    pub fn new(keys: impl Into<KeyRing>) -> Result<Self, InvalidSecret> {
        let ring = keys.into();
        let mut decoded = Vec::new();
        for (key_id, secret) in ring.iter() {
            let text = secret.expose_secret();
            let text = text
                .strip_prefix(Self::SECRET_PREFIX.as_bytes())
                .unwrap_or(text);
            let bytes = STANDARD.decode(text).map_err(|_| InvalidSecret {
                key_id: key_id.clone(),
            })?;
            let key = Secret::new(bytes).map_err(|_| InvalidSecret {
                key_id: key_id.clone(),
            })?;
            decoded.push((key_id.clone(), key));
        }
        let mut keys = decoded.into_iter();
        let (first_id, first) = keys.next().expect("a key ring holds a key");
        let ring = keys.fold(KeyRing::new(first_id, first), |ring, (id, key)| {
            ring.with(id, key)
        });
        Ok(Self {
            macs: ring.derive(|secret| {
                Hmac::<Sha256>::new_from_slice(secret.expose_secret())
                    .expect("HMAC accepts keys of any length")
            }),
            freshness: Freshness::new(Self::DEFAULT_TOLERANCE),
        })
    }

    /// Accepts timestamps within `tolerance` of now, in both directions (default
    /// [`DEFAULT_TOLERANCE`](Self::DEFAULT_TOLERANCE)).
    #[must_use]
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.freshness = self.freshness.with_tolerance(tolerance);
        self
    }

    /// Judges timestamps by `clock` instead of the system clock (for tests).
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.freshness = self.freshness.with_clock(clock);
        self
    }

    /// The `webhook-signature` value signing `body` as message `id` sent at `timestamp`, with
    /// the first key.
    #[cfg(feature = "testing")]
    #[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let mac = signed_content(self.macs.first(), id, &timestamp.to_string(), body);
        format!("v1,{}", STANDARD.encode(mac))
    }
}

/// The MAC of `id.timestamp.body`, fed piece by piece: nothing is copied.
fn signed_content(keyed: &Hmac<Sha256>, id: &str, timestamp: &str, body: &[u8]) -> [u8; 32] {
    let mut mac = keyed.clone();
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().into()
}

impl Verifier for StandardWebhooks {
    fn verify(&self, headers: &dyn Headers, body: &[u8]) -> Result<KeyId, Error> {
        let names = Names::used_by(headers);
        let id = headers.required(&names.id)?;
        let timestamp_text = headers.required(&names.timestamp)?;
        let timestamp: i64 = timestamp_text
            .parse()
            .map_err(|_| Error::malformed_header(&names.timestamp, HeaderProblem::NotAnInteger))?;
        self.freshness.check(UnixTime::from_secs(timestamp))?;
        let location = SignatureLocation::Header(names.signature.clone());
        let mut tags = Vec::new();
        let mut problem = SignatureProblem::Absent;
        for entry in headers.required(&names.signature)?.split(' ') {
            let Some(("v1", encoded)) = entry.split_once(',') else {
                continue; // Another version, or not a signature: ignored.
            };
            match Tag::<32>::decode(encoded, SignatureEncoding::Base64) {
                Ok(tag) => tags.push(tag),
                Err(malformed) => problem = malformed,
            }
        }
        if tags.is_empty() {
            return Err(Error::malformed_signature(location, problem));
        }
        self.macs
            .find(|keyed| {
                let mac = signed_content(keyed, id, timestamp_text, body);
                tags.iter().any(|tag| tag.matches(&mac))
            })
            .cloned()
            .ok_or_else(|| Error::signature_mismatch(location, self.macs.len()))
    }

    fn message_id(&self, headers: &dyn Headers) -> Option<String> {
        let names = Names::used_by(headers);
        headers
            .optional(&names.id)
            .ok()
            .flatten()
            .map(str::to_owned)
    }
}

impl fmt::Debug for StandardWebhooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StandardWebhooks")
            .field("key_ids", &self.macs.ids().collect::<Vec<_>>())
            .field("freshness", &self.freshness)
            .finish()
    }
}
