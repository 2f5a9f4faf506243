"""Memory tuning in the spirit of AWS Lambda Power Tuning: run a function at several sizes.

    from helpers.coldstart.tuning import power_tune
    frame = power_tune("my-function")          # one row per memory size
    helpers.plots.power_tuning(frame)          # duration and cost against memory

On AWS, memory buys CPU: a function gets CPU in proportion to its MemorySize, one full vCPU at
1,769 MB (see `helpers.coldstart.cpu`). More memory costs more per millisecond, but CPU-bound
code finishes sooner, so the cheapest size is often not the smallest. Power tuning measures that
instead of guessing: for each size it sets MemorySize, warms the function up, invokes it a few
times and prices the median duration.

The kit runs every function on your laptop's CPU whatever its MemorySize, so its durations do not
fall with memory by themselves. With `cpu="model"` (the default in the kit) the measured duration
is taken as what one full vCPU does and scaled to the share AWS would give each size.
Memory itself is real in the kit: a function that needs more than its MemorySize fails there as
on AWS, and that size is shown as failing.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..pricing.data import billed_ms, check_architecture, check_region
from ..pricing.monthly import monthly_cost
from .cpu import MB_PER_VCPU, MEMORY_MAX_MB, MEMORY_MIN_MB, duration_at, vcpus
from .measure import invoke_and_report, is_local

CPU_MODES = ("auto", "model", "measured")
COLUMNS = [
    "memory_mb",
    "vcpus",
    "measured_ms",
    "duration_ms",
    "billed_ms",
    "max_memory_mb",
    "errors",
    "cost_per_million_usd",
    "cheapest",
    "fastest",
]
PRICED_REQUESTS = 1_000_000  # cost is quoted per million invocations, as Power Tuning does


def power_tune(
    name: str,
    *,
    memory_sizes: Iterable[int] = (128, 256, 512, 1024, 1769, 3008),
    invocations: int = 5,
    payload: Any = None,
    lam: Any = None,
    cpu: str = "auto",
    parallel_fraction: float = 0.0,
    architecture: str = "x86_64",
    region: str = "us-east-1",
) -> pd.DataFrame:
    """Duration and cost of a function at each memory size, cheapest and fastest marked.

    For each size (smallest first) the function's MemorySize is changed, one invoke warms it up
    (tuning compares warm invokes, not cold starts), then `invocations` invokes are timed from
    their REPORT lines. The function gets its original MemorySize back at the end, even when
    something fails.

    `cpu` says where the durations come from:

    - "measured": the REPORT durations as they are. Right on AWS, where memory buys CPU.
    - "model": right in the kit, whose functions get your laptop's full CPU at every size. The
      median of every size's invokes is taken as what one full vCPU (1,769 MB) does, and scaled
      to the CPU share AWS gives each size: below 1,769 MB the work takes longer in proportion,
      above it only the `parallel_fraction` of the work that runs on several threads gets faster.
      Every size is still run for real, because the kit enforces memory as AWS does: a size too
      small for the function fails here too.
    - "auto": "model" when the client talks to a local endpoint (127.0.0.1, localhost), else
      "measured".

    Columns: memory_mb, vcpus, measured_ms (median REPORT duration), duration_ms (what AWS
    would take), billed_ms, max_memory_mb (the peak), errors (invokes that failed, e.g. out of
    memory; under the model also those AWS would stop at the function's Timeout),
    cost_per_million_usd (requests plus compute for a million invokes, no free tier, priced for
    `architecture` in `region`; the function itself is not changed), cheapest and fastest. A
    size with any error keeps its measured_ms but gets no duration or cost (NaN) and is never
    marked; on a tie the smaller memory is marked. Under the model, `frame.attrs["one_vcpu_ms"]`
    is the pooled median the durations were scaled from.
    """
    sizes = _check_sizes(memory_sizes)
    if isinstance(invocations, bool) or not isinstance(invocations, int) or invocations < 1:
        raise ValueError(f"invocations must be a whole number, 1 or more; got {invocations!r}")
    if cpu not in CPU_MODES:
        raise ValueError(f"cpu must be one of {', '.join(map(repr, CPU_MODES))}; got {cpu!r}")
    if not 0.0 <= parallel_fraction <= 1.0:
        raise ValueError(f"parallel_fraction must be between 0 and 1; got {parallel_fraction!r}")
    check_architecture(architecture)
    check_region(region)

    if lam is None:
        import boto3

        lam = boto3.client("lambda")
    mode = cpu if cpu != "auto" else ("model" if is_local(lam) else "measured")
    config = lam.get_function_configuration(FunctionName=name)
    original, timeout_ms = config["MemorySize"], config["Timeout"] * 1000

    runs: dict[int, list[dict[str, Any]]] = {}
    current = original
    try:
        for memory in sizes:
            if memory != current:
                current = memory  # first, so a failed update is still undone below
                _set_memory(lam, name, memory)
            invoke_and_report(lam, name, payload)  # warm-up: its cold start is not compared
            runs[memory] = [invoke_and_report(lam, name, payload) for _ in range(invocations)]
    finally:
        if current != original:
            _set_memory(lam, name, original)

    base_ms = None
    if mode == "model":
        # The laptop runs every size at the same speed, so every working size's invokes are
        # samples of one figure: the time of the work on one full vCPU. Pooling them keeps a
        # noisy moment of the machine from deciding which size looks fastest or cheapest.
        pooled = [r["duration_ms"] for reports in runs.values() for r in reports if not r["error"]]
        base_ms = statistics.median(pooled) if pooled else None
    rows = []
    for memory, reports in runs.items():
        row = _row(memory, reports, base_ms, parallel_fraction, timeout_ms)
        if not row["errors"]:
            bill = monthly_cost(
                PRICED_REQUESTS, row["duration_ms"], memory, architecture, region, free_tier=False
            )
            row["cost_per_million_usd"] = float(bill.total)
        rows.append(row)

    frame = pd.DataFrame(rows, columns=COLUMNS[:-2])
    frame.attrs["one_vcpu_ms"] = base_ms  # the modelled runs' base (None when measured)
    frame["cheapest"] = _marks(frame, "cost_per_million_usd")
    frame["fastest"] = _marks(frame, "duration_ms")
    return frame


def best(frame: pd.DataFrame, weight: float = 0.5) -> pd.Series:
    """The balanced pick from a `power_tune` frame: weight 1 is the cheapest, 0 the fastest.

    Each working size is scored weight x (its cost / the lowest cost) + (1 - weight) x (its
    duration / the shortest duration), and the lowest score wins (the smaller memory on a tie).
    """
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight must be between 0 and 1; got {weight!r}")
    # Smallest memory first, so that idxmin's first of equal scores is the smaller memory.
    working = frame[frame["errors"] == 0].sort_values("memory_mb", kind="stable")
    if working.empty:
        raise ValueError("no memory size ran without errors, so none can be recommended")
    cost, duration = working["cost_per_million_usd"], working["duration_ms"]
    score = weight * cost / cost.min() + (1 - weight) * duration / duration.min()
    return working.loc[score.idxmin()]


def _check_sizes(memory_sizes: Iterable[int]) -> list[int]:
    sizes = list(memory_sizes)
    if not sizes:
        raise ValueError("memory_sizes is empty: give at least one MemorySize to try")
    for size in sizes:
        whole = isinstance(size, int) and not isinstance(size, bool)
        if not whole or not MEMORY_MIN_MB <= size <= MEMORY_MAX_MB:
            raise ValueError(
                f"each memory size must be a whole number of MB from {MEMORY_MIN_MB} to "
                f"{MEMORY_MAX_MB} (Lambda's MemorySize range); got {size!r}"
            )
    return sorted(set(sizes))  # smallest first, each once: the table reads as a curve


def _set_memory(lam: Any, name: str, memory: int) -> None:
    lam.update_function_configuration(FunctionName=name, MemorySize=memory)
    lam.get_waiter("function_updated_v2").wait(FunctionName=name)


def _row(
    memory: int,
    reports: list[dict[str, Any]],
    base_ms: float | None,
    parallel_fraction: float,
    timeout_ms: int,
) -> dict[str, Any]:
    """One size's figures from its REPORTs; with a 1-vCPU `base_ms`, modelled for its CPU share."""
    measured = statistics.median(report["duration_ms"] for report in reports)
    errors = sum(1 for report in reports if report["error"])
    if base_ms is None:
        duration = measured
    else:
        duration = duration_at(memory, base_ms, MB_PER_VCPU, parallel_fraction)
        # Under the model a slow size can run past the Timeout: AWS would stop every invoke.
        if duration > timeout_ms:
            errors = len(reports)
    return {
        "memory_mb": memory,
        "vcpus": vcpus(memory),
        "measured_ms": measured,
        "duration_ms": duration if not errors else math.nan,
        "billed_ms": float(billed_ms(duration)) if not errors else math.nan,
        "max_memory_mb": max(report["max_memory_mb"] for report in reports),
        "errors": errors,
        "cost_per_million_usd": math.nan,
    }


def _marks(frame: pd.DataFrame, column: str) -> pd.Series:
    """True on the row with the lowest value among error-free rows; the first (smaller) on ties."""
    marks = pd.Series(False, index=frame.index)
    values = frame.loc[frame["errors"] == 0, column]
    if not values.empty:
        marks[values.idxmin()] = True  # rows are sorted by memory, so idxmin's first is smaller
    return marks
