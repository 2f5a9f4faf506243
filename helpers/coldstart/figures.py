"""A run's latency figures and billed milliseconds, in one pass over millions of requests.

np.percentile partitions every value to find two ranks; here a sorted sample brackets each rank,
and one chunked pass (on the threads) counts the values below each bracket and keeps the few
inside it, adds up the latencies, and bills each duration.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .parallel import parallel_map, spans

QUANTILES = (50.0, 99.0)
# Below this many requests, plain numpy on whole arrays is as quick.
SELECT_FROM = 1 << 16
SAMPLE = 1 << 16
CHUNK = 1 << 14


class Figures(NamedTuple):
    latency_s: float  # the sum of end - arrival
    p50_s: float
    p99_s: float
    billed_ms: float  # the sum of every duration billed in 1 ms steps


def billed_ms(seconds: np.ndarray) -> np.ndarray:
    """Billed duration in AWS's 1 ms steps."""
    # A nanosecond's grace: 0.1 s * 1000 is 100.00000000000001 in floating point, not 101 ms.
    return np.ceil(seconds * 1000.0 - 1e-6)


def _lerp(a: float, b: float, t: float) -> float:
    """np.percentile's interpolation between neighbouring ranks, monotone in t."""
    return b - (b - a) * (1.0 - t) if t >= 0.5 else a + (b - a) * t


def _bracket(sample: np.ndarray, q: float) -> tuple[float, float]:
    """Values below and above the q-th percentile's rank, six standard errors apart or more."""
    at = q / 100.0 * (sample.size - 1)
    margin = 6.0 * math.sqrt(sample.size * 0.25) + 8.0
    lo, hi = math.floor(at - margin), math.ceil(at + margin)
    low = float(sample[lo]) if lo > 0 else -math.inf
    high = float(sample[hi]) if hi < sample.size - 1 else math.inf
    return low, high


def figures(arrivals: np.ndarray, end: np.ndarray, durations: np.ndarray) -> Figures:
    """Total latency, its 50th and 99th percentiles (as np.percentile), and the billed ms."""
    n = arrivals.size
    fixed = durations.strides == (0,)  # one duration for everyone: bill it once
    if n < SELECT_FROM:
        latency = end - arrivals
        p50, p99 = np.percentile(latency, QUANTILES)
        billed = float(billed_ms(durations[:1] if fixed else durations).sum())
        return Figures(float(latency.sum()), float(p50), float(p99), billed * (n if fixed else 1))
    step = n // SAMPLE
    sample = np.sort(end[::step] - arrivals[::step])
    brackets = [_bracket(sample, q) for q in QUANTILES]

    def chunk(span: tuple[int, int]) -> tuple:
        lo, hi = span
        latency = end[lo:hi] - arrivals[lo:hi]
        found: list = [float(latency.sum())]
        for low, high in brackets:
            keep = latency >= low
            found.append(hi - lo - int(np.count_nonzero(keep)))  # below the bracket
            if high < math.inf:
                keep &= latency <= high
            found.append(latency[keep])
        found.append(0.0 if fixed else float(billed_ms(durations[lo:hi]).sum()))
        return tuple(found)

    parts = parallel_map(chunk, spans(n, CHUNK))
    values = []
    for k, q in enumerate(QUANTILES):
        rank = q / 100.0 * (n - 1)
        at = min(int(rank), n - 2)
        below = sum(part[1 + 2 * k] for part in parts)
        inside = np.concatenate([part[2 + 2 * k] for part in parts])
        if below <= at and at + 1 < below + inside.size:
            two = np.partition(inside, (at - below, at + 1 - below))
            values.append(_lerp(float(two[at - below]), float(two[at + 1 - below]), rank - at))
        else:  # the sample misled us (a freak of chance): do it the long way
            values.append(float(np.percentile(end - arrivals, q)))
    # Whole milliseconds add up exactly, in any order.
    billed = float(billed_ms(durations[:1])[0]) * n if fixed else sum(part[-1] for part in parts)
    return Figures(sum(part[0] for part in parts), values[0], values[1], billed)
