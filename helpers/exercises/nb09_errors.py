"""Notebook 09's exercises: errors, retries and idempotency."""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import random
import re
import socket
import time
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from .core import Exercise, Incorrect
from .harness import (
    Invocation,
    Statement,
    check_id,
    client,
    excess_rights,
    function_config,
    invoke,
    kit,
    matches,
    reaching_lambda,
    role_allows,
    role_name_of,
    role_statements,
    short_retry_waits,
    throttled_for,
    wait_async_done,
    wait_until,
)
from .nb08b_limits_of_storage_and_scale import (
    ClientSetup,
    proxies_as_on_aws,
    refuse_unworkable,
    refused_call,
)

# ------------------------------------------------------------------ q1: an idempotent payment
FUNCTION = "pay"
TABLE = "payments"
PAY_HEADER = "Idempotency-Key"
# An attribute the check adds to the first charge's item: a repeat must leave that item alone.
# A PutItem "replaces an existing item" with the same key unless its ConditionExpression fails,
# and then writes nothing (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html).
MARK = "check_mark"


def _table_arn() -> str:
    dynamodb = client("dynamodb")
    try:
        return dynamodb.describe_table(TableName=TABLE)["Table"]["TableArn"]
    except dynamodb.exceptions.ResourceNotFoundException:
        raise Incorrect(
            f"there is no DynamoDB table named `{TABLE}` yet (`create_table`, partition key "
            "`pk`, a string)."
        ) from None


def _key_names() -> list[str]:
    schema = client("dynamodb").describe_table(TableName=TABLE)["Table"]["KeySchema"]
    return [k["AttributeName"] for k in schema]


def _items() -> dict[str, dict[str, Any]]:
    """Every item of the table, by its key (as JSON), as DynamoDB returns it."""
    names = _key_names()
    pages = client("dynamodb").get_paginator("scan").paginate(TableName=TABLE)
    return {
        json.dumps({n: item.get(n) for n in names}, sort_keys=True): item
        for page in pages
        for item in page["Items"]
    }


def _refused_new_key(run: Invocation) -> bool:
    """Whether a failed first payment shows DynamoDB's condition refusing a key never seen:
    ConditionalCheckFailedException itself, or the KeyError of reading `err.response['Item']`,
    which a refused write of a new key doesn't carry (there is no old item)."""
    said = " ".join([run.error, *run.log_lines])
    return "ConditionalCheckFailed" in said or "KeyError: 'Item'" in said


def _null_charge_id(how: str, answer: Any, stored: dict[str, Any] | None, first_id: Any) -> str:
    """What a repeat answered with an empty charge_id tells: the id was not on the item."""
    said = f"`{FUNCTION}` answered the payment sent {how} with {answer!r}: its charge_id is empty."
    holds = stored is not None and any(
        value == {"S": first_id} for value in stored.values() if isinstance(value, dict)
    )
    if stored is not None and not holds:
        shown = ", ".join(f"`{name}`" for name in sorted(stored) if name != MARK)
        return (
            f"{said} A repeat must answer with the first charge's id (`{first_id}`), but the "
            f"item the first copy put in `{TABLE}` doesn't hold it (it has {shown}): "
            "`ReturnValuesOnConditionCheckFailure='ALL_OLD'` gives back the item as it was "
            "stored, so store the charge_id in it (`'charge_id': {'S': ...}` in the put's "
            "`Item`)."
        )
    return (
        f"{said} A repeat must answer with the first charge's id (`{first_id}`): read it from "
        "the stored item, `err.response['Item']['charge_id']['S']` (with "
        "`ReturnValuesOnConditionCheckFailure='ALL_OLD'` on the put)."
    )


def _pay(
    key: str,
    amount: int,
    how: str,
    *,
    first: bool = False,
    first_charge: tuple[Any, dict[str, Any] | None] | None = None,
) -> Any:
    """POST a payment to `pay` as an HTTP API would, with the key header; its charge_id.
    `first_charge`, for a repeat: the first copy's charge_id and the item it stored."""
    from .. import events

    event = events.load(
        "apigw_http",
        method="POST",
        path="/payments",
        body={"amount": amount},
        headers={PAY_HEADER: key},
    )
    # API Gateway gives every request, a client's retry included, its own request id.
    event["requestContext"]["requestId"] = check_id("apigw")
    run = invoke(FUNCTION, event)
    if run.failed and first:
        flipped = (
            " DynamoDB's condition refused the first write: it is the wrong way round. "
            "`attribute_exists(pk)` lets a put through only when the item is there already, "
            "so it refuses every new payment (and there is no old item to read); "
            "`attribute_not_exists(pk)` writes the first copy and refuses the repeats."
            if _refused_new_key(run)
            else _partiql_note(run.error)
            or (
                " A new payment must be charged: its `put_item` must go through."
                + (_put_refused_note() if "AccessDenied" in run.error else "")
            )
        )
        raise Incorrect(
            f"`{FUNCTION}` failed with the payment sent {how}, with a key never seen before: "
            f"{run.error}.{flipped}"
        )
    if run.failed:
        said = " ".join([run.error, *run.log_lines])
        source = _deployed_source() if "KeyError: 'Item'" in said else ""
        if re.search(r"\bExpected\s*=", source) and "ReturnValuesOnConditionCheckFailure" in source:
            # Learner trial 11 (DD9): the legacy `Expected` parameter ("This is a legacy
            # parameter. Use ConditionExpression instead", PutItem,
            # https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html)
            # with ReturnValuesOnConditionCheckFailure: the kit's DynamoDB (moto) sends back no
            # item for a refused legacy condition, only for a ConditionExpression.
            advice = (
                " `pay` puts with the legacy `Expected` parameter: the kit's local DynamoDB "
                "sends back the stored item (`ReturnValuesOnConditionCheckFailure='ALL_OLD'`) "
                "only for a put refused by a `ConditionExpression`, not by `Expected` (a kit "
                "limit). AWS calls `Expected` a legacy parameter, to be replaced by "
                "`ConditionExpression`: write the condition as "
                "`ConditionExpression='attribute_not_exists(pk)'`."
            )
        elif "KeyError: 'Item'" in said:
            # PutItem: ReturnValues=ALL_OLD returns the item a put *overwrote*; the item that
            # made the condition fail comes back only with ReturnValuesOnConditionCheckFailure
            # (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html).
            advice = (
                " The refused put's error has no `'Item'`: DynamoDB sends back the item already "
                "stored only when the put asks for it with "
                "`ReturnValuesOnConditionCheckFailure='ALL_OLD'`. (`ReturnValues='ALL_OLD'` is "
                "for a put that goes through: it returns the item that put replaced.)"
            )
        elif "AccessDenied" in said:
            advice = _put_refused_note() or (
                " The role may only `dynamodb:PutItem`: use "
                "`ReturnValuesOnConditionCheckFailure='ALL_OLD'` to read the item already there."
            )
        else:
            advice = ""
        raise Incorrect(
            f"`{FUNCTION}` failed with the payment sent {how}: {run.error}. A repeated payment "
            "must succeed (and answer with the first charge), or the caller would think it "
            f"failed.{advice}"
        )
    answer = run.payload
    status = answer.get("statusCode") if isinstance(answer, dict) else None
    try:
        body = json.loads(answer["body"])
        charge_id = body["charge_id"]
    except (TypeError, KeyError, ValueError):
        body, charge_id = None, None
    if (
        first_charge is not None
        and isinstance(status, int)
        and 200 <= status < 300
        and isinstance(body, dict)
        and "charge_id" in body
        and not charge_id
    ):
        raise Incorrect(_null_charge_id(how, answer, first_charge[1], first_charge[0]))
    if not isinstance(status, int) or not 200 <= status < 300 or not charge_id:
        raise Incorrect(
            f"`{FUNCTION}` answered the payment sent {how} with {answer!r}. It should answer "
            "with a 2xx `statusCode` and `'body': json.dumps({'charge_id': ...})`, a repeat "
            "included (with the first charge's id)."
        )
    return charge_id


