"""Notebook 07a's exercises: cold starts counted from the logs, and a client moved into Init."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import random
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, NamedTuple

from . import apps
from .core import Exercise, Incorrect
from .harness import (
    as_text_line,
    check_id,
    client,
    epoch_ms,
    excess_rights,
    function_config,
    invoke,
    kit,
    matches,
    regions_holding,
    require_not_paused,
    role_name_of,
    role_statements,
    whole_number,
)

TICKER = "ticker"
BUCKETS = "buckets"
LIST_ACTION = "s3:ListAllMyBuckets"  # what `list_buckets` needs


# ------------------------------------------------------------------------- the notebook's Region
def function_config_here(name: str) -> dict[str, Any]:
    """`function_config`, whose "no function named ... yet" names the Region when the function
    exists in another one (learner trial 10, WD19): a function lives in the Region it was made
    in, and its ARN holds it, `arn:aws:lambda:<region>:<account>:function:<name>`
    (https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html).
    (Shared with notebook 08a's check.)"""
    try:
        return function_config(name)
    except Incorrect as missing:
        if "no function named" not in str(missing):
            raise
        regions = regions_holding(name)
        if not regions:  # an empty local AWS (a kernel restart) is named by function_config
            raise
        home = client("lambda").meta.region_name
        where = " and ".join(f"`{region}`" for region in regions)
        raise Incorrect(
            f"`{name}` exists in {where}, but the notebook works in `{home}` (the Region of "
            f"`boto3.client('lambda')`), where there is no function named `{name}`: a function "
            "lives in the Region it was created in, and the check looks in the notebook's. "
            f"Create `{name}` with a client of the notebook's Region (leave `region_name` out) "
            "and do the task there."
        ) from None


# ------------------------------------------------------------------------------ q1: the logs
DEFAULT_IDLE_TIMEOUT_S = 600.0  # the kit's default, which notebook 07a sets back before q1


def _as_report_text(message: str) -> str:
    """A log event as the text format writes it: a JSON-format `platform.report` record becomes
    its REPORT line, and the `platform.initReport` record of a failed Init its INIT_REPORT line
    (one of a successful Init is no line of the text format), so that both formats count alike.
    https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html"""
    line = as_text_line(message)
    if line != message or not message.startswith('{"'):
        return line
    try:
        data = json.loads(message)
    except ValueError:
        return message
    record = data.get("record") if isinstance(data, dict) else None
    if data.get("type") != "platform.initReport" or not isinstance(record, dict):
        return message
    if record.get("status", "success") == "success":
        return ""
    metrics = record.get("metrics") if isinstance(record.get("metrics"), dict) else {}
    return (
        f"INIT_REPORT Init Duration: {float(metrics.get('durationMs', 0)):.2f} ms\tPhase: init"
        f"\tStatus: {record.get('status')}\tError Type: {record.get('errorType')}"
    )


def _log_group(config: dict[str, Any]) -> str:
    """The function's log group: `/aws/lambda/<name>` unless its LoggingConfig names another."""
    return (config.get("LoggingConfig") or {}).get("LogGroup") or f"/aws/lambda/{TICKER}"


def _logs_json(config: dict[str, Any]) -> bool:
    return str((config.get("LoggingConfig") or {}).get("LogFormat", "Text")).upper() == "JSON"


def _custom_group(config: dict[str, Any]) -> bool:
    return _log_group(config) != f"/aws/lambda/{TICKER}"


# In a custom log group, which several functions may share, a stream's name carries the
# function's: `YYYY/MM/DD/<function>[<version>]<guid>` ("Configuring CloudWatch log groups",
# https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html).
_OWN_STREAM = re.compile(rf"^\d{{4}}/\d\d/\d\d/{re.escape(TICKER)}\[")


class _Lines(NamedTuple):
    """The REPORT lines (as text) of the log group, sorted for the check."""

    lines: list[str]  # ticker's, since its LastModified
    earlier: list[str]  # ticker's (or an unnamed stream's), before it
    inits: list[str]  # INIT_REPORT lines of failed Inits, since
    earlier_inits: list[str]  # and before
    others: list[str]  # other functions' REPORT lines in a shared group, since
    exists: bool  # whether the log group exists
    other_functions: list[str]  # the functions those lines are of
    # ticker's REPORT and INIT_REPORT lines since, as (timestamp, arrival, stream, line)
    timed: list[tuple[int, int, str, str]]
    # ticker's log streams with lines from before `since_ms` (earlier environments)
    earlier_streams: tuple[str, ...] = ()


def _report_lines(group: str, since_ms: int, shared: bool = False) -> _Lines:
    """The function's invocation reports, oldest first, as REPORT lines: those written since
    `since_ms` (its current deployment), the older ones the group keeps from earlier
    deployments, and the INIT_REPORT lines of failed Inits (which carry an `Init Duration`
    too, and match `filterPattern="REPORT"`) since then and before. Every event of the group is
    read, in either log format: a JSON-format function writes `platform.report` records, which
    the term REPORT doesn't match, and a learner may switch formats between deployments. In a
    `shared` (custom) group, only ticker's own streams count; the REPORT lines of other
    functions' streams since `since_ms` are kept apart (learner trial 9, QD10)."""
    logs = client("logs")
    pages = logs.get_paginator("filter_log_events").paginate(logGroupName=group)
    found: dict[tuple[bool, bool], list[str]] = {
        (report, mine): [] for report in (True, False) for mine in (True, False)
    }
    others: list[str] = []
    other_functions: dict[str, None] = {}
    timed: list[tuple[int, int, str, str]] = []
    earlier_streams: dict[str, None] = {}
    exists = True
    try:
        for page in pages:
            for event in page["events"]:
                message = _as_report_text(event["message"])
                if not message.startswith(("REPORT ", "INIT_REPORT ")):
                    continue
                since = int(event["timestamp"]) >= since_ms
                stream = str(event.get("logStreamName", ""))
                named = re.match(r"^\d{4}/\d\d/\d\d/([^\[/]+)\[", stream)
                if shared and named and not _OWN_STREAM.match(stream):  # another function's
                    if since and message.startswith("REPORT "):
                        others.append(message)
                        other_functions[named.group(1)] = None
                    continue
                found[message.startswith("REPORT "), since].append(message)
                if since:
                    timed.append((int(event["timestamp"]), len(timed), stream, message))
                else:
                    earlier_streams[stream] = None
    except logs.exceptions.ResourceNotFoundException:
        exists = False
    return _Lines(
        found[True, True],
        found[True, False],
        found[False, True],
        found[False, False],
        others,
        exists,
        list(other_functions),
        sorted(timed),
        tuple(earlier_streams),
    )


def _colds(lines: list[str]) -> int:
    from ..pricing import report_frame

    return int(report_frame(lines)["cold"].sum()) if lines else 0


def _changed_idle_timeout(keeps_too_long: bool) -> str | None:
    """The kit's idle timeout, said for a message, when a learner's `aws.configure(
    idle_timeout=...)` left it longer (or shorter) than the default the task expects."""
    idle = float(kit().settings()["idle_timeout"])
    if (idle > DEFAULT_IDLE_TIMEOUT_S) if keeps_too_long else (idle < DEFAULT_IDLE_TIMEOUT_S):
        return f"{idle:g} s" + (f" ({idle / 60:g} minutes)" if idle >= 60 else "")
    return None


_SET_IT_BACK = (
    "`aws.configure(idle_timeout=...)` changed it. Set it back with "
    "`aws.configure(idle_timeout=600)` (kit-only), then invoke `ticker` again"
)


def _stale_lines_message(
    counted: int, cold: int, lines: list[str], earlier: list[str], failed_inits: list[str]
) -> str:
    """A count above this deployment's cold starts, with lines from before it in the group
    (`earlier`, those of failed Inits among them; `failed_inits` named when counted)."""
    also = (
        f" Among them are {len(failed_inits)} INIT_REPORT line(s) of failed Inits: they carry "
        "an `Init Duration` too, and `filterPattern='REPORT'` matches them, but they are no "
        "invocation."
        if failed_inits
        else ""
    )
    return (
        f"you counted {counted} cold starts, but since `{TICKER}` was last deployed or updated "
        f"(its `LastModified`: `create_function`, `update_function_code` or "
        f"`update_function_configuration`) it was invoked {len(lines)} times, and {cold} of "
        f"those were cold. Its log group also keeps {len(earlier)} line(s) "
        f"written before then, by an earlier code or configuration of `{TICKER}` (or a deleted "
        f"`{TICKER}`), and your count takes some of them in.{also} Count only the lines "
        "written since your last deployment or update (`startTime` of `filter_log_events`, "
        "taken just before your first invocation)."
    )


def _provisioned_qualifiers() -> list[str]:
    """The versions and aliases of ticker with provisioned concurrency configured."""
    lam = client("lambda")
    try:
        configs = lam.list_provisioned_concurrency_configs(FunctionName=TICKER)
    except lam.exceptions.ResourceNotFoundException:
        return []
    return [c["FunctionArn"].rsplit(":", 1)[-1] for c in configs["ProvisionedConcurrencyConfigs"]]


# A REPORT line whose invocation ended its environment: a runtime crash or a timeout (AWS
# writes `Status: error` or `Status: timeout`; the kit too, runtime/logs.py).
_ENDED = re.compile(r"\tStatus: (error|timeout)")


_RUN_MS = re.compile(r"\tDuration: ([0-9.]+) ms")
_INIT_MS = re.compile(r"Init Duration: ([0-9.]+) ms")


def _ms(pattern: re.Pattern[str], line: str) -> float:
    """A duration a REPORT line gives, in ms (0 when it gives none)."""
    found = pattern.search(line)
    return float(found.group(1)) if found else 0.0


def _version_of(stream: str) -> str:
    """The version an environment's log stream serves: `YYYY/MM/DD/[<version>]<guid>`."""
    found = re.search(r"\[([^\]]+)\]", stream)
    return found.group(1) if found else "$LATEST"


class _Causes(NamedTuple):
    """Why ticker's cold starts after its first call were cold, counted by cause."""

    reclaimed: int  # an earlier environment of the version, idle, was gone: the task's reclaim
    concurrent: int  # another environment of the version was alive then (busy with a call)
    versions: list[str]  # first calls of another version (each has environments of its own)
    forced: int  # the version's previous call ended its environment (crash, timeout, Init)


def _cold_causes(found: _Lines) -> _Causes:
    """Why each cold start after ticker's first was cold, from its log streams (one per
    execution environment) and the environments alive now. An environment that is gone never
    comes back, so one of the same version that is alive now, or wrote a line after the cold
    start's REPORT, was alive when it began: the call was concurrent, and Lambda made a second
    environment ("If the function is invoked again while a request is still being processed,
    another instance is allocated", https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html).
    A version's first call is cold however short the gap: each version has environments of its
    own (https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html). "If the
    Lambda function crashes or times out during the Invoke phase, Lambda resets the execution
    environment": https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
    (learner trial 10, WD10). Learner trial 11 (CD2, CD4): concurrency and a version's first
    call passed as idle reclaims."""
    alive = {
        str(env.get("log_stream")) for env in kit().environments() if env.get("function") == TICKER
    }
    timed = found.timed
    first_at: dict[str, int] = {}
    last_at: dict[str, int] = {}
    for index, (stamp, _, stream, _) in enumerate(timed):
        first_at.setdefault(stream, index)
        last_at[stream] = stamp
    # A published version's streams from before the deployment are its earlier environments
    # (versions don't change when $LATEST does); $LATEST's were of another code.
    before = [s for s in found.earlier_streams if _version_of(s) != "$LATEST"]
    reclaimed = concurrent = forced = 0
    versions: list[str] = []
    seen_first = False
    for index, (stamp, _, stream, line) in enumerate(timed):
        if not (line.startswith("REPORT ") and "Init Duration" in line):
            continue
        if not seen_first:
            seen_first = True
            continue
        version = _version_of(stream)
        prior = [
            s
            for s, at in first_at.items()
            if s != stream and at < index and _version_of(s) == version
        ] + [s for s in before if _version_of(s) == version and s != stream]
        if not prior:
            versions.append(version)
            continue
        # When the cold call began: its REPORT's time less its Init and its run. An earlier
        # environment that wrote a line after that was alive, busy, when it began, even when
        # its last line came before this REPORT (a long Init) and it was reclaimed since
        # (issue 11's leftover "rare concurrent order"). 1 ms for the stamps' rounding.
        began = stamp - _ms(_RUN_MS, line) - _ms(_INIT_MS, line)
        if any(s in alive or last_at.get(s, 0) > min(stamp, began + 1) for s in prior):
            concurrent += 1
            continue
        previous = next(
            (
                line_before
                for _, _, s, line_before in reversed(timed[:index])
                if _version_of(s) == version
            ),
            "",
        )
        if previous.startswith("INIT_REPORT ") or _ENDED.search(previous):
            forced += 1
        else:
            reclaimed += 1
    return _Causes(reclaimed, concurrent, versions, forced)


# Learner trial 10 (WD6): the counts that got a ✅, by kit, log group and LastModified: the same
# count refused later, after more calls, is a count made before them.
_RIGHT_COUNTS: dict[tuple[int, str, str], tuple[int, int]] = {}


def _cold_in_one_stream(timed: list[tuple[int, int, str, str]]) -> dict[str, int]:
    """ticker's cold starts since its deployment in each of its log streams: one stream per
    execution environment, so 1 each, unless its Init failed."""
    streams: dict[str, int] = {}
    for _, _, stream, line in timed:
        if line.startswith("REPORT "):
            streams[stream] = streams.get(stream, 0) + ("Init Duration" in line)
    return streams


def _async_note(lines: list[str]) -> str:
    """A note for the ✅ when some of the calls counted were asynchronous (learner trial 10,
    WW8): the kit runs each before the clock moves on, but on AWS `invoke` returns at once,
    and "it can take a moment" for lines to reach CloudWatch Logs."""
    ids = {m.group(1) for line in lines if (m := re.match(r"REPORT RequestId: (\S+)", line))}
    events = kit().async_events()
    if not any(e.get("request_id") in ids and e.get("function") == TICKER for e in events):
        return ""
    return (
        # Learner trial 12 (IW5): `invoke_async` (the InvokeAsync API) is asynchronous too.
        " A note: some of your calls were asynchronous (`InvocationType='Event'`, or "
        "`invoke_async`). The kit runs "
        "each before its clock moves on; on AWS `invoke` returns at once, and the lines reach "
        "CloudWatch Logs a little later: there, wait until the group holds a REPORT line for "
        "each call before you count."
    )


def _may_write_logs(config: dict[str, Any], group: str) -> bool:
    """Whether ticker's execution role lets Lambda write its lines to `group` now: the kit's
    own test (the runtime writes none otherwise). A group named `aws/...` is never written."""
    from ..runtime.logs import role_may_write

    aws = kit()
    stream = f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{check_id()}"
    return role_may_write(
        aws.account_id, aws.region, TICKER, str(config.get("Role", "")), group, stream
    )


def _check_07a_count(answer: Any = None) -> str:
    config = function_config_here(TICKER)
    # Only the invocations of the function as it is deployed now: the lines of an earlier
    # code or configuration, or of a deleted `ticker`, stay in the log group (on AWS too) and
    # are another function's story. In a custom group, which other functions may share, only
    # ticker's own streams are its story.
    since = epoch_ms(config["LastModified"])
    group, shared = _log_group(config), _custom_group(config)
    found = _report_lines(group, since, shared)
    lines, earlier, inits, earlier_inits = (
        found.lines,
        found.earlier,
        found.inits,
        found.earlier_inits,
    )
    in_json = _logs_json(config)
    reports = "`platform.report` record(s)" if in_json else "REPORT line(s)"
    if len(lines) < 5:
        system = str((config.get("LoggingConfig") or {}).get("SystemLogLevel") or "INFO")
        if in_json and not lines and system.upper() not in ("INFO", "DEBUG", "TRACE"):
            # Lambda's reports are INFO records: a higher system level drops them all.
            # https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html
            raise Incorrect(
                f"`{TICKER}` logs in the JSON format with `SystemLogLevel` `{system}`: Lambda's "
                "`platform.report` records are INFO records, so none are written and its logs "
                "can't tell the cold starts. Set `SystemLogLevel` to `INFO` in its "
                "`LoggingConfig` (or use the Text format), then invoke it again at least 5 times."
            )
        if group.startswith("aws/") and not lines:
            # "Custom log group names mustn't begin with the string aws/ ... This will cause
            # function logs not to be sent to CloudWatch"
            # https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html
            raise Incorrect(
                f"`{TICKER}`'s `LoggingConfig` names the log group `{group}`: a custom log "
                "group's name mustn't begin with `aws/`, and Lambda sends no logs to one that "
                "does, so its cold starts can't be counted. Name another group (or leave "
                "`LogGroup` out), then invoke it again at least 5 times with gaps."
            )
        if not _may_write_logs(config, group):
            # Learner trial 11 (CD17): a role without log rights; the ❌ blamed a deleted group.
            # "Your execution role needs the following permissions to upload logs to
            # CloudWatch Logs: logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents"
            # https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
            role = str(config.get("Role", "")).rsplit("/", 1)[-1]
            raise Incorrect(
                f"the logs of `{TICKER}` hold {len(lines)} {reports} since it was deployed, and "
                f"its execution role, `{role}`, may not write to its log group `{group}` "
                "(`logs:CreateLogGroup`, `logs:CreateLogStream`, `logs:PutLogEvents`): without "
                "those rights Lambda keeps none of its lines, so neither you nor the check can "
                "count its cold starts. Give the role them (attach the managed policy "
                "`AWSLambdaBasicExecutionRole`, or create `ticker` with `execution_role()`), "
                "then invoke it again at least 5 times with gaps."
            )
        if not found.exists:
            # Learner trial 9 (QD6): the group deleted after counting ("tidy up").
            # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogGroup.html
            raise Incorrect(
                f"the log group of `{TICKER}`, `{group}`, doesn't exist: deleting a log group "
                "deletes every line in it, on AWS too, and the check reads the cold starts from "
                f"the logs as you do. Invoke `{TICKER}` at least 5 times again, moving the kit's "
                "clock between some of the calls, and leave its log group in place."
            )
        if earlier or earlier_inits:
            # Learner trial 9 (QD6): an update between the calls (to force a cold start)
            # starts the count again; the message said "since it was deployed".
            raise Incorrect(
                f"since `{TICKER}` was last deployed or updated (its `LastModified`, "
                f"{config['LastModified']}: `create_function`, `update_function_code` or "
                f"`update_function_configuration`) its logs hold {len(lines)} {reports}; the "
                f"{len(earlier) + len(earlier_inits)} older line(s) of its log group are of its "
                "code or configuration before then. The check counts the invocations of "
                f"`{TICKER}` as it is now: invoke it at least 5 times after your last change, "
                "moving the kit's clock (`aws.advance_clock(minutes=...)`) between some of the "
                "calls, and don't update it between them (an update starts the count again)."
            )
        # Learner trial 11 (CW2): a DryRun counted as a call. "DryRun: Validate parameter
        # values and verify that the user or role has permission to invoke the function"
        # (it runs nothing): https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
        raise Incorrect(
            f"the logs of `{TICKER}` hold {len(lines)} {reports} since it was deployed: "
            "invoke it at least 5 times, moving the kit's clock (`aws.advance_clock(minutes="
            "...)`) between some of the calls. (An invoke with `InvocationType='DryRun'` only "
            "checks the request and runs nothing: it writes no REPORT line.)"
        )
    cold = _colds(lines)
    if cold < 2:
        which_cold = (
            f"none of the {len(lines)} invocations of `{TICKER}` was a cold start"
            if cold == 0
            else f"only the first invocation of `{TICKER}` was a cold start"
        )
        if provisioned := _provisioned_qualifiers():
            # Learner trial 9 (QD12): calls through an alias with provisioned concurrency are
            # served by environments initialised ahead and kept ready, whatever the gaps.
            # https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
            named = ", ".join(f"`{TICKER}:{q}`" for q in provisioned)
            raise Incorrect(
                f"{which_cold}: {named} has provisioned concurrency "
                "(`put_provisioned_concurrency_config`), whose environments are initialised "
                "ahead and kept ready rather than reclaimed when idle, so gaps don't make its "
                "calls cold. Invoke the unqualified function (no `Qualifier`), or remove the "
                "provisioned concurrency (`delete_provisioned_concurrency_config`), then invoke "
                "it again with gaps."
            )
        idle = _changed_idle_timeout(keeps_too_long=True)
        if idle:
            raise Incorrect(
                f"{which_cold}: the kit's idle "
                f"timeout is now {idle}, not the 10 minutes the task expects, so your gaps "
                f"reclaimed no environment. {_SET_IT_BACK}, with a gap of more than 10 minutes "
                "before at least one call."
            )
        raise Incorrect(
            f"{which_cold}. Leave a gap longer than "
            "the kit's idle timeout (10 minutes unless you changed it with `aws.configure("
            "idle_timeout=...)`) before at least one call, so that its environment is reclaimed."
        )
    if cold == len(lines):
        idle = _changed_idle_timeout(keeps_too_long=False)
        if idle:
            raise Incorrect(
                f"every invocation of `{TICKER}` was a cold start: the kit's idle timeout is now "
                f"{idle}, not the 10 minutes the task expects, so each gap reclaimed the "
                f"environment. {_SET_IT_BACK}, letting at least one call follow the previous "
                "one within 10 minutes."
            )
        raise Incorrect(
            f"every invocation of `{TICKER}` was a cold start. Let at least one call follow the "
            "previous one within the idle timeout, so that it finds the environment warm (the "
            "timeout in force at each call decides: if you shortened it with `aws.configure("
            "idle_timeout=...)` during your calls, invoke again with it back at 10 minutes)."
        )
    causes = _cold_causes(found)
    if not causes.reclaimed and (causes.concurrent or causes.versions or causes.forced):
        why = []
        if causes.forced:
            why.append(
                f"{causes.forced} followed a call that ended its environment (a crash, a "
                "timeout or a failed Init: `Status: error` or `Status: timeout` in its REPORT "
                "line), and Lambda replaces such an environment at the next call, whatever the "
                "gap"
            )
        if causes.concurrent:
            why.append(
                f"{causes.concurrent} came while another environment of `{TICKER}` was still "
                "alive, busy with a call made at the same time: Lambda starts one more "
                "environment (a log stream of its own) for a concurrent call, whatever the gap"
            )
        if causes.versions:
            named = ", ".join(f"`{TICKER}:{v}`" for v in dict.fromkeys(causes.versions))
            why.append(
                f"{len(causes.versions)} {'was' if len(causes.versions) == 1 else 'were'} the "
                f"first call of {named}: each version has "
                "environments of its own, so its first call is cold however short the gap"
            )
        raise Incorrect(
            f"{cold} of the {len(lines)} invocations of `{TICKER}` were cold starts, but none "
            "found its environment reclaimed for being idle: besides the first call, "
            + "; ".join(why)
            + ". The task asks for gaps that let the kit reclaim an idle environment: leave "
            f"`{TICKER}` idle longer than the idle timeout (10 minutes: "
            "`aws.advance_clock(minutes=11)`) between two calls of the same version, one "
            "after the other and the first successful, then count again."
        )
    if isinstance(answer, float) and answer == cold:
        # Learner trial 12 (IW3): the right count as a float (3.0), refused as 07b q1 refuses
        # one, and said to be right, as 07b q1 says.
        raise Incorrect(
            f"{cold} is the right count, but you gave it as the float {answer!r}: a count of "
            "invocations is a whole number, an int. Pass `int(...)` (or count with `sum(...)` "
            "rather than a mean or `/`)."
        )
    counted = whole_number(answer, f"how many invocations of `{TICKER}` were cold starts", "q1")
    remembered = (id(kit()), group, str(config["LastModified"]))
    if counted == cold:
        _RIGHT_COUNTS[remembered] = (counted, len(lines))
        return (
            f"{cold} of the {len(lines)} invocations of `{TICKER}` were cold starts: the first "
            "one, and each one that found its environment reclaimed. You read it from the "
            f"logs, as you would on AWS.{_async_note(lines)}"
        )
    if in_json and counted == 0:
        # Section 3's `filterPattern="REPORT"` is a case-sensitive term: in the JSON format it
        # matches no report (`"type":"platform.report"`), so a count made with it is 0. Learner
        # trial 11 (CD18): a 0 from another read (Logs Insights) was blamed on filterPattern;
        # the message names it as one way to find nothing, not as the learner's.
        raise Incorrect(
            f"you counted 0 cold starts, but `{TICKER}` was invoked {len(lines)} times since "
            f"it was deployed, and {cold} of those were cold: your read found none of them. "
            f"`{TICKER}` logs in the JSON format (its `LoggingConfig`): there each REPORT line "
            'is a `platform.report` record, `{"type": "platform.report", "record": '
            '{"metrics": {...}}}`, and a text term such as `filterPattern="REPORT"` matches '
            "none of them (a term is case-sensitive). Match the records with a JSON selector, "
            "`filterPattern='{ $.type = \"platform.report\" }'`, and count those whose "
            "`record.metrics` holds `initDurationMs` (a cold start's Init Duration)."
        )
    if found.others and counted > cold:
        # Learner trial 9 (QD10): a log group shared with other functions; counted whole.
        theirs = _colds(found.others)
        whole = {cold + theirs, len(lines) + len(found.others)}
        if counted in whole or counted <= cold + theirs:
            names = ", ".join(f"`{name}`" for name in found.other_functions)
            raise Incorrect(
                f"you counted {counted} cold starts, but `{TICKER}` was invoked {len(lines)} "
                f"times since it was last deployed or updated, and {cold} of those were cold. "
                f"Its log group, `{group}` (its `LoggingConfig`), is shared with {names}, and "
                "your count takes in their REPORT lines too. In a shared group each function "
                f"writes to streams of its own, named `YYYY/MM/DD/{TICKER}[$LATEST]...`: count "
                f"only the lines of `{TICKER}`'s streams (the `logStreamName` of each event), "
                "or of its own request ids."
            )
    if inits and counted == cold + len(inits):
        raise Incorrect(
            f"you counted {counted} cold starts, but the {len(lines)} REPORT lines of `{TICKER}` "
            f"hold {cold}: your count takes in {len(inits)} INIT_REPORT line(s) of failed "
            "Inits, which carry an `Init Duration` too (and `filterPattern='REPORT'` matches "
            "them). Count the REPORT lines that carry an `Init Duration` (the `cold` column of "
            "`pricing.report_frame`)."
        )
    if (earlier or earlier_inits) and counted > cold:
        # The usual ways of counting (report_frame, "Init Duration" in the text, every line),
        # over the whole group: each takes in lines of before the deployment.
        whole = {
            cold + _colds(earlier),
            cold + _colds(earlier) + len(inits) + len(earlier_inits),
            len(lines) + len(earlier),
            len(lines) + len(earlier) + len(inits) + len(earlier_inits),
        }
        reachable = cold + len(earlier) + len(inits) + len(earlier_inits)
        # A count of every invocation since (the current lines alone) is another mistake.
        if counted in whole or (counted <= reachable and counted != len(lines)):
            # Failed Inits' lines are named when the REPORT lines alone can't make the count.
            named = earlier_inits if counted > cold + _colds(earlier) else []
            message = _stale_lines_message(counted, cold, lines, earlier + earlier_inits, named)
            if counted in whole:
                # Learner trial 9 (QD5): `startTime=int(time.time())` reads as January 1970.
                # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
                message += (
                    " If you passed `startTime`, mind its unit: milliseconds since 1970 "
                    "(`int(time.time() * 1000)`); a time in seconds (`int(time.time())`) "
                    "reads as January 1970 and takes in every line of the group."
                )
            raise Incorrect(message)
    which = (
        "the records whose `record.metrics` holds `initDurationMs`"
        if in_json
        else "the lines that carry an `Init Duration` (the `cold` column of `pricing.report_frame`)"
    )
    before = ""
    if shared:
        # Learner trial 9 (QD20): the default group read for a function with its own.
        # https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html
        before = (
            f" `{TICKER}` writes to the log group `{group}` (its `LoggingConfig`'s `LogGroup`), "
            f"not to `/aws/lambda/{TICKER}`: read its lines there."
        )
    right_before = _RIGHT_COUNTS.get(remembered)
    if right_before and right_before[0] == counted and right_before[1] < len(lines):
        # Learner trial 10 (WD6): this count got a ✅ with fewer calls; it is older than them.
        raise Incorrect(
            f"you counted {counted} cold start(s), which was right when `{TICKER}` had "
            f"{right_before[1]} invocations; it has {len(lines)} now, and {cold} of them were "
            f"cold. Your count predates your latest calls: count again after them. Count "
            f"{which}."
        )
    # Learner trial 12 (ID9): the kit stamps log lines with this machine's time
    # (runtime/logs.py), while `aws.advance_clock` moves only the kit's clock, `aws.now()`: a
    # `startTime` taken from `aws.now()` after the clock moved lies after every line. On AWS
    # there is one clock; the ❌ advised a `startTime` before the first call, which it was.
    ahead = (kit().now() - datetime.now(UTC)).total_seconds()
    clocks = (
        " Mind which clock: the kit stamps its log lines with this machine's time "
        "(`time.time()`), and `aws.advance_clock` moves only the kit's clock (`aws.now()`, "
        f"now {ahead / 60:,.0f} minutes ahead of it), so a `startTime` taken from `aws.now()` "
        "lies after every line: take it from `time.time()` (on AWS the two are one clock)."
        if ahead >= 60
        else ""
    )
    # Learner trial 12 (ID13): a stream prefix with a wildcard (`*[$LATEST]`) read nothing.
    # `logStreamNamePrefix` is matched as plain text, its pattern `[^:*]*` (no wildcard):
    # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
    example = found.timed[0][2] if found.timed else f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]..."
    streams_said = (
        " If you narrowed the read to some streams (`logStreamNamePrefix`, `logStreamNames`): "
        f"a stream of `{TICKER}` is named like `{example}`, one per environment, and a prefix "
        "is plain text that must match the start of the name, without wildcards (AWS refuses "
        "`*` and `:` in it): leave it out to read the whole group."
    )
    if counted == 0 and not in_json:
        # Learner trial 10 (WD15): a count of 0 is a read that found none of ticker's lines,
        # whatever the reason; counting AWS's INIT_START lines (learner trial 9, QW1), which
        # the kit doesn't write, is one of them.
        # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
        # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartQuery.html
        raise Incorrect(
            f"you counted 0 cold starts, but the {len(lines)} {reports.replace('(s)', 's')} of "
            f"`{TICKER}` hold {cold}: your read found none of them.{before} Check the log "
            f"group's name (`{group}`: names are case-sensitive) and the time window: a "
            "`startTime` taken before your first call, in milliseconds since 1970 for "
            f"`filter_log_events`, in seconds for Logs Insights' `start_query`.{clocks}"
            f"{streams_said} And "
            "count the REPORT lines: the kit writes no `INIT_START` line (AWS does, first in "
            f"each new environment's stream). Count {which}."
        )
    streams = _cold_in_one_stream(found.timed)
    hints = []
    live = sum(1 for env in kit().environments() if env.get("function") == TICKER)
    if counted == live and counted < cold:
        # Learner trial 11 (CD3): the environments alive now counted (`aws.environments()`);
        # the ❌ said only "read every stream", though the learner had read no log.
        hints.append(
            f"{counted} is how many environments of `{TICKER}` are alive now "
            "(`aws.environments()`, kit-only): the reclaimed ones are gone from that list, "
            "and AWS shows none at all, so it can't count cold starts; its logs keep every one"
        )
    if len(streams) > 1 and counted in streams.values() and counted < cold:
        # Learner trial 10 (WD5): one log stream read (the newest): each execution
        # environment writes a stream of its own, so one holds one environment's calls.
        # https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
        hints.append(
            f"`{TICKER}`'s calls are in {len(streams)} log streams, one per execution "
            f"environment, and one of them holds {counted}: read every stream of the group "
            "(`filter_log_events` over the group, without `logStreamNames`), not one"
        )
    if 0 < counted < cold:
        # Learner trial 12 (ID2): the first page only (`limit`, or a `nextToken` not followed;
        # any count under the true one is that of some first lines): the ❌ named only the
        # first call and a stale count. "If the results include a
        # nextToken, there might be more log events available":
        # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
        hints.append(
            "if you read one page, read them all: `filter_log_events` returns at most `limit` "
            "events a call, and a `nextToken` when more are left; follow it, or use "
            "`logs.get_paginator('filter_log_events')`"
        )
    if counted == cold - 1:
        hints.append("don't forget the very first call: it is a cold start too")
    if 0 < counted < cold and any(_colds(lines[:k]) == counted for k in range(5, len(lines))):
        # Learner trial 9 (QW2): a count made before the latest invocations.
        hints.append(
            f"if you counted before your latest calls, count again: `{TICKER}` has "
            f"{len(lines)} invocations since it was last deployed or updated"
        )
    after = (
        ". " + "; or ".join(hints)[0].upper() + "; or ".join(hints)[1:] + "."
        if len(hints) > 1
        else f", and {hints[0]}."
        if hints
        else "."
    )
    raise Incorrect(
        f"you counted {counted} cold start(s), but the {len(lines)} {reports.replace('(s)', 's')} "
        f"of `{TICKER}` say otherwise.{before} Count {which}{after}"
    )


