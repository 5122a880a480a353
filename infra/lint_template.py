"""House checks on template.yaml that cfn-lint and its serverless rules miss.

    python -m infra.lint_template [template.yaml]

Exit 1 with one line per problem; exit 0 with a one-line summary when clean.
The checks read the template as written (SAM resources, before the transform):

- every schedule (AWS::Scheduler::Schedule, SAM ScheduleV2 events) names a valid
  IANA time zone and a valid EventBridge cron(...), rate(...) or at(...) expression;
  EventBridge rules (AWS::Events::Rule, SAM Schedule events) are refused, because
  they run in UTC only and the desks keep Jakarta time;
- every function has an explicit log group named after it, with a retention;
- no Allow statement of an inline IAM policy uses a wildcard action (or NotAction);
- every HttpApi route under /v1/officer/ names an authorizer;
- a template with a ``TrainingMode`` parameter has the rule that refuses it on prod
  (``Stage`` prod asserts ``TrainingMode`` "off"), so CloudFormation itself stops a
  production deploy that would show the training banner or drop emails.
"""

from __future__ import annotations

import re
import sys
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from infra.template import TEMPLATE_PATH, load_template

FUNCTION_TYPES = ("AWS::Serverless::Function", "AWS::Lambda::Function")
OFFICER_PREFIX = "/v1/officer/"
# Names the tz database ships that are not places: EventBridge wants a real zone.
_NOT_ZONES = frozenset({"Factory", "localtime", "posixrules"})


@dataclass
class Summary:
    """What was looked at, for the one-line report of a clean template."""

    functions: int = 0
    schedules: int = 0
    statements: int = 0
    officer_routes: int = 0


# ------------------------------------------------------------------ time zones


def timezone_problem(value: Any, template: dict[str, Any]) -> str | None:
    """Why a ScheduleExpressionTimezone value is not a valid IANA zone, or None."""
    if value is None:
        return "has no ScheduleExpressionTimezone (EventBridge would use UTC)"
    candidates: list[Any]
    if isinstance(value, dict) and set(value) == {"Ref"}:
        # A parameter: every value it may take must be a zone.
        param = template.get("Parameters", {}).get(value["Ref"])
        if param is None:
            return f"time zone !Ref {value['Ref']} is not a parameter of the template"
        candidates = list(param.get("AllowedValues") or [param.get("Default")])
    else:
        candidates = [value]
    for zone in candidates:
        if not isinstance(zone, str):
            return f"time zone {zone!r} is not a literal IANA name (or a parameter's value)"
        if not valid_timezone(zone):
            return f"time zone {zone!r} is not an IANA time zone"
    return None


def valid_timezone(name: str) -> bool:
    if name in _NOT_ZONES:
        return False
    if name in zoneinfo.available_timezones():
        return True
    # available_timezones() lists files of the tz database; ZoneInfo also finds a
    # name the list missed (a system database laid out differently).
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


# ----------------------------------------------------------------- expressions

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")  # EventBridge: SUN is 1


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()


_FIELDS = (
    _Field("minutes", 0, 59),
    _Field("hours", 0, 23),
    _Field("day-of-month", 1, 31),
    _Field("month", 1, 12, _MONTHS),
    _Field("day-of-week", 1, 7, _DAYS),
    _Field("year", 1970, 2199),
)


def _number(token: str, field: _Field) -> int:
    upper = token.upper()
    if upper in field.names:
        return field.names.index(upper) + 1
    if not token.isdigit():
        raise ValueError(f"{field.name}: {token!r} is not a number or a name")
    value = int(token)
    if not field.low <= value <= field.high:
        raise ValueError(f"{field.name}: {value} is outside {field.low}-{field.high}")
    return value


