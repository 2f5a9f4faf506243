"""EventBridge names as AWS checks them: a rule's Name and a target's Id."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from moto.events import models as events_models

# A rule's Name and a target's Id: "Pattern: [\.\-_A-Za-z0-9]+", 1 to 64 characters (PutRule and
# Target, EventBridge API reference, https://docs.aws.amazon.com/eventbridge/latest/APIReference/,
# as of 2026-12), refused in AWS's validation format. Learner trial 10 (VD8).
EVENTS_NAME = r"[\.\-_A-Za-z0-9]+"
EVENTS_NAME_MAX = 64


def check(value: Any, where: str) -> None:
    """AWS's ValidationException for a rule name or target Id outside EventBridge's pattern."""
    text = str(value)
    if not re.fullmatch(EVENTS_NAME, text):
        constraint = f"Member must satisfy regular expression pattern: {EVENTS_NAME}"
    elif len(text) > EVENTS_NAME_MAX:
        constraint = f"Member must have length less than or equal to {EVENTS_NAME_MAX}"
    else:
        return
    raise events_models.ValidationException(
        f"1 validation error detected: Value '{text}' at '{where}' failed to satisfy "
        f"constraint: {constraint}"
    )


def named_targets(original: Callable) -> Callable:
    """PutTargets, refusing a target Id EventBridge refuses."""

    def put_targets(self: Any, name: str, event_bus_arn: Any, targets: list, *a: Any) -> Any:
        """PutTargets refuses a target Id EventBridge refuses."""
        for number, target in enumerate(targets or [], start=1):
            check(target.get("Id", ""), f"targets.{number}.member.id")
        return original(self, name, event_bus_arn, targets, *a)

    return put_targets
