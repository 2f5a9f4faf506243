"""The cold-start simulation against closed forms, its two engines against each other, and the
CPU-versus-memory model."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import coldstart as cs
from helpers.coldstart import arrivals as arrival_times
from helpers.coldstart import durations as drawn
from helpers.coldstart import figures, vectorised
from helpers.coldstart.vectorised import run_vectorised


def _both(arrivals, duration, **settings):
    """The same run through both engines."""
    events = cs.simulate(arrivals, duration, engine="events", **settings)
    vectorised = cs.simulate(arrivals, duration, engine="vectorised", **settings)
    return events, vectorised


# -- the engines agree ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_engines_agree_on_small_random_runs(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    arrivals = np.sort(rng.uniform(0, rng.uniform(1, 60), n))
    if seed % 3 == 0:
        arrivals = np.round(arrivals, 1)  # simultaneous arrivals, and ends landing on arrivals
    duration = rng.uniform(0.01, 2, n) if seed % 2 else 0.5
    init = rng.uniform(0, 2, n) if seed % 4 == 0 else float(rng.uniform(0, 1.5))
    keep_alive = [0.0, 0.5, 1.0, float(rng.uniform(0.1, 5))][seed % 4]
    events, vectorised = _both(arrivals, duration, init_s=init, keep_alive_s=keep_alive, seed=seed)
    assert events.summary == vectorised.summary
    # A vectorised run names environments on demand only.
    assert "env" not in vectorised.invocations
    pd.testing.assert_frame_equal(events.invocations.drop(columns="env"), vectorised.invocations)
    assert np.array_equal(events.environments(), vectorised.environments())
    assert np.array_equal(events.invocations.env, events.environments())


@pytest.mark.parametrize(
    "arrivals",
    [
        cs.burst_arrivals(1, 200, every_s=300, burst_s=20, duration_s=4000, seed=2),
        cs.daily_arrivals(mean_rate=0.5, seed=3),
    ],
    ids=["bursts", "daily"],
)
def test_engines_agree_at_scale(arrivals):
    events, vectorised = _both(arrivals, cs.Lognormal(0.3, 0.5), init_s=1.0, keep_alive_s=120)
    assert events.summary == vectorised.summary
    assert events.summary["cold_starts"] > 10
    auto = cs.simulate(arrivals, cs.Lognormal(0.3, 0.5), init_s=1.0, keep_alive_s=120)
    assert auto.summary == events.summary


def test_a_storm_of_cold_starts():
    # 20,000 requests in one second, each held by a 10 s INIT: every one is cold, and each
    # cold start raises the level of all the requests after it.
    n = 20_000
    arrivals = np.sort(np.random.default_rng(0).uniform(0, 1, n))
    events = cs.simulate(arrivals, 1e-6, init_s=10.0, engine="events")
    storm = run_vectorised(arrivals, np.full(n, 1e-6), np.full(n, 10.0), 600, 0, None, None)
    assert storm is not None
    assert storm.cold.all() and events.summary["cold_starts"] == n
    assert np.array_equal(storm.concurrency, np.arange(1, n + 1))
    assert events.summary["peak_concurrency"] == n
    # In "auto" the engine gives up on such a storm and hands it to the event loop.
    assert cs.simulate(arrivals, 1e-6, init_s=10.0).engine == "events"


@pytest.mark.parametrize("threads", [1, 4])
def test_engines_agree_across_chunks_and_threads(monkeypatch, threads):
    # 60,000 requests: several chunks, and parts on separate threads whose requests are still
    # busy in the next part, some for long (a heavy tail), some past the end of the run.
    monkeypatch.setattr(vectorised, "workers", lambda: threads)
    rng = np.random.default_rng(5)
    arrivals = cs.burst_arrivals(20, 400, every_s=120, burst_s=5, duration_s=1800, seed=5)
    durations = rng.lognormal(np.log(0.2), 1.5, arrivals.size)
    durations[rng.integers(0, arrivals.size, 20)] = 900.0  # Lambda's longest timeout
    settings = {"init_s": cs.Lognormal(0.5, 0.5), "keep_alive_s": 60.0, "seed": 5}
    events, fast = _both(arrivals, durations, **settings)
    assert arrivals.size > 3 * vectorised.CHUNK
    assert events.summary == fast.summary
    assert events.summary["cold_starts"] > 100
    pd.testing.assert_frame_equal(events.invocations.drop(columns="env"), fast.invocations)


def test_vectorised_engine_refuses_what_it_cannot_model():
    arrivals = cs.poisson_arrivals(50, 60, seed=1)
    with pytest.raises(ValueError, match="vectorised"):
        cs.simulate(arrivals, 0.5, provisioned=2, engine="vectorised")
    with pytest.raises(ValueError, match="mru"):
        cs.simulate(arrivals, 0.5, reuse="lru", engine="vectorised")
    auto = cs.simulate(arrivals, 0.5, provisioned=2)
    assert auto.engine == "events"


# -- closed forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize("rate_times_keep_alive", [0.5, 1.0, 2.0, 3.0])
def test_cold_fraction_is_exp_minus_rate_times_keep_alive_for_short_requests(
    rate_times_keep_alive,
):
    # Requests far shorter than the gaps: one environment, cold iff the gap is >= keep-alive.
    rate, n = 1 / 60, 100_000
    keep_alive = rate_times_keep_alive / rate
    arrivals = cs.poisson_arrivals(rate, n / rate, seed=11)
    run = cs.simulate(arrivals, 1e-3, init_s=1e-3, keep_alive_s=keep_alive)
    expected = math.exp(-rate_times_keep_alive)
    sigma = math.sqrt(expected * (1 - expected) / arrivals.size)
    assert run.summary["cold_start_fraction"] == pytest.approx(expected, abs=5 * sigma)
    assert run.summary["environments_created"] == run.summary["cold_starts"]


@pytest.mark.parametrize(
    "duration",
    [30.0, cs.Lognormal(20.0, 0.8)],
    ids=["fixed", "lognormal"],
)
def test_cold_fraction_with_long_requests(duration):
    # A request that finds no environment busy is cold iff the idle stretch before it (an
    # exponential gap, memoryless) lasted >= keep-alive: exactly e^(-rate*keep_alive), whatever
    # the durations. Overall, with d + init the longest a request occupies its environment:
    #   gap >= T + d + init  implies cold;  cold implies gap >= T or gap < d + init.
    rate, keep_alive, init, n = 1 / 60, 60.0, 10.0, 100_000
    arrivals = cs.poisson_arrivals(rate, n / rate, seed=7)
    run = cs.simulate(arrivals, duration, init_s=init, keep_alive_s=keep_alive)
    rows = run.invocations
    empty = rows[rows.concurrency == 1]  # found no other request in flight
    expected = math.exp(-rate * keep_alive)
    sigma = math.sqrt(expected * (1 - expected) / len(empty))
    assert len(empty) > 0.4 * n
    assert empty.cold.mean() == pytest.approx(expected, abs=5 * sigma)
    if isinstance(duration, float):
        p = run.summary["cold_start_fraction"]
        slack = 5 * math.sqrt(0.25 / n)
        assert p >= math.exp(-rate * (keep_alive + duration + init)) - slack
        assert p <= math.exp(-rate * keep_alive) + 1 - math.exp(-rate * (duration + init)) + slack


def test_littles_law_and_arrivals_see_time_averages():
    rate, hours = 20.0, 1.0
    arrivals = cs.poisson_arrivals(rate, hours * 3600, seed=5)
    run = cs.simulate(arrivals, cs.Lognormal(0.2, 0.5), init_s=0.5, keep_alive_s=30, seed=5)
    s, rows = run.summary, run.invocations
    # Little: mean concurrency = arrival rate x mean time in the system (INIT included).
    assert s["mean_concurrency"] == pytest.approx(rate * s["mean_latency_ms"] / 1000, rel=0.02)
    # The same mean, measured independently: concurrency sampled at random instants.
    instants = np.random.default_rng(0).uniform(*run.window_s, 200_000)
    begun = np.searchsorted(np.sort(rows.arrival.to_numpy()), instants, side="right")
    ended = np.searchsorted(np.sort(rows.end.to_numpy()), instants, side="right")
    assert (begun - ended).mean() == pytest.approx(s["mean_concurrency"], rel=0.02)
    # PASTA: Poisson arrivals see the time average (the column counts the arrival itself).
    assert (rows.concurrency - 1).mean() == pytest.approx(s["mean_concurrency"], rel=0.03)
    assert s["peak_concurrency"] == rows.concurrency.max()


def test_provisioned_at_the_peak_removes_every_cold_start():
    arrivals = cs.burst_arrivals(0.5, 40, every_s=900, burst_s=30, duration_s=3 * 3600, seed=3)
    on_demand = cs.simulate(arrivals, cs.Lognormal(0.5, 0.4), init_s=1.2, memory_mb=512)
    peak = on_demand.summary["peak_concurrency"]
    assert on_demand.summary["cold_starts"] > 0
    covered = cs.simulate(
        arrivals, cs.Lognormal(0.5, 0.4), init_s=1.2, memory_mb=512, provisioned=peak
    )
    s = covered.summary
    assert s["cold_starts"] == 0
    assert covered.invocations.provisioned.all()
    assert s["on_demand_gb_s"] == 0
    assert s["provisioned_concurrency_gb_s"] == pytest.approx(peak * 0.5 * s["window_s"])
    assert s["environments_created"] == peak
    # Fewer than the bursts need: the provisioned ones are never cold, the spill-over can be.
    few = cs.simulate(
        arrivals, cs.Lognormal(0.5, 0.4), init_s=1.2, memory_mb=512, provisioned=3
    ).invocations
    assert not few.cold[few.provisioned].any()
    assert few.cold.any()
    assert set(few.env[few.provisioned]) == {0, 1, 2}
    assert (few.env[~few.provisioned] >= 3).all()


def test_same_seed_same_run():
    def run(seed):
        arrivals = cs.daily_arrivals(mean_rate=0.2, seed=seed)
        return cs.simulate(arrivals, cs.Lognormal(0.2), init_s=cs.Lognormal(0.4), seed=seed)

    first, again, other = run(1), run(1), run(2)
    assert first.summary == again.summary
    pd.testing.assert_frame_equal(first.invocations, again.invocations)
    assert not first.invocations.arrival.equals(other.invocations.arrival)
    assert np.array_equal(cs.poisson_arrivals(3, 100, seed=4), cs.poisson_arrivals(3, 100, seed=4))


# -- behaviour ------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["events", "vectorised"])
def test_keep_alive_boundary(engine):
    # Freed at 0.5 s; an environment idle for exactly keep_alive_s is gone.
    warm = cs.simulate([0.0, 600.25], 0.5, init_s=0.0, keep_alive_s=600, engine=engine)
    gone = cs.simulate([0.0, 600.5], 0.5, init_s=0.0, keep_alive_s=600, engine=engine)
    assert warm.invocations.cold.tolist() == [True, False]
    assert gone.invocations.cold.tolist() == [True, True]


def test_reuse_policies_differ_in_which_environment_survives():
    # Two overlapping requests create environments 0 and 1 (0 runs longer, so it is freed
    # last); then one request every 100 s for 1,000 s; then two overlapping requests again.
    # Keep-alive 300 s.
    arrivals = [0.0, 0.1, *range(100, 1100, 100), 1100.0, 1100.1]
    durations = [2.0] + [1.0] * (len(arrivals) - 1)
    cold = {}
    for reuse in ("mru", "newest", "lru"):
        run = cs.simulate(arrivals, durations, init_s=0.5, keep_alive_s=300, reuse=reuse)
        rows = run.invocations
        cold[reuse] = rows.cold.tolist()
        if reuse == "newest":
            assert set(rows.env[2:12]) == {1}  # the newest environment takes the lone requests
        if reuse == "mru":
            assert set(rows.env[2:12]) == {0}  # the one freed last
    # mru and newest keep one environment busy and let the other expire: the final pair needs a
    # new one. lru alternates between the two and keeps both alive.
    assert cold["mru"].count(True) == cold["newest"].count(True) == 3
    assert cold["lru"].count(True) == 2


def test_a_concurrency_limit_throttles():
    arrivals = cs.burst_arrivals(1, 100, every_s=60, burst_s=5, duration_s=600, seed=9)
    run = cs.simulate(arrivals, 0.5, init_s=0.5, max_concurrency=10)
    rows, s = run.invocations, run.summary
    assert s["throttled"] > 0
    assert s["throttled"] + s["requests_billed"] == s["invocations"] == len(rows)
    assert rows.concurrency.max() == s["peak_concurrency"] == 10
    throttled = rows[rows.throttled]
    assert (throttled.env == -1).all() and throttled.end.isna().all()
    assert not throttled.cold.any()


def test_billing_in_one_millisecond_steps():
    # One cold start (INIT 250 ms + 100.1 ms), one warm (100.1 ms), 1,024 MB = 1 GB.
    settings = {"init_s": 0.25, "memory_mb": 1024}
    billed = cs.simulate([0.0, 10.0], 0.1001, **settings).summary
    assert billed["on_demand_gb_s"] == pytest.approx((351 + 101) / 1000)
    before_2025 = cs.simulate([0.0, 10.0], 0.1001, bill_init=False, **settings).summary
    assert before_2025["on_demand_gb_s"] == pytest.approx((101 + 101) / 1000)
    exact = cs.simulate([0.0, 10.0], 0.1, init_s=0.0, memory_mb=1024).summary
    assert exact["on_demand_gb_s"] == pytest.approx(0.2)  # not 0.202: 100 ms is 100 ms
    assert billed["requests_billed"] == 2 and billed["provisioned_duration_gb_s"] == 0


def test_unsorted_timestamps_keep_their_durations():
    run = cs.simulate([5.0, 1.0, 3.0], [0.5, 0.1, 0.3], init_s=0.0)
    rows = run.invocations
    assert rows.arrival.tolist() == [1.0, 3.0, 5.0]
    assert (rows.end - rows.start).round(9).tolist() == [0.1, 0.3, 0.5]


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="positive"):
        cs.simulate([0.0, 1.0], 0.0)
    with pytest.raises(ValueError, match="arrivals"):
        cs.simulate([], 0.1)
    with pytest.raises(ValueError, match="max_concurrency"):
        cs.simulate([0.0], 0.1, provisioned=5, max_concurrency=2)
    with pytest.raises(ValueError, match="values"):
        cs.simulate([0.0, 1.0], [0.1])


# -- arrivals -------------------------------------------------------------------------------------


def test_poisson_arrivals():
    arrivals = cs.poisson_arrivals(50, 3600, seed=1)
    assert np.all(np.diff(arrivals) >= 0)
    assert arrivals[0] >= 0 and arrivals[-1] < 3600
    assert arrivals.size == pytest.approx(50 * 3600, abs=5 * math.sqrt(50 * 3600))


def test_burst_arrivals_follow_their_rates():
    arrivals = cs.burst_arrivals(2, 100, every_s=60, burst_s=10, duration_s=6000, seed=2)
    in_burst = (arrivals % 60) < 10
    assert in_burst.sum() == pytest.approx(100 * 10 * 100, rel=0.02)
    assert (~in_burst).sum() == pytest.approx(2 * 50 * 100, rel=0.05)
    assert cs.burst_arrivals(0, 50, 60, 10, 600, seed=2).__mod__(60).max() < 10  # silence between


def test_daily_arrivals():
    hourly = np.zeros(24)
    hourly[9:17] = 5.0  # office hours only
    arrivals = cs.daily_arrivals(hourly, days=2, seed=3)
    hours = (arrivals // 3600).astype(int) % 24
    assert set(hours) == set(range(9, 17))
    assert arrivals.size == pytest.approx(2 * 8 * 3600 * 5, rel=0.02)
    wave = cs.daily_arrivals(mean_rate=10, swing=0.9, peak_hour=14, seed=4)
    per_hour = np.bincount((wave // 3600).astype(int), minlength=24)
    assert per_hour.argmax() in (13, 14) and per_hour.argmin() in (1, 2)
    assert wave.size == pytest.approx(10 * 86400, rel=0.01)


def test_rate_arrivals_with_a_silent_step():
    arrivals = cs.rate_arrivals([10, 0, 10], step_s=100, seed=5)
    assert not ((arrivals >= 100) & (arrivals < 200)).any()
    assert arrivals.size == pytest.approx(2000, abs=5 * math.sqrt(2000))


def test_long_runs_are_drawn_in_pieces_the_same_on_any_number_of_threads(monkeypatch):
    # 1.5 M arrivals: two pieces of the unit process; 1.5 M lognormals: many chunks.
    rate, seconds = 100.0, 15_000.0
    one = cs.poisson_arrivals(rate, seconds, seed=3)
    run = cs.simulate(one, cs.Lognormal(0.1, 0.5), init_s=0.3, keep_alive_s=60, seed=3)
    for module in (arrival_times, drawn):
        monkeypatch.setattr(module, "parallel_map", lambda work, items: [work(i) for i in items])
    again = cs.poisson_arrivals(rate, seconds, seed=3)
    assert np.array_equal(one, again)
    assert (
        cs.simulate(one, cs.Lognormal(0.1, 0.5), init_s=0.3, keep_alive_s=60, seed=3).summary
        == run.summary
    )
    assert one.size > arrival_times.PIECE
    assert one.size == pytest.approx(rate * seconds, abs=5 * math.sqrt(rate * seconds))
    assert np.all(np.diff(one) > 0) and one[0] >= 0 and one[-1] < seconds
    # No seam where the pieces meet: the gaps there are like any other.
    gaps = np.diff(one)
    assert gaps.mean() == pytest.approx(1 / rate, rel=0.01)
    seam = np.searchsorted(one, arrival_times.PIECE / rate)
    assert gaps[seam - 50 : seam + 50].max() < 20 / rate
    # The lognormal durations have the median and tail they were asked for.
    latency = run.invocations.end - run.invocations.start
    assert latency.median() == pytest.approx(0.1, rel=0.01)
    assert latency.quantile(0.99) == pytest.approx(0.1 * math.exp(2.326 * 0.5), rel=0.02)


def test_percentiles_of_millions_match_numpy():
    rng = np.random.default_rng(8)
    arrivals = np.sort(rng.uniform(0, 1e5, 300_000))
    durations = rng.lognormal(-2.0, 0.7, arrivals.size)
    end = arrivals + durations
    found = figures.figures(arrivals, end, durations)
    p50, p99 = np.percentile(end - arrivals, [50, 99])
    assert found.p50_s == pytest.approx(p50, rel=1e-12)
    assert found.p99_s == pytest.approx(p99, rel=1e-12)
    assert found.latency_s == pytest.approx((end - arrivals).sum(), rel=1e-12)
    assert found.billed_ms == figures.billed_ms(durations).sum()


def test_simulation_speed_is_reported():
    assert cs.simulation_speed(hours=0.05, rate_per_s=50) > 10_000


# -- CPU versus memory ----------------------------------------------------------------------------


def test_vcpus_follow_memory():
    assert cs.vcpus(1769) == 1.0
    assert cs.vcpus(10240) == pytest.approx(5.79, abs=0.01)
    assert cs.vcpus(128) == pytest.approx(128 / 1769)
    for wrong in (127, 10241):
        with pytest.raises(ValueError, match="memory_mb"):
            cs.vcpus(wrong)


def test_single_threaded_work_stops_speeding_up_at_one_vcpu():
    assert cs.duration_at(1769, 1000, 1769) == 1000
    assert cs.duration_at(884.5, 1000, 1769) == pytest.approx(2000)  # half the memory, twice
    assert cs.duration_at(128, 100, 256) == pytest.approx(200)
    assert cs.duration_at(3538, 1000, 1769) == pytest.approx(1000)  # a 2nd vCPU is no help
    assert cs.duration_at(1769, 1000, 10240) == pytest.approx(1000)


def test_parallel_work_follows_amdahl():
    assert cs.duration_at(3538, 1000, 1769, parallel_fraction=1.0) == pytest.approx(500)
    share = 10240 / 1769
    assert cs.duration_at(10240, 1000, 1769, parallel_fraction=0.5) == pytest.approx(
        1000 * (0.5 + 0.5 / share)
    )
    # Below one vCPU, everything slows alike whatever the parallel fraction.
    assert cs.duration_at(442.25, 1000, 1769, parallel_fraction=0.7) == pytest.approx(4000)
    with pytest.raises(ValueError, match="parallel_fraction"):
        cs.duration_at(1024, 100, 1024, parallel_fraction=1.5)


def test_memory_sweep():
    table = cs.memory_sweep(800, 1024, parallel_fraction=0.3)
    assert list(table.columns) == ["memory_mb", "vcpus", "duration_ms", "billed_ms", "gb_s"]
    assert table.duration_ms.is_monotonic_decreasing
    row = table.set_index("memory_mb").loc[1024]
    assert row.duration_ms == pytest.approx(800) and row.gb_s == pytest.approx(0.8)
