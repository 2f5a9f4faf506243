"""Power tuning against the kit's runtime: real invokes at each memory size, priced and marked."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from helpers.coldstart.cpu import duration_at
from helpers.coldstart.measure import is_local
from helpers.coldstart.tuning import best, power_tune
from helpers.pricing import PRICES, price

# About 20-30 ms of pure CPU on a laptop core.
CPU_BOUND = """
def handler(event, context):
    total = 0
    for i in range(300_000):
        total += i * i
    return total
"""
# Touches ~150 MB: more than 128 MB, well within 512 MB.
MEMORY_HUNGRY = """
def handler(event, context):
    block = b"x" * (150 * 1024 * 1024)
    return len(block)
"""
SLEEPER = """
import time
def handler(event, context):
    time.sleep(0.1)
    return "ok"
"""


def compute_price_per_gb_s() -> float:
    """us-east-1 x86_64's first duration tier, straight from prices.json."""
    return float(PRICES["regions"]["us-east-1"]["duration_x86_64"]["tiers"][0]["value"])


def test_modelled_duration_falls_to_one_vcpu_then_stays_flat(deploy, lam):
    deploy("crunch", CPU_BOUND, MemorySize=256)
    sizes = (128, 512, 1769, 3008)
    frame = power_tune("crunch", memory_sizes=sizes)  # cpu="auto": the kit → model

    assert list(frame["memory_mb"]) == list(sizes)
    assert (frame["errors"] == 0).all()
    assert frame["vcpus"].tolist() == pytest.approx([m / 1769 for m in sizes])
    # One pooled measurement, scaled to AWS's CPU share: slower below one vCPU, same above.
    one_vcpu = frame.attrs["one_vcpu_ms"]
    assert min(frame["measured_ms"]) <= one_vcpu <= max(frame["measured_ms"])
    scale = [1769 / 128, 1769 / 512, 1.0, 1.0]
    assert (frame["duration_ms"] / one_vcpu).tolist() == pytest.approx(scale)
    by_size = frame.set_index("memory_mb")
    assert by_size.loc[128, "duration_ms"] > by_size.loc[512, "duration_ms"]
    assert by_size.loc[512, "duration_ms"] > by_size.loc[1769, "duration_ms"]
    assert (frame["billed_ms"] == frame["duration_ms"].apply(math.ceil)).all()

    # A million invokes: the request price plus GB-s at the first tier, no free tier.
    requests_usd = float(price("requests_per_million"))
    gb_s = frame["billed_ms"] / 1000 * frame["memory_mb"] / 1024 * 1_000_000
    expected = requests_usd + gb_s * compute_price_per_gb_s()
    assert frame["cost_per_million_usd"].tolist() == pytest.approx(expected.tolist())
    # CPU-bound code costs the same at any size below one vCPU (twice the memory, half the
    # time), and more above it (memory that buys no speed): the shape.
    compute_usd = by_size["cost_per_million_usd"] - requests_usd
    rounding = 1 / frame["duration_ms"].min()  # billed ms round up: under 1 ms in the shortest
    below = compute_usd.loc[[128, 512]] / compute_usd.loc[1769]
    assert below.tolist() == pytest.approx([1.0, 1.0], rel=rounding)
    above = compute_usd.loc[3008] / compute_usd.loc[1769]
    assert above == pytest.approx(3008 / 1769, rel=rounding)

    assert frame["cheapest"].sum() == 1 and frame["fastest"].sum() == 1
    cheapest = frame.loc[frame["cheapest"]].iloc[0]
    fastest = frame.loc[frame["fastest"]].iloc[0]
    assert cheapest["cost_per_million_usd"] == frame["cost_per_million_usd"].min()
    assert fastest["duration_ms"] == frame["duration_ms"].min()
    assert fastest["memory_mb"] == 1769  # as fast as 3008 MB for serial work, and smaller
    assert best(frame, weight=1)["memory_mb"] == cheapest["memory_mb"]
    assert best(frame, weight=0)["memory_mb"] == fastest["memory_mb"]

    assert lam.get_function_configuration(FunctionName="crunch")["MemorySize"] == 256


def test_a_size_that_runs_out_of_memory_is_shown_failing_and_never_picked(deploy, lam):
    deploy("hungry", MEMORY_HUNGRY)
    frame = power_tune("hungry", memory_sizes=(512, 128), invocations=1, lam=lam)

    small, large = frame.iloc[0], frame.iloc[1]  # sorted: 128 MB first
    assert small["memory_mb"] == 128 and small["errors"] == 1
    assert math.isnan(small["duration_ms"]) and math.isnan(small["cost_per_million_usd"])
    assert not small["cheapest"] and not small["fastest"]
    assert large["memory_mb"] == 512 and large["errors"] == 0 and large["max_memory_mb"] >= 150
    assert large["cheapest"] and large["fastest"]
    assert lam.get_function_configuration(FunctionName="hungry")["MemorySize"] == 128


