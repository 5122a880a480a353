"""SnapStart (template parameter ``SnapStart``): the three API functions behind an alias.

SnapStart applies to published versions only, so API Gateway must invoke a version
(through the alias ``live``, which SAM's AutoPublishAlias moves to each deploy's new
version), never ``$LATEST``: every HTTP integration and every invoke permission of
intake, route and auth names the alias. The alias is there whatever the parameter;
the parameter only switches ``SnapStart.ApplyOn`` (transformed here with it on and off).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from infra.template import http_routes, load_template
from infra.transform import PROD_PARAMETERS, transform

ROOT = Path(__file__).resolve().parents[2]
API_FUNCTIONS = ("IntakeFunction", "RouteFunction", "AuthFunction")
OTHER_FUNCTIONS = (
    "NotifyFunction",
    "AggregateFunction",
    "SlaCheckFunction",
    "MonthlyRecapFunction",
)
ALIAS = "live"


def _transformed(snap_start: str) -> dict[str, Any]:
    return transform(load_template(), {**PROD_PARAMETERS, "SnapStart": snap_start})


def _evaluate(value: Any, parameters: dict[str, str], conditions: dict[str, Any]) -> Any:
    """Fn::If / Fn::Equals / Ref of parameters, as CloudFormation resolves them."""
    if isinstance(value, dict) and len(value) == 1:
        ((name, argument),) = value.items()
        if name == "Ref" and argument in parameters:
            return parameters[argument]
        if name == "Fn::Equals":
            left, right = (_evaluate(v, parameters, conditions) for v in argument)
            return left == right
        if name == "Fn::If":
            condition, when_true, when_false = argument
            chosen = _evaluate(conditions[condition], parameters, conditions)
            return _evaluate(when_true if chosen else when_false, parameters, conditions)
    return value


@pytest.fixture(scope="module", params=["on", "off"])
def snap_start(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    return str(request.param), _transformed(str(request.param))


def test_the_parameter_is_off_unless_given() -> None:
    parameter = load_template()["Parameters"]["SnapStart"]
    assert parameter["Default"] == "off"
    assert parameter["AllowedValues"] == ["on", "off"]


@pytest.mark.parametrize("function", API_FUNCTIONS)
def test_the_api_functions_snapshot_their_versions_when_on(
    snap_start: tuple[str, dict[str, Any]], function: str
) -> None:
    value, template = snap_start
    setting = template["Resources"][function]["Properties"]["SnapStart"]
    resolved = _evaluate(setting["ApplyOn"], {"SnapStart": value}, template["Conditions"])
    assert resolved == ("PublishedVersions" if value == "on" else "None")


@pytest.mark.parametrize("function", API_FUNCTIONS)
def test_api_gateway_invokes_the_alias_of_the_published_version(
    snap_start: tuple[str, dict[str, Any]], function: str
) -> None:
    resources = snap_start[1]["Resources"]
    alias_id = f"{function}Alias{ALIAS}"
    alias = resources[alias_id]
    assert alias["Type"] == "AWS::Lambda::Alias"
    assert alias["Properties"]["Name"] == ALIAS
    assert alias["Properties"]["FunctionName"] == {"Ref": function}
    version_id, attribute = alias["Properties"]["FunctionVersion"]["Fn::GetAtt"]
    assert attribute == "Version"
    assert resources[version_id]["Type"] == "AWS::Lambda::Version"
    assert resources[version_id]["Properties"]["FunctionName"] == {"Ref": function}
    # Every route of the function integrates with the alias, never the bare function.
    routes = {f"{r.method} {r.path}" for r in http_routes() if r.function == function}
    assert routes
    api = resources["HttpApi"]["Properties"]["Body"]["paths"]
    for route in routes:
        method, path = route.split(" ", 1)
        uri = api[path][method.lower()]["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
        assert re.search(rf"/functions/\$\{{{alias_id}\}}/invocations$", uri), (route, uri)
    # ... and may invoke only the alias: one permission per route, none on the function.
    permissions = [
        r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::Lambda::Permission"
        and r["Properties"]["FunctionName"] in ({"Ref": function}, {"Ref": alias_id})
    ]
    assert len(permissions) == len(routes)
    assert all(p["FunctionName"] == {"Ref": alias_id} for p in permissions)


@pytest.mark.parametrize("function", OTHER_FUNCTIONS)
def test_the_other_functions_stay_unversioned(function: str) -> None:
    resources = _transformed("on")["Resources"]
    assert "SnapStart" not in resources[function]["Properties"]
    assert not [k for k in resources if k.startswith(f"{function}Alias")]


def test_prod_states_its_choice() -> None:
    config = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))
    overrides = config["prod"]["deploy"]["parameters"]["parameter_overrides"]
    assert re.search(r"\bSnapStart=(on|off)\b", overrides)
