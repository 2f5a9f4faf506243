"""Notebook 06's exercises: a month's bill by hand, a bill from REPORT lines, memory for CPU.

Every check works its answer out from the kit's own models and data (the price list, the CPU
model, the function's logs), so a stale figure in the question cannot make a right answer wrong.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from . import apps
from .core import Exercise, Incorrect
from .harness import client, epoch_ms, function_config, kit

# ------------------------------------------------------------------------------ question 1
# The month of question 1: usage figures of the question, not prices.
MONTH_REQUESTS = 10_000_000
MONTH_DURATION_MS = 85.3
MONTH_MEMORY_MB = 1024
CENT = 0.005  # half a cent: an answer rounded to the cent still passes


def _as_usd(answer: Any, what: str, question: str) -> float:
    """The learner's answer as a number of USD (a Bill counts as its total)."""
    from ..pricing import Bill

    if isinstance(answer, Bill):
        return float(answer.total)
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real | Decimal):
        raise Incorrect(
            f"{what} should be a number of US dollars, such as 12.34; got {answer!r}. "
            f"Set `answer = ...` and run `{question}.check(answer)`."
        )
    # Learner trial 10 (VD7): float(Decimal('sNaN')) raises; a NaN or an infinity of any
    # kind is no amount of money.
    if isinstance(answer, Decimal) and not answer.is_finite():
        finite = False
    else:
        finite = math.isfinite(float(answer))
    if not finite:
        raise Incorrect(
            f"{what} should be a number of US dollars, such as 12.34; got {answer!r}, which is "
            f"not a number of dollars. Set `answer = ...` and run `{question}.check(answer)`."
        )
    return float(answer)


def _month_cost(
    *,
    rounded: bool = True,
    free_tier: bool = True,
    gb: float = 1024,
    requests: bool = True,
    architecture: str = "x86_64",
    billed_ms: float | None = None,
    free_requests: bool = True,
    free_compute: bool = True,
    per_request: bool = False,
    tier: int = 0,
    tmp_storage_mb: float = 0,
) -> float:
    """The month's bill in USD, right or with one classic mistake, from the kit's price list.
    `billed_ms` replaces the billed duration of one invocation (100 ms steps, rounded to the
    nearest ms); `free_requests`/`free_compute` leave out one half of the free tier; `tier`
    prices the GB-seconds at a later tier; `tmp_storage_mb` charges that much /tmp storage
    for the billed duration of each invocation."""
    from ..pricing import PRICES, monthly_cost, price, rule

    if (
        rounded
        and free_tier
        and gb == 1024
        and requests
        and architecture == "x86_64"
        and billed_ms is None
        and free_requests
        and free_compute
        and not per_request
        and tier == 0
        and not tmp_storage_mb
    ):
        return float(monthly_cost(MONTH_REQUESTS, MONTH_DURATION_MS, MONTH_MEMORY_MB).total)
    # The mistakes are priced by hand, at the first tier, which the month never leaves.
    if billed_ms is None:
        billed_ms = math.ceil(MONTH_DURATION_MS) if rounded else MONTH_DURATION_MS
    gb_s = MONTH_REQUESTS * billed_ms / 1000 * MONTH_MEMORY_MB / gb
    calls = MONTH_REQUESTS
    if free_tier and free_compute:
        gb_s = max(0.0, gb_s - rule("free_tier_gb_seconds"))
    if free_tier and free_requests:
        calls = max(0, calls - rule("free_tier_requests"))
    tiers = PRICES["regions"]["us-east-1"][f"duration_{architecture}"]["tiers"]
    cost = gb_s * float(tiers[tier]["value"])
    if requests:
        cost += calls / (1 if per_request else 1_000_000) * float(price("requests_per_million"))
    if tmp_storage_mb:
        seconds = MONTH_REQUESTS * billed_ms / 1000
        cost += seconds * tmp_storage_mb / 1024 * float(price("ephemeral_storage_gb_s"))
    return cost


def _included_tmp_mb() -> int:
    """The /tmp storage every function has without charge (512 MB in the kit's price list)."""
    from ..pricing import rule

    return int(rule("ephemeral_storage_included_mb"))


def _arm64_price_is_a_later_x86_tier() -> bool:
    """Whether arm64's first-tier price is also one of x86_64's later tiers' (it is, in the
    kit's price list: a learner who priced at x86_64's cheapest tier gets arm64's figure)."""
    from ..pricing import PRICES

    tiers = PRICES["regions"]["us-east-1"]
    arm = tiers["duration_arm64"]["tiers"][0]["value"]
    return any(t["value"] == arm for t in tiers["duration_x86_64"]["tiers"][1:])


