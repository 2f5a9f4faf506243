"""The plots: what they draw is the model's data, they are labelled and readable, and fast."""

from __future__ import annotations

import subprocess
import sys
import time
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

from helpers import coldstart as cs
from helpers import plots, pricing
from helpers.coldstart.sweep import predicted_cold_fraction
from helpers.pricing.data import money_text


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _legend(ax: Axes) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None, "no legend"
    return [text.get_text() for text in legend.get_texts()]


def _labelled(ax: Axes, x_unit: str | None, y_unit: str) -> None:
    """A title, axis labels with their units, at sizes a projector shows."""
    assert ax.get_title()
    assert ax.title.get_fontsize() >= 11
    if x_unit is not None:
        assert x_unit in ax.get_xlabel()
        assert ax.xaxis.label.get_fontsize() >= 11
    assert y_unit in ax.get_ylabel()
    assert ax.yaxis.label.get_fontsize() >= 11
    assert all(label.get_fontsize() >= 11 for label in ax.get_yticklabels())
    if ax.get_legend() is not None:
        assert all(text.get_fontsize() >= 11 for text in ax.get_legend().get_texts())


def _measured() -> pd.DataFrame:
    """A frame shaped like measure.cold_vs_warm's: a few cold starts, many warm invokes."""
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "run": [0] * 4 + [1] * 4,
            "kind": [
                "cold",
                "warm",
                "warm",
                "warm",
                "cold",
                "warm",
                "warm",
                "warm (expected cold)",
            ],
            "duration_ms": rng.uniform(1.5, 3.0, 8),
            "init_ms": [55.0, np.nan, np.nan, np.nan, 61.0, np.nan, np.nan, np.nan],
        }
    )


def _tuning_frame() -> pd.DataFrame:
    """A frame shaped like tuning.power_tune's: 128 MB failed (NaN cost)."""
    memory = [128, 256, 512, 1024, 1769, 3008]
    duration = [cs.duration_at(m, 30.0, 1769) for m in memory]
    cost = [
        pricing.monthly_cost(10**6, d, m, free_tier=False).by_kind()["total_usd"]
        for m, d in zip(memory, duration, strict=True)
    ]
    cost[0] = np.nan
    frame = pd.DataFrame({"memory_mb": memory, "duration_ms": duration})
    frame["cost_per_million_usd"] = cost
    frame["cheapest"] = frame.cost_per_million_usd == frame.cost_per_million_usd.min()
    frame["fastest"] = frame.index == frame.duration_ms.idxmin()
    return frame


# -- cold starts ---------------------------------------------------------------------------------


def test_cold_warm_histogram_counts_init_plus_duration_for_cold_starts():
    frame = _measured()
    ax = plots.cold_warm_histogram(frame)
    assert isinstance(ax, Axes)
    assert ax.figure.get_size_inches() == pytest.approx([8, 4.5])
    _labelled(ax, "(ms)", "invocations")
    cold_ms = (frame.init_ms + frame.duration_ms)[frame.kind == "cold"]
    warm_ms = frame.duration_ms[frame.kind.str.startswith("warm")]
    cold_bars, warm_bars = ax.containers
    for bars, values in ((cold_bars, cold_ms), (warm_bars, warm_ms)):
        edges = [p.get_x() for p in bars] + [bars[-1].get_x() + bars[-1].get_width()]
        expected, _ = np.histogram(values, bins=edges)
        assert [p.get_height() for p in bars] == expected.tolist()
    medians = {line.get_label(): line.get_xdata()[0] for line in ax.get_lines()}
    assert medians[f"cold median {np.median(cold_ms):.3g} ms"] == pytest.approx(np.median(cold_ms))
    assert medians[f"warm median {np.median(warm_ms):.3g} ms"] == pytest.approx(np.median(warm_ms))
    assert ax.get_xscale() == "log"  # ~60 ms against ~2 ms: both must show
    assert any("n=2" in text for text in _legend(ax)) and any("n=6" in t for t in _legend(ax))


