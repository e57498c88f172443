#!/usr/bin/env python3
"""Writes InPlayer's sample bodies, src/testing/samples/inplayer/<event type>.form.

InPlayer's documentation shows each example decoded, one pair per line, with illustrative
quotes. Here they are written as the decoded values they stand for and encoded the way a form
encoder does (urllib: `+` for spaces, percent-escapes for the rest, brackets escaped as InPlayer
sends them). Examples InPlayer documents come from
https://github.com/inplayer-org/docs/blob/master/docs/webhooks.md; event types it documents only
by name are assembled from the resource table of the spec (section 4) and say so in
ASSEMBLED.txt.

Run from the repository root:  python3 tests/vectors/samples.py
"""

import pathlib
import urllib.parse

OUT = pathlib.Path(__file__).resolve().parent.parent.parent / "src/testing/samples/inplayer"


def envelope(id_, created, type_, resource, version="2.4.2"):
    pairs = [("id", id_), ("created", str(created)), ("type", type_)]
    if version:
        pairs.append(("version", version))
    pairs += [(f"resource[{k}]", str(v)) for k, v in resource]
    return urllib.parse.urlencode(pairs)


DOCUMENTED = {}
ASSEMBLED = {}

customer = [("active", "false"), ("completed", "true"), ("created_at", 1547543324),
            ("email", "customer@inplayer.com"), ("full_name", "Customer Name"),
            ("date_of_birth", 1547543324), ("id", 29237), ("merchant_id", 68),
            ("merchant_uuid", "c6f4002f-7415-4eb6-ab03-72b0f7aff0e8"),
            ("referrer", "https://event.inplayer.com/staging?asset=43861"),
            ("updated_at", 1547543324), ("username", "customer@inplayer.com"),
            ("uuid", "5948829d-15da-426b-ab91-6cc586953de2")]
# The docs show one example for both; the update gets an id (and time) of its own, so that the
# two samples are two deliveries, as they are in production.
DOCUMENTED["customer.registered"] = envelope(
    "6c9fb170-e0b8-4559-b442-0c986f6354b8", 1547543325, "customer.registered", customer,
    version=None)
DOCUMENTED["customer.updated"] = envelope(
    "2d1e5a0b-7c43-4f7e-9b1a-3f6c8e2d9a41", 1547543385, "customer.updated", customer,
    version=None)

DOCUMENTED["asset.access.granted"] = envelope(
    "cdcbec0c-06b7-40ed-aefb-9da08c43ba92", 1547556321, "asset.access.granted", [
        ("access_fee_id", 5146), ("consumer_email", "customer@inplayer.com"),
        ("consumer_id", 29238), ("created_at", 1547556321), ("date", "2019-01-15T12:45:21Z"),
        ("expires_at", 1547642721), ("extended", 0), ("is_trial", "false"),
        ("item_access_id", 47487), ("item_id", 43861), ("item_title", "Sample Title"),
        ("merchant_id", 68), ("original_expires_at", 1547642721),
        ("parent_resource_id", "C-m8StiUz3XBZnDRPORWwqIkTfF-ST"), ("payment_method", "Card"),
        ("payment_tool", "Visa 1111"),
        ("purchased_access_fee_description", "sample price description"),
        ("purchased_access_fee_id", 5146), ("purchased_access_fee_type", "ppv"),
        ("purchased_amount", 3), ("purchased_currency_iso", "EUR"),
        ("voucher_code", "FOOrGmv60pT"), ("revoked", "false"), ("starts_at", 1545231639),
        ("type", "purchased")], version=None)

DOCUMENTED["asset.access.revoked"] = envelope(
    "WHE-tyW8QjyCAYeQDOG0", 1559913102, "asset.access.revoked", [
        ("type", "revoked"), ("merchant_id", 68), ("consumer_id", 73),
        ("consumer_email", "example@email.com"), ("item_id", 49306),
        ("item_title", "For Paywall 03"), ("item_access_id", 85950),
        ("voucher_code", "FOOrGmv60pT"), ("created_at", 1559913101),
        ("date", "2019-06-07T13:11:41+0000"), ("starts_at", 1559896473),
        ("expires_at", 1559913101), ("revoked", 1)])

