"""Cold starts: simulated (`model`), CPU versus memory (`cpu`), and measured (`measure`).

    from helpers import coldstart as cs
    run = cs.simulate(cs.poisson_arrivals(2, 3600, seed=1), cs.Lognormal(0.12), init_s=0.4)
    run.summary

`measure` talks to a Lambda API through boto3, so it is imported on its own:
`from helpers.coldstart import measure`.
"""

from __future__ import annotations

from .arrivals import burst_arrivals, daily_arrivals, poisson_arrivals, rate_arrivals
from .cpu import MAX_VCPUS, MB_PER_VCPU, duration_at, memory_sweep, vcpus
from .durations import Lognormal
from .model import Simulation, simulate, simulation_speed
from .sweep import cold_fraction_sweep

__all__ = [
    "MAX_VCPUS",
    "MB_PER_VCPU",
    "Lognormal",
    "Simulation",
    "burst_arrivals",
    "cold_fraction_sweep",
    "daily_arrivals",
    "duration_at",
    "memory_sweep",
    "poisson_arrivals",
    "rate_arrivals",
    "simulate",
    "simulation_speed",
    "vcpus",
]
