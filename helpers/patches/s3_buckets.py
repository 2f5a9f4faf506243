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
"""

from __future__ import annotations

import re
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
    response._key_response = _owner_checked(response._key_response)
    response._bucket_response = _owner_checked(response._bucket_response)


def _owner_checked(original: Callable) -> Callable:
    """A request whose `ExpectedBucketOwner` (x-amz-expected-bucket-owner) isn't the bucket's
    account: AWS's 403 AccessDenied ("Verifying bucket ownership with bucket owner condition",
    S3 User Guide; as_of 2026-12-07). moto ignored the header."""

    def response(self: Any, request: Any, full_url: str) -> Any:
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
        grants = [h for h in self.headers if str(h).lower().startswith("x-amz-grant-")]
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
