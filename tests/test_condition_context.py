"""What Lambda does with the role carries the request's Region and the resource's account, so
a guard condition on them holds where AWS's would (learner trial 13, MD17/MD18)."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from helpers.exercises import harness
from helpers.iam import TRUST_POLICY
from tests.conftest import log_messages

LOG_ACTIONS = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
PRINTS = "def handler(event, context):\n    print('printed', event['n'])\n    return event['n']\n"


def _role(iam, name: str, actions: list[str], resource: str, condition: dict) -> str:
    """A role trusted by Lambda whose only statement allows `actions` under `condition`."""
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST_POLICY))
    statement = {"Effect": "Allow", "Action": actions, "Resource": resource}
    document = {"Version": "2012-10-17", "Statement": [{**statement, "Condition": condition}]}
    iam.put_role_policy(RoleName=name, PolicyName="only", PolicyDocument=json.dumps(document))
    return arn["Role"]["Arn"]


@pytest.mark.parametrize("region, written", [("us-east-1", True), ("eu-west-1", False)])
def test_log_writes_are_requested_in_the_function_region(iam, deploy, lam, logs, region, written):
    condition = {"StringEquals": {"aws:RequestedRegion": region}}
    role = _role(iam, f"logs-in-{region}", LOG_ACTIONS, "*", condition)
    deploy("regional", PRINTS, Role=role)
    assert json.loads(lam.invoke(FunctionName="regional", Payload=b'{"n": 7}')["Payload"].read())
    if written:
        assert any("printed 7" in m for m in log_messages(logs, "regional"))
    else:
        with pytest.raises(ClientError, match="ResourceNotFoundException"):
            logs.filter_log_events(logGroupName="/aws/lambda/regional")


@pytest.mark.parametrize("region, accepted", [("us-east-1", True), ("eu-west-1", False)])
def test_a_mapping_polls_its_queue_in_the_queue_region(iam, deploy, lam, sqs, region, accepted):
    queue = sqs.create_queue(QueueName="orders")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]
    actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    condition = {"StringEquals": {"aws:RequestedRegion": region}}
    role = _role(iam, f"poll-in-{region}", actions, "arn:aws:sqs:*:*:orders", condition)
    deploy("worker", PRINTS, Role=role)
    create = lambda: lam.create_event_source_mapping(  # noqa: E731
        FunctionName="worker", EventSourceArn=arn["QueueArn"]
    )
    if accepted:
        assert create()["State"] in {"Creating", "Enabled"}
    else:
        with pytest.raises(ClientError, match="does not have permissions to call ReceiveMessage"):
            create()


@pytest.mark.parametrize("account, allowed", [("123456789012", True), ("111122223333", False)])
def test_the_role_analysis_of_checks_reads_the_resource_account(fresh, account, allowed):
    statements = harness.parse_policy(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::csv-drop/*",
                    "Condition": {"StringEquals": {"aws:ResourceAccount": account}},
                }
            ],
        },
        "inline policy `only`",
    )
    assert harness.role_allows(statements, "s3:GetObject", "arn:aws:s3:::csv-drop/a.csv") is allowed
