"""The benchmark runs (small sizes here: its figures are read by people, not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json
from helpers import bench, bench_memory

print(json.dumps({
    "run": bench.run(repeat=3, cold=1),
    "sqs": bench.sqs_throughput(messages=30),
    "firsts": bench.concurrent_first_invokes(functions=3),
    "kernel": bench_memory.kernel_pss() if bench_memory.measurable() else None,
}))
"""


def test_the_benchmark_runs_end_to_end():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["sqs"]["per_second"] > 0
    assert all(value > 0 for value in figures["run"].values()), figures["run"]
    assert figures["firsts"]["slowest_s"] > 0
    if figures["kernel"] is not None:  # Linux: a warm environment and a kernel hold memory
        assert len(figures["firsts"]["uss_mb"]) == 3
        assert all(0 < mb < 200 for mb in figures["firsts"]["uss_mb"]), figures["firsts"]
        # A kernel that ran helpers.start(): at least Python, boto3 and moto are loaded.
        assert 40 < figures["kernel"]["pss_mb"] < 2000, figures["kernel"]
