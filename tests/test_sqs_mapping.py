"""SQS event source mappings: batches, the batching window, partial failures, redrive to a DLQ."""

from __future__ import annotations

import json
import time

import pytest
from botocore.exceptions import ClientError

from helpers.packaging import zip_bytes
from tests.conftest import log_messages, make_queue, role_allowing, until

# What Lambda does with these functions' role (poll, send to destinations): IAM is enforced.
ROLE_POLICIES = [
    "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
]

# Prints each batch's bodies; fails the messages whose body starts with "bad".
WORKER = """
import json

def handler(event, context):
    bodies = [r["body"] for r in event["Records"]]
    print("BATCH", json.dumps(bodies))
    failed = [r["messageId"] for r in event["Records"] if r["body"].startswith("bad")]
    if failed and event["Records"][0]["body"] == "bad-all":
        raise RuntimeError("the whole batch fails")
    return {"batchItemFailures": [{"itemIdentifier": i} for i in failed]}
"""


def batches(logs, name: str) -> list[list[str]]:
    return [
        json.loads(m.removeprefix("BATCH "))
        for m in log_messages(logs, name)
        if m.startswith("BATCH ")
    ]


def depth(sqs, url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


def send(sqs, url: str, bodies: list[str]) -> None:
    for start in range(0, len(bodies), 10):
        chunk = bodies[start : start + 10]
        sqs.send_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(i), "MessageBody": body} for i, body in enumerate(chunk)],
        )


def test_messages_arrive_in_batches_of_batch_size_and_are_deleted(deploy, lam, logs, sqs):
    deploy("worker", WORKER)
    url, arn = make_queue(sqs, "jobs")
    mapping = lam.create_event_source_mapping(
        EventSourceArn=arn, FunctionName="worker", BatchSize=10, Enabled=False
    )
    send(sqs, url, [f"job-{i}" for i in range(25)])
    lam.update_event_source_mapping(UUID=mapping["UUID"], Enabled=True)
    seen = until(lambda: sum(map(len, batches(logs, "worker"))) == 25 and batches(logs, "worker"))
    assert sorted(len(b) for b in seen) == [5, 10, 10]
    assert sorted(body for b in seen for body in b) == sorted(f"job-{i}" for i in range(25))
    assert until(lambda: depth(sqs, url) == 0)
    config = lam.get_event_source_mapping(UUID=mapping["UUID"])
    assert config["BatchSize"] == 10
    assert config["LastProcessingResult"] == "OK"


def test_the_batching_window_gathers_messages_sent_one_by_one(deploy, lam, logs, sqs):
    deploy("worker", WORKER)
    url, arn = make_queue(sqs, "jobs")
    lam.create_event_source_mapping(
        EventSourceArn=arn, FunctionName="worker", BatchSize=5, MaximumBatchingWindowInSeconds=1
    )
    for i in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=f"job-{i}")
    seen = until(lambda: batches(logs, "worker"))
    time.sleep(0.3)  # nothing else may follow
    assert batches(logs, "worker") == seen == [["job-0", "job-1", "job-2"]]


def test_the_event_has_the_real_sqs_record_shape(deploy, lam, logs, sqs):
    deploy("printer", "import json\ndef handler(e, c):\n    print('EVENT', json.dumps(e))\n")
    url2, arn2 = make_queue(sqs, "printed")
    lam.create_event_source_mapping(EventSourceArn=arn2, FunctionName="printer", BatchSize=1)
    sent = sqs.send_message(
        QueueUrl=url2,
        MessageBody="hello",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "greeting"}},
    )
    printed = until(lambda: [m for m in log_messages(logs, "printer") if m.startswith("EVENT ")])
    record = json.loads(printed[0].removeprefix("EVENT "))["Records"][0]
    assert record["body"] == "hello"
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == arn2
    assert record["md5OfBody"] == sent["MD5OfMessageBody"]
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["messageAttributes"]["kind"]["stringValue"] == "greeting"
    assert record["messageAttributes"]["kind"]["dataType"] == "String"


