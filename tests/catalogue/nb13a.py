"""Notebook 13a (the receipts app, built stage by stage): each stage check (`ingest`, `api`,
`retry_path`, `nightly`), and q1, `DELETE /receipts/{id}` served by `receipts-remove` with a
least-privilege role.

Every answer is self-contained (the app's helpers and storage, then the answer), so that it can
run after anything, as `broken` does after a right answer.
"""

from helpers.exercises.nb13a_capstone_build import (
    _API,
    _DELETE,
    _INGEST,
    _NIGHTLY,
    _QUERY,
    _RETRY,
    _SETUP,
    _STORAGE,
)
from tests.catalogue import Answers, Wrong

BASE = _SETUP + _STORAGE


def swap(text: str, *pairs: str) -> str:
    """`text` with each (old, new) pair replaced; an old that isn't there is the catalogue's bug."""
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert old in text, old
        text = text.replace(old, new)
    return text


def public_url(function: str) -> str:
    """A function URL "to test it quickly with curl", left in place: anyone may invoke it."""
    return f"""
lam.create_function_url_config(FunctionName="{function}", AuthType="NONE")
lam.add_permission(FunctionName="{function}", StatementId="url-public",
                   Action="lambda:InvokeFunctionUrl", Principal="*", FunctionUrlAuthType="NONE")
"""


def leftover_statement(function: str, principal: str, source_arn: str) -> str:
    """A statement for another service, with its source, left from an earlier idea."""
    return f"""
lam.add_permission(FunctionName="{function}", StatementId="earlier-idea",
                   Action="lambda:InvokeFunction", Principal="{principal}",
                   SourceArn={source_arn})
"""


# ------------------------------------------------------------------------------ q1
DELETE_ONLY = 'role("receipts-remove", [allow("dynamodb:DeleteItem", table_arn)])'


def q1_with_role(statements: str) -> str:
    return BASE + swap(_DELETE, DELETE_ONLY, f'role("receipts-remove", {statements})')


NO_PERMISSION = swap(
    _DELETE,
    """lam.add_permission(
    FunctionName="receipts-remove", StatementId="receipts-api", Action="lambda:InvokeFunction",
    Principal="apigateway.amazonaws.com",
    SourceArn=f"arn:aws:execute-api:{region}:{account}:{api_id}/*",
)""",
    "",
)

# Deletes whatever the id, and answers 204 even when there was nothing to delete.
ALWAYS_204 = swap(
    _DELETE,
    """    try:
        dynamodb.delete_item(
            TableName=os.environ["TABLE"], Key=key,
            ConditionExpression="attribute_exists(receipt_id)",
        )
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return {"statusCode": 404, "body": '{"error": "no such receipt"}'}
    return {"statusCode": 204}""",
    """    dynamodb.delete_item(TableName=os.environ["TABLE"], Key=key)
    return {"statusCode": 204}""",
)

# Found by a learner trial: a typo in the role's table ARN, and every error answered 404, so
# each delete's AccessDenied reads as "no such receipt".
TABLE_TYPO_SWALLOWED = swap(
    _DELETE,
    DELETE_ONLY,
    'role("receipts-remove", [allow("dynamodb:DeleteItem", table_arn[:-1])])',
    "except dynamodb.exceptions.ConditionalCheckFailedException:",
    "except Exception:",
)

# The DELETE route on a new API named `receipts-api`, not on the shop's.
SECOND_API = swap(
    _DELETE,
    'api_id = next(a["ApiId"] for a in apigw.get_apis()["Items"] if a["Name"] == "receipts-api")',
    'api_id = apigw.create_api(Name="receipts-api", ProtocolType="HTTP")["ApiId"]\n'
    'apigw.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)',
)

ANSWERS_200 = swap(
    _DELETE,
    'return {"statusCode": 204}',
    'return {"statusCode": 200, "body": \'{"deleted": true}\'}',
)

# The route goes to query's integration, and query's role gets DeleteItem as well.
SERVED_BY_QUERY = swap(
    _DELETE,
    'i.get("IntegrationUri") == remove_arn',
    'i.get("IntegrationUri") == query_arn',
)

# boto3's resource API, ALL_OLD to tell a missing receipt, a string Resource, the route's own
# SourceArn, and API Gateway's long form of the integration URI.
RIGHT_RESOURCE_API = (
    BASE
    + '''
remove_source = """
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE"])


def handler(event, context):
    gone = table.delete_item(Key={"receipt_id": event["pathParameters"]["id"]},
                             ReturnValues="ALL_OLD")
    if "Attributes" not in gone:
        return {"statusCode": 404, "headers": {"Content-Type": "application/json"},
                "body": '{"message": "not found"}'}
    return {"statusCode": 204, "headers": {}}
"""
statement = {"Effect": "Allow", "Action": "dynamodb:DeleteItem", "Resource": table_arn}
remove_arn = deploy("receipts-remove", remove_source, role("receipts-remove", [statement]),
                    Environment={"Variables": {"TABLE": "receipts"}})
api_id = next(a["ApiId"] for a in apigw.get_apis()["Items"] if a["Name"] == "receipts-api")
uri = f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{remove_arn}/invocations"
integration = apigw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY",
                                       IntegrationUri=uri, PayloadFormatVersion="2.0")
apigw.create_route(ApiId=api_id, RouteKey="DELETE /receipts/{id}",
                   Target="integrations/" + integration["IntegrationId"])
lam.add_permission(
    FunctionName=remove_arn, StatementId="api-delete", Action="lambda:InvokeFunction",
    Principal="apigateway.amazonaws.com",
    SourceArn=f"arn:aws:execute-api:{region}:{account}:{api_id}/*/DELETE/receipts/{{id}}",
)
'''
)

# A role of another name with a customer managed policy, the function created with plain
# create_function, an expression attribute name in the condition.
RIGHT_MANAGED_POLICY = (
    BASE
    + '''
source = """
import os

import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    try:
        dynamodb.delete_item(
            TableName=os.environ["TABLE"],
            Key={"receipt_id": {"S": event["pathParameters"]["id"]}},
            ConditionExpression="attribute_exists(#id)",
            ExpressionAttributeNames={"#id": "receipt_id"},
        )
        return {"statusCode": 204}
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return {"statusCode": 404}
"""
role_arn = execution_role("receipts-remove-role")
document = {"Version": "2012-10-17", "Statement": [
    {"Sid": "DeleteReceipts", "Effect": "Allow", "Action": ["dynamodb:DeleteItem"],
     "Resource": [table_arn]},
]}
policy = iam.create_policy(PolicyName="delete-receipts", PolicyDocument=json.dumps(document))
iam.attach_role_policy(RoleName="receipts-remove-role", PolicyArn=policy["Policy"]["Arn"])
function = lam.create_function(
    FunctionName="receipts-remove", Runtime="python3.12", Role=role_arn, Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
    Environment={"Variables": {"TABLE": "receipts"}},
)
lam.get_waiter("function_active_v2").wait(FunctionName="receipts-remove")
api_id = next(a["ApiId"] for a in apigw.get_apis()["Items"] if a["Name"] == "receipts-api")
integration_id = apigw.create_integration(
    ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=function["FunctionArn"],
    PayloadFormatVersion="2.0",
)["IntegrationId"]
apigw.create_route(ApiId=api_id, RouteKey="DELETE /receipts/{id}",
                   Target=f"integrations/{integration_id}")
lam.add_permission(
    FunctionName="receipts-remove", StatementId="from-api", Action="lambda:InvokeFunction",
    Principal="apigateway.amazonaws.com",
    SourceArn=f"arn:aws:execute-api:{region}:{account}:{api_id}/*/DELETE/*",
)
'''
)


# Found by a learner trial: a version published and an alias `live`; the route's integration
# invokes the alias, and its permission is on the alias (`Qualifier="live"`), as AWS requires.
ALIAS_LIVE = swap(
    _DELETE,
    "api_id = next(",
    'version = lam.publish_version(FunctionName="receipts-remove")["Version"]\n'
    'remove_arn = lam.create_alias(FunctionName="receipts-remove", Name="live", '
    'FunctionVersion=version)["AliasArn"]\n'
    "api_id = next(",
    'lam.add_permission(\n    FunctionName="receipts-remove", StatementId=',
    'lam.add_permission(\n    FunctionName="receipts-remove", Qualifier="live", StatementId=',
)

# The same alias, but the permission added to the function itself, whose policy the alias's
# invocations don't read.
ALIAS_PERMISSION_ON_FUNCTION = swap(
    ALIAS_LIVE,
    'FunctionName="receipts-remove", Qualifier="live", StatementId=',
    'FunctionName="receipts-remove", StatementId=',
)


def remove_permitted_from(api: str) -> str:
    """DELETE's answer cell, its permission given to `execute-api:...:{api}` instead."""
    return (
        BASE
        + NO_PERMISSION
        + f"""
lam.add_permission(
    FunctionName="receipts-remove", StatementId="receipts-api", Action="lambda:InvokeFunction",
    Principal="apigateway.amazonaws.com",
    SourceArn=f"arn:aws:execute-api:{{region}}:{{account}}:{api}",
)
"""
    )


# Found by a learner trial: the route's parameter named `receipt_id` (the handler reads that
# name): over HTTP the same requests, but not the task's route; the solution replaces it.
PARAMETER_RENAMED = swap(
    _DELETE,
    'event["pathParameters"]["id"]',
    'event["pathParameters"]["receipt_id"]',
    '"DELETE /receipts/{id}"',
    '"DELETE /receipts/{receipt_id}"',
)

# Learner trial 7 (I D8): the route made with IAM authorization; the shop's unsigned DELETE
# gets 403 from API Gateway and never reaches the function.
ROUTE_WITH_IAM_AUTH = swap(
    _DELETE,
    'apigw.create_route(ApiId=api_id, RouteKey="DELETE /receipts/{id}", Target=target)',
    'apigw.create_route(ApiId=api_id, RouteKey="DELETE /receipts/{id}", Target=target,\n'
    '                   AuthorizationType="AWS_IAM")',
)

# Learner trial 7 (I D9): the legacy Expected condition instead of ConditionExpression.
RIGHT_LEGACY_EXPECTED = BASE + swap(
    _DELETE,
    'ConditionExpression="attribute_exists(receipt_id)",',
    'Expected={"receipt_id": {"ComparisonOperator": "NOT_NULL"}},',
)

# Learner trial 8 (N D3): no new route: `update_route` turns the app's `GET /receipts/{id}`
# into `DELETE /receipts/{id}` with the new integration. DELETE works; GET is gone.
GET_ROUTE_TURNED_INTO_DELETE = swap(
    _DELETE,
    """if "DELETE /receipts/{id}" in routes:
    apigw.update_route(
        ApiId=api_id, RouteId=routes["DELETE /receipts/{id}"], Target=target,
        AuthorizationType="NONE",
    )
else:
    apigw.create_route(ApiId=api_id, RouteKey="DELETE /receipts/{id}", Target=target)""",
    """apigw.update_route(ApiId=api_id, RouteId=routes["GET /receipts/{id}"],
                   RouteKey="DELETE /receipts/{id}", Target=target)""",
)

# The DELETE route added, and the GET route repointed at the same integration: reading a
# receipt deletes it.
GET_ROUTE_REPOINTED_TO_REMOVE = swap(
    _DELETE,
    """    apigw.create_route(ApiId=api_id, RouteKey="DELETE /receipts/{id}", Target=target)""",
    """    apigw.create_route(ApiId=api_id, RouteKey="DELETE /receipts/{id}", Target=target)
apigw.update_route(ApiId=api_id, RouteId=routes["GET /receipts/{id}"], Target=target)""",
)

# Learner trial 8 (N D2): the key sent as a number, `{"N": id}`; the table's key is a string.
# AWS refuses it with a ValidationException (the kit's DynamoDB used to fail with a 500).
KEY_TYPED_NUMBER = swap(
    _DELETE,
    'key = {"receipt_id": {"S": event["pathParameters"]["id"]}}',
    'key = {"receipt_id": {"N": event["pathParameters"]["id"]}}',
)

# Learner trial 9 (TD5): `GET /totals` reused for the DELETE route.
TOTALS_ROUTE_TURNED_INTO_DELETE = swap(
    _DELETE,
    """if "DELETE /receipts/{id}" in routes:
    apigw.update_route(
        ApiId=api_id, RouteId=routes["DELETE /receipts/{id}"], Target=target,
        AuthorizationType="NONE",
    )
else:
    apigw.create_route(ApiId=api_id, RouteKey="DELETE /receipts/{id}", Target=target)""",
    """apigw.update_route(ApiId=api_id, RouteId=routes["GET /totals"],
                   RouteKey="DELETE /receipts/{id}", Target=target)""",
)


def q1_with_role_arn(role_arn: str) -> str:
    """DELETE's answer cell, `receipts-remove` deployed with `role_arn` (an expression)."""
    return BASE + swap(_DELETE, DELETE_ONLY, role_arn)


# Learner trial 9 (TD16): the receipt read first (404 if missing), then deleted.
READ_THEN_DELETE = swap(
    _DELETE,
    """    try:
        dynamodb.delete_item(
            TableName=os.environ["TABLE"], Key=key,
            ConditionExpression="attribute_exists(receipt_id)",
        )
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return {"statusCode": 404, "body": '{"error": "no such receipt"}'}
    return {"statusCode": 204}""",
    """    if "Item" not in dynamodb.get_item(TableName=os.environ["TABLE"], Key=key):
        return {"statusCode": 404, "body": '{"error": "no such receipt"}'}
    dynamodb.delete_item(TableName=os.environ["TABLE"], Key=key)
    return {"statusCode": 204}""",
    DELETE_ONLY,
    'role("receipts-remove", [allow(["dynamodb:GetItem", "dynamodb:DeleteItem"], table_arn)])',
)

CONDITIONAL_DELETE = """    try:
        dynamodb.delete_item(
            TableName=os.environ["TABLE"], Key=key,
            ConditionExpression="attribute_exists(receipt_id)",
        )
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return {"statusCode": 404, "body": '{"error": "no such receipt"}'}
    return {"statusCode": 204}"""


def q1_deleting_with(body: str, statements: str = "") -> str:
    """The notebook's answer whose handler deletes with `body`, and its role `statements`."""
    code = swap(_DELETE, CONDITIONAL_DELETE, body)
    if statements:
        code = swap(code, DELETE_ONLY, f'role("receipts-remove", {statements})')
    return BASE + code


PARTIQL_DELETE = """    dynamodb.execute_statement(
        Statement='DELETE FROM "receipts" WHERE receipt_id = ?',
        Parameters=[{"S": event["pathParameters"]["id"]}],
    )
    return {"statusCode": 204}"""