def test_cold_fraction_plots_the_sweep_and_the_closed_form():
    table = cs.cold_fraction_sweep([0.001, 0.01, 0.1, 1], [60, 600], hours=2)
    ax = plots.cold_fraction(table)
    _labelled(ax, "requests per second", "%")
    assert ax.get_xscale() == "log"
    legend = _legend(ax)
    assert {"keep-alive 1 min", "keep-alive 10 min", "simulated"} <= set(legend)
    assert any("closed form" in text for text in legend)
    lines = [line for line in ax.get_lines() if len(line.get_xdata())]
    points = [line for line in lines if line.get_linestyle() == "None"]
    dashed = [line for line in lines if line.get_linestyle() == "--"]
    assert len(points) == len(dashed) == 2
    for keep_alive, simulated, closed in zip((60, 600), points, dashed, strict=True):
        rows = table[table.keep_alive_s == keep_alive]
        assert simulated.get_xdata().tolist() == rows.rate_per_s.tolist()
        assert simulated.get_ydata().tolist() == rows.cold_start_fraction.tolist()
        x = np.asarray(closed.get_xdata())
        assert x.min() == pytest.approx(0.001) and x.max() == pytest.approx(1)
        assert np.asarray(closed.get_ydata()) == pytest.approx(
            predicted_cold_fraction(x, keep_alive)
        )
        assert simulated.get_color() == closed.get_color()


def _busy_at(rows: pd.DataFrame, t: np.ndarray) -> np.ndarray:
    """Environments busy at each instant, counted request by request."""
    served = rows[~rows.throttled]
    arrival, end = served.arrival.to_numpy(), served.end.to_numpy()
    return np.array([np.count_nonzero((arrival <= u) & (end > u)) for u in t])


def test_concurrency_timeline_draws_the_busy_count_and_marks_cold_starts():
    arrivals = cs.burst_arrivals(0.5, 40, every_s=120, burst_s=5, duration_s=400, seed=3)
    sim = cs.simulate(arrivals, cs.Lognormal(0.4), init_s=0.8, keep_alive_s=30, max_concurrency=25)
    rows = sim.invocations
    ax = plots.concurrency_timeline(sim, start_s=100, end_s=200)
    _labelled(ax, "(s)", "environments")
    step = ax.get_lines()[0]
    x, y = np.asarray(step.get_xdata()), np.asarray(step.get_ydata())
    assert x[0] == 100 and x[-1] == 200
    instants = np.random.default_rng(0).uniform(100, 200, 400)
    drawn = y[np.searchsorted(x, instants, side="right") - 1]
    assert drawn.tolist() == _busy_at(rows, instants).tolist()
    legend = _legend(ax)
    window = rows[(rows.arrival >= 100) & (rows.arrival <= 200)]
    cold, throttled = window[window.cold], window[window.throttled]
    assert len(cold) > 0 and len(throttled) > 0
    assert f"cold start ({len(cold):,})" in legend and f"throttled ({len(throttled):,})" in legend
    assert all(float(t).is_integer() for t in ax.get_yticks())  # environments come whole
    marks = {line.get_label(): line for line in ax.get_lines()}
    cold_marks = marks[f"cold start ({len(cold):,})"]
    assert cold_marks.get_xdata().tolist() == cold.arrival.tolist()
    assert cold_marks.get_ydata().tolist() == cold.concurrency.tolist()


def _expected_peaks(rows: pd.DataFrame, edges: np.ndarray) -> np.ndarray:
    """The peak busy count in each slice, from every start and end in time order."""
    served = rows[~rows.throttled]
    times = np.concatenate((served.end.to_numpy(), served.arrival.to_numpy()))
    change = np.concatenate((-np.ones(len(served)), np.ones(len(served))))
    order = np.lexsort((change, times))  # ends before arrivals at the same instant
    times, level = times[order], np.cumsum(change[order])
    slices = edges.size - 1
    slot = np.searchsorted(edges, times, side="left") - 1  # (edges[k], edges[k + 1]] is k
    expected = np.zeros(slices)
    inside = (slot >= 0) & (slot < slices)
    np.maximum.at(expected, slot[inside], level[inside])
    at_edges = np.concatenate(([0.0], level))[np.searchsorted(times, edges[:-1], side="right")]
    return np.maximum(expected, at_edges)


