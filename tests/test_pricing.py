"""The pricing model against AWS's own worked examples, to the cent, and its edges.

Every example below is from https://aws.amazon.com/lambda/pricing/ (US East, N. Virginia), read
on 2026-11-23; each names the example and quotes AWS's figures. AWS rounds each line to the
cent and adds the rounded lines; the model keeps exact amounts, and both agree on every total.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import pricing
from helpers.pricing import bill_from_reports, break_even_requests, monthly_cost, report_frame
from helpers.runtime.logs import Report
from tests.conftest import call, log_messages

PRICING_PAGE = "https://aws.amazon.com/lambda/pricing/"
D = Decimal

# (name on AWS's page, monthly_cost arguments, AWS's line figures, AWS's total)
AWS_EXAMPLES = [
    (
        # "Example 1: Mobile application backend": 3M requests, 120 ms, 1536 MB, x86.
        # 140,000 GB-s x $0.0000166667 = $2.33; 2M x $0.2/M = $0.40; total $2.73.
        "Lambda pricing, Example 1: Mobile application backend",
        {"requests": 3_000_000, "duration_ms": 120, "memory_mb": 1536},
        {"compute": "2.33", "requests": "0.40"},
        "2.73",
    ),
    (
        # "Example 2: Enriching streaming telemetry with additional metadata": 7.44M messages,
        # 2 s, 1 GB, x86; AWS bills every request and GB-s (no free tier in this example):
        # 7.44M x $0.20/M = $1.49; 14.88M GB-s x $0.0000166667 = $248.00; total $249.49.
        "Lambda pricing, Example 2: Enriching streaming telemetry",
        {"requests": 7_440_000, "duration_ms": 2000, "memory_mb": 1024, "free_tier": False},
        {"requests": "1.49", "compute": "248.00"},
        "249.49",
    ),
    (
        # "Example 3: Performing ML on customer support tickets ...": 6M requests, 280 ms,
        # 4096 MB, x86, 2048 MB ephemeral storage. 6,320,000 GB-s -> $105.33; 5M requests ->
        # $1; 2,520,000 GB-s of storage x $0.0000000309 -> $0.08; total $106.41.
        "Ephemeral storage pricing, Example 3: ML on customer support tickets",
        {
            "requests": 6_000_000,
            "duration_ms": 280,
            "memory_mb": 4096,
            "ephemeral_storage_mb": 2048,
        },
        {"compute": "105.33", "requests": "1.00", "ephemeral": "0.08"},
        "106.41",
    ),
    (
        # "Provisioned Concurrency, Example 1: Mobile application launch": 3M requests a month,
        # 1536 MB, x86; Provisioned Concurrency 100 for 8 hours serving 500,000 requests at
        # 100 ms; 2.5M more on demand at 120 ms. $18 + $0.40 + $0.73 + $0.83 = $19.96.
        "Provisioned Concurrency, Example 1: Mobile application launch",
        {
            "requests": 3_000_000,
            "duration_ms": 120,
            "memory_mb": 1536,
            "provisioned_concurrency": 100,
            "provisioned_hours": 8,
            "provisioned_requests": 500_000,
            "provisioned_duration_ms": 100,
        },
        {
            "provisioned": "18.00",
            "requests": "0.40",
            "provisioned_compute": "0.73",
            "compute": "0.83",
        },
        "19.96",
    ),
    (
        # "Example 2: Routing customers ... during Cyber Monday": 2M requests in 24 hours, all on
        # Provisioned Concurrency 7, 280 ms, 4096 MB, x86; every request billed.
        # $10.08 + $21.78 + $0.40 = $32.26.
        "Provisioned Concurrency, Example 2: Cyber Monday",
        {
            "requests": 2_000_000,
            "duration_ms": 280,
            "memory_mb": 4096,
            "free_tier": False,
            "provisioned_concurrency": 7,
            "provisioned_hours": 24,
            "provisioned_requests": 2_000_000,
        },
        {"provisioned": "10.08", "provisioned_compute": "21.78", "requests": "0.40"},
        "32.26",
    ),
    (
        # "SnapStart Pricing Example: Enriching streaming telemetry": 7.44M requests, 2 s billed,
        # 1 GB, x86, one version active 31 days (2,678,400 s), 1% of requests restore a snapshot
        # (74,400). $1.49 + $248.00 + $4.03 + $10.4 = $263.92.
        "SnapStart pricing example: Enriching streaming telemetry",
        {
            "requests": 7_440_000,
            "duration_ms": 2000,
            "memory_mb": 1024,
            "free_tier": False,
            "snapstart": True,
            "cold_starts": 74_400,
            "snapstart_cache_hours": 24 * 31,
        },
        {
            "requests": "1.49",
            "compute": "248.00",
            "snapstart_cache": "4.03",
            "snapstart_restore": "10.40",
        },
        "263.92",
    ),
]


@pytest.mark.parametrize(
    ("name", "arguments", "lines", "total"), AWS_EXAMPLES, ids=[e[0] for e in AWS_EXAMPLES]
)
def test_aws_worked_examples_to_the_cent(name, arguments, lines, total):
    bill = monthly_cost(**arguments)
    for kind, amount in lines.items():
        assert bill.charge(kind) == D(amount), f"{name}: {kind}"
    assert bill.usd == D(total), name
    # AWS adds lines it has rounded to the cent; so does this check.
    assert sum(bill.charge(kind) for kind in lines) == D(total)


def test_aws_arm64_example_durable_functions_compute_and_requests():
    # Lambda durable functions pricing example: 1,000,000 claims, 2 invocations each, 32 s of
    # compute per claim, 1 GB, ARM: "31,600,000 x $0.0000133334 = $421.34" after the free tier;
    # "2,000,000 - 1M free tier ... 1M x $0.20/M = $0.20". (Its durable-operation, data and
    # retention charges are not Lambda compute and are not modelled.)
    bill = monthly_cost(2_000_000, 16_000, 1024, architecture="arm64")
    assert bill.charge("compute") == D("421.34")
    assert bill.charge("requests") == D("0.20")


def test_aws_response_streaming_example_compute_and_requests():
    # HTTP response streaming example: 3M requests, 500 ms, 1536 MB, x86:
    # "1,850,000 * $0.0000166667 = $30.83" and "2M * $0.2/M = $0.40" (+ $7.81 streamed bytes,
    # not modelled).
    bill = monthly_cost(3_000_000, 500, 1536)
    assert (bill.charge("compute"), bill.charge("requests")) == (D("30.83"), D("0.40"))


# --- free tier and tiers ----------------------------------------------------------------------


def test_free_tier_covers_one_million_requests_and_400000_gb_seconds():
    # 1 GB for 1 s: one GB-second per request.
    assert monthly_cost(400_000, 1000, 1024).usd == 0
    just_over = monthly_cost(400_001, 1000, 1024)
    assert just_over.charge("compute") == D("0.00")  # $0.0000166667 rounds to 0 cents
    assert just_over.total == D("0.0000166667")
    assert monthly_cost(1_000_000, 1, 128).charge("requests") == 0
    assert monthly_cost(1_000_001, 1, 128).total == D("0.0000002")  # 125 GB-s are free
    assert monthly_cost(400_000, 1000, 1024, free_tier=False).usd == D("6.75")  # $0.08 + $6.67


def test_free_tier_never_covers_ephemeral_storage():
    bill = monthly_cost(1000, 1000, 1024, ephemeral_storage_mb=1536)
    assert bill.charge("compute") == 0 and bill.charge("requests") == 0
    assert bill.total == 1000 * D("0.0000000309")  # 1,000 s x 1 GB above 512 MB


@pytest.mark.parametrize(
    ("architecture", "first", "second"),
    [("x86_64", 6 * 10**9, 15 * 10**9), ("arm64", 7_500_000_000, 18_750_000_000)],
)
def test_tier_boundaries_exactly_and_one_gb_second_over(architecture, first, second):
    tiers = pricing.PRICES["regions"]["us-east-1"][f"duration_{architecture}"]["tiers"]
    one, two, three = (tier["value"] for tier in tiers)
    request = D("0.0000002")

    def compute(gb_s: int) -> Decimal:  # 1 GB for 1 s: one GB-second per request
        return monthly_cost(gb_s, 1000, 1024, architecture, free_tier=False).total - gb_s * request

    assert compute(first) == first * one
    assert compute(first + 1) == first * one + two
    assert compute(second) == first * one + (second - first) * two
    assert compute(second + 1) == first * one + (second - first) * two + three
    lines = monthly_cost(second + 1, 1000, 1024, architecture, free_tier=False).lines
    assert [line.quantity for line in lines if line.kind == "compute"] == [first, second - first, 1]


def test_tiers_are_per_architecture_and_free_tier_comes_off_the_first():
    x86 = monthly_cost(6 * 10**9, 1000, 1024)
    assert [line.quantity for line in x86.lines if line.kind == "compute"] == [6 * 10**9 - 400_000]
    arm = monthly_cost(7 * 10**9, 1000, 1024, "arm64", free_tier=False)
    assert len([line for line in arm.lines if line.kind == "compute"]) == 1  # under 7.5 billion


def test_tier_prices_are_the_first_tier_less_10_and_20_percent():
    for architecture in pricing.ARCHITECTURES:
        tiers = pricing.PRICES["regions"]["us-east-1"][f"duration_{architecture}"]["tiers"]
        one, two, three = (tier["value"] for tier in tiers)
        assert abs(two - one * D("0.9")) < D("1e-10") and abs(three - one * D("0.8")) < D("1e-10")


def test_arm64_duration_costs_20_percent_less_requests_the_same():
    x86 = monthly_cost(10_000_000, 200, 1024, free_tier=False)
    arm = monthly_cost(10_000_000, 200, 1024, "arm64", free_tier=False)
    assert x86.charge("requests") == arm.charge("requests") == D("2.00")
    assert x86.charge("compute") == D("33.33") and arm.charge("compute") == D("26.67")
    frame = pricing.compare_architectures(10_000_000, 200, 1024, free_tier=False)
    assert list(frame.index) == ["x86_64", "arm64"]
    assert frame.loc["arm64", "total_usd"] == pytest.approx(28.6668)
    assert frame.loc["arm64", "saving_pct"] == pytest.approx((1 - 28.6668 / 35.3334) * 100)
    faster = pricing.compare_architectures(10_000_000, 200, 1024, arm64_duration_ms=150)
    assert faster.loc["arm64", "duration_ms"] == 150


def test_duration_is_billed_in_whole_milliseconds_rounded_up():
    assert monthly_cost(1000, 2.1, 1024, free_tier=False).lines[1].quantity == 3
    assert monthly_cost(1000, 0, 1024, free_tier=False).lines[1].quantity == 1  # at least 1 ms


# --- provisioned concurrency, ephemeral storage, SnapStart, Init -------------------------------


def test_provisioned_concurrency_is_billed_in_five_minute_steps_at_the_arm_price_on_arm():
    two_minutes = monthly_cost(
        0, 100, 1024, "arm64", provisioned_concurrency=1, provisioned_hours=2 / 60
    )
    assert [line.quantity for line in two_minutes.lines if line.kind == "provisioned"] == [300]
    assert two_minutes.total == 300 * D("0.0000033334")


def test_provisioned_concurrency_overflow_runs_on_demand():
    def split(requests: int, hours: float, **more: int) -> tuple[Decimal, Decimal]:
        bill = monthly_cost(
            requests, 1000, 1024, free_tier=False, provisioned_concurrency=1,
            provisioned_hours=hours, **more,
        )  # fmt: skip
        quantity = {line.kind: line.quantity for line in bill.lines}
        return quantity["provisioned_compute"], quantity.get("compute", D(0))

    # Told how many requests it served: 3,600 on the environment, 400 on demand.
    assert split(4000, 730, provisioned_requests=3600) == (3600, 400)
    # Left to estimate: enabled all month, one environment has room for all 4,000 1 s requests.
    assert split(4000, 730) == (4000, 0)
    # A 1-hour window catches 1/730 of evenly spread traffic (10,000 of 7.3 million), of which
    # one environment serves 3,600 one-second requests; the rest overflow to on demand.
    assert split(7_300_000, 1) == (3600, 7_300_000 - 3600)


def test_ephemeral_storage_is_only_billed_above_512_mb():
    assert "ephemeral_usd" not in monthly_cost(10**6, 100, 128).by_kind()
    bill = monthly_cost(1000, 1000, 128, ephemeral_storage_mb=10240, free_tier=False)
    storage = next(line for line in bill.lines if line.kind == "ephemeral")
    assert storage.quantity == 1000 * D(9728) / 1024  # 9.5 GB above 512 MB for 1,000 s


def test_snapstart_is_free_on_java_and_caches_at_least_three_hours():
    java = monthly_cost(1000, 100, 1024, snapstart=True, cold_starts=10, runtime="java21")
    assert java.total == 0 and "Java" in java.notes[0]
    short = monthly_cost(0, 100, 1024, snapstart=True, snapstart_cache_hours=1)
    cache = next(line for line in short.lines if line.kind == "snapstart_cache")
    assert cache.quantity == 3 * 3600  # 1 GB for the 3-hour minimum


def test_init_time_of_cold_starts_is_billed_on_demand():
    warm = monthly_cost(1_000_000, 100, 1024, free_tier=False)
    cold = monthly_cost(1_000_000, 100, 1024, free_tier=False, cold_starts=1000, init_ms=500)
    assert cold.total - warm.total == 500 * D("0.0000166667")  # 1,000 x 0.5 s x 1 GB
    assert any(line.kind == "init" for line in cold.lines)


def test_async_events_count_one_request_per_256_kb_then_per_64_kb():
    assert pricing.async_event_requests(1) == 1
    assert pricing.async_event_requests(256 * 1024) == 1
    assert pricing.async_event_requests(256 * 1024 + 1) == 2
    assert pricing.async_event_requests(1024 * 1024) == 13
    with pytest.raises(ValueError, match="async payload limit"):
        pricing.async_event_requests(1024 * 1024 + 1)


# --- REPORT lines -----------------------------------------------------------------------------

COLD = Report("3f1e", 2.75, 128, 56, init_ms=113.51).line()  # as the kit writes it
WARM = Report("9a07", 1.2, 128, 57).line()


def test_report_frame_reads_the_kits_report_lines():
    assert COLD.split("\t")[2] == "Billed Duration: 117 ms"  # ceil(2.75 + 113.51)
    frame = report_frame([COLD, "START RequestId: 9a07 Version: $LATEST", WARM])
    assert list(frame.columns) == [
        "request_id",
        "duration_ms",
        "billed_ms",
        "memory_mb",
        "max_memory_mb",
        "init_ms",
        "cold",
    ]
    assert frame.iloc[0].to_dict() == {
        "request_id": "3f1e",
        "duration_ms": 2.75,
        "billed_ms": 117,
        "memory_mb": 128,
        "max_memory_mb": 56,
        "init_ms": 113.51,
        "cold": True,
    }
    assert frame.iloc[1]["billed_ms"] == 2 and math.isnan(frame.iloc[1]["init_ms"])
    assert not frame.iloc[1]["cold"]
    events = [{"message": COLD, "timestamp": 1}, {"message": WARM, "timestamp": 2}]
    pd.testing.assert_frame_equal(report_frame(events), report_frame(f"{COLD}\n{WARM}\n"))
    with pytest.raises(ValueError, match="no REPORT lines"):
        report_frame(["START RequestId: 1 Version: $LATEST"])


def _json_record(line) -> str:
    """A report as a JSON-format function's log holds it: its `platform.report` record."""
    return json.dumps(
        {"time": "2026-12-07T10:56:54.262Z", "type": line.kind, "record": line.record}
    )


