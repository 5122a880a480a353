"""House checks on the template (infra.lint_template), on small in-memory templates."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from infra.lint_template import (
    check_template,
    cron_problem,
    expression_problem,
    main,
    timezone_problem,
)
from infra.template import TEMPLATE_PATH


def function(**props: Any) -> dict[str, Any]:
    return {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "app.handler", **props}}


def log_group(name: Any, retention: Any = 90) -> dict[str, Any]:
    props: dict[str, Any] = {"LogGroupName": name}
    if retention is not None:
        props["RetentionInDays"] = retention
    return {"Type": "AWS::Logs::LogGroup", "Properties": props}


def schedule(expression: Any, zone: Any = "Asia/Jakarta") -> dict[str, Any]:
    props: dict[str, Any] = {
        "ScheduleExpression": expression,
        "FlexibleTimeWindow": {"Mode": "OFF"},
        "Target": {"Arn": "arn", "RoleArn": "arn"},
    }
    if zone is not None:
        props["ScheduleExpressionTimezone"] = zone
    return {"Type": "AWS::Scheduler::Schedule", "Properties": props}


def template(**resources: Any) -> dict[str, Any]:
    return {"Resources": resources}


def problems_of(tpl: dict[str, Any]) -> list[str]:
    return check_template(tpl)[0]


# ----------------------------------------------------------------- time zones


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "UTC", "Asia/Makassar", "America/New_York"])
def test_iana_zones_pass(zone: str) -> None:
    assert problems_of(template(Daily=schedule("cron(0 1 * * ? *)", zone))) == []


@pytest.mark.parametrize(
    "zone", ["Asia/Djakarta_", "WIB", "GMT+7", "asia/jakarta ", "", "Factory", "localtime", 7]
)
def test_bad_zones_fail(zone: Any) -> None:
    problems = problems_of(template(Daily=schedule("cron(0 1 * * ? *)", zone)))
    assert len(problems) == 1
    assert problems[0].startswith("Daily: time zone")


def test_a_schedule_without_a_zone_fails() -> None:
    # Given a schedule that leaves the zone out, EventBridge would run it in UTC.
    problems = problems_of(template(Daily=schedule("cron(0 1 * * ? *)", zone=None)))
    assert problems == ["Daily: has no ScheduleExpressionTimezone (EventBridge would use UTC)"]


def test_a_zone_parameter_must_only_allow_zones() -> None:
    tpl = template(Daily=schedule("cron(0 1 * * ? *)", {"Ref": "Zone"}))
    tpl["Parameters"] = {"Zone": {"Type": "String", "AllowedValues": ["Asia/Jakarta", "WIB"]}}
    assert problems_of(tpl) == ["Daily: time zone 'WIB' is not an IANA time zone"]
    tpl["Parameters"]["Zone"] = {"Type": "String", "Default": "Asia/Jakarta"}
    assert problems_of(tpl) == []


def test_an_unknown_zone_reference_fails() -> None:
    assert "is not a parameter" in str(timezone_problem({"Ref": "Nope"}, {"Resources": {}}))


# ------------------------------------------------------------------ cron


@pytest.mark.parametrize(
    "body",
    [
        "0 1 * * ? *",  # 08:00 WIB every day
        "30 7 ? * MON-FRI *",  # the desks' opening, weekdays
        "0 2 5 * ? *",  # the monthly recap on the 5th
        "0/15 * * * ? *",
        "*/5 0-9 ? * 2-6 *",
        "0 9 ? * mon,wed,fri *",  # names are case-insensitive
        "0 18 L * ? *",
        "0 8 LW * ? *",
        "0 8 15W * ? *",
        "0 8 ? * 6L *",
        "0 10 ? * 2#1 *",
        "0 10 ? * MON#3 2025-2030",
        "0 0 1 JAN,JUL ? 2026",
        "5,35 14 1-15/2 * ? *",
        "0 0 ? JAN-MAR * 2199",
    ],
)
def test_valid_crons_pass(body: str) -> None:
    assert cron_problem(body) is None
    assert problems_of(template(Job=schedule(f"cron({body})"))) == []


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("0 1 * * *", "has 5 fields"),  # Unix cron: no year
        ("0 1 * * ? * *", "has 7 fields"),  # Quartz with seconds
        ("0 1 * * * *", "exactly one of day-of-month and day-of-week"),
        ("0 1 ? * ? *", "exactly one of day-of-month and day-of-week"),
        ("0 1 5 * MON *", "exactly one of day-of-month and day-of-week"),
        ("60 1 * * ? *", "minutes: 60 is outside 0-59"),
        ("0 24 * * ? *", "hours: 24 is outside 0-23"),
        ("0 1 32 * ? *", "day-of-month: 32 is outside 1-31"),
        ("0 1 0 * ? *", "day-of-month: 0 is outside 1-31"),
        ("0 1 * 13 ? *", "month: 13 is outside 1-12"),
        ("0 1 ? * 0 *", "day-of-week: 0 is outside 1-7"),
        ("0 1 ? * 8 *", "day-of-week: 8 is outside 1-7"),
        ("0 1 * * ? 1969", "year: 1969 is outside 1970-2199"),
        ("0 1 ? * MON-FRY *", "not a number or a name"),
        ("0 1 * FOO ? *", "not a number or a name"),
        ("0 1 ? * */2 *", "'/' is not allowed in day-of-week"),
        ("0/0 1 * * ? *", "no positive increment"),
        ("0 1 ? * MON#6 *", "#1 to #5"),
        ("0 1 ? * MON#0 *", "#1 to #5"),
        ("0 1 1-5W * ? *", "not a number"),  # W takes one day, not a range
        ("0 1 L * ? L", "not a number"),  # L only in the day fields
        ("0 1 * * ? 2026,*", "'*' cannot be part of a list"),
        ("0 ? * * ? *", "'?' only goes in day-of-month or day-of-week"),
        ("0 1 ? * 1,? *", "not a number"),
        ("a 1 * * ? *", "minutes: 'a' is not a number"),
    ],
)
def test_invalid_crons_fail(body: str, why: str) -> None:
    problem = cron_problem(body)
    assert problem is not None
    assert why in problem
    assert problems_of(template(Job=schedule(f"cron({body})"))) == [
        f"Job: 'cron({body})' {problem}"
    ]


# ----------------------------------------------------------- rate and at


@pytest.mark.parametrize(
    "expression",
    ["rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(12 hours)", "rate(1 day)"],
)
def test_valid_rates_pass(expression: str) -> None:
    assert expression_problem(expression) is None


@pytest.mark.parametrize(
    "expression",
    ["rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "rate(1 week)", "rate(-1 days)"],
)
def test_invalid_rates_fail(expression: str) -> None:
    assert expression_problem(expression) is not None


def test_one_time_schedules() -> None:
    assert expression_problem("at(2026-06-05T08:00:00)") is None
    assert expression_problem("at(2026-06-31T08:00:00)") is not None
    assert expression_problem("at(2026-06-05 08:00)") is not None


@pytest.mark.parametrize("expression", ["every day", "cron 0 1 * * ? *", {"Ref": "Cron"}, None])
def test_other_expressions_fail(expression: Any) -> None:
    assert expression_problem(expression) is not None


def test_sam_schedule_v2_events_are_checked() -> None:
    # Given a function with a ScheduleV2 event in the wrong zone and a 5-field cron
    events = {
        "Daily": {
            "Type": "ScheduleV2",
            "Properties": {
                "ScheduleExpression": "cron(0 1 * * *)",
                "ScheduleExpressionTimezone": "WIB",
            },
        }
    }
    tpl = template(
        Job=function(Events=events),
        JobLogGroup=log_group({"Fn::Sub": "/aws/lambda/${Job}"}),
    )
    # Then both are reported, naming the event
    problems = problems_of(tpl)
    assert len(problems) == 2
    assert all(problem.startswith("Job event Daily: ") for problem in problems)


def test_utc_only_schedules_are_refused() -> None:
    events = {"Daily": {"Type": "Schedule", "Properties": {"Schedule": "cron(0 1 * * ? *)"}}}
    events["Daily"]["Properties"]["ScheduleExpression"] = "cron(0 1 * * ? *)"
    tpl = template(
        Job=function(Events=events),
        JobLogGroup=log_group({"Fn::Sub": "/aws/lambda/${Job}"}),
        Rule={"Type": "AWS::Events::Rule", "Properties": {"ScheduleExpression": "rate(1 day)"}},
    )
    problems = problems_of(tpl)
    assert len(problems) == 2
    assert all("UTC only" in problem for problem in problems)


# ------------------------------------------------------------ log groups


@pytest.mark.parametrize(
    ("props", "name"),
    [
        ({}, {"Fn::Sub": "/aws/lambda/${Fn}"}),
        ({"FunctionName": "pendopo-dev-fn"}, "/aws/lambda/pendopo-dev-fn"),
        ({"FunctionName": {"Fn::Sub": "pendopo-${Stage}-fn"}}, {"Fn::Sub": "/aws/lambda/${Fn}"}),
        (
            {"FunctionName": {"Fn::Sub": "pendopo-${Stage}-fn"}},
            {"Fn::Sub": "/aws/lambda/pendopo-${Stage}-fn"},
        ),
    ],
)
def test_a_function_with_its_log_group_passes(props: dict[str, Any], name: Any) -> None:
    assert problems_of(template(Fn=function(**props), FnLogs=log_group(name))) == []


def test_a_function_without_a_log_group_fails() -> None:
    tpl = template(Fn=function(), Other=log_group({"Fn::Sub": "/aws/lambda/${OtherFn}"}))
    assert problems_of(tpl) == ["Fn: no AWS::Logs::LogGroup named !Sub /aws/lambda/${Fn}"]


def test_a_plain_lambda_function_is_checked_too() -> None:
    tpl = template(Fn={"Type": "AWS::Lambda::Function", "Properties": {}})
    assert problems_of(tpl) == ["Fn: no AWS::Logs::LogGroup named !Sub /aws/lambda/${Fn}"]


def test_a_log_group_without_retention_fails() -> None:
    tpl = template(Fn=function(), FnLogs=log_group({"Fn::Sub": "/aws/lambda/${Fn}"}, None))
    assert problems_of(tpl) == ["Fn: its log group has no RetentionInDays"]


# ------------------------------------------------------------------ IAM


def with_statement(statement: dict[str, Any]) -> dict[str, Any]:
    return template(
        Fn=function(Policies=[{"Statement": [statement]}]),
        FnLogs=log_group({"Fn::Sub": "/aws/lambda/${Fn}"}),
    )


@pytest.mark.parametrize(
    "action",
    ["*", "dynamodb:*", "s3:Get*", ["dynamodb:GetItem", "dynamodb:Batch*"], "ses:Send?mail"],
)
def test_wildcard_actions_fail(action: Any) -> None:
    problems = problems_of(with_statement({"Effect": "Allow", "Action": action, "Resource": "arn"}))
    assert len(problems) == 1
    assert problems[0].startswith("Fn Policies: wildcard action")


def test_named_actions_and_broad_denies_pass() -> None:
    ok = {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"], "Resource": "arn"}
    assert problems_of(with_statement(ok)) == []
    deny = {"Effect": "Deny", "Action": "s3:*", "Resource": "arn"}
    assert problems_of(with_statement(deny)) == []


def test_not_action_fails() -> None:
    problems = problems_of(
        with_statement({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
    )
    assert problems == ["Fn Policies: an Allow with NotAction grants every other action"]


def test_iam_policies_and_roles_are_checked() -> None:
    star = {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sqs:*"}}
    tpl = template(
        Pol={"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": star}},
        Role={
            "Type": "AWS::IAM::Role",
            "Properties": {"Policies": [{"PolicyName": "inline", "PolicyDocument": star}]},
        },
    )
    assert problems_of(tpl) == [
        "Pol: wildcard action 'sqs:*'; name the actions",
        "Role policy inline: wildcard action 'sqs:*'; name the actions",
    ]


def test_managed_and_sam_template_policies_are_not_inline_statements() -> None:
    policies = ["AWSLambdaBasicExecutionRole", {"DynamoDBReadPolicy": {"TableName": "t"}}]
    tpl = template(Fn=function(Policies=policies), L=log_group({"Fn::Sub": "/aws/lambda/${Fn}"}))
    problems, summary = check_template(tpl)
    assert problems == []
    assert summary.statements == 0


# -------------------------------------------------------- officer routes


def http_event(path: str, auth: Any = None) -> dict[str, Any]:
    props: dict[str, Any] = {"ApiId": {"Ref": "HttpApi"}, "Method": "GET", "Path": path}
    if auth is not None:
        props["Auth"] = auth
    return {"Type": "HttpApi", "Properties": props}


@pytest.mark.parametrize("auth", [None, {}, {"Authorizer": "NONE"}, {"Authorizer": ""}])
def test_an_officer_route_without_an_authorizer_fails(auth: Any) -> None:
    events = {"Queue": http_event("/v1/officer/complaints", auth)}
    tpl = template(Fn=function(Events=events), L=log_group({"Fn::Sub": "/aws/lambda/${Fn}"}))
    assert problems_of(tpl) == [
        "Fn event Queue: officer route GET /v1/officer/complaints has no Auth.Authorizer"
    ]


def test_officer_routes_with_an_authorizer_and_public_routes_pass() -> None:
    events = {
        "Queue": http_event("/v1/officer/complaints", {"Authorizer": "OfficerAuthorizer"}),
        "Track": http_event("/v1/complaints/{ticket}"),
        "Login": http_event("/v1/auth/login"),
    }
    tpl = template(Fn=function(Events=events), L=log_group({"Fn::Sub": "/aws/lambda/${Fn}"}))
    problems, summary = check_template(tpl)
    assert problems == []
    assert summary.officer_routes == 1


# ------------------------------------------------------- the real template


def test_the_real_template_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(TEMPLATE_PATH)]) == 0
    out = capsys.readouterr().out
    assert "house checks clean" in out
    assert out.count("\n") == 1


def test_the_command_reports_each_problem_on_its_own_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a template with two problems
    path = tmp_path / "template.yaml"
    path.write_text(
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Policies:\n"
        "        - Statement:\n"
        "            - {Effect: Allow, Action: 'dynamodb:*', Resource: !GetAtt T.Arn}\n",
        encoding="utf-8",
    )
    # When the command runs, then it fails with one line per problem
    assert main([str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{path}: Fn: no AWS::Logs::LogGroup named !Sub /aws/lambda/${{Fn}}",
        f"{path}: Fn Policies: wildcard action 'dynamodb:*'; name the actions",
    ]


def test_an_unreadable_template_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "missing.yaml")]) == 1
    assert "cannot read the template" in capsys.readouterr().out


def test_checks_do_not_change_the_template() -> None:
    from infra.template import load_template

    before = copy.deepcopy(load_template())
    check_template(load_template())
    assert load_template() == before


# --- training mode is refused on prod -------------------------------------------------

PROD_REFUSES_TRAINING = {
    "RuleCondition": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
    "Assertions": [{"Assert": {"Fn::Equals": [{"Ref": "TrainingMode"}, "off"]}}],
}


def with_training(rules: dict[str, Any] | None) -> dict[str, Any]:
    tpl = template()
    tpl["Parameters"] = {"TrainingMode": {"Type": "String", "AllowedValues": ["on", "off"]}}
    if rules is not None:
        tpl["Rules"] = rules
    return tpl


def test_a_training_parameter_with_the_prod_rule_passes() -> None:
    assert problems_of(with_training({"ProdIsNeverTraining": PROD_REFUSES_TRAINING})) == []


@pytest.mark.parametrize(
    "rules",
    [
        None,
        {"Other": {"Assertions": PROD_REFUSES_TRAINING["Assertions"]}},
        {
            "Dev": {
                **PROD_REFUSES_TRAINING,
                "RuleCondition": {"Fn::Equals": [{"Ref": "Stage"}, "dev"]},
            }
        },
        {
            "On": {
                **PROD_REFUSES_TRAINING,
                "Assertions": [{"Assert": {"Fn::Equals": [{"Ref": "TrainingMode"}, "on"]}}],
            }
        },
    ],
)
def test_a_training_parameter_without_the_prod_rule_fails(rules: dict[str, Any] | None) -> None:
    assert any("TrainingMode" in p for p in problems_of(with_training(rules)))


def test_the_real_template_refuses_training_on_prod() -> None:
    from infra.template import load_template

    assert "ProdIsNeverTraining" in load_template()["Rules"]
    assert problems_of(load_template()) == []


def test_samconfig_turns_training_on_for_the_training_stage_only() -> None:
    import tomllib

    config = tomllib.loads((TEMPLATE_PATH.parent / "samconfig.toml").read_text(encoding="utf-8"))
    overrides = {
        stage: config[stage]["deploy"]["parameters"]["parameter_overrides"].split()
        for stage in ("dev", "training", "prod")
    }
    assert "TrainingMode=on" in overrides["training"]
    assert not any(
        o.startswith("TrainingMode=") and o != "TrainingMode=off" for o in overrides["prod"]
    )
    assert not any(
        o.startswith("TrainingMode=") and o != "TrainingMode=off" for o in overrides["dev"]
    )
