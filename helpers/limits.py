"""AWS Lambda's limits as data (with source and date), and the checks AWS makes against them.

`LIMITS["memory_mb_max"].value` is the figure; `.source` and `.as_of` say where it comes from.
The checks raise the same exception names and messages AWS returns, so a learner's `except`
clauses and error-reading skills carry over to AWS unchanged.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from moto.awslambda.exceptions import LambdaClientError

DATA = Path(__file__).with_name("data") / "limits.json"


@dataclass(frozen=True)
class Limit:
    """One AWS figure with where it comes from."""

    name: str
    value: int
    unit: str
    what: str
    source: str
    as_of: str
    note: str = ""  # what else the source says about it (e.g. new accounts get less)


def _load() -> tuple[dict[str, Limit], dict[str, Any]]:
    raw = json.loads(DATA.read_text())
    limits = {name: Limit(name=name, **entry) for name, entry in raw["limits"].items()}
    return limits, raw["runtimes"]


LIMITS, RUNTIMES = _load()


def value(name: str) -> int:
    """The current figure of one limit, e.g. `value("timeout_s_max")` → 900."""
    return LIMITS[name].value


class ValidationException(LambdaClientError):
    def __init__(self, field: str, given: Any, constraint: str) -> None:
        super().__init__(
            "ValidationException",
            f"1 validation error detected: Value '{given}' at '{field}' failed to satisfy "
            f"constraint: {constraint}",
        )


class InvalidParameterValue(LambdaClientError):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidParameterValueException", message)


class RequestTooLarge(LambdaClientError):
    code = 413

    def __init__(self, message: str) -> None:
        super().__init__("RequestEntityTooLargeException", message)


# Keys AWS sets itself and refuses in a function's Environment.
RESERVED_ENV_KEYS = (
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
)


def _check_range(where: str, number: Any, low: Any, high: Any) -> None:
    """AWS's ValidationException for a number outside [low, high] (`where` as AWS names it)."""
    if number < low:
        raise ValidationException(
            where, number, f"Member must have value greater than or equal to {low}"
        )
    if number > high:
        raise ValidationException(
            where, number, f"Member must have value less than or equal to {high}"
        )


def check_memory(memory: Any) -> None:
    _check_range("memorySize", memory, value("memory_mb_min"), value("memory_mb_max"))


def check_timeout(timeout: Any) -> None:
    _check_range("timeout", timeout, 1, value("timeout_s_max"))


def check_ephemeral_storage(size: Any) -> None:
    """/tmp from 512 to 10,240 MB (botocore checks the low end too, unless told not to)."""
    if size is None or not isinstance(size, int):
        return  # moto's parser answers a missing or non-integer Size
    low, high = value("ephemeral_storage_mb_min"), value("ephemeral_storage_mb_max")
    _check_range("ephemeralStorage.size", size, low, high)


@dataclass(frozen=True)
class RuntimeDates:
    """A Python runtime's lifecycle on AWS: deprecated, then create blocked, then update blocked."""

    name: str
    deprecation: date
    block_create: date
    block_update: date

    def deprecated(self, today: date) -> bool:
        return today >= self.deprecation


def python_runtimes() -> dict[str, RuntimeDates]:
    """Each Python runtime's three dates, from AWS's runtimes page (`limits.json`)."""
    return {
        name: RuntimeDates(name, *(date.fromisoformat(d[k]) for k in _DATE_KEYS))
        for name, d in RUNTIMES["python"].items()
    }


_DATE_KEYS = ("deprecation", "block_create", "block_update")


def usable_runtimes(today: date, *, creating: bool = True) -> list[str]:
    """The Python runtimes Lambda accepts on `today` for a new function (or an update)."""
    return [
        name
        for name, dates in python_runtimes().items()
        if today < (dates.block_create if creating else dates.block_update)
    ]


def check_runtime(runtime: str | None, *, creating: bool = True, today: date | None = None) -> None:
    """Refuse a runtime as AWS does on `today`: a deprecated Python runtime is still accepted
    until its block-create date (new functions) or block-update date (changes)."""
    today = today or date.today()
    python = python_runtimes()
    if runtime in python:
        dates = python[runtime]
        if today < (dates.block_create if creating else dates.block_update):
            return
        newest = max(usable_runtimes(today), key=lambda n: tuple(map(int, n[6:].split("."))))
        raise InvalidParameterValue(
            f"The runtime parameter of {runtime} is no longer supported for creating or updating "
            f"AWS Lambda functions. We recommend you use the new runtime ({newest}) while "
            "creating or updating functions."
        )
    if runtime in RUNTIMES["other_deprecated"]:
        raise InvalidParameterValue(
            f"The runtime parameter of {runtime} is no longer supported for creating or updating "
            "AWS Lambda functions."
        )
    if runtime in RUNTIMES["other_supported"]:
        raise InvalidParameterValue(
            f"The runtime {runtime} is valid on AWS, but this teaching kit runs Python functions "
            f"only. Use one of: {', '.join(usable_runtimes(today))}."
        )
    known = list(python) + RUNTIMES["other_supported"]
    raise ValidationException(
        "runtime", runtime, f"Member must satisfy enum value set: [{', '.join(known)}]"
    )


