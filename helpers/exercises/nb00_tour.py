"""Exercise of notebook 00 (the tour): a first bucket, with plain boto3."""

from __future__ import annotations

import difflib
from types import SimpleNamespace

from .core import Exercise, Incorrect
from .harness import client, kit

BUCKET = "hello-lambda-kit"


def _check_bucket() -> str:
    kit()
    names = [b["Name"] for b in client("s3").list_buckets()["Buckets"]]
    if BUCKET in names:
        return "You created a bucket with plain boto3 — in the local AWS, at no cost."
    # Learner trial 11 (AW4): `hello-lambda-kit.s3.amazonaws.com`, the bucket's host name as
    # a virtual-hosted URL has it, was told to check its spelling.
    if hosts := [n for n in names if n.startswith(f"{BUCKET}.") and "amazonaws" in n]:
        raise Incorrect(
            f"there is a bucket `{hosts[0]}`: that is the host name of a bucket's endpoint "
            f"(`<bucket>.s3.amazonaws.com`), not a bucket's name. The task's bucket is named "
            f"`{BUCKET}` alone: `create_bucket(Bucket='{BUCKET}')`."
        )
    # Names are lower case already: S3 refuses capitals and underscores, as AWS does.
    close = difflib.get_close_matches(BUCKET, names, n=1, cutoff=0.6)
    if close:
        raise Incorrect(
            f"there is a bucket `{close[0]}`, but the task asks for `{BUCKET}` exactly: check "
            "its spelling (words joined by hyphens)."
        )
    seen = f" (found: {', '.join(f'`{n}`' for n in names)})" if names else ""
    raise Incorrect(
        f"there is no bucket named `{BUCKET}` in the local AWS yet{seen}.{_as_key(names)}"
        f"{_elsewhere()}"
    )


def _elsewhere() -> str:
    """A word when a bucket named BUCKET exists where the check's client doesn't look: in
    another partition (a client of `cn-north-1` or `us-gov-west-1`: on AWS those Regions need
    accounts of their own, https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html;
    learner trial 13, MW3), or as an S3 Tables table bucket, another service (learner trial
    13, MW2)."""
    from moto.s3.models import s3_backends

    aws = kit()
    try:
        others = [
            partition
            for partition, backend in s3_backends[aws.account_id].items()
            if partition != "aws" and BUCKET in backend.buckets
        ]
    except Exception:  # a courtesy: never let it hide the check's own message
        others = []
    if others:
        return (
            f" A bucket `{BUCKET}` exists in the partition `{others[0]}` (a client of a China "
            "or GovCloud Region, such as `cn-north-1` or `us-gov-west-1`): those Regions are "
            "apart from the others and need an account of their own on AWS. Make the bucket "
            "with the notebook's client, `boto3.client('s3')`, without `region_name`."
        )
    try:
        tables = client("s3tables").list_table_buckets()["tableBuckets"]
    except Exception:
        tables = []
    if any(t.get("name") == BUCKET for t in tables):
        return (
            f" `{BUCKET}` is an S3 Tables table bucket (`boto3.client('s3tables')`), another "
            "service's kind of bucket: the task's is a general purpose bucket, made with the "
            "S3 client's `create_bucket`."
        )
    return ""


def _as_key(buckets: list[str]) -> str:
    """A word when an object's key in another bucket starts with the bucket's name (learner
    trial 10, U W1: `put_object(Bucket='scratch-bucket', Key='hello-lambda-kit/')` makes a key,
    a "folder", not a bucket)."""
    s3 = client("s3")
    for bucket in buckets:
        try:
            found = s3.list_objects_v2(Bucket=bucket, Prefix=BUCKET, MaxKeys=1).get("Contents")
        except s3.exceptions.ClientError:  # a bucket the learner's policy closes: no word
            continue
        if found:
            return (
                f" `{bucket}` holds an object with the key `{found[0]['Key']}`: that is a key "
                "(an object's name inside a bucket), not a bucket. A bucket is made with the "
                "S3 client's `create_bucket`."
            )
    return ""


notebook_00 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=f"With plain boto3, create an S3 bucket named `{BUCKET}` in the local AWS.",
        checker=_check_bucket,
        hint_text=(
            "Make an S3 client with `boto3.client(...)`, as the cells above make theirs. Its "
            "method that makes a bucket takes the bucket's name as its one required argument "
            "(boto3's S3 reference lists the client's methods)."
        ),
        solution_code=f"import boto3\n\nboto3.client('s3').create_bucket(Bucket='{BUCKET}')",
    )
)
