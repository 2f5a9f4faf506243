"""Sample events in the exact shape AWS sends them, to invoke a handler with or to compare against.

    from helpers import events
    events.names()                                  # ['apigw_authorizer_request', ..., 'sqs']
    event = events.load("s3_put", key="photos/cat 1.jpg")
    events.source("s3_put")                         # where the shape comes from, and when

Like `sam local generate-event`: each file in `sample_events/` is a real-looking event with fixed
ids and times; `load` returns a fresh copy with the keywords you give applied the way AWS would
have filled them in (an S3 key URL-encoded, an SQS md5OfBody recomputed, ...).
"""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import inspect
import json
import re
import struct
import uuid
import zlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlencode

FOLDER = Path(__file__).resolve().parent.parent / "sample_events"
INDEX = FOLDER / "index.json"

# Paths (no list indices) that a live event may have, lack, or fill differently from its sample
# without being a different shape: keys AWS sends only sometimes, values that may be null, and
# maps whose keys are the sender's data (headers, attributes, item images) rather than AWS's.
_HTTP_DATA = {"headers", "queryStringParameters", "pathParameters", "stageVariables", "body"}
_OPTIONAL: dict[str, set[str]] = {
    "apigw_authorizer_request": _HTTP_DATA
    | {"multiValueHeaders", "multiValueQueryStringParameters", "requestContext.identity"},
    "apigw_authorizer_token": set(),
    "apigw_http": _HTTP_DATA
    | {"cookies", "requestContext.authorizer", "requestContext.authentication"},
    "apigw_rest": _HTTP_DATA
    | {
        "multiValueHeaders",
        "multiValueQueryStringParameters",
        "requestContext.authorizer",  # only behind an authorizer
        "requestContext.identity",  # its fields depend on the authorization type
    },
    "cloudwatch_logs": set(),
    "cognito_pre_signup": {
        "request.userAttributes",
        "request.validationData",  # only what the client sent
        "request.clientMetadata",
    },
    "dynamodb_stream": {
        "Records.dynamodb.Keys",
        "Records.dynamodb.NewImage",  # not on a REMOVE
        "Records.dynamodb.OldImage",  # not on an INSERT
        "Records.userIdentity",  # only on deletions by TTL
    },
    "eventbridge": {"detail", "replay-name"},
    "eventbridge_scheduled": {"replay-name"},
    "function_url": _HTTP_DATA
    | {"cookies", "requestContext.authorizer", "requestContext.authentication"},
    "kinesis": set(),
    "lambda_destination_failure": {"requestPayload", "responsePayload"},
    "s3_delete": {"Records.s3.object.versionId"},  # only from a versioned bucket
    "s3_put": {"Records.s3.object.versionId"},
    "sns": {"Records.Sns.MessageAttributes", "Records.Sns.Subject"},  # Subject may be null
    "sqs": {
        "Records.messageAttributes",
        "Records.md5OfMessageAttributes",
        "Records.attributes.AWSTraceHeader",  # only when traced
        "Records.attributes.MessageGroupId",  # FIFO queues only, like the two below
        "Records.attributes.MessageDeduplicationId",
        "Records.attributes.SequenceNumber",
    },
}


class _Keep:
    """Default of an override keyword: leave the sample's value (None is a value AWS sends)."""

    def __repr__(self) -> str:
        return "KEEP"


_KEEP: Any = _Keep()


def names() -> list[str]:
    """The names of the sample events, e.g. 's3_put', for `load(name)`."""
    return sorted(path.stem for path in FOLDER.glob("*.json") if path != INDEX)


def source(name: str) -> dict[str, str]:
    """Where a sample's shape comes from: {'file', 'description', 'source' (AWS docs), 'as_of'}."""
    _check_name(name)
    entries = json.loads(INDEX.read_text())
    return next(dict(entry) for entry in entries if entry["file"] == f"{name}.json")


def load(name: str, **overrides: Any) -> dict[str, Any]:
    """A fresh copy of a sample event, with overrides filled in the way AWS fills them."""
    valid = keywords(name)
    event = json.loads((FOLDER / f"{name}.json").read_text())
    unknown = sorted(set(overrides) - set(valid))
    if unknown:
        raise TypeError(
            f"load({name!r}) got unknown keyword(s) {', '.join(unknown)}; "
            f"valid: {', '.join(valid) or 'none'}"
        )
    if overrides:
        _OVERRIDES[name](event, **overrides)
    return event


def keywords(name: str) -> list[str]:
    """The override keywords `load(name, ...)` accepts for this sample."""
    _check_name(name)
    apply = _OVERRIDES.get(name)
    return list(inspect.signature(apply).parameters)[1:] if apply else []


