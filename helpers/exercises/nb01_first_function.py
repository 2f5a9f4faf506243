"""Exercises of notebook 01 (a first function): `greeter`, then its greeting in the logs."""

from __future__ import annotations

import json
import random
from types import SimpleNamespace

from . import apps
from .core import Exercise, Incorrect
from .harness import Invocation, check_id, function_config, invoke

FUNCTION = "greeter"
# Names the check greets: varied at each check, so a hard-coded greeting cannot pass.
NAMES = ("Ada", "Grace", "Katherine", "Alan", "Edsger", "Barbara", "Zoë", "José", "Mary Ann")


def _names() -> list[str]:
    """Every check greets a name with a space and one with an accent (a handler that keeps the
    first word, or drops accents, fails every time, not one check in three), and a third name
    drawn at random, so that a greeting written out by hand cannot pass."""
    hard = ["Mary Ann", random.choice(["Zoë", "José"])]
    return [*hard, random.choice([n for n in NAMES if n not in hard])]


def _failure(who: str, run: Invocation) -> Incorrect:
    return Incorrect(
        f"invoking `{FUNCTION}` with {{'name': {who!r}}} failed with {run.error}. Read its "
        f"log, in the log group `/aws/lambda/{FUNCTION}` (section 6 reads one), or test the "
        "handler as a plain Python function first."
    )


def _why_not(who: str, got: object) -> str:
    expected = {"greeting": f"Hello, {who}!"}
    event = f"with the event {{'name': {who!r}}} `{FUNCTION}`"
    if got is None:
        # A handler without `return` (e.g. it prints the dict) replies null.
        return (
            f"{event} returned None: its handler returns nothing. Printing the dict doesn't "
            f"answer the invoke; `return` it: {expected!r}."
        )
    if not isinstance(got, dict):
        kind = type(got).__name__
        extra = (
            " (a JSON string: return the dict itself; Lambda serialises it)"
            if kind == "str"
            else ""
        )
        return f"{event} returned a {kind}{extra}; expected the dict {expected!r}."
    if "greeting" not in got:
        return f"{event} returned {got!r}: the key must be `greeting`, as in {expected!r}."
    if extra_keys := [key for key in got if key != "greeting"]:
        return (
            f"{event} returned the extra key(s) {', '.join(f'`{k}`' for k in extra_keys)}: "
            f"{got!r}. Return exactly {expected!r}, with `greeting` as its only key."
        )
    greeting = got["greeting"]
    if isinstance(greeting, str) and who in greeting:
        return (
            f"{event} greets with {greeting!r}; it must be exactly {expected['greeting']!r}: "
            "check the words, the comma, the spaces and the `!`."
        )
    return f"{event} returned {got!r}; expected {expected!r}."


def _wrong_shape(got: object) -> bool:
    """True when the reply isn't a dict with `greeting` as its only key: a mistake of shape,
    named as such before the same-reply test (a None for every name isn't a hard-coded name)."""
    return not isinstance(got, dict) or list(got) != ["greeting"]


def _check_greeter() -> str:
    config = function_config(FUNCTION)
    if not str(config.get("Runtime", "")).startswith("python3"):
        raise Incorrect(f"`{FUNCTION}` should use a Python runtime such as python3.12.")
    runs = {}
    for who in _names():
        run = invoke(FUNCTION, {"name": who})
        if run.failed:
            raise _failure(who, run)
        runs[who] = run.payload
    for who, got in runs.items():
        if _wrong_shape(got):
            raise Incorrect(_why_not(who, got))
    replies = [repr(got) for got in runs.values()]
    if len(set(replies)) < len(replies):
        same = next(reply for reply in replies if replies.count(reply) > 1)
        greetings = [got.get("greeting") for got in runs.values() if isinstance(got, dict)]
        if any("{" in str(g) for g in greetings):  # the placeholder came back: no f-string
            raise Incorrect(
                f"`{FUNCTION}` returned {same} for every name: the braces came back as written, "
                "so the string is a plain one. Put an `f` before its opening quote (an f-string) "
                "so that `{...}` is replaced by the name."
            )
        raise Incorrect(
            f"`{FUNCTION}` returned {same} for more than one of the names "
            f"{', '.join(map(repr, runs))}: the name is hard-coded, or kept from an earlier "
            "invocation. Read it from each event (`event['name']`)."
        )
    for who, got in runs.items():
        if got != {"greeting": f"Hello, {who}!"}:
            raise Incorrect(_why_not(who, got))
    return f"`{FUNCTION}` reads the name from its event and greets by name."


