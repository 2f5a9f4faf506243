"""What every exercise shares: a check with nothing built, hints and solutions, a crashing check.

Each exercise's wrong and right answers, and its solution, run in test_exercise_catalogue.py."""

from __future__ import annotations

from helpers import exercises
from tests.conftest import log_messages


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


def test_a_throttled_invoke_in_a_check_names_the_paused_function(fresh, deploy, lam):
    # Learner trial 9 (OD8): reserved concurrency 0 left from notebook 02's experiment made
    # every check that invoked the function blame itself.
    deploy("paused", "def handler(e, c):\n    return 1\n")
    lam.put_function_concurrency(FunctionName="paused", ReservedConcurrentExecutions=0)

    def invokes() -> str:
        fresh.client("lambda").invoke(FunctionName="paused")
        return "ran"

    result = exercises.Exercise("q9", "task", invokes, "hint", "solution").check()
    assert not result.passed
    assert result.message.startswith("❌ Not yet — an invoke the check made was throttled")
    assert "`paused` has a reserved concurrency of 0" in result.message
    assert "delete_function_concurrency(FunctionName='paused')" in result.message


def test_a_retry_setting_in_the_machines_environment_does_not_change_a_verdict(fresh, monkeypatch):
    # Found by a learner trial: with AWS_MAX_ATTEMPTS=10 in the shell, a Config() without
    # retries got a tick. The answer's Config alone must decide (notebook 08b, q1).
    from botocore.config import Config

    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "10")
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    result = exercises.notebook_08b.q1.check(Config())
    assert not result.passed, result.message
    assert result.message.startswith("❌ Not yet — "), result.message


def test_a_p90_two_mistakes_give_names_both():
    # Found by a busy CI machine (notebook 10, q1): a jittery fast call made the unsorted list's
    # p90 equal to the successful calls' p90, and the message named only the one that came
    # first in the code, not the learner's. Both are named now; a figure one mistake gives
    # still names that one alone.
    from types import SimpleNamespace

    from helpers.exercises.nb10_observability import _wrong_p90

    def figures(**mistakes: list[float]) -> SimpleNamespace:
        known = {k: [] for k in ("billed", "mixed", "successes", "whole", "unsorted", "max")}
        return SimpleNamespace(
            calls=20, failed=6, mean=2.0, right=[12.1], linear=12.1, mistakes=known | mistakes
        )

    both = _wrong_p90(4.38, figures(successes=[4.38], unsorted=[4.38]), "a batch")
    assert "2 mistakes" in both
    assert "successful invocations only" in both and "sort them" in both
    alone = _wrong_p90(4.38, figures(successes=[1.2], unsorted=[4.38]), "a batch")
    assert "sort them" in alone and "successful" not in alone and "mistakes" not in alone


def test_a_check_never_passes_a_handler_that_borrowed_a_package_aws_lacks(fresh, deploy, lam):
    # Found by learner trial 5 (05 q1): `import requests`, which the kit lends and AWS's runtime
    # lacks, passed every check that invoked the handler. Warm environments that borrowed before
    # the check are stopped, so the check's own invoke imports it again and is caught too.
    deploy("borrower", "import requests\ndef handler(event, context):\n    return 1\n")
    deploy("honest", "import json\ndef handler(event, context):\n    return 1\n")
    assert lam.invoke(FunctionName="borrower")["Payload"].read() == b"1"  # warm, borrowed

    def invokes(name: str):
        def checker() -> str:
            assert lam.invoke(FunctionName=name)["Payload"].read() == b"1"
            return "it answered."

        return exercises.Exercise("q9", "task", checker, "hint", "solution")

    caught = invokes("borrower").check()
    assert not caught.passed
    assert "`borrower` imports `requests`" in caught.message
    assert "Runtime.ImportModuleError" in caught.message
    assert invokes("honest").check().passed


def test_a_check_passes_a_handler_that_falls_back_on_import_error_as_aws_does(
    fresh, deploy, lam, logs
):
    # Learner trial 7 (G D5): Powertools tried, the standard library taken without its layer.
    # AWS's runtime has no Powertools, so the fallback runs there: the check's environments
    # import as AWS does, and the kit's own note on the refused import stays out of the log.
    source = (
        "try:\n    import aws_lambda_powertools\n    HAVE = True\n"
        "except ImportError:\n    HAVE = False\n"
        "def handler(event, context):\n    return 1 if not HAVE else 2\n"
    )
    deploy("careful", source)
    assert lam.invoke(FunctionName="careful")["Payload"].read() == b"2"  # the kit lends it

    def checker() -> str:
        assert lam.invoke(FunctionName="careful")["Payload"].read() == b"1"  # as on AWS
        return "it answered."

    result = exercises.Exercise("q9", "task", checker, "hint", "solution").check()
    assert result.passed, result.message
    assert not any("lambda-kit-refused" in m for m in log_messages(logs, "careful"))
    assert fresh.settings()["strict_imports"] is False  # the learner's setting is back
