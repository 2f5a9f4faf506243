"""Asynchronous invocation as AWS does it: an internal queue, retries, max age, DLQ, destinations.

`InvocationType="Event"`, S3, SNS, EventBridge, schedules and Logs subscriptions all put events
here. Each event is tried; a function error is retried `MaximumRetryAttempts` times (default 2)
after AWS's waits (1 minute, then 2 minutes: settable so a notebook waits seconds); a throttle is
retried with back-off and does not count as an attempt; an event older than
`MaximumEventAgeInSeconds` (default 6 hours) is not tried again. Every event ends in one of
four ways, and `events()` says which: it succeeded, it failed and went to a dead-letter queue
and/or an on-failure destination, or it failed with nowhere to go (AWS discards it; the kit
still lists it). Waits run on the kit's clock, so `aws.advance_clock(minutes=3)` makes a retry due.

Sources: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html,
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html,
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
"""

from __future__ import annotations

import heapq
import itertools
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from ..limits import value
from ..runtime import metrics
from ..runtime.clock import Clock
from ..runtime.concurrency import Throttled
from . import destinations
from .async_event import AsyncEvent, EventStatus

if TYPE_CHECKING:
    from ..runtime.service import Runtime

# AWS's figures, from helpers/data/limits.json (with their sources).
DEFAULT_RETRIES = value("async_retry_attempts_default")
DEFAULT_MAX_AGE = value("async_event_age_s_max")
AWS_RETRY_DELAYS = (
    float(value("async_retry_delay_first_s")),
    float(value("async_retry_delay_second_s")),
)
THROTTLE_BACKOFF = (1.0, 300.0)  # first wait and cap, in seconds


