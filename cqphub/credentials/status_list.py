"""Bitstring Status List v1.0: revocation bits, their encoding, and the status list credential.

`encodedList` is the multibase base64url (no padding, prefix `u`) of the GZIP-compressed bitstring;
bit 0 is the left-most (most significant) bit of the first byte; a list holds at least 131,072 bits
(16 KiB) so that one revoked credential hides among many (§ "Bitstring Encoding", "Privacy").

Pure module: no Django import.
"""

from __future__ import annotations

import base64
import gzip
from dataclasses import dataclass

MIN_BITS = 131_072
PURPOSE = "revocation"


class StatusList:
    """A mutable bitstring of `size` bits (all 0 = nothing revoked)."""

    def __init__(self, size: int = MIN_BITS, data: bytes | None = None):
        if size < MIN_BITS or size % 8:
            raise ValueError(f"a status list holds a multiple of 8 bits, at least {MIN_BITS}")
        self.size = size
        self.bits = bytearray(data) if data is not None else bytearray(size // 8)
        if len(self.bits) * 8 != size:
            raise ValueError("data does not match the list size")

    def _check(self, index: int) -> None:
        if not 0 <= index < self.size:
            raise IndexError(f"status index {index} outside 0..{self.size - 1}")

    def get(self, index: int) -> bool:
        self._check(index)
        return bool(self.bits[index >> 3] & (0x80 >> (index & 7)))

    def set(self, index: int, value: bool = True) -> None:
        self._check(index)
        if value:
            self.bits[index >> 3] |= 0x80 >> (index & 7)
        else:
            self.bits[index >> 3] &= ~(0x80 >> (index & 7)) & 0xFF

    def encode(self) -> str:
        compressed = gzip.compress(bytes(self.bits), compresslevel=9, mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, encoded: str) -> StatusList:
        if not encoded.startswith("u"):
            raise ValueError("encodedList must be multibase base64url ('u...')")
        body = encoded[1:]
        raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        return cls(len(raw) * 8, raw)

    def revoked(self) -> list[int]:
        return [
            position * 8 + bit
            for position, byte in enumerate(self.bits)
            if byte
            for bit in range(8)
            if byte & (0x80 >> bit)
        ]


@dataclass(frozen=True)
class StatusEntry:
    list_url: str  # the status list credential's URL
    index: int
    purpose: str = PURPOSE

    def as_json(self) -> dict:
        return {
            "id": f"{self.list_url}#{self.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": self.purpose,
            "statusListIndex": str(self.index),
            "statusListCredential": self.list_url,
        }


def status_list_credential(*, list_url: str, issuer: str, status_list: StatusList, valid_from: str) -> dict:
    """The (unsigned) BitstringStatusListCredential for `status_list`."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": status_list.encode(),
        },
    }


def is_revoked(entry: dict, list_credential: dict) -> bool:
    """Read the bit a credential's `credentialStatus` points at in a status list credential."""
    subject = list_credential["credentialSubject"]
    if entry.get("statusListCredential") != list_credential.get("id"):
        raise ValueError("the entry points at another status list")
    if subject.get("statusPurpose") != entry.get("statusPurpose"):
        raise ValueError("status purposes differ")
    return StatusList.decode(subject["encodedList"]).get(int(entry["statusListIndex"]))