def optional_paths(name: str) -> set[str]:
    """The paths to pass as `optional` to `shape_differences` when comparing with this sample."""
    _check_name(name)
    return set(_OPTIONAL.get(name, set()))


def shape_differences(expected: Any, actual: Any, optional: set[str] | None = None) -> list[str]:
    """How `actual`'s structure (keys, value types) differs from `expected`'s, one line each.

    Lists are compared element by element against the first expected element. `optional` holds
    dotted paths, without list indices, that AWS only sometimes sends (e.g.
    'Records.s3.object.versionId'): a path there, and everything below it, is not compared.
    """
    differences: list[str] = []
    _compare(expected, actual, "", optional or set(), differences)
    return differences


# --- shape comparison ------------------------------------------------------------------------


def _kind(value: Any) -> str:
    # JSON's types, not Python's: 3 and 3.0 are both numbers, as they are on the wire.
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _ignored(path: str, optional: set[str]) -> bool:
    return path in optional or re.sub(r"\[\d+\]", "", path) in optional


def _compare(expected: Any, actual: Any, path: str, optional: set[str], out: list[str]) -> None:
    if _ignored(path, optional):
        return
    where = path or "(top)"
    if _kind(expected) != _kind(actual):
        out.append(f"{where}: expected {_kind(expected)}, got {_kind(actual)}")
        return
    if isinstance(expected, dict):
        for key in expected:
            child = f"{path}.{key}" if path else key
            if key not in actual:
                if not _ignored(child, optional):
                    out.append(f"{where}: missing key {key!r}")
            else:
                _compare(expected[key], actual[key], child, optional, out)
        for key in actual:
            child = f"{path}.{key}" if path else key
            if key not in expected and not _ignored(child, optional):
                out.append(f"{where}: unexpected key {key!r}")
    elif isinstance(expected, list | tuple) and expected:
        for index, item in enumerate(actual):
            _compare(expected[0], item, f"{path}[{index}]", optional, out)


# --- overrides, one function per sample ------------------------------------------------------


def _check_name(name: str) -> None:
    if name not in names():
        raise ValueError(f"no sample event {name!r}; the samples are: {', '.join(names())}")


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _text(body: Any) -> str:
    # Events carry bodies as strings; a dict or list is what a learner means as its JSON.
    return body if isinstance(body, str) else json.dumps(body)


def _s3_key(key: str) -> str:
    # S3 URL-encodes keys in notifications as a form would: spaces become '+', '/' stays.
    return quote_plus(key, safe="/")


def _s3(event: dict, bucket: Any, key: Any, size: Any = _KEEP) -> None:
    for record in event["Records"]:
        if bucket is not _KEEP:
            record["s3"]["bucket"]["name"] = bucket
            record["s3"]["bucket"]["arn"] = f"arn:aws:s3:::{bucket}"
        if key is not _KEEP:
            record["s3"]["object"]["key"] = _s3_key(key)
        if size is not _KEEP:
            record["s3"]["object"]["size"] = size


def _s3_put(event: dict, bucket: str = _KEEP, key: str = _KEEP, size: int = _KEEP) -> None:
    _s3(event, bucket, key, size)


def _s3_delete(event: dict, bucket: str = _KEEP, key: str = _KEEP) -> None:
    # No size here: S3 does not send one for a deletion.
    _s3(event, bucket, key)


def _sqs(event: dict, body: Any = _KEEP, bodies: list[Any] = _KEEP, queue_arn: str = _KEEP) -> None:
    if body is not _KEEP and bodies is not _KEEP:
        raise TypeError("give body (for every record) or bodies (one record each), not both")
    records = event["Records"]
    if bodies is not _KEEP:
        template = records
        records = []
        for index, item in enumerate(bodies):
            record = copy.deepcopy(template[index % len(template)])
            if index >= len(template):
                # Every message SQS hands out has its own id and receipt handle.
                record["messageId"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"kit-sqs-{index}"))
                handle = base64.b64encode(f"kit-receipt-{index}".encode()).decode()
                record["receiptHandle"] = f"AQEB{handle}"
            record["body"] = _text(item)
            records.append(record)
        event["Records"] = records
    for record in records:
        if body is not _KEEP:
            record["body"] = _text(body)
        record["md5OfBody"] = _md5(record["body"])
        if queue_arn is not _KEEP:
            record["eventSourceARN"] = queue_arn
            record["awsRegion"] = queue_arn.split(":")[3]


