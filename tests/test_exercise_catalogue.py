"""Every exercise against its catalogue: each named mistake gets a ❌ that names it, each right
answer unlike the solution gets a ✅, wrong-then-right passes and right-then-broken fails."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from helpers import exercises
from tests import catalogue

MODULES = {
    info.name.removeprefix("nb"): importlib.import_module(f"tests.catalogue.{info.name}")
    for info in pkgutil.iter_modules(catalogue.__path__)
}
ENTRIES = {
    (notebook, question): answers
    for notebook, module in sorted(MODULES.items())
    for question, answers in module.ANSWERS.items()
}


def _exercise(notebook: str, question: str):
    return getattr(exercises.ALL[notebook], question)


def _run(exercise, *cells: str):
    """Run the learner's cells in one namespace, as a notebook would, then the check."""
    namespace: dict = {}
    for cell in cells:
        if cell:
            exec(cell, namespace)
    return exercise.check(namespace["answer"]) if "answer" in namespace else exercise.check()


def _catalogue_tests(notebook: str) -> type:
    """One class per notebook, so pytest-xdist (--dist loadscope) spreads them over workers."""
    entries = {key: answers for key, answers in ENTRIES.items() if key[0] == notebook}
    wrong = [(q, m) for (_, q), a in entries.items() for m in a.wrong]
    right = [(q, r) for (_, q), a in entries.items() for r in a.right]
    questions = [q for _, q in entries]

    class Catalogue:
        @pytest.mark.parametrize(("question", "mistake"), wrong, ids=[f"{q}-{m}" for q, m in wrong])
        def test_a_wrong_answer_gets_a_cross_naming_its_mistake(self, fresh, question, mistake):
            answers = ENTRIES[notebook, question]
            wrong = answers.wrong[mistake]
            result = _run(_exercise(notebook, question), answers.before, wrong.code)
            assert not result.passed, f"{mistake} passed: {result.message}"
            assert result.message.startswith("❌ Not yet — "), result.message
            for words in wrong.says:
                assert words.lower() in result.message.lower(), (words, result.message)

        @pytest.mark.parametrize(("question", "name"), right, ids=[f"{q}-{r}" for q, r in right])
        def test_a_right_answer_unlike_the_solution_gets_a_tick(self, fresh, question, name):
            answers = ENTRIES[notebook, question]
            result = _run(_exercise(notebook, question), answers.before, answers.right[name])
            assert result.passed, result.message

        @pytest.mark.parametrize("question", questions)
        def test_wrong_then_right_passes_and_right_then_broken_fails(self, fresh, question):
            answers = ENTRIES[notebook, question]
            exercise = _exercise(notebook, question)
            first_wrong = next(iter(answers.wrong.values()))
            assert not _run(exercise, answers.before, first_wrong.code).passed
            # solution() must work from wherever a learner is: here, after a wrong attempt.
            fixed = _run(exercise, exercise.solution_code)
            assert fixed.passed, fixed.message
            broken = answers.wrong[answers.broken]
            result = _run(exercise, broken.code)
            assert not result.passed, (
                f"{answers.broken} after a right answer passed: {result.message}"
            )

        @pytest.mark.parametrize("question", questions)
        def test_the_catalogue_is_big_enough(self, question):
            answers = ENTRIES[notebook, question]
            assert len(answers.wrong) >= 4 and len(answers.right) >= 2
            assert answers.broken in answers.wrong
            for wrong in answers.wrong.values():
                assert wrong.says, "each mistake names the words its message must contain"

    Catalogue.__name__ = Catalogue.__qualname__ = f"TestNotebook{notebook}"
    return Catalogue


for _notebook in MODULES:
    globals()[f"TestNotebook{_notebook}"] = _catalogue_tests(_notebook)


def test_every_exercise_has_a_catalogue():
    every = {(n, q) for n, questions in exercises.ALL.items() for q in vars(questions)}
    assert every - set(ENTRIES) == set()
