"""Running a built artifact as the Lambda runtime does, on this machine.

Shared by the artifact tests (``tests/artifact/conftest.py``) and the cold-start bench
(``tools/bench/cold.py``): the functions template.yaml builds, the runtime's site
(boto3, botocore and the SnapStart hooks at the versions requirements-dev.txt pins,
compiled to unchecked-hash bytecode as the runtime ships them) and the ``sys.path``
of a function's interpreter: its artifact folder, the layer's ``python/`` folder,
then that site (``/var/task``, ``/opt/python``, the runtime's, in Lambda's order).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

from infra.template import load_template
from tools.build.host import HOST_DIR, ROOT

HOST_BUILD = HOST_DIR  # make build-host's twin of sam build's output
SAM_BUILD = ROOT / ".aws-sam" / "build"
SITE_ROOT = ROOT / ".runtime-site"
LAYER = "CommonLayer"
# What the python3.13 runtime provides besides the standard library, pinned in
# requirements-dev.txt: the AWS SDK and the SnapStart runtime hooks.
RUNTIME_PINS = ("boto3", "botocore", "snapshot-restore-py")
# Bumped when what runtime_site() puts into a site changes (2: compiled bytecode).
SITE_FORMAT = "2"


def lambda_functions() -> dict[str, tuple[str, str]]:
    """LogicalId -> (handler module, handler name) of every function template.yaml builds."""
    found: dict[str, tuple[str, str]] = {}
    for logical_id, resource in load_template()["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        if (resource.get("Metadata") or {}).get("BuildMethod") != "makefile":
            continue
        module, _, name = resource["Properties"]["Handler"].rpartition(".")
        found[logical_id] = (module, name)
    return found


def runtime_pins() -> list[str]:
    """``name==version`` of each of RUNTIME_PINS, as requirements-dev.txt pins it."""
    text = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    pins = [re.search(rf"^{name}==\S+", text, re.MULTILINE) for name in RUNTIME_PINS]
    found = [pin.group(0) for pin in pins if pin]
    if len(found) != len(RUNTIME_PINS):
        raise RuntimeError(f"requirements-dev.txt must pin each of {RUNTIME_PINS}, found {found}")
    return found


def runtime_site() -> Path:
    """boto3, botocore (and their dependencies) and the SnapStart hooks, as the runtime has
    them: installed, then compiled by this interpreter (Python 3.13, the runtime's) to
    unchecked-hash bytecode beside every .py, as the runtime ships them.

    Installed once per pin set and Python into ``.runtime-site/<hash>`` and reused.
    """
    pins = runtime_pins()
    key = hashlib.sha256("\0".join([*pins, sys.version, SITE_FORMAT]).encode()).hexdigest()[:16]
    site = SITE_ROOT / key
    if (site / ".complete").exists():
        return site
    partial = SITE_ROOT / f"{key}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    install = [sys.executable, "-m", "pip", "install", "--quiet", "--no-compile"]
    install += ["--disable-pip-version-check", "--target", str(partial), *pins]
    # Paths in the bytecode are the site's final one (-s/-p), as the build's are /opt's.
    compile_all = [sys.executable, "-m", "compileall", "-q", "-j", "0"]
    compile_all += ["--invalidation-mode", "unchecked-hash", "-s", str(partial), "-p", str(site)]
    for command in (install, [*compile_all, str(partial)]):
        done = subprocess.run(  # noqa: S603 - pip and compileall, our pins
            command, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"preparing the runtime's site {pins} failed:\n{done.stderr}")
    (partial / ".complete").write_text("\n".join(pins) + "\n", encoding="utf-8")
    shutil.rmtree(site, ignore_errors=True)
    partial.rename(site)
    return site


def function_path(build: Path, logical_id: str, site: Path) -> list[str]:
    """The ``sys.path`` entries before the standard library of ``logical_id``'s interpreter."""
    return [str(build / logical_id), str(build / LAYER / "python"), str(site)]
