"""Recursive loop detection, as AWS does it: a request chain's length rides in the trace header.

Inside a function, botocore sends the `_X_AMZN_TRACE_ID` of the current invocation as the
`X-Amzn-Trace-Id` header of every call it makes. The kit's HTTP layer keeps that header for the
request; when the request triggers another invocation (S3 notification, SQS, SNS, ...), the new
invocation's `Lineage` counter is one more. Past AWS's limit the chain is stopped.
"""

from __future__ import annotations

import contextvars
import hashlib
import re
import secrets
import time

# The X-Amzn-Trace-Id header of the HTTP request being served on this thread, if any.
CURRENT_TRACE: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "kit_trace_header", default=None
)

_LINEAGE = re.compile(r"Lineage=[0-9a-f]+:(\d+)")
_ROOT = re.compile(r"Root=([0-9a-f-]+)")


def depth(header: str | None) -> int:
    """How many invocations the request chain behind this header has had."""
    found = _LINEAGE.search(header or "")
    return int(found.group(1)) if found else 0


def trace_for(parent_header: str | None, function_arn: str, count: int) -> str:
    """The `_X_AMZN_TRACE_ID` of a new invocation, carrying the chain's root and its count."""
    root = _ROOT.search(parent_header or "")
    root_id = root.group(1) if root else f"1-{int(time.time()):08x}-{secrets.token_hex(12)}"
    tag = hashlib.sha256(function_arn.encode()).hexdigest()[:8]
    return f"Root={root_id};Parent={secrets.token_hex(8)};Sampled=0;Lineage={tag}:{count}"
