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
_MODULES = tuple(
    importlib.import_module(f".{info.name}", __name__)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
    if re.fullmatch(r"nb\d\d[a-z]?_\w+", info.name)
)

# Every notebook's exercises, by notebook number ("00", "01", ...).
ALL: dict[str, SimpleNamespace] = {
    name.removeprefix("notebook_"): value
    for module in _MODULES
    for name, value in vars(module).items()
    if name.startswith("notebook_") and isinstance(value, SimpleNamespace)
}
globals().update({f"notebook_{number}": questions for number, questions in ALL.items()})
