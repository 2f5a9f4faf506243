"""Notebook 03: q1 `order-worker` on `orders` with partial batch responses and `orders-dlq`;
q2 `csv-to-json` run by `.csv` uploads under `incoming/` in `csv-drop`, which S3 may invoke."""

from tests.catalogue import Answers, Wrong

SETUP = """
import json, boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam, sqs, s3, iam = (boto3.client(s) for s in ("lambda", "sqs", "s3", "iam"))
account = boto3.client("sts").get_caller_identity()["Account"]
region = lam.meta.region_name

def fresh_function(name):
    try:
        for m in lam.list_event_source_mappings(FunctionName=name)["EventSourceMappings"]:
            lam.delete_event_source_mapping(UUID=m["UUID"])
        lam.delete_function(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        pass
"""

# ------------------------------------------------------------------------------ q1
WORKER = """
def handler(event, context):
    failures = []
    for record in event["Records"]:
        if record["body"] == "bad":
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
"""
SQS_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
# Version 1 of the worker, and its alias `live`.
PUBLISH_LIVE = """
live = lam.publish_version(FunctionName="order-worker")["Version"]
lam.create_alias(FunctionName="order-worker", Name="live", FunctionVersion=live)
"""

_ORDERS = """
dlq_url = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])[
    "Attributes"]["QueueArn"]
url = sqs.create_queue(QueueName="orders")["QueueUrl"]
sqs.set_queue_attributes(QueueUrl=url, Attributes={{
    "VisibilityTimeout": {visibility!r},
    "RedrivePolicy": json.dumps({{"deadLetterTargetArn": dlq_arn, "maxReceiveCount": {receives}}}),
}})
queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
    "Attributes"]["QueueArn"]
fresh_function("order-worker")
lam.create_function(FunctionName="order-worker", Runtime="python3.12",
                    Role=execution_role({role!r}, policies={policies!r}),
                    Handler="app.handler", Timeout={timeout},
                    Code={{"ZipFile": zip_bytes({{"app.py": SOURCE}})}})
lam.get_waiter("function_active_v2").wait(FunctionName="order-worker")
{before_mapping}
lam.create_event_source_mapping(EventSourceArn=queue_arn, FunctionName={target!r},
                                BatchSize={batch}, FunctionResponseTypes={responses!r}{mapping})
"""


def orders(
    source: str = WORKER,
    *,
    visibility: str = "1",
    receives: int = 2,
    timeout: int = 1,
    batch: int = 5,
    responses: tuple[str, ...] = ("ReportBatchItemFailures",),
    policies: tuple[str, ...] = (SQS_POLICY,),
    mapping: str = "",
    target: str = "order-worker",
    before_mapping: str = "",
    role: str = "order-worker-role",
) -> str:
    """A learner's q1 cell: the queues, the worker with `source`, and the mapping (`mapping`:
    more arguments of create_event_source_mapping, each after a comma)."""
    return (
        SETUP
        + f"SOURCE = '''{source}'''\n"
        + _ORDERS.format(
            visibility=visibility,
            receives=receives,
            timeout=timeout,
            batch=batch,
            responses=list(responses),
            policies=list(policies),
            mapping=mapping,
            target=target,
            before_mapping=before_mapping,
            role=role,
        )
    )


# ------------------------------------------------------------------------------ q2
CONVERTS = """
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
# The notification aimed at an alias `prod` of version 1.
TO_ALIAS = """
version = lam.publish_version(FunctionName="csv-to-json")["Version"]
arn = lam.create_alias(FunctionName="csv-to-json", Name="prod", FunctionVersion=version)["AliasArn"]
"""
OBJECTS = '[{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], '
OBJECTS += '"Resource": "arn:aws:s3:::csv-drop/*"}]'
RULES = '[{"Name": "prefix", "Value": "incoming/"}, {"Name": "suffix", "Value": ".csv"}]'

_CSV = """
s3.create_bucket(Bucket="csv-drop")
role_arn = execution_role("csv-role")
for old in iam.list_role_policies(RoleName="csv-role")["PolicyNames"]:
    iam.delete_role_policy(RoleName="csv-role", PolicyName=old)
iam.put_role_policy(RoleName="csv-role", PolicyName="csv",
                    PolicyDocument=json.dumps({{"Version": "2012-10-17", "Statement": {policy}}}))
fresh_function("csv-to-json")
arn = lam.create_function(FunctionName="csv-to-json", Runtime="python3.12", Role=role_arn,
                          Handler="app.handler",
                          Code={{"ZipFile": zip_bytes({{"app.py": SOURCE}})}})["FunctionArn"]
lam.get_waiter("function_active_v2").wait(FunctionName="csv-to-json")
"""
_S3_PERMISSION = """
lam.add_permission(FunctionName="csv-to-json", StatementId="s3", Action={action!r},
                   Principal={principal!r}, {permission})
"""
_NOTIFY = """
s3.put_bucket_notification_configuration(Bucket="csv-drop", NotificationConfiguration={{
    "LambdaFunctionConfigurations": [{{
        "LambdaFunctionArn": arn, "Events": {events!r},
        "Filter": {{"Key": {{"FilterRules": {rules}}}}},
    }}]}})
