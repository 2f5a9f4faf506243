"""Notebook 10's exercises: metrics computed from the logs, and a custom metric sent with EMF."""

from __future__ import annotations

import contextlib
import decimal
import io
import json
import math
import numbers
import random
import re
import zipfile
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from .core import Exercise, Incorrect
from .harness import (
    Invocation,
    check_id,
    client,
    function_config,
    invocation_log,
    invoke,
    kit,
    role_allows,
    role_name_of,
    role_statements,
    wait_until,
)


def _unhandled_error(message: str) -> bool:
    """True for the runtime's record of an exception the handler let out (text or JSON)."""
    if message.startswith("[ERROR] "):  # "[ERROR] Type: message", then the traceback
        return True
    if message.startswith("{") and '"errorType"' in message:
        try:
            record = json.loads(message)
        except ValueError:
            return False
        return record.get("level") == "ERROR" and "stackTrace" in record and "message" not in record
    return False


# ------------------------------------------------------------------- q1: metrics from the logs
INVENTORY_SOURCE = """
import time

time.sleep(0.05)  # loading the stock list: part of every cold start's Init Duration


def handler(event, context):
    count = event["count"]
    time.sleep(0.001 * (count % 20))  # bigger counts take longer
    if count % 7 == 0:
        raise ValueError(f"count {count} is out of stock")
    return {"reserved": count}
"""


def _number(value: Any, what: str) -> float:
    # A Decimal is a number too (DynamoDB hands numbers back as Decimals, notebook 09), though
    # not a numbers.Real (learner trial 10, XD7): its exact value is judged like a float's.
    if isinstance(value, decimal.Decimal):
        nan = value.is_nan()  # float() of a signaling NaN raises
    else:
        nan = isinstance(value, numbers.Real) and math.isnan(value)
    exact = isinstance(value, numbers.Real | decimal.Decimal)
    if isinstance(value, bool) or not exact or nan:
        raise Incorrect(f"`{what}` should be a number, not {type(value).__name__} {value!r}.")
    return float(value)


def _events_of(name: str, request_ids: list[str]) -> list[dict[str, Any]]:
    """The log events of these invocations only, as `filter_log_events` gives them: from each
    one's START line to its REPORT line, the invocations in the order they ran (the order of
    the notebook's `log_events`, whose streams come as their environments were created)."""
    logs = client("logs")
    group = f"/aws/lambda/{name}"
    wanted = set(request_ids)
    found: dict[str, list[dict[str, Any]]] = {}
    streams = logs.get_paginator("describe_log_streams").paginate(logGroupName=group)
    for stream in (s["logStreamName"] for page in streams for s in page["logStreams"]):
        pages = logs.get_paginator("filter_log_events").paginate(
            logGroupName=group, logStreamNames=[stream]
        )
        current = None
        for event in (e for page in pages for e in page["events"]):
            message = event["message"]
            if message.startswith("START RequestId: "):
                rid = message.split()[2]
                current = rid if rid in wanted else None
            if current is not None:
                found.setdefault(current, []).append(event)
            if message.startswith("REPORT RequestId: "):
                current = None
    return [event for rid in request_ids for event in found.get(rid, [])]


# Cold starts in each batch of the check's traffic. Each adds a REPORT figure above every
# Duration twice (Init Duration, and a Billed Duration that includes it), so that a p90 taken
# over every number after "Duration: " on the line lands far above the Durations' own (with 21
# to 24 calls, the mixed list's 90th percentile is among its top 7 figures).
COLD_STARTS = 6

# How many calls a batch makes: never a multiple of 10, where 0.9 n is a whole number and the
# value one rank above the nearest rank (`sorted(d)[math.ceil(0.9 * n)]`, a 1-based rank used
# as a 0-based index) is numpy's "higher" method's: with 21 to 24 calls it is none of them.
MIN_CALLS, MAX_CALLS = 21, 24

# The check's traffic sleeps `count % 20` ms in the inventory's handler (the notebook's code):
# three calls 12 ms and one 19 ms, and those four slowest calls FAIL (counts that are multiples
# of 7). Sorted by Duration, 21 to 24 calls put the 90th percentile of every usual method
# (0-based ranks 0.9n-1 to 0.9n-0.1) among the 4th to 2nd slowest: the 12 ms failures. A p90 of
# the successful invocations only falls among the fast calls (only fast calls succeed), about
# ten times lower.
TAIL_SLEEP, TOP_SLEEP = 12, 19
TAIL_CALLS = 3
SLOW_CALLS = TAIL_CALLS + 1
# The last LAST_FAST calls sleep 0 ms (the fast failures among them), the other fast calls 1 ms
# and succeed: the 90% of the Durations taken in the log's order (unsorted) falls on the
# last calls, at 0 ms, apart from the sorted list's 90th percentile (12 ms) and from that of
# the successful invocations only (the slowest of them sleep 1 ms).
LAST_FAST = 5


def _fresh_environments(name: str) -> None:
    """Make the next invocation of `name` a cold start, as any configuration update does."""
    lam = client("lambda")
    lam.update_function_configuration(
        FunctionName=name, Environment={"Variables": {"STOCK_LIST": random.randbytes(4).hex()}}
    )
    lam.get_waiter("function_updated_v2").wait(FunctionName=name)


def _traffic(name: str, calls: int, errors: int) -> list[dict[str, Any]]:
    """`calls` invocations of the check's inventory, `errors` of which fail; their log events.

    The counts shape the Durations (see TAIL_SLEEP and LAST_FAST): the SLOW_CALLS slowest
    calls fail, the errors beyond them are among the last LAST_FAST calls, and COLD_STARTS of
    the calls before those start cold, with an Init Duration of over 50 ms. Some of the
    TAIL_CALLS failures share a count, so their `[ERROR]` lines say the same thing; two of
    those run one after the other in the same environment, writing to the same log stream.
    """

    def counts(sleep: int, failing: bool, k: int) -> list[int]:
        pool = [n for n in range(1, 1400) if n % 20 == sleep and (n % 7 == 0) == failing]
        return random.sample(pool, k)

    def repeated(sleep: int, k: int) -> list[int]:
        """k failing counts, one or more of them twice: two invocations that fail with the
        same message are two errors (an answer counting distinct messages undercounts)."""
        distinct = counts(sleep, True, random.randint(1, k - 1))
        return distinct + random.choices(distinct, k=k - len(distinct))

    fast_errors = errors - SLOW_CALLS
    head = (
        counts(TOP_SLEEP, True, 1)
        + repeated(TAIL_SLEEP, TAIL_CALLS)
        + counts(1, False, calls - LAST_FAST - SLOW_CALLS)
    )
    last = counts(0, True, fast_errors) + counts(0, False, LAST_FAST - fast_errors)
    random.shuffle(head)
    random.shuffle(last)
    # Two failures with the same message run one after the other, with no cold start between:
    # in the same environment, they write identical `[ERROR]` lines to the same log stream
    # (an answer that drops "duplicate" events by stream and message undercounts every time).
    twice = next(c for c in head if head.count(c) > 1)
    first = head.index(twice)
    head.remove(twice)
    head.remove(twice)
    head[first:first] = [twice, twice]
    chosen = head + last
    # The last stay at 0 ms; the second of the pair starts no environment.
    cold = set(random.sample([p for p in range(calls - LAST_FAST) if p != first + 1], COLD_STARTS))
    ids = []
    for position, count in enumerate(chosen):
        if position in cold:
            _fresh_environments(name)
        ids.append(invoke(name, {"count": count}).request_id)
    events = _events_of(name, ids)
    started_cold = sum("\tInit Duration: " in e["message"] for e in events)
    if started_cold < COLD_STARTS:  # the figures would not stay apart: a fault of the kit's
        raise RuntimeError(f"{started_cold} of the check's {COLD_STARTS} cold starts happened")
    return _as_on_aws(events)


