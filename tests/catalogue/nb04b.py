"""Notebook 04b: q1 `cleanup` at 03:00 UTC, q2 `pager` on `incidents` with a filter policy;
each with the permission its trigger needs on AWS."""

from tests.catalogue import Answers, Wrong

# What the learner's cells share, as the notebook's set-up has it; `deploy` replaces a function
# of the same name, so that a cell can run after any other.
SETUP = """
import json, boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
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
    """A learner's q1 cell: rules with these schedules target cleanup, each with a permission."""
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


# EventBridge Scheduler rather than the rule the task asks for (a learner trial).
SCHEDULER_NOT_RULE = (
    cron()
    + """
iam = boto3.client("iam")
role = iam.create_role(RoleName="scheduler-invokes-cleanup", AssumeRolePolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
     "Principal": {"Service": "scheduler.amazonaws.com"}}]}))["Role"]["Arn"]
iam.put_role_policy(RoleName="scheduler-invokes-cleanup", PolicyName="invoke",
    PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Action": "lambda:InvokeFunction", "Resource": cleanup_arn}]}))
boto3.client("scheduler").create_schedule(Name="nightly-cleanup",
    ScheduleExpression="cron(0 3 * * ? *)", ScheduleExpressionTimezone="UTC",
    FlexibleTimeWindow={"Mode": "OFF"}, Target={"Arn": cleanup_arn, "RoleArn": role})
"""
)

# ------------------------------------------------------------------------------ q2
PAGES = """
def handler(event, context):
    for record in event["Records"]:
        print("PAGE", record["Sns"]["Message"])
"""

