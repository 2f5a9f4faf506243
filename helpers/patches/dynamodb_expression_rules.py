"""DynamoDB expressions and items that AWS refuses (or evaluates) before anything is read or
written, which moto crashed on or took (learner trial 13, tester O: T-OD5, T-OD7, T-OD8).

- Every expression's `:value` and `#name` must be defined in ExpressionAttributeValues and
  ExpressionAttributeNames ("you must use ExpressionAttributeValues as placeholders",
  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeValues.html;
  "An expression attribute name must begin with a pound sign (#)",
  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html;
  as of 2026-12). moto failed with a KeyError in an UpdateExpression's or a filter's names and
  values (a 500 that boto3 retried), took an undefined name in a ProjectionExpression, and
  blamed a KeyConditionExpression's undefined value on "Multiple attribute names". DynamoDB's
  words, "Invalid <Expression>: An expression attribute value used in expression is not
  defined; attribute value: :id" and "... An expression attribute name used in the document
  path is not defined; attribute name: #k", are as users quote them (dynamoose/dynamoose#1403,
  aws/aws-sdk-go-v2#285 for a KeyConditionExpression).
- A placeholder key without its `#` or `:`, or with more than letters, digits and `_` after it
  ("followed by one or more alphanumeric characters"), is refused first: 'ExpressionAttributeNames
  contains invalid key: Syntax error; key: "k"' (DynamoDB's words as users quote them for
  "#my-attr" and ":old_my-version_value": dynamodb-toolbox/dynamodb-toolbox#94,
  aws/aws-sdk-java-v2#6538; moto answered "unused", or "not defined" for the part before `-`).
- `size()` of an attribute the item lacks makes its comparison false, as any function of a
  missing attribute (Condition expressions, Comparison operator and function reference,
  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html):
  a write answers ConditionalCheckFailedException; moto raised ValueError, a 500. So does
  size() of a Number or a Boolean, which size() doesn't measure (the kit's reading: a function
  whose operand's type is known only from the item fails its condition, as on AWS).
- A set's values are unique ("Each value within a set must be unique", Supported data types,
  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html):
  an item's set given with a value twice is "One or more parameter values were invalid: Input
  collection [a, a] contains duplicates." (as truora/minidyn#50 and ExtendDB/extenddb#101 record
  DynamoDB's answer). A set in ExpressionAttributeValues is `dynamodb_validation`'s.
- An AttributeValue holds exactly one type: "Supplied AttributeValue has more than one
  datatypes set, must contain exactly one of the supported datatypes" (DynamoDB's words, as
  aws/aws-sdk-net#428 quotes them; API_AttributeValue: "Each attribute value is described as a
  name-value pair").
- An attribute's name is at least 1 character ("Names must be at least 1 character long",
  HowItWorks.NamingRulesDataTypes); the message is the kit's own.
- `attribute_type(path, :t)` takes one of DynamoDB's type names (attribute_type's reference:
  "S, SS, N, NS, B, BS, BOOL, NULL, L, M"); "Invalid attribute type name found; type: STRING,
  valid types: { S,SS,N,NS,B,BS,BOOL,NULL,L,M }" is DynamoDB's answer as the tester quoted it.
- `a BETWEEN :lo AND :hi` with `:lo` above `:hi` is refused when the expression is read:
  "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or
  equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand:
  AttributeValue: {N:4}" (DynamoDB's answer as ExtendDB/extenddb#99 records it).
- A literal number in a condition (`contains(pk, 5)`) is a syntax error: values go through
  ExpressionAttributeValues (Expressions.ExpressionAttributeValues: "If you need to compare an
  attribute with a value, define an expression attribute value as a placeholder"). DynamoDB's
  'Syntax error; token: "5", near: ", 5)"' form is the one its parser answers for other stray
  tokens (e.g. 'Syntax error; token: "1", near: "+ 1"').
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from moto.dynamodb.exceptions import MockValidationException

# The expressions each request may carry, in the order they are checked.
EXPRESSIONS = ("KeyConditionExpression", "UpdateExpression", "ConditionExpression",
               "FilterExpression", "ProjectionExpression")  # fmt: skip
# The types size() measures: "String, Binary, String Set, ... List, Map" (size's reference).
SIZED = ("S", "SS", "NS", "B", "BS", "L", "M")
ATTRIBUTE_TYPES = ("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M")
_PLACEHOLDER = re.compile(r"[:#][A-Za-z0-9_]+")
_ATTRIBUTE_TYPE = re.compile(r"attribute_type\s*\(\s*[^,()]+,\s*(:[A-Za-z0-9_]+)\s*\)")
_BETWEEN = re.compile(r"\bBETWEEN\s+(:[A-Za-z0-9_]+)\s+AND\s+(:[A-Za-z0-9_]+)", re.IGNORECASE)
# An expression's tokens: placeholders, names (paths), numbers, operators, anything else.
_TOKEN = re.compile(
    r"[:#][A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|<>|<=|>=|\S"
)


def apply() -> None:
    """Wrap moto's DynamoDB handlers (after `dynamodb_validation`: these checks come first)."""
    from moto.dynamodb import comparisons
    from moto.dynamodb.responses import DynamoHandler

    for name in ("put_item", "update_item", "delete_item", "query", "scan", "get_item"):
        setattr(DynamoHandler, name, _request_checked(getattr(DynamoHandler, name)))
    DynamoHandler.batch_write_item = _batch_checked(DynamoHandler.batch_write_item)
    DynamoHandler.transact_write_items = _transaction_checked(DynamoHandler.transact_write_items)
    comparisons.FuncSize.expr = _size_of_missing_is_none(comparisons.FuncSize.expr)


