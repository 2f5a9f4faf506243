"""The inside of one execution environment: a Python interpreter that runs one function's handler.

This file runs as a script in a fresh interpreter (never imported by the kit). It plays the part of
AWS's Python runtime bootstrap: it prepares itself ahead of need (imports boto3 and fills botocore's
caches, like a spare environment waiting in a pool), then takes exactly one function's
configuration, runs its Init phase (import the handler module), and serves invokes one at a time.

Talks to the kit over a `multiprocessing.connection.Connection` (fd given on the command line).
Everything the handler writes to stdout/stderr goes to a pipe the kit reads as CloudWatch Logs;
before each reply the runtime writes a marker so the kit knows which output belongs to which phase.
"""

import os
import sys

# This script's folder must not shadow the learner's modules (it holds the kit's own files).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
# A Python of another version than the kit's (the function's Runtime; interpreters.py) starts
# with -S, without its own site-packages, and is given the kit's SDK folders (boto3 and its
# dependencies, pure Python), as AWS's runtime holds the standard library and the SDK. The
# builtins `site` would add (exit, quit, help ...) are added here: a handler may use them.
_SDK_PATHS = [p for p in os.environ.pop("KIT_SDK_PATH", "").split(os.pathsep) if p]
if sys.flags.no_site:
    import site

    for _builtin in ("setquit", "setcopyright", "sethelper"):
        getattr(site, _builtin, lambda: None)()
    sys.path.extend(_SDK_PATHS)

import gc  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from multiprocessing.connection import Connection  # noqa: E402


def _load_sibling(name: str):
    """One of the kit's files next to this one, loaded by its path (this folder is off sys.path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"_kit_{name}", os.path.join(_HERE, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_PRIVATE_TMP = _load_sibling("private_tmp")
_IMPORTS = _load_sibling("handler_imports")
_SDK = _load_sibling("sdk_guard")  # boto3 in the environment: the local AWS, failing as AWS
_MEMORY = _load_sibling("worker_memory")  # its peak, its backstop, freed pages given back
MARKER = b"\x00KIT:"
# Services whose botocore models are loaded ahead, so a handler's first client costs milliseconds:
# those the course's handlers use. Every environment shares them (measured: 0.3-14 MB each; IAM,
# Kinesis, CloudWatch, Step Functions and Scheduler, 6 MB together, were dropped for issue 13's
# memory targets: a handler's first client of one of those costs 5-15 ms more, as on AWS).
WARM_SERVICES = (
    "s3",
    "dynamodb",
    "sqs",
    "sns",
    "lambda",
    "logs",
    "events",
    "sts",
    "ssm",
    "secretsmanager",
)


_KIT_UNDER_TMP: list = []


def _function_pythonpath(task_root: str) -> list:
    """The folders of the function's own PYTHONPATH variable, /var/task and /opt read as the
    kit's stand-ins for them.

    PYTHONPATH is one of the variables a function may set ("aren't reserved and can be
    extended in your function configuration",
    https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime,
    as of 2026-12), and Python reads it when it starts, before the handler's module: the
    environment here is forked from an interpreter already running, so the kit puts them on
    sys.path itself, where Python would, right after the script's folder (learner trial 13,
    PD4: a layer's vendor/ folder named by PYTHONPATH=/opt/vendor).
    """
    found = []
    for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep):
        if not entry:
            continue
        for aws_root, here in (("/var/task", task_root), ("/opt", _OPT_ROOT)):
            if here and (entry == aws_root or entry.startswith(aws_root + "/")):
                entry = here + entry[len(aws_root) :]
                break
        if entry not in found:
            found.append(entry)
    return found


def _kit_paths_under_tmp() -> list:
    """The kit's own paths (this folder, the interpreter's, its search path and packages) that
    lie under /tmp, which an environment's private /tmp must show: found once, before forks."""
    if not _KIT_UNDER_TMP:
        paths = [_HERE, sys.prefix, sys.exec_prefix, sys.base_prefix, *sys.path]
        _KIT_UNDER_TMP.append(_PRIVATE_TMP._kept_under_tmp([*paths, *_IMPORTS.KIT_PATHS]))
    return _KIT_UNDER_TMP[0]


