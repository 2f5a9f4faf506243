"""Notebook 11b's exercises: a least-privilege role, a canary on an alias."""

from __future__ import annotations

import contextlib
import math
import random
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from .core import Exercise, Incorrect
from .harness import (
    Invocation,
    Statement,
    client,
    excess_rights,
    function_config,
    invoke,
    kit,
    matches,
    role_allows,
    role_statements,
)

# ------------------------------------------------------------------ q1: least privilege
PARAMETER = "/app/db-url"
READER = "db-reader"
READER_ROLE = "db-reader-role"
# Reading a SecureString encrypted with the AWS managed key `aws/ssm` needs no kms:Decrypt in
# the role: that key's policy lets every principal of the account use it through SSM.
# https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-restrict-decryption.html
KMS_NOTE = (
    " The parameter is encrypted with the AWS managed key `aws/ssm`, whose key policy already "
    "lets every principal of the account decrypt through Parameter Store: the role needs no "
    "`kms:Decrypt` (only a customer managed key would)."
)


def _parameter_arn(region: str, account: str) -> str:
    return f"arn:aws:ssm:{region}:{account}:parameter/{PARAMETER.lstrip('/')}"


_HARD_CODED = "the handler returns a value of its own, not the parameter's"


def _reader_session() -> Any:
    """The role session of `db-reader`'s own calls, as the runtime gives it."""
    from ..access.sessions import Session

    aws = kit()
    role_arn = function_config(READER)["Role"]
    return Session(aws.account_id, role_arn, READER, function_region=aws.region)


def _reader_statements(role: str) -> list[Statement]:
    """Every statement of the role's identity policies, with their policy variables read for
    `db-reader`'s calls (`${aws:PrincipalAccount}` is the account: the ARN it names is exact,
    not a wildcard). IAM refuses a role policy of another Version than 2012-10-17."""
    from ..access.policies import read_variables, request_context

    context = request_context(_reader_session(), kit().region)
    return [
        replace(
            s,
            resources=read_variables(s.resources, context),
            not_resources=read_variables(s.not_resources, context),
        )
        for s in role_statements(role)
    ]


def _reader_may(action: str, resource: str) -> bool:
    """Whether the kit's IAM lets `db-reader`'s own calls do `action` on `resource` now: the
    role's policies as IAM holds them, read as the runtime reads them (conditions on
    `lambda:SourceFunctionArn`, `aws:userid` ... and policy variables included)."""
    from ..access.policies import Check, decide

    service = action.partition(":")[0]
    return decide(_reader_session(), [Check(action, resource)], service, kit().region) is None


def _read_by_a_new_environment(ssm: Any) -> tuple[str, Invocation]:
    """(a value the check gave the parameter for a moment, what a copy of the function, in a
    new execution environment, returned meanwhile). The parameter gets its value back, and the
    environment that read the probe at init stops: a later invoke (the next check's, the
    learner's) must not get the check's probe from it."""
    kept = ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]
    described = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [PARAMETER]}])[
        "Parameters"
    ][0]
    key = {"KeyId": described["KeyId"]} if described.get("KeyId") else {}
    probe = f"postgresql://db-{random.randbytes(3).hex()}.internal:5432/app"
    ssm.put_parameter(Name=PARAMETER, Value=probe, Type=kept["Type"], Overwrite=True, **key)
    try:
        # The function itself, in a new environment (its own role session, as a condition on
        # aws:userid expects); kit-only: the idle environments stop first.
        kit().retire_environments(READER)
        return probe, invoke(READER, {})
    finally:
        ssm.put_parameter(
            Name=PARAMETER, Value=kept["Value"], Type=kept["Type"], Overwrite=True, **key
        )
        kit().retire_environments(READER)


def _conditions(statement: Statement) -> str:
    """A statement's Condition for a message: `IpAddress` on `aws:SourceIp`, ..."""
    return ", ".join(
        f"`{operator}` on `{key}`"
        for operator, pairs in (statement.condition or {}).items()
        for key in (pairs if isinstance(pairs, dict) else {})
    )


