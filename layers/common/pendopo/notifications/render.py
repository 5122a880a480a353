"""A ``Notice`` as an email: subject, plain-text part and HTML part (jinja2).

The templates live in ``pendopo/templates/email`` (one place for the wording);
HTML is autoescaped, so a complaint title like ``<script>`` arrives as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pendopo.domain.notifications import Notice

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "email"


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def template_environment(directory: Path, *, keep_trailing_newline: bool = True) -> Environment:
    """jinja2 as every template of the layer wants it (emails, recap, reporter messages)."""
    return Environment(
        loader=FileSystemLoader(directory),
        # .html autoescaped, .txt not (plain text has nothing to escape).
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=keep_trailing_newline,
    )


@cache
def _environment() -> Environment:
    return template_environment(TEMPLATE_DIR)


def render_notice(notice: Notice) -> RenderedEmail:
    environment = _environment()
    return RenderedEmail(
        subject=notice.subject,
        text=environment.get_template("notice.txt").render(notice=notice),
        html=environment.get_template("notice.html").render(notice=notice),
    )
