"""CloudWatch Logs Insights queries, run as Insights runs the common ones (moto ran `fields`,
`sort` and `limit` only, and silently ignored `filter` and `stats`: a query answered with
every line, as if it had matched).

Runs, per "CloudWatch Logs Insights language query syntax"
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html, as of 2026-12):

- `fields` and `display`; `filter` with `like /regex/` or `like "text"`, `not like`, `=~`,
  `=`, `!=`, `<`, `>`, `<=`, `>=`, `ispresent(field)`, joined by `and` / `or`;
  `stats count(*)`, `count(field)`, `sum`, `avg`, `min`, `max`, optionally `by` fields;
  `sort field [asc|desc]`; `limit n`.
- The fields Insights discovers: `@timestamp`, `@message`, `@logStream`, `@log`, `@ptr`;
  in Lambda's REPORT lines `@type`, `@requestId`, `@duration`, `@billedDuration`,
  `@initDuration`, `@memorySize`, `@maxMemoryUsed`; the keys of a JSON log line.

Any other command (`parse`, `dedup`, `pattern` ...) is refused with MalformedQueryException
that says so, rather than answered wrongly.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from moto.logs import models as logs_models
from moto.logs.exceptions import LogsClientError

__all__ = ["apply", "run_query"]

_MAX_RESULTS = 10_000  # Insights returns at most 10,000 rows


class MalformedQuery(LogsClientError):
    def __init__(self, message: str) -> None:
        super().__init__("MalformedQueryException", message)


def apply() -> None:
    """Run StartQuery's queries with the kit's engine."""
    logs_models.execute_query = run_query


# ------------------------------------------------------------------------------- fields
_REPORT_FIELDS = {
    "Duration": ("@duration", float),
    "Billed Duration": ("@billedDuration", float),
    "Init Duration": ("@initDuration", float),
    "Memory Size": ("@memorySize", float),
    "Max Memory Used": ("@maxMemoryUsed", float),
}


def _fields_of(event: Any, stream: Any, group: Any) -> dict[str, Any]:
    message = event.message
    fields: dict[str, Any] = {
        "@timestamp": event.timestamp,
        "@message": message,
        "@logStream": stream.log_stream_name,
        "@log": group.name,
        "@ptr": str(event.event_id),
    }
    head = message.split(" ", 1)[0]
    if head in ("START", "END", "REPORT") and "RequestId: " in message:
        fields["@type"] = head
        fields["@requestId"] = message.split("RequestId: ", 1)[1].split()[0]
        if head == "REPORT":
            for part in message.split("\t")[1:]:
                name, _, value = part.partition(": ")
                if name in _REPORT_FIELDS:
                    field, kind = _REPORT_FIELDS[name]
                    fields[field] = kind(value.split()[0])
    elif message.startswith("{"):
        try:
            data = json.loads(message)
        except ValueError:
            data = None
        if isinstance(data, dict):
            for key, value in data.items():
                fields.setdefault(key, value)
    return fields


# ---------------------------------------------------------------------------- parsing
def _split_commands(query: str) -> list[str]:
    """The query's commands, split at `|` outside quotes and /regexes/."""
    commands, current, quote = [], "", ""
    for char in query:
        if quote:
            current += char
            if char == quote and not current.endswith("\\" + quote):
                quote = ""
            continue
        if char in "\"'" or (char == "/" and re.search(r"(like|=~)\s*$", current)):
            quote = char
            current += char
            continue
        if char == "|":
            commands.append(current.strip())
            current = ""
            continue
        current += char
    if current.strip():
        commands.append(current.strip())
    return [c for c in commands if c]


