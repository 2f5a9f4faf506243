"""Learner trial 13, tester O (T-OD5, T-OD7, T-OD8) and InvokeAsync's 256 KB: DynamoDB
expressions and items AWS refuses or evaluates, and InvokeAsync's own payload limit. Each test
shows AWS's refusal (code, status, words) and the boundary AWS accepts beside it."""

from __future__ import annotations

import json

import pytest
from botocore.config import Config

from tests.conftest import aws_error, string_keyed_table

NOOP = """
def handler(event, context):
    return {"ok": True}
"""


@pytest.fixture
def ddb(fresh):
    client = fresh.client("dynamodb", config=Config(retries={"max_attempts": 1}))
    string_keyed_table(client, "payments")
    client.put_item(TableName="payments", Item={"pk": {"S": "old"}, "n": {"N": "5"}})
    return client


def _refused(call) -> tuple[str, int, str]:
    code, message, status = aws_error(call)
    return code, status, message


# ---------------------------------------- T-OD7: undefined placeholders, in every expression
UNDEFINED_VALUE = "An expression attribute value used in expression is not defined; attribute value"
UNDEFINED_NAME = (
    "An expression attribute name used in the document path is not defined; attribute name"
)


@pytest.mark.parametrize(
    ("operation", "request_", "says"),
    [
        (
            "update_item",
            {
                "Key": {"pk": {"S": "old"}},
                "UpdateExpression": "SET #a = :v",
                "ExpressionAttributeValues": {":v": {"S": "1"}},
            },
            f"Invalid UpdateExpression: {UNDEFINED_NAME}: #a",
        ),
        (
            "query",
            {"KeyConditionExpression": "pk = :v"},
            f"Invalid KeyConditionExpression: {UNDEFINED_VALUE}: :v",
        ),
        (
            "query",
            {
                "KeyConditionExpression": "#p = :v",
                "ExpressionAttributeValues": {":v": {"S": "old"}},
            },
            f"Invalid KeyConditionExpression: {UNDEFINED_NAME}: #p",
        ),
        (
            "query",
            {
                "KeyConditionExpression": "pk = :v",
                "FilterExpression": "n > :f",
                "ExpressionAttributeValues": {":v": {"S": "old"}},
            },
            f"Invalid FilterExpression: {UNDEFINED_VALUE}: :f",
        ),
        (
            "scan",
            {"FilterExpression": "n > :f"},
            f"Invalid FilterExpression: {UNDEFINED_VALUE}: :f",
        ),
        (
            "scan",
            {"FilterExpression": "#f > :f", "ExpressionAttributeValues": {":f": {"N": "1"}}},
            f"Invalid FilterExpression: {UNDEFINED_NAME}: #f",
        ),
        (
            "scan",
            {"ProjectionExpression": "#f"},
            f"Invalid ProjectionExpression: {UNDEFINED_NAME}: #f",
        ),
        (
            "get_item",
            {"Key": {"pk": {"S": "old"}}, "ProjectionExpression": "#f"},
            f"Invalid ProjectionExpression: {UNDEFINED_NAME}: #f",
        ),
        (
            "delete_item",
            {"Key": {"pk": {"S": "old"}}, "ConditionExpression": "n = :z"},
            f"Invalid ConditionExpression: {UNDEFINED_VALUE}: :z",
        ),
    ],
)
def test_t_od7_an_undefined_placeholder_in_any_expression_is_a_400(ddb, operation, request_, says):
    call = getattr(ddb, operation)
    assert _refused(lambda: call(TableName="payments", **request_)) == (
        "ValidationException",
        400,
        says,
    )
    assert len(ddb.scan(TableName="payments")["Items"]) == 1  # nothing written or deleted


def test_t_od7_defined_placeholders_are_taken(ddb):
    names = {"#p": "pk", "#n": "n"}
    found = ddb.query(
        TableName="payments",
        KeyConditionExpression="#p = :v",
        FilterExpression="#n > :f",
        ProjectionExpression="#n",
        ExpressionAttributeNames=names,
        ExpressionAttributeValues={":v": {"S": "old"}, ":f": {"N": "1"}},
    )
    assert found["Items"] == [{"n": {"N": "5"}}]
    ddb.update_item(
        TableName="payments",
        Key={"pk": {"S": "old"}},
        UpdateExpression="SET #a = :v",
        ConditionExpression="n = :z",
        ExpressionAttributeNames={"#a": "a"},
        ExpressionAttributeValues={":v": {"S": "1"}, ":z": {"N": "5"}},
    )


@pytest.mark.parametrize(
    "condition",
    [
        "size(pk) = :z",
        "attribute_exists(pk) OR size(charge_id) > :z",
        "attribute_not_exists(pk) AND size(note) < :one",
    ],
)
def test_t_od7_size_of_a_missing_attribute_fails_the_condition(ddb, condition):
    values = {":z": {"N": "0"}, ":one": {"N": "1"}}
    used = {key: value for key, value in values.items() if key in condition}
    code, status, _ = _refused(
        lambda: ddb.put_item(
            TableName="payments",
            Item={"pk": {"S": "new"}},
            ConditionExpression=condition,
            ExpressionAttributeValues=used,
        )
    )
    assert (code, status) == ("ConditionalCheckFailedException", 400)
    # A Scan's filter on it matches nothing (moto said "Bad Filter Expression").
    assert ddb.scan(TableName="payments", FilterExpression="size(note) < :one",
                    ExpressionAttributeValues={":one": {"N": "1"}})["Items"] == []  # fmt: skip
    # Nor has the stored item's Number a size: its condition fails too (moto: a 500).
    code, status, _ = _refused(
        lambda: ddb.put_item(
            TableName="payments",
            Item={"pk": {"S": "old"}},
            ConditionExpression="size(n) > :z",
            ExpressionAttributeValues={":z": {"N": "0"}},
        )
    )
    assert (code, status) == ("ConditionalCheckFailedException", 400)
    # size() of an attribute the item has is evaluated.
    ddb.put_item(
        TableName="payments",
        Item={"pk": {"S": "old"}},
        ConditionExpression="size(pk) = :three",
        ExpressionAttributeValues={":three": {"N": "3"}},
    )