BATCH_WRITER_DELETE = """    table = boto3.resource("dynamodb").Table(os.environ["TABLE"])
    with table.batch_writer() as batch:
        batch.delete_item(Key={"receipt_id": event["pathParameters"]["id"]})
    return {"statusCode": 204}"""


RETURNVALUES_ALL_OLD = """    answer = dynamodb.delete_item(
        TableName=os.environ["TABLE"], Key=key, ReturnValues="ALL_OLD"
    )
    if "Attributes" not in answer:
        return {"statusCode": 404, "body": '{"error": "no such receipt"}'}
    return {"statusCode": 204}"""


Q1 = Answers(
    before=BASE + _QUERY + _API,
    wrong={
        # First: the solution, run after it, replaces the renamed route.
        "route-parameter-renamed": Wrong(
            BASE + PARAMETER_RENAMED, "`DELETE /receipts/{receipt_id}`", "update_route"
        ),
        "over-broad-permission": Wrong(
            q1_with_role('[allow("dynamodb:*", "*")]'), "`dynamodb:*`", "wildcard"
        ),
        "wildcard-resource": Wrong(
            q1_with_role('[allow("dynamodb:DeleteItem", "arn:aws:dynamodb:*:*:table/*")]'),
            "wildcard resource",
            "table/receipts",
        ),
        "extra-statement": Wrong(
            q1_with_role(
                '[allow("dynamodb:DeleteItem", table_arn), '
                'allow(["dynamodb:GetItem", "dynamodb:Scan"], table_arn)]'
            ),
            "`dynamodb:GetItem` is not needed",
            "`dynamodb:Scan` is not needed",
        ),
        "missing-permission": Wrong(
            q1_with_role('[allow("dynamodb:GetItem", table_arn)]'),
            "500",
            "AccessDenied",
            "dynamodb:DeleteItem",
        ),
        "missing-add-permission": Wrong(
            BASE + NO_PERMISSION, "resource-based policy", "apigateway.amazonaws.com"
        ),
        "permission-for-another-api": Wrong(
            remove_permitted_from("a1b2c3d4e5/*"), "resource-based policy", "execute-api"
        ),
        # Found by a learner trial: any API of the account may invoke the function.
        "any-api-of-the-account": Wrong(remove_permitted_from("*"), "over-broad", "SourceArn"),
        "table-typo-error-swallowed": Wrong(
            BASE + TABLE_TYPO_SWALLOWED,
            "answered 404",
            "may not `dynamodb:DeleteItem`",
            "table/receipt`",
        ),
        "no-404-for-a-missing-receipt": Wrong(BASE + ALWAYS_204, "404", "attribute_exists"),
        # Learner trial 13 (QD3): the id taken from `rawPath`, which is still URL-encoded: it
        # passed while the check's ids were plain ASCII; a receipt whose id has a space or a
        # letter beyond ASCII answered 404 and stayed.
        "id-from-raw-path": Wrong(
            BASE
            + swap(_DELETE, 'event["pathParameters"]["id"]', 'event["rawPath"].rsplit("/", 1)[-1]'),
            "URL-encoded",
            "reads the path from `rawPath`",
            "event['pathParameters']['id']",
        ),
        # Learner trial 13 (QD10): the 404's body a dict, not a string: the kit serialises it,
        # API Gateway answers 500 on AWS.
        "404-body-dict-not-string": Wrong(
            BASE
            + swap(_DELETE, """'{"error": "no such receipt"}'""", '{"error": "no such receipt"}'),
            "`body` that is a dict",
            "not a string",
            "json.dumps",
        ),
        # Learner trial 13 (QW3): the condition inverted: every real delete is refused; the
        # message named the 404 only.
        "condition-inverted": Wrong(
            BASE
            + swap(_DELETE, "attribute_exists(receipt_id)", "attribute_not_exists(receipt_id)"),
            "`attribute_not_exists(receipt_id)` fails for a receipt that exists",
            "`attribute_exists(receipt_id)`",
        ),
        "answers-200": Wrong(BASE + ANSWERS_200, "answered 200", "204"),
        # Learner trial 11 (FW1): a greedy `{id+}` route; the message said its parameter was
        # not named `id` (it is), not that it matches deeper paths.
        "greedy-route": Wrong(
            BASE
            + swap(
                _DELETE,
                'RouteKey="DELETE /receipts/{id}", Target=target)',
                'RouteKey="DELETE /receipts/{id+}", Target=target)',
            ),
            "`DELETE /receipts/{id+}`",
            "greedy",
            "RouteKey='DELETE /receipts/{id}'",
        ),
        # Learner trial 11 (FW4): the integration's URI is the function's name, not its ARN;
        # the message said to repoint the route. (If the kit comes to refuse the name at
        # create_integration, as AWS may, give this entry `raises=`.)
        "integration-uri-function-name": Wrong(
            BASE
            + swap(
                _DELETE,
                'IntegrationType="AWS_PROXY", IntegrationUri=remove_arn,',
                'IntegrationType="AWS_PROXY", IntegrationUri="receipts-remove",',
            ),
            "`IntegrationUri` `receipts-remove`, a name",
            "update_integration(",
        ),
        # Learner trial 11 (FD9): the check run in a restarted kernel, whose local AWS is empty
        # (here: everything the notebook made, deleted); the ❌ advised `create_bucket` alone.
        "check-after-kernel-restart": Wrong(
            """
for page in lam.get_paginator("list_functions").paginate():
    for function in page["Functions"]:
        lam.delete_function(FunctionName=function["FunctionName"])
dynamodb.delete_table(TableName="receipts")
for url in sqs.list_queues().get("QueueUrls", []):
    sqs.delete_queue(QueueUrl=url)
for page in s3.get_paginator("list_objects_v2").paginate(Bucket="receipts-app"):
    for found in page.get("Contents", []):
        s3.delete_object(Bucket="receipts-app", Key=found["Key"])
s3.delete_bucket(Bucket="receipts-app")
for api in apigw.get_apis()["Items"]:
    apigw.delete_api(ApiId=api["ApiId"])
""",
            "holds none of the app's resources",
            "kernel",
            "from `## Set-up` down",
        ),
        # Learner trial 11 (FD20): a soft delete, a `deleted` flag set with UpdateItem (the role
        # allows UpdateItem): the message blamed an AccessDenied on DeleteItem, never called.
        "soft-delete-flag": Wrong(
            q1_with_role('[allow("dynamodb:UpdateItem", table_arn)]').replace(
                """        dynamodb.delete_item(
            TableName=os.environ["TABLE"], Key=key,
            ConditionExpression="attribute_exists(receipt_id)",
        )""",
                """        dynamodb.update_item(
            TableName=os.environ["TABLE"], Key=key, UpdateExpression="SET deleted = :t",
            ConditionExpression="attribute_exists(receipt_id) AND attribute_not_exists(deleted)",
            ExpressionAttributeValues={":t": {"BOOL": True}},
        )""",
            ),
            "deletes no item",
            "it calls `update_item`",
            "`dynamodb:DeleteItem` instead of `dynamodb:UpdateItem`",
        ),
        "route-with-iam-authorization": Wrong(BASE + ROUTE_WITH_IAM_AUTH, "403"),
        # Learner trial 6: the low-level client given the key without its type; the message
        # quotes the line that says so, not only "Parameter validation failed:".
        "key-without-its-type": Wrong(
            RIGHT_MANAGED_POLICY.replace(
                'Key={"receipt_id": {"S": event["pathParameters"]["id"]}}',
                'Key={"receipt_id": event["pathParameters"]["id"]}',
            ),
            "Invalid type for parameter Key.receipt_id",
        ),
        "served-by-query": Wrong(BASE + SERVED_BY_QUERY, "receipts-query", "receipts-remove"),
        # Found by a learner trial: the action of a function URL's permission, which API
        # Gateway can't use (the SourceArn is right: the message names the action).
        "invoke-function-url-action": Wrong(
            BASE
            + swap(
                _DELETE,
                'StatementId="receipts-api", Action="lambda:InvokeFunction"',
                'StatementId="receipts-api", Action="lambda:InvokeFunctionUrl"',
            ),
            "lets `apigateway.amazonaws.com` do only `lambda:InvokeFunctionUrl`",
            "`Action='lambda:InvokeFunction'`",
        ),
        # Found by a learner trial: the API created again under the same name, and the route
        # put on that second API, which the shop doesn't use.
        "second-api-same-name": Wrong(BASE + SECOND_API, "2 HTTP APIs named", "delete_api"),
        "get-route-turned-into-delete": Wrong(
            BASE + GET_ROUTE_TURNED_INTO_DELETE,
            "no longer its route `GET /receipts/{id}`",
            "`update_route` on a GET route",
            "`create_route`",
        ),
        "get-route-repointed-to-remove": Wrong(
            BASE + GET_ROUTE_REPOINTED_TO_REMOVE,
            "no longer reads a receipt",
            "now invokes `receipts-remove`",
        ),
        "key-typed-number": Wrong(
            BASE + KEY_TYPED_NUMBER,
            "The provided key element does not match the schema",
            "a string (type `S`)",
            "`{'N': ...}`, a number",
        ),
        "alias-permission-on-function": Wrong(
            BASE + ALIAS_PERMISSION_ON_FUNCTION,
            "is on `receipts-remove` itself",
            "`receipts-remove:live`",
            "Qualifier='live'",
        ),
        # Learner trial 9 (TW10): the condition names `id`, an attribute the items don't have.
        "condition-on-other-attribute": Wrong(
            BASE + swap(_DELETE, "attribute_exists(receipt_id)", "attribute_exists(id)"),
            "`attribute_exists(id)`",
            "`receipt_id`",
        ),
        # Learner trial 9 (TD5): the route made by reusing `GET /totals` (`update_route` with
        # the DELETE key): DELETE works, the totals route is gone.
        "totals-route-turned-into-delete": Wrong(
            BASE + TOTALS_ROUTE_TURNED_INTO_DELETE,
            "no longer its route `GET /totals`",
            "create_route",
        ),
        # Learner trial 9 (TD15): deployed with query's role (copy-paste); the message invited
        # adding DeleteItem to query's role.
        "deployed-with-query-role": Wrong(
            q1_with_role_arn(
                'role("receipts-query", [allow(["dynamodb:GetItem", "dynamodb:Scan"], table_arn)])'
            ),
            "runs with `receipts-query`'s role",
            "role of its own",
        ),
        # Learner trial 9 (TD16): get_item, then delete_item; role GetItem + DeleteItem. The
        # message said "`dynamodb:GetItem` is not needed", though the code called it.
        "read-then-delete": Wrong(
            BASE + READ_THEN_DELETE,
            "reads the receipt (`dynamodb:GetItem`) before deleting it",
            "attribute_exists(receipt_id)",
        ),
        # The same read first, with the task's role (DeleteItem only): the refused GetItem is
        # not a right to add.
        "read-then-delete-get-refused": Wrong(
            BASE
            + READ_THEN_DELETE.replace(
                '[allow(["dynamodb:GetItem", "dynamodb:DeleteItem"], table_arn)]',
                '[allow("dynamodb:DeleteItem", table_arn)]',
            ),
            "rightly refuses it",
            "attribute_exists(receipt_id)",
        ),
        # Learner trial 9 (TD17): the permission's Action `lambda:*` (every Lambda action on the
        # function for API Gateway) passed.
        "permission-action-wildcard": Wrong(
            BASE + swap(_DELETE, 'Action="lambda:InvokeFunction"', 'Action="lambda:*"'),
            "`lambda:*`",
            "lambda:InvokeFunction",
        ),
        # Learner trial 9 (TD18): an explicit Deny of `dynamodb:Delete*` "for the table itself"
        # also denies DeleteItem; the message said "may not X on R (it allows it on R only)".
        "deny-delete-star": Wrong(
            q1_with_role(
                '[allow("dynamodb:DeleteItem", table_arn), '
                '{"Effect": "Deny", "Action": "dynamodb:Delete*", "Resource": table_arn}]'
            ),
            "`dynamodb:Delete*`",
            "explicit Deny overrides",
            "lets out (a 500)",
        ),
        # Learner trial 9 (TD18): the Allow's Condition (another Region) never holds.
        "condition-other-region": Wrong(
            q1_with_role(
                '[allow("dynamodb:DeleteItem", table_arn) | {"Condition": '
                '{"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]'
            ),
            "has the condition",
            "eu-west-1",
        ),
        # Learner trial 10 (ZD17): a public function URL left on `receipts-remove` after a
        # quick test: anyone on the internet may delete receipts.
        "public-function-url-on-remove": Wrong(
            BASE + _DELETE + public_url("receipts-remove"),
            "public function URL",
            "delete_function_url_config",
        ),
        # Learner trial 10 (ZD18): a statement letting the rule `receipts-nightly` invoke
        # `receipts-remove` (a nightly delete waiting to be wired): more than the API.
        "leftover-statement-other-principal": Wrong(
            BASE
            + _DELETE
            + leftover_statement(
                "receipts-remove",
                "events.amazonaws.com",
                'f"arn:aws:events:{region}:{account}:rule/receipts-nightly"',
            ),
            "also lets `events.amazonaws.com` invoke it",
            "StatementId='earlier-idea'",
        ),
        # Learner trial 10 (ZW1): `ANY /receipts/{id}` to receipts-remove instead of the DELETE
        # route: the check said "no route yet", and the learner added one beside it (ZD1).
        "any-route-instead-of-delete": Wrong(
            BASE
            + swap(
                _DELETE,
                'RouteKey="DELETE /receipts/{id}", Target',
                'RouteKey="ANY /receipts/{id}", Target',
            ),
            "`ANY /receipts/{id}` invokes `receipts-remove`",
            "`PUT`",
            "update_route",
        ),
        # Learner trial 10 (ZD1): that ANY route left beside the DELETE route: a PUT, POST or
        # PATCH to /receipts/<id> deletes the receipt (ANY matches every method without a route).
        "any-method-route-deletes": Wrong(
            BASE
            + _DELETE
            + 'apigw.create_route(ApiId=api_id, RouteKey="ANY /receipts/{id}", Target=target)\n',
            "and so does the route `ANY /receipts/{id}`",
            "delete_route",
        ),
        # Learner trial 10 (ZD1): a `$default` route to receipts-remove beside the DELETE route:
        # every request no route matches invokes the function that deletes receipts.
        "default-route-to-remove": Wrong(
            BASE
            + _DELETE
            + 'apigw.create_route(ApiId=api_id, RouteKey="$default", Target=target)\n',
            "and so does the route `$default`",
            "no other route matches",
            "delete_route",
        ),
        # Learner trial 10 (ZD6): 404 from a module-level set of the ids it deleted, no
        # condition: 204 for an id that never existed (and an empty set in any other
        # execution environment).
        "deleted-ids-remembered-in-memory": Wrong(
            BASE
            + swap(
                _DELETE,
                'dynamodb = boto3.client("dynamodb")',
                'dynamodb = boto3.client("dynamodb")\ndeleted = set()',
                """    try:
        dynamodb.delete_item(
            TableName=os.environ["TABLE"], Key=key,
            ConditionExpression="attribute_exists(receipt_id)",
        )
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return {"statusCode": 404, "body": '{"error": "no such receipt"}'}
    return {"statusCode": 204}""",
                """    if event["pathParameters"]["id"] in deleted:
        return {"statusCode": 404, "body": '{"error": "no such receipt"}'}
    dynamodb.delete_item(TableName=os.environ["TABLE"], Key=key)
    deleted.add(event["pathParameters"]["id"])
    return {"statusCode": 204}""",
            ),
            "an id that never existed",
            "remember deleted ids in memory",
            "attribute_exists(receipt_id)",
        ),
        # Learner trial 10 (ZD16): query's permission removed in a clean-up (the same
        # StatementId as remove's): GET /receipts/{id} answers 500, and the message named no
        # permission.
        "query-permission-removed": Wrong(
            BASE
            + _DELETE
            + 'lam.remove_permission(FunctionName="receipts-query", StatementId="receipts-api")\n',
            "`receipts-query` has no resource-based policy statement",
            "add_permission",
        ),
        # Learner trial 12 (LD1): a PartiQL DELETE, with the task's role (DeleteItem only): the
        # ❌ said "Give its role that right" (`dynamodb:PartiQLDelete`), which the task rules
        # out; the call is `delete_item`.
        "partiql-delete-role-deleteitem": Wrong(
            q1_deleting_with(PARTIQL_DELETE),
            "`dynamodb:PartiQLDelete`",
            "rightly refuses it",
            "only `dynamodb:DeleteItem`",
            "don't give it that right",
            "dynamodb.delete_item(",
        ),
        # Learner trial 12 (LD1): that advice followed (PartiQLDelete added): the kit's PartiQL
        # limits then hid the task's mistake, a role beyond DeleteItem.
        "partiql-delete-advice-followed": Wrong(
            q1_deleting_with(
                PARTIQL_DELETE,
                '[allow(["dynamodb:DeleteItem", "dynamodb:PartiQLDelete"], table_arn)]',
            ),
            "a PartiQL `DELETE`",
            "its role allows that",
            "only `dynamodb:DeleteItem`",
            "remove `dynamodb:PartiQLDelete` from the role",
        ),
        # Learner trial 12 (LD1): `batch_writer()` deletes as BatchWriteItem, refused by the
        # task's role; the ❌ said to give the role that right.
        "batch-writer-delete": Wrong(
            q1_deleting_with(BATCH_WRITER_DELETE),
            "`dynamodb:BatchWriteItem`",
            "rightly refuses it",
            "only `dynamodb:DeleteItem`",
            "takes no condition",
        ),
        # Learner trial 12 (LD1): that advice followed (BatchWriteItem added): the ❌ was about
        # the missing 404, not the role beyond DeleteItem.
        "batch-writer-advice-followed": Wrong(
            q1_deleting_with(
                BATCH_WRITER_DELETE,
                '[allow(["dynamodb:DeleteItem", "dynamodb:BatchWriteItem"], table_arn)]',
            ),
            "a batch",
            "its role allows that",
            "remove `dynamodb:BatchWriteItem` from the role",
        ),
        # Learner trial 12 (LD10): a 60 ms integration timeout ("fail fast") got ✅, the
        # check's calls being warm; on AWS a cold start alone exceeds it: 503, while the
        # function goes on and deletes the receipt.
        "integration-timeout-60-ms": Wrong(
            BASE + _DELETE + "apigw.update_integration(ApiId=api_id, IntegrationId=integration_id, "
            "TimeoutInMillis=60)\n",
            "`TimeoutInMillis=60`",
            "cold start",
            "503",
            "TimeoutInMillis=30000)",
        ),
        # Learner trial 12 (LD11): a reservation of 0 left from "switching it off while
        # testing": every call throttled, and the ❌ said only "answered 500".
        "reserved-concurrency-zero-left": Wrong(
            BASE + _DELETE + 'lam.put_function_concurrency(FunctionName="receipts-remove", '
            "ReservedConcurrentExecutions=0)\n",
            "reserved concurrency of 0",
            "throttles every invoke",
            "delete_function_concurrency(FunctionName='receipts-remove')",
        ),
        # Learner trial 12 (LD6): "never hand back the deleted item" (ReturnValues NONE, or
        # none given), and a handler asking for ALL_OLD: AWS refuses every call. It got ✅
        # until the kit read the request's keys (d77f312); the ❌ then said "Give its role
        # that right", which it had: it names the condition now.
        "role-returnvalues-none-handler-all-old": Wrong(
            q1_deleting_with(
                RETURNVALUES_ALL_OLD,
                '[allow("dynamodb:DeleteItem", table_arn) | {"Condition": '
                '{"StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"}}}]',
            ),
            "only under the condition",
            "`dynamodb:ReturnValues`",
            "drop the `Condition`",
        ),
        # Learner trial 12 (LD2, kit fix 02b40ef): a PartiQL DELETE with a `?` parameter and
        # `RETURNING ALL OLD *` (404 when it returns no item), the role allowing PartiQLDelete:
        # the kit runs it now, as AWS does, and the check names the role beyond DeleteItem.
        "partiql-delete-parameters-returning": Wrong(
            q1_deleting_with(
                """    answer = dynamodb.execute_statement(
        Statement='DELETE FROM "receipts" WHERE "receipt_id" = ? RETURNING ALL OLD *',
        Parameters=[{"S": event["pathParameters"]["id"]}],
    )
    if not answer.get("Items"):
        return {"statusCode": 404, "body": '{"error": "no such receipt"}'}
    return {"statusCode": 204}""",
                '[allow(["dynamodb:DeleteItem", "dynamodb:PartiQLDelete"], table_arn)]',
            ),
            "a PartiQL `DELETE`",
            "its role allows that",
            "remove `dynamodb:PartiQLDelete` from the role",
        ),
        # Learner trial 12 (LD8, kit fix d06b8bc): the stage made again without AutoDeploy and
        # deployed by hand before the DELETE route; the learner then looks at the deployments
        # the ❌ names (GetDeployments was a 500, GetDeployment an HTML 404).
        "inspect-deployments-after-manual-deploy": Wrong(
            """
apigw.delete_stage(ApiId=api_id, StageName="$default")
apigw.create_stage(ApiId=api_id, StageName="$default")
deployment_id = apigw.create_deployment(ApiId=api_id, StageName="$default")["DeploymentId"]
"""
            + _DELETE
            + """
assert deployment_id in [d["DeploymentId"] for d in apigw.get_deployments(ApiId=api_id)["Items"]]
deployment = apigw.get_deployment(ApiId=api_id, DeploymentId=deployment_id)
assert deployment["DeploymentId"] == deployment_id
""",
            "created without `AutoDeploy=True`",
            "made before the routes it lacks",
            "create_deployment(",
        ),
        # Learner trial 12 (LW1): no `ReturnValues`, and 404 when the answer has no
        # `Attributes` (it never has them then): the ❌ didn't say the receipt was deleted.
        "attributes-without-returnvalues": Wrong(
            q1_deleting_with(
                """    answer = dynamodb.delete_item(TableName=os.environ["TABLE"], Key=key)
    if "Attributes" not in answer:
        return {"statusCode": 404, "body": '{"error": "no such receipt"}'}
    return {"statusCode": 204}"""
            ),
            "answered 404",
            "yet it deleted the receipt",
            "ReturnValues='ALL_OLD'",
        ),
        # Learner trial 12 (LW4): `DELETE /receipts`, the id read from the query string: the ❌
        # said DELETE requests "would invoke the function that deletes receipts too".
        "id-in-query-string": Wrong(
            BASE
            + swap(
                _DELETE,
                'event["pathParameters"]["id"]',
                '(event.get("queryStringParameters") or {}).get("id", "")',
                'RouteKey="DELETE /receipts/{id}", Target',
                'RouteKey="DELETE /receipts", Target',
            ),
            "`DELETE /receipts` invokes `receipts-remove`",
            "has no `{id}`",
            "event['pathParameters']['id']",
            "update_route",
        ),
        # Learner trial 12 (LW4): its advice followed, the route's key changed, the handler
        # still reading the query string: the ❌ quoted DynamoDB's empty-key error alone.
        "id-in-query-string-route-renamed": Wrong(
            BASE
            + swap(
                _DELETE,
                'event["pathParameters"]["id"]',
                '(event.get("queryStringParameters") or {}).get("id", "")',
            ),
            "reads the id from the query string",
            "event['pathParameters']['id']",
        ),
    },
    right={
        "resource-api-all-old": RIGHT_RESOURCE_API,
        "managed-policy-own-role": RIGHT_MANAGED_POLICY,
        "alias-live": BASE + ALIAS_LIVE,
        "legacy-expected-condition": RIGHT_LEGACY_EXPECTED,
        # Learner trial 11 (FD21): an attempt whose integration to `receipts-remove` has the
        # wrong type (lowercase `aws_proxy`; AWS refuses it, and the kit may: then one of
        # payload format 1.0), then solution(): it reused any integration with `remove`'s ARN,
        # and pointed the route at the broken one.
        "solution-after-wrong-integration-type": BASE
        + swap(
            _DELETE,
            """    integration_id = apigw.create_integration(
        ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=remove_arn,
        PayloadFormatVersion="2.0",
    )["IntegrationId"]""",
            """    try:
        integration_id = apigw.create_integration(
            ApiId=api_id, IntegrationType="aws_proxy", IntegrationUri=remove_arn,
            PayloadFormatVersion="2.0",
        )["IntegrationId"]
    except apigw.exceptions.BadRequestException:  # then payload format 1.0, which AWS takes
        integration_id = apigw.create_integration(
            ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=remove_arn,
            PayloadFormatVersion="1.0",
        )["IntegrationId"]
""",
        )
        + _DELETE,
        # Learner trial 11 (FD22): an attempt whose route needs IAM authorization (the shop's
        # DELETE gets 403), then solution(): it repointed the route and kept `AWS_IAM`.
        "solution-after-iam-route": BASE + ROUTE_WITH_IAM_AUTH + _DELETE,
        # Learner trial 12 (LD10, LD11): solution() after a 60 ms integration timeout and a
        # reservation of 0: it makes an integration with the default timeout, and removes
        # the reservation.
        "solution-after-timeout-and-reservation": BASE
        + _DELETE
        + "apigw.update_integration(ApiId=api_id, IntegrationId=integration_id, "
        "TimeoutInMillis=60)\n" + 'lam.put_function_concurrency(FunctionName="receipts-remove", '
        "ReservedConcurrentExecutions=0)\n" + _DELETE,
        # Learner trial 12 (LD7): the role's DeleteItem on the condition that the table carries
        # the app's tag (ABAC: DynamoDB reads `aws:ResourceTag/<key>` from the table,
        # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/abac-example-use-cases.html);
        # it got a ❌ ("the function's calls don't meet" it) until the kit read tags (JD4).
        "role-resource-tag-condition": q1_with_role(
            '[allow("dynamodb:DeleteItem", table_arn) | {"Condition": '
            '{"StringEquals": {"aws:ResourceTag/app": "receipts"}}}]'
        )
        + "dynamodb.tag_resource(ResourceArn=table_arn, "
        + 'Tags=[{"Key": "app", "Value": "receipts"}])\n',
        # Learner trial 12 (LD3): DeleteItem on the condition `dynamodb:ReturnValues` ALL_OLD,
        # which the handler's call sends (a condition key of DeleteItem,
        # https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html);
        # it got a ❌ until the kit read the request's keys (d77f312).
        "role-condition-returnvalues-all-old": q1_deleting_with(
            RETURNVALUES_ALL_OLD,
            '[allow("dynamodb:DeleteItem", table_arn) | {"Condition": '
            '{"StringEquals": {"dynamodb:ReturnValues": "ALL_OLD"}}}]',
        ),
        # Learner trial 12 (LD1): a transaction's Delete, which AWS authorises as DeleteItem,
        # with its condition; a cancelled transaction tells a missing receipt.
        "transact-delete": q1_deleting_with(
            """    try:
        dynamodb.transact_write_items(TransactItems=[{"Delete": {
            "TableName": os.environ["TABLE"], "Key": key,
            "ConditionExpression": "attribute_exists(receipt_id)",
        }}])
    except dynamodb.exceptions.TransactionCanceledException:
        return {"statusCode": 404, "body": '{"error": "no such receipt"}'}
    return {"statusCode": 204}"""
        ),
    },
    broken="over-broad-permission",
)


