"""AWS's limits are checked on create, update and invoke, with AWS's exception names."""

from __future__ import annotations

import json
import re

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from helpers import limits
from helpers.packaging import zip_bytes
from tests.conftest import call

OK = "def handler(e, c):\n    return 1\n"


def _error(excinfo) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.mark.parametrize(
    ("settings", "code", "message"),
    [
        (
            {"MemorySize": 100},
            "ValidationException",
            "Value '100' at 'memorySize' failed to satisfy constraint: Member must have value "
            "greater than or equal to 128",
        ),
        (
            {"MemorySize": 10241},
            "ValidationException",
            "Member must have value less than or equal to 10240",
        ),
        (
            {"Timeout": 901},
            "ValidationException",
            "Value '901' at 'timeout' failed to satisfy constraint: Member must have value less "
            "than or equal to 900",
        ),
        (
            {"Runtime": "python3.7"},  # creating blocked since 2024-01-09
            "InvalidParameterValueException",
            "The runtime parameter of python3.7 is no longer supported",
        ),
        (
            {"Runtime": "nodejs22.x"},
            "InvalidParameterValueException",
            "this teaching kit runs Python functions only",
        ),
        (
            {"Runtime": "cobol85"},
            "ValidationException",
            "Value 'cobol85' at 'runtime' failed to satisfy constraint: Member must satisfy enum",
        ),
        (
            {"Handler": "app handler"},
            "ValidationException",
            "Member must satisfy regular expression pattern",
        ),
        (
            {"Environment": {"Variables": {"AWS_REGION": "eu-west-1"}}},
            "InvalidParameterValueException",
            "Reserved keys used in this request: AWS_REGION",
        ),
        (
            {"Environment": {"Variables": {"BIG": "x" * 4100}}},
            "InvalidParameterValueException",
            "exceeded the 4KB limit",
        ),
    ],
)
def test_create_function_is_checked(fresh, settings, code, message):
    from helpers.iam import execution_role

    # botocore checks some minimums itself; the kit must check them for any other client too.
    raw = fresh.client("lambda", config=Config(parameter_validation=False))
    spec = {"Runtime": "python3.12", "Handler": "app.handler", **settings}
    with pytest.raises(ClientError) as excinfo:
        raw.create_function(
            FunctionName="checked",
            Role=execution_role(),
            Code={"ZipFile": zip_bytes({"app.py": OK})},
            **spec,
        )
    got_code, got_message = _error(excinfo)
    assert got_code == code
    assert message in got_message


def test_a_deprecated_runtime_is_accepted_until_its_block_dates():
    from datetime import date

    from helpers.limits import InvalidParameterValue, check_runtime, python_runtimes

    dates = python_runtimes()["python3.10"]
    assert dates.deprecation < dates.block_create < dates.block_update
    check_runtime("python3.10", creating=True, today=dates.deprecation)  # deprecated, accepted
    with pytest.raises(InvalidParameterValue, match=r"python3\.10 is no longer supported"):
        check_runtime("python3.10", creating=True, today=dates.block_create)
    check_runtime("python3.10", creating=False, today=dates.block_create)  # updates still work
    with pytest.raises(InvalidParameterValue, match=r"use the new runtime \(python3\.\d+\)"):
        check_runtime("python3.10", creating=False, today=dates.block_update)
    check_runtime("python3.11", today=date(2026, 12, 6))  # AWS's own examples still create it


def test_every_python_runtime_has_its_three_dates_with_a_source():
    from helpers.limits import RUNTIMES, python_runtimes

    assert RUNTIMES["source"].startswith("https://docs.aws.amazon.com/lambda/")
    assert RUNTIMES["as_of"] and RUNTIMES["dates_source"]
    runtimes = python_runtimes()
    assert {"python3.10", "python3.11", "python3.12", "python3.13", "python3.14"} <= set(runtimes)
    for dates in runtimes.values():
        assert dates.deprecation <= dates.block_create <= dates.block_update


def test_runtimes_are_judged_on_the_kits_clock(deploy, lam, fresh):
    from helpers.limits import python_runtimes

    today = fresh.now().date()
    open_ = [n for n, d in python_runtimes().items() if today < d.block_create]
    closed = [n for n, d in python_runtimes().items() if today >= d.block_update]
    deploy("still-open", OK, Runtime=min(open_))  # AWS still creates it today
    assert call(lam, "still-open")[1] == 1
    with pytest.raises(ClientError, match="no longer supported"):
        deploy("closed", OK, Runtime=max(closed))


def test_limits_at_the_edges_are_accepted(deploy, lam):
    deploy(
        "edges",
        OK,
        MemorySize=10240,
        Timeout=900,
        Runtime="python3.14",
        Environment={"Variables": {"AB": "x" * 4000}},
    )
    assert call(lam, "edges")[1] == 1
    config = lam.get_function_configuration(FunctionName="edges")
    assert (config["MemorySize"], config["Timeout"]) == (10240, 900)


