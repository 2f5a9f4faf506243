"""Exercises of the integrations notebooks: 03 (S3 uploads, SQS workers, DynamoDB streams)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote_plus

from .core import Exercise, Incorrect, function_exists, invoke


# ------------------------------------------------------------------------------ notebook 03
def _until(check: Callable[[], Any], timeout: float) -> Any:
    """Call `check` every 0.1 s until it returns something truthy (or time runs out)."""
    deadline = time.monotonic() + timeout
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return result


def _queue(sqs: Any, name: str) -> tuple[str, dict[str, str]]:
    """A queue's URL and attributes, or Incorrect saying it does not exist yet."""
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        raise Incorrect(f"there is no queue named `{name}` yet (`sqs.create_queue`).") from None
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]


def _depth(sqs: Any, url: str) -> int:
    """Messages on a queue: waiting, in flight or delayed."""
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return sum(int(attributes.get(name, 0)) for name in names)


def _peek(sqs: Any, url: str, token: str) -> list[str]:
    """Bodies of the messages tagged `token` on a queue, leaving every message where it was."""
    bodies: list[str] = []
    handles: list[str] = []
    for _ in range(20):  # up to 200 messages: far more than an exercise's DLQ holds
        got = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            VisibilityTimeout=30,
            MessageAttributeNames=["kit-check"],
        ).get("Messages", [])
        if not got:
            break
        for message in got:
            handles.append(message["ReceiptHandle"])
            tag = message.get("MessageAttributes", {}).get("kit-check", {})
            if tag.get("StringValue") == token:
                bodies.append(message["Body"])
    for start in range(0, len(handles), 10):  # visible again at once, as if never received
        sqs.change_message_visibility_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": handle, "VisibilityTimeout": 0}
                for i, handle in enumerate(handles[start : start + 10])
            ],
        )
    return sorted(bodies)


def _log_messages(function: str, since_ms: int) -> list[str]:
    """What `function` logged since `since_ms` (epoch milliseconds), oldest first."""
    import boto3

    logs = boto3.client("logs")
    group = f"/aws/lambda/{function}"
    try:
        pages = logs.get_paginator("filter_log_events").paginate(
            logGroupName=group, startTime=since_ms
        )
        return [e["message"].strip() for page in pages for e in page["events"]]
    except logs.exceptions.ResourceNotFoundException:
        return []


def _errors_since(function: str, since_ms: int) -> list[str]:
    """The `[ERROR]` lines (and timeouts) a function logged since `since_ms`."""
    return [
        m
        for m in _log_messages(function, since_ms)
        if m.startswith("[ERROR]") or "Task timed out" in m
    ]


def _runs_since(function: str, since_ms: int) -> int:
    """How many invocations of `function` started since `since_ms`, from its START lines."""
    return sum(m.startswith("START RequestId:") for m in _log_messages(function, since_ms))


