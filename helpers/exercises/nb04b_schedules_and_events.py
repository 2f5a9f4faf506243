"""Exercises of notebook 04b: q1 a nightly job, q2 SNS fan-out with a filter policy.

Each check drives the learner's resources the way their trigger would: it moves the kit's clock
through a day, or publishes to the topic, then looks only at what ran after it began. Each of
these triggers needs the function's resource-based policy (`add_permission`) to let the service
invoke it, on AWS as in the kit; the checks also read it, to name a missing or over-broad
statement.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from . import apps
from .core import Exercise, Incorrect
from .harness import (
    async_event,
    check_id,
    client,
    function_config,
    function_policy,
    grants_invoke,
    kit,
    require_every_year,
    require_not_paused,
    wait_until,
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


def _new_runs(aws: Any, seen: set[str]) -> list[Any]:
    """Scheduled events to cleanup the kit received since `seen` was taken (the kit's records,
    oldest first); adds them to it."""
    fresh = [
        e
        for e in aws.async_event_records()
        if e.function == CLEANUP and e.source in _SCHEDULED_SOURCES and e.request_id not in seen
    ]
    seen.update(e.request_id for e in fresh)
    return fresh


def require_ran(function: str, event: Any, what: str, consequence: str) -> None:
    """Incorrect when the asynchronous `event` a trigger sent `function` did not run to
    success: its first attempt failed (an error, a handler Lambda can't find) or was throttled.
    A check must count runs that did the work, not events received: Lambda retries a failed
    asynchronous invocation twice, then discards the event
    (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).

    `what` names the event ("the run at 03:00 UTC"), `consequence` what is lost ("`cleanup`
    never does its work"). Learner trial 9 (PD3, PD5, PD13): both 04b checks counted events.
    """
    from ..triggers.async_event import EventStatus

    wait_until(lambda: event.status is EventStatus.SUCCEEDED or event.errors or event.done, 20)
    if event.status is EventStatus.SUCCEEDED:
        return
    if not event.errors:
        raise Incorrect(
            f"{what} of `{function}` had not finished 20 seconds after it was due "
            f"({event.status.value}). Is `{function}` very slow?"
        )
    error = event.errors[-1]
    if error.startswith("throttled"):
        cause = (
            f"Lambda throttled it ({error}): `{function}` has no concurrency left to run it. "
            f"Is a reserved concurrency set on it (`lam.get_function_concurrency("
            f"FunctionName='{function}')`)?"
        )
    else:
        cause = f"`{function}` failed on it: {error}."
        if "string indices must be integers" in error:
            cause += (
                " An SNS record's `Message` is text (a string): `json.loads` it before "
                "reading its fields."
            )
        if "HandlerNotFound" in error:
            cause += (
                " Lambda could not find the handler: the function's `Handler` "
                "(`<file>.<function>`) must name a function your code defines."
            )
    raise Incorrect(
        f"{what} reached `{function}`, but it did not run to success: {cause} Lambda retries a "
        f"failed asynchronous invocation twice, then discards the event, so {consequence}."
    )


def _last_run_time() -> str | None:
    """HH:MM of the newest scheduled event cleanup received (its `time`, when it was due)."""
    event = async_event(CLEANUP, "Scheduled Event")
    try:
        return str(json.loads(event.payload)["time"])[11:16]
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


DAYS_LOOKED_AT = 366  # a year from tomorrow: every weekday, day of the month and month
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _skipped_pattern(days: list[Any], skipped: list[Any]) -> str:
    """What the skipped days have in common, as "it never runs in January" ..., or a count."""
    left_out = set(skipped)

    def whole(key: Callable[[Any], int]) -> list[int]:
        """The values of `key` all of whose days are skipped, if they are all that is."""
        values = sorted({key(d) for d in skipped})
        if all(d in left_out for d in days if key(d) in values) and len(values) < len(
            {key(d) for d in days}
        ):
            return values
        return []

    if months := whole(lambda d: d.month):
        if len(months) > 6:
            ran = [MONTH_NAMES[m - 1] for m in range(1, 13) if m not in months]
            return f"it runs in {' and '.join(ran)} only"
        return f"it never runs in {' or '.join(MONTH_NAMES[m - 1] for m in months)}"
    if weekdays := whole(lambda d: d.weekday()):
        ran = [DAY_NAMES[d] for d in range(7) if d not in weekdays]
        if len(ran) > 2:
            names = " or ".join(DAY_NAMES[d] for d in weekdays)
            return f"it runs {len(ran)} days a week, none on a {names}"
        return f"it runs on {' and '.join(ran)} only"
    if numbers := whole(lambda d: d.day):
        if len(numbers) > 15:
            ran = [_ordinal(n) for n in range(1, 32) if n not in numbers]
            return f"it runs on the {' and '.join(ran)} of a month only"
        shown = ", ".join(_ordinal(n) for n in numbers[:5]) + (", …" if len(numbers) > 5 else "")
        return f"it never runs on the {shown} of a month"
    # Learner trial 10 (VW1): `L` and `1W` got the count of days skipped; a run a month is
    # what they do.
    ran = [d for d in days if d not in left_out]
    months_run = [(d.year, d.month) for d in ran]
    if ran and len(set(months_run)) == len(months_run) and len(ran) >= 11:
        if all((d + timedelta(days=1)).day == 1 for d in ran):
            return "it runs once a month, on its last day"
        shown = ", ".join(d.isoformat() for d in ran[:3])
        return f"it runs once a month ({shown}, …)"
    shown = ", ".join(d.isoformat() for d in skipped[:3])
    return (
        f"it skips {len(skipped)} of the next {len(days)} days (the first: "
        f"{shown}{', …' if len(skipped) > 3 else ''})"
    )


def require_every_day(rules: list[dict[str, Any]], job: str, every_day: str) -> None:
    """Incorrect when the rules' cron expressions, together, leave out days: a day-of-week
    field such as `MON-FRI`, a day-of-month such as `1-30` (no run on the 31st), a month such
    as `2-12` (none in January). `job` says what should run ("`cleanup` should run every
    day"), `every_day` is the task's expression.

    The schedules are read with the kit's parser, day by day for a year from the kit's
    tomorrow, so the verdict doesn't depend on the day the check runs on (a check that watches
    a week sees no month and no 31st). 13a's nightly check reads a schedule the same way
    (nb13a's `_require_every_night`, which this generalises to several rules); shared here
    for it. A rule with a `rate` runs every day: then there is nothing to read.
    Learner trial 9 (PD1, PD2): `cron(0 3 * 2-12 ? *)` and `cron(0 3 1-30 * ? *)` passed.
    Fields: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
    """
    from ..triggers.schedules import InvalidSchedule, parse

    crons = []
    for rule in rules:
        try:
            schedule = parse(rule["ScheduleExpression"])
        except (InvalidSchedule, ValueError):  # EventBridge would have refused it
            return
        if schedule.kind != "cron":
            return
        crons.append((rule, schedule))
    if not crons:
        return
    now = kit().now()
    start = datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)
    days = [(start + timedelta(days=n)).date() for n in range(DAYS_LOOKED_AT)]
    skipped = []
    for n, day in enumerate(days):
        midnight = start + timedelta(days=n)
        runs = (s.next_after(midnight - timedelta(microseconds=1)) for _r, s in crons)
        if not any(run is not None and run < midnight + timedelta(days=1) for run in runs):
            skipped.append(day)
    if not skipped:
        return
    what = _skipped_pattern(days, skipped)
    if len(crons) == 1:
        rule, schedule = crons[0]
        _, _, day_of_month, month, day_of_week, _ = schedule.fields
        raise Incorrect(
            f"the rule `{rule['Name']}`'s schedule `{rule['ScheduleExpression']}` has the "
            f"day-of-month `{day_of_month}`, month `{month}` and day-of-week `{day_of_week}` "
            f"(the third to fifth fields): {what}, and {job}. Make them `*`, `*` and `?`: "
            f"`{every_day}`."
        )
    shown = ", ".join(f"`{r['Name']}`: `{r['ScheduleExpression']}`" for r, _s in crons)
    raise Incorrect(
        f"your rules' schedules ({shown}), taken together: {what.replace('it ', '', 1)}, and "
        f"{job}. Use one rule with the day-of-month, month and day-of-week fields `*`, `*` "
        f"and `?`: `{every_day}`."
    )


def _require_one_target_each(targeted: list[tuple[dict[str, Any], str | None]]) -> None:
    """Incorrect when one rule has several targets that invoke cleanup (its alias or version
    included): EventBridge invokes every target of a rule, so cleanup runs once per target.
    Learner trial 9 (PD4): the message blamed the expression, and listed the rule twice."""
    eventbridge = client("events")
    names = [rule["Name"] for rule, _qualifier in targeted]
    for name in dict.fromkeys(names):
        if names.count(name) < 2:
            continue
        ids = [
            t["Id"]
            for t in eventbridge.list_targets_by_rule(Rule=name)["Targets"]
            if function_of(t["Arn"])[0] == CLEANUP
        ]
        shown = ", ".join(f"`{i}`" for i in ids)
        raise Incorrect(
            f"the rule `{name}` has {len(ids)} targets that invoke `{CLEANUP}` ({shown}): "
            f"EventBridge invokes every target of a rule, so `{CLEANUP}` would run "
            f"{len(ids)} times a night. Keep one: `eventbridge.remove_targets(Rule='{name}', "
            f"Ids=[{', '.join(repr(i) for i in ids[1:])}])`."
        )


def _require_json_inputs(rules: list[dict[str, Any]]) -> None:
    """Incorrect when a target that invokes cleanup has an `Input` that isn't JSON text:
    EventBridge passes it as the event, and AWS refuses it ("Valid JSON text passed to the
    target", https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html; the
    kit's PutTargets refuses it too now). Read before the clock moves, so that the check
    names it rather than failing on it. Learner trial 12 (HD7): "The check itself failed
    (JSONDecodeError ...)" for `Input='nightly cleanup'`."""
    eventbridge = client("events")
    for rule in rules:
        for target in eventbridge.list_targets_by_rule(Rule=rule["Name"])["Targets"]:
            if function_of(target["Arn"])[0] != CLEANUP or "Input" not in target:
                continue
            try:
                json.loads(target["Input"])
            except ValueError:
                raise Incorrect(
                    f"the rule `{rule['Name']}`'s target `{target['Id']}` has the `Input` "
                    f"{target['Input']!r}, which is not JSON text: EventBridge passes a "
                    "target's `Input` to the function as its event, so it must be valid JSON "
                    f'(AWS refuses it: "Input for target {target["Id"]} is not a valid JSON '
                    'text."). Put the target again without `Input` (the task needs none), '
                    "or with `Input=json.dumps(...)`."
                ) from None


def _require_permission_where_the_rule_invokes(rule: dict[str, Any], qualifier: str | None) -> None:
    """Incorrect when the rule invokes `cleanup` itself but the statement that lets it in was
    added for an alias or a version (`Qualifier=...`): on AWS each has a policy of its own, so
    Lambda refuses the rule. Named before the general message, which said the function "has no
    statement for that service at all" (learner trial 9, PW1).
    ("If you attempt to invoke the function without an alias or a specific version, then you
    get a permission error": https://docs.aws.amazon.com/lambda/latest/dg/using-aliases.html)"""
    if qualifier is not None:
        return  # the shared check names a statement on the function itself instead
    statements = function_policy(CLEANUP)
    own = [
        s for s in statements if any(r.endswith(f":function:{CLEANUP}") for r in s.resources or ())
    ]
    if grants_invoke(own, "events.amazonaws.com", source_arn=rule["Arn"]):
        return
    for s in statements:
        for resource in s.resources or ():
            _name, on = function_of(resource)
            if on and grants_invoke([s], "events.amazonaws.com", source_arn=rule["Arn"]):
                raise Incorrect(
                    f"the permission for the rule `{rule['Name']}` is on `{CLEANUP}:{on}` (added "
                    f"with `Qualifier='{on}'`), but the rule's target is `{CLEANUP}` itself, "
                    "whose policy is its own: Lambda refuses the rule. Add the permission "
                    f"without a `Qualifier` (`lam.add_permission(FunctionName='{CLEANUP}', "
                    "StatementId=..., Action='lambda:InvokeFunction', "
                    f"Principal='events.amazonaws.com', SourceArn={rule['Arn']!r})`), or point "
                    f"the rule's target at `{CLEANUP}:{on}`'s ARN."
                )


def _name_a_stale_rule(
    refused: list[tuple[dict[str, Any], Incorrect]], let_in: list[dict[str, Any]]
) -> None:
    """Incorrect naming the rules when some rules that target cleanup may invoke it and
    others may not: most likely a rule left from an earlier try (deleting a function leaves
    the rules that target it, and the new function's policy lets in only the new rule).
    Learner trial 10 (VD11): the message asked to grant the stale rule, which would make
    cleanup run twice a day."""
    kept = {rule["Name"] for rule in let_in}
    stale = [rule for rule, _refusal in refused if rule["Name"] not in kept]
    if not kept or not stale:
        return
    eventbridge = client("events")
    rule = stale[0]
    ids = [
        t["Id"]
        for t in eventbridge.list_targets_by_rule(Rule=rule["Name"])["Targets"]
        if function_of(t["Arn"])[0] == CLEANUP
    ]
    shown = ", ".join(f"`{r['Name']}` (`{r.get('ScheduleExpression')}`)" for r in [*let_in, *stale])
    raise Incorrect(
        f"{len(kept) + len(stale)} rules have `{CLEANUP}` as their target: {shown}, and "
        f"`{CLEANUP}`'s policy lets only `{'`, `'.join(kept)}` invoke it. Is `{rule['Name']}` "
        "left from an earlier try? Deleting a function leaves the rules that target it, and a "
        "new function of the same name has the same ARN: the old rule still targets it, and "
        "Lambda refuses it every time it fires. Keep one rule for the task, at 03:00 UTC: "
        f"remove `{CLEANUP}` from the other (`eventbridge.remove_targets(Rule="
        f"'{rule['Name']}', Ids={ids!r})`, or `delete_rule` once it has no targets)."
    )


def _name_a_second_rule(rules: list[dict[str, Any]], expressions: str) -> None:
    """Incorrect naming the rules when each of them ran cleanup at 03:00: a rule left from an
    earlier try (a rename), each with its own target and permission. Learner trial 13 (ND2):
    two right rules were told about the six cron fields, which changes nothing."""
    eventbridge = client("events")
    other = rules[0]
    ids = [
        t["Id"]
        for t in eventbridge.list_targets_by_rule(Rule=other["Name"])["Targets"]
        if function_of(t["Arn"])[0] == CLEANUP
    ]
    sids = [
        statement.sid
        for statement in function_policy(CLEANUP)
        if other["Arn"] in json.dumps(statement.condition or {})
    ]
    permission = (
        f", and its permission (`lam.remove_permission(FunctionName='{CLEANUP}', "
        f"StatementId='{sids[0]}')`)"
        if sids
        else ""
    )
    names = ", ".join(f"`{rule['Name']}`" for rule in rules)
    raise Incorrect(
        f"{len(rules)} rules have `{CLEANUP}` as their target ({names}), and each ran it at "
        f"03:00 UTC: `{CLEANUP}` ran {len(rules)} times that night. Your schedule(s): "
        f"{expressions}. Is one of them left from an earlier try (a rule renamed)? Keep one "
        f"rule: remove `{CLEANUP}` from the other, e.g. `eventbridge.remove_targets(Rule="
        f"'{other['Name']}', Ids={ids!r})`, then `eventbridge.delete_rule(Name="
        f"'{other['Name']}')`{permission}."
    )


def _target_input_note(rules: list[dict[str, Any]]) -> str:
    """A sentence for a failing cleanup whose rule's target hands it something else than the
    Scheduled Event (`InputPath`, `Input`, `InputTransformer`), "" otherwise. Learner trial 13
    (NW2): `InputPath='$.detail'` gave the handler `{}`, and the ❌ named only its KeyError."""
    eventbridge = client("events")
    for rule in rules:
        for target in eventbridge.list_targets_by_rule(Rule=rule["Name"])["Targets"]:
            if function_of(target["Arn"])[0] != CLEANUP:
                continue
            for field in ("InputPath", "Input", "InputTransformer"):
                if target.get(field):
                    shown = json.dumps(target[field]) if field != "Input" else target[field]
                    return (
                        f" Note: the rule `{rule['Name']}`'s target has `{field}` = `{shown}`: "
                        f"`{CLEANUP}` gets that, not the Scheduled Event itself (with its "
                        "`time`); leave it out to pass the whole event."
                    )
    return ""


def _role_on_target_note(rule: dict[str, Any]) -> str:
    """A sentence for a refused rule whose target for cleanup has a `RoleArn` (as EventBridge
    Scheduler's targets do): the learner gave a role where the task asks for the function's
    resource-based policy. Learner trial 11 (BW5): the message named the missing statement
    only, not the role they had given instead. (EventBridge's guide has said both that a
    Lambda target takes no `RoleArn` and that it may use one, https://docs.aws.amazon.com/
    eventbridge/latest/userguide/eb-use-resource-based.html: the note claims neither.)"""
    eventbridge = client("events")
    roles = [
        t["RoleArn"]
        for t in eventbridge.list_targets_by_rule(Rule=rule["Name"])["Targets"]
        if t.get("RoleArn") and function_of(t["Arn"])[0] == CLEANUP
    ]
    if not roles:
        return ""
    return (
        f" The rule's target gives EventBridge the role `{roles[0]}` (`RoleArn`): the task asks "
        f"for `{CLEANUP}`'s resource-based policy instead (`add_permission`), which lets "
        "EventBridge invoke it for that rule only; put the target again without the `RoleArn`, "
        "which the task doesn't need."
    )


_THAT_NIGHT = f"`{CLEANUP}` doesn't do its work that night"


def _hard_dates(after: datetime) -> list[datetime]:
    """03:00 UTC on dates after `after` where date arithmetic goes wrong: the 1st of the next
    month and one of its days 2-7, that month's last day, 31 December, 1 January, 29 February
    and 1 March (of the next leap year). Whatever the day the check runs on."""
    at = after.replace(hour=AT[0], minute=AT[1], second=0, microsecond=0)
    first = (at.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    year = at.year + 1
    leap = next(y for y in range(year, year + 8) if y % 4 == 0 and (y % 100 or y % 400 == 0))
    dates = [
        first,
        first.replace(day=random.randint(2, 7)),
        last,
        at.replace(year=year - 1, month=12, day=31),
        at.replace(year=year, month=1, day=1),
        at.replace(year=leap, month=2, day=29),
        at.replace(year=leap, month=3, day=1),
    ]
    return sorted({d for d in dates if d > after})


def _fire_as_scheduled(rules: list[dict[str, Any]], moment: datetime) -> None:
    """Sends the Scheduled Event of `moment` to the targets of the rule that runs then, as
    EventBridge does when the rule fires (the kit's timers' own path: the target's Input or
    InputTransformer applied), without moving the kit's clock."""
    from moto.events.models import events_backends

    from ..triggers import timers
    from ..triggers.schedules import InvalidSchedule, parse

    aws = kit()
    bus = events_backends[aws.account_id][aws.region].event_buses["default"]
    due = []
    for rule in rules:
        try:
            schedule = parse(rule["ScheduleExpression"])
        except (InvalidSchedule, ValueError, KeyError):
            continue
        if (
            schedule.kind != "cron"
            or schedule.next_after(moment - timedelta(microseconds=1)) == moment
        ):
            due.append(rule)
    for rule in due[:1]:  # one run a night: the week showed no more
        timers._rule_firer(bus.rules[rule["Name"]], aws.account_id, aws.region)(moment)


def _check_cron() -> str:
    aws = kit()
    function_config(CLEANUP)
    targeted = _scheduled_rules()
    rules = [rule for rule, _qualifier in targeted]
    refused: list[tuple[dict[str, Any], Incorrect]] = []
    let_in: list[dict[str, Any]] = []
    for rule, qualifier in targeted:
        try:
            _require_permission_where_the_rule_invokes(rule, qualifier)
            require_trigger_permission(
                CLEANUP,
                "events.amazonaws.com",
                rule["Arn"],
                f"the rule `{rule['Name']}`",
                qualifier=qualifier,  # a rule that targets an alias needs the alias's permission
            )
        except Incorrect as refusal:
            refused.append((rule, refusal))
        else:
            let_in.append(rule)
    if refused:
        _name_a_stale_rule(refused, let_in)
        raise Incorrect(f"{refused[0][1]}{_role_on_target_note(refused[0][0])}")
    _require_one_target_each(targeted)
    _require_json_inputs(rules)
    rules = list({rule["Name"]: rule for rule in rules}.values())  # a rule once
    for rule in rules:
        # A year field such as this year's passes the week the check watches, then stops.
        require_every_year(rule, f"`{CLEANUP}` should run every day", "cron(0 3 * * ? *)")
    # A month, a day of the month or a weekday left out would pass the week the check watches.
    require_every_day(rules, f"`{CLEANUP}` should run every day", "cron(0 3 * * ? *)")
    # A function that can't run (paused, perhaps by an experiment) never does its work.
    require_not_paused(CLEANUP)
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
    at_three: list[Any] = []  # events in the minute around 03:00
    previous = start
    for edge in edges:
        aws.advance_clock(seconds=(edge - aws.now()).total_seconds())
        aws.wait(30)
        fresh = _new_runs(aws, seen)
        count = len(fresh)
        if previous == start:
            at_three = fresh
        if count == 1:
            runs.append((_last_run_time() or f"{previous:%H:%M}-{edge:%H:%M}", 1))
        elif count:
            first = previous + timedelta(seconds=30)
            last = edge - timedelta(seconds=30)
            span = f"{first:%H:%M}" if first == last else f"{first:%H:%M} and {last:%H:%M}"
            runs.append((f"{'at' if first == last else 'between'} {span}", count))
        previous = edge
    total = sum(count for _when, count in runs)
    if total == 1 and len(at_three) == 1:
        # Every night's run must succeed, not the first only (learner trial 10, VD13: a
        # handler failing on Saturdays and Sundays passed): the failures are named after the
        # week, all of them.
        failures: list[tuple[str, str]] = []
        try:
            require_ran(
                CLEANUP,
                at_three[0],
                f"the scheduled event at 03:00 UTC on {start + timedelta(seconds=30):%A %d %B}",
                _THAT_NIGHT,
            )
        except Incorrect as failed:
            failures.append((f"{start + timedelta(seconds=30):%A %d %B}", str(failed)))
        # Every day: the six days after, whatever their day of the week or of the month (a
        # weekday-only or a monthly schedule passes a single day when it happens to be one).
        for day in range(1, 7):
            at = start + timedelta(days=day)
            aws.advance_clock(seconds=(at + timedelta(seconds=60) - aws.now()).total_seconds())
            aws.wait(30)
            night = _new_runs(aws, seen)
            if len(night) != 1:
                raise Incorrect(
                    f"`{CLEANUP}` ran at 03:00 UTC on {start + timedelta(seconds=30):%A %d %B}, "
                    f"but not on {at + timedelta(seconds=30):%A %d %B} (the check moved the "
                    f"kit's clock through the week after). Your schedule(s): {expressions}. "
                    "Every day means any day of the month and of the week: `*` in one of those "
                    "two fields and `?` in the other."
                )
            try:
                require_ran(
                    CLEANUP,
                    night[0],
                    f"the scheduled event at 03:00 UTC on {at + timedelta(seconds=30):%A %d %B}",
                    _THAT_NIGHT,
                )
            except Incorrect as failed:
                failures.append((f"{at + timedelta(seconds=30):%A %d %B}", str(failed)))
            aws.advance_clock(seconds=(at + timedelta(days=1) - aws.now()).total_seconds())
            aws.wait(30)
            if extra := len(_new_runs(aws, seen)):
                raise Incorrect(
                    f"on {at + timedelta(seconds=30):%A %d %B} `{CLEANUP}` ran {extra + 1} "
                    f"times; expected once, at 03:00 UTC. Your schedule(s): {expressions}."
                )
        # Learner trial 13 (ND15): a handler failing on days 1-7 of every month (the day a
        # week ago computed with `replace(day=run.day - 7)`) passed when the week fell later
        # in the month. The rule's own Scheduled Events for dates that catch such mistakes
        # (a month's first days and last, a year's end, 29 February) follow the week.
        dates = _hard_dates(start + timedelta(days=7, seconds=30))
        for moment in dates:
            _fire_as_scheduled(rules, moment)
            aws.wait(30)
            night = _new_runs(aws, seen)
            what = f"the scheduled event for 03:00 UTC on {moment:%A %d %B %Y}"
            try:
                if not night:
                    raise Incorrect(f"{what} (sent by the check through the rule) never ran.")
                require_ran(CLEANUP, night[0], what, _THAT_NIGHT)
            except Incorrect as failed:
                failures.append((f"{moment:%A %d %B %Y}", str(failed)))
        watched = 7 + len(dates)
        if len(failures) == watched:  # every night: as the first night's failure says
            raise Incorrect(
                failures[0][1].replace(_THAT_NIGHT, f"`{CLEANUP}` never does its work")
                + _target_input_note(rules)
            )
        if failures:
            nights = ", ".join(night for night, _why in failures)
            raise Incorrect(
                f"`{CLEANUP}` was invoked once a night at 03:00 UTC, but it failed on "
                f"{len(failures)} of the {watched} nights the check tried (the 7 it watched, "
                f"then {len(dates)} dates it sent the rule's Scheduled Event for: "
                "a month's first days and its last, a year's end, 29 February): "
                f"{nights}: {failures[0][1]} It must succeed every night, whatever the date."
                + _target_input_note(rules)
            )
        return (
            f"Over a week of the kit's clock, `{CLEANUP}` ran once a day, at 03:00 UTC, and "
            "EventBridge may invoke it for its rule only; every run succeeded, as did the runs "
            "for the dates the check sent the rule's Scheduled Event for ("
            + ", ".join(f"{moment:%d %B %Y}" for moment in dates)
            + ")."
        )
    if total == 0:
        raise Incorrect(
            f"in the 24 hours after 02:59:30 UTC (the check moved the kit's clock through "
            f"them) `{CLEANUP}` never ran. Your schedule(s): {expressions}."
        )
    if len(rules) > 1 and len(at_three) == len(rules):
        _name_a_second_rule(rules, expressions)
    shown = "; ".join(
        f"once at {when}" if count == 1 else f"{count} times {when}" for when, count in runs[:6]
    )
    # Learner trial 12 (HW2): the sentence on `rate(1 day)` showed for a cron answer too.
    rate = any(str(r.get("ScheduleExpression", "")).startswith("rate(") for r in rules)
    raise Incorrect(
        f"in the 24 hours after 02:59:30 UTC (the check moved the kit's clock through them) "
        f"`{CLEANUP}` ran {total} time(s) ({shown}{' …' if len(runs) > 6 else ''}, UTC); "
        f"expected exactly once, at 03:00 UTC. Your schedule(s): {expressions}. A cron "
        "expression has six fields: "
        "minutes, hours, day-of-month, month, day-of-week, year"
        + ("; `rate(1 day)` counts from when the rule was created." if rate else ".")
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
        for old_rule in page["Rules"]:
            targets = eventbridge.list_targets_by_rule(Rule=old_rule["Name"])["Targets"]
            ids = [t["Id"] for t in targets if (t["Arn"] + ":").startswith(old_arn + ":")]
            if ids:
                eventbridge.remove_targets(Rule=old_rule["Name"], Ids=ids)
                if len(ids) == len(targets):
                    eventbridge.delete_rule(Name=old_rule["Name"])
    # And every EventBridge Scheduler schedule that runs it: cleanup would run twice a night.
    scheduler = boto3.client("scheduler")
    for page in scheduler.get_paginator("list_schedules").paginate():
        for schedule in page["Schedules"]:
            if (schedule["Target"]["Arn"] + ":").startswith(old_arn + ":"):
                scheduler.delete_schedule(Name=schedule["Name"], GroupName=schedule["GroupName"])
    lam.delete_function(FunctionName="cleanup")
except lam.exceptions.ResourceNotFoundException:
    pass
cleanup_arn = lam.create_function(
    FunctionName="cleanup",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={{"ZipFile": zip_bytes({{"app.py": source}})}},
)["FunctionArn"]
lam.get_waiter("function_active_v2").wait(FunctionName="cleanup")

# Every day at 03:00 UTC: minutes first, then hours.
nightly_rule_arn = eventbridge.put_rule(
    Name="nightly-cleanup", ScheduleExpression="cron(0 3 * * ? *)"
)["RuleArn"]
eventbridge.put_targets(Rule="nightly-cleanup", Targets=[{{"Id": "cleanup", "Arn": cleanup_arn}}])
# EventBridge may invoke the function, for this rule only.
lam.add_permission(
    FunctionName="cleanup",
    StatementId="nightly-cleanup",
    Action="lambda:InvokeFunction",
    Principal="events.amazonaws.com",
    SourceArn=nightly_rule_arn,
)
'''


# ------------------------------------------------------------- q2: SNS with a filter policy
PAGER = "pager"
TOPIC = "incidents"
# Severities that must not reach pager: close to `critical` in meaning, or in spelling.
# "critical-resolved" starts like `critical`: a prefix match pages for it too; "non-critical"
# ends like it: a suffix match does (learner trial 12, HD11: `{"suffix": "critical"}` passed;
# https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html).
NOT_CRITICAL = ("info", "high", "warning", "Critical", "critical-resolved", "non-critical")
# Learner trial 12 (HD12): `anything-but` the severities above (the messages name them)
# passed. The check also publishes one of these, drawn at random and never named: any of them
# is outside NOT_CRITICAL, so such an answer fails whichever is drawn.
UNNAMED_SEVERITIES = ("low", "medium", "error", "major", "minor", "notice", "alert", "sev2")


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
    require_not_paused(PAGER)  # a pager that can't run pages no one
    # One message per severity, each with a marker of its own in its body: JSON, as publishers
    # usually send (section 3), without the severity: the task filters on the message
    # attribute, not on the body.
    sns = client("sns")
    sent: dict[str, str] = {}
    bodies: dict[str, str] = {}
    hidden = random.choice(UNNAMED_SEVERITIES)
    for severity in ("critical", *NOT_CRITICAL, hidden, NO_SEVERITY):
        marker = check_id("incident")
        sent[severity] = marker
        bodies[severity] = json.dumps({"id": marker, "title": "disk almost full", "host": "db-1"})
        attributes = {"severity": {"DataType": "String", "StringValue": severity}}
        if severity == NO_SEVERITY:  # another attribute, no severity (learner trial 12, HD9)
            attributes = {"team": {"DataType": "String", "StringValue": "ops"}}
        sns.publish(TopicArn=topic, Message=bodies[severity], MessageAttributes=attributes)
    aws.wait(30)
    attributes = sns.get_subscription_attributes(SubscriptionArn=subscription["SubscriptionArn"])[
        "Attributes"
    ]
    policy_text = attributes.get("FilterPolicy")
    critical = async_event(PAGER, sent["critical"])
    if critical is None:
        now = f" Its FilterPolicy is `{policy_text or '(none)'}`"
        if attributes.get("FilterPolicyScope") == "MessageBody":
            now += ", with FilterPolicyScope `MessageBody`: it filters on the body"
        elif case := _case_mismatch(policy_text):
            raise Incorrect(
                f"a message with the attribute severity=critical did not reach `{PAGER}`.{now}"
                f": {case}"
            )
        elif extra := _extra_keys(policy_text):
            raise Incorrect(
                f"a message with the attribute severity=critical did not reach `{PAGER}`.{now}"
                f": {extra}"
            )
        raise Incorrect(
            f"a message with the attribute severity=critical did not reach `{PAGER}`.{now}. "
            "The task filters on the message attribute `severity` (not the body), with the "
            "values in a list."
        )
    leaked = [
        severity
        for severity in (*NOT_CRITICAL, hidden, NO_SEVERITY)
        if async_event(PAGER, sent[severity])
    ]
    if leaked:
        _require_no_other_subscription(topic, subscription, [sent[s] for s in leaked])
        raise Incorrect(_leak_message(leaked, policy_text, subscription))
    if _severity_may_be_missing(policy_text):
        # SNS ORs the conditions of an array, and `{"exists": false}` matches a message that
        # has attributes but not `severity` (https://docs.aws.amazon.com/sns/latest/dg/
        # attribute-key-matching.html): read from the policy too, in case the message the
        # check sent without `severity` was not delivered by the local SNS.
        raise Incorrect(_leak_message([NO_SEVERITY], policy_text, subscription))
    _require_one_delivery(topic, subscription, sent["critical"])
    # Delivered is not paged: the critical message must also run to success.
    require_ran(
        PAGER,
        critical,
        f"the message with severity=critical (its `Message`: `{bodies['critical']}`)",
        "no one would be paged",
    )
    return (
        f"Only the message with severity=critical reached `{PAGER}` (not "
        f"{', '.join(NOT_CRITICAL)}), and SNS may invoke it for `{TOPIC}` only."
    )


NO_SEVERITY = "(none)"  # the check's message that has an attribute, but not `severity`


def _leak_message(leaked: list[str], policy_text: str | None, judged: dict[str, Any]) -> str:
    """What is wrong when messages other than critical ones reached pager through the judged
    subscription, whose FilterPolicy is `policy_text`."""
    shown = ", ".join(f"severity={s}" for s in leaked if s != NO_SEVERITY)
    what = f"messages with {shown}" if shown else ""
    if NO_SEVERITY in leaked:
        missing = "a message without the attribute `severity` (it had only `team`)"
        what = f"{what} and {missing}" if what else missing
    what += f" reached `{PAGER}` too: it must receive only `critical`."
    # Learner trial 13 (ND7): the advice offered `subscribe(..., Attributes=...)`, which SNS
    # refuses for an endpoint already subscribed with other attributes ("Subscription already
    # exists with different attributes"): the existing subscription is changed instead.
    fix = (
        " Set the filter on the subscription there is: `sns.set_subscription_attributes("
        f"SubscriptionArn={judged['SubscriptionArn']!r}, AttributeName='FilterPolicy', "
        "AttributeValue=json.dumps({'severity': ['critical']}))` (a second `subscribe` of the "
        "same endpoint with other attributes is refused while this one exists)."
    )
    if not policy_text:
        # Learner trial 12 (HW4): a subscription without a filter was told about the case of
        # `Critical`, which it never matched; the missing filter is the mistake.
        return (
            f"{what} Its subscription has no `FilterPolicy`, so every message reaches "
            f"`{PAGER}`.{fix}"
        )
    why = []
    # Learner trial 11 (BW1): `equals-ignore-case` let `Critical` through, and the message
    # didn't say why that is another severity.
    other_case = [s for s in leaked if s != "critical" and s.lower() == "critical"]
    if other_case:
        why.append(
            f"Attribute values are case-sensitive, and `{other_case[0]}` is another severity "
            "than `critical`: match it exactly (no `equals-ignore-case`)."
        )
    if '"suffix"' in policy_text and any(s.endswith("critical") for s in leaked):
        why.append(
            "`suffix` also matches every value that ends in `critical` (`non-critical` "
            "too): match the value exactly."
        )
    if '"anything-but"' in policy_text:
        why.append(
            "`anything-but` lets through every severity it doesn't list, and publishers may "
            "send any: list the values to let through (`['critical']`) rather than the ones "
            "to keep out."
        )
    if NO_SEVERITY in leaked and _severity_may_be_missing(policy_text):
        why.append(
            "`{'exists': False}` in the array for `severity` lets through every message that "
            "has no `severity` attribute (SNS ORs the conditions of an array): remove it."
        )
    return f"{what} Its FilterPolicy is `{policy_text}`. {' '.join(why)}{fix}".replace(".  ", ". ")


def _severity_conditions(policy: Any) -> list[Any]:
    """The conditions given for `severity` anywhere in a filter policy (`$or` branches
    included)."""
    found: list[Any] = []
    if isinstance(policy, dict):
        for key, value in policy.items():
            if key == "severity" and isinstance(value, list):
                found.extend(value)
            else:
                found.extend(_severity_conditions(value))
    elif isinstance(policy, list):
        for item in policy:
            found.extend(_severity_conditions(item))
    return found


def _severity_may_be_missing(policy_text: str | None) -> bool:
    """Whether the policy lets a message without `severity` through: `{"exists": false}`
    among the conditions for `severity` (learner trial 12, HD9: `["critical", {"exists":
    false}]` passed)."""
    try:
        policy = json.loads(policy_text or "")
    except ValueError:
        return False
    return any(
        isinstance(c, dict) and c.get("exists") is False for c in _severity_conditions(policy)
    )


def _extra_keys(policy_text: str | None) -> str:
    """What is wrong when the policy also names attributes other than `severity`, "" otherwise:
    SNS requires every key of a filter policy to match (AND), and the check's critical message
    carries `severity` only ("You can apply AND logic using multiple property names",
    https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html).
    Learner trial 12 (HD2): `{"severity": ["critical"], "team": ["ops"]}` was told to filter
    on the attribute, with the values in a list, which it did."""
    try:
        policy = json.loads(policy_text or "")
    except ValueError:
        return ""
    if not isinstance(policy, dict) or "severity" not in policy:
        return ""
    others = [k for k in policy if k != "severity"]
    if not others:
        return ""
    shown = ", ".join(f"`{k}`" for k in others)
    return (
        f"besides `severity` it names {shown}. SNS delivers a message only when every key of "
        "the filter policy matches (the keys are ANDed), and a critical message need carry "
        f"no other attribute (the check's has only `severity`). Filter on `severity` alone: "
        "`json.dumps({'severity': ['critical']})`."
    )


def _case_mismatch(policy_text: str | None) -> str:
    """What is wrong when the filter names `severity` or `critical` in another case (`Severity`,
    `"Critical"`), "" otherwise: SNS compares names and string values exactly, case included
    ("For string matching in the filter policy, the comparison is case-sensitive",
    https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html).
    Learner trial 11 (BD4): `{"severity": ["Critical"]}` was told to filter on the attribute,
    with the values in a list, which it did."""
    try:
        policy = json.loads(policy_text or "")
    except ValueError:
        return ""
    if not isinstance(policy, dict):
        return ""
    # Learner trial 13 (ND3): a space in the name or the value (`"critical "`) was told to
    # filter on the attribute, with the values in a list, which it did.
    if "severity" not in policy:
        names = [k for k in policy if isinstance(k, str) and k.strip().lower() == "severity"]
        if not names:
            return ""
        return (
            f'it filters on the attribute `"{names[0]}"`, and the message\'s attribute is '
            f"`severity`: names are compared exactly, {_what_differs(names[0])} included. "
            "Use `json.dumps({'severity': ['critical']})`."
        )
    values = policy["severity"]
    values = values if isinstance(values, list) else [values]
    other_case = [
        v
        for v in values
        if isinstance(v, str) and v != "critical" and v.strip().lower() == "critical"
    ]
    if not other_case:
        return ""
    return (
        f"SNS compares string values exactly, {_what_differs(other_case[0])} included: "
        f'`"{other_case[0]}"` does not match the value `critical`. Use '
        "`json.dumps({'severity': ['critical']})`."
    )


def _what_differs(text: str) -> str:
    """ "case", "spaces" or both: how `text` differs from the name or value it stands for."""
    spaces = text != text.strip()
    case = text.strip() != text.strip().lower()
    return " and ".join(what for what, differs in (("case", case), ("spaces", spaces)) if differs)


def _require_one_delivery(topic: str, judged: dict[str, Any], marker: str) -> None:
    """Incorrect when the critical message reached pager more than once: through another
    subscription too (an alias's, left from an earlier try, with a right filter of its own).
    SNS delivers a copy to every subscription whose filter matches. Learner trial 13 (ND11):
    two filtered subscriptions, `pager:live` and `pager`, passed; each incident paged twice."""
    through: list[str] = []
    for event in kit().async_event_records():
        if event.function != PAGER or marker.encode() not in event.payload:
            continue
        try:
            records = json.loads(event.payload)["Records"]
            through.extend(str(r["EventSubscriptionArn"]) for r in records)
        except (KeyError, TypeError, ValueError):
            through.append("")
    if len(through) < 2:
        return
    others = [arn for arn in dict.fromkeys(through) if arn != judged["SubscriptionArn"]]
    endpoints = {s["SubscriptionArn"]: s["Endpoint"] for s in _subscriptions(topic)}
    other = next((arn for arn in others if arn in endpoints), None)
    if other is None:
        raise Incorrect(
            f"the message with severity=critical reached `{PAGER}` {len(through)} times: the "
            "on-call engineer would be paged that many times for every incident. Keep one "
            f"subscription of `{PAGER}` to `{TOPIC}`."
        )
    raise Incorrect(
        f"the message with severity=critical reached `{PAGER}` {len(through)} times: through "
        f"the subscription with the endpoint `{judged['Endpoint']}` and through another one, "
        f"with the endpoint `{endpoints[other]}`, perhaps left from an earlier try. SNS "
        "delivers a copy to every subscription whose filter matches, so the on-call engineer "
        "would be paged twice for every incident. Keep one: remove the other with "
        f"`sns.unsubscribe(SubscriptionArn={other!r})`."
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
incidents_arn = sns.create_topic(Name="incidents")["TopicArn"]  # the same topic if it exists
# Start afresh: no older subscription of pager, a new function (its policy starts empty).
for sub in sns.list_subscriptions_by_topic(TopicArn=incidents_arn)["Subscriptions"]:
    if sub["Protocol"] == "lambda" and (sub["Endpoint"].split(":") + [""] * 7)[6] == "pager":
        sns.unsubscribe(SubscriptionArn=sub["SubscriptionArn"])
try:
    lam.delete_function(FunctionName="pager")
except lam.exceptions.ResourceNotFoundException:
    pass
pager_arn = lam.create_function(
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
    SourceArn=incidents_arn,
)
sns.subscribe(
    TopicArn=incidents_arn,
    Protocol="lambda",
    Endpoint=pager_arn,
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
