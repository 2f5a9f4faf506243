"""API Gateway (REST and HTTP APIs) and function URL patches: their URLs answer locally.

Being written (issue 3): the URLs moto returns (ApiEndpoint, FunctionUrl) point at the kit's
server, where `helpers.triggers.http` serves them.
"""

from __future__ import annotations

from collections.abc import Callable

from ..runtime.service import Runtime

runtime_getter: Callable[[], Runtime | None] = lambda: None  # noqa: E731


def apply(runtime: Callable[[], Runtime | None]) -> None:
    """Install the API Gateway and function URL patches."""
    global runtime_getter
    runtime_getter = runtime
