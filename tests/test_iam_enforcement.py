"""The execution role is enforced: a handler may call only what its role allows."""

from __future__ import annotations

import json
import statistics
import time
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from helpers import access
from helpers.iam import TRUST_POLICY, execution_role
from helpers.packaging import zip_bytes
from tests.conftest import call, log_messages, table_with_stream

ACCOUNT = "123456789012"
REGION = "us-east-1"

# Makes the AWS calls the event lists and reports how each one ended.
PROBE = """
import time
from datetime import timedelta
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

NO_RETRY = Config(retries={"total_max_attempts": 1})
clients = {}


def handler(event, context):
    if event.get("whoami"):
        return boto3.client("sts").get_caller_identity()["Arn"]
    results = []
    for service, operation, params in event["calls"]:
        client = clients.setdefault(service, boto3.client(service, config=NO_RETRY))
        started = time.perf_counter()
        try:
            getattr(client, operation)(**params)
            outcome = {"ok": True}
        except ClientError as err:
            outcome = {
                "ok": False,
                "code": err.response["Error"]["Code"],
                "message": err.response["Error"]["Message"],
                "status": err.response["ResponseMetadata"]["HTTPStatusCode"],
                "text": str(err),
            }
        outcome["ms"] = (time.perf_counter() - started) * 1000
        results.append(outcome)
    return results
"""


def allow(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@pytest.fixture
def enforced(fresh):
    """The local AWS as it starts: every handler's call checked against its role."""
    assert access.enforcing()  # the default, as on AWS
    return fresh


@pytest.fixture
def s3(fresh):
    client = fresh.client("s3")
    for bucket in ("kit-good", "kit-other"):
        client.create_bucket(Bucket=bucket)
        client.put_object(Bucket=bucket, Key="note.txt", Body=b"hello")
    return client


@pytest.fixture
def ddb(fresh):
    client = fresh.client("dynamodb")
    for table in ("orders", "audit"):
        client.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    return client


def probe(lam, iam, name: str, policy: str | None = None) -> str:
    """Create role `name`-role (with an inline policy) and function `name` running PROBE."""
    role = f"{name}-role"
    arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST_POLICY))
    if policy:
        iam.put_role_policy(RoleName=role, PolicyName="inline", PolicyDocument=policy)
    lam.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=arn["Role"]["Arn"],
        Handler="app.handler",
        Code={"ZipFile": zip_bytes({"app.py": PROBE})},
    )
    return role


def run(lam, name: str, *calls: tuple[str, str, dict[str, Any]]) -> list[dict[str, Any]]:
    response, results = call(lam, name, {"calls": [list(c) for c in calls]})
    assert "FunctionError" not in response, results
    return results


GET_GOOD = ("s3", "get_object", {"Bucket": "kit-good", "Key": "note.txt"})
GET_OTHER = ("s3", "get_object", {"Bucket": "kit-other", "Key": "note.txt"})
PUT_GOOD = ("s3", "put_object", {"Bucket": "kit-good", "Key": "new.txt", "Body": "x"})


