"""Notebook 13b's exercise, and its set-up: the receipts app that 13a built, built again.

13b runs in a new kernel, on an empty local AWS. `rebuild_app()` (kit-only, called in its set-up)
builds the app with the solutions of 13a's stages, the same handlers as 13a's cells, and puts
13a's receipts through it, so that 13b starts where 13a ended. `q1` extends the app: alerts on
an SNS topic for new receipts over 1000, from the table's stream, checked as 13a's exercises are
(its own receipts, only the log lines written after it began, a least-privilege role), with the
plumbing of nb13a_capstone_build.
"""

from __future__ import annotations

import ast
import io
import json
import random
import re
import zipfile
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from .core import Exercise, Incorrect
from .deployed_code import deployed_package
from .harness import (
    LogMark,
    Statement,
    check_id,
    client,
    function_config,
    kit,
    one_stream_batch,
    role_allows,
    role_name_of,
    role_statements,
    wait_until,
)
from .nb13a_capstone_build import (
    _API,
    _INGEST,
    _NIGHTLY,
    _QUERY,
    _RETRY,
    _SETUP,
    _STORAGE,
    BUCKET,
    DEAD_LETTERS,
    TABLE,
    _bucket_and_table,
    _forget,
    _item,
    _last_error,
    _mapping,
    _mark,
    _missing_variable,
    _put_receipt,
    _queue,
    _require_least_privilege,
    _table_arn,
)

TOPIC = "receipt-alerts"
ALERTS = "receipts-alerts"  # the function, and its role
ALERT_OVER = Decimal(1000)  # a new receipt whose total is over this raises an alert


# ------------------------------------------------------------------------------ q1: alerts
STREAM_ACTIONS = (
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
)
ALERT_WAIT_S = 10.0  # the longest the check waits for an alert (under 1 s in the kit)
# Learner trial 11 (ED7): a mapping with a batching window holds the stream's records until the
# window expires (or the batch is full) before it invokes the function, on AWS as in the kit
# ("Lambda reads records from the event source until it has gathered a full batch, the batching
# window expires, or the batch reaches the payload limit of 6 MB",
# https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html#invocation-eventsourcemapping-batching):
# the check waits twice the window more (its records come in two batches at most), for
# windows up to MAX_WINDOW_S; a longer one is named (the check would wait minutes).
MAX_WINDOW_S = 60


def _alert_totals() -> tuple[str, str, str, str, str]:
    """The check's totals: a big one, the boundary, a small one whose text sorts after "1000"
    (so that comparing strings alerts for it), a bigger one to update the first with, and one
    just over 1000, by fewer than 50 cents (a total cut or rounded to a whole number, or
    compared with 1001, misses it every time: the verdict doesn't depend on the draw)."""
    big = f"{random.randint(1001, 4999)}.{random.randint(10, 99)}"
    boundary = random.choice(["1000", "1000.00"])
    small = f"{random.randint(200, 999)}.{random.randint(10, 99)}"
    updated = f"{random.randint(5000, 9999)}.50"
    just_over = f"1000.{random.randint(1, 49):02d}"  # rounds down to 1000
    return big, boundary, small, updated, just_over


def _crashed(mark: LogMark) -> bool:
    """Whether the function failed (an exception, a timeout) since `mark`: read from its log."""
    return any(
        "[ERROR]" in message or "Task timed out" in message for message in mark.new_messages()
    )


def _stream_rights(stream_arn: str) -> str:
    """What creating the mapping needs of the function's role, and what its role lacks.

    Lambda reads the stream with the function's role, and refuses to create a mapping whose
    role can't (InvalidParameterValueException: "Cannot access stream ... Please ensure the role
    can perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on
    your stream in IAM."), on AWS and in the kit
    (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/iam-policy-example-lamda-process-dynamodb-streams.html).
    """
    role = role_name_of(ALERTS)
    statements = role_statements(role)
    missing = [a for a in STREAM_ACTIONS if not role_allows(statements, a, stream_arn, role)]
    needs = (
        f" Creating it needs `{ALERTS}`'s role to allow "
        f"{', '.join(f'`{a}`' for a in STREAM_ACTIONS[:-1])} and `{STREAM_ACTIONS[-1]}` on the "
        "stream: Lambda reads the stream with the function's role, and refuses to create the "
        "mapping without them."
    )
    if not missing:
        return needs + f" Its role `{role}` allows all four."
    denying = _denying(statements, missing, stream_arn)
    if denying:
        # Learner trial 12 (KD6): the role allows them, but a Deny matches the stream too (a
        # table guard written `<table ARN>*`); an explicit Deny overrides every Allow (IAM's
        # policy evaluation logic,
        # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
        # so adding the Allows again changes nothing.
        return needs + (
            f" Its role `{role}` denies {', '.join(f'`{a}`' for a in missing)} on "
            f"`{stream_arn}`: {denying} matches the stream, and an explicit Deny wins over "
            "every Allow. Narrow that Deny so that it misses the stream (the table's own ARN, "
            "without `*`), or remove it; then create the mapping."
        )
    return needs + (
        f" Its role `{role}` lacks {', '.join(f'`{a}`' for a in missing)} on `{stream_arn}`: "
        f"add {'it' if len(missing) == 1 else 'them'} to the role's policy (on the stream, or "
        "on `<table ARN>/stream/*`), then create the mapping."
    )


def _denying(statements: list[Statement], actions: list[str], resource: str) -> str:
    """The Deny statements among `statements` that deny one of `actions` on `resource`, named
    for the learner ("" when none does)."""
    found = []
    for s in statements:
        if s.allows:
            continue
        for action in actions:
            probe = Statement("Allow", (action,), (resource,))
            if not role_allows([probe, s], action, resource):
                what = s.actions if s.actions is not None else ("NotAction", *(s.not_actions or ()))
                where = s.resources if s.resources is not None else ("NotResource",)
                found.append(
                    f"the statement `Deny {', '.join(what)} on {', '.join(where)}` "
                    f"(in {s.source or 'a policy'})"
                )
                break
    return " and ".join(found)


