"""The local stack serving the built artifacts (``make run ARTIFACTS=1``), over HTTP.

A complaint is submitted and tracked (intake), its stream record emails the unit's
coordinator and the verifier (notify), and that coordinator logs in (auth) and finds
it in their queue (route). Then the running stack says where the code that served
all this came from (``GET /_local/code``: the file of every ``pendopo`` and
``functions`` module it has loaded): ``make build-host``'s twin in ``.aws-sam/host``,
each function from its own artifact and ``pendopo`` from the layer's, none of it from
``layers/common`` or ``functions/``. ``make test`` builds the twin first.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.over_http import complaint, emails_about, submitted, track
from tests.support.stack import REPO_ROOT, RunningStack, running_stack
from tools.local.accounts import DEMO_PASSWORD, demo_email

pytestmark = pytest.mark.e2e

BUILD = REPO_ROOT / ".aws-sam" / "host"
LAYER = BUILD / "CommonLayer" / "python"
# The handler each step above runs, and the artifact it must come from.
HANDLERS = {
    "functions.intake.app": BUILD / "IntakeFunction" / "functions" / "intake" / "app.py",
    "functions.notify.app": BUILD / "NotifyFunction" / "functions" / "notify" / "app.py",
    "functions.auth.app": BUILD / "AuthFunction" / "functions" / "auth" / "app.py",
    "functions.route.app": BUILD / "RouteFunction" / "functions" / "route" / "app.py",
}


@pytest.fixture(scope="module")
def artifact_stack() -> Iterator[RunningStack]:
    with running_stack(
        "pendopo-e2e-artifacts", "--no-throttle", module="tools.local.artifacts"
    ) as stack:
        yield stack


def test_the_stack_serves_a_complaint_from_the_built_artifacts(
    artifact_stack: RunningStack,
) -> None:
    api = artifact_stack.api_url
    # Given the stack started on the built artifacts, which it says it serves
    assert "Code           the built artifacts in .aws-sam/host" in artifact_stack.printed()
    # When a citizen submits a complaint and tracks it
    receipt = submitted(api, f"e2e-artifacts-{uuid.uuid4()}", complaint())
    tracked = track(api, receipt["ticket"], receipt["tracking_code"])
    assert tracked.status_code == 200, tracked.text
    assert tracked.json()["status"]["code"] == "waiting"
    # And the notify function emails the coordinator and the verifier from the stream
    assert len(emails_about(artifact_stack, receipt["ticket"], expected=2)) == 2
    # And the unit's coordinator logs in and finds it in their queue
    login = requests.post(
        f"{api}/v1/auth/login",
        json={"email": demo_email("koordinator", "BIRO_PLH"), "password": DEMO_PASSWORD},
        timeout=30,
    )
    assert login.status_code == 200, login.text
    queue = requests.get(
        f"{api}/v1/officer/complaints",
        headers={"Authorization": f"Bearer {login.json()['access_token']}"},
        timeout=30,
    )
    assert queue.status_code == 200, queue.text
    assert receipt["ticket"] in queue.text

    # Then every module of ours that served them was loaded from the artifacts
    report = requests.get(f"{api}/_local/code", timeout=10).json()
    assert report["serving"] == "artifacts"
    assert Path(report["build"]) == BUILD
    modules = {name: Path(file) for name, file in report["modules"].items()}
    assert modules["pendopo"] == LAYER / "pendopo" / "__init__.py"
    for handler, artifact_file in HANDLERS.items():
        assert modules[handler] == artifact_file
    outside = {name: file for name, file in modules.items() if not file.is_relative_to(BUILD)}
    assert outside == {}
    pendopo_modules = {name: file for name, file in modules.items() if name.startswith("pendopo")}
    assert len(pendopo_modules) > 10
    assert all(file.is_relative_to(LAYER) for file in pendopo_modules.values())
    # And the layer's dependencies are the layer's copies, as on Lambda
    dependencies = {name: Path(file) for name, file in report["dependencies"].items()}
    for package in ("pydantic", "aws_lambda_powertools", "jinja2"):
        assert dependencies[package].is_relative_to(LAYER), package
