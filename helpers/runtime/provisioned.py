"""Provisioned concurrency: environments initialised before any request, and kept.

`PutProvisionedConcurrencyConfig` on a published version or an alias makes Lambda initialise that
many execution environments ahead of time (status IN_PROGRESS, then READY). Requests to that
version use them first and start warm: no INIT, no `Init Duration` in REPORT. Requests beyond
them spill over to on-demand environments, which start cold. Provisioned environments are never
reclaimed for being idle; deleting the config releases them.
(https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html)

The kit keeps the configs per function and qualifier, and allocates the environments in a
background thread, one after the other, each running the function's INIT for real.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from . import logs
from .environment import ExecutionEnvironment, Outcome


class Runtime(Protocol):
    """What provisioning needs of the runtime (service.Runtime, which imports this module)."""

    _closing: threading.Event

    def new_environment(
        self, spec: Any, *, fn: Any, provisioned: bool = False
    ) -> ExecutionEnvironment: ...

    def initialise(
        self, fn: Any, spec: Any, env: ExecutionEnvironment, lines: list[str]
    ) -> tuple[Outcome, dict]: ...

    def check_in(self, env: ExecutionEnvironment, spec: Any, keep: bool) -> None: ...

    def retire(self, env: ExecutionEnvironment) -> None: ...


class ProvisionedStatus(StrEnum):
    """A provisioned concurrency config's Status, as the API reports it."""

    IN_PROGRESS = "IN_PROGRESS"
    READY = "READY"
    FAILED = "FAILED"


@dataclass
class ProvisionedConfig:
    """One function version's or alias's provisioned concurrency, as the API reports it."""

    function_arn: str  # qualified with the version or alias it was put on
    version: str
    requested: int
    allocated: int = 0
    status: ProvisionedStatus = ProvisionedStatus.IN_PROGRESS
    reason: str | None = None
    last_modified: str = field(
        default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"
    )
    envs: list[ExecutionEnvironment] = field(default_factory=list)
    cancelled: bool = False

    def to_dict(self, *, with_arn: bool = False) -> dict[str, Any]:
        """The API's fields (ListProvisionedConcurrencyConfigs adds FunctionArn)."""
        data: dict[str, Any] = {"FunctionArn": self.function_arn} if with_arn else {}
        data.update(
            {
                "RequestedProvisionedConcurrentExecutions": self.requested,
                "AvailableProvisionedConcurrentExecutions": self.allocated,
                "AllocatedProvisionedConcurrentExecutions": self.allocated,
                "Status": self.status.value,
                "LastModified": self.last_modified,
            }
        )
        if self.reason:
            data["StatusReason"] = self.reason
        return data


Key = tuple[str, str, str, str]  # account, region, function name, qualifier


class Provisioner:
    """The provisioned concurrency configs of one local AWS, and their environments."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._configs: dict[Key, ProvisionedConfig] = {}
        self._lock = threading.Lock()

    def put(self, fn: Any, qualifier: str, count: int) -> ProvisionedConfig:
        """Replace the config on `qualifier` (fn is the version it names) and start allocating."""
        from .spec import FunctionSpec

        spec = FunctionSpec.of(fn)
        key = (spec.account_id, spec.region, spec.name, qualifier)
        arn = f"arn:aws:lambda:{spec.region}:{spec.account_id}:function:{spec.name}:{qualifier}"
        config = ProvisionedConfig(arn, spec.version, count)
        with self._lock:
            previous = self._configs.get(key)
            self._configs[key] = config
        if previous is not None:
            self._release(previous)
        threading.Thread(
            target=self._allocate, args=(fn, spec, config), name="kit-provisioning", daemon=True
        ).start()
        return config

    def get(self, account: str, region: str, name: str, qualifier: str) -> ProvisionedConfig | None:
        """The config on this qualifier, if any."""
        with self._lock:
            return self._configs.get((account, region, name, qualifier))

    def listed(self, account: str, region: str, name: str) -> list[ProvisionedConfig]:
        """Every config of a function."""
        with self._lock:
            return [c for k, c in self._configs.items() if k[:3] == (account, region, name)]

    def total(self, account: str, region: str, name: str | None = None) -> int:
        """Provisioned concurrency requested, for one function or (name None) the account."""
        with self._lock:
            return sum(
                c.requested
                for k, c in self._configs.items()
                if k[:2] == (account, region) and (name is None or k[2] == name)
            )

    def delete(self, account: str, region: str, name: str, qualifier: str) -> bool:
        """Remove the config and release its environments; False when there was none."""
        with self._lock:
            config = self._configs.pop((account, region, name, qualifier), None)
        if config is not None:
            self._release(config)
        return config is not None

    def forget(self, account: str, region: str, name: str) -> None:
        """The function was deleted: its configs go with it (its environments are stopped)."""
        with self._lock:
            for key in [k for k in self._configs if k[:3] == (account, region, name)]:
                self._configs.pop(key).cancelled = True

    def clear(self) -> None:
        """Forget every config (reset and stop kill the environments)."""
        with self._lock:
            for config in self._configs.values():
                config.cancelled = True
            self._configs.clear()

    def _allocate(self, fn: Any, spec: Any, config: ProvisionedConfig) -> None:
        runtime = self.runtime
        for _ in range(config.requested):
            if config.cancelled or runtime._closing.is_set():
                return
            env = runtime.new_environment(spec, provisioned=True, fn=fn)
            lines: list[str] = []
            outcome, body = runtime.initialise(fn, spec, env, lines)
            failed = outcome is not Outcome.REPLY or body.get("error")
            if not failed:  # AWS logs each provisioned environment's Init, ahead of requests
                lines.append(f"INIT_REPORT Init Duration: {body['init_ms']:.2f} ms")
            if lines and logs.role_may_write(
                spec.account_id, spec.region, spec.name, spec.role, spec.log_group, env.log_stream
            ):
                logs.write(
                    spec.account_id, spec.region, spec.name, env.log_stream, lines, spec.log_group
                )
            if failed:
                runtime.check_in(env, spec, keep=False)
                error = (body or {}).get("error") or {}
                what = error.get("errorType") or outcome.value
                config.reason = (
                    f"FUNCTION_ERROR_INIT_FAILURE: {what} {error.get('errorMessage', '')}"
                )
                config.status = ProvisionedStatus.FAILED
                return
            env.initialized = True
            config.envs.append(env)
            runtime.check_in(env, spec, keep=True)
            config.allocated += 1
            if config.cancelled:  # deleted while this one was initialising
                self._release(config)
                return
        config.status = ProvisionedStatus.READY

    def _release(self, config: ProvisionedConfig) -> None:
        config.cancelled = True
        for env in config.envs:
            # An idle one stops now; a busy one finishes its request as an on-demand one.
            env.provisioned = False
            self.runtime.retire(env)
        config.envs.clear()
