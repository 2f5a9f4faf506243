"""Notebook 08a's exercises: a MemorySize that fits, and which payloads can go
asynchronously."""

from __future__ import annotations

import base64
import contextlib
import json
import random
import re
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

from ..limits import value
from .core import Exercise, Incorrect
from .harness import check_id, client, require_not_paused
from .nb07a_cold_starts_measured import function_config_here

# ------------------------------------------------------------------------- q1: MemorySize
# The largest photo the app accepts: decoded, it takes width × height × 4 bytes (RGBA).
_LARGEST = (8000, 7200)  # the check's own figures, whatever a notebook does to LARGEST_PHOTO


class _Photo(dict):
    """A photo's size that can't be changed in place: `photo = LARGEST_PHOTO;
    photo["width"] //= 2` changed the check's largest photo too, and a 256 MB thumbnailer
    passed (learner trial 9, QD11). It is still a dict to `json.dumps` and `print`."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(
            "LARGEST_PHOTO can't be changed: it is the largest photo the app accepts, and the "
            "check measures it. For another photo, make a copy: "
            "`photo = dict(LARGEST_PHOTO, width=4000)`."
        )

    def __reduce__(self) -> tuple[Any, ...]:  # copy.copy, deepcopy and pickle: a plain dict
        return dict, (dict(self),)

    __setitem__ = __delitem__ = __ior__ = _refuse  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]


LARGEST_PHOTO = _Photo(width=_LARGEST[0], height=_LARGEST[1])
# A size is "more than needed" when the next smaller one has this much room over what was used.
HEADROOM = 1.1
# What the Python runtime adds to the decoded photo at most, in MB: the question's handler uses
# about 66 MB more than the photo's pixels; one that uses far more keeps more than the photo.
RUNTIME_MB_MAX = 150


def memory_ladder() -> list[int]:
    """The MemorySize choices of question 1: doubling from AWS's smallest up to its largest."""
    sizes, size = [], value("memory_mb_min")
    while size <= value("memory_mb_max"):
        sizes.append(size)
        size *= 2
    return sizes


def _invoke_with_report(name: str, event: Any) -> tuple[dict, Any, str]:
    """Invoke and return (response, decoded payload, the invocation's REPORT line or "").

    The REPORT line comes from this invocation's own log tail (`LogType="Tail"`).
    """
    lam = client("lambda")
    response = lam.invoke(FunctionName=name, Payload=json.dumps(event), LogType="Tail")
    raw = response["Payload"].read()
    try:
        body = json.loads(raw or b"null")
    except ValueError:
        body = raw.decode(errors="replace")
    tail = base64.b64decode(response.get("LogResult") or b"").decode(errors="replace")
    # A REPORT line (text log format), or the platform.report record (JSON log format).
    report = next(
        (
            line
            for line in tail.splitlines()
            if line.startswith("REPORT ") or '"platform.report"' in line
        ),
        "",
    )
    return response, body, report


def _decoded(photo: dict[str, int]) -> int:
    return photo["width"] * photo["height"] * 4


def _failed(
    response: dict, body: Any, size: int, photo: dict[str, int], storage: int = 512
) -> Incorrect:
    error = body if isinstance(body, dict) else {}
    pixels = f"{photo['width']} × {photo['height']} pixels"
    if error.get("errorType") == "Runtime.OutOfMemory":
        # Learner trial 10 (WW7): EphemeralStorage raised instead of MemorySize. /tmp is
        # disk: "EphemeralStorage ... The size of the function's /tmp directory"
        # (https://docs.aws.amazon.com/lambda/latest/api/API_EphemeralStorage.html).
        disk = (
            f" Its `EphemeralStorage` of {storage} MB is the size of `/tmp`, a disk, not "
            "memory: `MemorySize` alone sets the memory."
            if storage > 512
            else ""
        )
        return Incorrect(
            f"`thumbnailer` ran out of memory at {size} MB on a photo of {pixels}: "
            "Runtime.OutOfMemory. Its memory holds the decoded photo *and* the Python runtime."
            f"{disk} Invoke it at a roomy size, read `Max Memory Used` in its REPORT line, and "
            "choose the smallest size above that."
        )
    return Incorrect(
        f"`thumbnailer` failed on a photo of {pixels}: {error.get('errorType')}: "
        f"{error.get('errorMessage', body)}"
    )


