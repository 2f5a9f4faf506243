"""A function's resource-based policy (what `add_permission` writes), evaluated as Lambda does
when another service invokes the function.

AWS services invoke a function only if its resource-based policy lets their service principal
do so (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html, as of
2026-12): S3, SNS, EventBridge, CloudWatch Logs and API Gateway each need a statement for their
principal, usually limited to one source with `aws:SourceArn` and `aws:SourceAccount`. A function
URL with `AuthType NONE` needs `lambda:InvokeFunctionUrl` and, for URLs created since October
2025, `lambda:InvokeFunction` too, both for the principal `*`
(https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).

Evaluated: Effect (an explicit Deny wins), Principal (a service, an account, `*`), Action and
Resource with `*`/`?` wildcards (a permission added with a Qualifier applies to that alias or
version only), and the condition keys Lambda's policies use: `aws:SourceArn`,
`aws:SourceAccount`, `lambda:FunctionUrlAuthType`, `lambda:InvokedViaFunctionUrl`. A statement
whose condition uses another key or operator doesn't apply, so it grants nothing.

`aws.configure(enforce_resource_policies=False)` switches the checks off.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import conditions
from .patterns import as_strings
from .patterns import matches_any as _matches

__all__ = ["Caller", "allows", "enforce", "enforcing", "statements_of"]

_enforcing = True  # as on AWS


def enforce(on: bool) -> None:
    """Check (True) or stop checking (False) functions' resource-based policies."""
    global _enforcing
    _enforcing = bool(on)


def enforcing() -> bool:
    """True when a service may invoke a function only as its resource-based policy allows."""
    return _enforcing


@dataclass(frozen=True)
class Caller:
    """Who asks to invoke: a service principal (or `*` for a function URL's public caller),
    and the request context Lambda's conditions read."""

    principal: str
    source_arn: str | None = None
    source_account: str | None = None
    url_auth_type: str | None = None
    via_function_url: bool = False

    def context(self) -> dict[str, str | None]:
        return {
            "aws:sourcearn": self.source_arn,
            "aws:sourceaccount": self.source_account,
            "lambda:functionurlauthtype": self.url_auth_type,
            "lambda:invokedviafunctionurl": "true" if self.via_function_url else "false",
        }


def statements_of(fn: Any) -> list[dict[str, Any]]:
    """The statements of a function's resource-based policy, as moto holds them."""
    policy = getattr(fn, "policy", None)
    raw = list(getattr(policy, "statements", None) or [])
    return [s for s in raw if isinstance(s, dict)]


def _principals(statement: dict[str, Any]) -> tuple[str, ...]:
    value = statement.get("Principal")
    if isinstance(value, dict):
        return tuple(p for v in value.values() for p in as_strings(v) or ())
    return as_strings(value) or ()


def _principal_matches(statement: dict[str, Any], caller: Caller) -> bool:
    for principal in _principals(statement):
        if principal == "*" or principal == caller.principal:
            return True
    return False


def allows(
    fn: Any, caller: Caller, invoked_arn: str, action: str = "lambda:InvokeFunction"
) -> bool:
    """Whether `fn`'s resource-based policy lets `caller` do `action` on `invoked_arn` (the
    function's ARN, or an alias's or version's, as the caller names it). Always True when
    enforcement is off."""
    if not _enforcing:
        return True
    allowed = False
    for statement in statements_of(fn):
        actions = as_strings(statement.get("Action")) or ()
        if not _matches(actions, action, fold=True):
            continue
        resources = as_strings(statement.get("Resource")) or ()
        if not _matches(resources, invoked_arn, fold=False):
            continue
        if not _principal_matches(statement, caller):
            continue
        if not conditions.holds(statement.get("Condition"), caller.context()):
            continue
        if statement.get("Effect", "Allow") == "Deny":
            return False
        allowed = True
    return allowed


def document(fn: Any) -> str:
    """The policy as GetPolicy returns it (for messages)."""
    return json.dumps({"Version": "2012-10-17", "Statement": statements_of(fn)})
