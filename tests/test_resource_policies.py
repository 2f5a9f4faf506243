"""A service invokes a function only as the function's resource-based policy allows, as on AWS:
S3 and CloudWatch Logs refuse the configuration, SNS and EventBridge fail the delivery, API
Gateway answers 500 and a function URL 403."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests
from botocore.exceptions import ClientError

from tests.conftest import allow_invoke, log_messages, public_url, role_allowing

ACCOUNT = "123456789012"
RECORDER = """
import json
def handler(event, context):
    print("EVENT", json.dumps(event))
    return {"statusCode": 200, "body": "ran"}
"""


def _ran(logs, name: str) -> int:
    return sum(m.startswith("EVENT ") for m in log_messages(logs, name))


def _metric_sum(fresh, namespace: str, name: str, dimension: dict[str, str]) -> float:
    now = datetime.now(UTC)
    points = fresh.client("cloudwatch").get_metric_statistics(
        Namespace=namespace,
        MetricName=name,
        Dimensions=[{"Name": k, "Value": v} for k, v in dimension.items()],
        StartTime=now - timedelta(minutes=5),
        EndTime=now + timedelta(minutes=5),
        Period=60,
        Statistics=["Sum"],
    )["Datapoints"]
    return sum(p["Sum"] for p in points)


# ------------------------------------------------------------------------------------ S3
def _notify(s3, bucket: str, arn: str) -> None:
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}
            ]
        },
    )


@pytest.mark.parametrize(
    "permission",
    [None, "arn:aws:s3:::other-bucket", "arn:aws:s3:::uploads-2"],
    ids=["none", "another-bucket", "a-longer-name"],
)
def test_s3_refuses_a_notification_to_a_function_that_does_not_allow_it(deploy, fresh, permission):
    arn = deploy("on-upload", RECORDER)["FunctionArn"]
    s3 = fresh.client("s3")
    s3.create_bucket(Bucket="uploads")
    if permission:
        allow_invoke(arn, "s3.amazonaws.com", permission)
    with pytest.raises(ClientError) as refused:
        _notify(s3, "uploads", arn)
    error = refused.value.response["Error"]
    assert error["Code"] == "InvalidArgument"
    assert error["Message"] == "Unable to validate the following destination configurations"
    assert error["ArgumentValue"] == f"Not authorized to invoke function [{arn}]"
    kept = s3.get_bucket_notification_configuration(Bucket="uploads")
    assert "LambdaFunctionConfigurations" not in kept  # nothing was configured


def test_s3_stops_delivering_once_the_permission_is_removed(deploy, fresh, lam, logs):
    arn = deploy("on-upload", RECORDER)["FunctionArn"]
    s3 = fresh.client("s3")
    s3.create_bucket(Bucket="uploads")
    lam.add_permission(
        FunctionName="on-upload",
        StatementId="s3",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn="arn:aws:s3:::uploads",
        SourceAccount=ACCOUNT,
    )
    _notify(s3, "uploads", arn)
    s3.put_object(Bucket="uploads", Key="one.txt", Body=b"1")
    assert fresh.wait(10)
    lam.remove_permission(FunctionName="on-upload", StatementId="s3")
    s3.put_object(Bucket="uploads", Key="two.txt", Body=b"2")
    assert fresh.wait(10)
    assert _ran(logs, "on-upload") == 1


# ------------------------------------------------------------------------ CloudWatch Logs
def test_logs_refuses_a_subscription_to_a_function_that_does_not_allow_it(deploy, fresh, logs):
    arn = deploy("alerts", RECORDER)["FunctionArn"]
    logs.create_log_group(logGroupName="app")
    with pytest.raises(logs.exceptions.InvalidParameterException) as refused:
        logs.put_subscription_filter(
            logGroupName="app", filterName="all", filterPattern="", destinationArn=arn
        )
    assert "Make sure you have given CloudWatch Logs permission" in str(refused.value)
    allow_invoke(arn, "logs.us-east-1.amazonaws.com", f"arn:aws:logs:us-east-1:{ACCOUNT}:*")
    logs.put_subscription_filter(
        logGroupName="app", filterName="all", filterPattern="", destinationArn=arn
    )


# ------------------------------------------------------------------- SNS and EventBridge
def test_sns_fails_the_delivery_and_counts_it(deploy, fresh, logs):
    arn = deploy("on-news", RECORDER)["FunctionArn"]
    sns = fresh.client("sns")
    topic = sns.create_topic(Name="news")["TopicArn"]
    other = sns.create_topic(Name="other")["TopicArn"]
    allow_invoke(arn, "sns.amazonaws.com", other)  # for another topic only
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)
    sns.publish(TopicArn=topic, Message="extra, extra")
    assert fresh.wait(10)
    assert _ran(logs, "on-news") == 0
    failed = _metric_sum(fresh, "AWS/SNS", "NumberOfNotificationsFailed", {"TopicName": "news"})
    assert failed == 1
    allow_invoke(arn, "sns.amazonaws.com", topic)
    sns.publish(TopicArn=topic, Message="extra, extra")
    assert fresh.wait(10)
    assert _ran(logs, "on-news") == 1


def test_eventbridge_counts_a_failed_invocation_and_needs_the_alias_permission(
    deploy, fresh, lam, logs
):
    arn = deploy("ticker", RECORDER)["FunctionArn"]
    version = lam.publish_version(FunctionName="ticker")["Version"]
    lam.create_alias(FunctionName="ticker", Name="live", FunctionVersion=version)
    eb = fresh.client("events")
    rule = eb.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))["RuleArn"]
    eb.put_targets(Rule="orders", Targets=[{"Id": "fn", "Arn": f"{arn}:live"}])
    allow_invoke(arn, "events.amazonaws.com", rule)  # the function's, not the alias's
    eb.put_events(Entries=[{"Source": "shop", "DetailType": "x", "Detail": "{}"}])
    assert fresh.wait(10)
    assert _ran(logs, "ticker") == 0
    assert _metric_sum(fresh, "AWS/Events", "FailedInvocations", {"RuleName": "orders"}) == 1
    allow_invoke(f"{arn}:live", "events.amazonaws.com", rule)
    eb.put_events(Entries=[{"Source": "shop", "DetailType": "x", "Detail": "{}"}])
    assert fresh.wait(10)
    assert _ran(logs, "ticker") == 1


def test_switched_off_every_service_may_invoke(deploy, fresh, logs):
    arn = deploy("on-news", RECORDER)["FunctionArn"]
    sns = fresh.client("sns")
    topic = sns.create_topic(Name="news")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)
    fresh.configure(enforce_resource_policies=False)
    try:
        sns.publish(TopicArn=topic, Message="extra, extra")
        assert fresh.wait(10)
    finally:
        fresh.configure(enforce_resource_policies=True)
    assert _ran(logs, "on-news") == 1


# ------------------------------------------------------------------------ HTTP front doors
def _http_api(fresh, arn: str) -> dict:
    v2 = fresh.client("apigatewayv2")
    return v2.create_api(Name="hello", ProtocolType="HTTP", Target=arn)


@pytest.mark.parametrize(
    "source",
    [None, "{other}/*", "{api}/*/POST/hello"],
    ids=["none", "another-api", "another-route"],
)
def test_an_http_api_answers_500_without_the_permission(deploy, fresh, logs, source):
    arn = deploy("hello", RECORDER)["FunctionArn"]
    api = _http_api(fresh, arn)
    other = _http_api(fresh, arn)["ApiId"]
    v2 = fresh.client("apigatewayv2")
    v2.delete_route(
        ApiId=api["ApiId"], RouteId=v2.get_routes(ApiId=api["ApiId"])["Items"][0]["RouteId"]
    )
    target = v2.get_integrations(ApiId=api["ApiId"])["Items"][0]["IntegrationId"]
    v2.create_route(ApiId=api["ApiId"], RouteKey="GET /hello", Target=f"integrations/{target}")
    base = f"arn:aws:execute-api:us-east-1:{ACCOUNT}:"
    if source:
        allow_invoke(
            arn, "apigateway.amazonaws.com", base + source.format(api=api["ApiId"], other=other)
        )
    response = requests.get(api["ApiEndpoint"] + "/hello", timeout=30)
    assert (response.status_code, response.json()) == (500, {"message": "Internal Server Error"})
    assert _ran(logs, "hello") == 0
    allow_invoke(arn, "apigateway.amazonaws.com", f"{base}{api['ApiId']}/*/GET/hello")
    assert requests.get(api["ApiEndpoint"] + "/hello", timeout=30).status_code == 200


@pytest.mark.parametrize(
    "granted", [(), ("url",), ("invoke",)], ids=["none", "url-only", "invoke-only"]
)
def test_a_public_function_url_needs_both_permissions(deploy, lam, granted):
    deploy("open", RECORDER)
    url = lam.create_function_url_config(FunctionName="open", AuthType="NONE")["FunctionUrl"]
    if "url" in granted:
        lam.add_permission(FunctionName="open", StatementId="url",
                           Action="lambda:InvokeFunctionUrl", Principal="*",
                           FunctionUrlAuthType="NONE")  # fmt: skip
    if "invoke" in granted:
        lam.add_permission(FunctionName="open", StatementId="invoke",
                           Action="lambda:InvokeFunction", Principal="*")  # fmt: skip
    response = requests.get(url, timeout=10)
    assert (response.status_code, response.json()) == (403, {"Message": "Forbidden"})
    assert response.headers["x-amzn-ErrorType"] == "AccessDeniedException"


def test_a_public_function_url_with_both_permissions_answers(deploy, lam):
    deploy("open", RECORDER)
    url = public_url(lam, "open")
    assert requests.get(url, timeout=10).text == "ran"
    statements = json.loads(lam.get_policy(FunctionName="open")["Policy"])["Statement"]
    conditions = {s["Sid"]: s.get("Condition") for s in statements}
    assert conditions == {
        "FunctionURLAllowPublicAccess": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}},
        "FunctionURLInvokeAllowPublicAccess": {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}},
    }


def test_an_aws_iam_function_url_refuses_an_unsigned_request(deploy, lam, logs):
    deploy("private", RECORDER)
    url = lam.create_function_url_config(FunctionName="private", AuthType="AWS_IAM")["FunctionUrl"]
    response = requests.get(url, timeout=10)
    assert (response.status_code, response.json()) == (403, {"Message": "Forbidden"})
    assert _ran(logs, "private") == 0


# ------------------------------------------------------------------ EventBridge Scheduler
@pytest.mark.parametrize("rights", ["none", "another-function"])
def test_a_schedule_whose_role_may_not_invoke_runs_nothing(fresh, deploy, logs, rights):
    arn = deploy("reminder", RECORDER)["FunctionArn"]
    other = arn.replace(":reminder", ":other")
    role = role_allowing("scheduler", ["lambda:InvokeFunction"], other)
    if rights == "none":
        role = "arn:aws:iam::123456789012:role/no-such-role"
    fresh.client("scheduler").create_schedule(
        Name="half-hourly",
        ScheduleExpression="rate(30 minutes)",
        FlexibleTimeWindow={"Mode": "OFF"},
        # No retries here: the next tests follow them.
        Target={"Arn": arn, "RoleArn": role, "RetryPolicy": {"MaximumRetryAttempts": 0}},
    )
    fresh.advance_clock(minutes=61)
    assert fresh.wait(10)
    assert _ran(logs, "reminder") == 0
    errors = _metric_sum(fresh, "AWS/Scheduler", "TargetErrorCount", {"ScheduleGroup": "default"})
    assert errors == 3  # at creation (no StartDate: at once), after 30 and 60 minutes


def _scheduler_role(fresh, name: str, rights: list[tuple[str, str]]) -> str:
    """A role Scheduler may assume, with each (action, resource) of `rights`."""
    iam = fresh.client("iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "scheduler.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    statements = [{"Effect": "Allow", "Action": a, "Resource": r} for a, r in rights]
    if statements:
        iam.put_role_policy(
            RoleName=name,
            PolicyName="rights",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}),
        )
    return arn


def _dead_letter_queue(fresh) -> tuple[str, str]:
    sqs = fresh.client("sqs")
    url = sqs.create_queue(QueueName="scheduler-dlq")["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]


def _schedule(fresh, arn: str, role: str, **target) -> None:
    """A schedule every 30 minutes whose first run is one minute ahead on the kit's clock."""
    fresh.client("scheduler").create_schedule(
        Name="nightly-report",
        ScheduleExpression="rate(30 minutes)",
        StartDate=fresh.now() + timedelta(minutes=1),
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={
            "Arn": arn,
            "RoleArn": role,
            "Input": '{"attempt": "<aws.scheduler.attempt-number>"}',
            **target,
        },
    )


