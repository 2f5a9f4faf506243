"""DynamoDB items and batches as DynamoDB's limits have them.

- A Number holds at most 38 significant digits, and its magnitude lies within 1E-130 and
  9.9999999999999999999999999999999999999E+125 ("Numbers can have up to 38 digits of
  precision", Supported data types,
  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html,
  as of 2026-12). moto compared floats, so 1E+126 (as a float, equal to the maximum) and
  39-digit numbers were stored, and a later Scan failed with a kit error (learner trial 10,
  ZD10). The precision's words, "Attempting to store more than 38 significant digits in a
  Number", are as users quote DynamoDB's answer; the overflow's are moto's, which pair with the
  underflow's.
- DeleteItem refuses an empty string as a key, as GetItem and PutItem do (ZD12).
- BatchWriteItem takes at most 25 requests per table: AWS answers "1 validation error
  detected: Value '{<table>=[...]}' at 'requestItems' failed to satisfy constraint: Map value
  must satisfy constraint: [Member must have length less than or equal to 25, Member must have
  length greater than or equal to 1]" (boto/boto3#483, dtan4/valec#46; API_BatchWriteItem:
  "as many as 25 put or delete requests"; as of 2026-12; ZD11).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from moto.dynamodb.exceptions import MockValidationException

MAX_MAGNITUDE = Decimal("9.9999999999999999999999999999999999999E+125")
MIN_MAGNITUDE = Decimal("1E-130")
MAX_DIGITS = 38
MAX_BATCH_WRITES = 25


def apply() -> None:
    """DynamoDB's number limits, DeleteItem's empty keys and BatchWriteItem's 25."""
    from moto.dynamodb import responses
    from moto.dynamodb.models import table

    table.Table._validate_number_type = _exact_number(table.Table._validate_number_type)
    responses.DynamoHandler.delete_item = _empty_key_refused(responses.DynamoHandler.delete_item)
    responses.DynamoHandler.batch_write_item = _at_most_25(responses.DynamoHandler.batch_write_item)


def _exact_number(original: Callable) -> Callable:
    def validate(self: Any, value: Any) -> None:
        """Check a Number's range and precision exactly (as decimals, not floats)."""
        original(self, value)
        if not isinstance(value, str):
            return
        try:
            number = Decimal(value)
        except InvalidOperation:
            return  # moto has already said what's wrong with it
        if number.is_zero():
            return
        if abs(number) > MAX_MAGNITUDE:
            raise MockValidationException(
                "Number overflow. Attempting to store a number with magnitude larger than "
                "supported range"
            )
        if abs(number) < MIN_MAGNITUDE:
            raise MockValidationException(
                "Number underflow. Attempting to store a number with magnitude smaller than "
                "supported range"
            )
        # Significant digits, counted without rounding (normalize() would round to the
        # context's 28): leading and trailing zeros don't count.
        digits = "".join(map(str, number.as_tuple().digits)).strip("0")
        if len(digits) > MAX_DIGITS:
            raise MockValidationException(
                "Attempting to store more than 38 significant digits in a Number"
            )

    return validate


def _empty_key_refused(original: Callable) -> Callable:
    def delete_item(self: Any) -> Any:
        """DeleteItem refuses a key attribute given as an empty string, as GetItem does."""
        for name, value in (self.body.get("Key") or {}).items():
            if isinstance(value, dict) and value.get("S") == "":
                raise MockValidationException(
                    "One or more parameter values are not valid. The AttributeValue for a key "
                    f"attribute cannot contain an empty string value. Key: {name}"
                )
        return original(self)

    return delete_item


def _at_most_25(original: Callable) -> Callable:
    def batch_write_item(self: Any) -> Any:
        """BatchWriteItem refuses more than 25 requests for one table."""
        items = self.body.get("RequestItems") or {}
        for table, requests in items.items():
            if not 1 <= len(requests or []) <= MAX_BATCH_WRITES:
                raise MockValidationException(
                    f"1 validation error detected: Value '{{{table}=[{len(requests or [])} "
                    "write requests]}' at 'requestItems' failed to satisfy constraint: Map "
                    "value must satisfy constraint: [Member must have length less than or "
                    "equal to 25, Member must have length greater than or equal to 1]"
                )
        return original(self)

    return batch_write_item
