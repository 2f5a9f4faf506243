"""Learner trial 11: CloudWatch Logs and Logs Insights as AWS takes and refuses them.

One test per defect (CD8, CD11, CD12, CD14, CD18, CD19, CD20): AWS's refusal (code, status)
and the valid boundary taken.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import aws_error

GROUP = "/aws/lambda/ticker"
STREAM = "2026/12/07/[$LATEST]abc"
REPORT = (
    "REPORT RequestId: {id}\tDuration: {d}.00 ms\tBilled Duration: {d} ms\t"
    "Memory Size: 128 MB\tMax Memory Used: 40 MB{init}"
)


@pytest.fixture
def group(logs):
    """ticker's log group: 3 cold and 2 warm REPORT lines, and 2 JSON platform.report records."""
    logs.create_log_group(logGroupName=GROUP)
    logs.create_log_stream(logGroupName=GROUP, logStreamName=STREAM)
    now = int(time.time() * 1000)
    lines = [
        REPORT.format(id=f"r{i}", d=10 * (i + 1), init="\tInit Duration: 100.00 ms" if cold else "")
        for i, cold in enumerate([True, False, True, False, True])
    ]
    lines += [
        json.dumps({"type": "platform.report", "record": {"metrics": {"initDurationMs": 90.5}}}),
        json.dumps({"type": "platform.report", "record": {"metrics": {"durationMs": 3}}}),
    ]
    logs.put_log_events(
        logGroupName=GROUP,
        logStreamName=STREAM,
        logEvents=[{"timestamp": now, "message": line} for line in lines],
    )
    return {"now": now, "arn": logs.describe_log_groups()["logGroups"][0]["logGroupArn"]}


def _query(logs, query: str, **where) -> list[dict[str, str]]:
    where = where or {"logGroupName": GROUP}
    end = int(time.time()) + 60
    query_id = logs.start_query(startTime=0, endTime=end, queryString=query, **where)["queryId"]
    result = logs.get_query_results(queryId=query_id)
    assert result["status"] == "Complete"
    return [{f["field"]: f["value"] for f in row} for row in result["results"]]


def test_cd8_filter_stream_names_prefix_and_query_limit(logs, group):
    """FilterLogEvents: logStreamNames with logStreamNamePrefix, or over 100 names, refused;
    StartQuery: limit over 10,000 refused. Each boundary taken."""
    code, message, status = aws_error(
        lambda: logs.filter_log_events(
            logGroupName=GROUP, logStreamNames=[STREAM], logStreamNamePrefix="2026"
        )
    )
    assert (code, status) == ("InvalidParameterException", 400)
    assert "mutually exclusive" in message
    code, message, status = aws_error(
        lambda: logs.filter_log_events(logGroupName=GROUP, logStreamNames=[STREAM] * 101)
    )
    assert (code, status) == ("InvalidParameterException", 400)
    assert "less than or equal to 100" in message
    assert len(logs.filter_log_events(logGroupName=GROUP, logStreamNames=[STREAM] * 100)["events"])
    # the prefix alone picks the streams (moto ignored it)
    assert (
        len(logs.filter_log_events(logGroupName=GROUP, logStreamNamePrefix="2026")["events"]) == 7
    )
    assert logs.filter_log_events(logGroupName=GROUP, logStreamNamePrefix="2027")["events"] == []
    code, message, status = aws_error(
        lambda: logs.start_query(
            logGroupName=GROUP, startTime=0, endTime=1, queryString="fields @message", limit=10001
        )
    )
    assert (code, status) == ("InvalidParameterException", 400)
    assert "less than or equal to 10000" in message
    assert len(_query(logs, "fields @message", logGroupName=GROUP, limit=10000)) == 7
    assert len(_query(logs, "fields @message", logGroupName=GROUP, limit=2)) == 2


