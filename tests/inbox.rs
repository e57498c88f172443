//! The durable inbox on SQLite (always: the library is bundled) and on a real PostgreSQL (when
//! installed; the test starts it): receiving through the axum layer and the actix middleware,
//! a receiving process killed right after its 200, a worker killed mid-handle, a handler slower
//! than its lease keeping its row, 8 workers in 2 processes over 2,000 rows failing three times
//! in ten, a PostgreSQL restart under running workers, a poison event dead-lettered, re-queued
//! and handled, a row whose handling in a PostgreSQL transaction kills its worker each time
//! dead-lettered once its attempts are spent, handled rows purged after their
//! window (PostgreSQL's purge counted to read through its index), and an SQLite WAL that starts
//! over under a load that never pauses, its file reused meanwhile and given back after.

#[path = "support/serve.rs"]
mod serve;
#[path = "support/servers.rs"]
mod servers;

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use hookproof::delivery::inbox::{Inbox, PostgresInbox, Retry, SqliteInbox, Worker};
use hookproof::platnova::Platnova;
use hookproof::testing::platnova::{sample, signed_request};
use hookproof::{Receiver, Secret};
use servers::{PostgresServer, TempDir};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

const CHILD: &str = "HOOKPROOF_TEST_CHILD_INBOX";

/// Three attempts, a row due again 50 ms after a worker died handling it.
fn crash_retry() -> Retry {
    Retry::new(Duration::from_millis(50), Duration::from_millis(50), 3)
}

fn secret() -> Secret {
    Secret::new("pn_inbox").unwrap()
}

fn body(reference: &str) -> String {
    sample("card.charged")
        .unwrap()
        .body
        .replace("TXN123456", reference)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Where an inbox lives: an SQLite file, or a PostgreSQL URL.
async fn open(url: &str) -> Arc<dyn Inbox> {
    if let Some(path) = url.strip_prefix("sqlite:") {
        let inbox = SqliteInbox::open(path).await.unwrap();
        inbox.migrate().await.unwrap();
        Arc::new(inbox)
    } else {
        let inbox = PostgresInbox::connect(url).await.unwrap();
        inbox.migrate().await.unwrap();
        Arc::new(inbox)
    }
}

/// Appends each handled key to a file shared by every process: O_APPEND writes of a line are
/// atomic, so the lines count how often each delivery was handled to success.
#[derive(Clone)]
struct HandledLog(PathBuf);

impl HandledLog {
    fn record(&self, key: &str) {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.0)
            .unwrap();
        file.write_all(format!("{key}\n").as_bytes()).unwrap();
    }

    fn counts(&self) -> HashMap<String, usize> {
        let text = std::fs::read_to_string(&self.0).unwrap_or_default();
        let mut counts = HashMap::new();
        for line in text.lines() {
            *counts.entry(line.to_owned()).or_default() += 1;
        }
        counts
    }
}

/// A worker that records successes, failing `fail_percent` of attempts, retrying fast. Its
/// lease, like any, is longer than the store's slowest answer: with 8 workers in 2 processes on
/// one SQLite file on a busy 2-core machine, a round can wait a while for the other process's
/// lock.
fn worker(
    inbox: Arc<dyn Inbox>,
    log: HandledLog,
    fail_percent: u64,
) -> Worker<
    Platnova,
    impl Fn(
        hookproof::delivery::inbox::Handled<hookproof::platnova::Notification>,
    ) -> std::future::Ready<Result<(), String>>,
> {
    let attempts = Arc::new(AtomicU64::new(std::process::id() as u64));
    Worker::new(inbox, Platnova::new(secret()), move |handled| {
        let attempt = attempts.fetch_add(1, Ordering::Relaxed);
        let fails = attempt.wrapping_mul(0x9E37_79B9_7F4A_7C15) % 100 < fail_percent;
        std::future::ready(if fails {
            Err("the ledger timed out".to_owned())
        } else {
            log.record(handled.notification.idempotency_key().unwrap().as_str());
            Ok(())
        })
    })
    .with_lease(Duration::from_secs(10))
    .with_retry(Retry::new(
        Duration::from_millis(5),
        Duration::from_millis(50),
        30,
    ))
    .with_idle_wait(Duration::from_millis(20))
}

