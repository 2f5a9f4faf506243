"""S3 bucket names follow AWS's rules: moto checks only their length.

AWS's rules for general purpose buckets
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html, as of 2026-12):
3 to 63 characters; lowercase letters, numbers, dots and hyphens; a letter or number first and
last; no two periods in a row; not an IP address; none of the reserved prefixes and suffixes.
A name that breaks one gets `InvalidBucketName`, "The specified bucket is not valid." (400).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from moto.s3 import models as s3_models
from moto.s3.exceptions import InvalidBucketName

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
    """CreateBucket refuses the names AWS refuses."""
    backend = s3_models.S3Backend
    backend.create_bucket = _checked(backend.create_bucket)


def _checked(original: Callable) -> Callable:
    def create_bucket(self: Any, bucket_name: str, *args: Any, **kwargs: Any) -> Any:
        if not valid_bucket_name(bucket_name):
            raise InvalidBucketName()
        return original(self, bucket_name, *args, **kwargs)

    return create_bucket
