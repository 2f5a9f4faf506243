"""CloudWatch Logs filter patterns: which log events a subscription filter delivers.

`compile(pattern)` parses a `filterPattern` once; `FilterPattern.matches(message)` then says
whether one log event's message is selected. `matches(pattern, message)` does both, with a small
cache of compiled patterns. A pattern AWS would refuse raises `InvalidFilterPattern`, a
`ValueError` that carries the message AWS answers (`aws_message`, under the error code
`aws_code`) and the kit's own hint at what is wrong.

The syntax follows AWS's documentation:

- https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
- https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/regex-expressions.html
- https://docs.amazonaws.cn/AmazonCloudWatch/latest/logs/matching-terms-json-log-events.html
- the examples of the archived guide, https://github.com/awsdocs/amazon-cloudwatch-logs-user-guide
  (doc_source/FilterAndPatternSyntax.md)

Three kinds of pattern, told apart by their first character:

Terms (anything else). Terms match case-sensitively as substrings of the whole message (the
guide's own example: `ERROR` selects "Exiting with ERRORCODE: -1"). Several terms must all appear;
`-term` excludes; `?a ?b` selects events with any of them; `"a phrase"` is one term;
`%regex%` is a regular-expression term. An unquoted term may hold only letters, digits and `_`
(the guide: other characters must be placed inside double quotes). `""` and `" "` match
everything. When `?` terms are mixed with plain terms, AWS ignores the `?` terms (observed, not
documented: github.com/Radek-Pysny/radek-pysny.github.io,
_posts/2025-03-30-aws-cloud-watch-vol-1.md).

JSON (`{ ... }`). `$.a.b[0]` selectors compared with `=`, `!=` (strings, with `*` wildcards, or
`%regex%`) or `<`, `<=`, `>`, `>=`, `=`, `!=` (numbers); `IS NULL`, `IS TRUE`, `IS FALSE`,
`NOT EXISTS`; `&&` binds tighter than `||`; parentheses. A selector that points at an array or
object, or at nothing, never matches a comparison. A message that is not a JSON object matches
no JSON pattern.

Space-delimited (`[ ... ]`). The message is split at whitespace; text inside `"..."` or `[...]`
is one field (without the quotes or brackets). The pattern names the fields, `...` stands for
any number of them, and a field may carry conditions (`status_code = 4* && bytes > 1000`,
`w1 = ERROR || w1 = WARN`). Without `...` the number of fields must match exactly: the guide's
`[w1=ERROR, w2]` selects "ERROR message" but not "ERROR WARN message".

Regular expressions (AWS added them in 2023) are run with Python's `re` (a search, as
`%AUTHORIZED%` selects "UNAUTHORIZED REQUEST"). AWS's documented restrictions are enforced: no
`(` or `)`, no `!`, no multi-byte characters, at most 2 per JSON or space-delimited pattern.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

__all__ = ["FilterPattern", "InvalidFilterPattern", "compile", "matches"]

# What AWS answers for a pattern it cannot parse, as reported for FilterLogEvents:
# "InvalidParameterException: Invalid filter pattern" (github.com/aws/aws-toolkit-jetbrains,
# issue 3219). For an unquoted term with a character that needs quotes, PutSubscriptionFilter was
# seen to be more specific: "Invalid character(s) in term '...'" (InvalidParameterException,
# github.com/dougmoscrop/serverless-plugin-log-subscription, issue 47).
AWS_INVALID_PATTERN = "Invalid filter pattern"
MAX_PATTERN_LENGTH = 1024  # API reference, filterPattern: "Maximum length of 1024"
MAX_REGEXES = 2  # per JSON or space-delimited pattern (quota in FilterAndPatternSyntax.html)

Kind = Literal["all", "terms", "json", "delimited"]


class InvalidFilterPattern(ValueError):
    """A filter pattern AWS would refuse; `aws_message` is AWS's wording, `hint` the kit's."""

    def __init__(
        self,
        pattern: str,
        hint: str,
        aws_message: str = AWS_INVALID_PATTERN,
        aws_code: str = "InvalidParameterException",
    ) -> None:
        self.pattern = pattern
        self.hint = hint
        self.aws_message = aws_message
        self.aws_code = aws_code
        super().__init__(f"{aws_message} (kit hint: {hint})")


class FilterPattern:
    """A compiled filter pattern: `matches(message)` says whether a log event is selected."""

    __slots__ = ("_test", "kind", "pattern")

    def __init__(self, pattern: str, kind: Kind, test: Callable[[str], bool]) -> None:
        self.pattern = pattern
        self.kind: Kind = kind
        self._test = test

    def matches(self, message: str) -> bool:
        """True if the log event with this message is selected by the pattern."""
        return self._test(message)

    def __repr__(self) -> str:
        return f"FilterPattern({self.pattern!r}, kind={self.kind!r})"


def compile(pattern: str | None) -> FilterPattern:
    """Parse a CloudWatch Logs filter pattern; raise InvalidFilterPattern if AWS would refuse it."""
    pattern = pattern or ""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise InvalidFilterPattern(
            pattern,
            f"the pattern is {len(pattern)} characters long; AWS accepts at most "
            f"{MAX_PATTERN_LENGTH}",
            aws_message=(
                f"1 validation error detected: Value '{pattern}' at 'filterPattern' failed to "
                "satisfy constraint: Member must have length less than or equal to "
                f"{MAX_PATTERN_LENGTH}"
            ),
            aws_code="ValidationException",
        )
    text = pattern.strip()
    if not text:
        return FilterPattern(pattern, "all", _always)
    if text[0] == "{":
        return FilterPattern(pattern, "json", _compile_json(pattern, text))
    if text[0] == "[":
        return FilterPattern(pattern, "delimited", _compile_delimited(pattern, text))
    return FilterPattern(pattern, "terms", _compile_terms(pattern, text))


@lru_cache(maxsize=256)
def _cached(pattern: str) -> FilterPattern:
    return compile(pattern)


def matches(pattern: str | None, message: str) -> bool:
    """True if `message` is selected by `pattern` (compiled patterns are cached)."""
    return _cached(pattern or "").matches(message)


def _always(_message: str) -> bool:
    return True


# ---------------------------------------------------------------------------------------------
# Values: what a comparison compares against.

_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# The documented limits of AWS's regex flavour; other characters may be refused by AWS as well.
_REGEX_FORBIDDEN = {"(": "( and ) (no sub-patterns)", ")": "( and ) (no sub-patterns)", "!": "!"}


def _as_number(text: str) -> float | None:
    return float(text) if _NUMBER.fullmatch(text) else None


def _regex(pattern: str, body: str) -> re.Pattern[str]:
    if not body:
        raise InvalidFilterPattern(pattern, "%% is an empty regular expression")
    for char, what in _REGEX_FORBIDDEN.items():
        if char in body:
            raise InvalidFilterPattern(
                pattern, f"CloudWatch Logs regular expressions do not support {what}: %{body}%"
            )
    if not body.isascii():
        raise InvalidFilterPattern(
            pattern, f"CloudWatch Logs regular expressions take no multi-byte characters: %{body}%"
        )
    try:
        return re.compile(body)
    except re.error as error:
        raise InvalidFilterPattern(
            pattern, f"the regular expression %{body}% does not parse: {error}"
        ) from None


def _glob(text: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in text.split("*")), re.DOTALL)


@dataclass(frozen=True)
class _Operand:
    """The right-hand side of a comparison, as written (quotes removed)."""

    text: str
    number: float | None = None  # set for an unquoted number
    glob: re.Pattern[str] | None = None  # set when text has a * wildcard
    regex: re.Pattern[str] | None = None  # set for %regex%

    def equals(self, text: str, number: float | None) -> bool:
        if self.regex is not None:
            return self.regex.search(text) is not None
        if self.glob is not None:
            return self.glob.fullmatch(text) is not None
        if self.number is not None and number is not None:
            return number == self.number
        return text == self.text


def _compare(op: str, operand: _Operand, text: str, number: float | None) -> bool:
    if op == "=":
        return operand.equals(text, number)
    if op == "!=":
        return not operand.equals(text, number)
    if number is None or operand.number is None:
        return False
    return {
        "<": number < operand.number,
        "<=": number <= operand.number,
        ">": number > operand.number,
        ">=": number >= operand.number,
    }[op]


# ---------------------------------------------------------------------------------------------
# A scanner shared by the three parsers.


class _Scanner:
    def __init__(self, pattern: str, text: str) -> None:
        self.pattern = pattern  # the whole pattern, for error messages
        self.text = text
        self.pos = 0

    def fail(self, hint: str, **kwargs: str) -> InvalidFilterPattern:
        return InvalidFilterPattern(self.pattern, hint, **kwargs)

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def at_end(self) -> bool:
        self.skip_ws()
        return self.pos >= len(self.text)

    def peek(self, token: str) -> bool:
        return self.text.startswith(token, self.pos)

    def accept(self, token: str) -> bool:
        self.skip_ws()
        if self.peek(token):
            self.pos += len(token)
            return True
        return False

    def rest(self) -> str:
        return self.text[self.pos :][:30]

    def quoted(self) -> str:
        """Read "..." (the scanner is on the opening quote); \\" and \\\\ are escapes."""
        start = self.pos
        self.pos += 1
        out: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                out.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            self.pos += 1
            if char == '"':
                return "".join(out)
            out.append(char)
        raise self.fail(f"unterminated double quote in {self.text[start:][:30]!r}")

    def regex_body(self) -> str:
        """Read %...% (the scanner is on the opening %) and return what is between."""
        end = self.text.find("%", self.pos + 1)
        if end == -1:
            raise self.fail(f"a regular expression must end with %: {self.text[self.pos :][:30]!r}")
        body = self.text[self.pos + 1 : end]
        self.pos = end + 1
        return body

    def operator(self) -> str | None:
        self.skip_ws()
        for op in ("!=", "<=", ">=", "=", "<", ">"):
            if self.peek(op):
                self.pos += len(op)
                return op
        return None

    def word(self) -> str:
        self.skip_ws()
        match = _WORD.match(self.text, self.pos)
        if not match:
            return ""
        self.pos = match.end()
        return match.group()

    def operand(self, op: str, stops: str, regexes: list[str]) -> _Operand:
        """Read the value after `op`: "quoted", %regex%, or a bare word up to a stop."""
        self.skip_ws()
        if self.peek('"'):
            text = self.quoted()
            operand = _Operand(text, glob=_glob(text) if "*" in text else None)
        elif self.peek("%"):
            body = self.regex_body()
            regexes.append(body)
            operand = _Operand(body, regex=_regex(self.pattern, body))
        else:
            start = self.pos
            while (
                self.pos < len(self.text)
                and not self.text[self.pos].isspace()
                and self.text[self.pos] not in stops
                and not self.peek("&&")
                and not self.peek("||")
            ):
                self.pos += 1
            text = self.text[start : self.pos]
            if not text:
                raise self.fail(f"a value is missing after {op}")
            if '"' in text:
                raise self.fail(f"a stray double quote in the value {text!r}")
            number = _as_number(text)
            operand = _Operand(text, number=number, glob=_glob(text) if "*" in text else None)
        if op not in ("=", "!=") and operand.number is None:
            raise self.fail(
                f"{op} compares numbers, but {operand.text!r} is not a number "
                "(strings, wildcards and regular expressions take = or !=)"
            )
        return operand


