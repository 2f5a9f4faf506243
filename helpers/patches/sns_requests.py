"""SNS subscription attributes and structured messages that AWS refuses and moto took, or failed
on half-way (learner trial 12: HD16, KD3).

- Subscribe and SetSubscriptionAttributes: a FilterPolicyScope other than `MessageAttributes` or
  `MessageBody` (moto answered a 500 and kept an unfiltered subscription), a RawMessageDelivery
  other than true or false, a RedrivePolicy that isn't JSON or whose deadLetterTargetArn isn't an
  ARN, a FilterPolicy that is JSON but not an object (moto: a 500).
- Publish with `MessageStructure="json"`: the Message must be a JSON object with a "default" key
  ("If you set MessageStructure to json, the value of the Message parameter must: be a syntactically
  valid JSON object; and contain at least a top-level JSON key of "default" with a value that is a
  string", https://docs.aws.amazon.com/sns/latest/api/API_Publish.html, as of 2026-12).

AWS's words are those LocalStack's SNS provider answers, checked against AWS by its validated
tests (localstack/services/sns/utils.py and provider.py, as of 2026-12): InvalidParameter, 400,
"Invalid parameter: Attributes Reason: <...>" from Subscribe and "Invalid parameter: <...>" from
SetSubscriptionAttributes. A FilterPolicy that isn't an object has no published wording: the
kit's says so ("[local kit]").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from moto.sns import responses as sns_responses
from moto.sns.exceptions import SNSInvalidParameter

SCOPES = ("MessageAttributes", "MessageBody")
_ARN = re.compile(r"arn:aws[a-zA-Z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+")
NO_DEFAULT = "Invalid parameter: Message Structure - No default entry in JSON message body"
NOT_PARSED = "Invalid parameter: Message Structure - JSON message body failed to parse"


def apply() -> None:
    """Wrap moto's Subscribe, SetSubscriptionAttributes and Publish: these checks come first."""
    response = sns_responses.SNSResponse
    response.subscribe = _subscribe_checked(response.subscribe)
    response.set_subscription_attributes = _set_checked(response.set_subscription_attributes)
    response.publish = _publish_checked(response.publish)


def attribute_problem(name: str, value: Any) -> str | None:
    """What AWS says of one subscription attribute's value, without its prefix (None: fine)."""
    text = "" if value is None else str(value)
    if name == "FilterPolicyScope" and text not in SCOPES:
        return (
            f"FilterPolicyScope: Invalid value [{text}]. "
            "Please use either MessageBody or MessageAttributes"
        )
    if name == "RawMessageDelivery" and text.lower() not in ("true", "false"):
        return f"RawMessageDelivery: Invalid value [{text}]. Must be true or false."
    if name == "RedrivePolicy":
        try:
            policy = json.loads(text)
        except ValueError:
            return "RedrivePolicy: failed to parse JSON."
        target = policy.get("deadLetterTargetArn") if isinstance(policy, dict) else None
        if not isinstance(target, str) or not _ARN.fullmatch(target):
            return "RedrivePolicy: deadLetterTargetArn is an invalid arn"
    if name == "FilterPolicy" and text.strip():
        try:
            policy = json.loads(text)
        except ValueError:
            return None  # sns_subscriptions answers it in AWS's words
        if not isinstance(policy, dict):
            return "FilterPolicy: [local kit] a filter policy is a JSON object of keys to match"
    return None


def _subscribe_checked(original: Callable) -> Callable:
    def subscribe(self: Any) -> Any:
        # The raw values: moto's _get_attributes turns RawMessageDelivery into a bool first.
        for name, value in dict(self._get_param("Attributes") or {}).items():
            if problem := attribute_problem(name, value):
                raise SNSInvalidParameter(f"Invalid parameter: Attributes Reason: {problem}")
        return original(self)

    return subscribe


def _set_checked(original: Callable) -> Callable:
    def set_subscription_attributes(self: Any) -> Any:
        name = self._get_param("AttributeName") or ""
        if problem := attribute_problem(name, self._get_param("AttributeValue")):
            raise SNSInvalidParameter(f"Invalid parameter: {problem}")
        return original(self)

    return set_subscription_attributes


def _publish_checked(original: Callable) -> Callable:
    def publish(self: Any) -> Any:
        if self._get_param("MessageStructure") == "json":
            try:
                message = json.loads(self._get_param("Message") or "")
            except ValueError:
                raise SNSInvalidParameter(NOT_PARSED) from None
            if not isinstance(message, dict):
                raise SNSInvalidParameter(NOT_PARSED)
            if not isinstance(message.get("default"), str):
                raise SNSInvalidParameter(NO_DEFAULT)
        return original(self)

    return publish
