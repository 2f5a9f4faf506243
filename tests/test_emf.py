"""Embedded metric format: a function's log lines become CloudWatch metrics, as on AWS."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from helpers.packaging import site_packages_zip, zip_bytes
from helpers.runtime import emf
from tests.conftest import call, log_messages

HAND_WRITTEN = """
import json, time

def handler(event, context):
    print(json.dumps({
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [{
                "Namespace": "Shop",
                "Dimensions": [["service"], ["service", "country"]],
                "Metrics": [{"Name": "OrdersPlaced", "Unit": "Count"},
                            {"Name": "BasketValue", "Unit": "None"}],
            }],
        },
        "service": "orders",
        "country": event.get("country", "FR"),
        "OrdersPlaced": 1,
        "BasketValue": event.get("values", [10.0]),
        "orderId": "not a metric: just kept in the log",
    }))
    return "ok"
"""


def _window() -> dict:
    now = datetime.now(UTC)
    return {"StartTime": now - timedelta(minutes=10), "EndTime": now + timedelta(minutes=5)}


def _stats(cw, namespace: str, name: str, dims: dict[str, str]) -> dict:
    points = cw.get_metric_statistics(
        Namespace=namespace,
        MetricName=name,
        Dimensions=[{"Name": k, "Value": v} for k, v in dims.items()],
        Period=3600,
        Statistics=["Sum", "SampleCount", "Maximum"],
        **_window(),
    )["Datapoints"]
    return points[0] if points else {}


def test_a_printed_emf_line_becomes_metrics_for_each_dimension_set(deploy, lam, logs, fresh):
    cw = fresh.client("cloudwatch")
    deploy("shop", HAND_WRITTEN)
    call(lam, "shop", {"country": "FR", "values": [10.0, 30.0]})
    call(lam, "shop", {"country": "DE"})

    assert _stats(cw, "Shop", "OrdersPlaced", {"service": "orders"})["Sum"] == 2
    assert _stats(cw, "Shop", "OrdersPlaced", {"service": "orders", "country": "FR"})["Sum"] == 1
    basket = _stats(cw, "Shop", "BasketValue", {"service": "orders"})
    assert basket["SampleCount"] == 3  # an array of values is that many data points
    assert basket["Maximum"] == 30.0
    names = {m["MetricName"] for m in cw.list_metrics(Namespace="Shop")["Metrics"]}
    assert names == {"OrdersPlaced", "BasketValue"}  # orderId stays a log field
    # The line itself is still in the log, as on AWS.
    assert any('"_aws"' in line for line in log_messages(logs, "shop"))


def test_emf_after_the_runtime_prefix_of_a_logging_call_counts(deploy, lam, fresh):
    # On Lambda, the text the runtime puts before a document (level, time, request id) is allowed.
    deploy(
        "logged",
        """
import json, logging, time
logging.getLogger().setLevel(logging.INFO)

def handler(event, context):
    logging.info(json.dumps({
        "_aws": {"Timestamp": int(time.time() * 1000),
                 "CloudWatchMetrics": [{"Namespace": "Jobs", "Dimensions": [[]],
                                        "Metrics": [{"Name": "Processed"}]}]},
        "Processed": 5,
    }))
""",
    )
    call(lam, "logged")
    assert _stats(fresh.client("cloudwatch"), "Jobs", "Processed", {})["Sum"] == 5


def test_an_invalid_document_publishes_nothing_and_stays_in_the_log(deploy, lam, logs, fresh):
    deploy(
        "broken",
        """
import json, time

def handler(event, context):
    print(json.dumps({
        "_aws": {"Timestamp": int(time.time() * 1000),
                 "CloudWatchMetrics": [{"Namespace": "Shop", "Dimensions": [["service"]],
                                        "Metrics": [{"Name": "OrdersPlaced"}]}]},
        "OrdersPlaced": 1,
    }))
