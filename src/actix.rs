//! actix-web 4 integration (feature `actix`): a middleware that receives a provider's webhooks
//! on the resources it wraps, and the extractors a handler takes them with.
//!
//! [`WebhookMiddleware`] does what the axum layer does (see [`crate::axum`]): it reads the raw
//! body under the receiver's limit, verifies, parses and claims the delivery, runs the handler,
//! which takes the notification with [`Webhook<P>`], and marks it handled when the response is
//! 2xx (after the response is on its way) or gives the claim up otherwise. A duplicate is
//! answered 200 and one being handled 409 with `Retry-After`; a refused request gets the status
//! of its [`ErrorKind`](crate::ErrorKind) and a short fixed body. All of it is app
//! configuration.
//!
//! ```
//! use actix_web::{App, web};
//! use hookproof::actix::{Webhook, WebhookMiddleware};
//! use hookproof::delivery::MemoryStore;
//! use hookproof::inplayer::InPlayer;
//! use hookproof::{Receiver, Secret};
//!
//! async fn inplayer(Webhook(notification): Webhook<InPlayer>) -> &'static str {
//!     println!("{} {}", notification.event_type(), notification.id);
//!     "ok"
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let receiver = Receiver::new(InPlayer::new(Secret::new("my_inplayer_api_secret")?))
//!     .with_store(MemoryStore::new(100_000));
//! let _app = App::new().service(
//!     web::resource("/webhooks/inplayer")
//!         .wrap(WebhookMiddleware::new(receiver))
//!         .route(web::post().to(inplayer)),
//! );
//! # Ok(()) }
//! ```

use std::fmt;
use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::rc::Rc;

use actix_web::body::{BodyStream, EitherBody, MessageBody, to_bytes_limited};
use actix_web::dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::StatusCode as ActixStatus;
use actix_web::http::header::{HeaderMap, RETRY_AFTER};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError};
use http::HeaderName;

use crate::delivery::{Answer, Claimed, Receipt, Receiver, Reception, Rejection, TenantFrom};
use crate::{Error, HeaderLookup, Headers, Provider};

/// A verified notification of provider `P`, put there by a [`WebhookMiddleware<P>`].
#[derive(Debug, Clone)]
pub struct Webhook<P: Provider>(pub P::Notification);

/// What the middleware hands the handler.
struct Delivered<N>(N);

/// Receives provider `P`'s webhooks on what it wraps: see the [module docs](self).
pub struct WebhookMiddleware<P> {
    receiver: Receiver<P>,
}

impl<P: Provider + 'static> WebhookMiddleware<P> {
    /// Receives with `receiver` (its limits, store and policies).
    pub fn new(receiver: Receiver<P>) -> Self {
        Self { receiver }
    }
}

impl<P: fmt::Debug> fmt::Debug for WebhookMiddleware<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookMiddleware")
            .field("receiver", &self.receiver)
            .finish()
    }
}

impl<S, B, P> Transform<S, ServiceRequest> for WebhookMiddleware<P>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
    P: Provider + 'static,
    P::Notification: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Transform = WebhookService<S, P>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(WebhookService {
            service: Rc::new(service),
            receiver: self.receiver.clone(),
        }))
    }
}

/// The service a [`WebhookMiddleware`] wraps a resource in.
pub struct WebhookService<S, P> {
    service: Rc<S>,
    receiver: Receiver<P>,
}

impl<S, B, P> Service<ServiceRequest> for WebhookService<S, P>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
    P: Provider + 'static,
    P::Notification: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>>>>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, mut request: ServiceRequest) -> Self::Future {
        let service = Rc::clone(&self.service);
        let receiver = self.receiver.clone();
        Box::pin(async move {
            let payload = request.take_payload();
            let received = match read_body(&receiver, request.headers(), payload).await {
                Ok(bytes) => match tenant_of(&receiver, &request) {
                    Ok(Some(tenant)) => {
                        receiver
                            .accept_for(&tenant, request.headers(), &bytes)
                            .await
                    }
                    Ok(None) => receiver.accept(request.headers(), &bytes).await,
                    Err(rejection) => Err(rejection),
                }
                .map(|reception| (reception, bytes)),
                Err(rejection) => Err(rejection),
            };
            let (reception, bytes) = match received {
                Ok(received) => received,
                Err(rejection) => {
                    let response = rejection.error_response();
                    return Ok(request.into_response(response).map_into_right_body());
                }
            };
            if let Some(Answer {
                status,
                body,
                retry_after,
                ..
            }) = reception.answer()
            {
                let mut response = HttpResponse::build(
                    ActixStatus::from_u16(status.as_u16()).unwrap_or(ActixStatus::OK),
                );
                if let Some(seconds) = retry_after {
                    response.insert_header((RETRY_AFTER, seconds));
                }
                let response = response
                    .content_type("text/plain; charset=utf-8")
                    .body(body);
                return Ok(request.into_response(response).map_into_right_body());
            }
            let Reception::New(Claimed {
                notification,
                receipt,
                lease,
            }) = reception
            else {
                unreachable!("every other reception has its answer")
            };
            request.extensions_mut().insert(Delivered(notification));
            request.extensions_mut().insert(receipt);
            request.set_payload(Payload::from(bytes));
            // An error or a panic in the handler drops the lease on the way out: released.
            let response = service.call(request).await?;
            if response.status().is_success() {
                // After the response is on its way: completing adds no round trip to it.
                lease.complete_detached();
            } else {
                // Before the answer, so that the provider's retry finds the key free.
                lease.release_or_log().await;
            }
            Ok(response.map_into_left_body())
        })
    }
}

