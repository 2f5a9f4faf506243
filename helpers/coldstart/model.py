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
    run.environments()              # which environment served each one

Two engines give the same answers: an event loop (every policy, limits, provisioned spill-over;
`event_loop.py`) and, for many requests under reuse="mru", bulk numpy (`vectorised.py`), which
runs a day at 100 requests/s in about half a second. The arrival generators are in
`arrivals.py`, the durations in `durations.py`.

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

import math
import time
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .arrivals import burst_arrivals, daily_arrivals, poisson_arrivals, rate_arrivals
from .durations import Durations, Lognormal, draw, smallest
from .event_loop import Outcome, Reuse, run_events
from .figures import Figures, billed_ms, figures
from .vectorised import run_vectorised

Engine = Literal["auto", "events", "vectorised"]

# Re-exported: this module held them before they had modules of their own.
__all__ = [
    "Lognormal",
    "Simulation",
    "burst_arrivals",
    "daily_arrivals",
    "poisson_arrivals",
    "rate_arrivals",
    "simulate",
    "simulation_speed",
]

# Below this many requests the event loop is as fast as the vectorised engine's set-up.
VECTORISE_FROM = 20_000


@dataclass(frozen=True)
class _Settings:
    keep_alive_s: float
    provisioned: int
    max_concurrency: int | None
    memory_mb: int
    reuse: Reuse
    bill_init: bool


