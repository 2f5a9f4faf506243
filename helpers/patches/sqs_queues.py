"""A queue's RedrivePolicy naming a dead-letter queue that doesn't exist, refused as SQS does.

moto answered `AWS.SimpleQueueService.NonExistentQueue`, "Could not find DLQ for ...". SQS
answers InvalidParameterValue, "Value <the policy> for parameter RedrivePolicy is invalid.
Reason: Dead letter target does not exist." (as emulators that copy AWS's answer and users'
troubleshooting notes quote it; as of 2026-12), on CreateQueue and SetQueueAttributes alike.
So is a maxReceiveCount outside 1-1000: "... Reason: Invalid value for maxReceiveCount: 0, valid
values are from 1 to 1000 both inclusive." (as LocalStack's provider and AWS-parity emulators'
tests quote AWS; as_of 2026-12-07); moto took 0, and a queue that dead-letters every message.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from moto.sqs import models as sqs_models
from moto.sqs.exceptions import SQSException


def apply() -> None:
    """A redrive policy to a missing queue gets SQS's own error."""
    sqs_models.Queue._setup_dlq = _missing_target_refused(sqs_models.Queue._setup_dlq)


def _missing_target_refused(original: Callable) -> Callable:
    def _setup_dlq(self: Any, policy: Any) -> None:
        shown = policy if isinstance(policy, str) else json.dumps(policy)
        try:
            parsed = json.loads(policy) if isinstance(policy, str) else dict(policy or {})
            count = int(parsed.get("maxReceiveCount"))
        except (TypeError, ValueError, AttributeError):
            count = None  # moto answers a policy it can't read
        if count is not None and not 1 <= count <= 1000:
            raise SQSException(
                "InvalidParameterValue",
                f"Value {shown} for parameter RedrivePolicy is invalid. Reason: Invalid value for "
                f"maxReceiveCount: {count}, valid values are from 1 to 1000 both inclusive.",
            )
        try:
            original(self, policy)
        except SQSException as exc:
            if "NonExistentQueue" not in str(getattr(exc, "code", "")) + str(exc):
                raise
            raise SQSException(
                "InvalidParameterValue",
                f"Value {shown} for parameter RedrivePolicy is invalid. Reason: Dead letter "
                "target does not exist.",
            ) from None

    return _setup_dlq
