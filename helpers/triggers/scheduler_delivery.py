"""EventBridge Scheduler's delivery of one run to its target: the role, retries, the DLQ.

Scheduler calls the target with the schedule's execution role, not through the function's
resource-based policy
(https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role).
When the call fails (the role may not invoke, the function or queue is gone) Scheduler retries:
"Retry attempts with exponential backoff continue until either the maximum number of attempts
is made or until the duration of the MaximumEventAgeInSeconds is reached" (RetryPolicy: 0-185
retries, 60-86,400 s; moto and AWS default to 185 and 86,400:
https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html, as of 2026-12).
Then the run goes to the target's `DeadLetterConfig` queue, sent with the same role, which needs
`sqs:SendMessage` on it; without a DLQ it is dropped
(https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html, as of
2026-12). A Lambda target is invoked asynchronously: the function's own errors are Lambda's to
retry, not Scheduler's.

Retries wait on the kit's clock, so `aws.advance_clock(...)` runs them in seconds.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..runtime.service import Runtime

__all__ = ["DEFAULT_MAX_AGE_S", "DEFAULT_RETRIES", "Outcome", "Retries", "Run", "deliver"]

DEFAULT_RETRIES = 185  # RetryPolicy's defaults (API_RetryPolicy, above)
DEFAULT_MAX_AGE_S = 86_400
# AWS documents "exponential backoff" without its steps: the kit doubles from 1 s and caps a
# wait at 5 minutes (a kit choice), so a day of retries fits the default 185 attempts.
_FIRST_WAIT_S = 1
_LONGEST_WAIT_S = 300


class Outcome(Enum):
    """What became of one attempt to deliver a scheduled run."""

    DELIVERED = "delivered"
    RETRYING = "retrying"
    DEAD_LETTERED = "dead-lettered"
    DROPPED = "dropped"


@dataclass
class Run:
    """One scheduled run of a schedule, across its delivery attempts."""

    schedule: Any  # moto's Schedule
    scheduled: datetime  # the run's scheduled time (kit clock)
    execution_id: str
    attempt: int = 1

    @property
    def target(self) -> dict[str, Any]:
        return self.schedule.target or {}

    def text(self) -> str:
        """The target's Input with Scheduler's context attributes filled in for this attempt
        (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html)."""
        text = self.target.get("Input") or "{}"
        for name, value in (
            ("<aws.scheduler.schedule-arn>", self.schedule.arn),
            ("<aws.scheduler.scheduled-time>", self.scheduled.strftime("%Y-%m-%dT%H:%M:%SZ")),
            ("<aws.scheduler.execution-id>", self.execution_id),
            ("<aws.scheduler.attempt-number>", str(self.attempt)),
        ):
            text = text.replace(name, value)
        return text


class Retries:
    """Runs waiting for their next attempt, by due time on the kit's clock."""

    def __init__(self) -> None:
        self._heap: list[tuple[datetime, int, Run]] = []
        self._order = itertools.count()
        self._lock = threading.Lock()

    def add(self, due: datetime, run: Run) -> None:
        with self._lock:
            heapq.heappush(self._heap, (due, next(self._order), run))

    def take_due(self, now: datetime) -> list[tuple[datetime, Run]]:
        """Every run due by `now`, removed, in time order."""
        taken = []
        with self._lock:
            while self._heap and self._heap[0][0] <= now:
                due, _, run = heapq.heappop(self._heap)
                taken.append((due, run))
        return taken

    def next_due(self) -> datetime | None:
        with self._lock:
            return self._heap[0][0] if self._heap else None

    def clear(self) -> None:
        with self._lock:
            self._heap.clear()


def deliver(runtime: Runtime, retries: Retries, run: Run, now: datetime) -> Outcome:
    """Attempt `run` now; on failure, queue its retry or send it to the DLQ."""
    failure = _call_target(runtime, run)
    if failure is None:
        return Outcome.DELIVERED
    _metric(run, "TargetErrorCount")
    policy = run.target.get("RetryPolicy") or {}
    retries_allowed = int(policy.get("MaximumRetryAttempts", DEFAULT_RETRIES))
    max_age = timedelta(seconds=int(policy.get("MaximumEventAgeInSeconds", DEFAULT_MAX_AGE_S)))
    wait = timedelta(seconds=min(_FIRST_WAIT_S * 2 ** (run.attempt - 1), _LONGEST_WAIT_S))
    if run.attempt <= retries_allowed and now + wait - run.scheduled <= max_age:
        run.attempt += 1
        retries.add(now + wait, run)
        return Outcome.RETRYING
    return _dead_letter(run, failure)


