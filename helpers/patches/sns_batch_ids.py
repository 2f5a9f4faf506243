"""SNS PublishBatch refuses an entry Id AWS refuses (learner trial 11, ED3).

PublishBatchRequestEntry, Id: "This identifier can have up to 80 characters. The following
characters are accepted: alphanumeric characters, hyphens(-), and underscores (_)."
(https://docs.aws.amazon.com/sns/latest/api/API_PublishBatchRequestEntry.html). AWS refuses the
whole request with InvalidBatchEntryId (400), "The Id of a batch entry in a batch request doesn't
abide by the specification." (PublishBatch, Errors,
https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html; the error's exact words on the
wire aren't published: these are the docs'). moto took `r-123:1000.15` and `r 1`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from moto.sns import responses as sns_responses
from moto.sns.exceptions import SNSException

ENTRY_ID = re.compile(r"[A-Za-z0-9_-]{1,80}")


class InvalidBatchEntryId(SNSException):
    code = "InvalidBatchEntryId"


def check(entries: Any) -> None:
    """InvalidBatchEntryId for an entry Id outside SNS's specification."""
    for entry in entries or []:
        entry_id = str((entry or {}).get("Id", ""))
        if not ENTRY_ID.fullmatch(entry_id):
            raise InvalidBatchEntryId(
                "The Id of a batch entry in a batch request doesn't abide by the specification. "
                f"(Id '{entry_id}': up to 80 letters, digits, hyphens and underscores.)"
            )


def _checked(original: Callable) -> Callable:
    def publish_batch(self: Any) -> Any:
        """PublishBatch refuses an entry Id SNS refuses, before anything is published."""
        check(self._get_param("PublishBatchRequestEntries"))
        return original(self)

    return publish_batch


def apply() -> None:
    """Wrap PublishBatch (after `sns_publish`: this check comes first)."""
    sns_responses.SNSResponse.publish_batch = _checked(sns_responses.SNSResponse.publish_batch)
