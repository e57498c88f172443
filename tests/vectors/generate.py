#!/usr/bin/env python3
"""Writes the verification vectors under tests/vectors/<provider>/.

Every digest here is computed with Python's hashlib/hmac, never by hookproof, so the Rust tests
check the crate against an independent implementation. JavaScript number text (Cedar's senders
are TypeScript) is asked of Node: String(JSON.parse(token)).

The spec's worked examples (shared/spec/providers.md) are asserted first, so a mistake in this
script cannot silently produce wrong vectors.

Run from the repository root:  python3 tests/vectors/generate.py
"""

import base64
import hashlib
import hmac
import json
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hmac_hex(secret: str, body: str) -> str:
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def js_string(token: str) -> str:
    """What JavaScript's String(JSON.parse(token)) prints."""
    script = "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>" \
             "process.stdout.write(String(JSON.parse(s))))"
    out = subprocess.run(["node", "-e", script], input=token, check=True, capture_output=True,
                         text=True)
    return out.stdout


def flip(text: str, index: int) -> str:
    """The text with one byte changed (ASCII only)."""
    return text[:index] + chr(ord(text[index]) ^ 0x01) + text[index + 1:]


def write(provider: str, name: str, document: dict) -> None:
    path = ROOT / provider / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {path.relative_to(ROOT.parent.parent)}: {len(document['cases'])} cases")


# --- The spec's worked examples ------------------------------------------------------------

assert sha256_hex("1234VALIDmy_webhook_secret") == \
    "b3e490634a0c80364c4511fb6c5d5296de532fd08500ce3873c1a7e1f37bb9e7"
assert md5_hex("my_salt_value1234560a1b2c3d-4e5f-6789-abcd-ef012345678942") == \
    "7cecbc16d4d16d6c548765bf76a657dd"
assert md5_hex("1234560a1b2c3d-4e5f-6789-abcd-ef012345678942") == \
    "696a8a321aaa53e5d235afaa4f0d18ad"
INPLAYER_DOCS_BODY = "created=15475835&id=2333&resource%5Bfoo%5D=bar&type=payment.success"
assert hmac_hex("secret", INPLAYER_DOCS_BODY) == \
    "f27f8ae41a0d60d823e8c296ec2e3e73c81843e3f9aedab2bdc030c4d6b0b0b8"
INPLAYER_CARD_BODY = (
    "id=WHE-jAlBR7bGKGIV2mSr&created=1559906599&type=payment.card.success&version=2.4.2"
    "&resource%5Btransaction%5D=C-MP3obSF5w81JsveRg4LiPV3iS-SC&resource%5Bamount%5D=10.00"
    "&resource%5Bcurrency_iso%5D=EUR&resource%5Bformatted_amount%5D=%E2%82%AC10.00"
    "&resource%5Bemail%5D=customer%40example.com&resource%5Bstatus%5D=success"
    "&resource%5Bcode%5D=200"
)
assert hmac_hex("my_inplayer_api_secret", INPLAYER_CARD_BODY) == \
    "2986e87aa2db58da312cdebc013d5d7dbf31f6806ba75a38014bb9c1aa4ddfc9"
assert js_string("1.50") == "1.5"


# --- Platnova: shared secret in X-WEBHOOK-SECRET -----------------------------------------------

PLATNOVA_SECRET = "pn_live_9f8e7d6c5b4a"
PLATNOVA_BODY = json.dumps({"event": "card.funded", "timestamp": "2024-01-01T12:00:00Z",
                            "customer_id": "user_id", "data": {}}, separators=(",", ":"))


def platnova(name, headers, expect, keys=None, key_id=None):
    case = {"name": name, "headers": headers, "body": PLATNOVA_BODY, "expect": expect}
    if keys is not None:
        case["keys"] = keys
    if key_id is not None:
        case["key_id"] = key_id
    return case