def refusal_cause(session: Any, role: str, action: str, resource: str) -> str:
    """Learner trial 12 (JD8): why the role's session may not do `action` on `resource` when
    the role's own policies are not short of an Allow: its permissions boundary, or a Deny
    statement of its own policies, named with what to do ("" otherwise). Shared: 09 q1 uses it.

    A role may do only what both its identity policies and its boundary allow
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html), and an
    explicit Deny overrides any Allow
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
    """
    from ..access.policies import Check, decide

    with contextlib.suppress(Exception):  # a role gone meanwhile: say nothing more
        denial = decide(session, [Check(action, resource)], action.partition(":")[0], kit().region)
        if denial is None:
            return ""
        if denial.kind == "permissions boundary":
            found = client("iam").get_role(RoleName=role)["Role"].get("PermissionsBoundary") or {}
            boundary = str(found.get("PermissionsBoundaryArn", "")).rsplit("/", 1)[-1]
            return (
                f" `{role}`'s own policies allow `{action}` there, but its permissions boundary"
                + (f" `{boundary}`" if boundary else "")
                + (" denies it" if denial.explicit else " doesn't allow it")
                + ": a role may do only what both its policies and its boundary allow. Allow "
                f"`{action}` on that resource in the boundary too, or remove the boundary "
                f"(`iam.delete_role_permissions_boundary(RoleName='{role}')`)."
            )
        if denial.explicit and denial.kind == "identity-based policy":
            denies = [
                s
                for s in role_statements(role)
                if not s.allows
                and role_allows([replace(s, effect="Allow", condition=None)], action, resource)
            ]
            where = f" (in {denies[0].source})" if denies and denies[0].source else ""
            return (
                f" `{role}` has a Deny statement that covers `{action}` on that resource{where}: "
                "an explicit Deny overrides every Allow, so adding an Allow changes nothing. "
                "Remove the Deny."
            )
    return ""


def _denied_advice(role: str, arn: str) -> str:
    """What to do after an AccessDenied on the parameter: a statement for it whose Condition
    doesn't hold is named (adding "a statement for that action" would change nothing).
    aws:SourceIp is the requester's public address, for callers within the range named:
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"""
    cause = refusal_cause(_reader_session(), role, "ssm:GetParameter", arn)
    if cause:
        return cause
    statements = _reader_statements(role)
    unconditioned = [replace(s, condition=None) if s.allows else s for s in statements]
    # Conditions read in the function's own request context (its role session).
    if role_allows(unconditioned, "ssm:GetParameter", arn, role) and not _reader_may(
        "ssm:GetParameter", arn
    ):
        narrowed = [
            s
            for s in statements
            if s.allows
            and s.condition
            and role_allows([replace(s, condition=None)], "ssm:GetParameter", arn)
        ]
        if narrowed:
            first = narrowed[0]
            source_ip = "`aws:sourceip`" in _conditions(first).lower()
            return (
                f" `{role}` does have a statement that allows `ssm:GetParameter` on that "
                f"parameter (in {first.source or 'a policy'}), but its Condition "
                f"({_conditions(first)}) doesn't hold for the call `{READER}` makes, so the "
                "statement doesn't apply."
                + (
                    " `aws:SourceIp` is the public address a call comes from, and a "
                    "function's calls come from Lambda's own network (or, in a VPC, its NAT "
                    "gateway's address), not from the range your Condition names."
                    if source_ip
                    else ""
                )
                + " Remove the Condition: the task needs that action on that ARN, nothing more."
            )
    # Learner trial 10 (XW3): a near miss, another SSM action on that parameter (the plural
    # GetParameters is an action of its own: SSM's actions,
    # https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html).
    others = [
        action
        for action in _NEAR_ACTIONS
        if role_allows(statements, action, arn, role)
        and not role_allows(statements, "ssm:GetParameter", arn, role)
    ]
    if others:
        return (
            f" `{role}` allows {', '.join(f'`{a}`' for a in others)} on that parameter: "
            "another action than `ssm:GetParameter`, the one `get_parameter` needs. Allow "
            "exactly `ssm:GetParameter` on that ARN instead."
        )
    near = _near_miss_resources(statements, arn)
    if near:
        return near
    return f" Give `{role}` a statement that allows exactly that action on that resource."


