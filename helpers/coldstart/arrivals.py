"""Arrival times for the simulation: steady, bursty, daily, or any rate you choose per step.

All of them are Poisson processes (each request independent of the others) whose rate may change
over time, made from one rate-1 process by a change of time scale. A seed gives the same times.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from .parallel import generators, parallel_map

# Unit-rate time per generator: about a million arrivals, so a day at 100/s is nine pieces that
# two threads draw at once, and anything under a million arrivals is a single piece.
PIECE = float(1 << 20)
# Above this many rate steps in a piece, one gather beats a Python loop over the steps.
LOOP_STEPS = 64


def _unit_points(length: float, rng: np.random.Generator) -> np.ndarray:
    """The points of a rate-1 Poisson process on [0, length)."""
    # Cumulative sums of exponential gaps come out sorted: no sort of millions of floats needed.
    chunk = int(length + 6.0 * math.sqrt(length) + 16)
    points = np.cumsum(rng.standard_exponential(chunk))
    while points[-1] < length:  # rare: more arrivals than six standard deviations above the mean
        more = points[-1] + np.cumsum(rng.standard_exponential(chunk))
        points = np.concatenate((points, more))
    return points[: np.searchsorted(points, length)]


def _time_change(
    points: np.ndarray, cumulative: np.ndarray, edges: np.ndarray, rates: np.ndarray
) -> np.ndarray:
    """Map sorted unit-rate points to clock time, in place: rate k between edges[k], edges[k+1]."""
    # The k-th rate step holds the unit points between its cumulative bounds. A step with rate 0
    # has equal bounds, so no point lands in it and nothing divides by its rate.
    bounds = np.searchsorted(points, cumulative)
    steps = np.flatnonzero(np.diff(bounds))
    if steps.size <= LOOP_STEPS:
        for k in steps.tolist():
            part = points[bounds[k] : bounds[k + 1]]
            part -= cumulative[k]
            part /= rates[k]
            part += edges[k]
        return points
    step = np.repeat(np.arange(rates.size), np.diff(bounds))
    return edges[step] + (points - cumulative[step]) / rates[step]


def _piecewise(edges: np.ndarray, rates: np.ndarray, seed: int) -> np.ndarray:
    """Poisson arrivals whose rate is rates[k] between edges[k] and edges[k + 1]."""
    rates = np.asarray(rates, dtype=float)
    if rates.size == 0 or not np.isfinite(rates).all() or (rates < 0).any():
        raise ValueError("rates must be finite and not negative")
    cumulative = np.concatenate(([0.0], np.cumsum(rates * np.diff(edges))))
    total = float(cumulative[-1])
    starts = np.arange(0.0, total, PIECE) if total > 0 else np.zeros(1)
    rngs = generators(np.random.default_rng(seed), seed, 0, starts.size)

    def piece(k: int) -> np.ndarray:  # independent pieces of the unit process, one per generator
        lo = float(starts[k])
        points = _unit_points(min(PIECE, total - lo), rngs[k])
        if lo:
            points += lo
        return _time_change(points, cumulative, edges, rates)

    parts = parallel_map(piece, range(starts.size))
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def poisson_arrivals(rate_per_s: float, duration_s: float, seed: int = 0) -> np.ndarray:
    """Arrival times of steady random traffic: `rate_per_s` on average, each one independent."""
    return rate_arrivals([rate_per_s], duration_s, seed)


def rate_arrivals(rates_per_s: ArrayLike, step_s: float, seed: int = 0) -> np.ndarray:
    """Arrival times for a rate you choose per step: rates_per_s[k] during the k-th `step_s`."""
    rates = np.asarray(rates_per_s, dtype=float).ravel()
    if step_s <= 0:
        raise ValueError(f"step_s must be positive; got {step_s}")
    return _piecewise(np.arange(rates.size + 1) * float(step_s), rates, seed)


def burst_arrivals(
    base_rate: float,
    burst_rate: float,
    every_s: float,
    burst_s: float,
    duration_s: float,
    seed: int = 0,
) -> np.ndarray:
    """Arrival times at `base_rate`, with `burst_s` seconds at `burst_rate` every `every_s`."""
    if not 0 < burst_s <= every_s:
        raise ValueError("need 0 < burst_s <= every_s")
    starts = np.arange(0.0, duration_s, every_s)
    edges = np.minimum(np.stack((starts, starts + burst_s), axis=1).ravel(), duration_s)
    edges = np.append(edges, duration_s)
    rates = np.tile([burst_rate, base_rate], starts.size)
    return _piecewise(edges, rates, seed)


def daily_arrivals(
    hourly_rates: ArrayLike | None = None,
    *,
    mean_rate: float = 10.0,
    swing: float = 0.8,
    peak_hour: float = 14.0,
    days: float = 1.0,
    seed: int = 0,
) -> np.ndarray:
    """Arrival times over whole days: 24 hourly rates you give, or a smooth daily wave."""
    if hourly_rates is not None:
        rates = np.asarray(hourly_rates, dtype=float).ravel()
        if rates.size != 24:
            raise ValueError(f"hourly_rates needs 24 values (req/s per hour); got {rates.size}")
        step = 3600.0
    else:
        if not 0.0 <= swing <= 1.0:
            raise ValueError(f"swing must be between 0 and 1; got {swing}")
        step = 60.0  # a minute's steps make the wave smooth at any rate
        hours = (np.arange(24 * 60) + 0.5) / 60.0
        rates = mean_rate * (1.0 + swing * np.cos(2.0 * np.pi * (hours - peak_hour) / 24.0))
    steps = math.ceil(days * rates.size)
    return rate_arrivals(np.resize(rates, steps), step, seed)
