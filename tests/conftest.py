"""Fixtures: one local AWS for the test session, wiped before each test."""

from __future__ import annotations

import json
import textwrap
import time
import uuid
from collections.abc import Callable
from typing import Any

import boto3
import pytest

import helpers
from helpers.iam import execution_role
from helpers.packaging import zip_bytes


@pytest.fixture(scope="session")
def aws():
    kit = helpers.start()
    yield kit
    kit.stop()


@pytest.fixture
def fresh(aws):
    """A wiped local AWS, with the default settings back, and an instant control plane.

    Tests that are about function states set `control_plane_delay` themselves; the notebooks
    run with the kit's default, where code that doesn't wait fails as on AWS.
    """
    aws.reset()
    # Resource policies enforced, as the kit starts: a test that switched them off and failed
    # before switching them back must not change the tests after it in the same worker.
    aws.configure(
        idle_timeout=600,
        account_concurrency=1000,
        control_plane_delay=0,
        enforce_resource_policies=True,
    )
    yield aws
    aws.wait(10)


@pytest.fixture
def lam(fresh):
    return fresh.client("lambda")


@pytest.fixture
def logs(fresh):
    return fresh.client("logs")


@pytest.fixture
def deploy(request, fresh, lam) -> Callable[..., dict[str, Any]]:
    """Create a function from handler source (module `app`, handler `app.handler`).

    Its role may write logs, plus the managed policies a test module lists in `ROLE_POLICIES`
    (IAM is enforced: e.g. an SQS mapping needs AWSLambdaSQSQueueExecutionRole).
    """
    policies = getattr(request.module, "ROLE_POLICIES", ())
    role = execution_role(f"tests-{request.module.__name__.rsplit('.', 1)[-1]}", policies=policies)

    def create(name: str, source: str, **settings: Any) -> dict[str, Any]:
        files = settings.pop("files", None) or {"app.py": textwrap.dedent(source)}
        settings.setdefault("Runtime", "python3.12")
        settings.setdefault("Handler", "app.handler")
        settings.setdefault("Role", role)  # basic logging rights only: IAM is enforced
        return lam.create_function(
            FunctionName=name, Code={"ZipFile": zip_bytes(files)}, **settings
        )

    return create


# A handler that prints the event it gets, for tests that read it back from the logs.
RECORDER = """
import json
def handler(event, context):
    print("EVENT", json.dumps(event))
"""


@pytest.fixture
def sqs(fresh):
    """An SQS client (test_async overrides it with short retry delays)."""
    return fresh.client("sqs")


@pytest.fixture
def s3(fresh):
    """An S3 client (test_iam_enforcement overrides it with two buckets)."""
    return fresh.client("s3")


@pytest.fixture
def iam(fresh):
    """An IAM client."""
    return fresh.client("iam")


def validation_message(value: str, where: str, rule: str) -> str:
    """The message of AWS's ValidationException for one member that breaks its model's rule."""
    return (
        f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy "
        f"constraint: {rule}"
    )


def role_allowing(name: str, actions: list[str], resource: str) -> str:
    """A role with basic logging rights plus `actions` on `resource`: IAM is enforced."""
    arn = execution_role(name)
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}],
    }
    boto3.client("iam").put_role_policy(
        RoleName=name, PolicyName="handler-rights", PolicyDocument=json.dumps(document)
    )
    return arn


def allow_invoke(function: str, principal: str, source_arn: str | None = None) -> None:
    """Let a service invoke the function (a name or an ARN, an alias's too) from `source_arn`,
    as `add_permission` does on AWS."""
    name, qualifier = function, None
    if function.startswith("arn:"):
        name, _, qualifier = function.split(":function:")[1].partition(":")
    extra: dict[str, Any] = {"SourceArn": source_arn} if source_arn else {}
    if qualifier:
        extra["Qualifier"] = qualifier
    boto3.client("lambda").add_permission(
        FunctionName=name,
        StatementId=f"{principal.split('.')[0]}-{uuid.uuid4().hex[:8]}",
        Action="lambda:InvokeFunction",
        Principal=principal,
        **extra,
    )


def public_url(lam, name: str, qualifier: str | None = None) -> str:
    """A function URL with `AuthType NONE` that anyone may call: the URL and the two
    permissions AWS requires since October 2025 (what the console adds)."""
    where: dict[str, Any] = {"Qualifier": qualifier} if qualifier else {}
    url = lam.create_function_url_config(FunctionName=name, AuthType="NONE", **where)
    lam.add_permission(
        FunctionName=name,
        StatementId="FunctionURLAllowPublicAccess",
        Action="lambda:InvokeFunctionUrl",
        Principal="*",
        FunctionUrlAuthType="NONE",
        **where,
    )
    lam.add_permission(
        FunctionName=name,
        StatementId="FunctionURLInvokeAllowPublicAccess",
        Action="lambda:InvokeFunction",
        Principal="*",
        InvokedViaFunctionUrl=True,
        **where,
    )
    return url["FunctionUrl"]


def call(lam, name: str, event: Any = None, **kwargs: Any) -> tuple[dict, Any]:
    """Invoke and return (response, decoded payload)."""
    response = lam.invoke(FunctionName=name, Payload=json.dumps(event or {}), **kwargs)
    raw = response["Payload"].read()
    return response, (json.loads(raw) if raw else None)


def log_messages(logs, name: str, pattern: str = "") -> list[str]:
    """Every message in the function's log group, oldest first ([] before its first run)."""
    if not logs.describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{name}")["logGroups"]:
        return []
    kwargs = {"logGroupName": f"/aws/lambda/{name}"}
    if pattern:
        kwargs["filterPattern"] = pattern
    pages = logs.get_paginator("filter_log_events").paginate(**kwargs)
    return [event["message"] for page in pages for event in page["events"]]


def tagged(logs, name: str, tag: str) -> list[Any]:
    """The JSON a function printed after `tag ` (e.g. `KEYS [...]`), one per line, oldest first."""
    return [
        json.loads(m.removeprefix(f"{tag} "))
        for m in log_messages(logs, name)
        if m.startswith(f"{tag} ")
    ]


def until(predicate: Callable[[], Any], timeout: float = 15.0) -> Any:
    """Poll until predicate() is truthy (background pollers and queues take a moment)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.05)
    return predicate()


def make_queue(sqs: Any, name: str, **attributes: str) -> tuple[str, str]:
    """Create an SQS queue; (its URL, its ARN)."""
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    return url, arn["QueueArn"]


def string_keyed_table(ddb: Any, name: str, key: str = "pk") -> None:
    """An on-demand DynamoDB table whose partition key `key` is a string."""
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def table_with_stream(ddb: Any, name: str = "items") -> str:
    """A DynamoDB table keyed by `id`, with a NEW_AND_OLD_IMAGES stream; the stream's ARN."""
    table = ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return table["TableDescription"]["LatestStreamArn"]


def aws_error(call) -> tuple[str, str, int]:
    """(error code, message, HTTP status) of the AWS error `call()` must raise."""
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response
    return (
        error["Error"]["Code"],
        error["Error"]["Message"],
        error["ResponseMetadata"]["HTTPStatusCode"],
    )