def _unawaited_threads(function: str) -> str:
    """Learner trial 12 (KD13): what in the handler's module starts work on another thread and
    never waits for it ("" when nothing does). "Lambda freezes the execution environment when
    the runtime and each extension have completed ... Make sure that any background processes
    or callbacks in your code are complete before the code exits"
    (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html): a publish
    left on a thread waits, frozen, until the next invocation, or is lost with the environment,
    and its failure never fails the batch. The kit lets such a thread run on, so whether it is
    done before the check looks is timing: the check reads the deployed code instead."""
    try:
        code, handler, _ = deployed_package(function)
        module = handler.rpartition(".")[0].replace(".", "/") + ".py"
        with zipfile.ZipFile(io.BytesIO(code)) as package:
            tree = ast.parse(package.read(module).decode("utf-8", "replace"))
    except (KeyError, SyntaxError, zipfile.BadZipFile, ValueError):
        return ""  # the real runs judge a module that can't be read
    called = set()
    with_executor = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            called.add(name)
        if isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                if isinstance(item.context_expr, ast.Call):
                    func = item.context_expr.func
                    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                    with_executor = with_executor or name.endswith("Executor")
    if {"Thread", "Timer"} & called and "join" not in called:
        return "a `threading.Thread` it starts and never joins"
    waited = {"result", "wait", "as_completed", "shutdown", "join"}
    if "submit" in called and not with_executor and not waited & called:
        return "work it submits to an executor and never waits for"
    return ""


