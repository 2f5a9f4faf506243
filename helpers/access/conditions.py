"""IAM policy conditions, evaluated against a request's context (the keys it sets).

Operators: StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringLike, StringNotLike,
ArnEquals, ArnLike, ArnNotEquals, ArnNotLike, Bool, each also with `IfExists`
("Condition operators", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
as of 2026-12). Keys compare case-insensitively, values as the operator says. A condition on a
key the context doesn't set is false (true with `IfExists`); an operator the kit doesn't know
is false, so a statement that relies on one grants nothing.
"""

from __future__ import annotations

from typing import Any

from .patterns import as_strings, matches_any

__all__ = ["holds"]

# operator -> (wildcards?, case-insensitive?, negated?)
_OPERATORS = {
    "stringequals": (False, False, False),
    "stringnotequals": (False, False, True),
    "stringequalsignorecase": (False, True, False),
    "stringlike": (True, False, False),
    "stringnotlike": (True, False, True),
    "arnequals": (False, False, False),
    "arnnotequals": (False, False, True),
    "arnlike": (True, False, False),
    "arnnotlike": (True, False, True),
    "bool": (False, True, False),
}


def holds(condition: Any, context: dict[str, str | None]) -> bool:
    """Whether every test of a policy statement's Condition holds for this request."""
    if not condition:
        return True
    if not isinstance(condition, dict):
        return False
    known = {key.lower(): value for key, value in context.items()}
    for operator, tests in condition.items():
        name = str(operator).lower()
        if_exists = name.endswith("ifexists")
        name = name.removesuffix("ifexists")
        if name not in _OPERATORS or not isinstance(tests, dict):
            return False
        wildcard, fold, negated = _OPERATORS[name]
        for key, wanted in tests.items():
            actual = known.get(str(key).lower())
            if actual is None:
                if if_exists:
                    continue
                return False
            values = as_strings(wanted) or ()
            if wildcard:
                found = matches_any(values, actual, fold=fold)
            elif fold:
                found = actual.lower() in {v.lower() for v in values}
            else:
                found = actual in values
            if found == negated:
                return False
    return True
