"""The local AWS: one per process, loopback only, nothing of the learner's AWS set-up leaks in,
no process outlives it, and the same thing runs as a server for the AWS CLI."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

import helpers
from helpers.cloud import RealAWSBlocked
from helpers.iam import TRUST_POLICY
from tests.conftest import log_messages, until

ROOT = Path(__file__).resolve().parents[1]


def test_start_twice_gives_the_same_instance(aws):
    assert helpers.start() is aws
    assert aws.endpoint_url.startswith("http://127.0.0.1:")
    assert aws.running


def test_plain_boto3_talks_to_the_kit(aws):
    import boto3

    helpers.start()
    s3 = boto3.client("s3")
    assert s3.meta.endpoint_url == aws.endpoint_url
    assert s3.meta.region_name == "us-east-1"
    assert boto3.client("sts").get_caller_identity()["Account"] == "123456789012"


def test_start_again_keeps_its_session_but_replaces_one_pointed_elsewhere(aws):
    import boto3

    helpers.start()
    kept = boto3.DEFAULT_SESSION
    helpers.start()  # an exercise check does this each time it runs: nothing to redo
    assert boto3.DEFAULT_SESSION is kept
    boto3.setup_default_session(region_name="eu-west-1")
    helpers.start()  # the set-up cell run again: boto3 points at the local AWS once more
    assert boto3.DEFAULT_SESSION is not kept
    assert boto3.client("lambda").meta.region_name == "us-east-1"
    assert boto3.client("lambda").meta.endpoint_url == aws.endpoint_url


def test_new_sessions_share_the_parsed_service_models(aws):
    import boto3

    first, second = boto3.Session(), boto3.Session()
    assert first.client("lambda").meta.service_model.service_name == "lambda"
    # The second session finds lambda's model already parsed: the same object, not a re-read.
    assert first._loader._cache is second._loader._cache
    model = first._loader.load_service_model("lambda", "service-2")
    assert second._loader.load_service_model("lambda", "service-2") is model


def test_requests_to_anywhere_else_are_refused_before_leaving(aws):
    import boto3

    helpers.start()
    s3 = boto3.client("s3", endpoint_url="https://s3.amazonaws.com")
    with pytest.raises(RealAWSBlocked, match=r"stopped a request to https://s3\.amazonaws\.com"):
        s3.list_buckets()
    with pytest.raises(RealAWSBlocked):
        boto3.Session().client(
            "sts", endpoint_url="https://sts.amazonaws.com"
        ).get_caller_identity()


def _run_script(source: str, env: dict[str, str], timeout: float = 90) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(source)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_learners_aws_setup_neither_leaks_in_nor_redirects(tmp_path):
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "config").write_text(
        "[default]\nregion = eu-west-3\nendpoint_url = https://example.invalid\n"
        "[profile learner-real-profile]\nregion = ap-south-1\n"
    )
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAREALDEFAULTKEY01\naws_secret_access_key = realsecret\n"
    )
    env = {
        **os.environ,
        "HOME": str(home),
        "AWS_PROFILE": "learner-real-profile",
        "AWS_ACCESS_KEY_ID": "AKIAREALENVKEY000001",
        "AWS_SECRET_ACCESS_KEY": "real-secret-from-env",
        "AWS_SESSION_TOKEN": "real-token",
        "AWS_ENDPOINT_URL_S3": "https://s3.example.invalid",
        "AWS_DEFAULT_REGION": "eu-central-1",
    }
    out = _run_script(
        """
        import json, boto3, helpers
        from helpers.iam import execution_role
        from helpers.packaging import zip_bytes
        aws = helpers.start()
        aws.configure(control_plane_delay=0)  # not about function states
        s3 = boto3.client("s3")
        creds = boto3.Session().get_credentials().get_frozen_credentials()
        lam = boto3.client("lambda")
        lam.create_function(FunctionName="env", Runtime="python3.12", Role=execution_role(),
            Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py":
            "import os\\ndef handler(e, c):\\n    return dict(os.environ)\\n"})})
        handler_env = json.loads(lam.invoke(FunctionName="env")["Payload"].read())
        print(json.dumps({"s3": s3.meta.endpoint_url, "region": s3.meta.region_name,
                          "key": creds.access_key, "token": creds.token,
                          "owner": aws.owner.access_key_id,
                          "handler_env": handler_env, "endpoint": aws.endpoint_url}))
        aws.stop()
        """,
        env,
    )
    assert out["s3"] == out["endpoint"]
    assert out["region"] == "us-east-1"
    # The owner's own random pair, not the learner's real keys.
    assert out["key"] == out["owner"] and out["key"].startswith("AKIA") and out["token"] is None
    leaked = json.dumps(out["handler_env"])
    for secret in ("AKIAREAL", "real-secret", "real-token", "example.invalid", "learner-real"):
        assert secret not in leaked, secret
    # As on AWS, no AWS_ENDPOINT_URL: the handler's boto3 reaches the kit without it
    # (test_invoke's test_the_local_aws_endpoint_is_not_a_variable_of_the_function).
    assert "AWS_ENDPOINT_URL" not in out["handler_env"]


def _kit_workers(parent_pid: int) -> list[int]:
    try:
        return [p.pid for p in psutil.Process(parent_pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


WORKERS_SCRIPT = """
import json, sys, threading, boto3, helpers, psutil, os
from helpers.iam import execution_role
from helpers.packaging import zip_bytes
aws = helpers.start()
aws.configure(control_plane_delay=0)  # not about function states
lam = aws.client("lambda")
lam.create_function(FunctionName="sleeper", Runtime="python3.12", Role=execution_role(),
    Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py":
    "import time\\ndef handler(e, c):\\n    time.sleep(e.get('s', 0))\\n"})})
