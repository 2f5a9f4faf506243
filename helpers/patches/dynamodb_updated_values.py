"""UpdateItem's `ReturnValues=UPDATED_OLD`/`UPDATED_NEW` return every attribute the update
expression names, as DynamoDB does, changed or not.

moto returned only the attributes whose value changed. So `SET seen = if_not_exists(seen, :now)`
with `UPDATED_OLD`, a common "have I seen this before?" test, returned nothing on a repeat, and a
right idempotent handler counted a repeat as new.

Sources (as of 2026-12): https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
("UPDATED_OLD - Returns only the updated attributes, as they appeared before the UpdateItem
operation"; "UPDATED_NEW - ... as they appear after"); the attributes an expression updates are
the ones it names, whether or not their value changes, as reported against emulators that compared
values (github.com/ministackorg/ministack issue 1040: "should always return Attributes if the
values are not None, regardless of whether they were changed"). Kept to top-level attributes: an
update of a nested path returns its whole top-level attribute.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from moto.dynamodb import responses as ddb_responses

_CLAUSE = re.compile(r"\b(SET|REMOVE|ADD|DELETE)\b", re.IGNORECASE)


def apply() -> None:
    """UpdateItem's UPDATED_OLD and UPDATED_NEW as DynamoDB answers them."""
    handler = ddb_responses.DynamoHandler
    handler.update_item = _named_attributes_returned(handler.update_item)


def _split_top_level(text: str) -> list[str]:
    """`text` split at the commas outside parentheses (function arguments keep theirs)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def updated_names(expression: str, names: dict[str, str]) -> set[str]:
    """The top-level attributes an update expression sets, removes, adds to or deletes from."""
    pieces = _CLAUSE.split(expression)
    found: set[str] = set()
    for keyword, body in zip(pieces[1::2], pieces[2::2], strict=False):
        for action in _split_top_level(body):
            # SET path = value; REMOVE path; ADD path value; DELETE path value
            path = action.split("=", 1)[0] if keyword.upper() == "SET" else action.split()[0]
            top = re.split(r"[.\[]", path.strip(), maxsplit=1)[0]
            found.add(names.get(top, top))
    return found


def _named_attributes_returned(original: Callable) -> Callable:
    def update_item(self: Any) -> Any:
        wanted = self.body.get("ReturnValues")
        expression = self.body.get("UpdateExpression")
        if wanted not in ("UPDATED_OLD", "UPDATED_NEW") or not expression:
            return original(self)
        self.body["ReturnValues"] = "ALL_OLD" if wanted == "UPDATED_OLD" else "ALL_NEW"
        try:
            result = original(self)
        finally:
            self.body["ReturnValues"] = wanted
        named = updated_names(expression, self.body.get("ExpressionAttributeNames") or {})
        answer = result.result
        kept = {k: v for k, v in (answer.get("Attributes") or {}).items() if k in named}
        if kept:
            answer["Attributes"] = kept
        else:
            answer.pop("Attributes", None)
        return result

    return update_item
