"""Comparisons as DataFrames a plot can take: by requests, by memory, x86 against arm64, servers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import pandas as pd

from .data import ARCHITECTURES, MONTH_HOURS, check_amount
from .monthly import monthly_cost


def cost_vs_requests(
    requests: Iterable[float], duration_ms: float, memory_mb: int, **options: Any
) -> pd.DataFrame:
    """Monthly cost at each request count: one row each, a column per charge, then total_usd."""
    rows = [
        {"requests": count, **monthly_cost(count, duration_ms, memory_mb, **options).by_kind()}
        for count in requests
    ]
    return pd.DataFrame(rows).fillna(0.0)


def cost_vs_memory(
    memory_mb: Iterable[int],
    requests: float,
    duration_ms: float | Mapping[int, float],
    **options: Any,
) -> pd.DataFrame:
    """Monthly cost at each memory size; duration_ms may map each size to its measured duration."""
    rows = []
    for memory in memory_mb:
        duration = duration_ms[memory] if isinstance(duration_ms, Mapping) else duration_ms
        bill = monthly_cost(requests, duration, memory, **options)
        rows.append({"memory_mb": memory, "duration_ms": duration, **bill.by_kind()})
    return pd.DataFrame(rows).fillna(0.0)


def compare_architectures(
    requests: float,
    duration_ms: float,
    memory_mb: int,
    arm64_duration_ms: float | None = None,
    **options: Any,
) -> pd.DataFrame:
    """x86_64 against arm64 for the same traffic: each one's charges and arm64's saving in %."""
    durations = {"x86_64": duration_ms, "arm64": arm64_duration_ms or duration_ms}
    rows = []
    for arch in ARCHITECTURES:
        bill = monthly_cost(requests, durations[arch], memory_mb, arch, **options)
        rows.append({"architecture": arch, "duration_ms": durations[arch], **bill.by_kind()})
    frame = pd.DataFrame(rows).fillna(0.0).set_index("architecture")
    x86 = frame.loc["x86_64", "total_usd"]
    frame["saving_pct"] = (1 - frame["total_usd"] / x86) * 100 if x86 else 0.0
    return frame


def break_even_requests(
    server_hourly_price: float,
    duration_ms: float,
    memory_mb: int,
    *,
    server_hours: float = MONTH_HOURS,
    **options: Any,
) -> int:
    """The monthly request count from which Lambda costs as much as an always-on server."""
    hourly = check_amount("server_hourly_price", server_hourly_price)
    target = hourly * check_amount("server_hours", server_hours)

    def cost(count: int) -> Decimal:
        return monthly_cost(count, duration_ms, memory_mb, **options).total

    if cost(0) >= target:
        return 0
    low, high = 0, 1
    while cost(high) < target:  # Lambda's cost only grows with requests: double, then bisect
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if cost(middle) < target else (low, middle)
    return high
