"""Exercises of notebook 04b: q1 a nightly job, q2 SNS fan-out with a filter policy.

Each check drives the learner's resources the way their trigger would: it moves the kit's clock
through a day, or publishes to the topic, then looks only at what ran after it began. Each of
these triggers needs the function's resource-based policy (`add_permission`) to let the service
invoke it, on AWS as in the kit; the checks also read it, to name a missing or over-broad
statement.
"""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from . import apps
from .core import Exercise, Incorrect
from .harness import (
    async_event,
    check_id,
    client,
    function_config,
    kit,
    require_every_year,
)
from .trigger_permissions import function_of, require_trigger_permission

# ---------------------------------------------------------------------- q1: a nightly job
CLEANUP = "cleanup"
AT = (3, 0)  # 03:00 UTC


def _scheduler_schedules() -> list[str]:
    """Names of EventBridge Scheduler schedules (not rules) whose target is the function."""
    scheduler = client("scheduler")
    found = []
    for page in scheduler.get_paginator("list_schedules").paginate():
        for summary in page["Schedules"]:  # a ScheduleSummary holds its target's ARN
            if function_of(summary["Target"]["Arn"])[0] == CLEANUP:
                found.append(summary["Name"])
    return found


def _untargeted_note() -> str:
    """Names the scheduled rules that have no target at all: a learner whose `put_targets`
    named another rule (one from section 1) made one, and the rule it did name misleads."""
    eventbridge = client("events")
    bare = [
        rule["Name"]
        for page in eventbridge.get_paginator("list_rules").paginate()
        for rule in page["Rules"]
        if rule.get("ScheduleExpression")
        and not eventbridge.list_targets_by_rule(Rule=rule["Name"])["Targets"]
    ]
    if not bare:
        return ""
    return (
        f" Note that the rule `{bare[0]}` has a schedule but no target: if that is the rule you "
        f"meant for `{CLEANUP}`, your `put_targets` named another rule: give it "
        f"`Rule='{bare[0]}'`, and remove `{CLEANUP}` from the other one "
        "(`eventbridge.remove_targets(Rule=..., Ids=[...])`)."
    )


def _scheduled_rules() -> list[tuple[dict[str, Any], str | None]]:
    """The enabled scheduled rules (on the default event bus) that target the function, each
    with the qualifier (an alias, a version) its target names, None for the function itself."""
    eventbridge = client("events")
    targeted: list[tuple[dict[str, Any], str | None]] = []
    for page in eventbridge.get_paginator("list_rules").paginate():
        for rule in page["Rules"]:
            for target in eventbridge.list_targets_by_rule(Rule=rule["Name"])["Targets"]:
                name, qualifier = function_of(target["Arn"])
                if name == CLEANUP:
                    targeted.append((eventbridge.describe_rule(Name=rule["Name"]), qualifier))
    rules = [rule for rule, _qualifier in targeted]
    if not rules:
        schedules = _scheduler_schedules()
        if schedules:
            raise Incorrect(
                f"`{schedules[0]}` is an EventBridge Scheduler schedule, not an EventBridge "
                f"rule: this task asks for a rule that targets `{CLEANUP}`. Create it with "
                "`eventbridge.put_rule(Name=..., ScheduleExpression=...)` and "
                "`eventbridge.put_targets(...)` (the `events` client)."
            )
        raise Incorrect(
            f"no EventBridge rule has `{CLEANUP}` as its target yet. Create a rule with "
            "`eventbridge.put_rule(Name=..., ScheduleExpression=...)`, then add the function "
            "with `eventbridge.put_targets(Rule=..., Targets=[{'Id': ..., 'Arn': <its ARN>}])`."
        )
    scheduled = [r for r in rules if r.get("ScheduleExpression")]
    if not scheduled:
        raise Incorrect(
            f"the rule `{rules[0]['Name']}` targets `{CLEANUP}` but has no schedule: give it "
            "a `ScheduleExpression` such as `cron(...)`."
        )
    enabled = [(r, q) for r, q in targeted if r.get("ScheduleExpression")]
    enabled = [(r, q) for r, q in enabled if r.get("State") == "ENABLED"]
    if not enabled:
        raise Incorrect(
            f"the rule `{scheduled[0]['Name']}`, which targets `{CLEANUP}`, is disabled: "
            f"`eventbridge.enable_rule(Name=...)`.{_untargeted_note()}"
        )
    return enabled


