"""The engine of a stream's event source mapping, as Lambda runs it: read each shard in order.

`ShardPoller` is what DynamoDB Streams (`dynamodb_poller`) and Kinesis (`kinesis_poller`) share;
each source says how its shard's records look to the function and to a failure destination.

Lambda reads the stream from `StartingPosition` (`LATEST`: only records written after the mapping
was created; `TRIM_HORIZON`: everything still in the stream), in batches of up to `BatchSize`
(default 100), and invokes the function synchronously. A failed batch blocks the shard: it is
retried (with back-off) until it succeeds, `MaximumRetryAttempts` is used up, or its records are
older than `MaximumRecordAgeInSeconds`; then its description goes to the mapping's on-failure
destination and the poller moves on. With `ReportBatchItemFailures` the function returns the
`SequenceNumber` of the first record that failed and processing restarts there. With
`BisectBatchOnFunctionError` a failed batch is split in two before it is retried, so a bad
record ends up alone (each retry counts, split or not: AWS's docs don't say otherwise).

Sources: https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html,
https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html,
https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
("BisectBatchOnFunctionError: If the function returns an error, split the batch in two and
retry"), as of 2026-12.
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
from . import mapping_filters

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


class ShardPoller:
    """Runs one shard of a stream's event source mapping in a background thread."""

    source = "stream"

    def __init__(self, runtime: Runtime, esm: Any) -> None:
        self.runtime = runtime
        self.esm = esm
        self.position = self._start()
        self._limit = int(esm.batch_size)  # halved by BisectBatchOnFunctionError
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"kit-{self.source}-{esm.uuid[:8]}", daemon=True
        )
        self._thread.start()

    # What each kind of stream says: its records, and how Lambda shows them.
    def _items(self) -> list[Any] | None:
        """The shard's records in order (None while there is no shard)."""
        raise NotImplementedError

    def _start(self) -> int:
        """Where a new mapping starts reading, from its StartingPosition."""
        raise NotImplementedError

    def _event_record(self, item: Any) -> dict[str, Any]:
        """One record as the event's `Records` entry."""
        raise NotImplementedError

    def _sequence(self, item: Any) -> str:
        raise NotImplementedError

    def _arrival(self, item: Any) -> datetime | None:
        raise NotImplementedError

    def _batch_info(self, remaining: list[Any]) -> tuple[str, dict[str, Any]]:
        """The failure record's description of the records it gave up (key, value)."""
        raise NotImplementedError

    def stop(self) -> None:
        """Stop polling; the thread ends within a poll interval."""
        self._stop.set()

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                items = self._items()
                if not self.esm.enabled or items is None:
                    self._stop.wait(IDLE_POLL)
                    continue
                batch = self._collect()
                if not batch:
                    continue
                done = self._process(batch)
                if done == len(batch):
                    failures = 0
                    self._limit = int(self.esm.batch_size)
                    self.position += done
                    continue
                failures += 1
                self.position += done
                if self._give_up(batch[done:], failures):
                    self.position += len(batch) - done
                    failures = 0
                    self._limit = int(self.esm.batch_size)
                else:
                    if self.esm.bisect_on_error and done == 0 and len(batch) > 1:
                        self._limit = (len(batch) + 1) // 2  # the first half goes again
                    first, cap = BACKOFF
                    self._stop.wait(min(first * 2 ** (failures - 1), cap))
            except Exception as exc:  # a poller must outlive any one bad batch
                self.esm.kit_last_result = f"PROBLEM: {exc!r}"
                self._stop.wait(1.0)

    def _collect(self) -> list[Any]:
        size = min(int(self.esm.batch_size), self._limit)
        window = float(self.esm.max_batch_window or 0)
        deadline = time.monotonic() + window
        while not self._stop.is_set():
            with _READS:
                batch = (self._items() or [])[self.position : self.position + size]
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
        filters = mapping_filters.patterns(esm)
        pairs = [(item, self._event_record(item)) for item in batch]
        if filters:
            # Records that match no filter are skipped, and the shard moves past them.
            pairs = [(item, r) for item, r in pairs if mapping_filters.passes(filters, r)]
            if not pairs:
                return len(batch)
        fn = lambda_backends[esm.account_id][esm.region].get_function(esm.function_arn)
        records = [r for _, r in pairs]
        try:
            result = self.runtime.invoke(fn, json.dumps({"Records": records}).encode())
        except Throttled:
            esm.kit_last_result = "PROBLEM: Function call throttled"
            return 0
        if result.function_error:
            esm.kit_last_result = "PROBLEM: Function call failed"
            return 0
        if "ReportBatchItemFailures" in (esm.function_response_types or []):
            numbers = [self._sequence(item) for item, _ in pairs]
            first_failed = _first_failed(result.payload, numbers)
            if first_failed is not None:
                esm.kit_last_result = "PROBLEM: Function reported batch item failures"
                # Counted in the whole batch, filtered-out records included.
                return batch.index(pairs[first_failed][0])
        esm.kit_last_result = "OK"
        return len(batch)

    def _give_up(self, remaining: list[Any], failures: int) -> bool:
        """True when AWS would stop retrying; the batch's description goes to OnFailure."""
        esm = self.esm
        retries = esm.max_retry_attempts
        max_age = esm.max_record_age
        too_many = retries is not None and retries != -1 and failures > int(retries)
        oldest = self._arrival(remaining[0])
        age = 0.0 if oldest is None else time.time() - oldest.replace(tzinfo=UTC).timestamp()
        too_old = max_age is not None and max_age != -1 and age > int(max_age)
        if not (too_many or too_old):
            return False
        target = ((esm.destination_config or {}).get("OnFailure") or {}).get("Destination")
        if target and (refused := _role_refuses(esm, target)):
            # "Your execution role must have permissions for the destination: For SQS
            # destinations: sqs:SendMessage; For SNS destinations: sns:Publish"
            # (services-dynamodb-errors.html, as of 2026-12): without them nothing arrives, as
            # for asynchronous destinations (learner trial 12, KD10).
            esm.kit_last_result = f"PROBLEM: on-failure destination not reached: {refused}"
        elif target:
            key, info = self._batch_info(remaining)
            _send_failure(esm, target, key, info, failures, too_old)
        esm.kit_skipped = getattr(esm, "kit_skipped", 0) + len(remaining)
        return True

    def _info(self, remaining: list[Any], shard_id: str, stream_arn: str) -> dict[str, Any]:
        first, last = remaining[0], remaining[-1]
        return {
            "shardId": shard_id,
            "startSequenceNumber": self._sequence(first),
            "endSequenceNumber": self._sequence(last),
            "approximateArrivalOfFirstRecord": _iso(self._arrival(first)),
            "approximateArrivalOfLastRecord": _iso(self._arrival(last)),
            "batchSize": len(remaining),
            "streamArn": stream_arn,
        }


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


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _role_refuses(esm: Any, target: str) -> str | None:
    """Why the function's role may not send to the on-failure destination (None: it may)."""
    from moto.awslambda.models import lambda_backends

    from .. import access
    from ..runtime import metrics

    action = {"sqs": "sqs:SendMessage", "sns": "sns:Publish"}.get(target.split(":")[2], "")
    try:
        fn = lambda_backends[esm.account_id][esm.region].get_function(esm.function_arn)
    except Exception:
        return None  # the function is gone: the mapping stops on its own
    denial = action and access.role_denial(fn.account_id, fn.role, fn.function_name, action, target)
    if not denial:
        return None
    metrics.put(fn, "DestinationDeliveryFailures")
    return denial.message


def _send_failure(
    esm: Any, target: str, key: str, info: dict[str, Any], attempts: int, old: bool
) -> None:
    """AWS's stream failure record (which records, not the records) to the destination."""
    from moto.sqs.models import sqs_backends

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
        key: info,
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
