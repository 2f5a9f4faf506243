"""Each execution environment has its own /tmp, as on AWS (helpers/runtime/private_tmp.py)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from helpers.runtime import private_tmp
from tests.conftest import call

SCRATCH = """
import os, subprocess, tempfile

def handler(event, context):
    name = event["name"]
    seen = {
        "mine": os.path.exists(f"/tmp/{name}"),
        "host": os.path.exists(f"/tmp/{event['host']}"),
        "tempdir": tempfile.gettempdir(),
    }
    if event.get("write"):
        with open(f"/tmp/{name}", "w") as f:
            f.write(event["write"])
    seen["listing"] = os.listdir("/tmp")
    # A child process: it shares the environment's /tmp only where a mount namespace is used.
    shell = subprocess.run(["ls", "-a", "/tmp"], capture_output=True, text=True).stdout.split()
    seen["shell_sees_host"] = event["host"] in shell
    return seen
"""


@pytest.fixture
def host_file():
    """A file the learner's machine has at /tmp: no function may see it."""
    path = Path("/tmp") / f"kit-host-{uuid.uuid4().hex[:8]}"
    path.write_text("the laptop's")
    yield path.name
    path.unlink()


def test_a_file_in_tmp_is_the_environments_own(deploy, lam, host_file):
    for name in ("writer", "reader"):
        deploy(name, SCRATCH)
    marker = f"x-{uuid.uuid4().hex[:6]}"
    event = {"name": marker, "host": host_file}

    _, first = call(lam, "writer", {**event, "write": "A"})
    assert first["mine"] is False and marker in first["listing"]
    assert first["host"] is False  # the laptop's /tmp is not the function's
    assert not (Path("/tmp") / marker).exists()  # nor the function's the laptop's

    _, again = call(lam, "writer", event)
    assert again["mine"] is True  # a warm environment keeps its /tmp

    _, other = call(lam, "reader", event)
    assert other["mine"] is False and marker not in other["listing"]  # another function

    lam.update_function_configuration(FunctionName="writer", Description="a new environment")
    lam.get_waiter("function_updated_v2").wait(FunctionName="writer")
    _, fresh_env = call(lam, "writer", event)
    assert fresh_env["mine"] is False  # a new environment starts with an empty /tmp


@pytest.mark.skipif(not private_tmp.usable(), reason="no mount namespace on this machine")
def test_with_a_mount_namespace_child_processes_share_the_private_tmp(deploy, lam, host_file):
    deploy("shell", SCRATCH)
    _, seen = call(lam, "shell", {"name": "y", "host": host_file})
    assert seen["shell_sees_host"] is False
    assert seen["tempdir"] == "/tmp"  # tempfile's folder is /tmp itself, as on AWS


