"""The sample events have AWS's shapes (Powertools is the referee), and helpers.events works."""

from __future__ import annotations

import base64
import gzip
import hashlib
import inspect
import json
import re
import types
import typing
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes import (
    APIGatewayProxyEvent,
    APIGatewayProxyEventV2,
    CloudWatchLogsEvent,
    DynamoDBStreamEvent,
    EventBridgeEvent,
    KinesisStreamEvent,
    LambdaFunctionUrlEvent,
    S3Event,
    SNSEvent,
    SQSEvent,
)
from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerRequestEvent,
    APIGatewayAuthorizerTokenEvent,
)
from aws_lambda_powertools.utilities.data_classes.cognito_user_pool_event import (
    PreSignUpTriggerEvent,
)
from aws_lambda_powertools.utilities.data_classes.common import DictWrapper
from aws_lambda_powertools.utilities.parser import models
from aws_lambda_powertools.utilities.parser.models.apigw import (
    ApiGatewayAuthorizerRequest,
    ApiGatewayAuthorizerToken,
)
from boto3.dynamodb.types import TypeDeserializer

from helpers import events

DATA_CLASSES = {
    "apigw_authorizer_request": APIGatewayAuthorizerRequestEvent,
    "apigw_authorizer_token": APIGatewayAuthorizerTokenEvent,
    "apigw_http": APIGatewayProxyEventV2,
    "apigw_rest": APIGatewayProxyEvent,
    "cloudwatch_logs": CloudWatchLogsEvent,
    "cognito_pre_signup": PreSignUpTriggerEvent,
    "dynamodb_stream": DynamoDBStreamEvent,
    "eventbridge": EventBridgeEvent,
    "eventbridge_scheduled": EventBridgeEvent,
    "function_url": LambdaFunctionUrlEvent,
    "kinesis": KinesisStreamEvent,
    "s3_delete": S3Event,
    "s3_put": S3Event,
    "sns": SNSEvent,
    "sqs": SQSEvent,
}

# The Pydantic models are stricter: types, literals (eventSource, httpMethod...), IPs, URLs.
MODELS = {
    "apigw_authorizer_request": ApiGatewayAuthorizerRequest,
    "apigw_authorizer_token": ApiGatewayAuthorizerToken,
    "apigw_http": models.APIGatewayProxyEventV2Model,
    "apigw_rest": models.APIGatewayProxyEventModel,
    "cloudwatch_logs": models.CloudWatchLogsModel,
    "cognito_pre_signup": models.CognitoPreSignupTriggerModel,
    "dynamodb_stream": models.DynamoDBStreamModel,
    "eventbridge": models.EventBridgeModel,
    "eventbridge_scheduled": models.EventBridgeModel,
    "function_url": models.LambdaFunctionUrlModel,
    "kinesis": models.KinesisDataStreamModel,
    "s3_delete": models.S3Model,
    "s3_put": models.S3Model,
    "sns": models.SnsModel,
    "sqs": models.SqsModel,
}

# Data-class properties that read a key AWS does not send in this event, each with why.
NOT_SENT = {
    # S3 sends neither size nor eTag for a deletion (Powertools issue #4156 checked it on AWS).
    "s3_delete": {"size"},
    # REST APIs send no "version" (only HTTP APIs' payload 1.0 does); the data class reads it.
    "apigw_rest": {"version"},
    # A REST REQUEST authorizer gets the request itself: no version, token or identitySource.
    "apigw_authorizer_request": {"version", "authorization_token", "identity_source"},
}
# decoded_nested_*_event reads an S3/SNS event inside an SQS body; these bodies are orders.
NESTED = re.compile(r"decoded_nested_\w+_event")