def test_concurrency_timeline_of_millions_of_requests_is_peaks_and_fast():
    arrivals = cs.daily_arrivals(mean_rate=25, seed=2)  # about 2.2 million requests
    sim = cs.simulate(arrivals, cs.Lognormal(0.2), init_s=0.5, keep_alive_s=300)
    assert sim.engine == "vectorised"
    # Its speed is the benchmark's to hold (helpers/bench.py, timeline_plot), not a timed test.
    ax = plots.concurrency_timeline(sim)
    step = ax.get_lines()[0]
    assert "peak per" in step.get_label() and ax.get_xlabel() == "time since start (h)"
    edges = np.asarray(step.get_xdata()) * 3600
    peaks = np.asarray(step.get_ydata())[:-1]
    assert len(peaks) == 2000
    rows = sim.invocations
    assert peaks.tolist() == _expected_peaks(rows, edges).tolist()
    assert peaks.max() == sim.summary["peak_concurrency"]


def test_concurrency_timeline_peaks_hold_between_arrivals_and_at_ties():
    # Arrivals on every other slice edge exactly, three at a time, busy across several slices:
    # half the slices have no arrival and their peak is the count carried in; ends land on
    # edges, where an ending request must not count.
    edges = np.linspace(0.0, 200.0, 2001)
    arrivals = np.repeat(edges[:-1:2], 3)
    durations = np.random.default_rng(1).choice([0.1, 0.2, 0.3, 0.45], arrivals.size)
    sim = cs.simulate(arrivals, durations, init_s=0.0, keep_alive_s=1.0)
    ax = plots.concurrency_timeline(sim, start_s=0.0, end_s=200.0)
    step = ax.get_lines()[0]
    assert "peak per" in step.get_label()
    assert np.asarray(step.get_xdata()).tolist() == edges.tolist()
    peaks = np.asarray(step.get_ydata())[:-1]
    expected = _expected_peaks(sim.invocations, edges)
    assert peaks.tolist() == expected.tolist()
    assert (expected[1::2] > 0).any()  # slices without arrivals that are busy all the same


def test_concurrency_timeline_shows_provisioned_concurrency():
    arrivals = cs.burst_arrivals(0.5, 40, every_s=900, burst_s=30, duration_s=3600, seed=3)
    sim = cs.simulate(arrivals, cs.Lognormal(0.5, 0.4), init_s=1.2, provisioned=4)
    ax = plots.concurrency_timeline(sim)
    assert "provisioned (4)" in _legend(ax)
    assert ax.get_xlabel() == "time since start (min)"


# -- costs ---------------------------------------------------------------------------------------


def test_cost_curve_is_the_models_total_with_the_free_tier_marked():
    requests = np.logspace(4, 8, 41)
    ax = plots.cost_curve(requests, 120, 512)
    _labelled(ax, "requests per month", "USD")
    total = ax.get_lines()[0]
    table = pricing.cost_vs_requests(requests, 120, 512)
    assert total.get_ydata().tolist() == table.total_usd.tolist()
    assert ax.get_xscale() == "log"
    knees = {
        line.get_label(): line.get_xdata()[0] for line in ax.get_lines()[1:] if line.get_label()
    }
    free_requests = pricing.rule("free_tier_requests")
    assert knees[f"{free_requests:,} free requests used up"] == free_requests
    (gb_label,) = [label for label in knees if "GB-s" in label]
    at = knees[gb_label]
    # Where the bill's free GB-seconds run out: all of them used, and compute charged after.
    used = pricing.monthly_cost(at, 120, 512).to_frame().set_index("item")
    assert used.loc["Free tier: compute", "quantity"] == pricing.rule("free_tier_gb_seconds")
    assert pricing.monthly_cost(at, 120, 512).by_kind()["compute_usd"] == pytest.approx(0, abs=1e-9)
    assert pricing.monthly_cost(at * 1.01, 120, 512).by_kind()["compute_usd"] > 0
    assert f"{pricing.rule('free_tier_gb_seconds'):,} free GB-s" in gb_label


