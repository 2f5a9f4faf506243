"""Only the owner reaches their local AWS: a request signed with another key, with a wrong secret
or not signed at all gets AWS's 403, the kit's admin endpoints included; the public front doors
(function URLs with AuthType NONE) stay open, and a function signs with its role's keys only."""

from __future__ import annotations

import json

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from helpers.access import signatures

STRANGER = {"aws_access_key_id": "AKIASTRANGERKEY00001", "aws_secret_access_key": "guessed"}


def _refused(call, code: str) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403, error
    assert error["Error"]["Code"] == code, error
    return error["Error"]["Message"]


@pytest.mark.parametrize(
    ("service", "call", "unknown", "mismatch"),
    [
        ("lambda", "list_functions", "UnrecognizedClientException", "InvalidSignatureException"),
        ("s3", "list_buckets", "InvalidAccessKeyId", "SignatureDoesNotMatch"),
        ("sqs", "list_queues", "UnrecognizedClientException", "InvalidSignatureException"),
        ("iam", "list_roles", "InvalidClientTokenId", "SignatureDoesNotMatch"),
        ("cloudwatch", "list_metrics", "UnrecognizedClientException", "InvalidSignatureException"),
        ("logs", "describe_log_groups", "UnrecognizedClientException", "InvalidSignatureException"),
    ],
)
def test_another_key_or_a_wrong_secret_gets_aws_403(fresh, service, call, unknown, mismatch):
    owner = fresh.client(service)
    getattr(owner, call)()  # the owner's own pair is answered
    stranger = fresh.client(service, **STRANGER)
    message = _refused(getattr(stranger, call), unknown)
    assert "invalid" in message or "does not exist" in message
    forger = fresh.client(
        service, aws_access_key_id=fresh.owner.access_key_id, aws_secret_access_key="guessed"
    )
    assert "signature" in _refused(getattr(forger, call), mismatch)


def test_a_stranger_can_neither_read_nor_replace_a_function(fresh, deploy):
    deploy("secretive", "def handler(e, c):\n    return 'mine'\n", Environment={
        "Variables": {"API_TOKEN": "s3cr3t"}})  # fmt: skip
    stranger = fresh.client("lambda", **STRANGER)
    _refused(lambda: stranger.get_function_configuration(FunctionName="secretive"),
             "UnrecognizedClientException")  # fmt: skip
    _refused(
        lambda: stranger.update_function_code(FunctionName="secretive", ZipFile=b"PK\x05\x06"),
        "UnrecognizedClientException",
    )  # fmt: skip
    answer = fresh.client("lambda").invoke(FunctionName="secretive")["Payload"].read()
    assert json.loads(answer) == "mine"


def test_unsigned_requests_are_refused_the_admin_endpoints_too(fresh, deploy):
    deploy("kept", "def handler(e, c):\n    return 1\n")
    endpoint = fresh.endpoint_url
    listing = requests.get(f"{endpoint}/2015-03-31/functions/", timeout=10)
    assert listing.status_code == 403
    assert listing.json()["__type"] == "MissingAuthenticationTokenException"
    assert "kept" not in listing.text
    reset = requests.post(f"{endpoint}/moto-api/reset", timeout=10)
    assert reset.status_code == 403
    bucket = requests.get(f"{endpoint}/any-bucket", timeout=10)
    assert bucket.status_code == 403 and "<Code>AccessDenied</Code>" in bucket.text
    # Nothing was wiped: the function is still there.
    assert fresh.client("lambda").get_function(FunctionName="kept")
    # The owner may call the admin endpoint, signed with their pair.
    request = AWSRequest(method="POST", url=f"{endpoint}/moto-api/reset", data=b"")
    owner = Credentials(fresh.owner.access_key_id, fresh.owner.secret_access_key)
    SigV4Auth(owner, "lambda", "us-east-1").add_auth(request)
    signed = requests.post(request.url, headers=dict(request.headers), timeout=10)
    assert signed.status_code == 200, signed.text
    with pytest.raises(ClientError):
        fresh.client("lambda").get_function(FunctionName="kept")


