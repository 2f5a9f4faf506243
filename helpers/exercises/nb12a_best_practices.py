"""Notebook 12a's exercises: a client made once, a batch that beats its timeout."""

from __future__ import annotations

import ast
import contextlib
import io
import math
import random
import zipfile
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from botocore.exceptions import ClientError, ParamValidationError

from .core import Exercise, Incorrect
from .deployed_code import check_copy, deployed_package, function_zip
from .harness import (
    Invocation,
    check_id,
    client,
    function_config,
    invoke,
)

# The line `make_client` prints in question 1: counting it counts the clients made.
CLIENT_LINE = "making an S3 client"


def _failure(name: str, call: str, run: Invocation, batch: bool = False) -> Incorrect:
    """Incorrect naming a function error, with the usual cause of an AccessDenied (for q2's
    batch, which needs no AWS call, the context's time left)."""
    advice = ""
    if "AccessDenied" in run.error and batch:
        # Learner trial 11 (EW5): "allow the calls" led to a role that allows
        # GetFunctionConfiguration, and a handler that never asks the context (ED1).
        advice = (
            " Stopping in time needs no AWS call: the time left comes from "
            "`context.get_remaining_time_in_millis()`, which needs no permission."
        )
    elif "AccessDenied" in run.error:
        advice = (
            " Its execution role must allow exactly the calls the handler makes: IAM is enforced, "
            "as on AWS."
        )
    if "-check-" in name and name in run.error:
        # Learner trial 12 (KW2): the error names the check's copy, a function the learner
        # never made: say what it is, so that a role isn't widened to `batcher*` for it.
        original = name.split("-check-")[0]
        advice += (
            f" (`{name}` is the check's copy of `{original}`, with its code and role under "
            f"another name: a call of the handler's own on `{name}` is one it makes on itself.)"
        )
    return Incorrect(f"{call} of `{name}` failed: {run.error}.{advice}")


