"""Ticket numbers a citizen can read aloud, and tracking codes nobody can guess.

A ticket looks like ``2506-4821-7734``: the year and month of receipt (WIB),
then seven random digits and a Damm check digit. The check digit catches
every single wrong digit and every swap of two neighbours, the mistakes
people make when they read a number aloud or type it. Uniqueness needs no
counter and no scan: the complaint is written on the condition that its
ticket does not exist yet, and a rare collision draws again.

The tracking code is a separate secret (40 random bits from an alphabet
without look-alike characters). The complaint stores only a slow, salted hash
of it (scrypt, the ticket as salt): online guessing meets 404s and throttling,
and a leaked copy of the table costs an attacker months of work per ticket.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

from pendopo.domain.clock import to_wib

_DAMM_TABLE = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

RANDOM_DIGITS = 7
TICKET_PATTERN = re.compile(r"^\d{4}-\d{4}-\d{4}$")
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: no look-alikes
TRACKING_LENGTH = 8


def damm_check_digit(digits: str) -> int:
    interim = 0
    for char in digits:
        interim = _DAMM_TABLE[interim][int(char)]
    return interim


def new_ticket(received_at: datetime) -> str:
    local = to_wib(received_at)
    body = f"{local:%y%m}{secrets.randbelow(10**RANDOM_DIGITS):0{RANDOM_DIGITS}d}"
    digits = body + str(damm_check_digit(body))
    return f"{digits[0:4]}-{digits[4:8]}-{digits[8:12]}"


def normalize_ticket(text: str) -> str | None:
    """The canonical ticket for what a person typed, or None if it cannot be one.

    Spaces, dots and dashes anywhere are forgiven; a wrong check digit is not.
    """
    digits = re.sub(r"[\s.\-]", "", text)
    if len(digits) != 12 or not digits.isascii() or not digits.isdigit():
        return None
    if damm_check_digit(digits) != 0:
        return None
    month = int(digits[2:4])
    if not 1 <= month <= 12:
        return None
    return f"{digits[0:4]}-{digits[4:8]}-{digits[8:12]}"


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_tracking_code(text: str) -> str | None:
    raw = re.sub(r"[\s\-]", "", text).upper()
    if len(raw) != TRACKING_LENGTH or any(c not in TRACKING_ALPHABET for c in raw):
        return None
    return f"{raw[:4]}-{raw[4:]}"


# scrypt cost: 2**13 rounds, 8 MiB of memory, about 20 ms on one core; run once
# when a complaint is created and once per tracking request.
_SCRYPT_COST = 2**13


def tracking_hash(ticket: str, tracking_code: str) -> str:
    """What is stored instead of the code."""
    digest = hashlib.scrypt(
        tracking_code.encode(),
        salt=f"pendopo:{ticket}".encode(),
        n=_SCRYPT_COST,
        r=8,
        p=1,
        dklen=32,
    )
    return digest.hex()


def tracking_code_matches(ticket: str, tracking_code: str, stored_hash: str) -> bool:
    return hmac.compare_digest(tracking_hash(ticket, tracking_code), stored_hash)
