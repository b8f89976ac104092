"""Bitstring Status List v1.0: bit positions, encoding, the status list credential."""

import base64
import gzip

import pytest

from cqphub.credentials import signing, status_list
from tests.credentials.conftest import LIST_URL


def test_index_zero_is_the_left_most_bit_of_the_first_byte():
    bits = status_list.StatusList()
    bits.set(0)
    bits.set(9)
    bits.set(131_071)
    assert bits.bits[0] == 0b1000_0000
    assert bits.bits[1] == 0b0100_0000
    assert bits.bits[-1] == 0b0000_0001
    assert bits.revoked() == [0, 9, 131_071]
    bits.set(9, False)
    assert not bits.get(9) and bits.revoked() == [0, 131_071]


def test_encoding_is_multibase_base64url_of_gzip_and_round_trips():
    bits = status_list.StatusList()
    for index in (3, 4_096, 77_777):
        bits.set(index)
    encoded = bits.encode()
    assert encoded.startswith("u") and "=" not in encoded and "+" not in encoded and "/" not in encoded
    body = encoded[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert len(raw) == 16_384  # 131,072 bits, the minimum
    assert status_list.StatusList.decode(encoded).revoked() == [3, 4_096, 77_777]
    assert bits.encode() == encoded  # deterministic (gzip mtime 0)


@pytest.mark.parametrize("size", [8, 131_064, 131_073])
def test_short_or_ragged_lists_are_refused(size):
    with pytest.raises(ValueError):
        status_list.StatusList(size)


def test_out_of_range_index_is_refused():
    with pytest.raises(IndexError):
        status_list.StatusList().set(131_072)


def test_entry_and_credential_link_up_and_sign(key_store):
    entry = status_list.StatusEntry(LIST_URL, 42).as_json()
    assert entry == {
        "id": f"{LIST_URL}#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": LIST_URL,
    }
    bits = status_list.StatusList()
    bits.set(42)
    credential = status_list.status_list_credential(
        list_url=LIST_URL, issuer=key_store.issuer(), status_list=bits, valid_from="2026-06-15T00:00:00Z"
    )
    assert credential["credentialSubject"]["id"] == f"{LIST_URL}#list"
    signed = signing.sign(credential, key_store.active_key().signing_key())
    assert signing.verify(signed, key_store.resolve).verified
    assert status_list.is_revoked(entry, signed)
    assert not status_list.is_revoked(status_list.StatusEntry(LIST_URL, 43).as_json(), signed)
    with pytest.raises(ValueError):
        status_list.is_revoked(status_list.StatusEntry("https://other.example/list", 42).as_json(), signed)