# A rule's runs, and an EventBridge Scheduler schedule's: both would run cleanup on AWS.
_SCHEDULED_SOURCES = ("aws.events", "aws.scheduler")


def _new_runs(aws: Any, seen: set[str]) -> int:
    """Scheduled runs of cleanup the kit received since `seen` was taken; adds them to it."""
    fresh = [
        e["request_id"]
        for e in aws.async_events()
        if e["function"] == CLEANUP
        and e["source"] in _SCHEDULED_SOURCES
        and e["request_id"] not in seen
    ]
    seen.update(fresh)
    return len(fresh)


def _last_run_time() -> str | None:
    """HH:MM of the newest scheduled event cleanup received (its `time`, when it was due)."""
    event = async_event(CLEANUP, "Scheduled Event")
    try:
        return str(json.loads(event.payload)["time"])[11:16]
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


def _check_cron() -> str:
    aws = kit()
    function_config(CLEANUP)
    targeted = _scheduled_rules()
    rules = [rule for rule, _qualifier in targeted]
    for rule, qualifier in targeted:
        require_trigger_permission(
            CLEANUP,
            "events.amazonaws.com",
            rule["Arn"],
            f"the rule `{rule['Name']}`",
            qualifier=qualifier,  # a rule that targets an alias needs the alias's permission
        )
    for rule in rules:
        # A year field such as this year's passes the week the check watches, then stops.
        require_every_year(rule, f"`{CLEANUP}` should run every day", "cron(0 3 * * ? *)")
    expressions = ", ".join(f"`{r['Name']}`: `{r['ScheduleExpression']}`" for r in rules)
    if schedules := _scheduler_schedules():
        shown = ", ".join(f"`{name}`" for name in schedules)
        expressions += f", and the EventBridge Scheduler schedule(s) {shown}, which run it too"
    expressions += f".{_untargeted_note()}".rstrip(".")  # a rule left without a target

    # The kit's clock goes to 30 s before the next 03:00 UTC, then through one day in steps:
    # the minute around 03:00, then an hour at a time, counting the runs in each step.
    seen = {e["request_id"] for e in aws.async_events()}
    now = aws.now()
    start = now.replace(hour=AT[0], minute=AT[1], second=0, microsecond=0) - timedelta(seconds=30)
    if start <= now + timedelta(seconds=1):
        start += timedelta(days=1)
    aws.advance_clock(seconds=(start - now).total_seconds())
    aws.wait(30)
    _new_runs(aws, seen)  # runs before the day the check watches do not count
    edges = [start + timedelta(seconds=60)]
    edges += [start + timedelta(seconds=60, hours=h) for h in range(1, 24)]
    edges.append(start + timedelta(days=1))
    runs: list[tuple[str, int]] = []
    at_three = 0  # runs in the minute around 03:00
    previous = start
    for edge in edges:
        aws.advance_clock(seconds=(edge - aws.now()).total_seconds())
        aws.wait(30)
        count = _new_runs(aws, seen)
        if previous == start:
            at_three = count
        if count == 1:
            runs.append((_last_run_time() or f"{previous:%H:%M}-{edge:%H:%M}", 1))
        elif count:
            first = previous + timedelta(seconds=30)
            last = edge - timedelta(seconds=30)
            span = f"{first:%H:%M}" if first == last else f"{first:%H:%M} and {last:%H:%M}"
            runs.append((f"{'at' if first == last else 'between'} {span}", count))
        previous = edge
    total = sum(count for _when, count in runs)
    if total == 1 and at_three == 1:
        # Every day: the six days after, whatever their day of the week or of the month (a
        # weekday-only or a monthly schedule passes a single day when it happens to be one).
        for day in range(1, 7):
            at = start + timedelta(days=day)
            aws.advance_clock(seconds=(at + timedelta(seconds=60) - aws.now()).total_seconds())
            aws.wait(30)
            if _new_runs(aws, seen) != 1:
                raise Incorrect(
                    f"`{CLEANUP}` ran at 03:00 UTC on {start + timedelta(seconds=30):%A %d %B}, "
                    f"but not on {at + timedelta(seconds=30):%A %d %B} (the check moved the "
                    f"kit's clock through the week after). Your schedule(s): {expressions}. "
                    "Every day means any day of the month and of the week: `*` in one of those "
                    "two fields and `?` in the other."
                )
            aws.advance_clock(seconds=(at + timedelta(days=1) - aws.now()).total_seconds())
            aws.wait(30)
            if extra := _new_runs(aws, seen):
                raise Incorrect(
                    f"on {at + timedelta(seconds=30):%A %d %B} `{CLEANUP}` ran {extra + 1} "
                    f"times; expected once, at 03:00 UTC. Your schedule(s): {expressions}."
                )
        return (
            f"Over a week of the kit's clock, `{CLEANUP}` ran once a day, at 03:00 UTC, and "
            "EventBridge may invoke it for its rule only."
        )
    if total == 0:
        raise Incorrect(
            f"in the 24 hours after 02:59:30 UTC (the check moved the kit's clock through "
            f"them) `{CLEANUP}` never ran. Your schedule(s): {expressions}."
        )
    shown = "; ".join(
        f"once at {when}" if count == 1 else f"{count} times {when}" for when, count in runs[:6]
    )
    raise Incorrect(
        f"in the 24 hours after 02:59:30 UTC (the check moved the kit's clock through them) "
        f"`{CLEANUP}` ran {total} time(s) ({shown}{' …' if len(runs) > 6 else ''}, UTC); "
        f"expected exactly once, at 03:00 UTC. Your schedule(s): {expressions}. A cron "
        "expression has six fields: "
        "minutes, hours, day-of-month, month, day-of-week, year; `rate(1 day)` counts from "
        "when the rule was created."
    )


