"""Cold-start plots: cold vs warm latencies, cold-start fraction vs traffic, busy environments."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ..coldstart.sweep import predicted_cold_fraction
from .style import COLOURS, check_frame, finish, new_axes, seconds_text

STEPS = 4000  # a timeline with more changes than this is drawn as per-slice peaks instead
MARKS = 2000  # at most this many cold-start (or throttle) markers


def cold_warm_histogram(frame: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """How long cold and warm invocations take, side by side, with their medians: the Axes."""
    frame = check_frame(frame, ["kind", "duration_ms", "init_ms"], "cold_warm_histogram")
    kind = frame["kind"].astype(str)
    # A cold start's wait is INIT then the handler; "warm (expected cold)" rows were warm.
    groups = {
        "cold": (frame.init_ms.fillna(0) + frame.duration_ms)[kind == "cold"].to_numpy(float),
        "warm": frame.duration_ms[kind.str.startswith("warm")].to_numpy(float),
    }
    every = np.concatenate(list(groups.values()))
    every = every[np.isfinite(every)]
    if every.size == 0:
        raise ValueError("cold_warm_histogram found no cold or warm rows with durations")
    low, high = every.min(), every.max()
    if low > 0 and high > 20 * low:  # cold starts can be 100x warm ones: log bins show both
        bins = np.geomspace(low, high * 1.0001, 31)
    else:
        bins = np.linspace(low, high if high > low else low + 1, 31)
    ax = new_axes(ax)
    for (name, values), colour in zip(groups.items(), COLOURS[1::-1], strict=True):
        values = values[np.isfinite(values)]
        if values.size == 0:
            continue
        what = "INIT + duration" if name == "cold" else "duration"
        ax.hist(
            values, bins=bins, color=colour, alpha=0.7, label=f"{name}: {what} (n={values.size})"
        )
        median = float(np.median(values))
        ax.axvline(median, color=colour, ls="--", lw=2, label=f"{name} median {median:.3g} ms")
    if bins[0] > 0 and bins[-1] > 20 * bins[0]:
        ax.set_xscale("log")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # invocations come whole
    return finish(ax, "Cold vs warm invocations", "time to answer (ms)", "invocations")


def cold_fraction(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Cold-start fraction vs request rate per keep-alive, simulated and e^(-rate·T): the Axes."""
    columns = ["rate_per_s", "keep_alive_s", "cold_start_fraction"]
    table = check_frame(table, columns, "cold_fraction")
    if not (table.rate_per_s > 0).all():
        raise ValueError("cold_fraction needs rates above 0 (the rate axis is logarithmic)")
    ax = new_axes(ax)
    grid = np.geomspace(table.rate_per_s.min(), table.rate_per_s.max(), 200)
    for index, (keep_alive, rows) in enumerate(table.groupby("keep_alive_s", sort=True)):
        colour = COLOURS[index % len(COLOURS)]
        rows = rows.sort_values("rate_per_s")
        ax.plot(
            rows.rate_per_s, rows.cold_start_fraction, "o", ms=8, color=colour,
            label=f"keep-alive {seconds_text(float(keep_alive))}",
        )  # fmt: skip
        ax.plot(grid, predicted_cold_fraction(grid, float(keep_alive)), "--", color=colour, lw=2)
    ax.plot([], [], "o", color="grey", label="simulated")
    ax.plot([], [], "--", color="grey", lw=2, label="closed form e^(−rate × keep-alive)")
    ax.set_xscale("log")
    ax.set_ylim(-0.03, 1.03)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    return finish(
        ax,
        "Cold starts vs traffic and keep-alive",
        "requests per second",
        "cold starts (% of requests)",
    )


def _timeline_data(sim: Any) -> tuple[np.ndarray, ...]:
    """arrival, end, cold, throttled, concurrency of each request."""
    rows = sim.invocations
    return tuple(rows[c].to_numpy() for c in ("arrival", "end", "cold", "throttled", "concurrency"))


def _exact_steps(
    arrival: np.ndarray, end: np.ndarray, start: float, stop: float
) -> tuple[np.ndarray, np.ndarray]:
    """Every change of the busy count in the window: times (start and stop included), levels."""
    level = int(np.count_nonzero((arrival <= start) & (end > start)))
    ups = arrival[(arrival > start) & (arrival <= stop)]
    downs = end[(end > start) & (end <= stop)]
    # Ends first: a request ending as another arrives frees its environment first, as in the model.
    times = np.concatenate((downs, ups))
    order = np.argsort(times, kind="stable")
    levels = level + np.cumsum(np.where(order < downs.size, -1, 1))
    x = np.concatenate(([start], times[order], [stop]))
    return x, np.concatenate(([level], levels, [levels[-1] if levels.size else level]))


