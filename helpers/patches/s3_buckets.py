"""S3 bucket names follow AWS's rules (moto checks only their length), and a bucket's ACLs are
disabled as on AWS.

AWS's rules for general purpose buckets
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html, as of 2026-12):
3 to 63 characters; lowercase letters, numbers, dots and hyphens; a letter or number first and
last; no two periods in a row; not an IP address; none of the reserved prefixes and suffixes.
A name that breaks one gets `InvalidBucketName`, "The specified bucket is not valid." (400).

ACLs: a new bucket's Object Ownership is "Bucket owner enforced" unless created otherwise, and
such a bucket accepts PUT requests with no ACL or with `bucket-owner-full-control` only; any
other ACL (a canned one such as `public-read`, or `x-amz-grant-*`) is `400
AccessControlListNotSupported`, "The bucket does not allow ACLs" (S3 User Guide, "Object
Ownership" troubleshooting and PutObject's `ACL`; as_of 2026-12-07). moto stored the ACL.
PutBucketAcl on such a bucket is refused alike. A CreateBucket whose bucket keeps the default
(or asks for BucketOwnerEnforced) with an ACL that gives anyone but the owner access
(`public-read`, `x-amz-grant-*` ...) is `400 InvalidBucketAclWithObjectOwnership`, "Bucket cannot
have ACLs set with ObjectOwnership's BucketOwnerEnforced setting" (S3 User Guide,
https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html,
which gives the text; as of 2026-12), and no bucket is made. `ObjectOwnership="ObjectWriter"`
or `"BucketOwnerPreferred"` at create keeps ACLs enabled. moto created the bucket.

Bucket policies: moto's own check of a bucket policy (on object requests) read any Condition it
could not evaluate as a Deny, so AWS's recommended "TLS only" policy (Deny when
`aws:SecureTransport` is false, https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html,
as of 2026-12) refused every request, the kit's own included. The kit evaluates the policy with
`helpers.access.conditions`: every request made through an SDK is HTTPS on AWS, so
aws:SecureTransport is true (the kit's endpoint is http://127.0.0.1, a detail of the kit); the
request's `x-amz-*` headers are S3's condition keys (`s3:x-amz-server-side-encryption` ...), and
aws:CurrentTime/aws:EpochTime read the kit's clock. Principals are read as moto read them (a
named principal other than "*" in a string is skipped). A request a Deny refuses gets S3's
`403 AccessDenied` error document, with AWS's words for a same-account request ("User: <arn> is
not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::bucket/key" with an explicit
deny in a resource-based policy", S3 User Guide, troubleshoot-403-errors, "Access denied message
examples", https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html;
as of 2026-12). moto answered a bare 403 with no body ("Forbidden").
"""

from __future__ import annotations

import contextvars
import json
import re
import time
from collections.abc import Callable
from typing import Any

from moto.s3 import models as s3_models
from moto.s3 import responses as s3_responses
from moto.s3.exceptions import InvalidBucketName, S3AccessDeniedError, S3ClientError

_SHAPE = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_IP_ADDRESS = re.compile(r"\d{1,3}(\.\d{1,3}){3}")
RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def valid_bucket_name(name: str) -> bool:
    """Whether AWS would create a general purpose bucket with this name."""
    return bool(
        _SHAPE.fullmatch(name)
        and ".." not in name
        and not _IP_ADDRESS.fullmatch(name)
        and not name.startswith(RESERVED_PREFIXES)
        and not name.endswith(RESERVED_SUFFIXES)
    )


def apply() -> None:
    """CreateBucket refuses the names AWS refuses; PUTs with an ACL a bucket has disabled fail."""
    backend = s3_models.S3Backend
    backend.create_bucket = _checked(backend.create_bucket)
    response = s3_responses.S3Response
    response._key_response_put = _acl_checked(response._key_response_put)
    response._key_response = _denied_in_s3_words(_owner_checked(response._key_response))
    response._bucket_response = _owner_checked(response._bucket_response)
    response._bucket_response_put = _bucket_acl_checked(response._bucket_response_put)
    s3_models.FakeBucket.get_permission = _get_permission


