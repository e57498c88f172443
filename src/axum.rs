//! axum 0.8 integration (feature `axum`): a layer that receives a provider's webhooks on a route,
//! and the extractors a handler takes them with.
//!
//! [`WebhookLayer`] reads the raw body itself (a `Content-Length` over the receiver's limit is
//! refused before reading; a smaller one is not trusted), verifies and parses it, claims it in
//! the receiver's store, and only then runs the handler, which takes the notification with
//! [`Webhook<P>`] (and, if it wants, the [`Receipt`]). When the handler's response is 2xx the
//! delivery is marked handled, after the response is on its way; any other status, a panic or
//! a dropped request gives the claim up, so the provider's retry is handled. A duplicate is
//! answered 200 and one being handled 409 with `Retry-After`, without running the handler; a
//! refused request gets the status of its [`ErrorKind`](crate::ErrorKind) and a short fixed
//! body. All of it is router configuration: the handler has nothing to do.
//!
//! ```
//! use axum::{Router, routing::post};
//! use hookproof::axum::{Webhook, WebhookLayer};
//! use hookproof::delivery::MemoryStore;
//! use hookproof::platnova::{Event, Platnova};
//! use hookproof::{Receiver, Secret};
//!
//! async fn platnova(Webhook(notification): Webhook<Platnova>) -> &'static str {
//!     if let Event::CardCharged(charge) = &notification.event {
//!         // Record the charge. An error response here gives the claim up: the retry is handled.
//!         # let _ = charge;
//!     }
//!     "ok"
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let receiver = Receiver::new(Platnova::new(Secret::new("pn_live_9f8e7d6c5b4a")?))
//!     .with_store(MemoryStore::new(100_000));
//! let app: Router = Router::new()
//!     .route("/webhooks/platnova", post(platnova).layer(WebhookLayer::new(receiver)));
//! # Ok(()) }
//! ```

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::http::header::RETRY_AFTER;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tower_layer::Layer;
use tower_service::Service;

use crate::delivery::{Answer, Claimed, Receipt, Receiver, Reception, Rejection, TenantFrom};
use crate::{Error, Provider};

/// A verified notification of provider `P`, put there by a [`WebhookLayer<P>`].
#[derive(Debug, Clone)]
pub struct Webhook<P: Provider>(pub P::Notification);

/// What the layer hands the handler.
#[derive(Clone)]
struct Delivered<N>(N);

/// Receives provider `P`'s webhooks on the routes it wraps: see the [module docs](self).
pub struct WebhookLayer<P> {
    receiver: Receiver<P>,
}

impl<P: Provider + 'static> WebhookLayer<P> {
    /// Receives with `receiver` (its limits, store and policies).
    pub fn new(receiver: Receiver<P>) -> Self {
        Self { receiver }
    }
}

impl<P> Clone for WebhookLayer<P> {
    fn clone(&self) -> Self {
        Self {
            receiver: self.receiver.clone(),
        }
    }
}

impl<P: fmt::Debug> fmt::Debug for WebhookLayer<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookLayer")
            .field("receiver", &self.receiver)
            .finish()
    }
}

impl<S, P> Layer<S> for WebhookLayer<P> {
    type Service = WebhookService<S, P>;

    fn layer(&self, inner: S) -> Self::Service {
        WebhookService {
            inner,
            receiver: self.receiver.clone(),
        }
    }
}

/// The service a [`WebhookLayer`] wraps a route in.
pub struct WebhookService<S, P> {
    inner: S,
    receiver: Receiver<P>,
}

impl<S: Clone, P> Clone for WebhookService<S, P> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            receiver: self.receiver.clone(),
        }
    }
}

impl<S, P: fmt::Debug> fmt::Debug for WebhookService<S, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookService")
            .field("receiver", &self.receiver)
            .finish_non_exhaustive()
    }
}

impl<S, P> Service<Request> for WebhookService<S, P>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
    P: Provider + 'static,
    P::Notification: Clone + Send + Sync + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // The service polled ready is the one to call; a clone stays for the next request.
        let ready = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, ready);
        let receiver = self.receiver.clone();
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            let received = match read_body(&receiver, &parts, body).await {
                Ok(bytes) => match tenant_of(&receiver, &mut parts).await {
                    Ok(Some(tenant)) => receiver.accept_for(&tenant, &parts.headers, &bytes).await,
                    Ok(None) => receiver.accept(&parts.headers, &bytes).await,
                    Err(rejection) => Err(rejection),
                }
                .map(|reception| (reception, bytes)),
                Err(rejection) => Err(rejection),
            };
            let (reception, bytes) = match received {
                Ok(received) => received,
                Err(rejection) => return Ok(rejection.into_response()),
            };
            if let Some(answer) = reception.answer() {
                return Ok(answer_response(answer));
            }
            let Reception::New(Claimed {
                notification,
                receipt,
                lease,
            }) = reception
            else {
                unreachable!("every other reception has its answer")
            };
            let mut request = Request::from_parts(parts, Body::from(bytes));
            request.extensions_mut().insert(Delivered(notification));
            request.extensions_mut().insert(receipt);
            // A panic in the handler unwinds through here and drops the lease: released.
            let response = inner.call(request).await?;
            if response.status().is_success() {
                // After the response is on its way: completing adds no round trip to it.
                lease.complete_detached();
            } else {
                // Before the answer, so that the provider's retry finds the key free.
                lease.release_or_log().await;
            }
            Ok(response)
        })
    }
}

