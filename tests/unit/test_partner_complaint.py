"""A partner's complaint (channel open311), without AWS: its reporter may have no contact,
and only this channel may; it records the partner and its link."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from pendopo.domain.complaint import (
    Channel,
    Complaint,
    ComplaintDetails,
    Location,
    PartnerDetails,
    PartnerReporter,
    Reporter,
)
from pendopo.domain.intake import register_complaint
from pendopo.domain.status import Role, Status
from tests.support.intake_domain import RULES

# A partner's request with no contact at all, an address and a photo link.
PARTNER = PartnerDetails(
    category="STREET_LIGHTING", title="Penerangan jalan: lampu mati", reporter=PartnerReporter(),
    location=Location(text="Jl. Medan Merdeka Selatan"), media_url="https://foto.example/a.jpg",
    partner="Aplikasi JAKI",
)  # fmt: skip
NOW = datetime(2025, 6, 10, 1, 15, tzinfo=UTC)


def test_a_partner_complaint_without_contact_is_a_complaint_like_any_other() -> None:
    new = register_complaint(PARTNER, Channel.OPEN311, now=NOW, rules=RULES, actor="open311:x")
    complaint = new.complaint
    assert complaint.channel is Channel.OPEN311 and complaint.status is Status.WAITING
    assert complaint.unit == "BIRO_PLH" and complaint.description == ""
    assert (complaint.partner, complaint.media_url) == (
        "Aplikasi JAKI",
        "https://foto.example/a.jpg",
    )
    assert complaint.reporter == PartnerReporter()
    assert new.event.role is Role.CITIZEN and new.event.note == (
        "Kanal: Aplikasi mitra (Open311) (Aplikasi JAKI)"
    )


@pytest.mark.parametrize("channel", [Channel.KIOSK, Channel.WEB, Channel.PENDOPO])
def test_only_the_open311_channel_may_have_a_reporter_without_name_or_phone(
    channel: Channel,
) -> None:
    complaint = register_complaint(
        PARTNER, Channel.OPEN311, now=NOW, rules=RULES, actor="open311:x"
    ).complaint
    with pytest.raises(ValidationError, match="needs a full Reporter"):
        Complaint.model_validate({**complaint.model_dump(), "channel": channel})
    # With a name and phone it would be a kiosk reporter's data, and valid
    full = {"name": "Siti Aminah", "phone": "+6281234567890"}
    assert Complaint.model_validate(
        {**complaint.model_dump(), "channel": channel, "reporter": full}
    ).reporter == Reporter(**full)


def test_the_kiosk_web_and_walk_in_rules_still_need_name_and_phone() -> None:
    with pytest.raises(ValidationError):
        Reporter.model_validate({"phone": "081234567890"})
    with pytest.raises(ValidationError):
        ComplaintDetails.model_validate(
            {
                "title": "Lampu jalan mati",
                "description": "Lampu jalan di depan halte mati sejak tiga hari.",
                "reporter": {"email": "a@example.com"},
            }
        )


def test_a_partner_link_must_be_http() -> None:
    for url in ("javascript:alert(1)", "ftp://x.example/a", "https://a b"):
        with pytest.raises(ValidationError):
            PartnerDetails.model_validate({**PARTNER.model_dump(), "media_url": url})


def test_every_channel_has_an_indonesian_label() -> None:
    assert {c.value: c.label for c in Channel}["open311"] == "Aplikasi mitra (Open311)"
