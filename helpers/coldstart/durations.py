"""How long requests run and initialise: a fixed time, a lognormal spread, or your own values."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .parallel import generators, parallel_map, spans

# Values per generator: 65,536 lognormals stay in the CPU cache, and a day at 100/s is 132
# chunks shared by the threads.
CHUNK = 1 << 16


@dataclass(frozen=True)
class Lognormal:
    """Durations with a long right tail: half below `median_s`, p99 ≈ median·e^(2.33·sigma)."""

    median_s: float
    sigma: float = 0.5

    def __post_init__(self) -> None:
        if not (math.isfinite(self.median_s) and self.median_s > 0):
            raise ValueError(f"median_s must be positive; got {self.median_s}")
        if not (math.isfinite(self.sigma) and self.sigma >= 0):
            raise ValueError(f"sigma must be finite and not negative; got {self.sigma}")

    @property
    def mean_s(self) -> float:
        """The mean duration, above the median by the tail's weight."""
        return self.median_s * math.exp(self.sigma**2 / 2.0)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """`n` durations in seconds."""
        return rng.lognormal(math.log(self.median_s), self.sigma, n)


Durations = float | Lognormal | ArrayLike


def largest(values: np.ndarray) -> float:
    """values.max(), at once for a fixed time (a view of one value)."""
    return float((values[:1] if values.strides == (0,) else values).max())


def smallest(values: np.ndarray) -> float:
    """values.min(), at once for a fixed time (a view of one value)."""
    return float((values[:1] if values.strides == (0,) else values).min())


def _lognormals(
    spec: Lognormal, n: int, rng: np.random.Generator, seed: int | None, stream: int
) -> np.ndarray:
    """`n` draws, chunk by chunk on the threads; the first chunk comes from `rng` itself."""
    parts = spans(n, CHUNK)
    if seed is None or len(parts) == 1:
        return spec.sample(rng, n)
    rngs = generators(rng, seed, stream, len(parts))
    out = np.empty(n)

    def fill(k: int) -> None:
        # Single-precision normals and exp: a third less time than rng.lognormal, and each
        # duration still has six significant digits (a microsecond in a second).
        lo, hi = parts[k]
        z = rngs[k].standard_normal(hi - lo, dtype=np.float32)
        z *= np.float32(spec.sigma)
        z += np.float32(math.log(spec.median_s))
        out[lo:hi] = np.exp(z, out=z)

    fill(0)  # before the threads: the caller's generator goes on to the next stream
    parallel_map(fill, range(1, len(parts)))
    return out


def draw(
    spec: Durations,
    n: int,
    rng: np.random.Generator,
    name: str,
    seed: int | None = None,
    stream: int = 0,
) -> np.ndarray:
    """`n` values in seconds from `spec`; a fixed time is a read-only view, not n copies.

    With a `seed`, a long run draws its chunks from child streams of it on the threads;
    without, everything comes from `rng`.
    """
    if isinstance(spec, Lognormal):
        values = _lognormals(spec, n, rng, seed, stream)
        # exp() can still overflow or underflow for extreme parameters.
        if not (values.min() > 0 and math.isfinite(values.max())):
            raise ValueError(f"{name} must be finite and positive; check the Lognormal's values")
        return values
    if np.ndim(spec) == 0:
        value = float(spec)  # type: ignore[arg-type]
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"{name} must be finite and not negative")
        return np.broadcast_to(np.float64(value), (n,))
    values = np.asarray(spec, dtype=float).ravel()
    if values.size != n:
        raise ValueError(f"{name} has {values.size} values for {n} arrivals")
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValueError(f"{name} must be finite and not negative")
    return values
