"""Notebook 12's exercises: best practices and use cases."""

from __future__ import annotations

from types import SimpleNamespace

notebook_12 = SimpleNamespace()
