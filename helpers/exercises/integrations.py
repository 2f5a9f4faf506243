"""Exercises of the integrations notebooks (03, 04): triggers wired with plain boto3."""

from __future__ import annotations