_TICKER_SOLUTION = """
import time

import boto3
import helpers
from helpers import pricing
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

aws = helpers.start()  # the running local AWS
lam = boto3.client("lambda")
logs = boto3.client("logs")

aws.configure(idle_timeout=600)  # kit-only: the kit's default, which the task expects
try:  # start afresh, whatever an earlier attempt left
    lam.delete_function(FunctionName="ticker")
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="ticker",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": "def handler(event, context):\\n    return 'tick'\\n"})},
)
lam.get_waiter("function_active_v2").wait(FunctionName="ticker")

start = int(time.time() * 1000)  # the log group keeps the lines of an earlier ticker
for gap in [0, 2, 15, 1, 30, 4]:
    aws.advance_clock(minutes=gap)  # kit-only: on AWS, wait
    lam.invoke(FunctionName="ticker")

pages = logs.get_paginator("filter_log_events").paginate(
    logGroupName="/aws/lambda/ticker", filterPattern="REPORT", startTime=start
)
events = [event for page in pages for event in page["events"]]
answer = int(pricing.report_frame(events)["cold"].sum())
"""


# ------------------------------------------------------------------------------ q2: Init
# Learner trial 9 (QD13, QD15, QD16, QD17): the check counted clients in the handler's module
# loaded inside the notebook's process, which differs from an execution environment (no
# AWS_LAMBDA_FUNCTION_NAME, the kit's own `helpers` in sys.modules, a package's relative
# imports broken, a client made on a pool thread missed). It now counts them in a real one:
# a copy of `buckets` whose Handler is this module, shipped in the copy's ZIP beside the
# learner's files. It patches botocore's `Session.create_client` (boto3.client, resource and
# session clients all go through it), then imports the learner's module as AWS's runtime does
# (`importlib.import_module`, with the module path's slashes as dots: awslambdaric's
# bootstrap `_get_handler`), and its handler returns the tally instead of the answer.
_COUNTER_MODULE = "_kit_check_client_count"
_COUNTER_SOURCE = """
import importlib
import os
import sys
import threading

import botocore.session

_HANDLER = {handler!r}
_LOCAL = {local!r}
_tally = {{"init": 0, "calls": [], "foreign_keys": 0, "services": [], "imported": []}}


def _to_local(builtins, **_):
    builtins["SDK::Endpoint"] = _LOCAL


def _documented_s3(made):
    # Whether a client is S3's, made with S3's documented endpoint for its Region (on AWS the
    # same as a plain client): its calls go to the local AWS instead of being stopped.
    from urllib.parse import urlsplit

    meta = made.meta
    if meta.service_model.service_name != "s3":
        return False
    parts = urlsplit(str(meta.endpoint_url or ""))
    region = meta.region_name
    hosts = {{f"s3.{{region}}.amazonaws.com", f"s3.dualstack.{{region}}.amazonaws.com"}}
    if region == "us-east-1":
        hosts.add("s3.amazonaws.com")
    return parts.scheme == "https" and parts.hostname in hosts and parts.path in ("", "/")


_init_threads = set()  # threads started during Init (a pool's workers submitted to there)
_in_init = [True]
_create_client = botocore.session.Session.create_client


def _counted(session, *args, **kwargs):
    made = _create_client(session, *args, **kwargs)
    if _LOCAL and _documented_s3(made):
        made.meta.events.register("before-endpoint-resolution.s3", _to_local)
    thread = threading.current_thread()
    # Init's clients: made while the module loads, or on a thread it started (before the
    # second call: a client that thread makes during a warm call is a call's).
    if _in_init[0] or (thread in _init_threads and len(_tally["calls"]) <= 1):
        _tally["init"] += 1
    else:
        _tally["calls"][-1] += 1
        service = args[0] if args else kwargs.get("service_name")
        _tally["services"][-1].append(str(service))
        # A module's top level running during a call, under this module's handler: a module
        # imported inside the learner's handler.
        frame = sys._getframe(1)
        while frame is not None and frame.f_globals is not globals():
            if frame.f_code.co_name == "<module>":
                break
            frame = frame.f_back
        if frame is not None and frame.f_globals is not globals():
            _tally["imported"].append(str(frame.f_globals.get("__name__")))
    # Keys other than the execution role's (AWS_ACCESS_KEY_ID of the environment).
    credentials = getattr(getattr(made, "_request_signer", None), "_credentials", None)
    key = getattr(credentials, "access_key", None)
    if key and key != os.environ.get("AWS_ACCESS_KEY_ID"):
        _tally["foreign_keys"] += 1
    return made


botocore.session.Session.create_client = _counted
_start = threading.Thread.start


def _recorded_start(self, *args, **kwargs):
    _init_threads.add(self)
    return _start(self, *args, **kwargs)


threading.Thread.start = _recorded_start
try:
    _module_path, _, _name = _HANDLER.rpartition(".")
    _target = getattr(importlib.import_module(_module_path.replace("/", ".")), _name)
finally:
    threading.Thread.start = _start
    _in_init[0] = False


def handler(event, context):
    _tally["calls"].append(0)
    _tally["services"].append([])
    result = _target(event, context)
    return {{"init": _tally["init"], "calls": list(_tally["calls"]),
             "foreign_keys": _tally["foreign_keys"], "services": _tally["services"][-1],
             "imported": _tally["imported"], "result": result}}
"""


