"""Asynchronous invocation: retries with back-off, max age, dead-letter queues, destinations."""

from __future__ import annotations

import json
import time

import pytest

from helpers import events
from tests.conftest import log_messages, make_queue

# What Lambda does with these functions' role (poll, send to destinations): IAM is enforced.
ROLE_POLICIES = [
    "arn:aws:iam::aws:policy/AmazonSQSFullAccess",
    "arn:aws:iam::aws:policy/AmazonSNSFullAccess",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaRole",
    "arn:aws:iam::aws:policy/AmazonEventBridgeFullAccess",
]

FAILS = """
def handler(event, context):
    print("ATTEMPT", context.aws_request_id)
    raise ValueError("poison: " + str(event.get("n")))
"""

SUCCEEDS = """
def handler(event, context):
    return {"doubled": event["n"] * 2}
"""


@pytest.fixture
def sqs(fresh):
    fresh.configure(async_retry_delays=(0.1, 0.2))
    yield fresh.client("sqs")
    fresh.configure(async_retry_delays=(60, 120))


def messages(sqs, url: str) -> list[dict]:
    return sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
    ).get("Messages", [])


def attempts(logs, name: str) -> list[str]:
    return [m.split()[1] for m in log_messages(logs, name) if m.startswith("ATTEMPT ")]


def test_a_failing_event_is_tried_three_times_then_dead_lettered(fresh, deploy, lam, logs, sqs):
    dlq_url, dlq_arn = make_queue(sqs, "dlq")
    deploy("poisoned", FAILS, DeadLetterConfig={"TargetArn": dlq_arn})
    assert lam.get_function_configuration(FunctionName="poisoned")["DeadLetterConfig"] == {
        "TargetArn": dlq_arn
    }
    response = lam.invoke(
        FunctionName="poisoned", InvocationType="Event", Payload=json.dumps({"n": 7})
    )
    assert response["StatusCode"] == 202
    assert fresh.wait(10)
    tries = attempts(logs, "poisoned")
    assert len(tries) == 3 and len(set(tries)) == 1  # one request id across the retries
    [dead] = messages(sqs, dlq_url)
    assert json.loads(dead["Body"]) == {"n": 7}  # the event as-is
    attributes = dead["MessageAttributes"]
    assert attributes["RequestID"]["StringValue"] == tries[0]
    assert attributes["ErrorCode"]["StringValue"] == "200"
    assert attributes["ErrorMessage"]["StringValue"] == "poison: 7"
    [summary] = fresh.async_events()
    assert summary["status"] == "failed"
    assert summary["attempts"] == 3
    assert summary["condition"] == "RetriesExhausted"
    assert dlq_arn in summary["sent_to"]


def test_maximum_retry_attempts_zero_means_one_try(fresh, deploy, lam, logs, sqs):
    deploy("poisoned", FAILS)
    lam.put_function_event_invoke_config(FunctionName="poisoned", MaximumRetryAttempts=0)
    lam.invoke(FunctionName="poisoned", InvocationType="Event", Payload="{}")
    assert fresh.wait(10)
    assert len(attempts(logs, "poisoned")) == 1
    [summary] = fresh.async_events()
    assert summary["sent_to"].startswith("discarded")  # nowhere configured: AWS drops it


def test_event_invoke_config_updates_are_kept(deploy, lam, sqs):
    deploy("poisoned", FAILS)
    lam.put_function_event_invoke_config(FunctionName="poisoned", MaximumRetryAttempts=1)
    lam.update_function_event_invoke_config(FunctionName="poisoned", MaximumEventAgeInSeconds=90)
    config = lam.get_function_event_invoke_config(FunctionName="poisoned")
    assert config["MaximumRetryAttempts"] == 1  # kept by the partial update
    assert config["MaximumEventAgeInSeconds"] == 90
    lam.put_function_event_invoke_config(FunctionName="poisoned", MaximumRetryAttempts=2)
    config = lam.get_function_event_invoke_config(FunctionName="poisoned")
    assert config["MaximumRetryAttempts"] == 2  # a put replaces the whole config
    assert "MaximumEventAgeInSeconds" not in config


