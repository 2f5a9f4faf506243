"""SNS Publish refuses the message attributes and messages AWS refuses (learner trial 11: BD5,
BD17), before the message reaches a subscription.

- An attribute without a value (`{"DataType": "String"}` alone, or an empty StringValue):
  "The message attribute 'severity' must contain non-empty message attribute value for message
  attribute type 'String'." (InvalidParameterValue, 400; MessageAttributeValue, "Name, type, and
  value must not be empty or null", https://docs.aws.amazon.com/sns/latest/api/
  API_MessageAttributeValue.html; the words are those of LocalStack's SNS provider, whose tests
  are validated against AWS, as of 2026-12). moto stored the attribute with no value: a filter
  policy with `equals-ignore-case` then crashed the kit (a 500).
- An attribute name outside `A-Z a-z 0-9 _ - .`, beginning or ending with `.`, or with `..`
  ("Amazon SNS message attributes", https://docs.aws.amazon.com/sns/latest/dg/
  sns-message-attributes.html: "Name ... can contain the following characters: A-Z, a-z, 0-9,
  underscore (_), hyphen (-), and period (.). The name must not start or end with a period, and
  it should not have successive periods"; the messages as LocalStack's provider has them). A name
  beginning with `AWS.` is not refused: SNS's own SMS attributes (`AWS.SNS.SMS.SMSType`) are
  given that way (https://docs.aws.amazon.com/sns/latest/dg/sms_publish-to-phone.html).
- An empty Message: "Invalid parameter: Empty message" (InvalidParameter, 400; as AWS CLI users
  quote it, and as LocalStack answers).

Subscribe, too: a FIFO topic delivers to SQS queues only ("Message delivery from Amazon SNS FIFO
topics", https://docs.aws.amazon.com/sns/latest/dg/fifo-message-delivery.html; a `lambda`
subscription to `incidents.fifo` was taken, BD17), and AWS answers another protocol with
"Invalid parameter: Invalid protocol type: lambda" (InvalidParameter, 400; as Terraform users
quote it, and as a CDK pre-flight rule set measured it, as of 2026-12).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from moto.sns import responses as sns_responses
from moto.sns.exceptions import SNSException, SNSInvalidParameter

NAME = re.compile(r"[A-Za-z0-9_\-.]+")


class InvalidParameterValue(SNSException):
    """SNS's InvalidParameterValueException (on the wire, "ParameterValueInvalid", 400)."""

    code = "InvalidParameterValueException"


def apply() -> None:
    """Wrap moto's Publish (after `sns_subscriptions`: these checks come first)."""
    response = sns_responses.SNSResponse
    response.publish = _checked(response.publish)
    response.subscribe = _fifo_to_sqs_only(response.subscribe)
    response.publish_batch = _batch_checked(response.publish_batch)


def check_name(name: str) -> None:
    """InvalidParameterValue for a message attribute name SNS refuses."""
    if name.startswith("."):
        raise InvalidParameterValue(
            "Invalid message attribute name starting with character '.' was found."
        )
    if name.endswith("."):
        raise InvalidParameterValue(
            "Invalid message attribute name ending with character '.' was found."
        )
    for char in name:
        if not NAME.fullmatch(char):
            raise InvalidParameterValue(
                f"Invalid non-alphanumeric character '#x{ord(char):X}' was found in the message "
                "attribute name. Can only include alphanumeric characters, hyphens, underscores, "
                "or dots."
            )
    if ".." in name:
        raise InvalidParameterValue("Message attribute name can not have successive '.' character.")


def check_value(name: str, attribute: Any) -> None:
    """InvalidParameterValue for an attribute whose value is missing or empty."""
    if not isinstance(attribute, dict):
        return
    data_type = attribute.get("DataType") or ""
    field = "BinaryValue" if data_type.startswith("Binary") else "StringValue"
    if not attribute.get(field) and data_type.split(".")[0] in ("String", "Number", "Binary"):
        raise InvalidParameterValue(
            f"The message attribute '{name}' must contain non-empty message attribute value "
            f"for message attribute type '{data_type}'."
        )


def _checked(original: Callable) -> Callable:
    def publish(self: Any) -> Any:
        """Publish refuses an empty message and attributes SNS refuses."""
        if self._get_param("Message") == "":
            raise SNSInvalidParameter("Invalid parameter: Empty message")
        for name, attribute in (self._get_param("MessageAttributes") or {}).items():
            check_name(name)
            check_value(name, attribute)
        return original(self)

    return publish


def _batch_checked(original: Callable) -> Callable:
    def publish_batch(self: Any) -> Any:
        """PublishBatch refuses, as Publish does, an entry's attributes SNS refuses."""
        for entry in self._get_param("PublishBatchRequestEntries") or []:
            for name, attribute in ((entry or {}).get("MessageAttributes") or {}).items():
                check_name(name)
                check_value(name, attribute)
        return original(self)

    return publish_batch


def _fifo_to_sqs_only(original: Callable) -> Callable:
    def subscribe(self: Any) -> Any:
        """Subscribe refuses a protocol other than sqs on a FIFO topic."""
        topic, protocol = self._get_param("TopicArn") or "", self._get_param("Protocol") or ""
        if topic.endswith(".fifo") and protocol != "sqs":
            raise SNSInvalidParameter(f"Invalid parameter: Invalid protocol type: {protocol}")
        return original(self)

    return subscribe
