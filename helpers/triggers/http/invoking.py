"""Running the function behind a front door: find it, invoke it, time it out."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from typing import Any

from ...patches import http_endpoints
from ...patches.lambda_api import _resolve
from ...runtime import recursion
from ...runtime.concurrency import Throttled

LAMBDA_ARN = re.compile(
    r"arn:(?P<partition>[\w-]+):lambda:(?P<region>[\w-]+):(?P<account>\d{12}):function:[^/]+"
)


# ---------------------------------------------------------------------------- invoking
@dataclass
class Outcome:
    """How the function call went: "ok", "error", "throttled", "timeout" or "missing"."""

    kind: str
    payload: bytes = b""
    reason: str = ""


def function_arn_in(uri: str, stage_variables: dict[str, str] | None = None) -> str | None:
    """The function ARN inside an integration URI (API Gateway form or a plain ARN)."""
    for name, value in (stage_variables or {}).items():
        uri = uri.replace(f"${{stageVariables.{name}}}", value)
    match = LAMBDA_ARN.search(uri)
    return match.group(0) if match else None


def call_function(function_arn: str, event: dict[str, Any], wait_s: float | None) -> Outcome:
    """Run the function with `event`; give up waiting after `wait_s` (it runs on, as on AWS)."""
    from moto.awslambda.models import lambda_backends

    runtime = http_endpoints.runtime_getter()
    match = LAMBDA_ARN.fullmatch(function_arn)
    if runtime is None or match is None:
        return Outcome("missing", reason="no such function, or the local AWS is stopped")
    try:
        backend = lambda_backends[match["account"]][match["region"]]
        fn, invoked_arn = _resolve(backend, function_arn, None)
    except Exception as exc:
        return Outcome("missing", reason=str(exc))
    body = json.dumps(event).encode()
    trace = recursion.CURRENT_TRACE.get()
    result: dict[str, Outcome] = {}

    def run() -> None:
        try:
            done = runtime.invoke(fn, body, invoked_arn=invoked_arn, parent_trace=trace)
            kind = "error" if done.function_error else "ok"
            result["outcome"] = Outcome(kind, done.payload)
        except Throttled as exc:
            result["outcome"] = Outcome("throttled", reason=exc.reason)
        except Exception as exc:
            result["outcome"] = Outcome("missing", reason=repr(exc))

    if wait_s is None:
        run()
    else:
        # The gateway stops waiting; the function keeps running to its own timeout.
        worker = threading.Thread(target=run, name="kit-http-invoke", daemon=True)
        worker.start()
        worker.join(wait_s)
        if worker.is_alive():
            return Outcome("timeout")
    return result["outcome"]
