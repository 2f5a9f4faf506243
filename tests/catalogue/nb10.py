"""Notebook 10: q1 `summarize(events)` from the logs; q2 `shop` publishes OrdersPlaced with EMF."""

from helpers.exercises.nb10_observability import _INVENTORY_SETUP, _SHOP_SOLUTION
from tests.catalogue import Answers, Wrong

# Learner trials 13 (PD12, PD13): the shared role of `execution_role()` stripped of its logging
# policy in an experiment with least privilege.
DETACH_SHARED_LOGS = (
    "import boto3\n"
    "from helpers.iam import BASIC_EXECUTION, execution_role\n"
    "execution_role()\n"
    "boto3.client('iam').detach_role_policy(RoleName='lambda-kit-basic-execution', "
    "PolicyArn=BASIC_EXECUTION)\n"
)


def summarize(body: str) -> str:
    """The answer cell of q1: a `summarize(events)` with this body."""
    return (
        "import re\nimport statistics\nfrom helpers import pricing\n\n"
        f"def summarize(events):\n{body}\n\nanswer = summarize\n"
    )


FAILED = "    failed = [e for e in events if e['message'].startswith('[ERROR] ')]\n"
REPORTS = "    reports = pricing.report_frame(events)\n"

Q1 = Answers(
    wrong={
        "mean-not-p90": Wrong(
            summarize(
                REPORTS + FAILED + "    return {'p90_ms': reports['duration_ms'].mean(), "
                "'error_rate': len(failed) / len(reports)}"
            ),
            "average Duration",
        ),
        "max-not-p90": Wrong(
            summarize(
                REPORTS + FAILED + "    return {'p90_ms': reports['duration_ms'].max(), "
                "'error_rate': len(failed) / len(reports)}"
            ),
            "90th percentile",
        ),
        # The billed time (whole milliseconds), not how long the handler ran.
        "billed-not-duration": Wrong(
            summarize(
                REPORTS + FAILED + "    return {'p90_ms': reports['billed_ms'].quantile(0.9), "
                "'error_rate': len(failed) / len(reports)}"
            ),
            "Billed Duration",
        ),
        # A regular expression that also catches "Billed Duration:" and "Init Duration:".
        "every-duration-on-the-line": Wrong(
            summarize(
                "    found = [float(x) for e in events\n"
                "             for x in re.findall(r'Duration: ([\\d.]+)', e['message'])]\n"
                "    failed = [e for e in events if e['message'].startswith('[ERROR]')]\n"
                "    reports = [e for e in events if e['message'].startswith('REPORT')]\n"
                "    return {'p90_ms': statistics.quantiles(found, n=10)[-1],\n"
                "            'error_rate': len(failed) / len(reports)}"
            ),
            "Duration",
        ),
        "percent-not-fraction": Wrong(
            summarize(
                REPORTS + FAILED + "    return {'p90_ms': reports['duration_ms'].quantile(0.9), "
                "'error_rate': 100 * len(failed) / len(reports)}"
            ),
            "fraction",
            "not as a percentage",
        ),
        # Divides by every log line, not by the invocations.
        "divided-by-lines": Wrong(
            summarize(
                REPORTS + FAILED + "    return {'p90_ms': reports['duration_ms'].quantile(0.9), "
                "'error_rate': len(failed) / len(events)}"
            ),
            "error rate",
            "invocations",
        ),
        # The figures of the question's cell, worked out once: 5 of its 35 counts fail.
        "hard-coded-figures": Wrong(
            summarize(
                REPORTS + "    return {'p90_ms': reports['duration_ms'].quantile(0.9), "
                "'error_rate': 5 / 35}"
            ),
            "error rate",
        ),
        # Found by a learner trial: the p90 of the successful invocations only (the failed
        # ones dropped); it passed while every failure was a fast call.
        "successes-only-p90": Wrong(
            summarize(
                REPORTS + "    failed, current = set(), {}\n"
                "    for e in events:\n"
                "        m = e['message']\n"
                "        if m.startswith('START RequestId: '):\n"
                "            current[e['logStreamName']] = m.split()[2]\n"
                "        elif m.startswith('[ERROR] '):\n"
                "            failed.add(current[e['logStreamName']])\n"
                "    ok = reports[~reports['request_id'].isin(failed)]\n"
                "    return {'p90_ms': ok['duration_ms'].quantile(0.9),\n"
                "            'error_rate': len(failed) / len(reports)}"
            ),
            "successful invocations only",
            "failed invocations count too",
        ),
        # Found by a learner trial: each Duration cut with int(float(...)); it passed on a busy
        # machine, when the accepted range spanned several milliseconds.
        "truncated-to-whole-ms": Wrong(
            summarize(
                "    import numpy as np\n"
                "    d = [int(float(e['message'].split('\\tDuration: ')[1].split(' ms')[0]))\n"
                "         for e in events if e['message'].startswith('REPORT')]\n"
                "    errors = len([e for e in events if e['message'].startswith('[ERROR]')])\n"
                "    return {'p90_ms': float(np.percentile(d, 90)), 'error_rate': errors / len(d)}"
            ),
            "whole milliseconds",
        ),
        # The Durations in the log's order, never sorted: it passed about 2% of the time while
        # the check accepted anything between the methods' lowest and highest p90.
        "unsorted-percentile": Wrong(
            summarize(
                REPORTS + FAILED + "    d = list(reports['duration_ms'])\n"
                "    return {'p90_ms': d[int(0.9 * len(d))],\n"
                "            'error_rate': len(failed) / len(reports)}"
            ),
            "sort",
        ),
        # Found by learner trial 6: the failures counted as the distinct `[ERROR]` first lines;
        # it passed while no two of the check's failures shared a message.
        "distinct-error-messages": Wrong(
            summarize(
                REPORTS + "    errors = {e['message'].split('\\n')[0] for e in events\n"
                "              if e['message'].startswith('[ERROR]')}\n"
                "    return {'p90_ms': float(reports['duration_ms'].quantile(0.9)),\n"
                "            'error_rate': len(errors) / len(reports)}"
            ),
            "same message",
            "counted each different message once",
        ),
        # Learner trial 7: "duplicate" events dropped by (log stream, message), so two
        # failures with the same message in one environment count once. It passed 1 run of 6,
        # when the check's same-message failures fell in different environments.
        "dedup-by-stream-and-message": Wrong(
            summarize(
                "    import numpy as np\n"
                "    seen, unique = set(), []\n"
                "    for e in events:\n"
                "        k = (e['logStreamName'], e['message'])\n"
                "        if k not in seen:\n"
                "            seen.add(k)\n"
                "            unique.append(e)\n"
                "    d = [float(e['message'].split('\\tDuration: ')[1].split(' ms')[0])\n"
                "         for e in unique if e['message'].startswith('REPORT ')]\n"
                "    errors = sum(e['message'].startswith('[ERROR]') for e in unique)\n"
                "    return {'p90_ms': float(np.percentile(d, 90)), 'error_rate': errors / len(d)}"
            ),
            "same execution environment",
            "in the same log stream",
            "count every `[ERROR]` line",
        ),
        # Learner trial 7: the 1-based nearest rank used as a 0-based index, one rank too high.
        # It passed: the check took any value at a whole rank up to the one above the highest
        # method's.
        "nearest-rank-as-zero-based-index": Wrong(
            summarize(
                "    import math\n"
                "    d = sorted(pricing.report_frame(events)['duration_ms'])\n"
                + FAILED
                + "    return {'p90_ms': d[math.ceil(0.9 * len(d))],\n"
                "            'error_rate': len(failed) / len(d)}"
            ),
            "one place above",
            "counts from 1",
            "math.ceil(0.9 * len(durations)) - 1",
        ),
        "a-dict-not-a-function": Wrong(
            "answer = {'p90_ms': 17.0, 'error_rate': 5 / 35}\n", "should be a function"
        ),
        # Learner trial 10 (XD3): the figures of the notebook's `inventory_events`, whatever
        # events the function is given; it was told to change its percentile method.
        "reads-global-inventory-events": Wrong(
            _INVENTORY_SETUP
            + summarize(
                "    reports = pricing.report_frame(inventory_events)\n"
                "    failed = [e for e in inventory_events if e['message'].startswith('[ERROR]')]\n"
                "    return {'p90_ms': reports['duration_ms'].quantile(0.9),\n"
                "            'error_rate': len(failed) / len(reports)}"
            ).replace(
                "answer = summarize\n", "print(summarize(inventory_events))\nanswer = summarize\n"
            ),
            "figures of `inventory_events`",
            "the function's argument, `events`",
        ),
        # Works the figures out at its first call and returns them ever after: the branch
        # that feeds it the same events with longer Durations (before stop 26, half of the
        # events, whose figures could match the whole's by chance: CI on Python 3.13).
        "keeps-its-first-result": Wrong(
            "from helpers import pricing\n\n"
            "_first = {}\n\n"
            "def summarize(events):\n"
            "    if not _first:\n"
            "        reports = pricing.report_frame(events)\n"
            "        failed = [e for e in events if e['message'].startswith('[ERROR] ')]\n"
            "        _first.update(p90_ms=reports['duration_ms'].quantile(0.9),\n"
            "                      error_rate=len(failed) / len(reports))\n"
            "    return dict(_first)\n\n"
            "answer = summarize\n",
            "every Duration three times as long",
            "the function's argument, `events`",
        ),
        # Learner trial 10 (XD3): lists kept in mutable default arguments, so each call adds
        # its events to those of the calls before; it was told to change its percentile method.
        "mutable-default-accumulates": Wrong(
            "from helpers import pricing\n\n"
            "def summarize(events, durations=[], errors=[0]):\n"
            "    durations.extend(pricing.report_frame(events)['duration_ms'])\n"
            "    errors[0] += sum(e['message'].startswith('[ERROR] ') for e in events)\n"
            "    d = sorted(durations)\n"
            "    return {'p90_ms': d[-(-9 * len(d) // 10) - 1],\n"
            "            'error_rate': errors[0] / len(d)}\n\n"
            "answer = summarize\n",
            "for the very same events",
            "mutable default argument",
            "inside the function, at each call",
        ),
        # Learner trial 10 (XD3): only the events of the first event's log stream (the
        # notebook's `inventory` traffic has one; the check's starts several environments).
        "first-log-stream-only": Wrong(
            summarize(
                "    stream = events[0]['logStreamName']\n"
                "    mine = [e for e in events if e['logStreamName'] == stream]\n"
                "    reports = pricing.report_frame(mine)\n"
                "    failed = [e for e in mine if e['message'].startswith('[ERROR] ')]\n"
                "    return {'p90_ms': reports['duration_ms'].quantile(0.9),\n"
                "            'error_rate': len(failed) / len(reports)}"
            ),
            "in log stream",
            "use the events of every stream",
        ),
        # Learner trial 10 (XD8): the exact p90 rounded to 0.1 ms; it was told the Durations
        # were cut to whole milliseconds, or given the methods' range, which holds it. (A batch
        # whose p90 lies within 0.006 ms of a tenth passes, as it is right to the hundredth;
        # both batches do about 1 run in 70.)
        "p90-rounded-to-tenth": Wrong(
            summarize(
                REPORTS
                + FAILED
                + "    return {'p90_ms': round(reports['duration_ms'].quantile(0.9), 1),\n"
                "            'error_rate': len(failed) / len(reports)}"
            ),
            "rounded to 0.1 ms",
            "don't round",
        ),
        # Learner trial 11 (DD15): errors counted as every line that isn't START, END or
        # REPORT (inventory prints nothing itself). On AWS the log also holds INIT_START and
        # LAMBDA_WARNING lines, which the kit's runtime doesn't write: it passed. The check now
        # passes its events as AWS has them.
        "every-non-platform-line-is-an-error": Wrong(
            summarize(
                REPORTS + "    other = [e for e in events\n"
                "             if not e['message'].startswith(('START', 'END', 'REPORT'))]\n"
                "    return {'p90_ms': reports['duration_ms'].quantile(0.9),\n"
                "            'error_rate': len(other) / len(reports)}"
            ),
            "every line besides START, END and REPORT",
            "INIT_START",
            "`[ERROR]` lines",
        ),
        # Learner trial 11 (DD15): any line that mentions an error, in any case: AWS's
        # LAMBDA_WARNING line ("If this error correlates ...") and the `[ERROR]` line, twice
        # per failure.
        "error-anywhere-in-the-line": Wrong(
            summarize(
                REPORTS + "    failed = [e for e in events if 'error' in e['message'].lower()]\n"
                "    return {'p90_ms': reports['duration_ms'].quantile(0.9),\n"
                "            'error_rate': len(failed) / len(reports)}"
            ),
            "each failure twice",
            "LAMBDA_WARNING",
        ),
        # Learner trial 11 (DW4): the p90 in seconds; the message was the generic one.
        "p90-in-seconds": Wrong(
            summarize(
                REPORTS
                + FAILED
                + "    return {'p90_ms': reports['duration_ms'].quantile(0.9) / 1000,\n"
                "            'error_rate': len(failed) / len(reports)}"
            ),
            "in seconds",
            "1,000 times",
        ),
    },
    right={
        # Learner trial 13 (PD13): the right answer while the shared role of `execution_role()`
        # has lost its logging policy: the check's copy of `inventory` ran as that role, wrote
        # no log, and the check crashed (DescribeLogStreams on a missing group). It now runs
        # its copy as a role of its own, with the logging policy.
        "default-role-without-logs": DETACH_SHARED_LOGS
        + summarize(
            REPORTS + FAILED + "    return {'p90_ms': reports['duration_ms'].quantile(0.9), "
            "'error_rate': len(failed) / len(reports)}"
        ),
        # Regular expressions and the standard library (its default percentile method).
        "regex-and-statistics": summarize(
            "    durations = [float(re.search(r'\\tDuration: ([\\d.]+) ms', e['message'])[1])\n"
            "                 for e in events if e['message'].startswith('REPORT ')]\n"
            "    errors = sum('[ERROR]' in e['message'][:8] for e in events)\n"
            "    return {'p90_ms': statistics.quantiles(durations, n=10)[-1],\n"
            "            'error_rate': errors / len(durations)}"
        ),
        # Nearest rank, and the errors counted from the log lines' starts.
        "nearest-rank": summarize(
            "    import math\n"
            "    durations = sorted(pricing.report_frame(events)['duration_ms'])\n"
            "    rank = math.ceil(0.9 * len(durations))\n"
            "    starts = [e['message'].split(' ', 1)[0] for e in events]\n"
            "    return {'p90_ms': durations[rank - 1],\n"
            "            'error_rate': starts.count('[ERROR]') / starts.count('REPORT')}"
        ),
        # Found by a learner trial: numpy's "nearest" method on a pandas str.extract column.
        "numpy-nearest": summarize(
            "    import numpy as np\n"
            "    import pandas as pd\n"
            "    msgs = pd.Series([e['message'] for e in events])\n"
            "    reports = msgs[msgs.str.startswith('REPORT RequestId:')]\n"
            "    dur = reports.str.extract(r'\\tDuration: (\\d+(?:\\.\\d+)?) ms')[0]\n"
            "    dur = dur.astype(float)\n"
            "    errors = msgs.str.match(r'\\[ERROR\\] \\w+:').sum()\n"
            "    return {'p90_ms': float(np.percentile(dur.to_numpy(), 90, method='nearest')),\n"
            "            'error_rate': float(errors) / len(reports)}"
        ),
        # Learner trial 7: numpy's hazen method on one joined text read with regular
        # expressions, the errors counted line by line.
        "joined-regex-hazen": summarize(
            "    import numpy as np\n"
            "    text = '\\n'.join(e['message'] for e in events)\n"
            "    d = [float(x) for x in re.findall(r'\\tDuration: ([\\d.]+) ms', text)]\n"
            "    errors = len(re.findall(r'^\\[ERROR\\] ', text, flags=re.MULTILINE))\n"
            "    return {'p90_ms': float(np.percentile(d, 90, method='hazen')),\n"
            "            'error_rate': errors / len(d), 'invocations': len(d)}"
        ),
        # Found by a learner trial: linear interpolation by hand, rounded to 0.001 ms.
        "hand-interpolated-rounded": summarize(
            "    durations = sorted(float(e['message'].split('\\t')[1].split()[1])\n"
            "                       for e in events if e['message'].startswith('REPORT '))\n"
            "    errors = sum(e['message'].startswith('[ERROR] ') for e in events)\n"
            "    pos = 0.9 * (len(durations) - 1)\n"
            "    lo = int(pos)\n"
            "    hi = min(lo + 1, len(durations) - 1)\n"
            "    p90 = durations[lo] + (durations[hi] - durations[lo]) * (pos - lo)\n"
            "    return {'p90_ms': round(p90, 3), 'error_rate': errors / len(durations)}"
        ),
        # Learner trial 10 (XD7): Decimals, as DynamoDB hands numbers back (notebook 09): the
        # nearest rank and the rate, exact; it was told a Decimal is not a number.
        "decimal-figures": summarize(
            "    from decimal import Decimal\n"
            "    d = sorted(Decimal(e['message'].split('\\tDuration: ')[1].split(' ms')[0])\n"
            "               for e in events if e['message'].startswith('REPORT '))\n"
            "    errors = sum(e['message'].startswith('[ERROR] ') for e in events)\n"
            "    return {'p90_ms': d[-(-9 * len(d) // 10) - 1],\n"
            "            'error_rate': Decimal(errors) / len(d)}"
        ),
        # Learner trial 11 (DD15): the errors counted by AWS's `LAMBDA_WARNING: Unhandled
        # exception` lines, which AWS's Python runtime writes before each `[ERROR]` line
        # (awslambdaric's bootstrap.py). It got "error rate 0.0000": the kit's runtime writes
        # none; the check now passes its events as AWS has them.
        "errors-by-lambda-warning": summarize(
            REPORTS + "    warned = [e for e in events\n"
            "              if e['message'].startswith('LAMBDA_WARNING: Unhandled exception')]\n"
            "    return {'p90_ms': reports['duration_ms'].quantile(0.9),\n"
            "            'error_rate': len(warned) / len(reports)}"
        ),
    },
    broken="mean-not-p90",
)


