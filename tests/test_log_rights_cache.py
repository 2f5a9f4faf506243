"""Lambda's own log writes ask IAM on every invoke; the answer may be kept between invokes only
while nothing it depends on changed (issue 13: the warm invoke's cost). Every IAM change to the
role must be seen by the very next invoke: its inline and attached policies, a managed policy's
default version, its permissions boundary, a condition on the kit's clock or on its tags."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from helpers.iam import TRUST_POLICY
from helpers.packaging import zip_bytes
from tests.conftest import call, log_messages

PRINTS = "def handler(event, context):\n    print('MARK', event['n'])\n"
LOGS = {
    "Effect": "Allow",
    "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
    "Resource": "*",
}
S3_ONLY = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}


def document(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@pytest.fixture
def marks(fresh, lam, iam, logs):
    """Function `cached` on role `cached-role` (no policy yet); `written(n)` invokes it with
    mark n and says whether that invoke's line reached CloudWatch Logs."""
    arn = iam.create_role(RoleName="cached-role", AssumeRolePolicyDocument=json.dumps(TRUST_POLICY))
    lam.create_function(
        FunctionName="cached",
        Runtime="python3.12",
        Role=arn["Role"]["Arn"],
        Handler="app.handler",
        Code={"ZipFile": zip_bytes({"app.py": PRINTS})},
    )
    counter = iter(range(1, 1000))

    def written() -> bool:
        n = next(counter)
        response, _ = call(lam, "cached", {"n": n})
        assert "FunctionError" not in response
        return any(m.startswith(f"MARK {n}") for m in log_messages(logs, "cached"))

    return written


def test_every_change_to_the_roles_policies_is_seen_by_the_next_invoke(marks, iam):
    assert not marks()  # no policy: no log rights
    iam.put_role_policy(RoleName="cached-role", PolicyName="logs", PolicyDocument=document(LOGS))
    assert marks() and marks()  # twice: the second may come from what was kept
    iam.delete_role_policy(RoleName="cached-role", PolicyName="logs")
    assert not marks()

    # An attached managed policy, and a new default version of it.
    managed = iam.create_policy(PolicyName="cached-logs", PolicyDocument=document(LOGS))
    managed = managed["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="cached-role", PolicyArn=managed)
    assert marks() and marks()
    iam.create_policy_version(
        PolicyArn=managed, PolicyDocument=document(S3_ONLY), SetAsDefault=True
    )
    assert not marks()
    iam.set_default_policy_version(PolicyArn=managed, VersionId="v1")
    assert marks()
    iam.detach_role_policy(RoleName="cached-role", PolicyArn=managed)
    assert not marks()
    iam.attach_role_policy(RoleName="cached-role", PolicyArn=managed)
    assert marks()

    # A permissions boundary, put and taken away.
    boundary = iam.create_policy(PolicyName="s3-only", PolicyDocument=document(S3_ONLY))
    iam.put_role_permissions_boundary(
        RoleName="cached-role", PermissionsBoundary=boundary["Policy"]["Arn"]
    )
    assert not marks()
    iam.delete_role_permissions_boundary(RoleName="cached-role")
    assert marks()

    # An explicit Deny next to the Allow.
    deny = {"Effect": "Deny", "Action": "logs:PutLogEvents", "Resource": "*"}
    iam.put_role_policy(RoleName="cached-role", PolicyName="deny", PolicyDocument=document(deny))
    assert not marks()
    iam.delete_role_policy(RoleName="cached-role", PolicyName="deny")
    assert marks()


def test_rights_under_a_condition_are_asked_again_on_each_invoke(marks, iam, fresh):
    # Until an hour from now on the kit's clock; then the clock moves past it.
    until = (fresh.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    timed = dict(LOGS, Condition={"DateLessThan": {"aws:CurrentTime": until}})
    iam.put_role_policy(RoleName="cached-role", PolicyName="logs", PolicyDocument=document(timed))
    assert marks() and marks()
    fresh.advance_clock(hours=2)
    assert not marks()

    # On the role's own tags (aws:PrincipalTag): untagging takes the rights away at once.
    tagged = dict(LOGS, Condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}})
    iam.put_role_policy(RoleName="cached-role", PolicyName="logs", PolicyDocument=document(tagged))
    assert not marks()
    iam.tag_role(RoleName="cached-role", Tags=[{"Key": "team", "Value": "blue"}])
    assert marks() and marks()
    iam.untag_role(RoleName="cached-role", TagKeys=["team"])
    assert not marks()