/// The request's tenant, where the receiver says to read it: a path parameter of the route, or
/// a header. A route without the parameter is misconfigured (500); a request without the header
/// names no tenant, and is refused as a bad signature is.
async fn tenant_of<P: Provider + 'static>(
    receiver: &Receiver<P>,
    parts: &mut Parts,
) -> Result<Option<String>, Rejection> {
    match receiver.tenant_source() {
        None => Ok(None),
        Some(TenantFrom::Path(name)) => {
            let params = RawPathParams::from_request_parts(parts, &())
                .await
                .map_err(|_| Rejection::NotConfigured { provider: P::NAME })?;
            params
                .iter()
                .find(|(param, _)| param == name)
                .map(|(_, value)| Some(value.to_owned()))
                .ok_or(Rejection::NotConfigured { provider: P::NAME })
        }
        Some(TenantFrom::Header(name)) => Ok(Some(
            parts
                .headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .ok_or_else(|| Rejection::Invalid(Error::missing_header(name)))?
                .to_owned(),
        )),
    }
}

/// The body, read under the receiver's limit.
async fn read_body<P: Provider + 'static>(
    receiver: &Receiver<P>,
    parts: &Parts,
    body: Body,
) -> Result<Bytes, Rejection> {
    receiver.check_declared_length(&parts.headers)?;
    Ok(Limited::new(body, receiver.body_limit())
        .collect()
        .await
        .map_err(|failure| {
            if failure.downcast_ref::<LengthLimitError>().is_some() {
                Rejection::Invalid(Error::body_too_large(receiver.body_limit()))
            } else {
                Rejection::BodyUnreadable
            }
        })?
        .to_bytes())
}

fn answer_response(answer: Answer) -> Response {
    let mut response = (answer.status, answer.body).into_response();
    if let Some(seconds) = answer.retry_after {
        response
            .headers_mut()
            .insert(RETRY_AFTER, http::HeaderValue::from(seconds));
    }
    response
}

/// A `POST` route that stores each verified delivery in `receiver`'s inbox and answers 200 once
/// it is durable (see [`inbox`](crate::delivery::inbox)): the route has no handler of its own,
/// workers handle the deliveries. A receiver without an inbox answers 500 here.
///
/// ```no_run
/// use axum::Router;
/// use hookproof::delivery::inbox::SqliteInbox;
/// use hookproof::{Receiver, Secret, platnova::Platnova};
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let inbox = SqliteInbox::open("webhooks.db").await?;
/// let receiver = Receiver::new(Platnova::new(Secret::new("pn_live_9f8e7d6c5b4a")?)).with_inbox(inbox);
/// let app: Router = Router::new().route("/webhooks/platnova", hookproof::axum::inbox_route(receiver));
/// # Ok(()) }
/// ```
#[cfg(any(feature = "sqlite", feature = "postgres"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "sqlite", feature = "postgres"))))]
pub fn inbox_route<P, S>(receiver: Receiver<P>) -> axum::routing::MethodRouter<S>
where
    P: Provider + 'static,
    P::Notification: Clone + Send + Sync + 'static,
    S: Clone + Send + Sync + 'static,
{
    let not_configured = || async { Rejection::NotConfigured { provider: P::NAME } };
    axum::routing::post(not_configured).layer(WebhookLayer::new(receiver))
}

impl<S, P> FromRequestParts<S> for Webhook<P>
where
    S: Send + Sync,
    P: Provider + 'static,
    P::Notification: Clone + Send + Sync + 'static,
{
    type Rejection = Rejection;

    /// Takes the notification the route's [`WebhookLayer<P>`] verified; without one, the route
    /// is misconfigured (500).
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Rejection> {
        parts
            .extensions
            .remove::<Delivered<P::Notification>>()
            .map(|Delivered(notification)| Self(notification))
            .ok_or(Rejection::NotConfigured { provider: P::NAME })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Receipt {
    type Rejection = Rejection;

    /// Whose delivery this is and whether a store guards it, from the route's layer.
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Rejection> {
        parts
            .extensions
            .get::<Receipt>()
            .cloned()
            .ok_or(Rejection::NotConfigured {
                provider: "hookproof",
            })
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        (self.status(), self.reason()).into_response()
    }
}
