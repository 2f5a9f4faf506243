"""Exercises of notebook 04: an HTTP API backend, a cron job, SNS fan-out with a filter policy.

Each check drives the learner's resources the way their trigger would: it calls the API over
HTTP, fast-forwards the kit's clock through a day, or publishes to the topic, then looks at what
really ran.
"""

from __future__ import annotations

import json
import random
import string
from types import SimpleNamespace
from typing import Any

from .core import Exercise, Incorrect, function_exists


def _local_aws() -> Any:
    from ..cloud import current

    aws = current()
    if aws is None or not aws.running:
        raise Incorrect("the local AWS is not running. Run `aws = helpers.start()` first.")
    return aws


def _async_runs(aws: Any, function: str, source: str) -> list[Any]:
    """The asynchronous events `source` sent to `function` so far, oldest first."""
    return [
        event
        for event in aws.runtime.async_queue.events()
        if event.function == function and event.source == source
    ]


# ------------------------------------------------------------------------- q1: an HTTP API
def _check_04_http_api() -> str:
    import boto3
    import requests

    _local_aws()
    apigw = boto3.client("apigatewayv2")
    apis = apigw.get_apis()["Items"]
    api = next((a for a in apis if a["Name"] == "greetings"), None)
    if api is None:
        seen = f" (found: {', '.join(sorted(a['Name'] for a in apis))})" if apis else ""
        raise Incorrect(
            f"there is no API named `greetings` yet{seen}. Create it with "
            "`apigw.create_api(Name='greetings', ProtocolType='HTTP')`."
        )
    if api.get("ProtocolType") != "HTTP":
        raise Incorrect(
            f"`greetings` is a {api.get('ProtocolType')} API; make an HTTP API "
            "(`ProtocolType='HTTP'`)."
        )
    name = random.choice(["Ada", "Grace", "Alan", "Edsger", "Barbara"]) + "".join(
        random.choices(string.digits, k=4)
    )
    url = f"{api['ApiEndpoint']}/hello/{name}"
    try:
        response = requests.get(url, timeout=30)
    except requests.RequestException as exc:
        raise Incorrect(f"calling GET /hello/{name} failed: {exc}") from None
    if response.status_code == 404:
        raise Incorrect(
            f"GET /hello/{name} answered 404 {response.text}: no route matched. The API needs "
            "the route `GET /hello/{name}` (`create_route`, with `Target='integrations/<id>'`) "
            "and a `$default` stage with `AutoDeploy=True` (`create_stage`)."
        )
    if response.status_code in (500, 502, 503):
        raise Incorrect(
            f"GET /hello/{name} answered {response.status_code} {response.text}: the function "
            "failed, or returned something API Gateway cannot use. Read its error in "
            "CloudWatch Logs (`/aws/lambda/<your function>`)."
        )
    if response.status_code != 200:
        raise Incorrect(
            f"GET /hello/{name} answered {response.status_code}; expected 200. Return "
            "`statusCode: 200` (or a dict without `statusCode`)."
        )
    content_type = response.headers.get("Content-Type", "")
    if not content_type.startswith("application/json"):
        raise Incorrect(
            f"GET /hello/{name} answered with Content-Type `{content_type}`; expected "
            "`application/json`. Set it in the response's `headers`."
        )
    expected = {"message": f"Hello, {name}!"}
    try:
        body = response.json()
    except ValueError:
        raise Incorrect(
            f"GET /hello/{name} answered {response.text!r}, which is not JSON. "
            "Make the body `json.dumps({...})`."
        ) from None
    if body != expected:
        raise Incorrect(
            f"GET /hello/{name} answered {body!r}; expected {expected!r}. Read the name from "
            "`event['pathParameters']['name']`."
        )
    return (
        "Over real HTTP, `GET /hello/<a random name>` answered 200 with "
        '`{"message": "Hello, <that name>!"}` as JSON.'
    )


_GREETINGS_SETUP = """
import json, boto3
from helpers.packaging import zip_bytes
from helpers.iam import execution_role

lam = boto3.client("lambda")
apigw = boto3.client("apigatewayv2")
account = boto3.client("sts").get_caller_identity()["Account"]
region = lam.meta.region_name
"""
_GREETINGS_API = """
fn_arn = lam.create_function(
    FunctionName="greeter-api",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
)["FunctionArn"]

api_id = apigw.create_api(Name="greetings", ProtocolType="HTTP")["ApiId"]
integration_id = apigw.create_integration(
    ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn_arn, PayloadFormatVersion="2.0"
)["IntegrationId"]
apigw.create_route(
    ApiId=api_id, RouteKey="GET /hello/{name}", Target=f"integrations/{integration_id}"
)
apigw.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
lam.add_permission(
    FunctionName="greeter-api",
    StatementId="greetings-api",
    Action="lambda:InvokeFunction",
    Principal="apigateway.amazonaws.com",
    SourceArn=f"arn:aws:execute-api:{region}:{account}:{api_id}/*",
)
"""
_GREETINGS_SOLUTION = (
    _GREETINGS_SETUP
    + '''
source = """
import json

def handler(event, context):
    name = event["pathParameters"]["name"]
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"message": f"Hello, {name}!"}),
    }
"""
'''
    + _GREETINGS_API
)
_GREETINGS_WRONG = (
    _GREETINGS_SETUP
    + '''
source = """
import json

def handler(event, context):
    name = event["queryStringParameters"]["name"]  # the name is in the path, not the query
    return {"message": f"Hello, {name}!"}
"""
'''
    + _GREETINGS_API
)


