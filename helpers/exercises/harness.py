"""What every exercise check shares: the kit, clients, invoking, logs since a mark, a role's
policies and a function's resource-based policy, each read the way a learner could read them.

A check looks only at the learner's current resources and at what happened after it began: it
reads the log lines of its own invocations (by request id) or those written after a `LogMark`,
never a log group's whole history, so an earlier attempt can neither pass nor fail a later one.
"""

from __future__ import annotations

import contextlib
import functools
import json
import numbers
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..access.policies import as_strings
from .core import Incorrect

# The statements of AWSLambdaBasicExecutionRole: every function may write its own logs.
LOG_ACTIONS = ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents")


# ------------------------------------------------------------------------------ the kit
def kit() -> Any:
    """The running local AWS, or Incorrect saying how to start it."""
    from ..cloud import current

    aws = current()
    if aws is None or not aws.running:
        raise Incorrect("the local AWS is not running. Run `aws = helpers.start()` first.")
    return aws


@functools.lru_cache(maxsize=64)
def _cached_client(service: str, endpoint_url: str) -> Any:
    import boto3

    return boto3.client(service)


def client(service: str) -> Any:
    """A plain boto3 client of the running local AWS, made once per kit (clients are slow)."""
    return _cached_client(service, kit().endpoint_url)


def regions_holding(name: str) -> list[str]:
    """The Regions other than the notebook's where the kit's account has a function `name`."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError
    from moto.awslambda.models import lambda_backends

    aws = kit()
    found = []
    # Only the Regions a request has used so far can hold one (moto makes a Region's backend on
    # first use). Their clients are not kept: 35 Regions' clients held 20 MB of a kernel.
    for region in sorted(lambda_backends[aws.account_id].keys()):
        if region == aws.region:
            continue
        lam = boto3.client("lambda", region_name=region)
        try:
            lam.get_function_configuration(FunctionName=name)
        except (BotoCoreError, ClientError):
            continue
        found.append(region)
    return found


def check_id(prefix: str = "check") -> str:
    """A value no answer can know in advance: checks put it in their inputs."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def wait_until(found: Callable[[], Any], timeout: float, step: float = 0.02) -> Any:
    """found()'s first truthy value within `timeout` seconds, else its last (falsy) value.

    For work that happens in the background (async invokes, pollers): never a fixed sleep.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = found()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


# ------------------------------------------------------------------------------ async events
CHECK_RETRY_DELAYS = (0.1, 0.2)  # seconds: a check waits for retries, the learner does not


@contextlib.contextmanager
def short_retry_waits() -> Iterator[Any]:
    """Short waits between async retries while a check runs; the learner's setting comes back."""
    with kit().configured(async_retry_delays=CHECK_RETRY_DELAYS) as aws:
        yield aws


def async_event(function: str, marker: str) -> Any:
    """The kit's record of the newest asynchronous event to `function` carrying `marker`."""
    for event in reversed(kit().async_event_records()):
        if event.function == function and marker.encode() in event.payload:
            return event
    return None


def wait_async_done(function: str, marker: str, timeout: float = 20.0) -> Any:
    """The finished async event carrying `marker` (retries included), or Incorrect."""

    def done() -> Any:
        event = async_event(function, marker)
        return event if event is not None and event.done else None

    event = wait_until(done, timeout)
    if event is None:
        raise Incorrect(
            f"the check's event to `{function}` had not finished after {timeout:.0f} seconds. "
            "Is the function very slow, or throttled (reserved concurrency 0)?"
        )
    return event


@contextlib.contextmanager
def one_stream_batch() -> Iterator[None]:
    """DynamoDB stream records written inside reach their function together, in one batch."""
    from ..triggers.shard_poller import one_batch

    kit()
    with one_batch():
        yield


