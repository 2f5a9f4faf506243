"""Notebook 08's exercises: a MemorySize that fits, a caller that survives throttles, and which
payloads can go asynchronously."""

from __future__ import annotations

import base64
import json
import random
import re
import threading
from types import SimpleNamespace
from typing import Any

from ..limits import value
from .core import Exercise, Incorrect, function_exists

# ------------------------------------------------------------------------- q1: MemorySize
# The largest photo the app accepts: decoded, it takes width × height × 4 bytes (RGBA).
LARGEST_PHOTO = {"width": 8000, "height": 7200}
# A size is "more than needed" when the next smaller one has this much room over what was used.
HEADROOM = 1.1


def memory_ladder() -> list[int]:
    """The MemorySize choices of question 1: doubling from AWS's smallest up to its largest."""
    sizes, size = [], value("memory_mb_min")
    while size <= value("memory_mb_max"):
        sizes.append(size)
        size *= 2
    return sizes


def _invoke_with_report(name: str, event: Any) -> tuple[dict, Any, str]:
    """Invoke and return (response, decoded payload, the invocation's REPORT line or "")."""
    import boto3

    lam = boto3.client("lambda")
    response = lam.invoke(FunctionName=name, Payload=json.dumps(event), LogType="Tail")
    body = json.loads(response["Payload"].read() or b"null")
    tail = base64.b64decode(response.get("LogResult") or b"").decode(errors="replace")
    report = next((line for line in tail.splitlines() if line.startswith("REPORT ")), "")
    return response, body, report


def _check_memory() -> str:
    config = function_exists("thumbnailer")
    size, sizes = config["MemorySize"], memory_ladder()
    if size not in sizes:
        raise Incorrect(
            f"`thumbnailer` has a MemorySize of {size} MB. Choose one of the sizes in "
            f"`memory_ladder()`: {sizes} (MB)."
        )
    width, height = LARGEST_PHOTO["width"], LARGEST_PHOTO["height"]
    response, body, report = _invoke_with_report("thumbnailer", LARGEST_PHOTO)
    if response.get("FunctionError"):
        body = body if isinstance(body, dict) else {}
        if body.get("errorType") == "Runtime.OutOfMemory":
            raise Incorrect(
                f"`thumbnailer` ran out of memory at {size} MB on the largest photo ({width} × "
                f"{height} pixels): Runtime.OutOfMemory. Its memory holds the decoded photo *and* "
                "the Python runtime. Invoke it at a roomy size, read `Max Memory Used` in its "
                "REPORT line, and choose the smallest size above that."
            )
        raise Incorrect(
            f"`thumbnailer` failed on the largest photo: {body.get('errorType')}: "
            f"{body.get('errorMessage')}"
        )
    decoded = width * height * 4
    if not isinstance(body, dict) or body.get("decoded_bytes") != decoded:
        raise Incorrect(
            f"`thumbnailer` returned {body!r} for a {width} × {height} photo; it should decode "
            f'it and return {{"decoded_bytes": {decoded}}} (4 bytes a pixel), as the handler of '
            "the question does."
        )
    found = re.search(r"Max Memory Used: (\d+) MB", report)
    if not found:
        raise Incorrect(
            "the check found no REPORT line with `Max Memory Used` in the log tail of "
            "`thumbnailer`. Keep its log format as text (no LoggingConfig) for this question."
        )
    used = int(found.group(1))
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
from helpers.exercises.nb08_limits import LARGEST_PHOTO, memory_ladder
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

# Sized for the decoded photo alone: the runtime's own memory is forgotten.
_THUMBNAILER_WRONG = (
    _THUMBNAILER
    + """
photo_mb = LARGEST_PHOTO["width"] * LARGEST_PHOTO["height"] * 4 / 2**20
memory_size = min(size for size in memory_ladder() if size >= photo_mb)
lam.create_function(
    FunctionName="thumbnailer",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": thumbnailer_source})},
    MemorySize=memory_size,
)
lam.get_waiter("function_active_v2").wait(FunctionName="thumbnailer")
"""
)


# ---------------------------------------------------------------------- q2: throttles
THROTTLED = "q2-reserved"  # the function the check provokes
RESERVED = 2  # its reserved concurrency
CALLERS = 6  # the check's callers, all at once
WORK_S = 0.3  # how long each of its invocations runs

_THROTTLED_SOURCE = f"""
import time


def handler(event, context):
    time.sleep({WORK_S})
    return "done"
"""


