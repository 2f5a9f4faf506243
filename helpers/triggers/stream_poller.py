"""A DynamoDB Streams event source mapping, as Lambda runs it: read the shard in order.

Lambda reads the stream from `StartingPosition` (`LATEST`: only records written after the mapping
was created; `TRIM_HORIZON`: everything still in the stream), in batches of up to `BatchSize`
(default 100), and invokes the function synchronously. A failed batch blocks the shard: it is
retried (with back-off) until it succeeds, `MaximumRetryAttempts` is used up, or its records are
older than `MaximumRecordAgeInSeconds`; then its description goes to the mapping's on-failure
destination and the poller moves on. With `ReportBatchItemFailures` the function returns the
`SequenceNumber` of the first record that failed and processing restarts there.

Sources: https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html,
https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..runtime.concurrency import Throttled
from . import filtering

if TYPE_CHECKING:
    from ..runtime.service import Runtime

IDLE_POLL = 0.2
BACKOFF = (0.1, 2.0)  # first wait and cap between retries of a failed batch, in seconds
# Wakes every stream poller when a record is written (patched into moto's StreamShard.add).
NEW_RECORDS = threading.Condition()
# Taken by a poller for each read of its shard, and by `one_batch` for a while: see there.
_READS = threading.Lock()


@contextlib.contextmanager
def one_batch() -> Iterator[None]:
    """Kit-only: records written inside reach each stream's function in one batch.

    For exercise checks. On AWS, whether two records written one after the other share a batch
    depends on timing; a check that needs them together (a handler that leaves its loop at one
    record skips the next only if it is in the same batch) holds every poller's reads meanwhile.
    Up to `BatchSize` records, as always.
    """
    with _READS:
        yield


def record(stream_record: Any, table: Any, stream_arn: str) -> dict[str, Any]:
    """One moto stream record as the DynamoDB Streams event record Lambda sends."""
    source = stream_record.to_json()
    dynamodb = dict(source["dynamodb"])
    created = dynamodb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        dynamodb["ApproximateCreationDateTime"] = int(created.replace(tzinfo=UTC).timestamp())
    return {
        "eventID": source["eventID"],
        "eventName": source["eventName"],
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": table.region_name,
        "dynamodb": dynamodb,
        "eventSourceARN": stream_arn,
    }


class StreamPoller:
    """Runs one DynamoDB Streams event source mapping in a background thread."""

    def __init__(self, runtime: Runtime, esm: Any, table: Any) -> None:
        self.runtime = runtime
        self.esm = esm
        self.table = table
        shard = table.stream_shard
        latest = (esm.starting_position or "TRIM_HORIZON") == "LATEST"
        self.position = len(shard.items) if latest else 0
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"kit-ddb-{esm.uuid[:8]}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop polling; the thread ends within a poll interval."""
        self._stop.set()

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                shard = self.table.stream_shard
                if not self.esm.enabled or shard is None:
                    self._stop.wait(IDLE_POLL)
                    continue
                batch = self._collect(shard)
                if not batch:
                    continue
                done = self._process(batch)
                if done == len(batch):
                    failures = 0
                    self.position += done
                    continue
                failures += 1
                self.position += done
                if self._give_up(batch[done:], failures):
                    self.position += len(batch) - done
                    failures = 0
                else:
                    first, cap = BACKOFF
                    self._stop.wait(min(first * 2 ** (failures - 1), cap))
            except Exception as exc:  # a poller must outlive any one bad batch
                self.esm.kit_last_result = f"PROBLEM: {exc!r}"
                self._stop.wait(1.0)

    def _collect(self, shard: Any) -> list[Any]:
        size = int(self.esm.batch_size)
        window = float(self.esm.max_batch_window or 0)
        deadline = time.monotonic() + window
        while not self._stop.is_set():
            with _READS:
                batch = shard.items[self.position : self.position + size]
            left = deadline - time.monotonic()
            if len(batch) >= size or (batch and left <= 0):
                return batch
            with NEW_RECORDS:
                NEW_RECORDS.wait(IDLE_POLL if left <= 0 else min(left, IDLE_POLL))
            if not batch and left <= 0:
                return []
        return []

    def _process(self, batch: list[Any]) -> int:
        """Invoke once; how many records, from the start of the batch, are done."""
        from moto.awslambda.models import lambda_backends

        esm = self.esm
        filters = filtering.patterns(esm)
        records = [record(r, self.table, esm.event_source_arn) for r in batch]
        if filters:
            # Records that match no filter are skipped, and the shard moves past them.
            records = [r for r in records if filtering.passes(filters, r)]
            if not records:
                return len(batch)
        fn = lambda_backends[esm.account_id][esm.region].get_function(esm.function_arn)
        try:
            result = self.runtime.invoke(fn, json.dumps({"Records": records}).encode())
        except Throttled:
            esm.kit_last_result = "PROBLEM: Function call throttled"
            return 0
        if result.function_error:
            esm.kit_last_result = "PROBLEM: Function call failed"
            return 0
        if "ReportBatchItemFailures" in (esm.function_response_types or []):
            numbers = [r["dynamodb"]["SequenceNumber"] for r in records]
            first_failed = _first_failed(result.payload, numbers)
            if first_failed is not None:
                esm.kit_last_result = "PROBLEM: Function reported batch item failures"
                # Counted in the whole batch, filtered-out records included.
                in_batch = [r.to_json()["dynamodb"]["SequenceNumber"] for r in batch]
                return in_batch.index(numbers[first_failed])
        esm.kit_last_result = "OK"
        return len(batch)

    def _give_up(self, remaining: list[Any], failures: int) -> bool:
        """True when AWS would stop retrying; the batch's description goes to OnFailure."""
        esm = self.esm
        retries = esm.max_retry_attempts
        max_age = esm.max_record_age
        too_many = retries is not None and retries != -1 and failures > int(retries)
        oldest = remaining[0].to_json()["dynamodb"].get("ApproximateCreationDateTime")
        age = 0.0
        if isinstance(oldest, datetime):
            age = time.time() - oldest.replace(tzinfo=UTC).timestamp()
        too_old = max_age is not None and max_age != -1 and age > int(max_age)
        if not (too_many or too_old):
            return False
        target = ((esm.destination_config or {}).get("OnFailure") or {}).get("Destination")
        if target:
            _send_failure(esm, target, remaining, failures, too_old)
        esm.kit_skipped = getattr(esm, "kit_skipped", 0) + len(remaining)
        return True


