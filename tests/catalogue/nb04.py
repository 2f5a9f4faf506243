"""Notebook 04: q1 an HTTP API `greetings`, q2 `cleanup` at 03:00 UTC, q3 `pager` on
`incidents` with a filter policy; each with the permission its trigger needs on AWS."""

from tests.catalogue import Answers, Wrong

# What the learner's cells share, as the notebook's set-up has it; `deploy` replaces a function
# of the same name, so that a cell can run after any other.
SETUP = """
import json, boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
apigw = boto3.client("apigatewayv2")
eventbridge = boto3.client("events")
sns = boto3.client("sns")
account = boto3.client("sts").get_caller_identity()["Account"]
region = lam.meta.region_name

def deploy(name, source, runtime="python3.13"):
    try:
        lam.delete_function(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        pass
    arn = lam.create_function(FunctionName=name, Runtime=runtime, Role=execution_role(),
                              Handler="app.handler",
                              Code={"ZipFile": zip_bytes({"app.py": source})})["FunctionArn"]
    lam.get_waiter("function_active_v2").wait(FunctionName=name)
    return arn
"""

# ------------------------------------------------------------------------------ q1
GREETS = """
import json

def handler(event, context):
    name = event["pathParameters"]["name"]
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"},
            "body": json.dumps({"message": f"Hello, {name}!"})}
"""

_API = """
for old in apigw.get_apis()["Items"]:
    if old["Name"] == "greetings":
        apigw.delete_api(ApiId=old["ApiId"])
fn_arn = deploy("greeter-api", SOURCE)
if globals().get("ALIAS"):  # the route invokes an alias of the function
    version = lam.publish_version(FunctionName="greeter-api")["Version"]
    fn_arn = lam.create_alias(FunctionName="greeter-api", Name="live",
                              FunctionVersion=version)["AliasArn"]
api_id = apigw.create_api(Name="greetings", ProtocolType="HTTP")["ApiId"]
integration_id = apigw.create_integration(
    ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn_arn,
    PayloadFormatVersion={version!r})["IntegrationId"]
apigw.create_route(ApiId=api_id, RouteKey={route!r}, Target=f"integrations/{{integration_id}}")
if {stage!r}:
    apigw.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
"""
_PERMISSION = """
lam.add_permission(FunctionName="greeter-api", StatementId="greetings-api",
                   Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
                   {source_arn})
"""


def api(
    source: str,
    *,
    permission: str | None = 'SourceArn=f"arn:aws:execute-api:{region}:{account}:{api_id}/*"',
    version: str = "2.0",
    route: str = "GET /hello/{name}",
    stage: bool = True,
    before: str = "",
) -> str:
    """A learner's q1 cell: `source` behind the API greetings, with its permission."""
    cell = SETUP + before + f"SOURCE = '''{source}'''\n"
    cell += _API.format(version=version, route=route, stage=stage)
    if permission is not None:
        cell += _PERMISSION.format(source_arn=permission)
    return cell


def greets(body: str) -> str:
    return (
        "import json\n\ndef handler(event, context):\n"
        "    name = event['pathParameters']['name']\n" + body
    )


# ------------------------------------------------------------------------------ q2
CLEANS = "def handler(event, context):\n    print('cleaning up for', event['time'])\n"

_RULES = """
try:
    old_arn = lam.get_function_configuration(FunctionName="cleanup")["FunctionArn"]
    for rule in eventbridge.list_rule_names_by_target(TargetArn=old_arn)["RuleNames"]:
        ids = [t["Id"] for t in eventbridge.list_targets_by_rule(Rule=rule)["Targets"]]
        eventbridge.remove_targets(Rule=rule, Ids=ids)
        eventbridge.delete_rule(Name=rule)
except lam.exceptions.ResourceNotFoundException:
    pass
cleanup_arn = deploy("cleanup", SOURCE)
"""


def cron(
    *schedules: str,
    permission: str | None = "SourceArn=rule_arn",
    state: str = "ENABLED",
    source: str = CLEANS,
) -> str:
    """A learner's q2 cell: rules with these schedules target cleanup, each with a permission."""
    cell = SETUP + f"SOURCE = '''{source}'''\n" + _RULES
    for n, schedule in enumerate(schedules):
        cell += (
            f"rule_arn = eventbridge.put_rule(Name='nightly-{n}', ScheduleExpression="
            f"{schedule!r}, State={state!r})['RuleArn']\n"
            f"eventbridge.put_targets(Rule='nightly-{n}', "
            "Targets=[{'Id': 'cleanup', 'Arn': cleanup_arn}])\n"
        )
        if permission is not None:
            cell += (
                f"lam.add_permission(FunctionName='cleanup', StatementId='nightly-{n}', "
                "Action='lambda:InvokeFunction', Principal='events.amazonaws.com', "
                f"{permission})\n"
            )
    return cell