# ------------------------------------------------------------------------------ throttles
@contextlib.contextmanager
def throttled_for(caller: Any, function: str, throttles: int) -> Iterator[list[int]]:
    """While inside, `function` answers the first `throttles` attempts of the boto3 client
    `caller` with a real 429 (TooManyRequestsException); yields the attempts seen throttled.

    The function starts with a reserved concurrency of 0, as when its slots are all busy; a
    hook on the caller's client counts the 429 answers and lifts the reservation after the
    last one, so the next attempt, if the client's retry settings make one, runs. Whether the
    call succeeds therefore depends on the learner's retry settings only, never on timing.
    """
    admin = client("lambda")
    admin.put_function_concurrency(FunctionName=function, ReservedConcurrentExecutions=0)
    seen: list[int] = []
    hook = f"kit-check-throttle-{function}"

    def on_answer(response: Any = None, attempts: int = 0, **_: Any) -> None:
        if response is None:
            return
        if response[1].get("Error", {}).get("Code") == "TooManyRequestsException":
            seen.append(attempts)
            if len(seen) == throttles:
                admin.delete_function_concurrency(FunctionName=function)

    caller.meta.events.register("needs-retry.lambda.Invoke", on_answer, unique_id=hook)
    try:
        yield seen
    finally:
        caller.meta.events.unregister("needs-retry.lambda.Invoke", unique_id=hook)


@contextlib.contextmanager
def reaching_lambda(
    *, whose: str, config: str, proxies: Any, asked: str, suspects: str
) -> Iterator[None]:
    """While inside, a learner's client that can't connect to Lambda is Incorrect naming why,
    not a crash of the check: behind a proxy it can't reach (ProxyConnectionError), or with
    another setting that stops its calls, every call of that client fails, on AWS as here.

    whose: the client, as the message names it ("your client"); config: its Config ("its
    `Config`"); proxies: the Config's `proxies`, shown as given; asked: what the task asks of
    the Config ("retries"); suspects: the other settings that could stop its calls.
    """
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import HTTPClientError, ProxyConnectionError

    try:
        yield
    except ProxyConnectionError as err:
        proxy = err.kwargs.get("proxy_url", "")
        raise Incorrect(
            f"{whose} could not reach Lambda: it sends its calls through the proxy `{proxy}` "
            f"(`proxies={proxies!r}`), and this machine can't connect to it, so every attempt "
            f"failed before any throttle (ProxyConnectionError). The task asks only for {asked}: "
            f"leave `proxies` out of {config}, or name a proxy this machine can reach."
        ) from None
    except (BotoConnectionError, HTTPClientError) as err:
        raise Incorrect(
            f"{whose} never got an answer from Lambda: {type(err).__name__}: {err}. A setting "
            f"of {config} besides {asked} stops its calls ({suspects}): the task asks only for "
            f"{asked}, so leave the rest out."
        ) from None


def require_not_paused(name: str) -> None:
    """Incorrect if `name` has a reserved concurrency of 0 (a function "paused", perhaps in an
    earlier experiment): Lambda throttles every invoke of it, synchronous or not, with
    TooManyRequestsException, so it never runs and no check of what it does can.
    https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html"""
    lam = client("lambda")
    reserved = lam.get_function_concurrency(FunctionName=name).get("ReservedConcurrentExecutions")
    if reserved == 0:
        raise Incorrect(
            f"`{name}` has a reserved concurrency of 0 (`put_function_concurrency(..., "
            "ReservedConcurrentExecutions=0)`, perhaps left from an experiment): Lambda "
            "throttles every invoke of it (TooManyRequestsException), so it never runs. Remove "
            f"the reservation with `lam.delete_function_concurrency(FunctionName='{name}')`, or "
            "reserve a number above 0."
        )


# ------------------------------------------------------------------------------ functions
def function_config(name: str, qualifier: str | None = None) -> dict[str, Any]:
    """The function's current configuration, or Incorrect saying it does not exist yet."""
    lam = client("lambda")
    extra = {"Qualifier": qualifier} if qualifier else {}
    try:
        return lam.get_function_configuration(FunctionName=name, **extra)
    except lam.exceptions.ResourceNotFoundException:
        if qualifier and _exists(lam, name):
            made_by = "`publish_version`" if qualifier.isdigit() else "`create_alias`"
            raise Incorrect(
                f"`{name}` has no version or alias `{qualifier}` now. Make it with {made_by}."
            ) from None
        what = f"`{name}:{qualifier}`" if qualifier else f"`{name}`"
        raise Incorrect(
            f"there is no function named {what} yet. Create it with `create_function`."
            + empty_kit_note(lam)
        ) from None