def test_a_role_allowing_get_on_one_bucket_reads_it_and_nothing_else(enforced, lam, iam, s3):
    probe(
        lam,
        iam,
        "reader",
        allow({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::kit-good/*"}),
    )
    good, other, put = run(lam, "reader", GET_GOOD, GET_OTHER, PUT_GOOD)
    assert good["ok"]
    assert (other["ok"], other["code"], other["status"]) == (False, "AccessDenied", 403)
    assert other["message"] == (
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/reader-role/reader is not authorized to "
        'perform: s3:GetObject on resource: "arn:aws:s3:::kit-other/note.txt" because no '
        "identity-based policy allows the s3:GetObject action"
    )
    assert (put["ok"], put["code"]) == (False, "AccessDenied")
    assert "s3:PutObject" in put["message"] and "kit-good/new.txt" in put["message"]
    assert "new.txt" not in [o["Key"] for o in s3.list_objects_v2(Bucket="kit-good")["Contents"]]


def test_a_missing_key_is_access_denied_without_list_bucket_and_no_such_key_with_it(
    enforced, lam, iam, s3
):
    get_only = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::kit-good/*"}
    probe(lam, iam, "getter", allow(get_only))
    missing = ("s3", "get_object", {"Bucket": "kit-good", "Key": "missing.txt"})
    found, hidden = run(lam, "getter", GET_GOOD, missing)
    assert found["ok"]
    assert (hidden["ok"], hidden["code"], hidden["status"]) == (False, "AccessDenied", 403)
    lister = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::kit-good"}
    probe(lam, iam, "lister", allow(get_only, lister))
    (told,) = run(lam, "lister", missing)
    assert (told["ok"], told["code"], told["status"]) == (False, "NoSuchKey", 404)


def test_dynamodb_answers_access_denied_exception_naming_role_action_and_table(
    enforced, lam, iam, ddb
):
    table = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders"
    probe(
        lam,
        iam,
        "orders",
        allow(
            {
                "Effect": "Allow",
                "Action": ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem"],
                "Resource": table,
            }
        ),
    )
    item = {"pk": {"S": "o-1"}}
    put, read, delete, elsewhere, transaction, mixed = run(
        lam,
        "orders",
        ("dynamodb", "put_item", {"TableName": "orders", "Item": item}),
        ("dynamodb", "get_item", {"TableName": "orders", "Key": item}),
        ("dynamodb", "delete_item", {"TableName": "orders", "Key": item}),
        ("dynamodb", "put_item", {"TableName": "audit", "Item": item}),
        # A transaction needs each item's own action, not a "TransactWriteItems" permission.
        (
            "dynamodb",
            "transact_write_items",
            {"TransactItems": [{"Put": {"TableName": "orders", "Item": {"pk": {"S": "o-2"}}}}]},
        ),
        (
            "dynamodb",
            "transact_write_items",
            {
                "TransactItems": [
                    {"Put": {"TableName": "orders", "Item": {"pk": {"S": "o-3"}}}},
                    {"Put": {"TableName": "audit", "Item": {"pk": {"S": "o-3"}}}},
                ]
            },
        ),
    )
    assert put["ok"] and read["ok"] and transaction["ok"]
    assert (delete["code"], delete["status"]) == ("AccessDeniedException", 400)
    assert delete["text"] == (
        "An error occurred (AccessDeniedException) when calling the DeleteItem operation "
        "(reached max retries: 0): "
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/orders-role/orders is not authorized to "
        f"perform: dynamodb:DeleteItem on resource: {table} because no identity-based policy "
        "allows the dynamodb:DeleteItem action"
    )
    assert elsewhere["code"] == "AccessDeniedException" and "table/audit" in elsewhere["message"]
    assert mixed["code"] == "AccessDeniedException" and "table/audit" in mixed["message"]
    assert "Item" not in ddb.get_item(TableName="audit", Key={"pk": {"S": "o-3"}})
    assert "Item" in ddb.get_item(TableName="orders", Key={"pk": {"S": "o-2"}})


def test_an_attached_customer_managed_policy_grants_until_detached(enforced, lam, iam, s3):
    role = probe(lam, iam, "managed")
    policy_arn = iam.create_policy(
        PolicyName="read-kit-good",
        PolicyDocument=allow(
            {
                "Effect": "Allow",
                "Action": ["s3:Get*", "s3:List*"],
                "Resource": ["arn:aws:s3:::kit-good", "arn:aws:s3:::kit-good/*"],
            }
        ),
    )["Policy"]["Arn"]
    listing = ("s3", "list_objects_v2", {"Bucket": "kit-good"})
    assert [r["ok"] for r in run(lam, "managed", GET_GOOD, listing)] == [False, False]

    iam.attach_role_policy(RoleName=role, PolicyArn=policy_arn)
    assert [r["ok"] for r in run(lam, "managed", GET_GOOD, listing, GET_OTHER)] == [
        True,
        True,
        False,
    ]

    iam.detach_role_policy(RoleName=role, PolicyArn=policy_arn)
    assert [r["ok"] for r in run(lam, "managed", GET_GOOD)] == [False]


def test_aws_managed_policies_attach_and_grant_what_aws_says(enforced, lam, iam, s3, ddb):
    read_only = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    version = iam.get_policy(PolicyArn=read_only)["Policy"]["DefaultVersionId"]
    document = iam.get_policy_version(PolicyArn=read_only, VersionId=version)
    assert "s3:Get*" in json.dumps(document["PolicyVersion"]["Document"])

    role_arn = execution_role("s3-reader", policies=[read_only])
    attached = iam.list_attached_role_policies(RoleName="s3-reader")["AttachedPolicies"]
    assert {p["PolicyName"] for p in attached} == {
        "AWSLambdaBasicExecutionRole",
        "AmazonS3ReadOnlyAccess",
    }
    lam.create_function(
        FunctionName="s3-reader",
        Runtime="python3.12",
        Role=role_arn,
        Handler="app.handler",
        Code={"ZipFile": zip_bytes({"app.py": PROBE})},
    )
    results = run(
        lam,
        "s3-reader",
        GET_OTHER,
        ("s3", "list_buckets", {}),
        PUT_GOOD,
        ("dynamodb", "get_item", {"TableName": "orders", "Key": {"pk": {"S": "x"}}}),
        ("logs", "create_log_group", {"logGroupName": "/custom/group"}),
    )
    assert [r["ok"] for r in results] == [True, True, False, False, True]


def test_an_explicit_deny_wins_over_an_allow_and_says_so(enforced, lam, iam, s3):
    probe(
        lam,
        iam,
        "careful",
        allow(
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::kit-good/*"},
        ),
    )
    get, put = run(lam, "careful", GET_GOOD, PUT_GOOD)
    assert get["ok"] and not put["ok"]
    assert put["message"].endswith("with an explicit deny in an identity-based policy")


def test_sqs_and_sns_refuse_in_their_own_words(enforced, lam, iam, fresh):
    url = fresh.client("sqs").create_queue(QueueName="jobs")["QueueUrl"]
    topic = fresh.client("sns").create_topic(Name="alerts")["TopicArn"]
    probe(lam, iam, "notifier")
    send, batch, publish = run(
        lam,
        "notifier",
        ("sqs", "send_message", {"QueueUrl": url, "MessageBody": "x"}),
        (
            "sqs",
            "send_message_batch",
            {"QueueUrl": url, "Entries": [{"Id": "1", "MessageBody": "x"}]},
        ),
        ("sns", "publish", {"TopicArn": topic, "Message": "x"}),
    )
    queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs"
    assert (send["code"], send["status"]) == ("AccessDenied", 403)
    assert f"sqs:sendmessage on resource: {queue} because" in send["message"]
    assert batch["code"] == "AccessDenied" and "sqs:sendmessage" in batch["message"]
    assert (publish["code"], publish["status"]) == ("AuthorizationError", 403)
    assert f"SNS:Publish on resource: {topic} because" in publish["message"]


def test_the_notebooks_own_calls_are_not_checked(enforced, lam, iam, s3, logs):
    probe(lam, iam, "nothing")  # a role without any policy
    assert not run(lam, "nothing", GET_GOOD)[0]["ok"]
    # The learner (the account's administrator) is never checked.
    s3.put_object(Bucket="kit-other", Key="mine.txt", Body=b"admin")
    assert s3.get_object(Bucket="kit-other", Key="mine.txt")["Body"].read() == b"admin"
    assert lam.get_function(FunctionName="nothing")["Configuration"]["FunctionName"] == "nothing"
    # Lambda writes the function's logs with its role, as on AWS: this one may not.
    assert log_messages(logs, "nothing") == []


@pytest.fixture
def switched_off(fresh):
    """An instructor's choice: `aws.configure(enforce_iam=False)`, put back afterwards."""
    fresh.configure(enforce_iam=False)
    yield fresh
    fresh.configure(enforce_iam=True)


def test_handlers_run_as_their_role_and_nothing_is_checked_when_off(switched_off, lam, iam, s3):
    assert not access.enforcing()
    probe(lam, iam, "free")
    _, who = call(lam, "free", {"whoami": True})
    assert who == f"arn:aws:sts::{ACCOUNT}:assumed-role/free-role/free"
    assert [r["ok"] for r in run(lam, "free", GET_OTHER, PUT_GOOD)] == [True, True]


def test_the_check_costs_well_under_two_milliseconds(enforced, iam):
    iam.create_role(RoleName="timed", AssumeRolePolicyDocument=json.dumps(TRUST_POLICY))
    iam.attach_role_policy(
        RoleName="timed", PolicyArn="arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
    )
    iam.put_role_policy(
        RoleName="timed",
        PolicyName="inline",
        PolicyDocument=allow(
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"},
            {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
        ),
    )
    session = access.Session(ACCOUNT, f"arn:aws:iam::{ACCOUNT}:role/timed", "fn")
    check = access.Check("dynamodb:PutItem", f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/t")
    assert access.decide(session, [check], "dynamodb") is None
    timings = []
    for _ in range(200):
        started = time.perf_counter()
        access.decide(session, [check], "dynamodb")
        timings.append((time.perf_counter() - started) * 1000)
    assert statistics.median(timings) < 2.0


@pytest.mark.parametrize(
    ("prefix", "operation", "params", "path", "expected"),
    [
        (
            "lambda",
            "Invoke",
            {},
            "http://127.0.0.1/2015-03-31/functions/worker/invocations?Qualifier=live",
            ("lambda:InvokeFunction", f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:worker:live"),
        ),
        (
            "logs",
            "PutLogEvents",
            {"logGroupName": "/aws/lambda/f", "logStreamName": "s"},
            "/",
            (
                "logs:PutLogEvents",
                f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/f:log-stream:s",
            ),
        ),
        (
            "dynamodb",
            "Query",
            {"TableName": "t", "IndexName": "by-date"},
            "/",
            ("dynamodb:Query", f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/t/index/by-date"),
        ),
        (
            "events",
            "PutEvents",
            {"Entries": [{"Source": "shop"}]},
            "/",
            ("events:PutEvents", f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/default"),
        ),
        (
            "ssm",
            "GetParameter",
            {"Name": "/app/db-url"},
            "/",
            ("ssm:GetParameter", f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/app/db-url"),
        ),
    ],
)
def test_each_call_is_checked_against_the_action_and_resource_aws_uses(
    prefix, operation, params, path, expected
):
    checks = access.checks_for(prefix, operation, params, REGION, ACCOUNT, path)
    assert [(c.action, c.resource) for c in checks] == [expected]


# ------------------------------------------------- what Lambda itself does with the role
def test_an_sqs_mapping_is_refused_when_the_role_cannot_read_the_queue(enforced, lam, iam):
    sqs = enforced.client("sqs")
    url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    queue = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    queue_arn = queue["Attributes"]["QueueArn"]
    probe(lam, iam, "reader")  # logs only

    with pytest.raises(ClientError) as refused:
        lam.create_event_source_mapping(EventSourceArn=queue_arn, FunctionName="reader")

    assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert refused.value.response["Error"]["Message"] == (
        "The function execution role does not have permissions to call ReceiveMessage on SQS"
    )
    iam.attach_role_policy(
        RoleName="reader-role",
        PolicyArn="arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
    )
    assert lam.create_event_source_mapping(EventSourceArn=queue_arn, FunctionName="reader")["UUID"]


def test_a_stream_mapping_is_refused_when_the_role_cannot_read_the_stream(enforced, lam, iam):
    stream_arn = table_with_stream(enforced.client("dynamodb"))
    probe(lam, iam, "streamer")

    with pytest.raises(ClientError) as refused:
        lam.create_event_source_mapping(
            EventSourceArn=stream_arn, FunctionName="streamer", StartingPosition="LATEST"
        )

    assert refused.value.response["Error"]["Message"].startswith(
        f"Cannot access stream {stream_arn}."
    )


def test_a_dead_letter_queue_the_role_cannot_send_to_is_refused_or_gets_nothing(enforced, lam, iam):
    enforced.configure(async_retry_delays=(0.05, 0.05))
    sqs = enforced.client("sqs")
    url = sqs.create_queue(QueueName="dlq")["QueueUrl"]
    dlq = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    dead_letters = {"TargetArn": dlq["Attributes"]["QueueArn"]}
    probe(lam, iam, "failing")  # logs only

    with pytest.raises(ClientError) as refused:
        lam.update_function_configuration(FunctionName="failing", DeadLetterConfig=dead_letters)
    assert refused.value.response["Error"]["Message"] == (
        "The provided execution role does not have permissions to call SendMessage on SQS"
    )

    send = {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": dead_letters["TargetArn"]}
    iam.put_role_policy(RoleName="failing-role", PolicyName="dlq", PolicyDocument=allow(send))
    lam.update_function_configuration(FunctionName="failing", DeadLetterConfig=dead_letters)
    lam.get_waiter("function_updated_v2").wait(FunctionName="failing")
    lam.put_function_event_invoke_config(FunctionName="failing", MaximumRetryAttempts=0)
    # The right taken away later: Lambda's delivery fails, as AWS's DeadLetterErrors counts.
    iam.delete_role_policy(RoleName="failing-role", PolicyName="dlq")

    lam.invoke(FunctionName="failing", InvocationType="Event", Payload=b'{"calls": 7}')
    assert enforced.wait(10)

    event = enforced.async_events()[-1]
    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages") is None
    assert event["sent_to"].startswith("discarded (delivery failed: FAILED: dead-letter queue")
    assert "not authorized to perform: sqs:sendmessage" in event["last_error"]
    enforced.configure(async_retry_delays=(60, 120))


@pytest.mark.parametrize(
    ("condition", "reads"),
    [
        ({"StringEquals": {"aws:RequestedRegion": "us-east-1"}}, True),
        ({"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}, False),
        ({"StringLike": {"aws:RequestedRegion": "us-*"}}, True),
        ({"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}, True),
        ({"StringEquals": {"aws:SomethingTheKitDoesNotKnow": "x"}}, False),
        ({"StringEqualsIfExists": {"aws:SomethingTheKitDoesNotKnow": "x"}}, True),
        ({"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}, False),
        ({"Bool": {"aws:SecureTransport": "true"}}, True),  # a handler's SDK uses HTTPS
        ({"Bool": {"aws:SecureTransport": "false"}}, False),
    ],
    ids=[
        "region",
        "other-region",
        "region-like",
        "account",
        "unknown-key",
        "if-exists",
        "op",
        "https",
        "plain-http",
    ],
)
def test_an_allow_with_a_condition_grants_when_the_condition_holds(
    enforced, lam, iam, s3, condition, reads
):
    statement = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::kit-good/*",
        "Condition": condition,
    }
    probe(lam, iam, "reader", allow(statement))
    [good] = run(lam, "reader", GET_GOOD)
    assert good["ok"] is reads, good


def test_a_deny_with_a_condition_refuses_when_it_holds(enforced, lam, iam, s3):
    everything = {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}
    deny = {
        "Effect": "Deny",
        "Action": "s3:GetObject",
        "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}},
    }
    probe(lam, iam, "reader", allow(everything, deny))
    [good] = run(lam, "reader", GET_GOOD)
    assert (good["ok"], good["code"]) == (False, "AccessDenied")
    assert "explicit deny" in good["message"]


@pytest.mark.parametrize(
    ("who", "reads"),
    [("{role_id}:reader", True), ("{role_id}:*", True), ("reader-role:reader", False)],
    ids=["role-id-and-session", "role-id-any-session", "role-name-is-not-the-id"],
)
def test_aws_userid_is_the_role_id_and_the_session_the_function_names(
    enforced, lam, iam, s3, who, reads
):
    role = "reader-role"
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST_POLICY))
    role_id = iam.get_role(RoleName=role)["Role"]["RoleId"]
    assert role_id.startswith("AROA")
    statement = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::kit-good/*",
        "Condition": {"StringLike": {"aws:userid": who.format(role_id=role_id)}},
    }
    iam.put_role_policy(RoleName=role, PolicyName="inline", PolicyDocument=allow(statement))
    lam.create_function(
        FunctionName="reader",
        Runtime="python3.12",
        Role=iam.get_role(RoleName=role)["Role"]["Arn"],
        Handler="app.handler",
        Code={"ZipFile": zip_bytes({"app.py": PROBE})},
    )
    [good] = run(lam, "reader", GET_GOOD)
    assert good["ok"] is reads, good


# Learner trial 9 (QD8, RD5, RD8): what AWS's IAM reads in a statement, and the kit too.
def test_a_date_condition_on_aws_current_time_follows_the_kits_clock(enforced, lam, iam, s3):
    until = (enforced.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    statement = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::kit-good/*",
        "Condition": {"DateLessThan": {"aws:CurrentTime": until}},
    }
    probe(lam, iam, "until", allow(statement))
    assert run(lam, "until", GET_GOOD)[0]["ok"]
    enforced.advance_clock(days=3)  # past the date: the Allow no longer holds
    assert run(lam, "until", GET_GOOD)[0]["code"] == "AccessDenied"


def test_a_policy_variable_in_the_resource_is_read_from_the_request(enforced, lam, iam, ddb):
    table = "arn:aws:dynamodb:us-east-1:${aws:PrincipalAccount}:table/orders"
    probe(lam, iam, "varied", allow({"Effect": "Allow", "Action": "dynamodb:GetItem",
                                     "Resource": table}))  # fmt: skip
    key = {"pk": {"S": "a"}}
    mine, other = run(
        lam,
        "varied",
        ("dynamodb", "get_item", {"TableName": "orders", "Key": key}),
        ("dynamodb", "get_item", {"TableName": "audit", "Key": key}),
    )
    assert mine["ok"] and other["code"] == "AccessDeniedException"


def test_a_handlers_calls_carry_lambda_source_function_arn(enforced, lam, iam, s3):
    def only_from(function: str) -> str:
        return allow({
            "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::kit-good/*",
            "Condition": {"ArnEquals": {
                "lambda:SourceFunctionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{function}"
            }},
        })  # fmt: skip

    probe(lam, iam, "sourced", only_from("sourced"))
    assert run(lam, "sourced", GET_GOOD)[0]["ok"]
    iam.put_role_policy(RoleName="sourced-role", PolicyName="inline", PolicyDocument=only_from("x"))
    assert run(lam, "sourced", GET_GOOD)[0]["code"] == "AccessDenied"


def test_a_role_without_logs_rights_writes_no_logs(enforced, lam, iam, logs):
    # AWS: the execution role needs logs:CreateLogGroup (while the group is missing),
    # logs:CreateLogStream and logs:PutLogEvents, or the lines never arrive (learner trial 9, OD2).
    probe(lam, iam, "mute")
    assert call(lam, "mute", {"whoami": True})[0]["StatusCode"] == 200  # it runs all the same
    groups = logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/mute")["logGroups"]
    assert groups == []
    # A group made by hand needs no CreateLogGroup; the stream's rights are still needed.
    logs.create_log_group(logGroupName="/aws/lambda/mute")
    call(lam, "mute", {"whoami": True})
    assert log_messages(logs, "mute") == []
    stream_rights = {
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/mute:*",
    }
    iam.put_role_policy(
        RoleName="mute-role", PolicyName="logs", PolicyDocument=allow(stream_rights)
    )
    call(lam, "mute", {"whoami": True})
    assert any(m.startswith("REPORT RequestId") for m in log_messages(logs, "mute"))


def test_a_permissions_boundary_limits_what_the_roles_policies_allow(enforced, lam, iam, s3):
    # AWS: an action must be allowed by both the role's policies and its boundary (learner
    # trial 9, QD7: a logs-only boundary left list_buckets working in the kit).
    get = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::kit-*/*"}
    probe(lam, iam, "bounded", allow(get))
    logs_only = iam.create_policy(
        PolicyName="logs-only",
        PolicyDocument=allow({"Effect": "Allow", "Action": "logs:*", "Resource": "*"}),
    )["Policy"]["Arn"]
    iam.put_role_permissions_boundary(RoleName="bounded-role", PermissionsBoundary=logs_only)
    refused = run(lam, "bounded", GET_GOOD)[0]
    assert refused["code"] == "AccessDenied"
    assert refused["message"].endswith(
        "because no permissions boundary allows the s3:GetObject action"
    )
    wide = iam.create_policy(
        PolicyName="s3-but-not-other",
        PolicyDocument=allow(
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::kit-other/*"},
        ),
    )["Policy"]["Arn"]
    iam.put_role_permissions_boundary(RoleName="bounded-role", PermissionsBoundary=wide)
    good, other = run(lam, "bounded", GET_GOOD, GET_OTHER)
    assert good["ok"]  # allowed by both
    assert other["message"].endswith("with an explicit deny in a permissions boundary")
    iam.delete_role_permissions_boundary(RoleName="bounded-role")
    assert run(lam, "bounded", GET_GOOD)[0]["ok"]


def test_a_queues_own_policy_grants_and_denies_in_its_account(enforced, lam, iam, fresh):
    # AWS, in one account: the resource's policy naming the role grants as the role's would,
    # and its Deny refuses (learner trial 9, PD7: a DLQ send allowed by the queue's policy).
    sqs = fresh.client("sqs")
    url = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:inbox"
    send = ("sqs", "send_message", {"QueueUrl": url, "MessageBody": "x"})
    probe(lam, iam, "sender")
    assert run(lam, "sender", send)[0]["code"] == "AccessDenied"
    role = f"arn:aws:iam::{ACCOUNT}:role/sender-role"

    def queue_policy(effect: str, principal: str) -> None:
        statement = {"Effect": effect, "Principal": {"AWS": principal},
                     "Action": "sqs:SendMessage", "Resource": queue}  # fmt: skip
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": allow(statement)})

    queue_policy("Allow", role)
    assert run(lam, "sender", send)[0]["ok"]
    queue_policy("Allow", f"arn:aws:iam::{ACCOUNT}:role/someone-else")
    assert run(lam, "sender", send)[0]["code"] == "AccessDenied"
    iam.put_role_policy(RoleName="sender-role", PolicyName="inline", PolicyDocument=allow(
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue}))  # fmt: skip
    queue_policy("Deny", "*")
    denied = run(lam, "sender", send)[0]
    assert denied["message"].endswith("with an explicit deny in a resource-based policy")


def test_an_upload_with_tags_needs_the_tagging_right_too(enforced, lam, iam, s3):
    # AWS's PutObject "Permissions": x-amz-tagging needs s3:PutObjectTagging (learner trial 9,
    # SD12).
    put = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::kit-good/*"}
    probe(lam, iam, "tagger", allow(put))
    tagged = ("s3", "put_object", {"Bucket": "kit-good", "Key": "t.txt", "Body": "x",
                                   "Tagging": "kind=note"})  # fmt: skip
    plain, refused = run(lam, "tagger", PUT_GOOD, tagged)
    assert plain["ok"] and refused["code"] == "AccessDenied"
    assert "s3:PutObjectTagging" in refused["message"]
    tagging = {**put, "Action": ["s3:PutObject", "s3:PutObjectTagging"]}
    iam.put_role_policy(RoleName="tagger-role", PolicyName="inline", PolicyDocument=allow(tagging))
    assert run(lam, "tagger", tagged)[0]["ok"]


def test_dynamodb_leading_keys_narrow_a_one_item_call(enforced, lam, iam, ddb):
    # DynamoDB's fine-grained access: the partition key's value is dynamodb:LeadingKeys
    # (learner trial 9, RD9: a PutItem narrowed to `charge#` keys was refused).
    statement = {
        "Effect": "Allow",
        "Action": ["dynamodb:PutItem", "dynamodb:GetItem"],
        "Resource": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders",
        "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["charge#*"]}},
    }
    probe(lam, iam, "narrow", allow(statement))

    def put(pk: str) -> tuple[str, str, dict[str, Any]]:
        return ("dynamodb", "put_item", {"TableName": "orders", "Item": {"pk": {"S": pk}}})

    get = ("dynamodb", "get_item", {"TableName": "orders", "Key": {"pk": {"S": "refund#1"}}})
    charge, refund, read = run(lam, "narrow", put("charge#1"), put("refund#1"), get)
    assert charge["ok"]
    assert refund["code"] == read["code"] == "AccessDeniedException"


# ------------------------------------------------- learner trial 10: DynamoDB keys and PartiQL
TABLE_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders"


def _put(pk: str, **more: str) -> tuple[str, str, dict[str, Any]]:
    item = {"pk": {"S": pk}, **{k: {"S": v} for k, v in more.items()}}
    return ("dynamodb", "put_item", {"TableName": "orders", "Item": item})


def test_partiql_is_authorised_by_the_statements_kind(enforced, lam, iam, ddb):
    # ql-iam.html: "To insert items using PartiQL for DynamoDB, you must have
    # dynamodb:PartiQLInsert permission" (VD3, XD1: the kit asked for ExecuteStatement).
    rights = {"Effect": "Allow", "Action": ["dynamodb:PartiQLInsert"], "Resource": TABLE_ARN}
    probe(lam, iam, "partiql", allow(rights))
    insert = "INSERT INTO \"orders\" VALUE {'pk': 'a-1'}"
    select = 'SELECT * FROM "orders"'
    update = "UPDATE \"orders\" SET n = 1 WHERE pk = 'a-1'"
    inserted, selected, transaction = run(
        lam,
        "partiql",
        ("dynamodb", "execute_statement", {"Statement": insert}),
        ("dynamodb", "execute_statement", {"Statement": select}),
        ("dynamodb", "execute_transaction", {"TransactStatements": [{"Statement": update}]}),
    )
    assert inserted["ok"], inserted
    assert selected["code"] == "AccessDeniedException"
    assert "dynamodb:PartiQLSelect" in selected["message"]
    assert "dynamodb:PartiQLUpdate" in transaction["message"]


def test_a_transactions_items_carry_dynamodb_enclosing_operation(enforced, lam, iam, ddb):
    # transaction-apis-iam.html: PutItem allowed only inside TransactWriteItems (XD15).
    statement = {
        "Effect": "Allow",
        "Action": "dynamodb:PutItem",
        "Resource": TABLE_ARN,
        "Condition": {
            "ForAnyValue:StringEquals": {"dynamodb:EnclosingOperation": ["TransactWriteItems"]}
        },
    }
    probe(lam, iam, "transactional", allow(statement))
    put = {"Put": {"TableName": "orders", "Item": {"pk": {"S": "t-1"}}}}
    in_transaction, alone = run(
        lam,
        "transactional",
        ("dynamodb", "transact_write_items", {"TransactItems": [put]}),
        _put("t-2"),
    )
    assert in_transaction["ok"], in_transaction
    assert alone["code"] == "AccessDeniedException"


def test_dynamodb_attributes_name_every_attribute_a_put_writes(enforced, lam, iam, ddb):
    # reference_policies_examples_dynamodb_attributes.html: a put writing an attribute outside
    # the list is denied (XD12).
    statement = {
        "Effect": "Allow",
        "Action": "dynamodb:PutItem",
        "Resource": TABLE_ARN,
        "Condition": {"ForAllValues:StringEquals": {"dynamodb:Attributes": ["pk", "amount"]}},
    }
    probe(lam, iam, "attributes", allow(statement))
    listed, extra = run(
        lam, "attributes", _put("p-1", amount="5"), _put("p-2", amount="5", charge_id="c")
    )
    assert listed["ok"], listed
    assert extra["code"] == "AccessDeniedException"


@pytest.mark.parametrize(
    "condition",
    [
        {"Null": {"aws:SourceVpc": "true"}},
        {"NotIpAddress": {"aws:SourceIp": "198.51.100.0/24"}},
        {"StringNotEqualsIgnoreCase": {"aws:RequestedRegion": "EU-WEST-1"}},
        {"StringNotEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}},  # absent: true
        {"StringEquals": {"aws:PrincipalType": "AssumedRole"}},
        {"Bool": {"aws:ViaAWSService": "false"}},
        {"StringEquals": {"aws:ResourceAccount": ACCOUNT}},
    ],
    ids=lambda c: next(iter(c)) + "-" + next(iter(next(iter(c.values())))),
)
def test_conditions_that_hold_for_a_functions_own_call_grant(enforced, lam, iam, s3, condition):
    # IAM's condition operators page (a negated operator on an absent key is true) and its
    # global condition keys (learner trial 10, XD6, XD9, XD13).
    statement = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::kit-good/*",
        "Condition": condition,
    }
    probe(lam, iam, "conditioned", allow(statement))
    assert run(lam, "conditioned", GET_GOOD)[0]["ok"]


def test_a_condition_that_fails_for_a_functions_own_call_grants_nothing(enforced, lam, iam, s3):
    statement = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::kit-good/*",
        "Condition": {"IpAddress": {"aws:SourceIp": "198.51.100.0/24"}},
    }
    probe(lam, iam, "from-an-office", allow(statement))
    assert run(lam, "from-an-office", GET_GOOD)[0]["code"] == "AccessDenied"