def test_report_frame_and_bill_read_json_format_platform_report_records():
    # A function logging in the JSON format writes no REPORT line: its platform.report record
    # holds the same figures (record.metrics), as a message, an event, or parsed.
    records = [_json_record(COLD), _json_record(WARM)]
    assert json.loads(records[0])["type"] == "platform.report"
    start = json.dumps({"type": "platform.start", "record": {"requestId": "9a07"}})
    application = json.dumps({"level": "INFO", "message": "resized", "requestId": "9a07"})
    events = [{"message": m, "timestamp": 1} for m in (records[0], start, application, records[1])]
    frame = report_frame(events)
    pd.testing.assert_frame_equal(frame, report_frame([COLD, WARM]))
    pd.testing.assert_frame_equal(report_frame([json.loads(r) for r in records]), frame)
    pd.testing.assert_frame_equal(report_frame("\n".join(records)), frame)
    by_json = bill_from_reports(events, architecture="arm64", ephemeral_storage_mb=2048)
    by_text = bill_from_reports([COLD, WARM], architecture="arm64", ephemeral_storage_mb=2048)
    assert by_json.total == by_text.total and by_json.to_frame().equals(by_text.to_frame())
    # Both formats together (a function switched between deployments): one row per report.
    assert len(report_frame([COLD, records[1]])) == 2
    with pytest.raises(ValueError, match=r"platform\.report") as refused:
        report_frame([start, application])
    assert "no REPORT lines" in str(refused.value)


