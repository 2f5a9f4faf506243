"""What every exercise shares: a check with nothing built, hints and solutions, a crashing check.

Each exercise's wrong and right answers, and its solution, run in test_exercise_catalogue.py."""

from __future__ import annotations

from helpers import exercises


def test_nothing_built_fails_helpfully(fresh):
    result = exercises.notebook_01.q1.check()
    assert not result.passed
    assert "no function named `greeter`" in result.message


def test_hint_and_solution_are_shown():
    q = exercises.notebook_02.q1
    assert "publish_version" in q.hint().message
    assert "create_alias" in q.solution().message
    assert q.solution().message.startswith("Solution:\n```python\n")


def test_a_check_that_crashes_says_it_is_the_checks_fault():
    def crashes() -> str:
        raise TypeError("unsupported operand")

    q = exercises.Exercise("q9", "task", crashes, "hint", "solution")
    result = q.check()
    assert not result.passed
    assert result.message.startswith("⚠️ The check itself failed (TypeError: unsupported operand)")
    assert "not a verdict on your answer" in result.message
    assert "Not yet" not in result.message


def test_a_retry_setting_in_the_machines_environment_does_not_change_a_verdict(fresh, monkeypatch):
    # Found by a learner trial: with AWS_MAX_ATTEMPTS=10 in the shell, a Config() without
    # retries got a tick. The answer's Config alone must decide (notebook 08b, q1).
    from botocore.config import Config

    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "10")
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    result = exercises.notebook_08b.q1.check(Config())
    assert not result.passed, result.message
    assert result.message.startswith("❌ Not yet — "), result.message