ANSWERS = {"q1": Q1}


# ------------------------------------------------------------------------------ stage 1: ingest
INGEST_PERMISSION = """lam.add_permission(
    FunctionName="receipts-ingest", StatementId="uploads", Action="lambda:InvokeFunction",
    Principal="s3.amazonaws.com", SourceArn="arn:aws:s3:::receipts-app", SourceAccount=account,
)"""


def ingest(*pairs: str) -> str:
    return BASE + swap(_INGEST, *pairs)


# boto3's resource API and a batch writer (BatchWriteItem instead of PutItem), the key decoded
# with urllib.parse, the four kinds of upload named one by one (learner trial 13, QD9: it had
# Put only, which the task's "every `s3:ObjectCreated:*`" refuses), and a permission without
# SourceAccount.
RIGHT_INGEST_BATCH = (
    BASE
    + '''
source = """
import csv
import io
import json
import os
import urllib.parse
from decimal import Decimal

import boto3

from receipts import to_item

s3 = boto3.client("s3")
table = boto3.resource("dynamodb").Table(os.environ["TABLE"])
queue = boto3.resource("sqs").Queue(os.environ["RETRY_QUEUE_URL"])


def handler(event, context):
    for record in event["Records"]:
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        body = s3.get_object(Bucket=record["s3"]["bucket"]["name"], Key=key)["Body"]
        text = body.read().decode()
        rows = json.loads(text) if key.lower().endswith(".json") else csv.DictReader(
            io.StringIO(text))
        with table.batch_writer() as batch:
            for row in rows:
                try:
                    item = to_item(row)
                except ValueError as error:
                    queue.send_message(MessageBody=json.dumps(
                        {"source": key, "row": row, "error": str(error)}))
                    continue
                plain = {name: value.get("S") for name, value in item.items()}
                batch.put_item(Item=plain | {"total": Decimal(item["total"]["N"])})
"""
arn = deploy(
    "receipts-ingest", source,
    role("receipts-ingest", [
        allow(["s3:GetObject"], "arn:aws:s3:::receipts-app/uploads/*"),
        allow(["dynamodb:BatchWriteItem"], table_arn),
        allow(["sqs:SendMessage"], retry_arn),
    ]),
    Environment={"Variables": {"TABLE": "receipts", "RETRY_QUEUE_URL": retry_url}},
)
lam.add_permission(FunctionName="receipts-ingest", StatementId="s3-invoke",
                   Action="lambda:InvokeFunction", Principal="s3.amazonaws.com",
                   SourceArn="arn:aws:s3:::receipts-app")
s3.put_bucket_notification_configuration(Bucket="receipts-app", NotificationConfiguration={
    "LambdaFunctionConfigurations": [{
        "Id": "uploads", "LambdaFunctionArn": arn,
        "Events": ["s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
                   "s3:ObjectCreated:CompleteMultipartUpload"],
        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads"}]}},
    }],
})
'''
)