# ---------------------------------------------------------------------- q2: a nightly job
def _rules_targeting(eventbridge: Any, function_arn: str) -> list[dict[str, Any]]:
    """The rules (on the default event bus) with the function among their targets."""
    names = eventbridge.list_rule_names_by_target(TargetArn=function_arn)["RuleNames"]
    return [eventbridge.describe_rule(Name=name) for name in names]


def _check_04_cron() -> str:
    import boto3

    aws = _local_aws()
    config = function_exists("cleanup")
    eventbridge = boto3.client("events")
    rules = _rules_targeting(eventbridge, config["FunctionArn"])
    if not rules:
        raise Incorrect(
            "no EventBridge rule has `cleanup` as its target yet. Create a rule with "
            "`eventbridge.put_rule(Name=..., ScheduleExpression=...)`, then add the function with "
            "`eventbridge.put_targets(Rule=..., Targets=[{'Id': ..., 'Arn': <cleanup's ARN>}])`."
        )
    scheduled = [r for r in rules if r.get("ScheduleExpression")]
    if not scheduled:
        raise Incorrect(
            f"the rule `{rules[0]['Name']}` targets `cleanup` but has no schedule: give it a "
            "`ScheduleExpression` such as `cron(...)`."
        )
    enabled = [r for r in scheduled if r.get("State") == "ENABLED"]
    if not enabled:
        raise Incorrect(
            f"the rule `{scheduled[0]['Name']}` is disabled: `eventbridge.enable_rule(Name=...)`."
        )
    arns = {r["Arn"] for r in enabled}
    timers = aws.runtime.timers
    runs_before = len(_async_runs(aws, "cleanup", "aws.events"))
    fired_before = len(timers.fired)
    aws.advance_clock(days=1)
    aws.wait(30)
    runs = len(_async_runs(aws, "cleanup", "aws.events")) - runs_before
    times = sorted(
        f["time"].strftime("%H:%M") for f in timers.fired[fired_before:] if f["schedule"] in arns
    )
    expressions = ", ".join(f"`{r['ScheduleExpression']}`" for r in enabled)
    if runs != 1 or len(times) != 1:
        shown = ", ".join(times[:6]) + (" …" if len(times) > 6 else "")
        raise Incorrect(
            f"over one day (the check moved the kit's clock on by 24 hours) `cleanup` ran "
            f"{runs} times{f' (at {shown} UTC)' if times else ''}; expected exactly once, at "
            f"03:00 UTC. Your schedule: {expressions}. A cron expression has six fields: "
            "minutes hours day-of-month month day-of-week year."
        )
    if times != ["03:00"]:
        raise Incorrect(
            f"`cleanup` ran once a day, but at {times[0]} UTC instead of 03:00 (your schedule: "
            f"{expressions}). In `cron(...)` the minutes come first, then the hours; "
            "`rate(1 day)` counts from when the rule was created, not from midnight."
        )
    return "Over a fast-forwarded day, `cleanup` ran exactly once, at 03:00 UTC."


_CLEANUP_SETUP = '''
import boto3
from helpers.packaging import zip_bytes
from helpers.iam import execution_role

lam = boto3.client("lambda")
eventbridge = boto3.client("events")
source = """
def handler(event, context):
    print("cleaning up for", event["time"])
"""
fn_arn = lam.create_function(
    FunctionName="cleanup",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
)["FunctionArn"]
'''
_CLEANUP_RULE = """
rule_arn = eventbridge.put_rule(Name="nightly-cleanup", ScheduleExpression=EXPRESSION)["RuleArn"]
eventbridge.put_targets(Rule="nightly-cleanup", Targets=[{"Id": "cleanup", "Arn": fn_arn}])
lam.add_permission(
    FunctionName="cleanup",
    StatementId="nightly-cleanup",
    Action="lambda:InvokeFunction",
    Principal="events.amazonaws.com",
    SourceArn=rule_arn,
)
"""
_CLEANUP_SOLUTION = _CLEANUP_SETUP + _CLEANUP_RULE.replace("EXPRESSION", '"cron(0 3 * * ? *)"')
# The classic slip: hours and minutes swapped, so it runs at 00:03.
_CLEANUP_WRONG = _CLEANUP_SETUP + _CLEANUP_RULE.replace("EXPRESSION", '"cron(3 0 * * ? *)"')


