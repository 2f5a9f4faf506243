"""Notebook 12b's exercise: an avatar maker on S3, with Pillow from a layer."""

from __future__ import annotations

import contextlib
import enum
import io
import platform
import random
import re
from types import SimpleNamespace
from typing import Any

from .core import Exercise, Incorrect
from .deployed_code import KIT_PACKAGE_NOTE, layer_zip, zip_names
from .harness import (
    LogMark,
    Statement,
    async_event,
    check_id,
    client,
    excess_rights,
    function_config,
    kit,
    reads_a_missing_key,
    require_not_paused,
    role_allows,
    role_statements,
    short_retry_waits,
    wait_until,
)
from .trigger_permissions import require_trigger_permission

# ------------------------------------------------------------- q1: an avatar maker on S3
AVATARS = "avatars"
AVATAR_SIZE = (64, 64)
COLOUR_TOLERANCE = 40  # JPEG changes colours a little
EDGE_PX = 3  # the check samples the avatar this many pixels in from its edges
# The test picture's centre square holds an inner square of this fraction of its side: in the
# avatar, from 16 to 48 px. The check samples the avatar far from that square's borders (the
# middle, and EDGE_PX in from each edge), so any resampling filter's blur passes.
INNER_FRACTION = 0.5
INNER_GAP_PX = 5  # YD4: how far outside the inner square's border the check samples the avatar


def _inner_span() -> tuple[int, int]:
    """Where the avatar is sampled outside its inner square: INNER_GAP_PX before its first
    pixel and after its last."""
    first = round(AVATAR_SIZE[0] * (1 - INNER_FRACTION) / 2)  # 16
    return first - INNER_GAP_PX, AVATAR_SIZE[0] - 1 - first + INNER_GAP_PX


AVATAR_TIMEOUT_S = 60  # the upload's event, Pillow's import included, ends well within this
# What the role needs: read the uploads, write the avatars. Nothing else (least privilege).
# Every way to upload an object (S3's event types; s3:ObjectCreated:Copy is a copy, not an upload),
# with the kind of upload each is (learner trial 13, PD3: one fixed text named Post a multipart
# upload): https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
UPLOAD_EVENTS = {
    "s3:ObjectCreated:Put": "a `put_object` (or `upload_file` of a small file)",
    "s3:ObjectCreated:Post": "a browser form's POST",
    "s3:ObjectCreated:CompleteMultipartUpload": (
        "a multipart upload, as `upload_file` and `aws s3 cp` make of a large file"
    ),
}
# Events that aren't uploads, each with an example (as notebook 03's check names them).
NOT_UPLOADS = (
    ("s3:ObjectRemoved", "a deletion, of a picture it then can't read"),
    ("s3:ObjectRestore", "a restore of an archived copy of a picture already there"),
    ("s3:ObjectTagging", "a change of a picture's tags"),
    ("s3:ObjectAcl", "a change of a picture's access control list"),
    ("s3:Lifecycle", "a picture expired or moved to another storage class by a lifecycle rule"),
    ("s3:IntelligentTiering", "a picture moved to an archive tier"),
    ("s3:Replication", "a replication's progress or failure"),
    ("s3:ReducedRedundancyLostObject", "a picture lost from Reduced Redundancy storage"),
)
AVATAR_RIGHTS = (
    ("s3:GetObject", "arn:aws:s3:::avatars-in/*"),
    ("s3:PutObject", "arn:aws:s3:::avatars-out/*"),
)


Colour = tuple[int, int, int]
# Names with a dot before the extension, as people name files: the check's PNG uploads take
# two of them (`check/<id> ada.lovelace.png` becomes `check/<id> ada.lovelace.jpg`).
DOTTED_NAMES = ("ada.lovelace", "grace.hopper", "portrait.v2", "me.2026", "team.photo.final")
# The JPEG is named as cameras and phones name files, with capitals (`IMG_4821.JPEG`), varied:
# its avatar keeps them (`IMG_4821.jpg`), so that a name made from the lower-cased key (a way
# to cope with `.JPEG`) fails (learner trial 8, N D1).
CAMERA_PREFIXES = ("IMG_", "DSC_", "PXL_", "Photo ", "DSCN")
# The first PNG's name holds a letter beyond ASCII too: an S3 event's key is URL-encoded as a
# whole ("The object key name value is URL encoded",
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html),
# `ë` as `%C3%AB`, so replacing `+` with a space alone doesn't give it back (learner trial 9,
# SD20): only `unquote_plus` does.
NAMES_BEYOND_ASCII = ("zoë.portrait", "josé.v2", "renée.lovelace", "chloé.2026", "señor.photo")


# Learner trial 10 (YD13): the extensions vary at every check, one PNG always `.PNG`, so that a
# swap of the task's two examples only (`.replace('.png', '.jpg').replace('.JPEG', '.jpg')`)
# fails; a JPEG named `.jpg` already would keep its key, so it isn't one of them.
PNG_EXTENSIONS = (".png", ".PNG")
JPEG_EXTENSIONS = (".jpeg", ".JPG", ".JPEG")


def _camera_name(rng: random.Random) -> str:
    return f"{rng.choice(CAMERA_PREFIXES)}{rng.randrange(1000, 10000)}"


