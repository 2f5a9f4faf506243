"""S3 ListBuckets refuses a MaxBuckets AWS refuses (learner trial 11, CD7).

ListBuckets, max-buckets: "Valid Range: Minimum value of 1. Maximum value of 10000."
(https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html); botocore checks only
the minimum, so `MaxBuckets=100000` reached the kit and was taken. Refused with InvalidArgument
(400), S3's code for an argument out of range (e.g. max-keys); the message is the kit's own
wording of the documented range: AWS's exact words aren't published.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.s3 import responses as s3_responses
from moto.s3.exceptions import InvalidArgumentError

MAX_BUCKETS = 10_000


def _checked(original: Callable) -> Callable:
    def all_buckets(self: Any) -> Any:
        """ListBuckets refuses max-buckets outside 1 to 10,000."""
        value = self._get_param("max-buckets")
        if value is not None:
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = 0
            if not 1 <= number <= MAX_BUCKETS:
                raise InvalidArgumentError(
                    f"max-buckets must be between 1 and {MAX_BUCKETS}", "max-buckets", str(value)
                )
        return original(self)

    return all_buckets


def apply() -> None:
    """Wrap ListBuckets."""
    s3_responses.S3Response.all_buckets = _checked(s3_responses.S3Response.all_buckets)
