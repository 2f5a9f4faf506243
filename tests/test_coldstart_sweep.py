"""The cold-fraction sweep: simulated fractions against e^(-rate x keep-alive), and its inputs."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from helpers import coldstart as cs


def test_one_row_per_pair_with_the_same_requests_for_every_keep_alive():
    table = cs.cold_fraction_sweep([0.05, 0.5], [10, 60, 300], hours=0.5, seed=3)
    assert list(table.columns) == [
        "rate_per_s",
        "keep_alive_s",
        "invocations",
        "cold_starts",
        "cold_start_fraction",
        "predicted",
    ]
    assert len(table) == 6
    assert sorted(set(zip(table.rate_per_s, table.keep_alive_s, strict=True))) == [
        (r, k) for r in (0.05, 0.5) for k in (10.0, 60.0, 300.0)
    ]
    for rate, rows in table.groupby("rate_per_s"):
        assert rows.invocations.nunique() == 1  # the same measured requests
        expected = rate * 0.5 * 3600
        assert rows.invocations.iloc[0] == pytest.approx(expected, abs=5 * math.sqrt(expected))
        # A longer keep-alive never makes more cold starts under "mru" reuse.
        assert rows.sort_values("keep_alive_s").cold_starts.is_monotonic_decreasing
    assert (table.cold_start_fraction == table.cold_starts / table.invocations).all()
    assert table.predicted.tolist() == pytest.approx(
        np.exp(-table.rate_per_s * table.keep_alive_s).tolist()
    )


@pytest.mark.parametrize("rate_times_keep_alive", [0.5, 1.0, 2.0])
def test_short_requests_match_the_closed_form(rate_times_keep_alive):
    keep_alive = 60.0
    rate = rate_times_keep_alive / keep_alive
    table = cs.cold_fraction_sweep(
        [rate], [keep_alive], duration_s=1e-3, init_s=1e-3, hours=1000, seed=1
    )
    row = table.iloc[0]
    expected = math.exp(-rate_times_keep_alive)
    sigma = math.sqrt(expected * (1 - expected) / row.invocations)
    assert row.invocations > 20_000
    assert row.cold_start_fraction == pytest.approx(expected, abs=5 * sigma)
    assert row.predicted == pytest.approx(expected)


def test_the_warm_up_keeps_the_start_of_a_run_out_of_the_count():
    # One request per keep-alive on average, 15 minutes at a time. Counted from an empty start,
    # a request in the first keep-alive is cold unless another came since the start, so the
    # fraction would be (1/H) x integral of e^(-rate x min(t, T)) dt = 0.54; steady traffic
    # gives e^-1 = 0.37.
    rate, keep_alive, hours = 1 / 600, 600, 0.25
    cold = total = 0
    for seed in range(800):
        row = cs.cold_fraction_sweep([rate], [keep_alive], hours=hours, seed=seed).iloc[0]
        cold, total = cold + row.cold_starts, total + row.invocations
    expected = math.exp(-1)
    sigma = math.sqrt(expected * (1 - expected) / total)
    h = hours * 3600
    from_empty = ((1 - expected) / rate + (h - keep_alive) * expected) / h
    assert total > 1000 and from_empty - expected > 10 * sigma  # the test can tell them apart
    assert cold / total == pytest.approx(expected, abs=5 * sigma)


def test_a_request_never_changes_the_fate_of_earlier_ones():
    # What the sweep relies on to count the warm-up's cold starts from the warm-up alone.
    arrivals = cs.burst_arrivals(0.2, 30, every_s=200, burst_s=10, duration_s=1200, seed=4)
    durations = np.random.default_rng(4).lognormal(np.log(0.4), 0.6, arrivals.size)
    full = cs.simulate(arrivals, durations, init_s=0.8, keep_alive_s=45).invocations
    for k in (1, 10, arrivals.size // 3, arrivals.size - 1):
        part = cs.simulate(arrivals[:k], durations[:k], init_s=0.8, keep_alive_s=45)
        assert part.summary["cold_starts"] == full.cold[:k].sum()


def test_overlapping_requests_add_cold_starts_the_formula_leaves_out():
    table = cs.cold_fraction_sweep([1.0], [60], duration_s=cs.Lognormal(0.3), init_s=1.0, hours=4)
    row = table.iloc[0]
    assert row.predicted < 1e-20
    assert 0 < row.cold_start_fraction < 0.01


def test_same_seed_same_table_and_a_lognormal_is_drawn_reproducibly():
    kwargs = {"duration_s": cs.Lognormal(0.2, 0.8), "init_s": cs.Lognormal(0.5), "hours": 2}
    first = cs.cold_fraction_sweep([0.02, 2], [30, 120], seed=5, **kwargs)
    again = cs.cold_fraction_sweep([0.02, 2], [30, 120], seed=5, **kwargs)
    other = cs.cold_fraction_sweep([0.02, 2], [30, 120], seed=6, **kwargs)
    assert first.equals(again)
    assert not first.invocations.equals(other.invocations)


def test_no_traffic_gives_a_nan_fraction():
    table = cs.cold_fraction_sweep([0.0, 1e-9], [600], hours=1)
    assert table.invocations.tolist() == [0, 0]
    assert table.cold_starts.tolist() == [0, 0]
    assert table.cold_start_fraction.isna().all()


@pytest.mark.parametrize(
    ("rates", "keep_alives", "hours", "match"),
    [
        ([], [60], 1, "rates_per_s needs at least one"),
        ([-1], [60], 1, "rates_per_s must be finite"),
        ([1], [float("nan")], 1, "keep_alives_s must be finite"),
        ([1], ["soon"], 1, "keep_alives_s must be numbers"),
        ([1], [60], 0, "hours must be above 0"),
    ],
)
def test_bad_inputs_are_refused(rates, keep_alives, hours, match):
    with pytest.raises(ValueError, match=match):
        cs.cold_fraction_sweep(rates, keep_alives, hours=hours)


def test_a_notebook_sized_sweep_is_fast():
    rates = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]
    began = time.perf_counter()
    table = cs.cold_fraction_sweep(rates, [60, 600, 1800], hours=24)
    took = time.perf_counter() - began
    assert len(table) == 30 and table.invocations.sum() > 10 * 86400
    assert took < 10, f"a 10 x 3 sweep of a day each took {took:.1f} s"
