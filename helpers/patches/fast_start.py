"""A faster, lighter `helpers.start()`: defer two imports moto pulls in and rarely uses.

moto's API Gateway imports `openapi_spec_validator`, which imports `jsonschema`, whose format
checkers import `rfc3987_syntax` when it is installed (JupyterLab's `jupyter-events` installs it).
That import compiles 38 grammars: about 2.3 s of a 3 s start on a 2-core machine, paid in every
notebook's set-up cell. `defer_rfc3987_syntax()` puts a stand-in module in its place whose
functions import the real package on first use, so an IRI check still gives the real answer.

`openapi_spec_validator` itself (with `jsonschema` and their schemas) is 28 MB of a learner's
kernel (measured: USS 80 -> 52 MB before the kit's own modules) and 0.2 s of its start, for one
use: API Gateway's ImportRestApi/PutRestApi with `failOnWarnings`. `defer_openapi_spec_validator()`
lets moto's API Gateway import without it and loads it on that first use.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

_OPENAPI = "openapi_spec_validator"
_OPENAPI_ERRORS = "openapi_spec_validator.validation.exceptions"
_NAME = "rfc3987_syntax"


class _Deferred(types.ModuleType):
    """`rfc3987_syntax` until something uses it; then the real module, everywhere."""

    def __getattr__(self, attribute: str) -> Any:
        # The import system probes dunders (`from x import y` asks for `__path__`): answering
        # those from the real module would load it at once.
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(_real(), attribute)


def _real() -> types.ModuleType:
    if isinstance(sys.modules.get(_NAME), _Deferred):
        del sys.modules[_NAME]
    return importlib.import_module(_NAME)


def _is_valid_syntax(*args: Any, **kwargs: Any) -> Any:
    return _real().is_valid_syntax(*args, **kwargs)


def defer_rfc3987_syntax() -> None:
    """Stand in for `rfc3987_syntax` unless it is loaded already or not installed."""
    if _NAME in sys.modules or importlib.util.find_spec(_NAME) is None:
        return
    stand_in = _Deferred(_NAME, __doc__)
    stand_in.is_valid_syntax = _is_valid_syntax
    sys.modules[_NAME] = stand_in


class _SpecNotLoaded(Exception):
    """Stands for OpenAPIValidationError in moto's `except` until the validator is loaded."""


def _validate_spec(api_doc: Any) -> None:
    """moto's `validate`: the real validator, loaded now, with its error in moto's `except`."""
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    # moto's `except OpenAPIValidationError` reads the module global when an error is raised.
    sys.modules["moto.apigateway.models"].OpenAPIValidationError = OpenAPIValidationError
    validate(api_doc)


def defer_openapi_spec_validator() -> None:
    """Import moto's API Gateway without `openapi_spec_validator`; it loads on first use."""
    if "moto.apigateway.models" in sys.modules or _OPENAPI in sys.modules:
        return  # too late to defer, or already paid for: nothing to gain
    if importlib.util.find_spec(_OPENAPI) is None:
        return  # moto's own import error is the right message
    package = types.ModuleType(_OPENAPI)
    package.__path__ = []  # a package, so that its submodule below can be imported
    package.validate = _validate_spec
    errors = types.ModuleType(_OPENAPI_ERRORS)
    errors.OpenAPIValidationError = _SpecNotLoaded
    stand_ins = {
        _OPENAPI: package,
        f"{_OPENAPI}.validation": types.ModuleType("v"),
        _OPENAPI_ERRORS: errors,
    }
    sys.modules.update(stand_ins)
    try:
        importlib.import_module("moto.apigateway.models")
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]  # whoever imports it next gets the real package
