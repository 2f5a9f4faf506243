"""Notebook 07a: q1 cold starts of `ticker` counted from its logs (its current deployment's);
q2 `buckets` counts the account's buckets and makes its S3 client in Init."""

from helpers.exercises.nb07a_cold_starts_measured import _BUCKETS_SOLUTION
from tests.catalogue import Answers, Wrong

TICKER = """
import time

import boto3
import helpers
from helpers import pricing
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

aws = helpers.start()
lam = boto3.client("lambda")
logs = boto3.client("logs")


HANDLER = "def handler(event, context):\\n    return 1\\n"


def deploy_ticker():
    try:  # a re-run replaces the function; its log group stays, as on AWS
        lam.delete_function(FunctionName="ticker")
    except lam.exceptions.ResourceNotFoundException:
        pass
    lam.create_function(FunctionName="ticker", Runtime="python3.13", Role=execution_role(),
                        Handler="app.handler",
                        Code={"ZipFile": zip_bytes({"app.py": HANDLER})})
    lam.get_waiter("function_active_v2").wait(FunctionName="ticker")


def run(gaps):
    for gap in gaps:
        aws.advance_clock(minutes=gap)
        lam.invoke(FunctionName="ticker")


def events(**extra):
    pages = logs.get_paginator("filter_log_events").paginate(
        logGroupName="/aws/lambda/ticker", filterPattern="REPORT", **extra)
    return [event for page in pages for event in page["events"]]
"""


def ticker(body: str, gaps: str = "[0, 2, 15, 1, 30, 4]") -> str:
    """A learner's q1 cell: ticker deployed, invoked after these gaps, then `body`."""
    return (
        TICKER
        + f"deploy_ticker()\nstart = int(time.time() * 1000)\ngaps = {gaps}\nrun(gaps)\n"
        + body
    )


COUNT = "answer = int(pricing.report_frame(events(startTime=start))['cold'].sum())\n"

# Learner trial 7: a first ticker whose Init fails (an environment variable nobody set), fixed
# with update_function_code (not deleted), then invoked with gaps; the lines of both codes are
# in the group. Its failed Inits wrote INIT_REPORT lines, which `filterPattern="REPORT"` matches.
FIXED_BY_AN_UPDATE = (
    TICKER
    + """
body = "\\n\\n\\ndef handler(event, context):\\n    return 1\\n"
broken = "import os\\nPREFIX = os.environ['PREFIX']" + body
fixed = "import os\\nPREFIX = os.environ.get('PREFIX', '')" + body
lam.create_function(FunctionName="ticker", Runtime="python3.13", Role=execution_role(),
                    Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py": broken})})
lam.get_waiter("function_active_v2").wait(FunctionName="ticker")
run([0, 1, 12])
lam.update_function_code(FunctionName="ticker", ZipFile=zip_bytes({"app.py": fixed}))
lam.get_waiter("function_updated_v2").wait(FunctionName="ticker")
run([0, 2, 14, 1, 25, 5])
"""
)

# Learner trial 8: `ticker` created with LoggingConfig's JSON format: its reports are
# `platform.report` records, `{"type": "platform.report", "record": {"metrics": {...}}}`.
IN_JSON = """
import json


def deploy_ticker(logging={"LogFormat": "JSON"}):
    try:
        lam.delete_function(FunctionName="ticker")
    except lam.exceptions.ResourceNotFoundException:
        pass
    lam.create_function(FunctionName="ticker", Runtime="python3.13", Role=execution_role(),
                        Handler="app.handler", LoggingConfig=logging,
                        Code={"ZipFile": zip_bytes({"app.py": HANDLER})})
    lam.get_waiter("function_active_v2").wait(FunctionName="ticker")


"""


def ticker_in_json(body: str, logging: str = '{"LogFormat": "JSON"}') -> str:
    """A learner's q1 cell with `ticker` logging in the JSON format."""
    return (
        TICKER
        + IN_JSON
        + f"deploy_ticker({logging})\nstart = int(time.time() * 1000)\n"
        + "run([0, 2, 15, 1, 30, 4])\n"
        + body
    )


# Learner trial 9 (QD10): `ticker` and `tocker` log to one log group of the app's; each call of
# ticker has one of tocker beside it.
SHARED_GROUP = (
    TICKER
    + """
for name in ("ticker", "tocker"):
    try:
        lam.delete_function(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        pass
    lam.create_function(FunctionName=name, Runtime="python3.13", Role=execution_role(),
                        Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py": HANDLER})},
                        LoggingConfig={"LogFormat": "Text", "LogGroup": "/photo-app/functions"})
    lam.get_waiter("function_active_v2").wait(FunctionName=name)
start = int(time.time() * 1000)
for gap in [0, 2, 15, 1, 30, 4]:
    aws.advance_clock(minutes=gap)
    lam.invoke(FunctionName="ticker")
    lam.invoke(FunctionName="tocker")
pages = logs.get_paginator("filter_log_events").paginate(
    logGroupName="/photo-app/functions", filterPattern="REPORT", startTime=start)
shared = [event for page in pages for event in page["events"]]
"""
)

BUCKETS = """
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
iam = boto3.client("iam")
role = execution_role("buckets-role")
iam.put_role_policy(RoleName="buckets-role", PolicyName="list", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}))


def deploy_buckets(source, role=role):
    try:
        lam.delete_function(FunctionName="buckets")
    except lam.exceptions.ResourceNotFoundException:
        pass
    lam.create_function(FunctionName="buckets", Runtime="python3.13", Role=role,
                        Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py": source})})
    lam.get_waiter("function_active_v2").wait(FunctionName="buckets")


def deploy_package(files, handler, role=role):
    try:
        lam.delete_function(FunctionName="buckets")
    except lam.exceptions.ResourceNotFoundException:
        pass
    lam.create_function(FunctionName="buckets", Runtime="python3.13", Role=role,
                        Handler=handler, Code={"ZipFile": zip_bytes(files)})
    lam.get_waiter("function_active_v2").wait(FunctionName="buckets")
"""

# Learner trial 9 (QD15, QD16): packages laid out as projects do.
HELPERS_MODULE = (
    BUCKETS
    + """
deploy_package({
    "helpers.py": "import boto3\\n\\ns3 = boto3.client('s3')\\n",
    "app.py": "from helpers import s3\\n\\n\\ndef handler(event, context):\\n"
              "    return {'count': len(s3.list_buckets()['Buckets'])}\\n",
}, "app.handler")
"""
)

RELATIVE_IMPORT = (
    BUCKETS
    + """
deploy_package({
    "bucketcount/__init__.py": "",
    "bucketcount/clients.py": "import boto3\\n\\ns3 = boto3.client('s3')\\n",
    "bucketcount/handler.py": "from .clients import s3\\n\\n\\ndef handler(event, context):\\n"
                              "    return {'count': len(s3.list_buckets()['Buckets'])}\\n",
}, "bucketcount.handler.handler")
"""
)