def _sns(
    event: dict, message: Any = _KEEP, subject: str | None = _KEEP, topic_arn: str = _KEEP
) -> None:
    for record in event["Records"]:
        sns = record["Sns"]
        if message is not _KEEP:
            sns["Message"] = _text(message)
        if subject is not _KEEP:
            sns["Subject"] = subject  # None is what SNS sends when the publisher gave no subject
        if topic_arn is not _KEEP:
            subscription = f"{topic_arn}:{record['EventSubscriptionArn'].rsplit(':', 1)[1]}"
            sns["TopicArn"] = topic_arn
            record["EventSubscriptionArn"] = subscription
            sns["UnsubscribeUrl"] = re.sub(
                r"SubscriptionArn=.*", f"SubscriptionArn={subscription}", sns["UnsubscribeUrl"]
            )


def _dynamodb_json(item: dict[str, Any]) -> dict[str, Any]:
    """A plain dict as DynamoDB JSON ({'S': ...}, {'N': ...}), the way the stream carries it."""
    # boto3 is slow to import: only the samples that need it pay for it.
    from boto3.dynamodb.types import Binary, TypeSerializer

    def plain(value: Any) -> Any:
        # TypeSerializer refuses floats (DynamoDB numbers are decimals): pass them as Decimal.
        if isinstance(value, float):
            return Decimal(str(value))
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, set):
            return {plain(v) for v in value}
        return value

    def wire(value: Any) -> Any:
        # What goes over the wire is JSON: binary values arrive base64-encoded.
        if isinstance(value, Binary | bytes | bytearray):
            return base64.b64encode(bytes(value)).decode()
        if isinstance(value, dict):
            return {k: wire(v) for k, v in value.items()}
        if isinstance(value, list | set):
            return [wire(v) for v in value]
        return value

    serializer = TypeSerializer()
    return {key: wire(serializer.serialize(plain(value))) for key, value in item.items()}


def _dynamodb_stream(
    event: dict,
    keys: dict[str, Any] = _KEEP,
    new_image: dict[str, Any] = _KEEP,
    old_image: dict[str, Any] = _KEEP,
) -> None:
    for record in event["Records"]:
        change = record["dynamodb"]
        if keys is not _KEEP:
            change["Keys"] = _dynamodb_json(keys)
        # An image is replaced only where the record has one: a REMOVE has no new image.
        if new_image is not _KEEP and "NewImage" in change:
            change["NewImage"] = _dynamodb_json(new_image)
        if old_image is not _KEEP and "OldImage" in change:
            change["OldImage"] = _dynamodb_json(old_image)


def _eventbridge(
    event: dict, detail: Any = _KEEP, detail_type: str = _KEEP, source: str = _KEEP
) -> None:
    if detail is not _KEEP:
        event["detail"] = detail
    if detail_type is not _KEEP:
        event["detail-type"] = detail_type
    if source is not _KEEP:
        event["source"] = source


def _eventbridge_scheduled(event: dict, rule_arn: str = _KEEP) -> None:
    if rule_arn is not _KEEP:
        event["resources"] = [rule_arn]


def _query_lists(query: dict[str, Any]) -> dict[str, list[str]]:
    return {k: [str(x) for x in v] if isinstance(v, list) else [str(v)] for k, v in query.items()}


def _apigw_rest(
    event: dict,
    method: str = _KEEP,
    path: str = _KEEP,
    body: Any = _KEEP,
    headers: dict[str, str] = _KEEP,
    query: dict[str, Any] = _KEEP,
    resource: str = _KEEP,
    path_parameters: dict[str, str] | None = _KEEP,
) -> None:
    context = event["requestContext"]
    if method is not _KEEP:
        event["httpMethod"] = context["httpMethod"] = method
    if path is not _KEEP:
        event["path"] = path
        context["path"] = f"/{context['stage']}{path}"
        if resource is _KEEP:
            # A literal path is its own resource, with no {placeholders} to fill.
            resource = path
            path_parameters = None if path_parameters is _KEEP else path_parameters
    if resource is not _KEEP:
        event["resource"] = context["resourcePath"] = resource
    if path_parameters is not _KEEP:
        event["pathParameters"] = path_parameters
    if body is not _KEEP:
        event["body"] = None if body is None else _text(body)
    if headers is not _KEEP:
        event["headers"].update(headers)
        event["multiValueHeaders"].update({k: [v] for k, v in headers.items()})
    if query is not _KEEP:
        lists = _query_lists(query)
        # REST sends null, not {}, when the request had no query string; the last value wins.
        event["queryStringParameters"] = {k: v[-1] for k, v in lists.items()} or None
        event["multiValueQueryStringParameters"] = lists or None


