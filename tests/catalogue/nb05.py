"""Notebook 05: q1 a poisoned payment reaches the on-failure destination after one retry;
q2 deposits counted once per deposit_id, also when two copies arrive at the same time."""

from helpers.runtime.interpreters import KIT_VERSION, find
from tests.catalogue import Answers, Wrong

# The notebook's set-up (its role `async-role`, `deploy`, `create_queue`), made re-runnable:
# every cell starts from it, as a learner's does after the set-up cells.
SETUP = """
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
sqs = boto3.client("sqs")
dynamodb = boto3.client("dynamodb")
iam = boto3.client("iam")
role_arn = execution_role("async-role")
account = boto3.client("sts").get_caller_identity()["Account"]
region = lam.meta.region_name


def allow(queue_actions=("sqs:SendMessage",), table_actions=("dynamodb:PutItem",
          "dynamodb:UpdateItem")):
    statements = []
    if queue_actions:
        statements.append({"Effect": "Allow", "Action": list(queue_actions),
                           "Resource": f"arn:aws:sqs:{region}:{account}:payments-failed"})
    if table_actions:
        statements.append({"Effect": "Allow", "Action": list(table_actions),
                           "Resource": f"arn:aws:dynamodb:{region}:{account}:table/bank"})
    iam.put_role_policy(RoleName="async-role", PolicyName="async", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": statements}))


def deploy(name, source, **settings):
    try:
        lam.delete_function(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        pass
    arn = lam.create_function(FunctionName=name, Runtime="python3.13", Role=role_arn,
                              Handler="app.handler",
                              Code={"ZipFile": zip_bytes({"app.py": source})},
                              **settings)["FunctionArn"]
    lam.get_waiter("function_active_v2").wait(FunctionName=name)
    return arn


def create_queue(name):
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return url, attributes["Attributes"]["QueueArn"]


def create_bank():
    try:
        dynamodb.create_table(
            TableName="bank",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    except dynamodb.exceptions.ResourceInUseException:
        pass
    dynamodb.get_waiter("table_exists").wait(TableName="bank")
"""

GOOD_PAYMENTS = """
def handler(event, context):
    if "amount" not in event:
        raise ValueError("no amount")
    return {"charged": event["amount"]}
"""


def payments(
    source: str = GOOD_PAYMENTS,
    config: str = "MaximumRetryAttempts=1, "
    "DestinationConfig={'OnFailure': {'Destination': failed_arn}}",
    allow_call: str = "allow()",
    settings: str = "",
) -> str:
    """A learner's q1 cell: the queue, the role's rights, `payments` and its async settings."""
    return SETUP + (
        f"{allow_call}\n"
        "failed_url, failed_arn = create_queue('payments-failed')\n"
        f"deploy('payments', '''{source}''' {', ' + settings if settings else ''})\n"
        "try:\n"
        "    lam.delete_function_event_invoke_config(FunctionName='payments')\n"
        "except lam.exceptions.ResourceNotFoundException:\n"
        "    pass\n"
        f"lam.put_function_event_invoke_config(FunctionName='payments', {config})\n"
    )


def deposits(
    source: str,
    table_actions: str = "('dynamodb:PutItem', 'dynamodb:UpdateItem')",
    settings: str = "",
) -> str:
    """A learner's q2 cell: the table `bank`, the role's rights and `deposits` (created with
    these `settings`, e.g. "Environment=...")."""
    return SETUP + (
        f"allow(table_actions={table_actions})\ncreate_bank()\n"
        f"deploy('deposits', '''{source}'''{', ' + settings if settings else ''})\n"
    )


def package(files: dict[str, str], handler: str = "app.handler") -> str:
    """A learner's q2 cell whose `deposits` ZIP holds these files, with this Handler."""
    return SETUP + (
        "allow()\ncreate_bank()\n"
        "try:\n"
        "    lam.delete_function(FunctionName='deposits')\n"
        "except lam.exceptions.ResourceNotFoundException:\n"
        "    pass\n"
        f"lam.create_function(FunctionName='deposits', Runtime='python3.13', Role=role_arn, "
        f"Handler={handler!r}, Code={{'ZipFile': zip_bytes({files!r})}})\n"
        "lam.get_waiter('function_active_v2').wait(FunctionName='deposits')\n"
    )


# Learner trial 13 (ND12): the idempotency helpers of a layer (python/idem.py).
IDEM = """
def marker_key(event):
    return "deposit#" + event["deposit_id"]


def is_repeat(err):
    return err.response["CancellationReasons"][0]["Code"] == "ConditionalCheckFailed"
"""


COUNTS_EVERY_TIME = """
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    dynamodb.update_item(TableName="bank", Key={"pk": {"S": "account"}},
                         UpdateExpression="ADD balance :a",
                         ExpressionAttributeValues={":a": {"N": str(event["amount"])}})
    return {"added": True}
"""

# Reads whether the deposit was seen, then writes: right one at a time, wrong at the same time.
GET_THEN_WRITE = """
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    key = {"pk": {"S": "deposit#" + event["deposit_id"]}}
    if "Item" in dynamodb.get_item(TableName="bank", Key=key, ConsistentRead=True):
        return {"added": False}
    dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": "bank", "Item": key}},
        {"Update": {"TableName": "bank", "Key": {"pk": {"S": "account"}},
                    "UpdateExpression": "ADD balance :a",
                    "ExpressionAttributeValues": {":a": {"N": str(event["amount"])}}}},
    ])
    return {"added": True}
"""

