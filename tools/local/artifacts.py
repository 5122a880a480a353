"""The local stack serving the built artifacts instead of the source tree.

    python -m tools.local.artifacts [stack options]     (make run ARTIFACTS=1)

serves ``make build-host``'s twin of ``sam build`` (``.aws-sam/host/``): ``pendopo`` and
the layer's dependencies come from the layer artifact (``CommonLayer/python/``), every
``functions.<name>.app`` from its function's artifact (``<LogicalId>/functions/<name>/``),
with the bytecode the build compiled; nothing of ``layers/common`` or ``functions/``.

Lambda gives each function its own process: its artifact in ``/var/task`` first on
``sys.path``, the layer's ``/opt/python`` after it. The local stack runs all seven
functions in one process, so ``serve_artifacts`` does this:

- ``sys.path`` starts with every function artifact's folder, then the layer's
  ``python/`` folder, in front of the repository (the current folder, PYTHONPATH)
  and the venv. The editable install (``pip install -e .``) finds ``pendopo`` and
  ``functions`` with a finder that ``sys.meta_path`` asks only after the path
  entries, so the artifacts win. The layer's pydantic, Powertools, Jinja... are what
  the handlers (and, sharing the process, moto) import, as the layer's copies are
  what Lambda imports; boto3 is the venv's, pinned to the runtime's version.
- ``functions`` is a regular package in every artifact (the same empty
  ``__init__.py``). It is imported from the first artifact, and its ``__path__``, the
  list of folders Python searches for a package's submodules, is then set to every
  artifact's ``functions/`` folder: ``functions.intake`` exists only in
  IntakeFunction's, so that is where it is imported from. One list, no copies,
  symlinks or import hooks.

It must happen before anything imports ``pendopo`` or ``functions``, and
``tools.local.stack`` imports ``pendopo`` when it is imported (the demo accounts, the
JWT check's clock); hence this launcher, which sets the path first, checks where
``pendopo`` and ``functions`` really came from (refusing to start otherwise), and
only then imports the stack. The stack prints which code it serves and answers
``GET /_local/code`` with the file of every ``pendopo``/``functions`` module loaded.

A twin older than the source is refused: ``make run ARTIFACTS=1`` builds it first.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.template import REPO_ROOT, load_template
from tools.build.host import stale_artifacts

HOST_BUILD = REPO_ROOT / ".aws-sam" / "host"
# The packages whose origin tells which code runs: ours (the layer's dependencies are
# added from the served layer's folder).
OWN_PACKAGES = ("pendopo", "functions")


class ArtifactError(RuntimeError):
    """The artifacts cannot be served: missing, stale, or imported from elsewhere."""


@dataclass(frozen=True)
class ServedArtifacts:
    """Where the stack's code comes from when it serves the built artifacts."""

    build: Path  # .aws-sam/host
    functions: dict[str, Path]  # LogicalId -> its artifact folder (holding functions/)
    layers: tuple[Path, ...]  # each layer's python/ folder

    @property
    def layer_packages(self) -> tuple[str, ...]:
        """The top-level modules the layers provide (pendopo and its dependencies)."""
        names = {
            entry.name.removesuffix(".py")
            for layer in self.layers
            for entry in layer.iterdir()
            if (entry.is_dir() and (entry / "__init__.py").exists()) or entry.suffix == ".py"
        }
        return tuple(sorted(names))


def artifact_layout(build: Path = HOST_BUILD) -> ServedArtifacts:
    """The function and layer artifacts template.yaml's functions need, under ``build``."""
    template = load_template()
    global_layers = template.get("Globals", {}).get("Function", {}).get("Layers", [])
    functions: dict[str, Path] = {}
    layer_ids: list[str] = []
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        properties = resource["Properties"]
        package = str(properties["Handler"]).split(".")
        if package[0] != "functions":
            continue
        artifact = build / logical_id
        if not (artifact / "functions" / package[1]).is_dir():
            raise ArtifactError(f"{artifact} holds no functions/{package[1]}: run make build-host")
        functions[logical_id] = artifact
        for layer in properties.get("Layers", global_layers):
            if isinstance(layer, dict) and layer.get("Ref") not in layer_ids:
                layer_ids.append(str(layer["Ref"]))
    layers = tuple(build / layer_id / "python" for layer_id in layer_ids)
    for layer in layers:
        if not layer.is_dir():
            raise ArtifactError(f"{layer} is missing: run make build-host")
    return ServedArtifacts(build=build, functions=functions, layers=layers)