import time
threading.Thread(target=lambda: lam.invoke(FunctionName="sleeper", Payload=b'{"s": 60}'),
                 daemon=True).start()                        # a busy environment
while not any(env["busy"] for env in aws.environments()):  # however slow the machine is
    time.sleep(0.05)
lam.invoke(FunctionName="sleeper", Payload=b'{}')          # and a warm one
aws.runtime.pool.wait_ready()                              # and a spare
pids = [p.pid for p in psutil.Process().children(recursive=True)]
print(json.dumps({"pids": pids}), flush=True)
MODE
"""


def _wait_gone(pids: list[int], timeout: float = 5.0) -> list[int]:
    deadline = time.monotonic() + timeout
    alive = pids
    while time.monotonic() < deadline:
        alive = [
            pid
            for pid in pids
            if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        ]
        if not alive:
            break
        time.sleep(0.1)
    return alive


def test_stop_leaves_no_process_behind():
    out = _run_script(WORKERS_SCRIPT.replace("MODE", "aws.stop()"), dict(os.environ))
    assert len(out["pids"]) >= 3  # a warm environment, a busy one and a spare
    assert _wait_gone(out["pids"]) == []


@pytest.mark.parametrize("how", ["kill -9", "interpreter exit"])
def test_a_killed_notebook_leaves_no_process_behind(how):
    mode = "time.sleep(120)" if how == "kill -9" else "sys.exit(0)"
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKERS_SCRIPT.replace("MODE", mode)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    line = proc.stdout.readline()
    pids = json.loads(line)["pids"]
    assert len(pids) >= 3
    if how == "kill -9":
        proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert _wait_gone(pids) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_works_with_the_aws_cli(tmp_path):
    from helpers.packaging import zip_bytes

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "helpers", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
    )
    try:
        banner = server.stdout.readline()
        assert f"http://127.0.0.1:{port}" in banner
        # The owner's pair, each on a line of its own, as a script reads it.
        key = server.stdout.readline().strip().removeprefix("AWS_ACCESS_KEY_ID=")
        secret = server.stdout.readline().strip().removeprefix("AWS_SECRET_ACCESS_KEY=")
        assert key.startswith("AKIA") and len(key) == 20 and len(secret) == 40
        env = {
            **os.environ,
            "AWS_ACCESS_KEY_ID": key,
            "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }
        endpoint = f"http://127.0.0.1:{port}"

        def cli(*args: str) -> str:
            result = subprocess.run(
                [sys.executable, "-m", "awscli", "--endpoint-url", endpoint, *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                cwd=tmp_path,
            )
            assert result.returncode == 0, result.stderr
            return result.stdout

        (tmp_path / "fn.zip").write_bytes(
            zip_bytes(
                {
                    "app.py": "def handler(e, c):\n    print('hi from the CLI')\n"
                    "    return {'sum': e['a'] + e['b']}\n"
                }
            )
        )
        trust = json.dumps(TRUST_POLICY)  # Lambda may assume it, as AWS requires
        role = json.loads(
            cli("iam", "create-role", "--role-name", "r", "--assume-role-policy-document", trust)
        )["Role"]["Arn"]
        cli(
            "lambda",
            "create-function",
            "--function-name",
            "cli",
            "--runtime",
            "python3.12",
            "--role",
            role,
            "--handler",
            "app.handler",
            "--zip-file",
            "fileb://fn.zip",
        )
        meta = json.loads(
            cli(
                "lambda",
                "invoke",
                "--function-name",
                "cli",
                "--payload",
                '{"a": 2, "b": 3}',
                "--log-type",
                "Tail",
                "out.json",
            )
        )
        assert meta["StatusCode"] == 200
        stranger = subprocess.run(
            [
                sys.executable,
                "-m",
                "awscli",
                "--endpoint-url",
                endpoint,
                "lambda",
                "list-functions",
            ],
            env={**env, "AWS_ACCESS_KEY_ID": "AKIASTRANGER0000000", "AWS_SECRET_ACCESS_KEY": "x"},
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert stranger.returncode != 0 and "UnrecognizedClientException" in stranger.stderr
        assert json.loads((tmp_path / "out.json").read_text()) == {"sum": 5}
        import base64

        assert "hi from the CLI" in base64.b64decode(meta["LogResult"]).decode()
        workers = _kit_workers(server.pid)
        assert workers
    finally:
        server.send_signal(signal.SIGINT)
        tail = server.communicate(timeout=30)[0]
    assert server.returncode == 0, tail
    assert "Stopped." in tail
    assert _wait_gone(workers) == []


def test_wait_counts_an_invoke_request_from_its_arrival(fresh):
    """A caller's request that has reached the server but not the runtime yet is waited for."""
    import threading as _threading

    from helpers.server import _TraceMiddleware

    arrived, release = _threading.Event(), _threading.Event()

    def slow_app(environ, start_response):  # stands for moto before the runtime starts
        arrived.set()
        release.wait(5)
        return [b""]

    middleware = _TraceMiddleware(slow_app, busy=fresh.runtime.busy)
    path = "/2015-03-31/functions/f/invocations"
    caller = _threading.Thread(target=middleware, args=({"PATH_INFO": path}, None))
    caller.start()
    assert arrived.wait(5)

    assert fresh.wait(timeout=0.2) is False  # the request is in flight: not idle
    release.set()
    caller.join(5)
    assert fresh.wait(timeout=2) is True
    # Other requests (a queue's long poll, say) never hold `wait()` up.
    other = _TraceMiddleware(lambda environ, start_response: [b""], busy=fresh.runtime.busy)
    other({"PATH_INFO": "/123456789012/jobs"}, None)
    assert fresh.wait(timeout=0.2) is True