def test_partial_batch_failures_keep_only_the_failed_message_then_redrive_it(
    deploy, lam, logs, sqs
):
    deploy("worker", WORKER, Timeout=1)
    dlq_url, dlq_arn = make_queue(sqs, "jobs-dlq")
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"})
    url, arn = make_queue(sqs, "jobs", VisibilityTimeout="1", RedrivePolicy=policy)
    mapping = lam.create_event_source_mapping(
        EventSourceArn=arn,
        FunctionName="worker",
        BatchSize=10,
        Enabled=False,
        FunctionResponseTypes=["ReportBatchItemFailures"],
    )
    send(sqs, url, ["good-1", "bad-1", "good-2"])
    lam.update_event_source_mapping(UUID=mapping["UUID"], Enabled=True)
    dead = until(lambda: sqs.receive_message(QueueUrl=dlq_url).get("Messages"), timeout=20)
    assert [m["Body"] for m in dead] == ["bad-1"]
    seen = [body for batch in batches(logs, "worker") for body in batch]
    assert seen.count("good-1") == 1 and seen.count("good-2") == 1  # deleted after success
    assert seen.count("bad-1") == 2  # received maxReceiveCount times, then dead-lettered
    assert until(lambda: depth(sqs, url) == 0)


def test_a_failing_batch_returns_to_the_queue_and_ends_in_the_dlq(deploy, lam, logs, sqs):
    deploy("worker", WORKER, Timeout=1)
    dlq_url, dlq_arn = make_queue(sqs, "jobs-dlq")
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"})
    url, arn = make_queue(sqs, "jobs", VisibilityTimeout="1", RedrivePolicy=policy)
    mapping = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="worker")
    sqs.send_message(QueueUrl=url, MessageBody="bad-all")
    dead = until(lambda: sqs.receive_message(QueueUrl=dlq_url).get("Messages"), timeout=20)
    assert [m["Body"] for m in dead] == ["bad-all"]
    assert [b for b in batches(logs, "worker")] == [["bad-all"]] * 3
    result = lam.get_event_source_mapping(UUID=mapping["UUID"])["LastProcessingResult"]
    assert result.startswith("PROBLEM")


def test_a_disabled_mapping_does_not_fire_until_enabled(deploy, lam, logs, sqs):
    deploy("worker", WORKER)
    url, arn = make_queue(sqs, "jobs")
    mapping = lam.create_event_source_mapping(
        EventSourceArn=arn, FunctionName="worker", Enabled=False
    )
    assert mapping["State"] == "Disabled"
    sqs.send_message(QueueUrl=url, MessageBody="job-1")
    time.sleep(1.0)
    assert batches(logs, "worker") == []
    assert depth(sqs, url) == 1
    lam.update_event_source_mapping(UUID=mapping["UUID"], Enabled=True)
    assert until(lambda: batches(logs, "worker")) == [["job-1"]]


def test_a_deleted_mapping_does_not_fire(deploy, lam, logs, sqs):
    deploy("worker", WORKER)
    url, arn = make_queue(sqs, "jobs")
    mapping = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="worker")
    sqs.send_message(QueueUrl=url, MessageBody="before")
    assert until(lambda: batches(logs, "worker")) == [["before"]]
    lam.delete_event_source_mapping(UUID=mapping["UUID"])
    sqs.send_message(QueueUrl=url, MessageBody="after")
    time.sleep(1.0)
    assert batches(logs, "worker") == [["before"]]
    assert depth(sqs, url) == 1


def test_visibility_timeout_shorter_than_the_function_timeout_is_refused(deploy, lam, sqs):
    deploy("slow", WORKER, Timeout=60)
    _, arn = make_queue(sqs, "jobs", VisibilityTimeout="30")
    with pytest.raises(ClientError) as error:
        lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="slow")
    assert error.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert (
        "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds"
        in (error.value.response["Error"]["Message"])
    )


