"""Cost plots: the monthly bill against traffic, x86_64 against arm64, a bill's charges as bars."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from .. import pricing
from ..pricing.data import billed_ms, money_text
from .style import COLOURS, count_text, dollars, finish, new_axes, requests_axis, usd_axis


def _requests(requests: Iterable[float], what: str) -> np.ndarray:
    try:
        counts = np.asarray(list(requests), dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} needs request counts (numbers); got {requests!r}") from None
    if counts.ndim != 1 or counts.size == 0:
        raise ValueError(f"{what} needs at least one request count, as a flat list or array")
    if not np.isfinite(counts).all() or (counts < 0).any():
        raise ValueError(f"{what} needs request counts that are finite and 0 or more")
    return np.sort(counts)


def free_tier_knees(
    duration_ms: float, memory_mb: int, **options: Any
) -> dict[str, tuple[float, str]]:
    """Requests a month at which the free requests and the free GB-seconds run out, labelled.

    From the free tier's figures in prices.json. Empty without the free tier; the GB-seconds are
    left out with provisioned concurrency, whose requests do not all run on demand.
    """
    if not options.get("free_tier", True):
        return {}
    free_requests = pricing.rule("free_tier_requests")
    knees = {"requests": (float(free_requests), f"{free_requests:,} free requests used up")}
    if options.get("provisioned_concurrency"):
        return knees
    gb = Decimal(memory_mb) / 1024
    per_request = billed_ms(duration_ms) / 1000 * gb  # GB-s each invocation is billed
    init_gb_s = Decimal(0)
    if not options.get("snapstart"):  # Init time billed on cold starts counts against it too
        init_gb_s = Decimal(str(options.get("cold_starts", 0))) * Decimal(
            str(options.get("init_ms", 0))
        ) / 1000 * gb  # fmt: skip
    free_gb_s = pricing.rule("free_tier_gb_seconds")
    at = max(Decimal(0), (free_gb_s - init_gb_s) / per_request)
    knees["gb_s"] = (float(at), f"{free_gb_s:,} free GB-s used up ({count_text(float(at))} req)")
    return knees


def cost_curve(
    requests: Iterable[float], duration_ms: float, memory_mb: int, *, ax: Axes | None = None,
    **options: Any,
) -> Axes:  # fmt: skip
    """The monthly bill against monthly requests, where the free tier runs out marked: the Axes.

    `options` go to `pricing.monthly_cost` (architecture, free_tier, ephemeral_storage_mb, ...).
    The line is `pricing.cost_vs_requests(...)["total_usd"]`; each dotted line is a free-tier
    allowance running out (see `free_tier_knees`), drawn when it falls inside the plotted range.
    """
    counts = _requests(requests, "cost_curve")
    table = pricing.cost_vs_requests(counts, duration_ms, memory_mb, **options)
    ax = new_axes(ax)
    ax.plot(table.requests, table.total_usd, color=COLOURS[0], lw=2.5, label="monthly total")
    knees = free_tier_knees(duration_ms, memory_mb, **options)
    for (at, label), colour in zip(knees.values(), COLOURS[1:], strict=False):
        if counts[0] <= at <= counts[-1]:
            cost = float(pricing.monthly_cost(at, duration_ms, memory_mb, **options).total)
            ax.axvline(at, color=colour, ls=":", lw=2, label=label)
            ax.plot([at], [cost], "o", color=colour, ms=9)
    requests_axis(ax, counts)
    usd_axis(ax.yaxis)
    arch = options.get("architecture", "x86_64")
    free = "" if knees else ", no free tier"
    title = f"Monthly cost: {duration_ms:g} ms at {memory_mb:,} MB, {arch}{free}"
    return finish(ax, title, "requests per month", "cost per month (USD)")


def architectures(
    requests: Iterable[float], duration_ms: float, memory_mb: int,
    arm64_duration_ms: float | None = None, *, ax: Axes | None = None, **options: Any,
) -> Axes:  # fmt: skip
    """x86_64 and arm64 monthly costs across request counts, with arm64's saving: the Axes.

    `arm64_duration_ms` is the duration measured on arm64 (the x86_64 one if left out);
    `options` go to `pricing.monthly_cost` (region, free_tier, ...). The saving stated is
    `pricing.compare_architectures`' at the largest request count.
    """
    if "architecture" in options:
        raise ValueError("architectures draws both architectures: leave out `architecture`")
    counts = _requests(requests, "architectures")
    arm_ms = duration_ms if arm64_duration_ms is None else arm64_duration_ms
    x86 = pricing.cost_vs_requests(counts, duration_ms, memory_mb, **options)
    arm = pricing.cost_vs_requests(counts, arm_ms, memory_mb, architecture="arm64", **options)
    ax = new_axes(ax)
    ax.plot(x86.requests, x86.total_usd, color=COLOURS[0], lw=2.5,
            label=f"x86_64 ({duration_ms:g} ms)")  # fmt: skip
    ax.plot(arm.requests, arm.total_usd, color=COLOURS[1], lw=2.5, ls="--",
            label=f"arm64 ({arm_ms:g} ms)")  # fmt: skip
    ax.fill_between(x86.requests, x86.total_usd, arm.total_usd, color=COLOURS[1], alpha=0.2,
                    label="difference in cost")  # fmt: skip
    both = pricing.compare_architectures(counts[-1], duration_ms, memory_mb, arm_ms, **options)
    saving = float(both.loc["arm64", "saving_pct"])
    at = f"at {count_text(counts[-1])} requests/month"
    if not both.loc["x86_64", "total_usd"]:
        text = f"both free {at}"
    else:
        text = f"arm64 {'saves' if saving >= 0 else 'costs'} {abs(saving):.0f}% {at}"
        text += f"\n({money_text(Decimal(both.loc['arm64', 'total_usd']))} vs "
        text += f"{money_text(Decimal(both.loc['x86_64', 'total_usd']))})"
    ax.text(0.02, 0.97, dollars(text), transform=ax.transAxes, va="top", fontsize=13,
            bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.9})  # fmt: skip
    requests_axis(ax, counts)
    usd_axis(ax.yaxis)
    title = f"x86_64 vs arm64: {memory_mb:,} MB"
    finish(ax, title, "requests per month", "cost per month (USD)")
    ax.legend(fontsize=11, loc="lower right")
    return ax


def _kind_names() -> dict[str, str]:
    included = pricing.rule("ephemeral_storage_included_mb")
    return {
        "requests": "requests",
        "compute": "compute (GB-s)",
        "ephemeral": f"/tmp above {included} MB",
        "provisioned": "provisioned concurrency",
        "provisioned_compute": "compute on provisioned",
        "snapstart_cache": "SnapStart cache",
        "snapstart_restore": "SnapStart restore",
    }


def _labelled_bills(bills: Any) -> dict[str, pricing.Bill]:
    if isinstance(bills, pricing.Bill):
        pairs = [(bills.title, bills)]
    elif isinstance(bills, Mapping):
        pairs = [(str(label), bill) for label, bill in bills.items()]
    elif isinstance(bills, Iterable) and not isinstance(bills, str):
        pairs = [(getattr(bill, "title", "?"), bill) for bill in bills]
    else:
        raise ValueError(f"cost_breakdown needs a Bill, a list of Bills or a dict; got {bills!r}")
    if not pairs:
        raise ValueError("cost_breakdown needs at least one Bill")
    wrong = [type(bill).__name__ for _, bill in pairs if not isinstance(bill, pricing.Bill)]
    if wrong:
        raise ValueError(f"cost_breakdown needs Bills (from pricing.monthly_cost); got {wrong[0]}")
    labelled: dict[str, pricing.Bill] = {}
    for label, bill in pairs:  # two bills with one title get numbered rather than merged
        name, n = label, 2
        while name in labelled:
            name, n = f"{label} ({n})", n + 1
        labelled[name] = bill
    return labelled


def cost_breakdown(bills: Any, ax: Axes | None = None) -> Axes:
    """Stacked bars of each bill's charges by kind (requests, compute, ...), total on top: the Axes.

    `bills`: one `Bill`, a list of them (labelled by title), or a dict of label → Bill. The bars
    are `Bill.by_kind()`; the figure on top is the bill's total.
    """
    labelled = _labelled_bills(bills)
    rows = [bill.by_kind() for bill in labelled.values()]
    names = _kind_names()
    present = {key[: -len("_usd")] for row in rows for key in row if key != "total_usd"}
    kinds = [k for k in names if k in present] + sorted(present - set(names))
    shown = [k for k in kinds if any(row.get(f"{k}_usd", 0.0) for row in rows)] or kinds
    ax = new_axes(ax)
    x = np.arange(len(rows))
    bottom = np.zeros(len(rows))
    for index, kind in enumerate(shown):
        heights = np.array([row.get(f"{kind}_usd", 0.0) for row in rows])
        ax.bar(x, heights, 0.6, bottom=bottom, color=COLOURS[index % len(COLOURS)],
               label=names.get(kind, kind.replace("_", " ")))  # fmt: skip
        bottom += heights
    for position, bill, top in zip(x, labelled.values(), bottom, strict=True):
        ax.annotate(dollars(money_text(bill.total)), (position, top), xytext=(0, 4),
                    textcoords="offset points", ha="center", va="bottom", fontsize=13,
                    fontweight="bold")  # fmt: skip
    top = max(float(bottom.max()), 0.01)
    ticks = []
    for label, row in zip(labelled, rows, strict=True):
        # A charge under 2% of the tallest bar is a sliver no one sees: say it in words.
        small = [
            f"{names.get(k, k)} {dollars(money_text(Decimal(str(row[f'{k}_usd']))))}"
            for k in shown
            if 0 < row.get(f"{k}_usd", 0.0) < 0.02 * top
        ]
        ticks.append("\n".join([textwrap.fill(label, 22), *small]))
    ax.set_xticks(x, ticks)
    ax.set_ylim(0, top * 1.15)  # room for the totals
    usd_axis(ax.yaxis)
    finish(ax, "Monthly bill by kind of charge", "", "cost per month (USD)")
    ax.grid(False, axis="x")
    return ax