def test_each_version_and_alias_has_its_own_event_invoke_config(fresh, deploy, lam, sqs):
    """A config put on version 1 rules invokes of version 1, not of the function ($LATEST)."""
    url, arn = make_queue(sqs, "failures")
    deploy("poisoned", FAILS, Publish=True)
    lam.create_alias(FunctionName="poisoned", Name="live", FunctionVersion="1")
    for qualifier in ("1", "live"):
        lam.put_function_event_invoke_config(
            FunctionName="poisoned", Qualifier=qualifier, MaximumRetryAttempts=0,
            DestinationConfig={"OnFailure": {"Destination": arn}},
        )  # fmt: skip
    with pytest.raises(lam.exceptions.ResourceNotFoundException, match=r"poisoned:\$LATEST"):
        lam.get_function_event_invoke_config(FunctionName="poisoned")
    listed = lam.list_function_event_invoke_configs(FunctionName="poisoned")
    assert sorted(
        c["FunctionArn"].rsplit(":", 1)[1] for c in listed["FunctionEventInvokeConfigs"]
    ) == [
        "1",
        "live",
    ]
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.put_function_event_invoke_config(FunctionName="poisoned", Qualifier="7")

    lam.invoke(FunctionName="poisoned", InvocationType="Event", Payload=b"{}")
    lam.invoke(FunctionName="poisoned", Qualifier="live", InvocationType="Event", Payload=b"{}")
    assert fresh.wait(20)
    tried = {
        e.invoked_arn.rsplit(":", 1)[-1]: e.attempts for e in fresh.runtime.async_queue.events()
    }
    assert tried == {"poisoned": 3, "live": 1}  # $LATEST keeps AWS's 2 retries
    [record] = [json.loads(m["Body"]) for m in messages(sqs, url)]
    assert record["requestContext"]["functionArn"].endswith(":poisoned:1")


