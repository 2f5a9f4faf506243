"""Kit fidelity, learner trial 12 (GD2, ID3, GD4, GD5, HD6, HD7, ID4, ID5, ID7, JD4): what AWS
refuses is refused here with AWS's code, status and words (or the kit's, marked), and the valid
boundary next to each refusal is taken."""

from __future__ import annotations

import json

from helpers.iam import execution_role
from tests.conftest import aws_error, call, make_queue, validation_message

ROLE_POLICIES = ["arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"]
ECHO = "def handler(event, context):\n    return event\n"
ACCOUNT = "123456789012"
ARN_PATTERN = "(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


# ------------------------------------------------------------------------- GD2, ID3, ID4
def test_kms_key_and_dead_letter_target_must_be_arns(lam, deploy, sqs):  # GD2, ID3
    for value in ("alias/aws/lambda", "not-an-arn"):
        code, message, status = aws_error(
            lambda value=value: deploy("greeter", ECHO, KMSKeyArn=value)
        )
        assert (code, status) == ("ValidationException", 400)
        assert message == validation_message(
            value, "kMSKeyArn", f"Member must satisfy regular expression pattern: {ARN_PATTERN}"
        )
    code, message, status = aws_error(
        lambda: deploy("greeter", ECHO, DeadLetterConfig={"TargetArn": "greeter-dlq"})
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        "greeter-dlq",
        "deadLetterConfig.targetArn",
        f"Member must satisfy regular expression pattern: {ARN_PATTERN}",
    )
    assert lam.list_functions()["Functions"] == []
    # an ARN is taken, at create and at update, and so is "" (no key: AWS's own key)
    deploy("greeter", ECHO, KMSKeyArn=KEY_ARN)
    lam.get_waiter("function_active_v2").wait(FunctionName="greeter")
    url, _ = make_queue(sqs, "greeter-dlq")
    code, message, _ = aws_error(
        lambda: lam.update_function_configuration(
            FunctionName="greeter", DeadLetterConfig={"TargetArn": url}
        )
    )
    assert code == "ValidationException" and "'deadLetterConfig.targetArn'" in message
    code, message, _ = aws_error(
        lambda: lam.update_function_configuration(FunctionName="greeter", KMSKeyArn="alias/x")
    )
    assert code == "ValidationException" and "'kMSKeyArn'" in message
    lam.update_function_configuration(FunctionName="greeter", KMSKeyArn="")
    lam.get_waiter("function_updated_v2").wait(FunctionName="greeter")


