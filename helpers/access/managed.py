"""AWS managed policies (AWSLambdaBasicExecutionRole, AmazonS3ReadOnlyAccess...), on demand.

Each one is created in an account when first attached or read: moto's
`MOTO_IAM_LOAD_MANAGED_POLICIES` builds all of them for every account after every reset.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from typing import Any

__all__ = ["materialise"]

# The notebook and handlers run in threads: two may ask for the same policy at once.
_materialise_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _aws_policy_catalogue() -> dict[str, Any]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    return json.loads(aws_managed_policies_data)


@functools.lru_cache(maxsize=256)
def _aws_policy(name: str) -> dict[str, Any] | None:
    """AWS managed policy `name` as moto records it (Path, DefaultVersionId, Document...)."""
    from moto.iam.aws_managed_policies import aws_managed_policies_data as catalogue

    # Decoding only this entry takes well under a millisecond; the whole catalogue (~5 MB)
    # takes over 100 ms, so it is the fallback if moto ever lays the text out differently.
    marker = f'\n "{name}":'
    at = catalogue.find(marker)
    if at >= 0:
        try:
            entry, _ = json.JSONDecoder().raw_decode(catalogue, at + len(marker))
            return entry if isinstance(entry, dict) else None
        except ValueError:
            pass
    return _aws_policy_catalogue().get(name)


_AWS_POLICY_ARN = re.compile(r"arn:(aws[\w-]*):iam::aws:policy(/(?:[^/]+/)*)([\w+=,.@-]+)")


def materialise(backend: Any, policy_arn: str) -> None:
    """Create AWS managed policy `policy_arn` in `backend` if AWS has it and it is missing."""
    if policy_arn in backend.managed_policies:
        return
    match = _AWS_POLICY_ARN.fullmatch(policy_arn or "")
    if match is None:
        return
    data = _aws_policy(match.group(3))
    if not data or data.get("Path", "/") != match.group(2):
        return
    from moto.iam.models import AWSManagedPolicy

    with _materialise_lock:
        if policy_arn in backend.managed_policies:
            return
        policy = AWSManagedPolicy.from_data(match.group(3), backend.account_id, "us-east-1", data)
        if policy.arn != policy_arn:  # another partition: leave it to moto
            return
        backend.managed_policies[policy.arn] = policy
        backend.aws_managed_policies.append(policy)