def empty_kit_note(lam: Any) -> str:
    """A sentence for a check that found nothing, when the local AWS holds no function at all.

    The local AWS lives in the notebook's process and starts empty in each kernel: an answer run
    before a kernel restart is gone after it, and "create it" alone would puzzle a learner who
    did (learner trials 11, CW5/DW10, and 12, JD6).
    """
    try:
        if lam.list_functions(MaxItems=1)["Functions"]:
            return ""
    except Exception:  # the note is a courtesy: never let it hide the check's own message
        return ""
    return (
        " (Created it already? The kit's local AWS lives in this notebook's process and starts "
        "empty after a kernel restart: run the notebook's cells again, your answer's included.)"
    )


def _exists(lam: Any, name: str) -> bool:
    try:
        lam.get_function_configuration(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        return False
    return True


@dataclass
class Invocation:
    """One synchronous invoke made by a check: its payload, request id and its own log lines."""

    function: str
    response: dict[str, Any]
    payload: Any
    request_id: str
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def failed(self) -> bool:
        return bool(self.response.get("FunctionError"))

    @property
    def error(self) -> str:
        """'ErrorType: message' of a failed invoke, for a learner-facing message."""
        body = self.payload if isinstance(self.payload, dict) else {}
        return f"{body.get('errorType', 'Error')}: {body.get('errorMessage', self.payload)}"

    @property
    def log_lines(self) -> list[str]:
        """What this invocation wrote to CloudWatch Logs, between its START and END lines."""
        if self._lines is None:
            self._lines = invocation_log(self.function, self.request_id)
        return self._lines

    @property
    def report(self) -> str | None:
        """This invocation's REPORT line (duration, billed duration, memory), if written."""
        return next((line for line in self.log_lines if line.startswith("REPORT ")), None)

    @property
    def duration_ms(self) -> float | None:
        """How long the handler ran, from its REPORT line (None without one)."""
        found = re.search(r"\tDuration: ([\d.]+) ms", self.report or "")
        return float(found[1]) if found else None

    @property
    def printed(self) -> list[str]:
        """The handler's own lines (without the platform's START/END/REPORT); in the JSON log
        format, each record's `message`."""
        return [
            printed_text(line)
            for line in self.log_lines
            if not line.startswith(("START RequestId:", "END RequestId:", "REPORT RequestId:"))
        ]


def invoke(name: str, event: Any = None, qualifier: str | None = None) -> Invocation:
    """Invoke a learner's function synchronously, as boto3 does; the check's own Invocation."""
    lam = client("lambda")
    extra = {"Qualifier": qualifier} if qualifier else {}
    response = lam.invoke(FunctionName=name, Payload=json.dumps(event), **extra)
    raw = response["Payload"].read()
    try:
        payload = json.loads(raw or b"null")
    except ValueError:
        payload = raw.decode(errors="replace")
    request_id = response["ResponseMetadata"]["RequestId"]
    return Invocation(name, response, payload, request_id)


def _log_events(group: str, stream: str) -> list[dict[str, Any]]:
    logs = client("logs")
    events: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"logGroupName": group, "logStreamName": stream, "startFromHead": True}
    while True:
        page = logs.get_log_events(**kwargs)
        events.extend(page["events"])
        token = page.get("nextForwardToken")
        if not page["events"] or token == kwargs.get("nextToken"):
            return events
        kwargs["nextToken"] = token


def _streams(group: str) -> list[str]:
    logs = client("logs")
    try:
        pages = logs.get_paginator("describe_log_streams").paginate(logGroupName=group)
        return [s["logStreamName"] for page in pages for s in page["logStreams"]]
    except logs.exceptions.ResourceNotFoundException:
        return []


def as_text_line(message: str) -> str:
    """A log line as the text log format writes it: a JSON-format platform record
    (`platform.start`, `platform.report`) becomes its START or REPORT line, so that checks
    read both formats alike; any other line is left as it is."""
    if not message.startswith('{"'):
        return message
    try:
        data = json.loads(message)
    except ValueError:
        return message
    if not isinstance(data, dict):
        return message
    record = data.get("record") if isinstance(data.get("record"), dict) else {}
    rid = record.get("requestId")
    if data.get("type") == "platform.start":
        return f"START RequestId: {rid} Version: {record.get('version')}"
    if data.get("type") == "platform.report":
        figures = record.get("metrics") or {}
        parts = [
            f"REPORT RequestId: {rid}",
            f"Duration: {float(figures.get('durationMs', 0)):.2f} ms",
            f"Billed Duration: {figures.get('billedDurationMs')} ms",
            f"Memory Size: {figures.get('memorySizeMB')} MB",
            f"Max Memory Used: {figures.get('maxMemoryUsedMB')} MB",
        ]
        if "initDurationMs" in figures:
            parts.append(f"Init Duration: {float(figures['initDurationMs']):.2f} ms")
        return "\t".join(parts) + "\t"
    return message


