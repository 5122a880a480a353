"""tools/local/totp.py against RFC 6238's own test vectors, and against the
``cryptography`` package's TOTP (the one moto uses)."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP

from tools.local import totp
from tools.local.accounts import DEMO_TOTP_SECRET

# RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890", 8 digits.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
RFC_VECTORS = {
    59: "94287082",
    1111111109: "07081804",
    1111111111: "14050471",
    1234567890: "89005924",
    2000000000: "69279037",
    20000000000: "65353130",
}


def test_codes_match_the_rfc_vectors() -> None:
    for unix_time, expected in RFC_VECTORS.items():
        assert totp.code_at(RFC_SECRET, unix_time, digits=8) == expected


def test_six_digit_codes_match_the_cryptography_package() -> None:
    reference = TOTP(base64.b32decode(DEMO_TOTP_SECRET), 6, SHA1(), 30)  # noqa: S303 - RFC 6238
    for unix_time in (0, 29, 30, 1_750_000_000, 1_750_000_017):
        assert totp.code_at(DEMO_TOTP_SECRET, unix_time) == reference.generate(unix_time).decode()


def test_a_code_matches_its_own_step_and_one_step_either_side_only() -> None:
    now = 1_750_000_000.0
    code = totp.code_at(DEMO_TOTP_SECRET, now)
    assert totp.matches(DEMO_TOTP_SECRET, code, now)
    assert totp.matches(DEMO_TOTP_SECRET, code, now + 30)
    assert totp.matches(DEMO_TOTP_SECRET, code, now - 30)
    assert not totp.matches(DEMO_TOTP_SECRET, code, now + 90)
    assert not totp.matches(DEMO_TOTP_SECRET, "12345", now)
    assert not totp.matches(DEMO_TOTP_SECRET, "abcdef", now)


def test_new_secrets_are_32_base32_characters_and_differ() -> None:
    first, second = totp.new_secret(), totp.new_secret()
    assert len(first) == 32 and first != second
    assert len(base64.b32decode(first)) == 20
    # The demo secret is a valid key too, and published in lower or upper case alike.
    assert totp.code_at(DEMO_TOTP_SECRET.lower(), 59) == totp.code_at(DEMO_TOTP_SECRET, 59)