@contextlib.contextmanager
def _fresh_environments() -> Iterator[None]:
    """While inside, `pay` runs in new execution environments: nothing its earlier runs kept
    in memory is there.

    Updating a function's configuration makes Lambda provision new instances of it ("When you
    update a function, Lambda provisions an instance of the function and its supporting
    resources", https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html);
    the kit, likewise, starts fresh environments after any update. The check changes only the
    Description, and sets it back afterwards. As deterministic as it is real: the copies that
    run at the same time as another (an impatient client's retry) or after a cold start find
    the same empty memory.

    On AWS each execution environment is a process of its own, with its own salt for `hash()`
    of a str (Lambda sets no PYTHONHASHSEED); the kit forks its environments from one prepared
    interpreter, which all share its salt. These start as new interpreters instead
    (`own_processes`), so that a charge keyed on `hash(key)` is charged again, as on AWS.
    """
    lam = client("lambda")
    description = function_config(FUNCTION).get("Description", "")
    marked = f"{description} [{check_id('fresh')}]".strip()[:256]
    with kit().own_processes(FUNCTION):
        lam.update_function_configuration(FunctionName=FUNCTION, Description=marked)
        lam.get_waiter("function_updated_v2").wait(FunctionName=FUNCTION)
        try:
            yield
        finally:
            lam.update_function_configuration(FunctionName=FUNCTION, Description=description)
            lam.get_waiter("function_updated_v2").wait(FunctionName=FUNCTION)


def _same(charge_ids: list[Any]) -> bool:
    return len({json.dumps(c, sort_keys=True, default=str) for c in charge_ids}) == 1


def _pay_session() -> Any:
    """The role session of `pay`'s own calls, as the runtime gives it."""
    from ..access.sessions import Session

    aws = kit()
    role_arn = function_config(FUNCTION)["Role"]
    return Session(aws.account_id, role_arn, FUNCTION, function_region=aws.region)


def _pay_may(action: str, resource: str) -> bool:
    """Whether the kit's IAM lets `pay`'s own calls do `action` on `resource`: the role's
    policies as the runtime reads them (conditions on `aws:PrincipalArn`, `aws:userid`,
    `lambda:SourceFunctionArn` ... included)."""
    from ..access.policies import Check, decide

    service = action.partition(":")[0]
    return decide(_pay_session(), [Check(action, resource)], service, kit().region) is None


def _condition_keys(statement: Statement) -> list[str]:
    return [
        str(key)
        for pairs in (statement.condition or {}).values()
        if isinstance(pairs, dict)
        for key in pairs
    ]


def _narrowed_puts(statements: list[Statement], table_arn: str) -> list[Statement]:
    """The Allow statements that would allow PutItem on the table but for their Condition."""
    return [
        s
        for s in statements
        if s.allows
        and s.condition
        and role_allows([replace(s, condition=None)], "dynamodb:PutItem", table_arn)
    ]


def _per_item_keys(statements: list[Statement]) -> list[str]:
    """The condition keys of these statements that only a request sets, from its item
    (dynamodb:LeadingKeys, the partition key's value): not the role session's global keys."""
    from ..access.policies import request_context

    known = {k.lower() for k in request_context(_pay_session(), kit().region)}
    return list(
        dict.fromkeys(
            k
            for s in statements
            for k in _condition_keys(s)
            if k.lower() not in known and not k.lower().startswith("aws:")
        )
    )


def _partiql_note(error: str) -> str:
    """Learner trial 10 (XD1): a write through PartiQL (`execute_statement`) that IAM refused:
    it is authorised as dynamodb:PartiQLInsert (or Update), not PutItem ("To insert items
    using PartiQL for DynamoDB, you must have dynamodb:PartiQLInsert permission",
    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-iam.html)."""
    found = re.search(r"perform: (dynamodb:PartiQL\w+)", error) if "AccessDenied" in error else None
    if not found:
        return ""
    return (
        f" `{FUNCTION}` writes with PartiQL (`execute_statement`), which IAM authorises as "
        f"`{found[1]}`, not `dynamodb:PutItem`; the task's role may only `dynamodb:PutItem` on "
        f"`{TABLE}`. Write with a conditional `put_item` "
        "(`ConditionExpression='attribute_not_exists(pk)'`)."
    )


def _put_refused_note() -> str:
    """After an AccessDenied on a put: the Condition of the role's PutItem statement, named."""
    with contextlib.suppress(Exception):  # a role gone meanwhile: say nothing more
        narrowed = _narrowed_puts(role_statements(role_name_of(FUNCTION)), _table_arn())
        keys = _per_item_keys(narrowed)
        if keys:
            shown = ", ".join(f"`{k}`" for k in keys)
            return (
                f" The role allows `dynamodb:PutItem` on `{TABLE}` only under a Condition on "
                f"{shown} (in {narrowed[0].source or 'a policy'}), and it doesn't hold for the "
                f"item `{FUNCTION}` puts: "
                + " ".join(_item_key_meaning(k, narrowed) for k in keys)
                + " Make the Condition match what it writes, or remove it."
            )
    return ""


def _condition_values(statements: list[Statement], key: str) -> list[str]:
    """The values the Conditions of these statements give this key, in order."""
    found: list[str] = []
    for statement in statements:
        for pairs in (statement.condition or {}).values():
            for name, values in (pairs if isinstance(pairs, dict) else {}).items():
                if str(name).lower() == key.lower():
                    listed = values if isinstance(values, list) else [values]
                    found.extend(str(v) for v in listed if str(v) not in found)
    return found


def _item_key_meaning(key: str, statements: list[Statement]) -> str:
    """What a condition key that a put sets from its item holds, for the learner (DynamoDB's
    condition keys: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html,
    transactions: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html)."""
    listed = ", ".join(f"`{v}`" for v in _condition_values(statements, key))
    name = key.lower()
    if name == "dynamodb:attributes":  # Learner trial 10 (XD12)
        return (
            "`dynamodb:Attributes` holds the name of every attribute the put writes, and "
            f"with `ForAllValues:` each of them must be among {listed or 'the listed ones'}: "
            "any other attribute in the item refuses the put."
        )
    if name == "dynamodb:enclosingoperation":  # Learner trial 10 (XD15)
        return (
            "`dynamodb:EnclosingOperation` is set only on a put inside a transaction "
            "(`TransactWriteItems`, the operation that encloses it), and a plain `put_item` has "
            f"none; the Condition names {listed or 'other operations'}."
        )
    if name == "dynamodb:leadingkeys":
        return (
            "`dynamodb:LeadingKeys` is the value of the partition key of the item a put "
            f"writes; the Condition allows {listed or 'other values'}."
        )
    return f"`{key}` is set by each request from what it writes."


def _case_note(statements: list[Statement], table_arn: str) -> str:
    """Learner trial 11 (DW9): a PutItem statement whose resource names the table in other
    capitals. ARNs are case-sensitive, and so are table names ("All names must be encoded
    using UTF-8, and are case-sensitive", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html)."""
    for statement in statements:
        if not statement.allows or not role_allows(
            [replace(statement, resources=("*",), condition=None)], "dynamodb:PutItem", "*"
        ):
            continue
        for resource in statement.resources or ():
            if resource != table_arn and matches([resource], table_arn, fold=True):
                return (
                    f" Its statement names `{resource}`"
                    + (f" (in {statement.source})" if statement.source else "")
                    + f": ARNs and table names are case-sensitive, so that is not `{TABLE}`. "
                    f"Write the table's ARN as `describe_table` gives it: `{table_arn}`."
                )
    return ""


def _managed_excess(
    statements: list[Statement], needed: list[tuple[str, str]]
) -> dict[str, tuple[str, list[str]]]:
    """By name, each managed policy attached to `pay`'s role that allows more than `needed`:
    its ARN (for `detach_role_policy`) and what it allows beyond (`excess_rights` of its own
    statements, the log actions aside)."""
    iam = client("iam")
    role = role_name_of(FUNCTION)
    try:
        attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    except iam.exceptions.NoSuchEntityException:
        return {}
    found = {}
    for policy in attached:
        name = policy["PolicyName"]
        own = [st for st in statements if st.source == f"managed policy `{name}`"]
        if items := excess_rights(own, needed):
            found[name] = (policy["PolicyArn"], items)
    return found