# Learner trial 9 (PD5): the record's `Message` is text; indexed as a dict, it fails.
INDEXES_THE_TEXT = """
def handler(event, context):
    print("PAGE", event["Records"][0]["Sns"]["Message"]["title"])
"""
# The `Message` read as JSON, as section 3's publishers send it (and the check does).
PARSES_JSON = """
import json

def handler(event, context):
    for record in event["Records"]:
        print("PAGE", json.loads(record["Sns"]["Message"])["title"])
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
    source: str = PAGES,
) -> str:
    """A learner's q2 cell: pager subscribed to incidents with these attributes."""
    cell = SETUP + before + f"SOURCE = '''{source}'''\n" + _TOPIC
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
            # First, so that the sequence checks solution() after it: the schedule would
            # run cleanup a second time each night.
            "scheduler-not-rule": Wrong(
                SCHEDULER_NOT_RULE, "EventBridge Scheduler schedule, not an EventBridge rule"
            ),
            # Learner trial 5: section 1's put_targets copied, its Rule left as it was.
            "target-put-on-another-rule": Wrong(
                SETUP
                + f"SOURCE = '''{CLEANS}'''\n"
                + _RULES
                + "eventbridge.put_rule(Name='daily-report',"
                " ScheduleExpression='cron(0 6 * * ? *)', State='DISABLED')\n"
                "rule_arn = eventbridge.put_rule(Name='nightly-cleanup',"
                " ScheduleExpression='cron(0 3 * * ? *)')['RuleArn']\n"
                "eventbridge.put_targets(Rule='daily-report',"
                " Targets=[{'Id': 'cleanup', 'Arn': cleanup_arn}])\n"
                "lam.add_permission(FunctionName='cleanup', StatementId='nightly-cleanup',"
                " Action='lambda:InvokeFunction', Principal='events.amazonaws.com',"
                " SourceArn=rule_arn)\n",
                "`nightly-cleanup` has a schedule but no target",
                "named another rule",
            ),
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
            # Found by a learner trial: each passed on a day it happened to run.
            # The schedule is read for a year (learner trial 9, PD1/PD2), whatever the day.
            "weekdays-only": Wrong(
                cron("cron(0 3 ? * MON-FRI *)"), "MON-FRI", "none on a Saturday or Sunday"
            ),
            "first-of-the-month": Wrong(
                cron("cron(0 3 1 * ? *)"), "cron(0 3 1 * ? *)", "runs on the 1st of a month only"
            ),
            # Learner trial 9 (PD1): "months count from 0", so 2-12; it ran every day of the
            # week the check watched (in December), and never in January.
            "months-2-to-12": Wrong(
                cron("cron(0 3 * 2-12 ? *)"), "month `2-12`", "never runs in January"
            ),
            # Learner trial 9 (PD2): days 1-30: no run on the 31st, which a week rarely shows.
            "day-of-month-1-30": Wrong(
                cron("cron(0 3 1-30 * ? *)"), "day-of-month `1-30`", "never runs on the 31st"
            ),
            # Learner trial 9 (PD3): the code defines `main`, the Handler says `app.handler`:
            # every scheduled run fails (Runtime.HandlerNotFound); the check counted events.
            "handler-not-found": Wrong(
                cron(
                    "cron(0 3 * * ? *)",
                    source="def main(event, context):\n    print('cleaning up')\n",
                ),
                "did not run to success",
                "HandlerNotFound",
                "never does its work",
            ),
            # Learner trial 10 (VD13): the handler fails on Saturdays and Sundays (a folder
            # list of weekdays only); the check counted only the first night's success.
            "handler-fails-on-weekends": Wrong(
                cron(
                    "cron(0 3 * * ? *)",
                    source="from datetime import datetime\n"
                    "FOLDERS = ['mon', 'tue', 'wed', 'thu', 'fri']\n"
                    "def handler(event, context):\n"
                    "    day = datetime.strptime(event['time'], '%Y-%m-%dT%H:%M:%SZ')\n"
                    "    print('cleaning', FOLDERS[day.weekday()])\n",
                ),
                "nights the check tried",
                "Saturday",
                "Sunday",
                "IndexError",
            ),
            # Learner trial 13 (ND2): the answer cell run twice, the rule renamed in between:
            # two right rules, each with its permission, run cleanup twice a night; the
            # message gave advice on the six cron fields, which changes nothing.
            "stale-rule-from-a-rename-same-schedule": Wrong(
                cron("cron(0 3 * * ? *)", "cron(0 3 * * ? *)"),
                "2 rules have `cleanup` as their target",
                "left from an earlier try",
                "remove_targets(Rule='nightly-0'",
                "remove_permission(FunctionName='cleanup', StatementId='nightly-0')",
            ),
            # Learner trial 13 (ND15): the handler computes "a week ago" with
            # `replace(day=run.day - 7)`, which fails on days 1-7 of every month: the week the
            # check watched passed when it fell later in the month. The check now also sends
            # the rule's Scheduled Event for a month's first days (and its end, a year's end).
            "handler-fails-in-the-first-week-of-a-month": Wrong(
                cron(
                    "cron(0 3 * * ? *)",
                    source="from datetime import datetime\n"
                    "def handler(event, context):\n"
                    "    run = datetime.strptime(event['time'], '%Y-%m-%dT%H:%M:%SZ')\n"
                    "    week_ago = run.replace(day=run.day - 7)\n"
                    "    print('removing files older than', week_ago.date())\n",
                ),
                "did not run to success",
                "day is out of range for month",
                "whatever the date",
            ),
            # Learner trial 10 (VD11): a first rule at 15:00, then cleanup deleted and created
            # again (its policy goes), then a right rule with its permission: the old rule still
            # targets cleanup, and the message asked to grant it (cleanup would run twice).
            "stale-rule-after-function-recreated": Wrong(
                cron("cron(0 15 * * ? *)") + "lam.delete_function(FunctionName='cleanup')\n"
                "cleanup_arn = deploy('cleanup', SOURCE)\n"
                "new = eventbridge.put_rule(Name='cleanup-0300', "
                "ScheduleExpression='cron(0 3 * * ? *)')['RuleArn']\n"
                "eventbridge.put_targets(Rule='cleanup-0300', "
                "Targets=[{'Id': 'cleanup', 'Arn': cleanup_arn}])\n"
                "lam.add_permission(FunctionName='cleanup', StatementId='cleanup-0300', "
                "Action='lambda:InvokeFunction', Principal='events.amazonaws.com', "
                "SourceArn=new)\n",
                "lets only `cleanup-0300` invoke it",
                "left from an earlier try",
                "remove_targets(Rule='nightly-0'",
            ),
            # Learner trial 10 (VW1): `L` got the count of days it skips; it runs once a month.
            "last-day-of-the-month": Wrong(
                cron("cron(0 3 L * ? *)"), "day-of-month `L`", "once a month, on its last day"
            ),
            # Learner trial 9 (PD4): put_targets run twice, with two Ids for cleanup: it runs
            # twice a night, and the message blamed the (right) expression.
            "two-targets-one-rule": Wrong(
                cron("cron(0 3 * * ? *)") + "eventbridge.put_targets(Rule='nightly-0', "
                "Targets=[{'Id': 'cleanup-fn', 'Arn': cleanup_arn}])\n",
                "2 targets that invoke `cleanup`",
                "remove_targets(Rule='nightly-0', Ids=['cleanup-fn'])",
            ),
            # Learner trial 9 (PD13): "pause while I look", never undone: every run throttled.
            "reserved-concurrency-zero-left-from-a-test": Wrong(
                cron("cron(0 3 * * ? *)") + "lam.put_function_concurrency(FunctionName='cleanup', "
                "ReservedConcurrentExecutions=0)\n",
                "reserved concurrency of 0",
                "delete_function_concurrency",
            ),
            # Learner trial 9 (PW1): the permission added with Qualifier='live', the rule's
            # target cleanup itself; the message said there was no statement for the service.
            "permission-on-the-alias-target-unqualified": Wrong(
                cron(
                    "cron(0 3 * * ? *)", permission="SourceArn=rule_arn, Qualifier='live'"
                ).replace(
                    "rule_arn = eventbridge.put_rule(",
                    "version = lam.publish_version(FunctionName='cleanup')['Version']\n"
                    "lam.create_alias(FunctionName='cleanup', Name='live', "
                    "FunctionVersion=version)\n"
                    "rule_arn = eventbridge.put_rule(",
                ),
                "is on `cleanup:live`",
                "target is `cleanup` itself",
                "without a `Qualifier`",
            ),
            # Learner trial 13 (ND8, kit fix 2e889b4): the same, with the alias in the
            # FunctionName (`cleanup:live`) instead of a Qualifier: the statement is on the
            # alias ("You can append a version number or alias to any of the formats",
            # https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html), so
            # EventBridge's invokes of cleanup itself are refused. The kit had stored it on
            # the function.
            "permission-alias-in-function-name-target-unqualified": Wrong(
                cron("cron(0 3 * * ? *)")
                .replace(
                    "rule_arn = eventbridge.put_rule(",
                    "version = lam.publish_version(FunctionName='cleanup')['Version']\n"
                    "lam.create_alias(FunctionName='cleanup', Name='live', "
                    "FunctionVersion=version)\n"
                    "rule_arn = eventbridge.put_rule(",
                )
                .replace(
                    "lam.add_permission(FunctionName='cleanup',",
                    "lam.add_permission(FunctionName='cleanup:live',",
                ),
                "is on `cleanup:live`",
                "target is `cleanup` itself",
            ),
            # Learner trial 9 (PD11): Action 'lambda:*' lets EventBridge do every Lambda action
            # on cleanup, not only invoke it (trigger_permissions refuses it for every trigger).
            "action-lambda-star": Wrong(
                cron("cron(0 3 * * ? *)").replace(
                    "Action='lambda:InvokeFunction'", "Action='lambda:*'"
                ),
                "`lambda:*`",
                "over-broad",
            ),
            # Learner trial 7 (G D1): the rule's target is `cleanup:$LATEST`, "so it always
            # runs the newest code"; the usual permission covers only the unqualified ARN, and
            # AWS takes no policy on $LATEST: the message said to add one with that Qualifier.
            "target-latest-qualified": Wrong(
                cron("cron(0 3 * * ? *)").replace(
                    "'Arn': cleanup_arn}", "'Arn': cleanup_arn + ':$LATEST'}"
                ),
                "`cleanup:$LATEST`",
                "no permission can cover",
                "unqualified ARN",
            ),
            # Learner trial 7 (G D2): this year typed in the year field: it stops after it.
            "year-field-this-year": Wrong(
                cron("cron(0 3 * * ? *)")
                .replace(
                    "rule_arn = ", "year = __import__('helpers').start().now().year\nrule_arn = "
                )
                .replace(
                    "ScheduleExpression='cron(0 3 * * ? *)'",
                    "ScheduleExpression=f'cron(0 3 * * ? {year})'",
                ),
                "year field",
                "Make the year field `*`",
            ),
            # Learner trial 11 (BW5): a role on the target (as EventBridge Scheduler takes)
            # instead of add_permission: the message named the missing statement only.
            "target-role-instead-of-permission": Wrong(
                cron("cron(0 3 * * ? *)", permission=None)
                .replace(
                    "rule_arn = eventbridge.put_rule(",
                    "iam = boto3.client('iam')\n"
                    "role = iam.create_role(RoleName='events-invoke-cleanup', "
                    "AssumeRolePolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': "
                    "[{'Effect': 'Allow', 'Action': 'sts:AssumeRole', 'Principal': {'Service': "
                    "'events.amazonaws.com'}}]}))['Role']['Arn']\n"
                    "iam.put_role_policy(RoleName='events-invoke-cleanup', PolicyName='invoke', "
                    "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': "
                    "'Allow', 'Action': 'lambda:InvokeFunction', 'Resource': cleanup_arn}]}))\n"
                    "rule_arn = eventbridge.put_rule(",
                )
                .replace("'Arn': cleanup_arn}", "'Arn': cleanup_arn, 'RoleArn': role}"),
                "no resource-based policy statement",
                "`RoleArn`",
                "without the `RoleArn`",
            ),
            # Learner trial 7 (G D3): "EventBridge invokes asynchronously, so InvokeAsync";
            # the message listed the rule's ARN as wrong against itself.
            "invoke-async-action": Wrong(
                cron("cron(0 3 * * ? *)").replace(
                    "Action='lambda:InvokeFunction'", "Action='lambda:InvokeAsync'"
                ),
                "`lambda:InvokeAsync`",
                "needs `lambda:InvokeFunction`",
            ),
            # Learner trial 12 (HD7): a target Input of plain text, not JSON. The kit took it,
            # then the check crashed moving the clock; PutTargets now refuses it as AWS does
            # (ValidationException), and the check names such an Input before the clock moves.
            "target-input-not-json": Wrong(
                cron("cron(0 3 * * ? *)").replace(
                    "'Arn': cleanup_arn}", "'Arn': cleanup_arn, 'Input': 'nightly cleanup'}"
                ),
                "no EventBridge rule has `cleanup` as its target",
                raises="Input for target cleanup is not a valid JSON text.",
            ),
        },
        right={
            "weekdays-as-question-mark-and-star": cron("cron(0 3 ? * * *)"),
            # Learner trial 6: every day named (WED holds a W, which the kit took for one).
            "every-day-named": cron("cron(0 3 ? * MON,TUE,WED,THU,FRI,SAT,SUN *)"),
            "zero-padded-and-account": cron(
                "cron(00 03 * * ? *)",
                permission="SourceArn=rule_arn, SourceAccount=account",
            ),
            # Found by a learner trial: the rule targets an alias, whose policy allows it.
            "rule-targets-an-alias": cron("cron(0 3 * * ? *)", permission=None)
            .replace(
                "Targets=[{'Id': 'cleanup', 'Arn': cleanup_arn}]",
                "Targets=[{'Id': 'cleanup', 'Arn': live_arn}]",
            )
            .replace(
                "rule_arn = eventbridge.put_rule(",
                "version = lam.publish_version(FunctionName='cleanup')['Version']\n"
                "live_arn = lam.create_alias(FunctionName='cleanup', Name='live', "
                "FunctionVersion=version)['AliasArn']\n"
                "rule_arn = eventbridge.put_rule(",
            )
            + "lam.add_permission(FunctionName='cleanup', Qualifier='live', StatementId='rule', "
            "Action='lambda:InvokeFunction', Principal='events.amazonaws.com', "
            "SourceArn=rule_arn)\n",
            # Learner trial 13 (ND8, kit fix 2e889b4): the rule targets the alias, and the
            # permission is added with the alias's ARN as FunctionName (a form AddPermission
            # documents); it was refused as 'on `cleanup` itself'.
            "target-alias-permission-by-alias-arn": cron("cron(0 3 * * ? *)", permission=None)
            .replace(
                "Targets=[{'Id': 'cleanup', 'Arn': cleanup_arn}]",
                "Targets=[{'Id': 'cleanup', 'Arn': live_arn}]",
            )
            .replace(
                "rule_arn = eventbridge.put_rule(",
                "version = lam.publish_version(FunctionName='cleanup')['Version']\n"
                "live_arn = lam.create_alias(FunctionName='cleanup', Name='live', "
                "FunctionVersion=version)['AliasArn']\n"
                "rule_arn = eventbridge.put_rule(",
            )
            + "lam.add_permission(FunctionName=live_arn, StatementId='rule', "
            "Action='lambda:InvokeFunction', Principal='events.amazonaws.com', "
            "SourceArn=rule_arn)\n",
            "handler-that-ignores-the-event": cron(
                "cron(0 3 * * ? *)", source="def handler(event, context):\n    return 'done'\n"
            ),
        },
        broken="hours-and-minutes-swapped",
    ),
    "q2": Answers(
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
            # The function's name where SNS needs its ARN (a learner trial): refused by SNS.
            "endpoint-function-name": Wrong(
                pager(permission="SourceArn=topic_arn").replace(
                    "Endpoint=pager_arn", "Endpoint='pager'"
                ),
                "pager",
                raises="Lambda endpoint ARN",
            ),
            # A learner trial: a prefix match also takes severities that only start alike.
            "prefix-crit": Wrong(
                pager("{'FilterPolicy': json.dumps({'severity': [{'prefix': 'crit'}]})}"),
                "critical-resolved",
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
            # Learner trial 6: the only subscription on `pager:$LATEST`, with the right filter
            # and the usual permission, which covers only the unqualified ARN (AWS takes no
            # policy on $LATEST): nothing is delivered, and the message blamed the filter.
            "endpoint-latest-qualified": Wrong(
                pager().replace("Endpoint=pager_arn", "Endpoint=pager_arn + ':$LATEST'"),
                "`pager:$LATEST`",
                "no permission can cover it",
                "unqualified ARN",
            ),
            # Learner trial 7 (G D4): a first try's unfiltered subscription of the alias `live`
            # (with its permission) left beside the right one: every severity reaches pager
            # through it, and the message said to add the filter the judged one has.
            "stale-unfiltered-alias-subscription": Wrong(
                pager().replace(
                    "sns.subscribe(",
                    "version = lam.publish_version(FunctionName='pager')['Version']\n"
                    "live_arn = lam.create_alias(FunctionName='pager', Name='live', "
                    "FunctionVersion=version)['AliasArn']\n"
                    "lam.add_permission(FunctionName='pager', Qualifier='live', "
                    "StatementId='incidents-live', Action='lambda:InvokeFunction', "
                    "Principal='sns.amazonaws.com', SourceArn=topic_arn)\n"
                    "sns.subscribe(TopicArn=topic_arn, Protocol='lambda', Endpoint=live_arn)\n"
                    "sns.subscribe(",
                    1,
                ),
                "another subscription",
                ":pager:live`",
                "it has no FilterPolicy",
                "sns.unsubscribe",
            ),
            # Learner trial 13 (ND8, kit fix 2e889b4): the permission added with the alias in
            # the FunctionName (`pager:live`), the subscription's endpoint pager itself: the
            # statement is on the alias, so SNS's invokes of pager are refused.
            "permission-alias-in-function-name-target-unqualified": Wrong(
                pager().replace(
                    "lam.add_permission(FunctionName='pager',",
                    "version = lam.publish_version(FunctionName='pager')['Version']\n"
                    "lam.create_alias(FunctionName='pager', Name='live', FunctionVersion=version)\n"
                    "lam.add_permission(FunctionName='pager:live',",
                ),
                "is on `pager:live`",
                "invokes `pager` itself",
            ),
            # Learner trial 13 (ND11): a first try's alias subscription `pager:live`, with the
            # right filter and its own permission, beside the right one on `pager`: SNS
            # delivers a copy to each, so every critical incident pages twice.
            "two-filtered-subscriptions-alias-and-function": Wrong(
                pager().replace(
                    "sns.subscribe(",
                    "version = lam.publish_version(FunctionName='pager')['Version']\n"
                    "live_arn = lam.create_alias(FunctionName='pager', Name='live', "
                    "FunctionVersion=version)['AliasArn']\n"
                    "lam.add_permission(FunctionName='pager', Qualifier='live', "
                    "StatementId='incidents-live', Action='lambda:InvokeFunction', "
                    "Principal='sns.amazonaws.com', SourceArn=topic_arn)\n"
                    "sns.subscribe(TopicArn=topic_arn, Protocol='lambda', Endpoint=live_arn, "
                    "Attributes={'FilterPolicy': json.dumps({'severity': ['critical']})})\n"
                    "sns.subscribe(",
                    1,
                ),
                "reached `pager` 2 times",
                ":pager:live`",
                "sns.unsubscribe",
            ),
            # Learner trial 13 (ND3): a stray space in the value, or in the key; the message
            # said to filter on the attribute, with the values in a list, which it did.
            "filter-value-trailing-space": Wrong(
                pager("{'FilterPolicy': json.dumps({'severity': ['critical ']})}"),
                "spaces included",
                '`"critical "` does not match',
            ),
            "filter-key-trailing-space": Wrong(
                pager("{'FilterPolicy': json.dumps({'severity ': ['critical']})}"),
                "spaces included",
                '`"severity "`',
            ),
            # Learner trial 13 (ND7): no filter; the advice offered a second `subscribe` with
            # Attributes, which SNS refuses while the unfiltered subscription exists: it now
            # names `set_subscription_attributes` with that subscription's ARN.
            "advice-subscribe-again-with-filter": Wrong(
                pager(None)
                + "sns.subscribe(TopicArn=topic_arn, Protocol='lambda', Endpoint=pager_arn, "
                "Attributes={'FilterPolicy': json.dumps({'severity': ['critical']})})\n",
                "no `FilterPolicy`",
                "set_subscription_attributes(SubscriptionArn='arn:aws:sns:",
                "a second `subscribe`",
                raises="Subscription already exists with different attributes",
            ),
            # Learner trial 9 (PD13): reserved concurrency 0 left from a test: the critical
            # message was throttled, never paged anyone, and the check counted it delivered.
            "reserved-concurrency-zero-left-from-a-test": Wrong(
                pager() + "lam.put_function_concurrency(FunctionName='pager', "
                "ReservedConcurrentExecutions=0)\n",
                "reserved concurrency of 0",
                "delete_function_concurrency",
            ),
            # Learner trial 9 (PD5): a pager that fails on every message (it indexes the
            # `Message` text as a dict) passed: the check counted deliveries, not runs.
            "handler-fails-on-the-message": Wrong(
                pager(source=INDEXES_THE_TEXT),
                "did not run to success",
                "string indices must be integers",
                "json.loads",
                "no one would be paged",
            ),
            "wrong-attribute-name": Wrong(
                pager("{'FilterPolicy': json.dumps({'Severity': ['critical']})}"),
                "did not reach `pager`",
                '{"Severity": ["critical"]}',
                "case included",
            ),
            # Learner trial 11 (BD4): the value in another case; the message said to filter on
            # the attribute, with the values in a list, which the policy already did.
            "filter-value-wrong-case": Wrong(
                pager("{'FilterPolicy': json.dumps({'severity': ['Critical']})}"),
                "did not reach `pager`",
                "case included",
                '`"Critical"` does not match',
            ),
            # Learner trial 11 (BW1): `equals-ignore-case` lets `Critical` through too; the
            # message didn't say why that is another severity.
            "equals-ignore-case": Wrong(
                pager(
                    "{'FilterPolicy': json.dumps("
                    "{'severity': [{'equals-ignore-case': 'critical'}]})}"
                ),
                "severity=Critical reached `pager`",
                "case-sensitive",
                "no `equals-ignore-case`",
            ),
            # Learner trial 12 (HD2): a second key the check's critical message doesn't carry;
            # SNS ANDs the keys, so nothing got through, and the message said to filter on the
            # attribute, with the values in a list, which the policy did.
            "extra-key-in-filter-policy": Wrong(
                pager("{'FilterPolicy': json.dumps({'severity': ['critical'], 'team': ['ops']})}"),
                "did not reach `pager`",
                "`team`",
                "ANDed",
                "`severity` alone",
            ),
            # Learner trial 12 (HD11): a suffix match also pages for `non-critical`; the
            # check's severities had a prefix and a case variant, none ending in `critical`.
            "suffix-critical": Wrong(
                pager("{'FilterPolicy': json.dumps({'severity': [{'suffix': 'critical'}]})}"),
                "severity=non-critical reached `pager`",
                "`suffix` also matches",
            ),
            # Learner trial 12 (HD12): `anything-but` the severities the check's messages name
            # passed; the check also publishes one drawn at random, never named.
            "anything-but-the-checks-severities": Wrong(
                pager(
                    "{'FilterPolicy': json.dumps({'severity': [{'anything-but': ['info', 'high', "
                    "'warning', 'Critical', 'critical-resolved', 'non-critical']}]})}"
                ),
                "reached `pager` too",
                "`anything-but` lets through every severity it doesn't list",
                "list the values to let through",
            ),
            # Learner trial 12 (HD9): "critical, or no severity at all": SNS ORs an array's
            # conditions, and `exists: false` lets in every message without `severity`.
            "critical-or-severity-missing": Wrong(
                pager(
                    "{'FilterPolicy': json.dumps({'severity': ['critical', {'exists': False}]})}"
                ),
                "a message without the attribute `severity`",
                "`{'exists': False}`",
                "remove it",
            ),
            # Learner trial 12 (HD6): a filter built empty (a comprehension that matched
            # nothing): AWS refuses an empty array, and now the kit does too.
            "filter-policy-empty-array": Wrong(
                pager("{'FilterPolicy': json.dumps({'severity': []})}"),
                "`pager` is not subscribed to `incidents` yet",
                raises="Empty arrays are not allowed",
            ),
            # Learner trial 12 (HD16, kit fix da280fd): the scope in lower case. The local SNS
            # failed half-way and left an unfiltered subscription, which the check then blamed
            # on the values; Subscribe now refuses it, as AWS does, and creates nothing.
            "filter-policy-scope-wrong-case": Wrong(
                pager(
                    "{'FilterPolicy': json.dumps({'severity': ['critical']}), "
                    "'FilterPolicyScope': 'messageattributes'}"
                ),
                "`pager` is not subscribed to `incidents` yet",
                raises="FilterPolicyScope: Invalid value [messageattributes]",
            ),
        },
        right={
            "filter-set-afterwards": pager(None)
            + "sub = sns.list_subscriptions_by_topic(TopicArn=topic_arn)['Subscriptions'][0]\n"
            "sns.set_subscription_attributes(SubscriptionArn=sub['SubscriptionArn'], "
            "AttributeName='FilterPolicy', "
            "AttributeValue=json.dumps({'severity': ['critical']}))\n",
            # Learner trial 6: a first try's unfiltered `pager:$LATEST` subscription left
            # beside the right one. Lambda refuses its invokes (no policy can cover $LATEST),
            # so only critical messages reach pager, on AWS as in the kit.
            "stale-latest-subscription-beside-the-right-one": pager().replace(
                "sns.subscribe(",
                "sns.subscribe(TopicArn=topic_arn, Protocol='lambda', "
                "Endpoint=pager_arn + ':$LATEST')  # a first try\nsns.subscribe(",
                1,
            ),
            # Learner trial 9 (PD5): the handler reads the message as JSON, as section 3's
            # publishers send it (the check's messages are JSON too).
            "handler-parses-json-message": pager(source=PARSES_JSON),
            "alias-endpoint-and-account": pager(
                permission="SourceArn=topic_arn, SourceAccount=account, Qualifier='live'",
                before="ALIAS = True\n",
            ),
        },
        broken="no-filter-policy",
    ),
}