# ---------------------------------------------------------------------------------------------
# Terms: ERROR, "a phrase", -excluded, ?either ?or, %regex%.


def _compile_terms(pattern: str, text: str) -> Callable[[str], bool]:
    scan = _Scanner(pattern, text)
    required: list[Callable[[str], bool]] = []
    optional: list[Callable[[str], bool]] = []
    excluded: list[Callable[[str], bool]] = []
    while not scan.at_end():
        bucket = required
        if scan.peek("?") or scan.peek("-"):
            sign = scan.text[scan.pos]
            bucket = optional if sign == "?" else excluded
            scan.pos += 1
            # The archived guide writes `"ERROR" - "Exiting"`; a detached sign applies onward.
            if scan.at_end():
                raise scan.fail(f"{sign} must be followed by a term")
        bucket.append(_term(scan))
    if not required and not optional:
        return lambda message: not any(test(message) for test in excluded)

    def test(message: str) -> bool:
        if any(term(message) for term in excluded):
            return False
        if required:
            return all(term(message) for term in required)
        return any(term(message) for term in optional)

    return test


def _term(scan: _Scanner) -> Callable[[str], bool]:
    if scan.peek('"'):
        phrase = scan.quoted()
        if not phrase.strip():
            # The guide: "You can match everything in your log events with double quotation
            # marks", its example being `" "`.
            return _always
        return lambda message: phrase in message
    if scan.peek("%"):
        regex = _regex(scan.pattern, scan.regex_body())
        return lambda message: regex.search(message) is not None
    start = scan.pos
    while scan.pos < len(scan.text) and not scan.text[scan.pos].isspace():
        scan.pos += 1
    term = scan.text[start : scan.pos]
    if not _WORD.fullmatch(term):
        raise scan.fail(
            f"put a term with characters other than letters, digits and _ in double quotes: "
            f'"{term}"',
            aws_message=f"Invalid character(s) in term '{term}'",
        )
    return lambda message: term in message