# ------------------------------------------------------------------------------ q3
PAGES = """
def handler(event, context):
    for record in event["Records"]:
        print("PAGE", record["Sns"]["Message"])
"""

_TOPIC = """
topic_arn = sns.create_topic(Name="incidents")["TopicArn"]
for sub in sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]:
    sns.unsubscribe(SubscriptionArn=sub["SubscriptionArn"])
pager_arn = deploy("pager", SOURCE)
if globals().get("ALIAS"):  # subscribe an alias of pager, not pager itself
    version = lam.publish_version(FunctionName="pager")["Version"]
    pager_arn = lam.create_alias(FunctionName="pager", Name="live",
                                 FunctionVersion=version)["AliasArn"]
"""


def pager(
    attributes: str | None = "{'FilterPolicy': json.dumps({'severity': ['critical']})}",
    *,
    permission: str | None = "SourceArn=topic_arn",
    before: str = "",
) -> str:
    """A learner's q3 cell: pager subscribed to incidents with these attributes."""
    cell = SETUP + before + f"SOURCE = '''{PAGES}'''\n" + _TOPIC
    if permission is not None:
        cell += (
            "lam.add_permission(FunctionName='pager', StatementId='incidents', "
            "Action='lambda:InvokeFunction', Principal='sns.amazonaws.com', "
            f"{permission})\n"
        )
    extra = f", Attributes={attributes}" if attributes else ""
    cell += f"sns.subscribe(TopicArn=topic_arn, Protocol='lambda', Endpoint=pager_arn{extra})\n"
    return cell