class Simulation:
    """One run: `summary` (figures for the whole run), `invocations` (one row per request) and
    `environments()` (which environment served each request)."""

    def __init__(
        self,
        arrivals: np.ndarray,
        durations: np.ndarray,
        inits: np.ndarray,
        outcome: Outcome,
        settings: _Settings,
        engine: str,
        window_s: tuple[float, float] | None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self._inputs = (arrivals, durations, inits)
        self._outcome = outcome
        self._env: np.ndarray | None = None  # named on demand for a vectorised run
        self._everyone = not outcome.throttled.any()  # the usual run: no masking needed
        if self._everyone:
            self._last = float(outcome.end.max())
        else:
            self._last = -math.inf if outcome.throttled.all() else float(np.nanmax(outcome.end))
        self.window_s = window_s or (
            min(0.0, float(arrivals[0])),
            max(self._last, float(arrivals[-1])),
        )
        self.summary = self._summarise()

    def _summarise(self) -> dict[str, float]:
        """The figures; every step skips its masking when nothing was throttled."""
        arrivals, durations, inits = self._inputs
        out, s = self._outcome, self.settings
        served = None if self._everyone else ~out.throttled
        begin, stop = self.window_s
        length = stop - begin
        arrival = arrivals if served is None else arrivals[served]
        end = out.end if served is None else out.end[served]
        served_count = int(arrival.size)
        if served_count:
            found = figures(arrival, end, durations if served is None else durations[served])
        else:
            found = Figures(0.0, math.nan, math.nan, 0.0)
        busy = found.latency_s
        if served_count and (arrival[0] < begin or self._last > stop):
            busy = float((np.clip(end, begin, stop) - np.clip(arrival, begin, stop)).sum())
        # Bill everyone's duration, then add INIT for the (few) cold starts.
        total_ms = found.billed_ms
        colds = np.flatnonzero(out.cold)
        if s.bill_init and colds.size:
            extra = billed_ms(durations[colds] + inits[colds]) - billed_ms(durations[colds])
            total_ms += float(extra.sum())
        provisioned_ms = 0.0
        if s.provisioned and out.provisioned.any():  # provisioned environments are never cold
            provisioned_ms = float(billed_ms(durations[out.provisioned]).sum())
        gb = s.memory_mb / 1024  # AWS's GB-second counts 1,024 MB as 1 GB
        mean_ms = found.latency_s / served_count * 1000.0 if served_count else math.nan
        return {
            "invocations": int(arrivals.size),
            "throttled": int(arrivals.size - served_count),
            "cold_starts": int(colds.size),
            "cold_start_fraction": colds.size / served_count if served_count else 0.0,
            "environments_created": int(colds.size) + s.provisioned,
            "mean_concurrency": busy / length if length > 0 else 0.0,
            "peak_concurrency": int(out.concurrency.max()),
            "mean_latency_ms": mean_ms,
            "p50_latency_ms": found.p50_s * 1000.0,
            "p99_latency_ms": found.p99_s * 1000.0,
            "window_s": float(length),
            "requests_billed": served_count,
            "on_demand_gb_s": (total_ms - provisioned_ms) / 1000.0 * gb,
            "provisioned_duration_gb_s": provisioned_ms / 1000.0 * gb,
            "provisioned_concurrency_gb_s": s.provisioned * gb * length,
        }

    @cached_property
    def invocations(self) -> pd.DataFrame:
        """One row per request: arrival, start (after INIT), end, cold, env, provisioned,
        throttled, concurrency (busy environments once it was placed).

        A vectorised run (reuse="mru" and many requests) has no `env` column: which environment
        served whom takes a replay of every request, so it waits for `environments()`.
        """
        out = self._outcome
        arrivals, _, inits = self._inputs
        start = arrivals.copy()
        colds = np.flatnonzero(out.cold)
        start[colds] += inits[colds]
        if not self._everyone:
            start[out.throttled] = np.nan
        columns = {"arrival": arrivals, "start": start, "end": out.end, "cold": out.cold}
        if out.env is not None:
            columns["env"] = out.env
        columns |= {
            "provisioned": out.provisioned,
            "throttled": out.throttled,
            "concurrency": out.concurrency.astype(np.int64),
        }
        return pd.DataFrame(columns)

    def environments(self) -> np.ndarray:
        """Which execution environment served each request: 0, 1, 2... in order of creation,
        provisioned ones first; -1 for a throttled request.

        The event loop names them as it runs. The vectorised engine does not, so for its runs
        this replays every request through the event loop (about 1.5 s per million requests),
        which also checks that the two engines agree.
        """
        if self._outcome.env is not None:
            return self._outcome.env
        if self._env is None:
            s, out = self.settings, self._outcome
            replay = run_events(
                *self._inputs, s.keep_alive_s, s.provisioned, s.max_concurrency, s.reuse
            )
            if not (
                np.array_equal(replay.cold, out.cold)
                and np.array_equal(replay.provisioned, out.provisioned)
                and np.array_equal(replay.end, out.end)
                and np.array_equal(replay.concurrency, out.concurrency)
            ):
                raise RuntimeError("the two engines disagree; please report this run")
            self._env = replay.env
        return self._env

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
    if reuse not in ("mru", "newest", "lru"):
        raise ValueError(f"reuse must be 'mru', 'newest' or 'lru'; got {reuse!r}")
    if keep_alive_s < 0 or provisioned < 0:
        raise ValueError("keep_alive_s and provisioned must not be negative")
    if max_concurrency is not None and max_concurrency < max(provisioned, 1):
        raise ValueError("max_concurrency must be at least 1 and at least `provisioned`")
    # One generator for both, as before chunks: a small run draws the numbers it always drew.
    rng = np.random.default_rng(seed)
    durations = draw(duration_s, times.size, rng, "duration_s", seed, 1)
    inits = draw(init_s, times.size, rng, "init_s", seed, 2)
    if not (isinstance(duration_s, Lognormal) or smallest(durations) > 0):  # draw checked those
        raise ValueError("every duration must be positive: a request occupies its environment")
    # Learners' timestamps may come in any order. (A NaN fails `>=` too, and sorts last.)
    if not (times[1:] >= times[:-1]).all():
        order = np.argsort(times, kind="stable")
        times, durations, inits = times[order], durations[order], inits[order]
    if not (np.isfinite(times[0]) and np.isfinite(times[-1])):  # sorted: the extremes are enough
        raise ValueError("arrival times must be finite")
    settings = _Settings(keep_alive_s, provisioned, max_concurrency, memory_mb, reuse, bill_init)
    outcome = None
    if engine == "vectorised" or (
        engine == "auto" and reuse == "mru" and times.size >= VECTORISE_FROM
    ):
        if reuse != "mru":
            raise ValueError("the vectorised engine implements reuse='mru' only")
        # In "auto", give up once the one-by-one checks would cost more than the event loop.
        budget = None if engine == "vectorised" else times.size // 10
        outcome = run_vectorised(
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
        outcome = run_events(
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
