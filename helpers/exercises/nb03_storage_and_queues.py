"""Exercises of notebook 03 (triggers): q1 an SQS worker with partial batch responses and a
dead-letter queue, q2 S3 uploads turned into JSON by a function the bucket may invoke.

Each check drives the learner's resources the way their trigger would (it sends messages,
uploads files) with inputs of its own, and looks only at what happened after it began: the log
lines written after a `LogMark`, the async events carrying its own markers, its own messages.
"""

from __future__ import annotations

import csv
import io
import json
import random
import uuid
from enum import Enum
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote_plus

from .. import events
from . import apps
from .core import Exercise, Incorrect
from .harness import (
    LOG_ACTIONS,
    LogMark,
    Statement,
    async_event,
    check_id,
    client,
    denying_statements,
    function_config,
    invoke,
    kit,
    matches,
    parse_policy,
    reads_a_missing_key,
    require_not_paused,
    role_allows,
    role_name_of,
    role_statements,
    short_retry_waits,
    wait_until,
)
from .trigger_permissions import account_and_region, function_of, require_trigger_permission

# ------------------------------------------------------------------------------ q1: SQS
WORKER = "order-worker"
QUEUE = "orders"
DLQ = "orders-dlq"
BAD = "bad"
# What the mapping does with the function's role on the queue (AWSLambdaSQSQueueExecutionRole).
POLLER_ACTIONS = ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")


def _queue(name: str) -> tuple[str, dict[str, str]]:
    """A queue's URL and attributes, or Incorrect saying it does not exist yet."""
    sqs = client("sqs")
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        raise Incorrect(
            f"there is no queue named `{name}` yet (`sqs.create_queue`)." + _deleted_just_now(name)
        ) from None
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]


def _deleted_just_now(name: str) -> str:
    """Learner trial 13 (MW7): a queue deleted less than 60 s ago can't be created again yet
    ("When you delete a queue, you must wait at least 60 seconds before creating a queue with
    the same name",
    https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html):
    say so, or following "create it" fails again with QueueDeletedRecently."""
    import contextlib

    with contextlib.suppress(Exception):  # the kit's record of deletions: a hint, no more
        from moto.sqs.models import sqs_backends

        from ..patches import sqs_queues

        aws = kit()
        backend = sqs_backends[aws.account_id][aws.region]
        deleted_at = backend.__dict__.get("kit_deleted_at", {}).get(name)
        if deleted_at is not None:
            left = sqs_queues.DELETED_RECENTLY_SECONDS - (sqs_queues._kit_time() - deleted_at)
            if left > 0:
                return (
                    f" `{name}` was deleted {sqs_queues.DELETED_RECENTLY_SECONDS - left:.0f} s "
                    "ago: SQS refuses a new queue of the same name for 60 seconds after a "
                    f"deletion (QueueDeletedRecently), so wait {left:.0f} s more, then create it."
                )
    return ""


def _depth(url: str) -> int:
    """Messages on a queue: waiting, in flight or delayed."""
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]
    attributes = client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=names)
    return sum(int(attributes["Attributes"].get(name, 0)) for name in names)


def _peek(url: str, token: str) -> list[str]:
    """Bodies of the messages tagged `token` on a queue, leaving every message where it was."""
    sqs = client("sqs")
    bodies: list[str] = []
    handles: list[str] = []
    for _ in range(20):  # up to 200 messages: far more than an exercise's DLQ holds
        got = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            VisibilityTimeout=30,
            MessageAttributeNames=["kit-check"],
        ).get("Messages", [])
        if not got:
            break
        for message in got:
            handles.append(message["ReceiptHandle"])
            tag = message.get("MessageAttributes", {}).get("kit-check", {})
            if tag.get("StringValue") == token:
                bodies.append(message["Body"])
    for start in range(0, len(handles), 10):  # visible again at once, as if never received
        sqs.change_message_visibility_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": handle, "VisibilityTimeout": 0}
                for i, handle in enumerate(handles[start : start + 10])
            ],
        )
    return sorted(bodies)


def _check_queues() -> tuple[str, str, str, int, int]:
    """orders and orders-dlq as the task sets them: (url, arn, dlq url, visibility, receives)."""
    url, attributes = _queue(QUEUE)
    dlq_url, dlq_attributes = _queue(DLQ)
    policy = json.loads(attributes.get("RedrivePolicy") or "{}")
    if policy.get("deadLetterTargetArn") != dlq_attributes["QueueArn"]:
        target = policy.get("deadLetterTargetArn")
        now = f" (it names `{target}`)" if target else ""
        raise Incorrect(
            f"`{QUEUE}` has no redrive policy to `{DLQ}`{now}. Set its `RedrivePolicy` "
            f"attribute to a JSON string: {{'deadLetterTargetArn': <{DLQ}'s QueueArn>, "
            "'maxReceiveCount': 2}."
        )
    receives = int(policy.get("maxReceiveCount", 0))
    visibility = int(attributes["VisibilityTimeout"])
    if not 1 <= visibility <= 2:
        raise Incorrect(
            f"`{QUEUE}` has a VisibilityTimeout of {visibility} s; the task asks for 1 or 2 "
            "seconds, so that a failed message comes back quickly "
            "(`sqs.set_queue_attributes`)."
        )
    if not 2 <= receives <= 3:
        raise Incorrect(
            f"`{QUEUE}` has a maxReceiveCount of {receives}; the task asks for 2 or 3, so that "
            f"the bad message is retried before it goes to `{DLQ}`, and the check doesn't "
            "wait too long (`sqs.set_queue_attributes` with a new `RedrivePolicy`)."
        )
    return url, attributes["QueueArn"], dlq_url, visibility, receives


def _check_mapping(queue_arn: str) -> dict[str, Any]:
    lam = client("lambda")
    pages = lam.get_paginator("list_event_source_mappings").paginate(EventSourceArn=queue_arn)
    every = [m for page in pages for m in page["EventSourceMappings"]]
    mappings = [m for m in every if function_of(m["FunctionArn"])[0] == WORKER]
    others = sorted(
        {
            function_of(m["FunctionArn"])[0]
            for m in every
            if m not in mappings and m["State"] not in ("Disabled", "Disabling", "Deleting")
        }
    )
    if others:
        # Each message goes to one poller: another function would take some of the orders.
        raise Incorrect(
            f"`{QUEUE}` also has an enabled mapping to {', '.join(f'`{o}`' for o in others)}: "
            f"each message goes to only one of them, so some orders would never reach "
            f"`{WORKER}`. Delete that mapping (`lam.delete_event_source_mapping(UUID=...)`)."
        )
    if not mappings:
        raise Incorrect(
            f"nothing connects `{QUEUE}` to `{WORKER}`: create an event source mapping "
            f"(`lam.create_event_source_mapping(EventSourceArn=<{QUEUE}'s QueueArn>, ...)`)."
        )
    mapping = mappings[0]
    if mapping["State"] not in ("Enabled", "Enabling", "Creating", "Updating"):
        raise Incorrect(
            f"the mapping from `{QUEUE}` to `{WORKER}` is {mapping['State']}: enable it "
            "with `update_event_source_mapping(UUID=..., Enabled=True)`."
        )
    if mapping["BatchSize"] != 5:
        raise Incorrect(f"the mapping's BatchSize is {mapping['BatchSize']}; the task asks for 5.")
    if "ReportBatchItemFailures" not in (mapping.get("FunctionResponseTypes") or []):
        raise Incorrect(
            "the mapping does not accept partial batch responses, so Lambda ignores any "
            "`batchItemFailures` the worker returns. Add "
            "`FunctionResponseTypes=['ReportBatchItemFailures']` to the mapping."
        )
    return mapping