# Each file holds the event alone: exactly these top-level keys, nothing added around it.
TOP_KEYS = {
    "apigw_authorizer_request": {
        "type",
        "methodArn",
        "resource",
        "path",
        "httpMethod",
        "headers",
        "multiValueHeaders",
        "queryStringParameters",
        "multiValueQueryStringParameters",
        "pathParameters",
        "stageVariables",
        "requestContext",
    },
    "apigw_authorizer_token": {"type", "authorizationToken", "methodArn"},
    "apigw_http": {
        "version",
        "routeKey",
        "rawPath",
        "rawQueryString",
        "headers",
        "queryStringParameters",
        "requestContext",
        "body",
        "isBase64Encoded",
    },
    "apigw_rest": {
        "resource",
        "path",
        "httpMethod",
        "headers",
        "multiValueHeaders",
        "queryStringParameters",
        "multiValueQueryStringParameters",
        "pathParameters",
        "stageVariables",
        "requestContext",
        "body",
        "isBase64Encoded",
    },
    "cloudwatch_logs": {"awslogs"},
    "cognito_pre_signup": {
        "version",
        "triggerSource",
        "region",
        "userPoolId",
        "userName",
        "callerContext",
        "request",
        "response",
    },
    "dynamodb_stream": {"Records"},
    "eventbridge": {
        "version",
        "id",
        "detail-type",
        "source",
        "account",
        "time",
        "region",
        "resources",
        "detail",
    },
    "function_url": {
        "version",
        "routeKey",
        "rawPath",
        "rawQueryString",
        "headers",
        "queryStringParameters",
        "requestContext",
        "body",
        "isBase64Encoded",
    },
    "kinesis": {"Records"},
    "lambda_destination_failure": {
        "version",
        "timestamp",
        "requestContext",
        "requestPayload",
        "responseContext",
        "responsePayload",
    },
    "s3_delete": {"Records"},
    "s3_put": {"Records"},
    "sns": {"Records"},
    "sqs": {"Records"},
}
TOP_KEYS["eventbridge_scheduled"] = TOP_KEYS["eventbridge"]


def _matches(value: Any, hint: Any) -> bool:
    """Whether a property's value fits its return annotation (what a learner is promised)."""
    origin = typing.get_origin(hint)
    if hint is Any:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_matches(value, arg) for arg in typing.get_args(hint))
    if hint is None or hint is type(None):
        return value is None
    kind = origin or hint
    if kind is float:
        return isinstance(value, int | float)
    return isinstance(value, kind) if isinstance(kind, type) else True


def _problems(obj: DictWrapper, path: str, skip: set[str], depth: int = 0) -> list[str]:
    """Every public property of a data class, read recursively: what raised or mistyped, where."""
    problems: list[str] = []
    for name in sorted(dir(type(obj))):
        attribute = inspect.getattr_static(type(obj), name, None)
        if name.startswith("_") or not isinstance(attribute, property):
            continue
        if name in skip or NESTED.fullmatch(name):
            continue
        try:
            value = getattr(obj, name)
        except Exception as error:  # what a learner would hit reading this property
            problems.append(f"{path}.{name}: {type(error).__name__} {error}")
            continue
        # Powertools imports Iterator for type checking only; its annotations name it.
        hints = typing.get_type_hints(attribute.fget, localns={"Iterator": Iterator})
        if "return" in hints and not _matches(value, hints["return"]):
            problems.append(f"{path}.{name}: {type(value).__name__}, not {hints['return']}")
        if isinstance(value, Iterator):
            value = list(value)
        children = value if isinstance(value, list | tuple) else [value]
        if isinstance(value, dict):
            children = list(value.values())
        for index, child in enumerate(children):
            if isinstance(child, DictWrapper) and depth < 6:
                problems += _problems(child, f"{path}.{name}[{index}]", skip, depth + 1)
    return problems


# --- the files and their index ---------------------------------------------------------------


def test_index_lists_every_file_and_only_those():
    index = json.loads(events.INDEX.read_text())
    listed = [entry["file"] for entry in index]
    on_disk = sorted(p.name for p in events.FOLDER.glob("*.json") if p != events.INDEX)
    assert sorted(listed) == on_disk
    assert len(listed) == len(set(listed))
    others = {p.name for p in events.FOLDER.iterdir()} - set(on_disk) - {"index.json"}
    assert others == {"README.md"}


def test_every_index_entry_says_what_where_and_when():
    for entry in json.loads(events.INDEX.read_text()):
        assert set(entry) == {"file", "description", "source", "as_of"}
        assert entry["source"].startswith("https://docs.aws.amazon.com/"), entry
        assert entry["as_of"] == "2026-11-23"
        assert len(entry["description"]) > 20


