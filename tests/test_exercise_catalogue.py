"""Every exercise against its catalogue: each named mistake gets a ❌ that names it, each right
answer unlike the solution gets a ✅, wrong-then-right passes and right-then-broken fails."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

from helpers import exercises
from helpers.patches import function_states
from tests import catalogue

MODULES = {
    info.name.removeprefix("nb"): importlib.import_module(f"tests.catalogue.{info.name}")
    for info in pkgutil.iter_modules(catalogue.__path__)
    if info.name.startswith("nb")  # one per notebook; `seeding` holds what they share
}
ENTRIES = {
    (notebook, question): answers
    for notebook, module in sorted(MODULES.items())
    for question, answers in module.ANSWERS.items()
}


def _exercise(notebook: str, question: str):
    return getattr(exercises.ALL[notebook], question)


def _run(exercise, *cells: str, raises: str = ""):
    """Run the learner's cells in one namespace, as a notebook would, then the check.

    With `raises`, the last cell must fail with an error saying it (AWS refusing the call),
    and the check runs after it all the same, as the learner's next cell would.
    """
    namespace: dict = {}
    for n, cell in enumerate(cells):
        if not cell:
            continue
        if raises and n == len(cells) - 1:
            with pytest.raises(Exception, match=re.escape(raises)):
                exec(cell, namespace)
        else:
            exec(cell, namespace)
    return exercise.check(namespace["answer"]) if "answer" in namespace else exercise.check()


# Entries per test class: pytest-xdist (--dist loadscope) sends a class to one worker, and a
# capstone exercise's 40 entries in one class kept a worker busy for minutes after the others
# had finished. Classes of a few entries each spread over the workers.
CHUNK = 8


def _chunks(names: list[str]) -> list[list[str]]:
    return [names[i : i + CHUNK] for i in range(0, len(names), CHUNK)]


def _catalogue_tests(notebook: str, question: str) -> list[type]:
    """The classes of one exercise's catalogue: the first holds its sequence and size tests."""
    answers = ENTRIES[notebook, question]
    exercise = _exercise(notebook, question)

    # The first mistake and the `broken` one run in the sequence below, with their messages
    # checked there: each answer runs once, and the catalogue fits in `./kit test`'s time.
    first = next(iter(answers.wrong))
    alone = [m for m in answers.wrong if m not in (first, answers.broken)]

    def crossed(result, mistake: str) -> None:
        wrong = answers.wrong[mistake]
        assert not result.passed, f"{mistake} passed: {result.message}"
        assert result.message.startswith("❌ Not yet — "), result.message
        for words in wrong.says:
            assert words.lower() in result.message.lower(), (mistake, words, result.message)

    def wrong_answers(mistakes: list[str]) -> type:
        class Wrong:
            @pytest.mark.parametrize("mistake", mistakes)
            def test_a_wrong_answer_gets_a_cross_naming_its_mistake(self, fresh, mistake):
                wrong = answers.wrong[mistake]
                crossed(_run(exercise, answers.before, wrong.code, raises=wrong.raises), mistake)

        return Wrong

    def right_answers(names: list[str]) -> type:
        class Right:
            @pytest.mark.parametrize("name", names)
            def test_a_right_answer_unlike_the_solution_gets_a_tick(self, fresh, name):
                result = _run(exercise, answers.before, answers.right[name])
                assert result.passed, result.message

        return Right

    class Catalogue:
        def test_wrong_then_right_passes_and_right_then_broken_fails(self, fresh):
            wrong = answers.wrong[first]
            crossed(_run(exercise, answers.before, wrong.code, raises=wrong.raises), first)
            # solution() must work from wherever a learner is: here, after a wrong attempt,
            # with the kit's default control plane, where code that doesn't wait for a new
            # function or an update fails as on AWS.
            fresh.configure(control_plane_delay=function_states.DEFAULT_DELAY_S)
            try:
                fixed = _run(exercise, exercise.solution_code)
            finally:
                fresh.configure(control_plane_delay=0)
            assert fixed.passed, fixed.message
            broken = answers.wrong[answers.broken]
            crossed(_run(exercise, broken.code, raises=broken.raises), answers.broken)

        def test_the_catalogue_is_big_enough(self):
            assert len(answers.wrong) >= 4 and len(answers.right) >= 2
            assert answers.broken in answers.wrong
            for wrong in answers.wrong.values():
                assert wrong.says, "each mistake names the words its message must contain"

    name = f"TestNotebook{notebook}{question[0].upper()}{question[1:]}"
    parts = [Catalogue]
    parts += [wrong_answers(chunk) for chunk in _chunks(alone)]
    parts += [right_answers(chunk) for chunk in _chunks(list(answers.right))]
    classes = []
    for n, part in enumerate(parts):
        # The exercise's name first, so that `-k Notebook13aNightly` still selects them all.
        part.__name__ = part.__qualname__ = name if n == 0 else f"{name}Part{n}"
        classes.append(part)
    return classes


for _notebook, _question in ENTRIES:
    for _class in _catalogue_tests(_notebook, _question):
        globals()[_class.__name__] = _class


def test_every_exercise_has_a_catalogue():
    every = {(n, q) for n, questions in exercises.ALL.items() for q in vars(questions)}
    assert every - set(ENTRIES) == set()