def _check_rights(table_arn: str) -> None:
    """The task's role: PutItem on `payments`, nothing more (logs aside)."""
    statements = role_statements(role_name_of(FUNCTION))
    narrowed = _narrowed_puts(statements, table_arn)
    # A Condition on a key each put sets from its item (dynamodb:LeadingKeys) can't be read
    # before a put: the payments decide, and a refusal is named there (_put_refused_note).
    if not _pay_may("dynamodb:PutItem", table_arn) and not _per_item_keys(narrowed):
        if narrowed:
            first = narrowed[0]
            keys = _condition_keys(first)
            raise Incorrect(
                f"the role of `{FUNCTION}` allows `dynamodb:PutItem` on `{TABLE}` only under a "
                f"Condition on {', '.join(f'`{k}`' for k in keys)} (in "
                f"{first.source or 'a policy'}), and it doesn't hold for the calls "
                f"`{FUNCTION}` makes, so the statement doesn't apply: it could not record a "
                "charge."
                + (
                    # aws:SourceIp is the caller's public address: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
                    " `aws:SourceIp` is the public address a call comes from, and a function's "
                    "calls come from Lambda's own network, not from the range your Condition names."
                    if any(k.lower() == "aws:sourceip" for k in keys)
                    else ""
                )
                + f" Remove the Condition: the task needs `dynamodb:PutItem` on `{TABLE}`, "
                "nothing more."
            )
        # Learner trial 12 (JD8): the role's policies allow it, and its permissions boundary
        # (or a Deny) refuses it: named, with what to do (nb11b's shared helper).
        from .nb11b_secrets_releases_and_roles import refusal_cause

        role = role_name_of(FUNCTION)
        raise Incorrect(
            f"the role of `{FUNCTION}` may not `dynamodb:PutItem` on `{TABLE}`: it could not "
            "record a charge."
            + (
                refusal_cause(_pay_session(), role, "dynamodb:PutItem", table_arn)
                or _case_note(statements, table_arn)
            )
        )
    needed = [("dynamodb:PutItem", table_arn)]
    excess = excess_rights(statements, needed)
    if excess and (managed := _managed_excess(statements, needed)):
        # Learner trial 13 (OW2): a managed policy attached (AmazonDynamoDBFullAccess) made a
        # ❌ of some 50 actions, one by one, that never said "detach it".
        role = role_name_of(FUNCTION)
        said = "; ".join(
            f"`{name}` allows {len(items)} thing(s) the task doesn't need, such as "
            + ", ".join(items[:3])
            for name, (_, items) in managed.items()
        )
        detach = " and ".join(
            f"`iam.detach_role_policy(RoleName='{role}', PolicyArn='{arn}')`"
            for arn, _ in managed.values()
        )
        others = [item for item in excess if "(in managed policy `" not in item]
        rest = f" Besides: {'; '.join(others)}." if others else ""
        raise Incorrect(
            f"the role of `{FUNCTION}` has the managed policy "
            f"{' and '.join(f'`{name}`' for name in managed)} attached: {said}. Detach it "
            f"({detach}) and give the role an inline policy that allows only "
            f"`dynamodb:PutItem` on `{TABLE}` ({table_arn}).{rest}"
        )
    if excess:
        raise Incorrect(
            f"the role of `{FUNCTION}` may do more than the task allows: {'; '.join(excess)}. "
            "Its role may only `dynamodb:PutItem` on `payments`: a conditional put is all that "
            "idempotency needs (reading first, then writing, is a race between two copies)."
        )


# An attribute whose name says it is an expiry (expires_at, ttl, valid_until ...).
_EXPIRY_NAME = re.compile(r"exp|ttl|until|valid|window|deadline", re.IGNORECASE)
# How much later than the first copy a repeat may come: a caller retries after its call timed
# out, and a function may run up to 15 minutes (LIMITS' timeout_s_max, Lambda's quotas).
LATE_S = 900


def _times(item: dict[str, Any], sent: float) -> list[tuple[str, str, int]]:
    """(name, value, 1 or 1000) of each number in an item that reads as a time near the
    payment's, in seconds or milliseconds since the epoch (from a minute before it to a year
    after: a creation time, an expiry), its key attributes aside."""
    found = []
    keys = set(_key_names())
    for name, value in item.items():
        if name in keys or not isinstance(value, dict) or "N" not in value:
            continue
        try:
            number = float(value["N"])
        except (TypeError, ValueError):
            continue
        for scale in (1, 1000):
            if sent - 60 <= number / scale <= sent + 366 * 86400:
                found.append((name, value["N"], scale))
                break
    return found


def _moved_back(value: str, scale: int) -> str:
    number = float(value) - LATE_S * scale
    return str(int(number)) if number.is_integer() and "." not in value else repr(number)


def _expiry(item: dict[str, Any], sent: float, written: float, later: float) -> Any:
    """(name, value, seconds after the payment was sent) of a time in the first charge's item
    that came after its write but before a later copy did (an idempotency window that had
    passed by then); else None."""
    for name, value, scale in _times(item, sent):
        seconds = float(value) / scale
        future = seconds > written or _EXPIRY_NAME.search(name)
        if sent < seconds <= later + 1 and future:
            return name, value, seconds - sent
    return None


_WINDOW = (
    "An idempotency window must outlast every retry a client makes: hours or days (a TTL can "
    "delete old items), or no time in the condition at all, "
    "`ConditionExpression='attribute_not_exists(pk)'`."
)


# Buckets a learner may cut time into (a minute ... a week), in seconds: a key that holds
# `int(time.time() // 3600)` holds the hour's number.
_BUCKETS_S = (60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800)
_DATE_FORMATS = (
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H",
    "%Y-%m-%d %H",
    "%Y-%m-%d-%H",
    "%Y%m%d%H",
    "%Y-%m-%d",
    "%Y%m%d",
    "%Y/%m/%d",
    "%d-%m-%Y",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%Y-W%W",
    "%Y-%m",
)


