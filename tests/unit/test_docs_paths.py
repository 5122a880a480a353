"""Every repository path the README and docs/*.md name exists, and the README stays short.

Given the README and the pages under docs/, when every path they name is collected,
then each one is in the repository (a file or a folder; ``*`` and ``<placeholder>``
match anything), and the README has at most 300 lines.

What counts as a path:
- in inline code (`...`) and fenced code blocks, every whitespace-separated token that
  starts with a top-level folder of the repository and a ``/`` (``layers/...``,
  ``functions/...``, ``tools/...``, ``tests/...``, ``web/...``, ``docs/...``,
  ``infra/...``, ``.ci/...``), starts with ``pendopo/`` (the layer's package, short for
  ``layers/common/pendopo/``), or is a root file (``template.yaml``, ``Makefile``,
  ``samconfig.toml``, ``pyproject.toml``, ``requirements*.txt``; in inline code only,
  since a fenced layout tree names files relative to its folders); all of these are read
  from the repository root;
- the module after ``python -m`` when it is one of ours (``tools.``, ``infra.``,
  ``functions.``, ``tests.``): it must be a module or a package;
- the target of a relative markdown link ``[text](target)``, read from the folder of
  the page that holds it (``#anchor`` and ``?query`` dropped).
``{a,b}`` in a path expands to both; trailing punctuation is dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README_MAX_LINES = 300

# Top-level folders a doc may name even before they exist (the restructure of #15
# adds tools/); the folders present in the checkout count too.
KNOWN_TOP = {"layers", "functions", "infra", "tools", "tests", "web", "docs", ".ci"}
ROOT_FILE = re.compile(r"^(Makefile|[\w.-]+\.(?:yaml|yml|toml)|requirements[\w-]*\.txt)$")
OUR_PACKAGES = ("tools", "infra", "functions", "tests")

INLINE_CODE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
MODULE_RUN = re.compile(r"-m\s+([A-Za-z_][\w.]*)")
LEAD = "(\"'"
TRAIL = ".,;:!?)\"'"


def doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def top_folders() -> set[str]:
    present = {p.name for p in ROOT.iterdir() if p.is_dir() and p.name not in {".git", ".venv"}}
    return KNOWN_TOP | present


def expand_braces(text: str) -> list[str]:
    match = re.search(r"\{([^{}]*)\}", text)
    if not match:
        return [text]
    head, tail = text[: match.start()], text[match.end() :]
    return [
        expanded
        for choice in match.group(1).split(",")
        for expanded in expand_braces(head + choice + tail)
    ]


def looks_like_path(token: str, tops: set[str], *, bare: bool) -> bool:
    first, slash, _ = token.partition("/")
    if slash:
        return first in tops or first == "pendopo"
    return bare and bool(ROOT_FILE.match(token))


def clean(token: str) -> str:
    token = token.lstrip(LEAD).rstrip(TRAIL)
    token = re.split(r"[#?]", token, maxsplit=1)[0]
    return token.rstrip(TRAIL)


def code_paths(code: str, tops: set[str], *, bare: bool = True) -> set[str]:
    found = set()
    for raw in code.split():
        token = clean(raw)
        if token and looks_like_path(token, tops, bare=bare):
            if token.startswith("pendopo/"):
                token = "layers/common/" + token
            found.add(token)
    return found


def named_paths(page: Path) -> list[tuple[str, Path]]:
    """(path as written, where it must be) for every path the page names."""
    text = page.read_text(encoding="utf-8")
    tops = top_folders()
    found: list[tuple[str, Path]] = []
    fenced = FENCE.findall(text)
    prose = FENCE.sub("", text)
    # A bare file name in a fenced block (a layout tree) is relative to the tree's
    # folder, so only inline code names root files by their bare name.
    blocks = [(code, False) for code in fenced] + [(c, True) for c in INLINE_CODE.findall(prose)]
    for code, bare in blocks:
        for token in sorted(code_paths(code, tops, bare=bare)):
            found.append((token, ROOT))
        for module in MODULE_RUN.findall(code):
            if module.split(".")[0] in OUR_PACKAGES:
                found.append(("module:" + module, ROOT))
    for target in LINK.findall(prose):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith(("#", "/")):
            continue
        target = clean(target)
        if target:
            found.append((target, page.parent))
    return found


def exists(written: str, base: Path) -> bool:
    if written.startswith("module:"):
        parts = written.removeprefix("module:").split(".")
        stem = ROOT.joinpath(*parts)
        return stem.with_suffix(".py").is_file() or (stem / "__init__.py").is_file()
    for path in expand_braces(written):
        pattern = re.sub(r"<[^<>/]*>", "*", path).rstrip("/")
        if "*" in pattern:
            relative = (base / pattern).resolve().relative_to(ROOT) if ".." in pattern else None
            matches = list(ROOT.glob(str(relative))) if relative else list(base.glob(pattern))
            if not matches:
                return False
        elif not (base / pattern).exists():
            return False
    return True


def missing_paths() -> list[str]:
    missing = []
    for page in doc_files():
        for written, base in named_paths(page):
            if not exists(written, base):
                missing.append(f"{page.relative_to(ROOT)}: {written}")
    return sorted(set(missing))


def test_the_docs_name_paths_at_all() -> None:
    # Given the README, when its paths are collected, then the collector finds some
    # (a parser that finds nothing would pass the next test vacuously).
    written = {w for w, _ in named_paths(ROOT / "README.md")}
    assert "template.yaml" in written
    assert any(w.startswith("layers/common/pendopo") for w in written)


def test_every_path_the_docs_name_exists() -> None:
    # Given README.md and docs/*.md, when every repository path they name is looked up,
    # then none is missing.
    assert missing_paths() == []


def test_the_readme_is_read_in_five_minutes() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("`layers/common/pendopo/domain/` and `make test`", {"layers/common/pendopo/domain/"}),
        ("`pendopo/storage/items.py`,", {"layers/common/pendopo/storage/items.py"}),
        ("`bash tools/setup/install_chromium.sh`", {"tools/setup/install_chromium.sh"}),
        ("`template.yaml` `/v1/docs` `http://127.0.0.1:3000/`", {"template.yaml"}),
        ("[the README](../README.md#the-two-commands).", {"../README.md"}),
        ("```\nfunctions/intake/\n  requirements.txt\n```\n", {"functions/intake/"}),
    ],
)
def test_the_collector_reads_inline_code(text: str, expected: set[str], tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    assert {w for w, _ in named_paths(page)} == expected


def test_braces_and_placeholders() -> None:
    assert expand_braces("tools/{local,bench}/") == ["tools/local/", "tools/bench/"]
    assert exists("docs/screenshots/<name>.png", ROOT)
    assert exists("functions/*/app.py", ROOT)
    assert not exists("functions/no-such-function/", ROOT)
