"""CloudWatch metric queries answered as on AWS: exact dimensions, namespaces, percentiles.

Fixes in moto's GetMetricStatistics and GetMetricData:

- a query's dimensions must match a metric's dimensions exactly, no dimension meaning the
  metric published without any (moto also counted every metric that merely contained them, so
  `FunctionName=orders` added the `orders:live` alias's points a second time);
- GetMetricData with dimensions ignored the namespace;
- percentiles (`ExtendedStatistics=["p99"]`, `"Stat": "p90"`) were not computed at all;
- metric math did only `"Expression": "m1"`; arithmetic such as `100 * errors / calls` works;
- periods start at StartTime, as AWS aligns them, rather than at the first data point;
- ListMetrics lists each metric once (moto repeated those with none or several dimensions).

References: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Percentiles
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from moto.cloudwatch import models as cw_models
from moto.cloudwatch import responses as cw_responses
from moto.cloudwatch.exceptions import InvalidParameterCombination, InvalidParameterValue
from moto.cloudwatch.metric_data_expression_parser import parse_expression
from moto.core.responses import ActionResult

PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d+)?|100)$")


def apply() -> None:
    """Replace moto's GetMetricStatistics and GetMetricData with the AWS-like versions."""
    cw_models.CloudWatchBackend.get_metric_statistics = get_metric_statistics
    cw_models.CloudWatchBackend.get_metric_data = _metric_data(
        cw_models.CloudWatchBackend.get_metric_data
    )
    cw_responses.CloudWatchResponse.get_metric_statistics = api_get_metric_statistics
    cw_models.CloudWatchBackend.get_filtered_metrics = get_filtered_metrics


def _naive(moment: datetime) -> datetime:
    """UTC without tzinfo, as moto stores its data points."""
    if moment.tzinfo is not None:
        moment = (moment - moment.utcoffset()).replace(tzinfo=None)
    return moment


def _same_dimensions(datum: Any, wanted: list[dict[str, str]]) -> bool:
    have = sorted((d.name, d.value) for d in datum.dimensions)
    return have == sorted((d["Name"], d.get("Value")) for d in wanted)


def matching(
    backend: Any,
    namespace: str,
    name: str,
    dimensions: list[dict[str, str]],
    start: datetime,
    end: datetime,
    unit: str | None = None,
) -> list[Any]:
    """The data points of exactly this metric (namespace, name, dimensions) in [start, end)."""
    return [
        datum
        for datum in backend.get_all_metrics()
        if datum.namespace == namespace
        and datum.name == name
        and start <= datum.timestamp < end
        and (not unit or datum.unit == unit)
        and _same_dimensions(datum, dimensions)
    ]


def get_filtered_metrics(
    self: Any, metric_name: str, namespace: str, dimensions: list[dict[str, str]]
) -> list[Any]:
    """ListMetrics: each metric (namespace, name, dimensions) once, filtered as moto does."""
    seen: set[tuple] = set()
    found = []
    for datum in self.get_all_metrics():
        if not datum.filter(namespace=namespace, name=metric_name, dimensions=dimensions):
            continue
        dims = tuple(sorted((d.name, d.value) for d in datum.dimensions))
        identity = (datum.namespace, datum.name, dims)
        if identity not in seen:
            seen.add(identity)
            found.append(datum)
    return found


