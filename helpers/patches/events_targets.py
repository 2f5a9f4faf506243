"""EventBridge's PutRule and PutTargets refuse what AWS refuses (learner trial 11: BD2, BD3,
BD12, BD13); moto stored all of it.

Validation errors are AWS's 400 ValidationException in its validation format ("1 validation
error detected: Value ... at ... failed to satisfy constraint: ..."), applied to the constraints
of EventBridge's API reference (https://docs.aws.amazon.com/eventbridge/latest/APIReference/, as
of 2026-12), as `events_names` does for names:

- PutRule's State is `ENABLED`, `DISABLED` or `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`
  (API_PutRule, "Valid Values"): `"Enabled"` made a rule AWS can't have, which the exercise's
  check then called disabled (BD2). Its Description holds at most 512 characters.
- A target's RetryPolicy: MaximumRetryAttempts 0 to 185, MaximumEventAgeInSeconds 60 to 86400
  (API_RetryPolicy); botocore checks only the minimums. The message for 186 retries is as an
  outside compatibility test records AWS's ("Value '186' at 'targets.1.member.retryPolicy.
  maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal
  to 185").
- A target takes at most one of Input, InputPath and InputTransformer ("Input, InputPath, and
  InputTransformer are mutually exclusive and optional parameters of a target", API_PutTargets):
  AWS answers "Only one of Input, InputPath, or InputTransformer must be provided for target
  <Id>." (ValidationException; as measured against AWS by a CDK pre-flight rule set, 2026-09, and
  as LocalStack answers). moto kept both, and the kit sent Input (BD3).
- A target's Input is "Valid JSON text passed to the target" (API_Target): text that isn't JSON
  is AWS's ValidationException "Input for target <Id> is not a valid JSON text." (as
  CloudFormation relays it, awsdocs/aws-cloudformation-user-guide#1010, and aws/aws-cli#6711).
  Any JSON value is taken, a string in quotes too. moto kept it, and the exercise's check then
  failed reading it (learner trial 12, HD7).
- A rule holds at most five targets (API_PutTargets: "Each rule can have up to five (5) targets
  associated with it at one time"): a sixth is LimitExceededException, "The requested resource
  exceeds the maximum number allowed." (as AWS CLI and Terraform users quote it, e.g.
  aws-cloudformation/cfn-lint#306; BD12). A target put again with its Id replaces itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.events import models as events_models
from moto.events import responses as events_responses

STATES = ("ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")
DESCRIPTION_MAX = 512
RETRIES_MAX = 185
EVENT_AGE = (60, 86400)
TARGETS_MAX = 5
INPUTS = ("Input", "InputPath", "InputTransformer")


class LimitExceeded(JsonRESTError):
    """EventBridge's LimitExceededException (400)."""

    def __init__(self) -> None:
        super().__init__(
            "LimitExceededException", "The requested resource exceeds the maximum number allowed."
        )


def apply() -> None:
    """Wrap moto's PutRule and PutTargets handlers (their checks come before the backend's)."""
    handler = events_responses.EventsHandler
    handler.put_rule = _rule_checked(handler.put_rule)
    handler.put_targets = _targets_checked(handler.put_targets)


def _refused(problems: list[str]) -> events_models.ValidationException:
    count = f"{len(problems)} validation error{'s' if len(problems) > 1 else ''} detected"
    return events_models.ValidationException(f"{count}: {'; '.join(problems)}")


def _constraint(value: Any, where: str, constraint: str) -> str:
    return f"Value '{value}' at '{where}' failed to satisfy constraint: {constraint}"


def _rule_checked(original: Callable) -> Callable:
    def put_rule(self: Any) -> Any:
        """PutRule refuses a State outside the enum and a Description over 512 characters."""
        problems = []
        state = self._get_param("State")
        if state is not None and state not in STATES:
            problems.append(
                _constraint(
                    state, "state", f"Member must satisfy enum value set: [{', '.join(STATES)}]"
                )
            )
        description = self._get_param("Description")
        if isinstance(description, str) and len(description) > DESCRIPTION_MAX:
            problems.append(
                _constraint(
                    description,
                    "description",
                    f"Member must have length less than or equal to {DESCRIPTION_MAX}",
                )
            )
        if problems:
            raise _refused(problems)
        return original(self)

    return put_rule


def _retry_problems(number: int, policy: Any) -> list[str]:
    if not isinstance(policy, dict):
        return []
    where = f"targets.{number}.member.retryPolicy"
    problems = []
    retries = policy.get("MaximumRetryAttempts")
    if isinstance(retries, int) and retries > RETRIES_MAX:
        problems.append(
            _constraint(
                retries,
                f"{where}.maximumRetryAttempts",
                f"Member must have value less than or equal to {RETRIES_MAX}",
            )
        )
    age = policy.get("MaximumEventAgeInSeconds")
    if isinstance(age, int) and age > EVENT_AGE[1]:
        problems.append(
            _constraint(
                age,
                f"{where}.maximumEventAgeInSeconds",
                f"Member must have value less than or equal to {EVENT_AGE[1]}",
            )
        )
    return problems


def _targets_checked(original: Callable) -> Callable:
    def put_targets(self: Any) -> Any:
        """PutTargets refuses retry limits out of range, a target with more than one input,
        and a sixth target on a rule."""
        targets = self._get_param("Targets") or []
        problems = []
        for number, target in enumerate(targets, start=1):
            if isinstance(target, dict):
                problems += _retry_problems(number, target.get("RetryPolicy"))
        if problems:
            raise _refused(problems)
        for target in targets:
            if isinstance(target, dict) and sum(1 for k in INPUTS if k in target) > 1:
                raise events_models.ValidationException(
                    "Only one of Input, InputPath, or InputTransformer must be provided for "
                    f"target {target.get('Id')}."
                )
        for target in targets:
            given = target.get("Input") if isinstance(target, dict) else None
            if isinstance(given, str) and given and not _is_json(given):
                raise events_models.ValidationException(
                    f"Input for target {target.get('Id')} is not a valid JSON text."
                )
        rule = _rule(self)
        if rule is not None:
            ids = {t.get("Id") for t in rule.targets} | {
                t.get("Id") for t in targets if isinstance(t, dict)
            }
            if len(ids) > TARGETS_MAX:
                raise LimitExceeded()
        return original(self)

    return put_targets


def _is_json(text: str) -> bool:
    """Whether `text` is JSON text (NaN and Infinity, which Python reads, are not)."""
    try:
        json.loads(text, parse_constant=_not_json)
    except ValueError:
        return False
    return True


def _not_json(constant: str) -> Any:
    raise ValueError(constant)


def _rule(handler: Any) -> Any:
    """The rule PutTargets names, or None (the backend then answers that it doesn't exist)."""
    backend = handler.events_backend
    try:
        bus = backend._get_event_bus(
            backend._normalize_event_bus_arn(handler._get_param("EventBusName"))
        )
    except Exception:  # a missing bus: the backend's own answer follows
        return None
    return bus.rules.get(handler._get_param("Rule"))
