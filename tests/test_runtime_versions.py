"""A function runs on the Python its Runtime names (python3.13 -> Python 3.13), as on AWS
(https://docs.aws.amazon.com/lambda/latest/dg/lambda-python.html), when this machine has it;
otherwise on the kit's own Python, with a kit note when an Init error may come of the gap."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import pytest

from helpers.packaging import zip_bytes
from helpers.runtime import interpreters
from tests.conftest import call, log_messages, role_allowing, until

ROOT = Path(__file__).resolve().parents[1]
KIT = interpreters.KIT_VERSION
RUNTIMES = ("python3.11", "python3.12", "python3.13")

VERSION_AND_GREETING = """
import sys

def handler(event, context):
    return {"version": list(sys.version_info[:2]), "greeting": f"Hello, {event["name"]}!"}
"""

VERSION = """
import sys

def handler(event, context):
    return list(sys.version_info[:2])
"""


def _python_of(runtime: str) -> interpreters.Interpreter | None:
    version = interpreters.wanted_version(runtime)
    return interpreters.find(version) if version else None


def _another_python() -> str:
    """A Runtime whose Python is on this machine and is not the kit's own (else skip)."""
    for runtime in RUNTIMES:
        found = _python_of(runtime)
        if found is not None and not found.own:
            return runtime
    pytest.skip(f"this machine has no Python 3.11-3.13 besides the kit's own {KIT}")


def test_pep701_fstring_runs_on_a_python3_12_or_later_runtime(deploy, lam):
    runtime = next((r for r in ("python3.12", "python3.13") if _python_of(r)), None)
    if runtime is None:
        pytest.skip("this machine has neither Python 3.12 nor 3.13 (pyenv install 3.12)")
    deploy("greeter", VERSION_AND_GREETING, Runtime=runtime)
    response, answer = call(lam, "greeter", {"name": "Ada"})
    assert "FunctionError" not in response, answer
    assert answer["greeting"] == "Hello, Ada!"
    assert answer["version"] == [3, int(runtime.split(".")[1])]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_the_python_a_handler_sees_is_its_runtimes(deploy, lam, runtime):
    if _python_of(runtime) is None:
        pytest.skip(f"this machine has no Python for {runtime}")
    deploy("which", VERSION, Runtime=runtime)
    _, version = call(lam, "which")
    assert tuple(version) == interpreters.wanted_version(runtime)


def test_boto3_in_another_python_reaches_the_local_aws(lam, fresh):
    runtime = _another_python()
    fresh.client("s3").create_bucket(Bucket="seen-from-another-python")
    role = role_allowing("lists-buckets", ["s3:ListAllMyBuckets"], "*")
    source = """
        import sys, boto3
        s3 = boto3.client("s3")  # at Init, as handlers usually do

        def handler(event, context):
            names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
            return {"version": list(sys.version_info[:2]), "buckets": names}
    """
    lam.create_function(
        FunctionName="lister", Runtime=runtime, Role=role, Handler="app.handler",
        Code={"ZipFile": zip_bytes({"app.py": textwrap.dedent(source)})},
    )  # fmt: skip
    response, answer = call(lam, "lister")
    assert "FunctionError" not in response, answer
    assert tuple(answer["version"]) == interpreters.wanted_version(runtime)
    assert "seen-from-another-python" in answer["buckets"]


def test_a_kit_package_stays_out_of_another_pythons_search_path(deploy, lam, fresh):
    """The kit's SDK folders serve boto3 and its dependencies; anything else of the kit's
    (psutil here) goes through handler_imports' rules, as on the kit's own Python: refused
    while imports are strict, as AWS's runtime has no such package."""
    runtime = _another_python()
    source = """
        def handler(event, context):
            try:
                import psutil  # noqa: F401
            except ImportError as exc:
                return type(exc).__name__
            return "imported"
    """
    deploy("importer", source, Runtime=runtime)
    fresh.runtime.strict_imports, strict = True, fresh.runtime.strict_imports
    try:
        _, answer = call(lam, "importer")
    finally:
        fresh.runtime.strict_imports = strict
    assert answer == "ModuleNotFoundError"


def test_3_12_syntax_in_a_python3_11_function_is_refused_on_python_3_11(deploy, lam):
    if _python_of("python3.11") is None:
        pytest.skip("this machine has no Python 3.11")
    deploy("too-new", VERSION_AND_GREETING, Runtime="python3.11")
    response, error = call(lam, "too-new", {"name": "Ada"})
    assert response["FunctionError"] == "Unhandled"
    assert error["errorType"] == "Runtime.UserCodeSyntaxError"  # AWS's python3.11 refuses it too
    assert "[lambda-kit]" not in error["errorMessage"]  # the right Python: nothing to explain


