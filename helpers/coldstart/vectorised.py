"""The "mru" engine in bulk numpy: a day of traffic at 100 requests/s in a fraction of a second.

Under reuse="mru" a request is cold exactly when the concurrency it brings (its level) has not
been reached in the last `keep_alive_s` seconds (model.py says why). So the engine counts the
busy environments each request finds, in bulk, then looks closely at the few requests whose level
is a new high for their window. Cold starts are rare in steady traffic, so almost all the work is
per-request counting, done in chunks of CHUNK requests: small enough for the CPU cache, and for
malloc to reuse its memory rather than fault in fresh pages, and shared by the threads.
"""

from __future__ import annotations

import heapq
import math

import numpy as np

from .durations import largest
from .event_loop import Outcome
from .parallel import parallel_map, spans, workers

CHUNK = 1 << 14
# How many arrivals of an end's time bucket are compared with it before a binary search does it.
BUCKET_STEPS = 2


def _first_at_or_after(arrivals: np.ndarray, end: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """searchsorted(arrivals, end[lo:hi]) - lo, knowing end[j] > arrivals[j]: where the first
    arrival that finds request j finished is, counted from the chunk's first arrival."""
    ahead, ends = arrivals[lo:hi], end[lo:hi]
    t0, span = float(ahead[0]), float(ahead[-1] - ahead[0])
    if hi - lo < 64 or not span > 0:
        return np.searchsorted(arrivals[lo:], ends)
    # Binary search costs ~20 branch mispredictions per end. Instead cut the chunk's time into
    # buckets, as many as arrivals: the bucket of a time is monotone in it, so an end is after
    # every arrival of earlier buckets and before every arrival of later ones, and only the
    # (usually zero or one) arrivals of its own bucket need comparing.
    buckets = hi - lo
    scale = buckets / span
    where = np.subtract(ahead, t0)
    where *= scale  # the last arrival lands on `buckets` (or just under: rounding)
    first = np.zeros(buckets + 2, dtype=np.intp)
    np.cumsum(np.bincount(where.astype(np.intp), minlength=buckets + 1), out=first[1:])
    np.subtract(ends, t0, out=where)
    where *= scale
    np.minimum(where, buckets, out=where)
    found = first[where.astype(np.intp)]
    # Step past the bucket's arrivals that are before the end. The first arrival of a later
    # bucket is after it, and the one past the chunk is at infinity: each step stops by itself.
    times = np.append(ahead, np.inf)
    for _ in range(BUCKET_STEPS):  # whole-chunk steps cost less than indexing the few left
        found += times[found] < ends
    todo = np.flatnonzero(times[found] < ends)
    if todo.size:  # crowded buckets: a burst inside a long chunk
        found[todo] = np.searchsorted(ahead, ends[todo])
    late = np.flatnonzero(ends > ahead[-1])  # still busy after the chunk's last arrival
    if late.size:
        found[late] = hi - lo + np.searchsorted(arrivals[hi:], ends[late])
    return found


def levels(
    arrivals: np.ndarray, durations: np.ndarray, block: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """end of each request, the level each brings (busy environments once it is placed), and
    the highest level of each block of `block` requests.

    The levels come zero-padded to whole blocks (0 is below every level).
    """
    n = arrivals.size
    end = np.empty(n)
    level = np.zeros(-(-n // block) * block, dtype=np.int32 if n < 2**31 - 1 else np.int64)
    block_max = np.empty(level.size // block, dtype=level.dtype)

    def maxima(lo: int, hi: int) -> None:  # block_max of the blocks holding [lo, hi)
        first, last = lo // block, -(-hi // block)
        block_max[first:last] = level[first * block : last * block].reshape(-1, block).max(1)

    def part(span: tuple[int, int]) -> np.ndarray:
        """Levels from this part's own requests, chunk by chunk; returns those still busy after."""
        s, t = span
        done = 0  # requests of the part finished before the chunk
        pending = np.empty(0, dtype=np.intp)  # first_after of the part's requests still busy
        for lo, hi in spans(t, CHUNK, s):
            np.add(arrivals[lo:hi], durations[lo:hi], out=end[lo:hi])
            # Request j is busy for the arrivals before first_after[j].
            found = _first_at_or_after(arrivals, end, lo, hi)
            count = np.bincount(np.minimum(found, hi - lo), minlength=hi - lo + 1)
            if pending.size:
                count += np.bincount(np.minimum(pending, hi) - lo, minlength=hi - lo + 1)
            finished = np.cumsum(count[: hi - lo])
            finished += done
            done = int(finished[-1])
            # A level counts the request itself.
            np.subtract(np.arange(lo - s + 1, hi - s + 1), finished, out=level[lo:hi])
            maxima(lo, hi)
            found += lo
            pending = np.concatenate((pending[pending >= hi], found[found >= hi]))
        return pending

    parts = spans(n, -(-n // (workers() * CHUNK)) * CHUNK)
    still = parallel_map(part, parts)
    # Each part counted its own requests only: add the earlier parts' ones still busy in it.
    busy = np.empty(0, dtype=np.intp)
    for (s, t), own in zip(parts, still, strict=True):
        if busy.size:
            reach = min(int(busy.max()), t)
            gone = np.cumsum(np.bincount(np.minimum(busy, reach) - s, minlength=reach - s + 1))
            level[s:reach] += busy.size - gone[: reach - s]
            maxima(s, reach)
        busy = np.concatenate((busy[busy >= t], own))
    return end, level, block_max


def _window_maxima(
    arrivals: np.ndarray, block_max: np.ndarray, block: int, keep_alive_s: float
) -> np.ndarray:
    """For each block: the highest level in the earlier blocks that lie wholly inside the
    keep-alive window of every request of the block (0 when there are none)."""
    count, n = block_max.size, arrivals.size
    last = np.minimum(np.arange(1, count + 1) * block, n) - 1
    # The block's last request has the latest window start; the blocks whose first arrival is
    # after it are in every window. (Searching the blocks' first arrivals stays in the cache.)
    inside = np.searchsorted(arrivals[::block], arrivals[last] - keep_alive_s, side="right")
    length = np.arange(count) - inside
    out = np.zeros(count, dtype=block_max.dtype)
    valid = np.flatnonzero(length > 0)
    power = np.frexp(length[valid])[1] - 1  # floor(log2(length)), exactly
    table = block_max  # table[x] = max(block_max[x : x + 2**k]): a sparse table, level k
    for k in range(int(power.max()) + 1 if valid.size else 0):
        if k:
            table = np.maximum(table[: -(1 << (k - 1))], table[1 << (k - 1) :])
        ask = valid[power == k]
        out[ask] = np.maximum(table[inside[ask]], table[ask - (1 << k)])
    return out


def _cold_starts(
    arrivals: np.ndarray,
    end: np.ndarray,
    level: np.ndarray,
    block_max: np.ndarray,
    block: int,
    inits: np.ndarray,
    keep_alive_s: float,
    longest_s: float,
    budget: int | None,
) -> np.ndarray | None:
    """Mark the cold requests under the "mru" rule; extend `end` and `level` for them in place.

    With the most recently freed environment reused first, the one a request gets is the one
    freed when concurrency last fell below the level this request brings; it is still alive iff
    that level was reached less than `keep_alive_s` ago. So request i is warm iff some moment in
    [a_i - keep_alive, a_i) had at least level[i] busy environments. Block maxima clear almost
    every request in bulk; the rest are checked one by one, in time order, because a cold
    start's INIT keeps its environment busy longer and raises the level of the requests that
    arrive meanwhile. Gives up (None) after `budget` such checks: a storm of cold starts is the
    event loop's strength, not this one's. `longest_s` bounds how long any request stays busy.
    """
    n = arrivals.size
    cold = np.zeros(n, dtype=bool)
    ahead = _window_maxima(arrivals, block_max, block, keep_alive_s)
    queue = np.flatnonzero(level.reshape(-1, block) > ahead[:, None])
    # Cleared too: a request whose level the previous request, inside its window, had reached.
    before = np.maximum(queue - 1, 0)
    near = (arrivals[before] > arrivals[queue] - keep_alive_s) & (level[before] >= level[queue])
    todo = queue[~(near & (queue > 0))].tolist()
    if budget is not None and len(todo) > budget:
        return None

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

    heap, done, checks = todo, -1, 0  # a sorted list is a heap
    while heap:
        i = heapq.heappop(heap)
        if i <= done:
            continue
        done = i
        checks += 1
        if budget is not None and checks > budget:
            return None
        need = int(level[i])
        since = arrivals[i] - keep_alive_s
        lo = min(i, int(np.searchsorted(arrivals, since, side="right")))
        seen = highest(lo, i) if lo < i else 0
        if seen < need and lo > 0 and level[lo - 1] >= need:
            # The level at the window's first instant: the earlier requests still busy then.
            # None that arrived longest_s before it can be (twice that: a margin for rounding).
            p = lo - 1
            first = int(np.searchsorted(arrivals, since - 2.0 * longest_s, side="right"))
            seen = int(np.count_nonzero(end[first : p + 1] > since))
        if seen >= need:
            continue
        cold[i] = True
        start = int(np.searchsorted(arrivals, end[i]))  # the first arrival after it finished
        end[i] += inits[i]
        stop = int(np.searchsorted(arrivals, end[i]))
        if stop <= start:
            continue
        level[start:stop] += 1
        for b in range(start // block, (stop - 1) // block + 1):
            lo_b, hi_b = max(start, b * block), min(stop, (b + 1) * block)
            block_max[b] = max(block_max[b], level[lo_b:hi_b].max())
        # The raised requests need one more environment than before: check again those whose
        # new level is above a lower bound of their window's maximum (when the raised stretch
        # lies inside every one of its windows; otherwise all of them).
        raised = level[start:stop]
        recheck = range(start, stop)
        inside = int(np.searchsorted(arrivals, arrivals[stop - 1] - keep_alive_s, side="right"))
        if inside <= start:
            floor = highest(inside, start) if inside < start else 0
            before = np.maximum.accumulate(np.concatenate(([floor], raised[:-1])))
            recheck = (start + np.flatnonzero(raised > before)).tolist()
        for j in recheck:
            heapq.heappush(heap, j)
    return cold


def run_vectorised(
    arrivals: np.ndarray,
    durations: np.ndarray,
    inits: np.ndarray,
    keep_alive_s: float,
    provisioned: int,
    max_concurrency: int | None,
    budget: int | None,
) -> Outcome | None:
    """The "mru" rule in bulk numpy; None when the run needs the event loop instead."""
    n = arrivals.size
    # Blocks of about a 256th of the requests in a typical keep-alive window (a power of two
    # from 16 to 4,096, so a CHUNK holds whole blocks): the bulk test then sees almost all of
    # the window, and the one-by-one checks scan few blocks.
    span = float(arrivals[-1] - arrivals[0])
    typical = n * keep_alive_s / span if span > 0 else n
    block = 1 << round(min(12.0, max(4.0, math.log2(max(typical / 256.0, 1.0)))))
    end, level, block_max = levels(arrivals, durations, block)
    peak = int(block_max.max())
    none = np.zeros(n, dtype=bool)
    if provisioned >= peak:  # every request finds a provisioned environment free
        return Outcome(none, end, level[:n], ~none, none, None)
    if provisioned:
        return None  # provisioned first, spill-over after: the event loop's job
    longest = largest(durations) + largest(inits)
    cold = _cold_starts(
        arrivals, end, level, block_max, block, inits, keep_alive_s, longest, budget
    )
    if cold is None or (max_concurrency is not None and int(block_max.max()) > max_concurrency):
        return None
    return Outcome(cold, end, level[:n], none, none, None)
