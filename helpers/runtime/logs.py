"""CloudWatch Logs for functions: the handler's output and AWS's START/END/REPORT lines.

Written straight into moto's logs backend, so `logs.filter_log_events` and `get_log_events` see
them exactly as a learner would on AWS: group `/aws/lambda/<name>`, one stream per environment.

A function whose `LoggingConfig` says `"LogFormat": "JSON"` gets Lambda's lines as JSON records
instead (`platform.start`, `platform.report`, `platform.initReport`; no END line), and its logs
filtered by level: records whose `"level"` is below `ApplicationLogLevel`, and Lambda's own
records below `SystemLogLevel`, are not kept
(https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html,
https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html).
Every line written is also read for embedded metric format documents (`emf`).
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from moto.logs.models import logs_backends

from . import emf

# One CloudWatch event holds at most 256 KB (AWS quota); longer lines are cut, as AWS does.
MAX_EVENT_BYTES = 256 * 1024
# `LogType="Tail"` returns the last 4 KB of the invocation's log.
TAIL_BYTES = 4096

# moto's LogStream.put_log_events is not thread-safe; a re-entrant lock because a log subscription
# can start another function whose logs are written from the same thread.
_LOCK = threading.RLock()


def stream_name(version: str, env_id: str, function: str = "") -> str:
    """The log stream name AWS gives an execution environment: `YYYY/MM/DD/[$LATEST]<hex>`, or
    with `function` (a custom log group, which functions may share),
    `YYYY/MM/DD/<function>[$LATEST]<hex>` ("Configuring CloudWatch log groups", Lambda
    Developer Guide, https://docs.aws.amazon.com/lambda/latest/dg/
    monitoring-cloudwatchlogs-loggroups.html; as_of 2026-12-07)."""
    today = datetime.now(UTC)
    return f"{today:%Y/%m/%d}/{function}[{version}]{env_id}"


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


# Log levels from the least to the most severe, as LoggingConfig names them; Python's own names
# (WARNING, CRITICAL) are read as WARN and FATAL.
LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")
_ALIASES = {"WARNING": "WARN", "CRITICAL": "FATAL"}


class Platform(str):
    """A line Lambda itself writes: its text (START ...), and the JSON record that replaces it
    in the JSON log format (None: the line has no JSON counterpart, as END)."""

    kind: str | None
    record: dict[str, Any] | None
    level: str

    def __new__(
        cls, text: str, kind: str | None = None, record: dict | None = None, level: str = "INFO"
    ) -> Platform:
        line = super().__new__(cls, text)
        line.kind, line.record, line.level = kind, record, level
        return line


@dataclass(frozen=True)
class LogFormat:
    """A function's LoggingConfig as the runtime applies it."""

    json: bool = False
    application_level: str | None = None
    system_level: str | None = None

    @classmethod
    def of(cls, config: dict[str, Any] | None) -> LogFormat:
        """The format of a LoggingConfig dict (None or Text: AWS's plain text)."""
        config = config or {}
        if str(config.get("LogFormat", "Text")).upper() != "JSON":
            return TEXT
        return cls(
            json=True,
            application_level=str(config.get("ApplicationLogLevel") or "INFO").upper(),
            system_level=str(config.get("SystemLogLevel") or "INFO").upper(),
        )


TEXT = LogFormat()


def _rank(level: Any) -> int:
    name = str(level).upper()
    name = _ALIASES.get(name, name)
    # "If the level value field is invalid or missing, Lambda assigns the log output the level INFO"
    return LEVELS.index(name) if name in LEVELS else LEVELS.index("INFO")


