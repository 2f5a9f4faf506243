"""The outside check of issue 12 (/work/checks/issue12, "Mismatches, reviewed"), M1 to M14:
calls the kit took that AWS refuses. Each test shows AWS's refusal (code, status, words) and the
boundary AWS accepts beside it."""

from __future__ import annotations

import json

import pytest
from botocore.config import Config

from tests.conftest import aws_error, make_queue, validation_message

ROLE_POLICIES = [
    "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole",
]

NOOP = """
def handler(event, context):
    return {"ok": True}
"""


@pytest.fixture
def raw(fresh):
    """A Lambda client that leaves the checking to the server (botocore checks minimums)."""
    return fresh.client("lambda", config=Config(parameter_validation=False))


@pytest.fixture
def fn(deploy):
    deploy("worker", NOOP)
    return "worker"


# ---------------------------------------------------------------- M1: a .zip without Runtime
def test_m1_a_zip_function_without_a_runtime_is_refused(lam, deploy):
    from helpers.packaging import zip_bytes

    role = deploy("with-runtime", NOOP)["Role"]  # the accepted boundary: a runtime is given
    code, message, status = aws_error(
        lambda: lam.create_function(
            FunctionName="no-runtime",
            Role=role,
            Handler="app.handler",
            Code={"ZipFile": zip_bytes({"app.py": NOOP})},
        )
    )
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert message == (
        "Runtime and Handler are mandatory parameters for functions created with deployment "
        "packages."
    )
    assert "None" not in message
    names = [f["FunctionName"] for f in lam.list_functions()["Functions"]]
    assert names == ["with-runtime"]


# ------------------------------------------------------------------ M2: Invoke's LogType
def test_m2_invoke_refuses_a_log_type_other_than_none_or_tail(lam, fn):
    code, message, status = aws_error(
        lambda: lam.invoke(FunctionName=fn, Payload=b"{}", LogType="Full")
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        "Full", "logType", "Member must satisfy enum value set: [None, Tail]"
    )
    assert "LogResult" in lam.invoke(FunctionName=fn, Payload=b"{}", LogType="Tail")
    assert lam.invoke(FunctionName=fn, Payload=b"{}", LogType="None")["StatusCode"] == 200


