"""Concurrency: how many invocations may run at once, per function and per account.

Reserved concurrency caps a function (0 throttles every invoke); the account-wide limit caps the
functions without a reservation, less what the reservations set aside — AWS's arithmetic.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any


class Throttled(Exception):
    """An invocation refused for lack of concurrency (AWS's TooManyRequestsException)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Concurrency:
    """Counts invocations in flight and refuses those over a limit."""

    def __init__(self, account_limit: int) -> None:
        self.account_limit = account_limit
        self._lock = threading.Lock()
        self._per_function: Counter[tuple[str, str, str]] = Counter()
        self._unreserved: Counter[tuple[str, str]] = Counter()

    def acquire(
        self, function: tuple[str, str, str], reserved: int | None, all_reserved: Iterable[int]
    ) -> bool:
        """Count one more invocation of `function`, or raise Throttled.

        Returns whether it counts against the unreserved pool (give that back to `release`).
        """
        account = function[:2]
        with self._lock:
            if reserved is not None:
                if self._per_function[function] >= reserved:
                    raise Throttled("ReservedFunctionConcurrentInvocationLimitExceeded")
            else:
                room = self.account_limit - sum(all_reserved)
                if self._unreserved[account] >= room:
                    raise Throttled("ConcurrentInvocationLimitExceeded")
                self._unreserved[account] += 1
            self._per_function[function] += 1
            return reserved is None

    def release(self, function: tuple[str, str, str], unreserved: bool) -> None:
        with self._lock:
            self._per_function[function] -= 1
            if unreserved:
                self._unreserved[function[:2]] -= 1

    def in_flight(self) -> int:
        with self._lock:
            return sum(self._per_function.values())

    def running(self, function: tuple[str, str, str]) -> tuple[int, int]:
        """Invocations in flight now: (of this function, of its account)."""
        with self._lock:
            account = function[:2]
            total = sum(n for key, n in self._per_function.items() if key[:2] == account)
            return self._per_function[function], total


def reserved_of(fn: Any) -> int | None:
    """The function's reserved concurrency, whichever version `fn` is: as on AWS, "concurrency
    settings apply to the function as a whole, including all published versions and the
    unpublished version" (https://docs.aws.amazon.com/lambda/latest/api/
    API_PutFunctionConcurrency.html; as_of 2026-12-07). moto keeps it on $LATEST only: a version
    published before the setting holds its own stale copy."""
    from moto.awslambda.models import lambda_backends

    group = lambda_backends[fn.account_id][fn.region]._lambdas._functions.get(fn.function_name)
    latest = (group or {}).get("latest") or fn
    return None if latest.reserved_concurrency is None else int(latest.reserved_concurrency)


def reserved_in_region(fn: Any) -> list[int]:
    """Reserved concurrency of every function in fn's account and Region."""
    from moto.awslambda.models import lambda_backends

    backend = lambda_backends[fn.account_id][fn.region]
    reserved = []
    for group in list(backend._lambdas._functions.values()):
        latest = group.get("latest")
        if latest is not None and latest.reserved_concurrency is not None:
            reserved.append(int(latest.reserved_concurrency))
    return reserved
