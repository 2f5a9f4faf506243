"""Error payloads the kit builds itself, in the shape and words AWS uses.

Errors raised by the handler come from the runtime inside the environment (bootstrap.py); these
are the ones that happen to the environment: a timeout, a crash, running out of memory, a
response too large to return.
"""

from __future__ import annotations

import json


def payload(error_type: str, message: str) -> bytes:
    return json.dumps({"errorMessage": message, "errorType": error_type}).encode()


def timed_out(request_id: str, timeout_s: float) -> tuple[str, str]:
    """AWS's timeout: the environment is stopped mid-work."""
    return (
        "Sandbox.Timedout",
        f"RequestId: {request_id} Error: Task timed out after {timeout_s:.2f} seconds",
    )


def exited(request_id: str, how: str) -> tuple[str, str]:
    """The runtime process ended during an invoke (`sys.exit`, `os._exit`, a crash)."""
    if how == "exit status 0":
        return (
            "Runtime.ExitError",
            f"RequestId: {request_id} Error: Runtime exited without providing a reason",
        )
    return "Runtime.ExitError", f"RequestId: {request_id} Error: Runtime exited with error: {how}"


def out_of_memory(request_id: str) -> tuple[str, str]:
    """The function used more memory than its MemorySize."""
    return (
        "Runtime.OutOfMemory",
        f"RequestId: {request_id} Error: Runtime exited with error: signal: killed",
    )


def response_too_large() -> tuple[str, str]:
    # AWS's message states 6291556 bytes (a hundred more than the 6 MB limit); quoted as sent.
    return (
        "Function.ResponseSizeTooLarge",
        "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
    )


def report_type(error_type: str) -> str:
    """The Error Type a REPORT line shows: the platform keeps only Runtime.* and Function.*."""
    if error_type.startswith(("Runtime.", "Function.", "Sandbox.")):
        return error_type
    return "Runtime.Unknown"


def throttle_body(reason: str) -> bytes:
    """The body of AWS's 429 TooManyRequestsException."""
    return json.dumps({"Reason": reason, "Type": "User", "message": "Rate Exceeded."}).encode()
