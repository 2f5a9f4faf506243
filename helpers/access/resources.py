"""Which permissions an API call needs: the IAM actions and resource ARNs AWS authorises it as.

`checks_for` reads the call's parameters (and, for Lambda, its path) per service; `s3_checks`
does the same from the bucket and key moto has already parsed out of an S3 request.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .policies import Check, as_strings

__all__ = ["checks_for", "s3_checks"]

# API operations authorised as another IAM action.
_ACTION_ALIASES = {
    "lambda:Invoke": "lambda:InvokeFunction",
    "lambda:InvokeAsync": "lambda:InvokeFunction",
    "sqs:SendMessageBatch": "sqs:SendMessage",
    "sqs:DeleteMessageBatch": "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
    "sns:PublishBatch": "sns:Publish",
    "s3:HeadBucket": "s3:ListBucket",
}
_DYNAMODB_TRANSACT = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}


def _arn_or(value: str, build: Callable[[str], str]) -> str:
    return value if value.startswith("arn:") else build(value)


def checks_for(
    prefix: str, operation: str, params: dict[str, Any], region: str, account: str, path: str
) -> list[Check]:
    """The permissions one API call needs, as AWS authorises it."""
    action = _ACTION_ALIASES.get(f"{prefix}:{operation}", f"{prefix}:{operation}")
    base = f"arn:aws:{prefix}:{region}:{account}"
    get = params.get

    if prefix == "dynamodb":
        if operation in ("TransactWriteItems", "TransactGetItems"):
            # Each item is authorised as its own action, with dynamodb:EnclosingOperation the
            # transaction's ("IAM with DynamoDB transactions", DynamoDB Developer Guide,
            # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html,
            # as of 2026-12).
            found = []
            enclosing = (("dynamodb:EnclosingOperation", operation),)
            for item in get("TransactItems") or []:
                for kind, request in item.items():
                    if kind in _DYNAMODB_TRANSACT and isinstance(request, dict):
                        table = _arn_or(request.get("TableName", ""), lambda t: f"{base}:table/{t}")
                        keys = _item_keys(request.get, account, region)
                        check = Check(
                            f"dynamodb:{_DYNAMODB_TRANSACT[kind]}", table, enclosing + keys
                        )
                        found.append(check)
            return found or [Check(action, None)]
        if operation in ("ExecuteStatement", "ExecuteTransaction", "BatchExecuteStatement"):
            statements = (
                [get("Statement")]
                if operation == "ExecuteStatement"
                else [
                    (s or {}).get("Statement")
                    for s in get("TransactStatements") or get("Statements") or []
                ]
            )
            found = [_partiql_check(str(s or ""), base) for s in statements]
            return found or [Check(action, None)]
        if operation in ("BatchGetItem", "BatchWriteItem"):
            tables = list((get("RequestItems") or {}).keys())
            return [Check(action, _arn_or(t, lambda t: f"{base}:table/{t}")) for t in tables]
        if get("StreamArn"):
            return [Check(action, get("StreamArn"))]
        if get("TableName"):
            table = _arn_or(get("TableName"), lambda t: f"{base}:table/{t}")
            if get("IndexName"):
                table = f"{table}/index/{get('IndexName')}"
            return [Check(action, table, _item_keys(get, account, region))]
        if operation in ("ListTables", "ListStreams", "DescribeLimits", "ListBackups"):
            return [Check(action, "*")]
        return [Check(action, None)]

    if prefix == "sqs":
        if get("QueueUrl"):
            segments = urlsplit(get("QueueUrl")).path.strip("/").split("/")
            owner = segments[-2] if len(segments) >= 2 else account
            return [Check(action, f"arn:aws:sqs:{region}:{owner}:{segments[-1]}")]
        if get("QueueName"):
            return [Check(action, f"{base}:{get('QueueName')}")]
        if operation == "ListQueues":
            return [Check(action, "*")]
        return [Check(action, None)]

    if prefix == "sns":
        topic = get("TopicArn") or get("TargetArn")
        if not topic and get("SubscriptionArn"):
            topic = str(get("SubscriptionArn")).rsplit(":", 1)[0]
        if not topic and operation == "CreateTopic" and get("Name"):
            topic = f"{base}:{get('Name')}"
        if topic and len(str(topic).split(":")) < 6:
            return []  # not an ARN: SNS refuses the parameter before anything is authorised
        if topic:
            return [Check(action, topic)]
        if operation.startswith("List") or get("PhoneNumber"):
            return [Check(action, "*")]
        return [Check(action, None)]

    if prefix == "lambda":
        match = re.search(r"/functions/([^/?]+)", path)
        if not match:
            return [Check(action, "*" if operation.startswith("List") else None)]
        name = unquote(match.group(1))
        if name.startswith("arn:"):
            function = name
        else:
            pieces = name.split(":")
            if len(pieces) >= 3 and pieces[1] == "function":  # 123456789012:function:name
                function = f"arn:aws:lambda:{region}:{pieces[0]}:function:{':'.join(pieces[2:])}"
            else:
                function = f"{base}:function:{name}"
        qualifier = parse_qs(urlsplit(path).query).get("Qualifier", [None])[0]
        if qualifier and function.count(":") == 6:
            function = f"{function}:{qualifier}"
        return [Check(action, function)]

    if prefix == "logs":
        group = get("logGroupName") or get("logGroupIdentifier")
        if group:
            if str(group).startswith("arn:"):
                return [Check(action, str(group).removesuffix(":*"))]
            stream = get("logStreamName") or ""
            return [Check(action, f"{base}:log-group:{group}:log-stream:{stream}")]
        return [Check(action, "*" if operation.startswith("Describe") else None)]

    if prefix == "events":
        if operation == "PutEvents":
            buses = {str(e.get("EventBusName") or "default") for e in get("Entries") or []}
            return [
                Check(action, _arn_or(b, lambda b: f"{base}:event-bus/{b}"))
                for b in sorted(buses or {"default"})
            ]
        if get("Name") and "Rule" in operation:
            bus = get("EventBusName") or "default"
            rule = get("Name") if bus == "default" else f"{bus}/{get('Name')}"
            return [Check(action, f"{base}:rule/{rule}")]
        return [Check(action, None)]

    if prefix == "kinesis":
        stream = get("StreamARN") or (get("StreamName") and f"{base}:stream/{get('StreamName')}")
        return [Check(action, stream or ("*" if operation.startswith("List") else None))]

    if prefix == "ssm":
        names = as_strings(get("Names")) or as_strings(get("Name")) or as_strings(get("Path"))
        if names:
            return [
                Check(action, _arn_or(n, lambda n: f"{base}:parameter/{n.lstrip('/')}"))
                for n in names
            ]
        return [Check(action, None)]

    if prefix == "secretsmanager":
        secret = get("SecretId")
        if secret:
            return [Check(action, _secret_arn(str(secret), region, account))]
        return [Check(action, "*" if operation in ("ListSecrets", "GetRandomPassword") else None)]

    if prefix == "states":
        arn = get("stateMachineArn") or get("executionArn")
        return [Check(action, arn or ("*" if operation.startswith("List") else None))]

    if prefix == "sts":
        if operation.startswith("AssumeRole") and get("RoleArn"):
            return [Check(action, get("RoleArn"))]
        return [Check(action, None)]

    if prefix in ("cloudwatch", "xray"):
        return [Check(action, "*")]

    return [Check(action, None)]


# The request headers S3 sets condition keys from, `s3:<header>` (Amazon S3 condition key
# examples, https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html, and
# the Service Authorization Reference for Amazon S3, PutObject's condition keys; as of 2026-12).
# A header the request doesn't send sets no key (AWS's examples test that with `Null`).
_S3_HEADER_KEYS = (
    "x-amz-server-side-encryption",
    "x-amz-server-side-encryption-aws-kms-key-id",
    "x-amz-acl",
    "x-amz-storage-class",
    "x-amz-copy-source",
    "x-amz-metadata-directive",
)


def s3_checks(
    operation: str, bucket: str | None, key: str | None, headers: Any = None
) -> list[Check]:
    """The permission one S3 call needs, on its bucket or object (any bucket when unnamed),
    with the condition keys its headers set (learner trial 12, LD5, LD9)."""
    action = _ACTION_ALIASES.get(f"s3:{operation}", f"s3:{operation}")
    resource = f"{bucket or '*'}/{key}" if key else (bucket or "*")
    sent = {str(name).lower(): value for name, value in dict(headers or {}).items()}
    keys = tuple(
        (f"s3:{name}", str(sent[name])) for name in _S3_HEADER_KEYS if sent.get(name) is not None
    )
    return [Check(action, f"arn:aws:s3:::{resource}", keys)]


# PartiQL is authorised by the statement's kind, not as ExecuteStatement: "To insert items using
# PartiQL for DynamoDB, you must have dynamodb:PartiQLInsert permission" (and PartiQLSelect,
# PartiQLUpdate, PartiQLDelete; "IAM security policies with PartiQL for DynamoDB",
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-iam.html, as of 2026-12).
_PARTIQL = {"SELECT": "PartiQLSelect", "INSERT": "PartiQLInsert", "UPDATE": "PartiQLUpdate",
            "DELETE": "PartiQLDelete", "EXISTS": "PartiQLSelect"}  # fmt: skip
_PARTIQL_TABLE = re.compile(
    r'\b(?:FROM|INTO|UPDATE)\s+("(?:[^"]|"")+"|[A-Za-z0-9_.\-]+)(?:\s*\.\s*("(?:[^"]|"")+"|[A-Za-z0-9_.\-]+))?',
    re.IGNORECASE,
)


def _partiql_check(statement: str, base: str) -> Check:
    """The action and table (or index) one PartiQL statement is authorised as."""
    words = statement.strip().split(None, 1)
    kind = _PARTIQL.get(words[0].upper() if words else "", "PartiQLSelect")
    match = _PARTIQL_TABLE.search(statement)
    if not match:
        return Check(f"dynamodb:{kind}", None)
    table, index = (part.strip('"').replace('""', '"') if part else part for part in match.groups())
    resource = f"{base}:table/{table}" + (f"/index/{index}" if index else "")
    return Check(f"dynamodb:{kind}", resource)


def _item_keys(get: Callable[[str], Any], account: str, region: str) -> tuple:
    """The condition keys a one-item request sets: dynamodb:LeadingKeys, and for PutItem
    dynamodb:Attributes, the names of the attributes it writes ("Using IAM policy conditions
    for fine-grained access control", DynamoDB Developer Guide,
    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html,
    as of 2026-12; a multivalued key, tested with ForAllValues/ForAnyValue)."""
    keys = _leading_keys(get, account, region)
    item = get("Item")
    if isinstance(item, dict) and item:
        keys += (("dynamodb:Attributes", tuple(str(name) for name in item)),)
    # The request's own parameters, when it gives them: "dynamodb:ReturnValues - Represents the
    # ReturnValues parameter of a request", dynamodb:Select, dynamodb:ReturnConsumedCapacity
    # (the page above, and the Service Authorization Reference for DynamoDB, as of 2026-12;
    # learner trial 12, LD3, LD6). A request that doesn't give one sets no key.
    for parameter in ("ReturnValues", "Select", "ReturnConsumedCapacity"):
        given = get(parameter)
        if isinstance(given, str) and given:
            keys += ((f"dynamodb:{parameter}", given),)
    return keys


def _leading_keys(get: Callable[[str], Any], account: str, region: str) -> tuple:
    """dynamodb:LeadingKeys of a one-item call (GetItem, PutItem, UpdateItem, DeleteItem): its
    partition key's value ("Using IAM policy conditions for fine-grained access control",
    DynamoDB Developer Guide; as_of 2026-12-07). Other calls set none here."""
    item = get("Key") or get("Item")
    if not isinstance(item, dict):
        return ()
    try:
        from moto.dynamodb.models import dynamodb_backends

        name = str(get("TableName")).rsplit("/", 1)[-1]
        hash_key = dynamodb_backends[account][region].get_table(name).hash_key_attr
    except Exception:  # no such table: DynamoDB's own answer follows
        return ()
    value = item.get(hash_key)
    if not isinstance(value, dict) or not value:
        return ()
    (scalar,) = list(value.values())[:1]
    return (("dynamodb:LeadingKeys", str(scalar)),)


def _secret_arn(secret: str, region: str, account: str) -> str:
    """A secret's full ARN (AWS adds six random characters to the name)."""
    if secret.startswith("arn:"):
        return secret
    try:
        from moto.secretsmanager.models import secretsmanager_backends

        found = secretsmanager_backends[account][region].secrets.get(secret)
        if found is not None:
            return found.arn
    except Exception:  # no such backend or secret: the name-based ARN below
        pass
    return f"arn:aws:secretsmanager:{region}:{account}:secret:{secret}"
