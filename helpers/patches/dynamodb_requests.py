"""PutItem, DeleteItem and UpdateItem refuse the requests AWS refuses, before anything is written.

moto let through requests DynamoDB answers with ValidationException (learner trial 11: DD7, DD8,
FD3, FD13, FD14, FD16, FD17, FD18), so an answer that fails on every call on AWS passed here:

- an enum parameter outside its values (`ReturnValuesOnConditionCheckFailure="ALL_NEW"`, which
  takes NONE or ALL_OLD only: API_PutItem, API_DeleteItem, API_UpdateItem), in the framework's
  "1 validation error detected: Value ... failed to satisfy constraint" words;
- an `ExpressionAttributeValues` entry no expression uses ("Value provided in
  ExpressionAttributeValues unused in expressions: keys: {:now}"), or values with no
  ConditionExpression at all, on PutItem and DeleteItem (moto checked UpdateItem's already);
- an empty ConditionExpression;
- the legacy `Expected` beside a ConditionExpression, and `Expected` entries that are malformed
  (Exists true with no Value, Exists with a ComparisonOperator, an AttributeValueList with no
  ComparisonOperator or with the wrong number of values for its operator), which crashed moto
  with a TypeError (a 500) or were taken.

Sources, as of 2026-12: API_ExpectedAttributeValue ("DynamoDB returns a ValidationException
if: Exists is true but there is no Value to check..."),
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExpectedAttributeValue.html;
LegacyConditionalParameters ("if you use Expected and ConditionExpression at the same time,
DynamoDB will return a ValidationException"),
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html.
The words of each message are DynamoDB's as measured against the service and quoted in
floci-io/floci#2125, #2893 (2026-08/09) and aws-sdk users' reports (Dynamoid/dynamoid#225:
"Invalid number of argument(s) for the EQ ComparisonOperator").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from moto.dynamodb.exceptions import MockValidationException

# Each enum parameter of the three calls, with its values (botocore's DynamoDB model).
ENUMS = {
    "ReturnValuesOnConditionCheckFailure": ("ALL_OLD", "NONE"),
    "ReturnItemCollectionMetrics": ("SIZE", "NONE"),
    "ReturnConsumedCapacity": ("INDEXES", "TOTAL", "NONE"),
    "ConditionalOperator": ("AND", "OR"),
}
# How many values each legacy ComparisonOperator takes (API_Condition): None is "one or more".
ARGUMENTS = {"NULL": 0, "NOT_NULL": 0, "BETWEEN": 2, "IN": None}
_INVALID = "1 validation error detected: One or more parameter values were invalid: "
_PLACEHOLDER = re.compile(r":[A-Za-z0-9_]+")


def apply() -> None:
    """PutItem, DeleteItem and UpdateItem validate their requests as DynamoDB does."""
    from moto.dynamodb.responses import DynamoHandler

    for name in ("put_item", "delete_item", "update_item"):
        setattr(DynamoHandler, name, _validated(getattr(DynamoHandler, name), name))


def _validated(original: Callable, operation: str) -> Callable:
    def handler(self: Any) -> Any:
        check_request(self.body, operation)
        return original(self)

    handler.__name__ = original.__name__
    return handler


def check_request(body: dict[str, Any], operation: str) -> None:
    """Raise DynamoDB's ValidationException for a request it refuses; nothing otherwise."""
    for parameter, values in ENUMS.items():
        given = body.get(parameter)
        if given is not None and given not in values:
            member = parameter[0].lower() + parameter[1:]
            raise MockValidationException(
                f"1 validation error detected: Value '{given}' at '{member}' failed to satisfy "
                f"constraint: Member must satisfy enum value set: [{', '.join(values)}]"
            )
    condition = body.get("ConditionExpression")
    if condition is not None and not str(condition).strip():
        raise MockValidationException(
            "Invalid ConditionExpression: The expression can not be empty;"
        )
    expected = body.get("Expected")
    if expected and condition is not None:
        raise MockValidationException(
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"
        )
    if expected:
        _check_expected(expected)
    if operation != "update_item":  # UpdateItem's are checked by moto, with its UpdateExpression
        _check_values_used(body.get("ExpressionAttributeValues"), condition)


def _check_values_used(values: dict[str, Any] | None, condition: str | None) -> None:
    if not values:
        return
    if condition is None:
        raise MockValidationException(
            "ExpressionAttributeValues can only be specified when using expressions: "
            "ConditionExpression is null"
        )
    used = set(_PLACEHOLDER.findall(condition))
    for name in values:
        if name not in used:
            raise MockValidationException(
                "1 validation error detected: Value provided in ExpressionAttributeValues "
                f"unused in expressions: keys: {{{name}}}"
            )


def _check_expected(expected: dict[str, Any]) -> None:
    """The legacy conditions' rules, in DynamoDB's order: the first broken one is named."""
    for attribute, condition in expected.items():
        if not isinstance(condition, dict):
            continue
        operator = condition.get("ComparisonOperator")
        has_exists, has_value = "Exists" in condition, "Value" in condition
        if "AttributeValueList" in condition and operator is None:
            raise MockValidationException(
                f"{_INVALID}AttributeValueList can only be used with a ComparisonOperator "
                f"for Attribute: {attribute}"
            )
        if has_exists and operator is not None:
            raise MockValidationException(
                f"{_INVALID}Exists and ComparisonOperator cannot be used together for "
                f"Attribute: {attribute}"
            )
        expects_value = not has_exists or bool(condition["Exists"])
        if operator is None and expects_value and not has_value:
            said = "true" if has_exists else "null"
            raise MockValidationException(
                f"{_INVALID}Value must be provided when Exists is {said} for Attribute: {attribute}"
            )
        if not expects_value and has_value:
            raise MockValidationException(
                f"{_INVALID}Value cannot be used when Exists is false for Attribute: {attribute}"
            )
        if operator is not None:
            count = len(condition.get("AttributeValueList") or []) + (1 if has_value else 0)
            wanted = ARGUMENTS.get(operator, 1)
            if (wanted is None and count < 1) or (wanted is not None and count != wanted):
                raise MockValidationException(
                    "One or more parameter values were invalid: Invalid number of argument(s) "
                    f"for the {operator} ComparisonOperator"
                )
