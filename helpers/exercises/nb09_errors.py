"""Notebook 09's exercises: errors, retries and idempotency."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from .core import Exercise, Incorrect, function_exists, invoke
from .harness import check_id, short_retry_waits, wait_async_done

# ------------------------------------------------------------------ q1: an idempotent payment
PAY_HEADER = "Idempotency-Key"


def _charges(dynamodb: Any) -> int:
    """How many items the table `payments` holds (one per charge recorded)."""
    pages = dynamodb.get_paginator("scan").paginate(TableName="payments", Select="COUNT")
    return sum(page["Count"] for page in pages)


def _pay(key: str, amount: int, how: str) -> str:
    """POST a payment to `pay` as an HTTP API would, with the key header; its charge_id."""
    from .. import events

    event = events.load(
        "apigw_http",
        method="POST",
        path="/payments",
        body={"amount": amount},
        headers={PAY_HEADER: key},
    )
    response, answer = invoke("pay", event)
    if response.get("FunctionError"):
        error = answer if isinstance(answer, dict) else {}
        raise Incorrect(
            f"`pay` failed with the payment sent {how}: {error.get('errorType')}: "
            f"{error.get('errorMessage')}. A repeated payment must succeed (and answer with the "
            "first charge), or the caller would think it failed. If it says AccessDenied, the role "
            "may only `dynamodb:PutItem`: use `ReturnValuesOnConditionCheckFailure='ALL_OLD'` to "
            "read the item already there."
        )
    status = answer.get("statusCode") if isinstance(answer, dict) else None
    try:
        charge_id = json.loads(answer["body"])["charge_id"]
    except (TypeError, KeyError, ValueError):
        charge_id = None
    if not isinstance(status, int) or not 200 <= status < 300 or not charge_id:
        raise Incorrect(
            f"`pay` answered the payment sent {how} with {answer!r}. It should answer "
            "`{'statusCode': 201, 'body': json.dumps({'charge_id': ...})}`, a repeat included."
        )
    return str(charge_id)


def _check_pay() -> str:
    import boto3

    function_exists("pay")
    dynamodb = boto3.client("dynamodb")
    try:
        dynamodb.describe_table(TableName="payments")
    except dynamodb.exceptions.ResourceNotFoundException:
        raise Incorrect(
            "there is no DynamoDB table named `payments` yet (`create_table`, partition key "
            "`pk`, a string)."
        ) from None

    key = check_id()
    before = _charges(dynamodb)
    ids = [_pay(key, 42, f"the {nth} time") for nth in ("first", "second", "third")]
    made = _charges(dynamodb) - before
    if made == 0:
        raise Incorrect(
            "`pay` answered, but the table `payments` gained no item: record each new charge "
            "there with `put_item`."
        )
    if made > 1:
        raise Incorrect(
            f"`pay` recorded {made} charges for one payment sent 3 times with the same "
            f"`{PAY_HEADER}` header (the table `payments` gained {made} items): every retry "
            "charges the customer again. Key the charge on the header (`'charge#' + key`), not on "
            "anything that changes per request, and put it with "
            "`ConditionExpression='attribute_not_exists(pk)'`."
        )
    if len(set(ids)) != 1:
        raise Incorrect(
            f"`pay` recorded one charge, but answered the 3 copies with {len(set(ids))} different "
            "charge ids: a caller retrying after a timeout must get the first charge's id. Catch "
            "`ConditionalCheckFailedException` and answer with the stored charge_id "
            "(`err.response['Item']` holds it, with "
            "`ReturnValuesOnConditionCheckFailure='ALL_OLD'`)."
        )
    other = _pay(check_id(), 7, "with a new key")
    if _charges(dynamodb) - before != 2 or other == ids[0]:
        raise Incorrect(
            "a second payment, with a new key, was not charged as a new payment: each new "
            f"`{PAY_HEADER}` must record its own charge and get its own charge_id."
        )
    return (
        f"`pay` charged a payment sent 3 times with one `{PAY_HEADER}` once, answered each copy "
        "with the same charge_id, and charged a new key again. Retries are safe now."
    )


_PAY_SETUP = """
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

