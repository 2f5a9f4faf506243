"""Notebook 10's exercises: metrics computed from the logs, and a custom metric sent with EMF."""

from __future__ import annotations

import json
import math
import numbers
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from .core import Exercise, Incorrect, function_exists, invoke


def _log_events(name: str, pattern: str = "") -> list[dict[str, Any]]:
    """Every event of the function's log group, oldest first ([] before its first run)."""
    import boto3

    logs = boto3.client("logs")
    group = f"/aws/lambda/{name}"
    if not logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]:
        return []
    kwargs = {"logGroupName": group, **({"filterPattern": pattern} if pattern else {})}
    pages = logs.get_paginator("filter_log_events").paginate(**kwargs)
    return [event for page in pages for event in page["events"]]


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
def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
        raise Incorrect(f"`{what}` should be a number, not {type(value).__name__} {value!r}.")
    return float(value)


def _check_10_from_logs(answer: Any = None) -> str:
    from ..pricing import report_frame

    function_exists("inventory")
    events = _log_events("inventory")
    report_lines = [e for e in events if e["message"].startswith("REPORT ")]
    if len(report_lines) < 10:
        raise Incorrect(
            "the logs of `inventory` hold fewer than 10 REPORT lines: run the question's cell "
            "as it is first, so that `inventory` gets its traffic."
        )
    reports = report_frame(report_lines)
    if answer is None:
        raise Incorrect(
            'set `answer` to a dict `{"p90_ms": ..., "error_rate": ...}` computed from the logs '
            "of `inventory`, then pass it to the check: `q1.check(answer)`."
        )
    if not isinstance(answer, dict) or not {"p90_ms", "error_rate"} <= set(answer):
        raise Incorrect(
            f'the answer should be a dict with the keys "p90_ms" and "error_rate", not {answer!r}.'
        )
    p90 = _number(answer["p90_ms"], "p90_ms")
    rate = _number(answer["error_rate"], "error_rate")
    durations = sorted(reports["duration_ms"])
    rank = (len(durations) - 1) * 0.9
    # Any usual way of taking a percentile lands between these two Durations.
    low, high = durations[math.floor(rank)], durations[math.ceil(rank)]
    if not low - 0.005 <= p90 <= high + 0.005:  # REPORT lines state Durations to 0.01 ms
        if math.isclose(p90, reports["duration_ms"].mean(), rel_tol=0.01):
            raise Incorrect(
                "that is the average Duration. The 90th percentile is the Duration that 90% of "
                "the invocations stay under: the slow tail the average hides."
            )
        if math.isclose(p90, reports["billed_ms"].quantile(0.9), rel_tol=0.01):
            raise Incorrect(
                "that is the 90th percentile of the Billed Duration. Take the `Duration` "
                "field of each REPORT line (how long the handler ran) instead."
            )
        raise Incorrect(
            f"{p90:g} ms is not the 90th percentile of the {len(durations)} Durations in the "
            "REPORT lines of `inventory`: 90% of the invocations should take at most that long. "
            "`pricing.report_frame(events)['duration_ms'].quantile(0.9)` computes it."
        )
    errors = sum(_unhandled_error(e["message"]) for e in events)
    expected = errors / len(reports)
    if rate > 1:
        raise Incorrect(
            f"an error rate of {rate:g}: give it as a fraction between 0 and 1 (errors divided "
            "by invocations), not as a percentage."
        )
    if not math.isclose(rate, expected, abs_tol=0.005):
        raise Incorrect(
            f"an error rate of {rate:.3f} is not what the logs say. Count the invocations that "
            "failed (the runtime writes one `[ERROR]` line for each exception your handler lets "
            "out) and divide by the invocations (one REPORT line each)."
        )
    return (
        f"The 90th percentile of `inventory`'s {len(durations)} invocations is {p90:.3g} ms, "
        f"and {errors} of them failed ({expected:.1%}). The AWS/Lambda metrics agree: "
        "`Duration` with the p90 statistic, and `Errors` divided by `Invocations`."
    )


_INVENTORY_SETUP = '''
import json
import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
logs = boto3.client("logs")

source = """
import time

def handler(event, context):
    count = event["count"]
    time.sleep(0.001 * (count % 20))  # bigger counts take longer
    if count % 7 == 0:
        raise ValueError(f"count {count} is out of stock")
    return {"reserved": count}
"""
try:
    lam.delete_function(FunctionName="inventory")  # start afresh if it exists
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="inventory",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
)
lam.get_waiter("function_active_v2").wait(FunctionName="inventory")
for count in range(1, 36):
    lam.invoke(FunctionName="inventory", Payload=json.dumps({"count": count}))

pages = logs.get_paginator("filter_log_events").paginate(logGroupName="/aws/lambda/inventory")
events = [event for page in pages for event in page["events"]]
'''

_INVENTORY_SOLUTION = (
    _INVENTORY_SETUP
    + """
from helpers import pricing

reports = pricing.report_frame(events)  # one row per REPORT line: one per invocation
failed = [e for e in events if e["message"].startswith("[ERROR] ")]  # one per unhandled error
answer = {
    "p90_ms": reports["duration_ms"].quantile(0.9),
    "error_rate": len(failed) / len(reports),
}
"""
)

# Takes the average for the 90th percentile: the tail is what the average hides.
_INVENTORY_WRONG = (
    _INVENTORY_SETUP
    + """
from helpers import pricing

reports = pricing.report_frame(events)
failed = [e for e in events if e["message"].startswith("[ERROR] ")]
answer = {
    "p90_ms": reports["duration_ms"].mean(),
    "error_rate": len(failed) / len(reports),
}
"""
)