# A role of another name with one inline policy of named statements, string resources.
RIGHT_INGEST_OWN_ROLE = ingest(
    """role("receipts-ingest", [
        allow("s3:GetObject", "arn:aws:s3:::receipts-app/uploads/*"),
        allow("dynamodb:PutItem", table_arn),
        allow("sqs:SendMessage", retry_arn),
    ])""",
    "ingest_role_arn",
    "ingest_arn = deploy(\n",
    """ingest_role_arn = execution_role("receipts-uploads-role")
document = json.dumps({
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "ReadUploads", "Effect": "Allow", "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::receipts-app/uploads/*"},
        {"Sid": "WriteReceipts", "Effect": "Allow", "Action": "dynamodb:PutItem",
         "Resource": table_arn},
        {"Sid": "RetryRows", "Effect": "Allow", "Action": "sqs:SendMessage",
         "Resource": retry_arn},
    ],
})
iam.put_role_policy(RoleName="receipts-uploads-role", PolicyName="uploads",
                    PolicyDocument=document)
ingest_arn = deploy(
""",
)

# Learner trial 11 (FD23): each receipt written with an upsert, `update_item` (which adds the
# item when it isn't there), and the role allows `dynamodb:UpdateItem` (what the code calls)
# instead of PutItem; the check said "`dynamodb:UpdateItem` is not needed".
PUT_ITEM = 'dynamodb.put_item(TableName=os.environ["TABLE"], Item=item)'
UPSERT = """dynamodb.update_item(
            TableName=os.environ["TABLE"], Key={"receipt_id": item["receipt_id"]},
            UpdateExpression="SET #s = :s, #d = :d, #t = :t",
            ExpressionAttributeNames={"#s": "store", "#d": "date", "#t": "total"},
            ExpressionAttributeValues={":s": item["store"], ":d": item["date"],
                                       ":t": item["total"]},
        )"""
RIGHT_INGEST_UPSERT = ingest(
    PUT_ITEM,
    UPSERT.replace("\n        ", "\n            "),
    'allow("dynamodb:PutItem", table_arn),',
    'allow("dynamodb:UpdateItem", table_arn),',
)

INGEST = Answers(
    before=BASE,
    wrong={
        # A learner trial: `+` back to a space, but %-escapes left as they are.
        "plus-replaced-only": Wrong(
            ingest(
                'unquote_plus(record["s3"]["object"]["key"])',
                'record["s3"]["object"]["key"].replace("+", " ")',
            ),
            "unquote_plus",
        ),
        "url-encoded-key": Wrong(
            ingest('unquote_plus(record["s3"]["object"]["key"])', 'record["s3"]["object"]["key"]'),
            "unquote_plus",
        ),
        # Learner trial 7 (D4): the role without dynamodb:PutItem, and the handler catches
        # every error around the write and prints it: nothing fails, nothing is stored.
        "put-item-missing-error-swallowed": Wrong(
            ingest(
                'allow("dynamodb:PutItem", table_arn),',
                "",
                """            dynamodb.put_item(TableName=os.environ["TABLE"], Item=item)""",
                """            try:
                dynamodb.put_item(TableName=os.environ["TABLE"], Item=item)
            except Exception as problem:  # keep going whatever happens
                print("could not store", row.get("receipt_id"), "-", problem)""",
            ),
            "may not `dynamodb:PutItem`",
            "catches the error",
        ),
        "missing-add-permission": Wrong(
            ingest(INGEST_PERMISSION, ""),
            "resource-based policy",
            "s3.amazonaws.com",
            raises="Unable to validate the following destination configurations",
        ),
        "whole-bucket-readable": Wrong(
            ingest('"arn:aws:s3:::receipts-app/uploads/*"', '"arn:aws:s3:::receipts-app/*"'),
            "wildcard resource",
            "uploads/*",
        ),
        "no-prefix-filter": Wrong(
            ingest(
                '        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", '
                '"Value": "uploads/"}]}},\n',
                "",
            ),
            "prefix",
            "uploads/",
        ),
        # A typo in the prefix: the filter matches no upload.
        "prefix-typo": Wrong(
            ingest('"Value": "uploads/"}]}}', '"Value": "upload/"}]}}'),
            "`upload/`",
            "no upload would reach it",
        ),
        # Browser form uploads only: put_object's uploads are ObjectCreated:Put events.
        "post-events-only": Wrong(
            ingest('"Events": ["s3:ObjectCreated:*"]', '"Events": ["s3:ObjectCreated:Post"]'),
            "s3:ObjectCreated:Post",
            "s3:ObjectCreated:Put",
        ),
        # Learner trial 13 (QD9): `s3:ObjectCreated:Put` only passed. The task sends `ingest`
        # "every `s3:ObjectCreated:*` under `uploads/`": a large file from the CLI or the
        # console is a multipart upload (`CompleteMultipartUpload`), a copy is `Copy`, and
        # neither would reach it.
        "put-events-only": Wrong(
            ingest('"Events": ["s3:ObjectCreated:*"]', '"Events": ["s3:ObjectCreated:Put"]'),
            "s3:ObjectCreated:CompleteMultipartUpload",
            "multipart upload",
            "s3:ObjectCreated:*",
        ),
        # The queue's ARN where its URL belongs.
        "queue-arn-as-url": Wrong(
            ingest('"RETRY_QUEUE_URL": retry_url', '"RETRY_QUEUE_URL": retry_arn'),
            "URL is an ARN",
            "get_queue_url",
        ),
        "bad-row-dropped": Wrong(
            ingest(
                '                sqs.send_message(QueueUrl=os.environ["RETRY_QUEUE_URL"], '
                "MessageBody=body)\n",
                "",
            ),
            "never reached `receipts-retry`",
        ),
        "missing-send-permission": Wrong(
            ingest('        allow("sqs:SendMessage", retry_arn),\n', ""),
            "AccessDenied",
            "sqs:SendMessage",
        ),
        # Found by a learner trial: `return` after the first bad row, the rest of the file lost.
        "return-not-continue": Wrong(
            ingest(
                "                sent += 1\n                continue",
                "                sent += 1\n                return",
            ),
            "good row after it",
            "`continue`",
        ),
        # Found by a learner trial: a quoted field holding a comma, cut in two.
        # Learner trial 8 (N M3): s3:GetObject on `uploads/*.csv` only; the JSON upload is
        # refused, and the message leads with the refusal, not with reading JSON.
        "getobject-csv-only": Wrong(
            ingest(
                'allow("s3:GetObject", "arn:aws:s3:::receipts-app/uploads/*")',
                'allow("s3:GetObject", "arn:aws:s3:::receipts-app/uploads/*.csv")',
            ),
            "is not in `receipts`. `receipts-ingest` failed",
            "allows `s3:GetObject` on `arn:aws:s3:::receipts-app/uploads/*.csv` only",
            "every upload",
        ),
        "naive-csv-split": Wrong(
            ingest(
                "    return list(csv.DictReader(io.StringIO(text)))",
                "    header, *lines = text.strip().splitlines()\n"
                '    names = header.split(",")\n'
                '    return [dict(zip(names, line.split(","))) for line in lines]',
            ),
            "quoted",
            "csv.DictReader",
        ),
        # Found by a learner trial: the message is a Python repr, which `json.loads` can't read.
        "repr-message-body": Wrong(
            ingest(
                'body = json.dumps({"source": key, "row": row})',
                'body = str({"source": key, "row": row})',
            ),
            "not a JSON object",
            "json.dumps",
        ),
        # Found by a learner trial: a typo in the table's name (its environment variable): the
        # role rightly refuses it, and the message names the table, not the role.
        "table-name-typo": Wrong(
            ingest(
                '"TABLE": "receipts", "RETRY_QUEUE_URL"', '"TABLE": "receipt", "RETRY_QUEUE_URL"'
            ),
            "table named `receipt`",
            "environment variable `TABLE`",
            "not the task's table `receipts`",
        ),
        # Found by a learner trial: one call per suffix, the second replacing the first.
        "second-notification-replaces": Wrong(
            ingest(
                """s3.put_bucket_notification_configuration(
    Bucket="receipts-app",
    NotificationConfiguration={"LambdaFunctionConfigurations": [{
        "LambdaFunctionArn": ingest_arn,
        "Events": ["s3:ObjectCreated:*"],
        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"}]}},
    }]},
)""",
                """for suffix in (".csv", ".json"):
    s3.put_bucket_notification_configuration(
        Bucket="receipts-app",
        NotificationConfiguration={"LambdaFunctionConfigurations": [{
            "LambdaFunctionArn": ingest_arn,
            "Events": ["s3:ObjectCreated:*"],
            "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"},
                                               {"Name": "suffix", "Value": suffix}]}},
        }]},
    )""",
            ),
            "suffix `.json`",
            "no configuration sends `.csv` uploads",
            "replaces the bucket's whole configuration",
        ),
        # Found by a learner trial: the upload read as ASCII, which the notebook's `€7,25` fails.
        "ascii-decode": Wrong(
            ingest('.read().decode("utf-8")', '.read().decode("ascii")'),
            "UnicodeDecodeError",
            "UTF-8",
        ),
        "latin-1-decode": Wrong(
            ingest('.read().decode("utf-8")', '.read().decode("latin-1")'),
            "with the store",
            "UTF-8",
        ),
        # Found by a learner trial: the row alone as the message, which `retry` can't read
        # (`message['row']`), and without the file it came from.
        "row-only-message": Wrong(
            ingest('body = json.dumps({"source": key, "row": row})', "body = json.dumps(row)"),
            "without the row under the key `row`",
            "message['row']",
        ),
        "message-without-its-file": Wrong(
            ingest(
                'body = json.dumps({"source": key, "row": row})', 'body = json.dumps({"row": row})'
            ),
            "not the file it came from",
            "'source': key",
        ),
        # Learner trial 6 (D1): the rows stored and sent, then a raise "so that the failure
        # shows": the asynchronous invocation fails, and Lambda's retries send the row again.
        "raises-after-bad-rows": Wrong(
            ingest(
                '        print(f"{key}: {stored} stored, {sent} sent to the retry queue")\n',
                '        print(f"{key}: {stored} stored, {sent} sent to the retry queue")\n'
                "        if sent:\n"
                '            raise ValueError(f"{key}: {sent} rows could not be read")\n',
            ),
            "the invocation failed: ValueError",
            "retries",
            "One broken row must never fail the whole upload",
        ),
        # Learner trial 6 (D2): a suffix rule where a prefix was meant; no upload gets through.
        "suffix-for-prefix": Wrong(
            ingest(
                '{"Name": "prefix", "Value": "uploads/"}', '{"Name": "suffix", "Value": "uploads/"}'
            ),
            "'suffix', 'Value': 'uploads/'",
            "A prefix was meant",
        ),
        # Learner trial 6 (M1): a first attempt's policy `app` (s3:* on the bucket) left, the
        # fix put under a new policy name.
        # Learner trial 7 (M2): a managed policy attached during an earlier attempt, left
        # attached: the message listed its 62 rights one by one, and said nothing of detaching.
        "leftover-managed-full-access": Wrong(
            BASE
            + _INGEST
            + """
iam.attach_role_policy(RoleName="receipts-ingest",
                       PolicyArn="arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess")
""",
            "more actions or resources it doesn't use (all in managed policy "
            "`AmazonDynamoDBFullAccess`)",
            "detach_role_policy",
        ),
        "leftover-policy": Wrong(
            BASE
            + _INGEST
            + """
iam.put_role_policy(RoleName="receipts-ingest", PolicyName="app", PolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [allow("s3:*", "arn:aws:s3:::receipts-app/*"),
                                           allow("dynamodb:PutItem", table_arn),
                                           allow("sqs:SendMessage", retry_arn)]}))
fixed = [allow("s3:GetObject", "arn:aws:s3:::receipts-app/uploads/*"),
         allow("dynamodb:PutItem", table_arn), allow("sqs:SendMessage", retry_arn)]
iam.put_role_policy(RoleName="receipts-ingest", PolicyName="ingest-fixed",
                    PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": fixed}))
""",
            "`s3:*` is a wildcard",
            "(in inline policy `app`)",
            "delete_role_policy",
        ),
        # Learner trial 9 (TD1): removal events subscribed too: each deletion of an upload
        # invokes `ingest`, whose get_object fails (and is retried twice).
        "removed-events-too": Wrong(
            ingest(
                '"Events": ["s3:ObjectCreated:*"]',
                '"Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]',
            ),
            "`s3:ObjectRemoved:*`",
            "`s3:ObjectCreated:*`",
        ),
        # Learner trial 9 (TD17): the permission's Action `lambda:*` passed.
        "permission-action-wildcard": Wrong(
            ingest(
                INGEST_PERMISSION, INGEST_PERMISSION.replace("lambda:InvokeFunction", "lambda:*")
            ),
            "`lambda:*`",
            "lambda:InvokeFunction",
        ),
        # Learner trial 9 (TD19): a first try's statement for EventBridge, with no source at
        # all, left in the policy: any rule of any account may invoke `ingest`.
        "leftover-statement-other-principal": Wrong(
            BASE
            + _INGEST
            + """
lam.add_permission(FunctionName="receipts-ingest", StatementId="nightly-try",
                   Action="lambda:InvokeFunction", Principal="events.amazonaws.com")
""",
            "also lets `events.amazonaws.com` invoke it",
            "remove_permission",
        ),
        # Learner trial 9 (TD10): BatchWriteItem and GetQueueUrl allowed "in case", though the
        # code calls neither (put_item, the queue's URL from its environment).
        "batch-write-and-queue-url-allowed-not-called": Wrong(
            ingest(
                'allow("dynamodb:PutItem", table_arn),',
                'allow(["dynamodb:PutItem", "dynamodb:BatchWriteItem"], table_arn),',
                'allow("sqs:SendMessage", retry_arn),',
                'allow(["sqs:SendMessage", "sqs:GetQueueUrl"], retry_arn),',
            ),
            "`dynamodb:BatchWriteItem` is not needed",
            "`sqs:GetQueueUrl` is not needed",
        ),
        # Learner trial 9 (TD12): the table's name and the queue's URL in the code, no
        # environment: the notebook says they come from environment variables.
        "names-hard-coded": Wrong(
            ingest(
                'os.environ["RETRY_QUEUE_URL"]',
                'sqs.get_queue_url(QueueName="receipts-retry")["QueueUrl"]',
                'os.environ["TABLE"]',
                '"receipts"',
                'allow("sqs:SendMessage", retry_arn),',
                'allow(["sqs:SendMessage", "sqs:GetQueueUrl"], retry_arn),',
                '    Environment={"Variables": {"TABLE": "receipts", '
                '"RETRY_QUEUE_URL": retry_url}},\n',
                "",
            ),
            "environment holds no variable",
            "`'TABLE': 'receipts'`",
        ),
        # Learner trial 10 (ZD17): a public function URL left on `receipts-ingest`.
        "public-function-url-on-ingest": Wrong(
            BASE + _INGEST + public_url("receipts-ingest"),
            "public function URL",
            "delete_function_url_config",
        ),
        # Learner trial 10 (ZW3): the first data row skipped (`[1:]` after DictReader, which
        # has taken the header already): the message said none of the three rows were stored.
        "skips-first-row": Wrong(
            ingest(
                "return list(csv.DictReader(io.StringIO(text)))",
                "return list(csv.DictReader(io.StringIO(text)))[1:]",
            ),
            "not the first one",
            "as if it were the header",
        ),
        # Learner trial 10 (ZW5): `receipts-ingest` first made console-style
        # (`lambda_function.lambda_handler`), then the stage's code: the handler setting stays,
        # and the message didn't name it.
        "leftover-console-handler": Wrong(
            swap(  # the notebook's `deploy`, which updates the code and not the handler
                BASE,
                """FunctionName=name, Role=role_arn, Runtime="python3.13", Handler="app.handler",
            **settings,""",
                "FunctionName=name, Role=role_arn, **settings,",
            )
            + """
lam.create_function(
    FunctionName="receipts-ingest", Runtime="python3.13", Role=execution_role("receipts-ingest"),
    Handler="lambda_function.lambda_handler",
    Code={"ZipFile": zip_bytes({"lambda_function.py": "def lambda_handler(e, c): pass"})},
)
lam.get_waiter("function_active_v2").wait(FunctionName="receipts-ingest")
"""
            + _INGEST,
            "`Handler` setting is `lambda_function.lambda_handler`",
            "Handler='app.handler'",
        ),
        # Learner trial 12 (LW2): `s3:GetObject` on `uploads/` (no `*`): the message on the
        # CSV upload quoted the JSON upload's AccessDenied; it quotes the CSV's own now.
        "getobject-on-prefix-without-star": Wrong(
            ingest(
                'allow("s3:GetObject", "arn:aws:s3:::receipts-app/uploads/*")',
                'allow("s3:GetObject", "arn:aws:s3:::receipts-app/uploads/")',
            ),
            "uploads/<a name with a space and an é>.csv",
            "café.csv",
            "(with the `/*`)",
        ),
    },
    right={
        "update-item-upsert": RIGHT_INGEST_UPSERT,  # learner trial 11 (FD23), above
        # Learner trial 12 (LW3): the prefix `uploads`, without its slash, does what the task
        # asks (the praise notes that it matches `uploads-old/...` too).
        "prefix-without-slash": ingest('"Value": "uploads/"', '"Value": "uploads"'),
        # Learner trial 9 (TD8): the notification to the alias `live`, whose own policy lets
        # the bucket invoke it (`Qualifier='live'`), as AWS requires.
        "alias-live-notification": ingest(
            "ingest_arn = deploy(",
            "ingest_function_arn = deploy(",
            "# S3 may invoke",
            'version = lam.publish_version(FunctionName="receipts-ingest")["Version"]\n'
            'ingest_arn = lam.create_alias(FunctionName="receipts-ingest", Name="live", '
            'FunctionVersion=version)["AliasArn"]\n'
            "# S3 may invoke",
            'lam.remove_permission(FunctionName="receipts-ingest", StatementId="uploads")',
            'lam.remove_permission(FunctionName="receipts-ingest", Qualifier="live", '
            'StatementId="uploads")',
            INGEST_PERMISSION,
            INGEST_PERMISSION.replace(
                'FunctionName="receipts-ingest",',
                'FunctionName="receipts-ingest", Qualifier="live",',
            ),
        ),
        "batch-writer-put-only": RIGHT_INGEST_BATCH,
        "own-role-named-statements": RIGHT_INGEST_OWN_ROLE,
        # Found by a learner trial: the queue's URL looked up by its name at Init, with
        # `sqs:GetQueueUrl` on that queue, which the code calls.
        "queue-url-by-name": ingest(
            'sqs = boto3.client("sqs")\n',
            'sqs = boto3.client("sqs")\n'
            'RETRY_QUEUE_URL = sqs.get_queue_url(QueueName=os.environ["RETRY_QUEUE"])'
            '["QueueUrl"]\n',
            'QueueUrl=os.environ["RETRY_QUEUE_URL"]',
            "QueueUrl=RETRY_QUEUE_URL",
            'allow("sqs:SendMessage", retry_arn),',
            'allow(["sqs:GetQueueUrl", "sqs:SendMessage"], retry_arn),',
            '"RETRY_QUEUE_URL": retry_url',
            '"RETRY_QUEUE": "receipts-retry"',
        ),
    },
    broken="whole-bucket-readable",
)