@contextlib.contextmanager
def _counting_copy() -> Iterator[str]:
    """A copy of `buckets` (its ZIP, role, layers, settings) that tallies the SDK clients its
    code makes, in Init and in each call, in a real execution environment; deleted after."""
    from .deployed_code import check_copy, function_zip

    config = function_config(BUCKETS)
    handler = config["Handler"]
    code = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(function_zip(BUCKETS))) as original,
        zipfile.ZipFile(code, "w", zipfile.ZIP_DEFLATED) as copied,
    ):
        for item in original.infolist():
            copied.writestr(item, original.read(item.filename))
        counter = _COUNTER_SOURCE.format(handler=handler, local=kit().endpoint_url)
        copied.writestr(f"{_COUNTER_MODULE}.py", counter)
    # check_copy names the copy `<name[:40]>-check-<8 hex>`; its sessions are named from the
    # start, whatever environment the runtime starts for it ahead of the first invoke.
    with (
        _sessions_named(f"{BUCKETS[:40]}-check-", BUCKETS),
        check_copy(
            BUCKETS,
            code=code.getvalue(),
            Handler=f"{_COUNTER_MODULE}.handler",
            Timeout=max(int(config.get("Timeout", 3)), 30),
        ) as copy,
    ):
        yield copy


@contextlib.contextmanager
def _sessions_named(prefix: str, function: str) -> Iterator[None]:
    """While it lasts, the role sessions the runtime makes for the check's copy (a function
    named `prefix` + 8 hex digits) are named
    `function`, as Lambda names the learner's function's: its calls then carry that function's
    `lambda:SourceFunctionArn` and `aws:userid` (`<role id>:<function>`), so a role limited to
    `buckets` by either key allows the copy what it allows `buckets` (learner trial 13, OD11:
    the copy, `buckets-check-...`, was denied; "the lambda:SourceFunctionArn condition key ...
    to verify that calls to your resource come from a specific Lambda function's code",
    https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html). The
    runtime looks `helpers.access.credentials` up at each environment's start."""
    from .. import access

    real = access.credentials

    def credentials(account_id: str, region: str, role_arn: str, session_name: str) -> Any:
        copied = session_name.startswith(prefix) and len(session_name) == len(prefix) + 8
        name = function if copied else session_name
        return real(account_id, region, role_arn, name)

    access.credentials = credentials
    try:
        yield
    finally:
        access.credentials = real


