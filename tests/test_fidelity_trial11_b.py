"""Answers as AWS gives them (learner trial 11, tester B: BD2, BD3, BD5, BD8, BD9, BD10, BD12,
BD13, BD16, BD17, BD18, BW7): what AWS refuses is refused here in AWS's words, and the valid
boundary next to it is taken."""

from __future__ import annotations

import json

import botocore.config
import pytest

from tests.conftest import aws_error, string_keyed_table

NOTHING = "def handler(event, context):\n    return None\n"
CRON = "cron(0 3 * * ? *)"


@pytest.fixture
def eb(fresh):
    # no retries: LimitExceededException is one botocore retries, as it would against AWS
    return fresh.client("events", config=botocore.config.Config(retries={"total_max_attempts": 1}))


@pytest.fixture
def ddb(fresh):
    return fresh.client("dynamodb")


@pytest.fixture
def sns(fresh):
    return fresh.client("sns")


# ------------------------------------------------------------------ EventBridge (BD2, BD3, ...)
def test_a_rule_state_outside_the_enum_is_refused_and_each_enum_value_taken(eb):  # BD2
    code, message, status = aws_error(
        lambda: eb.put_rule(Name="nightly-cleanup", ScheduleExpression=CRON, State="Enabled")
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == (
        "1 validation error detected: Value 'Enabled' at 'state' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ENABLED, DISABLED, "
        "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]"
    )
    assert eb.list_rules()["Rules"] == []  # nothing was created
    for number, state in enumerate(
        ("ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")
    ):
        eb.put_rule(Name=f"r{number}", ScheduleExpression=CRON, State=state)
        assert eb.describe_rule(Name=f"r{number}")["State"] == state


def test_a_target_with_input_and_input_path_is_refused(eb, deploy):  # BD3
    arn = deploy("cleanup", NOTHING)["FunctionArn"]
    eb.put_rule(Name="nightly-cleanup", ScheduleExpression=CRON)
    both = {"Id": "cleanup", "Arn": arn, "Input": json.dumps({"time": "x"}), "InputPath": "$"}
    code, message, status = aws_error(
        lambda: eb.put_targets(Rule="nightly-cleanup", Targets=[both])
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == (
        "Only one of Input, InputPath, or InputTransformer must be provided for target cleanup."
    )
    transformer = {"InputPathsMap": {"t": "$.time"}, "InputTemplate": '{"time": <t>}'}
    code, _, _ = aws_error(
        lambda: eb.put_targets(
            Rule="nightly-cleanup",
            Targets=[{"Id": "c", "Arn": arn, "InputPath": "$", "InputTransformer": transformer}],
        )
    )
    assert code == "ValidationException"
    assert eb.list_targets_by_rule(Rule="nightly-cleanup")["Targets"] == []
    for one in ({"Input": "{}"}, {"InputPath": "$.detail"}, {"InputTransformer": transformer}):
        answer = eb.put_targets(Rule="nightly-cleanup", Targets=[{"Id": "c", "Arn": arn, **one}])
        assert answer["FailedEntryCount"] == 0


def test_a_sixth_target_on_a_rule_is_refused(eb, deploy):  # BD12
    arn = deploy("cleanup", NOTHING)["FunctionArn"]
    eb.put_rule(Name="n", ScheduleExpression=CRON)
    five = [{"Id": f"t{i}", "Arn": arn} for i in range(5)]
    assert eb.put_targets(Rule="n", Targets=five)["FailedEntryCount"] == 0
    # the same five again replace themselves
    assert eb.put_targets(Rule="n", Targets=five)["FailedEntryCount"] == 0
    code, message, status = aws_error(
        lambda: eb.put_targets(Rule="n", Targets=[{"Id": "t5", "Arn": arn}])
    )
    assert (code, message, status) == (
        "LimitExceededException",
        "The requested resource exceeds the maximum number allowed.",
        400,
    )
    assert len(eb.list_targets_by_rule(Rule="n")["Targets"]) == 5
    code, _, _ = aws_error(
        lambda: eb.put_targets(Rule="m", Targets=[{"Id": f"t{i}", "Arn": arn} for i in range(6)])
    )
    assert code == "ResourceNotFoundException"  # a missing rule is still named as missing
    eb.put_rule(Name="m", ScheduleExpression=CRON)
    code, _, _ = aws_error(
        lambda: eb.put_targets(Rule="m", Targets=[{"Id": f"t{i}", "Arn": arn} for i in range(6)])
    )
    assert code == "LimitExceededException"


def test_rule_description_and_target_retry_limits(eb, deploy):  # BD13
    arn = deploy("cleanup", NOTHING)["FunctionArn"]
    code, message, status = aws_error(
        lambda: eb.put_rule(Name="n", ScheduleExpression=CRON, Description="d" * 513)
    )
    assert (code, status) == ("ValidationException", 400)
    assert message.endswith(
        "at 'description' failed to satisfy constraint: Member must have length less than or "
        "equal to 512"
    )
    eb.put_rule(Name="n", ScheduleExpression=CRON, Description="d" * 512)
    too_many = {"MaximumRetryAttempts": 186}
    code, message, status = aws_error(
        lambda: eb.put_targets(Rule="n", Targets=[{"Id": "c", "Arn": arn, "RetryPolicy": too_many}])
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == (
        "1 validation error detected: Value '186' at "
        "'targets.1.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: "
        "Member must have value less than or equal to 185"
    )
    too_old = {"MaximumEventAgeInSeconds": 86401}
    code, message, _ = aws_error(
        lambda: eb.put_targets(Rule="n", Targets=[{"Id": "c", "Arn": arn, "RetryPolicy": too_old}])
    )
    assert code == "ValidationException"
    assert "Member must have value less than or equal to 86400" in message
    edge = {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400}
    eb.put_targets(Rule="n", Targets=[{"Id": "c", "Arn": arn, "RetryPolicy": edge}])
    assert eb.list_targets_by_rule(Rule="n")["Targets"][0]["RetryPolicy"] == edge


def test_add_permission_source_account_is_twelve_digits(eb, lam, deploy):  # BD13
    deploy("cleanup", NOTHING)
    rule = eb.put_rule(Name="n", ScheduleExpression=CRON)["RuleArn"]
    grant = {
        "FunctionName": "cleanup",
        "Action": "lambda:InvokeFunction",
        "Principal": "events.amazonaws.com",
        "SourceArn": rule,
    }
    code, message, status = aws_error(
        lambda: lam.add_permission(StatementId="a", SourceAccount="12345", **grant)
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == (
        "1 validation error detected: Value '12345' at 'sourceAccount' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: \\d{12}"
    )
    lam.add_permission(StatementId="a", SourceAccount="123456789012", **grant)


# --------------------------------------------------------------------------- SNS (BD5, BD17)
def test_publish_with_an_attribute_without_value_is_refused_not_a_crash(sns, lam, deploy):  # BD5
    arn = deploy("pager", NOTHING)["FunctionArn"]
    topic = sns.create_topic(Name="incidents")["TopicArn"]
    lam.add_permission(
        FunctionName="pager",
        StatementId="sns",
        Action="lambda:InvokeFunction",
        Principal="sns.amazonaws.com",
        SourceArn=topic,
    )
    policy = {"severity": [{"equals-ignore-case": "critical"}]}
    sns.subscribe(
        TopicArn=topic,
        Protocol="lambda",
        Endpoint=arn,
        Attributes={"FilterPolicy": json.dumps(policy)},
    )
    for attribute in ({"DataType": "String"}, {"DataType": "String", "StringValue": ""}):
        code, message, status = aws_error(
            lambda attribute=attribute: sns.publish(
                TopicArn=topic, Message="x", MessageAttributes={"severity": attribute}
            )
        )
        assert (code, status) == ("ParameterValueInvalid", 400)
        assert message == (
            "The message attribute 'severity' must contain non-empty message attribute value "
            "for message attribute type 'String'."
        )
    sns.publish(
        TopicArn=topic,
        Message="x",
        MessageAttributes={"severity": {"DataType": "String", "StringValue": "Critical"}},
    )
    entry = {"Id": "1", "Message": "x", "MessageAttributes": {"severity": {"DataType": "String"}}}
    code, _, _ = aws_error(
        lambda: sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[entry])
    )
    assert code == "ParameterValueInvalid"
    entry["MessageAttributes"]["severity"]["StringValue"] = "critical"
    answer = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[entry])
    assert [e["Id"] for e in answer["Successful"]] == ["1"]


def test_publish_refuses_attribute_names_and_an_empty_message_as_sns_does(sns):  # BD17
    topic = sns.create_topic(Name="incidents")["TopicArn"]

    def publish(name: str, message: str = "x") -> dict:
        value = {"DataType": "String", "StringValue": "critical"}
        return sns.publish(TopicArn=topic, Message=message, MessageAttributes={name: value})

    code, message, status = aws_error(lambda: publish("sev erity"))
    assert (code, status) == ("ParameterValueInvalid", 400)
    assert message == (
        "Invalid non-alphanumeric character '#x20' was found in the message attribute name. "
        "Can only include alphanumeric characters, hyphens, underscores, or dots."
    )
    for name, words in (
        (".severity", "starting with character '.'"),
        ("severity.", "ending with character '.'"),
        ("sev..erity", "successive '.'"),
    ):
        code, message, _ = aws_error(lambda name=name: publish(name))
        assert code == "ParameterValueInvalid"
        assert words in message
    code, message, status = aws_error(lambda: sns.publish(TopicArn=topic, Message=""))
    assert (code, message, status) == ("InvalidParameter", "Invalid parameter: Empty message", 400)
    # every allowed character, and SNS's own AWS.SNS.SMS.* attributes, are taken
    assert publish("Sev_er-i.ty9")["MessageId"]
    assert publish("AWS.SNS.SMS.SMSType")["MessageId"]


def test_a_fifo_topic_takes_sqs_subscriptions_only(sns, sqs, deploy):  # BD17
    arn = deploy("pager", NOTHING)["FunctionArn"]
    topic = sns.create_topic(Name="incidents.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    code, message, status = aws_error(
        lambda: sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)
    )
    assert (code, message, status) == (
        "InvalidParameter",
        "Invalid parameter: Invalid protocol type: lambda",
        400,
    )
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []
    url = sqs.create_queue(QueueName="pager.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    queue = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue["QueueArn"])
    standard = sns.create_topic(Name="incidents")["TopicArn"]
    sns.subscribe(TopicArn=standard, Protocol="lambda", Endpoint=arn)


# ----------------------------------------------------------------------------- Lambda (BD8)
@pytest.mark.parametrize(
    ("kind", "destination", "taken"),
    [
        ("OnFailure", "arn:aws:logs:us-east-1:123456789012:log-group:payments-failed", False),
        ("OnFailure", "arn:aws:dynamodb:us-east-1:123456789012:table/payments", False),
        ("OnSuccess", "arn:aws:s3:::payments-records", False),
        ("OnFailure", "arn:aws:s3:::payments-records", True),
        ("OnFailure", "arn:aws:sqs:us-east-1:123456789012:payments-failed", True),
        ("OnSuccess", "arn:aws:sns:us-east-1:123456789012:payments", True),
        ("OnSuccess", "arn:aws:lambda:us-east-1:123456789012:function:audit", True),
        ("OnFailure", "arn:aws:events:us-east-1:123456789012:event-bus/default", True),
    ],
)
def test_an_async_destination_of_another_service_is_refused(lam, deploy, kind, destination, taken):
    deploy("payments", NOTHING)
    config = {kind: {"Destination": destination}}

    def put() -> dict:
        return lam.put_function_event_invoke_config(
            FunctionName="payments", MaximumRetryAttempts=1, DestinationConfig=config
        )

    if taken:
        assert put()["DestinationConfig"][kind]["Destination"] == destination
        return
    code, message, status = aws_error(put)
    assert (code, message, status) == (
        "InvalidParameterValueException",
        f"The destination ARN {destination} is invalid.",
        400,
    )
    code, _, _ = aws_error(lambda: lam.get_function_event_invoke_config(FunctionName="payments"))
    assert code == "ResourceNotFoundException"  # nothing was kept
    lam.put_function_event_invoke_config(FunctionName="payments", MaximumRetryAttempts=1)
    code, _, _ = aws_error(
        lambda: lam.update_function_event_invoke_config(
            FunctionName="payments", DestinationConfig=config
        )
    )
    assert code == "InvalidParameterValueException"


# ---------------------------------------------------------------------- DynamoDB (BD9, ...)
def _deposit(number: int, return_values: str) -> dict:
    return {
        "Put": {
            "TableName": "bank",
            "Item": {"pk": {"S": f"deposit#{number}"}},
            "ConditionExpression": "attribute_not_exists(pk)",
            "ReturnValuesOnConditionCheckFailure": return_values,
        }
    }


def test_return_values_on_condition_check_failure_is_all_old_or_none(ddb):  # BD9
    string_keyed_table(ddb, "bank")
    code, message, status = aws_error(
        lambda: ddb.transact_write_items(TransactItems=[_deposit(1, "ALL_NEW")])
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == (
        "1 validation error detected: Value 'ALL_NEW' at "
        "'transactItems.1.member.put.returnValuesOnConditionCheckFailure' failed to satisfy "
        "constraint: Member must satisfy enum value set: [ALL_OLD, NONE]"
    )
    assert ddb.scan(TableName="bank")["Items"] == []  # nothing was written
    code, message, _ = aws_error(
        lambda: ddb.put_item(
            TableName="bank",
            Item={"pk": {"S": "a"}},
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_NEW",
        )
    )
    assert code == "ValidationException"
    assert "at 'returnValuesOnConditionCheckFailure' failed to satisfy" in message
    ddb.transact_write_items(TransactItems=[_deposit(1, "ALL_OLD"), _deposit(2, "NONE")])
    assert len(ddb.scan(TableName="bank")["Items"]) == 2


def test_a_client_request_token_holds_at_most_36_characters(ddb):  # BD9
    string_keyed_table(ddb, "bank")
    code, message, status = aws_error(
        lambda: ddb.transact_write_items(
            ClientRequestToken="x" * 37, TransactItems=[_deposit(1, "NONE")]
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert message.endswith(
        "at 'clientRequestToken' failed to satisfy constraint: Member must have length less "
        "than or equal to 36"
    )
    ddb.transact_write_items(ClientRequestToken="x" * 36, TransactItems=[_deposit(1, "NONE")])
    assert len(ddb.scan(TableName="bank")["Items"]) == 1


def test_a_number_that_is_not_one_is_a_validation_error_not_a_crash(ddb):  # BD10
    string_keyed_table(ddb, "bank")
    for text in ("ten", "None", " 10", "NaN", "Infinity"):
        code, message, status = aws_error(
            lambda text=text: ddb.update_item(
                TableName="bank",
                Key={"pk": {"S": "a"}},
                UpdateExpression="ADD balance :t",
                ExpressionAttributeValues={":t": {"N": text}},
            )
        )
        assert (code, message, status) == (
            "ValidationException",
            f"The parameter cannot be converted to a numeric value: {text}",
            400,
        )
    code, _, _ = aws_error(
        lambda: ddb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": "bank",
                        "Key": {"pk": {"S": "a"}},
                        "UpdateExpression": "ADD balance :t",
                        "ExpressionAttributeValues": {":t": {"N": "ten"}},
                    }
                }
            ]
        )
    )
    assert code == "ValidationException"
    for text in ("10", "-2.5", "1e3"):
        ddb.update_item(
            TableName="bank",
            Key={"pk": {"S": "a"}},
            UpdateExpression="ADD balance :t",
            ExpressionAttributeValues={":t": {"N": text}},
        )
    item = ddb.get_item(TableName="bank", Key={"pk": {"S": "a"}})["Item"]
    assert float(item["balance"]["N"]) == 1007.5


def test_table_names_and_billing_modes_as_dynamodb_takes_them(ddb):  # BD18, BW7
    def create(name: str, mode: str = "PAY_PER_REQUEST") -> dict:
        return ddb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode=mode,
        )

    code, message, status = aws_error(lambda: create("bank 3"))
    assert (code, status) == ("ValidationException", 400)
    assert message == (
        "1 validation error detected: Value 'bank 3' at 'tableName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
    )
    code, message, _ = aws_error(lambda: create("ab"))
    assert message.endswith("Member must have length greater than or equal to 3")
    code, message, _ = aws_error(lambda: create("b" * 256))
    assert message.endswith("Member must have length less than or equal to 255")
    code, message, status = aws_error(lambda: create("bank", "ON_DEMAND"))
    assert (code, status) == ("ValidationException", 400)
    assert message == (
        "1 validation error detected: Value 'ON_DEMAND' at 'billingMode' failed to satisfy "
        "constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]"
    )
    assert ddb.list_tables()["TableNames"] == []
    for name in ("abc", "Bank_3.v-2", "b" * 255):
        create(name)
    assert len(ddb.list_tables()["TableNames"]) == 3