def _owner_checked(original: Callable) -> Callable:
    """A request whose `ExpectedBucketOwner` (x-amz-expected-bucket-owner) isn't the bucket's
    account: AWS's 403 AccessDenied ("Verifying bucket ownership with bucket owner condition",
    S3 User Guide; as_of 2026-12-07). moto ignored the header."""

    def response(self: Any, request: Any, full_url: str) -> Any:
        _request.set(request)  # for the bucket policy's condition keys (_get_permission)
        expected = request.headers.get("x-amz-expected-bucket-owner")
        if expected:
            bucket_name = self.parse_bucket_name_from_url(request, full_url)
            try:
                bucket = self.backend.get_bucket(bucket_name) if bucket_name else None
            except S3ClientError:
                bucket = None  # moto answers NoSuchBucket itself
            if bucket is not None and str(bucket.account_id) != str(expected):
                raise S3AccessDeniedError()
        return original(self, request, full_url)

    return response


class AccessControlListNotSupported(S3ClientError):
    def __init__(self) -> None:
        super().__init__("AccessControlListNotSupported", "The bucket does not allow ACLs")


def _acls_disabled(bucket: Any) -> bool:
    rule = getattr(bucket, "ownership_rule", None)
    if isinstance(rule, dict):  # as PutBucketOwnershipControls or CreateBucket stored it
        rules = rule.get("Rules") or rule.get("Rule") or [rule]
        rules = rules if isinstance(rules, list) else [rules]
        rule = next((r.get("ObjectOwnership") for r in rules if isinstance(r, dict)), None)
    # None: the controls were deleted (DeleteBucketOwnershipControls), and ACLs apply again.
    return rule == "BucketOwnerEnforced"


def _acl_checked(original: Callable) -> Callable:
    def _key_response_put(self: Any, query: dict[str, Any], key_name: str) -> Any:
        canned = self.headers.get("x-amz-acl")
        grants = [h for h in dict(self.headers) if str(h).lower().startswith("x-amz-grant-")]
        owner_full = canned == "bucket-owner-full-control"
        if (canned and not owner_full) or grants or ("acl" in query and not owner_full):
            try:
                bucket = self.backend.get_bucket(self.bucket_name)
            except Exception:
                bucket = None  # moto answers NoSuchBucket itself
            if bucket is not None and _acls_disabled(bucket):
                raise AccessControlListNotSupported()
        return original(self, query, key_name)

    return _key_response_put


def _checked(original: Callable) -> Callable:
    def create_bucket(self: Any, bucket_name: str, *args: Any, **kwargs: Any) -> Any:
        if not valid_bucket_name(bucket_name):
            raise InvalidBucketName()
        bucket = original(self, bucket_name, *args, **kwargs)
        # S3's default Object Ownership since April 2023, which GetBucketOwnershipControls
        # answers (a CreateBucket with x-amz-object-ownership sets its own just after).
        if getattr(bucket, "ownership_rule", None) is None:
            bucket.ownership_rule = "BucketOwnerEnforced"
        return bucket

    return create_bucket


# ------------------------------------------------------------------------ ACLs at creation
class InvalidBucketAclWithObjectOwnership(S3ClientError):
    def __init__(self) -> None:
        super().__init__(
            "InvalidBucketAclWithObjectOwnership",
            "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
        )


# Canned ACLs that give access to the owner only (the default ACL, and the one S3 accepts on
# any PUT to a bucket with ACLs disabled).
_OWNER_ONLY = (None, "private", "bucket-owner-full-control")


def _asks_for_an_acl(headers: Any) -> bool:
    canned = headers.get("x-amz-acl")
    grants = any(str(h).lower().startswith("x-amz-grant-") for h in dict(headers))
    return grants or canned not in _OWNER_ONLY


def _bucket_acl_checked(original: Callable) -> Callable:
    def _bucket_response_put(
        self: Any, request: Any, bucket_name: str, querystring: dict[str, Any]
    ) -> Any:
        headers = request.headers
        if not querystring and _asks_for_an_acl(headers):  # CreateBucket
            ownership = headers.get("x-amz-object-ownership") or "BucketOwnerEnforced"
            if ownership == "BucketOwnerEnforced":
                raise InvalidBucketAclWithObjectOwnership()
        elif "acl" in querystring and _asks_for_an_acl(headers):  # PutBucketAcl
            try:
                bucket = self.backend.get_bucket(bucket_name)
            except S3ClientError:
                bucket = None  # moto answers NoSuchBucket itself
            if bucket is not None and _acls_disabled(bucket):
                raise AccessControlListNotSupported()
        return original(self, request, bucket_name, querystring)

    return _bucket_response_put