# Catches every error and only prints it (a learner trial): without dynamodb:GetItem every
# deposit is dropped quietly, and the message should point at the swallowed AccessDenied.
SWALLOWS_EVERY_ERROR = """
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    try:
        key = {"pk": {"S": "deposit#" + event["deposit_id"]}}
        if "Item" in dynamodb.get_item(TableName="bank", Key=key):
            return {"added": False}
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {"TableName": "bank", "Item": key,
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Update": {"TableName": "bank", "Key": {"pk": {"S": "account"}},
                        "UpdateExpression": "ADD balance :a",
                        "ExpressionAttributeValues": {":a": {"N": str(event["amount"])}}}},
        ])
    except Exception as err:
        print("skipped:", err)
        return {"added": False}
    return {"added": True}
"""

# Remembers the deposits it saw in memory: another execution environment doesn't know them.
IN_MEMORY = """
import boto3

dynamodb = boto3.client("dynamodb")
seen = set()


def handler(event, context):
    if event["deposit_id"] in seen:
        return {"added": False}
    seen.add(event["deposit_id"])
    dynamodb.update_item(TableName="bank", Key={"pk": {"S": "account"}},
                         UpdateExpression="ADD balance :a",
                         ExpressionAttributeValues={":a": {"N": str(event["amount"])}})
    return {"added": True}
"""

# Conditional, but a duplicate raises: Lambda would retry it.
RAISES_ON_DUPLICATE = """
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": "bank", "Item": {"pk": {"S": "deposit#" + event["deposit_id"]}},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Update": {"TableName": "bank", "Key": {"pk": {"S": "account"}},
                    "UpdateExpression": "ADD balance :a",
                    "ExpressionAttributeValues": {":a": {"N": str(event["amount"])}}}},
    ])
    return {"added": True}
"""


def conditional(
    key: str = '"deposit#" + event["deposit_id"]',
    update: str = "ADD balance :a",
    amount: str = 'str(event["amount"])',
    duplicate: str = "",
) -> str:
    """The notebook's transaction, with one part changed."""
    duplicate = duplicate or IS_DUPLICATE
    return f"""
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    try:
        dynamodb.transact_write_items(TransactItems=[
            {{"Put": {{"TableName": "bank", "Item": {{"pk": {{"S": {key}}}}},
                     "ConditionExpression": "attribute_not_exists(pk)"}}}},
            {{"Update": {{"TableName": "bank", "Key": {{"pk": {{"S": "account"}}}},
                        "UpdateExpression": "{update}",
                        "ExpressionAttributeValues": {{":a": {{"N": {amount}}}}}}}}},
        ])
        return {{"added": True}}
    except dynamodb.exceptions.TransactionCanceledException as err:
        if {duplicate}:
            return {{"added": False}}
        raise
"""


# Learner trial 10 (VD5): section 6's test of the cancellation reasons; `conditional(duplicate=
# "True")` takes every cancellation for a repeat.
IS_DUPLICATE = 'err.response["CancellationReasons"][0]["Code"] == "ConditionalCheckFailed"'


# Learner trial 9 (PD9): the notebook's transaction with an expiring record, by hand; EXPIRY
# is its lifetime in seconds.
EXPIRES_AFTER = """
import time
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    now = int(time.time())
    try:
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {"TableName": "bank",
                     "Item": {"pk": {"S": "deposit#" + event["deposit_id"]},
                              "expires_at": {"N": str(now + EXPIRY)}},
                     "ConditionExpression": "attribute_not_exists(pk) OR expires_at < :now",
                     "ExpressionAttributeValues": {":now": {"N": str(now)}}}},
            {"Update": {"TableName": "bank", "Key": {"pk": {"S": "account"}},
                        "UpdateExpression": "ADD balance :a",
                        "ExpressionAttributeValues": {":a": {"N": str(event["amount"])}}}},
        ])
    except dynamodb.exceptions.TransactionCanceledException as err:
        if err.response["CancellationReasons"][0]["Code"] == "ConditionalCheckFailed":
            return {"added": False}
        raise
    return {"added": True}
"""

# Learner trial 10 (VD15): the record's time kept as ISO-8601 text, or in nanoseconds, and
# valid for an hour: the check's copy 6 hours later moved only numeric seconds and milliseconds.
SEEN_AT_ISO = """
from datetime import datetime, timedelta, timezone
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    now = datetime.now(timezone.utc)
    try:
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {"TableName": "bank",
                     "Item": {"pk": {"S": "deposit#" + event["deposit_id"]},
                              "seen_at": {"S": now.isoformat()}},
                     "ConditionExpression": "attribute_not_exists(pk) OR seen_at < :cutoff",
                     "ExpressionAttributeValues": {
                         ":cutoff": {"S": (now - timedelta(hours=1)).isoformat()}}}},
            {"Update": {"TableName": "bank", "Key": {"pk": {"S": "account"}},
                        "UpdateExpression": "ADD balance :a",
                        "ExpressionAttributeValues": {":a": {"N": str(event["amount"])}}}},
        ])
    except dynamodb.exceptions.TransactionCanceledException as err:
        if err.response["CancellationReasons"][0]["Code"] == "ConditionalCheckFailed":
            return {"added": False}
        raise
    return {"added": True}
"""

SEEN_NS = """
import time
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    try:
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {"TableName": "bank",
                     "Item": {"pk": {"S": "deposit#" + event["deposit_id"]},
                              "seen_ns": {"N": str(time.time_ns())}},
                     "ConditionExpression": "attribute_not_exists(pk) OR seen_ns < :cutoff",
                     "ExpressionAttributeValues": {
                         ":cutoff": {"N": str(time.time_ns() - 3600 * 10**9)}}}},
            {"Update": {"TableName": "bank", "Key": {"pk": {"S": "account"}},
                        "UpdateExpression": "ADD balance :a",
                        "ExpressionAttributeValues": {":a": {"N": str(event["amount"])}}}},
        ])
    except dynamodb.exceptions.TransactionCanceledException as err:
        if err.response["CancellationReasons"][0]["Code"] == "ConditionalCheckFailed":
            return {"added": False}
        raise
    return {"added": True}
"""

