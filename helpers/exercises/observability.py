"""Notebook 10's exercises: logs, metrics and Powertools."""

from __future__ import annotations

from types import SimpleNamespace

notebook_10 = SimpleNamespace()