# ------------------------------------------------------------------------ SnapStart (BD16)
def test_snapstart_is_kept_on_python_3_12_and_later(lam, deploy):  # BD16
    deploy("resize", NOTHING, Runtime="python3.13", SnapStart={"ApplyOn": "PublishedVersions"})
    latest = lam.get_function_configuration(FunctionName="resize")["SnapStart"]
    assert latest == {"ApplyOn": "PublishedVersions", "OptimizationStatus": "Off"}
    version = lam.publish_version(FunctionName="resize")["Version"]
    published = lam.get_function_configuration(FunctionName="resize", Qualifier=version)
    assert published["SnapStart"] == {"ApplyOn": "PublishedVersions", "OptimizationStatus": "On"}
    lam.update_function_configuration(FunctionName="resize", SnapStart={"ApplyOn": "None"})
    lam.get_waiter("function_updated_v2").wait(FunctionName="resize")
    off = lam.get_function_configuration(FunctionName="resize")["SnapStart"]
    assert off == {"ApplyOn": "None", "OptimizationStatus": "Off"}
    code, message, status = aws_error(
        lambda: deploy(
            "old", NOTHING, Runtime="python3.11", SnapStart={"ApplyOn": "PublishedVersions"}
        )
    )
    assert (code, message, status) == (
        "InvalidParameterValueException",
        "python3.11 is not supported for SnapStart enabled functions.",
        400,
    )
    deploy("plain", NOTHING, Runtime="python3.11", SnapStart={"ApplyOn": "None"})
    plain = lam.get_function_configuration(FunctionName="plain")["SnapStart"]
    assert plain == {"ApplyOn": "None", "OptimizationStatus": "Off"}
