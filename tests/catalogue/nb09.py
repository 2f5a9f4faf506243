"""Notebook 09: q1 an idempotent `pay`; q2 who retries which failure; q3 a safe Lambda client."""

from helpers.exercises.nb09_errors import _PAY_SOLUTION
from tests.catalogue import Answers, Wrong

ROLE = 'role("pay-role", allow(["dynamodb:PutItem"], "payments"))'  # the task's role

# The notebook's shortcuts (its set-up cells), as a learner's cell has them.
SETUP = """
import contextlib
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
dynamodb = boto3.client("dynamodb")
iam = boto3.client("iam")
account = boto3.client("sts").get_caller_identity()["Account"]
region = lam.meta.region_name


def deploy(name, source, role_arn, **settings):
    with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
        lam.delete_function(FunctionName=name)
    lam.create_function(FunctionName=name, Runtime="python3.13", Role=role_arn,
                        Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py": source})},
                        **settings)
    lam.get_waiter("function_active_v2").wait(FunctionName=name)


def create_table(name, key="pk"):
    with contextlib.suppress(dynamodb.exceptions.ResourceInUseException):
        dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    dynamodb.get_waiter("table_exists").wait(TableName=name)


def allow(actions, *tables):
    return {"Effect": "Allow", "Action": actions,
            "Resource": [f"arn:aws:dynamodb:{region}:{account}:table/{t}" for t in tables]}


def role(name, *statements):
    arn = execution_role(name)
    if statements:
        document = {"Version": "2012-10-17", "Statement": list(statements)}
        iam.put_role_policy(RoleName=name, PolicyName=name, PolicyDocument=json.dumps(document))
    return arn
"""


def pay(body: str, actions: str = '["dynamodb:PutItem"]', prelude: str = "") -> str:
    """The answer cell of q1: `pay` deployed with this handler body, its role allowed `actions`
    (and `prelude`, module-level code of the handler's file)."""
    return (
        SETUP
        + f'''
pay_source = """
import json

import boto3

dynamodb = boto3.client("dynamodb")
{prelude}

def handler(event, context):
    key = event["headers"]["idempotency-key"]
    amount = json.loads(event["body"])["amount"]
{body}
"""
create_table("payments")
deploy("pay", pay_source, role("pay-role", allow({actions}, "payments")))
'''
    )


# The conditional write of the solution, as a handler body.
CONDITIONAL = """
    try:
        dynamodb.put_item(
            TableName="payments",
            Item={"pk": {"S": "charge#" + key}, "charge_id": {"S": context.aws_request_id},
                  "amount": {"N": str(amount)}},
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
        charge_id = context.aws_request_id
    except dynamodb.exceptions.ConditionalCheckFailedException as err:
        charge_id = err.response["Item"]["charge_id"]["S"]
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
"""

# The conditional write of the solution, with an idempotency window of WINDOW_S seconds.
WINDOW = """
    import time
    now = int(time.time())
    try:
        dynamodb.put_item(TableName="payments",
            Item={"pk": {"S": "charge#" + key}, "charge_id": {"S": context.aws_request_id},
                  "amount": {"N": str(amount)}, "expires_at": {"N": str(now + WINDOW_S)}},
            ConditionExpression="attribute_not_exists(pk) OR expires_at < :now",
            ExpressionAttributeValues={":now": {"N": str(now)}},
            ReturnValuesOnConditionCheckFailure="ALL_OLD")
        charge_id = context.aws_request_id
    except dynamodb.exceptions.ConditionalCheckFailedException as err:
        charge_id = err.response["Item"]["charge_id"]["S"]
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
"""