def test_names_are_the_files():
    assert events.names() == sorted(TOP_KEYS)
    assert set(DATA_CLASSES) == set(MODELS) == set(events.names()) - {"lambda_destination_failure"}


@pytest.mark.parametrize("name", sorted(TOP_KEYS))
def test_a_file_holds_the_event_alone(name):
    raw = json.loads((events.FOLDER / f"{name}.json").read_text())
    assert set(raw) == TOP_KEYS[name]


def test_every_arn_and_region_is_the_kits_account_and_region():
    text = "".join(p.read_text() for p in events.FOLDER.glob("*.json") if p != events.INDEX)
    arns = re.findall(r"arn:aws:[a-z0-9-]+:([a-z0-9-]*):(\d*):", text)
    assert len(arns) > 10
    assert {region for region, _ in arns} <= {"", "us-east-1"}
    assert {account for _, account in arns} <= {"", "123456789012"}
    assert set(re.findall(r'"(?:awsRegion|region)": "([^"]+)"', text)) == {"us-east-1"}


def test_source_returns_the_index_entry():
    entry = events.source("sqs")
    assert entry["file"] == "sqs.json"
    assert entry["source"] == "https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html"
    with pytest.raises(ValueError, match="s3_put"):
        events.source("sqs_fifo")


# --- Powertools as referee -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DATA_CLASSES))
def test_every_data_class_property_reads_with_its_type(name):
    event = DATA_CLASSES[name](events.load(name))
    assert _problems(event, name, NOT_SENT.get(name, set())) == []


@pytest.mark.parametrize("name", sorted(NOT_SENT))
def test_the_skipped_properties_are_really_absent(name):
    # The skip list must not hide a mistake in a sample: each skipped key is truly not there.
    event = DATA_CLASSES[name](events.load(name))
    target = event.record.s3.get_object if name == "s3_delete" else event
    for prop in NOT_SENT[name]:
        with pytest.raises(KeyError):
            getattr(target, prop)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_sample_validates_against_the_pydantic_model(name):
    MODELS[name].model_validate(events.load(name))


def test_s3_put_values():
    event = S3Event(events.load("s3_put"))
    assert event.bucket_name == "kit-uploads"
    assert event.object_key == "incoming/monthly report 2026.csv"  # decoded by Powertools
    record = event.record
    assert record.s3.get_object.key == "incoming/monthly+report+2026.csv"  # as S3 sends it
    assert record.s3.get_object.size == 1024
    assert record.event_version == "2.1"
    assert record.event_name == "ObjectCreated:Put"
    assert record.s3.bucket.arn == "arn:aws:s3:::kit-uploads"
    assert record.s3.get_object.version_id is None  # an unversioned bucket sends no versionId
    assert re.fullmatch(r"[0-9a-f]{32}", record.s3.get_object.etag)


def test_s3_delete_values():
    record = S3Event(events.load("s3_delete")).record
    assert record.event_name == "ObjectRemoved:Delete"
    assert set(record.s3.get_object.raw_event) == {"key", "sequencer"}


def test_sqs_values():
    event = SQSEvent(events.load("sqs"))
    records = list(event.records)
    assert len(records) == 2
    for record in records:
        assert record.md5_of_body == hashlib.md5(record.body.encode()).hexdigest()
        assert isinstance(record.json_body, dict)
        assert record.attributes.approximate_receive_count == "1"
        assert record.attributes.sent_timestamp.isdigit()
        assert record.attributes.approximate_first_receive_timestamp.isdigit()
        assert record.attributes.sender_id
        attribute = record.message_attributes["source"]
        assert attribute.string_value == "checkout"
        assert attribute.data_type == "String"
        assert record.queue_url.endswith("/123456789012/kit-orders")
    assert records[0].json_body == {"order_id": "1001", "item": "notebook", "quantity": 2}
    assert records[0].message_id != records[1].message_id


def test_sns_values():
    record = SNSEvent(events.load("sns")).record
    assert record.sns.subject == "Order shipped"
    assert json.loads(record.sns.message) == {"order_id": "1001", "status": "shipped"}
    assert record.sns.message_attributes["priority"].value == "high"
    assert record.sns.message_attributes["retries"].get_type == "Number"
    assert record.sns.topic_arn == "arn:aws:sns:us-east-1:123456789012:kit-alerts"
    assert record.event_subscription_arn.startswith(record.sns.topic_arn + ":")
    assert record.event_subscription_arn in record.sns.unsubscribe_url
    assert record.sns.signing_cert_url.startswith("https://sns.us-east-1.amazonaws.com/")


