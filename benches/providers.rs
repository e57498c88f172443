//! What hookproof costs on each provider's request, next to the unavoidable cost and a peer.
//!
//! For each provider, on its typical documented payload and on a 64 KiB body: `verify`,
//! `parse` and `verify_and_parse`, and the **floor**: the scheme's digest over the same bytes
//! plus one serde pass (or one form-decoding pass) into a plain owned struct that mirrors the
//! payload. Beside them, the **peer** (`standardwebhooks`, the reference implementation of the
//! most common scheme) verifying a body of the same size as InPlayer's, and raw SHA-256
//! throughput against hookproof's HMAC verification on 64 KiB and 1 MiB.
//!
//! Before criterion times them, each provider's calls are run once under a counting allocator,
//! and `verify_and_parse` and the floor are timed against each other in alternating rounds (the
//! paired ratio, which a machine's drifting speed does not skew); both go to
//! `target/criterion/<provider>_<size>/hookproof.json`.
//!
//! `python3 benches/summary.py` turns criterion's results into the ratio table of the README.

#[path = "../tests/support/counting_allocator.rs"]
mod counting_allocator;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use counting_allocator::allocations;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit, Mac};
use hookproof::cedar::Cedar;
use hookproof::inplayer::InPlayer;
use hookproof::platfone::Platfone;
use hookproof::platnova::Platnova;
use hookproof::verify::HmacSha256;
use hookproof::voximplant::Voximplant;
use hookproof::{Provider, Secret};
use http::HeaderName;
use md5::Md5;
use serde::Deserialize;
use sha2::{Digest, Sha256};

const KIB_64: usize = 64 * 1024;

fn secret(text: &str) -> Secret {
    Secret::new(text).unwrap()
}

