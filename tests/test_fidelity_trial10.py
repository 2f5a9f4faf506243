"""Answers as AWS gives them (issue 12, learner trial 10: ZD8, ZD11, UD6, VD1, UD27): what
fails on AWS fails here in AWS's words, what works there works here."""

from __future__ import annotations

import json

import pytest

from tests.conftest import (
    RECORDER,
    allow_invoke,
    aws_error,
    log_messages,
    make_queue,
    role_allowing,
    until,
)

ROLE_POLICIES = ["arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"]


# ------------------------------------------------------------------------- ZD8, ZD11: SQS
def _redrive(arn: str) -> dict[str, str]:
    return {"RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 2})}


def test_a_fifo_dead_letter_queue_for_a_standard_queue_is_refused(sqs):
    url, _ = make_queue(sqs, "receipts-retry")
    _, fifo = make_queue(sqs, "receipts-dlq.fifo", FifoQueue="true")
    policy = _redrive(fifo)
    code, message, status = aws_error(
        lambda: sqs.set_queue_attributes(QueueUrl=url, Attributes=policy)
    )
    assert (code, status) == ("InvalidParameterValue", 400)
    assert message == (
        f"Value {policy['RedrivePolicy']} for parameter RedrivePolicy is invalid. Reason: "
        "Dead-letter queue must be same type of queue as the source."
    )
    kept = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert "RedrivePolicy" not in kept
    # the reverse too, and at CreateQueue
    _, standard = make_queue(sqs, "plain-dlq")
    code, message, _ = aws_error(
        lambda: sqs.create_queue(
            QueueName="jobs.fifo", Attributes={"FifoQueue": "true", **_redrive(standard)}
        )
    )
    assert code == "InvalidParameterValue"
    assert message.endswith("Reason: Dead-letter queue must be same type of queue as the source.")


def test_a_dead_letter_queue_of_the_same_type_is_taken(sqs):
    url, _ = make_queue(sqs, "receipts-retry")
    _, dlq = make_queue(sqs, "receipts-dlq")
    sqs.set_queue_attributes(QueueUrl=url, Attributes=_redrive(dlq))
    _, fifo_dlq = make_queue(sqs, "jobs-dlq.fifo", FifoQueue="true")
    sqs.create_queue(QueueName="jobs.fifo", Attributes={"FifoQueue": "true", **_redrive(fifo_dlq)})


@pytest.mark.parametrize(
    ("allow", "refused"),
    [
        ({"redrivePermission": "denyAll"}, "is denyAll: No source queues can specify"),
        (
            {"redrivePermission": "byQueue", "sourceQueueArns": ["OTHER"]},
            "Only queues specified by the sourceQueueArns parameter",
        ),
        ({"redrivePermission": "byQueue", "sourceQueueArns": ["SOURCE"]}, None),
        ({"redrivePermission": "allowAll"}, None),
    ],
)
def test_a_dead_letter_queue_whose_redrive_allow_policy_keeps_the_source_out(sqs, allow, refused):
    url, source = make_queue(sqs, "receipts-retry")
    _, other = make_queue(sqs, "other")
    arns = [{"SOURCE": source, "OTHER": other}[a] for a in allow.get("sourceQueueArns", [])]
    if arns:
        allow = {**allow, "sourceQueueArns": arns}
    _, dlq = make_queue(sqs, "receipts-dlq", RedriveAllowPolicy=json.dumps(allow))
    if refused is None:
        sqs.set_queue_attributes(QueueUrl=url, Attributes=_redrive(dlq))
        return
    code, message, status = aws_error(
        lambda: sqs.set_queue_attributes(QueueUrl=url, Attributes=_redrive(dlq))
    )
    assert (code, status) == ("InvalidParameterValue", 400)
    assert "for parameter RedrivePolicy is invalid. Reason: [local kit]" in message
    assert refused in message


def test_an_empty_message_body_is_refused(sqs):
    url, _ = make_queue(sqs, "orders")
    code, message, status = aws_error(lambda: sqs.send_message(QueueUrl=url, MessageBody=""))
    assert (code, status) == ("MissingParameter", 400)
    assert message == "The request must contain the parameter MessageBody."
    sqs.send_message(QueueUrl=url, MessageBody=" ")  # one character is enough


# ------------------------------------------------------------- UD6: S3 multipart uploads
def _multipart(s3, key: str) -> None:
    upload = s3.create_multipart_upload(Bucket="uploads", Key=key)["UploadId"]
    etag = s3.upload_part(Bucket="uploads", Key=key, UploadId=upload, PartNumber=1, Body=b"a,b")
    s3.complete_multipart_upload(
        Bucket="uploads",
        Key=key,
        UploadId=upload,
        MultipartUpload={"Parts": [{"ETag": etag["ETag"], "PartNumber": 1}]},
    )


def _events_seen(logs, name: str) -> list[str]:
    records = [
        json.loads(m.split(" ", 1)[1])["Records"]
        for m in log_messages(logs, name)
        if m.startswith("EVENT ")
    ]
    return [r["eventName"] for batch in records for r in batch]


def _uploads_notify(s3, arn: str, events: list[str]) -> None:
    """A bucket `uploads` that notifies the function of these events."""
    s3.create_bucket(Bucket="uploads")
    s3.put_bucket_notification_configuration(
        Bucket="uploads",
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [{"LambdaFunctionArn": arn, "Events": events}]
        },
    )


