//! The delivery guarantees, as a provider and a receiving application see them: a real axum or
//! actix server on a loopback port, configured at router level only, in front of a store, and
//! a real HTTP client playing the provider. Each scenario ends with every event handled to
//! success exactly once.
//!
//! The handler's behaviour is chosen per request by the unsigned `x-test` header (a provider's
//! retry is the same signed request; the test varies only what the handler does with it):
//! `ok`, `fail` (500), `panic`, `slow-ok:<ms>`, `slow-fail:<ms>`, `random` (500 three times in
//! ten). Successes are counted per tenant and idempotency key.

#![allow(dead_code)] // Each test binary uses the part it needs.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hookproof::cedar::Cedar;
use hookproof::delivery::{IdempotencyStore, Receipt};
use hookproof::platnova::Platnova;
use hookproof::testing::{cedar, platnova, voximplant};
use hookproof::voximplant::Voximplant;
use hookproof::{Delivery, KeyRing, Provider, Receiver, Secret};

/// The lease the scenarios use: short, so that expiry is quick to wait for.
pub const LEASE: Duration = Duration::from_millis(1500);

pub fn secret(text: &str) -> Secret {
    Secret::new(text).unwrap()
}

/// What the handlers did: successes per `tenant/key`, and every attempt.
#[derive(Clone, Default)]
pub struct Ledger {
    successes: Arc<Mutex<HashMap<String, usize>>>,
    attempts: Arc<AtomicU64>,
}

impl Ledger {
    pub fn successes(&self, tenant: &str, key: &str) -> usize {
        let successes = self.successes.lock().unwrap();
        successes
            .get(&format!("{tenant}/{key}"))
            .copied()
            .unwrap_or(0)
    }

    pub fn all(&self) -> HashMap<String, usize> {
        self.successes.lock().unwrap().clone()
    }

    pub fn attempts(&self) -> u64 {
        self.attempts.load(Ordering::Relaxed)
    }

    /// Does what `behaviour` says with a delivery whose items have `keys`; the status answered.
    pub async fn act(&self, behaviour: &str, receipt: &Receipt, keys: Vec<String>) -> u16 {
        let attempt = self.attempts.fetch_add(1, Ordering::Relaxed);
        let (what, millis) = behaviour.split_once(':').unwrap_or((behaviour, "0"));
        let millis: u64 = millis.parse().unwrap_or(0);
        if millis > 0 {
            tokio::time::sleep(Duration::from_millis(millis)).await;
        }
        let succeed = match what {
            "fail" | "slow-fail" => false,
            "panic" => panic!("the handler panicked, as a test asked"),
            // Three failures in ten, spread by a multiplicative hash of the attempt number.
            "random" => attempt.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 60 >= 5,
            _ => true,
        };
        if !succeed {
            return 500;
        }
        let mut successes = self.successes.lock().unwrap();
        for key in keys {
            *successes
                .entry(format!("{}/{key}", receipt.tenant()))
                .or_default() += 1;
        }
        200
    }
}

/// The item keys a handler counts.
pub fn keys_of(notification: &impl Delivery) -> Vec<String> {
    notification
        .item_keys()
        .into_iter()
        .map(|key| key.map_or_else(|| "-".to_owned(), |key| key.as_str().to_owned()))
        .collect()
}

/// The receivers a site serves, all on one store.
pub struct Receivers {
    pub platnova: Receiver<Platnova>,
    /// One route, one key ring with two merchants' secrets.
    pub merchants: Receiver<Platnova>,
    pub cedar: Receiver<Cedar>,
    pub voximplant: Receiver<Voximplant>,
}

impl Receivers {
    pub fn on<S: IdempotencyStore + Clone + 'static>(store: S, lease: Duration) -> Self {
        let ring = KeyRing::new("acme", secret("pn_acme")).with("globex", secret("pn_globex"));
        Self {
            platnova: Receiver::new(Platnova::new(secret("pn_test")))
                .with_store(store.clone())
                .with_lease(lease),
            merchants: Receiver::new(Platnova::new(ring))
                .with_store(store.clone())
                .with_lease(lease)
                .with_key_tenants([("acme", "acme"), ("globex", "globex")]),
            cedar: Receiver::new(Cedar::new(secret("cedar_test")))
                .with_store(store.clone())
                .with_lease(lease),
            voximplant: Receiver::new(voximplant::test_receiver())
                .with_store(store)
                .with_lease(lease),
        }
    }
}