# Learner trial 10 (VD5), right: a conflict with another transaction is tried again in the
# handler itself (with a short back-off), a failed condition is a repeat.
RETRIES_CONFLICTS = """
import time
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    for attempt in range(5):
        try:
            dynamodb.transact_write_items(TransactItems=[
                {"Put": {"TableName": "bank",
                         "Item": {"pk": {"S": "deposit#" + event["deposit_id"]}},
                         "ConditionExpression": "attribute_not_exists(pk)"}},
                {"Update": {"TableName": "bank", "Key": {"pk": {"S": "account"}},
                            "UpdateExpression": "ADD balance :a",
                            "ExpressionAttributeValues": {":a": {"N": str(event["amount"])}}}},
            ])
            return {"added": True}
        except dynamodb.exceptions.TransactionCanceledException as err:
            codes = [r.get("Code") for r in err.response.get("CancellationReasons", [])]
            if "ConditionalCheckFailed" in codes:
                return {"added": False}
            if "TransactionConflict" not in codes or attempt == 4:
                raise
            time.sleep(0.05 * 2 ** attempt)
"""

# Learner trial 9 (PD8): a client request token as the only idempotency.
CLIENT_REQUEST_TOKEN = """
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    dynamodb.transact_write_items(
        ClientRequestToken=event["deposit_id"],
        TransactItems=[
            {"Update": {"TableName": "bank", "Key": {"pk": {"S": "account"}},
                        "UpdateExpression": "ADD balance :a",
                        "ExpressionAttributeValues": {":a": {"N": str(event["amount"])}}}},
        ])
    return {"added": True}
"""


# Right: one conditional update of the account item, which keeps the ids it has counted.
# Wrong (a learner trial): one attribute remembers the latest deposit only, so a late retry of
# an earlier deposit, arriving after a newer one, is counted again.
# Learner trial 13 (ND6): a window of the last 10 deposit ids on `account`.
RECENT_WINDOW = """
import boto3

dynamodb = boto3.client("dynamodb")
KEEP = 10  # the last few deposit ids only: the item must stay far below 400 KB


def handler(event, context):
    dep = event["deposit_id"]
    try:
        new = dynamodb.update_item(
            TableName="bank",
            Key={"pk": {"S": "account"}},
            UpdateExpression="ADD balance :a "
            "SET recent = list_append(if_not_exists(recent, :empty), :ids)",
            ConditionExpression="attribute_not_exists(recent) OR NOT contains(recent, :id)",
            ExpressionAttributeValues={":a": {"N": str(event["amount"])},
                                       ":ids": {"L": [{"S": dep}]},
                                       ":empty": {"L": []}, ":id": {"S": dep}},
            ReturnValues="UPDATED_NEW",
        )["Attributes"]
    except dynamodb.exceptions.ConditionalCheckFailedException:
        print("repeat", dep)
        return {"added": False}
    if len(new["recent"]["L"]) > KEEP:  # forget the oldest
        dynamodb.update_item(TableName="bank", Key={"pk": {"S": "account"}},
                             UpdateExpression="REMOVE recent[0]")
    return {"added": True}
"""

LAST_DEPOSIT_ONLY = """
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    try:
        dynamodb.update_item(
            TableName="bank",
            Key={"pk": {"S": "account"}},
            UpdateExpression="ADD balance :a SET last_deposit = :id",
            ConditionExpression="attribute_not_exists(last_deposit) OR last_deposit <> :id",
            ExpressionAttributeValues={":a": {"N": str(event["amount"])},
                                       ":id": {"S": event["deposit_id"]}},
        )
    except dynamodb.exceptions.ConditionalCheckFailedException:
        print("already counted", event["deposit_id"])
    return "ok"
"""

# Wrong (a learner trial): the table keyed on `id`, not on the task's `pk`.
BANK_KEYED_ON_ID = """
dynamodb.create_table(
    TableName="bank",
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
)
"""

# Learner trial 6: the right key's name, of the wrong type (a number).
BANK_KEY_NUMBER = """
dynamodb.create_table(
    TableName="bank",
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "N"}],
    BillingMode="PAY_PER_REQUEST",
)
dynamodb.get_waiter("table_exists").wait(TableName="bank")
"""

BALANCE_AS_STRING = """
create_bank()
boto3.resource("dynamodb").Table("bank").put_item(Item={"pk": "account", "balance": "0"})
"""

ONE_CONDITIONAL_UPDATE = """
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    try:
        dynamodb.update_item(
            TableName="bank",
            Key={"pk": {"S": "account"}},
            UpdateExpression="ADD balance :a, deposits :ids",
            ConditionExpression="attribute_not_exists(deposits) OR NOT contains(deposits, :id)",
            ExpressionAttributeValues={":a": {"N": str(event["amount"])},
                                       ":ids": {"SS": [event["deposit_id"]]},
                                       ":id": {"S": event["deposit_id"]}},
        )
    except dynamodb.exceptions.ConditionalCheckFailedException:
        print("already counted", event["deposit_id"])
    return "ok"
"""

# Right: a conditional put of the record first, then the update (not one transaction, but only
# one delivery can pass the put).
PUT_THEN_UPDATE = """
import boto3

table = boto3.resource("dynamodb").Table("bank")


def handler(event, context):
    try:
        table.put_item(Item={"pk": f"deposit#{event['deposit_id']}"},
                       ConditionExpression="attribute_not_exists(pk)")
    except table.meta.client.exceptions.ConditionalCheckFailedException:
        return {"added": False}
    table.update_item(Key={"pk": "account"}, UpdateExpression="ADD balance :a",
                      ExpressionAttributeValues={":a": event["amount"]})
    return {"added": True}
"""

