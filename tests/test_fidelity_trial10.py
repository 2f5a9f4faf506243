"""Answers as AWS gives them (issue 12, learner trial 10: ZD8, ZD11, UD19, UD6, VD1, UD27): what
fails on AWS fails here in AWS's words, what works there works here."""

from __future__ import annotations

import pytest

from tests.conftest import aws_error, make_queue

ROLE_POLICIES = ["arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"]

RECORDER = """
import json
def handler(event, context):
    print("EVENT", json.dumps(event))
"""


@pytest.fixture
def sqs(fresh):
    return fresh.client("sqs")


@pytest.fixture
def s3(fresh):
    return fresh.client("s3")


# ------------------------------------------------------- UD19: UpdateEventSourceMapping on SQS
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BisectBatchOnFunctionError", True),
        ("MaximumRetryAttempts", 2),
        ("MaximumRecordAgeInSeconds", 60),
        ("ParallelizationFactor", 2),
        ("TumblingWindowInSeconds", 30),
        ("DestinationConfig", {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:1:x"}}),
    ],
)
def test_updating_a_queue_mapping_refuses_a_streams_setting(deploy, lam, sqs, name, value):
    deploy("worker", RECORDER)
    _, arn = make_queue(sqs, "orders")
    uuid = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="worker")["UUID"]
    code, message, status = aws_error(
        lambda: lam.update_event_source_mapping(UUID=uuid, **{name: value})
    )
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert message == f"Invalid request provided: {name} is not valid for SQS event sources."
    # a queue's own settings are still updated
    assert lam.update_event_source_mapping(UUID=uuid, BatchSize=3)["BatchSize"] == 3