def printed_text(line: str) -> str:
    """What the handler printed or logged on one line: a JSON-format application record's
    `message` (a string, or the object it logged, as JSON), else the line itself."""
    if line.startswith('{"'):
        try:
            data = json.loads(line)
        except ValueError:
            return line
        if isinstance(data, dict) and "message" in data and "type" not in data:
            message = data["message"]
            return message if isinstance(message, str) else json.dumps(message)
    return line


def invocation_log(function: str, request_id: str, group: str | None = None) -> list[str]:
    """The log lines of one invocation, found by its request id in the function's log group:
    from its START line to its REPORT line (the handler's own lines between). Lines of the
    JSON log format's platform records come as their text lines (`as_text_line`)."""
    group = group or f"/aws/lambda/{function}"
    start = f"START RequestId: {request_id}"
    report = f"REPORT RequestId: {request_id}"
    for stream in reversed(_streams(group)):
        messages = [as_text_line(e["message"].rstrip("\n")) for e in _log_events(group, stream)]
        first = next((i for i, m in enumerate(messages) if m.startswith(start)), None)
        if first is None:
            continue
        last = next(
            (i for i in range(first, len(messages)) if messages[i].startswith(report)), None
        )
        return messages[first : (last + 1 if last is not None else len(messages))]
    return []


class LogMark:
    """A place in a log group: `new_messages()` gives only what was written after it.

    Streams only grow, so a mark is each stream's length at the time it was made.
    """

    def __init__(self, group: str) -> None:
        self.group = group
        self._seen = {stream: len(_log_events(group, stream)) for stream in _streams(group)}

    @classmethod
    def of_function(cls, function: str) -> LogMark:
        return cls(f"/aws/lambda/{function}")

    def new_messages(self) -> list[str]:
        messages: list[str] = []
        for stream in _streams(self.group):
            events = _log_events(self.group, stream)[self._seen.get(stream, 0) :]
            messages.extend(e["message"].rstrip("\n") for e in events)
        return messages


# ------------------------------------------------------------------------------ policies
@dataclass(frozen=True)
class Statement:
    """One statement of a policy, its elements as tuples (None when absent)."""

    effect: str
    actions: tuple[str, ...] | None
    resources: tuple[str, ...] | None
    principals: tuple[str, ...] | None = None
    condition: dict[str, Any] | None = None
    not_actions: tuple[str, ...] | None = None
    not_resources: tuple[str, ...] | None = None
    source: str = ""  # which policy it comes from, for messages
    sid: str = ""  # its Sid: a function policy's StatementId, which remove_permission takes

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"


def _glob(pattern: str, fold: bool) -> re.Pattern[str]:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(regex, re.DOTALL | (re.IGNORECASE if fold else 0))


def matches(patterns: Iterable[str] | None, value: str, *, fold: bool = False) -> bool:
    """Whether an IAM pattern (`*`, `?`) matches `value`; actions fold case, ARNs do not."""
    return any(_glob(p, fold).fullmatch(value) for p in patterns or ())


