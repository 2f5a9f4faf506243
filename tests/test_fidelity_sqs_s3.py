"""SQS and S3 answers as AWS gives them (issue 12, learner trial 10: UD8, UD12, UD14, UD15, UD19,
UD20, UD21, UD28, VD2): what fails on AWS fails here in AWS's words, what works there works here."""

from __future__ import annotations

import json

import pytest

from tests.conftest import RECORDER, aws_error, log_messages, make_queue, role_allowing, until

ROLE_POLICIES = ["arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"]


# ------------------------------------------------------------------------------------ SQS
def test_a_queue_name_deleted_less_than_60_seconds_ago_is_refused(fresh, sqs):
    url, _ = make_queue(sqs, "orders")
    sqs.delete_queue(QueueUrl=url)
    code, message, status = aws_error(lambda: sqs.create_queue(QueueName="orders"))
    assert (code, status) == ("AWS.SimpleQueueService.QueueDeletedRecently", 400)
    assert message == (
        "You must wait 60 seconds after deleting a queue before you can create another with the "
        "same name."
    )
    with pytest.raises(sqs.exceptions.QueueDeletedRecently):
        sqs.create_queue(QueueName="orders")
    sqs.create_queue(QueueName="orders-2")  # another name is free
    fresh.advance_clock(seconds=59)
    with pytest.raises(sqs.exceptions.QueueDeletedRecently):
        sqs.create_queue(QueueName="orders")
    fresh.advance_clock(seconds=1)  # 60 s on the kit's clock
    assert sqs.create_queue(QueueName="orders")["QueueUrl"].endswith("/orders")


def test_a_reset_forgets_deleted_queue_names(fresh, sqs):
    url, _ = make_queue(sqs, "orders")
    sqs.delete_queue(QueueUrl=url)
    fresh.reset()
    assert sqs.create_queue(QueueName="orders")["QueueUrl"].endswith("/orders")


@pytest.mark.parametrize("count", [2.5, "2.5"], ids=["number", "string"])
def test_a_fractional_max_receive_count_is_refused(sqs, count):
    _, dlq = make_queue(sqs, "orders-dlq")
    policy = json.dumps({"deadLetterTargetArn": dlq, "maxReceiveCount": count})
    code, message, status = aws_error(
        lambda: sqs.create_queue(QueueName="orders", Attributes={"RedrivePolicy": policy})
    )
    assert (code, status) == ("InvalidParameterValue", 400)
    assert message == (
        f"Value {policy} for parameter RedrivePolicy is invalid. Reason: Invalid value for "
        "maxReceiveCount: 2.5, valid values are from 1 to 1000 both inclusive."
    )
    url, _ = make_queue(sqs, "orders")
    code, _, _ = aws_error(
        lambda: sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": policy})
    )
    assert code == "InvalidParameterValue"


@pytest.mark.parametrize("count", [2, "2", 2.0])
def test_a_whole_max_receive_count_is_kept(sqs, count):
    _, dlq = make_queue(sqs, "orders-dlq")
    policy = json.dumps({"deadLetterTargetArn": dlq, "maxReceiveCount": count})
    url, _ = make_queue(sqs, "orders", RedrivePolicy=policy)
    kept = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
    assert json.loads(kept["Attributes"]["RedrivePolicy"])["maxReceiveCount"] == 2


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("VisibilityTimeout", "1.5"),
        ("VisibilityTimeout", "thirty"),
        ("VisibilityTimeout", "43201"),
        ("DelaySeconds", "2.5"),
        ("DelaySeconds", "901"),
        ("MessageRetentionPeriod", "86400.0"),
        ("MessageRetentionPeriod", "59"),
        ("ReceiveMessageWaitTimeSeconds", "0.5"),
        ("ReceiveMessageWaitTimeSeconds", "21"),
        ("MaximumMessageSize", "2048.5"),
        ("MaximumMessageSize", "1023"),
    ],
)
def test_a_whole_seconds_attribute_that_is_not_is_invalid(sqs, name, value):
    code, message, status = aws_error(
        lambda: sqs.create_queue(QueueName="orders", Attributes={name: value})
    )
    assert (code, message, status) == (
        "InvalidAttributeValue",
        f"Invalid value for the parameter {name}.",
        400,
    )
    url, _ = make_queue(sqs, "orders")
    code, message, status = aws_error(
        lambda: sqs.set_queue_attributes(QueueUrl=url, Attributes={name: value})
    )
    assert (code, status) == ("InvalidAttributeValue", 400)


