"""Cold starts, simulated: why a Lambda function's first request is slow, and how often it happens.

Lambda runs each request in an execution environment, one request at a time. A request that
finds an idle environment reuses it (a warm start). Otherwise Lambda creates one and runs the
function's INIT phase before the handler: a cold start. An idle environment is reclaimed after a
while. This module replays arrival times against that model:

    from helpers import coldstart as cs
    arrivals = cs.poisson_arrivals(rate_per_s=2, duration_s=3600, seed=1)
    run = cs.simulate(arrivals, duration_s=cs.Lognormal(0.120, 0.5), init_s=0.4)
    run.summary["cold_start_fraction"]
    run.invocations.head()          # one row per request

Times are seconds from the start of the simulation. What AWS does not publish is a parameter:

- Keep-alive (`keep_alive_s`, 600 s by default). AWS keeps an idle environment "for a
  non-deterministic period of time"
  (https://docs.aws.amazon.com/lambda/latest/operatorguide/execution-environments.html).
  Measurements: a fixed 10 minutes from July 2019
  (https://mikhail.io/2019/08/aws-lambda-cold-starts-after-10-minutes/); 45-60 minutes in 2018
  (https://www.pluralsight.com/resources/blog/cloud/how-long-does-aws-lambda-keep-your-idle-functions-around-before-a-cold-start).
  An environment idle for `keep_alive_s` or longer is gone.
- Which idle environment a request reuses (`reuse`). "mru", the default, takes the most recently
  freed one: traffic stays on as few environments as it needs and the spare ones expire, which
  is what a provider that pays for idle memory wants. Under this rule a request is cold exactly
  when the concurrency it brings has not been reached in the last `keep_alive_s` seconds, which
  makes a vectorised engine possible. "newest" takes the most recently created idle one, like
  this kit's runtime (`helpers/runtime/service.py`) and the SimFaaS simulator
  (https://github.com/pacslab/simfaas); "lru" spreads requests over all of them, which keeps more
  environments alive and so gives fewer cold starts.
- Provisioned concurrency (`provisioned`): that many environments, initialised before the first
  request and never reclaimed, are used first; requests beyond them spill over to on-demand
  environments, as AWS documents
  (https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html).
- A concurrency limit (`max_concurrency`, like reserved concurrency) counts every busy
  environment, initialising ones included; a request over it is throttled and not retried.
- Billing: duration is billed in 1 ms steps. INIT is billed for on-demand environments since
  1 August 2025 (https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/);
  `bill_init=False` gives the earlier rule for zip functions on managed runtimes.
- Not modelled: Lambda's scaling rate limit, environments recycled after hours of use,
  and the extra CPU AWS has been observed to give during INIT.
"""

from __future__ import annotations

import heapq
import math
import time
from collections import deque
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

Reuse = Literal["mru", "newest", "lru"]
Engine = Literal["auto", "events", "vectorised"]

# Below this many requests the event loop is as fast as the vectorised engine's set-up.
VECTORISE_FROM = 20_000


# -- arrivals -------------------------------------------------------------------------------------


def _unit_poisson(total: float, rng: np.random.Generator) -> np.ndarray:
    """The points of a rate-1 Poisson process on [0, total)."""
    # Cumulative sums of exponential gaps come out sorted: no sort of millions of floats needed.
    chunk = int(total + 6.0 * math.sqrt(total) + 16)
    points = np.cumsum(rng.standard_exponential(chunk))
    while points[-1] < total:  # rare: more arrivals than six standard deviations above the mean
        more = points[-1] + np.cumsum(rng.standard_exponential(chunk))
        points = np.concatenate((points, more))
    return points[: np.searchsorted(points, total)]


