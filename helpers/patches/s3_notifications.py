"""PutBucketNotificationConfiguration's key filters, as S3 takes and refuses them.

- A rule's name in either case (`prefix` or `Prefix`), and an empty value, which restricts
  nothing: moto failed on both inside (its parser asserts), and the learner read "the teaching
  kit failed" (HTTP 500). An empty prefix or suffix matches every key; AWS's documentation states
  no minimum length for a rule's Value (S3 API reference, FilterRule, as of 2026-12).
- Two destinations for overlapping events whose prefixes and suffixes both overlap are refused
  ("You get an error if you try to save a notification configuration that has invalid
  overlapping name filters for the same event types", Amazon S3 User Guide,
  notification-how-to-filtering, as of 2026-12), with S3's words, InvalidArgument (400), as
  users quote them (e.g. AWS Knowledge Center, lambda-s3-event-configuration-error): "Configuration
  is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are
  overlapping for the same event type." A missing prefix (or suffix) overlaps every other.
- A filter with two prefix rules, or two suffix rules: "The same type of filter rule cannot be
  used more than once" (notification-how-to-filtering, as of 2026-12), InvalidArgument "Cannot
  specify more than one prefix rule in a filter." (S3's words quoted in aws/aws-cdk#3347 and
  aws/aws-cli#1465; learner trial 11, AD5 and FD5: moto kept the last rule).
- `SkipDestinationValidation=True` (the `x-amz-skip-destination-validation` header): "Skips
  validation of Amazon SQS, Amazon SNS, and Lambda destinations. True or false value."
  (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html,
  as of 2026-12). S3 then saves the configuration without asking whether each destination lets
  it in; the kit skips its check that the function allows S3 (`resource_policies`), and each
  delivery is still checked then (S3 drops an event the function doesn't allow). The filters'
  own checks above are not destination validation, and stay.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from itertools import combinations
from typing import Any

import xmltodict
from moto.s3 import exceptions as s3_exceptions
from moto.s3 import models as s3_models
from moto.s3 import responses as s3_responses

AMBIGUOUS = (
    "Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the "
    "prefixes are overlapping for the same event type."
)
_KINDS = ("TopicConfiguration", "QueueConfiguration", "CloudFunctionConfiguration")


def apply() -> None:
    """Wrap moto's parse of the configuration, and the bucket's setting of it."""
    response = s3_responses.S3Response
    response._notification_config_from_body = _normalised(response._notification_config_from_body)
    response._bucket_response_put = _skipping_when_asked(response._bucket_response_put)
    bucket = s3_models.FakeBucket
    bucket.set_notification_configuration = _unambiguous(bucket.set_notification_configuration)
    global _set_unvalidated
    # What sets a configuration below the destination check that `resource_policies` wraps
    # around it later (patches.apply installs that one after this one).
    _set_unvalidated = bucket.set_notification_configuration
    backend = s3_models.S3Backend
    backend.put_bucket_notification_configuration = _unvalidated_when_skipping(
        backend.put_bucket_notification_configuration
    )


_skipping: contextvars.ContextVar[bool] = contextvars.ContextVar("kit_s3_skip", default=False)
_set_unvalidated: Callable | None = None


def _skipping_when_asked(original: Callable) -> Callable:
    def _bucket_response_put(
        self: Any, request: Any, bucket_name: str, querystring: dict[str, Any]
    ) -> Any:
        skip = str(request.headers.get("x-amz-skip-destination-validation") or "").lower()
        token = _skipping.set("notification" in querystring and skip == "true")
        try:
            return original(self, request, bucket_name, querystring)
        finally:
            _skipping.reset(token)

    return _bucket_response_put


def _unvalidated_when_skipping(original: Callable) -> Callable:
    def put_bucket_notification_configuration(
        self: Any, bucket_name: str, notification_config: dict[str, Any]
    ) -> None:
        if _skipping.get() and _set_unvalidated is not None:
            _set_unvalidated(self.get_bucket(bucket_name), notification_config)
            return None
        return original(self, bucket_name, notification_config)

    return put_bucket_notification_configuration


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value else []


def _normalised(original: Callable) -> Callable:
    def parse(self: Any) -> dict[str, Any]:
        try:
            document = xmltodict.parse(self.body)
            config = document.get("NotificationConfiguration") or {}
        except Exception:
            raise s3_exceptions.MalformedXML() from None
        changed = False
        for kind in _KINDS:
            for destination in _as_list(config.get(kind) if isinstance(config, dict) else None):
                key = ((destination or {}).get("Filter") or {}).get("S3Key") or {}
                rules = _as_list(key.get("FilterRule")) if isinstance(key, dict) else []
                kept = []
                for rule in rules:
                    name = str(rule.get("Name") or "")
                    if name.lower() in ("prefix", "suffix") and name != name.lower():
                        rule["Name"], changed = name.lower(), True
                    if rule.get("Value"):
                        kept.append(rule)
                    else:
                        changed = True  # an empty value restricts nothing
                for name in ("prefix", "suffix"):
                    if sum(str(r.get("Name") or "") == name for r in rules) > 1:
                        raise s3_exceptions.InvalidArgumentError(
                            f"Cannot specify more than one {name} rule in a filter.",
                            "FilterRule",
                            name,
                        )
                if len(kept) != len(rules):
                    if kept:
                        key["FilterRule"] = kept
                    else:
                        destination.pop("Filter", None)
        if changed:
            self.body = xmltodict.unparse(document).encode()
        try:
            return original(self)
        except (AssertionError, KeyError, TypeError):
            raise s3_exceptions.MalformedXML() from None

    return parse


def _rules(destination: dict[str, Any]) -> tuple[str, str]:
    """(prefix, suffix) of one destination's key filter ("" where it has none)."""
    key = ((destination or {}).get("Filter") or {}).get("S3Key") or {}
    found = {"prefix": "", "suffix": ""}
    for rule in _as_list(key.get("FilterRule") if isinstance(key, dict) else None):
        found[str(rule.get("Name", "")).lower()] = str(rule.get("Value") or "")
    return found["prefix"], found["suffix"]


def _events_overlap(first: list[str], second: list[str]) -> bool:
    def covers(a: str, b: str) -> bool:  # s3:ObjectCreated:* covers s3:ObjectCreated:Put
        return a == b or (a.endswith(":*") and b.startswith(a[:-1]))

    return any(covers(a, b) or covers(b, a) for a in first for b in second)


def _unambiguous(original: Callable) -> Callable:
    def set_notification_configuration(self: Any, config: dict[str, Any] | None) -> None:
        """Refused when two destinations would both get one event for one key (see module)."""
        destinations = [d for kind in _KINDS for d in _as_list((config or {}).get(kind))]
        for first, second in combinations(destinations, 2):
            if not _events_overlap(_as_list(first.get("Event")), _as_list(second.get("Event"))):
                continue
            (prefix_a, suffix_a), (prefix_b, suffix_b) = _rules(first), _rules(second)
            prefixes = prefix_a.startswith(prefix_b) or prefix_b.startswith(prefix_a)
            suffixes = suffix_a.endswith(suffix_b) or suffix_b.endswith(suffix_a)
            if prefixes and suffixes:
                raise s3_exceptions.InvalidArgumentError(AMBIGUOUS, "FilterRule", "")
        return original(self, config)

    return set_notification_configuration