write("platnova", "shared_secret", {
    "scheme": "shared secret in X-WEBHOOK-SECRET, compared as SHA-256 digests",
    "keys": [["default", PLATNOVA_SECRET]],
    "cases": [
        platnova("exact secret", [["X-WEBHOOK-SECRET", PLATNOVA_SECRET]], "ok", key_id="default"),
        platnova("header name in lower case", [["x-webhook-secret", PLATNOVA_SECRET]], "ok"),
        platnova("surrounding whitespace is not part of the value",
                 [["X-Webhook-Secret", f"  {PLATNOVA_SECRET}\t"]], "ok"),
        platnova("wrong secret", [["X-WEBHOOK-SECRET", "pn_live_guess"]], "SignatureMismatch"),
        platnova("one flipped byte", [["X-WEBHOOK-SECRET", flip(PLATNOVA_SECRET, 3)]],
                 "SignatureMismatch"),
        platnova("a prefix of the secret", [["X-WEBHOOK-SECRET", PLATNOVA_SECRET[:-1]]],
                 "SignatureMismatch"),
        platnova("the secret plus a byte", [["X-WEBHOOK-SECRET", PLATNOVA_SECRET + "x"]],
                 "SignatureMismatch"),
        platnova("upper-cased secret is a different secret",
                 [["X-WEBHOOK-SECRET", PLATNOVA_SECRET.upper()]], "SignatureMismatch"),
        platnova("empty value", [["X-WEBHOOK-SECRET", ""]], "MalformedHeader"),
        platnova("missing header", [["Content-Type", "application/json"]], "MissingHeader"),
        platnova("header given twice", [["X-WEBHOOK-SECRET", PLATNOVA_SECRET],
                                        ["x-webhook-secret", PLATNOVA_SECRET]], "DuplicateHeader"),
        platnova("rotation: old key still verifies",
                 [["X-WEBHOOK-SECRET", "old-secret"]], "ok",
                 keys=[["2025", "old-secret"], ["2026", PLATNOVA_SECRET]], key_id="2025"),
        platnova("rotation: new key reported",
                 [["X-WEBHOOK-SECRET", PLATNOVA_SECRET]], "ok",
                 keys=[["2025", "old-secret"], ["2026", PLATNOVA_SECRET]], key_id="2026"),
    ],
})


# --- InPlayer: sha256=<hex HMAC-SHA256(secret, raw body)> ---------------------------------------

SIG = "X-InPlayer-Signature"
INPLAYER_SECRET = "my_inplayer_api_secret"
CARD_SIG = "sha256=" + hmac_hex(INPLAYER_SECRET, INPLAYER_CARD_BODY)


def inplayer(name, body, headers, expect, keys=None, key_id=None, encoding=None, prefix=None):
    case = {"name": name, "body": body, "headers": headers, "expect": expect}
    for key, value in [("keys", keys), ("key_id", key_id), ("encoding", encoding),
                       ("prefix", prefix)]:
        if value is not None:
            case[key] = value
    return case


b64 = base64.b64encode(
    hmac.new(INPLAYER_SECRET.encode(), INPLAYER_CARD_BODY.encode(), hashlib.sha256).digest()
).decode()