def _client_tally() -> dict[str, Any]:
    """The SDK clients `buckets` makes in Init and in three calls on one environment (the
    first cold, two warm), counted in a real execution environment."""
    with _counting_copy() as copy:
        tally: Any = None
        for _ in range(3):
            run = invoke(copy, {})
            if run.failed:
                raise Incorrect(
                    f"the check runs a copy of `{BUCKETS}` (its code, role and settings) in an "
                    f"execution environment of its own to count the SDK clients it makes, and "
                    f"it failed: {run.error}."
                )
            tally = run.payload
    return tally


# What AWS answers a request signed with a key it doesn't know (a temporary key without its
# session token among them): S3, STS/IAM, and the JSON services.
_UNKNOWN_KEY = ("InvalidAccessKeyId", "InvalidClientTokenId", "UnrecognizedClientException")


def _denied_advice(error: str) -> str:
    """What to change in the role of `buckets` after an AccessDenied: an explicit Deny beats
    every Allow, so a Deny of the action (left from an experiment) is named, not the Allow.
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"""
    if any(code in error for code in _UNKNOWN_KEY):
        # Learner trial 12 (ID7): the role's keys from the environment without its session
        # token. They are temporary credentials, valid only with AWS_SESSION_TOKEN:
        # https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
        # https://docs.aws.amazon.com/STS/latest/APIReference/API_Credentials.html
        return (
            " The keys its client signed with are unknown to AWS. If they are the function's "
            "`AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`: those are its role's temporary "
            "credentials, valid only with their session token, `AWS_SESSION_TOKEN`. Make the "
            "client without keys (`boto3.client('s3')`): boto3 finds all three."
        )
    if "Denied" not in error:
        return ""
    role = role_name_of(BUCKETS)
    iam = client("iam")
    try:
        boundary = iam.get_role(RoleName=role)["Role"].get("PermissionsBoundary") or {}
    except iam.exceptions.NoSuchEntityException:
        # Learner trial 9 (QW5): the role deleted after the function was made.
        return (
            f" Its role, `{role}`, doesn't exist any more: a function whose role is deleted "
            f"has no rights. Make the role again (`execution_role('{role}')`) with a policy "
            f"that allows `{LIST_ACTION}` on `*`."
        )
    if "User: " not in error and "assumed-role/" not in error:
        # Learner trial 10 (WD16): an AccessDenied that names no caller came from a request
        # signed with no credentials (`signature_version=UNSIGNED`): anonymous, and ListBuckets
        # needs an authenticated caller allowed s3:ListAllMyBuckets, whatever the role allows.
        # https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
        return (
            " The error names no caller: the request reached S3 without the credentials of "
            f"`{role}`, unsigned (anonymous), as a client made with "
            "`Config(signature_version=UNSIGNED)` sends it, and ListBuckets needs an "
            "authenticated caller. Make the client without `signature_version` "
            "(`boto3.client('s3')`): it then signs with the role's credentials."
        )
    if "permissions boundary" in error.lower() and boundary:
        # Learner trial 9 (QD7): a boundary limits what the role's policies allow; an action
        # must be allowed by both.
        # https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
        name = str(boundary.get("PermissionsBoundaryArn", "")).rsplit("/", 1)[-1]
        return (
            f" Its role, `{role}`, has a permissions boundary, `{name}`, which doesn't allow "
            f"`{LIST_ACTION}`: a role can do only what both its policies and its boundary "
            "allow. Allow the action in the boundary too, or remove the boundary "
            f"(`iam.delete_role_permissions_boundary(RoleName='{role}')`)."
        )
    if "explicit deny" not in error.lower():  # AWS's words when a Deny decided it
        return f" Its role, `{role}`, must allow `{LIST_ACTION}` on `*`."
    denies = [
        s
        for s in role_statements(role)
        if not s.allows
        and (
            matches(s.actions, LIST_ACTION, fold=True)
            if s.actions is not None
            else not matches(s.not_actions, LIST_ACTION, fold=True)
        )
    ]
    where = ", ".join(dict.fromkeys(s.source or "a policy" for s in denies))
    return (
        f" `{role}` has a Deny statement that covers `{LIST_ACTION}`"
        + (f" (in {where})" if where else "")
        + ": an explicit Deny beats every Allow, so adding a policy that allows it can't help. "
        "Remove that Deny (`iam.delete_role_policy`, or `iam.detach_role_policy` for a managed "
        "policy): what no statement allows is denied already."
    )


