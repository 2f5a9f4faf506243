"""The event loop: every request in turn, for every reuse policy, and the names of environments."""

from __future__ import annotations

import heapq
import math
from collections import deque
from typing import Literal, NamedTuple

import numpy as np

Reuse = Literal["mru", "newest", "lru"]


class Outcome(NamedTuple):
    """What an engine found, one value per request."""

    cold: np.ndarray  # bool
    end: np.ndarray  # float, NaN when throttled
    concurrency: np.ndarray  # busy environments just after this request was placed
    provisioned: np.ndarray  # bool
    throttled: np.ndarray  # bool
    env: np.ndarray | None  # int, -1 when throttled; None until the event engine has named them


def run_events(
    arrivals: np.ndarray,
    durations: np.ndarray,
    inits: np.ndarray,
    keep_alive_s: float,
    provisioned: int,
    max_concurrency: int | None,
    reuse: Reuse,
) -> Outcome:
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
    return Outcome(
        cold=np.frombuffer(bytes(cold), dtype=np.uint8).astype(bool),
        end=np.array(end),
        concurrency=np.array(busy_count, dtype=np.int64),
        provisioned=(envs >= 0) & (envs < provisioned),
        throttled=envs < 0,
        env=envs,
    )
