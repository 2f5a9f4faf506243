"""SQS SendMessage and SendMessageBatch refuse a body with characters SQS refuses (learner
trial 11, FD14: `MessageBody="a\\x00b"` was taken).

"A message can include only XML, JSON, and unformatted text. The following Unicode characters
are allowed: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF. If a
message contains characters outside the allowed set, Amazon SQS rejects the message and returns
an InvalidMessageContents error." (SendMessage,
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html, and
botocore's model, as of 2026-12.) The message names the character as AWS's answer does, as
users quote it ("Invalid binary character '#x0' was found in the message body, ..."); not
confirmed in AWS's published docs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from moto.sqs import responses as sqs_responses
from moto.sqs.exceptions import SQSException

_REFUSED = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ALLOWED = "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF"


class InvalidMessageContents(SQSException):
    code = "InvalidMessageContents"


def check(body: Any) -> None:
    """InvalidMessageContents for a body with a character outside SQS's set."""
    found = _REFUSED.search(body) if isinstance(body, str) else None
    if found:
        raise InvalidMessageContents(
            f"Invalid binary character '#x{ord(found.group()):X}' was found in the message "
            f"body, the set of allowed characters is {ALLOWED}"
        )


def _single(original: Callable) -> Callable:
    def send_message(self: Any) -> Any:
        """SendMessage refuses a body SQS refuses."""
        check(self._get_param("MessageBody"))
        return original(self)

    return send_message


def _batch(original: Callable) -> Callable:
    def send_message_batch(self: Any) -> Any:
        """SendMessageBatch refuses an entry's body SQS refuses (the whole request, as for a
        malformed entry)."""
        for entry in self._get_param("Entries") or []:
            check((entry or {}).get("MessageBody"))
        return original(self)

    return send_message_batch


def apply() -> None:
    """Wrap SendMessage and SendMessageBatch."""
    response = sqs_responses.SQSResponse
    response.send_message = _single(response.send_message)
    response.send_message_batch = _batch(response.send_message_batch)
