"""The execution role, enforced: a handler's own AWS calls are allowed only by its role.

The runtime gets each environment's credentials from the local STS (`helpers.access`), and with
`aws.configure(enforce_iam=True)` the local AWS checks each call signed with them against the
role's inline and attached policies, AWS managed ones included. This module is the seam into
moto: it reads who signed a request and what it asks for, and answers a refusal as AWS does:
`AccessDeniedException` (S3, SQS, STS, IAM and CloudWatch say `AccessDenied`, SNS
`AuthorizationError`) and a message naming the role session, the action, the resource and the
reason.

Only the runtime's credentials are checked. The notebook's own calls (the learner is the
account's administrator) and the kit's own writes (logs, destinations, dead-letter queues)
are not.

IAM operations that name an AWS managed policy create it first (`helpers.access.managed`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from ..access import Denial, checks_for, decide, enforcing, materialise, s3_checks, session_of

__all__ = ["apply"]

_applied = False


# ----------------------------------------------------------- who asks, and for what
def _scope(headers: Any) -> tuple[str, str, str] | None:
    """(access key, region, signing name) from a SigV4 Authorization header."""
    auth = headers.get("Authorization") or ""
    start = auth.find("Credential=")
    if start < 0:
        return None
    parts = auth[start + 11 :].split(",", 1)[0].split("/")
    if len(parts) < 4:
        return None
    return parts[0], parts[2], parts[3]


# Signing names that differ from the IAM service prefix.
_PREFIX = {"monitoring": "cloudwatch", "email": "ses"}


def _params(response: Any) -> dict[str, Any]:
    """The request's parameters, whatever its protocol (JSON body, query or form)."""
    params = getattr(response, "params", None)
    if isinstance(params, dict) and params:
        return params
    body = getattr(response, "body", None)
    if isinstance(body, dict):
        return body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str) and body.lstrip().startswith("{"):
        try:
            loaded = json.loads(body)
            if isinstance(loaded, dict):
                return loaded
        except ValueError:
            pass
    query = getattr(response, "querystring", None) or {}
    return {k: v[0] if isinstance(v, list) and v else v for k, v in query.items()}


def _handler_session(response: Any) -> tuple[Any, tuple[str, str, str]] | None:
    """The role session that signed this request and its scope, or None when no handler did."""
    scope = _scope(response.headers)
    session = session_of(scope[0]) if scope is not None else None
    return (session, scope) if session is not None and scope is not None else None


def _denial_for(response: Any) -> Denial | None:
    """The refusal a non-S3 request earns, or None (allowed, or not a handler's request)."""
    found = _handler_session(response)
    if found is None:
        return None
    session, (_, region, signing) = found
    prefix = _PREFIX.get(signing, signing)
    operation = response._get_action()
    if not operation or f"{prefix}:{operation}" == "sts:GetCallerIdentity":
        return None  # AWS always allows GetCallerIdentity
    checks = checks_for(
        prefix,
        operation,
        _params(response),
        region,
        session.account_id,
        getattr(response, "uri", "") or getattr(response, "path", ""),
    )
    return decide(session, checks, prefix, region)


def _s3_denial(response: Any, bucket: str | None, key: str | None) -> Denial | None:
    """The refusal an S3 request earns, or None (allowed, or not a handler's request)."""
    found = _handler_session(response)
    if found is None:
        return None
    session, (_, region, _) = found
    action = response._get_action()
    sent = dict(getattr(response, "headers", None) or {})
    checks = s3_checks(action, bucket, key, sent if action == "PutObject" else None)
    if action == "PutObject" and key:
        # An upload that sets tags or an ACL also needs the right to set them (PutObject's API
        # reference, "Permissions": s3:PutObjectTagging for x-amz-tagging, s3:PutObjectAcl for
        # an ACL; as_of 2026-12-07).
        headers = {str(h).lower() for h in dict(getattr(response, "headers", None) or {})}
        if "x-amz-tagging" in headers:
            checks += s3_checks("PutObjectTagging", bucket, key)
        if "x-amz-acl" in headers or any(h.startswith("x-amz-grant-") for h in headers):
            checks += s3_checks("PutObjectAcl", bucket, key)
    return decide(session, checks, "s3", region)


