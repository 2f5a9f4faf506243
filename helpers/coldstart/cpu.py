"""CPU follows memory: how a Lambda function's duration changes with its MemorySize.

AWS gives a function CPU in proportion to its memory: "At 1,769 MB, a function has the equivalent
of one vCPU (one vCPU-second of credits per second)", for 128 MB to 10,240 MB
(https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). The largest size shows
6 vCPUs (https://aws.amazon.com/blogs/aws/new-for-aws-lambda-functions-with-up-to-10-gb-of-memory-and-6-vcpus/).
Everything else here is the kit's MODEL, not AWS's words: it extends AWS's one stated point
linearly, so 10,240 MB gets 10,240 / 1,769 = 5.79 vCPU-seconds per second (AWS publishes no
share per size; measure your own function with AWS Lambda Power Tuning).

The model is for CPU-bound code. Below one vCPU every instruction runs slower in proportion.
Above one vCPU only the part that runs in parallel (threads, processes) gets faster: Amdahl's law.
Waiting on the network does not speed up with memory at all; leave such time out of the base
duration and add it back.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

# The kit's own limits file has these figures with their sources; read it directly because
# `helpers.limits` imports moto, far heavier than this arithmetic needs.
_LIMITS = json.loads((Path(__file__).parents[1] / "data" / "limits.json").read_text())["limits"]
MB_PER_VCPU = int(_LIMITS["memory_mb_per_vcpu"]["value"])  # one vCPU (configuration-memory page)
MAX_VCPUS = int(_LIMITS["vcpus_max"]["value"])  # the cores a 10,240 MB function sees (blog post)
MEMORY_MIN_MB = int(_LIMITS["memory_mb_min"]["value"])
MEMORY_MAX_MB = int(_LIMITS["memory_mb_max"]["value"])

TUNING_SIZES = (128, 256, 512, 1024, 1536, 1769, 2048, 3008, 4096, 6144, 8192, 10240)


def _check_memory(memory_mb: float) -> None:
    if not MEMORY_MIN_MB <= memory_mb <= MEMORY_MAX_MB:
        raise ValueError(
            f"memory_mb must be between {MEMORY_MIN_MB} and {MEMORY_MAX_MB} MB, as on AWS; "
            f"got {memory_mb}"
        )


def vcpus(memory_mb: float) -> float:
    """The modelled CPU share at this memory, in vCPUs (1.0 at 1,769 MB as AWS says; 5.79 at
    10,240 MB by the kit's linear model, not an AWS figure)."""
    _check_memory(memory_mb)
    return memory_mb / MB_PER_VCPU


def _time_per_work(memory_mb: float, parallel_fraction: float) -> float:
    share = vcpus(memory_mb)
    # The serial part can use at most one vCPU; the parallel part uses the whole share.
    return (1.0 - parallel_fraction) / min(share, 1.0) + parallel_fraction / share


def duration_at(
    memory_mb: float,
    base_duration_ms: float,
    base_memory_mb: float,
    parallel_fraction: float = 0.0,
) -> float:
    """The duration (ms) of CPU-bound work measured as `base_duration_ms` at `base_memory_mb`."""
    if not 0.0 <= parallel_fraction <= 1.0:
        raise ValueError(f"parallel_fraction must be between 0 and 1; got {parallel_fraction}")
    if base_duration_ms < 0:
        raise ValueError(f"base_duration_ms must not be negative; got {base_duration_ms}")
    scale = _time_per_work(memory_mb, parallel_fraction) / _time_per_work(
        base_memory_mb, parallel_fraction
    )
    return base_duration_ms * scale


def memory_sweep(
    base_duration_ms: float,
    base_memory_mb: float,
    parallel_fraction: float = 0.0,
    sizes: Iterable[int] = TUNING_SIZES,
) -> pd.DataFrame:
    """A table of memory size → vCPUs, duration and GB-seconds per invocation, for tuning."""
    rows = []
    for memory in sizes:
        duration = duration_at(memory, base_duration_ms, base_memory_mb, parallel_fraction)
        billed_ms = math.ceil(round(duration, 6))  # AWS bills duration in 1 ms steps
        rows.append(
            {
                "memory_mb": memory,
                "vcpus": vcpus(memory),
                "duration_ms": duration,
                "billed_ms": billed_ms,
                "gb_s": memory / 1024 * billed_ms / 1000,
            }
        )
    return pd.DataFrame(rows)