def test_on_failure_destination_gets_aws_invocation_record(fresh, deploy, lam, sqs):
    url, arn = make_queue(sqs, "failures")
    deploy("poisoned", FAILS)
    lam.put_function_event_invoke_config(
        FunctionName="poisoned",
        MaximumRetryAttempts=1,
        DestinationConfig={"OnFailure": {"Destination": arn}},
    )
    lam.invoke(FunctionName="poisoned", InvocationType="Event", Payload=json.dumps({"n": 1}))
    assert fresh.wait(10)
    [message] = messages(sqs, url)
    record = json.loads(message["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 2
    assert record["requestContext"]["functionArn"].endswith(":function:poisoned:$LATEST")
    assert record["requestPayload"] == {"n": 1}
    assert record["responseContext"]["functionError"] == "Unhandled"
    assert record["responsePayload"]["errorMessage"] == "poison: 1"
    sample = events.load("lambda_destination_failure")
    optional = events.optional_paths("lambda_destination_failure")
    assert events.shape_differences(sample, record, optional) == []


def test_on_success_destination_gets_the_response(fresh, deploy, lam, sqs):
    url, arn = make_queue(sqs, "successes")
    deploy("doubler", SUCCEEDS)
    lam.put_function_event_invoke_config(
        FunctionName="doubler", DestinationConfig={"OnSuccess": {"Destination": arn}}
    )
    lam.invoke(FunctionName="doubler", InvocationType="Event", Payload=json.dumps({"n": 21}))
    assert fresh.wait(10)
    [message] = messages(sqs, url)
    record = json.loads(message["Body"])
    assert record["requestContext"]["condition"] == "Success"
    assert record["responsePayload"] == {"doubled": 42}
    assert "functionError" not in record["responseContext"]
    assert fresh.async_events()[0]["status"] == "succeeded"


def test_an_event_older_than_its_maximum_age_is_not_retried(fresh, deploy, lam, logs, sqs):
    url, arn = make_queue(sqs, "failures")
    deploy("poisoned", FAILS)
    lam.put_function_event_invoke_config(
        FunctionName="poisoned",
        MaximumEventAgeInSeconds=60,
        DestinationConfig={"OnFailure": {"Destination": arn}},
    )
    fresh.configure(async_retry_delays=(60, 120))  # AWS's own waits
    lam.invoke(FunctionName="poisoned", InvocationType="Event", Payload="{}")
    assert fresh.wait(10)  # returns once nothing is due: the first retry is a minute away
    assert fresh.async_events()[0]["status"] == "waiting to retry"
    assert len(attempts(logs, "poisoned")) == 1
    fresh.advance_clock(minutes=2)  # the retry is due, and the event is now too old
    assert fresh.wait(10)
    assert len(attempts(logs, "poisoned")) == 1
    [message] = messages(sqs, url)
    assert json.loads(message["Body"])["requestContext"]["condition"] == "EventAgeExceeded"


def test_advancing_the_clock_makes_aws_retry_waits_pass(fresh, deploy, lam, logs, sqs):
    deploy("poisoned", FAILS)
    fresh.configure(async_retry_delays=(60, 120))
    lam.invoke(FunctionName="poisoned", InvocationType="Event", Payload="{}")
    assert fresh.wait(10)
    assert len(attempts(logs, "poisoned")) == 1
    fresh.advance_clock(minutes=1)
    assert len(attempts(logs, "poisoned")) == 2
    fresh.advance_clock(minutes=2)
    assert fresh.wait(10)
    assert len(attempts(logs, "poisoned")) == 3


def test_a_throttled_event_is_kept_and_runs_later(fresh, deploy, lam, logs, sqs):
    deploy("doubler", "def handler(e, c):\n    print('RAN')\n")
    lam.put_function_concurrency(FunctionName="doubler", ReservedConcurrentExecutions=0)
    lam.invoke(FunctionName="doubler", InvocationType="Event", Payload="{}")
    time.sleep(0.3)  # tried at once, throttled, and put back for a retry in about a second
    assert fresh.async_events()[0]["status"] == "waiting to retry"
    lam.delete_function_concurrency(FunctionName="doubler")
    fresh.advance_clock(minutes=5)  # past the back-off
    assert fresh.wait(10)
    assert "RAN" in log_messages(logs, "doubler")
    assert fresh.async_events()[0]["status"] == "succeeded"


def test_a_discarded_event_is_counted_in_async_events_dropped(fresh, deploy, lam, logs, sqs):
    deploy("poisoned", FAILS)
    lam.put_function_event_invoke_config(FunctionName="poisoned", MaximumRetryAttempts=0)
    lam.invoke(FunctionName="poisoned", InvocationType="Event", Payload="{}")
    assert fresh.wait(10)
    metrics = fresh.client("cloudwatch").list_metrics(
        Namespace="AWS/Lambda", MetricName="AsyncEventsDropped"
    )["Metrics"]
    assert metrics[0]["Dimensions"] == [{"Name": "FunctionName", "Value": "poisoned"}]


def test_a_dead_letter_queue_that_is_gone_is_reported_not_lost(fresh, deploy, lam, sqs):
    url, arn = make_queue(sqs, "dlq")
    deploy("poisoned", FAILS, DeadLetterConfig={"TargetArn": arn})
    lam.put_function_event_invoke_config(FunctionName="poisoned", MaximumRetryAttempts=0)
    sqs.delete_queue(QueueUrl=url)
    lam.invoke(FunctionName="poisoned", InvocationType="Event", Payload="{}")
    assert fresh.wait(10)
    [summary] = fresh.async_events()
    assert summary["sent_to"].startswith("discarded (delivery failed: FAILED: dead-letter queue")
    names = [
        m["MetricName"]
        for m in fresh.client("cloudwatch").list_metrics(Namespace="AWS/Lambda")["Metrics"]
    ]
    assert "DeadLetterErrors" in names


@pytest.mark.parametrize("jump", [{"minutes": 5}, {"hours": 1}, {"hours": 7}])
def test_one_long_jump_runs_every_retry_that_fell_due_on_the_way(fresh, deploy, lam, logs, jump):
    # AWS retries after 1 and then 2 more minutes: an hour or 7 later, all three attempts are
    # made and the event failed for its retries, not its age (learner trial 10, VD14).
    deploy("poisoned", FAILS)
    fresh.configure(async_retry_delays=(60, 120))
    lam.invoke(FunctionName="poisoned", InvocationType="Event", Payload="{}")
    assert fresh.wait(10)
    fresh.advance_clock(**jump)
    assert fresh.wait(10)
    [summary] = fresh.async_events()
    assert (summary["attempts"], summary["condition"]) == (3, "RetriesExhausted")
    assert len(attempts(logs, "poisoned")) == 3
