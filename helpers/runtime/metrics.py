"""AWS/Lambda metrics the kit emits into the local CloudWatch, as Lambda does for every invocation.

Written straight into moto's CloudWatch backend (no HTTP round trip: an invoke must stay cheap),
so `cloudwatch.get_metric_statistics(Namespace="AWS/Lambda", ...)` and `get_metric_data` answer
as on AWS. Names, units and dimensions follow "Types of metrics for Lambda functions"
(https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html):

- `Invocations`, `Errors`, `Throttles` (Count; read them with Sum), `Duration` (Milliseconds;
  Average, Maximum or percentiles such as p99), `ConcurrentExecutions` (Count; Maximum),
  counted when the invocation starts.
- Each data point goes to the function (`FunctionName`), to the version or alias it was invoked
  by (`FunctionName` + `Resource`, e.g. `orders:live`), for an alias also to the version that ran
  (+ `ExecutedVersion`), and to the account's aggregate across all functions (no dimension).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

NAMESPACE = "AWS/Lambda"


def _backend(account_id: str, region: str) -> Any:
    from moto.cloudwatch.models import cloudwatch_backends

    return cloudwatch_backends[account_id][region]


# How far the kit's clock is ahead of real time (set by the runtime): a datum keeps it, so that
# alarms, which run on the kit's clock, place it where it happened (stamps stay real time, which
# the learner's own queries use).
clock_offset: Callable[[], float] = lambda: 0.0  # noqa: E731


def _now() -> datetime:
    # moto keeps naive UTC datetimes; an aware one would not compare with its own.
    return datetime.now(UTC).replace(tzinfo=None)


def dimension_sets(
    function_name: str, invoked_arn: str | None = None, executed_version: str | None = None
) -> list[list[dict[str, str]]]:
    """The dimension combinations Lambda publishes one invocation's metrics under."""
    sets: list[list[dict[str, str]]] = [[], [{"Name": "FunctionName", "Value": function_name}]]
    # arn:aws:lambda:region:account:function:name[:qualifier]
    parts = (invoked_arn or "").split(":")
    qualifier = parts[7] if len(parts) > 7 else None
    if qualifier:
        resource = [*sets[1], {"Name": "Resource", "Value": f"{function_name}:{qualifier}"}]
        sets.append(resource)
        is_alias = qualifier != "$LATEST" and not qualifier.isdigit()
        if is_alias and executed_version:
            sets.append([*resource, {"Name": "ExecutedVersion", "Value": executed_version}])
    return sets


def _publish(
    account_id: str,
    region: str,
    values: list[tuple[str, float, str]],
    sets: list[list[dict[str, str]]],
    at: datetime | None,
    namespace: str = NAMESPACE,
) -> None:
    from moto.cloudwatch.models import MetricDatum

    stamp = at or _now()
    try:
        # The data points PutMetricData would store, made directly: an invoke pays microseconds.
        offset = clock_offset()
        data = [
            MetricDatum(namespace, name, float(value), dims, stamp, unit)
            for name, value, unit in values
            for dims in sets
        ]
        for datum in data:
            datum.kit_offset = offset
        _backend(account_id, region).metric_data.extend(data)
    except Exception:  # a metric must never break an invocation
        pass


def invocation(
    account_id: str,
    region: str,
    function_name: str,
    *,
    invoked_arn: str | None,
    executed_version: str,
    duration_ms: float,
    error: bool,
    concurrent: int,
    account_concurrent: int,
    at: datetime | None = None,
) -> None:
    """One invocation's Invocations, Errors, Duration and ConcurrentExecutions data points.

    `at` is when the invocation started: AWS stamps the metrics with the time of the invoke,
    not of its end. Errors is published as 0 or 1, so its Sum counts errors and its Average
    is the error rate.
    """
    values = [
        ("Invocations", 1.0, "Count"),
        ("Errors", 1.0 if error else 0.0, "Count"),
        ("Duration", round(duration_ms, 2), "Milliseconds"),  # as the REPORT line states it
    ]
    sets = dimension_sets(function_name, invoked_arn, executed_version)
    _publish(account_id, region, values, sets, at)
    # Concurrency counts environments busy at the time: the function's own, and the account's
    # for the aggregate without dimensions.
    _publish(account_id, region, [("ConcurrentExecutions", concurrent, "Count")], sets[1:], at)
    _publish(account_id, region, [("ConcurrentExecutions", account_concurrent, "Count")], [[]], at)


def throttle(account_id: str, region: str, function_name: str, invoked_arn: str | None) -> None:
    """One throttled request: Throttles, where the 429 is decided (the function never ran)."""
    sets = dimension_sets(function_name, invoked_arn)
    _publish(account_id, region, [("Throttles", 1.0, "Count")], sets, None)


def put(fn: Any, name: str, value: float = 1.0) -> None:
    """Add one data point to the AWS/Lambda metric `name` of the function (never raises)."""
    dims = [[{"Name": "FunctionName", "Value": fn.function_name}]]
    _publish(fn.account_id, fn.region, [(name, value, "Count")], dims, None)


def service_metric(
    account_id: str, region: str, namespace: str, name: str, dimensions: dict[str, str]
) -> None:
    """One Count data point of another service's metric about Lambda (e.g. EventBridge's
    `AWS/Events` `FailedInvocations` for a rule), under its dimensions."""
    dims = [{"Name": key, "Value": value} for key, value in dimensions.items()]
    _publish(account_id, region, [(name, 1.0, "Count")], [dims], None, namespace)