def _die_with_parent(lifeline_fd: int) -> None:
    """Exit the moment the kit's process goes away (kernel restart, killed notebook)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except Exception:
            pass

    def watch() -> None:
        try:
            while os.read(lifeline_fd, 1):
                pass
        finally:
            try:
                os.killpg(0, signal.SIGKILL)  # the handler's own child processes too
            finally:
                os._exit(1)

    threading.Thread(target=watch, name="kit-lifeline", daemon=True).start()


def _prepare() -> None:
    """Pay the cost of a fresh interpreter before any function needs it (not per cold start)."""
    _IMPORTS.KIT_PATHS.update({p: os.path.realpath(p) + os.sep for p in _IMPORTS.kit_paths()})
    try:
        import boto3
    except ImportError:
        return
    _SDK.guard_botocore()
    _IMPORTS.RUNTIME_LIBRARIES.update(_IMPORTS.runtime_libraries())
    # The handler's `boto3.client(...)` uses the default session, whose loader holds the caches:
    # warm that session, with explicit fake credentials so it never resolves credentials of its
    # own; the function's environment, given later, is what its first client reads.
    session = boto3.setup_default_session() or boto3.DEFAULT_SESSION
    for name in WARM_SERVICES:
        try:
            session.client(
                name,
                region_name="us-east-1",
                aws_access_key_id="warm",
                aws_secret_access_key="warm",
                endpoint_url="http://127.0.0.1:9",
            )
        except Exception:
            pass
    _IMPORTS.note_prepared_modules()
    _kit_paths_under_tmp()
    _MEMORY._libc()
    _MEMORY.give_back_freed_memory()
    # What the interpreter holds now is kept for good: moved out of the collector's sight, so
    # that a collection in an environment forked from it neither scans nor writes those objects
    # (each write would copy a page shared with the fork server: time and unique memory).
    gc.freeze()


# ---------------------------------------------------------------------- what a handler can import
# (handler_imports.py: the search path AWS's Python runtime gives a function)
_OPT_ROOT = ""  # the folder that plays /opt (the function's layers, merged), if any
_TASK_ROOT = ""  # the folder that plays /var/task (the function's code)


# LogRecord attributes that are not the learner's own `extra=` fields (AWS's runtime leaves these
# out of a JSON record; any other attribute becomes a top-level key).
_RESERVED_FIELDS = {
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info",
    "exc_text", "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated",
    "thread", "threadName", "processName", "process", "aws_request_id", "tenant_id",
}  # fmt: skip


def _aws_tb(tb) -> list:
    """A traceback's frames as `format_tb` gives them, with AWS's paths (/var/task ...)."""
    frames = traceback.extract_tb(tb)
    for frame in frames:
        frame.filename = _aws_path(frame.filename, _TASK_ROOT)
    return frames.format()


class _TextFormatter(logging.Formatter):
    """AWS's Python runtime in the text log format: [LEVEL] time request-id message."""

    def formatException(self, ei) -> str:
        lines = ["Traceback (most recent call last):\n", *_aws_tb(ei[2])]
        lines += traceback.format_exception_only(ei[0], ei[1])
        return "".join(lines).rstrip("\n")


class _JsonFormatter(logging.Formatter):
    """AWS's Python runtime in the JSON log format: one JSON object per record.

    Keys as the runtime writes them (timestamp, level, message, logger, requestId, and for an
    exception errorType, errorMessage, stackTrace, location), then `extra=` fields; None left out.
    """

    def format(self, record: logging.LogRecord) -> str:
        level = min(50, max(0, record.levelno)) // 10 * 10
        failed = record.exc_info if record.exc_info and record.exc_info[0] else None
        moment = time.gmtime(record.created)
        result = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", moment)
            + f".{int(record.created * 1000) % 1000:03d}Z",
            "level": logging.getLevelName(level),
            "message": record.getMessage(),
            "logger": record.name,
            "stackTrace": _aws_tb(failed[2]) if failed else None,
            "errorType": failed[0].__name__ if failed else None,
            "errorMessage": str(failed[1]) if failed else None,
            "requestId": getattr(record, "aws_request_id", None),
            "location": (
                f"{_aws_path(record.pathname, _TASK_ROOT)}:{record.funcName}:{record.lineno}"
                if failed
                else None
            ),
        }
        result.update(
            (key, value)
            for key, value in record.__dict__.items()
            if key not in _RESERVED_FIELDS and key not in result
        )
        result = {key: value for key, value in result.items() if value is not None}
        return json.dumps(result, ensure_ascii=False, default=str) + "\n"