def _principals(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return tuple(p for v in value.values() for p in as_strings(v) or ())
    return as_strings(value)


def parse_policy(document: Any, source: str = "") -> list[Statement]:
    """A policy document (JSON text or dict) as its statements."""
    if isinstance(document, str):
        document = json.loads(document)
    raw = document.get("Statement", [])
    if isinstance(raw, dict):
        raw = [raw]
    return [
        Statement(
            effect=s.get("Effect", ""),
            actions=as_strings(s.get("Action")),
            resources=as_strings(s.get("Resource")),
            principals=_principals(s.get("Principal")),
            condition=s.get("Condition") or None,
            not_actions=as_strings(s.get("NotAction")),
            not_resources=as_strings(s.get("NotResource")),
            source=source,
            sid=str(s.get("Sid") or ""),
        )
        for s in raw
    ]


def role_name_of(function: str) -> str:
    """The name of the function's execution role."""
    return function_config(function)["Role"].rsplit("/", 1)[-1]


def role_exists(role: str) -> bool:
    """Whether an IAM role (a name or an ARN) exists: Lambda can't run a function as a
    deleted role (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html)."""
    iam = client("iam")
    try:
        iam.get_role(RoleName=str(role).rsplit("/", 1)[-1])
    except iam.exceptions.NoSuchEntityException:
        return False
    return True


def role_statements(role: str) -> list[Statement]:
    """Every statement of a role's identity policies: inline ones and attached managed ones."""
    iam = client("iam")
    role = role.rsplit("/", 1)[-1]
    statements: list[Statement] = []
    for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        document = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
        statements.extend(parse_policy(document, f"inline policy `{name}`"))
    for attached in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
        arn = attached["PolicyArn"]
        version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        document = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]
        statements.extend(
            parse_policy(document["Document"], f"managed policy `{attached['PolicyName']}`")
        )
    return statements


def role_allows(
    statements: list[Statement],
    action: str,
    resource: str,
    role: str | None = None,
    function: str | None = None,
) -> bool:
    """Whether these identity statements allow `action` on `resource` (an explicit Deny wins),
    their conditions read as the kit's IAM reads them, for a call in the kit's Region (by the
    role `role`, a name or an ARN, when given, in the session of `function`: conditions on
    aws:PrincipalArn and aws:userid can hold)."""
    from ..access import conditions
    from ..access.policies import EVERY_REQUEST, read_variables, request_context
    from ..access.sessions import Session

    aws = kit()
    context: dict[str, str | None] = {
        **EVERY_REQUEST,
        "aws:RequestedRegion": aws.region,
        "aws:PrincipalAccount": aws.account_id,
        # Every resource of the kit is the learner's own (learner trial 13, MD18: a
        # data-perimeter guard on aws:ResourceAccount was read as unmet).
        "aws:ResourceAccount": aws.account_id,
    }
    if role:
        name = role.rsplit("/", 1)[-1]
        arn = f"arn:aws:iam::{aws.account_id}:role/{name}"
        if function:  # the context the function's own calls have (lambda:SourceFunctionArn too)
            session = Session(aws.account_id, arn, function[:64], function_region=aws.region)
            context = request_context(session, aws.region)
        else:
            context["aws:PrincipalArn"] = arn
    allowed = False
    for s in statements:
        if s.condition and not conditions.holds(s.condition, context):
            continue
        if s.actions is not None:
            hit = matches(s.actions, action, fold=True)
        else:
            hit = s.not_actions is not None and not matches(s.not_actions, action, fold=True)
        # Policy variables (${aws:PrincipalAccount} ...) read as the kit's IAM reads them.
        resources, not_resources = (
            read_variables(r, context) for r in (s.resources, s.not_resources)
        )
        if resources is not None:
            hit = hit and matches(resources, resource)
        elif not_resources is not None:
            hit = hit and not matches(not_resources, resource)
        else:
            hit = False
        if hit and not s.allows:
            return False
        allowed = allowed or hit
    return allowed


def denying_statements(
    statements: list[Statement],
    actions: str | Iterable[str],
    resource: str,
    role: str | None = None,
    function: str | None = None,
) -> str:
    """The Deny statements that deny one of `actions` on `resource`, named ("" when none)."""
    # An explicit Deny overrides any Allow, so naming the Allow to add would change nothing
    # (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
    actions = [actions] if isinstance(actions, str) else list(actions)
    found = []
    for s in statements:
        if s.allows:
            continue
        for action in actions:
            probe = Statement("Allow", (action,), (resource,))
            if not role_allows([probe, s], action, resource, role, function):
                what = s.actions if s.actions is not None else ("NotAction", *(s.not_actions or ()))
                where = s.resources if s.resources is not None else ("NotResource",)
                sid = f" `{s.sid}`" if s.sid else ""
                found.append(
                    f"the statement{sid} `Deny {', '.join(what)} on {', '.join(where)}` "
                    f"(in {s.source or 'a policy'})"
                )
                break
    return " and ".join(found)


