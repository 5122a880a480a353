"""The reporter's additions and rating, and the verifier's answer to a dispute: no AWS."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from pendopo.domain.citizen import (
    MAX_UPDATES,
    FeedbackBody,
    NotAllowedNow,
    UpdateBody,
    add_update,
    done_at,
    give_feedback,
    may_rate,
    may_update,
)
from pendopo.domain.complaint import Complaint, Resolved
from pendopo.domain.status import Action, Role, Status
from pendopo.domain.workflow import (
    KeepClosedCommand,
    NotDisputed,
    ReasonCommand,
    act,
    available_actions,
)
from pendopo.views.public import tracking
from tests.support.workflow_domain import (
    COORDINATOR,
    TAXONOMY,
    VERIFIER,
    done,
    in_progress,
    step,
    waiting,
)

ADDITION = UpdateBody(text="Tumpukan sampah kini juga menutup saluran air di depan rumah.")


def disputed() -> Complaint:
    complaint = done()
    now = complaint.timeline[-1].at + timedelta(days=1)
    body = FeedbackBody(rating=2, resolved=Resolved.NO, comment="Masih menumpuk.")
    return give_feedback(complaint, body, now=now).complaint


# --- additions -------------------------------------------------------------------


def test_an_addition_is_a_public_step_and_a_new_version_with_the_text_in_the_audit_event():
    complaint = in_progress()
    now = complaint.timeline[-1].at + timedelta(hours=1)
    change = add_update(complaint, ADDITION, now=now)
    assert change.complaint.version == complaint.version + 1
    assert change.complaint.status is complaint.status
    last = change.complaint.timeline[-1]
    assert (last.action, last.status, last.text) == (Action.REPORTER_UPDATE, complaint.status, None)
    event = change.event
    assert (event.action, event.role, event.actor) == (
        Action.REPORTER_UPDATE,
        Role.CITIZEN,
        "pelapor",
    )
    assert event.note == ADDITION.text
    assert (event.from_status, event.to_status, event.version) == (
        complaint.status,
        complaint.status,
        change.complaint.version,
    )
    # The public page shows the step, never the text (it may carry names and addresses).
    view = tracking(change.complaint, TAXONOMY, now)
    assert view.timeline[-1].description == "Tambahan informasi dari pelapor"
    assert view.timeline[-1].text is None
    assert ADDITION.text not in view.model_dump_json()
    assert (view.can_update, view.updates_left) == (True, MAX_UPDATES - 1)


def test_at_most_ten_additions_then_409_with_a_message():
    complaint = waiting()
    now = complaint.timeline[-1].at
    for _ in range(MAX_UPDATES):
        now += timedelta(minutes=1)
        complaint = add_update(complaint, ADDITION, now=now).complaint
    assert not may_update(complaint)
    with pytest.raises(NotAllowedNow) as refused:
        add_update(complaint, ADDITION, now=now + timedelta(minutes=1))
    assert refused.value.status == 409
    assert "10 kali" in refused.value.message
    assert tracking(complaint, TAXONOMY, now).updates_left == 0


def test_a_finished_or_rejected_complaint_takes_no_addition():
    finished = done()
    with pytest.raises(NotAllowedNow, match="sudah selesai"):
        add_update(finished, ADDITION, now=finished.timeline[-1].at)
    rejected = step(waiting(), VERIFIER, Action.REJECT, ReasonCommand(reason="Bukan pengaduan"))
    with pytest.raises(NotAllowedNow, match="ditolak"):
        add_update(rejected, ADDITION, now=rejected.timeline[-1].at)


@pytest.mark.parametrize(
    "body",
    [
        {"text": "x" * 2001},
        {"text": "abc"},
        {"text": "Tambahan\x00berbahaya"},
        {"text": "Tambahan informasi", "files": []},
    ],
)
def test_an_addition_body_is_validated(body):
    with pytest.raises(ValidationError):
        UpdateBody.model_validate(body)
    assert UpdateBody.model_validate({"text": "y" * 2000}).text == "y" * 2000


# --- the rating ------------------------------------------------------------------


def test_a_rating_is_taken_only_when_selesai():
    complaint = in_progress()
    body = FeedbackBody(rating=5, resolved=Resolved.YES)
    with pytest.raises(NotAllowedNow, match="setelah pengaduan berstatus Selesai"):
        give_feedback(complaint, body, now=complaint.timeline[-1].at)
    assert not may_rate(complaint, complaint.timeline[-1].at)


def test_a_rating_is_kept_once_and_only_a_tidak_disputes_it():
    complaint = done()
    now = complaint.timeline[-1].at + timedelta(hours=2)
    change = give_feedback(complaint, FeedbackBody(rating=4, resolved=Resolved.PARTLY), now=now)
    rated = change.complaint
    assert rated.feedback is not None
    assert (rated.feedback.rating, rated.feedback.resolved) == (4, Resolved.PARTLY)
    assert not rated.disputed and not change.event.disputed
    assert rated.status is Status.DONE and rated.version == complaint.version + 1
    assert change.event.note == "Nilai 4 dari 5; masalah selesai: Sebagian."
    with pytest.raises(NotAllowedNow, match="sudah memberikan penilaian"):
        give_feedback(rated, FeedbackBody(rating=5, resolved=Resolved.YES), now=now)

    no = give_feedback(
        complaint, FeedbackBody(rating=2, resolved=Resolved.NO, comment="Masih ada"), now=now
    )
    assert no.complaint.disputed and no.event.disputed
    assert no.event.note == "Nilai 2 dari 5; masalah selesai: Tidak, belum selesai.\nMasih ada"


def test_a_rating_is_taken_within_30_days_of_selesai_and_refused_after_with_the_reason():
    complaint = done()
    finished = done_at(complaint)
    assert finished == complaint.timeline[-1].at
    body = FeedbackBody(rating=3, resolved=Resolved.YES)
    last_moment = finished + timedelta(days=30)
    assert give_feedback(complaint, body, now=last_moment).complaint.feedback is not None
    view = tracking(complaint, TAXONOMY, last_moment)
    assert view.can_rate and view.rate_until_text is not None
    too_late = last_moment + timedelta(milliseconds=1)
    with pytest.raises(NotAllowedNow) as refused:
        give_feedback(complaint, body, now=too_late)
    assert refused.value.message.startswith("Penilaian hanya dapat diberikan dalam 30 hari")
    assert "WIB" in refused.value.message
    late_view = tracking(complaint, TAXONOMY, too_late)
    assert not late_view.can_rate and late_view.rate_until_text is None


@pytest.mark.parametrize(
    "body",
    [
        {"rating": 0, "resolved": "ya"},
        {"rating": 6, "resolved": "ya"},
        {"rating": 3, "resolved": "mungkin"},
        {"rating": 3, "resolved": "ya", "comment": "z" * 1001},
        {"rating": 3},
        {"rating": 3, "resolved": "ya", "name": "x"},
    ],
)
def test_a_rating_body_is_validated(body):
    with pytest.raises(ValidationError):
        FeedbackBody.model_validate(body)


# --- the verifier's answer to a dispute ------------------------------------------


def test_a_verifier_reopens_a_disputed_complaint_to_tl_ditolak_with_the_reason_public():
    complaint = disputed()
    assert available_actions(VERIFIER, complaint) == [Action.REOPEN, Action.KEEP_CLOSED]
    now = complaint.timeline[-1].at + timedelta(hours=1)
    reason = "Pelapor menunjukkan sampah belum diangkut seluruhnya."
    change = act(
        complaint, VERIFIER, Action.REOPEN, ReasonCommand(reason=reason), now=now, taxonomy=TAXONOMY
    )
    reopened = change.complaint
    assert reopened.status is Status.FOLLOW_UP_REJECTED and reopened.status.clock_running
    assert not reopened.disputed
    assert reopened.due_at == complaint.due_at  # the original deadline, as after a return
    assert reopened.validation_rejections == complaint.validation_rejections
    assert reopened.timeline[-1].text == reason
    assert (change.event.action, change.event.note) == (Action.REOPEN, reason)
    view = tracking(reopened, TAXONOMY, now)
    assert view.timeline[-1].description == "Pengaduan dibuka kembali"
    assert view.timeline[-1].text == reason
    assert view.can_update  # open again: the reporter may add to it


def test_a_verifier_keeps_a_disputed_complaint_closed_with_a_note_for_the_reporter():
    complaint = disputed()
    now = complaint.timeline[-1].at + timedelta(hours=1)
    note = "Pengangkutan sudah dilakukan sesuai jadwal; foto terlampir di berkas."
    change = act(
        complaint,
        VERIFIER,
        Action.KEEP_CLOSED,
        KeepClosedCommand(note=note),
        now=now,
        taxonomy=TAXONOMY,
    )
    assert change.complaint.status is Status.DONE and not change.complaint.disputed
    assert change.event.action is Action.KEEP_CLOSED
    assert tracking(change.complaint, TAXONOMY, now).timeline[-1].text == note
    assert available_actions(VERIFIER, change.complaint) == []
    with pytest.raises(ValidationError):
        KeepClosedCommand.model_validate({})


def test_reopen_and_keep_closed_need_a_dispute_and_a_verifier():
    complaint = done()
    assert available_actions(VERIFIER, complaint) == []
    now = complaint.timeline[-1].at
    with pytest.raises(NotDisputed):
        act(
            complaint,
            VERIFIER,
            Action.REOPEN,
            ReasonCommand(reason="Dibuka kembali saja"),
            now=now,
            taxonomy=TAXONOMY,
        )
    assert available_actions(COORDINATOR, disputed()) == []
