"""A bill: its lines, how it prints (text, Markdown, HTML) and how usage becomes one."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

import pandas as pd

from .data import PRICES, ZERO, cents, dec, money_text, quantity_text, rule

# Lines that explain the bill without adding to it.
INFO_KINDS = ("free_tier", "init")


@dataclass(frozen=True)
class Line:
    """One line of a bill: what, how much, at what rate, and its cost in USD."""

    kind: str
    item: str
    quantity: Decimal
    unit: str
    rate: str
    cost: Decimal


@dataclass
class Bill:
    """An itemised Lambda bill that prints as a table and converts to a DataFrame."""

    title: str
    lines: list[Line]
    notes: list[str] = field(default_factory=list)
    invocations: pd.DataFrame | None = None  # set by bill_from_reports: one row per invocation

    @property
    def total(self) -> Decimal:
        """The exact total in USD (the sum of the unrounded lines)."""
        return sum((line.cost for line in self.lines), ZERO)

    @property
    def usd(self) -> Decimal:
        """The total rounded to the cent, as AWS prints it."""
        return cents(self.total)

    def charge(self, kind: str) -> Decimal:
        """One kind of charge to the cent, e.g. `bill.charge("compute")` (all tiers together)."""
        return cents(sum((line.cost for line in self.lines if line.kind == kind), ZERO))

    def by_kind(self) -> dict[str, float]:
        """Cost per kind of charge in USD (`compute_usd`, ...) and `total_usd`: a table row."""
        costs: dict[str, float] = {}
        for line in self.lines:
            if line.kind not in INFO_KINDS:
                costs[f"{line.kind}_usd"] = costs.get(f"{line.kind}_usd", 0.0) + float(line.cost)
        return {**costs, "total_usd": float(self.total)}

    def to_frame(self) -> pd.DataFrame:
        """The lines as a DataFrame: kind, item, quantity, unit, rate, cost_usd."""
        columns = ["kind", "item", "quantity", "unit", "rate", "cost_usd"]
        rows = [
            (line.kind, line.item, float(line.quantity), line.unit, line.rate, float(line.cost))
            for line in self.lines
        ]
        return pd.DataFrame(rows, columns=columns)

    def __float__(self) -> float:
        return float(self.total)

    def _rows(self) -> list[tuple[str, str, str, str]]:
        return [
            (
                line.item,
                f"{quantity_text(line.quantity)} {line.unit}",
                line.rate,
                "" if line.kind in INFO_KINDS else money_text(line.cost),
            )
            for line in self.lines
        ]

    def __repr__(self) -> str:  # the table, also where only plain text is shown
        return str(self)

    def __str__(self) -> str:
        header = ("Item", "Quantity", "Rate", "Cost")
        total = ("Total", "", "", money_text(self.total))
        rows = self._rows()
        widths = [max(len(row[i]) for row in [header, *rows, total]) for i in range(4)]

        def fmt(row: tuple[str, ...]) -> str:
            left = [row[0].ljust(widths[0]), row[1].rjust(widths[1]), row[2].ljust(widths[2])]
            return "  ".join([*left, row[3].rjust(widths[3])]).rstrip()

        ruler = "-" * (sum(widths) + 6)
        body = [fmt(header), ruler, *map(fmt, rows), ruler, fmt(total)]
        return "\n".join([self.title, *body, *(f"* {note}" for note in self.notes)])

    def _repr_markdown_(self) -> str:
        lines = [f"**{self.title}**", "", "| Item | Quantity | Rate | Cost |", "|---|--:|---|--:|"]
        lines += [f"| {' | '.join(row)} |" for row in self._rows()]
        lines.append(f"| **Total** | | | **{money_text(self.total)}** |")
        return "\n".join([*lines, "", *(f"* {note}" for note in self.notes)])

    def _repr_html_(self) -> str:
        right = " style='text-align:right'"
        cells = "".join(
            f"<tr><td>{escape(a)}</td><td{right}>{escape(b)}</td><td>{escape(c)}</td>"
            f"<td{right}>{escape(d)}</td></tr>"
            for a, b, c, d in self._rows()
        )
        notes = "".join(f"<li>{escape(note)}</li>" for note in self.notes)
        return (
            f"<p><b>{escape(self.title)}</b></p><table><tr><th>Item</th><th>Quantity</th>"
            f"<th>Rate</th><th>Cost</th></tr>{cells}<tr><th>Total</th><td></td><td></td>"
            f"<th{right}>{escape(money_text(self.total))}</th></tr></table>"
            + (f"<ul>{notes}</ul>" if notes else "")
        )


@dataclass
class Usage:
    """A month's (or a log's) usage of one architecture in one region, in billing units."""

    requests: Decimal = ZERO
    gb_s: Decimal = ZERO  # on-demand duration, Init included
    ephemeral_gb_s: Decimal = ZERO  # /tmp above the included 512 MB
    provisioned_gb_s: Decimal = ZERO  # concurrency kept ready while enabled
    provisioned_run_gb_s: Decimal = ZERO  # invocations served by it
    cache_gb_s: Decimal = ZERO  # SnapStart snapshot kept
    restore_gb: Decimal = ZERO  # SnapStart resumes
    extra: list[Line] = field(default_factory=list)  # explanations, no cost


def _rate(value: Decimal, unit: str) -> str:
    return f"${value:f} per {unit}"


def _billions(gb_s: int) -> str:
    return f"{dec(gb_s) / 10**9:f}".rstrip("0").rstrip(".") + " billion GB-s"


def _compute_lines(gb_s: Decimal, free_gb_s: Decimal, architecture: str, region: str) -> list[Line]:
    tiers = PRICES["regions"][region][f"duration_{architecture}"]["tiers"]
    lines, lower, previous = [], ZERO, 0
    for index, tier in enumerate(tiers):
        bound = tier["up_to_gb_s"]
        upper = gb_s if bound is None else min(gb_s, dec(bound))
        # Tiers count the month's whole usage; the free GB-s come off the first tier.
        in_tier = max(ZERO, upper - lower) - (free_gb_s if index == 0 else ZERO)
        lower = max(lower, upper)
        if index == 0:
            where = f"first {_billions(bound)}"
        elif bound is None:
            where = f"over {_billions(previous)}"
        else:
            where = f"next {_billions(bound - previous)}"
        previous = bound
        if index == 0 or in_tier:
            item, rate = f"Compute {architecture}, {where}", _rate(tier["value"], "GB-s")
            lines.append(Line("compute", item, in_tier, "GB-s", rate, in_tier * tier["value"]))
    return lines


def assemble(title: str, usage: Usage, architecture: str, region: str, free_tier: bool) -> Bill:
    """Price a usage as AWS's worked examples do: free tier off first, then tier by tier."""
    prices = PRICES["regions"][region]
    per_million = prices["requests_per_million"]["value"]
    free_requests = min(usage.requests, dec(rule("free_tier_requests"))) if free_tier else ZERO
    free_gb_s = min(usage.gb_s, dec(rule("free_tier_gb_seconds"))) if free_tier else ZERO
    billable = usage.requests - free_requests
    rate, cost = f"${per_million:.2f} per 1M", billable * per_million / 10**6
    lines = [Line("requests", "Requests", billable, "requests", rate, cost)]
    compute = _compute_lines(usage.gb_s, free_gb_s, architecture, region)
    if usage.gb_s or not usage.provisioned_gb_s:  # a month all on provisioned shows no $0 line
        lines += compute
    lines += usage.extra  # what the compute includes (Init), right below it
    flat = [
        ("ephemeral", "Ephemeral storage above 512 MB", usage.ephemeral_gb_s,
         "ephemeral_storage_gb_s", "GB-s"),
        ("provisioned", f"Provisioned concurrency {architecture}", usage.provisioned_gb_s,
         f"provisioned_concurrency_gb_s_{architecture}", "GB-s"),
        ("provisioned_compute", f"Compute on provisioned concurrency {architecture}",
         usage.provisioned_run_gb_s, f"provisioned_duration_gb_s_{architecture}", "GB-s"),
        ("snapstart_cache", "SnapStart cache", usage.cache_gb_s, "snapstart_cache_gb_s", "GB-s"),
        ("snapstart_restore", "SnapStart restore", usage.restore_gb, "snapstart_restore_gb", "GB"),
    ]  # fmt: skip
    for kind, item, quantity, name, unit in flat:
        if quantity:
            value = prices[name]["value"]
            lines.append(Line(kind, item, quantity, unit, _rate(value, unit), quantity * value))
    if free_requests:
        saved = f"saves ${cents(free_requests * per_million / 10**6):,.2f}"
        lines.append(
            Line("free_tier", "Free tier: requests", free_requests, "requests", saved, ZERO)
        )
    if free_gb_s:
        first_tier = prices[f"duration_{architecture}"]["tiers"][0]["value"]
        saved = f"saves ${cents(free_gb_s * first_tier):,.2f}"
        lines.append(Line("free_tier", "Free tier: compute", free_gb_s, "GB-s", saved, ZERO))
    return Bill(title, lines)
