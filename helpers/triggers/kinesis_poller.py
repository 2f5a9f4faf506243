"""A Kinesis event source mapping, as Lambda runs it: one poller per shard, each in order.

Lambda reads every shard of the stream at once, each in order and one batch at a time
(`ParallelizationFactor` 1), from `StartingPosition` (`LATEST`, `TRIM_HORIZON` or
`AT_TIMESTAMP`), in batches of up to `BatchSize` (default 100) gathered for up to
`MaximumBatchingWindowInSeconds`. Errors, retries, `BisectBatchOnFunctionError`,
`ReportBatchItemFailures` and the on-failure destination (with a `KinesisBatchInfo`) work as for
DynamoDB Streams, on the engine they share (`shard_poller.ShardPoller`). moto invoked the
function once per record, inside PutRecord.

Sources (as of 2026-12): https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (the
event, with `kinesis.data` base64-encoded, and `eventID` "shardId:sequenceNumber"),
https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html (the failure
record's `KinesisBatchInfo`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .shard_poller import ShardPoller

if TYPE_CHECKING:
    from ..runtime.service import Runtime


class KinesisShardPoller(ShardPoller):
    """Runs one shard of a Kinesis event source mapping in a background thread."""

    source = "kinesis"

    def __init__(self, runtime: Runtime, esm: Any, stream: Any, shard: Any) -> None:
        self.stream = stream
        self.shard = shard
        super().__init__(runtime, esm)

    def _items(self) -> list[Any] | None:
        return list(self.shard.records.values())

    def _start(self) -> int:
        items = self._items() or []
        position = (self.esm.starting_position or "TRIM_HORIZON").upper()
        if position == "LATEST":
            return len(items)
        if position == "AT_TIMESTAMP":
            moment = self.esm.starting_position_timestamp
            when = moment.timestamp() if isinstance(moment, datetime) else float(moment or 0)
            return next((i for i, r in enumerate(items) if r.created_at >= when), len(items))
        return 0

    def _event_record(self, item: Any) -> dict[str, Any]:
        return {
            "kinesis": {
                "kinesisSchemaVersion": "1.0",
                "partitionKey": item.partition_key,
                "sequenceNumber": self._sequence(item),
                "data": item.data,  # base64, as PutRecord received it
                "approximateArrivalTimestamp": round(item.created_at, 3),
            },
            "eventSource": "aws:kinesis",
            "eventVersion": "1.0",
            "eventID": f"{self.shard.shard_id}:{self._sequence(item)}",
            "eventName": "aws:kinesis:record",
            "invokeIdentityArn": self._role(),
            "awsRegion": self.stream.region,
            "eventSourceARN": self.stream.arn,
        }

    def _role(self) -> str:
        from moto.awslambda.models import lambda_backends

        esm = self.esm
        return lambda_backends[esm.account_id][esm.region].get_function(esm.function_arn).role

    def _sequence(self, item: Any) -> str:
        return str(item.sequence_number)

    def _arrival(self, item: Any) -> datetime | None:
        return datetime.fromtimestamp(item.created_at, UTC).replace(tzinfo=None)

    def _batch_info(self, remaining: list[Any]) -> tuple[str, dict[str, Any]]:
        return "KinesisBatchInfo", self._info(remaining, self.shard.shard_id, self.stream.arn)


class KinesisMapping:
    """A Kinesis mapping's pollers, one per shard of its stream."""

    def __init__(self, runtime: Runtime, esm: Any, stream: Any) -> None:
        self.pollers = [
            KinesisShardPoller(runtime, esm, stream, shard)
            for shard in sorted(stream.shards.values(), key=lambda s: s.shard_id)
        ]

    def stop(self) -> None:
        """Stop every shard's poller."""
        for poller in self.pollers:
            poller.stop()
