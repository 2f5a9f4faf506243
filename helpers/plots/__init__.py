"""Plots for the course: cold starts, concurrency, costs and memory tuning, ready for a projector.

    from helpers import plots
    ax = plots.cost_curve(np.logspace(4, 8, 60), duration_ms=120, memory_mb=512)
    ax.set_title("My function")        # every plot returns its Axes: restyle it as you like

Each function draws on `ax` when you pass one, else on a new 8 x 4.5 in figure, and returns that
Axes. Font sizes and colours are set on the plot itself, never in matplotlib's global settings,
so your own plots keep your style. The colours are Okabe and Ito's, which stay distinct with any
colour vision (https://jfly.uni-koeln.de/color/).
"""

from __future__ import annotations

from .coldstarts import cold_fraction, cold_warm_histogram, concurrency_timeline
from .costs import architectures, cost_breakdown, cost_curve, free_tier_knees
from .observability import duration_percentiles
from .tuning import power_tuning

__all__ = [
    "architectures",
    "cold_fraction",
    "cold_warm_histogram",
    "concurrency_timeline",
    "cost_breakdown",
    "cost_curve",
    "duration_percentiles",
    "free_tier_knees",
    "power_tuning",
]