def _hides_missing_key(response: Any, bucket: str | None, key: str | None) -> bool:
    """A handler's GetObject of a key that doesn't exist, from a role without s3:ListBucket on
    the bucket: AWS answers 403 AccessDenied, not 404 NoSuchKey, so that the role learns nothing
    of what the bucket holds ("If you don't have the s3:ListBucket permission, Amazon S3
    returns an HTTP status code 403 Access Denied error", the GetObject API reference)."""
    if not bucket or not key or response._get_action() not in ("GetObject", "HeadObject"):
        return False
    found = _handler_session(response)
    if found is None:
        return False
    session, _ = found
    from moto.s3.models import s3_backends

    try:
        if s3_backends[session.account_id]["aws"].get_object(bucket, key) is not None:
            return False
    except Exception:  # no such bucket: S3's own answer stands
        return False
    return decide(session, s3_checks("ListBucket", bucket, None), "s3") is not None


def _with_managed_policy(method: Callable[..., Any]) -> Callable[..., Any]:
    """`method`, creating first the AWS managed policy it names (moto loads none of them)."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        arn = kwargs.get("policy_arn", args[0] if args else None)
        if isinstance(arn, str):
            materialise(self, arn)
        return method(self, *args, **kwargs)

    return wrapper


# --------------------------------------------------------------------------------- patches
def _refusal_class() -> type:
    from moto.core.exceptions import ServiceException

    class KitAccessDenied(ServiceException):
        """A refusal, serialised in the service's own protocol (JSON, query, REST, CBOR)."""

    return KitAccessDenied


def _s3_refusal_class() -> type:
    from moto.s3.exceptions import S3ClientError

    class KitS3AccessDenied(S3ClientError):
        """S3's AccessDenied, with the reason AWS gives."""

        code = "AccessDenied"

        def __init__(self, message: str) -> None:
            super().__init__("AccessDenied", message)

    return KitS3AccessDenied


# IAM operations that name a managed policy by ARN: an AWS managed one is created first.
_POLICY_ARN_METHODS = (
    "attach_role_policy",
    "attach_user_policy",
    "attach_group_policy",
    "get_policy",
    "get_policy_version",
    "list_policy_versions",
)


def apply() -> None:
    """Install the checks and the on-demand AWS managed policies (once per process)."""
    global _applied
    if _applied:
        return
    _applied = True
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.core.responses import ActionResult, BaseResponse
    from moto.iam.models import IAMBackend

    refusal = _refusal_class()
    s3_refusal = _s3_refusal_class()
    # AccessDenied(Exception) is one of AWS's common errors, in no service's own error model:
    # without this, moto warns at every refusal.
    from moto.core import errors

    errors.COMMON_ERROR_CODES.extend(
        code
        for code in ("AccessDenied", "AccessDeniedException")
        if code not in errors.COMMON_ERROR_CODES
    )

    original_call_action = BaseResponse.call_action

    @functools.wraps(original_call_action)
    def call_action(self: Any) -> Any:
        if enforcing():
            try:
                denial = _denial_for(self)
            except Exception:  # a kit bug must not become a 500 that boto3 retries
                denial = None
            if denial is not None:
                _, headers, body = self.serialized(
                    ActionResult(refusal(denial.code, denial.message))
                )
                headers["status"] = str(denial.status)
                return denial.status, headers, body
        return original_call_action(self)

    BaseResponse.call_action = call_action

    original_s3 = ActionAuthenticatorMixin._authenticate_and_authorize_s3_action

    @functools.wraps(original_s3)
    def s3_action(self: Any, bucket_name: str | None = None, key_name: str | None = None) -> None:
        original_s3(self, bucket_name=bucket_name, key_name=key_name)
        if enforcing():
            try:
                denial = _s3_denial(self, bucket_name, key_name)
            except Exception:  # as above
                denial = None
            if denial is not None:
                raise s3_refusal(denial.message)
            if _hides_missing_key(self, bucket_name, key_name):
                raise s3_refusal("Access Denied")

    ActionAuthenticatorMixin._authenticate_and_authorize_s3_action = s3_action

    for name in _POLICY_ARN_METHODS:
        setattr(IAMBackend, name, _with_managed_policy(getattr(IAMBackend, name)))
