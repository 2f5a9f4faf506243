"""Observability plots: how long invocations take, failed ones apart, with the percentiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from .style import COLOURS, TICK, check_frame, finish, new_axes

PERCENTILES = (50, 90, 99)


def duration_percentiles(
    frame: pd.DataFrame, ax: Axes | None = None, percentiles: tuple[int, ...] = PERCENTILES
) -> Axes:
    """Invocations by duration on a log axis, failed ones in bars of their own beside the
    succeeded ones, with p50/p90/p99 marked: the Axes.

    `frame` has a `duration_ms` column (one row per invocation, as `pricing.report_frame` gives)
    and, optionally, a boolean `error` column. Durations spread over orders of magnitude (a
    1 ms warm call, a 3 s timeout), so the bins are equal on a log scale.
    """
    frame = check_frame(frame, ["duration_ms"], "duration_percentiles")
    durations = frame["duration_ms"].to_numpy(float)
    finite = np.isfinite(durations)
    if not finite.any():
        raise ValueError("duration_percentiles found no finite durations to plot")
    failed = frame["error"].to_numpy(bool) if "error" in frame.columns else np.zeros_like(finite)
    shown = finite & (durations > 0)  # a log axis has no place for 0 ms
    if not shown.any():
        raise ValueError("duration_percentiles found no durations above 0 ms to plot")
    low, high = durations[shown].min(), durations[shown].max()
    bins = np.geomspace(low, high if high > low else low * 2, 26)
    ax = new_axes(ax)
    groups = [durations[shown & ~failed], durations[shown & failed]]
    labels = [f"succeeded (n={groups[0].size})", f"failed (n={groups[1].size})"]
    ax.hist(groups, bins=bins, color=COLOURS[:2], alpha=0.85, label=labels)
    ax.set_xscale("log")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    # The percentiles of every invocation, as CloudWatch computes Duration's from all of them.
    for index, p in enumerate(percentiles):
        value = float(np.percentile(durations[finite], p))
        colour = COLOURS[(index + 2) % len(COLOURS)]
        ax.axvline(value, color=colour, ls="--", lw=2, label=f"p{p} {value:.3g} ms")
    finish(ax, "Duration of invocations", "duration (ms)", "invocations")
    ax.legend(fontsize=TICK - 1, framealpha=0.9, loc="upper right")
    return ax
