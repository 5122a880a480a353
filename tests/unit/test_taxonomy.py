"""The taxonomy follows Instruksi Sekda DKI Jakarta No. 28/2025 and refuses broken data."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pendopo.domain.taxonomy import (
    FALLBACK_CATEGORY,
    TAXONOMY_PATH,
    VERIFYING_UNIT,
    RecipientsError,
    TaxonomyError,
    load_recipients,
    load_taxonomy,
)

INSTRUCTION = Path(__file__).resolve().parents[2] / "docs" / "instruksi-sekda-28-2025.txt"
LETTER_UNITS = {
    "b": "BPBUMD",
    "c": "BIRO_PEM",
    "d": "BIRO_ORB",
    "e": "BIRO_PLH",
    "f": "BIRO_PK",
    "g": "BIRO_KESOS",
    "h": "BIRO_DIKMENTAL",
}
RECEIVING_ITEM = re.compile(
    r"^2\. menerima pengaduan masyarakat urusan pemerintahan (?P<areas>.+?);?\s*$", re.M
)
# "Penelitian dan pengembangan" (litbang) is one support function; the comma the
# instruction puts before "dan" there is style, unlike in "ketertiban umum, dan ...".
COMPOUND_AREAS = {"penelitian, dan pengembangan": "penelitian dan pengembangan"}
# "bidang X (pada suburusan bidang A, B, C)": only the sub-areas A, B, C are received.
SUB_AREAS = re.compile(r"bidang [^;,()]+?\s*\(pada (?P<head>suburusan bidang) (?P<list>[^)]*)\)")
# "bidang keuangan pada subbidang Y": only the sub-field Y is received.
SUB_FIELD = re.compile(r"bidang [^;,()]+? pada (?P<field>subbidang [^;,]+)")


def receiving_items(text: str) -> dict[str, str]:
    """Item 2 ("menerima pengaduan ...") of each lettered unit section in diktum KESATU."""
    parts = re.split(r"^([a-j])\. Kepala ", text, flags=re.M)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    items = {}
    for letter in LETTER_UNITS:
        match = RECEIVING_ITEM.search(sections[letter])
        assert match, f"no receiving item in section {letter}"
        items[letter] = match["areas"]
    return items


def split_areas(item: str) -> list[str]:
    """Split one receiving item into its areas, e.g. "bidang kesehatan", "bidang statistik".

    Lists are separated by ";" and "serta"; inside a list commas (and ", dan") separate
    areas and a bare " dan " never does, because it joins the names of single areas
    ("komunikasi dan informatika"). A list element without its own "bidang" inherits the
    head of the first element ("bidang komunikasi dan informatika, statistik").
    """
    text = " ".join(item.lower().split())
    for compound, joined in COMPOUND_AREAS.items():
        text = text.replace(compound, joined)
    text = SUB_AREAS.sub(
        lambda m: "; ".join(f"{m['head']} {a.strip()}" for a in m["list"].split(",")), text
    )
    text = SUB_FIELD.sub(lambda m: m["field"], text)
    areas = []
    for chunk in re.split(r";| serta ", text):
        head = ""
        for element in re.split(r",\s*", chunk):
            area = re.sub(r"^dan ", "", element.strip())
            if not area:
                continue
            if "bidang " in area:
                head = area[: area.rindex("bidang ") + len("bidang ")]
            else:
                area = head + area
            areas.append(area)
    return areas


@pytest.fixture(scope="module")
def named_areas() -> dict[str, list[str]]:
    items = receiving_items(INSTRUCTION.read_text(encoding="utf-8"))
    return {LETTER_UNITS[letter]: split_areas(item) for letter, item in items.items()}


# --- the instruction is covered ------------------------------------------------------


def test_receiving_items_split_into_real_areas(named_areas: dict[str, list[str]]) -> None:
    # Given the instruction text; When the tricky items are split; Then each phrase is an area
    assert named_areas["BPBUMD"] == ["subbidang pembinaan badan usaha milik daerah"]
    assert named_areas["BIRO_PEM"] == [
        "bidang ketenteraman",
        "bidang ketertiban umum",
        "bidang perlindungan masyarakat",
        "bidang komunikasi dan informatika",
        "bidang statistik",
        "bidang persandian",
        "bidang administrasi kependudukan dan pencatatan sipil",
        "bidang kesatuan bangsa dan politik",
        "fungsi penunjang urusan pemerintahan bidang perencanaan",
        "fungsi penunjang urusan pemerintahan bidang penelitian dan pengembangan",
        "kesekretariatan dewan perwakilan rakyat daerah",
    ]
    assert named_areas["BIRO_PLH"][:3] == [
        "suburusan bidang jalan",
        "suburusan bidang sumber daya air",
        "suburusan bidang air minum",
    ]
    assert "suburusan bidang penataan bangunan dan lingkungannya" in named_areas["BIRO_PLH"]
    assert "suburusan bidang geologi" in named_areas["BIRO_PLH"]
    assert named_areas["BIRO_PLH"][-3:] == [
        "bidang penyelenggaraan penerangan jalan umum",
        "bidang jaringan utilitas",
        "bidang infrastruktur transportasi",
    ]
    assert named_areas["BIRO_DIKMENTAL"] == [
        "bidang pendidikan",
        "bidang kebudayaan",
        "bidang perpustakaan dan kearsipan",
        "bidang mental spiritual",
    ]
    sizes = {unit: len(areas) for unit, areas in named_areas.items()}
    assert sizes == {
        "BPBUMD": 1,
        "BIRO_PEM": 11,
        "BIRO_ORB": 1,
        "BIRO_PLH": 19,
        "BIRO_PK": 14,
        "BIRO_KESOS": 6,
        "BIRO_DIKMENTAL": 4,
    }


@pytest.mark.parametrize("unit_code", list(LETTER_UNITS.values()))
def test_every_area_the_instruction_names_has_a_category_of_that_unit(
    unit_code: str, named_areas: dict[str, list[str]]
) -> None:
    # Given the areas the instruction assigns to the unit
    taxonomy = load_taxonomy()
    # When we collect the areas its categories cover
    covered = {c.area.lower() for c in taxonomy.categories_of(unit_code)}
    # Then none is missing
    missing = [area for area in named_areas[unit_code] if area not in covered]
    assert not missing, f"{unit_code} has no category for {missing}"


def test_every_category_area_is_one_the_instruction_gives_its_unit(
    named_areas: dict[str, list[str]],
) -> None:
    # Given the taxonomy; When each category's area is looked up in the instruction
    taxonomy = load_taxonomy()
    strays = [
        c.code
        for c in taxonomy.categories.values()
        if c.code != FALLBACK_CATEGORY and c.area.lower() not in named_areas[c.unit]
    ]
    # Then every area is quoted exactly, under the unit the instruction names
    assert not strays


def test_the_fallback_rests_on_biro_pemerintahan_verifying_complaints() -> None:
    # Given the instruction's extra duty for Biro Pemerintahan (letter c, item 6)
    text = " ".join(INSTRUCTION.read_text(encoding="utf-8").split())
    fallback = load_taxonomy().categories[FALLBACK_CATEGORY]
    # Then the fallback's area is that duty and it goes to the verifying unit
    assert f"6. melakukan {fallback.area} melalui aplikasi CRM" in text
    assert fallback.unit == VERIFYING_UNIT == "BIRO_PEM"


# --- the packaged taxonomy -----------------------------------------------------------


def test_the_packaged_taxonomy_loads_with_the_seven_units() -> None:
    taxonomy = load_taxonomy()
    assert list(taxonomy.units) == list(LETTER_UNITS.values())
    assert set(taxonomy.asisten) == {"ASISTEN_PEM", "ASISTEN_PK", "ASISTEN_PLH", "ASISTEN_KESRA"}
    assert taxonomy is load_taxonomy()  # read once per process


def test_each_category_maps_to_exactly_one_existing_unit_topic_and_label() -> None:
    taxonomy = load_taxonomy()
    for category in taxonomy.categories.values():
        assert category.unit in taxonomy.units
        assert category.topic in taxonomy.topics
        assert re.fullmatch(r"[A-Z][A-Z0-9_]{1,40}", category.code)
    assert sum(len(taxonomy.categories_of(u)) for u in taxonomy.units) == len(taxonomy.categories)
    labels = [c.label for c in taxonomy.categories.values()]
    assert len(labels) == len(set(labels)), "citizens cannot tell two equal labels apart"


def test_topics_come_in_display_order_and_each_groups_categories() -> None:
    taxonomy = load_taxonomy()
    orders = [topic.order for topic in taxonomy.topics.values()]
    assert orders == sorted(orders)
    used = {c.topic for c in taxonomy.categories.values()}
    assert used == set(taxonomy.topics)
    assert taxonomy.categories[FALLBACK_CATEGORY].topic == list(taxonomy.topics)[-1]


@pytest.mark.parametrize("code", [None, "", "TIDAK_ADA", FALLBACK_CATEGORY])
def test_unknown_or_missing_category_goes_to_biro_pemerintahan(code: str | None) -> None:
    # Given a category nobody knows; When it is routed; Then Biro Pemerintahan receives it
    assert load_taxonomy().unit_for(code).code == "BIRO_PEM"


def test_a_known_category_goes_to_its_unit() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.category("ROAD") is not None
    assert taxonomy.unit_for("ROAD").code == "BIRO_PLH"
    assert taxonomy.unit_for("CIVIL_REGISTRY").code == "BIRO_PEM"
    assert taxonomy.unit_for("BUMD_PAM_JAYA").code == "BPBUMD"
    assert taxonomy.category("tidak_ada") is None


def test_finance_is_split_between_bpbumd_and_biro_pk() -> None:
    # Given the two finance areas the instruction names
    taxonomy = load_taxonomy()
    bumd_supervision = "subbidang pembinaan Badan Usaha Milik Daerah"
    support_function = "penyelenggaraan fungsi penunjang urusan pemerintahan bidang keuangan"
    # When categories are grouped by those areas
    units_by_area = {
        area: {c.unit for c in taxonomy.categories.values() if c.area == area}
        for area in (bumd_supervision, support_function)
    }
    # Then each area is served by exactly one, different unit
    assert units_by_area == {bumd_supervision: {"BPBUMD"}, support_function: {"BIRO_PK"}}


def test_energy_is_split_between_biro_plh_and_biro_pk() -> None:
    taxonomy = load_taxonomy()
    geology = [c for c in taxonomy.categories.values() if c.area == "suburusan bidang geologi"]
    energy = [c for c in taxonomy.categories.values() if c.area == "bidang energi"]
    assert geology and {c.unit for c in geology} == {"BIRO_PLH"}
    assert energy and {c.unit for c in energy} == {"BIRO_PK"}
    assert not {c.code for c in geology} & {c.code for c in energy}


@pytest.mark.parametrize(
    ("unit_code", "asisten_name"),
    [
        ("BPBUMD", "Asisten Perekonomian dan Keuangan"),
        ("BIRO_PK", "Asisten Perekonomian dan Keuangan"),
        ("BIRO_PEM", "Asisten Pemerintahan"),
        ("BIRO_ORB", "Asisten Pemerintahan"),
        ("BIRO_PLH", "Asisten Pembangunan dan Lingkungan Hidup"),
        ("BIRO_KESOS", "Asisten Kesejahteraan Rakyat"),
        ("BIRO_DIKMENTAL", "Asisten Kesejahteraan Rakyat"),
    ],
)
def test_every_unit_reports_through_its_asisten(unit_code: str, asisten_name: str) -> None:
    assert load_taxonomy().asisten_of(unit_code).name == asisten_name


def test_agencies_are_coordinated_by_the_unit_of_the_categories_suggesting_them() -> None:
    taxonomy = load_taxonomy()
    for category in taxonomy.categories.values():
        for code in category.agencies:
            assert taxonomy.agencies[code].unit == category.unit, (category.code, code)
    bumd = {a.code for a in taxonomy.agencies.values() if a.kind == "bumd"}
    assert {a.code for a in taxonomy.agencies_of("BPBUMD")} == bumd
    assert {"PAM_JAYA", "TRANSJAKARTA", "MRT_JAKARTA", "BANK_DKI"} <= bumd
    for unit_code in taxonomy.units:
        assert taxonomy.agencies_of(unit_code), unit_code


def test_asking_about_an_unknown_unit_is_an_error() -> None:
    taxonomy = load_taxonomy()
    for lookup in (taxonomy.categories_of, taxonomy.agencies_of, taxonomy.asisten_of):
        with pytest.raises(KeyError, match="BIRO_X"):
            lookup("BIRO_X")


# --- broken taxonomy files are refused -----------------------------------------------

Document = dict[str, Any]


def _packaged_document() -> Document:
    return json.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))


def _find(document: Document, section: str, code: str) -> dict[str, Any]:
    return next(r for r in document[section] if r["code"] == code)


def _duplicate_category(d: Document) -> None:
    d["categories"].append(copy.deepcopy(_find(d, "categories", "ROAD")))


def _unknown_unit(d: Document) -> None:
    _find(d, "categories", "ROAD")["unit"] = "BIRO_X"


def _unknown_asisten(d: Document) -> None:
    _find(d, "units", "BIRO_PLH")["asisten"] = "ASISTEN_X"


def _unknown_topic(d: Document) -> None:
    _find(d, "categories", "ROAD")["topic"] = "NOWHERE"


def _unknown_agency(d: Document) -> None:
    _find(d, "categories", "ROAD")["agencies"] = ["DINAS_X"]


def _agency_of_another_unit(d: Document) -> None:
    _find(d, "categories", "ROAD")["agencies"] = ["DISHUB"]


def _unit_without_categories(d: Document) -> None:
    d["categories"] = [c for c in d["categories"] if c["unit"] != "BIRO_ORB"]


def _missing_fallback(d: Document) -> None:
    d["categories"] = [c for c in d["categories"] if c["code"] != FALLBACK_CATEGORY]


def _fallback_elsewhere(d: Document) -> None:
    _find(d, "categories", FALLBACK_CATEGORY)["unit"] = "BIRO_PLH"


def _empty_label(d: Document) -> None:
    _find(d, "categories", "ROAD")["label"] = "  "


def _duplicate_unit(d: Document) -> None:
    d["units"].append(copy.deepcopy(_find(d, "units", "BIRO_PK")))


def _lowercase_code(d: Document) -> None:
    _find(d, "topics", "OTHER")["code"] = "other"


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (_duplicate_category, "duplicate code 'ROAD' in categories"),
        (_duplicate_unit, "duplicate code 'BIRO_PK' in units"),
        (_unknown_unit, "category 'ROAD' refers to unknown unit 'BIRO_X'"),
        (_unknown_asisten, "unit 'BIRO_PLH' refers to unknown asisten 'ASISTEN_X'"),
        (_unknown_topic, "category 'ROAD' refers to unknown topic 'NOWHERE'"),
        (_unknown_agency, "category 'ROAD' refers to unknown agency 'DINAS_X'"),
        (_agency_of_another_unit, "suggests agency 'DISHUB', which is coordinated by 'BIRO_PK'"),
        (_unit_without_categories, "unit 'BIRO_ORB' has no categories"),
        (_missing_fallback, "fallback category 'LAINNYA' is missing"),
        (_fallback_elsewhere, "'LAINNYA' must go to 'BIRO_PEM', not 'BIRO_PLH'"),
        (_empty_label, "categories 'ROAD': 'label' must be a non-empty text"),
        (_lowercase_code, "code 'other' must be UPPER_SNAKE_CASE"),
    ],
)
def test_a_broken_taxonomy_file_is_refused_with_a_clear_message(
    tmp_path: Path, breakage: Callable[[Document], None], message: str
) -> None:
    # Given a copy of the real file with one mistake
    document = _packaged_document()
    breakage(document)
    path = tmp_path / "taxonomy.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    # When it is loaded; Then it is refused, naming the mistake
    with pytest.raises(TaxonomyError, match=re.escape(message)):
        load_taxonomy(path)


def test_a_taxonomy_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"taxonomy\.json: Expecting"):
        load_taxonomy(path)


# --- email recipients ----------------------------------------------------------------


def _recipients_document() -> Document:
    taxonomy = load_taxonomy()
    return {
        "sekda": "sekda@jakarta.example",
        "verifiers": ["verifikator@jakarta.example"],
        "asisten": {code: f"{code.lower()}@jakarta.example" for code in taxonomy.asisten},
        "units": {
            code: {"coordinators": [f"{code.lower()}@jakarta.example", "ops@jakarta.example"]}
            for code in taxonomy.units
        },
    }


def test_the_packaged_recipients_cover_every_unit_and_asisten() -> None:
    taxonomy = load_taxonomy()
    recipients = load_recipients()
    for unit_code in taxonomy.units:
        assert recipients.coordinators(unit_code)
        assert all(e.endswith("@pendopo.example") for e in recipients.coordinators(unit_code))
    for asisten_code in taxonomy.asisten:
        assert recipients.asisten(asisten_code).endswith("@pendopo.example")
    assert recipients.sekda == "sekda@pendopo.example"
    # The verifiers are their own list, not coordinators of Biro Pemerintahan.
    assert recipients.verifiers == ("verifikator.biro-pem@pendopo.example",)
    assert set(recipients.verifiers).isdisjoint(recipients.coordinators("BIRO_PEM"))


def test_a_deployment_override_replaces_the_packaged_recipients() -> None:
    # Given recipients configured inline through an environment variable
    override = json.dumps(_recipients_document())
    # When they are loaded
    recipients = load_recipients(override_json=override)
    # Then they win over the packaged file
    assert recipients.coordinators("BIRO_PLH") == (
        "biro_plh@jakarta.example",
        "ops@jakarta.example",
    )
    assert recipients.asisten("ASISTEN_KESRA") == "asisten_kesra@jakarta.example"
    assert recipients.sekda == "sekda@jakarta.example"
    assert recipients.verifiers == ("verifikator@jakarta.example",)


def test_a_blank_override_keeps_the_packaged_recipients() -> None:
    assert load_recipients(override_json="  ").sekda == "sekda@pendopo.example"


def _unknown_recipient_unit(d: Document) -> None:
    d["units"]["BIRO_X"] = {"coordinators": ["x@jakarta.example"]}


def _missing_recipient_unit(d: Document) -> None:
    del d["units"]["BIRO_KESOS"]


def _bad_coordinator_email(d: Document) -> None:
    d["units"]["BIRO_PK"]["coordinators"] = ["koordinator biro pk"]


def _no_coordinators(d: Document) -> None:
    d["units"]["BIRO_PK"]["coordinators"] = []


def _bad_sekda_email(d: Document) -> None:
    d["sekda"] = "sekda@localhost"


def _unknown_asisten_code(d: Document) -> None:
    d["asisten"]["ASISTEN_X"] = "x@jakarta.example"


def _no_verifiers(d: Document) -> None:
    del d["verifiers"]


def _bad_verifier_email(d: Document) -> None:
    d["verifiers"] = ["verifikator"]


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (_unknown_recipient_unit, "unknown units code(s): BIRO_X"),
        (_missing_recipient_unit, "missing units code(s): BIRO_KESOS"),
        (_bad_coordinator_email, "coordinator of 'BIRO_PK': 'koordinator biro pk' is not an"),
        (_no_coordinators, "unit 'BIRO_PK' needs a non-empty 'coordinators' list"),
        (_bad_sekda_email, "sekda: 'sekda@localhost' is not an email address"),
        (_unknown_asisten_code, "unknown asisten code(s): ASISTEN_X"),
        (_no_verifiers, "'verifiers' must be a non-empty list of email addresses"),
        (_bad_verifier_email, "verifier: 'verifikator' is not an email address"),
    ],
)
def test_a_broken_recipients_override_is_refused(
    breakage: Callable[[Document], None], message: str
) -> None:
    document = _recipients_document()
    breakage(document)
    with pytest.raises(RecipientsError, match=re.escape(message)):
        load_recipients(override_json=json.dumps(document))


def test_a_recipients_file_is_read_from_a_given_path(tmp_path: Path) -> None:
    path = tmp_path / "recipients.json"
    path.write_text(json.dumps(_recipients_document()), encoding="utf-8")
    assert load_recipients(path).sekda == "sekda@jakarta.example"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(RecipientsError, match=r"recipients\.json: the document must be"):
        load_recipients(path)
