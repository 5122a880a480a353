"""Open311 partners on moto: keys made, listed and revoked; a partner's request filed once."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from pendopo.api.open311_form import partner_details, read_form
from pendopo.domain.clock import FixedClock
from pendopo.domain.complaint import Channel, PartnerReporter
from pendopo.domain.partners import PartnerKeyRefused
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.runtime.bootstrap import partner_service
from pendopo.services.intake import IntakeService
from pendopo.services.partners import PartnerNotFound
from pendopo.storage.complaints import ComplaintStore
from pendopo.storage.items import PARTNER_PK
from pendopo.views.partner import SERVICE_NOTICE, created
from tests.support.constants import TEST_TABLE
from tests.support.handlers import call
from tests.support.officers import PLH_COORDINATOR, detail

FORM = {
    "service_code": "STREET_LIGHTING",
    "lat": "-6.1812",
    "long": "106.8283",
    "description": "Lampu jalan di depan halte mati sejak tiga hari, jalan gelap di malam hari.",
    "media_url": "https://foto.example/lampu.jpg",
}


def test_a_partner_key_works_until_it_is_revoked(dynamodb: Any, clock: FixedClock) -> None:
    partners = partner_service(clock)
    new = partners.create("Aplikasi JAKI")
    # The key authenticates its partner
    assert partners.authenticate(new.key).partner_id == new.partner.partner_id
    # The table holds the hash, never the key
    item = dynamodb.get_item(
        TableName=TEST_TABLE,
        Key={"pk": {"S": PARTNER_PK}, "sk": {"S": f"P#{new.partner.partner_id}"}},
    )["Item"]
    assert new.key not in str(item) and item["key_hash"]["S"] == new.partner.key_hash
    # Once revoked, the very next check refuses it (no cache)
    partners.revoke(new.partner.partner_id)
    with pytest.raises(PartnerKeyRefused):
        partners.authenticate(new.key)


@pytest.mark.parametrize("key", [None, "", "demo0311.kunci-demo-lokal-open311", "x" * 500])
def test_a_missing_unknown_or_malformed_key_is_refused(
    dynamodb: Any, clock: FixedClock, key: str | None
) -> None:
    with pytest.raises(PartnerKeyRefused):
        partner_service(clock).authenticate(key)


def test_a_wrong_secret_for_a_real_partner_is_refused(dynamodb: Any, clock: FixedClock) -> None:
    new = partner_service(clock).create("Mitra")
    with pytest.raises(PartnerKeyRefused):
        partner_service(clock).authenticate(new.partner.partner_id + ".salah-salah-salah-salah")


def test_partners_are_listed_from_their_one_partition(dynamodb: Any, clock: FixedClock) -> None:
    partners = partner_service(clock)
    first = partners.create("Mitra Satu").partner
    second = partners.create("Mitra Dua").partner
    partners.revoke(first.partner_id)
    listed = {p.partner_id: p for p in partners.list()}
    assert set(listed) == {first.partner_id, second.partner_id}
    assert listed[first.partner_id].revoked_at == clock.now()
    assert listed[second.partner_id].active


def test_revoking_twice_keeps_the_first_time_and_an_unknown_id_is_not_found(
    dynamodb: Any, clock: FixedClock
) -> None:
    partners = partner_service(clock)
    partner = partners.create("Mitra").partner
    first = partners.revoke(partner.partner_id).revoked_at
    assert partners.revoke(partner.partner_id).revoked_at == first
    with pytest.raises(PartnerNotFound):
        partners.revoke("tidakada")


def test_a_partner_request_becomes_a_complaint_once(
    intake: Any, route: Any, clock: FixedClock
) -> None:
    partner = partner_service(clock).create("Aplikasi JAKI").partner
    service = IntakeService(ComplaintStore(), intake.rules, clock)
    details = partner_details(read_form(urlencode(FORM)), partner.name, load_taxonomy())
    # When the partner files it
    first = service.submit_for_partner(details, partner)
    answer = created(first.receipt)
    ticket = answer[0].service_request_id
    assert answer[0].service_notice == SERVICE_NOTICE and not first.replayed
    # Then it is a complaint of channel open311 in its unit's queue, like any other
    complaint = ComplaintStore().get_complaint(ticket)
    assert complaint is not None
    assert complaint.channel is Channel.OPEN311
    assert complaint.unit == "BIRO_PLH" and complaint.partner == "Aplikasi JAKI"
    assert complaint.reporter == PartnerReporter()
    assert complaint.media_url == "https://foto.example/lampu.jpg"
    # And the officer's detail names the partner and its link
    shown = detail(route, ticket, PLH_COORDINATOR).body
    assert shown["channel"] == "open311" and shown["partner"] == "Aplikasi JAKI"
    assert shown["media_url"] == "https://foto.example/lampu.jpg"
    assert shown["reporter"]["name"].startswith("Tidak disebutkan")
    # When the partner sends the same request again (its answer was lost)
    again = service.submit_for_partner(details, partner)
    # Then it gets the first answer, not a second complaint
    assert again.replayed and again.receipt.ticket == ticket
    # And another partner sending the same text files its own complaint
    other = partner_service(clock).create("Mitra Lain").partner
    assert service.submit_for_partner(details, other).receipt.ticket != ticket


def test_a_partner_complaint_with_contact_keeps_it(intake: Any, clock: FixedClock) -> None:
    partner = partner_service(clock).create("Mitra").partner
    form = {**FORM, "first_name": "Siti", "last_name": "Aminah", "phone": "081234567890"}
    details = partner_details(read_form(urlencode(form)), partner.name, load_taxonomy())
    ticket = (
        IntakeService(ComplaintStore(), intake.rules, clock)
        .submit_for_partner(details, partner)
        .receipt.ticket
    )
    complaint = ComplaintStore().get_complaint(ticket)
    assert complaint is not None
    assert complaint.reporter == PartnerReporter(name="Siti Aminah", phone="+6281234567890")


def test_the_officer_queue_lists_a_partner_complaint(
    intake: Any, route: Any, clock: FixedClock
) -> None:
    partner = partner_service(clock).create("Mitra").partner
    details = partner_details(read_form(urlencode(FORM)), partner.name, load_taxonomy())
    ticket = (
        IntakeService(ComplaintStore(), intake.rules, clock)
        .submit_for_partner(details, partner)
        .receipt.ticket
    )
    queue = call(route, "GET", "/v1/officer/complaints", claims=PLH_COORDINATOR).body["items"]
    assert [(i["ticket"], i["channel"]) for i in queue] == [(ticket, "open311")]