def percentile(values: Iterable[float], p: float) -> float | None:
    """The p-th percentile (0-100) of the values, linearly interpolated; None when empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _statistic(points: list[Any], stat: str) -> float | None:
    """One statistic (Sum, Average, ..., or a percentile such as p99) of these data points."""
    singles = [p.value for p in points if isinstance(p, cw_models.MetricDatum)]
    sets = [p for p in points if isinstance(p, cw_models.MetricAggregatedDatum)]
    count = len(singles) + sum(s.sample_count for s in sets)
    total = sum(singles) + sum(s.sum for s in sets)
    if not count:
        return None
    if stat == "SampleCount":
        return float(count)
    if stat == "Sum":
        return float(total)
    if stat == "Average":
        return total / count
    if stat == "Minimum":
        return float(min(singles + [s.min for s in sets]))
    if stat == "Maximum":
        return float(max(singles + [s.max for s in sets]))
    found = PERCENTILE.match(stat)
    if found and not sets:  # statistic sets carry no distribution to take a percentile of
        return percentile(singles, float(found.group(1)))
    return None


def _periods(points: list[Any], start: datetime, period: int) -> dict[datetime, list[Any]]:
    step = timedelta(seconds=period)
    buckets: dict[datetime, list[Any]] = {}
    for datum in points:
        index = (datum.timestamp - start) // step
        buckets.setdefault(start + index * step, []).append(datum)
    return dict(sorted(buckets.items()))


def get_metric_statistics(
    self: Any,
    namespace: str,
    metric_name: str,
    start_time: datetime,
    end_time: datetime,
    period: int,
    stats: list[str],
    dimensions: list[dict[str, str]],
    unit: str | None = None,
    extended: list[str] | None = None,
) -> list[Any]:
    """GetMetricStatistics: one Statistics per period holding data, exact dimensions."""
    start = _naive(start_time).replace(microsecond=0)
    end = _naive(end_time).replace(microsecond=0)
    if start >= end:
        raise InvalidParameterValue(
            "The parameter StartTime must be less than the parameter EndTime."
        )
    points = matching(self, namespace, metric_name, dimensions or [], start, end, unit)
    answers = []
    for moment, bucket in _periods(points, start, period).items():
        statistics = cw_models.Statistics(stats, moment)
        statistics.metric_data = bucket
        statistics.unit = bucket[-1].unit
        if extended:
            values = {p: _statistic(bucket, p) for p in extended}
            statistics.extended_statistics = {p: v for p, v in values.items() if v is not None}
        answers.append(statistics)
    return answers


def api_get_metric_statistics(self: Any) -> ActionResult:
    """GetMetricStatistics over the API, with ExtendedStatistics (percentiles) too."""
    statistics = self._get_param("Statistics", [])
    extended = self._get_param("ExtendedStatistics", [])
    if not statistics and not extended:
        raise InvalidParameterCombination("Must specify either Statistics or ExtendedStatistics")
    for stat in extended:
        if not PERCENTILE.match(stat):
            raise InvalidParameterValue(
                f"The value {stat} for parameter ExtendedStatistics is not supported."
            )
    name = self._get_param("MetricName")
    datapoints = self.cloudwatch_backend.get_metric_statistics(
        self._get_param("Namespace"),
        name,
        self._get_param("StartTime"),
        self._get_param("EndTime"),
        self._get_int_param("Period"),
        statistics,
        unit=self._get_param("Unit"),
        dimensions=self._get_param("Dimensions", []),
        extended=extended,
    )
    return ActionResult({"Label": name, "Datapoints": datapoints})


_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}


def _divide(a: float, b: float) -> float:
    return a / b if b else math.nan


def arithmetic(expression: str, series: dict[str, dict[datetime, float]]) -> dict | None:
    """Metric math of + - * / on query ids and numbers, per timestamp; None if not arithmetic."""
    try:
        tree = ast.parse(expression, mode="eval").body
    except SyntaxError:
        return None

    def value(node: ast.AST) -> Any:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name) and node.id in series:
            return series[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return combine(-1.0, value(node.operand), operator.mul)
        if isinstance(node, ast.BinOp) and type(node.op) in (*_OPERATORS, ast.Div):
            how = _divide if isinstance(node.op, ast.Div) else _OPERATORS[type(node.op)]
            return combine(value(node.left), value(node.right), how)
        raise ValueError(expression)

    def combine(left: Any, right: Any, how: Callable) -> Any:
        if isinstance(left, dict) and isinstance(right, dict):
            return {t: how(left[t], right[t]) for t in left if t in right}
        if isinstance(left, dict):
            return {t: how(v, right) for t, v in left.items()}
        if isinstance(right, dict):
            return {t: how(left, v) for t, v in right.items()}
        return how(left, right)

    try:
        result = value(tree)
    except (ValueError, KeyError):
        return None
    return result if isinstance(result, dict) else None


def _metric_data(original: Callable) -> Callable:
    def get_metric_data(
        self: Any,
        queries: list[dict[str, Any]],
        start_time: datetime,
        end_time: datetime,
        scan_by: str = "TimestampAscending",
    ) -> list[dict[str, Any]]:
        """GetMetricData: MetricStat queries with exact dimensions and percentile stats; metric
        math on their results as moto does (Metrics Insights SELECT queries: moto's own)."""
        if any(str(q.get("Expression", "")).startswith("SELECT") for q in queries):
            return original(self, queries, start_time, end_time, scan_by)
        start = _naive(start_time).replace(microsecond=0)
        end = _naive(end_time).replace(microsecond=0)
        if start >= end:
            raise cw_models.ValidationError(
                "The parameter StartTime must be less than the parameter EndTime."
            )
        results, shown = [], []
        for query in queries:
            if "MetricStat" not in query:
                continue
            stat = query["MetricStat"]
            metric = stat["Metric"]
            points = matching(
                self,
                metric.get("Namespace"),
                metric.get("MetricName"),
                metric.get("Dimensions", []),
                start,
                end,
                stat.get("Unit"),
            )
            timestamps, values = [], []
            for moment, bucket in _periods(points, start, int(stat["Period"])).items():
                value = _statistic(bucket, stat["Stat"])
                if value is not None:
                    timestamps.append(moment)
                    values.append(value)
            if scan_by == "TimestampDescending":
                timestamps.reverse()
                values.reverse()
            result = {
                "id": query["Id"],
                "label": query.get("Label") or f"{metric.get('MetricName')} {stat['Stat']}",
                "values": values,
                "timestamps": timestamps,
                "status_code": "Complete",
            }
            results.append(result)
            if query.get("ReturnData", True):
                shown.append(result)
        series = {r["id"]: dict(zip(r["timestamps"], r["values"], strict=True)) for r in results}
        for query in queries:
            if "Expression" in query:
                computed = arithmetic(query["Expression"], series)
                if computed is None:
                    values, timestamps = parse_expression(query["Expression"], results)
                else:
                    ordered = sorted(computed.items(), reverse=scan_by == "TimestampDescending")
                    timestamps = [moment for moment, _ in ordered]
                    values = [number for _, number in ordered]
                shown.append(
                    {
                        "id": query["Id"],
                        "label": query.get("Label") or query["Id"],
                        "values": values,
                        "timestamps": timestamps,
                        "status_code": "Complete",
                    }
                )
        return shown

    return get_metric_data