/// An axum server storing Platnova deliveries into `inbox`, on a runtime of its own.
/// It runs until the process ends.
fn serve_axum(inbox: Arc<dyn Inbox>) -> std::net::SocketAddr {
    let receiver = Receiver::new(Platnova::new(secret())).with_inbox(inbox);
    let app = Router::new().route("/platnova", hookproof::axum::inbox_route(receiver));
    let (address, stop) = serve::serve_axum(app);
    std::mem::forget(stop);
    address
}

async fn post(address: std::net::SocketAddr, reference: &str) -> Option<(u16, String)> {
    let request = signed_request(&Platnova::new(secret()), body(reference)).unwrap();
    let mut builder = reqwest::Client::new().post(format!("http://{address}/platnova"));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let response = builder.body(request.body).send().await.ok()?;
    Some((response.status().as_u16(), response.text().await.ok()?))
}

/// The child processes' parts. The test harness prints `test child ... ` before a child's
/// first line, so the parent matches line ends.
#[test]
fn child() {
    let Ok(role) = std::env::var(CHILD) else {
        return;
    };
    let (role, url) = role.split_once('|').unwrap();
    runtime().block_on(async move {
        let inbox = open(url).await;
        match role {
            // Receives into the inbox and says where; the parent kills it after a 200.
            "receiver" => {
                let address = serve_axum(inbox);
                println!("listening {address}");
                std::io::stdout().flush().unwrap();
                tokio::time::sleep(Duration::from_secs(120)).await;
            }
            // Takes a row and hangs in the handler; the parent kills it mid-handle.
            "hanging-worker" => {
                let worker = Worker::new(inbox, Platnova::new(secret()), |_| async {
                    println!("handling");
                    std::io::stdout().flush().unwrap();
                    tokio::time::sleep(Duration::from_secs(120)).await;
                    Ok::<(), String>(())
                })
                .with_lease(Duration::from_secs(2));
                worker.run_once().await.unwrap();
            }
            // Takes a row into a transaction and hangs in the handler; the parent kills it.
            "dying-in-transaction" => {
                let inbox = PostgresInbox::connect(url).await.unwrap();
                while !inbox
                    .run_once_in_transaction(&Platnova::new(secret()), crash_retry(), |_, _| {
                        Box::pin(async {
                            println!("handling");
                            std::io::stdout().flush().unwrap();
                            tokio::time::sleep(Duration::from_secs(120)).await;
                            Ok::<(), String>(())
                        })
                    })
                    .await
                    .unwrap()
                {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
            // Four workers until nothing is left, as a second process.
            workers if workers.starts_with("workers:") => {
                let log = HandledLog(PathBuf::from(&workers["workers:".len()..]));
                run_workers(inbox, log, 4).await;
                println!("done");
            }
            other => panic!("unknown role {other}"),
        }
    });
}

fn spawn_child(
    role: &str,
    url: &str,
) -> (
    Child,
    std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child", "--nocapture", "--test-threads", "1"])
        .env(CHILD, format!("{role}|{url}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    (child, lines)
}

/// `count` workers until no row is due for a while.
async fn run_workers(inbox: Arc<dyn Inbox>, log: HandledLog, count: usize) {
    let workers: Vec<_> = (0..count)
        .map(|_| {
            let worker = worker(Arc::clone(&inbox), log.clone(), 30);
            tokio::spawn(async move {
                let mut idle_since = Instant::now();
                while idle_since.elapsed() < Duration::from_millis(1500) {
                    match worker.run_once().await {
                        Ok(true) => idle_since = Instant::now(),
                        _ => tokio::time::sleep(Duration::from_millis(10)).await,
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
}

/// Every scenario, on the inbox at `url`.
fn scenarios(url: &str, dir: &Path) {
    let client = runtime();
    let inbox = client.block_on(open(url));
    let log = HandledLog(dir.join("handled.log"));

    // A receiving process killed right after its 200: the row is there, and gets handled.
    let (mut receiver, mut lines) = spawn_child("receiver", url);
    let address: std::net::SocketAddr = lines
        .find_map(|line| Some(line.ok()?.split_once("listening ")?.1.to_owned()))
        .unwrap()
        .parse()
        .unwrap();
    let answer = client.block_on(post(address, "CRASH-AFTER-200"));
    receiver.kill().unwrap();
    receiver.wait().unwrap();
    assert_eq!(answer, Some((200, "stored".into())));
    let single = worker(Arc::clone(&inbox), log.clone(), 0);
    assert_eq!(client.block_on(single.drain()).unwrap(), 1);
    assert_eq!(log.counts().get("card.charged:CRASH-AFTER-200"), Some(&1));

    // A worker killed mid-handle: another handles the row once its lease runs out.
    let address = serve_axum(Arc::clone(&inbox));
    assert_eq!(
        client.block_on(post(address, "WORKER-KILLED")),
        Some((200, "stored".into()))
    );
    let (mut hanging, mut lines) = spawn_child("hanging-worker", url);
    assert!(lines.any(|line| line.is_ok_and(|line| line.ends_with("handling"))));
    hanging.kill().unwrap();
    hanging.wait().unwrap();
    let killed_at = Instant::now();
    assert_eq!(
        client.block_on(single.drain()).unwrap(),
        0,
        "its lease still runs"
    );
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(client.block_on(single.drain()).unwrap(), 1);
    assert!(killed_at.elapsed() >= Duration::from_secs(2));
    assert_eq!(log.counts().get("card.charged:WORKER-KILLED"), Some(&1));

    // A handler slower than its lease keeps its row: the lease is renewed while it runs, and
    // another worker asking meanwhile never gets the row.
    assert_eq!(
        client.block_on(post(address, "SLOWER-THAN-ITS-LEASE")),
        Some((200, "stored".into()))
    );
    let (slow_log, started) = (log.clone(), Arc::new(tokio::sync::Notify::new()));
    let handler_started = Arc::clone(&started);
    let slow = Worker::new(
        Arc::clone(&inbox),
        Platnova::new(secret()),
        move |handled| {
            let log = slow_log.clone();
            handler_started.notify_one();
            async move {
                tokio::time::sleep(Duration::from_millis(1500)).await;
                log.record(handled.notification.idempotency_key().unwrap().as_str());
                Ok::<(), String>(())
            }
        },
    )
    .with_lease(Duration::from_millis(400));
    client.block_on(async {
        let slow = tokio::spawn(async move { slow.run_once().await });
        started.notified().await;
        let mut asked = 0;
        while !slow.is_finished() {
            assert!(!single.run_once().await.unwrap(), "taken while still held");
            asked += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(asked >= 20, "asked {asked} times");
        assert!(slow.await.unwrap().unwrap());
    });
    assert_eq!(
        log.counts().get("card.charged:SLOWER-THAN-ITS-LEASE"),
        Some(&1)
    );

    // A duplicate delivery is acknowledged without a second row.
    assert_eq!(
        client.block_on(post(address, "WORKER-KILLED")),
        Some((200, "already received".into()))
    );

    // 2,000 deliveries; 8 workers in 2 processes, failing three times in ten: each handled
    // to success exactly once.
    client.block_on(async {
        let sends: Vec<_> = (0..2000)
            .map(|n| tokio::spawn(async move { post(address, &format!("MANY-{n}")).await }))
            .collect();
        for send in sends {
            assert_eq!(send.await.unwrap(), Some((200, "stored".into())));
        }
    });
    let (mut other, mut lines) = spawn_child(&format!("workers:{}", log.0.display()), url);
    client.block_on(run_workers(Arc::clone(&inbox), log.clone(), 4));
    assert!(lines.any(|line| line.is_ok_and(|line| line.ends_with("done"))));
    other.wait().unwrap();
    let counts = log.counts();
    let many: Vec<_> = counts
        .iter()
        .filter(|(key, _)| key.contains("MANY-"))
        .collect();
    assert_eq!(many.len(), 2000, "none lost");
    assert!(many.iter().all(|(_, count)| **count == 1), "exactly once");

    // A poison event: dead-lettered after its attempts, re-queued by API, then handled.
    assert_eq!(
        client.block_on(post(address, "POISON")),
        Some((200, "stored".into()))
    );
    let poisoned = Worker::new(Arc::clone(&inbox), Platnova::new(secret()), |_| async {
        Err::<(), _>("the ledger refuses this one")
    })
    .with_retry(Retry::new(
        Duration::from_millis(1),
        Duration::from_millis(1),
        3,
    ));
    client.block_on(async {
        for _ in 0..3 {
            assert!(poisoned.run_once().await.unwrap());
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(!poisoned.run_once().await.unwrap(), "dead: no longer due");
        let dead = inbox.dead_letters(10).await.unwrap();
        assert_eq!(dead.len(), 1);
        assert_eq!(
            (dead[0].attempts, dead[0].last_error.as_str()),
            (3, "the ledger refuses this one")
        );
        assert!(inbox.requeue(dead[0].id).await.unwrap());
        assert_eq!(single.drain().await.unwrap(), 1);
        assert!(inbox.dead_letters(10).await.unwrap().is_empty());
    });
    assert_eq!(log.counts().get("card.charged:POISON"), Some(&1));

    // Handled rows are kept for the de-duplication window, then purged with their keys, a few
    // hundred per transaction (here 2,004 rows: several); a dead letter and a row still due
    // are kept.
    assert_eq!(
        client.block_on(post(address, "DEAD-KEPT")),
        Some((200, "stored".into()))
    );
    client.block_on(async {
        for _ in 0..3 {
            assert!(poisoned.run_once().await.unwrap());
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    assert_eq!(
        client.block_on(post(address, "STILL-DUE")),
        Some((200, "stored".into()))
    );
    client.block_on(async {
        let within_the_hour = inbox.purge(Duration::from_secs(3600)).await.unwrap();
        assert_eq!(within_the_hour, 0, "every row was handled within the hour");
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert_eq!(inbox.purge(Duration::ZERO).await.unwrap(), 2004);
        assert_eq!(inbox.dead_letters(10).await.unwrap().len(), 1);
    });
    assert_eq!(
        client.block_on(post(address, "WORKER-KILLED")),
        Some((200, "stored".into())),
        "its key left with its row"
    );
    assert_eq!(client.block_on(single.drain()).unwrap(), 2);
    assert_eq!(log.counts().get("card.charged:STILL-DUE"), Some(&1));
}

#[test]
fn the_inbox_on_sqlite() {
    let dir = TempDir::new("inbox-sqlite");
    let url = format!("sqlite:{}", dir.path().join("inbox.db").display());
    scenarios(&url, dir.path());
}

#[test]
fn the_inbox_on_postgres() {
    let Some(mut server) = PostgresServer::start() else {
        return;
    };
    let dir = TempDir::new("inbox-postgres");
    scenarios(&server.url(), dir.path());

    // A purge and a listing of dead letters read their rows through an index, never the whole
    // table (SQLite's unit tests read its plans): counted in a database of their own, on one
    // connection that may not scan a table unless nothing else can find the rows.
    let client = runtime();
    client.block_on(async {
        let admin = PostgresInbox::connect(&server.url()).await.unwrap();
        sqlx::raw_sql("CREATE DATABASE reads")
            .execute(admin.pool())
            .await
            .unwrap();
        let options: PgConnectOptions =
            server.url().replace("/postgres", "/reads").parse().unwrap();
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options.options([("enable_seqscan", "off")]))
            .await
            .unwrap();
        let inbox = PostgresInbox::from_pool(pool.clone());
        inbox.migrate().await.unwrap();
        // The table's scans, and the index's.
        let scans = |index: &'static str| {
            let pool = pool.clone();
            async move {
                sqlx::query("SELECT pg_stat_force_next_flush()")
                    .execute(&pool)
                    .await
                    .unwrap();
                sqlx::query_as::<_, (i64, i64)>(
                    "SELECT t.seq_scan, i.idx_scan FROM pg_stat_user_tables t \
                     JOIN pg_stat_user_indexes i USING (relid) \
                     WHERE t.relname = 'hookproof_inbox' AND i.indexrelname = $1",
                )
                .bind(index)
                .fetch_one(&pool)
                .await
                .unwrap()
            }
        };
        let before = scans("hookproof_inbox_handled").await;
        inbox.purge(Duration::from_secs(3600)).await.unwrap();
        let after = scans("hookproof_inbox_handled").await;
        assert_eq!(after.0, before.0, "the purge scanned the table");
        assert!(after.1 > before.1, "the purge did not use its index");
        let before = scans("hookproof_inbox_dead").await;
        inbox.dead_letters(10).await.unwrap();
        let after = scans("hookproof_inbox_dead").await;
        assert_eq!(after.0, before.0, "listing dead letters scanned the table");
        assert!(
            after.1 > before.1,
            "listing dead letters did not use its index"
        );
    });

    // PostgreSQL restarted under a running receiver and workers: both recover, no restart.
    let inbox = client.block_on(open(&server.url()));
    let address = serve_axum(Arc::clone(&inbox));
    let log = HandledLog(dir.path().join("restart.log"));
    let worker = worker(Arc::clone(&inbox), log.clone(), 0);
    assert_eq!(
        client.block_on(post(address, "BEFORE")),
        Some((200, "stored".into()))
    );
    server.kill();
    let down = client.block_on(post(address, "DURING"));
    assert_eq!(down.map(|(status, _)| status), Some(503));
    assert!(
        client.block_on(worker.run_once()).is_err(),
        "the worker sees the outage"
    );
    server.restart();
    let back = Instant::now();
    client.block_on(async {
        loop {
            if post(address, "DURING").await == Some((200, "stored".into())) {
                break;
            }
            assert!(
                back.elapsed() < Duration::from_secs(15),
                "the receiver did not recover"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        worker.drain().await.unwrap();
    });
    let counts = log.counts();
    assert_eq!(
        (
            counts.get("card.charged:BEFORE"),
            counts.get("card.charged:DURING")
        ),
        (Some(&1), Some(&1))
    );
    println!(
        "postgres: receiver and worker recovered {:?} after the restart",
        back.elapsed()
    );

    // PostgreSQL gone while a handler runs, back before the row's lease runs out: the worker
    // records the success once it is back, and the row is not handled a second time.
    assert_eq!(
        client.block_on(post(address, "DOWN-WHILE-HANDLING")),
        Some((200, "stored".into()))
    );
    let (started, handler_started) = std::sync::mpsc::channel::<()>();
    let (finish, handler_may_finish) = tokio::sync::watch::channel(false);
    let patient_log = log.clone();
    let patient = Worker::new(
        Arc::clone(&inbox),
        Platnova::new(secret()),
        move |handled| {
            let (started, mut may_finish, log) = (
                started.clone(),
                handler_may_finish.clone(),
                patient_log.clone(),
            );
            async move {
                started.send(()).unwrap();
                may_finish.wait_for(|may| *may).await.unwrap();
                log.record(handled.notification.idempotency_key().unwrap().as_str());
                Ok::<(), String>(())
            }
        },
    )
    .with_lease(Duration::from_secs(20));
    let handling = client.spawn(async move { patient.run_once().await });
    handler_started.recv().unwrap();
    server.kill();
    finish.send(true).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    server.restart();
    assert_eq!(
        client
            .block_on(handling)
            .unwrap()
            .map_err(|error| error.to_string()),
        Ok(true),
        "recorded once the store was back"
    );
    let state: String = client.block_on(async {
        let postgres = PostgresInbox::connect(&server.url()).await.unwrap();
        sqlx::query_scalar(
            "SELECT state FROM hookproof_inbox WHERE dedupe_key LIKE '%DOWN-WHILE-HANDLING%'",
        )
        .fetch_one(postgres.pool())
        .await
        .unwrap()
    });
    assert_eq!(state, "handled");
    assert_eq!(
        log.counts().get("card.charged:DOWN-WHILE-HANDLING"),
        Some(&1)
    );

    // The handler's own writes commit with "handled", or roll back with a failure (an error or
    // a panic).
    let postgres = client
        .block_on(PostgresInbox::connect(&server.url()))
        .unwrap();
    client.block_on(async {
        sqlx::raw_sql("CREATE TABLE ledger (reference text PRIMARY KEY)")
            .execute(postgres.pool())
            .await
            .unwrap();
    });
    assert_eq!(
        client.block_on(post(address, "IN-TRANSACTION")),
        Some((200, "stored".into()))
    );
    let retry = Retry::new(Duration::from_millis(1), Duration::from_millis(1), 5);
    let provider = Platnova::new(secret());
    let ledger_rows = || {
        client.block_on(async {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM ledger")
                .fetch_one(postgres.pool())
                .await
                .unwrap()
        })
    };
    for ending in ["error", "panic", "success"] {
        let ran = client.block_on(postgres.run_once_in_transaction(
            &provider,
            retry,
            move |handled, transaction| {
                Box::pin(async move {
                    let key = handled.notification.idempotency_key().unwrap();
                    sqlx::query("INSERT INTO ledger VALUES ($1)")
                        .bind(key.as_str())
                        .execute(&mut **transaction)
                        .await
                        .map_err(|error| error.to_string())?;
                    match ending {
                        "error" => Err("the ledger refused it after writing".to_owned()),
                        "panic" => panic!("the ledger client met a None"),
                        _ => Ok(()),
                    }
                })
            },
        ));
        assert!(ran.unwrap(), "{ending}");
        let expected = if ending == "success" { 1 } else { 0 };
        assert_eq!(ledger_rows(), expected, "{ending}");
        std::thread::sleep(Duration::from_millis(5));
    }
    let nothing_due =
        client.block_on(postgres.run_once_in_transaction(&provider, retry, |_, _| {
            Box::pin(async { Err::<(), _>("handled twice") })
        }));
    assert!(!nothing_due.unwrap(), "handled exactly once");
    assert_eq!(ledger_rows(), 1);

    // A row whose handling kills the process, each time: each death spends an attempt (its
    // transaction rolled back), and once they are spent the row is dead-lettered unhandled.
    let dead_before = client.block_on(postgres.dead_letters(10)).unwrap().len();
    assert_eq!(
        client.block_on(post(address, "KILLS-ITS-WORKER")),
        Some((200, "stored".into()))
    );
    for _ in 0..crash_retry().max_attempts {
        let (mut dying, mut lines) = spawn_child("dying-in-transaction", &server.url());
        assert!(lines.any(|line| line.is_ok_and(|line| line.ends_with("handling"))));
        dying.kill().unwrap();
        dying.wait().unwrap();
    }
    std::thread::sleep(Duration::from_millis(100));
    let handled_again = client.block_on(postgres.run_once_in_transaction(
        &provider,
        crash_retry(),
        |_, _| Box::pin(async { Err::<(), _>("handled again") }),
    ));
    assert!(handled_again.unwrap(), "the row was due");
    let dead = client.block_on(postgres.dead_letters(10)).unwrap();
    assert_eq!(dead.len(), dead_before + 1);
    let newest = dead.last().unwrap();
    assert_eq!(
        (newest.attempts, newest.last_error.as_str()),
        (
            4,
            "no attempt left: its last attempts ended without an outcome (the worker stopped, \
             or the store could not record it)"
        )
    );
}

#[actix_web::test]
async fn the_actix_middleware_stores_into_the_inbox() {
    let dir = TempDir::new("inbox-actix");
    {
        let inbox = SqliteInbox::open(dir.path().join("inbox.db"))
            .await
            .unwrap();
        inbox.migrate().await.unwrap();
        let receiver = Receiver::new(Platnova::new(secret())).with_inbox(inbox.clone());
        let app = actix_web::test::init_service(
            actix_web::App::new().service(hookproof::actix::inbox_resource("/platnova", receiver)),
        )
        .await;
        let send = || {
            let request = signed_request(&Platnova::new(secret()), body("ACTIX-1")).unwrap();
            request
                .headers
                .iter()
                .fold(
                    actix_web::test::TestRequest::post().uri("/platnova"),
                    |r, (n, v)| r.insert_header((n.as_str(), v.as_str())),
                )
                .set_payload(request.body)
                .to_request()
        };
        for expected in ["stored", "already received"] {
            let response = actix_web::test::call_service(&app, send()).await;
            assert_eq!(response.status().as_u16(), 200);
            assert_eq!(
                actix_web::test::read_body(response).await,
                expected.as_bytes()
            );
        }
    }
}

/// What the scheme established is stored with the row and given back to the handler: a Cedar
/// delivery handled from the inbox still says which fields its hash covered.
#[tokio::test]
async fn a_stored_cedar_delivery_keeps_its_signed_fields() {
    use hookproof::cedar::{Cedar, Event};
    use hookproof::testing::cedar;

    let dir = TempDir::new("inbox-cedar");
    let inbox = SqliteInbox::open(dir.path().join("inbox.db"))
        .await
        .unwrap();
    inbox.migrate().await.unwrap();
    let provider = || Cedar::new(Secret::new("cedar inbox").unwrap());
    let receiver = Receiver::new(provider()).with_inbox(inbox.clone());
    let body = cedar::sample("BusinessKycStatusChanged").unwrap().body;
    let request = cedar::signed_request(&provider(), body).unwrap();
    let reception = receiver
        .accept(&request.headers, &request.body)
        .await
        .unwrap();
    assert!(matches!(
        reception,
        hookproof::delivery::Reception::Stored(_)
    ));

    let seen = Arc::new(std::sync::Mutex::new(None));
    let recorded = Arc::clone(&seen);
    let worker = inbox.worker(provider(), move |handled| {
        let notification = handled.notification;
        let fields: Vec<String> = notification
            .signed_fields
            .iter()
            .map(str::to_owned)
            .collect();
        let typed = matches!(notification.event, Event::BusinessKycStatusChanged(_));
        *recorded.lock().unwrap() = Some((fields, typed, notification.idempotency_key()));
        std::future::ready(Ok::<(), String>(()))
    });
    assert!(worker.run_once().await.unwrap());
    let (fields, typed, key) = seen.lock().unwrap().take().unwrap();
    assert_eq!(fields, ["id", "status"]);
    assert!(typed);
    assert_eq!(
        key.unwrap().as_str(),
        "BusinessKycStatusChanged:id=4:1234,status=5:VALID"
    );
}

/// The WAL's file next to `database`.
fn wal_file(database: &Path) -> PathBuf {
    let mut wal = database.as_os_str().to_owned();
    wal.push("-wal");
    wal.into()
}

/// The WAL's checkpoint sequence number (bytes 12..16 of its header), which SQLite bumps each
/// time the WAL starts over.
fn wal_generation(database: &Path) -> Option<u32> {
    let header = std::fs::read(wal_file(database)).ok()?;
    Some(u32::from_be_bytes(header.get(12..16)?.try_into().ok()?))
}

/// The WAL file's length, 0 when there is none.
fn wal_length(database: &Path) -> u64 {
    std::fs::metadata(wal_file(database)).map_or(0, |file| file.len())
}

/// Senders filing deliveries padded to `padding` bytes into an SQLite inbox at `database`, as
/// fast as each is stored, until stopped.
struct Load {
    stop: Arc<AtomicBool>,
    filed: Arc<AtomicU64>,
    senders: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    async fn start(database: &Path, senders: usize, padding: usize) -> Self {
        let inbox = SqliteInbox::open(database).await.unwrap();
        inbox.migrate().await.unwrap();
        let receiver = Arc::new(Receiver::new(Platnova::new(secret())).with_inbox(inbox));
        let padding = " ".repeat(padding);
        let stop = Arc::new(AtomicBool::new(false));
        let filed = Arc::new(AtomicU64::new(0));
        let senders = (0..senders)
            .map(|sender| {
                let (receiver, stop, filed, padding) = (
                    Arc::clone(&receiver),
                    Arc::clone(&stop),
                    Arc::clone(&filed),
                    padding.clone(),
                );
                tokio::spawn(async move {
                    let provider = Platnova::new(secret());
                    for n in 0.. {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let body = body(&format!("WAL-{sender}-{n}")) + &padding;
                        let request = signed_request(&provider, body).unwrap();
                        let reception = receiver.accept(&request.headers, &request.body).await;
                        assert!(matches!(
                            reception,
                            Ok(hookproof::delivery::Reception::Stored(_))
                        ));
                        filed.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        Self {
            stop,
            filed,
            senders,
        }
    }

    /// Stops the senders; how many deliveries were stored.
    async fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        for sender in self.senders {
            sender.await.unwrap();
        }
        self.filed.load(Ordering::Relaxed)
    }
}

/// Under a load that never pauses, the WAL still starts over (and so stops growing): a
/// checkpoint beside a busy writer never copies all of it, so the writer finishes the copy of a
/// long WAL between two rounds. Before, the WAL grew for as long as the load lasted (1.1 GB in
/// 15 s on the 2-core machine).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wal_starts_over_under_a_load_that_never_pauses() {
    let dir = TempDir::new("inbox-wal");
    let database = dir.path().join("inbox.db");
    // About three 4 KiB pages of WAL a row: the WAL outgrows what the checkpointer lets be
    // within a second on any machine this runs on.
    let load = Load::start(&database, 16, 8 * 1024).await;
    let started = Instant::now();
    let first = loop {
        if let Some(generation) = wal_generation(&database) {
            break generation;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let mut started_over = false;
    while !started_over && started.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        started_over = wal_generation(&database).is_some_and(|now| now != first);
    }
    let filed = load.finish().await;
    assert!(
        started_over,
        "the WAL never started over in {:?} ({filed} rows filed)",
        started.elapsed()
    );
    println!(
        "sqlite: the WAL started over {:?} into a load that never paused ({filed} rows filed)",
        started.elapsed()
    );
}

/// While a load lasts, the WAL's file is written over from its start each time the WAL starts
/// over, never cut back (and grown again); once the load has stopped it is given back. Before,
/// the file was cut back to 64 MiB at every start, which cost the writer a sixth of its
/// throughput (blocks allocated again, an inode written at most commits, about 80 MB a second
/// discarded on a file system mounted with `discard`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wal_file_is_reused_under_load_and_given_back_after() {
    const KEPT: u64 = 64 << 20;
    let dir = TempDir::new("inbox-wal-file");
    let database = dir.path().join("inbox.db");
    // About 225 pages of WAL a row: a second of this load writes well over 64 MiB of WAL, even
    // on a busy machine.
    let load = Load::start(&database, 16, 900 * 1024).await;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(60);
    // Past 64 MiB, then through two starts over, sampling the file's length all along.
    let (mut longest, mut shrunk, mut generations) = (0, None, Vec::new());
    while Instant::now() < deadline && generations.len() < 3 {
        let length = wal_length(&database);
        if longest > KEPT && length < longest {
            shrunk.get_or_insert((longest, length));
        }
        longest = longest.max(length);
        if let Some(generation) = wal_generation(&database).filter(|_| longest > KEPT)
            && generations.last() != Some(&generation)
        {
            generations.push(generation);
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let under_load = started.elapsed();
    let filed = load.finish().await;
    assert!(
        generations.len() == 3,
        "the WAL did not start over twice past 64 MiB in {under_load:?} \
         (longest {longest} bytes, {filed} rows filed)"
    );
    assert_eq!(
        shrunk, None,
        "the WAL file was cut back (from, to) under load"
    );
    let stopped = Instant::now();
    while wal_length(&database) > KEPT && stopped.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let left = wal_length(&database);
    assert!(
        left <= KEPT,
        "the WAL file still holds {left} bytes {:?} after the load stopped",
        stopped.elapsed()
    );
    println!(
        "sqlite: the WAL file grew to {longest} bytes and stayed over {under_load:?} \
         ({filed} rows filed); {left} bytes {:?} after the load stopped",
        stopped.elapsed()
    );
}