def _near_miss_resources(statements: list[Statement], arn: str) -> str:
    """Learner trial 13 (PW7): a statement that allows `ssm:GetParameter` on another resource
    than the parameter's ARN (`parameter//app/db-url`, another Region or account), named with
    the ARN it should name ("" when there is none)."""
    for s in statements:
        if not s.allows or s.actions is None or s.resources is None:
            continue
        if not matches(s.actions, "ssm:GetParameter", fold=True):
            continue
        named = [r for r in s.resources if not matches([r], arn)]
        if not named:
            continue
        slash = (
            " (one slash after `parameter`: the name's own leading `/` is the separator)"
            if any("parameter//" in r for r in named)
            else ""
        )
        return (
            f" Your statement in {s.source or 'a policy'} allows `ssm:GetParameter` on "
            f"`{named[0]}`, but the parameter's ARN is `{arn}`{slash}: name that ARN exactly, "
            "its Region and account included."
        )
    return ""


# Actions a learner may write for ssm:GetParameter: each is an action of its own.
_NEAR_ACTIONS = (
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ssm:GetParameterHistory",
    "secretsmanager:GetSecretValue",
)


def _routed_elsewhere() -> str:
    """Learner trial 10 (XW4): another alias of the function that has the routing: callers
    invoke the production alias, so its weights do nothing for them."""
    with contextlib.suppress(Exception):
        pages = client("lambda").get_paginator("list_aliases").paginate(FunctionName=CANARY)
        others = [
            a["Name"]
            for page in pages
            for a in page["Aliases"]
            if a["Name"] != CANARY_ALIAS
            and ((a.get("RoutingConfig") or {}).get("AdditionalVersionWeights"))
        ]
        if others:
            return (
                f" Alias `{others[0]}` has a canary routing, but callers invoke "
                f"`{CANARY}:{CANARY_ALIAS}`: the canary goes on that alias, not on a new one."
            )
    return ""


