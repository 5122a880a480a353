"""template.yaml transformed to plain CloudFormation, offline, as CloudFormation would.

The infrastructure tests and ``python -m tests.infra.template_report`` assert on what
AWS will actually create (the roles, permissions, API stage and OpenAPI body SAM
generates), not on the SAM shorthand. Nothing here calls AWS: the managed-policy
loader is a stub and the region is fixed.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

import boto3
from samtranslator.parser.parser import Parser
from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.translator import Translator
from samtranslator.utils.py27hash_fix import (
    to_py27_compatible_template,
    undo_mark_unicode_str_in_template,
)

from infra.template import TEMPLATE_PATH, load_template

REGION = "ap-southeast-3"
# Parameters without a default, and the stage the strictest conditions (IsProd) need.
PROD_PARAMETERS = {
    "Stage": "prod",
    "ConsoleUrl": "https://pendopo.example/console/",
    "CitizenUrl": "https://pendopo.example/warga/",
}


class OfflinePolicyLoader(ManagedPolicyLoader):
    """Resolves managed policy *names* without IAM: the template names none (SAM adds ARNs)."""

    def __init__(self) -> None:  # no IAM client: nothing may call AWS
        self.calls = 0

    def load(self) -> dict[str, str]:
        self.calls += 1
        return {}


def _packaged(template: dict[str, Any]) -> dict[str, Any]:
    """Local CodeUri/ContentUri replaced by S3 locations, as `sam package` would."""
    for logical_id, resource in template.get("Resources", {}).items():
        props = resource.get("Properties") or {}
        for key in ("CodeUri", "ContentUri"):
            if isinstance(props.get(key), str) and not props[key].startswith("s3://"):
                props[key] = f"s3://pendopo-artifacts/{logical_id}.zip"
    return template


def transform(template: dict[str, Any], parameters: dict[str, str] | None = None) -> dict[str, Any]:
    """A SAM template (not changed) as the CloudFormation template the transform makes."""
    document = _packaged(copy.deepcopy(template))
    parameter_values: dict[str, Any] = dict(PROD_PARAMETERS if parameters is None else parameters)
    to_py27_compatible_template(document, parameter_values)
    # A session with a region, so the translator resolves AWS::Region and the partition
    # without looking at the environment; creating a session calls nothing.
    session = boto3.session.Session(region_name=REGION)
    translator = Translator(None, Parser(), boto_session=session)
    loader = OfflinePolicyLoader()
    transformed = translator.translate(
        document, parameter_values=parameter_values, get_managed_policy_map=loader.load
    )
    result: dict[str, Any] = undo_mark_unicode_str_in_template(transformed)
    return result


@cache
def _transformed_template() -> dict[str, Any]:
    return transform(load_template(TEMPLATE_PATH))


def transformed_template() -> dict[str, Any]:
    """template.yaml for Stage=prod, transformed (a fresh copy each call: callers may edit it)."""
    return copy.deepcopy(_transformed_template())
