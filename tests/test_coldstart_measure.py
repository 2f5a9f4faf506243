"""Measuring cold and warm starts from real invocations of the kit's runtime."""

from __future__ import annotations

import math

import pytest

from helpers.coldstart.measure import after_gaps, cold_vs_warm, compare, parse_report

SLOW_INIT = """
import time
time.sleep(0.2)  # module-level work: paid once per execution environment, in Init
def handler(event, context):
    return "ok"
"""
FAST_INIT = "def handler(event, context):\n    return 'ok'\n"


def test_parse_report_reads_every_field_of_a_cold_and_a_warm_line():
    cold = parse_report(
        "REPORT RequestId: 3f1e\tDuration: 2.75 ms\tBilled Duration: 116 ms\tMemory Size: 128 MB"
        "\tMax Memory Used: 56 MB\tInit Duration: 113.51 ms\t"
    )
    assert cold == {
        "request_id": "3f1e",
        "duration_ms": 2.75,
        "billed_ms": 116,
        "memory_mb": 128,
        "max_memory_mb": 56,
        "init_ms": 113.51,
        "cold": True,
    }
    warm = parse_report(
        "REPORT RequestId: 9a\tDuration: 1.02 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB"
        "\tMax Memory Used: 60 MB\t"
    )
    assert warm["cold"] is False and math.isnan(warm["init_ms"]) and warm["billed_ms"] == 2
    assert parse_report("START RequestId: 9a Version: $LATEST") is None


def test_cold_vs_warm_measures_init_once_per_environment(deploy):
    deploy("slow-init", SLOW_INIT)
    frame = cold_vs_warm("slow-init", cold=2, warm=2)
    assert list(frame["kind"]) == ["cold", "warm", "warm"] * 2
    colds = frame[frame["kind"] == "cold"]
    warms = frame[frame["kind"] == "warm"]
    assert (colds["init_ms"] >= 200).all()  # the module-level sleep is in Init
    assert warms["init_ms"].isna().all()
    assert (colds["billed_ms"] > colds["duration_ms"] + 199).all()  # Init is billed (Aug 2025)
    assert (frame["round_trip_ms"] >= frame["duration_ms"]).all()


def test_heavy_module_level_work_shows_in_init_time(deploy):
    deploy("slow-init", SLOW_INIT)
    deploy("fast-init", FAST_INIT)
    frame = compare(["fast-init", "slow-init"], cold=2)
    medians = frame.groupby("function")["init_ms"].median()
    assert medians["slow-init"] > medians["fast-init"] + 150


def test_bad_counts_are_refused(deploy):
    with pytest.raises(ValueError, match="cold must be at least 1"):
        cold_vs_warm("anything", cold=0)


def test_gaps_longer_than_the_idle_timeout_end_in_a_cold_start(deploy, fresh):
    deploy("gappy", FAST_INIT)
    fresh.configure(idle_timeout=300)
    frame = after_gaps("gappy", [10, 299, 301, 60, 3600])
    assert list(frame["gap_s"].iloc[1:]) == [10, 299, 301, 60, 3600]
    # The first invoke is cold; then only the gaps past the idle timeout are.
    assert list(frame["kind"]) == ["cold", "warm", "warm", "cold", "warm", "cold"]
    assert frame.loc[frame["kind"] == "cold", "init_ms"].notna().all()
    with pytest.raises(ValueError, match="negative"):
        after_gaps("gappy", [-1])
