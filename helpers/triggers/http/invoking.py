"""Running the function behind a front door: find it, invoke it, time it out."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...access.function_policies import Caller
from ...patches import http_endpoints
from ...patches.lambda_api import _resolve
from ...patches.resource_policies import may_invoke
from ...runtime import recursion
from ...runtime.concurrency import Throttled

LAMBDA_ARN = re.compile(
    r"arn:(?P<partition>[\w-]+):lambda:(?P<region>[\w-]+):(?P<account>\d{12}):function:[^/]+"
)


# ---------------------------------------------------------------------------- invoking
@dataclass
class Outcome:
    """How the function call went: "ok", "error", "throttled", "timeout", "missing" or
    "forbidden" (the function's policy doesn't let the front door invoke it)."""

    kind: str
    payload: bytes = b""
    reason: str = ""


def function_arn_in(uri: str, stage_variables: dict[str, str] | None = None) -> str | None:
    """The function ARN inside an integration URI (API Gateway form or a plain ARN)."""
    for name, value in (stage_variables or {}).items():
        uri = uri.replace(f"${{stageVariables.{name}}}", value)
    match = LAMBDA_ARN.search(uri)
    return match.group(0) if match else None


def call_function(
    function_arn: str,
    event: dict[str, Any],
    wait_s: float | None,
    permitted: Callable[[Any, str], bool] | None = None,
) -> Outcome:
    """Run the function with `event`; give up waiting after `wait_s` (it runs on, as on AWS).

    `permitted(fn, invoked_arn)` is the front door's check of the function's resource-based
    policy: "forbidden" when it says no, and the function doesn't run.
    """
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
    if permitted is not None and not permitted(fn, invoked_arn):
        return Outcome("forbidden", reason="the function's resource-based policy")
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


def from_api(region: str, account: str, api_id: str, stage: str, method: str, path: str) -> Any:
    """API Gateway's check: `apigateway.amazonaws.com`, from the ARN of the API's stage, method
    and resource path (`arn:aws:execute-api:<Region>:<account>:<API id>/<stage>/<METHOD>/<path>`,
    https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html)."""
    source = f"arn:aws:execute-api:{region}:{account}:{api_id}/{stage}/{method}{path}"
    caller = Caller("apigateway.amazonaws.com", source, account)
    return lambda fn, invoked_arn: may_invoke(fn, invoked_arn, caller)


def from_authorizer(region: str, account: str, api_id: str, authorizer_id: str) -> Any:
    """API Gateway's check before it runs a Lambda authorizer: `apigateway.amazonaws.com`, from
    the authorizer's ARN (`arn:aws:execute-api:<Region>:<account>:<API id>/authorizers/<id>`,
    http-api-lambda-authorizer.html, as of 2026-12)."""
    source = f"arn:aws:execute-api:{region}:{account}:{api_id}/authorizers/{authorizer_id}"
    caller = Caller("apigateway.amazonaws.com", source, account)
    return lambda fn, invoked_arn: may_invoke(fn, invoked_arn, caller)
