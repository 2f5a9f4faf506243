"""05 q2's solution() works after a wrong attempt that left the `account` item with `balance`
stored as a string (learner trial 7, G D6): every ADD failed, after the solution too, as it
replaced the table only when its key was wrong. The catalogue's sequence runs solution() after
its first wrong answer only; this runs it after this one."""

from helpers.patches import function_states
from tests.catalogue.nb05 import ANSWERS
from tests.test_exercise_catalogue import _exercise, _run


def test_solution_after_a_string_balance_passes(fresh):
    exercise = _exercise("05", "q2")
    answers = ANSWERS["q2"]
    wrong = answers.wrong["balance-initialised-as-string"]
    assert not _run(exercise, answers.before, wrong.code).passed
    fresh.configure(control_plane_delay=function_states.DEFAULT_DELAY_S)
    try:
        fixed = _run(exercise, exercise.solution_code)
    finally:
        fresh.configure(control_plane_delay=0)
    assert fixed.passed, fixed.message