def test_cost_curve_knee_follows_the_options():
    # Init time on cold starts eats into the free GB-seconds: the knee comes sooner.
    options = {"architecture": "arm64", "cold_starts": 50_000, "init_ms": 800}
    knees = plots.free_tier_knees(200, 1024, **options)
    at, _ = knees["gb_s"]
    assert at < plots.free_tier_knees(200, 1024)["gb_s"][0]
    assert pricing.monthly_cost(at, 200, 1024, **options).by_kind()["compute_usd"] == 0
    assert pricing.monthly_cost(at + 100, 200, 1024, **options).by_kind()["compute_usd"] > 0
    ax = plots.cost_curve([60_000, 1e6, 2e6, 4e6], 200, 1024, **options)
    assert "arm64" in ax.get_title()
    assert any("GB-s" in text for text in _legend(ax))
    # Without the free tier there is no knee; one outside the range is not drawn.
    assert plots.free_tier_knees(200, 1024, free_tier=False) == {}
    ax = plots.cost_curve([0, 10**6, 10**7], 200, 1024, free_tier=False)
    assert _legend(ax) == ["monthly total"] and "no free tier" in ax.get_title()
    ax = plots.cost_curve([10, 100, 1000], 200, 1024)
    assert _legend(ax) == ["monthly total"]


def test_architectures_draws_both_and_states_arm64s_saving():
    requests = np.logspace(5, 8, 16)
    ax = plots.architectures(requests, 120, 1024, arm64_duration_ms=130)
    _labelled(ax, "requests per month", "USD")
    x86, arm = ax.get_lines()[:2]
    assert (
        x86.get_ydata().tolist() == pricing.cost_vs_requests(requests, 120, 1024).total_usd.tolist()
    )
    expected = pricing.cost_vs_requests(requests, 130, 1024, architecture="arm64").total_usd
    assert arm.get_ydata().tolist() == expected.tolist()
    assert {"x86_64 (120 ms)", "arm64 (130 ms)"} <= set(_legend(ax))
    both = pricing.compare_architectures(1e8, 120, 1024, 130)
    saving = f"arm64 saves {both.loc['arm64', 'saving_pct']:.0f}% at 100M requests/month"
    texts = [text.get_text() for text in ax.texts]
    assert any(saving in text for text in texts)
    assert any(r"\$" + f"{both.loc['arm64', 'total_usd']:.2f}" in text for text in texts)
    with pytest.raises(ValueError, match="architecture"):
        plots.architectures(requests, 120, 1024, architecture="arm64")


def test_power_tuning_twin_axes_with_cheapest_and_fastest_marked():
    frame = _tuning_frame()
    ax = plots.power_tuning(frame)
    _labelled(ax, "memory (MB)", "duration (ms)")
    cost_ax = ax.cost_ax
    assert "USD" in cost_ax.get_ylabel() and cost_ax.yaxis.label.get_fontsize() >= 11
    duration = next(line for line in ax.get_lines() if line.get_label() == "duration")
    cost = next(line for line in cost_ax.get_lines() if "cost" in line.get_label())
    assert duration.get_ydata().tolist() == frame.duration_ms.tolist()
    drawn = np.asarray(cost.get_ydata(), float)
    assert np.isnan(drawn[0]) and drawn[1:].tolist() == frame.cost_per_million_usd[1:].tolist()
    assert {"duration", "cost per 1M invocations", "failed (no cost)"} <= set(_legend(ax))
    cheapest = frame[frame.cheapest].iloc[0]
    fastest = frame[frame.fastest].iloc[0]
    notes = [t.get_text() for t in ax.texts + cost_ax.texts]
    assert any(f"cheapest: {cheapest.memory_mb:,} MB, " + r"\$" in note for note in notes)
    assert any(f"fastest: {fastest.memory_mb:,} MB" in note for note in notes)
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(m) for m in frame.memory_mb]