# --------------------------------------------------------------------- bucket policies
_request: contextvars.ContextVar[Any] = contextvars.ContextVar("kit_s3_request", default=None)
_denial: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "kit_s3_denial", default=None
)


def _kit_time() -> float:
    from . import lambda_api

    runtime = lambda_api._runtime()
    return runtime.clock.time() if runtime is not None else time.time()


def request_keys(headers: Any) -> dict[str, str | None]:
    """The condition keys a request to S3 through an SDK holds (see the module's docstring)."""
    now = _kit_time()
    keys: dict[str, str | None] = {
        "aws:SecureTransport": "true",
        "aws:CurrentTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
        "aws:EpochTime": str(int(now)),
    }
    for name, value in dict(headers or {}).items():
        name = str(name).lower()
        if name.startswith("x-amz-") and name not in ("x-amz-date", "x-amz-security-token"):
            keys[f"s3:{name}"] = str(value)
    return keys


def _applies_to_the_caller(principal: Any) -> bool:
    """As moto read a statement's Principal: "*" or a map applies, another string does not."""
    return principal is None or not isinstance(principal, str) or principal == "*"


def _get_permission(self: Any, action: str, resource: str) -> Any:
    """The bucket policy's verdict on `action` (moto's PermissionResult), its conditions
    evaluated by the kit; a Deny is remembered for the AccessDenied message."""
    from moto.iam.access_control import PermissionResult

    from ..access.policies import Check, _statements

    if self.policy is None:
        return PermissionResult.NEUTRAL
    if action == "s3:HeadObject":
        action = "s3:GetObject"  # HeadObject is authorised as s3:GetObject
    document = self.policy.decode() if isinstance(self.policy, bytes) else str(self.policy)
    try:
        parsed = json.loads(document)
    except ValueError:
        return PermissionResult.NEUTRAL
    raw = parsed.get("Statement", []) if isinstance(parsed, dict) else []
    request = _request.get()
    context = request_keys(getattr(request, "headers", None))
    check = Check(action, resource)
    verdict = PermissionResult.NEUTRAL
    for item in [raw] if isinstance(raw, dict) else raw:
        if not isinstance(item, dict) or not _applies_to_the_caller(item.get("Principal")):
            continue
        single = {**parsed, "Statement": [{k: v for k, v in item.items() if k != "Principal"}]}
        for statement in _statements(json.dumps(single)):
            if not statement.applies(check, context):
                continue
            if not statement.allow:
                _denial.set((action, resource))
                return PermissionResult.DENIED
            verdict = PermissionResult.PERMITTED
    return verdict


def _caller_arn(request: Any, account_id: str, region: str) -> str | None:
    """Who signed the request, as AWS names the caller (None: unknown)."""
    from ..access.sessions import session_of

    authorization = str(getattr(request, "headers", {}).get("Authorization") or "")
    found = re.search(r"Credential=([^/,\s]+)/", authorization)
    if not found:
        return None
    session = session_of(found.group(1))
    if session is not None:
        return session.arn
    try:
        from moto.sts.models import sts_backends

        return sts_backends[account_id]["aws"].get_caller_identity(found.group(1), region)[1]
    except Exception:
        return None


class KitS3AccessDenied(S3ClientError):
    def __init__(self, message: str) -> None:
        super().__init__("AccessDenied", message)


def _denied_in_s3_words(original: Callable) -> Callable:
    """moto's bare 403 for an object request a bucket policy (or an object's ACL) refuses:
    S3's AccessDenied error document instead."""

    def response(self: Any, request: Any, full_url: str) -> Any:
        _denial.set(None)
        result = original(self, request, full_url)
        refused = isinstance(result, tuple) and result[:1] == (403,) and not result[2]
        if refused and request.method != "HEAD":  # a HEAD's answer has no body on AWS either
            denial = _denial.get()
            caller = _caller_arn(request, self.current_account, self.region)
            if denial is None or caller is None:
                raise S3AccessDeniedError()
            action, resource = denial
            raise KitS3AccessDenied(
                f'User: {caller} is not authorized to perform: {action} on resource: "{resource}" '
                "with an explicit deny in a resource-based policy"
            )
        return result

    return response
