"""CloudWatch metric alarms: evaluated on the kit's clock, with history and SNS actions."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import call, make_queue

FAILS = """
def handler(event, context):
    if event.get("fail"):
        raise ValueError("boom")
    return "ok"
"""


@pytest.fixture
def cw(fresh):
    # Each test's data and its alarm's evaluation must fall in the same minute: not near its end.
    if time.time() % 60 > 55:
        time.sleep(60.2 - time.time() % 60)
    return fresh.client("cloudwatch")


def last_period_end(period: int = 60) -> datetime:
    """The end of the latest complete period (the alarm's periods are aligned to the epoch)."""
    now = int(time.time())
    return datetime.fromtimestamp(now // period * period, UTC)


def put(cw, values_by_periods_ago: dict[int, list[float]], name: str = "Latency") -> None:
    """Custom data points, `k` periods before the latest complete one ends (k=1: that one)."""
    end = last_period_end()
    data = [
        {"MetricName": name, "Timestamp": end - timedelta(seconds=60 * k - 30), "Value": value}
        for k, values in values_by_periods_ago.items()
        for value in values
    ]
    cw.put_metric_data(Namespace="Shop", MetricData=data)


def alarm(cw, name: str = "slow", **settings) -> dict:
    options = {
        "Namespace": "Shop",
        "MetricName": "Latency",
        **({} if "ExtendedStatistic" in settings else {"Statistic": "Average"}),
        "Period": 60,
        "EvaluationPeriods": 1,
        "Threshold": 100.0,
        "ComparisonOperator": "GreaterThanThreshold",
        **settings,
    }
    cw.put_metric_alarm(AlarmName=name, **options)
    return cw.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]


def test_a_new_alarm_without_data_has_insufficient_data(cw):
    assert alarm(cw)["StateValue"] == "INSUFFICIENT_DATA"
    assert alarm(cw, "calm", TreatMissingData="notBreaching")["StateValue"] == "OK"
    assert alarm(cw, "worried", TreatMissingData="breaching")["StateValue"] == "ALARM"


def test_the_latest_period_over_the_threshold_raises_the_alarm_with_awss_reason(cw):
    put(cw, {1: [150.0, 250.0]})
    found = alarm(cw)
    assert found["StateValue"] == "ALARM"
    assert found["StateReason"].startswith(
        "Threshold Crossed: 1 out of the last 1 datapoints [200.0 ("
    )
    assert found["StateReason"].endswith(
        "was greater than the threshold (100.0) (minimum 1 datapoint for OK -> ALARM transition)."
    )


def test_m_out_of_n_needs_m_breaching_periods(cw):
    put(cw, {3: [50.0], 2: [500.0], 1: [50.0]}, name="Latency")
    assert alarm(cw, "two-of-three", EvaluationPeriods=3, DatapointsToAlarm=2)["StateValue"] == "OK"
    put(cw, {3: [500.0]}, name="Latency")  # now 2 of the last 3 periods breach
    assert alarm(cw, "again", EvaluationPeriods=3, DatapointsToAlarm=2)["StateValue"] == "ALARM"


def test_percentiles_are_alarmed_on(cw):
    put(cw, {1: [10.0] * 8 + [900.0, 900.0]})
    assert alarm(cw, "p50", ExtendedStatistic="p50")["StateValue"] == "OK"
    assert alarm(cw, "p90", ExtendedStatistic="p90")["StateValue"] == "ALARM"


def test_errors_of_a_function_notify_the_topic_and_fill_the_history(fresh, deploy, lam, cw):
    deploy("flaky", FAILS)
    sns, sqs = fresh.client("sns"), fresh.client("sqs")
    topic = sns.create_topic(Name="oncall")["TopicArn"]
    url, queue_arn = make_queue(sqs, "pager")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    created = alarm(
        cw, "flaky-errors", Namespace="AWS/Lambda", MetricName="Errors", Statistic="Sum",
        Dimensions=[{"Name": "FunctionName", "Value": "flaky"}], Threshold=1.0,
        ComparisonOperator="GreaterThanOrEqualToThreshold", TreatMissingData="notBreaching",
        AlarmActions=[topic],
    )  # fmt: skip
    assert created["StateValue"] == "OK"
    call(lam, "flaky", {"fail": True})
    fresh.advance_clock(seconds=60)  # kit-only: the period of the error ends
    assert (
        cw.describe_alarms(AlarmNames=["flaky-errors"])["MetricAlarms"][0]["StateValue"] == "ALARM"
    )

    note = json.loads(sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"][0]["Body"])
    assert note["Subject"] == 'ALARM: "flaky-errors" in US East (N. Virginia)'
    message = json.loads(note["Message"])
    assert (message["OldStateValue"], message["NewStateValue"]) == ("OK", "ALARM")
    assert message["Trigger"]["Dimensions"] == [{"value": "flaky", "name": "FunctionName"}]
    assert message["Trigger"]["Statistic"] == "SUM"

    history = cw.describe_alarm_history(AlarmName="flaky-errors")["AlarmHistoryItems"]
    assert [h["HistorySummary"] for h in history if h["HistoryItemType"] == "StateUpdate"] == [
        "Alarm updated from OK to ALARM",
        "Alarm updated from INSUFFICIENT_DATA to OK",
    ]
    assert any(h["HistorySummary"] == f"Successfully executed action {topic}" for h in history)

    fresh.advance_clock(seconds=60)  # a period without errors
    assert cw.describe_alarms(AlarmNames=["flaky-errors"])["MetricAlarms"][0]["StateValue"] == "OK"


def test_set_alarm_state_is_in_the_history(cw):
    alarm(cw, "manual")
    cw.set_alarm_state(AlarmName="manual", StateValue="ALARM", StateReason="testing the pager")
    history = cw.describe_alarm_history(AlarmName="manual", HistoryItemType="StateUpdate")
    assert history["AlarmHistoryItems"][0]["HistorySummary"] == (
        "Alarm updated from INSUFFICIENT_DATA to ALARM"
    )


def test_data_after_the_clock_was_moved_is_placed_on_the_kits_clock(fresh, deploy, lam, cw):
    """Errors made after an advance_clock still raise the alarm (stamps stay real time)."""
    deploy("flaky", FAILS)
    fresh.advance_clock(hours=1)  # kit-only: an hour passes, quietly
    alarm(
        cw, "flaky-errors", Namespace="AWS/Lambda", MetricName="Errors", Statistic="Sum",
        Dimensions=[{"Name": "FunctionName", "Value": "flaky"}], Threshold=1.0,
        ComparisonOperator="GreaterThanOrEqualToThreshold", TreatMissingData="notBreaching",
    )  # fmt: skip
    call(lam, "flaky", {"fail": True})
    fresh.advance_clock(seconds=60)
    assert (
        cw.describe_alarms(AlarmNames=["flaky-errors"])["MetricAlarms"][0]["StateValue"] == "ALARM"
    )