def _http_v2(
    event: dict,
    method: str = _KEEP,
    path: str = _KEEP,
    body: Any = _KEEP,
    headers: dict[str, str] = _KEEP,
    query: dict[str, Any] = _KEEP,
) -> None:
    http = event["requestContext"]["http"]
    if method is not _KEEP:
        http["method"] = method
    if path is not _KEEP:
        event["rawPath"] = http["path"] = path
    if event["routeKey"] != "$default":
        # An HTTP API route is "METHOD /path"; function URLs always say $default.
        event["routeKey"] = event["requestContext"]["routeKey"] = f"{http['method']} {http['path']}"
    if body is not _KEEP:
        if body is None:
            event.pop("body", None)  # payload 2.0 leaves the key out when there is no body
        else:
            event["body"] = _text(body)
        if "content-length" in event["headers"]:
            event["headers"]["content-length"] = str(len(event.get("body", "").encode()))
    if headers is not _KEEP:
        # Payload 2.0 lower-cases header names.
        event["headers"].update({k.lower(): v for k, v in headers.items()})
    if query is not _KEEP:
        lists = _query_lists(query)
        event["rawQueryString"] = urlencode(lists, doseq=True)
        if lists:
            # Repeated parameters arrive joined with commas.
            event["queryStringParameters"] = {k: ",".join(v) for k, v in lists.items()}
        else:
            event.pop("queryStringParameters", None)


def _authorizer_token(event: dict, token: str = _KEEP, method_arn: str = _KEEP) -> None:
    if token is not _KEEP:
        event["authorizationToken"] = token
    if method_arn is not _KEEP:
        event["methodArn"] = method_arn


def _authorizer_request(
    event: dict,
    headers: dict[str, str] = _KEEP,
    query: dict[str, Any] = _KEEP,
    method_arn: str = _KEEP,
) -> None:
    _apigw_rest(event, headers=headers, query=query)
    if method_arn is not _KEEP:
        event["methodArn"] = method_arn


def _kinesis(event: dict, data: Any = _KEEP, stream_arn: str = _KEEP) -> None:
    for record in event["Records"]:
        if data is not _KEEP:
            raw = data if isinstance(data, bytes) else _text(data).encode()
            record["kinesis"]["data"] = base64.b64encode(raw).decode()
        if stream_arn is not _KEEP:
            record["eventSourceARN"] = stream_arn
            record["awsRegion"] = stream_arn.split(":")[3]


def _cloudwatch_logs(event: dict, messages: list[str] = _KEEP, log_group: str = _KEEP) -> None:
    payload = json.loads(gzip.decompress(base64.b64decode(event["awslogs"]["data"])))
    if log_group is not _KEEP:
        payload["logGroup"] = log_group
    if messages is not _KEEP:
        first = payload["logEvents"][0]
        payload["logEvents"] = [
            {
                "id": str(int(first["id"]) + index),
                "timestamp": first["timestamp"] + index,
                "message": message,
            }
            for index, message in enumerate(messages)
        ]
    compact = json.dumps(payload, separators=(",", ":")).encode()
    event["awslogs"]["data"] = base64.b64encode(_gzip(compact)).decode()


def _gzip(data: bytes) -> bytes:
    """gzip with a fixed header: no time (mtime 0) and no OS (255, "unknown"), where
    `gzip.compress` writes 3 ("Unix") on Python 3.11 and 255 on 3.13: the same payload gives
    the same bytes on every Python the kit supports."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = deflate.compress(data) + deflate.flush()
    trailer = struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + body + trailer


def _cognito_pre_signup(
    event: dict, user_name: str = _KEEP, user_attributes: dict[str, str] = _KEEP
) -> None:
    if user_name is not _KEEP:
        event["userName"] = user_name
    if user_attributes is not _KEEP:
        event["request"]["userAttributes"] = user_attributes


def _destination_failure(
    event: dict, request_payload: Any = _KEEP, function_arn: str = _KEEP
) -> None:
    if request_payload is not _KEEP:
        event["requestPayload"] = request_payload
    if function_arn is not _KEEP:
        event["requestContext"]["functionArn"] = function_arn


_OVERRIDES: dict[str, Callable[..., None]] = {
    "apigw_authorizer_request": _authorizer_request,
    "apigw_authorizer_token": _authorizer_token,
    "apigw_http": _http_v2,
    "apigw_rest": _apigw_rest,
    "cloudwatch_logs": _cloudwatch_logs,
    "cognito_pre_signup": _cognito_pre_signup,
    "dynamodb_stream": _dynamodb_stream,
    "eventbridge": _eventbridge,
    "eventbridge_scheduled": _eventbridge_scheduled,
    "function_url": _http_v2,
    "kinesis": _kinesis,
    "lambda_destination_failure": _destination_failure,
    "s3_delete": _s3_delete,
    "s3_put": _s3_put,
    "sns": _sns,
    "sqs": _sqs,
}