dynamodb = boto3.client("dynamodb")
dynamodb.create_table(
    TableName="payments",
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
)
dynamodb.get_waiter("table_exists").wait(TableName="payments")
region = dynamodb.meta.region_name
account = boto3.client("sts").get_caller_identity()["Account"]
role = execution_role("pay-role")
boto3.client("iam").put_role_policy(
    RoleName="pay-role",
    PolicyName="pay",
    PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": "dynamodb:PutItem",
            "Resource": f"arn:aws:dynamodb:{region}:{account}:table/payments",
        }],
    }),
)
"""

_PAY_DEPLOY = """
boto3.client("lambda").create_function(
    FunctionName="pay",
    Runtime="python3.13",
    Role=role,
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
)
boto3.client("lambda").get_waiter("function_active_v2").wait(FunctionName="pay")
"""

_PAY_SOLUTION = (
    _PAY_SETUP
    + '''
source = """
import json

import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    key = event["headers"]["idempotency-key"]  # the same for every copy of one payment
    amount = json.loads(event["body"])["amount"]
    try:
        dynamodb.put_item(
            TableName="payments",
            Item={
                "pk": {"S": "charge#" + key},
                "charge_id": {"S": context.aws_request_id},
                "amount": {"N": str(amount)},
            },
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
        charge_id = context.aws_request_id
    except dynamodb.exceptions.ConditionalCheckFailedException as err:
        charge_id = err.response["Item"]["charge_id"]["S"]  # charged already: same answer
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
"""
'''
    + _PAY_DEPLOY
)

# Looks idempotent, but the request id is new for every retry: each copy is charged.
_PAY_WRONG = (
    _PAY_SETUP
    + '''
source = """
import json

import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    amount = json.loads(event["body"])["amount"]
    try:
        dynamodb.put_item(
            TableName="payments",
            Item={"pk": {"S": "charge#" + context.aws_request_id}, "amount": {"N": str(amount)}},
            ConditionExpression="attribute_not_exists(pk)",
        )
    except dynamodb.exceptions.ConditionalCheckFailedException:
        pass
    return {"statusCode": 201, "body": json.dumps({"charge_id": context.aws_request_id})}
"""
'''
    + _PAY_DEPLOY
)

# ------------------------------------------------------------- q2: who retries which failure
SCENARIOS = {
    "sync-error": "a synchronous invoke whose handler raises an exception",
    "sync-throttle": "a synchronous invoke refused with 429 TooManyRequestsException",
    "sync-bad-request": "a synchronous invoke whose payload is not JSON (400)",
    "async-error": "an asynchronous invoke (InvocationType='Event') whose handler raises",
    "sqs-error": "an SQS message, delivered by an event source mapping, whose handler raises",
}
RETRIERS = {
    "nobody": "nothing retries it on its own: the caller decides",
    "sdk": "the caller's SDK (boto3) retries it by itself",
    "lambda": "Lambda retries it from its own event queue",
    "mapping": "the event source mapping receives it again from the queue",
}
_SDK_DEFAULT = {"mode": "standard", "total_max_attempts": 3}  # boto3 1.44's default
_BOOM = """
import json


def handler(event, context):
    print("attempt", json.dumps(event))
    raise RuntimeError("this handler always fails")
"""
_SQS_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"


def _check_role() -> str:
    """The role of the check's own functions (logs; SQS polling, as AWS needs it for q2)."""
    from ..iam import execution_role

    return execution_role("kit-check-09", policies=[_SQS_POLICY])


def _answers(answer: Any) -> dict[str, str]:
    """The learner's classification, or Incorrect saying what shape it must have."""
    allowed = ", ".join(repr(name) for name in RETRIERS)
    if not isinstance(answer, dict):
        raise Incorrect(
            "set `answer` to a dict that gives each scenario who retries it: "
            f"`{{'sync-error': 'nobody', ...}}`, with values among {allowed}."
        )
    missing = [name for name in SCENARIOS if name not in answer]
    unknown = [name for name in answer if name not in SCENARIOS]
    if missing or unknown:
        raise Incorrect(
            f"`answer` should have exactly the keys {', '.join(map(repr, SCENARIOS))}"
            + (f"; missing: {', '.join(map(repr, missing))}" if missing else "")
            + (f"; unknown: {', '.join(map(repr, unknown))}" if unknown else "")
            + "."
        )
    for name, value in answer.items():
        if value is Ellipsis:
            raise Incorrect(f"the answer for {name!r} is still `...`: use one of {allowed}.")
        if value not in RETRIERS:
            raise Incorrect(f"the answer for {name!r} is {value!r}; use one of {allowed}.")
    return dict(answer)


def _deploy_check_function(name: str, source: str, role: str, **settings: Any) -> None:
    import boto3

    from ..packaging import zip_bytes

    lam = boto3.client("lambda")
    lam.create_function(
        FunctionName=name,
        Runtime="python3.13",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": zip_bytes({"app.py": source})},
        **settings,
    )
    lam.get_waiter("function_active_v2").wait(FunctionName=name)


def _count_lines(name: str, marker: str) -> int:
    """How many log lines of the function mention `marker`."""
    import boto3

    logs = boto3.client("logs")
    group = f"/aws/lambda/{name}"
    if not logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]:
        return 0
    pages = logs.get_paginator("filter_log_events").paginate(
        logGroupName=group, filterPattern=f'"{marker}"'
    )
    return sum(len(page["events"]) for page in pages)


