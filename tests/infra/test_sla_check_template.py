"""The daily deadline check in the transformed template: its schedule, the schedule's role,
its asynchronous-invocation config, and the alarms; each check shown to catch a broken
property. (The generic function, role, log group and alarm checks run for every
resource in test_transformed_template.py.)"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from infra.lint_template import check_template
from infra.template import load_template
from infra.transform import transformed_template
from tests.infra.template_assertions import Transformed, failures

SCHEDULE = "SlaCheckFunctionDaily"
SCHEDULE_ROLE = "SlaCheckFunctionDailyRole"
INVOKE_CONFIG = "SlaCheckFunctionEventInvokeConfig"


def test_the_check_is_scheduled_daily_at_seven_wib(transformed: Transformed) -> None:
    target = transformed.props(SCHEDULE)["Target"]
    assert transformed.props(SCHEDULE)["ScheduleExpression"] == {"Ref": "SlaCheckSchedule"}
    assert load_template()["Parameters"]["SlaCheckSchedule"]["Default"] == "cron(0 7 * * ? *)"
    assert transformed.props(SCHEDULE)["ScheduleExpressionTimezone"] == "Asia/Jakarta"
    assert target["Input"] == '{"scheduled_time": "<aws.scheduler.scheduled-time>"}'
    assert failures(transformed, [SCHEDULE, SCHEDULE_ROLE, INVOKE_CONFIG]) == []


def test_the_function_role_reads_only_the_open_by_due_index(transformed: Transformed) -> None:
    statements = transformed.props("SlaCheckFunctionRole")["Policies"][0]["PolicyDocument"][
        "Statement"
    ]
    queries = [s for s in statements if "dynamodb:Query" in str(s["Action"])]
    assert [q["Resource"] for q in queries] == [
        {"Fn::Sub": "${ComplaintsTable.Arn}/index/open_by_due"}
    ]
    assert "dynamodb:Scan" not in str(statements)


def test_the_overdue_alarm_watches_the_checks_metric(transformed: Transformed) -> None:
    alarm = transformed.props("OverdueComplaintsAlarm")
    assert (alarm["Namespace"], alarm["MetricName"]) == ("Pendopo", "OverdueComplaints")
    assert alarm["AlarmActions"] == [{"Ref": "OpsTopic"}]


def test_the_house_lint_checks_the_parameters_cron() -> None:
    # Given the template whose schedule takes its expression from a parameter (a copy:
    # load_template is cached, and other tests read the real one)
    template = copy.deepcopy(load_template())
    assert check_template(template)[0] == []
    # When the parameter's default is a 5-field (Unix) cron, then the house lint says so
    template["Parameters"]["SlaCheckSchedule"]["Default"] = "cron(0 7 * * *)"
    problems = check_template(template)[0]
    assert any(p.startswith("SlaCheckFunction event Daily: 'cron(0 7 * * *)'") for p in problems)


def _broken(change: Any) -> list[str]:
    template = transformed_template()
    change(template["Resources"])
    return failures(Transformed(template))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda r: r[SCHEDULE]["Properties"].update(ScheduleExpressionTimezone="UTC"),
            f"{SCHEDULE}: ScheduleExpressionTimezone = Asia/Jakarta",
        ),
        (
            lambda r: r[SCHEDULE]["Properties"].update(GroupName="default"),
            f"{SCHEDULE}: GroupName = a schedule group",
        ),
        (
            lambda r: r[SCHEDULE]["Properties"]["Target"].update(Input="{}"),
            f"{SCHEDULE}: Target.Input passes the scheduled time",
        ),
        (
            lambda r: r[SCHEDULE]["Properties"]["Target"].pop("RetryPolicy"),
            f"{SCHEDULE}: Target.RetryPolicy bounded",
        ),
        (
            lambda r: r[SCHEDULE]["Properties"]["Target"].pop("DeadLetterConfig"),
            f"{SCHEDULE}: Target.DeadLetterConfig",
        ),
        (
            lambda r: r[SCHEDULE]["Properties"]["Target"].update(RoleArn="arn:aws:iam::1:role/x"),
            f"{SCHEDULE}: Target.RoleArn",
        ),
        (
            lambda r: r[SCHEDULE_ROLE]["Properties"]["Policies"][0]["PolicyDocument"][
                "Statement"
            ].append({"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"}),
            f"{SCHEDULE_ROLE}: Allow statements: only lambda:InvokeFunction",
        ),
        (
            lambda r: r[SCHEDULE_ROLE]["Properties"].update(
                ManagedPolicyArns=["arn:aws:iam::aws:policy/AWSLambda_FullAccess"]
            ),
            f"{SCHEDULE_ROLE}: no managed policies",
        ),
        (
            lambda r: r[INVOKE_CONFIG]["Properties"].pop("DestinationConfig"),
            f"{INVOKE_CONFIG}: DestinationConfig.OnFailure",
        ),
        (
            lambda r: r[INVOKE_CONFIG]["Properties"].update(MaximumEventAgeInSeconds=86_400),
            f"{INVOKE_CONFIG}: MaximumRetryAttempts and MaximumEventAgeInSeconds",
        ),
        (
            lambda r: r.pop("SlaCheckFunctionThrottlesAlarm"),
            "SlaCheckFunction: a Throttles alarm to the ops topic",
        ),
        (
            lambda r: r["OverdueComplaintsAlarm"]["Properties"].update(OKActions=[]),
            "OverdueComplaintsAlarm: alarm and recovery notify the ops topic",
        ),
    ],
)
def test_a_broken_property_of_the_deadline_check_fails(change: Any, expected: str) -> None:
    assert failures(Transformed(transformed_template())) == []
    problems = _broken(change)
    assert any(problem.startswith(expected) for problem in problems), problems
