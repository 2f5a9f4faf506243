"""Exercises of notebook 04: an HTTP API backend, a cron job, SNS fan-out."""

from __future__ import annotations