def test_bill_from_reports_bills_init_on_cold_starts():
    bill = bill_from_reports([COLD, WARM])
    gb_s = D(117 + 2) / 1000 * D("0.125")
    assert bill.total == 2 * D("0.0000002") + gb_s * D("0.0000166667")  # no free tier by default
    init = next(line for line in bill.lines if line.kind == "init")
    assert init.quantity == D(117 - 3) / 1000 * D("0.125")  # Billed Duration minus ceil(2.75)
    before = bill_from_reports([COLD, WARM], include_init=False)
    assert before.total == 2 * D("0.0000002") + D(3 + 2) / 1000 * D("0.125") * D("0.0000166667")
    assert bill.invocations is not None and len(bill.invocations) == 2


def test_bill_from_reports_scales_to_a_month():
    month = bill_from_reports([COLD, WARM], monthly_requests=10_000_000)
    assert month.charge("requests") == D("2.00")
    gb_s = D(119) / 1000 * D("0.125") * 5_000_000  # the two invocations, 5 million times each
    assert [line.quantity for line in month.lines if line.kind == "compute"] == [gb_s]
    free = bill_from_reports([COLD, WARM], monthly_requests=10_000_000, free_tier=True)
    assert free.charge("requests") == D("1.80")


def test_bill_from_real_invocations_of_the_kit(deploy, lam, logs):
    deploy("priced", "import time\ntime.sleep(0.1)\ndef handler(event, context):\n    return 1\n")
    for _ in range(3):
        call(lam, "priced")
    frame = report_frame(log_messages(logs, "priced", "REPORT"))
    assert list(frame["cold"]) == [True, False, False]
    cold = frame.iloc[0]
    assert cold["init_ms"] >= 100
    # Billed Duration = ceil(Duration + Init Duration) of the unrounded figures; the line
    # prints them to 0.01 ms, so the sum read back can sit just under a whole millisecond.
    assert 0 <= cold["billed_ms"] - (cold["duration_ms"] + cold["init_ms"]) < 1.02
    bill = bill_from_reports(frame)
    expected = sum(D(int(ms)) for ms in frame["billed_ms"]) / 1000 * D("0.125")
    assert [line.quantity for line in bill.lines if line.kind == "compute"] == [expected]