def _config_of(name: str) -> dict[str, Any]:
    """`function_config_here(name)`, whose "no function named ..." names a function whose name
    differs only in case (learner trial 13, OW4: `Thumbnailer` was told "create it"): Lambda
    function names are case-sensitive, so `Thumbnailer` is another function
    (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html, FunctionName)."""
    try:
        return function_config_here(name)
    except Incorrect as missing:
        if "no function named" not in str(missing):
            raise
        lam = client("lambda")
        same = [
            f["FunctionName"]
            for page in lam.get_paginator("list_functions").paginate()
            for f in page["Functions"]
            if f["FunctionName"] != name and f["FunctionName"].casefold() == name.casefold()
        ]
        if not same:
            raise
        raise Incorrect(
            f"there is no function named `{name}`, but there is `{same[0]}`: Lambda function "
            f"names are case-sensitive, so it is another function. Create `{name}` (all in "
            f"lower case), or delete `{same[0]}` and deploy it again as `{name}`."
        ) from None


def _check_memory() -> str:
    config = _config_of("thumbnailer")
    size, sizes = config["MemorySize"], memory_ladder()
    if size not in sizes:
        raise Incorrect(
            f"`thumbnailer` has a MemorySize of {size} MB. Choose one of the sizes in "
            f"`memory_ladder()`: {sizes} (MB)."
        )
    # A function "paused" while measuring is throttled at every invoke, as on AWS.
    require_not_paused("thumbnailer")
    # A smaller photo of the check's own first: a handler that returns a fixed answer fails.
    small = {"width": random.randint(500, 1500), "height": random.randint(500, 1500)}
    largest = {"width": _LARGEST[0], "height": _LARGEST[1]}
    for photo in (small, largest):
        response, body, report = _invoke_with_report("thumbnailer", photo)
        if response.get("FunctionError"):
            storage = int((config.get("EphemeralStorage") or {}).get("Size") or 512)
            raise _failed(response, body, size, photo, storage)
        if not isinstance(body, dict) or body.get("decoded_bytes") != _decoded(photo):
            raise Incorrect(
                f"`thumbnailer` returned {body!r} for a {photo['width']} × {photo['height']} "
                f'photo; it should decode it and return {{"decoded_bytes": {_decoded(photo)}}} '
                "(4 bytes a pixel), as the handler of the question does."
            )
    # The REPORT line in the text format, or its `platform.report` record in the JSON format.
    found = re.search(r"Max Memory Used: (\d+) MB", report) or re.search(
        r'"maxMemoryUsedMB":\s*(\d+)', report
    )
    logging = config.get("LoggingConfig") or {}
    system = str(logging.get("SystemLogLevel") or "INFO")
    json_logs = str(logging.get("LogFormat", "Text")).upper() == "JSON"
    if not found and json_logs and system.upper() not in ("INFO", "DEBUG", "TRACE"):
        # Lambda's report is an INFO record: a higher system level drops it (learner trial 9,
        # QD3). https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html
        raise Incorrect(
            f"`thumbnailer` logs in the JSON format with `SystemLogLevel` `{system}`: Lambda's "
            "`platform.report` record, which carries `maxMemoryUsedMB`, is an INFO record, so "
            "it is never written, and neither you nor the check can read how much memory the "
            "largest photo used. Set `SystemLogLevel` to `INFO` in its `LoggingConfig` (or use "
            "the Text format)."
        )
    if not found:
        raise Incorrect(
            "the check found no REPORT line with `Max Memory Used` (nor a JSON "
            "`platform.report` with `maxMemoryUsedMB`) in the log tail of `thumbnailer`."
        )
    used = int(found.group(1))
    photo_mb = _decoded(largest) / 2**20
    if used < photo_mb:
        raise Incorrect(
            f"`thumbnailer` used {used} MB on the largest photo, less than its decoded pixels "
            f"alone ({photo_mb:.0f} MB): it no longer decodes the photo into memory. Deploy the "
            "handler of the question as it is; the task is to size its memory, not to change it."
        )
    if used > photo_mb + RUNTIME_MB_MAX:
        # Learner trial 11 (CD21): the handler changed to keep a copy of the pixels (about twice
        # the photo) passed at twice the size the question's handler needs.
        raise Incorrect(
            f"`thumbnailer` used {used} MB on the largest photo: its decoded pixels are "
            f"{photo_mb:.0f} MB, and the Python runtime adds well under {RUNTIME_MB_MAX} MB, so "
            "its handler keeps more than the photo in memory (a copy of the pixels?): it is "
            "not the question's. Deploy the handler of the question as it is, then size its "
            "memory: the task is to size it, not to change it."
        )
    smaller = [s for s in sizes if s < size]
    if smaller and used * HEADROOM <= smaller[-1]:
        raise Incorrect(
            f"`thumbnailer` used {used} MB of its {size} MB (Max Memory Used in its REPORT "
            f"line): {smaller[-1]} MB would hold it too, and each millisecond of a smaller size "
            "costs less. Choose the smallest size that fits."
        )
    too_small = f", and {smaller[-1]} MB would run out of memory" if smaller else ""
    return (
        f"`thumbnailer` decodes the largest photo in {size} MB: it used {used} MB (the photo "
        f"plus the Python runtime){too_small}. That's how you size memory: measure Max Memory "
        "Used on the largest input, then leave some room."
    )