def _piecewise(edges: np.ndarray, rates: np.ndarray, seed: int) -> np.ndarray:
    """Poisson arrivals whose rate is rates[k] between edges[k] and edges[k + 1]."""
    rates = np.asarray(rates, dtype=float)
    if rates.size == 0 or not np.isfinite(rates).all() or (rates < 0).any():
        raise ValueError("rates must be finite and not negative")
    expected = rates * np.diff(edges)
    cumulative = np.concatenate(([0.0], np.cumsum(expected)))
    points = _unit_poisson(float(cumulative[-1]), np.random.default_rng(seed))
    # Time change: the k-th piece holds the unit-rate points between its cumulative bounds. A
    # piece with rate 0 has equal bounds, so `searchsorted` never lands a point in it.
    piece = np.searchsorted(cumulative, points, side="right") - 1
    return edges[piece] + (points - cumulative[piece]) / rates[piece]


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


# -- durations ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lognormal:
    """Durations with a long right tail: half below `median_s`, p99 ≈ median·e^(2.33·sigma)."""

    median_s: float
    sigma: float = 0.5

    @property
    def mean_s(self) -> float:
        """The mean duration, above the median by the tail's weight."""
        return self.median_s * math.exp(self.sigma**2 / 2.0)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """`n` durations in seconds."""
        return rng.lognormal(math.log(self.median_s), self.sigma, n)


Durations = float | Lognormal | ArrayLike


def _durations(spec: Durations, n: int, rng: np.random.Generator, name: str) -> np.ndarray:
    if isinstance(spec, Lognormal):
        values = spec.sample(rng, n)
    elif np.ndim(spec) == 0:
        values = np.full(n, float(spec))  # type: ignore[arg-type]
    else:
        values = np.asarray(spec, dtype=float).ravel()
        if values.size != n:
            raise ValueError(f"{name} has {values.size} values for {n} arrivals")
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValueError(f"{name} must be finite and not negative")
    return values


# -- the two engines ------------------------------------------------------------------------------


class _Outcome(NamedTuple):
    cold: np.ndarray  # bool
    end: np.ndarray  # float, NaN when throttled
    concurrency: np.ndarray  # busy environments just after this request was placed
    provisioned: np.ndarray  # bool
    throttled: np.ndarray  # bool
    env: np.ndarray | None  # int, -1 when throttled; None until the event engine has named them


def _run_events(
    arrivals: np.ndarray,
    durations: np.ndarray,
    inits: np.ndarray,
    keep_alive_s: float,
    provisioned: int,
    max_concurrency: int | None,
    reuse: Reuse,
) -> _Outcome:
    """Every request in turn, with a heap of busy environments: O(n log k), any policy."""
    n = arrivals.size
    times, runs, setups = arrivals.tolist(), durations.tolist(), inits.tolist()
    cold = bytearray(n)
    env = [-1] * n
    end = [math.nan] * n
    busy_count = [0] * n
    limit = n + provisioned if max_concurrency is None else max_concurrency
    busy: list[tuple[float, int, int]] = []  # (end, request, env): equal ends free in request order
    spare = list(range(provisioned))  # idle provisioned environments
    idle: deque[tuple[float, int]] = deque()  # idle on-demand (freed at, env), oldest first
    newest: list[tuple[int, float]] = []  # idle on-demand (-env, freed at), for reuse="newest"
    next_env = provisioned
    for k in range(n):
        t = times[k]
        since = t - keep_alive_s  # an environment freed at or before this moment has expired
        while busy and busy[0][0] <= t:
            freed, _, e = heapq.heappop(busy)
            if e < provisioned:
                spare.append(e)
            elif reuse == "newest":
                heapq.heappush(newest, (-e, freed))
            else:
                idle.append((freed, e))
        e = -1
        if spare:
            e = spare.pop()
        elif reuse == "newest":
            while newest:  # expired ones are dropped as they surface: expiry never reverses
                minus_env, freed = heapq.heappop(newest)
                if freed > since:
                    e = -minus_env
                    break
        else:
            while idle and idle[0][0] <= since:
                idle.popleft()
            if idle:
                e = (idle.pop() if reuse == "mru" else idle.popleft())[1]
        if e >= 0:
            finish = t + runs[k]
        elif len(busy) < limit:
            e, next_env = next_env, next_env + 1
            cold[k] = 1
            finish = t + runs[k] + setups[k]  # same rounding as the vectorised engine
        else:
            busy_count[k] = len(busy)
            continue  # throttled
        heapq.heappush(busy, (finish, k, e))
        env[k], end[k], busy_count[k] = e, finish, len(busy)
    envs = np.array(env, dtype=np.int64)
    return _Outcome(
        cold=np.frombuffer(bytes(cold), dtype=np.uint8).astype(bool),
        end=np.array(end),
        concurrency=np.array(busy_count, dtype=np.int64),
        provisioned=(envs >= 0) & (envs < provisioned),
        throttled=envs < 0,
        env=envs,
    )