def test_batch_size_over_ten_needs_a_batching_window(deploy, lam, sqs):
    deploy("worker", WORKER)
    _, arn = make_queue(sqs, "jobs")
    with pytest.raises(ClientError) as error:
        lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="worker", BatchSize=50)
    assert "Maximum batch window" in error.value.response["Error"]["Message"]
    # And by update, to the same values (learner trial 9, TD14).
    uuid = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="worker")["UUID"]
    with pytest.raises(ClientError, match="Maximum batch window"):
        lam.update_event_source_mapping(UUID=uuid, BatchSize=20)
    lam.update_event_source_mapping(UUID=uuid, BatchSize=20, MaximumBatchingWindowInSeconds=1)
    with pytest.raises(ClientError, match="Maximum batch window"):
        lam.update_event_source_mapping(UUID=uuid, MaximumBatchingWindowInSeconds=0)


def test_a_second_mapping_of_the_same_queue_to_the_same_function_is_refused(deploy, lam, sqs):
    deploy("worker", WORKER)
    _, arn = make_queue(sqs, "jobs")
    first = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="worker")
    function_arn = lam.get_function(FunctionName="worker")["Configuration"]["FunctionArn"]
    for name in ("worker", function_arn):  # a cell run twice, or the ARN for the name
        with pytest.raises(lam.exceptions.ResourceConflictException) as error:
            lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=name)
        assert error.value.response["Error"]["Message"] == (
            f'An event source mapping with SQS arn (" {arn} ") and function (" worker ") already '
            f"exists. Please update or delete the existing mapping with UUID {first['UUID']}"
        )
    assert len(lam.list_event_source_mappings(FunctionName="worker")["EventSourceMappings"]) == 1
    deploy("auditor", WORKER)  # another function may read the same queue
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="auditor")


def test_a_function_sending_to_its_own_queue_is_stopped_after_16_runs(
    deploy, fresh, lam, logs, sqs
):
    url, arn = make_queue(sqs, "echo")
    deploy(
        "echo",
        f"""
        import boto3
        sqs = boto3.client("sqs")
        def handler(event, context):
            print("LOOP")
            sqs.send_message(QueueUrl="{url}", MessageBody="again")
        """,
        Role=role_allowing(
            "echo-role",
            [
                "sqs:SendMessage",
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
            ],
            arn,
        ),
    )
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="echo", BatchSize=1)
    sqs.send_message(QueueUrl=url, MessageBody="start")
    assert until(lambda: fresh.runtime.stopped_loops, timeout=30)
    time.sleep(0.5)
    assert [m for m in log_messages(logs, "echo") if m == "LOOP"] == ["LOOP"] * 16
    assert fresh.runtime.stopped_loops[0]["source"] == "aws:sqs"
    assert until(lambda: depth(sqs, url) == 0)  # the looping message was dropped


def test_filter_criteria_let_only_matching_messages_through(deploy, lam, logs, sqs):
    deploy("worker", WORKER)
    url, arn = make_queue(sqs, "jobs")
    lam.create_event_source_mapping(
        EventSourceArn=arn,
        FunctionName="worker",
        BatchSize=10,
        Enabled=False,
        FilterCriteria={"Filters": [{"Pattern": json.dumps({"body": {"kind": ["order"]}})}]},
    )
    uuid = lam.list_event_source_mappings(FunctionName="worker")["EventSourceMappings"][0]["UUID"]
    bodies = [json.dumps({"kind": "order", "n": 1}), json.dumps({"kind": "spam"}), "plain text"]
    send(sqs, url, bodies)
    lam.update_event_source_mapping(UUID=uuid, Enabled=True)
    assert until(lambda: batches(logs, "worker")) == [[bodies[0]]]
    assert until(lambda: depth(sqs, url) == 0)  # filtered-out messages are deleted, as on AWS


