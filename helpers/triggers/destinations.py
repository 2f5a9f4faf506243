"""Where a finished asynchronous event goes: dead-letter queue, on-success/on-failure destination.

A dead-letter queue (the function's `DeadLetterConfig`, an SQS queue or SNS topic) gets the
original event as-is, with the attributes RequestID, ErrorCode and ErrorMessage. A destination
(`put_function_event_invoke_config(DestinationConfig=...)`: SQS, SNS, Lambda or EventBridge) gets
AWS's invocation record. Both are written straight into the local AWS's backends.

Sources: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html,
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html (DLQ attributes)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

from .. import access
from ..runtime import metrics
from .async_event import AsyncEvent, decoded, timestamp


class AsyncQueue(Protocol):
    """What delivering needs of the async queue (async_queue.AsyncQueue, which imports this
    module): its clock, and a way to queue an invocation of a destination function."""

    clock: Any

    def submit(self, fn: Any, payload: bytes, **kwargs: Any) -> Any: ...


ERROR_MESSAGE_BYTES = 1024  # AWS keeps the first 1 KB of the error message in a dead letter


def invoke_config(fn: Any, invoked_arn: str | None = None) -> dict[str, Any]:
    """The event invoke config (retries, max age, destinations) of the qualifier invoked, or {}.

    One per qualifier, as on AWS: an alias's config rules invokes of the alias, $LATEST's the
    unqualified ones. (Kept by `patches.lambda_api` on the function.)
    """
    from moto.awslambda.models import lambda_backends

    parts = (invoked_arn or "").split(":")
    qualifier = parts[7] if len(parts) > 7 else "$LATEST"
    try:
        latest = lambda_backends[fn.account_id][fn.region].get_function(fn.function_name)
    except Exception:  # deleted meanwhile: AWS's defaults apply
        return {}
    found = (getattr(latest, "kit_invoke_configs", None) or {}).get(qualifier)
    return dict(found.config) if found is not None else {}


def dead_letter_target(fn: Any) -> str | None:
    """The function's DeadLetterConfig TargetArn, if it has one."""
    config = getattr(fn, "dead_letter_config", None) or {}
    return config.get("TargetArn") or None


def record(event: AsyncEvent, condition: str, function_arn: str) -> dict[str, Any]:
    """AWS's invocation record, as destinations receive it."""

    body: dict[str, Any] = {
        "version": "1.0",
        "timestamp": timestamp(event.finished_at or event.received),
        "requestContext": {
            "requestId": event.request_id,
            "functionArn": function_arn,
            "condition": condition,
            "approximateInvokeCount": max(event.attempts, 1),
        },
        "requestPayload": decoded(event.payload),
    }
    result = event.last_result
    if result is not None:
        response: dict[str, Any] = {"statusCode": 200, "executedVersion": result.executed_version}
        if result.function_error:
            response["functionError"] = result.function_error
        body["responseContext"] = response
        body["responsePayload"] = decoded(result.payload)
    return body


def deliver(queue: AsyncQueue, event: AsyncEvent, condition: str) -> list[str]:
    """Send a finished event where its function's configuration says; returns where it went."""
    event.finished_at = queue.clock.time()
    fn = event.fn
    config = invoke_config(fn, event.invoked_arn).get("DestinationConfig") or {}
    version = event.last_result.executed_version if event.last_result else fn.version
    function_arn = f"{fn.function_arn.split(':function:')[0]}:function:{fn.function_name}"
    function_arn = f"{function_arn}:{version}"
    body = record(event, condition, function_arn)
    targets: list[tuple[str, str, str, Callable[[], None]]] = []
    if condition == "Success":
        target = (config.get("OnSuccess") or {}).get("Destination")
        if target:
            send = partial(_send_record, queue, target, body, fn, True)
            targets.append((f"on-success destination {target}", target, "Destination", send))
    else:
        dlq = dead_letter_target(fn)
        if dlq:
            send = partial(_send_dead_letter, dlq, event, fn)
            targets.append((f"dead-letter queue {dlq}", dlq, "DeadLetter", send))
        target = (config.get("OnFailure") or {}).get("Destination")
        if target:
            send = partial(_send_record, queue, target, body, fn, False)
            targets.append((f"on-failure destination {target}", target, "Destination", send))
    return [_attempt(where, target, fn, event, kind, send) for where, target, kind, send in targets]


# What Lambda does with the function's role to deliver to each kind of target.
_SEND_ACTIONS = {
    "sqs": "sqs:SendMessage",
    "sns": "sns:Publish",
    "lambda": "lambda:InvokeFunction",
    "events": "events:PutEvents",
}


def _attempt(
    where: str, target: str, fn: Any, event: AsyncEvent, kind: str, send: Callable[[], None]
) -> str:
    """Deliver; a target that cannot take it (deleted queue...) is noted, as AWS's metric."""
    try:
        # Lambda sends with the function's execution role: without the right, nothing arrives.
        action = _SEND_ACTIONS.get(target.split(":")[2] if target.count(":") >= 5 else "")
        denial = action and access.role_denial(
            fn.account_id, fn.role, fn.function_name, action, target
        )
        if denial:
            raise PermissionError(denial.message)
        for key_action in ("kms:GenerateDataKey", "kms:Decrypt") if action else ():
            key = _customer_managed_key(target)
            denial = key and access.role_denial(
                fn.account_id, fn.role, fn.function_name, key_action, key
            )
            if denial:
                raise PermissionError(f"{denial.message} (the queue is encrypted with {key})")
        send()
    except Exception as exc:
        event.errors.append(f"delivery to {where} failed: {exc!r}")
        metrics.put(
            fn, "DeadLetterErrors" if kind == "DeadLetter" else "DestinationDeliveryFailures"
        )
        return f"FAILED: {where}"
    return where


