"""The Protocols the services depend on, so each can be given a fake in tests.

The services call these, never a concrete SES mailer or a reader's class by name:
``runtime.bootstrap`` passes the real ones (``notifications.ses``,
``notifications.raw``, ``storage.open_complaints``, the function's XLSX renderer),
tests pass recording or failing fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from pendopo.notifications.raw import Attachment
from pendopo.notifications.render import RenderedEmail

if TYPE_CHECKING:  # annotations only: notify imports this without the recap's modules
    from pendopo.domain.recap import MonthRecap
    from pendopo.domain.sla_digest import OpenComplaint
    from pendopo.domain.taxonomy import Taxonomy
    from pendopo.domain.uploads import CleanFile, Refusal


class Mailer(Protocol):
    def send(self, recipient: str, email: RenderedEmail) -> str:
        """Send one email; returns the provider's message id, raises on failure."""
        ...


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> str:
        """Send one SMS to an E.164 number; returns the provider's message id, raises on failure."""
        ...


class MailerWithAttachments(Protocol):
    """A mailer that can attach files (the monthly recap's reports)."""

    def send(
        self, recipient: str, email: RenderedEmail, attachments: tuple[Attachment, ...] = ()
    ) -> str: ...


class OpenComplaints(Protocol):
    def due_by(self, unit: str, end: datetime) -> list[OpenComplaint]:
        """The unit's open complaints (clock running) with a deadline at or before ``end``."""
        ...


class Tally(Protocol):
    """Counts of a batch of sends (a notify delivery, a digest, a recap run)."""

    sent: int
    duplicates: int
    failed: int
    in_progress: int
    dropped: int  # not on the training stage's allow-list: not sent, on purpose
    errors: list[str]


# The recap's XLSX workbook: the function's own renderer (XlsxWriter is not in the layer).
XlsxRenderer = Callable[["MonthRecap", "Taxonomy"], bytes]

# The upload checker's inspection of a file's bytes against its declared content type:
# the function's own (Pillow and pypdf are not in the layer).
FileInspector = Callable[[bytes, str], "CleanFile | Refusal"]
