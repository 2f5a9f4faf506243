"""Provisioned concurrency: environments initialised ahead, used first, spilled over, released."""

from __future__ import annotations

import base64
import threading

import pytest
from botocore.exceptions import ClientError

from .conftest import call, log_messages, until

SLOW_INIT = """
import os, time
time.sleep(0.2)  # module-level work: what provisioned concurrency does ahead of time
KIND = os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"]
print("init", KIND)

def handler(event, context):
    time.sleep(event.get("sleep", 0))
    return KIND
"""


def _published(deploy, lam, name="pc"):
    deploy(name, SLOW_INIT)
    version = lam.publish_version(FunctionName=name)["Version"]
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)
    return version


def _ready(lam, name="pc", qualifier="live"):
    config = lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier=qualifier)
    return config if config["Status"] == "READY" else None


def _report(response):
    tail = base64.b64decode(response["LogResult"]).decode()
    return next(line for line in tail.splitlines() if line.startswith("REPORT"))


def test_provisioned_environments_start_warm(deploy, lam, logs, fresh):
    _published(deploy, lam)
    put = lam.put_provisioned_concurrency_config(
        FunctionName="pc", Qualifier="live", ProvisionedConcurrentExecutions=2
    )
    assert put["Status"] == "IN_PROGRESS"
    assert put["RequestedProvisionedConcurrentExecutions"] == 2
    config = until(lambda: _ready(lam))
    assert config["AllocatedProvisionedConcurrentExecutions"] == 2
    assert config["AvailableProvisionedConcurrentExecutions"] == 2
    # INIT ran ahead of any request, once per environment, and was logged.
    assert log_messages(logs, "pc").count("init provisioned-concurrency") == 2
    assert (
        len([m for m in log_messages(logs, "pc") if m.startswith("INIT_REPORT Init Duration")]) == 2
    )
    provisioned = [e for e in fresh.environments() if e["provisioned"]]
    assert len(provisioned) == 2

    response, kind = call(lam, "pc", {}, Qualifier="live", LogType="Tail")
    assert kind == "provisioned-concurrency"
    assert "Init Duration" not in _report(response)


def test_requests_beyond_provisioned_spill_over_cold(deploy, lam, fresh):
    _published(deploy, lam)
    lam.put_provisioned_concurrency_config(
        FunctionName="pc", Qualifier="live", ProvisionedConcurrentExecutions=1
    )
    until(lambda: _ready(lam))
    results = []

    def one():
        response, kind = call(lam, "pc", {"sleep": 0.5}, Qualifier="live", LogType="Tail")
        results.append((kind, "Init Duration" in _report(response)))

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [("on-demand", True), ("provisioned-concurrency", False)]


def test_provisioned_environments_are_not_reclaimed_when_idle(deploy, lam, fresh):
    _published(deploy, lam)
    lam.put_provisioned_concurrency_config(
        FunctionName="pc", Qualifier="live", ProvisionedConcurrentExecutions=1
    )
    until(lambda: _ready(lam))
    fresh.advance_clock(hours=2)
    response, kind = call(lam, "pc", {}, Qualifier="live", LogType="Tail")
    assert kind == "provisioned-concurrency"
    assert "Init Duration" not in _report(response)


def test_delete_releases_the_environments(deploy, lam, fresh):
    _published(deploy, lam)
    lam.put_provisioned_concurrency_config(
        FunctionName="pc", Qualifier="live", ProvisionedConcurrentExecutions=2
    )
    until(lambda: _ready(lam))
    listed = lam.list_provisioned_concurrency_configs(FunctionName="pc")
    [item] = listed["ProvisionedConcurrencyConfigs"]
    assert item["FunctionArn"].endswith(":function:pc:live")
    lam.delete_provisioned_concurrency_config(FunctionName="pc", Qualifier="live")
    assert not [e for e in fresh.environments() if e["provisioned"]]
    with pytest.raises(ClientError) as error:
        lam.get_provisioned_concurrency_config(FunctionName="pc", Qualifier="live")
    assert error.value.response["Error"]["Code"] == "ProvisionedConcurrencyConfigNotFoundException"
    response, kind = call(lam, "pc", {}, Qualifier="live", LogType="Tail")
    assert kind == "on-demand"
    assert "Init Duration" in _report(response)


def test_a_failing_init_fails_the_config(deploy, lam, fresh):
    deploy("broken", "raise ValueError('no config')\ndef handler(e, c):\n    return 1\n")
    version = lam.publish_version(FunctionName="broken")["Version"]
    lam.put_provisioned_concurrency_config(
        FunctionName="broken", Qualifier=version, ProvisionedConcurrentExecutions=1
    )

    def settled():
        got = lam.get_provisioned_concurrency_config(FunctionName="broken", Qualifier=version)
        return got if got["Status"] != "IN_PROGRESS" else None

    config = until(settled)
    assert config["Status"] == "FAILED"
    assert "ValueError" in config["StatusReason"]


def test_what_aws_refuses(deploy, lam, fresh):
    _published(deploy, lam)

    def code_of(**kwargs):
        with pytest.raises(ClientError) as error:
            lam.put_provisioned_concurrency_config(FunctionName="pc", **kwargs)
        return error.value.response["Error"]["Code"], error.value.response["Error"]["Message"]

    code, message = code_of(Qualifier="$LATEST", ProvisionedConcurrentExecutions=1)
    assert code == "InvalidParameterValueException" and "unpublished" in message
    code, _ = code_of(Qualifier="nope", ProvisionedConcurrentExecutions=1)
    assert code == "ResourceNotFoundException"
    lam.put_function_concurrency(FunctionName="pc", ReservedConcurrentExecutions=2)
    code, message = code_of(Qualifier="live", ProvisionedConcurrentExecutions=3)
    assert code == "InvalidParameterValueException" and "reservedConcurrentExecution" in message
    lam.delete_function_concurrency(FunctionName="pc")
    fresh.configure(account_concurrency=150)
    code, message = code_of(Qualifier="live", ProvisionedConcurrentExecutions=60)
    assert "minimum value of [100]" in message


def test_deleting_the_function_drops_its_configs(deploy, lam, fresh):
    _published(deploy, lam)
    lam.put_provisioned_concurrency_config(
        FunctionName="pc", Qualifier="live", ProvisionedConcurrentExecutions=1
    )
    until(lambda: _ready(lam))
    lam.delete_function(FunctionName="pc")
    assert not fresh.environments()
    _published(deploy, lam)
    with pytest.raises(ClientError):
        lam.get_provisioned_concurrency_config(FunctionName="pc", Qualifier="live")
