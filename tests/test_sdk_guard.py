"""A handler's SDK settings that fail on AWS fail here too (learner trial 13, OD19, OD20)."""

from __future__ import annotations

import pytest

from helpers.iam import execution_role
from tests.conftest import call

S3_FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonS3FullAccess"

# Lists buckets with a client made as the event says; returns how that ended.
CLIENT = """
import boto3
from botocore.config import Config
def handler(event, context):
    try:
        client = boto3.client("s3", config=Config(**event.get("config", {})))
        client.list_buckets()
        return "reached"
    except Exception as exc:
        return type(exc).__name__ + ": " + str(exc)
"""


@pytest.mark.parametrize(
    "variables, config, expected",
    [
        # A proxy at a private address: a function outside a VPC can't reach it on AWS,
        # whatever this machine's network reaches.
        ({}, {"proxies": {"https": "http://10.0.0.1:3128"}}, "ProxyConnectionError"),
        ({"HTTPS_PROXY": "http://10.0.0.1:3128"}, {}, "ProxyConnectionError"),
        ({"HTTPS_PROXY": "http://10.0.0.1:3128", "NO_PROXY": ".amazonaws.com"}, {}, "reached"),
        ({"HTTP_PROXY": "http://10.0.0.1:3128"}, {}, "reached"),  # https calls don't use it
        ({}, {"client_cert": "/etc/company/client.pem"}, "SSLError"),
        ({"AWS_ENDPOINT_URL_S3": "http://localhost:4566"}, {}, "AWS_ENDPOINT_URL"),
        ({"AWS_ENDPOINT_URL": "http://localhost:4566"}, {}, "AWS_ENDPOINT_URL"),
        ({"AWS_ENDPOINT_URL_DYNAMODB": "http://localhost:8000"}, {}, "reached"),  # not S3's
        ({}, {}, "reached"),
    ],
)
def test_a_function_clients_settings_fail_as_on_aws(
    deploy, lam, fresh, variables, config, expected
):
    fresh.client("s3").create_bucket(Bucket="notes")
    deploy(
        "settings",
        CLIENT,
        Role=execution_role("settings-role", policies=[S3_FULL_ACCESS]),
        Environment={"Variables": variables},
    )
    _, body = call(lam, "settings", {"config": config})
    assert body.startswith(expected) or expected in body, body
    if expected == "AWS_ENDPOINT_URL":
        assert body.startswith("RealAWSBlocked") and "localhost" in body, body