def _check_filter(mapping: dict[str, Any], queue_arn: str, bodies: list[str]) -> None:
    """Incorrect when the mapping's FilterCriteria keeps some of the check's messages from the
    worker. AWS: "If none of your filters are satisfied, Lambda discards the record", and for
    SQS deletes the message without invoking the function, so a filtered-out `bad` never
    reaches the DLQ and a filtered-out good order is never processed
    (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html). Learner
    trial 9 (OD9): such a `bad` was blamed on the worker."""
    from ..triggers import mapping_filters

    filters = mapping_filters.patterns(
        SimpleNamespace(filter_criteria=mapping.get("FilterCriteria") or {})
    )
    if not filters:
        return
    records = events.load("sqs", bodies=bodies, queue_arn=queue_arn)["Records"]
    dropped = [r["body"] for r in records if not mapping_filters.passes(filters, r)]
    if not dropped:
        return
    good = [body for body in dropped if body != BAD]
    shown = ", ".join(f"`{body}`" for body in good[:3]) + (" ..." if len(good) > 3 else "")
    if BAD in dropped:
        what = (
            f"lets no message whose body is `{BAD}` reach `{WORKER}`"
            + (f" (nor the good message(s) {shown})" if good else "")
            + f": Lambda deletes a message that matches none of the mapping's filters without "
            f"invoking the function, so `{BAD}` is never retried and never reaches `{DLQ}`. "
            f"The worker must see every message and report the bad one itself"
        )
    else:
        what = (
            f"keeps the good message(s) {shown} from `{WORKER}`: Lambda deletes a message "
            "that matches none of the mapping's filters without invoking the function, so "
            "they are never processed. The worker must see every message"
        )
    raise Incorrect(
        f"the mapping's `FilterCriteria` {what}: delete the mapping "
        "(`lam.delete_event_source_mapping(UUID=...)`) and create it again without "
        "`FilterCriteria`."
    )


def _good_bodies(token: str) -> list[str]:
    """Good orders of every kind: JSON, plain text, and texts close to `bad` that are not it
    (only a body that is exactly `bad` fails: not `BAD`, not `bad ` with a space, not a part of
    it such as `ba`, which `body in ("bad")`, a tuple missing its comma, takes for it).

    Learner trial 13 (MD5): also the JSON string `"bad"` (a worker that JSON-decodes first
    took it for `bad`), `bad` with a newline after it (`rstrip("\\r\\n")`), a JSON order
    whose status is `bad`, pretty-printed over several lines (`isprintable()` fails it), and
    a blank body (`not body.strip()`): each is a good order, "JSON or not"."""
    return [
        json.dumps({"order": f"{token}-1", "status": "bad", "qty": 2}, indent=2),
        f"order {token} by phone",
        "not bad",
        "BAD",
        "bad ",
        "ba",
        random.choice(["ad", "a", "b", "d"]),
        json.dumps(BAD),
        "bad\n",
        random.choice([" ", "  ", "\t", "\n"]),
    ]


def _reported(payload: Any) -> list[str] | None:
    """The itemIdentifiers of a partial batch response, None when it is not one."""
    if payload is None or payload == {}:
        return []  # an empty response: Lambda reads it as "every message succeeded"
    if not isinstance(payload, dict):
        return None
    items = payload.get("batchItemFailures")
    if items is None:
        return []  # a null list: "a complete success" too (services-sqs-errorhandling.html)
    if not isinstance(items, list):
        return None
    if not all(isinstance(item, dict) for item in items):
        # Bare ids (`[record['messageId'], ...]`): Lambda fails the whole batch (learner
        # trial 9, OW1: told it "reported 0 failure(s)").
        return None
    return [item.get("itemIdentifier") for item in items]


def _require_failures_key(payload: Any, shown: str) -> None:
    """Incorrect when the worker's response is an object without `batchItemFailures` (its key
    misspelt, `BatchItemFailures` say): Lambda treats "a null batchItemFailures list" and "an
    empty EventResponse" as a complete success, so it deletes every message of the batch, the
    bad ones too ("Success and failure conditions",
    https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html). Learner
    trial 10 (UD4): the message said Lambda fails the whole batch, the opposite."""
    if not isinstance(payload, dict) or not payload or "batchItemFailures" in payload:
        return
    near = [k for k in payload if str(k).lower().replace("_", "") == "batchitemfailures"]
    key = (
        f"`{near[0]}` is not `batchItemFailures` (keys are case-sensitive)"
        if near
        else f"it has no key `batchItemFailures` (its keys: {', '.join(map(repr, payload))})"
    )
    raise Incorrect(
        f"given {shown}, `{WORKER}` returned {payload!r}: {key}. Lambda reads a response "
        "without `batchItemFailures` as a complete success and deletes every message of the "
        f"batch, `{BAD}` included, so it is never retried and never reaches `{DLQ}`. Return "
        "`{'batchItemFailures': [{'itemIdentifier': record['messageId']}, ...]}`, spelt so."
    )


def _check_dlq_unread() -> None:
    """Nothing may consume the dead letters: the bad order must stay in the DLQ."""
    dlq_arn = _queue(DLQ)[1]["QueueArn"]
    lam = client("lambda")
    pages = lam.get_paginator("list_event_source_mappings").paginate(EventSourceArn=dlq_arn)
    readers = sorted(
        {
            function_of(m["FunctionArn"])[0]
            for page in pages
            for m in page["EventSourceMappings"]
            if m["State"] not in ("Disabled", "Disabling", "Deleting")
        }
    )
    if readers:
        raise Incorrect(
            f"`{DLQ}` has an enabled event source mapping to "
            f"{', '.join(f'`{r}`' for r in readers)}: it takes the dead letters off the "
            "dead-letter queue, so a failed order would never stay there to be looked at. "
            "Delete that mapping (`lam.list_event_source_mappings(EventSourceArn=<the DLQ's "
            "QueueArn>)`, then `lam.delete_event_source_mapping(UUID=...)`)."
        )


def _used_made_up_handle(error: str) -> bool:
    """Whether an invocation failed on a receipt handle of the check's own batch: the worker
    deleted (or changed the visibility of) a message itself, with a handle that belongs to no
    message, since the check invokes it directly with records it made."""
    return "receipthandle" in error.lower().replace(" ", "")


def _check_handler(queue_arn: str, qualifier: str | None = None) -> bool:
    """The handler alone, as Lambda calls it: two batches, each with its bad message(s) in a
    random place, and good messages that look almost bad. `qualifier`: the alias or version
    the mapping invokes, whose code is judged (learner trial 9, OD17: the code of `$LATEST`
    was, while the mapping ran an alias on an older version).

    False when the worker acts on the messages itself with their receipt handles: those of
    the check's batches are made up (they aren't on a queue), and SQS refuses them, on AWS as
    here. Such a worker works with real messages, so the check then judges it by the real
    messages only, instead of blaming it for the check's own records.
    """
    token = check_id("order")
    good = _good_bodies(token)
    batches = [
        [good[0], BAD, good[2], good[3], good[5]],
        [BAD, good[1], good[4], good[6], BAD],
        [good[7], BAD, good[8], good[9]],
    ]
    for bodies in batches:
        random.shuffle(bodies)
        batch = events.load("sqs", bodies=bodies, queue_arn=queue_arn)
        for record in batch["Records"]:  # each message SQS delivers has an id of its own
            record["messageId"] = str(uuid.uuid4())
        by_id = {r["messageId"]: r["body"] for r in batch["Records"]}
        expected = {i for i, body in by_id.items() if body == BAD}
        shown = f"a batch of {len(bodies)} messages with the bodies {bodies!r}"
        run = invoke(WORKER, batch, qualifier=qualifier)
        if run.failed and _used_made_up_handle(run.error):
            return False
        if run.failed:
            raise Incorrect(
                f"given {shown}, `{WORKER}` failed with {run.error}. An error fails the whole "
                "batch, so the good messages would be retried (and dead-lettered) too. Return "
                "`{'batchItemFailures': [{'itemIdentifier': record['messageId']}]}` for each "
                "bad message instead of raising."
            )
        _require_failures_key(run.payload, shown)
        reported = _reported(run.payload)
        if reported is None:
            # Learner trial 11 (AW5): a JSON string was told about ids alone.
            how = (
                "(the dict itself, not a JSON string of it: Lambda serialises what you return)"
                if isinstance(run.payload, str)
                else "(each failure a dict with that key, not the id alone)"
            )
            raise Incorrect(
                f"given {shown}, `{WORKER}` returned {run.payload!r}, which is not a partial "
                "batch response: Lambda fails the whole batch. Return "
                "`{'batchItemFailures': [{'itemIdentifier': <a bad record's messageId>}, ...]}` "
                f"{how}."
            )
        unknown = [i for i in reported if i not in by_id]
        if unknown:
            raise Incorrect(
                f"given {shown}, `{WORKER}` reported {unknown[:2]!r} as failed, which are not "
                "the batch's message ids: each failure is `{'itemIdentifier': "
                "record['messageId']}` (that key, spelt so, and the record's `messageId`)."
            )
        wrongly = [by_id.get(i, i) for i in reported if i not in expected]
        if wrongly:
            raise Incorrect(
                f"given {shown}, `{WORKER}` also reported {wrongly!r} as failed. Only a body "
                f"that is exactly `{BAD}` fails: every other message, JSON or not, is processed."
            )
        if set(reported) != expected:
            raise Incorrect(
                f"given {shown}, `{WORKER}` reported {len(set(reported))} failure(s) instead of "
                f"{len(expected)}: return one `{{'itemIdentifier': record['messageId']}}` for "
                f"each message whose body is `{BAD}`, wherever it is in the batch."
            )
    return True


