"""The kit's REPORT log lines (or JSON-format `platform.report` records) as a table, and the
bill for exactly those invocations."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import pandas as pd

from .bill import Bill, Line, Usage, assemble
from .data import (
    ZERO,
    billed_ms,
    check_amount,
    check_architecture,
    check_ephemeral,
    check_region,
    quantity_text,
    rule,
)

COLUMNS = [
    "request_id",
    "duration_ms",
    "billed_ms",
    "memory_mb",
    "max_memory_mb",
    "init_ms",
    "cold",
]


def platform_report(entry: str | Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The `record` of a JSON-format `platform.report` record (as its text or already parsed),
    else None. With the JSON log format Lambda writes no REPORT line: this record, with the
    same figures in `record.metrics`, replaces it.
    https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html"""
    data: Any = entry
    if isinstance(entry, str):
        if not entry.lstrip().startswith("{"):
            return None
        try:
            data = json.loads(entry)
        except ValueError:
            return None
    if not isinstance(data, Mapping) or data.get("type") != "platform.report":
        return None
    record = data.get("record")
    return record if isinstance(record, Mapping) and "requestId" in record else None


def is_report(entry: str | Mapping[str, Any]) -> bool:
    """Whether a log message is an invocation's report: a REPORT line (text log format) or a
    `platform.report` record (JSON log format)."""
    if isinstance(entry, str) and entry.startswith("REPORT "):
        return _text_report(entry) is not None
    return platform_report(entry) is not None


def _text_report(text: str) -> dict[str, Any] | None:
    """The figures of Lambda's REPORT line, None for a line that only starts with "REPORT "
    (a function may print one of its own: learner trial 13, ND1)."""
    # "REPORT RequestId: id\tDuration: 2.75 ms\tBilled Duration: 3 ms\t..." → {field: value}
    fields = dict(
        part.split(": ", 1) for part in text[len("REPORT ") :].split("\t") if ": " in part
    )
    number = {key: value.split()[0] for key, value in fields.items() if value.strip()}
    init = number.get("Init Duration")
    try:
        return {
            "request_id": fields["RequestId"].strip(),
            "duration_ms": float(number["Duration"]),
            "billed_ms": int(number["Billed Duration"]),
            "memory_mb": int(number["Memory Size"]),
            "max_memory_mb": int(number["Max Memory Used"]),
            "init_ms": float(init) if init is not None else math.nan,
            "cold": init is not None,
        }
    except (KeyError, ValueError):
        return None


def report_row(text: str | Mapping[str, Any]) -> dict[str, Any]:
    """One report's figures: request_id, duration_ms, billed_ms, ..., init_ms, cold. The
    report is a REPORT line, or a JSON-format `platform.report` record (text or parsed)."""
    record = platform_report(text)
    if record is not None:
        metrics = record.get("metrics") or {}  # numbers, which AWS may write as floats
        init_ms = metrics.get("initDurationMs")
        return {
            "request_id": str(record["requestId"]).strip(),
            "duration_ms": float(metrics["durationMs"]),
            "billed_ms": int(float(metrics["billedDurationMs"])),
            "memory_mb": int(float(metrics["memorySizeMB"])),
            "max_memory_mb": int(float(metrics["maxMemoryUsedMB"])),
            "init_ms": float(init_ms) if init_ms is not None else math.nan,
            "cold": init_ms is not None,
        }
    if not isinstance(text, str):
        raise ValueError(f"not a REPORT line nor a platform.report record: {text!r}")
    row = _text_report(text) if text.startswith("REPORT ") else None
    if row is None:
        raise ValueError(f"not a REPORT line nor a platform.report record: {text!r}")
    return row


def report_frame(lines: str | Iterable[str | Mapping[str, Any]]) -> pd.DataFrame:
    """One row per report (from text, lines or CloudWatch events): the invocation's figures.

    A report is a REPORT line (text log format) or a `platform.report` record (JSON log
    format), as a message, an event holding it, or the record already parsed."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    entries = (
        entry["message"] if isinstance(entry, Mapping) and "message" in entry else entry
        for entry in lines
    )
    rows = [report_row(entry) for entry in entries if is_report(entry)]
    if not rows:
        raise ValueError(
            "no REPORT lines found: pass the function's log lines, or the events of "
            "logs.filter_log_events(..., filterPattern='REPORT'); a function that logs in the "
            "JSON format (LoggingConfig LogFormat 'JSON') writes `platform.report` records "
            "instead, which filterPattern='{ $.type = \"platform.report\" }' selects"
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def bill_from_reports(
    reports: pd.DataFrame | str | Iterable[str | Mapping[str, Any]],
    architecture: str = "x86_64",
    region: str = "us-east-1",
    ephemeral_storage_mb: int = 512,
    free_tier: bool = False,
    monthly_requests: float | None = None,
    include_init: bool = True,
) -> Bill:
    """The bill for exactly the invocations in these REPORT lines, or for a month like them.

    Billed Duration already includes a cold start's Init Duration (AWS bills Init since
    2025-08-01); include_init=False prices the same invocations as AWS did before that.
    monthly_requests scales the invocations, cold starts included, to that many a month.
    """
    check_region(region)
    check_architecture(architecture)
    frame = reports if isinstance(reports, pd.DataFrame) else report_frame(reports)
    if frame.empty:
        raise ValueError("no invocations to bill: the DataFrame has no rows")
    extra_mb = check_ephemeral(ephemeral_storage_mb) - rule("ephemeral_storage_included_mb")
    seconds = gb_s = init_gb_s = ZERO
    for row in frame.itertuples(index=False):
        run_ms = billed_ms(row.duration_ms)
        billed = Decimal(int(row.billed_ms)) if include_init else run_ms
        gb = Decimal(int(row.memory_mb)) / 1024
        seconds += billed / 1000
        gb_s += billed / 1000 * gb
        if row.cold:  # what the Init Duration adds to Billed Duration
            init_gb_s += (Decimal(int(row.billed_ms)) - run_ms) / 1000 * gb
    # Scaled as count x monthly / observed, multiplying first: 4 M requests stay exactly 4 M.
    observed, month = Decimal(len(frame)), Decimal(len(frame))
    if monthly_requests is not None:
        month = check_amount("monthly_requests", monthly_requests)

    def scaled(amount: Decimal) -> Decimal:
        return amount * month / observed

    usage = Usage(requests=month, gb_s=scaled(gb_s))
    usage.ephemeral_gb_s = scaled(seconds) * extra_mb / 1024
    colds = scaled(Decimal(int(frame["cold"].sum())))
    if colds:
        starts = f"{quantity_text(colds)} cold start{'s' if colds != 1 else ''}"
        item = f"of which Init ({starts})" if include_init else f"Init, left out ({starts})"
        rate = "billed since 2025-08-01" if include_init else "not billed before 2025-08-01"
        usage.extra.append(Line("init", item, scaled(init_gb_s), "GB-s", rate, ZERO))
    scaling = monthly_requests is not None
    what = f"a month of {quantity_text(usage.requests)} requests like" if scaling else ""
    title = f"Lambda, {region}, {architecture}: {what} {len(frame)} invocations from REPORT lines"
    bill = assemble(" ".join(title.split()), usage, architecture, region, free_tier)
    bill.invocations = frame
    return bill
