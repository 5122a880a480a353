"""Who may receive email from the training stage: the trainees' own addresses.

A training stage (template parameter ``TrainingMode=on``) holds practice data, and its
recipients (``recipients.json``) may still name real coordinators, verifiers and
leaders. Its ``TrainingEmailAllowList`` (environment ``EMAIL_ALLOW_LIST``) names the
only addresses mail may go to: whole addresses (``sari@jakarta.go.id``) or whole
domains (``@pelatihan.jakarta.go.id``), compared without regard to case. Everything
else is dropped where mail is sent (``pendopo.services.send_once``), counted, and
logged without the address. An empty list with training on lets nothing out.

The reporter's SMS take the same list: its phone entries (``+6281234567890`` or
``081234567890``, compared as E.164) are the only numbers a training stage texts.
Pure Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Self

# A phone entry: an Indonesian number written as +62..., 62... or 0..., with the
# spaces and dashes people write numbers with.
_PHONE_ENTRY = re.compile(r"\+?\d[\d -]{6,22}\d")


class InvalidAllowList(ValueError):
    """An entry is neither an address nor an ``@domain``."""


@dataclass(frozen=True, slots=True)
class RecipientAllowList:
    addresses: frozenset[str]
    domains: frozenset[str]  # without the "@"
    phones: frozenset[str] = field(default_factory=frozenset)  # E.164, "+62..."

    @classmethod
    def parse(cls, text: str) -> Self:
        """``"a@x.id, @latih.example"``: addresses and ``@domains``, comma-separated."""
        addresses: set[str] = set()
        domains: set[str] = set()
        phones: set[str] = set()
        for raw in text.split(","):
            entry = raw.strip().lower()
            if not entry:
                continue
            if _PHONE_ENTRY.fullmatch(entry):
                phones.add(_e164(entry))
                continue
            local, at, domain = entry.rpartition("@")
            if not at or not domain or "@" in local or any(c.isspace() for c in entry):
                # The entry's position, not its text: it may be an address.
                raise InvalidAllowList("an allow-list entry is not an address or an @domain")
            if local:
                addresses.add(entry)
            else:
                domains.add(domain)
        return cls(frozenset(addresses), frozenset(domains), frozenset(phones))

    def allows(self, address: str) -> bool:
        """An email address, or a phone number in E.164 (the reporter's SMS)."""
        if _PHONE_ENTRY.fullmatch(address.strip()):
            return _e164(address.strip()) in self.phones
        normalised = address.strip().lower()
        if normalised in self.addresses:
            return True
        _, at, domain = normalised.rpartition("@")
        return bool(at) and domain in self.domains


def _e164(number: str) -> str:
    """``081234567890``, ``6281234567890`` and ``+6281234567890`` alike: ``+62...``."""
    digits = "".join(c for c in number if c.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return "+" + digits