def test_update_configuration_is_checked(deploy, lam, fresh):
    deploy("upd", OK)
    raw = fresh.client("lambda", config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as excinfo:
        raw.update_function_configuration(FunctionName="upd", MemorySize=64)
    assert _error(excinfo)[0] == "ValidationException"
    with pytest.raises(ClientError) as excinfo:
        lam.update_function_configuration(FunctionName="upd", Timeout=1000)
    assert _error(excinfo)[0] == "ValidationException"
    with pytest.raises(ClientError) as excinfo:
        lam.update_function_configuration(FunctionName="upd", Runtime="python2.7")
    assert _error(excinfo)[0] == "InvalidParameterValueException"
    assert lam.get_function_configuration(FunctionName="upd")["MemorySize"] == 128


def test_environment_keys_and_tmp_size_are_checked_as_aws_does(deploy, lam, fresh):
    deploy("env", OK, Environment={"Variables": {"B2": "fine", "snake_case_9": "fine"}})
    for key in ("1ABC", "MY-KEY", "A", "_PRIVATE", "DOT.TED"):
        with pytest.raises(ClientError) as excinfo:
            lam.update_function_configuration(
                FunctionName="env", Environment={"Variables": {key: "x"}}
            )
        assert _error(excinfo) == (
            "ValidationException",
            "1 validation error detected: Value at 'environment.variables' failed to satisfy "
            "constraint: Map keys must satisfy constraint: [Member must satisfy regular "
            "expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]",
        ), key
    variables = lam.get_function_configuration(FunctionName="env")["Environment"]["Variables"]
    assert set(variables) == {"B2", "snake_case_9"}
    # botocore checks the smallest /tmp itself; the server does too, as AWS's does.
    raw = fresh.client("lambda", config=Config(parameter_validation=False))
    for size, bound in (
        (511, "greater than or equal to 512"),
        (10241, "less than or equal to 10240"),
    ):
        with pytest.raises(ClientError) as excinfo:
            raw.update_function_configuration(FunctionName="env", EphemeralStorage={"Size": size})
        assert _error(excinfo) == (
            "ValidationException",
            f"1 validation error detected: Value '{size}' at 'ephemeralStorage.size' failed to "
            f"satisfy constraint: Member must have value {bound}",
        )
    lam.update_function_configuration(FunctionName="env", EphemeralStorage={"Size": 10240})


def test_not_a_zip_is_refused(deploy, lam, fresh):
    from helpers.iam import execution_role

    with pytest.raises(ClientError) as excinfo:
        lam.create_function(
            FunctionName="nozip",
            Runtime="python3.12",
            Role=execution_role(),
            Handler="app.handler",
            Code={"ZipFile": b"this is not a zip"},
        )
    assert _error(excinfo) == (
        "InvalidParameterValueException",
        "Could not unzip uploaded file. Please check your file, then try to upload again.",
    )
    deploy("goodzip", OK)
    with pytest.raises(ClientError) as excinfo:
        lam.update_function_code(FunctionName="goodzip", ZipFile=b"PK\x03\x04 broken")
    assert _error(excinfo)[0] == "InvalidParameterValueException"
    assert call(lam, "goodzip")[1] == 1  # the function keeps its working code


def test_unzipped_size_limit(deploy):
    # Highly compressible: a few hundred KB zipped, over 250 MB unzipped.
    with pytest.raises(ClientError) as excinfo:
        deploy("huge", "", files={"app.py": OK, "data.bin": b"\0" * (251 * 2**20)})
    assert _error(excinfo) == (
        "InvalidParameterValueException",
        "Unzipped size must be smaller than 262144000 bytes",
    )


def test_sync_payload_over_6mb_is_413(deploy, lam):
    deploy("payload", OK)
    big = json.dumps({"data": "x" * (6 * 2**20)})
    with pytest.raises(ClientError) as excinfo:
        lam.invoke(FunctionName="payload", Payload=big)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert _error(excinfo)[0] == "RequestEntityTooLargeException"


def test_async_payload_over_1mb_is_413(deploy, lam):
    deploy("apayload", OK)
    big = json.dumps({"data": "x" * (2**20 + 10)})
    with pytest.raises(ClientError) as excinfo:
        lam.invoke(FunctionName="apayload", Payload=big, InvocationType="Event")
    assert _error(excinfo)[0] == "RequestEntityTooLargeException"
    fits = json.dumps({"data": "x" * (2**20 - 100)})
    assert (
        lam.invoke(FunctionName="apayload", Payload=fits, InvocationType="Event")["StatusCode"]
        == 202
    )


def test_every_limit_has_a_source_and_date():
    raw = json.loads(limits.DATA.read_text())
    assert raw["source"].startswith("https://docs.aws.amazon.com/")
    for name, limit in limits.LIMITS.items():
        assert limit.source.startswith("https://"), name
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", limit.as_of), name
        assert isinstance(limit.value, int) and limit.value > 0, name
    assert raw["runtimes"]["source"].startswith("https://")
    assert limits.value("memory_mb_max") == 10240
    assert limits.value("timeout_s_max") == 900


def test_a_new_limit_value_is_what_the_kit_enforces(deploy, monkeypatch):
    """The checks read the data file's figures: change the figure, the wall moves."""
    monkeypatch.setitem(
        limits.LIMITS,
        "timeout_s_max",
        limits.LIMITS["timeout_s_max"].__class__(
            **{**limits.LIMITS["timeout_s_max"].__dict__, "value": 60}
        ),
    )
    with pytest.raises(ClientError) as excinfo:
        deploy("sixty", OK, Timeout=61)
    assert "less than or equal to 60" in _error(excinfo)[1]


def test_code_from_s3_is_checked_too(deploy, lam, fresh):
    from helpers.iam import execution_role

    s3 = fresh.client("s3")
    s3.create_bucket(Bucket="code")
    s3.put_object(Bucket="code", Key="good.zip", Body=zip_bytes({"app.py": OK}))
    s3.put_object(Bucket="code", Key="bad.zip", Body=b"nope")
    common = {"Runtime": "python3.12", "Role": execution_role(), "Handler": "app.handler"}
    lam.create_function(
        FunctionName="froms3", Code={"S3Bucket": "code", "S3Key": "good.zip"}, **common
    )
    assert call(lam, "froms3")[1] == 1
    with pytest.raises(ClientError) as excinfo:
        lam.create_function(
            FunctionName="bads3", Code={"S3Bucket": "code", "S3Key": "bad.zip"}, **common
        )
    assert _error(excinfo)[0] == "InvalidParameterValueException"
