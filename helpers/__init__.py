"""The Lambda teaching kit's helpers: a local AWS whose Lambda runtime really runs your code.

    import helpers
    aws = helpers.start()          # moto on 127.0.0.1, boto3 pointed at it
    lam = boto3.client("lambda")   # plain boto3, as on AWS

Heavy imports (moto, boto3) wait until `start()` is called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cloud import LocalAWS

__all__ = ["start"]


def start(**settings: Any) -> LocalAWS:
    """Start the local AWS (once per process) and point this process's boto3 at it."""
    from .cloud import start as _start

    return _start(**settings)
