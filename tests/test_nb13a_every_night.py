"""Notebook 13a's nightly check judges a rule's schedule over a year of nights, whatever the
weekday it runs on (learner trial 7, D7: `MON-FRI` passed from Sunday to Thursday)."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest

from helpers.exercises import nb13a_capstone_build as nb13a
from helpers.exercises.core import Incorrect


class _Kit:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now


MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("days_on", range(7))
@pytest.mark.parametrize(
    "expression",
    ["cron(0 2 ? * MON-FRI *)", "cron(0 2 ? * SAT-SUN *)", "cron(0 2 1-28 * ? *)"],
)
def test_a_schedule_that_skips_nights_fails_on_every_weekday(days_on: int, expression: str):
    kit = _Kit(MONDAY + timedelta(days=days_on))
    with (
        mock.patch.object(nb13a, "kit", lambda: kit),
        pytest.raises(Incorrect, match="every night"),
    ):
        nb13a._require_every_night({"Name": "nightly", "ScheduleExpression": expression})


@pytest.mark.parametrize("days_on", range(7))
@pytest.mark.parametrize(
    "expression",
    ["cron(0 2 * * ? *)", "cron(0 2 ? * SUN-SAT *)", "cron(0 2 ? JAN-DEC 1-7 *)", "rate(1 day)"],
)
def test_a_schedule_of_every_night_passes_on_every_weekday(days_on: int, expression: str):
    kit = _Kit(MONDAY + timedelta(days=days_on))
    with mock.patch.object(nb13a, "kit", lambda: kit):
        nb13a._require_every_night({"Name": "nightly", "ScheduleExpression": expression})


# Learner trial 10 (ZD10): a total DynamoDB can't hold, stored by the learner's code, made
# every Scan of the table fail, and the ingest check showed "⚠️ The check itself failed". A
# refusal to read the table is the learner's data, said with ❌; other errors still go up.
def test_a_table_dynamodb_refuses_to_read_is_the_learners_data():
    from botocore.exceptions import ClientError

    def scan_refused() -> str:
        raise ClientError(
            {"Error": {"Code": "ValidationException", "Message": "Number overflow"}}, "Scan"
        )

    with pytest.raises(Incorrect, match="couldn't read the table `receipts`") as found:
        nb13a._reading_the_table(scan_refused)()
    assert "Number overflow" in str(found.value)

    def other_error() -> str:
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "PutObject")

    with pytest.raises(ClientError):
        nb13a._reading_the_table(other_error)()
