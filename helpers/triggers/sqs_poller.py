"""An SQS event source mapping, as Lambda runs it: poll, batch, invoke, delete or leave.

Lambda polls the queue, gathers up to `BatchSize` messages (waiting up to
`MaximumBatchingWindowInSeconds` for a fuller batch), and invokes the function synchronously once
per batch. On success it deletes the batch. On failure it deletes nothing: the messages become
visible again when the queue's visibility timeout ends, are received again, and after
`maxReceiveCount` receives the queue's redrive policy moves them to its dead-letter queue. With
`FunctionResponseTypes=["ReportBatchItemFailures"]` the function may return
`{"batchItemFailures": [{"itemIdentifier": <messageId>}]}` and only those stay on the queue.

Sources: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html,
https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
"""

from __future__ import annotations

import json
import threading
import time
from typing import TYPE_CHECKING, Any

from ..runtime.concurrency import Throttled
from . import mapping_filters

if TYPE_CHECKING:
    from ..runtime.service import Runtime

IDLE_POLL = 0.2  # seconds between looks at an empty queue (messages also wake the poller)
MAX_PAYLOAD = 6 * 1024 * 1024  # a batch is cut short before the 6 MB invoke payload limit


def record(message: Any, queue: Any) -> dict[str, Any]:
    """One message as the SQS event record Lambda sends."""
    attributes = {
        "ApproximateReceiveCount": str(message.approximate_receive_count),
        "SentTimestamp": str(message.sent_timestamp),
        "SenderId": message.sender_id,
        "ApproximateFirstReceiveTimestamp": str(message.approximate_first_receive_timestamp),
    }
    trace = (message.system_attributes or {}).get("AWSTraceHeader")
    if trace:
        attributes["AWSTraceHeader"] = trace.get("StringValue", "")
    if queue.fifo_queue:
        attributes["SequenceNumber"] = str(message.sequence_number)
        attributes["MessageGroupId"] = str(message.group_id)
        attributes["MessageDeduplicationId"] = str(message.deduplication_id)
    result: dict[str, Any] = {
        "messageId": message.id,
        "receiptHandle": message.receipt_handle,
        "body": message.body,
        "attributes": attributes,
        "messageAttributes": {
            name: _lambda_attribute(value) for name, value in message.message_attributes.items()
        },
        "md5OfBody": message.body_md5,
        "eventSource": "aws:sqs",
        "eventSourceARN": queue.queue_arn,
        "awsRegion": queue.region,
    }
    if message.message_attributes:
        result["md5OfMessageAttributes"] = message.attribute_md5
    return result


def _lambda_attribute(value: dict[str, Any]) -> dict[str, Any]:
    # Lambda spells message attributes in camelCase, with both list fields present.
    attribute: dict[str, Any] = {
        "stringListValues": [],
        "binaryListValues": [],
        "dataType": value.get("data_type") or value.get("DataType", "String"),
    }
    if "string_value" in value or "StringValue" in value:
        attribute["stringValue"] = value.get("string_value", value.get("StringValue"))
    if "binary_value" in value or "BinaryValue" in value:
        attribute["binaryValue"] = value.get("binary_value", value.get("BinaryValue"))
    return attribute


def failed_items(payload: bytes, batch_ids: set[str]) -> set[str] | None:
    """The message ids a partial batch response reports as failed; None = the whole batch.

    AWS: an empty or null list, or an empty or null response, is a complete success; invalid
    JSON, an empty or null itemIdentifier, a wrong key, or an unknown id fails the whole batch.
    """
    if not payload or payload.strip() in (b"null", b"{}", b'""'):
        return set()
    try:
        response = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(response, dict):
        return None
    failures = response.get("batchItemFailures")
    if failures is None:
        return set()
    if not isinstance(failures, list):
        return None
    failed: set[str] = set()
    for item in failures:
        identifier = item.get("itemIdentifier") if isinstance(item, dict) else None
        if not identifier or identifier not in batch_ids:
            return None
        failed.add(identifier)
    return failed