def test_dynamodb_stream_values():
    records = list(DynamoDBStreamEvent(events.load("dynamodb_stream")).records)
    assert [r.event_name.name for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    insert, modify, remove = (r.dynamodb for r in records)
    assert insert.new_image == {"id": "note-1", "title": "Buy milk", "done": False, "priority": 2}
    assert insert.old_image == {}
    assert modify.old_image["done"] is False
    assert modify.new_image["done"] is True
    assert remove.new_image == {}
    assert remove.keys == {"id": "note-1"}
    for record in records:
        assert record.dynamodb.stream_view_type.name == "NEW_AND_OLD_IMAGES"
        assert re.search(r"table/kit-notes/stream/\d{4}-\d\d-\d\dT", record.event_source_arn)


def test_eventbridge_values():
    event = EventBridgeEvent(events.load("eventbridge"))
    assert event.source == "kit.orders"
    assert event.detail_type == "OrderPlaced"
    assert event.detail["order_id"] == "1001"
    assert event.resources == []
    scheduled = EventBridgeEvent(events.load("eventbridge_scheduled"))
    assert (scheduled.detail_type, scheduled.source) == ("Scheduled Event", "aws.events")
    assert scheduled.detail == {}
    assert scheduled.resources == ["arn:aws:events:us-east-1:123456789012:rule/kit-every-5-minutes"]


def test_apigw_rest_values():
    event = APIGatewayProxyEvent(events.load("apigw_rest"))
    assert event.http_method == "GET"
    assert event.path == "/orders/42"
    assert event.resource == "/orders/{id}"
    assert event.path_parameters == {"id": "42"}
    assert event.query_string_parameters == {"expand": "items"}
    assert event.multi_value_query_string_parameters == {"expand": ["items"]}
    assert event.multi_value_headers["Accept"] == ["application/json"]
    assert event.headers["accept"] == "application/json"  # Powertools reads headers any case
    assert event.request_context.stage == "prod"
    assert event.request_context.identity.source_ip == "198.51.100.23"
    assert event.body is None


@pytest.mark.parametrize(
    ("name", "cls"),
    [("apigw_http", APIGatewayProxyEventV2), ("function_url", LambdaFunctionUrlEvent)],
)
def test_payload_v2_values(name, cls):
    event = cls(events.load(name))
    assert event.version == "2.0"
    assert event.request_context.http.method == "POST"
    assert event.raw_path == "/orders"
    assert event.json_body == {"item": "notebook", "quantity": 2}
    assert event.query_string_parameters == {"source": "web"}
    assert event.headers["content-length"] == str(len(event.body))
    assert all(key == key.lower() for key in event.raw_event["headers"])


def test_function_url_is_a_function_url():
    event = LambdaFunctionUrlEvent(events.load("function_url"))
    assert event.route_key == "$default"
    assert event.request_context.stage == "$default"
    assert re.fullmatch(
        r"[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws", event.request_context.domain_name
    )
    assert event.request_context.api_id == event.request_context.domain_name.split(".")[0]


def test_authorizer_values():
    token = APIGatewayAuthorizerTokenEvent(events.load("apigw_authorizer_token"))
    assert token.get_type == "TOKEN"
    assert token.authorization_token == "allow"
    arn = token.parsed_arn
    assert (arn.region, arn.aws_account_id, arn.stage, arn.http_method) == (
        "us-east-1",
        "123456789012",
        "prod",
        "GET",
    )
    assert arn.resource == "orders/42"
    request = APIGatewayAuthorizerRequestEvent(events.load("apigw_authorizer_request"))
    assert request.get_type == "REQUEST"
    assert request.headers["authorization"] == "Bearer kit-demo-token"
    assert request.path_parameters == {"id": "42"}
    assert request.parsed_arn.api_id == request.request_context.api_id


def test_kinesis_values():
    records = list(KinesisStreamEvent(events.load("kinesis")).records)
    assert [r.kinesis.data_as_json()["celsius"] for r in records] == [21.5, 21.75]
    for record in records:
        assert record.event_id == f"shardId-000000000000:{record.kinesis.sequence_number}"
        assert isinstance(record.kinesis.approximate_arrival_timestamp, float)


def test_cloudwatch_logs_decodes_to_the_log_events():
    event = CloudWatchLogsEvent(events.load("cloudwatch_logs"))
    data = event.parse_logs_data()
    assert data.message_type == "DATA_MESSAGE"
    assert data.owner == "123456789012"
    assert data.log_group == "/aws/lambda/kit-worker"
    assert data.subscription_filters == ["kit-errors"]
    assert [e.message for e in data.log_events] == [
        "[ERROR] ValueError: order 1001 has no items\n",
        "[ERROR] ValueError: order 1002 has no items\n",
    ]
    assert all(isinstance(e.timestamp, int) for e in data.log_events)


def test_cloudwatch_logs_gzip_is_deterministic():
    compressed = base64.b64decode(events.load("cloudwatch_logs")["awslogs"]["data"])
    assert compressed[:2] == b"\x1f\x8b"
    assert compressed[4:8] == b"\x00\x00\x00\x00"  # mtime=0: no build time inside the bytes
    assert json.loads(gzip.decompress(compressed))["logEvents"]
    # Shaped events: the same bytes each time, with no time and no OS in the header, on any
    # Python (gzip.compress writes OS 3 on 3.11 and 255 on 3.13).
    shaped = [
        base64.b64decode(events.load("cloudwatch_logs", messages=["a", "b"])["awslogs"]["data"])
        for _ in range(2)
    ]
    assert shaped[0] == shaped[1]
    assert shaped[0][4:8] == b"\x00\x00\x00\x00" and shaped[0][9] == 255
    assert [e["message"] for e in json.loads(gzip.decompress(shaped[0]))["logEvents"]] == ["a", "b"]


def test_cognito_pre_signup_values():
    event = PreSignUpTriggerEvent(events.load("cognito_pre_signup"))
    assert event.trigger_source == "PreSignUp_SignUp"
    assert event.request.user_attributes["email"] == "learner42@example.com"
    assert event.request.validation_data == {"invite_code": "KIT-2026"}
    assert event.response.auto_confirm_user is False
    assert event.caller_context.client_id


def test_destination_failure_record():
    record = events.load("lambda_destination_failure")
    context = record["requestContext"]
    assert record["version"] == "1.0"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["timestamp"])
    assert context["condition"] == "RetriesExhausted"
    assert context["approximateInvokeCount"] == 3
    assert context["functionArn"].endswith(":function:kit-worker:$LATEST")
    assert record["responseContext"] == {
        "statusCode": 200,
        "executedVersion": "$LATEST",
        "functionError": "Unhandled",
    }
    error = record["responsePayload"]
    assert set(error) == {"errorMessage", "errorType", "requestId", "stackTrace"}
    assert error["requestId"] == context["requestId"]
    assert isinstance(record["requestPayload"], dict)


