"""Loaded before pytest's other plugins (`-p tests.early_start` in pyproject's addopts).

nbval's plugin imports nbformat, which imports jsonschema, whose format checkers import
`rfc3987_syntax`: 38 grammars compiled, about 2.3 s of CPU in pytest's own process before any
worker starts, and again in each xdist worker. The kit's stand-in (helpers/patches/fast_start.py)
defers that to the first IRI check; it is loaded here by its path, so that the kit itself (moto,
boto3) isn't imported before pytest starts.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_PATH = Path(__file__).resolve().parents[1] / "helpers" / "patches" / "fast_start.py"
_SPEC = importlib.util.spec_from_file_location("_kit_fast_start_early", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
_MODULE = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_MODULE)
_MODULE.defer_rfc3987_syntax()