def _check_03_sqs_worker() -> str:
    import boto3

    config = function_exists("order-worker")
    lam, sqs = boto3.client("lambda"), boto3.client("sqs")
    url, attributes = _queue(sqs, "orders")
    dlq_url, dlq_attributes = _queue(sqs, "orders-dlq")

    policy = json.loads(attributes.get("RedrivePolicy") or "{}")
    if policy.get("deadLetterTargetArn") != dlq_attributes["QueueArn"]:
        raise Incorrect(
            "`orders` has no redrive policy to `orders-dlq`. Set its `RedrivePolicy` attribute "
            "to a JSON string: {'deadLetterTargetArn': <orders-dlq's QueueArn>, "
            "'maxReceiveCount': 2}."
        )
    receives = int(policy.get("maxReceiveCount", 0))
    visibility = int(attributes["VisibilityTimeout"])
    if not 1 <= visibility <= 2:
        raise Incorrect(
            f"`orders` has a VisibilityTimeout of {visibility} s; the task asks for 1 or 2 "
            "seconds, so that a failed message comes back quickly "
            "(`sqs.set_queue_attributes`)."
        )
    if not 2 <= receives <= 3:
        raise Incorrect(
            f"`orders` has a maxReceiveCount of {receives}; the task asks for 2 or 3, so that "
            "the bad message is retried before it goes to `orders-dlq`, and the check doesn't "
            "wait too long (`sqs.set_queue_attributes` with a new `RedrivePolicy`)."
        )
    timeout = int(config["Timeout"])
    if timeout > visibility:
        raise Incorrect(
            f"`order-worker` has a Timeout of {timeout} s, longer than the {visibility} s "
            "visibility timeout of `orders`: a slow batch would become visible again while "
            "still being processed. Give the function a Timeout no longer than the visibility "
            "timeout (`lam.update_function_configuration(FunctionName='order-worker', "
            "Timeout=1)`)."
        )

    mappings = [
        m
        for m in lam.list_event_source_mappings(EventSourceArn=attributes["QueueArn"])[
            "EventSourceMappings"
        ]
        if m["FunctionArn"].split(":")[6] == "order-worker"
    ]
    if not mappings:
        raise Incorrect(
            "nothing connects `orders` to `order-worker`: create an event source mapping "
            "(`lam.create_event_source_mapping(EventSourceArn=<orders' QueueArn>, ...)`)."
        )
    mapping = mappings[0]
    if mapping["State"] not in ("Enabled", "Enabling", "Creating", "Updating"):
        raise Incorrect(
            f"the mapping from `orders` to `order-worker` is {mapping['State']}: enable it "
            "with `update_event_source_mapping(UUID=..., Enabled=True)`."
        )
    if mapping["BatchSize"] != 5:
        raise Incorrect(f"the mapping's BatchSize is {mapping['BatchSize']}; the task asks for 5.")
    if "ReportBatchItemFailures" not in (mapping.get("FunctionResponseTypes") or []):
        raise Incorrect(
            "the mapping does not accept partial batch responses, so Lambda ignores any "
            "`batchItemFailures` the worker returns. Add "
            "`FunctionResponseTypes=['ReportBatchItemFailures']` to the mapping."
        )

    # First the handler alone, as Lambda calls it: a batch of three with one bad message.
    from .. import events

    batch = events.load(
        "sqs",
        bodies=[json.dumps({"order": "check-1"}), "bad", json.dumps({"order": "check-2"})],
        queue_arn=attributes["QueueArn"],
    )
    bad_id = batch["Records"][1]["messageId"]
    response, body = invoke("order-worker", batch)
    if response.get("FunctionError"):
        raise Incorrect(
            "given a batch with one `bad` message, `order-worker` failed with "
            f"{body.get('errorType')}: {body.get('errorMessage')}. An error fails the whole "
            "batch, so the good messages would be retried (and dead-lettered) too. Return "
            "`{'batchItemFailures': [{'itemIdentifier': record['messageId']}]}` for the bad "
            "message instead of raising."
        )
    reported = [
        item.get("itemIdentifier")
        for item in ((body or {}).get("batchItemFailures") or [] if isinstance(body, dict) else [])
        if isinstance(item, dict)
    ]
    if reported != [bad_id]:
        raise Incorrect(
            "given a batch of three messages whose second body is `bad`, `order-worker` "
            f"returned {body!r}. It should return "
            "`{'batchItemFailures': [{'itemIdentifier': <the bad record's messageId>}]}`, and "
            "nothing for the good ones."
        )

    # Then the real thing: three orders go to the queue, and we watch where each one ends up.
    token = uuid.uuid4().hex[:8]
    since_ms = int(time.time() * 1000) - 1000
    dead_before = _depth(sqs, dlq_url)
    bodies = [json.dumps({"order": f"{token}-1"}), "bad", json.dumps({"order": f"{token}-2"})]
    sqs.send_message_batch(
        QueueUrl=url,
        Entries=[
            {
                "Id": str(i),
                "MessageBody": body,
                "MessageAttributes": {"kit-check": {"DataType": "String", "StringValue": token}},
            }
            for i, body in enumerate(bodies)
        ],
    )
    patience = visibility * (receives + 1) + 4.0
    _until(lambda: _depth(sqs, url) == 0, patience)
    left = _depth(sqs, url)
    runs = _runs_since("order-worker", since_ms)
    errors = _errors_since("order-worker", since_ms)
    dead = _peek(sqs, dlq_url, token)
    if runs == 0:
        raise Incorrect(
            f"`order-worker` never ran in {patience:.0f} s although 3 messages were sent to "
            "`orders`. Is the mapping enabled, and does it point at `orders`?"
        )
    if dead == ["bad"] and left == 0:
        return (
            "The bad order went to `orders-dlq` after being retried, and the good ones were "
            "processed and deleted. (The check's 3 test messages stay where they ended up.)"
        )
    crashed = f" The worker logged: {errors[0]}" if errors else ""
    if len(dead) > 1:
        raise Incorrect(
            f"good messages ended in `orders-dlq` too ({len(dead) - 1} of them): the whole batch "
            "failed. Return `{'batchItemFailures': [{'itemIdentifier': record['messageId']}]}` "
            "for the bad message only, instead of raising an exception." + crashed
        )
    if left:
        raise Incorrect(
            f"{left} message(s) were still on `orders` after {patience:.0f} s. Does the worker "
            "fail good messages too?" + crashed
        )
    if _depth(sqs, dlq_url) == dead_before:
        raise Incorrect(
            "the message `bad` was deleted as if it had been processed, so it never reached "
            "`orders-dlq`. The worker must report it: return "
            "`{'batchItemFailures': [{'itemIdentifier': record['messageId']}]}`." + crashed
        )
    raise Incorrect(
        f"`orders-dlq` received {dead or 'none of the check messages'}; expected only `bad`."
        + crashed
    )