def _qualified_note(qualifier: str | None) -> str:
    """What to say when the mapping invokes an alias or a version whose code is not the
    latest: that code, not the latest, is what failed."""
    if not qualifier:
        return ""
    config = function_config(WORKER, qualifier)
    if config.get("CodeSha256") == function_config(WORKER).get("CodeSha256"):
        return ""
    publish = f"publish the code you mean to run (`lam.publish_version(FunctionName='{WORKER}')`)"
    if qualifier.isdigit():
        return (
            f"the mapping invokes `{WORKER}:{qualifier}`, version {qualifier} of the "
            f"function, not its latest code: {publish} and map that version, or map the "
            "function itself."
        )
    return (
        f"the mapping invokes `{WORKER}:{qualifier}`, which runs version "
        f"{config.get('Version')}, not the latest code: {publish} and point `{qualifier}` at "
        f"it (`lam.update_alias(FunctionName='{WORKER}', Name='{qualifier}', "
        "FunctionVersion=...)`)."
    )


def _check_role(role: str, queue_arn: str) -> None:
    statements = role_statements(role)
    missing = [a for a in POLLER_ACTIONS if not role_allows(statements, a, queue_arn, role)]
    denied = [a for a in missing if denying_statements(statements, a, queue_arn, role)]
    denying = denying_statements(statements, denied, queue_arn, role) if denied else ""
    if denying:
        # Learner trial 13 (MD22): an inline Deny beside the attached policy was told to
        # attach the policy it had; an explicit Deny overrides every Allow
        # (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
        raise Incorrect(
            f"`{WORKER}`'s role `{role}` may not {', '.join(f'`{a}`' for a in denied)} on "
            f"`{QUEUE}`: {denying} denies it, and an explicit Deny wins over every Allow. The "
            "mapping polls and deletes messages with the function's role: remove that Deny, "
            "or narrow it so that it misses the queue."
        )
    if missing:
        raise Incorrect(
            f"`{WORKER}`'s role `{role}` may not {', '.join(f'`{a}`' for a in missing)} on "
            f"`{QUEUE}`: the mapping polls and deletes messages with the function's role. "
            "Attach `arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole` "
            "(or allow those actions on the queue's ARN)."
        )


def _check_queue_policy(url: str, queue_arn: str, role: str) -> None:
    """Incorrect when `orders`'s queue policy denies the worker's role what the mapping does
    with it: an explicit Deny in a resource-based policy overrides the role's Allow
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
    Learner trial 13 (MD6): such a Deny was told "nothing connects `orders` to
    `order-worker`", and creating the mapping again failed the same way."""
    attributes = client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])
    document = attributes.get("Attributes", {}).get("Policy")
    if not document:
        return
    try:
        statements = parse_policy(document, f"`{QUEUE}`'s queue policy")
    except (ValueError, AttributeError):
        return
    account = queue_arn.split(":")[4]
    role_arn = f"arn:aws:iam::{account}:role/{role}"
    aimed = [
        s
        for s in statements
        if not s.allows
        and s.principals is not None
        and any(p in ("*", account, f"arn:aws:iam::{account}:root", role_arn) for p in s.principals)
    ]
    denied = [a for a in POLLER_ACTIONS if denying_statements(aimed, a, queue_arn, role)]
    if not denied:
        return
    raise Incorrect(
        f"{denying_statements(aimed, denied, queue_arn, role)} denies "
        f"{', '.join(f'`{a}`' for a in denied)} on `{QUEUE}` to `{WORKER}`'s role `{role}`: an "
        "explicit Deny in the queue's policy wins over the role's Allow, and the mapping polls "
        "and deletes messages with that role. Remove that statement from the queue's `Policy` "
        f"attribute (`sqs.set_queue_attributes(QueueUrl=..., Attributes={{'Policy': ...}})`), "
        "or narrow it so that it misses the role."
    )


OWN_ROLE = "order-worker-role"  # the role the question has the learner make for the worker


def _check_own_role(role: str) -> None:
    """The question asks for a role of `order-worker`'s own (`order-worker-role`, or another
    name): a role shared with another function lets that function consume `orders` too
    (learner trial 9, OW5: the notebook's `triggers-role`, extended for `orders`, passed).
    `order-worker-role` itself is the worker's by the question's word, and the solution makes
    it: another function on it is the learner's own business."""
    if role == OWN_ROLE:
        return
    pages = client("lambda").get_paginator("list_functions").paginate()
    sharing = sorted(
        f["FunctionName"]
        for page in pages
        for f in page["Functions"]
        if f["FunctionName"] != WORKER and f.get("Role", "").rsplit("/", 1)[-1] == role
    )
    if sharing:
        names = ", ".join(f"`{name}`" for name in sharing[:3])
        raise Incorrect(
            f"`{WORKER}`'s role `{role}` is also the role of {names}: whatever the role may "
            f"do on `{QUEUE}` (receive and delete its messages), {names} may do too. Give "
            f"`{WORKER}` a role of its own, as the question asks: `execution_role("
            f"'{OWN_ROLE}', policies=['arn:aws:iam::aws:policy/service-role/"
            "AWSLambdaSQSQueueExecutionRole'])`, then "
            f"`lam.update_function_configuration(FunctionName='{WORKER}', Role=...)`."
        )


def _check_sqs_worker() -> str:
    config = function_config(WORKER)
    url, queue_arn, dlq_url, visibility, receives = _check_queues()
    timeout = int(config["Timeout"])
    if timeout > visibility:
        raise Incorrect(
            f"`{WORKER}` has a Timeout of {timeout} s, longer than the {visibility} s "
            f"visibility timeout of `{QUEUE}`: a slow batch would become visible again while "
            "still being processed. Give the function a Timeout no longer than the visibility "
            f"timeout (`lam.update_function_configuration(FunctionName='{WORKER}', "
            "Timeout=1)`)."
        )
    _check_role(role_name_of(WORKER), queue_arn)
    _check_queue_policy(url, queue_arn, role_name_of(WORKER))
    # Learner trial 9 (OD8): a worker with reserved concurrency 0 is throttled at every
    # invoke, the mapping's too: named here, before the check invokes it.
    require_not_paused(WORKER)
    mapping = _check_mapping(queue_arn)
    token = check_id("orders")
    bodies = [*_good_bodies(token), BAD]
    random.shuffle(bodies)
    _check_filter(mapping, queue_arn, bodies)
    _check_dlq_unread()
    _check_own_role(role_name_of(WORKER))
    qualifier = function_of(mapping["FunctionArn"])[1]
    try:
        return _run_orders(
            url, queue_arn, dlq_url, (visibility, receives), (token, bodies), qualifier
        )
    except Incorrect as wrong:
        # The version the mapping runs comes first: the latest code may be right already.
        note = _qualified_note(qualifier)
        several = _several_mappings(queue_arn, qualifier)
        if note:
            raise Incorrect(f"{several}{note} What that version does: {wrong}") from None
        raise Incorrect(f"{several}{wrong}" if several else wrong) from None


