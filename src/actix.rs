//! An actix-web 4 extractor for verified webhooks (feature `actix`).
//!
//! Register a [`Receiver`] for each provider as `web::Data<Receiver<P>>`; a handler that takes
//! [`Webhook<P>`] then only runs for requests that verified and parsed. Like the axum extractor,
//! it reads the raw body itself under the receiver's limit and answers a refused request with
//! [`Rejection`]'s status and short fixed body. A handler whose receiver was not registered
//! answers 500 ([`Rejection::NotConfigured`]).
//!
//! ```
//! use actix_web::{App, web};
//! use hookproof::actix::Webhook;
//! use hookproof::inplayer::InPlayer;
//! use hookproof::{Receiver, Secret};
//!
//! async fn inplayer(Webhook(notification): Webhook<InPlayer>) -> &'static str {
//!     println!("{} {}", notification.event_type(), notification.id);
//!     "ok"
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let receiver = Receiver::new(InPlayer::new(Secret::new("my_inplayer_api_secret")?));
//! let _app = App::new()
//!     .app_data(web::Data::new(receiver))
//!     .route("/webhooks/inplayer", web::post().to(inplayer));
//! # Ok(()) }
//! ```

use std::future::Future;
use std::pin::Pin;

use actix_web::body::{BodyStream, to_bytes_limited};
use actix_web::http::StatusCode as ActixStatus;
use actix_web::http::header::HeaderMap;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, dev, web};
use http::HeaderName;

use crate::{Error, HeaderLookup, Headers, Provider, Receiver, Rejection};

/// A request that verified and parsed as a notification of provider `P`.
#[derive(Debug, Clone)]
pub struct Webhook<P: Provider>(pub P::Notification);

impl<P: Provider + 'static> FromRequest for Webhook<P> {
    type Error = Rejection;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Rejection>>>>;

    fn from_request(request: &HttpRequest, payload: &mut dev::Payload) -> Self::Future {
        let receiver = request.app_data::<web::Data<Receiver<P>>>().cloned();
        let headers = request.headers().clone();
        let payload = payload.take();
        Box::pin(async move {
            let receiver = receiver.ok_or(Rejection::NotConfigured { provider: P::NAME })?;
            receiver.check_declared_length(&headers)?;
            let body = to_bytes_limited(BodyStream::new(payload), receiver.body_limit())
                .await
                .map_err(|_| Error::body_too_large(receiver.body_limit()))?
                .map_err(|_| Rejection::BodyUnreadable)?;
            Ok(Self(receiver.accept(&headers, &body).await?))
        })
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
