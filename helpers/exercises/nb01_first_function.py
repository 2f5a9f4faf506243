"""Exercises of notebook 01 (a first function): `greeter`, then its greeting in the logs."""

from __future__ import annotations

import html
import json
import random
import re
from datetime import UTC, datetime
from types import SimpleNamespace

from ..iam import BASIC_EXECUTION
from ..limits import python_runtimes
from . import apps
from .core import Exercise, Incorrect
from .harness import (
    LOG_ACTIONS,
    Invocation,
    check_id,
    client,
    function_config,
    invocation_log,
    invoke,
    kit,
    printed_text,
    require_not_paused,
    role_allows,
    role_statements,
)

FUNCTION = "greeter"
# Names the check greets: varied at each check, so a hard-coded greeting cannot pass.
NAMES = ("Ada", "Grace", "Katherine", "Alan", "Edsger", "Barbara", "Zoë", "José", "Mary Ann")
# Names that start lower case and hold an apostrophe: a handler that re-cases the name
# (`.title()`, `.capitalize()`) or HTML-escapes it (`html.escape`: `&#x27;`) changes each one
# (learner trial 9, O D1).
UNTITLED = ("d'Artagnan", "van 't Hoff", "de l'Orme", "dell'Acqua")


def _names() -> list[str]:
    """Every check greets a name with a space, one with an accent and one in lower case with an
    apostrophe (a handler that keeps the first word, drops accents, re-cases or escapes the name
    fails every time, not one check in three), and a fourth name drawn at random, so that a
    greeting written out by hand cannot pass."""
    hard = ["Mary Ann", random.choice(["Zoë", "José"]), random.choice(UNTITLED)]
    return [*hard, random.choice([n for n in NAMES if n not in hard])]