@pytest.mark.parametrize(
    "pattern",
    [{"body": {"kind": "order"}}, {"body": {"kind": []}}, ["order"], "not json", {}],
    ids=["value-not-in-a-list", "empty-list", "not-an-object", "not-json", "empty"],
)
def test_a_filter_pattern_aws_refuses_is_refused(deploy, lam, sqs, pattern):
    # Learner trial 9 (SD10): filter values are arrays; AWS refuses the mapping, at create and
    # at update, with "Invalid filter pattern definition."
    deploy("worker", WORKER)
    _, arn = make_queue(sqs, "jobs")
    text = pattern if isinstance(pattern, str) else json.dumps(pattern)
    criteria = {"Filters": [{"Pattern": text}]}
    with pytest.raises(lam.exceptions.InvalidParameterValueException, match="Invalid filter"):
        lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="worker",
                                        FilterCriteria=criteria)  # fmt: skip
    uuid = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="worker")["UUID"]
    with pytest.raises(lam.exceptions.InvalidParameterValueException, match="Invalid filter"):
        lam.update_event_source_mapping(UUID=uuid, FilterCriteria=criteria)


def test_a_redrive_policy_to_a_missing_queue_is_sqs_invalid_parameter(fresh):
    sqs = fresh.client("sqs")
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    policy = json.dumps(
        {
            "deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:orders-dql",
            "maxReceiveCount": "3",
        }
    )
    with pytest.raises(sqs.exceptions.ClientError) as error:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": policy})
    assert error.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert error.value.response["Error"]["Message"] == (
        f"Value {policy} for parameter RedrivePolicy is invalid. Reason: Dead letter target "
        "does not exist."
    )


@pytest.mark.parametrize("count", [0, 1001, -3])
def test_a_max_receive_count_outside_1_to_1000_is_refused(fresh, count):
    # Learner trial 9 (TD13): moto took 0, a queue that dead-letters every message at once.
    sqs = fresh.client("sqs")
    dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": count})
    with pytest.raises(sqs.exceptions.ClientError) as error:
        sqs.create_queue(QueueName="orders", Attributes={"RedrivePolicy": policy})
    assert error.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert error.value.response["Error"]["Message"] == (
        f"Value {policy} for parameter RedrivePolicy is invalid. Reason: Invalid value for "
        f"maxReceiveCount: {count}, valid values are from 1 to 1000 both inclusive."
    )
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    with pytest.raises(sqs.exceptions.ClientError, match="maxReceiveCount"):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": policy})
    sqs.set_queue_attributes(
        QueueUrl=url,
        Attributes={"RedrivePolicy": policy.replace(f": {count}", ": 1000")},
    )


def test_a_mapping_on_an_alias_follows_the_alias(deploy, lam, logs, sqs):
    # AWS keeps the alias in the mapping (its FunctionArn ends with it) and invokes whatever
    # version the alias points at; moto stored the version it named at creation.
    def release(n: int) -> str:
        return f"def handler(event, context):\n    print('release {n}')\n"

    deploy("worker", release(1))
    first = lam.publish_version(FunctionName="worker")["Version"]
    lam.update_function_code(FunctionName="worker", ZipFile=zip_bytes({"app.py": release(2)}))
    lam.get_waiter("function_updated_v2").wait(FunctionName="worker")
    second = lam.publish_version(FunctionName="worker")["Version"]
    lam.create_alias(FunctionName="worker", Name="live", FunctionVersion=first)
    url, arn = make_queue(sqs, "jobs")
    made = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="worker:live")
    assert made["FunctionArn"].endswith(":function:worker:live")
    lam.update_alias(FunctionName="worker", Name="live", FunctionVersion=second)
    send(sqs, url, ["x"])
    assert until(lambda: any("release 2" in m for m in log_messages(logs, "worker")))
    assert not any("release 1" in m for m in log_messages(logs, "worker"))