DEPLOY = """
import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
try:
    lam.delete_function(FunctionName="shop")
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(FunctionName="shop", Runtime="python3.13", Role=execution_role(),
                    Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py": shop_source})})
lam.get_waiter("function_active_v2").wait(FunctionName="shop")
"""


def shop(
    timestamp: str = "int(time.time() * 1000)",
    dimensions: str = '[["service"]]',
    unit: str = '"Unit": "Count"',
    value: str = "1",
    namespace: str = "Shop",
    copies: int = 1,
    extra: str = "",
) -> str:
    """The answer cell of q2: `shop` printing an EMF line built from these parts."""
    stamp = f'"Timestamp": {timestamp}, ' if timestamp else ""
    source = f'''
import json
import time


def handler(event, context):
    line = json.dumps({{
        "_aws": {{{stamp}"CloudWatchMetrics": [{{
            "Namespace": "{namespace}", "Dimensions": {dimensions},
            "Metrics": [{{"Name": "OrdersPlaced", {unit}}}]}}]}},
        "service": "shop", "OrdersPlaced": {value}{extra},
    }})
    for _ in range({copies}):
        print(line)
    return {{"ok": True}}
'''
    return f"shop_source = '''{source}'''\n" + DEPLOY


# Learner trial 12 (JD1): OrdersPlaced sent with `put_metric_data`, not with an EMF line,
# from `shop` with a role of its own (basic logging rights only).
PUT_METRIC_DATA = (
    "import json\n"
    "from helpers.iam import execution_role\n"
    "shop_source = '''\n"
    "import boto3\n\n"
    "cloudwatch = boto3.client('cloudwatch')\n\n\n"
    "def handler(event, context):\n"
    "    cloudwatch.put_metric_data(Namespace='Shop', MetricData=[{\n"
    "        'MetricName': 'OrdersPlaced', 'Dimensions': [{'Name': 'service', 'Value': 'shop'}],\n"
    "        'Unit': 'Count', 'Value': 1}])\n"
    "    return {'ok': True}\n"
    "'''\n" + DEPLOY.replace("Role=execution_role()", "Role=execution_role('shop-role')")
)