def test_whole_seconds_within_the_ranges_are_kept(sqs):
    attributes = {
        "VisibilityTimeout": "43200",
        "DelaySeconds": "0",
        "MessageRetentionPeriod": "60",
        "ReceiveMessageWaitTimeSeconds": "20",
        "MaximumMessageSize": "1048576",
    }
    url, _ = make_queue(sqs, "orders", **attributes)
    kept = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert {k: kept[k] for k in attributes} == attributes


# ------------------------------------------------------------------ SQS event source mapping
# Settings of stream mappings only: AWS refuses each on a queue's mapping, at create and update.
STREAM_ONLY = [
    ("BisectBatchOnFunctionError", True),
    ("MaximumRetryAttempts", 2),
    ("MaximumRecordAgeInSeconds", 60),
    ("ParallelizationFactor", 2),
    ("TumblingWindowInSeconds", 30),
    ("DestinationConfig", {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:1:x"}}),
]


@pytest.mark.parametrize(("name", "value"), STREAM_ONLY)
def test_a_queue_mapping_refuses_a_streams_setting(deploy, lam, sqs, name, value):
    deploy("worker", RECORDER)
    _, arn = make_queue(sqs, "orders")
    code, message, status = aws_error(
        lambda: lam.create_event_source_mapping(
            EventSourceArn=arn, FunctionName="worker", **{name: value}
        )
    )
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert message == f"Invalid request provided: {name} is not valid for SQS event sources."
    assert lam.list_event_source_mappings(FunctionName="worker")["EventSourceMappings"] == []


# UD19 (learner trial 10): and when a queue's mapping is updated
@pytest.mark.parametrize(("name", "value"), STREAM_ONLY)
def test_updating_a_queue_mapping_refuses_a_streams_setting(deploy, lam, sqs, name, value):
    deploy("worker", RECORDER)
    _, arn = make_queue(sqs, "orders")
    uuid = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="worker")["UUID"]
    code, message, status = aws_error(
        lambda: lam.update_event_source_mapping(UUID=uuid, **{name: value})
    )
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert message == f"Invalid request provided: {name} is not valid for SQS event sources."
    # a queue's own settings are still updated
    assert lam.update_event_source_mapping(UUID=uuid, BatchSize=3)["BatchSize"] == 3


def test_a_queue_mapping_without_them_is_made(deploy, lam, sqs):
    deploy("worker", RECORDER)
    _, arn = make_queue(sqs, "orders")
    made = lam.create_event_source_mapping(
        EventSourceArn=arn, FunctionName="worker", BatchSize=5, Enabled=False
    )
    assert made["BatchSize"] == 5


# ------------------------------------------------------------------------------ S3 ACLs
@pytest.mark.parametrize(
    "acl",
    [{"ACL": "public-read"}, {"ACL": "authenticated-read"}, {"GrantRead": "uri=x"}],
    ids=["public-read", "authenticated-read", "grant"],
)
def test_a_new_bucket_with_an_acl_is_refused(s3, acl):
    code, message, status = aws_error(lambda: s3.create_bucket(Bucket="hello-kit", **acl))
    assert (code, status) == ("InvalidBucketAclWithObjectOwnership", 400)
    assert message == (
        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"
    )
    assert "hello-kit" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    code, _, _ = aws_error(
        lambda: s3.create_bucket(Bucket="hello-kit", ObjectOwnership="BucketOwnerEnforced", **acl)
    )
    assert code == "InvalidBucketAclWithObjectOwnership"


def test_a_new_bucket_with_the_private_acl_or_acls_enabled_is_made(s3):
    s3.create_bucket(Bucket="plain-kit", ACL="private")
    s3.create_bucket(Bucket="logs-kit", ACL="log-delivery-write", ObjectOwnership="ObjectWriter")
    controls = s3.get_bucket_ownership_controls(Bucket="logs-kit")["OwnershipControls"]
    assert controls["Rules"] == [{"ObjectOwnership": "ObjectWriter"}]
    s3.put_object(Bucket="logs-kit", Key="a.txt", Body=b"a", ACL="public-read")
    # ACLs stay disabled on the default bucket, for objects and for the bucket alike.
    code, message, _ = aws_error(
        lambda: s3.put_object(Bucket="plain-kit", Key="a.txt", Body=b"a", ACL="public-read")
    )
    assert (code, message) == ("AccessControlListNotSupported", "The bucket does not allow ACLs")
    code, _, _ = aws_error(
        lambda: s3.put_object(Bucket="plain-kit", Key="a.txt", Body=b"a", GrantRead="uri=x")
    )
    assert code == "AccessControlListNotSupported"
    code, _, _ = aws_error(lambda: s3.put_bucket_acl(Bucket="plain-kit", ACL="public-read"))
    assert code == "AccessControlListNotSupported"


# ----------------------------------------------------------------- S3 notifications
def _notify(s3, arn: str, **extra) -> None:
    s3.put_bucket_notification_configuration(
        Bucket="uploads",
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}
            ]
        },
        **extra,
    )


