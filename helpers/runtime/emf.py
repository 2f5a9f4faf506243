"""Embedded metric format (EMF): log lines that CloudWatch Logs turns into metrics.

A function writes one JSON object per line, with an `_aws` member saying which of its other
members are metrics and which are dimensions; CloudWatch Logs publishes those metrics. This is how
Powertools for AWS Lambda's `Metrics` works, and it needs no `cloudwatch:PutMetricData` right.
Specification: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html

    {"_aws": {"Timestamp": 1700000000000,
              "CloudWatchMetrics": [{"Namespace": "Shop",
                                     "Dimensions": [["service"]],
                                     "Metrics": [{"Name": "OrdersPlaced", "Unit": "Count"}]}]},
     "service": "orders", "OrdersPlaced": 1}

On Lambda, text the runtime puts in front of the document (timestamp, request id) is allowed. An
invalid document stays in the log as an ordinary line and publishes nothing, as on AWS.
"""

from __future__ import annotations

import json
import math
import numbers
import re
import time
from datetime import UTC, datetime
from typing import Any

MARK = '"_aws"'  # cheap test: most log lines are not EMF and must cost next to nothing

# CloudWatch takes a data point's time stamp "as much as two weeks before the current date, and
# as much as 2 hours after the current day and time" (PutMetricData,
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html);
# Powertools' EMF_MAX_TIMESTAMP_PAST_AGE and EMF_MAX_TIMESTAMP_FUTURE_AGE are the same 14 days
# and 2 hours. A line stamped outside (seconds or nanoseconds instead of milliseconds) stays in
# the log and publishes nothing; the invocation itself succeeds.
OLDEST_MS = 14 * 24 * 3600 * 1000
NEWEST_MS = 2 * 3600 * 1000


class InvalidEMF(ValueError):
    """A document that claims to be EMF (it has `_aws`) but breaks the specification."""


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# What Python's Lambda runtime writes before a `logging` call's message in the Text format:
# "[INFO]\t2026-12-07T16:00:00.123Z\t<request id>\t". On Lambda, a document after it still
# counts, as aws-embedded-metrics' Lambda sink relies on (it logs through the runtime); any
# other text before or after the object does not.
_RUNTIME_PREFIX = re.compile(r"\[[A-Z]+\]\t[^\t]+\t[^\t]*\t")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _document(line: str) -> dict[str, Any] | None:
    """The log event's JSON object, if the message is one (after the runtime's prefix).

    "The LogEvent message MUST be a valid JSON object with no additional data at the beginning
    or end of the LogEvent message string" (its Root node; JSON as RFC 8259 has it, so no NaN
    or Infinity), https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html,
    as of 2026-12: `print("EMF", json.dumps(doc))` is no EMF."""
    text = line.strip()
    prefix = _RUNTIME_PREFIX.match(text)
    if prefix:
        text = text[prefix.end() :]
    if not text.startswith("{"):
        return None
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except ValueError:
        try:  # Python's json writes NaN and Infinity; CloudWatch can't read the line
            loose = json.loads(text)
        except ValueError:
            return None
        if isinstance(loose, dict) and "_aws" in loose:
            bad = [k for k, v in loose.items() if isinstance(v, float) and not math.isfinite(v)]
            stamp = (
                (loose.get("_aws") or {}).get("Timestamp")
                if isinstance(loose.get("_aws"), dict)
                else None
            )
            where = (
                "its Timestamp"
                if isinstance(stamp, float) and not math.isfinite(stamp)
                else (f"member {bad[0]!r}" if bad else "a value")
            )
            raise InvalidEMF(
                f"{where} is NaN or Infinity, which JSON doesn't have (json.dumps writes it; "
                "CloudWatch can't read the line)"
            ) from None
        return None
    return document if isinstance(document, dict) and "_aws" in document else None


def _number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _values(document: dict[str, Any], name: str) -> list[float]:
    if name not in document:
        raise InvalidEMF(f"metric {name!r} has no member of that name on the root node")
    value = document[name]
    values = value if isinstance(value, list) else [value]
    if not values or not all(_number(v) for v in values):
        raise InvalidEMF(f"metric {name!r} must be a number or an array of numbers: {value!r}")
    return [float(v) for v in values]