# ------------------------------------------------------------- M3: AddPermission's Principal
def test_m3_add_permission_refuses_a_principal_with_a_space(lam, fn):
    code, message, status = aws_error(
        lambda: lam.add_permission(
            FunctionName=fn,
            StatementId="s3-spaced",
            Action="lambda:InvokeFunction",
            Principal="s3 amazonaws.com",
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        "s3 amazonaws.com",
        "principal",
        "Member must satisfy regular expression pattern: [^\\s]+",
    )
    lam.add_permission(
        FunctionName=fn,
        StatementId="s3",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
    )
    policy = json.loads(lam.get_policy(FunctionName=fn)["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == ["s3"]


# ----------------------------------------------------------------- M4: a mapping's BatchSize
def test_m4_a_mapping_refuses_batch_size_0_at_create_and_update(raw, sqs, fn):
    _, arn = make_queue(sqs, "jobs")
    code, message, status = aws_error(
        lambda: raw.create_event_source_mapping(FunctionName=fn, EventSourceArn=arn, BatchSize=0)
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        "0", "batchSize", "Member must have value greater than or equal to 1"
    )
    assert raw.list_event_source_mappings()["EventSourceMappings"] == []
    uuid = raw.create_event_source_mapping(FunctionName=fn, EventSourceArn=arn, BatchSize=1)["UUID"]
    code, _, status = aws_error(lambda: raw.update_event_source_mapping(UUID=uuid, BatchSize=0))
    assert (code, status) == ("ValidationException", 400)
    # Over the maximum stays a 400 (its code is test_lambda_validation's to say).
    _, _, status = aws_error(
        lambda: raw.update_event_source_mapping(
            UUID=uuid, BatchSize=10001, MaximumBatchingWindowInSeconds=1
        )
    )
    assert status == 400
    updated = raw.update_event_source_mapping(
        UUID=uuid, BatchSize=10000, MaximumBatchingWindowInSeconds=1
    )
    assert updated["BatchSize"] == 10000


# ---------------------------------------------------- M5: no batching window on a FIFO queue
FIFO_WINDOW = "Invalid request provided: Batching window is not supported for FIFO queues"


def test_m5_a_fifo_queue_mapping_refuses_a_batching_window(lam, sqs, fn):
    _, fifo = make_queue(sqs, "jobs.fifo", FifoQueue="true")
    code, message, status = aws_error(
        lambda: lam.create_event_source_mapping(
            FunctionName=fn, EventSourceArn=fifo, BatchSize=5, MaximumBatchingWindowInSeconds=5
        )
    )
    assert (code, status, message) == ("InvalidParameterValueException", 400, FIFO_WINDOW)
    assert lam.list_event_source_mappings()["EventSourceMappings"] == []
    # No window (0, the default) is taken, and a window stays refused at update.
    uuid = lam.create_event_source_mapping(
        FunctionName=fn, EventSourceArn=fifo, BatchSize=10, MaximumBatchingWindowInSeconds=0
    )["UUID"]
    code, message, status = aws_error(
        lambda: lam.update_event_source_mapping(UUID=uuid, MaximumBatchingWindowInSeconds=1)
    )
    assert (code, status, message) == ("InvalidParameterValueException", 400, FIFO_WINDOW)
    lam.update_event_source_mapping(UUID=uuid, BatchSize=5)
    # A standard queue takes a window.
    _, standard = make_queue(sqs, "jobs")
    lam.create_event_source_mapping(
        FunctionName=fn, EventSourceArn=standard, BatchSize=5, MaximumBatchingWindowInSeconds=5
    )


# ------------------------------------------------------- M6: a stream's StartingPosition enum
def test_m6_a_kinesis_mapping_refuses_starting_position_earliest(lam, fresh, fn):
    kinesis = fresh.client("kinesis")
    kinesis.create_stream(StreamName="clicks", ShardCount=1)
    arn = kinesis.describe_stream(StreamName="clicks")["StreamDescription"]["StreamARN"]
    code, message, status = aws_error(
        lambda: lam.create_event_source_mapping(
            FunctionName=fn, EventSourceArn=arn, StartingPosition="EARLIEST"
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        "EARLIEST",
        "startingPosition",
        "Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_TIMESTAMP]",
    )
    assert lam.list_event_source_mappings()["EventSourceMappings"] == []
    made = lam.create_event_source_mapping(
        FunctionName=fn, EventSourceArn=arn, StartingPosition="TRIM_HORIZON"
    )
    assert made["StartingPosition"] == "TRIM_HORIZON"


# ------------------------------------------------- M7: reserved concurrency is 0 or more
def test_m7_reserved_concurrency_below_0_is_refused(raw, fn):
    code, message, status = aws_error(
        lambda: raw.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=-1)
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        "-1", "reservedConcurrentExecutions", "Member must have value greater than or equal to 0"
    )
    assert "Concurrency" not in raw.get_function(FunctionName=fn)
    # Checked before the qualifier: a version's name with -1 is refused as -1.
    code, _, _ = aws_error(
        lambda: raw.put_function_concurrency(
            FunctionName=f"{fn}:1", ReservedConcurrentExecutions=-1
        )
    )
    assert code == "ValidationException"
    done = raw.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=0)
    assert done["ReservedConcurrentExecutions"] == 0


# --------------------------------------------------------- M8: a stream's StreamViewType
@pytest.fixture
def ddb(fresh):
    return fresh.client("dynamodb")


def _table(ddb, name: str, **extra):
    return ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )


VIEWS = "[NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]"


def test_m8_a_table_stream_refuses_an_unknown_view_type(ddb):
    code, message, status = aws_error(
        lambda: _table(
            ddb, "orders", StreamSpecification={"StreamEnabled": True, "StreamViewType": "BOGUS"}
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        "BOGUS",
        "streamSpecification.streamViewType",
        f"Member must satisfy enum value set: {VIEWS}",
    )
    assert ddb.list_tables()["TableNames"] == []
    _table(ddb, "orders")
    code, _, status = aws_error(
        lambda: ddb.update_table(
            TableName="orders",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW"},
        )
    )
    assert (code, status) == ("ValidationException", 400)
    for name, view in (("a-keys", "KEYS_ONLY"), ("b-both", "NEW_AND_OLD_IMAGES")):
        made = _table(
            ddb, name, StreamSpecification={"StreamEnabled": True, "StreamViewType": view}
        )
        assert made["TableDescription"]["StreamSpecification"]["StreamViewType"] == view
    updated = ddb.update_table(
        TableName="orders",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    assert updated["TableDescription"]["StreamSpecification"]["StreamViewType"] == "NEW_IMAGE"


# ------------------------------------------------ M9, M10: a role's trust policy (IAM)
LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
NO_PRINCIPAL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}],
}
NO_PRINCIPALS = (
    "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in "
    "policy has a statement with no principals!"
)