Q1 = Answers(
    wrong={
        # Learner trial 13 (OW2): AWS's AmazonDynamoDBFullAccess attached while debugging, and
        # forgotten: the ❌ listed some 50 actions one by one and never said "detach it".
        "managed-full-access-attached": Wrong(
            pay(CONDITIONAL) + "iam.attach_role_policy(RoleName='pay-role', "
            "PolicyArn='arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess')\n",
            "the managed policy `AmazonDynamoDBFullAccess` attached",
            "detach_role_policy(RoleName='pay-role', "
            "PolicyArn='arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess')",
            "only `dynamodb:PutItem`",
        ),
        # The skeleton as given: every copy is a new item.
        "keyed-on-request-id": Wrong(
            pay(
                """
    charge_id = context.aws_request_id
    dynamodb.put_item(TableName="payments",
                      Item={"pk": {"S": f"charge#{charge_id}"}, "amount": {"N": str(amount)}})
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
"""
            ),
            "4 charges",
            "attribute_not_exists",
        ),
        # Found by a learner trial: keyed on the key and the amount, so a copy whose body
        # changed is charged again.
        "keyed-on-key-and-amount": Wrong(
            pay(CONDITIONAL.replace('"charge#" + key', 'f"charge#{key}#{amount}"')),
            "2 charges",
            "sent 4 times",
        ),
        # Keyed on the header, unconditional, with an id derived from the key: every answer is
        # the same and one item remains, but each copy rewrites (charges) it again.
        "unconditional-put-same-id": Wrong(
            pay(
                """
    charge_id = "ch_" + key
    dynamodb.put_item(TableName="payments",
                      Item={"pk": {"S": "charge#" + key}, "charge_id": {"S": charge_id},
                            "amount": {"N": str(amount)}})
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
"""
            ),
            "without a condition",
            "rewrote the first charge",
        ),
        # Found by a learner trial (its message said "unconditional"): a condition that a
        # repeat of the same amount meets, so the repeat rewrites the charge.
        "condition-a-repeat-meets": Wrong(
            pay(
                """
    charge_id = context.aws_request_id
    try:
        dynamodb.put_item(
            TableName="payments",
            Item={"pk": {"S": "charge#" + key}, "charge_id": {"S": charge_id},
                  "amount": {"N": str(amount)}},
            ConditionExpression="attribute_not_exists(pk) OR amount = :a",
            ExpressionAttributeValues={":a": {"N": str(amount)}},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except dynamodb.exceptions.ConditionalCheckFailedException as err:
        charge_id = err.response["Item"]["charge_id"]["S"]
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
"""
            ),
            "a condition a repeat meets too",
            "rewrote the first charge",
        ),
        # Learner trial 13 (OD7): a placeholder the condition uses but no value defines. The
        # local AWS answered 500 ("the teaching kit failed"); DynamoDB refuses it with a
        # ValidationException, so the first payment already fails.
        "condition-value-placeholder-undefined": Wrong(
            pay(
                CONDITIONAL.replace(
                    'ConditionExpression="attribute_not_exists(pk)",',
                    'ConditionExpression="attribute_not_exists(pk) OR charge_id = :id",',
                )
            ),
            "ValidationException",
            "the payment sent the first time",
        ),
        # Learner trial 13 (OD5): a string set holding the same key twice; the local AWS stored
        # it, DynamoDB refuses a set with duplicates ("Input collection ... contains
        # duplicates").
        "string-set-with-duplicates": Wrong(
            pay(
                CONDITIONAL.replace(
                    '"amount": {"N": str(amount)}},',
                    '"amount": {"N": str(amount)}, "keys": {"SS": [key, key]}},',
                )
            ),
            "contains duplicates",
            "the payment sent the first time",
        ),
        # Unconditional, answering with the item it replaced: the first repeat gets the first
        # id, but the item is rewritten every time.
        "unconditional-put-all-old": Wrong(
            pay(
                """
    old = dynamodb.put_item(TableName="payments",
                            Item={"pk": {"S": "charge#" + key},
                                  "charge_id": {"S": context.aws_request_id},
                                  "amount": {"N": str(amount)}},
                            ReturnValues="ALL_OLD").get("Attributes")
    charge_id = old["charge_id"]["S"] if old else context.aws_request_id
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
"""
            ),
            "rewrote the first charge",
            "ConditionExpression",
        ),
        # Conditional, but a repeat answers with its own request id.
        "repeat-gets-new-id": Wrong(
            pay(
                """
    try:
        dynamodb.put_item(TableName="payments",
                          Item={"pk": {"S": "charge#" + key},
                                "charge_id": {"S": context.aws_request_id}},
                          ConditionExpression="attribute_not_exists(pk)")
    except dynamodb.exceptions.ConditionalCheckFailedException:
        pass
    return {"statusCode": 201, "body": json.dumps({"charge_id": context.aws_request_id})}
"""
            ),
            "different charge ids",
            "ALL_OLD",
        ),
        # Conditional, but keyed on API Gateway's request id: new for every request.
        "keyed-on-api-request-id": Wrong(
            pay(
                """
    request = event["requestContext"]["requestId"]
    try:
        dynamodb.put_item(TableName="payments",
                          Item={"pk": {"S": "charge#" + request},
                                "charge_id": {"S": context.aws_request_id}},
                          ConditionExpression="attribute_not_exists(pk)",
                          ReturnValuesOnConditionCheckFailure="ALL_OLD")
        charge_id = context.aws_request_id
    except dynamodb.exceptions.ConditionalCheckFailedException as err:
        charge_id = err.response["Item"]["charge_id"]["S"]
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
"""
            ),
            "4 charges",
            "request id",
        ),
        # Keyed on the amount: a copy whose amount changed is charged again (and a new
        # payment of the same amount would be taken for a repeat).
        "keyed-on-amount": Wrong(
            pay(CONDITIONAL.replace('"charge#" + key', '"charge#" + str(amount)')),
            "2 charges",
            "key the charge on the header",
        ),
        # Reads first, then writes: a race, and a right the task forbids.
        "get-then-put-over-broad-role": Wrong(
            pay(
                """
    found = dynamodb.get_item(TableName="payments", Key={"pk": {"S": "charge#" + key}})
    if "Item" in found:
        charge_id = found["Item"]["charge_id"]["S"]
    else:
        charge_id = context.aws_request_id
        dynamodb.put_item(TableName="payments",
                          Item={"pk": {"S": "charge#" + key}, "charge_id": {"S": charge_id}})
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
""",
                actions='["dynamodb:PutItem", "dynamodb:GetItem"]',
            ),
            "dynamodb:GetItem",
            "not needed",
        ),
        # Found by a learner trial: "idempotent" through a module-level dict in front of an
        # unconditional put. Repeats that reach the same warm environment are answered from
        # memory; a copy in another environment (a concurrent retry, a cold start) charges again.
        "memory-cache-per-environment": Wrong(
            pay(
                """
    if key in SEEN:
        return {"statusCode": 201, "body": json.dumps({"charge_id": SEEN[key]})}
    charge_id = context.aws_request_id
    dynamodb.put_item(TableName="payments",
                      Item={"pk": {"S": "charge#" + key}, "charge_id": {"S": charge_id},
                            "amount": {"N": str(amount)}})
    SEEN[key] = charge_id
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
""",
                prelude="SEEN = {}",
            ),
            "new execution environment",
            "Memory is per execution environment",
            "attribute_not_exists",
        ),
        # Found by a learner trial: the condition the wrong way round. The first payment is
        # refused (no item yet), and there is no old item to read: KeyError 'Item'.
        "flipped-condition": Wrong(
            pay(CONDITIONAL.replace("attribute_not_exists(pk)", "attribute_exists(pk)")),
            "the first time, with a key never seen before",
            "wrong way round",
            "`attribute_exists(pk)`",
        ),
        # Found by a learner trial: the stored charge id read without its type wrapper, so the
        # repeats answer {"S": "..."}.
        "forgot-type-wrapper": Wrong(
            pay(CONDITIONAL.replace('["charge_id"]["S"]', '["charge_id"]')),
            "{'S': ",
            "['S']",
        ),
        # Learner trial 6: the item stores the amount but not the charge_id, so a repeat finds
        # no id in ALL_OLD's item and answers null (the message said only "wrong shape").
        "charge-id-never-stored": Wrong(
            pay(
                """
    charge_id = context.aws_request_id
    try:
        dynamodb.put_item(TableName="payments",
            Item={"pk": {"S": "charge#" + key}, "amount": {"N": str(amount)}},
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD")
    except dynamodb.exceptions.ConditionalCheckFailedException as err:
        charge_id = err.response.get("Item", {}).get("charge_id", {}).get("S")
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
"""
            ),
            "charge_id is empty",
            "doesn't hold it",
            "store the charge_id",
        ),
        # Learner trial 6: the conditional put is right, but a repeat whose amount changed
        # "brings the record up to date" with a second, unconditional put (the message blamed
        # a cache in memory, which this answer doesn't have).
        "repeat-rewrites-changed-amount": Wrong(
            pay(
                """
    charge_id = context.aws_request_id
    try:
        dynamodb.put_item(TableName="payments",
            Item={"pk": {"S": "charge#" + key}, "charge_id": {"S": charge_id},
                  "amount": {"N": str(amount)}},
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD")
    except dynamodb.exceptions.ConditionalCheckFailedException as err:
        old = err.response["Item"]
        charge_id = old["charge_id"]["S"]
        if old["amount"]["N"] != str(amount):
            dynamodb.put_item(TableName="payments",
                Item={"pk": {"S": "charge#" + key}, "charge_id": {"S": charge_id},
                      "amount": {"N": str(amount)}})
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
"""
            ),
            "the repeat whose amount had changed",
            "replaced it",
            "must write nothing",
        ),
        # Learner trial 7: keyed on Python's hash() of the header. str hashes are salted per
        # process, and each execution environment is a process of its own: the copies in a new
        # environment are charged again under another key. It passed while the kit's
        # environments were all forked from one interpreter, sharing its salt.
        "python-hash-key": Wrong(
            pay(CONDITIONAL.replace('"charge#" + key', '"charge#" + str(hash(key))')),
            "new execution environment again, under another key",
            "`hash()`",
            "own hash salt",
        ),
        # Learner trial 7: the conditional put is right, but each repeat also puts an audit
        # item in `payments` (the message blamed a charge keyed on the request id).
        "audit-item-per-retry": Wrong(
            pay(
                CONDITIONAL.replace(
                    '        charge_id = err.response["Item"]["charge_id"]["S"]\n',
                    '        charge_id = err.response["Item"]["charge_id"]["S"]\n'
                    "        dynamodb.put_item(TableName='payments', Item={\n"
                    "            'pk': {'S': 'retry#' + context.aws_request_id},\n"
                    "            'of': {'S': key}, 'charge_id': {'S': charge_id}})\n",
                )
            ),
            "kept the first charge",
            "`retry#",
            "items of their own",
        ),
        # The header's name as the client sends it: HTTP APIs pass it in lower case.
        "header-case": Wrong(
            pay(CONDITIONAL).replace(
                'event["headers"]["idempotency-key"]', 'event["headers"]["Idempotency-Key"]'
            ),
            "failed",
            "KeyError",
        ),
        # Learner trial 9 (RD2): an idempotency window of one second (`OR expires_at < :now`):
        # the copies that come later are charged again. The message blamed a cache in memory,
        # which this answer doesn't have. Whether the check's own copies come within the
        # second or not, the message names the window.
        "expiry-window-too-short": Wrong(
            pay(WINDOW.replace("WINDOW_S", "1")),
            "`expires_at`",
            "idempotency window must outlast every retry",
        ),
        # Learner trial 9 (RD2): the same with a 5-minute window, which the check's own copies
        # never outlast: the check moves the item's times back 15 minutes, as if a repeat came
        # that much later (a caller retrying after a timeout), without waiting.
        "expiry-window-minutes": Wrong(
            pay(WINDOW.replace("WINDOW_S", "300")),
            "15 minutes later",
            "`expires_at`",
            "idempotency window must outlast every retry",
        ),
        # Learner trial 9 (RD2's kin): the solution's condition, and a TTL of 5 minutes on the
        # table: DynamoDB may delete the item any time after, and a later repeat is charged.
        "ttl-minutes": Wrong(
            pay(
                CONDITIONAL.replace(
                    '"amount": {"N": str(amount)}},',
                    '"amount": {"N": str(amount)},\n'
                    '            "expires_at": {"N": str(int(__import__("time").time()) + 300)}},',
                )
            )
            + "dynamodb.update_time_to_live(TableName='payments', TimeToLiveSpecification={\n"
            "    'Enabled': True, 'AttributeName': 'expires_at'})\n",
            "15 minutes later",
            "TTL on `expires_at`",
            "idempotency window must outlast every retry",
        ),
        # Learner trial 9 (RD3): ReturnValues='ALL_OLD' instead of
        # ReturnValuesOnConditionCheckFailure: a refused put's error carries no Item, so the
        # repeat fails with KeyError 'Item' (the message spoke of AccessDenied).
        "returnvalues-instead-of-on-condition-check-failure": Wrong(
            pay(
                CONDITIONAL.replace(
                    'ReturnValuesOnConditionCheckFailure="ALL_OLD"', 'ReturnValues="ALL_OLD"'
                )
            ),
            "the second time",
            "KeyError",
            "`ReturnValues='ALL_OLD'` is for a put that goes through",
        ),
        # Learner trial 9 (RW1): the header read in the client's capitals with `.get`, falling
        # back on the request id: an HTTP API gives header names in lower case, so every copy
        # is a new charge. The message now names the header's spelling (read from the code).
        "header-case-fallback-to-request-id": Wrong(
            pay(
                CONDITIONAL.replace(
                    "    try:\n",
                    '    key = event["headers"].get("Idempotency-Key") or context.aws_request_id\n'
                    "    try:\n",
                    1,
                )
            ),
            "4 charges",
            "header names in lower case",
        ),
        # Learner trial 11 (DW10): the check run after a kernel restart, the answer not run
        # again: the kit's local AWS starts empty, and the message now says so.
        # Learner trial 12 (JD2): the key bucketed by the day (UTC): a repeat after midnight
        # gets a new item and a new charge. It passed: the check's repeats come within seconds.
        "key-bucketed-by-day": Wrong(
            pay(
                CONDITIONAL.replace(
                    '"charge#" + key',
                    '"charge#" + key + "#" + time.strftime("%Y-%m-%d", time.gmtime())',
                ),
                prelude="import time",
            ),
            "keys the charge on the header and on the time",
            "its day, its hour",
            "after a timeout",
            "header alone",
        ),
        # Learner trial 12 (JD2): the same with the hour's number, epoch seconds // 3600.
        "key-bucketed-by-hour": Wrong(
            pay(
                CONDITIONAL.replace(
                    '"charge#" + key', 'f"charge#{key}#{int(time.time() // 3600)}"'
                ),
                prelude="import time",
            ),
            "keys the charge on the header and on the time",
            "header alone",
        ),
        # Learner trial 12 (JD8): the task's role, plus a permissions boundary that allows only
        # logging: the boundary refuses the put. The message didn't say why; it names it now.
        "permissions-boundary-without-putitem": Wrong(
            pay(CONDITIONAL) + "boundary = iam.create_policy(PolicyName='logs-only-boundary', "
            "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{\n"
            "    'Effect': 'Allow', 'Action': ['logs:CreateLogGroup', 'logs:CreateLogStream', "
            "'logs:PutLogEvents'], 'Resource': '*'}]}))\n"
            "iam.put_role_permissions_boundary(RoleName='pay-role', "
            "PermissionsBoundary=boundary['Policy']['Arn'])\n",
            "may not `dynamodb:PutItem`",
            "permissions boundary `logs-only-boundary` doesn't allow it",
            "delete_role_permissions_boundary",
        ),
        "checked-after-kernel-restart": Wrong(
            "import helpers\naws = helpers.start()\n",
            "no function named `pay`",
            "starts empty after a kernel restart",
        ),
        # Learner trial 11 (DW9): the role's PutItem on `table/Payments`: ARNs and table names
        # are case-sensitive, so that is another table; the message now names the resource.
        "resource-table-name-capitalised": Wrong(
            pay(CONDITIONAL).replace(
                ROLE, 'role("pay-role", allow(["dynamodb:PutItem"], "Payments"))'
            ),
            "may not `dynamodb:PutItem`",
            "table/Payments`",
            "case-sensitive",
        ),
        # Learner trial 11 (DD9): the legacy `Expected={"pk": {"Exists": False}}` with
        # ReturnValuesOnConditionCheckFailure='ALL_OLD'. The kit's DynamoDB (moto) sends back
        # no item for a put refused by `Expected`, so the repeat fails with KeyError 'Item';
        # the message blamed a missing ALL_OLD, which the put has. It now names `Expected` and
        # the kit's limit. AWS documents the item for any put "that failed a condition check":
        # once the local DynamoDB returns it for `Expected` too, move this entry to `right`.
        "legacy-expected-all-old": Wrong(
            pay(
                CONDITIONAL.replace(
                    'ConditionExpression="attribute_not_exists(pk)"',
                    'Expected={"pk": {"Exists": False}}',
                )
            ),
            "legacy `Expected`",
            "ConditionExpression='attribute_not_exists(pk)'",
        ),
        # Learner trial 11 (DD1): the key cut short (`key[:8]`), checked twice. The second
        # check's new key shares its first 8 characters with the item the first check left, so
        # the conditional put was refused and the message said "gained no item: record each
        # new charge with put_item" (which it does). It now names the colliding key.
        "truncated-key-checked-twice": Wrong(
            pay(CONDITIONAL.replace('"charge#" + key', '"charge#" + key[:8]'))
            + "from helpers.exercises import notebook_09\n"
            "first = notebook_09.q1.check()\n"
            "assert not first.passed, first.message\n",
            "never seen before",
            "`charge#payment-`",
            "refused by the condition",
            "whole header value",
        ),
        # Learner trial 11 (DD1): the same cut key with an unconditional put, after an earlier
        # check left `charge#payment-`: the put replaces that item (no new item), and the
        # message said "record each new charge there with put_item".
        "truncated-key-unconditional-after-earlier-check": Wrong(
            pay(CONDITIONAL.replace('"charge#" + key', '"charge#" + key[:8]'))
            + "from helpers.exercises import notebook_09\n"
            "first = notebook_09.q1.check()\n"
            "assert not first.passed, first.message\n"
            + pay(
                CONDITIONAL.replace('"charge#" + key', '"charge#" + key[:8]').replace(
                    '            ConditionExpression="attribute_not_exists(pk)",\n', ""
                )
            ),
            "never seen before",
            "`charge#payment-`",
            "replaced the item",
            "whole header value",
        ),
        # Learner trial 9 (RD9's other side): PutItem narrowed to keys `pay` never writes
        # (`order#`): every put is refused, as AWS refuses it; the Condition is named.
        "leading-keys-other-prefix": Wrong(
            pay(CONDITIONAL).replace(
                'role("pay-role", allow(["dynamodb:PutItem"], "payments"))',
                'role("pay-role", {"Effect": "Allow", "Action": "dynamodb:PutItem",\n'
                '     "Resource": f"arn:aws:dynamodb:{region}:{account}:table/payments",\n'
                '     "Condition": {"ForAllValues:StringLike":\n'
                '                   {"dynamodb:LeadingKeys": ["order#*"]}}})',
            ),
            "AccessDenied",
            "`dynamodb:LeadingKeys`",
            "partition key",
        ),
        # Learner trial 9 (RD9's other side): PutItem only from the office network. A
        # function's calls never come from there: named, with the Condition to remove.
        "put-item-source-ip-condition": Wrong(
            pay(CONDITIONAL).replace(
                'role("pay-role", allow(["dynamodb:PutItem"], "payments"))',
                'role("pay-role", {"Effect": "Allow", "Action": "dynamodb:PutItem",\n'
                '     "Resource": f"arn:aws:dynamodb:{region}:{account}:table/payments",\n'
                '     "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}})',
            ),
            "`aws:SourceIp`",
            "Remove the Condition",
        ),
        # Learner trial 10 (XD1): the conditional write as a PartiQL INSERT, the role PutItem
        # only. IAM authorises it as dynamodb:PartiQLInsert (ql-iam); the kit named
        # dynamodb:ExecuteStatement, an action that grants nothing.
        "partiql-insert-instead-of-put": Wrong(
            pay(
                """
    try:
        dynamodb.execute_statement(
            Statement="INSERT INTO payments VALUE {'pk': ?, 'amount': ?, 'charge_id': ?}",
            Parameters=[{"S": "charge#" + key}, {"N": str(amount)},
                        {"S": context.aws_request_id}])
        charge_id = context.aws_request_id
    except dynamodb.exceptions.DuplicateItemException:
        charge_id = None
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
"""
            ),
            "`dynamodb:PartiQLInsert`",
            "conditional `put_item`",
        ),
        # Learner trial 10 (XW2): a table with a sort key `sk` holding the request id; the
        # condition only sees the item with the same pk and sk, so each copy is a new item.
        # The message said to key on the header and use the condition, which it did.
        "sort-key-per-request": Wrong(
            pay(
                CONDITIONAL.replace(
                    '"charge_id": {"S": context.aws_request_id},',
                    '"charge_id": {"S": context.aws_request_id},\n'
                    '                  "sk": {"S": context.aws_request_id},',
                )
            ).replace(
                'create_table("payments")\n',
                'dynamodb.create_table(TableName="payments", KeySchema=[\n'
                '    {"AttributeName": "pk", "KeyType": "HASH"},\n'
                '    {"AttributeName": "sk", "KeyType": "RANGE"}],\n'
                '    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},\n'
                '                          {"AttributeName": "sk", "AttributeType": "S"}],\n'
                '    BillingMode="PAY_PER_REQUEST")\n'
                'dynamodb.get_waiter("table_exists").wait(TableName="payments")\n',
            ),
            "has a sort key, `sk`",
            "same full key",
        ),
        # Learner trial 10 (XD12): AWS's "specific attributes" example narrowed to PutItem,
        # listing pk and amount while the item also has charge_id: AWS refuses every put. It
        # passed (dynamodb:Attributes was never set), then was explained with LeadingKeys.
        "put-item-attributes-condition-too-narrow": Wrong(
            pay(CONDITIONAL).replace(
                ROLE,
                'role("pay-role", {"Effect": "Allow", "Action": "dynamodb:PutItem",\n'
                '     "Resource": f"arn:aws:dynamodb:{region}:{account}:table/payments",\n'
                '     "Condition": {"ForAllValues:StringEquals":\n'
                '                   {"dynamodb:Attributes": ["pk", "amount"]}}})',
            ),
            "AccessDenied",
            "`dynamodb:Attributes`",
            "`pk`, `amount`",
        ),
    },
    right={
        # Learner trial 12 (JD3): the code `q1.solution()` prints, run as a cell, then the
        # notebook's answer cell (fixed) run again, as a learner does: the solution rebound
        # the notebook's `role(...)` shortcut to a string, and the answer cell failed with
        # TypeError. The solution's names are its own now.
        "solution-then-answer-cell-rerun": SETUP
        + _PAY_SOLUTION
        + pay(CONDITIONAL).removeprefix(SETUP),
        # Learner trial 10 (XD12's other side): every attribute the item has is listed.
        "put-item-attributes-condition": pay(CONDITIONAL).replace(
            ROLE,
            'role("pay-role", {"Effect": "Allow", "Action": "dynamodb:PutItem",\n'
            '     "Resource": f"arn:aws:dynamodb:{region}:{account}:table/payments",\n'
            '     "Condition": {"ForAllValues:StringEquals":\n'
            '                   {"dynamodb:Attributes": ["pk", "amount", "charge_id"]}}})',
        ),
        # Learner trial 10 (XD15): the put inside a transaction, the role AWS's "allow only
        # transactional operations" example narrowed to PutItem
        # (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html).
        # It was refused, and explained with LeadingKeys.
        "transactional-put-enclosing-operation": pay(
            """
    try:
        dynamodb.transact_write_items(TransactItems=[{"Put": {
            "TableName": "payments",
            "Item": {"pk": {"S": "charge#" + key}, "charge_id": {"S": context.aws_request_id},
                     "amount": {"N": str(amount)}},
            "ConditionExpression": "attribute_not_exists(pk)",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}])
        charge_id = context.aws_request_id
    except dynamodb.exceptions.TransactionCanceledException as err:
        reason = err.response["CancellationReasons"][0]
        charge_id = reason["Item"]["charge_id"]["S"]
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
"""
        ).replace(
            ROLE,
            'role("pay-role", {"Effect": "Allow", "Action": "dynamodb:PutItem",\n'
            '     "Resource": f"arn:aws:dynamodb:{region}:{account}:table/payments",\n'
            '     "Condition": {"ForAnyValue:StringEquals": {"dynamodb:EnclosingOperation":\n'
            '                   ["TransactWriteItems", "TransactGetItems"]}}})',
        ),
        # Learner trial 9 (RD2's other side): an idempotency window of an hour, longer than
        # any retry (Powertools' default): the repeat the check sends "15 minutes later" is
        # still refused.
        "expiry-window-hours": pay(WINDOW.replace("WINDOW_S", "3600")),
        # The solution's condition with a TTL of a day on the table: old charges go, and every
        # retry comes long before.
        "ttl-a-day": pay(
            CONDITIONAL.replace(
                '"amount": {"N": str(amount)}},',
                '"amount": {"N": str(amount)},\n'
                '            "expires_at": {"N": str(int(__import__("time").time()) + 86400)}},',
            )
        )
        + "dynamodb.update_time_to_live(TableName='payments', TimeToLiveSpecification={\n"
        "    'Enabled': True, 'AttributeName': 'expires_at'})\n",
        # Learner trial 9 (RD9): PutItem narrowed to the `charge#` items with
        # dynamodb:LeadingKeys, as DynamoDB's fine-grained access control allows
        # (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html):
        # every put's key starts with `charge#`. It was told "may not PutItem", before any
        # invoke: the check can't read such a key before a put, so the payments decide.
        "put-item-narrowed-by-leading-keys": pay(CONDITIONAL).replace(
            'role("pay-role", allow(["dynamodb:PutItem"], "payments"))',
            'role("pay-role", {"Effect": "Allow", "Action": "dynamodb:PutItem",\n'
            '     "Resource": f"arn:aws:dynamodb:{region}:{account}:table/payments",\n'
            '     "Condition": {"ForAllValues:StringLike":\n'
            '                   {"dynamodb:LeadingKeys": ["charge#*"]}}})',
        ),
        # Learner trial 9 (RD9): the same with the plain operator, one value.
        "put-item-leading-keys-string-like": pay(CONDITIONAL).replace(
            'role("pay-role", allow(["dynamodb:PutItem"], "payments"))',
            'role("pay-role", {"Effect": "Allow", "Action": "dynamodb:PutItem",\n'
            '     "Resource": f"arn:aws:dynamodb:{region}:{account}:table/payments",\n'
            '     "Condition": {"StringLike": {"dynamodb:LeadingKeys": "charge#*"}}})',
        ),
        # The resource API, another key prefix, and a charge id of its own making.
        "table-resource": pay(
            """
    import uuid
    from botocore.exceptions import ClientError
    table = boto3.resource("dynamodb").Table("payments")
    charge_id = "ch_" + uuid.uuid4().hex
    try:
        table.put_item(Item={"pk": "payment/" + key, "charge_id": charge_id, "amount": amount},
                       ConditionExpression="attribute_not_exists(pk)",
                       ReturnValuesOnConditionCheckFailure="ALL_OLD")
    except ClientError as err:
        if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        charge_id = err.response["Item"]["charge_id"]["S"]
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
"""
        ),
        # Found by a learner trial: a memory cache as a shortcut in front of the real guard, a
        # conditional put (on another attribute every item has), ClientError checked by code.
        "memory-cache-plus-condition": pay(
            """
    if key in SEEN:
        return {"statusCode": 200, "body": json.dumps({"charge_id": SEEN[key]})}
    try:
        dynamodb.put_item(TableName="payments",
                          Item={"pk": {"S": "charge#" + key},
                                "charge_id": {"S": context.aws_request_id},
                                "amount": {"N": str(amount)}},
                          ConditionExpression="attribute_not_exists(charge_id)",
                          ReturnValuesOnConditionCheckFailure="ALL_OLD")
        SEEN[key] = context.aws_request_id
    except ClientError as err:
        if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        SEEN[key] = err.response["Item"]["charge_id"]["S"]
    return {"statusCode": 200, "body": json.dumps({"charge_id": SEEN[key]})}
""",
            prelude="from botocore.exceptions import ClientError\nSEEN = {}",
        ),
        # A conditional write whose charge id is derived from the key: nothing to read back.
        "derived-id-conditional": pay(
            """
    charge_id = "ch_" + key
    try:
        dynamodb.put_item(TableName="payments",
                          Item={"pk": {"S": key}, "amount": {"N": str(amount)}},
                          ConditionExpression="attribute_not_exists(#k)",
                          ExpressionAttributeNames={"#k": "pk"})
    except dynamodb.exceptions.ConditionalCheckFailedException:
        pass  # charged already: the same key gives the same id
    return {"statusCode": 200, "body": json.dumps({"charge_id": charge_id})}
"""
        ),
    },
    broken="unconditional-put-same-id",
)

