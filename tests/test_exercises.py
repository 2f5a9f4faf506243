"""Every exercise passes its solution; one not yet in tests/catalogue/ fails its wrong answer."""

from __future__ import annotations

import pytest

from helpers import exercises

CASES = [
    (notebook, name, exercise)
    for notebook, questions in exercises.ALL.items()
    for name, exercise in vars(questions).items()
]


def _run(exercise, code):
    """Run a learner's cell, then the check, handing it `answer` when the cell defines one."""
    namespace = {}
    exec(code, namespace)
    return exercise.check(namespace["answer"]) if "answer" in namespace else exercise.check()


@pytest.mark.parametrize(
    ("notebook", "name", "exercise"), CASES, ids=[f"{n}.{q}" for n, q, _ in CASES]
)
def test_wrong_answer_fails_helpfully(fresh, notebook, name, exercise):
    if not exercise.wrong_code:
        pytest.skip("its wrong answers are in tests/catalogue/")
    result = _run(exercise, exercise.wrong_code)
    assert not result.passed
    assert result.message.startswith("❌ Not yet — ")
    assert len(result.message) > 40  # says what to look at, not just "wrong"
    assert f"{name}.hint()" in result.message


@pytest.mark.parametrize(
    ("notebook", "name", "exercise"), CASES, ids=[f"{n}.{q}" for n, q, _ in CASES]
)
def test_solution_passes(fresh, notebook, name, exercise):
    result = _run(exercise, exercise.solution_code)
    assert result.passed, result.message
    assert result.message.startswith("✅ Correct!")


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
