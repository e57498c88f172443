#!/usr/bin/env python3
"""Prints the ratios of the last `cargo bench` run as the README's Performance table.

Reads criterion's estimates (target/criterion/**/new/) and the bench's own measurements
(target/criterion/<provider>_<size>/hookproof.json) and compares, in one run on one machine:
each provider's verify_and_parse with its floor, hookproof's HMAC verification of a 1 KiB body
with the standardwebhooks peer's, HMAC verification with raw SHA-256 on 64 KiB and 1 MiB, and
what a Cedar fields header can make a 1 MiB body cost next to hashing that body once, and a
real axum receiver over loopback with 64 concurrent senders with each store and with each
durable inbox, next to none (measured in alternating rounds; the ratio is the median of the
rounds' ratios).
Then the allocations per call that the bench counted. Exits non-zero if a target is missed.

The provider-to-floor ratio is the bench's paired measurement (the two alternating in rounds of
about a millisecond, median of the per-round ratios), which a shared machine's drifting speed
cannot skew the way it skews two criterion runs taken seconds apart; the criterion medians are
shown beside it.

    cargo bench -p hookproof-integration && python3 benches/summary.py
"""

import json
import pathlib
import platform
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
PROVIDERS = ["platnova", "inplayer", "cedar", "voximplant", "platfone"]


def estimates():
    """Median time in nanoseconds of every benchmark, keyed by its full id."""
    found = {}
    for path in ROOT.glob("**/new/benchmark.json"):
        bench = json.loads(path.read_text())
        estimate = json.loads((path.parent / "estimates.json").read_text())
        found[bench["full_id"]] = estimate["median"]["point_estimate"]
    return found


def own_measurements():
    """The bench's allocation counts and paired ratios, keyed by `<provider>_<size>`."""
    return {path.parent.name: json.loads(path.read_text())
            for path in ROOT.glob("*/hookproof.json")}


# The providers whose verification is the shared-secret or the HMAC scheme, which must not
# allocate (Platfone is benched with its HMAC configuration).
ALLOCATION_FREE_VERIFY = ["platnova", "inplayer", "platfone"]


