#!/usr/bin/env python3
"""Writes captured requests for the `hookproof` command's tests: tests/vectors/captured/*.http.

Each is raw HTTP/1.1 as a server receives it, signed here with Python's hashlib/hmac (never by
hookproof), some correctly and some with the mistakes the command explains: a line break added
to the body, a base64 or unprefixed signature, a re-encoded form, pretty-printed JSON, a Cedar
number hashed as written instead of as JavaScript prints it, one bad Voximplant callback.
`expected.json` holds the signatures `hookproof sign` must print for the bodies in `bodies/`.

Run from the repository root:  python3 tests/vectors/captured.py
"""

import base64
import hashlib
import hmac
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent
OUT = ROOT / "captured"
SAMPLES = ROOT.parent.parent / "src/testing/samples"

# The secrets the tests put in environment variables.
PLATNOVA = "pn_capture_secret"
INPLAYER = "ip_capture_secret"
CEDAR = "cedar_capture_secret"
SALT = "vox_capture_salt"
API_KEY = "vox-capture-api-key"
PLATFONE = "pf_capture_secret"


def request(path, headers, body: bytes, length=None) -> bytes:
    head = f"POST {path} HTTP/1.1\r\nhost: receiver.example\r\n"
    for name, value in headers:
        head += f"{name}: {value}\r\n"
    head += f"content-length: {len(body) if length is None else length}\r\n\r\n"
    return head.encode() + body


def mac(secret: str, body: bytes) -> bytes:
    return hmac.new(secret.encode(), body, hashlib.sha256).digest()


def write(name, data: bytes):
    (OUT / f"{name}.http").write_bytes(data)


OUT.mkdir(exist_ok=True)
(OUT / "bodies").mkdir(exist_ok=True)
expected = {}

# --- Platnova: the secret itself in a header ----------------------------------------------------
charged = (SAMPLES / "platnova/card.charged.json").read_bytes()
json_type = ("content-type", "application/json")
write("platnova_ok", request("/webhooks/platnova", [json_type, ("x-webhook-secret", PLATNOVA)], charged))
write("platnova_wrong_secret", request("/webhooks/platnova", [json_type, ("x-webhook-secret", "pn_guess")], charged))

# --- InPlayer: HMAC-SHA256 over the form, `sha256=` and hex -------------------------------------
form = (SAMPLES / "inplayer/payment.card.success.form").read_bytes()
form_type = ("content-type", "application/x-www-form-urlencoded")
signed = "sha256=" + mac(INPLAYER, form).hex()
write("inplayer_ok", request("/webhooks/inplayer", [form_type, ("x-inplayer-signature", signed)], form))
write("inplayer_line_break_added", request(
    "/webhooks/inplayer", [form_type, ("x-inplayer-signature", signed)], form + b"\n"))
write("inplayer_base64", request("/webhooks/inplayer", [
    form_type, ("x-inplayer-signature", "sha256=" + base64.b64encode(mac(INPLAYER, form)).decode())], form))
write("inplayer_no_prefix", request(
    "/webhooks/inplayer", [form_type, ("x-inplayer-signature", mac(INPLAYER, form).hex())], form))
# Decoded and encoded again by a framework: pairs sorted, the signature still over the original.
resorted = "&".join(sorted(form.decode().split("&"))).encode()
write("inplayer_reencoded", request(
    "/webhooks/inplayer", [form_type, ("x-inplayer-signature", signed)], resorted))
(OUT / "bodies/inplayer.form").write_bytes(form)
expected["inplayer"] = signed

# --- Cedar: sha256 over the listed fields' text, then the secret --------------------------------
cedar = b'{"event":"BusinessRequestStatusChanged","id":1234,"status":"COMPLETED","amount":1.50}'
cedar_headers = lambda fields, text: [
    json_type, ("x-webhook-security-fields", fields),
    ("x-webhook-security-hash", hashlib.sha256((text + CEDAR).encode()).hexdigest())]
write("cedar_ok", request("/webhooks/cedar", cedar_headers("id,status", "1234COMPLETED"), cedar))
# A sender that hashes the number as written; Cedar's (JavaScript) senders write 1.5.
write("cedar_number_as_written", request(
    "/webhooks/cedar", cedar_headers("id,amount", "12341.50"), cedar))
cedar_null = b'{"event":"BusinessKycStatusChanged","id":77,"status":null}'
write("cedar_null", request("/webhooks/cedar", cedar_headers("id,status", "77"), cedar_null))
(OUT / "bodies/cedar.json").write_bytes(cedar)
expected["cedar"] = hashlib.sha256(("1234COMPLETED" + CEDAR).encode()).hexdigest()

# --- Voximplant: md5(salt + account_id + api_key + callback_id) inside each callback ------------
def callback(callback_id, account_id, good=True):
    text = f"{SALT}{account_id}{API_KEY}{callback_id}" if good else f"{SALT}{account_id}{API_KEY}0"
    return {"callback_id": callback_id, "type": "min_balance", "account_id": account_id,
            "hash": hashlib.md5(text.encode()).hexdigest(), "balance": 1.5, "currency": "USD"}


def batch(*callbacks) -> bytes:
    return json.dumps({"callbacks": list(callbacks)}, separators=(",", ":")).encode()


write("voximplant_ok", request("/webhooks/voximplant", [json_type], batch(callback(501, 9001), callback(502, 9001))))
write("voximplant_second_bad", request(
    "/webhooks/voximplant", [json_type], batch(callback(501, 9001), callback(502, 9001, good=False))))

# --- Platfone, configured with HMAC-SHA256 in x-platfone-signature, `sha256=` and hex ------------
activation = json.loads((SAMPLES / "platfone/activation.updated.json").read_text())
compact = json.dumps(activation, separators=(",", ":")).encode()
pretty = json.dumps(activation, indent=2).encode()
pf_signed = "sha256=" + mac(PLATFONE, compact).hex()
write("platfone_ok", request("/webhooks/platfone", [json_type, ("x-platfone-signature", pf_signed)], compact))
write("platfone_pretty_printed", request(
    "/webhooks/platfone", [json_type, ("x-platfone-signature", pf_signed)], pretty))
(OUT / "bodies/platfone.json").write_bytes(compact)
expected["platfone"] = pf_signed

(OUT / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
print(f"wrote {len(list(OUT.glob('*.http')))} captured requests to {OUT}")