/// The request's tenant, where the receiver says to read it: a path parameter of the resource,
/// or a header. A resource without the parameter is misconfigured (500); a request without the
/// header names no tenant, and is refused as a bad signature is.
fn tenant_of<P: Provider + 'static>(
    receiver: &Receiver<P>,
    request: &ServiceRequest,
) -> Result<Option<String>, Rejection> {
    match receiver.tenant_source() {
        None => Ok(None),
        Some(TenantFrom::Path(name)) => request
            .match_info()
            .get(name)
            .map(|value| Some(value.to_owned()))
            .ok_or(Rejection::NotConfigured { provider: P::NAME }),
        Some(TenantFrom::Header(name)) => Ok(Some(
            request
                .headers()
                .get(name.as_str())
                .and_then(|value| value.to_str().ok())
                .ok_or_else(|| Rejection::Invalid(Error::missing_header(name)))?
                .to_owned(),
        )),
    }
}

/// The body, read under the receiver's limit.
async fn read_body<P: Provider + 'static>(
    receiver: &Receiver<P>,
    headers: &HeaderMap,
    payload: Payload,
) -> Result<actix_web::web::Bytes, Rejection> {
    receiver.check_declared_length(headers)?;
    to_bytes_limited(BodyStream::new(payload), receiver.body_limit())
        .await
        .map_err(|_| Error::body_too_large(receiver.body_limit()))?
        .map_err(|_| Rejection::BodyUnreadable)
}

/// A resource at `path` that stores each verified `POST` in `receiver`'s inbox and answers 200
/// once it is durable (see [`inbox`](crate::delivery::inbox)): no handler of its own, workers
/// handle the deliveries. A receiver without an inbox answers 500 here.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "sqlite", feature = "postgres"))))]
pub fn inbox_resource<P>(
    path: &str,
    receiver: Receiver<P>,
) -> impl actix_web::dev::HttpServiceFactory
where
    P: Provider + 'static,
    P::Notification: 'static,
{
    let not_configured =
        || async { Rejection::NotConfigured { provider: P::NAME }.error_response() };
    actix_web::web::resource(path)
        .wrap(WebhookMiddleware::new(receiver))
        .route(actix_web::web::post().to(not_configured))
}

impl<P> FromRequest for Webhook<P>
where
    P: Provider + 'static,
    P::Notification: 'static,
{
    type Error = Rejection;
    type Future = Ready<Result<Self, Rejection>>;

    /// Takes the notification the resource's [`WebhookMiddleware<P>`] verified; without one,
    /// the resource is misconfigured (500).
    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(
            request
                .extensions_mut()
                .remove::<Delivered<P::Notification>>()
                .map(|Delivered(notification)| Self(notification))
                .ok_or(Rejection::NotConfigured { provider: P::NAME }),
        )
    }
}

impl FromRequest for Receipt {
    type Error = Rejection;
    type Future = Ready<Result<Self, Rejection>>;

    /// Whose delivery this is and whether a store guards it, from the resource's middleware.
    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(
            request
                .extensions()
                .get::<Receipt>()
                .cloned()
                .ok_or(Rejection::NotConfigured {
                    provider: "hookproof",
                }),
        )
    }
}

/// actix-web's own header map (its `http` types are not those of `http` 1).
impl Headers for HeaderMap {
    fn lookup(&self, name: &HeaderName) -> HeaderLookup<'_> {
        let mut values = self.get_all(name.as_str());
        match (values.next(), values.next()) {
            (None, _) => HeaderLookup::Absent,
            (Some(value), None) => HeaderLookup::Once(value.as_bytes()),
            (Some(_), Some(_)) => HeaderLookup::Repeated,
        }
    }
}

impl ResponseError for Rejection {
    fn status_code(&self) -> ActixStatus {
        ActixStatus::from_u16(self.status().as_u16()).unwrap_or(ActixStatus::BAD_REQUEST)
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(self.reason())
    }
}
