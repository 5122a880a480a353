"""The operator commands installed as console scripts (pyproject.toml, make venv)."""

from __future__ import annotations

import importlib
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from infra.template import REPO_ROOT

SCRIPTS: dict[str, str] = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"][
    "scripts"
]


def test_every_operator_command_is_a_console_script() -> None:
    assert set(SCRIPTS) == {
        "pendopo-admin",
        "pendopo-sla-check",
        "pendopo-recap",
        "pendopo-publish-web",
        "pendopo-seed-training",
    }
    assert all(target.startswith("tools.ops.") for target in SCRIPTS.values())


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_help_names_the_script_and_exits_0(script: str, capsys: pytest.CaptureFixture[str]) -> None:
    module, _, function = SCRIPTS[script].partition(":")
    main = getattr(importlib.import_module(module), function)
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: {script} ")


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_the_installed_script_runs_from_any_folder(script: str, tmp_path: Path) -> None:
    # make venv installs the project (pip install -e .) next to this interpreter.
    installed = Path(sys.executable).parent / script
    assert installed.exists(), f"{installed} missing: run make venv"
    result = subprocess.run(  # noqa: S603 - our own console script
        [str(installed), "--help"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: {script} ")
