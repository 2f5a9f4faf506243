"""Function states as on AWS: `Pending` after CreateFunction, `InProgress` after an update.

On AWS a new function is `Pending` for a moment before it is `Active`, and an update leaves
`LastUpdateStatus` `InProgress` before it is `Successful`. Code that doesn't wait (boto3's
`function_active_v2` and `function_updated_v2` waiters) fails there with
ResourceConflictException; moto made every function `Active` and every update `Successful` at
once, so such code passed here. The kit now keeps both states for `control_plane_delay`
seconds of real time (`aws.configure(control_plane_delay=0)` makes the control plane instant,
for tests that want speed; the default, 0.25 s, is the kit's choice: far longer than the
moment between two cells run top to bottom, so a notebook that doesn't wait sees it, and short,
since the kit's waiters poll every 0.1 s, `helpers.waiters`).

Source (as of 2026-12): https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
- "Lambda does not invoke a function during pending state"; while creation is pending, Invoke,
  UpdateFunctionCode, UpdateFunctionConfiguration and PublishVersion fail;
- "While a function update is in progress, invocations go to the function's previous code and
  configuration"; UpdateFunctionCode, UpdateFunctionConfiguration and PublishVersion fail.
The error texts are AWS's, as its SDKs print them (e.g. github.com/remotion-dev/remotion
issue 1186 for Invoke while Pending, aws/aws-cli issue 6718 for an update in progress).
"""

from __future__ import annotations

import contextlib
import copy
import os
import time
from collections.abc import Callable, Iterator
from enum import Enum
from typing import Any

from moto.awslambda import models as lambda_models
from moto.awslambda.exceptions import LambdaClientError

# The kit's choice, not AWS's figure (AWS gives none: a zip function without a VPC is usually
# Active within a second). KIT_CONTROL_PLANE_DELAY overrides it for a whole process tree.
DEFAULT_DELAY_S = 0.25


class FunctionState(Enum):
    PENDING = "Pending"
    ACTIVE = "Active"


class UpdateStatus(Enum):
    IN_PROGRESS = "InProgress"
    SUCCESSFUL = "Successful"


def _default_delay() -> float:
    try:
        return max(0.0, float(os.environ.get("KIT_CONTROL_PLANE_DELAY", DEFAULT_DELAY_S)))
    except ValueError:
        return DEFAULT_DELAY_S


delay_s: float = _default_delay()
# The control plane's clock, real time; tests move it (no test of the states waits for real).
_now = time.monotonic
_sleep = time.sleep


def set_delay(seconds: float) -> None:
    """How long (s) a new function stays Pending and an update InProgress; 0 is instant."""
    global delay_s
    delay_s = max(0.0, float(seconds))


class NotReady(LambdaClientError):
    code = 409  # ResourceConflictException's status (botocore's model: httpStatusCode 409)

    def __init__(self, message: str) -> None:
        super().__init__("ResourceConflictException", message)


def state(fn: Any) -> FunctionState:
    """Pending until the function's creation is over, then Active."""
    pending = _now() < getattr(fn, "kit_active_at", 0.0)
    return FunctionState.PENDING if pending else FunctionState.ACTIVE


def update_status(fn: Any) -> UpdateStatus:
    """InProgress until the function's last update is over, then Successful."""
    busy = _now() < getattr(fn, "kit_updated_at", 0.0)
    return UpdateStatus.IN_PROGRESS if busy else UpdateStatus.SUCCESSFUL


def serving(fn: Any) -> Any:
    """What an invoke of `fn` runs now: refused while Pending, the previous code while updating."""
    if state(fn) is FunctionState.PENDING:
        raise NotReady(
            "The operation cannot be performed at this time. "
            "The function is currently in the following state: Pending"
        )
    previous = fn.__dict__.get("kit_previous")
    if previous is None:
        return fn
    if update_status(fn) is UpdateStatus.IN_PROGRESS:
        return previous
    del fn.kit_previous  # the update is over: nothing runs the old code any more
    return fn


def check_ready(fn: Any) -> None:
    """Refuse an update or a publish while the function is Pending or an update is InProgress."""
    if state(fn) is FunctionState.PENDING:
        raise NotReady(
            "The operation cannot be performed at this time. The resource "
            f"{fn.function_arn} is currently in the following state: 'Pending'. "
            "StateReasonCode: 'Creating'"
        )
    if update_status(fn) is UpdateStatus.IN_PROGRESS:
        raise NotReady(
            "The operation cannot be performed at this time. "
            f"An update is in progress for resource: {fn.function_arn}"
        )


