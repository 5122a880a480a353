"""Who may receive email from the training stage: the trainees' own addresses.

A training stage (template parameter ``TrainingMode=on``) holds practice data, and its
recipients (``recipients.json``) may still name real coordinators, verifiers and
leaders. Its ``TrainingEmailAllowList`` (environment ``EMAIL_ALLOW_LIST``) names the
only addresses mail may go to: whole addresses (``sari@jakarta.go.id``) or whole
domains (``@pelatihan.jakarta.go.id``), compared without regard to case. Everything
else is dropped where mail is sent (``pendopo.services.send_once``), counted, and
logged without the address. An empty list with training on lets nothing out.

An SMS sender, once there is one, takes the same list (phone numbers as entries).
Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self


class InvalidAllowList(ValueError):
    """An entry is neither an address nor an ``@domain``."""


@dataclass(frozen=True, slots=True)
class RecipientAllowList:
    addresses: frozenset[str]
    domains: frozenset[str]  # without the "@"

    @classmethod
    def parse(cls, text: str) -> Self:
        """``"a@x.id, @latih.example"``: addresses and ``@domains``, comma-separated."""
        addresses: set[str] = set()
        domains: set[str] = set()
        for raw in text.split(","):
            entry = raw.strip().lower()
            if not entry:
                continue
            local, at, domain = entry.rpartition("@")
            if not at or not domain or "@" in local or any(c.isspace() for c in entry):
                # The entry's position, not its text: it may be an address.
                raise InvalidAllowList("an allow-list entry is not an address or an @domain")
            if local:
                addresses.add(entry)
            else:
                domains.add(domain)
        return cls(frozenset(addresses), frozenset(domains))

    def allows(self, address: str) -> bool:
        normalised = address.strip().lower()
        if normalised in self.addresses:
            return True
        _, at, domain = normalised.rpartition("@")
        return bool(at) and domain in self.domains
