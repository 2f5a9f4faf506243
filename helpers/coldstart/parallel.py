"""Chunks of work on a few threads, and one random generator per chunk.

numpy releases the GIL inside its loops (random sampling, sorting, searching, arithmetic), so
two threads on two halves of a day of traffic take about half the wall time on two cores. Each
chunk draws from its own generator, so a seed gives the same numbers whatever the thread count.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

T = TypeVar("T")
R = TypeVar("R")

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def workers() -> int:
    """How many threads share the work: up to four, one per core."""
    return max(1, min(4, os.cpu_count() or 1))


def parallel_map(work: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """[work(item) for item in items], on up to four threads when there is more than one item."""
    global _pool
    todo = list(items)
    if len(todo) < 2 or workers() < 2:
        return [work(item) for item in todo]
    with _pool_lock:  # two callers' first calls must not make two pools
        if _pool is None:
            _pool = ThreadPoolExecutor(workers(), thread_name_prefix="coldstart")
    return list(_pool.map(work, todo))


def spans(n: int, size: int, start: int = 0) -> list[tuple[int, int]]:
    """[lo, hi) index ranges of at most `size` covering range(start, n)."""
    return [(lo, min(lo + size, n)) for lo in range(start, n, size)]


def generators(
    first: np.random.Generator, seed: int, stream: int, count: int
) -> list[np.random.Generator]:
    """`count` generators for the chunks of one random stream, starting with `first`.

    Starting with the caller's generator keeps runs that fit in one chunk identical to the numbers
    they drew before chunks existed; later chunks get independent child streams of `seed`.
    """
    if count <= 1:
        return [first]
    children = np.random.SeedSequence(seed, spawn_key=(stream,)).spawn(count - 1)
    return [first, *(np.random.default_rng(child) for child in children)]