def test_a_refused_schedule_run_is_retried_then_sent_to_its_dead_letter_queue(fresh, deploy, logs):
    # AWS's serverless-patterns example eventbridge-schedule-to-lambda-dlq-sam-python: a schedule
    # whose role lost lambda:InvokeFunction retries (RetryPolicy), then the run reaches the DLQ.
    arn = deploy("reporter", RECORDER)["FunctionArn"]
    url, queue = _dead_letter_queue(fresh)
    role = _scheduler_role(fresh, "scheduler-dlq-only", [("sqs:SendMessage", queue)])
    _schedule(
        fresh,
        arn,
        role,
        RetryPolicy={"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 3600},
        DeadLetterConfig={"Arn": queue},
    )
    fresh.advance_clock(minutes=10)  # the run at the StartDate and its 3 retries, seconds apart
    assert fresh.wait(10)
    assert _ran(logs, "reporter") == 0
    errors = _metric_sum(fresh, "AWS/Scheduler", "TargetErrorCount", {"ScheduleGroup": "default"})
    assert errors == 4  # the first attempt and 3 retries
    messages = fresh.client("sqs").receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
    )["Messages"]
    assert len(messages) == 1
    assert json.loads(messages[0]["Body"]) == {"attempt": "4"}
    attributes = {k: v["StringValue"] for k, v in messages[0]["MessageAttributes"].items()}
    assert attributes["ERROR_CODE"] == "AccessDeniedException"
    assert "lambda:InvokeFunction" in attributes["ERROR_MESSAGE"]
    assert attributes["TARGET_ARN"] == arn
    assert attributes["SCHEDULE_ARN"].endswith(":schedule/default/nightly-report")
    sent = {"ScheduleGroup": "default"}
    assert _metric_sum(fresh, "AWS/Scheduler", "InvocationsSentToDeadLetterCount", sent) == 1


