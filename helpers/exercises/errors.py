"""Notebook 09's exercises: errors, retries and idempotency."""

from __future__ import annotations

from types import SimpleNamespace

notebook_09 = SimpleNamespace()
