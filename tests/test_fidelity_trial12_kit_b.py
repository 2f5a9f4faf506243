"""Kit fidelity, learner trial 12, the testers' later finds (JD4's other keys, LD3, LD5, LD6,
LD7, LD9, HD10, HD18, ID12, ID13, ID14, ID15): what AWS refuses is refused here with AWS's code,
status and words (or the kit's, marked), what AWS allows is allowed, and the boundary next to
each refusal is taken."""

from __future__ import annotations

import json

import pytest

from helpers.iam import execution_role
from tests.conftest import aws_error, call, make_queue, validation_message

ECHO = "def handler(event, context):\n    return event\n"
ACCOUNT = "123456789012"
PARAMETER = f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/db-url"


# --------------------------------------------------------------- JD4, LD3, LD5, LD6, LD7, LD9
CALLS = """
import boto3

def handler(event, context):
    try:
        if event["call"] == "delete":
            extra = {"ReturnValues": event["returns"]} if event.get("returns") else {}
            boto3.client("dynamodb").delete_item(
                TableName="receipts", Key={"receipt_id": {"S": "r-1"}}, **extra
            )
        elif event["call"] == "put":
            extra = {"ServerSideEncryption": event["sse"]} if event.get("sse") else {}
            s3 = boto3.client("s3")
            s3.put_object(Bucket="receipts-app", Key="reports/a.json", Body=b"{}", **extra)
        else:
            boto3.client("ssm").get_parameter(Name="/app/db-url")
        return "allowed"
    except Exception as exc:
        return exc.response["Error"]["Code"]
"""
TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/receipts"


def _only(iam, action: str, resource: str, condition: dict) -> None:
    iam.put_role_policy(
        RoleName="calls-role",
        PolicyName="app",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": action,
                        "Resource": resource,
                        "Condition": condition,
                    }
                ],
            }
        ),
    )