_THUMBNAILER = '''
import base64
import json
import re

import boto3
from helpers.exercises.nb08a_limits_of_an_invocation import LARGEST_PHOTO, memory_ladder
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
thumbnailer_source = """
def handler(event, context):
    # Decode the photo into memory: 4 bytes a pixel (red, green, blue, alpha).
    pixels = bytearray(event["width"] * event["height"] * 4)
    pixels[::4096] = b"\\\\xff" * len(pixels[::4096])  # touch every page: really used
    return {"decoded_bytes": len(pixels)}
"""
'''

_THUMBNAILER_SOLUTION = (
    _THUMBNAILER
    + """
try:
    lam.delete_function(FunctionName="thumbnailer")  # start afresh if it exists
except lam.exceptions.ResourceNotFoundException:
    pass

# Measure first: a roomy size, the largest photo, and Max Memory Used from the REPORT line.
lam.create_function(
    FunctionName="thumbnailer",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": thumbnailer_source})},
    MemorySize=max(memory_ladder()),
)
lam.get_waiter("function_active_v2").wait(FunctionName="thumbnailer")
response = lam.invoke(FunctionName="thumbnailer", Payload=json.dumps(LARGEST_PHOTO), LogType="Tail")
log = base64.b64decode(response["LogResult"]).decode()
used = int(re.search(r"Max Memory Used: (\\d+) MB", log).group(1))

# Then the smallest size with a tenth to spare.
memory_size = min(size for size in memory_ladder() if size >= used * 1.1)
lam.update_function_configuration(FunctionName="thumbnailer", MemorySize=memory_size)
lam.get_waiter("function_updated_v2").wait(FunctionName="thumbnailer")
"""
)

# ---------------------------------------------------------------------- q2: payloads
# The files of question 2, in bytes: each is sent as an event that carries it in base64.
FILE_SIZES = {
    "notes.txt": 2_000,
    "scan.png": 300_000,
    "invoice.pdf": 600_000,
    "photo.jpg": 900_000,
    "video.mp4": 5_000_000,
}
INBOX = "q2-inbox"  # the function the check sends them to


def attachments() -> dict[str, bytes]:
    """Question 2's files by name: random bytes, the same every time."""
    rng = random.Random(8)
    return {name: rng.randbytes(size) for name, size in FILE_SIZES.items()}


def as_event(name: str, data: bytes) -> dict[str, str]:
    """The event that sends one file to a function: its name, and its bytes in base64."""
    return {"name": name, "data": base64.b64encode(data).decode("ascii")}


def _inbox() -> None:
    """The check's own function that receives the files (made once, left for later checks)."""
    from ..iam import execution_role
    from ..packaging import zip_bytes

    lam = client("lambda")
    try:
        lam.get_function(FunctionName=INBOX)
    except lam.exceptions.ResourceNotFoundException:
        source = "def handler(event, context):\n    return len(event['data'])\n"
        lam.create_function(
            FunctionName=INBOX,
            Runtime="python3.13",
            Role=execution_role(),
            Handler="app.handler",
            Code={"ZipFile": zip_bytes({"app.py": source})},
        )
        lam.get_waiter("function_active_v2").wait(FunctionName=INBOX)


def _sent_size(name: str, data: bytes) -> int:
    return len(json.dumps(as_event(name, data)).encode())


def _named(
    size: int, target: int | None = None, prefix: str = "", suffix: str = ".bin"
) -> tuple[str, bytes]:
    """A file of `size` random bytes, with a new name, whose event is `target` bytes as JSON.

    The name is padded to the length that makes the event exactly `target` bytes long (base64
    grows in steps of 4 characters, the name by 1); without a target, by a few characters.
    """
    stem = prefix + check_id("file")
    data = random.randbytes(size)
    natural = _sent_size(f"{stem}{suffix}", data)
    pad = random.randint(0, 30) if target is None else target - natural
    if pad < 0:
        raise ValueError(f"{size} bytes are too many for an event of {target}")
    name = f"{stem}{'x' * pad}{suffix}"
    return name, data