# Learner trial 12 (ID10): a client given S3's documented endpoint for a Region,
# `https://s3.<region>.amazonaws.com` (https://docs.aws.amazon.com/general/latest/gr/s3.html),
# works on AWS as a plain client does; the kit's guard stops it in the learner's function
# (RealAWSBlocked), so the check then runs a copy whose counting module sends such a client's
# calls to the local AWS (a `before-endpoint-resolution` hook, as nb09's check does for
# Lambda's endpoint). Any other real endpoint stays stopped.
_DOCUMENTED_S3 = re.compile(
    r"stopped a request to https://(s3\.(dualstack\.)?[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com"
    r"|s3\.amazonaws\.com)/"
)


class _DocumentedEndpoint(Exception):
    """`buckets` was stopped calling S3's documented endpoint, which works on AWS."""


def _count_of(run: Any) -> int:
    if run.failed and "RealAWSBlocked" in run.error and _DOCUMENTED_S3.search(run.error):
        raise _DocumentedEndpoint
    if run.failed:
        # Learner trial 12 (IW7): an error that ends with a full stop got a second one.
        error = run.error.rstrip(".")
        raise Incorrect(f"invoking `{BUCKETS}` failed: {error}.{_denied_advice(run.error)}")
    body = run.payload
    if not isinstance(body, dict) or "count" not in body:
        raise Incorrect(
            f"`{BUCKETS}` returned {body!r}; it should return a dict such as {{'count': 3}}."
        )
    count = body["count"]
    if isinstance(count, bool) or not isinstance(count, int):
        raise Incorrect(
            f"`{BUCKETS}` returned {{'count': {count!r}}}: the count should be a number "
            f"(an int, such as 3), not {type(count).__name__}. Return `len(...)` itself."
        )
    return count