# ------------------------------------------------------------- q3: SNS with a filter policy
def _check_04_sns_filter() -> str:
    import boto3

    aws = _local_aws()
    config = function_exists("pager")
    sns = boto3.client("sns")
    topics = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
    topic = next((t for t in topics if t.rsplit(":", 1)[-1] == "incidents"), None)
    if topic is None:
        raise Incorrect(
            "there is no SNS topic named `incidents` yet: `sns.create_topic(Name='incidents')`."
        )
    arn = config["FunctionArn"]
    subscriptions = [
        s
        for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        if s["Protocol"] == "lambda" and s["Endpoint"] in (arn, f"{arn}:$LATEST")
    ]
    if not subscriptions:
        raise Incorrect(
            "`pager` is not subscribed to `incidents` yet: `sns.subscribe(TopicArn=..., "
            "Protocol='lambda', Endpoint=<pager's ARN>)`."
        )
    token = "".join(random.choices(string.ascii_lowercase, k=8))

    def deliveries_after(severity: str) -> int:
        before = len(_async_runs(aws, "pager", "aws:sns"))
        sns.publish(
            TopicArn=topic,
            Message=json.dumps({"severity": severity, "check": token}),
            MessageAttributes={"severity": {"DataType": "String", "StringValue": severity}},
        )
        aws.wait(30)
        return len(_async_runs(aws, "pager", "aws:sns")) - before

    got_critical = deliveries_after("critical")
    if got_critical == 0:
        raise Incorrect(
            "a message with the attribute severity=critical did not reach `pager`. Check the "
            "subscription's `FilterPolicy`: `{'severity': ['critical']}`."
        )
    got_info = deliveries_after("info")
    if got_info:
        raise Incorrect(
            "a message with severity=info reached `pager` too. Give its subscription the "
            "attribute `FilterPolicy` = `json.dumps({'severity': ['critical']})` "
            "(`subscribe(..., Attributes=...)` or `set_subscription_attributes`)."
        )
    return "A message with severity=critical reached `pager`, and one with severity=info did not."


_PAGER_SETUP = '''
import json, boto3
from helpers.packaging import zip_bytes
from helpers.iam import execution_role

lam = boto3.client("lambda")
sns = boto3.client("sns")
source = """
import json

def handler(event, context):
    for record in event["Records"]:
        print("PAGE", record["Sns"]["Message"])
"""
fn_arn = lam.create_function(
    FunctionName="pager",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
)["FunctionArn"]
topic_arn = sns.create_topic(Name="incidents")["TopicArn"]
lam.add_permission(
    FunctionName="pager",
    StatementId="incidents-topic",
    Action="lambda:InvokeFunction",
    Principal="sns.amazonaws.com",
    SourceArn=topic_arn,
)
'''
_PAGER_SOLUTION = (
    _PAGER_SETUP
    + """
sns.subscribe(
    TopicArn=topic_arn,
    Protocol="lambda",
    Endpoint=fn_arn,
    Attributes={"FilterPolicy": json.dumps({"severity": ["critical"]})},
)
"""
)
_PAGER_WRONG = (
    _PAGER_SETUP
    + """
sns.subscribe(TopicArn=topic_arn, Protocol="lambda", Endpoint=fn_arn)
"""
)

notebook_04 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Build an HTTP API named `greetings` whose route `GET /hello/{name}` answers 200 "
            'with the JSON `{"message": "Hello, <name>!"}`.'
        ),
        checker=_check_04_http_api,
        hint_text=(
            "A function that reads `event['pathParameters']['name']` and returns `statusCode`, "
            "`headers` and a `json.dumps` body; then `create_api`, `create_integration` "
            "(`AWS_PROXY`, payload 2.0), `create_route(RouteKey='GET /hello/{name}', "
            "Target=f'integrations/{integration_id}')` and `create_stage(StageName='$default', "
            "AutoDeploy=True)`."
        ),
        solution_code=_GREETINGS_SOLUTION,
        wrong_code=_GREETINGS_WRONG,
    ),
    q2=Exercise(
        name="q2",
        task="Make an EventBridge rule run the function `cleanup` every day at 03:00 UTC.",
        checker=_check_04_cron,
        hint_text=(
            "`eventbridge.put_rule(Name='nightly-cleanup', "
            "ScheduleExpression='cron(M H * * ? *)')` with the minutes first and the hours "
            "second, then `eventbridge.put_targets` with cleanup's ARN (and "
            "`lam.add_permission` for `events.amazonaws.com`, as on AWS)."
        ),
        solution_code=_CLEANUP_SOLUTION,
        wrong_code=_CLEANUP_WRONG,
    ),
    q3=Exercise(
        name="q3",
        task=(
            "Subscribe the function `pager` to the SNS topic `incidents` so that it receives "
            "only the messages whose attribute `severity` is `critical`."
        ),
        checker=_check_04_sns_filter,
        hint_text=(
            "`sns.subscribe(TopicArn=..., Protocol='lambda', Endpoint=<pager's ARN>, "
            "Attributes={'FilterPolicy': json.dumps({'severity': ['critical']})})`."
        ),
        solution_code=_PAGER_SOLUTION,
        wrong_code=_PAGER_WRONG,
    ),
)