def _several_mappings(queue_arn: str, qualifier: str | None) -> str:
    """When `orders` has more than one enabled mapping to the worker (its alias, and the
    function itself, say): each message goes to one of them, so one that runs old code gets
    some of the orders. Learner trial 10 (UW4): only the alias's mapping was named."""
    lam = client("lambda")
    pages = lam.get_paginator("list_event_source_mappings").paginate(EventSourceArn=queue_arn)
    targets = [
        m["FunctionArn"].split(":function:", 1)[-1]
        for page in pages
        for m in page["EventSourceMappings"]
        if function_of(m["FunctionArn"])[0] == WORKER
        and m["State"] not in ("Disabled", "Disabling", "Deleting")
    ]
    if len(targets) < 2:
        return ""
    return (
        f"`{QUEUE}` has {len(targets)} mappings to the worker "
        f"({', '.join(f'`{t}`' for t in targets)}): each message goes to one of them, so "
        "each must run code that does the task. Delete those you don't mean to keep "
        "(`lam.delete_event_source_mapping(UUID=...)`). The one to "
        f"`{WORKER}{':' + qualifier if qualifier else ''}`: "
    )


def _run_orders(
    url: str,
    queue_arn: str,
    dlq_url: str,
    redrive: tuple[int, int],
    orders: tuple[str, list[str]],
    qualifier: str | None,
) -> str:
    """The worker judged: the check's own batches, then real orders on the queue.
    redrive: the queue's visibility timeout and maxReceiveCount; orders: the check's token
    and the bodies it sends, each message tagged with the token."""
    visibility, receives = redrive
    token, bodies = orders
    judged_alone = _check_handler(queue_arn, qualifier)

    # Then the real thing: orders go to the queue, and the check watches where each one ends.
    sqs = client("sqs")
    mark = LogMark.of_function(WORKER)
    # DelaySeconds=0 on each message: a queue's own DelaySeconds (a delay queue) is the
    # learner's choice, which the task allows, and a message's DelaySeconds overrides it on a
    # standard queue ("If you don't specify a value, the default value for the queue
    # applies", https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html),
    # so the check needn't wait for it. Learner trial 10 (UD18): the mapping was blamed.
    for start in range(0, len(bodies), 10):  # SendMessageBatch takes up to 10 messages
        sqs.send_message_batch(
            QueueUrl=url,
            Entries=[
                {
                    "Id": str(i),
                    "MessageBody": body,
                    "DelaySeconds": 0,
                    "MessageAttributes": {
                        "kit-check": {"DataType": "String", "StringValue": token}
                    },
                }
                for i, body in enumerate(bodies[start : start + 10])
            ],
        )
    patience = visibility * (receives + 1) + 5.0
    dead = wait_until(lambda: _depth(url) == 0 and _peek(dlq_url, token), patience) or []
    if not dead:
        dead = _peek(dlq_url, token)
    messages = mark.new_messages()
    runs = sum(m.startswith("START RequestId:") for m in messages)
    errors = [m for m in messages if m.startswith("[ERROR]") or "Task timed out" in m]
    crashed = f" The worker logged: {errors[0].strip()[:200]}" if errors else ""
    if runs == 0:
        raise Incorrect(
            f"`{WORKER}` never ran in {patience:.0f} s although {len(bodies)} messages were "
            f"sent to `{QUEUE}`. Is the mapping enabled, and does it point at `{QUEUE}`?"
        )
    if dead == [BAD]:
        deletes_itself = (
            ""
            if judged_alone
            else (
                " Your worker also deletes the good messages itself: not needed, the mapping "
                "deletes every message of a batch that isn't in `batchItemFailures`. (The "
                "check's own test batches, which it invokes the worker with directly, have "
                "made-up receipt handles that SQS refuses, so it judged the worker by the "
                "real messages only.)"
            )
        )
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["DelaySeconds"])
        delay = int(attributes["Attributes"].get("DelaySeconds", 0))
        delayed = (
            f" (`{QUEUE}` delays each message by {delay} s, its `DelaySeconds`: the check sent "
            "its own with `DelaySeconds=0`, which a message may set on a standard queue.)"
            if delay
            else ""
        )
        return (
            f"The bad order went to `{DLQ}` after being retried, and the good ones were "
            "processed and deleted. (The check's test message stays in the DLQ.)"
            + delayed
            + deletes_itself
        )
    if len(dead) > 1:
        raise Incorrect(
            f"good messages ended in `{DLQ}` too ({len(dead) - (BAD in dead)} of them): they "
            "failed with the bad one. Return "
            "`{'batchItemFailures': [{'itemIdentifier': record['messageId']}]}` for the bad "
            "message only, instead of raising an exception." + crashed
        )
    left = _depth(url)
    if left:
        raise Incorrect(
            f"{left} message(s) were still on `{QUEUE}` after {patience:.0f} s. Does the worker "
            "fail good messages too?" + crashed
        )
    raise Incorrect(
        f"the message `{BAD}` was deleted as if it had been processed, so it never reached "
        f"`{DLQ}`. The worker must report it: return "
        "`{'batchItemFailures': [{'itemIdentifier': record['messageId']}]}`." + crashed
    )


_ORDERS_SOLUTION = f'''
import json, boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam, sqs = boto3.client("lambda"), boto3.client("sqs")

dlq_url = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
dlq_arn = sqs.get_queue_attributes(
    QueueUrl=dlq_url, AttributeNames=["QueueArn"]
)["Attributes"]["QueueArn"]
orders_url = sqs.create_queue(QueueName="orders")["QueueUrl"]
sqs.set_queue_attributes(  # also when `orders` exists already, with other settings
    QueueUrl=orders_url,
    Attributes={{
        "VisibilityTimeout": "1",
        "RedrivePolicy": json.dumps({{"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2}}),
    }},
)
orders_arn = sqs.get_queue_attributes(
    QueueUrl=orders_url, AttributeNames=["QueueArn"]
)["Attributes"]["QueueArn"]
# orders feeds order-worker only, and nothing reads the DLQ: no mapping left from earlier
# attempts (deleting a function leaves its mappings).
for queue_arn in (orders_arn, dlq_arn):
    old = lam.list_event_source_mappings(EventSourceArn=queue_arn)["EventSourceMappings"]
    for mapping in old:
        lam.delete_event_source_mapping(UUID=mapping["UUID"])

source = """
{apps.source("nb03_order_worker")}"""
try:  # start afresh (its mappings on orders are gone already)
    lam.delete_function(FunctionName="order-worker")
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="order-worker",
    Runtime="python3.12",
    # The mapping reads and deletes the queue's messages with the function's role.
    Role=execution_role(
        "order-worker-role",
        policies=["arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"],
    ),
    Handler="app.handler",
    Timeout=1,  # no longer than the queue's visibility timeout
    Code={{"ZipFile": zip_bytes({{"app.py": source}})}},
)
lam.get_waiter("function_active_v2").wait(FunctionName="order-worker")
lam.create_event_source_mapping(
    EventSourceArn=orders_arn,
    FunctionName="order-worker",
    BatchSize=5,
    FunctionResponseTypes=["ReportBatchItemFailures"],
)
'''


# ------------------------------------------------------------------------------ q2: S3
CONVERTER = "csv-to-json"
BUCKET = "csv-drop"
OBJECTS = f"arn:aws:s3:::{BUCKET}/*"
OBJECT_ACTIONS = ("s3:GetObject", "s3:PutObject")
# Tables the check uploads, their header picked at random: a hard-coded column name fails.
HEADERS = (("city", "visits"), ("product", "sold"), ("team", "score"), ("station", "riders"))
CITIES = ("Lyon", "Oslo", "Porto", "Kraków", "Zürich", "Bergen", "Gent", "Cork")
# Names with a dot of their own before `.csv`: the result keeps it (`sales.2024.json`). Each
# holds `.csv` too, which the result keeps (`sales.csv.2024.json`): a handler that makes the
# result's name with `str.replace('.csv', ...)` changes it (learner trial 11, AD6: it passed).
DOTTED_STEMS = (
    "sales.csv.2024",
    "report.csv.v2",
    "visits.csv.old",
    "totals 1.5.csv.bak",
    "q3.csv.final",
)
# Names with letters beyond ASCII and punctuation, which S3 sends percent-encoded too (`é` as
# `%C3%A9`, `(` as `%28`): a handler that decodes only `+` and `%2B` by hand, the two examples
# a message gives, loses them (learner trial 13, MD9: one passed). S3: "The object key name
# value is URL encoded"
# (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
ENCODED_STEMS = ("café (final)", "Zürich & Genève", "naïve [v2]", "Kraków #2", "crème=brûlée")
# Names of the check's CSV with a header and no rows, whose result is `[]` (learner trial 9,
# OD10: a handler that wrote nothing for it passed).
EMPTY_STEMS = ("no sales", "week 0", "quiet day", "none yet")