# ------------------------------------------ shared: the learner's code run by a check module
# The checks that run the learner's handler with inputs of their own (warm invocations counted,
# a `work` that records and a clock of the check's own) run it in a real execution environment
# of the kit, as 07a q2 does: a copy of the function (its ZIP, role, layers, settings) whose
# Handler is this module, shipped in the copy's ZIP beside the learner's files. Init imports the
# learner's module as AWS's runtime does (`importlib.import_module`, the module path's slashes
# as dots), and the copy's one invocation drives the handler and returns what it recorded as
# JSON; the check judges it in the notebook's process. So the learner's code runs with the
# environment's working directory, environment, modules and limits, never in the notebook's.
_CHECK_MODULE = "_kit_check_12a"
_CHECK_SOURCE = '''
"""Notebook 12a's check, in a copy of the learner's function: it runs the learner's handler
with inputs of the check's own and returns what it recorded (JSON)."""
import contextlib
import importlib
import io
import threading
import time
import uuid

import botocore.client
import botocore.session

HANDLER = __HANDLER__

# Every SDK client made in the environment (boto3.client, resource and session clients all go
# through botocore's Session.create_client), on any thread.
_made = [0]
_lock = threading.Lock()
_create_client = botocore.session.Session.create_client


def _counted(session, *args, **kwargs):
    with _lock:
        _made[0] += 1
    return _create_client(session, *args, **kwargs)


botocore.session.Session.create_client = _counted

# The environment's clocks, moved forward by _idle[0] seconds while a handler runs: the check
# lets an idle environment's minutes pass between warm calls without waiting for them. Installed
# before the learner's module is imported, so `from time import monotonic` gets them too.
_idle = [0.0]
_clocks = {}
for _clock_name in ("time", "monotonic", "perf_counter"):
    _clocks[_clock_name] = getattr(time, _clock_name)

    def _moved(_real=_clocks[_clock_name]):
        return _real() + _idle[0]

    setattr(time, _clock_name, _moved)
for _clock_name in ("time_ns", "monotonic_ns", "perf_counter_ns"):
    _clocks[_clock_name] = getattr(time, _clock_name)

    def _moved_ns(_real=_clocks[_clock_name]):
        return _real() + int(_idle[0] * 1e9)

    setattr(time, _clock_name, _moved_ns)

# Learner trial 12 (KD12): multiprocessing's Pool, Queue, Lock ... all stand on a SemLock,
# which needs /dev/shm; Lambda's execution environment has none, and creating one fails there
# with "OSError: [Errno 38] Function not implemented". Each one made, where the learner's code
# made it (its first frame outside the standard library).
_semlocks = []
try:
    import multiprocessing.synchronize as _synchronize
except ImportError:  # a Python without it: nothing to watch
    _synchronize = None
if _synchronize is not None:
    _semlock_init = _synchronize.SemLock.__init__

    def _watched_semlock(self, *args, **kwargs):
        import traceback

        where = ""
        for frame in reversed(traceback.extract_stack()[:-1]):
            if "multiprocessing" in frame.filename or "concurrent" in frame.filename:
                continue
            if frame.filename.endswith("_kit_check_12a.py"):
                continue
            where = (frame.line or "").strip()
            break
        _semlocks.append([type(self).__name__, where])
        return _semlock_init(self, *args, **kwargs)

    _synchronize.SemLock.__init__ = _watched_semlock

# Learner trial 12 (KD4): a SIGALRM timer (signal.setitimer, signal.alarm) that interrupts an
# item. Following the cursor, the check's `work` takes no real time, so a real alarm would
# never fire inside it: the timer is set on the check's clock instead, and goes off inside the
# first item that would run past it, calling the handler's SIGALRM handler there.
import signal as _signal

_alarm = {"clock": None, "deadline": None}
_interrupted = []  # the items an alarm went off in
_real_setitimer, _real_alarm = _signal.setitimer, _signal.alarm


def _setitimer(which, seconds, interval=0.0):
    clock = _alarm["clock"]
    if which != _signal.ITIMER_REAL or clock is None:
        return _real_setitimer(which, seconds, interval)
    previous = _alarm["deadline"]
    _alarm["deadline"] = clock[0] + seconds * 1000 if seconds > 0 else None
    return (max(0.0, (previous - clock[0]) / 1000) if previous is not None else 0.0, 0.0)


def _alarm_in(seconds):
    clock = _alarm["clock"]
    if clock is None:
        return _real_alarm(seconds)
    previous = _alarm["deadline"]
    _alarm["deadline"] = clock[0] + seconds * 1000 if seconds > 0 else None
    return int(max(0.0, (previous - clock[0]) / 1000) + 0.999) if previous is not None else 0


_signal.setitimer, _signal.alarm = _setitimer, _alarm_in


def _alarm_due(clock, ms):
    """Whether the check's timer goes off within the next `ms` of the check's clock: then the
    clock moves to it, and the handler's SIGALRM handler runs (and raises, as a rule)."""
    deadline = _alarm["deadline"]
    if deadline is None or _alarm["clock"] is not clock or clock[0] + ms <= deadline:
        return False
    clock[0] = max(clock[0], deadline)
    _alarm["deadline"] = None
    return True


def _ring():
    on_alarm = _signal.getsignal(_signal.SIGALRM)
    if callable(on_alarm):
        on_alarm(_signal.SIGALRM, None)


# Learner trial 12 (KD7): an asynchronous invocation the handler makes (handing the rest to
# itself) while following the cursor: recorded, and answered as Lambda answers one (202),
# without running it.
_invokes = []
_watch_invokes = [False]
_make_api_call = botocore.client.BaseClient._make_api_call


def _api_call(client, operation, params):
    if _watch_invokes[0] and operation in ("Invoke", "InvokeAsync"):
        kind = params.get("InvocationType", "RequestResponse")
        _invokes.append([str(params.get("FunctionName")), kind])
        if kind == "Event" or operation == "InvokeAsync":
            import botocore.response

            return {
                "StatusCode": 202,
                "Payload": botocore.response.StreamingBody(io.BytesIO(b""), 0),
                "ResponseMetadata": {"HTTPStatusCode": 202, "HTTPHeaders": {}},
            }
    return _make_api_call(client, operation, params)


botocore.client.BaseClient._make_api_call = _api_call

_problem = None
_target = None
_module_path, _, _name = HANDLER.rpartition(".")
_module_name = _module_path.replace("/", ".")
try:
    _module = importlib.import_module(_module_name)
except Exception as exc:  # the learner's module-level code, or its file missing
    missing = isinstance(exc, ModuleNotFoundError) and (
        exc.name == _module_name or _module_name.startswith(f"{exc.name}.")
    )
    _problem = {"missing": True} if missing else {"init_error": f"{type(exc).__name__}: {exc}"}
else:
    _target = getattr(_module, _name, None)
    if not callable(_target):
        _problem = {"no_handler": f"Handler '{_name}' missing on module '{_module_name}'"}


class _Context:
    """The invocation's context, each call with a request id of its own; the time left is the
    real one, or follows the check's clock (each read moves it by read_ms), each read logged."""

    def __init__(self, real, clock=None, timeout_ms=0, read_ms=0, log=None):
        self._real, self._clock, self._log = real, clock, log
        self._timeout_ms, self._read_ms = timeout_ms, read_ms
        self.aws_request_id = str(uuid.uuid4())

    def __getattr__(self, name):
        return getattr(self._real, name)

    def get_remaining_time_in_millis(self):
        _reads[0] += 1
        if self._clock is None:
            return self._real.get_remaining_time_in_millis()
        self._clock[0] += self._read_ms
        left = int(self._timeout_ms - self._clock[0])
        if self._log is not None:
            self._log.append(["read", left])
        return left


_handler_thread = [None]  # the thread that runs the handler's call
_reads = [0]  # reads of the time left from the context, on any thread


_in_call = [False]  # whether the handler's call is running
# Items a pool's thread started only after the call that submitted them had returned: on a busy
# machine the thread may not have started an item yet when the handler gave up waiting for it.
_late = set()
LATE_GRACE_S = 0.1  # how long after a call the check lets such an item start


def _call(event, context):
    _handler_thread[0] = threading.get_ident()
    _in_call[0] = True
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # its prints aren't the check's
            return _target(event, context)
    finally:
        _in_call[0] = False


def _cursor(body):
    """The cursor a call returned, as JSON: None, an int, or another value's repr."""
    following = body.get("cursor") if isinstance(body, dict) else None
    if following is None or (isinstance(following, int) and not isinstance(following, bool)):
        return following
    return repr(following)


def _clients(event, context):
    """SDK clients made at each of `runs` calls of the handler, one after another."""
    made = []
    for run in range(event["runs"]):
        mark = _made[0]
        # Between warm calls, the environment sits idle for idle_s on its clocks (time.time,
        # time.monotonic, ...), as a function with few requests does: a client remade after
        # some idle time is one per request for it. Restored once the call returns.
        _idle[0] = run * event.get("idle_s", 0)
        try:
            _call({}, _Context(context))
        except Exception as exc:  # the learner's handler
            return {"error": f"{type(exc).__name__}: {exc}"}
        finally:
            _idle[0] = 0.0
        made.append(_made[0] - mark)
    return {"made": made, "empty": _empty_bucket(context)}


def _empty_bucket(context):
    """The handler's answer when the bucket it lists is empty: every ListObjectsV2 (and
    ListObjects) its clients send answers as S3 does for a bucket with no key, with no
    `Contents` and a KeyCount of 0 (the bucket itself is left as it is)."""
    make_api_call = botocore.client.BaseClient._make_api_call

    def empty(client, operation, params):
        if operation not in ("ListObjectsV2", "ListObjects"):
            return make_api_call(client, operation, params)
        answer = {
            "IsTruncated": False,
            "Name": params.get("Bucket"),
            "Prefix": params.get("Prefix", ""),
            "MaxKeys": params.get("MaxKeys", 1000),
            "EncodingType": "url",
        }
        if operation == "ListObjectsV2":
            answer["KeyCount"] = 0
        return answer

    botocore.client.BaseClient._make_api_call = empty
    try:
        body = _call({}, _Context(context))
    except Exception as exc:  # the learner's handler
        return {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        botocore.client.BaseClient._make_api_call = make_api_call
    objects = body.get("objects") if isinstance(body, dict) else None
    return {"objects": objects if isinstance(objects, int) else repr(objects)}


_running = set()  # the items a `work` call is doing now, on any thread


def _recording(items, clock, log, done):
    """The check's `work`: each item takes its ms on the check's clock (no sleep). Following
    the cursor (`done`), an item done on another thread than the handler's (a pool's worker)
    also takes its ms of real time, as the real `work` does: a handler that waits for it with a
    time limit can give up on it, and the check sees the item still running when the call
    returned."""
    index_of = {item["id"]: n for n, item in enumerate(items)}

    def work(item):
        n = index_of.get(item.get("id")) if isinstance(item, dict) else None
        if n is None:
            return None
        if log is not None:
            log.append(["item", n, clock[0], threading.get_ident() != _handler_thread[0]])
        if done is not None:
            done[-1].append(n)
            on_handler_thread = threading.get_ident() == _handler_thread[0]
            if on_handler_thread and _alarm_due(clock, items[n]["ms"]):
                _interrupted.append(n)
                _ring()  # raises, as a rule: the item is cut off here
                _interrupted.remove(n)  # it didn't: the item goes on
            clock[0] += item["ms"]
            if threading.get_ident() != _handler_thread[0]:
                if not _in_call[0]:
                    _late.add(n)
                _running.add(n)
                try:
                    time.sleep(items[n]["ms"] / 1000)
                finally:
                    _running.discard(n)
        else:
            clock[0] += items[n]["ms"]
        return item["id"] * item["id"]

    return work


_FORWARD = """
def work(*args, **kwargs):
    return __kit_check_work__(*args, **kwargs)
"""


def _replace_work(work):
    """Make the module's `work` the check's, however the handler reaches it (its global name,
    another name, a table of steps, a default argument, an import in another module): the
    function's own code is replaced by a call of the check's."""
    names = getattr(_target, "__globals__", {})
    original = names.get("work")
    if not callable(original):
        return False
    names["work"] = work
    if getattr(original, "__closure__", True) is None:
        forward = {}
        exec(_FORWARD, forward)
        original.__globals__["__kit_check_work__"] = work
        original.__code__ = forward["work"].__code__
    return True


def _sweep(event, context):
    """One batch from cursor `lead`, once for each time left at the call's start."""
    items, lead = event["items"], event["lead"]
    clock, log, runs = [0.0], [], []
    if not _replace_work(_recording(items, clock, log, None)):
        return {"no_work": True}
    for start in range(0, event["timeout_ms"], event["step_ms"]):
        clock[0] = float(start)
        log.clear()
        context_now = _Context(context, clock, event["timeout_ms"], event["read_ms"], log)
        try:
            body = _call({"items": items, "cursor": lead}, context_now)
        except Exception:
            runs.append({"start": start, "failed": True})
            break
        runs.append(
            {
                "start": start,
                "log": list(log),
                "clock": clock[0],
                "is_dict": isinstance(body, dict),
                "has_cursor": isinstance(body, dict) and "cursor" in body,
                "cursor": _cursor(body),
            }
        )
        done = [entry[1] for entry in log if entry[0] == "item"]
        if (start == 0 and not done) or done != list(range(lead, lead + len(done))):
            break  # the check stops judging there: no need for more
    return {"runs": runs}


def _follow(event, context):
    """The batch from cursor `lead`, the cursor followed while it moves forward."""
    items, count = event["items"], len(event["items"])
    clock, done, calls = [0.0], [], []
    if not _replace_work(_recording(items + event["others"], clock, None, done)):
        return {"no_work": True}
    cursor = event["lead"]
    retry = None
    reads = _reads[0]
    _alarm["clock"], _alarm["deadline"] = clock, None
    _watch_invokes[0] = True
    while cursor is not None and len(done) <= count:
        done.append([])
        clock[0] = 0.0
        _late.clear()
        _interrupted.clear()
        _invokes.clear()
        context_now = _Context(context, clock, event["timeout_ms"], event["read_ms"])
        try:
            body = _call({"items": items, "cursor": cursor}, context_now)
        except Exception:
            calls.append({"done": done[-1], "failed": True})
            break
        finally:
            _alarm["deadline"] = None  # a timer left set doesn't outlive the call here
        following = _cursor(body)
        running = set(_running)
        # Learner trial 11: an item submitted to a pool and given up on before its thread
        # started it starts after the call: it is this call's, still running.
        time.sleep(LATE_GRACE_S)
        running |= _late
        calls.append(
            {
                "done": done[-1],
                "cursor": following,
                "running": sorted(running),
                "interrupted": list(_interrupted),
                "invokes": list(_invokes),
                "results": body.get("results") if isinstance(body, dict) else None,
            }
        )
        if following is not None and (
            not isinstance(following, int) or not cursor < following < count
        ):
            break
        if len(calls) == 1 and following is not None:
            retry = _retry(items, event, context, done, clock)
            if retry.get("failed"):
                break
        cursor = following
    _watch_invokes[0] = False
    _alarm["clock"] = None
    return {"calls": calls, "retry": retry, "reads": _reads[0] - reads}


def _retry(items, event, context, done, clock):
    """Learner trial 12 (KD1, KD11): first another batch from call 1's cursor, its items new
    (ids of their own, the same times), as the same warm environment serves another caller;
    then call 1's event sent again, as a caller's retry does: what a call does must depend on
    its event only, not on what earlier calls left behind. The items each does, its cursor and
    results, apart from the calls followed."""
    for _ in range(200):  # what a stopped call left running finishes first
        if not _running:
            break
        time.sleep(0.01)
    answer = {}
    for name, batch in (("other", event["others"]), ("retry", items)):
        mark = len(done)
        done.append([])
        clock[0] = 0.0
        context_now = _Context(context, clock, event["timeout_ms"], event["read_ms"])
        try:
            body = _call({"items": batch, "cursor": event["lead"]}, context_now)
        except Exception:
            answer[name] = {"failed": True}
            break
        finally:
            did = done.pop(mark)
            _alarm["deadline"] = None
        answer[name] = {
            "done": did,
            "cursor": _cursor(body),
            "results": body.get("results") if isinstance(body, dict) else None,
        }
    retry = answer.get("retry") or {"failed": True}
    return {**retry, "other": answer.get("other") or {}}


def handler(event, context):
    if _problem is not None:
        return _problem
    facts = {"clients": _clients, "sweep": _sweep, "follow": _follow}[event["mode"]](event, context)
    facts["semlocks"] = _semlocks
    return facts
'''
CHECK_COPY_TIMEOUT_S = 30  # the copy's Timeout, at least: its one invocation runs every call


