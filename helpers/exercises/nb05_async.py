"""Exercises of the asynchronous invocation notebook (05): retries, DLQs, destinations."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from .core import Exercise, Incorrect, function_exists, invoke
from .harness import check_id, short_retry_waits, wait_async_done


# ------------------------------------------------------------------------------ notebook 05
def _queue_arn(sqs: Any, name: str) -> tuple[str, str]:
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        raise Incorrect(
            f"there is no SQS queue named `{name}` yet. Create it with "
            f"`sqs.create_queue(QueueName='{name}')`."
        ) from None
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return url, attributes["Attributes"]["QueueArn"]


def _find_record(sqs: Any, url: str, marker: str) -> dict[str, Any] | None:
    """The destination record about the check's event; deleted once found, others left alone."""
    for _ in range(5):
        messages = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0
        ).get("Messages", [])
        for message in messages:
            try:
                body = json.loads(message["Body"])
            except ValueError:
                continue
            payload = body.get("requestPayload") if isinstance(body, dict) else None
            if isinstance(payload, dict) and payload.get("payment_id") == marker:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                return body
        if len(messages) < 10:
            break
    return None


def _check_05_on_failure() -> str:
    import boto3

    function_exists("payments")
    lam = boto3.client("lambda")
    sqs = boto3.client("sqs")
    url, arn = _queue_arn(sqs, "payments-failed")
    try:
        config = lam.get_function_event_invoke_config(FunctionName="payments")
    except lam.exceptions.ResourceNotFoundException:
        raise Incorrect(
            "`payments` has no asynchronous invocation settings yet. Set them with "
            "`lam.put_function_event_invoke_config(FunctionName='payments', ...)`."
        ) from None
    retries = config.get("MaximumRetryAttempts", 2)
    if retries != 1:
        raise Incorrect(
            f"`payments` retries a failed event {retries} times; it should retry once "
            "(`MaximumRetryAttempts=1`)."
        )
    target = ((config.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
    if not target:
        dlq = lam.get_function_configuration(FunctionName="payments").get("DeadLetterConfig")
        extra = (
            " `DeadLetterConfig` sets a dead-letter queue, which receives only the event; a "
            "destination receives the whole invocation record."
            if dlq
            else ""
        )
        raise Incorrect(
            "`payments` has no on-failure destination. Add `DestinationConfig={'OnFailure': "
            f"{{'Destination': <the queue's ARN>}}}}` to its event invoke config.{extra}"
        )
    if target != arn:
        raise Incorrect(
            f"the on-failure destination of `payments` is `{target}`; it should be the ARN of "
            f"`payments-failed`, `{arn}`."
        )

    marker = check_id()
    with short_retry_waits():
        lam.invoke(
            FunctionName="payments",
            InvocationType="Event",
            Payload=json.dumps({"payment_id": marker}),
        )
        event = wait_async_done("payments", marker)
    if event.condition == "Success":
        raise Incorrect(
            f"`payments` succeeded with the payment {{'payment_id': '{marker}'}}, which has no "
            "amount. It should raise an error, so that Lambda retries the event and then gives up."
        )
    record = _find_record(sqs, url, marker)
    if record is None:
        raise Incorrect(
            "the check's failed payment did not reach `payments-failed` "
            f"(the kit says: {event.summary()['sent_to']})."
        )
    context = record.get("requestContext") or {}
    if context.get("condition") != "RetriesExhausted" or context.get("approximateInvokeCount") != 2:
        raise Incorrect(
            "the record in `payments-failed` says condition "
            f"{context.get('condition')!r} after {context.get('approximateInvokeCount')} "
            "attempt(s); expected 'RetriesExhausted' after 2 (the first attempt and one retry). "
            "Is `MaximumEventAgeInSeconds` very short?"
        )
    return (
        "`payments` was tried twice, then its failed event reached `payments-failed` as an "
        "invocation record (condition RetriesExhausted)."
    )


def _balance(dynamodb: Any) -> int:
    item = dynamodb.get_item(TableName="bank", Key={"pk": {"S": "account"}}).get("Item") or {}
    value = item.get("balance", {}).get("N")
    return int(float(value)) if value is not None else 0


def _deposit(event: dict[str, Any], how: str) -> None:
    response, body = invoke("deposits", event)
    if response.get("FunctionError"):
        body = body if isinstance(body, dict) else {}
        raise Incorrect(
            f"invoking `deposits` with {event} ({how}) failed: {body.get('errorType')}: "
            f"{body.get('errorMessage')}. A repeated deposit must succeed without counting "
            "again: a failure would make Lambda retry it."
        )


def _check_05_idempotent() -> str:
    import boto3

    function_exists("deposits")
    lam = boto3.client("lambda")
    dynamodb = boto3.client("dynamodb")
    try:
        dynamodb.describe_table(TableName="bank")
    except dynamodb.exceptions.ResourceNotFoundException:
        raise Incorrect(
            "there is no DynamoDB table named `bank` yet (`create_table`, partition key `pk`)."
        ) from None

    first = {"deposit_id": check_id(), "amount": 7}
    before = _balance(dynamodb)
    _deposit(first, "the first time")
    once = _balance(dynamodb) - before
    if once != 7:
        raise Incorrect(
            f"after one deposit of 7 the balance of the item `account` changed by {once}, not 7. "
            "Add `amount` to the attribute `balance` (`ADD balance :amount`)."
        )
    _deposit(first, "the same deposit a second time")
    twice = _balance(dynamodb) - before
    if twice != 7:
        raise Incorrect(
            f"the same deposit sent twice changed the balance by {twice}, not 7: it was counted "
            "again. Record the `deposit_id` with a conditional write "
            "(`ConditionExpression='attribute_not_exists(pk)'`) in the same transaction as the "
            "update, and skip the update when it is there already."
        )

    with short_retry_waits():
        lam.invoke(FunctionName="deposits", InvocationType="Event", Payload=json.dumps(first))
        event = wait_async_done("deposits", first["deposit_id"])
    if event.condition != "Success":
        raise Incorrect(
            f"the same deposit sent asynchronously failed ({event.summary()['last_error']}). "
            "A repeated deposit must succeed without counting again."
        )
    thrice = _balance(dynamodb) - before
    if thrice != 7:
        raise Incorrect(
            f"the same deposit sent a third time, asynchronously, changed the balance by {thrice}, "
            "not 7: it was counted again."
        )

    second = {"deposit_id": check_id(), "amount": 5}
    _deposit(second, "a new deposit")
    both = _balance(dynamodb) - before
    if both != 12:
        raise Incorrect(
            f"after a second, different deposit of 5 the balance changed by {both} in all, not "
            "12. Is the idempotency key the `deposit_id`? Each new deposit must count."
        )
    return "`deposits` counted a deposit sent three times once, and a new deposit again."


_PAYMENTS_SOLUTION = '''
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

source = """
def handler(event, context):
    if "amount" not in event:
        raise ValueError(f"payment {event.get('payment_id')} has no amount")
    return {"payment_id": event["payment_id"], "charged": event["amount"]}
"""
lam = boto3.client("lambda")
sqs = boto3.client("sqs")
url = sqs.create_queue(QueueName="payments-failed")["QueueUrl"]
arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
# Lambda sends the failure record to the destination with the function's own role.
role_arn = execution_role("payments-role")
boto3.client("iam").put_role_policy(
    RoleName="payments-role",
    PolicyName="send-failures",
    PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": arn}],
    }),
)
lam.create_function(
    FunctionName="payments",
    Runtime="python3.13",
    Role=role_arn,
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
)
lam.put_function_event_invoke_config(
    FunctionName="payments",
    MaximumRetryAttempts=1,
    DestinationConfig={"OnFailure": {"Destination": arn}},
)
'''

# A dead-letter queue where a destination was asked for (its role may send to it, as AWS
# requires before it accepts the dead-letter queue).
_PAYMENTS_WRONG = '''
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

source = """
def handler(event, context):
    if "amount" not in event:
        raise ValueError("no amount")
    return event
"""
lam = boto3.client("lambda")
sqs = boto3.client("sqs")
url = sqs.create_queue(QueueName="payments-failed")["QueueUrl"]
arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
role_arn = execution_role("payments-role")
boto3.client("iam").put_role_policy(
    RoleName="payments-role",
    PolicyName="send-failures",
    PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": arn}],
    }),
)
lam.create_function(
    FunctionName="payments",
    Runtime="python3.13",
    Role=role_arn,
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
    DeadLetterConfig={"TargetArn": arn},
)
lam.put_function_event_invoke_config(FunctionName="payments", MaximumRetryAttempts=1)
'''

_DEPOSITS_SETUP = """
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

table_arn = boto3.client("dynamodb").create_table(
    TableName="bank",
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
)["TableDescription"]["TableArn"]
boto3.client("dynamodb").get_waiter("table_exists").wait(TableName="bank")

# The handler writes items of the bank table, nothing else.
role_arn = execution_role("deposits-role")
boto3.client("iam").put_role_policy(
    RoleName="deposits-role",
    PolicyName="bank-items",
    PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem"],
            "Resource": table_arn,
        }],
    }),
)
"""

_DEPOSITS_SOLUTION = (
    _DEPOSITS_SETUP
    + '''
source = """
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    try:
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {
                "TableName": "bank",
                "Item": {"pk": {"S": "deposit#" + event["deposit_id"]}},
                "ConditionExpression": "attribute_not_exists(pk)",
            }},
            {"Update": {
                "TableName": "bank",
                "Key": {"pk": {"S": "account"}},
                "UpdateExpression": "ADD balance :amount",
                "ExpressionAttributeValues": {":amount": {"N": str(event["amount"])}},
            }},
        ])
        return {"added": True}
    except dynamodb.exceptions.TransactionCanceledException as err:
        reasons = [r.get("Code") for r in err.response.get("CancellationReasons", [])]
        if reasons and reasons[0] == "ConditionalCheckFailed":
            return {"added": False}  # this deposit was counted already
        raise
"""
boto3.client("lambda").create_function(
    FunctionName="deposits",
    Runtime="python3.13",
    Role=role_arn,
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
)
'''
)

# Counts every delivery: not idempotent.
_DEPOSITS_WRONG = (
    _DEPOSITS_SETUP
    + '''
source = """
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    dynamodb.update_item(
        TableName="bank",
        Key={"pk": {"S": "account"}},
        UpdateExpression="ADD balance :amount",
        ExpressionAttributeValues={":amount": {"N": str(event["amount"])}},
    )
    return {"added": True}
"""
boto3.client("lambda").create_function(
    FunctionName="deposits",
    Runtime="python3.13",
    Role=role_arn,
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
)
'''
)

notebook_05 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Deploy `payments`, which raises an error for a payment without an `amount`; give it "
            "an on-failure destination, the SQS queue `payments-failed`, and one retry."
        ),
        checker=_check_05_on_failure,
        hint_text=(
            "Destinations and retries are set together: `lam.put_function_event_invoke_config("
            "FunctionName='payments', MaximumRetryAttempts=1, DestinationConfig={'OnFailure': "
            "{'Destination': queue_arn}})`. The queue's ARN comes from "
            "`sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['QueueArn'])`."
        ),
        solution_code=_PAYMENTS_SOLUTION,
        wrong_code=_PAYMENTS_WRONG,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "Create the table `bank` and an idempotent function `deposits` that adds each "
            "deposit's `amount` to `balance` of the item `account` once per `deposit_id`."
        ),
        checker=_check_05_idempotent,
        hint_text=(
            "Use `dynamodb.transact_write_items` with two items: a `Put` of "
            "`{'pk': 'deposit#' + deposit_id}` with `ConditionExpression="
            "'attribute_not_exists(pk)'`, and the `Update` that adds the amount. When the "
            "transaction is cancelled with `ConditionalCheckFailed` first, the deposit was "
            "counted already: return normally. The request id is no key: a resent event gets a "
            "new one."
        ),
        solution_code=_DEPOSITS_SOLUTION,
        wrong_code=_DEPOSITS_WRONG,
    ),
)