def _stamp(epoch_s: float) -> str:
    moment = datetime.fromtimestamp(epoch_s, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def render(lines: list[str], log_format: LogFormat = TEXT) -> list[str]:
    """The lines as CloudWatch keeps them in this log format: JSON records, filtered by level."""
    if not log_format.json:
        return lines
    now = _stamp(time.time())
    shown: list[str] = []
    app_floor = _rank(log_format.application_level)
    system_floor = _rank(log_format.system_level)
    for line in lines:
        if isinstance(line, Platform):
            if line.kind is not None and _rank(line.level) >= system_floor:
                record = {"time": now, "type": line.kind, "record": line.record}
                shown.append(json.dumps(record, separators=(",", ":")))
            continue
        if line.startswith("[lambda-kit]"):
            shown.append(line)  # the kit's own notes are not the function's output: never cut
            continue
        # "When Lambda filters your function's application logs, it assigns the log level INFO
        # to log messages without a level", plain text included (monitoring-cloudwatchlogs-log-
        # level.html, as of 2026-12; learner trial 12, GD3: a JSON print without "level" was kept
        # at WARN).
        level = None
        if line.startswith("{") and '"level"' in line:
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            if isinstance(record, dict):
                level = record.get("level")
        if _rank(level) < app_floor:
            continue
        shown.append(line)
    return shown


class InvokeStatus(StrEnum):
    """How an invocation ended, as its REPORT line and `platform.report` record say it."""

    SUCCESS = "success"
    ERROR = "error"  # with an Error Type
    TIMEOUT = "timeout"


@dataclass
class Report:
    """The figures of one invocation, as its REPORT line states them."""

    request_id: str
    duration_ms: float
    memory_mb: int
    max_memory_mb: int
    init_ms: float | None = None
    status: InvokeStatus = InvokeStatus.SUCCESS
    error_type: str | None = None

    @property
    def billed_ms(self) -> int:
        # Billed in 1 ms steps; since 1 August 2025 AWS bills the Init phase of on-demand
        # functions too, so a cold start's billed duration includes its Init Duration.
        return max(1, math.ceil(self.duration_ms + (self.init_ms or 0)))

    def line(self) -> Platform:
        """The REPORT line (text), carrying its `platform.report` record for the JSON format."""
        parts = [
            f"REPORT RequestId: {self.request_id}",
            f"Duration: {self.duration_ms:.2f} ms",
            f"Billed Duration: {self.billed_ms} ms",
            f"Memory Size: {self.memory_mb} MB",
            f"Max Memory Used: {self.max_memory_mb} MB",
        ]
        if self.init_ms is not None:
            parts.append(f"Init Duration: {self.init_ms:.2f} ms")
        if self.status is not InvokeStatus.SUCCESS:  # AWS writes no Status on a success
            parts.append(f"Status: {self.status.value}")
            if self.error_type:
                parts.append(f"Error Type: {self.error_type}")
        figures: dict[str, Any] = {
            "durationMs": round(self.duration_ms, 3),
            "billedDurationMs": self.billed_ms,
            "memorySizeMB": self.memory_mb,
            "maxMemoryUsedMB": self.max_memory_mb,
        }
        if self.init_ms is not None:
            figures["initDurationMs"] = round(self.init_ms, 3)
        record: dict[str, Any] = {
            "requestId": self.request_id,
            "metrics": figures,
            "status": self.status.value,
        }
        if self.status is not InvokeStatus.SUCCESS and self.error_type:
            record["errorType"] = self.error_type
        return Platform("\t".join(parts) + "\t", "platform.report", record)


def start_line(request_id: str, version: str) -> Platform:
    """The START line of an invocation (`platform.start` in the JSON format)."""
    record = {"requestId": request_id, "version": version}
    return Platform(f"START RequestId: {request_id} Version: {version}", "platform.start", record)


def end_line(request_id: str) -> Platform:
    """The END line of an invocation (the JSON format has none)."""
    return Platform(f"END RequestId: {request_id}")


def init_report_line(init_ms: float, error_type: str | None = None) -> Platform:
    """The INIT_REPORT line of a failed Init (`platform.initReport` in the JSON format)."""
    text = f"INIT_REPORT Init Duration: {init_ms:.2f} ms\tPhase: init"
    record: dict[str, Any] = {
        "initializationType": "on-demand",
        "phase": "init",
        "status": "error" if error_type else "success",
        "metrics": {"durationMs": round(init_ms, 3)},
    }
    if error_type:
        text += f"\tStatus: error\tError Type: {error_type}"
        record["errorType"] = error_type
    return Platform(text, "platform.initReport", record)


def write(
    account_id: str,
    region: str,
    function_name: str,
    stream: str,
    lines: list[str],
    group: str | None = None,
) -> None:
    """Append lines to the function's log group and stream, creating them as AWS does.

    The group is `/aws/lambda/<name>` unless the function's LoggingConfig names another. Lines
    holding an embedded metric format document become metrics, as CloudWatch Logs does.
    """
    if not lines:
        return
    group_name = group or f"/aws/lambda/{function_name}"
    now = int(time.time() * 1000)
    events = [{"timestamp": now, "message": str(line)} for line in lines]
    with _LOCK:
        backend = logs_backends[account_id][region]
        backend.ensure_log_group(group_name)
        log_group = backend.groups[group_name]
        if stream not in log_group.streams:
            log_group.create_log_stream(stream)
        log_group.streams[stream].put_log_events(events)
    emf.extract(account_id, region, lines)


def role_may_write(
    account_id: str, region: str, function_name: str, role: str, group: str, stream: str
) -> bool:
    """Whether the execution role lets Lambda write this environment's lines to CloudWatch Logs.

    AWS: "Your execution role needs the following permissions to upload logs to CloudWatch
    Logs: logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents" (Lambda Developer Guide,
    https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html; as_of
    2026-12-07); without them the lines never arrive. CreateLogGroup is needed only while the
    group doesn't exist. Always True with `aws.configure(enforce_iam=False)`.
    """
    from .. import access

    if group.startswith("aws/"):
        # "Custom log group names mustn't begin with the string aws/. If you create a custom log
        # group beginning with aws/, Lambda cannot create the log group. This will cause
        # function logs not to be sent to CloudWatch" (monitoring-cloudwatchlogs-loggroups.html,
        # as of 2026-12; learner trial 10, UD24).
        return False
    with _LOCK:
        exists = group in logs_backends[account_id][region].groups
    group_arn = f"arn:aws:logs:{region}:{account_id}:log-group:{group}"
    needed = [
        ("logs:CreateLogStream", f"{group_arn}:log-stream:{stream}"),
        ("logs:PutLogEvents", f"{group_arn}:log-stream:{stream}"),
    ]
    if not exists:
        needed.insert(0, ("logs:CreateLogGroup", f"{group_arn}:*"))
    return access.first_role_denial(account_id, role, function_name, needed) is None


def tail(lines: list[str]) -> str:
    """The last 4 KB of an invocation's log, as `LogType="Tail"` returns it (before base64)."""
    data = ("\n".join(lines) + "\n").encode()
    return data[-TAIL_BYTES:].decode("utf-8", errors="ignore")


def note_dropped(lines: list[str], dropped: int) -> None:
    """A kit note in the log when output past what the kit keeps was dropped."""
    if dropped:
        lines.append(
            f"[lambda-kit] {dropped} bytes of output were not kept (the kit keeps 8 MB per phase)"
        )