@contextlib.contextmanager
def _checking_copy(function: str) -> Iterator[str]:
    """A copy of `function` whose Handler is the check's module, beside the learner's files;
    deleted after."""
    config = function_config(function)
    handler = config["Handler"]
    code = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(function_zip(function))) as original,
        zipfile.ZipFile(code, "w", zipfile.ZIP_DEFLATED) as copied,
    ):
        for item in original.infolist():
            if item.filename != f"{_CHECK_MODULE}.py":
                copied.writestr(item, original.read(item.filename))
        copied.writestr(
            f"{_CHECK_MODULE}.py", _CHECK_SOURCE.replace("__HANDLER__", repr(handler), 1)
        )
    with check_copy(
        function,
        code=code.getvalue(),
        Handler=f"{_CHECK_MODULE}.handler",
        Timeout=max(int(config.get("Timeout", 3)), CHECK_COPY_TIMEOUT_S),
    ) as copy:
        yield copy


def _run_in_environment(function: str, event: dict[str, Any]) -> dict[str, Any]:
    """What the check's module recorded, running `function`'s code in a real execution
    environment (a copy's): {"failed": error} when the invocation failed; Incorrect when the
    learner's module can't be loaded, as an execution environment loads it."""
    with _checking_copy(function) as copy:
        run = invoke(copy, event)
    if run.failed:
        return {"failed": run.error}
    facts = run.payload if isinstance(run.payload, dict) else {}
    handler = function_config(function)["Handler"]
    if facts.get("missing"):
        source = handler.rpartition(".")[0].rpartition("/")[2].rpartition(".")[2]
        raise Incorrect(f"the package of `{function}` has no `{source}.py` (Handler `{handler}`).")
    if "init_error" in facts:
        raise Incorrect(
            f"the check loads the deployed code of `{function}` to run it as an "
            f"execution environment would, and its module-level code failed: "
            f"{facts['init_error']}."
        )
    if "no_handler" in facts:
        return {"failed": f"Runtime.HandlerNotFound: {facts['no_handler']}"}
    return facts


# ------------------------------------------------------------------ q1: one client, reused
def _check_client_once() -> str:
    try:
        config = function_config("catalogue")
    except Incorrect:
        # Learner trial 11 (EW2): in a new kernel the local AWS starts empty: the bucket, the
        # role and the function are gone, and the answer cell makes all three.
        raise Incorrect(
            "there is no function named `catalogue`: run your answer cell, which creates the "
            "bucket, the role and the function (a new kernel starts with an empty local AWS: "
            "run this notebook's cells from the top first)."
        ) from None
    bucket = ((config.get("Environment") or {}).get("Variables") or {}).get("BUCKET")
    if not bucket:
        raise Incorrect(
            "`catalogue` has no `BUCKET` environment variable. Deploy it with "
            "`Environment={'Variables': {'BUCKET': 'catalogue'}}`, so the handler knows which "
            "bucket to list."
        )
    s3 = client("s3")
    try:
        before = len(_keys(s3, bucket))
    except s3.exceptions.NoSuchBucket:
        raise Incorrect(
            f"the bucket `{bucket}` that `catalogue` lists doesn't exist: create it first."
        ) from None
    except (ParamValidationError, ClientError) as exc:
        # Learner trial 10 (YD14): `s3://catalogue` or `catalogue ` isn't a bucket name; the
        # SDK refuses it before any call, and the function fails so at every invocation
        # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
        if isinstance(exc, ClientError) and exc.response["Error"]["Code"] != "InvalidBucketName":
            raise
        raise Incorrect(
            f"`catalogue`'s `BUCKET` is {bucket!r}, which is not a bucket name (a bucket name "
            "holds only lower-case letters, digits, dots and hyphens: no `s3://`, no spaces): "
            "set it to the bucket's name alone, `catalogue`."
        ) from None
    # The check changes the bucket's contents between invocations: a count the handler didn't
    # read from the listing can't follow. Its objects are removed again before the last one.
    # Two of them, under a prefix of their own and not `.json` like the bucket's: a count of
    # some keys only (`.json` ones, or the top level of a `Delimiter='/'` listing, which rolls
    # a prefix's keys up into one of `CommonPrefixes`) can't follow them either.
    prefix = check_id("check")
    added = [f"{prefix}/one.bin", f"{prefix}/two.bin"]
    for key in added:
        s3.put_object(Bucket=bucket, Key=key, Body=b"{}")
    try:
        keys_then = _keys(s3, bucket)
        runs = [(invoke("catalogue", {}), len(keys_then)) for _ in range(2)]
    finally:
        for key in added:
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
            smaller = (
                _why_smaller("catalogue", expected, added)
                if isinstance(body["objects"], int) and body["objects"] < expected
                else ""
            )
            raise Incorrect(
                f"invocation {number}: `catalogue` said the bucket `{bucket}` holds "
                f"{body['objects']!r} objects, but it held {expected} then (the check added two "
                f"objects, `{added[0]}` and `{added[1]}`, then removed them again). Return the "
                f"`KeyCount` of the listing, made at each request.{smaller}"
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
    # By behaviour, not by the source's shape: a client made outside `make_client()` (in a
    # function the handler calls, by `from boto3 import client`, ...) isn't in `clients_made`.
    # The deployed module is loaded by Init of a real execution environment (a copy of the
    # function) and its handler run as warm invocations there, counting every SDK client
    # created (botocore's `Session.create_client`).
    per_warm, empty = _clients_per_warm_invocation("catalogue")
    if any(per_warm):
        where = _client_calls("catalogue")
        raise Incorrect(
            f"`catalogue`'s handler still makes a client of its own at every request, "
            f"warm ones included: the check ran its code as an execution environment does, "
            f"{IDLE_S // 60} minutes apart on its clocks (as requests of a quiet function "
            f"come), and its warm invocations made {' → '.join(map(str, per_warm))} new SDK "
            "client(s)"
            + (f" ({where})" if where else "")
            + ". `clients_made` counts only those `make_client()` makes. Make every SDK "
            "client at module level: the S3 one with `make_client()` (`s3 = make_client()` "
            "above `def handler`), and any other (an STS client, say) beside it; then use them "
            "in the handler, and in every function it calls; and keep them for the life of "
            "the environment, however long it waited for a request (the SDK reconnects by "
            "itself)."
        )
    # Learner trial 10 (YD9): a listing of a bucket with no key has no `Contents` and a
    # KeyCount of 0 (ListObjectsV2's response elements:
    # https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).
    if empty.get("error") or empty.get("objects") != 0:
        what = (
            f"it failed: {empty['error']}"
            if empty.get("error")
            else f"it returned `objects: {empty.get('objects')!r}`"
        )
        raise Incorrect(
            "the check ran `catalogue`'s code once more with every listing answering as S3 "
            f"does for an empty bucket (no `Contents`, `KeyCount` 0), and {what}: a listing "
            "with no key has no `Contents` at all. Count with `KeyCount`, or "
            "`listing.get('Contents', [])`, so that an empty bucket counts 0."
        )
    return (
        f"`catalogue` made {made[0]} S3 client for its execution environment and reused it: "
        f"`clients_made` stayed at {made[0]} over three invocations in a row, no warm "
        f"invocation logged `{CLIENT_LINE}` or made any other SDK client, and each counted the "
        "bucket as it was then."
    )


def _keys(s3: Any, bucket: str) -> list[str]:
    """Every key of the bucket, page after page: one listing stops at 1,000 keys ("By default,
    the action returns up to 1,000 key names",
    https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html)."""
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]