def _check_alerts() -> str:
    _bucket_and_table()
    sns, sqs, dynamodb = client("sns"), client("sqs"), client("dynamodb")
    topics = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
    topic = next((arn for arn in topics if arn.split(":")[-1] == TOPIC), None)
    if topic is None:
        raise Incorrect(f"there is no SNS topic `{TOPIC}` yet: `sns.create_topic(Name='{TOPIC}')`.")
    table = dynamodb.describe_table(TableName=TABLE)["Table"]
    if not (table.get("StreamSpecification") or {}).get("StreamEnabled"):
        earlier = _mapping_on_old_stream("")
        if earlier:
            # Learner trial 13 (QW4): a stream turned off after it was mapped was told "no
            # stream yet", and the next ❌ named the mapping left on the old stream: one
            # message now says both. Turning a stream on again makes a new stream, with a new
            # ARN (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html).
            raise Incorrect(
                f"the stream of the table `{TABLE}` is turned off. Turn it on again with "
                f"`dynamodb.update_table(TableName='{TABLE}', StreamSpecification="
                "{'StreamEnabled': True, 'StreamViewType': 'NEW_IMAGE'})`: that makes a new "
                "stream." + earlier
            )
        raise Incorrect(
            f"the table `{TABLE}` has no stream yet. Turn it on with `dynamodb.update_table("
            f"TableName='{TABLE}', StreamSpecification={{'StreamEnabled': True, "
            "'StreamViewType': 'NEW_IMAGE'})`; its `LatestStreamArn` is what "
            f"`{ALERTS}` reads."
        )
    view = table["StreamSpecification"].get("StreamViewType")
    if view not in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES"):
        # Learner trial 12 (KW4): turning the stream on again makes a new stream, with a new
        # ARN: the mapping must move to it, which the message now says at once.
        raise Incorrect(
            f"the stream of `{TABLE}` has "
            + (f"the view type `{view}`" if view else "no view type")
            + ": its records carry no `NewImage`, so no total to compare. Turn the stream off "
            "and on again with `StreamViewType='NEW_IMAGE'`: that makes a new stream, with a "
            "new `LatestStreamArn`, so create `"
            + ALERTS
            + "`'s mapping on that ARN (and delete the one on the old stream)."
        )
    function_config(ALERTS)
    stream_arn = table["LatestStreamArn"]
    mapping = _mapping(stream_arn, ALERTS)
    if mapping is not None and mapping.get("State") in ("Disabled", "Disabling"):
        # Learner trial 13 (QD12): a paused mapping was told to create one, which Lambda
        # refuses while it exists (ResourceConflictException: "The resource already exists",
        # https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html);
        # `Enabled=True` turns it back on
        # (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateEventSourceMapping.html).
        raise Incorrect(
            f"the event source mapping `{mapping['UUID']}` from the stream of `{TABLE}` to "
            f"`{ALERTS}` is disabled (`State` `{mapping['State']}`): Lambda doesn't read the "
            "stream for a disabled mapping, so no alert is sent. Enable it: "
            f"`lam.update_event_source_mapping(UUID='{mapping['UUID']}', Enabled=True)` (a "
            "second mapping for the same stream and function is refused)."
        )
    if mapping is None or mapping.get("State") != "Enabled":
        raise Incorrect(
            f"no enabled event source mapping hands the stream of `{TABLE}` to `{ALERTS}`: "
            "`lam.create_event_source_mapping(EventSourceArn=<LatestStreamArn>, "
            f"FunctionName='{ALERTS}', StartingPosition='LATEST')`."
            + _mapping_on_old_stream(stream_arn)
            + (_stream_rights(stream_arn) if mapping is None else "")
        )

    # Before any receipt is written: whether such a thread is done before the check looks is
    # the machine's timing, so its verdict can't come from the alerts.
    background = _unawaited_threads(ALERTS)
    if background:
        raise Incorrect(
            f"`{ALERTS}` publishes its alerts with {background}: it returns before its "
            "publish is done. On AWS the execution environment is frozen as soon as the "
            "handler returns, so the alert waits until the next invocation, or is lost with "
            "the environment, and a failed publish never fails the batch (the stream never "
            "retries it). Publish before returning (or join the thread, wait for the future)."
        )
    window = int(mapping.get("MaximumBatchingWindowInSeconds") or 0)
    if window > MAX_WINDOW_S:
        raise Incorrect(
            f"the mapping holds the stream's records for up to {window} s before it invokes "
            f"`{ALERTS}` (`MaximumBatchingWindowInSeconds={window}`), so an alert comes up to "
            f"{window} s after its receipt, on AWS too; the check waits for a window of "
            f"{MAX_WINDOW_S} s at most. Make it shorter, or leave it out (0: each record "
            "as soon as it arrives): `lam.update_event_source_mapping(UUID=..., "
            "MaximumBatchingWindowInSeconds=0)`."
            + (
                # "from 0 seconds to 300 seconds" (API_CreateEventSourceMapping.html)
                " (AWS refuses a window over 300 s: `create_event_source_mapping` fails.)"
                if window > 300
                else ""
            )
        )
    wait_s = ALERT_WAIT_S + 2 * window
    _require_not_throttled()
    marker, mark = check_id(), _mark(ALERTS)
    url = sqs.create_queue(QueueName=marker)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    subscription = sns.subscribe(
        TopicArn=topic, Protocol="sqs", Endpoint=queue_arn["Attributes"]["QueueArn"],
        ReturnSubscriptionArn=True,
    )["SubscriptionArn"]  # fmt: skip
    big, boundary, small, last, over, crossing, pair = (f"{marker}-{n}" for n in range(1, 8))
    big_total, boundary_total, small_total, updated_total, over_total = _alert_totals()
    # A receipt written under 1000, then changed to over it (a MODIFY that crosses 1000): a
    # rule "alert when a total goes over 1000" can't be told from "a new receipt over 1000" by
    # a change to a receipt already over it (learner trial 9, SD7).
    crossing_from = f"{random.randint(200, 999)}.{random.randint(10, 99)}"
    crossing_to = f"{random.randint(1001, 4999)}.{random.randint(10, 99)}"
    # Another new big receipt, in the last receipt's batch: one alert each, not one per batch
    # (learner trial 9, SD8: the check's big receipts never shared a batch).
    pair_total = f"{random.randint(1001, 4999)}.{random.randint(10, 99)}"
    received: list[str] = []

    def alerts() -> list[str]:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            received.append(json.loads(message["Body"]).get("Message", ""))
        return received

    def naming(receipt_id: str) -> list[str]:
        return [text for text in received if receipt_id in text]

    try:
        _put_receipt(boundary, "Check Shop", boundary_total)
        _put_receipt(small, "Check Shop", small_total)
        _put_receipt(crossing, "Check Shop", crossing_from)
        _put_receipt(crossing, "Check Shop", crossing_to)  # a MODIFY from under 1000 to over
        # Before the last receipt: its alert, if any, is in the queue before the last one's.
        _put_receipt(over, "Check Shop", over_total)
        _put_receipt(big, "Check Shop", big_total)
        _put_receipt(big, "Check Shop", updated_total)  # a change (MODIFY), not a new receipt
        key = {"receipt_id": {"S": big}}
        # The REMOVE and the next INSERT in one batch: a handler that leaves its loop at the
        # REMOVE then skips the INSERT, whatever the poller's timing (on AWS they may share one).
        with one_stream_batch():
            dynamodb.delete_item(TableName=TABLE, Key=key)  # a REMOVE record: no NewImage
            # The last write's alert comes after every earlier record's: a stream hands a
            # shard's records to the function in order, one batch after the other, and
            # retries a failed batch until it succeeds
            # (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html).
            _put_receipt(pair, "Check Shop", pair_total)
            _put_receipt(last, "Check Shop", big_total)

        def done() -> bool:
            # The last receipt's alert; or two alerts already, none naming a receipt of the check;
            # or the handler failed on one of the check's records: a stream retries that batch
            # until it succeeds, so the records behind it (the last receipt) can't come through.
            # The crash is read first: what the handler published before it is then in the queue.
            crashed = _crashed(mark) or _reported_failures(mapping, mark)
            alerts()
            unnamed = len(received) >= 2 and not any(marker in text for text in received)
            return bool(naming(last)) or unnamed or crashed

        wait_until(done, wait_s, step=0.05)
        # Then until the mapping has handed every record to the function and had it done, or
        # the function failed on one, or reported one as failed: a failed batch is retried
        # (MaximumRetryAttempts -1 by default: until the record expires,
        # https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html), and each
        # retry publishes again, however late it comes (learner trial 9, SD16 and SD17).
        # Every enabled mapping on the stream, not only the one judged: another (an earlier
        # attempt's, on an alias) alerts too, and its alerts must be in before they're counted.
        settled = wait_until(
            lambda: (
                (_caught_up(mapping) and _all_on_stream_caught_up(stream_arn))
                or _crashed(mark)
                or _reported_failures(mapping, mark)
            ),
            wait_s,
            step=0.05,
        )
        stuck = not (settled and _caught_up(mapping))
        alerts()  # any alert still waiting in the queue
    finally:
        sns.unsubscribe(SubscriptionArn=subscription)
        sqs.delete_queue(QueueUrl=url)
        _forget(marker)
    if stuck:
        _require_batches_done(mapping, mark)
    if not naming(last) or not naming(big):
        _require_filter_lets_big_inserts_through(mapping, marker, big_total)
        ours = [text for text in received if marker in text]
        if received and not ours:
            raise Incorrect(
                f"the check wrote receipts over {ALERT_OVER} to `{TABLE}`, and {len(received)} "
                f"message(s) reached `{TOPIC}`, but none contains the receipt's id, e.g. "
                f"{received[0][:120]!r}. Put the `receipt_id` in the message."
            )
        error = _last_error(mark)
        failed = f" `{ALERTS}` failed: {error.rstrip('.')}." if error else ""
        within = "" if error else f" within {wait_s:.0f} seconds"
        if naming(big) and not error:
            # Nothing failed, yet the last record raised nothing: it was skipped.
            raise Incorrect(
                f"a new receipt over {ALERT_OVER} raised an alert, but after the check changed it "
                f"and deleted it, the next new receipt raised none{within}, and `{ALERTS}` "
                "reported no failure: the records after the `REMOVE` were skipped. A handler "
                "that catches an error must go on with the next record, not leave the loop (a "
                "`REMOVE` has no `NewImage`: look at `eventName` first)."
            )
        if naming(big):
            raise Incorrect(
                f"a new receipt over {ALERT_OVER} raised an alert, but after the check changed it "
                f"and deleted it, the next new receipt raised none{within}.{failed} A `MODIFY` "
                "or `REMOVE` record must not "
                "fail the handler (a `REMOVE` has no `NewImage`): a failed batch is retried, "
                "and holds up every record after it."
            )
        missing = _missing_variable(ALERTS, error) if error else ""
        if missing:  # the function's configuration, not its publishing, is what to fix
            raise Incorrect(
                f"the check wrote a receipt of {big_total} to `{TABLE}`, and no message naming "
                f"it reached `{TOPIC}`: `{ALERTS}` failed: {error.rstrip('.')}.{missing}"
            )
        refused = re.search(r"not authorized to perform: (\S+) on", error or "")
        if refused:
            # The cause first: "Publish one" would point elsewhere (learner trials 7 and 8).
            action = refused[1]
            advice = (
                " Its role must allow `sns:Publish` on the topic's own ARN, "
                f"`arn:aws:sns:<Region>:<account>:{TOPIC}`"
                + (
                    " (an ARN with `:*` after it names the topic's subscriptions, not the topic)."
                    if _publish_on_subpath(topic)
                    else ": it has no statement that does."
                )
                if action.lower() == "sns:publish"
                else f" The handler calls `{action}`, which its role doesn't allow, and "
                "needs only `sns:Publish`: give it the topic's ARN (an environment variable) "
                "instead of looking the topic up or creating it."
            )
            raise Incorrect(
                f"the check wrote a receipt of {big_total} to `{TABLE}`, and no message naming "
                f"it reached `{TOPIC}`: `{ALERTS}` failed: {error.rstrip('.')}.{advice}"
            )
        elsewhere = _publishes_elsewhere(topic)
        if elsewhere and not error:
            raise Incorrect(
                f"the check wrote a receipt of {big_total} to `{TABLE}`, and no message naming "
                f"it reached `{TOPIC}`{within}, though `{ALERTS}` reported no failure. {elsewhere}"
            )
        if error:
            # Learner trial 10 (YW5): the error first (SNS refusing the publish, say), then the
            # advice: the handler may well publish one, with the id.
            raise Incorrect(
                f"the check wrote a receipt of {big_total} to `{TABLE}`, and no message naming "
                f"it reached `{TOPIC}`: `{ALERTS}` failed: {error.rstrip('.')}. Make the "
                "publish of an alert with the receipt's id in it "
                "(`sns.publish(TopicArn=..., Message=...)`) succeed."
            )
        raise Incorrect(
            f"the check wrote a receipt of {big_total} to `{TABLE}`, and no message naming it "
            f"reached `{TOPIC}`{within}. Publish one "
            "(`sns.publish(TopicArn=..., Message=...)`) with the receipt's id in it."
        )
    if not naming(over):
        error = _last_error(mark)
        raise Incorrect(
            f"a new receipt of {over_total}, which is over {ALERT_OVER}, raised no alert"
            + (f" (`{ALERTS}` failed: {error.rstrip('.')})" if error else "")
            + f", while one of {big_total} did. Compare the exact amount, "
            "`Decimal(total) > 1000`: `int(...)` drops the cents and `round(...)` rounds "
            f"them away ({over_total} becomes 1000 either way), and `>= 1001` misses every "
            "total between 1000 and 1001."
        )
    if naming(small):
        raise Incorrect(
            f"an alert was sent for a receipt of {small_total}, which is under {ALERT_OVER}: "
            "compare numbers (`Decimal(total) > 1000`), not strings (as text, "
            f"'{small_total}' > '1000')."
        )
    if naming(boundary):
        raise Incorrect(
            f"an alert was sent for a receipt of exactly {boundary_total}: alert only when "
            f"the total is over {ALERT_OVER} (`>`, not `>=`)."
        )
    if len(naming(last)) > 1:
        raise Incorrect(
            f"one new receipt raised {len(naming(last))} alerts: "
            + (_others_on_stream(stream_arn) or "publish once per new receipt.")
        )
    if len(naming(big)) > 1:
        others = _others_on_stream(stream_arn)
        if others:
            raise Incorrect(f"one new receipt raised {len(naming(big))} alerts: {others}")
        raise Incorrect(
            f"the check changed the total of a receipt it had written (still over "
            f"{ALERT_OVER}), then deleted it, and one of the two raised a second alert. Alert "
            "for new "
            "receipts only: the stream's `INSERT` records, not `MODIFY` or `REMOVE` ones."
        )
    if naming(crossing):
        raise Incorrect(
            f"the check wrote a receipt of {crossing_from}, then changed its total to "
            f"{crossing_to}, over {ALERT_OVER} (a `MODIFY` record), and that raised an alert: "
            "it isn't a new receipt. Alert for new receipts only, the stream's `INSERT` "
            "records, whatever a change does to the total."
            + (" " + _others_on_stream(stream_arn) if _others_on_stream(stream_arn) else "")
        )
    together = [text for text in received if pair in text and last in text]
    if together:
        raise Incorrect(
            f"the check wrote two new receipts over {ALERT_OVER} together ({pair} and {last}, "
            f"one batch of the stream), and one alert named both: {together[0][:120]!r}. Send "
            "one alert for each new receipt: a stream hands the function its records in "
            "batches (up to `BatchSize`, 100 by default), so publish inside the loop over "
            "`event['Records']`, once per big `INSERT`."
        )
    if not naming(pair):
        raise Incorrect(
            f"the check wrote two new receipts over {ALERT_OVER} together, in one batch of the "
            f"stream, and only the second ({last}) raised an alert, not the first ({pair}): "
            "go through every record of `event['Records']`, not only the last one."
        )
    _require_no_other_messages(received, marker)
    needed = [
        (action, arn) for action in STREAM_ACTIONS for arn in (stream_arn, _stream_pattern())
    ] + [("sns:Publish", topic)]
    job = "reading the table's stream and publishing to the topic"
    # Learner trial 12 (KD9): an on-failure destination of the mapping is sent to with the
    # function's role: "Your execution role must have permissions for the destination: For SQS
    # destinations: sqs:SendMessage", for SNS ones sns:Publish
    # (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html). The task's
    # role may only read the stream and publish to the topic, so a queue (or another topic)
    # can't be one; the check said its permission was "not needed", and removing it left a
    # destination that can't be delivered to on AWS.
    failed_to = ((mapping.get("DestinationConfig") or {}).get("OnFailure") or {}).get(
        "Destination"
    ) or ""
    if failed_to and failed_to != topic:
        kind = "queue" if failed_to.startswith("arn:aws:sqs:") else "destination"
        right = "`sqs:SendMessage`" if kind == "queue" else "the right to send to it"
        raise Incorrect(
            f"`{ALERTS}` works, but its mapping sends failed batches to the on-failure {kind} "
            f"`{failed_to}`: Lambda sends them with the function's role, which then needs "
            f"{right} on it, and the task's role may only read the stream and publish to "
            f"`{TOPIC}`. Drop the on-failure {kind} (and any right for it), or make the "
            f"topic itself the destination (`DestinationConfig={{'OnFailure': {{'Destination': "
            f"<{TOPIC} ARN>}}}}`: `sns:Publish` on it is already allowed)."
        )
    _require_least_privilege(
        ALERTS,
        # The stream's own ARN, or every stream of this table (`<table>/stream/*`, as AWS's
        # example policy does): a new stream gets a new ARN. Nothing else.
        # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/iam-policy-example-lamda-process-dynamodb-streams.html
        needed,
        job,
        either=(_stream_pattern(), stream_arn),
    )
    return (
        f"New receipts over {ALERT_OVER} (one of {over_total}, and two written together) "
        f"raised one alert each, naming them, on `{TOPIC}`; receipts of {boundary_total} and "
        f"{small_total}, a change to a big one and its deletion, and a change of one from "
        f"{crossing_from} to {crossing_to}, raised none. "
        f"`{ALERTS}`'s role may only read the stream and publish to the topic."
        + _stale_mapping_note(stream_arn)
    )