def test_a_retry_after_the_role_is_mended_reaches_the_function(fresh, deploy, logs):
    arn = deploy("reporter", RECORDER)["FunctionArn"]
    role = _scheduler_role(fresh, "scheduler-mended", [])
    _schedule(fresh, arn, role)
    fresh.advance_clock(minutes=1)  # the run: refused, its retry waits on the kit's clock
    assert fresh.wait(10)
    assert _ran(logs, "reporter") == 0
    fresh.client("iam").put_role_policy(
        RoleName="scheduler-mended",
        PolicyName="invoke",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": arn}
                ],
            }
        ),
    )
    fresh.advance_clock(seconds=20)
    assert fresh.wait(10)
    events = [
        json.loads(m[len("EVENT ") :])
        for m in log_messages(logs, "reporter")
        if m.startswith("EVENT ")
    ]
    assert len(events) == 1 and int(events[0]["attempt"]) > 1


@pytest.mark.parametrize("dead_letter", ["none", "no-right-to-send"])
def test_a_run_that_cannot_reach_a_dead_letter_queue_is_dropped_and_counted(
    fresh, deploy, logs, dead_letter
):
    arn = deploy("reporter", RECORDER)["FunctionArn"]
    url, queue = _dead_letter_queue(fresh)
    role = _scheduler_role(fresh, "scheduler-nothing", [])
    extra = {"DeadLetterConfig": {"Arn": queue}} if dead_letter != "none" else {}
    _schedule(fresh, arn, role, RetryPolicy={"MaximumRetryAttempts": 1}, **extra)
    fresh.advance_clock(minutes=10)
    assert fresh.wait(10)
    assert fresh.client("sqs").receive_message(QueueUrl=url).get("Messages", []) == []
    metric = (
        "InvocationDroppedCount"
        if dead_letter == "none"
        else "InvocationsFailedToBeSentToDeadLetterCount"
    )
    assert _metric_sum(fresh, "AWS/Scheduler", metric, {"ScheduleGroup": "default"}) == 1
    assert (
        _metric_sum(fresh, "AWS/Scheduler", "TargetErrorCount", {"ScheduleGroup": "default"}) == 2
    )