def _why_smaller(function: str, expected: int, added: list[str]) -> str:
    """Why a count came out smaller than the bucket holds, read from the deployed code."""
    source = _deployed_source(function)
    if "Delimiter" in source:
        # "CommonPrefixes ... are not returned elsewhere in the response" (ListObjectsV2, its
        # Delimiter field: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html)
        return (
            " Its answer is smaller: with a `Delimiter`, a listing rolls every key under a "
            f"prefix (the check's `{added[0].rpartition('/')[0]}/...`) up into one entry of "
            "`CommonPrefixes`, and leaves them out of `Contents`. List without a `Delimiter`: "
            "every key counts, whatever its prefix."
        )
    capped = (
        "a listing stops at `MaxKeys` (1,000 by default) and says `IsTruncated`; list the "
        "whole bucket, without a smaller `MaxKeys`, or page through it"
    )
    if "MaxKeys" in source or expected > 1000:
        return f" Its answer is smaller: {capped}."
    return (
        " Its answer is smaller: count every key, whatever its name or prefix (the check's "
        f"are `{added[0]}` and `{added[1]}`, not `.json`); and {capped}."
    )


def _deployed_source(function: str) -> str:
    """The deployed package's Python files, as one text ("" if they can't be read)."""
    code, _, _ = deployed_package(function)
    try:
        with zipfile.ZipFile(io.BytesIO(code)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(".py")
            )
    except zipfile.BadZipFile:
        return ""


WARM_RUNS = 3  # warm invocations the check runs in its own copy of the execution environment
# Learner trial 10 (YD16): the environment's clocks move this far between the warm calls (an
# environment lives on for many minutes between requests); no waiting, only its clocks move.
IDLE_S = 600


def _clients_per_warm_invocation(function: str) -> tuple[list[int], dict[str, Any]]:
    """SDK clients created at each of WARM_RUNS warm invocations of the deployed handler, after
    a first (possibly lazy) one: the check's module calls the handler WARM_RUNS + 1 times in a
    row in one execution environment of a copy of the function, counting every SDK client the
    environment makes during each call (botocore's `Session.create_client`, on any thread)."""
    facts = _run_in_environment(
        function, {"mode": "clients", "runs": WARM_RUNS + 1, "idle_s": IDLE_S}
    )
    failed = facts.get("failed") or facts.get("error")
    made = facts.get("made")
    if failed or not isinstance(made, list) or len(made) != WARM_RUNS + 1:
        raise Incorrect(
            f"the check runs the handler of `{function}` as invocations of one "
            f"execution environment would, and it failed: {failed or facts!r}."
        )
    empty = facts.get("empty") if isinstance(facts.get("empty"), dict) else {}
    return made[1:], empty  # the first may make the client lazily: once per environment is right


def _client_calls(function: str) -> str:
    """Where the deployed module makes SDK clients inside functions other than the given
    `make_client` (`boto3.client(...)` in `count_objects()`), to word the message; "" if unsure."""
    code, handler, _ = deployed_package(function)
    module = handler.rpartition(".")[0]
    try:
        with zipfile.ZipFile(io.BytesIO(code)) as archive:
            tree = ast.parse(archive.read(module.replace(".", "/") + ".py"))
    except (KeyError, SyntaxError, zipfile.BadZipFile):
        return ""
    found = []
    for node in ast.walk(tree):
        if (
            not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            or node.name == "make_client"
        ):
            continue
        for call in ast.walk(node):
            name = (
                call.func.attr
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                else call.func.id
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                else ""
            )
            if name in ("client", "resource"):
                found.append(f"`{ast.unparse(call.func)}(...)` in `{node.name}()`")
    return ", ".join(dict.fromkeys(found))


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
    _CATALOGUE_SETUP.replace(
        "from helpers.iam import execution_role\n",
        "from helpers.iam import BASIC_EXECUTION, execution_role\n",
    ).replace(
        'role_arn = execution_role("catalogue-role")\n',
        # Learner trial 13 (PD5): what earlier attempts may have left on the role goes.
        'role_arn = execution_role("catalogue-role", policies=[BASIC_EXECUTION])  # logs\n',
    )
    + f'''
# Nothing else: remove what earlier attempts left on the role (policies, a boundary).
for name in iam.list_role_policies(RoleName="catalogue-role")["PolicyNames"]:
    if name != "list-catalogue":
        iam.delete_role_policy(RoleName="catalogue-role", PolicyName=name)
for attached in iam.list_attached_role_policies(RoleName="catalogue-role")["AttachedPolicies"]:
    if attached["PolicyArn"] != BASIC_EXECUTION:
        iam.detach_role_policy(RoleName="catalogue-role", PolicyArn=attached["PolicyArn"])
if "PermissionsBoundary" in iam.get_role(RoleName="catalogue-role")["Role"]:
    iam.delete_role_permissions_boundary(RoleName="catalogue-role")

source = """{_MAKE_CLIENT}

s3 = make_client()  # Init: once per execution environment


def handler(event, context):
    # every page of the listing: one stops at 1,000 keys
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=os.environ["BUCKET"])
    return {{"objects": sum(page["KeyCount"] for page in pages), "clients_made": CLIENTS_MADE}}
"""
'''
    + _CATALOGUE_DEPLOY
)

# --------------------------------------------------------- q2: a batch that beats its timeout
TIMEOUT_S = 1  # the task's Timeout
COPY_TIMEOUT_S = 2  # a check-owned copy of batcher runs with this one
WORK_FACTOR = 1.6  # each batch holds this many timeouts' worth of work
ITEM_MS = 20  # each item: this long of real work (a sleep) on average, the same in both runs,
# so a fixed count can't fit both timeouts. The items' ids change at every check.
# The items come in pairs of ITEM_MS - d and ITEM_MS + d ms, d from 1 to ITEM_SPREAD_MS and each
# pair's order drawn at every check: a handler that does them in any order but the list's (the
# shortest first, say) returns results out of order, yet any run of n items still holds
# n * ITEM_MS ms of work give or take 2 * ITEM_SPREAD_MS, so the fixed-count reasoning below holds.
ITEM_SPREAD_MS = 5
# A call that stops before the end must have done at least this much work at COPY_TIMEOUT_S:
# its timeout minus a second, for its safety margin and the machine's slowness. A handler that
# stops after a fixed count or amount of work, whatever the time left, can't do both this and
# stay under TIMEOUT_S: it does less than a second of work per call, or times out at 1 s.
COPY_MIN_WORK_MS = (COPY_TIMEOUT_S - 1) * 1000
# The task doesn't ask for the items one at a time: a handler may run a few at once (a thread
# pool, for work that waits, as `work`'s sleep does). Its first call then does every item of a
# batch, right and in order; the check measures how many it runs at once and sends batches that
# many times bigger (SCALE_MARGIN more), so that it must stop. Up to MAX_SCALE times the usual
# batch (about 3,200 items at Timeout=1): a handler that runs more at once than about 25 (a big
# pool, a thread per item) would need a bigger one to stop, and whether the time left decides
# can't be seen.
MAX_SCALE = 40
SCALE_MARGIN = 1.5


class _Overlapped(Exception):
    """A first call did every item of a batch holding more work than its timeout, right and in
    order, in less time than the work takes one item after another: it ran items at once."""

    def __init__(self, items: int, work_ms: int, duration_ms: float) -> None:
        super().__init__(items, work_ms, duration_ms)
        self.items, self.work_ms, self.duration_ms = items, work_ms, duration_ms

    @property
    def at_once(self) -> float:
        return self.work_ms / max(self.duration_ms, 1.0)


def _work_result(item: dict[str, Any]) -> int:
    """What the handler's `work(item)` returns for one item."""
    return item["id"] * item["id"]