# --- load and its overrides ------------------------------------------------------------------


def test_load_returns_independent_copies():
    first = events.load("sqs")
    first["Records"][0]["body"] = "changed"
    first["Records"].clear()
    second = events.load("sqs")
    assert len(second["Records"]) == 2
    assert second["Records"][0]["body"] != "changed"
    assert events.load("sqs") == second
    assert events.load("sqs") is not second


def test_unknown_name_lists_the_names():
    with pytest.raises(ValueError) as excinfo:
        events.load("s3")
    message = str(excinfo.value)
    assert "'s3'" in message
    assert all(name in message for name in events.names())


def test_unknown_keyword_names_the_valid_ones():
    with pytest.raises(TypeError, match=r"sizes.*valid: bucket, key, size"):
        events.load("s3_put", sizes=3)
    with pytest.raises(TypeError, match=r"valid: bucket, key$"):
        events.load("s3_delete", size=3)  # S3 sends no size for a deletion


def test_every_sample_has_override_keywords():
    assert all(events.keywords(name) for name in events.names())


def test_s3_overrides_encode_the_key_like_s3():
    event = events.load("s3_put", bucket="photos", key="2026/cat pictures/tom & jerry.jpg", size=7)
    obj = event["Records"][0]["s3"]["object"]
    assert obj["key"] == "2026/cat+pictures/tom+%26+jerry.jpg"
    assert obj["size"] == 7
    assert event["Records"][0]["s3"]["bucket"]["arn"] == "arn:aws:s3:::photos"
    parsed = S3Event(event)
    assert parsed.bucket_name == "photos"
    assert parsed.object_key == "2026/cat pictures/tom & jerry.jpg"
    models.S3Model.model_validate(event)
    deleted = events.load("s3_delete", key="a b.txt")
    assert deleted["Records"][0]["s3"]["object"]["key"] == "a+b.txt"