def _log_format() -> tuple[bool, str]:
    """(JSON?, level) from the variables Lambda sets for a function's LoggingConfig."""
    as_json = os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON"
    level = {"TRACE": "DEBUG"}.get(os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper())
    return as_json, level or os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()


class _ToCloudWatch(logging.Handler):
    """The AWS Python runtime's root handler: one CloudWatch event per record, text or JSON."""

    def __init__(self, runtime: "RuntimeClient", as_json: bool = False) -> None:
        super().__init__()
        self.runtime = runtime
        if as_json:
            self.setFormatter(_JsonFormatter())
        else:
            self.setFormatter(
                _TextFormatter(
                    "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
                    "%Y-%m-%dT%H:%M:%S",
                )
            )
            self.formatter.converter = time.gmtime

    def emit(self, record: logging.LogRecord) -> None:
        record.aws_request_id = self.runtime.request_id or ""
        try:
            text = self.format(record)
        except Exception:
            self.handleError(record)
            return
        # Newlines inside one record stay in one event, as AWS does ("\r" on the wire).
        text = text[:-1] if text.endswith("\n") else text  # a traceback ends without one
        sys.stdout.write(text.replace("\n", "\r") + "\n")


class LambdaContext:
    """The `context` object a handler receives, with AWS's attributes and methods."""

    def __init__(self, request_id: str, deadline_ms: int, invoked_arn: str, client_context=None):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_arn
        self.client_context = client_context
        self.identity = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def log(self, message: str) -> None:
        sys.stdout.write(str(message))

    def __repr__(self) -> str:
        return (
            f"LambdaContext([aws_request_id={self.aws_request_id},"
            f"log_group_name={self.log_group_name},log_stream_name={self.log_stream_name},"
            f"function_name={self.function_name},memory_limit_in_mb={self.memory_limit_in_mb},"
            f"function_version={self.function_version},"
            f"invoked_function_arn={self.invoked_function_arn},"
            f"client_context={self.client_context},identity={self.identity}])"
        )


def _library_roots() -> list[tuple[str, str]]:
    """This interpreter's library folders, and where AWS's Python runtime keeps them."""
    import site
    import sysconfig

    version = os.environ.get("AWS_EXECUTION_ENV", "").removeprefix("AWS_Lambda_") or "python3"
    lang = f"/var/lang/lib/{version}"
    roots = [(p, f"{lang}/site-packages") for p in site.getsitepackages()]
    roots += [(sysconfig.get_paths()[k], f"{lang}/site-packages") for k in ("purelib", "platlib")]
    roots += [(p, f"{lang}/site-packages") for p in _SDK_PATHS]
    roots.append((sysconfig.get_paths()["stdlib"], lang))
    # Longest first, so site-packages wins over the stdlib folder that contains it.
    return sorted({(r.rstrip(os.sep), aws) for r, aws in roots}, key=lambda x: -len(x[0]))


def _aws_path(filename: str, task_root: str) -> str:
    """A frame's file as AWS shows it: /var/task for the code, /var/lang for libraries.

    Never a path of the learner's machine: a notebook's committed output must not hold one.
    """
    if task_root and filename.startswith(task_root + os.sep):
        return "/var/task" + filename[len(task_root) :]
    if _OPT_ROOT and filename.startswith(_OPT_ROOT + os.sep):
        return "/opt" + filename[len(_OPT_ROOT) :]
    for root, aws in _library_roots():
        if filename.startswith(root + os.sep):
            return aws + filename[len(root) :]
    return filename


def _frames(tb, task_root: str) -> list[str]:
    """Stack frames as AWS lists them, with the task root shown as /var/task."""
    out = []
    for frame in traceback.extract_tb(tb):
        filename = frame.filename
        if filename == __file__ or filename.startswith("<frozen importlib"):
            continue  # the runtime's own frames are not the learner's concern (AWS drops them)
        filename = _aws_path(filename, task_root)
        line = f'  File "{filename}", line {frame.lineno}, in {frame.name}\n'
        if frame.line:
            line += f"    {frame.line}\n"
        out.append(line)
    return out


