"""Notebook 12's exercises: a client made once, a batch that beats its timeout, an avatar maker."""

from __future__ import annotations

import base64
import io
import json
import math
import random
import uuid
from types import SimpleNamespace
from typing import Any

from .core import Exercise, Incorrect, function_exists

# The line `make_client` prints in question 1: counting it counts the clients made.
CLIENT_LINE = "making an S3 client"
# The note the kit writes when a handler imports a package it didn't ship (AWS would fail).
KIT_PACKAGE_NOTE = "was found among the kit's own packages"


def _aws() -> Any:
    from ..cloud import current

    aws = current()
    if aws is None or not aws.running:
        raise Incorrect("the local AWS is not running. Run `aws = helpers.start()` first.")
    return aws


def _invoke_with_tail(name: str, event: Any) -> tuple[dict[str, Any], Any, list[str]]:
    """Invoke synchronously: (response, decoded payload, the lines of this invocation's log)."""
    import boto3

    lam = boto3.client("lambda")
    response = lam.invoke(FunctionName=name, Payload=json.dumps(event), LogType="Tail")
    raw = response["Payload"].read()
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = raw.decode("utf-8", errors="replace")
    lines = base64.b64decode(response.get("LogResult") or b"").decode().splitlines()
    return response, body, lines


def _failure(name: str, call: str, body: Any) -> Incorrect:
    """Incorrect naming a function error, with the usual cause of an AccessDenied."""
    body = body if isinstance(body, dict) else {}
    kind, message = body.get("errorType"), body.get("errorMessage")
    advice = ""
    if "AccessDenied" in f"{kind} {message}":
        advice = (
            " Its execution role must allow exactly the calls the handler makes: IAM is enforced, "
            "as on AWS."
        )
    return Incorrect(f"{call} of `{name}` failed: {kind}: {message}.{advice}")


# ------------------------------------------------------------------ q1: one client, reused
def _check_client_once() -> str:
    import boto3

    config = function_exists("catalogue")
    bucket = ((config.get("Environment") or {}).get("Variables") or {}).get("BUCKET")
    if not bucket:
        raise Incorrect(
            "`catalogue` has no `BUCKET` environment variable. Deploy it with "
            "`Environment={'Variables': {'BUCKET': 'catalogue'}}`, so the handler knows which "
            "bucket to list."
        )
    s3 = boto3.client("s3")
    try:
        expected = s3.list_objects_v2(Bucket=bucket)["KeyCount"]
    except s3.exceptions.NoSuchBucket:
        raise Incorrect(
            f"the bucket `{bucket}` that `catalogue` lists doesn't exist: create it first."
        ) from None
    runs = [_invoke_with_tail("catalogue", {}) for _ in range(3)]
    for number, (response, body, _) in enumerate(runs, start=1):
        if response.get("FunctionError"):
            raise _failure("catalogue", f"invocation {number}", body)
        if not isinstance(body, dict) or not {"objects", "clients_made"} <= set(body):
            raise Incorrect(
                f"`catalogue` returned {body!r}; it should return "
                "`{'objects': <KeyCount of the listing>, 'clients_made': CLIENTS_MADE}`, as the "
                "handler you were given does."
            )
        if body["objects"] != expected:
            raise Incorrect(
                f"`catalogue` says the bucket holds {body['objects']!r} objects, but "
                f"`list_objects_v2` counts {expected}: return the listing's `KeyCount`."
            )
    made = [body["clients_made"] for _, body, _ in runs]
    if not all(isinstance(count, int) and count >= 1 for count in made):
        raise Incorrect(
            f"`clients_made` came back as {made!r}: keep the `make_client()` you were given (it "
            "counts the clients) and call it once, at module level."
        )
    if made[-1] > made[0]:
        counts = " → ".join(str(count) for count in made)
        raise Incorrect(
            f"`clients_made` went {counts} over three invocations in a row: every request makes "
            "a new S3 client, warm ones included. Call `make_client()` once, at module level "
            "(`s3 = make_client()` above `def handler`), so that Init makes it and every warm "
            "invocation reuses it."
        )
    warm_with_a_client = [
        number
        for number, (_, _, lines) in enumerate(runs, start=1)
        if not any("Init Duration" in line for line in lines if line.startswith("REPORT"))
        and any(CLIENT_LINE in line for line in lines)
    ]
    if warm_with_a_client:
        raise Incorrect(
            f"warm invocation(s) {warm_with_a_client} of `catalogue` logged "
            f"`{CLIENT_LINE}`: a warm invocation should reuse the client Init made. Move the "
            "`make_client()` call out of the handler."
        )
    return (
        f"`catalogue` made {made[0]} S3 client for its execution environment and reused it: "
        f"`clients_made` stayed at {made[0]} over three invocations in a row, and no warm "
        f"invocation logged `{CLIENT_LINE}`."
    )


