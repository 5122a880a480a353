"""``make build-host``: a twin of ``sam build``'s output for this machine's platform.

Every resource of template.yaml built with ``BuildMethod: makefile`` (the layer and the
seven functions) is built by its own Makefile target, exactly as ``sam build`` runs it
(a scratch copy of the CodeUri folder, ``make --makefile <source>/Makefile
build-<LogicalId>`` with ARTIFACTS_DIR set), with the same requirements and Python 3.13
for the bytecode, but with this machine's wheels (``TARGET_PLATFORM``:
manylinux2014_x86_64 here) instead of arm64's, so the artifacts run here:
``.aws-sam/host/<LogicalId>/`` as ``.aws-sam/build/<LogicalId>/``.

An artifact is rebuilt only when its sources, the shared build files or the platform
changed (a key file in each artifact); ``--check`` only says whether all are current.

    python -m tools.build.host [--check] [--python /path/to/python3.13]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from infra.template import load_template

ROOT = Path(__file__).resolve().parents[2]

HOST_DIR = ROOT / ".aws-sam" / "host"
KEY_FILE = ".build-key"
# Build files outside the CodeUri folders that every artifact's Makefile includes.
SHARED_BUILD_FILES = ("tools/build/artifact.mk", "functions/function.mk")
SKIPPED = {"__pycache__", ".aws-sam", ".git", ".mypy_cache", ".ruff_cache"}


def host_platform() -> str:
    machine = platform.machine().lower()
    machine = {"arm64": "aarch64", "amd64": "x86_64"}.get(machine, machine)
    if platform.system() != "Linux" or machine not in ("x86_64", "aarch64"):
        raise SystemExit(f"build-host: manylinux wheels only (Linux x86_64/aarch64), not {machine}")
    return f"manylinux2014_{machine}"


def makefile_builds() -> dict[str, Path]:
    """LogicalId -> source folder of every resource template.yaml builds with make."""
    builds: dict[str, Path] = {}
    for logical_id, resource in load_template()["Resources"].items():
        if (resource.get("Metadata") or {}).get("BuildMethod") != "makefile":
            continue
        properties = resource.get("Properties", {})
        source = properties.get("CodeUri") or properties.get("ContentUri")
        builds[logical_id] = ROOT / str(source)
    return builds


def _files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not SKIPPED & set(p.relative_to(folder).parts) and p.suffix != ".pyc"
    )


def build_key(source: Path, target_platform: str, python_version: str) -> str:
    """A hash of what the artifact is built from: sources, shared build files, platform."""
    digest = hashlib.sha256(f"{target_platform}\0{python_version}\0".encode())
    for base, files in [(source, _files(source)), (ROOT, [ROOT / f for f in SHARED_BUILD_FILES])]:
        for path in files:
            digest.update(str(path.relative_to(base)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _stamp(artifact: Path, key: str) -> str:
    """The key and the artifact's file count: a file deleted from the twin makes it stale."""
    files = sum(1 for p in artifact.rglob("*") if p.is_file() and p.name != KEY_FILE)
    return f"{key}\n{files}\n"


def is_current(logical_id: str, key: str) -> bool:
    key_file = HOST_DIR / logical_id / KEY_FILE
    return key_file.exists() and key_file.read_text(encoding="utf-8") == _stamp(
        key_file.parent, key
    )


def build_one(logical_id: str, source: Path, key: str, env: dict[str, str]) -> str:
    """Builds into <id>.partial, then swaps it in; returns the build's output."""
    partial = HOST_DIR / f"{logical_id}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix=f"pendopo-host-{logical_id}-") as scratch:
        work = Path(scratch) / source.name
        shutil.copytree(source, work, ignore=shutil.ignore_patterns(*SKIPPED, "*.pyc"))
        done = subprocess.run(  # noqa: S603 - our own Makefiles
            [  # noqa: S607 - make from PATH, as sam build runs it
                "make",
                "--no-print-directory",
                "--makefile",
                str(source / "Makefile"),
                f"build-{logical_id}",
                f"ARTIFACTS_DIR={partial}",
            ],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"build-host: {logical_id} failed:\n{done.stdout}{done.stderr}")
    (partial / KEY_FILE).write_text(_stamp(partial, key), encoding="utf-8")
    final = HOST_DIR / logical_id
    shutil.rmtree(final, ignore_errors=True)
    partial.rename(final)
    sizes = [
        line
        for line in done.stdout.splitlines()
        if line.endswith(("MB", "kB", "unzipped)")) or "WARNING" in line
    ]
    return "\n".join(sizes)


def _lambda_python(given: str | None) -> str:
    if given:
        return given
    found = subprocess.run(  # noqa: S603 - our own script
        [str(ROOT / "tools" / "setup" / "find_python.sh"), "--exact"],
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        raise SystemExit(found.stderr.strip())
    return found.stdout.strip()


def stale_artifacts() -> list[str]:
    """The LogicalIds whose twin is missing or older than its sources (empty: all current)."""
    target = host_platform()
    return [
        i
        for i, src in makefile_builds().items()
        if not is_current(i, build_key(src, target, "3.13"))
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build.host", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only say whether it is current")
    parser.add_argument("--python", help="the Python 3.13 that compiles the bytecode")
    args = parser.parse_args(argv)
    target = host_platform()
    builds = makefile_builds()
    keys = {i: build_key(src, target, "3.13") for i, src in builds.items()}
    stale = stale_artifacts()
    if args.check:
        for logical_id in stale:
            print(f"build-host: {logical_id} is missing or out of date (make build-host)")
        return 1 if stale else 0
    if not stale:
        print(f"build-host: {HOST_DIR.relative_to(ROOT)} is current ({len(builds)} artifacts)")
        return 0
    env = dict(os.environ)
    # pip of the venv (the Makefiles run `python3 -m pip`), as `make build` puts it first.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["TARGET_PLATFORM"] = target
    env["LAMBDA_PYTHON"] = _lambda_python(args.python)
    print(f"build-host: building {', '.join(stale)} for {target} ...", flush=True)
    with ThreadPoolExecutor(max_workers=len(stale)) as pool:
        outputs = pool.map(lambda i: build_one(i, builds[i], keys[i], env), stale)
        for output in outputs:
            print(output, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
