"""Lambda's own metrics (AWS/Lambda) in the local CloudWatch: what the logs say, as on AWS."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from helpers.pricing import report_frame
from tests.conftest import call, log_messages

FLAKY = """
import time

def handler(event, context):
    time.sleep(event.get("sleep", 0))
    if event.get("fail"):
        raise ValueError("asked to fail")
    return "ok"
"""


@pytest.fixture
def cw(fresh):
    return fresh.client("cloudwatch")


def _window() -> dict:
    now = datetime.now(UTC)
    return {"StartTime": now - timedelta(minutes=10), "EndTime": now + timedelta(minutes=5)}


def _stats(cw, name: str, dimensions: dict[str, str], **kwargs) -> dict:
    """The single datapoint of one AWS/Lambda metric over the last minutes ({} if none)."""
    kwargs.setdefault("Statistics", ["Sum", "SampleCount", "Average", "Maximum", "Minimum"])
    points = cw.get_metric_statistics(
        Namespace="AWS/Lambda",
        MetricName=name,
        Dimensions=[{"Name": k, "Value": v} for k, v in dimensions.items()],
        Period=3600,
        **_window(),
        **kwargs,
    )["Datapoints"]
    assert len(points) <= 1
    return points[0] if points else {}


def test_invocations_errors_and_duration_match_the_report_lines(deploy, lam, logs, cw):
    deploy("flaky", FLAKY)
    events = [{}, {"fail": True}, {"sleep": 0.03}, {}, {"fail": True}]
    for event in events:
        call(lam, "flaky", event)
    reports = report_frame(log_messages(logs, "flaky", "REPORT"))
    fn = {"FunctionName": "flaky"}

    assert _stats(cw, "Invocations", fn)["Sum"] == len(reports) == 5
    errors = _stats(cw, "Errors", fn)
    assert errors["Sum"] == 2
    assert errors["Average"] == pytest.approx(2 / 5)  # the error rate
    duration = _stats(cw, "Duration", fn, ExtendedStatistics=["p50", "p90"])
    assert duration["Unit"] == "Milliseconds"
    assert duration["SampleCount"] == 5
    assert duration["Maximum"] == pytest.approx(reports["duration_ms"].max())
    assert duration["Minimum"] == pytest.approx(reports["duration_ms"].min())
    assert duration["Maximum"] >= 30  # the invocation that slept
    for p in (50, 90):
        expected = reports["duration_ms"].quantile(p / 100)
        assert duration["ExtendedStatistics"][f"p{p}"] == pytest.approx(expected)


def test_a_throttle_is_counted_though_the_function_never_ran(deploy, lam, logs, cw):
    deploy("closed", "def handler(event, context):\n    print('ran')\n")
    lam.put_function_concurrency(FunctionName="closed", ReservedConcurrentExecutions=0)
    for _ in range(3):
        with pytest.raises(ClientError) as excinfo:
            lam.invoke(FunctionName="closed")
        assert excinfo.value.response["Error"]["Code"] == "TooManyRequestsException"

    assert _stats(cw, "Throttles", {"FunctionName": "closed"})["Sum"] == 3
    assert _stats(cw, "Invocations", {"FunctionName": "closed"}) == {}  # not an invocation
    assert log_messages(logs, "closed") == []  # and nothing in the logs


def test_versions_and_aliases_have_their_own_resource_series(deploy, lam, cw):
    deploy("priced", "def handler(event, context):\n    return 1\n")
    version = lam.publish_version(FunctionName="priced")["Version"]
    lam.create_alias(FunctionName="priced", Name="live", FunctionVersion=version)
    call(lam, "priced")
    call(lam, "priced:live")
    call(lam, "priced:live")
    call(lam, f"priced:{version}")

    def invocations(**dims: str) -> float:
        return _stats(cw, "Invocations", {"FunctionName": "priced", **dims}).get("Sum", 0)

    assert invocations() == 4  # FunctionName alone: every version and alias
    assert invocations(Resource="priced:live") == 2
    assert invocations(Resource=f"priced:{version}") == 1
    assert invocations(Resource="priced:live", ExecutedVersion=version) == 2


def test_concurrent_executions_and_the_account_aggregate(deploy, lam, fresh, cw):
    deploy("slow", FLAKY)
    deploy("other", FLAKY)
    threads = [
        threading.Thread(target=call, args=(fresh.client("lambda"), "slow", {"sleep": 0.6}))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    call(lam, "other")

    concurrent = _stats(cw, "ConcurrentExecutions", {"FunctionName": "slow"})
    assert concurrent["Maximum"] >= 2  # at least two of the three overlapped
    assert _stats(cw, "Invocations", {})["Sum"] == 4  # no dimension: the whole account


def test_get_metric_data_answers_percentiles_and_metric_math(deploy, lam, logs, cw):
    deploy("flaky", FLAKY)
    for event in [{}, {"sleep": 0.02}, {"fail": True}, {}]:
        call(lam, "flaky", event)
    metric = {"Namespace": "AWS/Lambda", "Dimensions": [{"Name": "FunctionName", "Value": "flaky"}]}
    answer = cw.get_metric_data(
        MetricDataQueries=[
            {
                "Id": "p90",
                "MetricStat": {
                    "Metric": {**metric, "MetricName": "Duration"},
                    "Period": 3600,
                    "Stat": "p90",
                },
            },
            {
                "Id": "errors",
                "MetricStat": {
                    "Metric": {**metric, "MetricName": "Errors"},
                    "Period": 3600,
                    "Stat": "Sum",
                },
                "ReturnData": False,
            },
            {
                "Id": "calls",
                "MetricStat": {
                    "Metric": {**metric, "MetricName": "Invocations"},
                    "Period": 3600,
                    "Stat": "Sum",
                },
                "ReturnData": False,
            },
            {"Id": "rate", "Expression": "errors / calls"},
        ],
        **_window(),
    )
    results = {r["Id"]: r["Values"] for r in answer["MetricDataResults"]}
    durations = report_frame(log_messages(logs, "flaky", "REPORT"))["duration_ms"]
    assert results["p90"] == [pytest.approx(durations.quantile(0.9))]
    assert results["rate"] == [pytest.approx(0.25)]
    assert set(results) == {"p90", "rate"}  # ReturnData=False kept out


def test_queries_match_dimensions_exactly_and_list_each_metric_once(fresh, cw):
    # Published by hand: the same rules hold for custom metrics as for Lambda's.
    cw.put_metric_data(
        Namespace="Shop",
        MetricData=[
            {"MetricName": "Sales", "Value": 1, "Dimensions": [{"Name": "Store", "Value": "a"}]},
            {
                "MetricName": "Sales",
                "Value": 10,
                "Dimensions": [{"Name": "Store", "Value": "a"}, {"Name": "Till", "Value": "1"}],
            },
            {"MetricName": "Sales", "Value": 100},
        ],
    )
    cw.put_metric_data(Namespace="Other", MetricData=[{"MetricName": "Sales", "Value": 1000}])

    def total(namespace: str, dims: list[dict]) -> float:
        points = cw.get_metric_statistics(
            Namespace=namespace,
            MetricName="Sales",
            Dimensions=dims,
            Period=3600,
            Statistics=["Sum"],
            **_window(),
        )["Datapoints"]
        return sum(p["Sum"] for p in points)

    assert total("Shop", [{"Name": "Store", "Value": "a"}]) == 1
    assert total("Shop", []) == 100
    assert total("Other", []) == 1000
    listed = cw.list_metrics(Namespace="Shop", MetricName="Sales")["Metrics"]
    assert len(listed) == 3


def test_a_percentile_statistic_must_be_one_cloudwatch_knows(fresh, cw):
    with pytest.raises(ClientError) as excinfo:
        cw.get_metric_statistics(
            Namespace="AWS/Lambda",
            MetricName="Duration",
            Period=60,
            ExtendedStatistics=["median"],
            **_window(),
        )
    assert excinfo.value.response["Error"]["Code"] == "InvalidParameterValue"