@contextlib.contextmanager
def _freed_after_throttles(client: Any, name: str, throttles: int) -> Iterator[list[int]]:
    """While inside, `name` is throttled for the first `throttles` attempts of `client`.

    The function starts with reserved concurrency 0; a hook on the caller's client counts the
    429 answers and lifts the reservation after the last one, so that the next attempt (if the
    client makes one) runs. Yields the list of attempts seen.
    """
    import boto3

    lam = boto3.client("lambda")
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    seen: list[int] = []
    hook_id = f"kit-check-09-{name}"

    def on_answer(response: Any = None, attempts: int = 0, **_: Any) -> None:
        if response is None:
            return
        if response[1].get("Error", {}).get("Code") == "TooManyRequestsException":
            seen.append(attempts)
            if len(seen) == throttles:
                lam.delete_function_concurrency(FunctionName=name)

    client.meta.events.register("needs-retry.lambda.Invoke", on_answer, unique_id=hook_id)
    try:
        yield seen
    finally:
        client.meta.events.unregister("needs-retry.lambda.Invoke", unique_id=hook_id)


def _observe_sync(boom: str, paused: str) -> dict[str, tuple[str, str]]:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    client = boto3.client("lambda", config=Config(retries=dict(_SDK_DEFAULT)))
    seen: dict[str, tuple[str, str]] = {}

    response = client.invoke(FunctionName=boom, Payload=b"{}")
    response["Payload"].read()
    tries = response["ResponseMetadata"]["RetryAttempts"]
    seen["sync-error"] = (
        "sdk" if tries else "nobody",
        f"an HTTP {response['StatusCode']} answer with FunctionError "
        f"{response.get('FunctionError')!r}, retried {tries} time(s) by the SDK",
    )

    try:
        client.invoke(FunctionName=boom, Payload=b"not json")
        status, tries = 200, 0
    except ClientError as err:
        status = err.response["ResponseMetadata"]["HTTPStatusCode"]
        tries = err.response["ResponseMetadata"]["RetryAttempts"]
    seen["sync-bad-request"] = (
        "sdk" if tries else "nobody",
        f"an HTTP {status} refusal, retried {tries} time(s) by the SDK",
    )

    with _freed_after_throttles(client, paused, throttles=1):
        response = client.invoke(FunctionName=paused, Payload=b"{}")
        response["Payload"].read()
    tries = response["ResponseMetadata"]["RetryAttempts"]
    seen["sync-throttle"] = (
        "sdk" if tries else "nobody",
        f"an HTTP 429, then {tries} more attempt(s) sent by the SDK on its own, the last of "
        "which ran once the throttle lifted",
    )
    return seen


def _observe_async(boom: str) -> tuple[str, str]:
    import boto3

    marker = check_id()
    with short_retry_waits():
        boto3.client("lambda").invoke(
            FunctionName=boom, InvocationType="Event", Payload=json.dumps({"check": marker})
        )
        event = wait_async_done(boom, marker)
    return (
        "lambda" if event.attempts > 1 else "nobody",
        f"a 202 for the caller, then {event.attempts} runs of the function by Lambda",
    )