# ---------------------------------------------------------------------------------------------
# Boolean expressions over comparisons, for JSON and space-delimited patterns.


@dataclass(frozen=True)
class _Cmp:
    ref: Any  # a JSON path (tuple of keys and indexes) or a field name
    op: str  # = != < <= > >=, or IS NULL, IS TRUE, IS FALSE, NOT EXISTS
    operand: _Operand | None = None


@dataclass(frozen=True)
class _BoolOp:
    kind: Literal["and", "or"]
    items: tuple[_Expr, ...]


_Expr = _Cmp | _BoolOp


def _evaluate(expr: _Expr, test: Callable[[_Cmp], bool]) -> bool:
    if isinstance(expr, _Cmp):
        return test(expr)
    if expr.kind == "and":
        return all(_evaluate(item, test) for item in expr.items)
    return any(_evaluate(item, test) for item in expr.items)


def _parse_or(scan: _Scanner, primary: Callable[[], _Expr]) -> _Expr:
    # && binds tighter than || (the guide: "() > && > ||").
    groups: list[_Expr] = []
    while True:
        items = [primary()]
        while scan.accept("&&"):
            items.append(primary())
        groups.append(items[0] if len(items) == 1 else _BoolOp("and", tuple(items)))
        if not scan.accept("||"):
            break
    return groups[0] if len(groups) == 1 else _BoolOp("or", tuple(groups))


