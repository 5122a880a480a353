"""The complaint taxonomy: category → coordinating unit → Asisten, plus follow-up agencies.

The routing rules come from Instruksi Sekda DKI Jakarta No. 28/2025 (diktum KESATU, letters
b–h, item 2) and live as data in ``data/taxonomy.json``, so a change of rules is a change of
data, not of code. This module only reads that file and refuses it when it is inconsistent:
a bad taxonomy must fail at cold start, not route a citizen's complaint to nobody.

Standard library only: every function imports this module at cold start.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

FALLBACK_CATEGORY = "LAINNYA"
# Biro Pemerintahan verifies every complaint and re-routes the ones nobody could classify.
VERIFYING_UNIT = "BIRO_PEM"
AGENCY_KINDS = frozenset({"perangkat_daerah", "bumd"})

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TAXONOMY_PATH = DATA_DIR / "taxonomy.json"
RECIPIENTS_PATH = DATA_DIR / "recipients.json"

# Same shape the complaint model accepts, so every code in the file can be submitted.
# Shared with the complaint model, which validates the same codes and emails.
CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{1,40}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")

_Record = dict[str, Any]
_T = TypeVar("_T")


class TaxonomyError(ValueError):
    """The taxonomy file is inconsistent; the message says where and why."""


class RecipientsError(ValueError):
    """The email recipients configuration is incomplete or malformed."""


@dataclass(frozen=True, slots=True)
class Asisten:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    name: str
    short_name: str
    asisten: str


@dataclass(frozen=True, slots=True)
class Topic:
    code: str
    label: str
    order: int


@dataclass(frozen=True, slots=True)
class Agency:
    code: str
    name: str
    kind: str
    unit: str


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    label: str
    unit: str
    area: str  # the area of government affairs exactly as the instruction names it
    topic: str
    agencies: tuple[str, ...]
    hint: str | None = None


# eq=False: identity equality and hashing, since the read-only mappings are not hashable.
@dataclass(frozen=True, eq=False)
class Taxonomy:
    asisten: Mapping[str, Asisten]
    units: Mapping[str, Unit]
    categories: Mapping[str, Category]
    topics: Mapping[str, Topic]
    agencies: Mapping[str, Agency]

    def category(self, code: str | None) -> Category | None:
        return self.categories.get(code) if code else None

    def unit_for(self, category_code: str | None) -> Unit:
        """The unit that receives a complaint; unknown categories go to the verifying unit."""
        category = self.category(category_code) or self.categories[FALLBACK_CATEGORY]
        return self.units[category.unit]

    def categories_of(self, unit_code: str) -> list[Category]:
        self._require_unit(unit_code)
        return [c for c in self.categories.values() if c.unit == unit_code]

    def agencies_of(self, unit_code: str) -> list[Agency]:
        self._require_unit(unit_code)
        return [a for a in self.agencies.values() if a.unit == unit_code]

    def asisten_of(self, unit_code: str) -> Asisten:
        return self.asisten[self._require_unit(unit_code).asisten]

    def _require_unit(self, unit_code: str) -> Unit:
        unit = self.units.get(unit_code)
        if unit is None:
            raise KeyError(f"unknown unit {unit_code!r}")
        return unit


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read and check the taxonomy; the packaged file is read once per process."""
    return _packaged_taxonomy() if path is None else _read_taxonomy(path)


@cache
def _packaged_taxonomy() -> Taxonomy:
    return _read_taxonomy(TAXONOMY_PATH)


def _read_taxonomy(path: Path) -> Taxonomy:
    try:
        return _build_taxonomy(_parse_json(path.read_text(encoding="utf-8")))
    except (TaxonomyError, json.JSONDecodeError) as error:
        raise TaxonomyError(f"{path.name}: {error}") from None


def _parse_json(text: str) -> _Record:
    document = json.loads(text)
    if not isinstance(document, dict):
        raise TaxonomyError("the document must be a JSON object")
    return document