# Learner trial 11 (DD15): the lines AWS's Python runtime writes besides the kit's. Before each
# `[ERROR]` line of an exception the handler lets out, the runtime interface client logs this
# warning (awslambdaric's lambda_literals.py and bootstrap.py, `handle_event_request`:
# `log_sink.log(lambda_unhandled_exception_warning_message, ...)`, then `log_error(...)`); each
# new execution environment's log begins with an INIT_START line naming the runtime version
# ("check the runtime version in the INIT_START log entry",
# https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html). The kit's runtime writes
# neither, so the check adds them to the events it passes, as `filter_log_events` returns
# them on AWS: an answer counting the warnings is judged as on AWS, and one counting every line
# but START/END/REPORT as errors counts these too, as it would there.
LAMBDA_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function "
    "code. However, in rare cases, a Lambda runtime update can cause unexpected function "
    "behavior. For functions using managed runtimes, runtime updates can be triggered by a "
    "function change, or can be applied automatically. To determine if the runtime has been "
    "updated, check the runtime version in the INIT_START log entry. If this error correlates "
    "with a change in the runtime version, you may be able to mitigate this error by "
    "temporarily rolling back to the previous runtime version. For more information, see "
    "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r"
)


def _init_start() -> str:
    """An INIT_START line as AWS writes it for python3.13 (the form the runtimes-update page
    shows: `INIT_START Runtime Version: python:3.9.v14\tRuntime Version ARN: arn:aws:lambda:
    <region>::runtime:<64 hex digits>`)."""
    import hashlib

    digest = hashlib.sha256(b"python:3.13.v31").hexdigest()
    return (
        f"INIT_START Runtime Version: python:3.13.v31\tRuntime Version ARN: "
        f"arn:aws:lambda:{kit().region}::runtime:{digest}"
    )


