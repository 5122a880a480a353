"""The deadline check's digests as emails: subject, plain-text part and HTML part (jinja2).

The wording lives in ``pendopo/templates/email/sla_digest.*`` (a unit's digest) and
``sla_escalation.*`` (an Asisten's), rendered by the same jinja2 environment as the
notification emails: HTML autoescaped, plain tables with inline styles, no images
or external assets, so common mail clients show them as written.
"""

from __future__ import annotations

from pendopo.domain.sla_digest import EscalationDigest, UnitDigest, format_day
from pendopo.notifications.render import RenderedEmail, _environment


def render_unit_digest(digest: UnitDigest) -> RenderedEmail:
    return _render("sla_digest", digest.subject, digest=digest, day=format_day(digest.day))


def render_escalation_digest(digest: EscalationDigest) -> RenderedEmail:
    return _render("sla_escalation", digest.subject, digest=digest, day=format_day(digest.day))


def _render(name: str, subject: str, **context: object) -> RenderedEmail:
    environment = _environment()
    return RenderedEmail(
        subject=subject,
        text=environment.get_template(f"{name}.txt").render(subject=subject, **context),
        html=environment.get_template(f"{name}.html").render(subject=subject, **context),
    )