# Learner trial 10 (WD17): ListBuckets returns one page of `MaxBuckets` buckets at most, with
# a ContinuationToken for the rest; https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
_ONE_PAGE = (
    "`list_buckets(MaxBuckets=...)` returns one page of that many buckets at most: follow its "
    "`ContinuationToken` (or use `s3.get_paginator('list_buckets')`), or leave `MaxBuckets` out"
)


# Learner trial 11 (CD23): the kit's `list_directory_buckets` lists general purpose buckets
# too; AWS lists only directory buckets (S3 Express One Zone, named `...--x-s3`): "Returns a
# list of all Amazon S3 directory buckets owned by the authenticated sender"
# https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListDirectoryBuckets.html
# A handler that adds them to `list_buckets` counts each general bucket twice here, and right
# on AWS: the check counts it as AWS would.
DIRECTORY_LIST = "list_directory_buckets"


def _lists_directory_buckets() -> bool:
    """Whether the code of `buckets` calls `list_directory_buckets`."""
    from .deployed_code import function_zip

    with zipfile.ZipFile(io.BytesIO(function_zip(BUCKETS))) as archive:
        return any(
            DIRECTORY_LIST in archive.read(item).decode("utf-8", errors="replace")
            for item in archive.namelist()
            if item.endswith(".py")
        )