def test_cost_breakdown_stacks_each_kind_and_labels_the_totals():
    bills = {
        "on demand": pricing.monthly_cost(30e6, 120, 1024),
        "provisioned": pricing.monthly_cost(30e6, 120, 1024, provisioned_concurrency=10),
        "arm64, 2 GB /tmp": pricing.monthly_cost(
            30e6, 100, 1024, "arm64", ephemeral_storage_mb=2048
        ),
    }
    ax = plots.cost_breakdown(bills)
    _labelled(ax, None, "USD")
    legend = _legend(ax)
    assert legend[:2] == ["requests", "compute (GB-s)"] and "provisioned concurrency" in legend
    names = {
        "requests": "requests",
        "compute (GB-s)": "compute",
        "provisioned concurrency": "provisioned",
    }
    for bars in ax.containers:
        kind = names.get(bars.get_label())
        if kind is None:
            continue
        heights = [p.get_height() for p in bars]
        assert heights == pytest.approx([b.by_kind().get(f"{kind}_usd", 0) for b in bills.values()])
    tops = [p.get_y() + p.get_height() for p in ax.containers[-1]]
    assert tops == pytest.approx([b.by_kind()["total_usd"] for b in bills.values()])
    totals = [t.get_text().replace("\\", "") for t in ax.texts]
    assert totals == [money_text(b.total) for b in bills.values()]
    assert ax.get_xticklabels()[0].get_text() == "on demand"


def test_cost_breakdown_names_a_charge_too_small_to_see_under_its_bar():
    on_demand = pricing.monthly_cost(2e6, 300, 3008, free_tier=False)
    provisioned = pricing.monthly_cost(2e6, 300, 3008, provisioned_concurrency=5, free_tier=False)
    ax = plots.cost_breakdown({"on demand": on_demand, "provisioned": provisioned})
    ticks = [t.get_text().replace("\\", "") for t in ax.get_xticklabels()]
    requests = money_text(Decimal(str(provisioned.by_kind()["requests_usd"])))
    assert ticks[1] == f"provisioned\nrequests {requests}"  # 0.2% of the bar: a sliver
    assert "compute" not in ticks[0]  # the big charges are seen as bars


def test_cost_breakdown_takes_one_bill_or_a_list():
    bill = pricing.monthly_cost(5e6, 80, 256)
    ax = plots.cost_breakdown(bill)
    assert len(ax.containers[0]) == 1
    ax = plots.cost_breakdown([bill, bill])
    labels = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert labels[1].endswith("(2)") and labels[0] != labels[1]


# -- inputs, style and speed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plot", "bad", "match"),
    [
        (
            plots.cold_warm_histogram,
            pd.DataFrame(columns=["kind", "duration_ms", "init_ms"]),
            "empty",
        ),
        (plots.cold_warm_histogram, pd.DataFrame({"kind": ["cold"]}), "missing duration_ms"),
        (plots.cold_warm_histogram, [1, 2], "DataFrame"),
        (plots.cold_fraction, pd.DataFrame({"rate_per_s": [1.0]}), "missing keep_alive_s"),
        (plots.power_tuning, pd.DataFrame(columns=plots.tuning.COLUMNS), "empty"),
        (plots.power_tuning, pd.DataFrame({"memory_mb": [128]}), "missing duration_ms"),
        (plots.cost_breakdown, [], "at least one Bill"),
        (plots.cost_breakdown, {"a": 3.5}, "Bills"),
        (plots.concurrency_timeline, pd.DataFrame({"arrival": [0.0]}), "Simulation"),
    ],
)
def test_bad_inputs_say_what_is_wrong(plot, bad, match):
    with pytest.raises(ValueError, match=match):
        plot(bad)


def test_bad_numbers_say_what_is_wrong():
    with pytest.raises(ValueError, match="at least one request count"):
        plots.cost_curve([], 100, 128)
    with pytest.raises(ValueError, match="finite and 0 or more"):
        plots.architectures([-5], 100, 128)
    with pytest.raises(ValueError, match="memory_mb"):
        plots.cost_curve([1e6], 100, 100)  # the pricing model's own check
    sim = cs.simulate([0.0, 1.0], 0.1)
    with pytest.raises(ValueError, match="end_s must be after start_s"):
        plots.concurrency_timeline(sim, start_s=5, end_s=1)
    table = pd.DataFrame({"rate_per_s": [0.0], "keep_alive_s": [60], "cold_start_fraction": [1.0]})
    with pytest.raises(ValueError, match="above 0"):
        plots.cold_fraction(table)