def _as_on_aws(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """These events with AWS's LAMBDA_WARNING and INIT_START lines where the kit wrote none."""
    if any(e["message"].startswith(("LAMBDA_WARNING", "INIT_START")) for e in events):
        return events  # the runtime writes them itself
    cold = {
        e["message"].split()[2]
        for e in events
        if e["message"].startswith("REPORT ") and "\tInit Duration: " in e["message"]
    }
    out: list[dict[str, Any]] = []
    for event in events:
        message = event["message"]
        if message.startswith("START RequestId: ") and message.split()[2] in cold:
            out.append({**event, "message": _init_start(), "eventId": f"{event['eventId']}-init"})
        if message.startswith("[ERROR] "):
            out.append({**event, "message": LAMBDA_WARNING, "eventId": f"{event['eventId']}-warn"})
        out.append(event)
    return out


_P = 0.9


# numpy's thirteen ways of taking a quantile (numpy.quantile's `method`): pandas' `quantile`
# and `statistics.quantiles` give some of the same ones.
_NUMPY_METHODS = (
    "linear",  # first: figures.linear, the figure a message quotes
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "median_unbiased",
    "normal_unbiased",
    "lower",
    "higher",
    "midpoint",
    "nearest",
)


def _p90s(values: list[float]) -> list[float]:
    """What the usual ways of taking a 90th percentile give on these values, in this order
    (the caller sorts them, or not, to see what an unsorted list gives): the linear method
    (pandas' and numpy's default, `statistics.quantiles(method="inclusive")`) first, then
    numpy's other twelve methods (among them `statistics.quantiles`' default, weibull; the
    nearest rank, inverted_cdf; lower, higher, nearest, midpoint), then scipy's `mquantiles`
    (m = 0.4 + 0.2p). Each one's exact value, and no other: a figure one rank above them all
    (`sorted(d)[math.ceil(0.9 * n)]`, a 1-based rank used as a 0-based index) is none of them.
    """
    import numpy as np

    n = len(values)
    if not n:
        return []

    def at(rank: float) -> float:
        rank = min(max(rank, 0.0), n - 1.0)
        low = min(math.floor(round(rank, 9)), n - 1)
        high = min(low + 1, n - 1)
        return values[low] + (rank - low) * (values[high] - values[low])

    # Each method's 0-based (virtual) rank, as numpy computes it: its quantile of the ranks
    # themselves. The values are then read at that rank, in the order given.
    ranks = np.arange(n, dtype=float)
    found = [float(np.quantile(ranks, _P, method=method)) for method in _NUMPY_METHODS]
    found.append(n * _P + 0.4 + 0.2 * _P - 1)  # scipy.stats.mstats.mquantiles' default
    return [at(rank) for rank in found]


def _rank_above(values: list[float]) -> list[float]:
    """The value one rank above every method's: the 1-based nearest rank ceil(0.9 n) used as a
    0-based index (`sorted(d)[math.ceil(0.9 * len(d))]`), when the list has one there."""
    index = math.ceil(round(len(values) * _P, 9))
    return [values[index]] if index < len(values) else []


_TOLERANCE_MS = 0.006  # REPORT lines state Durations to 0.01 ms: a p90 rounded to 0.01 passes


def _near(value: float, values: list[float]) -> bool:
    return any(abs(value - v) <= _TOLERANCE_MS for v in values)


def _failed_ids(events: list[dict[str, Any]]) -> set[str]:
    """The request ids of the invocations whose handler let an exception out."""
    failed, current = set(), None
    for event in events:
        message = event["message"]
        if message.startswith("START RequestId: "):
            current = message.split()[2]
        elif current is not None and _unhandled_error(message):
            failed.add(current)
    return failed


def _figures(events: list[dict[str, Any]]) -> SimpleNamespace:
    """What the check knows of these events: invocations, errors, the p90s of the usual
    methods, and the p90s each known mistake gives."""
    from ..pricing import report_frame

    reports = report_frame(events)
    durations = [float(d) for d in reports["duration_ms"]]
    failed = _failed_ids(events)
    ok = [
        float(d)
        for rid, d in zip(reports["request_id"], reports["duration_ms"], strict=True)
        if rid not in failed
    ]
    right = _p90s(sorted(durations))
    mixed = [
        float(value)
        for e in events
        if e["message"].startswith("REPORT ")
        for value in re.findall(r"Duration: ([\d.]+)", e["message"])
    ]
    mean = float(reports["duration_ms"].mean())
    mistakes = {  # name -> the p90_ms values it gives (_wrong_p90 says what each is)
        "mean": [mean],
        "billed": _p90s(sorted(float(b) for b in reports["billed_ms"])),
        "mixed": _p90s(sorted(mixed)),
        "successes": _p90s(sorted(ok)),
        "whole": _p90s(sorted(float(math.floor(d)) for d in durations))
        + _p90s(sorted(float(round(d)) for d in durations))
        + [float(f(v)) for v in right for f in (math.floor, round)],
        "unsorted": _p90s(durations),
        "max": [max(durations)],
        "rank_above": _rank_above(sorted(durations)),
    }
    return SimpleNamespace(
        calls=len(durations),
        errors=sum(_unhandled_error(e["message"]) for e in events),
        # what counting each different error once gives (by first line, or by whole message)
        distinct_errors={
            len({e["message"].split("\n")[0] for e in events if _unhandled_error(e["message"])}),
            len({e["message"] for e in events if _unhandled_error(e["message"])}),
        },
        # what dropping "duplicate" events (the same message in the same log stream) leaves
        per_stream_errors=len(
            {
                (e.get("logStreamName"), e["message"])
                for e in events
                if _unhandled_error(e["message"])
            }
        ),
        lines=len(events),
        warnings=sum(e["message"].startswith("LAMBDA_WARNING: ") for e in events),
        other_lines=sum(not e["message"].startswith(("START ", "END ", "REPORT ")) for e in events),
        failed=len(failed),
        mean=mean,
        right=right,
        linear=right[0],
        mistakes=mistakes,
    )


def _rounded_from(p90: float, right: list[float]) -> tuple[float, int] | None:
    """(a method's exact p90, decimals) when this p90 is that value rounded to 1 or 0 decimals."""
    # A tenth first: a p90 rounded to 0.1 ms can be whole too (13.04 -> 13.0), and is then
    # named with both (the figure was named "whole milliseconds" only: CI, stop 26).
    for places in (1, 0):  # a whole p90: rounded to whole ms, or Durations cut (both named)
        for exact in right:
            if abs(round(exact, places) - p90) < 1e-6 and not _near(p90, [exact]):
                return exact, places
    return None


def _wrong_p90(p90: float, figures: SimpleNamespace, label: str) -> str:
    """Why this p90_ms, none of the usual methods' 90th percentiles of the Durations, is wrong.

    When the invocations happen to give two known mistakes the same figure, both are named:
    the learner's is one of them.
    """
    said = f"for {label}, your p90_ms ({p90:g})"
    mistakes = figures.mistakes
    reasons = []
    if math.isclose(p90, figures.mean, rel_tol=0.01):
        reasons.append(
            "is the average Duration. The 90th percentile is the Duration that 90% of "
            "the invocations stay under: the slow tail the average hides."
        )
    billed, mixed = _near(p90, mistakes["billed"]), _near(p90, mistakes["mixed"])
    if billed:
        also = (
            " (or of every number after `Duration: ` on the line, Billed and Init included)"
            if mixed
            else ""
        )
        reasons.append(
            f"is the 90th percentile of the Billed Duration{also}. Take the `Duration` "
            "field of each REPORT line (how long the handler ran) instead."
        )
    elif mixed:
        reasons.append(
            "mixes every number after `Duration: ` in the REPORT lines: `Billed "
            "Duration` and `Init Duration` too. Take only the `Duration` field (`\\tDuration: `, "
            "or `pricing.report_frame(events)`)."
        )
    if _near(p90, mistakes["successes"]):
        reasons.append(
            f"is the 90th percentile of the successful invocations only: {figures.failed} "
            f"of the {figures.calls} failed, the check's slowest calls among them. The failed "
            "invocations count too: they ran, for as long as their REPORT line says, and "
            "CloudWatch's `Duration` metric counts every invocation, failed or not. Take the "
            "Duration of every REPORT line."
        )
    # Learner trial 10 (XD8): a method's exact p90 rounded to a tenth (or a whole) of a
    # millisecond. Durations cut to whole ms can give the same figure by interpolation
    # (18 + 0.9 x (19 - 18)): then both are named.
    rounded = _rounded_from(p90, figures.right)
    if rounded is not None:
        exact, places = rounded
        to = "0.1 ms" if places else "whole milliseconds"
        if places and abs(round(exact) - p90) < 1e-6:
            to = "0.1 ms (or to whole milliseconds: here both give the same)"
        reasons.append(
            f"is a 90th percentile rounded to {to}"
            f" ({exact:.2f} ms rounds to {p90:g}). REPORT lines give Durations to the "
            "hundredth of a millisecond, and the check compares to the hundredth: don't round "
            "(or round to 2 decimals)."
        )
    if _near(p90, mistakes["whole"]):
        reasons.append(
            # Learner trial 13 (PW6): Durations rounded each can give the same figure.
            "is the 90th percentile of the Durations cut (or rounded) to whole milliseconds. "
            "REPORT lines give them to the hundredth (`Duration: 12.34 ms`): read them with "
            "`float(...)` and keep the decimals (no `int(...)`, no `round(...)`)."
        )
    if _near(p90, mistakes["unsorted"]):
        reasons.append(
            "is the Duration found at 90% of the list in the order of the log, not "
            "of the Durations sorted from the fastest: sort them before you take the one at 90% "
            "(or let `quantile(0.9)` do it)."
        )
    if _near(p90, mistakes.get("rank_above", [])):
        rank = math.ceil(round(figures.calls * _P, 9))
        reasons.append(
            f"is the Duration at index {rank} of the {figures.calls} sorted ones, one place "
            "above the 90th percentile of every usual method. The nearest rank, ceil(0.9 × "
            f"{figures.calls}) = {rank}, counts from 1, and a Python list from 0: the Duration "
            f"at that rank is `sorted(durations)[{rank - 1}]`, i.e. "
            "`sorted(durations)[math.ceil(0.9 * len(durations)) - 1]`."
        )
    if _near(p90 * 1000, figures.right):  # Learner trial 11 (DW4): seconds, not ms
        reasons.append(
            f"is the 90th percentile in seconds: {p90 * 1000:.2f} ms is right, 1,000 times "
            "more. REPORT lines state Durations in milliseconds (`Duration: 12.34 ms`), and "
            "`p90_ms` is in milliseconds too: don't divide by 1,000."
        )
    if len(reasons) == 1:
        return f"{said} {reasons[0]}"
    if reasons:
        return (
            f"{said} is what {len(reasons)} mistakes give on these invocations; yours is one "
            "of them. It " + " Or it ".join(reasons)
        )
    low, high = min(figures.right), max(figures.right)
    return (
        f"{said} is none of the 90th percentiles of the {figures.calls} Durations in its REPORT "
        f"lines: {figures.linear:.2f} ms by pandas' and numpy's default method, from {low:g} "
        f"to {high:g} ms by the others (each method's exact value passes, to the hundredth of "
        "a millisecond): 90% of the invocations take at most that long. "
        "`pricing.report_frame(events)['duration_ms'].quantile(0.9)` computes it."
    )


def _figures_of(result: Any) -> tuple[float, float] | None:
    """(p90_ms, error_rate) of a result, None if it has no such numbers."""
    try:
        return float(result["p90_ms"]), float(result["error_rate"])
    except (TypeError, KeyError, ValueError, ArithmeticError):
        return None


def _fits(found: tuple[float, float], events: list[dict[str, Any]]) -> bool:
    """Whether (p90_ms, error_rate) are right for these events (any usual p90 method)."""
    try:
        figures = _figures(events)
    except Exception:  # events the check picked out: a part of an invocation's lines
        return False
    p90, rate = found
    return bool(figures.calls) and (
        _near(p90, figures.right)
        and math.isclose(rate, figures.errors / figures.calls, abs_tol=5e-4)
    )


def _not_from_events(
    answer: Any, events: list[dict[str, Any]], result: Any, label: str
) -> str | None:
    """Learner trial 10 (XD3): what a wrong result comes from when it isn't computed from the
    events passed: state kept between calls, a global, one log stream only. None otherwise."""
    found = _figures_of(result)
    if found is None:
        return None
    said = f"for {label}, your function gave p90_ms {found[0]:g} and error_rate {found[1]:g}"

    def again(given: list[dict[str, Any]]) -> tuple[float, float] | None:
        try:
            return _figures_of(answer([dict(e) for e in given]))
        except Exception:
            return None

    repeat = again(events)
    if repeat is not None and repeat != found:
        return (
            f"{said}, then p90_ms {repeat[0]:g} and error_rate {repeat[1]:g} for the very same "
            "events: it keeps something from one call to the next (a mutable default argument "
            "such as `durations=[]`, or a list outside the function that it appends to), so "
            "events of earlier calls count again. Start from empty lists inside the function, "
            "at each call."
        )
    own = getattr(answer, "__globals__", {}).get("inventory_events")
    if isinstance(own, list) and own is not events:
        mine = [e for e in own if isinstance(e, dict) and isinstance(e.get("message"), str)]
        if _fits(found, mine):
            return (
                f"{said}: those are the figures of `inventory_events`, your notebook's log of "
                f"`inventory`, not of the {len(events)} events the check passed. Compute from "
                "the function's argument, `events`."
            )
    streams: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        streams.setdefault(event.get("logStreamName", ""), []).append(event)
    if len(streams) > 1:
        for stream, alone in streams.items():
            # The figures must follow the stream: with another stream's events first, they
            # change (a hard-coded error rate can fit one stream by chance: CI, stop 26).
            others_first = [e for e in events if e.get("logStreamName", "") != stream] + alone
            if _fits(found, alone) and again(others_first) != found:
                mine = sum(e["message"].startswith("REPORT ") for e in alone)
                total = sum(e["message"].startswith("REPORT ") for e in events)
                return (
                    f"{said}: the figures of the {mine} invocations in log stream `{stream}` "
                    f"alone, of the {total} in the {len(streams)} streams the events come "
                    "from. Each execution environment writes a log stream of its own, and "
                    "every invocation counts: use the events of every stream."
                )
    # Events whose every Duration is three times as long: any figure computed from the
    # REPORT lines changes. (Half of the events, used before, could share the right
    # answer's wrong figures by chance, e.g. the same maximum and error rate: CI, stop 25.)
    stretched = [_stretched(e) for e in events]
    if repeat == found and again(stretched) == found and not _fits(found, stretched):
        return (
            f"{said}, and the same figures for the same events with every Duration three "
            "times as long: it doesn't compute them from the events it is given. Compute "
            "from the function's argument, `events`."
        )
    return None


def _stretched(event: dict[str, Any]) -> dict[str, Any]:
    """A copy of a log event whose REPORT line's Durations are three times as long."""
    message = event.get("message")
    if not isinstance(message, str) or not message.startswith("REPORT "):
        return dict(event)
    longer = re.sub(r"(Duration: )([\d.]+)", lambda m: f"{m[1]}{float(m[2]) * 3:.2f}", message)
    return {**event, "message": longer}


def _judge(answer: Any, events: list[dict[str, Any]], label: str) -> tuple[float, float] | None:
    """Run the learner's function on these events; Incorrect unless both figures are right.

    The p90 must be what one of the usual methods gives on the Durations of the REPORT lines
    (to the hundredth of a millisecond), not merely a figure between them. None when these
    events can't tell the answer from a wrong one: its p90 is also what a known mistake gives
    (the Billed Durations', every figure on the REPORT lines', the successful invocations'
    only, the Durations cut to whole ms, an unsorted list's, the one a rank above every
    method's). The traffic keeps those apart,
    so this is rare; another batch of invocations then decides, so the verdict never depends
    on the machine's timing.
    """
    figures = _figures(events)
    try:
        result = answer([dict(e) for e in events])
    except Exception as exc:
        raise Incorrect(
            f"your function raised {type(exc).__name__}: {exc}, given the {len(events)} log "
            f"events of {label}."
        ) from None
    if not isinstance(result, dict) or not {"p90_ms", "error_rate"} <= set(result):
        raise Incorrect(
            'your function should return a dict with the keys "p90_ms" and "error_rate", '
            f"not {result!r}."
        )
    p90 = _number(result["p90_ms"], "p90_ms")
    rate = _number(result["error_rate"], "error_rate")
    if not _near(p90, figures.right):
        raise Incorrect(
            _not_from_events(answer, events, result, label) or _wrong_p90(p90, figures, label)
        )
    if any(_near(p90, values) for values in figures.mistakes.values()):
        return None  # right, but so is a wrong answer's figure: ask another batch
    errors, calls = figures.errors, figures.calls
    expected = errors / calls
    if rate > 1:
        raise Incorrect(
            f"for {label}, your error rate is {rate:g}: give it as a fraction between 0 and 1 "
            "(errors divided by invocations), not as a percentage."
        )

    def gives(count: int) -> bool:
        return count != errors and math.isclose(rate, count / calls, abs_tol=0.0005)

    said = (
        f"for {label}, your error rate is {rate:.4f}, but {errors} of its {calls} invocations "
        f"failed ({expected:.4f})"
    )
    by_message = any(gives(n) for n in figures.distinct_errors)
    if gives(figures.per_stream_errors):
        how = (
            "each different message once (in all, or in each log stream)"
            if by_message
            else "identical lines of one log stream once, as if CloudWatch Logs had returned "
            "an event twice"
        )
        raise Incorrect(
            f"{said}: some of them failed with the same message, two of them one after the "
            "other in the same execution environment, so their `[ERROR]` lines are identical, "
            f"in the same log stream; and you counted {how}. Those are two invocations and two "
            "errors (each has its own START and REPORT lines around it), and `filter_log_events` "
            "returns each event once: count every `[ERROR]` line, repeated or not."
        )
    if by_message:
        raise Incorrect(
            f"{said}: some of them failed with the same message, and you counted each "
            "different message once. Every failed invocation counts: count the `[ERROR]` lines "
            "(one for each exception your handler lets out), not the different messages."
        )
    if gives(errors + figures.warnings):
        raise Incorrect(
            f"{said}: you counted each failure twice. Before the `[ERROR]` line of an "
            "exception your handler lets out, AWS's Python runtime writes a "
            "`LAMBDA_WARNING: Unhandled exception. ...` line, and both mention an error: "
            "count one of the two kinds of line (`[ERROR] ` at the start, say)."
        )
    if gives(figures.other_lines):
        raise Incorrect(
            f"{said}: you counted every line besides START, END and REPORT as an error "
            f"({figures.other_lines} of them). A log holds other lines too: INIT_START (one "
            "per cold start), AWS's `LAMBDA_WARNING` before each error, whatever the handler "
            "prints. Count only the `[ERROR]` lines, one for each exception your handler lets "
            "out."
        )
    if math.isclose(rate, errors / figures.lines, abs_tol=0.0005):
        raise Incorrect(
            f"{said}: you divided by the {figures.lines} log lines, not by the invocations. "
            "Divide the failed invocations by the invocations (one REPORT line each)."
        )
    if not math.isclose(rate, expected, abs_tol=0.0005):
        elsewhere = _not_from_events(answer, events, result, label)
        if elsewhere:
            raise Incorrect(elsewhere)
        raise Incorrect(
            f"{said}. Count the invocations that failed (the runtime writes one `[ERROR]` line "
            "for each exception your handler lets out) and divide by the invocations (one "
            "REPORT line each)."
        )
    return p90, expected


def _check_10_from_logs(answer: Any = None) -> str:
    from ..iam import BASIC_EXECUTION, execution_role
    from ..packaging import zip_bytes

    if answer is None:
        raise Incorrect(
            "set `answer` to your function `summarize(events)`, which returns "
            '`{"p90_ms": ..., "error_rate": ...}` from the log events of `inventory`, then '
            "pass it to the check: `q1.check(answer)`."
        )
    if not callable(answer):
        raise Incorrect(
            "the answer should be a function, `summarize(events)`, not "
            f"{type(answer).__name__} {answer!r}: the check calls it on the logs of traffic of "
            "its own, so that figures worked out once cannot pass."
        )
    lam = client("lambda")
    name = check_id("inventory")
    # Learner trial 13 (PD13): the check's copy runs as a role of the check's own, its logging
    # policy attached again if it was taken away: the shared `execution_role()` is the
    # learner's, and may have lost it in an experiment (no log group, no events to summarize).
    lam.create_function(
        FunctionName=name,
        Runtime="python3.13",
        Role=execution_role("kit-check-10", policies=[BASIC_EXECUTION]),
        Handler="app.handler",
        Code={"ZipFile": zip_bytes({"app.py": INVENTORY_SOURCE})},
    )
    lam.get_waiter("function_active_v2").wait(FunctionName=name)
    try:
        # Two batches whose error rates differ (5 or 6 of 21-24, then 4 of 21-24): a figure
        # worked out once fits one at most.
        p90_a, rate_a = _decided(
            answer,
            name,
            SLOW_CALLS + random.randint(1, 2),
            "a first batch of the check's invocations",
        )
        p90_b, rate_b = _decided(
            answer, name, SLOW_CALLS, "a second batch of the check's invocations"
        )
    finally:  # the check's copy and its log leave no trace in the learner's account
        with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
            lam.delete_function(FunctionName=name)
        logs = client("logs")
        with contextlib.suppress(logs.exceptions.ResourceNotFoundException):
            logs.delete_log_group(logGroupName=f"/aws/lambda/{name}")
    return (
        f"Your function agreed with the logs on two batches of invocations of a copy of "
        f"`inventory`: p90 {p90_a:.3g} ms with {rate_a:.1%} errors, then p90 {p90_b:.3g} ms "
        f"with {rate_b:.1%}. The AWS/Lambda metrics give the same figures: `Duration` with the "
        "p90 statistic, and `Errors` divided by `Invocations`."
    )


# A batch is rarely undecided (see _judge); each batch is about 0.7 s.
BATCHES_TO_DECIDE = 12


def _decided(answer: Any, name: str, errors: int, label: str) -> tuple[float, float]:
    """Judge the answer on batches of invocations until one tells right from wrong."""
    for _ in range(BATCHES_TO_DECIDE):
        events = _traffic(name, calls=random.randint(MIN_CALLS, MAX_CALLS), errors=errors)
        verdict = _judge(answer, events, label)
        if verdict is not None:
            return verdict
    raise RuntimeError(
        f"{BATCHES_TO_DECIDE} batches in a row couldn't tell the 90th percentile of the "
        "Durations from what a known mistake gives (the machine is very busy)"
    )


_INVENTORY_SETUP = """
import json
import boto3
from helpers.exercises.nb10_observability import INVENTORY_SOURCE
from helpers.iam import BASIC_EXECUTION, execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
logs = boto3.client("logs")
try:
    lam.delete_function(FunctionName="inventory")  # start afresh if it exists
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="inventory",
    Runtime="python3.13",
    Role=execution_role(policies=[BASIC_EXECUTION]),  # logging rights (again, if taken away)
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": INVENTORY_SOURCE})},
)
lam.get_waiter("function_active_v2").wait(FunctionName="inventory")
for count in range(1, 36):
    lam.invoke(FunctionName="inventory", Payload=json.dumps({"count": count}))

pages = logs.get_paginator("filter_log_events").paginate(logGroupName="/aws/lambda/inventory")
inventory_events = [event for page in pages for event in page["events"]]
"""

_INVENTORY_SOLUTION = (
    _INVENTORY_SETUP
    + """
from helpers import pricing


def summarize(events):
    reports = pricing.report_frame(events)  # one row per REPORT line: one per invocation
    failed = [e for e in events if e["message"].startswith("[ERROR] ")]  # one per exception
    return {
        "p90_ms": reports["duration_ms"].quantile(0.9),
        "error_rate": len(failed) / len(reports),
    }


print(summarize(inventory_events))  # try it on the logs of inventory
answer = summarize
"""
)


# --------------------------------------------------------------- q2: a custom metric with EMF
SHOP_METRIC = {"Namespace": "Shop", "MetricName": "OrdersPlaced"}
SHOP_DIMENSIONS = [{"Name": "service", "Value": "shop"}]


def _orders_placed() -> tuple[float, str | None, float]:
    """Sum, unit and number of data points (SampleCount) of Shop/OrdersPlaced for
    service=shop, around now."""
    now = datetime.now(UTC)
    points = client("cloudwatch").get_metric_statistics(
        **SHOP_METRIC,
        Dimensions=SHOP_DIMENSIONS,
        StartTime=now - timedelta(hours=1),
        EndTime=now + timedelta(minutes=5),
        Period=7200,
        Statistics=["Sum", "SampleCount"],
    )["Datapoints"]
    return (
        sum(p["Sum"] for p in points),
        (points[0].get("Unit") if points else None),
        sum(p["SampleCount"] for p in points),
    )


def _other_series(runs: list[Invocation]) -> list[dict[str, str]]:
    """The dimension sets, other than service=shop, that the EMF lines of the check's own
    invocations publish Shop/OrdersPlaced with (each one a metric of its own: EMF
    specification, MetricDirective's Dimensions, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html)."""
    from ..runtime import emf

    wanted = {d["Name"]: d["Value"] for d in SHOP_DIMENSIONS}
    found: list[dict[str, str]] = []
    for run in runs:
        for line in run.printed:
            try:
                points = emf.parse(line)
            except emf.InvalidEMF:
                continue
            for namespace, datum in points:
                if (namespace, datum.get("MetricName")) != tuple(SHOP_METRIC.values()):
                    continue
                dimensions = {d["Name"]: d["Value"] for d in datum.get("Dimensions") or []}
                if dimensions != wanted and dimensions not in found:
                    found.append(dimensions)
    return found


# CloudWatch Logs reads _aws.Timestamp as milliseconds since the epoch (EMF specification,
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html);
# CloudWatch keeps data points up to two weeks old and up to two hours ahead (PutMetricData,
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html).
OLDEST = timedelta(days=14)
NEWEST = timedelta(hours=2)