def apply() -> None:
    """States in every configuration; create, updates and publish move and respect them."""
    function = lambda_models.LambdaFunction
    function.get_configuration = _with_states(function.get_configuration)
    backend = lambda_models.LambdaBackend
    backend.create_function = _pending_after(backend.create_function)
    backend.update_function_code = _in_progress_after(backend.update_function_code)
    backend.update_function_configuration = _in_progress_after(
        backend.update_function_configuration
    )
    backend.publish_version = _checked_publish(backend.publish_version)


def _with_states(original: Callable) -> Callable:
    def get_configuration(self: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        config = original(self, *args, **kwargs)
        if str(self.version) != "$LATEST":
            return config  # a published version was copied from an Active, updated function
        if state(self) is FunctionState.PENDING:
            config["State"] = FunctionState.PENDING.value
            config["StateReason"] = "The function is being created."
            config["StateReasonCode"] = "Creating"
        elif "LastUpdateStatus" in config and update_status(self) is UpdateStatus.IN_PROGRESS:
            config["LastUpdateStatus"] = UpdateStatus.IN_PROGRESS.value
            config["LastUpdateStatusReason"] = "The function is being created."
            config["LastUpdateStatusReasonCode"] = "Creating"
        return config

    return get_configuration


def _pending_after(original: Callable) -> Callable:
    def create_function(self: Any, spec: dict[str, Any]) -> Any:
        fn = original(self, spec)
        if delay_s:
            fn.kit_active_at = _now() + delay_s
        return fn

    return create_function


def _in_progress_after(original: Callable) -> Callable:
    def update(self: Any, function_name: str, qualifier: str, body: dict[str, Any]) -> Any:
        fn = self.get_function(function_name, qualifier)
        check_ready(fn)
        previous = _snapshot(fn)
        if delay_s:
            # Set before the call: its answer already says InProgress, as AWS's does.
            fn.kit_updated_at = _now() + delay_s
            fn.kit_previous = previous
        fn.kit_updating = True  # its own `Publish=True` publishes the new code at once
        try:
            return original(self, function_name, qualifier, body)
        except BaseException:
            fn.kit_updated_at = 0.0  # a refused update changes nothing
            fn.__dict__.pop("kit_previous", None)
            raise
        finally:
            fn.kit_updating = False

    return update


def _snapshot(fn: Any) -> Any:
    """The function as it is now, kept whole while an update replaces its code or settings."""
    fn.__dict__.pop("kit_previous", None)
    previous = copy.copy(fn)
    previous.code = dict(fn.code or {})
    previous.environment_vars = dict(fn.environment_vars or {})
    return previous


def _checked_publish(original: Callable) -> Callable:
    def publish_version(self: Any, function_name: str, *args: Any, **kwargs: Any) -> Any:
        fn = self.get_function(function_name)
        if not fn.__dict__.get("kit_updating"):
            check_ready(fn)
        version = original(self, function_name, *args, **kwargs)
        if version is not None and version is not fn:
            # A version is a copy of the new code: it is never Pending, updating or old.
            version.__dict__.pop("kit_previous", None)
            version.kit_updated_at = version.kit_active_at = 0.0
            version.kit_updating = False
        return version

    return publish_version


def _functions() -> list[Any]:
    """Every function's $LATEST and published versions, as moto holds them (its `all()` gives
    copies of $LATEST)."""
    found = []
    for regions in lambda_models.lambda_backends.values():
        for backend in regions.values():
            for group in list(backend._lambdas._functions.values()):
                found.extend([group["latest"], *group["versions"]])
    return found


def settle() -> None:
    """Every function Active and every update done now: the kit's clock moved on (minutes
    pass in `aws.advance_clock`, and on AWS a quarter of a second has long ended by then)."""
    for fn in _functions():
        fn.kit_active_at = fn.kit_updated_at = 0.0


@contextlib.contextmanager
def settled_and_instant() -> Iterator[None]:
    """Wait until no function is Pending or updating, then run the block with an instant
    control plane (an exercise check: a learner's next cell comes seconds later on AWS, and a
    check's own updates are not what it judges)."""
    global delay_s
    now = _now()
    ready_at = max(
        [now]
        + [getattr(fn, "kit_active_at", 0.0) for fn in _functions()]
        + [getattr(fn, "kit_updated_at", 0.0) for fn in _functions()]
    )
    if ready_at > now:
        _sleep(ready_at - now)
    kept, delay_s = delay_s, 0.0
    try:
        yield
    finally:
        delay_s = kept
