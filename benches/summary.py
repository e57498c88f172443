#!/usr/bin/env python3
"""Prints the ratios of the last `cargo bench` run as the README's Performance table.

Reads criterion's estimates (target/criterion/**/new/) and compares, in one run on one machine:
each provider's verify_and_parse with its floor, hookproof's HMAC verification of a 1 KiB body
with the standardwebhooks peer's, and HMAC verification with raw SHA-256 on 64 KiB and 1 MiB.
Then the allocations per call that the bench counted. Exits non-zero if a target is missed.

    cargo bench && python3 benches/summary.py
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


def allocation_counts():
    """Allocations per call, keyed by provider, from the bench's allocations.json files."""
    return {path.parent.name.removesuffix("_typical"): json.loads(path.read_text())
            for path in ROOT.glob("*_typical/allocations.json")}


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

    def row(what, ours, reference, target, compare):
        if ours not in times or reference not in times:
            rows.append((what, "-", "-", "not measured", target[0]))
            missed.append(what)
            return
        ratio = times[ours] / times[reference]
        ok = compare(ratio)
        if not ok:
            missed.append(what)
        rows.append((what, fmt(times[ours]), fmt(times[reference]),
                     f"{ratio:.2f}", f"{target[0]} {'✓' if ok else '✗'}"))

    for provider in PROVIDERS:
        row(f"{provider}: verify_and_parse ÷ floor (typical)",
            f"{provider}/typical/verify_and_parse", f"{provider}/typical/floor",
            ("≤ 1.20",), lambda r: r <= 1.20)
    for provider in PROVIDERS:
        row(f"{provider}: verify_and_parse ÷ floor (64 KiB)",
            f"{provider}/64KiB/verify_and_parse", f"{provider}/64KiB/floor",
            ("(reported)",), lambda r: True)
    row("InPlayer verify ÷ standardwebhooks verify (1 KiB)",
        "peer/1KiB/hookproof_inplayer_verify", "peer/1KiB/standardwebhooks_verify",
        ("≤ 0.30",), lambda r: r <= 0.30)
    for size in ("64KiB", "1MiB"):
        # Time ratio ≤ 1/0.9 means throughput ≥ 0.9 × raw SHA-256.
        row(f"HMAC verify ÷ raw SHA-256 ({size})",
            f"hashing/hookproof_hmac_verify/{size}", f"hashing/raw_sha256/{size}",
            ("≤ 1.11 (≥ 0.9× throughput)",), lambda r: r <= 1 / 0.9)

    print(f"Measured on {machine()}; medians of one `cargo bench` run.\n")
    print("| ratio | hookproof | reference | ratio | target |")
    print("|---|---:|---:|---:|---|")
    for what, ours, reference, ratio, target in rows:
        print(f"| {what} | {ours} | {reference} | {ratio} | {target} |")
    counts = allocation_counts()
    print("\nAllocations per call on the typical payload (counted by the bench's allocator):\n")
    print("| provider | verify | parse | verify_and_parse | floor | target |")
    print("|---|---:|---:|---:|---:|---|")
    for provider in PROVIDERS:
        if provider not in counts:
            missed.append(f"{provider}: allocations")
            print(f"| {provider} | - | - | - | - | not measured |")
            continue
        count = counts[provider]
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
