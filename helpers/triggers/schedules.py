"""Schedule expressions of EventBridge rules and EventBridge Scheduler, evaluated locally.

``parse()`` turns ``rate(5 minutes)``, ``cron(0 8 ? * MON-FRI *)`` or Scheduler's one-time
``at(2025-06-01T09:30:00)`` into a ``Schedule`` that answers "when does it fire next?"
(``next_after``) and "when does it fire in this window?" (``between``), so the kit can fire
schedules in real time or on a fast-forwarded clock. Every datetime in and out is timezone-aware;
answers are in UTC.

What AWS accepts, and how it evaluates it, was taken from:

- https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
- https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html
- https://docs.amazonaws.cn/eventbridge/latest/userguide/eb-rate-expressions.html
- https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
- https://repost.aws/knowledge-center/eventbridge-scheduler-adjust-dst (Scheduler and DST)

and the error wording from requests recorded against real AWS:

- EventBridge PutRule: https://github.com/buildkite/buildkite-agent-scaler/pull/100 (CloudTrail
  record) and LocalStack's AWS-validated ``test_put_rule_with_invalid_schedule``
  (https://github.com/localstack/localstack, tests/aws/services/events).
- Scheduler CreateSchedule: LocalStack's snapshot recorded against AWS,
  tests/aws/services/scheduler/test_scheduler.snapshot.json
  (https://github.com/localstack/localstack).
"""

from __future__ import annotations

import calendar
import re
from abc import ABC, abstractmethod
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "AWS_ERROR_CODE",
    "EVENTBRIDGE",
    "SCHEDULER",
    "AtSchedule",
    "CronSchedule",
    "InvalidSchedule",
    "RateSchedule",
    "Schedule",
    "aws_error_message",
    "parse",
]

EVENTBRIDGE = "events"
SCHEDULER = "scheduler"
AWS_ERROR_CODE = "ValidationException"

_MINUTE = timedelta(minutes=1)
_MINUTES_AFTER = tuple(timedelta(minutes=m) for m in range(60))
_UNITS = {"minute": _MINUTE, "hour": timedelta(hours=1), "day": timedelta(days=1)}
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")  # AWS numbers them 1=SUN..7=SAT
_FIELDS = "minutes hours day-of-month month day-of-week year"


def aws_error_message(expression: str, service: str = EVENTBRIDGE) -> str:
    """What AWS answers (after ``ValidationException:``) when it rejects a schedule expression."""
    if service == SCHEDULER:
        return f"Invalid Schedule Expression {expression}."
    return "Parameter ScheduleExpression is not valid."


class InvalidSchedule(ValueError):
    """A schedule expression AWS would reject, with AWS's words and the kit's explanation."""

    code = AWS_ERROR_CODE

    def __init__(self, expression: str, reason: str, service: str = EVENTBRIDGE) -> None:
        self.expression = expression
        self.reason = reason
        self.service = service
        self.aws_message = aws_error_message(expression, service)
        super().__init__(f"{self.code}: {self.aws_message} [local kit: {reason}]")

    def __reduce__(self) -> tuple[type[InvalidSchedule], tuple[str, str, str]]:
        # Rebuild from the parts, not the message, so the error survives pickling.
        return type(self), (self.expression, self.reason, self.service)

    def message_for(self, service: str) -> str:
        """AWS's wording for this expression as the given service (``events``/``scheduler``)."""
        return aws_error_message(self.expression, service)


def _utc(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"{what} must be a timezone-aware datetime, e.g. datetime.now(UTC); got {moment!r}"
        )
    return moment.astimezone(UTC)


