"""What every plot shares: projector-sized fonts, colour-blind-safe colours, checks, number text."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

COLOURS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"]
FIGSIZE = (8.0, 4.5)
TITLE, LABEL, TICK = 15, 13, 12  # font sizes (pt) a projector's back row can read


def new_axes(ax: Axes | None) -> Axes:
    """The learner's Axes, or a new figure's at a size that reads well in a notebook and a room."""
    if ax is None:
        _, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    # Each plot sets the scales it needs; an Axes that had a log scale must not keep it.
    ax.set_xscale("linear")
    ax.set_yscale("linear")
    return ax


def finish(ax: Axes, title: str, xlabel: str, ylabel: str, legend: bool = True) -> Axes:
    """Title, axis labels, ticks and legend at projector sizes, set on this Axes only."""
    ax.set_title(title, fontsize=TITLE)
    ax.set_xlabel(xlabel, fontsize=LABEL)
    ax.set_ylabel(ylabel, fontsize=LABEL)
    ax.tick_params(labelsize=TICK)
    ax.grid(True, alpha=0.3)
    if legend:
        ax.legend(fontsize=TICK - 1, framealpha=0.9)
    return ax


def check_frame(frame: Any, columns: list[str], what: str) -> pd.DataFrame:
    """The frame, if it is a non-empty DataFrame with these columns."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{what} needs a pandas DataFrame; got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{what} needs the columns {', '.join(columns)}; missing {', '.join(missing)} "
            f"(it has {', '.join(map(str, frame.columns)) or 'none'})"
        )
    if frame.empty:
        raise ValueError(f"{what} got an empty table: there is nothing to plot")
    return frame


def count_text(n: float) -> str:
    """A count for a tick or a label: 950, 12k, 3.2M, 1B."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= size:
            return f"{n / size:.3g}{suffix}"
    return f"{n:.3g}"


def seconds_text(s: float) -> str:
    """A time span for people: 0.45 s, 30 s, 10 min, 1.5 h."""
    if s >= 3600:
        return f"{s / 3600:.3g} h"
    return f"{s / 60:.3g} min" if s >= 60 else f"{s:.3g} s"


def usd_axis(axis: Any) -> None:
    """Ticks in dollars, with cents only where the axis needs them: $0.25, $1.50, $1,200."""

    def text(value: float, _: Any) -> str:
        top = float(np.abs(axis.get_view_interval()).max())
        digits = 0 if top >= 10 else max(2, 1 - int(np.floor(np.log10(top)))) if top > 0 else 2
        return f"${value:,.{digits}f}"

    axis.set_major_formatter(FuncFormatter(text))


def dollars(text: str) -> str:
    """Text with dollar amounts, kept as text: two $ signs would start matplotlib's math mode."""
    return text.replace("$", r"\$")


def requests_axis(ax: Axes, requests: np.ndarray) -> None:
    """A request-count x axis: logarithmic when the counts span 100x or more, ticks as 10k, 1M."""
    positive = requests[requests > 0]
    if positive.size == requests.size and positive.max() >= 100 * positive.min():
        ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: count_text(v)))
