//! With the `tracing` feature: one structured event per delivery outcome, with provider,
//! tenant and key id (and an inbox row's id and attempt); a duplicate is information, not an
//! error, a dead letter is an error; never a secret, body content or a handler's error text.

use std::sync::Arc;
use std::time::Duration;

use hookproof::delivery::inbox::{Inbox, Retry, SqliteInbox, Worker};
use hookproof::delivery::{MemoryStore, Reception};
use hookproof::platnova::Platnova;
use hookproof::testing::platnova::{sample, signed_request};
use hookproof::{Receiver, Secret};

fn secret() -> Secret {
    Secret::new("pn_test").unwrap()
}

/// With the `tracing` feature: one event per outcome, with provider, tenant and key id; a
/// duplicate is information, not an error; no secret and no body content in any of them.
#[tokio::test]
async fn every_outcome_is_one_structured_event_without_secrets_or_content() {
    use std::sync::Mutex;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .finish();
    // The only test of this binary: its subscriber sees every event from the start.
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let receiver = Receiver::new(Platnova::new(secret()))
        .with_store(MemoryStore::new(100))
        .with_key_tenants([("default", "acme")]);
    let body = sample("card.charged").unwrap().body;
    let request = signed_request(&Platnova::new(secret()), body).unwrap();
    let Reception::New(claimed) = receiver
        .accept(&request.headers, &request.body)
        .await
        .unwrap()
    else {
        panic!()
    };
    claimed.lease.complete().await.unwrap();
    let again = receiver
        .accept(&request.headers, &request.body)
        .await
        .unwrap();
    assert!(matches!(again, Reception::Duplicate(_)));
    let forged = signed_request(&Platnova::new(Secret::new("pn_guess").unwrap()), body).unwrap();
    assert!(
        receiver
            .accept(&forged.headers, &forged.body)
            .await
            .is_err()
    );
    let drifted = signed_request(
        &Platnova::new(secret()),
        body.replace(r#""amount": 50.00"#, r#""amount": "x""#),
    )
    .unwrap();
    let _ = receiver
        .accept(&drifted.headers, &drifted.body)
        .await
        .unwrap();

    // An inbox's rows: one handled, one failed, then dead-lettered.
    let dir = std::env::temp_dir().join(format!("hookproof-observability-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let inbox = SqliteInbox::open(dir.join("inbox.db")).await.unwrap();
    inbox.migrate().await.unwrap();
    let receiver = Receiver::new(Platnova::new(secret()))
        .with_inbox(inbox.clone())
        .with_key_tenants([("default", "acme")]);
    for reference in ["ROW-HANDLED", "ROW-DEAD"] {
        let request = signed_request(
            &Platnova::new(secret()),
            body.replace("TXN123456", reference),
        )
        .unwrap();
        let stored = receiver
            .accept(&request.headers, &request.body)
            .await
            .unwrap();
        assert!(matches!(stored, Reception::Stored(_)));
    }
    let worker = Worker::new(
        Arc::new(inbox.clone()),
        Platnova::new(secret()),
        |handled| {
            let key = handled
                .notification
                .idempotency_key()
                .unwrap()
                .as_str()
                .to_owned();
            async move {
                match key.ends_with("ROW-DEAD") {
                    true => Err(format!("the ledger refused {key}")),
                    false => Ok(()),
                }
            }
        },
    )
    .with_retry(Retry::new(Duration::ZERO, Duration::ZERO, 2));
    for _ in 0..3 {
        assert!(worker.run_once().await.unwrap());
    }
    assert_eq!(inbox.dead_letters(10).await.unwrap().len(), 1);
    // A worker whose store cannot give it a row (here, a table never migrated) says so.
    let unmigrated = SqliteInbox::open(dir.join("unmigrated.db")).await.unwrap();
    let idle = Worker::new(Arc::new(unmigrated), Platnova::new(secret()), |_| async {
        Ok::<(), String>(())
    });
    assert!(idle.run_once().await.is_err());
    let _ = std::fs::remove_dir_all(&dir);

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    let line = |outcome: &str| {
        lines
            .iter()
            .find(|line| line.contains(&format!("outcome=\"{outcome}\"")))
            .unwrap_or_else(|| panic!("no {outcome} event in:\n{log}"))
    };
    for outcome in ["accepted", "duplicate"] {
        let event = line(outcome);
        assert!(event.contains(" INFO "), "{event}");
        assert!(
            event.contains("provider=\"platnova\"")
                && event.contains("tenant=acme")
                && event.contains("key_id=default"),
            "{event}"
        );
    }
    assert!(line("refused").contains("kind=SignatureMismatch"));
    assert!(line("drifted").contains(" WARN "));
    for (outcome, level, attempt) in [
        ("handled", " INFO ", 1),
        ("failed", " WARN ", 1),
        ("dead_lettered", " ERROR ", 2),
    ] {
        let event = line(outcome);
        assert!(event.contains(level), "{event}");
        assert!(
            event.contains("provider=\"platnova\"")
                && event.contains("tenant=acme")
                && event.contains("key_id=default")
                && event.contains(" row=")
                && event.contains(&format!("attempt={attempt}")),
            "{event}"
        );
    }
    assert!(line("failed").contains("retry_in_ms=0"));
    let none_taken = line("store_failed");
    assert!(
        none_taken.contains(" WARN ")
            && none_taken.contains("provider=\"platnova\"")
            && none_taken.contains("decision=\"none_taken\""),
        "{none_taken}"
    );
    for content in [
        "pn_test",
        "pn_guess",
        "TXN123456",
        "ROW-HANDLED",
        "ROW-DEAD",
        "the ledger refused",
        "John Doe",
        "Store Name",
    ] {
        assert!(!log.contains(content), "`{content}` in the log:\n{log}");
    }
}