DOCUMENTED["payment.card.success"] = envelope(
    "6437c6bb-eb1a-46b8-aaf3-88cca8869a0e", 1551455676, "payment.card.success", [
        ("access_fee_id", 6113), ("amount", "10.00"), ("code", 200), ("currency_iso", "EUR"),
        ("customer_id", 29894), ("item_id", 4122), ("description", "PPV"),
        ("previewTitle", "Example title"), ("email", "filiptestettas@inplayer.com"),
        ("formatted_amount", "€10.00"), ("status", "success"), ("timestamp", 1551455675),
        ("transaction", "C-MP3obSF5w81JsveRg4LiPV3iS-SC")], version=None)


def success(id_, created, kind, transaction, description, email, customer_id, amount,
            formatted, currency, fee_id, title, extra=()):
    # The documented examples repeat `previewTitle`; the second value is the one read.
    return envelope(id_, created, kind, [
        ("transaction", transaction), ("description", description), ("email", email),
        ("customer_id", customer_id), ("item_id", 4122), ("previewTitle", "Example title"),
        ("formatted_amount", formatted), ("amount", amount), ("currency_iso", currency),
        ("status", "success"), ("timestamp", created - 1), ("code", 200),
        ("access_fee_id", fee_id), ("previewTitle", title), *extra])


DOCUMENTED["subscribe.success"] = success(
    "WHE-jAlBR7bGKGIV2mSr", 1559906599, "subscribe.success", "S-S8CqAw18ihqbgYsxCjIly3MwQ-ST",
    "sub", "example@email.com", 27288, "10.00", "€10.00", "EUR", 3936, "ooyala muse mp4")
DOCUMENTED["external.payment.success"] = success(
    "WHE-yQfbAuScIV59b1Ze", 1559896720, "external.payment.success",
    "C-OnG25z3eKkZWUMmXlvz36oc3S-PP", "test price", "example@email.com", 73, "20.00", "$20.00",
    "USD", 6973, "Asset Title")
DOCUMENTED["external.subscribe.success"] = success(
    "WHE-H3YtX6QP4aTUCXnB", 1559897762, "external.subscribe.success",
    "S-aYPBAwMelYIKG7SOgame8etb1-PP", "For Paywall 03", "test+232@inplayer.com", 33036,
    "50.00", "€50.00", "EUR", 6967, "Asset Title")
DOCUMENTED["external.subscribe.cancel.success"] = success(
    "WHE-FMyb3xJlpdaJTCFq", 1559912055, "external.subscribe.cancel.success",
    "S-n55B9gkzl73lmp5IDjza0HNCH-PP", "Subscription", "example@email.com", 32389, "10.00",
    "€10.00", "EUR", 6471, "Asset Title")

# --- Assembled from the spec's resource table (section 4) --------------------------------------

for n, kind in enumerate(["subscribe.cancelled.success", "subscribe.updated", "subscribe.expired",
                          "external.subscribe.update.success"]):
    ASSEMBLED[kind] = success(
        f"WHE-assembled-s{n}", 1559910000 + n, kind, f"S-assembled{n}-ST", "Monthly",
        "customer@example.com", 27288, "10.00", "€10.00", "EUR", 3936, "Asset Title",
        extra=[("next_rebill_date", 1562502000), ("payment_method", "Card")])
for n, kind in enumerate(["payment.refund.success", "external.payment.refund.success"]):
    ASSEMBLED[kind] = success(
        f"WHE-assembled-r{n}", 1559920000 + n, kind, f"C-assembled{n}-SC", "PPV",
        "customer@example.com", 29894, "5.00", "€5.00", "EUR", 6113, "Asset Title",
        extra=[("is_partial", 1), ("note", "Partial refund: 5.00 of 10.00")])
