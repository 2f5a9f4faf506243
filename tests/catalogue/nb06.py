"""Notebook 06: q1 a month's bill by hand; q2 the bill of resize's 10 invocations from their
REPORT lines (arm64, only the current deployment's); q3 the memory size past which a
single-threaded function gets no faster."""

from tests.catalogue import Answers, Wrong

MONTH = """
import math
from decimal import Decimal
from helpers import pricing

requests, duration_ms, memory_mb = 10_000_000, 85.3, 1024
first_tier = float(pricing.PRICES["regions"]["us-east-1"]["duration_x86_64"]["tiers"][0]["value"])
per_request = float(pricing.price("requests_per_million")) / 1_000_000
free_gb_s = pricing.rule("free_tier_gb_seconds")
free_requests = pricing.rule("free_tier_requests")
"""


def month(body: str) -> str:
    return MONTH + body


# The notebook's set-up for q2: `deploy` creates a function, as in the notebook.
RESIZE = """
import json
import time

import boto3
from helpers import pricing
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
logs = boto3.client("logs")
role_arn = execution_role("pricing-role")
SOURCE = '''
def handler(event, context):
    return {"size": sum(range(10_000))}
'''


def deploy(name, source, **settings):
    try:  # a re-run replaces the function; its log group stays, as on AWS
        lam.delete_function(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        pass
    lam.create_function(FunctionName=name, Runtime="python3.13", Role=role_arn,
                        Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py": source})},
                        **settings)
    lam.get_waiter("function_active_v2").wait(FunctionName=name)


def report_events(**extra):
    pages = logs.get_paginator("filter_log_events").paginate(
        logGroupName="/aws/lambda/resize", filterPattern="REPORT", **extra)
    return [event for page in pages for event in page["events"]]
"""


def resize(body: str, settings: str = "MemorySize=256, Architectures=['arm64']", n: int = 10):
    """A learner's q2 cell: deploy resize, note the time, invoke it n times, then `body`."""
    return RESIZE + (
        f"deploy('resize', SOURCE, {settings})\n"
        "start = int(time.time() * 1000)\n"
        f"for _ in range({n}):\n"
        "    lam.invoke(FunctionName='resize', Payload=b'{}')\n" + body
    )


RIGHT_BILL = (
    "answer = pricing.bill_from_reports(report_events(startTime=start), architecture='arm64')\n"
)

STORAGE_2048 = "MemorySize=256, Architectures=['arm64'], EphemeralStorage={'Size': 2048}"

# First a 128 MB try, then the right deployment, then every REPORT line of the group.
STALE = (
    RESIZE
    + """
deploy('resize', SOURCE, MemorySize=128, Architectures=['arm64'])
for _ in range(10):
    lam.invoke(FunctionName='resize', Payload=b'{}')
deploy('resize', SOURCE, MemorySize=256, Architectures=['arm64'])
for _ in range(10):
    lam.invoke(FunctionName='resize', Payload=b'{}')
answer = pricing.bill_from_reports(report_events(), architecture='arm64')
"""
)

MEMORY = """
from helpers.coldstart import cpu
"""

# Learner trial 11 (BD14, BD15): `thumbnail` and `resize` log to one custom log group; each
# is invoked 10 times, in turns, and every REPORT line of the group since then is read.
SHARED = "shared = {'LogGroup': '/shared/images', 'LogFormat': 'Text'}\n"
SHARED_INVOKES = """start = int(time.time() * 1000)
for _ in range(10):
    lam.invoke(FunctionName="resize", Payload=b"{}")
    lam.invoke(FunctionName="thumbnail", Payload=b"{}")
pages = logs.get_paginator("filter_log_events").paginate(
    logGroupName="/shared/images", filterPattern="REPORT", startTime=start)
events = [e for p in pages for e in p["events"]]
"""

# Learner trial 11 (BD16): the local AWS dropped `SnapStart` (moto shows every function's as
# Off), which is another engineer's mend. Until it keeps it, the version the learner published
# with SnapStart on shows it as AWS does (`OptimizationStatus` `On` on a published version,
# https://docs.aws.amazon.com/lambda/latest/dg/snapstart-activate.html): only that version's
# configuration, in this test's own wiped local AWS.
SNAPSTART_STAND_IN = """
if lam.get_function_configuration(FunctionName="resize", Qualifier=version)["SnapStart"][
        "OptimizationStatus"] != "On":
    from moto.awslambda.models import lambda_backends
    from helpers.cloud import current
    _aws = current()
    _fn = lambda_backends[_aws.account_id][_aws.region].get_function("resize", version)
    _shown = _fn.get_configuration

    def _with_snapstart(*args, **kwargs):
        config = _shown(*args, **kwargs)
        config["SnapStart"] = {"ApplyOn": "PublishedVersions", "OptimizationStatus": "On"}
        return config

    _fn.get_configuration = _with_snapstart
"""

