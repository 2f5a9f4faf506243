"""What one invocation is about: a snapshot of the function version an environment runs, what an
invoke returns, and the execution role's credentials an environment is given."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from . import concurrency, layers, logs


@dataclass
class Invocation:
    """What one invoke returned: payload, error flag, executed version and its log."""

    request_id: str
    payload: bytes
    executed_version: str
    function_error: str | None = None
    log_lines: list[str] = field(default_factory=list)
    cold: bool = False
    report: logs.Report | None = None

    @property
    def error(self) -> dict[str, Any] | None:
        return json.loads(self.payload) if self.function_error else None


@dataclass(frozen=True)
class FunctionSpec:
    """What an environment runs: a snapshot of one function version's code and configuration."""

    account_id: str
    region: str
    name: str
    version: str
    arn: str
    code_sha: str
    handler: str
    runtime: str
    memory: int
    timeout: int
    variables: tuple[tuple[str, str], ...]
    role: str
    reserved: int | None
    # Each layer version as (ARN, content hash), in the function's order.
    layers: tuple[tuple[str, str], ...] = ()
    # LoggingConfig: the log format and levels, and the log group.
    log_format: logs.LogFormat = logs.TEXT
    log_group: str = ""

    @classmethod
    def of(cls, fn: Any) -> FunctionSpec:
        return cls(
            account_id=fn.account_id,
            region=fn.region,
            name=fn.function_name,
            version=str(fn.version),
            arn=fn.function_arn,
            code_sha=fn.code_digest,
            handler=fn.handler or "",
            runtime=fn.run_time or "",
            memory=int(fn.memory_size),
            timeout=int(fn.timeout),
            variables=tuple(sorted((fn.environment_vars or {}).items())),
            role=fn.role,
            reserved=concurrency.reserved_of(fn),
            layers=tuple((layer.arn, layer.digest) for layer in layers.attached(fn)),
            log_format=logs.LogFormat.of(getattr(fn, "logging_config", None)),
            log_group=(getattr(fn, "logging_config", None) or {}).get("LogGroup")
            or f"/aws/lambda/{fn.function_name}",
        )

    @property
    def slot(self) -> tuple[str, str, str, str]:
        return (self.account_id, self.region, self.name, self.version)

    @property
    def function(self) -> tuple[str, str, str]:
        return (self.account_id, self.region, self.name)

    @property
    def key(self) -> tuple:
        """Everything that, when it changes, makes AWS start fresh environments."""
        return (
            self.code_sha,
            self.handler,
            self.runtime,
            self.memory,
            self.timeout,
            self.variables,
            self.role,
            self.layers,
            self.log_format,
            self.log_group,
        )


def role_credentials(spec: FunctionSpec) -> dict[str, str]:
    """The execution role's temporary credentials for one environment, from the local STS.

    The local AWS knows them as the role's session for this function, so it can check the
    handler's calls against the role (`aws.configure(enforce_iam=True)`).
    """
    from .. import access

    try:
        return access.credentials(spec.account_id, spec.region, spec.role, spec.name)
    except Exception:  # an INIT must not fail over credentials: unchecked ones
        return fake_credentials(spec.role)


def fake_credentials(role: str) -> dict[str, str]:
    """Per-role fake credentials, shaped like the temporary ones AWS gives a function."""
    digest = hashlib.sha256(role.encode()).hexdigest().upper()
    return {
        "AWS_ACCESS_KEY_ID": f"ASIA{digest[:16]}",
        "AWS_SECRET_ACCESS_KEY": digest[16:56],
        "AWS_SESSION_TOKEN": f"kit-local-session-{digest[:24]}",
    }