write("inplayer", "hmac_sha256", {
    "scheme": "X-InPlayer-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>",
    "keys": [["default", INPLAYER_SECRET]],
    "prefix": "sha256=",
    "encoding": "hex",
    "cases": [
        inplayer("docs example body (spec worked example 1)", INPLAYER_DOCS_BODY,
                 [[SIG, "sha256=f27f8ae41a0d60d823e8c296ec2e3e73c81843e3f9aedab2bdc030c4d6b0b0b8"]],
                 "ok", keys=[["docs", "secret"]], key_id="docs"),
        inplayer("card payment (spec worked example 2)", INPLAYER_CARD_BODY,
                 [[SIG, "sha256=2986e87aa2db58da312cdebc013d5d7dbf31f6806ba75a38014bb9c1aa4ddfc9"]],
                 "ok", key_id="default"),
        inplayer("header spelled as in the docs example", INPLAYER_CARD_BODY,
                 [["X-Inplayer-Signature", CARD_SIG]], "ok"),
        inplayer("upper-case hex", INPLAYER_CARD_BODY, [[SIG, "sha256=" + CARD_SIG[7:].upper()]],
                 "ok"),
        inplayer("one flipped body byte", flip(INPLAYER_CARD_BODY, 40), [[SIG, CARD_SIG]],
                 "SignatureMismatch"),
        inplayer("one flipped signature digit", INPLAYER_CARD_BODY,
                 [[SIG, CARD_SIG[:-1] + ("0" if CARD_SIG[-1] != "0" else "1")]],
                 "SignatureMismatch"),
        inplayer("wrong secret", INPLAYER_CARD_BODY,
                 [[SIG, "sha256=" + hmac_hex("not_the_secret", INPLAYER_CARD_BODY)]],
                 "SignatureMismatch"),
        inplayer("body with a trailing newline", INPLAYER_CARD_BODY + "\n", [[SIG, CARD_SIG]],
                 "SignatureMismatch"),
        inplayer("truncated signature (63 digits)", INPLAYER_CARD_BODY, [[SIG, CARD_SIG[:-1]]],
                 "MalformedSignature"),
        inplayer("empty signature after the prefix", INPLAYER_CARD_BODY, [[SIG, "sha256="]],
                 "MalformedSignature"),
        inplayer("non-hex digit", INPLAYER_CARD_BODY, [[SIG, CARD_SIG[:-1] + "g"]],
                 "MalformedSignature"),
        inplayer("missing prefix", INPLAYER_CARD_BODY, [[SIG, CARD_SIG[7:]]], "MalformedHeader"),
        inplayer("empty header", INPLAYER_CARD_BODY, [[SIG, ""]], "MalformedHeader"),
        inplayer("missing header", INPLAYER_CARD_BODY, [["Content-Type",
                 "application/x-www-form-urlencoded"]], "MissingHeader"),
        inplayer("header given twice", INPLAYER_CARD_BODY, [[SIG, CARD_SIG], [SIG, CARD_SIG]],
                 "DuplicateHeader"),
        inplayer("rotation: second key matches", INPLAYER_CARD_BODY, [[SIG, CARD_SIG]], "ok",
                 keys=[["old", "retired_secret"], ["new", INPLAYER_SECRET]], key_id="new"),
        inplayer("base64 encoding without prefix", INPLAYER_CARD_BODY, [[SIG, b64]], "ok",
                 encoding="base64", prefix=""),
        inplayer("base64 without padding", INPLAYER_CARD_BODY, [[SIG, b64.rstrip("=")]], "ok",
                 encoding="base64", prefix=""),
        inplayer("base64 of a truncated MAC", INPLAYER_CARD_BODY,
                 [[SIG, base64.b64encode(bytes.fromhex(CARD_SIG[7:])[:31]).decode()]],
                 "MalformedSignature", encoding="base64", prefix=""),
    ],
})


# --- Cedar: sha256(text(f1) + ... + text(fn) + secret) -------------------------------------------

CEDAR_SECRET = "my_webhook_secret"
FIELDS = "X-Webhook-Security-Fields"
HASH = "X-Webhook-Security-Hash"


def cedar(name, body, fields, texts, expect, require=None, signed=None, keys=None,
          key_id=None, hash_override=None, secret=CEDAR_SECRET, extra_headers=None):
    """`texts` are the field texts the sender concatenates; the hash is computed from them."""
    digest = hash_override if hash_override is not None else sha256_hex("".join(texts) + secret)
    headers = [[FIELDS, fields], [HASH, digest]] + (extra_headers or [])
    case = {"name": name, "body": body, "headers": headers, "expect": expect}
    for key, value in [("require", require), ("signed_fields", signed), ("keys", keys),
                       ("key_id", key_id)]:
        if value is not None:
            case[key] = value
    return case