# --------------------------------------------------------------- q2: a custom metric with EMF
SHOP_METRIC = {"Namespace": "Shop", "MetricName": "OrdersPlaced"}
SHOP_DIMENSIONS = [{"Name": "service", "Value": "shop"}]


def _orders_placed() -> tuple[float, str | None]:
    """Sum and unit of Shop/OrdersPlaced for service=shop over the last minutes."""
    import boto3

    now = datetime.now(UTC)
    points = boto3.client("cloudwatch").get_metric_statistics(
        **SHOP_METRIC,
        Dimensions=SHOP_DIMENSIONS,
        StartTime=now - timedelta(hours=1),
        EndTime=now + timedelta(minutes=5),
        Period=7200,
        Statistics=["Sum"],
    )["Datapoints"]
    return sum(p["Sum"] for p in points), (points[0].get("Unit") if points else None)


def _what_shop_published() -> str:
    """Why no OrdersPlaced arrived: the function's EMF lines, read as CloudWatch Logs reads them."""
    from ..runtime import emf

    lines = [e["message"] for e in _log_events("shop") if emf.MARK in e["message"]]
    if not lines:
        return (
            "no line of `shop`'s log holds an `_aws` member, so CloudWatch Logs finds no "
            "embedded metric format document in it. Print one JSON object per order, with "
            "`_aws` (Timestamp and CloudWatchMetrics), `service` and `OrdersPlaced`."
        )
    try:
        points = emf.parse(lines[-1])
    except emf.InvalidEMF as exc:
        return f"the last EMF line of `shop` breaks the specification: {exc}."
    found = ", ".join(
        f"{ns}/{d['MetricName']} with dimensions "
        f"{ {x['Name']: x['Value'] for x in d['Dimensions']} }"
        for ns, d in points
    )
    return (
        f"its last EMF line publishes {found or 'no metric'}; the check reads the namespace "
        "`Shop`, the metric `OrdersPlaced` and the one dimension `service` = `shop`."
    )


def _check_10_emf(answer: Any = None) -> str:
    function_exists("shop")
    before, _ = _orders_placed()
    orders = 3
    for number in range(orders):
        response, body = invoke("shop", {"order_id": f"check-{number}", "items": number + 1})
        if response.get("FunctionError"):
            message = body.get("errorMessage") if isinstance(body, dict) else body
            raise Incorrect(f"`shop` failed when the check invoked it: {message}")
    after, unit = _orders_placed()
    placed = after - before
    if placed == 0:
        raise Incorrect(
            f"the check placed {orders} orders, and Shop/OrdersPlaced (service=shop) did not "
            f"move: {_what_shop_published()}"
        )
    if placed != orders:
        raise Incorrect(
            f"the check placed {orders} orders and OrdersPlaced grew by {placed:g}: publish "
            "the value 1 for each order, once."
        )
    if unit != "Count":
        raise Incorrect(
            f'OrdersPlaced arrives with the unit {unit!r}: give its definition "Unit": "Count".'
        )
    return (
        f"The check placed {orders} orders and Shop/OrdersPlaced grew by {orders}: each log "
        "line became a metric, with no `cloudwatch:PutMetricData` call and no extra permission "
        "in the role. Powertools' `Metrics` writes the same lines for you."
    )


_SHOP_DEPLOY = """
import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
try:
    lam.delete_function(FunctionName="shop")  # start afresh if it exists
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="shop",
    Runtime="python3.13",
    Role=execution_role(),
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

# Forgets _aws.Timestamp, which the specification requires: the line is not EMF.
_SHOP_WRONG = (
    '''
source = """
import json


def handler(event, context):
    print(json.dumps({
        "_aws": {
            "CloudWatchMetrics": [{
                "Namespace": "Shop",
                "Dimensions": [["service"]],
                "Metrics": [{"Name": "OrdersPlaced", "Unit": "Count"}],
            }],
        },
        "service": "shop",
        "OrdersPlaced": 1,
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
            "From the logs of `inventory` (deployed and invoked by the question's cell), compute "
            "the 90th percentile of its Duration and its error rate, and pass them as "
            '`{"p90_ms": ..., "error_rate": ...}`: `q1.check(answer)`.'
        ),
        checker=_check_10_from_logs,
        hint_text=(
            "`pricing.report_frame(events)` turns the REPORT lines into a table: its "
            "`duration_ms` column has a `.quantile(0.9)`. For the errors, count the events "
            "whose message starts with `[ERROR] `: the runtime writes one for each exception "
            "the handler lets out. The error rate is errors divided by invocations (REPORT "
            "lines)."
        ),
        solution_code=_INVENTORY_SOLUTION,
        wrong_code=_INVENTORY_WRONG,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "Deploy `shop`, whose handler publishes the metric `OrdersPlaced` (namespace `Shop`, "
            "dimension `service` = `shop`, unit Count, value 1 per invocation) with one embedded "
            "metric format line. The check invokes `shop` and reads CloudWatch: `q2.check()`."
        ),
        checker=_check_10_emf,
        hint_text=(
            'Print `json.dumps({...})` with `"_aws": {"Timestamp": <milliseconds since the '
            'epoch>, "CloudWatchMetrics": [{"Namespace": "Shop", "Dimensions": [["service"]], '
            '"Metrics": [{"Name": "OrdersPlaced", "Unit": "Count"}]}]}`, and next to `_aws` the '
            'members it names: `"service": "shop"` and `"OrdersPlaced": 1`.'
        ),
        solution_code=_SHOP_SOLUTION,
        wrong_code=_SHOP_WRONG,
    ),
)
