"""The common layer's size, unzipped and zipped, from a fresh build of it.

Runs the layer's own Makefile target (``build-CommonLayer``, the one ``sam build``
runs: cross-platform pip for python3.13/arm64, the same pruning) into a scratch
directory, then sums the files and zips them the way SAM does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from infra.template import REPO_ROOT

GOAL_UNZIPPED_MB = 15.0
LAMBDA_LIMIT_UNZIPPED_MB = 250.0


def measure() -> tuple[float, float]:
    """(unzipped MB, zipped MB) of a fresh layer build."""
    with tempfile.TemporaryDirectory(prefix="pendopo-bench-layer-") as scratch:
        env = dict(os.environ)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        subprocess.run(  # noqa: S603 - our own Makefile
            [  # noqa: S607 - make from PATH, as `make build` runs it
                "make",
                "--no-print-directory",
                "-C",
                str(REPO_ROOT / "layers" / "common"),
                "build-CommonLayer",
                f"ARTIFACTS_DIR={scratch}",
            ],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        root = Path(scratch) / "python"
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
        archive = shutil.make_archive(str(Path(scratch) / "layer"), "zip", scratch, "python")
        return size / 1e6, os.path.getsize(archive) / 1e6


def section(_: Any = None) -> tuple[str, str]:
    print("Common layer size: building it ...", flush=True)
    unzipped, zipped = measure()
    met = "met" if unzipped <= GOAL_UNZIPPED_MB else "missed"
    print(f"  unzipped {unzipped:.1f} MB, zipped {zipped:.1f} MB", flush=True)
    body = "\n".join(
        [
            "Built fresh by the layer's own `build-CommonLayer` target (the one `sam build`"
            " runs: python3.13/arm64 wheels, boto3 and botocore left to the runtime), then"
            " zipped as SAM zips it.",
            "",
            "| unzipped | zipped | goal | met |",
            "|---:|---:|---|---|",
            f"| {unzipped:.1f} MB | {zipped:.1f} MB | <= {GOAL_UNZIPPED_MB:.0f} MB unzipped"
            f" (Lambda's limit: {LAMBDA_LIMIT_UNZIPPED_MB:.0f} MB with the function) | {met} |",
        ]
    )
    return "Common layer size", body
