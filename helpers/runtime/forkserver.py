"""The kit's end of the fork server: one prepared interpreter that forks each new environment.

A spawned interpreter costs about half a second of CPU before it can serve (Python's start-up,
boto3's import, botocore's models); a fork of one that has paid it costs milliseconds, and its
pages are shared until written. Linux only: fork after macOS's system libraries is unsafe, and
there (or with KIT_FORK_SERVER=0) environments are spawned as before.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

BOOTSTRAP = Path(__file__).with_name("bootstrap.py")


def wanted() -> bool:
    """Whether this platform forks environments from a server (else each one is spawned)."""
    return (
        sys.platform.startswith("linux")
        and hasattr(socket, "send_fds")
        and os.environ.get("KIT_FORK_SERVER", "1") != "0"
    )


class ForkServerGone(Exception):
    """The fork server ended or never became ready."""


class ForkServer:
    """Starts bootstrap.py as a fork server and asks it for environments, one at a time."""

    def __init__(
        self, base_env: dict[str, str], timeout: float = 60.0, command: list[str] | None = None
    ) -> None:
        """`command`: the interpreter and its flags (interpreters.py), the kit's own by default."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        life_read, life_write = os.pipe()
        self.proc = subprocess.Popen(
            [*(command or [sys.executable, "-u"]), str(BOOTSTRAP), "--zygote",
             str(theirs.fileno()), str(life_read)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(theirs.fileno(), life_read),
            env=base_env,
            cwd=base_env.get("TMPDIR") or None,
            start_new_session=True,
        )  # fmt: skip
        theirs.close()
        os.close(life_read)
        self._lifeline = life_write  # when the kit's process dies, the server sees EOF
        self._sock = ours
        self._lock = threading.Lock()  # one spawn request at a time
        self._cond = threading.Condition()
        self._pids: list[int] = []
        self._exits: dict[int, int] = {}  # pid: wait status
        self._gone = False
        self._ready = False
        threading.Thread(target=self._read, name="kit-fork-server", daemon=True).start()
        with self._cond:
            self._cond.wait_for(lambda: self._ready or self._gone, timeout)
            if not self._ready:
                self.stop()
                raise ForkServerGone("the fork server did not become ready")

    def _read(self) -> None:
        while True:
            try:
                data = self._sock.recv(4096)
            except OSError:
                data = b""
            with self._cond:
                if not data:
                    self._gone = True
                    self._cond.notify_all()
                    return
                message = json.loads(data)
                if "ready" in message:
                    self._ready = True
                elif "pid" in message:
                    self._pids.append(int(message["pid"]))
                elif "exit" in message:
                    self._exits[int(message["exit"])] = int(message["status"])
                self._cond.notify_all()

    def spawn(self, ctrl_fd: int, lifeline_fd: int, output_fd: int, timeout: float = 10.0) -> int:
        """Fork a new environment that uses these descriptors; its pid."""
        with self._lock:
            try:
                socket.send_fds(self._sock, [b"spawn"], [ctrl_fd, lifeline_fd, output_fd])
            except OSError as exc:
                raise ForkServerGone(str(exc)) from exc
            with self._cond:
                if not self._cond.wait_for(lambda: self._pids or self._gone, timeout):
                    raise ForkServerGone("the fork server did not answer")
                if not self._pids:
                    raise ForkServerGone("the fork server ended")
                pid = self._pids.pop(0)
        if pid <= 0:
            raise ForkServerGone("the fork server could not fork")
        return pid

    def exit_status(self, pid: int, timeout: float | None) -> int | None:
        """The wait status of an environment that ended (None while it runs)."""
        with self._cond:
            self._cond.wait_for(lambda: pid in self._exits or self._gone, timeout)
            if pid not in self._exits and self._gone:
                return signal.SIGKILL  # the server's end killed it (PR_SET_PDEATHSIG)
            return self._exits.get(pid)

    def forget(self, pid: int) -> None:
        with self._cond:
            self._exits.pop(pid, None)

    @property
    def alive(self) -> bool:
        return not self._gone and self.proc.poll() is None

    def stop(self) -> None:
        """Stop the server (the environments it forked have lifelines of their own)."""
        if self._lifeline >= 0:
            lifeline, self._lifeline = self._lifeline, -1
            os.close(lifeline)
        try:
            self.proc.kill()
            self.proc.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self._sock.close()


class ForkedProcess:
    """What `subprocess.Popen` offers the kit (poll, wait, kill, stdout), for a forked worker."""

    def __init__(self, server: ForkServer, pid: int, stdout) -> None:
        self.server = server
        self.pid = pid
        self.stdout = stdout
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """Its exit code once it ended (negative: the signal), None while it runs."""
        return self._ended(0)

    def wait(self, timeout: float | None = None) -> int:
        code = self._ended(timeout)
        if code is None:
            raise subprocess.TimeoutExpired(f"environment {self.pid}", timeout or 0)
        return code

    def _ended(self, timeout: float | None) -> int | None:
        if self.returncode is None:
            status = self.server.exit_status(self.pid, timeout)
            if status is None:
                return None
            self.server.forget(self.pid)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