""",
    )
    call(lam, "broken")
    assert fresh.client("cloudwatch").list_metrics(Namespace="Shop")["Metrics"] == []
    assert any('"OrdersPlaced"' in line for line in log_messages(logs, "broken"))


def test_parse_reads_the_specification():
    stamp = 1_700_000_000_000
    line = json.dumps(
        {
            "_aws": {
                "Timestamp": stamp,
                "CloudWatchMetrics": [
                    {
                        "Namespace": "App",
                        "Dimensions": [["stage"]],
                        "Metrics": [{"Name": "Latency", "Unit": "Milliseconds"}, {"Name": "Hits"}],
                    }
                ],
            },
            "stage": "prod",
            "Latency": [12.5, 7],
            "Hits": 3,
        }
    )
    points = emf.parse(f"[INFO]\t2024-01-01T00:00:00.000Z\tabc\t{line}", now=stamp / 1000)
    assert [(ns, d["MetricName"], d["Values"], d["Unit"]) for ns, d in points] == [
        ("App", "Latency", [12.5, 7.0], "Milliseconds"),
        ("App", "Hits", [3.0], "None"),  # no Unit: NONE, as the specification says
    ]
    assert points[0][1]["Dimensions"] == [{"Name": "stage", "Value": "prod"}]
    assert points[0][1]["Timestamp"] == datetime.fromtimestamp(stamp / 1000, UTC).replace(
        tzinfo=None
    )
    assert emf.parse("an ordinary line") == []
    assert emf.parse('{"level": "INFO", "message": "json, but not EMF"}') == []


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        ({"_aws": {"CloudWatchMetrics": []}}, "Timestamp"),
        ({"_aws": {"Timestamp": 1}}, "no CloudWatchMetrics member"),
        # keys are case-sensitive: a near miss is named (learner trial 8, M D1)
        ({"_aws": {"Timestamp": 1, "CloudwatchMetrics": []}}, "spelled 'CloudwatchMetrics'"),
        ({"_aws": {"Timestamp": 1, "CloudWatchMetrics": {}}}, "must be an array"),
        (
            {
                "_aws": {
                    "Timestamp": 1,
                    "CloudWatchMetrics": [
                        {"Namespace": "A", "Dimensions": [[]], "Metrics": [{"Name": "M"}]}
                    ],
                },
                "M": "seven",
            },
            "number",
        ),
        (
            {
                "_aws": {
                    "Timestamp": 1,
                    "CloudWatchMetrics": [{"Dimensions": [[]], "Metrics": [{"Name": "M"}]}],
                },
                "M": 1,
            },
            "Namespace",
        ),
    ],
)
def test_parse_says_what_breaks_the_specification(document, complaint):
    with pytest.raises(emf.InvalidEMF, match=complaint):
        emf.parse(json.dumps(document), now=0)  # Timestamp 1: 1 ms after "now"


def _stamped(stamp: object) -> str:
    return json.dumps(
        {
            "_aws": {
                "Timestamp": stamp,
                "CloudWatchMetrics": [
                    {"Namespace": "A", "Dimensions": [[]], "Metrics": [{"Name": "M"}]}
                ],
            },
            "M": 1,
        }
    )


NOW = 1_800_000_000.0  # seconds since the epoch: "now" for the tests below
HOUR_MS = 3600 * 1000


@pytest.mark.parametrize(
    "stamp",
    [
        int(NOW * 1_000_000_000),  # nanoseconds (time.time_ns()): a year out of datetime's range
        int(NOW * 1_000_000),  # microseconds
        int(NOW),  # seconds: January 1970 as milliseconds
        int(NOW * 1000) - 15 * 24 * HOUR_MS,  # 15 days old
        int(NOW * 1000) + 3 * HOUR_MS,  # 3 hours ahead
        float("nan"),
        float("inf"),
    ],
)
def test_parse_refuses_a_timestamp_cloudwatch_would_drop(stamp):
    # PutMetricData takes time stamps up to two weeks old and two hours ahead.
    with pytest.raises(emf.InvalidEMF, match="Timestamp"):
        emf.parse(_stamped(stamp), now=NOW)


@pytest.mark.parametrize(
    "stamp",
    [int(NOW * 1000) - 13 * 24 * HOUR_MS, int(NOW * 1000) + HOUR_MS, NOW * 1000 + 0.5],
)
def test_parse_takes_a_timestamp_within_two_weeks_old_and_two_hours_ahead(stamp):
    (point,) = emf.parse(_stamped(stamp), now=NOW)
    assert point[1]["MetricName"] == "M"


def test_a_timestamp_in_nanoseconds_publishes_nothing_and_the_invoke_succeeds(
    deploy, lam, logs, fresh
):
    # A learner trial: time.time_ns() as the Timestamp made the kit fail the invocation. On AWS
    # the function succeeds and CloudWatch drops the data point; the line stays in the log.
    deploy(
        "nanos",
        """
