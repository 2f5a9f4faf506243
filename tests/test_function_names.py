"""Function names as Lambda's API takes and refuses them: partial ARNs, `name:$LATEST`, a
qualifier in the name that contradicts `Qualifier`, ARNs of another Region or account
(helpers/patches/function_names.py cites AWS's documentation for each)."""

from __future__ import annotations

import pytest

from tests.conftest import aws_error, call, log_messages

ROLE_POLICIES = ("arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",)

HANDLER = """
def handler(event, context):
    return {"arn": context.invoked_function_arn, "version": context.function_version}
"""

ACCOUNT = "123456789012"
PARTIAL = f"{ACCOUNT}:function:names"
ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:names"


@pytest.fixture
def names(deploy, lam) -> str:
    """Function `names` with version 1 and alias `prod` pointing to it."""
    deploy("names", HANDLER)
    version = lam.publish_version(FunctionName="names")["Version"]
    lam.create_alias(FunctionName="names", Name="prod", FunctionVersion=version)
    return "names"


# ----------------------------------------------------------------- partial ARNs (D16)
def test_partial_arn_reads_the_function(names, lam):
    assert lam.get_function(FunctionName=PARTIAL)["Configuration"]["FunctionArn"] == ARN
    assert lam.get_function_configuration(FunctionName=PARTIAL)["FunctionName"] == "names"


def test_partial_arn_updates_the_function(names, lam):
    updated = lam.update_function_configuration(FunctionName=PARTIAL, Description="partial")
    assert updated["Description"] == "partial"
    assert lam.get_function_configuration(FunctionName="names")["Description"] == "partial"


def test_partial_arn_invokes_the_function(names, lam):
    response, body = call(lam, PARTIAL)
    assert response["StatusCode"] == 200
    assert body == {"arn": ARN, "version": "$LATEST"}


def test_partial_arn_with_an_alias_invokes_its_version(names, lam):
    response, body = call(lam, f"{PARTIAL}:prod")
    assert response["ExecutedVersion"] == "1"
    assert body == {"arn": f"{ARN}:prod", "version": "1"}


def test_partial_arn_lists_the_versions(names, lam):
    versions = lam.list_versions_by_function(FunctionName=PARTIAL)["Versions"]
    assert [v["Version"] for v in versions] == ["$LATEST", "1"]


def test_partial_arn_of_a_missing_function_is_not_found(names, lam):
    assert aws_error(lambda: lam.get_function(FunctionName=f"{ACCOUNT}:function:nope")) == (
        "ResourceNotFoundException",
        f"Function not found: arn:aws:lambda:us-east-1:{ACCOUNT}:function:nope",
        404,
    )


def test_partial_arn_names_an_event_source_mapping_function(names, lam, fresh):
    sqs = fresh.client("sqs")
    url = sqs.create_queue(QueueName="names-queue")["QueueUrl"]
    queue = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    mapping = lam.create_event_source_mapping(
        EventSourceArn=queue["Attributes"]["QueueArn"], FunctionName=PARTIAL, Enabled=False
    )
    assert mapping["FunctionArn"] == ARN


# ------------------------------------------------------------------ name:$LATEST (D17)
def test_latest_in_the_name_is_the_latest_version(names, lam):
    configuration = lam.get_function(FunctionName="names:$LATEST")["Configuration"]
    assert configuration["Version"] == "$LATEST"
    assert configuration["FunctionArn"] == f"{ARN}:$LATEST"
    assert lam.get_function_configuration(FunctionName="names:$LATEST")["Version"] == "$LATEST"
    assert lam.get_function_configuration(FunctionName=f"{ARN}:$LATEST")["Version"] == "$LATEST"


# ------------------------------------------------------- contradicting qualifiers (D18)
DERIVED = "The derived qualifier from the function name does not match the specified qualifier."


def test_qualifier_contradicting_the_name_is_refused(names, lam):
    refused = ("InvalidParameterValueException", DERIVED, 400)
    assert aws_error(lambda: lam.get_function(FunctionName="names:prod", Qualifier="1")) == refused
    assert aws_error(lambda: lam.invoke(FunctionName=f"{ARN}:prod", Qualifier="1")) == refused


def test_qualifier_repeating_the_name_is_accepted(names, lam):
    found = lam.get_function(FunctionName="names:prod", Qualifier="prod")
    assert found["Configuration"]["Version"] == "1"


# ---------------------------------------------------- another Region or account (D19)
def test_arn_of_another_region_is_not_reachable(names, lam, logs):
    elsewhere = ARN.replace("us-east-1", "eu-west-1")
    assert aws_error(lambda: lam.invoke(FunctionName=elsewhere)) == (
        "ResourceNotFoundException",
        "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')",
        404,
    )
    assert aws_error(lambda: lam.get_function(FunctionName=elsewhere))[0] == (
        "ResourceNotFoundException"
    )
    assert log_messages(logs, "names") == []  # the us-east-1 function didn't run


def test_arn_of_another_account_is_refused(names, lam, logs, fresh):
    caller = fresh.client("sts").get_caller_identity()["Arn"]
    other = ARN.replace(ACCOUNT, "111122223333")
    assert aws_error(lambda: lam.invoke(FunctionName=other)) == (
        "AccessDeniedException",
        f"User: {caller} is not authorized to perform: lambda:InvokeFunction on resource: "
        f"{other} because no resource-based policy allows the lambda:InvokeFunction action",
        403,
    )
    code, message, _ = aws_error(
        lambda: lam.get_function(FunctionName="111122223333:function:names")
    )
    assert code == "AccessDeniedException"
    assert f"lambda:GetFunction on resource: {other} " in message
    assert log_messages(logs, "names") == []  # this account's function didn't run