def _check_03_s3_csv() -> str:
    import boto3

    from ..cloud import current

    config = function_exists("csv-to-json")
    s3 = boto3.client("s3")
    try:
        s3.head_bucket(Bucket="csv-drop")
    except s3.exceptions.ClientError:
        raise Incorrect("there is no bucket named `csv-drop` yet (`s3.create_bucket`).") from None
    notifications = s3.get_bucket_notification_configuration(Bucket="csv-drop")
    targets = [
        c
        for c in notifications.get("LambdaFunctionConfigurations", [])
        if c["LambdaFunctionArn"].split(":")[6] == "csv-to-json"
    ]
    if not targets:
        raise Incorrect(
            "`csv-drop` sends no events to `csv-to-json`: add a `LambdaFunctionConfigurations` "
            "entry with `put_bucket_notification_configuration`."
        )

    # The real test: upload one file that must trigger the function and two that must not.
    token = uuid.uuid4().hex[:6]
    rows = [{"city": "Lyon", "visits": "3"}, {"city": f"Oslo {token}", "visits": "5"}]
    csv_text = "city,visits\n" + "".join(f"{r['city']},{r['visits']}\n" for r in rows)
    uploads = {
        f"incoming/visits {token}.csv": True,  # a space: S3 sends it URL-encoded
        f"incoming/visits {token}.txt": False,
        f"archive/visits {token} old.csv": False,
    }
    for key in uploads:
        s3.put_object(Bucket="csv-drop", Key=key, Body=csv_text.encode())

    aws = current()
    queue = aws.runtime.async_queue if aws is not None else None

    def ours() -> list[Any]:
        if queue is None:
            return []
        return [
            e
            for e in queue.events()
            if e.function == config["FunctionName"] and token.encode() in e.payload
        ]

    _until(lambda: all(e.status not in ("queued", "running") for e in ours()), 5.0)
    triggered = set()
    for event in ours():
        for record in json.loads(event.payload).get("Records", []):
            triggered.add(unquote_plus(record["s3"]["object"]["key"]))
    extra = sorted(key for key in triggered if not uploads.get(key))
    if extra:
        rules = []
        if any(not key.startswith("incoming/") for key in extra):
            rules.append("`{'Name': 'prefix', 'Value': 'incoming/'}`")
        if any(not key.endswith(".csv") for key in extra):
            rules.append("`{'Name': 'suffix', 'Value': '.csv'}`")
        raise Incorrect(
            f"`csv-to-json` also ran for {', '.join(f'`{key}`' for key in extra)}. Add "
            f"{' and '.join(rules)} to the notification's "
            "`Filter={'Key': {'FilterRules': [...]}}`."
        )
    if f"incoming/visits {token}.csv" not in triggered:
        raise Incorrect(
            f"uploading `incoming/visits {token}.csv` did not invoke `csv-to-json`. Does the "
            "notification listen to `s3:ObjectCreated:*`, with the prefix `incoming/` and the "
            "suffix `.csv`?"
        )
    wanted = f"processed/visits {token}.json"
    try:
        body = s3.get_object(Bucket="csv-drop", Key=wanted)["Body"].read()
    except s3.exceptions.NoSuchKey:
        failed = [e.errors[-1] for e in ours() if e.errors]
        reason = f" It failed with {failed[0].rstrip('.')}." if failed else ""
        if failed and "NoSuchKey" in failed[0]:
            reason += (
                " S3 sends keys URL-encoded (a space arrives as `+`): decode the key with "
                "`urllib.parse.unquote_plus` before `get_object`."
            )
        raise Incorrect(
            f"`csv-to-json` ran for `incoming/visits {token}.csv` but wrote no `{wanted}`." + reason
        ) from None
    try:
        written = json.loads(body)
    except ValueError:
        raise Incorrect(f"`{wanted}` is not JSON: {body[:80]!r}.") from None
    if written != rows:
        raise Incorrect(
            f"`{wanted}` holds {written!r}; expected the rows as a list of objects, "
            f"{rows!r} (`list(csv.DictReader(...))`)."
        )
    return (
        "Only `.csv` files under `incoming/` trigger `csv-to-json`, and each becomes "
        "`processed/<name>.json`. (The check's 3 test uploads stay in `csv-drop`.)"
    )


