"""A pool of workers that has had no environment for a while stops its fork server and its
spares, and starts them again when a function next needs it (issue 13: a kernel whose functions
all run on another Python held an idle server and spare, 56 MB, after notebook 07a).

Nothing here waits for a stop to happen in a given time: a stop is waited for (`until`), and a
pool that must stay up is checked after it had every chance to stop (its wait set to nothing).
"""

from __future__ import annotations

import time

import psutil
import pytest

from helpers.runtime import environment, forkserver
from tests.conftest import call, until

pytestmark = pytest.mark.skipif(not forkserver.wanted(), reason="fork servers are Linux-only")

NOOP = "def handler(event, context):\n    return 'ok'\n"


@pytest.fixture
def pool(fresh):
    """The pool the tests' functions use (python3.12's), set to stop at once when idle."""
    pool = fresh.runtime.pythons.pool_for("python3.12")
    saved = pool.idle_base_s, pool.idle_s, pool.keep_latest
    pool.idle_base_s = pool.idle_s = 0.0
    pool.keep_latest = False  # these tests' pool is always the newest one used
    yield pool
    pool.idle_base_s, pool.idle_s, pool.keep_latest = saved


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _processes(pool) -> list[int]:
    """The pids of the pool's fork server and spares."""
    with pool._cond:
        server = [pool._fork_server.proc.pid] if pool._fork_server is not None else []
        return server + [worker.pid for worker in pool._ready]


def test_a_pool_without_environments_stops_and_leaves_nothing_running(deploy, lam, fresh, pool):
    deploy("idle", NOOP)
    assert call(lam, "idle")[1] == "ok"
    stops = pool.idle_stops
    time.sleep(0.3)  # with an environment, a pool set to stop at once stays up
    assert pool.running and pool.idle_stops == stops
    processes = _processes(pool)
    assert processes  # the server and its spare

    fresh.retire_environments("idle")  # its only environment ends
    assert until(lambda: not pool.running)
    assert pool.idle_stops == stops + 1
    assert until(lambda: all(_gone(pid) for pid in processes))

    # The next invoke starts the pool again, from a new server.
    assert call(lam, "idle")[1] == "ok"
    assert pool.running and not set(_processes(pool)) & set(processes)


def test_a_pool_asked_to_be_ready_stays_up_until_it_is_used(fresh, pool):
    fresh.runtime.reset()  # no environment at all
    assert pool.wait_ready()
    stops = pool.idle_stops
    time.sleep(0.3)
    assert pool.running and pool.idle_stops == stops  # prepared ahead of need: kept


def test_a_restart_soon_after_a_stop_doubles_the_wait(deploy, lam, fresh, pool):
    pool.idle_base_s = pool.idle_s = 0.01
    deploy("bouncing", NOOP)
    call(lam, "bouncing")
    fresh.retire_environments("bouncing")
    assert until(lambda: not pool.running)
    call(lam, "bouncing")  # within IDLE_BACKOFF_S of the stop
    assert pool.idle_s == 0.02
    fresh.retire_environments("bouncing")
    assert until(lambda: not pool.running)
    call(lam, "bouncing")
    assert pool.idle_s == 0.04
    assert environment.IDLE_BACKOFF_S >= 60  # and never more than a minute


def test_the_kits_pools_stop_when_idle_by_default(fresh):
    assert fresh.runtime.pool.idle_base_s == environment.IDLE_STOP_S > 0


def test_the_pool_that_served_the_newest_environment_stays_until_another_serves(
    deploy, lam, fresh, pool
):
    # A learner redeploys their function and invokes it again: its pool, the newest used,
    # keeps its server (a restart cost seconds on a loaded machine); once another pool serves
    # an environment, this one stops when idle.
    import threading
    from types import SimpleNamespace

    pool.keep_latest = True
    deploy("redeployed", NOOP)
    assert call(lam, "redeployed")[1] == "ok"
    stops = pool.idle_stops
    fresh.retire_environments("redeployed")
    time.sleep(0.3)  # its wait is nothing: it had every chance to stop
    assert pool.running and pool.idle_stops == stops

    environment._became_latest(SimpleNamespace(_cond=threading.Condition()))  # another pool
    assert until(lambda: not pool.running)
    assert pool.idle_stops == stops + 1