def _items(count: int) -> list[dict[str, Any]]:
    """A batch of `count` items, their ids and times new at every check (see ITEM_SPREAD_MS)."""
    draw = random.Random()
    ids = draw.sample(range(100, 10_000), count)
    times: list[int] = []
    while len(times) < count:
        spread = draw.randint(1, ITEM_SPREAD_MS)
        times += draw.sample([ITEM_MS - spread, ITEM_MS + spread], 2)
    return [{"id": item_id, "ms": ms} for item_id, ms in zip(ids, times, strict=False)]


def _timed_out(run: Invocation) -> bool:
    return "Sandbox.Timedout" in run.error or "timed out" in run.error


LEAD = 5  # where the first call starts (see _follow)


def _follow(function: str, who: str, timeout_s: int, min_work_ms: int, scale: int = 1) -> int:
    """Send a batch of timeout_s * WORK_FACTOR * scale of work to `function` and follow its
    cursor to the end; Incorrect at the first call that times out, loses or repeats an item,
    or stops with fewer than `min_work_ms` of work done or of time used. The number of calls
    it took. _Overlapped when the first call did the whole batch, running items at once."""
    # The first call starts past the beginning, as a resumed batch does: a handler that counts
    # its cursor from where it started, not from the list's start, sends the batch backwards.
    lead = LEAD  # a fixed start keeps the messages the same at every check; the items vary
    count = lead + math.ceil(WORK_FACTOR * timeout_s * 1000 * scale / ITEM_MS)
    items = _items(count)
    shortest, longest = min(i["ms"] for i in items), max(i["ms"] for i in items)
    cursor: int | None = lead
    calls = 0
    while cursor is not None:
        calls += 1
        if calls > count + 1:
            raise Incorrect(f"{who} never returned `cursor: None`, even after every item.")
        run = invoke(function, {"items": items, "cursor": cursor})
        if run.failed and _timed_out(run):
            raise Incorrect(
                f"call {calls} of {who} timed out (Timeout={timeout_s} s; the batch holds "
                f"{count} items of {shortest} to {longest} ms each, and this call started at "
                f"cursor {cursor}). "
                "Before each item, read `context.get_remaining_time_in_millis()`; when what's "
                "left is less than one item plus a safety margin, stop and return the cursor of "
                "the first item not done."
            )
        if run.failed:
            raise _failure(function, f"call {calls}", run, batch=True)
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
        if following is not None and not isinstance(following, int):
            # Learner trial 9 (SD3): a str(index) moves forward too; the mistake is its type.
            raise Incorrect(
                f"call {calls} of {who} returned cursor {following!r}, a "
                f"{type(following).__name__}: return the index itself, an int (the index of the "
                "first item not done), or None when every item is done."
            )
        if following is not None and not cursor < following < count:
            idle = ""
            if following == cursor and run.duration_ms is not None:
                left = timeout_s * 1000 - run.duration_ms
                if left > timeout_s * 1000 / 2:
                    # Learner trial 9 (SW2): a deadline computed once, at Init, is past by now.
                    # Learner trial 13 (PD1): or a threshold bigger than a call ever has (a
                    # margin of the whole timeout, an item's ms taken for seconds): both named.
                    idle = (
                        f" It did no item, with {left:.0f} ms of its {timeout_s} s left and a "
                        f"next item of {items[cursor]['ms']} ms: what it compares with the time "
                        "left is more than a call ever has. Is its safety margin as big as the "
                        "Timeout, or an item's `ms` counted as seconds? Or is it a deadline "
                        "computed once at module level, in Init, which has passed by a later "
                        "call? Stop only when `context.get_remaining_time_in_millis()`, read "
                        "before each item, is less than that item's `ms` plus a small margin."
                    )
            if following > count:
                # Learner trial 12 (KW3): it did move forward, past the batch: an item's id.
                ids = {item["id"]: n for n, item in enumerate(items)}
                raise Incorrect(
                    f"call {calls} of {who} started at cursor {cursor} and returned cursor "
                    f"{following!r}, which is not an index of this batch (it has {count} items)"
                    + (
                        f": it is the `id` of item {ids[following]}. Return the index of the "
                        "first item not done, not the item's `id`."
                        if following in ids
                        else ": return the index of the first item not done, from 0 to "
                        f"{count - 1} (or None when every item is done)."
                    )
                )
            raise Incorrect(
                f"call {calls} of {who} started at cursor {cursor} and returned cursor "
                f"{following!r}: the cursor must move forward, to the index of the first item "
                f"not done (or be None when every item is done).{idle}"
            )
        if calls == 1 and following is None and isinstance(body["results"], list):
            done = len(body["results"])
            if 0 < done < count - cursor:
                raise Incorrect(
                    f"{who} did {done} of the {count - cursor} items from cursor {cursor} and "
                    "returned `cursor: None`, as if it had finished: the rest would be lost. "
                    "When it stops early, return the index of the first item it didn't do "
                    f"(here {cursor + done}); `None` only once every item is done."
                )
        if calls == 1 and following is None:
            duration = run.duration_ms
            all_done = body["results"] == [_work_result(item) for item in items[cursor:]]
            if all_done and duration is not None and duration >= longest:
                # Every item, in order, and at least as long as the longest one takes: `work`
                # ran for each, several at once.
                raise _Overlapped(
                    count - cursor, sum(item["ms"] for item in items[cursor:]), duration
                )
            raise Incorrect(
                f"{who} says it finished the {count - lead} items from cursor {lead} in one call, "
                "but they hold "
                f"{WORK_FACTOR:g} times its Timeout of work: call `work(item)` for each item, and "
                "stop before the timeout."
            )
        end = count if following is None else following
        expected = [_work_result(item) for item in items[cursor:end]]
        if body["results"] != expected and _out_of_order(body["results"], items[cursor:]):
            raise Incorrect(
                f"call {calls} of {who} started at cursor {cursor}, but its `results` are "
                "those of items of the batch in another order than the list's (the items take "
                f"from {shortest} to {longest} ms). Do the items in the list's order, from the "
                "cursor: the cursor you return says where the next call picks up, so every item "
                "before it must be done, and none after it."
            )
        began = _started_at(body["results"], items)
        if body["results"] != expected and began is not None and began != cursor:
            # Learner trial 11 (ED2): its results are those of the items it did, from another
            # start than the event's cursor (the list's start: it ignores the cursor).
            raise Incorrect(
                f"call {calls} of {who} was sent cursor {cursor}, but it started at item "
                f"{began}: its `results` are `work(item)` of "
                f"{_span(began, began + len(body['results']) - 1)}. Start at the cursor the "
                "event gives, "
                "`event['cursor']` (`event.get('cursor', 0)` for a first call without one): "
                + (
                    f"it did {_span(began, cursor - 1)} again, which an earlier call had done."
                    if began < cursor
                    else f"{_span(cursor, began - 1)}, skipped, would never be done."
                )
            )
        if body["results"] != expected:
            raise Incorrect(
                f"call {calls} of {who} started at cursor {cursor} and returned cursor "
                f"{following!r}, but its `results` aren't `work(item)` of items {cursor} to "
                f"{end - 1}, in order. Return the results of exactly the items this call did, and "
                "the index of the first item it didn't do."
            )
        duration = run.duration_ms
        # the next item, the one it didn't do: did it stop with less time left than that takes?
        item_ms = items[following]["ms"] if following is not None else 0
        if following is not None and duration is not None and timeout_s * 1000 - duration < item_ms:
            # A stall of a busy machine can eat a right answer's margin once: the same call
            # again before the verdict. A handler without a margin stops that late every time.
            retry = _margin_kept(function, items, cursor, timeout_s)
            if retry is not None:
                following, end, duration = retry, retry, None
        if following is not None and duration is not None and timeout_s * 1000 - duration < item_ms:
            # It stopped only when the next item no longer fitted: whatever runs after its last
            # check (the item's own overrun, returning the results) can then pass the timeout.
            raise Incorrect(
                f"call {calls} of {who} stopped with {timeout_s * 1000 - duration:.0f} ms of its "
                f"{timeout_s} s left, less than the next item ({item_ms} ms): it checks that the "
                "next item fits, with no safety margin. Keep a margin for what runs after the "
                "last check (an item that runs long, returning the results): stop when "
                "`context.get_remaining_time_in_millis()` is below one item plus, say, 200 ms."
            )
        done_ms = sum(item["ms"] for item in items[cursor:end])
        if following is not None and done_ms < min_work_ms:
            raise Incorrect(
                f"call {calls} of {who} stopped after {end - cursor} items, {done_ms} ms of work, "
                f"with most of its {timeout_s} s still left. It stops after a fixed amount of work "
                "whatever the time left: decide before each item from "
                "`context.get_remaining_time_in_millis()`, so that a longer timeout does more."
            )
        if following is not None and duration is not None and duration < min_work_ms:
            # Enough work for a call that does one item at a time, but done several at once.
            raise Incorrect(
                f"call {calls} of {who} stopped after {end - cursor} items ({done_ms} ms of "
                f"work, run several at once in {duration:.0f} ms), with most of its {timeout_s} "
                "s still left. It stops after a fixed number of items whatever the time left: "
                "decide before each item (or each chunk) from "
                "`context.get_remaining_time_in_millis()`, so that a longer timeout does more."
            )
        cursor = following
    return calls


