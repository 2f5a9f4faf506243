"""Event filtering of event source mappings (`FilterCriteria`): only matching records invoke.

A mapping's filters use EventBridge's pattern syntax (moto's own matcher does the matching). A
record passes when any filter matches it. For SQS, a body that is JSON is matched as JSON (so a
pattern can say `{"body": {"kind": ["order"]}}`); other bodies match as plain strings. Records that
match no filter never reach the function: SQS deletes those messages, streams skip past them.

Source: https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
"""

from __future__ import annotations

import json
from typing import Any

# AWS's answer to a FilterCriteria whose pattern isn't one: a value not in an array, say
# `{"eventName": "INSERT"}` (quoted from AWS in serverless/serverless#12131 and
# aws/aws-cdk#23057; filter values are arrays: "Lambda event filtering", filtering syntax;
# as_of 2026-12-07).
INVALID_PATTERN = "Invalid filter pattern definition."


def check_criteria(criteria: Any) -> None:
    """ValueError(INVALID_PATTERN) unless every filter's Pattern is a JSON object whose every
    value is a non-empty array (of values or operators) or such an object."""
    for item in (criteria or {}).get("Filters") or []:
        try:
            pattern = json.loads(item.get("Pattern") or "")
        except (TypeError, ValueError, AttributeError):
            raise ValueError(INVALID_PATTERN) from None
        if not isinstance(pattern, dict) or not _well_formed(pattern):
            raise ValueError(INVALID_PATTERN)


def _well_formed(pattern: dict[str, Any]) -> bool:
    for value in pattern.values():
        if isinstance(value, dict):
            if not value or not _well_formed(value):
                return False
        elif not isinstance(value, list) or not value:
            return False
    return bool(pattern)


def patterns(esm: Any) -> list[Any]:
    """The mapping's filters, parsed (empty: no filtering)."""
    from moto.events.models import EventPattern

    filters = (getattr(esm, "filter_criteria", None) or {}).get("Filters") or []
    return [EventPattern.load(f.get("Pattern")) for f in filters if f.get("Pattern")]


def passes(filters: list[Any], record: dict[str, Any]) -> bool:
    """True when the record matches one of the filters (or there are none)."""
    if not filters:
        return True
    subject = dict(record)
    if isinstance(subject.get("body"), str):
        try:
            subject["body"] = json.loads(subject["body"])
        except ValueError:
            pass
    return any(f.matches_event(subject) for f in filters)