class SqsPoller:
    """Runs one SQS event source mapping in a background thread until it is deleted."""

    def __init__(self, runtime: Runtime, esm: Any) -> None:
        self.runtime = runtime
        self.esm = esm
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"kit-sqs-{esm.uuid[:8]}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop polling; the thread ends within a poll interval."""
        self._stop.set()

    def _queue(self) -> Any:
        from moto.sqs.models import sqs_backends

        arn = self.esm.event_source_arn
        _, _, _, region, account, name = arn.split(":", 5)
        return sqs_backends[account][region].queues.get(name)

    def _run(self) -> None:
        from moto.sqs.models import sqs_backends

        while not self._stop.is_set():
            try:
                if not self.esm.enabled:
                    self._stop.wait(IDLE_POLL)
                    continue
                queue = self._queue()
                if queue is None:  # the queue was deleted; the mapping stays, as on AWS
                    self._stop.wait(1.0)
                    continue
                backend = sqs_backends[queue.account_id][queue.region]
                batch = self._collect(backend, queue)
                if batch:
                    self._process(backend, queue, batch)
            except Exception as exc:  # a poller must outlive any one bad batch
                self.esm.kit_last_result = f"PROBLEM: {exc!r}"
                self._stop.wait(1.0)

    def _collect(self, backend: Any, queue: Any) -> list[Any]:
        size = int(self.esm.batch_size)
        window = float(self.esm.max_batch_window or 0)
        deadline = time.monotonic() + window
        batch: list[Any] = []
        payload = 0
        while not self._stop.is_set():
            wanted = size - len(batch)
            got = backend.receive_message(queue.name, wanted, 0, queue.visibility_timeout, ["All"])
            for message in got:
                batch.append(message)
                payload += len(message.body) + 512
            if len(batch) >= size or payload >= MAX_PAYLOAD:
                return batch
            left = deadline - time.monotonic()
            if left <= 0 and (batch or not got):
                if not batch:
                    queue.wait_for_messages(IDLE_POLL)
                return batch
            if not got:
                queue.wait_for_messages(min(IDLE_POLL, max(left, 0.01)))
        return batch

    def _process(self, backend: Any, queue: Any, batch: list[Any]) -> None:
        from moto.awslambda.models import lambda_backends

        esm = self.esm
        filters = mapping_filters.patterns(esm)
        records = []
        for message in batch:
            shaped = record(message, queue)
            if mapping_filters.passes(filters, shaped):
                records.append(shaped)
            else:  # filtered out: AWS deletes the message without invoking
                backend.delete_message(queue.name, message.receipt_handle)
        if not records:
            return
        kept = {r["messageId"] for r in records}
        batch = [m for m in batch if m.id in kept]
        event = json.dumps({"Records": records}).encode()
        fn = lambda_backends[esm.account_id][esm.region].get_function(esm.function_arn)
        trace = (batch[0].system_attributes or {}).get("AWSTraceHeader", {}).get("StringValue")
        if self.runtime.stop_if_recursive(fn, trace, "aws:sqs"):
            # AWS stops a loop through a queue (a function sending to the queue that triggers
            # it) and moves the messages to the queue's dead-letter queue, if it has one.
            for message in batch:
                backend.delete_message(queue.name, message.receipt_handle)
                if queue.dead_letter_queue is not None:
                    backend.send_message(queue.dead_letter_queue.name, message.body)
            esm.kit_last_result = "PROBLEM: Recursive invocation loop stopped"
            return
        try:
            result = self.runtime.invoke(fn, event, parent_trace=trace)
        except Throttled:
            # The batch stays in flight and returns after the visibility timeout, as on AWS.
            esm.kit_last_result = "PROBLEM: Function call throttled"
            self._stop.wait(0.5)
            return
        if result.function_error:
            esm.kit_last_result = "PROBLEM: Function call failed"
            return
        failed: set[str] | None = set()
        if "ReportBatchItemFailures" in (esm.function_response_types or []):
            failed = failed_items(result.payload, {m.id for m in batch})
        if failed is None:
            esm.kit_last_result = "PROBLEM: Function call failed (invalid batchItemFailures)"
            return
        for message in batch:
            if message.id not in failed:
                backend.delete_message(queue.name, message.receipt_handle)
        esm.kit_last_result = "OK"