def _error(error_type: str, message: str, tb=None, task_root: str = "") -> dict:
    return {
        "errorMessage": message,
        "errorType": error_type,
        "requestId": "",
        "stackTrace": _frames(tb, task_root) if tb is not None else [],
    }


class RuntimeClient:
    """One execution environment's runtime: Init once, then invokes until the kit reclaims it.

    (AWS calls this part the runtime interface client; the kit's `service.Runtime` is the
    Lambda service that starts environments and hands them invokes.)"""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.request_id = ""
        self.handler = None
        self.task_root = ""
        self.seq = 0

    def reply(self, kind: str, **fields) -> None:
        """Flush the handler's output, mark where this phase ends, then answer the kit."""
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        self.seq += 1
        os.write(1, MARKER + str(self.seq).encode() + b"\x00\n")
        fields["seq"] = self.seq
        fields["max_rss_kb"] = _MEMORY.max_rss_kb()
        self.conn.send((kind, fields))

    def log_error(self, error: dict) -> None:
        if _log_format()[0]:  # JSON: one record, as AWS's runtime writes it (no milliseconds)
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
            record = {"timestamp": stamp, "level": "ERROR", **error}
            sys.stdout.write(json.dumps(record) + "\n")
            return
        lines = [f"[ERROR] {error['errorType']}: {error['errorMessage']}"]
        if error["stackTrace"]:
            lines.append("Traceback (most recent call last):")
            lines.extend(frame.rstrip("\n") for frame in error["stackTrace"])
        sys.stdout.write("\r".join(lines).replace("\n", "\r") + "\n")

    def init(self, config: dict) -> None:
        global _OPT_ROOT, _TASK_ROOT
        os.environ.clear()
        os.environ.update(config["env"])
        _SDK.KIT_ENDPOINT = config.get("endpoint_url") or ""
        if _SDK.KIT_ENDPOINT:  # for subprocesses only (see sdk_guard.KIT_ENDPOINT)
            os.putenv("AWS_ENDPOINT_URL", _SDK.KIT_ENDPOINT)
        self.task_root = _TASK_ROOT = config["task_root"]
        _OPT_ROOT = config.get("opt_root") or ""
        if os.environ.get("TMPDIR"):  # this environment's own /tmp, as on AWS
            needed = [self.task_root, _OPT_ROOT, *config.get("extra_paths", [])]
            _PRIVATE_TMP.enter(os.environ["TMPDIR"], [*needed, *_kit_paths_under_tmp()])
            _PRIVATE_TMP.read_only([self.task_root, _OPT_ROOT])  # /var/task and /opt
        _IMPORTS.isolate_imports(
            config.get("strict_imports", False), [self.task_root, _OPT_ROOT], __file__
        )
        for path in reversed(config.get("extra_paths", [])):
            sys.path.insert(0, path)
        sys.path.insert(0, self.task_root)
        sys.path[1:1] = _function_pythonpath(self.task_root)
        os.chdir(self.task_root)
        # The function's folders are new to this interpreter; whatever it knew of them before
        # (a folder missing then) is forgotten. Every other folder's finder stays as prepared:
        # `importlib.invalidate_caches()` would reset all of them (0.2 ms of a cold start).
        for path in (self.task_root, *config.get("extra_paths", [])):
            sys.path_importer_cache.pop(path, None)
        _MEMORY.limit_memory(config["memory_mb"], config.get("threads_max", 1024))
        as_json, level = _log_format()
        root = logging.getLogger()
        root.handlers[:] = [_ToCloudWatch(self, as_json)]
        if level in logging._nameToLevel:  # AWS's runtime sets the root logger's level
            root.setLevel(level)
        start = time.perf_counter()
        error = self.load_handler(config["handler"])
        init_ms = (time.perf_counter() - start) * 1000
        if error:
            self.log_error(error)
        self.reply("init", init_ms=init_ms, error=error)

    def load_handler(self, spec: str) -> dict | None:
        try:
            module_name, function_name = spec.rsplit(".", 1)
        except ValueError as exc:
            return _error("Runtime.MalformedHandlerName", f"Bad handler '{spec}': {exc}")
        module_name = module_name.replace("/", ".")
        # As AWS's runtime checks it (aws-lambda-python-runtime-interface-client,
        # awslambdaric/bootstrap.py): `sys.exit` names a module built into the interpreter.
        if module_name.split(".")[0] in sys.builtin_module_names:
            return _error(
                "Runtime.BuiltInModuleConflict",
                f"Cannot use built-in module {module_name} as a handler module",
            )
        try:
            module = importlib.import_module(module_name)
        except SyntaxError as exc:
            where = _aws_path(f"{exc.filename}", self.task_root)  # /var/task, /opt ...
            error = _error(
                "Runtime.UserCodeSyntaxError",
                f"Syntax error in module '{module_name}': {exc.msg} "
                f"({os.path.basename(exc.filename or '')}, line {exc.lineno})",
            )
            error["stackTrace"] = [f'  File "{where}" Line {exc.lineno}\n        {exc.text or ""}']
            return error
        except ImportError as exc:
            if exc.name == module_name or module_name.startswith(f"{exc.name}."):
                message = f"Unable to import module '{module_name}': No module named '{exc.name}'"
            else:
                message = f"Unable to import module '{module_name}': {exc}"
            return _error("Runtime.ImportModuleError", message)
        except MemoryError:
            os._exit(137)
        except SystemExit as exc:
            os._exit(_exit_code(exc))
        except Exception as exc:
            # An exception in module-level code: AWS reports it with the exception's own type.
            return _error(type(exc).__name__, str(exc), exc.__traceback__, self.task_root)
        self.handler = getattr(module, function_name, None)
        if self.handler is None:
            return _error(
                "Runtime.HandlerNotFound",
                f"Handler '{function_name}' missing on module '{module_name}'",
            )
        return None

    def invoke(self, request: dict) -> None:
        self.request_id = request["request_id"]
        os.environ["_X_AMZN_TRACE_ID"] = request["trace_id"]
        context = LambdaContext(
            self.request_id,
            request["deadline_ms"],
            request["invoked_arn"],
            request.get("client_context"),
        )
        try:
            event = json.loads(request["event"] or b"{}")
            result = self.handler(event, context)
        except MemoryError:
            os._exit(137)  # the kit reports what AWS does when a function runs out of memory
        except SystemExit as exc:
            os._exit(_exit_code(exc))
        except Exception as exc:
            error = _error(type(exc).__name__, str(exc), exc.__traceback__, self.task_root)
            error["requestId"] = self.request_id
            self.log_error(error)
            self.reply("result", error=error)
            return
        try:
            payload = json.dumps(result).encode()
        except (TypeError, ValueError) as exc:
            error = _error(
                "Runtime.MarshalError",
                f"Unable to marshal response: {exc}",
            )
            error["requestId"] = self.request_id
            self.log_error(error)
            self.reply("result", error=error)
            return
        self.reply("result", payload=payload)

    def serve(self) -> None:
        while True:
            try:
                kind, body = self.conn.recv()
            except EOFError:
                os._exit(0)
            if kind == "init":
                self.init(body)
            elif kind == "invoke":
                self.invoke(body)


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    sys.stderr.write(f"{exc.code}\n")
    return 1


