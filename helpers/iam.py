"""Execution roles: the IAM role a function runs as (plain boto3, works on AWS unchanged)."""

from __future__ import annotations

import json

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


def execution_role(name: str = "lambda-kit-basic-execution") -> str:
    """The ARN of a role Lambda can assume, with basic logging rights (created if missing)."""
    iam = boto3.client("iam")
    try:
        return iam.get_role(RoleName=name)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        pass
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST_POLICY))["Role"][
        "Arn"
    ]
    try:
        iam.attach_role_policy(RoleName=name, PolicyArn=BASIC_EXECUTION)
    except iam.exceptions.NoSuchEntityException:
        pass  # an account without AWS's managed policies: the role still works for the kit
    return arn
