"""A month of traffic priced as AWS prices it: on demand, provisioned concurrency, SnapStart."""

from __future__ import annotations

import math
from decimal import Decimal

from .bill import Bill, Line, Usage, assemble
from .data import (
    LIMITS,
    MONTH_HOURS,
    ZERO,
    billed_ms,
    check_amount,
    check_architecture,
    check_duration,
    check_ephemeral,
    check_memory,
    check_region,
    quantity_text,
    rule,
)

STRICT_FREE_TIER = (
    "AWS says the free tier does not apply to functions with Provisioned Concurrency, yet its "
    "example applies it to the month's requests and on-demand compute, as here; pass "
    "free_tier=False for the strict reading."
)


def monthly_cost(
    requests: float,
    duration_ms: float,
    memory_mb: int,
    architecture: str = "x86_64",
    region: str = "us-east-1",
    ephemeral_storage_mb: int = 512,
    free_tier: bool = True,
    provisioned_concurrency: int = 0,
    provisioned_hours: float = MONTH_HOURS,
    *,
    provisioned_requests: float | None = None,
    provisioned_duration_ms: float | None = None,
    cold_starts: float = 0,
    init_ms: float = 0,
    snapstart: bool = False,
    snapstart_cache_hours: float = MONTH_HOURS,
    runtime: str = "python3.13",
) -> Bill:
    """An itemised bill for a month of `requests` invocations of one function, as AWS prices it.

    duration_ms is the average run, rounded up to whole ms as AWS bills each invocation.
    Provisioned concurrency is billed for provisioned_hours (rounded up to 5 minutes);
    provisioned_requests of the month's requests run on it at its lower duration price, the rest
    on demand. Left out, they are the requests falling in that window (traffic spread evenly over
    a 730-hour month) that the environments can serve back to back. cold_starts x init_ms is the
    Init time billed since 2025-08-01; with snapstart, each cold start is a snapshot restore
    instead (free on Java runtimes).
    """
    check_region(region)
    check_architecture(architecture)
    count = check_amount("requests", requests)
    gb = Decimal(check_memory(memory_mb)) / 1024
    run_s = billed_ms(check_duration("duration_ms", duration_ms)) / 1000
    extra_mb = check_ephemeral(ephemeral_storage_mb) - rule("ephemeral_storage_included_mb")
    concurrency = check_amount("provisioned_concurrency", provisioned_concurrency)
    hours = check_amount("provisioned_hours", provisioned_hours)
    colds = check_amount("cold_starts", cold_starts, count, " (one per request at most)")
    init_s = check_duration("init_ms", init_ms) / 1000
    pc_ms = duration_ms if provisioned_duration_ms is None else provisioned_duration_ms
    pc_run_s = billed_ms(check_duration("provisioned_duration_ms", pc_ms)) / 1000
    usage, notes, served = Usage(requests=count), [], ZERO

    if concurrency:
        step = rule("provisioned_concurrency_rounding_minutes")
        enabled_s = Decimal(math.ceil(hours * 60 / step) * step * 60)
        usage.provisioned_gb_s = concurrency * gb * enabled_s
        if provisioned_requests is None:
            # Evenly spread traffic: the window's share, up to what the environments can serve.
            in_window = count * min(hours, Decimal(MONTH_HOURS)) / MONTH_HOURS
            served = min(in_window, concurrency * enabled_s / pc_run_s).to_integral_value()
        else:
            served = check_amount("provisioned_requests", provisioned_requests, count)
        usage.provisioned_run_gb_s = served * pc_run_s * gb
        if free_tier:
            notes.append(STRICT_FREE_TIER)
    elif provisioned_requests:
        raise ValueError("provisioned_requests needs provisioned_concurrency above 0")

    on_demand_s = (count - served) * run_s
    cold_s = ZERO
    if snapstart:
        minimum = Decimal(rule("snapstart_cache_minimum_hours"))
        cached_h = max(check_amount("snapstart_cache_hours", snapstart_cache_hours), minimum)
        if runtime.startswith(tuple(rule("snapstart_free_runtimes"))):
            notes.append("SnapStart is free on Java managed runtimes: no cache or restore charge.")
        else:
            usage.cache_gb_s, usage.restore_gb = gb * cached_h * 3600, colds * gb
    elif colds and init_s:
        cold_s = colds * init_s
        item = f"of which Init ({quantity_text(colds)} cold start{'s' if colds != 1 else ''})"
        usage.extra.append(Line("init", item, cold_s * gb, "GB-s", "billed since 2025-08-01", ZERO))
    usage.gb_s = (on_demand_s + cold_s) * gb
    # /tmp above 512 MB is billed for every second any invocation runs, Init included.
    usage.ephemeral_gb_s = (on_demand_s + cold_s + served * pc_run_s) * extra_mb / 1024

    noun = "request" if count == 1 else "requests"
    title = f"Lambda, {region}, {architecture}: {quantity_text(count)} {noun} a month"
    bill = assemble(title, usage, architecture, region, free_tier)
    bill.notes = notes
    return bill


def async_event_requests(size_bytes: int) -> int:
    """How many requests one asynchronous event counts as: 1 up to 256 KB, +1 per further 64 KB."""
    first = rule("async_event_request_kb") * 1024
    chunk = rule("async_event_chunk_kb") * 1024
    largest = LIMITS["async_payload_bytes_max"]["value"]
    size = int(check_amount("size_bytes", size_bytes, largest, " bytes, the async payload limit"))
    return 1 + max(0, math.ceil((size - first) / chunk))
