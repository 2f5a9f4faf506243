"""Each exercise's catalogue of answers, one module per notebook (`nb01.py` ...).

A module defines `ANSWERS = {"q1": Answers(...), ...}`: plausible wrong answers, each named for
its mistake with the words its ❌ message must contain, and right answers unlike the official
solution. `tests/test_exercise_catalogue.py` runs them all on a wiped local AWS.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Wrong:
    """A wrong answer: the learner's cell, and words the check's message must contain.

    raises: words of the error the cell itself must raise, when AWS refuses the mistake at
    the call (e.g. S3 refusing a notification the function's policy doesn't allow); the
    check, run after it as the learner would, must still give a ❌ with `says`.
    """

    code: str
    says: tuple[str, ...]
    raises: str = ""

    def __init__(self, code: str, *says: str, raises: str = "") -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "says", says)
        object.__setattr__(self, "raises", raises)


@dataclass(frozen=True)
class Answers:
    """One exercise's catalogue.

    before: what the learner has done before this exercise (earlier cells, earlier questions).
    wrong: mistake name -> Wrong; at least four. right: name -> code; at least two, unlike the
    solution. broken: the mistake applied after a right answer (the "right, then broken" run).
    """

    wrong: dict[str, Wrong]
    right: dict[str, str]
    broken: str
    before: str = ""
    extra: dict[str, str] = field(default_factory=dict)