ANSWERS["ingest"] = INGEST


# ------------------------------------------------------------------------------ stage 2: api
QUERY_PERMISSION = """lam.add_permission(
    FunctionName="receipts-query", StatementId="receipts-api", Action="lambda:InvokeFunction",
    Principal="apigateway.amazonaws.com",
    SourceArn=f"arn:aws:execute-api:{region}:{account}:{api_id}/*",
)"""
QUERY_ROLE = 'role("receipts-query", [allow(["dynamodb:GetItem", "dynamodb:Scan"], table_arn)])'


TOTALS_REPLY = 'return reply(200, totals([item for page in pages for item in page["Items"]]))'


def api(query_pairs: tuple[str, ...] = (), api_pairs: tuple[str, ...] = ()) -> str:
    return BASE + swap(_QUERY, *query_pairs) + swap(_API, *api_pairs)


# A route per integration (same function), boto3's resource API with a JSON encoder for
# Decimal, and one permission per route.
RIGHT_API_RESOURCE = (
    BASE
    + '''
source = """
import decimal
import json
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE"])


class Numbers(json.JSONEncoder):
    def default(self, value):
        if isinstance(value, decimal.Decimal):
            return str(value)
        return super().default(value)


def answer(status, body):
    return {"statusCode": status, "body": json.dumps(body, cls=Numbers)}


def handler(event, context):
    if event["rawPath"] == "/totals":
        items, page = [], {}
        while True:
            page = table.scan(**({"ExclusiveStartKey": page["LastEvaluatedKey"]}
                                 if "LastEvaluatedKey" in page else {}))
            items += page["Items"]
            if "LastEvaluatedKey" not in page:
                break
        by_store = {}
        for item in items:
            by_store[item["store"]] = by_store.get(item["store"], 0) + item["total"]
        total = sum((item["total"] for item in items), decimal.Decimal(0))
        return answer(200, {"receipts": len(items), "total": total, "by_store": by_store})
    item = table.get_item(Key={"receipt_id": event["pathParameters"]["id"]}).get("Item")
    return answer(200, item) if item else answer(404, {"message": "not found"})
"""
arn = deploy("receipts-query", source,
             role("receipts-query", [{"Effect": "Allow", "Action": ["dynamodb:Scan",
                                      "dynamodb:GetItem"], "Resource": table_arn}]),
             Environment={"Variables": {"TABLE": "receipts"}})
api_id = apigw.create_api(Name="receipts-api", ProtocolType="HTTP")["ApiId"]
for n, route_key in enumerate(["GET /receipts/{id}", "GET /totals"]):
    integration = apigw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY",
                                           IntegrationUri=arn, PayloadFormatVersion="2.0")
    apigw.create_route(ApiId=api_id, RouteKey=route_key,
                       Target=f"integrations/{integration['IntegrationId']}")
    method, path = route_key.split(" ")
    lam.add_permission(FunctionName="receipts-query", StatementId=f"route-{n}",
                       Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
                       SourceArn=f"arn:aws:execute-api:{region}:{account}:{api_id}/*/{method}{path}")
apigw.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
'''
)

# The notebook's own cells, with a role of another name for `query`.
RIGHT_API_OWN_ROLE = api(
    api_pairs=(
        QUERY_ROLE,
        "reader_arn",
        "query_arn = deploy(\n",
        "reader_arn = execution_role('receipts-reader')\n"
        "iam.put_role_policy(RoleName='receipts-reader', PolicyName='read', PolicyDocument="
        "json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': "
        "'dynamodb:GetItem', 'Resource': table_arn}, {'Effect': 'Allow', 'Action': "
        "'dynamodb:Scan', 'Resource': [table_arn]}]}))\n"
        "query_arn = deploy(\n",
    )
)

API = Answers(
    before=BASE,
    wrong={
        "decimal-in-json": Wrong(
            api(
                (
                    "from receipts import totals",
                    "from boto3.dynamodb.types import TypeDeserializer\n\nfrom receipts import "
                    "totals",
                    "{name: next(iter(value.values())) for name, value in item.items()}",
                    "{name: TypeDeserializer().deserialize(value) for name, value in item.items()}",
                )
            ),
            "500",
            "Decimal",
        ),
        "missing-add-permission": Wrong(
            api(api_pairs=(QUERY_PERMISSION, "")), "resource-based policy", "apigateway"
        ),
        # One Scan call: its first page only (1 MB at most).
        "one-scan-page": Wrong(
            api(
                (
                    'pages = dynamodb.get_paginator("scan").paginate('
                    'TableName=os.environ["TABLE"])',
                    'pages = [dynamodb.scan(TableName=os.environ["TABLE"])]',
                )
            ),
            "Read every page",
        ),
        # Learner trial 7 (D5): a Scan loop of its own that never passes ExclusiveStartKey: it
        # reads the first page for ever, and the function times out (the answer was a bare 500).
        "scan-loop-never-advances": Wrong(
            api(
                (
                    'pages = dynamodb.get_paginator("scan").paginate('
                    'TableName=os.environ["TABLE"])\n'
                    "        return reply(200, totals([item for page in pages for item in "
                    'page["Items"]]))',
                    """items, args = [], {"TableName": os.environ["TABLE"]}
        while True:
            page = dynamodb.scan(**args)
            items += page["Items"]
            if "LastEvaluatedKey" not in page:
                break
            start = page["LastEvaluatedKey"]  # meant for args["ExclusiveStartKey"]
        return reply(200, totals(items))""",
                )
            ),
            "Task timed out",
            "never passes it to the next Scan as `ExclusiveStartKey`",
        ),
        # Learner trial 7 (M3): the paginator, capped by MaxItems.
        "paginator-max-items": Wrong(
            api(
                (
                    'paginate(TableName=os.environ["TABLE"])',
                    'paginate(TableName=os.environ["TABLE"], PaginationConfig={"MaxItems": 200})',
                )
            ),
            "`MaxItems`",
        ),
        # Learner trial 6 (M2): every page read, each one replacing the last: the last page only.
        "last-scan-page-only": Wrong(
            api(
                (
                    'return reply(200, totals([item for page in pages for item in page["Items"]]))',
                    """for page in pages:
            items = page["Items"]
        return reply(200, totals(items))""",
                )
            ),
            "read every page of the scan",
            "not only the last",
        ),
        "whole-service-allowed": Wrong(
            api(api_pairs=(QUERY_ROLE, 'role("receipts-query", [allow("dynamodb:*", table_arn)])')),
            "`dynamodb:*` is a wildcard",
            "`dynamodb:GetItem`",
        ),
        "write-rights-too": Wrong(
            api(
                api_pairs=(
                    QUERY_ROLE,
                    'role("receipts-query", [allow(["dynamodb:GetItem", "dynamodb:Scan", '
                    '"dynamodb:PutItem", "dynamodb:DeleteItem"], table_arn)])',
                )
            ),
            "`dynamodb:PutItem` is not needed",
            "`dynamodb:DeleteItem` is not needed",
        ),
        "missing-scan-permission": Wrong(
            api(
                api_pairs=(
                    QUERY_ROLE,
                    'role("receipts-query", [allow("dynamodb:GetItem", table_arn)])',
                )
            ),
            "GET /totals answered 500",
            "dynamodb:Scan",
        ),
        # Learner trial 9 (TW15): a receipt's total answered as a float; the notebook says
        # amounts travel as strings.
        "receipt-total-as-float": Wrong(
            api(
                query_pairs=(
                    "return reply(200, {name: next(iter(value.values())) for name, value in "
                    "item.items()})",
                    "plain = {name: next(iter(value.values())) for name, value in item.items()}\n"
                    '        return reply(200, plain | {"total": float(plain["total"])})',
                )
            ),
            "total as a number",
            "travel as strings",
        ),
        "no-404": Wrong(
            api(('return reply(404, {"error": "no such receipt"})', "return reply(200, {})")),
            "404",
        ),
        # Learner trial 13 (QD4): the id taken from `rawPath`, still URL-encoded: a receipt
        # whose id has a space or a letter beyond ASCII answered 404.
        "id-from-raw-path": Wrong(
            api(('event["pathParameters"]["id"]', 'event["rawPath"].rsplit("/", 1)[-1]')),
            "URL-encoded",
            "reads the path from `rawPath`",
            "event['pathParameters']['id']",
        ),
        # Learner trial 13 (QD10): `json.dumps` forgotten in `reply`: the kit serialises the
        # dict, API Gateway answers 500 on AWS.
        "body-dict-not-string": Wrong(
            api(('"body": json.dumps(body)}', '"body": body}')),
            "`body` that is a dict",
            "not a string",
            "json.dumps",
        ),
        # Found by a learner trial: every page read, but the totals added up as floats.
        "float-totals": Wrong(
            api(
                (
                    'return reply(200, totals([item for page in pages for item in page["Items"]]))',
                    """items = [item for page in pages for item in page["Items"]]
        by_store = {}
        for item in items:
            store = item["store"]["S"]
            by_store[store] = by_store.get(store, 0.0) + float(item["total"]["N"])
        answer = {"receipts": len(items), "total": sum(by_store.values()), "by_store": by_store}
        return reply(200, answer)""",
                )
            ),
            "Every receipt was counted",
            "rounding error",
            "Decimal",
        ),
        # Learner trial 10 (ZD17): a public function URL left on `receipts-query`.
        "public-function-url-on-query": Wrong(
            BASE + _QUERY + _API + public_url("receipts-query"),
            "public function URL",
            "delete_function_url_config",
        ),
        # Learner trial 10 (ZD18): a statement for EventBridge left on `receipts-query`.
        "leftover-statement-other-principal": Wrong(
            BASE
            + _QUERY
            + _API
            + leftover_statement(
                "receipts-query",
                "events.amazonaws.com",
                'f"arn:aws:events:{region}:{account}:rule/receipts-nightly"',
            ),
            "also lets `events.amazonaws.com` invoke it",
            "remove_permission",
        ),
        # Learner trial 10 (ZD3): the `$default` stage created without AutoDeploy and never
        # deployed: the message said "no route matched" and advised create_stage again.
        "stage-without-autodeploy": Wrong(
            api(
                api_pairs=(
                    'StageName="$default", AutoDeploy=True)\nelse',
                    'StageName="$default")\nelse',
                )
            ),
            "without `AutoDeploy=True`",
            "no deployment",
            "update_stage",
            "create_deployment",
        ),
        # Learner trial 13 (QW2): the stage made with a burst limit of 0: every request is
        # throttled (429) before `query` runs; the message named nothing.
        "stage-burst-limit-zero": Wrong(
            api(
                api_pairs=(
                    'StageName="$default", AutoDeploy=True)\nelse',
                    'StageName="$default", AutoDeploy=True,\n'
                    '                      DefaultRouteSettings={"ThrottlingBurstLimit": 0, '
                    '"ThrottlingRateLimit": 50.0})\nelse',
                )
            ),
            "answered 429",
            "`DefaultRouteSettings` has `ThrottlingBurstLimit` 0",
        ),
        # Learner trial 10 (ZD13): GET /totals kept for 5 minutes in module globals, every page
        # read: the check's first GET /totals fills the cache before its writes. The message
        # told the learner to use the paginator they already used.
        "totals-cached-across-invocations": Wrong(
            api(
                (
                    'dynamodb = boto3.client("dynamodb")',
                    'dynamodb = boto3.client("dynamodb")\nimport time\n'
                    "CACHED, CACHED_AT = None, 0.0",
                    TOTALS_REPLY,
                    """global CACHED, CACHED_AT
        if CACHED is None or time.time() - CACHED_AT > 300:
            CACHED = totals([item for page in pages for item in page["Items"]])
            CACHED_AT = time.time()
        return reply(200, CACHED)""",
                )
            ),
            "before the check wrote its receipts",
            "between invocations",
        ),
        # Learner trial 10 (ZW8): the table read once at Init, receipts answered from it: the
        # check's receipt, written just before, answered 404 with a bare reason.
        "receipts-cached-at-init": Wrong(
            api(
                (
                    'dynamodb = boto3.client("dynamodb")',
                    """dynamodb = boto3.client("dynamodb")
CACHE = {
    item["receipt_id"]["S"]: item
    for page in dynamodb.get_paginator("scan").paginate(TableName=os.environ["TABLE"])
    for item in page["Items"]
}""",
                    'item = dynamodb.get_item(TableName=os.environ["TABLE"], Key=key).get("Item")',
                    'item = CACHE.get(event["pathParameters"]["id"])',
                )
            ),
            "written that receipt",
            "at Init",
            "`get_item` at each request",
        ),
        # Learner trial 12 (LD10): a 60 ms integration timeout: the ❌ said only "answered 503";
        # it names the timeout, which a cold start alone exceeds.
        "integration-timeout-60-ms": Wrong(
            api() + "apigw.update_integration(ApiId=api_id, IntegrationId=integration_id, "
            "TimeoutInMillis=60)\n",
            "`GET /receipts/{id}`'s integration has `TimeoutInMillis=60`",
            "cold start",
            "TimeoutInMillis=30000)",
        ),
    },
    right={
        "resource-api-route-permissions": RIGHT_API_RESOURCE,
        "own-role": RIGHT_API_OWN_ROLE,
        # Learner trial 9 (TD11): a receipt read with Query on its key, the role allowing
        # Query and Scan, what the code calls; the ❌ said "`dynamodb:Query` is not needed".
        "query-instead-of-getitem": api(
            query_pairs=(
                'item = dynamodb.get_item(TableName=os.environ["TABLE"], Key=key).get("Item")',
                'found = dynamodb.query(TableName=os.environ["TABLE"],\n'
                '            KeyConditionExpression="receipt_id = :id",\n'
                '            ExpressionAttributeValues={":id": key["receipt_id"]})["Items"]\n'
                "        item = found[0] if found else None",
            ),
            api_pairs=(QUERY_ROLE, QUERY_ROLE.replace('"dynamodb:GetItem"', '"dynamodb:Query"')),
        ),
    },
    broken="whole-service-allowed",
)