def _stale_mapping_note(stream_arn: str) -> str:
    """A note on a mapping of the function left on an earlier stream of the table, or "".
    Disabling a stream closes it: the table's new writes go to the new stream only, and the old
    one's records expire after 24 hours
    (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html), so such a
    mapping reads nothing new; it is clutter. Learner trial 13 (QD2)."""
    found = client("lambda").list_event_source_mappings(FunctionName=ALERTS)
    old = [
        m
        for m in found["EventSourceMappings"]
        if m.get("EventSourceArn", "").startswith(_table_arn(ALERTS) + "/stream/")
        and m["EventSourceArn"] != stream_arn
    ]
    if not old:
        return ""
    return (
        f" Note: `{ALERTS}` still has the mapping `{old[0]['UUID']}` on an earlier stream of the "
        "table, which gets no new records (a stream turned off is closed): delete it "
        f"(`lam.delete_event_source_mapping(UUID='{old[0]['UUID']}')`)."
    )


def _require_not_throttled() -> None:
    """Learner trial 10 (YD12): a function left at reserved concurrency 0 (12a's way to stop a
    runaway function) never runs: "If you set reserved concurrency to 0, the function is
    throttled" (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html),
    so the stream's batches wait and no alert goes out, whatever the handler does."""
    found = client("lambda").get_function_concurrency(FunctionName=ALERTS)
    if found.get("ReservedConcurrentExecutions") == 0:
        raise Incorrect(
            f"`{ALERTS}` has a reserved concurrency of 0, so Lambda throttles every batch of "
            "the stream and the function never runs (a redeploy keeps that setting). Remove "
            f"it: `lam.delete_function_concurrency(FunctionName='{ALERTS}')`."
        )


