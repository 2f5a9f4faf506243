"""State an earlier attempt left behind, put straight into the local AWS's store.

A catalogue entry that needs a bucket of a thousand objects would spend about 7 s of CPU on
1,000 `put_object` calls (botocore's signing and checksums, then the server's parsing), for a
state the check only lists. The objects here are the same ones those calls would leave.
"""

from __future__ import annotations

from helpers import cloud


def many_objects(bucket: str, prefix: str, count: int) -> None:
    """Put `count` objects `<prefix><n:04>.json` holding `{}` into an existing bucket."""
    from moto.s3.models import s3_backends

    kit = cloud.current()
    assert kit is not None, "the catalogue runs on a started kit"
    backend = s3_backends[kit.account_id]["aws"]
    for n in range(count):
        backend.put_object(bucket, f"{prefix}{n:04}.json", b"{}")