def _span(first: int, last: int) -> str:
    return f"item {first}" if first == last else f"items {first} to {last}"


def _started_at(results: Any, items: list[dict[str, Any]]) -> int | None:
    """The index `results` start at when they are work(item) of consecutive items of the
    batch, in order (none when they aren't, or are empty)."""
    if not isinstance(results, list) or not results or not isinstance(results[0], int):
        return None
    for start, item in enumerate(items):
        if _work_result(item) == results[0]:  # the ids are distinct
            done = items[start : start + len(results)]
            if [_work_result(i) for i in done] == results:
                return start
            return None
    return None


def _out_of_order(results: Any, rest: list[dict[str, Any]]) -> bool:
    """True when `results` are work(item) of different items of `rest`, not in its order."""
    if not isinstance(results, list) or not results:
        return False
    position = {_work_result(item): n for n, item in enumerate(rest)}  # the ids are distinct
    if not all(isinstance(r, int) and r in position for r in results):
        return False
    places = [position[r] for r in results]
    return len(set(places)) == len(places) and places != sorted(places)


def _margin_kept(
    function: str, items: list[dict[str, Any]], cursor: int, timeout_s: int
) -> int | None:
    """The call from `cursor` once more: its cursor if it stopped in time with right results."""
    run = invoke(function, {"items": items, "cursor": cursor})
    body = run.payload if not run.failed else None
    following = body.get("cursor") if isinstance(body, dict) else None
    if (
        isinstance(following, int)
        and cursor < following < len(items)
        and body.get("results") == [_work_result(item) for item in items[cursor:following]]
        and run.duration_ms is not None
        and timeout_s * 1000 - run.duration_ms >= items[following]["ms"]
    ):
        return following
    return None


def _follow_scaled(
    function: str, who: str, timeout_s: int, min_work_ms: int, scale: int
) -> tuple[int, int]:
    """_follow, with batches made bigger for a handler that runs several items at once until
    one makes it stop (see MAX_SCALE); (calls, the scale that did)."""
    while True:
        try:
            return _follow(function, who, timeout_s, min_work_ms, scale), scale
        except _Overlapped as seen:
            # A batch `scale` times the usual holds WORK_FACTOR * scale timeouts of work:
            # `at_once` times more than the usual, and half as much again, can't be done in one.
            bigger = max(scale + 1, math.ceil(seen.at_once * SCALE_MARGIN))
            if bigger > MAX_SCALE:
                raise Incorrect(
                    f"{who} did all {seen.items} items from cursor {LEAD}, "
                    f"{seen.work_ms / 1000:.1f} s of work ({seen.work_ms / 1000 / timeout_s:.1f} "
                    f"times its Timeout), in one call of {seen.duration_ms:.0f} ms: it runs "
                    f"about {seen.at_once:.0f} items at once. Only a batch over {MAX_SCALE} "
                    "times bigger, more than the check sends, would make it stop, so whether it "
                    "would stop in time can't be seen (and a real batch can always hold more "
                    "than one call does). Run the items one at a time, or a few at a time in a "
                    "small pool of a fixed size, and check "
                    "`context.get_remaining_time_in_millis()` before each item (or chunk)."
                ) from None
            scale = bigger


def _check_batches() -> str:
    config = function_config("batcher")
    timeout = int(config.get("Timeout") or 3)
    if timeout != TIMEOUT_S:
        raise Incorrect(
            f"`batcher` has `Timeout={timeout}`. Deploy it with `Timeout={TIMEOUT_S}`, as the "
            "task says: the check sends more work than fits in one timeout."
        )
    # On the check's own clock first: no verdict below depends on where a timeout falls.
    # The results and cursors can't show an item that was done and then dropped (done again by
    # the next call): the check runs the code with a `work` of its own that records each item
    # it does, following the cursor (and sending call 1 again, as a retry). First, so that an
    # item done twice is named as such (learner trial 10, YD3), not by what else it does.
    recorded, reads = _items_done_twice("batcher")
    _stops_in_time_from_any_start("batcher")
    # at least one item: the shortest (a call that does none is refused as not moving forward)
    calls, scale = _follow_scaled(
        "batcher", "`batcher`", TIMEOUT_S, ITEM_MS - ITEM_SPREAD_MS, scale=1
    )
    # The same code with a longer timeout must do more per call: only a handler that reads the
    # remaining time does. A copy, so that the learner's function stays as it is.
    with check_copy("batcher", Timeout=COPY_TIMEOUT_S) as copy:
        longer, scale = _follow_scaled(
            copy,
            f"a copy of `batcher` with Timeout={COPY_TIMEOUT_S}",
            COPY_TIMEOUT_S,
            COPY_MIN_WORK_MS,
            scale,
        )
    if reads == 0:
        # Learner trial 11 (ED1): the task says to stop with the context's time left; a handler
        # that times itself another way (its Timeout read with GetFunctionConfiguration at
        # every call, time.monotonic() from the handler's start) adds a control-plane call and
        # a permission to every invocation, and those calls are throttled at a low rate
        # (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html, "Lambda API
        # requests"). The context's method gives the invocation's own deadline, no call needed
        # (https://docs.aws.amazon.com/lambda/latest/dg/python-context.html).
        raise Incorrect(
            "`batcher` stops in time, but it never asks its `context` for the time left: the "
            "check ran its code with a context that counts each "
            "`context.get_remaining_time_in_millis()`, and it read none. It times itself "
            "another way (a Timeout read from the Lambda API, a clock started in the "
            "handler): as the task says, read `context.get_remaining_time_in_millis()` before "
            "each item. It is the time left of this invocation, with no API call and no "
            "permission (a Lambda API call at every invocation is throttled long before "
            "invocations are)."
        )
    bigger = (
        f" (batches {scale} times the usual size: it runs several items at once)"
        if scale > 1
        else ""
    )
    return (
        f"`batcher` did every item of a {TIMEOUT_S} s batch in {calls} calls, and a copy with a "
        f"{COPY_TIMEOUT_S} s timeout did twice the work in {longer}{bigger}: each call used the "
        "time it had, stopped before its timeout and returned where to pick up"
        + (", and no item was done twice." if recorded else ".")
    )


READ_MS = 1  # what one read of the time left costs on the check's clock (a loop that only
# polls the clock still comes to its end)
SWEEP_ITEMS = 30  # the batch of _stops_in_time_from_any_start, from cursor LEAD
SWEEP_STEP_MS = 5  # the time left at its calls' starts goes down by this much, far below an item
# Learner trial 10 (YD8): one item of the sweep's batch is this long, so that a margin that
# ignores the next item's `ms` (a fixed 100 ms) starts it with too little time left. It stands
# for the items it is longer than, so that the batch's work stays as it was (a call from the
# whole timeout gets to its last item, and must stop before it at some start).
LONG_ITEM_MS = 300
SWEEP_WITH_LONG = SWEEP_ITEMS - LONG_ITEM_MS // ITEM_MS + 1