/// A provider's request: a path, headers and a body.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub path: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Outgoing {
    pub fn platnova(secret_text: &str, reference: &str) -> Self {
        let body = platnova::sample("card.charged")
            .unwrap()
            .body
            .replace("TXN123456", reference);
        let request = platnova::signed_request(&Platnova::new(secret(secret_text)), body).unwrap();
        Self {
            path: if secret_text == "pn_test" {
                "/platnova"
            } else {
                "/merchants"
            },
            headers: request.headers,
            body: request.body,
        }
    }
}

/// An answer: the status, `Retry-After`, the body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: String,
}

pub async fn post(
    client: &reqwest::Client,
    address: SocketAddr,
    send: &Outgoing,
    behaviour: &str,
) -> Option<Answer> {
    let mut request = client
        .post(format!("http://{address}{}", send.path))
        .header("x-test", behaviour)
        .body(send.body.clone());
    for (name, value) in &send.headers {
        request = request.header(name, value);
    }
    // A handler that panics or a request cut short shows up as no answer.
    let response = request.send().await.ok()?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|value| value.to_str().unwrap().to_owned());
    let body = response.text().await.ok()?;
    Some(Answer {
        status,
        retry_after,
        body,
    })
}

/// [`post`], sent again while the answer is 409: a completion lands just after its response
/// (so that it adds nothing to it), and a retry sent in that instant is told to come back.
pub async fn post_settled(
    client: &reqwest::Client,
    address: SocketAddr,
    send: &Outgoing,
    behaviour: &str,
) -> Option<Answer> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let answer = post(client, address, send, behaviour).await;
        match answer {
            Some(answer) if answer.status == 409 && Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            other => return other,
        }
    }
}

/// Sends `send` until it is answered 2xx, as a provider retries; how many attempts it took.
pub async fn until_accepted(
    client: &reqwest::Client,
    address: SocketAddr,
    send: &Outgoing,
    behaviour: &str,
) -> usize {
    let deadline = Instant::now() + Duration::from_secs(60);
    for attempt in 1.. {
        assert!(Instant::now() < deadline, "never accepted: {send:?}");
        match post(client, address, send, behaviour).await {
            Some(answer) if (200..300).contains(&answer.status) => return attempt,
            Some(answer) if answer.status == 409 => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            _ => {}
        }
    }
    unreachable!()
}