def _check_11b_least_privilege() -> str:
    aws = kit()
    config = function_config(READER)
    role = config["Role"].rsplit("/", 1)[-1]
    if role != READER_ROLE:
        raise Incorrect(
            f"`{READER}` runs as the role `{role}`; the task is to give `{READER_ROLE}` its "
            f"right and keep `{READER}` on that role."
        )
    ssm = client("ssm")
    try:
        expected = ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]["Value"]
    except ssm.exceptions.ParameterNotFound:
        raise Incorrect(
            f"there is no parameter `{PARAMETER}` yet. Create it with `ssm.put_parameter(Name="
            f"'{PARAMETER}', Value=..., Type='SecureString')`."
        ) from None
    # Learner trial 13 (PD7): the secret re-created as a plain String (readable, unencrypted, by
    # anyone allowed ssm:GetParameter) is no SecureString any more: "SecureString ... data is
    # encrypted and decrypted using an AWS KMS key"
    # (https://docs.aws.amazon.com/systems-manager/latest/userguide/what-is-a-parameter.html).
    kind = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [PARAMETER]}])[
        "Parameters"
    ][0].get("Type")
    if kind != "SecureString":
        raise Incorrect(
            f"`{PARAMETER}` is now a `{kind}` parameter: the database URL is stored unencrypted. "
            "The task is about the SecureString parameter: put it back as one (`ssm.put_parameter"
            f"(Name='{PARAMETER}', Value=..., Type='SecureString', Overwrite=True)`).{KMS_NOTE}"
        )
    arn = _parameter_arn(aws.region, aws.account_id)
    run = invoke(READER, {})
    if run.failed:
        advice = _denied_advice(role, arn) if "AccessDenied" in run.error else ""
        raise Incorrect(f"invoking `{READER}` failed with {run.error}.{advice}")
    if run.payload != {"db_url": expected}:
        raise Incorrect(
            f"`{READER}` returned {run.payload!r}; expected {{'db_url': <the value of "
            f"{PARAMETER}>}}. Keep the handler of the answer cell, which reads the parameter."
        )
    # The role's policies now, as IAM holds them: a warm environment that read the parameter
    # before a right was taken away can't hide a missing right. And a new environment, after
    # the check changed the parameter's value, must return the new one: a hard-coded URL can't.
    statements = _reader_statements(role)
    allowed = _reader_may("ssm:GetParameter", arn)
    probe, fresh = _read_by_a_new_environment(ssm)
    if not allowed:
        if fresh.payload == {"db_url": probe}:
            cause = "IAM enforcement is off (`aws.configure(enforce_iam=True)`, kit-only)"
        elif fresh.failed:
            cause = "a warm environment still holds the value it read before; a new one fails"
        else:
            cause = _HARD_CODED
        raise Incorrect(
            f"`{READER}` answered, but `{role}` does not allow `ssm:GetParameter` on `{arn}` "
            f"now ({cause}): give the role that right."
        )
    if fresh.failed:
        raise Incorrect(f"a new environment of `{READER}` failed with {fresh.error}.")
    if fresh.payload != {"db_url": probe}:
        raise Incorrect(
            f"the check set `{PARAMETER}` to `{probe}` for a moment, and a new environment of "
            f"`{READER}` returned {fresh.payload!r}: {_HARD_CODED}. Keep the handler of the "
            "answer cell, which reads the parameter with `ssm.get_parameter`."
        )
    denies = [s for s in statements if not s.allows]
    if denies:
        logs_arn = f"arn:aws:logs:{aws.region}:{aws.account_id}:log-group:/aws/lambda/{READER}:*"
        cut = not role_allows(statements, "logs:PutLogEvents", logs_arn)
        raise Incorrect(
            f"`{role}` has a Deny statement (in {denies[0].source or 'a policy'}): the task "
            "asks for one Allow statement and no other. An identity policy needs no Deny: what "
            "no statement allows is denied already."
            + (
                " This one even denies `logs:PutLogEvents`: on AWS an explicit Deny beats every "
                f"Allow, and `{READER}` could no longer write its logs."
                if cut
                else ""
            )
        )
    # Learner trial 13 (PW2): each problem names the policy that holds it (a leftover policy of
    # a first try, beside the right one, was not named).
    sources = list(dict.fromkeys(s.source for s in statements))
    problems = [
        problem if not source or source in problem else f"{problem} (in {source})"
        for source in sources
        for problem in excess_rights(
            [s for s in statements if s.source == source], [("ssm:GetParameter", arn)]
        )
    ]
    if problems:
        kms = KMS_NOTE if any("kms:" in problem.lower() for problem in problems) else ""
        raise Incorrect(
            f"`{READER}` works, but `{role}` allows more than its handler needs: "
            f"{'; '.join(problems)}. Least privilege is one action, `ssm:GetParameter`, on one "
            f"resource, the parameter's own ARN (`{arn}`), with no wildcard and no other "
            f"statement.{kms}"
        )
    _require_log_rights(role)
    return (
        f"`{READER}` reads `{PARAMETER}`, and `{role}` allows exactly that: `ssm:GetParameter` on "
        "that one parameter, besides writing its logs. If the function is ever compromised, "
        "that is all an attacker gets."
    )