def _document(line: str) -> dict[str, Any] | None:
    """The JSON object in a log line (after any prefix the runtime wrote), or None."""
    start = line.find("{")
    try:
        document = json.loads(line[start:]) if start >= 0 else None
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


# The window the check reads OrdersPlaced in (_orders_placed): a data point stamped outside
# it is stored (CloudWatch takes it), but at another time than the order's.
READ_BEFORE, READ_AFTER = timedelta(hours=1), timedelta(minutes=5)


def _span(delta: timedelta) -> str:
    minutes = round(abs(delta.total_seconds()) / 60)
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h" + (f" {minutes} min" if minutes else "")


def _timestamp_elsewhere(stamp: Any, moment: datetime, now: datetime) -> str | None:
    """Learner trial 10 (XD5): a Timestamp CloudWatch takes, but hours away from the
    invocation: the point is stored at that time, not the order's; None if near now."""
    if now - READ_BEFORE <= moment <= now + READ_AFTER:
        return None
    ahead = moment > now
    return (
        f"its `_aws.Timestamp` is {stamp!r}, {moment:%H:%M} UTC: {_span(moment - now)} "
        + ("ahead of" if ahead else "before")
        + " the invocation. CloudWatch stores the data point at the time it is stamped with "
        "(it takes points up to two weeks old and two hours ahead), so the order counts then, "
        "not when it was placed, and a graph or alarm of the last minutes doesn't see it. "
        + (
            "Milliseconds since the epoch are the same in every time zone: don't shift them "
            "to local time. "
            if ahead
            else "Take the time in the handler, at each invocation, not once at Init. "
        )
        + "Use `int(time.time() * 1000)`."
    )