def _stops_in_time_from_any_start(function: str) -> None:
    """Run the deployed handler in a real execution environment (a copy of the function whose
    Handler is the check's module), its `work` replaced by one that moves a clock of the
    check's own by the item's ms (no sleep), on one batch from cursor LEAD, once for each time
    left at the call's start, from the whole timeout down to nothing, by SWEEP_STEP_MS: the
    call then has to stop before every item in turn, the last one included. Real runs can't
    show that: where the timeout falls among the items is luck. The environment records each
    item done and each read of the time left; the check judges them here. Incorrect when a
    call that stopped early had gone past its timeout on that clock since its last read of the
    time left (it reads it every few items only, with a margin for one), or said `cursor: None`
    with items left undone. Nothing when the run can't tell (no module-level `work`, a handler
    that fails there: the real runs judge it)."""
    count = LEAD + SWEEP_WITH_LONG
    items = _items(count)
    long_item = random.randrange(LEAD + 2, count - 3)  # not the last: a call goes on after it
    items[long_item]["ms"] = LONG_ITEM_MS
    timeout_ms = TIMEOUT_S * 1000
    facts = _run_in_environment(
        function,
        {
            "mode": "sweep",
            "items": items,
            "lead": LEAD,
            "timeout_ms": timeout_ms,
            "step_ms": SWEEP_STEP_MS,
            "read_ms": READ_MS,
        },
    )
    if not isinstance(facts.get("runs"), list):
        return  # no module-level `work`, or the copy failed: the real runs judge it
    for run in facts["runs"]:
        start = run["start"]
        if run.get("failed"):  # the real runs judge how it fails
            return
        log = run["log"]
        done = [entry[1] for entry in log if entry[0] == "item"]
        if start == 0 and not done:
            return  # the check's `work` isn't the one it calls: this run can't tell
        following = run["cursor"]
        if done != list(range(LEAD, LEAD + len(done))):
            return  # out of order, repeated: the real runs and _items_done_twice say so
        left = timeout_ms - start
        finished = run["has_cursor"] and following is None
        if finished and done and len(done) < SWEEP_WITH_LONG:
            last = LEAD + len(done)
            raise Incorrect(
                f"the check ran `{function}`'s code with a `work(item)` of its own that "
                f"takes each item's ms on the check's clock (no sleep), from cursor {LEAD} "
                f"of a batch of {count} items, with less and less time left: with {left} ms "
                f"left it did {len(done)} of the {SWEEP_WITH_LONG} items and returned "
                f"`cursor: None`, as if it had finished: "
                + (f"item {last}" if last == count - 1 else f"items {last} to {count - 1}")
                + " would be lost. When it stops before an item, the last one too, return "
                f"that item's index (here {last}); `None` only once every item is done."
            )
        if following is None or run["clock"] <= timeout_ms:
            continue
        # It stopped early, but only after its timeout: what did it do since its last read
        # of the time left before the clock passed the timeout?
        last_read, after, crossed_at = None, [], None
        for position, entry in enumerate(log):
            if entry[0] == "read":
                last_read, after = entry[1], []
                continue
            after.append(entry[1])
            if entry[2] + items[entry[1]]["ms"] > timeout_ms:
                crossed_at = position
                break
        if crossed_at is not None and last_read is not None and len(after) == 1:
            item = after[0]
            if items[item]["ms"] > last_read:
                # Learner trial 10 (YD8): it read the time left, then started an item longer
                # than that: a margin that ignores the item's own length. (YD3: or it waits
                # for the item on another thread with a time limit, and gives up on it.)
                # Any item done on another thread: whether the late one had started yet when
                # the call looked is the machine's timing (stop 26: the message changed).
                threaded = any(e[0] == "item" and len(e) > 3 and e[3] for e in log)
                raise Incorrect(
                    f"the check ran `{function}`'s code with a `work(item)` of its own that "
                    f"takes each item's ms on the check's clock (no sleep), with less and less "
                    f"time left at the call's start: once it read {last_read} ms left, then "
                    f"started item {item}, which takes {items[item]['ms']} ms, more than the "
                    "time it had left: "
                    + (
                        "it ran on another thread, and waiting for it with a time limit "
                        "doesn't stop it (a thread can't be cancelled): it goes on after the "
                        "call returns, and the next call does it again. "
                        if threaded
                        else f"it runs past the {TIMEOUT_S} s timeout. "
                    )
                    + "Items differ in length: before starting each item, compare the time "
                    "left with that item's `ms` plus a safety margin, not with a fixed margin "
                    "or an estimate from earlier items."
                )
        read_again = crossed_at is not None and any(e[0] == "read" for e in log[crossed_at:])
        if last_read is None or len(after) < 2 or not read_again:
            # One item at a time (a margin too small is judged by the real runs), or a stop
            # decided by another clock than the context's (time.monotonic(), which the
            # check's clock doesn't move): only a stop the context's time left decided is
            # judged on the check's clock.
            continue
        work_ms = sum(items[n]["ms"] for n in after)
        raise Incorrect(
            f"the check ran `{function}`'s code with a `work(item)` of its own that takes "
            f"each item's ms on the check's clock (no sleep), with less and less time left "
            f"at the call's start: once it read {last_read} ms left, then did {len(after)} "
            f"items ({work_ms} ms of work) before reading the time left again, past its "
            f"{TIMEOUT_S} s timeout. Whether a real call times out then is luck: where the "
            "timeout falls among the items. Read `context.get_remaining_time_in_millis()` "
            "before each item (or keep a margin for everything you do until the next read)."
        )


def _items_done_twice(function: str) -> tuple[bool, int | None]:
    """Run the deployed handler in a real execution environment (a copy of the function whose
    Handler is the check's module), its `work` replaced by one that records each item and
    moves a clock of the check's own by the item's ms (no sleep, so no timing), following the
    cursor to the end; the environment records the items each call did and the cursor it
    returned, and the check judges them here. Incorrect when an item is done by two calls (or
    twice by one). (True when every item was recorded once, False when the run can't tell (no
    module-level `work`, a handler that fails there); and how many times the calls read the
    time left from their `context`, None when the run can't tell.)"""
    count = LEAD + math.ceil(WORK_FACTOR * TIMEOUT_S * 1000 / ITEM_MS)
    items = _items(count)
    # Another batch, for the same cursor: the same times, ids of their own (see _retry).
    others = [{"id": item["id"] + OTHER_IDS, "ms": item["ms"]} for item in items]
    facts = _run_in_environment(
        function,
        {
            "mode": "follow",
            "items": items,
            "others": others,
            "lead": LEAD,
            "timeout_ms": TIMEOUT_S * 1000,
            "read_ms": READ_MS,
        },
    )
    _judge_semlocks(function, facts.get("semlocks"))
    if not isinstance(facts.get("calls"), list):
        return False, None  # no module-level `work`, or the copy failed: this can't tell
    calls = facts["calls"]
    _judge_self_invoke(function, calls)
    _judge_retry(function, facts.get("retry"), calls, items, others)
    reads = facts.get("reads")
    if not calls or any(call.get("failed") for call in calls) or not calls[0].get("done"):
        reads = None  # it failed there, or the check's `work` isn't the one it calls
    done: list[list[int]] = []  # the items each call did, by index
    cursor: int | None = LEAD
    returned: list[int | None] = []
    for call in facts["calls"]:
        done.append(call["done"])
        if call.get("failed"):  # the real runs judge how it fails; this can't tell more
            return False, reads
        did = call["done"]
        if len(set(did)) == len(did) and did != list(range(cursor, cursor + len(did))):
            return False, reads  # in another order than the list's: the real runs name that

        following = call["cursor"]
        if following is not None and (
            not isinstance(following, int) or not cursor < following < count
        ):
            return False, reads
        returned.append(following)
        cursor = following
    if not returned:
        return False, reads
    first_call: dict[int, int] = {}
    for call, indexes in enumerate(done, start=1):
        for n in indexes:
            if n not in first_call:
                first_call[n] = call
                continue
            earlier = first_call[n]
            if n in facts["calls"][earlier - 1].get("running", []):
                # Learner trial 10 (YD3): a future waited for with a time limit, given up on.
                raise Incorrect(
                    f"item {n} of the batch was done twice: the check ran `{function}`'s code "
                    "with a `work(item)` of its own that records each item it does, and call "
                    f"{earlier} returned while its `work(item {n})` was still running (on "
                    f"another thread), so call {call} did it again. A call that stops waiting "
                    "for an item doesn't stop the item: a thread can't be cancelled, and the "
                    "work goes on. Decide before starting each item, with "
                    "`context.get_remaining_time_in_millis()`, and wait for every item you "
                    "started."
                )
            if n in facts["calls"][earlier - 1].get("interrupted", []):
                # Learner trial 12 (KD4): a SIGALRM timer that raises inside the item.
                raise Incorrect(
                    f"item {n} of the batch was done twice: the check ran `{function}`'s code "
                    "with a `work(item)` of its own that records each item it does, on a clock "
                    f"of its own, and call {earlier} started item {n}, then the alarm it had set "
                    "(`signal.setitimer`/`signal.alarm`, SIGALRM) went off in the middle of it "
                    f"and its signal handler cut it off; call {call} did it again. With real "
                    "work (a payment, an email) that happens twice, or stays half done. Don't "
                    "interrupt an item: decide before starting each one, with "
                    "`context.get_remaining_time_in_millis()`, whether there is time for it."
                )
            if call == earlier:
                how = f"call {call} did item {n} twice"
            elif returned[earlier - 1] == n and len(
                facts["calls"][earlier - 1].get("results") or []
            ) == len(done[earlier - 1]):
                # Learner trial 13 (PW4): its result returned, but the cursor points at it
                # (the last item done), not past it.
                how = (
                    f"call {earlier} did item {n}, returned its result, and returned cursor "
                    f"{n}, the item it had just done, so call {call} did it again: the cursor "
                    "is the index of the first item not done, one past the last one done"
                )
            elif returned[earlier - 1] == n:
                how = (
                    f"call {earlier} did item {n} and returned cursor {n} without its result, "
                    f"so call {call} did it again"
                )
            else:
                how = f"call {earlier} did item {n}, and call {call} did it again"
            raise Incorrect(
                f"item {n} of the batch was done twice: the check ran `{function}`'s code "
                f"with a `work(item)` of its own that records each item it does, and {how}. "
                "With real work (a payment, an email) that happens twice. Read "
                "`context.get_remaining_time_in_millis()` before each item and stop before "
                "starting one there's no time for: once `work(item)` has run, keep its result "
                "and move the cursor past it."
            )
    # verified only if the check's `work` saw every item (not one bound before it was replaced)
    return returned[-1] is None and set(first_call) == set(range(LEAD, count)), reads