def _require_log_rights(role: str) -> None:
    """Learner trial 13 (PD12): the role stripped of its logging rights too ("exactly the right
    it needs" read as "nothing else"): `db-reader` then runs but writes no log, no error and no
    REPORT line reach CloudWatch Logs
    (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html, "Required
    IAM permissions")."""
    from datetime import UTC, datetime

    from ..runtime.logs import role_may_write

    aws = kit()
    config = function_config(READER)
    group = (config.get("LoggingConfig") or {}).get("LogGroup") or f"/aws/lambda/{READER}"
    stream = f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]check"
    if role_may_write(aws.account_id, aws.region, READER, config["Role"], group, stream):
        return
    # IAM policies name a log group with a trailing `:*` for every action but tagging
    # (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html).
    groups = client("logs").describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    create = (
        ""
        if any(g["logGroupName"] == group for g in groups)
        else f"`logs:CreateLogGroup` on `arn:aws:logs:{aws.region}:{aws.account_id}:log-group:"
        f"{group}:*` (the group doesn't exist yet; IAM names a log group with its trailing "
        "`:*`), "
    )
    raise Incorrect(
        f"`{role}` allows `ssm:GetParameter` on the parameter, but doesn't let `{READER}` "
        f"write its logs to `{group}` ({create}`logs:CreateLogStream`, `logs:PutLogEvents`): "
        "its errors and REPORT lines would be lost. Least privilege keeps the rights every "
        "function needs: attach the managed policy `AWSLambdaBasicExecutionRole` to the role "
        f"(`iam.attach_role_policy(RoleName='{role}', PolicyArn='arn:aws:iam::aws:policy/"
        "service-role/AWSLambdaBasicExecutionRole')`), or allow those actions on the "
        "group's ARN."
    )


_READER_SOLUTION = '''
import json

import boto3
from helpers.iam import BASIC_EXECUTION, execution_role
from helpers.packaging import zip_bytes

ssm = boto3.client("ssm")
iam = boto3.client("iam")
lam = boto3.client("lambda")

ssm.put_parameter(
    Name="/app/db-url",
    Value="postgresql://db.internal:5432/app",
    Type="SecureString",
    Overwrite=True,
)
# May write its logs (created if missing; the logging policy attached again if it was removed).
reader_role_arn = execution_role("db-reader-role", policies=[BASIC_EXECUTION])

account = boto3.client("sts").get_caller_identity()["Account"]
region = lam.meta.region_name
policy = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "ssm:GetParameter",
            "Resource": f"arn:aws:ssm:{region}:{account}:parameter/app/db-url",
        }
    ],
}
iam.put_role_policy(
    RoleName="db-reader-role", PolicyName="read-db-url", PolicyDocument=json.dumps(policy)
)
# Nothing else: remove other inline policies and managed policies left by earlier attempts.
for name in iam.list_role_policies(RoleName="db-reader-role")["PolicyNames"]:
    if name != "read-db-url":
        iam.delete_role_policy(RoleName="db-reader-role", PolicyName=name)
for attached in iam.list_attached_role_policies(RoleName="db-reader-role")["AttachedPolicies"]:
    if attached["PolicyName"] != "AWSLambdaBasicExecutionRole":
        iam.detach_role_policy(RoleName="db-reader-role", PolicyArn=attached["PolicyArn"])
if "PermissionsBoundary" in iam.get_role(RoleName="db-reader-role")["Role"]:
    iam.delete_role_permissions_boundary(RoleName="db-reader-role")

source = """
import boto3

ssm = boto3.client("ssm")
DB_URL = ssm.get_parameter(Name="/app/db-url", WithDecryption=True)["Parameter"]["Value"]


def handler(event, context):
    return {"db_url": DB_URL}
"""
try:
    lam.delete_function(FunctionName="db-reader")  # start afresh if it exists
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="db-reader",
    Runtime="python3.13",
    Role=reader_role_arn,
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
)
lam.get_waiter("function_active_v2").wait(FunctionName="db-reader")
'''


# ----------------------------------------------------------------------- q2: the canary
CANARY = "checkout"
CANARY_ALIAS = "live"
CANARY_WEIGHT = 0.25


