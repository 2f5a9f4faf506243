"""Exercises that check themselves: `q.check()`, `q.hint()`, `q.solution()`.

Modelled on Kaggle's learntools.

Each check looks at what the learner really built in the local AWS (it invokes their function,
reads the log lines of its own invocations...), with inputs of its own, so it cannot be passed by
typing the expected answer, and an earlier attempt can neither pass nor fail a later one.
tests/catalogue/ holds, for each exercise, plausible wrong answers named for their mistakes and
right answers unlike the solution; tests/test_exercise_catalogue.py runs them all.

    from helpers.exercises import notebook_01 as ex
    ex.q1.check()

One module per notebook (`nb01_first_function.py` ...) declares its exercises (`notebook_NN`);
`harness.py` holds what the checks share, and `apps/` the handlers that solutions deploy.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import SimpleNamespace

from .core import Exercise, Incorrect, Result

__all__ = ["ALL", "Exercise", "Incorrect", "Result"]

# One module per notebook, `nbNN_<topic>.py` (`nb04a_...` for a notebook in parts), each
# declaring its `notebook_NN` exercises; found by name, so a new notebook needs no edit here.
# Each is imported when first asked for: all 20 hold 10 MB of a learner's kernel, which needs one.
_MODULES: dict[str, str] = {
    found.group(1): info.name
    for info in pkgutil.iter_modules(__path__)
    if (found := re.fullmatch(r"nb(\d\d[a-z]?)_\w+", info.name))
}


def _questions(number: str) -> SimpleNamespace:
    module = importlib.import_module(f".{_MODULES[number]}", __name__)
    return getattr(module, f"notebook_{number}")


def __getattr__(name: str) -> object:
    """`notebook_07a` (its module imported now), or `ALL`: every notebook's exercises by number."""
    if name == "ALL":
        return {number: _questions(number) for number in sorted(_MODULES)}
    number = name.removeprefix("notebook_")
    if name.startswith("notebook_") and number in _MODULES:
        globals()[name] = questions = _questions(number)
        return questions
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
