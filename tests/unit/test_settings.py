"""Settings by concern: every variable the template sets is read by one settings field."""

from __future__ import annotations

from typing import Any

from infra.template import load_template
from pendopo.runtime.settings import Env, ObservabilitySettings, Settings

# Read by Powertools itself (log level, metrics namespace), not by our code.
POWERTOOLS_OWN = {"POWERTOOLS_LOG_LEVEL", "POWERTOOLS_METRICS_NAMESPACE"}


def _read_by_settings() -> set[str]:
    return {
        name
        for field in Settings.model_fields.values()
        for env in field.metadata
        if isinstance(env, Env)
        for name in env.names
    }


def _template_variables() -> set[str]:
    template: dict[str, Any] = load_template()
    blocks = [template["Globals"]["Function"]["Environment"]["Variables"]]
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            blocks.append(resource["Properties"].get("Environment", {}).get("Variables", {}))
    return {name for block in blocks for name in block}


def test_every_variable_the_template_sets_goes_through_settings() -> None:
    assert _template_variables() - POWERTOOLS_OWN <= _read_by_settings()


def test_a_concern_reads_its_own_variables_without_the_others() -> None:
    # Given no TABLE_NAME (the whole Settings would refuse it)
    env = {"POWERTOOLS_SERVICE_NAME": "pendopo-dev"}
    # Then the observability concern still reads its service name
    assert ObservabilitySettings.from_env(env).service_name == "pendopo-dev"
    assert ObservabilitySettings.from_env({}).service_name == "pendopo"


def test_empty_variables_count_as_unset_and_the_first_non_empty_name_wins() -> None:
    settings = Settings.from_env(
        {
            "TABLE_NAME": "pendopo-test",
            "AWS_REGION": "",
            "AWS_DEFAULT_REGION": "us-east-1",
            "RECAP_LEASE_SECONDS": "",
            "FILES_BUCKET": "files",
        }
    )
    assert settings.region == "us-east-1"
    assert settings.recap_lease_seconds == 305
    assert settings.files_bucket == "files"