def test_a_multipart_upload_sends_only_complete_multipart_upload(deploy, s3, logs, fresh):
    arn = deploy("on-upload", RECORDER)["FunctionArn"]
    allow_invoke(arn, "s3.amazonaws.com")
    _uploads_notify(s3, arn, ["s3:ObjectCreated:*", "s3:ObjectTagging:*"])
    _multipart(s3, "incoming/big.csv")
    assert until(lambda: _events_seen(logs, "on-upload"))
    assert fresh.wait(10)
    assert _events_seen(logs, "on-upload") == ["ObjectCreated:CompleteMultipartUpload"]
    s3.put_object(Bucket="uploads", Key="incoming/small.csv", Body=b"a")  # a Put is still a Put
    until(lambda: len(_events_seen(logs, "on-upload")) >= 2)
    assert fresh.wait(10)
    assert len(_events_seen(logs, "on-upload")) == 2, _events_seen(logs, "on-upload")
    assert _events_seen(logs, "on-upload")[1] == "ObjectCreated:Put"


def test_a_put_only_notification_is_not_sent_for_a_multipart_upload(deploy, s3, logs, fresh):
    arn = deploy("on-upload", RECORDER)["FunctionArn"]
    allow_invoke(arn, "s3.amazonaws.com")
    _uploads_notify(s3, arn, ["s3:ObjectCreated:Put"])
    _multipart(s3, "incoming/big.csv")
    assert fresh.wait(10)
    assert _events_seen(logs, "on-upload") == []


# ------------------------------------------- VD1: async delivery to a KMS-encrypted queue
FAILS = """
def handler(event, context):
    raise ValueError("poison")
"""


def _received(sqs, url: str) -> list[dict]:
    return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])


def _failing_function(deploy, lam, sqs, name: str, key: str, role_name: str) -> tuple[str, str]:
    """A function whose DLQ and on-failure destination are queues encrypted with `key`, its
    role allowed sqs:SendMessage on both; (the DLQ's URL, the destination's URL)."""
    dlq_url, dlq = make_queue(sqs, f"{name}-dead", KmsMasterKeyId=key)
    failed_url, failed = make_queue(sqs, f"{name}-failed", KmsMasterKeyId=key)
    role = role_allowing(role_name, ["sqs:SendMessage"], "arn:aws:sqs:*:*:*")
    deploy(name, FAILS, Role=role, DeadLetterConfig={"TargetArn": dlq})
    lam.put_function_event_invoke_config(
        FunctionName=name,
        MaximumRetryAttempts=0,
        DestinationConfig={"OnFailure": {"Destination": failed}},
    )
    return dlq_url, failed_url


