"""CloudFormation stacks: functions they create run; a resource that fails rolls the stack back."""

from __future__ import annotations

import json

import botocore.exceptions
import pytest

from helpers.iam import execution_role

GOOD_CODE = "def handler(event, context):\n    return {'from': 'a stack'}\n"


def template(runtime: str = "python3.13", *, queue: bool = True) -> str:
    """A queue (created first), then a function that depends on it."""
    resources: dict = {
        "Fn": {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "FunctionName": "stacked",
                "Runtime": runtime,
                "Handler": "index.handler",
                "Role": execution_role(),
                "Code": {"ZipFile": GOOD_CODE},
            },
        }
    }
    if queue:
        resources["Jobs"] = {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "stack-jobs"}}
        resources["Fn"]["DependsOn"] = "Jobs"
    return json.dumps(
        {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": resources,
            "Outputs": {"Arn": {"Value": {"Fn::GetAtt": ["Fn", "Arn"]}}},
        }
    )


@pytest.fixture
def cfn(fresh):
    return fresh.client("cloudformation")


def events(cfn, stack: str) -> list[tuple[str, str, str]]:
    found = cfn.describe_stack_events(StackName=stack)["StackEvents"]
    return [
        (e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason", ""))
        for e in found
    ]


def queue_exists(fresh) -> bool:
    return any(
        u.endswith("/stack-jobs") for u in fresh.client("sqs").list_queues().get("QueueUrls", [])
    )


def test_a_function_a_stack_creates_runs_like_any_other(fresh, cfn, lam):
    cfn.create_stack(StackName="app", TemplateBody=template())
    cfn.get_waiter("stack_create_complete").wait(StackName="app")
    stack = cfn.describe_stacks(StackName="app")["Stacks"][0]
    assert stack["Outputs"][0]["OutputValue"].endswith(":function:stacked")
    assert json.loads(lam.invoke(FunctionName="stacked")["Payload"].read()) == {"from": "a stack"}


def test_a_resource_that_fails_rolls_the_stack_back(fresh, cfn, lam):
    # Before: Lambda's JSON error came through CloudFormation's XML API (ResponseParserError).
    stack_id = cfn.create_stack(StackName="app", TemplateBody=template("python2.7"))["StackId"]
    assert stack_id.startswith("arn:aws:cloudformation:")
    with pytest.raises(botocore.exceptions.WaiterError, match="ROLLBACK_COMPLETE"):
        cfn.get_waiter("stack_create_complete").wait(StackName="app")
    stack = cfn.describe_stacks(StackName="app")["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE" and "Outputs" not in stack
    happened = events(cfn, "app")
    failed = next(reason for lid, status, reason in happened if status == "CREATE_FAILED")
    assert failed.startswith(
        'Resource handler returned message: "The runtime parameter of python2.7'
    )
    assert (
        "(Service: Lambda, Status Code: 400" in failed
        and "HandlerErrorCode: InvalidRequest" in failed
    )
    assert (
        "app",
        "ROLLBACK_IN_PROGRESS",
        "The following resource(s) failed to create: [Fn]. Rollback requested by user.",
    ) in happened
    assert ("Jobs", "DELETE_COMPLETE", "") in happened and not queue_exists(fresh)
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName="stacked")
    assert cfn.describe_stack_resources(StackName="app")["StackResources"] == []

    cfn.delete_stack(StackName="app")  # the only thing left to do with it, as on AWS
    cfn.create_stack(StackName="app", TemplateBody=template())
    cfn.get_waiter("stack_create_complete").wait(StackName="app")


def test_on_failure_do_nothing_keeps_what_was_created(fresh, cfn):
    cfn.create_stack(StackName="app", TemplateBody=template("python2.7"), OnFailure="DO_NOTHING")
    stack = cfn.describe_stacks(StackName="app")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_FAILED" and queue_exists(fresh)


def test_on_failure_delete_deletes_the_stack(fresh, cfn):
    cfn.create_stack(StackName="app", TemplateBody=template("python2.7"), OnFailure="DELETE")
    with pytest.raises(cfn.exceptions.ClientError, match="does not exist"):
        cfn.describe_stacks(StackName="app")
    assert not queue_exists(fresh)


def test_an_update_that_fails_rolls_back_to_the_running_function(fresh, cfn, lam):
    cfn.create_stack(StackName="app", TemplateBody=template(queue=False))
    cfn.get_waiter("stack_create_complete").wait(StackName="app")
    cfn.update_stack(StackName="app", TemplateBody=template("python2.7", queue=False))
    with pytest.raises(botocore.exceptions.WaiterError, match="UPDATE_ROLLBACK_COMPLETE"):
        cfn.get_waiter("stack_update_complete").wait(StackName="app")
    assert ("Fn", "UPDATE_FAILED") in [(lid, status) for lid, status, _ in events(cfn, "app")]
    assert lam.get_function(FunctionName="stacked")["Configuration"]["Runtime"] == "python3.13"
    assert json.loads(lam.invoke(FunctionName="stacked")["Payload"].read()) == {"from": "a stack"}