def _observe_sqs(boom: str, prefix: str) -> tuple[str, str]:
    import boto3

    sqs = boto3.client("sqs")
    lam = boto3.client("lambda")
    dlq = sqs.create_queue(QueueName=f"{prefix}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
    url = sqs.create_queue(
        QueueName=f"{prefix}-queue",
        Attributes={
            "VisibilityTimeout": "1",  # seconds: the failed message comes back quickly
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn["Attributes"]["QueueArn"], "maxReceiveCount": 2}
            ),
        },
    )["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    mapping = lam.create_event_source_mapping(
        EventSourceArn=arn["QueueArn"], FunctionName=boom, BatchSize=1
    )["UUID"]
    marker = check_id()
    try:
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"check": marker}))
        deadline = time.monotonic() + 20
        while _count_lines(boom, marker) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        lam.delete_event_source_mapping(UUID=mapping)
        for queue in (url, dlq):
            sqs.delete_queue(QueueUrl=queue)
    runs = _count_lines(boom, marker)
    return (
        "mapping" if runs > 1 else "nobody",
        f"{runs} runs of the function with the same message, received again from the queue",
    )


def _observe_retries() -> dict[str, tuple[str, str]]:
    """Provoke each scenario for real: {scenario: (who retried it, what was seen)}."""
    import boto3

    prefix = check_id()
    boom, paused = f"{prefix}-boom", f"{prefix}-paused"
    role = _check_role()
    lam = boto3.client("lambda")
    try:
        _deploy_check_function(boom, _BOOM, role, Timeout=1)
        _deploy_check_function(paused, "def handler(event, context):\n    return 'ok'\n", role)
        seen = _observe_sync(boom, paused)
        seen["async-error"] = _observe_async(boom)
        seen["sqs-error"] = _observe_sqs(boom, prefix)
    finally:
        for name in (boom, paused):
            with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
                lam.delete_function(FunctionName=name)
    return seen


def _check_who_retries(answer: Any = None) -> str:
    given = _answers(answer)
    seen = _observe_retries()
    wrong = [
        f"{name!r}: you said {given[name]!r}, but the check saw {evidence}, so it's {truth!r}"
        for name, (truth, evidence) in seen.items()
        if given[name] != truth
    ]
    if wrong:
        raise Incorrect(
            "the check provoked each failure for real, with boto3's default retry settings. "
            + "; ".join(wrong)
            + "."
        )
    return (
        "Each failure was provoked for real, and the retries came from where you said: the SDK "
        "retried the throttle (that call never ran) but neither the function error (an HTTP 200 "
        "to it) nor the bad request, Lambda retried the asynchronous event, and the mapping "
        "received the SQS message again."
    )


_WHO_SOLUTION = """
answer = {
    "sync-error": "nobody",
    "sync-throttle": "sdk",
    "sync-bad-request": "nobody",
    "async-error": "lambda",
    "sqs-error": "mapping",
}
"""

# The classic mix-up: the SDK retries function errors, and a throttle is final.
_WHO_WRONG = """
answer = {
    "sync-error": "sdk",
    "sync-throttle": "nobody",
    "sync-bad-request": "nobody",
    "async-error": "lambda",
    "sqs-error": "mapping",
}
"""