# Learner trial 12 (ID6): the client at the top level of `clients.py`, which the handler imports
# inside itself: the import, and the client with it, runs in the first invocation.
IMPORTED_IN_THE_HANDLER = (
    BUCKETS
    + """
deploy_package({
    "clients.py": "import boto3\\n\\ns3 = boto3.client('s3')  # module level: made once\\n",
    "app.py": "def handler(event, context):\\n    from clients import s3\\n"
              "    return {'count': len(s3.list_buckets()['Buckets'])}\\n",
}, "app.handler")
"""
)

# Learner trial 12 (ID10): S3's documented endpoint for the function's Region, given as
# endpoint_url (https://docs.aws.amazon.com/general/latest/gr/s3.html): on AWS the same as a
# plain client.
REGIONAL_S3_ENDPOINT = """
import os

import boto3

s3 = boto3.client("s3", endpoint_url=f"https://s3.{os.environ['AWS_REGION']}.amazonaws.com")


def handler(event, context):
    return {"count": len(s3.list_buckets()["Buckets"])}
"""

# Learner trial 12 (ID14, ID15): a role of the learner's own made by hand, then `buckets` with it.
LEARNERS_ROLE = """
trust = json.dumps({{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
    "Principal": {{"Service": "lambda.amazonaws.com"}}, "Action": "sts:AssumeRole"}}]}})
made = iam.create_role({role}, AssumeRolePolicyDocument=trust)["Role"]
iam.put_role_policy(RoleName=made["RoleName"], PolicyName="list", PolicyDocument=json.dumps({{
    "Version": "2012-10-17",
    "Statement": [{{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}}]}}))
deploy_buckets("import boto3\\ns3 = boto3.client('s3')\\n\\n\\ndef handler(event, context):\\n"
               "    return {{'count': len(s3.list_buckets()['Buckets'])}}\\n", made["Arn"])
"""

# Learner trial 9 (QD9): the notebook's own access keys written into the client's code.
NOTEBOOK_KEYS = (
    BUCKETS
    + """
import os

key, secret = os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]
source = (
    "import boto3\\n\\n"
    f"s3 = boto3.client('s3', aws_access_key_id='{key}', aws_secret_access_key='{secret}')\\n\\n\\n"
    "def handler(event, context):\\n"
    "    return {'count': len(s3.list_buckets()['Buckets'])}\\n"
)
deploy_buckets(source, execution_role("buckets-logs-only"))
"""
)

# Learner trial 9 (QD8): an Allow valid until a date, on aws:CurrentTime (the kit's clock).
UNTIL_A_DATE = (
    BUCKETS
    + """
iam.put_role_policy(RoleName="buckets-role", PolicyName="list", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*",
                   "Condition": {"DateLessThan": {"aws:CurrentTime": "2099-12-31T23:59:59Z"}}}]}))
"""
)


def buckets(source: str, role: str = "role") -> str:
    return BUCKETS + f"deploy_buckets('''{source}''', {role})\n"


IN_HANDLER = """
import boto3


def handler(event, context):
    s3 = boto3.client("s3")
    return {"count": len(s3.list_buckets()["Buckets"])}
"""

MADE_BY_A_FUNCTION = """
import boto3


def make_client():
    return boto3.client("s3")


S3 = make_client()


def handler(event, context):
    return {"count": len(S3.list_buckets()["Buckets"])}
"""

