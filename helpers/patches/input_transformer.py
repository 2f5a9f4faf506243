"""EventBridge's input transformer, as AWS fills an InputTemplate.

(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html, as of
2026-12.) Each variable of `InputPathsMap` is a JSON path into the event. In the template:

- a variable outside quotes becomes its JSON value: a string gets its quotes
  (`{"state": <state>}` gives `{"state": "RUNNING"}`);
- a variable inside a quoted string becomes its text (`"<instance> is <state>"`);
- the reserved variables: `aws.events.rule-arn`, `aws.events.rule-name`,
  `aws.events.event.ingestion-time` (ISO 8601), `aws.events.event` (the event without `detail`)
  and `aws.events.event.json` (the whole event).

A template that is JSON once filled reaches the target as that JSON; any other text reaches it
as a string. (moto quoted nothing, read a key its own event copy had lost, and failed on both.)
"""

from __future__ import annotations

import json
import re
from typing import Any

_VARIABLE = re.compile(r"<([A-Za-z0-9_.\-]+)>")


def _value(path: str, event: dict[str, Any]) -> Any:
    from jsonpath_ng.ext import parse

    found = parse(path).find(event)
    return found[0].value if found else None


def fill(transformer: dict[str, Any], event: dict[str, Any], rule_arn: str = "") -> Any:
    """What the target receives: the template filled from the event (JSON, or else text)."""
    values: dict[str, Any] = {
        name: _value(path, event) for name, path in (transformer.get("InputPathsMap") or {}).items()
    }
    values["aws.events.rule-arn"] = rule_arn
    values["aws.events.rule-name"] = rule_arn.rsplit("/", 1)[-1]
    values["aws.events.event.ingestion-time"] = event.get("time", "")
    values["aws.events.event"] = {k: v for k, v in event.items() if k != "detail"}
    values["aws.events.event.json"] = event
    template = transformer.get("InputTemplate") or ""
    out, quoted, escaped, last = [], False, False, 0
    for index, char in enumerate(template):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "<":
            match = _VARIABLE.match(template, index)
            if match and match.group(1) in values:
                out.append(template[last:index])
                value = values[match.group(1)]
                if quoted:
                    text = value if isinstance(value, str) else json.dumps(value)
                    out.append("" if value is None else json.dumps(text)[1:-1])
                else:
                    out.append(json.dumps(value))
                last = match.end()
    out.append(template[last:])
    filled = "".join(out)
    try:
        return json.loads(filled)
    except ValueError:
        return filled