def test_an_update_takes_only_a_role_lambda_can_assume(lam, deploy, iam):  # ID4
    deploy("thumbnailer", ECHO)
    lam.get_waiter("function_active_v2").wait(FunctionName="thumbnailer")
    before = lam.get_function_configuration(FunctionName="thumbnailer")
    code, message, status = aws_error(
        lambda: lam.update_function_configuration(
            FunctionName="thumbnailer", Role="lambda-basic", MemorySize=512
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        "lambda-basic",
        "role",
        "Member must satisfy regular expression pattern: "
        r"arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+",
    )
    cannot = "The role defined for the function cannot be assumed by Lambda."
    missing = f"arn:aws:iam::{ACCOUNT}:role/no-such-role"
    ec2_only = iam.create_role(
        RoleName="ec2-only",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "ec2.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]
    for role in (missing, ec2_only):
        code, message, status = aws_error(
            lambda role=role: lam.update_function_configuration(
                FunctionName="thumbnailer", Role=role, MemorySize=512
            )
        )
        assert (code, message, status) == ("InvalidParameterValueException", cannot, 400)
    after = lam.get_function_configuration(FunctionName="thumbnailer")
    assert (after["Role"], after["MemorySize"]) == (before["Role"], before["MemorySize"])
    # a role Lambda can assume is taken, and the function runs with it
    other = execution_role("thumbnailer-role")
    lam.update_function_configuration(FunctionName="thumbnailer", Role=other, MemorySize=512)
    lam.get_waiter("function_updated_v2").wait(FunctionName="thumbnailer")
    after = lam.get_function_configuration(FunctionName="thumbnailer")
    assert (after["Role"], after["MemorySize"]) == (other, 512)
    assert call(lam, "thumbnailer", {"n": 1})[1] == {"n": 1}


# ------------------------------------------------------------------------------- GD4, GD5
def test_an_alias_function_version_is_a_number_or_latest(lam, deploy):  # GD4
    deploy("counter", ECHO)
    version = lam.publish_version(FunctionName="counter")
    code, message, status = aws_error(
        lambda: lam.create_alias(
            FunctionName="counter", Name="live", FunctionVersion=version["FunctionArn"]
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        version["FunctionArn"],
        "functionVersion",
        r"Member must satisfy regular expression pattern: (\$LATEST(\.PUBLISHED)?|[0-9]+)",
    )
    lam.create_alias(FunctionName="counter", Name="live", FunctionVersion=version["Version"])
    lam.create_alias(FunctionName="counter", Name="edge", FunctionVersion="$LATEST")
    code, message, _ = aws_error(
        lambda: lam.update_alias(FunctionName="counter", Name="live", FunctionVersion="v1")
    )
    assert code == "ValidationException" and "'functionVersion'" in message
    lam.update_alias(FunctionName="counter", Name="live", FunctionVersion="$LATEST")


def test_a_queue_url_is_no_event_source_arn(lam, deploy, sqs):  # GD5
    deploy("order-worker", ECHO)
    url, arn = make_queue(sqs, "orders")
    code, message, status = aws_error(
        lambda: lam.create_event_source_mapping(EventSourceArn=url, FunctionName="order-worker")
    )
    assert (code, status) == ("ValidationException", 400)
    assert message.startswith(
        validation_message(
            url,
            "eventSourceArn",
            "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z0-9-]*):",
        )
    )
    # an ARN of a queue that doesn't exist is still looked up (not a pattern's refusal)
    code, _, _ = aws_error(
        lambda: lam.create_event_source_mapping(
            EventSourceArn=arn + "-missing", FunctionName="order-worker"
        )
    )
    assert code != "ValidationException"
    mapping = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="order-worker")
    assert mapping["EventSourceArn"] == arn


# ------------------------------------------------------------------------------------ HD6
def test_a_filter_policy_with_an_empty_array_is_refused(fresh, sqs):  # HD6
    sns = fresh.client("sns")
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    _, queue = make_queue(sqs, "pager")
    empty = "Invalid parameter: FilterPolicy: Empty arrays are not allowed"
    for policy in ({"severity": []}, {"severity": ["critical"], "detail": {"team": []}}):
        code, message, status = aws_error(
            lambda policy=policy: sns.subscribe(
                TopicArn=topic,
                Protocol="sqs",
                Endpoint=queue,
                Attributes={"FilterPolicy": json.dumps(policy)},
            )
        )
        assert (code, message, status) == ("InvalidParameter", empty, 400)
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []
    # a value in the list is taken, and an empty list is refused when set later too
    arn = sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue,
        Attributes={"FilterPolicy": json.dumps({"severity": ["critical"]})},
        ReturnSubscriptionArn=True,
    )["SubscriptionArn"]
    code, message, status = aws_error(
        lambda: sns.set_subscription_attributes(
            SubscriptionArn=arn,
            AttributeName="FilterPolicy",
            AttributeValue=json.dumps({"severity": []}),
        )
    )
    assert (code, message, status) == ("InvalidParameter", empty, 400)
    kept = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]["FilterPolicy"]
    assert json.loads(kept) == {"severity": ["critical"]}


# ------------------------------------------------------------------------------------ HD7
def test_a_target_input_that_is_not_json_is_refused(fresh):  # HD7
    events = fresh.client("events")
    events.put_rule(Name="nightly-cleanup", ScheduleExpression="cron(0 3 * * ? *)")
    arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:cleanup"
    for text in ("nightly cleanup", "{'task': 'cleanup'}", "NaN"):
        code, message, status = aws_error(
            lambda text=text: events.put_targets(
                Rule="nightly-cleanup", Targets=[{"Id": "cleanup", "Arn": arn, "Input": text}]
            )
        )
        assert (code, status) == ("ValidationException", 400)
        assert message == "Input for target cleanup is not a valid JSON text."
    assert events.list_targets_by_rule(Rule="nightly-cleanup")["Targets"] == []
    # any JSON text is taken: an object, a string in quotes, a number
    for number, text in enumerate(('{"task": "cleanup"}', json.dumps("tmp files ✓"), "3")):
        events.put_targets(
            Rule="nightly-cleanup", Targets=[{"Id": f"t{number}", "Arn": arn, "Input": text}]
        )
    assert len(events.list_targets_by_rule(Rule="nightly-cleanup")["Targets"]) == 3


# ------------------------------------------------------------------------------------ ID5
def test_an_insights_query_ending_before_it_starts_is_refused(logs):  # ID5
    logs.create_log_group(logGroupName="/aws/lambda/ticker")
    now = 1_800_000_000
    code, message, status = aws_error(
        lambda: logs.start_query(
            logGroupName="/aws/lambda/ticker",
            startTime=now,
            endTime=now - 3600,
            queryString="fields @message",
        )
    )
    assert (code, message, status) == (
        "InvalidParameterException",
        "End time cannot be less than Start time",
        400,
    )
    for start in (now, now - 3600):  # an empty window and a forward one are taken
        logs.start_query(
            logGroupName="/aws/lambda/ticker",
            startTime=start,
            endTime=now,
            queryString="fields @message",
        )


