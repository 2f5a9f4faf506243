"""Learner trial 13's kit fidelity items mended by the lead (QD6)."""

from __future__ import annotations

from helpers.iam import execution_role
from tests.conftest import aws_error, table_with_stream

STREAM_READER = "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole"
NOOP = "def handler(event, context):\n    return None\n"


def test_scaling_config_is_for_queues_only(fresh, deploy, lam, sqs):
    # QD6: "(Amazon SQS only)"; an empty value removes it, so it is taken.
    stream = table_with_stream(fresh.client("dynamodb"))
    deploy("reader", NOOP, Role=execution_role("reader-role", policies=[STREAM_READER]))
    scaling = {"MaximumConcurrency": 5}
    code, message, status = aws_error(
        lambda: lam.create_event_source_mapping(
            FunctionName="reader",
            EventSourceArn=stream,
            StartingPosition="LATEST",
            ScalingConfig=scaling,
        )
    )
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert "ScalingConfig is not valid for DynamoDB Streams" in message
    mapping = lam.create_event_source_mapping(
        FunctionName="reader", EventSourceArn=stream, StartingPosition="LATEST", ScalingConfig={}
    )
    code, _, status = aws_error(
        lambda: lam.update_event_source_mapping(UUID=mapping["UUID"], ScalingConfig=scaling)
    )
    assert (code, status) == ("InvalidParameterValueException", 400)

    # A queue's mapping takes it.
    queue = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]
    sqs_role = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
    deploy("worker", NOOP, Role=execution_role("worker-role", policies=[sqs_role]))
    taken = lam.create_event_source_mapping(
        FunctionName="worker", EventSourceArn=arn["QueueArn"], ScalingConfig=scaling
    )
    assert taken["ScalingConfig"] == scaling