def _first_failed(payload: bytes, sequence_numbers: list[str]) -> int | None:
    """Index of the first record reported failed; None when the whole batch succeeded.

    As for SQS: no response, or an empty or missing list, is a success; invalid JSON or an
    unknown or empty itemIdentifier fails the whole batch (index 0).
    """
    try:
        response = json.loads(payload) if payload else None
    except ValueError:
        return 0
    failures = response.get("batchItemFailures") if isinstance(response, dict) else None
    if not failures:
        return None
    indexes = []
    for item in failures:
        identifier = item.get("itemIdentifier") if isinstance(item, dict) else None
        if identifier not in sequence_numbers:
            return 0
        indexes.append(sequence_numbers.index(identifier))
    return min(indexes)


def _send_failure(esm: Any, target: str, remaining: list[Any], attempts: int, old: bool) -> None:
    """AWS's stream failure record (which records, not the records) to the destination."""
    from moto.sqs.models import sqs_backends

    first = remaining[0].to_json()["dynamodb"]
    last = remaining[-1].to_json()["dynamodb"]

    def iso(moment: Any) -> str:
        if isinstance(moment, datetime):
            return moment.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        return str(moment)

    body = {
        "requestContext": {
            "requestId": _request_id(),
            "functionArn": esm.function_arn,
            "condition": "RecordAgeExceeded" if old else "RetryAttemptsExhausted",
            "approximateInvokeCount": attempts,
        },
        "responseContext": {
            "statusCode": 200,
            "executedVersion": "$LATEST",
            "functionError": "Unhandled",
        },
        "version": "1.0",
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "DDBStreamBatchInfo": {
            "shardId": "shardId-00000001541626099285-f35f62ef",
            "startSequenceNumber": first["SequenceNumber"],
            "endSequenceNumber": last["SequenceNumber"],
            "approximateArrivalOfFirstRecord": iso(first.get("ApproximateCreationDateTime")),
            "approximateArrivalOfLastRecord": iso(last.get("ApproximateCreationDateTime")),
            "batchSize": len(remaining),
            "streamArn": esm.event_source_arn,
        },
    }
    service, region, account = target.split(":")[2:5]
    message = json.dumps(body)
    if service == "sqs":
        sqs_backends[account][region].send_message(target.rsplit(":", 1)[-1], message)
    elif service == "sns":
        from moto.sns.models import sns_backends

        sns_backends[account][region].publish(message, arn=target)
    else:
        raise ValueError(f"a stream's on-failure destination must be SQS or SNS, not {target}")


def _request_id() -> str:
    import uuid

    return str(uuid.uuid4())