class AsyncQueue:
    """The Lambda service's internal queue for asynchronous events (one per local AWS)."""

    def __init__(self, runtime: Runtime, clock: Clock, workers: int = 8) -> None:
        self.runtime = runtime
        self.clock = clock
        self.retry_delays: tuple[float, ...] = AWS_RETRY_DELAYS
        self.throttle_backoff = THROTTLE_BACKOFF
        self._events: list[AsyncEvent] = []
        self._heap: list[tuple[float, int, AsyncEvent]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._closing = False
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kit-async")
        self._dispatcher = threading.Thread(
            target=self._dispatch, name="kit-async-queue", daemon=True
        )
        self._dispatcher.start()
        clock.on_advance(self._wake)

    # ------------------------------------------------------------------------- public
    def submit(
        self,
        fn: Any,
        payload: bytes,
        *,
        invoked_arn: str | None = None,
        parent_trace: str | None = None,
        source: str = "Invoke",
    ) -> AsyncEvent:
        """Accept an event (the 202 of an Event invoke); it runs as soon as a worker is free."""
        event = AsyncEvent(
            request_id=str(uuid.uuid4()),
            function=fn.function_name,
            invoked_arn=invoked_arn or fn.function_arn,
            source=source,
            payload=payload,
            received=self.clock.time(),
            parent_trace=parent_trace,
            fn=fn,
        )
        with self._cond:
            self._events.append(event)
            self._push(event, self.clock.time())
        return event

    def events(self) -> list[AsyncEvent]:
        """Every event the queue has accepted since the last reset, oldest first."""
        with self._cond:
            return list(self._events)

    def clear(self) -> None:
        """Forget every event, pending ones included (the local AWS was reset)."""
        with self._cond:
            pending = [e for e in self._events if not e.done]
            self._events.clear()
            self._heap.clear()
        for event in pending:
            event.status = EventStatus.FAILED

    def stop(self) -> None:
        """Stop taking events (the kit is stopping)."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._pool.shutdown(wait=False, cancel_futures=True)

    # ---------------------------------------------------------------------- machinery
    def has_due_work(self, within: float = 0.0) -> bool:
        """True while an event is queued, running, or due for a retry in `within` seconds."""
        horizon = self.clock.time() + within
        with self._cond:
            return any(
                e.status in (EventStatus.QUEUED, EventStatus.RUNNING)
                or (e.status is EventStatus.WAITING_TO_RETRY and e.due <= horizon)
                for e in self._events
            )

    def wait_due(self, timeout: float = 30.0) -> bool:
        """Wait until every event that is due now has been tried (later retries may remain)."""
        return self.runtime.wait_idle(timeout, horizon=False)

    def _push(self, event: AsyncEvent, due: float) -> None:
        event.due = due
        heapq.heappush(self._heap, (due, next(self._seq), event))
        self._cond.notify_all()

    def _wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def _dispatch(self) -> None:
        while True:
            with self._cond:
                while not self._closing:
                    if self._heap:
                        wait = self._heap[0][0] - self.clock.time()
                        if wait <= 0:
                            break
                        self._cond.wait(min(wait, 1.0))
                    else:
                        self._cond.wait()
                if self._closing:
                    return
                _, _, event = heapq.heappop(self._heap)
                if event not in self._events:  # cleared by a reset meanwhile
                    continue
                event.status = EventStatus.RUNNING
            try:
                self._pool.submit(self._attempt, event)
            except RuntimeError:  # the pool is shutting down with the kit
                return

    def _attempt(self, event: AsyncEvent) -> None:
        try:
            self._try(event)
        except Exception as exc:  # the queue must survive anything; the event is not lost
            event.errors.append(f"Kit.Error: {exc!r}")
            self._finish(event, EventStatus.FAILED, "RetriesExhausted")

    def _try(self, event: AsyncEvent) -> None:
        config = destinations.invoke_config(event.fn, event.invoked_arn)
        max_age = config.get("MaximumEventAgeInSeconds", DEFAULT_MAX_AGE)
        max_retries = config.get("MaximumRetryAttempts", DEFAULT_RETRIES)
        # The attempt happens when it fell due: after one long `advance_clock`, the retries that
        # were due along the way run one after another as of their own times, as on AWS (1 and
        # then 2 minutes apart), not as of the jump's end (learner trial 10, VD14).
        now = min(self.clock.time(), event.due) if event.due else self.clock.time()
        if now - event.received > max_age:
            event.errors.append(f"event older than MaximumEventAgeInSeconds ({max_age} s)")
            self._finish(event, EventStatus.FAILED, "EventAgeExceeded")
            return
        started = self.clock.time()
        try:
            result = self.runtime.invoke(
                event.fn,
                event.payload,
                invoked_arn=event.invoked_arn,
                parent_trace=event.parent_trace,
                request_id=event.request_id,
            )
        except Throttled as exc:
            # AWS keeps a throttled event and retries it with back-off until it is too old;
            # throttles do not count as attempts.
            event.throttles += 1
            first, cap = self.throttle_backoff
            wait = min(first * 2 ** (event.throttles - 1), cap)
            event.errors.append(f"throttled ({exc.reason})")
            self._retry(event, wait, now + self.clock.time() - started)
            return
        event.attempts += 1
        event.last_result = result
        if not result.function_error:
            self._finish(event, EventStatus.SUCCEEDED, "Success")
            return
        error = result.error or {}
        event.errors.append(f"{error.get('errorType')}: {error.get('errorMessage')}")
        if event.attempts <= max_retries:
            delays = self.retry_delays or (0.0,)
            # The wait counts from the attempt's end (its start as of its due time, plus how
            # long it ran).
            ended = now + self.clock.time() - started
            self._retry(event, delays[min(event.attempts - 1, len(delays) - 1)], ended)
        else:
            self._finish(event, EventStatus.FAILED, "RetriesExhausted")

    def _retry(self, event: AsyncEvent, wait: float, attempted: float) -> None:
        with self._cond:
            if event not in self._events:
                return
            event.status = EventStatus.WAITING_TO_RETRY
            self._push(event, attempted + wait)

    def _finish(self, event: AsyncEvent, status: EventStatus, condition: str) -> None:
        event.condition = condition
        event.delivered_to = destinations.deliver(self, event, condition)
        if status is EventStatus.FAILED and not any(
            not d.startswith("FAILED") for d in event.delivered_to
        ):
            metrics.put(event.fn, "AsyncEventsDropped")
        with self._cond:
            event.status = status