def _check_regex_quota(scan: _Scanner, regexes: list[str]) -> None:
    if len(regexes) > MAX_REGEXES:
        raise scan.fail(
            f"{len(regexes)} regular expressions; CloudWatch Logs allows at most {MAX_REGEXES} "
            "in a JSON or space-delimited filter pattern"
        )


# ---------------------------------------------------------------------------------------------
# JSON: { $.level = "ERROR" && ($.latency > 500 || $.retry IS TRUE) }.

_MISSING = object()
_PROPERTY = re.compile(r"[A-Za-z0-9_-]+")
_INDEX = re.compile(r"\[(\d+)\]")


def _compile_json(pattern: str, text: str) -> Callable[[str], bool]:
    if not text.endswith("}"):
        raise InvalidFilterPattern(pattern, "a JSON filter pattern must end with }")
    scan = _Scanner(pattern, text[1:-1])
    regexes: list[str] = []
    if scan.at_end():
        raise scan.fail("the JSON filter pattern {} is empty; write { $.field = value }")

    def primary() -> _Expr:
        if scan.accept("("):
            inner = _parse_or(scan, primary)
            if not scan.accept(")"):
                raise scan.fail(f"a ) is missing before {scan.rest()!r}")
            return inner
        return _json_comparison(scan, regexes)

    expr = _parse_or(scan, primary)
    if not scan.at_end():
        rest = scan.rest()
        hint = f"unexpected {rest!r}"
        if rest.split()[0].upper() in ("AND", "OR"):
            hint += "; combine conditions with && and ||"
        raise scan.fail(hint)
    _check_regex_quota(scan, regexes)

    def test(message: str) -> bool:
        try:
            document = json.loads(message)
        except ValueError:
            return False
        if not isinstance(document, dict):
            return False
        return _evaluate(expr, lambda cmp: _json_test(document, cmp))

    return test