def _timestamp_problem(document: dict[str, Any]) -> str | None:
    """What is wrong with the document's _aws.Timestamp, said for the learner; None if fine."""
    meta = document.get("_aws")
    stamp = meta.get("Timestamp") if isinstance(meta, dict) else None
    if isinstance(stamp, bool) or not isinstance(stamp, numbers.Real):
        return None  # missing or not a number: the EMF parser says so
    now = datetime.now(UTC)
    try:
        moment = datetime.fromtimestamp(stamp / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        moment = None
    if moment is not None and now - OLDEST <= moment <= now + NEWEST:
        return _timestamp_elsewhere(stamp, moment, now)
    as_seconds = None
    with contextlib.suppress(OverflowError, OSError, ValueError):
        as_seconds = datetime.fromtimestamp(stamp, UTC)
    if as_seconds is not None and abs(as_seconds - now) <= NEWEST:
        return (
            f"its `_aws.Timestamp` is {stamp!r}: that is seconds since the epoch, and "
            "CloudWatch Logs reads it as *milliseconds*, so your data point is dated "
            f"{moment:%d %B %Y} and falls outside what CloudWatch keeps (up to two weeks "
            "old). Use `int(time.time() * 1000)`."
        )
    when = f"{moment:%d %B %Y %H:%M} UTC" if moment is not None else "no date at all"
    # A finer unit than milliseconds: a stamp that is right once divided by 1,000 or 1,000,000.
    for unit, per_ms, spelled in (
        ("nanoseconds", 1_000_000, "`time.time_ns()`"),
        ("microseconds", 1_000, "a time in microseconds"),
    ):
        as_unit = None
        with contextlib.suppress(OverflowError, OSError, ValueError):
            as_unit = datetime.fromtimestamp(stamp / per_ms / 1000, UTC)
        if as_unit is not None and now - OLDEST <= as_unit <= now + NEWEST:
            return (
                f"its `_aws.Timestamp` is {stamp!r}: that is {unit} since the epoch "
                f"({spelled}), and CloudWatch Logs reads it as *milliseconds*: "
                + (f"{when}," if moment is not None else "a date past the year 9999,")
                + " far outside what CloudWatch keeps (up to two weeks old and two "
                "hours ahead): the data point is dropped, though the invocation succeeds. "
                f"Use milliseconds: `int(time.time() * 1000)`, or divide by {per_ms:,}."
            )
    return (
        f"its `_aws.Timestamp` is {stamp!r}, which as milliseconds since the epoch is {when}: "
        "CloudWatch keeps data points up to two weeks old and two hours ahead. Use the time "
        "of the invocation, `int(time.time() * 1000)`."
    )


def _no_log_rights() -> str | None:
    """Learner trial 11 (DD11): why no EMF line arrived when `shop`'s role may not write its
    log. CloudWatch Logs extracts EMF metrics from the log events it receives, and a role
    without `logs:CreateLogStream`/`logs:PutLogEvents` leaves the function "unable to log any
    output" (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html,
    "Required IAM permissions"): the lines never reach it, however right they are."""
    from ..runtime.logs import role_may_write

    aws = kit()
    config = function_config("shop")
    group = (config.get("LoggingConfig") or {}).get("LogGroup") or "/aws/lambda/shop"
    role = str(config.get("Role", ""))
    stream = f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{check_id()}"
    if group.startswith("aws/"):
        # "Custom log group names mustn't begin with the string aws/ ... This will cause
        # function logs not to be sent to CloudWatch" (monitoring-cloudwatchlogs-loggroups.html)
        return (
            f"`shop`'s `LoggingConfig` names the log group `{group}`: a custom log group's name "
            "mustn't begin with `aws/`, and Lambda sends no logs to one that does, so no EMF "
            "line reaches CloudWatch Logs. Name another group, or leave `LogGroup` out."
        )
    if role_may_write(aws.account_id, aws.region, "shop", role, group, stream):
        return None
    return (
        f"`shop`'s execution role, `{role.rsplit('/', 1)[-1]}`, may not write its log to "
        f"`{group}` (`logs:CreateLogStream` and `logs:PutLogEvents`, and `logs:CreateLogGroup` "
        "while the group doesn't exist), so none of the lines it printed reached CloudWatch "
        "Logs, and CloudWatch extracts EMF metrics only from the log events it receives. EMF "
        "needs no `cloudwatch:PutMetricData`, but it does need the logging rights: attach the "
        "managed policy `AWSLambdaBasicExecutionRole` to the role (`iam.attach_role_policy("
        f"RoleName='{role.rsplit('/', 1)[-1]}', PolicyArn='arn:aws:iam::aws:policy/service-role/"
        "AWSLambdaBasicExecutionRole')`)."
    )


def _filtered_by_level() -> str | None:
    """Learner trial 13 (PD9): in the JSON log format, an application log level above INFO
    drops the printed EMF line before CloudWatch Logs sees it: a line without a "level" is
    INFO ("If the "level" value field is invalid or missing, Lambda will assign the log output
    the level INFO", https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html)."""
    config = function_config("shop").get("LoggingConfig") or {}
    level = str(config.get("ApplicationLogLevel") or "").upper()
    if str(config.get("LogFormat", "")).upper() != "JSON" or level not in (
        "WARN",
        "ERROR",
        "FATAL",
    ):
        return None
    return (
        f"`shop` logs in the JSON format with `ApplicationLogLevel` {level}: Lambda sends only "
        f"lines of level {level} or above to CloudWatch Logs, and a printed line without a "
        '`"level"` member counts as INFO, so the EMF line is dropped before CloudWatch Logs '
        "can read it. Set `ApplicationLogLevel` to INFO (or DEBUG, TRACE), or use the Text "
        "log format (`LoggingConfig`)."
    )


def _what_shop_published(runs: list[Invocation]) -> str:
    """Why no OrdersPlaced arrived: the EMF lines of the check's own invocations, read as
    CloudWatch Logs reads them."""
    from ..runtime import emf

    wrapped = _wrapped_by_json_format(runs)
    if wrapped:
        return wrapped
    lines = [line for run in runs for line in run.printed if emf.MARK in line]
    if not lines:
        repr_line = next((line for run in runs for line in run.printed if "'_aws'" in line), None)
        if repr_line is not None:  # Learner trial 10 (XD14): print(document), not JSON
            return (
                f"`shop` printed a Python dict, `{repr_line.strip()[:40]}...` (single "
                "quotes): that is Python's way of showing a dict, not JSON, so CloudWatch Logs "
                "finds no embedded metric format document in it (EMF is a JSON object). Print "
                "`json.dumps(...)` of the dict."
            )
        if thread := _thread_note():
            return f"no line of the check's invocations of `shop` holds an `_aws` member{thread}"
        return (
            "no line that the check's invocations of `shop` wrote holds an `_aws` member, so "
            "CloudWatch Logs finds no embedded metric format document in it. Print one JSON "
            "object per order, with `_aws` (Timestamp and CloudWatchMetrics), `service` and "
            "`OrdersPlaced`."
        )
    line = lines[-1]
    document = _document(line)
    if document is None:  # not JSON by itself: CloudWatch Logs reads each line alone
        return _not_one_line(line, runs)
    prefix = _text_before(line)
    if prefix:
        return prefix
    problem = _timestamp_problem(document)
    if problem:
        return problem
    try:
        points = emf.parse(line)
    except emf.InvalidEMF as exc:
        return f"the EMF line `shop` wrote breaks the specification: {exc}."
    found = ", ".join(
        f"{ns}/{d['MetricName']} with dimensions "
        f"{ {x['Name']: x['Value'] for x in d['Dimensions']} }"
        for ns, d in points
    )
    return (
        f"its EMF line publishes {found or 'no metric'}; the check reads the namespace "
        "`Shop`, the metric `OrdersPlaced` and the one dimension `service` = `shop`."
    )


def _thread_note() -> str:
    """Learner trial 12 (JD7): ", and `shop`'s code starts a thread ...", when it does: an EMF
    line printed by a thread after the handler returned comes late or never, as Lambda freezes
    the execution environment once the handler returns
    (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html, "Invoke
    phase"). Where the late line lands depends on the machine's timing (none, or in the next
    invocation), so every count that is wrong names it, not only a count of 0."""
    threads = _starts_threads()
    if not threads:
        return ""
    return (
        f", and `shop`'s code starts a thread ({threads}): does the thread print the EMF "
        "line, after the handler has returned? Lambda freezes the execution environment as "
        "soon as the handler returns, so what a thread prints then comes late (in some later "
        "invocation) or never. Print the EMF line in the handler itself, before `return`: "
        "printing one line doesn't slow the response."
    )


def _starts_threads() -> str:
    """How `shop`'s code starts threads (`threading`, `concurrent.futures`), read from its
    ZIP's Python files; "" when it doesn't (or can't be read)."""
    from .deployed_code import function_zip

    found: list[str] = []
    with (
        contextlib.suppress(Exception),
        zipfile.ZipFile(io.BytesIO(function_zip("shop"))) as archive,
    ):
        for name in archive.namelist():
            if not name.endswith(".py") or archive.getinfo(name).file_size > 1_000_000:
                continue
            text = archive.read(name).decode(errors="replace")
            for module in ("threading", "concurrent.futures"):
                if re.search(rf"^\s*(import|from)\s+{re.escape(module)}\b", text, re.M):
                    found.append(f"`{module}`")
    return " and ".join(dict.fromkeys(found))


def _emf_lines(runs: list[Invocation]) -> int:
    """How many of the check's invocations wrote an EMF line that publishes Shop/OrdersPlaced
    (read as CloudWatch Logs reads it: `emf.parse`)."""
    from ..runtime import emf

    def publishes(line: str) -> bool:
        try:
            points = emf.parse(line)
        except emf.InvalidEMF:
            return False
        return any((ns, d.get("MetricName")) == tuple(SHOP_METRIC.values()) for ns, d in points)

    return sum(any(emf.MARK in line and publishes(line) for line in run.printed) for run in runs)


def _wrapped_by_json_format(runs: list[Invocation]) -> str | None:
    """Learner trial 10 (XD5): in the JSON log format, a document written with `logging` is
    the `message` of the runtime's record (`{"timestamp", "level", "message", ...}`): the log
    event's root object has no `_aws`, and CloudWatch Logs extracts only from the root (EMF
    specification, root node,
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html;
    `print` goes to the log as plain text even then, Python logging's page,
    https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html)."""
    from ..runtime import emf

    for run in runs:
        for line in run.log_lines:
            if not line.startswith('{"') or emf.MARK not in line.replace('\\"', '"'):
                continue
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict) or "_aws" in record or "type" in record:
                continue
            message = record.get("message")
            if (isinstance(message, str) and emf.MARK in message) or (
                isinstance(message, dict) and "_aws" in message
            ):
                return (
                    "`shop` logs its EMF document with `logging`, and its log format is JSON: "
                    'Lambda writes each record as `{"timestamp": ..., "level": ..., '
                    '"message": <your document>, ...}`, so the root object of the log event '
                    "has no `_aws` and CloudWatch Logs extracts no metric from it. Print the "
                    "document (`print(json.dumps(...))`): a printed line is the log event "
                    "itself."
                )
    return None