def _newer_runtime_and_syntax() -> tuple[str, str]:
    """A Runtime newer than the kit's Python, and a handler whose syntax only it accepts."""
    if KIT < (3, 12):
        return "python3.12", VERSION_AND_GREETING  # PEP 701
    if KIT < (3, 14):
        return "python3.14", 'def handler(event, context):\n    return str(t"{event}")\n'  # PEP 750
    pytest.skip(f"no Lambda runtime is newer than the kit's Python {KIT}")


@pytest.fixture
def no_other_python(monkeypatch):
    """This machine as it may be elsewhere: only the kit's own Python."""
    monkeypatch.setattr(
        interpreters, "find", lambda version: interpreters.OWN if version == KIT else None
    )


def test_without_the_runtimes_python_a_syntax_error_says_why(deploy, lam, fresh, no_other_python):
    runtime, source = _newer_runtime_and_syntax()
    deploy("newer", source, Runtime=runtime)
    response, error = call(lam, "newer", {"name": "Ada"}, LogType="Tail")
    assert response["FunctionError"] == "Unhandled"
    assert error["errorType"] == "Runtime.UserCodeSyntaxError"  # AWS's type, kept
    message, _, note = error["errorMessage"].partition("\n")
    assert message.startswith("Syntax error in module 'app'")  # AWS's words, first
    want, ran = runtime.removeprefix("python"), f"{KIT[0]}.{KIT[1]}"
    assert note == (
        f"[lambda-kit] This function's Runtime is {runtime}, but this machine has no Python "
        f"{want}: the kit ran it on Python {ran}, which refuses syntax that is newer than it (on "
        f"AWS, {runtime} is Python {want}). Install Python {want} (e.g. pyenv install {want}) "
        f"or choose Runtime python{ran}."
    )
    assert until(lambda: note in log_messages(fresh.client("logs"), "newer"))


def test_without_the_runtimes_python_other_errors_stay_as_they_are(deploy, lam, no_other_python):
    runtime, _ = _newer_runtime_and_syntax()
    deploy("typo", "def handler(event, context)\n    return 1\n", Runtime=runtime)
    deploy("init-fails", "RATE = {}['missing']\ndef handler(e, c):\n    pass\n", Runtime=runtime)
    _, typo = call(lam, "typo")
    _, init = call(lam, "init-fails")
    assert typo["errorType"] == "Runtime.UserCodeSyntaxError"  # a real one, never hidden
    assert init["errorType"] == "KeyError" and "[lambda-kit]" not in init["errorMessage"]


@pytest.mark.skipif(KIT >= (3, 12), reason="itertools.batched is in the kit's own Python")
def test_without_the_runtimes_python_a_newer_stdlib_name_says_why(deploy, lam, no_other_python):
    deploy("batches", "from itertools import batched\ndef handler(e, c):\n    pass\n")
    _, error = call(lam, "batches")
    assert error["errorType"] == "Runtime.ImportModuleError"
    assert "[lambda-kit] This function's Runtime is python3.12" in error["errorMessage"]


def test_compiled_modules_built_for_the_kits_python_keep_it_there(deploy, lam):
    """Kit-only: helpers.packaging.site_packages_zip copies the kit's own packages, whose
    compiled modules load only on the kit's Python (Pillow in 12b's layer)."""
    runtime = _another_python()
    tag = f"cpython-{KIT[0]}{KIT[1]}-x86_64-linux-gnu"
    files = {"app.py": textwrap.dedent(VERSION), f"native/_speedups.{tag}.so": "not loaded"}
    deploy("native", "", Runtime=runtime, files=files)
    _, version = call(lam, "native")
    assert tuple(version) == KIT


def test_a_handler_importing_a_kit_package_with_compiled_modules_runs_on_the_kits_python(
    deploy, lam
):
    """Kit-only: the kit lends its own packages (with a note: AWS has none of them), and
    pandas' compiled modules load only on the kit's Python (07a's `heavy` function)."""
    pytest.importorskip("pandas")
    runtime = _another_python()
    deploy("heavy", VERSION.replace("import sys", "import sys\nimport pandas"), Runtime=runtime)
    deploy("light", VERSION.replace("import sys", "import sys\nimport requests"), Runtime=runtime)
    _, heavy = call(lam, "heavy")
    _, light = call(lam, "light")  # pure Python: its Runtime's own
    assert tuple(heavy) == KIT and tuple(light) == interpreters.wanted_version(runtime)