WHO = {
    "sync-error": "nobody",
    "sync-throttle": "sdk",
    "sync-bad-request": "nobody",
    "async-error": "lambda",
    "sqs-error": "mapping",
}


def who(**changes: object) -> str:
    """An answer to q2: the right one with these scenarios changed."""
    answer = {**WHO, **changes}
    return f"answer = {answer!r}\n"


Q2 = Answers(
    wrong={
        # The classic mix-up: the SDK retries function errors, and a throttle is final.
        "sdk-retries-function-errors": Wrong(
            who(**{"sync-error": "sdk", "sync-throttle": "nobody"}),
            "'sync-error'",
            "'sync-throttle'",
            "FunctionError",
        ),
        "sdk-retries-bad-request": Wrong(
            who(**{"sync-bad-request": "sdk"}), "'sync-bad-request'", "400"
        ),
        "async-retried-by-sdk": Wrong(who(**{"async-error": "sdk"}), "'async-error'", "202"),
        "sqs-retried-by-lambda": Wrong(
            who(**{"sqs-error": "lambda"}), "'sqs-error'", "received again from the queue"
        ),
        "throttle-retried-by-lambda": Wrong(
            who(**{"sync-throttle": "lambda"}), "'sync-throttle'", "429"
        ),
        "left-ellipsis": Wrong(
            "answer = {'sync-error': ..., 'sync-throttle': 'sdk', 'sync-bad-request': 'nobody', "
            "'async-error': 'lambda', 'sqs-error': 'mapping'}\n",
            "still `...`",
        ),
        "not-a-retrier": Wrong(who(**{"sync-throttle": "boto3"}), "'boto3'", "'sdk'"),
        "missing-scenario": Wrong(
            "answer = {'sync-error': 'nobody', 'sync-throttle': 'sdk'}\n", "missing"
        ),
        # Learner trial 10 (XD2): several retriers as a list; the check crashed (unhashable).
        "list-of-retriers": Wrong(
            who(**{"sync-throttle": ["sdk"]}), "'sync-throttle' is ['sdk']", "give one string"
        ),
        # Learner trial 10 (XD2): a set; the check crashed the same way.
        "set-of-retriers": Wrong(
            who(**{"async-error": {"lambda"}}), "'async-error' is {'lambda'}", "give one string"
        ),
        # Learner trial 10 (XW7): the right word in capitals.
        "capitalised-retriers": Wrong(
            who(**{"sync-error": "Nobody"}), "'Nobody'", "lower case: 'nobody'"
        ),
        # Learner trial 11 (DW2): a trailing space; the message said "lower case: 'sdk'" of a
        # value in lower case already.
        "trailing-space": Wrong(who(**{"sync-throttle": "sdk "}), "'sdk '", "without the spaces"),
        # Learner trial 11 (DW3): right values in a pandas Series: not a dict, and the message
        # names the way to one.
        "pandas-series": Wrong(
            f"import pandas as pd\nanswer = pd.Series({WHO!r})\n",
            "a dict",
            "`answer.to_dict()`",
        ),
    },
    right={
        "built-from-pairs": (
            "pairs = [('sqs-error', 'mapping'), ('async-error', 'lambda'), "
            "('sync-bad-request', 'nobody'), ('sync-throttle', 'sdk'), ('sync-error', 'nobody')]\n"
            "answer = dict(pairs)\n"
        ),
        # Learner trial 11 (DW3): the right values in a read-only MappingProxyType: a Mapping
        # holds the answer as well as a dict (it was told "set `answer` to a dict").
        "read-only-mapping": (
            f"from types import MappingProxyType\nanswer = MappingProxyType({WHO!r})\n"
        ),
        "fromkeys-then-update": (
            "answer = dict.fromkeys(['sync-error', 'sync-bad-request', 'sync-throttle', "
            "'async-error', 'sqs-error'], 'nobody')\n"
            "answer.update({'sync-throttle': 'sdk', 'async-error': 'lambda', "
            "'sqs-error': 'mapping'})\n"
        ),
    },
    broken="sdk-retries-function-errors",
)