def _require_filter_lets_big_inserts_through(
    mapping: dict[str, Any], marker: str, total: str
) -> None:
    """Learner trial 10 (YD6): Incorrect when the mapping's FilterCriteria lets no `INSERT` of
    a receipt over 1000 through: Lambda discards a record that matches none of the filters
    (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html), so the
    function is never invoked for it, whatever its handler does."""
    from types import SimpleNamespace as Spec

    from ..triggers import mapping_filters

    criteria = mapping.get("FilterCriteria") or {}
    filters = mapping_filters.patterns(Spec(filter_criteria=criteria))
    if not filters:
        return
    image = {
        "receipt_id": {"S": f"{marker}-1"},
        "store": {"S": "Check Shop"},
        "date": {"S": "2026-01-02"},
        "total": {"N": total},
    }
    record = {
        "eventName": "INSERT",
        "eventSource": "aws:dynamodb",
        "dynamodb": {
            "Keys": {"receipt_id": image["receipt_id"]},
            "NewImage": image,
            "StreamViewType": "NEW_IMAGE",
        },
    }
    if mapping_filters.passes(filters, record):
        return
    patterns = "; ".join(f"`{f.get('Pattern')}`" for f in criteria.get("Filters", []))
    advice = " Filter on `eventName` only (or not at all), and test the total in the handler."
    if "numeric" in patterns:
        # Numeric matching matches JSON numbers only
        # (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html);
        # a stream record holds a DynamoDB number as a string.
        advice = (
            f" A DynamoDB number is a string in the stream record (`{{'N': '{total}'}}`), "
            "which a `numeric` filter never matches: filter on `eventName` only, and test the "
            "total in the handler (`Decimal(total) > 1000`)."
        )
    elif re.search(r'"eventName"\s*:\s*\[[^]]*"[a-z]', patterns):
        advice = (
            " Filter values match case and all: the stream's records say `INSERT`, `MODIFY` "
            "or `REMOVE`, in capitals."
        )
    raise Incorrect(
        f"the check wrote a new receipt of {total} to `{TABLE}`, and its `INSERT` record "
        f"matches none of the mapping's filters (`FilterCriteria`: {patterns}): Lambda "
        f"discards such a record without invoking `{ALERTS}`, so no alert can go out.{advice}"
    )