Q2 = Answers(
    wrong={
        # The case: seconds, where CloudWatch Logs reads milliseconds.
        "timestamp-in-seconds": Wrong(
            shop(timestamp="int(time.time())"), "seconds since the epoch", "milliseconds"
        ),
        # Found by a learner trial: time.time_ns(), nanoseconds; the kit used to fail the
        # invocation on it, where AWS runs it and drops the data point.
        "timestamp-in-nanoseconds": Wrong(
            shop(timestamp="time.time_ns()"), "nanoseconds since the epoch", "milliseconds"
        ),
        # Orders dated 20 days back: CloudWatch keeps data points two weeks old at most.
        "timestamp-weeks-old": Wrong(
            shop(timestamp="int((time.time() - 20 * 86400) * 1000)"), "Timestamp", "two weeks"
        ),
        "no-timestamp": Wrong(shop(timestamp=""), "Timestamp must be a number"),
        "no-unit": Wrong(shop(unit='"Unit": "None"'), "unit 'None'", "Count"),
        # Learner trial 10 (XW5): the unit in lower case, not one of CloudWatch's units.
        "unit-in-lower-case": Wrong(
            shop(unit='"Unit": "count"'), "unit 'count'", "spelt with a capital", '"Count"'
        ),
        "value-is-items": Wrong(shop(value='event["items"]'), "grew by", "value 1"),
        "printed-twice": Wrong(shop(copies=2), "grew by", "once"),
        "extra-dimension": Wrong(
            shop(dimensions='[["service", "stage"]]', extra=', "stage": "prod"'),
            "did not move",
            "dimensions",
        ),
        "wrong-namespace": Wrong(shop(namespace="shop"), "did not move", "shop/OrdersPlaced"),
        # Learner trial 7: the document printed with indent=2. Each printed line is a log
        # event of its own, so no event holds the JSON document (the message blamed the
        # namespace, metric and dimension).
        "pretty-printed-over-lines": Wrong(
            shop().replace("    })\n    for _ in", "    }, indent=2)\n    for _ in"),
            "over several lines",
            "log event of its own",
            "on one line",
        ),
        # Learner trial 8 (M D1): the key spelled `CloudwatchMetrics`; its value a right array.
        # The message said the value must be an array.
        "cloudwatchmetrics-key-case": Wrong(
            shop().replace('"CloudWatchMetrics"', '"CloudwatchMetrics"'),
            "spelled 'CloudwatchMetrics'",
            "case-sensitive",
            "'CloudWatchMetrics'",
        ),
        # Learner trial 9 (RD6): the right line per invocation, plus one at Init with the value
        # 0 "to initialise the metric". The Sum is right, but every cold start adds a data point:
        # SampleCount, Average and Minimum no longer count orders. The check starts `shop` in
        # a new environment for its first order, so Init runs.
        "zero-data-point-at-init": Wrong(
            shop().replace(
                "import time\n",
                "import time\n"
                'print(json.dumps({"_aws": {"Timestamp": int(time.time() * 1000), '
                '"CloudWatchMetrics": [{"Namespace": "Shop", "Dimensions": [["service"]], '
                '"Metrics": [{"Name": "OrdersPlaced", "Unit": "Count"}]}]}, '
                '"service": "shop", "OrdersPlaced": 0}))\n',
                1,
            ),
            "data points",
            "printed at Init",
            "one EMF line per invocation",
        ),
        # Learner trial 9 (RD7): a second, empty dimension set: OrdersPlaced is also published
        # with no dimension, a second custom metric the task (dimension service=shop) doesn't
        # ask for.
        "extra-empty-dimension-set": Wrong(
            shop(dimensions='[["service"], []]'),
            "no dimension",
            "metric of its own",
            '`[["service"]]`',
        ),
        # Learner trial 10 (XD5): the JSON log format, and the document written with
        # `logging`: Lambda wraps it as the record's "message", so the root has no `_aws`. The
        # message said the line published exactly what the check reads.
        "logging-in-json-format": Wrong(
            shop()
            .replace("import time\n", "import logging\nimport time\n", 1)
            .replace("        print(line)", "        logging.getLogger().info(line)")
            .replace(
                "Code={",
                'LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "INFO"},\n'
                "                    Code={",
            ),
            "log format is JSON",
            '"message": <your document>',
            "print the document",
        ),
        # Learner trial 10 (XD5): the stamp shifted an hour ahead, to local time; CloudWatch
        # stores the point, an hour from now. The message named no mistake.
        "timestamp-local-time-shift": Wrong(
            shop(timestamp="int((time.time() + 3600) * 1000)"),
            "1 h ahead of the invocation",
            "don't shift them",
        ),
        # Learner trial 10 (XD5): the stamp taken once at Init, here 3 hours back.
        "timestamp-hours-old": Wrong(
            shop(timestamp="STARTED").replace(
                "import time\n",
                "import time\nSTARTED = int(time.time() * 1000) - 3 * 3600 * 1000\n",
                1,
            ),
            "3 h before the invocation",
            "not once at Init",
        ),
        # Learner trial 10 (XD14): print(document), a Python dict's repr with single quotes;
        # it was told no line holds an `_aws` member.
        "print-dict-not-json": Wrong(
            shop().replace("    line = json.dumps({", "    line = ({"),
            "python dict",
            "not json",
            "`json.dumps(...)`",
        ),
        # Learner trial 10 (XD4): a label printed before the document; the log event is no
        # JSON object, so no EMF (spec's root node). It passed.
        "text-before-the-json": Wrong(
            shop().replace("        print(line)", '        print("EMF", line)'),
            "starts with `EMF`",
            "nothing before or after it",
        ),
        # Learner trial 10 (XD16): NaN in a member beside the metric: json.dumps writes it, and
        # the line is no JSON (RFC 8259). It passed.
        "nan-in-emf-line": Wrong(
            shop(extra=', "avg_item_price": float("nan")'),
            "'avg_item_price' is NaN",
            "JSON doesn't have",
        ),
        # Learner trial 11 (DD11): the right line, but `shop`'s role has only the trust policy
        # ("EMF needs no permission"): without the logging rights no line reaches CloudWatch
        # Logs. The message blamed the line and asked to print it, which the handler does.
        "role-without-log-rights": Wrong(
            shop().replace(
                "Role=execution_role()",
                "Role=boto3.client('iam').create_role(RoleName='shop-no-rights', "
                "AssumeRolePolicyDocument=__import__('json').dumps({'Version': '2012-10-17', "
                "'Statement': [{'Effect': 'Allow', 'Principal': {'Service': "
                "'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}))['Role']['Arn']",
            ),
            "`shop-no-rights`",
            "may not write its log",
            "AWSLambdaBasicExecutionRole",
        ),
        # Learner trial 12 (JD1): `put_metric_data` from the handler, and the role given
        # `cloudwatch:PutMetricData`: the metric moves, with no EMF line. It passed, with a ✅
        # saying there was no PutMetricData call and no extra permission.
        "put-metric-data-instead-of-emf": Wrong(
            PUT_METRIC_DATA
            + "iam = boto3.client('iam')\n"
            + "iam.put_role_policy(RoleName='shop-role', PolicyName='metrics', "
            "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': "
            "'Allow', 'Action': 'cloudwatch:PutMetricData', 'Resource': '*'}]}))\n",
            "none of the lines",
            "embedded metric format",
            "put_metric_data",
            "one EMF line per invocation",
        ),
        # Learner trial 12 (JD1): the same without the right: AccessDenied. The message
        # quoted AWS's error only, and granting the right led to the entry above.
        "put-metric-data-without-the-right": Wrong(
            PUT_METRIC_DATA,
            "cloudwatch:PutMetricData",
            "embedded metric format line instead",
            "no `put_metric_data` call",
        ),
        # Learner trial 12 (JD7): the right EMF line, printed by a thread after the handler
        # returned ("don't slow the response down"): Lambda freezes the environment when the
        # handler returns. The message asked to print the line the thread does print.
        "emf-printed-from-background-thread": Wrong(
            shop()
            .replace("import time\n", "import threading\nimport time\n", 1)
            .replace(
                "    for _ in range(1):\n        print(line)\n",
                "    threading.Timer(0.3, print, (line,)).start()\n",
            ),
            "starts a thread",
            "`threading`",
            "freezes the execution environment",
            "before `return`",
        ),
        # Learner trial 12 (JD6): the check run after a kernel restart, the answer not run
        # again: the kit's local AWS starts empty, and the message says so (harness's).
        "checked-after-kernel-restart": Wrong(
            "import helpers\naws = helpers.start()\n",
            "no function named `shop`",
            "starts empty after a kernel restart",
        ),
        # Learner trial 13 (PD12): the shared role of `execution_role()` lost its logging policy;
        # the message named the role and offered "deploy `shop` with `execution_role()`", which
        # attaches nothing to a role that exists. It now gives the call that attaches it.
        "shared-role-without-logging-policy": Wrong(
            DETACH_SHARED_LOGS + shop(),
            "`lambda-kit-basic-execution`",
            "may not write its log",
            "attach_role_policy",
        ),
        # Learner trial 13 (PD9): the right line, but JSON logs with ApplicationLogLevel WARN:
        # a printed line without "level" is INFO and dropped before CloudWatch Logs reads it.
        # The message asked to print the line the handler prints.
        "emf-dropped-by-application-log-level": Wrong(
            shop().replace(
                'Handler="app.handler",',
                'Handler="app.handler", LoggingConfig={"LogFormat": "JSON", '
                '"ApplicationLogLevel": "WARN", "SystemLogLevel": "WARN"},',
            ),
            "`ApplicationLogLevel` WARN",
            "counts as INFO",
            "Text",
        ),
        # The skeleton as it is: no EMF line.
        "no-emf-line": Wrong(
            "shop_source = '''\ndef handler(event, context):\n    return {'ok': True}\n'''\n"
            + DEPLOY,
            "no line",
            "`_aws`",
        ),
    },
    right={
        # Milliseconds from datetime, and the order id kept in the line as a property.
        "datetime-millis": shop(
            timestamp="int(__import__('datetime').datetime.now().timestamp() * 1000)",
            extra=', "order_id": event["order_id"]',
        ),
        # Powertools' style: the value as a one-element array, a time in float milliseconds.
        "array-value-float-ms": shop(timestamp="time.time() * 1000", value="[1]"),
        # Learner trial 13 (PD8): the function's logs sent to a log group of its own
        # (`LoggingConfig.LogGroup`): CloudWatch Logs extracts EMF there too. The check read
        # `/aws/lambda/shop` only and said the points "came another way (put_metric_data?)".
        "custom-log-group": shop()
        .replace(
            'Handler="app.handler",',
            'Handler="app.handler", LoggingConfig={"LogFormat": "Text", "LogGroup": "/shop/app"},',
        )
        .replace(
            'lam = boto3.client("lambda")\n',
            'lam = boto3.client("lambda")\n'
            "boto3.client('logs').create_log_group(logGroupName='/shop/app')\n",
        ),
        # Learner trial 13 (PD12): the shared role of `execution_role()` lost its logging policy,
        # then the solution's code: it deployed with `execution_role()`, which left the role as
        # it was, and failed the same way. The solution now attaches the policy again.
        "basic-policy-detached-from-shared-role-then-solution": DETACH_SHARED_LOGS + _SHOP_SOLUTION,
    },
    broken="timestamp-in-seconds",
)

ANSWERS = {"q1": Q1, "q2": Q2}
