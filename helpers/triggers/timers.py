"""Schedules that fire: EventBridge scheduled rules and EventBridge Scheduler schedules.

moto stores both and never fires them. Here every enabled schedule fires on the kit's clock: in
real time (a background thread wakes when the next run is due), and when a notebook fast-forwards
with `aws.advance_clock(...)`, every run that fell due is fired in time order, each finished
before the next starts, so a day of an hourly cron job runs 24 times, in order, in seconds.

A rule's target gets the Scheduled Event (`detail-type: "Scheduled Event"`, `source:
"aws.events"`, `time` = the scheduled minute, `resources` = [rule ARN]); a Scheduler target gets
its `Input` (context attributes such as `<aws.scheduler.scheduled-time>` filled in).

Sources: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html,
https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
"""

from __future__ import annotations

import copy
import threading
import uuid
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from . import scheduler_delivery, schedules

if TYPE_CHECKING:
    from ..runtime.service import Runtime

MAX_RUNS_PER_ADVANCE = 5000  # more would keep a notebook busy for minutes
_JUST_BEFORE = timedelta(microseconds=1)


@dataclass
class _Entry:
    expression: str
    timezone: str
    schedule: schedules.Schedule
    last: datetime  # runs up to and including this moment have been fired


class Timers:
    """Fires the due runs of every enabled schedule of the local AWS."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.clock = runtime.clock
        self.fired: list[dict[str, Any]] = []
        self.skipped = 0
        self._entries: dict[str, _Entry] = {}
        self.retries = scheduler_delivery.Retries()  # Scheduler runs waiting to be retried
        self._lock = threading.RLock()
        self._wake = threading.Event()
        self._closing = False
        self._thread = threading.Thread(target=self._loop, name="kit-timers", daemon=True)
        self._thread.start()
        self.clock.on_advance(self.tick)

    # -------------------------------------------------------------------------- public
    def register(self, arn: str, expression: str, timezone: str = "UTC", start: Any = None) -> None:
        """A schedule was created or changed now: its runs count from this moment.

        A Scheduler rate schedule runs first at its StartDate, or at once without one: "If you
        don't provide a StartDate for a rate-based schedule, your schedule starts invoking the
        target immediately" (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html,
        as of 2026-12). A rule's rate counts one period from its creation.
        """
        now = self.clock.now()
        service = schedules.SCHEDULER if ":scheduler:" in arn else schedules.EVENTBRIDGE
        anchor = now
        if service == schedules.SCHEDULER and start is not None:
            when = _parse_date(start) if not isinstance(start, datetime) else start
            anchor = (when if when.tzinfo else when.replace(tzinfo=UTC)) if when else now
        schedule = schedules.parse(expression, timezone, service=service, anchor=anchor)
        last = now
        if service == schedules.SCHEDULER and schedule.kind == "rate":
            last = min(now, anchor) - _JUST_BEFORE  # the run at the anchor itself is due
        with self._lock:
            self._entries[arn] = _Entry(expression, timezone, schedule, last)
        self._wake.set()

    def tick(self) -> None:
        """Fire every run that is due on the kit's clock, in time order."""
        with self._lock:
            now = self.clock.now()
            runs: list[tuple[datetime, str, Any]] = []
            current = self._current()
            for arn, (expression, timezone, fire) in current.items():
                entry = self._entries.get(arn)
                if entry is None or (entry.expression, entry.timezone) != (expression, timezone):
                    self.register(arn, expression, timezone)
                    continue
                for moment in entry.schedule.between(entry.last, now):
                    runs.append((moment, arn, fire))
                    if len(runs) > MAX_RUNS_PER_ADVANCE * 2:
                        break
                entry.last = now
            for gone in set(self._entries) - set(current):
                del self._entries[gone]
            runs.sort(key=lambda run: run[0])
            if len(runs) > MAX_RUNS_PER_ADVANCE:
                self.skipped += len(runs) - MAX_RUNS_PER_ADVANCE
                warnings.warn(
                    f"{len(runs)} scheduled runs fell due at once; the kit fired the first "
                    f"{MAX_RUNS_PER_ADVANCE} (advance the clock in smaller steps to run them all)",
                    RuntimeWarning,
                    stacklevel=2,
                )
                runs = runs[:MAX_RUNS_PER_ADVANCE]
            self._fire(runs, now)

    def _fire(self, runs: list[tuple[datetime, str, Any]], now: datetime) -> None:
        """Fire the runs and every Scheduler retry due by `now`, in time order: a retry queued
        by a failed run is fired in the same pass when it falls due before `now`."""
        position = 0
        while True:
            retry_at = self.retries.next_due()
            if position < len(runs) and (retry_at is None or runs[position][0] <= retry_at):
                moment, arn, fire = runs[position]
                position += 1
                fire(moment)
                self.fired.append({"schedule": arn, "time": moment})
            elif retry_at is not None and retry_at <= now:
                for due, run in self.retries.take_due(retry_at):
                    scheduler_delivery.deliver(self.runtime, self.retries, run, due)
            else:
                return
            self.runtime.async_queue.wait_due()

    def next_due(self) -> datetime | None:
        """When the next run of any schedule is due (kit clock), if any."""
        with self._lock:
            upcoming = [e.schedule.next_after(e.last) for e in self._entries.values()]
        upcoming = [u for u in [*upcoming, self.retries.next_due()] if u is not None]
        return min(upcoming) if upcoming else None

    def reset(self) -> None:
        """Forget every schedule and run (the local AWS was reset)."""
        with self._lock:
            self._entries.clear()
            self.retries.clear()
            self.fired.clear()
            self.skipped = 0

    def stop(self) -> None:
        """Stop the timer thread."""
        self._closing = True
        self._wake.set()

    # ---------------------------------------------------------------------- machinery
    def _loop(self) -> None:
        while not self._closing:
            due = self.next_due()
            wait = 1.0 if due is None else (due - self.clock.now()).total_seconds()
            self._wake.wait(max(0.0, min(wait, 1.0)))
            self._wake.clear()
            if self._closing:
                return
            try:
                self.tick()
            except Exception as exc:  # the timer thread must survive a bad schedule
                warnings.warn(f"the kit's schedule timer failed: {exc!r}", stacklevel=1)

    def _current(self) -> dict[str, tuple[str, str, Any]]:
        """Every enabled schedule now: ARN -> (expression, time zone, fire(moment))."""
        found: dict[str, tuple[str, str, Any]] = {}
        found.update(_rules())
        found.update(_scheduler_schedules(self.runtime, self.retries))
        return found


