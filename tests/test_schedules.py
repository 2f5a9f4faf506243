"""Schedule expressions fire when AWS would fire them and are rejected when AWS rejects them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpers.triggers.schedules import InvalidSchedule, parse

EVENTBRIDGE_SAYS = "Parameter ScheduleExpression is not valid."


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def rejected(expression: str, **options) -> InvalidSchedule:
    with pytest.raises(InvalidSchedule) as caught:
        parse(expression, **options)
    return caught.value


# --- rate() ----------------------------------------------------------------------------------


def test_rate_runs_every_period_after_its_anchor():
    created = utc(2024, 6, 1, 12, 0)
    every_5 = parse("rate(5 minutes)", anchor=created)
    assert every_5.next_after(created) == utc(2024, 6, 1, 12, 5)
    assert every_5.next_after(utc(2024, 6, 1, 12, 7, 30)) == utc(2024, 6, 1, 12, 10)
    assert every_5.next_after(utc(2024, 6, 1, 12, 10)) == utc(2024, 6, 1, 12, 15)
    # Before the rule existed, the first run is still one period after its creation.
    assert every_5.next_after(utc(2024, 1, 1)) == utc(2024, 6, 1, 12, 5)
    assert every_5.describe() == "every 5 minutes"


def test_rate_units_and_an_unanchored_rate_starts_when_asked():
    moment = utc(2024, 6, 1, 12, 0, 30)
    assert parse("rate(1 minute)").next_after(moment) == moment + timedelta(minutes=1)
    assert parse("rate(1 hour)").next_after(moment) == moment + timedelta(hours=1)
    assert parse("rate(2 days)").next_after(moment) == moment + timedelta(days=2)
    assert parse("rate(1 minute)").describe() == "every minute"
    assert parse("rate(1 day)").describe() == "every day"


def test_anchored_gives_a_copy_counted_from_creation():
    unanchored = parse("rate(1 hour)")
    created = utc(2024, 6, 1, 9, 30)
    hourly = unanchored.anchored(created)
    assert hourly.next_after(utc(2024, 6, 1, 11, 0)) == utc(2024, 6, 1, 11, 30)
    assert unanchored.anchor is None


@pytest.mark.parametrize(
    ("expression", "why"),
    [
        ("rate(1 minutes)", "rate(1 minute), not rate(1 minutes)"),
        ("rate(1 hours)", "rate(1 hour), not rate(1 hours)"),
        ("rate(5 minute)", "rate(5 minutes), not rate(5 minute)"),
        ("rate(10 day)", "rate(10 days), not rate(10 day)"),
        ("rate(0 minutes)", "positive whole number"),
        ("rate(-10 minutes)", "positive whole number"),
        ("rate(10 seconds)", "minute(s), hour(s) or day(s)"),
        ("rate(10 MINUTES)", "minute(s), hour(s) or day(s)"),
        ("rate(10)", "a value and a unit"),
        ("rate( 10 minutes )", "a value and a unit"),
        (" rate(10 minutes)", "no spaces"),
    ],
)
def test_eventbridge_rejects_bad_rates(expression, why):
    error = rejected(expression)
    assert error.aws_message == EVENTBRIDGE_SAYS
    assert str(error).startswith(f"ValidationException: {EVENTBRIDGE_SAYS}")
    assert why in error.reason


def test_scheduler_rates_take_singular_or_plural_units_and_its_own_error_wording():
    # CreateSchedule's API reference: "minute | minutes | hour | hours | day | days".
    start = utc(2024, 1, 1)
    for expression in ("rate(1 hours)", "rate(1 hour)"):
        assert parse(expression, service="scheduler").next_after(start) == utc(2024, 1, 1, 1)
    every_five = parse("rate(5 minute)", service="scheduler")
    assert every_five.next_after(start) == start + timedelta(minutes=5)
    error = rejected("rate(10 minutess)", service="scheduler")
    assert error.aws_message == "Invalid Schedule Expression rate(10 minutess)."
    assert error.message_for("events") == EVENTBRIDGE_SAYS
    assert "unit" in error.reason


# --- cron() ----------------------------------------------------------------------------------


def test_cron_weekdays_at_eight():
    weekdays = parse("cron(0 8 ? * MON-FRI *)")
    friday_after_eight = utc(2024, 6, 7, 9, 0)
    assert weekdays.next_after(friday_after_eight) == utc(2024, 6, 10, 8, 0)  # Monday
    assert weekdays.next_after(utc(2024, 6, 10, 7, 59, 30)) == utc(2024, 6, 10, 8, 0)
    assert weekdays.next_after(utc(2024, 6, 10, 8, 0)) == utc(2024, 6, 11, 8, 0)  # strictly after
    week = list(weekdays.between(utc(2024, 6, 9), utc(2024, 6, 16)))
    assert [run.strftime("%a %H:%M") for run in week] == [
        "Mon 08:00",
        "Tue 08:00",
        "Wed 08:00",
        "Thu 08:00",
        "Fri 08:00",
    ]
    assert weekdays.describe() == "at 08:00 UTC on MON-FRI"
    # Day-of-week counts from 1=SUN, so MON-FRI is 2-6.
    assert list(parse("cron(0 8 ? * 2-6 *)").between(utc(2024, 6, 9), utc(2024, 6, 16))) == week


def test_cron_last_day_of_month_and_last_weekday():
    last_day = parse("cron(0 0 L * ? *)")
    assert last_day.next_after(utc(2024, 2, 1)) == utc(2024, 2, 29)  # leap year
    assert last_day.next_after(utc(2023, 2, 1)) == utc(2023, 2, 28)
    assert last_day.next_after(utc(2024, 2, 29)) == utc(2024, 3, 31)
    last_friday = parse("cron(0 12 ? * 6L *)")
    assert last_friday.next_after(utc(2024, 5, 1)) == utc(2024, 5, 31, 12)
    assert last_friday.next_after(utc(2024, 6, 1)) == utc(2024, 6, 28, 12)
    assert last_friday.describe() == "at 12:00 UTC on the last FRI of the month"
    # L alone in day-of-week is the last day of the week: Saturday.
    assert parse("cron(0 12 ? * L *)").next_after(utc(2024, 6, 3)).strftime("%a") == "Sat"


def test_cron_nearest_weekday_stays_in_the_month():
    def first_run(expression: str, after: datetime) -> datetime:
        return parse(expression).next_after(after)

    assert first_run("cron(0 9 15W * ? *)", utc(2024, 6, 1)) == utc(2024, 6, 14, 9)  # Sat -> Fri
    assert first_run("cron(0 9 16W * ? *)", utc(2024, 6, 1)) == utc(2024, 6, 17, 9)  # Sun -> Mon
    assert first_run("cron(0 9 1W * ? *)", utc(2024, 5, 31)) == utc(2024, 6, 3, 9)  # Sat 1st -> Mon
    assert first_run("cron(0 9 31W * ? *)", utc(2024, 3, 1)) == utc(2024, 3, 29, 9)  # Sun 31st
    assert first_run("cron(0 9 12W * ? *)", utc(2024, 6, 1)) == utc(2024, 6, 12, 9)  # a weekday
    assert first_run("cron(0 9 31W * ? *)", utc(2024, 4, 1)) == utc(2024, 5, 31, 9)  # no Apr 31


def test_cron_nth_weekday_of_the_month():
    second_tuesday = parse("cron(0 9 ? * 3#2 *)")
    assert second_tuesday.next_after(utc(2024, 6, 1)) == utc(2024, 6, 11, 9)
    assert second_tuesday.next_after(utc(2024, 6, 11, 9)) == utc(2024, 7, 9, 9)
    assert second_tuesday.describe() == "at 09:00 UTC on the 2nd TUE of the month"
    # Months without a fifth Monday are skipped.
    assert parse("cron(0 9 ? * MON#5 *)").next_after(utc(2024, 2, 1)) == utc(2024, 4, 29, 9)


def test_cron_ranges_lists_and_steps():
    day = utc(2024, 6, 3), utc(2024, 6, 4)
    runs = list(parse("cron(0/15 9-17/4 * * ? *)").between(*day))
    assert [run.strftime("%H:%M") for run in runs] == [
        f"{hour:02d}:{minute:02d}" for hour in (9, 13, 17) for minute in (0, 15, 30, 45)
    ]
    assert [run.minute for run in parse("cron(5-20/5 10 * * ? *)").between(*day)] == [5, 10, 15, 20]
    assert [run.minute for run in parse("cron(1/10 10 * * ? *)").between(*day)] == [
        1,
        11,
        21,
        31,
        41,
        51,
    ]
    assert [run.hour for run in parse("cron(0 8,12,17 * * ? *)").between(*day)] == [8, 12, 17]
    assert parse("cron(0/15 * * * ? *)").describe() == "every 15 minutes"


def test_cron_month_and_day_names_match_their_numbers():
    year = utc(2024, 1, 1), utc(2025, 1, 1)
    by_name = list(parse("cron(0 6 ? JAN-MAR,DEC SUN,SAT *)").between(*year))
    by_number = list(parse("cron(0 6 ? 1-3,12 1,7 *)").between(*year))
    assert by_name == by_number
    assert {run.month for run in by_name} == {1, 2, 3, 12}
    assert {run.strftime("%a") for run in by_name} == {"Sat", "Sun"}


def test_names_holding_l_or_w_are_names_not_special_characters():
    # Found by learner trial 6 (04b q1): WED and JUL were refused ("W can't be used ...").
    year = utc(2024, 1, 1), utc(2025, 1, 1)
    by_name = list(parse("cron(0 3 ? JUN-JUL MON,TUE,WED,THU *)").between(*year))
    by_number = list(parse("cron(0 3 ? 6-7 2-5 *)").between(*year))
    assert by_name == by_number and by_name


def test_cron_year_field_ends_the_schedule():
    new_year_2025 = parse("cron(0 0 1 1 ? 2025)")
    assert new_year_2025.next_after(utc(2024, 6, 1)) == utc(2025, 1, 1)
    assert new_year_2025.next_after(utc(2025, 1, 1)) is None
    assert parse("cron(0 0 1 1 ? *)").next_after(utc(2199, 1, 1)) is None


def test_between_over_a_day_of_hourly_cron_gives_24_times_in_order():
    runs = list(parse("cron(0 * * * ? *)").between(utc(2024, 6, 1), utc(2024, 6, 2)))
    assert len(runs) == 24
    assert runs == sorted(runs)
    assert runs[0] == utc(2024, 6, 1, 1)  # start is exclusive
    assert runs[-1] == utc(2024, 6, 2)  # end is inclusive


def test_a_year_of_rate_one_minute():
    start, end = utc(2023, 1, 1), utc(2024, 1, 1)
    count, last = 0, None
    for run in parse("rate(1 minute)", anchor=start).between(start, end):
        count, last = count + 1, run
    assert count == 365 * 24 * 60 == 525_600
    assert last == end
    assert sum(1 for _ in parse("cron(* * * * ? *)").between(start, end)) == 525_600


@pytest.mark.parametrize(
    ("expression", "why"),
    [
        ("cron(0 8 * * MON *)", "one of day-of-month and day-of-week must be ?"),
        ("cron(0 8 * * * *)", "one of day-of-month and day-of-week must be ?"),
        ("cron(7 20 * * 1-7 *)", "one of day-of-month and day-of-week must be ?"),
        ("cron(0 8 ? * ? *)", "can't both be ?"),
        ("cron(? 8 * * ? *)", "? is only allowed in day-of-month or day-of-week"),
    ],
)
def test_question_mark_rule(expression, why):
    error = rejected(expression)
    assert error.aws_message == EVENTBRIDGE_SAYS
    assert why in error.reason


@pytest.mark.parametrize(
    ("expression", "count"), [("cron(0 8 * * ?)", 5), ("cron(0 8 * * ? * *)", 7)]
)
def test_cron_needs_six_fields(expression, count):
    error = rejected(expression)
    assert str(error) == (
        f"ValidationException: {EVENTBRIDGE_SAYS} [local kit: cron() needs 6 fields: "
        f"minutes hours day-of-month month day-of-week year; got {count}]"
    )
    assert error.message_for("scheduler") == f"Invalid Schedule Expression {expression}."
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("expression", "why"),
    [
        ("cron(60 8 * * ? *)", "minutes must be 0-59; got 60"),
        ("cron(0 24 * * ? *)", "hours must be 0-23; got 24"),
        ("cron(0 8 32 * ? *)", "day-of-month must be 1-31; got 32"),
        ("cron(0 8 * 13 ? *)", "month must be 1-12; got 13"),
        ("cron(0 8 ? * 8 *)", "day-of-week must be 1-7; got 8"),
        ("cron(0 8 ? * 0 *)", "day-of-week must be 1-7; got 0"),
        ("cron(0 8 * * ? 2200)", "year must be 1970-2199; got 2200"),
        ("cron(0 8 * FOO ? *)", "'FOO' is not a valid month"),
        ("cron(0 8 ? * 2#1,4#1 *)", "# takes a single expression"),
        ("cron(0 8 ? * 2#6 *)", "1-5"),
        ("cron(0 8 L,15 * ? *)", "must stand alone"),
        ("cron(0 8 ? * */2 *)", "/ (increments) isn't allowed in day-of-week"),
        ("cron(L 8 * * ? *)", "L can't be used in minutes"),
        ("cron(0/0 8 * * ? *)", "positive whole number"),
        ("CRON(0 8 * * ? *)", "lower case"),
    ],
)
def test_bad_cron_fields(expression, why):
    assert why in rejected(expression).reason


# --- at() ------------------------------------------------------------------------------------


def test_at_runs_once_in_its_time_zone():
    once = parse("at(2025-06-01T09:30:00)")
    assert once.service == "scheduler"
    assert once.next_after(utc(2025, 1, 1)) == utc(2025, 6, 1, 9, 30)
    assert once.next_after(utc(2025, 6, 1, 9, 30)) is None
    assert list(once.between(utc(2025, 6, 1), utc(2025, 6, 2))) == [utc(2025, 6, 1, 9, 30)]
    in_london = parse("at(2025-06-01T09:30:00)", "Europe/London")
    assert in_london.next_after(utc(2025, 1, 1)) == utc(2025, 6, 1, 8, 30)  # BST is UTC+1
    assert in_london.describe() == "once at 2025-06-01 09:30:00 Europe/London"


@pytest.mark.parametrize(
    "expression", ["at(2021-12-31T23:59:59Z)", "at(2021-12-31)", "at(2025-02-30T10:00:00)"]
)
def test_bad_at_uses_schedulers_wording(expression):
    error = rejected(expression)
    assert error.aws_message == f"Invalid Schedule Expression {expression}."


def test_rules_cannot_use_at_or_a_time_zone():
    error = rejected("at(2025-06-01T09:30:00)", service="events")
    assert error.aws_message == EVENTBRIDGE_SAYS
    assert "EventBridge Scheduler" in error.reason
    with pytest.raises(ValueError, match="always run in UTC"):
        parse("cron(0 9 * * ? *)", "Europe/London", service="events")
    with pytest.raises(ValueError, match="unknown time zone"):
        parse("cron(0 9 * * ? *)", "Mars/Olympus_Mons")


# --- time zones ------------------------------------------------------------------------------


def test_cron_follows_local_time_across_a_dst_change():
    # Europe/London moves from GMT (UTC+0) to BST (UTC+1) at 01:00 UTC on 31 March 2024.
    nine_am = parse("cron(0 9 * * ? *)", "Europe/London")
    assert nine_am.service == "scheduler"
    assert list(nine_am.between(utc(2024, 3, 29), utc(2024, 4, 2))) == [
        utc(2024, 3, 29, 9),
        utc(2024, 3, 30, 9),
        utc(2024, 3, 31, 8),
        utc(2024, 4, 1, 8),
    ]


def test_a_local_time_skipped_in_spring_does_not_run():
    half_past_one = parse("cron(30 1 * * ? *)", "Europe/London")
    assert list(half_past_one.between(utc(2024, 3, 29), utc(2024, 4, 2))) == [
        utc(2024, 3, 29, 1, 30),
        utc(2024, 3, 30, 1, 30),
        # 01:30 on 31 March never happens in London: the clocks jump from 01:00 to 02:00.
        utc(2024, 4, 1, 0, 30),
    ]


def test_a_local_time_repeated_in_autumn_runs_once():
    # London goes back from 02:00 BST to 01:00 GMT on 27 October 2024, so 01:30 happens twice.
    half_past_one = parse("cron(30 1 * * ? *)", "Europe/London")
    assert list(half_past_one.between(utc(2024, 10, 26), utc(2024, 10, 29))) == [
        utc(2024, 10, 26, 0, 30),
        utc(2024, 10, 27, 0, 30),
        utc(2024, 10, 28, 1, 30),
    ]
    # From inside the repeated hour, the next run is the next day's.
    assert half_past_one.next_after(utc(2024, 10, 27, 1, 15)) == utc(2024, 10, 28, 1, 30)
    local_day = utc(2024, 10, 26, 22, 59), utc(2024, 10, 27, 23, 59)  # 23:59 to 23:59 London
    hourly = list(parse("cron(0 * * * ? *)", "Europe/London").between(*local_day))
    assert len(hourly) == 24  # the local day has 25 hours, but 01:00 runs once
    assert hourly[:3] == [utc(2024, 10, 26, 23), utc(2024, 10, 27, 0), utc(2024, 10, 27, 2)]


def test_a_daily_rate_is_24_hours_even_across_dst():
    daily = parse("rate(1 days)", "Europe/London", anchor=utc(2024, 3, 30, 12))
    assert daily.next_after(utc(2024, 3, 30, 13)) == utc(2024, 3, 31, 12)


# --- inputs ----------------------------------------------------------------------------------


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        parse("rate(1 hour)").next_after(datetime(2024, 6, 1))