def _throttled_function() -> None:
    """The check's function, capped at RESERVED concurrent executions (made once)."""
    import boto3

    from ..iam import execution_role
    from ..packaging import zip_bytes

    lam = boto3.client("lambda")
    try:
        lam.get_function(FunctionName=THROTTLED)
    except lam.exceptions.ResourceNotFoundException:
        lam.create_function(
            FunctionName=THROTTLED,
            Runtime="python3.13",
            Role=execution_role(),
            Handler="app.handler",
            Code={"ZipFile": zip_bytes({"app.py": _THROTTLED_SOURCE})},
        )
        lam.get_waiter("function_active_v2").wait(FunctionName=THROTTLED)
    lam.put_function_concurrency(FunctionName=THROTTLED, ReservedConcurrentExecutions=RESERVED)


def _burst(config: Any) -> list[tuple[bool, int]]:
    """CALLERS invokes at once through one client made with `config`: (succeeded, retries)."""
    import boto3
    from botocore.exceptions import ClientError

    lam = boto3.client("lambda", config=config)
    outcomes: list[tuple[bool, int]] = []
    lock = threading.Lock()
    start = threading.Barrier(CALLERS)

    def call() -> None:
        start.wait()  # all together, so the reserved concurrency is really exceeded
        try:
            response = lam.invoke(FunctionName=THROTTLED, Payload=b"{}")
            outcome = (True, response["ResponseMetadata"]["RetryAttempts"])
        except ClientError as err:
            outcome = (False, err.response["ResponseMetadata"].get("RetryAttempts", 0))
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=call) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _check_retries(answer: Any = None) -> str:
    from botocore.config import Config

    if answer is None:
        raise Incorrect(
            "set `answer` to a botocore `Config` with a `retries` setting, "
            '`Config(retries={"mode": ..., "total_max_attempts": ...})`, then pass it to the '
            "check: `q2.check(answer)`."
        )
    if not isinstance(answer, Config):
        raise Incorrect(
            f"the answer should be a `botocore.config.Config` (`from botocore.config import "
            f"Config`), not {type(answer).__name__} {answer!r}."
        )
    _throttled_function()
    outcomes = _burst(answer)
    failed = sum(not ok for ok, _ in outcomes)
    retries = sum(tries for _, tries in outcomes)
    if failed:
        most = max(tries for _, tries in outcomes)
        retried = f"after {most} retries at most" if most else "without a single retry"
        raise Incorrect(
            f"{failed} of the {CALLERS} calls made at once to `{THROTTLED}` (reserved "
            f"concurrency {RESERVED}) still ended in TooManyRequestsException, {retried}. Only "
            f"{RESERVED} run at a time, so a call may have to wait for two or three others: "
            'allow more attempts (`total_max_attempts`), with `"mode": "standard"` or '
            '`"adaptive"`.'
        )
    if not retries:
        raise Incorrect(
            f"none of the {CALLERS} calls was throttled this time, so the check proved nothing "
            "about your retries. Run the check again."
        )
    throttled = sum(tries > 0 for _, tries in outcomes)
    return (
        f"All {CALLERS} calls made at once succeeded against a reserved concurrency of "
        f"{RESERVED}: {throttled} of them were throttled first, and your client retried them "
        f"({retries} retries in all) with a growing, random wait."
    )


_RETRIES_SOLUTION = """
from botocore.config import Config

# Standard retries: throttles are retried with a growing random wait; ten attempts in all.
answer = Config(retries={"mode": "standard", "total_max_attempts": 10})
"""

# Fail fast: one attempt, no retry.
_RETRIES_WRONG = """
from botocore.config import Config

answer = Config(retries={"mode": "standard", "total_max_attempts": 1})
"""


# ---------------------------------------------------------------------- q3: payloads
# The files of question 3, in bytes: each is sent as an event that carries it in base64.
FILE_SIZES = {
    "notes.txt": 2_000,
    "scan.png": 300_000,
    "invoice.pdf": 600_000,
    "photo.jpg": 900_000,
    "video.mp4": 5_000_000,
}
INBOX = "q3-inbox"  # the function the check sends them to


def attachments() -> dict[str, bytes]:
    """Question 3's files by name: random bytes, the same every time."""
    rng = random.Random(8)
    return {name: rng.randbytes(size) for name, size in FILE_SIZES.items()}


def as_event(name: str, data: bytes) -> dict[str, str]:
    """The event that sends one file to a function: its name, and its bytes in base64."""
    return {"name": name, "data": base64.b64encode(data).decode("ascii")}


