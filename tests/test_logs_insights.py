"""Logs Insights queries run their filter and stats as Insights does, and refuse what the kit
doesn't run instead of answering it wrongly."""

from __future__ import annotations

import json
import time

import pytest
from botocore.exceptions import ClientError

GROUP = "app"


@pytest.fixture
def group(logs):
    logs.create_log_group(logGroupName=GROUP)
    logs.create_log_stream(logGroupName=GROUP, logStreamName="s")
    now = int(time.time() * 1000)
    lines = [
        "START RequestId: r1 Version: $LATEST",
        "INFO all good",
        "REPORT RequestId: r1\tDuration: 2.50 ms\tBilled Duration: 103 ms\tMemory Size: 128 MB"
        "\tMax Memory Used: 40 MB\tInit Duration: 100.00 ms\t",
        "START RequestId: r2 Version: $LATEST",
        "ERROR disk full",
        json.dumps({"level": "ERROR", "message": "disk full again"}),
        "REPORT RequestId: r2\tDuration: 7.50 ms\tBilled Duration: 8 ms\tMemory Size: 128 MB"
        "\tMax Memory Used: 41 MB\t",
    ]
    logs.put_log_events(
        logGroupName=GROUP,
        logStreamName="s",
        logEvents=[{"timestamp": now + i, "message": m} for i, m in enumerate(lines)],
    )
    return now


def _run(logs, query: str) -> list[dict[str, str]]:
    started = logs.start_query(
        logGroupName=GROUP,
        startTime=int(time.time()) - 3600,
        endTime=int(time.time()) + 3600,
        queryString=query,
    )
    result = logs.get_query_results(queryId=started["queryId"])
    assert result["status"] == "Complete"
    return [{f["field"]: f["value"] for f in row} for row in result["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fields @message | filter @message like /Init Duration/", 1),
        ('filter @message like "ERROR"', 2),
        ("filter @message not like /RequestId/", 3),
        ('filter @type = "REPORT"', 2),
        ("filter ispresent(@initDuration)", 1),
        ('filter level = "ERROR"', 1),
        ("filter @duration > 5", 1),
        ('filter @message like /ERROR/ or @type = "START"', 4),
        ("filter @message like /ERROR/ and @message like /again/", 1),
        ("fields @message | limit 2", 2),
    ],
)
def test_filter_keeps_only_the_matching_lines(logs, group, query, expected):
    assert len(_run(logs, query)) == expected


def test_stats_count_and_aggregates_by_field(logs, group):
    assert _run(logs, "filter @type = 'REPORT' | stats count(*) as reports") == [{"reports": "2"}]
    rows = _run(logs, "filter @type = 'REPORT' | stats avg(@duration), max(@billedDuration)")
    assert rows == [{"avg(@duration)": "5.0", "max(@billedDuration)": "103.0"}]
    by_type = _run(logs, "stats count(*) as n by @type | sort n desc")
    assert {r.get("@type"): r["n"] for r in by_type if "@type" in r} == {
        "START": "2",
        "REPORT": "2",
    }


def test_a_command_the_kit_does_not_run_is_refused(logs, group):
    with pytest.raises(ClientError) as refused:
        _run(logs, "parse @message '* *' as level, text")
    assert refused.value.response["Error"]["Code"] == "MalformedQueryException"
    assert "`parse` is not one of them" in refused.value.response["Error"]["Message"]
