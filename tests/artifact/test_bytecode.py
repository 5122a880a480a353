"""Every artifact ships its bytecode, for Python 3.13, valid whatever the files' mtimes.

Lambda's /opt and /var/task are read-only: a module without usable bytecode there is
compiled again at every cold start. So in the layer and in every function (the twin
``make build-host`` made, and ``sam build``'s output when there is one):

- every ``.py`` has ``__pycache__/<name>.cpython-313.pyc`` beside it, and no ``.pyc``
  lacks its source (tracebacks keep their lines);
- each pyc is hash-based and unchecked (PEP 552: flags word 0b01), holds the hash of
  the source beside it, and carries 3.13's magic number;
- nothing is missing: every file of the package and the function folder, and every
  pinned requirement at its version.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from tests.support.artifacts import artifact_roots
from tools.build.runtime import LAYER, ROOT, lambda_functions

TAG = "cpython-313"
UNCHECKED_HASH = 0b01
# Files of a function's folder that its Makefile leaves out on purpose (functions/function.mk).
NOT_SHIPPED = {"Makefile", "requirements.txt", "README.md", "__main__.py"}
ARTIFACTS = [LAYER, *sorted(lambda_functions())]


def _source_of(logical_id: str) -> Path:
    if logical_id == LAYER:
        return ROOT / "layers" / "common"
    module = lambda_functions()[logical_id][0]  # functions.<name>.app
    return ROOT / Path(*module.split(".")[:-1])


def _artifact(root: Path, logical_id: str) -> Path:
    return root / logical_id / "python" if logical_id == LAYER else root / logical_id


def _pins(requirements: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[re.sub(r"[-_.]+", "_", name.strip()).lower()] = version.strip()
    return pins


@pytest.fixture(params=[p.name for p in artifact_roots()])
def root(request: pytest.FixtureRequest, host_build: Path) -> Path:
    return host_build.parent / str(request.param)


@pytest.mark.parametrize("logical_id", ARTIFACTS)
def test_every_module_has_its_unchecked_hash_bytecode(root: Path, logical_id: str) -> None:
    artifact = _artifact(root, logical_id)
    sources = sorted(artifact.rglob("*.py"))
    assert sources, f"{artifact} holds no Python"
    problems: list[str] = []
    for source in sources:
        pyc = source.parent / "__pycache__" / f"{source.stem}.{TAG}.pyc"
        if not pyc.exists():
            problems.append(f"no bytecode: {source.relative_to(artifact)}")
            continue
        header = pyc.read_bytes()[:16]
        if header[:4] != importlib.util.MAGIC_NUMBER:
            problems.append(f"not 3.13's magic number: {pyc.relative_to(artifact)}")
        if int.from_bytes(header[4:8], "little") != UNCHECKED_HASH:
            problems.append(f"not unchecked-hash: {pyc.relative_to(artifact)}")
        if header[8:16] != importlib.util.source_hash(source.read_bytes()):
            problems.append(f"bytecode of another source: {pyc.relative_to(artifact)}")
    for pyc in artifact.rglob("*.pyc"):
        stem = pyc.name.split(".", 1)[0]
        if pyc.parent.name != "__pycache__" or not (pyc.parent.parent / f"{stem}.py").exists():
            problems.append(f"bytecode without its source: {pyc.relative_to(artifact)}")
    rebuild = "make build-host" if root.name == "host" else "make build (sam build's output)"
    assert problems == [], (
        f"{len(problems)} problems in {artifact} (rebuilt by {rebuild}?):\n"
        + "\n".join(problems[:40])
    )


@pytest.mark.parametrize("logical_id", ARTIFACTS)
def test_no_file_of_ours_is_missing(host_build: Path, logical_id: str) -> None:
    """Against the twin only: an earlier ``sam build`` output may predate the sources."""
    root = host_build
    source = _source_of(logical_id)
    artifact = _artifact(root, logical_id)
    if logical_id == LAYER:
        source, artifact = source / "pendopo", artifact / "pendopo"
    else:
        artifact = artifact / source.relative_to(ROOT)
    expected = {
        p.relative_to(source)
        for p in source.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix != ".pyc"
        and p.name not in NOT_SHIPPED
    }
    missing = [p for p in sorted(expected) if not (artifact / p).is_file()]
    changed = [
        p
        for p in sorted(expected - set(missing))
        if (artifact / p).read_bytes() != (source / p).read_bytes()
    ]
    assert (missing, changed) == ([], []), f"{artifact}: missing {missing}, different {changed}"


@pytest.mark.parametrize(
    "logical_id", [i for i in ARTIFACTS if (_source_of(i) / "requirements.txt").exists()]
)
def test_every_pinned_requirement_is_there(root: Path, logical_id: str) -> None:
    requirements = _source_of(logical_id) / "requirements.txt"
    artifact = _artifact(root, logical_id)
    installed = {}
    for dist in artifact.glob("*.dist-info"):
        name, _, version = dist.name.removesuffix(".dist-info").rpartition("-")
        installed[re.sub(r"[-_.]+", "_", name).lower()] = version
    pins = _pins(requirements)
    assert {name: installed.get(name) for name in pins} == pins