def _check_06_month(answer: Any = None) -> str:
    if answer is None:
        raise Incorrect(
            "pass your answer to the check: set `answer = ...` (the month's bill in USD) and "
            "run `q1.check(answer)`."
        )
    usd = _as_usd(answer, "the month's bill", "q1")
    right = _month_cost()
    if abs(usd - right) <= CENT:
        return (
            f"${right:,.2f}: {MONTH_REQUESTS:,} requests billed {math.ceil(MONTH_DURATION_MS)} "
            f"ms each at {MONTH_MEMORY_MB} MB, less the free tier, at the kit's prices."
        )
    mistakes = [
        (
            _month_cost(rounded=False),
            f"each invocation is billed in whole milliseconds, rounded up: {MONTH_DURATION_MS} "
            f"ms is billed as {math.ceil(MONTH_DURATION_MS)} ms.",
        ),
        (
            _month_cost(free_tier=False),
            "the free tier comes off first: `pricing.rule('free_tier_requests')` requests and "
            "`pricing.rule('free_tier_gb_seconds')` GB-seconds a month are free.",
        ),
        (
            _month_cost(gb=1000),
            "memory turns into GB by dividing MB by 1024, not 1000 "
            f"({MONTH_MEMORY_MB} MB is {MONTH_MEMORY_MB / 1024:g} GB).",
        ),
        (
            _month_cost(architecture="arm64"),
            "that is arm64's price per GB-second"
            + (
                " (and x86_64's price for its cheapest tier, beyond billions of GB-seconds a month)"
                if _arm64_price_is_a_later_x86_tier()
                else ""
            )
            + "; the function of the task runs on x86_64, and its month is within the first "
            "tier: price its GB-seconds at the first tier of `duration_x86_64`.",
        ),
        (
            _month_cost(requests=False),
            "that is the duration charge alone: add the requests above the free tier, at "
            "`pricing.price('requests_per_million')` per million.",
        ),
    ]
    # Learner trial 9 (PW4): recognisable mistakes got the generic message.
    mistakes += [
        (
            _month_cost(free_requests=False),
            "the free tier has two parts, and the requests' part is missing: "
            "`pricing.rule('free_tier_requests')` requests a month are free too.",
        ),
        (
            _month_cost(free_compute=False),
            "the free tier has two parts, and the compute part is missing: "
            "`pricing.rule('free_tier_gb_seconds')` GB-seconds a month are free too.",
        ),
        (
            _month_cost(billed_ms=math.ceil(MONTH_DURATION_MS / 100) * 100),
            "Lambda bills duration in steps of 1 ms (`pricing.rule('billing_granularity_ms')`), "
            "not 100 ms: "
            f"{MONTH_DURATION_MS} ms is billed as {math.ceil(MONTH_DURATION_MS)} ms.",
        ),
        (
            # Learner trial 13 (NW1): each run billed in whole seconds (`math.ceil(85.3/1000)`).
            _month_cost(billed_ms=math.ceil(MONTH_DURATION_MS / 1000) * 1000),
            "Lambda bills duration in steps of 1 ms (`pricing.rule('billing_granularity_ms')`), "
            "not whole seconds: "
            f"{MONTH_DURATION_MS} ms is billed as {math.ceil(MONTH_DURATION_MS)} ms, not 1 s.",
        ),
        (
            # Learner trial 10 (VW3): int() cuts 85.3 to 85 as round() does: say both.
            _month_cost(billed_ms=round(MONTH_DURATION_MS)),
            f"the billed duration is rounded up to the next millisecond, not cut short "
            f"(`int`) nor rounded to the nearest (`round`): {MONTH_DURATION_MS} ms is billed "
            f"as {math.ceil(MONTH_DURATION_MS)} ms (`math.ceil`).",
        ),
        (
            # Learner trial 11 (BW6): the price per million taken for each request.
            _month_cost(per_request=True),
            "`pricing.price('requests_per_million')` is the price of a million requests, "
            "not of one: divide the requests above the free tier by 1,000,000 first.",
        ),
    ]
    # Learner trial 12 (HD1, HD8): the second tier's price, and the included 512 MB of /tmp
    # charged, got the generic message. Ephemeral storage is billed only above the included
    # 512 MB (the pricing page's ephemeral-storage example bills only the GB-seconds above
    # 512 MB, https://aws.amazon.com/lambda/pricing/; the kit's price list says so in
    # `ephemeral_storage_included_mb`).
    included_mb = _included_tmp_mb()
    mistakes += [
        (
            _month_cost(tier=1),
            "that is the second tier's price per GB-second; the tiers count the GB-seconds of "
            "a month (the first covers billions of them), and this month's "
            f"{MONTH_REQUESTS * math.ceil(MONTH_DURATION_MS) / 1000 * MONTH_MEMORY_MB / 1024:,.0f} "
            "GB-seconds are "
            "within the first: price them at `tiers[0]` of `duration_x86_64`.",
        ),
        *(
            (
                _month_cost(tmp_storage_mb=included_mb, rounded=rounded),
                f"the function has the default {included_mb} MB of /tmp, which is included: "
                f"ephemeral storage is billed only above `pricing.rule("
                f"'ephemeral_storage_included_mb')` ({included_mb} MB), so this month has no "
                "storage charge.",
            )
            for rounded in (True, False)
        ),
    ]
    for cost, why in mistakes:
        if abs(usd - cost) <= CENT:
            raise Incorrect(f"${usd:,.2f} misses one rule: {why}")
    if abs(usd / 100 - right) <= CENT:
        raise Incorrect(
            f"{usd:,.2f} looks like the bill in cents (${right:,.2f} × 100): the answer is in "
            "US dollars."
        )
    if abs(usd - math.floor(right * 100) / 100) < 1e-9 or abs(usd - round(right)) < 1e-9:
        raise Incorrect(
            f"${usd:,.2f} is the bill cut short: give it to the cent, rounded to the nearest "
            "(or unrounded)."
        )
    raise Incorrect(
        f"${usd:,.2f} is not the month's bill. Work out the billed duration of one invocation "
        "(whole ms, rounded up), the month's GB-seconds (GB × seconds × requests), take the free "
        "tier off requests and GB-seconds, then price both with the kit's price list. "
        "`pricing.monthly_cost(...)` gives the bill to compare with."
    )