def _call_target(runtime: Runtime, run: Run) -> tuple[str, str] | None:
    """Call the target once with the schedule's role: None, or (error code, message)."""
    from .. import access

    arn = run.target.get("Arn", "")
    service, region, account = [*arn.split(":"), "", "", "", "", ""][2:5]
    action = {"lambda": "lambda:InvokeFunction", "sqs": "sqs:SendMessage"}.get(service)
    if action is None:
        return None  # other targets: the kit doesn't call them
    role = run.target.get("RoleArn") or ""
    denial = access.role_denial(account, role, f"scheduler-{run.schedule.name}", action, arn)
    if denial is not None:
        return "AccessDeniedException", denial.message
    if service == "lambda":
        from moto.awslambda.exceptions import UnknownFunctionException
        from moto.awslambda.models import lambda_backends

        try:
            fn = lambda_backends[account][region].get_function(arn)
        except UnknownFunctionException:
            return "ResourceNotFoundException", f"Function not found: {arn}"
        runtime.trigger(fn, run.text().encode(), parent_trace=None, source="aws.scheduler")
        return None
    from moto.sqs.models import sqs_backends

    try:
        sqs_backends[account][region].send_message(arn.rsplit(":", 1)[-1], run.text())
    except Exception as exc:  # a deleted queue: moto's QueueDoesNotExist
        return "AWS.SimpleQueueService.NonExistentQueue", str(exc)
    return None


def _dead_letter(run: Run, failure: tuple[str, str]) -> Outcome:
    """Send the failed run to the target's DLQ with the schedule's role; or drop it."""
    from .. import access

    queue = (run.target.get("DeadLetterConfig") or {}).get("Arn")
    if not queue:
        _metric(run, "InvocationDroppedCount")
        return Outcome.DROPPED
    role = run.target.get("RoleArn") or ""
    account, region = queue.split(":")[4], queue.split(":")[3]
    code, message = failure
    # The dead-letter event's attributes as the guide's example shows them ("Retrieve the
    # dead-letter event", configuring-schedule-dlq.html above); the body is the run's input.
    attributes = {
        name: {"DataType": "String", "StringValue": value}
        for name, value in (
            ("ERROR_CODE", code),
            ("ERROR_MESSAGE", message[:1000] or "-"),
            ("EXECUTION_ID", run.execution_id),
            ("SCHEDULE_ARN", run.schedule.arn),
            ("SCHEDULED_TIME", run.scheduled.strftime("%Y-%m-%dT%H:%M:%SZ")),
            ("TARGET_ARN", run.target.get("Arn", "")),
        )
    }
    denial = access.role_denial(
        account, role, f"scheduler-{run.schedule.name}", "sqs:SendMessage", queue
    )
    try:
        if denial is not None:
            raise PermissionError(denial.message)
        from moto.sqs.models import sqs_backends

        sqs_backends[account][region].send_message(
            queue.rsplit(":", 1)[-1], run.text(), message_attributes=attributes
        )
    except Exception:  # no right to send, or the queue is gone: AWS counts it and drops the run
        _metric(run, "InvocationsFailedToBeSentToDeadLetterCount")
        return Outcome.DROPPED
    _metric(run, "InvocationsSentToDeadLetterCount")
    return Outcome.DEAD_LETTERED


def _metric(run: Run, name: str) -> None:
    """One data point of Scheduler's `AWS/Scheduler` metric, per schedule group."""
    from ..runtime import metrics

    region, account = run.schedule.arn.split(":")[3:5]
    group = {"ScheduleGroup": run.schedule.group_name or "default"}
    metrics.service_metric(account, region, "AWS/Scheduler", name, group)