_CATALOGUE_SETUP = """
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
s3 = boto3.client("s3")
iam = boto3.client("iam")

s3.create_bucket(Bucket="catalogue")
for name in ("tea.json", "cake.json", "scone.json"):
    s3.put_object(Bucket="catalogue", Key=name, Body=b"{}")

role_arn = execution_role("catalogue-role")
iam.put_role_policy(
    RoleName="catalogue-role",
    PolicyName="list-catalogue",
    PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::catalogue"}
        ],
    }),
)
"""

_CATALOGUE_DEPLOY = """
try:
    lam.delete_function(FunctionName="catalogue")  # start afresh if it exists
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="catalogue",
    Runtime="python3.13",
    Role=role_arn,
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
    Environment={"Variables": {"BUCKET": "catalogue"}},
)
lam.get_waiter("function_active_v2").wait(FunctionName="catalogue")
"""

_MAKE_CLIENT = """
import os

import boto3

CLIENTS_MADE = 0  # how many S3 clients this execution environment has made


def make_client():
    global CLIENTS_MADE
    CLIENTS_MADE += 1
    print("making an S3 client")
    return boto3.client("s3")
"""

_CATALOGUE_SOLUTION = (
    _CATALOGUE_SETUP
    + f'''
source = """{_MAKE_CLIENT}

s3 = make_client()  # Init: once per execution environment


def handler(event, context):
    listing = s3.list_objects_v2(Bucket=os.environ["BUCKET"])
    return {{"objects": listing["KeyCount"], "clients_made": CLIENTS_MADE}}
"""
'''
    + _CATALOGUE_DEPLOY
)

# The client is made again in every invocation.
_CATALOGUE_WRONG = (
    _CATALOGUE_SETUP
    + f'''
source = """{_MAKE_CLIENT}

def handler(event, context):
    s3 = make_client()
    listing = s3.list_objects_v2(Bucket=os.environ["BUCKET"])
    return {{"objects": listing["KeyCount"], "clients_made": CLIENTS_MADE}}
"""
'''
    + _CATALOGUE_DEPLOY
)


# --------------------------------------------------------- q2: a batch that beats its timeout
ITEM_MS = 20  # each item of the check's batch: this long of real work (a sleep)
WORK_FACTOR = 1.6  # the batch holds this many timeouts' worth of work
MAX_TIMEOUT_S = 2  # longer timeouts would make the check slow


def _work_result(item: dict[str, Any]) -> int:
    """What the handler's `work(item)` returns for one item."""
    return item["id"] * item["id"]


def _timed_out(body: Any) -> bool:
    return isinstance(body, dict) and (
        body.get("errorType") == "Sandbox.Timedout"
        or "timed out" in str(body.get("errorMessage", ""))
    )