_TERM = re.compile(
    r"""^(?P<not>not\s+)?(?:
        ispresent\(\s*(?P<present>[@\w.]+)\s*\)
      | (?P<field>[@\w.]+)\s*(?P<op>not\s+like|like|=~|!=|<=|>=|=|<|>)\s*(?P<value>.+)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}


def _literal(text: str) -> Any:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    try:
        return float(text)
    except ValueError:
        return text


def _pattern(text: str) -> re.Pattern[str]:
    text = text.strip()
    match = re.fullmatch(r"/(.*)/([a-z]*)", text, re.DOTALL)
    if match:
        flags = re.IGNORECASE if "i" in match.group(2) else 0
        return re.compile(match.group(1), flags)
    return re.compile(re.escape(str(_literal(text))))


def _term(text: str) -> Callable[[dict[str, Any]], bool]:
    match = _TERM.match(text.strip())
    if match is None:
        raise MalformedQuery(f"The kit can't read the filter condition `{text.strip()}`.")
    negate = bool(match.group("not"))
    present = match.group("present")
    name = present or match.group("field")
    op = "" if present else match.group("op").lower()
    raw = "" if present else match.group("value")
    pattern = _pattern(raw) if op in ("like", "not like", "=~") else None
    wanted = _literal(raw) if op in _COMPARE else None

    def test(row: dict[str, Any]) -> bool:
        value = row.get(name)
        if present:
            return value is not None
        if pattern is not None:
            found = value is not None and bool(pattern.search(str(value)))
            return not found if op == "not like" else found
        if value is None:
            return False
        if isinstance(wanted, float):
            try:
                return _COMPARE[op](float(value), wanted)
            except (TypeError, ValueError):
                return False
        return _COMPARE[op](str(value), wanted)

    return (lambda row: not test(row)) if negate else test


def _condition(text: str) -> Callable[[dict[str, Any]], bool]:
    alternatives = [
        [_term(part) for part in re.split(r"\s+and\s+", branch, flags=re.IGNORECASE)]
        for branch in re.split(r"\s+or\s+", text, flags=re.IGNORECASE)
    ]
    return lambda row: any(all(t(row) for t in terms) for terms in alternatives)


_AGGREGATE = re.compile(r"(count|sum|avg|min|max)\(\s*([@\w.*]*)\s*\)(?:\s+as\s+([\w@.]+))?", re.I)


def _stats(text: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    parts = re.split(r"\s+by\s+", text, maxsplit=1, flags=re.IGNORECASE)
    body, by = parts[0], (parts[1] if len(parts) > 1 else "")
    aggregates = [
        (m.group(1).lower(), m.group(2), m.group(3) or m.group(0).split(" as ")[0].strip())
        for m in _AGGREGATE.finditer(body)
    ]
    if not aggregates:
        raise MalformedQuery(
            f"The kit's `stats` runs count, sum, avg, min and max; it can't read `{body}`."
        )
    keys = [k.strip() for k in by.split(",") if k.strip()]
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row.get(k) for k in keys), []).append(row)
    out = []
    for key, members in groups.items():
        result = dict(zip(keys, key, strict=True))
        for kind, field, name in aggregates:
            if kind == "count":
                counted = members if field in ("", "*") else [m for m in members if m.get(field)]
                result[name] = len(counted)
                continue
            values = [float(m[field]) for m in members if m.get(field) is not None]
            if not values:
                result[name] = None
            elif kind == "sum":
                result[name] = sum(values)
            elif kind == "avg":
                result[name] = sum(values) / len(values)
            else:
                result[name] = (min if kind == "min" else max)(values)
        out.append(result)
    return out


def _stamp(epoch_ms: int) -> str:
    moment = datetime.fromtimestamp(epoch_ms / 1000, UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


# ----------------------------------------------------------------------------- running
def run_query(
    log_groups: list[Any], query: str, start_time: int, end_time: int
) -> list[dict[str, Any]]:
    """The rows a Logs Insights query gives over these log groups and time range (seconds)."""
    rows = [
        _fields_of(event, stream, group)
        for group in log_groups
        for stream in group.streams.values()
        for event in stream.events
        if (not start_time or event.timestamp >= start_time * 1000)
        and (not end_time or event.timestamp <= end_time * 1000)
    ]
    shown: list[str] = []
    aggregated = False
    sort: tuple[str, bool] | None = None
    limit = _MAX_RESULTS
    for command in _split_commands(query):
        name, _, rest = command.partition(" ")
        name = name.lower()
        if name in ("fields", "display"):
            shown = [f.strip() for f in rest.split(",") if f.strip()]
        elif name == "filter":
            keep = _condition(rest)
            rows = [row for row in rows if keep(row)]
        elif name == "stats":
            rows, aggregated = _stats(rest, rows), True
        elif name == "sort":
            field, _, order = rest.strip().partition(" ")
            sort = (field, order.strip().lower() != "asc")
        elif name == "limit":
            limit = min(int(rest), _MAX_RESULTS)
        else:
            raise MalformedQuery(
                f"The kit's Logs Insights runs fields, display, filter, stats, sort and limit; "
                f"`{name}` is not one of them. (On AWS it would run.)"
            )
    if sort is not None:
        field, descending = sort
        rows.sort(key=lambda r: (r.get(field) is None, r.get(field) or 0), reverse=descending)
    elif not aggregated:
        rows.sort(key=lambda r: r["@timestamp"], reverse=True)
    rows = rows[:limit]
    if aggregated:
        return [{k: v for k, v in row.items() if v is not None} for row in rows]
    columns = shown or ["@timestamp", "@message"]
    out = []
    for row in rows:
        made = {c: row[c] for c in columns if row.get(c) is not None}
        if "@timestamp" in made:
            made["@timestamp"] = _stamp(int(made["@timestamp"]))
        made["@ptr"] = row["@ptr"]
        out.append(made)
    return out