_MONTH_SOLUTION = """
import math
from helpers import pricing

# Names of its own (month_...): the notebook's `requests`, `bill`... stay as its cells left them.
month_requests, month_ms, month_mb = 10_000_000, 85.3, 1024

billed_s = math.ceil(month_ms) / 1000                   # whole milliseconds, rounded up
month_gb_s = month_requests * billed_s * month_mb / 1024  # GB x seconds, every request
month_gb_s -= pricing.rule("free_tier_gb_seconds")      # the month's free tier comes off first
month_paid = month_requests - pricing.rule("free_tier_requests")

x86_first_tier = pricing.PRICES["regions"]["us-east-1"]["duration_x86_64"]["tiers"][0]["value"]
price_per_request = pricing.price("requests_per_million") / 1_000_000
answer = month_gb_s * float(x86_first_tier) + month_paid * float(price_per_request)

month_bill = pricing.monthly_cost(month_requests, month_ms, month_mb)
print(f"by hand ${answer:.2f}, the kit's bill {month_bill.usd}")
"""

# ------------------------------------------------------------------------------ question 2
RESIZE = "resize"
RESIZE_MEMORY_MB = 256
RESIZE_INVOCATIONS = 10


@dataclass(frozen=True)
class Report:
    """One report of `resize` (its REPORT line, or in the JSON log format its `platform.report`
    record), found by its request id, when CloudWatch got it, and the version that ran: its
    log stream's name says it, `YYYY/MM/DD/[<version>]<id>`, on AWS as in the kit
    (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html)."""

    message: str
    timestamp_ms: int
    version: str = "$LATEST"
    # Learner trial 11 (BD14, BD15): in a custom log group, which functions may share, the
    # stream names the function too, `YYYY/MM/DD/<function>[<version>]<id>`
    # (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html);
    # "" in a function's default group.
    function: str = ""
    stream: str = ""


def _log_group(config: dict[str, Any]) -> str:
    """resize's log group: `/aws/lambda/resize` unless its LoggingConfig names another."""
    return (config.get("LoggingConfig") or {}).get("LogGroup") or f"/aws/lambda/{RESIZE}"


# Learner trial 13 (NW7): a `startTime` of `int(time.time())` brought every earlier line in.
_SECONDS_NOTE = (
    " (`startTime` is in milliseconds since 1970: `int(time.time())`, in seconds, is a moment "
    "in January 1970, so every line of the group comes.)"
)


def _report_id(message: str) -> str | None:
    """The request id of a report, in either log format; None for any other message."""
    from ..pricing.reports import platform_report

    head = message.split("\t", 1)[0]
    if head.startswith("REPORT RequestId: "):
        return head.removeprefix("REPORT RequestId: ").strip()
    record = platform_report(message)
    return str(record["requestId"]).strip() if record is not None else None


def _reports_of(request_ids: set[str], group: str) -> dict[str, Report]:
    """The reports of these invocations of `resize` (only these), by request id. Every event
    of the group is read: a function logging in the JSON format writes `platform.report`
    records, which `filterPattern="REPORT"` doesn't match, and a learner may switch formats."""
    logs = client("logs")
    pages = logs.get_paginator("filter_log_events").paginate(logGroupName=group)
    found: dict[str, Report] = {}
    try:
        for page in pages:
            for event in page["events"]:
                message = event["message"].rstrip("\n")
                request_id = _report_id(message)
                if request_id is not None and request_id in request_ids:
                    name = event.get("logStreamName", "")
                    stream = re.search(r"(?:^|/)([^/\[]*)\[([^\]]+)\]", name)
                    version = stream[2] if stream else "$LATEST"
                    function = stream[1] if stream else ""
                    found[request_id] = Report(
                        message, int(event["timestamp"]), version, function, name
                    )
    except logs.exceptions.ResourceNotFoundException:
        return {}
    return found


def _group_holding(request_id: str, skip: str) -> str | None:
    """The log group (other than `skip`) holding a report of this request id, if any."""
    logs = client("logs")
    for page in logs.get_paginator("describe_log_groups").paginate():
        for found in page["logGroups"]:
            name = found["logGroupName"]
            if name == skip:
                continue
            try:
                events = logs.filter_log_events(
                    logGroupName=name, filterPattern=f'"{request_id}"', limit=50
                )["events"]
            except logs.exceptions.ResourceNotFoundException:
                continue
            if any(_report_id(e["message"].rstrip("\n")) == request_id for e in events):
                return name
    return None


def _check_own_lines(ids: list[str], reports: dict[str, Report], group: str) -> None:
    """Incorrect if some priced lines are another function's, in a log group `resize` shares.
    Learner trial 11 (BD14, BD15): every line of resize's group was taken as resize's, so the
    lines of `thumbnail` logging to the same custom group passed as resize's invocations (or,
    at another memory size, were blamed on an update in progress). Functions may share a
    custom log group, and the stream of each line names the function that wrote it
    (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html)."""
    others = [request_id for request_id in ids if reports[request_id].function not in ("", RESIZE)]
    if not others:
        return
    names = sorted({reports[request_id].function for request_id in others})
    raise Incorrect(
        f"{len(others)} of the {len(ids)} invocations in your bill are not `{RESIZE}`'s: "
        f"they are REPORT lines of {', '.join(f'`{name}`' for name in names)}, which "
        f"{'logs' if len(names) == 1 else 'log'} to `{group}` too. Functions can share a "
        "custom log group, and each line's log stream "
        "names the function that wrote it (`YYYY/MM/DD/<function>[<version>]...`). Price only "
        f"the lines of `{RESIZE}`'s {RESIZE_INVOCATIONS} invocations: e.g. keep the events "
        f"whose `logStreamName` has `/{RESIZE}[` in it, or match their request ids."
    )


