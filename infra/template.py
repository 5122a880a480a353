"""Read template.yaml: the one definition of the table and the HTTP routes.

The local stack and the tests build their DynamoDB tables and their gateway
routes from the deployed template itself, so the two cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = REPO_ROOT / "template.yaml"


class DuplicateKeyError(yaml.YAMLError):
    """A mapping names the same key twice: YAML keeps the last silently, CloudFormation refuses."""


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that keeps CloudFormation short-form tags (!Ref, !Sub, ...).

    It also refuses duplicate keys (two ``Conditions:`` sections, say), which plain
    YAML loading would merge silently and CloudFormation refuses at deploy time.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise DuplicateKeyError(
                    f"duplicate key {key!r} at line {key_node.start_mark.line + 1}"
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _construct_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


@cache
def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.load(handle, Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
    return loaded


@dataclass(frozen=True)
class HttpRoute:
    method: str
    path: str
    function: str
    handler: str
    authorized: bool


def http_routes(template: dict[str, Any] | None = None) -> list[HttpRoute]:
    """Every HttpApi event of every function, as the gateway must serve it."""
    template = template or load_template()
    routes: list[HttpRoute] = []
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = resource.get("Properties", {})
        for event in props.get("Events", {}).values():
            if event.get("Type") != "HttpApi":
                continue
            event_props = event.get("Properties", {})
            auth = event_props.get("Auth", {}).get("Authorizer")
            routes.append(
                HttpRoute(
                    method=event_props["Method"].upper(),
                    path=event_props["Path"],
                    function=logical_id,
                    handler=props["Handler"],
                    authorized=bool(auth) and auth != "NONE",
                )
            )
    return routes


def table_create_kwargs(
    table_name: str, logical_id: str = "ComplaintsTable", template: dict[str, Any] | None = None
) -> dict[str, Any]:
    """boto3 ``create_table`` arguments for a table of the template."""
    template = template or load_template()
    props = template["Resources"][logical_id]["Properties"]
    kwargs: dict[str, Any] = {
        "TableName": table_name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if props.get("GlobalSecondaryIndexes"):
        kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    if props.get("StreamSpecification"):
        kwargs["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
    return kwargs


def ttl_attribute(
    logical_id: str = "ComplaintsTable", template: dict[str, Any] | None = None
) -> str | None:
    template = template or load_template()
    spec = template["Resources"][logical_id]["Properties"].get("TimeToLiveSpecification")
    return spec["AttributeName"] if spec and spec.get("Enabled") else None


def create_tables(dynamodb_client: Any, table_name: str) -> None:
    """Create the complaints table (and its TTL) on a DynamoDB endpoint."""
    dynamodb_client.create_table(**table_create_kwargs(table_name))
    ttl = ttl_attribute()
    if ttl:
        dynamodb_client.update_time_to_live(
            TableName=table_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl},
        )


# ----------------------------------------------------------------- Cognito


USER_POOL = "OfficerUserPool"
USER_POOL_CLIENT = "OfficerUserPoolClient"
# Properties that only CloudFormation knows, or that name things per stage.
# EnabledMfas is CloudFormation's; the API sets it with SetUserPoolMfaConfig.
_POOL_SKIP = {"UserPoolName", "UserPoolTags", "DeletionProtection", "EnabledMfas"}
_CLIENT_SKIP = {"ClientName", "UserPoolId"}


def _resources_of_type(template: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r.get("Type") == kind]


def _literal(value: Any) -> bool:
    """Whether a property value holds no intrinsic function (!Ref, !Sub, !If...)."""
    if isinstance(value, dict):
        if len(value) == 1 and (next(iter(value)) == "Ref" or next(iter(value)).startswith("Fn::")):
            return False
        return all(_literal(item) for item in value.values())
    if isinstance(value, list):
        return all(_literal(item) for item in value)
    return True


def resolve_stage_name(value: Any, stage: str) -> str:
    """A resource name written as !Sub "pendopo-${Stage}-..." for one stage."""
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
        return str(value["Fn::Sub"]).replace("${Stage}", stage)
    if isinstance(value, str):
        return value
    raise ValueError(f"cannot resolve the name {value!r}")


def user_pool_name(stage: str, template: dict[str, Any] | None = None) -> str:
    template = template or load_template()
    return resolve_stage_name(template["Resources"][USER_POOL]["Properties"]["UserPoolName"], stage)


def user_pool_create_kwargs(stage: str, template: dict[str, Any] | None = None) -> dict[str, Any]:
    """boto3 ``create_user_pool`` arguments for the template's officer pool.

    CloudFormation's property names are the API's; the name is resolved for the
    stage, and intrinsic-valued properties (deletion protection, tags) are left out.
    """
    template = template or load_template()
    props = template["Resources"][USER_POOL]["Properties"]
    kwargs = {k: v for k, v in props.items() if k not in _POOL_SKIP and _literal(v)}
    kwargs["PoolName"] = user_pool_name(stage, template)
    return kwargs


def user_pool_client_create_kwargs(
    user_pool_id: str, stage: str, template: dict[str, Any] | None = None
) -> dict[str, Any]:
    """boto3 ``create_user_pool_client`` arguments for the template's app client."""
    template = template or load_template()
    props = template["Resources"][USER_POOL_CLIENT]["Properties"]
    kwargs = {k: v for k, v in props.items() if k not in _CLIENT_SKIP and _literal(v)}
    kwargs["UserPoolId"] = user_pool_id
    kwargs["ClientName"] = resolve_stage_name(props["ClientName"], stage)
    return kwargs


@dataclass(frozen=True)
class UserPoolGroup:
    name: str
    description: str


def user_pool_groups(template: dict[str, Any] | None = None) -> list[UserPoolGroup]:
    """Every group of the officer pool: role groups and unit groups."""
    template = template or load_template()
    return [
        UserPoolGroup(r["Properties"]["GroupName"], r["Properties"].get("Description", ""))
        for r in _resources_of_type(template, "AWS::Cognito::UserPoolGroup")
        if r["Properties"].get("UserPoolId") == {"Ref": USER_POOL}
    ]


@dataclass(frozen=True)
class CreatedUserPool:
    user_pool_id: str
    client_id: str


def create_user_pool(cognito_client: Any, stage: str) -> CreatedUserPool:
    """Create the officer pool, its app client and its groups on a Cognito endpoint."""
    template = load_template()
    pool = cognito_client.create_user_pool(**user_pool_create_kwargs(stage, template))["UserPool"]
    props = template["Resources"][USER_POOL]["Properties"]
    if "SOFTWARE_TOKEN_MFA" in props.get("EnabledMfas", []):
        cognito_client.set_user_pool_mfa_config(
            UserPoolId=pool["Id"],
            SoftwareTokenMfaConfiguration={"Enabled": True},
            MfaConfiguration=props["MfaConfiguration"],
        )
    client = cognito_client.create_user_pool_client(
        **user_pool_client_create_kwargs(pool["Id"], stage)
    )["UserPoolClient"]
    for group in user_pool_groups():
        cognito_client.create_group(
            UserPoolId=pool["Id"], GroupName=group.name, Description=group.description
        )
    return CreatedUserPool(user_pool_id=pool["Id"], client_id=client["ClientId"])
