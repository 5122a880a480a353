"""Open311 partners: create one (its key shown once), list, revoke, and check a key.

``authenticate`` reads the partner on every request (one consistent GetItem, no
cache), so a revoked key is refused from the next request on.
"""

from __future__ import annotations

from pendopo.domain.clock import Clock
from pendopo.domain.partners import (
    NewPartner,
    Partner,
    PartnerKeyRefused,
    key_matches,
    key_partner_id,
    new_partner,
)
from pendopo.runtime.observability import logger
from pendopo.storage.partners import PartnerIdTaken, PartnerNotFound, PartnerStore

MAX_ATTEMPTS = 5

__all__ = ["PartnerNotFound", "PartnerService"]


class PartnerService:
    def __init__(self, store: PartnerStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def create(self, name: str, *, key: str | None = None) -> NewPartner:
        """A new partner and its key; ``key`` fixes it (the local demo partner)."""
        for _ in range(MAX_ATTEMPTS):
            new = new_partner(name, self._clock.now(), key=key)
            try:
                self._store.add(new.partner)
            except PartnerIdTaken:
                if key is not None:
                    raise
                continue  # 36^8 ids: a collision is rare; draw again
            logger.info("Partner created", extra={"partner_id": new.partner.partner_id})
            return new
        raise PartnerIdTaken("no free partner id after several draws")

    def list(self) -> list[Partner]:
        return sorted(self._store.list(), key=lambda p: (p.created_at, p.partner_id))

    def revoke(self, partner_id: str) -> Partner:
        partner = self._store.revoke(partner_id.strip().lower(), self._clock.now())
        logger.info("Partner revoked", extra={"partner_id": partner.partner_id})
        return partner

    def authenticate(self, key: str | None) -> Partner:
        """The active partner whose key this is; PartnerKeyRefused (403) otherwise."""
        partner_id = key_partner_id(key) if key else None
        partner = self._store.get(partner_id) if partner_id else None
        if key is None or partner is None or not key_matches(key, partner):
            raise PartnerKeyRefused
        return partner