def _signed_get(url: str, credentials) -> requests.Response:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    request = AWSRequest(method="GET", url=url)
    SigV4Auth(credentials, "lambda", "us-east-1").add_auth(request)
    return requests.get(url, headers=dict(request.headers), timeout=10)


def test_an_aws_iam_function_url_answers_a_caller_who_may_invoke_it(fresh, deploy, lam, logs):
    from botocore.credentials import Credentials

    deploy("private", RECORDER)
    url = lam.create_function_url_config(FunctionName="private", AuthType="AWS_IAM")["FunctionUrl"]
    arn = lam.get_function(FunctionName="private")["Configuration"]["FunctionArn"]
    owner = Credentials(fresh.owner.access_key_id, fresh.owner.secret_access_key)
    assert _signed_get(url, owner).text == "ran"
    wrong = Credentials(fresh.owner.access_key_id, "not-the-secret")
    assert _signed_get(url, wrong).status_code == 403

    sts = fresh.client("sts")
    for role, allowed in (
        ("reader", ["lambda:GetFunction"]),
        ("caller", ["lambda:InvokeFunctionUrl"]),
    ):
        role_arn = role_allowing(role, allowed, arn)
        got = sts.assume_role(RoleArn=role_arn, RoleSessionName="test")["Credentials"]
        keys = Credentials(got["AccessKeyId"], got["SecretAccessKey"], got["SessionToken"])
        expected = 200 if role == "caller" else 403
        assert _signed_get(url, keys).status_code == expected, role
    assert _ran(logs, "private") == 2