class Upload(Enum):
    """What an upload of the check must do: run the function, or not. EMPTY runs it too, a
    CSV with its header alone."""

    RUNS = "runs"
    EMPTY = "empty"
    IGNORED = "ignored"


def _beyond_bucket(statements: list[Statement]) -> list[str]:
    """What the role allows beyond reading and writing csv-drop's objects (and its logs)."""
    problems: list[str] = []
    for s in statements:
        if not s.allows:
            continue
        if s.actions is None or s.resources is None:
            problems.append(f"{s.source} uses NotAction/NotResource, which allows far more")
            continue
        for action in s.actions:
            if any(action.lower() == a.lower() for a in LOG_ACTIONS):
                continue  # writing its own logs: every function may
            if not any(action.lower() == a.lower() for a in OBJECT_ACTIONS):
                problems.append(
                    f"`{action}` (in {s.source}): allow exactly `s3:GetObject` and `s3:PutObject`"
                )
                continue
            for resource in s.resources:
                # A narrower resource (csv-drop/incoming/*) is fine: it is inside csv-drop/*.
                if not matches([OBJECTS], resource):
                    problems.append(
                        f"`{action}` on `{resource}` (in {s.source}) reaches beyond the objects "
                        f"of `{BUCKET}`: use `{OBJECTS}`"
                    )
    return list(dict.fromkeys(problems))


def _check_converter_role() -> None:
    role = role_name_of(CONVERTER)
    statements = role_statements(role)
    needs = (("s3:GetObject", "incoming/a.csv"), ("s3:PutObject", "processed/a.json"))
    refused = [
        (action, f"arn:aws:s3:::{BUCKET}/{key}")
        for action, key in needs
        if not role_allows(statements, action, f"arn:aws:s3:::{BUCKET}/{key}", role)
    ]
    for action, resource in refused:
        denying = denying_statements(statements, action, resource, role)
        if denying:
            # Learner trial 13 (MD22): a Deny beside the right Allow was told to add that
            # Allow; an explicit Deny overrides every Allow
            # (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
            raise Incorrect(
                f"`{CONVERTER}`'s role `{role}` may not `{action}` on `{resource}`: {denying} "
                "denies it, and an explicit Deny wins over every Allow, so the handler would "
                "get AccessDenied. Remove that Deny, or narrow it so that it misses the "
                f"objects of `{BUCKET}`."
            )
    missing = [f"`{action}` on `{resource}`" for action, resource in refused]
    if missing:
        raise Incorrect(
            f"`{CONVERTER}`'s role `{role}` does not allow {' nor '.join(missing)}: the handler "
            "would get AccessDenied. Give the role an inline policy (`iam.put_role_policy`) "
            f"that allows `s3:GetObject` and `s3:PutObject` on `{OBJECTS}`."
        )
    excess = _beyond_bucket(statements)
    if excess:
        raise Incorrect(
            f"`{CONVERTER}`'s role `{role}` allows more than the task needs, which is "
            f"reading and writing the objects of `{BUCKET}`: " + "; ".join(excess) + "."
        )


# S3 events that aren't uploads, and what each is, for a message.
_NOT_UPLOADS = (
    ("s3:ObjectRemoved", "a deletion, of a file it then can't read"),
    ("s3:ObjectRestore", "a restore of an archived copy of a file already there"),
    ("s3:ObjectTagging", "a change of a file's tags"),
    ("s3:ObjectAcl", "a change of a file's access control list"),
    ("s3:Lifecycle", "a file expired or moved to another storage class by a lifecycle rule"),
    ("s3:IntelligentTiering", "a file moved to an archive tier"),
    ("s3:Replication", "a replication's progress or failure"),
    ("s3:ReducedRedundancyLostObject", "a file lost from Reduced Redundancy storage"),
)


def _notified_function() -> tuple[str, str | None]:
    s3 = client("s3")
    try:
        s3.head_bucket(Bucket=BUCKET)
    except s3.exceptions.ClientError:
        raise Incorrect(f"there is no bucket named `{BUCKET}` yet (`s3.create_bucket`).") from None
    notifications = s3.get_bucket_notification_configuration(Bucket=BUCKET)
    mine = [
        c
        for c in notifications.get("LambdaFunctionConfigurations", [])
        if function_of(c["LambdaFunctionArn"])[0] == CONVERTER
    ]
    targets = [function_of(c["LambdaFunctionArn"]) for c in mine]
    if not targets:
        # S3 refuses the configuration while the function doesn't allow it: name that first.
        # Learner trial 12 (GW4): and say that the refused notification must be put again.
        try:
            _require_s3_may_invoke()
        except Incorrect as refused:
            raise Incorrect(
                f"{refused} `{BUCKET}` sends no events to `{CONVERTER}` yet (S3 refuses a "
                "notification the function's policy doesn't let in: \"Unable to validate the "
                'following destination configurations"): once the permission is right, put '
                "the notification configuration again (`put_bucket_notification_configuration`)."
            ) from None
        raise Incorrect(
            f"`{BUCKET}` sends no events to `{CONVERTER}`: add a `LambdaFunctionConfigurations` "
            "entry with `put_bucket_notification_configuration`." + _alias_without_permission()
        )
    # Learner trial 9 (OD11): a deletion is not an upload, and the check uploads only. S3's
    # event types: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
    others = [e for c in mine for e in c.get("Events", []) if not e.startswith("s3:ObjectCreated:")]
    if others:
        shown = ", ".join(f"`{e}`" for e in dict.fromkeys(others))
        # Learner trial 11 (AW6): the example fits the event named (a restore was "a deletion").
        example = next(
            (text for kind, text in _NOT_UPLOADS if others[0].startswith(kind)),
            "a deletion, say, of a file it then can't read",
        )
        raise Incorrect(
            f"`{BUCKET}`'s notification also sends {shown} events to `{CONVERTER}`: it would "
            f"run for what isn't an upload too ({example}). "
            "Only uploads may run it: `Events=['s3:ObjectCreated:*']`."
        )
    _require_every_upload_kind([e for c in mine for e in c.get("Events", [])])
    return targets[0]


# Each way of uploading is an event type of its own (S3's event types:
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html).
UPLOAD_EVENTS = {
    "s3:ObjectCreated:Put": "a `put_object`",
    "s3:ObjectCreated:Post": "a browser form's POST",
    "s3:ObjectCreated:Copy": "a `copy_object`",
    "s3:ObjectCreated:CompleteMultipartUpload": (
        "a multipart upload (what `upload_file` and `aws s3 cp` make of a large file)"
    ),
}


def _listens_to(events: list[str], event_type: str) -> bool:
    return any(e in ("s3:ObjectCreated:*", "s3:*", event_type) for e in events)


def _require_every_upload_kind(events: list[str]) -> None:
    """Incorrect when the notification listens to some kinds of upload only (`Put`, say):
    the task asks that *every* `.csv` uploaded run the function. Learner trial 10 (UD5): a
    Put-only notification passed, since the check only used put_object."""
    missing = [e for e in UPLOAD_EVENTS if not _listens_to(events, e)]
    if not missing:
        return
    listened = ", ".join(f"`{e}`" for e in dict.fromkeys(events))
    ways = "; ".join(f"{UPLOAD_EVENTS[e]} is `{e}`" for e in missing)
    raise Incorrect(
        f"`{BUCKET}`'s notification sends `{CONVERTER}` only {listened}, so some uploads "
        f"would never run it: S3 reports each way of uploading as an event type of its own "
        f"({ways}). Every `.csv` uploaded under `incoming/` must run it: "
        "`Events=['s3:ObjectCreated:*']`."
    )


def _require_s3_may_invoke(qualifier: str | None = None) -> None:
    """Incorrect unless the converter's policy (or its alias's) lets S3 invoke it for the
    bucket (require_trigger_permission says which statement is missing or too broad)."""
    require_trigger_permission(
        CONVERTER,
        "s3.amazonaws.com",
        f"arn:aws:s3:::{BUCKET}",
        f"the bucket `{BUCKET}`",
        source_account=account_and_region()[0],
        qualifier=qualifier,
    )