ASSEMBLED["freemium.grant.success"] = success(
    "WHE-assembled-f0", 1559930000, "freemium.grant.success", "F-assembled0-FR", "Free access",
    "customer@example.com", 29894, "0.00", "€0.00", "EUR", 6114, "Asset Title")

failures = ["freemium.grant.failed", "payment.card.failed", "payment.refund.failed",
            "subscribe.failed", "subscribe.cancelled.failed", "external.payment.failed",
            "external.subscribe.failed", "external.subscribe.update.failed",
            "external.subscribe.cancel.failed", "external.payment.refund.failed"]
for n, kind in enumerate(failures):
    ASSEMBLED[kind] = envelope(f"WHE-assembled-e{n}", 1559940000 + n, kind, [
        ("account_id", 29894), ("code", 422), ("explain", "The card was declined."),
        ("extras", '{"decline_code":"insufficient_funds"}'),
        ("message", "Your card has insufficient funds.")])

ASSEMBLED["customer.password.updated"] = envelope(
    "WHE-assembled-p0", 1559950000, "customer.password.updated", [
        ("merchant_id", 68), ("customer_id", 29237), ("email", "customer@inplayer.com"),
        ("timestamp", 1559950000)])

assert len(DOCUMENTED) + len(ASSEMBLED) == 27, len(DOCUMENTED) + len(ASSEMBLED)
OUT.mkdir(parents=True, exist_ok=True)
for kind, body in {**DOCUMENTED, **ASSEMBLED}.items():
    (OUT / f"{kind}.form").write_text(body)
(OUT / "ASSEMBLED.txt").write_text(
    "Event types InPlayer documents only by name; their samples are assembled from the\n"
    "resource table of the spec (section 4), not copied from an example:\n\n"
    + "".join(f"{kind}\n" for kind in sorted(ASSEMBLED))
    # Written by hand, from the fields the spec's Decisions list (not by this script):
    + "\nEvent types only InPlayer's unmerged documentation branches describe (added-hook-subscribe-pending,\n"
    "Update-webhooks); their samples are assembled from the fields the spec's Decisions list:\n\n"
    "subscribe.pending\nsubscription.rebill.failed\n")
print(f"wrote {len(DOCUMENTED)} documented and {len(ASSEMBLED)} assembled samples to {OUT}")


# --- Voximplant: one sample per callback kind, hashed with the testing module's credentials ------

import hashlib
import json

VOX_OUT = OUT.parent / "voximplant"
TEST_SALT = "hookproof-test-salt"
TEST_API_KEY = "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
ACCOUNT_ID = 123456


def number(token):
    """A JSON number written exactly as given (json.dumps would turn 12.50 into 12.5)."""
    return f"__NUMBER:{token}__"


def callback(callback_id, kind, data):
    digest = hashlib.md5(f"{TEST_SALT}{ACCOUNT_ID}{TEST_API_KEY}{callback_id}".encode()).hexdigest()
    fields = {"callback_id": callback_id, "type": kind, "account_id": ACCOUNT_ID, "hash": digest,
              "account_name": "acme", "account_email": "ops@example.com", "language_code": "en",
              "account_first_name": "Ada", "account_last_name": "Lovelace",
              "balance": number("12.50"), "currency": "USD"}
    if data is not None:
        fields[kind] = data
    return fields


def body(*callbacks):
    text = json.dumps({"callbacks": list(callbacks)}, ensure_ascii=False, indent=2)
    while "__NUMBER:" in text:
        start = text.index('"__NUMBER:')
        end = text.index('__"', start)
        text = text[:start] + text[start + len('"__NUMBER:'):end] + text[end + 3:]
    return text + "\n"


subscriptions = [{"type": "PHONE_NUM", "name": "+15551234567", "cost": number("1.00"),
                  "next_renewal": "2026-12-01",
                  "details": [{"type": "PHONE", "phone_numbers": [
                      {"phone_id": 77, "phone_number": "15551234567"}]}]},
                 {"type": "SIP_REGISTRATION", "name": "sip.example.com", "cost": number("2.50"),
                  "next_renewal": "2026-12-01",
                  "details": [{"type": "SIP_REGISTRATION", "sip_registrations": [
                      {"sip_registration_id": 9001}]}]}]