def test_a_function_url_with_auth_none_stays_open(fresh, deploy):
    lam = fresh.client("lambda")
    deploy("open", "def handler(e, c):\n    return {'statusCode': 200, 'body': 'hello'}\n")
    url = lam.create_function_url_config(FunctionName="open", AuthType="NONE")["FunctionUrl"]
    lam.add_permission(FunctionName="open", StatementId="public", Action="lambda:InvokeFunctionUrl",
                       Principal="*", FunctionUrlAuthType="NONE")  # fmt: skip
    lam.add_permission(FunctionName="open", StatementId="public-invoke",
                       Action="lambda:InvokeFunction", Principal="*")  # fmt: skip
    response = requests.get(url, timeout=10)
    assert (response.status_code, response.text) == (200, "hello")


def test_a_function_signs_with_its_role_and_with_nothing_else(fresh, deploy):
    deploy(
        "who",
        """
        import boto3

        def handler(event, context):
            own = boto3.client("sts").get_caller_identity()["Arn"]
            try:
                boto3.client("sts", aws_access_key_id="testing",
                             aws_secret_access_key="testing").get_caller_identity()
                other = "answered"
            except Exception as exc:
                other = exc.response["Error"]["Code"]
            return {"own": own, "other": other}
        """,
    )
    answer = json.loads(fresh.client("lambda").invoke(FunctionName="who")["Payload"].read())
    assert answer["own"].endswith(":assumed-role/tests-test_signatures/who"), answer
    assert answer["other"] == "InvalidClientTokenId"  # STS's word for an unknown key


def test_keys_that_local_sts_and_iam_issue_are_accepted(fresh):
    iam = fresh.client("iam")
    iam.create_user(UserName="ci")
    key = iam.create_access_key(UserName="ci")["AccessKey"]
    as_user = fresh.client(
        "sts",
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    assert as_user.get_caller_identity()["Arn"].endswith(":user/ci")


@pytest.mark.parametrize("version", ["s3", "s3v4"])
def test_presigned_urls_work_and_a_tampered_one_does_not(fresh, version):
    s3 = fresh.client("s3")
    s3.create_bucket(Bucket="shared-files")
    s3.put_object(Bucket="shared-files", Key="a report/été+1.txt", Body=b"figures")
    # boto3 presigns S3 URLs with Signature Version 2 unless told otherwise.
    presigner = fresh.client("s3", config=Config(signature_version=version))
    url = presigner.generate_presigned_url(
        "get_object", Params={"Bucket": "shared-files", "Key": "a report/été+1.txt"}
    )
    assert requests.get(url, timeout=10).content == b"figures"
    tampered = url.replace("shared-files", "shared-files-2", 1)
    assert requests.get(tampered, timeout=10).status_code == 403


def test_a_lambda_call_signed_in_its_query_string_reaches_lambda(fresh, deploy):
    # SigV4 in the query (botocore's "s3v4-query"): moto took it for S3 and answered 500.
    deploy("queried", "def handler(e, c):\n    return {'ok': 1}\n")
    lam = fresh.client("lambda", config=Config(signature_version="s3v4-query"))
    assert json.loads(lam.invoke(FunctionName="queried")["Payload"].read()) == {"ok": 1}
    stranger = boto3.session.Session().client(
        "lambda", endpoint_url=fresh.endpoint_url, region_name="us-east-1",
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x" * 40,
        config=Config(signature_version="s3v4-query"),
    )  # fmt: skip
    with pytest.raises(ClientError) as refused:
        stranger.get_function(FunctionName="queried")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_paths_with_qualifiers_and_odd_keys_are_signed_as_botocore_signs_them(fresh, deploy):
    deploy("versioned", "def handler(e, c):\n    return 2\n")
    lam = fresh.client("lambda")
    assert lam.get_function_configuration(FunctionName="versioned", Qualifier="$LATEST")
    s3 = fresh.client("s3")
    s3.create_bucket(Bucket="odd-keys")
    for key in ("a b/c", "100%/x", "tilde~/plus+/=eq", "ünï/çødé", "double//slash"):
        s3.put_object(Bucket="odd-keys", Key=key, Body=key.encode())
        assert s3.get_object(Bucket="odd-keys", Key=key)["Body"].read() == key.encode()


def test_the_owner_pair_is_random_and_shaped_like_aws(fresh):
    pairs = {signatures.new_owner() for _ in range(20)}
    assert len(pairs) == 20
    for pair in pairs:
        assert pair.access_key_id.startswith("AKIA") and len(pair.access_key_id) == 20
        assert len(pair.secret_access_key) == 40
    assert boto3.client("sts").get_caller_identity()["Account"] == fresh.account_id
