"""One asynchronous event on its way through the Lambda service's queue, and how AWS's records
(destinations, dead letters) show its time and payload."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class EventStatus(StrEnum):
    """Where an asynchronous event is on its way (a str: `async_events()` tables show it)."""

    QUEUED = "queued"
    RUNNING = "running"
    WAITING_TO_RETRY = "waiting to retry"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass
class AsyncEvent:
    """One asynchronous event and what became of it."""

    request_id: str
    function: str
    invoked_arn: str
    source: str
    payload: bytes
    received: float
    finished_at: float | None = None
    parent_trace: str | None = None
    attempts: int = 0
    throttles: int = 0
    status: EventStatus = EventStatus.QUEUED
    condition: str | None = None  # Success | RetriesExhausted | EventAgeExceeded
    errors: list[str] = field(default_factory=list)
    delivered_to: list[str] = field(default_factory=list)
    last_result: Any = None
    fn: Any = None
    due: float = 0.0

    @property
    def done(self) -> bool:
        """True once the event succeeded or failed for good."""
        return self.status in (EventStatus.SUCCEEDED, EventStatus.FAILED)

    def summary(self) -> dict[str, Any]:
        """A row for a table: who, from where, how many tries, and where it ended."""
        if self.status is EventStatus.FAILED and not self.delivered_to:
            ending = "discarded (no dead-letter queue or on-failure destination)"
        elif self.status is EventStatus.FAILED and all(
            d.startswith("FAILED") for d in self.delivered_to
        ):
            ending = "discarded (delivery failed: " + "; ".join(self.delivered_to) + ")"
        else:
            ending = ", ".join(self.delivered_to) or ("-" if not self.done else "")
        return {
            "request_id": self.request_id,
            "function": self.function,
            "source": self.source,
            "status": self.status.value,
            "attempts": self.attempts,
            "condition": self.condition,
            "last_error": self.errors[-1] if self.errors else None,
            "sent_to": ending,
        }


def timestamp(seconds: float) -> str:
    """AWS's record timestamp: ISO 8601 with milliseconds and a Z."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def decoded(payload: bytes) -> Any:
    """A payload as JSON when it is JSON (as destination records carry it), else as text."""
    if not payload:
        return None
    try:
        return json.loads(payload)
    except ValueError:
        return payload.decode("utf-8", errors="replace")