def check_request(body: dict[str, Any]) -> None:
    """One request's items and expressions, as DynamoDB reads them."""
    _check_placeholder_keys(body)
    _check_item(body.get("Item"))
    for update in (body.get("AttributeUpdates") or {}).values():
        if isinstance(update, dict) and "Value" in update:
            _check_value(update["Value"])
    values = body.get("ExpressionAttributeValues") or {}
    names = body.get("ExpressionAttributeNames") or {}
    for field in EXPRESSIONS:
        expression = body.get(field)
        if not isinstance(expression, str):
            continue
        _check_placeholders(field, expression, values, names)
        if field in ("ConditionExpression", "FilterExpression", "KeyConditionExpression"):
            _check_literals(field, expression)
            _check_attribute_types(field, expression, values)
            _check_between(field, expression, values)


def _request_checked(original: Callable) -> Callable:
    def handler(self: Any) -> Any:
        check_request(self.body)
        return original(self)

    handler.__name__ = getattr(original, "__name__", "handler")
    return handler


def _batch_checked(original: Callable) -> Callable:
    def batch_write_item(self: Any) -> Any:
        """BatchWriteItem: each PutRequest's item."""
        for requests in (self.body.get("RequestItems") or {}).values():
            for request in requests or []:
                put = request.get("PutRequest") if isinstance(request, dict) else None
                if isinstance(put, dict):
                    _check_item(put.get("Item"))
        return original(self)

    return batch_write_item


def _transaction_checked(original: Callable) -> Callable:
    def transact_write_items(self: Any) -> Any:
        """TransactWriteItems: each action's item and expressions."""
        for item in self.body.get("TransactItems") or []:
            for action in (item or {}).values():
                if isinstance(action, dict):
                    check_request(action)
        return original(self)

    return transact_write_items


def _size_of_missing_is_none(original: Callable) -> Callable:
    def expr(self: Any, item: Any) -> Any:
        """size() of a missing attribute, or of one without a size (a Number, a Boolean):
        None, which every comparison moto makes with it treats as not holding (`=` compares
        None with a number: False). moto raised ValueError for both, a 500."""
        if self.attr.get_type(item) not in SIZED:
            return None
        return original(self, item)

    return expr


# ------------------------------------------------------------------------------ placeholders
def _check_placeholder_keys(body: dict[str, Any]) -> None:
    for field, mark in (("ExpressionAttributeNames", "#"), ("ExpressionAttributeValues", ":")):
        for key in body.get(field) or {}:
            if not re.fullmatch(f"{mark}[A-Za-z0-9_]+", str(key)):
                raise MockValidationException(
                    f'{field} contains invalid key: Syntax error; key: "{key}"'
                )


def _check_placeholders(field: str, expression: str, values: dict, names: dict) -> None:
    for token in _PLACEHOLDER.findall(expression):
        if token.startswith(":") and token not in values:
            raise MockValidationException(
                f"Invalid {field}: An expression attribute value used in expression is not "
                f"defined; attribute value: {token}"
            )
        if token.startswith("#") and token not in names:
            raise MockValidationException(
                f"Invalid {field}: An expression attribute name used in the document path is "
                f"not defined; attribute name: {token}"
            )