def _alias_without_permission() -> str:
    """When the converter has an alias whose own policy doesn't let S3 in: S3 refuses a
    notification to that alias ("Unable to validate the following destination
    configurations"), on AWS as here, so a learner who aimed it there finds no notification.
    A permission added without `Qualifier` covers the unqualified ARN only
    (https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html). Learner trial 9
    (OD15): the message said only that there was no notification."""
    lam = client("lambda")
    pages = lam.get_paginator("list_aliases").paginate(FunctionName=CONVERTER)
    bare = []
    for alias in (a["Name"] for page in pages for a in page["Aliases"]):
        try:
            _require_s3_may_invoke(alias)
        except Incorrect:
            bare.append(alias)
    if not bare:
        return ""
    alias = bare[0]
    return (
        f' If you aimed it at the alias `{CONVERTER}:{alias}`, S3 refused it ("Unable to '
        'validate the following destination configurations"): the alias has a '
        "resource-based policy of its own, and a permission added without `Qualifier` "
        f"doesn't cover it. Add the permission with `Qualifier='{alias}'` (or aim the "
        "notification at the function's unqualified ARN)."
    )


def _read_as_one_byte_encoding(written: Any, rows: list[dict[str, str]]) -> bool:
    """Whether `written` is `rows` after UTF-8 bytes were decoded as latin-1 or cp1252."""
    text = json.dumps(rows, ensure_ascii=False).encode("utf-8")
    for encoding in ("latin-1", "cp1252"):
        try:
            if json.loads(text.decode(encoding)) == written:
                return True
        except (UnicodeDecodeError, ValueError):
            continue
    return False


def _three_cities() -> list[str]:
    """Three cities, one at least with a letter beyond ASCII: every table tells UTF-8 from a
    decoding that only works for plain ASCII (latin-1, ascii with errors ignored)."""
    accented = [c for c in CITIES if not c.isascii()]
    first = random.choice(accented)
    rest = random.sample([c for c in CITIES if c != first], 2)
    return random.sample([first, *rest], 3)


def _table(empty: bool = False) -> tuple[str, list[dict[str, str]]]:
    """A small CSV of the check's own, and the rows csv.DictReader gives for it (`empty`: its
    header alone, and no rows). One value holds a comma, so the CSV quotes it: a handler that
    splits lines at commas by hand gets it wrong (learner trial 9, OD20: one passed)."""
    columns = random.choice(HEADERS)
    rows = [
        {columns[0]: f"{city} {check_id('r')[-4:]}", columns[1]: str(random.randint(0, 999))}
        for city in ([] if empty else _three_cities())
    ]
    if rows:
        row = random.choice(rows)
        row[columns[0]] = row[columns[0]].replace(" ", ", ", 1)
        # Learner trial 13 (MD20): an empty cell (DictReader gives "", not None) and a value
        # after a comma and a space (DictReader keeps the space: `Lyon, 3` gives " 3"), so a
        # handler that writes null, strips values, or reads with skipinitialspace=True differs
        # from `list(csv.DictReader(...))`, which the task names.
        empty, spaced = random.sample(rows, 2)
        empty[columns[1]] = ""
        spaced[columns[1]] = f" {spaced[columns[1]]}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue(), rows


PUT, COPY, MULTIPART = (
    "s3:ObjectCreated:Put",
    "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload",
)


def _upload(key: str, text: str, way: str, source: str) -> None:
    """Upload `text` as `key` the `way` given (COPY: a copy of the object `source`). A
    refusal by the bucket's policy is the learner's to mend, and named (learner trial 10,
    UD21: it read as the check's own failure)."""
    s3 = client("s3")
    try:
        if way == COPY:
            s3.copy_object(Bucket=BUCKET, Key=key, CopySource={"Bucket": BUCKET, "Key": source})
        elif way == MULTIPART:
            upload = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
            # One part: the only (last) part of a multipart upload may be under 5 MB.
            etag = s3.upload_part(
                Bucket=BUCKET, Key=key, UploadId=upload, PartNumber=1, Body=text.encode()
            )["ETag"]
            s3.complete_multipart_upload(
                Bucket=BUCKET,
                Key=key,
                UploadId=upload,
                MultipartUpload={"Parts": [{"ETag": etag, "PartNumber": 1}]},
            )
        else:
            s3.put_object(Bucket=BUCKET, Key=key, Body=text.encode())
    except s3.exceptions.ClientError as exc:
        error = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if error.get("Code") not in ("AccessDenied", "403") and status != 403:
            raise
        denying = _denying_statements()
        if denying is None:
            raise
        raise Incorrect(
            f"`{BUCKET}`'s bucket policy refused the check's upload of `{key}` "
            f"({UPLOAD_EVENTS[way]}: {error.get('Code') or status}){denying}: it refuses "
            f"uploads that the task says must run `{CONVERTER}` (and the function's own "
            "writes to `processed/` too). Change or remove the bucket policy "
            f"(`s3.delete_bucket_policy(Bucket='{BUCKET}')`): the task needs none."
        ) from None


def _denying_statements() -> str | None:
    """' by its Deny statement(s) ...' naming the bucket policy's Deny statements that may refuse an
    upload, '' when it has none to name, None when the bucket has no policy (or one that denies
    by `aws:SecureTransport` alone: every request over HTTPS passes it, on AWS; a refusal then
    is the kit's, and the check's failure)."""
    s3 = client("s3")
    try:
        policy = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    except (s3.exceptions.ClientError, ValueError):
        return None
    statements = policy.get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]
    denies = [
        s
        for s in statements
        if isinstance(s, dict)
        and s.get("Effect") == "Deny"
        and (
            "NotAction" in s
            or matches(
                [s.get("Action")] if isinstance(s.get("Action"), str) else s.get("Action"),
                "s3:PutObject",
                fold=True,
            )
        )
    ]
    if denies and all("securetransport" in json.dumps(s).lower() for s in denies):
        return None
    names = [f"`{s['Sid']}`" if s.get("Sid") else "without a Sid" for s in denies]
    return f" by its Deny statement(s) {', '.join(names)}" if names else ""


def _filter_advice() -> str:
    """What to look at when an upload under `incoming/` didn't run the function: the
    notification's filter, read (a `*` in a rule is a literal character to S3: learner trial
    10, UW5)."""
    s3 = client("s3")
    configs = s3.get_bucket_notification_configuration(Bucket=BUCKET).get(
        "LambdaFunctionConfigurations", []
    )
    rules = [
        rule
        for c in configs
        if function_of(c["LambdaFunctionArn"])[0] == CONVERTER
        for rule in c.get("Filter", {}).get("Key", {}).get("FilterRules", [])
    ]
    wild = [r["Value"] for r in rules if "*" in r.get("Value", "") or "?" in r.get("Value", "")]
    if wild:
        return (
            f"Its filter rule `{wild[0]}` holds a wildcard, but S3's prefix and suffix rules "
            "are literal text, with no wildcards: it matches only keys that hold that `*` "
            "itself. Use `{'Name': 'prefix', 'Value': 'incoming/'}` and "
            "`{'Name': 'suffix', 'Value': '.csv'}`."
        )
    # Learner trial 13 (MW9): `.CSV` for `.csv`. "Object key names are case sensitive"
    # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html), and a rule's
    # value is matched against the key as it is.
    cased = [
        (r["Value"], wanted)
        for r in rules
        for wanted in ("incoming/", ".csv")
        if r.get("Value") != wanted and str(r.get("Value", "")).lower() == wanted
    ]
    if cased:
        value, wanted = cased[0]
        return (
            f"Its filter rule `{value}` is not `{wanted}`: S3 keys are case-sensitive, and so "
            f"is a rule's match, so `{value}` never matches a key with `{wanted}` in it. Use "
            f"`{wanted}`, spelt so."
        )
    return (
        "Does the notification listen to `s3:ObjectCreated:*`, with the prefix `incoming/` "
        "and the suffix `.csv`?"
    )