def test_sqs_body_recomputes_md5_on_every_record():
    event = events.load("sqs", body={"hello": "world"}, queue_arn="arn:aws:sqs:eu-west-1:1:jobs")
    for record in event["Records"]:
        assert record["body"] == '{"hello": "world"}'
        assert record["md5OfBody"] == hashlib.md5(record["body"].encode()).hexdigest()
        assert record["eventSourceARN"] == "arn:aws:sqs:eu-west-1:1:jobs"
        assert record["awsRegion"] == "eu-west-1"
    models.SqsModel.model_validate(event)


def test_sqs_bodies_make_one_record_each():
    event = events.load("sqs", bodies=["one", "two", "three", "four"])
    records = event["Records"]
    assert [r["body"] for r in records] == ["one", "two", "three", "four"]
    assert len({r["messageId"] for r in records}) == 4
    assert len({r["receiptHandle"] for r in records}) == 4
    assert all(r["md5OfBody"] == hashlib.md5(r["body"].encode()).hexdigest() for r in records)
    assert len(events.load("sqs", bodies=["only"])["Records"]) == 1
    assert events.shape_differences(events.load("sqs"), event) == []
    with pytest.raises(TypeError, match="not both"):
        events.load("sqs", body="x", bodies=["y"])


def test_sns_overrides():
    topic = "arn:aws:sns:us-east-1:123456789012:other"
    event = events.load("sns", message={"a": 1}, subject=None, topic_arn=topic)
    record = SNSEvent(event).record
    assert record.sns.message == '{"a": 1}'
    assert record.sns.subject is None
    assert record.sns.topic_arn == topic
    assert record.event_subscription_arn.startswith(topic + ":")
    assert record.sns.unsubscribe_url.endswith(record.event_subscription_arn)
    models.SnsModel.model_validate(event)


def test_dynamodb_overrides_use_dynamodb_json():
    item = {"id": "n2", "score": 1.5, "tags": {"a"}, "done": True, "blob": b"hi", "gone": None}
    event = events.load("dynamodb_stream", keys={"id": "n2"}, new_image=item)
    insert, modify, remove = (r["dynamodb"] for r in event["Records"])
    assert insert["Keys"] == {"id": {"S": "n2"}}
    assert insert["NewImage"]["score"] == {"N": "1.5"}
    assert insert["NewImage"]["blob"] == {"B": "aGk="}  # base64 on the wire, as AWS sends it
    assert modify["NewImage"] == insert["NewImage"]
    assert "NewImage" not in remove  # a REMOVE keeps having no new image
    deserializer = TypeDeserializer()
    plain = {k: deserializer.deserialize(v) for k, v in insert["NewImage"].items() if k != "blob"}
    assert plain == {"id": "n2", "score": Decimal("1.5"), "tags": {"a"}, "done": True, "gone": None}
    assert next(DynamoDBStreamEvent(event).records).dynamodb.new_image["id"] == "n2"
    models.DynamoDBStreamModel.model_validate(event)


def test_eventbridge_overrides():
    event = events.load("eventbridge", detail={"x": 1}, detail_type="Thing", source="my.app")
    assert (event["detail"], event["detail-type"], event["source"]) == ({"x": 1}, "Thing", "my.app")
    models.EventBridgeModel.model_validate(event)
    rule = "arn:aws:events:us-east-1:123456789012:rule/nightly"
    assert events.load("eventbridge_scheduled", rule_arn=rule)["resources"] == [rule]


