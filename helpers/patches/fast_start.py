"""A faster `helpers.start()`: defer one optional import that moto pulls in and never uses.

moto's API Gateway imports `openapi_spec_validator`, which imports `jsonschema`, whose format
checkers import `rfc3987_syntax` when it is installed (JupyterLab's `jupyter-events` installs it).
That import compiles 38 grammars: about 2.3 s of a 3 s start on a 2-core machine, paid in every
notebook's set-up cell. `defer_rfc3987_syntax()` puts a stand-in module in its place whose
functions import the real package on first use, so an IRI check still gives the real answer.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

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
