"""The training stage's email allow-list (pendopo.domain.allow_list) and its settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pendopo.domain.allow_list import InvalidAllowList, RecipientAllowList
from pendopo.runtime.settings import EmailSettings


def test_addresses_and_domains_are_allowed_without_regard_to_case() -> None:
    allowed = RecipientAllowList.parse(" Sari@Jakarta.go.id, @latih.example ,, ")
    assert allowed.allows("sari@jakarta.go.id")
    assert allowed.allows("SARI@JAKARTA.GO.ID")
    assert allowed.allows("siapa.saja@LATIH.example")
    assert not allowed.allows("koordinator.biro-plh@pendopo.example")
    assert not allowed.allows("budi@jakarta.go.id")  # the address, not its domain
    assert not allowed.allows("x@sub.latih.example")  # a domain is exact
    assert not allowed.allows("latih.example")


def test_an_empty_list_allows_nobody() -> None:
    nobody = RecipientAllowList.parse("")
    assert not nobody.allows("sari@jakarta.go.id")


@pytest.mark.parametrize("text", ["sari", "sari@", "a@b@c.id", "sari @x.id", "latih.example"])
def test_an_entry_that_is_not_an_address_is_refused_without_echoing_it(text: str) -> None:
    with pytest.raises(InvalidAllowList) as refused:
        RecipientAllowList.parse(text)
    assert text not in str(refused.value)


def test_settings_read_training_mode_and_validate_the_list_at_cold_start() -> None:
    on = EmailSettings.from_env({"TRAINING_MODE": "on", "EMAIL_ALLOW_LIST": "@latih.example"})
    assert on.training_mode is True and on.email_allow_list == "@latih.example"
    assert EmailSettings.from_env({"TRAINING_MODE": "off"}).training_mode is False
    assert EmailSettings.from_env({}).training_mode is False  # production's default
    with pytest.raises(ValidationError):
        EmailSettings.from_env({"TRAINING_MODE": "on", "EMAIL_ALLOW_LIST": "not-an-address"})


def test_phone_entries_allow_the_reporters_sms_to_those_numbers_only() -> None:
    # The reporter's phone is kept as E.164 (+62...); entries may be written as officers do.
    allowed = RecipientAllowList.parse("0812-0000-1111, +6281300002222, @latih.example")
    assert allowed.allows("+6281200001111")
    assert allowed.allows("+6281300002222")
    assert not allowed.allows("+6281399998888")
    assert allowed.allows("peserta@latih.example")  # addresses still work beside numbers
    assert not RecipientAllowList.parse("@latih.example").allows("+6281200001111")
