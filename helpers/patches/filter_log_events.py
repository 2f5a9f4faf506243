"""FilterLogEvents with CloudWatch Logs' whole filter pattern syntax (moto knows only plain terms).

moto matched `{ $.level = "ERROR" }` against every event, so a learner querying structured logs
got everything back. Patterns are now read by `helpers.triggers.log_filter_patterns`, the kit's
implementation of AWS's syntax (terms, JSON selectors, space-delimited fields, regular
expressions), the same one subscription filters use; a pattern AWS refuses is refused with its
InvalidParameterException. Syntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
"""

from __future__ import annotations

from moto.logs import models as logs_models
from moto.logs.exceptions import InvalidParameterException

from ..triggers import log_filter_patterns


class KitEventFilter:
    """Stands in for moto's EventMessageFilter: `matches(message)` as CloudWatch Logs does."""

    def __init__(self, pattern: str) -> None:
        try:
            self.pattern = log_filter_patterns.compile(pattern or "")
        except log_filter_patterns.InvalidFilterPattern as exc:
            raise InvalidParameterException(msg=exc.aws_message) from None

    def matches(self, message: str) -> bool:
        return self.pattern.matches(message)


def apply() -> None:
    """FilterLogEvents (and live tail) read filter patterns with the kit's implementation."""
    logs_models.EventMessageFilter = KitEventFilter
