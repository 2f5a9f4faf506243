"""Notebook 07's exercises: cold starts counted from the logs, sized away, and moved into Init."""

from __future__ import annotations

import numbers
from types import SimpleNamespace
from typing import Any

from .core import Exercise, Incorrect, function_exists, invoke


def _aws() -> Any:
    from ..cloud import current

    aws = current()
    if aws is None or not aws.running:
        raise Incorrect("the local AWS is not running. Run `aws = helpers.start()` first.")
    return aws


def _whole_number(answer: Any, what: str, name: str) -> int:
    """The learner's answer as an int, or Incorrect saying what kind of answer is expected."""
    if answer is None:
        raise Incorrect(
            f"set `answer` to {what}, then pass it to the check: `{name}.check(answer)`."
        )
    if isinstance(answer, bool) or not isinstance(answer, numbers.Integral):
        raise Incorrect(
            f"the answer should be a whole number ({what}), not {type(answer).__name__} {answer!r}."
        )
    return int(answer)


# ------------------------------------------------------------------------------ q1: the logs
def _report_lines(name: str) -> list[str]:
    """Every REPORT line in the function's log group, oldest first."""
    import boto3

    logs = boto3.client("logs")
    group = f"/aws/lambda/{name}"
    if not logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]:
        return []
    pages = logs.get_paginator("filter_log_events").paginate(logGroupName=group)
    return [
        event["message"]
        for page in pages
        for event in page["events"]
        if event["message"].startswith("REPORT ")
    ]


def _check_07_count(answer: Any = None) -> str:
    from ..pricing import report_frame

    function_exists("ticker")
    lines = _report_lines("ticker")
    if len(lines) < 5:
        raise Incorrect(
            f"the logs of `ticker` hold {len(lines)} REPORT line(s): invoke it at least 5 times, "
            "moving the kit's clock (`aws.advance_clock(minutes=...)`) between some of the calls."
        )
    reports = report_frame(lines)
    cold = int(reports["cold"].sum())
    idle_min = _aws().runtime.idle_timeout / 60
    if cold < 2:
        raise Incorrect(
            "only the first invocation of `ticker` was a cold start. Leave a gap longer than the "
            f"kit's idle timeout ({idle_min:g} minutes) before at least one call, so that its "
            "environment is reclaimed."
        )
    if cold == len(reports):
        raise Incorrect(
            "every invocation of `ticker` was a cold start. Let at least one call follow the "
            f"previous one within the idle timeout ({idle_min:g} minutes), so that it finds the "
            "environment warm."
        )
    counted = _whole_number(answer, "how many invocations of `ticker` were cold starts", "q1")
    if counted != cold:
        raise Incorrect(
            f"you counted {counted} cold start(s), but the {len(reports)} REPORT lines of "
            "`ticker` say otherwise. Count the lines that carry an `Init Duration` (the "
            "`cold` column of `pricing.report_frame`), and don't forget the very first call."
        )
    return (
        f"{cold} of the {len(reports)} invocations of `ticker` were cold starts: the first one, "
        "and each one that found its environment reclaimed. You read it from the logs, as you "
        "would on AWS."
    )


_TICKER_SETUP = """
import boto3
import helpers
from helpers import pricing
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

aws = helpers.start()  # the running local AWS
lam = boto3.client("lambda")
logs = boto3.client("logs")

lam.create_function(
    FunctionName="ticker",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": "def handler(event, context):\\n    return 'tick'\\n"})},
)
lam.get_waiter("function_active_v2").wait(FunctionName="ticker")

gaps_min = [0, 2, 15, 1, 30, 4]
for gap in gaps_min:
    aws.advance_clock(minutes=gap)  # kit-only: on AWS, wait
    lam.invoke(FunctionName="ticker")
"""

_TICKER_SOLUTION = (
    _TICKER_SETUP
    + """
pages = logs.get_paginator("filter_log_events").paginate(
    logGroupName="/aws/lambda/ticker", filterPattern="REPORT"
)
events = [event for page in pages for event in page["events"]]
reports = pricing.report_frame(events)
answer = int(reports["cold"].sum())
"""
)

# Counts the gaps longer than the idle timeout, and forgets that the first call is cold.
_TICKER_WRONG = (
    _TICKER_SETUP
    + """
answer = sum(gap > 10 for gap in gaps_min)
"""
)


# ------------------------------------------------------------------------------ q2: the model
# The traffic of question 2, as the task states it: a quiet stream with a burst every hour.
BURSTS = {
    "base_rate": 0.005,
    "burst_rate": 30.0,
    "every_s": 3600.0,
    "burst_s": 30.0,
    "duration_s": 6 * 3600.0,
    "seed": 7,
}
BURST_MEDIAN_S = 0.25
BURST_SIGMA = 0.3
BURST_INIT_S = 0.8
TARGET = 0.01  # below 1% of requests cold