def _test_picture(image_format: str = "PNG") -> tuple[bytes, Colour, Colour, Colour]:
    """A wide picture, a PNG with transparency (RGBA, with `image_format` "P" a palette PNG
    with a transparent colour, with "LA" a grey PNG with alpha), or a JPEG: (its bytes, the
    centre's colour, the side bands' colour, the inner square's colour).

    The picture is at least twice as wide as tall. A rectangle a little wider than its height,
    in the middle, has one random colour; the bands left and right of it have another, far from
    the first. In the middle of it, an inner square half as tall as the picture has a third
    colour, far from both. Cropping to the centre square and scaling it keeps the first colour
    at the avatar's edges and the third in its middle; squashing the whole picture into a square
    keeps the bands at its left and right edges; a 64-pixel patch cut from the middle, unscaled,
    is the inner square's colour all over (the picture is 160 pixels tall at least).
    """
    from PIL import Image

    rng = random.Random()
    colour = (rng.randrange(40, 216), rng.randrange(40, 216), rng.randrange(40, 216))
    red, green, blue = colour
    bands = ((red + 128) % 256, (green + 128) % 256, (blue + 128) % 256)  # far on every channel
    # far from the centre's colour on one channel, from the bands' on the two others
    inner = rng.choice(
        [
            ((red + 128) % 256, green, blue),
            (red, (green + 128) % 256, blue),
            (red, green, (blue + 128) % 256),
        ]
    )
    if image_format == "LA":
        # Three greys, each at least 85 apart: far from each other, as above.
        greys = [rng.randrange(20, 36), rng.randrange(120, 136), rng.randrange(220, 236)]
        rng.shuffle(greys)
        colour, bands, inner = ((grey, grey, grey) for grey in greys)
    height = rng.randrange(160, 240)
    width = rng.randrange(2 * height, 2 * height + height // 2)
    picture = Image.new("RGBA", (width, height), (*bands, 255))
    centre = height + height // 4  # wider than the square a centre crop keeps
    left = (width - centre) // 2
    picture.paste((*colour, 255), (left, 0, left + centre, height))
    side = round(height * INNER_FRACTION)
    inner_left, inner_top = (width - side) // 2, (height - side) // 2
    picture.paste((*inner, 255), (inner_left, inner_top, inner_left + side, inner_top + side))
    buffer = io.BytesIO()
    if image_format == "PNG":
        picture.save(buffer, format="PNG")
    elif image_format == "LA":
        # Grey with alpha: Pillow opens it in mode LA, which JPEG can't hold (learner trial 9,
        # SD5: a convert for RGBA and P only left it, and no upload was LA).
        picture.convert("LA").save(buffer, format="PNG")
    elif image_format == "P":
        # A palette PNG whose fourth colour is transparent, as image editors save a logo: a
        # few transparent pixels in the corners, in the side bands a centre crop cuts off, so
        # that flattening the transparency onto any background changes no sampled pixel.
        palette = Image.new("P", (width, height), 0)
        palette.putpalette([*bands, *colour, *inner, 255, 255, 255])
        palette.paste(1, (left, 0, left + centre, height))
        palette.paste(2, (inner_left, inner_top, inner_left + side, inner_top + side))
        transparent = 3
        for x, y in ((0, 0), (1, 0), (0, 1), (width - 1, height - 1), (width - 2, height - 1)):
            palette.putpixel((x, y), transparent)
        palette.save(buffer, format="PNG", transparency=transparent)
    else:  # JPEG holds no transparency
        picture.convert("RGB").save(buffer, format=image_format, quality=95)
    return buffer.getvalue(), colour, bands, inner


class Upload(enum.Enum):
    """The kinds of picture the check uploads: Pillow's format name as value."""

    PNG = "PNG"
    PALETTE = "P"  # a PNG too: Pillow opens it in mode P, which JPEG can't hold either
    GREY = "LA"  # a PNG too: grey with alpha, mode LA, which JPEG can't hold either
    JPEG = "JPEG"

    @property
    def extension(self) -> str:
        # An upper-case `.JPEG`: every upload, whatever its extension, becomes `<stem>.jpg`.
        return ".JPEG" if self is Upload.JPEG else ".png"

    def extensions(self) -> tuple[str, ...]:
        """The extensions the check draws from for this kind (learner trial 10, YD13: a swap
        of the task's two, `.png` and `.JPEG`, passed with fixed ones)."""
        return JPEG_EXTENSIONS if self is Upload.JPEG else PNG_EXTENSIONS

    @property
    def kind(self) -> str:
        return {
            Upload.PNG: "a PNG with transparency (mode RGBA)",
            Upload.PALETTE: "a palette PNG with a transparent colour (mode P)",
            Upload.GREY: "a grey PNG with transparency (mode LA)",
            Upload.JPEG: "a JPEG",
        }[self]


def _grey(pixel: tuple[int, ...]) -> bool:
    """Whether a pixel is a grey: its channels within JPEG's noise of each other."""
    return max(pixel) - min(pixel) <= 12


def _near(pixel: tuple[int, ...], colour: tuple[int, ...]) -> bool:
    return all(abs(a - b) <= COLOUR_TOLERANCE for a, b in zip(pixel, colour, strict=True))


def _notifications_to_avatars() -> list[dict[str, Any]]:
    """The notification configurations of avatars-in that invoke `avatars`."""
    configs = client("s3").get_bucket_notification_configuration(Bucket="avatars-in")
    return [
        c
        for c in configs.get("LambdaFunctionConfigurations", [])
        if c["LambdaFunctionArn"].split(":")[6] == AVATARS
    ]


def _require_filter_lets_through(key: str, kind: str) -> None:
    """Incorrect when every notification to `avatars` filters out the check's upload `key`, a
    picture of `kind` (a prefix or suffix rule; S3 compares them with the key as it is, case
    and all)."""
    mine = _notifications_to_avatars()
    shown = []
    for config in mine:
        rules = config.get("Filter", {}).get("Key", {}).get("FilterRules", [])
        wanted = {r["Name"].lower(): r["Value"] for r in rules}
        if key.startswith(wanted.get("prefix", "")) and key.endswith(wanted.get("suffix", "")):
            return
        # Within one configuration every rule applies; a key may match any configuration.
        shown.append(" and the ".join(f"{r['Name'].lower()} `{r['Value']}`" for r in rules))
    if mine:
        raise Incorrect(
            f"the notification of `avatars-in` lets through only keys with the "
            f"{' or the '.join(shown)}, so the check's upload `{key}`, {kind}, would never "
            "reach `avatars`. Every picture uploaded is to become an avatar, whatever its "
            "extension (`.png`, `.jpg`, `.JPEG` ...): drop the filter (or cover every upload)."
        )


def _require_s3_permission(qualifier: str | None = None) -> None:
    """Incorrect unless the function's resource-based policy (its alias's or version's, for a
    trigger that invokes `qualifier`) lets S3 invoke it for uploads to avatars-in, and only
    those (https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html). S3 sends the bucket
    owner's account, the learner's own, as aws:SourceAccount."""
    require_trigger_permission(
        AVATARS,
        "s3.amazonaws.com",
        "arn:aws:s3:::avatars-in",
        "uploads to `avatars-in`",
        source_account=kit().account_id,
        qualifier=qualifier,
    )


def _trigger_qualifiers() -> list[str | None]:
    """The alias or version each notification to `avatars` invokes (None: the function
    itself, its unqualified ARN), each once."""
    found: list[str | None] = []
    for config in _notifications_to_avatars():
        parts = config["LambdaFunctionArn"].split(":")
        qualifier = parts[7] if len(parts) > 7 else None
        if qualifier not in found:
            found.append(qualifier)
    return found


def _through_eventbridge(function_arn: str) -> bool:
    """Whether `avatars-in` sends its events to EventBridge, or an EventBridge rule on S3's
    events targets `avatars` (the kit's S3 doesn't give `EventBridgeConfiguration` back)."""
    if "EventBridgeConfiguration" in client("s3").get_bucket_notification_configuration(
        Bucket="avatars-in"
    ):
        return True
    events = client("events")
    with contextlib.suppress(Exception):
        names = events.list_rule_names_by_target(TargetArn=function_arn).get("RuleNames", [])
        return any(
            "aws.s3" in str(events.describe_rule(Name=name).get("EventPattern") or "")
            for name in names
        )
    return False


def _require_trigger(function_arn: str) -> None:
    """Incorrect unless uploads to avatars-in reach the function, with S3's permission (on
    what the notification invokes: the function, or an alias or version of it)."""
    mine = _notifications_to_avatars()
    if not mine and _through_eventbridge(function_arn):
        # Learner trial 13 (PD10): S3 -> EventBridge -> `avatars` works on AWS too ("Using
        # EventBridge", https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html),
        # but then EventBridge invokes the function, not S3: the task asks for S3's own
        # notification and S3's permission. The message said AWS refuses it.
        raise Incorrect(
            "`avatars-in` sends its events to EventBridge (`EventBridgeConfiguration`), and "
            "no notification of its own invokes `avatars`. An EventBridge rule that invokes "
            "`avatars` works on AWS too, but the task asks for S3 to invoke it: a "
            "`LambdaFunctionConfigurations` entry in `put_bucket_notification_configuration` "
            "(events `s3:ObjectCreated:*`), with `add_permission` for `s3.amazonaws.com`."
        )
    if not mine:
        _require_s3_permission()  # S3 refuses the configuration without it: name that first
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
    # Learner trial 12 (KD2): `s3:ObjectCreated:Put` alone fires for PutObject only; an upload
    # by multipart (CompleteMultipartUpload: boto3's upload_file of a large file, the CLI's
    # `aws s3 cp`, big console uploads) or by a browser form (POST) makes no avatar. S3's event
    # types: s3:ObjectCreated:Put, Post, Copy, CompleteMultipartUpload, `*` for all
    # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html).
    # The task says "every upload"; the check uploads with PutObject only, so it reads them.
    sent = {event for c in mine for event in c.get("Events", [])}
    if "s3:ObjectCreated:*" not in sent:
        missing = [e for e in UPLOAD_EVENTS if e not in sent]
        if missing:
            ways = "; ".join(f"{UPLOAD_EVENTS[e]} is `{e}`" for e in missing)
            raise Incorrect(
                f"the notification of `avatars-in` sends only {sorted(sent)} to `avatars`, so "
                "some uploads would make no avatar: S3 reports each way of uploading as an "
                f"event type of its own ({ways}). For every upload, use the events "
                "`['s3:ObjectCreated:*']`."
            )
    # Learner trial 13 (PD14): events that aren't uploads (a deletion, a restore) would run
    # `avatars` too, for a picture it then can't read (as notebook 03's check says).
    others = sorted(e for e in sent if not e.startswith("s3:ObjectCreated:"))
    if others:
        example = next(
            (text for kind, text in NOT_UPLOADS if others[0].startswith(kind)),
            "a deletion, say, of a picture it then can't read",
        )
        raise Incorrect(
            f"the notification of `avatars-in` also sends {', '.join(f'`{e}`' for e in others)} "
            f"to `avatars`: it would run for what isn't an upload too ({example}), fail, and "
            "be retried. Only uploads may run it: `Events=['s3:ObjectCreated:*']`."
        )
    # Learner trial 11 (ED4): a trigger aimed at an alias (`avatars:live`) needs the permission
    # on that alias, added with Qualifier='live', and nothing on the function itself: "the
    # permission allows you to invoke the helloworld function using the alias ARN"
    # (https://docs.aws.amazon.com/lambda/latest/dg/using-aliases.html). The check looked at
    # the unqualified function's policy only, and said the trigger invoked the function.
    for qualifier in _trigger_qualifiers():
        _require_s3_permission(qualifier)


def _require_pillow_layer(config: dict[str, Any]) -> None:
    """Incorrect unless one of the function's layers holds Pillow where Python finds it."""
    arns = [layer["Arn"] for layer in config.get("Layers") or []]
    if not arns:
        raise Incorrect(
            "`avatars` has no layer: give it the Pillow layer of section 2.1 "
            "(`Layers=[pillow_layer]`). AWS's Python runtime has no Pillow."
        )
    version = re.escape(config["Runtime"].removeprefix("python"))
    place = re.compile(rf"python/(lib/python{version}/site-packages/)?PIL/__init__\.py")
    names = [name for arn in arns for name in zip_names(layer_zip(arn))]
    if not any(place.fullmatch(name) for name in names):
        other = next(
            (
                found[1]
                for name in names
                if (
                    found := re.fullmatch(
                        r"python/lib/(python[\d.]+)/site-packages/PIL/__init__\.py", name
                    )
                )
            ),
            None,
        )
        if other:
            # Python finds a layer's packages in /opt/python and in
            # /opt/python/lib/<its own version>/site-packages only.
            raise Incorrect(
                f"a layer of `avatars` holds Pillow under `python/lib/{other}/site-packages/`, "
                f"but the function runs `{config['Runtime']}`, whose Python looks in "
                f"`python/` and `python/lib/{config['Runtime']}/site-packages/` only: put it "
                "under `python/` (as `site_packages_zip('pillow', prefix='python/')` does), or "
                "give it the Pillow layer of section 2.1 (`Layers=[pillow_layer]`)."
            )
        raise Incorrect(
            "none of the layers of `avatars` holds Pillow (`PIL/`) under `python/`, where "
            "Python finds a layer's packages: give it the Pillow layer of section 2.1 "
            "(`Layers=[pillow_layer]`)."
        )
    _require_layer_architecture(config, names)


# A compiled module of Pillow's, named for the CPU it was built for (PEP 3149's tag); Lambda
# names the two `x86_64` and `arm64`.
_COMPILED_FOR = re.compile(
    r"python/(?:lib/python[\d.]+/site-packages/)?PIL/[^/]+\.cpython-\d+-(x86_64|aarch64)-linux-gnu\.so"
)
_LAMBDA_ARCHITECTURE = {"x86_64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}


def _require_layer_architecture(config: dict[str, Any], names: list[str]) -> None:
    """Learner trial 11 (ED10): Incorrect when the function's architecture isn't the one
    Pillow's compiled code in its layers was built for. "The code in the deployment package must
    be compatible with the target instruction set architecture of the function"
    (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html; layers with
    compiled code: https://docs.aws.amazon.com/lambda/latest/dg/python-layers.html): an arm64
    function can't load an x86_64 `_imaging`. The kit's own layer is built for this machine:
    with the default architecture (x86_64) on an arm64 machine it is the notebook's, not the
    learner's mistake, and passes."""
    architecture = (config.get("Architectures") or ["x86_64"])[0]
    built = {
        _LAMBDA_ARCHITECTURE[found[1]] for name in names if (found := _COMPILED_FOR.fullmatch(name))
    }
    if not built or architecture in built:
        return
    machine = _LAMBDA_ARCHITECTURE.get(platform.machine().lower())
    if architecture == "x86_64" and built == {machine}:
        return
    compiled = [name for name in names if _COMPILED_FOR.fullmatch(name)]
    module = next((name for name in compiled if "/_imaging." in name), compiled[0])
    other = sorted(built)[0]
    raise Incorrect(
        f"`avatars` runs on `{architecture}` (`Architectures=[{architecture!r}]`), but the "
        f"Pillow of its layer is compiled for `{other}` (`{module.rsplit('/', 1)[-1]}`): on "
        "AWS `from PIL import Image` fails with an ImportError on `_imaging`, and no avatar "
        "is made. Deploy it with the layer's architecture"
        + (" (`x86_64`, the default)" if other == "x86_64" else f" (`{other}`)")
        + f", or give it a layer built for `{architecture}` (section 2.1: "
        + (
            "`pip install --platform manylinux2014_aarch64 ...`)."
            if architecture == "arm64"
            else "`pip install --platform manylinux2014_x86_64 ...`)."
        )
    )


def _require_least_privilege(config: dict[str, Any]) -> None:
    """Incorrect unless the role allows reading the uploads and writing avatars, nothing else."""
    role = config["Role"].rsplit("/", 1)[-1]
    statements = role_statements(role)
    for action, resource in AVATAR_RIGHTS:
        # Learner trial 11 (ED8): the avatars written all end in `.jpg`, so `avatars-out/*.jpg`
        # allows every write the handler makes (in an IAM resource `*` matches any characters,
        # `/` too: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
        # The write was asked about a `.png` key, which no handler writes.
        probe = "check/x.jpg" if action == "s3:PutObject" else "check/x.png"
        if not role_allows(statements, action, resource.replace("*", probe)):
            denying = _denying(statements, action, resource.replace("*", probe))
            if denying:
                # Learner trial 12 (KD5): an explicit Deny overrides every Allow (IAM's policy
                # evaluation logic, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
                # adding the Allow the old message asked for changed nothing.
                raise Incorrect(
                    f"`{role}`, the role of `avatars`, allows `{action}` on `{resource}`, but "
                    f"{denying} denies it, and an explicit Deny wins over every Allow: the "
                    "handler can't do it. Narrow that Deny's Resource (or Action) so that it "
                    "misses what the handler needs, or remove it."
                )
            raise Incorrect(
                f"`{role}`, the role of `avatars`, does not allow `{action}` on `{resource}`: "
                "the handler needs it."
            )
    problems = [p for p in excess_rights(statements, AVATAR_RIGHTS) if not _grants_nothing(p)]
    if problems:
        # Learner trial 12 (KD8): a managed policy an earlier attempt attached stays on the
        # role whatever its inline policy says: name it, and how to take it off.
        managed = [
            s.source
            for s in statements
            if s.source.startswith("managed policy")
            and "AWSLambdaBasicExecutionRole" not in s.source
            and [p for p in excess_rights([s], AVATAR_RIGHTS) if not _grants_nothing(p)]
        ]
        detach = (
            f" The excess comes from {', '.join(dict.fromkeys(managed))} attached to `{role}`: "
            f"detach it (`iam.detach_role_policy(RoleName='{role}', PolicyArn=...)`); an "
            "inline policy can't take away what it allows."
            if managed
            else ""
        )
        raise Incorrect(
            f"`{role}` allows more than `avatars` needs: {'; '.join(problems)}. Allow "
            "`s3:GetObject` on `arn:aws:s3:::avatars-in/*` and `s3:PutObject` on "
            "`arn:aws:s3:::avatars-out/*`, and nothing else." + detach
        )


def _denying(statements: list[Statement], action: str, resource: str) -> str:
    """The Deny statements among `statements` that deny `action` on `resource`, named for the
    learner ("" when none does)."""
    probe = Statement("Allow", (action,), (resource,))
    found = []
    for s in statements:
        if not s.allows and not role_allows([probe, s], action, resource):
            what = s.actions if s.actions is not None else ("NotAction", *(s.not_actions or ()))
            where = s.resources if s.resources is not None else ("NotResource",)
            found.append(
                f"the statement `Deny {', '.join(what)} on {', '.join(where)}` "
                f"(in {s.source or 'a policy'})"
            )
    return " and ".join(found)


# Learner trial 10 (YD10): s3:GetObject and s3:PutObject authorize against the object resource
# type only (`arn:aws:s3:::bucket/key`, Service Authorization Reference for Amazon S3:
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html): a
# bucket's own ARN beside `bucket/*`, a common pattern, matches no request of theirs and grants
# nothing more. harness.excess_rights doesn't know resource types; this module drops its note.
OBJECT_ACTIONS = ("s3:getobject", "s3:putobject")
_UNUSED_RESOURCE = re.compile(
    r"`([\w:*]+)` on `(arn:aws:s3:::[^/*?`]+)` is not a resource the task"
)


def _grants_nothing(problem: str) -> bool:
    """Whether excess_rights's `problem` is an object action on a bucket ARN (no wildcard)."""
    found = _UNUSED_RESOURCE.search(problem)
    return bool(found) and found[1].lower() in OBJECT_ACTIONS


def _check_avatars() -> str:
    config = function_config(AVATARS)
    # Learner trial 13 (PW3): a function at reserved concurrency 0 never runs (its uploads'
    # events are throttled): said as such, not as "ran ... and failed".
    require_not_paused(AVATARS)
    s3 = client("s3")
    for bucket in ("avatars-in", "avatars-out"):
        try:
            s3.head_bucket(Bucket=bucket)
        except s3.exceptions.ClientError:
            raise Incorrect(f"there is no bucket `{bucket}` yet: create it.") from None
    _require_trigger(config["FunctionArn"])
    # What the uploads run: the function, or the alias or version the trigger invokes (its
    # own layers and role, as published).
    for qualifier in _trigger_qualifiers() or [None]:
        invoked = function_config(AVATARS, qualifier) if qualifier else config
        _require_pillow_layer(invoked)
        _require_least_privilege(invoked)

    # Four uploads: a wide PNG with transparency (RGBA), a palette PNG with a transparent
    # colour (mode P: a convert for RGBA only leaves it, and JPEG can't hold it), a grey PNG
    # with alpha (mode LA, the third kind the task names), and a JPEG
    # whose key ends in `.JPEG`. Every upload becomes `<key without its extension>.jpg`: a
    # `.png` suffix filter, or a key made with `key.replace(".png", ".jpg")`, fails on the JPEG
    # every time. The PNGs' names hold a dot before the extension (`ada.lovelace.png`, as
    # people name files), varied, so that a key cut at its first dot fails too; the JPEG's
    # holds capitals (`IMG_4821.JPEG`), so that a name made from the lower-cased key fails.
    rng = random.Random()
    dotted = rng.sample(DOTTED_NAMES, 2)
    uploads = []
    # Learner trial 13 (PD6): every extension the task names, at every check: both PNG ones
    # among the three PNGs, and one JPEG per JPEG extension (a single JPEG of a drawn
    # extension let `key[:-4]`, or a list of extensions without `.jpeg`, pass most runs).
    png_extensions = [*PNG_EXTENSIONS, rng.choice(PNG_EXTENSIONS)]
    rng.shuffle(png_extensions)
    jpeg_extensions = list(JPEG_EXTENSIONS)
    rng.shuffle(jpeg_extensions)
    for upload, name, extension in (
        (Upload.PNG, rng.choice(NAMES_BEYOND_ASCII), png_extensions[0]),
        (Upload.PALETTE, dotted[0], png_extensions[1]),
        (Upload.GREY, dotted[1], png_extensions[2]),
        *((Upload.JPEG, _camera_name(rng), extension) for extension in jpeg_extensions),
    ):
        marker = check_id("avatar")
        uploads.append((upload, marker, f"check/{marker} {name}", extension))
    # Learner trial 13 (PD11): one upload, drawn, is a multipart upload, whose record's
    # `eventName` is `ObjectCreated:CompleteMultipartUpload`: a handler that skips all records
    # but `ObjectCreated:Put` fails it (S3's event message structure:
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
    multipart = rng.randrange(len(uploads))
    for upload, _marker, stem, extension in uploads:
        _require_filter_lets_through(stem + extension, upload.kind)
    for n, (upload, marker, stem, extension) in enumerate(uploads):
        _require_avatar(upload, marker, stem, extension, multipart=n == multipart)
    shown = [f"`{extension}`" for *_, extension in uploads]
    shown = ", ".join(shown[:-1]) + f" and {shown[-1]}"
    return (
        "`avatars` turned a wide PNG with transparency, a palette PNG with a transparent "
        f"colour, a grey PNG with alpha, and three JPEGs, uploaded as {shown} (one of them as "
        f"a multipart upload), into square JPEG avatars of {AVATAR_SIZE} in `avatars-out` "
        "(each under its key with `.jpg`, dots, capitals and letters beyond ASCII in its name "
        "kept), cropped to the centre square, with Pillow from its layer, a role that may do "
        "just that, and S3's permission to invoke it."
    )


def _upload(key: str, picture: bytes, multipart: bool) -> None:
    """Upload the check's picture with `put_object`, or as a multipart upload of one part (the
    last part of a multipart upload may be under 5 MB)."""
    s3 = client("s3")
    if not multipart:
        s3.put_object(Bucket="avatars-in", Key=key, Body=picture)
        return
    upload = s3.create_multipart_upload(Bucket="avatars-in", Key=key)["UploadId"]
    etag = s3.upload_part(
        Bucket="avatars-in", Key=key, UploadId=upload, PartNumber=1, Body=picture
    )["ETag"]
    s3.complete_multipart_upload(
        Bucket="avatars-in",
        Key=key,
        UploadId=upload,
        MultipartUpload={"Parts": [{"ETag": etag, "PartNumber": 1}]},
    )


def _require_avatar(
    upload: Upload, marker: str, stem: str, extension: str = "", multipart: bool = False
) -> None:
    """Incorrect unless uploading a wide picture of the kind `upload` under `stem` + its
    extension (as a multipart upload when `multipart`) makes the right avatar appear at
    `stem`.jpg."""
    from PIL import Image

    s3 = client("s3")
    key, wanted = stem + (extension or upload.extension), stem + ".jpg"
    picture, colour, bands, inner = _test_picture(upload.value)
    mark = LogMark.of_function(AVATARS)  # only what the check's upload makes the function log
    with short_retry_waits():
        _upload(key, picture, multipart)

        def finished() -> Any:
            event = async_event(AVATARS, marker)
            return event if event is not None and (event.done or event.errors) else None

        event = wait_until(finished, AVATAR_TIMEOUT_S)
    if event is None:
        raise Incorrect(
            f"the check's upload `{key}` to `avatars-in` didn't end within "
            f"{AVATAR_TIMEOUT_S} s (`avatars` was not invoked, or is still running)."
        )
    if event.errors:
        error = event.errors[-1].rstrip(".")
        advice = ""
        if reads_a_missing_key(error):
            advice = (
                " The check's keys hold spaces and letters beyond ASCII, which an S3 event "
                "carries URL-encoded (a space as `+`, `é` as `%C3%A9`): decode the key with "
                "`unquote_plus` before reading the object (replacing `+` alone leaves the `%` "
                "escapes). (A key that doesn't exist reads as NoSuchKey, or as AccessDenied "
                "for a role without `s3:ListBucket`, as on AWS.)"
            )
        elif written_to := _denied_put_bucket(error):
            advice = (
                f" The handler writes the avatar to `{written_to}`: write it to `avatars-out`"
                + (
                    ", not back to the bucket of uploads (don't give the role `s3:PutObject` "
                    "on `avatars-in` either: each avatar written there would be an upload "
                    "too, and invoke `avatars` again, in a loop)."
                    if written_to == "avatars-in"
                    else "."
                )
            )
        elif "AccessControlListNotSupported" in error:
            # Learner trial 9 (SD11): a new bucket has ACLs disabled (Object Ownership "Bucket
            # owner enforced"), so a PUT with a canned ACL fails
            # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html).
            advice = (
                " `avatars-out` has ACLs disabled, as every new bucket has (Object Ownership "
                "'Bucket owner enforced'), so S3 refuses a `put_object` with an `ACL=`: drop "
                "the ACL (to make avatars public, a bucket policy does it)."
            )
        elif "AccessDenied" in error:
            advice = " Its role is refused a call the handler makes."
        elif mode := re.search(r"cannot write mode (\w+) as JPEG", error):
            advice = (
                f" JPEG holds only RGB (or plain grey) pictures, and this one was in mode "
                f"`{mode[1]}` when saved. A PNG with transparency may be RGBA, P (a palette "
                "with a transparent colour) or LA (grey with alpha): convert every picture "
                "that isn't RGB, `image.convert('RGB')` (or always convert), before saving it "
                "as JPEG, not only the RGBA ones."
            )
        elif "RGBA" in error:
            advice = " Convert the picture with `.convert('RGB')` before saving it as JPEG."
        raise Incorrect(
            f"`avatars` ran for the check's upload `{key}` ({upload.kind}) and failed: "
            f"{error}.{advice}"
        )
    if any(KIT_PACKAGE_NOTE in line for line in mark.new_messages()):
        raise Incorrect(
            "`avatars` imported a package from the kit's own packages, not from its ZIP or a "
            "layer: on AWS that import fails. Give it the Pillow layer of section 2.1 "
            "(`Layers=[pillow_layer]`)."
        )
    s3.delete_object(Bucket="avatars-in", Key=key)  # the check's own objects
    written = [
        o["Key"]
        for o in s3.list_objects_v2(Bucket="avatars-out", Prefix="check/").get("Contents", [])
        if marker in o["Key"]
    ]
    got = s3.get_object(Bucket="avatars-out", Key=wanted) if wanted in written else None
    avatar = got["Body"].read() if got is not None else None
    content_type = str((got or {}).get("ContentType") or "")
    for other in written:  # the check's own objects
        s3.delete_object(Bucket="avatars-out", Key=other)
    if avatar is None:
        if key in written:  # the upload's own name: its extension never changed
            raise Incorrect(
                f"`avatars` wrote the avatar of the check's upload `{key}` ({upload.kind}) "
                f"under the upload's own name, `{key}`; it should be `{wanted}`: the same key, "
                "its extension, whatever it is, replaced by `.jpg`. "
                # Learner trial 11 (EW1): the advice named `key.replace` only; a pattern that
                # names the extensions in one case (no re.IGNORECASE) leaves `.PNG` too.
                f"Its extension `{key.rpartition('.')[2]}` was left as it is: a replacement "
                "of some extensions only (`key.replace('.png', '.jpg')`, a pattern without "
                "`re.IGNORECASE`) leaves the others, and extensions come in any case (`.PNG`, "
                "`.jpeg`, `.JPG` ...): cut the extension with "
                "`key.rsplit('.', 1)[0]` or `os.path.splitext(key)[0]`, then add `.jpg`."
            )
        first_dot = key.split(".")[0] + ".jpg"
        if first_dot in written and first_dot != wanted:
            raise Incorrect(
                f"`avatars` wrote the avatar of the check's upload `{key}` ({upload.kind}) as "
                f"`{first_dot}`; it should be `{wanted}`: the same key, with only its "
                "extension replaced by `.jpg`. The name holds a dot before the extension, and "
                "the key was cut at its first dot (`key.split('.')[0]`): cut at the last one, "
                "`key.rsplit('.', 1)[0]` or `os.path.splitext(key)[0]`, then add `.jpg`."
            )
        lowered = next((k for k in written if k.lower() == wanted.lower()), None)
        if lowered is not None:
            raise Incorrect(
                f"`avatars` wrote the avatar of the check's upload `{key}` ({upload.kind}) as "
                f"`{lowered}`; it should be `{wanted}`: only the extension changes, and the "
                "rest of the key keeps its capitals. The name was made from the lower-cased "
                "key: compare the extension in lower case if you like "
                "(`key.lower().endswith('.jpeg')`), but build the name from the key as it is, "
                "`key.rsplit('.', 1)[0] + '.jpg'` or `os.path.splitext(key)[0] + '.jpg'`."
            )
        if written:
            raise Incorrect(
                f"`avatars` wrote the avatar of the check's upload `{key}` ({upload.kind}) as "
                f"`{written[0]}`; it should be `{wanted}`: the same key, with its extension "
                "replaced by exactly `.jpg`."
            )
        caught = _caught_error(mark.new_messages())
        if caught:
            # Learner trial 10 (YD5): the handler caught the error and logged it; the
            # invocation succeeded, so the event carries no error: its log says what failed.
            raise Incorrect(
                f"`avatars` ran without failing, but nothing appeared in `avatars-out` for the "
                f"check's upload `{key}` ({upload.kind}): its log for this upload says "
                f"`{caught}` (the handler caught the error).{_error_advice(caught)} And let "
                "an error fail the invocation (raise it again after logging it), or it goes "
                "unseen: S3 retries a failed invocation, and the error shows in its metrics."
            )
        if multipart:
            raise Incorrect(
                f"`avatars` ran, but nothing appeared in `avatars-out` for the check's upload "
                f"`{key}` (it becomes `{wanted}`), and its log names no error. The check sent "
                "this one as a multipart upload (as `upload_file` and `aws s3 cp` send a large "
                "file): its record's `eventName` is `ObjectCreated:CompleteMultipartUpload`, "
                "not `ObjectCreated:Put`. Does the handler skip records by their `eventName`? "
                "Every upload is to become an avatar: make one for every record the "
                "notification sends."
            )
        # "Background processes or callbacks initiated by your function that did not complete
        # when the function ended resume if Lambda reuses the execution environment"
        # (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
        raise Incorrect(
            f"`avatars` ran, but nothing appeared in `avatars-out` for the check's upload "
            f"`{key}` (it becomes `{wanted}`: the same key, with the extension `.jpg`), and "
            "its log names no error. Decode the key of the event with `unquote_plus`, and "
            "write the avatar with `put_object(Bucket='avatars-out', Key=..., Body=...)` "
            "before the handler returns: work left running after it returns (on a thread of "
            "its own) is frozen with the execution environment on AWS, and may never end."
        )
    if not avatar:
        # Learner trial 8 (N M1): a buffer handed to put_object after `save` is at its end,
        # and botocore sends from where it stands: nothing.
        raise Incorrect(
            f"the avatar `{wanted}` written to `avatars-out` is empty (0 bytes). A JPEG saved "
            "into a `BytesIO` leaves the buffer at its end, and `put_object(Body=buffer)` "
            "sends from there: pass `Body=buffer.getvalue()`, or rewind it with "
            "`buffer.seek(0)` first."
        )
    try:
        image = Image.open(io.BytesIO(avatar))
        image.load()
    except Exception as exc:
        raise Incorrect(f"the avatar written to `avatars-out` isn't a picture: {exc}") from None
    if image.format != "JPEG":
        raise Incorrect(f"the avatar is a {image.format}; save it with `format='JPEG'`.")
    if content_type.lower().startswith("image/") and content_type.lower() != "image/jpeg":
        # Learner trial 13 (PW1): the thumbnailer's `ContentType="image/png"` kept: S3 serves
        # the JPEG as a PNG to every browser and CDN that reads the avatar.
        raise Incorrect(
            f"the avatar `{wanted}` is a JPEG, but it was written with `ContentType="
            f"'{content_type}'`, and S3 serves it with that type: give `put_object` "
            "`ContentType='image/jpeg'` (or no ContentType)."
        )
    if image.size != AVATAR_SIZE:
        raise Incorrect(
            f"the avatar is {image.size[0]} by {image.size[1]} pixels; it should be exactly "
            f"{AVATAR_SIZE}. `thumbnail` keeps the proportions of a wide picture: "
            "crop it to the centre square."
        )
    rgb = image.convert("RGB")
    column, row = AVATAR_SIZE[0] // 2, AVATAR_SIZE[1] // 2
    middle = rgb.getpixel((column, row))
    far_x, far_y = AVATAR_SIZE[0] - 1 - EDGE_PX, AVATAR_SIZE[1] - 1 - EDGE_PX
    red, green, blue = inner
    luminance = round(0.299 * red + 0.587 * green + 0.114 * blue)  # what `convert("L")` gives
    samples = [
        rgb.getpixel((x, y)) for x in (EDGE_PX, column, far_x) for y in (EDGE_PX, row, far_y)
    ]
    if (
        upload is not Upload.GREY
        and not _grey(inner)
        and (
            image.mode in ("L", "1")
            or (all(map(_grey, samples)) and _near(middle, (luminance,) * 3))
        )
    ):
        # Learner trial 13 (PD2): `convert("L")` (or "1") for JPEG's lack of alpha: the right
        # patch, its colours lost (the crop was blamed).
        raise Incorrect(
            f"the avatar of the check's upload `{key}` ({upload.kind}) is grey (its middle is "
            f"{middle}, the upload's {inner}): its colours were lost"
            + (f" (the JPEG is in mode `{image.mode}`)" if image.mode != "RGB" else "")
            + ". `convert('L')` or `convert('1')` drops the colours along with the "
            "transparency: convert the picture to `RGB`, `image.convert('RGB')`, before saving "
            "it as JPEG."
        )
    edges = [rgb.getpixel((x, row)) for x in (EDGE_PX, far_x)]  # left and right
    ends = [rgb.getpixel((column, y)) for y in (EDGE_PX, far_y)]  # top and bottom
    if not _near(middle, inner) and any(_near(pixel, bands) for pixel in [middle, *edges]):
        raise Incorrect(
            f"the avatar shows the upload's side bands ({bands}) where its centre square "
            f"({colour}, with {inner} in its middle) should be: the crop is off centre. Crop "
            "the square in the middle of the picture: for a wide one, from "
            "`left = (width - height) // 2` to `left + height`, then scale it (`crop` takes "
            "the box `(left, upper, right, lower)`, edges, not a width and height)."
        )
    # Around the middle, 3 px each way: a resize blends the pixels on a colour's border, so
    # the middle itself may be neither colour when the crop is off centre.
    around = [rgb.getpixel((column + dx, row + dy)) for dx in (-3, 0, 3) for dy in (-3, 0, 3)]
    if not _near(middle, inner) and any(_near(pixel, colour) for pixel in around):
        # Made from the upload (its centre square's colour), but not around its middle: a
        # crop box off centre within the centre square, such as (left, top, side, side), a
        # width and height where `crop` takes the right and lower edges.
        raise Incorrect(
            f"the avatar's middle is {middle}, the colour of the upload's centre square "
            f"({colour}), but the middle of the uploaded picture is {inner}: the avatar was "
            "cut from beside the middle, so the crop is off centre. `crop` takes the box "
            "`(left, upper, right, lower)`, edges, not a width and height: for a wide "
            "picture, `left = (width - height) // 2`, then `crop((left, 0, left + height, "
            "height))`, then scale it (`ImageOps.fit` does both)."
        )
    if not _near(middle, inner):
        raise Incorrect(
            f"the avatar's middle is {middle}, but the middle of the uploaded picture was "
            f"{inner}: make the avatar from the uploaded picture, around its middle (if you "
            "crop, `crop` takes the box `(left, upper, right, lower)`, edges, not a width and "
            "height)."
        )
    if all(_near(pixel, inner) for pixel in [*edges, *ends]):
        raise Incorrect(
            f"the avatar is {inner} all over, the colour of a square in the middle of the "
            f"upload, half as tall as it; the rest of its centre square, {colour}, is missing. "
            "It is a patch cut from the middle, not the whole centre square: crop the square "
            "as tall as the picture (for a wide one, from `left = (width - height) // 2` to "
            "`left + height`), then scale it down to (64, 64) (`ImageOps.fit` does both)."
        )
    # Learner trial 9 (SD6): the whole picture fitted into the square, proportions kept, with
    # bands added above and below (`ImageOps.pad`, or a crop box bigger than the picture, which
    # Pillow fills with black): its top or bottom row is one colour across, not the centre
    # square's, which a crop or a squash keeps in the middle of those rows.
    for y in (EDGE_PX, far_y):
        across = [rgb.getpixel((x, y)) for x in (EDGE_PX, column, far_x)]
        if not _near(across[1], colour) and all(_near(p, across[1]) for p in across):
            raise Incorrect(
                f"the avatar's {'top' if y == EDGE_PX else 'bottom'} rows are {across[1]} all "
                f"across, a band the upload doesn't have (its centre square is {colour} from "
                "top to bottom): the whole picture was fitted into the square, proportions "
                "kept, and the space above and below filled in (as `ImageOps.pad` does, or a "
                "crop box bigger than the picture, such as a square on its longer side). Crop "
                "the square on its shorter side, in the middle (for a wide picture, "
                "`left = (width - height) // 2`, `crop((left, 0, left + height, height))`), "
                "then scale it (`ImageOps.fit` does both)."
            )
    if not all(_near(edge, colour) for edge in edges):
        raise Incorrect(
            f"the avatar's left and right edges are {edges[0]} and {edges[1]}, but the centre "
            f"square of the upload is {colour} there; its sides, which a crop cuts off, are "
            f"{bands}. The picture was squashed (or cropped off centre) into the square, where "
            "it should be cropped to its centre square, then scaled (`crop` takes the box "
            "`(left, upper, right, lower)`, edges, not a width and height)."
        )
    if not all(_near(end, colour) for end in ends):
        raise Incorrect(
            f"the avatar's top and bottom are {ends[0]} and {ends[1]}, but the centre square "
            f"of the upload is {colour} there, at its top and bottom edges: crop the whole "
            "square, as tall as the picture, then scale it to (64, 64)."
        )
    # Learner trial 10 (YD4): a patch of the middle of the centre square, zoomed to (64, 64)
    # (`ImageOps.fit(..., bleed=0.15)` cuts 15 % off each side) still shows the centre
    # square's colour at the edges: the inner square, half the centre square's side, spans 16
    # to 48 px of a right avatar, and more of a zoomed one. Sampled INNER_GAP_PX outside it.
    low, high = _inner_span()
    outside = [rgb.getpixel(xy) for xy in ((low, row), (high, row), (column, low), (column, high))]
    if any(_near(pixel, inner) and not _near(pixel, colour) for pixel in outside):
        raise Incorrect(
            f"the avatar is zoomed in: the upload's inner square ({inner}), half as wide as "
            "its centre square, should span the middle half of the avatar (16 to 48 px), but "
            f"the check found it {low} px from the avatar's edge, where the centre square's "
            f"own colour ({colour}) should be. The avatar is a patch of the middle of the "
            "centre square scaled up, not the whole square: crop the whole square, as tall as "
            "the picture, then scale it to (64, 64) (`ImageOps.fit` without `bleed`)."
        )


# The last line of a Python traceback: `OSError: cannot write mode P as JPEG`.
_ERROR_LINE = re.compile(r"^\s*((?:[\w.]+\.)?\w*(?:Error|Exception)\b(?::.*)?)$")


def _caught_error(messages: list[str]) -> str | None:
    """The last Python error a log names (a traceback's last line), or None."""
    found = None
    for message in messages:
        for line in message.splitlines():
            match = _ERROR_LINE.match(line)
            if match and not line.lstrip().startswith("Traceback"):
                found = match[1].strip()
    return found


def _error_advice(error: str) -> str:
    """What to do about a Pillow error the handler caught ("" when the check can't say)."""
    if mode := re.search(r"cannot write mode (\w+) as JPEG", error):
        return (
            f" JPEG holds only RGB (or plain grey) pictures, and this one was in mode "
            f"`{mode[1]}` when saved: convert every picture that isn't RGB, "
            "`image.convert('RGB')` (or always convert), before saving it as JPEG."
        )
    if reads_a_missing_key(error):
        return (
            " The check's keys hold spaces and letters beyond ASCII, which an S3 event carries "
            "URL-encoded: decode the key with `unquote_plus` before reading the object."
        )
    return ""


def _denied_put_bucket(error: str) -> str | None:
    """The bucket named in an AccessDenied for s3:PutObject to a bucket other than avatars-out
    (AWS: 'not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::bucket/key"')."""
    found = re.search(r'perform: s3:PutObject on resource: "?arn:aws:s3:::([^/"]+)', error)
    if "AccessDenied" in error and found and found[1] != "avatars-out":
        return found[1]
    return None


_AVATARS_START = '''
import json

import boto3
from helpers.iam import BASIC_EXECUTION, execution_role
from helpers.packaging import site_packages_zip, zip_bytes

lam = boto3.client("lambda")
s3 = boto3.client("s3")
iam = boto3.client("iam")
account = boto3.client("sts").get_caller_identity()["Account"]

s3.create_bucket(Bucket="avatars-in")
s3.create_bucket(Bucket="avatars-out")
role_arn = execution_role("avatars-role", policies=[BASIC_EXECUTION])  # logs (again, if removed)
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
# Nothing else: remove inline policies and managed policies left by earlier attempts.
for name in iam.list_role_policies(RoleName="avatars-role")["PolicyNames"]:
    if name != "avatars":
        iam.delete_role_policy(RoleName="avatars-role", PolicyName=name)
for attached in iam.list_attached_role_policies(RoleName="avatars-role")["AttachedPolicies"]:
    if attached["PolicyName"] != "AWSLambdaBasicExecutionRole":  # logs only, as execution_role
        iam.detach_role_policy(RoleName="avatars-role", PolicyArn=attached["PolicyArn"])
if "PermissionsBoundary" in iam.get_role(RoleName="avatars-role")["Role"]:
    iam.delete_role_permissions_boundary(RoleName="avatars-role")
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


notebook_12b = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Build `avatars`: for every upload to `avatars-in`, write a square JPEG of "
            "`(64, 64)` to `avatars-out`, under the same key with the extension `.jpg`, with "
            "Pillow from a layer: the picture's centre square, scaled to that size, not "
            "squashed. Its role may do exactly what the handler needs (read `avatars-in/*`, "
            "write `avatars-out/*`), and S3 may invoke it (`add_permission`). The check uploads "
            "a wide PNG with transparency (RGBA) named with a letter beyond ASCII, a wide "
            "palette PNG with a transparent colour (mode P) and a wide grey PNG with alpha "
            "(mode LA), both named with a dot before the extension (`ada.lovelace.png` becomes "
            "`ada.lovelace.jpg`), and three wide JPEGs named as cameras do (`IMG_4821.JPEG` "
            "becomes `IMG_4821.jpg`), every extension in each case at every check (`.png`, "
            "`.PNG`; `.jpeg`, `.JPG`, `.JPEG`), one of the uploads a multipart upload, whose "
            "sides differ from their centre, with a smaller square of a third "
            "colour in the middle (half the centre square's side), and opens what appears in "
            "`avatars-out`: the whole centre square, not zoomed."
        ),
        checker=_check_avatars,
        hint_text=(
            "Start from the thumbnail maker of section 2.1. JPEG can't hold transparency: convert "
            "the picture to RGB first. `thumbnail` keeps the proportions and `resize` squashes; "
            "look in `ImageOps` for a function that crops to a size, then scales. The role "
            "needs one action on each bucket's objects."
        ),
        solution_code=_AVATARS_SOLUTION,
    ),
)