def _selector(scan: _Scanner) -> tuple[str | int, ...]:
    scan.skip_ws()
    if not scan.peek("$."):
        raise scan.fail(f"expected a property selector such as $.level, found {scan.rest()!r}")
    scan.pos += 1
    steps: list[str | int] = []
    while scan.pos < len(scan.text):
        if scan.peek("."):
            match = _PROPERTY.match(scan.text, scan.pos + 1)
            if not match:
                raise scan.fail(
                    f"a property name after . may hold letters, digits, - and _: {scan.rest()!r}"
                )
            steps.append(match.group())
            scan.pos = match.end()
        elif scan.peek("["):
            match = _INDEX.match(scan.text, scan.pos)
            if not match:
                raise scan.fail(f"an array index is written [0], [1], ...: {scan.rest()!r}")
            steps.append(int(match.group(1)))
            scan.pos = match.end()
        else:
            break
    return tuple(steps)


def _json_comparison(scan: _Scanner, regexes: list[str]) -> _Cmp:
    path = _selector(scan)
    op = scan.operator()
    if op is not None:
        return _Cmp(path, op, scan.operand(op, ")", regexes))
    where = "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)
    keyword = scan.word().upper()
    if keyword == "IS":
        what = scan.word().upper()
        if what in ("NULL", "TRUE", "FALSE"):
            return _Cmp(path, f"IS {what}")
        if what == "NOT":
            raise scan.fail("IS NOT is not supported by CloudWatch Logs; use != or NOT EXISTS")
        raise scan.fail(f"after {where} IS comes NULL, TRUE or FALSE")
    if keyword == "NOT":
        if scan.word().upper() == "EXISTS":
            return _Cmp(path, "NOT EXISTS")
        raise scan.fail(f"after {where} NOT comes EXISTS")
    if keyword == "EXISTS":
        raise scan.fail(f"EXISTS is not supported by CloudWatch Logs; use {where} = *")
    raise scan.fail(
        f"after {where} comes =, !=, <, <=, >, >=, IS NULL, IS TRUE, IS FALSE or NOT EXISTS"
    )


def _resolve(document: Any, path: tuple[str | int, ...]) -> Any:
    node = document
    for step in path:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return _MISSING
        elif not isinstance(node, dict) or step not in node:
            return _MISSING
        node = node[step]
    return node


def _json_test(document: dict[str, Any], cmp: _Cmp) -> bool:
    node = _resolve(document, cmp.ref)
    if cmp.op == "NOT EXISTS":
        return node is _MISSING
    if cmp.op == "IS NULL":
        return node is None
    if cmp.op == "IS TRUE":
        return node is True
    if cmp.op == "IS FALSE":
        return node is False
    # Comparisons need a value node: the guide says both { $.users = 1 } and
    # { $.users != 1 } fail when users is an array. null is not treated as a value either.
    if node is _MISSING or node is None or isinstance(node, list | dict):
        return False
    assert cmp.operand is not None
    if isinstance(node, str):
        return _compare(cmp.op, cmp.operand, node, None)
    if isinstance(node, bool):
        return _compare(cmp.op, cmp.operand, json.dumps(node), None)
    if isinstance(node, float) and not math.isfinite(node):
        return False
    return _compare(cmp.op, cmp.operand, json.dumps(node), float(node))


# ---------------------------------------------------------------------------------------------
# Space-delimited: [ip, user, ..., status_code = 4* && bytes > 1000, bytes].

_ELLIPSIS = "..."


