"""Exercises that check themselves: `q.check()`, `q.hint()`, `q.solution()`.

Modelled on Kaggle's learntools.

Each check looks at what the learner really built in the local AWS (it invokes their function,
reads its logs...), so it cannot be passed by typing the expected answer. Each exercise also
carries a plausible wrong answer, so the tests prove every check can fail and say why.

    from helpers.exercises import notebook_01 as ex
    ex.q1.check()

One module per part of the course holds its notebooks' exercises (`notebook_NN`).
"""

from __future__ import annotations

from types import SimpleNamespace

from . import (
    async_errors,
    basics,
    capstone,
    cold_starts,
    deployment,
    errors,
    http_and_events,
    integrations,
    limits,
    observability,
    practices,
    pricing,
)
from .core import Exercise, Incorrect, Result

__all__ = ["ALL", "Exercise", "Incorrect", "Result"]

# Every notebook's exercises, by notebook number ("00", "01", ...).
ALL: dict[str, SimpleNamespace] = {
    name.removeprefix("notebook_"): value
    for module in (
        basics,
        integrations,
        http_and_events,
        async_errors,
        pricing,
        cold_starts,
        limits,
        errors,
        observability,
        deployment,
        practices,
        capstone,
    )
    for name, value in vars(module).items()
    if name.startswith("notebook_") and isinstance(value, SimpleNamespace)
}
globals().update({f"notebook_{number}": questions for number, questions in ALL.items()})
