"""What every exercise is made of: `Exercise` (check, hint, solution), `Result`, `Incorrect`."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


class Incorrect(Exception):
    """A check that did not pass; the message tells the learner what to look at."""


@dataclass
class Result:
    """The outcome of a check: `passed`, and a message for the learner."""

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return self.message

    def _repr_markdown_(self) -> str:
        return self.message


@dataclass
class Exercise:
    """One exercise: what to do, how it is checked, a hint and a solution (its wrong answers,
    each named for its mistake, are in tests/catalogue/)."""

    name: str
    task: str
    checker: Callable[..., str]  # takes the learner's answer when the exercise asks for one
    hint_text: str
    solution_code: str

    def check(self, *answer: Any) -> Result:
        """Check what you built (or the answer you pass); says what is right, or what next."""
        # Your functions get the moment AWS gives them to become Active (you would run the
        # check seconds later there), and the check's own updates don't wait.
        from ..patches.function_states import settled_and_instant

        lent: list[tuple[str, str]] = []
        refused: list[tuple[str, str]] = []
        try:
            with _imports_as_on_aws(lent, refused), settled_and_instant():
                praise = self.checker(*answer)
            if lent:
                raise Incorrect(_lent_message(lent))
        except Incorrect as exc:
            # An import AWS's runtime refuses (and the kit refused, as during every check) is
            # the mistake to name, whatever the check's own words for what followed.
            why = _lent_message(refused) if refused else str(exc)
            return Result(False, f"❌ Not yet — {why}\n\nStuck? Try `{self.name}.hint()`.")
        except Exception as exc:  # a check must explain, never crash the notebook
            why = _lent_message(refused) if refused else _throttled_message(exc)
            if why:
                return Result(False, f"❌ Not yet — {why}\n\nStuck? Try `{self.name}.hint()`.")
            return Result(
                False,
                f"⚠️ The check itself failed ({type(exc).__name__}: {exc}). That is a fault of "
                "the check, not a verdict on your answer: run the check again, and if it fails "
                "the same way, tell your instructor or open an issue with this message.",
            )
        return Result(True, f"✅ Correct! {praise}")

    def hint(self) -> Result:
        """A nudge in the right direction."""
        return Result(False, f"💡 Hint: {self.hint_text}")

    def solution(self) -> Result:
        """The solution's code (run it yourself to see it pass)."""
        return Result(False, f"Solution:\n```python\n{self.solution_code.strip()}\n```")


@contextlib.contextmanager
def _imports_as_on_aws(
    lent: list[tuple[str, str]], refused: list[tuple[str, str]]
) -> Iterator[None]:
    """A check's environments import as AWS's runtime does; `lent` and `refused` are filled in
    at its end with the imports of packages no function shipped.

    By default the kit lends a handler a package it didn't ship (and notes it in the log), where
    AWS fails the import: a check that passed such a handler would promise what AWS refuses.
    So environments that borrowed before the check are stopped, and the ones the check starts
    import strictly (`strict_imports`): such an import fails (`refused`), and a handler that
    falls back on ImportError takes its fallback, as on AWS. An environment from before the
    check that imports lazily may still borrow (`lent`).
    """
    from ..cloud import current

    aws = current()
    if aws is None or not aws.running:
        yield
        return
    aws.retire_lending_environments()
    marks = len(aws.imports_lent()), len(aws.imports_refused())
    try:
        with aws.configured(strict_imports=True):
            yield
    finally:  # a check that ends in Incorrect (or fails) is read too
        lent.extend(dict.fromkeys(aws.imports_lent()[marks[0] :]))
        refused.extend(dict.fromkeys(aws.imports_refused()[marks[1] :]))


def _lent_message(lent: list[tuple[str, str]]) -> str:
    function, package = lent[0]
    return (
        f"`{function}` imports `{package}`, which is neither in its ZIP, its layers nor AWS's "
        "Python runtime (the standard library, boto3 and boto3's dependencies). On AWS that "
        "import fails (`Runtime.ImportModuleError`, or an ImportError your code doesn't "
        "handle), and so does every invocation with it. Ship the package in the ZIP or a "
        "layer (notebook 11a), or remove the import."
    )


def _throttled_message(exc: Exception) -> str:
    """What to do when an invoke the check made was throttled ("" for any other failure): a
    function left at reserved concurrency 0 is the learner's state, not the check's fault
    (learner trial 9, OD8)."""
    response = getattr(exc, "response", None) or {}
    if response.get("Error", {}).get("Code") != "TooManyRequestsException":
        return ""
    from ..cloud import current

    aws = current()
    if aws is None or not aws.running:
        return ""
    lam = aws.client("lambda")
    paused = [
        fn["FunctionName"]
        for page in lam.get_paginator("list_functions").paginate()
        for fn in page["Functions"]
        if lam.get_function_concurrency(FunctionName=fn["FunctionName"]).get(
            "ReservedConcurrentExecutions"
        )
        == 0
    ]
    if paused:
        names = ", ".join(f"`{name}`" for name in paused)
        return (
            f"an invoke the check made was throttled (TooManyRequestsException): {names} "
            "has a reserved concurrency of 0 (`put_function_concurrency(..., "
            "ReservedConcurrentExecutions=0)`, perhaps left from an experiment), so Lambda "
            "throttles every invoke of it and it never runs. Remove the reservation with "
            f"`lam.delete_function_concurrency(FunctionName='{paused[0]}')`, or reserve a "
            "number above 0."
        )
    return (
        "an invoke the check made was throttled (TooManyRequestsException: "
        f"{response.get('Error', {}).get('Message', '')}): a function's reserved concurrency "
        "is below what the check runs at once, or the account's concurrency is used up. "
        "`lam.get_function_concurrency(FunctionName=...)` shows a reservation; remove it "
        "(`delete_function_concurrency`) or raise it."
    )


def invoke(name: str, event: Any) -> tuple[dict[str, Any], Any]:
    """Invoke a learner's function; (response, decoded payload)."""
    import boto3

    lam = boto3.client("lambda")
    response = lam.invoke(FunctionName=name, Payload=json.dumps(event))
    body = json.loads(response["Payload"].read() or b"null")
    return response, body


def function_exists(name: str) -> dict[str, Any]:
    """The function's configuration, or Incorrect saying it does not exist yet."""
    import boto3

    lam = boto3.client("lambda")
    try:
        return lam.get_function(FunctionName=name)["Configuration"]
    except lam.exceptions.ResourceNotFoundException:
        raise Incorrect(
            f"there is no function named `{name}` yet. Create it with `create_function`."
        ) from None
