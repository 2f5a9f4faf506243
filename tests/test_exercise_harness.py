"""The exercise harness reads policies as AWS does: least privilege and resource-based policies."""

from __future__ import annotations

import pytest

from helpers.exercises.harness import excess_rights, grants_invoke, parse_policy, role_allows

PARAM = "arn:aws:ssm:us-east-1:123456789012:parameter/app/db-url"
NEEDED = [("ssm:GetParameter", PARAM)]


def _policy(*statements: dict) -> list:
    return parse_policy({"Version": "2012-10-17", "Statement": list(statements)}, "policy `p`")


def _allow(action, resource) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource}


@pytest.mark.parametrize(
    ("statements", "problem"),
    [
        ([_allow("ssm:GetParameter*", PARAM)], "`ssm:GetParameter*` is a wildcard"),
        ([_allow("ssm:*", PARAM)], "`ssm:*` is a wildcard"),
        ([_allow("*", "*")], "`*` is a wildcard"),
        (
            [_allow("ssm:GetParameter", PARAM), _allow("kms:Decrypt", "*")],
            "`kms:Decrypt` is not needed",
        ),
        (
            [_allow("ssm:GetParameter", "arn:aws:ssm:*:*:parameter/app/db-url")],
            "is a wildcard resource",
        ),
        ([_allow(["ssm:GetParameter", "ssm:GetParameters"], PARAM)], "`ssm:GetParameters`"),
        (
            [{"Effect": "Allow", "NotAction": "iam:*", "Resource": PARAM}],
            "NotAction/NotResource",
        ),
        # A pattern that doesn't cover the needed resource is beside the point, not too wide.
        (
            [_allow("ssm:GetParameter", [PARAM, "arn:aws:ssm:*:*:parameter/other/*"])],
            "`arn:aws:ssm:*:*:parameter/other/*` is not a resource the task uses",
        ),
    ],
    ids=[
        "action-prefix",
        "service-star",
        "star",
        "extra-kms",
        "star-arn",
        "extra-action",
        "not",
        "other-pattern",
    ],
)
def test_excess_rights_names_each_over_broad_grant(statements, problem):
    problems = excess_rights(_policy(*statements), NEEDED)
    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(
    "statements",
    [
        [_allow("ssm:GetParameter", PARAM)],
        [_allow(["ssm:GetParameter"], [PARAM])],
        [_allow("ssm:GetParameter", PARAM), _allow(["logs:CreateLogStream"], "*")],
        [_allow("SSM:getparameter", PARAM)],  # actions are case-insensitive
    ],
    ids=["exact", "lists", "with-logging", "case"],
)
def test_excess_rights_accepts_exactly_what_is_needed(statements):
    assert excess_rights(_policy(*statements), NEEDED) == []


def test_excess_rights_accepts_a_narrower_pattern_than_the_one_needed():
    needed = [("s3:PutObject", "arn:aws:s3:::shop/reports/*")]
    narrower = _policy(_allow("s3:PutObject", "arn:aws:s3:::shop/reports/*.json"))
    wider = _policy(_allow("s3:PutObject", "arn:aws:s3:::shop/*"))
    assert excess_rights(narrower, needed) == []
    assert any("wildcard resource" in p for p in excess_rights(wider, needed))


def test_role_allows_honours_an_explicit_deny_and_resources(aws):
    # role_allows reads the kit's Region and account: it needs a running local AWS.
    allowed = _policy(_allow("ssm:*", "*"))
    assert role_allows(allowed, "ssm:GetParameter", PARAM)
    denied = _policy(_allow("ssm:*", "*"), {**_allow("ssm:GetParameter", PARAM), "Effect": "Deny"})
    assert not role_allows(denied, "ssm:GetParameter", PARAM)
    other = _policy(_allow("ssm:GetParameter", PARAM.replace("db-url", "other")))
    assert not role_allows(other, "ssm:GetParameter", PARAM)


BUCKET = "arn:aws:s3:::uploads"


def _permission(principal, condition=None, action="lambda:InvokeFunction") -> list:
    statement = {
        "Sid": "s",
        "Effect": "Allow",
        "Principal": {"Service": principal} if principal != "*" else "*",
        "Action": action,
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
    }
    if condition:
        statement["Condition"] = condition
    return parse_policy({"Version": "2012-10-17", "Statement": [statement]})


def test_grants_invoke_reads_principal_and_source_conditions():
    s3 = "s3.amazonaws.com"
    assert grants_invoke(_permission(s3), s3, source_arn=BUCKET)  # no condition: any bucket
    scoped = _permission(s3, {"ArnLike": {"AWS:SourceArn": BUCKET}})
    assert grants_invoke(scoped, s3, source_arn=BUCKET)
    assert not grants_invoke(scoped, s3, source_arn="arn:aws:s3:::other")
    assert not grants_invoke(scoped, "sns.amazonaws.com", source_arn=BUCKET)
    wildcard = _permission(s3, {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::up*"}})
    assert grants_invoke(wildcard, s3, source_arn=BUCKET)
    account = _permission(s3, {"StringEquals": {"AWS:SourceAccount": "123456789012"}})
    assert grants_invoke(account, s3, source_arn=BUCKET, source_account="123456789012")
    assert not grants_invoke(account, s3, source_arn=BUCKET, source_account="999999999999")
    assert not grants_invoke(_permission(s3, action="lambda:GetFunction"), s3, source_arn=BUCKET)


def test_grants_invoke_for_a_public_function_url_needs_the_auth_type():
    url = _permission(
        "*",
        {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}},
        action="lambda:InvokeFunctionUrl",
    )
    assert grants_invoke(url, "*", action="lambda:InvokeFunctionUrl", url_auth_type="NONE")
    assert not grants_invoke(url, "*", action="lambda:InvokeFunctionUrl", url_auth_type="AWS_IAM")
    assert not grants_invoke(url, "*", action="lambda:InvokeFunction")


def test_grants_invoke_reads_invoked_via_function_url():
    # A public URL's second statement lets `*` invoke only through the URL (urls-auth.html):
    # it lets no trigger in.
    for value in ("true", True):
        via_url = _permission("*", {"Bool": {"lambda:InvokedViaFunctionUrl": value}})
        assert grants_invoke(via_url, "*", via_function_url=True)
        assert not grants_invoke(via_url, "s3.amazonaws.com", source_arn=BUCKET)
        assert not grants_invoke(via_url, "*")