def _peaks(
    arrival: np.ndarray, end: np.ndarray, concurrency: np.ndarray, edges: np.ndarray
) -> np.ndarray:
    """The highest busy count in each slice between equally spaced `edges`, in O(n) numpy."""
    # The count at each edge: requests begun by then less those ended by then. Arrivals are
    # sorted, so a search per edge; ends are not, so each end's edge comes from arithmetic
    # (a search per end takes seconds for millions), then a nudge for rounding at the edges.
    begun = np.searchsorted(arrival, edges, side="right")
    n = edges.size
    width = (edges[-1] - edges[0]) / (n - 1)
    at = np.clip(np.ceil((end - edges[0]) / width), 0, n).astype(np.int64)
    padded = np.concatenate(([-np.inf], edges, [np.inf]))  # padded[k + 1] is edges[k]
    at -= end <= padded[at]
    at += end > padded[at + 1]  # now edges[at - 1] < end <= edges[at]
    ended = np.cumsum(np.bincount(at, minlength=n + 1))[:n]
    peak = (begun - ended)[:-1]
    # Within a slice the count only rises at arrivals, to the concurrency each one records.
    inside = np.flatnonzero(begun[1:] > begun[:-1])  # slices with an arrival in them
    if inside.size:
        # Cut at the last edge, or the last slice would run on to the end of the run.
        highest = np.maximum.reduceat(concurrency[: begun[-1]], begun[inside])
        peak[inside] = np.maximum(peak[inside], highest)
    return peak


def concurrency_timeline(
    sim: Any, ax: Axes | None = None, start_s: float = 0.0, end_s: float | None = None
) -> Axes:
    """Busy execution environments over time, cold starts marked, for a `Simulation`: the Axes.

    Draws the window from `start_s` to `end_s` (the end of the run by default). A window with
    more than a few thousand changes is drawn as the peak in each of 2,000 equal slices, so that
    a run of millions of requests plots in well under a second and no burst is hidden.
    """
    if not hasattr(sim, "summary") or not hasattr(sim, "window_s"):
        raise ValueError(f"concurrency_timeline needs a Simulation; got {type(sim).__name__}")
    arrival, end, cold, throttled, concurrency = _timeline_data(sim)
    start = float(start_s)
    stop = float(sim.window_s[1]) if end_s is None else float(end_s)
    if not stop > start:
        raise ValueError(f"end_s must be after start_s; got {start_s} to {end_s}")
    span = stop - start
    unit, scale = ("h", 3600.0) if span > 6 * 3600 else ("min", 60.0) if span > 900 else ("s", 1.0)
    served = ~throttled
    began, ended = (arrival, end) if served.all() else (arrival[served], end[served])
    # The arrivals are in time order: the window's are one slice of them.
    lo, hi = np.searchsorted(arrival, start, "left"), np.searchsorted(arrival, stop, "right")
    ax = new_axes(ax)
    if 2 * (hi - lo) <= STEPS:
        x, y = _exact_steps(began, ended, start, stop)
        label = "busy environments"
    else:
        x = np.linspace(start, stop, 2001)
        y = _peaks(began, ended, concurrency[served], x)
        y = np.append(y, y[-1])
        label = f"most busy at once in each {seconds_text(span / 2000)} (peak per slice)"
    ax.step(x / scale, y, where="post", color=COLOURS[0], lw=1.5, label=label, zorder=3)
    provisioned = getattr(getattr(sim, "settings", None), "provisioned", 0)
    if provisioned:
        ax.axhline(
            provisioned, color=COLOURS[2], ls=":", lw=2, label=f"provisioned ({provisioned})"
        )
    for mask, marker, colour, what in ((cold, "v", COLOURS[3], "cold start"),
                                       (throttled, "x", COLOURS[4], "throttled")):  # fmt: skip
        rows = lo + np.flatnonzero(mask[lo:hi])
        if rows.size == 0:
            continue
        every = -(-rows.size // MARKS)  # many thousands of markers would only make a smear
        shown = f"{rows.size:,}" + (f"; 1 in {every} shown" if every > 1 else "")
        ax.plot(arrival[rows[::every]] / scale, concurrency[rows[::every]], marker, ms=6,
                color=colour, alpha=0.7, label=f"{what} ({shown})")  # fmt: skip
    ax.set_xlim(start / scale, stop / scale)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # environments come whole
    return finish(
        ax, "Busy execution environments over time", f"time since start ({unit})", "environments"
    )