def test_apigw_rest_overrides():
    event = events.load(
        "apigw_rest",
        method="POST",
        path="/orders",
        body={"item": "pen"},
        headers={"Content-Type": "application/json"},
        query={"tag": ["a", "b"]},
    )
    parsed = APIGatewayProxyEvent(event)
    assert parsed.http_method == parsed.request_context.http_method == "POST"
    assert parsed.path == "/orders"
    assert event["requestContext"]["path"] == "/prod/orders"
    assert parsed.resource == "/orders"
    assert event["pathParameters"] is None  # a literal path has nothing to fill in
    assert parsed.json_body == {"item": "pen"}
    assert parsed.headers["content-type"] == "application/json"
    assert event["multiValueHeaders"]["Content-Type"] == ["application/json"]
    assert parsed.query_string_parameters == {"tag": "b"}  # REST keeps the last value
    assert parsed.multi_value_query_string_parameters == {"tag": ["a", "b"]}
    models.APIGatewayProxyEventModel.model_validate(event)
    templated = events.load(
        "apigw_rest",
        path="/orders/7",
        resource="/orders/{id}",
        path_parameters={"id": "7"},
        query={},
    )
    assert templated["pathParameters"] == {"id": "7"}
    assert templated["queryStringParameters"] is None
    assert templated["multiValueQueryStringParameters"] is None


@pytest.mark.parametrize("name", ["apigw_http", "function_url"])
def test_payload_v2_overrides(name):
    event = events.load(
        name,
        method="GET",
        path="/items",
        body=None,
        headers={"X-Kit": "1"},
        query={"page": "2", "tag": ["a", "b"]},
    )
    parsed = APIGatewayProxyEventV2(event)
    assert parsed.request_context.http.method == "GET"
    assert parsed.raw_path == parsed.request_context.http.path == "/items"
    assert "body" not in event
    assert event["headers"]["x-kit"] == "1"
    assert event["headers"]["content-length"] == "0"
    assert event["rawQueryString"] == "page=2&tag=a&tag=b"
    assert parsed.query_string_parameters == {"page": "2", "tag": "a,b"}
    expected_route = "$default" if name == "function_url" else "GET /items"
    assert event["routeKey"] == event["requestContext"]["routeKey"] == expected_route
    MODELS[name].model_validate(event)
    assert "queryStringParameters" not in events.load(name, query={})


def test_authorizer_overrides():
    token = events.load("apigw_authorizer_token", token="deny", method_arn="arn:x")
    assert (token["authorizationToken"], token["methodArn"]) == ("deny", "arn:x")
    request = events.load("apigw_authorizer_request", headers={"Authorization": "Bearer t2"})
    assert APIGatewayAuthorizerRequestEvent(request).headers["authorization"] == "Bearer t2"
    ApiGatewayAuthorizerRequest.model_validate(request)


def test_kinesis_cloudwatch_cognito_destination_overrides():
    kinesis = events.load("kinesis", data={"n": 1}, stream_arn="arn:aws:kinesis:us-west-2:1:s")
    parsed = list(KinesisStreamEvent(kinesis).records)
    assert [r.kinesis.data_as_json() for r in parsed] == [{"n": 1}, {"n": 1}]
    assert {r.aws_region for r in parsed} == {"us-west-2"}
    logs = events.load("cloudwatch_logs", messages=["a", "b", "c"], log_group="/aws/lambda/x")
    data = CloudWatchLogsEvent(logs).parse_logs_data()
    assert [e.message for e in data.log_events] == ["a", "b", "c"]
    assert len({e.get_id for e in data.log_events}) == 3
    assert data.log_group == "/aws/lambda/x"
    models.CloudWatchLogsModel.model_validate(logs)
    cognito = events.load("cognito_pre_signup", user_name="u2", user_attributes={"email": "e@x"})
    assert PreSignUpTriggerEvent(cognito).user_name == "u2"
    assert PreSignUpTriggerEvent(cognito).request.user_attributes == {"email": "e@x"}
    failure = events.load("lambda_destination_failure", request_payload=[1], function_arn="arn:f")
    assert failure["requestPayload"] == [1]
    assert failure["requestContext"]["functionArn"] == "arn:f"


