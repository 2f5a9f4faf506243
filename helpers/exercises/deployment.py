"""Notebook 11's exercises: packages, layers, configuration, secrets, canaries, least privilege."""

from __future__ import annotations

from types import SimpleNamespace

notebook_11 = SimpleNamespace()