def _text_before(line: str) -> str | None:
    """Learner trial 10 (XD4): text of the handler's own before the JSON object (`print("EMF",
    json.dumps(doc))`): the log event is EMF only when its message is the object alone (the
    runtime's own prefix of a `logging` call aside), EMF specification's root node,
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html."""
    from ..runtime import emf

    text = line.strip()
    start = text.find("{")
    if start <= 0 or re.match(r"\[[A-Z]+\]\t", text):  # the runtime's prefix of `logging`
        return None
    try:
        if emf.parse(line):  # the kit's EMF reads it (after the runtime's prefix)
            return None
    except emf.InvalidEMF:
        return None  # something else is wrong: said below
    return (
        f"the line with `_aws` that `shop` printed starts with `{text[:start].strip()[:30]}` "
        "before its JSON object. CloudWatch Logs reads a log event as EMF only when it is one "
        "JSON object with nothing before or after it, so nothing is published: print the "
        "document alone, `print(json.dumps(...))`."
    )


def _split_document(printed: list[str]) -> bool:
    """Whether these printed lines, put back together, hold a JSON object with `_aws`: one
    document printed over several lines (`json.dumps(..., indent=2)`)."""
    text = "\n".join(printed)
    start = text.find("{")
    while start >= 0:
        try:
            document, _ = json.JSONDecoder().raw_decode(text, start)
        except ValueError:
            document = None
        if isinstance(document, dict) and "_aws" in document:
            return True
        start = text.find("{", start + 1)
    return False


