"""AWS/Lambda metrics the kit emits into the local CloudWatch, by function name."""

from __future__ import annotations

from typing import Any


def put(fn: Any, name: str, value: float = 1.0) -> None:
    """Add one data point to the AWS/Lambda metric `name` of the function (never raises)."""
    from moto.cloudwatch.models import cloudwatch_backends

    try:
        cloudwatch_backends[fn.account_id][fn.region].put_metric_data(
            "AWS/Lambda",
            [
                {
                    "MetricName": name,
                    "Value": float(value),
                    "Unit": "Count",
                    "Dimensions": [{"Name": "FunctionName", "Value": fn.function_name}],
                }
            ],
        )
    except Exception:  # a metric must never break an invocation
        pass
