"""The reporter's messages (issue #16): which event says what, and the SMS rule.

Every SMS is one GSM-7 segment (160 septets), rendered here with the longest unit,
agency and category names of the taxonomy, a citizen web URL as long as settings
allow, and a rejection reason far too long and full of characters GSM-7 lacks.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from pendopo.domain.complaint import AuditEvent, Channel, Complaint, ComplaintDetails, FollowUp
from pendopo.domain.intake import register_complaint
from pendopo.domain.reporter_messages import (
    MAX_SMS_BASE,
    REPORTER_MESSAGES,
    SMS_SEPTETS,
    Links,
    MessageChannel,
    MessageKind,
    build_message,
    channels_for,
    fit,
    is_gsm7,
    message_for,
    septets,
    to_gsm7,
)
from pendopo.domain.status import Action
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.notifications.reporter import render_email, render_sms
from tests.support.intake_domain import REOPEN, RULES, synthetic_event

TAXONOMY = load_taxonomy()
TICKET = "2512-3456-7890"
TOKEN = "3_bryjtz6c7T5-OM90Grdw"
AT = datetime(2025, 12, 8, 3, 15, tzinfo=UTC)
OFFICER = "verifikator.biro-pem@pendopo.example"
INTERNAL_NOTE = "Catatan internal: hubungi pak Kadis lewat WA pribadi"
# A base as long as settings allow (MAX_SMS_BASE without the scheme).
LONG_BASE = "https://" + ("p" * (MAX_SMS_BASE - len(".id/warga/"))) + ".id/warga/"
LINKS = Links(citizen_url=LONG_BASE, api_url="https://pendopo.jakarta.go.id")
REASON = (
    "Pengaduan ini “duplikat” – sudah ditangani… lihat tiket lain; mohon maaf 🙏 "
    "Kami telah memeriksa lokasi bersama kelurahan dan kecamatan setempat. " * 3
)


def _longest(kind: str) -> str:
    items = {
        "unit": TAXONOMY.units.values(),
        "agency": TAXONOMY.agencies.values(),
        "category": TAXONOMY.categories.values(),
    }[kind]
    return max(items, key=lambda item: len(getattr(item, "name", None) or item.label)).code


def _complaint(**notify: bool) -> Complaint:
    details = ComplaintDetails.model_validate(
        {
            "category": _longest("category"),
            "title": "Jalan berlubang di depan sekolah",
            "description": "Lubang besar di jalan, sudah dua minggu dan membahayakan.",
            "reporter": {
                "name": "Siti Aminah",
                "phone": "0812-9876-5432",
                "email": "siti@contoh.id",
                "anonymous": True,
            },
            "notify": notify or {"sms": True, "email": True},
        }
    )
    new = register_complaint(details, Channel.KIOSK, now=AT, rules=RULES)
    return new.complaint.model_copy(
        update={
            "ticket": TICKET,
            "unsubscribe_token": TOKEN,
            "agency": _longest("agency"),
            "unit": _longest("unit"),
            "follow_up": FollowUp(result="Jalan sudah ditambal.", at=AT, by=OFFICER),
        }
    )


def _event(action: object, note: str | None = INTERNAL_NOTE) -> AuditEvent:
    return synthetic_event(TICKET, action, AT, note, unit=_longest("unit"))


ACTIONS = {
    MessageKind.RECEIPT: Action.SUBMIT,
    MessageKind.VERIFIED: Action.VERIFY,
    MessageKind.DISPOSITIONED: Action.DISPOSITION,
    MessageKind.REJECTED: Action.REJECT,
    MessageKind.DONE: Action.ACCEPT_FOLLOW_UP,
    MessageKind.REOPENED: REOPEN,
}


def _message(kind: MessageKind):
    action = ACTIONS[kind]
    note = REASON if kind is MessageKind.REJECTED else INTERNAL_NOTE
    return build_message(kind, _event(action, note), _complaint(), TAXONOMY, LINKS, "K7QM-2XPD")


def test_every_message_has_its_action_and_reopen_is_matched_by_name() -> None:
    assert {message_for(action.value) for action in ACTIONS.values()} == set(MessageKind)
    assert message_for("reopen") is MessageKind.REOPENED
    for silent in (Action.REROUTE, Action.ACKNOWLEDGE, Action.SUBMIT_FOLLOW_UP):
        assert message_for(silent.value) is None
    assert message_for(Action.REJECT_FOLLOW_UP.value) is None
    assert len(REPORTER_MESSAGES) == 6


@pytest.mark.parametrize("kind", list(MessageKind))
def test_every_sms_is_one_gsm7_segment_with_the_longest_names(kind: MessageKind) -> None:
    text = render_sms(_message(kind))
    assert is_gsm7(text), text
    assert septets(text) <= SMS_SEPTETS, (septets(text), text)
    assert "\n" not in text
    assert text.startswith("Pendopo: ")


def test_the_sms_texts_say_what_happened() -> None:
    receipt = render_sms(_message(MessageKind.RECEIPT))
    # Received Monday 8 Dec 2025 10:15 WIB: due three calendar days later.
    assert receipt == (
        "Pendopo: pengaduan diterima, batas 11/12/2025 10:15 WIB. Tiket & kode lacak: "
        f"{LONG_BASE.removeprefix('https://')}lacak.html#tiket={TICKET}&kode=K7QM-2XPD"
    )
    unit = TAXONOMY.units[_longest("unit")].name
    assert f"diteruskan ke {unit} untuk ditindaklanjuti." in render_sms(
        _message(MessageKind.VERIFIED)
    )
    agency = TAXONOMY.agencies[_longest("agency")].name
    assert f"diteruskan ke {agency} untuk" in render_sms(_message(MessageKind.DISPOSITIONED))
    rejected = render_sms(_message(MessageKind.REJECTED))
    assert 'Alasan: Pengaduan ini "duplikat" - sudah ditangani... lihat' in rejected
    assert rejected.endswith("...") and septets(rejected) == SMS_SEPTETS
    done = render_sms(_message(MessageKind.DONE))
    # Later messages link the page by ticket only: the code is kept for the receipt only.
    assert done.endswith(f"lacak.html#tiket={_complaint().ticket}")
    assert "dibuka kembali" in render_sms(_message(MessageKind.REOPENED))


@pytest.mark.parametrize("kind", list(MessageKind))
def test_no_message_names_an_officer_or_an_internal_note(kind: MessageKind) -> None:
    message = _message(kind)
    email = render_email(message)
    for text in (render_sms(message), email.subject, email.text, email.html):
        assert "verifikator" not in text
        assert "Kadis" not in text


def test_anonymity_does_not_hide_the_reporter_from_their_own_messages() -> None:
    complaint = _complaint()
    assert complaint.reporter.anonymous
    assert channels_for(complaint) == (MessageChannel.SMS, MessageChannel.EMAIL)


def test_the_receipt_email_carries_code_link_and_unsubscribe() -> None:
    complaint = _complaint()
    email = render_email(_message(MessageKind.RECEIPT))
    assert email.subject == f"[Pendopo] Pengaduan {complaint.ticket}: diterima"
    assert "Kode pelacakan: K7QM-2XPD" in email.text
    assert f"lacak.html#tiket={complaint.ticket}&kode=K7QM-2XPD" in email.text
    unsubscribe = f"https://pendopo.jakarta.go.id/v1/complaints/{TICKET}/unsubscribe?token={TOKEN}"
    assert unsubscribe in email.text
    assert unsubscribe.replace("&", "&amp;") in email.html


def test_the_done_email_shows_the_result_and_asks_for_a_rating() -> None:
    email = render_email(_message(MessageKind.DONE))
    assert "Hasil tindak lanjut: Jalan sudah ditambal." in email.text
    assert "Lihat hasil dan beri penilaian:" in email.text
    assert "Kode pelacakan" not in email.text


def test_html_is_escaped() -> None:
    complaint = _complaint().model_copy(update={"title": "<script>x</script>"})
    message = build_message(MessageKind.VERIFIED, _event(Action.VERIFY), complaint, TAXONOMY, LINKS)
    html = render_email(message).html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_gsm7_helpers() -> None:
    assert to_gsm7("“Ayo” – café naïve…\n🙏 ok") == '"Ayo" - café naive... ? ok'
    assert septets("a[b]") == 6
    assert fit("x" * 200, 20) == "x" * 17 + "..."
    assert fit("pendek", 20) == "pendek"


def test_consent_needs_a_mobile_number_for_sms_and_an_address_for_email() -> None:
    base = {
        "title": "Lampu jalan mati",
        "description": "Lampu jalan mati sejak seminggu, gelap dan rawan.",
        "reporter": {"name": "Budi", "phone": "(021) 382-2255"},
    }
    with pytest.raises(ValidationError) as refused:
        ComplaintDetails.model_validate({**base, "notify": {"sms": True}})
    assert refused.value.errors()[0]["loc"] == ("notify",)
    assert "nomor ponsel" in refused.value.errors()[0]["msg"]
    with pytest.raises(ValidationError) as no_email:
        ComplaintDetails.model_validate({**base, "notify": {"email": True}})
    assert "alamat email" in no_email.value.errors()[0]["msg"]
    mobile = {**base, "reporter": {"name": "Budi", "phone": "+62 812 3456 7890"}}
    assert ComplaintDetails.model_validate({**mobile, "notify": {"sms": True}}).notify.sms
    # No consent: nothing asked of the contact, and no token.
    new = register_complaint(
        ComplaintDetails.model_validate(base), Channel.WEB, now=AT, rules=RULES
    )
    assert new.complaint.unsubscribe_token is None and not new.complaint.notify.any