def _check_item(item: str, field: _Field) -> None:
    """One element of a comma list: value, range, step, or the L/W/# forms."""
    dom, dow = field.name == "day-of-month", field.name == "day-of-week"
    upper = item.upper()
    if dom and upper in ("L", "LW"):
        return
    if dom and upper.endswith("W"):
        _number(item[:-1], field)  # nearest weekday to one day, never a range
        return
    if dow and upper == "L":
        return
    if dow and upper.endswith("L"):
        _number(item[:-1], field)  # the last <weekday> of the month
        return
    if dow and "#" in item:
        day, _, nth = item.partition("#")
        _number(day, field)
        if not (nth.isdigit() and 1 <= int(nth) <= 5):
            raise ValueError(f"day-of-week: {item!r} needs #1 to #5")
        return
    base, slash, step = item.partition("/")
    if slash:
        # EventBridge takes increments in every field but day-of-week.
        if dow:
            raise ValueError(f"day-of-week: {item!r}: '/' is not allowed in day-of-week")
        if not (step.isdigit() and int(step) >= 1):
            raise ValueError(f"{field.name}: {item!r} has no positive increment")
    if base == "*":
        if not slash:
            raise ValueError(f"{field.name}: '*' cannot be part of a list")
        return
    start, dash, end = base.partition("-")
    _number(start, field)
    if dash:
        _number(end, field)


def cron_problem(body: str) -> str | None:
    """Why the inside of cron(...) is not a valid EventBridge cron, or None."""
    parts = body.split()
    if len(parts) != 6:
        return (
            f"has {len(parts)} fields; EventBridge wants 6 "
            "(minutes hours day-of-month month day-of-week year)"
        )
    dom, dow = parts[2], parts[4]
    if (dom == "?") == (dow == "?"):
        return "needs '?' in exactly one of day-of-month and day-of-week"
    try:
        for text, field in zip(parts, _FIELDS, strict=True):
            if text == "?":
                if field.name not in ("day-of-month", "day-of-week"):
                    raise ValueError(f"{field.name}: '?' only goes in day-of-month or day-of-week")
                continue
            if text == "*":
                continue
            for item in text.split(","):
                _check_item(item, field)
    except ValueError as error:
        return str(error)
    return None


_RATE = re.compile(r"(\d+) (minute|minutes|hour|hours|day|days)")


def rate_problem(body: str) -> str | None:
    match = _RATE.fullmatch(body)
    if not match:
        return "needs rate(<positive integer> minute(s)|hour(s)|day(s))"
    value, unit = int(match.group(1)), match.group(2)
    if value < 1:
        return "needs a positive value"
    if (value == 1) == unit.endswith("s"):
        return "needs a singular unit for 1 and a plural one otherwise (EventBridge refuses both)"
    return None


def at_problem(body: str) -> str | None:
    try:
        datetime.strptime(body, "%Y-%m-%dT%H:%M:%S")  # naive: the schedule has its own zone
    except ValueError:
        return "needs at(yyyy-mm-ddThh:mm:ss)"
    return None


_EXPRESSION = re.compile(r"(cron|rate|at)\((.*)\)", re.DOTALL)


def expression_problem(expression: Any) -> str | None:
    """Why a ScheduleExpression is not a valid EventBridge Scheduler expression, or None."""
    if not isinstance(expression, str):
        return f"schedule expression {expression!r} is not a literal string"
    match = _EXPRESSION.fullmatch(expression.strip())
    if not match:
        return f"{expression!r} is not cron(...), rate(...) or at(...)"
    kind, body = match.groups()
    checker = {"cron": cron_problem, "rate": rate_problem, "at": at_problem}[kind]
    problem = checker(body.strip())
    return f"{expression!r} {problem}" if problem else None


# ------------------------------------------------------------------- the checks


