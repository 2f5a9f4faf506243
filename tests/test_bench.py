"""The benchmark runs (small sizes here: its figures are read by people, not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json
from helpers import bench

print(json.dumps({"run": bench.run(repeat=3, cold=1), "sqs": bench.sqs_throughput(messages=30)}))
"""


def test_the_benchmark_runs_end_to_end():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["sqs"]["per_second"] > 0
    assert all(value > 0 for value in figures["run"].values()), figures["run"]