/// The table's rows, each ending with the event handled to success exactly once.
pub async fn every_row(address: SocketAddr, ledger: &Ledger) {
    let client = reqwest::Client::new();

    // A handler that fails: the retry is handled, later ones are acknowledged.
    let failing = Outgoing::platnova("pn_test", "ROW-FAIL");
    let first = post(&client, address, &failing, "fail").await.unwrap();
    assert_eq!(first.status, 500);
    let retry = post(&client, address, &failing, "ok").await.unwrap();
    assert_eq!((retry.status, retry.body.as_str()), (200, "ok"));
    let again = post_settled(&client, address, &failing, "ok")
        .await
        .unwrap();
    assert_eq!(
        (again.status, again.body.as_str()),
        (200, "already received")
    );
    assert_eq!(ledger.successes("", "card.charged:ROW-FAIL"), 1);

    // A handler that panics: the claim is given up as it unwinds.
    let panicking = Outgoing::platnova("pn_test", "ROW-PANIC");
    let answer = post(&client, address, &panicking, "panic").await;
    assert!(
        answer.as_ref().is_none_or(|answer| answer.status >= 500),
        "{answer:?}"
    );
    until_accepted(&client, address, &panicking, "ok").await;
    assert_eq!(ledger.successes("", "card.charged:ROW-PANIC"), 1);

    // A slow handler that then fails: a retry meanwhile is told to come back, never 200.
    let slow = Outgoing::platnova("pn_test", "ROW-SLOW");
    let attempts_before = ledger.attempts();
    let first = {
        let (client, slow) = (client.clone(), slow.clone());
        tokio::spawn(async move { post(&client, address, &slow, "slow-fail:1000").await })
    };
    // The retry goes out once the first attempt's handler runs (so it holds the claim).
    while ledger.attempts() == attempts_before {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let meanwhile = post(&client, address, &slow, "ok").await.unwrap();
    assert_eq!(meanwhile.status, 409, "{meanwhile:?}");
    assert!(meanwhile.retry_after.is_some());
    assert_eq!(first.await.unwrap().unwrap().status, 500);
    until_accepted(&client, address, &slow, "ok").await;
    assert_eq!(ledger.successes("", "card.charged:ROW-SLOW"), 1);

    // Two merchants on one route, one key ring, the same reference: two deliveries.
    for merchant in ["pn_acme", "pn_globex"] {
        let answer = post(
            &client,
            address,
            &Outgoing::platnova(merchant, "TX-1"),
            "ok",
        )
        .await
        .unwrap();
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (200, "ok"),
            "{merchant}"
        );
    }
    assert_eq!(ledger.successes("acme", "card.charged:TX-1"), 1);
    assert_eq!(ledger.successes("globex", "card.charged:TX-1"), 1);

    // Cedar: the same signed request with a fresh (unsigned) request UUID is the same delivery.
    let kyc = cedar::sample("BusinessKycStatusChanged").unwrap().body;
    let signed = cedar::signed_request_with_fields(
        &Cedar::new(secret("cedar_test")),
        kyc,
        cedar::SIGNED_FIELDS,
    )
    .unwrap();
    let mut cedar_key = String::new();
    for (uuid, expected) in [
        ("fa8ff1ec-8eed-44fc-a84b-5a6ffc2b531f", "ok"),
        ("00000000-0000-4000-8000-000000000001", "already received"),
    ] {
        let send = Outgoing {
            path: "/cedar",
            headers: signed
                .clone()
                .with_header("X-Webhook-Request-UUID", uuid)
                .headers,
            body: signed.body.clone(),
        };
        let answer = post_settled(&client, address, &send, "ok").await.unwrap();
        assert_eq!((answer.status, answer.body.as_str()), (200, expected));
        cedar_key = Cedar::new(secret("cedar_test"))
            .verify_and_parse(&send.headers, &send.body)
            .unwrap()
            .idempotency_key()
            .unwrap()
            .as_str()
            .to_owned();
    }
    assert_eq!(ledger.successes("", &cedar_key), 1);

    // Voximplant: a captured callback, altered (the hash does not cover data), twice in a new
    // batch: refused. Handled callbacks in a batch are dropped; a batch of them acknowledged.
    let salt = secret(voximplant::TEST_SALT);
    let api_key = secret(voximplant::TEST_API_KEY);
    let callback = |id: u64| {
        let body = voximplant::sample("min_balance")
            .unwrap()
            .body
            .replace("1014", &id.to_string());
        let start = body.find('[').unwrap() + 1;
        body[start..body.rfind(']').unwrap()].trim().to_owned()
    };
    let batch = |ids: &[u64]| {
        let callbacks: Vec<String> = ids.iter().map(|id| callback(*id)).collect();
        let body = format!(r#"{{"callbacks":[{}]}}"#, callbacks.join(","));
        let signed = voximplant::signed_request(
            &Voximplant::new(salt.clone(), api_key.clone()),
            body.as_str(),
        )
        .unwrap();
        Outgoing {
            path: "/voximplant",
            headers: signed.headers,
            body: signed.body,
        }
    };
    let doubled = batch(&[7001, 7001]);
    assert_eq!(
        post(&client, address, &doubled, "ok").await.unwrap().status,
        400
    );
    assert_eq!(
        post(&client, address, &batch(&[7001]), "ok")
            .await
            .unwrap()
            .status,
        200
    );
    let mixed = post_settled(&client, address, &batch(&[7001, 7002]), "ok")
        .await
        .unwrap();
    assert_eq!((mixed.status, mixed.body.as_str()), (200, "ok"));
    let handled = post_settled(&client, address, &batch(&[7002, 7001]), "ok")
        .await
        .unwrap();
    assert_eq!(
        (handled.status, handled.body.as_str()),
        (200, "already received")
    );
    let account = voximplant::TEST_ACCOUNT_ID;
    assert_eq!(ledger.successes("", &format!("{account}:7001")), 1);
    assert_eq!(ledger.successes("", &format!("{account}:7002")), 1);
}

/// 1,000 deliveries over 8 concurrent senders, each delivery sent twice at once (a provider's
/// overlapping retries) and retried until 2xx, the handler failing three times in ten: every
/// delivery handled to success exactly once.
pub async fn chaos(address: SocketAddr, ledger: &Ledger) {
    const DELIVERIES: usize = 1000;
    const SENDERS: usize = 8;
    let client = reqwest::Client::new();
    let senders: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let client = client.clone();
            tokio::spawn(async move {
                for delivery in (sender..DELIVERIES).step_by(SENDERS) {
                    let send = Outgoing::platnova("pn_test", &format!("CHAOS-{delivery}"));
                    let twice = (
                        until_accepted(&client, address, &send, "random"),
                        until_accepted(&client, address, &send, "random"),
                    );
                    let _ = tokio::join!(twice.0, twice.1);
                }
            })
        })
        .collect();
    for sender in senders {
        sender.await.unwrap();
    }
    let successes = ledger.all();
    let chaos: Vec<_> = successes
        .iter()
        .filter(|(key, _)| key.contains("CHAOS-"))
        .collect();
    assert_eq!(chaos.len(), DELIVERIES, "none lost");
    let twice: Vec<_> = chaos.iter().filter(|(_, count)| **count != 1).collect();
    assert!(twice.is_empty(), "handled more than once: {twice:?}");
    assert!(
        ledger.attempts() > DELIVERIES as u64,
        "failures were retried"
    );
}