_ORDERS_SOLUTION = '''
import json, boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam, sqs = boto3.client("lambda"), boto3.client("sqs")

dlq_url = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
dlq_arn = sqs.get_queue_attributes(
    QueueUrl=dlq_url, AttributeNames=["QueueArn"]
)["Attributes"]["QueueArn"]
orders_url = sqs.create_queue(
    QueueName="orders",
    Attributes={
        "VisibilityTimeout": "1",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2}),
    },
)["QueueUrl"]
orders_arn = sqs.get_queue_attributes(
    QueueUrl=orders_url, AttributeNames=["QueueArn"]
)["Attributes"]["QueueArn"]

source = """
def handler(event, context):
    failures = []
    for record in event["Records"]:
        if record["body"] == "bad":
            failures.append({"itemIdentifier": record["messageId"]})
        else:
            print("processed", record["body"])
    return {"batchItemFailures": failures}
"""
lam.create_function(
    FunctionName="order-worker",
    Runtime="python3.12",
    # The mapping reads and deletes the queue's messages with the function's role.
    Role=execution_role(
        "order-worker-role",
        policies=["arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"],
    ),
    Handler="app.handler",
    Timeout=1,  # no longer than the queue's visibility timeout
    Code={"ZipFile": zip_bytes({"app.py": source})},
)
lam.get_waiter("function_active_v2").wait(FunctionName="order-worker")
lam.create_event_source_mapping(
    EventSourceArn=orders_arn,
    FunctionName="order-worker",
    BatchSize=5,
    FunctionResponseTypes=["ReportBatchItemFailures"],
)
'''

# The classic mistake: raising for the bad message fails the whole batch, so the good orders
# in the same batch are retried and dead-lettered with it.
_ORDERS_WRONG = _ORDERS_SOLUTION.replace(
    """            failures.append({"itemIdentifier": record["messageId"]})""",
    """            raise ValueError("cannot process a bad order")""",
)