ANSWERS["api"] = API


# ------------------------------------------------------------------------------ stage 3: retries
RETRY_SQS = (
    'allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], retry_arn),'
)
RETRY_ROLE = """role("receipts-retry", [
        allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], retry_arn),
        allow("dynamodb:PutItem", table_arn),
    ])"""


def retry(*pairs: str) -> str:
    return BASE + _INGEST + swap(_RETRY, *pairs)


# Three receives before the dead-letter queue, one message per invocation, a comprehension.
RIGHT_RETRY_THREE = retry(
    '"maxReceiveCount": 2',
    '"maxReceiveCount": 3',
    "BatchSize=10",
    "BatchSize=1",
    """    failures = []
    for record in event["Records"]:""",
    """    failures = []
    for record in sorted(event["Records"], key=lambda r: r["messageId"]):""",
)

# A customer managed policy on a role of another name, one statement per action.
RIGHT_RETRY_MANAGED = retry(
    RETRY_ROLE,
    "retry_role_arn",
    'deploy(\n    "receipts-retry",',
    """retry_role_arn = execution_role("retry-worker")
statements = [
    {"Effect": "Allow", "Action": f"sqs:{action}", "Resource": retry_arn}
    for action in ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes")
] + [{"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": [table_arn]}]
policy_arn = iam.create_policy(PolicyName="retry-worker", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": statements}))["Policy"]["Arn"]
iam.attach_role_policy(RoleName="retry-worker", PolicyArn=policy_arn)
deploy(
    "receipts-retry",""",
)

# Found by a learner trial: the repaired rows of a batch written with one BatchWriteItem call,
# and the role allows `dynamodb:BatchWriteItem` (what the code calls) instead of PutItem.
RIGHT_RETRY_BATCH_WRITE = retry(
    "    failures = []\n",
    "    failures, repaired = [], []\n",
    '        dynamodb.put_item(TableName=os.environ["TABLE"], Item=item)\n',
    "        repaired.append(item)\n",
    '    return {"batchItemFailures": failures}',
    """    requests = [{"PutRequest": {"Item": item}} for item in repaired]
    while requests:  # what DynamoDB couldn't write this time comes back as UnprocessedItems
        answer = dynamodb.batch_write_item(RequestItems={os.environ["TABLE"]: requests})
        requests = answer.get("UnprocessedItems", {}).get(os.environ["TABLE"], [])
    return {"batchItemFailures": failures}""",
    'allow("dynamodb:PutItem", table_arn),',
    'allow("dynamodb:BatchWriteItem", table_arn),',
)

