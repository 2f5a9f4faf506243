"""Exercises of the asynchronous invocation notebook (05): retries, DLQs, destinations."""

from __future__ import annotations