def _inbox() -> None:
    import boto3

    from ..iam import execution_role
    from ..packaging import zip_bytes

    lam = boto3.client("lambda")
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


def _accepted_async() -> set[str]:
    """The files whose event Lambda accepts with InvocationType="Event", found by sending each."""
    import boto3
    from botocore.exceptions import ClientError

    _inbox()
    lam = boto3.client("lambda")
    accepted = set()
    for name, data in attachments().items():
        try:
            lam.invoke(
                FunctionName=INBOX, InvocationType="Event", Payload=json.dumps(as_event(name, data))
            )
        except ClientError as err:
            if err.response["Error"]["Code"] != "RequestEntityTooLargeException":
                raise
            continue
        accepted.add(name)
    return accepted


def _check_payloads(answer: Any = None) -> str:
    names = set(FILE_SIZES)
    if answer is None:
        raise Incorrect(
            "set `answer` to the set of file names whose event can be sent asynchronously, "
            'e.g. `answer = {"notes.txt"}`, then pass it to the check: `q3.check(answer)`.'
        )
    if not isinstance(answer, set | frozenset | list | tuple) or not all(
        isinstance(n, str) for n in answer
    ):
        example = ", ".join(repr(name) for name in sorted(names)[:2])
        raise Incorrect(
            f"the answer should be a set of file names, such as {{{example}}}, not "
            f"{type(answer).__name__} {answer!r}."
        )
    chosen = set(answer)
    if chosen - names:
        raise Incorrect(f"{sorted(chosen - names)} are not files of the question: {sorted(names)}.")
    accepted = _accepted_async()
    limit = value("async_payload_bytes_max")
    if chosen != accepted:
        too_big = sorted(chosen - accepted)
        left_out = sorted(accepted - chosen)
        parts = []
        if too_big:
            parts.append(f"{too_big} came back with RequestEntityTooLargeException")
        if left_out:
            parts.append(f"{left_out} fit but are not in your answer")
        raise Incorrect(
            f"the check sent each file's event with InvocationType='Event': "
            f"{'; '.join(parts)}. Measure what you send, the event as JSON "
            f"(`len(json.dumps(event).encode())`), not the file: base64 makes it a third "
            f"larger. The limit is {limit} bytes."
        )
    return (
        f"{sorted(accepted)} fit an asynchronous invoke ({limit} bytes at most); the others came "
        "back with RequestEntityTooLargeException. Their events are a third larger than the "
        "files: base64. For the rest, put the file in S3 and send its key."
    )


_PAYLOADS_SETUP = """
import json

from helpers.exercises.nb08_limits import as_event, attachments
from helpers.limits import LIMITS

files = attachments()
"""

_PAYLOADS_SOLUTION = (
    _PAYLOADS_SETUP
    + """
limit = LIMITS["async_payload_bytes_max"].value
answer = {
    name
    for name, data in files.items()
    if len(json.dumps(as_event(name, data)).encode()) <= limit
}
"""
)

# Measures the files, not the events that carry them.
_PAYLOADS_WRONG = (
    _PAYLOADS_SETUP
    + """
limit = LIMITS["async_payload_bytes_max"].value
answer = {name for name, data in files.items() if len(data) <= limit}
"""
)


notebook_08 = SimpleNamespace(
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
        wrong_code=_THUMBNAILER_WRONG,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "Make a botocore `Config` whose retries let every one of several calls made at "
            "once to a function with a small reserved concurrency succeed: `q2.check(answer)`."
        ),
        checker=_check_retries,
        hint_text=(
            'A throttle (429, TooManyRequestsException) is worth retrying. `Config(retries={"mode":'
            ' "standard", "total_max_attempts": N})` retries it with a random wait that grows '
            "each time; choose N large enough that a call can wait for a few others to finish."
        ),
        solution_code=_RETRIES_SOLUTION,
        wrong_code=_RETRIES_WRONG,
    ),
    q3=Exercise(
        name="q3",
        task=(
            "Which of the files of `attachments()` can be sent asynchronously, each as the event "
            "`as_event(name, data)`? `q3.check(answer)` with the set of their names."
        ),
        checker=_check_payloads,
        hint_text=(
            "The limit applies to the request you send: the event as JSON, "
            "`len(json.dumps(as_event(name, data)).encode())`, against "
            '`LIMITS["async_payload_bytes_max"].value`. Base64 turns 3 bytes into 4 characters.'
        ),
        solution_code=_PAYLOADS_SOLUTION,
        wrong_code=_PAYLOADS_WRONG,
    ),
)
