"""DynamoDB Streams mappings: starting position, batches, Enabled, deletion, failed batches."""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import make_queue, table_with_stream, tagged, until

# What Lambda does with these functions' role (poll, send to destinations): IAM is enforced.
ROLE_POLICIES = [
    "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
    "arn:aws:iam::aws:policy/AmazonSQSFullAccess",
    "arn:aws:iam::aws:policy/AmazonSNSFullAccess",
]

KEYS = """
import json

def handler(event, context):
    keys = [r["dynamodb"]["Keys"]["id"]["S"] for r in event["Records"]]
    print("KEYS", json.dumps(keys))
    names = [r["eventName"] for r in event["Records"]]
    print("NAMES", json.dumps(names))
    if "poison" in keys:
        raise RuntimeError("cannot handle poison")
"""


def seen(logs, name: str, tag: str = "KEYS") -> list:
    return tagged(logs, name, tag)


@pytest.fixture
def ddb(fresh):
    return fresh.client("dynamodb")


@pytest.fixture
def stream(ddb) -> str:
    return table_with_stream(ddb)


def put(ddb, *ids: str) -> None:
    for item_id in ids:
        ddb.put_item(TableName="items", Item={"id": {"S": item_id}})


def test_latest_sees_only_writes_after_the_mapping_starts(deploy, lam, logs, ddb, stream):
    deploy("on-change", KEYS)
    put(ddb, "before")
    lam.create_event_source_mapping(
        EventSourceArn=stream, FunctionName="on-change", StartingPosition="LATEST"
    )
    put(ddb, "after")
    assert until(lambda: seen(logs, "on-change")) == [["after"]]


def test_trim_horizon_starts_from_the_oldest_record(deploy, lam, logs, ddb, stream):
    deploy("on-change", KEYS)
    put(ddb, "a", "b", "c")
    lam.create_event_source_mapping(
        EventSourceArn=stream,
        FunctionName="on-change",
        StartingPosition="TRIM_HORIZON",
        BatchSize=2,
    )
    batches = until(lambda: sum(map(len, seen(logs, "on-change"))) == 3 and seen(logs, "on-change"))
    assert batches == [["a", "b"], ["c"]]  # in order, at most BatchSize per invoke


def test_insert_modify_remove_arrive_with_their_event_names(deploy, lam, logs, ddb, stream):
    deploy("on-change", KEYS)
    lam.create_event_source_mapping(
        EventSourceArn=stream, FunctionName="on-change", StartingPosition="LATEST", BatchSize=1
    )
    put(ddb, "x")
    ddb.update_item(
        TableName="items",
        Key={"id": {"S": "x"}},
        UpdateExpression="SET colour = :c",
        ExpressionAttributeValues={":c": {"S": "red"}},
    )
    ddb.delete_item(TableName="items", Key={"id": {"S": "x"}})
    names = until(
        lambda: len(seen(logs, "on-change", "NAMES")) == 3 and seen(logs, "on-change", "NAMES")
    )
    assert names == [["INSERT"], ["MODIFY"], ["REMOVE"]]


def test_a_disabled_mapping_waits_and_resumes_where_it_stopped(deploy, lam, logs, ddb, stream):
    deploy("on-change", KEYS)
    mapping = lam.create_event_source_mapping(
        EventSourceArn=stream, FunctionName="on-change", StartingPosition="LATEST", Enabled=False
    )
    put(ddb, "while-disabled")
    time.sleep(0.8)
    assert seen(logs, "on-change") == []
    lam.update_event_source_mapping(UUID=mapping["UUID"], Enabled=True)
    assert until(lambda: seen(logs, "on-change")) == [["while-disabled"]]


def test_a_deleted_mapping_does_not_fire(deploy, lam, logs, ddb, stream):
    deploy("on-change", KEYS)
    mapping = lam.create_event_source_mapping(
        EventSourceArn=stream, FunctionName="on-change", StartingPosition="LATEST"
    )
    put(ddb, "one")
    assert until(lambda: seen(logs, "on-change")) == [["one"]]
    lam.delete_event_source_mapping(UUID=mapping["UUID"])
    put(ddb, "two")
    time.sleep(0.8)
    assert seen(logs, "on-change") == [["one"]]


def test_a_failing_batch_is_retried_then_sent_to_the_on_failure_destination(
    fresh, deploy, lam, logs, ddb, stream
):
    deploy("on-change", KEYS)
    sqs = fresh.client("sqs")
    url, arn = make_queue(sqs, "stream-failures")
    lam.create_event_source_mapping(
        EventSourceArn=stream,
        FunctionName="on-change",
        StartingPosition="LATEST",
        BatchSize=1,
        MaximumRetryAttempts=2,
        DestinationConfig={"OnFailure": {"Destination": arn}},
    )
    put(ddb, "poison", "fine")
    batches = until(lambda: ["fine"] in seen(logs, "on-change") and seen(logs, "on-change"))
    assert batches == [["poison"]] * 3 + [["fine"]]  # the shard waits for the failed batch
    [message] = sqs.receive_message(QueueUrl=url)["Messages"]
    failure = json.loads(message["Body"])
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert failure["DDBStreamBatchInfo"]["batchSize"] == 1
    assert failure["DDBStreamBatchInfo"]["streamArn"] == stream