def _require_no_other_messages(received: list[str], marker: str) -> None:
    """Learner trial 10 (YD11): Incorrect when the topic got messages that aren't an alert for
    one of the check's new receipts (a summary per batch, say): every subscriber gets them. A
    message naming a receipt the table holds (an alert of the learner's own test, still on its
    way) isn't counted."""
    extra = [text for text in received if marker not in text]
    if not extra:
        return
    pages = (
        client("dynamodb")
        .get_paginator("scan")
        .paginate(TableName=TABLE, ProjectionExpression="receipt_id")
    )
    ids = [item["receipt_id"]["S"] for page in pages for item in page["Items"]]
    extra = [text for text in extra if not any(receipt in text for receipt in ids)]
    if extra:
        raise Incorrect(
            f"`{TOPIC}` received {len(extra)} message(s) during the check that are not an "
            f"alert for a new receipt over {ALERT_OVER}, e.g. {extra[0][:120]!r}: every "
            "subscriber of the topic (an email list, a pager) gets them, for writes that must "
            "raise nothing. Publish to the topic only the alerts, one per new receipt over "
            f"{ALERT_OVER} (log anything else)."
        )


def _stream_pattern() -> str:
    return _table_arn(ALERTS) + "/stream/*"


def _caught_up(mapping: dict[str, Any]) -> bool:
    """Kit-only: whether the mapping's poller has handed every record of the stream to the
    function and had it done (the poller's position at the shard's end). True when the poller
    can't be found (the check can't tell more than the alerts say)."""
    caught_up = kit().mapping_caught_up(str(mapping.get("UUID")))
    return True if caught_up is None else caught_up


def _all_on_stream_caught_up(stream_arn: str) -> bool:
    """Kit-only: whether every enabled mapping on the stream has caught up (see _caught_up)."""
    found = client("lambda").list_event_source_mappings(EventSourceArn=stream_arn)
    return all(
        _caught_up(m)
        for m in found["EventSourceMappings"]
        if m.get("State") in ("Enabled", "Enabling", "Updating")
    )


def _last_result(mapping: dict[str, Any]) -> str:
    """The mapping's LastProcessingResult, as GetEventSourceMapping answers it."""
    found = client("lambda").get_event_source_mapping(UUID=mapping["UUID"])
    return str(found.get("LastProcessingResult") or "")


def _reported_failures(mapping: dict[str, Any], mark: LogMark) -> bool:
    """Whether the function, invoked since `mark`, reported records of its batch as failed
    (`batchItemFailures`), so that Lambda retries from the first of them."""
    return "reported batch item failures" in _last_result(mapping) and any(
        message.startswith("REPORT") for message in mark.new_messages()
    )


def _require_batches_done(mapping: dict[str, Any], mark: LogMark) -> None:
    """Incorrect naming why the stream is held up on the check's records, when it is the value
    the handler returned: a response Lambda can't serialise, or records reported as failed."""
    error = _last_error(mark) or ""
    if "MarshalError" in error:
        # Learner trial 9 (SD16): it published, then failed returning Decimals; the batch was
        # retried, and each retry published again.
        raise Incorrect(
            f"`{ALERTS}` published, then failed: {error.rstrip('.')}. What the handler returns "
            "must be JSON: the stream's numbers are `Decimal`s once deserialised, and JSON "
            "can't hold them. The invocation then counts as failed, so Lambda retries the "
            "whole batch: the alerts go out again at each retry, and the records behind it "
            "wait. Return nothing, or only what JSON holds (`str(total)`, `float(total)`)."
        )
    if _reported_failures(mapping, mark):
        # Learner trial 9 (SD17): the records it alerted on returned as `batchItemFailures`.
        raise Incorrect(
            f"`{ALERTS}` returned `batchItemFailures` for records of the check's batches, "
            "though they are good receipts (the mapping's `LastProcessingResult`: "
            f"'{_last_result(mapping)}'). Lambda then retries the batch from the first record "
            "reported, so the handler publishes its alert again at each retry, and the "
            "records behind it wait. Report only the records whose processing failed: "
            "`{'batchItemFailures': []}` (or nothing) when all went well."
            + _new_image_missing(mark)
        )


