"""PutItem, DeleteItem and UpdateItem refuse what DynamoDB refuses, with its words, and take what
it takes (learner trial 11: DD7, DD8, FD3, FD13, FD14, FD16, FD17, FD18)."""

from __future__ import annotations

import pytest

from tests.conftest import aws_error, string_keyed_table

KEY = {"pk": {"S": "r-1"}}


@pytest.fixture
def ddb(fresh):
    client = fresh.client("dynamodb")
    string_keyed_table(client, "receipts")
    client.put_item(TableName="receipts", Item={**KEY, "amount": {"N": "12"}})
    return client


def refused(call, *words: str) -> str:
    code, message, status = aws_error(call)
    assert (code, status) == ("ValidationException", 400), (code, message)
    for word in words:
        assert word in message, message
    return message


@pytest.mark.parametrize("operation", ["put_item", "delete_item", "update_item"])
def test_return_values_on_condition_check_failure_takes_all_old_or_none(ddb, operation):
    args = {"Item": {**KEY, "amount": {"N": "12"}}} if operation == "put_item" else {"Key": KEY}
    if operation == "update_item":
        args.update(
            UpdateExpression="SET amount = :a", ExpressionAttributeValues={":a": {"N": "12"}}
        )
    call = getattr(ddb, operation)
    refused(
        lambda: call(TableName="receipts", ReturnValuesOnConditionCheckFailure="ALL_NEW", **args),
        "Value 'ALL_NEW' at 'returnValuesOnConditionCheckFailure'",
        "[ALL_OLD, NONE]",
    )
    assert ddb.get_item(TableName="receipts", Key=KEY)["Item"]["amount"] == {"N": "12"}
    call(TableName="receipts", ReturnValuesOnConditionCheckFailure="ALL_OLD", **args)


def test_return_item_collection_metrics_takes_size_or_none(ddb):
    refused(
        lambda: ddb.put_item(TableName="receipts", Item=KEY, ReturnItemCollectionMetrics="ALL"),
        "[SIZE, NONE]",
    )
    ddb.put_item(TableName="receipts", Item=KEY, ReturnItemCollectionMetrics="SIZE")


@pytest.mark.parametrize("operation", ["put_item", "delete_item"])
def test_an_unused_expression_value_is_refused(ddb, operation):
    args = {"Item": KEY} if operation == "put_item" else {"Key": KEY}
    call = getattr(ddb, operation)
    refused(
        lambda: call(
            TableName="receipts",
            ConditionExpression="attribute_not_exists(pk)",
            ExpressionAttributeValues={":now": {"N": "1"}},
            **args,
        ),
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:now}",
    )
    refused(
        lambda: call(TableName="receipts", ExpressionAttributeValues={":now": {"N": "1"}}, **args),
        "can only be specified when using expressions: ConditionExpression is null",
    )
    call(  # every value used: taken
        TableName="receipts",
        ConditionExpression="attribute_exists(pk) AND amount < :cap",
        ExpressionAttributeValues={":cap": {"N": "100"}},
        **args,
    )


def test_an_empty_condition_expression_is_refused(ddb):
    refused(
        lambda: ddb.delete_item(TableName="receipts", Key=KEY, ConditionExpression=""),
        "Invalid ConditionExpression: The expression can not be empty;",
    )
    assert "Item" in ddb.get_item(TableName="receipts", Key=KEY)


def test_expected_and_condition_expression_together_are_refused(ddb):
    refused(
        lambda: ddb.delete_item(
            TableName="receipts",
            Key=KEY,
            Expected={"pk": {"Exists": True, "Value": {"S": "r-1"}}},
            ConditionExpression="attribute_exists(pk)",
        ),
        "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
    )


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ({"Exists": True}, "Value must be provided when Exists is true for Attribute: pk"),
        ({}, "Value must be provided when Exists is null for Attribute: pk"),
        (
            {"Exists": False, "Value": {"S": "r-1"}},
            "Value cannot be used when Exists is false for Attribute: pk",
        ),
        (
            {"Exists": True, "ComparisonOperator": "NOT_NULL"},
            "Exists and ComparisonOperator cannot be used together for Attribute: pk",
        ),
        (
            {"AttributeValueList": [{"S": "r-1"}]},
            "AttributeValueList can only be used with a ComparisonOperator for Attribute: pk",
        ),
        (
            {"ComparisonOperator": "NOT_NULL", "AttributeValueList": [{"S": "r-1"}]},
            "Invalid number of argument(s) for the NOT_NULL ComparisonOperator",
        ),
        ({"ComparisonOperator": "EQ"}, "Invalid number of argument(s) for the EQ"),
    ],
)
def test_a_malformed_legacy_expected_is_refused(ddb, condition, words):
    refused(
        lambda: ddb.delete_item(TableName="receipts", Key=KEY, Expected={"pk": condition}), words
    )
    assert "Item" in ddb.get_item(TableName="receipts", Key=KEY)


@pytest.mark.parametrize(
    "condition",
    [
        {"Value": {"S": "r-1"}},
        {"Exists": True, "Value": {"S": "r-1"}},
        {"ComparisonOperator": "NOT_NULL"},
        {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "r-1"}]},
        {"ComparisonOperator": "IN", "AttributeValueList": [{"S": "r-1"}, {"S": "r-2"}]},
    ],
)
def test_a_well_formed_legacy_expected_is_taken(ddb, condition):
    ddb.delete_item(TableName="receipts", Key=KEY, Expected={"pk": condition})
    assert "Item" not in ddb.get_item(TableName="receipts", Key=KEY)
