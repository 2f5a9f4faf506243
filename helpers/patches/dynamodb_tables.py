"""CreateTable refuses an attribute type DynamoDB doesn't have for keys, as AWS does.

A key attribute is a string, a number or binary: `AttributeType` is `S`, `N` or `B`. moto created
a table with `BOOL` or `X` (botocore doesn't check enums before sending). AWS's answer is a 400
ValidationException, "1 validation error detected: Value 'BOOL' at
'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy
enum value set: [B, N, S]" (DynamoDB API reference, AttributeDefinition: "Valid Values: S | N |
B"; the message in AWS's usual validation wording, as an outside check recorded it, as of 2026-12).

A key given with another type than the table's (`{"N": "r-1006"}` for a string key) is refused
by GetItem, DeleteItem and UpdateItem with "The provided key element does not match the schema"
(400 ValidationException, as users quote it, e.g. boto/boto3#1270, and as floci-io/floci#2625
measured it; as of 2026-12); moto
answered an empty item, or crashed (a 500) on a number that isn't one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.dynamodb.exceptions import MockValidationException

KEY_TYPES = ("B", "N", "S")


def apply() -> None:
    """CreateTable checks each AttributeDefinitions entry's type first; item calls check their
    key's types against the table's."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.responses import DynamoHandler

    DynamoHandler._validate_table_creation = _typed(DynamoHandler._validate_table_creation)
    DynamoDBBackend.get_keys_value = _key_types_checked(DynamoDBBackend.get_keys_value)


def _key_types_checked(original: Callable) -> Callable:
    def get_keys_value(self: Any, table: Any, keys: dict[str, Any]) -> Any:
        wanted = {table.hash_key_attr: table.hash_key_type}
        if table.range_key_attr:
            wanted[table.range_key_attr] = table.range_key_type
        for name, kind in wanted.items():
            given = keys.get(name)
            if isinstance(given, dict) and kind and list(given) != [kind]:
                raise MockValidationException("The provided key element does not match the schema")
        return original(self, table, keys)

    return get_keys_value


def _typed(original: Callable) -> Callable:
    def validate(self: Any, *args: Any, **kwargs: Any) -> Any:
        definitions = kwargs.get("attr") or []
        wrong = [
            f"Value '{entry.get('AttributeType')}' at 'attributeDefinitions.{n}.member."
            f"attributeType' failed to satisfy constraint: Member must satisfy enum value set: "
            f"[{', '.join(KEY_TYPES)}]"
            for n, entry in enumerate(definitions, start=1)
            if entry.get("AttributeType") not in KEY_TYPES
        ]
        if wrong:
            count = f"{len(wrong)} validation error{'s' if len(wrong) > 1 else ''} detected"
            raise MockValidationException(f"{count}: {'; '.join(wrong)}")
        return original(self, *args, **kwargs)

    return validate