fn hmac_hex(key: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// `body` with a JSON member of filler added before its last `}`, to reach `size` bytes.
fn padded_json(body: &str, size: usize) -> String {
    let body = body.trim_end();
    let end = body.rfind('}').unwrap();
    let filler = size.saturating_sub(body.len() + 14);
    format!("{},\"padding\":\"{}\"}}", &body[..end], "x".repeat(filler))
}

/// Benchmarks `verify`, `parse`, `verify_and_parse` and the floor of one provider on one body.
fn provider<P: Provider>(
    c: &mut Criterion,
    name: &str,
    size: &str,
    receiver: &P,
    headers: &[(String, String)],
    body: &[u8],
    floor: impl Fn(&[(String, String)], &[u8]),
) {
    receiver
        .verify_and_parse(headers, body)
        .expect("the bench request verifies");
    let allocations = [
        ("verify", allocations(|| receiver.verify(headers, body))),
        (
            "parse",
            allocations(|| receiver.parse(hookproof::dangerous::assume_verified(body))),
        ),
        (
            "verify_and_parse",
            allocations(|| receiver.verify_and_parse(headers, body)),
        ),
        ("floor", allocations(|| floor(headers, body))),
    ];
    let paired_ratio = paired_ratio(
        || {
            receiver
                .verify_and_parse(black_box(headers), black_box(body))
                .unwrap();
        },
        || floor(black_box(headers), black_box(body)),
    );
    record(&format!("{name}_{size}"), &allocations, paired_ratio);
    let mut group = c.benchmark_group(format!("{name}/{size}"));
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("verify", |b| {
        b.iter(|| {
            receiver
                .verify(black_box(headers), black_box(body))
                .unwrap()
        })
    });
    group.bench_function("parse", |b| {
        b.iter(|| {
            let verified = hookproof::dangerous::assume_verified(black_box(body));
            receiver.parse(verified).unwrap()
        })
    });
    group.bench_function("verify_and_parse", |b| {
        b.iter(|| {
            receiver
                .verify_and_parse(black_box(headers), black_box(body))
                .unwrap()
        })
    });
    group.bench_function("floor", |b| {
        b.iter(|| floor(black_box(headers), black_box(body)))
    });
    group.finish();
}

/// Rounds of the paired measurement, and the time each side runs per round.
const PAIRED_ROUNDS: usize = 201;
const PAIRED_ROUND_TIME: Duration = Duration::from_millis(1);

/// The median over rounds of the time of `ours` divided by the time of `floor`, the two
/// alternating in rounds of about a millisecond (and swapping which goes first), so that a
/// machine whose speed drifts from second to second, as a shared VM's does, slows both alike.
fn paired_ratio(mut ours: impl FnMut(), mut floor: impl FnMut()) -> f64 {
    let mut per_round = 1;
    while time(per_round, &mut floor) < PAIRED_ROUND_TIME {
        per_round *= 2;
    }
    let mut ratios: Vec<f64> = (0..PAIRED_ROUNDS)
        .map(|round| {
            let (ours, floor) = if round % 2 == 0 {
                let ours = time(per_round, &mut ours);
                (ours, time(per_round, &mut floor))
            } else {
                let floor = time(per_round, &mut floor);
                (time(per_round, &mut ours), floor)
            };
            ours.as_secs_f64() / floor.as_secs_f64()
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios[PAIRED_ROUNDS / 2]
}

fn time(iterations: u32, run: &mut impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iterations {
        run();
    }
    start.elapsed()
}

/// Writes the allocation counts and the paired ratio of one provider and body beside
/// criterion's results for them, as `hookproof.json`.
fn record(group: &str, allocations: &[(&str, usize)], paired_ratio: f64) {
    let counts: serde_json::Map<String, serde_json::Value> = allocations
        .iter()
        .map(|&(call, count)| (call.to_owned(), count.into()))
        .collect();
    write_record(
        group,
        serde_json::json!({ "allocations": counts, "paired_ratio": paired_ratio }),
    );
}

/// Writes `json` as `target/criterion/<group>/hookproof.json`.
fn write_record(group: &str, json: serde_json::Value) {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"),
        PathBuf::from,
    );
    let directory = target.join("criterion").join(group);
    std::fs::create_dir_all(&directory)
        .and_then(|()| std::fs::write(directory.join("hookproof.json"), json.to_string()))
        .expect("the criterion directory is writable");
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> &'h str {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
        .unwrap()
}

// --- Platnova ---------------------------------------------------------------------------------

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlatnovaFloor {
    event: String,
    timestamp: String,
    customer_id: String,
    data: PlatnovaCharge,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlatnovaCharge {
    card_id: String,
    card_holder_name: String,
    card_status: String,
    currency: String,
    amount: f64,
    fee: f64,
    transaction_ref: String,
    description: Option<String>,
    metadata: PlatnovaMetadata,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlatnovaMetadata {
    merchant: Option<PlatnovaMerchant>,
    terminal: Option<PlatnovaTerminal>,
    channel: String,
    narration: Option<String>,
    charge_amount: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlatnovaMerchant {
    name: String,
    category: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlatnovaTerminal {
    id: String,
    location: Option<String>,
}

fn platnova(c: &mut Criterion) {
    const SECRET: &str = "pn_live_9f8e7d6c5b4a";
    let expected = Sha256::digest(SECRET);
    let receiver = Platnova::new(secret(SECRET));
    let headers = vec![("x-webhook-secret".to_owned(), SECRET.to_owned())];
    let typical = include_str!("../src/testing/samples/platnova/card.charged.json");
    let floor = |headers: &[(String, String)], body: &[u8]| {
        assert_eq!(
            Sha256::digest(header(headers, "x-webhook-secret")),
            expected
        );
        black_box(serde_json::from_slice::<PlatnovaFloor>(body).unwrap());
    };
    provider(
        c,
        "platnova",
        "typical",
        &receiver,
        &headers,
        typical.as_bytes(),
        floor,
    );
    let large = padded_json(typical, KIB_64);
    provider(
        c,
        "platnova",
        "64KiB",
        &receiver,
        &headers,
        large.as_bytes(),
        floor,
    );
}

// --- InPlayer ---------------------------------------------------------------------------------

/// The payment fields of a `payment.card.success` form, read in one pass.
#[derive(Default)]
#[allow(dead_code)]
struct InPlayerFloor {
    id: String,
    created: u64,
    event_type: String,
    version: String,
    transaction: String,
    amount: f64,
    currency_iso: String,
    formatted_amount: String,
    email: String,
    status: String,
    code: u16,
    description: String,
}

fn inplayer_floor(body: &[u8]) -> InPlayerFloor {
    let mut floor = InPlayerFloor::default();
    for (key, value) in form_urlencoded::parse(body) {
        match &*key {
            "id" => floor.id = value.into_owned(),
            "created" => floor.created = value.parse().unwrap(),
            "type" => floor.event_type = value.into_owned(),
            "version" => floor.version = value.into_owned(),
            "resource[transaction]" => floor.transaction = value.into_owned(),
            "resource[amount]" => floor.amount = value.parse().unwrap(),
            "resource[currency_iso]" => floor.currency_iso = value.into_owned(),
            "resource[formatted_amount]" => floor.formatted_amount = value.into_owned(),
            "resource[email]" => floor.email = value.into_owned(),
            "resource[status]" => floor.status = value.into_owned(),
            "resource[code]" => floor.code = value.parse().unwrap(),
            "resource[description]" => floor.description = value.into_owned(),
            _ => {}
        }
    }
    floor
}

const INPLAYER_SECRET: &str = "my_inplayer_api_secret";
const INPLAYER_BODY: &str = "id=WHE-jAlBR7bGKGIV2mSr&created=1559906599&type=payment.card.success&version=2.4.2&resource%5Btransaction%5D=C-MP3obSF5w81JsveRg4LiPV3iS-SC&resource%5Bamount%5D=10.00&resource%5Bcurrency_iso%5D=EUR&resource%5Bformatted_amount%5D=%E2%82%AC10.00&resource%5Bemail%5D=customer%40example.com&resource%5Bstatus%5D=success&resource%5Bcode%5D=200";

/// InPlayer's worked example with a description long enough to make the body `size` bytes.
fn inplayer_body(size: usize) -> String {
    let filler = size.saturating_sub(INPLAYER_BODY.len() + 27);
    format!(
        "{INPLAYER_BODY}&resource%5Bdescription%5D={}",
        "x".repeat(filler)
    )
}

fn inplayer_headers(body: &[u8]) -> Vec<(String, String)> {
    vec![
        (
            "x-inplayer-signature".to_owned(),
            format!("sha256={}", hmac_hex(INPLAYER_SECRET, body)),
        ),
        (
            "content-type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ),
    ]
}

fn inplayer(c: &mut Criterion) {
    let receiver = InPlayer::new(secret(INPLAYER_SECRET));
    let floor = |headers: &[(String, String)], body: &[u8]| {
        let expected = hex::decode(&header(headers, "x-inplayer-signature")[7..]).unwrap();
        let mut mac = Hmac::<Sha256>::new_from_slice(INPLAYER_SECRET.as_bytes()).unwrap();
        mac.update(body);
        mac.verify_slice(&expected).unwrap();
        black_box(inplayer_floor(body));
    };
    let typical = INPLAYER_BODY.as_bytes();
    provider(
        c,
        "inplayer",
        "typical",
        &receiver,
        &inplayer_headers(typical),
        typical,
        floor,
    );
    let large = inplayer_body(KIB_64);
    provider(
        c,
        "inplayer",
        "64KiB",
        &receiver,
        &inplayer_headers(large.as_bytes()),
        large.as_bytes(),
        floor,
    );
}

// --- Cedar ------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[allow(dead_code)]
struct CedarFloor {
    event: String,
    id: u64,
    status: String,
}

fn cedar(c: &mut Criterion) {
    const SECRET: &str = "my_webhook_secret";
    let receiver = Cedar::new(secret(SECRET)).require_fields(["id", "status"]);
    let headers = |body: &str| {
        let floor: CedarFloor = serde_json::from_str(body).unwrap();
        let hash = Sha256::digest(format!("{}{}{SECRET}", floor.id, floor.status));
        vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            (
                "x-webhook-security-fields".to_owned(),
                "id,status".to_owned(),
            ),
            ("x-webhook-security-hash".to_owned(), hex::encode(hash)),
        ]
    };
    let floor = |headers: &[(String, String)], body: &[u8]| {
        let floor: CedarFloor = serde_json::from_slice(body).unwrap();
        let mut hash = Sha256::new();
        hash.update(itoa_like(floor.id).as_bytes());
        hash.update(floor.status.as_bytes());
        hash.update(SECRET.as_bytes());
        let expected = hex::decode(header(headers, "x-webhook-security-hash")).unwrap();
        assert_eq!(hash.finalize().as_slice(), expected.as_slice());
        black_box(floor);
    };
    let typical = include_str!("../src/testing/samples/cedar/BusinessKycStatusChanged.json");
    provider(
        c,
        "cedar",
        "typical",
        &receiver,
        &headers(typical),
        typical.as_bytes(),
        floor,
    );
    let large = padded_json(typical, KIB_64);
    provider(
        c,
        "cedar",
        "64KiB",
        &receiver,
        &headers(&large),
        large.as_bytes(),
        floor,
    );
}

/// What a fields header can make a 1 MiB body cost, whatever it lists (all refused: the hash
/// is zeros). Each case's body is 1 MiB; the baseline is a one-field header over a body whose
/// one field is the whole body, that is, hashing the body once. The paired ratios go to
/// `target/criterion/cedar_headers/hookproof.json`.
fn cedar_headers(c: &mut Criterion) {
    const MIB: usize = 1 << 20;
    let cedar = Cedar::new(secret("my_webhook_secret"));
    let text = |len: usize| "x".repeat(len);
    let fields = |names: &[String]| names.join(",");
    let listing = |count: usize, prefix: &str| {
        (0..count)
            .map(|n| format!("{prefix}f{n}"))
            .collect::<Vec<_>>()
    };
    let members = |names: &[String], each: usize| {
        names
            .iter()
            .map(|name| format!("\"{name}\":\"{}\"", text(each)))
            .collect::<Vec<_>>()
            .join(",")
    };
    let whole = format!(r#"{{"id":1,"pad":"{}"}}"#, text(MIB));
    let flat = listing(31, "");
    let nested = listing(32, "");
    let mut null_first = vec!["n".to_owned()];
    null_first.extend(flat.iter().cloned());
    let dotted: Vec<String> = nested.iter().map(|name| format!("x.{name}")).collect();
    let cases: Vec<(&str, String, String)> = vec![
        ("one_field_whole_body", "pad".to_owned(), whole.clone()),
        ("one_small_field", "id".to_owned(), whole.clone()),
        (
            "a_name_4000_times",
            vec!["pad"; 4000].join(","),
            whole.clone(),
        ),
        (
            "null_then_31_large_fields",
            fields(&null_first),
            format!(r#"{{"n":null,{}}}"#, members(&flat, MIB / 31)),
        ),
        (
            "32_dotted_names_into_one_object",
            fields(&dotted),
            format!(r#"{{"x":{{{}}}}}"#, members(&nested, MIB / 32)),
        ),
        (
            "a_four_part_path_and_its_regroupings",
            "a.b.c.d,a.b.c".to_owned(),
            format!(
                r#"{{"a":{{"b":{{"c":{{"d":"{}"}}}}}},"a.b":{{"x":1}},"a.b.c":2}}"#,
                text(MIB)
            ),
        ),
    ];
    let zero_hash = "0".repeat(64);
    let request = |fields: &str| {
        vec![
            ("x-webhook-security-fields".to_owned(), fields.to_owned()),
            ("x-webhook-security-hash".to_owned(), zero_hash.clone()),
        ]
    };
    let (_, baseline_fields, baseline_body) = &cases[0];
    let baseline_headers = request(baseline_fields);
    let mut baseline = || {
        assert!(black_box(cedar.verify(&baseline_headers, baseline_body.as_bytes())).is_err());
    };
    let mut ratios = serde_json::Map::new();
    let mut group = c.benchmark_group("cedar_headers/1MiB");
    group.throughput(Throughput::Bytes(MIB as u64));
    for (name, fields, body) in &cases {
        let headers = request(fields);
        let mut run = || {
            assert!(black_box(cedar.verify(&headers, body.as_bytes())).is_err());
        };
        ratios.insert(
            (*name).to_owned(),
            paired_ratio(&mut run, &mut baseline).into(),
        );
        group.bench_function(*name, |b| b.iter(&mut run));
    }
    group.finish();
    write_record(
        "cedar_headers",
        serde_json::json!({ "paired_ratios": ratios }),
    );
}

fn itoa_like(number: u64) -> String {
    number.to_string()
}

// --- Voximplant -------------------------------------------------------------------------------

#[derive(Deserialize)]
#[allow(dead_code)]
struct VoximplantFloor {
    callbacks: Vec<VoximplantCallback>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct VoximplantCallback {
    callback_id: u64,
    #[serde(rename = "type")]
    callback_type: String,
    account_id: u64,
    hash: String,
    account_name: Option<String>,
    account_email: Option<String>,
    language_code: Option<String>,
    account_first_name: Option<String>,
    account_last_name: Option<String>,
    balance: f64,
    currency: String,
    min_balance: Option<VoximplantMinBalance>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct VoximplantMinBalance {
    is_min_credit: Option<bool>,
    is_repeated: Option<bool>,
}

const VOXIMPLANT_SALT: &str = "my_salt_value";
const VOXIMPLANT_API_KEY: &str = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";

fn voximplant_callback(callback_id: u64) -> String {
    let hash = hex::encode(Md5::digest(format!(
        "{VOXIMPLANT_SALT}123456{VOXIMPLANT_API_KEY}{callback_id}"
    )));
    format!(
        r#"{{"callback_id":{callback_id},"type":"min_balance","account_id":123456,"hash":"{hash}","account_name":"acme","account_email":"ops@example.com","language_code":"en","account_first_name":"A","account_last_name":"B","balance":1.5,"currency":"USD","min_balance":{{"is_min_credit":false,"is_repeated":false}}}}"#
    )
}

fn voximplant(c: &mut Criterion) {
    let receiver = Voximplant::new(secret(VOXIMPLANT_SALT), secret(VOXIMPLANT_API_KEY));
    let floor = |_: &[(String, String)], body: &[u8]| {
        let floor: VoximplantFloor = serde_json::from_slice(body).unwrap();
        for callback in &floor.callbacks {
            let mut hash = Md5::new();
            hash.update(VOXIMPLANT_SALT);
            hash.update(callback.account_id.to_string());
            hash.update(VOXIMPLANT_API_KEY);
            hash.update(callback.callback_id.to_string());
            assert_eq!(hex::encode(hash.finalize()), callback.hash);
        }
        black_box(floor);
    };
    // The spec's worked example: one callback.
    let typical = format!(r#"{{"callbacks":[{}]}}"#, voximplant_callback(42));
    provider(
        c,
        "voximplant",
        "typical",
        &receiver,
        &[],
        typical.as_bytes(),
        floor,
    );
    // A batch of callbacks filling 64 KiB.
    let mut callbacks = Vec::new();
    while callbacks.iter().map(String::len).sum::<usize>() < KIB_64 - 400 {
        callbacks.push(voximplant_callback(1000 + callbacks.len() as u64));
    }
    let large = format!(r#"{{"callbacks":[{}]}}"#, callbacks.join(","));
    provider(
        c,
        "voximplant",
        "64KiB",
        &receiver,
        &[],
        large.as_bytes(),
        floor,
    );
}

// --- Platfone ---------------------------------------------------------------------------------

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlatfoneFloor {
    id: String,
    #[serde(rename = "type")]
    event_type: String,
    data: PlatfoneActivation,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlatfoneActivation {
    activation_id: Option<String>,
    phone: Option<String>,
    country_id: Option<String>,
    service_id: Option<String>,
    sms_status: Option<String>,
    activation_status: Option<String>,
    billing_status: Option<String>,
    report_status: Option<String>,
    sms_code: Option<String>,
    sms_text: Option<String>,
    price: Option<f64>,
    expire_at: Option<i64>,
    updated_at: Option<i64>,
    created_at: Option<i64>,
    is_retriable: Option<bool>,
    cancelable_after: Option<i64>,
}

fn platfone(c: &mut Criterion) {
    const SECRET: &str = "pf_whsec_1";
    let scheme = HmacSha256::new(
        HeaderName::from_static("x-platfone-signature"),
        secret(SECRET),
    )
    .with_prefix("sha256=");
    let receiver = Platfone::new(scheme);
    let headers = |body: &[u8]| {
        vec![(
            "x-platfone-signature".to_owned(),
            format!("sha256={}", hmac_hex(SECRET, body)),
        )]
    };
    let floor = |headers: &[(String, String)], body: &[u8]| {
        let expected = hex::decode(&header(headers, "x-platfone-signature")[7..]).unwrap();
        let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(body);
        mac.verify_slice(&expected).unwrap();
        black_box(serde_json::from_slice::<PlatfoneFloor>(body).unwrap());
    };
    let typical = include_str!("../src/testing/samples/platfone/activation.updated.json");
    provider(
        c,
        "platfone",
        "typical",
        &receiver,
        &headers(typical.as_bytes()),
        typical.as_bytes(),
        floor,
    );
    let large = padded_json(typical, KIB_64);
    provider(
        c,
        "platfone",
        "64KiB",
        &receiver,
        &headers(large.as_bytes()),
        large.as_bytes(),
        floor,
    );
}

// --- Peer and raw hashing ---------------------------------------------------------------------

fn peer(c: &mut Criterion) {
    let body = inplayer_body(1024);
    let receiver = InPlayer::new(secret(INPLAYER_SECRET));
    let headers = inplayer_headers(body.as_bytes());

    let webhook = standardwebhooks::Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let signature = webhook
        .sign("msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp, body.as_bytes())
        .unwrap();
    let mut peer_headers = http::HeaderMap::new();
    peer_headers.insert(
        "webhook-id",
        "msg_p5jXN8AQM9LWM0D4loKWxJek".parse().unwrap(),
    );
    peer_headers.insert("webhook-timestamp", timestamp.to_string().parse().unwrap());
    peer_headers.insert("webhook-signature", signature.parse().unwrap());

    let mut group = c.benchmark_group("peer/1KiB");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("hookproof_inplayer_verify", |b| {
        b.iter(|| {
            receiver
                .verify(black_box(&headers), black_box(body.as_bytes()))
                .unwrap()
        })
    });
    group.bench_function("standardwebhooks_verify", |b| {
        b.iter(|| {
            webhook
                .verify(black_box(body.as_bytes()), black_box(&peer_headers))
                .unwrap()
        })
    });
    group.finish();
}

fn hashing(c: &mut Criterion) {
    let receiver = InPlayer::new(secret(INPLAYER_SECRET));
    let mut group = c.benchmark_group("hashing");
    for (label, size) in [("64KiB", KIB_64), ("1MiB", 1024 * 1024)] {
        let body = inplayer_body(size);
        let headers = inplayer_headers(body.as_bytes());
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("hookproof_hmac_verify", label),
            &body,
            |b, body| {
                b.iter(|| {
                    receiver
                        .verify(black_box(&headers), black_box(body.as_bytes()))
                        .unwrap()
                })
            },
        );
        group.bench_with_input(BenchmarkId::new("raw_sha256", label), &body, |b, body| {
            b.iter(|| Sha256::digest(black_box(body.as_bytes())))
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = platnova, inplayer, cedar, cedar_headers, voximplant, platfone, peer, hashing
}
criterion_main!(benches);