def _check_batches() -> str:
    config = function_exists("batcher")
    timeout = int(config.get("Timeout") or 3)
    if timeout > MAX_TIMEOUT_S:
        raise Incorrect(
            f"`batcher` has `Timeout={timeout}`. Deploy it with `Timeout=1`: the check sends "
            "more work than fits in one timeout, and a short timeout keeps the check quick."
        )
    count = math.ceil(WORK_FACTOR * timeout * 1000 / ITEM_MS)
    ids = random.Random().sample(range(100, 10_000), count)  # new every check
    items = [{"id": item_id, "ms": ITEM_MS} for item_id in ids]
    cursor: int | None = 0
    calls = 0
    while cursor is not None:
        calls += 1
        if calls > count + 1:
            raise Incorrect("`batcher` never returned `cursor: None`, even after every item.")
        response, body, _ = _invoke_with_tail("batcher", {"items": items, "cursor": cursor})
        if response.get("FunctionError"):
            if _timed_out(body):
                raise Incorrect(
                    f"call {calls} of `batcher` timed out (its Timeout is {timeout} s; the "
                    f"batch holds {count} items of {ITEM_MS} ms each, and this call started at "
                    f"cursor {cursor}). Before each item, read "
                    "`context.get_remaining_time_in_millis()`; when what's left is less than "
                    "one item plus a safety margin, stop and return the cursor of the first "
                    "item not done."
                )
            raise _failure("batcher", f"call {calls}", body)
        if not isinstance(body, dict) or not {"results", "cursor"} <= set(body):
            raise Incorrect(
                f"call {calls} of `batcher` returned {body!r}; it should return "
                "`{'results': [work(item) for each item done], 'cursor': <index of the next "
                "item, or None when all are done>}`."
            )
        following = body["cursor"]
        if following is not None and (
            not isinstance(following, int) or not cursor < following <= count
        ):
            raise Incorrect(
                f"call {calls} of `batcher` started at cursor {cursor} and returned cursor "
                f"{following!r}: the cursor must move forward, to the index of the first item "
                "not done (or be None when every item is done)."
            )
        if calls == 1 and following is None:
            raise Incorrect(
                f"`batcher` says it finished all {count} items in one call, but they hold "
                f"about {WORK_FACTOR:g} times its Timeout of work: call `work(item)` for each "
                "item, and stop before the timeout."
            )
        end = count if following is None else following
        expected = [_work_result(item) for item in items[cursor:end]]
        if body["results"] != expected:
            raise Incorrect(
                f"call {calls} of `batcher` covered items {cursor} to {end - 1}, but its "
                "`results` aren't `work(item)` of those items, in order. Return the results "
                "of exactly the items this call did."
            )
        cursor = following
    return (
        f"`batcher` did all {count} items in {calls} calls: each call stopped before its "
        f"{timeout} s timeout and returned where to pick up, and no item was done twice."
    )


_BATCHER_DEPLOY = """
try:
    lam.delete_function(FunctionName="batcher")  # start afresh if it exists
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="batcher",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
    Timeout=1,
)
lam.get_waiter("function_active_v2").wait(FunctionName="batcher")
"""

_BATCHER_START = '''
import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")

source = """
import time

SAFETY_MS = 150  # time kept back to return the answer


def work(item):
    time.sleep(item["ms"] / 1000)  # stands for real work on one item
    return item["id"] * item["id"]


def handler(event, context):
    items, cursor = event["items"], event.get("cursor", 0)
    results = []
'''

_BATCHER_SOLUTION = (
    _BATCHER_START
    + '''    for index in range(cursor, len(items)):
        if context.get_remaining_time_in_millis() < items[index]["ms"] + SAFETY_MS:
            return {"results": results, "cursor": index}  # not enough time: pick up here
        results.append(work(items[index]))
    return {"results": results, "cursor": None}
"""
'''
    + _BATCHER_DEPLOY
)

# A fixed number of items per call: too many for a one-second timeout, whatever the margin.
_BATCHER_WRONG = (
    _BATCHER_START
    + '''    end = min(cursor + 60, len(items))
    for index in range(cursor, end):
        results.append(work(items[index]))
    return {"results": results, "cursor": end if end < len(items) else None}
"""
'''
    + _BATCHER_DEPLOY
)