def _role_names(iam) -> list[str]:
    return [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("m9")]


def test_m9_a_trust_policy_that_is_not_json_is_refused(iam):
    code, message, status = aws_error(
        lambda: iam.create_role(RoleName="m9-broken", AssumeRolePolicyDocument="{not json")
    )
    assert (code, status, message) == (
        "MalformedPolicyDocument",
        400,
        "This policy contains invalid Json",
    )
    assert _role_names(iam) == []
    iam.create_role(RoleName="m9-fine", AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))
    code, message, status = aws_error(
        lambda: iam.update_assume_role_policy(RoleName="m9-fine", PolicyDocument="{not json")
    )
    assert (code, status, message) == (
        "MalformedPolicyDocument",
        400,
        "This policy contains invalid Json",
    )
    assert _role_names(iam) == ["m9-fine"]


@pytest.mark.parametrize(
    "statement",
    [
        {"Effect": "Allow", "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"AWS": []}, "Action": "sts:AssumeRole"},
    ],
)
def test_m10_a_trust_policy_statement_without_a_principal_is_refused(iam, statement):
    document = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    code, message, status = aws_error(
        lambda: iam.create_role(RoleName="m9-nobody", AssumeRolePolicyDocument=document)
    )
    assert (code, status, message) == ("MalformedPolicyDocument", 400, NO_PRINCIPALS)
    assert _role_names(iam) == []
    iam.create_role(RoleName="m9-lambda", AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))
    code, message, _ = aws_error(
        lambda: iam.update_assume_role_policy(RoleName="m9-lambda", PolicyDocument=document)
    )
    assert (code, message) == ("MalformedPolicyDocument", NO_PRINCIPALS)
    trust = iam.get_role(RoleName="m9-lambda")["Role"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}


@pytest.mark.parametrize(
    "principal",
    [
        "*",
        {"AWS": "*"},
        {"AWS": "arn:aws:iam::123456789012:root"},
        {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]},
        {"Federated": "cognito-identity.amazonaws.com"},
    ],
)
def test_m10_trust_policies_naming_a_principal_are_taken(iam, principal):
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    document = {"Version": "2012-10-17", "Statement": statement}  # one statement, not a list
    iam.create_role(RoleName="m9-named", AssumeRolePolicyDocument=json.dumps(document))
    iam.update_assume_role_policy(RoleName="m9-named", PolicyDocument=json.dumps(LAMBDA_TRUST))


# ------------------------------------------- M11, M12: PutMetricFilter's filter pattern
BROKEN_PATTERNS = ["{ $.level = ", "{ $.latency > }"]
GOOD_PATTERNS = ["ERROR", '{ $.level = "ERROR" }', "{ $.latency > 100 }", "[ip, user, status=5*]"]


def _metric_filter(logs, pattern: str, name: str = "errors") -> None:
    logs.put_metric_filter(
        logGroupName="/app",
        filterName=name,
        filterPattern=pattern,
        metricTransformations=[
            {"metricName": "Errors", "metricNamespace": "App", "metricValue": "1"}
        ],
    )