def _sized(target: int) -> tuple[str, bytes]:
    """A file whose event is exactly `target` bytes as JSON (its name padded to it)."""
    return _named((target - 200) // 4 * 3, target)


def _escaped_letters(name: str) -> int:
    """How many characters of `name` `json.dumps` writes as an escape (ensure_ascii, its
    default): a letter outside ASCII is `\\uXXXX`, 6 bytes of the request (a character beyond
    the Basic Multilingual Plane, such as an emoji, a surrogate pair of two, 12 bytes); `\\`
    and `"` are 2 bytes, though each is 1 character of the name."""
    return sum(1 for char in name if len(json.dumps(char)) > 3)


def _escapes_said(name: str) -> str:
    """The escaped characters of `name`, each with its escape and its bytes, for a message."""
    said = []
    for char in dict.fromkeys(name):
        escape = json.dumps(char)[1:-1]
        if len(escape) > 1:
            said.append(f"`{char}` is `{escape}`, {len(escape)} bytes")
    return "; ".join(said)


# Lambda measures an invoke's request, the JSON event, against the asynchronous limit; a
# larger one is refused with 413 RequestEntityTooLargeException
# (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
def _check_files(limit: int, sync: int) -> list[tuple[str, bytes]]:
    """The check's files, new at each check: the limit to the byte, and either side of it;
    and two larger ones, either side of the synchronous limit `sync`."""
    body = (limit - 100) // 4 * 3  # nearly the most bytes an event of `limit` can carry
    # Files of body + 1 and body + 2 bytes (not a multiple of 3): base64 pads them with "=" to
    # a whole 4 characters, so `ceil(len * 4 / 3)` counts 1 or 2 characters short. The one
    # whose event is 1 byte over the limit fails an answer that forgets the padding.
    over, at = random.sample((1, 2), 2)
    return [
        _named(random.randint(1_000, 5_000)),  # small
        _named(random.randint(limit * 3 // 10, limit * 7 // 10)),  # fits, as JSON too
        _named(body, limit),  # its event is exactly the limit: accepted
        _named(body, limit + 2),  # 2 bytes over: refused (2 under, without JSON's spaces)
        _named(body + 3, limit + 4 + random.randint(0, 40)),  # one base64 step over: refused
        # Learner trial 12 (ID1): 6 to 20 bytes over, refused: a `fits` that leaves out the
        # JSON keys and quotes (24 bytes) says yes, one that measures compact JSON (2 bytes
        # short) says no: the two are told apart. And 30 to 60 bytes over, with a name of
        # about 100 characters: a `fits` that leaves out the name field says yes, one that
        # leaves out the keys says no.
        _named(body, limit + random.randint(6, 20)),
        _named(body, limit + random.randint(30, 60)),
        _named(body + over, limit + 1),  # padded base64, 1 byte over: refused
        _named(body + at, limit),  # padded base64, exactly the limit: accepted
        _named(random.randint(limit * 8 // 10, limit)),  # the file fits, its event does not
        # Learner trial 9 (QD4): an event between 1,000,000 and 1,024,000 bytes, accepted: a
        # `fits` that reads "1 MB" as 10**6 says no to it.
        _sized(limit - random.randint(24_700, 48_400)),
        # Learner trial 10 (WD4): an event between 1,024,000 bytes (1024 × 1000) and 14,000
        # bytes under the limit, accepted: a `fits` with a limit of 1024 × 1000 says no to it,
        # and one that measures `base64.encodebytes` (a newline every 76 characters, about
        # 13,800 more bytes here) says yes: the two are told apart.
        _sized(limit - random.randint(14_500, 24_400)),
        # Learner trial 10 (WD3): an event 2 to 5 bytes under the limit, accepted: a `fits`
        # that measures `json.dumps(event, indent=2)` (6 bytes more) says no, one with `<`
        # instead of `<=` says yes: the two are told apart.
        _sized(limit - random.randint(2, 5)),
        # An event 1,000 to 10,000 bytes under the limit, accepted: with a newline every 76
        # characters (`base64.encodebytes`) it would be over.
        _named(body - random.randint(750, 7_500)),
        # An event 10 to 45 bytes under the limit, accepted: a `fits` that measures a Python
        # object's size (`sys.getsizeof`, 49 bytes more than the text) says no to it.
        _named(body - 60, limit - random.randint(10, 45)),
        # Learner trial 11 (CD1, CD5): an event 100 to 900 bytes under the limit, accepted: a
        # `fits` that keeps a margin of a kilobyte or so says no, `sys.getsizeof` (49 bytes)
        # says yes; and one 10,700 to 13,300 bytes under, accepted: a margin of 1 % (10,486
        # bytes) says yes, `base64.encodebytes` (about 13,800 bytes more) says no. A margin
        # agreed with those measures on every file, and was named as one of them.
        _sized(limit - random.randint(100, 900)),
        _sized(limit - random.randint(10_700, 13_300)),
        # A name with accented letters, 1 byte over as sent: `json.dumps` escapes each (`ç` is
        # `\\u00e7`, 6 bytes). Measured unescaped (ensure_ascii=False), it seems to fit.
        _named(body, limit + 1, prefix=random.choice(("reçu-", "café-", "résumé-")), suffix=".pdf"),
        # Learner trial 10 (WD18): a name with a character `json.dumps` escapes otherwise, 1
        # byte over as sent: a backslash or a quote (2 bytes), or an emoji (a surrogate pair,
        # `\\ud83d\\udcf7`, 12 bytes). A count that knows only `\\u00e9` says it fits.
        _named(
            body,
            limit + 1,
            prefix=random.choice(("C:\\scans\\", 'say "cheese" ', "sunset 📷 ", "party 🎉 ")),
            suffix=".jpg",
        ),
        # Over the asynchronous limit, file and event alike, but under the synchronous one; and
        # one over that too: a `fits` that measures against 6 MB (or asks Lambda with a
        # synchronous invoke) says yes to the first and no to the second.
        _named(random.randint(limit * 3 // 2, sync * 3 // 5)),
        _named(random.randint(sync * 3 // 4 + 1_000, sync * 3 // 4 + 30_000)),
    ]


def _forgot_padding(mistakes: list[tuple[int, int, bool, bool, str]], limit: int) -> bool:
    """Whether the only mistakes are "fits" for events 1-2 bytes over, of files whose length is
    not a multiple of 3: what `ceil(len(data) * 4 / 3)` gives, without base64's "=" padding."""
    return all(
        said and not accepted and size % 3 and sent - limit <= 2
        for size, sent, said, accepted, _ in mistakes
    )


def _known_mistakes(limit: int) -> list[tuple[Callable[[str, bytes], bool], str]]:
    """Measures a learner may take for the event's size, each with what to say when a `fits`
    answers as it does on every one of the check's files (learner trial 9, QD4)."""
    import sys

    def sent(name: str, data: bytes) -> int:
        return _sent_size(name, data)

    def with_newlines(name: str, data: bytes) -> int:
        shell = len(json.dumps({"name": name, "data": ""}).encode())
        return shell + len(base64.encodebytes(data))

    def indented(name: str, data: bytes, indent: int) -> int:
        return len(json.dumps(as_event(name, data), indent=indent).encode())

    def b64(data: bytes) -> int:
        return len(base64.b64encode(data))

    # Learner trial 12 (ID1): base64 counted, but not the JSON text around it (its keys,
    # quotes and separators), or not the `name` field: the ❌ blamed "the file" and base64.
    shell = len(json.dumps({"name": "", "data": ""}))
    unwrapped = (
        "Your `fits` counts the name and the base64 text, but not the JSON around them: "
        "the event is sent as `json.dumps(event)`, whose keys, quotes and separators "
        f"(`{json.dumps({'name': '', 'data': ''})}`, {shell} bytes) count too, and so do the "
        "escapes of a name's special characters. Measure the whole text: "
        "`len(json.dumps(as_event(name, data)).encode())`."
    )
    nameless = (
        "Your `fits` measures an event without the file's `name`: the event sent is "
        '`as_event(name, data)`, `{"name": ..., "data": ...}`, and its name counts too. '
        "Measure the whole event: `len(json.dumps(as_event(name, data)).encode())`."
    )
    pretty = (
        "Your `fits` measures the event pretty-printed (`json.dumps(event, indent=...)`), "
        "whose newlines and spaces make it longer than what is sent: the request carries "
        "`json.dumps(event)`, with no indent. Measure that text: "
        "`len(json.dumps(as_event(name, data)).encode())`."
    )
    return [
        (
            lambda name, data: sent(name, data) <= 1_000_000,
            "Your `fits` reads 1 MB as 1,000,000 bytes; Lambda's limit for an asynchronous "
            f"event is {limit:,} bytes (1 MB of 1024 × 1024 bytes), and an event of exactly "
            "that size is accepted: compare with `LIMITS['async_payload_bytes_max'].value` "
            "rather than a figure of your own.",
        ),
        (
            lambda name, data: sys.getsizeof(json.dumps(as_event(name, data))) <= limit,
            "`sys.getsizeof` gives the size of a Python object in memory, header included "
            "(about 49 bytes more than an ASCII text's length), not the bytes sent. Count the "
            "bytes of the request: `len(json.dumps(as_event(name, data)).encode())`.",
        ),
        (
            lambda name, data: with_newlines(name, data) <= limit,
            "`base64.encodebytes` adds a newline every 76 characters, which `as_event`'s "
            "`base64.b64encode` doesn't: the event sent has none. Measure the event itself: "
            "`len(json.dumps(as_event(name, data)).encode())`.",
        ),
        # Learner trial 10 (WD4): "1 MB" as 1024 × 1000 bytes.
        (
            lambda name, data: sent(name, data) <= 1024 * 1000,
            "Your `fits` reads 1 MB as 1024 × 1000 = 1,024,000 bytes; Lambda's limit for an "
            f"asynchronous event is {limit:,} bytes (1 MB of 1024 × 1024 bytes), and an event "
            "of exactly that size is accepted: compare with "
            "`LIMITS['async_payload_bytes_max'].value` rather than a figure of your own.",
        ),
        # Learner trial 13 (OD2): 256 KB, InvokeAsync's limit (`INVOKE_ASYNC_BYTES_MAX`).
        (
            lambda name, data: sent(name, data) <= INVOKE_ASYNC_BYTES_MAX,
            f"Your `fits` cuts off at 256 KB ({INVOKE_ASYNC_BYTES_MAX:,} bytes): that is the "
            "limit of InvokeAsync, the deprecated API (`invoke_async`). The task's events go "
            f"with `invoke(..., InvocationType='Event')`, whose limit is {limit:,} bytes (1 MB): "
            "compare with `LIMITS['async_payload_bytes_max'].value`.",
        ),
        # Learner trial 10 (WD3): the event measured pretty-printed.
        (lambda name, data: indented(name, data, 2) <= limit, pretty),
        (lambda name, data: indented(name, data, 4) <= limit, pretty),
        (lambda name, data: len(name) + b64(data) <= limit, unwrapped),
        (lambda name, data: len(name.encode()) + b64(data) <= limit, unwrapped),
        (lambda name, data: len(json.dumps({"data": "x" * b64(data)})) <= limit, nameless),
        (
            lambda name, data: b64(data) <= limit,
            "Your `fits` measures only the base64 text: the event sent is "
            "`json.dumps(as_event(name, data))`, and the file's name, the keys, quotes and "
            "separators count too. Measure the whole text: "
            "`len(json.dumps(as_event(name, data)).encode())`.",
        ),
        (
            lambda name, data: sent(name, data) < limit,
            f"Your `fits` says no to an event of exactly the limit, {limit:,} bytes: exactly "
            "that size is accepted (`<=`, not `<`).",
        ),
    ]


def _known_mistake(verdicts: list[tuple[str, bytes, bool, bool]], limit: int) -> str:
    """What to say when the answers of a `fits` are, on every file, those of one known mistaken
    measure; when several agree (or none), what a cut-off on the event's size would explain
    them ("" for nothing). Learner trial 10 (WD3, WD4): a measure named because it happened to
    agree named the wrong mistake."""
    agree = {
        why
        for measure, why in _known_mistakes(limit)
        if all(measure(name, data) == said for name, data, said, _ in verdicts)
    }
    if len(agree) == 1:
        return agree.pop()
    if 1 < len(agree) <= 3:
        # The check's files (drawn at random) didn't tell these apart: name each, as one of
        # them (a draw of the final CI met indent=2 and another measure agreeing).
        return (
            "On the check's files your `fits` answers as each of these mistaken measures "
            "would; one of them is yours. " + " Or: ".join(sorted(agree))
        )
    sizes = [(_sent_size(name, data), said) for name, data, said, _ in verdicts]
    yes = [size for size, said in sizes if said]
    no = [size for size, said in sizes if not said]
    if yes and no and max(yes) < min(no) <= limit:
        # Said no to events Lambda accepts, and yes to every smaller one: a limit too low.
        return (
            f"Your `fits` said yes up to an event of {max(yes):,} bytes and no from "
            f"{min(no):,} bytes: it cuts off below the limit, {limit:,} bytes (1024 × 1024), "
            "up to which Lambda accepts an event, to the byte. Leave no margin: the limit is "
            "the event's, not the request's headers', and exact. Compare "
            "`len(json.dumps(as_event(name, data)).encode())` with "
            "`LIMITS['async_payload_bytes_max'].value` itself, using `<=`."
        )
    return ""


def _accepted(name: str, data: bytes) -> bool:
    """Whether Lambda accepts the file's event asynchronously: sent as the task says."""
    from botocore.exceptions import ClientError

    try:
        client("lambda").invoke(
            FunctionName=INBOX, InvocationType="Event", Payload=json.dumps(as_event(name, data))
        )
    except ClientError as err:
        if err.response["Error"]["Code"] != "RequestEntityTooLargeException":
            raise
        return False
    return True


# InvokeAsync, the deprecated asynchronous API (`lam.invoke_async`), takes an event of 256 KB
# at most: "The payload limit is 256KB. For larger payloads, for up to 1MB, use Invoke."
# (https://docs.aws.amazon.com/lambda/latest/dg/API_InvokeAsync.html). A `fits` that asks
# Lambda with it says no to every event between 256 KB and 1 MB, which Invoke with
# `InvocationType='Event'` takes (learner trial 13, OD2).
INVOKE_ASYNC_BYTES_MAX = 256 * 1024


@contextlib.contextmanager
def _invoke_async_calls() -> Iterator[list[int]]:
    """While inside, the sizes of the InvokeAsync requests (`invoke_async`) any Lambda client
    of this process sends, whatever it answers: the check sees how a `fits` asks Lambda
    without depending on the local AWS's answer to it."""
    import botocore.client

    seen: list[int] = []
    original = botocore.client.BaseClient._make_api_call

    def watched(self: Any, operation: str, params: dict[str, Any]) -> Any:
        if operation == "InvokeAsync" and self.meta.service_model.service_name == "lambda":
            body = params.get("InvokeArgs")
            if isinstance(body, str):
                body = body.encode()
            seen.append(len(body) if isinstance(body, bytes | bytearray) else -1)
        return original(self, operation, params)

    botocore.client.BaseClient._make_api_call = watched
    try:
        yield seen
    finally:
        botocore.client.BaseClient._make_api_call = original


def _check_payloads(answer: Any = None) -> str:
    limit, sync = value("async_payload_bytes_max"), value("sync_payload_bytes_max")
    if answer is None:
        raise Incorrect(
            "set `answer` to your function `fits(name, data)`, which says whether the event "
            "`as_event(name, data)` can be sent asynchronously, then pass it to the check: "
            "`q2.check(answer)`."
        )
    if not callable(answer):
        raise Incorrect(
            f"the answer should be a function, `fits(name, data)` returning True or False, not "
            f"{type(answer).__name__} {answer!r}: the check calls it on files of its own, new "
            "at each check, so that an answer cannot be learnt by heart."
        )
    _inbox()
    files = _check_files(limit, sync)
    random.shuffle(files)
    mistakes = []
    verdicts: list[tuple[str, bytes, bool, bool]] = []
    asked_async: list[tuple[int, bool]] = []  # (event's size, what fits said) via InvokeAsync
    for name, data in files:
        try:
            with _invoke_async_calls() as invoke_async_sizes:
                said = answer(name, data)
        except Exception as exc:
            raise Incorrect(
                f"`fits` raised {type(exc).__name__}: {exc} for a file of {len(data)} bytes "
                f"named {name!r}."
            ) from None
        if type(said).__name__ == "bool" and type(said).__module__ == "numpy":
            said = bool(said)  # numpy's bool (from a comparison of numpy numbers) is a yes/no too
        if not isinstance(said, bool):
            raise Incorrect(
                f"`fits` returned {said!r} ({type(said).__name__}) for a file of {len(data)} "
                "bytes: it should return True or False."
            )
        if invoke_async_sizes:
            asked_async.append((_sent_size(name, data), said))
        accepted = _accepted(name, data)
        verdicts.append((name, data, said, accepted))
        if said != accepted:
            mistakes.append((len(data), _sent_size(name, data), said, accepted, name))
    if over := sorted(size for size, _ in asked_async if size > INVOKE_ASYNC_BYTES_MAX):
        raise Incorrect(
            "your `fits` asks Lambda with `invoke_async` (the InvokeAsync API, deprecated), "
            f"for events over 256 KB too ({over[-1]:,} bytes, the largest): InvokeAsync takes at "
            "most 256 KB "
            f"({INVOKE_ASYNC_BYTES_MAX:,} bytes) and refuses larger events with "
            "RequestEntityTooLargeException "
            "(https://docs.aws.amazon.com/lambda/latest/dg/API_InvokeAsync.html), so on AWS "
            "your `fits` says no to every event between 256 KB and 1 MB, which the task's "
            f"`invoke(..., InvocationType='Event')` accepts up to {limit:,} bytes. Ask with "
            "`invoke(FunctionName=..., InvocationType='Event', Payload=...)`, or compare "
            "`len(json.dumps(as_event(name, data)).encode())` with "
            "`LIMITS['async_payload_bytes_max'].value`."
        )
    if mistakes:
        described = "; ".join(
            f"a file of {size:,} bytes"
            + (f" named `{name[:20]}…{name[-4:]}`" if _escaped_letters(name) else "")
            + f", whose event is {sent:,} bytes as JSON: your `fits` "
            + (
                "said it fits, and Lambda refused it with RequestEntityTooLargeException"
                if said
                else "said no, and Lambda accepted it"
            )
            for size, sent, said, _, name in sorted(mistakes)
        )
        between = {name for name, data in files if limit < _sent_size(name, data) <= sync}
        if all(said for _, _, said, _, _ in mistakes) and {m[4] for m in mistakes} == between:
            # Yes up to 6 MB, no above: the synchronous limit, by arithmetic or by asking
            # Lambda with a RequestResponse invoke.
            raise Incorrect(
                f"the check sent each of {len(files)} files with InvocationType='Event' and "
                f"compared: {described}. Your `fits` said yes to every event up to {sync:,} "
                "bytes and no above: that is the limit of a *synchronous* invoke "
                "(`RequestResponse`, boto3's default; a `DryRun` is measured against it "
                "too), 6 MB. The task's events go "
                f"asynchronously (`InvocationType='Event'`), whose limit is {limit:,} bytes "
                "(1 MB): compare `len(json.dumps(event).encode())` with "
                "`LIMITS['async_payload_bytes_max'].value`, or, if you ask Lambda, invoke with "
                "`InvocationType='Event'`."
            )
        if all(said and _escaped_letters(name) for _, _, said, _, name in mistakes):
            # Only names with escaped characters undercounted: measured without json.dumps's
            # escapes (ensure_ascii=False), in characters or in UTF-8 bytes, or with some of
            # them only (learner trial 10, WD18).
            names = list(dict.fromkeys(m[4] for m in mistakes))
            escapes = "; ".join(_escapes_said(name) for name in names)
            raise Incorrect(
                f"the check sent each of {len(files)} files with InvocationType='Event' and "
                f"compared: {described}. The Invoke request carries `json.dumps(event)`, which "
                "by default (`ensure_ascii=True`) writes some characters of a name as escapes: "
                f"{escapes}, not 1 character (nor its bytes of UTF-8). Count the bytes of the "
                "request as it is sent: `len(json.dumps(as_event(name, data)).encode())`, "
                "without `ensure_ascii=False` (nor `str(event)`, Python's text of the dict, "
                "which doesn't escape them either)."
            )
        if _forgot_padding(mistakes, limit):
            raise Incorrect(
                f"the check sent each of {len(files)} files with InvocationType='Event' and "
                f"compared: {described}. That file's length is not a multiple of 3: base64 "
                "pads its text with `=` to a whole 4 characters, so it is "
                "`4 * math.ceil(len(data) / 3)` characters long: `len(data) * 4 / 3` rounded "
                "up leaves out the base64 padding (1 or 2 bytes short), and `len(data) // 3 * 4` "
                "leaves out the last, partial group (4 bytes short). Or measure the event "
                "itself: `len(json.dumps(as_event(name, data)).encode())`."
            )
        if why := _known_mistake(verdicts, limit):
            raise Incorrect(
                f"the check sent each of {len(files)} files with InvocationType='Event' and "
                f"compared: {described}. {why}"
            )
        raise Incorrect(
            f"the check sent each of {len(files)} files with InvocationType='Event' and "
            f"compared: {described}. Measure what you send, the event as JSON exactly as it is "
            "sent (`len(json.dumps(event).encode())`), not the file: base64 makes it a third "
            f"larger. The limit is {limit:,} bytes, and an event of exactly that size is "
            "accepted."
        )
    names = attachments()
    going = sorted(name for name, data in names.items() if _sent_size(name, data) <= limit)
    return (
        f"Your `fits` agreed with Lambda on all {len(files)} of the check's files, up to the "
        f"byte: {limit:,} bytes is accepted, one more is not. Of `attachments()`, {going} can "
        "go asynchronously; their events are a third larger than the files (base64). For the "
        "rest, put the file in S3 and send its key."
    )


_PAYLOADS_SOLUTION = """
import json

from helpers.exercises.nb08a_limits_of_an_invocation import as_event
from helpers.limits import LIMITS


def fits(name, data):
    # What Lambda measures is the request: the event as JSON, base64 and all.
    size = len(json.dumps(as_event(name, data)).encode())
    return size <= LIMITS["async_payload_bytes_max"].value


answer = fits
"""


notebook_08a = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Deploy `thumbnailer` with the smallest MemorySize of `memory_ladder()` that decodes "
            "the largest photo, `LARGEST_PHOTO`, without running out of memory: `q1.check()`."
        ),
        checker=_check_memory,
        hint_text=(
            "Deploy it at a roomy size first, invoke it with `LARGEST_PHOTO` and "
            '`LogType="Tail"`, and read `Max Memory Used` in the REPORT line: that is the '
            "photo plus the Python runtime. Then choose the smallest size of `memory_ladder()` "
            "above it (with a little room), and `update_function_configuration(MemorySize=...)`."
        ),
        solution_code=_THUMBNAILER_SOLUTION,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "Write `fits(name, data)`: True when the event `as_event(name, data)`, sent as "
            "`json.dumps(event)`, can go asynchronously (`InvocationType='Event'`), False when "
            "Lambda would refuse it. `q2.check(fits)` tries it on files of its own."
        ),
        checker=_check_payloads,
        hint_text=(
            "What Lambda measures is the request you send, not the file: the event as JSON, "
            "base64 and all, in bytes. Compare that with "
            '`LIMITS["async_payload_bytes_max"].value`, and mind the boundary: is a request of '
            "exactly the limit accepted?"
        ),
        solution_code=_PAYLOADS_SOLUTION,
    ),
)
