"""The reporter's messages as text: one SMS and one email per event (jinja2).

The wording is in ``pendopo/templates/reporter`` (one place): ``sms.txt`` (one line,
GSM-7, one segment), ``subject.txt``, ``email.txt`` and ``email.html`` (which share
``_paragraphs.txt``). The facts come from ``pendopo.domain.reporter_messages``.

An SMS is always one GSM-7 segment: names are made GSM-7 (``gsm``), and the one free
text an SMS carries, the reason of a rejection, is cut to the room the rest leaves.
``render_sms`` checks the result and raises if a template broke the rule, so a
wording change that does not fit fails its unit test, not a citizen's phone.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment

from pendopo.domain.reporter_messages import (
    SMS_SEPTETS,
    MessageKind,
    ReporterMessage,
    fit,
    is_gsm7,
    septets,
    sms_link,
    to_gsm7,
)
from pendopo.notifications.render import RenderedEmail, template_environment

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
LINK_LABELS = {
    MessageKind.DONE: "Lihat hasil dan beri penilaian",
}
DEFAULT_LINK_LABEL = "Lacak pengaduan Anda"


class SmsTooLong(ValueError):
    """A rendered SMS is not one GSM-7 segment: the template needs a shorter wording."""


@cache
def _environment() -> Environment:
    environment = template_environment(TEMPLATE_DIR, keep_trailing_newline=False)
    environment.filters["gsm"] = to_gsm7
    environment.filters["sms_link"] = sms_link
    return environment


def render_sms(message: ReporterMessage) -> str:
    """The SMS of ``message``: one line of GSM-7, 160 septets at most."""
    template = _environment().get_template("reporter/sms.txt")
    reason = ""
    if message.kind is MessageKind.REJECTED:
        room = SMS_SEPTETS - septets(template.render(message=message, reason=""))
        reason = fit(message.reason or "-", room)
    text = template.render(message=message, reason=reason).strip()
    if not is_gsm7(text) or septets(text) > SMS_SEPTETS:
        raise SmsTooLong(f"{message.kind.value}: {septets(text)} septets, gsm7={is_gsm7(text)}")
    return text


def render_email(message: ReporterMessage) -> RenderedEmail:
    environment = _environment()
    subject = environment.get_template("reporter/subject.txt").render(message=message).strip()
    label = LINK_LABELS.get(message.kind, DEFAULT_LINK_LABEL)
    context = {"message": message, "subject": subject, "link_label": label}
    return RenderedEmail(
        subject=subject,
        text=environment.get_template("reporter/email.txt").render(**context),
        html=environment.get_template("reporter/email.html").render(**context),
    )


def render_unsubscribe_page(ticket: str, *, done: bool) -> str:
    """The unsubscribe link's page: a confirmation button, or the confirmation."""
    template = _environment().get_template("reporter/unsubscribe.html")
    return template.render(ticket=ticket, done=done)
