"""SNS Subscribe and topic attributes as AWS answers them (SetTopicAttributes takes a topic's
attributes only; `equals-ignore-case` ignores case on both sides; see below): a refused
attribute leaves no subscription behind, subscribing again with different attributes is
refused, not a silent update (moto does both), and a `lambda` or `sqs` endpoint must be an ARN.

The second message is the one LocalStack's SNS provider answers, mirroring AWS:
"Invalid parameter: Attributes Reason: Subscription already exists with different attributes"
(localstack/services/sns/provider.py, as of 2026-12; InvalidParameter, 400).

Publish refuses a Subject with a line break or a control character, an empty one, and a
TopicArn that isn't an ARN (`_publish_checked`).

A FilterPolicy that isn't JSON, or that gives a key an empty array, is refused, by Subscribe
and SetSubscriptionAttributes alike (moto failed inside, after creating the subscription). So is
RawMessageDelivery on a protocol that has none (lambda, email ...): "Invalid parameter:
Attributes Reason: Delivery protocol [lambda] does not support raw message delivery." (as SDK
users quote AWS, e.g. in a Ballerina SNS connector's tests; raw delivery is for SQS, HTTP/S and
Firehose endpoints; as of 2026-12).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from moto.sns import responses as sns_responses
from moto.sns.exceptions import SNSException, SNSInvalidParameter

DIFFERENT_ATTRIBUTES = (
    "Invalid parameter: Attributes Reason: Subscription already exists with different attributes"
)
# AWS's message begins so: LocalStack's test_sns.py checks it against AWS (@markers.aws.validated,
# "invalid-json-filter-policy"), as of 2026-12. InvalidParameter, 400.
NOT_JSON = "Invalid parameter: FilterPolicy: failed to parse JSON."
# A key whose values are an empty list (a list comprehension that matched nothing): AWS answers
# "Invalid parameter: FilterPolicy: Empty arrays are not allowed" (InvalidParameter, 400; the
# response as aws/aws-cdk#16549 quotes it, which AWS follows with the parser's position,
# "at [Source: ...]", left out here). Learner trial 12 (HD6).
EMPTY_ARRAY = "Invalid parameter: FilterPolicy: Empty arrays are not allowed"


def apply() -> None:
    """Wrap moto's Subscribe (see the module's docstring)."""
    response = sns_responses.SNSResponse
    response.subscribe = _checked(response.subscribe)
    response.set_subscription_attributes = _policy_checked(response.set_subscription_attributes)
    response.set_topic_attributes = _topic_attribute_checked(response.set_topic_attributes)
    response.publish = _publish_checked(response.publish)
    _ignore_case_as_aws()


# Publish's Subject: "Subjects must be UTF-8 text that begins with a letter, number, or
# punctuation mark; must not include line breaks or control characters; and must be less than
# 100 characters long" (API_Publish, as of 2026-12; moto keeps the 100). AWS answers
# "Invalid parameter: Subject" (as users quote it: getmoto/moto#1276, an empty one
# wellcomecollection/platform#1107). A TopicArn that isn't an ARN: "Invalid parameter: TopicArn
# Reason: An ARN must have at least 6 elements, not 1" (aws-samples/amazon-rekognition-video-
# analyzer#41). Learner trial 10 (YD7, YD15).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _publish_checked(original: Callable) -> Callable:
    def publish(self: Any) -> Any:
        """Publish refuses a Subject or a TopicArn/TargetArn that AWS refuses."""
        for name in ("TopicArn", "TargetArn"):
            arn = self._get_param(name)
            if arn is not None and len(arn.split(":")) < 6:
                raise SNSInvalidParameter(
                    f"Invalid parameter: {name} Reason: An ARN must have at least 6 elements, "
                    f"not {len(arn.split(':'))}"
                )
        subject = self._get_param("Subject")
        if subject is not None and (
            not subject or subject[0].isspace() or _CONTROL.search(subject)
        ):
            raise SNSInvalidParameter("Invalid parameter: Subject")
        return original(self)

    return publish


# The attributes SetTopicAttributes takes (its API reference, https://docs.aws.amazon.com/sns/
# latest/api/API_SetTopicAttributes.html; as_of 2026-12-07). Another, such as a subscription's
# FilterPolicy, is AWS's "InvalidParameter: Invalid parameter: AttributeName" (as quoted from AWS
# in cdkd's issue #1529 tests); moto stored anything.
TOPIC_ATTRIBUTES = {
    "DeliveryPolicy", "DisplayName", "Policy", "TracingConfig", "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds", "SignatureVersion", "ContentBasedDeduplication",
    "FifoThroughputScope", "ArchivePolicy",
    *(
        f"{protocol}{outcome}"
        for protocol in ("Application", "HTTP", "Firehose", "Lambda", "SQS")
        for outcome in ("SuccessFeedbackRoleArn", "SuccessFeedbackSampleRate",
                        "FailureFeedbackRoleArn")
    ),
}  # fmt: skip


def _topic_attribute_checked(original: Callable) -> Callable:
    def set_topic_attributes(self: Any) -> Any:
        if self._get_param("AttributeName") not in TOPIC_ATTRIBUTES:
            raise SNSInvalidParameter("Invalid parameter: AttributeName")
        return original(self)

    return set_topic_attributes


def _ignore_case_as_aws() -> None:
    """`equals-ignore-case` matches whatever the case of either side (SNS's "String value
    matching", https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html; as_of
    2026-12-07): moto lowercased the message's value only, so a policy value with a capital
    matched nothing."""
    from moto.sns.utils import FilterPolicyMatcher

    original = FilterPolicyMatcher._field_match
    if getattr(original, "kit_ignores_case", False):
        return

    def field_match(field: str, rules: Any, dict_body: Any, attributes_based_check: bool = True):
        if isinstance(rules, list):
            rules = [_lowered(rule) for rule in rules]
            missing = isinstance(dict_body, dict) and field not in dict_body
            if missing and any(rule == {"exists": False} for rule in rules):
                # A key's values are ORed, so `exists: false` matches a message without the key
                # whatever the other values (moto stopped at the first value that needed it);
                # and "\"exists\": false only matches if at least one attribute is present. An
                # empty set of attributes results in the filter not matching."
                # (https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html, as of
                # 2026-12; learner trial 12, HD10).
                return bool(dict_body) if attributes_based_check else True
        return original(field, rules, dict_body, attributes_based_check)

    field_match.kit_ignores_case = True  # type: ignore[attr-defined]
    FilterPolicyMatcher._field_match = staticmethod(field_match)


def _lowered(rule: Any) -> Any:
    if isinstance(rule, dict) and isinstance(rule.get("equals-ignore-case"), str):
        return {**rule, "equals-ignore-case": rule["equals-ignore-case"].lower()}
    return rule


RAW_PROTOCOLS = ("sqs", "http", "https", "firehose")


def _refuse_raw_delivery_where_there_is_none(name: str | None, value: Any, protocol: str) -> None:
    raw = name == "RawMessageDelivery" and str(value).lower() == "true"
    if raw and protocol not in RAW_PROTOCOLS:
        raise SNSInvalidParameter(
            f"Invalid parameter: Attributes Reason: Delivery protocol [{protocol}] does not "
            "support raw message delivery."
        )


def _refuse_a_policy_that_is_not_json(name: str | None, value: Any) -> None:
    if name != "FilterPolicy" or not value:
        return
    try:
        policy = json.loads(value)
    except (TypeError, ValueError):
        raise SNSInvalidParameter(NOT_JSON) from None
    if _has_an_empty_array(policy):
        raise SNSInvalidParameter(EMPTY_ARRAY)


def _has_an_empty_array(policy: Any) -> bool:
    """Whether a key of the policy, at any depth (a MessageBody policy nests), has []."""
    if not isinstance(policy, dict):
        return False
    return any(
        value == []
        or (isinstance(value, dict) and _has_an_empty_array(value))
        or (isinstance(value, list) and any(_has_an_empty_array(item) for item in value))
        for value in policy.values()
    )


def _policy_checked(original: Callable) -> Callable:
    def set_subscription_attributes(self: Any) -> Any:
        name, value = self._get_param("AttributeName"), self._get_param("AttributeValue")
        _refuse_a_policy_that_is_not_json(name, value)
        subscription = self.backend.subscriptions.get(self._get_param("SubscriptionArn"))
        if subscription is not None:
            _refuse_raw_delivery_where_there_is_none(name, value, subscription.protocol)
        return original(self)

    return set_subscription_attributes


def _same(name: str, old: Any, new: Any) -> bool:
    if name in ("FilterPolicy", "RedrivePolicy", "DeliveryPolicy"):
        try:
            return json.loads(old) == json.loads(new)
        except (TypeError, ValueError):
            return old == new
    return str(old).lower() == str(new).lower()  # "true" and "True" alike


# A lambda subscription's endpoint is the function's ARN (a qualified one too): a bare name is
# refused, as SNS refuses a queue given by URL or name ("Invalid parameter: SQS endpoint ARN",
# https://github.com/localstack/localstack/issues/7471, mirroring AWS; as of 2026-12).
_ENDPOINT_ARNS = {
    "lambda": (
        re.compile(r"arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?"),
        "Invalid parameter: Lambda endpoint ARN",
    ),
    "sqs": (
        re.compile(r"arn:aws[\w-]*:sqs:[a-z0-9-]+:\d{12}:[\w.-]+"),
        "Invalid parameter: SQS endpoint ARN",
    ),
}


def _checked(original: Callable) -> Callable:
    def subscribe(self: Any) -> Any:
        topic_arn = self._get_param("TopicArn")
        endpoint = self._get_param("Endpoint")
        protocol = self._get_param("Protocol")
        pattern, refusal = _ENDPOINT_ARNS.get(protocol or "", (None, ""))
        if pattern is not None and not pattern.fullmatch(endpoint or ""):
            raise SNSInvalidParameter(refusal)
        attributes = self._get_attributes() or {}
        for name, value in attributes.items():
            _refuse_a_policy_that_is_not_json(name, value)
            _refuse_raw_delivery_where_there_is_none(name, value, protocol or "")
        existing = self.backend._find_subscription(topic_arn, endpoint, protocol)
        if existing is not None:
            for name, value in attributes.items():
                if not _same(name, existing.attributes.get(name), value):
                    raise SNSInvalidParameter(DIFFERENT_ATTRIBUTES)
            return original(self)
        try:
            return original(self)
        except SNSException:
            created = self.backend._find_subscription(topic_arn, endpoint, protocol)
            if created is not None:  # created, then an attribute refused: AWS creates nothing
                self.backend.unsubscribe(created.arn)
            raise

    return subscribe