def _build_taxonomy(document: _Record) -> Taxonomy:
    # Sections are lists, not objects keyed by code, so a duplicated code is
    # reported instead of silently overwritten by the JSON parser.
    taxonomy = Taxonomy(
        asisten=_index("asisten", document, _asisten),
        units=_index("units", document, _unit),
        categories=_index("categories", document, _category),
        topics=_sorted_topics(_index("topics", document, _topic)),
        agencies=_index("agencies", document, _agency),
    )
    _check_references(taxonomy)
    _check_every_unit_receives(taxonomy)
    _check_fallback(taxonomy)
    return taxonomy


def _index(
    section: str, document: _Record, build: Callable[[_Record, str, str], _T]
) -> Mapping[str, _T]:
    records = document.get(section)
    if not isinstance(records, list) or not records:
        raise TaxonomyError(f"section {section!r} must be a non-empty list")
    items: dict[str, _T] = {}
    for position, record in enumerate(records):
        if not isinstance(record, dict):
            raise TaxonomyError(f"{section}[{position}] must be an object")
        code = _code(record, f"{section}[{position}]")
        if code in items:
            raise TaxonomyError(f"duplicate code {code!r} in {section}")
        items[code] = build(record, code, f"{section} {code!r}")
    return MappingProxyType(items)


def _code(record: _Record, where: str) -> str:
    code = _text(record, "code", where)
    if not CODE_PATTERN.match(code):
        raise TaxonomyError(f"{where}: code {code!r} must be UPPER_SNAKE_CASE (2-41 chars)")
    return code


def _text(record: _Record, field: str, where: str) -> str:
    value = record.get(field)
    if not isinstance(value, str) or not value.strip():
        raise TaxonomyError(f"{where}: {field!r} must be a non-empty text")
    return value.strip()


def _optional_text(record: _Record, field: str, where: str) -> str | None:
    return _text(record, field, where) if record.get(field) is not None else None


def _asisten(record: _Record, code: str, where: str) -> Asisten:
    return Asisten(code=code, name=_text(record, "name", where))


def _unit(record: _Record, code: str, where: str) -> Unit:
    return Unit(
        code=code,
        name=_text(record, "name", where),
        short_name=_text(record, "short_name", where),
        asisten=_text(record, "asisten", where),
    )


def _topic(record: _Record, code: str, where: str) -> Topic:
    order = record.get("order")
    if not isinstance(order, int) or isinstance(order, bool):
        raise TaxonomyError(f"{where}: 'order' must be an integer")
    return Topic(code=code, label=_text(record, "label", where), order=order)


def _agency(record: _Record, code: str, where: str) -> Agency:
    kind = _text(record, "kind", where)
    if kind not in AGENCY_KINDS:
        raise TaxonomyError(f"{where}: kind {kind!r} is not one of {sorted(AGENCY_KINDS)}")
    return Agency(
        code=code,
        name=_text(record, "name", where),
        kind=kind,
        unit=_text(record, "unit", where),
    )


def _category(record: _Record, code: str, where: str) -> Category:
    agencies = record.get("agencies", [])
    if not isinstance(agencies, list) or not all(isinstance(a, str) for a in agencies):
        raise TaxonomyError(f"{where}: 'agencies' must be a list of agency codes")
    if len(set(agencies)) != len(agencies):
        raise TaxonomyError(f"{where}: 'agencies' lists an agency twice")
    return Category(
        code=code,
        label=_text(record, "label", where),
        unit=_text(record, "unit", where),
        area=_text(record, "area", where),
        topic=_text(record, "topic", where),
        agencies=tuple(agencies),
        hint=_optional_text(record, "hint", where),
    )


def _sorted_topics(topics: Mapping[str, Topic]) -> Mapping[str, Topic]:
    ordered = sorted(topics.values(), key=lambda topic: topic.order)
    return MappingProxyType({topic.code: topic for topic in ordered})