SPEC = '{"id":1234,"status":"VALID"}'
SPEC_HASH = sha256_hex("1234VALID" + CEDAR_SECRET)
assert SPEC_HASH == "b3e490634a0c80364c4511fb6c5d5296de532fd08500ce3873c1a7e1f37bb9e7"

write("cedar", "field_concat", {
    "scheme": "X-Webhook-Security-Hash = hex(sha256(text of each X-Webhook-Security-Fields field + secret))",
    "keys": [["default", CEDAR_SECRET]],
    "cases": [
        cedar("spec worked example", SPEC, "id,status", ["1234", "VALID"], "ok",
              signed=["id", "status"], key_id="default"),
        cedar("whitespace around names in the fields header", SPEC, " id , status ",
              ["1234", "VALID"], "ok", signed=["id", "status"]),
        cedar("a name is trimmed even where the body has a key with the spaces",
              '{"id":1.34, "st":1.34, "st    ": "\\tB"}', "id,st    ", ["1.34", "1.34"], "ok",
              signed=["id", "st"]),
        cedar("the hash of the padded key's value does not verify",
              '{"id":1.34, "st":1.34, "st    ": "\\tB"}', "id,st    ", ["1.34", "\tB"],
              "SignatureMismatch"),
        cedar("field order follows the header", SPEC, "status,id", ["VALID", "1234"], "ok",
              signed=["status", "id"]),
        cedar("header order with the other order's hash", SPEC, "status,id", [], "SignatureMismatch",
              hash_override=SPEC_HASH),
        cedar("upper-case hex", SPEC, "id,status", [], "ok", hash_override=SPEC_HASH.upper()),
        cedar("JavaScript number text: 1.50 hashes as 1.5",
              '{"id":7,"amount":1.50}', "id,amount", ["7", js_string("1.50")], "ok"),
        cedar("JavaScript number text: exponent", '{"v":1e3,"w":1e21,"x":123e-20,"y":-0.5}',
              "v,w,x,y", [js_string("1e3"), js_string("1e21"), js_string("123e-20"),
                          js_string("-0.5")], "ok"),
        cedar("JavaScript number text: negative zero", '{"v":-0}', "v", [js_string("-0")], "ok"),
        cedar("an integer keeps all its digits", '{"id":12345678901234567890}', "id",
              ["12345678901234567890"], "ok"),
        cedar("booleans", '{"id":1,"active":true,"frozen":false}', "id,active,frozen",
              ["1", "true", "false"], "ok"),
        cedar("null spelled null", '{"id":1,"note":null}', "id,note", ["1", "null"], "ok"),
        cedar("null spelled as the empty string", '{"id":1,"note":null}', "id,note", ["1", ""],
              "ok"),
        cedar("null spelled some other way", '{"id":1,"note":null}', "id,note", ["1", "None"],
              "SignatureMismatch"),
        cedar("unicode string as UTF-8", '{"name":"café ✓"}', "name", ["café ✓"], "ok"),
        cedar("\\u-escaped string hashes as its decoded text", '{"name":"caf\\u00e9 \\u2713"}',
              "name", ["café ✓"], "ok"),
        cedar("surrogate pair escape", '{"name":"\\ud83d\\ude00"}', "name", ["😀"], "ok"),
        cedar("escaped quote and backslash", '{"name":"a\\"b\\\\c"}', "name", ['a"b\\c'], "ok"),
        cedar("dotted path into a nested object", '{"data":{"id":5},"status":"OK"}',
              "data.id,status", ["5", "OK"], "ok", signed=["data.id", "status"]),
        cedar("a top-level key containing a dot is read when the path reaches nothing",
              '{"data.id":"top","data":{"ref":"nested"}}', "data.id", ["top"], "ok"),
        cedar("a dotted key next to the nested value it names is ambiguous",
              '{"data.id":"top","data":{"id":"nested"}}', "data.id", ["top"], "AmbiguousPayload"),
        cedar("the nested value's hash does not help: still ambiguous",
              '{"data.id":"top","data":{"id":"nested"}}', "data.id", ["nested"],
              "AmbiguousPayload"),
        cedar("a dotted key one level down is ambiguous too",
              '{"data":{"x.y":"a","x":{"y":"b"}}}', "data.x.y", ["b"], "AmbiguousPayload"),
        cedar("a key that groups the path another way is ambiguous",
              '{"a.b":{"c":"1"},"a":{"b":{"c":"2"}}}', "a.b.c", ["2"], "AmbiguousPayload"),
        cedar("a path that only another grouping reaches is absent",
              '{"a.b":{"c":"1"}}', "a.b.c", ["1"], "MissingSignedField"),
        cedar("a name listed twice", SPEC, "id,status,id", ["1234", "VALID", "1234"],
              "MalformedHeader"),
        cedar("a name listed twice, once with spaces", SPEC, "id, id", ["1234", "1234"],
              "MalformedHeader"),
        cedar("32 names verify", '{' + ",".join(f'"f{n}":{n}' for n in range(32)) + '}',
              ",".join(f"f{n}" for n in range(32)), [str(n) for n in range(32)], "ok"),
        cedar("33 names are too many", '{' + ",".join(f'"f{n}":{n}' for n in range(33)) + '}',
              ",".join(f"f{n}" for n in range(33)), [str(n) for n in range(33)],
              "MalformedHeader"),
        cedar("a name of four parts verifies", '{"a":{"b":{"c":{"d":"x"}}}}', "a.b.c.d", ["x"],
              "ok"),
        cedar("a name of five parts is refused", '{"a":{"b":{"c":{"d":{"e":"x"}}}}}',
              "a.b.c.d.e", ["x"], "MalformedHeader"),
        cedar("the separator-free concatenation: another event, regrouped values, same hash",
              '{"event":"BusinessExternalAccountStatusChanged","id":"1","status":"234VALID"}',
              "id,status", [], "ok", hash_override=SPEC_HASH),
        cedar("tampered signed field", '{"id":1234,"status":"FAILED"}', "id,status", [],
              "SignatureMismatch", hash_override=SPEC_HASH),
        cedar("unsigned field changed: still verifies, and is reported as unsigned",
              '{"id":1234,"status":"VALID","amount":"999999"}', "id,status", ["1234", "VALID"],
              "ok", signed=["id", "status"]),
        cedar("missing signed field", '{"id":1234}', "id,status", ["1234", "VALID"],
              "MissingSignedField"),
        cedar("dotted path that leads nowhere", '{"data":{"id":5}}', "data.ref", ["5"],
              "MissingSignedField"),
        cedar("object as a signed field", '{"id":1,"data":{"a":1}}', "id,data", ["1"],
              "MissingSignedField"),
        cedar("array as a signed field", '{"id":1,"list":[1]}', "list", ["1"],
              "MissingSignedField"),
        cedar("empty fields list", SPEC, "", [], "MalformedHeader", hash_override=SPEC_HASH),
        cedar("empty field name", SPEC, "id,,status", [], "MalformedHeader",
              hash_override=SPEC_HASH),
        cedar("require_fields covered", SPEC, "id,status", ["1234", "VALID"], "ok",
              require=["id", "status"]),
        cedar("require_fields not covered", SPEC, "id", ["1234"], "MissingSignedField",
              require=["id", "status"]),
        cedar("wrong secret", SPEC, "id,status", ["1234", "VALID"], "SignatureMismatch",
              secret="not_the_secret"),
        cedar("truncated hash", SPEC, "id,status", [], "MalformedSignature",
              hash_override=SPEC_HASH[:-1]),
        cedar("empty hash", SPEC, "id,status", [], "MalformedSignature", hash_override=""),
        cedar("duplicate signed key in the body", '{"id":1234,"status":"VALID","status":"FAILED"}',
              "id,status", ["1234", "VALID"], "AmbiguousPayload"),
        cedar("duplicate key inside a signed path", '{"data":{"id":1,"id":2}}', "data.id", ["1"],
              "AmbiguousPayload"),
        cedar("body is not JSON", "id=1234", "id", ["1234"], "PayloadSyntax"),
        cedar("rotation: second key", SPEC, "id,status", ["1234", "VALID"], "ok",
              keys=[["old", "retired"], ["new", CEDAR_SECRET]], key_id="new"),
        {"name": "missing hash header", "body": SPEC, "headers": [[FIELDS, "id,status"]],
         "expect": "MissingHeader"},
        {"name": "missing fields header", "body": SPEC, "headers": [[HASH, SPEC_HASH]],
         "expect": "MissingHeader"},
        {"name": "hash header given twice", "body": SPEC,
         "headers": [[FIELDS, "id,status"], [HASH, SPEC_HASH], [HASH, SPEC_HASH]],
         "expect": "DuplicateHeader"},
    ],
})