def _share(weight: float) -> str:
    """A weight as the share of invocations it sends, unrounded: 0.025 is 2.5%, not 2%."""
    return f"{weight * 100:.4g}%"


def _cart() -> dict[str, Any]:
    """A cart of the check's own: its total changes at every check."""
    rng = random.Random()
    return {
        "items": [
            {"price": rng.randrange(1, 40), "quantity": rng.randrange(1, 4)}
            for _ in range(rng.randrange(1, 4))
        ]
    }


def _release(version: str, role: str, cart: dict[str, Any]) -> int:
    """Which release `version` runs (1: a total; 2: a total and free shipping), or Incorrect."""
    if version == "$LATEST" or not version.isdigit():
        raise Incorrect(
            f"`{CANARY_ALIAS}`'s {role} is `{version}`. A canary runs between two *published* "
            "versions (AWS refuses `$LATEST` in a weighted alias)."
        )
    run = invoke(CANARY, cart, qualifier=version)
    if run.failed:
        raise Incorrect(
            f"version {version} of `{CANARY}` (the alias's {role}) fails with {run.error}: a "
            "failing release is rolled back, not routed to."
        )
    total = sum(item["price"] * item["quantity"] for item in cart["items"])
    if run.payload == {"total": total}:
        return 1
    if run.payload == {"total": total, "free_shipping": total >= 50}:
        return 2
    raise Incorrect(
        f"version {version} of `{CANARY}` (the alias's {role}) returned {run.payload!r} for the "
        f"cart {cart}: neither release 1 nor release 2 of the answer cell."
    )


def _check_11b_canary() -> str:
    function_config(CANARY)
    lam = client("lambda")
    try:
        alias = lam.get_alias(FunctionName=CANARY, Name=CANARY_ALIAS)
    except lam.exceptions.ResourceNotFoundException:
        raise Incorrect(
            f"`{CANARY}` has no alias `{CANARY_ALIAS}` yet. Create it on the version in "
            f"production with `lam.create_alias(FunctionName='{CANARY}', Name='{CANARY_ALIAS}', "
            "FunctionVersion=...)`."
        ) from None
    main = alias["FunctionVersion"]
    weights = (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}
    cart = _cart()
    main_release = _release(main, "main version", cart)
    if not weights and main_release == 2:
        raise Incorrect(
            f"`{CANARY_ALIAS}` sends every invocation to version {main}, which runs release 2: "
            "that is a full release, not a canary. Keep the alias on release 1, the version in "
            f"production, and send {CANARY_WEIGHT:.0%} to release 2."
        )
    if not weights:
        raise Incorrect(
            f"`{CANARY_ALIAS}` sends every invocation to version {main}: there is no canary "
            "yet."
            + _routed_elsewhere()
            + " Keep `FunctionVersion` on the version in production and add a `RoutingConfig` "
            "with `AdditionalVersionWeights` for the new release (`lam.update_alias(...)`)."
        )
    # One other version, weighted 0.0 to 1.0, published: the kit refuses the rest, as AWS does.
    (canary, weight), *_ = weights.items()
    if canary == main:
        raise Incorrect(f"`{CANARY_ALIAS}` routes its canary share to {main}, its main version.")
    canary_release = _release(canary, "canary version", cart)
    if main_release == 2 and canary_release == 1 and math.isclose(1 - weight, CANARY_WEIGHT):
        raise Incorrect(
            f"`{CANARY_ALIAS}` does send {_share(1 - weight)} of the invocations to release 2, but "
            f"the wrong way round: its main version {main} is the new release and version "
            f"{canary}, with {_share(weight)}, is production. A canary keeps `FunctionVersion` on "
            f"the version in production ({canary}) and gives the new one ({main}) "
            f"{CANARY_WEIGHT} in `AdditionalVersionWeights`: rolling back is then removing the "
            "`RoutingConfig`, and promoting is moving `FunctionVersion`."
        )
    if main_release == 2 and canary_release == 1:
        raise Incorrect(
            f"`{CANARY_ALIAS}`'s main version {main} runs release 2 and version {canary}, with "
            f"{_share(weight)}, runs release 1: that sends {_share(1 - weight)} of the "
            "invocations to the "
            "new release. A canary is the other way round: the alias stays on release 1, in "
            f"production, and the new release gets {CANARY_WEIGHT:.0%}."
        )
    if main_release == 2:
        raise Incorrect(
            f"`{CANARY_ALIAS}`'s main version {main} already runs release 2, the new one: the "
            "alias must stay on release 1, the version in production."
        )
    if canary_release == 1:
        raise Incorrect(
            f"`{CANARY_ALIAS}` sends its canary share to version {canary}, which runs release 1, "
            "like its main version: route it to the version that runs release 2."
        )
    if abs(weight - CANARY_WEIGHT) > 1e-9:
        raise Incorrect(
            f"`{CANARY_ALIAS}` sends {_share(weight)} of the invocations to version {canary} (the "
            f"weight {weight}); a {CANARY_WEIGHT:.0%} canary has the weight {CANARY_WEIGHT}."
        )
    return (
        f"`{CANARY_ALIAS}` stays on version {main} (release 1) and sends {CANARY_WEIGHT:.0%} of "
        f"the invocations to version {canary} (release 2); both answered the check's cart. Next "
        "step: 50%, or a rollback if its errors grow."
    )


