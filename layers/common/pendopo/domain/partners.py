"""Open311 partners and their keys: pure, so every rule here is tested without AWS.

A key reads ``<partner id>.<secret>``: the id (8 characters) names the partner's item,
so checking a key is one GetItem, and the secret is 32 random bytes from ``secrets``
(43 URL-safe characters). Only the key's SHA-256 is stored. A fast hash is enough
here, unlike the tracking code's scrypt (``domain.identifiers``): a slow hash makes
each guess of a *guessable* secret costly, and a 256-bit random secret is not
guessable, fast hash or not; a slow one would only add its cost to every request.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus

from pendopo.domain.errors import PendopoError

PARTNER_ID_ALPHABET = string.ascii_lowercase + string.digits
PARTNER_ID_LENGTH = 8
SECRET_BYTES = 32
MAX_NAME = 100
_KEY = re.compile(rf"^([a-z0-9]{{{PARTNER_ID_LENGTH}}})\.([A-Za-z0-9_\-]{{16,128}})$")


class PartnerKeyRefused(PendopoError):
    """No key, or a key that is unknown, wrong or revoked (HTTP 403, as Open311 says)."""

    status = HTTPStatus.FORBIDDEN
    message = "api_key tidak ada, tidak dikenal, atau sudah dicabut."


class PartnerNameInvalid(ValueError):
    """A partner name an operator typed cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class Partner:
    partner_id: str
    name: str
    key_hash: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class NewPartner:
    partner: Partner
    key: str  # shown once to the operator; only its hash is stored


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_partner_id(key: str) -> str | None:
    """The partner a key names, or None for text that is no key at all."""
    match = _KEY.match(key)
    return match.group(1) if match else None


def key_matches(key: str, partner: Partner) -> bool:
    """Whether ``key`` is this active partner's key (compared in constant time)."""
    return partner.active and hmac.compare_digest(key_hash(key), partner.key_hash)


def partner_name(text: str) -> str:
    name = " ".join(text.split())
    if not 2 <= len(name) <= MAX_NAME:
        raise PartnerNameInvalid(f"Nama mitra harus 2 sampai {MAX_NAME} karakter.")
    if any(not char.isprintable() for char in name):
        raise PartnerNameInvalid("Nama mitra mengandung karakter yang tidak diperbolehkan.")
    return name


def new_partner(name: str, now: datetime, *, key: str | None = None) -> NewPartner:
    """A partner with a fresh key; ``key`` fixes it (the local stack's demo partner only)."""
    if key is None:
        partner_id = "".join(secrets.choice(PARTNER_ID_ALPHABET) for _ in range(PARTNER_ID_LENGTH))
        key = f"{partner_id}.{secrets.token_urlsafe(SECRET_BYTES)}"
    named = key_partner_id(key)
    if named is None:
        raise ValueError("a partner key reads <8 lower-case letters or digits>.<secret>")
    partner = Partner(
        partner_id=named,
        name=partner_name(name),
        key_hash=key_hash(key),
        created_at=now,
    )
    return NewPartner(partner=partner, key=key)
