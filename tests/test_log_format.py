"""LoggingConfig: the JSON log format and log levels, as Lambda's Python runtime has them."""

from __future__ import annotations

import base64
import json
import re

import pytest
from botocore.exceptions import ClientError

from helpers.iam import execution_role
from helpers.packaging import zip_bytes
from tests.conftest import log_messages

LOGS_AT_EVERY_LEVEL = """
import json, logging

logger = logging.getLogger("orders")

def handler(event, context):
    logger.debug("a debug detail")
    logger.info("order received", extra={"order_id": event.get("order_id")})
    logger.warning("stock is low")
    print("a plain print")
    print(json.dumps({"level": "debug", "message": "printed JSON at DEBUG"}))
    if event.get("fail"):
        raise KeyError("basket")
    return "ok"
"""

JSON = {"LogFormat": "JSON"}


def _tail(lam, name: str, event: dict | None = None) -> list[str]:
    response = lam.invoke(FunctionName=name, Payload=json.dumps(event or {}), LogType="Tail")
    response["Payload"].read()
    return base64.b64decode(response["LogResult"]).decode().splitlines()


def _records(lines: list[str]) -> list[dict]:
    return [json.loads(line) for line in lines if line.startswith("{")]


def test_logging_config_is_returned_with_aws_defaults(deploy, lam):
    created = deploy("plain", "def handler(e, c):\n    return 1\n")
    assert created["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": "/aws/lambda/plain"}
    updated = lam.update_function_configuration(FunctionName="plain", LoggingConfig=JSON)
    assert updated["LoggingConfig"] == {
        "LogFormat": "JSON",
        "ApplicationLogLevel": "INFO",
        "SystemLogLevel": "INFO",
        "LogGroup": "/aws/lambda/plain",
    }
    lam.update_function_configuration(
        FunctionName="plain", LoggingConfig={"ApplicationLogLevel": "DEBUG"}
    )
    config = lam.get_function_configuration(FunctionName="plain")["LoggingConfig"]
    assert (config["LogFormat"], config["ApplicationLogLevel"]) == ("JSON", "DEBUG")


def test_an_unknown_level_is_refused(deploy, lam):
    deploy("plain", "def handler(e, c):\n    return 1\n")
    with pytest.raises(ClientError) as excinfo:
        lam.update_function_configuration(
            FunctionName="plain", LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "LOUD"}
        )
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"
    assert "TRACE, DEBUG, INFO, WARN, ERROR, FATAL" in str(excinfo.value)


def test_json_format_makes_logging_records_and_platform_records_json(deploy, lam):
    deploy("orders", LOGS_AT_EVERY_LEVEL, LoggingConfig=JSON)
    lines = _tail(lam, "orders", {"order_id": "A1"})
    request_id = _records(lines)[0]["record"]["requestId"]

    start = _records(lines)[0]
    assert start["type"] == "platform.start"
    assert start["record"] == {"requestId": request_id, "version": "$LATEST"}
    info = next(r for r in _records(lines) if r.get("message") == "order received")
    assert info["level"] == "INFO"
    assert info["logger"] == "orders"
    assert info["requestId"] == request_id
    assert info["order_id"] == "A1"  # extra= fields become top-level keys
    assert info["timestamp"].endswith("Z")
    warning = next(r for r in _records(lines) if r.get("message") == "stock is low")
    assert warning["level"] == "WARNING"
    report = _records(lines)[-1]
    assert report["type"] == "platform.report"
    assert set(report["record"]["metrics"]) == {
        "durationMs",
        "billedDurationMs",
        "memorySizeMB",
        "maxMemoryUsedMB",
        "initDurationMs",  # the first invocation was a cold start
    }
    assert report["record"]["status"] == "success"
    assert "a plain print" in lines  # print stays plain text, as on AWS
    assert not any(line.startswith(("START", "END", "REPORT")) for line in lines)