class Schedule(ABC):
    """A parsed schedule expression: when it fires, in UTC."""

    expression: str
    timezone: str
    service: str

    @property
    @abstractmethod
    def kind(self) -> str:
        """``rate``, ``cron`` or ``at``."""

    @abstractmethod
    def next_after(self, moment: datetime) -> datetime | None:
        """The first run strictly after ``moment`` (UTC), or None if there is none."""

    @abstractmethod
    def between(self, start: datetime, end: datetime) -> Iterator[datetime]:
        """Runs with ``start < run <= end``, in order, in UTC."""

    @abstractmethod
    def describe(self) -> str:
        """A short human description, e.g. ``every 5 minutes``."""


@dataclass(frozen=True)
class RateSchedule(Schedule):
    """``rate(value unit)``: runs at anchor + k * period for k >= 1 (k >= 0 for Scheduler)."""

    expression: str
    value: int
    unit: str
    period: timedelta
    anchor: datetime | None = None
    timezone: str = "UTC"
    service: str = EVENTBRIDGE

    @property
    def kind(self) -> str:
        """Always ``rate``."""
        return "rate"

    def anchored(self, anchor: datetime) -> RateSchedule:
        """The same rate, counted from ``anchor`` (when the rule or schedule was created)."""
        return replace(self, anchor=_utc(anchor, "anchor"))

    def _first_after(self, moment: datetime) -> tuple[datetime, int]:
        # Without an anchor the schedule counts as created at the moment asked about, which is
        # what a rule created "now" does. Time zones play no part: AWS documents rate days as
        # 24-hour durations even across a DST change, so this is plain UTC arithmetic.
        anchor = self.anchor if self.anchor is not None else moment
        # Scheduler's first run is at the anchor itself (its StartDate, or creation); a rule's
        # is one period after its creation.
        first = 0 if self.service == SCHEDULER else 1
        k = first if moment < anchor else (moment - anchor) // self.period + 1
        return anchor + k * self.period, k

    def next_after(self, moment: datetime) -> datetime | None:
        """The first run strictly after ``moment`` (UTC)."""
        return self._first_after(_utc(moment, "moment"))[0]

    def between(self, start: datetime, end: datetime) -> Iterator[datetime]:
        """Runs with ``start < run <= end``; unanchored, the schedule starts at ``start``."""
        start, end = _utc(start, "start"), _utc(end, "end")
        run, _ = self._first_after(start)
        period = self.period
        while run <= end:
            yield run
            run += period

    def describe(self) -> str:
        """E.g. ``every minute`` or ``every 5 minutes``."""
        return f"every {self.unit}" if self.value == 1 else f"every {self.value} {self.unit}s"


@dataclass(frozen=True)
class AtSchedule(Schedule):
    """Scheduler's one-time ``at(yyyy-mm-ddThh:mm:ss)`` in its time zone."""

    expression: str
    local: datetime  # naive wall-clock time as written
    when: datetime  # the UTC instant it fires
    timezone: str = "UTC"
    service: str = SCHEDULER

    @property
    def kind(self) -> str:
        """Always ``at``."""
        return "at"

    def next_after(self, moment: datetime) -> datetime | None:
        """The one run if it is strictly after ``moment``, else None."""
        return self.when if self.when > _utc(moment, "moment") else None

    def between(self, start: datetime, end: datetime) -> Iterator[datetime]:
        """The one run if ``start < run <= end``."""
        if _utc(start, "start") < self.when <= _utc(end, "end"):
            yield self.when

    def describe(self) -> str:
        """E.g. ``once at 2025-06-01 09:30:00 Europe/London``."""
        return f"once at {self.local:%Y-%m-%d %H:%M:%S} {self.timezone}"


@dataclass(frozen=True)
class _DaySpec:
    """One of the two day fields: a set of days, or one of the special forms."""

    text: str
    any: bool = False  # '?'
    values: frozenset[int] = frozenset()  # day-of-month 1-31 or day-of-week 1-7
    last: bool = False  # day-of-month 'L'
    nearest_weekday: int = 0  # day-of-month 'nW'
    last_weekday: int = 0  # day-of-week 'nL'
    nth: tuple[int, int] = (0, 0)  # day-of-week 'd#n'


