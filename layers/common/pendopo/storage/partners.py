"""Open311 partners in the table: one partition (``PARTNER``), one item per partner.

Checking a key is one strongly consistent GetItem, so a revoked key is refused by
the very next request; listing is one Query of the partition. Nothing here scans.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from pendopo.domain.clock import from_iso, to_utc_iso
from pendopo.domain.partners import Partner
from pendopo.storage.errors import response_code
from pendopo.storage.items import PARTNER_PK, PartnerItem, partner_sk


class PartnerIdTaken(Exception):
    """Another partner already has this id: draw a new key."""


class PartnerNotFound(Exception):
    """No partner with this id."""


class PartnerStore:
    def add(self, partner: Partner) -> None:
        item = PartnerItem(
            PARTNER_PK,
            partner_sk(partner.partner_id),
            partner_id=partner.partner_id,
            name=partner.name,
            key_hash=partner.key_hash,
            created_at=to_utc_iso(partner.created_at),
        )
        try:
            item.save(condition=PartnerItem.pk.does_not_exist())
        except PutError as error:
            if response_code(error) == "ConditionalCheckFailedException":
                raise PartnerIdTaken(partner.partner_id) from None
            raise

    def get(self, partner_id: str) -> Partner | None:
        try:
            item = PartnerItem.get(PARTNER_PK, partner_sk(partner_id), consistent_read=True)
        except DoesNotExist:
            return None
        return _partner(item)

    def list(self) -> list[Partner]:
        return [_partner(item) for item in PartnerItem.query(PARTNER_PK, consistent_read=True)]

    def revoke(self, partner_id: str, at: datetime) -> Partner:
        """Mark the partner revoked (once: a second revoke keeps the first time)."""
        item = PartnerItem(PARTNER_PK, partner_sk(partner_id))
        try:
            item.update(
                actions=[PartnerItem.revoked_at.set(to_utc_iso(at))],
                condition=PartnerItem.pk.exists() & PartnerItem.revoked_at.does_not_exist(),
            )
        except UpdateError as error:
            if response_code(error) != "ConditionalCheckFailedException":
                raise
            partner = self.get(partner_id)
            if partner is None:
                raise PartnerNotFound(partner_id) from None
            return partner
        return _partner(item)


def _partner(item: PartnerItem) -> Partner:
    return Partner(
        partner_id=item.partner_id,
        name=item.name,
        key_hash=item.key_hash,
        created_at=from_iso(item.created_at),
        revoked_at=from_iso(item.revoked_at) if item.revoked_at else None,
    )