def parse(line: str, now: float | None = None) -> list[tuple[str, dict[str, Any]]]:
    """The metric data points in one log line: (namespace, PutMetricData datum), [] if not EMF.

    Raises InvalidEMF, saying what is wrong, for a document with `_aws` that breaks the spec,
    or whose Timestamp is outside what CloudWatch takes around `now` (seconds since the epoch;
    the current time by default).
    """
    if MARK not in line:
        return []
    document = _document(line)
    if document is None:
        return []
    meta = document["_aws"]
    if not isinstance(meta, dict):
        raise InvalidEMF("_aws must be an object")
    directives = meta.get("CloudWatchMetrics")
    if "CloudWatchMetrics" not in meta:
        # Member names are case-sensitive: a near miss is named, as it is the usual mistake.
        near = [key for key in meta if str(key).lower() == "cloudwatchmetrics"]
        raise InvalidEMF(
            f"_aws has no CloudWatchMetrics member: its key is spelled {near[0]!r}, and keys are "
            "case-sensitive (spell it 'CloudWatchMetrics')"
            if near
            else "_aws has no CloudWatchMetrics member (an array of metric directives)"
        )
    if not isinstance(directives, list):
        raise InvalidEMF("_aws.CloudWatchMetrics must be an array of metric directives")
    stamp = meta.get("Timestamp")
    if not _number(stamp):
        raise InvalidEMF("_aws.Timestamp must be a number: milliseconds since the epoch")
    now_ms = (time.time() if now is None else now) * 1000
    # `not (a <= x <= b)` refuses NaN and infinities too, before any date is made of them.
    if not now_ms - OLDEST_MS <= stamp <= now_ms + NEWEST_MS:
        raise InvalidEMF(
            f"_aws.Timestamp {stamp!r} is not within two weeks before and two hours after "
            "now, in milliseconds since the epoch: CloudWatch drops the data point"
        )
    moment = datetime.fromtimestamp(stamp / 1000, UTC).replace(tzinfo=None)
    points = []
    for directive in directives:
        if not isinstance(directive, dict):
            raise InvalidEMF("each metric directive must be an object")
        namespace = directive.get("Namespace")
        if not isinstance(namespace, str) or not namespace:
            raise InvalidEMF("a metric directive needs a Namespace (a string)")
        dimension_sets = directive.get("Dimensions")
        if not isinstance(dimension_sets, list) or not all(
            isinstance(keys, list) for keys in dimension_sets
        ):
            raise InvalidEMF("Dimensions must be an array of dimension sets (arrays of names)")
        definitions = directive.get("Metrics")
        if not isinstance(definitions, list):
            raise InvalidEMF("Metrics must be an array of metric definitions")
        resolved = []
        for keys in dimension_sets:
            dims = []
            for key in keys:
                if not isinstance(document.get(key), str):
                    raise InvalidEMF(f"dimension {key!r} needs a string member on the root node")
                dims.append({"Name": key, "Value": document[key]})
            resolved.append(dims)
        for definition in definitions:
            name = definition.get("Name") if isinstance(definition, dict) else None
            if not isinstance(name, str) or not name:
                raise InvalidEMF("each metric definition needs a Name (a string)")
            values = _values(document, name)
            for dims in resolved or [[]]:
                datum = {
                    "MetricName": name,
                    "Values": values,
                    "Unit": definition.get("Unit") or "None",
                    "Dimensions": dims,
                    "Timestamp": moment,
                }
                points.append((namespace, datum))
    return points


def extract(account_id: str, region: str, lines: list[str]) -> int:
    """Publish the EMF metrics of these log lines to the local CloudWatch; how many data points.

    Never raises: a log line must reach its log whatever it holds.
    """
    points = []
    for line in lines:
        if MARK not in line:
            continue
        try:
            points.extend(parse(line))
        except InvalidEMF:
            continue
        except Exception:  # a learner's line must never fail the invocation that wrote it
            continue
    if not points:
        return 0
    from moto.cloudwatch.models import cloudwatch_backends

    backend = cloudwatch_backends[account_id][region]
    published = 0
    for namespace, datum in points:
        try:
            backend.put_metric_data(namespace, [datum])
        except Exception:
            continue
        published += len(datum["Values"])
    return published