def excess_rights(
    statements: list[Statement],
    needed: Iterable[tuple[str, str]],
    *,
    also_allowed: Iterable[tuple[str, str]] = tuple((a, "*") for a in LOG_ACTIONS),
) -> list[str]:
    """What these statements allow beyond `needed` (action, exact resource ARN) pairs: each
    wildcard action or resource, and each extra action, named for the learner. Statements that
    only allow what `also_allowed` covers (by default, writing logs) are fine."""
    needed = list(needed)
    also = list(also_allowed)
    problems: list[str] = []
    for s in statements:
        if not s.allows:
            continue
        if s.actions is None or s.resources is None:
            problems.append(
                f"{s.source or 'a statement'} uses NotAction/NotResource, which allows far more "
                "than the task needs"
            )
            continue
        for action in s.actions:
            granted = [(a, r) for a, r in needed + also if matches([action], a, fold=True)]
            if not granted:
                problems.append(f"`{action}` is not needed (in {s.source or 'a statement'})")
            elif any(ch in action for ch in "*?") and not all(
                (action.lower() == a.lower()) for a, _ in granted
            ):
                exact = sorted({a for a, _ in granted})
                problems.append(
                    f"`{action}` is a wildcard: allow only {', '.join(f'`{a}`' for a in exact)}"
                )
            for resource in s.resources:
                mine = [r for a, r in needed if matches([action], a, fold=True)]
                logs = [r for a, r in also if matches([action], a, fold=True)]
                if logs and not mine:
                    continue
                if not mine:
                    continue
                if resource not in mine and matches(mine, resource):
                    continue  # within what the task needs (`reports/*.json` for `reports/*`)
                if not any(matches([resource], r) for r in mine):
                    # A pattern too can be beside the point (`avatars-out/*` for a read).
                    problems.append(f"`{action}` on `{resource}` is not a resource the task uses")
                elif resource not in mine and any(ch in resource for ch in "*?"):
                    problems.append(
                        f"`{action}` on `{resource}` is a wildcard resource: name "
                        f"{', '.join(f'`{r}`' for r in sorted(set(mine)))} exactly"
                    )
    return list(dict.fromkeys(problems))


def function_policy(function: str, qualifier: str | None = None) -> list[Statement]:
    """The statements of the function's resource-based policy (what `add_permission` adds)."""
    lam = client("lambda")
    extra = {"Qualifier": qualifier} if qualifier else {}
    try:
        policy = lam.get_policy(FunctionName=function, **extra)["Policy"]
    except lam.exceptions.ResourceNotFoundException:
        return []
    return parse_policy(policy, "resource-based policy")


def _condition_values(condition: dict[str, Any] | None, key: str) -> list[str] | None:
    """The values a condition sets for `key` (case-insensitive), None when it sets none."""
    found: list[str] = []
    seen = False
    for _operator, pairs in (condition or {}).items():
        for name, values in pairs.items():
            if name.lower() == key.lower():
                seen = True
                # JSON booleans and numbers too (`{"Bool": {"lambda:InvokedViaFunctionUrl": true}}`)
                found.extend(as_strings(values if isinstance(values, list | tuple) else [values]))
    return found if seen else None


def grants_invoke(
    statements: list[Statement],
    principal: str,
    *,
    source_arn: str | None = None,
    source_account: str | None = None,
    action: str = "lambda:InvokeFunction",
    url_auth_type: str | None = None,
    via_function_url: bool = False,
) -> bool:
    """Whether a resource-based policy lets `principal` (a service such as
    `s3.amazonaws.com`, or `*`) do `action`, from `source_arn`, as AWS evaluates it.

    `via_function_url`: the call comes through the function's URL. A statement conditioned on
    `lambda:InvokedViaFunctionUrl` true applies only then, so a public URL's InvokeFunction
    statement lets no trigger in (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html)."""
    for s in statements:
        if not s.allows or not matches(s.actions, action, fold=True):
            continue
        if not any(p in ("*", principal) for p in s.principals or ()):
            continue
        arns = _condition_values(s.condition, "aws:SourceArn")
        if arns is not None and not (source_arn and matches(arns, source_arn)):
            continue
        accounts = _condition_values(s.condition, "aws:SourceAccount")
        if accounts is not None and source_account not in accounts:
            continue
        auth = _condition_values(s.condition, "lambda:FunctionUrlAuthType")
        if auth is not None and url_auth_type not in auth:
            continue
        via = _condition_values(s.condition, "lambda:InvokedViaFunctionUrl")
        if via is not None and str(via_function_url).lower() not in [v.lower() for v in via]:
            continue
        return True
    return False