_CLEANUP_SOLUTION = f'''
import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
eventbridge = boto3.client("events")

source = """
{apps.source("nb04_cleanup")}"""
# Start afresh: remove every rule that runs cleanup (deleting a function leaves its rules).
try:
    old_arn = lam.get_function_configuration(FunctionName="cleanup")["FunctionArn"]
    # Every rule that runs cleanup, or one of its aliases or versions (ARN + ":qualifier").
    for page in eventbridge.get_paginator("list_rules").paginate():
        for rule in page["Rules"]:
            targets = eventbridge.list_targets_by_rule(Rule=rule["Name"])["Targets"]
            ids = [t["Id"] for t in targets if (t["Arn"] + ":").startswith(old_arn + ":")]
            if ids:
                eventbridge.remove_targets(Rule=rule["Name"], Ids=ids)
                if len(ids) == len(targets):
                    eventbridge.delete_rule(Name=rule["Name"])
    # And every EventBridge Scheduler schedule that runs it: cleanup would run twice a night.
    scheduler = boto3.client("scheduler")
    for page in scheduler.get_paginator("list_schedules").paginate():
        for schedule in page["Schedules"]:
            if (schedule["Target"]["Arn"] + ":").startswith(old_arn + ":"):
                scheduler.delete_schedule(Name=schedule["Name"], GroupName=schedule["GroupName"])
    lam.delete_function(FunctionName="cleanup")
except lam.exceptions.ResourceNotFoundException:
    pass
fn_arn = lam.create_function(
    FunctionName="cleanup",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={{"ZipFile": zip_bytes({{"app.py": source}})}},
)["FunctionArn"]
lam.get_waiter("function_active_v2").wait(FunctionName="cleanup")

# Every day at 03:00 UTC: minutes first, then hours.
rule_arn = eventbridge.put_rule(
    Name="nightly-cleanup", ScheduleExpression="cron(0 3 * * ? *)"
)["RuleArn"]
eventbridge.put_targets(Rule="nightly-cleanup", Targets=[{{"Id": "cleanup", "Arn": fn_arn}}])
# EventBridge may invoke the function, for this rule only.
lam.add_permission(
    FunctionName="cleanup",
    StatementId="nightly-cleanup",
    Action="lambda:InvokeFunction",
    Principal="events.amazonaws.com",
    SourceArn=rule_arn,
)
'''


# ------------------------------------------------------------- q2: SNS with a filter policy
PAGER = "pager"
TOPIC = "incidents"
# Severities that must not reach pager: close to `critical` in meaning, or in spelling.
# "critical-resolved" starts like `critical`: a prefix match pages for it too.
NOT_CRITICAL = ("info", "high", "warning", "Critical", "critical-resolved")


def _topic() -> str:
    sns = client("sns")
    topics = [
        t["TopicArn"]
        for page in sns.get_paginator("list_topics").paginate()
        for t in page["Topics"]
    ]
    topic = next((t for t in topics if t.rsplit(":", 1)[-1] == TOPIC), None)
    if topic is None:
        raise Incorrect(
            f"there is no SNS topic named `{TOPIC}` yet: `sns.create_topic(Name='{TOPIC}')`."
        )
    return topic