@pytest.mark.parametrize("pattern", BROKEN_PATTERNS)
def test_m11_m12_put_metric_filter_refuses_a_broken_pattern(logs, pattern):
    logs.create_log_group(logGroupName="/app")
    code, message, status = aws_error(lambda: _metric_filter(logs, pattern))
    assert (code, status) == ("InvalidParameterException", 400)
    assert message.startswith("Invalid metric filter pattern (kit hint: ")
    assert logs.describe_metric_filters(logGroupName="/app")["metricFilters"] == []
    for number, good in enumerate(GOOD_PATTERNS):
        _metric_filter(logs, good, name=f"good-{number}")
    filters = logs.describe_metric_filters(logGroupName="/app")["metricFilters"]
    assert [f["filterPattern"] for f in filters] == GOOD_PATTERNS


@pytest.mark.parametrize("pattern", BROKEN_PATTERNS)
def test_m11_m12_filter_log_events_and_subscriptions_refuse_them_too(logs, lam, fn, pattern):
    """FilterLogEvents answers "Invalid filter pattern" (aws/aws-toolkit-jetbrains#3219), as
    PutSubscriptionFilter does (the kit's parser, `triggers.log_filter_patterns`)."""
    logs.create_log_group(logGroupName="/app")
    code, message, status = aws_error(
        lambda: logs.filter_log_events(logGroupName="/app", filterPattern=pattern)
    )
    assert (code, status, message) == ("InvalidParameterException", 400, "Invalid filter pattern")
    arn = lam.get_function(FunctionName=fn)["Configuration"]["FunctionArn"]
    lam.add_permission(
        FunctionName=fn,
        StatementId="logs",
        Action="lambda:InvokeFunction",
        Principal="logs.amazonaws.com",
    )
    code, message, status = aws_error(
        lambda: logs.put_subscription_filter(
            logGroupName="/app", filterName="f", filterPattern=pattern, destinationArn=arn
        )
    )
    assert (code, status) == ("InvalidParameterException", 400)
    assert message.startswith("Invalid filter pattern")
    logs.filter_log_events(logGroupName="/app", filterPattern="{ $.latency > 100 }")
    logs.put_subscription_filter(
        logGroupName="/app", filterName="f", filterPattern="{ $.latency > 100 }", destinationArn=arn
    )


# --------------------------------------------- M13: an S3 notification to a missing function
def _notify(s3, arn: str) -> None:
    s3.put_bucket_notification_configuration(
        Bucket="uploads",
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}
            ]
        },
    )


@pytest.mark.parametrize("enforced", [True, False])
def test_m13_a_notification_to_a_function_that_does_not_exist_is_refused(
    fresh, s3, lam, fn, enforced
):
    # configured(): the setting comes back after the test (left off, it switched resource
    # policies off for every later test in the same worker).
    with fresh.configured(enforce_resource_policies=enforced):
        s3.create_bucket(Bucket="uploads")
        missing = lam.get_function(FunctionName=fn)["Configuration"]["FunctionArn"] + "-gone"
        code, message, status = aws_error(lambda: _notify(s3, missing))
        assert (code, status) == ("InvalidArgument", 400)
        assert message == "Unable to validate the following destination configurations"
        configured = s3.get_bucket_notification_configuration(Bucket="uploads")
        assert "LambdaFunctionConfigurations" not in configured
        # The function that exists, once it lets S3 invoke it, is taken.
        arn = lam.get_function(FunctionName=fn)["Configuration"]["FunctionArn"]
        lam.add_permission(
            FunctionName=fn,
            StatementId="s3",
            Action="lambda:InvokeFunction",
            Principal="s3.amazonaws.com",
            SourceArn="arn:aws:s3:::uploads",
        )
        _notify(s3, arn)
        configured = s3.get_bucket_notification_configuration(Bucket="uploads")
        assert configured["LambdaFunctionConfigurations"][0]["LambdaFunctionArn"] == arn