def _not_one_line(line: str, runs: list[Invocation]) -> str:
    """Why a line with `_aws` that isn't a JSON object on its own publishes nothing."""
    shown = line.strip()[:60]
    if any(_split_document(run.printed) for run in runs):
        return (
            f"`shop` printed its EMF document over several lines (`json.dumps(..., indent=2)`, "
            "or a pretty-printer?). Each line a function prints is a log event of its own, "
            "and CloudWatch Logs reads each event alone: the one with `_aws`, "
            f"`{shown}`, is not a JSON object by itself, so no event holds the document and "
            "nothing is published. Print the document on one line: `print(json.dumps(...))`, "
            "without `indent`."
        )
    return (
        f"the line with `_aws` that `shop` printed, `{shown}`, is not a JSON object by "
        "itself, and CloudWatch Logs reads each printed line as a log event of its own: "
        "print the whole EMF document as one JSON object, on one line "
        "(`print(json.dumps(...))`)."
    )


def _check_10_emf() -> str:
    function_config("shop")
    before, _, samples_before = _orders_placed()
    orders = random.randint(2, 5)  # how many: unknown to any answer
    # Kit-only: the idle environments stop, so the first order starts a new one, whose Init
    # runs too (as Lambda starts one whenever it likes): what Init prints counts as well.
    kit().retire_environments("shop")
    runs = []
    for _ in range(orders):
        event = {"order_id": check_id("order"), "items": random.randint(1, 9)}
        run = invoke("shop", event)
        if run.failed:
            emf_instead = ""
            if "cloudwatch:PutMetricData" in run.error:
                # Learner trial 12 (JD1): granting the right would only lead to a metric
                # published without EMF, which the task doesn't ask for.
                emf_instead = (
                    " The task asks for an embedded metric format line instead: printed to "
                    "the log, it becomes the metric with no `put_metric_data` call and no "
                    "`cloudwatch:PutMetricData` right in the role. Print the EMF document."
                )
            raise Incorrect(
                f"`shop` failed when the check invoked it with {event}: {run.error}"
                + (
                    f".{emf_instead}"
                    if emf_instead and not run.error.endswith(".")
                    else emf_instead
                )
            )
        runs.append(run)
    # CloudWatch Logs extracts the metrics as the lines arrive: wait for them, not a fixed time.
    wait_until(lambda: _orders_placed()[0] - before >= orders, timeout=2.0, step=0.05)
    # Learner trial 13 (PD8): the lines are read from the function's own log group, a custom
    # one when `LoggingConfig.LogGroup` names it (CloudWatch Logs extracts EMF from any group:
    # https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html).
    group = (function_config("shop").get("LoggingConfig") or {}).get("LogGroup")
    if group:
        for run in runs:
            run._lines = invocation_log("shop", run.request_id, group)
    after, unit, samples_after = _orders_placed()
    placed = after - before
    points = samples_after - samples_before
    if placed == 0:
        raise Incorrect(
            "the check placed orders of its own, and Shop/OrdersPlaced (service=shop) did not "
            f"move: {_no_log_rights() or _filtered_by_level() or _what_shop_published(runs)}"
        )
    if placed < orders and (thread := _thread_note()):  # lines late or lost, whatever the timing
        raise Incorrect(
            f"the check placed {orders} orders and OrdersPlaced grew by {placed:g}{thread}"
        )
    if not _emf_lines(runs):
        # Learner trial 12 (JD1): the metric moved, but by a `put_metric_data` call (or any
        # other way than the log): the task asks for one EMF line per invocation.
        raise Incorrect(
            f"the check placed {orders} orders and Shop/OrdersPlaced grew by {placed:g}, but "
            "none of the lines `shop` wrote in those invocations is an embedded metric format "
            "document: the data points came another way (a `cloudwatch.put_metric_data` "
            "call?). The task asks for one EMF line per invocation: print it, and CloudWatch "
            "Logs turns it into the metric, with no API call for the handler to wait for and "
            "no `cloudwatch:PutMetricData` right in the role."
        )
    if placed != orders:
        raise Incorrect(
            f"the check placed {orders} orders and OrdersPlaced grew by {placed:g}: publish "
            "the value 1 for each order, once."
        )
    if points != orders:
        raise Incorrect(
            f"the check placed {orders} orders (the first in a new execution environment) and "
            f"OrdersPlaced grew by {placed:g}, but in {points:g} data points: "
            + (
                f"{points - orders:g} more with the value 0. Is an EMF line printed at Init, "
                'outside the handler (to "initialise" the metric)? CloudWatch Logs extracts '
                "every EMF line of the log, Init's included, and a point of 0 is still a data "
                "point: SampleCount, Average and Minimum no longer count orders. "
                if points > orders
                else ""
            )
            + "Publish one EMF line per invocation, from the handler, with the value 1."
        )
    others = _other_series(runs)
    if others:
        shown = ", ".join(
            "no dimension (the empty dimension set `[]`)"
            if not dimensions
            else ", ".join(f"`{name}` = `{value}`" for name, value in dimensions.items())
            for dimensions in others
        )
        raise Incorrect(
            f"`shop` publishes OrdersPlaced with `service` = `shop`, and also with {shown}: "
            "each dimension set in `Dimensions` is a metric of its own, a second custom metric "
            "(billed on its own) that the task doesn't ask for. Give `Dimensions` the one set "
            '`[["service"]]`.'
        )
    if unit != "Count":
        if isinstance(unit, str) and unit.lower() == "count":
            # Learner trial 10 (XW5): CloudWatch's units are a fixed list, spelt as MetricDatum
            # gives them (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html).
            raise Incorrect(
                f"the EMF line gives OrdersPlaced the unit {unit!r}: CloudWatch's units are a "
                "fixed list, spelt with a capital (`Count`, `Seconds`, `Bytes`, ...), and "
                f'{unit!r} is not one of them. Give its definition "Unit": "Count".'
            )
        raise Incorrect(
            f'OrdersPlaced arrives with the unit {unit!r}: give its definition "Unit": "Count".'
        )
    return (
        f"The check placed {orders} orders and Shop/OrdersPlaced grew by {orders}: each log "
        "line became a metric, with no `cloudwatch:PutMetricData` call: EMF needs no "
        "permission beyond writing the log. Powertools' `Metrics` writes the same lines for you."
        + _leftover_put_metric_data()
    )


