"""Exercises of notebook 01 (a first function): `greeter`, then its greeting in the logs."""

from __future__ import annotations

import random
from types import SimpleNamespace

from . import apps
from .core import Exercise, Incorrect
from .harness import Invocation, check_id, function_config, invoke

FUNCTION = "greeter"
# Names the check greets: varied at each check, so a hard-coded greeting cannot pass.
NAMES = ("Ada", "Grace", "Katherine", "Alan", "Edsger", "Barbara", "Zoë", "José", "Mary Ann")


def _names() -> list[str]:
    return random.sample(NAMES, 2)


def _failure(who: str, run: Invocation) -> Incorrect:
    return Incorrect(
        f"invoking `{FUNCTION}` with {{'name': {who!r}}} failed with {run.error}. Read its "
        f"log (`q.hint()` says where) or test the handler as a plain Python function first."
    )


def _why_not(who: str, got: object) -> str:
    expected = {"greeting": f"Hello, {who}!"}
    event = f"with the event {{'name': {who!r}}} `{FUNCTION}`"
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
    greeting = got["greeting"]
    if isinstance(greeting, str) and who in greeting:
        return (
            f"{event} greets with {greeting!r}; it must be exactly {expected['greeting']!r}: "
            "check the words, the comma, the spaces and the `!`."
        )
    return f"{event} returned {got!r}; expected {expected!r}."


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
    first, second = runs.values()
    if first == second:
        raise Incorrect(
            f"`{FUNCTION}` returned {first!r} for both {' and '.join(map(repr, runs))}: the "
            "name is hard-coded. Read it from the event (`event['name']`)."
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
    who = random.choice(NAMES)
    run = invoke(FUNCTION, {"name": who, "check": check_id()})
    if run.failed:
        raise _failure(who, run)
    greeting = f"Hello, {who}!"
    if any(greeting in line for line in run.printed):
        return "Your handler's print reaches CloudWatch Logs."
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