# ---------------------------------------------- M14: a `.fifo` name needs FifoQueue=true
QUEUE_NAME = "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"


@pytest.mark.parametrize("attributes", [{}, {"FifoQueue": "false"}])
def test_m14_a_queue_named_fifo_without_fifo_queue_is_refused(sqs, attributes):
    code, message, status = aws_error(
        lambda: sqs.create_queue(QueueName="orders.fifo", Attributes=attributes)
    )
    assert (code, status, message) == ("InvalidParameterValue", 400, QUEUE_NAME)
    assert "QueueUrls" not in sqs.list_queues()
    url = sqs.create_queue(QueueName="orders.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    assert url.endswith("/orders.fifo")
    assert sqs.create_queue(QueueName="orders")["QueueUrl"].endswith("/orders")
    assert sqs.create_queue(QueueName="o" * 75 + ".fifo", Attributes={"FifoQueue": "true"})


# ------------------------------ T-OD3, T-OD4 (learner trial 13): Lambda's enums, case and all
@pytest.mark.parametrize(
    ("call", "value", "where", "allowed"),
    [
        ("create", "zip", "packageType", "[Zip, Image]"),
        ("create-publish-to", "latest", "publishTo", "[LATEST_PUBLISHED]"),
        ("code", "latest", "publishTo", "[LATEST_PUBLISHED]"),
        ("publish", "LATEST", "publishTo", "[LATEST_PUBLISHED]"),
        ("permission", "none", "functionUrlAuthType", "[NONE, AWS_IAM]"),
        ("list", "all", "functionVersion", "[ALL]"),
        ("invoke", "tail", "logType", "[None, Tail]"),
    ],
)
def test_t_od3_od4_lambda_enums_outside_the_model_are_refused(
    lam, deploy, fn, call, value, where, allowed
):
    from helpers.packaging import zip_bytes

    role = lam.get_function(FunctionName=fn)["Configuration"]["Role"]
    code_zip = zip_bytes({"app.py": NOOP})
    calls = {
        "create": lambda v: lam.create_function(
            FunctionName="other",
            Runtime="python3.12",
            Role=role,
            Handler="app.handler",
            Code={"ZipFile": code_zip},
            PackageType=v,
        ),
        "create-publish-to": lambda v: lam.create_function(
            FunctionName="other",
            Runtime="python3.12",
            Role=role,
            Handler="app.handler",
            Code={"ZipFile": code_zip},
            PublishTo=v,
        ),
        "code": lambda v: lam.update_function_code(FunctionName=fn, ZipFile=code_zip, PublishTo=v),
        "publish": lambda v: lam.publish_version(FunctionName=fn, PublishTo=v),
        "permission": lambda v: lam.add_permission(
            FunctionName=fn,
            StatementId="url",
            Action="lambda:InvokeFunctionUrl",
            Principal="*",
            FunctionUrlAuthType=v,
        ),
        "list": lambda v: lam.list_functions(FunctionVersion=v),
        "invoke": lambda v: lam.invoke(FunctionName=fn, Payload=b"{}", LogType=v),
    }
    code, message, status = aws_error(lambda: calls[call](value))
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        value, where, f"Member must satisfy enum value set: {allowed}"
    )
    # The model's own spelling is taken.
    if call == "create":
        calls[call]("Zip")
    elif call == "permission":
        calls[call]("NONE")
    elif call == "list":
        assert {f["FunctionName"] for f in calls[call]("ALL")["Functions"]} == {fn}
    elif call == "invoke":
        assert "LogResult" in calls[call]("Tail")


# ------------------------ T-MD3 (learner trial 13): a trust policy's Deny wins over its Allow
ALLOW_THEN_DENY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        },
        {
            "Effect": "Deny",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        },
    ],
}