def test_application_log_level_filters_records_below_it(deploy, lam):
    deploy("orders", LOGS_AT_EVERY_LEVEL, LoggingConfig=JSON)  # INFO by default
    messages = [r.get("message") for r in _records(_tail(lam, "orders"))]
    assert "a debug detail" not in messages
    assert "printed JSON at DEBUG" not in messages  # a "level" key is honoured in print, too
    assert "order received" in messages

    lam.update_function_configuration(
        FunctionName="orders", LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "DEBUG"}
    )
    lam.get_waiter("function_updated_v2").wait(FunctionName="orders")
    messages = [r.get("message") for r in _records(_tail(lam, "orders"))]
    assert {"a debug detail", "printed JSON at DEBUG"} <= set(messages)

    lam.update_function_configuration(
        FunctionName="orders", LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "WARN"}
    )
    lam.get_waiter("function_updated_v2").wait(FunctionName="orders")
    messages = [r.get("message") for r in _records(_tail(lam, "orders"))]
    assert "stock is low" in messages
    assert "order received" not in messages


NO_LEVEL = """
import json

def handler(event, context):
    print("a plain print")
    print(json.dumps({"msg": "printed JSON without a level"}))
    print(json.dumps({"level": "shouty", "msg": "printed JSON with no real level"}))
    print(json.dumps({"level": "ERROR", "msg": "printed JSON at ERROR"}))
    return "ok"
"""


def test_lines_without_a_level_count_as_info_when_levels_filter(deploy, lam):
    # "When Lambda filters your function's application logs, it assigns the log level INFO to
    # log messages without a level" (monitoring-cloudwatchlogs-log-level.html); learner trial
    # 12, GD3: a printed JSON object without "level" was kept at WARN.
    deploy("quiet", NO_LEVEL, LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "WARN"})
    lines = _tail(lam, "quiet")
    assert not any("a plain print" in line for line in lines)
    assert not any("without a level" in line or "no real level" in line for line in lines)
    assert any("printed JSON at ERROR" in line for line in lines)

    lam.update_function_configuration(
        FunctionName="quiet", LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "INFO"}
    )
    lam.get_waiter("function_updated_v2").wait(FunctionName="quiet")
    lines = _tail(lam, "quiet")
    for text in ("a plain print", "without a level", "no real level", "at ERROR"):
        assert any(text in line for line in lines), text  # INFO: all of them kept


def test_system_log_level_warn_keeps_lambdas_own_records_out(deploy, lam, logs):
    deploy(
        "quiet",
        "def handler(e, c):\n    print('hello')\n",
        LoggingConfig={"LogFormat": "JSON", "SystemLogLevel": "WARN"},
    )
    lam.invoke(FunctionName="quiet")
    assert log_messages(logs, "quiet") == ["hello"]


def test_an_unhandled_exception_is_one_json_error_record(deploy, lam):
    deploy("orders", LOGS_AT_EVERY_LEVEL, LoggingConfig=JSON)
    error = next(r for r in _records(_tail(lam, "orders", {"fail": True})) if "errorType" in r)
    assert error["level"] == "ERROR"
    assert error["errorType"] == "KeyError"
    assert error["errorMessage"] == "'basket'"
    assert any("/var/task/app.py" in frame for frame in error["stackTrace"])


def test_logger_exception_carries_the_exception_in_json(deploy, lam):
    deploy(
        "careful",
        """
import logging

def handler(event, context):
    try:
        1 / 0
    except ZeroDivisionError:
        logging.getLogger().exception("could not divide")
    return "handled"
""",
        LoggingConfig=JSON,
    )
    record = next(r for r in _records(_tail(lam, "careful")) if r.get("message"))
    assert record["errorType"] == "ZeroDivisionError"
    assert record["errorMessage"] == "division by zero"
    assert record["location"] == "/var/task/app.py:handler:8"  # where it was logged
    assert record["stackTrace"][0].startswith('  File "/var/task/app.py", line 6, in handler')


def test_text_format_keeps_the_classic_lines(deploy, lam):
    deploy("orders", LOGS_AT_EVERY_LEVEL)
    lines = _tail(lam, "orders")
    assert lines[0].startswith("START RequestId: ")
    assert lines[-2].startswith("END RequestId: ")
    assert lines[-1].startswith("REPORT RequestId: ")
    assert any(line.startswith("[WARNING]\t") and "stock is low" in line for line in lines)


