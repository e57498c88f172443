//! The `hookproof` command, run as built, on captured requests signed outside the crate
//! (`tests/vectors/captured.py`, Python's hashlib/hmac): each verdict and exit status, each
//! explanation, signing (checked against Python's signatures and by verifying what it prints),
//! the sample list, an inbox's dead letters listed and re-queued (SQLite, and PostgreSQL when
//! installed: the test starts it), usage errors, and no secret in any output.
//!
//! A target of the crate itself (not of the `tests/` workspace member), so that Cargo builds the
//! binary for it.

#[cfg(feature = "postgres")]
#[path = "support/servers.rs"]
mod servers;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PLATNOVA: &str = "pn_capture_secret";
const INPLAYER: &str = "ip_capture_secret";
const CEDAR: &str = "cedar_capture_secret";
const SALT: &str = "vox_capture_salt";
const API_KEY: &str = "vox-capture-api-key";
const PLATFONE: &str = "pf_capture_secret";
const SECRETS: [&str; 6] = [PLATNOVA, INPLAYER, CEDAR, SALT, API_KEY, PLATFONE];

fn captured(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/captured")
        .join(name)
}

/// The secret options for `provider`, reading the environment variables `hookproof` runs with.
fn secret_options(provider: &str) -> Vec<&'static str> {
    match provider {
        "platnova" => vec!["--secret-env", "PN"],
        "inplayer" => vec!["--secret-env", "IP"],
        "cedar" => vec!["--secret-env", "CE"],
        "voximplant" => vec!["--salt-env", "SALT", "--api-key-env", "KEY"],
        "platfone" => vec![
            "--secret-env",
            "PF",
            "--scheme",
            "hmac-sha256",
            "--header",
            "x-platfone-signature",
            "--prefix",
            "sha256=",
        ],
        other => panic!("no such provider {other}"),
    }
}

/// Runs `hookproof args…` with the secrets in its environment and `stdin` as input; its output
/// holds no secret.
fn hookproof(args: &[&str], stdin: &[u8]) -> (i32, String) {
    hookproof_with(args, stdin, &[])
}