import json, time

def handler(event, context):
    print(json.dumps({
        "_aws": {"Timestamp": time.time_ns(),
                 "CloudWatchMetrics": [{"Namespace": "Shop", "Dimensions": [[]],
                                        "Metrics": [{"Name": "OrdersPlaced"}]}]},
        "OrdersPlaced": 1,
    }))
    return "ok"
""",
    )
    response, payload = call(lam, "nanos")
    assert "FunctionError" not in response
    assert payload == "ok"
    assert fresh.client("cloudwatch").list_metrics(Namespace="Shop")["Metrics"] == []
    assert any('"OrdersPlaced"' in line for line in log_messages(logs, "nanos"))


def test_powertools_metrics_from_a_layer_become_real_metrics(deploy, lam, fresh):
    files = site_packages_zip("aws-lambda-powertools", prefix="python/")
    layer = lam.publish_layer_version(
        LayerName="powertools",
        Content={"ZipFile": zip_bytes(files)},
        CompatibleRuntimes=["python3.12"],
    )["LayerVersionArn"]
    deploy(
        "checkout",
        """
from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

metrics = Metrics(namespace="Shop", service="checkout")

@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event, context):
    metrics.add_metric(name="OrdersPlaced", unit=MetricUnit.Count, value=event["orders"])
""",
        Layers=[layer],
    )
    call(lam, "checkout", {"orders": 2})
    call(lam, "checkout", {"orders": 3})
    cw = fresh.client("cloudwatch")
    assert _stats(cw, "Shop", "OrdersPlaced", {"service": "checkout"})["Sum"] == 5
    cold = _stats(cw, "Shop", "ColdStart", {"function_name": "checkout", "service": "checkout"})
    assert cold["Sum"] == 1  # Powertools counts the one cold start


@pytest.mark.parametrize(
    "wrap",
    [
        lambda doc: f"EMF {doc}",  # print("EMF", json.dumps(doc)): text before the object
        lambda doc: f"{doc} done",  # text after it
    ],
    ids=["label-before", "text-after"],
)
def test_a_message_that_is_not_only_a_json_object_is_no_emf(wrap):
    # The specification's Root node: "a valid JSON object with no additional data at the
    # beginning or end" (learner trial 10, XD4). The runtime's own prefix of a logging call is
    # allowed (test_emf_after_the_runtime_prefix_of_a_logging_call_counts).
    line = wrap(_stamped(int(NOW * 1000)))
    assert emf.parse(line, now=NOW) == []
    assert emf.parse(_stamped(int(NOW * 1000)), now=NOW)  # the bare object is


def test_nan_in_a_member_is_no_json_and_publishes_nothing():
    # json.dumps writes NaN; RFC 8259 JSON has none (learner trial 10, XD16).
    line = _stamped(int(NOW * 1000)).replace('"M": 1', '"M": 1, "avg": NaN')
    with pytest.raises(emf.InvalidEMF, match="'avg' is NaN"):
        emf.parse(line, now=NOW)