def _check_references(taxonomy: Taxonomy) -> None:
    for unit in taxonomy.units.values():
        _require(unit.asisten, taxonomy.asisten, f"unit {unit.code!r}", "asisten")
    for agency in taxonomy.agencies.values():
        _require(agency.unit, taxonomy.units, f"agency {agency.code!r}", "unit")
    for category in taxonomy.categories.values():
        where = f"category {category.code!r}"
        _require(category.unit, taxonomy.units, where, "unit")
        _require(category.topic, taxonomy.topics, where, "topic")
        for code in category.agencies:
            _require(code, taxonomy.agencies, where, "agency")
        _check_same_coordinator(category, taxonomy.agencies)


def _require(code: str, known: Mapping[str, object], where: str, kind: str) -> None:
    if code not in known:
        raise TaxonomyError(f"{where} refers to unknown {kind} {code!r}")


def _check_same_coordinator(category: Category, agencies: Mapping[str, Agency]) -> None:
    # A unit can only chase agencies it coordinates, so a suggestion from another
    # unit's portfolio would leave the follow-up without anyone to monitor it.
    for code in category.agencies:
        if agencies[code].unit != category.unit:
            raise TaxonomyError(
                f"category {category.code!r} of unit {category.unit!r} suggests agency "
                f"{code!r}, which is coordinated by {agencies[code].unit!r}"
            )


def _check_every_unit_receives(taxonomy: Taxonomy) -> None:
    receiving = {category.unit for category in taxonomy.categories.values()}
    for code in taxonomy.units:
        if code not in receiving:
            raise TaxonomyError(f"unit {code!r} has no categories")


def _check_fallback(taxonomy: Taxonomy) -> None:
    fallback = taxonomy.categories.get(FALLBACK_CATEGORY)
    if fallback is None:
        raise TaxonomyError(f"fallback category {FALLBACK_CATEGORY!r} is missing")
    if fallback.unit != VERIFYING_UNIT:
        raise TaxonomyError(
            f"fallback category {FALLBACK_CATEGORY!r} must go to {VERIFYING_UNIT!r}, "
            f"not {fallback.unit!r}"
        )


# --- email recipients -------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Recipients:
    """Who is emailed: unit coordinators and verifiers (alerts), Asisten and Sekda (recap)."""

    unit_coordinators: Mapping[str, tuple[str, ...]]
    asisten_emails: Mapping[str, str]
    sekda_email: str
    # The verifiers of Biro Pemerintahan: they verify new complaints and validate results.
    verifiers: tuple[str, ...]
    # Each unit's head (``units.<U>.head``), who gets the unit's monthly recap.
    unit_heads: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def coordinators(self, unit_code: str) -> tuple[str, ...]:
        if unit_code not in self.unit_coordinators:
            raise KeyError(f"no coordinators configured for unit {unit_code!r}")
        return self.unit_coordinators[unit_code]

    def asisten(self, asisten_code: str) -> str:
        if asisten_code not in self.asisten_emails:
            raise KeyError(f"no email configured for asisten {asisten_code!r}")
        return self.asisten_emails[asisten_code]

    @property
    def sekda(self) -> str:
        return self.sekda_email

    def unit_head(self, unit_code: str) -> tuple[str, ...]:
        """Who gets the unit's monthly recap: its head, or its coordinators if none is set.

        ``head`` is optional so that a ``RECIPIENTS_JSON`` written before the recap
        existed keeps working; the recap then goes to the unit's coordinators.
        """
        head = self.unit_heads.get(unit_code)
        return (head,) if head else self.coordinators(unit_code)


