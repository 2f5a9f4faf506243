"""Kinesis mappings: batches per shard, in order, with retries, bisection, partial batch
responses and an on-failure destination, on the engine DynamoDB Streams use."""

from __future__ import annotations

import base64
import json

import pytest
from botocore.exceptions import ClientError

from tests.conftest import make_queue, tagged, until

# What Lambda does with these functions' role (poll, send to destinations): IAM is enforced.
ROLE_POLICIES = [
    "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole",
    "arn:aws:iam::aws:policy/AmazonSQSFullAccess",
]

READER = """
import base64, json

def handler(event, context):
    words = [base64.b64decode(r["kinesis"]["data"]).decode() for r in event["Records"]]
    print("WORDS", json.dumps(words))
    shard, first_seq = event["Records"][0]["eventID"].split(":")
    print("BATCH", json.dumps([shard, int(first_seq), words]))
    first = event["Records"][0]
    print("SHAPE", json.dumps({"source": first["eventSource"], "name": first["eventName"],
                               "id": first["eventID"], "key": first["kinesis"]["partitionKey"],
                               "seq": first["kinesis"]["sequenceNumber"]}))
    if "poison" in words:
        raise RuntimeError("cannot handle poison")
    failed = [r["kinesis"]["sequenceNumber"] for r in event["Records"]
              if base64.b64decode(r["kinesis"]["data"]).decode().startswith("retry-me")
              and not r["kinesis"]["data"] in SEEN]
    SEEN.update(r["kinesis"]["data"] for r in event["Records"])
    return {"batchItemFailures": [{"itemIdentifier": s} for s in failed[:1]]}

SEEN = set()
"""


def seen(logs, name: str, tag: str = "WORDS") -> list:
    return tagged(logs, name, tag)


@pytest.fixture
def kinesis(fresh):
    return fresh.client("kinesis")


def stream(kinesis, shards: int = 1) -> str:
    kinesis.create_stream(StreamName="clicks", ShardCount=shards)
    return kinesis.describe_stream(StreamName="clicks")["StreamDescription"]["StreamARN"]


def put(kinesis, *words: str, key: str = "k") -> None:
    for word in words:
        kinesis.put_record(StreamName="clicks", Data=word.encode(), PartitionKey=key)


def test_records_arrive_in_batches_in_order_with_the_kinesis_event_shape(
    deploy, lam, logs, kinesis
):
    arn = stream(kinesis)
    deploy("reader", READER)
    put(kinesis, *"abcdefg")
    lam.create_event_source_mapping(
        EventSourceArn=arn, FunctionName="reader", StartingPosition="TRIM_HORIZON", BatchSize=3
    )
    batches = until(lambda: sum(map(len, seen(logs, "reader"))) == 7 and seen(logs, "reader"))
    assert batches == [["a", "b", "c"], ["d", "e", "f"], ["g"]]  # one invoke per batch
    shape = seen(logs, "reader", "SHAPE")[0]
    assert (shape["source"], shape["name"], shape["key"]) == (
        "aws:kinesis",
        "aws:kinesis:record",
        "k",
    )
    assert shape["id"] == f"shardId-000000000000:{shape['seq']}"


def test_latest_skips_what_was_there_and_each_shard_keeps_its_order(deploy, lam, logs, kinesis):
    arn = stream(kinesis, shards=2)
    deploy("reader", READER)
    put(kinesis, "old")
    lam.create_event_source_mapping(
        EventSourceArn=arn, FunctionName="reader", StartingPosition="LATEST", BatchSize=10
    )
    keys = [f"user-{n}" for n in range(8)]  # spread over both shards
    for n in range(3):
        for key in keys:
            put(kinesis, f"{key}#{n}", key=key)
    # A log group lists its streams one after the other: order the batches by shard and
    # sequence number, as each shard's poller ran them.
    batches = until(
        lambda: (
            sum(len(b[2]) for b in seen(logs, "reader", "BATCH")) == 24
            and sorted(seen(logs, "reader", "BATCH"))
        )
    )
    words = [w for _, _, batch in batches for w in batch]
    assert "old" not in words
    for key in keys:  # per partition key (one shard), in the order written
        assert [w for w in words if w.startswith(f"{key}#")] == [f"{key}#{n}" for n in range(3)]
    assert len({shard for shard, _, _ in batches}) == 2  # both shards were read


def test_a_reported_item_failure_restarts_the_batch_at_that_record(deploy, lam, logs, kinesis):
    arn = stream(kinesis)
    deploy("reader", READER)
    put(kinesis, "a", "retry-me", "c")
    lam.create_event_source_mapping(
        EventSourceArn=arn,
        FunctionName="reader",
        StartingPosition="TRIM_HORIZON",
        BatchSize=3,
        FunctionResponseTypes=["ReportBatchItemFailures"],
    )
    batches = until(lambda: len(seen(logs, "reader")) >= 2 and seen(logs, "reader"))
    assert batches[:2] == [["a", "retry-me", "c"], ["retry-me", "c"]]


def test_bisection_isolates_a_poison_record_and_sends_it_to_the_on_failure_destination(
    fresh, deploy, lam, logs, kinesis
):
    arn = stream(kinesis)
    deploy("reader", READER)
    sqs = fresh.client("sqs")
    url, queue_arn = make_queue(sqs, "click-failures")
    put(kinesis, "a", "b", "poison", "d")
    lam.create_event_source_mapping(
        EventSourceArn=arn,
        FunctionName="reader",
        StartingPosition="TRIM_HORIZON",
        BatchSize=4,
        BisectBatchOnFunctionError=True,
        MaximumRetryAttempts=3,
        DestinationConfig={"OnFailure": {"Destination": queue_arn}},
    )
    batches = until(lambda: ["d"] in seen(logs, "reader") and seen(logs, "reader"))
    # Split in two before a retry: the poison ends alone, the good records are done. A half
    # that succeeds starts the count again: the poison is tried 1 + 3 times, then skipped.
    assert batches == [["a", "b", "poison", "d"], ["a", "b"], ["poison", "d"], ["poison"],
                       ["poison"], ["poison"], ["d"]]  # fmt: skip
    [message] = until(lambda: sqs.receive_message(QueueUrl=url).get("Messages"))
    failure = json.loads(message["Body"])
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
    info = failure["KinesisBatchInfo"]
    assert (info["batchSize"], info["shardId"], info["streamArn"]) == (
        1,
        "shardId-000000000000",
        arn,
    )
    poison = kinesis.get_records(
        ShardIterator=kinesis.get_shard_iterator(
            StreamName="clicks",
            ShardId="shardId-000000000000",
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            StartingSequenceNumber=info["startSequenceNumber"],
        )["ShardIterator"],
        Limit=1,
    )["Records"][0]
    assert base64.b64encode(poison["Data"]) == base64.b64encode(b"poison")


def test_a_role_that_cannot_read_the_stream_is_refused(fresh, lam, kinesis):
    from helpers.iam import execution_role
    from helpers.packaging import zip_bytes

    arn = stream(kinesis)
    lam.create_function(
        FunctionName="blind",
        Runtime="python3.12",
        Role=execution_role("blind-role"),  # logs only
        Handler="app.handler",
        Code={"ZipFile": zip_bytes({"app.py": READER})},
    )
    with pytest.raises(ClientError) as error:
        lam.create_event_source_mapping(
            EventSourceArn=arn, FunctionName="blind", StartingPosition="LATEST"
        )
    assert error.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert error.value.response["Error"]["Message"] == (
        f"Cannot access stream {arn}. Please ensure the role can perform the GetRecords, "
        "GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM."
    )
