"""Open311 partner keys: random, stored as a hash, checked in constant time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from pendopo.domain.partners import (
    PartnerNameInvalid,
    key_hash,
    key_matches,
    key_partner_id,
    new_partner,
    partner_name,
)

NOW = datetime(2025, 6, 10, 1, 0, tzinfo=UTC)


def test_a_new_key_names_its_partner_and_only_its_hash_is_kept() -> None:
    new = new_partner("  Aplikasi   JAKI ", NOW)
    partner_id, secret = new.key.split(".")
    assert partner_id == new.partner.partner_id and len(partner_id) == 8
    assert len(secret) >= 43  # 32 random bytes
    assert new.partner.name == "Aplikasi JAKI"
    assert new.partner.key_hash == key_hash(new.key) != new.key
    assert new.key not in repr(new.partner)


def test_two_keys_differ() -> None:
    assert new_partner("A1", NOW).key != new_partner("A1", NOW).key


def test_only_the_right_key_of_an_active_partner_matches() -> None:
    new = new_partner("Mitra", NOW)
    assert key_matches(new.key, new.partner)
    assert not key_matches(new.key + "x", new.partner)
    assert not key_matches(new.key, replace(new.partner, revoked_at=NOW))


@pytest.mark.parametrize(
    "text", ["", "abc", "ABCDEFGH.0123456789abcdef", "abcdefgh", "abcdefgh.short", "a b.c"]
)
def test_text_that_is_no_key_names_no_partner(text: str) -> None:
    assert key_partner_id(text) is None


def test_a_fixed_key_is_taken_as_given() -> None:
    new = new_partner("Demo", NOW, key="demo0311.kunci-demo-lokal-open311")
    assert new.partner.partner_id == "demo0311"
    with pytest.raises(ValueError):
        new_partner("Demo", NOW, key="bukan kunci")


@pytest.mark.parametrize("name", ["", "A", "x" * 101, "Mitra\u202e"])
def test_a_partner_name_must_be_short_printable_text(name: str) -> None:
    with pytest.raises(PartnerNameInvalid):
        partner_name(name)