_CSV_SOLUTION = '''
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam, s3 = boto3.client("lambda"), boto3.client("s3")
s3.create_bucket(Bucket="csv-drop")

# The handler reads uploads and writes results in csv-drop, nothing else.
role_arn = execution_role("csv-to-json-role")
boto3.client("iam").put_role_policy(
    RoleName="csv-to-json-role",
    PolicyName="csv-drop-objects",
    PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": "arn:aws:s3:::csv-drop/*",
        }],
    }),
)

source = """
import csv, io, json, os, urllib.parse
import boto3

s3 = boto3.client("s3")

def handler(event, context):
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        text = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
        name = os.path.splitext(os.path.basename(key))[0]
        s3.put_object(Bucket=bucket, Key=f"processed/{name}.json", Body=json.dumps(rows))
"""
arn = lam.create_function(
    FunctionName="csv-to-json",
    Runtime="python3.12",
    Role=role_arn,
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
)["FunctionArn"]
lam.get_waiter("function_active_v2").wait(FunctionName="csv-to-json")
lam.add_permission(
    FunctionName="csv-to-json",
    StatementId="s3-csv-drop",
    Action="lambda:InvokeFunction",
    Principal="s3.amazonaws.com",
    SourceArn="arn:aws:s3:::csv-drop",
)
s3.put_bucket_notification_configuration(
    Bucket="csv-drop",
    NotificationConfiguration={
        "LambdaFunctionConfigurations": [
            {
                "LambdaFunctionArn": arn,
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [
                    {"Name": "prefix", "Value": "incoming/"},
                    {"Name": "suffix", "Value": ".csv"},
                ]}},
            }
        ]
    },
)
'''

# A plausible slip: the prefix filter alone, so any file under incoming/ runs the function.
_CSV_WRONG = _CSV_SOLUTION.replace(
    """
                    {"Name": "suffix", "Value": ".csv"},""",
    "",
)

notebook_03 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Wire the queue `orders` to the function `order-worker` (BatchSize 5, partial batch "
            "responses) so that a message whose body is `bad` ends in the dead-letter queue "
            "`orders-dlq` after 2 or 3 receives, and every other message is processed and "
            "deleted. `orders` has a VisibilityTimeout of 1 or 2 seconds, and `order-worker` a "
            "Timeout no longer than that."
        ),
        checker=_check_03_sqs_worker,
        hint_text=(
            "Create `orders-dlq` first, then `orders` with `Attributes={'VisibilityTimeout': "
            "'1', 'RedrivePolicy': json.dumps({'deadLetterTargetArn': dlq_arn, "
            "'maxReceiveCount': 2})}`. Give `order-worker` `Timeout=1`; its handler returns "
            "`{'batchItemFailures': [{'itemIdentifier': record['messageId']}]}` for the bad "
            "record. The mapping needs `BatchSize=5` and "
            "`FunctionResponseTypes=['ReportBatchItemFailures']`."
        ),
        solution_code=_ORDERS_SOLUTION,
        wrong_code=_ORDERS_WRONG,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "Make every `.csv` file uploaded under `incoming/` in the bucket `csv-drop` run "
            "`csv-to-json`, which writes `processed/<name>.json` holding the CSV's rows as a "
            "JSON list of objects. No other upload may run it."
        ),
        checker=_check_03_s3_csv,
        hint_text=(
            "One `LambdaFunctionConfigurations` entry with `Events=['s3:ObjectCreated:*']` and "
            "`Filter={'Key': {'FilterRules': [{'Name': 'prefix', 'Value': 'incoming/'}, "
            "{'Name': 'suffix', 'Value': '.csv'}]}}`. In the handler, decode the key with "
            "`urllib.parse.unquote_plus`, and write `json.dumps(list(csv.DictReader(...)))`."
        ),
        solution_code=_CSV_SOLUTION,
        wrong_code=_CSV_WRONG,
    ),
)