def foreign_sources(source_arn: str) -> tuple[str, str]:
    """Two sources a permission for `source_arn` alone must refuse: another resource of the
    same kind and account, and one whose name starts with this one's (which a trailing
    wildcard would let in). `arn:aws:s3:::photos` gives `arn:aws:s3:::other-<id>` and
    `arn:aws:s3:::photos-<id>`; an API's `<api-id>/*/GET/x` keeps its stage and route."""
    head, _, resource = source_arn.rpartition(":")
    kind, slash, rest = resource.partition("/") if resource.startswith("rule/") else ("", "", "")
    name, sep, tail = (rest if slash else resource).partition("/")
    other = uuid.uuid4().hex[:8]

    def named(new: str) -> str:
        return f"{head}:{kind}{slash}{new}{sep}{tail}"

    return named(f"other-{other}"), named(f"{name}-{other}")


LAST_CRON_YEAR = 2199  # the year field of an EventBridge cron expression runs 1970-2199


def require_every_year(rule: dict[str, Any], job: str, every_year: str) -> None:
    """Incorrect when a rule's cron expression has a year field that stops a job meant to run
    for good: one that leaves out a year from the kit's current one on (`2026`, `2026-2027`,
    `*/2`). `job` says what should keep running ("`cleanup` should run every day"),
    `every_year` is the task's expression with the year field `*`.

    The year is the sixth field of `cron(minutes hours day-of-month month day-of-week year)`
    (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html).
    Shared from 13a's nightly check (learner trial 6 D3 there, trial 7 D2 in 04b q1).
    """
    from ..triggers.schedules import InvalidSchedule, parse

    expression = rule["ScheduleExpression"]
    try:
        schedule = parse(expression)
    except (InvalidSchedule, ValueError):  # EventBridge would have refused it: not this check's
        return
    years = getattr(schedule, "years", None)
    if years is None:  # rate(): no year field
        return
    this_year = kit().now().year
    left_out = sorted(set(range(this_year, LAST_CRON_YEAR + 1)) - set(years))
    if not left_out:
        return
    field = schedule.fields[5]
    stops = (
        f"it stops after {left_out[0] - 1}"
        if all(y > max(years) for y in left_out)
        else f"it skips {left_out[0]}" + (" and other years" if len(left_out) > 1 else "")
    )
    if left_out[0] == this_year:
        stops = f"it doesn't run in {this_year}, the current year"
    raise Incorrect(
        f"the rule `{rule['Name']}`'s schedule `{expression}` has the year field `{field}` (the "
        f"sixth field): {stops}, and {job}, year after year. Make the year field `*`: "
        f"`{every_year}`."
    )


def reads_a_missing_key(error: str) -> bool:
    """Whether a handler's error is S3's answer to a GetObject of a key that doesn't exist:
    NoSuchKey, or a bare "Access Denied" when its role may not s3:ListBucket the bucket (as on
    AWS, which then tells nothing of what the bucket holds)."""
    return "NoSuchKey" in error or (
        "GetObject operation: Access Denied" in error and "not authorized" not in error
    )


def epoch_ms(iso: str) -> int:
    """Lambda's LastModified ('2026-01-01T10:00:00.123+0000') in ms since the epoch."""
    text = iso.rstrip("Z").split("+")[0]
    whole, _, fraction = text.partition(".")
    moment = datetime.fromisoformat(whole).replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000) + int((fraction + "000")[:3])


def whole_number(answer: Any, what: str, name: str) -> int:
    """The learner's answer as an int, or Incorrect saying what kind of answer is expected."""
    if answer is None:
        raise Incorrect(
            f"set `answer` to {what}, then pass it to the check: `{name}.check(answer)`."
        )
    if isinstance(answer, float) and answer.is_integer():  # 9.0: right value, not an int
        raise Incorrect(
            f"the answer should be a whole number ({what}): an int ({int(answer)}), not the "
            f"float {answer!r} (`int(...)`, or `//` rather than `/`)."
        )
    if isinstance(answer, bool) or not isinstance(answer, numbers.Integral):
        raise Incorrect(
            f"the answer should be a whole number ({what}), not {type(answer).__name__} {answer!r}."
        )
    return int(answer)