def test_measured_mode_keeps_report_durations_and_the_model_respects_the_timeout(deploy, lam):
    deploy("sleepy", SLEEPER, Timeout=1)
    sizes = (128, 1769)
    measured = power_tune("sleepy", memory_sizes=sizes, invocations=2, cpu="measured", lam=lam)
    assert (measured["duration_ms"] == measured["measured_ms"]).all()
    assert (measured["measured_ms"] >= 100).all() and (measured["errors"] == 0).all()

    # Scaled to 1/13.8 of a vCPU, 100 ms becomes ~1.4 s: AWS would stop it at the 1 s Timeout.
    modelled = power_tune("sleepy", memory_sizes=sizes, invocations=2, cpu="model", lam=lam)
    assert modelled.loc[0, "errors"] == 2 and math.isnan(modelled.loc[0, "duration_ms"])
    assert modelled.loc[1, "errors"] == 0 and modelled.loc[1, "fastest"]


def test_parallel_work_keeps_speeding_up_past_one_vcpu(deploy, lam):
    deploy("sleepy", SLEEPER)
    frame = power_tune(
        "sleepy", memory_sizes=(1769, 3538), invocations=1, cpu="model", parallel_fraction=0.5
    )
    ratios = (frame["duration_ms"] / frame.attrs["one_vcpu_ms"]).tolist()
    assert ratios == pytest.approx([1.0, duration_at(3538, 1.0, 1769, 0.5)])
    assert ratios[1] == pytest.approx(0.75)  # half the work on two vCPUs: 0.5 + 0.5 / 2


class FailingClient:
    """The real client, except that the nth invoke raises, as a dropped connection would."""

    def __init__(self, lam, fail_at: int) -> None:
        self._lam, self._left = lam, fail_at

    def invoke(self, **kwargs):
        self._left -= 1
        if self._left == 0:
            raise ConnectionError("connection dropped")
        return self._lam.invoke(**kwargs)

    def __getattr__(self, name):
        return getattr(self._lam, name)


def test_memory_is_restored_when_tuning_fails_midway(deploy, lam):
    deploy("crunch", CPU_BOUND, MemorySize=640)
    with pytest.raises(ConnectionError):
        power_tune("crunch", memory_sizes=(128, 1024), invocations=1, lam=FailingClient(lam, 3))
    assert lam.get_function_configuration(FunctionName="crunch")["MemorySize"] == 640


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"memory_sizes": ()}, "memory_sizes is empty"),
        ({"memory_sizes": (64, 512)}, "from 128 to 10240"),
        ({"memory_sizes": (512, 10241)}, "from 128 to 10240"),
        ({"memory_sizes": (512.5,)}, "whole number of MB"),
        ({"invocations": 0}, "invocations must be"),
        ({"cpu": "fast"}, "cpu must be one of 'auto', 'model', 'measured'"),
        ({"parallel_fraction": 1.5}, "parallel_fraction must be between 0 and 1"),
        ({"architecture": "arm"}, "architecture must be"),
    ],
)
def test_bad_input_is_refused_before_anything_runs(options, message):
    with pytest.raises(ValueError, match=message):
        power_tune("never-called", **options)


def test_auto_models_the_cpu_only_on_this_machine():
    def client(url: str) -> SimpleNamespace:
        return SimpleNamespace(meta=SimpleNamespace(endpoint_url=url))

    assert is_local(client("http://127.0.0.1:5000"))
    assert is_local(client("http://localhost:5000"))
    assert not is_local(client("https://lambda.us-east-1.amazonaws.com"))


def test_best_balances_cost_and_speed_and_prefers_less_memory_on_a_tie():
    frame = pd.DataFrame(
        {
            "memory_mb": [128, 512, 1024, 2048],
            "errors": [1, 0, 0, 0],
            "duration_ms": [math.nan, 400.0, 200.0, 100.0],
            "cost_per_million_usd": [math.nan, 3.0, 3.0, 6.0],
        }
    )
    assert best(frame, weight=1)["memory_mb"] == 512  # as cheap as 1024: the smaller wins
    assert best(frame, weight=0)["memory_mb"] == 2048
    assert best(frame, weight=0.5)["memory_mb"] == 1024  # scores 2.5, 1.5, 1.5 → 1024
    with pytest.raises(ValueError, match="weight must be between 0 and 1"):
        best(frame, weight=2)