def _time_in_key(item_key: str, key: str, sent: float, written: float) -> str | None:
    """Learner trial 12 (JD2): the part of an item's key, other than the payment's own key,
    that is the time the payment came (its day, its hour, a bucket of epoch seconds), as the
    learner's code may have written it; None if there is none."""
    from datetime import UTC, datetime

    text = " ".join(str(v) for v in json.loads(_key_json(item_key))).replace(key, " ")
    for moment in (sent, written):
        for zone in (UTC, None):  # UTC, or the machine's local time
            when = datetime.fromtimestamp(moment, zone)
            for form in _DATE_FORMATS:
                shown = when.strftime(form)
                if shown in text:
                    return shown
    for number in re.findall(r"\d+", text):
        value = int(number)
        for size in _BUCKETS_S:
            if value in (int(sent // size), int(written // size)) and value > 1000:
                return number
    return None


def _key_json(item_key: str) -> str:
    """An item's key values, as a JSON list of their plain values."""
    return json.dumps(
        [
            next(iter(value.values())) if isinstance(value, dict) and len(value) == 1 else value
            for value in json.loads(item_key).values()
        ]
    )


def _shown_key(item_key: str) -> str:
    """An item's key as a learner wrote it: its key attributes' values, without their types."""
    values = [
        next(iter(value.values())) if isinstance(value, dict) and len(value) == 1 else value
        for value in json.loads(item_key).values()
    ]
    return ", ".join(str(v) for v in values)


def _sort_key_note(made: int, sent: int, new_keys: list[str]) -> str:
    """Learner trial 10 (XW2): repeats charged again in a table with a sort key. An item's
    primary key is its partition and sort key together, and a condition expression sees only
    the item with the same full key ("the condition expression ... is evaluated against the
    item with that primary key", PutItem's ConditionExpression,
    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html): a sort
    key that changes per request makes each copy an item of its own."""
    if made <= 1:
        return ""
    with contextlib.suppress(Exception):
        schema = client("dynamodb").describe_table(TableName=TABLE)["Table"]["KeySchema"]
        names = {k["KeyType"]: k["AttributeName"] for k in schema}
        partitions = {json.dumps(json.loads(k).get(names.get("HASH"))) for k in new_keys}
        if "RANGE" in names and len(partitions) == 1:  # one partition key: the sort key differs
            return (
                f"`{FUNCTION}` recorded {made} charges for one payment sent {sent} times with "
                f"the same `{PAY_HEADER}` header. The table `{TABLE}` has a sort key, "
                f"`{names['RANGE']}`: an item's key is `{names['HASH']}` and `{names['RANGE']}` "
                f"together, and `attribute_not_exists({names['HASH']})` looks only at the item "
                "with the same full key. A sort key that changes per request (a request id) "
                "makes each copy a new item, so the condition never sees the first. Give the "
                "sort key a value the copies share (from the header), or use a table keyed on "
                f"`{names['HASH']}` alone."
            )
    return ""


def _deployed_source() -> str:
    """The Python files of `pay`'s deployed code, joined ("" if unreadable)."""
    from .deployed_code import function_zip

    source = ""
    with (
        contextlib.suppress(Exception),  # unreadable code: say nothing more
        zipfile.ZipFile(io.BytesIO(function_zip(FUNCTION))) as archive,
    ):
        source = "\n".join(
            archive.read(n).decode("utf-8", "replace")
            for n in archive.namelist()
            if n.endswith(".py")
        )
    return source


def _header_case_note(after: dict[str, Any], before: dict[str, Any], key: str) -> str:
    """When no new item's key holds the header's value and the deployed code names the header
    in the client's capitals: an HTTP API's event gives every header name in lower case
    ("Payload format structure", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html),
    so `.get('Idempotency-Key')` finds nothing and a fallback is taken."""
    if any(key in k for k in after if k not in before):
        return ""
    source = _deployed_source()
    if not re.search(r"""["']Idempotency-Key["']""", source):
        return ""
    return (
        f" No item's key holds the header's value (`{key}`), and `{FUNCTION}` reads the header "
        "as `'Idempotency-Key'`: an HTTP API gives header names in lower case, so that finds "
        "nothing (`.get` returns None). Read `event['headers']['idempotency-key']`."
    )


def _no_new_item(key: str, answered: Any, before: dict[str, Any], after: dict[str, Any]) -> str:
    """Why a payment with a key never seen before left no new item: it replaced an item
    already there, or was answered from one (its key collides with an older charge's, e.g.
    a key cut short: learner trial 11, DD1), or nothing was put at all."""
    replaced = [k for k, item in after.items() if k in before and before[k] != item]
    found = [
        k
        for k, item in before.items()
        if k in after and any(v == {"S": answered} for v in item.values() if isinstance(v, dict))
    ]
    collided = replaced or found
    if not collided:
        return (
            f"`{FUNCTION}` answered, but the table `{TABLE}` gained no item: record each new "
            "charge there with `put_item`."
        )
    shown = _shown_key(collided[0])
    did = (
        "replaced the item under that key (a put without a condition overwrites it: the older "
        "charge is lost)"
        if replaced
        else "was refused by the condition (the item was there) and answered with that older "
        "charge's id"
    )
    whole = (
        f" That key doesn't hold the header's whole value (`{key}`), so different payments "
        "share it."
        if key not in shown
        else ""
    )
    return (
        f"`{FUNCTION}` answered the payment sent the first time, with an `{PAY_HEADER}` never "
        f"seen before (`{key}`), but the table `{TABLE}` gained no item: its `put_item` used "
        f"the key `{shown}`, which an earlier payment had used already, and {did}.{whole} Key "
        f"each charge on the whole header value (`'charge#' + key`), so that every new key "
        "makes an item of its own."
    )


def _charges_made(before: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    after = _items()
    return len([k for k in after if k not in before]), after


def _check_pay() -> str:
    function_config(FUNCTION)  # names an empty local AWS (a kernel restart) itself
    table_arn = _table_arn()
    _check_rights(table_arn)
    dynamodb = client("dynamodb")
    key, amount = check_id("payment"), random.randint(10, 990)  # unknown to any answer

    before = _items()
    sent = time.time()  # the handler's clock: real time
    first = _pay(key, amount, "the first time", first=True)
    written = time.time()
    now = _items()
    gained = {k: item for k, item in now.items() if k not in before}
    if not gained:
        raise Incorrect(_no_new_item(key, first, before, now))
    if len(gained) > 1:
        raise Incorrect(
            f"`{FUNCTION}` put {len(gained)} items in `{TABLE}` for a single payment: one "
            "charge is one item."
        )
    (item_key,) = gained
    keys = json.loads(item_key)
    dynamodb.update_item(
        TableName=TABLE,
        Key=keys,
        UpdateExpression="SET #m = :m",
        ExpressionAttributeNames={"#m": MARK},
        ExpressionAttributeValues={":m": {"S": key}},
    )
    stored_first = gained[item_key]  # as the first copy stored it, before the check's mark

    def marked() -> bool:
        item = _items().get(item_key)
        return item is not None and item.get(MARK) == {"S": key}

    def repeat(amount_sent: int, how: str) -> Any:
        return _pay(key, amount_sent, how, first_charge=(first, stored_first))

    # A repeat in the environment that is still warm from the first copy...
    def added() -> list[str]:
        return [k for k in _items() if k not in before and k != item_key]

    repeats = [repeat(amount, "the second time")]
    warm_rewrote = not marked()
    warm_added = added()
    # ...then copies in new execution environments, where memory is empty. A copy whose body
    # differs (a client that rebuilt its request): the key alone says it is the same payment,
    # so a charge keyed on the key and the amount would be taken again.
    with _fresh_environments():
        repeats.append(repeat(amount, "the third time, in a new execution environment"))
        fresh_at = time.time()
        fresh_rewrote = not marked()
        fresh_added = added()
        changed = amount + random.randint(1, 9)
        repeats.append(repeat(changed, "a fourth time, its amount changed"))
    made, after = _charges_made(before)
    ids = [first, *repeats]
    extra = [k for k in after if k not in before and k != item_key]
    if made > 1 and _same(ids) and after.get(item_key, {}).get(MARK) == {"S": key}:
        # The first charge is intact and every copy got its id: the items the repeats added
        # are not charges keyed per request but writes of their own (an audit trail, say).
        shown = ", ".join(f"`{_shown_key(k)}`" for k in extra[:3])
        raise Incorrect(
            f"`{FUNCTION}` kept the first charge and answered every copy with its charge_id, "
            f"but the repeats also put items of their own in `{TABLE}` ({shown}): the table "
            f"gained {made} items for one payment sent {1 + len(repeats)} times. `{TABLE}` "
            "holds one item per charge, and a repeat must leave it as it was: drop the "
            "`put_item` a repeat makes besides the conditional one. To see the repeats, print "
            "a line (it goes to the function's log), and keep any audit trail out of "
            f"`{TABLE}`."
        )
    if made > 1 and not warm_added and fresh_added:
        # The same copy charged again only in a new environment: a key made per process.
        raise Incorrect(
            f"`{FUNCTION}` took the repeat sent to the warm execution environment for the same "
            "payment, but charged the copy sent to a new execution environment again, under "
            f"another key (`{_shown_key(fresh_added[0])}`): the table `{TABLE}` gained {made} "
            "items. The key depends on the execution environment, not on the header alone. "
            "Python's `hash()` of a string changes from one process to the next (each "
            "execution environment is a process of its own, with its own hash salt), and so "
            "does anything random or made at Init. Key the charge on the header itself "
            "(`'charge#' + key`)."
        )
    sort_key = _sort_key_note(made, 1 + len(repeats), [k for k in after if k not in before])
    if sort_key:
        raise Incorrect(sort_key)
    if made > 1:
        raise Incorrect(
            f"`{FUNCTION}` recorded {made} charges for one payment sent {1 + len(repeats)} "
            f"times with the same `{PAY_HEADER}` header (the table `{TABLE}` gained {made} "
            "items): every retry charges the customer again. Key the charge on the header "
            "(`'charge#' + key`, say), not on anything that changes per request (the Lambda or API "
            "Gateway request id), and put it with `ConditionExpression='attribute_not_exists(pk)'`."
            + _header_case_note(after, before, key)
        )
    stored = after.get(item_key)
    if stored is None or stored.get(MARK) != {"S": key}:
        if not warm_rewrote and not fresh_rewrote:
            # Only the copy whose amount had changed got a write through.
            raise Incorrect(
                f"the repeats of the payment with the same amount left the first charge's item "
                f"in `{TABLE}` alone, but the repeat whose amount had changed ({amount} became "
                f"{changed}: a client that rebuilt its request) replaced it (the check had "
                f"added an attribute `{MARK}` to the item, and it was gone). A repeat is the "
                f"same payment, whatever its body: the `{PAY_HEADER}` says so. It must write "
                "nothing (no second `put_item` to bring the record up to date, no condition "
                "that lets a different amount through) and answer with the charge_id already "
                "stored."
            )
        expiry = _expiry(stored_first, sent, written, fresh_at)
        if not warm_rewrote and expiry:
            name, value, after_s = expiry
            raise Incorrect(
                f"a repeat of the payment sent at once left the first charge alone, but the copy "
                f"sent a few seconds later rewrote its item in `{TABLE}` (the check had added an "
                f"attribute `{MARK}` to it, and it was gone): it charged again. The first "
                f"charge's item holds `{name}` = {value}, about {max(round(after_s), 1)} s after "
                "the payment was sent: a condition that lets a repeat through once that time has "
                "passed (`attribute_not_exists(pk) OR expires_at < :now`) let this copy through. "
                + _WINDOW
            )
        if not warm_rewrote:
            raise Incorrect(
                f"a repeat of the payment sent to the warm execution environment left the first "
                f"charge alone, but the copy sent to a new execution environment rewrote its "
                f"item in `{TABLE}` (the check had added an attribute `{MARK}` to it, and it "
                "was gone): it charged again. Does `pay` remember the keys it has seen in "
                "memory (a module-level variable)? Memory is per execution environment: a copy "
                "that runs at the same time as another (an impatient client's retry) or after a "
                "cold start finds it empty. The condition must be in DynamoDB, which every "
                "environment shares: `ConditionExpression='attribute_not_exists(pk)'` on the "
                "put, and answer a repeat from `ConditionalCheckFailedException`."
            )
        raise Incorrect(
            f"the repeats of the payment rewrote the first charge's item in `{TABLE}`: the "
            f"check had added an attribute `{MARK}` to it after the first copy, and it was gone "
            "after the repeats. A `put_item` that a repeat gets through (one without a "
            "condition, or with a condition a repeat meets too, such as `attribute_not_exists` "
            "`OR` another test) replaces the whole item, so each copy charges again and erases "
            "what the first one recorded. Make the write conditional on the key alone, "
            "`ConditionExpression='attribute_not_exists(pk)'`, and answer a repeat from "
            "`ConditionalCheckFailedException`."
        )
    if not _same(ids):
        typed = any(isinstance(c, dict) and len(c) == 1 and "S" in c for c in ids)
        raise Incorrect(
            f"`{FUNCTION}` recorded one charge, but answered the {len(ids)} copies with "
            f"{len({json.dumps(c, sort_keys=True, default=str) for c in ids})} different charge "
            f"ids: {', '.join(repr(c) for c in ids)}. A caller retrying after a timeout must "
            "get the first charge's id, exactly. "
            + (
                "`{'S': ...}` is how DynamoDB's client writes a string attribute: the id is in "
                "its `['S']` (`err.response['Item']['charge_id']['S']`)."
                if typed
                else "Catch `ConditionalCheckFailedException` and answer with the stored "
                "charge_id (`err.response['Item']` holds it, with "
                "`ReturnValuesOnConditionCheckFailure='ALL_OLD'`)."
            )
        )
    # Learner trial 12 (JD2): a key that holds the time (`charge#<key>#<day>`): the repeats
    # above came within the same day or hour, but one that comes after midnight (a client's
    # retry after a timeout, Lambda's asynchronous retries, up to 6 hours,
    # https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html, an SQS
    # redelivery) gets a new key and a new charge. Read in the key, as no clock is moved.
    bucket = _time_in_key(item_key, key, sent, written)
    if bucket:
        raise Incorrect(
            f"`{FUNCTION}` keys the charge on the header and on the time: the first charge's "
            f"item in `{TABLE}` has the key `{_shown_key(item_key)}`, and `{bucket}` in it "
            "comes from the time the payment arrived (its day, its hour). The check's repeats "
            "came in the same period, but a repeat that comes once it has turned (sent at "
            "23:59:58, retried at 00:00:03: a client's retry after a timeout, Lambda's "
            "asynchronous retries, up to 6 hours later, an SQS redelivery) gets another key, "
            "and is charged again. Key the charge on the header alone (`'charge#' + key`); a "
            "window, if you want one, belongs in the item (a TTL that deletes it days later), "
            "not in the key."
        )
    # A new key with the same amount: a charge keyed on the body would be taken for a repeat.
    other_key, ahead = check_id("payment"), _items()
    other = _pay(other_key, amount, "with a new key")
    now = _items()
    if not [k for k in now if k not in ahead]:
        raise Incorrect(
            _no_new_item(other_key, other, ahead, now).replace(
                "the payment sent the first time", "a second payment, of the same amount"
            )
        )
    if len([k for k in now if k not in before]) != 2 or _same([other, first]):
        raise Incorrect(
            f"a second payment of the same amount, with a new `{PAY_HEADER}`, was not charged "
            "as a new payment: each new key must record its own charge and get its own "
            "charge_id. Key the charge on the header alone."
        )
    # A repeat that comes later: the times the first charge's item holds (an expiry, a creation
    # time) move back LATE_S, as if that much time had passed. A window shorter than that lets
    # it through. Without waiting, so whatever the machine's speed.
    existing = _items()
    moved = _times(existing.get(item_key, {}), sent)
    if moved:
        names = {f"#t{n}": name for n, (name, _, _) in enumerate(moved)}
        values = {
            f":t{n}": {"N": _moved_back(value, scale)} for n, (_, value, scale) in enumerate(moved)
        }
        dynamodb.update_item(
            TableName=TABLE,
            Key=keys,
            UpdateExpression="SET "
            + ", ".join(f"{n} = {v}" for n, v in zip(names, values, strict=True)),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
        # The table's TTL deletes an item whose attribute (seconds since the epoch) has passed,
        # at any time after it does ("Using time to live (TTL) in DynamoDB",
        # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html): the
        # check deletes it as DynamoDB may.
        ttl = dynamodb.describe_time_to_live(TableName=TABLE).get("TimeToLiveDescription", {})
        ttl_name = (
            ttl.get("AttributeName")
            if ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
            else None
        )
        deleted = any(
            name == ttl_name and scale == 1 and float(_moved_back(value, 1)) < time.time()
            for name, value, scale in moved
        )
        if deleted:
            dynamodb.delete_item(TableName=TABLE, Key=keys)
        late = repeat(amount, f"again, {LATE_S // 60} minutes later")
        charged = not marked() or bool(set(_items()) - set(existing))
        if charged or not _same([first, late]):
            shown = ", ".join(f"`{name}`" for name, _, _ in moved)
            raise Incorrect(
                f"`{FUNCTION}` stands up to repeats that come at once, but not to one that comes "
                f"later: the check moved the times in the first charge's item ({shown}) "
                f"{LATE_S // 60} minutes back, as if a repeat came {LATE_S // 60} minutes "
                "later, and that repeat "
                + ("charged again" if charged else "was answered with another charge_id")
                + (
                    f" (the table's TTL on `{ttl_name}` deletes the item once that time has "
                    "passed, and the check deleted it, as DynamoDB may then)"
                    if deleted
                    else ""
                )
                + ". A caller may retry that late (after a timeout: a function may run up to "
                "15 minutes), and "
                + (
                    "an item the TTL has deleted no longer stops a repeat"
                    if deleted
                    else "a condition that lets a repeat through once a time has passed "
                    "(`attribute_not_exists(pk) OR expires_at < :now`) charges it again"
                )
                + f". {_WINDOW}"
            )
    return (
        f"`{FUNCTION}` charged a payment sent {len(ids)} times with one `{PAY_HEADER}` once "
        "(copies in new execution environments included), left the first charge as it was, "
        "answered each copy with the same charge_id, and charged a new key again. Retries are "
        "safe now."
    )


_PAY_SETUP = """
import contextlib
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

dynamodb = boto3.client("dynamodb")
iam = boto3.client("iam")
lam = boto3.client("lambda")
with contextlib.suppress(dynamodb.exceptions.ResourceInUseException):  # it may exist already
    dynamodb.create_table(
        TableName="payments",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
dynamodb.get_waiter("table_exists").wait(TableName="payments")
region = dynamodb.meta.region_name
account = boto3.client("sts").get_caller_identity()["Account"]

# The role may write its logs and put items in `payments`, nothing else. (Learner trial 12,
# JD3: a name of its own, not the notebook's `role(...)` shortcut, which later cells call.)
pay_role_arn = execution_role("pay-role")
for name in iam.list_role_policies(RoleName="pay-role")["PolicyNames"]:
    iam.delete_role_policy(RoleName="pay-role", PolicyName=name)  # rights of earlier attempts
for policy in iam.list_attached_role_policies(RoleName="pay-role")["AttachedPolicies"]:
    if policy["PolicyName"] != "AWSLambdaBasicExecutionRole":
        iam.detach_role_policy(RoleName="pay-role", PolicyArn=policy["PolicyArn"])
if "PermissionsBoundary" in iam.get_role(RoleName="pay-role")["Role"]:
    iam.delete_role_permissions_boundary(RoleName="pay-role")  # one left by an earlier attempt
iam.put_role_policy(
    RoleName="pay-role",
    PolicyName="pay",
    PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": "dynamodb:PutItem",
            "Resource": f"arn:aws:dynamodb:{region}:{account}:table/payments",
        }],
    }),
)
"""

_PAY_DEPLOY = """
with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
    lam.delete_function(FunctionName="pay")  # start afresh if it exists
lam.create_function(
    FunctionName="pay",
    Runtime="python3.13",
    Role=pay_role_arn,
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": pay_source})},
)
lam.get_waiter("function_active_v2").wait(FunctionName="pay")
"""

_PAY_SOLUTION = (
    _PAY_SETUP
    + '''
pay_source = """
import json

import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    key = event["headers"]["idempotency-key"]  # the same for every copy of one payment
    amount = json.loads(event["body"])["amount"]
    try:
        # Only the first copy writes: DynamoDB checks the condition and writes atomically.
        dynamodb.put_item(
            TableName="payments",
            Item={
                "pk": {"S": "charge#" + key},
                "charge_id": {"S": context.aws_request_id},
                "amount": {"N": str(amount)},
            },
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
        charge_id = context.aws_request_id
    except dynamodb.exceptions.ConditionalCheckFailedException as err:
        charge_id = err.response["Item"]["charge_id"]["S"]  # charged already: same answer
    return {"statusCode": 201, "body": json.dumps({"charge_id": charge_id})}
"""
'''
    + _PAY_DEPLOY
)

# ------------------------------------------------------------- q2: who retries which failure
SCENARIOS = {
    "sync-error": "a synchronous invoke whose handler raises an exception",
    "sync-throttle": "a synchronous invoke refused with 429 TooManyRequestsException",
    "sync-bad-request": "a synchronous invoke whose payload is not JSON (400)",
    "async-error": "an asynchronous invoke (InvocationType='Event') whose handler raises",
    "sqs-error": "an SQS message, delivered by an event source mapping, whose handler raises",
}
RETRIERS = {
    "nobody": "nothing retries it on its own: the caller decides",
    "sdk": "the caller's SDK (boto3) retries it by itself",
    "lambda": "Lambda retries it from its own event queue",
    "mapping": "the event source mapping receives it again from the queue",
}
_SDK_DEFAULT = {"mode": "standard", "total_max_attempts": 3}  # boto3 1.44's default
_BOOM = """
import json


def handler(event, context):
    print("attempt", json.dumps(event))
    raise RuntimeError("this handler always fails")
"""
_SQS_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"


def _check_role() -> str:
    """The role of the check's own functions (logs; SQS polling, as AWS needs it for q2)."""
    from ..iam import execution_role

    return execution_role("kit-check-09", policies=[_SQS_POLICY])


def _answers(answer: Any) -> dict[str, str]:
    """The learner's classification, or Incorrect saying what shape it must have."""
    allowed = ", ".join(repr(name) for name in RETRIERS)
    # Learner trial 11 (DW3): any read-only mapping (MappingProxyType ...) holds the answer.
    if isinstance(answer, Mapping):
        answer = dict(answer)
    if not isinstance(answer, dict):
        made = (
            f" (`answer` is a {type(answer).__name__}: `answer.to_dict()` makes a dict of it)"
            if callable(getattr(answer, "to_dict", None))
            else ""
        )
        raise Incorrect(
            "set `answer` to a dict that gives each scenario who retries it: "
            f"`{{'sync-error': 'nobody', ...}}`, with values among {allowed}{made}."
        )
    missing = [name for name in SCENARIOS if name not in answer]
    unknown = [name for name in answer if name not in SCENARIOS]
    if missing or unknown:
        raise Incorrect(
            f"`answer` should have exactly the keys {', '.join(map(repr, SCENARIOS))}"
            + (f"; missing: {', '.join(map(repr, missing))}" if missing else "")
            + (f"; unknown: {', '.join(map(repr, unknown))}" if unknown else "")
            + "."
        )
    for name, value in answer.items():
        if value is Ellipsis:
            raise Incorrect(f"the answer for {name!r} is still `...`: use one of {allowed}.")
        # Learner trial 10 (XD2): a list or set is unhashable: `in RETRIERS` raised TypeError.
        if isinstance(value, list | set | frozenset | tuple):
            raise Incorrect(
                f"the answer for {name!r} is {value!r}; give one string, the one party that "
                f"retries it: one of {allowed}."
            )
        if not isinstance(value, str) or value not in RETRIERS:
            lower = (
                # Learner trial 10 (XW7), 11 (DW2): name what differs, case or spaces.
                f" ({'lower case' if value.strip() == value else 'without the spaces'}: "
                f"{value.strip().lower()!r})"
                if isinstance(value, str) and value.strip().lower() in RETRIERS
                else ""
            )
            raise Incorrect(f"the answer for {name!r} is {value!r}; use one of {allowed}{lower}.")
    return dict(answer)


def _deploy_check_function(name: str, source: str, role: str, **settings: Any) -> None:
    import boto3

    from ..packaging import zip_bytes

    lam = boto3.client("lambda")
    lam.create_function(
        FunctionName=name,
        Runtime="python3.13",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": zip_bytes({"app.py": source})},
        **settings,
    )
    lam.get_waiter("function_active_v2").wait(FunctionName=name)


def _count_lines(name: str, marker: str) -> int:
    """How many log lines of the function mention `marker`."""
    import boto3

    logs = boto3.client("logs")
    group = f"/aws/lambda/{name}"
    if not logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]:
        return 0
    pages = logs.get_paginator("filter_log_events").paginate(
        logGroupName=group, filterPattern=f'"{marker}"'
    )
    return sum(len(page["events"]) for page in pages)


def _observe_sync(boom: str, paused: str) -> dict[str, tuple[str, str]]:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    client = boto3.client("lambda", config=Config(retries=dict(_SDK_DEFAULT)))
    seen: dict[str, tuple[str, str]] = {}

    response = client.invoke(FunctionName=boom, Payload=b"{}")
    response["Payload"].read()
    tries = response["ResponseMetadata"]["RetryAttempts"]
    seen["sync-error"] = (
        "sdk" if tries else "nobody",
        f"an HTTP {response['StatusCode']} answer with FunctionError "
        f"{response.get('FunctionError')!r}, retried {tries} time(s) by the SDK",
    )

    try:
        client.invoke(FunctionName=boom, Payload=b"not json")
        status, tries = 200, 0
    except ClientError as err:
        status = err.response["ResponseMetadata"]["HTTPStatusCode"]
        tries = err.response["ResponseMetadata"]["RetryAttempts"]
    seen["sync-bad-request"] = (
        "sdk" if tries else "nobody",
        f"an HTTP {status} refusal, retried {tries} time(s) by the SDK",
    )

    with throttled_for(client, paused, throttles=1):
        response = client.invoke(FunctionName=paused, Payload=b"{}")
        response["Payload"].read()
    tries = response["ResponseMetadata"]["RetryAttempts"]
    seen["sync-throttle"] = (
        "sdk" if tries else "nobody",
        f"an HTTP 429, then {tries} more attempt(s) sent by the SDK on its own, the last of "
        "which ran once the throttle lifted",
    )
    return seen


def _observe_async(boom: str) -> tuple[str, str]:
    import boto3

    marker = check_id()
    with short_retry_waits():
        boto3.client("lambda").invoke(
            FunctionName=boom, InvocationType="Event", Payload=json.dumps({"check": marker})
        )
        event = wait_async_done(boom, marker)
    return (
        "lambda" if event.attempts > 1 else "nobody",
        f"a 202 for the caller, then {event.attempts} runs of the function by Lambda",
    )


def _observe_sqs(boom: str, prefix: str) -> tuple[str, str]:
    import boto3

    sqs = boto3.client("sqs")
    lam = boto3.client("lambda")
    dlq = sqs.create_queue(QueueName=f"{prefix}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
    url = sqs.create_queue(
        QueueName=f"{prefix}-queue",
        Attributes={
            "VisibilityTimeout": "1",  # seconds: the failed message comes back quickly
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn["Attributes"]["QueueArn"], "maxReceiveCount": 2}
            ),
        },
    )["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    mapping = lam.create_event_source_mapping(
        EventSourceArn=arn["QueueArn"], FunctionName=boom, BatchSize=1
    )["UUID"]
    marker = check_id()
    try:
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"check": marker}))
        wait_until(lambda: _count_lines(boom, marker) >= 2, timeout=20, step=0.1)
    finally:
        lam.delete_event_source_mapping(UUID=mapping)
        for queue in (url, dlq):
            sqs.delete_queue(QueueUrl=queue)
    runs = _count_lines(boom, marker)
    return (
        "mapping" if runs > 1 else "nobody",
        f"{runs} runs of the function with the same message, received again from the queue",
    )