ANSWERS = {
    "q1": Answers(
        wrong={
            # Learner trial 7: `aws.configure(idle_timeout=3600)` left from an experiment; the
            # gaps of 15 and 30 minutes reclaim nothing. First, so that solution() runs after it.
            "idle-timeout-left-at-an-hour": Wrong(
                TICKER + "aws.configure(idle_timeout=3600)\n" + ticker(COUNT)[len(TICKER) :],
                "only the first",
                "idle timeout is now 3600 s",
                "aws.configure(idle_timeout=600)",
            ),
            "idle-timeout-left-at-half-a-minute": Wrong(
                TICKER + "aws.configure(idle_timeout=30)\n" + ticker(COUNT)[len(TICKER) :],
                "every invocation",
                "idle timeout is now 30 s",
            ),
            # Learner trial 7: every line holding "Init Duration", INIT_REPORT lines included,
            # of the whole group (no startTime): 3 + 3 of the broken code, 3 of the fixed one.
            "stale-lines-of-a-failed-init-fixed-by-an-update": Wrong(
                FIXED_BY_AN_UPDATE
                + "answer = sum('Init Duration' in e['message'] for e in events())\n",
                "last deployed or updated",
                "INIT_REPORT",
                "startTime",
            ),
            # The same group counted with report_frame: the function was updated, not deleted.
            "stale-lines-of-an-earlier-code-report-frame": Wrong(
                FIXED_BY_AN_UPDATE + "answer = int(pricing.report_frame(events())['cold'].sum())\n",
                "last deployed or updated",
                "earlier code",
                "startTime",
            ),
            "gaps-only-forgets-the-first": Wrong(
                ticker("answer = sum(gap > 10 for gap in gaps)\n"), "very first call"
            ),
            "stale-lines-of-an-earlier-ticker": Wrong(
                TICKER
                + "deploy_ticker()\nrun([0, 20, 1, 1, 20])\n"
                + "deploy_ticker()\nrun([0, 2, 15, 1, 30, 4])\n"
                + "answer = int(pricing.report_frame(events())['cold'].sum())\n",
                "earlier",
                "startTime",
            ),
            "never-reclaimed": Wrong(ticker(COUNT, gaps="[0, 1, 2, 1, 3]"), "only the first"),
            "always-reclaimed": Wrong(
                ticker(COUNT, gaps="[0, 15, 20, 11, 30]"), "every invocation"
            ),
            "four-invocations": Wrong(ticker(COUNT, gaps="[0, 15, 1, 1]"), "at least 5"),
            "counts-every-invocation": Wrong(
                ticker("answer = len(events(startTime=start))\n"), "say otherwise"
            ),
            # Learner trial 8: section 3's text pattern on JSON-format logs matches nothing.
            "json-format-counted-with-the-text-pattern": Wrong(
                ticker_in_json(
                    "found = events(startTime=start)\n"
                    "answer = int(pricing.report_frame(found)['cold'].sum()) if found else 0\n"
                ),
                "JSON format",
                "platform.report",
                "$.type",
            ),
            # JSON format whose system level drops Lambda's INFO records: no report at all.
            "json-format-system-level-warn": Wrong(
                ticker_in_json(
                    "answer = 0\n", logging='{"LogFormat": "JSON", "SystemLogLevel": "WARN"}'
                ),
                "SystemLogLevel",
                "INFO",
            ),
            # Learner trial 9 (QD10): every REPORT line of a group shared with `tocker`: 6,
            # which passed (the check read the whole group).
            "shared-log-group-counts-every-function": Wrong(
                SHARED_GROUP + "answer = int(pricing.report_frame(shared)['cold'].sum())\n",
                "shared with `tocker`",
                "streams of its own",
                "logStreamName",
            ),
            # Learner trial 9 (QD5): startTime in seconds (time.time()), read as January 1970:
            # every line of the group, an earlier ticker's included.
            "start-time-in-seconds": Wrong(
                TICKER
                + "deploy_ticker()\nrun([0, 20, 1, 20, 1])\ndeploy_ticker()\n"
                + "start = int(time.time())\nrun([0, 2, 15, 1, 30, 4])\n"
                + "answer = int(pricing.report_frame(events(startTime=start))['cold'].sum())\n",
                "earlier",
                "milliseconds since 1970",
                "int(time.time() * 1000)",
            ),
            # Learner trial 9 (QD6): a configuration update between the calls (to force a cold
            # start): the check counts from the update; it said "invoke at least 5 times".
            "configuration-updated-between-the-calls": Wrong(
                TICKER
                + "deploy_ticker()\nstart = int(time.time() * 1000)\nrun([0, 2, 15])\n"
                + "lam.update_function_configuration(FunctionName='ticker',\n"
                + "    Environment={'Variables': {'NONCE': '1'}})\n"
                + "lam.get_waiter('function_updated_v2').wait(FunctionName='ticker')\n"
                + "run([0, 1, 4])\n"
                + COUNT,
                "last deployed or updated",
                "update_function_configuration",
                "don't update it between them",
            ),
            # Learner trial 9 (QD6): counted right, then the log group deleted ("tidy up").
            "log-group-deleted-after-counting": Wrong(
                ticker(COUNT) + "logs.delete_log_group(logGroupName='/aws/lambda/ticker')\n",
                "`/aws/lambda/ticker`, doesn't exist",
                "deletes every line",
            ),
            # Learner trial 9 (QD12): invoked through an alias with provisioned concurrency:
            # never cold, whatever the gaps; the message said "only the first".
            "provisioned-alias-never-cold": Wrong(
                TICKER
                + "deploy_ticker()\n"
                + "version = lam.publish_version(FunctionName='ticker')['Version']\n"
                + "lam.create_alias(FunctionName='ticker', Name='live', FunctionVersion=version)\n"
                + "lam.put_provisioned_concurrency_config(\n"
                + "    FunctionName='ticker', Qualifier='live',\n"
                + "    ProvisionedConcurrentExecutions=1)\n"
                + "while lam.get_provisioned_concurrency_config(FunctionName='ticker',\n"
                + "        Qualifier='live')['Status'] != 'READY':\n"
                + "    time.sleep(0.1)\n"
                + "start = int(time.time() * 1000)\n"
                + "for gap in [0, 15, 30, 2, 40, 1]:\n"
                + "    aws.advance_clock(minutes=gap)\n"
                + "    lam.invoke(FunctionName='ticker', Qualifier='live')\n"
                + "found = events(startTime=start)\n"
                + "answer = sum('Init Duration' in e['message'] for e in found)\n",
                "none of the 6 invocations",
                "`ticker:live` has provisioned concurrency",
                "delete_provisioned_concurrency_config",
            ),
            # Learner trial 9 (QD20): ticker re-made with a log group of its own; the default
            # group, read, holds only the first attempt's lines.
            "reads-the-default-log-group": Wrong(
                TICKER
                + "deploy_ticker()\nrun([0, 20, 1])\n"
                + "lam.delete_function(FunctionName='ticker')\n"
                + "lam.create_function(FunctionName='ticker', Runtime='python3.13',\n"
                + "    Role=execution_role(), Handler='app.handler',\n"
                + "    Code={'ZipFile': zip_bytes({'app.py': HANDLER})},\n"
                + "    LoggingConfig={'LogFormat': 'Text', 'LogGroup': '/photo-app/ticker'})\n"
                + "lam.get_waiter('function_active_v2').wait(FunctionName='ticker')\n"
                + "start = int(time.time() * 1000)\nrun([0, 2, 15, 1, 30, 4])\n"
                + "found = events(startTime=start)\n"
                + "answer = int(pricing.report_frame(found)['cold'].sum()) if found else 0\n",
                "writes to the log group `/photo-app/ticker`",
                "not to `/aws/lambda/ticker`",
            ),
            # Learner trial 10 (WD5): only the newest log stream read: 1 cold start (each
            # environment writes its own stream); the ❌ said "count before your latest calls".
            "newest-log-stream-only": Wrong(
                ticker(
                    "stream = logs.describe_log_streams(logGroupName='/aws/lambda/ticker',\n"
                    "    orderBy='LastEventTime', descending=True, limit=1)['logStreams'][0]\n"
                    "got = logs.get_log_events(logGroupName='/aws/lambda/ticker',\n"
                    "    logStreamName=stream['logStreamName'], startFromHead=True)['events']\n"
                    "answer = sum('Init Duration' in e['message'] for e in got)\n"
                ),
                "log streams, one per execution environment",
                "read every stream of the group",
            ),
            # Learner trial 10 (WD6): a right count (✅), then two more calls, one cold, and the
            # old count checked again; the ❌ said "don't forget the very first call".
            "count-made-before-the-latest-calls": Wrong(
                ticker(
                    COUNT
                    + "from helpers.exercises import notebook_07a\n"
                    + "assert notebook_07a.q1.check(answer)\n"
                    + "run([15, 1])\n",
                    gaps="[0, 2, 15, 1, 30]",
                ),
                "which was right when `ticker` had 5 invocations",
                "predates your latest calls",
            ),
            # Learner trial 10 (WD10): no gap near the idle timeout; the second cold start
            # follows a call whose runtime crashed (os._exit), which ends the environment.
            "cold-start-forced-by-a-crash-not-idle": Wrong(
                TICKER
                + "import json\n"
                + "HANDLER = ('import os\\n\\n\\ndef handler(event, context):\\n'\n"
                + "           '    if event.get(\"crash\"):\\n        os._exit(1)\\n'\n"
                + "           '    return 1\\n')\n"
                + "deploy_ticker()\nstart = int(time.time() * 1000)\n"
                + "for gap, crash in [(0, 0), (1, 0), (1, 1), (1, 0), (2, 0), (1, 0)]:\n"
                + "    aws.advance_clock(minutes=gap)\n"
                + "    lam.invoke(FunctionName='ticker', Payload=json.dumps({'crash': crash}))\n"
                + COUNT,
                "none found its environment reclaimed for being idle",
                "`Status: error`",
            ),
            # Learner trial 10 (WD10): the same with a timeout (Timeout=1, a call sleeps 3 s).
            "cold-start-forced-by-a-timeout-not-idle": Wrong(
                TICKER
                + "import json\n"
                + "HANDLER = ('import time\\n\\n\\ndef handler(event, context):\\n'\n"
                + "           '    time.sleep(event.get(\"sleep\", 0))\\n    return 1\\n')\n"
                + "deploy_ticker()\n"
                + "lam.update_function_configuration(FunctionName='ticker', Timeout=1)\n"
                + "lam.get_waiter('function_updated_v2').wait(FunctionName='ticker')\n"
                + "start = int(time.time() * 1000)\n"
                + "for gap, sleep in [(0, 0), (1, 0), (1, 3), (1, 0), (2, 0), (1, 0)]:\n"
                + "    aws.advance_clock(minutes=gap)\n"
                + "    lam.invoke(FunctionName='ticker', Payload=json.dumps({'sleep': sleep}))\n"
                + COUNT,
                "none found its environment reclaimed for being idle",
                "`Status: timeout`",
            ),
            # Learner trial 10 (WD15): counts of 0 that read no line, each blamed on INIT_START;
            # the ❌ names the group's name and the time window now.
            "start-time-taken-after-the-calls": Wrong(
                TICKER
                + "deploy_ticker()\nrun([0, 2, 15, 1, 30, 4])\n"
                + "start = int(time.time() * 1000)\n"
                + "answer = int(pricing.report_frame(events(startTime=start))['cold'].sum())"
                + " if events(startTime=start) else 0\n",
                "your read found none of them",
                "time window",
            ),
            "log-group-name-case-typo": Wrong(
                ticker(
                    "try:\n"
                    "    got = logs.filter_log_events(\n"
                    "        logGroupName='/aws/lambda/Ticker')['events']\n"
                    "except logs.exceptions.ResourceNotFoundException:\n"
                    "    got = []\n"
                    "answer = sum('Init Duration' in e['message'] for e in got)\n"
                ),
                "your read found none of them",
                "case-sensitive",
            ),
            # Learner trial 11 (CW5): the check run after a kernel restart, the answer cell not
            # run again: the local AWS starts empty, and the message says so (now harness's).
            "checked-after-kernel-restart": Wrong(
                "import helpers\naws = helpers.start()\nanswer = 3\n",
                "no function named `ticker`",
                "starts empty after a kernel restart",
            ),
            # Learner trial 10 (WD19): ticker made, invoked and read in another Region.
            "function-created-in-another-region": Wrong(
                TICKER
                + "lam = boto3.client('lambda', region_name='eu-west-1')\n"
                + "logs = boto3.client('logs', region_name='eu-west-1')\n"
                + "deploy_ticker()\nstart = int(time.time() * 1000)\nrun([0, 2, 15, 1, 30, 4])\n"
                + COUNT,
                "`ticker` exists in `eu-west-1`",
                "the notebook works in",
            ),
            "fraction-not-count": Wrong(
                ticker(
                    "answer = float(pricing.report_frame(events(startTime=start))['cold'].mean())\n"
                ),
                "whole number",
            ),
            # Learner trial 11 (CD2): no gap reaches the idle timeout; the second cold start
            # is a second environment made for a call while the first was busy (two at once).
            # It passed as an idle reclaim.
            "cold-start-from-concurrency-not-idle": Wrong(
                TICKER
                + "from concurrent.futures import ThreadPoolExecutor\n"
                + "HANDLER = ('import time\\n\\n\\ndef handler(event, context):\\n'\n"
                + "           '    time.sleep(2)\\n    return 1\\n')\n"
                + "deploy_ticker()\nstart = int(time.time() * 1000)\n"
                + "lam.invoke(FunctionName='ticker')\n"
                + "aws.advance_clock(minutes=2)\n"
                + "with ThreadPoolExecutor(2) as pool:\n"
                + "    list(pool.map(lambda _: lam.invoke(FunctionName='ticker'), range(2)))\n"
                + "run([3, 4])\n"
                + COUNT,
                "none found its environment reclaimed for being idle",
                "concurrent call",
                "aws.advance_clock(minutes=11)",
            ),
            # Issue 11's leftover ("07a q1 rare concurrent order"): as above, but the busy
            # environment's call ends during the new one's long Init (before its REPORT), and
            # both are reclaimed before the check. It passed as an idle reclaim; the check now
            # takes when the cold call began (its REPORT less its Init and run). Whichever
            # environment the later calls reach, it is ❌ (no timing decides the verdict).
            "cold-start-from-concurrency-busy-call-ends-during-init": Wrong(
                TICKER
                + "import threading\n"
                + "HANDLER = ('import time\\ntime.sleep(2)\\n\\n\\n'\n"
                + "           'def handler(event, context):\\n'\n"
                + "           '    time.sleep(1)\\n    return 1\\n')\n"
                + "deploy_ticker()\nstart = int(time.time() * 1000)\n"
                + "lam.invoke(FunctionName='ticker')\n"
                + "aws.advance_clock(minutes=2)\n"
                + "busy = threading.Thread(target=lambda: lam.invoke(FunctionName='ticker'))\n"
                + "busy.start()\ntime.sleep(0.15)\nlam.invoke(FunctionName='ticker')\nbusy.join()\n"
                + "run([1, 1])\naws.advance_clock(minutes=11)\n"
                + COUNT,
                "none found its environment reclaimed for being idle",
                "concurrent call",
            ),
            # Learner trial 11 (CD4): no gap reaches the idle timeout; the second cold start is
            # a published version's first call (its own environments). It passed as a reclaim.
            "first-call-of-a-version-not-reclaimed": Wrong(
                TICKER
                + "deploy_ticker()\n"
                + "version = lam.publish_version(FunctionName='ticker')['Version']\n"
                + "start = int(time.time() * 1000)\n"
                + "for gap, qualifier in [(0, '$LATEST'), (2, '$LATEST'), (3, version),\n"
                + "                       (1, version), (4, '$LATEST')]:\n"
                + "    aws.advance_clock(minutes=gap)\n"
                + "    lam.invoke(FunctionName='ticker', Qualifier=qualifier)\n"
                + COUNT,
                "none found its environment reclaimed for being idle",
                "first call of `ticker:1`",
                "environments of its own",
            ),
            # Learner trial 11 (CD3): the environments alive now counted (1), not the cold
            # starts (3); the ❌ said only "read every stream", though no log was read.
            "live-environments-counted": Wrong(
                ticker(
                    "answer = len([e for e in aws.environments() if e['function'] == 'ticker'])\n",
                    gaps="[0, 2, 15, 3, 20]",
                ),
                "alive now",
                "aws.environments()",
                "can't count cold starts",
            ),
            # Learner trial 11 (CD17): ticker's role has no log rights, so Lambda writes no
            # line; the ❌ blamed a deleted log group.
            "role-without-log-rights": Wrong(
                TICKER
                + "import json\n"
                + "iam = boto3.client('iam')\n"
                + "iam.create_role(RoleName='ticker-bare-role',\n"
                + "    AssumeRolePolicyDocument=json.dumps(\n"
                + "    {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal':\n"
                + "     {'Service': 'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}))\n"
                + "lam.create_function(FunctionName='ticker', Runtime='python3.13',\n"
                + "    Role=iam.get_role(RoleName='ticker-bare-role')['Role']['Arn'],\n"
                + "    Handler='app.handler', Code={'ZipFile': zip_bytes({'app.py': HANDLER})})\n"
                + "lam.get_waiter('function_active_v2').wait(FunctionName='ticker')\n"
                + "run([0, 2, 15, 3, 20])\n"
                + "answer = 3\n",
                "`ticker-bare-role`, may not write",
                "AWSLambdaBasicExecutionRole",
            ),
            # Learner trial 11 (CD18): JSON-format logs read with a text term other than
            # section 3's: 0; the ❌ said the learner had used filterPattern="REPORT".
            "json-format-counted-by-the-init-duration-text": Wrong(
                ticker_in_json(
                    "found = logs.filter_log_events(logGroupName='/aws/lambda/ticker',\n"
                    "    startTime=start, filterPattern='\"Init Duration\"')['events']\n"
                    "answer = len(found)\n"
                ),
                "your read found none of them",
                "a text term such as",
                "$.type",
            ),
            # Learner trial 12 (ID2): one page read (`limit=3`, its `nextToken` not followed):
            # the ❌ named only the first call and a count made before the latest calls.
            "first-page-only-with-a-limit": Wrong(
                ticker(
                    "got = logs.filter_log_events(logGroupName='/aws/lambda/ticker',\n"
                    "    filterPattern='REPORT', startTime=start, limit=3)['events']\n"
                    "answer = sum('Init Duration' in e['message'] for e in got)\n"
                ),
                "read them all",
                "`nextToken`",
                "get_paginator('filter_log_events')",
            ),
            # Learner trial 12 (ID9): `startTime` taken on the kit's clock (`aws.now()`, moved
            # on by `advance_clock`), while the kit stamps log lines with this machine's time:
            # the read found nothing, and the ❌ advised a `startTime` before the first call,
            # which it was.
            "start-time-on-the-kit-clock": Wrong(
                TICKER
                + "aws.advance_clock(minutes=30)\ndeploy_ticker()\n"
                + "start = int(aws.now().timestamp() * 1000)\nrun([0, 2, 15, 1, 30, 4])\n"
                + "got = events(startTime=start)\n"
                + "answer = sum('Init Duration' in e['message'] for e in got)\n",
                "your read found none of them",
                "Mind which clock",
                "take it from `time.time()`",
            ),
            # Learner trial 12 (ID13): a stream prefix that matches none of ticker's streams
            # (they begin with the date); the learner's `*[$LATEST]` glob is refused by AWS
            # (pattern `[^:*]*`), a kit fidelity fix. The ❌ named the group, window, INIT_START.
            "stream-prefix-without-the-date": Wrong(
                ticker(
                    "got = events(startTime=start, logStreamNamePrefix='[$LATEST]')\n"
                    "answer = sum('Init Duration' in e['message'] for e in got)\n"
                ),
                "your read found none of them",
                "`logStreamNamePrefix`",
                "without wildcards",
            ),
            # Learner trial 12 (ID13, kit): a glob as the stream prefix, to read $LATEST's
            # streams: AWS refuses it (pattern `[^:*]*`). It read nothing, and the ❌ blamed
            # the group, the window and INIT_START.
            "stream-prefix-with-a-glob": Wrong(
                ticker(
                    "got = events(startTime=start, logStreamNamePrefix='*[$LATEST]')\n"
                    "answer = sum('Init Duration' in e['message'] for e in got)\n"
                ),
                "set `answer`",
                raises="at 'logStreamNamePrefix' failed to satisfy constraint",
            ),
            # Learner trial 12 (ID5, kit): Logs Insights with the window reversed (endTime
            # before startTime): AWS refuses the query (InvalidParameterException), and the
            # learner has no count to give.
            "insights-window-reversed": Wrong(
                ticker(
                    "now = int(time.time())\n"
                    "logs.start_query(logGroupName='/aws/lambda/ticker', startTime=now,\n"
                    "    endTime=now - 3600, queryString='fields @message')\n"
                ),
                "set `answer`",
                raises="End time cannot be less than Start time",
            ),
            # Learner trial 12 (IW3): the right count as a float: refused, as 07b q1 refuses
            # one, and the ❌ says the count is right.
            "right-count-as-a-float": Wrong(
                ticker(
                    "answer = float(pricing.report_frame(events(startTime=start))['cold'].sum())\n"
                ),
                "is the right count",
                "`int(...)`",
            ),
            # Learner trial 11 (CW2): one of the five calls a DryRun, which runs nothing.
            "dry-run-counted-as-a-call": Wrong(
                TICKER
                + "deploy_ticker()\nstart = int(time.time() * 1000)\nrun([0, 2, 15, 3])\n"
                + "lam.invoke(FunctionName='ticker', InvocationType='DryRun')\n"
                + COUNT,
                "at least 5 times",
                "`InvocationType='DryRun'` only checks the request",
            ),
        },
        right={
            "init-duration-in-the-text": ticker(
                "answer = sum('Init Duration' in e['message'] for e in events(startTime=start))\n",
                gaps="[0, 11, 11, 0, 0, 0, 12]",
            ),
            # Learner trial 5: asynchronous invokes between the clock's jumps; each runs before
            # the next jump, as it would in real time on AWS.
            "asynchronous-invokes-then-wait": TICKER
            + "deploy_ticker()\nstart = int(time.time() * 1000)\n"
            + "for gap in [0, 1, 20, 2, 45]:\n"
            + "    aws.advance_clock(minutes=gap)\n"
            + "    lam.invoke(FunctionName='ticker', InvocationType='Event')\n"
            + "aws.wait()\n"
            + "answer = sum('Init Duration' in e['message'] for e in events(startTime=start))\n",
            # Learner trial 8: the JSON format's reports, found with a JSON selector; the cold
            # ones are those whose metrics hold initDurationMs.
            "json-format-platform-report-records": ticker_in_json(
                "pages = logs.get_paginator('filter_log_events').paginate(\n"
                "    logGroupName='/aws/lambda/ticker', startTime=start,\n"
                "    filterPattern='{ $.type = \"platform.report\" }')\n"
                "records = [json.loads(e['message']) for p in pages for e in p['events']]\n"
                "answer = sum('initDurationMs' in r['record']['metrics'] for r in records)\n",
                logging='{"LogFormat": "JSON", "SystemLogLevel": "INFO"}',
            ),
            # Learner trial 9 (QD10): the group shared with `tocker`, counted over ticker's own
            # streams, named YYYY/MM/DD/ticker[$LATEST]... in a custom group, as on AWS.
            "shared-log-group-own-streams": SHARED_GROUP
            + "mine = [e for e in shared if '/ticker[' in e['logStreamName']]\n"
            + "answer = int(pricing.report_frame(mine)['cold'].sum())\n",
            "numpy-sum-one-deployment": TICKER
            + "deploy_ticker()\nrun([0, 30, 5, 5, 5, 5, 5, 5])\n"
            + "answer = pricing.report_frame(events())['cold'].sum()  # a numpy integer\n",
        },
        broken="never-reclaimed",
    ),
    "q2": Answers(
        wrong={
            # Learner trial 7: a Deny of s3:* put on the role to watch AccessDenied, then an
            # Allow under another name; the Deny still wins. First, so that solution() runs
            # after it (it must remove the Deny).
            "deny-left-from-an-experiment": Wrong(
                BUCKETS
                + "iam.put_role_policy(RoleName='buckets-role', PolicyName='deny-s3', "
                + "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [\n"
                + "    {'Effect': 'Deny', 'Action': 's3:*', 'Resource': '*'}]}))\n"
                + f"deploy_buckets('''{MADE_BY_A_FUNCTION}''')\n",
                "Deny statement",
                "inline policy `deny-s3`",
                "beats every Allow",
            ),
            "client-in-the-handler": Wrong(buckets(IN_HANDLER), "in every invocation"),
            # Learner trial 9 (QD7): the team's logging boundary on the role: the role's Allow
            # is limited by it (the kit's IAM reads boundaries since commit c38ba36), and the
            # message named the role's policies, which allowed the action already.
            "permissions-boundary-without-s3": Wrong(
                BUCKETS
                + "boundary = iam.create_policy(PolicyName='logs-boundary', "
                + "PolicyDocument=json.dumps({\n"
                + "    'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': [\n"
                + "        'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],\n"
                + "        'Resource': '*'}]}))['Policy']['Arn']\n"
                + "iam.put_role_permissions_boundary(RoleName='buckets-role', "
                + "PermissionsBoundary=boundary)\n"
                + f"deploy_buckets('''{MADE_BY_A_FUNCTION}''')\n",
                "permissions boundary, `logs-boundary`",
                "delete_role_permissions_boundary",
            ),
            # Learner trial 6: one page of at most one bucket (passed when the check added one).
            "one-bucket-at-most": Wrong(
                buckets(
                    "import boto3\n\ns3 = boto3.client('s3')\n\n\n"
                    "def handler(event, context):\n"
                    "    return {'count': len(s3.list_buckets(MaxBuckets=1)['Buckets'])}\n"
                ),
                "instead of",
            ),
            "hard-coded-count": Wrong(
                buckets(
                    "import boto3\ns3 = boto3.client('s3')\n\n\n"
                    "def handler(event, context):\n    return {'count': 0}\n"
                ),
                "more bucket",
            ),
            "count-kept-from-init": Wrong(
                buckets(
                    "import boto3\ns3 = boto3.client('s3')\n"
                    "COUNT = len(s3.list_buckets()['Buckets'])\n\n\n"
                    "def handler(event, context):\n    return {'count': COUNT}\n"
                ),
                "more bucket",
            ),
            "lazy-client": Wrong(
                buckets(
                    "import boto3\ns3 = None\n\n\n"
                    "def handler(event, context):\n    global s3\n    if s3 is None:\n"
                    "        s3 = boto3.client('s3')\n"
                    "    return {'count': len(s3.list_buckets()['Buckets'])}\n"
                ),
                "first invocation",
                "not in Init",
            ),
            # Learner trial 12 (ID3, kit): the function's key named by its alias, not its ARN:
            # Lambda refuses the create (ValidationException), so there is no `buckets`.
            "kms-key-alias-not-arn": Wrong(
                BUCKETS
                + "lam.create_function(FunctionName='buckets', Runtime='python3.13', Role=role,\n"
                + "    Handler='app.handler', KMSKeyArn='alias/aws/lambda',\n"
                + f"    Code={{'ZipFile': zip_bytes({{'app.py': '''{MADE_BY_A_FUNCTION}'''}})}})\n",
                "no function named `buckets`",
                raises="at 'kMSKeyArn' failed to satisfy constraint",
            ),
            # Learner trial 12 (ID7, kit): the role's keys from the environment without its
            # session token: AWS doesn't know the key alone (S3's InvalidAccessKeyId); it passed.
            "role-keys-without-session-token": Wrong(
                buckets(
                    "import os\nimport boto3\n\n"
                    "s3 = boto3.client('s3', aws_access_key_id=os.environ['AWS_ACCESS_KEY_ID'],\n"
                    "    aws_secret_access_key=os.environ['AWS_SECRET_ACCESS_KEY'])\n\n\n"
                    "def handler(event, context):\n"
                    "    return {'count': len(s3.list_buckets()['Buckets'])}\n"
                ),
                "InvalidAccessKeyId",
                "`AWS_SESSION_TOKEN`",
                "without keys",
            ),
            # Learner trial 12 (ID14, kit): the role named in the learner's language; IAM's
            # names take ASCII letters only (ValidationError), so there is no `buckets`. It
            # passed: the kit read `\w` as Python does.
            "role-name-with-accents": Wrong(
                BUCKETS + LEARNERS_ROLE.format(role="RoleName='rôle-buckets'"),
                "no function named `buckets`",
                raises="The specified value for roleName is invalid",
            ),
            # Learner trial 12 (ID15, kit): a role Path without its closing slash.
            "role-path-without-closing-slash": Wrong(
                BUCKETS + LEARNERS_ROLE.format(role="RoleName='buckets-own', Path='/lambda'"),
                "no function named `buckets`",
                raises="The specified value for path is invalid",
            ),
            # Learner trial 12 (ID6): the ❌ said "create it at module level", as it was.
            "helper-module-imported-inside-the-handler": Wrong(
                IMPORTED_IN_THE_HANDLER,
                "first invocation",
                "top level of `clients`",
                "imports it inside itself",
            ),
            # Learner trial 12 (ID10): an AWS endpoint that isn't S3's (DynamoDB's) stays
            # stopped: on AWS, S3 calls sent there fail too.
            "s3-client-given-another-services-endpoint": Wrong(
                buckets(
                    "import boto3\ns3 = boto3.client('s3', "
                    "endpoint_url='https://dynamodb.us-east-1.amazonaws.com')\n\n\n"
                    "def handler(event, context):\n"
                    "    return {'count': len(s3.list_buckets()['Buckets'])}\n"
                ),
                "RealAWSBlocked",
            ),
            "resource-in-the-handler": Wrong(
                buckets(
                    "import boto3\n\n\ndef handler(event, context):\n"
                    "    return {'count': len(list(boto3.resource('s3').buckets.all()))}\n"
                ),
                "in every invocation",
            ),
            "role-cannot-list": Wrong(
                buckets(
                    MADE_BY_A_FUNCTION,
                    role="execution_role('buckets-logs-only')",
                ),
                "s3:ListAllMyBuckets",
            ),
            # A module-level client, unused: each request makes its own, in a worker thread.
            "client-per-request-in-a-thread": Wrong(
                buckets(
                    "import boto3\nfrom concurrent.futures import ThreadPoolExecutor\n\n"
                    "s3 = boto3.client('s3')\n\n\n"
                    "def count():\n"
                    "    return len(boto3.client('s3').list_buckets()['Buckets'])\n\n\n"
                    "def handler(event, context):\n"
                    "    with ThreadPoolExecutor(max_workers=1) as pool:\n"
                    "        return {'count': pool.submit(count).result()}\n"
                ),
                "in every invocation",
            ),
            # Learner trial 9 (QD17): an unused module-level client, and a new one at each
            # request, made on a module-level pool's thread by `submit(boto3.client, "s3")`
            # (no frame of the handler's module on that thread): it passed.
            "client-per-request-on-a-pool-thread": Wrong(
                buckets(
                    "import boto3\nfrom concurrent.futures import ThreadPoolExecutor\n\n"
                    "s3 = boto3.client('s3')\nPOOL = ThreadPoolExecutor(max_workers=2)\n\n\n"
                    "def handler(event, context):\n"
                    "    client = POOL.submit(boto3.client, 's3').result()\n"
                    "    return {'count': len(client.list_buckets()['Buckets'])}\n"
                ),
                "in every invocation",
            ),
            # Learner trial 9 (QD9): a logs-only role, and the notebook's own access keys
            # written into the client: it passed; the execution role gives the credentials.
            "notebook-keys-in-the-code": Wrong(
                NOTEBOOK_KEYS, "access keys of its own", "execution role", "s3:ListAllMyBuckets"
            ),
            # Learner trial 10 (WD16): the function's client sends unsigned requests; the role
            # allows the action, and the ❌ said it must: it names the unsigned client now.
            "function-client-unsigned": Wrong(
                buckets(
                    "import boto3\nfrom botocore import UNSIGNED\n"
                    "from botocore.config import Config\n\n"
                    "s3 = boto3.client('s3', config=Config(signature_version=UNSIGNED))\n\n\n"
                    "def handler(event, context):\n"
                    "    return {'count': len(s3.list_buckets()['Buckets'])}\n"
                ),
                "names no caller",
                "signature_version=UNSIGNED",
            ),
            # Learner trial 10 (WD17): one page of MaxBuckets=3, with 2 buckets already there;
            # the ❌ blamed BucketRegion, it names the page now.
            "max-buckets-three-one-page": Wrong(
                BUCKETS
                + "s3 = boto3.client('s3')\n"
                + "for name in ('photos-2024', 'photos-2025'):\n"
                + "    s3.create_bucket(Bucket=name)\n"
                + "deploy_buckets('''import boto3\n\ns3 = boto3.client('s3')\n\n\n"
                + "def handler(event, context):\n"
                + "    return {'count': len(s3.list_buckets(MaxBuckets=3)['Buckets'])}\n''')\n",
                "stopped at 3",
                "ContinuationToken",
            ),
            # Learner trial 10 (WW4): the S3 client in Init, an STS client made per request:
            # the ❌ names the service.
            "sts-client-per-request": Wrong(
                buckets(
                    "import boto3\n\ns3 = boto3.client('s3')\n\n\n"
                    "def handler(event, context):\n"
                    "    boto3.client('sts').get_caller_identity()\n"
                    "    return {'count': len(s3.list_buckets()['Buckets'])}\n"
                ),
                "(`sts`) in every invocation",
            ),
            # Learner trial 10 (WD19): a right `buckets`, made in another Region.
            "function-created-in-another-region": Wrong(
                BUCKETS
                + "lam = boto3.client('lambda', region_name='eu-west-1')\n"
                + "deploy_buckets('''import boto3\n\ns3 = boto3.client('s3')\n\n\n"
                + "def handler(event, context):\n"
                + "    return {'count': len(s3.list_buckets()['Buckets'])}\n''')\n",
                "`buckets` exists in `eu-west-1`",
            ),
            # Learner trial 9 (QD14): only the buckets of the function's own Region
            # (`BucketRegion`): the check's buckets were all there, and it passed.
            "buckets-of-one-region": Wrong(
                buckets(
                    "import os\nimport boto3\n\ns3 = boto3.client('s3')\n\n\n"
                    "def handler(event, context):\n"
                    "    found = s3.list_buckets(BucketRegion=os.environ['AWS_REGION'])\n"
                    "    return {'count': len(found['Buckets'])}\n"
                ),
                "misses the bucket in `eu-west-1`",
                "`BucketRegion`",
            ),
            # Learner trial 9 (QD19): right, but left "paused" at reserved concurrency 0 (the
            # check crashed on the throttle, blaming itself).
            "reserved-concurrency-zero-left": Wrong(
                buckets(MADE_BY_A_FUNCTION)
                + "lam.put_function_concurrency(FunctionName='buckets', "
                + "ReservedConcurrentExecutions=0)\n",
                "reserved concurrency of 0",
                "delete_function_concurrency",
            ),
            "count-as-text": Wrong(
                buckets(
                    "import boto3\ns3 = boto3.client('s3')\n\n\n"
                    "def handler(event, context):\n"
                    "    return {'count': str(len(s3.list_buckets()['Buckets']))}\n"
                ),
                "should be a number",
                "not str",
            ),
            "returns-the-list": Wrong(
                buckets(
                    "import boto3\ns3 = boto3.client('s3')\n\n\n"
                    "def handler(event, context):\n"
                    "    return [b['Name'] for b in s3.list_buckets()['Buckets']]\n"
                ),
                "should return a dict",
            ),
            # Learner trial 11 (CD6): the notebook's role, shared with `hello`, widened with
            # s3:ListAllMyBuckets and given to `buckets`; the task gives it a role of its own.
            # It passed without a word.
            "shared-notebook-role-widened": Wrong(
                BUCKETS
                + "shared = execution_role()\n"
                + "try:\n"
                + "    lam.delete_function(FunctionName='hello')\n"
                + "except lam.exceptions.ResourceNotFoundException:\n"
                + "    pass\n"
                + "lam.create_function(FunctionName='hello', Runtime='python3.13', Role=shared,\n"
                + "    Handler='app.handler',\n"
                + "    Code={'ZipFile': zip_bytes(\n"
                + "        {'app.py': 'def handler(e, c):\\n    return 1\\n'})})\n"
                + "lam.get_waiter('function_active_v2').wait(FunctionName='hello')\n"
                + "iam.put_role_policy(RoleName=shared.rsplit('/', 1)[-1],\n"
                + "    PolicyName='list-buckets',\n"
                + "    PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [\n"
                + "        {'Effect': 'Allow', 'Action': 's3:ListAllMyBuckets',\n"
                + "         'Resource': '*'}]}))\n"
                + f"deploy_buckets('''{MADE_BY_A_FUNCTION}''', shared)\n",
                "also the role of 1 other function(s) (`hello`)",
                "a role of its own",
            ),
        },
        right={
            "client-made-by-a-helper": buckets(MADE_BY_A_FUNCTION),
            # Learner trial 11 (CD23): general purpose and directory buckets added up, right on
            # AWS (its ListDirectoryBuckets lists only directory buckets); the kit's lists
            # general buckets too, and the count, doubled here, got a ❌.
            "directory-buckets-added-to-the-count": BUCKETS
            + "iam.put_role_policy(RoleName='buckets-role', PolicyName='list', "
            + "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [\n"
            + "    {'Effect': 'Allow', 'Action': ['s3:ListAllMyBuckets',\n"
            + "     's3express:ListAllMyDirectoryBuckets'], 'Resource': '*'}]}))\n"
            + "deploy_buckets('''\nimport boto3\n\ns3 = boto3.client('s3')\n\n\n"
            + "def handler(event, context):\n"
            + "    general = s3.list_buckets()['Buckets']\n"
            + "    directory = s3.list_directory_buckets()['Buckets']\n"
            + "    return {'count': len(general) + len(directory)}\n''')\n",
            # Learner trial 9 (QW4): s3:* on *: it works, and the ✅ notes least privilege.
            "all-of-s3-noted-as-broad": BUCKETS
            + "iam.put_role_policy(RoleName='buckets-role', PolicyName='list', "
            + "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [\n"
            + "    {'Effect': 'Allow', 'Action': 's3:*', 'Resource': '*'}]}))\n"
            + f"deploy_buckets('''{MADE_BY_A_FUNCTION}''')\n",
            # Learner trial 9 (QD13): the client made in Init only when running in Lambda
            # (AWS_LAMBDA_FUNCTION_NAME, always set in an execution environment); the check
            # loaded the module in the notebook's process, without it.
            "client-only-when-in-lambda": buckets(
                "import os\nimport boto3\n\n"
                "IN_LAMBDA = 'AWS_LAMBDA_FUNCTION_NAME' in os.environ\n"
                "s3 = boto3.client('s3') if IN_LAMBDA else None\n\n\n"
                "def handler(event, context):\n"
                "    client = s3 or boto3.client('s3')\n"
                "    return {'count': len(client.list_buckets()['Buckets'])}\n"
            ),
            # Learner trial 9 (QD13): the function's name read from Lambda's variables in Init.
            "function-name-from-the-environment": buckets(
                "import os\nimport boto3\n\n"
                "NAME = os.environ['AWS_LAMBDA_FUNCTION_NAME']\ns3 = boto3.client('s3')\n\n\n"
                "def handler(event, context):\n"
                "    print(NAME, 'counting')\n"
                "    return {'count': len(s3.list_buckets()['Buckets'])}\n"
            ),
            # Learner trial 9 (QD15): the client in the package's own `helpers.py`; the check
            # imported the kit's `helpers` instead.
            "client-in-a-helpers-module": HELPERS_MODULE,
            # Learner trial 9 (QD16): a handler in a package, its client imported relatively;
            # the check renamed the module, and the relative import failed.
            "package-with-a-relative-import": RELATIVE_IMPORT,
            # Learner trial 9 (QD17): the client made during Init on a worker thread, which
            # every request reads through its future.
            "client-made-on-an-init-thread": buckets(
                "import boto3\nfrom concurrent.futures import ThreadPoolExecutor\n\n"
                "_s3 = ThreadPoolExecutor(max_workers=1).submit(boto3.client, 's3')\n\n\n"
                "def handler(event, context):\n"
                "    return {'count': len(_s3.result().list_buckets()['Buckets'])}\n"
            ),
            # Learner trial 9 (QD8): an Allow valid until a date (aws:CurrentTime, on the kit's
            # clock since commit 5ea7990).
            "allow-until-a-date": UNTIL_A_DATE + f"deploy_buckets('''{MADE_BY_A_FUNCTION}''')\n",
            # Learner trial 12 (ID10): S3's own endpoint for the Region works on AWS; the ✅
            # notes that leaving it out does the same.
            "explicit-regional-s3-endpoint": buckets(REGIONAL_S3_ENDPOINT),
            # Learner trial 13 (OD11): a role limited to `buckets` by lambda:SourceFunctionArn
            # (least privilege, as AWS documents it); the check's copy, `buckets-check-...`,
            # was denied. Its sessions are now named `buckets`, as the learner's function's.
            "role-limited-to-its-function-arn": BUCKETS
            + "account = boto3.client('sts').get_caller_identity()['Account']\n"
            + "region = lam.meta.region_name\n"
            + "iam.put_role_policy(RoleName='buckets-role', PolicyName='list', "
            + "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [\n"
            + "    {'Effect': 'Allow', 'Action': 's3:ListAllMyBuckets', 'Resource': '*',\n"
            + "     'Condition': {'ArnEquals': {'lambda:SourceFunctionArn':\n"
            + "         f'arn:aws:lambda:{region}:{account}:function:buckets'}}}]}))\n"
            + f"deploy_buckets('''{MADE_BY_A_FUNCTION}''')\n",
            # Learner trial 13 (OD11): the same, by the role session's name (aws:userid).
            "role-limited-to-its-session-name": BUCKETS
            + "iam.put_role_policy(RoleName='buckets-role', PolicyName='list', "
            + "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [\n"
            + "    {'Effect': 'Allow', 'Action': 's3:ListAllMyBuckets', 'Resource': '*',\n"
            + "     'Condition': {'StringLike': {'aws:userid': '*:buckets'}}}]}))\n"
            + f"deploy_buckets('''{MADE_BY_A_FUNCTION}''')\n",
            # Learner trial 13 (OD14): the solution's code rebound the notebook's `role_arn`
            # (the role `deploy` gives every function) to `buckets-role`; a `ticker` deployed
            # after it with `role_arn` shared that role, and q2 turned ❌. The solution's name
            # is its own now.
            "solution-then-ticker-with-the-notebooks-role": "from helpers.iam import "
            + "execution_role\nrole_arn = execution_role()\n"
            + _BUCKETS_SOLUTION
            + "lam.create_function(FunctionName='ticker', Runtime='python3.13', Role=role_arn,\n"
            + "    Handler='app.handler', Code={'ZipFile': zip_bytes(\n"
            + "        {'app.py': 'def handler(e, c):\\n    return 1\\n'})})\n"
            + "lam.get_waiter('function_active_v2').wait(FunctionName='ticker')\n",
            "resource-and-session-at-module-level": buckets(
                "import boto3\n\nsession = boto3.session.Session()\n"
                "s3 = session.resource('s3')\n\n\n"
                "def handler(event, context):\n"
                "    names = [bucket.name for bucket in s3.buckets.all()]\n"
                "    print('buckets:', names)\n"
                "    return {'count': len(names)}\n"
            ),
        },
        broken="client-in-the-handler",
    ),
}