TEST_AND_SET = """
import time
import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    marker = dynamodb.update_item(
        TableName="bank",
        Key={"pk": {"S": f"deposit:{event['deposit_id']}"}},
        UpdateExpression="SET seen_at = if_not_exists(seen_at, :now)",
        ExpressionAttributeValues={":now": {"N": str(int(time.time()))}},
        ReturnValues="UPDATED_OLD",
    )
    if marker.get("Attributes"):
        return {"added": False}
    dynamodb.update_item(
        TableName="bank",
        Key={"pk": {"S": "account"}},
        UpdateExpression="ADD balance :a",
        ExpressionAttributeValues={":a": {"N": str(event["amount"])}},
    )
    return {"added": True}
"""

ANSWERS = {
    "q1": Answers(
        wrong={
            "fails-every-payment": Wrong(
                payments("def handler(event, context):\n    raise ValueError('payment failed')\n"),
                "good payment",
                "fail only those without one",
            ),
            # Learner trial 5: a package AWS's runtime lacks, which the kit lends (and notes).
            "imports-a-package-it-does-not-ship": Wrong(
                payments("import requests\n" + GOOD_PAYMENTS),
                "imports `requests`",
                "Runtime.ImportModuleError",
            ),
            # A learner trial: the retry, a minute later on AWS, finds the event too old.
            "event-age-sixty-seconds": Wrong(
                payments(
                    config="MaximumRetryAttempts=1, MaximumEventAgeInSeconds=60, "
                    "DestinationConfig={'OnFailure': {'Destination': failed_arn}}"
                ),
                "60 s",
                "EventAgeExceeded",
            ),
            # A learner trial: the settings put on version 1; the check invokes the function.
            "settings-on-a-version": Wrong(
                payments(
                    settings="Publish=True",
                    config="Qualifier='1', MaximumRetryAttempts=1, "
                    "DestinationConfig={'OnFailure': {'Destination': failed_arn}}",
                ),
                "on `1` only",
                "without a `Qualifier`",
            ),
            # A learner trial: an update where there is nothing to update yet (AWS refuses).
            "update-without-put": Wrong(
                payments().replace(
                    "lam.put_function_event_invoke_config(",
                    "lam.update_function_event_invoke_config(",
                ),
                "no asynchronous invocation settings",
                raises="doesn't have an EventInvokeConfig",
            ),
            "returns-error-instead-of-raising": Wrong(
                payments(
                    "def handler(event, context):\n"
                    "    if 'amount' not in event:\n"
                    "        return {'error': 'no amount'}\n"
                    "    return {'charged': event['amount']}\n"
                ),
                "succeeded",
                "raise an error",
            ),
            "dead-letter-queue-not-destination": Wrong(
                payments(
                    config="MaximumRetryAttempts=1",
                    settings="DeadLetterConfig={'TargetArn': f'arn:aws:sqs:{region}:{account}:"
                    "payments-failed'}",
                ),
                "no on-failure destination",
                "DeadLetterConfig",
            ),
            # Learner trial 13 (ND4): a dead-letter queue on payments-failed beside the right
            # destination ("belt and braces"): each failed payment lands there twice.
            "dead-letter-queue-beside-destination-same-queue": Wrong(
                payments(
                    settings="DeadLetterConfig={'TargetArn': f'arn:aws:sqs:{region}:{account}:"
                    "payments-failed'}",
                ),
                "also the dead-letter queue",
                "twice",
                "DeadLetterConfig={'TargetArn': ''}",
            ),
            "on-success-destination": Wrong(
                payments(
                    config="MaximumRetryAttempts=1, "
                    "DestinationConfig={'OnSuccess': {'Destination': failed_arn}}"
                ),
                "no on-failure destination",
                "on-*success*",
            ),
            "default-retries": Wrong(
                payments(config="DestinationConfig={'OnFailure': {'Destination': failed_arn}}"),
                "2 time(s)",
                "MaximumRetryAttempts=1",
            ),
            # Learner trial 9 (PW3): the retries in one put, the destination in a second put,
            # which replaced every setting: the message named the value, not the cause.
            "second-put-resets-retries": Wrong(
                payments(
                    config="MaximumRetryAttempts=1)\n"
                    "lam.put_function_event_invoke_config(FunctionName='payments', "
                    "DestinationConfig={'OnFailure': {'Destination': failed_arn}}"
                ),
                "2 time(s)",
                "replaces every setting",
                "update_function_event_invoke_config",
            ),
            "no-retry": Wrong(
                payments(
                    config="MaximumRetryAttempts=0, "
                    "DestinationConfig={'OnFailure': {'Destination': failed_arn}}"
                ),
                "0 time(s)",
            ),
            # Learner trial 10 (VD10): the role may send, but the queue's policy denies every
            # principal but a producer's role: the message named the role's policy.
            "queue-policy-denies-the-role": Wrong(
                payments() + "sqs.set_queue_attributes(QueueUrl=failed_url, Attributes={'Policy': "
                "json.dumps({'Version': '2012-10-17', 'Statement': [{'Sid': 'OnlyTheProducer', "
                "'Effect': 'Deny', 'Principal': '*', 'Action': 'sqs:SendMessage', 'Resource': "
                "failed_arn, 'Condition': {'StringNotEquals': {'aws:PrincipalArn': "
                "f'arn:aws:iam::{account}:role/orders-producer'}}}]})})\n",
                "queue policy (statement `OnlyTheProducer`) denies",
                "explicit Deny",
            ),
            # Learner trial 11 (BD6): the failure queue encrypted with a customer managed KMS
            # key the role may not use: the record never arrives, and the ❌ named no right.
            "queue-encrypted-with-a-customer-key": Wrong(
                payments() + "key_id = boto3.client('kms').create_key()['KeyMetadata']['KeyId']\n"
                "sqs.set_queue_attributes(QueueUrl=failed_url, "
                "Attributes={'KmsMasterKeyId': key_id})\n",
                "customer managed KMS key",
                "`kms:GenerateDataKey`",
                "`kms:Decrypt`",
            ),
            "missing-send-permission": Wrong(
                payments(allow_call="allow(queue_actions=())"),
                "`sqs:SendMessage`",
                "payments-failed",
            ),
            # Learner trial 6: right code and settings, but "paused" with a reserved
            # concurrency of 0 while looking at the queue, and never resumed: every invoke is
            # throttled (the check crashed on the 429).
            "reserved-concurrency-zero-left-from-a-test": Wrong(
                payments() + "lam.put_function_concurrency(FunctionName='payments', "
                "ReservedConcurrentExecutions=0)  # pause while I look\n",
                "reserved concurrency of 0",
                "delete_function_concurrency",
            ),
            "wrong-queue": Wrong(
                payments(
                    config="MaximumRetryAttempts=1, DestinationConfig={'OnFailure': "
                    "{'Destination': create_queue('orders-failed')[1]}}"
                ),
                "should be the ARN of `payments-failed`",
            ),
            # Learner trial 12 (HD3): `payments-failed` as the on-success destination too; the
            # check's good payments are synchronous, so nothing showed that every successful
            # asynchronous payment would be recorded there as well.
            "on-success-destination-is-the-failure-queue": Wrong(
                payments(
                    config="MaximumRetryAttempts=1, DestinationConfig={'OnFailure': "
                    "{'Destination': failed_arn}, 'OnSuccess': {'Destination': failed_arn}}"
                ),
                "also the on-success destination",
                "condition `Success`",
                "Remove `OnSuccess`",
            ),
            # Learner trial 12 (HD14): a learner's extra rule fails payments over 500; the
            # check's two amounts drawn from 1-999 let it pass one time in four. It now always
            # sends fixed amounts too (1, 12.5, 1000000): run it ten times.
            "rejects-payments-over-a-limit": Wrong(
                payments(
                    "def handler(event, context):\n"
                    "    if 'amount' not in event:\n"
                    "        raise ValueError('no amount')\n"
                    "    if event['amount'] > 500:\n"
                    "        raise ValueError('over the card limit')\n"
                    "    return {'charged': event['amount']}\n"
                ),
                "failed a good payment",
                "over the card limit",
            ),
            # Learner trial 13 (ND10): the falsy test `not event.get("amount")` fails a payment
            # of amount 0, which has an amount; the check's good amounts now include 0.
            "falsy-amount-taken-for-missing": Wrong(
                payments(
                    "def handler(event, context):\n"
                    "    if not event.get('amount'):\n"
                    "        raise ValueError('no amount')\n"
                    "    return {'charged': event['amount']}\n"
                ),
                "failed a good payment",
                "'amount': 0",
                "'amount' not in event",
            ),
        },
        right={
            # Learner trial 12 (HD13): a delay queue (DelaySeconds 900, valid) as the
            # destination: on AWS the record arrives 15 minutes later; the check read it as
            # missing and said only "did not reach". It now reads how the event ended.
            "failure-queue-with-delivery-delay": payments()
            + "sqs.set_queue_attributes(QueueUrl=failed_url, Attributes={'DelaySeconds': '900'})\n",
            # Learner trial 12 (HD5): q2's solution run in the notebook, then a right q1 made
            # with the notebook's `deploy`: the solution rebound `role_arn` (and `account`), so
            # `payments` got `deposits-role`. Solutions now use names of their own.
            "after-q2-solution-in-the-notebook": SETUP
            + "from helpers.exercises import notebook_05\n"
            "exec(notebook_05.q2.solution_code, globals())\n" + payments()[len(SETUP) :],
            # Learner trial 9 (PD7): the role may not send, the queue's own policy lets the role
            # send (one account: either policy is enough); the kit's IAM reads both.
            "queue-policy-grants-the-role": payments(allow_call="allow(queue_actions=())")
            + "sqs.set_queue_attributes(QueueUrl=failed_url, Attributes={'Policy': json.dumps({"
            "'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': "
            "f'arn:aws:iam::{account}:role/async-role'}, 'Action': 'sqs:SendMessage', "
            "'Resource': failed_arn}]})})\n",
            # Learner trial 11 (BD6): the same customer managed key, which the role may use.
            "queue-encrypted-with-a-key-the-role-may-use": payments(
                allow_call="key_arn = boto3.client('kms').create_key()['KeyMetadata']['Arn']\n"
                "allow()\n"
                "iam.put_role_policy(RoleName='async-role', PolicyName='failure-key', "
                "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': "
                "'Allow', 'Action': ['kms:GenerateDataKey', 'kms:Decrypt'], "
                "'Resource': key_arn}]}))"
            )
            + "sqs.set_queue_attributes(QueueUrl=failed_url, "
            "Attributes={'KmsMasterKeyId': key_arn})\n",
            # Learner trial 13 (ND4): the dead-letter queue removed as the ❌ says.
            "dead-letter-queue-removed-as-advised": payments(
                settings="DeadLetterConfig={'TargetArn': f'arn:aws:sqs:{region}:{account}:"
                "payments-failed'}",
            )
            + "lam.update_function_configuration(FunctionName='payments', "
            "DeadLetterConfig={'TargetArn': ''})\n"
            "lam.get_waiter('function_updated_v2').wait(FunctionName='payments')\n",
            "key-error-does-it": payments(
                "def handler(event, context):\n"
                "    # a payment without an amount raises KeyError\n"
                "    return {'id': event['payment_id'], 'charged': event['amount'] * 100}\n",
                config="MaximumRetryAttempts=1",
            )
            + "lam.update_function_event_invoke_config(FunctionName='payments', "
            "DestinationConfig={'OnFailure': {'Destination': failed_arn}})\n",
            "own-role-and-event-age": SETUP
            + """
failed_url, failed_arn = create_queue("payments-failed")
own = execution_role("payments-own-role")
iam.put_role_policy(RoleName="payments-own-role", PolicyName="failures", PolicyDocument=
    json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Action": ["sqs:SendMessage", "sqs:GetQueueUrl"], "Resource": failed_arn}]}))
try:
    lam.delete_function(FunctionName="payments")
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(FunctionName="payments", Runtime="python3.12", Role=own,
                    Handler="pay.main", Code={"ZipFile": zip_bytes({"pay.py": '''
class MissingAmount(Exception):
    pass


def main(event, context):
    amount = event.get("amount")
    if amount is None:
        raise MissingAmount(event.get("payment_id"))
    print("charging", amount)
    return None
'''})})
lam.get_waiter("function_active_v2").wait(FunctionName="payments")
lam.put_function_event_invoke_config(FunctionName="payments", MaximumRetryAttempts=1,
    MaximumEventAgeInSeconds=3600,
    DestinationConfig={"OnFailure": {"Destination": failed_arn}})
""",
        },
        broken="fails-every-payment",
    ),
    "q2": Answers(
        wrong={
            # Learner trial 6: the table's key `pk` of type N; every write of a string key is
            # refused. First, so that the sequence runs solution() after it: the solution must
            # replace the table (it kept it, as its key's name was right).
            "table-key-of-type-number": Wrong(
                deposits(conditional()).replace("\ncreate_bank()\n", BANK_KEY_NUMBER, 1),
                "of type N",
                "strings",
                "'AttributeType': 'S'",
            ),
            "counts-every-delivery": Wrong(deposits(COUNTS_EVERY_TIME), "counted again"),
            "get-then-write-race": Wrong(
                deposits(
                    GET_THEN_WRITE,
                    "('dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem')",
                ),
                "at the same time",
                "counted twice",
                "conditional write",
            ),
            # Learner trial 9: now met by the copy in a new execution environment first.
            "in-memory-seen-set": Wrong(deposits(IN_MEMORY), "counted", "in memory"),
            # Learner trial 12 (HD15): the same read-then-write behind a reserved concurrency of
            # 1: AWS runs one copy at a time, so the race the message described can't happen
            # there; it now says what the limit costs and that the handler itself isn't safe.
            "get-then-write-behind-concurrency-one": Wrong(
                deposits(
                    GET_THEN_WRITE,
                    "('dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem')",
                )
                + "lam.put_function_concurrency(FunctionName='deposits', "
                "ReservedConcurrentExecutions=1)\n",
                "reserved concurrency of 1",
                "throttles every other call",
                "conditional write",
                "delete_function_concurrency",
            ),
            "raises-on-duplicate": Wrong(deposits(RAISES_ON_DUPLICATE), "failed", "must succeed"),
            "request-id-as-key": Wrong(
                deposits(conditional(key='"deposit#" + context.aws_request_id')),
                "counted again",
            ),
            # Learner trial 10 (VW6): the message asked about the idempotency key.
            "set-not-add": Wrong(
                deposits(conditional(update="SET balance = :a")),
                "replaces `balance` instead of adding",
                "ADD balance :amount",
            ),
            "hard-coded-amount": Wrong(deposits(conditional(amount='"1"')), "changed by 1,"),
            "remembers-only-the-last-deposit": Wrong(
                deposits(LAST_DEPOSIT_ONLY), "late retry", "counted again"
            ),
            # Learner trial 13 (NW3): the condition tests `deposit_id`, an attribute the
            # marker item (only `pk`) never has: true every time, so a repeat counts again.
            "condition-on-an-attribute-the-marker-lacks": Wrong(
                deposits(
                    conditional().replace(
                        "attribute_not_exists(pk)", "attribute_not_exists(deposit_id)"
                    )
                ),
                "counted again",
                "`attribute_not_exists(deposit_id)` tests an attribute",
                "true every time",
            ),
            # Learner trial 13 (ND6): a window of the last N ids (3 in the trial, 10 here)
            # passed, the late retry coming after two newer deposits; now after 14-26.
            "remembers-only-the-last-n-deposits": Wrong(
                deposits(RECENT_WINDOW), "late retry", "counted again", "window of recent ones"
            ),
            # Learner trial 7 (G D6): the account item opened with `balance` as the string
            # "0" through the resource API; every ADD fails. solution() after it must start
            # that item afresh (tests/test_nb05_solution_resets.py runs it).
            "balance-initialised-as-string": Wrong(
                deposits(conditional()).replace("\ncreate_bank()\n", BALANCE_AS_STRING, 1),
                "ValidationException",
                "`balance` as type S ('0')",
                "Delete that item",
            ),
            "table-keyed-on-id": Wrong(
                deposits(conditional()).replace("\ncreate_bank()\n", BANK_KEYED_ON_ID, 1),
                "keyed on `id` (HASH)",
                "partition key `pk`",
            ),
            "swallows-every-error": Wrong(
                deposits(SWALLOWS_EVERY_ERROR), "changed by 0", "AccessDenied", "is lost"
            ),
            # A learner trial: passed, as the kit's environments share one str-hash salt; on
            # AWS each environment salts hash() at random, so copies get different keys.
            "python-hash-as-key": Wrong(
                deposits(
                    "import json\n"
                    + conditional(key='"deposit#%d" % hash(json.dumps(event, sort_keys=True))')
                ),
                "built-in `hash(...)`",
                "salted",
                "hashlib",
            ),
            # Learner trial 9 (PD14): the key made with `str.__hash__()`, the same salted hash
            # as `hash()`; the check's source scan looked for `hash` alone.
            "dunder-hash-as-key": Wrong(
                deposits(
                    conditional(key='"deposit#%x" % (event["deposit_id"].__hash__() & 0xFFFFFF)')
                ),
                "`__hash__`",
                "salted",
            ),
            # Learner trial 9 (PD14): the same hash, spelt so that no scan of the source sees
            # it; the copy in a new environment (a process of its own) gets another key.
            "hash-through-getattr": Wrong(
                deposits(
                    conditional(key='"deposit#%d" % getattr(event["deposit_id"], "__hash__")()')
                ),
                "new execution environment",
                "counted again",
                "depends on the environment",
                "salted",
            ),
            # Learner trial 9 (PD9): the record expires after 60 s (Powertools-style, by hand):
            # a copy later than that counts again; the check's copies all came within seconds.
            "marker-expires-too-soon": Wrong(
                deposits(EXPIRES_AFTER.replace("EXPIRY", "60")),
                "as if 6 hours had passed",
                "counted again",
                "`expires_at` ran out about a minute after",
            ),
            # Learner trial 9 (PD8): "DynamoDB has an idempotency token": an unconditional
            # transaction with ClientRequestToken=deposit_id, which dedupes for 10 minutes only.
            "client-request-token-as-idempotency": Wrong(
                deposits(CLIENT_REQUEST_TOKEN),
                "counted again",
                "`ClientRequestToken`",
                "10 minutes",
                "conditional write",
            ),
            # Learner trial 10 (VD5): every TransactionCanceledException taken for a repeat;
            # on AWS one cancelled for a conflict with another deposit's transaction is lost.
            "any-cancellation-taken-for-a-duplicate": Wrong(
                deposits(conditional(duplicate="True")),
                "`TransactionConflict`",
                "the deposit is lost",
                "`CancellationReasons`",
            ),
            # Learner trial 10 (VD15): records valid for an hour, their time as ISO text or
            # in nanoseconds; a copy 6 hours later counts again.
            "marker-expires-after-an-hour-iso-text": Wrong(
                deposits(SEEN_AT_ISO), "as if 6 hours had passed", "counted again"
            ),
            "marker-expires-after-an-hour-nanoseconds": Wrong(
                deposits(SEEN_NS), "as if 6 hours had passed", "counted again"
            ),
            # Learner trial 10 (VD16): the marker's key carries the current hour; a retry in
            # a later hour writes a new marker. The check's late copy now runs the handler
            # with its clock 6 hours ahead.
            # Learner trial 10 (VD15): `time` imported inside the handler, which the check's
            # clock can't reach: the record's times are moved back instead.
            "marker-expires-too-soon-time-imported-in-the-handler": Wrong(
                deposits(
                    EXPIRES_AFTER.replace("EXPIRY", "60")
                    .replace("import time\n", "", 1)
                    .replace(
                        "    now = int(time.time())", "    import time\n    now = int(time.time())"
                    )
                ),
                "moved the times in its record back by 6 hours",
                "`expires_at` ran out about a minute after",
            ),
            # (Bucketed by 6 hours, not 1: the late copy, 6 hours ahead, always lands in the
            # next bucket, and a check run crossing a bucket's end, which would be caught by an
            # earlier step in other words, is 6 times rarer.)
            "key-bucketed-by-hour": Wrong(
                deposits(
                    "import time\n"
                    + conditional(
                        key='"deposit#%d#%s" % (time.time() // 21600, event["deposit_id"])'
                    )
                ),
                "clock 6 hours ahead",
                "counted again",
                "not of the time",
            ),
            # Learner trial 11 (BD7): the Update of `account` has its own condition,
            # `attribute_exists(balance)`, which cancels every first deposit (no balance yet),
            # and the handler takes any ConditionalCheckFailed for a repeat: the ❌ asked for
            # `ADD balance :amount`, which it had.
            "update-condition-account-must-exist": Wrong(
                deposits(
                    conditional(
                        duplicate='any(r.get("Code") == "ConditionalCheckFailed" '
                        'for r in err.response["CancellationReasons"])'
                    ).replace(
                        '"UpdateExpression": "ADD balance :a",',
                        '"UpdateExpression": "ADD balance :a", '
                        '"ConditionExpression": "attribute_exists(balance)",',
                    )
                ),
                "changed by 0",
                "[None, ConditionalCheckFailed]",
                "`attribute_exists(balance)` of its Update of the item `account`",
                "as if the deposit were a repeat",
            ),
            # Learner trial 11 (BD11): hash() with PYTHONHASHSEED=0 set on the function: the
            # salt is fixed, so the ❌ must not say it is random, but hash() is still no
            # stable digest (it changed with Python 3.11, and with the variable).
            "hash-with-fixed-pythonhashseed": Wrong(
                deposits(
                    conditional(key='"deposit#" + str(hash(event["deposit_id"]))'),
                    settings="Environment={'Variables': {'PYTHONHASHSEED': '0'}}",
                ),
                "`PYTHONHASHSEED=0`",
                "no stable digest",
                "Python version",
                "hashlib",
            ),
            "missing-table-permission": Wrong(
                deposits(conditional(), "('dynamodb:PutItem',)"), "AccessDenied"
            ),
            # A learner trial: the marker keyed on the amount; a later deposit of the same
            # amount (another deposit_id) is taken for a repeat, and its money is lost.
            "key-on-the-amount": Wrong(
                deposits(conditional(key='"deposit#" + str(event["amount"])')),
                "same amount",
                "taken for a repeat",
                "key the idempotency marker on the `deposit_id`",
            ),
            # Learner trial 13 (ND9): a conflict tried once more, then swallowed: a second
            # conflict in a row loses the deposit (the check cancelled only the first).
            "conflict-retried-once-then-swallowed": Wrong(
                deposits(
                    RETRIES_CONFLICTS.replace("range(5)", "range(2)").replace(
                        "attempt == 4", "attempt == 99"
                    )
                    + "    return {'added': False}\n"
                ),
                "returned normally without counting it",
                "tried 2 times",
                "raise the error after the last try",
            ),
        },
        right={
            # Learner trial 10 (VW10): right as far as the task goes, but the set of ids on
            # `account` grows with every deposit: past DynamoDB's 400 KB item limit every
            # update fails. A marker item per deposit has no such limit.
            "one-conditional-update": deposits(ONE_CONDITIONAL_UPDATE),
            # Learner trial 10 (VD15): the record's time as ISO text, valid for a day: the copy
            # 6 hours later (the handler's clock ahead) is still a repeat.
            "marker-kept-a-day-iso-text": deposits(SEEN_AT_ISO.replace("hours=1", "days=1")),
            # Learner trial 10 (VD5): a conflict tried again in the handler; only a failed
            # condition is a repeat.
            "conflict-retried-in-the-handler": deposits(RETRIES_CONFLICTS),
            "conditional-put-then-update": deposits(PUT_THEN_UPDATE),
            "hashlib-digest-as-key": deposits(
                "import hashlib, json\n"
                + conditional(
                    key='"deposit#" + hashlib.sha256(json.dumps(event, sort_keys=True)'
                    ".encode()).hexdigest()"
                )
            ),
            "notebook-transaction-other-key": deposits(
                conditional(key="f\"seen-{event['deposit_id']}\"")
            ),
            # Found by a learner trial (refused while the kit's DynamoDB returned only changed
            # attributes): a test-and-set marker read from UPDATED_OLD.
            "test-and-set-updated-old": deposits(TEST_AND_SET),
            # Learner trial 7 (G D7): the marker's key made from `__name__` and the handler's
            # name, as Powertools' idempotency records are; on AWS every environment imports
            # the handler's module as `app`, so both copies have the same key (the check
            # loaded them as `_check_0_app` and `_check_1_app`).
            "key-namespaced-by-module": deposits(
                conditional(key="f\"{__name__}.{handler.__qualname__}#{event['deposit_id']}\"")
            ),
            # Learner trial 9 (PD9): the same record valid for a day, with DynamoDB's TTL on it.
            "marker-expires-after-a-day-with-ttl": deposits(
                EXPIRES_AFTER.replace("EXPIRY", "86400")
            ).replace(
                "\ndeploy(",
                "\nboto3.client('dynamodb').update_time_to_live(TableName='bank', "
                "TimeToLiveSpecification={'Enabled': True, 'AttributeName': 'expires_at'})"
                "\ndeploy(",
                1,
            ),
            # Learner trial 12 (HD5): q1's solution run in the notebook, then a right q2 made
            # with the notebook's `deploy`: the solution rebound `role_arn`, so `deposits` got
            # `payments-role` (SQS only). Solutions now use names of their own.
            "q2-after-q1-solution-rebinds-role-arn": SETUP
            + "from helpers.exercises import notebook_05\n"
            "exec(notebook_05.q1.solution_code, globals())\n"
            + deposits(conditional())[len(SETUP) :],
            # Learner trial 13 (ND12): the marker's key and the repeat test come from a layer
            # (`python/idem.py`, on /opt/python on AWS); the check's in-process environments
            # ignored the function's layers (ModuleNotFoundError: No module named 'idem').
            "idempotency-helpers-in-a-layer": SETUP
            + "allow()\ncreate_bank()\n"
            + "layer_arn = lam.publish_layer_version(LayerName='idempotency', Content={'ZipFile': "
            + f"zip_bytes({{'python/idem.py': {IDEM!r}}})}})['LayerVersionArn']\n"
            + "deploy('deposits', '''"
            + conditional(key="marker_key(event)", duplicate="is_repeat(err)").replace(
                "import boto3\n", "import boto3\nfrom idem import is_repeat, marker_key\n", 1
            )
            + "''', Layers=[layer_arn])\n",
            # Learner trial 13 (ND13): the table's name read at Init from a file next to the
            # code, found by LAMBDA_TASK_ROOT, which Lambda sets in every environment (the
            # check's environments had none: KeyError 'LAMBDA_TASK_ROOT').
            "config-file-from-lambda-task-root": package(
                {
                    "app.py": "import json, os\nCONFIG = json.load(open(os.path.join("
                    "os.environ['LAMBDA_TASK_ROOT'], 'config.json')))\n"
                    + conditional().replace('"TableName": "bank"', '"TableName": CONFIG["table"]'),
                    "config.json": '{"table": "bank"}',
                },
            ),
            # Learner trial 13 (ND14): the handler's module is a package (`deposits/
            # __init__.py`, Handler `deposits.handler`), which Lambda imports by name; the
            # check looked for `deposits.py`.
            "handler-module-is-a-package": package(
                {"deposits/__init__.py": conditional()}, handler="deposits.handler"
            ),
            # Learner trial 13 (ND14): Handler `src/app.handler`, and app.py imports its key
            # with a relative import: Lambda imports `src.app`, so it works there; the check
            # loaded the file as a module `src/app` (ImportError: no known parent package).
            "handler-in-src-folder-relative-import": package(
                {
                    "src/app.py": "from .keys import marker_key\n"
                    + conditional(key="marker_key(event)"),
                    "src/keys.py": "def marker_key(event):\n"
                    '    return "deposit#" + event["deposit_id"]\n',
                },
                handler="src/app.handler",
            ),
            # Learner trial 13 (ND13): a namespace for the marker's key read at Init from
            # AWS_LAMBDA_FUNCTION_NAME (as Powertools does), which Lambda sets before Init.
            "key-namespaced-by-function-name-at-init": deposits(
                "import os\nFUNCTION = os.environ['AWS_LAMBDA_FUNCTION_NAME']\n"
                + conditional(key="FUNCTION + '#' + event['deposit_id']")
            ),
        }
        | (
            # Learner trial 13 (ND5): an f-string that reuses its quotes (PEP 701), which
            # python3.13 reads and the kit's own Python (3.11) may not: the check's in-process
            # environments called it a syntax error. Listed when the kit's Lambda can run it.
            {"pep701-fstring-key": deposits(conditional(key='f"deposit#{event["deposit_id"]}"'))}
            if KIT_VERSION >= (3, 13) or find((3, 13)) is not None
            else {}
        ),
        broken="counts-every-delivery",
    ),
}
