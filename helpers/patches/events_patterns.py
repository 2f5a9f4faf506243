"""EventBridge event patterns that AWS refuses and moto took or failed on (learner trial 12, HD17).

AWS compiles a pattern with Event Ruler, its open-source matcher (aws/event-ruler,
`JsonRuleCompiler.doCompile` and `parseObject`, as of 2026-12): a pattern that is JSON but not an
object is refused with "Filter is not an object" (moto answered a 500, `'list' object has no
attribute`), and an object with no field, at the top or nested, with "Empty objects are not
allowed" (moto took `{}`). PutRule answers InvalidEventPatternException, "Event pattern is not
valid. Reason: ..." (users quote AWS so, e.g. cloud-custodian/cloud-custodian#6507 for the empty
object); AWS adds Jackson's "at [Source: ...]" position, left out here as moto leaves it out of
its own reasons.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from moto.events import responses as events_responses
from moto.events.exceptions import InvalidEventPatternException

NOT_AN_OBJECT = "Filter is not an object"
EMPTY_OBJECT = "Empty objects are not allowed"


def apply() -> None:
    """Wrap moto's PutRule handler: its pattern is checked before moto reads it."""
    handler = events_responses.EventsHandler
    handler.put_rule = _pattern_checked(handler.put_rule)


def pattern_problem(text: Any) -> str | None:
    """Event Ruler's reason for refusing a pattern that is JSON (None: this check has none)."""
    try:
        pattern = json.loads(text)
    except (TypeError, ValueError):
        return None  # not JSON: moto's own "Invalid JSON" answers it
    if not isinstance(pattern, dict):
        return NOT_AN_OBJECT
    return EMPTY_OBJECT if _has_empty_object(pattern) else None


def _has_empty_object(node: dict) -> bool:
    if not node:
        return True
    # Objects inside a value list are match expressions ({"prefix": ...}), judged elsewhere;
    # "$or" holds objects that are patterns themselves.
    for key, value in node.items():
        if isinstance(value, dict) and _has_empty_object(value):
            return True
        if (
            key == "$or"
            and isinstance(value, list)
            and any(isinstance(v, dict) and _has_empty_object(v) for v in value)
        ):
            return True
    return False


def _pattern_checked(original: Callable) -> Callable:
    def put_rule(self: Any) -> Any:
        text = self._get_param("EventPattern")
        if text is not None and (reason := pattern_problem(text)):
            raise InvalidEventPatternException(reason)
        return original(self)

    return put_rule