def fmt(ns):
    for unit, scale in (("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.2f} {unit}"
    return f"{ns:.0f} ns"


def machine():
    cpu = "unknown CPU"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len([l for l in pathlib.Path("/proc/cpuinfo").read_text().splitlines()
                 if l.startswith("processor")]) if pathlib.Path("/proc/cpuinfo").exists() else "?"
    return f"{cpu}, {cores} cores, {platform.system()} {platform.release()}"


def main():
    times = estimates()
    if not times:
        sys.exit("no criterion results: run `cargo bench` first")
    rows, missed = [], []

    own = own_measurements()

    def row(what, ours, reference, target, compare, ratio=None):
        if ours not in times or reference not in times:
            rows.append((what, "-", "-", "not measured", target[0]))
            missed.append(what)
            return
        if ratio is None:
            ratio = times[ours] / times[reference]
        ok = compare(ratio)
        if not ok:
            missed.append(what)
        rows.append((what, fmt(times[ours]), fmt(times[reference]),
                     f"{ratio:.2f}", f"{target[0]} {'✓' if ok else '✗'}"))

    for size, label, target, compare in (
            ("typical", "typical", "≤ 1.20", lambda r: r <= 1.20),
            ("64KiB", "64 KiB", "(reported)", lambda r: True)):
        for provider in PROVIDERS:
            paired = own.get(f"{provider}_{size}", {}).get("paired_ratio")
            if paired is None:
                missed.append(f"{provider}: paired ratio ({label})")
            row(f"{provider}: verify_and_parse ÷ floor ({label})",
                f"{provider}/{size}/verify_and_parse", f"{provider}/{size}/floor",
                (target,), compare, ratio=paired)
    row("InPlayer verify ÷ standardwebhooks verify (1 KiB)",
        "peer/1KiB/hookproof_inplayer_verify", "peer/1KiB/standardwebhooks_verify",
        ("≤ 0.30",), lambda r: r <= 0.30)
    for size in ("64KiB", "1MiB"):
        # Time ratio ≤ 1/0.9 means throughput ≥ 0.9 × raw SHA-256.
        row(f"HMAC verify ÷ raw SHA-256 ({size})",
            f"hashing/hookproof_hmac_verify/{size}", f"hashing/raw_sha256/{size}",
            ("≤ 1.11 (≥ 0.9× throughput)",), lambda r: r <= 1 / 0.9)

    headers = own.get("cedar_headers", {}).get("paired_ratios", {})
    if not headers:
        missed.append("cedar headers: not measured")
    for case, ratio in sorted(headers.items()):
        if case == "one_field_whole_body":
            continue
        ok = ratio <= 3.0
        if not ok:
            missed.append(f"cedar headers: {case}")
        rows.append((f"cedar, 1 MiB body, fields header `{case}` ÷ one field that is the body",
                     fmt(times.get(f"cedar_headers/1MiB/{case}", float("nan"))),
                     fmt(times.get("cedar_headers/1MiB/one_field_whole_body", float("nan"))),
                     f"{ratio:.2f}", f"≤ 3.00 {'✓' if ok else '✗'}"))

    receiver = own.get("receiver", {})
    results = receiver.get("results", {})
    if not results:
        missed.append("receiver: not measured")

    def latencies(ours):
        none = ours["baseline"]
        return (f"{fmt(ours['p50_us'] * 1e3)} / {fmt(ours['p99_us'] * 1e3)}",
                f"{fmt(none['p50_us'] * 1e3)} / {fmt(none['p99_us'] * 1e3)}",
                f"{ours['p50_us'] / none['p50_us']:.2f} / {ours['p99_us'] / none['p99_us']:.2f}")

    for store in ("memory", "redis", "postgres"):
        if store not in results:
            if store != "memory":
                rows.append((f"receiver, {store} store: not measured (server not installed)",
                             "-", "-", "-", "(reported)"))
            continue
        ours = results[store]
        ratio = ours["paired_ratio"]
        target, ok = ("≥ 0.90", ratio >= 0.90) if store == "memory" else ("(reported)", True)
        if not ok:
            missed.append(f"receiver: {store} throughput")
        rows.append((f"receiver, 64 senders: {store} store ÷ no store, deliveries/s",
                     f"{ours['per_second']:.0f}/s", f"{ours['baseline']['per_second']:.0f}/s",
                     f"{ratio:.2f}", f"{target} {'✓' if ok else '✗'}"))
        rows.append((f"receiver, 64 senders: {store} store ÷ no store, p50 / p99 latency",
                     *latencies(ours), "(reported)"))
        if "claim_round_trip_us" in ours:
            added, trip = ours["alone_added_us"], ours["claim_round_trip_us"]
            per_trip = ours["added_per_round_trip"]
            # One round trip, with a quarter of one (and 50 µs) for the machine's noise.
            ok = per_trip <= 1.25 + 50 / trip
            if not ok:
                missed.append(f"receiver: {store} adds more than one round trip")
            rows.append((f"receiver, one sender: latency {store} adds ÷ one claim round trip",
                         fmt(added * 1e3), fmt(trip * 1e3), f"{per_trip:.2f}",
                         f"≤ 1 round trip {'✓' if ok else '✗'}"))

    for inbox, floor, label in (("sqlite_inbox", 0.5, "SQLite"), ("postgres_inbox", 0.3, "PostgreSQL")):
        if inbox not in results:
            rows.append((f"inbox, {label}: not measured (server not installed)",
                         "-", "-", "-", f"≥ {floor:.2f}"))
            missed.append(f"inbox: {label} not measured")
            continue
        ours = results[inbox]
        ratio = ours["paired_ratio"]
        ok = ratio >= floor
        if not ok:
            missed.append(f"inbox: {label} throughput")
        rows.append((f"inbox, 64 senders: {label}, durable before 200 ÷ inline, deliveries/s",
                     f"{ours['per_second']:.0f}/s", f"{ours['baseline']['per_second']:.0f}/s",
                     f"{ratio:.2f}", f"≥ {floor:.2f} {'✓' if ok else '✗'}"))
        rows.append((f"inbox, 64 senders: {label} ÷ inline, p50 / p99 latency",
                     *latencies(ours), "(reported)"))

    print(f"Measured on {machine()}; one `cargo bench` run. Times are criterion medians; a "
          "provider's ratio to its floor is the bench's paired median.\n")
    print("| ratio | hookproof | reference | ratio | target |")
    print("|---|---:|---:|---:|---|")
    for what, ours, reference, ratio, target in rows:
        print(f"| {what} | {ours} | {reference} | {ratio} | {target} |")
    print("\nAllocations per call on the typical payload (counted by the bench's allocator):\n")
    print("| provider | verify | parse | verify_and_parse | floor | target |")
    print("|---|---:|---:|---:|---:|---|")
    for provider in PROVIDERS:
        count = own.get(f"{provider}_typical", {}).get("allocations")
        if count is None:
            missed.append(f"{provider}: allocations")
            print(f"| {provider} | - | - | - | - | not measured |")
            continue
        target = "(reported)"
        if provider in ALLOCATION_FREE_VERIFY:
            ok = count["verify"] == 0
            target = f"verify = 0 {'✓' if ok else '✗'}"
            if not ok:
                missed.append(f"{provider}: verify allocates")
        print(f"| {provider} | {count['verify']} | {count['parse']} | "
              f"{count['verify_and_parse']} | {count['floor']} | {target} |")
    if missed:
        print(f"\nmissed: {', '.join(missed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
