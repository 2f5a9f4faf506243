"""EventBridge's input transformer fills its template as AWS does (patches/input_transformer)."""

from __future__ import annotations

from helpers.patches.input_transformer import fill

# AWS's own example event (the input transformation page).
EVENT = {
    "version": "0",
    "id": "7bf73129-1428-4cd3-a780-95db273d1602",
    "detail-type": "EC2 Instance State-change Notification",
    "source": "aws.ec2",
    "account": "123456789012",
    "time": "2015-11-11T21:29:54Z",
    "region": "us-east-1",
    "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
    "detail": {"instance-id": "i-0123456789", "state": "RUNNING"},
}
PATHS = {"instance": "$.detail.instance-id", "state": "$.detail.state"}
RULE = "arn:aws:events:us-east-1:123456789012:rule/ec2-states"


def transformed(template: str, paths: dict | None = None):
    return fill({"InputPathsMap": PATHS if paths is None else paths, "InputTemplate": template},
                EVENT, RULE)  # fmt: skip


def test_a_variable_outside_quotes_is_its_json_value():
    assert transformed('{"instance": <instance>, "state": [9, <state>, true]}') == {
        "instance": "i-0123456789",
        "state": [9, "RUNNING", True],
    }


def test_a_variable_inside_quotes_is_its_text():
    assert (
        transformed('"instance <instance> is in <state>"') == "instance i-0123456789 is in RUNNING"
    )


def test_text_that_is_not_json_reaches_the_target_as_text():
    assert transformed("instance <instance> is in <state>") == (
        'instance "i-0123456789" is in "RUNNING"'
    )


def test_the_reserved_variables():
    filled = transformed(
        '{"at": <aws.events.event.ingestion-time>, "rule": "<aws.events.rule-name>", '
        '"arn": <aws.events.rule-arn>, "whole": <aws.events.event.json>, '
        '"head": <aws.events.event>}',
        paths={},
    )
    assert filled["at"] == "2015-11-11T21:29:54Z" and filled["rule"] == "ec2-states"
    assert filled["arn"] == RULE and filled["whole"] == EVENT
    assert "detail" not in filled["head"] and filled["head"]["id"] == EVENT["id"]


def test_an_object_value_and_a_missing_path():
    filled = transformed('{"d": <d>, "gone": <gone>}', {"d": "$.detail", "gone": "$.nothing"})
    assert filled == {"d": EVENT["detail"], "gone": None}