def test_filter_criteria_select_stream_records(deploy, lam, logs, ddb, stream):
    deploy("on-change", KEYS)
    lam.create_event_source_mapping(
        EventSourceArn=stream,
        FunctionName="on-change",
        StartingPosition="LATEST",
        FilterCriteria={"Filters": [{"Pattern": json.dumps({"eventName": ["REMOVE"]})}]},
    )
    put(ddb, "a")
    ddb.delete_item(TableName="items", Key={"id": {"S": "a"}})
    assert until(lambda: seen(logs, "on-change", "NAMES")) == [["REMOVE"]]


def test_records_written_inside_one_batch_reach_the_function_together(
    deploy, lam, logs, ddb, stream
):
    """Kit-only `one_batch` (for checks): without it the poller reads "a" before "b" exists."""
    from helpers.triggers.shard_poller import one_batch

    deploy("on-change", KEYS)
    lam.create_event_source_mapping(
        EventSourceArn=stream, FunctionName="on-change", StartingPosition="LATEST"
    )
    put(ddb, "first")
    assert until(lambda: seen(logs, "on-change")) == [["first"]]
    with one_batch():
        put(ddb, "a")
        time.sleep(0.5)  # the poller wakes on "a" and polls twice meanwhile: it must read nothing
        put(ddb, "b")
    assert until(lambda: len(seen(logs, "on-change")) > 1 and seen(logs, "on-change")) == [
        ["first"],
        ["a", "b"],
    ]
    put(ddb, "c")  # and reads go on as usual afterwards
    assert until(lambda: len(seen(logs, "on-change")) > 2 and seen(logs, "on-change"))[-1] == ["c"]


def test_a_second_mapping_of_the_stream_to_the_function_is_refused(deploy, lam, stream):
    deploy("on-change", KEYS)
    first = lam.create_event_source_mapping(
        EventSourceArn=stream, FunctionName="on-change", StartingPosition="LATEST"
    )
    with pytest.raises(lam.exceptions.ResourceConflictException) as error:
        lam.create_event_source_mapping(
            EventSourceArn=stream, FunctionName="on-change", StartingPosition="LATEST"
        )
    assert error.value.response["Error"]["Message"] == (
        f'The event source arn (" {stream} ") and function (" on-change ") provided mapping '
        f"already exists. Please update or delete the existing mapping with UUID {first['UUID']}"
    )


def test_a_stream_turned_off_can_be_turned_on_again_as_a_new_stream(ddb, stream):
    with pytest.raises(ddb.exceptions.ClientError) as error:  # one is enabled already
        ddb.update_table(TableName="items", StreamSpecification={"StreamEnabled": True,
                         "StreamViewType": "NEW_IMAGE"})  # fmt: skip
    assert error.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "Table already has an enabled stream: TableName: items",
    }
    ddb.update_table(TableName="items", StreamSpecification={"StreamEnabled": False})
    again = ddb.update_table(
        TableName="items",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )["TableDescription"]
    assert again["StreamSpecification"]["StreamViewType"] == "NEW_IMAGE"
    assert again["LatestStreamArn"] != stream  # a new stream, with a new ARN


def test_a_transaction_token_makes_a_repeat_within_ten_minutes_a_no_op(ddb, stream):
    # TransactWriteItems' ClientRequestToken: the same request again writes nothing; another
    # request with the token is IdempotentParameterMismatchException (moto ignored the token).
    def add(amount: int) -> dict:
        return {"Update": {"TableName": "items", "Key": {"id": {"S": "account"}},
                           "UpdateExpression": "ADD balance :a",
                           "ExpressionAttributeValues": {":a": {"N": str(amount)}}}}  # fmt: skip

    ddb.transact_write_items(TransactItems=[add(10)], ClientRequestToken="deposit-1")
    ddb.transact_write_items(TransactItems=[add(10)], ClientRequestToken="deposit-1")
    item = ddb.get_item(TableName="items", Key={"id": {"S": "account"}})["Item"]
    assert item["balance"] == {"N": "10"}
    with pytest.raises(ddb.exceptions.IdempotentParameterMismatchException):
        ddb.transact_write_items(TransactItems=[add(20)], ClientRequestToken="deposit-1")
    ddb.transact_write_items(TransactItems=[add(5)], ClientRequestToken="deposit-2")
    item = ddb.get_item(TableName="items", Key={"id": {"S": "account"}})["Item"]
    assert item["balance"] == {"N": "15"}
