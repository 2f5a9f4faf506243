"""Notebook 13's exercises: the capstone app, built end to end."""

from __future__ import annotations

from types import SimpleNamespace

notebook_13 = SimpleNamespace()
