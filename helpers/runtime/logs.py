"""CloudWatch Logs for functions: the handler's output and AWS's START/END/REPORT lines.

Written straight into moto's logs backend, so `logs.filter_log_events` and `get_log_events` see
them exactly as a learner would on AWS: group `/aws/lambda/<name>`, one stream per environment.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from moto.logs.models import logs_backends

# One CloudWatch event holds at most 256 KB (AWS quota); longer lines are cut, as AWS does.
MAX_EVENT_BYTES = 256 * 1024
# `LogType="Tail"` returns the last 4 KB of the invocation's log.
TAIL_BYTES = 4096

# moto's LogStream.put_log_events is not thread-safe; a re-entrant lock because a log subscription
# can start another function whose logs are written from the same thread.
_LOCK = threading.RLock()


def stream_name(version: str, env_id: str) -> str:
    """The log stream name AWS gives an execution environment: `YYYY/MM/DD/[$LATEST]<hex>`."""
    today = datetime.now(UTC)
    return f"{today:%Y/%m/%d}/[{version}]{env_id}"


def output_lines(output: bytes) -> list[str]:
    """The handler's raw output as CloudWatch events: one per line, records kept whole."""
    text = output.decode("utf-8", errors="replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    events = []
    for line in lines:
        line = line.replace("\r", "\n")
        if len(line.encode()) > MAX_EVENT_BYTES:
            line = line.encode()[:MAX_EVENT_BYTES].decode("utf-8", errors="ignore")
        events.append(line)
    return events


@dataclass
class Report:
    """The figures of one invocation, as its REPORT line states them."""

    request_id: str
    duration_ms: float
    memory_mb: int
    max_memory_mb: int
    init_ms: float | None = None
    status: str | None = None  # "timeout", "error" (with error_type), or None for success
    error_type: str | None = None

    @property
    def billed_ms(self) -> int:
        # Billed in 1 ms steps; since 1 August 2025 AWS bills the Init phase of on-demand
        # functions too, so a cold start's billed duration includes its Init Duration.
        return max(1, math.ceil(self.duration_ms + (self.init_ms or 0)))

    def line(self) -> str:
        parts = [
            f"REPORT RequestId: {self.request_id}",
            f"Duration: {self.duration_ms:.2f} ms",
            f"Billed Duration: {self.billed_ms} ms",
            f"Memory Size: {self.memory_mb} MB",
            f"Max Memory Used: {self.max_memory_mb} MB",
        ]
        if self.init_ms is not None:
            parts.append(f"Init Duration: {self.init_ms:.2f} ms")
        if self.status:
            parts.append(f"Status: {self.status}")
            if self.error_type:
                parts.append(f"Error Type: {self.error_type}")
        return "\t".join(parts) + "\t"


def start_line(request_id: str, version: str) -> str:
    return f"START RequestId: {request_id} Version: {version}"


def end_line(request_id: str) -> str:
    return f"END RequestId: {request_id}"


def write(account_id: str, region: str, function_name: str, stream: str, lines: list[str]) -> None:
    """Append lines to the function's log group and stream, creating them as AWS does."""
    if not lines:
        return
    group_name = f"/aws/lambda/{function_name}"
    now = int(time.time() * 1000)
    events = [{"timestamp": now, "message": line} for line in lines]
    with _LOCK:
        backend = logs_backends[account_id][region]
        backend.ensure_log_group(group_name)
        group = backend.groups[group_name]
        if stream not in group.streams:
            group.create_log_stream(stream)
        group.streams[stream].put_log_events(events)


def tail(lines: list[str]) -> str:
    """The last 4 KB of an invocation's log, as `LogType="Tail"` returns it (before base64)."""
    data = ("\n".join(lines) + "\n").encode()
    return data[-TAIL_BYTES:].decode("utf-8", errors="ignore")
