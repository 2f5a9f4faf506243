"""Event source mappings that run: a poller per SQS queue, DynamoDB stream or Kinesis mapping.

moto stores a mapping and fired it inside the sender's request, once per message. Here each
mapping gets its own poller thread, created with the mapping and stopped when it is deleted.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from .dynamodb_poller import DynamoDBPoller
from .kinesis_poller import KinesisMapping
from .sqs_poller import SqsPoller

if TYPE_CHECKING:
    from ..runtime.service import Runtime


class Mappings:
    """The running pollers of every event source mapping, by mapping UUID."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._pollers: dict[str, SqsPoller | DynamoDBPoller | KinesisMapping] = {}
        self._lock = threading.Lock()

    def start(self, esm: Any, *, table: Any = None) -> None:
        """Start polling for a new mapping (an SQS queue; a DynamoDB table's stream, or a
        Kinesis stream, given as `table`)."""
        service = esm.event_source_arn.split(":")[2]
        poller: SqsPoller | DynamoDBPoller | KinesisMapping
        if service == "sqs":
            poller = SqsPoller(self.runtime, esm)
        elif service == "dynamodb" and table is not None:
            poller = DynamoDBPoller(self.runtime, esm, table)
        elif service == "kinesis" and table is not None:
            poller = KinesisMapping(self.runtime, esm, table)
        else:
            return
        with self._lock:
            self._pollers[esm.uuid] = poller

    def caught_up(self, uuid: str) -> bool | None:
        """Whether a stream mapping's poller has handed every record of its stream to the
        function and had it done (None: no such stream mapping)."""
        with self._lock:
            poller = self._pollers.get(uuid)
        if poller is None or not hasattr(poller, "position"):
            return None
        return poller.position >= len(poller._items() or [])

    def stop(self, uuid: str) -> None:
        """Stop the poller of a deleted mapping: nothing fires after DeleteEventSourceMapping."""
        with self._lock:
            poller = self._pollers.pop(uuid, None)
        if poller is not None:
            poller.stop()

    def stop_all(self) -> None:
        """Stop every poller (reset or stop of the local AWS)."""
        with self._lock:
            pollers = list(self._pollers.values())
            self._pollers.clear()
        for poller in pollers:
            poller.stop()