def cold_fraction_with(provisioned: int) -> float:
    """The share of question 2's requests that are cold with this much provisioned concurrency."""
    from .. import coldstart as cs

    arrivals = cs.burst_arrivals(**BURSTS)
    run = cs.simulate(
        arrivals,
        cs.Lognormal(BURST_MEDIAN_S, BURST_SIGMA),
        init_s=BURST_INIT_S,
        provisioned=provisioned,
        seed=BURSTS["seed"],
    )
    return float(run.summary["cold_start_fraction"])


def _check_07_provisioned(answer: Any = None) -> str:
    chosen = _whole_number(answer, "a number of provisioned environments", "q2")
    if chosen < 0:
        raise Incorrect(f"provisioned concurrency can't be negative; you answered {chosen}.")
    with_it = cold_fraction_with(chosen)
    if with_it >= TARGET:
        raise Incorrect(
            f"with {chosen} provisioned environment(s), {with_it:.2%} of the requests are still "
            f"cold starts; the target is under {TARGET:.0%}. The average concurrency during a "
            "burst (Little's law) is not enough: bursts peak above their mean, and every "
            "request beyond the provisioned environments spills over to a cold one."
        )
    if chosen > 0:
        one_less = cold_fraction_with(chosen - 1)
        if one_less < TARGET:
            raise Incorrect(
                f"{chosen - 1} provisioned environment(s) would do already ({one_less:.2%} cold). "
                "Provisioned concurrency is billed for every hour it is configured, used or "
                "not: look for the smallest number that meets the target."
            )
    fewer = f", and {chosen - 1} would not" if chosen > 0 else ""
    return (
        f"{chosen} provisioned environments keep the cold starts to {with_it:.2%} of the "
        f"requests{fewer}. Compare it with the mean concurrency of a burst: provisioning for "
        "the mean leaves the peaks cold."
    )


_PROVISIONED_SETUP = """
from helpers import coldstart as cs

arrivals = cs.burst_arrivals(
    base_rate=0.005, burst_rate=30, every_s=3600, burst_s=30, duration_s=6 * 3600, seed=7
)
"""

_PROVISIONED_SOLUTION = (
    _PROVISIONED_SETUP
    + """

def cold_fraction(provisioned):
    durations = cs.Lognormal(0.25, 0.3)
    run = cs.simulate(arrivals, durations, init_s=0.8, provisioned=provisioned, seed=7)
    return run.summary["cold_start_fraction"]


answer = 0
while cold_fraction(answer) >= 0.01:
    answer += 1
"""
)

# Little's law during a burst: the mean concurrency, which leaves the peaks cold.
_PROVISIONED_WRONG = (
    _PROVISIONED_SETUP
    + """
answer = round(30 * cs.Lognormal(0.25, 0.3).mean_s)
"""
)


# ------------------------------------------------------------------------------ q3: Init
CLIENT_FACTORIES = ("client", "resource")  # boto3.client(...), session.resource(...), client(...)


def _deployed_module(name: str) -> tuple[str, str]:
    """The handler module's file name and source, as the function's deployed package holds them."""
    import io
    import zipfile

    from moto.awslambda.models import lambda_backends

    aws = _aws()
    fn = lambda_backends[aws.account_id][aws.region].get_function(name)
    module = fn.handler.rsplit(".", 1)[0].replace(".", "/") + ".py"
    with zipfile.ZipFile(io.BytesIO(fn.code_bytes)) as archive:
        if module not in archive.namelist():
            raise Incorrect(
                f"the package of `{name}` has no `{module}`, the module its Handler setting "
                f"(`{fn.handler}`) names."
            )
        return module, archive.read(module).decode("utf-8", errors="replace")


def _client_calls(source: str) -> tuple[list[int], list[tuple[str, int]]]:
    """Where SDK clients are made: lines at module level, and (function, line) inside functions."""
    import ast

    def calls(node: ast.AST) -> list[int]:
        return [
            call.lineno
            for call in ast.walk(node)
            if isinstance(call, ast.Call)
            and (
                (isinstance(call.func, ast.Attribute) and call.func.attr in CLIENT_FACTORIES)
                or (isinstance(call.func, ast.Name) and call.func.id in CLIENT_FACTORIES)
            )
        ]

    module_level: list[int] = []
    inside: list[tuple[str, int]] = []
    for statement in ast.parse(source).body:
        functions = [
            node
            for node in ast.walk(statement)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        ]
        if functions:  # a def (or class) runs its body per call, not at import
            for function in functions:
                name = getattr(function, "name", "lambda")
                inside += [(name, line) for line in calls(function)]
            in_functions = {line for _, line in inside}
            module_level += [line for line in calls(statement) if line not in in_functions]
        else:
            module_level += calls(statement)
    return sorted(set(module_level)), sorted(set(inside))