def _require_cells_as_read(wanted: str, written: Any, rows: list[dict[str, str]]) -> None:
    """Incorrect naming what the handler did to the cells, when `written` is `rows` with empty
    cells as null, or with the spaces around values taken off (learner trial 13, MD20)."""
    nulls = [{k: (v if v != "" else None) for k, v in row.items()} for row in rows]
    stripped = [{k.strip(): v.strip() for k, v in row.items()} for row in rows]
    lstripped = [{k: v.lstrip(" ") for k, v in row.items()} for row in rows]
    empty = next((v for row in rows for v in row.values() if v == ""), None)
    spaced = next((v for row in rows for v in row.values() if v.startswith(" ")), "")
    if empty is not None and written == nulls:
        raise Incorrect(
            f"`{wanted}` holds {written!r}: an empty cell became `null`, where "
            '`list(csv.DictReader(...))` gives an empty string `""`, which the task asks for. '
            f"Write the rows as DictReader reads them: expected {rows!r}."
        )
    if spaced and written in (stripped, lstripped):
        raise Incorrect(
            f"`{wanted}` holds {written!r}: the value {spaced!r} lost its space, which "
            "`list(csv.DictReader(...))` keeps (a space after a comma is part of the value; "
            "`strip()` or `skipinitialspace=True` takes it off). Write the rows as DictReader "
            f"reads them, with its defaults: expected {rows!r}."
        )


def _split_by_hand(text: str) -> list[dict[str, str]]:
    """What a handler that splits each line at its commas makes of a CSV (quotes kept)."""
    lines = text.strip().splitlines()
    header = lines[0].split(",")
    return [dict(zip(header, line.split(","), strict=False)) for line in lines[1:]]


def _check_s3_csv() -> str:
    function_config(CONVERTER)
    _check_converter_role()
    function, qualifier = _notified_function()
    account, _region = account_and_region()
    require_trigger_permission(
        function,
        "s3.amazonaws.com",
        f"arn:aws:s3:::{BUCKET}",
        f"the bucket `{BUCKET}`",
        source_account=account,  # S3 sends the bucket owner's account as aws:SourceAccount
        qualifier=qualifier,
    )
    require_not_paused(function)  # throttled at every upload's invoke (learner trial 9, OD8)

    # Uploads that must run the function (a space and a `+` in their names: S3 URL-encodes
    # keys in its events) and uploads that must not (wrong suffix, wrong prefix, a prefix
    # without its slash). Each name holds a marker of its own. The first one's stem ends in
    # `s` ("... visits.csv"), so a handler that cuts the extension with `rstrip(".csv")`
    # (which strips the characters `.`, `c`, `s`, `v`) loses a letter at every check. The
    # third has a dot inside its name ("... sales.2024.csv"), after its marker, so a handler
    # that cuts the name at its first dot (`split(".")[0]`) writes a result the check can find
    # and name.
    # Not every upload is a put_object (learner trial 10, UD5): one is a copy of an object
    # under `archive/` (which must not run the function itself), one a multipart upload.
    uploads: dict[str, tuple[Upload, str]] = {}
    ways: dict[str, str] = {}
    for pattern, what, way in (
        ("incoming/{m} visits.csv", Upload.RUNS, PUT),
        (f"incoming/q3+q4 {{m}} {random.choice(ENCODED_STEMS)}.csv", Upload.RUNS, PUT),
        (f"incoming/{{m}} {random.choice(DOTTED_STEMS)}.csv", Upload.RUNS, MULTIPART),
        (f"incoming/{{m}} {random.choice(EMPTY_STEMS)}.csv", Upload.EMPTY, PUT),
        ("archive/{m} totals.csv", Upload.IGNORED, PUT),
        ("incoming/{m} totals copy.csv", Upload.RUNS, COPY),  # a copy of the one above
        ("incoming/visits {m}.txt", Upload.IGNORED, PUT),
        ("incoming/visits {m}-csv", Upload.IGNORED, PUT),  # a suffix rule without its dot
        ("archive/visits {m}.csv", Upload.IGNORED, PUT),
        ("incoming-old/visits {m}.csv", Upload.IGNORED, PUT),
    ):
        marker = check_id("up").removeprefix("up-")
        uploads[pattern.format(m=marker)] = (what, marker)
        ways[pattern.format(m=marker)] = way
    s3 = client("s3")
    tables: dict[str, list[dict[str, str]]] = {}
    texts: dict[str, str] = {}
    with short_retry_waits() as aws:
        previous = ""
        for key, (what, _marker) in uploads.items():
            if ways[key] == COPY:
                tables[key], texts[key] = tables[previous], texts[previous]
            else:
                text, rows = _table(empty=what is Upload.EMPTY)
                tables[key], texts[key] = rows, text
            _upload(key, texts[key], ways[key], previous)
            previous = key
        aws.wait(30)
    ran = {key: async_event(function, marker) for key, (_what, marker) in uploads.items()}
    extra = [key for key, event in ran.items() if event and uploads[key][0] is Upload.IGNORED]
    if extra:
        rules = []
        if any(not key.startswith("incoming/") for key in extra):
            rules.append("`{'Name': 'prefix', 'Value': 'incoming/'}` (with its slash)")
        if any(not key.endswith(".csv") for key in extra):
            rules.append("`{'Name': 'suffix', 'Value': '.csv'}` (with its dot)")
        raise Incorrect(
            f"`{CONVERTER}` also ran for {', '.join(f'`{key}`' for key in extra)}. Add "
            f"{' and '.join(rules)} to the notification's "
            "`Filter={'Key': {'FilterRules': [...]}}`."
        )
    for key, (what, marker) in uploads.items():
        if what is Upload.IGNORED:
            continue
        event = ran[key]
        if event is None:
            raise Incorrect(
                f"uploading `{key}` ({UPLOAD_EVENTS[ways[key]]}, S3's event "
                f"`{ways[key]}`) did not invoke `{CONVERTER}`. " + _filter_advice()
            )
        name = key.removeprefix("incoming/").removesuffix(".csv")
        wanted = f"processed/{name}.json"
        try:
            body = s3.get_object(Bucket=BUCKET, Key=wanted)["Body"].read()
        except s3.exceptions.NoSuchKey:
            listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="processed/").get("Contents", [])
            stripped = f"processed/{name.rstrip('.csv')}.json"
            if stripped != wanted and any(o["Key"] == stripped for o in listed):
                raise Incorrect(
                    f"`{CONVERTER}` converted `{key}`, but wrote `{stripped}` instead of "
                    f"`{wanted}`: `rstrip('.csv')` strips any of the characters `.`, `c`, `s`, "
                    "`v` from the end, not the suffix. Cut the extension with "
                    "`removesuffix('.csv')` or `os.path.splitext`."
                ) from None
            elsewhere = [o["Key"] for o in listed if marker in o["Key"]]
            cut = f"processed/{name.split('.')[0]}.json"
            if cut != wanted and cut in elsewhere:
                raise Incorrect(
                    f"`{CONVERTER}` converted `{key}`, but wrote `{cut}` instead of "
                    f"`{wanted}`: the name was cut at its first dot (as `split('.')[0]` "
                    "does), and a file's name may hold dots of its own. Cut only the "
                    "extension: `os.path.splitext(name)[0]` or `name.removesuffix('.csv')`."
                ) from None
            replaced = {
                f"processed/{name.replace('.csv', ending)}.json" for ending in (".json", "")
            }
            if name.replace(".csv", "") != name and elsewhere and elsewhere[0] in replaced:
                raise Incorrect(
                    f"`{CONVERTER}` converted `{key}`, but wrote `{elsewhere[0]}` instead of "
                    f"`{wanted}`: `replace('.csv', ...)` changes every `.csv` in the key, and "
                    "this file's name holds one of its own. Cut only the extension at the end: "
                    "`name.removesuffix('.csv')` or `os.path.splitext(name)[0]`."
                ) from None
            encoded = f"processed/{quote_plus(name, safe='/')}.json"
            if elsewhere and elsewhere[0] == encoded:  # named after the key as S3 sent it
                raise Incorrect(
                    f"`{CONVERTER}` converted `{key}`, but wrote `{elsewhere[0]}` instead of "
                    f"`{wanted}`: S3 events carry the key URL-encoded (a space is `+`). Decode "
                    "it with `urllib.parse.unquote_plus` before you use it."
                ) from None
            if elsewhere:
                raise Incorrect(
                    f"`{CONVERTER}` converted `{key}`, but wrote `{elsewhere[0]}` instead of "
                    f"`{wanted}`: name the result after the file without its `.csv`."
                ) from None
            everywhere = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
            outside = [o["Key"] for o in everywhere if marker in o["Key"] and o["Key"] != key]
            if outside:  # e.g. next to the upload, under incoming/
                raise Incorrect(
                    f"`{CONVERTER}` converted `{key}`, but wrote `{outside[0]}`, outside "
                    f"`processed/`: write `{wanted}`."
                ) from None
            failed = event.errors[-1].rstrip(".") if event.errors else ""
            reason = f" It failed with {failed}." if failed else ""
            if what is Upload.EMPTY and not reads_a_missing_key(failed):
                raise Incorrect(
                    f"`{CONVERTER}` ran for `{key}`, a CSV with its header and no rows, but "
                    f"wrote no `{wanted}`.{reason} Its rows are an empty list: write "
                    "`processed/<name>.json` holding `[]` for it too, as for any other upload."
                ) from None
            if reads_a_missing_key(failed) or not failed:
                odd = next((c for c in key if c not in " +/" and quote_plus(c) != c), "")
                also = f", a `{odd}` as `{quote_plus(odd)}`" if odd else ""
                reason += (
                    f" S3 sends keys URL-encoded (a space arrives as `+`, a `+` as `%2B`{also}):"
                    " decode the key with `urllib.parse.unquote_plus` (not by hand) before "
                    "`get_object`, and name the result after the decoded key. (A key that "
                    "doesn't exist reads as NoSuchKey, or as AccessDenied for a role without "
                    "`s3:ListBucket`.)"
                )
            raise Incorrect(
                f"`{CONVERTER}` ran for `{key}` but wrote no `{wanted}`." + reason
            ) from None
        if event.errors:
            # Learner trial 10 (UD17): the result was written, then the handler failed (a
            # clean-up its role may not do). On AWS a failed asynchronous invocation is
            # retried twice, counts in the function's Errors metric, and whatever came after
            # the error never happens
            # (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
            failed = event.errors[-1].strip().rstrip(".")[:300]
            raise Incorrect(
                f"`{CONVERTER}` wrote `{wanted}` for `{key}`, but then its invocation failed "
                f"with {failed}. Lambda counts it as an error and runs the event again (twice "
                "more, on AWS), so every upload fails, and what your handler does after the "
                "error never happens. Make the handler finish without an error (its role may "
                "only read and write the objects of the bucket, as the task asks)."
            )
        try:
            written = json.loads(body)
        except ValueError:
            raise Incorrect(f"`{wanted}` is not JSON: {body[:80]!r}.") from None
        if written != tables[key] and _read_as_one_byte_encoding(written, tables[key]):
            raise Incorrect(
                f"`{wanted}` holds {written!r}: the CSV's UTF-8 bytes were read in a one-byte "
                "encoding (latin-1 or cp1252), which turns `ü` into `Ã¼`. Decode the object "
                "with `.decode('utf-8')` (S3 keeps bytes; the file is UTF-8)."
            )
        if written != tables[key] and what is Upload.EMPTY:
            raise Incorrect(
                f"`{wanted}` holds {written!r}; `{key}` has its header and no rows, so its "
                "rows are an empty JSON list, `[]` (`list(csv.DictReader(...))`)."
            )
        if written != tables[key] and written == _split_by_hand(texts[key]):
            quoted = next(v for row in tables[key] for v in row.values() if "," in v)
            raise Incorrect(
                f"`{wanted}` holds {written!r}: the value `{quoted}` has a comma in it, so the "
                f'CSV quotes it (`"{quoted}"`), and splitting each line at its commas cut it '
                f"in two. Read the rows with `csv.DictReader`, which understands quotes: "
                f"expected {tables[key]!r}."
            )
        if written != tables[key]:
            _require_cells_as_read(wanted, written, tables[key])
            raise Incorrect(
                f"`{wanted}` holds {written!r}; expected the rows of `{key}` as a list of "
                f"objects, {tables[key]!r} (`list(csv.DictReader(...))`)."
            )
    return (
        f"Only `.csv` files under `incoming/` run `{CONVERTER}`, S3 may invoke it for "
        f"`{BUCKET}` only, and each upload becomes `processed/<name>.json`. (The check's test "
        f"files stay in `{BUCKET}`.)"
    )