def _failure(who: str, run: Invocation, group: str = f"/aws/lambda/{FUNCTION}") -> Incorrect:
    return Incorrect(
        f"invoking `{FUNCTION}` with {{'name': {who!r}}} failed with {run.error}. Read its "
        f"log, in the log group `{group}` (section 6 reads one), or test the "
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
    if isinstance(greeting, str) and greeting != expected["greeting"]:
        if html.unescape(greeting) == expected["greeting"]:
            return (
                f"{event} greets with {greeting!r}: the name is HTML-escaped. A greeting is "
                f"plain text: return the name as the event gives it, {expected!r}."
            )
        if greeting.casefold() == expected["greeting"].casefold():
            return (
                f"{event} greets with {greeting!r}: the name's capitals changed (`.title()`, "
                "`.capitalize()`?). Greet the name exactly as the event gives it: "
                f"{expected!r}."
            )
    if isinstance(greeting, str) and who in greeting:
        return (
            f"{event} greets with {greeting!r}; it must be exactly {expected['greeting']!r}: "
            "check the words, the comma, the spaces and the `!`."
        )
    return f"{event} returned {got!r}; expected {expected!r}."


# The greeting of a handler that reads a key the event lacks with `.get`: None or a default.
_MISSING_NAME = re.compile(r"Hello, (None|null|)!?")


def _wrong_shape(got: object) -> bool:
    """True when the reply isn't a dict with `greeting` as its only key: a mistake of shape,
    named as such before the same-reply test (a None for every name isn't a hard-coded name)."""
    return not isinstance(got, dict) or list(got) != ["greeting"]


def _check_greeter() -> str:
    config = function_config(FUNCTION)
    if not str(config.get("Runtime", "")).startswith("python3"):
        raise Incorrect(f"`{FUNCTION}` should use a Python runtime such as python3.12.")
    require_not_paused(FUNCTION)
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
        if _MISSING_NAME.fullmatch(str(greetings[replies.index(same)])):
            # event.get('firstName') greets None, event.get('Name', '') greets no one: the key
            # read isn't in the event, which is no hard-coded name (learner trial 9, O D6).
            raise Incorrect(
                f"`{FUNCTION}` returned {same} for the names "
                f"{', '.join(map(repr, runs))}: the key it reads isn't in the event, so it "
                "greets what `.get` gives for a missing key. The event holds the name under "
                "`name`: read `event['name']`."
            )
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
    return f"`{FUNCTION}` reads the name from its event and greets by name.{_runtime_note(config)}"


def _runtime_note(config: dict) -> str:
    """A word when greeter's runtime is deprecated on the kit's clock: AWS still runs it and
    lets functions be created with it until its block-create date, but "may no longer apply
    security patches or updates to that runtime"
    (https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html; learner trial 9,
    O W4)."""
    runtime = str(config.get("Runtime", ""))
    dates = python_runtimes().get(runtime)
    if dates is None or not dates.deprecated(kit().now().date()):
        return ""
    return (
        f" Note: `{runtime}` is deprecated since {dates.deprecation:%Y-%m-%d} (AWS may no "
        f"longer patch it; new functions can't use it from {dates.block_create:%Y-%m-%d}): prefer "
        "a newer runtime such as python3.12."
    )


def _log_group(config: dict) -> str:
    """greeter's log group: `/aws/lambda/greeter` unless its LoggingConfig names another (a
    custom log group, https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html)."""
    return (config.get("LoggingConfig") or {}).get("LogGroup") or f"/aws/lambda/{FUNCTION}"


def _require_log_rights(config: dict, group: str) -> None:
    """Incorrect unless greeter's execution role may write its log: on AWS, Lambda sends the
    function's output to CloudWatch Logs with the role's rights, `logs:CreateLogStream` and
    `logs:PutLogEvents` (and `logs:CreateLogGroup` while the group doesn't exist); without them
    nothing the handler prints is kept
    (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html, "Required IAM
    permissions"). Learner trial 9 (O D2): the kit writes the log whatever the role allows."""
    aws = kit()
    role = config["Role"].rsplit("/", 1)[-1]
    iam = client("iam")
    try:
        statements = role_statements(role)
    except iam.exceptions.NoSuchEntityException:
        raise Incorrect(
            f"`{FUNCTION}`'s execution role `{role}` doesn't exist any more: Lambda can't run "
            "the function as it, nor write its log. Give it a role that exists "
            "(`update_function_configuration(..., Role=...)`)."
        ) from None
    group_arn = f"arn:aws:logs:{aws.region}:{aws.account_id}:log-group:{group}"
    stream_arn = f"{group_arn}:log-stream:{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{check_id()}"
    actions = list(LOG_ACTIONS)
    logs = client("logs")
    groups = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    if any(g["logGroupName"] == group for g in groups):
        actions.remove("logs:CreateLogGroup")  # an existing group needn't be created
    missing = [
        action
        for action in actions
        if not any(
            role_allows(statements, action, arn, role=role, function=FUNCTION)
            for arn in (group_arn, stream_arn)
        )
    ]
    if missing:
        raise Incorrect(
            f"`{FUNCTION}`'s execution role `{role}` doesn't allow "
            f"{', '.join(f'`{a}`' for a in missing)} on its log group `{group}`. On AWS, Lambda "
            "writes the function's log with its role's rights, so nothing the handler prints "
            "would reach CloudWatch Logs. Attach AWS's managed policy "
            f"`AWSLambdaBasicExecutionRole` to the role: `iam.attach_role_policy(RoleName="
            f"'{role}', PolicyArn='{BASIC_EXECUTION}')`."
        )


def _check_printed() -> str:
    try:
        config = function_config(FUNCTION)
    except Incorrect:
        raise Incorrect(
            f"there is no function named `{FUNCTION}` yet: deploy it in Question 1 first, then "
            "change its code here."
        ) from None
    require_not_paused(FUNCTION)
    group = _log_group(config)
    _require_log_rights(config, group)
    # An accented name every time (a greeting printed as JSON shows "Zo\u00eb"), and one drawn
    # at random, so that a greeting printed by hand cannot pass.
    for who in (random.choice(["Zoë", "José"]), random.choice(NAMES[:6])):
        # The task's event, {"name": ...}, and nothing else: a handler may refuse other keys
        # (learner trial 9, O D19: the check sent a `check` key its messages didn't show).
        run = invoke(FUNCTION, {"name": who})
        if run.failed:
            raise _failure(who, run, group)
        _require_printed(who, run, group)
        # The handler of question 1, printing too: it still answers with the greeting
        # (learner trial 9, O D4: one that printed and returned nothing passed).
        expected = {"greeting": f"Hello, {who}!"}
        if run.payload is None:
            raise Incorrect(
                f"`{FUNCTION}` prints its greeting but no longer returns it: with the event "
                f"{{'name': {who!r}}} the invoke answered None. Keep Question 1's `return` "
                f"beside the `print`: `{FUNCTION}` must still answer {expected!r}."
            )
        if run.payload != expected:
            raise Incorrect(
                f"`{FUNCTION}` prints its greeting, but must still return it, as in Question 1: "
                + _why_not(who, run.payload)
            )
    return "Your handler's print reaches CloudWatch Logs."


def _printed(run: Invocation, group: str) -> list[str]:
    """What the handler printed in this invocation, read from `group` (its log group)."""
    return [
        printed_text(line)
        for line in invocation_log(FUNCTION, run.request_id, group)
        if not line.startswith(("START RequestId:", "END RequestId:", "REPORT RequestId:"))
    ]


def _require_printed(who: str, run: Invocation, group: str) -> None:
    greeting = f"Hello, {who}!"
    printed = _printed(run, group)
    if any(greeting in line for line in printed):
        return
    escaped = json.dumps(greeting)[1:-1]  # "Hello, Zo\u00eb!": what json.dumps prints
    if escaped != greeting and any(escaped in line for line in printed):
        raise Incorrect(
            f"the log of the check's invocation with {{'name': {who!r}}} shows {escaped!r}, "
            f"not {greeting!r}: `json.dumps` escapes the accent. Print the greeting itself "
            "(or `json.dumps(..., ensure_ascii=False)`)."
        )
    others = [line for line in printed if line.strip()]
    seen = (
        f" It wrote {len(others)} other line(s), e.g. {others[0][:80]!r}."
        if others
        else " It wrote nothing of its own."
    )
    raise Incorrect(
        f"the check invoked `{FUNCTION}` with {{'name': {who!r}}}, and that invocation's log "
        f"(in `{group}`) has no line with its greeting {greeting!r}.{seen} Make the handler "
        "`print` the greeting it returns, update its code, then check again."
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
    # its handler, and a role that may write its logs (the kit's, with AWSLambdaBasicExecutionRole)
    lam.update_function_configuration(FunctionName="greeter", Handler=handler,
                                      Role=execution_role())
    lam.get_waiter("function_updated_v2").wait(FunctionName="greeter")
    lam.delete_function_concurrency(FunctionName="greeter")  # no reservation (0 throttles all)
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
        task=(
            "Make `greeter` print its greeting, so it shows in CloudWatch Logs, and still "
            "return it."
        ),
        checker=_check_printed,
        hint_text=(
            "Whatever a handler prints goes to its log group, `/aws/lambda/greeter`. Add a "
            "`print` of the greeting, then send the new code with `update_function_code`."
        ),
        solution_code=_DEPLOY.format(source=apps.source("greeter_printing")),
    ),
)
