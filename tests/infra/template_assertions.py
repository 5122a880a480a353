"""What the infrastructure tests assert on the transformed template, resource by resource.

``CHECKERS`` maps a CloudFormation type to a function that returns one ``Check``
per asserted property of a resource of that type. The tests (tests/infra) fail on
any check that does not hold; ``python -m tests.infra.template_report`` lists the same
checks for every resource, and "(nothing asserted yet)" where a type has no
checker. To cover a new resource type, add a checker to ``CHECKERS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from tests.support.public_routes import PUBLIC_ROUTES

_PARAMETER = re.compile(r"\{[^}]+\}")

RUNTIME = "python3.13"
ARCHITECTURES = ["arm64"]
OFFICER_PREFIX = "/v1/officer/"
AUTHORIZER = "OfficerAuthorizer"
USER_POOL = "OfficerUserPool"
USER_POOL_CLIENT = "OfficerUserPoolClient"
USER_POOL_GROUPS = 11  # 4 role groups + 7 coordinating units
LOGIN_ROUTE = "POST /v1/auth/login"
# Public routes with their own throttle, tighter than the default (abuse of open routes).
# The TOTP routes guess codes as the login guesses passwords: the same limit.
MFA_ROUTES = ("POST /v1/auth/mfa", "POST /v1/auth/mfa/setup")
THROTTLED_PUBLIC_ROUTES = (
    LOGIN_ROUTE,
    *MFA_ROUTES,
    "POST /v1/complaints",
    "GET /v1/complaints/{ticket}",
    "POST /v1/complaints/{ticket}/updates",
    "POST /v1/complaints/{ticket}/feedback",
)
DATA_KEY = "DataKey"
OPS_TOPIC = "OpsTopic"
# What an access log line must never hold: headers (the tracking code travels in
# one) and the query string.
ACCESS_LOG_FORBIDDEN = ("$context.path", "header", "querystring", "$context.identity.user")

# Actions that AWS only grants on Resource "*" (no resource-level permissions), so an
# inline statement may name them with "*": the function roles write the X-Ray ones
# for Tracing: Active.
STAR_RESOURCE_ACTIONS = frozenset(
    {
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "xray:GetSamplingStatisticSummaries",
        "cloudwatch:PutMetricData",  # Powertools metrics through the API rather than EMF
    }
)


@dataclass(frozen=True)
class Check:
    """One asserted property: what it says, whether it holds, and why not."""

    prop: str
    ok: bool
    detail: str = ""


Checker = Callable[["Transformed", str, dict[str, Any]], list[Check]]


def check(prop: str, ok: Any, detail: Any = "") -> Check:
    return Check(prop, bool(ok), "" if ok else str(detail))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _refers_to(value: Any, logical_id: str) -> bool:
    """Whether a value is !Ref or !GetAtt of a logical id."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    if "Ref" in value:
        return bool(value["Ref"] == logical_id)
    if "Fn::GetAtt" in value:
        target = value["Fn::GetAtt"]
        name = target[0] if isinstance(target, list) else str(target).split(".")[0]
        return bool(name == logical_id)
    return False


class Transformed:
    """The transformed template, with the look-ups the checkers share."""

    def __init__(self, template: dict[str, Any]) -> None:
        self.template = template
        self.resources: dict[str, dict[str, Any]] = template["Resources"]

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {k: r for k, r in self.resources.items() if r.get("Type") == kind}

    def props(self, logical_id: str) -> dict[str, Any]:
        props: dict[str, Any] = self.resources[logical_id].get("Properties", {})
        return props

    def common_layer(self) -> str | None:
        layers = [k for k in self.of_type("AWS::Lambda::LayerVersion") if k.startswith("Common")]
        return layers[0] if len(layers) == 1 else None

    def log_group_of(self, function_id: str) -> str | None:
        wanted = {"Fn::Sub": f"/aws/lambda/${{{function_id}}}"}
        for logical_id, group in self.of_type("AWS::Logs::LogGroup").items():
            if group.get("Properties", {}).get("LogGroupName") == wanted:
                return logical_id
        return None

    def alarms_on(self, metric: str, logical_id: str) -> bool:
        """Whether an alarm on ``metric`` of the resource notifies the ops topic."""
        for alarm in self.of_type("AWS::CloudWatch::Alarm").values():
            p = alarm["Properties"]
            about = any(_refers_to(d.get("Value"), logical_id) for d in p.get("Dimensions", []))
            notifies = any(_refers_to(a, OPS_TOPIC) for a in p.get("AlarmActions", []))
            if p.get("MetricName") == metric and about and notifies:
                return True
        return False

    def permission_routes(self) -> set[str]:
        """Each route as a permission's SourceArn ends: METHOD/path, parameters as *."""
        routes: set[str] = set()
        for key in self.http_routes():
            method, path = key.split(" ", 1)
            routes.add(method + _PARAMETER.sub("*", path))
        return routes

    def http_routes(self) -> dict[str, dict[str, Any]]:
        """'METHOD /path' -> its OpenAPI operation, from every HTTP API's Body."""
        routes: dict[str, dict[str, Any]] = {}
        for api in self.of_type("AWS::ApiGatewayV2::Api").values():
            for path, operations in api["Properties"].get("Body", {}).get("paths", {}).items():
                for method, operation in operations.items():
                    routes[f"{method.upper()} {path}"] = operation
        return routes


# ---------------------------------------------------------------- functions