ANSWERS = {
    "q1": Answers(
        wrong={
            "missing-add-permission": Wrong(
                api(GREETS, permission=None),
                "no resource-based policy statement",
                "apigateway.amazonaws.com",
                "add_permission",
            ),
            "dict-body": Wrong(
                api(
                    greets(
                        "    return {'statusCode': 200, 'headers': {'Content-Type': "
                        "'application/json'}, 'body': {'message': f'Hello, {name}!'}}\n"
                    )
                ),
                "`body` that is a dict",
                "not a string",
                "500",
            ),
            "over-broad-permission": Wrong(api(GREETS, permission=""), "over-broad", "SourceArn"),
            "permission-for-another-api": Wrong(
                api(
                    GREETS,
                    before="shop_id = apigw.create_api(Name='shop-api', ProtocolType='HTTP')"
                    "['ApiId']\n",
                    permission='SourceArn=f"arn:aws:execute-api:{region}:{account}:{shop_id}/*"',
                ),
                "allow only the source",
                "the API `shop-api`",
            ),
            "name-from-query-string": Wrong(
                api(
                    "import json\n\ndef handler(event, context):\n"
                    "    name = event['queryStringParameters']['name']\n"
                    "    return {'message': f'Hello, {name}!'}\n"
                ),
                "answered 500",
                "failed with KeyError",
                "queryStringParameters",
            ),
            "hard-coded-name": Wrong(
                api(greets("    return {'message': 'Hello, Ada!'}\n")),
                "expected",
                "pathParameters",
            ),
            "permission-on-function-not-alias": Wrong(
                api(GREETS, before="ALIAS = True\n"),
                "on `greeter-api` itself",
                "Qualifier='live'",
            ),
            "no-stage": Wrong(api(GREETS, stage=False), "404", "$default"),
            "route-without-parameter": Wrong(
                api(GREETS, route="GET /hello"), "no route `GET /hello/{name}`"
            ),
            "second-api-same-name": Wrong(
                api(GREETS) + "apigw.create_api(Name='greetings', ProtocolType='HTTP')\n",
                "2 APIs named `greetings`",
            ),
        },
        right={
            "inferred-response": api(greets("    return {'message': f'Hello, {name}!'}\n")),
            "alias-behind-the-route": api(
                GREETS,
                before="ALIAS = True\n",
                permission='SourceArn=f"arn:aws:execute-api:{region}:{account}:{api_id}/*", '
                "Qualifier='live'",
            ),
            "payload-1.0-and-route-arn": api(
                GREETS,
                version="1.0",
                permission='SourceArn=f"arn:aws:execute-api:{region}:{account}:{api_id}'
                '/*/GET/hello/{{name}}"',
            ),
            "raw-path-and-source-account": api(
                "import json\nfrom urllib.parse import unquote\n\n"
                "def handler(event, context):\n"
                "    name = unquote(event['rawPath'].rsplit('/', 1)[-1])\n"
                "    body = json.dumps({'message': 'Hello, ' + name + '!'}, ensure_ascii=False)\n"
                "    return {'statusCode': 200, 'body': body,\n"
                "            'headers': {'content-type': 'application/json; charset=utf-8'}}\n",
                permission='SourceArn=f"arn:aws:execute-api:{region}:{account}:{api_id}/*", '
                "SourceAccount=account",
            ),
        },
        broken="dict-body",
    ),
    "q2": Answers(
        wrong={
            "missing-add-permission": Wrong(
                cron("cron(0 3 * * ? *)", permission=None),
                "no resource-based policy statement",
                "events.amazonaws.com",
            ),
            "hours-and-minutes-swapped": Wrong(
                cron("cron(3 0 * * ? *)"), "ran 1 time", "00:03", "minutes"
            ),
            "every-minute-of-3am": Wrong(cron("cron(* 3 * * ? *)"), "ran 60 time"),
            "rate-one-day": Wrong(cron("rate(1 day)"), "ran 1 time", "rate(1 day)"),
            "over-broad-permission": Wrong(cron("cron(0 3 * * ? *)", permission=""), "over-broad"),
            "disabled-rule": Wrong(cron("cron(0 3 * * ? *)", state="DISABLED"), "disabled"),
            "two-rules": Wrong(
                cron("cron(0 3 * * ? *)", "cron(0 15 * * ? *)"), "ran 2 time", "15:00"
            ),
            "local-time": Wrong(cron("cron(0 4 * * ? *)"), "once at 04:00"),
        },
        right={
            "weekdays-as-question-mark-and-star": cron("cron(0 3 ? * * *)"),
            "zero-padded-and-account": cron(
                "cron(00 03 * * ? *)",
                permission="SourceArn=rule_arn, SourceAccount=account",
            ),
            "handler-that-ignores-the-event": cron(
                "cron(0 3 * * ? *)", source="def handler(event, context):\n    return 'done'\n"
            ),
        },
        broken="hours-and-minutes-swapped",
    ),
    "q3": Answers(
        wrong={
            "missing-add-permission": Wrong(
                pager(permission=None), "no resource-based policy statement", "sns.amazonaws.com"
            ),
            "no-filter-policy": Wrong(pager(None), "reached `pager` too", "FilterPolicy"),
            "permission-for-another-topic": Wrong(
                pager(
                    before="orders_arn = sns.create_topic(Name='orders')['TopicArn']\n",
                    permission="SourceArn=orders_arn",
                ),
                "allow only the source",
                "orders",
            ),
            "over-broad-permission": Wrong(pager(permission=""), "over-broad"),
            "wildcard-topic-arn": Wrong(
                pager(permission="SourceArn=topic_arn + '*'"), "over-broad", ":incidents-"
            ),
            "filter-on-the-body": Wrong(
                pager(
                    "{'FilterPolicy': json.dumps({'severity': ['critical']}), "
                    "'FilterPolicyScope': 'MessageBody'}"
                ),
                "did not reach `pager`",
                "FilterPolicyScope `MessageBody`",
            ),
            "critical-and-high": Wrong(
                pager("{'FilterPolicy': json.dumps({'severity': ['critical', 'high']})}"),
                "severity=high",
            ),
            "anything-but-info": Wrong(
                pager("{'FilterPolicy': json.dumps({'severity': [{'anything-but': 'info'}]})}"),
                "reached `pager` too",
            ),
            "wrong-attribute-name": Wrong(
                pager("{'FilterPolicy': json.dumps({'Severity': ['critical']})}"),
                "did not reach `pager`",
                '{"Severity": ["critical"]}',
            ),
        },
        right={
            "filter-set-afterwards": pager(None)
            + "sub = sns.list_subscriptions_by_topic(TopicArn=topic_arn)['Subscriptions'][0]\n"
            "sns.set_subscription_attributes(SubscriptionArn=sub['SubscriptionArn'], "
            "AttributeName='FilterPolicy', "
            "AttributeValue=json.dumps({'severity': ['critical']}))\n",
            "alias-endpoint-and-account": pager(
                permission="SourceArn=topic_arn, SourceAccount=account, Qualifier='live'",
                before="ALIAS = True\n",
            ),
        },
        broken="no-filter-policy",
    ),
}