report = {"history_report_id": 555, "success": True, "order_date": "2026-11-20 10:00:00"}
payment = {"transaction_id": 987654, "transaction_type": "payment", "amount": number("100.00")}

VOXIMPLANT = {
    "account_document_uploaded": {"account_document_id": 11, "uploaded": "2026-11-20 10:00:00",
                                  "verification_name": "passport", "legal_status": "individual"},
    "regulation_address_uploaded": {"regulation_address_id": 21, "uploaded": "2026-11-20 10:00:00",
                                    "is_individual": True, "regulation_address_name": "Home"},
    "account_document_verified": {"account_document_id": 11, "account_document_status": "VERIFIED",
                                  "uploaded": "2026-11-20 10:00:00", "verification_name": "passport",
                                  "legal_status": "individual"},
    "account_is_frozen": {}, "account_is_unfrozen": {}, "activate_successful": {},
    "call_history_report": report,
    "card_expired": {}, "card_expires_in_month": {},
    "card_payment": payment, "card_payment_failed": {},
    "robokassa_payment": payment, "wire_transfer": payment,
    "js_fail": {},
    "min_balance": {"is_min_credit": False, "is_repeated": False},
    "regulation_address_verified": {"regulation_address_id": 21, "regulation_address_status": "VERIFIED",
                                    "uploaded": "2026-11-20 10:00:00", "is_individual": True,
                                    "regulation_address_name": "Home"},
    "renewed_subscriptions": {"subscriptions": subscriptions},
    "reset_account_password_request": {},
    "sip_registration_fail": {"sip_registrations": [
        {"sip_registration_id": 9001, "status_code": "403", "error_message": "Forbidden"}]},
    "sip_registration_recovered": {"sip_registrations": [{"sip_registration_id": 9001}]},
    "subscription_is_frozen": {"subscriptions": subscriptions},
    "subscription_is_detached": {"subscriptions": [
        {k: v for k, v in s.items() if k not in ("cost", "next_renewal")} for s in subscriptions]},
    "transaction_history_report": report,
    "unverified_subscription_detached": {"subscriptions": [
        {k: v for k, v in s.items() if k not in ("cost", "next_renewal")} for s in subscriptions]},
    "expiring_callerid": {"callerids": ["15551234567"], "expiration_date": "2026-12-15"},
    # Voximplant's generated clients wrap these three in a member of the same name.
    "transcription_complete": {"transcription_complete": {
        "record_url": "https://storage.example.com/records/1.mp3",
        "transcription_url": "https://api.example.com/transcriptions/1",
        "call_session_history_id": 424242, "transcription_cost": number("0.0200")}},
    "sms_inbound": {"sms_inbound": {"source_number": "15557654321",
                                    "destination_number": "15551234567", "sms_body": "Hello ✓"}},
    "phone_number_activation_status_changed": {"phone_number_activation_status_changed": {
        "phone_number": "15551234567", "activation_status": "ACTIVE"}},
    "expiring_agreement": {"expiration_date": "2026-12-10", "until_expiration": 20},
    "expired_agreement": {"document_ids": [31, 32]},
    "restored_agreement_status": {"document_id": 31, "expiration_date": "2027-01-10"},
    "next_charge_alert": {"required_money": number("30"), "insufficient_funds_amount": number("17")},
    "certificate_expired": {},
    "expired_certificates": {"certificates": [
        {"push_credential_id": 5, "cert_file_name": "voip.p12", "expiration_date": "2026-11-01",
         "applications": ["app.example"]}]},
    "expiring_certificates": {"certificates": [
        {"push_credential_id": 6, "cert_file_name": "voip2.p12", "expiration_date": "2026-12-01"}]},
    "account_document_status_updated": {
        "account_document_id": 11, "previous_account_document_status": "AWAITING_VERIFICATION",
        "account_document_status": "VERIFIED", "update_time": "2026-11-20 10:00:00",
        "legal_status": "INDIVIDUAL"},
    "a2p_sms_activated": {"a2p_enabled": True},
    "regulation_address_documents_requested": {
        "regulation_address_id": 21, "regulation_address_name": "Home",
        "regulation_address_status": "PENDING", "update_time": "2026-11-20 10:00:00",
        "is_individual": True, "comment": "Please upload a utility bill"},
    "invoice_received": {"invoice_id": 808, "invoice_date": "2026-11-01 00:00:00",
                         "receival_date": "2026-11-01 00:05:00", "amount": "120.00",
                         "tax_amount": "24.00", "currency": "USD"},
    "batch_task_cancelling_completed": {"batch_id": 3131, "cancelled_tasks_number": 12},
}
assert len(VOXIMPLANT) == 40, len(VOXIMPLANT)
VOX_OUT.mkdir(parents=True, exist_ok=True)
for n, (kind, data) in enumerate(VOXIMPLANT.items()):
    (VOX_OUT / f"{kind}.json").write_text(body(callback(1000 + n, kind, data)))