def _new_image_missing(mark: LogMark) -> str:
    """Learner trial 10 (YW6): a sentence when the function's log, since `mark`, shows a
    KeyError on `NewImage` (a REMOVE record has none), or ""."""
    if not any("KeyError" in message and "NewImage" in message for message in mark.new_messages()):
        return ""
    return (
        " Its log shows a `KeyError` on `NewImage`: a `REMOVE` record has no `NewImage`. "
        "Look at `eventName` before reading it, and report only a record that failed (by its own "
        "`SequenceNumber`)."
    )


def _others_on_stream(stream_arn: str) -> str:
    """A sentence naming the other functions an enabled mapping hands the table's stream to
    (an earlier attempt left mapped: it alerts too), or ""."""
    pages = (
        client("lambda")
        .get_paginator("list_event_source_mappings")
        .paginate(EventSourceArn=stream_arn)
    )
    enabled = [
        m
        for page in pages
        for m in page["EventSourceMappings"]
        if m.get("State") in ("Enabled", "Enabling", "Updating")
    ]
    others = [m for m in enabled if m.get("FunctionArn", "").split(":")[6] != ALERTS]
    own = [m for m in enabled if m.get("FunctionArn", "").split(":")[6] == ALERTS]
    if not others and len(own) > 1:
        # Learner trial 10 (YD20): two mappings to the same function, one to an alias or a
        # version of it (`receipts-alerts:live`, the 11b way): each mapping reads the stream
        # on its own and invokes its target for every record
        # (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html; a mapping's
        # FunctionName may name a version or an alias:
        # https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html).
        names = ", ".join(
            f"`{':'.join(m['FunctionArn'].split(':')[6:])}` (mapping `{m['UUID']}`)" for m in own
        )
        return (
            f"the stream of `{TABLE}` has {len(own)} mappings to `{ALERTS}`: {names}. Each "
            "reads the stream on its own and invokes its target for every record, so each "
            "record is handled once per mapping. Keep one: delete the other, left from an "
            "earlier attempt (`lam.delete_event_source_mapping(UUID=...)`; "
            f"`lam.list_event_source_mappings(FunctionName='{ALERTS}')` lists only those of "
            "the function itself, not of its aliases or versions)."
        )
    if not others:
        return ""
    # Learner trial 9 (SD18): a function of an earlier attempt, still mapped to the stream.
    names = ", ".join(f"`{m['FunctionArn'].split(':')[6]}` (mapping `{m['UUID']}`)" for m in others)
    return (
        f"`{ALERTS}` is not the only function the stream of `{TABLE}` is handed to: {names} "
        "reads it too, and alerts as well. Delete that mapping "
        "(`lam.delete_event_source_mapping(UUID=...)`), or the function, left from an earlier "
        "attempt."
    )


def _mapping_on_old_stream(stream_arn: str) -> str:
    """A sentence naming a mapping of the function on an earlier stream of the table, or ""."""
    found = client("lambda").list_event_source_mappings(FunctionName=ALERTS)
    old = [
        m["EventSourceArn"]
        for m in found["EventSourceMappings"]
        if m.get("EventSourceArn", "").startswith(_table_arn(ALERTS) + "/stream/")
        and m["EventSourceArn"] != stream_arn
    ]
    if not old:
        return ""
    # Learner trial 9 (SW3): the stream turned off and on again, the mapping left behind.
    return (
        f" `{ALERTS}` has a mapping on `{old[0]}`, an earlier stream of the table: turning a "
        "stream off and on makes a new one, with a new ARN (`LatestStreamArn`). Delete that "
        "mapping and map the new stream."
    )


def _publishes_elsewhere(topic: str) -> str:
    """A sentence naming another SNS topic the function's environment points at, or ""."""
    variables = (function_config(ALERTS).get("Environment") or {}).get("Variables") or {}
    for name, value in variables.items():
        if str(value).startswith("arn:aws:sns:") and value != topic:
            # Learner trial 9 (SD13): a topic named like the function, `receipts-alerts`.
            return (
                f"Its environment variable `{name}` is `{value}`, another topic than "
                f"`{TOPIC}` (`{topic}`): its alerts go there. Publish to `{TOPIC}`'s ARN, and "
                "give the role `sns:Publish` on that one."
            )
    return ""


def _publish_on_subpath(topic: str) -> bool:
    """Whether the function's role allows `sns:Publish` under the topic's ARN (`<topic>:*`)."""
    role = role_name_of(ALERTS)
    return role_allows(role_statements(role), "sns:Publish", topic + ":x", role)