def _touch_ahead() -> None:
    """While a forked spare waits: write once what every Init and first invoke write (the
    environment block, logging's and the compiler's objects, the import machinery), so that
    the pages they share with the fork server are copied now, not in a cold start (about 300
    page faults of one; the environment would copy them all the same)."""
    for n in range(48):
        os.environ[f"_KIT_WARM_{n}"] = "x" * 48
    for n in range(48):
        del os.environ[f"_KIT_WARM_{n}"]
    record = logging.LogRecord("warm", logging.INFO, __file__, 1, "%s", ("up",), None)
    record.aws_request_id = ""
    for as_json in (False, True):
        _ToCloudWatch(None, as_json).format(record)  # type: ignore[arg-type]
    exec(compile("def handler(event, context):\n    return None\n", "<warm>", "exec"), {})
    json.loads(json.dumps({"warm": [1, 2.5, None, "x"]}))
    LambdaContext("warm", 0, "arn")
    _MEMORY.max_rss_kb()
    with open("/proc/self/statm") as statm:  # as limit_memory reads it
        statm.read()


def _serve(ctrl_fd: int, lifeline_fd: int, *, forked: bool = False) -> None:
    """Be one execution environment: say ready, then take a function's Init and its invokes."""
    _die_with_parent(lifeline_fd)
    _IMPORTS.forget_kit_modules()  # while the environment waits: off the cold start
    conn = Connection(ctrl_fd)
    conn.send(("ready", {"pid": os.getpid()}))
    if forked:  # after saying ready: the kit's next fork need not wait for it
        _touch_ahead()
    RuntimeClient(conn).serve()