def _observe_retries() -> dict[str, tuple[str, str]]:
    """Provoke each scenario for real: {scenario: (who retried it, what was seen)}."""
    import boto3

    prefix = check_id()
    boom, paused = f"{prefix}-boom", f"{prefix}-paused"
    role = _check_role()
    lam = boto3.client("lambda")
    try:
        _deploy_check_function(boom, _BOOM, role, Timeout=1)
        _deploy_check_function(paused, "def handler(event, context):\n    return 'ok'\n", role)
        seen = _observe_sync(boom, paused)
        seen["async-error"] = _observe_async(boom)
        seen["sqs-error"] = _observe_sqs(boom, prefix)
    finally:
        for name in (boom, paused):
            with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
                lam.delete_function(FunctionName=name)
    return seen


def _check_who_retries(answer: Any = None) -> str:
    given = _answers(answer)
    seen = _observe_retries()
    wrong = [
        f"{name!r}: you said {given[name]!r}, but the check saw {evidence}, so it's {truth!r}"
        for name, (truth, evidence) in seen.items()
        if given[name] != truth
    ]
    if wrong:
        raise Incorrect(
            "the check provoked each failure for real, with boto3's default retry settings. "
            + "; ".join(wrong)
            + "."
        )
    return (
        "Each failure was provoked for real, and the retries came from where you said: the SDK "
        "retried the throttle (that call never ran) but neither the function error (an HTTP 200 "
        "to it) nor the bad request, Lambda retried the asynchronous event, and the mapping "
        "received the SQS message again."
    )