def _every_plot(ax: Axes | None = None) -> list[Axes]:
    requests = np.logspace(4, 8, 30)
    sim = cs.simulate(cs.poisson_arrivals(5, 600, seed=1), 0.2, init_s=0.5, keep_alive_s=60)
    table = cs.cold_fraction_sweep([0.01, 0.1, 1], [60], hours=0.5)
    return [
        plots.cold_warm_histogram(_measured(), ax=ax),
        plots.cold_fraction(table, ax=ax),
        plots.concurrency_timeline(sim, ax=ax),
        plots.cost_curve(requests, 100, 256, ax=ax),
        plots.architectures(requests, 100, 256, ax=ax),
        plots.power_tuning(_tuning_frame(), ax=ax),
        plots.cost_breakdown(pricing.monthly_cost(1e7, 100, 256), ax=ax),
    ]


def test_plots_draw_on_the_axes_given_and_leave_rcparams_alone():
    before = {key: str(value) for key, value in matplotlib.rcParams.items()}
    _, ax = plt.subplots()
    assert all(drawn is ax for drawn in _every_plot(ax))
    fresh = _every_plot()
    assert len({id(a.figure) for a in fresh}) == len(fresh)
    assert {key: str(value) for key, value in matplotlib.rcParams.items()} == before
    # Importing the module changes nothing either (a new interpreter, to import it first).
    code = (
        "import matplotlib as m; b = {k: str(v) for k, v in m.rcParams.items()}; "
        "import helpers.plots; print({k: str(v) for k, v in m.rcParams.items()} == b)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_colours_are_the_colour_blind_safe_set():
    ax = plots.architectures([1e6, 1e7, 1e8], 100, 512)
    okabe_ito = {c.lower() for c in plots.style.COLOURS}
    assert {line.get_color().lower() for line in ax.get_lines()} <= okabe_ito


def test_each_plot_is_fast_on_realistic_inputs():
    _every_plot()  # matplotlib's first figure loads fonts: not the plots' cost
    plt.close("all")
    began = time.perf_counter()
    axes = _every_plot()
    for ax in axes:
        ax.figure.canvas.draw()
    took = (time.perf_counter() - began) / len(axes)
    # ~0.1-0.3 s a plot on a 2-core laptop. This guards against a plot gone quadratic (tens of
    # seconds), not a speed figure: the bound holds on a machine busy with other work too.
    assert took < 5.0, f"{took:.2f} s a plot, drawn"


def test_duration_percentiles_shows_failures_apart_on_a_log_axis_with_the_percentiles():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {"duration_ms": rng.lognormal(3, 0.5, 200), "error": rng.random(200) < 0.1}
    )
    ax = plots.duration_percentiles(frame)
    _labelled(ax, "ms", "invocations")
    labels = _legend(ax)
    failed = int(frame["error"].sum())
    assert f"failed (n={failed})" in labels
    assert f"succeeded (n={200 - failed})" in labels
    # Each percentile line sits where the durations put it, and says so in the legend.
    lines = {line.get_label(): line.get_xdata()[0] for line in ax.get_lines()}
    for p in (50, 90, 99):
        expected = frame["duration_ms"].quantile(p / 100)
        (label,) = [name for name in lines if name.startswith(f"p{p} ")]
        assert lines[label] == pytest.approx(expected)
        assert f"{expected:.3g} ms" in label
    # Bars add up to every invocation; durations spread over orders of magnitude: a log axis.
    assert sum(patch.get_height() for patch in ax.patches) == pytest.approx(200)
    assert ax.get_xscale() == "log"
    # Failed bars stand on the axis beside the succeeded ones, not stacked on top of them.
    assert {patch.get_y() for patch in ax.patches} == {0}
    _, own = plt.subplots()
    assert plots.duration_percentiles(frame[["duration_ms"]], ax=own) is own  # no error column
    with pytest.raises(ValueError, match="duration_ms"):
        plots.duration_percentiles(pd.DataFrame({"billed_ms": [1, 2]}))