def _compile_delimited(pattern: str, text: str) -> Callable[[str], bool]:
    if not text.endswith("]"):
        raise InvalidFilterPattern(pattern, "a space-delimited filter pattern must end with ]")
    scan = _Scanner(pattern, text[1:-1])
    if scan.at_end():
        raise scan.fail("the space-delimited pattern [] names no fields; write [field, ...]")
    slots: list[str | None] = []  # a field name, None for a blank one, or _ELLIPSIS
    conditions: list[tuple[str, _Expr]] = []
    regexes: list[str] = []
    while True:
        scan.skip_ws()
        if scan.accept(_ELLIPSIS):
            # Consecutive ellipses are one; keeping one keeps the matching linear.
            if not slots or slots[-1] != _ELLIPSIS:
                slots.append(_ELLIPSIS)
        else:
            name = scan.word() or None
            if name is not None and name in slots:
                raise scan.fail(f"the field name {name} is used twice")
            slots.append(name)
            op = scan.operator()
            if op is not None:
                if name is None:
                    raise scan.fail(f"a condition ({op} ...) needs a field name before it")
                conditions.append((name, _delimited_condition(scan, name, op, regexes)))
        if scan.at_end():
            break
        if not scan.accept(","):
            raise scan.fail(f"fields are separated by commas; unexpected {scan.rest()!r}")
    _check_regex_quota(scan, regexes)
    names = [slot for slot in slots if slot not in (None, _ELLIPSIS)]
    exprs = [_bind_names(scan, expr, names) for _, expr in conditions]

    def test(message: str) -> bool:
        for values in _assignments(slots, _split_fields(message)):
            field_test = _field_tester(values)
            if all(_evaluate(expr, field_test) for expr in exprs):
                return True
        return False

    return test


def _delimited_condition(scan: _Scanner, name: str, first_op: str, regexes: list[str]) -> _Expr:
    # The first comparison is on this slot's own field (`status_code = 4*`); the ones after
    # && and || name their field (`status_code = 4* && bytes > 1000`).
    pending: list[tuple[str, str]] = [(name, first_op)]

    def primary() -> _Expr:
        if pending:
            field, op = pending.pop()
        else:
            field = scan.word()
            if not field:
                raise scan.fail(f"expected a field name after && or ||, found {scan.rest()!r}")
            op = scan.operator() or ""
            if not op:
                raise scan.fail(f"expected =, !=, <, <=, > or >= after {field}")
        return _Cmp(field, op, scan.operand(op, ",", regexes))

    return _parse_or(scan, primary)


def _bind_names(scan: _Scanner, expr: _Expr, names: list[str]) -> _Expr:
    """Point every comparison at a named field; the guide itself writes `W1` for `w1`."""
    if isinstance(expr, _BoolOp):
        return _BoolOp(expr.kind, tuple(_bind_names(scan, item, names) for item in expr.items))
    if expr.ref in names:
        return expr
    folded = [name for name in names if name.lower() == expr.ref.lower()]
    if len(folded) == 1:
        return _Cmp(folded[0], expr.op, expr.operand)
    raise scan.fail(
        f"a condition refers to {expr.ref}, which is not a field of the pattern; "
        f"name it as a field, e.g. [..., {expr.ref} {expr.op} ...]"
    )


def _split_fields(message: str) -> list[str]:
    fields: list[str] = []
    pos, end = 0, len(message)
    while pos < end:
        char = message[pos]
        if char.isspace():
            pos += 1
            continue
        closer = {'"': '"', "[": "]"}.get(char)
        if closer is not None:
            close = message.find(closer, pos + 1)
            if close != -1:
                fields.append(message[pos + 1 : close])
                pos = close + 1
                continue
        start = pos
        while pos < end and not message[pos].isspace():
            pos += 1
        fields.append(message[start:pos])
    return fields


def _assignments(slots: list[str | None], fields: list[str]) -> Iterator[dict[str, str]]:
    """Every way of laying the slots over the fields, `...` taking zero or more fields."""

    def walk(slot: int, field: int, bound: dict[str, str]) -> Iterator[dict[str, str]]:
        if slot == len(slots):
            if field == len(fields):
                yield bound
            return
        name = slots[slot]
        if name == _ELLIPSIS:
            for after in range(field, len(fields) + 1):
                yield from walk(slot + 1, after, bound)
        elif field < len(fields):
            if name is not None:
                bound = {**bound, name: fields[field]}
            yield from walk(slot + 1, field + 1, bound)

    fixed = sum(1 for name in slots if name != _ELLIPSIS)
    if len(fields) < fixed or (_ELLIPSIS not in slots and len(fields) != fixed):
        return iter(())
    return walk(0, 0, {})


def _field_tester(values: dict[str, str]) -> Callable[[_Cmp], bool]:
    def test(cmp: _Cmp) -> bool:
        text = values[cmp.ref]
        assert cmp.operand is not None
        return _compare(cmp.op, cmp.operand, text, _as_number(text))

    return test
