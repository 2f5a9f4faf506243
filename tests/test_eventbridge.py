"""EventBridge: rules with event patterns, scheduled rules, EventBridge Scheduler, the clock."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from helpers import events as samples
from tests.conftest import allow_invoke, log_messages, role_allowing

RULES = "arn:aws:events:us-east-1:123456789012:rule"  # a rule's ARN is RULES/<name>

RECORDER = """
import json
import re
def handler(event, context):
    print("EVENT", json.dumps(event))
"""


def received(logs, name: str) -> list[dict]:
    return [
        json.loads(m.removeprefix("EVENT "))
        for m in log_messages(logs, name)
        if m.startswith("EVENT ")
    ]


@pytest.fixture
def eb(fresh):
    return fresh.client("events")


def test_put_events_reaches_the_function_of_a_matching_rule_only(fresh, deploy, logs, eb):
    arn = deploy("on-order", RECORDER)["FunctionArn"]
    eb.put_rule(
        Name="big-orders",
        EventPattern=json.dumps(
            {
                "source": ["shop"],
                "detail-type": ["OrderPlaced"],
                "detail": {"total": [{"numeric": [">", 100]}]},
            }
        ),
    )
    allow_invoke(arn, "events.amazonaws.com", f"{RULES}/big-orders")
    eb.put_targets(Rule="big-orders", Targets=[{"Id": "fn", "Arn": arn}])
    entries = [
        {"Source": "shop", "DetailType": "OrderPlaced", "Detail": json.dumps({"total": 250})},
        {"Source": "shop", "DetailType": "OrderPlaced", "Detail": json.dumps({"total": 5})},
        {"Source": "other", "DetailType": "OrderPlaced", "Detail": json.dumps({"total": 999})},
    ]
    sent = eb.put_events(Entries=entries)
    assert sent["FailedEntryCount"] == 0
    assert fresh.wait(10)
    [event] = received(logs, "on-order")
    assert event["detail"] == {"total": 250}
    assert event["id"] == sent["Entries"][0]["EventId"]
    assert event["source"] == "shop" and event["detail-type"] == "OrderPlaced"
    optional = samples.optional_paths("eventbridge")  # the detail is the sender's own
    assert samples.shape_differences(samples.load("eventbridge"), event, optional) == []


def test_a_disabled_rule_does_not_fire(fresh, deploy, logs, eb):
    arn = deploy("on-order", RECORDER)["FunctionArn"]
    eb.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    allow_invoke(arn, "events.amazonaws.com", f"{RULES}/orders")
    eb.put_targets(Rule="orders", Targets=[{"Id": "fn", "Arn": arn}])
    eb.disable_rule(Name="orders")
    eb.put_events(Entries=[{"Source": "shop", "DetailType": "x", "Detail": "{}"}])
    assert fresh.wait(10)
    time.sleep(0.2)
    assert received(logs, "on-order") == []


def test_target_input_and_input_path_are_what_the_function_gets(fresh, deploy, logs, eb):
    arn = deploy("on-order", RECORDER)["FunctionArn"]
    eb.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    allow_invoke(arn, "events.amazonaws.com", f"{RULES}/orders")
    eb.put_targets(
        Rule="orders",
        Targets=[
            {"Id": "constant", "Arn": arn, "Input": json.dumps({"fixed": True})},
            {"Id": "detail", "Arn": arn, "InputPath": "$.detail"},
        ],
    )
    eb.put_events(Entries=[{"Source": "shop", "DetailType": "x", "Detail": '{"n": 1}'}])
    assert fresh.wait(10)
    got = received(logs, "on-order")
    assert sorted(got, key=json.dumps) == sorted([{"fixed": True}, {"n": 1}], key=json.dumps)


def test_an_hourly_cron_rule_fires_24_times_in_order_over_a_fast_forwarded_day(
    fresh, deploy, logs, eb
):
    arn = deploy("nightly", RECORDER)["FunctionArn"]
    eb.put_rule(Name="hourly", ScheduleExpression="cron(0 * * * ? *)")
    allow_invoke(arn, "events.amazonaws.com", f"{RULES}/hourly")
    eb.put_targets(Rule="hourly", Targets=[{"Id": "fn", "Arn": arn}])
    start = fresh.now()
    fresh.advance_clock(days=1)
    got = received(logs, "nightly")
    assert len(got) == 24
    times = [datetime.strptime(e["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) for e in got]
    assert times == sorted(times)
    assert all(t.minute == 0 and t.second == 0 for t in times)
    assert start < times[0] and times[-1] <= fresh.now()
    event = got[0]
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] == "aws.events"
    assert event["resources"] == [eb.describe_rule(Name="hourly")["Arn"]]
    assert samples.shape_differences(samples.load("eventbridge_scheduled"), event) == []


def test_a_rate_rule_counts_from_its_creation(fresh, deploy, logs, eb):
    arn = deploy("ticker", RECORDER)["FunctionArn"]
    eb.put_rule(Name="every-5", ScheduleExpression="rate(5 minutes)")
    allow_invoke(arn, "events.amazonaws.com", f"{RULES}/every-5")
    eb.put_targets(Rule="every-5", Targets=[{"Id": "fn", "Arn": arn}])
    fresh.advance_clock(minutes=4)
    assert received(logs, "ticker") == []
    fresh.advance_clock(minutes=26)
    assert len(received(logs, "ticker")) == 6


def test_a_deleted_or_disabled_scheduled_rule_stops_firing(fresh, deploy, logs, eb):
    arn = deploy("ticker", RECORDER)["FunctionArn"]
    eb.put_rule(Name="every-minute", ScheduleExpression="rate(1 minute)")
    allow_invoke(arn, "events.amazonaws.com", f"{RULES}/every-minute")
    eb.put_targets(Rule="every-minute", Targets=[{"Id": "fn", "Arn": arn}])
    fresh.advance_clock(minutes=3)
    assert len(received(logs, "ticker")) == 3
    eb.disable_rule(Name="every-minute")
    fresh.advance_clock(minutes=3)
    assert len(received(logs, "ticker")) == 3


def test_invalid_schedule_expressions_are_refused_with_aws_words(eb):
    for bad in ("rate(1 minutes)", "cron(0 8 * * *)", "cron(0 8 * * MON *)"):
        with pytest.raises(ClientError) as error:
            eb.put_rule(Name="bad", ScheduleExpression=bad)
        assert error.value.response["Error"]["Code"] == "ValidationException"
        assert "Parameter ScheduleExpression is not valid." in str(error.value)


def test_eventbridge_scheduler_runs_a_lambda_target_with_its_input(fresh, deploy, logs):
    arn = deploy("reminder", RECORDER)["FunctionArn"]
    scheduler = fresh.client("scheduler")
    scheduler.create_schedule(
        Name="standup",
        ScheduleExpression="cron(30 9 ? * MON-FRI *)",
        ScheduleExpressionTimezone="Europe/London",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={
            "Arn": arn,
            "RoleArn": role_allowing("scheduler", ["lambda:InvokeFunction"], arn),
            "Input": json.dumps({"say": "standup", "at": "<aws.scheduler.scheduled-time>"}),
        },
    )
    fresh.advance_clock(days=7)
    got = received(logs, "reminder")
    assert len(got) == 5  # one per weekday
    assert all(e["say"] == "standup" for e in got)
    hours = {datetime.strptime(e["at"], "%Y-%m-%dT%H:%M:%SZ").hour for e in got}
    assert hours <= {8, 9}  # 09:30 London is 09:30 or 08:30 UTC


@pytest.mark.parametrize("start_in_minutes", [None, 10])
def test_a_scheduler_rate_runs_first_at_its_start_date_or_at_once(
    fresh, deploy, logs, start_in_minutes
):
    # "If you don't provide a StartDate for a rate-based schedule, your schedule starts
    # invoking the target immediately" (Scheduler guide, schedule-types.html). A rule's rate
    # counts one period from its creation (test_schedules).
    arn = deploy("reminder", RECORDER)["FunctionArn"]
    created = fresh.now()
    extra = {}
    if start_in_minutes:
        extra["StartDate"] = created + timedelta(minutes=start_in_minutes)
    fresh.client("scheduler").create_schedule(
        Name="hourly",
        ScheduleExpression="rate(1 hour)",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={
            "Arn": arn,
            "RoleArn": role_allowing("scheduler", ["lambda:InvokeFunction"], arn),
            "Input": json.dumps({"at": "<aws.scheduler.scheduled-time>"}),
        },
        **extra,
    )
    fresh.advance_clock(minutes=65)  # at once and after an hour; or at the StartDate only
    times = sorted(
        datetime.strptime(e["at"], "%Y-%m-%dT%H:%M:%SZ") for e in received(logs, "reminder")
    )
    first = (created + timedelta(minutes=start_in_minutes or 0)).replace(tzinfo=None)
    assert len(times) == (1 if start_in_minutes else 2)
    assert abs((times[0] - first).total_seconds()) < 2


def test_the_clock_only_moves_forward(fresh):
    before = fresh.now()
    after = fresh.advance_clock(hours=2)
    assert (after - before).total_seconds() >= 7200
    with pytest.raises(ValueError, match="only moves forward"):
        fresh.advance_clock(minutes=-1)


def test_schedules_also_fire_in_real_time(fresh, deploy, logs, eb):
    arn = deploy("ticker", RECORDER)["FunctionArn"]
    created = fresh.now()  # the rule is made after this: its first run is due 60 s later or more
    eb.put_rule(Name="every-minute", ScheduleExpression="rate(1 minute)")
    allow_invoke(arn, "events.amazonaws.com", f"{RULES}/every-minute")
    eb.put_targets(Rule="every-minute", Targets=[{"Id": "fn", "Arn": arn}])
    # To 1.5 s before the run is due, however long the calls above took on a busy machine.
    fresh.advance_clock(seconds=58.5 - (fresh.now() - created).total_seconds())
    assert received(logs, "ticker") == []
    deadline = time.monotonic() + 10
    while not received(logs, "ticker") and time.monotonic() < deadline:
        time.sleep(0.1)  # real seconds pass: the timer thread fires the run when it is due
    assert len(received(logs, "ticker")) == 1


def test_put_events_are_stamped_with_the_kit_clock(fresh, deploy, logs, eb):
    arn = deploy("on-order", RECORDER)["FunctionArn"]
    eb.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    allow_invoke(arn, "events.amazonaws.com", f"{RULES}/orders")
    eb.put_targets(Rule="orders", Targets=[{"Id": "fn", "Arn": arn}])
    later = fresh.advance_clock(days=3)
    eb.put_events(Entries=[{"Source": "shop", "DetailType": "x", "Detail": "{}"}])
    assert fresh.wait(10)
    [event] = received(logs, "on-order")
    stamped = datetime.strptime(event["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs((stamped - later).total_seconds()) < 5


def test_a_rule_with_a_schedule_and_a_pattern_runs_on_both(fresh, deploy, logs, eb):
    # PutRule: "the rule triggers on matching events as well as on a schedule" (VD12).
    arn = deploy("both", RECORDER)["FunctionArn"]
    eb.put_rule(
        Name="hourly-or-orders",
        ScheduleExpression="rate(1 hour)",
        EventPattern=json.dumps({"source": ["shop.orders"]}),
    )
    allow_invoke(arn, "events.amazonaws.com", f"{RULES}/hourly-or-orders")
    eb.put_targets(Rule="hourly-or-orders", Targets=[{"Id": "fn", "Arn": arn}])
    eb.put_events(Entries=[{"Source": "shop.orders", "DetailType": "placed", "Detail": "{}"}])
    fresh.advance_clock(minutes=61)
    assert fresh.wait(10)
    kinds = sorted(e["detail-type"] for e in received(logs, "both"))
    assert kinds == ["Scheduled Event", "placed"]


@pytest.mark.parametrize(
    "name, target_id, says",
    [
        ("nächtliche-Bereinigung", "fn", "at 'name' failed to satisfy constraint"),
        ("r" * 65, "fn", "less than or equal to 64"),
        ("nightly", "cleanup function", "at 'targets.1.member.id'"),
        ("nightly", "t" * 65, "less than or equal to 64"),
    ],
)
def test_eventbridge_refuses_rule_names_and_target_ids_outside_its_pattern(
    eb, name, target_id, says
):
    # PutRule's Name and a Target's Id: [\.\-_A-Za-z0-9]+, at most 64 (VD8).
    with pytest.raises(eb.exceptions.ClientError, match=re.escape(says)):
        eb.put_rule(Name=name, ScheduleExpression="cron(0 3 * * ? *)")
        eb.put_targets(
            Rule=name, Targets=[{"Id": target_id, "Arn": "arn:aws:sqs:us-east-1:123456789012:q"}]
        )