/// [`hookproof`] with `env` added to its environment.
fn hookproof_with(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> (i32, String) {
    let (status, output) = run(args, stdin, env);
    for secret in SECRETS {
        assert!(!output.contains(secret), "a secret was printed:\n{output}");
    }
    (status, output)
}

/// Runs `hookproof args…` with `env` added to its environment: its exit status, and its
/// standard output then its standard error.
fn run(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hookproof"))
        .args(args)
        .envs(env.iter().copied())
        .envs([
            ("PN", PLATNOVA),
            ("IP", INPLAYER),
            ("CE", CEDAR),
            ("SALT", SALT),
            ("KEY", API_KEY),
            ("PF", PLATFONE),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    );
    (status.code().unwrap(), output)
}

/// `hookproof verify` on the captured request `name`, with `extra` options.
fn verify(name: &str, extra: &[&str]) -> (i32, String) {
    let provider = name.split('_').next().unwrap();
    let path = captured(&format!("{name}.http"));
    let mut args = vec!["verify", "--provider", provider];
    args.extend(secret_options(provider));
    args.extend(extra);
    args.push(path.to_str().unwrap());
    hookproof(&args, b"")
}

#[track_caller]
fn assert_lines(output: &str, expected: &[&str]) {
    for line in expected {
        assert!(output.contains(line), "missing {line:?} in:\n{output}");
    }
}

#[test]
fn correctly_signed_captures_are_accepted_with_their_event_and_key() {
    let cases = [
        ("platnova_ok", "card.charged"),
        ("inplayer_ok", "payment.card.success"),
        ("cedar_ok", "BusinessRequestStatusChanged"),
        ("voximplant_ok", "min_balance, min_balance"),
        ("platfone_ok", "activation.updated"),
    ];
    for (name, event_type) in cases {
        let (status, output) = verify(name, &[]);
        assert_eq!(status, 0, "{name}:\n{output}");
        assert_lines(
            &output,
            &[
                "accepted: ",
                &format!("event type       {event_type}"),
                "verified by key  ",
                "idempotency key  ",
            ],
        );
    }
    let (_, output) = verify("cedar_ok", &[]);
    assert_lines(
        &output,
        &["idempotency key  BusinessRequestStatusChanged:id=4:1234,status=9:COMPLETED"],
    );
}

#[test]
fn a_capture_read_from_standard_input_is_verified_too() {
    let request = std::fs::read(captured("platnova_ok.http")).unwrap();
    let (status, output) = hookproof(
        &["verify", "--provider", "platnova", "--secret-env", "PN"],
        &request,
    );
    assert_eq!(status, 0, "{output}");
}

#[test]
fn a_wrong_shared_secret_is_explained_by_lengths_only() {
    let (status, output) = verify("platnova_wrong_secret", &[]);
    assert_eq!(status, 1);
    assert_lines(
        &output,
        &[
            "refused: SignatureMismatch (401 Unauthorized)",
            "the x-webhook-secret header holds 8 bytes; the secret PN is 17 bytes",
        ],
    );
    assert!(!output.contains("pn_guess"), "the value sent is not shown");
}

#[test]
fn hmac_mismatches_are_explained() {
    let cases: [(&str, &[&str]); 4] = [
        (
            "inplayer_line_break_added",
            &[
                "the signature covers the body's 546 bytes exactly as received",
                "without its final \\n the body verifies: the capture (or an editor) added it",
            ],
        ),
        (
            "inplayer_base64",
            &[
                "refused: MalformedSignature (400 Bad Request)",
                "the signature is written in base64 but the receiver expects hex",
            ],
        ),
        (
            "inplayer_no_prefix",
            &[
                "the x-inplayer-signature value does not start with `sha256=`, which the receiver expects",
            ],
        ),
        (
            "inplayer_reencoded",
            &["the form's pairs are in alphabetical order, as a re-encoder writes them"],
        ),
    ];
    for (name, expected) in cases {
        let (status, output) = verify(name, &[]);
        assert_eq!(status, 1, "{name}:\n{output}");
        assert_lines(&output, expected);
    }
    let (status, output) = verify("platfone_pretty_printed", &[]);
    assert_eq!(status, 1);
    assert_lines(
        &output,
        &[
            "with the whitespace between its JSON tokens removed the body verifies: it was pretty-printed after it was signed",
        ],
    );
}

#[test]
fn a_secret_with_whitespace_around_it_is_found() {
    let dir = std::env::temp_dir().join(format!("hookproof-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("inplayer-secret");
    std::fs::write(&file, format!(" {INPLAYER}\n")).unwrap();
    let request = captured("inplayer_ok.http");
    let (status, output) = hookproof(
        &[
            "verify",
            "--provider",
            "inplayer",
            "--secret-file",
            file.to_str().unwrap(),
            request.to_str().unwrap(),
        ],
        b"",
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(status, 1);
    assert_lines(
        &output,
        &[
            "a secret has whitespace around it (from its file or variable); without it, the request verifies",
        ],
    );
}

#[test]
fn cedar_mismatches_show_each_fields_text_and_the_concatenation() {
    let (status, output) = verify("cedar_number_as_written", &[]);
    assert_eq!(status, 1);
    assert_lines(
        &output,
        &[
            "the fields header lists id, amount",
            "`id` is hashed as `1234`",
            "`amount` is the number 1.50, hashed as JavaScript prints it: 1.5",
            "the hash is hex(sha256(\"12341.5<secret>\"))",
        ],
    );
    // Hashed with null as nothing: accepted by default, refused when only `null` is tried.
    assert_eq!(verify("cedar_null", &[]).0, 0);
    let (status, output) = verify("cedar_null", &["--null", "word"]);
    assert_eq!(status, 1);
    assert_lines(
        &output,
        &[
            "`status` is null, hashed as `null` or as nothing",
            "the hash is hex(sha256(\"77null<secret>\"))",
            "or, with null written as nothing, hex(sha256(\"77<secret>\"))",
        ],
    );
}

#[test]
fn voximplant_mismatches_name_the_callback_and_its_inputs() {
    let (status, output) = verify("voximplant_second_bad", &[]);
    assert_eq!(status, 1);
    assert_lines(
        &output,
        &[
            "callback 1 (min_balance): its hash matches",
            "callback 2 (min_balance): its hash is not md5(<salt> ‖ 9001 ‖ <api key> ‖ 502)",
        ],
    );
}

#[test]
fn signing_a_body_gives_the_signature_python_computed() {
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(captured("expected.json")).unwrap()).unwrap();
    for (provider, body, header) in [
        ("inplayer", "inplayer.form", "x-inplayer-signature"),
        ("cedar", "cedar.json", "x-webhook-security-hash"),
        ("platfone", "platfone.json", "x-platfone-signature"),
    ] {
        let path = captured(&format!("bodies/{body}"));
        let mut args = vec!["sign", "--provider", provider];
        args.extend(secret_options(provider));
        args.extend(["--body", path.to_str().unwrap()]);
        let (status, output) = hookproof(&args, b"");
        assert_eq!(status, 0, "{output}");
        let line = format!("{header}: {}\r\n", expected[provider].as_str().unwrap());
        assert!(
            output.contains(&line),
            "{provider}: {line:?} not in\n{output}"
        );
    }
}

#[test]
fn every_sample_signed_by_the_command_verifies_with_it() {
    let platfone_shared = [
        "--secret-env",
        "PF",
        "--scheme",
        "shared-secret",
        "--header",
        "x-platfone-secret",
    ];
    let providers: [(&str, Vec<&str>); 6] = [
        ("platnova", secret_options("platnova")),
        ("inplayer", secret_options("inplayer")),
        ("cedar", secret_options("cedar")),
        ("voximplant", secret_options("voximplant")),
        ("platfone", secret_options("platfone")),
        ("platfone", platfone_shared.to_vec()),
    ];
    for (provider, options) in providers {
        let (_, list) = hookproof(&["samples", "--provider", provider], b"");
        for event_type in list
            .lines()
            .map(|line| line.split_whitespace().nth(1).unwrap())
        {
            let mut sign = vec!["sign", "--provider", provider];
            sign.extend(&options);
            sign.extend(["--sample", event_type]);
            // A shared-secret request carries the secret itself: that output alone holds it.
            let shared = provider == "platnova" || options.contains(&"shared-secret");
            let (status, request) = if shared {
                run(&sign, b"", &[])
            } else {
                hookproof(&sign, b"")
            };
            assert_eq!(status, 0, "{provider} {event_type}: {request}");
            let (request, warning) =
                request.split_at(request.find("note: ").unwrap_or(request.len()));
            assert_eq!(
                shared,
                warning.contains("carries the secret itself"),
                "{warning}"
            );
            let mut verify = vec!["verify", "--provider", provider];
            verify.extend(&options);
            let (status, output) = hookproof(&verify, request.as_bytes());
            assert_eq!(status, 0, "{provider} {event_type}:\n{output}");
        }
    }
}

#[test]
fn curl_format_sends_the_same_request() {
    let mut args = vec!["sign", "--provider", "platfone"];
    args.extend(secret_options("platfone"));
    args.extend([
        "--sample",
        "activation.updated",
        "--format",
        "curl",
        "--url",
        "https://receiver.example/hooks",
    ]);
    let (status, output) = hookproof(&args, b"");
    assert_eq!(status, 0);
    assert!(
        output.starts_with("curl -s -X POST 'https://receiver.example/hooks'"),
        "{output}"
    );
    assert_lines(
        &output,
        &["-H 'x-platfone-signature: sha256=", "--data-binary '{"],
    );
}

#[test]
fn samples_are_listed_per_provider_with_their_origin() {
    let (status, all) = hookproof(&["samples"], b"");
    assert_eq!(status, 0);
    use hookproof::testing::{cedar, inplayer, platfone, platnova, voximplant};
    let every = [
        platnova::SAMPLES,
        inplayer::SAMPLES,
        cedar::SAMPLES,
        voximplant::SAMPLES,
        platfone::SAMPLES,
    ];
    assert_eq!(
        all.lines().count(),
        every.iter().map(|samples| samples.len()).sum::<usize>()
    );
    let (_, cedar) = hookproof(&["samples", "--provider", "cedar"], b"");
    assert_eq!(cedar.lines().count(), 4);
    assert!(
        cedar
            .lines()
            .all(|line| line.starts_with("cedar ") && line.ends_with("assembled"))
    );
    let (_, platnova) = hookproof(&["samples", "--provider", "platnova"], b"");
    assert_lines(&platnova, &["card.charged", "documented"]);
}

#[test]
fn usage_and_input_errors_exit_with_2() {
    let request = captured("platnova_ok.http");
    let request = request.to_str().unwrap();
    let cases: [(&[&str], &str); 7] = [
        (
            &["verify", "--provider", "platnova", request],
            "needs its secret",
        ),
        (
            &["verify", "--provider", "platnova", "--secret", "s", request],
            "unexpected argument",
        ),
        (
            &[
                "verify",
                "--provider",
                "platnova",
                "--secret-env",
                "NOT_SET_ANYWHERE",
                request,
            ],
            "is not set",
        ),
        (
            &[
                "verify",
                "--provider",
                "voximplant",
                "--secret-env",
                "PN",
                request,
            ],
            "salt",
        ),
        (
            &[
                "verify",
                "--provider",
                "platfone",
                "--secret-env",
                "PF",
                request,
            ],
            "--scheme",
        ),
        (
            &[
                "verify",
                "--provider",
                "platnova",
                "--secret-env",
                "PN",
                "/no/such/capture",
            ],
            "/no/such/capture",
        ),
        (
            &[
                "sign",
                "--provider",
                "cedar",
                "--secret-env",
                "CE",
                "--sample",
                "nope",
            ],
            "has no sample `nope`",
        ),
    ];
    for (args, message) in cases {
        let (status, output) = hookproof(args, b"");
        assert_eq!(status, 2, "{args:?}:\n{output}");
        assert_lines(&output, &[message]);
    }
    let (status, output) = hookproof(
        &["verify", "--provider", "platnova", "--secret-env", "PN"],
        b"this is not an HTTP request",
    );
    assert_eq!(status, 2, "{output}");
}

/// `hookproof inbox` on real inboxes: SQLite always, PostgreSQL when installed (the test starts
/// it).
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod inbox {
    use std::sync::Arc;
    use std::time::{Duration, SystemTime};

    use hookproof::delivery::inbox::{Inbox, Retry, Worker};
    use hookproof::platnova::Platnova;
    use hookproof::testing::platnova::{sample, signed_request};
    use hookproof::{Receiver, Secret};

    use super::{PLATNOVA, hookproof_with};

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    /// Receives one Platnova delivery into `inbox` and dead-letters it with an error of two
    /// lines; its id.
    async fn one_dead_letter(inbox: Arc<dyn Inbox>) -> i64 {
        let platnova = || Platnova::new(Secret::new(PLATNOVA).unwrap());
        let receiver = Receiver::new(platnova()).with_inbox(Arc::clone(&inbox));
        let request = signed_request(&platnova(), sample("card.charged").unwrap().body).unwrap();
        receiver
            .accept(&request.headers, &request.body)
            .await
            .unwrap();
        let worker = Worker::new(Arc::clone(&inbox), platnova(), |_| async {
            Err::<(), _>("the ledger refused it:\nno account")
        })
        .with_retry(Retry::new(Duration::ZERO, Duration::ZERO, 1));
        assert!(worker.run_once().await.unwrap());
        let dead = inbox.dead_letters(10).await.unwrap();
        assert_eq!(dead.len(), 1);
        dead[0].id
    }

    /// The dead letter `id`, listed with its error on one line, re-queued, then gone; and
    /// re-queued again, which it no longer is. `store` names the inbox, `env` is the command's
    /// environment.
    fn listed_then_requeued(store: &[&str], env: &[(&str, &str)], id: i64) {
        let inbox = |action: &[&str]| {
            let mut args = vec!["inbox"];
            args.extend(store);
            args.extend(action);
            hookproof_with(&args, b"", env)
        };
        let (status, output) = inbox(&["dead-letters"]);
        assert_eq!(status, 0, "{output}");
        let lines: Vec<&str> = output.lines().collect();
        assert_eq!(lines.len(), 2, "a header and one dead letter:\n{output}");
        let columns: Vec<&str> = lines[1].split_whitespace().collect();
        assert_eq!(columns[..4], [&*id.to_string(), "platnova", "-", "1"]);
        let received = humantime::parse_rfc3339(columns[4]).unwrap();
        let age = SystemTime::now().duration_since(received).unwrap();
        assert!(age < Duration::from_secs(60), "received {age:?} ago");
        assert!(
            lines[1].ends_with("the ledger refused it:\\nno account"),
            "{output}"
        );

        let id = id.to_string();
        let (status, output) = inbox(&["requeue", &id]);
        assert_eq!(
            (status, output.trim()),
            (0, &*format!("{id}: re-queued, due now"))
        );
        assert_eq!(
            inbox(&["dead-letters"]).1.lines().count(),
            1,
            "only the header"
        );
        let (status, output) = inbox(&["requeue", &id]);
        assert_eq!(status, 1, "{output}");
        assert!(output.contains("not a dead letter"), "{output}");
    }

    #[cfg(feature = "sqlite")]
    #[test]
    fn on_sqlite() {
        use hookproof::delivery::inbox::SqliteInbox;

        let dir = std::env::temp_dir().join(format!("hookproof-cli-inbox-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let database = dir.join("webhooks.db");
        let id = runtime().block_on(async {
            let inbox = SqliteInbox::open(&database).await.unwrap();
            inbox.migrate().await.unwrap();
            one_dead_letter(Arc::new(inbox)).await
        });
        listed_then_requeued(&["--sqlite", database.to_str().unwrap()], &[], id);

        // A mistyped path is an error, and no database is created there.
        let mistyped = dir.join("webhook.db");
        let (status, output) = hookproof_with(
            &[
                "inbox",
                "--sqlite",
                mistyped.to_str().unwrap(),
                "dead-letters",
            ],
            b"",
            &[],
        );
        assert_eq!(status, 2, "{output}");
        assert!(output.contains("no such file"), "{output}");
        assert!(!mistyped.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(feature = "postgres")]
    #[test]
    fn on_postgres() {
        use hookproof::delivery::inbox::PostgresInbox;

        let Some(server) = crate::servers::PostgresServer::start() else {
            return;
        };
        let url = server.url();
        let id = runtime().block_on(async {
            let inbox = PostgresInbox::connect(&url).await.unwrap();
            inbox.migrate().await.unwrap();
            one_dead_letter(Arc::new(inbox)).await
        });
        listed_then_requeued(&["--postgres-env", "INBOX_URL"], &[("INBOX_URL", &url)], id);

        let (status, output) = hookproof_with(
            &["inbox", "--postgres-env", "UNSET_INBOX_URL", "dead-letters"],
            b"",
            &[],
        );
        assert_eq!(status, 2, "{output}");
        assert!(
            output.contains("the environment variable UNSET_INBOX_URL is not set"),
            "{output}"
        );
    }
}