# A queue encrypted with a customer managed KMS key takes a message only from a producer that may
# use the key: "kms:GenerateDataKey" and "kms:Decrypt" on it, for SendMessage (SQS Developer Guide,
# "Amazon SQS key management", the producer's permissions,
# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html;
# as of 2026-12). Lambda sends a dead letter or an invocation record with the function's execution
# role, and a refused delivery is counted, not retried for ever: "Delivery errors can also occur
# due to permissions errors" (DestinationDeliveryFailures, DeadLetterErrors;
# https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html, as of
# 2026-12; learner trial 10, VD1). SQS's own key, alias/aws/sqs, and SSE-SQS need no such rights
# (the key management page: the AWS managed key's policy lets every principal of the account use
# it for SQS). Not modelled: a key policy that doesn't delegate to IAM (moto's default one does).
_AWS_MANAGED_SQS_KEY = "alias/aws/sqs"


def _customer_managed_key(target: str) -> str | None:
    """The ARN of the customer managed KMS key that encrypts the SQS queue `target`, or None."""
    try:
        service, region, account = _arn_parts(target)
    except ValueError:
        return None
    if service != "sqs":
        return None
    from moto.sqs.models import sqs_backends

    queue = sqs_backends[account][region].queues.get(target.rsplit(":", 1)[-1])
    key = str(getattr(queue, "kms_master_key_id", None) or "")
    if not key or key.rsplit(":", 1)[-1] == _AWS_MANAGED_SQS_KEY:
        return None
    from moto.kms.models import kms_backends

    kms = kms_backends[account][region]
    try:
        return kms.keys[kms.any_id_to_key_id(key)].arn
    except Exception:  # a key the kit doesn't hold: its ARN as written, or made from its id
        if key.startswith("arn:"):
            return key
        return f"arn:aws:kms:{region}:{account}:{key if key.startswith('alias/') else 'key/' + key}"


def _send_record(
    queue: AsyncQueue, target: str, body: dict[str, Any], fn: Any, success: bool
) -> None:
    service, region, account = _arn_parts(target)
    message = json.dumps(body)
    if service == "sqs":
        from moto.sqs.models import sqs_backends

        sqs_backends[account][region].send_message(target.rsplit(":", 1)[-1], message)
    elif service == "sns":
        from moto.sns.models import sns_backends

        sns_backends[account][region].publish(message, arn=target)
    elif service == "lambda":
        from moto.awslambda.models import lambda_backends

        destination = lambda_backends[account][region].get_function(target)
        queue.submit(destination, message.encode(), source="lambda-destination")
    elif service == "events":
        from moto.events.models import events_backends

        outcome = "Success" if success else "Failure"
        events_backends[account][region].put_events(
            [
                {
                    "Source": "lambda",
                    "DetailType": f"Lambda Function Invocation Result - {outcome}",
                    "Detail": message,
                    "Resources": [fn.function_arn],
                    "EventBusName": target,
                }
            ]
        )
    else:
        raise ValueError(f"the kit cannot deliver to {service} destinations yet ({target})")


def _send_dead_letter(target: str, event: AsyncEvent, fn: Any) -> None:
    service, region, account = _arn_parts(target)
    error = (event.last_result.error if event.last_result else None) or {}
    message = error.get("errorMessage") or (event.errors[-1] if event.errors else "")
    body = event.payload.decode("utf-8", errors="replace")
    if service == "sqs":
        from moto.sqs.models import sqs_backends

        attributes = {
            "RequestID": {"DataType": "String", "StringValue": event.request_id},
            "ErrorCode": {"DataType": "Number", "StringValue": "200"},
            "ErrorMessage": {
                "DataType": "String",
                "StringValue": message.encode()[:ERROR_MESSAGE_BYTES].decode(errors="ignore")
                or "-",
            },
        }
        sqs_backends[account][region].send_message(
            target.rsplit(":", 1)[-1], body, message_attributes=attributes
        )
    elif service == "sns":
        from moto.sns.models import sns_backends

        attributes = {
            "RequestID": {"Type": "String", "Value": event.request_id},
            "ErrorCode": {"Type": "Number", "Value": "200"},
            "ErrorMessage": {"Type": "String", "Value": message[:ERROR_MESSAGE_BYTES] or "-"},
        }
        sns_backends[account][region].publish(body, arn=target, message_attributes=attributes)
    else:
        raise ValueError(f"a dead-letter queue must be an SQS queue or SNS topic, not {target}")


def _arn_parts(arn: str) -> tuple[str, str, str]:
    parts = arn.split(":")
    if len(parts) < 6 or parts[0] != "arn":
        raise ValueError(f"not an ARN: {arn!r}")
    return parts[2], parts[3], parts[4]