_CSV_SOLUTION = f'''
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam, s3, iam = boto3.client("lambda"), boto3.client("s3"), boto3.client("iam")
account = boto3.client("sts").get_caller_identity()["Account"]
s3.create_bucket(Bucket="csv-drop")  # returns the bucket if you own it already

# The handler reads uploads and writes results in csv-drop, nothing else.
role_arn = execution_role("csv-to-json-role")
# No leftovers from earlier attempts: only the logs policy execution_role attaches stays.
for name in iam.list_role_policies(RoleName="csv-to-json-role")["PolicyNames"]:
    iam.delete_role_policy(RoleName="csv-to-json-role", PolicyName=name)
for policy in iam.list_attached_role_policies(RoleName="csv-to-json-role")["AttachedPolicies"]:
    if policy["PolicyName"] != "AWSLambdaBasicExecutionRole":
        iam.detach_role_policy(RoleName="csv-to-json-role", PolicyArn=policy["PolicyArn"])
iam.put_role_policy(
    RoleName="csv-to-json-role",
    PolicyName="csv-drop-objects",
    PolicyDocument=json.dumps({{
        "Version": "2012-10-17",
        "Statement": [{{
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": "arn:aws:s3:::csv-drop/*",
        }}],
    }}),
)

source = """
{apps.source("nb03_csv_to_json")}"""
try:  # start afresh: a new function has an empty resource-based policy
    lam.delete_function(FunctionName="csv-to-json")
except lam.exceptions.ResourceNotFoundException:
    pass
arn = lam.create_function(
    FunctionName="csv-to-json",
    Runtime="python3.12",
    Role=role_arn,
    Handler="app.handler",
    Code={{"ZipFile": zip_bytes({{"app.py": source}})}},
)["FunctionArn"]
lam.get_waiter("function_active_v2").wait(FunctionName="csv-to-json")
# S3 may invoke the function, for this bucket and this account only.
lam.add_permission(
    FunctionName="csv-to-json",
    StatementId="s3-csv-drop",
    Action="lambda:InvokeFunction",
    Principal="s3.amazonaws.com",
    SourceArn="arn:aws:s3:::csv-drop",
    SourceAccount=account,
)
s3.put_bucket_notification_configuration(  # replaces the bucket's whole configuration
    Bucket="csv-drop",
    NotificationConfiguration={{
        "LambdaFunctionConfigurations": [
            {{
                "LambdaFunctionArn": arn,
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {{"Key": {{"FilterRules": [
                    {{"Name": "prefix", "Value": "incoming/"}},
                    {{"Name": "suffix", "Value": ".csv"}},
                ]}}}},
            }}
        ]
    }},
)
'''

notebook_03 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Wire the queue `orders` to the function `order-worker` (BatchSize 5, partial batch "
            "responses) so that a message whose body is exactly `bad` ends in the dead-letter "
            "queue `orders-dlq` after 2 or 3 receives, and every other message is processed "
            "and deleted. `orders` has a VisibilityTimeout of 1 or 2 seconds, and "
            "`order-worker` a Timeout no longer than that, and a role that may poll `orders`."
        ),
        checker=_check_sqs_worker,
        hint_text=(
            "Three parts: the queues (the redrive policy is a JSON string naming the DLQ's "
            "ARN), a worker that never raises but returns a partial batch response naming the "
            "records it could not process (and only those: compare the body with `bad`, "
            "nothing else), and a mapping that is told to read that response "
            "(`FunctionResponseTypes`). Section 2 has every call."
        ),
        solution_code=_ORDERS_SOLUTION,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "Make every `.csv` file uploaded under `incoming/` in the bucket `csv-drop` run "
            "`csv-to-json`, which writes `processed/<name>.json` holding the CSV's rows as a "
            "JSON list of objects. No other upload may run it. S3 may invoke the function for "
            "`csv-drop` only (`add_permission`), and its role may only read and write the "
            "objects of `csv-drop`."
        ),
        checker=_check_s3_csv,
        hint_text=(
            "Four parts, as in section 1.3: a role whose inline policy names the bucket's "
            "objects, a handler that decodes the key S3 sends before using it, the permission "
            "that lets S3 invoke the function for this bucket (`SourceArn`), and a notification "
            "for every kind of upload (a copy or a multipart upload is one too) whose filter has "
            "both a prefix and a suffix rule."
        ),
        solution_code=_CSV_SOLUTION,
    ),
)