RETRY = Answers(
    before=BASE + _INGEST,
    wrong={
        # Learner trial 11 (FD12): a second mapping hands `receipts-dlq` to the worker too ("one
        # more try"), the role widened so that AWS lets it be made, then trimmed back as the ❌
        # advised: the mapping, still enabled, was not named, and the check passed.
        "mapping-on-the-dlq-too": Wrong(
            retry()
            + RETRY_ROLE.replace("retry_arn),", "retry_arn, dlq_arn),", 1)
            + """
lam.create_event_source_mapping(EventSourceArn=dlq_arn, FunctionName="receipts-retry",
                                BatchSize=10, FunctionResponseTypes=["ReportBatchItemFailures"])
"""
            + RETRY_ROLE
            + "\n",
            "also reads `receipts-dlq`",
            "wait for a human",
            "delete_event_source_mapping(UUID=",
        ),
        # Learner trial 11 (FD8): the worker gives up on a row at its second receive (neither
        # stored nor reported: the queue deletes it); the ❌ said it left "after 1 receive(s)",
        # the second receive missed between two looks at the queue.
        "drops-at-max-receive-count": Wrong(
            retry(
                """            failures.append({"itemIdentifier": record["messageId"]})""",
                """            if int(receives) >= 2:
                print("giving up on", message["source"])
                continue
            failures.append({"itemIdentifier": record["messageId"]})""",
            ),
            "never reached `receipts-dlq`",
            "after 2 receive(s)",
        ),
        # Learner trial 8 (N M4): the record's body used as it comes, a string.
        "body-not-parsed": Wrong(
            retry('json.loads(record["body"])', 'record["body"]'),
            "string indices must be integers",
            "`json.loads(record['body'])`",
        ),
        "no-report-batch-item-failures": Wrong(
            retry('FunctionResponseTypes=["ReportBatchItemFailures"],', ""),
            "ReportBatchItemFailures",
        ),
        "no-redrive-policy": Wrong(
            retry(
                '"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, '
                '"maxReceiveCount": 2}),',
                "",
            ),
            "redrive policy",
            "receipts-dlq",
        ),
        "hopeless-row-dropped": Wrong(
            retry('failures.append({"itemIdentifier": record["messageId"]})', "pass"),
            "did not report the rows with `lots` and `many`",
            "batchItemFailures",
        ),
        # Learner trial 13 (QD7): the stage as the notebook has it, then `retry` redeployed
        # with a longer timeout (the usual fix for a slow function): the queue's visibility
        # timeout (1 s) is now shorter than it, which Lambda checks only when the mapping is
        # created or updated; rows still being worked on come back and are handled twice.
        "timeout-raised-above-visibility": Wrong(
            retry()
            + """
lam.update_function_configuration(FunctionName="receipts-retry", Timeout=3)
lam.get_waiter("function_updated_v2").wait(FunctionName="receipts-retry")
""",
            "visibility timeout is 1 s",
            "timeout is 3 s",
            "VisibilityTimeout",
        ),
        # Learner trial 13 (QD7): the same, the queue's visibility timeout lowered instead.
        "visibility-lowered-below-timeout": Wrong(
            retry()
            + """
sqs.set_queue_attributes(QueueUrl=retry_url, Attributes={"VisibilityTimeout": "0"})
""",
            "visibility timeout is 0 s",
            "timeout is 1 s",
        ),
        # Learner trial 13 (QD8): a dead-letter queue that keeps its rows 60 s: a message moved
        # there keeps its first enqueue time, so a hopeless row expires within a minute of its
        # upload, and never waits for a human.
        "dlq-retention-shorter-than-source": Wrong(
            retry(
                'dlq_url = sqs.create_queue(QueueName="receipts-dlq")["QueueUrl"]',
                'dlq_url = sqs.create_queue(QueueName="receipts-dlq", '
                'Attributes={"MessageRetentionPeriod": "60"})["QueueUrl"]',
                'sqs.set_queue_attributes(QueueUrl=dlq_url, Attributes={"MessageRetentionPeriod": '
                '"1209600"})\n',
                "",
            ),
            "keeps messages 60 s",
            "MessageRetentionPeriod",
            "enqueue time",
        ),
        # Learner trial 13 (QD13): the failures under `BatchItemFailures`: Lambda reads a
        # response without `batchItemFailures` as a complete success; the ❌ said the handler
        # "did not report the rows", which it did, under a misspelt key.
        "failures-key-capitalised": Wrong(
            retry(
                'return {"batchItemFailures": failures}', 'return {"BatchItemFailures": failures}'
            ),
            "`BatchItemFailures` is not `batchItemFailures`",
            "case-sensitive",
        ),
        # Found by a learner trial: both passed while the queue delivered the rows apart.
        "raises-for-the-whole-batch": Wrong(
            retry(
                'failures.append({"itemIdentifier": record["messageId"]})'
                "  # only this one comes back",
                "raise",
            ),
            "failed with",
            "fails the whole batch",
        ),
        "receipt-handle-as-identifier": Wrong(
            retry(
                '{"itemIdentifier": record["messageId"]}',
                '{"itemIdentifier": record["receiptHandle"]}',
            ),
            "not the batch's message ids",
        ),
        "not-lenient": Wrong(
            retry('to_item(message["row"], lenient=True)', 'to_item(message["row"])'),
            "4.20",
            "lenient=True",
        ),
        "managed-sqs-policy": Wrong(
            retry(
                RETRY_ROLE,
                "retry_role_arn",
                'deploy(\n    "receipts-retry",',
                'retry_role_arn = role("receipts-retry", [allow("dynamodb:PutItem", table_arn)])\n'
                'iam.attach_role_policy(RoleName="receipts-retry", PolicyArn="arn:aws:iam::aws:'
                'policy/service-role/AWSLambdaSQSQueueExecutionRole")\n'
                'deploy(\n    "receipts-retry",',
            ),
            "`sqs:ReceiveMessage` on `*` is a wildcard resource",
        ),
        "missing-put-permission": Wrong(
            retry('        allow("dynamodb:PutItem", table_arn),\n', ""),
            "AccessDenied",
            "dynamodb:PutItem",
        ),
        # Found by a learner trial: the missing right hidden by `except Exception`, each refused
        # put reported as a row it can't repair.
        "missing-put-permission-swallowed": Wrong(
            retry(
                '            item = to_item(message["row"], lenient=True)\n'
                "        except ValueError as error:",
                '            item = to_item(message["row"], lenient=True)\n'
                '            dynamodb.put_item(TableName=os.environ["TABLE"], Item=item)\n'
                "        except Exception as error:",
                '        dynamodb.put_item(TableName=os.environ["TABLE"], Item=item)\n'
                '        print("repaired"',
                '        print("repaired"',
                '        allow("dynamodb:PutItem", table_arn),\n',
                "",
            ),
            "may not `dynamodb:PutItem`",
            "AccessDenied",
        ),
        # Found by a learner trial: the failures as bare message ids.
        "ids-as-strings": Wrong(
            retry(
                'failures.append({"itemIdentifier": record["messageId"]})',
                'failures.append(record["messageId"])',
            ),
            "{'itemIdentifier': record['messageId']}",
            "whole batch",
        ),
        # Found by a learner trial: the failures inverted, the repaired row reported and the
        # hopeless one not (the message said "as failed too").
        "failures-inverted": Wrong(
            retry(
                '            failures.append({"itemIdentifier": record["messageId"]})'
                "  # only this one comes back\n"
                "            continue\n"
                '        dynamodb.put_item(TableName=os.environ["TABLE"], Item=item)\n',
                "            continue\n"
                '        dynamodb.put_item(TableName=os.environ["TABLE"], Item=item)\n'
                '        failures.append({"itemIdentifier": record["messageId"]})\n',
            ),
            "and not the rows with `lots` and `many`",
            "as if it had been repaired",
        ),
        # Found by a learner trial: deployed without its environment; `os.environ["TABLE"]`
        # fails every batch (not a row the handler raised for).
        "no-table-variable": Wrong(
            retry('    Environment={"Variables": {"TABLE": "receipts"}},\n', ""),
            "KeyError: 'TABLE'",
            "environment has no variable `TABLE`",
            "update_function_configuration",
        ),
        # Found by a learner trial: the role without `sqs:GetQueueAttributes`, so Lambda refuses
        # to create the mapping; the message names the right the role lacks.
        "mapping-refused-no-get-queue-attributes": Wrong(
            retry(RETRY_SQS, 'allow(["sqs:ReceiveMessage", "sqs:DeleteMessage"], retry_arn),'),
            "no enabled event source mapping",
            "lacks `sqs:GetQueueAttributes`",
            raises="does not have permissions to call GetQueueAttributes",
        ),
        # Learner trial 12 (LD4, kit fix 761cf99): the mapping given the queue's URL (the
        # notebook's `retry_url`): Lambda refuses it as not an ARN (ValidationException, the
        # model's pattern), not as a missing resource; the check names the mapping to make.
        "mapping-on-queue-url": Wrong(
            retry(
                "EventSourceArn=retry_arn, FunctionName",
                "EventSourceArn=retry_url, FunctionName",
            ),
            "no enabled event source mapping",
            "EventSourceArn=<the queue's ARN>",
            raises="eventSourceArn",
        ),
        # BatchWriteItem allowed as well, though the handler writes with put_item only.
        "batch-write-allowed-not-called": Wrong(
            retry(
                'allow("dynamodb:PutItem", table_arn),',
                'allow(["dynamodb:PutItem", "dynamodb:BatchWriteItem"], table_arn),',
            ),
            "`dynamodb:BatchWriteItem` is not needed",
        ),
        # Learner trial 9 (TD2): only the first record of each batch handled; the others were
        # deleted as successes. It passed 3 runs in 4 (a batch of two, shuffled).
        "first-record-only": Wrong(
            retry('for record in event["Records"]:', 'for record in event["Records"][:1]:'),
            "handled only the first record",
            "neither stored nor reported",
        ),
        # Learner trial 9 (TD4): `break` after the first row it can't repair; the rest of the
        # batch was deleted as done. It passed every time.
        "break-not-continue": Wrong(
            retry(
                "  # only this one comes back\n            continue\n",
                "  # only this one comes back\n            break\n",
            ),
            "stopped at the first row it couldn't repair",
            "`continue`",
        ),
        # Issue 11: the direct batch runs in a copy with a longer timeout (a right answer's
        # four rows may take more than 1 s on a loaded machine); a handler that waits a second
        # before reporting each row it can't repair still runs past its own 1-second Timeout,
        # and is named by the sleep its code asks for, not by the machine's timing.
        "sleeps-before-each-report": Wrong(
            retry(
                "import json\n",
                "import json\nimport time\n",
                '            failures.append({"itemIdentifier": record["messageId"]})'
                "  # only this one comes back\n",
                "            time.sleep(1)  # wait a moment before it comes back\n"
                '            failures.append({"itemIdentifier": record["messageId"]})'
                "  # only this one comes back\n",
            ),
            "`time.sleep` for 2.0 s",
            "Task timed out after 1.00 seconds",
            "fails the whole batch",
        ),
        # Issue 11: a handler that waits for ever (not by `time.sleep`) runs past the copy's
        # longer timeout too, and is named as one that doesn't finish within its Timeout.
        "waits-for-ever": Wrong(
            retry(
                "import json\n",
                "import json\nimport threading\n",
                "    failures = []\n",
                "    threading.Event().wait(60)  # for a signal nothing sends\n    failures = []\n",
            ),
            "did not finish",
            "Task timed out after 1.00 seconds",
        ),
        # Issue 11: a handler that waits two seconds otherwise than by `time.sleep` finishes
        # within the copy's longer timeout, so the direct batch passes it; the function itself,
        # invoked by its mapping with its own 1-second Timeout, times out on the real path,
        # and that message names it.
        "waits-past-its-timeout": Wrong(
            retry(
                "import json\n",
                "import json\nimport threading\n",
                "    failures = []\n",
                "    threading.Event().wait(2)  # for a signal nothing sends\n    failures = []\n",
            ),
            "no such receipt",
            "Task timed out after 1.00 seconds",
        ),
        # Issue 11: the direct batch's copy runs the handler through a module of the check's
        # own; a handler that isn't there is still named in AWS's words, not the wrapper's.
        "handler-renamed": Wrong(
            retry("def handler(event, context):", "def handle(event, context):"),
            "Runtime.HandlerNotFound",
            "Handler 'handler' missing on module 'app'",
        ),
        # Learner trial 9 (TD3): a filter "not to waste invocations" on rows without a total:
        # Lambda discards (deletes) them, and they never reach the dead-letter queue.
        "filter-discards-rows": Wrong(
            retry(
                "MaximumBatchingWindowInSeconds=0, FunctionResponseTypes",
                "MaximumBatchingWindowInSeconds=0, FilterCriteria={'Filters': [{'Pattern': "
                "json.dumps({'body': {'row': {'total': [{'exists': True}]}}})}]},\n"
                "        FunctionResponseTypes",
            ),
            "`FilterCriteria`",
            "discards",
            "receipts-dlq",
        ),
        # Learner trial 10 (ZD18): a statement for S3 left on `receipts-retry`, whose
        # trigger (the event source mapping) needs no statement at all.
        "leftover-statement-other-principal": Wrong(
            retry()
            + leftover_statement(
                "receipts-retry", "s3.amazonaws.com", '"arn:aws:s3:::receipts-app"'
            ),
            "also lets `s3.amazonaws.com` invoke it",
            "needs no statement",
        ),
        # Learner trial 10 (ZD9): the mapping disabled: the message said to create one,
        # which AWS refuses while it exists.
        "mapping-disabled": Wrong(
            retry()
            + """
for mapping in lam.list_event_source_mappings(
    EventSourceArn=retry_arn, FunctionName="receipts-retry"
)["EventSourceMappings"]:
    lam.update_event_source_mapping(UUID=mapping["UUID"], Enabled=False)
""",
            "is disabled",
            "update_event_source_mapping(UUID=",
            "Enabled=True",
        ),
        # Learner trial 10 (ZD4): a batch of one and a handler that raises, no partial batch
        # response: it works on AWS (the row comes back, and reaches the DLQ), but the stage
        # reads in batches and reports rows; the message said the row would be deleted.
        "batch-of-one-raises": Wrong(
            retry(
                'FunctionResponseTypes=["ReportBatchItemFailures"],',
                "",
                "BatchSize=10",
                "BatchSize=1",
                'failures.append({"itemIdentifier": record["messageId"]})',
                "raise",
                "  # only this one comes back\n            continue\n",
                "\n",
                '    return {"batchItemFailures": failures}',
                "    return None",
            ),
            "`BatchSize=1`",
            "does come back",
            "each message costs an invocation",
            "in batches",
        ),
        # Learner trial 10 (ZW7): the handler sends a row it can't repair to the DLQ itself
        # and reports nothing: no retry (the redrive policy unused); the message said the rows
        # would be deleted "as if repaired".
        "handler-sends-to-dlq-itself": Wrong(
            retry(
                'dynamodb = boto3.client("dynamodb")',
                'dynamodb = boto3.client("dynamodb")\nsqs = boto3.client("sqs")',
                'failures.append({"itemIdentifier": record["messageId"]})',
                'sqs.send_message(QueueUrl=os.environ["DLQ_URL"], MessageBody=record["body"])',
                'Environment={"Variables": {"TABLE": "receipts"}}',
                'Environment={"Variables": {"TABLE": "receipts", "DLQ_URL": dlq_url}}',
                'allow("dynamodb:PutItem", table_arn),',
                'allow("dynamodb:PutItem", table_arn),\n        allow("sqs:SendMessage", dlq_arn),',
            ),
            "sends them on itself",
            "after a single try",
            "`batchItemFailures`",
        ),
    },
    right={
        # Learner trial 9 (TD9): the mapping on the alias `receipts-retry:live` (a mapping may
        # name an alias); the check found only a mapping to the function itself.
        "mapping-on-alias": retry(
            "found = lam.list_event_source_mappings(EventSourceArn=retry_arn, "
            'FunctionName="receipts-retry")',
            'version = lam.publish_version(FunctionName="receipts-retry")["Version"]\n'
            'lam.create_alias(FunctionName="receipts-retry", Name="live", '
            "FunctionVersion=version)\n"
            "found = lam.list_event_source_mappings(EventSourceArn=retry_arn, "
            'FunctionName="receipts-retry:live")',
            'EventSourceArn=retry_arn, FunctionName="receipts-retry", BatchSize=10',
            'EventSourceArn=retry_arn, FunctionName="receipts-retry:live", BatchSize=10',
        ),
        "three-receives-one-by-one": RIGHT_RETRY_THREE,
        "managed-policy": RIGHT_RETRY_MANAGED,
        "batch-write-item": RIGHT_RETRY_BATCH_WRITE,
        # Learner trial 11 (FD23): the repaired row written with an upsert, `update_item`, the
        # role allowing `dynamodb:UpdateItem` instead of PutItem ("not needed", said the check).
        "update-item-upsert": retry(
            PUT_ITEM,
            UPSERT,
            'allow("dynamodb:PutItem", table_arn),',
            'allow("dynamodb:UpdateItem", table_arn),',
        ),
        # Learner trial 7 (D6): maxReceiveCount 100 (valid: 1-1000), which the check's capped
        # wait on real time refused, blaming the handler.
        "a-hundred-receives": retry('"maxReceiveCount": 2', '"maxReceiveCount": 100'),
        # Learner trial 10 (ZW4): maxReceiveCount 1 is valid on AWS (a tick), and the praise
        # notes that it retries nothing instead of speaking of "its retries".
        "one-receive": retry('"maxReceiveCount": 2', '"maxReceiveCount": 1'),
        # Learner trial 7: a batching window, and a visibility timeout of the function's
        # timeout plus the window, as AWS advises.
        "batching-window-visibility": retry(
            '"VisibilityTimeout": "1"',
            '"VisibilityTimeout": "3"',
            "MaximumBatchingWindowInSeconds=0",
            "MaximumBatchingWindowInSeconds=2",
        ),
    },
    broken="hopeless-row-dropped",
)

ANSWERS["retry_path"] = RETRY


# ------------------------------------------------------------------------------ stage 4: nightly
NIGHTLY_PERMISSION = """lam.add_permission(
    FunctionName="receipts-report", StatementId="receipts-nightly",
    Action="lambda:InvokeFunction", Principal="events.amazonaws.com", SourceArn=rule_arn,
)"""


HANDLER_STARTS = "def handler(event, context):\n    pages"


def nightly(*pairs: str) -> str:
    return BASE + swap(_NIGHTLY, *pairs)


# EventBridge Scheduler instead of a rule (notebook 04b), in Paris time: the report's function
# as the stage deploys it, then the schedule with a role Scheduler may assume.
SCHEDULER_IN_PARIS = (
    BASE
    + _NIGHTLY[: _NIGHTLY.index("# One schedule only")]
    + """
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
         "Principal": {"Service": "scheduler.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
iam.create_role(RoleName="receipts-schedule", AssumeRolePolicyDocument=json.dumps(trust))
iam.put_role_policy(RoleName="receipts-schedule", PolicyName="invoke", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [allow("lambda:InvokeFunction", report_arn)]}))
boto3.client("scheduler").create_schedule(
    Name="receipts-nightly", ScheduleExpression="cron(0 2 * * ? *)",
    ScheduleExpressionTimezone="Europe/Paris", FlexibleTimeWindow={"Mode": "OFF"},
    Target={"Arn": report_arn,
            "RoleArn": iam.get_role(RoleName="receipts-schedule")["Role"]["Arn"]},
)
"""
)


# The other way to write the same cron (day of month `?`), boto3's resource API, a rule of
# another name, and one statement per action.
RIGHT_NIGHTLY_RESOURCE = (
    BASE
    + '''
source = """
import json
import os
from decimal import Decimal

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE"])
bucket = boto3.resource("s3").Bucket(os.environ["BUCKET"])


def handler(event, context):
    items, kwargs = [], {}
    while True:
        page = table.scan(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    total = sum((item["total"] for item in items), Decimal(0))
    night = event["time"].split("T")[0]
    body = {"night": night, "receipts": len(items), "total": str(total)}
    bucket.put_object(Key=f"reports/{night}.json", Body=json.dumps(body).encode())
"""
arn = deploy("receipts-report", source, role("receipts-report", [
    allow("dynamodb:Scan", table_arn),
    allow("s3:PutObject", "arn:aws:s3:::receipts-app/reports/*"),
]), Environment={"Variables": {"TABLE": "receipts", "BUCKET": "receipts-app"}})
rule = events.put_rule(Name="nightly-report", ScheduleExpression="cron(0 2 ? * * *)",
                       State="ENABLED")
events.put_targets(Rule="nightly-report", Targets=[{"Id": "1", "Arn": arn}])
lam.add_permission(FunctionName=arn, StatementId="nightly", Action="lambda:InvokeFunction",
                   Principal="events.amazonaws.com", SourceArn=rule["RuleArn"])
'''
)

# The notebook's cells, the rule's ARN read back with describe_rule, a role of another name.
RIGHT_NIGHTLY_DESCRIBED = nightly(
    """role("receipts-report", [
        allow("dynamodb:Scan", table_arn),
        allow("s3:PutObject", "arn:aws:s3:::receipts-app/reports/*"),
    ])""",
    """role("receipts-reporter", [
        {"Effect": "Allow", "Action": ["dynamodb:Scan"], "Resource": [table_arn]},
        {"Effect": "Allow", "Action": ["s3:PutObject"],
         "Resource": ["arn:aws:s3:::receipts-app/reports/*"]},
    ])""",
    """rule_arn = events.put_rule(
    Name="receipts-nightly", ScheduleExpression="cron(0 2 * * ? *)", State="ENABLED"
)["RuleArn"]""",
    """events.put_rule(Name="receipts-nightly", ScheduleExpression="cron(0 2 * * ? *)")
rule_arn = events.describe_rule(Name="receipts-nightly")["Arn"]""",
)

