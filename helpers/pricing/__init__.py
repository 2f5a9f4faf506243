"""What AWS Lambda bills: requests, GB-seconds by tier, /tmp, provisioned concurrency, SnapStart.

    from helpers import pricing
    bill = pricing.monthly_cost(3_000_000, duration_ms=120, memory_mb=1536)
    bill                            # an itemised table in a notebook; print(bill) in a terminal
    bill.usd, bill.to_frame()       # Decimal("2.73"), the lines as a DataFrame
    pricing.bill_from_reports(log_lines)   # what the invocations in your REPORT lines cost

The prices live in `helpers/data/prices.json`, each with its source and date, as the limits do.
Everything here is arithmetic on those figures: nothing calls AWS.
"""

from __future__ import annotations

from .bill import Bill, Line
from .compare import break_even_requests, compare_architectures, cost_vs_memory, cost_vs_requests
from .data import ARCHITECTURES, MONTH_HOURS, PRICES, REGIONS, price, rule
from .monthly import async_event_requests, monthly_cost
from .reports import bill_from_reports, report_frame

__all__ = [
    "ARCHITECTURES",
    "MONTH_HOURS",
    "PRICES",
    "REGIONS",
    "Bill",
    "Line",
    "async_event_requests",
    "bill_from_reports",
    "break_even_requests",
    "compare_architectures",
    "cost_vs_memory",
    "cost_vs_requests",
    "monthly_cost",
    "price",
    "report_frame",
    "rule",
]