# ------------------------------------------------------------- T-OD5: a set with a value twice
@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ({"SS": ["a", "a"]}, "[a, a]"),
        ({"NS": ["1", "1.0"]}, "[1, 1.0]"),
        ({"BS": [b"x", b"x"]}, "[eA==, eA==]"),
        ({"M": {"inner": {"SS": ["a", "a"]}}}, "[a, a]"),
    ],
)
def test_t_od5_a_set_with_a_value_twice_is_refused(ddb, value, shown):
    assert _refused(
        lambda: ddb.put_item(TableName="payments", Item={"pk": {"S": "new"}, "s": value})
    ) == (
        "ValidationException",
        400,
        f"One or more parameter values were invalid: Input collection {shown} contains duplicates.",
    )
    assert len(ddb.scan(TableName="payments")["Items"]) == 1
    ddb.put_item(TableName="payments", Item={"pk": {"S": "new"}, "s": {"SS": ["a", "A", "a "]}})
    ddb.put_item(TableName="payments", Item={"pk": {"S": "n2"}, "s": {"NS": ["1", "1.5"]}})


# --------------------------------------------------------------------- T-OD8: more of AWS's rules
@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (
            {
                "ConditionExpression": "attribute_not_exists(pk)",
                "ExpressionAttributeNames": {"k": "pk"},
            },
            'ExpressionAttributeNames contains invalid key: Syntax error; key: "k"',
        ),
        (
            {
                "ConditionExpression": "attribute_not_exists(#a-b)",
                "ExpressionAttributeNames": {"#a-b": "pk"},
            },
            'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"',
        ),
        (
            {
                "ConditionExpression": "pk <> :a-b",
                "ExpressionAttributeValues": {":a-b": {"S": "x"}},
            },
            'ExpressionAttributeValues contains invalid key: Syntax error; key: ":a-b"',
        ),
        (
            {"Item": {"pk": {"S": "new"}, "a": {"S": "x", "N": "1"}}},
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
            "the supported datatypes",
        ),
        (
            {"Item": {"pk": {"S": "new"}, "": {"S": "x"}}},
            "[local kit, not AWS] One or more parameter values were invalid: an attribute name "
            "must be at least 1 character long",
        ),
        (
            {
                "ConditionExpression": "attribute_type(pk, :t)",
                "ExpressionAttributeValues": {":t": {"S": "STRING"}},
            },
            "Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid "
            "types: { S,SS,N,NS,B,BS,BOOL,NULL,L,M }",
        ),
        (
            {"ConditionExpression": "contains(pk, 5)"},
            'Invalid ConditionExpression: Syntax error; token: "5", near: ", 5)"',
        ),
        (
            {
                "ConditionExpression": "n BETWEEN :b AND :a",
                "ExpressionAttributeValues": {":b": {"N": "9"}, ":a": {"N": "1"}},
            },
            "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
            "than or equal to lower bound; lower bound operand: AttributeValue: {N:9}, upper "
            "bound operand: AttributeValue: {N:1}",
        ),
    ],
)
def test_t_od8_dynamodb_refuses_what_aws_refuses(ddb, extra, says):
    request = {"TableName": "payments", "Item": {"pk": {"S": "new"}}, **extra}
    assert _refused(lambda: ddb.put_item(**request)) == ("ValidationException", 400, says)
    assert len(ddb.scan(TableName="payments")["Items"]) == 1


def test_t_od8_the_valid_forms_are_taken(ddb):
    ddb.put_item(
        TableName="payments",
        Item={"pk": {"S": "old"}, "n": {"N": "5"}, "l": {"L": [{"N": "1"}, {"N": "1"}]}},
        ConditionExpression="attribute_type(#k, :t) AND n BETWEEN :a AND :b "
        "AND contains(pk, :o) AND contains(pk, :o_2)",
        ExpressionAttributeNames={"#k": "pk"},
        ExpressionAttributeValues={
            ":t": {"S": "S"},  # and a placeholder of letters, digits and _ below
            ":o_2": {"S": "o"},
            ":a": {"N": "5"},
            ":b": {"N": "5"},
            ":o": {"S": "o"},
        },
    )
    # A list index is a number in a path, not a literal value.
    ddb.put_item(
        TableName="payments",
        Item={"pk": {"S": "old"}},
        ConditionExpression="l[0] = :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
    )


# ------------------------------------------------------------- InvokeAsync: 256 KB, its own limit
def test_invoke_async_takes_256_kb_and_not_a_byte_more(lam, deploy):
    deploy("worker", NOOP)
    limit = 256 * 1024
    padding = limit - len(json.dumps({"pad": ""}))
    fits = json.dumps({"pad": "x" * padding})
    assert len(fits) == limit
    assert lam.invoke_async(FunctionName="worker", InvokeArgs=fits)["Status"] == 202
    too_big = json.dumps({"pad": "x" * (padding + 1)})
    code, message, status = aws_error(
        lambda: lam.invoke_async(FunctionName="worker", InvokeArgs=too_big)
    )
    assert (code, status, message) == (
        "RequestEntityTooLargeException",
        413,
        "Request must be smaller than 262144 bytes for the InvokeAsync operation",
    )
    # Invoke's asynchronous limit stays 1 MB.
    lam.invoke(FunctionName="worker", InvocationType="Event", Payload=too_big)