def test_cd11_log_group_identifier_name_or_arn(logs, group):
    """logGroupIdentifier (a name or an ARN) names the group in FilterLogEvents, StartQuery,
    GetLogEvents; with logGroupName too it's refused; a missing group is ResourceNotFound."""
    for identifier in (GROUP, group["arn"]):
        events = logs.filter_log_events(logGroupIdentifier=identifier, filterPattern="REPORT")
        assert len(events["events"]) == 5
        rows = _query(logs, "stats count(*) as n", logGroupIdentifiers=[identifier])
        assert rows == [{"n": "7"}]
        got = logs.get_log_events(logGroupIdentifier=identifier, logStreamName=STREAM)
        assert len(got["events"]) == 7
    code, message, status = aws_error(
        lambda: logs.filter_log_events(logGroupName=GROUP, logGroupIdentifier=GROUP)
    )
    assert (code, status) == ("InvalidParameterException", 400)
    assert "not both" in message
    code, _, status = aws_error(lambda: logs.filter_log_events(logGroupIdentifier="/aws/lambda/no"))
    assert (code, status) == ("ResourceNotFoundException", 400)
    code, _, status = aws_error(
        lambda: logs.start_query(
            logGroupIdentifiers=[group["arn"] + "x"], startTime=0, endTime=1, queryString="fields a"
        )
    )
    assert (code, status) == ("ResourceNotFoundException", 400)


def test_cd12_insights_errors_and_functions(logs, group):
    """An unknown query id and a query with no log group are AWS errors, not 500s;
    `by ispresent()`, `pct`, `sum(ispresent())` run; a function the kit can't run is refused."""
    code, _, status = aws_error(
        lambda: logs.get_query_results(queryId="12345678-1234-1234-1234-123456789012")
    )
    assert (code, status) == ("ResourceNotFoundException", 400)
    code, message, status = aws_error(
        lambda: logs.start_query(startTime=0, endTime=1, queryString="fields @message")
    )
    assert (code, status) == ("InvalidParameterException", 400)
    assert "exactly one" in message
    code, _, status = aws_error(
        lambda: logs.start_query(
            logGroupName=GROUP,
            logGroupNames=[GROUP],
            startTime=0,
            endTime=1,
            queryString="fields a",
        )
    )
    assert (code, status) == ("InvalidParameterException", 400)

    rows = _query(logs, 'filter @type = "REPORT" | stats count(*) as n by ispresent(@initDuration)')
    assert {r["ispresent(@initDuration)"]: r["n"] for r in rows} == {"1": "3", "0": "2"}
    rows = _query(logs, "stats pct(@duration, 90) as p90, count(@initDuration) as cold")
    assert rows == [{"p90": "50.0", "cold": "3"}]
    assert _query(logs, "fields ispresent(@initDuration) as c | stats sum(c) as n")[0]["n"] == "3.0"
    assert _query(logs, "stats sum(ispresent(@initDuration)) as n") == [{"n": "3.0"}]
    for query in ("stats count_distinct(@logStream)", "stats count(*) by strlen(@message)"):
        code, message, status = aws_error(lambda q=query: _query(logs, q))
        assert (code, status) == ("MalformedQueryException", 400)
        assert "kit" in message


def test_cd14_log_groups_by_prefix_and_pattern(logs, group):
    """DescribeLogGroups refuses a prefix with a pattern; the pattern alone is a case-sensitive
    substring (moto ignored it)."""
    logs.create_log_group(logGroupName="/aws/lambda/other")
    code, message, status = aws_error(
        lambda: logs.describe_log_groups(logGroupNamePrefix="/aws", logGroupNamePattern="ticker")
    )
    assert (code, status) == ("InvalidParameterException", 400)
    assert "mutually exclusive" in message
    found = logs.describe_log_groups(logGroupNamePattern="ticker")["logGroups"]
    assert [g["logGroupName"] for g in found] == [GROUP]
    assert logs.describe_log_groups(logGroupNamePattern="Ticker")["logGroups"] == []
    assert len(logs.describe_log_groups(logGroupNamePrefix="/aws")["logGroups"]) == 2


def test_cd18_insights_nested_json_fields(logs, group):
    """Nested JSON fields are flattened with dots, as Insights discovers them."""
    query = 'filter type = "platform.report" | stats count(record.metrics.initDurationMs) as cold'
    assert _query(logs, query) == [{"cold": "1"}]
    rows = _query(
        logs, "filter record.metrics.initDurationMs > 0 | fields record.metrics.initDurationMs"
    )
    assert [r["record.metrics.initDurationMs"] for r in rows] == ["90.5"]
    assert len(_query(logs, "filter ispresent(record.metrics.durationMs)")) == 1


def test_cd19_get_log_events_end_time_exclusive(logs, group):
    """GetLogEvents' endTime excludes events at that time; FilterLogEvents' includes them."""
    now = group["now"]
    get = logs.get_log_events
    assert (
        get(logGroupName=GROUP, logStreamName=STREAM, startFromHead=True, endTime=now)["events"]
        == []
    )
    assert len(get(logGroupName=GROUP, logStreamName=STREAM, endTime=now + 1)["events"]) == 7
    assert len(logs.filter_log_events(logGroupName=GROUP, endTime=now)["events"]) == 7