def _resources(template: dict[str, Any], *types: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for logical_id, resource in (template.get("Resources") or {}).items():
        if isinstance(resource, dict) and resource.get("Type") in types:
            yield logical_id, resource.get("Properties") or {}


def _events(template: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(resource, event name, event type, event properties) of SAM functions and state machines."""
    for logical_id, props in _resources(
        template, "AWS::Serverless::Function", "AWS::Serverless::StateMachine"
    ):
        for name, event in (props.get("Events") or {}).items():
            yield logical_id, name, event.get("Type", ""), event.get("Properties") or {}


def check_schedules(template: dict[str, Any], summary: Summary) -> list[str]:
    problems: list[str] = []
    schedules = list(_resources(template, "AWS::Scheduler::Schedule"))
    for logical_id, name, kind, props in _events(template):
        where = f"{logical_id} event {name}"
        if kind == "ScheduleV2":
            schedules.append((where, props))
        elif kind in ("Schedule", "EventBridgeRule") and "ScheduleExpression" in props:
            problems.append(f"{where}: {kind} runs in UTC only; use ScheduleV2 with a time zone")
    for logical_id, props in _resources(template, "AWS::Events::Rule"):
        if "ScheduleExpression" in props:
            problems.append(
                f"{logical_id}: an EventBridge rule schedule runs in UTC only; "
                "use AWS::Scheduler::Schedule with a time zone"
            )
    for where, props in schedules:
        summary.schedules += 1
        zone = timezone_problem(props.get("ScheduleExpressionTimezone"), template)
        if zone:
            problems.append(f"{where}: {zone}")
        for candidate in _parameter_values(props.get("ScheduleExpression"), template):
            expression = expression_problem(candidate)
            if expression:
                problems.append(f"{where}: {expression}")
    return problems


def _parameter_values(value: Any, template: dict[str, Any]) -> list[Any]:
    """A !Ref to a parameter as every value it may take (its AllowedValues, or Default)."""
    if isinstance(value, dict) and set(value) == {"Ref"}:
        param = (template.get("Parameters") or {}).get(value["Ref"])
        if isinstance(param, dict):
            return list(param.get("AllowedValues") or [param.get("Default")])
    return [value]


def _log_group_names(template: dict[str, Any]) -> list[tuple[Any, dict[str, Any]]]:
    return [
        (props.get("LogGroupName"), props)
        for _, props in _resources(template, "AWS::Logs::LogGroup")
    ]


def _names_for(logical_id: str, props: dict[str, Any]) -> list[Any]:
    """The LogGroupName values that name this function's log group."""
    names: list[Any] = [{"Fn::Sub": f"/aws/lambda/${{{logical_id}}}"}]
    function_name = props.get("FunctionName")
    if isinstance(function_name, str):
        names += [f"/aws/lambda/{function_name}", {"Fn::Sub": f"/aws/lambda/{function_name}"}]
    elif isinstance(function_name, dict) and isinstance(function_name.get("Fn::Sub"), str):
        names.append({"Fn::Sub": f"/aws/lambda/{function_name['Fn::Sub']}"})
    return names


def check_log_groups(template: dict[str, Any], summary: Summary) -> list[str]:
    problems: list[str] = []
    groups = _log_group_names(template)
    for logical_id, props in _resources(template, *FUNCTION_TYPES):
        summary.functions += 1
        wanted = _names_for(logical_id, props)
        found = [group for name, group in groups if name in wanted]
        if not found:
            problems.append(
                f"{logical_id}: no AWS::Logs::LogGroup named !Sub /aws/lambda/${{{logical_id}}}"
            )
        elif not all(group.get("RetentionInDays") for group in found):
            problems.append(f"{logical_id}: its log group has no RetentionInDays")
    return problems


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, statement) of every inline IAM policy the template writes."""
    for logical_id, props in _resources(
        template, "AWS::Serverless::Function", "AWS::Serverless::StateMachine"
    ):
        # Strings are managed policy names or ARNs and other mappings are SAM policy
        # templates: neither is written here, so only inline statements are checked.
        for policy in _as_list(props.get("Policies") or []):
            if isinstance(policy, dict) and "Statement" in policy:
                for statement in _as_list(policy["Statement"]):
                    yield f"{logical_id} Policies", statement
    documents: list[tuple[str, Any]] = []
    for logical_id, props in _resources(template, "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        documents.append((logical_id, props.get("PolicyDocument")))
    for logical_id, props in _resources(template, "AWS::IAM::Role"):
        for policy in props.get("Policies") or []:
            name = policy.get("PolicyName", "?") if isinstance(policy, dict) else "?"
            document = policy.get("PolicyDocument") if isinstance(policy, dict) else None
            documents.append((f"{logical_id} policy {name}", document))
    for where, document in documents:
        if isinstance(document, dict):
            for statement in _as_list(document.get("Statement") or []):
                yield where, statement


def check_iam(template: dict[str, Any], summary: Summary) -> list[str]:
    problems: list[str] = []
    for where, statement in _statements(template):
        summary.statements += 1
        # A Deny may be broad on purpose (deny s3:* without TLS); only grants must be narrow.
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        if "NotAction" in statement:
            problems.append(f"{where}: an Allow with NotAction grants every other action")
        for action in _as_list(statement.get("Action") or []):
            if isinstance(action, str) and ("*" in action or "?" in action):
                problems.append(f"{where}: wildcard action {action!r}; name the actions")
    return problems


def check_officer_routes(template: dict[str, Any], summary: Summary) -> list[str]:
    problems: list[str] = []
    for logical_id, name, kind, props in _events(template):
        path = props.get("Path")
        if kind != "HttpApi" or not isinstance(path, str) or not path.startswith(OFFICER_PREFIX):
            continue
        summary.officer_routes += 1
        authorizer = (props.get("Auth") or {}).get("Authorizer")
        if not authorizer or authorizer == "NONE":
            problems.append(
                f"{logical_id} event {name}: officer route {props.get('Method', '?')} {path} "
                "has no Auth.Authorizer"
            )
    return problems


TRAINING_PARAMETER = "TrainingMode"


def _refuses_training_on_prod(rule: Any) -> bool:
    if not isinstance(rule, dict):
        return False
    if rule.get("RuleCondition") != {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}:
        return False
    off = {"Fn::Equals": [{"Ref": TRAINING_PARAMETER}, "off"]}
    return any(isinstance(a, dict) and a.get("Assert") == off for a in rule.get("Assertions", []))


def check_training_mode(template: dict[str, Any], summary: Summary) -> list[str]:
    if TRAINING_PARAMETER not in template.get("Parameters", {}):
        return []
    rules = (template.get("Rules") or {}).values()
    if any(_refuses_training_on_prod(rule) for rule in rules):
        return []
    return [
        f"parameter {TRAINING_PARAMETER} has no rule refusing it on prod "
        f'(RuleCondition Stage = prod, Assert {TRAINING_PARAMETER} = "off")'
    ]


CHECKS = (
    check_schedules,
    check_log_groups,
    check_iam,
    check_officer_routes,
    check_training_mode,
)


def check_template(template: dict[str, Any]) -> tuple[list[str], Summary]:
    summary = Summary()
    problems = [problem for check in CHECKS for problem in check(template, summary)]
    return problems, summary


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1:
        print("usage: python -m infra.lint_template [template.yaml]", file=sys.stderr)
        return 2
    path = Path(args[0]) if args else TEMPLATE_PATH
    try:
        template = load_template(path.resolve())
    except (OSError, yaml.YAMLError) as error:
        print(f"{path}: cannot read the template: {error}")
        return 1
    problems, summary = check_template(template)
    for problem in problems:
        print(f"{path}: {problem}")
    if problems:
        return 1
    print(
        f"{path}: house checks clean ({summary.functions} functions with log groups, "
        f"{summary.schedules} schedules, {summary.statements} IAM statements, "
        f"{summary.officer_routes} officer routes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