def load_recipients(
    path: Path | None = None,
    override_json: str | None = None,
    *,
    taxonomy: Taxonomy | None = None,
) -> Recipients:
    """Read the recipients; ``override_json`` (set per deployment) replaces the file whole.

    A blank override counts as absent, so an empty environment variable keeps the file.
    """
    if override_json and override_json.strip():
        return _parse_recipients(override_json, "recipients override", taxonomy)
    if path is None and taxonomy is None:
        return _packaged_recipients()
    source = path or RECIPIENTS_PATH
    return _parse_recipients(source.read_text(encoding="utf-8"), source.name, taxonomy)


@cache
def _packaged_recipients() -> Recipients:
    return _parse_recipients(
        RECIPIENTS_PATH.read_text(encoding="utf-8"), RECIPIENTS_PATH.name, None
    )


def _parse_recipients(text: str, source: str, taxonomy: Taxonomy | None) -> Recipients:
    known = taxonomy or load_taxonomy()
    try:
        document = json.loads(text)
        if not isinstance(document, dict):
            raise RecipientsError("the document must be a JSON object")
        return Recipients(
            unit_coordinators=_unit_coordinators(document.get("units"), known),
            asisten_emails=_asisten_emails(document.get("asisten"), known),
            sekda_email=_email(document.get("sekda"), "sekda"),
            verifiers=_verifiers(document.get("verifiers")),
            unit_heads=_unit_heads(document.get("units"), known),
        )
    except (RecipientsError, json.JSONDecodeError) as error:
        raise RecipientsError(f"{source}: {error}") from None


def _unit_coordinators(section: object, taxonomy: Taxonomy) -> Mapping[str, tuple[str, ...]]:
    entries = _section(section, "units", taxonomy.units)
    coordinators: dict[str, tuple[str, ...]] = {}
    for code in taxonomy.units:
        entry = entries[code]
        emails = entry.get("coordinators") if isinstance(entry, dict) else None
        if not isinstance(emails, list) or not emails:
            raise RecipientsError(f"unit {code!r} needs a non-empty 'coordinators' list")
        coordinators[code] = tuple(_email(e, f"coordinator of {code!r}") for e in emails)
    return MappingProxyType(coordinators)


def _unit_heads(section: object, taxonomy: Taxonomy) -> Mapping[str, str]:
    # Optional per unit (see Recipients.unit_head); the section itself is checked above.
    heads: dict[str, str] = {}
    entries = section if isinstance(section, dict) else {}
    for code in taxonomy.units:
        entry = entries.get(code)
        head = entry.get("head") if isinstance(entry, dict) else None
        if head is not None:
            heads[code] = _email(head, f"head of {code!r}")
    return MappingProxyType(heads)


def _verifiers(section: object) -> tuple[str, ...]:
    # Required: without verifiers, new complaints and follow-up results would wait unseen.
    if not isinstance(section, list) or not section:
        raise RecipientsError("'verifiers' must be a non-empty list of email addresses")
    return tuple(_email(e, "verifier") for e in section)


def _asisten_emails(section: object, taxonomy: Taxonomy) -> Mapping[str, str]:
    entries = _section(section, "asisten", taxonomy.asisten)
    return MappingProxyType(
        {code: _email(entries[code], f"asisten {code!r}") for code in taxonomy.asisten}
    )


def _section(section: object, name: str, known: Iterable[str]) -> Mapping[str, object]:
    # Every recipient must be configured: a missing unit would silently get no alerts.
    if not isinstance(section, dict):
        raise RecipientsError(f"{name!r} must be an object keyed by code")
    expected = set(known)
    unknown = sorted(set(section) - expected)
    if unknown:
        raise RecipientsError(f"unknown {name} code(s): {', '.join(unknown)}")
    missing = sorted(expected - set(section))
    if missing:
        raise RecipientsError(f"missing {name} code(s): {', '.join(missing)}")
    return section


def _email(value: object, where: str) -> str:
    if not isinstance(value, str) or not EMAIL_PATTERN.match(value.strip()):
        raise RecipientsError(f"{where}: {value!r} is not an email address")
    return value.strip()