def test_timeout_memory_and_report_lines_on_another_python(deploy, lam):
    runtime = _another_python()
    source = """
        import time

        def handler(event, context):
            if event.get("sleep"):
                time.sleep(event["sleep"])
            if event.get("mb"):
                hoard = bytearray(event["mb"] * 2**20)
                return len(hoard)
            return "ok"
    """
    deploy("limits", source, Runtime=runtime, Timeout=1, MemorySize=128)
    response, error = call(lam, "limits", {"sleep": 5}, LogType="Tail")
    assert error["errorType"] == "Sandbox.Timedout"
    log = _tail(response)
    assert "Task timed out after 1.00 seconds" in log and "Status: timeout" in log
    response, answer = call(lam, "limits", LogType="Tail")  # a new environment, same Python
    assert answer == "ok"
    log = _tail(response)
    assert all(f"\n{word} RequestId: " in f"\n{log}" for word in ("START", "END", "REPORT"))
    assert "Init Duration: " in log
    _, error = call(lam, "limits", {"mb": 400})
    assert error["errorType"] == "Runtime.OutOfMemory"


STOP_SCRIPT = """
import json, psutil, helpers
from helpers.iam import execution_role
from helpers.packaging import zip_bytes
aws = helpers.start()
aws.configure(control_plane_delay=0)  # not about function states
lam = aws.client("lambda")
lam.create_function(FunctionName="pid", Runtime=RUNTIME, Role=execution_role(),
    Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py":
    "import os, sys\\ndef handler(e, c):\\n"
    "    return [os.getpid(), os.getppid(), sys.executable]\\n"})})
answer = json.loads(lam.invoke(FunctionName="pid")["Payload"].read())
kids = [p.pid for p in psutil.Process().children(recursive=True)]
aws.stop()
print(json.dumps({"answer": answer, "kids": kids}))
"""


def test_stop_leaves_no_process_of_another_python_behind():
    runtime = _another_python()
    result = subprocess.run(
        [sys.executable, "-c", STOP_SCRIPT.replace("RUNTIME", repr(runtime))],
        capture_output=True, text=True, cwd=ROOT, env=dict(os.environ), timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    worker, _, executable = out["answer"]
    assert executable == _python_of(runtime).executable
    assert worker in out["kids"]  # and its fork server, where environments are forked
    assert until(lambda: not any(_running(pid) for pid in out["kids"]), timeout=10)


def test_the_lookup_finds_each_version_once(monkeypatch):
    monkeypatch.delenv(interpreters.SWITCH, raising=False)
    calls = []
    interpreters._lookup.cache_clear()
    original = interpreters._candidates
    monkeypatch.setattr(interpreters, "_candidates", lambda v: calls.append(v) or original(v))
    try:
        first = interpreters.find((3, 99))
        again = interpreters.find((3, 99))
    finally:
        interpreters._lookup.cache_clear()
    assert first is again is None and calls == [(3, 99)]
    assert interpreters.find(KIT) is interpreters.OWN
    assert interpreters.find((3, 10)) is None  # older than the kit's runtime files are checked on
    assert interpreters.wanted_version("python3.13") == (3, 13)
    assert interpreters.wanted_version("nodejs22.x") is None
    monkeypatch.setenv(interpreters.SWITCH, "0")  # every function on the kit's own Python
    assert interpreters.find((3, 12) if KIT != (3, 12) else (3, 13)) is None


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _tail(response: dict) -> str:
    import base64

    return base64.b64decode(response["LogResult"]).decode()


def test_a_version_is_looked_up_once_however_many_ask_at_once(monkeypatch):
    # 20 first invokes at once each probed every candidate before (outside check of issue 13).
    import threading

    from helpers.runtime import interpreters

    probes = []
    real_run = interpreters.subprocess.run

    def counting(*args, **kwargs):
        probes.append(args[0][0])
        return real_run(*args, **kwargs)

    version = next((v for v in [(3, 12), (3, 13)] if interpreters._candidates(v)), None)
    if version is None or version == interpreters.KIT_VERSION:
        pytest.skip("no other Python 3.12 or 3.13 on this machine to look up")
    interpreters._lookup.cache_clear()
    monkeypatch.setattr(interpreters.subprocess, "run", counting)
    try:
        threads = [threading.Thread(target=interpreters.find, args=(version,)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        once = len(probes)
        interpreters.find(version)
        assert once > 0 and len(probes) == once  # cached after the first look
        assert once <= len(interpreters._candidates(version)) + 1  # one look, not eight
    finally:
        interpreters._lookup.cache_clear()