_CHECKOUT_SOLUTION = '''
import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")

checkout_1 = """
def handler(event, context):
    total = sum(item["price"] * item["quantity"] for item in event.get("items", []))
    return {"total": total}
"""
checkout_2 = """
def handler(event, context):
    total = sum(item["price"] * item["quantity"] for item in event.get("items", []))
    return {"total": total, "free_shipping": total >= 50}
"""

try:  # start afresh: deleting a function deletes its versions and aliases too
    lam.delete_function(FunctionName="checkout")
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="checkout",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": checkout_1})},
)
lam.get_waiter("function_active_v2").wait(FunctionName="checkout")
checkout_v1 = lam.publish_version(FunctionName="checkout")["Version"]
lam.create_alias(FunctionName="checkout", Name="live", FunctionVersion=checkout_v1)

lam.update_function_code(FunctionName="checkout", ZipFile=zip_bytes({"app.py": checkout_2}))
lam.get_waiter("function_updated_v2").wait(FunctionName="checkout")
checkout_v2 = lam.publish_version(FunctionName="checkout")["Version"]

lam.update_alias(
    FunctionName="checkout",
    Name="live",
    FunctionVersion=checkout_v1,
    RoutingConfig={"AdditionalVersionWeights": {checkout_v2: 0.25}},
)
'''


notebook_11b = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "`db-reader` reads the SecureString parameter `/app/db-url` at init. Give its role, "
            "`db-reader-role`, exactly the right it needs: `ssm:GetParameter` on that "
            "parameter's ARN, with no wildcard and no other statement."
        ),
        checker=_check_11b_least_privilege,
        hint_text=(
            "Read the AccessDenied message of `db-reader`: it names the action and the resource. "
            "Allow that action, spelled out, on that ARN, spelled out, in one statement of an "
            "inline policy (`iam.put_role_policy`). The parameter uses the AWS managed key: does "
            "the role need anything from KMS?"
        ),
        solution_code=_READER_SOLUTION,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "`checkout` has two published versions and an alias `live` on version 1. Start a "
            "25% canary: `live` stays on version 1 and sends a quarter of the invocations to "
            "version 2."
        ),
        checker=_check_11b_canary,
        hint_text=(
            "An alias's `FunctionVersion` gets the traffic its `RoutingConfig` doesn't send "
            "elsewhere. `AdditionalVersionWeights` maps a version to a fraction between 0 and 1. "
            "Which of the two versions is the one in production?"
        ),
        solution_code=_CHECKOUT_SOLUTION,
    ),
)