def test_logger_exception_in_text_shows_aws_paths(deploy, lam, logs):
    deploy(
        "careful",
        """
import logging

def handler(event, context):
    try:
        {}["missing"]
    except KeyError:
        logging.getLogger().exception("no such key")
""",
    )
    lam.invoke(FunctionName="careful")
    (event,) = [e for e in log_messages(logs, "careful") if "no such key" in e]
    assert event.startswith("[ERROR]\t")  # one log event: message, then its traceback
    assert 'File "/var/task/app.py", line 6, in handler' in event
    assert event.endswith("KeyError: 'missing'")
    assert "lambda-kit" not in event  # never a path of this machine


def test_a_custom_log_group_receives_the_logs(deploy, lam, logs):
    deploy(
        "grouped",
        "def handler(event, context):\n    print(context.log_group_name)\n",
        LoggingConfig={"LogFormat": "Text", "LogGroup": "/shop/functions"},
    )
    lam.invoke(FunctionName="grouped")
    events = logs.filter_log_events(logGroupName="/shop/functions")["events"]
    assert "/shop/functions" in [e["message"] for e in events]
    assert log_messages(logs, "grouped") == []
    # AWS: in a custom group, which functions may share, a stream's name carries the
    # function's: YYYY/MM/DD/<function_name>[<version>]<guid> (learner trial 9, QD10).
    streams = {e["logStreamName"] for e in events}
    assert streams and all(
        re.fullmatch(r"\d{4}/\d\d/\d\d/grouped\[\$LATEST\]\w+", s) for s in streams
    )


def test_a_custom_log_group_beginning_with_aws_gets_nothing(deploy, lam, logs):
    # "Custom log group names mustn't begin with the string aws/ ... This will cause function
    # logs not to be sent to CloudWatch" (learner trial 10, UD24).
    deploy(
        "prefixed",
        "def handler(event, context):\n    print('hello')\n",
        LoggingConfig={"LogFormat": "Text", "LogGroup": "aws/lambda/prefixed-custom"},
    )
    lam.invoke(FunctionName="prefixed")
    groups = logs.describe_log_groups(logGroupNamePrefix="aws/")["logGroups"]
    assert groups == []


@pytest.mark.parametrize("group", ["/greetings:greeter", "/greetings/greeter 2", "/" + "g" * 512])
def test_a_log_group_name_lambda_refuses(lam, group):
    # LoggingConfig.LogGroup: [\.\-_/#A-Za-z0-9]+, 1 to 512 (API_LoggingConfig; UD25).
    with pytest.raises(lam.exceptions.ClientError, match=r"loggingConfig\.logGroup"):
        lam.create_function(
            FunctionName="badly-grouped",
            Runtime="python3.12",
            Role=execution_role(),
            Handler="app.handler",
            Code={"ZipFile": zip_bytes({"app.py": "def handler(e, c):\n    return 1\n"})},
            LoggingConfig={"LogFormat": "Text", "LogGroup": group},
        )


def test_the_default_group_names_streams_without_the_function(deploy, lam, logs):
    deploy("plainly", "def handler(event, context):\n    print(context.log_stream_name)\n")
    lam.invoke(FunctionName="plainly")
    events = logs.filter_log_events(logGroupName="/aws/lambda/plainly")["events"]
    stream = events[0]["logStreamName"]
    assert re.fullmatch(r"\d{4}/\d\d/\d\d/\[\$LATEST\]\w+", stream), stream
    assert stream in [e["message"] for e in events]  # the handler's context says the same


def test_filter_log_events_selects_json_records_by_field(deploy, lam, logs):
    deploy("orders", LOGS_AT_EVERY_LEVEL, LoggingConfig=JSON)
    lam.invoke(FunctionName="orders", Payload=json.dumps({"order_id": "A1"}))
    lam.invoke(FunctionName="orders", Payload=json.dumps({"order_id": "B2"}))
    warnings = log_messages(logs, "orders", '{ $.level = "WARNING" }')
    assert [json.loads(m)["message"] for m in warnings] == ["stock is low"] * 2
    (b2,) = log_messages(logs, "orders", '{ $.order_id = "B2" }')
    assert json.loads(b2)["message"] == "order received"
    reports = log_messages(logs, "orders", '{ $.type = "platform.report" }')
    assert len(reports) == 2
    with pytest.raises(ClientError) as excinfo:
        logs.filter_log_events(logGroupName="/aws/lambda/orders", filterPattern="{ $.level = }")
    assert excinfo.value.response["Error"]["Code"] == "InvalidParameterException"
