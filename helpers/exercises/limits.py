"""Notebook 08's exercises: limits: each wall hit for real."""

from __future__ import annotations

from types import SimpleNamespace

notebook_08 = SimpleNamespace()