# ------------------------------------------------------------------------- the fork server
# One prepared interpreter forks every new environment: a cold start costs a fork, not an
# interpreter's start-up, and environments share its pages (boto3, botocore's models) until they
# write them. It runs one thread only, so that fork copies no lock another thread held.


def _zygote(sock_fd: int, lifeline_fd: int) -> None:
    """Fork a prepared environment for each request on `sock_fd`; report each one's exit."""
    import selectors
    import socket

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except Exception:
            pass
    sock = socket.socket(fileno=sock_fd)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    _PRIVATE_TMP.usable()  # tried once here (a child), before any handler that waits on SIGCHLD
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so that SIGCHLD wakes the loop
    _prepare()
    sock.send(json.dumps({"ready": os.getpid()}).encode())
    selector = selectors.DefaultSelector()
    for fd in (sock_fd, lifeline_fd, wake_read):
        selector.register(fd, selectors.EVENT_READ)
    while True:
        for key, _ in selector.select():
            if key.fd == wake_read:
                os.read(wake_read, 4096)
                _report_exits(sock)
                continue
            if key.fd == lifeline_fd:
                if not os.read(lifeline_fd, 1):
                    os._exit(0)  # the kit is gone: its environments see their own lifelines
                continue
            try:
                message, fds, _, _ = socket.recv_fds(sock, 4096, 3)
            except OSError:
                message, fds = b"", []
            if not message:
                os._exit(0)
            if len(fds) != 3:
                for fd in fds:
                    os.close(fd)
                sock.send(json.dumps({"pid": 0}).encode())
                continue
            pid = os.fork()
            if pid == 0:
                selector.close()
                sock.detach()  # closed just below, by its number only
                for fd in (sock_fd, lifeline_fd, wake_read, wake_write):
                    os.close(fd)
                _become_environment(*fds)
            for fd in fds:
                os.close(fd)
            sock.send(json.dumps({"pid": pid}).encode())
        _report_exits(sock)


def _report_exits(sock) -> None:
    """Reap ended environments and tell the kit how each one ended (its wait status)."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        sock.send(json.dumps({"exit": pid, "status": status}).encode())


def _become_environment(ctrl_fd: int, lifeline_fd: int, output_fd: int) -> None:
    """In a forked child: take the environment's own pipes and session, then serve."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()  # its own process group, so a kill takes its children too
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    os.close(output_fd)
    try:  # Max Memory Used is this environment's peak, not the fork server's
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        _MEMORY.FORKED = True
    except OSError:
        pass
    _PRIVATE_TMP.own_namespace()  # while this process has one thread (see private_tmp.py)
    try:
        _serve(ctrl_fd, lifeline_fd, forked=True)
    finally:
        os._exit(1)


def main() -> None:
    if sys.argv[1] == "--zygote":
        _zygote(int(sys.argv[2]), int(sys.argv[3]))
        return
    ctrl_fd, lifeline_fd = int(sys.argv[1]), int(sys.argv[2])
    _PRIVATE_TMP.own_namespace()  # before the lifeline's thread starts
    _die_with_parent(lifeline_fd)
    conn = Connection(ctrl_fd)
    _prepare()
    _IMPORTS.forget_kit_modules()
    conn.send(("ready", {"pid": os.getpid()}))
    RuntimeClient(conn).serve()


if __name__ == "__main__":
    main()