# -------------------------------------------------------------- q3: a caller that is safe
def _check_caller(answer: Any = None) -> str:
    import boto3
    from botocore.exceptions import ClientError

    from ..limits import value

    if answer is None:
        raise Incorrect(
            "`answer` is still None: make it a Lambda client, "
            "`boto3.client('lambda', config=Config(...))`."
        )
    meta = getattr(answer, "meta", None)
    if meta is None or getattr(meta.service_model, "service_name", None) != "lambda":
        raise Incorrect(
            f"`answer` should be a Lambda client (`boto3.client('lambda', config=...)`), not "
            f"{type(answer).__name__}."
        )
    longest = value("timeout_s_max")
    waits = meta.config.read_timeout
    if waits <= longest:
        raise Incorrect(
            f"your client's `read_timeout` is {waits} s, and a function may run up to {longest} s. "
            "When a function runs longer than the read timeout, the SDK gives up waiting and sends "
            "the call again: the function runs twice. Set `read_timeout` a little above "
            f"{longest}."
        )

    name = f"{check_id()}-report"
    role = _check_role()
    _deploy_check_function(name, "def handler(event, context):\n    return 'done'\n", role)
    lam = boto3.client("lambda")
    try:
        with _freed_after_throttles(answer, name, throttles=2) as throttled:
            try:
                response = answer.invoke(FunctionName=name, Payload=b"{}")
                response["Payload"].read()
            except ClientError as err:
                if err.response["Error"]["Code"] != "TooManyRequestsException":
                    raise
                raise Incorrect(
                    "the check's function was throttled (429) and would have been free again on "
                    f"the third attempt, but your client gave up after {len(throttled)} "
                    "attempt(s) with TooManyRequestsException. A throttled call never ran, so "
                    "retrying it is safe: "
                    "give the client at least 3 attempts in all (`retries={'mode': 'standard', "
                    "'total_max_attempts': 3}`). The kit's `aws.client('lambda')` makes 1."
                ) from None
    finally:
        with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
            lam.delete_function(FunctionName=name)
    tries = response["ResponseMetadata"]["RetryAttempts"]
    return (
        f"Your client waits {waits} s for an answer (longer than any function may run) and rode "
        f"out two real throttles: it retried {tries} times by itself, and the function ran once."
    )


_CALLER_SOLUTION = """
import boto3
from botocore.config import Config
from helpers.limits import LIMITS

answer = boto3.client(
    "lambda",
    config=Config(
        read_timeout=LIMITS["timeout_s_max"].value + 10,  # longer than any function may run
        retries={"mode": "standard", "total_max_attempts": 3},  # throttles: try twice more
    ),
)
"""

# What the kit's own `aws.client("lambda")` is: safe from duplicates, but gives up on a throttle.
_CALLER_WRONG = """
import boto3
from botocore.config import Config

answer = boto3.client("lambda", config=Config(read_timeout=910, retries={"total_max_attempts": 1}))
"""

notebook_09 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Make `pay` idempotent on its `Idempotency-Key` header: one charge in `payments` per "
            "key, and the same charge_id in every answer to a repeat."
        ),
        checker=_check_pay,
        hint_text=(
            "Key the item on the header, not on the request id (a retry is a new request): "
            "`'pk': {'S': 'charge#' + key}`. Put it with "
            "`ConditionExpression='attribute_not_exists(pk)'` and "
            "`ReturnValuesOnConditionCheckFailure='ALL_OLD'`; store the charge_id in the item. "
            "`except dynamodb.exceptions.ConditionalCheckFailedException as err:` means the key "
            "was charged already: answer with `err.response['Item']['charge_id']['S']`."
        ),
        solution_code=_PAY_SOLUTION,
        wrong_code=_PAY_WRONG,
    ),
    q2=Exercise(
        name="q2",
        task="Say who retries each of five failures: 'nobody', 'sdk', 'lambda' or 'mapping'.",
        checker=_check_who_retries,
        hint_text=(
            "A function error in a synchronous call comes back as an HTTP 200 with "
            "`FunctionError`: the SDK sees a success. The SDK retries what never ran: throttles "
            "(429) and service errors, not a request that is wrong (400). Asynchronous events are "
            "Lambda's to retry (notebook 05); an SQS message comes back after its visibility "
            "timeout and the mapping receives it again (notebook 03)."
        ),
        solution_code=_WHO_SOLUTION,
        wrong_code=_WHO_WRONG,
    ),
    q3=Exercise(
        name="q3",
        task=(
            "Make a Lambda client that never gives up on a running function (a read timeout "
            "longer than the longest Timeout) and retries throttles (3 attempts in all)."
        ),
        checker=_check_caller,
        hint_text=(
            "`boto3.client('lambda', config=Config(read_timeout=..., retries={'mode': "
            "'standard', 'total_max_attempts': 3}))`, with `from botocore.config import Config`. "
            "The longest Timeout is `LIMITS['timeout_s_max'].value` seconds: wait a little longer "
            "than that."
        ),
        solution_code=_CALLER_SOLUTION,
        wrong_code=_CALLER_WRONG,
    ),
)