print(f"wrote {len(VOXIMPLANT)} Voximplant samples to {VOX_OUT}")


# --- Cedar: no body is documented; the samples carry the signed `id` and `status` ----------------

CEDAR_OUT = OUT.parent / "cedar"
CEDAR = {
    "BusinessKycStatusChanged": (1234, "VALID"),
    "BusinessExternalAccountStatusChanged": (5678, "VERIFIED"),
    "BusinessRequestStatusChanged": (91011, "OnOff_COMPLETED"),
    "BusinessRequestPayoutConfirmationStatusChanged": (91011, "COMPLETED"),
}
CEDAR_OUT.mkdir(parents=True, exist_ok=True)
for kind, (id_, status) in CEDAR.items():
    (CEDAR_OUT / f"{kind}.json").write_text(
        json.dumps({"event": kind, "id": id_, "status": status}) + "\n")
print(f"wrote {len(CEDAR)} Cedar samples to {CEDAR_OUT}")


# --- Platfone: no payload is documented; assembled after Platfone's REST Activation object --------

PLATFONE_OUT = OUT.parent / "platfone"
activation = {"activation_id": "act_7", "phone": "+447700900123", "country_id": "uk",
              "service_id": "wa", "sms_status": "smsReceived", "activation_status": "active",
              "billing_status": "billed", "report_status": None, "sms_code": "123456",
              "sms_text": "Your code is 123456", "price": number("0.25"), "expire_at": 1767229200,
              "updated_at": 1767225600, "created_at": 1767225000, "is_retriable": True,
              "cancelable_after": None}
reported = dict(activation, report_status="inReview")
PLATFONE = {
    "account.low_balance": {"balance": number("4.20"), "threshold": number("10.00")},
    "activation.updated": activation,
    "activation_report.updated": reported,
    "customer.low_balance": {"customer_id": "cus_42", "balance": number("0.50")},
    "customer.updated": {"customer_id": "cus_42", "status": "blocked"},
    "customer.activation.updated": dict(activation, customer_id="cus_42"),
    "customer.activation_report.updated": dict(reported, customer_id="cus_42"),
    "alternative.activation.updated": dict(activation, sms_status="smsRequested", sms_code=None,
                                           sms_text=None),
}
PLATFONE_OUT.mkdir(parents=True, exist_ok=True)
for n, (kind, data) in enumerate(PLATFONE.items()):
    text = json.dumps({"id": f"evt_{n + 1:04}", "type": kind, "data": data}, indent=2)
    while "__NUMBER:" in text:
        start = text.index('"__NUMBER:')
        end = text.index('__"', start)
        text = text[:start] + text[start + len('"__NUMBER:'):end] + text[end + 3:]
    (PLATFONE_OUT / f"{kind}.json").write_text(text + "\n")
print(f"wrote {len(PLATFONE)} Platfone samples to {PLATFONE_OUT}")