def _check_printed() -> str:
    try:
        function_config(FUNCTION)
    except Incorrect:
        raise Incorrect(
            f"there is no function named `{FUNCTION}` yet: deploy it in Question 1 first, then "
            "change its code here."
        ) from None
    # An accented name every time (a greeting printed as JSON shows "Zo\u00eb"), and one drawn
    # at random, so that a greeting printed by hand cannot pass.
    for who in (random.choice(["Zoë", "José"]), random.choice(NAMES[:6])):
        run = invoke(FUNCTION, {"name": who, "check": check_id()})
        if run.failed:
            raise _failure(who, run)
        _require_printed(who, run)
    return "Your handler's print reaches CloudWatch Logs."


def _require_printed(who: str, run: Invocation) -> None:
    greeting = f"Hello, {who}!"
    if any(greeting in line for line in run.printed):
        return
    escaped = json.dumps(greeting)[1:-1]  # "Hello, Zo\u00eb!": what json.dumps prints
    if escaped != greeting and any(escaped in line for line in run.printed):
        raise Incorrect(
            f"the log of the check's invocation with {{'name': {who!r}}} shows {escaped!r}, "
            f"not {greeting!r}: `json.dumps` escapes the accent. Print the greeting itself "
            "(or `json.dumps(..., ensure_ascii=False)`)."
        )
    others = [line for line in run.printed if line.strip()]
    seen = (
        f" It wrote {len(others)} other line(s), e.g. {others[0][:80]!r}."
        if others
        else " It wrote nothing of its own."
    )
    raise Incorrect(
        f"the check invoked `{FUNCTION}` with {{'name': {who!r}}}, and that invocation's log "
        f"has no line with its greeting {greeting!r}.{seen} Make the handler `print` the "
        "greeting it returns, update its code, then check again."
    )


_DEPLOY = '''
import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

source = """
{source}"""
lam = boto3.client("lambda")
code = zip_bytes({{"lambda_function.py": source}})
handler = "lambda_function.lambda_handler"
try:
    lam.create_function(FunctionName="greeter", Runtime="python3.12", Role=execution_role(),
                        Handler=handler, Code={{"ZipFile": code}})
    lam.get_waiter("function_active_v2").wait(FunctionName="greeter")
except lam.exceptions.ResourceConflictException:  # greeter exists already: replace its code
    lam.update_function_code(FunctionName="greeter", ZipFile=code)
    lam.get_waiter("function_updated_v2").wait(FunctionName="greeter")
    lam.update_function_configuration(FunctionName="greeter", Handler=handler)
    lam.get_waiter("function_updated_v2").wait(FunctionName="greeter")
'''

notebook_01 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task="Deploy `greeter`: given {'name': 'Ada'} it returns {'greeting': 'Hello, Ada!'}.",
        checker=_check_greeter,
        hint_text=(
            "The handler receives the event as a dict, so the name is one of its keys. Build "
            "the greeting with an f-string and return a dict (not a JSON string): Lambda "
            "serialises what you return."
        ),
        solution_code=_DEPLOY.format(source=apps.source("greeter")),
    ),
    q2=Exercise(
        name="q2",
        task="Make `greeter` print its greeting, so it shows in CloudWatch Logs.",
        checker=_check_printed,
        hint_text=(
            "Whatever a handler prints goes to its log group, `/aws/lambda/greeter`. Add a "
            "`print` of the greeting, then send the new code with `update_function_code`."
        ),
        solution_code=_DEPLOY.format(source=apps.source("greeter_printing")),
    ),
)