# --- Voximplant: md5(salt + account_id + api_key + callback_id) per callback --------------------

SALT = "my_salt_value"
API_KEY = "0a1b2c3d-4e5f-6789-abcd-ef0123456789"


def voximplant(name, account_id, callback_id, hash_, expect, salt=SALT, api_key=API_KEY):
    return {"name": name, "salt": salt, "api_key": api_key, "account_id": account_id,
            "callback_id": callback_id, "hash": hash_, "expect": expect}


EXAMPLE = md5_hex(SALT + "123456" + API_KEY + "42")
assert EXAMPLE == "7cecbc16d4d16d6c548765bf76a657dd"

write("voximplant", "salted_md5", {
    "scheme": "hash = md5(salt + account_id + api_key + callback_id)",
    "cases": [
        voximplant("spec worked example", "123456", "42", EXAMPLE, "ok"),
        voximplant("upper-case hex", "123456", "42", EXAMPLE.upper(), "ok"),
        voximplant("another callback of the same account", "123456", "43",
                   md5_hex(SALT + "123456" + API_KEY + "43"), "ok"),
        voximplant("large ids", "9007199254740993", "18446744073709551615",
                   md5_hex(SALT + "9007199254740993" + API_KEY + "18446744073709551615"), "ok"),
        voximplant("callback id changed", "123456", "41", EXAMPLE, "SignatureMismatch"),
        voximplant("account id changed", "123457", "42", EXAMPLE, "SignatureMismatch"),
        voximplant("wrong api key", "123456", "42", EXAMPLE, "SignatureMismatch",
                   api_key="0a1b2c3d-4e5f-6789-abcd-ef0123456780"),
        voximplant("wrong salt", "123456", "42", EXAMPLE, "SignatureMismatch", salt="other"),
        voximplant("salt and api key swapped", "123456", "42",
                   md5_hex(API_KEY + "123456" + SALT + "42"), "SignatureMismatch"),
        voximplant("truncated hash", "123456", "42", EXAMPLE[:-1], "MalformedSignature"),
        voximplant("empty hash", "123456", "42", "", "MalformedSignature"),
        voximplant("sha256 instead of md5", "123456", "42",
                   sha256_hex(SALT + "123456" + API_KEY + "42"), "MalformedSignature"),
    ],
})