def caller(config: str) -> str:
    """The answer cell of q3: a Lambda client made with this Config."""
    return (
        "import boto3\nfrom botocore.config import Config\nfrom helpers.limits import LIMITS\n"
        f"answer = boto3.client('lambda', config=Config({config}))\n"
    )


RETRY3 = "retries={'mode': 'standard', 'total_max_attempts': 3}"


def client_with(args: str) -> str:
    """The answer cell of q3: a Lambda client made with `args` beside a right Config."""
    return (
        "import boto3\nfrom botocore.config import Config\n"
        f"answer = boto3.client('lambda', {args}, config=Config(read_timeout=960, {RETRY3}))\n"
    )


Q3 = Answers(
    wrong={
        # The crash the issue names: a timeout of the wrong type gets a cross, not a TypeError.
        "read-timeout-none": Wrong(
            caller("read_timeout=None, retries={'mode': 'standard', 'total_max_attempts': 3}"),
            "`read_timeout`",
            "number of seconds",
            "NoneType",
        ),
        # Found by a learner trial: "never time out" as infinity; urllib3 refuses it.
        "read-timeout-infinite": Wrong(
            caller(f"read_timeout=float('inf'), {RETRY3}"),
            "`read_timeout` is inf",
            "finite number of seconds",
        ),
        # Learner trial 12 (JD9): "never give up" as `sys.maxsize`: finite, but too large for a
        # socket timeout, so every call fails in the client. The message blamed other
        # settings of the Config (a proxy, a connect_timeout) that it doesn't have.
        "read-timeout-sys-maxsize": Wrong(
            "import sys\n" + caller(f"read_timeout=sys.maxsize, {RETRY3}"),
            "`read_timeout` is 9223372036854775807",
            "more than Python's sockets can take",
            "a little above the longest a function may run",
        ),
        # Minutes, not seconds: 16 minutes is longer than 15, 16 seconds is not.
        "read-timeout-in-minutes": Wrong(
            caller("read_timeout=16, retries={'mode': 'standard', 'total_max_attempts': 3}"),
            "`read_timeout` is 16 s",
        ),
        # Exactly the longest Timeout: the SDK gives up as the function ends.
        "read-timeout-equal-to-limit": Wrong(
            caller(
                "read_timeout=LIMITS['timeout_s_max'].value, "
                "retries={'mode': 'standard', 'total_max_attempts': 3}"
            ),
            "900 s",
            "a little above 900",
        ),
        "default-read-timeout": Wrong(
            caller("retries={'mode': 'standard', 'total_max_attempts': 3}"),
            "`read_timeout` is 60 s",
        ),
        # The kit's own one-attempt client: safe from duplicates, but gives up on a throttle.
        "no-retries": Wrong(
            caller("read_timeout=910, retries={'total_max_attempts': 1}"),
            "gave up after 1 attempt",
            "at least 3 attempts",
        ),
        # max_attempts counts the retries: 1 retry is 2 attempts, one short.
        "off-by-one-attempts": Wrong(
            caller("read_timeout=910, retries={'mode': 'standard', 'total_max_attempts': 2}"),
            "gave up after 2 attempt",
        ),
        # Learner trial 9 (RW2): the older key, `max_attempts: 1`, read as "attempts": it is
        # 1 retry, 2 attempts in all. The message says which key counts what.
        "max-attempts-counts-retries": Wrong(
            caller("read_timeout=910, retries={'mode': 'legacy', 'max_attempts': 1}"),
            "gave up after 2 attempt",
            "`max_attempts` counts the retries",
        ),
        "not-a-lambda-client": Wrong(
            "import boto3\nfrom botocore.config import Config\n"
            "answer = boto3.client('sqs', config=Config(read_timeout=910))\n",
            "Lambda client",
            "`sqs`",
        ),
        # Found by a learner trial: a right Config, but a client made for another Region than
        # the functions'.
        "other-region": Wrong(
            "import boto3\nfrom botocore.config import Config\n"
            "answer = boto3.client('lambda', region_name='eu-west-3', config=Config("
            "read_timeout=910, retries={'mode': 'standard', 'total_max_attempts': 3}))\n",
            "Region `eu-west-3`",
            "region_name=",
        ),
        # Learner trial 7: a plain client, then its `meta.config` changed. botocore gave the
        # connections their timeouts when it made the client: they still wait 60 s (the check
        # read `meta.config` and passed it).
        "config-mutated-after-creation": Wrong(
            "import boto3\n"
            "answer = boto3.client('lambda')\n"
            "answer.meta.config.read_timeout = 960\n"
            "answer.meta.config.retries = {'mode': 'standard', 'total_max_attempts': 3}\n",
            "`meta.config.read_timeout` says 960",
            "wait 60 s",
            "when it makes the client",
            "config=Config(",
        ),
        # Learner trial 7: a one-attempt client (as the kit's aws.client('lambda')), then its
        # `meta.config.retries` raised to 3: its retry handler was built with 1 (the message
        # said "its retries allow 3 in all").
        "retries-mutated-after-creation": Wrong(
            "import boto3\nfrom botocore.config import Config\n"
            "answer = boto3.client('lambda', config=Config(read_timeout=910, "
            "retries={'total_max_attempts': 1}))\n"
            "answer.meta.config.retries = {'mode': 'standard', 'total_max_attempts': 3}\n",
            "gave up after 1 attempt",
            "says 3 attempts in all",
            "built with 1",
            "config=Config(",
        ),
        # Learner trial 7: a right Config plus a company proxy this machine can't reach (the
        # check crashed, blaming itself). A closed local port stands in for the learner's
        # proxy.corp.example:3128, so that no name is looked up.
        "company-proxy-unreachable": Wrong(
            caller(
                "read_timeout=960, connect_timeout=10, "
                "retries={'mode': 'standard', 'total_max_attempts': 3}, "
                "proxies={'http': 'http://127.0.0.1:9', 'https': 'http://127.0.0.1:9'}"
            ),
            "proxy `http://127.0.0.1:9`",
            "leave `proxies` out",
        ),
        # Learner trial 11 (DD16): a right Config plus `signature_version=UNSIGNED`, copied
        # from an S3 public-bucket snippet. Lambda refuses unsigned calls; the check crashed,
        # blaming itself (MissingAuthenticationTokenException).
        "unsigned-client": Wrong(
            "from botocore import UNSIGNED\n"
            + caller(
                "signature_version=UNSIGNED, read_timeout=901, "
                "retries={'mode': 'standard', 'total_max_attempts': 3}"
            ),
            "unsigned",
            "Signature Version 4",
            "leave `signature_version` out",
        ),
        # Learner trial 11 (DD17): "fail fast if Lambda is unreachable", a connect timeout of
        # one microsecond. The kit's Lambda is on loopback, so it got a ✅; to AWS no connect
        # completes that fast.
        "connect-timeout-microsecond": Wrong(
            caller(
                "connect_timeout=0.000001, read_timeout=901, "
                "retries={'mode': 'standard', 'total_max_attempts': 3}"
            ),
            "`connect_timeout` is 1e-06 s",
            "ConnectTimeoutError",
            "in seconds",
        ),
        # Learner trial 11 (DD10's other side): the endpoint of another Region spelled out:
        # the calls would not reach the functions (the check crashed on the kit's guard).
        "endpoint-of-another-region": Wrong(
            "import boto3\nfrom botocore.config import Config\n"
            "answer = boto3.client('lambda', "
            "endpoint_url='https://lambda.eu-west-3.amazonaws.com', "
            "config=Config(read_timeout=901, retries={'mode': 'standard', "
            "'total_max_attempts': 3}))\n",
            "`https://lambda.eu-west-3.amazonaws.com`",
            "without `endpoint_url`",
        ),
        # Learner trial 13 (OD6): LocalStack's habit, fake keys in the client. Lambda answers
        # UnrecognizedClientException, as AWS does for a key it doesn't know; the check blamed
        # itself ("The check itself failed").
        "hard-coded-fake-keys": Wrong(
            client_with("aws_access_key_id='test', aws_secret_access_key='test'"),
            "the access key `test`",
            "UnrecognizedClientException",
            "leave `aws_access_key_id`",
        ),
        # Learner trial 13 (OD6): the right access key, a mistyped secret: Lambda answers
        # InvalidSignatureException (the check blamed itself).
        "secret-key-typo": Wrong(
            "import boto3, os\nfrom botocore.config import Config\n"
            "answer = boto3.client('lambda', aws_access_key_id=os.environ['AWS_ACCESS_KEY_ID'], "
            "aws_secret_access_key=os.environ['AWS_SECRET_ACCESS_KEY'][:-1] + 'x', "
            f"config=Config(read_timeout=960, {RETRY3}))\n",
            "InvalidSignatureException",
            "the secret key doesn't match",
        ),
        # Learner trial 13 (OD12): LocalStack's `use_ssl=False`: on AWS the client calls
        # http://lambda.<region>.amazonaws.com, which Lambda doesn't serve (HTTPS only). The
        # kit's endpoint is http anyway, so it passed.
        "use-ssl-false": Wrong(
            client_with("use_ssl=False"),
            "`use_ssl=False`",
            "HTTPS only",
            "leave `use_ssl` out",
        ),
        # Learner trial 13 (OD17): a company snippet's CA bundle, absent from this machine: on
        # AWS's https endpoints every call loads it first and fails. It passed (never read on
        # the kit's http endpoint).
        "ca-bundle-missing": Wrong(
            client_with("verify='/etc/company/ca-bundle.pem'"),
            "`/etc/company/ca-bundle.pem`",
            "no such file",
            "leave `verify` out",
        ),
        # Learner trial 13 (OD17): 08b's mend, made in 08b only: a client certificate this
        # machine can't load passed here.
        "client-cert-missing-in-09": Wrong(
            caller(f"read_timeout=960, client_cert='/etc/company/client.pem', {RETRY3}"),
            "client certificate",
            "no such file",
            "leave `client_cert` out",
        ),
        # Learner trial 13 (OD18): SigV4a, which botocore can't sign a Lambda call with here
        # and Lambda doesn't take: the check blamed itself (UnknownSignatureVersionError).
        "signature-v4a-in-09": Wrong(
            caller(f"signature_version='v4a', read_timeout=960, {RETRY3}"),
            "could not sign its call",
            "`signature_version='v4a'`",
            "Signature Version 4 only",
        ),
        # Learner trial 13 (OD18): S3's SigV2 signer: Lambda refuses the call; the ❌ said
        # "it was not signed", which it was, another way.
        "sigv2-s3-signer-in-09": Wrong(
            caller(f"signature_version='s3', read_timeout=960, {RETRY3}"),
            "`signature_version='s3'`",
            "not signed as Lambda requires",
        ),
        # Learner trial 13 (OD18): an unreachable proxy for https only passed, as the kit's
        # endpoint is http; every AWS endpoint is https, so there every call goes through it.
        "https-proxy-only-unreachable-in-09": Wrong(
            caller(f"read_timeout=960, proxies={{'https': 'http://127.0.0.1:9'}}, {RETRY3}"),
            "for `https` through the proxy `http://127.0.0.1:9`",
            "every AWS endpoint is `https://`",
            "leave `proxies` out",
        ),
        # Learner trial 13 (OD10, OD18): 10 ms to connect passed here and was refused by 08b;
        # both now judge it with one floor (a tenth of a second).
        "connect-timeout-ten-milliseconds": Wrong(
            caller(f"connect_timeout=0.01, read_timeout=960, {RETRY3}"),
            "`connect_timeout` is 0.01 s",
            "ConnectTimeoutError",
            "a cold start is no part of it",
        ),
        "a-config-not-a-client": Wrong(
            "from botocore.config import Config\n"
            "answer = Config(read_timeout=910, retries={'total_max_attempts': 3})\n",
            "Lambda client",
            "Config",
        ),
    },
    right={
        # The older key: max_attempts counts retries, so 2 retries are 3 attempts.
        "legacy-max-attempts": caller(
            "read_timeout=905.5, connect_timeout=5, retries={'max_attempts': 2}"
        ),
        # Learner trial 11 (DD10): Lambda's documented endpoint for the functions' Region
        # spelled out (https://docs.aws.amazon.com/general/latest/gr/lambda-service.html): on
        # AWS the same client as the default one. The check blamed itself (the kit stops calls
        # to real AWS); it now sends this client's calls to the local AWS.
        "explicit-regional-endpoint": (
            "import boto3\nfrom botocore.config import Config\n"
            "region = boto3.client('lambda').meta.region_name\n"
            "answer = boto3.client('lambda', "
            "endpoint_url=f'https://lambda.{region}.amazonaws.com', "
            "config=Config(read_timeout=901, connect_timeout=5, "
            "retries={'mode': 'standard', 'total_max_attempts': 3}))\n"
        ),
        # Learner trial 13 (OD18): a company proxy for http only: botocore picks a proxy by the
        # URL's scheme and every AWS endpoint is https, so AWS never uses it. It was refused,
        # as the kit's endpoint is http.
        "http-only-proxy-unused-on-aws-in-09": caller(
            f"read_timeout=960, proxies={{'http': 'http://127.0.0.1:9'}}, {RETRY3}"
        ),
        # Learner trial 13 (OD10): half a second to connect: enough for a TCP and a TLS
        # handshake to a Region; 08b refused it (blaming a cold start), 09 took it.
        "connect-timeout-half-a-second-in-09": caller(
            f"connect_timeout=0.5, read_timeout=960, {RETRY3}"
        ),
        "adaptive-more-attempts": caller(
            "read_timeout=3600, retries={'mode': 'adaptive', 'total_max_attempts': 5}"
        ),
    },
    broken="no-retries",
)

ANSWERS = {"q1": Q1, "q2": Q2, "q3": Q3}