# ------------------------------------------------------------- q3: an avatar maker on S3
AVATAR_SIZE = (64, 64)
COLOUR_TOLERANCE = 40  # JPEG changes colours a little
EDGE_PX = 3  # the check samples the avatar this many pixels in from its left and right edges


def _test_picture() -> tuple[bytes, tuple[int, int, int], tuple[int, int, int]]:
    """A wide PNG with transparency: (its bytes, the centre's colour, the side bands' colour).

    The picture is at least twice as wide as tall. A square a little wider than its height, in
    the middle, has one random colour; the bands left and right of it have another, far from the
    first. Cropping to the centre square keeps only the first colour; squashing the whole picture
    into a square keeps the bands, at the avatar's left and right edges.
    """
    from PIL import Image

    rng = random.Random()
    colour = (rng.randrange(40, 216), rng.randrange(40, 216), rng.randrange(40, 216))
    red, green, blue = colour
    bands = ((red + 128) % 256, (green + 128) % 256, (blue + 128) % 256)  # far on every channel
    height = rng.randrange(160, 240)
    width = rng.randrange(2 * height, 2 * height + height // 2)
    picture = Image.new("RGBA", (width, height), (*bands, 255))
    centre = height + height // 4  # wider than the square a centre crop keeps
    left = (width - centre) // 2
    picture.paste((*colour, 255), (left, 0, left + centre, height))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue(), colour, bands


def _near(pixel: tuple[int, ...], colour: tuple[int, ...]) -> bool:
    return all(abs(a - b) <= COLOUR_TOLERANCE for a, b in zip(pixel, colour, strict=True))


def _avatar_failure(aws: Any, upload_key: str) -> Incorrect:
    """Why no avatar appeared: the function's error, its missing package, or its trigger."""
    import boto3

    s3 = boto3.client("s3")
    runs = [event for event in aws.async_events() if event.get("function") == "avatars"]
    if runs and runs[-1].get("last_error"):
        error = runs[-1]["last_error"]
        advice = ""
        if "AccessDenied" in error:
            advice = (
                " Its role must allow `s3:GetObject` on `avatars-in/*` and `s3:PutObject` on "
                "`avatars-out/*`."
            )
        elif "RGBA" in error:
            advice = " Convert the picture with `.convert('RGB')` before saving it as JPEG."
        return Incorrect(f"`avatars` ran for the test upload and failed: {error}.{advice}")
    configs = s3.get_bucket_notification_configuration(Bucket="avatars-in").get(
        "LambdaFunctionConfigurations", []
    )
    if not any(c["LambdaFunctionArn"].split(":")[6] == "avatars" for c in configs):
        return Incorrect(
            "uploads to `avatars-in` don't invoke `avatars`: connect them with "
            "`put_bucket_notification_configuration` (events `s3:ObjectCreated:*`), after "
            "`add_permission` for `s3.amazonaws.com`."
        )
    name = upload_key.rsplit("/", 1)[-1]
    return Incorrect(
        f"`avatars` ran, but nothing appeared in `avatars-out` for the test upload ({name!r} "
        "becomes the same key with the extension `.jpg`). Write the avatar with "
        "`put_object(Bucket='avatars-out', Key=..., Body=...)`."
    )


def _check_avatars() -> str:
    import boto3
    from PIL import Image

    aws = _aws()
    function_exists("avatars")
    s3 = boto3.client("s3")
    for bucket in ("avatars-in", "avatars-out"):
        try:
            s3.head_bucket(Bucket=bucket)
        except s3.exceptions.ClientError:
            raise Incorrect(f"there is no bucket `{bucket}` yet: create it.") from None
    picture, colour, bands = _test_picture()
    stem = f"check/{uuid.uuid4().hex[:8]} portrait"
    s3.put_object(Bucket="avatars-in", Key=f"{stem}.png", Body=picture)
    aws.wait()
    try:
        avatar = s3.get_object(Bucket="avatars-out", Key=f"{stem}.jpg")["Body"].read()
    except s3.exceptions.NoSuchKey:
        raise _avatar_failure(aws, f"{stem}.png") from None
    logs = boto3.client("logs")
    pages = logs.get_paginator("filter_log_events").paginate(logGroupName="/aws/lambda/avatars")
    if any(KIT_PACKAGE_NOTE in e["message"] for page in pages for e in page["events"]):
        raise Incorrect(
            "`avatars` imported Pillow from the kit's own packages, not from its ZIP or a "
            "layer: on AWS that import fails. Give it the Pillow layer of section 7 "
            "(`Layers=[pillow_layer]`)."
        )
    try:
        image = Image.open(io.BytesIO(avatar))
        image.load()
    except Exception as exc:
        raise Incorrect(f"the avatar written to `avatars-out` isn't a picture: {exc}") from None
    if image.format != "JPEG":
        raise Incorrect(f"the avatar is a {image.format}; save it with `format='JPEG'`.")
    if image.size != AVATAR_SIZE:
        raise Incorrect(
            f"the avatar is {image.size[0]} by {image.size[1]} pixels; it should be exactly "
            f"{AVATAR_SIZE}. `thumbnail` keeps the proportions of a wide picture: "
            f"`ImageOps.fit(image, {AVATAR_SIZE})` crops it to the square."
        )
    rgb = image.convert("RGB")
    row = AVATAR_SIZE[1] // 2
    middle = rgb.getpixel((AVATAR_SIZE[0] // 2, row))
    if not _near(middle, colour):
        raise Incorrect(
            f"the avatar's middle is {middle}, but the middle of the uploaded picture was "
            f"{colour}: make the avatar from the uploaded picture."
        )
    edges = [rgb.getpixel((x, row)) for x in (EDGE_PX, AVATAR_SIZE[0] - 1 - EDGE_PX)]
    if not all(_near(edge, colour) for edge in edges):
        raise Incorrect(
            f"the avatar's left and right edges are {edges[0]} and {edges[1]}, but the centre "
            f"square of the upload is {colour} all over; its sides, which a crop cuts off, are "
            f"{bands}. The picture was squashed (or cropped off centre) into the square: "
            f"`ImageOps.fit(image, {AVATAR_SIZE})` crops the centre square, then scales it, "
            "where `resize` squashes the whole picture."
        )
    return (
        "`avatars` turned a wide PNG with transparency into a square JPEG avatar of "
        f"{AVATAR_SIZE} in `avatars-out`, cropped to the centre square, with Pillow from its "
        "layer."
    )


_AVATARS_START = '''
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import site_packages_zip, zip_bytes

lam = boto3.client("lambda")
s3 = boto3.client("s3")
iam = boto3.client("iam")
account = boto3.client("sts").get_caller_identity()["Account"]

s3.create_bucket(Bucket="avatars-in")
s3.create_bucket(Bucket="avatars-out")
role_arn = execution_role("avatars-role")
iam.put_role_policy(
    RoleName="avatars-role",
    PolicyName="avatars",
    PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::avatars-in/*"},
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::avatars-out/*"},
        ],
    }),
)
pillow_layer = lam.publish_layer_version(
    LayerName="pillow",
    Content={"ZipFile": zip_bytes(site_packages_zip("pillow", prefix="python/"))},
    CompatibleRuntimes=["python3.13"],
)["LayerVersionArn"]

source = """
import io
from urllib.parse import unquote_plus

import boto3
from PIL import Image, ImageOps

s3 = boto3.client("s3")


def handler(event, context):
    for record in event["Records"]:
        key = unquote_plus(record["s3"]["object"]["key"])
        body = s3.get_object(Bucket=record["s3"]["bucket"]["name"], Key=key)["Body"].read()
        image = Image.open(io.BytesIO(body)).convert("RGB")
'''

_AVATARS_END = '''        out = io.BytesIO()
        image.save(out, format="JPEG")
        s3.put_object(Bucket="avatars-out", Key=key.rsplit(".", 1)[0] + ".jpg", Body=out.getvalue())
"""

try:
    lam.delete_function(FunctionName="avatars")  # start afresh if it exists
except lam.exceptions.ResourceNotFoundException:
    pass
arn = lam.create_function(
    FunctionName="avatars",
    Runtime="python3.13",
    Role=role_arn,
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
    Layers=[pillow_layer],
    MemorySize=512,
    Timeout=10,
)["FunctionArn"]
lam.get_waiter("function_active_v2").wait(FunctionName="avatars")
lam.add_permission(
    FunctionName="avatars",
    StatementId="s3-avatars-in",
    Action="lambda:InvokeFunction",
    Principal="s3.amazonaws.com",
    SourceArn="arn:aws:s3:::avatars-in",
    SourceAccount=account,
)
s3.put_bucket_notification_configuration(
    Bucket="avatars-in",
    NotificationConfiguration={
        "LambdaFunctionConfigurations": [
            {"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}
        ]
    },
)
'''

_AVATARS_SOLUTION = (
    _AVATARS_START
    + """        image = ImageOps.fit(image, (64, 64))  # crop to the square, then scale
"""
    + _AVATARS_END
)

# `resize` squashes the whole picture into the square: the upload's side bands stay in it.
_AVATARS_WRONG = (
    _AVATARS_START
    + """        image = image.resize((64, 64))
"""
    + _AVATARS_END
)


notebook_12 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Change `catalogue` so that it makes its S3 client once per execution environment, "
            "with the `make_client()` you were given, and still returns "
            "`{'objects': ..., 'clients_made': CLIENTS_MADE}`. The check invokes it three times "
            "in a row and reads `clients_made` and each invocation's log."
        ),
        checker=_check_client_once,
        hint_text=(
            "Module-level code runs once, in Init. Put `s3 = make_client()` above "
            "`def handler`, and inside the handler only call `s3.list_objects_v2(...)`. Then "
            "deploy again."
        ),
        solution_code=_CATALOGUE_SOLUTION,
        wrong_code=_CATALOGUE_WRONG,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "Make `batcher` (Timeout=1) stop before its timeout: it gets "
            "`{'items': [...], 'cursor': n}`, does `work(item)` from item n on while there is "
            "time, and returns `{'results': [...], 'cursor': <next index, or None>}`. The check "
            "sends more work than one timeout holds and follows the cursor to the end."
        ),
        checker=_check_batches,
        hint_text=(
            "Loop over the indexes from the cursor. Before each item, compare "
            "`context.get_remaining_time_in_millis()` with the item's `ms` plus a margin (say "
            "150): when it's too short, return the results so far and `cursor: index`. After "
            "the loop, return `cursor: None`."
        ),
        solution_code=_BATCHER_SOLUTION,
        wrong_code=_BATCHER_WRONG,
    ),
    q3=Exercise(
        name="q3",
        task=(
            "Build `avatars`: for every upload to `avatars-in`, write a square JPEG of "
            "`(64, 64)` to `avatars-out`, under the same key with the extension `.jpg`, with "
            "Pillow from a layer, cropped to the square, not squashed. The check uploads a wide "
            "PNG with transparency, whose sides differ from its centre, and opens what appears "
            "in `avatars-out`."
        ),
        checker=_check_avatars,
        hint_text=(
            "Start from the thumbnail maker of section 7. `Image.open(...).convert('RGB')` drops "
            "the transparency JPEG can't hold, and `ImageOps.fit(image, (64, 64))` crops the "
            "centre square, then scales it, where `thumbnail` would keep the proportions and "
            "`resize` would squash the picture. The role needs `s3:GetObject` "
            "on `avatars-in/*` and `s3:PutObject` on `avatars-out/*`."
        ),
        solution_code=_AVATARS_SOLUTION,
        wrong_code=_AVATARS_WRONG,
    ),
)