"""


def csv_drop(
    source: str = CONVERTS,
    *,
    policy: str = OBJECTS,
    permission: str | None = 'SourceArn="arn:aws:s3:::csv-drop", SourceAccount=account',
    rules: str = RULES,
    action: str = "lambda:InvokeFunction",
    principal: str = "s3.amazonaws.com",
    events: tuple[str, ...] = ("s3:ObjectCreated:*",),
    before_permission: str = "",
) -> str:
    """A learner's q2 cell: bucket, role, function with `source`, permission, notification
    (to `arn`, which `before_permission` may change)."""
    cell = SETUP + f"SOURCE = '''{source}'''\n" + _CSV.format(policy=policy) + before_permission
    if permission is not None:
        cell += _S3_PERMISSION.format(action=action, principal=principal, permission=permission)
    return cell + _NOTIFY.format(rules=rules, events=list(events))


ANSWERS = {
    "q1": Answers(
        wrong={
            "raises-for-bad": Wrong(
                orders(
                    "def handler(event, context):\n    for record in event['Records']:\n"
                    "        if record['body'] == 'bad':\n"
                    "            raise ValueError('bad order')\n"
                ),
                "failed with ValueError",
                "fails the whole batch",
            ),
            "json-errors-are-failures": Wrong(
                orders(
                    "import json\ndef handler(event, context):\n    failures = []\n"
                    "    for record in event['Records']:\n        try:\n"
                    "            json.loads(record['body'])\n        except ValueError:\n"
                    "            failures.append({'itemIdentifier': record['messageId']})\n"
                    "    return {'batchItemFailures': failures}\n"
                ),
                "also reported",
                "exactly `bad`",
            ),
            "substring-match": Wrong(
                orders(WORKER.replace('record["body"] == "bad"', '"bad" in record["body"]')),
                "also reported",
                "not bad",
            ),
            # Learner trial 5: a tuple without its comma is a string, and `in` a substring test.
            "in-a-string-not-a-tuple": Wrong(
                orders(WORKER.replace('record["body"] == "bad"', 'record["body"] in ("bad")')),
                "also reported",
                "exactly `bad`",
            ),
            # Found by a learner trial.
            "bad-in-any-case": Wrong(
                orders(
                    WORKER.replace(
                        'record["body"] == "bad"', 'record["body"].strip().lower() == "bad"'
                    )
                ),
                "also reported",
                "'BAD'",
            ),
            # Learner trial 13 (MD5): each of these failed a good order too, and passed: no
            # body of the check's was the JSON string "bad", `bad` and a newline, a JSON order
            # whose status is bad, a blank body, or a body over several lines.
            "json-string-bad-is-failed": Wrong(
                orders(
                    WORKER.replace('record["body"] == "bad"', '_value(record["body"]) == "bad"')
                    + "\nimport json\ndef _value(body):\n    try:\n"
                    "        return json.loads(body)\n    except ValueError:\n"
                    "        return body\n"
                ),
                "also reported",
                "'\"bad\"'",
            ),
            "bad-after-newline-strip": Wrong(
                orders(
                    WORKER.replace(
                        'record["body"] == "bad"', 'record["body"].rstrip("\\\\r\\\\n") == "bad"'
                    )
                ),
                "also reported",
                "'bad\\n'",
            ),
            "json-status-bad-is-failed": Wrong(
                orders(
                    WORKER.replace('record["body"] == "bad"', '_bad(record["body"])')
                    + "\nimport json\ndef _bad(body):\n    if body == 'bad':\n"
                    "        return True\n    try:\n        value = json.loads(body)\n"
                    "    except ValueError:\n        return False\n"
                    "    return isinstance(value, dict) and value.get('status') == 'bad'\n"
                ),
                "also reported",
                '"status": "bad"',
            ),
            "blank-body-is-failed": Wrong(
                orders(
                    WORKER.replace(
                        'record["body"] == "bad"',
                        'record["body"] == "bad" or not record["body"].strip()',
                    )
                ),
                "also reported",
                "exactly `bad`",
            ),
            "multiline-body-is-failed": Wrong(
                orders(
                    WORKER.replace(
                        'record["body"] == "bad"',
                        'record["body"] == "bad" or not record["body"].isprintable()',
                    )
                ),
                "also reported",
                "exactly `bad`",
            ),
            "receipt-handle-as-identifier": Wrong(
                orders(WORKER.replace('record["messageId"]', 'record["receiptHandle"]')),
                "not the batch's message ids",
                "record['messageId']",
            ),
            "identifier-key-misspelt": Wrong(
                orders(WORKER.replace('"itemIdentifier"', '"itemIdentifer"')),
                "not the batch's message ids",
                "spelt so",
            ),
            "no-report-batch-item-failures": Wrong(
                orders(responses=()), "does not accept partial batch responses"
            ),
            "hard-coded-position": Wrong(
                orders(
                    "def handler(event, context):\n    records = event['Records']\n"
                    "    return {'batchItemFailures': [{'itemIdentifier': records[1]['messageId']}]"
                    " if len(records) > 1 else []}\n"
                ),
                "reported",
            ),
            "timeout-longer-than-visibility": Wrong(
                orders(visibility="2", timeout=2)
                + "lam.update_function_configuration(FunctionName='order-worker', Timeout=3)\n"
                "lam.get_waiter('function_updated_v2').wait(FunctionName='order-worker')\n",
                "Timeout of 3 s",
                "visibility timeout",
            ),
            "another-function-polls-orders": Wrong(
                orders() + "fresh_function('order-logger')\n"
                "lam.create_function(FunctionName='order-logger', Runtime='python3.12', "
                f"Role=execution_role('order-worker-role', policies=[{SQS_POLICY!r}]), "
                "Handler='app.handler', Timeout=1, "
                "Code={'ZipFile': zip_bytes({'app.py': SOURCE})})\n"
                "lam.get_waiter('function_active_v2').wait(FunctionName='order-logger')\n"
                "lam.create_event_source_mapping(EventSourceArn=queue_arn, "
                "FunctionName='order-logger', BatchSize=5)\n",
                "also has an enabled mapping to `order-logger`",
            ),
            # Found by a learner trial: a mapping made on the DLQ by mistake, kept after the
            # right one was added, took the bad order off the DLQ.
            "mapping-drains-the-dlq": Wrong(
                orders() + "lam.create_event_source_mapping(EventSourceArn=dlq_arn, "
                "FunctionName='order-worker', BatchSize=5)\n",
                "`orders-dlq` has an enabled event source mapping to `order-worker`",
            ),
            # Learner trial 8 (J, D1): a worker that deletes messages itself is judged by the
            # real messages (the check's own batches have made-up receipt handles); deleting
            # the bad one too keeps it out of the DLQ.
            "worker-deletes-the-bad-one-too": Wrong(
                orders(
                    "import os\nimport boto3\n\nsqs = boto3.client('sqs')\n\n"
                    "def handler(event, context):\n"
                    "    failures = []\n"
                    "    for record in event['Records']:\n"
                    "        sqs.delete_message(QueueUrl=os.environ['ORDERS_URL'],\n"
                    "                           ReceiptHandle=record['receiptHandle'])\n"
                    "        if record['body'] == 'bad':\n"
                    "            failures.append({'itemIdentifier': record['messageId']})\n"
                    "    return {'batchItemFailures': failures}\n",
                    visibility="2",
                    timeout=2,
                )
                + "lam.update_function_configuration(FunctionName='order-worker', "
                "Environment={'Variables': {'ORDERS_URL': url}})\n"
                "lam.get_waiter('function_updated_v2').wait(FunctionName='order-worker')\n",
                "was deleted as if it had been processed",
            ),
            # Learner trial 9 (OD8): the worker paused with reserved concurrency 0; the check's
            # own invoke was throttled, and it blamed itself ("The check itself failed").
            "worker-throttled-to-zero": Wrong(
                orders() + "lam.put_function_concurrency(FunctionName='order-worker', "
                "ReservedConcurrentExecutions=0)\n",
                "reserved concurrency of 0",
                "delete_function_concurrency",
            ),
            # Learner trial 9 (OD9): a filter "keeps bad orders away from the worker"; Lambda
            # deletes a message no filter matches, so `bad` never reached the DLQ, and the
            # message blamed the worker, which does report it.
            "filter-discards-bad-orders": Wrong(
                orders(
                    mapping=", FilterCriteria={'Filters': [{'Pattern': json.dumps("
                    "{'body': [{'anything-but': ['bad']}]})}]}"
                ),
                "`FilterCriteria`",
                "body is `bad`",
                "never reaches `orders-dlq`",
            ),
            # Learner trial 9 (OD9), the other way round: a filter that lets only `bad` through
            # deletes every good order unprocessed, and passed.
            "filter-keeps-only-bad-orders": Wrong(
                orders(
                    mapping=", FilterCriteria={'Filters': [{'Pattern': "
                    "json.dumps({'body': ['bad']})}]}"
                ),
                "`FilterCriteria`",
                "good message(s)",
                "never processed",
            ),
            # Learner trial 9 (OD17): the mapping runs the alias `live` on version 1, which
            # raises; the fix went to $LATEST only. The message named the worker's code, which
            # the check had judged from $LATEST: it judges what the mapping runs, and says so.
            "mapping-on-alias-of-old-version": Wrong(
                orders(
                    "def handler(event, context):\n    for record in event['Records']:\n"
                    "        if record['body'] == 'bad':\n"
                    "            raise ValueError('bad order')\n",
                    target="order-worker:live",
                    before_mapping=PUBLISH_LIVE,
                )
                + "lam.update_function_code(FunctionName='order-worker', "
                f"ZipFile=zip_bytes({{'app.py': {WORKER!r}}}))\n"
                "lam.get_waiter('function_updated_v2').wait(FunctionName='order-worker')\n",
                "failed with ValueError",
                "The mapping invokes `order-worker:",
                "publish_version",
            ),
            # Learner trial 9 (OW1): failures as bare ids, not `{'itemIdentifier': id}`; Lambda
            # fails the whole batch, and the message said it "reported 0 failure(s)".
            "failures-as-bare-ids": Wrong(
                orders(
                    WORKER.replace('{"itemIdentifier": record["messageId"]}', 'record["messageId"]')
                ),
                "not a partial batch response",
                "not the id alone",
            ),
            # Learner trial 11 (AW5): the response as a JSON string; the message spoke of bare
            # ids, another mistake. It says to return the dict itself now.
            "response-as-json-string": Wrong(
                orders(
                    "import json\n"
                    + WORKER.replace(
                        'return {"batchItemFailures": failures}',
                        'return json.dumps({"batchItemFailures": failures})',
                    )
                ),
                "not a partial batch response",
                "not a JSON string",
            ),
            # Learner trial 9 (OW5): the question asks for a role of the worker's own; one
            # shared with another function lets it consume `orders` too, and passed.
            "role-shared-with-another-function": Wrong(
                orders(role="shared-role") + "fresh_function('order-notes')\n"
                "lam.create_function(FunctionName='order-notes', Runtime='python3.12', "
                f"Role=execution_role('shared-role', policies=[{SQS_POLICY!r}]), "
                "Handler='app.handler', Code={'ZipFile': zip_bytes({'app.py': SOURCE})})\n"
                "lam.get_waiter('function_active_v2').wait(FunctionName='order-notes')\n",
                "also the role of `order-notes`",
                "role of its own",
            ),
            # Learner trial 10 (UD4): the response key capitalised. Lambda reads a response
            # without `batchItemFailures` as a complete success and deletes every message, `bad`
            # included; the message said it fails the whole batch.
            "failures-key-capitalised": Wrong(
                orders(WORKER.replace('{"batchItemFailures"', '{"BatchItemFailures"')),
                "`BatchItemFailures` is not `batchItemFailures`",
                "complete success",
                "deletes every message",
            ),
            # Learner trial 10 (UW4): a mapping left on the alias `live` (old code that raises)
            # and a new one on the function: each message goes to one of them, and the message
            # named the alias's mapping alone.
            "two-mappings-alias-leftover": Wrong(
                orders(
                    "def handler(event, context):\n    for record in event['Records']:\n"
                    "        if record['body'] == 'bad':\n"
                    "            raise ValueError('bad order')\n",
                    target="order-worker:live",
                    before_mapping=PUBLISH_LIVE,
                )
                + "lam.update_function_code(FunctionName='order-worker', "
                f"ZipFile=zip_bytes({{'app.py': {WORKER!r}}}))\n"
                "lam.get_waiter('function_updated_v2').wait(FunctionName='order-worker')\n"
                "lam.create_event_source_mapping(EventSourceArn=queue_arn, "
                "FunctionName='order-worker', BatchSize=5, "
                "FunctionResponseTypes=['ReportBatchItemFailures'])\n",
                "2 mappings to the worker",
                "`order-worker:live`",
                "each message goes to one of them",
            ),
            # Learner trial 12 (GD5): the queue's URL as `EventSourceArn`; the kit answered
            # ResourceNotFoundException. AWS refuses the field first (ValidationException, the
            # EventSourceArn pattern of
            # https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html).
            "queue-url-as-event-source-arn": Wrong(
                orders().replace("EventSourceArn=queue_arn", "EventSourceArn=url"),
                "nothing connects `orders` to `order-worker`",
                "QueueArn",
                raises="at 'eventSourceArn' failed to satisfy constraint",
            ),
            # Learner trial 13 (MD22): an inline Deny on sqs:DeleteMessage beside the attached
            # AWSLambdaSQSQueueExecutionRole; the message said to attach the policy it had.
            "inline-deny-on-delete-message": Wrong(
                orders(
                    before_mapping="iam.put_role_policy(RoleName='order-worker-role', "
                    "PolicyName='no-deletes', PolicyDocument=json.dumps({'Version': "
                    "'2012-10-17', 'Statement': [{'Effect': 'Deny', "
                    "'Action': 'sqs:DeleteMessage', 'Resource': '*'}]}))"
                ),
                "`sqs:DeleteMessage`",
                "inline policy `no-deletes`",
                "explicit Deny wins",
                raises="does not have permissions to call DeleteMessage",
            ),
            # Learner trial 13 (MD6): `orders`'s queue policy denies sqs:DeleteMessage to
            # everyone; the message said "nothing connects `orders` to `order-worker`".
            "queue-policy-denies-delete": Wrong(
                orders(
                    before_mapping="sqs.set_queue_attributes(QueueUrl=url, Attributes={'Policy': "
                    "json.dumps({'Version': '2012-10-17', 'Statement': [{'Sid': 'KeepOrders', "
                    "'Effect': 'Deny', 'Principal': '*', 'Action': 'sqs:DeleteMessage', "
                    "'Resource': queue_arn}]})})"
                ),
                "`KeepOrders`",
                "queue's policy",
                "`sqs:DeleteMessage`",
                raises="does not have permissions to call DeleteMessage",
            ),
            # Learner trial 13 (MW7): `orders` deleted and created again at once; SQS refuses
            # the name for 60 s (QueueDeletedRecently), and the message said only "create it".
            "queue-recreated-at-once": Wrong(
                orders() + "sqs.delete_queue(QueueUrl=url)\n"
                "sqs.create_queue(QueueName='orders', Attributes={'VisibilityTimeout': '1'})\n",
                "no queue named `orders`",
                "QueueDeletedRecently",
                "wait",
                raises="QueueDeletedRecently",
            ),
            "receives-too-many": Wrong(orders(receives=5), "maxReceiveCount of 5"),
            "batch-size-ten": Wrong(orders(batch=10), "BatchSize is 10"),
        },
        right={
            "visibility-2-receives-3-timeout-2": orders(visibility="2", receives=3, timeout=2),
            # Learner trial 13 (MD18): the role's only SQS Allow is limited to the queue's
            # Region (aws:RequestedRegion); the mapping polls there, so it holds, as on AWS.
            "sqs-role-limited-to-region": orders(
                policies=(),
                before_mapping="iam.put_role_policy(RoleName='order-worker-role', "
                "PolicyName='orders-in-region', PolicyDocument=json.dumps({'Version': "
                "'2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': "
                "['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], "
                "'Resource': 'arn:aws:sqs:*:*:orders', 'Condition': {'StringEquals': "
                "{'aws:RequestedRegion': region}}}]}))",
            ),
            # Learner trial 6: skips a messageId it already processed (SQS delivers at least
            # once); the check's batches used to reuse ids, and refused it.
            "skips-ids-already-processed": orders(
                "DONE = set()\n\n"
                "def handler(event, context):\n"
                "    failures = []\n"
                "    for record in event['Records']:\n"
                "        if record['messageId'] in DONE:\n"
                "            continue\n"
                "        if record['body'] == 'bad':\n"
                "            failures.append({'itemIdentifier': record['messageId']})\n"
                "            continue\n"
                "        DONE.add(record['messageId'])\n"
                "    return {'batchItemFailures': failures}\n"
            ),
            # Learner trial 8 (J, D1): the worker also deletes each good message itself, which
            # works on AWS (the mapping's delete after it too); the check's own batches have
            # made-up receipt handles, and it was refused for them.
            "worker-deletes-good-messages-itself": orders(
                "import os\nimport boto3\n\nsqs = boto3.client('sqs')\n\n"
                "def handler(event, context):\n"
                "    failures = []\n"
                "    for record in event['Records']:\n"
                "        if record['body'] == 'bad':\n"
                "            failures.append({'itemIdentifier': record['messageId']})\n"
                "            continue\n"
                "        sqs.delete_message(QueueUrl=os.environ['ORDERS_URL'],\n"
                "                           ReceiptHandle=record['receiptHandle'])\n"
                "    return {'batchItemFailures': failures}\n",
                visibility="2",
                timeout=2,
            )
            + "lam.update_function_configuration(FunctionName='order-worker', "
            "Environment={'Variables': {'ORDERS_URL': url}})\n"
            "lam.get_waiter('function_updated_v2').wait(FunctionName='order-worker')\n",
            # Learner trial 9 (OD17): the mapping on an alias whose version is right.
            "mapping-on-alias": orders(target="order-worker:live", before_mapping=PUBLISH_LIVE),
            # Learner trial 10 (UD18): a delay queue (DelaySeconds 20) works on AWS; the check
            # waited less than the delay and blamed the mapping. Its messages now set
            # DelaySeconds=0, which overrides the queue's on a standard queue.
            "delay-queue": orders()
            + "sqs.set_queue_attributes(QueueUrl=url, Attributes={'DelaySeconds': '20'})\n",
            "ids-from-a-comprehension": orders(
                "def handler(event, context):\n"
                "    bad = [r['messageId'] for r in event['Records'] if r['body'] == 'bad']\n"
                "    for r in event['Records']:\n"
                "        if r['body'] != 'bad':\n            print('order', r['body'])\n"
                "    return {'batchItemFailures': [{'itemIdentifier': i} for i in bad]}\n"
            ),
        },
        broken="raises-for-bad",
    ),
    "q2": Answers(
        wrong={
            # S3 refuses the notification itself, as on AWS.
            "missing-add-permission": Wrong(
                csv_drop(permission=None),
                "no resource-based policy statement",
                "s3.amazonaws.com",
                "add_permission",
                raises="Unable to validate the following destination configurations",
            ),
            "permission-for-another-bucket": Wrong(
                csv_drop(permission='SourceArn="arn:aws:s3:::kit-uploads"'),
                "allow only the source",
                "kit-uploads",
                raises="Unable to validate the following destination configurations",
            ),
            "over-broad-permission": Wrong(
                csv_drop(permission="SourceAccount=account"), "over-broad", "SourceArn"
            ),
            # Learner trial 12 (GW4): another account as `SourceAccount`; S3 refuses the
            # notification. Adding the permission again under the same StatementId is refused
            # too, and the refused notification must be put again: the message says both.
            "source-account-of-another-account": Wrong(
                csv_drop(
                    permission='SourceArn="arn:aws:s3:::csv-drop", SourceAccount="111122223333"'
                ),
                "`111122223333`",
                "StatementId='s3'",
                "refuses a StatementId the policy already holds",
                "put the notification configuration again",
                raises="Unable to validate the following destination configurations",
            ),
            "wildcard-source-arn": Wrong(
                csv_drop(permission='SourceArn="arn:aws:s3:::csv-*", SourceAccount=account'),
                "over-broad",
                "arn:aws:s3:::csv-drop-",
            ),
            "no-suffix-filter": Wrong(
                csv_drop(rules='[{"Name": "prefix", "Value": "incoming/"}]'),
                "also ran for",
                "suffix",
            ),
            "suffix-without-its-dot": Wrong(
                csv_drop(rules=RULES.replace('".csv"', '"csv"')),
                "-csv`",
                "with its dot",
            ),
            # Trial 7 (E N4): the key decoded to read the object, the result named after the
            # key as S3 sent it (a space as `+`).
            "result-named-after-the-encoded-key": Wrong(
                csv_drop(
                    CONVERTS.replace(
                        "os.path.splitext(os.path.basename(key))[0]",
                        "os.path.splitext(os.path.basename(record['s3']['object']['key']))[0]",
                    )
                ),
                "URL-encoded",
                "unquote_plus",
            ),
            "result-keeps-the-csv-extension": Wrong(
                csv_drop(
                    CONVERTS.replace(
                        "os.path.splitext(os.path.basename(key))[0]", "os.path.basename(key)"
                    )
                ),
                ".csv.json",
                "without its `.csv`",
            ),
            # A learner trial: rstrip strips characters ("visits.csv" -> "visit"), and passed
            # whenever the check's names happened not to end in c, s or v.
            "extension-cut-with-rstrip": Wrong(
                csv_drop(
                    CONVERTS.replace(
                        "os.path.splitext(os.path.basename(key))[0]",
                        'os.path.basename(key).rstrip(".csv")',
                    )
                ),
                "visit.json",
                "rstrip('.csv')",
                "removesuffix",
            ),
            # Learner trial 8 (J, D2): the name cut at its first dot, so `sales.2024.csv`
            # became `sales.json`; the check's names had no dot of their own, and it passed.
            "name-cut-at-first-dot": Wrong(
                csv_drop(
                    CONVERTS.replace(
                        "os.path.splitext(os.path.basename(key))[0]",
                        'key.split("/")[-1].split(".")[0]',
                    )
                ),
                "cut at its first dot",
                "os.path.splitext",
                "removesuffix",
            ),
            # Learner trial 11 (AD6): the result's key made with `str.replace`; the check's
            # names never held `.csv` of their own, and it passed. One name always does now
            # (`sales.csv.2024.csv` becomes `processed/sales.json.2024.json`).
            "names-made-with-str-replace": Wrong(
                csv_drop(
                    CONVERTS.replace(
                        'Key=f"processed/{name}.json"',
                        'Key=key.replace("incoming/", "processed/").replace(".csv", ".json")',
                    )
                ),
                "`replace('.csv', ...)` changes every `.csv`",
                "removesuffix",
            ),
            "prefix-without-slash": Wrong(
                csv_drop(rules=RULES.replace('"incoming/"', '"incoming"')),
                "incoming-old/",
                "with its slash",
            ),
            # A learner trial: latin-1 reads any bytes, but turns "Zürich" into "ZÃ¼rich".
            "latin-1-decoding": Wrong(
                csv_drop(CONVERTS.replace('.decode("utf-8")', '.decode("latin-1")')),
                "one-byte encoding",
                "utf-8",
            ),
            # A learner trial: the JSON next to the upload, under incoming/.
            "output-next-to-input": Wrong(
                csv_drop(
                    CONVERTS.replace('Key=f"processed/{name}.json"', 'Key=f"incoming/{name}.json"')
                ),
                "outside `processed/`",
            ),
            "key-not-decoded": Wrong(
                csv_drop(CONVERTS.replace("urllib.parse.unquote_plus(", "(")),
                "wrote no",
                "unquote_plus",
            ),
            "plus-replaced-by-hand": Wrong(
                csv_drop(
                    CONVERTS.replace(
                        'urllib.parse.unquote_plus(record["s3"]["object"]["key"])',
                        'record["s3"]["object"]["key"].replace(\'+\', \' \')',
                    )
                ),
                "q3+q4",
                "unquote_plus",
            ),
            # Learner trial 13 (MD9): the two encodings the message above names, decoded by
            # hand; every check key held only letters, digits, spaces, `+`, `.` and `-`, and
            # it passed. A check key now holds a letter beyond ASCII and punctuation.
            "key-decoded-by-hand-plus-and-2b": Wrong(
                csv_drop(
                    CONVERTS.replace(
                        'urllib.parse.unquote_plus(record["s3"]["object"]["key"])',
                        'record["s3"]["object"]["key"].replace("+", " ").replace("%2B", "+")',
                    )
                ),
                "wrote no",
                "q3+q4",
                "(not by hand)",
                "%C3",
                "unquote_plus",
            ),
            "rows-as-lists": Wrong(
                csv_drop(CONVERTS.replace("csv.DictReader", "csv.reader")),
                "expected the rows",
                "DictReader",
            ),
            # Learner trial 13 (MD20): rows unlike `list(csv.DictReader(...))`, which the task
            # names, in empty cells or spaces; no CSV of the check's had either, and they passed.
            "empty-cells-as-null": Wrong(
                csv_drop(
                    CONVERTS.replace(
                        "rows = list(csv.DictReader(io.StringIO(text)))",
                        "rows = [{k: (v if v != '' else None) for k, v in r.items()} "
                        "for r in csv.DictReader(io.StringIO(text))]",
                    )
                ),
                "became `null`",
                'empty string `""`',
            ),
            "values-stripped": Wrong(
                csv_drop(
                    CONVERTS.replace(
                        "rows = list(csv.DictReader(io.StringIO(text)))",
                        "rows = [{k.strip(): v.strip() for k, v in r.items()} "
                        "for r in csv.DictReader(io.StringIO(text))]",
                    )
                ),
                "lost its space",
                "DictReader(...))` keeps",
            ),
            "skipinitialspace": Wrong(
                csv_drop(
                    CONVERTS.replace(
                        "csv.DictReader(io.StringIO(text))",
                        "csv.DictReader(io.StringIO(text), skipinitialspace=True)",
                    )
                ),
                "lost its space",
                "skipinitialspace=True",
            ),
            "role-reads-every-bucket": Wrong(
                csv_drop(policy='[{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]'),
                "more than the task needs",
                "`s3:*`",
            ),
            "role-cannot-write": Wrong(
                csv_drop(policy=OBJECTS.replace(', "s3:PutObject"', "")),
                "does not allow",
                "s3:PutObject",
            ),
            # Learner trial 9 (OD10): no result for a CSV with a header and no rows; none of
            # the check's uploads was one, and it passed. Its result is `[]`.
            "no-output-for-empty-csv": Wrong(
                csv_drop(
                    CONVERTS.replace(
                        "        name = os.path",
                        "        if not rows:\n            continue\n        name = os.path",
                    )
                ),
                "header and no rows",
                "`[]`",
            ),
            # Learner trial 9 (OD11): deletions ran the function too (and it failed on them);
            # the check only uploads, and it passed.
            "also-triggered-by-deletes": Wrong(
                csv_drop(events=("s3:ObjectCreated:*", "s3:ObjectRemoved:*")),
                "`s3:ObjectRemoved:*`",
                "s3:ObjectCreated:*",
            ),
            # Learner trial 11 (AW6): restores ran the function too; the message's example was
            # a deletion. It names a restore now.
            "also-triggered-by-restores": Wrong(
                csv_drop(events=("s3:ObjectCreated:*", "s3:ObjectRestore:*")),
                "`s3:ObjectRestore:*`",
                "a restore of an archived copy",
                "s3:ObjectCreated:*",
            ),
            # Learner trial 9 (OD12): every Lambda action granted to S3, where it needs one.
            "permission-for-every-action": Wrong(
                csv_drop(action="lambda:*"), "`lambda:*`", "over-broad", "lambda:InvokeFunction"
            ),
            # Learner trial 9 (OD13): the statement names no service, and was praised as "S3
            # may invoke it for csv-drop only"; AWS counts a wildcard principal as public.
            "principal-star-with-source-arn": Wrong(
                csv_drop(principal="*"), "principal `*`", "Principal='s3.amazonaws.com'"
            ),
            # Learner trial 9 (OD15): the notification aimed at the alias `prod`, the
            # permission on the function itself: S3 refuses it, and the message said only that
            # there was no notification.
            "alias-target-permission-on-function": Wrong(
                csv_drop(before_permission=TO_ALIAS),
                "`csv-to-json:prod`",
                "Qualifier='prod'",
                raises="Unable to validate the following destination configurations",
            ),
            # Learner trial 9 (OD20): lines split at commas by hand; no value of the check's
            # had a comma (which the CSV quotes), and it passed.
            "csv-split-by-hand": Wrong(
                csv_drop(
                    CONVERTS.replace(
                        "rows = list(csv.DictReader(io.StringIO(text)))",
                        "lines = text.strip().splitlines()\n"
                        "        header = lines[0].split(',')\n"
                        "        rows = [dict(zip(header, l.split(','))) for l in lines[1:]]",
                    )
                ),
                "has a comma in it",
                "csv.DictReader",
            ),
            # Learner trial 10 (UD5): a notification for `s3:ObjectCreated:Put` only; a copy,
            # a multipart upload or a form's POST is another event type and doesn't run it. The
            # check used put_object alone, and it passed.
            "put-events-only": Wrong(
                csv_drop(events=("s3:ObjectCreated:Put",)),
                "`s3:ObjectCreated:Copy`",
                "`s3:ObjectCreated:CompleteMultipartUpload`",
                "Events=['s3:ObjectCreated:*']",
            ),
            # Learner trial 13 (MW9): `.CSV` as the suffix; S3 keys and its rules are
            # case-sensitive, which the message didn't say.
            "suffix-in-capitals": Wrong(
                csv_drop(rules=RULES.replace('".csv"', '".CSV"')),
                "`.CSV` is not `.csv`",
                "case-sensitive",
            ),
            # Learner trial 10 (UW5): a suffix rule with a wildcard; S3's rules are literal.
            "wildcard-in-suffix-rule": Wrong(
                csv_drop(rules=RULES.replace('".csv"', '"*.csv"')),
                "`*.csv` holds a wildcard",
                "literal",
            ),
            # Learner trial 10 (UD17): the result written, then a clean-up the role may not do
            # (DeleteObject) fails every invocation; AWS retries it and counts the errors. It
            # passed, since the output was there.
            "fails-after-writing-the-result": Wrong(
                csv_drop(
                    CONVERTS.replace(
                        "Body=json.dumps(rows))",
                        "Body=json.dumps(rows))\n        s3.delete_object(Bucket=bucket, Key=key)",
                    )
                ),
                "but then its invocation failed",
                "AccessDenied",
                "finish without an error",
            ),
            # Learner trial 10 (UD26): the permission added with Qualifier='prod' (the alias's
            # own policy), the notification aimed at the function itself: S3 refuses it, and the
            # message said the function had no statement for S3 at all.
            "permission-on-alias-notification-to-function": Wrong(
                csv_drop(
                    before_permission="version = lam.publish_version(FunctionName='csv-to-json')"
                    "['Version']\n"
                    "lam.create_alias(FunctionName='csv-to-json', Name='prod', "
                    "FunctionVersion=version)\n",
                    permission='SourceArn="arn:aws:s3:::csv-drop", SourceAccount=account, '
                    'Qualifier="prod"',
                ),
                "is on `csv-to-json:prod`",
                "invokes `csv-to-json` itself",
                "without `Qualifier`",
                raises="Unable to validate the following destination configurations",
            ),
            # Learner trial 10 (UD21): a bucket policy that denies uploads without an SSE
            # header refuses the check's uploads (and the function's writes); it read as "The
            # check itself failed".
            "bucket-policy-denies-uploads": Wrong(
                csv_drop()
                + "s3.put_bucket_policy(Bucket='csv-drop', Policy=json.dumps({'Version': "
                "'2012-10-17', 'Statement': [{'Sid': 'DenyUnEncryptedObjectUploads', "
                "'Effect': 'Deny', 'Principal': '*', 'Action': 's3:PutObject', "
                "'Resource': 'arn:aws:s3:::csv-drop/*', 'Condition': {'Null': "
                "{'s3:x-amz-server-side-encryption': 'true'}}}]}))\n",
                "bucket policy refused the check's upload",
                "`DenyUnEncryptedObjectUploads`",
                "delete_bucket_policy",
            ),
            # Learner trial 13 (MD22): a region guard (Deny s3:PutObject outside eu-west-1;
            # csv-drop is in the kit's Region) beside the right Allow; the message said to add
            # the Allow the role had.
            "inline-deny-on-put-object": Wrong(
                csv_drop()
                + "iam.put_role_policy(RoleName='csv-role', PolicyName='no-writes-outside-eu', "
                "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': "
                "'Deny', 'Action': 's3:PutObject', 'Resource': '*', 'Condition': "
                "{'StringNotEquals': {'aws:RequestedRegion': 'eu-west-1'}}}]}))\n",
                "`s3:PutObject`",
                "inline policy `no-writes-outside-eu`",
                "explicit Deny wins",
            ),
            # Learner trial 9 (OD8, for q2): paused with reserved concurrency 0, every upload's
            # invoke is throttled.
            "converter-throttled-to-zero": Wrong(
                csv_drop() + "lam.put_function_concurrency(FunctionName='csv-to-json', "
                "ReservedConcurrentExecutions=0)\n",
                "reserved concurrency of 0",
                "delete_function_concurrency",
            ),
        },
        right={
            "narrower-role-and-no-account": csv_drop(
                policy='[{"Effect": "Allow", "Action": "s3:GetObject", '
                '"Resource": "arn:aws:s3:::csv-drop/incoming/*"}, '
                '{"Effect": "Allow", "Action": "s3:PutObject", '
                '"Resource": "arn:aws:s3:::csv-drop/processed/*"}]',
                permission='SourceArn="arn:aws:s3:::csv-drop"',
            ),
            # Learner trial 13 (MD18): the data-perimeter guard aws:ResourceAccount on the
            # role's Allow; csv-drop is the account's own, so it holds, as on AWS.
            "s3-role-limited-to-own-account": csv_drop(
                policy='[{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], '
                '"Resource": "arn:aws:s3:::csv-drop/*", '
                '"Condition": {"StringEquals": {"aws:ResourceAccount": account}}}]'
            ),
            # Learner trial 9 (OD15): the alias's own permission, and the notification to it.
            "notification-to-alias-with-its-permission": csv_drop(
                before_permission=TO_ALIAS,
                permission='SourceArn="arn:aws:s3:::csv-drop", SourceAccount=account, '
                'Qualifier="prod"',
            ),
            # Found while mending learner trial 9: a public function URL's statement
            # (Principal '*', lambda:InvokeFunction, lambda:InvokedViaFunctionUrl true) applies
            # to URL calls only, and was read as letting S3 in from any bucket ("over-broad").
            "function-also-has-a-public-url": csv_drop()
            + "lam.create_function_url_config(FunctionName='csv-to-json', AuthType='NONE')\n"
            "lam.add_permission(FunctionName='csv-to-json', StatementId='url', "
            "Action='lambda:InvokeFunctionUrl', Principal='*', FunctionUrlAuthType='NONE')\n"
            "lam.add_permission(FunctionName='csv-to-json', StatementId='url-invoke', "
            "Action='lambda:InvokeFunction', Principal='*', InvokedViaFunctionUrl=True)\n",
            # Learner trial 10 (UD20): AWS's recommended TLS-only bucket policy; every SDK call
            # is over HTTPS, so its Deny never applies. It read as "The check itself failed".
            "tls-only-bucket-policy": csv_drop()
            + "s3.put_bucket_policy(Bucket='csv-drop', Policy=json.dumps({'Version': "
            "'2012-10-17', 'Statement': [{'Sid': 'AllowSSLRequestsOnly', 'Effect': 'Deny', "
            "'Principal': '*', 'Action': 's3:*', 'Resource': ['arn:aws:s3:::csv-drop', "
            "'arn:aws:s3:::csv-drop/*'], 'Condition': {'Bool': "
            "{'aws:SecureTransport': 'false'}}}]}))\n",
            # (Learner trial 10, UD5: this answer listened to `s3:ObjectCreated:Put` only, which
            # misses copies and multipart uploads; it listens to every upload now.)
            "pathlib-and-content-type": csv_drop(
                """
import csv, io, json
from pathlib import PurePosixPath
from urllib.parse import unquote_plus
import boto3

s3 = boto3.client("s3")

def handler(event, context):
    for record in event["Records"]:
        key = unquote_plus(record["s3"]["object"]["key"])
        body = s3.get_object(Bucket="csv-drop", Key=key)["Body"].read().decode()
        rows = [dict(row) for row in csv.DictReader(io.StringIO(body))]
        out = "processed/" + PurePosixPath(key).stem + ".json"
        s3.put_object(Bucket="csv-drop", Key=out, Body=json.dumps(rows).encode(),
                      ContentType="application/json")
"""
            ),
        },
        broken="missing-add-permission",
    ),
}
