"""Notebook 12's exercises: a client made once, a batch that beats its timeout, an avatar maker."""

from __future__ import annotations

import io
import math
import random
import re
from types import SimpleNamespace
from typing import Any

from .core import Exercise, Incorrect
from .deployed_code import KIT_PACKAGE_NOTE, check_copy, layer_zip, zip_names
from .harness import (
    Invocation,
    LogMark,
    async_event,
    check_id,
    client,
    excess_rights,
    function_config,
    function_policy,
    grants_invoke,
    invoke,
    kit,
    role_allows,
    role_statements,
    short_retry_waits,
    wait_until,
)

# The line `make_client` prints in question 1: counting it counts the clients made.
CLIENT_LINE = "making an S3 client"


def _failure(name: str, call: str, run: Invocation) -> Incorrect:
    """Incorrect naming a function error, with the usual cause of an AccessDenied."""
    advice = ""
    if "AccessDenied" in run.error:
        advice = (
            " Its execution role must allow exactly the calls the handler makes: IAM is enforced, "
            "as on AWS."
        )
    return Incorrect(f"{call} of `{name}` failed: {run.error}.{advice}")


# ------------------------------------------------------------------ q1: one client, reused
def _check_client_once() -> str:
    config = function_config("catalogue")
    bucket = ((config.get("Environment") or {}).get("Variables") or {}).get("BUCKET")
    if not bucket:
        raise Incorrect(
            "`catalogue` has no `BUCKET` environment variable. Deploy it with "
            "`Environment={'Variables': {'BUCKET': 'catalogue'}}`, so the handler knows which "
            "bucket to list."
        )
    s3 = client("s3")
    try:
        before = s3.list_objects_v2(Bucket=bucket)["KeyCount"]
    except s3.exceptions.NoSuchBucket:
        raise Incorrect(
            f"the bucket `{bucket}` that `catalogue` lists doesn't exist: create it first."
        ) from None
    # The check changes the bucket's contents between invocations: a count the handler didn't
    # read from the listing can't follow. Its object is removed again before the last one.
    key = f"{check_id('check-object')}.json"
    s3.put_object(Bucket=bucket, Key=key, Body=b"{}")
    try:
        runs = [(invoke("catalogue", {}), before + 1) for _ in range(2)]
    finally:
        s3.delete_object(Bucket=bucket, Key=key)
    runs.append((invoke("catalogue", {}), before))
    for number, (run, expected) in enumerate(runs, start=1):
        if run.failed:
            raise _failure("catalogue", f"invocation {number}", run)
        body = run.payload
        if not isinstance(body, dict) or not {"objects", "clients_made"} <= set(body):
            raise Incorrect(
                f"`catalogue` returned {body!r}; it should return "
                "`{'objects': <KeyCount of the listing>, 'clients_made': CLIENTS_MADE}`, as the "
                "handler you were given does."
            )
        if body["objects"] != expected:
            raise Incorrect(
                f"invocation {number}: `catalogue` said the bucket `{bucket}` holds "
                f"{body['objects']!r} objects, but it held {expected} then (the check added one "
                "object, then removed it again). Return the `KeyCount` of the listing, made at "
                "each request."
            )
    made = [run.payload["clients_made"] for run, _ in runs]
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
    # Invocations 2 and 3 follow the first at once: they run warm, in its environment.
    warm_with_a_client = [
        number
        for number, (run, _) in enumerate(runs, start=1)
        if number > 1 and any(CLIENT_LINE in line for line in run.printed)
    ]
    if warm_with_a_client:
        raise Incorrect(
            f"warm invocation(s) {warm_with_a_client} of `catalogue` logged "
            f"`{CLIENT_LINE}`: a warm invocation should reuse the client Init made. Move the "
            "`make_client()` call out of the handler."
        )
    return (
        f"`catalogue` made {made[0]} S3 client for its execution environment and reused it: "
        f"`clients_made` stayed at {made[0]} over three invocations in a row, no warm "
        f"invocation logged `{CLIENT_LINE}`, and each counted the bucket as it was then."
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

# --------------------------------------------------------- q2: a batch that beats its timeout
TIMEOUT_S = 1  # the task's Timeout
COPY_TIMEOUT_S = 2  # a check-owned copy of batcher runs with this one
WORK_FACTOR = 1.6  # each batch holds this many timeouts' worth of work
ITEM_MS = 20  # each item: this long of real work (a sleep); the same in both runs, so a
# fixed count can't fit both timeouts. The items' ids change at every check.
# A call that stops before the end must have done at least this much work at COPY_TIMEOUT_S:
# its timeout minus a second, for its safety margin and the machine's slowness. A handler that
# stops after a fixed count or amount of work, whatever the time left, can't do both this and
# stay under TIMEOUT_S: it does less than a second of work per call, or times out at 1 s.
COPY_MIN_WORK_MS = (COPY_TIMEOUT_S - 1) * 1000


def _work_result(item: dict[str, Any]) -> int:
    """What the handler's `work(item)` returns for one item."""
    return item["id"] * item["id"]


def _timed_out(run: Invocation) -> bool:
    return "Sandbox.Timedout" in run.error or "timed out" in run.error


def _follow(function: str, who: str, timeout_s: int, item_ms: int, min_work_ms: int) -> int:
    """Send a batch of timeout_s * WORK_FACTOR of work to `function` and follow its cursor to
    the end; Incorrect at the first call that times out, loses or repeats an item, or stops
    with fewer than `min_work_ms` of work done. The number of calls it took."""
    count = math.ceil(WORK_FACTOR * timeout_s * 1000 / item_ms)
    ids = random.Random().sample(range(100, 10_000), count)  # new at every check
    items = [{"id": item_id, "ms": item_ms} for item_id in ids]
    cursor: int | None = 0
    calls = 0
    while cursor is not None:
        calls += 1
        if calls > count + 1:
            raise Incorrect(f"{who} never returned `cursor: None`, even after every item.")
        run = invoke(function, {"items": items, "cursor": cursor})
        if run.failed and _timed_out(run):
            raise Incorrect(
                f"call {calls} of {who} timed out (Timeout={timeout_s} s; the batch holds "
                f"{count} items of {item_ms} ms each, and this call started at cursor {cursor}). "
                "Before each item, read `context.get_remaining_time_in_millis()`; when what's "
                "left is less than one item plus a safety margin, stop and return the cursor of "
                "the first item not done."
            )
        if run.failed:
            raise _failure(function, f"call {calls}", run)
        body = run.payload
        if not isinstance(body, dict) or not {"results", "cursor"} <= set(body):
            raise Incorrect(
                f"call {calls} of {who} returned {body!r}; it should return "
                "`{'results': [work(item) for each item done], 'cursor': <index of the next "
                "item, or None when all are done>}`."
            )
        following = body["cursor"]
        if following == count:
            raise Incorrect(
                f"call {calls} of {who} did the last item and returned cursor {count}, the "
                "length of the list: when every item is done, return `cursor: None`."
            )
        if following is not None and (
            not isinstance(following, int) or not cursor < following < count
        ):
            raise Incorrect(
                f"call {calls} of {who} started at cursor {cursor} and returned cursor "
                f"{following!r}: the cursor must move forward, to the index of the first item "
                "not done (or be None when every item is done)."
            )
        if calls == 1 and following is None:
            raise Incorrect(
                f"{who} says it finished all {count} items in one call, but they hold "
                f"{WORK_FACTOR:g} times its Timeout of work: call `work(item)` for each item, and "
                "stop before the timeout."
            )
        end = count if following is None else following
        expected = [_work_result(item) for item in items[cursor:end]]
        if body["results"] != expected:
            raise Incorrect(
                f"call {calls} of {who} started at cursor {cursor} and returned cursor "
                f"{following!r}, but its `results` aren't `work(item)` of items {cursor} to "
                f"{end - 1}, in order. Return the results of exactly the items this call did, and "
                "the index of the first item it didn't do."
            )
        done_ms = (end - cursor) * item_ms
        if following is not None and done_ms < min_work_ms:
            raise Incorrect(
                f"call {calls} of {who} stopped after {end - cursor} items, {done_ms} ms of work, "
                f"with most of its {timeout_s} s still left. It stops after a fixed amount of work "
                "whatever the time left: decide before each item from "
                "`context.get_remaining_time_in_millis()`, so that a longer timeout does more."
            )
        cursor = following
    return calls


def _check_batches() -> str:
    config = function_config("batcher")
    timeout = int(config.get("Timeout") or 3)
    if timeout != TIMEOUT_S:
        raise Incorrect(
            f"`batcher` has `Timeout={timeout}`. Deploy it with `Timeout={TIMEOUT_S}`, as the "
            "task says: the check sends more work than fits in one timeout."
        )
    item_ms = ITEM_MS
    calls = _follow("batcher", "`batcher`", TIMEOUT_S, item_ms, min_work_ms=item_ms)
    # The same code with a longer timeout must do more per call: only a handler that reads the
    # remaining time does. A copy, so that the learner's function stays as it is.
    with check_copy("batcher", Timeout=COPY_TIMEOUT_S) as copy:
        longer = _follow(
            copy,
            f"a copy of `batcher` with Timeout={COPY_TIMEOUT_S}",
            COPY_TIMEOUT_S,
            item_ms,
            COPY_MIN_WORK_MS,
        )
    return (
        f"`batcher` did every item of a {TIMEOUT_S} s batch in {calls} calls, and a copy with a "
        f"{COPY_TIMEOUT_S} s timeout did twice the work in {longer}: each call used the time it "
        "had, stopped before its timeout and returned where to pick up, and no item was done "
        "twice."
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

# ------------------------------------------------------------- q3: an avatar maker on S3
AVATARS = "avatars"
AVATAR_SIZE = (64, 64)
COLOUR_TOLERANCE = 40  # JPEG changes colours a little
EDGE_PX = 3  # the check samples the avatar this many pixels in from its left and right edges
AVATAR_TIMEOUT_S = 60  # the upload's event, Pillow's import included, ends well within this
# What the role needs: read the uploads, write the avatars. Nothing else (least privilege).
AVATAR_RIGHTS = (
    ("s3:GetObject", "arn:aws:s3:::avatars-in/*"),
    ("s3:PutObject", "arn:aws:s3:::avatars-out/*"),
)


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


def _require_trigger(function_arn: str) -> None:
    """Incorrect unless uploads to avatars-in reach the function, with S3's permission."""
    s3 = client("s3")
    configs = s3.get_bucket_notification_configuration(Bucket="avatars-in").get(
        "LambdaFunctionConfigurations", []
    )
    mine = [c for c in configs if c["LambdaFunctionArn"].split(":")[6] == AVATARS]
    if not mine:
        raise Incorrect(
            "uploads to `avatars-in` don't invoke `avatars`: connect them with "
            "`put_bucket_notification_configuration` (events `s3:ObjectCreated:*`), after "
            "`add_permission` for `s3.amazonaws.com`."
        )
    if not any(
        event in ("s3:ObjectCreated:*", "s3:ObjectCreated:Put")
        for c in mine
        for event in c.get("Events", [])
    ):
        events = sorted({event for c in mine for event in c.get("Events", [])})
        raise Incorrect(
            f"the notification of `avatars-in` sends the events {events} to `avatars`, not the "
            "uploads (`s3:ObjectCreated:*`)."
        )
    # On AWS, S3 can only invoke the function when its resource-based policy says so.
    # https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html
    # A bucket's ARN names no account, so harness.require_invoke_permission would compare a
    # SourceAccount condition with "": S3 sends the bucket owner's account, the learner's own.
    statements = function_policy(AVATARS)
    source = "arn:aws:s3:::avatars-in"
    if not grants_invoke(
        statements, "s3.amazonaws.com", source_arn=source, source_account=kit().account_id
    ):
        raise Incorrect(
            "`avatars` has no resource-based policy statement that lets S3 invoke it for "
            f"uploads to `avatars-in` (principal `s3.amazonaws.com`, source `{source}`). It "
            "works in the kit only because the kit does not enforce these yet; on AWS the "
            "trigger would fail. Add one with `lam.add_permission(FunctionName='avatars', "
            "StatementId=..., Action='lambda:InvokeFunction', Principal='s3.amazonaws.com', "
            "SourceArn=...)`."
        )


def _require_pillow_layer(config: dict[str, Any]) -> None:
    """Incorrect unless one of the function's layers holds Pillow where Python finds it."""
    arns = [layer["Arn"] for layer in config.get("Layers") or []]
    if not arns:
        raise Incorrect(
            "`avatars` has no layer: give it the Pillow layer of section 7 "
            "(`Layers=[pillow_layer]`). AWS's Python runtime has no Pillow."
        )
    version = re.escape(config["Runtime"].removeprefix("python"))
    place = re.compile(rf"python/(lib/python{version}/site-packages/)?PIL/__init__\.py")
    if not any(place.fullmatch(name) for arn in arns for name in zip_names(layer_zip(arn))):
        raise Incorrect(
            "none of the layers of `avatars` holds Pillow (`PIL/`) under `python/`, where "
            "Python finds a layer's packages: give it the Pillow layer of section 7 "
            "(`Layers=[pillow_layer]`)."
        )


def _require_least_privilege(config: dict[str, Any]) -> None:
    """Incorrect unless the role allows reading the uploads and writing avatars, nothing else."""
    role = config["Role"].rsplit("/", 1)[-1]
    statements = role_statements(role)
    for action, resource in AVATAR_RIGHTS:
        if not role_allows(statements, action, resource.replace("*", "check/x.png")):
            raise Incorrect(
                f"`{role}`, the role of `avatars`, does not allow `{action}` on `{resource}`: "
                "the handler needs it."
            )
    problems = excess_rights(statements, AVATAR_RIGHTS)
    if problems:
        raise Incorrect(
            f"`{role}` allows more than `avatars` needs: {'; '.join(problems)}. Allow "
            "`s3:GetObject` on `arn:aws:s3:::avatars-in/*` and `s3:PutObject` on "
            "`arn:aws:s3:::avatars-out/*`, and nothing else."
        )


def _check_avatars() -> str:
    from PIL import Image

    config = function_config(AVATARS)
    s3 = client("s3")
    for bucket in ("avatars-in", "avatars-out"):
        try:
            s3.head_bucket(Bucket=bucket)
        except s3.exceptions.ClientError:
            raise Incorrect(f"there is no bucket `{bucket}` yet: create it.") from None
    _require_trigger(config["FunctionArn"])
    _require_pillow_layer(config)
    _require_least_privilege(config)

    picture, colour, bands = _test_picture()
    marker = check_id("avatar")
    stem = f"check/{marker} portrait"
    mark = LogMark.of_function(AVATARS)  # only what the check's upload makes the function log
    with short_retry_waits():
        s3.put_object(Bucket="avatars-in", Key=f"{stem}.png", Body=picture)

        def finished() -> Any:
            event = async_event(AVATARS, marker)
            return event if event is not None and (event.done or event.errors) else None

        event = wait_until(finished, AVATAR_TIMEOUT_S)
    if event is None:
        raise Incorrect(
            f"the check's upload to `avatars-in` didn't end within {AVATAR_TIMEOUT_S} s "
            "(`avatars` was not invoked, or is still running)."
        )
    if event.errors:
        error = event.errors[-1].rstrip(".")
        advice = ""
        if "AccessDenied" in error:
            advice = " Its role is refused a call the handler makes."
        elif "NoSuchKey" in error:
            advice = (
                " The check's key has a space, which an S3 event carries URL-encoded (`+`): "
                "decode the key with `unquote_plus` before reading the object."
            )
        elif "RGBA" in error:
            advice = " Convert the picture with `.convert('RGB')` before saving it as JPEG."
        raise Incorrect(f"`avatars` ran for the check's upload and failed: {error}.{advice}")
    if any(KIT_PACKAGE_NOTE in line for line in mark.new_messages()):
        raise Incorrect(
            "`avatars` imported a package from the kit's own packages, not from its ZIP or a "
            "layer: on AWS that import fails. Give it the Pillow layer of section 7 "
            "(`Layers=[pillow_layer]`)."
        )
    s3.delete_object(Bucket="avatars-in", Key=f"{stem}.png")  # the check's own objects
    try:
        avatar = s3.get_object(Bucket="avatars-out", Key=f"{stem}.jpg")["Body"].read()
        s3.delete_object(Bucket="avatars-out", Key=f"{stem}.jpg")
    except s3.exceptions.NoSuchKey:
        avatar = None
    if avatar is None:
        raise Incorrect(
            f"`avatars` ran, but nothing appeared in `avatars-out` for the check's upload "
            f"`{stem}.png` (it becomes `{stem}.jpg`: the same key, with the extension `.jpg`). "
            "Decode the key of the event with `unquote_plus`, and write the avatar with "
            "`put_object(Bucket='avatars-out', Key=..., Body=...)`."
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
            "crop it to the centre square."
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
            f"{bands}. The picture was squashed (or cropped off centre) into the square, where "
            "it should be cropped to its centre square, then scaled."
        )
    return (
        "`avatars` turned a wide PNG with transparency into a square JPEG avatar of "
        f"{AVATAR_SIZE} in `avatars-out`, cropped to the centre square, with Pillow from its "
        "layer, a role that may do just that, and S3's permission to invoke it."
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
# Nothing else: remove inline policies left by earlier attempts.
for name in iam.list_role_policies(RoleName="avatars-role")["PolicyNames"]:
    if name != "avatars":
        iam.delete_role_policy(RoleName="avatars-role", PolicyName=name)
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

notebook_12 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Change `catalogue` so that it makes its S3 client once per execution environment, "
            "with the `make_client()` you were given, and still returns "
            "`{'objects': ..., 'clients_made': CLIENTS_MADE}`. The check invokes it three times "
            "in a row, adding an object to the bucket and removing it between them, and reads "
            "`objects`, `clients_made` and each invocation's log."
        ),
        checker=_check_client_once,
        hint_text=(
            "Code at module level runs once per execution environment, in Init; the handler "
            "runs at every request. Which of the two should make the client, and which should "
            "list the bucket? Then deploy again."
        ),
        solution_code=_CATALOGUE_SOLUTION,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "Make `batcher` (Timeout=1) stop before its timeout: it gets "
            "`{'items': [...], 'cursor': n}`, does `work(item)` from item n on while there is "
            "time, and returns `{'results': [...], 'cursor': <next index, or None>}`. The check "
            "sends more work than one timeout holds and follows the cursor to the end; then it "
            "does the same with a copy of `batcher` whose Timeout is 2 s, where each call must "
            "do more: the time left decides when to stop, not a fixed amount of work."
        ),
        checker=_check_batches,
        hint_text=(
            "Loop over the indexes from the cursor. Before each item, ask the context how much "
            "time is left, and compare it with what one item takes plus a margin: when it's "
            "too short, return the results so far and the index you stopped at. Only after the "
            "last item is the cursor `None`."
        ),
        solution_code=_BATCHER_SOLUTION,
    ),
    q3=Exercise(
        name="q3",
        task=(
            "Build `avatars`: for every upload to `avatars-in`, write a square JPEG of "
            "`(64, 64)` to `avatars-out`, under the same key with the extension `.jpg`, with "
            "Pillow from a layer, cropped to the square, not squashed. Its role may do exactly "
            "what the handler needs (read `avatars-in/*`, write `avatars-out/*`), and S3 may "
            "invoke it (`add_permission`). The check uploads a wide PNG with transparency, whose "
            "sides differ from its centre, and opens what appears in `avatars-out`."
        ),
        checker=_check_avatars,
        hint_text=(
            "Start from the thumbnail maker of section 7. JPEG can't hold transparency: convert "
            "the picture to RGB first. `thumbnail` keeps the proportions and `resize` squashes; "
            "look in `ImageOps` for a function that crops to a size, then scales. The role "
            "needs one action on each bucket's objects."
        ),
        solution_code=_AVATARS_SOLUTION,
    ),
)