def test_t_md3_a_trust_policy_denying_lambda_after_allowing_it_is_refused(iam, lam, deploy):
    from helpers.packaging import zip_bytes

    deploy("ok", NOOP)
    role = iam.create_role(
        RoleName="m3-allow-deny", AssumeRolePolicyDocument=json.dumps(ALLOW_THEN_DENY)
    )["Role"]["Arn"]
    create = lambda name, arn: lam.create_function(  # noqa: E731
        FunctionName=name,
        Runtime="python3.12",
        Role=arn,
        Handler="app.handler",
        Code={"ZipFile": zip_bytes({"app.py": NOOP})},
    )
    code, message, status = aws_error(lambda: create("denied", role))
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert message == "The role defined for the function cannot be assumed by Lambda."
    code, message, _ = aws_error(
        lambda: lam.update_function_configuration(FunctionName="ok", Role=role)
    )
    assert message == "The role defined for the function cannot be assumed by Lambda."
    # A Deny for another service, or an Allow by a wildcard action, leaves Lambda allowed.
    other = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:Assume*",
            },
            {
                "Effect": "Deny",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            },
        ],
    }
    arn = iam.create_role(RoleName="m3-deny-ec2", AssumeRolePolicyDocument=json.dumps(other))
    create("allowed", arn["Role"]["Arn"])


# -------------------------------- T-MD12 (learner trial 13): an HTTP API stage's name
@pytest.mark.parametrize("name", ["$Default", "$prod", "prod v2", "a" * 129])
def test_t_md12_a_stage_name_outside_the_pattern_is_refused(fresh, name):
    apigw = fresh.client("apigatewayv2")
    api = apigw.create_api(Name="greetings", ProtocolType="HTTP")["ApiId"]
    code, message, status = aws_error(lambda: apigw.create_stage(ApiId=api, StageName=name))
    assert (code, status) == ("BadRequestException", 400)
    assert "Invalid StageName" in message
    assert apigw.get_stages(ApiId=api)["Items"] == []
    for good in ("$default", "prod", "v2_beta-1", "a" * 128):
        apigw.create_stage(ApiId=api, StageName=good)
    assert len(apigw.get_stages(ApiId=api)["Items"]) == 4


# ------------------------ T-ND8 (learner trial 13): a permission on `name:alias` is the alias's
@pytest.mark.parametrize("form", ["name", "arn"])
def test_t_nd8_a_permission_given_name_colon_alias_is_on_the_alias(lam, fn, form):
    version = lam.publish_version(FunctionName=fn)["Version"]
    alias = lam.create_alias(FunctionName=fn, Name="live", FunctionVersion=version)["AliasArn"]
    given = f"{fn}:live" if form == "name" else alias
    added = lam.add_permission(
        FunctionName=given,
        StatementId="nightly",
        Action="lambda:InvokeFunction",
        Principal="events.amazonaws.com",
    )
    assert json.loads(added["Statement"])["Resource"] == alias
    on_alias = json.loads(lam.get_policy(FunctionName=given)["Policy"])["Statement"]
    assert [s["Resource"] for s in on_alias] == [alias]
    # The unqualified function's own permission stays the function's.
    plain = lam.add_permission(
        FunctionName=fn,
        StatementId="plain",
        Action="lambda:InvokeFunction",
        Principal="events.amazonaws.com",
    )
    assert json.loads(plain["Statement"])["Resource"] == alias.rsplit(":", 1)[0]


# ----------------------- T-QD5 (learner trial 13): a stream's MaximumRecordAgeInSeconds
def test_t_qd5_a_stream_mapping_refuses_a_record_age_under_60_seconds(lam, fresh, fn):
    kinesis = fresh.client("kinesis")
    kinesis.create_stream(StreamName="clicks", ShardCount=1)
    arn = kinesis.describe_stream(StreamName="clicks")["StreamDescription"]["StreamARN"]
    for age in (0, 30, 59):
        code, message, status = aws_error(
            lambda age=age: lam.create_event_source_mapping(
                FunctionName=fn,
                EventSourceArn=arn,
                StartingPosition="LATEST",
                MaximumRecordAgeInSeconds=age,
            )
        )
        assert (code, status) == ("InvalidParameterValueException", 400)
        assert "-1 (no limit) or 60 to 604800 seconds" in message
    assert lam.list_event_source_mappings()["EventSourceMappings"] == []
    uuid = lam.create_event_source_mapping(
        FunctionName=fn, EventSourceArn=arn, StartingPosition="LATEST", MaximumRecordAgeInSeconds=60
    )["UUID"]
    code, _, _ = aws_error(
        lambda: lam.update_event_source_mapping(UUID=uuid, MaximumRecordAgeInSeconds=30)
    )
    assert code == "InvalidParameterValueException"
    for age in (-1, 604800):
        lam.update_event_source_mapping(UUID=uuid, MaximumRecordAgeInSeconds=age)


