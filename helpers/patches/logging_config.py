"""A function's LoggingConfig, kept and returned as AWS does (moto drops it).

`create_function(LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "DEBUG"})` is stored
on the function, every configuration answer carries it (`{"LogFormat": "Text", "LogGroup":
"/aws/lambda/<name>"}` by default; levels default to INFO in the JSON format), an update changes
only the settings it names, and the kit's runtime reads it to log JSON and filter by level
(`helpers.runtime.logs`). Values are checked against AWS's enums and the LogGroup's pattern
(ValidationException).
Reference: https://docs.aws.amazon.com/lambda/latest/api/API_LoggingConfig.html
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from moto.awslambda import models as lambda_models
from moto.awslambda.exceptions import ValidationException

ALLOWED = {
    "LogFormat": ("JSON", "Text"),
    "ApplicationLogLevel": ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"),
    "SystemLogLevel": ("DEBUG", "INFO", "WARN"),
}
# LoggingConfig.LogGroup: "Length Constraints: Minimum length of 1. Maximum length of 512.
# Pattern: [\.\-_/#A-Za-z0-9]+" (the reference above, as of 2026-12; learner trial 10, UD25).
LOG_GROUP = r"[\.\-_/#A-Za-z0-9]+"
LOG_GROUP_MAX = 512
FIELD = {
    "LogFormat": "logFormat",
    "ApplicationLogLevel": "applicationLogLevel",
    "SystemLogLevel": "systemLogLevel",
}


def apply() -> None:
    """Wrap moto's create, update and get of a function's configuration."""
    backend = lambda_models.LambdaBackend
    backend.create_function = _keeping_on_create(backend.create_function)
    function = lambda_models.LambdaFunction
    function.get_configuration = _with_logging_config(function.get_configuration)
    function.update_configuration = _updating_logging_config(function.update_configuration)


def _checked(config: Any) -> dict[str, str]:
    if not isinstance(config, dict):
        return {}
    for key, allowed in ALLOWED.items():
        if key in config and config[key] not in allowed:
            raise ValidationException(
                str(config[key]),
                f"loggingConfig.{FIELD[key]}",
                f"Member must satisfy enum value set: [{', '.join(allowed)}]",
            )
    group = config.get("LogGroup")
    if group is not None:
        if not re.fullmatch(LOG_GROUP, str(group)):
            raise ValidationException(
                str(group),
                "loggingConfig.logGroup",
                f"Member must satisfy regular expression pattern: {LOG_GROUP}",
            )
        if len(str(group)) > LOG_GROUP_MAX:
            raise ValidationException(
                str(group),
                "loggingConfig.logGroup",
                f"Member must have length less than or equal to {LOG_GROUP_MAX}",
            )
    return {k: v for k, v in config.items() if k in (*ALLOWED, "LogGroup") and v}


def view(fn: Any) -> dict[str, str]:
    """The LoggingConfig a configuration answer shows for this function."""
    stored = dict(getattr(fn, "logging_config", None) or {})
    shown = {"LogFormat": stored.get("LogFormat", "Text")}
    if shown["LogFormat"] == "JSON":
        shown["ApplicationLogLevel"] = stored.get("ApplicationLogLevel", "INFO")
        shown["SystemLogLevel"] = stored.get("SystemLogLevel", "INFO")
    shown["LogGroup"] = stored.get("LogGroup") or f"/aws/lambda/{fn.function_name}"
    return shown


def _keeping_on_create(original: Callable) -> Callable:
    def create_function(self: Any, spec: dict[str, Any]) -> Any:
        """CreateFunction, keeping the function's LoggingConfig."""
        config = _checked(spec.get("LoggingConfig"))
        fn = original(self, spec)
        fn.logging_config = config
        return fn

    return create_function


def _with_logging_config(original: Callable) -> Callable:
    def get_configuration(self: Any, on_create: bool = False) -> dict[str, Any]:
        """The function's configuration, with its LoggingConfig."""
        config = original(self, on_create)
        config["LoggingConfig"] = view(self)
        return config

    return get_configuration


def _updating_logging_config(original: Callable) -> Callable:
    def update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
        """UpdateFunctionConfiguration: the LoggingConfig settings given replace the old ones."""
        if "LoggingConfig" in config_updates:
            changes = _checked(config_updates["LoggingConfig"])
            self.logging_config = {**(getattr(self, "logging_config", None) or {}), **changes}
        return original(self, config_updates)

    return update_configuration
