//! An axum 0.8 extractor for verified webhooks (feature `axum`).
//!
//! Put a [`Receiver`] for each provider in the router state (directly, or in your own state
//! with [`FromRef`]); a handler that takes [`Webhook<P>`] then only runs for requests that
//! verified and parsed. The extractor reads the raw body itself, never a pre-parsed `Json`,
//! refuses it once it passes the receiver's limit while reading (a `Content-Length` over the
//! limit is refused before reading; a smaller one is not trusted), and answers a refused request
//! with [`Rejection`]: the status for its [`ErrorKind`](crate::ErrorKind) and a short fixed body.
//!
//! ```
//! use axum::{Router, routing::post};
//! use hookproof::axum::Webhook;
//! use hookproof::platnova::{Event, Platnova};
//! use hookproof::{Delivery, Receiver, Secret};
//!
//! async fn platnova(Webhook(notification): Webhook<Platnova>) -> &'static str {
//!     if let Event::CardCharged(charge) = &notification.event {
//!         // Record the charge, keyed by notification.idempotency_key() ...
//!         # let _ = charge;
//!     }
//!     let _raw = notification.provenance().raw_body();
//!     "ok"
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let app: Router = Router::new()
//!     .route("/webhooks/platnova", post(platnova))
//!     .with_state(Receiver::new(Platnova::new(Secret::new("pn_live_9f8e7d6c5b4a")?)));
//! # Ok(()) }
//! ```

use axum::extract::{FromRef, FromRequest, Request};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::{Error, Provider, Receiver, Rejection};

/// A request that verified and parsed as a notification of provider `P`.
#[derive(Debug, Clone)]
pub struct Webhook<P: Provider>(pub P::Notification);

impl<S, P> FromRequest<S> for Webhook<P>
where
    S: Send + Sync,
    P: Provider + 'static,
    P::Notification: Send,
    Receiver<P>: FromRef<S>,
{
    type Rejection = Rejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Rejection> {
        let receiver = Receiver::<P>::from_ref(state);
        let (parts, body) = request.into_parts();
        receiver.check_declared_length(&parts.headers)?;
        let body = Limited::new(body, receiver.body_limit())
            .collect()
            .await
            .map_err(|failure| {
                if failure.downcast_ref::<LengthLimitError>().is_some() {
                    Rejection::Invalid(Error::body_too_large(receiver.body_limit()))
                } else {
                    Rejection::BodyUnreadable
                }
            })?
            .to_bytes();
        Ok(Self(receiver.accept(&parts.headers, &body).await?))
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        (self.status(), self.reason()).into_response()
    }
}
