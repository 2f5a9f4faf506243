"""Tag condition keys: `aws:PrincipalTag/<key>` from the role's own tags, `aws:ResourceTag/<key>`
from the tags of the resource a request touches (learner trial 12, JD4).

"IAM tags – the tags attached to your IAM assumed role" are in the request context of a role
session as `aws:PrincipalTag/<key>` (IAM User Guide, "Pass session tags in AWS STS",
https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html, and "AWS global condition
context keys", aws:PrincipalTag; as of 2026-12). `aws:ResourceTag/<key>` is "the tag key-value
pair ... attached to the resource" (same page), for the resource types whose Service
Authorization Reference entries list it; the kit reads the tags of the resources it can: SSM
parameters (also as `ssm:resourceTag/<key>`), Secrets Manager secrets (also as
`secretsmanager:ResourceTag/<key>`), DynamoDB tables, SQS queues, SNS topics and Lambda
functions. Tag keys compare case-insensitively, as the conditions' keys do (`conditions`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["principal_tags", "resource_tags"]


def _pairs(tags: Any) -> dict[str, str]:
    """moto's tags as {key: value}: a dict, or a list of {"Key": ..., "Value": ...}."""
    if isinstance(tags, dict):
        if all(isinstance(v, dict) and "Key" in v for v in tags.values()):
            return {str(v["Key"]): str(v.get("Value", "")) for v in tags.values()}
        return {str(k): str(v) for k, v in tags.items()}
    if isinstance(tags, list):
        return {
            str(t.get("Key", t.get("key"))): str(t.get("Value", t.get("value", "")))
            for t in tags
            if isinstance(t, dict) and ("Key" in t or "key" in t)
        }
    return {}


def principal_tags(account_id: str, role_arn: str) -> dict[str, str]:
    """`aws:PrincipalTag/<key>` for each tag of the role (none if the role is gone)."""
    from moto.iam.models import iam_backends

    partition = role_arn.split(":")[1] if role_arn.startswith("arn:") else "aws"
    name = role_arn.rsplit("/", 1)[-1]
    try:
        backend = iam_backends[account_id][partition]
        role = next((r for r in list(backend.roles.values()) if r.name == name), None)
    except (KeyError, AttributeError):
        return {}
    if role is None:
        return {}
    return {f"aws:PrincipalTag/{k}": v for k, v in _pairs(role.tags).items()}


def resource_tags(account_id: str, resource: str | None) -> dict[str, str]:
    """`aws:ResourceTag/<key>` (and the service's own key) for the resource's tags."""
    parts = (resource or "").split(":", 5)
    if len(parts) < 6 or parts[4] != account_id:
        return {}
    service, region, rest = parts[2], parts[3], parts[5]
    try:
        tags, own = _tags_of(service, account_id, region, resource or "", rest)
    except Exception:  # a resource that doesn't exist (yet): no tags
        return {}
    keys = {f"aws:ResourceTag/{k}": v for k, v in tags.items()}
    if own:
        keys.update({f"{own}/{k}": v for k, v in tags.items()})
    return keys


def _tags_of(
    service: str, account: str, region: str, arn: str, rest: str
) -> tuple[dict[str, str], str | None]:
    if service == "ssm" and rest.startswith("parameter/"):
        from moto.ssm.models import ssm_backends

        backend = ssm_backends[account][region]
        name = rest[len("parameter") :]
        if backend.get_parameter(name) is None:
            name = name.lstrip("/")
        tags = backend._resource_tags.get("Parameter", {}).get(name, {})
        return _pairs(tags), "ssm:resourceTag"
    if service == "secretsmanager" and rest.startswith("secret:"):
        from moto.secretsmanager.models import secretsmanager_backends

        backend = secretsmanager_backends[account][region]
        secret = next((s for s in backend.secrets.values() if s.arn == arn), None)
        return _pairs(getattr(secret, "tags", None)), "secretsmanager:ResourceTag"
    if service == "dynamodb" and rest.startswith("table/"):
        from moto.dynamodb.models import dynamodb_backends

        table = dynamodb_backends[account][region].tables.get(rest.split("/")[1])
        return _pairs(getattr(table, "tags", None)), None
    if service == "sqs":
        from moto.sqs.models import sqs_backends

        queue = sqs_backends[account][region].queues.get(rest)
        return _pairs(getattr(queue, "tags", None)), None
    if service == "sns":
        from moto.sns.models import sns_backends

        topic = sns_backends[account][region].topics.get(arn)
        return _pairs(getattr(topic, "_tags", None)), None
    if service == "lambda" and rest.startswith("function:"):
        from moto.awslambda.models import lambda_backends

        name = rest.split(":")[1]
        fn = lambda_backends[account][region].get_function(name)
        return _pairs(getattr(fn, "tags", None)), None
    return {}, None
