"""Execution roles: the IAM role a function runs as (plain boto3, works on AWS unchanged)."""

from __future__ import annotations

import json
from collections.abc import Iterable

import boto3

TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


def execution_role(
    name: str = "lambda-kit-basic-execution", *, policies: Iterable[str] = ()
) -> str:
    """The ARN of a role Lambda can assume, with basic logging rights attached when it is created.

    `policies` are more managed policies to attach, by ARN: AWS's own
    (`arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess`) or yours (`create_policy`). With
    `aws.configure(enforce_iam=True)`, the role's policies decide what the handler may call.
    """
    iam = boto3.client("iam")
    try:
        arn = iam.get_role(RoleName=name)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST_POLICY))[
            "Role"
        ]["Arn"]
        try:
            iam.attach_role_policy(RoleName=name, PolicyArn=BASIC_EXECUTION)
        except iam.exceptions.NoSuchEntityException:
            pass  # an IAM without AWS's managed policies (plain moto): the role still works
    wanted = list(policies)
    if wanted:
        pages = iam.get_paginator("list_attached_role_policies").paginate(RoleName=name)
        attached = {p["PolicyArn"] for page in pages for p in page["AttachedPolicies"]}
        for policy_arn in wanted:
            if policy_arn not in attached:
                iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
    return arn