_ALERTS = r'''
topic_arn = boto3.client("sns").create_topic(Name="receipt-alerts")["TopicArn"]
table = dynamodb.describe_table(TableName="receipts")["Table"]
stream = table.get("StreamSpecification") or {}
if stream.get("StreamEnabled") and stream.get("StreamViewType") != "NEW_IMAGE":
    # A stream's view type can't be changed: turn it off, then on again with NEW_IMAGE.
    dynamodb.update_table(TableName="receipts", StreamSpecification={"StreamEnabled": False})
    dynamodb.get_waiter("table_exists").wait(TableName="receipts")  # ACTIVE again (on AWS)
    stream = {}
if not stream.get("StreamEnabled"):
    table = dynamodb.update_table(
        TableName="receipts",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )["TableDescription"]
stream_arn = table["LatestStreamArn"]

alerts_source = """
import json
import os
from decimal import Decimal

import boto3

sns = boto3.client("sns")


def handler(event, context):
    for record in event["Records"]:
        if record["eventName"] != "INSERT":
            continue  # a new receipt only, not a change or a deletion
        item = record["dynamodb"]["NewImage"]
        if Decimal(item["total"]["N"]) > Decimal(os.environ["ALERT_OVER"]):
            sns.publish(
                TopicArn=os.environ["TOPIC_ARN"],
                Subject="A big receipt",
                Message=json.dumps(
                    {"receipt_id": item["receipt_id"]["S"], "total": item["total"]["N"]}
                ),
            )
"""
deploy(
    "receipts-alerts",
    alerts_source,
    role("receipts-alerts", [
        allow(["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
               "dynamodb:ListStreams"], f"{table_arn}/stream/*"),
        allow("sns:Publish", topic_arn),
    ]),
    Environment={"Variables": {"TOPIC_ARN": topic_arn, "ALERT_OVER": "1000"}},
)
# A reserved concurrency of 0 (12a's way to stop a function) would keep it from ever running.
lam.delete_function_concurrency(FunctionName="receipts-alerts")
# One mapping from the stream, as set here: an earlier attempt's mappings go first, those of
# the function's aliases and versions too (listed by the stream, not by the function's name).
found = lam.list_event_source_mappings(FunctionName="receipts-alerts")["EventSourceMappings"]
found += lam.list_event_source_mappings(EventSourceArn=stream_arn)["EventSourceMappings"]
for uuid in {mapping["UUID"] for mapping in found}:
    lam.delete_event_source_mapping(UUID=uuid)
lam.create_event_source_mapping(
    EventSourceArn=stream_arn, FunctionName="receipts-alerts", StartingPosition="LATEST",
)
'''


# ------------------------------------------------------------------------------ 13b's set-up
# What 13a put through the app (its sections 3 and 5): Monday's CSV from two shops, with a row
# the retry path repairs (r-1003) and a hopeless one (r-1004), and Tuesday's JSON, whose name
# has a space in it.
MONDAY = """receipt_id,store,date,total
r-1001,Corner Shop,2026-11-16,12.40
r-1002,Bakery,2026-11-16,3.80
r-1003,Corner Shop,2026-11-16,"€7,25"
r-1004,Bakery,2026-11-16,lots
"""
TUESDAY = [
    {"receipt_id": "r-1005", "store": "Bakery", "date": "2026-11-17", "total": "5.10"},
    {"receipt_id": "r-1006", "store": "Garage", "date": "2026-11-17", "total": "48.00"},
]
UPLOADS = {"uploads/monday.csv": MONDAY, "uploads/tuesday receipts.json": json.dumps(TUESDAY)}
REBUILD_WAIT_S = 30.0  # the longest the rebuild waits for background work (a few s in the kit)


def _messages_in(queue_name: str) -> int:
    """How many messages a queue holds, visible or in flight (without receiving any)."""
    url, _ = _queue(queue_name)
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    found = client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=names)
    return sum(int(found["Attributes"][name]) for name in names)


def rebuild_app() -> SimpleNamespace:
    """Build the receipts app again, as notebook 13a leaves it, on the running local AWS.

    Kit-only plumbing for 13b, which starts in a new kernel with an empty local AWS: first the
    four stages, exactly as their solutions build them (`notebook_13a.<stage>.solution()`, the
    same handlers, roles and triggers as 13a's cells); then what happened to the app in 13a:
    Monday's and Tuesday's uploads, one at a time, whose hopeless row the retry path moves to
    `receipts-dlq`; then one night (the kit's clock a day ahead), when `receipts-report`
    writes its first report. Returns what 13b uses of 13a: the helpers `role`, `allow` and
    `deploy` (13a, section 1), the table's ARN, the queues' URLs and the API's endpoint.
    """
    app: dict[str, Any] = {}
    exec(_SETUP + _STORAGE + _INGEST + _QUERY + _API + _RETRY + _NIGHTLY, app)
    aws, s3 = kit(), client("s3")
    for key, body in UPLOADS.items():
        s3.put_object(Bucket=BUCKET, Key=key, Body=body.encode())
        aws.wait(REBUILD_WAIT_S)  # one at a time, as 13a did: one environment of `ingest`
    settled = wait_until(
        lambda: _item("r-1003") is not None and _messages_in(DEAD_LETTERS) == 1, REBUILD_WAIT_S
    )
    if not settled:
        raise RuntimeError("the rebuilt retry path did not settle Monday's rows in time")
    aws.advance_clock(days=1)  # the first night: `receipts-report` runs at 02:00 UTC
    aws.wait(REBUILD_WAIT_S)
    return SimpleNamespace(
        role=app["role"],
        allow=app["allow"],
        deploy=app["deploy"],
        table_arn=app["table_arn"],
        retry_url=app["retry_url"],
        dlq_url=app["dlq_url"],
        endpoint=app["endpoint"],
    )


notebook_13b = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            f"Send an alert to the SNS topic `{TOPIC}` for every new receipt whose total is over "
            f"{ALERT_OVER}: a function `{ALERTS}`, fed by the table's stream, whose role may "
            "only read the stream and publish to the topic. The check writes receipts over "
            f"{ALERT_OVER} (two of them together, in one batch), of exactly {ALERT_OVER} and "
            "under it, changes a big one's total and raises a small one's over it, and "
            "expects one alert for each new receipt over it, none for the rest."
        ),
        checker=_check_alerts,
        hint_text=(
            "Three pieces: the table's stream, with records that carry the new item; a role "
            f"that lets `{ALERTS}` read that stream and publish to the topic, nothing more; and "
            "a mapping from the stream to the function. In the handler, which records are new "
            "receipts, and how do you compare a total exactly, cents included?"
        ),
        solution_code=_SETUP + _STORAGE + _ALERTS,
    ),
)