_WHO_SOLUTION = """
answer = {
    "sync-error": "nobody",
    "sync-throttle": "sdk",
    "sync-bad-request": "nobody",
    "async-error": "lambda",
    "sqs-error": "mapping",
}
"""


# -------------------------------------------------------------- q3: a caller that is safe
# read_timeout is a number of seconds (botocore's Config:
# https://botocore.amazonaws.com/v1/documentation/api/latest/reference/config.html); the SDK
# retries a read timeout, so a shorter one than the function's run sends the call again.
CALLER_ATTEMPTS = 3  # the task: a throttled call is tried 3 times in all
INIT_LIMIT_S = 10  # an on-demand function's Init phase, not counted in its Timeout
THROTTLES = CALLER_ATTEMPTS - 1  # the check's function is free again on the last attempt


_UNKNOWN = object()  # a setting botocore keeps where the check can't read it


def _seconds(value: Any, field: str) -> float:
    """A timeout of the client, or Incorrect naming the field and its type."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        # None makes urllib3 wait forever: a connection that hangs would block the caller too.
        forever = " (None means no timeout at all: a hung connection would block forever)"
        raise Incorrect(
            f"your client's `{field}` is {value!r} ({type(value).__name__})"
            + (forever if value is None else "")
            + f": it should be a number of seconds, an int or a float, such as "
            f"`Config({field}=...)`."
        )
    if not math.isfinite(value) or value <= 0:
        # urllib3 refuses it: every call of this client would fail, the check's included.
        raise Incorrect(
            f"your client's `{field}` is {value!r}: urllib3 accepts only a finite number of "
            "seconds above 0, so every call of this client fails. Give it a number, e.g. a "
            "little above the longest a function may run."
        )
    # Learner trial 12 (JD9): `sys.maxsize` ("never give up"): finite, but more than a socket
    # timeout can hold (CPython keeps it in nanoseconds, a 64-bit integer), so every call
    # fails in the client, before it leaves the machine, on AWS as here.
    from ..limits import value as limit

    try:
        with socket.socket() as probe:
            probe.settimeout(value)
    except (OverflowError, ValueError) as exc:
        raise Incorrect(
            f"your client's `{field}` is {value!r} s: more than Python's sockets can take as a "
            f"timeout ({type(exc).__name__}: {exc}), so every call of this client fails before "
            "it reaches Lambda. Give it a plain number of seconds: for `read_timeout`, a little "
            f"above the longest a function may run ({limit('timeout_s_max')} s)."
        ) from None
    except OSError:
        pass  # no socket to try it on: the call says the rest
    return float(value)


def _documented_endpoint(answer: Any) -> bool:
    """Whether the client was made with `endpoint_url` set to Lambda's own endpoint for its
    Region, as AWS documents it ("lambda.us-east-1.amazonaws.com", and its FIPS twin,
    https://docs.aws.amazon.com/general/latest/gr/lambda-service.html): on AWS that client
    is the default one (learner trial 11, DD10)."""
    from urllib.parse import urlsplit

    url = str(getattr(answer.meta, "endpoint_url", "") or "")
    parts = urlsplit(url)
    region = answer.meta.region_name
    hosts = {f"lambda.{region}.amazonaws.com", f"lambda-fips.{region}.amazonaws.com"}
    return parts.scheme == "https" and parts.hostname in hosts and parts.path in ("", "/")


def _is_loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


@contextlib.contextmanager
def _as_local(answer: Any) -> Iterator[None]:
    """While inside, a client made with Lambda's documented endpoint sends its calls to the
    local AWS instead, as the kit's own clients do: its settings (timeouts, retries) are its
    own. Its endpoint is resolved per call from the `SDK::Endpoint` builtin, which a
    `before-endpoint-resolution` handler may change (botocore/regions.py)."""
    if not _documented_endpoint(answer):
        yield
        return
    local = kit().endpoint_url
    hook = "kit-check-local-endpoint"

    def to_local(builtins: dict[str, Any], **_: Any) -> None:
        builtins["SDK::Endpoint"] = local

    answer.meta.events.register("before-endpoint-resolution.lambda", to_local, unique_id=hook)
    try:
        yield
    finally:
        answer.meta.events.unregister("before-endpoint-resolution.lambda", unique_id=hook)


def _other_endpoint(answer: Any) -> None:
    """Incorrect for a client made with an endpoint_url that is neither Lambda's endpoint for
    its Region nor the local AWS: its calls go elsewhere."""
    url = str(getattr(answer.meta, "endpoint_url", "") or "")
    if _documented_endpoint(answer) or _is_loopback(url):
        return
    region = answer.meta.region_name
    raise Incorrect(
        f"your client sends its calls to `{url}` (its `endpoint_url`), which is not Lambda's "
        f"endpoint for the Region `{region}` (`https://lambda.{region}.amazonaws.com`), where "
        "the functions are: its calls would not reach them. The task asks only for a read "
        "timeout and retries: make the client without `endpoint_url`."
    )


def _read_timeout_used(answer: Any) -> Any:
    """The read timeout the client's connections really use, or _UNKNOWN.

    botocore hands `(connect_timeout, read_timeout)` to the endpoint's HTTP session when it
    makes the client (ClientCreator → EndpointCreator → URLLib3Session(timeout=...), kept as a
    urllib3 `Timeout` in `_timeout`, botocore/httpsession.py), so a later change of
    `client.meta.config.read_timeout` changes only what `meta.config` says.
    """
    session = getattr(getattr(answer, "_endpoint", None), "http_session", None)
    timeout = getattr(session, "_timeout", _UNKNOWN)
    if timeout is _UNKNOWN or isinstance(timeout, bool):
        return _UNKNOWN
    if isinstance(timeout, int | float):  # one number: connect and read alike
        return timeout
    try:
        return timeout.read_timeout  # urllib3's Timeout (botocore sets no `total`)
    except (AttributeError, TypeError, ValueError):
        return _UNKNOWN


def _attempts_used(answer: Any) -> int | None:
    """How many attempts in all the client's retry handler really makes, or None if unknown.

    botocore builds that handler from `Config(retries=...)` when it makes the client and
    registers it as `retry-config-lambda` (botocore/client.py, `_register_retries`): a later
    change of `client.meta.config.retries` doesn't reach it. Standard and adaptive modes keep
    the count in botocore.retries.standard's MaxAttemptsChecker, legacy mode in
    botocore.retryhandler's MaxAttemptsDecorator; both count the first attempt.
    """
    emitter = getattr(getattr(answer.meta, "events", None), "_emitter", None)
    entry = getattr(emitter, "_unique_id_handlers", {}).get("retry-config-lambda") or {}
    handler = entry.get("handler")
    owner = getattr(handler, "__self__", handler)
    policy = getattr(owner, "_retry_policy", None)
    if policy is not None:
        checker = getattr(getattr(policy, "_retry_checker", None), "_max_attempts_checker", None)
    else:
        checker = getattr(owner, "_checker", None)
    attempts = getattr(checker, "_max_attempts", None)
    return attempts if isinstance(attempts, int) and not isinstance(attempts, bool) else None


def _attempts(config: Any) -> int | None:
    """How many attempts in all the client's retry configuration says (None if unsaid)."""
    retries = getattr(config, "retries", None) or {}
    if "total_max_attempts" in retries:
        return int(retries["total_max_attempts"])
    if "max_attempts" in retries:  # the older key counts retries, not attempts
        return int(retries["max_attempts"]) + 1
    return None


_MADE_WITH = (
    "botocore gives a client its settings when it makes the client, so changing "
    "`meta.config` afterwards changes only what `meta.config` says"
)
_MAKE_WITH_CONFIG = (
    "Give the settings to the client as it is made: `boto3.client('lambda', "
    "config=Config(read_timeout=..., retries={'mode': 'standard', 'total_max_attempts': 3}))`."
)


def _check_read_timeout(answer: Any, longest: int) -> float:
    """The read timeout the client uses, or Incorrect if it isn't above `longest` seconds."""
    said = getattr(answer.meta.config, "read_timeout", None)
    used = _read_timeout_used(answer)
    if used is _UNKNOWN:
        used = said
    elif used != said and not (isinstance(used, int | float) and used > longest):
        # A client made with one timeout, then `answer.meta.config.read_timeout = ...`.
        if isinstance(used, int | float) and math.isfinite(used) and used > 0:
            what = (
                f"wait {used:g} s for an answer, the timeout it was made with: {_MADE_WITH}. A "
                f"function may run up to {longest} s, so this client gives up first and the SDK "
                "sends the call again."
            )
        else:
            what = f"were given the read timeout {used!r} when it was made: {_MADE_WITH}."
        raise Incorrect(
            f"your client's `meta.config.read_timeout` says {said!r}, but its connections "
            f"{what} {_MAKE_WITH_CONFIG}"
        )
    waits = _seconds(used, "read_timeout")
    if waits <= longest:
        raise Incorrect(
            f"your client's `read_timeout` is {waits:g} s, and a function may run up to "
            f"{longest} s. When a function runs longer than the read timeout, the SDK gives up "
            "waiting and sends the call again: the function runs twice. Set `read_timeout` a "
            f"little above {longest}."
        )
    return waits


def _gave_up(answer: Any, throttled: list[int]) -> Incorrect:
    """Incorrect for a client that gave up on a throttle before the last one lifted."""
    said, made = _attempts(answer.meta.config), _attempts_used(answer)
    start = (
        "the check's function was throttled (429) and would have been free again on attempt "
        f"{THROTTLES + 1}, but your client gave up after {len(throttled)} attempt(s) with "
        "TooManyRequestsException"
    )
    if made is not None and said is not None and said != made:
        # A client made with one retry setting, then `answer.meta.config.retries = {...}`.
        return Incorrect(
            f"{start}. Its `meta.config.retries` says {said} attempts in all, but its retry "
            f"handler was built with {made} when the client was made: {_MADE_WITH}. "
            f"{_MAKE_WITH_CONFIG}"
        )
    allowed = made if made is not None else said
    # botocore's Config: `max_attempts` counts retries after the first attempt (2 is "at most
    # two times after the initial request"), `total_max_attempts` attempts in all (botocore's
    # Config docstring; https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html);
    # a client's meta.config shows only the latter, so both are said.
    counts_retries = (
        "; `max_attempts` counts the retries after the first attempt, `total_max_attempts` "
        "the attempts in all"
    )
    # Learner trial 12 (JW3): the environment variable AWS_MAX_ATTEMPTS sets the attempts of a
    # client whose Config gives none (a Config's `retries` wins over it:
    # https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html).
    env = os.environ.get("AWS_MAX_ATTEMPTS", "").strip()
    from_env = (
        f", set by the environment variable `AWS_MAX_ATTEMPTS={env}` of this process, which a "
        "client whose `Config` gives no retries takes"
        if env.isdigit() and int(env) == allowed
        else ""
    )
    return Incorrect(
        f"{start}"
        + (
            f" (its retries allow {allowed} in all{from_env}{counts_retries})"
            if allowed is not None
            else ""
        )
        + ". A throttled call never ran, so retrying it is safe: give the client at least "
        f"{CALLER_ATTEMPTS} attempts in all (`retries={{'mode': 'standard', "
        f"'total_max_attempts': {CALLER_ATTEMPTS}}}`). The kit's `aws.client('lambda')` makes 1."
    )


def _check_caller(answer: Any = None) -> str:
    from botocore.exceptions import BotoCoreError, ClientError

    from ..limits import value

    if answer is None:
        raise Incorrect(
            "`answer` is still None: make it a Lambda client, "
            "`boto3.client('lambda', config=Config(...))`."
        )
    meta = getattr(answer, "meta", None)
    service = getattr(getattr(meta, "service_model", None), "service_name", None)
    if service != "lambda":
        raise Incorrect(
            f"`answer` should be a Lambda client (`boto3.client('lambda', config=...)`), not "
            f"{type(answer).__name__}" + (f" for the service `{service}`" if service else "") + "."
        )
    # A client is bound to one Region: the check's function, in the kit's Region, would be
    # "not found" (ResourceNotFoundException) to a client made for another.
    region, home = getattr(meta, "region_name", None), client("lambda").meta.region_name
    if region != home:
        raise Incorrect(
            f"your client is for the Region `{region}`, and the functions are in `{home}` (the "
            "Region of `boto3.client('lambda')` here): every call would answer "
            "ResourceNotFoundException, as the function does not exist in that Region. Make "
            f"the client without `region_name`, or with `region_name='{home}'`."
        )
    # What decides whether its calls reach AWS at all is judged as notebook 08b's check judges
    # a Config (learner trial 13, OD6, OD10, OD12, OD17, OD18): one function for both.
    setup = ClientSetup.of_client(answer)
    if _documented_endpoint(answer):  # an endpoint_url given: boto3 ignores use_ssl then
        setup = replace(setup, use_ssl=True)
    refuse_unworkable(
        setup,
        subject="your client",
        owner="your client's",
        config="its `Config`",
        asked="a read timeout and retries",
    )
    _other_endpoint(answer)
    waits = _check_read_timeout(answer, value("timeout_s_max"))

    name = f"{check_id()}-report"
    _deploy_check_function(name, "def handler(event, context):\n    return 'done'\n", _check_role())
    lam = client("lambda")
    try:
        with (
            _as_local(answer),
            proxies_as_on_aws(answer),
            throttled_for(answer, name, throttles=THROTTLES) as throttled,
            reaching_lambda(
                whose="your client",
                config="its `Config`",
                proxies=getattr(meta.config, "proxies", None),
                asked="a read timeout and retries",
                suspects="a proxy, or another setting of the connection",
            ),
        ):
            try:
                response = answer.invoke(FunctionName=name, Payload=b"{}")
                response["Payload"].read()
            except (BotoCoreError, ClientError, TypeError) as err:
                asked = "a read timeout and retries"
                refused = refused_call(err, answer, owner="its `Config`'s", asked=asked)
                if refused is not None:
                    raise refused from None
                if not isinstance(err, ClientError):
                    raise
                if err.response["Error"]["Code"] != "TooManyRequestsException":
                    raise
                raise _gave_up(answer, throttled) from None
    finally:
        with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
            lam.delete_function(FunctionName=name)
    tries = response["ResponseMetadata"]["RetryAttempts"]
    longest, init = value("timeout_s_max"), INIT_LIMIT_S
    # Learner trial 13 (OW1): "longer than any function may run" forgot a cold start's Init,
    # up to 10 s before the handler and not counted in Timeout ("The Init phase is limited
    # to 10 seconds", https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
    # The task asks for more than the longest Timeout; a note says what a little more covers.
    init_note = (
        f" On a cold start Init comes first, up to {init} s that Timeout doesn't count, so a "
        f"call may take up to {longest + init} s: a read timeout of {longest + init} s or more, "
        "as the kit's `aws.client('lambda')` has, covers that too."
        if waits < longest + init
        else ""
    )
    return (
        f"Your client waits {waits:g} s for an answer (longer than the longest Timeout, "
        f"{longest} s) and rode out {THROTTLES} real throttles: it retried {tries} times by "
        f"itself, and the function ran once.{init_note}"
    )


_CALLER_SOLUTION = """
import boto3
from botocore.config import Config
from helpers.limits import LIMITS

answer = boto3.client(
    "lambda",
    config=Config(
        read_timeout=LIMITS["timeout_s_max"].value + 10,  # longer than any function may run
        retries={"mode": "standard", "total_max_attempts": 3},  # throttles: try twice more
    ),
)
"""


notebook_09 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Make `pay` idempotent on its `Idempotency-Key` header: one charge in `payments` per "
            "key, left as it was by every repeat, and the same charge_id in every answer to a "
            "repeat. Its role may only `dynamodb:PutItem` on `payments`."
        ),
        checker=_check_pay,
        hint_text=(
            "What stays the same across every copy of a payment: the request id, or the header? "
            "Key the item on that. Then let DynamoDB refuse the second write itself (a condition "
            "on the put, as in section 3), and find, in what it refuses with, the charge you made "
            "the first time."
        ),
        solution_code=_PAY_SOLUTION,
    ),
    q2=Exercise(
        name="q2",
        task="Say who retries each of five failures: 'nobody', 'sdk', 'lambda' or 'mapping'.",
        checker=_check_who_retries,
        hint_text=(
            "For each failure, ask two questions. How was the function invoked: synchronously, "
            "asynchronously, or by a mapping (section 2's table)? And what did the caller see: an "
            "error status, or a 200 that says `FunctionError`? The SDK can only retry what it sees "
            "failing."
        ),
        solution_code=_WHO_SOLUTION,
    ),
    q3=Exercise(
        name="q3",
        task=(
            "Make a Lambda client that never gives up on a running function (a read timeout "
            "longer than the longest Timeout) and retries throttles (at least 3 attempts in all)."
        ),
        checker=_check_caller,
        hint_text=(
            "Two settings of botocore's `Config` (section 2 printed both for `lam`): how long the "
            "client waits for an answer, and how many attempts its retries make in all. How long "
            "may the longest function run? `LIMITS` says."
        ),
        solution_code=_CALLER_SOLUTION,
    ),
)
