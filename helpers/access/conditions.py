"""IAM policy conditions, evaluated against a request's context (the keys it sets).

Operators: StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase,
StringLike, StringNotLike, ArnEquals, ArnLike, ArnNotEquals, ArnNotLike, Bool, Null, IpAddress,
NotIpAddress, the Date and Numeric comparisons
(DateLessThan ..., NumericGreaterThanEquals ...: on `aws:CurrentTime` and `aws:EpochTime`, the
kit's clock), each also with `IfExists`; `ForAnyValue:` and `ForAllValues:` read the kit's
single-valued keys as one-value sets, and test each value of a multivalued one
(dynamodb:Attributes)
("Condition operators", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
as of 2026-12). Keys compare case-insensitively, values as the operator says. A condition on a
key the context doesn't set is false (true with `IfExists`, or for a negated operator); an
operator the kit doesn't know is false, so a statement that relies on one grants nothing.

`Null` tests whether the request has the key at all: `{"Null": {"s3:x-amz-server-side-encryption":
"true"}}` holds when the request lacks it, `"false"` when it has it ("Condition operator to check
existence of condition keys", the page above; as of 2026-12).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .patterns import matches_any

__all__ = ["holds"]

# operator -> (wildcards?, case-insensitive?, negated?)
_OPERATORS = {
    "stringequals": (False, False, False),
    "stringnotequals": (False, False, True),
    "stringequalsignorecase": (False, True, False),
    "stringnotequalsignorecase": (False, True, True),
    "stringlike": (True, False, False),
    "stringnotlike": (True, False, True),
    "arnequals": (False, False, False),
    "arnnotequals": (False, False, True),
    "arnlike": (True, False, False),
    "arnnotlike": (True, False, True),
    "bool": (False, True, False),
}


# Date and Numeric operators -> the comparison that must hold between the request's value and
# the policy's (any of the policy's values, as IAM ORs a key's values).
_COMPARISONS = {
    "equals": lambda a, b: a == b,
    "notequals": lambda a, b: a != b,
    "lessthan": lambda a, b: a < b,
    "lessthanequals": lambda a, b: a <= b,
    "greaterthan": lambda a, b: a > b,
    "greaterthanequals": lambda a, b: a >= b,
}


def _as_date(text: str) -> float | None:
    """A Date operator's value: ISO 8601 (2027-01-01, 2027-01-01T00:00:00Z) or epoch seconds."""
    try:
        return float(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _as_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _compared(name: str, actual: str, values: tuple[str, ...]) -> bool | None:
    """A Date or Numeric test (None: `name` is neither)."""
    for kind, convert in (("date", _as_date), ("numeric", _as_number)):
        if name.startswith(kind) and name[len(kind) :] in _COMPARISONS:
            compare = _COMPARISONS[name[len(kind) :]]
            mine = convert(actual)
            theirs = [v for v in map(convert, values) if v is not None]
            if mine is None:
                return False
            if name.endswith("notequals"):  # true only if it equals none of them
                return all(compare(mine, v) for v in theirs)
            return any(compare(mine, v) for v in theirs)
    return None


def _in_network(actual: str, values: tuple[str, ...]) -> bool:
    """IpAddress: the request's address lies in one of the policy's CIDR ranges."""
    import ipaddress

    try:
        address = ipaddress.ip_address(actual)
    except ValueError:
        return False
    for value in values:
        try:
            if address in ipaddress.ip_network(value, strict=False):
                return True
        except ValueError:
            continue
    return False


def _negated(name: str) -> bool:
    """Whether the operator requires the key NOT to match (StringNotEquals, ArnNotLike,
    NotIpAddress, NumericNotEquals ...)."""
    return "not" in name


def _test_holds(name: str, actual: str, values: tuple[str, ...]) -> bool:
    """One operator's test of the request's value against the policy's values (an operator
    the kit doesn't know holds for nothing: its statement grants nothing)."""
    if name in ("ipaddress", "notipaddress"):
        return _in_network(actual, values) != (name == "notipaddress")
    if name not in _OPERATORS:
        return bool(_compared(name, actual, values))
    wildcard, fold, negated = _OPERATORS[name]
    if wildcard:
        found = matches_any(values, actual, fold=fold)
    elif fold:
        found = actual.lower() in {v.lower() for v in values}
    else:
        found = actual in values
    return found != negated


def _values(wanted: Any) -> tuple[str, ...]:
    """A test's values as strings: JSON's true, false and numbers as IAM reads them."""
    items = wanted if isinstance(wanted, list | tuple) else [wanted]
    return tuple(str(v).lower() if isinstance(v, bool) else str(v) for v in items if v is not None)


def holds(condition: Any, context: dict[str, str | None]) -> bool:
    """Whether every test of a policy statement's Condition holds for this request."""
    if not condition:
        return True
    if not isinstance(condition, dict):
        return False
    known = {key.lower(): value for key, value in context.items()}
    for operator, tests in condition.items():
        name = str(operator).lower()
        # The kit's keys hold one value each: ForAnyValue tests it as the plain operator does;
        # ForAllValues too, and is true when the key is absent ("Single-valued vs. multivalued
        # context keys", IAM User Guide; as_of 2026-12-07).
        set_operator, _, name = name.rpartition(":")
        if set_operator not in ("", "foranyvalue", "forallvalues"):
            return False
        if_exists = name.endswith("ifexists") or set_operator == "forallvalues"
        name = name.removesuffix("ifexists")
        if not isinstance(tests, dict):
            return False
        if name == "null":
            for key, wanted in tests.items():
                absent = known.get(str(key).lower()) is None
                if not any((v.lower() == "true") == absent for v in _values(wanted)):
                    return False
            continue
        for key, wanted in tests.items():
            actual = known.get(str(key).lower())
            if actual is None or actual == ():
                # "If the policy condition requires that the key is not matched ... and the
                # right key is not present, the condition is true" (the page above).
                if if_exists or _negated(name):
                    continue
                return False
            if isinstance(actual, tuple):  # a multivalued key (dynamodb:Attributes)
                tested = [_test_holds(name, one, _values(wanted)) for one in actual]
                # ForAllValues: every value must pass; ForAnyValue (and a plain operator): one.
                if not (all(tested) if set_operator == "forallvalues" else any(tested)):
                    return False
                continue
            if not _test_holds(name, actual, _values(wanted)):
                return False
    return True