def check_function(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    layer = t.common_layer()
    log_group = t.log_group_of(logical_id)
    retention = t.props(log_group).get("RetentionInDays") if log_group else None
    return [
        check(f"Runtime = {RUNTIME}", p.get("Runtime") == RUNTIME, p.get("Runtime")),
        check("Architectures = [arm64]", p.get("Architectures") == ARCHITECTURES),
        check(
            "TracingConfig.Mode = Active",
            p.get("TracingConfig", {}).get("Mode") == "Active",
            p.get("TracingConfig"),
        ),
        check("MemorySize set", isinstance(p.get("MemorySize"), int), p.get("MemorySize")),
        check("Timeout set", isinstance(p.get("Timeout"), int), p.get("Timeout")),
        check(
            "Layers include the common layer",
            layer is not None and {"Ref": layer} in p.get("Layers", []),
            p.get("Layers"),
        ),
        check(
            "log group /aws/lambda/<name> with RetentionInDays",
            bool(log_group and retention),
            f"log group {log_group}, retention {retention}",
        ),
        check(
            "Role is its own role in this template",
            any(_refers_to(p.get("Role"), role) for role in t.of_type("AWS::IAM::Role")),
            p.get("Role"),
        ),
        check("an Errors alarm to the ops topic", t.alarms_on("Errors", logical_id)),
        check("a Throttles alarm to the ops topic", t.alarms_on("Throttles", logical_id)),
    ]


def _wildcard_actions(statement: dict[str, Any]) -> list[str]:
    actions = _as_list(statement.get("Action", []))
    return [a for a in actions if isinstance(a, str) and ("*" in a or "?" in a)]


def _star_resources(statement: dict[str, Any], sms_only: bool = False) -> list[str]:
    """The statement's actions granted on Resource "*" that AWS does not require so.

    ``sms_only``: the role denies sns:Publish on every SNS ARN, so its sns:Publish on
    "*" reaches phone numbers only (an SMS has no resource to name).
    """
    if "*" not in _as_list(statement.get("Resource", [])):
        return []
    allowed = STAR_RESOURCE_ACTIONS | ({"sns:Publish"} if sms_only else set())
    return [a for a in _as_list(statement.get("Action", [])) if a not in allowed]


# The one role that texts the reporter (issue #16): SMS through SNS Publish, no topic.
SMS_SENDERS = frozenset({"NotifyFunctionRole"})


def _denies_every_topic(statements: list[dict[str, Any]]) -> bool:
    """A Deny of sns:Publish on arn:<partition>:sns:*:*:* (every topic and endpoint)."""
    return any(
        s.get("Effect") == "Deny"
        and _as_list(s.get("Action")) == ["sns:Publish"]
        and ":sns:*:*:*" in str(s.get("Resource"))
        for s in statements
    )


def check_role(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    if _assumed_by(p) == SCHEDULER_PRINCIPAL:
        return check_scheduler_role(t, logical_id, r)
    statements = [
        statement
        for policy in p.get("Policies", [])
        for statement in _as_list(policy["PolicyDocument"].get("Statement", []))
    ]
    allows = [s for s in statements if s.get("Effect") == "Allow"]
    trust = p.get("AssumeRolePolicyDocument", {}).get("Statement", [])
    principals = [s.get("Principal") for s in trust]
    managed = p.get("ManagedPolicyArns", [])
    return [
        check(
            "assumed by lambda.amazonaws.com only",
            principals
            in ([{"Service": ["lambda.amazonaws.com"]}], [{"Service": "lambda.amazonaws.com"}]),
            principals,
        ),
        check(
            "inline Allow statements: no wildcard actions, no NotAction",
            not any(_wildcard_actions(s) or "NotAction" in s for s in allows),
            [a for s in allows for a in _wildcard_actions(s)],
        ),
        check(
            'inline Allow statements: Resource never "*" (bar X-Ray-style actions and SMS)',
            not any(_star_resources(s, _denies_every_topic(statements)) for s in allows),
            [a for s in allows for a in _star_resources(s, _denies_every_topic(statements))],
        ),
        check(
            "sns:Publish only for SMS (every topic denied), only in the roles that text",
            not any("sns:Publish" in _as_list(s.get("Action")) for s in allows)
            or (logical_id in SMS_SENDERS and _denies_every_topic(statements)),
            [s for s in statements if "sns:Publish" in _as_list(s.get("Action"))],
        ),
        check(
            "no managed policies (they grant on Resource *): every permission is inline",
            not managed,
            managed,
        ),
        check(
            "logs: CreateLogStream and PutLogEvents on one /aws/lambda/ log group only",
            [s.get("Resource") for s in allows if "logs:PutLogEvents" in _as_list(s.get("Action"))]
            and all(
                "log-group:/aws/lambda/" in str(s.get("Resource"))
                for s in allows
                if any(str(a).startswith("logs:") for a in _as_list(s.get("Action")))
            ),
            [
                s
                for s in allows
                if any(str(a).startswith("logs:") for a in _as_list(s.get("Action")))
            ],
        ),
        *_raw_mime_checks(logical_id, allows),
    ]


# Functions that send SES v2 SendEmail with Content.Raw (attachments, through
# pendopo.notifications.raw.RawSesMailer). SES authorises raw content as
# ses:SendRawEmail, so their roles need it beside ses:SendEmail, on the same
# identity and configuration set. tests/infra checks this set against the code.
RAW_MIME_SENDERS = frozenset({"MonthlyRecapFunction"})


def _raw_mime_checks(logical_id: str, allows: list[dict[str, Any]]) -> list[Check]:
    if logical_id.removesuffix("Role") not in RAW_MIME_SENDERS:
        return []
    sends = [s for s in allows if "ses:SendEmail" in _as_list(s.get("Action"))]
    return [
        check(
            "sends raw MIME: ses:SendEmail and ses:SendRawEmail in one statement (same resources)",
            sends and all("ses:SendRawEmail" in _as_list(s.get("Action")) for s in sends),
            [s.get("Action") for s in sends],
        )
    ]


def check_layer(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    return [
        check("CompatibleRuntimes = [python3.13]", p.get("CompatibleRuntimes") == [RUNTIME]),
        check(
            "CompatibleArchitectures = [arm64]", p.get("CompatibleArchitectures") == ARCHITECTURES
        ),
    ]


def check_log_group(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    functions = t.of_type("AWS::Lambda::Function")
    owner = [f for f in functions if t.log_group_of(f) == logical_id]
    stages = [
        s
        for s, stage in t.of_type("AWS::ApiGatewayV2::Stage").items()
        if _refers_to(
            stage["Properties"].get("AccessLogSettings", {}).get("DestinationArn"), logical_id
        )
    ]
    return [
        check("RetentionInDays set", p.get("RetentionInDays") is not None),
        check(
            "the log group of exactly one function (/aws/lambda/${<function>}) or of the "
            "HTTP API stage's access logs",
            len(owner) + len(stages) == 1,
            p.get("LogGroupName"),
        ),
    ]


def check_permission(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    sub = p.get("SourceArn", {}).get("Fn::Sub")
    arn, variables = sub if isinstance(sub, list) and len(sub) == 2 else ("", {})
    route = arn.partition("${__Stage__}/")[2]  # METHOD/path; any stage of the API
    apis = t.of_type("AWS::ApiGatewayV2::Api")
    return [
        check("Action = lambda:InvokeFunction", p.get("Action") == "lambda:InvokeFunction"),
        check(
            "Principal = apigateway.amazonaws.com", p.get("Principal") == "apigateway.amazonaws.com"
        ),
        check(
            "SourceArn = this HTTP API, one route (a * only for a path parameter)",
            any(_refers_to(variables.get("__ApiId__"), api) for api in apis)
            and route in t.permission_routes(),
            p.get("SourceArn"),
        ),
    ]


# The API functions published as versions behind the alias API Gateway invokes (SnapStart).
API_FUNCTIONS = ("IntakeFunction", "AuthFunction", "RouteFunction")


def check_version(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    function = r["Properties"].get("FunctionName")
    return [
        check(
            "FunctionName = an API function (intake, auth, route)",
            any(_refers_to(function, name) for name in API_FUNCTIONS),
            function,
        ),
        check(
            "DeletionPolicy = Retain (the alias may still point at it)",
            r.get("DeletionPolicy") == "Retain",
        ),
    ]


def check_alias(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    function = p.get("FunctionName")
    versions = [
        v
        for v in t.of_type("AWS::Lambda::Version")
        if t.resources[v]["Properties"].get("FunctionName") == function
    ]
    return [
        check("Name = live", p.get("Name") == "live"),
        check(
            "FunctionName = an API function (intake, auth, route)",
            any(_refers_to(function, name) for name in API_FUNCTIONS),
            function,
        ),
        check(
            "FunctionVersion = a published version of the same function",
            any(_refers_to(p.get("FunctionVersion"), v) for v in versions),
            p.get("FunctionVersion"),
        ),
    ]


def check_event_source_mapping(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    destination = p.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
    queues = t.of_type("AWS::SQS::Queue")
    return [
        check(
            "FunctionResponseTypes = [ReportBatchItemFailures]",
            p.get("FunctionResponseTypes") == ["ReportBatchItemFailures"],
        ),
        check("BisectBatchOnFunctionError = true", p.get("BisectBatchOnFunctionError") is True),
        check(
            "DestinationConfig.OnFailure = an SQS queue of this template",
            any(_refers_to(destination, q) for q in queues),
            destination,
        ),
        check(
            "FilterCriteria has a filter",
            bool(p.get("FilterCriteria", {}).get("Filters")),
            p.get("FilterCriteria"),
        ),
        check(
            "MaximumRetryAttempts and MaximumRecordAgeInSeconds bounded",
            isinstance(p.get("MaximumRetryAttempts"), int)
            and 0 <= p["MaximumRetryAttempts"] < 10_000
            and isinstance(p.get("MaximumRecordAgeInSeconds"), int)
            and p["MaximumRecordAgeInSeconds"] > 0,
        ),
    ]


# ------------------------------------------------------------------ HTTP API


def check_http_api(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    body = r["Properties"].get("Body", {})
    schemes = body.get("components", {}).get("securitySchemes", {})
    authorizer = schemes.get(AUTHORIZER, {}).get("x-amazon-apigateway-authorizer", {})
    jwt = authorizer.get("jwtConfiguration", {})
    routes = t.http_routes()
    officer = {k: op for k, op in routes.items() if k.split(" ", 1)[1].startswith(OFFICER_PREFIX)}
    unauthorized = sorted(
        k for k, op in officer.items() if op.get("security") != [{AUTHORIZER: []}]
    )
    public = {k for k, op in routes.items() if not op.get("security")}
    issuer = "https://cognito-idp.${AWS::Region}.amazonaws.com/${" + USER_POOL + "}"
    return [
        check(
            f"every {OFFICER_PREFIX}* route has security [{AUTHORIZER}]",
            bool(officer) and not unauthorized,
            unauthorized or "no officer routes",
        ),
        check(
            "routes without the authorizer = the known public routes",
            public == PUBLIC_ROUTES,
            f"unexpected {sorted(public - PUBLIC_ROUTES)}, "
            f"missing {sorted(PUBLIC_ROUTES - public)}",
        ),
        check(
            f"{AUTHORIZER}: type jwt, identity source the Authorization header",
            authorizer.get("type") == "jwt"
            and authorizer.get("identitySource") == "$request.header.Authorization",
            authorizer,
        ),
        check(
            f"{AUTHORIZER}: issuer = the {USER_POOL}'s Cognito URL",
            jwt.get("issuer") == {"Fn::Sub": issuer},
            jwt.get("issuer"),
        ),
        check(
            f"{AUTHORIZER}: audience = [{USER_POOL_CLIENT}]",
            jwt.get("audience") == [{"Ref": USER_POOL_CLIENT}],
            jwt.get("audience"),
        ),
        check(
            "CORS: the AllowedOrigins (https, never *); Authorization, If-Match, "
            "Idempotency-Key, X-Tracking-Code allowed; ETag exposed",
            _cors_ok(body.get("x-amazon-apigateway-cors", {})),
            body.get("x-amazon-apigateway-cors"),
        ),
        check(
            "every route integrates a Lambda function (aws_proxy, payload 2.0)",
            all(
                op.get("x-amazon-apigateway-integration", {}).get("type") == "aws_proxy"
                and op["x-amazon-apigateway-integration"].get("payloadFormatVersion") == "2.0"
                for op in routes.values()
            ),
        ),
    ]


def _cors_ok(cors: dict[str, Any]) -> bool:
    headers = [h.lower() for h in cors.get("allowHeaders", [])]
    exposed = [h.lower() for h in cors.get("exposeHeaders", [])]
    origins = cors.get("allowOrigins")
    # The transform resolves the parameter to its value; either way, never "*".
    named = origins == {"Ref": "AllowedOrigins"} or (
        bool(origins)
        and "*" not in str(origins)
        and str(origins).startswith(("https://", "['https://"))
    )
    return (
        named
        and "*" not in headers
        and {"authorization", "if-match", "idempotency-key", "x-tracking-code"} <= set(headers)
        and "etag" in exposed
    )


def check_http_stage(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    default = p.get("DefaultRouteSettings", {})
    limits = ("ThrottlingBurstLimit", "ThrottlingRateLimit")
    access = p.get("AccessLogSettings", {})
    log_format = str(access.get("Format", ""))
    checks = [
        check(
            "DefaultRouteSettings: burst and rate limits",
            all(isinstance(default.get(k), int | float) and default[k] > 0 for k in limits),
            default,
        ),
    ]
    for route in THROTTLED_PUBLIC_ROUTES:
        own = p.get("RouteSettings", {}).get(route, {})
        checks.append(
            check(
                f"RouteSettings[{route}]: burst and rate below the default",
                all(
                    isinstance(own.get(k), int | float) and 0 < own[k] < default.get(k, 0)
                    for k in limits
                ),
                own,
            )
        )
    return [
        *checks,
        check("StageName = !Ref Stage", p.get("StageName") == {"Ref": "Stage"}),
        check(
            "AccessLogSettings: to a log group of this template",
            any(
                _refers_to(access.get("DestinationArn"), g)
                for g in t.of_type("AWS::Logs::LogGroup")
            ),
            access.get("DestinationArn"),
        ),
        check(
            "access log format: JSON with requestId, routeKey and status; no headers, path "
            "or query string",
            log_format.startswith("{")
            and all(f"$context.{k}" in log_format for k in ("requestId", "routeKey", "status"))
            and not any(bad in log_format.lower() for bad in ACCESS_LOG_FORBIDDEN),
            log_format,
        ),
    ]


# ----------------------------------------------------------------- data


def check_table(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    return [
        check("BillingMode = PAY_PER_REQUEST", p.get("BillingMode") == "PAY_PER_REQUEST"),
        check(
            "PointInTimeRecoveryEnabled = true",
            p.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled") is True,
        ),
        check(
            "SSESpecification: KMS with the stage's DataKey",
            p.get("SSESpecification", {}).get("SSEEnabled") is True
            and p["SSESpecification"].get("SSEType") == "KMS"
            and _refers_to(p["SSESpecification"].get("KMSMasterKeyId"), DATA_KEY),
            p.get("SSESpecification"),
        ),
        check(
            "DeletionProtectionEnabled in prod",
            p.get("DeletionProtectionEnabled") == {"Fn::If": ["IsProd", True, False]},
            p.get("DeletionProtectionEnabled"),
        ),
        check(
            "StreamViewType = NEW_AND_OLD_IMAGES",
            p.get("StreamSpecification", {}).get("StreamViewType") == "NEW_AND_OLD_IMAGES",
        ),
        check(
            "TTL on expires_at",
            p.get("TimeToLiveSpecification") == {"AttributeName": "expires_at", "Enabled": True},
            p.get("TimeToLiveSpecification"),
        ),
        check(
            "DeletionPolicy and UpdateReplacePolicy = Retain",
            r.get("DeletionPolicy") == "Retain" and r.get("UpdateReplacePolicy") == "Retain",
        ),
        check(
            "public_month index (Open311 list): public_month, received_at",
            _index_keys(p, "public_month") == ["public_month", "received_at"],
            _index_keys(p, "public_month"),
        ),
    ]


def _index_keys(props: dict[str, Any], name: str) -> list[str] | None:
    for index in props.get("GlobalSecondaryIndexes", []):
        if index.get("IndexName") == name:
            return [key["AttributeName"] for key in index["KeySchema"]]
    return None


def check_queue(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    return [
        check(
            "encrypted (KmsMasterKeyId or SqsManagedSseEnabled)",
            p.get("KmsMasterKeyId") or p.get("SqsManagedSseEnabled"),
        ),
        check(
            "MessageRetentionPeriod = 14 days (the maximum, for a dead-letter queue)",
            p.get("MessageRetentionPeriod") == 1_209_600,
            p.get("MessageRetentionPeriod"),
        ),
        check(
            "an alarm on its depth (ApproximateNumberOfMessagesVisible)",
            t.alarms_on("ApproximateNumberOfMessagesVisible", logical_id),
        ),
    ]


def check_schedule_group(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    name = r["Properties"].get("Name")
    return [
        check(
            "Name carries the stage (pendopo-${Stage})",
            isinstance(name, dict) and "${Stage}" in str(name.get("Fn::Sub", "")),
            name,
        )
    ]


# ----------------------------------------------------------------- Cognito


def check_user_pool(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    is_prod = t.template.get("Conditions", {}).get("IsProd")
    groups = [
        g
        for g in t.of_type("AWS::Cognito::UserPoolGroup").values()
        if _refers_to(g["Properties"].get("UserPoolId"), logical_id)
    ]
    minimum = p.get("Policies", {}).get("PasswordPolicy", {}).get("MinimumLength", 0)
    return [
        check(
            "AllowAdminCreateUserOnly = true",
            p.get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly") is True,
        ),
        check("PasswordPolicy.MinimumLength >= 12", minimum >= 12, minimum),
        check(
            "DeletionProtection = ACTIVE if IsProd (Stage = prod), else INACTIVE",
            p.get("DeletionProtection") == {"Fn::If": ["IsProd", "ACTIVE", "INACTIVE"]}
            and is_prod == {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
            (p.get("DeletionProtection"), is_prod),
        ),
        check(
            "DeletionPolicy and UpdateReplacePolicy = Retain",
            r.get("DeletionPolicy") == "Retain" and r.get("UpdateReplacePolicy") == "Retain",
        ),
        check(f"{USER_POOL_GROUPS} groups", len(groups) == USER_POOL_GROUPS, len(groups)),
    ]


def check_user_pool_group(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    return [
        check(f"UserPoolId = !Ref {USER_POOL}", _refers_to(p.get("UserPoolId"), USER_POOL)),
        check("GroupName a literal", isinstance(p.get("GroupName"), str)),
    ]


def check_user_pool_client(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    return [
        check(f"UserPoolId = !Ref {USER_POOL}", _refers_to(p.get("UserPoolId"), USER_POOL)),
        check("GenerateSecret = false (a public client)", p.get("GenerateSecret") is False),
        check(
            "ExplicitAuthFlows = user password and refresh only",
            sorted(p.get("ExplicitAuthFlows", [])) == sorted(flows),
        ),
        check(
            "PreventUserExistenceErrors = ENABLED",
            p.get("PreventUserExistenceErrors") == "ENABLED",
        ),
        check("EnableTokenRevocation = true", p.get("EnableTokenRevocation") is True),
    ]


# ------------------------------------------------------ scheduled jobs

SCHEDULER_PRINCIPAL = "scheduler.amazonaws.com"
SCHEDULE_TIMEZONE = "Asia/Jakarta"
SCHEDULED_TIME = "<aws.scheduler.scheduled-time>"


def _assumed_by(props: dict[str, Any]) -> str | None:
    """The one service principal a role's trust policy names, if it names exactly one."""
    trust = props.get("AssumeRolePolicyDocument", {}).get("Statement", [])
    services = [
        service
        for statement in _as_list(trust)
        for service in _as_list((statement.get("Principal") or {}).get("Service", []))
    ]
    return services[0] if len(services) == 1 else None


def _bounded(value: Any, low: int, high: int) -> bool:
    """An integer from low to high (a retry count, an age in seconds)."""
    return isinstance(value, int) and low <= value <= high


def _is_of(t: Transformed, value: Any, kind: str) -> bool:
    return any(_refers_to(value, logical_id) for logical_id in t.of_type(kind))


def check_schedule(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    target = p.get("Target", {})
    retry = target.get("RetryPolicy", {})
    attempts, age = retry.get("MaximumRetryAttempts"), retry.get("MaximumEventAgeInSeconds")
    role = next(
        (k for k in t.of_type("AWS::IAM::Role") if _refers_to(target.get("RoleArn"), k)), None
    )
    return [
        check(
            f"ScheduleExpressionTimezone = {SCHEDULE_TIMEZONE}",
            p.get("ScheduleExpressionTimezone") == SCHEDULE_TIMEZONE,
            p.get("ScheduleExpressionTimezone"),
        ),
        check(
            "GroupName = a schedule group of this template (one per stage)",
            _is_of(t, p.get("GroupName"), "AWS::Scheduler::ScheduleGroup"),
            p.get("GroupName"),
        ),
        check(
            "Target = a function of this template",
            _is_of(t, target.get("Arn"), "AWS::Lambda::Function"),
            target.get("Arn"),
        ),
        check(
            f"Target.RoleArn = a role of this template assumed by {SCHEDULER_PRINCIPAL}",
            role is not None and _assumed_by(t.props(role)) == SCHEDULER_PRINCIPAL,
            target.get("RoleArn"),
        ),
        check(
            f"Target.Input passes the scheduled time ({SCHEDULED_TIME})",
            SCHEDULED_TIME in str(target.get("Input", "")),
            target.get("Input"),
        ),
        check(
            "Target.RetryPolicy bounded (1-185 attempts, at most a day old)",
            _bounded(attempts, 1, 185) and _bounded(age, 60, 86_400),
            retry,
        ),
        check(
            "Target.DeadLetterConfig = an SQS queue of this template",
            _is_of(t, target.get("DeadLetterConfig", {}).get("Arn"), "AWS::SQS::Queue"),
            target.get("DeadLetterConfig"),
        ),
        *_async_failure_checks(t, target.get("Arn")),
    ]


def _async_failure_checks(t: Transformed, target: Any) -> list[Check]:
    """A scheduled function is invoked asynchronously: once Lambda's retries of a failed
    run are spent, the event must land in a queue (EventInvokeConfig on-failure
    destination) that the function's own role may send to, not vanish."""
    function = next((f for f in t.of_type("AWS::Lambda::Function") if _refers_to(target, f)), "")
    configs = [
        c["Properties"]
        for c in t.of_type("AWS::Lambda::EventInvokeConfig").values()
        if function and _refers_to(c["Properties"].get("FunctionName"), function)
    ]
    queue = next(
        (
            q
            for c in configs
            for q in t.of_type("AWS::SQS::Queue")
            if _refers_to(c.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination"), q)
        ),
        None,
    )
    role = next(
        (
            k
            for k in t.of_type("AWS::IAM::Role")
            if function and _refers_to(t.props(function).get("Role"), k)
        ),
        None,
    )
    may_send = bool(queue and role) and any(
        "sqs:SendMessage" in _as_list(statement.get("Action"))
        and any(_refers_to(res, str(queue)) for res in _as_list(statement.get("Resource")))
        for policy in (t.props(role).get("Policies", []) if role else [])
        for statement in _as_list(policy["PolicyDocument"].get("Statement", []))
        if statement.get("Effect") == "Allow"
    )
    return [
        check(
            "the target function has an EventInvokeConfig with an on-failure SQS queue",
            queue is not None,
            f"{function}: {configs}",
        ),
        check(
            "the target function's role may sqs:SendMessage to that queue",
            may_send,
            f"{function}: role {role}, queue {queue}",
        ),
    ]


def check_scheduler_role(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    """The role Scheduler assumes to invoke its target: invoke it, and its dead-letter queue."""
    p = r["Properties"]
    statements = [
        statement
        for policy in p.get("Policies", [])
        for statement in _as_list(policy["PolicyDocument"].get("Statement", []))
    ]
    allows = [s for s in statements if s.get("Effect") == "Allow"]
    allowed = {
        "lambda:InvokeFunction": "AWS::Lambda::Function",
        "sqs:SendMessage": "AWS::SQS::Queue",
    }

    def scoped(statement: dict[str, Any]) -> bool:
        actions = _as_list(statement.get("Action", []))
        return all(
            action in allowed
            and all(_is_of(t, res, allowed[action]) for res in _as_list(statement.get("Resource")))
            for action in actions
        )

    return [
        check(
            f"assumed by {SCHEDULER_PRINCIPAL} only",
            _assumed_by(p) == SCHEDULER_PRINCIPAL,
            p.get("AssumeRolePolicyDocument"),
        ),
        check(
            "Allow statements: only lambda:InvokeFunction on a function and sqs:SendMessage on "
            "a queue of this template",
            bool(allows) and all(scoped(s) for s in allows),
            allows,
        ),
        check("no managed policies", not p.get("ManagedPolicyArns"), p.get("ManagedPolicyArns")),
    ]


def check_event_invoke_config(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    attempts, age = p.get("MaximumRetryAttempts"), p.get("MaximumEventAgeInSeconds")
    destination = p.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
    return [
        check(
            "FunctionName = a function of this template",
            _is_of(t, p.get("FunctionName"), "AWS::Lambda::Function"),
            p.get("FunctionName"),
        ),
        check(
            "MaximumRetryAttempts and MaximumEventAgeInSeconds set and bounded",
            _bounded(attempts, 0, 2) and _bounded(age, 60, 21_600),
            (attempts, age),
        ),
        check(
            "DestinationConfig.OnFailure = an SQS queue of this template",
            _is_of(t, destination, "AWS::SQS::Queue"),
            destination,
        ),
    ]


# The one table the tests and the report go by: a new resource type gets a checker here.
# ------------------------------------------------------ keys, files, alarms


def check_kms_key(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    statements = p.get("KeyPolicy", {}).get("Statement", [])
    usage = [s for s in statements if s.get("Principal") == {"AWS": "*"}]
    return [
        check("EnableKeyRotation = true", p.get("EnableKeyRotation") is True),
        check(
            "DeletionPolicy and UpdateReplacePolicy = Retain",
            r.get("DeletionPolicy") == "Retain" and r.get("UpdateReplacePolicy") == "Retain",
        ),
        check(
            "use by any principal only through DynamoDB or S3 of this account (kms:ViaService, "
            "kms:CallerAccount)",
            bool(usage)
            and all(
                {"kms:ViaService", "kms:CallerAccount"}
                <= set(s.get("Condition", {}).get("StringEquals", {}))
                for s in usage
            ),
            usage,
        ),
    ]


def check_kms_alias(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    return [
        check("targets DataKey", _refers_to(p.get("TargetKeyId"), DATA_KEY)),
        check(
            "name carries the stage",
            "${Stage}" in str(p.get("AliasName", {}).get("Fn::Sub", "")),
            p.get("AliasName"),
        ),
    ]


def check_bucket(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    block = p.get("PublicAccessBlockConfiguration", {})
    rules = p.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [])
    default = rules[0].get("ServerSideEncryptionByDefault", {}) if rules else {}
    lifecycle = p.get("LifecycleConfiguration", {}).get("Rules", [])
    policies = [
        b
        for b in t.of_type("AWS::S3::BucketPolicy").values()
        if _refers_to(b["Properties"].get("Bucket"), logical_id)
    ]
    return [
        check(
            "public access blocked (all four settings)",
            all(
                block.get(k) is True
                for k in (
                    "BlockPublicAcls",
                    "BlockPublicPolicy",
                    "IgnorePublicAcls",
                    "RestrictPublicBuckets",
                )
            ),
            block,
        ),
        check(
            "encrypted with aws:kms and the DataKey",
            default.get("SSEAlgorithm") == "aws:kms"
            and _refers_to(default.get("KMSMasterKeyID"), DATA_KEY),
            default,
        ),
        check("ObjectOwnership = BucketOwnerEnforced (no ACLs)", "BucketOwnerEnforced" in str(p)),
        check(
            "lifecycle: old versions expire, unfinished uploads aborted",
            any("NoncurrentVersionExpiration" in rule for rule in lifecycle)
            and any("AbortIncompleteMultipartUpload" in rule for rule in lifecycle),
            lifecycle,
        ),
        check("a bucket policy of its own", len(policies) == 1),
        check(
            "DeletionPolicy and UpdateReplacePolicy = Retain",
            r.get("DeletionPolicy") == "Retain" and r.get("UpdateReplacePolicy") == "Retain",
        ),
    ]


def check_bucket_policy(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    statements = r["Properties"].get("PolicyDocument", {}).get("Statement", [])
    tls_only = [
        s
        for s in statements
        if s.get("Effect") == "Deny"
        and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
    ]
    return [
        check(
            "denies every request without TLS, on the bucket and its objects",
            bool(tls_only) and len(_as_list(tls_only[0].get("Resource"))) == 2,
            statements,
        )
    ]


def check_topic(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    return [check("encrypted (KmsMasterKeyId)", r["Properties"].get("KmsMasterKeyId"))]


def check_subscription(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    return [
        check(
            "email to the OpsEmail parameter",
            p.get("Protocol") == "email" and p.get("Endpoint") == {"Ref": "OpsEmail"},
        ),
        check("only when OpsEmail is given", r.get("Condition") == "HasOpsEmail"),
        check("on the ops topic", _refers_to(p.get("TopicArn"), OPS_TOPIC)),
    ]


def check_alarm(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    return [
        check(
            "alarm and recovery notify the ops topic",
            any(_refers_to(a, OPS_TOPIC) for a in p.get("AlarmActions", []))
            and any(_refers_to(a, OPS_TOPIC) for a in p.get("OKActions", [])),
        ),
        check("TreatMissingData = notBreaching", p.get("TreatMissingData") == "notBreaching"),
        check(
            "name carries the stage",
            "${Stage}" in str(p.get("AlarmName", {}).get("Fn::Sub", "")),
            p.get("AlarmName"),
        ),
        check(
            "an alarm on our own metrics (namespace Pendopo) watches this stage's service only",
            p.get("Namespace") != "Pendopo"
            or any(
                d.get("Name") == "service" and "${Stage}" in str(d.get("Value"))
                for d in p.get("Dimensions", [])
            ),
            p.get("Dimensions"),
        ),
    ]


# ------------------------------------------------------------- web hosting

WEB_BUCKET = "WebBucket"
# AWS managed CloudFront policies, by their fixed ids.
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
ALL_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}
TWO_YEARS = 63072000


def check_web_bucket(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    """The web bucket: as any bucket, but SSE-S3, and readable by its distribution only."""
    rules = r["Properties"].get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [])
    default = rules[0].get("ServerSideEncryptionByDefault", {}) if rules else {}
    grants = [
        s
        for b in t.of_type("AWS::S3::BucketPolicy").values()
        if _refers_to(b["Properties"].get("Bucket"), logical_id)
        for s in b["Properties"].get("PolicyDocument", {}).get("Statement", [])
        if s.get("Effect") == "Allow"
    ]
    cloudfront_only = all(
        s.get("Principal") == {"Service": "cloudfront.amazonaws.com"}
        and _as_list(s.get("Action")) == ["s3:GetObject"]
        and "distribution/${WebDistribution}"
        in str(s.get("Condition", {}).get("StringEquals", {}).get("AWS:SourceArn"))
        for s in grants
    )
    return [
        *(c for c in check_bucket(t, logical_id, r) if not c.prop.startswith("encrypted")),
        check("encrypted (SSE-S3: public pages, no personal data)", default, default),
        check(
            "bucket policy: only this stack's distribution may read (s3:GetObject)",
            grants and cloudfront_only,
            grants,
        ),
    ]


def check_any_bucket(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    if logical_id == WEB_BUCKET:
        return check_web_bucket(t, logical_id, r)
    return check_bucket(t, logical_id, r)


def check_origin_access_control(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    c = r["Properties"].get("OriginAccessControlConfig", {})
    return [
        check("for an S3 origin", c.get("OriginAccessControlOriginType") == "s3", c),
        check(
            "signs every request (always, sigv4)",
            c.get("SigningBehavior") == "always" and c.get("SigningProtocol") == "sigv4",
            c,
        ),
        check("name carries the stage", "${Stage}" in str(c.get("Name")), c.get("Name")),
    ]


def check_cloudfront_function(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    p = r["Properties"]
    return [
        check(
            "Runtime = cloudfront-js-2.0",
            p.get("FunctionConfig", {}).get("Runtime") == "cloudfront-js-2.0",
            p.get("FunctionConfig"),
        ),
        check("AutoPublish = true", p.get("AutoPublish") is True),
        check("name carries the stage", "${Stage}" in str(p.get("Name")), p.get("Name")),
    ]


def check_response_headers_policy(
    t: Transformed, logical_id: str, r: dict[str, Any]
) -> list[Check]:
    s = r["Properties"].get("ResponseHeadersPolicyConfig", {}).get("SecurityHeadersConfig", {})
    hsts = s.get("StrictTransportSecurity", {})
    csp = str(s.get("ContentSecurityPolicy", {}).get("ContentSecurityPolicy", ""))
    return [
        check(
            "HSTS at least a year",
            int(hsts.get("AccessControlMaxAgeSec", 0)) >= 31536000 and hsts.get("Override"),
            hsts,
        ),
        check("X-Content-Type-Options nosniff", s.get("ContentTypeOptions", {}).get("Override")),
        check(
            "X-Frame-Options DENY",
            s.get("FrameOptions", {}).get("FrameOption") == "DENY",
            s.get("FrameOptions"),
        ),
        check("a Referrer-Policy", s.get("ReferrerPolicy", {}).get("ReferrerPolicy")),
        check(
            "CSP: this origin only, no inline script, no framing",
            "default-src 'self'" in csp
            and "script-src 'self';" in csp
            and "unsafe-inline" not in csp
            and "frame-ancestors 'none'" in csp,
            csp,
        ),
    ]


def _behaviour_for(config: dict[str, Any], pattern: str) -> dict[str, Any]:
    for behaviour in config.get("CacheBehaviors", []):
        if behaviour.get("PathPattern") == pattern:
            return dict(behaviour)
    return {}


def check_distribution(t: Transformed, logical_id: str, r: dict[str, Any]) -> list[Check]:
    config = r["Properties"].get("DistributionConfig", {})
    origins = {o.get("Id"): o for o in config.get("Origins", [])}
    default = config.get("DefaultCacheBehavior", {})
    web = origins.get(default.get("TargetOriginId"), {})
    api_behaviour = _behaviour_for(config, "/v1/*")
    api = origins.get(api_behaviour.get("TargetOriginId"), {})
    custom = api.get("CustomOriginConfig", {})
    functions = default.get("FunctionAssociations", [])
    return [
        check(
            "default behaviour: the web bucket through Origin Access Control",
            _refers_to(web.get("DomainName"), WEB_BUCKET)
            and any(
                _refers_to(web.get("OriginAccessControlId"), oac)
                for oac in t.of_type("AWS::CloudFront::OriginAccessControl")
            )
            and web.get("S3OriginConfig", {}).get("OriginAccessIdentity") == "",
            web,
        ),
        check(
            "default behaviour: HTTPS, cached, security headers policy",
            default.get("ViewerProtocolPolicy") in ("redirect-to-https", "https-only")
            and default.get("CachePolicyId") == CACHING_OPTIMIZED
            and any(
                _refers_to(default.get("ResponseHeadersPolicyId"), policy)
                for policy in t.of_type("AWS::CloudFront::ResponseHeadersPolicy")
            ),
            default,
        ),
        check(
            "default behaviour: directory index function on viewer-request",
            any(
                f.get("EventType") == "viewer-request"
                and any(
                    _refers_to(f.get("FunctionARN"), fn)
                    for fn in t.of_type("AWS::CloudFront::Function")
                )
                for f in functions
            ),
            functions,
        ),
        check(
            "/v1/* to the HTTP API over HTTPS (TLS 1.2), at the stage's path",
            "${HttpApi}.execute-api" in str(api.get("DomainName"))
            and custom.get("OriginProtocolPolicy") == "https-only"
            and custom.get("OriginSSLProtocols") == ["TLSv1.2"]
            and "${Stage}" in str(api.get("OriginPath")),
            api,
        ),
        check(
            "/v1/*: caching disabled, every viewer header but Host, every method",
            api_behaviour.get("CachePolicyId") == CACHING_DISABLED
            and api_behaviour.get("OriginRequestPolicyId") == ALL_VIEWER_EXCEPT_HOST
            and set(api_behaviour.get("AllowedMethods", [])) == ALL_METHODS
            and api_behaviour.get("ViewerProtocolPolicy") in ("redirect-to-https", "https-only"),
            api_behaviour,
        ),
        check(
            "/v1/statistics: cached 5 minutes by period, before /v1/*",
            _statistics_cached(t, config),
            config.get("CacheBehaviors"),
        ),
        check("DefaultRootObject = index.html", config.get("DefaultRootObject") == "index.html"),
    ]


def _statistics_cached(t: Transformed, config: dict[str, Any]) -> bool:
    """The public statistics (issue #19): their own behaviour, listed before /v1/* (the
    first match wins), GET and HEAD only, a cache policy of 300 s keyed by ``period``
    alone (no header, no cookie)."""
    patterns = [b.get("PathPattern") for b in config.get("CacheBehaviors", [])]
    if "/v1/statistics" not in patterns or "/v1/*" not in patterns:
        return False
    if patterns.index("/v1/statistics") > patterns.index("/v1/*"):
        return False
    behaviour = _behaviour_for(config, "/v1/statistics")
    policies = [
        t.resources[logical_id]
        for logical_id in t.of_type("AWS::CloudFront::CachePolicy")
        if _refers_to(behaviour.get("CachePolicyId"), logical_id)
    ]
    if len(policies) != 1 or set(behaviour.get("AllowedMethods", [])) != {"GET", "HEAD"}:
        return False
    policy = policies[0]["Properties"]["CachePolicyConfig"]
    key = policy["ParametersInCacheKeyAndForwardedToOrigin"]
    return (
        policy.get("DefaultTTL") == 300
        and policy.get("MaxTTL") == 300
        and key["QueryStringsConfig"]
        == {"QueryStringBehavior": "whitelist", "QueryStrings": ["period"]}
        and key["HeadersConfig"] == {"HeaderBehavior": "none"}
        and key["CookiesConfig"] == {"CookieBehavior": "none"}
    )


CHECKERS: dict[str, Checker] = {
    "AWS::Lambda::Function": check_function,
    "AWS::IAM::Role": check_role,
    "AWS::Lambda::LayerVersion": check_layer,
    "AWS::Logs::LogGroup": check_log_group,
    "AWS::Lambda::Permission": check_permission,
    "AWS::Lambda::Version": check_version,
    "AWS::Lambda::Alias": check_alias,
    "AWS::Lambda::EventSourceMapping": check_event_source_mapping,
    "AWS::ApiGatewayV2::Api": check_http_api,
    "AWS::ApiGatewayV2::Stage": check_http_stage,
    "AWS::DynamoDB::Table": check_table,
    "AWS::SQS::Queue": check_queue,
    "AWS::Scheduler::ScheduleGroup": check_schedule_group,
    "AWS::Cognito::UserPool": check_user_pool,
    "AWS::Cognito::UserPoolGroup": check_user_pool_group,
    "AWS::Cognito::UserPoolClient": check_user_pool_client,
    "AWS::KMS::Key": check_kms_key,
    "AWS::KMS::Alias": check_kms_alias,
    "AWS::S3::Bucket": check_any_bucket,
    "AWS::S3::BucketPolicy": check_bucket_policy,
    "AWS::SNS::Topic": check_topic,
    "AWS::SNS::Subscription": check_subscription,
    "AWS::CloudWatch::Alarm": check_alarm,
    "AWS::Scheduler::Schedule": check_schedule,
    "AWS::Lambda::EventInvokeConfig": check_event_invoke_config,
    "AWS::CloudFront::Distribution": check_distribution,
    "AWS::CloudFront::OriginAccessControl": check_origin_access_control,
    "AWS::CloudFront::Function": check_cloudfront_function,
    "AWS::CloudFront::ResponseHeadersPolicy": check_response_headers_policy,
}


def checks_for(t: Transformed, logical_id: str) -> list[Check]:
    """The checks of one resource; empty when its type has no checker yet."""
    resource = t.resources[logical_id]
    checker = CHECKERS.get(resource["Type"])
    return checker(t, logical_id, resource) if checker else []


def failures(t: Transformed, logical_ids: Iterable[str] | None = None) -> list[str]:
    """'<logical id>: <property> (<detail>)' for every check that does not hold."""
    ids = t.resources if logical_ids is None else logical_ids
    return [
        f"{logical_id}: {c.prop} ({c.detail})"
        for logical_id in ids
        for c in checks_for(t, logical_id)
        if not c.ok
    ]