# --- Platfone: the receiver's choice of scheme, over each envelope spelling ----------------------

PLATFONE_SECRET = "pf_whsec_4e1f9c"
ACTIVATION = ('{"activation_id":"act_7","phone":"+447700900123","country_id":"uk","service_id":"wa",'
              '"sms_status":"smsReceived","activation_status":"active","billing_status":"billed",'
              '"report_status":null,"sms_code":"123456","sms_text":"Your code is 123456",'
              '"price":0.25,"expire_at":1767229200,"updated_at":1767225600,"created_at":1767225000,'
              '"is_retriable":true,"cancelable_after":null}')
ENVELOPES = {
    "type": '{"id":"evt_1","type":"activation.updated","api_version":"1","data":' + ACTIVATION + '}',
    "event": '{"event_id":"evt_2","event":"activation.updated","data":' + ACTIVATION + '}',
    "event_type": '{"data":' + ACTIVATION + ',"event_type":"activation.updated"}',
}


def platfone(name, scheme, body, headers, expect, keys=None, key_id=None):
    case = {"name": name, "scheme": scheme, "body": body, "headers": headers, "expect": expect}
    if keys is not None:
        case["keys"] = keys
    if key_id is not None:
        case["key_id"] = key_id
    return case


HMAC_HEX = {"kind": "hmac", "header": "x-platfone-signature", "prefix": "sha256=", "encoding": "hex"}
HMAC_B64 = {"kind": "hmac", "header": "x-signature", "prefix": "", "encoding": "base64"}
SHARED = {"kind": "shared_secret", "header": "x-platfone-secret"}