def _private_tmp_in_a_child(script: str, tmp_path: Path) -> str:
    """Run `script` in a fresh interpreter after private_tmp.redirect, as `enter` calls it."""
    env_dir, kept = tmp_path / "env", tmp_path / "kept"
    env_dir.mkdir()
    kept.mkdir()
    (kept / "code.py").write_text("print('kept')\n")
    spec = importlib.util.find_spec("helpers.runtime.private_tmp")
    prelude = textwrap.dedent(
        f"""
        import importlib.util, os, pathlib, shutil, sys
        spec = importlib.util.spec_from_file_location("pt", {spec.origin!r})
        pt = importlib.util.module_from_spec(spec); spec.loader.exec_module(pt)
        pt.redirect({str(env_dir)!r}, [{str(kept)!r}, {str(env_dir)!r}])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(str(Path("/tmp").resolve()) != "/tmp", reason="/tmp is a link here")
def test_without_a_namespace_python_file_functions_are_redirected(tmp_path: Path):
    out = _private_tmp_in_a_child(
        f"""
        name = "kit-redirect-{uuid.uuid4().hex[:6]}"
        with open(f"/tmp/{{name}}", "w") as f:
            f.write("1")
        pathlib.Path(f"/tmp/{{name}}.d").mkdir()
        os.rename(f"/tmp/{{name}}", f"/tmp/{{name}}.d/moved")
        shutil.copy(f"/tmp/{{name}}.d/moved", f"/tmp/{{name}}.copy")
        print(sorted(os.listdir("/tmp")) == sorted([name + ".d", name + ".copy"]))
        print(os.path.exists(f"{tmp_path}/env/{{name}}.d/moved"))
        print(not os.path.exists("/tmp/" + name) and os.path.exists(f"{tmp_path}/kept/code.py"))
        """,
        tmp_path,
    )
    assert out.split() == ["True", "True", "True"]
    assert not any(p.name.startswith("kit-redirect-") for p in Path("/tmp").iterdir())


def test_paths_the_kit_needs_under_tmp_are_kept_fewest_first(tmp_path: Path):
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    kept = private_tmp._kept_under_tmp(
        [str(inner), str(tmp_path / "a"), "", "__editable__.finder.__path_hook__", "/usr"]
    )
    expected = [str((tmp_path / "a").resolve())] if str(tmp_path).startswith("/tmp/") else []
    assert kept == expected


def test_kit_private_tmp_redirect_reaches_the_environment(monkeypatch, tmp_path: Path):
    """The switch the fallback's tests use is handed to every environment."""
    from helpers.runtime.service import Runtime

    runtime = Runtime.__new__(Runtime)  # only its folder: no server, no workers
    runtime.root = tmp_path
    monkeypatch.delenv("KIT_PRIVATE_TMP", raising=False)
    assert "KIT_PRIVATE_TMP" not in runtime._base_env()
    monkeypatch.setenv("KIT_PRIVATE_TMP", "redirect")
    assert runtime._base_env()["KIT_PRIVATE_TMP"] == "redirect"


TWO_FUNCTIONS = """
import json, os, uuid, helpers
from helpers.iam import execution_role
from helpers.packaging import zip_bytes
aws = helpers.start()
aws.configure(control_plane_delay=0)  # not about function states
lam = aws.client("lambda")
code = '''
import os
def handler(event, context):
    seen = os.path.exists("/tmp/" + event["name"])
    if event.get("write"):
        open("/tmp/" + event["name"], "w").close()
    return seen
'''
for name in ("writer", "reader"):
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=execution_role(),
        Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py": code})})
def call(function, **event):
    answer = lam.invoke(FunctionName=function, Payload=json.dumps(event))
    return json.loads(answer["Payload"].read())
name = "kit-" + uuid.uuid4().hex[:8]
print(json.dumps([call("writer", name=name, write=True), call("writer", name=name),
                  call("reader", name=name), os.path.exists("/tmp/" + name)]))
aws.stop()
"""


@pytest.mark.parametrize(
    "setting",
    [{"KIT_PRIVATE_TMP": "redirect"}, {"KIT_FORK_SERVER": "0"}],
    ids=["redirected-without-a-namespace", "spawned-without-the-fork-server"],
)
def test_each_way_of_starting_an_environment_gives_it_its_own_tmp(setting):
    env = dict(os.environ, **setting)
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", TWO_FUNCTIONS], capture_output=True, text=True, cwd=root, env=env,
        timeout=120, check=True,
    )  # fmt: skip
    # before the write, after it (warm), another function, the laptop
    assert out.stdout.strip().splitlines()[-1] == "[false, true, false, false]"


def test_the_functions_code_is_read_only_as_var_task_is(deploy, lam):
    # AWS: only /tmp is writable; a write next to the code fails with EROFS (learner trial 9,
    # SD14). Needs the private mount namespace (where there is none, it stays writable).
    if not private_tmp.usable():
        pytest.skip("no private mount namespace on this machine")
    deploy("writer", WRITES_NEXT_TO_CODE)
    result = call(lam, "writer")[1]
    assert result == {"here": "30 Read-only file system", "tmp": "ok"}


WRITES_NEXT_TO_CODE = """
def handler(event, context):
    out = {}
    for name, path in (("here", "avatar.jpg"), ("tmp", "/tmp/avatar.jpg")):
        try:
            with open(path, "w") as f:
                f.write("x")
            out[name] = "ok"
        except OSError as err:
            out[name] = f"{err.errno} {err.strerror}"
    return out
"""