def _rules() -> dict[str, tuple[str, str, Any]]:
    from moto.events.models import events_backends

    found: dict[str, tuple[str, str, Any]] = {}
    for account, regions in list(events_backends.items()):
        for region, backend in list(regions.items()):
            bus = backend.event_buses.get("default")
            for rule in list(bus.rules.values()) if bus else []:
                if rule.scheduled_expression and rule.state == "ENABLED":
                    found[rule.arn] = (
                        rule.scheduled_expression,
                        "UTC",
                        _rule_firer(rule, account, region),
                    )
    return found


class _EveryEvent:
    """An event pattern that every event matches."""

    def matches_event(self, event: Any) -> bool:
        return True


def _rule_firer(rule: Any, account: str, region: str) -> Any:
    def fire(moment: datetime) -> None:
        # A rule with an EventPattern too "triggers on matching events as well as on a
        # schedule" (PutRule, EventBridge API reference, as of 2026-12): its scheduled runs
        # aren't held to the pattern (moto's send_to_targets matches every event against it).
        scheduled = copy.copy(rule)
        scheduled.event_pattern = _EveryEvent()
        scheduled.send_to_targets(scheduled_event(rule.arn, account, region, moment))

    return fire


def scheduled_event(rule_arn: str, account: str, region: str, moment: datetime) -> dict:
    """The Scheduled Event EventBridge sends a scheduled rule's targets."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account,
        "time": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [rule_arn],
        "detail": {},
    }


def _scheduler_schedules(
    runtime: Runtime, retries: scheduler_delivery.Retries
) -> dict[str, tuple[str, str, Any]]:
    from moto.scheduler.models import scheduler_backends

    found: dict[str, tuple[str, str, Any]] = {}
    for _account, regions in list(scheduler_backends.items()):
        for _region, backend in list(regions.items()):
            for group in list(backend.schedule_groups.values()):
                for schedule in list(group.schedules.values()):
                    if schedule.state != "ENABLED":
                        continue
                    found[schedule.arn] = (
                        schedule.schedule_expression,
                        schedule.schedule_expression_timezone or "UTC",
                        _schedule_firer(runtime, retries, backend, schedule),
                    )
    return found


def _schedule_firer(
    runtime: Runtime, retries: scheduler_delivery.Retries, backend: Any, schedule: Any
) -> Any:
    def fire(moment: datetime) -> None:
        if not _within(schedule, moment):
            return
        run = scheduler_delivery.Run(schedule, moment, str(uuid.uuid4()))
        scheduler_delivery.deliver(runtime, retries, run, moment)
        if schedule.schedule_expression.startswith("at(") and (
            schedule.action_after_completion == "DELETE"
        ):
            backend.delete_schedule(schedule.group_name, schedule.name)

    return fire


def _within(schedule: Any, moment: datetime) -> bool:
    for bound, later in ((schedule.start_date, False), (schedule.end_date, True)):
        if not bound:
            continue
        when = bound if isinstance(bound, datetime) else _parse_date(bound)
        if when is None:
            continue
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        if (moment > when) if later else (moment < when):
            return False
    return True


def _parse_date(value: Any) -> datetime | None:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
