"""Exercises of notebook 03: S3 uploads, SQS workers and DynamoDB streams."""

from __future__ import annotations