def check_handler(handler: Any) -> None:
    if handler is None:
        raise InvalidParameterValue("Handler is required for a Zip function.")
    if len(handler) > value("handler_length_max"):
        raise ValidationException(
            "handler",
            handler,
            f"Member must have length less than or equal to {value('handler_length_max')}",
        )
    if not re.fullmatch(r"[^\s]+", handler):
        raise ValidationException(
            "handler", handler, "Member must satisfy regular expression pattern: [^\\s]+"
        )


# An environment variable's key, from the API reference (API_Environment, as of 2026-12): a letter,
# then at least one letter, digit or "_" ("Keys start with a letter and are at least two
# characters", configuration-envvars). AWS's refusal leaves the values out, as users quote it
# (trek10inc/serverless-secrets#39, 2018: ValidationException).
ENV_KEY = r"[a-zA-Z]([a-zA-Z0-9_])+"


def check_environment(variables: dict[str, str]) -> None:
    if any(not re.fullmatch(ENV_KEY, str(key)) for key in variables):
        raise LambdaClientError(
            "ValidationException",
            "1 validation error detected: Value at 'environment.variables' failed to satisfy "
            "constraint: Map keys must satisfy constraint: [Member must satisfy regular "
            f"expression pattern: {ENV_KEY}]",
        )
    reserved = [key for key in variables if key in RESERVED_ENV_KEYS]
    if reserved:
        raise InvalidParameterValue(
            "Lambda was unable to configure your environment variables because the environment "
            "variables you have provided contains reserved keys that are currently not supported "
            f"for modification. Reserved keys used in this request: {', '.join(reserved)}"
        )
    measured = json.dumps(variables, separators=(",", ":"))
    if len(measured.encode()) > value("environment_bytes_max"):
        raise InvalidParameterValue(
            "Lambda was unable to configure your environment variables because the environment "
            "variables you have provided exceeded the 4KB limit. String measured: "
            f"{measured[:4096]}"
        )


def check_config(spec: dict[str, Any], *, creating: bool, today: date | None = None) -> None:
    """Check a CreateFunction or UpdateFunctionConfiguration body as AWS does, on `today`."""
    if creating or "MemorySize" in spec:
        check_memory(spec.get("MemorySize", value("memory_mb_default")))
    if creating or "Timeout" in spec:
        check_timeout(spec.get("Timeout", value("timeout_s_default")))
    if spec.get("PackageType", "Zip") == "Zip" and (creating or "Runtime" in spec):
        check_runtime(spec.get("Runtime"), creating=creating, today=today)
    if spec.get("PackageType", "Zip") == "Zip" and (creating or "Handler" in spec):
        check_handler(spec.get("Handler"))
    if "Environment" in spec:
        check_environment((spec["Environment"] or {}).get("Variables") or {})
    if "EphemeralStorage" in spec:
        check_ephemeral_storage((spec["EphemeralStorage"] or {}).get("Size"))
    layers = spec.get("Layers") or []
    if len(layers) > value("layers_max"):
        raise InvalidParameterValue(f"Cannot reference more than {value('layers_max')} layers.")


def check_package(data: bytes, operation: str, *, direct: bool) -> None:
    """Check a deployment package: a ZIP within AWS's size limits."""
    if direct and len(data) > value("zip_direct_upload_bytes_max"):
        # AWS states the limit as the size of the request that carries the base64 package.
        raise RequestTooLarge(
            f"Request must be smaller than 69905067 bytes for the {operation} operation"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            if archive.testzip() is not None:
                raise zipfile.BadZipFile
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        raise InvalidParameterValue(
            "Could not unzip uploaded file. Please check your file, then try to upload again."
        ) from None
    limit = value("zip_unzipped_bytes_max")
    if unzipped > limit:
        raise InvalidParameterValue(f"Unzipped size must be smaller than {limit} bytes")


def check_payload(size: int, invocation_type: str) -> None:
    """Check an invoke request's payload size (6 MB sync, 1 MB async)."""
    if invocation_type == "Event":
        limit = value("async_payload_bytes_max")
    else:
        limit = value("sync_payload_bytes_max")
    if size > limit:
        raise RequestTooLarge(
            f"Request must be smaller than {limit} bytes for the Invoke operation"
        )