# ---------------------------- T-OD13 (learner trial 13): a role's MaxSessionDuration
def test_t_od13_a_role_session_over_12_hours_is_refused(iam):
    trust = json.dumps(LAMBDA_TRUST)
    code, message, status = aws_error(
        lambda: iam.create_role(
            RoleName="day", AssumeRolePolicyDocument=trust, MaxSessionDuration=86400
        )
    )
    assert (code, status) == ("ValidationError", 400)
    assert message == validation_message(
        "86400", "maxSessionDuration", "Member must have value less than or equal to 43200"
    )
    made = iam.create_role(
        RoleName="half-day", AssumeRolePolicyDocument=trust, MaxSessionDuration=43200
    )
    assert made["Role"]["MaxSessionDuration"] == 43200
    code, _, _ = aws_error(lambda: iam.update_role(RoleName="half-day", MaxSessionDuration=43201))
    assert code == "ValidationError"
    iam.update_role(RoleName="half-day", MaxSessionDuration=3600)


# ------------------------------------- T-OD16 (learner trial 13): Logs enums in another case
def test_t_od16_logs_enums_outside_the_model_are_refused(logs):
    code, message, status = aws_error(
        lambda: logs.create_log_group(logGroupName="/app", logGroupClass="standard")
    )
    assert (code, status) == ("InvalidParameterException", 400)
    assert message == validation_message(
        "standard",
        "logGroupClass",
        "Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY, ESSENTIALS]",
    )
    assert logs.describe_log_groups(logGroupNamePrefix="/app")["logGroups"] == []
    logs.create_log_group(logGroupName="/app", logGroupClass="STANDARD")
    code, message, status = aws_error(
        lambda: logs.start_query(
            logGroupName="/app",
            startTime=0,
            endTime=1,
            queryString="fields @message",
            queryLanguage="cwli",
        )
    )
    assert (code, status) == ("InvalidParameterException", 400)
    assert "Member must satisfy enum value set: [CWLI, SQL, PPL]" in message
    logs.start_query(
        logGroupName="/app",
        startTime=0,
        endTime=1,
        queryString="fields @message",
        queryLanguage="CWLI",
    )


# ---------------- T-OD7 (learner trial 13): a ConditionExpression's undefined placeholders
@pytest.mark.parametrize(
    ("condition", "extra", "says"),
    [
        (
            "attribute_not_exists(pk) OR charge_id = :id",
            {},
            "An expression attribute value used in expression is not defined; attribute value: :id",
        ),
        (
            "attribute_not_exists(#k)",
            {},
            "An expression attribute name used in the document path is not defined; attribute "
            "name: #k",
        ),
    ],
)
def test_t_od7_an_undefined_placeholder_in_a_condition_is_a_400(ddb, condition, extra, says):
    _table(ddb, "payments")
    item = {"id": {"S": "a"}}
    code, message, status = aws_error(
        lambda: ddb.put_item(
            TableName="payments", Item=item, ConditionExpression=condition, **extra
        )
    )
    assert (code, status, message) == (
        "ValidationException",
        400,
        f"Invalid ConditionExpression: {says}",
    )
    assert ddb.scan(TableName="payments")["Items"] == []
    ddb.put_item(
        TableName="payments",
        Item=item,
        ConditionExpression="attribute_not_exists(#k) OR charge_id = :id",
        ExpressionAttributeNames={"#k": "id"},
        ExpressionAttributeValues={":id": {"S": "x"}},
    )