def _misdirected() -> int:
    """How many general purpose buckets the kit's `list_directory_buckets` lists now (AWS
    lists none of them there)."""
    from botocore.exceptions import BotoCoreError, ClientError

    s3 = client("s3")
    try:
        listed = s3.list_directory_buckets()["Buckets"]
    except (BotoCoreError, ClientError):  # a kit without the call: nothing to correct
        return 0
    return sum(not str(b.get("Name", "")).endswith("--x-s3") for b in listed)


def _counted_as_on_aws(run: Any, directory: bool) -> int:
    """The count of `buckets`, less the general buckets the kit's `list_directory_buckets`
    lists too, when its code calls it and its count is doubled by exactly them."""
    got = _count_of(run)
    if directory:
        extra = _misdirected()
        if extra and got == len(client("s3").list_buckets()["Buckets"]) + extra:
            return got - extra
    return got


def _invoke_buckets(copy: str | None) -> Any:
    """An invoke of `buckets`, or of its counting `copy` (its payload then the handler's)."""
    if copy is None:
        return invoke(BUCKETS, {})
    run = invoke(copy, {})
    if run.failed or not isinstance(run.payload, dict):
        return run
    return dataclasses.replace(run, payload=run.payload.get("result"))


def _check_count_follows_buckets(copy: str | None = None) -> None:
    """The count must follow the account's buckets: the check adds some of its own, first in
    the function's Region, then one in another. With `copy`, its counting copy is invoked."""
    s3 = client("s3")
    before = len(s3.list_buckets()["Buckets"])
    directory = _lists_directory_buckets()
    got = _counted_as_on_aws(_invoke_buckets(copy), directory)
    if got != before:
        page = f" If it passes `MaxBuckets`: {_ONE_PAGE}." if 0 < got < before else ""
        raise Incorrect(
            f"`{BUCKETS}` returned {{'count': {got!r}}}, but `s3.list_buckets()` lists {before} "
            f"bucket(s).{page}"
        )
    # Three at least: a count capped at a few buckets (`MaxBuckets=1`) can't pass by chance. First
    # in the function's own Region: a count that moves by fewer than were added stops at a
    # page (learner trial 10, WD17).
    home = [check_id("q2-bucket") for _ in range(random.randint(3, 5))]
    # Then one in another Region: `list_buckets` lists the buckets of every Region, and a
    # count kept to the function's own (`BucketRegion`) misses it (learner trial 9, QD14).
    # https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
    away = check_id("q2-bucket")
    elsewhere = "eu-west-1" if kit().region != "eu-west-1" else "us-west-2"
    try:
        for name in home:
            s3.create_bucket(Bucket=name)
        got_home = _counted_as_on_aws(_invoke_buckets(copy), directory)
        s3.create_bucket(Bucket=away, CreateBucketConfiguration={"LocationConstraint": elsewhere})
        got = (
            _counted_as_on_aws(_invoke_buckets(copy), directory)
            if got_home == before + len(home)
            else None
        )
    finally:
        for name in [*home, away]:
            with contextlib.suppress(Exception):
                s3.delete_bucket(Bucket=name)
    if got is None:
        if before < got_home < before + len(home):
            raise Incorrect(
                f"after the check created {len(home)} more bucket(s), `{BUCKETS}` returned "
                f"{{'count': {got_home!r}}} instead of {before + len(home)}: the count rose, "
                f"but stopped at {got_home}. {_ONE_PAGE[0].upper()}{_ONE_PAGE[1:]}."
            )
        page = (
            f" If it passes `MaxBuckets` of {got_home}: {_ONE_PAGE}."
            if got_home == before > 0
            else ""
        )
        raise Incorrect(
            f"after the check created {len(home)} more bucket(s), `{BUCKETS}` returned "
            f"{{'count': {got_home!r}}} instead of {before + len(home)}: count the buckets that "
            f"`list_buckets()` returns at each invocation, don't hard-code or keep the number."
            f"{page}"
        )
    total = before + len(home) + 1
    if got == total - 1:
        raise Incorrect(
            f"after the check created {len(home) + 1} more bucket(s), the last of them in "
            f"`{elsewhere}`, `{BUCKETS}` returned {{'count': {got!r}}} instead of {total}: your "
            f"count misses the bucket in `{elsewhere}`. `list_buckets()` lists the account's "
            "buckets of every Region; `BucketRegion` limits it to one. Count them all."
        )
    if got != total:
        raise Incorrect(
            f"after the check created {len(home) + 1} more bucket(s), `{BUCKETS}` returned "
            f"{{'count': {got!r}}} instead of {total}: count the buckets that "
            "`list_buckets()` returns at each invocation, don't hard-code or keep the number."
        )