def _check_07_client_in_init() -> str:
    import boto3

    function_exists("buckets")
    expected = {"count": len(boto3.client("s3").list_buckets()["Buckets"])}
    response, body = invoke("buckets", {})
    if response.get("FunctionError"):
        body = body if isinstance(body, dict) else {}
        raise Incorrect(
            f"invoking `buckets` failed: {body.get('errorType')}: {body.get('errorMessage')}"
        )
    if body != expected:
        raise Incorrect(
            f"`buckets` returned {body!r}; expected {expected!r}, the number of buckets that "
            "`s3.list_buckets()` lists."
        )
    module, source = _deployed_module("buckets")
    module_level, inside = _client_calls(source)
    if inside:
        where = ", ".join(f"line {line} in `{name}`" for name, line in inside)
        raise Incorrect(
            f"`{module}` makes an SDK client inside a function ({where}): that runs again in "
            "every invocation, warm ones included. Create the client at module level, above "
            "the handler, so that Init makes it once per execution environment."
        )
    if not module_level:
        raise Incorrect(
            f"`{module}` makes no SDK client at module level (`s3 = boto3.client('s3')` above "
            "the handler), which is what runs once, in Init."
        )
    return (
        f"`buckets` makes its S3 client at module level (line {module_level[0]} of `{module}`): "
        "once per execution environment, in Init. Every warm invocation reuses it."
    )


_BUCKETS_DEPLOY = """
# The handler lists the account's buckets: s3:ListAllMyBuckets, nothing else.
role_arn = execution_role("buckets-role")
boto3.client("iam").put_role_policy(
    RoleName="buckets-role",
    PolicyName="list-buckets",
    PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}],
    }),
)
lam = boto3.client("lambda")
lam.create_function(
    FunctionName="buckets",
    Runtime="python3.13",
    Role=role_arn,
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
)
lam.get_waiter("function_active_v2").wait(FunctionName="buckets")
"""

_BUCKETS_SOLUTION = (
    '''
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

source = """
import boto3

s3 = boto3.client("s3")  # Init: once per execution environment


def handler(event, context):
    return {"count": len(s3.list_buckets()["Buckets"])}
"""
'''
    + _BUCKETS_DEPLOY
)

# The client is made in every invocation.
_BUCKETS_WRONG = (
    '''
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

source = """
import boto3


def handler(event, context):
    s3 = boto3.client("s3")
    return {"count": len(s3.list_buckets()["Buckets"])}
"""
'''
    + _BUCKETS_DEPLOY
)


notebook_07 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Deploy `ticker` and invoke it at least 5 times, moving the kit's clock between "
            "calls so that some find a warm environment and some a reclaimed one. Then count, "
            "from its logs, how many invocations were cold starts: `q1.check(answer)`."
        ),
        checker=_check_07_count,
        hint_text=(
            "Read the REPORT lines with `logs.get_paginator('filter_log_events').paginate("
            "logGroupName='/aws/lambda/ticker', filterPattern='REPORT')`, gather the `events` "
            "of every page, and turn them into a table with `pricing.report_frame(events)`: its "
            "`cold` column is True where the line has an `Init Duration`. Sum it."
        ),
        solution_code=_TICKER_SOLUTION,
        wrong_code=_TICKER_WRONG,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "For the hourly bursts of `cs.burst_arrivals(base_rate=0.005, burst_rate=30, "
            "every_s=3600, burst_s=30, duration_s=6 * 3600, seed=7)`, served with "
            "`cs.simulate(arrivals, cs.Lognormal(0.25, 0.3), init_s=0.8, provisioned=n, seed=7)`, "
            "find the smallest provisioned concurrency `n` that keeps the cold starts below 1% "
            "of the requests: `q2.check(answer)`."
        ),
        checker=_check_07_provisioned,
        hint_text=(
            "Try n = 0, 1, 2, ... and read `run.summary['cold_start_fraction']` each time; stop "
            "at the first n below 0.01. Little's law gives the burst's mean concurrency, which "
            "is too few."
        ),
        solution_code=_PROVISIONED_SOLUTION,
        wrong_code=_PROVISIONED_WRONG,
    ),
    q3=Exercise(
        name="q3",
        task=(
            "Deploy `buckets`: it returns `{'count': <number of S3 buckets>}`, and makes its S3 "
            "client once per execution environment, in Init, not in every invocation."
        ),
        checker=_check_07_client_in_init,
        hint_text=(
            "Module-level code runs once, in Init. Put `s3 = boto3.client('s3')` above "
            "`def handler`, and only call `s3.list_buckets()` inside it."
        ),
        solution_code=_BUCKETS_SOLUTION,
        wrong_code=_BUCKETS_WRONG,
    ),
)
