"""Notebook 07a's exercises: cold starts counted from the logs, and a client moved into Init."""

from __future__ import annotations

import contextlib
import io
import random
import sys
import threading
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from . import apps
from .core import Exercise, Incorrect
from .deployed_code import LambdaContext, loaded_handlers
from .harness import check_id, client, epoch_ms, function_config, invoke, whole_number

TICKER = "ticker"
BUCKETS = "buckets"


# ------------------------------------------------------------------------------ q1: the logs
def _report_lines(name: str, since_ms: int) -> tuple[list[str], list[str]]:
    """The function's REPORT lines, oldest first: those written since `since_ms` (its current
    deployment), and the older ones its log group keeps from earlier deployments."""
    logs = client("logs")
    pages = logs.get_paginator("filter_log_events").paginate(
        logGroupName=f"/aws/lambda/{name}", filterPattern="REPORT"
    )
    current: list[str] = []
    earlier: list[str] = []
    try:
        for page in pages:
            for event in page["events"]:
                if event["message"].startswith("REPORT "):
                    mine = int(event["timestamp"]) >= since_ms
                    (current if mine else earlier).append(event["message"])
    except logs.exceptions.ResourceNotFoundException:
        pass
    return current, earlier


def _colds(lines: list[str]) -> int:
    from ..pricing import report_frame

    return int(report_frame(lines)["cold"].sum()) if lines else 0


def _check_07a_count(answer: Any = None) -> str:
    config = function_config(TICKER)
    # Only the invocations of the function as it is deployed now: a deleted `ticker`'s lines
    # stay in the log group (on AWS too) and are another function's story.
    lines, earlier = _report_lines(TICKER, epoch_ms(config["LastModified"]))
    if len(lines) < 5:
        raise Incorrect(
            f"the logs of `{TICKER}` hold {len(lines)} REPORT line(s) since it was deployed: "
            "invoke it at least 5 times, moving the kit's clock (`aws.advance_clock(minutes="
            "...)`) between some of the calls."
        )
    cold = _colds(lines)
    if cold < 2:
        raise Incorrect(
            f"only the first invocation of `{TICKER}` was a cold start. Leave a gap longer than "
            "the kit's idle timeout (10 minutes unless you changed it with `aws.configure("
            "idle_timeout=...)`) before at least one call, so that its environment is reclaimed."
        )
    if cold == len(lines):
        raise Incorrect(
            f"every invocation of `{TICKER}` was a cold start. Let at least one call follow the "
            "previous one within the idle timeout, so that it finds the environment warm."
        )
    counted = whole_number(answer, f"how many invocations of `{TICKER}` were cold starts", "q1")
    if counted == cold:
        return (
            f"{cold} of the {len(lines)} invocations of `{TICKER}` were cold starts: the first "
            "one, and each one that found its environment reclaimed. You read it from the "
            "logs, as you would on AWS."
        )
    if earlier and counted == cold + _colds(earlier):
        raise Incorrect(
            f"you counted {counted} cold starts, {counted - cold} of them in REPORT lines of an "
            f"earlier `{TICKER}`, deleted since: its log group keeps them. Count only the "
            "invocations since you deployed it (`startTime` of `filter_log_events`)."
        )
    raise Incorrect(
        f"you counted {counted} cold start(s), but the {len(lines)} REPORT lines of `{TICKER}` "
        "say otherwise. Count the lines that carry an `Init Duration` (the `cold` column of "
        "`pricing.report_frame`), and don't forget the very first call."
    )


_TICKER_SOLUTION = """
import time

import boto3
import helpers
from helpers import pricing
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

aws = helpers.start()  # the running local AWS
lam = boto3.client("lambda")
logs = boto3.client("logs")

try:  # start afresh, whatever an earlier attempt left
    lam.delete_function(FunctionName="ticker")
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="ticker",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": "def handler(event, context):\\n    return 'tick'\\n"})},
)
lam.get_waiter("function_active_v2").wait(FunctionName="ticker")

start = int(time.time() * 1000)  # the log group keeps the lines of an earlier ticker
for gap in [0, 2, 15, 1, 30, 4]:
    aws.advance_clock(minutes=gap)  # kit-only: on AWS, wait
    lam.invoke(FunctionName="ticker")

pages = logs.get_paginator("filter_log_events").paginate(
    logGroupName="/aws/lambda/ticker", filterPattern="REPORT", startTime=start
)
events = [event for page in pages for event in page["events"]]
answer = int(pricing.report_frame(events)["cold"].sum())
"""


# ------------------------------------------------------------------------------ q2: Init
class _ClientCount:
    """How many SDK clients the function's code creates, on this thread or on threads of its
    own (a handler's worker pool): boto3.client, resource and session clients all go through
    botocore's `Session.create_client`. The kit's own threads are not counted."""

    def __init__(self) -> None:
        self.made = 0
        self._thread = threading.get_ident()

    def _by_the_function(self) -> bool:
        if threading.get_ident() == self._thread:
            return True
        frame = sys._getframe(2)
        while frame is not None:  # a frame of the loaded handler's module (loaded_handlers)
            if str(frame.f_globals.get("__name__", "")).startswith("_check_"):
                return True
            frame = frame.f_back
        return False

    @contextlib.contextmanager
    def counting(self) -> Iterator[_ClientCount]:
        from botocore.session import Session

        original = Session.create_client

        def create_client(session: Any, *args: Any, **kwargs: Any) -> Any:
            if self._by_the_function():
                self.made += 1
            return original(session, *args, **kwargs)

        Session.create_client = create_client
        try:
            yield self
        finally:
            Session.create_client = original

    def since(self, mark: int) -> int:
        return self.made - mark


