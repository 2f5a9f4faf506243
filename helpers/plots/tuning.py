"""The power-tuning plot: duration and cost against memory, cheapest and fastest marked."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, NullLocator

from .style import COLOURS, LABEL, TICK, check_frame, dollars, finish, new_axes, usd_axis

COLUMNS = ["memory_mb", "duration_ms", "cost_per_million_usd", "cheapest", "fastest"]


def _mark(
    ax: Axes, x: float, y: float, text: str, colour: str, marker: str, lift: int, ha: str
) -> None:
    ax.plot([x], [y], marker, color=colour, ms=16, mec="black", zorder=5)
    # At either end of the axis the label grows inwards, so it never covers the axis labels.
    shift = {"left": -10, "center": 0, "right": 10}[ha]
    ax.annotate(
        dollars(text), (x, y), xytext=(shift, lift), textcoords="offset points",
        ha=ha, va="bottom", fontsize=TICK, fontweight="bold",
        bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": colour, "alpha": 0.9},
    )  # fmt: skip


def power_tuning(frame: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Duration (left axis) and cost per million (right) against memory: the duration Axes.

    `frame` is `coldstart.tuning.power_tune(...)`'s table. Rows whose runs failed have a NaN
    cost and leave a gap. The cost axis is the returned Axes' twin, also set as `ax.cost_ax`;
    the legend holds both axes' lines.
    """
    frame = check_frame(frame, COLUMNS, "power_tuning").sort_values("memory_mb")
    memory = frame.memory_mb.to_numpy(float)
    if not (memory > 0).all():
        raise ValueError("power_tuning needs memory sizes above 0 MB")
    ax = new_axes(ax)
    cost_ax = ax.twinx()
    ax.cost_ax = cost_ax  # type: ignore[attr-defined]
    ax.plot(memory, frame.duration_ms, "o-", color=COLOURS[0], lw=2.5, ms=7, label="duration")
    cost_ax.plot(memory, frame.cost_per_million_usd, "s--", color=COLOURS[1], lw=2.5, ms=7,
                 label="cost per 1M invocations")  # fmt: skip
    failed = frame[frame.cost_per_million_usd.isna()]
    if not failed.empty:  # where the function failed (out of memory, timeout): no cost
        ax.plot(failed.memory_mb, failed.duration_ms.fillna(0), "X", color=COLOURS[3], ms=11,
                label="failed (no cost)", linestyle="none")  # fmt: skip
    marked: list[float] = []
    for flag, colour, marker, axes, column in (
        ("cheapest", COLOURS[2], "*", cost_ax, "cost_per_million_usd"),
        ("fastest", COLOURS[4], "D", ax, "duration_ms"),
    ):
        rows = frame[frame[flag].astype(bool)]
        if rows.empty:
            continue
        row = rows.iloc[0]
        figure = f"${row.cost_per_million_usd:,.2f}/1M" if flag == "cheapest" else None
        figure = figure or f"{row.duration_ms:,.3g} ms"
        text = f"{flag}: {row.memory_mb:,.0f} MB, {figure}"
        at = float(row.memory_mb)
        # Both labels sit above their point; the second goes higher when they share a size.
        ha = "left" if at == memory[0] else "right" if at == memory[-1] else "center"
        lift = 48 if at in marked else 16
        _mark(axes, at, float(row[column]), text, colour, marker, lift, ha)
        marked.append(at)
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_locator(FixedLocator(memory))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([f"{m:g}" for m in memory], rotation=45 if memory.size > 8 else 0)
    # Headroom above the highest point for the labels.
    for axes, column in ((ax, "duration_ms"), (cost_ax, "cost_per_million_usd")):
        values = frame[column].to_numpy(float)
        if np.isfinite(values).any():
            axes.set_ylim(bottom=0, top=np.nanmax(values) * 1.3)
    usd_axis(cost_ax.yaxis)
    cost_ax.set_ylabel("cost per 1M invocations (USD)", fontsize=LABEL, color=COLOURS[1])
    cost_ax.tick_params(labelsize=TICK)
    finish(ax, "Power tuning: duration and cost vs memory", "memory (MB)", "duration (ms)", False)
    ax.set_ylabel("duration (ms)", fontsize=LABEL, color=COLOURS[0])
    lines = ax.get_lines() + cost_ax.get_lines()
    labelled = [line for line in lines if not line.get_label().startswith("_")]
    ax.legend(labelled, [line.get_label() for line in labelled], fontsize=TICK - 1,
              loc="upper center", framealpha=0.9)  # fmt: skip
    return ax