/// A running server; stops when dropped.
pub struct Site {
    pub address: SocketAddr,
    pub ledger: Ledger,
    stop: Option<Box<dyn FnOnce() + Send>>,
}

impl Drop for Site {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop();
        }
    }
}

pub mod axum_site {
    use super::*;
    use axum::Router;
    use axum::extract::State;
    use axum::http::HeaderMap;
    use axum::routing::post;
    use hookproof::axum::{Webhook, WebhookLayer};

    async fn handle<P: Provider + 'static>(
        State(ledger): State<Ledger>,
        headers: HeaderMap,
        receipt: Receipt,
        Webhook(notification): Webhook<P>,
    ) -> (axum::http::StatusCode, &'static str)
    where
        P::Notification: Clone + Send + Sync,
    {
        let behaviour = headers
            .get("x-test")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("ok");
        let status = ledger
            .act(behaviour, &receipt, keys_of(&notification))
            .await;
        let status = axum::http::StatusCode::from_u16(status).unwrap();
        (status, if status.is_success() { "ok" } else { "failed" })
    }

    pub fn router(receivers: Receivers, ledger: Ledger) -> Router {
        Router::new()
            .route(
                "/platnova",
                post(handle::<Platnova>).layer(WebhookLayer::new(receivers.platnova)),
            )
            .route(
                "/merchants",
                post(handle::<Platnova>).layer(WebhookLayer::new(receivers.merchants)),
            )
            .route(
                "/cedar",
                post(handle::<Cedar>).layer(WebhookLayer::new(receivers.cedar)),
            )
            .route(
                "/voximplant",
                post(handle::<Voximplant>).layer(WebhookLayer::new(receivers.voximplant)),
            )
            .with_state(ledger)
    }

    /// Serves `receivers` on a loopback port, on a runtime of its own.
    pub fn start(receivers: Receivers) -> Site {
        let ledger = Ledger::default();
        let (address, stop) = crate::serve::serve_axum(router(receivers, ledger.clone()));
        Site {
            address,
            ledger,
            stop: Some(Box::new(move || {
                let _ = stop.send(());
            })),
        }
    }
}

pub mod actix_site {
    use super::*;
    use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
    use hookproof::actix::{Webhook, WebhookMiddleware};