ANSWERS = {
    "q1": Answers(
        wrong={
            "unrounded-duration": Wrong(
                month(
                    "gb_s = requests * duration_ms / 1000 * memory_mb / 1024 - free_gb_s\n"
                    "answer = gb_s * first_tier + (requests - free_requests) * per_request\n"
                ),
                "rounded up",
            ),
            "no-free-tier": Wrong(
                month(
                    "gb_s = requests * math.ceil(duration_ms) / 1000 * memory_mb / 1024\n"
                    "answer = gb_s * first_tier + requests * per_request\n"
                ),
                "free tier comes off first",
            ),
            "gb-is-1000-mb": Wrong(
                month(
                    "gb_s = requests * math.ceil(duration_ms) / 1000 * memory_mb / 1000"
                    " - free_gb_s\n"
                    "answer = gb_s * first_tier + (requests - free_requests) * per_request\n"
                ),
                "1024",
            ),
            "duration-charge-only": Wrong(
                month(
                    "gb_s = requests * math.ceil(duration_ms) / 1000 * memory_mb / 1024"
                    " - free_gb_s\n"
                    "answer = gb_s * first_tier\n"
                ),
                "requests",
            ),
            "milliseconds-not-seconds": Wrong(
                month(
                    "gb_s = requests * math.ceil(duration_ms) * memory_mb / 1024 - free_gb_s\n"
                    "answer = gb_s * first_tier + (requests - free_requests) * per_request\n"
                ),
                "is not the month's bill",
            ),
            "text-answer": Wrong(month("answer = '$158.49'\n"), "should be a number"),
            # Learner trial 9 (PW4): each half of the free tier forgotten, 100 ms steps, the
            # duration rounded to the nearest ms, cents, and the bill cut short got the
            # generic message.
            "request-free-tier-forgotten": Wrong(
                month(
                    "gb_s = requests * math.ceil(duration_ms) / 1000 * memory_mb / 1024"
                    " - free_gb_s\n"
                    "answer = gb_s * first_tier + requests * per_request\n"
                ),
                "the requests' part is missing",
            ),
            "compute-free-tier-forgotten": Wrong(
                month(
                    "gb_s = requests * math.ceil(duration_ms) / 1000 * memory_mb / 1024\n"
                    "answer = gb_s * first_tier + (requests - free_requests) * per_request\n"
                ),
                "the compute part is missing",
            ),
            "hundred-ms-steps": Wrong(
                month(
                    "billed = math.ceil(duration_ms / 100) * 100\n"
                    "gb_s = requests * billed / 1000 * memory_mb / 1024 - free_gb_s\n"
                    "answer = gb_s * first_tier + (requests - free_requests) * per_request\n"
                ),
                "steps of 1 ms",
                "not 100 ms",
            ),
            # Learner trial 13 (NW1): each run billed in whole seconds, rounded up; it had the
            # generic message, 100 ms steps a message of their own.
            "whole-second-steps": Wrong(
                month(
                    "billed = math.ceil(duration_ms / 1000) * 1000\n"
                    "gb_s = requests * billed / 1000 * memory_mb / 1024 - free_gb_s\n"
                    "answer = gb_s * first_tier + (requests - free_requests) * per_request\n"
                ),
                "steps of 1 ms",
                "not whole seconds",
            ),
            "rounded-to-the-nearest-ms": Wrong(
                month(
                    "gb_s = requests * round(duration_ms) / 1000 * memory_mb / 1024 - free_gb_s\n"
                    "answer = gb_s * first_tier + (requests - free_requests) * per_request\n"
                ),
                "rounded up to the next millisecond",
                "nor rounded to the nearest",
            ),
            # Learner trial 10 (VW3): the duration cut short with int() (85 ms) was told it
            # was rounded to the nearest; the message names both.
            "truncated-duration": Wrong(
                month(
                    "gb_s = requests * int(duration_ms) / 1000 * memory_mb / 1024 - free_gb_s\n"
                    "answer = gb_s * first_tier + (requests - free_requests) * per_request\n"
                ),
                "not cut short (`int`)",
                "math.ceil",
            ),
            # Learner trial 10 (VD7): Decimal('sNaN') made the check crash (float() of it
            # raises); it is no number of dollars, as NaN.
            # Learner trial 11 (BW6): the price per million requests taken per request.
            "request-price-per-request": Wrong(
                month(
                    "gb_s = requests * math.ceil(duration_ms) / 1000 * memory_mb / 1024"
                    " - free_gb_s\n"
                    "answer = gb_s * first_tier + (requests - free_requests)"
                    " * float(pricing.price('requests_per_million'))\n"
                ),
                "price of a million requests",
                "1,000,000",
            ),
            "signaling-nan": Wrong(month("answer = Decimal('sNaN')\n"), "not a number of dollars"),
            "answer-in-cents": Wrong(
                month(
                    "gb_s = requests * math.ceil(duration_ms) / 1000 * memory_mb / 1024"
                    " - free_gb_s\n"
                    "usd = gb_s * first_tier + (requests - free_requests) * per_request\n"
                    "answer = 100 * usd\n"
                ),
                "in cents",
                "US dollars",
            ),
            "truncated-to-the-cent": Wrong(
                month(
                    "gb_s = requests * math.ceil(duration_ms) / 1000 * memory_mb / 1024"
                    " - free_gb_s\n"
                    "usd = gb_s * first_tier + (requests - free_requests) * per_request\n"
                    "answer = math.floor(usd * 100) / 100\n"
                ),
                "cut short",
            ),
            # Section 6's arm64 price, for a function the task says runs on x86_64.
            "arm64-rate": Wrong(
                month(
                    "arm = pricing.PRICES['regions']['us-east-1']['duration_arm64']['tiers'][0]\n"
                    "gb_s = requests * math.ceil(duration_ms) / 1000 * memory_mb / 1024"
                    " - free_gb_s\n"
                    "answer = gb_s * float(arm['value'])"
                    " + (requests - free_requests) * per_request\n"
                ),
                "arm64",
                "x86_64",
            ),
            # Learner trial 12 (HD1): the month priced at the second tier's rate; the message
            # was the generic one.
            "second-tier-price": Wrong(
                month(
                    "tiers = pricing.PRICES['regions']['us-east-1']['duration_x86_64']['tiers']\n"
                    "gb_s = requests * math.ceil(duration_ms) / 1000 * memory_mb / 1024"
                    " - free_gb_s\n"
                    "answer = gb_s * float(tiers[1]['value'])"
                    " + (requests - free_requests) * per_request\n"
                ),
                "second tier",
                "within the first",
            ),
            # Learner trial 12 (HD8): the included 512 MB of /tmp charged as storage; the
            # message was the generic one.
            "included-tmp-storage-charged": Wrong(
                month(
                    "billed_s = math.ceil(duration_ms) / 1000\n"
                    "gb_s = requests * billed_s * memory_mb / 1024 - free_gb_s\n"
                    "storage = requests * billed_s * 512 / 1024"
                    " * float(pricing.price('ephemeral_storage_gb_s'))\n"
                    "answer = gb_s * first_tier + (requests - free_requests) * per_request"
                    " + storage\n"
                ),
                "512 MB of /tmp, which is included",
                "no storage charge",
            ),
        },
        right={
            "rounded-to-the-cent": month(
                "gb_s = requests * math.ceil(duration_ms) / 1000 * memory_mb / 1024 - free_gb_s\n"
                "answer = round(gb_s * first_tier + (requests - free_requests) * per_request, 2)\n"
            ),
            "decimal-arithmetic": month(
                "tier = pricing.PRICES['regions']['us-east-1']['duration_x86_64']['tiers'][0]\n"
                "gb_s = Decimal(requests) * Decimal(math.ceil(duration_ms)) / 1000 "
                "* Decimal(memory_mb) / 1024 - Decimal(free_gb_s)\n"
                "answer = gb_s * Decimal(str(tier['value'])) + Decimal(requests - free_requests)"
                " * Decimal(str(pricing.price('requests_per_million'))) / 1_000_000\n"
            ),
            "the-kit-bill-object": month(
                "answer = pricing.monthly_cost(requests, duration_ms, memory_mb)\n"
            ),
        },
        broken="no-free-tier",
    ),
    "q2": Answers(
        wrong={
            # Learner trial 5: invoked while the memory update was still in progress (the
            # kit's control plane made slow here, so that every invoke meets it).
            "invoked-during-the-update": Wrong(
                RESIZE
                + "import helpers\nhelpers.start().configure(control_plane_delay=3)\n"
                + "deploy('resize', SOURCE, Architectures=['arm64'])\n"
                + "lam.update_function_configuration(FunctionName='resize', MemorySize=256)\n"
                + "start = int(time.time() * 1000)\n"
                + "for _ in range(10):\n"
                + "    lam.invoke(FunctionName='resize', Payload=b'{}')\n"
                + RIGHT_BILL,
                "before it was done",
                "function_updated_v2",
            ),
            # Learner trial 6: version 1 published at 128 MB, then the memory update (waited
            # for), then the 10 invocations of version 1 (the message said "wait for the
            # update").
            "version-published-before-memory": Wrong(
                RESIZE
                + "deploy('resize', SOURCE, Architectures=['arm64'])\n"
                + "lam.publish_version(FunctionName='resize')\n"
                + "lam.update_function_configuration(FunctionName='resize', MemorySize=256)\n"
                + "lam.get_waiter('function_updated_v2').wait(FunctionName='resize')\n"
                + "start = int(time.time() * 1000)\n"
                + "for _ in range(10):\n"
                + "    lam.invoke(FunctionName='resize', Qualifier='1', Payload=b'{}')\n"
                + RIGHT_BILL,
                "ran version 1",
                "128 MB",
                "no `Qualifier`",
            ),
            # Learner trial 7 (G D9): version 1 published at 256 MB on arm64, then the code
            # updated (waited for), then version 1 invoked: the old code, not resize as it is
            # deployed now (invocations of $LATEST from before a change are refused too).
            "version-published-before-the-code-update": Wrong(
                RESIZE
                + "deploy('resize', SOURCE, MemorySize=256, Architectures=['arm64'])\n"
                + "frozen = lam.publish_version(FunctionName='resize')['Version']\n"
                + "lam.update_function_code(FunctionName='resize', "
                + "ZipFile=zip_bytes({'app.py': SOURCE + '\\n# faster now\\n'}))\n"
                + "lam.get_waiter('function_updated_v2').wait(FunctionName='resize')\n"
                + "start = int(time.time() * 1000)\n"
                + "for _ in range(10):\n"
                + "    lam.invoke(FunctionName='resize', Qualifier=frozen, Payload=b'{}')\n"
                + RIGHT_BILL,
                "ran version 1",
                "published before your last change",
                "code (its `CodeSha256`)",
                "no `Qualifier`",
            ),
            "priced-as-x86": Wrong(
                resize("answer = pricing.bill_from_reports(report_events(startTime=start))\n"),
                "x86_64",
                "architecture='arm64'",
            ),
            "stale-lines-of-an-earlier-deployment": Wrong(STALE, "ran before", "startTime"),
            "function-on-x86": Wrong(resize(RIGHT_BILL, settings="MemorySize=256"), "x86_64"),
            "default-memory": Wrong(
                resize(RIGHT_BILL, settings="Architectures=['arm64']"), "128 MB", "256"
            ),
            "nine-invocations": Wrong(resize(RIGHT_BILL, n=9), "covers 9", "10"),
            # Learner trial 12 (HW1): a test invoke before the 10, `start` taken before it;
            # the message said "only from before your first invoke", which they had done.
            "test-invoke-counted": Wrong(
                resize(RIGHT_BILL).replace(
                    "start = int(time.time() * 1000)\n",
                    "start = int(time.time() * 1000)\n"
                    "lam.invoke(FunctionName='resize', Payload=b'{}')  # a test\n",
                ),
                "covers 11",
                "just before those 10 invokes (after any test invoke)",
            ),
            # Learner trial 12 (HW3): `startTime` in nanoseconds (in the future): no lines, so
            # `bill_from_reports` raises and `answer` is never set.
            "start-time-in-nanoseconds": Wrong(
                resize(RIGHT_BILL.replace("startTime=start", "startTime=time.time_ns()")),
                "pass your bill",
                "in milliseconds",
                raises="no REPORT lines found",
            ),
            # Learner trial 12 (HW3): the system log level WARN: Lambda writes no report.
            "system-log-level-warn": Wrong(
                resize(
                    "pages = logs.get_paginator('filter_log_events').paginate("
                    "logGroupName='/aws/lambda/resize', startTime=start)\n"
                    "answer = pricing.bill_from_reports([e for page in pages for e in "
                    "page['events']], architecture='arm64')\n",
                    settings="MemorySize=256, Architectures=['arm64'], LoggingConfig={"
                    "'LogFormat': 'JSON', 'SystemLogLevel': 'WARN'}",
                ),
                "system log level WARN",
                "Set it back to INFO",
                raises="log group does not exist",
            ),
            # The price before AWS billed the Init phase (1 August 2025).
            "init-left-out": Wrong(
                resize(
                    "answer = pricing.bill_from_reports(report_events(startTime=start), "
                    "architecture='arm64', include_init=False)\n"
                ),
                "Init Duration",
                "include_init=True",
            ),
            "free-tier-on": Wrong(
                resize(
                    "answer = pricing.bill_from_reports(report_events(startTime=start), "
                    "architecture='arm64', free_tier=True)\n"
                ),
                "free tier",
            ),
            "a-number-not-the-bill": Wrong(
                resize(
                    "answer = float(pricing.bill_from_reports(report_events(startTime=start), "
                    "architecture='arm64').total)\n"
                ),
                "bill_from_reports",
            ),
            # Learner trial 8 (L D1): resize given 2,048 MB of /tmp, its bill left at the
            # default 512 MB: AWS bills the storage above 512 MB, so the charge is missing.
            "extra-storage-not-billed": Wrong(
                resize(RIGHT_BILL, settings=STORAGE_2048),
                "leaves out",
                "ephemeral storage",
                "ephemeral_storage_mb=2048",
            ),
            # Storage priced that resize doesn't have (its /tmp is the default 512 MB).
            "storage-billed-the-function-lacks": Wrong(
                resize(
                    "answer = pricing.bill_from_reports(report_events(startTime=start), "
                    "architecture='arm64', ephemeral_storage_mb=2048)\n"
                ),
                "prices 2048 MB of ephemeral storage",
                "512 MB",
                "leave `ephemeral_storage_mb` out",
            ),
            # Learner trial 10 (VW4): the lines of a test copy, `resize-test`, were called
            # made-up; the message names the log group they come from.
            "lines-of-a-test-copy": Wrong(
                RESIZE
                + """
deploy("resize-test", SOURCE, MemorySize=256, Architectures=["arm64"])
deploy("resize", SOURCE, MemorySize=256, Architectures=["arm64"])
start = int(time.time() * 1000)
for _ in range(10):
    lam.invoke(FunctionName="resize-test", Payload=b"{}")
lam.invoke(FunctionName="resize", Payload=b"{}")
pages = logs.get_paginator("filter_log_events").paginate(
    logGroupName="/aws/lambda/resize-test", filterPattern="REPORT", startTime=start)
answer = pricing.bill_from_reports([e for p in pages for e in p["events"]], architecture="arm64")
""",
                "/aws/lambda/resize-test",
                "another function's log group",
            ),
            # Learner trial 10 (VW5): the bill scaled to a month got the generic message.
            "scaled-to-a-month": Wrong(
                resize(
                    "answer = pricing.bill_from_reports(report_events(startTime=start), "
                    "architecture='arm64', monthly_requests=5_000_000)\n"
                ),
                "scaled from the 10 invocations",
                "monthly_requests",
            ),
            # Learner trial 11 (BD14): `thumbnail` (128 MB, x86_64) logs to resize's custom
            # log group; all 20 lines of the group priced. The ❌ blamed an update in
            # progress; each line's log stream names the function that wrote it.
            "shared-log-group-lines-of-another-function": Wrong(
                RESIZE + SHARED + "deploy('thumbnail', SOURCE, LoggingConfig=shared)\n"
                "deploy('resize', SOURCE, MemorySize=256, Architectures=['arm64'], "
                "LoggingConfig=shared)\n" + SHARED_INVOKES + "answer = pricing.bill_from_reports"
                "(events, architecture='arm64')\n",
                "10 of the 20 invocations",
                "not `resize`'s",
                "`thumbnail`",
                "logStreamName",
            ),
            # Learner trial 11 (BD15): both functions 256 MB on arm64 in one custom log group;
            # the 10 most recent lines priced, some of them `thumbnail`'s: it got a ✅.
            "shared-log-group-ten-most-recent-lines": Wrong(
                RESIZE + SHARED + "for name in ('thumbnail', 'resize'):\n"
                "    deploy(name, SOURCE, MemorySize=256, Architectures=['arm64'], "
                "LoggingConfig=shared)\n" + SHARED_INVOKES + "events = sorted(events, "
                "key=lambda e: e['timestamp'])[-10:]\n"
                "answer = pricing.bill_from_reports(events, architecture='arm64')\n",
                "not `resize`'s",
                "`thumbnail`",
            ),
            # Learner trial 11 (BD1): version 1 given provisioned concurrency, its 10
            # invocations priced at the on-demand price: AWS bills them at the provisioned
            # duration price, plus the concurrency configured.
            "invoked-on-provisioned-concurrency": Wrong(
                RESIZE
                + """
deploy("resize", SOURCE, MemorySize=256, Architectures=["arm64"])
version = lam.publish_version(FunctionName="resize")["Version"]
lam.put_provisioned_concurrency_config(
    FunctionName="resize", Qualifier=version, ProvisionedConcurrentExecutions=1)
deadline = time.time() + 60
while lam.get_provisioned_concurrency_config(FunctionName="resize", Qualifier=version)[
        "Status"] != "READY" and time.time() < deadline:
    time.sleep(0.2)
start = int(time.time() * 1000)
for _ in range(10):
    lam.invoke(FunctionName="resize", Qualifier=version, Payload=b"{}")
answer = pricing.bill_from_reports(report_events(startTime=start), architecture="arm64")
""",
                "provisioned concurrency",
                "no `Qualifier`",
                "delete_provisioned_concurrency_config",
            ),
            # Learner trial 11 (BD16): a version published with SnapStart on (Python 3.12 and
            # later), its invocations priced as on demand: AWS bills the snapshot's cache and
            # each restore too.
            "snapstart-version-priced-as-on-demand": Wrong(
                RESIZE
                + """
deploy("resize", SOURCE, MemorySize=256, Architectures=["arm64"],
       SnapStart={"ApplyOn": "PublishedVersions"})
version = lam.publish_version(FunctionName="resize")["Version"]
"""
                + SNAPSTART_STAND_IN
                + """
start = int(time.time() * 1000)
for _ in range(10):
    lam.invoke(FunctionName="resize", Qualifier=version, Payload=b"{}")
answer = pricing.bill_from_reports(report_events(startTime=start), architecture="arm64")
""",
                "SnapStart",
                "ran version 1",
                "no `Qualifier`",
            ),
            "made-up-lines": Wrong(
                resize(
                    "lines = ['REPORT RequestId: 00000000-aaaa-bbbb-cccc-%012d\\tDuration: 5.0 ms"
                    "\\tBilled Duration: 5 ms\\tMemory Size: 256 MB\\tMax Memory Used: 40 MB' % i "
                    "for i in range(10)]\n"
                    "answer = pricing.bill_from_reports(lines, architecture='arm64')\n"
                ),
                "no REPORT line",
            ),
        },
        right={
            # Learner trial 8 (L D1): 2,048 MB of /tmp, and the bill told so: AWS bills the
            # storage above 512 MB for every invocation, so this is the true bill.
            "storage-billed": resize(
                "answer = pricing.bill_from_reports(report_events(startTime=start), "
                "architecture='arm64', ephemeral_storage_mb=2048)\n",
                settings=STORAGE_2048,
            ),
            # Learner trial 8 (L D3): resize logs in the JSON format, so its reports are
            # platform.report records (no REPORT line), read with a JSON selector.
            "json-log-format": resize(
                """pages = logs.get_paginator("filter_log_events").paginate(
    logGroupName="/aws/lambda/resize", filterPattern='{ $.type = "platform.report" }',
    startTime=start)
events = [e for p in pages for e in p["events"]]
answer = pricing.bill_from_reports(events, architecture="arm64")
""",
                settings="MemorySize=256, Architectures=['arm64'], "
                "LoggingConfig={'LogFormat': 'JSON'}",
            ),
            "by-request-id": RESIZE
            + """
deploy("resize", SOURCE, MemorySize=256, Architectures=["arm64"])
mine = {lam.invoke(FunctionName="resize", Payload=json.dumps({"n": n}))["ResponseMetadata"][
    "RequestId"] for n in range(10)}
lines = [e["message"] for e in report_events() if e["message"].split()[2] in mine]
answer = pricing.bill_from_reports(lines, architecture="arm64")
""",
            "frame-then-bill-after-a-stale-try": RESIZE
            + """
deploy("resize", SOURCE, MemorySize=512)  # a first try, on x86_64, at 512 MB
for _ in range(3):
    lam.invoke(FunctionName="resize")
deploy("resize", SOURCE, MemorySize=256, Architectures=["arm64"])
start = int(time.time() * 1000)
for _ in range(10):
    lam.invoke(FunctionName="resize", Payload=b"{}")
frame = pricing.report_frame(report_events(startTime=start))
answer = pricing.bill_from_reports(frame, architecture="arm64", free_tier=False)
""",
            # Found by a learner trial: LastModified read with strptime, which refused the
            # kit's nanoseconds (AWS writes milliseconds and +0000).
            "start-from-last-modified": RESIZE
            + """
from datetime import datetime
deploy("resize", SOURCE, MemorySize=128, Architectures=["arm64"])
for _ in range(3):
    lam.invoke(FunctionName="resize")
deploy("resize", SOURCE, MemorySize=256, Architectures=["arm64"])
modified = lam.get_function_configuration(FunctionName="resize")["LastModified"]
start = int(datetime.strptime(modified, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000)
for _ in range(10):
    lam.invoke(FunctionName="resize", Payload=b"{}")
frame = pricing.report_frame(report_events(startTime=start))
answer = pricing.bill_from_reports(frame[frame["memory_mb"] == 256], architecture="arm64")
""",
            # Learner trial 6's mistake set right: the version published after the memory
            # update, and that version invoked (it has the task's configuration).
            "version-published-after-the-update": RESIZE
            + """
deploy("resize", SOURCE, Architectures=["arm64"])
lam.update_function_configuration(FunctionName="resize", MemorySize=256)
lam.get_waiter("function_updated_v2").wait(FunctionName="resize")
version = lam.publish_version(FunctionName="resize")["Version"]
start = int(time.time() * 1000)
for _ in range(10):
    lam.invoke(FunctionName="resize", Qualifier=version, Payload=b"{}")
answer = pricing.bill_from_reports(report_events(startTime=start), architecture="arm64")
""",
            # Learner trial 9 (PD10): asynchronous invokes, then the logs polled until the 10
            # REPORT lines are there, as on AWS (the praise reminds of it).
            "event-invokes-then-poll": RESIZE
            + """
deploy("resize", SOURCE, MemorySize=256, Architectures=["arm64"])
start = int(time.time() * 1000)
for _ in range(10):
    lam.invoke(FunctionName="resize", InvocationType="Event", Payload=b"{}")
deadline = time.time() + 60
lines = []
while len(lines) < 10 and time.time() < deadline:
    time.sleep(0.5)
    try:  # the log group exists once the first invoke has run
        lines = report_events(startTime=start)
    except logs.exceptions.ResourceNotFoundException:
        pass
answer = pricing.bill_from_reports(lines, architecture="arm64")
""",
            # Learner trial 11 (BD14, BD15) set right: resize shares a custom log group with
            # `thumbnail`, and only resize's lines (their log stream names it) are priced.
            "shared-log-group-resize-streams-only": RESIZE
            + SHARED
            + """
deploy("thumbnail", SOURCE, LoggingConfig=shared)
deploy("resize", SOURCE, MemorySize=256, Architectures=["arm64"], LoggingConfig=shared)
"""
            + SHARED_INVOKES
            + """mine = [e for e in events if "/resize[" in e["logStreamName"]]
answer = pricing.bill_from_reports(mine, architecture="arm64")
""",
            # Learner trial 11 (BD1) set right: the provisioned version is left alone, and
            # $LATEST's on-demand invocations are priced.
            "provisioned-version-left-alone": RESIZE
            + """
deploy("resize", SOURCE, MemorySize=256, Architectures=["arm64"])
version = lam.publish_version(FunctionName="resize")["Version"]
lam.put_provisioned_concurrency_config(
    FunctionName="resize", Qualifier=version, ProvisionedConcurrentExecutions=1)
start = int(time.time() * 1000)
for _ in range(10):
    lam.invoke(FunctionName="resize", Payload=b"{}")
answer = pricing.bill_from_reports(report_events(startTime=start), architecture="arm64")
""",
            # Learner trial 13 (ND1): resize prints a line of its own that starts with
            # "REPORT " (filterPattern="REPORT" selects it too); bill_from_reports crashed on it
            # (KeyError 'RequestId'): it now prices Lambda's REPORT lines only.
            "handler-prints-a-line-starting-with-report": RESIZE
            + """
deploy("resize", 'def handler(event, context):\\n    print("REPORT thumbnail 256x256 written")\\n'
       '    return 1\\n', MemorySize=256, Architectures=["arm64"])
start = int(time.time() * 1000)
for _ in range(10):
    lam.invoke(FunctionName="resize", Payload=b"{}")
answer = pricing.bill_from_reports(report_events(startTime=start), architecture="arm64")
""",
            # Found by a learner trial: moved to arm64 by the code update, as section 6 says.
            "moved-to-arm64-by-update-function-code": RESIZE
            + """
deploy("resize", SOURCE, MemorySize=256)  # created on x86_64
lam.update_function_code(FunctionName="resize", ZipFile=zip_bytes({"app.py": SOURCE}),
                         Architectures=["arm64"])
lam.get_waiter("function_updated_v2").wait(FunctionName="resize")
start = int(time.time() * 1000)
for _ in range(10):
    lam.invoke(FunctionName="resize", Payload=b"{}")
answer = pricing.bill_from_reports(report_events(startTime=start), architecture="arm64")
""",
        },
        broken="stale-lines-of-an-earlier-deployment",
    ),
    "q3": Answers(
        wrong={
            "the-largest-size": Wrong(MEMORY + "answer = max(cpu.TUNING_SIZES)\n", "no faster"),
            "one-gb": Wrong(MEMORY + "answer = 1024\n", "still gets faster"),
            "two-gb-rounded-up": Wrong(MEMORY + "answer = 2048\n", "no faster", "1769"),
            "one-below": Wrong(MEMORY + "answer = 1536\n", "still gets faster"),
            "not-a-tuning-size": Wrong(MEMORY + "answer = 1770\n", "not one of the sizes"),
            "megabytes-as-text": Wrong(MEMORY + "answer = '1769 MB'\n", "not a number"),
            # Learner trial 9 (PW5): the right size, as text; the message listed 1769 as a size.
            "size-as-numeric-text": Wrong(
                MEMORY + "answer = '1769'\n", "the text '1769'", "not a number"
            ),
            # Learner trial 7 (G D10): a filter's result left as a one-element pandas Series
            # (`.iloc[0]` forgotten): the check crashed on `answer not in TUNING_SIZES`.
            "pandas-series-of-the-fastest": Wrong(
                MEMORY
                + """
import pandas as pd
frame = pd.DataFrame({"memory_mb": cpu.TUNING_SIZES})
frame["duration_ms"] = [cpu.duration_at(m, 900, 256) for m in frame.memory_mb]
answer = frame.loc[frame.duration_ms == frame.duration_ms.min(), "memory_mb"].head(1)
""",
                "`pandas.Series` holding 1 value",
                "a single number",
                ".item()",
            ),
            # Learner trial 11 (BW2): the (size, duration) pair `min` returns from items():
            # the message suggested `.iloc[0]` or `.item()`, which a tuple doesn't have.
            "min-items-pair": Wrong(
                MEMORY
                + """
durations = {m: cpu.duration_at(m, 900, 256) for m in cpu.TUNING_SIZES}
answer = min(durations.items(), key=lambda pair: (round(pair[1]), pair[0]))
""",
                "`tuple` holding 2 value",
                "Take the size out of the pair",
            ),
        },
        right={
            # Learner trial 10 (VD6): the right size as a Decimal (the notebook prices in
            # Decimal) was refused as "not a single number".
            "size-as-decimal": MEMORY
            + "from decimal import Decimal\n"
            + "answer = Decimal(min(s for s in cpu.TUNING_SIZES if cpu.vcpus(s) >= 1))\n",
            "one-vcpu-by-vcpus": MEMORY
            + "answer = min(size for size in cpu.TUNING_SIZES if cpu.vcpus(size) >= 1)\n",
            "first-size-that-stops-falling": MEMORY
            + """
import numpy as np
durations = np.array([cpu.duration_at(s, 900, 256) for s in cpu.TUNING_SIZES])
answer = np.array(cpu.TUNING_SIZES)[np.argmin(durations)]  # argmin: the first minimum
""",
        },
        broken="the-largest-size",
    ),
}