def _aws_dow(day: date) -> int:
    return (day.weekday() + 1) % 7 + 1  # Python: MON=0..SUN=6; AWS: SUN=1..SAT=7


@dataclass(frozen=True)
class CronSchedule(Schedule):
    """``cron(minutes hours day-of-month month day-of-week year)``, at second 0."""

    expression: str
    fields: tuple[str, ...]
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    day_of_month: _DaySpec
    months: tuple[int, ...]
    day_of_week: _DaySpec
    years: tuple[int, ...]
    timezone: str = "UTC"
    service: str = EVENTBRIDGE
    _zone: tzinfo = UTC
    _day_cache: dict[tuple[int, int], tuple[int, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def kind(self) -> str:
        """Always ``cron``."""
        return "cron"

    def _days(self, year: int, month: int) -> tuple[int, ...]:
        cached = self._day_cache.get((year, month))
        if cached is None:
            cached = self._day_cache[(year, month)] = self._compute_days(year, month)
        return cached

    def _compute_days(self, year: int, month: int) -> tuple[int, ...]:
        length = calendar.monthrange(year, month)[1]
        dom, dow = self.day_of_month, self.day_of_week
        if not dom.any:
            if dom.last:
                return (length,)
            if dom.nearest_weekday:
                return self._nearest_weekday(year, month, dom.nearest_weekday, length)
            return tuple(d for d in sorted(dom.values) if d <= length)
        first = _aws_dow(date(year, month, 1))
        # Day d of the month falls on AWS weekday ((first - 1 + d - 1) % 7) + 1.
        weekday_of = {d: (first + d - 2) % 7 + 1 for d in range(1, length + 1)}
        if dow.last_weekday:
            return (max(d for d, w in weekday_of.items() if w == dow.last_weekday),)
        if dow.nth[0]:
            weekday, n = dow.nth
            matching = [d for d, w in weekday_of.items() if w == weekday]
            return (matching[n - 1],) if n <= len(matching) else ()
        return tuple(d for d, w in weekday_of.items() if w in dow.values)

    @staticmethod
    def _nearest_weekday(year: int, month: int, day: int, length: int) -> tuple[int, ...]:
        # Quartz semantics, which AWS's "weekday closest to the nth day" follows: never leave
        # the month, so a Saturday the 1st moves to Monday the 3rd and a Sunday the last day
        # moves back to Friday. AWS doesn't say what 31W does in April; here it doesn't fire.
        if day > length:
            return ()
        weekday = _aws_dow(date(year, month, day))
        if weekday == 7:  # Saturday
            return (day - 1,) if day > 1 else (day + 2,)
        if weekday == 1:  # Sunday
            return (day + 1,) if day < length else (day - 2,)
        return (day,)

    def _hours_from(self, start: datetime) -> Iterator[tuple[datetime, tuple[int, ...]]]:
        # Matching wall-clock hours from start's hour on, each with its matching minutes (those
        # >= start's minute in start's own hour), in order. Each loop only visits values its
        # field allows, so a sparse schedule jumps straight from one match to the next.
        y0, mo0, d0, h0 = start.year, start.month, start.day, start.hour
        years, minutes = self.years, self.minutes
        for year in years[bisect_left(years, y0) :]:
            first_year = year == y0
            for month in self.months:
                if first_year and month < mo0:
                    continue
                first_month = first_year and month == mo0
                for day in self._days(year, month):
                    if first_month and day < d0:
                        continue
                    first_day = first_month and day == d0
                    for hour in self.hours:
                        if first_day and hour < h0:
                            continue
                        if first_day and hour == h0:
                            later = minutes[bisect_left(minutes, start.minute) :]
                            if later:
                                yield datetime(year, month, day, hour), later
                        else:
                            yield datetime(year, month, day, hour), minutes

    def _runs_after(self, moment: datetime) -> Iterator[datetime]:
        moment = _utc(moment, "moment")
        zone = self._zone
        local = moment.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0) + _MINUTE
        for hour, minutes in self._hours_from(local):
            if zone is UTC:
                base = hour.replace(tzinfo=UTC)
                for minute in minutes:
                    yield base + _MINUTES_AFTER[minute]
                continue
            # One zoneinfo question per hour rather than per minute keeps a year of
            # every-minute runs fast; only an hour holding a clock change goes minute by minute.
            offsets = {
                zone.utcoffset(hour.replace(minute=m, fold=f)) for m in (0, 59) for f in (0, 1)
            }
            if len(offsets) == 1 and (offset := offsets.pop()) is not None:
                base = (hour - offset).replace(tzinfo=UTC)  # local > moment's, so run > moment
                for minute in minutes:
                    yield base + _MINUTES_AFTER[minute]
                continue
            for minute in minutes:
                wall = hour + _MINUTES_AFTER[minute]
                # AWS documents Scheduler's DST handling (re:Post "eventbridge-scheduler-adjust-
                # dst"): a wall time skipped when clocks go forward doesn't run, and one repeated
                # when they go back runs once. zoneinfo tells them apart: in a gap the fold=0
                # offset is the smaller one, in a repeat the larger, and fold=0 is the first pass.
                before = zone.utcoffset(wall)
                after = zone.utcoffset(wall.replace(fold=1))
                if before is None or after is None or before < after:
                    continue
                run = (wall - before).replace(tzinfo=UTC)
                if run > moment:  # not a first-pass time seen from inside the repeated hour
                    yield run

    def next_after(self, moment: datetime) -> datetime | None:
        """The first run strictly after ``moment`` (UTC), or None past the last year."""
        return next(self._runs_after(moment), None)

    def between(self, start: datetime, end: datetime) -> Iterator[datetime]:
        """Runs with ``start < run <= end``, in order, in UTC."""
        end = _utc(end, "end")
        for run in self._runs_after(start):
            if run > end:
                return
            yield run

    def describe(self) -> str:
        """E.g. ``at 08:00 UTC on MON-FRI`` or ``every 15 minutes``."""
        minute, hour, dom, month, dow, year = self.fields
        parts = [self._describe_time(minute, hour)]
        if not self.day_of_week.any and dow != "*":
            parts.append(_describe_dow(dow))
        if not self.day_of_month.any and dom != "*":
            parts.append(_describe_dom(dom))
        if months := re.fullmatch(r"(?:\*|1)/(\d+)", month):
            parts.append(f"every {months[1]} months")
        elif month != "*":
            parts.append(f"in {_named(month, _MONTHS, 1)}")
        if year != "*":
            parts.append(f"in {year}")
        return " ".join(parts)

    def _describe_time(self, minute: str, hour: str) -> str:
        tz = self.timezone
        if minute.isdigit() and all(h.isdigit() for h in hour.split(",")):
            times = [f"{int(h):02d}:{int(minute):02d}" for h in hour.split(",")]
            return f"at {', '.join(times)} {tz}"
        step = re.fullmatch(r"(?:\*|0)/(\d+)", minute)
        if minute == "*" or step:
            every = (
                "every minute" if minute == "*" or step[1] == "1" else f"every {step[1]} minutes"
            )
            return every if hour == "*" else f"{every} during hours {hour} {tz}"
        if minute.isdigit() and hour == "*":
            return f"at minute {int(minute)} of every hour"
        if minute.isdigit() and (hours := re.fullmatch(r"(?:\*|0)/(\d+)", hour)):
            return f"every {hours[1]} hours at minute {int(minute)} {tz}"
        return f"at minutes {minute} of hours {hour} {tz}"


def _named(text: str, names: tuple[str, ...], base: int) -> str:
    # Numbers after a "/" are increments, not months or days.
    return re.sub(r"(?<![/\d])\d+", lambda m: names[int(m[0]) - base], text)


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def _describe_dow(text: str) -> str:
    if text == "L":
        return "on SAT"
    if m := re.fullmatch(r"(\w+)#(\d)", text):
        return f"on the {_ordinal(int(m[2]))} {_named(m[1], _DAYS, 1)} of the month"
    if m := re.fullmatch(r"(\w+)L", text):
        return f"on the last {_named(m[1], _DAYS, 1)} of the month"
    return f"on {_named(text, _DAYS, 1)}"


def _describe_dom(text: str) -> str:
    if text == "L":
        return "on the last day of the month"
    if m := re.fullmatch(r"(\d+)W", text):
        return f"on the weekday nearest day {int(m[1])} of the month"
    return f"on day {text} of the month" if text.isdigit() else f"on days {text} of the month"


# --- parsing -------------------------------------------------------------------------------


class _Bad(Exception):
    """A reason an expression is invalid; parse() turns it into InvalidSchedule."""


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()  # str.isdigit() alone accepts "²", int() doesn't


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()  # names for low, low+1, ... (case-insensitive)
    step_ok: bool = True

    def value(self, token: str) -> int:
        if _is_number(token):
            number = int(token)
        elif token.upper() in self.names:
            number = self.names.index(token.upper()) + self.low
        else:
            named = f" or {self.names[0]}-{self.names[-1]}" if self.names else ""
            raise _Bad(f"{token!r} is not a valid {self.name} ({self.low}-{self.high}{named})")
        if not self.low <= number <= self.high:
            raise _Bad(f"{self.name} must be {self.low}-{self.high}; got {number}")
        return number

    def span(self, first: int, last: int) -> list[int]:
        if first <= last:
            return list(range(first, last + 1))
        # A range that wraps (22-2 hours, FRI-MON) runs past the top and round again, as in
        # Quartz, whose cron syntax EventBridge's follows.
        return list(range(first, self.high + 1)) + list(range(self.low, last + 1))

    def item(self, item: str) -> list[int]:
        base, slash, step_text = item.partition("/")
        if slash and not self.step_ok:
            raise _Bad(f"/ (increments) isn't allowed in {self.name}")
        if base == "*":
            values = self.span(self.low, self.high)
        elif "-" in base:
            first, _, last = base.partition("-")
            if not first or not last:
                raise _Bad(f"{item!r} is not a valid {self.name} range (e.g. 1-5)")
            values = self.span(self.value(first), self.value(last))
        elif slash:  # "a/n" starts at a and runs to the top of the field
            values = self.span(self.value(base), self.high)
        else:
            values = [self.value(base)]
        if slash:
            if not _is_number(step_text) or int(step_text) < 1:
                raise _Bad(f"the increment after / must be a positive whole number in {item!r}")
            values = values[:: int(step_text)]
        return values

    def values(self, text: str) -> tuple[int, ...]:
        found: set[int] = set()
        for item in text.split(","):
            if not item:
                raise _Bad(f"empty item in {self.name} {text!r}")
            # A day's or month's name may hold these letters (WED, JUL): look past the names.
            bare = item.upper()
            for name in self.names:
                bare = bare.replace(name, "")
            if special := next((c for c in bare if c in "?LW#"), None):
                raise _Bad(f"{special} can't be used in {self.name} {text!r}")
            found.update(self.item(item))
        return tuple(sorted(found))


_MINUTES = _Field("minutes", 0, 59)
_HOURS = _Field("hours", 0, 23)
_DOM = _Field("day-of-month", 1, 31)
_MONTH = _Field("month", 1, 12, _MONTHS)
# The English docs list ", - * ? L #" for day-of-week: no "/" (some translations show one).
_DOW = _Field("day-of-week", 1, 7, _DAYS, step_ok=False)
_YEAR = _Field("year", 1970, 2199)


def _day_of_month(text: str) -> _DaySpec:
    if text == "?":
        return _DaySpec(text, any=True)
    if text == "L":
        return _DaySpec(text, last=True)
    if m := re.fullmatch(r"([0-9]+)W", text):
        return _DaySpec(text, nearest_weekday=_DOM.value(m[1]))
    if "L" in text or "W" in text:
        raise _Bad(f"L and nW must stand alone in day-of-month (e.g. L or 15W); got {text!r}")
    return _DaySpec(text, values=frozenset(_DOM.values(text)))


def _day_of_week(text: str) -> _DaySpec:
    if text == "?":
        return _DaySpec(text, any=True)
    if text == "L":  # the last day of the week
        return _DaySpec(text, values=frozenset({7}))
    if "#" in text:
        m = re.fullmatch(r"(\w+)#([0-9]+)", text)
        if not m:
            raise _Bad(
                f"# takes a single expression like 3#2 (2nd TUE) in day-of-week; got {text!r}"
            )
        n = int(m[2])
        if not 1 <= n <= 5:
            raise _Bad(f"the n in day#n must be 1-5; got {n}")
        return _DaySpec(text, nth=(_DOW.value(m[1]), n))
    if m := re.fullmatch(r"(\w+)L", text):
        return _DaySpec(text, last_weekday=_DOW.value(m[1]))
    return _DaySpec(text, values=frozenset(_DOW.values(text)))


def _parse_cron(body: str, timezone: str, zone: tzinfo, service: str) -> CronSchedule:
    fields = tuple(body.split())
    if body != body.strip():
        raise _Bad("no spaces allowed just inside cron( and )")
    if len(fields) != 6:
        raise _Bad(f"cron() needs 6 fields: {_FIELDS}; got {len(fields)}")
    minute, hour, dom, month, dow, year = fields
    for name, text in (("minutes", minute), ("hours", hour), ("month", month), ("year", year)):
        if "?" in text:
            raise _Bad(f"? is only allowed in day-of-month or day-of-week, not {name}")
    if dom == "?" and dow == "?":
        raise _Bad("day-of-month and day-of-week can't both be ?: give one a value or *")
    if dom != "?" and dow != "?":
        raise _Bad(
            f"one of day-of-month and day-of-week must be ?; got {dom!r} and {dow!r} "
            f"(e.g. cron(0 8 * * ? *) or cron(0 8 ? * MON-FRI *))"
        )
    return CronSchedule(
        expression=f"cron({body})",
        fields=fields,
        minutes=_MINUTES.values(minute),
        hours=_HOURS.values(hour),
        day_of_month=_day_of_month(dom),
        months=_MONTH.values(month),
        day_of_week=_day_of_week(dow),
        years=_YEAR.values(year),
        timezone=timezone,
        service=service,
        _zone=zone,
    )


def _parse_rate(body: str, timezone: str, service: str, anchor: datetime | None) -> RateSchedule:
    m = re.fullmatch(r"(\S+) (\S+)", body)
    if not m:
        raise _Bad("rate() takes a value and a unit separated by one space, e.g. rate(5 minutes)")
    value_text, unit = m.groups()
    if not _is_number(value_text) or int(value_text) < 1:
        raise _Bad(f"the rate() value must be a positive whole number; got {value_text!r}")
    value = int(value_text)
    singular = unit.removesuffix("s")
    if singular not in _UNITS:
        raise _Bad(f"the rate() unit must be minute(s), hour(s) or day(s); got {unit!r}")
    # Scheduler takes either form, whatever the value: "a unit with the following options:
    # minute | minutes | hour | hours | day | days" (CreateSchedule's ScheduleExpression,
    # https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html, as of
    # 2026-12; the user guide's table shows only the plurals). A misspelt unit such as `minutess`
    # is refused by both (LocalStack's snapshot recorded against AWS, above).
    if service != SCHEDULER and value == 1 and unit != singular:
        raise _Bad(f"EventBridge wants the singular for 1: rate(1 {singular}), not rate(1 {unit})")
    if service != SCHEDULER and value > 1 and unit == singular:
        raise _Bad(
            f"EventBridge wants the plural above 1: rate({value} {unit}s), not rate({value} {unit})"
        )
    return RateSchedule(
        expression=f"rate({body})",
        value=value,
        unit=singular,
        period=value * _UNITS[singular],
        anchor=None if anchor is None else _utc(anchor, "anchor"),
        timezone=timezone,
        service=service,
    )


def _parse_at(body: str, timezone: str, zone: tzinfo) -> AtSchedule:
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", body):
        raise _Bad(
            f"at() takes yyyy-mm-ddThh:mm:ss (no Z or offset: use the time zone); got {body!r}"
        )
    try:
        local = datetime.strptime(body, "%Y-%m-%dT%H:%M:%S")
    except ValueError as error:
        raise _Bad(f"at() has no such date or time: {error}") from None
    # AWS doesn't document one-time schedules on a DST change, so this is plain zoneinfo:
    # fold=0 takes the first of a repeated wall time, and a skipped wall time (02:30 when
    # clocks jump 02:00 -> 03:00) is read with the offset in force before the jump.
    when = local.replace(tzinfo=zone).astimezone(UTC)
    return AtSchedule(f"at({body})", local, when, timezone)


def parse(
    expression: str,
    timezone: str = "UTC",
    *,
    service: str | None = None,
    anchor: datetime | None = None,
) -> Schedule:
    """Parse a ``rate()``, ``cron()`` or ``at()`` schedule expression, or raise InvalidSchedule.

    ``timezone`` is Scheduler's ``ScheduleExpressionTimezone`` (an IANA name); EventBridge rules
    always run in UTC. ``service`` is ``"events"`` (EventBridge PutRule) or ``"scheduler"``
    (EventBridge Scheduler CreateSchedule); left out, it is ``"scheduler"`` for ``at()`` or a
    time zone other than UTC, since only Scheduler takes those, and ``"events"`` otherwise.
    ``anchor`` is when a ``rate()`` schedule was created (runs are anchor + k * period, k >= 1);
    cron and at ignore it.
    """
    if service is None:
        service = SCHEDULER if expression.startswith("at(") or timezone != "UTC" else EVENTBRIDGE
    if service not in (EVENTBRIDGE, SCHEDULER):
        raise ValueError(f"service must be {EVENTBRIDGE!r} or {SCHEDULER!r}; got {service!r}")
    if service == EVENTBRIDGE and timezone != "UTC":
        raise ValueError(
            "EventBridge rules always run in UTC; a time zone (ScheduleExpressionTimezone) is "
            f"an EventBridge Scheduler setting: use service={SCHEDULER!r}"
        )
    try:
        zone: tzinfo = UTC if timezone == "UTC" else ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {timezone!r}; use an IANA name such as 'Europe/London'"
        ) from None
    try:
        m = re.fullmatch(r"(rate|cron|at)\((.*)\)", expression, flags=re.DOTALL)
        if not m:
            if expression != expression.strip():
                raise _Bad("no spaces allowed before or after the expression")
            forms = (
                "rate(...), cron(...) or at(...)"
                if service == SCHEDULER
                else "rate(...) or cron(...)"
            )
            raise _Bad(f"a schedule expression is {forms}, in lower case")
        kind, body = m.groups()
        if kind == "rate":
            return _parse_rate(body, timezone, service, anchor)
        if kind == "cron":
            return _parse_cron(body, timezone, zone, service)
        if service != SCHEDULER:
            raise _Bad("at() is a one-time schedule of EventBridge Scheduler; rules can't use it")
        return _parse_at(body, timezone, zone)
    except _Bad as bad:
        raise InvalidSchedule(expression, str(bad), service) from None