# Found by a learner trial: a first attempt's rule, `rate(1 day)`, left enabled next to the
# right one, with its target and its permission.
OLD_RULE_LEFT = (
    BASE
    + _NIGHTLY
    + """
old_arn = events.put_rule(Name="receipts-daily", ScheduleExpression="rate(1 day)")["RuleArn"]
events.put_targets(Rule="receipts-daily", Targets=[{"Id": "report", "Arn": report_arn}])
lam.add_permission(
    FunctionName="receipts-report", StatementId="receipts-daily", Action="lambda:InvokeFunction",
    Principal="events.amazonaws.com", SourceArn=old_arn,
)
"""
)

# Learner trial 9 (TD6, TD7): a version published, the alias `live` as the rule's target; the
# permission on the function itself (the alias's own policy has none).
ALIAS_TARGET_PERMISSION_ON_FUNCTION = nightly(
    "rule_arn = events.put_rule(",
    'version = lam.publish_version(FunctionName="receipts-report")["Version"]\n'
    'live_arn = lam.create_alias(FunctionName="receipts-report", Name="live", '
    'FunctionVersion=version)["AliasArn"]\n'
    "rule_arn = events.put_rule(",
    'Targets=[{"Id": "report", "Arn": report_arn}]',
    'Targets=[{"Id": "report", "Arn": live_arn}]',
)

NIGHTLY = Answers(
    before=BASE,
    wrong={
        # First: the solution, run after it, must remove the old rule.
        "old-rule-left": Wrong(OLD_RULE_LEFT, "ran 2 times", "`receipts-daily`", "delete_rule"),
        # Found by a learner trial: the sample event's time as the target's constant Input.
        "constant-input": Wrong(
            nightly(
                'Targets=[{"Id": "report", "Arn": report_arn}]',
                'Targets=[{"Id": "report", "Arn": report_arn, '
                '"Input": json.dumps({"time": "2026-01-15T12:00:00Z"})}]',
            ),
            "constant `Input`",
            "replaces the Scheduled Event",
        ),
        # A learner trial: one Scan call, its first page only (1 MB at most).
        "one-scan-page": Wrong(
            nightly(
                'pages = dynamodb.get_paginator("scan").paginate(TableName=os.environ["TABLE"])\n'
                '    summary = totals([item for page in pages for item in page["Items"]])',
                'page = dynamodb.scan(TableName=os.environ["TABLE"])\n'
                '    summary = totals(page["Items"])',
            ),
            "every page",
        ),
        "bucket-arn-not-objects": Wrong(
            nightly('"arn:aws:s3:::receipts-app/reports/*"', '"arn:aws:s3:::receipts-app"'),
            "AccessDenied",
            "reports/*",
        ),
        "missing-add-permission": Wrong(
            nightly(NIGHTLY_PERMISSION, ""), "resource-based policy", "events.amazonaws.com"
        ),
        # Stop 26: a nightly run that times out runs again in a copy with 10 s more (a right
        # report outlasted 3 s on a machine at a load of 13); what is slow for real still
        # fails, named by what doesn't depend on the machine's load.
        "report-sleeps-past-its-timeout": Wrong(
            nightly(
                HANDLER_STARTS,
                HANDLER_STARTS.replace("    pages", "    __import__('time').sleep(4)\n    pages"),
            ),
            "`time.sleep` for 4.0 s",
            "`Timeout` of 3 s",
        ),
        "report-waits-on-an-event": Wrong(
            nightly(
                HANDLER_STARTS,
                HANDLER_STARTS.replace(
                    "    pages", "    __import__('threading').Event().wait(4)\n    pages"
                ),
            ),
            "not counting the time this machine kept it waiting",
            "`Timeout` of 3 s",
        ),
        "report-waits-for-ever": Wrong(
            nightly(
                HANDLER_STARTS,
                HANDLER_STARTS.replace(
                    "    pages", "    __import__('threading').Event().wait()\n    pages"
                ),
            ),
            "timed out there too",
        ),
        # Learner trial 7 (D7): weekdays only, as 04b's example; it passed when the next night
        # was a weekday (the check ran Sunday to Thursday) and failed on Friday and Saturday.
        "weekdays-only": Wrong(
            nightly(
                'ScheduleExpression="cron(0 2 * * ? *)"',
                'ScheduleExpression="cron(0 2 ? * MON-FRI *)"',
            ),
            "`MON-FRI`",
            "none on a Saturday or Sunday",
            "every night",
        ),
        # Days 1-28 of the month only: 29 to 31 have no report.
        "first-28-days-only": Wrong(
            nightly(
                'ScheduleExpression="cron(0 2 * * ? *)"',
                'ScheduleExpression="cron(0 2 1-28 * ? *)"',
            ),
            "day-of-month `1-28`",
            "skips",
        ),
        # Found by a learner trial: every rule of the account may invoke the report.
        "every-rule-of-the-account": Wrong(
            nightly(
                "SourceArn=rule_arn",
                'SourceArn=f"arn:aws:events:{region}:{account}:rule/*"',
            ),
            "over-broad",
        ),
        "permission-for-another-rule": Wrong(
            nightly(
                "SourceArn=rule_arn",
                'SourceArn=f"arn:aws:events:{region}:{account}:rule/receipts-weekly"',
            ),
            "resource-based policy",
            "rule/receipts-nightly",
        ),
        "wrong-hour": Wrong(nightly("cron(0 2 * * ? *)", "cron(0 14 * * ? *)"), "02:00"),
        # Learner trial 6 (D3): the year field pinned to the current year; the schedule stops
        # on 31 December.
        "this-year-only": Wrong(
            nightly(
                'ScheduleExpression="cron(0 2 * * ? *)"',
                'ScheduleExpression=f"cron(0 2 * * ? {aws.now().year})"',
            ),
            "the year field",
            "stops after",
            "`cron(0 2 * * ? *)`",
        ),
        # Too often: every six hours, not every hour, so that the fast-forwarded day runs the
        # report 4 times rather than 24 (the same check, 15 s less of the suite).
        "every-six-hours": Wrong(nightly("cron(0 2 * * ? *)", "rate(6 hours)"), "ran 4 times"),
        "whole-bucket-writable": Wrong(
            nightly('"arn:aws:s3:::receipts-app/reports/*"', '"arn:aws:s3:::receipts-app/*"'),
            "wildcard resource",
            "reports/*",
        ),
        # Found by a learner trial: the role rewritten with the S3 statement only, Scan dropped;
        # the message names the refused Scan, not S3 advice the role already follows.
        "scan-dropped": Wrong(
            nightly('        allow("dynamodb:Scan", table_arn),\n', ""),
            "may not `dynamodb:Scan` on `arn:aws:dynamodb:",
            "table/receipts`",
        ),
        # Learner trial 9 (TW8): the report named after the function's clock, not the event's
        # `time` (the kit fast-forwards the events' clock only); the ❌ now says what it wrote.
        "date-from-the-clock": Wrong(
            nightly(
                'day = event["time"][:10]',
                'day = datetime.now(timezone.utc).strftime("%Y-%m-%d")',
                "import json\nimport os\n",
                "import json\nimport os\nfrom datetime import datetime, timezone\n",
            ),
            "(it wrote `reports/",
            "event['time'][:10]",
        ),
        # Learner trial 9 (TW7): the rule made disabled; the ❌ asked to create one.
        "rule-disabled": Wrong(
            nightly('State="ENABLED"', 'State="DISABLED"'), "disabled", "enable_rule"
        ),
        # Learner trial 9 (TD6): the rule targets the alias `live`, the permission is on the
        # function: EventBridge's invocation of the alias is refused. The ❌ blamed the schedule.
        "alias-target-permission-on-function": Wrong(
            ALIAS_TARGET_PERMISSION_ON_FUNCTION,
            "is on `receipts-report` itself",
            "`receipts-report:live`",
            "Qualifier='live'",
        ),
        # Learner trial 10 (ZD18): a statement for S3 left on `receipts-report`.
        "leftover-statement-other-principal": Wrong(
            nightly()
            + leftover_statement(
                "receipts-report", "s3.amazonaws.com", '"arn:aws:s3:::receipts-app"'
            ),
            "also lets `s3.amazonaws.com` invoke it",
            "remove_permission",
        ),
        # Learner trial 10 (ZD7): two targets on the rule, both the report: it runs twice a
        # night, and the message named the (right) schedule instead of the second target.
        "two-targets-one-rule": Wrong(
            nightly(
                'Targets=[{"Id": "report", "Arn": report_arn}]',
                'Targets=[{"Id": "report", "Arn": report_arn}, '
                '{"Id": "nightly-report", "Arn": report_arn}]',
            ),
            "ran 2 times",
            "2 targets",
            "remove_targets(Rule='receipts-nightly', Ids=['nightly-report'])",
        ),
        # Learner trial 11 (FW2): the report's key without `.json`, its date right; the message
        # said to take the date from the event, not the clock, which the report did.
        "key-without-json": Wrong(
            nightly('key = f"reports/{day}.json"', 'key = f"reports/{day}"'),
            "the date is right",
            "`reports/<date>.json`",
        ),
        # Learner trial 11 (FW3): the fix put in a second inline policy, `reports`; `app` keeps
        # PutObject on the bucket's ARN, and the only Scan: "delete `app`" would break the
        # report, so the message says to drop the statement.
        "fix-in-second-policy": Wrong(
            nightly(
                'allow("s3:PutObject", "arn:aws:s3:::receipts-app/reports/*"),',
                'allow("s3:PutObject", "arn:aws:s3:::receipts-app"),',
            )
            + """
iam.put_role_policy(RoleName="receipts-report", PolicyName="reports", PolicyDocument=json.dumps(
    {"Version": "2012-10-17",
     "Statement": [allow("s3:PutObject", "arn:aws:s3:::receipts-app/reports/*")]}))
""",
            "`arn:aws:s3:::receipts-app`",
            "drop what is named above from `app`",
            "`dynamodb:Scan` the function needs",
        ),
        # Learner trial 11 (FD10): the scan's paginator capped with `MaxItems`; the message
        # said to use `get_paginator('scan')`, which the report did.
        "paginator-max-items": Wrong(
            nightly(
                'paginate(TableName=os.environ["TABLE"])',
                'paginate(TableName=os.environ["TABLE"], PaginationConfig={"MaxItems": 5})',
            ),
            "says 5 receipts",
            "`MaxItems`",
            "Drop `MaxItems`",
        ),
        # Learner trial 10 (ZW2): an EventBridge Scheduler schedule, in Paris time, instead of
        # the stage's rule: the message ignored the schedule (and its time zone).
        "scheduler-instead-of-rule": Wrong(
            SCHEDULER_IN_PARIS,
            "EventBridge Scheduler schedule",
            "`Europe/Paris`",
            "events.put_rule",
            "delete_schedule(Name='receipts-nightly')",
        ),
        # Learner trial 12 (LD9): the reports "KMS-encrypted only" (the condition holds when
        # the header is absent), and the handler writes them with SSE-S3: the call sends
        # `AES256`, AWS refuses it, and no report is written; it got ✅ until the kit read
        # PutObject's headers (d77f312).
        "report-sse-kms-condition-aes256-write": Wrong(
            nightly(
                's3.put_object(Bucket=os.environ["BUCKET"], Key=key, Body=body)',
                's3.put_object(Bucket=os.environ["BUCKET"], Key=key, Body=body,\n'
                '                  ServerSideEncryption="AES256")',
                'allow("s3:PutObject", "arn:aws:s3:::receipts-app/reports/*"),',
                'allow("s3:PutObject", "arn:aws:s3:::receipts-app/reports/*") | {"Condition": '
                '{"StringEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}}},',
            ),
            "only under the condition",
            "`s3:x-amz-server-side-encryption`",
            "drop the `Condition`",
        ),
    },
    right={
        # Learner trial 12 (LD5): "encrypted reports only", the header the handler sends; it
        # was refused until the kit read PutObject's headers (d77f312).
        "report-putobject-sse-condition": nightly(
            's3.put_object(Bucket=os.environ["BUCKET"], Key=key, Body=body)',
            's3.put_object(Bucket=os.environ["BUCKET"], Key=key, Body=body,\n'
            '                  ServerSideEncryption="AES256")',
            'allow("s3:PutObject", "arn:aws:s3:::receipts-app/reports/*"),',
            'allow("s3:PutObject", "arn:aws:s3:::receipts-app/reports/*") | {"Condition": '
            '{"StringEquals": {"s3:x-amz-server-side-encryption": "AES256"}}},',
        ),
        # Learner trial 9 (TD7): the rule targets the alias `live`, whose own policy lets the
        # rule invoke it; the check read the function's policy instead.
        "alias-live-target": ALIAS_TARGET_PERMISSION_ON_FUNCTION.replace(
            'FunctionName="receipts-report", StatementId="receipts-nightly",',
            'FunctionName="receipts-report", Qualifier="live", StatementId="receipts-nightly",',
        ),
        "resource-api-other-rule": RIGHT_NIGHTLY_RESOURCE,
        # Learner trial 11 (FD23): the table read with PartiQL, every page by NextToken, the
        # role allowing `dynamodb:PartiQLSelect` (what a SELECT needs,
        # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-iam.html) instead
        # of Scan; the check said "`dynamodb:PartiQLSelect` is not needed".
        "partiql-select-report": nightly(
            """    pages = dynamodb.get_paginator("scan").paginate(TableName=os.environ["TABLE"])
    summary = totals([item for page in pages for item in page["Items"]])""",
            """    items, token = [], {}
    while True:
        page = dynamodb.execute_statement(
            Statement=f'SELECT * FROM "{os.environ["TABLE"]}"', **token)
        items += page["Items"]
        if "NextToken" not in page:
            break
        token = {"NextToken": page["NextToken"]}
    summary = totals(items)""",
            'allow("dynamodb:Scan", table_arn),',
            'allow("dynamodb:PartiQLSelect", table_arn),',
        ),
        "rule-described": RIGHT_NIGHTLY_DESCRIBED,
        # A learner trial: narrower than the task needs, and enough for the report.
        "json-reports-only": nightly(
            '"arn:aws:s3:::receipts-app/reports/*"', '"arn:aws:s3:::receipts-app/reports/*.json"'
        ),
        # Every year up to the last EventBridge takes: the same as `*`.
        "years-to-the-last": nightly("cron(0 2 * * ? *)", "cron(0 2 * * ? 2020-2199)"),
        # Learner trial 7: every day named, and every month: the same as `*` and `?`.
        "every-day-and-month-named": nightly("cron(0 2 * * ? *)", "cron(0 2 ? JAN-DEC SUN-SAT *)"),
    },
    broken="whole-bucket-writable",
)

ANSWERS["nightly"] = NIGHTLY
