"""Lambda settings checked and kept as AWS does (learner trial 11: BD8, BD13, BD16).

- AddPermission's SourceAccount is an account ID, twelve digits (API_AddPermission:
  "Pattern: ^\\d{12}$", https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html,
  as of 2026-12); botocore checks only its length of at most 12. Refused in AWS's validation
  format, as `lambda_validation` refuses the other AddPermission fields.
- An asynchronous invocation's destination is an SQS queue, an SNS topic, a Lambda function or
  an EventBridge event bus, and an S3 bucket on failure only ("Capturing records of Lambda
  asynchronous invocations", https://docs.aws.amazon.com/lambda/latest/dg/
  invocation-async-retain-records.html; API_OnFailure). Another service's ARN (a log group, a
  table) is InvalidParameterValueException, "The destination ARN <arn> is invalid." (AWS's words
  as users quote them: serverless/serverless#7507). moto kept any ARN (BD8).
- SnapStart (`{"ApplyOn": "PublishedVersions"}`) is kept on Python 3.12 and later (and Java 11+,
  .NET 8+: https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html); a version published with
  it shows `OptimizationStatus: On`, `$LATEST` `Off` (SnapStart applies to published versions
  only). moto answered `ApplyOn: None` whatever was asked (BD16). On another runtime AWS answers
  InvalidParameterValueException, "python3.11 is not supported for SnapStart enabled functions."
  (as LocalStack's AWS-validated Lambda tests record it, localstack/localstack#12458, and as
  users quote it, aws-samples/bedrock-chat#617). The kit keeps the setting only: invocations of
  such a version start as any version's do, with an `Init Duration`, not a restore.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from moto.awslambda import models as lambda_models
from moto.awslambda.exceptions import LambdaClientError

SOURCE_ACCOUNT = r"\d{12}"
ON_SUCCESS = ("sqs", "sns", "lambda", "events")
ON_FAILURE = (*ON_SUCCESS, "s3")
APPLY_ON = ("PublishedVersions", "None")
# Runtimes SnapStart supports: family -> lowest version (java11, python3.12, dotnet8)
SNAPSTART_RUNTIMES = {"java": (11,), "python": (3, 12), "dotnet": (8,)}


class _Refused(LambdaClientError):
    def __init__(self, error: str, message: str) -> None:
        self.code = 400
        super().__init__(error, message)


def _validation(value: Any, where: str, constraint: str) -> _Refused:
    return _Refused(
        "ValidationException",
        f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy "
        f"constraint: {constraint}",
    )


def apply() -> None:
    """Wrap moto's Lambda backend and functions (after `lambda_api`, `lambda_validation` and
    `logging_config`: these checks come first)."""
    backend = lambda_models.LambdaBackend
    backend.add_permission = _source_account_checked(backend.add_permission)
    backend.put_function_event_invoke_config = _destinations_checked(
        backend.put_function_event_invoke_config
    )
    backend.update_function_event_invoke_config = _destinations_checked(
        backend.update_function_event_invoke_config
    )
    backend.create_function = _snapstart_on_create(backend.create_function)
    function = lambda_models.LambdaFunction
    function.get_configuration = _with_snapstart(function.get_configuration)
    function.update_configuration = _snapstart_on_update(function.update_configuration)


# ------------------------------------------------------------------------------ AddPermission
def _source_account_checked(original: Callable) -> Callable:
    def add_permission(self: Any, function_name: str, qualifier: Any, raw: Any) -> Any:
        """AddPermission refuses a SourceAccount that isn't twelve digits."""
        try:
            account = json.loads(raw).get("SourceAccount")
        except (TypeError, ValueError, AttributeError):
            account = None
        if account is not None and not re.fullmatch(SOURCE_ACCOUNT, str(account)):
            raise _validation(
                account,
                "sourceAccount",
                f"Member must satisfy regular expression pattern: {SOURCE_ACCOUNT}",
            )
        return original(self, function_name, qualifier, raw)

    return add_permission


# ------------------------------------------------------------------------------ destinations
def _destinations_checked(original: Callable) -> Callable:
    def event_invoke_config(self: Any, function_name: str, config: Any, *args: Any) -> Any:
        """Put/UpdateFunctionEventInvokeConfig refuse a destination of a service that can't
        be one."""
        destinations = (config or {}).get("DestinationConfig") or {}
        for kind, services in (("OnSuccess", ON_SUCCESS), ("OnFailure", ON_FAILURE)):
            arn = (destinations.get(kind) or {}).get("Destination")
            if not arn:
                continue  # none, or "" (no destination)
            parts = str(arn).split(":")
            if len(parts) < 6 or parts[2] not in services:
                raise _Refused(
                    "InvalidParameterValueException", f"The destination ARN {arn} is invalid."
                )
        return original(self, function_name, config, *args)

    return event_invoke_config


# ---------------------------------------------------------------------------------- SnapStart
def _supports_snapstart(runtime: Any) -> bool:
    match = re.fullmatch(r"([a-z]+)([0-9.]+)(\.x)?", str(runtime or ""))
    if not match or match.group(1) not in SNAPSTART_RUNTIMES:
        return False
    version = tuple(int(part) for part in match.group(2).split(".") if part)
    return version >= SNAPSTART_RUNTIMES[match.group(1)]


def _apply_on(setting: Any, runtime: Any) -> str | None:
    """The ApplyOn a SnapStart setting asks for (None: not given), checked as AWS does."""
    if not isinstance(setting, dict):
        return None
    apply_on = setting.get("ApplyOn")
    if apply_on is None:
        return None
    if apply_on not in APPLY_ON:
        raise _validation(
            apply_on,
            "snapStart.applyOn",
            f"Member must satisfy enum value set: [{', '.join(APPLY_ON)}]",
        )
    # a container image has no Runtime: its base image decides (not checked here)
    if apply_on == "PublishedVersions" and runtime and not _supports_snapstart(runtime):
        raise _Refused(
            "InvalidParameterValueException",
            f"{runtime} is not supported for SnapStart enabled functions.",
        )
    return apply_on


def _snapstart_on_create(original: Callable) -> Callable:
    def create_function(self: Any, spec: dict[str, Any]) -> Any:
        """CreateFunction keeps the function's SnapStart setting."""
        apply_on = _apply_on(spec.get("SnapStart"), spec.get("Runtime"))
        fn = original(self, spec)
        fn.kit_snapstart = apply_on or "None"
        return fn

    return create_function


def _snapstart_on_update(original: Callable) -> Callable:
    def update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
        """UpdateFunctionConfiguration changes the SnapStart setting it is given."""
        runtime = config_updates.get("Runtime") or self.run_time
        apply_on = _apply_on(config_updates.get("SnapStart"), runtime)
        if apply_on is None and "Runtime" in config_updates:
            # a runtime without SnapStart, for a function that has it on
            current = getattr(self, "kit_snapstart", "None")
            _apply_on({"ApplyOn": current}, runtime)
        if apply_on is not None:
            self.kit_snapstart = apply_on
        return original(self, config_updates)

    return update_configuration


def _with_snapstart(original: Callable) -> Callable:
    def get_configuration(self: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The configuration, with the SnapStart setting kept (a published version's is on)."""
        config = original(self, *args, **kwargs)
        apply_on = getattr(self, "kit_snapstart", "None")
        published = str(getattr(self, "version", "$LATEST")) != "$LATEST"
        config["SnapStart"] = {
            "ApplyOn": apply_on,
            "OptimizationStatus": "On" if apply_on == "PublishedVersions" and published else "Off",
        }
        return config

    return get_configuration