def test_a_queue_with_a_customer_managed_key_needs_kms_rights_to_receive_failures(
    fresh, deploy, lam, sqs
):
    key = fresh.client("kms").create_key()["KeyMetadata"]
    dlq_url, failed_url = _failing_function(deploy, lam, sqs, "payments", key["KeyId"], "pay-r")
    lam.invoke(FunctionName="payments", InvocationType="Event", Payload="{}")
    assert fresh.wait(10)
    assert _received(sqs, dlq_url) == [] and _received(sqs, failed_url) == []
    [summary] = fresh.async_events()
    assert "FAILED: dead-letter queue" in summary["sent_to"]
    assert "FAILED: on-failure destination" in summary["sent_to"]
    names = {
        m["MetricName"]
        for m in fresh.client("cloudwatch").list_metrics(Namespace="AWS/Lambda")["Metrics"]
    }
    assert {"DeadLetterErrors", "DestinationDeliveryFailures"} <= names
    # With both rights on the key, both arrive.
    fresh.client("iam").put_role_policy(
        RoleName="pay-r",
        PolicyName="key",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                        "Resource": key["Arn"],
                    }
                ],
            }
        ),
    )
    lam.invoke(FunctionName="payments", InvocationType="Event", Payload="{}")
    assert fresh.wait(10)
    assert len(_received(sqs, dlq_url)) == 1 and len(_received(sqs, failed_url)) == 1


def test_a_queue_with_sqs_own_key_needs_no_kms_rights(fresh, deploy, lam, sqs):
    dlq_url, failed_url = _failing_function(deploy, lam, sqs, "orders", "alias/aws/sqs", "ord-r")
    lam.invoke(FunctionName="orders", InvocationType="Event", Payload="{}")
    assert fresh.wait(10)
    assert len(_received(sqs, dlq_url)) == 1 and len(_received(sqs, failed_url)) == 1


# ------------------------------------------------------------ UD27: HTTP API route keys
@pytest.fixture
def v2(fresh):
    return fresh.client("apigatewayv2")


@pytest.mark.parametrize(
    ("key", "kit_words"),
    [
        ("get /hello/{name}", True),
        ("GET hello/{name}", True),
        ("GET  /hello/{name}", True),
        ("FETCH /hello", True),
        ("GET", True),
        ("GET /hello/{first name}", False),
        ("GET /events/{id}.json", False),
        ("GET /files/{path+}/meta", False),
        ("GET /hello/{name", False),
    ],
)
def test_a_malformed_http_api_route_key_is_refused(v2, key, kit_words):
    api = v2.create_api(Name="greetings", ProtocolType="HTTP")["ApiId"]
    code, message, status = aws_error(lambda: v2.create_route(ApiId=api, RouteKey=key))
    assert (code, status) == ("BadRequestException", 400)
    if kit_words:
        assert message.startswith(f"[local kit] The route key '{key}' is not valid")
    else:
        assert message == "One or more path parts appear to be invalid"
    assert v2.get_routes(ApiId=api)["Items"] == []
    # UpdateRoute and quick create refuse it too
    route = v2.create_route(ApiId=api, RouteKey="GET /hello")["RouteId"]
    code, _, _ = aws_error(lambda: v2.update_route(ApiId=api, RouteId=route, RouteKey=key))
    assert code == "BadRequestException"
    assert [r["RouteKey"] for r in v2.get_routes(ApiId=api)["Items"]] == ["GET /hello"]
    target = "arn:aws:lambda:us-east-1:123456789012:function:greeter"
    code, _, _ = aws_error(
        lambda: v2.create_api(Name="quick", ProtocolType="HTTP", Target=target, RouteKey=key)
    )
    assert code == "BadRequestException"
    assert [a["Name"] for a in v2.get_apis()["Items"]] == ["greetings"]


@pytest.mark.parametrize(
    "key",
    [
        "$default",
        "GET /hello/{name}",
        "ANY /{proxy+}",
        "POST /",
        "DELETE /receipts/{id}",
        "OPTIONS /a/b.c/{x_y-z}",
        "PATCH /files/{path+}",
    ],
)
def test_a_well_formed_http_api_route_key_is_taken(v2, key):
    api = v2.create_api(Name="greetings", ProtocolType="HTTP")["ApiId"]
    assert v2.create_route(ApiId=api, RouteKey=key)["RouteKey"] == key


def test_a_websocket_api_keeps_its_own_route_keys(v2):
    api = v2.create_api(
        Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action"
    )["ApiId"]
    for key in ("$connect", "sendMessage"):
        assert v2.create_route(ApiId=api, RouteKey=key)["RouteKey"] == key
