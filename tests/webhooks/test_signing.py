"""Signatures: the Standard Webhooks scheme, checked as a receiver would."""

import base64
import hashlib
import hmac

import pytest

from app.webhooks import signing

BODY = b'{"id":"d1","type":"assessment.approved"}'


def test_signature_is_hmac_sha256_of_id_timestamp_and_body():
    secret = signing.new_secret()
    header = signing.sign(secret, "d1", 1_700_000_000, BODY)
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = hmac.new(key, b"d1.1700000000." + BODY, hashlib.sha256).digest()
    assert header == "v1," + base64.b64encode(expected).decode()


def test_verify_accepts_the_signature_and_refuses_tampering():
    secret = signing.new_secret()
    header = signing.sign(secret, "d1", 1000, BODY)
    assert signing.verify(secret, "d1", 1000, BODY, header, now=1010)
    assert not signing.verify(secret, "d1", 1000, BODY + b" ", header, now=1010)
    assert not signing.verify(secret, "d2", 1000, BODY, header, now=1010)
    assert not signing.verify(signing.new_secret(), "d1", 1000, BODY, header, now=1010)
    assert not signing.verify(secret, "d1", 1000, BODY, header, now=1000 + 301)  # replayed late


def test_secrets_are_random_and_well_formed():
    first, second = signing.new_secret(), signing.new_secret()
    assert first != second
    assert len(signing.key_of(first)) == 32


@pytest.mark.parametrize(
    "secret",
    ["hemmelig", "whsec_", "whsec_ikke base64!", "whsec_" + base64.b64encode(b"kort").decode()],
)
def test_malformed_secrets_are_refused(secret):
    with pytest.raises(ValueError):
        signing.key_of(secret)