# ------------------------------------------------------------------------------------ ID7
WITHOUT_TOKEN = """
import os
import boto3

def handler(event, context):
    token = os.environ["AWS_SESSION_TOKEN"] if event.get("token") else None
    s3 = boto3.client(
        "s3",
        aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=token,
    )
    try:
        return {"count": len(s3.list_buckets()["Buckets"])}
    except Exception as exc:
        return {"error": exc.response["Error"]["Code"], "message": exc.response["Error"]["Message"]}
"""


def test_temporary_keys_count_only_with_their_session_token(fresh, lam, deploy):  # ID7
    deploy(
        "buckets",
        WITHOUT_TOKEN,
        Role=execution_role(
            "buckets-role", policies=["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
        ),
    )
    assert call(lam, "buckets", {})[1] == {
        "error": "InvalidAccessKeyId",
        "message": "The AWS Access Key Id you provided does not exist in our records.",
    }
    assert call(lam, "buckets", {"token": True})[1] == {"count": 0}
    # STS's own temporary credentials alike: without the token, with another, with their own
    role = execution_role("ci-role")
    issued = fresh.client("sts").assume_role(RoleArn=role, RoleSessionName="ci")["Credentials"]
    keys = {
        "aws_access_key_id": issued["AccessKeyId"],
        "aws_secret_access_key": issued["SecretAccessKey"],
    }
    for token in (None, "FQoGZXIvYXdzEPT//////////wEaDOTHER"):
        code, message, status = aws_error(
            lambda token=token: fresh.client(
                "lambda", aws_session_token=token, **keys
            ).list_functions()
        )
        assert (code, message, status) == (
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
            403,
        )
    code, _, status = aws_error(lambda: fresh.client("sts", **keys).get_caller_identity())
    assert (code, status) == ("InvalidClientTokenId", 403)
    own = fresh.client("sts", aws_session_token=issued["SessionToken"], **keys)
    assert own.get_caller_identity()["Arn"].endswith(":assumed-role/ci-role/ci")


# ------------------------------------------------------------------------------------ JD4
READ_PARAMETER = """
import boto3

def handler(event, context):
    try:
        return boto3.client("ssm").get_parameter(Name="/app/db-url")["Parameter"]["Value"]
    except Exception as exc:
        return exc.response["Error"]["Code"]
"""
PARAMETER = f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/db-url"


def _conditioned(iam, role: str, condition: dict) -> None:
    iam.put_role_policy(
        RoleName=role,
        PolicyName="read-db-url",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "ssm:GetParameter",
                        "Resource": PARAMETER,
                        "Condition": condition,
                    }
                ],
            }
        ),
    )


def test_tag_conditions_read_the_roles_and_the_resources_tags(fresh, lam, deploy, iam):  # JD4
    ssm = fresh.client("ssm")
    ssm.put_parameter(Name="/app/db-url", Value="postgres://db", Type="String")
    role = execution_role("db-reader-role")
    deploy("db-reader", READ_PARAMETER, Role=role)
    on_team = {"StringEquals": {"aws:PrincipalTag/team": "payments"}}
    _conditioned(iam, "db-reader-role", on_team)
    assert call(lam, "db-reader")[1] == "AccessDeniedException"  # the role has no tag yet
    iam.tag_role(RoleName="db-reader-role", Tags=[{"Key": "team", "Value": "billing"}])
    assert call(lam, "db-reader")[1] == "AccessDeniedException"  # another team
    iam.tag_role(RoleName="db-reader-role", Tags=[{"Key": "team", "Value": "payments"}])
    assert call(lam, "db-reader")[1] == "postgres://db"
    # the parameter's own tags: aws:ResourceTag and SSM's ssm:resourceTag
    for key in ("aws:ResourceTag/app", "ssm:resourceTag/app"):
        _conditioned(iam, "db-reader-role", {"StringEquals": {key: "db-reader"}})
        ssm.remove_tags_from_resource(
            ResourceType="Parameter", ResourceId="/app/db-url", TagKeys=["app"]
        )
        assert call(lam, "db-reader")[1] == "AccessDeniedException"
        ssm.add_tags_to_resource(
            ResourceType="Parameter",
            ResourceId="/app/db-url",
            Tags=[{"Key": "app", "Value": "db-reader"}],
        )
        assert call(lam, "db-reader")[1] == "postgres://db"