def _check_literals(field: str, expression: str) -> None:
    """A number written into a condition, outside a list index (`a[0]`), is a syntax error."""
    tokens = list(_TOKEN.finditer(expression))
    for position, token in enumerate(tokens):
        if not token.group()[0].isdigit():
            continue
        before = tokens[position - 1] if position else None
        if before is not None and before.group() == "[":
            continue
        after = tokens[position + 1] if position + 1 < len(tokens) else None
        start = before.start() if before is not None else token.start()
        end = after.end() if after is not None else token.end()
        raise MockValidationException(
            f'Invalid {field}: Syntax error; token: "{token.group()}", near: '
            f'"{expression[start:end]}"'
        )


def _check_attribute_types(field: str, expression: str, values: dict) -> None:
    for placeholder in _ATTRIBUTE_TYPE.findall(expression):
        value = values.get(placeholder)
        name = value.get("S") if isinstance(value, dict) else None
        if isinstance(name, str) and name not in ATTRIBUTE_TYPES:
            raise MockValidationException(
                f"Invalid {field}: Invalid attribute type name found; type: {name}, valid "
                f"types: {{ {','.join(ATTRIBUTE_TYPES)} }}"
            )


def _check_between(field: str, expression: str, values: dict) -> None:
    for low_name, high_name in _BETWEEN.findall(expression):
        low, high = values.get(low_name), values.get(high_name)
        if not (isinstance(low, dict) and isinstance(high, dict)) or len(low) != 1:
            continue
        (kind, low_value), = low.items()  # fmt: skip
        if list(high) != [kind] or kind not in ("N", "S", "B"):
            continue
        high_value = high[kind]
        try:
            if kind == "N":
                reversed_ = Decimal(low_value) > Decimal(high_value)
            elif kind == "B":
                reversed_ = _binary(low_value) > _binary(high_value)
            else:
                reversed_ = low_value > high_value
        except (InvalidOperation, TypeError, ValueError):
            continue
        if reversed_:
            raise MockValidationException(
                f"Invalid {field}: The BETWEEN operator requires upper bound to be greater than "
                f"or equal to lower bound; lower bound operand: AttributeValue: "
                f"{{{kind}:{low_value}}}, upper bound operand: AttributeValue: "
                f"{{{kind}:{high_value}}}"
            )


def _binary(value: Any) -> bytes:
    return value if isinstance(value, bytes) else base64.b64decode(value)


# ------------------------------------------------------------------------------------- items
def _check_item(item: Any) -> None:
    if not isinstance(item, dict):
        return
    for name, value in item.items():
        if name == "":
            raise MockValidationException(
                "[local kit, not AWS] One or more parameter values were invalid: an attribute "
                "name must be at least 1 character long"
            )
        _check_value(value)


def _check_value(value: Any) -> None:
    """One AttributeValue (its lists and maps included): one type, and sets without repeats."""
    if not isinstance(value, dict):
        return
    if len(value) > 1:
        raise MockValidationException(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one "
            "of the supported datatypes"
        )
    for kind, inner in value.items():
        if kind in ("SS", "NS", "BS") and isinstance(inner, list) and _repeats(kind, inner):
            raise MockValidationException(
                "One or more parameter values were invalid: Input collection "
                f"[{', '.join(map(_shown, inner))}] contains duplicates."
            )
        if kind == "L" and isinstance(inner, list):
            for member in inner:
                _check_value(member)
        elif kind == "M" and isinstance(inner, dict):
            for member in inner.values():
                _check_value(member)


def _shown(member: Any) -> str:
    """A set's member as the request wrote it (a Binary in base64: the kit's choice)."""
    return base64.b64encode(member).decode() if isinstance(member, bytes) else str(member)


def _repeats(kind: str, members: list) -> bool:
    try:
        if kind == "NS":
            seen: set = {Decimal(str(member)) for member in members}
        elif kind == "BS":
            seen = {_binary(member) for member in members}
        else:
            seen = {str(member) for member in members}
    except (ArithmeticError, ValueError, TypeError):
        return False  # not Numbers (or not binary): moto says what's wrong with them
    return len(seen) < len(members)
