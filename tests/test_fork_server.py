"""Environments are forked from one prepared server (Linux), or spawned where it can't run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import psutil
import pytest

from helpers.runtime import forkserver
from tests.conftest import call, until

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not forkserver.wanted(), reason="the fork server is Linux-only")

PID_AND_RANDOM = """
import os, random

def handler(event, context):
    return {"pid": os.getpid(), "parent": os.getppid(), "random": random.random()}
"""


def _server(fresh) -> forkserver.ForkServer:
    """The fork server of the Python the tests' functions run on (`deploy`'s python3.12: that
    version's own when this machine has it, else the kit's; helpers/runtime/interpreters.py)."""
    pool = fresh.runtime.pythons.pool_for("python3.12")
    pool.wait_ready()
    assert pool._fork_server is not None
    return pool._fork_server


def _server_pid(fresh) -> int:
    server = _server(fresh)
    assert server.alive
    return server.proc.pid


def test_every_environment_is_forked_from_the_one_server(deploy, lam, fresh):
    for name in ("first", "second"):
        deploy(name, PID_AND_RANDOM)
    _, first = call(lam, "first")
    _, second = call(lam, "second")
    server = _server_pid(fresh)
    assert first["parent"] == second["parent"] == server
    assert first["pid"] != second["pid"]
    # Forked environments don't share one random sequence (Python reseeds after fork).
    assert first["random"] != second["random"]
    # Its own session and process group, so that a kill takes the handler's children too.
    assert os.getsid(first["pid"]) == first["pid"]


def test_concurrent_first_invokes_each_get_an_environment_of_their_own(deploy, lam):
    names = [f"parallel-{n}" for n in range(8)]
    for name in names:
        deploy(name, PID_AND_RANDOM)
    answers: dict[str, dict] = {}

    def first_invoke(name: str) -> None:
        answers[name] = call(lam, name)[1]

    threads = [threading.Thread(target=first_invoke, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) == sorted(names)
    assert len({answer["pid"] for answer in answers.values()}) == len(names)


def test_a_killed_server_is_replaced_and_its_environments_end(deploy, lam, fresh):
    deploy("survivor", PID_AND_RANDOM)
    _, before = call(lam, "survivor")
    server = _server(fresh)
    os.kill(_server_pid(fresh), signal.SIGKILL)
    until(lambda: not server.alive)
    # Its environments die with it (PR_SET_PDEATHSIG): the next invoke is a cold start in an
    # environment forked from a new server, and answers as before.
    response, after = call(lam, "survivor")
    assert "FunctionError" not in response
    assert after["pid"] != before["pid"] and after["parent"] != before["parent"]
    assert not psutil.pid_exists(before["pid"]) or (
        psutil.Process(before["pid"]).status() == psutil.STATUS_ZOMBIE
    )


def test_exit_status_of_a_forked_environment_reads_as_on_aws(deploy, lam):
    deploy("quits", "import os\ndef handler(e, c):\n    os._exit(3)\n")
    _, body = call(lam, "quits")
    assert body["errorType"] == "Runtime.ExitError"
    assert "exit status 3" in body["errorMessage"]


SPAWNED = """
import json, os, psutil, helpers
from helpers.iam import execution_role
from helpers.packaging import zip_bytes
aws = helpers.start()
aws.configure(control_plane_delay=0)  # not about function states
lam = aws.client("lambda")
lam.create_function(FunctionName="spawned", Runtime="python3.12", Role=execution_role(),
    Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py":
    "import os\\ndef handler(e, c):\\n    return os.getppid()\\n"})})
answer = json.loads(lam.invoke(FunctionName="spawned")["Payload"].read())
print(json.dumps({"parent": answer, "kit": os.getpid(),
                  "server": aws.runtime.pool._fork_server is not None}))
aws.stop()
"""


def test_without_the_fork_server_environments_are_spawned():
    env = dict(os.environ, KIT_FORK_SERVER="0")
    out = subprocess.run(
        [sys.executable, "-c", SPAWNED], capture_output=True, text=True, cwd=ROOT, env=env,
        timeout=120, check=True,
    )  # fmt: skip
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"parent": result["kit"], "kit": result["kit"], "server": False}


HASH_OF_A_STR = """
import os

def handler(event, context):
    return {"pid": os.getpid(), "parent": os.getppid(), "hash": hash("idem-key-1")}
"""


def test_own_processes_start_new_interpreters_with_their_own_hash_salt(deploy, lam, fresh):
    """Forked environments share the server's str hash salt; on AWS each environment is a
    process of its own, with its own. `own_processes` gives a function's new environments
    that: a check whose verdict depends on it (09 q1, a charge keyed on hash()) uses it."""
    deploy("salted", HASH_OF_A_STR)
    deploy("other", HASH_OF_A_STR)
    _, forked = call(lam, "salted")
    _, other = call(lam, "other")
    server = _server_pid(fresh)
    assert forked["parent"] == other["parent"] == server
    assert forked["hash"] == other["hash"]  # one salt: the server's
    with fresh.own_processes("salted"):
        fresh.retire_environments("salted")
        _, own = call(lam, "salted")
        _, still_forked = call(lam, "other")  # other functions keep forking
        fresh.retire_environments("salted")
        _, own_again = call(lam, "salted")
    assert own["parent"] != server and own["pid"] != forked["pid"]
    assert own["hash"] != forked["hash"] and own_again["hash"] not in (own["hash"], forked["hash"])
    assert still_forked["parent"] == server
    fresh.retire_environments("salted")
    _, after = call(lam, "salted")  # the switch ends with the block
    assert after["parent"] == server and after["hash"] == forked["hash"]