# --- comparisons --------------------------------------------------------------------------------


def test_cost_vs_requests_and_memory_are_tables_to_plot():
    frame = pricing.cost_vs_requests([0, 1_000_000, 10_000_000], 100, 128)
    assert list(frame["requests"]) == [0, 1_000_000, 10_000_000]
    assert list(frame["total_usd"]) == pytest.approx([0, 0, 1.8])  # compute within free tier
    memory = pricing.cost_vs_memory([128, 256], 10_000_000, {128: 400, 256: 190}, free_tier=False)
    assert list(memory["duration_ms"]) == [400, 190]
    assert memory.loc[1, "total_usd"] < memory.loc[0, "total_usd"]


def test_numpy_numbers_are_accepted_as_numbers():
    frame = pricing.cost_vs_requests(np.logspace(5, 8, 4), 100, np.int64(256))
    assert list(frame["requests"]) == pytest.approx([1e5, 1e6, 1e7, 1e8])
    assert frame["total_usd"].is_monotonic_increasing


def test_break_even_with_an_always_on_server():
    # A hypothetical server at $0.05 an hour (not an AWS price): $36.50 for 730 hours.
    # Without the free tier, each 100 ms, 128 MB request costs $0.0000002 + 0.0125 GB-s.
    per_request = D("0.0000002") + D("0.0125") * D("0.0000166667")
    count = break_even_requests(0.05, 100, 128, free_tier=False)
    assert count == math.ceil(D("36.5") / per_request)
    assert monthly_cost(count, 100, 128, free_tier=False).total >= D("36.5")
    assert monthly_cost(count - 1, 100, 128, free_tier=False).total < D("36.5")
    assert break_even_requests(0.05, 100, 128) > count  # the free tier pushes it further
    assert break_even_requests(0, 100, 128) == 0


