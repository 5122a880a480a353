"""Infrastructure tests: the template as CloudFormation will see it after the SAM transform.

Every resource whose type has a checker in tests.infra.template_assertions.CHECKERS is
asserted property by property; the last test prints the whole list for the issue's
closing note (the same table as `python -m tests.infra.template_report`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from infra.template import http_routes, load_template
from infra.transform import OfflinePolicyLoader, transform, transformed_template
from tests.infra.template_assertions import (
    CHECKERS,
    RAW_MIME_SENDERS,
    USER_POOL_GROUPS,
    Transformed,
    failures,
)
from tests.infra.template_report import report

RESOURCES = transformed_template()["Resources"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "logical_id", sorted(k for k, r in RESOURCES.items() if r["Type"] in CHECKERS)
)
def test_resource_has_the_asserted_properties(transformed: Transformed, logical_id: str) -> None:
    assert failures(transformed, [logical_id]) == []


# ------------------------------------------------- the transform and coverage


def test_every_sam_function_becomes_a_checked_lambda_function(transformed: Transformed) -> None:
    sam = [
        k
        for k, r in load_template()["Resources"].items()
        if r["Type"] == "AWS::Serverless::Function"
    ]
    assert sorted(transformed.of_type("AWS::Lambda::Function")) == sorted(sam)
    # ... each with its own role and log group
    for function in sam:
        assert f"{function}Role" in transformed.of_type("AWS::IAM::Role")
        assert transformed.log_group_of(function) == f"{function}LogGroup"


def test_every_http_event_is_a_route_of_the_api(transformed: Transformed) -> None:
    events = {f"{r.method} {r.path}" for r in http_routes()}
    assert set(transformed.http_routes()) == events
    assert len(transformed.of_type("AWS::Lambda::Permission")) == len(events)


def test_the_pool_has_its_groups(transformed: Transformed) -> None:
    assert len(transformed.of_type("AWS::Cognito::UserPoolGroup")) == USER_POOL_GROUPS


def test_the_transform_is_offline() -> None:
    # The stub loader answers without IAM; the template names no managed policy by name.
    loader = OfflinePolicyLoader()
    assert loader.load() == {}
    assert transform(load_template())["Resources"].keys() == RESOURCES.keys()


def test_the_transform_leaves_the_loaded_template_alone() -> None:
    assert load_template()["Resources"]["IntakeFunction"]["Properties"]["CodeUri"] == (
        "functions/intake/"
    )


# ----------------------------------- the checkers catch what they claim to


def _drop_deny(role: dict[str, Any]) -> None:
    statements = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    statements[:] = [s for s in statements if s.get("Effect") != "Deny"]


def _drop_action(role: dict[str, Any], action: str) -> None:
    """Remove one action from every inline statement of a role that names it."""
    for policy in role["Properties"]["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            actions = statement["Action"]
            if isinstance(actions, list) and action in actions:
                actions.remove(action)


def _broken(template: dict[str, Any], change: Any) -> list[str]:
    change(template["Resources"])
    return failures(Transformed(template))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda r: r["NotifyFunction"]["Properties"].update(Runtime="python3.12"),
            "NotifyFunction: Runtime = python3.13",
        ),
        (
            lambda r: r["IntakeFunction"]["Properties"].pop("TracingConfig"),
            "IntakeFunction: TracingConfig.Mode = Active",
        ),
        (
            lambda r: r["RouteFunction"]["Properties"].update(Layers=[]),
            "RouteFunction: Layers include the common layer",
        ),
        (
            lambda r: r["AuthFunctionLogGroup"]["Properties"].pop("RetentionInDays"),
            "AuthFunction: log group /aws/lambda/<name> with RetentionInDays",
        ),
        (
            lambda r: r["RouteFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"][
                "Statement"
            ].append({"Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn"}),
            "RouteFunctionRole: inline Allow statements: no wildcard actions",
        ),
        (
            lambda r: r["RouteFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"][
                "Statement"
            ].append({"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": "*"}),
            'RouteFunctionRole: inline Allow statements: Resource never "*"',
        ),
        (
            lambda r: r["IntakeFunctionRole"]["Properties"].update(
                ManagedPolicyArns=["arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"]
            ),
            "IntakeFunctionRole: no managed policies",
        ),
        (
            lambda r: r["HttpApi"]["Properties"]["Body"]["paths"]["/v1/officer/me"]["get"].pop(
                "security"
            ),
            "HttpApi: every /v1/officer/* route has security",
        ),
        (
            lambda r: r["HttpApiStage"]["Properties"]["RouteSettings"].pop("POST /v1/auth/login"),
            "HttpApiStage: RouteSettings[POST /v1/auth/login]",
        ),
        (
            lambda r: r["ComplaintsTable"]["Properties"].pop("PointInTimeRecoverySpecification"),
            "ComplaintsTable: PointInTimeRecoveryEnabled = true",
        ),
        (
            lambda r: r["OfficerUserPool"]["Properties"]["Policies"]["PasswordPolicy"].update(
                MinimumLength=8
            ),
            "OfficerUserPool: PasswordPolicy.MinimumLength >= 12",
        ),
        (
            lambda r: r["OfficerUserPool"]["Properties"].update(DeletionProtection="INACTIVE"),
            "OfficerUserPool: DeletionProtection = ACTIVE if IsProd",
        ),
        (
            lambda r: r["NotifyFunctionTableStream"]["Properties"].pop("DestinationConfig"),
            "NotifyFunctionTableStream: DestinationConfig.OnFailure",
        ),
        (
            lambda r: r["IntakeFunctionTrackComplaintPermission"]["Properties"]["SourceArn"][
                "Fn::Sub"
            ].__setitem__(0, "arn:${AWS::Partition}:execute-api:x:y:${__ApiId__}/${__Stage__}/*"),
            "IntakeFunctionTrackComplaintPermission: SourceArn",
        ),
        (
            lambda r: r["HttpApiStage"]["Properties"]["AccessLogSettings"].update(
                Format='{"requestId":"$context.requestId","path":"$context.path"}'
            ),
            "HttpApiStage: access log format",
        ),
        (
            lambda r: r["HttpApi"]["Properties"]["Body"]["x-amazon-apigateway-cors"].update(
                allowOrigins=["*"]
            ),
            "HttpApi: CORS",
        ),
        (
            lambda r: r["ComplaintsTable"]["Properties"]["SSESpecification"].pop("KMSMasterKeyId"),
            "ComplaintsTable: SSESpecification: KMS with the stage's DataKey",
        ),
        (
            lambda r: r["DataKey"]["Properties"].update(EnableKeyRotation=False),
            "DataKey: EnableKeyRotation = true",
        ),
        (
            lambda r: r["FilesBucket"]["Properties"]["PublicAccessBlockConfiguration"].update(
                RestrictPublicBuckets=False
            ),
            "FilesBucket: public access blocked",
        ),
        (
            lambda r: r["FilesBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"].clear(),
            "FilesBucketPolicy: denies every request without TLS",
        ),
        # web hosting: the bucket, its distribution, OAC, headers, index function
        (
            lambda r: r["WebBucket"]["Properties"].pop("BucketEncryption"),
            "WebBucket: encrypted (SSE-S3",
        ),
        (
            lambda r: r["WebBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][1][
                "Principal"
            ].update(Service="s3.amazonaws.com"),
            "WebBucket: bucket policy: only this stack's distribution may read",
        ),
        (
            lambda r: r["WebBucket"]["Properties"]["PublicAccessBlockConfiguration"].update(
                BlockPublicPolicy=False
            ),
            "WebBucket: public access blocked",
        ),
        (
            lambda r: r["WebDistribution"]["Properties"]["DistributionConfig"]["Origins"][0].pop(
                "OriginAccessControlId"
            ),
            "WebDistribution: default behaviour: the web bucket through Origin Access Control",
        ),
        (
            lambda r: r["WebDistribution"]["Properties"]["DistributionConfig"][
                "DefaultCacheBehavior"
            ].pop("ResponseHeadersPolicyId"),
            "WebDistribution: default behaviour: HTTPS, cached, security headers policy",
        ),
        (
            lambda r: r["WebDistribution"]["Properties"]["DistributionConfig"]["CacheBehaviors"][
                1
            ].update(CachePolicyId="658327ea-f89d-4fab-a63d-7e88639e58f6"),
            "WebDistribution: /v1/*: caching disabled",
        ),
        (
            lambda r: r["WebDistribution"]["Properties"]["DistributionConfig"][
                "CacheBehaviors"
            ].reverse(),
            "WebDistribution: /v1/statistics: cached 5 minutes by period, before /v1/*",
        ),
        (
            lambda r: r["StatisticsCachePolicy"]["Properties"]["CachePolicyConfig"][
                "ParametersInCacheKeyAndForwardedToOrigin"
            ]["QueryStringsConfig"].update(QueryStringBehavior="all"),
            "WebDistribution: /v1/statistics: cached 5 minutes by period, before /v1/*",
        ),
        (
            lambda r: r["WebDistribution"]["Properties"]["DistributionConfig"]["Origins"][1][
                "CustomOriginConfig"
            ].update(OriginProtocolPolicy="http-only"),
            "WebDistribution: /v1/* to the HTTP API over HTTPS",
        ),
        (
            lambda r: r["WebDistribution"]["Properties"]["DistributionConfig"][
                "DefaultCacheBehavior"
            ].pop("FunctionAssociations"),
            "WebDistribution: default behaviour: directory index function",
        ),
        (
            lambda r: r["WebOriginAccessControl"]["Properties"]["OriginAccessControlConfig"].update(
                SigningBehavior="no-override"
            ),
            "WebOriginAccessControl: signs every request",
        ),
        (
            lambda r: r["WebSecurityHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"][
                "SecurityHeadersConfig"
            ]["ContentSecurityPolicy"].update(
                ContentSecurityPolicy="default-src 'self'; script-src 'self' 'unsafe-inline';"
            ),
            "WebSecurityHeadersPolicy: CSP: this origin only",
        ),
        (
            lambda r: r["WebDirectoryIndexFunction"]["Properties"]["FunctionConfig"].update(
                Runtime="cloudfront-js-1.0"
            ),
            "WebDirectoryIndexFunction: Runtime = cloudfront-js-2.0",
        ),
        (
            lambda r: r.pop("NotifyFunctionThrottlesAlarm"),
            "NotifyFunction: a Throttles alarm to the ops topic",
        ),
        (
            lambda r: r.pop("NotifyDeadLetterAlarm"),
            "NotifyDeadLetterQueue: an alarm on its depth",
        ),
        (
            lambda r: r["OverdueComplaintsAlarm"]["Properties"].update(
                Dimensions=[{"Name": "service", "Value": "pendopo"}]
            ),
            "OverdueComplaintsAlarm: an alarm on our own metrics",
        ),
        (
            lambda r: r["ScheduleGroup"]["Properties"].update(Name="pendopo"),
            "ScheduleGroup: Name carries the stage",
        ),
        # the monthly recap's schedule, its scheduler role and its function
        (
            lambda r: r["MonthlyRecapFunctionMonthly"]["Properties"].update(
                ScheduleExpressionTimezone="UTC"
            ),
            "MonthlyRecapFunctionMonthly: ScheduleExpressionTimezone = Asia/Jakarta",
        ),
        (
            lambda r: r["MonthlyRecapFunctionMonthly"]["Properties"]["Target"].pop(
                "DeadLetterConfig"
            ),
            "MonthlyRecapFunctionMonthly: Target.DeadLetterConfig",
        ),
        (
            lambda r: r["MonthlyRecapFunctionMonthly"]["Properties"]["Target"].pop("RetryPolicy"),
            "MonthlyRecapFunctionMonthly: Target.RetryPolicy bounded",
        ),
        (
            lambda r: r["MonthlyRecapFunctionMonthly"]["Properties"]["Target"].update(
                Input='{"month": "2025-06"}'
            ),
            "MonthlyRecapFunctionMonthly: Target.Input passes",
        ),
        (
            lambda r: r["MonthlyRecapFunctionMonthlyRole"]["Properties"]["Policies"][0][
                "PolicyDocument"
            ]["Statement"].append({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}),
            "MonthlyRecapFunctionMonthlyRole: Allow statements: only lambda:InvokeFunction",
        ),
        (
            lambda r: r["MonthlyRecapFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"][
                "Statement"
            ].append({"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": "*"}),
            'MonthlyRecapFunctionRole: inline Allow statements: Resource never "*"',
        ),
        (
            lambda r: r.pop("MonthlyRecapFunctionErrorsAlarm"),
            "MonthlyRecapFunction: an Errors alarm to the ops topic",
        ),
        (
            lambda r: r.pop("MonthlyRecapFunctionEventInvokeConfig"),
            "MonthlyRecapFunctionMonthly: the target function has an EventInvokeConfig",
        ),
        (
            lambda r: r["MonthlyRecapFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"][
                "Statement"
            ].pop(),
            "MonthlyRecapFunctionMonthly: the target function's role may sqs:SendMessage",
        ),
        (
            lambda r: _drop_action(r["MonthlyRecapFunctionRole"], "ses:SendRawEmail"),
            "MonthlyRecapFunctionRole: sends raw MIME: ses:SendEmail and ses:SendRawEmail",
        ),
        # The reporter's SMS: Publish on "*" only while every topic is denied.
        (
            lambda r: _drop_deny(r["NotifyFunctionRole"]),
            "NotifyFunctionRole: sns:Publish only for SMS",
        ),
        (
            lambda r: r["IntakeFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"][
                "Statement"
            ].append({"Effect": "Allow", "Action": "sns:Publish", "Resource": "arn:aws:sns:x"}),
            "IntakeFunctionRole: sns:Publish only for SMS",
        ),
    ],
)
def test_a_broken_property_fails(template: dict[str, Any], change: Any, expected: str) -> None:
    # Given a template with one property broken, then its check fails (and may take a
    # related one with it: a route losing its authorizer is also an unexpected public route)
    assert failures(Transformed(transformed_template())) == []
    problems = _broken(template, change)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_the_raw_mime_senders_are_the_functions_using_the_raw_mailer() -> None:
    # SES authorises SendEmail with Content.Raw as ses:SendRawEmail: every function whose
    # code sends through RawSesMailer must be in RAW_MIME_SENDERS, so its role is checked.
    resources = load_template()["Resources"]
    users = {
        logical_id
        for logical_id, r in resources.items()
        if r["Type"] == "AWS::Serverless::Function"
        and any(
            "RawSesMailer" in path.read_text()
            for path in (ROOT / r["Properties"]["CodeUri"]).glob("*.py")
        )
    }
    assert users == RAW_MIME_SENDERS


# ----------------------------------------------------------- the list


def test_print_every_resource_with_what_is_asserted(capsys: pytest.CaptureFixture[str]) -> None:
    table = report()
    # Printed past pytest's capture: the closing note lists these.
    with capsys.disabled():
        print("\n\nResources of the transformed template and the properties asserted:\n")
        print(table)
    assert "FAILS" not in table
    assert all(f"| {logical_id} |" in table for logical_id in RESOURCES)


def test_a_type_without_a_checker_is_listed_as_unasserted(template: dict[str, Any]) -> None:
    template["Resources"]["SpareTable"] = {"Type": "AWS::Glue::Table", "Properties": {}}
    assert "| SpareTable | AWS::Glue::Table | (nothing asserted yet) |" in report(template)
