"""What every trigger needs on AWS: a statement in the function's resource-based policy that
lets the trigger's service invoke it from that one source (notebooks 03, 04 and 13 check it).

AWS: "To ensure that your function is only invoked by a specific resource, specify the Amazon
Resource Name (ARN) of the resource with the source-arn option"
(https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .core import Incorrect
from .harness import (
    Statement,
    client,
    foreign_sources,
    function_config,
    function_policy,
    grants_invoke,
    matches,
)


def require_trigger_permission(
    function: str,
    principal: str,
    source_arn: str,
    trigger: str,
    *,
    shown_arn: str | None = None,
    source_account: str | None = None,
    qualifier: str | None = None,
    describe: Callable[[str], str] | None = None,
) -> None:
    """Incorrect unless `function`'s resource-based policy lets `principal` invoke it from
    `source_arn`, and from that source only (a statement without SourceArn lets any bucket,
    topic, rule or API of any account invoke it; `harness.foreign_sources` gives two sources it
    must refuse, one whose name starts with this one's, which a trailing wildcard would let in).
    `source_account` is what the service sends as aws:SourceAccount (S3's ARNs hold no account:
    the function's own by default). `describe(arn)` may say what a SourceArn of the learner's
    names (an API's name...)."""
    if qualifier == "$LATEST":
        # The trigger invokes `function:$LATEST` as it is named. A permission added without a
        # Qualifier covers only the unqualified ARN, and "Lambda does not support adding
        # policies to version $LATEST" (AddPermission refuses Qualifier='$LATEST':
        # https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html): no statement
        # can let the service invoke it, whatever the policy holds.
        raise Incorrect(
            f"{trigger} invokes `{function}:$LATEST`, and no permission can cover that ARN: a "
            "permission added without a `Qualifier` covers only the function's unqualified ARN, "
            "and Lambda does not support adding policies to version $LATEST "
            "(`add_permission(..., Qualifier='$LATEST')` is refused), so Lambda refuses every "
            f"invocation. Point {trigger} at `{function}`'s unqualified ARN (its `FunctionArn`, "
            "without `:$LATEST`): it runs the newest code all the same."
        )
    account = source_account or (source_arn.split(":")[4] if source_arn.count(":") >= 5 else "")
    account = account or function_config(function)["FunctionArn"].split(":")[4]
    every = [s for s in function_policy(function, qualifier) if not _via_function_url(s)]
    statements = _own_statements(every, function, qualifier)
    target = f"{function}:{qualifier}" if qualifier else function
    shown = shown_arn or source_arn
    call = (
        f"`lam.add_permission(FunctionName={function!r}, "
        + (f"Qualifier={qualifier!r}, " if qualifier else "")
        + "StatementId=..., "
        f"Action='lambda:InvokeFunction', Principal={principal!r}, SourceArn={shown!r})`"
    )
    if not grants_invoke(
        statements, principal, source_arn=source_arn, source_account=account or None
    ):
        if qualifier and grants_invoke(
            _own_statements(every, function, None),
            principal,
            source_arn=source_arn,
            source_account=account or None,
        ):
            raise Incorrect(
                f"the permission for {trigger} is on `{function}` itself, but the trigger "
                f"invokes `{target}`, which has a resource-based policy of its own: add the "
                f"permission to it with {call}."
            )
        if not qualifier and (
            elsewhere := _qualifiers_granting(function, principal, source_arn, account or None)
        ):
            # Learner trial 10 (UD26): the permission added with `Qualifier` (an alias's own
            # policy), the trigger aimed at the function itself; the message said there was
            # no statement at all. Each has its own policy (AddPermission's Qualifier:
            # https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html).
            raise Incorrect(
                f"the permission for {trigger} is on `{function}:{elsewhere[0]}` (added with "
                f"`Qualifier={elsewhere[0]!r}`), but the trigger invokes `{function}` itself, "
                "its unqualified ARN, and an alias or version has a resource-based policy of "
                f"its own that doesn't cover the function: AWS refuses the trigger. Add the "
                f"permission without `Qualifier`, {call}, or aim the trigger at "
                f"`{function}:{elsewhere[0]}`."
            )
        if other := _other_action(statements, principal, source_arn, account or None):
            # The statement's source is right but its Action is not the one the trigger needs.
            raise Incorrect(
                f"`{target}`'s statement for `{principal}` from {trigger} allows the action "
                f"`{other}`, but the service invokes the function with the Invoke API, which "
                "needs `lambda:InvokeFunction` (even an asynchronous invocation: "
                "`lambda:InvokeAsync` belongs to the old InvokeAsync API only): AWS refuses "
                "the trigger. Remove that statement (`lam.remove_permission(FunctionName=..., "
                f"StatementId=...)`) and add one with {call}."
            )
        accounts = _condition_values_of(statements, principal, "aws:sourceaccount")
        if accounts and account and account not in accounts:
            # The source is right, the account is not: say so rather than repeat the ARN.
            # Learner trial 12 (GW4): add_permission again under the same StatementId is
            # refused (ResourceConflictException), so the message names the one to remove.
            sids = [
                s.sid
                for s in statements
                if s.sid and _condition_values_of([s], principal, "aws:sourceaccount")
            ]
            which = f"StatementId={sids[0]!r}" if sids else "StatementId=..."
            raise Incorrect(
                f"`{target}`'s statement for `{principal}` allows {trigger} only from the "
                f"account(s) {', '.join(f'`{a}`' for a in accounts)} (`SourceAccount`), but "
                f"the trigger calls from `{account}`, the account that owns it: AWS refuses "
                f"it. Remove that statement (`lam.remove_permission(FunctionName={target!r}, "
                f"{which})`: `add_permission` refuses a StatementId the policy already holds), "
                f"then add it again with `SourceAccount='{account}'` (or without it, keeping "
                "the SourceArn)."
            )
        theirs = [
            f"`{arn}`" + (describe(arn) if describe else "")
            for arn in _source_arns(statements, principal)
        ]
        seen = (
            f" Its statement(s) for `{principal}` allow only the source(s) "
            f"{', '.join(theirs)}, not `{shown}`."
            if theirs
            else " It has no statement for that service at all."
        )
        raise Incorrect(
            f"`{target}` has no resource-based policy statement that lets {trigger} invoke it "
            f"(principal `{principal}`, SourceArn `{shown}`): AWS refuses the trigger, and so "
            f"does the kit.{seen} Add one with {call}."
        )
    foreign_account = "111122223333" if account else None
    for foreign_arn in foreign_sources(source_arn):
        if not (
            grants_invoke(
                statements, principal, source_arn=foreign_arn, source_account=foreign_account
            )
            or grants_invoke(
                statements, principal, source_arn=foreign_arn, source_account=account or None
            )
        ):
            continue
        # Learner trial 11 (AW3): name the statement to remove, not `StatementId=...`.
        broad = [
            s.sid
            for s in statements
            if s.sid
            and (
                grants_invoke(
                    [s], principal, source_arn=foreign_arn, source_account=foreign_account
                )
                or grants_invoke(
                    [s], principal, source_arn=foreign_arn, source_account=account or None
                )
            )
        ]
        which = f"StatementId={broad[0]!r}" if broad else "StatementId=..."
        raise Incorrect(
            f"`{target}`'s resource-based policy lets `{principal}` invoke it from other "
            f"sources too (it would accept `{foreign_arn}`): the statement is over-broad. "
            f"Limit it to this source with `SourceArn={shown!r}` (remove the broad "
            f"statement with `lam.remove_permission(FunctionName={target!r}, {which})`, "
            "then add_permission again)."
        )
    _require_named_service_and_invoke_only(
        statements, principal, source_arn, account or None, target, call
    )


# An action no trigger needs: a statement whose Action matches it grants more than invoking.
_NOT_INVOKE = ("lambda:UpdateFunctionCode", "lambda:GetFunction", "lambda:DeleteFunction")


def _require_named_service_and_invoke_only(
    statements: list[Statement],
    principal: str,
    source_arn: str,
    account: str | None,
    target: str,
    call: str,
) -> None:
    """Incorrect when a statement that lets the trigger in names no service (`Principal='*'`)
    or allows every action (`lambda:*`, `*`). Learner trial 9 (OD12-OD14): both passed.

    AWS counts a function policy "to allow public access if the principal element is empty or
    contains a wildcard"
    (https://docs.aws.amazon.com/config/latest/developerguide/lambda-function-public-access-prohibited.html);
    and a service needs `lambda:InvokeFunction` alone ("Action: The action that the principal
    can use on the function. For example, lambda:InvokeFunction or lambda:GetFunction",
    https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html). A function URL's
    statement (condition `lambda:InvokedViaFunctionUrl`) is left out before this.
    """
    for s in statements:
        if not grants_invoke([s], principal, source_arn=source_arn, source_account=account):
            continue
        which = f"StatementId={s.sid!r}" if s.sid else "StatementId=..."
        remove = (
            f"Remove that statement (`lam.remove_permission(FunctionName={target!r}, {which})`) "
            f"and add one with {call}."
        )
        if "*" in (s.principals or ()) and principal != "*":
            raise Incorrect(
                f"`{target}`'s statement that lets `{principal}` invoke it has the "
                "principal `*`: it names no service, and AWS counts a function policy with a "
                "wildcard principal as public. Name the service that invokes the function, "
                f"`Principal={principal!r}`. " + remove
            )
        broad = [
            a
            for a in s.actions or ()
            if a.lower() != "lambda:invokefunction"
            and any(matches([a], n, fold=True) for n in _NOT_INVOKE)
        ]
        if broad:
            raise Incorrect(
                f"`{target}`'s statement for `{principal}` allows the action `{broad[0]}`: "
                "every Lambda action on the function (reading its code, changing it, deleting "
                "it), where the trigger needs only `lambda:InvokeFunction`. The statement is "
                "over-broad. " + remove
            )


def _qualifiers_granting(
    function: str, principal: str, source_arn: str, account: str | None
) -> list[str]:
    """The aliases and versions of `function` whose own policy lets `principal` invoke them
    from `source_arn`."""
    lam = client("lambda")
    try:
        aliases = [
            a["Name"]
            for page in lam.get_paginator("list_aliases").paginate(FunctionName=function)
            for a in page["Aliases"]
        ]
        versions = [
            v["Version"]
            for page in lam.get_paginator("list_versions_by_function").paginate(
                FunctionName=function
            )
            for v in page["Versions"]
            if v["Version"] != "$LATEST"
        ]
    except lam.exceptions.ResourceNotFoundException:
        return []
    found = []
    for qualifier in [*aliases, *versions]:
        statements = _own_statements(
            [s for s in function_policy(function, qualifier) if not _via_function_url(s)],
            function,
            qualifier,
        )
        if grants_invoke(statements, principal, source_arn=source_arn, source_account=account):
            found.append(qualifier)
    return found


def _via_function_url(statement: Statement) -> bool:
    """Whether a statement applies only to calls through the function's URL: a public URL
    needs `lambda:InvokeFunction` for `*` with the condition `lambda:InvokedViaFunctionUrl`
    true (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html). A trigger's call is
    never one, so such a statement neither lets a trigger in nor makes its permission broad."""
    for operator, pairs in (statement.condition or {}).items():
        if not operator.lower().startswith("bool"):
            continue
        for name, values in pairs.items():
            if name.lower() != "lambda:invokedviafunctionurl":
                continue
            shown = [values] if isinstance(values, (str, bool)) else list(values)
            if shown and all(str(v).lower() == "true" for v in shown):
                return True
    return False


def _own_statements(
    statements: list[Statement], function: str, qualifier: str | None
) -> list[Statement]:
    """The statements of this function's, or of this alias's or version's, own policy.

    On AWS an alias has a policy of its own: a trigger that invokes `function:alias` needs a
    statement added with `Qualifier=alias`, and the function's unqualified statements do not
    count (and the other way round). The kit keeps one policy per function, with each
    statement's Resource naming the qualifier it was added for, so the Resource tells them apart.
    """
    suffix = f":function:{function}" + (f":{qualifier}" if qualifier else "")
    return [s for s in statements if any(r.endswith(suffix) for r in s.resources or ())]


def _other_action(
    statements: list[Statement], principal: str, source_arn: str, account: str | None
) -> str | None:
    """The action of a statement that would let `principal` in from `source_arn` but allows
    another action than lambda:InvokeFunction (`lambda:InvokeAsync`, say), or None."""
    for s in statements:
        for action in s.actions or ():
            if grants_invoke(
                [s], principal, source_arn=source_arn, source_account=account, action=action
            ):
                return action
    return None


def _source_arns(statements: list[Statement], principal: str) -> list[str]:
    return _condition_values_of(statements, principal, "aws:sourcearn")


def _condition_values_of(statements: list[Statement], principal: str, key: str) -> list[str]:
    """The values the statements for `principal` give the condition key `key` (lower case),
    in the statements that allow lambda:InvokeFunction (another action's are not the trigger's)."""
    found: list[str] = []
    for s in statements:
        if not matches(s.actions, "lambda:InvokeFunction", fold=True):
            continue
        if s.allows and any(p in ("*", principal) for p in s.principals or ()):
            for pairs in (s.condition or {}).values():
                for name, values in pairs.items():
                    if name.lower() == key:
                        found.extend([values] if isinstance(values, str) else values)
    return found


def account_and_region() -> tuple[str, str]:
    """The account id and region of the local AWS, as the learner's ARNs hold them."""
    return client("sts").get_caller_identity()["Account"], client("lambda").meta.region_name


def function_of(arn: str) -> tuple[str, str | None]:
    """(name, qualifier) of a Lambda function ARN, or of an API Gateway integration URI."""
    found = re.search(r"arn:aws[\w-]*:lambda:[^:]+:\d+:function:([\w-]+)(?::([\w$-]+))?", arn)
    if found is None:
        return arn, None
    return found.group(1), found.group(2)