# --- output --------------------------------------------------------------------------------------


def test_a_bill_prints_as_a_table_and_converts_to_a_dataframe():
    bill = monthly_cost(3_000_000, 120, 1536)
    text = str(bill)
    assert text.splitlines()[0] == "Lambda, us-east-1, x86_64: 3,000,000 requests a month"
    assert "Compute x86_64, first 6 billion GB-s" in text and text.rstrip().endswith("$2.73")
    assert "Free tier: requests" in text and "saves $0.20" in text
    assert "| **Total** | | | **$2.73** |" in bill._repr_markdown_()
    assert "<table>" in bill._repr_html_() and "$2.73" in bill._repr_html_()
    frame = bill.to_frame()
    assert list(frame.columns) == ["kind", "item", "quantity", "unit", "rate", "cost_usd"]
    assert frame["cost_usd"].sum() == pytest.approx(float(bill))
    assert "$0.00000065" in str(bill_from_reports([COLD, WARM]))  # tiny bills stay readable


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"requests": -1}, "requests must be 0 or more, got -1"),
        ({"requests": "many"}, "requests must be a number"),
        ({"requests": math.nan}, "requests must be a number"),
        ({"duration_ms": -5}, "duration_ms must be from 0 to 900,000 ms"),
        ({"duration_ms": 900_001}, "15-minute timeout"),
        ({"memory_mb": 127}, "memory_mb must be a whole number of MB from 128 to 10240"),
        ({"memory_mb": 10_241}, "from 128 to 10240"),
        ({"memory_mb": 512.5}, "whole number of MB"),
        ({"ephemeral_storage_mb": 511}, "ephemeral_storage_mb must be a whole number of MB"),
        ({"ephemeral_storage_mb": 10_241}, "from 512 to 10240"),
        ({"architecture": "arm"}, "architecture must be 'x86_64' or 'arm64', got 'arm'"),
        ({"region": "eu-west-3"}, "region must be one of us-east-1"),
        ({"provisioned_concurrency": -1}, "provisioned_concurrency must be 0 or more"),
        ({"provisioned_hours": -1}, "provisioned_hours must be 0 or more"),
        (
            {"provisioned_concurrency": 1, "provisioned_requests": 2000},
            "provisioned_requests must be from 0 to 1,000",
        ),
        ({"provisioned_requests": 10}, "provisioned_requests needs provisioned_concurrency"),
        ({"cold_starts": 1001}, "cold_starts must be from 0 to 1,000 (one per request at most)"),
        ({"init_ms": -1}, "init_ms must be from 0"),
        ({"snapstart": True, "snapstart_cache_hours": -1}, "snapstart_cache_hours must be 0 or"),
    ],
)
def test_bad_input_says_what_is_allowed(arguments, message):
    base = {"requests": 1000, "duration_ms": 100, "memory_mb": 128}
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        monthly_cost(**{**base, **arguments})