def _count_of(run: Any) -> int:
    if run.failed:
        denied = (
            " Its role must allow `s3:ListAllMyBuckets` on `*`." if "Denied" in run.error else ""
        )
        raise Incorrect(f"invoking `{BUCKETS}` failed: {run.error}.{denied}")
    body = run.payload
    if not isinstance(body, dict) or "count" not in body:
        raise Incorrect(
            f"`{BUCKETS}` returned {body!r}; it should return a dict such as {{'count': 3}}."
        )
    count = body["count"]
    if isinstance(count, bool) or not isinstance(count, int):
        raise Incorrect(
            f"`{BUCKETS}` returned {{'count': {count!r}}}: the count should be a number "
            f"(an int, such as 3), not {type(count).__name__}. Return `len(...)` itself."
        )
    return count


def _check_count_follows_buckets() -> None:
    """The count must follow the account's buckets: the check adds some of its own."""
    s3 = client("s3")
    before = len(s3.list_buckets()["Buckets"])
    got = _count_of(invoke(BUCKETS, {}))
    if got != before:
        raise Incorrect(
            f"`{BUCKETS}` returned {{'count': {got!r}}}, but `s3.list_buckets()` lists {before} "
            "bucket(s)."
        )
    # Two at least: a count capped at one bucket (`MaxBuckets=1`) can't pass by chance.
    added = [check_id("q2-bucket") for _ in range(random.randint(2, 3))]
    try:
        for name in added:
            s3.create_bucket(Bucket=name)
        got = _count_of(invoke(BUCKETS, {}))
    finally:
        for name in added:
            with contextlib.suppress(Exception):
                s3.delete_bucket(Bucket=name)
    if got != before + len(added):
        raise Incorrect(
            f"after the check created {len(added)} more bucket(s), `{BUCKETS}` returned "
            f"{{'count': {got!r}}} instead of {before + len(added)}: count the buckets that "
            "`list_buckets()` returns at each invocation, don't hard-code or keep the number."
        )


def _check_client_in_init() -> str:
    function_config(BUCKETS)
    _check_count_follows_buckets()
    # AWS: initialise SDK clients outside the handler, so that the execution environment's
    # later invocations reuse them.
    # https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html
    # By behaviour: the deployed module is loaded as Init loads it, then its handler runs
    # twice, as two warm invocations; count the SDK clients each step creates.
    counter = _ClientCount()
    with counter.counting(), loaded_handlers(BUCKETS, 1) as (handler,):
        in_init = counter.made
        per_invoke = []
        for _ in range(2):
            mark = counter.made
            try:
                with contextlib.redirect_stdout(io.StringIO()):  # its prints aren't the check's
                    handler({}, LambdaContext(BUCKETS))
            except Exception as exc:  # the learner's handler, run by the check
                raise Incorrect(
                    f"the check runs the handler of `{BUCKETS}` as a warm invocation would, "
                    f"and it failed: {type(exc).__name__}: {exc}."
                ) from None
            per_invoke.append(counter.since(mark))
    if per_invoke[1] > 0:
        raise Incorrect(
            f"`{BUCKETS}` creates {per_invoke[1]} SDK client(s) in every invocation, warm ones "
            "included: the handler runs that code at each request. Create the client in Init, "
            "at module level (directly or through a function you call there), and only use "
            "it in the handler."
        )
    if per_invoke[0] > 0:
        raise Incorrect(
            f"`{BUCKETS}` creates its client in its first invocation (lazily), not in Init: "
            "that request waits for it instead of Init. Create it at module level, so that "
            "Init makes it."
        )
    if in_init == 0:
        raise Incorrect(
            f"`{BUCKETS}` creates no SDK client in Init: make the S3 client at module level, "
            "above the handler."
        )
    return (
        f"`{BUCKETS}` follows the account's buckets, and makes its S3 client in Init: once per "
        "execution environment. Its warm invocations reuse it."
    )


_BUCKETS_SOLUTION = f'''
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

source = """
{apps.source("nb07_buckets")}"""
# The handler lists the account's buckets: s3:ListAllMyBuckets, nothing else.
role_arn = execution_role("buckets-role")
boto3.client("iam").put_role_policy(
    RoleName="buckets-role",
    PolicyName="list-buckets",
    PolicyDocument=json.dumps({{
        "Version": "2012-10-17",
        "Statement": [{{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}}],
    }}),
)
lam = boto3.client("lambda")
try:  # start afresh, whatever an earlier attempt left
    lam.delete_function(FunctionName="buckets")
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="buckets",
    Runtime="python3.13",
    Role=role_arn,
    Handler="app.handler",
    Code={{"ZipFile": zip_bytes({{"app.py": source}})}},
)
lam.get_waiter("function_active_v2").wait(FunctionName="buckets")
'''


notebook_07a = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Deploy `ticker` and invoke it at least 5 times, moving the kit's clock between "
            "calls so that some find a warm environment and some a reclaimed one. Then count, "
            "from its logs, how many invocations were cold starts: `q1.check(answer)`."
        ),
        checker=_check_07a_count,
        hint_text=(
            "A cold start's REPORT line carries an `Init Duration`; `pricing.report_frame` "
            "turns the lines into a table with a `cold` column. Read every page of "
            "`filter_log_events`, and only what this `ticker` wrote: the log group outlives a "
            "deleted function."
        ),
        solution_code=_TICKER_SOLUTION,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "Deploy `buckets`: it returns `{'count': <number of S3 buckets>}`, and makes its S3 "
            "client once per execution environment, in Init, not in every invocation."
        ),
        checker=_check_client_in_init,
        hint_text=(
            "Which code of a module runs once per execution environment, and which runs at "
            "every request? Make the client in the first, use it in the second, and count the "
            "buckets afresh at each request."
        ),
        solution_code=_BUCKETS_SOLUTION,
    ),
)
