"""How the cold-start fraction falls as traffic grows, for each keep-alive: simulated and predicted.

    from helpers import coldstart as cs
    table = cs.cold_fraction_sweep([0.001, 0.01, 0.1, 1, 10], [60, 600])
    table.pivot(index="rate_per_s", columns="keep_alive_s", values="cold_start_fraction")

The prediction is the closed form for steady Poisson traffic with a fixed keep-alive T. When a
request is short against the gaps between requests, one environment serves them all, and a
request is cold exactly when the gap before it is at least T. Poisson gaps are exponential, so
the fraction is P(gap >= T) = e^(-rate * T): the first assumption is that the traffic is steady
and Poisson, the second that requests rarely overlap. When they do overlap, the extra
environments they bring expire in quiet spells and cost further cold starts, which the formula
leaves out and the simulation counts: with 0.4 s per cold request at 0.1 requests/s and a 60 s
keep-alive, about 1% of requests instead of e^(-6) = 0.25%.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .durations import draw
from .model import Lognormal, poisson_arrivals, simulate

COLUMNS = [
    "rate_per_s",
    "keep_alive_s",
    "invocations",
    "cold_starts",
    "cold_start_fraction",
    "predicted",
]


def predicted_cold_fraction(rate_per_s: float | np.ndarray, keep_alive_s: float) -> np.ndarray:
    """e^(-rate x keep-alive): the steady share of cold requests when requests rarely overlap."""
    return np.exp(-np.asarray(rate_per_s, dtype=float) * float(keep_alive_s))


def _values(name: str, values: Iterable[float] | float, lowest: float) -> list[float]:
    """The numbers in `values` (one number is one value), each finite and at least `lowest`."""
    if isinstance(values, Iterable) and not isinstance(values, np.ndarray | str):
        values = list(values)  # a generator or a range
    try:
        numbers = np.asarray(values, dtype=float).ravel().tolist()
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers; got {values!r}") from None
    if not numbers:
        raise ValueError(f"{name} needs at least one value")
    for number in numbers:
        if not (math.isfinite(number) and number >= lowest):
            raise ValueError(f"{name} must be finite and at least {lowest:g}; got {number}")
    return numbers


def cold_fraction_sweep(
    rates_per_s: Iterable[float] | float,
    keep_alives_s: Iterable[float] | float,
    *,
    duration_s: float | Lognormal = 0.1,
    init_s: float | Lognormal = 0.3,
    hours: float = 1.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Simulated and predicted cold-start fractions: one row per (rate, keep-alive) pair.

    Each rate gets `hours` of steady Poisson traffic, the same requests for every keep-alive, so
    the keep-alives are compared on equal terms. The counts cover those hours only: the run
    starts the longest keep-alive earlier, as a warm-up, because the first requests of a run find
    no environment at all and would make low rates look colder than steady traffic is. Requests
    are served by `simulate` (reuse="mru"); `predicted` is e^(-rate x keep-alive), the closed
    form for Poisson arrivals with a fixed keep-alive and requests short against the gaps (see
    the module docstring). A pair with no request in the measured hours has a NaN fraction.
    """
    rates = _values("rates_per_s", rates_per_s, lowest=0.0)
    keep_alives = _values("keep_alives_s", keep_alives_s, lowest=0.0)
    if not (math.isfinite(hours) and hours > 0):
        raise ValueError(f"hours must be above 0; got {hours}")
    warm_up_s = max(keep_alives)
    rows = []
    for index, rate in enumerate(rates):
        arrivals = poisson_arrivals(rate, warm_up_s + hours * 3600.0, seed=seed + index)
        before = int(np.searchsorted(arrivals, warm_up_s))
        counted, cold_starts = arrivals.size - before, 0
        # Drawn here, not in `simulate`, so that the warm-up alone keeps the same draws below.
        rng = np.random.default_rng(seed + index)
        durations = draw(duration_s, arrivals.size, rng, "duration_s")
        inits = draw(init_s, arrivals.size, rng, "init_s")
        for keep_alive in keep_alives:
            if counted:
                run = simulate(arrivals, durations, init_s=inits, keep_alive_s=keep_alive)
                cold_starts = run.summary["cold_starts"]
            if counted and before:
                # A request never changes the fate of earlier ones, so the warm-up has the
                # same cold starts when simulated alone: subtract them.
                warm_up = simulate(
                    arrivals[:before], durations[:before], init_s=inits[:before],
                    keep_alive_s=keep_alive,
                )  # fmt: skip
                cold_starts -= warm_up.summary["cold_starts"]
            rows.append(
                {
                    "rate_per_s": rate,
                    "keep_alive_s": keep_alive,
                    "invocations": counted,
                    "cold_starts": int(cold_starts),
                    "cold_start_fraction": cold_starts / counted if counted else math.nan,
                    "predicted": float(predicted_cold_fraction(rate, keep_alive)),
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)
