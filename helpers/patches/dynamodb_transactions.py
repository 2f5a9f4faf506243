"""TransactWriteItems' ClientRequestToken, as DynamoDB honours it (moto ignored it).

A repeat of the same request with the same token within 10 minutes succeeds without applying
its writes again; the same token with a different request is IdempotentParameterMismatchException
(TransactWriteItems, DynamoDB API Reference: "A client token is valid for 10 minutes after the
first request that uses it is completed"; as_of 2026-12-07). A learner who relies on the token
for idempotency learns here what AWS does: it covers a retry within those 10 minutes only.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from moto.dynamodb.exceptions import ERROR_TYPE_PREFIX, DynamodbException

TOKEN_SECONDS = 600  # a token is valid for 10 minutes (TransactWriteItems)
_lock = threading.Lock()
# (account, region, token) -> (the request's items as JSON, when it completed, what it answered)
_tokens: dict[tuple[str, str, str], tuple[str, float, Any]] = {}


class IdempotentParameterMismatch(DynamodbException):
    """The same token with another request (the API reference's words)."""

    def __init__(self) -> None:
        super().__init__(
            ERROR_TYPE_PREFIX + "IdempotentParameterMismatchException",
            "DynamoDB rejected the request because you retried a request with a different "
            "payload but with an idempotent token that was already used.",
        )


def apply() -> None:
    """Wrap moto's TransactWriteItems (see the module's docstring)."""
    from moto.dynamodb.responses import DynamoHandler
    from moto.moto_api._internal import models as moto_api_models

    DynamoHandler.transact_write_items = _with_token(DynamoHandler.transact_write_items)
    reset = moto_api_models.MotoAPIBackend.reset

    def forgetting(self: Any) -> None:
        forget()  # a reset account holds no tokens
        reset(self)

    moto_api_models.MotoAPIBackend.reset = forgetting


def _with_token(original: Callable) -> Callable:
    def transact_write_items(self: Any) -> Any:
        token = self.body.get("ClientRequestToken")
        if not token:
            return original(self)
        backend = self.dynamodb_backend
        key = (str(backend.account_id), str(backend.region_name), str(token))
        items = json.dumps(self.body.get("TransactItems"), sort_keys=True)
        now = time.monotonic()
        with _lock:
            for old in [k for k, (_, at, _) in _tokens.items() if now - at > TOKEN_SECONDS]:
                del _tokens[old]
            seen = _tokens.get(key)
        if seen is not None:
            if seen[0] != items:
                raise IdempotentParameterMismatch()
            return seen[2]  # the first answer again; nothing is written twice
        answer = original(self)
        with _lock:
            _tokens[key] = (items, time.monotonic(), answer)
        return answer

    return transact_write_items


def forget() -> None:
    """Drop every token (the kit's reset)."""
    with _lock:
        _tokens.clear()
