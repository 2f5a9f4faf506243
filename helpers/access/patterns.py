"""IAM's string patterns: an element as strings, and `*` / `?` wildcards matched as IAM does."""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["as_strings", "matches_any"]


def as_strings(value: Any) -> tuple[str, ...] | None:
    """A policy element or request parameter as a tuple of strings (None when absent)."""
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


@functools.lru_cache(maxsize=4096)
def _pattern(pattern: str, fold: bool) -> re.Pattern[str]:
    # \x00 and \x01 stand for a literal `*` and `?` (a policy variable's value, or ${*} ${?}).
    literal = {"\x00": re.escape("*"), "\x01": re.escape("?")}
    regex = "".join(
        ".*" if char == "*" else "." if char == "?" else literal.get(char) or re.escape(char)
        for char in pattern
    )
    return re.compile(regex, re.DOTALL | (re.IGNORECASE if fold else 0))


def matches_any(patterns: tuple[str, ...], value: str, *, fold: bool) -> bool:
    """Whether any IAM pattern (`*`, `?`) matches `value` (fold: ignoring case)."""
    # IAM compares actions case-insensitively and resources case-sensitively.
    return any(_pattern(p, fold).fullmatch(value) for p in patterns)
