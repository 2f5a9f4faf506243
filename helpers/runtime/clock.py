"""The kit's clock: real time, plus however far a notebook has fast-forwarded it.

Schedules fire on this clock and the async queue ages events and waits between retries on it, so
`aws.advance_clock(hours=24)` runs a day of cron jobs, and makes a retry due now, in seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime


class Clock:
    """Wall-clock time shifted by an offset that only grows (time never runs backwards)."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    def time(self) -> float:
        """Seconds since the epoch on the kit's clock."""
        return time.time() + self._offset

    def now(self) -> datetime:
        """The kit's current time, as an aware UTC datetime."""
        return datetime.fromtimestamp(self.time(), UTC)

    @property
    def offset(self) -> float:
        """How many seconds the clock has been moved ahead of real time."""
        return self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock ahead; whoever waits on it (schedules, retries) looks again."""
        if seconds < 0:
            raise ValueError("the kit's clock only moves forward (seconds must be >= 0)")
        with self._lock:
            self._offset += seconds
            listeners = list(self._listeners)
        for listener in listeners:
            listener()

    def on_advance(self, listener: Callable[[], None]) -> None:
        """Call `listener()` after each advance."""
        with self._lock:
            self._listeners.append(listener)

    def reset(self) -> None:
        """Back to real time."""
        with self._lock:
            self._offset = 0.0