OTHER_IDS = 10_000  # added to the ids of a batch for another batch (its ids under 10,000)


def _judge_semlocks(function: str, semlocks: Any) -> None:
    """Learner trial 12 (KD12): Incorrect when the code made a multiprocessing Pool, Queue, Lock
    ... (each stands on a SemLock, in shared memory). "Due to the Lambda execution environment
    not having /dev/shm (shared memory for processes) support, you can't use
    multiprocessing.Queue or multiprocessing.Pool"
    (https://aws.amazon.com/blogs/compute/parallel-processing-in-python-with-aws-lambda/):
    there, creating one fails with "OSError: [Errno 38] Function not implemented". The kit's
    runs it, so the check records each one the code makes."""
    if not isinstance(semlocks, list) or not semlocks:
        return
    where = next((w for _kind, w in semlocks if w), "").split("#")[0].strip()
    made = f" (`{where}`)" if where else ""
    raise Incorrect(
        f"`{function}` works here, but its code makes a multiprocessing object that stands "
        f"on a semaphore{made}: multiprocessing's Pool, Queue and locks need shared memory "
        "(`/dev/shm`), which "
        "Lambda's execution environment doesn't have, so on AWS making one fails with "
        "`OSError: [Errno 38] Function not implemented`, and every call fails. Run the items "
        "in the handler itself (or on threads, `concurrent.futures.ThreadPoolExecutor`); "
        "`multiprocessing.Process` with a `Pipe` works on Lambda if you need processes."
    )


def _judge_self_invoke(function: str, calls: list[dict[str, Any]]) -> None:
    """Learner trial 12 (KD7): Incorrect when a call that returned a cursor also invoked a
    function asynchronously (itself, with the rest): the caller's next call and that invocation
    then both do every item left. (The check answers such an invocation itself, 202, without
    running it; one without a cursor returned is judged by the real runs.)"""
    for number, call in enumerate(calls, start=1):
        invoked = [name for name, kind in call.get("invokes") or [] if kind == "Event"]
        if invoked and call.get("cursor") is not None and not call.get("failed"):
            whom = (
                "itself (the check's copy of it, by `context.function_name`)"
                if "-check-" in invoked[0]
                else f"`{invoked[0]}`"
            )
            raise Incorrect(
                f"call {number} of `{function}` returned cursor {call['cursor']} and also "
                f"invoked {whom} asynchronously (`InvocationType='Event'`) with the rest: two "
                "hand-offs. The caller's next call, from the cursor, and "
                "that invocation would both do every item left, each of them twice. Hand the "
                "rest off one way, as the task says: return the cursor, and let the caller "
                "continue; no invocation of your own."
            )


def _judge_retry(
    function: str,
    retry: Any,
    calls: list[dict[str, Any]],
    items: list[dict[str, Any]],
    others: list[dict[str, Any]],
) -> None:
    """Learner trial 10 (YD2): call 1's event sent again (a caller's retry, or another batch's
    call served by the same warm environment) must start where call 1 did, at the event's
    cursor: Incorrect when it started elsewhere (a position kept in a module global). Learner
    trial 12 (KD1, KD11): and another batch from the same cursor (new ids) must be worked on:
    Incorrect when it got an earlier batch's results, or when only the retry skipped items
    (items remembered by their ids). (Where call 1 started, in order or not, the real runs
    judge.)"""
    if not isinstance(retry, dict):
        return
    other = retry.get("other") or {}
    first_results = calls[0].get("results") if calls else None
    if (
        other
        and other.get("results")
        and other.get("results") == first_results
        and not other.get("done")
    ):
        raise Incorrect(
            f"the check sent `{function}` another batch, new items from the same cursor "
            f"({LEAD}), and it answered with the results of the first batch, without doing any "
            "of the new items: it keeps answers at module level, by cursor, and a warm "
            "environment serves other batches too (its module-level variables outlive the "
            "call). Work on the items the event gives; keep nothing of one call's batch at "
            "module level (or key it by the whole event)."
        )
    # The lowest item each did, not the first recorded: threads may start items in any order.
    other_first = min(other["done"]) - len(items) if other.get("done") else None
    started = bool(calls and calls[0].get("done") and min(calls[0]["done"]) == LEAD)
    if started and other_first is not None and other_first != LEAD:
        raise Incorrect(
            f"the check sent `{function}` another batch from `cursor: {LEAD}` (new items, as "
            "a warm environment serves another caller after call 1), and it started at item "
            f"{other_first}, not at item {LEAD}: start at the event's `cursor`, not at a "
            "position kept in the execution environment (its module-level variables and "
            "`/tmp` outlive the call)."
        )
    if retry.get("failed") or not retry.get("done"):
        return
    first = min(retry["done"])
    if (
        calls
        and calls[0].get("done")
        and min(calls[0]["done"]) == LEAD
        and first != LEAD
        and other_first == LEAD
        and first > LEAD
    ):
        # Another batch started at the cursor: only the items seen before were skipped.
        raise Incorrect(
            f"the check sent call 1's event (`cursor: {LEAD}`) to `{function}` a second time, "
            f"as a caller's retry does: it started at the cursor, but skipped "
            f"{_span(LEAD, first - 1)}, which call 1 had done in this execution "
            "environment, and returned no results for them (another batch, of new items, it "
            "did start at the cursor). Items remembered at module level (a set of ids done) "
            "outlive "
            "the call: the retry's caller loses those results. Return the results of every "
            "item from the event's cursor; keep nothing of one call's items at module level."
        )
    if calls and calls[0].get("done") and min(calls[0]["done"]) == LEAD and first != LEAD:
        raise Incorrect(
            f"the check sent call 1's event (`cursor: {LEAD}`) to `{function}` a second time, "
            f"as a caller's retry does, and it started at item {first}, not at item {LEAD}: "
            "start at the event's `cursor`, not at a position kept in the execution "
            "environment (a warm environment also serves retries and other batches; its "
            "module-level variables and `/tmp` outlive the call)."
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


notebook_12a = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Change `catalogue` so that it makes its S3 client once per execution environment, "
            "with the `make_client()` you were given, and still returns "
            "`{'objects': ..., 'clients_made': CLIENTS_MADE}`. The check invokes it three times "
            "in a row, adding two objects to the bucket (under a prefix, not `.json`) and "
            "removing them between them, and reads "
            "`objects`, `clients_made` and each invocation's log; then it runs the code as "
            "warm invocations, minutes apart on the environment's clocks, and counts every SDK "
            "client it makes, with `make_client()` or not, and once more as if the bucket were "
            "empty."
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
            "time, each item once, and returns `{'results': [...], 'cursor': <next index, or "
            "None>}`. The check sends more work than one timeout holds and follows the cursor to "
            "the end; then it does the same with a copy of `batcher` whose Timeout is 2 s, where "
            "each call must do more: the time left decides when to stop, not a fixed amount of "
            "work. It also runs the code with a `work` of its own that records each item done, "
            "on a clock of its own, each call starting with less time left than the one "
            "before, so that a call must stop before every item in turn, the last one too "
            "(one item there takes 300 ms); and it sends the first call again, as a retry."
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
)