def test_cd20_retention_days_and_group_names(logs, group):
    """PutRetentionPolicy takes only AWS's periods; CreateLogGroup refuses a name with a space."""
    for days in (2, 10, 4000):
        code, message, status = aws_error(
            lambda d=days: logs.put_retention_policy(logGroupName=GROUP, retentionInDays=d)
        )
        assert (code, status) == ("InvalidParameterException", 400)
        assert "enum value set" in message
    for days in (1, 14, 3653):
        logs.put_retention_policy(logGroupName=GROUP, retentionInDays=days)
    assert logs.describe_log_groups()["logGroups"][0]["retentionInDays"] == 3653
    code, message, status = aws_error(
        lambda: logs.create_log_group(logGroupName="aws/lambda/bad name")
    )
    assert (code, status) == ("InvalidParameterException", 400)
    assert "regular expression pattern" in message
    logs.create_log_group(logGroupName="aws/lambda/good_name-1.#x")


def test_ed3_publish_batch_entry_ids(fresh, sqs):
    """PublishBatch refuses an Id with a colon, a dot, a space or over 80 characters with
    InvalidBatchEntryId, and publishes nothing; 80 letters, digits, - and _ are taken."""
    sns = fresh.client("sns")
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    url = sqs.create_queue(QueueName="alerts-copy")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn["QueueArn"])
    for bad in ("r-123:1000.15", "2275.21", "r 1", "a" * 81):
        entries = [{"Id": "fine", "Message": "m"}, {"Id": bad, "Message": "m"}]
        code, message, status = aws_error(
            lambda e=entries: sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=e)
        )
        assert (code, status) == ("InvalidBatchEntryId", 400)
        assert "abide by the specification" in message
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)
    good = "A-_9" + "a" * 76
    sent = sns.publish_batch(
        TopicArn=topic, PublishBatchRequestEntries=[{"Id": good, "Message": "m"}]
    )
    assert [s["Id"] for s in sent["Successful"]] == [good]


def test_fd14_sqs_body_with_a_nul(sqs):
    """SendMessage(Batch) refuses a body with a character outside SQS's set; the edges of the
    set (tab, newline, U+FFFD, an emoji) are taken."""
    url = sqs.create_queue(QueueName="receipts")["QueueUrl"]
    for body in ("a\x00b", "esc\x1b", "\ufffe"):
        code, message, status = aws_error(
            lambda b=body: sqs.send_message(QueueUrl=url, MessageBody=b)
        )
        assert (code, status) == ("InvalidMessageContents", 400)
        assert "allowed characters" in message
    code, _, status = aws_error(
        lambda: sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "a\x00"}])
    )
    assert (code, status) == ("InvalidMessageContents", 400)
    body = "tab\t nl\n cr\r é € \ufffd \U0001f600"
    sqs.send_message(QueueUrl=url, MessageBody=body)
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == body


def test_cd7_list_buckets_max_buckets(s3):
    """ListBuckets refuses MaxBuckets over 10,000 with InvalidArgument; 10,000 and 1 are taken."""
    s3.create_bucket(Bucket="photos-in")
    for value in (10_001, 100_000):
        code, _, status = aws_error(lambda v=value: s3.list_buckets(MaxBuckets=v))
        assert (code, status) == ("InvalidArgument", 400)
    assert [b["Name"] for b in s3.list_buckets(MaxBuckets=10_000)["Buckets"]] == ["photos-in"]
    assert len(s3.list_buckets(MaxBuckets=1)["Buckets"]) == 1


def test_fd6_import_api_is_a_clear_400(fresh):
    """ImportApi answers a 400 naming the calls to use, not a 500; create_api still works."""
    api = fresh.client("apigatewayv2")
    definition = {
        "openapi": "3.0.1",
        "info": {"title": "receipts-api", "version": "1"},
        "paths": {},
    }
    code, message, status = aws_error(lambda: api.import_api(Body=json.dumps(definition)))
    assert (code, status) == ("BadRequestException", 400)
    assert "create_api" in message and "create_route" in message and "local kit" in message
    assert api.create_api(Name="receipts-api", ProtocolType="HTTP")["ApiId"]