def test_skip_destination_validation_saves_the_configuration(deploy, s3, logs, fresh):
    arn = deploy("on-upload", RECORDER)["FunctionArn"]
    s3.create_bucket(Bucket="uploads")
    code, _, _ = aws_error(lambda: _notify(s3, arn))  # validated: the function doesn't allow S3
    assert code == "InvalidArgument"
    _notify(s3, arn, SkipDestinationValidation=True)
    kept = s3.get_bucket_notification_configuration(Bucket="uploads")
    assert [c["LambdaFunctionArn"] for c in kept["LambdaFunctionConfigurations"]] == [arn]
    # Each delivery is still refused: the function doesn't let S3 invoke it.
    s3.put_object(Bucket="uploads", Key="a.txt", Body=b"a")
    assert fresh.wait(10)
    assert not [m for m in log_messages(logs, "on-upload") if m.startswith("EVENT ")]


# ---------------------------------------------------------------- S3 bucket policies
def _policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


TLS_ONLY = {
    "Sid": "AllowSSLRequestsOnly",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::csv-drop", "arn:aws:s3:::csv-drop/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}


def test_a_tls_only_bucket_policy_lets_sdk_requests_in(s3):
    s3.create_bucket(Bucket="csv-drop")
    s3.put_bucket_policy(Bucket="csv-drop", Policy=_policy(TLS_ONLY))
    s3.put_object(Bucket="csv-drop", Key="incoming/a.csv", Body=b"a,b\n1,2\n")
    assert s3.get_object(Bucket="csv-drop", Key="incoming/a.csv")["Body"].read() == b"a,b\n1,2\n"
    s3.delete_object(Bucket="csv-drop", Key="incoming/a.csv")


def test_a_tls_only_bucket_policy_lets_the_function_in(deploy, s3, fresh, logs):
    role = role_allowing("csv-role", ["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::csv-drop/*")
    source = """
import boto3
s3 = boto3.client("s3")
def handler(event, context):
    s3.put_object(Bucket="csv-drop", Key="out.txt", Body=b"x")
    return s3.get_object(Bucket="csv-drop", Key="out.txt")["Body"].read().decode()
"""
    deploy("writer", source, Role=role)
    s3.create_bucket(Bucket="csv-drop")
    s3.put_bucket_policy(Bucket="csv-drop", Policy=_policy(TLS_ONLY))
    answer = fresh.client("lambda").invoke(FunctionName="writer")
    assert "FunctionError" not in answer, answer["Payload"].read()
    assert json.loads(answer["Payload"].read()) == "x"


DENY_UNENCRYPTED = {
    "Sid": "DenyUnEncryptedObjectUploads",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:PutObject",
    "Resource": "arn:aws:s3:::csv-drop/*",
    "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}},
}


def test_a_bucket_policy_deny_answers_s3s_access_denied(s3):
    s3.create_bucket(Bucket="csv-drop")
    s3.put_bucket_policy(Bucket="csv-drop", Policy=_policy(DENY_UNENCRYPTED))
    code, message, status = aws_error(
        lambda: s3.put_object(Bucket="csv-drop", Key="incoming/a.csv", Body=b"a")
    )
    assert (code, status) == ("AccessDenied", 403)
    assert message == (
        "User: arn:aws:sts::123456789012:user/moto is not authorized to perform: s3:PutObject "
        'on resource: "arn:aws:s3:::csv-drop/incoming/a.csv" with an explicit deny in a '
        "resource-based policy"
    )
    # With the header the policy asks for, the upload is let in.
    s3.put_object(Bucket="csv-drop", Key="incoming/a.csv", Body=b"a", ServerSideEncryption="AES256")
    until(lambda: s3.head_object(Bucket="csv-drop", Key="incoming/a.csv"))


def test_an_allow_whose_condition_fails_does_not_deny(s3):
    s3.create_bucket(Bucket="csv-drop")
    allow_from_elsewhere = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::csv-drop/*",
        "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
    }
    s3.put_bucket_policy(Bucket="csv-drop", Policy=_policy(allow_from_elsewhere))
    s3.put_object(Bucket="csv-drop", Key="a.txt", Body=b"a")
    assert s3.get_object(Bucket="csv-drop", Key="a.txt")["Body"].read() == b"a"
