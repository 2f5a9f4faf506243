"""A DynamoDB Streams event source mapping, as Lambda runs it: the table's one shard, in order.

The engine (batches, retries, bisection, partial batch responses, the on-failure destination) is
`shard_poller.ShardPoller`; this says what a DynamoDB stream record looks like to the function.
Source (as of 2026-12): https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html (the event).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .shard_poller import ShardPoller

if TYPE_CHECKING:
    from ..runtime.service import Runtime


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


class DynamoDBPoller(ShardPoller):
    """Runs one DynamoDB Streams event source mapping in a background thread."""

    source = "ddb"

    def __init__(self, runtime: Runtime, esm: Any, table: Any) -> None:
        self.table = table
        super().__init__(runtime, esm)

    def _items(self) -> list[Any] | None:
        shard = self.table.stream_shard
        return None if shard is None else shard.items

    def _start(self) -> int:
        latest = (self.esm.starting_position or "TRIM_HORIZON") == "LATEST"
        return len(self.table.stream_shard.items) if latest else 0

    def _event_record(self, item: Any) -> dict[str, Any]:
        return record(item, self.table, self.esm.event_source_arn)

    def _sequence(self, item: Any) -> str:
        return item.to_json()["dynamodb"]["SequenceNumber"]

    def _arrival(self, item: Any) -> datetime | None:
        created = item.to_json()["dynamodb"].get("ApproximateCreationDateTime")
        return created if isinstance(created, datetime) else None

    def _batch_info(self, remaining: list[Any]) -> tuple[str, dict[str, Any]]:
        shard = "shardId-00000001541626099285-f35f62ef"
        return "DDBStreamBatchInfo", self._info(remaining, shard, self.esm.event_source_arn)