def hmac_b64(secret, body):
    return base64.b64encode(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()).decode()


cases = []
for spelling, body in ENVELOPES.items():
    cases += [
        platfone(f"hmac hex, `{spelling}` envelope", HMAC_HEX, body,
                 [["X-Platfone-Signature", "sha256=" + hmac_hex(PLATFONE_SECRET, body)]], "ok",
                 key_id="default"),
        platfone(f"hmac base64, `{spelling}` envelope", HMAC_B64, body,
                 [["X-Signature", hmac_b64(PLATFONE_SECRET, body)]], "ok"),
        platfone(f"shared secret, `{spelling}` envelope", SHARED, body,
                 [["X-Platfone-Secret", PLATFONE_SECRET]], "ok"),
    ]
body = ENVELOPES["type"]
tampered = body.replace('"sms_code":"123456"', '"sms_code":"654321"')
cases += [
    platfone("hmac: tampered body", HMAC_HEX, tampered,
             [["X-Platfone-Signature", "sha256=" + hmac_hex(PLATFONE_SECRET, body)]],
             "SignatureMismatch"),
    platfone("hmac: wrong secret", HMAC_HEX, body,
             [["X-Platfone-Signature", "sha256=" + hmac_hex("pf_whsec_other", body)]],
             "SignatureMismatch"),
    platfone("hmac: upper-case hex", HMAC_HEX, body,
             [["X-Platfone-Signature", "sha256=" + hmac_hex(PLATFONE_SECRET, body).upper()]], "ok"),
    platfone("hmac: missing prefix", HMAC_HEX, body,
             [["X-Platfone-Signature", hmac_hex(PLATFONE_SECRET, body)]], "MalformedHeader"),
    platfone("hmac: missing header", HMAC_HEX, body, [], "MissingHeader"),
    platfone("hmac base64: tampered body", HMAC_B64, tampered,
             [["X-Signature", hmac_b64(PLATFONE_SECRET, body)]], "SignatureMismatch"),
    platfone("shared secret: wrong secret", SHARED, body, [["X-Platfone-Secret", "pf_whsec_other"]],
             "SignatureMismatch"),
    platfone("shared secret: tampered body is not detected (nothing signs it)", SHARED, tampered,
             [["X-Platfone-Secret", PLATFONE_SECRET]], "ok"),
    platfone("rotation: the second key", HMAC_HEX, body,
             [["X-Platfone-Signature", "sha256=" + hmac_hex(PLATFONE_SECRET, body)]], "ok",
             keys=[["old", "pf_whsec_retired"], ["new", PLATFONE_SECRET]], key_id="new"),
]
write("platfone", "configured_schemes", {
    "scheme": "receiver-configured: HMAC-SHA256 of the body, or a shared secret in a header",
    "keys": [["default", PLATFONE_SECRET]],
    "cases": cases,
})
