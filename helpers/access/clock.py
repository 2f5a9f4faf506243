"""The clock IAM reads (aws:CurrentTime, aws:EpochTime, aws:TokenIssueTime): the kit's own,
which `aws.advance_clock` moves. Its own module, so that sessions and policies both read it
without importing each other."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """The time by the clock in use."""
    return _now()


def now_text() -> str:
    """The kit's clock as IAM writes times (aws:CurrentTime, aws:TokenIssueTime)."""
    return _now().strftime("%Y-%m-%dT%H:%M:%SZ")


def use_clock(clock: Callable[[], datetime]) -> None:
    """Read IAM's times from this clock (the kit's, which `advance_clock` moves)."""
    global _now
    _now = clock