def _subscriptions(topic: str) -> list[dict[str, Any]]:
    """The topic's subscriptions of pager, its aliases and versions."""
    sns = client("sns")
    return [
        s
        for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic)
        for s in page["Subscriptions"]
        if s["Protocol"] == "lambda" and function_of(s["Endpoint"])[0] == PAGER
    ]


def _subscription(topic: str, function_arn: str) -> dict[str, Any]:
    subscriptions = _subscriptions(topic)
    if not subscriptions:
        raise Incorrect(
            f"`{PAGER}` is not subscribed to `{TOPIC}` yet: `sns.subscribe(TopicArn=..., "
            f"Protocol='lambda', Endpoint=<{PAGER}'s ARN>)`."
        )
    # The function's own ARN first, then an alias's or a version's; a `:$LATEST` endpoint,
    # which no permission can cover, only when there is nothing else (a stale one beside the
    # right subscription is refused by Lambda and delivers nothing, on AWS as in the kit).
    ranks = {None: 0, "$LATEST": 2}
    return min(subscriptions, key=lambda s: ranks.get(function_of(s["Endpoint"])[1], 1))


def _check_sns_filter() -> str:
    aws = kit()
    config = function_config(PAGER)
    topic = _topic()
    subscription = _subscription(topic, config["FunctionArn"])
    _name, qualifier = function_of(subscription["Endpoint"])
    if qualifier == "$LATEST":
        # SNS invokes the endpoint's ARN as it is. A permission added without a Qualifier
        # covers only the unqualified ARN, and "Lambda does not support adding policies to
        # version $LATEST" (https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html):
        # no statement can let SNS invoke `pager:$LATEST`.
        raise Incorrect(
            f"`{PAGER}`'s subscription to `{TOPIC}` has the endpoint `{subscription['Endpoint']}`"
            f" (`{PAGER}:$LATEST`): SNS invokes that ARN, and no permission can cover it (a "
            "permission added without a `Qualifier` covers only the function's unqualified "
            "ARN, and Lambda does not support adding policies to version $LATEST), so Lambda "
            f"refuses every message. Subscribe `{PAGER}`'s unqualified ARN (its `FunctionArn`, "
            "without `:$LATEST`), with the filter, and `sns.unsubscribe` this one."
        )
    require_trigger_permission(
        PAGER,
        "sns.amazonaws.com",
        topic,
        f"the topic `{TOPIC}`",
        qualifier=qualifier,
    )
    # One message per severity, each with a marker of its own in its body (plain text, without
    # the severity: the task filters on the message attribute, not on the body).
    sns = client("sns")
    sent: dict[str, str] = {}
    for severity in ("critical", *NOT_CRITICAL):
        marker = check_id("incident")
        sent[severity] = marker
        sns.publish(
            TopicArn=topic,
            Message=f"check {marker}: disk almost full",
            MessageAttributes={"severity": {"DataType": "String", "StringValue": severity}},
        )
    aws.wait(30)
    if async_event(PAGER, sent["critical"]) is None:
        attributes = sns.get_subscription_attributes(
            SubscriptionArn=subscription["SubscriptionArn"]
        )["Attributes"]
        now = f" Its FilterPolicy is `{attributes.get('FilterPolicy', '(none)')}`"
        if attributes.get("FilterPolicyScope") == "MessageBody":
            now += ", with FilterPolicyScope `MessageBody`: it filters on the body"
        raise Incorrect(
            f"a message with the attribute severity=critical did not reach `{PAGER}`.{now}. "
            "The task filters on the message attribute `severity` (not the body), with the "
            "values in a list."
        )
    leaked = [severity for severity in NOT_CRITICAL if async_event(PAGER, sent[severity])]
    if leaked:
        _require_no_other_subscription(topic, subscription, [sent[s] for s in leaked])
        raise Incorrect(
            f"messages with severity={', severity='.join(leaked)} reached `{PAGER}` too: it "
            "must receive only `critical`. Give its subscription the attribute `FilterPolicy` "
            "= `json.dumps({'severity': ['critical']})` (`subscribe(..., Attributes=...)` or "
            "`set_subscription_attributes`)."
        )
    return (
        f"Only the message with severity=critical reached `{PAGER}` (not "
        f"{', '.join(NOT_CRITICAL)}), and SNS may invoke it for `{TOPIC}` only."
    )


