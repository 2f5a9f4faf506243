"""The handlers that exercise solutions deploy, kept as real Python files.

`source(name)` gives a file's text, which a solution zips as `app.py` or shows to the learner.
"""

from __future__ import annotations

from pathlib import Path


def source(name: str) -> str:
    """The text of the handler file `name` (without `.py`) in this folder."""
    return (Path(__file__).parent / f"{name}.py").read_text()