def _check_client_in_init() -> str:
    function_config_here(BUCKETS)
    # A function "paused" with a reserved concurrency of 0 is throttled at every invoke, as on
    # AWS (learner trial 9, QD19).
    require_not_paused(BUCKETS)
    endpoint_note = ""
    try:
        _check_count_follows_buckets()
    except _DocumentedEndpoint:
        with _counting_copy() as copy:
            _check_count_follows_buckets(copy)
        endpoint_note = (
            f" A note: `{BUCKETS}` gives its S3 client S3's own endpoint for its Region "
            "(`endpoint_url='https://s3.<region>.amazonaws.com'`): on AWS a plain "
            "`boto3.client('s3')` uses that one too, so it works there; the kit stopped it in "
            f"`{BUCKETS}` (its functions talk to the local AWS only), and the check ran a copy "
            "that sends those calls to the local AWS. Leaving `endpoint_url` out does the same "
            "on AWS and in the kit."
        )
    _require_own_role()
    # AWS: initialise SDK clients outside the handler, so that the execution environment's
    # later invocations reuse them.
    # https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html
    # By behaviour, in a real execution environment: Init, then a cold call and two warm ones.
    tally = _client_tally()
    calls = tally["calls"]
    if tally.get("foreign_keys"):
        # Learner trial 9 (QD9): keys written into the code instead of the execution role.
        # "The execution role provides the Lambda function with the credentials it needs":
        # https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
        role = role_name_of(BUCKETS)
        raise Incorrect(
            f"`{BUCKETS}` makes its S3 client with access keys of its own, not with the "
            f"credentials of its execution role, `{role}`: keys written into the code (or its "
            "settings) are long-term secrets anyone who reads the package can use, and AWS "
            "advises against them. Make the client without keys (`boto3.client('s3')`): it "
            f"then takes the role's. `{role}` must allow `{LIST_ACTION}` on `*`."
        )
    if calls[-1] > 0:
        # Learner trial 10 (WW4): which services' clients, so that a learner whose S3 client
        # is at module level sees which one is meant.
        services = ", ".join(f"`{name}`" for name in dict.fromkeys(tally.get("services") or []))
        which = f" ({services})" if services else ""
        raise Incorrect(
            f"`{BUCKETS}` creates {calls[-1]} SDK client(s){which} in every invocation, warm "
            "ones included: the handler runs that code at each request. Create every client in "
            "Init, at module level (directly or through a function you call there), and only "
            "use it in the handler."
        )
    if calls[0] > 0 and (imported := list(dict.fromkeys(tally.get("imported") or []))):
        # Learner trial 12 (ID6): the client at the top level of a helper module that the
        # handler imports inside itself: the ❌ said "create it at module level", which it was.
        # Init runs the handler's module's top level, its imports included:
        # https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
        named = ", ".join(f"`{name}`" for name in imported)
        raise Incorrect(
            f"`{BUCKETS}` creates its client in its first invocation, not in Init: the client "
            f"is made at the top level of {named}, but the handler imports it inside itself, "
            "so that import, and the client with it, runs at the first request. Import it at "
            "the top of the handler's module, so that Init runs it."
        )
    if calls[0] > 0:
        raise Incorrect(
            f"`{BUCKETS}` creates its client in its first invocation (lazily), not in Init: "
            "that request waits for it instead of Init. Create it at module level, so that "
            "Init makes it."
        )
    if tally["init"] == 0:
        raise Incorrect(
            f"`{BUCKETS}` creates no SDK client in Init: make the S3 client at module level, "
            "above the handler."
        )
    return (
        f"`{BUCKETS}` follows the account's buckets, and makes its S3 client in Init: once per "
        f"execution environment. Its warm invocations reuse it.{_broad_role_note()}"
        f"{endpoint_note}"
    )


def _require_own_role() -> None:
    """Incorrect when the role of `buckets` is another function's too: the task gives it "a
    role of its own", and a policy added to a shared role gives its rights to every function
    that uses it. "Apply least-privilege permissions":
    https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    Learner trial 11 (CD6): the notebook's `role_arn`, widened, passed without a word."""
    lam = client("lambda")
    role_arn = function_config(BUCKETS)["Role"]
    sharing = [
        f["FunctionName"]
        for page in lam.get_paginator("list_functions").paginate()
        for f in page["Functions"]
        if f["Role"] == role_arn
        and f["FunctionName"] != BUCKETS
        and f"{BUCKETS}-check-" not in f["FunctionName"]  # the check's own copies
    ]
    if not sharing:
        return
    role = role_arn.rsplit("/", 1)[-1]
    names = ", ".join(f"`{name}`" for name in sharing[:5]) + (", ..." if len(sharing) > 5 else "")
    raise Incorrect(
        f"`{BUCKETS}` works, but its role, `{role}`, is also the role of {len(sharing)} other "
        f"function(s) ({names}): what you allowed it for `{BUCKETS}` "
        f"(`{LIST_ACTION}`) they are allowed too, though they don't need it. The task gives "
        f"`{BUCKETS}` a role of its own: make one (`execution_role('buckets-role')` with an "
        "inline policy that allows the action), give it to the function "
        "(`lam.update_function_configuration(FunctionName='buckets', Role=...)`), and take "
        f"back from `{role}` what you added to it."
    )


def _broad_role_note() -> str:
    """A note for the ✅ when the role allows more than the handler needs (learner trial 9,
    QW4): the task asks only that it allow what the handler calls; least privilege is 11b's."""
    role = role_name_of(BUCKETS)
    needed = [(LIST_ACTION, "*")]
    directory = _lists_directory_buckets()
    if directory:  # ListDirectoryBuckets needs s3express:ListAllMyDirectoryBuckets
        needed.append(("s3express:ListAllMyDirectoryBuckets", "*"))
    extra = excess_rights(role_statements(role), needed)
    kit_note = (
        " A note: the kit's `list_directory_buckets` lists general purpose buckets too, so "
        f"here `{BUCKETS}` counts each of them twice; AWS lists only directory buckets there "
        "(S3 Express One Zone), and the check counted as AWS would."
        if directory and _misdirected()
        else ""
    )
    if not extra:
        return kit_note
    return (
        f" A note: `{role}` allows more than `{BUCKETS}` needs ({'; '.join(extra[:3])}). "
        f"It works, but least privilege (notebook 11b) would allow only `{LIST_ACTION}` "
        "(beside writing its logs)."
    ) + kit_note


_BUCKETS_SOLUTION = f'''
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

source = """
{apps.source("nb07_buckets")}"""
# The handler lists the account's buckets: s3:ListAllMyBuckets, nothing else.
# A name of its own: the notebook's `role_arn` (the role `deploy` gives every function) is
# left as it is (learner trial 13, OD14).
buckets_role_arn = execution_role("buckets-role")
iam = boto3.client("iam")
iam.put_role_policy(
    RoleName="buckets-role",
    PolicyName="list-buckets",
    PolicyDocument=json.dumps({{
        "Version": "2012-10-17",
        "Statement": [{{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}}],
    }}),
)
# Nothing else: remove the policies an earlier attempt left (a Deny would beat the Allow).
for name in iam.list_role_policies(RoleName="buckets-role")["PolicyNames"]:
    if name != "list-buckets":
        iam.delete_role_policy(RoleName="buckets-role", PolicyName=name)
for attached in iam.list_attached_role_policies(RoleName="buckets-role")["AttachedPolicies"]:
    if attached["PolicyName"] != "AWSLambdaBasicExecutionRole":
        iam.detach_role_policy(RoleName="buckets-role", PolicyArn=attached["PolicyArn"])
if "PermissionsBoundary" in iam.get_role(RoleName="buckets-role")["Role"]:
    iam.delete_role_permissions_boundary(RoleName="buckets-role")  # it would limit the Allow
lam = boto3.client("lambda")
try:  # start afresh, whatever an earlier attempt left
    lam.delete_function(FunctionName="buckets")
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="buckets",
    Runtime="python3.13",
    Role=buckets_role_arn,
    Handler="app.handler",
    Code={{"ZipFile": zip_bytes({{"app.py": source}})}},
)
lam.get_waiter("function_active_v2").wait(FunctionName="buckets")
'''


notebook_07a = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Deploy `ticker` and invoke it at least 5 times, moving the kit's clock between "
            "calls so that some find a warm environment and some a reclaimed one. Then count, "
            "from its logs, how many invocations were cold starts: `q1.check(answer)`."
        ),
        checker=_check_07a_count,
        hint_text=(
            "A cold start's REPORT line carries an `Init Duration`; `pricing.report_frame` "
            "turns the lines into a table with a `cold` column. Read every page of "
            "`filter_log_events`, and only what this `ticker` wrote: the log group keeps the lines "
            "of a deleted function, and of its earlier code."
        ),
        solution_code=_TICKER_SOLUTION,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "Deploy `buckets`: it returns `{'count': <number of S3 buckets>}`, and makes its S3 "
            "client once per execution environment, in Init, not in every invocation."
        ),
        checker=_check_client_in_init,
        hint_text=(
            "Which code of a module runs once per execution environment, and which runs at "
            "every request? Make the client in the first, use it in the second, and count the "
            "buckets afresh at each request."
        ),
        solution_code=_BUCKETS_SOLUTION,
    ),
)