def _require_no_other_subscription(topic: str, judged: dict[str, Any], markers: list[str]) -> None:
    """Incorrect naming another subscription of pager's (an alias's, a version's, left from an
    earlier try) when the messages that leaked came through it: each subscription delivers on
    its own, with its own filter, so the judged one's filter is not what let them through."""
    through: set[str] = set()  # the subscriptions that delivered them (each record names its)
    for event in kit().async_event_records():
        if event.function != PAGER or not any(m.encode() in event.payload for m in markers):
            continue
        try:
            records = json.loads(event.payload)["Records"]
            through.update(str(r["EventSubscriptionArn"]) for r in records)
        except (KeyError, TypeError, ValueError):
            continue
    if judged["SubscriptionArn"] in through:
        return  # the judged subscription's own filter let them through: the caller says so
    sns = client("sns")
    for other in _subscriptions(topic):
        if other["SubscriptionArn"] == judged["SubscriptionArn"]:
            continue
        if other["SubscriptionArn"] not in through:
            continue  # nothing leaked through it (Lambda refused it, or its filter held)
        attributes = sns.get_subscription_attributes(SubscriptionArn=other["SubscriptionArn"])[
            "Attributes"
        ]
        policy = attributes.get("FilterPolicy")
        has = f"its FilterPolicy is `{policy}`" if policy else "it has no FilterPolicy"
        raise Incorrect(
            f"messages with severities other than critical reached `{PAGER}` through another "
            f"subscription to `{TOPIC}`: the one with the endpoint `{other['Endpoint']}` "
            f"({has}), perhaps left from an earlier try. Every subscription delivers on its "
            f"own, with its own filter: the one on `{judged['Endpoint']}` is not enough while "
            f"this one stays. Remove it with `sns.unsubscribe(SubscriptionArn="
            f"{other['SubscriptionArn']!r})`."
        )


_PAGER_SOLUTION = f'''
import json, boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
sns = boto3.client("sns")

source = """
{apps.source("nb04_pager")}"""
topic_arn = sns.create_topic(Name="incidents")["TopicArn"]  # the same topic if it exists
# Start afresh: no older subscription of pager, a new function (its policy starts empty).
for sub in sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]:
    if sub["Protocol"] == "lambda" and (sub["Endpoint"].split(":") + [""] * 7)[6] == "pager":
        sns.unsubscribe(SubscriptionArn=sub["SubscriptionArn"])
try:
    lam.delete_function(FunctionName="pager")
except lam.exceptions.ResourceNotFoundException:
    pass
fn_arn = lam.create_function(
    FunctionName="pager",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={{"ZipFile": zip_bytes({{"app.py": source}})}},
)["FunctionArn"]
lam.get_waiter("function_active_v2").wait(FunctionName="pager")
# SNS may invoke the function, for this topic only.
lam.add_permission(
    FunctionName="pager",
    StatementId="incidents-topic",
    Action="lambda:InvokeFunction",
    Principal="sns.amazonaws.com",
    SourceArn=topic_arn,
)
sns.subscribe(
    TopicArn=topic_arn,
    Protocol="lambda",
    Endpoint=fn_arn,
    Attributes={{"FilterPolicy": json.dumps({{"severity": ["critical"]}})}},
)
'''

notebook_04b = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Make an EventBridge rule run the function `cleanup` every day at 03:00 UTC, and "
            "let EventBridge invoke it for that rule only (`add_permission`), as AWS requires."
        ),
        checker=_check_cron,
        hint_text=(
            "A rule with a `cron(...)` schedule (six fields: which one is the minute, which "
            "the hour?), the function as its target, and `add_permission` for "
            "`events.amazonaws.com` with the rule's ARN, which `put_rule` returns."
        ),
        solution_code=_CLEANUP_SOLUTION,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "Subscribe the function `pager` to the SNS topic `incidents` so that it receives "
            "only the messages whose attribute `severity` is `critical`, and let SNS invoke it "
            "for that topic only (`add_permission`), as AWS requires."
        ),
        checker=_check_sns_filter,
        hint_text=(
            "A filter policy lives on the subscription, not on the topic: it is an attribute "
            "(`FilterPolicy`, a JSON string) that maps an attribute name to the list of values "
            "to let through. And SNS needs `add_permission`, with the topic's ARN."
        ),
        solution_code=_PAGER_SOLUTION,
    ),
)