def _check_current() -> None:
    """Refuse a twin older than the source: it would not be the code a build deploys."""
    stale = stale_artifacts()
    if stale:
        raise ArtifactError(
            f"the twin of {', '.join(stale)} is missing or out of date"
            " (make run ARTIFACTS=1 builds it first)"
        )


def serve_artifacts(build: Path = HOST_BUILD) -> ServedArtifacts:
    """Put the artifacts on the import path (see the module's docstring); check it took."""
    loaded = sorted(name for name in sys.modules if name.partition(".")[0] in OWN_PACKAGES)
    if loaded:
        raise ArtifactError(f"already imported, too late to serve the artifacts: {loaded}")
    served = artifact_layout(build)
    roots = [*served.functions.values(), *served.layers]
    sys.path[:0] = [str(root) for root in roots]
    importlib.invalidate_caches()
    functions = importlib.import_module("functions")
    functions.__path__ = [str(root / "functions") for root in served.functions.values()]
    pendopo = importlib.import_module("pendopo")
    for module, homes in [(functions, [build]), (pendopo, served.layers)]:
        if not any(Path(module.__file__ or "").is_relative_to(home) for home in homes):
            raise ArtifactError(f"{module.__name__} was imported from {module.__file__}")
    return served


def code_report(served: ServedArtifacts | None) -> dict[str, Any]:
    """Which code this process runs: the file of every module of ours it has loaded
    and, when serving the artifacts, of each loaded top-level package of the layers."""
    loaded = {
        name: str(module.__file__)
        for name, module in sorted(list(sys.modules.items()))
        if getattr(module, "__file__", None)
    }
    layer_packages = set(served.layer_packages if served else ()) - set(OWN_PACKAGES)
    return {
        "serving": "artifacts" if served else "source",
        "build": str(served.build) if served else None,
        "modules": {
            name: file for name, file in loaded.items() if name.partition(".")[0] in OWN_PACKAGES
        },
        "dependencies": {name: file for name, file in loaded.items() if name in layer_packages},
    }


def describe(served: ServedArtifacts | None) -> list[str]:
    """The stack's banner lines about its code, from where the modules really are."""
    pendopo = importlib.import_module("pendopo")
    functions = importlib.import_module("functions")

    def shown(path: str | Path) -> str:
        path = Path(path)
        return str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else str(path)

    if served is None:
        return [
            "  Code           the source tree (make run ARTIFACTS=1: the built artifacts)",
            f"    pendopo      {shown(Path(pendopo.__file__ or '').parent)}",
            f"    functions    {', '.join(shown(folder) for folder in functions.__path__)}",
        ]
    ids = ",".join(served.functions)
    return [
        f"  Code           the built artifacts in {shown(served.build)} (make build-host)",
        f"    pendopo      {shown(Path(pendopo.__file__ or '').parent)}",
        f"    functions    {shown(served.build)}/{{{ids}}}/functions",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the artifacts, then run the stack with the rest of the arguments."""
    try:
        _check_current()
        served = serve_artifacts()
    except ArtifactError as error:
        print(f"Cannot serve the built artifacts: {error}", file=sys.stderr)
        return 1
    from tools.local import stack  # only now: it imports pendopo

    return stack.main(argv, artifacts=served)


if __name__ == "__main__":
    # Run as tools.local.artifacts (the stack imports it under that name), not as a
    # second copy of this module named __main__.
    from tools.local.artifacts import main as artifacts_main

    sys.exit(artifacts_main())
