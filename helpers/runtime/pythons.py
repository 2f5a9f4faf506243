"""Workers on the Python of each function's Runtime: one pool per interpreter.

The kit's own Python has the pool the runtime always had (a fork server and a spare), started
when a function first needs it. Another version (python3.13 on a kit that runs on 3.11,
interpreters.py) gets a pool of its own on first need: its own fork server, started then, so
that only the first cold start of that version pays an interpreter's start-up (about half a
second of CPU, more the first time that Python compiles the SDK's files), and later ones cost a
fork, as on the kit's own version. AWS's own cold starts differ anyway (a few hundred ms for
Python). A pool left without environments stops its server and spare after a moment, and starts
them again on next need (environment.IDLE_STOP_S).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from . import interpreters
from .environment import SparePool, Worker
from .interpreters import Interpreter


class Pythons:
    """The pools of workers, by interpreter; `take` gives a worker for one new environment."""

    def __init__(self, base_env: Callable[[], dict[str, str]], own: SparePool, spares: int):
        self._base_env = base_env
        self.own = own
        self._spares = spares
        self._pools: dict[str, SparePool] = {}  # by executable, the kit's own not among them
        self._spawners: dict[str, SparePool] = {}  # new interpreters (Runtime.own_processes)
        self._compiled: dict[tuple, set[tuple[int, int]]] = {}  # code and layers: versions built
        self._lock = threading.Lock()
        self._stopped = False

    def choose(
        self, runtime: str, key: tuple, folders: Callable[[], list[Path | None]]
    ) -> Interpreter:
        """The interpreter for a function version (`key`: its code and layers, which
        `folders` unpacks); the scan of its compiled modules is done once per key."""
        version = interpreters.wanted_version(runtime)
        if version is None or version == interpreters.KIT_VERSION:
            return interpreters.OWN  # the kit's own Python: nothing to look up
        if interpreters.find(version) is None:
            return interpreters.OWN
        with self._lock:
            compiled = self._compiled.get(key)
        if compiled is None:
            unpacked = folders()  # the code, then its layers
            compiled = interpreters.built_for(unpacked)
            if unpacked and interpreters.imports_kit_binaries(unpacked[0]):
                compiled.add(interpreters.KIT_VERSION)  # a package the kit lends (pandas)
            with self._lock:
                self._compiled[key] = compiled
        return interpreters.choose(runtime, compiled)

    def pool_for(self, runtime: str) -> SparePool:
        """The pool a function with this Runtime (and only Python files) takes its workers from:
        `pool_for("python3.12").wait_ready()` waits for that version's fork server and spare."""
        return self.pool(interpreters.choose(runtime, set()))

    def pool(self, python: Interpreter) -> SparePool:
        """The pool of workers on this interpreter (another version's starts on first need)."""
        if python.own:
            return self.own
        with self._lock:
            if self._stopped:
                raise RuntimeError("the kit is stopping")
            pool = self._pools.get(python.executable)
            if pool is None:
                env = python.environment(self._base_env())
                pool = SparePool(env, size=self._spares, command=python.command())
                self._pools[python.executable] = pool
        return pool

    def take(self, python: Interpreter, *, own_process: bool = False) -> Worker:
        """A ready worker on this interpreter: forked from its server, or (own_process) a new
        interpreter of its own, from a pool that keeps none ready ahead."""
        if not own_process:
            return self.pool(python).take()
        with self._lock:
            spawner = self._spawners.get(python.executable)
            if spawner is None:
                env = python.environment(self._base_env())
                spawner = SparePool(
                    env, size=0, forks=False, command=python.command(), idle_stop_s=None
                )
                self._spawners[python.executable] = spawner
        return spawner.take()

    def stop(self) -> None:
        """Stop every pool: their spares and fork servers."""
        with self._lock:
            self._stopped = True
            pools = [*self._pools.values(), *self._spawners.values()]
        self.own.stop()
        for pool in pools:
            pool.stop()
