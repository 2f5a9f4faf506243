"""The Lambda service's data plane: runs invocations in execution environments.

moto keeps functions, versions and aliases (the control plane); this runs them. One `Runtime`
per local AWS. It owns the environments (warm ones reused, idle ones reclaimed, stale ones
replaced after a code or configuration change), concurrency, timeouts, memory, CloudWatch Logs
and background (asynchronous) invocations.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..limits import value
from . import ephemeral, errors, import_notes, layers, leftovers, logs, metrics, recursion
from .clock import Clock
from .concurrency import Concurrency, Throttled, reserved_in_region
from .environment import BOOTSTRAP, ExecutionEnvironment, Outcome, SparePool, WorkerDied
from .interpreters import gap_note
from .provisioned import Provisioner
from .pythons import Pythons
from .spec import FunctionSpec, Invocation, role_credentials

__all__ = ["Invocation", "Runtime", "Throttled"]

# Past this count a request chain is a recursive loop, and AWS stops it (limits.json).
MAX_CHAIN = value("recursive_invocations_max")
# "Execution processes/threads: 1,024" per environment (Lambda quotas page, function
# configuration, deployment and execution; https://docs.aws.amazon.com/lambda/latest/dg/
# gettingstarted-limits.html, as of 2026-12-07): the environment's address-space backstop
# leaves room for that many thread stacks (bootstrap.py, `_limit_memory`).
THREADS_MAX = 1024
# The kit's exit code for "the handler ran out of memory" (bootstrap.py uses it on MemoryError).
OOM_EXIT = 137


class Runtime:
    """Runs functions for one local AWS: `invoke`, `invoke_async`, `reset`, `stop`."""

    def __init__(
        self,
        endpoint_url: str,
        *,
        idle_timeout: float = 600.0,
        account_concurrency: int = 1000,
        spares: int = 1,
        strict_imports: bool = False,
    ) -> None:
        self.endpoint_url = endpoint_url
        # False: a handler may still import the kit's own packages (pandas ...), and its log says
        # that AWS's runtime has no such package. True: the import fails, as on AWS.
        self.strict_imports = strict_imports
        self.idle_timeout = idle_timeout
        self.concurrency = Concurrency(account_concurrency)
        self.root = Path(tempfile.mkdtemp(prefix=leftovers.PREFIX))
        leftovers.mark(self.root)
        leftovers.sweep_in_background(self.root.parent, self.root)
        self.stopped_loops: list[dict[str, Any]] = []
        self._envs: dict[tuple[str, str, str, str], list[ExecutionEnvironment]] = {}
        self._lock = threading.Lock()
        self._code_lock = threading.Lock()
        self._pending = 0
        self._idle = threading.Condition()
        self._closing = threading.Event()
        self.lent_imports: list[tuple[str, str]] = []  # (function, package), oldest first
        self.refused_imports: list[tuple[str, str]] = []  # the same, refused (strict)
        self.clock = Clock()
        metrics.clock_offset = lambda: self.clock.offset
        # What fires functions (helpers.triggers): the composition root, cloud.LocalAWS, makes
        # them and hands them over with `attach`; the runtime knows them only by these calls.
        self.async_queue: Any = None  # submit, has_due_work, clear, stop
        self.mappings: Any = None  # start, stop_all
        self.timers: Any = None  # reset, stop
        # The kit's own Python's, started when a function first needs it, as other versions'.
        self.pool = SparePool(self._base_env(), size=spares, lazy=True)
        # Workers on the Python each function's Runtime names (pythons.py, interpreters.py).
        self.pythons = Pythons(self._base_env, self.pool, spares)
        # Kit-only (LocalAWS.own_processes): functions, by (account, region, name), whose new
        # environments start as new interpreters instead of forks of the prepared one, each
        # with what a process of its own has on AWS (its own str hash salt); started by a pool
        # of their own, which keeps none ready ahead.
        self.own_processes: set[tuple[str, str, str]] = set()
        self.layer_store = layers.LayerStore(self.root)
        self.provisioned = Provisioner(self)
        self._reaper = threading.Thread(target=self._reap, name="kit-reaper", daemon=True)
        self._reaper.start()

    def attach(self, *, async_queue: Any, mappings: Any, timers: Any) -> None:
        """Take the triggers that fire functions on this runtime (see __init__)."""
        self.async_queue, self.mappings, self.timers = async_queue, mappings, timers

    # ----------------------------------------------------------------- environment variables
    def _base_env(self) -> dict[str, str]:
        """What every interpreter starts with: nothing of the notebook's own environment."""
        import os

        spare_tmp = self.root / "spare"
        spare_tmp.mkdir(exist_ok=True)
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "TMPDIR": str(spare_tmp),
            "PYTHONUNBUFFERED": "1",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            "NO_PROXY": "127.0.0.1,localhost",
            # "redirect" skips the private mount namespace (tests of the fallback; private_tmp.py)
            **(
                {"KIT_PRIVATE_TMP": os.environ["KIT_PRIVATE_TMP"]}
                if "KIT_PRIVATE_TMP" in os.environ
                else {}
            ),
        }

    def _function_env(self, spec: FunctionSpec, env: ExecutionEnvironment, task_root: Path) -> dict:
        environment = self._base_env()
        environment.update(
            {
                "TMPDIR": str(env.tmpdir),
                "LAMBDA_TASK_ROOT": str(task_root),
                "LAMBDA_RUNTIME_DIR": str(BOOTSTRAP.parent),
                "_HANDLER": spec.handler,
                "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
                "AWS_LAMBDA_FUNCTION_NAME": spec.name,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
                "AWS_LAMBDA_FUNCTION_VERSION": spec.version,
                "AWS_LAMBDA_INITIALIZATION_TYPE": (
                    "provisioned-concurrency" if env.provisioned else "on-demand"
                ),
                "AWS_LAMBDA_LOG_GROUP_NAME": spec.log_group,
                "AWS_LAMBDA_LOG_STREAM_NAME": env.log_stream,
                "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001",
                "AWS_REGION": spec.region,
                "AWS_DEFAULT_REGION": spec.region,
                **role_credentials(spec),
            }
        )
        if spec.log_format.json:  # what AWS's Python runtime reads to log JSON, and from what level
            environment["AWS_LAMBDA_LOG_FORMAT"] = "JSON"
            environment["AWS_LAMBDA_LOG_LEVEL"] = spec.log_format.application_level or "INFO"
        environment.update(dict(spec.variables))
        return environment

    # ----------------------------------------------------------------------------- code
    def _task_root(self, fn: Any, spec: FunctionSpec) -> Path:
        """The function's code, unzipped once per distinct package (like /var/task)."""
        target = self.root / "code" / spec.code_sha
        with self._code_lock:
            if not target.exists():
                partial = target.with_name(target.name + ".partial")
                shutil.rmtree(partial, ignore_errors=True)
                partial.mkdir(parents=True)
                import io

                with zipfile.ZipFile(io.BytesIO(fn.code_bytes)) as archive:
                    archive.extractall(partial)
                partial.rename(target)
        return target

    # ----------------------------------------------------------------------- environments
    def _checkout(self, fn: Any, spec: FunctionSpec) -> ExecutionEnvironment:
        stale: list[ExecutionEnvironment] = []
        with self._lock:
            envs = self._envs.setdefault(spec.slot, [])
            now = self.clock.time()
            for env in list(envs):
                # Provisioned environments stay initialised until their config is deleted.
                expired = not env.provisioned and now - env.last_used >= self.idle_timeout
                if not env.busy and (env.key != spec.key or not env.worker.alive() or expired):
                    envs.remove(env)
                    stale.append(env)
            idle = [e for e in envs if not e.busy]
            # As on AWS, provisioned environments serve first; the rest spills over on demand.
            warm = next((e for e in idle if e.provisioned), None) or next(
                (e for e in reversed(idle) if not e.provisioned), None
            )
            if warm is not None:
                warm.busy = True
        for env in stale:
            env.kill()
        if warm is not None:
            return warm
        return self.new_environment(spec, fn=fn)

    def new_environment(
        self, spec: FunctionSpec, *, fn: Any, provisioned: bool = False
    ) -> ExecutionEnvironment:
        """A fresh (busy, uninitialised) execution environment for this function version,
        on the Python of its Runtime when this machine has it (interpreters.py)."""
        python = self.pythons.choose(  # which may unpack its code and layers, to look in them
            spec.runtime,
            (spec.code_sha, spec.layers),
            lambda: [self._task_root(fn, spec), self.layer_store.opt(layers.attached(fn))],
        )
        worker = self.pythons.take(python, own_process=spec.function in self.own_processes)
        env_id = uuid.uuid4().hex
        # A stream in a custom log group (one functions may share) carries the function's name.
        custom_group = spec.name if spec.log_group != f"/aws/lambda/{spec.name}" else ""
        env = ExecutionEnvironment(
            key=spec.key,
            worker=worker,
            function_name=spec.name,
            version=spec.version,
            log_stream=logs.stream_name(spec.version, env_id, custom_group),
            env_id=env_id,
            busy=True,
            provisioned=provisioned,
            tmpdir=self.root / "tmp" / env_id,
            python=python,
        )
        env.tmpdir.mkdir(parents=True)
        with self._lock:
            self._envs.setdefault(spec.slot, []).append(env)
        return env

    def check_in(self, env: ExecutionEnvironment, spec: FunctionSpec, keep: bool) -> None:
        """An environment's work is done: keep it (idle, warm) or stop it."""
        with self._lock:
            env.busy = False
            env.last_used = self.clock.time()
            envs = self._envs.get(spec.slot, [])
            if keep and env in envs:
                return
            if env in envs:
                envs.remove(env)
        env.kill()

    def retire(self, env: ExecutionEnvironment) -> None:
        """Stop an idle environment now; a busy one is reclaimed once idle, as usual."""
        with self._lock:
            if env.busy:
                return
            for envs in self._envs.values():
                if env in envs:
                    envs.remove(env)
        env.kill()

    def retire_lenders(self) -> None:
        """Stop the idle environments whose handler imported a package only the kit has, so
        that the next invoke imports it again (and says so)."""
        with self._lock:
            lenders = [e for group in self._envs.values() for e in group if e.lent]
        for env in lenders:
            self.retire(env)

    def _reap(self) -> None:
        # Idle time runs on the kit's clock: `aws.advance_clock(minutes=20)` reclaims the
        # environments a 20-minute gap would (and the next invoke is a cold start).
        while not self._closing.wait(0.2):
            now = self.clock.time()
            idle: list[ExecutionEnvironment] = []
            with self._lock:
                for envs in self._envs.values():
                    for env in list(envs):
                        if env.provisioned or env.busy:
                            continue
                        if now - env.last_used >= self.idle_timeout:
                            envs.remove(env)
                            idle.append(env)
            for env in idle:
                env.kill()

    def forget(self, account_id: str, region: str, name: str, *, versions_too: bool = True) -> None:
        """Reclaim a function's idle environments now (deleted, or its $LATEST changed)."""
        if versions_too:
            self.provisioned.forget(account_id, region, name)
        dropped: list[ExecutionEnvironment] = []
        with self._lock:
            for slot, envs in self._envs.items():
                # Published versions never change: only $LATEST's environments go stale.
                if slot[:3] == (account_id, region, name) and (
                    versions_too or slot[3] == "$LATEST"
                ):
                    for env in list(envs):
                        if not env.busy:
                            envs.remove(env)
                            dropped.append(env)
                        else:
                            env.key = ("stale",)  # reclaimed when its invoke ends
        for env in dropped:
            env.kill()

    def environments(self) -> list[dict[str, Any]]:
        """The live execution environments: function, version, log stream, invokes, idle time."""
        now = self.clock.time()
        with self._lock:
            return [
                {
                    "function": env.function_name,
                    "version": env.version,
                    "log_stream": env.log_stream,
                    "invokes": env.invokes,
                    "busy": env.busy,
                    "provisioned": env.provisioned,
                    "idle_s": round(now - env.last_used, 1),
                    "pid": env.worker.pid,
                }
                for envs in self._envs.values()
                for env in envs
            ]

    # ---------------------------------------------------------------------------- invoke
    def invoke(
        self,
        fn: Any,
        event: bytes,
        *,
        invoked_arn: str | None = None,
        parent_trace: str | None = None,
        client_context: str | None = None,
        request_id: str | None = None,
    ) -> Invocation:
        """Run one invocation now and return its result; raises Throttled when over a limit."""
        spec = FunctionSpec.of(fn)
        backend_functions = reserved_in_region(fn)
        try:
            unreserved = self.concurrency.acquire(spec.function, spec.reserved, backend_functions)
        except Throttled:  # the function never runs: only AWS/Lambda's Throttles tells
            metrics.throttle(spec.account_id, spec.region, spec.name, invoked_arn)
            raise
        started = datetime.now(UTC).replace(tzinfo=None)
        running, account_running = self.concurrency.running(spec.function)
        with self.busy():
            try:
                env = self._checkout(fn, spec)
                keep = False
                try:
                    result, keep = self._run(
                        fn,
                        spec,
                        env,
                        event,
                        invoked_arn or spec.arn,
                        parent_trace,
                        client_context,
                        request_id or str(uuid.uuid4()),
                    )
                finally:
                    self.check_in(env, spec, keep)
            finally:
                self.concurrency.release(spec.function, unreserved)
        metrics.invocation(
            spec.account_id,
            spec.region,
            spec.name,
            invoked_arn=invoked_arn,
            executed_version=spec.version,
            duration_ms=result.report.duration_ms if result.report else 0.0,
            error=result.function_error is not None,
            concurrent=running,
            account_concurrent=account_running,
            at=started,
        )
        return result

    def _run(
        self,
        fn: Any,
        spec: FunctionSpec,
        env: ExecutionEnvironment,
        event: bytes,
        invoked_arn: str,
        parent_trace: str | None,
        client_context: str | None,
        request_id: str,
    ) -> tuple[Invocation, bool]:
        worker = env.worker
        lines: list[str] = []
        init_ms: float | None = None
        cold = not env.initialized

        def finish(
            payload: bytes,
            error_type: str | None,
            duration_ms: float,
            status: logs.InvokeStatus,
            max_kb: int,
            keep: bool,
        ) -> tuple[Invocation, bool]:
            report = logs.Report(
                request_id=request_id,
                duration_ms=duration_ms,
                memory_mb=spec.memory,
                max_memory_mb=max(1, round(max_kb / 1024)),
                init_ms=init_ms,
                status=status,
                error_type=(
                    errors.report_type(error_type) if status is logs.InvokeStatus.ERROR else None
                ),
            )
            lines.extend(ephemeral.notes(env.tmpdir, fn))  # /tmp over EphemeralStorage
            lent, refused = import_notes.take(lines, failed=error_type is not None)
            env.lent = env.lent or bool(lent)
            with self._lock:
                self.lent_imports.extend((spec.name, package) for package in lent)
                self.refused_imports.extend((spec.name, package) for package in refused)
            lines.append(logs.end_line(request_id))
            lines.append(report.line())
            shown = logs.render(lines, spec.log_format)  # JSON records, filtered by level
            if logs.role_may_write(
                spec.account_id, spec.region, spec.name, spec.role, spec.log_group, env.log_stream
            ):
                logs.write(
                    spec.account_id, spec.region, spec.name, env.log_stream, shown, spec.log_group
                )
            env.invokes += 1
            invocation = Invocation(
                request_id=request_id,
                payload=payload,
                executed_version=spec.version,
                function_error="Unhandled" if error_type else None,
                log_lines=[str(line) for line in shown],
                cold=cold,
                report=report,
            )
            return invocation, keep

        if cold:
            outcome, body = self.initialise(fn, spec, env, lines)
            if outcome is Outcome.REPLY and body["max_rss_kb"] > spec.memory * 1024:
                outcome = Outcome.OUT_OF_MEMORY  # a peak during Init that no sample caught
            if outcome is not Outcome.REPLY:
                lines.append(logs.start_line(request_id, spec.version))
                return self._fault(finish, worker, spec, request_id, outcome, lines, 0.0)
            init_ms = body["init_ms"]
            if body["error"]:
                error = dict(body["error"], requestId=request_id)
                note = gap_note(spec.runtime, env.python, error)
                if note:  # kit-only: the version gap may explain it (AWS's error stays)
                    lines.append(note)
                    error["errorMessage"] += "\n" + note
                lines.append(logs.init_report_line(init_ms, errors.report_type(error["errorType"])))
                lines.append(logs.start_line(request_id, spec.version))
                return finish(
                    json.dumps(error).encode(),
                    error["errorType"],
                    0.0,
                    logs.InvokeStatus.ERROR,
                    body["max_rss_kb"],
                    keep=False,
                )
            env.initialized = True

        lines.append(logs.start_line(request_id, spec.version))
        chain = recursion.depth(parent_trace) + 1
        # The clock starts before the request leaves: the handler may begin (and a busy
        # machine delay this thread) before the send returns; Duration must cover all of it.
        sent = time.perf_counter()
        worker.send(
            "invoke",
            {
                "request_id": request_id,
                "event": event,
                "deadline_ms": int(time.time() * 1000) + spec.timeout * 1000,
                "invoked_arn": invoked_arn,
                "trace_id": recursion.trace_for(parent_trace, spec.arn, chain),
                "client_context": _client_context(client_context),
            },
        )
        outcome, body, duration_ms = self._await(worker, spec, timeout=spec.timeout, start=sent)
        if outcome is Outcome.REPLY and body["max_rss_kb"] > spec.memory * 1024:
            # A peak between two samples: AWS's cgroup would have stopped it, whatever its timing.
            outcome = Outcome.OUT_OF_MEMORY
        if outcome is not Outcome.REPLY:
            return self._fault(finish, worker, spec, request_id, outcome, lines, duration_ms)
        out, dropped = worker.output.phase(body["seq"])
        lines.extend(logs.output_lines(out))
        logs.note_dropped(lines, dropped)
        max_kb = max(body["max_rss_kb"], worker.last_rss_kb)
        if body.get("error"):
            error = body["error"]
            return finish(
                json.dumps(error).encode(),
                error["errorType"],
                duration_ms,
                logs.InvokeStatus.SUCCESS,  # the handler answered: a function error
                max_kb,
                keep=True,
            )
        payload = body["payload"]
        if len(payload) > value("sync_payload_bytes_max"):
            error_type, message = errors.response_too_large()
            return finish(
                errors.payload(error_type, message),
                error_type,
                duration_ms,
                logs.InvokeStatus.SUCCESS,
                max_kb,
                keep=True,
            )
        return finish(payload, None, duration_ms, logs.InvokeStatus.SUCCESS, max_kb, keep=True)

    def initialise(
        self, fn: Any, spec: FunctionSpec, env: ExecutionEnvironment, lines: list[str]
    ) -> tuple[str, dict]:
        """Run INIT (the handler's module) in `env`; its output is added to `lines`."""
        task_root = self._task_root(fn, spec)
        opt = self.layer_store.opt(layers.attached(fn))  # the function's layers, merged (/opt)
        variables = self._function_env(spec, env, task_root)
        variables.update(layers.environment(opt, variables, dict(spec.variables)))
        env.worker.send(
            "init",
            {
                "env": variables,
                "task_root": str(task_root),
                "extra_paths": layers.python_paths(opt, spec.runtime),
                "opt_root": str(opt or ""),
                "strict_imports": self.strict_imports,
                "handler": spec.handler,
                "endpoint_url": self.endpoint_url,  # the handler's boto3 reaches it (sdk_guard)
                "memory_mb": spec.memory,
                "threads_max": THREADS_MAX,
            },
        )
        outcome, body, _ = self._await(
            env.worker, spec, timeout=10.0 + spec.timeout, start=time.perf_counter()
        )
        if outcome is Outcome.REPLY:
            out, dropped = env.worker.output.phase(body["seq"])
            lines.extend(logs.output_lines(out))
            logs.note_dropped(lines, dropped)
        return outcome, body

    def _await(
        self, worker: Any, spec: FunctionSpec, timeout: float, start: float
    ) -> tuple[Outcome, dict, float]:
        """Wait for the runtime's reply, stopping it at the timeout or over its memory."""
        deadline = start + timeout
        limit_kb = spec.memory * 1024
        step = 0.005  # the first sample after 5 ms: most Inits and invokes have answered by then
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return Outcome.TIMEOUT, {}, timeout * 1000
            if worker.poll(min(step, remaining)):
                elapsed = (time.perf_counter() - start) * 1000
                try:
                    _, body = worker.recv()
                except WorkerDied:
                    return Outcome.DIED, {}, elapsed
                return Outcome.REPLY, body, elapsed
            step = min(step * 2, 0.02)
            if worker.rss_kb() > limit_kb:
                return Outcome.OUT_OF_MEMORY, {}, (time.perf_counter() - start) * 1000

    def _fault(self, finish, worker, spec, request_id, outcome, lines, duration_ms):
        """The environment failed mid-invoke: stop it, keep its output, answer as AWS does."""
        how = worker.exit_description() if outcome is Outcome.DIED else ""
        worker.kill()
        out, dropped = worker.output.rest()
        lines.extend(logs.output_lines(out))
        logs.note_dropped(lines, dropped)
        if outcome is Outcome.DIED and how == f"exit status {OOM_EXIT}":
            outcome = Outcome.OUT_OF_MEMORY
        if outcome is Outcome.TIMEOUT:
            error_type, message = errors.timed_out(request_id, spec.timeout)
            stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            lines.append(f"{stamp} {request_id} Task timed out after {spec.timeout:.2f} seconds")
            status = logs.InvokeStatus.TIMEOUT
            max_kb = worker.last_rss_kb
        elif outcome is Outcome.OUT_OF_MEMORY:
            error_type, message = errors.out_of_memory(request_id)
            lines.append(f"{message}\n{error_type}")
            status = logs.InvokeStatus.ERROR
            max_kb = spec.memory * 1024
        else:
            error_type, message = errors.exited(request_id, how)
            lines.append(f"{message}\n{error_type}")
            status = logs.InvokeStatus.ERROR
            max_kb = worker.last_rss_kb
        return finish(
            errors.payload(error_type, message), error_type, duration_ms, status, max_kb, keep=False
        )

    # ------------------------------------------------------------------ background invokes
    def invoke_async(
        self,
        fn: Any,
        event: bytes,
        *,
        invoked_arn: str | None = None,
        parent_trace: str | None = None,
        source: str = "Invoke",
    ) -> Any:
        """Queue an event invocation (202 at once); the async queue runs and retries it."""
        return self.async_queue.submit(
            fn, event, invoked_arn=invoked_arn, parent_trace=parent_trace, source=source
        )

    def trigger(self, fn: Any, event: bytes, *, parent_trace: str | None, source: str) -> None:
        """An event source invoking a function, with AWS's recursive loop detection."""
        if not self.stop_if_recursive(fn, parent_trace, source):
            self.invoke_async(fn, event, parent_trace=parent_trace, source=source)

    def stop_if_recursive(self, fn: Any, parent_trace: str | None, source: str) -> bool:
        """True (and the stop recorded, as AWS's metric) when the chain is a recursive loop."""
        if recursion.depth(parent_trace) < MAX_CHAIN:
            return False
        self.stopped_loops.append(
            {"function": fn.function_name, "source": source, "at": time.time()}
        )
        _record_recursion_stopped(fn)
        return True

    @contextlib.contextmanager
    def busy(self) -> Iterator[None]:
        """Count an invocation (or a request that will invoke) as running: `wait_idle` waits."""
        with self._idle:
            self._pending += 1
        try:
            yield
        finally:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float = 30.0, *, horizon: bool = True) -> bool:
        """Wait until nothing runs and no queued event is due; True if that happened in time.

        Retries due within the timeout are waited for. One due later (AWS waits 1, then 2
        minutes) does not hold this up: `async_events()` shows it as "waiting to retry", and
        `advance_clock` makes it due. With `horizon=False`, only what is due now counts.
        """
        deadline = time.monotonic() + timeout
        quiet = 0
        while True:
            with self._idle:
                running = self._pending
            within = max(0.0, deadline - time.monotonic()) if horizon else 0.0
            busy = running or self.async_queue.has_due_work(within)
            quiet = 0 if busy else quiet + 1
            if quiet >= 2:  # twice in a row: nothing was between queue and worker
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            with self._idle:
                self._idle.wait(min(0.005, left))

    # ---------------------------------------------------------------------------- lifecycle
    def _all_envs(self) -> Iterator[ExecutionEnvironment]:
        with self._lock:
            envs = [env for group in self._envs.values() for env in group]
            self._envs.clear()
        yield from envs

    def reset(self) -> None:
        """Stop every environment and forget what ran (the functions go with moto's reset)."""
        self.provisioned.clear()
        for env in self._all_envs():
            env.kill()
        self.mappings.stop_all()
        self.timers.reset()
        self.async_queue.clear()
        self.clock.reset()
        self.stopped_loops.clear()
        self.own_processes.clear()

    def stop(self) -> None:
        """Stop every worker process and remove the kit's files; nothing is left running."""
        self._closing.set()
        self.provisioned.clear()
        self.mappings.stop_all()
        self.timers.stop()
        self.pythons.stop()
        for env in self._all_envs():
            env.kill()
        self.async_queue.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _client_context(header: str | None) -> Any:
    if not header:
        return None
    import base64

    try:
        return json.loads(base64.b64decode(header))
    except ValueError:
        return None


def _record_recursion_stopped(fn: Any) -> None:
    """AWS's RecursiveInvocationsDropped metric, in the local CloudWatch."""
    metrics.put(fn, "RecursiveInvocationsDropped")
