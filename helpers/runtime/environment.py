"""Execution environments: worker interpreters, their output, and the pool of spares.

An environment is one worker process serving one function version, one invoke at a time, as on
AWS. Spares are interpreters started ahead of need with boto3 already imported, so a cold start
costs the function's own Init, not an interpreter's start-up. A spare is used once, by one
function, and never handed to another: no state or credentials cross between functions.
"""

from __future__ import annotations

import functools
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from enum import Enum
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import psutil

from . import ephemeral
from .forkserver import ForkedProcess, ForkServer, ForkServerGone, wanted

BOOTSTRAP = Path(__file__).with_name("bootstrap.py")
MARKER = b"\x00KIT:"
# What the kit keeps of one phase's output (AWS keeps it all; a notebook's memory would not).
OUTPUT_CAP = 8 * 2**20


class Outcome(Enum):
    """What became of one request to an environment's runtime (Init or invoke)."""

    REPLY = "reply"  # it answered (a handler's error is an answer too)
    TIMEOUT = "timeout"
    DIED = "died"  # the process ended without answering
    OUT_OF_MEMORY = "out of memory"


class WorkerDied(Exception):
    """The worker's interpreter ended while the kit was waiting for it."""


class Output:
    """Reads a worker's stdout/stderr pipe and splits it into phases at the runtime's markers."""

    def __init__(self, stream) -> None:
        self._fd = stream.fileno()
        self._stream = stream
        self._cond = threading.Condition()
        self._current = bytearray()
        self._dropped = 0
        self._done: dict[int, tuple[bytes, int]] = {}
        self._closed = False
        self._pending = b""
        threading.Thread(target=self._read, name="kit-worker-output", daemon=True).start()

    def _keep(self, data: bytes) -> None:
        room = OUTPUT_CAP - len(self._current)
        if room > 0:
            self._current += data[:room]
        self._dropped += max(len(data) - max(room, 0), 0)

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._fd, 1 << 16)
            except OSError:
                chunk = b""
            with self._cond:
                if not chunk:
                    self._keep(self._pending)
                    self._pending = b""
                    self._closed = True
                    self._cond.notify_all()
                    break
                self._split(self._pending + chunk)
        self._stream.close()

    def _split(self, data: bytes) -> None:
        while True:
            at = data.find(MARKER)
            if at < 0:
                # Hold back a tail that could be the start of a marker split across reads.
                keep = len(MARKER) + 12
                self._keep(data[:-keep] if len(data) > keep else b"")
                self._pending = data[-keep:] if len(data) > keep else data
                return
            end = data.find(b"\x00\n", at + len(MARKER))
            if end < 0:
                self._keep(data[:at])
                self._pending = data[at:]
                return
            self._keep(data[:at])
            seq = int(data[at + len(MARKER) : end])
            self._done[seq] = (bytes(self._current), self._dropped)
            self._current = bytearray()
            self._dropped = 0
            self._cond.notify_all()
            data = data[end + 2 :]

    def phase(self, seq: int, timeout: float = 2.0) -> tuple[bytes, int]:
        """The output of the phase the runtime closed with marker `seq`, and bytes dropped."""
        with self._cond:
            self._cond.wait_for(lambda: seq in self._done or self._closed, timeout)
            return self._done.pop(seq, (b"", 0))

    def rest(self, timeout: float = 1.0) -> tuple[bytes, int]:
        """Whatever was written after the last marker, once the worker is gone."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed, timeout)
            out = bytes(self._current) + self._pending
            dropped = self._dropped
            self._current, self._pending, self._dropped = bytearray(), b"", 0
            return out, dropped


# Finding a process's children reads every process of the machine (psutil scans /proc): 12 ms
# with 134 processes on a busy 2-core machine, once per sample of an invoke's memory, and it
# delayed every cold start. The worker's own memory is read at each sample; its children are
# looked for at most this often, and their memory read at each sample.
CHILDREN_LOOKED_FOR_EVERY_S = 0.1


class Worker:
    """One interpreter process running bootstrap.py, and the kit's end of its pipes."""

    def __init__(
        self,
        base_env: dict[str, str],
        server: ForkServer | None = None,
        command: list[str] | None = None,
    ) -> None:
        """`command`: the interpreter that is spawned and its flags (without a server)."""
        ctrl_parent, ctrl_child = _socketpair()
        life_read, life_write = os.pipe()
        try:
            if server is not None:  # forked from the prepared server: milliseconds
                out_read, out_write = os.pipe()
                try:
                    pid = server.spawn(ctrl_child, life_read, out_write)
                except ForkServerGone:
                    os.close(out_read)
                    raise
                finally:
                    os.close(out_write)
                self.proc: Any = ForkedProcess(server, pid, os.fdopen(out_read, "rb", 0))
            else:  # a new interpreter, which prepares itself (about half a second of CPU)
                self.proc = subprocess.Popen(
                    [
                        *(command or [sys.executable, "-u"]),
                        str(BOOTSTRAP),
                        str(ctrl_child),
                        str(life_read),
                    ],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    pass_fds=(ctrl_child, life_read),
                    env=base_env,
                    cwd=base_env.get("TMPDIR") or None,
                    start_new_session=True,  # its own process group: a kill takes its children
                )
        except BaseException:
            os.close(ctrl_parent)
            os.close(life_write)
            raise
        finally:
            os.close(ctrl_child)
            os.close(life_read)
        self._lifeline = life_write  # held only here; when the kit dies the worker sees EOF
        self.conn = Connection(ctrl_parent)
        self.output = Output(self.proc.stdout)
        self.pid = self.proc.pid
        self.ready = False
        self._ps: psutil.Process | None = None
        self._children: list[psutil.Process] = []
        self._children_seen_at: float | None = None  # monotonic time of the last look for them
        self.last_rss_kb = 0
        self.on_end: Any = None  # called once when the worker is killed (its pool counts it)

    def wait_ready(self, timeout: float = 60.0) -> None:
        if not self.ready:
            kind, _ = self.recv(timeout)
            if kind != "ready":
                raise WorkerDied(f"unexpected first message {kind!r}")
            self.ready = True

    def send(self, kind: str, body: dict) -> None:
        try:
            self.conn.send((kind, body))
        except OSError as exc:
            raise WorkerDied(str(exc)) from exc

    def poll(self, timeout: float) -> bool:
        try:
            return self.conn.poll(timeout)
        except (OSError, EOFError):
            return True  # recv() reports the death

    def recv(self, timeout: float | None = None) -> tuple[str, dict]:
        if timeout is not None and not self.poll(timeout):
            raise TimeoutError
        try:
            return self.conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkerDied(str(exc)) from exc

    def rss_kb(self) -> int:
        """Resident memory of the worker and its children, as AWS's Max Memory Used counts."""
        try:
            if self._ps is None:
                self._ps = psutil.Process(self.pid)
            total = self._ps.memory_info().rss
            now = time.monotonic()
            if self._children_seen_at is None:
                self._children_seen_at = now  # the first sample: nothing has run to start any
            elif now - self._children_seen_at >= CHILDREN_LOOKED_FOR_EVERY_S:
                self._children = self._ps.children(recursive=True)
                self._children_seen_at = now
            for child in self._children:
                try:
                    if _shares_address_space(self.pid, child.pid):
                        continue  # a vfork()ed child before its exec: its pages are the worker's
                    total += _own_memory(child)
                except psutil.Error:
                    pass
        except psutil.Error:
            return self.last_rss_kb
        self.last_rss_kb = max(self.last_rss_kb, total // 1024)
        return total // 1024

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """Stop the worker and every process it started; never raises."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            pass
        try:
            self.proc.kill()
        except OSError:
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        try:
            self.conn.close()
        except OSError:
            pass
        if self._lifeline >= 0:
            # Closed once only: a second close could hit a descriptor reused by something else.
            lifeline, self._lifeline = self._lifeline, -1
            os.close(lifeline)
        ended, self.on_end = self.on_end, None
        if ended is not None:
            ended(self)

    def exit_description(self) -> str:
        """How the runtime ended, in the words AWS uses ("exit status 1", "signal: killed")."""
        try:
            code = self.proc.wait(2)
        except subprocess.TimeoutExpired:
            return "signal: killed"
        if code >= 0:
            return f"exit status {code}"
        return f"signal: {_SIGNAL_WORDS.get(-code, signal.Signals(-code).name.lower())}"


_SIGNAL_WORDS = {
    signal.SIGKILL: "killed",
    signal.SIGSEGV: "segmentation fault",
    signal.SIGABRT: "aborted",
    signal.SIGTERM: "terminated",
    signal.SIGBUS: "bus error",
}


def _socketpair() -> tuple[int, int]:
    import socket

    a, b = socket.socketpair()
    fa, fb = a.detach(), b.detach()
    os.set_inheritable(fb, True)
    return fa, fb


@dataclass
class ExecutionEnvironment:
    """A worker bound to one function version's code and configuration."""

    key: tuple
    worker: Worker
    function_name: str
    version: str
    log_stream: str
    env_id: str = field(default_factory=lambda: secrets.token_hex(16))
    initialized: bool = False
    busy: bool = False
    provisioned: bool = False  # pre-initialised by provisioned concurrency, never reclaimed idle
    invokes: int = 0
    lent: bool = False  # its handler imported a package only the kit has (AWS would fail)
    last_used: float = field(default_factory=time.time)  # kit clock time (see Runtime)
    tmpdir: Path | None = None
    python: Any = None  # the interpreter it runs on (interpreters.Interpreter)

    def kill(self) -> None:
        self.worker.kill()
        if self.tmpdir is not None:
            ephemeral.forget(self.tmpdir)
            _remove_tree(self.tmpdir)


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


# kcmp(2)'s system call number, per machine; KCMP_VM compares two processes' address spaces.
_KCMP_SYSCALL = {"x86_64": 312, "aarch64": 272, "i686": 349, "armv7l": 378}.get(os.uname().machine)
_KCMP_VM = 1


def _shares_address_space(pid: int, other: int) -> bool:
    """Whether `other` runs in `pid`'s own memory: a child made by vfork(), which Python's
    subprocess uses on Linux, until it calls exec. Its /proc figures are then the parent's, and
    counting them would double the function's memory (a false OutOfMemory at 128 MB)."""
    if _KCMP_SYSCALL is None or not sys.platform.startswith("linux"):
        return False  # macOS's subprocess does not vfork
    libc = _libc()
    return libc is not None and libc.syscall(_KCMP_SYSCALL, pid, other, _KCMP_VM, 0, 0) == 0


@functools.cache
def _libc() -> Any:
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _own_memory(child: psutil.Process) -> int:
    """A child's memory that is its own: a forked child shares its parent's pages until it
    writes them, and AWS's cgroup counts those once; RSS would count them twice (and stop a
    function that merely starts a subprocess for using twice its memory)."""
    try:
        return child.memory_full_info().uss  # private pages only (Linux, macOS)
    except (psutil.AccessDenied, AttributeError):
        return child.memory_info().rss


# A pool that has had no environment for this long stops its fork server and spares (a
# kernel whose functions all moved to another Python held them for nothing: 56 MB after 07a);
# the next environment it is asked for starts them again, as a lazy pool starts (about half a
# second of CPU). Each restart within IDLE_BACKOFF_S of a stop doubles the wait, up to that:
# back-and-forth between no environment and one costs a few restarts, not one each time.
IDLE_STOP_S = 0.5
# A spare taken for a cold start is replaced this long after, not at once: preparing the next
# one (a fork, a namespace, the kit's side of its pipes) took CPU and the kit's GIL from the cold
# start it was taken for. A request that finds no spare has one made at once, as before.
REFILL_DELAY_S = 0.05
IDLE_BACKOFF_S = 60.0
# The pool that handed out the newest environment never stops for being idle: a learner who
# redeploys their function (its environment retired) and invokes again would otherwise wait for
# a new fork server, 1.5-3.4 s on a loaded machine (outside check of issue 13, 2026-12-08). A
# pool stops once another one has served a newer environment (07a: its `heavy` on the kit's
# Python, then python3.13's functions), and is woken to see it.
_LATEST: list[SparePool | None] = [None]


def _became_latest(pool: SparePool) -> None:
    """`pool` handed out the newest worker: the one before it may now stop when idle."""
    previous, _LATEST[0] = _LATEST[0], pool
    if previous is not None and previous is not pool:
        with previous._cond:
            previous._cond.notify_all()


class SparePool:
    """Interpreters started ahead of need, with boto3 imported and its caches filled.

    All workers are started from this pool's own long-lived thread: the kit's request threads come
    and go, and a worker must not depend on the thread that started it.
    """

    def __init__(
        self,
        base_env: dict[str, str],
        size: int = 1,
        *,
        forks: bool = True,
        command: list[str] | None = None,
        lazy: bool = False,
        idle_stop_s: float | None = IDLE_STOP_S,
    ) -> None:
        self.base_env = base_env
        self.command = command  # the interpreter of every worker (interpreters.py); None: the kit's
        self.size = size
        self._ready: list[Worker] = []
        self._wanted = 0
        self._cond = threading.Condition()
        self._stopped = False
        self._forks = forks and wanted()  # False: every worker is a new interpreter
        self._fork_server: ForkServer | None = None
        # lazy: no server and no spare until a worker is first asked for (take, wait_ready). A
        # kit on 3.11 whose functions all name python3.13 never needs its own Python's pool:
        # started at once, it held 55 MB of a kernel's PSS for nothing (issue 13's targets).
        self._active = not lazy
        # Idle stop (IDLE_STOP_S; None: never): the workers taken and still running, whether
        # wait_ready asked for the pool since the last take, since when it has had neither, the
        # wait before stopping now, and when it last stopped (monotonic).
        self._out: set[Worker] = set()
        self._pinned = not lazy  # a pool started ahead of need is kept until its first take
        self._idle_since: float | None = None
        self.idle_base_s = idle_stop_s
        self.idle_s = idle_stop_s
        self._idle_stopped_at: float | None = None
        self.idle_stops = 0  # how many times it stopped for want of environments
        self.keep_latest = True  # False: stops when idle even if it served the newest worker
        self._last_take = 0.0  # monotonic: the spare taken is replaced after REFILL_DELAY_S
        self._thread = threading.Thread(target=self._run, name="kit-spares", daemon=True)
        self._thread.start()

    def _server(self) -> ForkServer | None:
        """The fork server, started on first need from this thread (PR_SET_PDEATHSIG ties a
        child to the thread that started it); None where environments are spawned."""
        if self._fork_server is not None and not self._fork_server.alive:
            self._fork_server.stop()
            self._fork_server = None
        if self._fork_server is None and self._forks:
            try:
                self._fork_server = ForkServer(self.base_env, command=self.command)
            except (ForkServerGone, OSError):
                self._forks = False  # spawn from now on
        return self._fork_server

    # ----------------------------------------------------------------------- idle stop
    def _activate(self) -> None:
        """Someone needs this pool (under the lock): started again if it had stopped."""
        if not self._active and self._idle_stopped_at is not None and self.idle_s is not None:
            soon = time.monotonic() - self._idle_stopped_at < IDLE_BACKOFF_S
            base = self.idle_base_s or 0.0
            self.idle_s = min(max(self.idle_s * 2, base), IDLE_BACKOFF_S) if soon else base
        self._active = True
        self._idle_since = None

    def _ended(self, worker: Worker) -> None:
        """A worker this pool handed out was killed."""
        with self._cond:
            self._out.discard(worker)
            self._note_idle()

    def _note_idle(self) -> None:
        if not self._out and not self._pinned and not self._wanted and self._idle_since is None:
            self._idle_since = time.monotonic()
            self._cond.notify_all()

    def _idle_deadline(self) -> float | None:
        if self.idle_s is None or not self._active or self._idle_since is None:
            return None
        if self.keep_latest and _LATEST[0] is self:
            return None
        if self._out or self._pinned or self._wanted:
            return None
        return self._idle_since + self.idle_s

    def _stop_idle(self) -> None:
        """Stop the server and the spares (from this pool's thread); the pool is lazy again."""
        with self._cond:
            spares, self._ready = self._ready, []
            self._active = False
            self._idle_since = None
            self._idle_stopped_at = time.monotonic()
            self.idle_stops += 1
            server, self._fork_server = self._fork_server, None
        for worker in spares:
            worker.kill()
        if server is not None:
            server.stop()

    @property
    def running(self) -> bool:
        """Whether the pool holds a fork server or a spare now."""
        with self._cond:
            return self._fork_server is not None or bool(self._ready)

    # ------------------------------------------------------------------------ workers
    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._stopped:
                        return
                    refill_at = self._last_take + REFILL_DELAY_S
                    if self._active and len(self._ready) < self.size + self._wanted:
                        if len(self._ready) < self._wanted or time.monotonic() >= refill_at:
                            idle = False
                            break
                        self._cond.wait(max(refill_at - time.monotonic(), 0.001))
                        continue
                    deadline = self._idle_deadline()
                    if deadline is not None and time.monotonic() >= deadline:
                        idle = True
                        break
                    left = None if deadline is None else max(deadline - time.monotonic(), 0.001)
                    self._cond.wait(left)
            if idle:
                self._stop_idle()
                continue
            try:
                worker = Worker(self.base_env, self._server(), self.command)
            except ForkServerGone:
                continue  # the next round starts a new server, or spawns
            try:
                worker.wait_ready()
            except (WorkerDied, TimeoutError):
                worker.kill()
                time.sleep(0.5)
                continue
            with self._cond:
                if self._stopped:
                    worker.kill()
                    return
                self._ready.append(worker)
                self._cond.notify_all()

    def take(self, timeout: float = 60.0) -> Worker:
        """A ready interpreter for a new environment (waits if none is ready yet)."""
        with self._cond:
            self._activate()
            self._wanted += 1
            self._pinned = False
            self._last_take = time.monotonic()
            self._cond.notify_all()
            deadline = time.monotonic() + timeout
            try:
                while True:
                    left = deadline - time.monotonic()
                    if not self._cond.wait_for(lambda: self._ready or self._stopped, left):
                        raise TimeoutError("no interpreter became ready for a new environment")
                    if self._stopped:
                        raise WorkerDied("the kit is stopping")
                    worker = self._ready.pop(0)
                    if worker.alive():
                        break
                    worker.kill()  # it died waiting (e.g. its fork server was killed)
                    self._cond.notify_all()  # the pool's thread makes another
                self._out.add(worker)
                worker.on_end = self._ended
            finally:
                self._wanted -= 1
                self._note_idle()
                self._cond.notify_all()
        _became_latest(self)  # outside this pool's lock: it takes the previous pool's
        return worker

    def wait_ready(self, timeout: float = 30.0) -> bool:
        """Wait until the pool holds its full count of ready spares (a lazy pool starts now);
        the pool then stays up, idle or not, until its next `take`."""
        with self._cond:
            self._activate()
            self._pinned = True
            self._cond.notify_all()
            return self._cond.wait_for(
                lambda: self._stopped or len(self._ready) >= self.size, timeout
            )

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            spares, self._ready = self._ready, []
            self._cond.notify_all()
        for worker in spares:
            worker.kill()
        self._thread.join(5)  # it may be starting a worker or the server: let it finish first
        if self._fork_server is not None:
            self._fork_server.stop()