# --- shape_differences -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TOP_KEYS))
def test_a_sample_has_its_own_shape(name):
    sample = events.load(name)
    assert events.shape_differences(sample, events.load(name), events.optional_paths(name)) == []


def test_stream_records_differ_by_event_name_unless_told():
    # Compared with the first record (an INSERT), a MODIFY has an OldImage and a REMOVE no
    # NewImage: that is AWS's shape, and optional_paths says so.
    sample = events.load("dynamodb_stream")
    assert events.shape_differences(sample, events.load("dynamodb_stream")) == [
        "Records[1].dynamodb: unexpected key 'OldImage'",
        "Records[2].dynamodb: missing key 'NewImage'",
        "Records[2].dynamodb: unexpected key 'OldImage'",
    ]


@pytest.mark.parametrize("name", sorted(TOP_KEYS))
def test_optional_paths_point_into_the_sample(name):
    # A typo in a path would silently ignore nothing: every path's parent exists in the sample.
    for path in events.optional_paths(name):
        node: Any = events.load(name)
        for part in path.split(".")[:-1]:
            node = node[0] if isinstance(node, list) else node
            assert isinstance(node, dict) and part in node, f"{name}: {path}"
            node = node[part]
        assert isinstance(node[0] if isinstance(node, list) else node, dict), f"{name}: {path}"
    assert isinstance(events.optional_paths(name), set)
    events.optional_paths(name).add("changed")
    assert "changed" not in events.optional_paths(name)


def test_shape_differences_finds_a_missing_key():
    actual = events.load("s3_put")
    del actual["Records"][0]["s3"]["object"]["sequencer"]
    assert events.shape_differences(events.load("s3_put"), actual) == [
        "Records[0].s3.object: missing key 'sequencer'"
    ]


def test_shape_differences_finds_an_unexpected_key_and_optional_explains_it():
    actual = events.load("s3_put")
    actual["Records"][0]["s3"]["object"]["versionId"] = "3HL4kqtJlcpXroDTDmJ"
    expected = events.load("s3_put")
    assert events.shape_differences(expected, actual) == [
        "Records[0].s3.object: unexpected key 'versionId'"
    ]
    assert events.shape_differences(expected, actual, {"Records.s3.object.versionId"}) == []


def test_shape_differences_finds_a_wrong_type():
    actual = events.load("s3_put")
    actual["Records"][0]["s3"]["object"]["size"] = "1024"
    actual["Records"][0]["s3"]["bucket"] = []
    assert events.shape_differences(events.load("s3_put"), actual) == [
        "Records[0].s3.bucket: expected object, got array",
        "Records[0].s3.object.size: expected number, got string",
    ]


def test_shape_differences_checks_every_list_element_against_the_first():
    actual = events.load("sqs", bodies=["a", "b", "c"])
    del actual["Records"][2]["attributes"]["SenderId"]
    actual["Records"][1]["md5OfBody"] = None
    assert events.shape_differences(events.load("sqs"), actual) == [
        "Records[1].md5OfBody: expected string, got null",
        "Records[2].attributes: missing key 'SenderId'",
    ]


def test_shape_differences_compares_json_types_not_python_ones():
    assert events.shape_differences({"n": 1, "b": True}, {"n": 1.5, "b": False}) == []
    assert events.shape_differences({"b": True}, {"b": 1}) == ["b: expected boolean, got number"]
    assert events.shape_differences([], [1, "x"]) == []
    assert events.shape_differences({}, []) == ["(top): expected object, got array"]


def test_shape_differences_optional_ignores_a_whole_subtree():
    expected = events.load("sqs")
    actual = events.load("sqs")
    actual["Records"][0]["messageAttributes"] = {"other": {"dataType": "Number"}}
    assert events.shape_differences(expected, actual) != []
    assert events.shape_differences(expected, actual, {"Records.messageAttributes"}) == []
    # The same path with its index also works, for one element only.
    assert events.shape_differences(expected, actual, {"Records[0].messageAttributes"}) == []


def test_shape_differences_tells_samples_apart():
    differences = events.shape_differences(events.load("apigw_rest"), events.load("apigw_http"))
    assert "(top): missing key 'httpMethod'" in differences
    assert "(top): unexpected key 'rawPath'" in differences
