"""Intake use cases: submit a complaint exactly once, and track it.

The handler calls these; they call the pure domain and the store.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from http import HTTPStatus

from pendopo.domain.attachments import attach
from pendopo.domain.citizen import (
    UPDATE_TAKEN,
    FeedbackBody,
    UpdateBody,
    add_update,
    feedback_thanks,
    give_feedback,
)
from pendopo.domain.clock import Clock
from pendopo.domain.complaint import Channel, Complaint, ComplaintDetails, PartnerDetails
from pendopo.domain.errors import Busy, PendopoError
from pendopo.domain.identifiers import (
    normalize_ticket,
    normalize_tracking_code,
    tracking_code_matches,
)
from pendopo.domain.intake import (
    CITIZEN_ACTOR,
    IntakeRules,
    NewComplaint,
    register_complaint,
    with_new_ticket,
)
from pendopo.domain.partners import Partner
from pendopo.domain.status import Role
from pendopo.domain.uploads import (
    AttachmentsRefused,
    ComplaintFile,
    FileSource,
    Upload,
    UploadOwner,
    check_claims,
)
from pendopo.domain.workflow import Change
from pendopo.runtime.observability import logger, metrics
from pendopo.storage.complaints import (
    ComplaintStore,
    IdempotencyKeyTaken,
    IdempotencyRecord,
    TicketTaken,
    VersionConflict,
    WriteConflict,
)
from pendopo.storage.files import UploadFiles
from pendopo.storage.reporter_messages import ReporterMessageStore
from pendopo.storage.uploads import UploadStore
from pendopo.views.public import (
    Receipt,
    ReporterStepAnswer,
    Tracking,
    receipt,
    reporter_answer,
    tracking,
)

MAX_ATTEMPTS = 6
_UNKNOWN_TICKET_HASH = "0" * 64  # matches no code
_REPORTER_ATTEMPTS = 3


class IdempotencyKeyReused(PendopoError):
    """The key was already used for a different complaint (HTTP 409)."""

    status = HTTPStatus.CONFLICT
    message = (
        "Idempotency-Key ini sudah dipakai untuk pengaduan lain. "
        "Buat kunci baru untuk pengaduan baru."
    )


class IntakeBusy(Busy):
    """Concurrent retries kept colliding; the client should retry with the same key."""

    message = "Sistem sedang sibuk. Silakan kirim ulang dengan Idempotency-Key yang sama."


@dataclass(frozen=True, slots=True)
class Submitted:
    receipt: Receipt
    replayed: bool  # True when this answers a retry of an earlier request


def fingerprint(details: ComplaintDetails | PartnerDetails, channel: Channel, actor: str) -> str:
    """A stable hash of what was asked, to tell a retry from a reused key."""
    asked = details.model_dump(mode="json")
    if not asked.get("attachments"):
        # A request without files hashes as before files existed (records stay valid).
        asked.pop("attachments", None)
    canonical = json.dumps(
        {"channel": channel.value, "actor": actor, "details": asked},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class IntakeService:
    # The opt-outs the unsubscribe link writes (storage.reporter_messages); stateless.
    messages = ReporterMessageStore()

    def __init__(
        self,
        store: ComplaintStore,
        rules: IntakeRules,
        clock: Clock,
        idempotency_ttl: timedelta = timedelta(hours=24),
        uploads: UploadStore | None = None,
        files: UploadFiles | None = None,
    ) -> None:
        self._store = store
        self._rules = rules
        self._clock = clock
        self._idempotency_ttl = idempotency_ttl
        self._uploads = uploads or UploadStore()
        # Signs the links of the tracking page's proof photos; None: files without links.
        self._files = files

    def submit(
        self,
        details: ComplaintDetails | PartnerDetails,
        channel: Channel,
        idempotency_key: str,
        *,
        actor: str = CITIZEN_ACTOR,
        role: Role = Role.CITIZEN,
        actor_unit: str | None = None,
    ) -> Submitted:
        """Create the complaint once; a retry with the same key gets the first answer."""
        asked = fingerprint(details, channel, actor)
        # An officer's keys are their own: another desk reusing the same key gets its own
        # complaint, not a 409. Citizens' keys share one space (they have no identity).
        key = idempotency_key if role is Role.CITIZEN else f"{actor}/{idempotency_key}"
        now = self._clock.now()
        new = register_complaint(
            details,
            channel,
            now=now,
            rules=self._rules,
            actor=actor,
            role=role,
            actor_unit=actor_unit,
        )
        ids = list(details.attachments) if isinstance(details, ComplaintDetails) else []
        claims: list[Upload] = []
        if ids:
            # A citizen's complaint claims public uploads, a walk-in its officer's.
            owner = UploadOwner.PUBLIC if role is Role.CITIZEN else UploadOwner.OFFICER
            found = self._uploads.get_many(ids)  # one BatchGetItem
            try:
                claims = check_claims(ids, found, owner, now)
            except AttachmentsRefused:
                # A retry of a create that went through finds its uploads claimed by it:
                # the first answer, as any retry gets (one GetItem, on this path only).
                if any(upload.claimed_by for upload in found.values()):
                    replay = self._replay(key, asked, now)
                    if replay:
                        return replay
                raise
            change = attach(Change(new.complaint, new.event), claims, FileSource.COMPLAINT, role)
            new = NewComplaint(change.complaint, change.event, new.tracking_code)
        for attempt in range(MAX_ATTEMPTS):
            answer = receipt(new.complaint, new.tracking_code, self._rules.taxonomy)
            record = self._record(key, asked, new, answer, now)
            try:
                # The code, for the receipt message only when one is to be sent.
                code = new.tracking_code if new.complaint.notify.any else None
                self._store.create(new.complaint, new.event, record, code, claims)
            except TicketTaken:
                new = with_new_ticket(new)
                continue
            except IdempotencyKeyTaken:
                replay = self._replay(key, asked, now)
                if replay:
                    return replay
                continue  # the record expired or vanished meanwhile: write ours
            except WriteConflict:
                if attempt + 1 < MAX_ATTEMPTS:
                    _back_off(attempt)
                continue
            self._count_created(new)
            return Submitted(receipt=answer, replayed=False)
        logger.warning(
            "Submission gave up after repeated conflicts", extra={"attempts": MAX_ATTEMPTS}
        )
        metrics.add_metric(name="SubmissionBusy", unit="Count", value=1)
        raise IntakeBusy

    def submit_for_partner(self, details: PartnerDetails, partner: Partner) -> Submitted:
        """An Open311 partner's request, created once.

        Open311 has no idempotency key, so the key is derived from the partner and
        the request itself (the hash of the validated form): the same request sent
        again within the idempotency window (``IDEMPOTENCY_TTL_HOURS``, 24 h) gets
        the first answer, not a second complaint. Two identical reports from one
        partner in that window are one complaint, which is what they are.
        """
        actor = f"open311:{partner.partner_id}"
        asked = fingerprint(details, Channel.OPEN311, actor)
        return self.submit(
            details, Channel.OPEN311, f"open311/{partner.partner_id}/{asked}", actor=actor
        )

    def _record(
        self, key: str, asked: str, new: NewComplaint, answer: Receipt, now: datetime
    ) -> IdempotencyRecord:
        return IdempotencyRecord(
            key=key,
            fingerprint=asked,
            ticket=new.complaint.ticket,
            response=answer.model_dump(mode="json"),
            created_at=now,
            expires_at=now + self._idempotency_ttl,
        )

    def _replay(self, key: str, asked: str, now: datetime) -> Submitted | None:
        record = self._store.get_idempotency(key)
        if record is None or record.is_expired(now):
            return None
        if record.fingerprint != asked:
            raise IdempotencyKeyReused
        logger.info("Replayed a retried submission", extra={"ticket": record.ticket})
        metrics.add_metric(name="SubmissionReplayed", unit="Count", value=1)
        return Submitted(receipt=Receipt.model_validate(record.response), replayed=True)

    def _count_created(self, new: NewComplaint) -> None:
        complaint = new.complaint
        logger.info(
            "Complaint created",
            extra={
                "ticket": complaint.ticket,
                "unit": complaint.unit,
                "category": complaint.category,
                "channel": complaint.channel.value,
                "outside_hours": complaint.outside_hours,
            },
        )
        metrics.add_metric(name="ComplaintCreated", unit="Count", value=1)

    def track(self, ticket_text: str, code_text: str) -> Tracking | None:
        """The public view, or None for an unknown ticket and a wrong code alike."""
        complaint = self._authenticated(ticket_text, code_text)
        if complaint is None:
            return None
        return tracking(complaint, self._rules.taxonomy, self._clock.now(), self._link)

    def _link(self, file: ComplaintFile) -> str | None:
        return self._files.view_link(file) if self._files else None

    def _authenticated(self, ticket_text: str, code_text: str) -> Complaint | None:
        """The complaint if the code is its tracking code; None for any wrong pair."""
        ticket = normalize_ticket(ticket_text)
        code = normalize_tracking_code(code_text)
        if ticket is None or code is None:
            return None
        complaint = self._store.get_complaint(ticket)
        # Hash even for an unknown ticket, so its answer takes as long as a wrong
        # code's and timing does not tell which tickets exist.
        stored_hash = complaint.tracking_hash if complaint else _UNKNOWN_TICKET_HASH
        if not tracking_code_matches(ticket, code, stored_hash) or complaint is None:
            return None
        return complaint

    # --- the reporter's own steps (tracking code in a header) ------------------

    # Named as the routes' last path segment (functions/intake/app.py registers them so).
    def updates(
        self, ticket_text: str, code_text: str, body: UpdateBody
    ) -> ReporterStepAnswer | None:
        """Add the reporter's text to their open complaint; None for any wrong pair."""
        step = self._reporter_step(
            ticket_text,
            code_text,
            lambda c, now: add_update(c, body, now=now),
            list(body.attachments),
        )
        return reporter_answer(step, UPDATE_TAKEN) if step else None

    def feedback(
        self, ticket_text: str, code_text: str, body: FeedbackBody
    ) -> ReporterStepAnswer | None:
        """Record the reporter's rating of a Selesai complaint; None for any wrong pair."""
        step = self._reporter_step(
            ticket_text, code_text, lambda c, now: give_feedback(c, body, now=now)
        )
        return reporter_answer(step, feedback_thanks(body)) if step else None

    def _reporter_step(
        self,
        ticket_text: str,
        code_text: str,
        step: Callable[[Complaint, datetime], Change],
        attachments: list[str] | None = None,
    ) -> Tracking | None:
        complaint = self._authenticated(ticket_text, code_text)
        if complaint is None:
            return None
        claims: list[Upload] = []
        if attachments:
            step(complaint, self._clock.now())  # the step's own refusals before any read
            # The reporter's own uploads only (public), checked before the write.
            found = self._uploads.get_many(attachments)  # one BatchGetItem
            claims = check_claims(attachments, found, UploadOwner.PUBLIC, self._clock.now())
        for attempt in range(_REPORTER_ATTEMPTS):
            change = step(complaint, self._clock.now())
            change = attach(change, claims, FileSource.UPDATE, Role.CITIZEN)
            try:
                self._store.apply(
                    change.complaint, change.event, read_version=complaint.version, claims=claims
                )
            except VersionConflict:
                # An officer acted meanwhile: the reporter's step applies to the complaint
                # as it is now (its rules are checked again), without asking them to resend.
                if attempt + 1 == _REPORTER_ATTEMPTS:
                    raise
                fresh = self._store.get_complaint(complaint.ticket)
                if fresh is None:
                    return None
                complaint = fresh
                continue
            logger.info(
                "Reporter step",
                extra={
                    "ticket": complaint.ticket,
                    "action": change.event.action.value,
                    "disputed": change.event.disputed,
                    "version": change.complaint.version,
                },
            )
            metrics.add_metric(name="ReporterStep", unit="Count", value=1)
            return tracking(change.complaint, self._rules.taxonomy, self._clock.now(), self._link)
        return None  # not reached: the last attempt returns or raises

    def unsubscribe_allowed(self, ticket_text: str, token: str) -> str | None:
        """The ticket, if ``token`` is its unsubscribe token; None for any wrong pair."""
        ticket = normalize_ticket(ticket_text)
        complaint = self._store.get_complaint(ticket) if ticket else None
        expected = complaint.unsubscribe_token if complaint else None
        if not expected or not hmac.compare_digest(expected.encode(), token.encode()):
            return None
        return ticket

    def unsubscribe(self, ticket_text: str, token: str) -> str | None:
        """Stop every further message about the complaint (its ticket); None for a wrong pair."""
        ticket = self.unsubscribe_allowed(ticket_text, token)
        if ticket is None:
            return None
        self.messages.opt_out(ticket, self._clock.now())
        logger.info("Reporter unsubscribed", extra={"ticket": ticket})
        metrics.add_metric(name="ReporterUnsubscribed", unit="Count", value=1)
        return ticket


def _back_off(attempt: int) -> None:
    """Jittered back-off between transaction conflicts (tens of milliseconds)."""
    time.sleep(random.uniform(0, 0.02 * (2**attempt)))  # noqa: S311 - jitter, not secrecy