def test_bad_input_to_the_other_functions():
    with pytest.raises(ValueError, match="architecture must be"):
        bill_from_reports([COLD], architecture="ARM64")
    with pytest.raises(ValueError, match="region must be one of"):
        bill_from_reports([COLD], region="mars-1")
    with pytest.raises(ValueError, match="monthly_requests must be 0 or more"):
        bill_from_reports([COLD], monthly_requests=-1)
    with pytest.raises(ValueError, match="ephemeral_storage_mb must be"):
        bill_from_reports([COLD], ephemeral_storage_mb=100)
    with pytest.raises(ValueError, match="no invocations to bill"):
        bill_from_reports(report_frame([COLD]).iloc[0:0])
    with pytest.raises(ValueError, match="server_hourly_price must be 0 or more"):
        break_even_requests(-0.01, 100, 128)
    with pytest.raises(ValueError, match="memory_mb must be"):
        pricing.cost_vs_memory([64], 1000, 100)


# --- the data ---------------------------------------------------------------------------------


def test_every_price_and_rule_has_a_source_and_a_date():
    raw = json.loads((Path(pricing.__file__).parent.parent / "data" / "prices.json").read_text())
    figures = list(raw["rules"].values())
    for region in raw["regions"].values():
        for figure in region.values():
            figures += figure.get("tiers", [figure])
    assert len(figures) > 20
    for figure in figures:
        assert figure["source"].startswith("https://"), figure
        assert figure["as_of"] == "2026-11-23", figure
        assert "value" in figure, figure
    assert pricing.rule("free_tier_requests") == 1_000_000
    assert pricing.rule("free_tier_gb_seconds") == 400_000
    assert pricing.price("requests_per_million") == D("0.20")
    assert PRICING_PAGE in {figure["source"] for figure in figures}
