"""Measuring real cold and warm starts: invoke a function and read its REPORT lines.

Works against whatever boto3 points at: the kit, or AWS. A cold start is forced the way AWS
allows, by changing the function's configuration (every change retires its execution
environments), so the same code measures on both. Each row comes from the invocation's own
REPORT line, read from the log tail the Invoke API returns (`LogType="Tail"`).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any


def parse_report(line: str) -> dict[str, Any] | None:
    """One REPORT line as a dict (request_id, duration_ms, ..., init_ms, cold), else None."""
    from ..pricing.reports import report_row

    return report_row(line) if line.startswith("REPORT ") else None


def invoke_and_report(lam: Any, name: str, payload: Any = None) -> dict[str, Any]:
    """Invoke once (synchronously) and return its REPORT figures, plus the round-trip time."""
    started = time.perf_counter()
    response = lam.invoke(FunctionName=name, Payload=json.dumps(payload or {}), LogType="Tail")
    round_trip_ms = (time.perf_counter() - started) * 1000
    response["Payload"].read()
    tail = base64.b64decode(response.get("LogResult", "")).decode("utf-8", errors="replace")
    rows = [r for r in map(parse_report, tail.splitlines()) if r]
    if not rows:
        raise RuntimeError(f"no REPORT line in the log tail of {name!r}'s invocation")
    row = rows[-1]
    row["round_trip_ms"] = round(round_trip_ms, 2)
    row["error"] = response.get("FunctionError")
    return row


def force_cold_start(lam: Any, name: str) -> None:
    """Make the next invoke a cold start, as on AWS: change the configuration, then wait."""
    config = lam.get_function_configuration(FunctionName=name)
    variables = dict((config.get("Environment") or {}).get("Variables") or {})
    variables["COLD_START_NONCE"] = str(time.time_ns())
    lam.update_function_configuration(FunctionName=name, Environment={"Variables": variables})
    lam.get_waiter("function_updated_v2").wait(FunctionName=name)


def cold_vs_warm(
    name: str, *, cold: int = 5, warm: int = 5, payload: Any = None, lam: Any = None
) -> Any:
    """Measure `cold` cold starts, each followed by `warm` warm invokes; a DataFrame, one row each.

    Columns: run, kind ("cold"/"warm"), duration_ms, init_ms, billed_ms, memory_mb,
    max_memory_mb, round_trip_ms, request_id, error.
    """
    import boto3
    import pandas as pd

    if cold < 1 or warm < 0:
        raise ValueError("cold must be at least 1 and warm at least 0")
    lam = lam or boto3.client("lambda")
    rows = []
    for run in range(cold):
        force_cold_start(lam, name)
        for index in range(warm + 1):
            row = invoke_and_report(lam, name, payload)
            row["run"] = run
            row["kind"] = "cold" if row["cold"] else "warm"
            if index == 0 and not row["cold"]:
                row["kind"] = "warm (expected cold)"
            rows.append(row)
    columns = [
        "run",
        "kind",
        "duration_ms",
        "init_ms",
        "billed_ms",
        "memory_mb",
        "max_memory_mb",
        "round_trip_ms",
        "request_id",
        "error",
    ]
    return pd.DataFrame(rows)[columns]


def after_gaps(
    name: str,
    gaps_s: list[float],
    *,
    payload: Any = None,
    lam: Any = None,
    wait: Callable[[float], Any] | None = None,
) -> Any:
    """Invoke once, then again after each idle gap (s): which gaps ended in a cold start?

    A DataFrame, one row per invoke: gap_s (idle time before it), kind, duration_ms, init_ms,
    billed_ms, request_id. How the gaps pass is `wait(seconds)`: in the kit the default moves
    its clock (`aws.advance_clock`, so an hour takes no time and idle environments are
    reclaimed after `aws.configure(idle_timeout=...)`); against AWS it is `time.sleep`.
    """
    import boto3
    import pandas as pd

    if any(gap < 0 for gap in gaps_s):
        raise ValueError("gaps_s are idle times in seconds: none may be negative")
    lam = lam or boto3.client("lambda")
    wait = wait or _default_wait(lam)
    rows = []
    for gap in [None, *gaps_s]:
        if gap:
            wait(gap)
        row = invoke_and_report(lam, name, payload)
        row["gap_s"] = gap
        row["kind"] = "cold" if row["cold"] else "warm"
        rows.append(row)
    columns = ["gap_s", "kind", "duration_ms", "init_ms", "billed_ms", "request_id"]
    return pd.DataFrame(rows)[columns]


def _default_wait(lam: Any) -> Callable[[float], Any]:
    """The kit's clock when `lam` talks to this kit; real sleeping anywhere else."""
    if is_local(lam):
        import helpers

        aws = helpers.start()  # the running local AWS (start() returns the same one)
        return lambda seconds: aws.advance_clock(seconds=seconds)
    return time.sleep


def is_local(lam: Any) -> bool:
    """True when the client talks to this machine (the kit), not to AWS."""
    import ipaddress
    from urllib.parse import urlsplit

    host = urlsplit(lam.meta.endpoint_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def summary(frame: Any) -> Any:
    """Median, p90 and max of duration, init and round trip, for cold and warm invokes."""
    figures = frame.groupby("kind")[["duration_ms", "init_ms", "round_trip_ms"]]
    return figures.describe(percentiles=[0.5, 0.9]).loc[
        :, (slice(None), ["count", "50%", "90%", "max"])
    ]


def compare(names: list[str], *, cold: int = 3, payload: Any = None, lam: Any = None) -> Any:
    """Cold starts of several functions side by side (e.g. light vs heavy imports)."""
    import pandas as pd

    frames = []
    for name in names:
        frame = cold_vs_warm(name, cold=cold, warm=0, payload=payload, lam=lam)
        frame.insert(0, "function", name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