def test_a_client_made_before_start_is_stopped_before_it_connects(tmp_path):
    out = _run_script(
        """
        import json, socket, boto3
        early = boto3.client("s3", region_name="eu-west-1",
                             aws_access_key_id="AKIAREALKEY000000001",
                             aws_secret_access_key="real-secret")  # made before start()
        import helpers
        from helpers.cloud import RealAWSBlocked
        connects = []
        original = socket.socket.connect
        socket.socket.connect = lambda self, address: (connects.append(address),
                                                        original(self, address))[1]
        aws = helpers.start()
        try:
            early.list_buckets()
            blocked = ""
        except RealAWSBlocked as exc:
            blocked = str(exc)
        remote = [a for a in connects if not str(a[0]).startswith("127.")]
        print(json.dumps({"blocked": blocked, "remote": [str(a) for a in remote]}))
        aws.stop()
        """,
        # A fresh learner's shell: no endpoint of this test session's own local AWS.
        {k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
    )
    assert "stopped a request to https://s3.eu-west-1.amazonaws.com" in out["blocked"]
    assert out["remote"] == []


def test_a_handler_client_given_a_real_aws_endpoint_is_stopped(fresh, deploy):
    deploy(
        "reaching-out",
        """
        import boto3

        def handler(event, context):
            s3 = boto3.client("s3", endpoint_url="https://s3.us-east-1.amazonaws.com")
            return s3.list_buckets()
        """,
    )
    reply = fresh.client("lambda").invoke(FunctionName="reaching-out")
    error = json.loads(reply["Payload"].read())
    assert reply["FunctionError"] == "Unhandled"
    assert error["errorType"] == "RealAWSBlocked", error
    assert "https://s3.us-east-1.amazonaws.com" in error["errorMessage"]


def test_configured_gives_settings_for_a_block_and_gives_the_old_ones_back(fresh, deploy):
    before = fresh.settings()
    assert before["enforce_resource_policies"] is True  # as on AWS
    with fresh.configured(async_retry_delays=(0.05, 0.05), enforce_iam=True) as aws:
        assert aws is fresh
        assert fresh.settings()["async_retry_delays"] == (0.05, 0.05)
        assert fresh.settings()["enforce_iam"] is True
        # What a block raises still restores its settings.
        with pytest.raises(ZeroDivisionError), fresh.configured(idle_timeout=1.0):
            assert fresh.settings()["idle_timeout"] == 1.0
            raise ZeroDivisionError
        assert fresh.settings()["idle_timeout"] == before["idle_timeout"]
    assert fresh.settings() == before


def test_async_event_records_hold_each_event_s_payload_and_ending(fresh, deploy, lam):
    deploy("failing", "def handler(event, context):\n    raise ValueError(event['n'])\n")
    with fresh.configured(async_retry_delays=(0.01, 0.01)):
        lam.invoke(FunctionName="failing", InvocationType="Event", Payload=b'{"n": 7}')
        until(lambda: [e for e in fresh.async_event_records() if e.done])
    (record,) = fresh.async_event_records()
    assert (record.function, record.payload, record.attempts) == ("failing", b'{"n": 7}', 3)
    assert record.errors and "ValueError" in record.errors[-1]
    assert fresh.async_events()[0]["attempts"] == 3  # the same event, tabulated


def test_retire_environments_makes_the_next_invoke_cold(fresh, deploy, lam):
    deploy("warmed", "def handler(event, context):\n    return 1\n")
    lam.invoke(FunctionName="warmed")
    assert [e["function"] for e in fresh.environments()].count("warmed") == 1
    fresh.retire_environments("warmed")
    assert "warmed" not in [e["function"] for e in fresh.environments()]
    lam.invoke(FunctionName="warmed")
    (report,) = [m for m in log_messages(fresh.client("logs"), "warmed") if "REPORT" in m][1:]
    assert "Init Duration" in report  # a cold start again