def _max_of_previous(x: np.ndarray, k: int) -> np.ndarray:
    """out[i] = max(x[i-k:i]) for i >= k, in O(n) (van Herk / Gil-Werman)."""
    n = x.size
    rows = -(-(n + k) // k)
    padded = np.full(rows * k, -1, dtype=x.dtype)
    padded[k : k + n] = x  # the window of i is now padded[i : i + k]
    grid = padded.reshape(rows, k)
    ahead = np.maximum.accumulate(grid, axis=1).ravel()
    behind = np.maximum.accumulate(grid[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.maximum(behind[:n], ahead[k - 1 : k - 1 + n])


def _cold_starts(
    arrivals: np.ndarray,
    end: np.ndarray,
    first_after: np.ndarray,
    level: np.ndarray,
    inits: np.ndarray,
    keep_alive_s: float,
    budget: int | None,
) -> np.ndarray | None:
    """Mark the cold requests under the "mru" rule; extend `end` and `level` for them in place.

    With the most recently freed environment reused first, the one a request gets is the one
    freed when concurrency last fell below the level this request brings; it is still alive iff
    that level was reached less than `keep_alive_s` ago. So request i is warm iff some moment in
    [a_i - keep_alive, a_i) had at least level[i] busy environments. Most requests are cleared
    in bulk because an earlier request in the window already reached their level; the rest are
    checked one by one, in time order, because a cold start's INIT keeps its environment busy
    longer and raises the level of the requests that arrive meanwhile. Gives up (None) after
    `budget` such checks: a storm of cold starts is the event loop's strength, not this one's.
    """
    n = arrivals.size
    ceiling = np.iinfo(level.dtype).max - 1
    cold = np.zeros(n, dtype=bool)
    cleared = np.zeros(n, dtype=bool)
    # Clear in bulk the requests whose level one of the previous k requests reached, when
    # those k all arrived within the keep-alive. k: a power of two, a quarter of the requests
    # in a typical keep-alive window, at most 4096 (past that, the bulk pass costs more).
    span = float(arrivals[-1] - arrivals[0])
    typical = n * keep_alive_s / span if span > 0 else n
    k = 1 << int(min(12.0, max(4.0, math.log2(max(typical / 4.0, 1.0)))))
    if k < n:
        inside = np.zeros(n, dtype=bool)
        inside[k:] = arrivals[:-k] > arrivals[k:] - keep_alive_s
        cleared = inside & (_max_of_previous(level, k) >= level)
    block = 1024
    padded = np.full(-(-n // block) * block, -1, dtype=level.dtype)
    padded[:n] = level
    block_max = padded.reshape(-1, block).max(axis=1)
    reach = int((first_after - np.arange(n)).max())  # how far back a request may still be busy

    def highest(lo: int, hi: int) -> int:  # max(level[lo:hi]) from block maxima
        b1, b2 = -(-lo // block), hi // block
        if b1 >= b2:
            return int(level[lo:hi].max())
        top = int(block_max[b1:b2].max())
        if lo < b1 * block:
            top = max(top, int(level[lo : b1 * block].max()))
        if b2 * block < hi:
            top = max(top, int(level[b2 * block : hi].max()))
        return top

    queue = np.flatnonzero(~cleared).tolist()
    if budget is not None and len(queue) > budget:
        return None
    raised: list[tuple[int, int]] = []  # [start, stop) of requests a cold start's INIT raised
    q, done, checks = 0, -1, 0
    while True:
        while raised and raised[0][1] <= done + 1:
            heapq.heappop(raised)
        i = queue[q] if q < len(queue) else n
        if raised:
            i = min(i, max(done + 1, raised[0][0]))
        if i >= n:
            break
        done = i
        while q < len(queue) and queue[q] <= i:
            q += 1
        checks += 1
        if budget is not None and checks > budget:
            return None
        need = int(level[i])
        since = arrivals[i] - keep_alive_s
        lo = min(i, int(np.searchsorted(arrivals, since, side="right")))
        seen = highest(lo, i) if lo < i else 0
        if seen < need and lo > 0 and level[lo - 1] >= need:
            # The level at the window's first instant: the last earlier arrival's level, less
            # the requests that finished between it and that instant.
            p = lo - 1
            recent = end[max(0, p - reach) : p + 1]
            seen = int(level[p]) - int(np.count_nonzero((recent > arrivals[p]) & (recent <= since)))
        if seen >= need:
            continue
        cold[i] = True
        start_of_extra = int(first_after[i])
        end[i] += inits[i]
        stop = int(np.searchsorted(arrivals, end[i], side="left"))
        reach = max(reach, stop - i)
        if stop > start_of_extra:
            level[start_of_extra:stop] += 1
            for b in range(start_of_extra // block, (stop - 1) // block + 1):
                lo_b, hi_b = max(start_of_extra, b * block), min(stop, (b + 1) * block)
                block_max[b] = max(block_max[b], level[lo_b:hi_b].max())
                if block_max[b] >= ceiling:
                    raise OverflowError  # the caller redoes the run with wider integers
            heapq.heappush(raised, (start_of_extra, stop))
    return cold


def _first_at_or_after(arrivals: np.ndarray, times: np.ndarray) -> np.ndarray:
    """searchsorted(arrivals, times) for times[j] >= arrivals[j], a third faster."""
    # Chunk by chunk, each search runs in a slice that fits in the CPU cache.
    out = np.empty(times.size, dtype=np.int64)
    for lo in range(0, times.size, 8192):
        chunk = times[lo : lo + 8192]
        hi = int(np.searchsorted(arrivals, chunk.max(), side="right"))
        out[lo : lo + 8192] = np.searchsorted(arrivals[lo:hi], chunk, side="left")
        out[lo : lo + 8192] += lo
    return out


def _levels(arrivals: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each request: the first arrival that finds it finished, and the level it brings."""
    n = arrivals.size
    # Request j is busy for the arrivals before first_after[j]; an arrival's level counts itself.
    first_after = _first_at_or_after(arrivals, end)
    finished = np.cumsum(np.bincount(first_after, minlength=n + 1)[:n])
    return first_after, np.arange(1, n + 1) - finished


def _run_vectorised(
    arrivals: np.ndarray,
    durations: np.ndarray,
    inits: np.ndarray,
    keep_alive_s: float,
    provisioned: int,
    max_concurrency: int | None,
    budget: int | None,
) -> _Outcome | None:
    """The "mru" rule in bulk numpy; None when the run needs the event loop instead."""
    end = arrivals + durations
    first_after, level = _levels(arrivals, end)
    peak = int(level.max())
    none = np.zeros(arrivals.size, dtype=bool)
    if provisioned >= peak:  # every request finds a provisioned environment free
        return _Outcome(none, end, level, ~none, none, None)
    if provisioned:
        return None  # provisioned first, spill-over after: the event loop's job
    cold = None
    # int16 levels halve the memory traffic; cold starts can still push them past it.
    for width in (np.int16, np.int64) if peak < 2**14 else (np.int64,):
        level_now = level.astype(width)
        try:
            cold = _cold_starts(arrivals, end, first_after, level_now, inits, keep_alive_s, budget)
            break
        except OverflowError:
            end = arrivals + durations  # undo the INIT extensions before the wider retry
    if cold is None or (max_concurrency is not None and int(level_now.max()) > max_concurrency):
        return None
    return _Outcome(cold, end, level_now.astype(np.int64), none, none, None)


# -- the result -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Settings:
    keep_alive_s: float
    provisioned: int
    max_concurrency: int | None
    memory_mb: int
    reuse: Reuse
    bill_init: bool


def _billed_ms(seconds: np.ndarray) -> np.ndarray:
    """Billed duration in AWS's 1 ms steps."""
    # A nanosecond's grace: 0.1 s * 1000 is 100.00000000000001 in floating point, not 101 ms.
    return np.ceil(seconds * 1000.0 - 1e-6)


class Simulation:
    """One run: `summary` (figures for the whole run) and `invocations` (one row per request)."""

    def __init__(
        self,
        arrivals: np.ndarray,
        durations: np.ndarray,
        inits: np.ndarray,
        outcome: _Outcome,
        settings: _Settings,
        engine: str,
        window_s: tuple[float, float] | None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self._inputs = (arrivals, durations, inits)
        self._outcome = outcome
        last = float(np.nanmax(outcome.end)) if not outcome.throttled.all() else -math.inf
        self.window_s = window_s or (min(0.0, float(arrivals[0])), max(last, float(arrivals[-1])))
        self.summary = self._summarise()

    def _summarise(self) -> dict[str, float]:
        """The figures; every step skips its masking when nothing was throttled (the usual run)."""
        arrivals, durations, inits = self._inputs
        out, s = self._outcome, self.settings
        served = ~out.throttled
        everyone = bool(served.all())
        begin, stop = self.window_s
        length = stop - begin
        arrival = arrivals if everyone else arrivals[served]
        end = out.end if everyone else out.end[served]
        latency = end - arrival
        if arrival.size and (arrival[0] < begin or end.max() > stop):
            busy = float((np.clip(end, begin, stop) - np.clip(arrival, begin, stop)).sum())
        else:
            busy = float(latency.sum())
        p50, p99 = np.percentile(latency, [50, 99]) * 1000.0 if latency.size else (math.nan,) * 2
        # Bill everyone's duration, then add INIT for the (few) cold starts.
        billed = _billed_ms(durations)
        colds = np.flatnonzero(out.cold)
        if s.bill_init and colds.size:
            billed[colds] = _billed_ms(durations[colds] + inits[colds])
        if not everyone:
            billed[out.throttled] = 0.0
        total_ms = float(billed.sum())
        provisioned_ms = float(billed[out.provisioned].sum()) if out.provisioned.any() else 0.0
        gb = s.memory_mb / 1024  # AWS's GB-second counts 1,024 MB as 1 GB
        served_count = int(arrival.size)
        return {
            "invocations": int(arrivals.size),
            "throttled": int(arrivals.size - served_count),
            "cold_starts": int(colds.size),
            "cold_start_fraction": colds.size / served_count if served_count else 0.0,
            "environments_created": int(colds.size) + s.provisioned,
            "mean_concurrency": busy / length if length > 0 else 0.0,
            "peak_concurrency": int(out.concurrency.max()),
            "mean_latency_ms": float(latency.mean()) * 1000.0 if latency.size else math.nan,
            "p50_latency_ms": float(p50),
            "p99_latency_ms": float(p99),
            "window_s": float(length),
            "requests_billed": served_count,
            "on_demand_gb_s": (total_ms - provisioned_ms) / 1000.0 * gb,
            "provisioned_duration_gb_s": provisioned_ms / 1000.0 * gb,
            "provisioned_concurrency_gb_s": s.provisioned * gb * length,
        }

    @cached_property
    def invocations(self) -> pd.DataFrame:
        """One row per request: arrival, start (after INIT), end, cold, env, provisioned, ..."""
        out = self._outcome
        if out.env is None:
            # The vectorised engine does not track which environment served whom; the event
            # loop replays the run to name them, and must agree with it on everything else.
            s = self.settings
            replay = _run_events(
                *self._inputs, s.keep_alive_s, s.provisioned, s.max_concurrency, s.reuse
            )
            if not (
                np.array_equal(replay.cold, out.cold)
                and np.array_equal(replay.provisioned, out.provisioned)
            ):
                raise RuntimeError("the two engines disagree; please report this run")
            out = self._outcome = replay
        arrivals, _, inits = self._inputs
        start = arrivals + np.where(out.cold, inits, 0.0)
        start[out.throttled] = np.nan
        return pd.DataFrame(
            {
                "arrival": arrivals,
                "start": start,
                "end": out.end,
                "cold": out.cold,
                "env": out.env,
                "provisioned": out.provisioned,
                "throttled": out.throttled,
                "concurrency": out.concurrency,
            }
        )

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"<Simulation {s['invocations']:,} requests, {s['cold_starts']:,} cold "
            f"({s['cold_start_fraction']:.2%}), p99 {s['p99_latency_ms']:.0f} ms, "
            f"engine={self.engine}>"
        )


def simulate(
    arrivals: ArrayLike,
    duration_s: Durations = 0.1,
    *,
    init_s: Durations = 0.3,
    keep_alive_s: float = 600.0,
    provisioned: int = 0,
    max_concurrency: int | None = None,
    memory_mb: int = 128,
    reuse: Reuse = "mru",
    bill_init: bool = True,
    window_s: tuple[float, float] | None = None,
    seed: int = 0,
    engine: Engine = "auto",
) -> Simulation:
    """Run requests arriving at `arrivals` (seconds) through Lambda's execution environments."""
    times = np.asarray(arrivals, dtype=float).ravel()
    if times.size == 0:
        raise ValueError("no arrivals to simulate")
    if not np.isfinite(times).all():
        raise ValueError("arrival times must be finite")
    if reuse not in ("mru", "newest", "lru"):
        raise ValueError(f"reuse must be 'mru', 'newest' or 'lru'; got {reuse!r}")
    if keep_alive_s < 0 or provisioned < 0:
        raise ValueError("keep_alive_s and provisioned must not be negative")
    if max_concurrency is not None and max_concurrency < max(provisioned, 1):
        raise ValueError("max_concurrency must be at least 1 and at least `provisioned`")
    rng = np.random.default_rng(seed)
    durations = _durations(duration_s, times.size, rng, "duration_s")
    inits = _durations(init_s, times.size, rng, "init_s")
    if (durations <= 0).any():
        raise ValueError("every duration must be positive: a request occupies its environment")
    if (np.diff(times) < 0).any():  # learners' timestamps may come in any order
        order = np.argsort(times, kind="stable")
        times, durations, inits = times[order], durations[order], inits[order]
    settings = _Settings(keep_alive_s, provisioned, max_concurrency, memory_mb, reuse, bill_init)
    outcome = None
    if engine == "vectorised" or (
        engine == "auto" and reuse == "mru" and times.size >= VECTORISE_FROM
    ):
        if reuse != "mru":
            raise ValueError("the vectorised engine implements reuse='mru' only")
        # In "auto", give up once the one-by-one checks would cost more than the event loop.
        budget = None if engine == "vectorised" else times.size // 10
        outcome = _run_vectorised(
            times, durations, inits, keep_alive_s, provisioned, max_concurrency, budget
        )
        if outcome is None and engine == "vectorised":
            raise ValueError(
                "the vectorised engine needs no throttling, and provisioned concurrency of 0 "
                "or at least the peak; use engine='events'"
            )
    used = "vectorised"
    if outcome is None:
        used = "events"
        outcome = _run_events(
            times, durations, inits, keep_alive_s, provisioned, max_concurrency, reuse
        )
    return Simulation(times, durations, inits, outcome, settings, used, window_s)


def simulation_speed(
    hours: float = 24.0, rate_per_s: float = 100.0, engine: Engine = "auto"
) -> float:
    """Simulated requests per wall-clock second for steady traffic (arrival generation excluded)."""
    arrivals = poisson_arrivals(rate_per_s, hours * 3600.0, seed=0)
    began = time.perf_counter()
    simulate(arrivals, Lognormal(0.1, 0.5), init_s=0.3, engine=engine)
    return arrivals.size / (time.perf_counter() - began)
