"""SQS's refusals of queue settings and names, in SQS's words.

RedrivePolicy: a dead-letter queue that doesn't exist. moto answered
`AWS.SimpleQueueService.NonExistentQueue`, "Could not find DLQ for ...". SQS answers
InvalidParameterValue, "Value <the policy> for parameter RedrivePolicy is invalid. Reason: Dead
letter target does not exist." (as emulators that copy AWS's answer and users' troubleshooting
notes quote it; as of 2026-12), on CreateQueue and SetQueueAttributes alike. So is a
maxReceiveCount outside 1-1000: "... Reason: Invalid value for maxReceiveCount: 0, valid values
are from 1 to 1000 both inclusive." (as LocalStack's provider and AWS-parity emulators' tests
quote AWS; as_of 2026-12-07); moto took 0, and a queue that dead-letters every message.
A maxReceiveCount that isn't a whole number (2.5, "2.5") is refused too: the Developer Guide
gives it as a number of receives from 1 to 1000
(https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html,
and SetQueueAttributes' RedrivePolicy, "maxReceiveCount – The number of times a message is
delivered to the source queue before being moved to the dead-letter queue"; as of 2026-12).
No source gives AWS's exact text for a fraction: the kit answers with the closest documented
wording, the out-of-range one above. moto cut 2.5 to 2 (and answered "2.5" with an HTTP 500).

Whole-second attributes: VisibilityTimeout, DelaySeconds, MessageRetentionPeriod,
ReceiveMessageWaitTimeSeconds, MaximumMessageSize and KmsDataKeyReusePeriodSeconds are integers
within AWS's ranges ("Valid values: An integer from 0 to 43,200" ...,
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
and API_CreateQueue.html, as of 2026-12). Anything else is 400 InvalidAttributeValue, "Invalid
value for the parameter VisibilityTimeout." (AWS's answer to CreateQueue with "21600.0", quoted
in celery/kombu#2581 and apache/airflow#65592; as of 2026-12). moto's int() failed inside: HTTP
500, which botocore retried, and "the teaching kit failed".

A queue name deleted less than 60 seconds ago: CreateQueue answers QueueDeletedRecently, "You
must wait 60 seconds after deleting a queue before you can create another with the same name."
(botocore's model of QueueDeletedRecently; the DeleteQueue API reference, "When you delete a
queue, you must wait at least 60 seconds before creating a queue with the same name",
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html; the
whole text as AWS answers it, with the code AWS.SimpleQueueService.QueueDeletedRecently, quoted
in hashicorp/terraform#15139; as of 2026-12). The 60 seconds run on the kit's clock, so
`aws.advance_clock(seconds=60)` lets the name be used again. Only the CreateQueue API call is
refused: a CloudFormation stack's queue (created inside the kit, not through the API) is made at
once; no source found says how CloudFormation's own handler meets the wait, so the kit doesn't
model it there.

A dead-letter queue of the other type (a FIFO DLQ for a standard queue, or the reverse): "a FIFO
queue can only use a FIFO DLQ, and a standard queue can only use a standard DLQ"
(https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue.html,
as of 2026-12). SQS answers InvalidParameterValue, "Value <the policy> for parameter
RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source."
(AWS's answer quoted in awslabs/aws-solutions-constructs#342 and
aws-cloudformation/cfn-lint#3950; as of 2026-12). moto took a FIFO DLQ for a standard queue, and
answered the reverse with its own InvalidParameterCombination.

A dead-letter queue whose RedriveAllowPolicy keeps the source out: "denyAll – No source queues can
specify this queue as the dead-letter queue", "byQueue – Only queues specified by the
sourceQueueArns parameter can specify this queue as the dead-letter queue"
(https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html,
RedriveAllowPolicy; as of 2026-12). No source found gives AWS's exact text for this refusal: the
kit answers InvalidParameterValue in the form of SQS's other RedrivePolicy refusals, with the
documented wording as the reason, marked "[local kit]".

SendMessage with an empty MessageBody: "The minimum size is one character"
(https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html);
SQS answers MissingParameter, "The request must contain the parameter MessageBody." (AWS's
answer quoted in php-enqueue/enqueue-dev#435, Admiral-Piett/goaws#190 and
localstack/localstack#12317; as of 2026-12). moto took it.

A queue named `*.fifo` without `FifoQueue=true`: without it SQS makes a standard queue, whose
name holds only "alphanumeric characters, hyphens (-), and underscores (_)"; "A FIFO queue name
must end with the .fifo suffix" (QueueName,
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html, as of
2026-12). SQS answers InvalidParameterValue, "Can only include alphanumeric characters,
hyphens, or underscores. 1 to 80 in length" (boto/botocore#3058, where AWS's maintainer explains
it; moto's words for other bad names too). moto made a standard queue (outside check 12, M14).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

from moto.sqs import models as sqs_models
from moto.sqs import responses as sqs_responses
from moto.sqs.exceptions import (
    InvalidAttributeValue,
    InvalidParameterValue,
    MissingParameter,
    SQSException,
)

# attribute -> (least, most), AWS's ranges (see the module's docstring).
WHOLE_SECONDS = {
    "VisibilityTimeout": (0, 43_200),
    "DelaySeconds": (0, 900),
    "MessageRetentionPeriod": (60, 1_209_600),
    "ReceiveMessageWaitTimeSeconds": (0, 20),
    "MaximumMessageSize": (1_024, 1_048_576),
    "KmsDataKeyReusePeriodSeconds": (60, 86_400),
}
_INTEGER = re.compile(r"-?[0-9]+")
DELETED_RECENTLY_SECONDS = 60
DELETED_RECENTLY = (
    "You must wait 60 seconds after deleting a queue before you can create another with the "
    "same name."
)


def apply() -> None:
    """A redrive policy to a missing queue gets SQS's own error; attributes and names are
    checked as SQS checks them."""
    queue = sqs_models.Queue
    queue._setup_dlq = _missing_target_refused(queue._setup_dlq)
    queue._set_attributes = _whole_seconds(queue._set_attributes)
    queue.__init__ = _fifo_name_needs_fifo(queue.__init__)
    backend = sqs_models.SQSBackend
    backend.delete_queue = _remember_deletion(backend.delete_queue)
    response = sqs_responses.SQSResponse
    response.create_queue = _not_deleted_recently(response.create_queue)
    response.send_message = _body_required(response.send_message)


QUEUE_NAME = "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"


def _fifo_name_needs_fifo(original: Callable) -> Callable:
    def __init__(self: Any, name: str, *args: Any, **kwargs: Any) -> None:
        """A queue: one named `*.fifo` must be a FIFO queue (see the module's docstring)."""
        original(self, name, *args, **kwargs)
        if str(name).endswith(".fifo") and not self.fifo_queue:
            raise InvalidParameterValue(QUEUE_NAME)

    return __init__


def _body_required(original: Callable) -> Callable:
    def send_message(self: Any) -> Any:
        """SendMessage, the API call: an empty body is refused (see the module's docstring)."""
        if self._get_param("MessageBody") in ("", None):
            raise MissingParameter("MessageBody")
        return original(self)

    return send_message


def _kit_time() -> float:
    """Seconds since the epoch on the kit's clock (real time when no kit runs)."""
    from . import lambda_api

    runtime = lambda_api._runtime()
    return runtime.clock.time() if runtime is not None else time.time()


def _deletions(backend: Any) -> dict[str, float]:
    # Kept on the backend itself: a reset of the local AWS forgets them with the queues.
    return backend.__dict__.setdefault("kit_deleted_at", {})


def _remember_deletion(original: Callable) -> Callable:
    def delete_queue(self: Any, queue_name: str) -> None:
        original(self, queue_name)
        _deletions(self)[queue_name] = _kit_time()

    return delete_queue


def _not_deleted_recently(original: Callable) -> Callable:
    def create_queue(self: Any) -> Any:
        """CreateQueue, the API call (SQSResponse's)."""
        name = self._get_param("QueueName")
        deletions = _deletions(self.sqs_backend)
        deleted_at = deletions.get(name)
        if deleted_at is not None:
            if _kit_time() - deleted_at < DELETED_RECENTLY_SECONDS:
                raise SQSException("AWS.SimpleQueueService.QueueDeletedRecently", DELETED_RECENTLY)
            deletions.pop(name, None)
        return original(self)

    return create_queue


def _whole_seconds(original: Callable) -> Callable:
    def _set_attributes(self: Any, attributes: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        for name, (least, most) in WHOLE_SECONDS.items():
            value = (attributes or {}).get(name)
            if value is None or (isinstance(value, int) and not isinstance(value, bool)):
                number = value
            elif isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
                number = int(value)
            else:
                raise InvalidAttributeValue(name)
            if number is not None and not least <= number <= most:
                raise InvalidAttributeValue(name)
        return original(self, attributes, *args, **kwargs)

    return _set_attributes


def _receive_count(parsed: dict[str, Any]) -> tuple[int | None, str | None]:
    """(the policy's maxReceiveCount as a whole number, None) or (None, the value as written
    when it is a number that isn't whole); (None, None) when moto should answer it."""
    raw = parsed.get("maxReceiveCount")
    if isinstance(raw, bool):
        return None, None
    if isinstance(raw, int):
        return raw, None
    if isinstance(raw, float):
        return (int(raw), None) if raw.is_integer() else (None, json.dumps(raw))
    if isinstance(raw, str):
        text = raw.strip()
        if _INTEGER.fullmatch(text):
            return int(text), None
        try:
            float(text)
        except ValueError:
            return None, None  # moto answers a policy it can't read
        return None, text
    return None, None


def _missing_target_refused(original: Callable) -> Callable:
    def _setup_dlq(self: Any, policy: Any) -> None:
        shown = policy if isinstance(policy, str) else json.dumps(policy)
        try:
            parsed = json.loads(policy) if isinstance(policy, str) else dict(policy or {})
            count, fraction = _receive_count(parsed)
        except (TypeError, ValueError, AttributeError):
            count, fraction = None, None  # moto answers a policy it can't read
        if fraction is not None or (count is not None and not 1 <= count <= 1000):
            raise SQSException(
                "InvalidParameterValue",
                f"Value {shown} for parameter RedrivePolicy is invalid. Reason: Invalid value for "
                f"maxReceiveCount: {fraction if fraction is not None else count}, valid values "
                "are from 1 to 1000 both inclusive.",
            )
        if isinstance(count, int):
            _same_type_and_allowed(self, parsed, shown)
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


def _same_type_and_allowed(source: Any, parsed: dict[str, Any], shown: str) -> None:
    """The dead-letter queue is of the source's type and its RedriveAllowPolicy lets the source
    name it (see the module's docstring); checked before moto keeps anything."""
    target = parsed.get("deadLetterTargetArn")
    backend = sqs_models.sqs_backends[source.account_id][source.region]
    dlq = next((q for q in backend.queues.values() if q.queue_arn == target), None)
    if dlq is None:
        return  # moto's own answer, made SQS's above

    def refused(reason: str) -> SQSException:
        return SQSException(
            "InvalidParameterValue",
            f"Value {shown} for parameter RedrivePolicy is invalid. Reason: {reason}",
        )

    if bool(source.fifo_queue) != bool(dlq.fifo_queue):
        raise refused("Dead-letter queue must be same type of queue as the source.")
    allow = getattr(dlq, "redrive_allow_policy", None)
    try:
        allow = json.loads(allow) if isinstance(allow, str) else dict(allow or {})
    except (TypeError, ValueError):
        return
    permission = str(allow.get("redrivePermission") or "allowAll")
    if permission == "denyAll":
        raise refused(
            f"[local kit] the RedriveAllowPolicy of {dlq.queue_arn} is denyAll: No source "
            "queues can specify this queue as the dead-letter queue."
        )
    if permission == "byQueue" and source.queue_arn not in (allow.get("sourceQueueArns") or []):
        raise refused(
            f"[local kit] the RedriveAllowPolicy of {dlq.queue_arn} is byQueue and its "
            f"sourceQueueArns don't name {source.queue_arn}: Only queues specified by the "
            "sourceQueueArns parameter can specify this queue as the dead-letter queue."
        )