def _check_not_provisioned(ids: list[str], reports: dict[str, Report]) -> None:
    """Incorrect if some invocations ran on provisioned concurrency. Learner trial 11 (BD1):
    their bill got a ✅ at the on-demand price, but AWS bills an invocation served by
    provisioned concurrency at the provisioned duration price, and the concurrency itself for
    as long as it is configured (https://aws.amazon.com/lambda/pricing/, "Provisioned
    Concurrency"), which `bill_from_reports` doesn't price. An environment's log stream tells
    which invocations it served; those still provisioned now are the kit's own record."""
    provisioned = {
        env["log_stream"]
        for env in kit().environments()
        if env["function"] == RESIZE and env["provisioned"]
    }
    served = [request_id for request_id in ids if reports[request_id].stream in provisioned]
    if not served:
        return
    lam = client("lambda")
    qualifiers = sorted(
        config["FunctionArn"].rsplit(":", 1)[-1]
        for page in lam.get_paginator("list_provisioned_concurrency_configs").paginate(
            FunctionName=RESIZE
        )
        for config in page["ProvisionedConcurrencyConfigs"]
    )
    on = f" (on {', '.join(f'`{q}`' for q in qualifiers)})" if qualifiers else ""
    raise Incorrect(
        f"{len(served)} of the {len(ids)} invocations in your bill ran on the provisioned "
        f"concurrency of `{RESIZE}`{on}: AWS bills those at the provisioned-concurrency "
        "duration price, and the concurrency itself for as long as it is configured, not "
        "at the on-demand price `bill_from_reports` uses. Invoke `resize` on demand (no "
        "`Qualifier`, which runs `$LATEST`), price those invocations, and delete the "
        "configuration (`lam.delete_provisioned_concurrency_config(...)`): AWS bills it for "
        "as long as it stays."
    )


def _check_versions_run(ids: list[str], reports: dict[str, Report]) -> list[str]:
    """Incorrect if some invocations ran a published version of `resize` whose configuration
    isn't the task's: a version keeps the memory and architecture it was published with, and
    an update changes only $LATEST. The others (those of $LATEST, or of a version the check
    can no longer read) are returned, for the checks that compare them with LastModified."""
    lam = client("lambda")
    current = lam.get_function_configuration(FunctionName=RESIZE)
    rest: list[str] = []
    by_version: dict[str, list[str]] = {}
    for request_id in ids:
        by_version.setdefault(reports[request_id].version, []).append(request_id)
    for version, ran in by_version.items():
        if version == "$LATEST":
            rest.extend(ran)
            continue
        try:
            published = lam.get_function_configuration(FunctionName=RESIZE, Qualifier=version)
        except lam.exceptions.ResourceNotFoundException:
            rest.extend(ran)  # deleted since: judged by their lines and LastModified
            continue
        memory = _memory_of(reports[ran[0]].message)
        architecture = (published.get("Architectures") or ["x86_64"])[0]
        wrong = [f"{memory} MB"] if memory != RESIZE_MEMORY_MB else []
        wrong += [architecture] if architecture != "arm64" else []
        if wrong:
            raise Incorrect(
                f"{len(ran)} of the {len(ids)} invocations in your bill ran version {version} "
                f"of `{RESIZE}` ({_how_invoked(version)}), whose configuration is "
                f"{' and '.join(wrong)}: a published version keeps the configuration it had "
                "when it was published, and an update after it changes only `$LATEST`. Invoke "
                f"`{RESIZE}` as it is now (no `Qualifier`, which runs `$LATEST`), or publish a "
                "version after your last update and invoke that; then price those invocations."
            )
        if differs := _differences(published, current):
            # Memory and architecture are right, but resize changed after the version was
            # published: it doesn't run resize as deployed now, as $LATEST's invocations from
            # before its LastModified don't (whatever the change, a Description too).
            raise Incorrect(
                f"{len(ran)} of the {len(ids)} invocations in your bill ran version {version} "
                f"of `{RESIZE}` ({_how_invoked(version)}), published before your "
                f"last change to `{RESIZE}`: its {' and '.join(differs)} is not what `{RESIZE}` "
                "has now (`$LATEST`). A published version keeps the code and configuration it "
                "had when it was published, and the task prices the invocations of "
                f"`{RESIZE}` as it is deployed now. Invoke it as it is now (no `Qualifier`, "
                "which runs `$LATEST`), or publish a version after your last change and invoke "
                "that; then price those invocations."
            )
        snap = published.get("SnapStart") or {}
        if snap.get("OptimizationStatus") == "On" or snap.get("ApplyOn") == "PublishedVersions":
            # Learner trial 11 (BD16): a version published with SnapStart on resumes its
            # environments from a snapshot, and on Python AWS bills the snapshot's cache for
            # as long as the version is active and each restore, beside requests and duration
            # (https://aws.amazon.com/lambda/pricing/, "SnapStart"; SnapStart works only on
            # published versions, never $LATEST:
            # https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html).
            raise Incorrect(
                f"{len(ran)} of the {len(ids)} invocations in your bill ran version {version} "
                f"of `{RESIZE}`, published with SnapStart on (`SnapStart={{'ApplyOn': "
                "'PublishedVersions'}`): on Python, AWS bills SnapStart's snapshot cache for as "
                "long as the version is active, and each restore from it, beside requests and "
                "duration, and `bill_from_reports` prices neither. Invoke `resize` without "
                "SnapStart (no `Qualifier`: `$LATEST` never uses it), then price those "
                "invocations."
            )
    return rest