    async fn handle<P: Provider + 'static>(
        ledger: web::Data<Ledger>,
        request: HttpRequest,
        receipt: Receipt,
        Webhook(notification): Webhook<P>,
    ) -> HttpResponse {
        let behaviour = request
            .headers()
            .get("x-test")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("ok")
            .to_owned();
        let status = ledger
            .act(&behaviour, &receipt, keys_of(&notification))
            .await;
        let status = actix_web::http::StatusCode::from_u16(status).unwrap();
        HttpResponse::build(status).body(if status.is_success() { "ok" } else { "failed" })
    }

    /// Serves `receivers` on a loopback port, on an actix system of its own.
    pub fn start(receivers: Receivers) -> Site {
        let ledger = Ledger::default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let (handles, server_handle) = std::sync::mpsc::channel();
        let app_ledger = ledger.clone();
        let receivers = Arc::new(receivers);
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(web::Data::new(app_ledger.clone()))
                        .service(
                            web::resource("/platnova")
                                .wrap(WebhookMiddleware::new(receivers.platnova.clone()))
                                .route(web::post().to(handle::<Platnova>)),
                        )
                        .service(
                            web::resource("/merchants")
                                .wrap(WebhookMiddleware::new(receivers.merchants.clone()))
                                .route(web::post().to(handle::<Platnova>)),
                        )
                        .service(
                            web::resource("/cedar")
                                .wrap(WebhookMiddleware::new(receivers.cedar.clone()))
                                .route(web::post().to(handle::<Cedar>)),
                        )
                        .service(
                            web::resource("/voximplant")
                                .wrap(WebhookMiddleware::new(receivers.voximplant.clone()))
                                .route(web::post().to(handle::<Voximplant>)),
                        )
                })
                .workers(2)
                .listen(listener)
                .unwrap()
                .run();
                handles.send(server.handle()).unwrap();
                server.await.unwrap();
            });
        });
        let server = server_handle.recv().unwrap();
        Site {
            address,
            ledger,
            stop: Some(Box::new(move || {
                // Stopping is asynchronous; the system thread ends by itself.
                std::mem::drop(server.stop(false));
            })),
        }
    }
}

/// The reference the crash scenario's delivery carries.
const CRASHED: &str = "CRASHED-HOLDER";

/// In a child process: claims the crash scenario's delivery in `store`, says so on stdout, and
/// holds the claim until the parent kills it.
pub async fn hold_a_claim<S: IdempotencyStore + Clone + 'static>(store: S) {
    let receiver = Receivers::on(store, LEASE).platnova;
    let send = Outgoing::platnova("pn_test", CRASHED);
    let reception = receiver.accept(&send.headers, &send.body).await.unwrap();
    assert!(matches!(reception, hookproof::delivery::Reception::New(_)));
    println!("claimed");
    use std::io::Write as _;
    std::io::stdout().flush().unwrap();
    tokio::time::sleep(Duration::from_secs(120)).await;
    drop(reception);
}

/// A process holding a claim is killed: its retry is told to come back while the lease lasts,
/// then handled once it has run out. `child_test` is the test that calls [`hold_a_claim`] when
/// `variable` names the store.
pub async fn a_killed_holders_claim_is_taken_over(
    address: SocketAddr,
    ledger: &Ledger,
    child_test: &str,
    variable: &str,
    store_url: &str,
) {
    use std::io::BufRead as _;
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", child_test, "--nocapture", "--test-threads", "1"])
        .env(variable, store_url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let claimed = stdout
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains("claimed"));
    assert!(claimed, "the child claimed the delivery");
    child.kill().unwrap();
    child.wait().unwrap();
    let killed_at = Instant::now();

    let client = reqwest::Client::new();
    let send = Outgoing::platnova("pn_test", CRASHED);
    let meanwhile = post(&client, address, &send, "ok").await.unwrap();
    assert_eq!(meanwhile.status, 409, "the dead holder's lease still runs");
    until_accepted(&client, address, &send, "ok").await;
    assert!(
        killed_at.elapsed() >= LEASE / 2,
        "handled only once the lease ran out"
    );
    assert_eq!(ledger.successes("", &format!("card.charged:{CRASHED}")), 1);
}

/// The store goes away while the service runs (`outage(true)`), and comes back
/// (`outage(false)`): refused with 503 meanwhile, handled again within seconds after, with no
/// restart of the service. How long it took once the store was back.
pub async fn the_store_comes_back(
    address: SocketAddr,
    ledger: &Ledger,
    mut outage: impl FnMut(bool),
) -> Duration {
    let client = reqwest::Client::new();
    let before = Outgoing::platnova("pn_test", "OUTAGE-BEFORE");
    assert_eq!(
        post(&client, address, &before, "ok").await.unwrap().status,
        200
    );
    outage(true);
    let during = Outgoing::platnova("pn_test", "OUTAGE-DURING");
    let refused = post(&client, address, &during, "ok").await.unwrap();
    assert_eq!(refused.status, 503, "{refused:?}");
    outage(false);
    let back = Instant::now();
    let deadline = back + Duration::from_secs(15);
    loop {
        let answer = post(&client, address, &during, "ok").await;
        if answer.as_ref().is_some_and(|answer| answer.status == 200) {
            break;
        }
        assert!(Instant::now() < deadline, "not back: {answer:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ledger.successes("", "card.charged:OUTAGE-DURING"), 1);
    back.elapsed()
}
