"""Kit-only: boto3's waiters ask the local AWS every 0.1 s rather than every 1 to 20 s.

The local AWS keeps a new function `Pending` and an update `InProgress` for a quarter of a second
(`patches.function_states`), so a waiter still meets the state and waits for it, as on AWS; it
only asks more often, so a notebook doesn't sit out a whole second per waiter. This applies only
to a waiter whose client talks to the local AWS, when the caller gave no `WaiterConfig` Delay;
the longest wait (Delay times MaxAttempts) stays the waiter's own. Your code is unchanged: on
AWS the same waiter polls at its usual pace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore import waiter as botocore_waiter

POLL_S = 0.1
_installed = False


def install(is_local: Callable[[str], bool]) -> None:
    """Make waiters of clients whose endpoint `is_local` poll every POLL_S seconds."""
    global _installed
    if _installed:
        return
    _installed = True
    original = botocore_waiter.Waiter.wait

    def wait(self: Any, **kwargs: Any) -> None:
        config = dict(kwargs.pop("WaiterConfig", None) or {})
        method = getattr(self._operation_method, "_client_method", None)
        client = getattr(method, "__self__", None)
        endpoint = getattr(getattr(client, "meta", None), "endpoint_url", "") or ""
        if "Delay" not in config and is_local(endpoint):
            delay = float(self.config.delay)
            attempts = int(config.get("MaxAttempts", self.config.max_attempts))
            if delay > POLL_S:
                config["Delay"] = POLL_S
                config["MaxAttempts"] = int(attempts * delay / POLL_S)
        if config:
            kwargs["WaiterConfig"] = config
        return original(self, **kwargs)

    wait.__doc__ = original.__doc__
    botocore_waiter.Waiter.wait = wait