def _how_invoked(version: str) -> str:
    """How invocations of a published version came about: a `Qualifier`, or an alias.
    Learner trial 11 (BW3): alias `live` routed some to version 1 (its RoutingConfig), and the
    message said they were "invoked with `Qualifier='1'`", which the learner never wrote."""
    lam = client("lambda")
    aliases = [
        alias["Name"]
        for page in lam.get_paginator("list_aliases").paginate(FunctionName=RESIZE)
        for alias in page["Aliases"]
        if alias["FunctionVersion"] == version
        or version in ((alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {})
    ]
    if not aliases:
        return f"invoked with `Qualifier='{version}'`"
    return (
        f"invoked with `Qualifier='{version}'`, or through alias `{aliases[0]}`, which routes to it"
    )


# What a published version keeps from when it was published, beside memory and architecture
# (a setting left out of a configuration counts as its default, None).
_VERSION_FIELDS = (
    ("CodeSha256", "code (its `CodeSha256`)"),
    ("Handler", "`Handler`"),
    ("Runtime", "`Runtime`"),
    ("Timeout", "`Timeout`"),
    ("Environment", "environment variables"),
    ("Layers", "layers"),
    ("EphemeralStorage", "ephemeral storage"),
    ("Description", "`Description`"),
)


def _differences(published: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What of `published` (a version's configuration) differs from `current` ($LATEST's)."""

    def value(config: dict[str, Any], field: str) -> Any:
        found = config.get(field)
        if field == "Environment":
            return (found or {}).get("Variables") or {}
        if field == "Layers":
            return [layer.get("Arn") for layer in found or []]
        if field == "Description":
            return found or ""
        return found

    return [
        shown
        for field, shown in _VERSION_FIELDS
        if value(published, field) != value(current, field)
    ]


def _memory_of(message: str) -> int | None:
    """The memory size a report (REPORT line or `platform.report` record) shows, in MB."""
    from ..pricing.reports import report_row

    return report_row(message)["memory_mb"]


def _check_06_resize(answer: Any = None) -> str:
    from ..pricing import Bill, bill_from_reports
    from ..pricing.reports import report_row

    config = function_config(RESIZE)
    architectures = config.get("Architectures") or ["x86_64"]
    if architectures != ["arm64"]:
        raise Incorrect(
            f"`{RESIZE}` runs on {architectures[0]}. Create it with `Architectures=['arm64']` "
            f"(delete it first with `lam.delete_function(FunctionName='{RESIZE}')`)."
        )
    if config.get("MemorySize") != RESIZE_MEMORY_MB:
        raise Incorrect(
            f"`{RESIZE}` has {config.get('MemorySize')} MB of memory; give it "
            f"{RESIZE_MEMORY_MB} MB (`MemorySize={RESIZE_MEMORY_MB}`)."
        )
    if answer is None:
        raise Incorrect(
            "pass your bill to the check: `answer = pricing.bill_from_reports(...)`, then "
            f"`q2.check(answer)`.{_no_reports_note(config)}"
        )
    if not isinstance(answer, Bill) or answer.invocations is None:
        raise Incorrect(
            f"set `answer` to the Bill that `pricing.bill_from_reports(...)` returns, not "
            f"{type(answer).__name__} {answer!r}: its rows tell the check which invocations "
            "you priced."
        )
    ids = [str(request_id) for request_id in answer.invocations["request_id"]]
    repeated = sorted({request_id for request_id in ids if ids.count(request_id) > 1})
    if repeated:
        raise Incorrect(
            f"your bill prices the invocation {repeated[0]} more than once: read each REPORT "
            "line once."
        )
    # Only the invocations the learner priced, each found by its request id: never the log
    # group's whole history, which keeps lines of earlier deployments.
    group = _log_group(config)
    reports = _reports_of(set(ids), group)
    unknown = [request_id for request_id in ids if request_id not in reports]
    if unknown:
        # Learner trial 10 (VW4): lines of another function (a test copy) are real lines.
        elsewhere = _group_holding(unknown[0], group)
        raise Incorrect(
            f"{len(unknown)} of the invocations in your bill (e.g. `{unknown[0]}`) have no "
            f"REPORT line in `{group}`"
            + (
                # Learner trial 11 (BW4): resize's default group, after its logs moved to a
                # custom one (LoggingConfig), is no other function's.
                f": they are lines of `{elsewhere}`, `{RESIZE}`'s default log group, from "
                f"before its logs moved to `{group}` (its `LoggingConfig`). Price the lines "
                f"of the invocations of `{RESIZE}` as it is now, in `{group}`."
                if elsewhere == f"/aws/lambda/{RESIZE}"
                else f": they are lines of `{elsewhere}`, another function's log group. Price "
                f"the lines of `{RESIZE}`'s own invocations."
                if elsewhere
                else f": price the lines CloudWatch Logs holds for `{RESIZE}`, not made-up ones."
            )
        )
    _check_own_lines(ids, reports, group)
    _check_not_provisioned(ids, reports)
    latest = _check_versions_run(ids, reports)
    deployed_ms = epoch_ms(config["LastModified"])
    during_update = [
        request_id
        for request_id in latest
        if reports[request_id].timestamp_ms >= deployed_ms
        and report_row(reports[request_id].message)["memory_mb"] != RESIZE_MEMORY_MB
    ]
    if during_update:
        memory = report_row(reports[during_update[0]].message)["memory_mb"]
        raise Incorrect(
            f"{len(during_update)} of the {len(ids)} invocations in your bill ran with "
            f"{memory} MB, after your last update of `{RESIZE}` began but before it was done: "
            "while an update is in progress (`LastUpdateStatus` `InProgress`) invokes run the "
            "previous configuration, as on AWS. Wait for it before invoking "
            f"(`lam.get_waiter('function_updated_v2').wait(FunctionName='{RESIZE}')`), then "
            "price those invocations."
        )
    stale = [
        request_id
        for request_id in latest
        if report_row(reports[request_id].message)["memory_mb"] != RESIZE_MEMORY_MB
    ]
    before_change = [
        request_id for request_id in latest if reports[request_id].timestamp_ms < deployed_ms
    ]
    if before_change and not stale:
        # Their memory is right, but a REPORT line shows neither the architecture nor the
        # code: only LastModified tells whether resize has changed since they ran.
        raise Incorrect(
            f"{len(before_change)} of the {len(ids)} invocations in your bill ran before your "
            f"last change to `{RESIZE}` (its `LastModified`, {config['LastModified']}). Their "
            f"REPORT lines show {RESIZE_MEMORY_MB} MB, but a REPORT line doesn't show the "
            f"architecture or the code, so only invocations made after your last change "
            f"(whatever it changed, a `Description` too) show what `{RESIZE}` as it is now "
            f"costs. Make your changes first, then invoke it {RESIZE_INVOCATIONS} times and "
            "price those (note `start = int(time.time() * 1000)` before invoking, and pass "
            f"`startTime=start` to `filter_log_events`).{_SECONDS_NOTE}"
        )
    if stale:
        raise Incorrect(
            f"{len(stale)} of the {len(ids)} invocations in your bill ran before `{RESIZE}` "
            f"had its current configuration (an earlier deployment: its log group keeps their "
            "REPORT lines). Price only the invocations you made after deploying it: e.g. note "
            "`start = int(time.time() * 1000)` before invoking, and pass `startTime=start` "
            f"to `filter_log_events`.{_SECONDS_NOTE}"
        )
    if len(ids) != RESIZE_INVOCATIONS:
        raise Incorrect(
            f"your bill covers {len(ids)} invocation(s) of `{RESIZE}`; the task asks for the "
            f"{RESIZE_INVOCATIONS} you made. Invoke it {RESIZE_INVOCATIONS} times, and read "
            "every page of the logs (a paginator), from a `startTime` taken just before "
            f"those {RESIZE_INVOCATIONS} invokes (after any test invoke)."
            + (
                " Your invokes were asynchronous (`InvocationType='Event'`): each returns "
                "before the function runs, and its REPORT line comes later: poll "
                f"`filter_log_events` until all {RESIZE_INVOCATIONS} are there."
                if _asynchronous_note(ids)
                else ""
            )
        )
    # Read from the bill itself, not from its total: in the kit a cold start's Init can be
    # under a millisecond, and then leaving it out changes no figure.
    if any(line.kind == "init" and "left out" in line.item for line in answer.lines):
        raise Incorrect(
            "your bill leaves out the cold start's Init Duration. AWS bills the Init phase too "
            "(since 1 August 2025; the REPORT line's Billed Duration already holds it): keep "
            "`include_init=True`, the default of `bill_from_reports`."
        )
    lines = [reports[request_id].message for request_id in ids]
    # AWS bills the ephemeral storage (/tmp) configured above 512 MB per GB-second of every
    # invocation; every invocation priced here ran resize's current configuration (those of
    # a version whose storage differs were refused above).
    storage_mb = int((config.get("EphemeralStorage") or {}).get("Size") or 512)
    right = bill_from_reports(lines, architecture="arm64", ephemeral_storage_mb=storage_mb)
    usd = float(answer.total)

    def same(bill: Bill) -> bool:
        return math.isclose(usd, float(bill.total), rel_tol=1e-9, abs_tol=1e-15)

    # Learner trial 10 (VW5): a bill scaled to a month (`monthly_requests`) got the generic
    # message; its requests line says how many it prices.
    priced = sum(line.quantity for line in answer.lines if line.kind == "requests")
    if priced and priced != len(ids):
        raise Incorrect(
            f"your bill prices {priced:,} requests, scaled from the {len(ids)} invocations "
            "(`monthly_requests`): the task asks for the bill of these invocations as they "
            "ran. Leave `monthly_requests` out."
        )
    if same(right):
        storage = (
            f", and the ephemeral storage above the 512 MB included (it has {storage_mb} MB)"
            if storage_mb > 512
            else ""
        )
        return (
            f"Your bill prices the {len(ids)} invocations you made of `{RESIZE}`: their "
            "requests, and their billed GB-seconds at arm64's (Graviton's) price, no free tier"
            f"{storage}.{_asynchronous_note(ids)}"
        )
    told = f", ephemeral_storage_mb={storage_mb}" if storage_mb > 512 else ""
    x86 = bill_from_reports(lines, architecture="x86_64", ephemeral_storage_mb=storage_mb)
    if same(x86):
        raise Incorrect(
            f"that is what these invocations would cost on x86_64; `{RESIZE}` runs on arm64, "
            "whose GB-seconds cost less. The REPORT line doesn't say the architecture: pass "
            "`architecture='arm64'` to `bill_from_reports`."
        )
    free = bill_from_reports(
        lines, architecture="arm64", ephemeral_storage_mb=storage_mb, free_tier=True
    )
    if usd == 0 or same(free):
        # The free tier doesn't cover ephemeral storage: with it, such a bill isn't $0.
        shown = f"${usd:.10f}" if usd else "$0"
        raise Incorrect(
            f"a bill of {shown} leaves the free tier on: price exactly these invocations, "
            "with `free_tier=False` (the default of `bill_from_reports`)."
        )
    if storage_mb > 512 and same(bill_from_reports(lines, architecture="arm64")):
        raise Incorrect(
            f"your bill leaves out `{RESIZE}`'s ephemeral storage: it has {storage_mb} MB of "
            "/tmp (its `EphemeralStorage`), and AWS bills what is above the 512 MB included, "
            "per GB-second of every invocation. The REPORT line doesn't show it: pass "
            f"`ephemeral_storage_mb={storage_mb}` to `bill_from_reports`."
        )
    priced_mb = _storage_priced(answer, len(ids))
    if priced_mb is not None and priced_mb != storage_mb:
        raise Incorrect(
            f"your bill prices {priced_mb} MB of ephemeral storage, but `{RESIZE}` has "
            f"{storage_mb} MB (its `EphemeralStorage`"
            + (", the default" if storage_mb == 512 else "")
            + "): pass the function's own size, "
            + (
                f"`ephemeral_storage_mb={storage_mb}`, to `bill_from_reports`."
                if storage_mb > 512
                else "or leave `ephemeral_storage_mb` out (512 MB, which costs nothing extra)."
            )
        )
    raise Incorrect(
        f"${usd:.10f} is not what these {len(ids)} invocations cost on arm64, no free tier "
        f"(${float(right.total):.10f}): price their REPORT lines as CloudWatch Logs holds "
        f"them, with `pricing.bill_from_reports(..., architecture='arm64'{told})`."
    )


def _no_reports_note(config: dict[str, Any]) -> str:
    """A sentence for a learner whose `bill_from_reports` found no REPORT lines: the two
    causes its own message (on the JSON format) doesn't name. Learner trial 12 (HW3): a
    `startTime` in nanoseconds, and `SystemLogLevel` WARN, got only "pass your bill"."""
    level = (config.get("LoggingConfig") or {}).get("SystemLogLevel")
    if level in ("WARN", "ERROR", "FATAL"):
        # "By default, Lambda sets the system log level to INFO. With this setting, Lambda
        # automatically sends "start" and "report" log messages to CloudWatch"
        # (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html)
        return (
            f" `{RESIZE}` has the system log level {level} (`LoggingConfig` "
            "`SystemLogLevel`): Lambda writes its `platform.report` records at INFO, so none "
            f"reach the logs and there is nothing to price. Set it back to INFO "
            "(`update_function_configuration`), then invoke it again."
        )
    return (
        " (If `bill_from_reports` found no REPORT lines: `startTime` is in milliseconds since "
        "the epoch, `int(time.time() * 1000)`, taken before your invokes: one in nanoseconds "
        "is in the future and finds none.)"
    )


def _asynchronous_note(ids: list[str]) -> str:
    """A reminder when the priced invocations were asynchronous (InvocationType='Event').
    Learner trial 9 (PD10): code that reads the logs at once after such invokes passes in the
    kit, whose invocations run and log within the call's moment, but on AWS reads too few
    lines: the invokes return before the function runs, and the logs arrive seconds later.
    The check can't tell when the logs were read (the bill is right either way), so it says
    what AWS needs rather than refuse a right bill."""
    asynchronous = {e.request_id for e in kit().async_event_records() if e.function == RESIZE}
    count = sum(1 for request_id in ids if request_id in asynchronous)
    if not count:
        return ""
    return (
        f" Note: {count} of them were asynchronous invokes (`InvocationType='Event'`): on "
        "AWS, such an invoke returns before the function runs, and its REPORT line reaches "
        "CloudWatch Logs seconds later, so code that prices them must poll "
        "`filter_log_events` until all of them are there."
    )


def _storage_priced(answer: Any, invocations: int) -> int | None:
    """The ephemeral storage (MB) a bill of these invocations was priced with, read back from
    its storage line and its billed durations; None if it can't be told (scaled to a month)."""
    requests = sum(line.quantity for line in answer.lines if line.kind == "requests")
    if requests != invocations:
        return None
    stored = sum(line.quantity for line in answer.lines if line.kind == "ephemeral")
    seconds = Decimal(int(answer.invocations["billed_ms"].sum())) / 1000
    if not stored or not seconds:
        return 512 if not stored else None
    return 512 + round(stored * 1024 / seconds)


_RESIZE_DEPLOY = f'''
import time

import boto3
from helpers import pricing
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

source = """
{apps.source("nb06_resize")}"""
lam = boto3.client("lambda")
logs = boto3.client("logs")
try:  # start afresh: a new deployment, whatever an earlier attempt left
    lam.delete_function(FunctionName="resize")
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="resize",
    Runtime="python3.13",
    Role=execution_role("pricing-role"),
    Handler="app.handler",
    Code={{"ZipFile": zip_bytes({{"app.py": source}})}},
    MemorySize=256,
    Architectures=["arm64"],
)
lam.get_waiter("function_active_v2").wait(FunctionName="resize")

start = int(time.time() * 1000)  # the log group keeps the lines of earlier deployments
for _ in range(10):
    lam.invoke(FunctionName="resize", Payload=b"{{}}")

resize_pages = logs.get_paginator("filter_log_events").paginate(
    logGroupName="/aws/lambda/resize", filterPattern="REPORT", startTime=start
)
reports = [event for page in resize_pages for event in page["events"]]  # every page of the logs
'''

_RESIZE_SOLUTION = (
    _RESIZE_DEPLOY + '\nanswer = pricing.bill_from_reports(reports, architecture="arm64")\n'
)

# ------------------------------------------------------------------------------ question 3
# The function of question 3: single-threaded, CPU-bound, this long at this size on AWS.
CRUNCH_MS = 900
CRUNCH_MEMORY_MB = 256


def _crunch_durations() -> dict[int, float]:
    from ..coldstart.cpu import TUNING_SIZES, duration_at

    return {size: duration_at(size, CRUNCH_MS, CRUNCH_MEMORY_MB) for size in TUNING_SIZES}


def _check_06_memory(answer: Any = None) -> str:
    from ..coldstart.cpu import TUNING_SIZES, vcpus

    if answer is None:
        raise Incorrect(
            "pass your answer to the check: set `answer = ...` (a MemorySize in MB) and run "
            "`q3.check(answer)`."
        )
    # A Decimal is one number too (learner trial 10, VD6): the notebook prices in Decimal.
    if not isinstance(answer, str | numbers.Real | Decimal):  # a text is named below
        # A pandas Series or a NumPy array (a filter's result, `.iloc[0]` forgotten), a list...
        # holds sizes, it is not one: `in` and `==` on it compare element-wise.
        kind = f"{type(answer).__module__.split('.')[0]}.{type(answer).__name__}"
        kind = kind.removeprefix("builtins.")
        try:
            holding = f" holding {len(answer)} value(s)"
        except TypeError:  # no length (a 0-d array, an object)
            holding = ""
        # Learner trial 11 (BW2): `min(durations.items(), key=...)` is a (size, duration)
        # pair, which neither `.iloc[0]` nor `.item()` opens.
        out = (
            "Take the size out of the pair, e.g. `size, ms = pair; answer = size`"
            if isinstance(answer, tuple)
            else "Take the value out, e.g. `answer = int(series.iloc[0])` or `.item()`"
        )
        raise Incorrect(
            f"your answer is a `{kind}`{holding}, not a size: the answer must be a single "
            f"number, a MemorySize in MB. {out}, then run `q3.check(answer)`."
        )
    if isinstance(answer, str):  # learner trial 9 (PW5): '1769' is in the list, as a number
        raise Incorrect(
            f"your answer is the text {answer!r}, not a number: the answer must be a MemorySize "
            "in MB, a number such as `answer = 1024` (without quotes)."
        )
    if isinstance(answer, Decimal) and not answer.is_finite():  # sNaN can't be compared
        raise Incorrect(
            f"{answer!r} is not one of the sizes to choose from, `cpu.TUNING_SIZES`: "
            f"{', '.join(map(str, TUNING_SIZES))}."
        )
    if answer not in TUNING_SIZES:
        raise Incorrect(
            f"{answer!r} is not one of the sizes to choose from, `cpu.TUNING_SIZES`: "
            f"{', '.join(map(str, TUNING_SIZES))}."
        )
    durations = _crunch_durations()
    fastest = min(durations.values())
    # Sizes whose billed duration is as short as it gets: whole milliseconds, as AWS bills them.
    right = min(size for size, ms in durations.items() if math.ceil(ms) == math.ceil(fastest))
    if answer == right:
        return (
            f"At {right} MB the function has {vcpus(right):.2f} vCPU and takes {fastest:.0f} ms, "
            "as fast as it gets: single-threaded code can't use a second vCPU, so every MB above "
            "this is paid for and unused."
        )
    mine = durations[answer]
    if answer > right:
        ratio = answer / right
        raise Incorrect(
            f"at {answer} MB the function takes {mine:.0f} ms, no faster than at {right} MB: "
            f"above {right} MB the extra vCPU share only helps code that runs on several "
            f"threads. Each millisecond would cost {ratio:.1f}× as much for nothing. Which is "
            "the smallest size at which `cpu.duration_at` stops falling?"
        )
    raise Incorrect(
        f"at {answer} MB the function has {vcpus(answer):.2f} vCPU and takes {mine:.0f} ms; with "
        f"more memory it still gets faster (down to {fastest:.0f} ms). Compute "
        "`cpu.duration_at(size, 900, 256)` for each size of `cpu.TUNING_SIZES`."
    )


_MEMORY_SOLUTION = """
from helpers.coldstart import cpu

crunch_durations = {size: cpu.duration_at(size, 900, 256) for size in cpu.TUNING_SIZES}
fastest = min(crunch_durations.values())
answer = min(size for size, ms in crunch_durations.items() if ms <= fastest)
print(answer, "MB:", round(crunch_durations[answer]), "ms")
"""

notebook_06 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Work out by hand, with the kit's price list, what a month of 10 million requests of "
            "85.3 ms each at 1,024 MB on x86_64 costs in us-east-1, less the free tier; set "
            "`answer` to it in USD."
        ),
        checker=_check_06_month,
        # Learner trial 10 (VW7): the hint gave every call of the solution; it nudges now.
        hint_text=(
            "Follow the bill as sections 1 and 2 build it: how is one run's duration billed (which "
            "way is it rounded)? How many GB-seconds does the month use? What does the free "
            "tier take off, and of what? The rules and prices are all in `pricing` (`rule`, "
            "`price`, `PRICES`)."
        ),
        solution_code=_MONTH_SOLUTION,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "Create `resize` on arm64 with 256 MB, invoke it 10 times, read the REPORT lines "
            "of those 10 invocations from CloudWatch Logs and set `answer` to their bill "
            "(`pricing.bill_from_reports`, no free tier)."
        ),
        checker=_check_06_resize,
        hint_text=(
            "A function's log group outlives the function: after a delete and a new "
            "`create_function`, it still holds the lines of the old one. Read only what your "
            "invokes wrote (`filter_log_events` has a `startTime`), every page of it. And the "
            "REPORT line doesn't say which architecture it ran on: the bill has to be told."
        ),
        solution_code=_RESIZE_SOLUTION,
    ),
    q3=Exercise(
        name="q3",
        task=(
            "A single-threaded, CPU-bound handler takes 900 ms at 256 MB on AWS. Set `answer` to "
            "the smallest of `cpu.TUNING_SIZES` at which it runs as fast as it can."
        ),
        checker=_check_06_memory,
        hint_text=(
            "`cpu.duration_at(size, 900, 256)` is its duration at each size. Below 1 vCPU, more "
            "memory means more CPU; where is one vCPU (`cpu.vcpus(size)`), and what can one "
            "thread do with more than one?"
        ),
        solution_code=_MEMORY_SOLUTION,
    ),
)