@pytest.fixture
def calls(fresh, lam, deploy, iam):
    ddb = fresh.client("dynamodb")
    ddb.create_table(
        TableName="receipts",
        KeySchema=[{"AttributeName": "receipt_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "receipt_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    fresh.client("s3").create_bucket(Bucket="receipts-app")
    fresh.client("ssm").put_parameter(Name="/app/db-url", Value="postgres://db", Type="String")
    deploy("calls", CALLS, Role=execution_role("calls-role"))
    return lambda **event: call(lam, "calls", event)[1]


def test_dynamodb_conditions_read_the_requests_return_values(calls, iam):  # LD3, LD6
    _only(iam, "dynamodb:DeleteItem", TABLE, {"StringEquals": {"dynamodb:ReturnValues": "ALL_OLD"}})
    assert calls(call="delete", returns="ALL_OLD") == "allowed"
    assert calls(call="delete", returns="NONE") == "AccessDeniedException"
    assert calls(call="delete") == "AccessDeniedException"  # no ReturnValues: no key
    none_only = {"StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"}}
    _only(iam, "dynamodb:DeleteItem", TABLE, none_only)
    assert calls(call="delete", returns="ALL_OLD") == "AccessDeniedException"
    assert calls(call="delete", returns="NONE") == "allowed"
    assert calls(call="delete") == "allowed"


def test_a_tables_tags_are_its_resource_tags(fresh, calls, iam):  # LD7
    _only(iam, "dynamodb:DeleteItem", TABLE, {"StringEquals": {"aws:ResourceTag/app": "receipts"}})
    assert calls(call="delete") == "AccessDeniedException"
    fresh.client("dynamodb").tag_resource(
        ResourceArn=TABLE, Tags=[{"Key": "app", "Value": "receipts"}]
    )
    assert calls(call="delete") == "allowed"


def test_s3_conditions_read_the_encryption_header(calls, iam):  # LD5, LD9
    objects = "arn:aws:s3:::receipts-app/reports/*"
    aes = {"StringEquals": {"s3:x-amz-server-side-encryption": "AES256"}}
    _only(iam, "s3:PutObject", objects, aes)
    assert calls(call="put", sse="AES256") == "allowed"
    assert calls(call="put") == "AccessDenied"
    kms_only = {"StringEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}}
    _only(iam, "s3:PutObject", objects, kms_only)
    assert calls(call="put", sse="AES256") == "AccessDenied"
    assert calls(call="put") == "allowed"


def test_a_role_session_carries_its_token_issue_time(calls, iam):  # JD4
    for condition, verdict in (
        ({"DateGreaterThan": {"aws:TokenIssueTime": "2024-06-01T00:00:00Z"}}, "allowed"),
        ({"Null": {"aws:TokenIssueTime": "false"}}, "allowed"),
        ({"DateLessThan": {"aws:TokenIssueTime": "2024-06-01T00:00:00Z"}}, "AccessDeniedException"),
    ):
        _only(iam, "ssm:GetParameter", PARAMETER, condition)
        assert calls(call="read") == verdict, condition


# ----------------------------------------------------------------------------------- HD10
def test_sns_exists_false_as_aws_reads_it(fresh, sqs):  # HD10
    sns = fresh.client("sns")
    topic = sns.create_topic(Name="probe")["TopicArn"]
    policies = {
        "p1": {"severity": [{"exists": False}]},
        "p2": {"severity": ["critical", {"exists": False}]},
        "p3": {"severity": [{"exists": True}]},
    }
    urls = {}
    for name, policy in policies.items():
        urls[name], arn = make_queue(sqs, name)
        sns.subscribe(
            TopicArn=topic,
            Protocol="sqs",
            Endpoint=arn,
            Attributes={"FilterPolicy": json.dumps(policy), "RawMessageDelivery": "true"},
        )
    string = {"DataType": "String"}
    sns.publish(
        TopicArn=topic,
        Message="team only",
        MessageAttributes={"team": {**string, "StringValue": "ops"}},
    )
    sns.publish(
        TopicArn=topic,
        Message="critical",
        MessageAttributes={"severity": {**string, "StringValue": "critical"}},
    )
    sns.publish(
        TopicArn=topic,
        Message="info",
        MessageAttributes={"severity": {**string, "StringValue": "info"}},
    )
    sns.publish(TopicArn=topic, Message="no attributes")
    got = {}
    for name, url in urls.items():
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
        got[name] = sorted(m["Body"] for m in messages.get("Messages", []))
    assert got == {
        "p1": ["team only"],  # not the message without any attribute
        "p2": ["critical", "team only"],  # a key's values are ORed
        "p3": ["critical", "info"],
    }


# ----------------------------------------------------------------------------------- HD18
def test_expression_values_hold_numbers_and_sets_as_items_do(fresh):  # HD18
    ddb = fresh.client("dynamodb")
    ddb.create_table(
        TableName="bank",
        KeySchema=[{"AttributeName": "account", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "account", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    key = {"account": {"S": "a-1"}}

    def add(expression: str, value: dict) -> None:
        ddb.update_item(
            TableName="bank",
            Key=key,
            UpdateExpression=expression,
            ExpressionAttributeValues={":v": value},
        )

    code, message, status = aws_error(lambda: add("ADD balance :v", {"N": "1" * 39}))
    assert (code, message, status) == (
        "ValidationException",
        "Attempting to store more than 38 significant digits in a Number",
        400,
    )
    for duplicated in ({"SS": ["a", "a"]}, {"NS": ["1", "1.0"]}):
        code, message, status = aws_error(lambda v=duplicated: add("ADD seen :v", v))
        assert (code, message, status) == (
            "ValidationException",
            "ExpressionAttributeValues contains invalid value: Input collection contains "
            "duplicates for key :v",
            400,
        )
    assert "Item" not in ddb.get_item(TableName="bank", Key=key)
    add("ADD balance :v", {"N": "1" * 38})
    add("ADD seen :v", {"SS": ["a", "b"]})
    item = ddb.get_item(TableName="bank", Key=key)["Item"]
    assert item["balance"] == {"N": "1" * 38} and sorted(item["seen"]["SS"]) == ["a", "b"]


# ----------------------------------------------------------------------------------- ID12
def test_a_file_system_is_an_access_point_mounted_under_mnt(lam, deploy):  # ID12
    access_point = (
        f"arn:aws:elasticfilesystem:us-east-1:{ACCOUNT}:access-point/fsap-1234567890abcdef0"
    )
    for config, where, pattern in (
        ({"Arn": "fs-1234", "LocalMountPath": "/mnt/x"}, "arn", "arn:aws[a-zA-Z-]*:elastic"),
        ({"Arn": access_point, "LocalMountPath": "/tmp/x"}, "localMountPath", "/mnt/"),
    ):
        code, message, status = aws_error(
            lambda config=config: deploy("thumb", ECHO, FileSystemConfigs=[config])
        )
        assert (code, status) == ("ValidationException", 400)
        assert message.startswith(
            validation_message(
                config["Arn"] if where == "arn" else config["LocalMountPath"],
                f"fileSystemConfigs.1.member.{where}",
                f"Member must satisfy regular expression pattern: {pattern}",
            )
        ), message
    deploy("thumb", ECHO)
    lam.get_waiter("function_active_v2").wait(FunctionName="thumb")
    code, _, _ = aws_error(
        lambda: lam.update_function_configuration(
            FunctionName="thumb", FileSystemConfigs=[{"Arn": "fs-1234", "LocalMountPath": "/mnt/x"}]
        )
    )
    assert code == "ValidationException"


# ----------------------------------------------------------------------------------- ID13
def test_a_log_stream_prefix_is_no_glob(logs):  # ID13
    logs.create_log_group(logGroupName="/aws/lambda/ticker")
    logs.create_log_stream(
        logGroupName="/aws/lambda/ticker", logStreamName="2026/12/07/[$LATEST]ab"
    )
    rule = "Member must satisfy regular expression pattern: [^:*]*"
    code, message, status = aws_error(
        lambda: logs.filter_log_events(
            logGroupName="/aws/lambda/ticker", logStreamNamePrefix="*[$LATEST]"
        )
    )
    assert (code, message, status) == (
        "InvalidParameterException",
        validation_message("*[$LATEST]", "logStreamNamePrefix", rule),
        400,
    )
    code, message, _ = aws_error(
        lambda: logs.filter_log_events(logGroupName="/aws/lambda/ticker", logStreamNames=["a:b"])
    )
    assert message == validation_message(
        "[a:b]", "logStreamNames", f"Member must satisfy constraint: [{rule}]"
    )
    code, _, _ = aws_error(
        lambda: logs.describe_log_streams(
            logGroupName="/aws/lambda/ticker", logStreamNamePrefix="*"
        )
    )
    assert code == "InvalidParameterException"
    # a plain prefix, with [ ] and $, is taken
    found = logs.describe_log_streams(
        logGroupName="/aws/lambda/ticker", logStreamNamePrefix="2026/12/07/[$LATEST]"
    )["logStreams"]
    assert [s["logStreamName"] for s in found] == ["2026/12/07/[$LATEST]ab"]
    logs.filter_log_events(logGroupName="/aws/lambda/ticker", logStreamNamePrefix="2026/12/07/")


# ------------------------------------------------------------------------------ ID14, ID15
def test_iam_names_paths_and_descriptions_as_iam_takes_them(iam):  # ID14, ID15
    from helpers.iam import TRUST_POLICY

    trust = json.dumps(TRUST_POLICY)
    for name in ("rôle-buckets", "ρόλος"):
        code, message, status = aws_error(
            lambda name=name: iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)
        )
        assert (code, status) == ("ValidationError", 400)
        assert message.startswith("The specified value for roleName is invalid.")
    role = iam.create_role(RoleName="buckets_role+=,.@-1", AssumeRolePolicyDocument=trust)
    code, message, _ = aws_error(
        lambda: iam.put_role_policy(
            RoleName="buckets_role+=,.@-1",
            PolicyName="liste-des-compartiments-é",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
        )
    )
    assert code == "ValidationError" and "policyName" in message
    path_invalid = (
        "The specified value for path is invalid. It must begin and end with / and contain "
        "only alphanumeric characters and/or / characters."
    )
    for path in ("/lambda", "/rôles/", "xxx", "/bad value!/"):
        code, message, status = aws_error(
            lambda path=path: iam.create_role(
                RoleName="r2", Path=path, AssumeRolePolicyDocument=trust
            )
        )
        assert (code, message, status) == ("ValidationError", path_invalid, 400), path
    for description in ("列出存储桶 buckets role", "buckets 🪣 role"):
        code, message, status = aws_error(
            lambda d=description: iam.create_role(
                RoleName="r2", Description=d, AssumeRolePolicyDocument=trust
            )
        )
        assert (code, status) == ("ValidationError", 400)
        assert "at 'description' failed to satisfy constraint" in message
    assert role["Role"]["Path"] == "/"
    iam.create_role(
        RoleName="r2",
        Path="/service-role/lambda/",
        Description="Rôle de la fonction buckets: café",  # Latin-1 is taken
        AssumeRolePolicyDocument=trust,
    )


# ------------------------------------------------------------------------------------ LD2
def test_a_partiql_delete_by_key_takes_parameters_and_returning(fresh):  # LD2
    ddb = fresh.client("dynamodb")
    ddb.create_table(
        TableName="receipts",
        KeySchema=[{"AttributeName": "receipt_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "receipt_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for rid in ("r-1", "r-2", "r'3"):
        ddb.put_item(TableName="receipts", Item={"receipt_id": {"S": rid}, "total": {"N": "7"}})
    gone = ddb.execute_statement(
        Statement='DELETE FROM "receipts" WHERE receipt_id = ?', Parameters=[{"S": "r-1"}]
    )
    assert gone["Items"] == []
    old = ddb.execute_statement(
        Statement="DELETE FROM \"receipts\" WHERE \"receipt_id\" = 'r''3' RETURNING ALL OLD *"
    )
    assert old["Items"] == [{"receipt_id": {"S": "r'3"}, "total": {"N": "7"}}]
    missing = ddb.execute_statement(
        Statement='DELETE FROM "receipts" WHERE "receipt_id" = ? RETURNING ALL OLD *',
        Parameters=[{"S": "r-9"}],
    )
    assert missing["Items"] == []  # "SUCCESS is returned with 0 items deleted"
    left = ddb.scan(TableName="receipts")["Items"]
    assert [item["receipt_id"]["S"] for item in left] == ["r-2"]
    # a DELETE that doesn't name the key is still the kit's refusal, said as such
    code, message, status = aws_error(
        lambda: ddb.execute_statement(Statement='DELETE FROM "receipts" WHERE total = 7')
    )
    assert (code, status) == ("ValidationException", 400)
    assert message.startswith("[local kit, not AWS]")


# --------------------------------------------------------------------------- ID13 (Invoke)
def test_an_invoke_qualifier_is_a_version_or_an_alias_name(lam, deploy):  # ID13
    deploy("ticker", ECHO)
    lam.get_waiter("function_active_v2").wait(FunctionName="ticker")
    code, message, status = aws_error(
        lambda: lam.invoke(FunctionName="ticker", Qualifier="not valid!:*", Payload=b"{}")
    )
    assert (code, status) == ("ValidationException", 400)
    assert message.startswith(
        validation_message(
            "not valid!:*", "qualifier", "Member must satisfy regular expression pattern"
        )
    )
    assert call(lam, "ticker", {"n": 1}, Qualifier="$LATEST")[1] == {"n": 1}
    version = lam.publish_version(FunctionName="ticker")["Version"]
    lam.create_alias(FunctionName="ticker", Name="live_1", FunctionVersion=version)
    assert call(lam, "ticker", {"n": 2}, Qualifier=version)[1] == {"n": 2}
    assert call(lam, "ticker", {"n": 3}, Qualifier="live_1")[1] == {"n": 3}
    code, _, _ = aws_error(lambda: lam.invoke(FunctionName="ticker", Qualifier="gone"))
    assert code == "ResourceNotFoundException"  # a well-formed name is looked up
