"""An HTTP API stage's throttling: its route's (or the stage's default) rate and burst limits.

API Gateway throttles with a token bucket: the burst limit is the bucket's size, the rate limit
(requests per second) refills it, and a request that finds it empty gets `429 Too Many
Requests` ("Protect your HTTP API by throttling requests", API Gateway Developer Guide,
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html; as_of
2026-12-07). A stage's `RouteSettings` for a route key win over its `DefaultRouteSettings`; a
stage with neither limit set isn't throttled here (AWS's account-level quota, 10,000 requests/s,
is far above a notebook's).
"""

from __future__ import annotations

import threading
import time
from typing import Any

_lock = threading.Lock()
# (api id, stage, route key) -> (tokens, when they were counted, rate, burst)
_buckets: dict[tuple[str, str, str], tuple[float, float, float, float]] = {}


def _limits(stage: Any, route_key: str) -> tuple[float, float] | None:
    """(rate per second, burst) for this route on this stage, or None: not throttled."""
    settings = dict(getattr(stage, "default_route_settings", None) or {})
    settings.update((getattr(stage, "route_settings", None) or {}).get(route_key) or {})
    rate, burst = settings.get("throttlingRateLimit"), settings.get("throttlingBurstLimit")
    if rate is None and burst is None:
        return None
    return float(rate if rate is not None else 10_000), float(burst if burst is not None else 5_000)


def admits(api_id: str, stage: Any, route_key: str) -> bool:
    """Whether the stage lets one more request through this route now (taking its token)."""
    limits = _limits(stage, route_key)
    if limits is None:
        return True
    rate, burst = limits
    key = (api_id, str(getattr(stage, "name", "")), route_key)
    now = time.monotonic()
    with _lock:
        tokens, then, old_rate, old_burst = _buckets.get(key, (burst, now, rate, burst))
        if (old_rate, old_burst) != (rate, burst):  # the limits changed: a full new bucket
            tokens, then = burst, now
        tokens = min(burst, tokens + (now - then) * rate)
        admitted = tokens >= 1
        _buckets[key] = (tokens - 1 if admitted else tokens, now, rate, burst)
    return admitted