def _leftover_put_metric_data() -> str:
    """Learner trial 13 (PW9): a `cloudwatch:PutMetricData` right left in `shop`'s role from a
    first try is named (the task asks nothing of the role, so it is no ❌)."""
    role = role_name_of("shop")
    with contextlib.suppress(Exception):
        if role_allows(role_statements(role), "cloudwatch:PutMetricData", "*"):
            return (
                f" `{role}` still allows `cloudwatch:PutMetricData`, which `shop` no longer "
                "calls: remove that right (least privilege)."
            )
    return ""


_SHOP_DEPLOY = """
import boto3
from helpers.iam import BASIC_EXECUTION, execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
try:
    lam.delete_function(FunctionName="shop")  # start afresh if it exists
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="shop",
    Runtime="python3.13",
    Role=execution_role(policies=[BASIC_EXECUTION]),  # logging rights (again, if taken away)
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
)
lam.get_waiter("function_active_v2").wait(FunctionName="shop")
"""

_SHOP_SOLUTION = (
    '''
source = """
import json
import time


def handler(event, context):
    print(json.dumps({
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [{
                "Namespace": "Shop",
                "Dimensions": [["service"]],
                "Metrics": [{"Name": "OrdersPlaced", "Unit": "Count"}],
            }],
        },
        "service": "shop",
        "OrdersPlaced": 1,
        "order_id": event["order_id"],  # kept in the log, not a metric
    }))
    return {"ok": True}
"""
'''
    + _SHOP_DEPLOY
)


notebook_10 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Write `summarize(events)`: from the log events of `inventory` (as "
            "`filter_log_events` returns them), the 90th percentile of its Duration and its "
            'error rate, as `{"p90_ms": ..., "error_rate": ...}`. `q1.check(summarize)` runs '
            "it on the logs of invocations of its own."
        ),
        checker=_check_10_from_logs,
        hint_text=(
            "Try your function on `inventory_events` first. One REPORT line per invocation holds "
            "its Duration (which of the durations on that line?); section 5 turned them into a "
            "table. Which line does the runtime write when a handler lets an exception out? Errors "
            "over invocations is the rate."
        ),
        solution_code=_INVENTORY_SOLUTION,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "Deploy `shop`, whose handler publishes the metric `OrdersPlaced` (namespace `Shop`, "
            "dimension `service` = `shop`, unit Count, value 1 per invocation) with one embedded "
            "metric format line, timestamped in milliseconds since the epoch. The check invokes "
            "`shop` and reads CloudWatch: `q2.check()`."
        ),
        checker=_check_10_emf,
        hint_text=(
            "Start from section 6's EMF line and change what the task names: the namespace, the "
            "dimension, the metric and its unit. The line's `Timestamp` is in milliseconds since "
            "the epoch (`time.time()` gives seconds), and every dimension and metric the `_aws` "
            "block names needs a member of the same name beside it."
        ),
        solution_code=_SHOP_SOLUTION,
    ),
)
