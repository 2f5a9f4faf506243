"""The execution role's policies, evaluated as AWS does, and the refusal AWS gives.

Evaluated: Allow and Deny (an explicit Deny wins), Action/NotAction, Resource/NotResource, with
`*` and `?` wildcards and policy variables (`${aws:PrincipalAccount}` ...), and Condition with
the keys the kit knows (`request_context`, and the role's and the resource's tags, `tags`;
`conditions` says how). A condition on another key is false, so such an Allow grants nothing
and such a Deny refuses nothing. A role's permissions boundary limits what its policies allow
(an action must be allowed by both). A queue's, topic's or bucket's own policy in the role's
account grants too, when it names the role (or the role session, or everyone), and its Deny
refuses. Session policies are ignored.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from . import conditions, tags
from .clock import now as _now
from .clock import now_text, use_clock
from .patterns import as_strings, matches_any
from .sessions import Session

_matches = matches_any

__all__ = [
    "Check",
    "Denial",
    "as_strings",
    "decide",
    "enforce",
    "enforcing",
    "matches_any",
    "now_text",
    "use_clock",
]

_enforcing = True  # as on AWS; `aws.configure(enforce_iam=False)` to switch it off


# ------------------------------------------------------------------------------- switches
def enforce(on: bool) -> None:
    """Check (True) or stop checking (False) the handlers' calls against their roles."""
    global _enforcing
    _enforcing = bool(on)


def enforcing() -> bool:
    """True when handlers' calls are checked against their execution roles."""
    return _enforcing


# ------------------------------------------------------------------- requests and refusals
@dataclass(frozen=True)
class Check:
    """One permission a request needs: an IAM action on a resource.

    `resource` is an ARN, "*" for actions without a resource (ListBuckets, PutMetricData), or
    None when the kit does not know which resource the request touches: then only the action is
    checked.
    """

    action: str
    resource: str | None
    # Condition keys this request alone sets (dynamodb:LeadingKeys ...), as (key, value) pairs;
    # a multivalued key's value is a tuple (dynamodb:Attributes).
    keys: tuple[tuple[str, str | tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Denial:
    """Why a request was refused: who asked, for what, and whether a Deny said no."""

    session: Session
    check: Check
    explicit: bool
    service: str
    kind: str = "identity-based policy"  # or "permissions boundary", "resource-based policy"

    @property
    def code(self) -> str:
        return _ERRORS.get(self.service, _DEFAULT_ERROR)[0]

    @property
    def status(self) -> int:
        return _ERRORS.get(self.service, _DEFAULT_ERROR)[1]

    @property
    def message(self) -> str:
        """AWS's wording: who, which action, which resource, and why."""
        action = self.check.action
        prefix, _, name = action.partition(":")
        if self.service == "sqs":
            action = action.lower()  # SQS writes "sqs:sendmessage"
        elif self.service == "sns":
            action = f"SNS:{name}"  # SNS writes "SNS:Publish"
        resource = self.check.resource
        where = ""
        if resource not in (None, "*") and not resource.endswith(":::*"):
            where = f' on resource: "{resource}"' if prefix == "s3" else f" on resource: {resource}"
        # AWS's words for each (IAM User Guide, "Access denied error messages"; as_of
        # 2026-12-07).
        why = (
            f"with an explicit deny in {'an' if self.kind[0] in 'aeiou' else 'a'} {self.kind}"
            if self.explicit
            else f"because no {self.kind} allows the {action} action"
        )
        return f"User: {self.session.arn} is not authorized to perform: {action}{where} {why}"


# The error code and HTTP status each service answers a refusal with (the rest: JSON services).
_DEFAULT_ERROR = ("AccessDeniedException", 400)
_ERRORS = {
    "s3": ("AccessDenied", 403),
    "sqs": ("AccessDenied", 403),
    "sns": ("AuthorizationError", 403),
    "sts": ("AccessDenied", 403),
    "iam": ("AccessDenied", 403),
    "cloudwatch": ("AccessDenied", 403),
    "lambda": ("AccessDeniedException", 403),
}


# ------------------------------------------------------------------------------ evaluation
@dataclass(frozen=True)
class _Statement:
    allow: bool
    actions: tuple[str, ...] | None
    not_actions: tuple[str, ...] | None
    resources: tuple[str, ...] | None
    not_resources: tuple[str, ...] | None
    condition: str = ""  # the Condition block as JSON ("" when none)
    variables: bool = False  # Version 2012-10-17: ${...} in resources and conditions are read

    def applies(self, check: Check, context: dict[str, str | None] | None = None) -> bool:
        context = context or {}
        if self.condition:
            condition = json.loads(self.condition)
            if self.variables:
                condition = _substituted(condition, context)
            if condition is None or not conditions.holds(condition, context):
                return False
        if self.actions is not None:
            if not _matches(self.actions, check.action, fold=True):
                return False
        elif self.not_actions is None or _matches(self.not_actions, check.action, fold=True):
            return False
        if check.resource is None:
            return True
        resources, not_resources = self.resources, self.not_resources
        if self.variables:
            resources = read_variables(resources, context)
            not_resources = read_variables(not_resources, context)
        if resources is not None:
            return _matches(resources, check.resource, fold=False)
        if not_resources is not None:
            return not _matches(not_resources, check.resource, fold=False)
        return False


# Policy variables: ${key}, with ${*} ${?} ${$} for the characters themselves, only in policies
# of Version 2012-10-17; a key the request lacks matches nothing ("IAM policy elements:
# Variables and tags", https://docs.aws.amazon.com/IAM/latest/UserGuide/
# reference_policies_variables.html; as_of 2026-12-07).
_VARIABLE = re.compile(r"\$\{([^}]+)\}")
_LITERALS = {"*": "\x00", "?": "\x01", "$": "$"}  # kept from reading as wildcards


def _with_value(pattern: str, context: dict[str, str | None]) -> str | None:
    known = {key.lower(): value for key, value in context.items()}

    def value(match: re.Match[str]) -> str:
        key = match.group(1).strip()
        if key in _LITERALS:
            return _LITERALS[key]
        found = known.get(key.lower())
        if found is None:
            raise KeyError(key)
        return found.replace("*", "\x00").replace("?", "\x01")  # a value is never a wildcard

    try:
        return _VARIABLE.sub(value, pattern)
    except KeyError:
        return None


def read_variables(
    patterns: tuple[str, ...] | None, context: dict[str, str | None]
) -> tuple[str, ...] | None:
    """Resource patterns with their policy variables read from a request's context (a pattern
    naming a key the request lacks is dropped: it matches nothing)."""
    if patterns is None:
        return None
    kept = [_with_value(p, context) for p in patterns]
    return tuple(p for p in kept if p is not None)


def _substituted(condition: Any, context: dict[str, str | None]) -> Any:
    """The Condition block with its variables read (None: one names a key the request lacks)."""
    text = json.dumps(condition)
    if "${" not in text:
        return condition
    try:
        read = {
            operator: {
                key: [_with_value(str(value), context) for value in as_strings(values) or ()]
                for key, values in tests.items()
            }
            for operator, tests in condition.items()
        }
    except (AttributeError, TypeError):
        return None
    if any(None in values for tests in read.values() for values in tests.values()):
        return None
    return {
        operator: {
            key: [v.replace("\x00", "*").replace("\x01", "?") for v in values]
            for key, values in tests.items()
        }
        for operator, tests in read.items()
    }


@functools.lru_cache(maxsize=1024)
def _statements(document: str) -> tuple[_Statement, ...]:
    """A policy document's statements, parsed once per distinct document."""
    try:
        parsed = json.loads(document)
    except ValueError:
        try:
            parsed = json.loads(unquote(document))
        except ValueError:
            return ()
    raw = parsed.get("Statement", []) if isinstance(parsed, dict) else []
    variables = isinstance(parsed, dict) and parsed.get("Version") == "2012-10-17"
    statements = []
    for item in [raw] if isinstance(raw, dict) else raw:
        if not isinstance(item, dict):
            continue
        statements.append(
            _Statement(
                allow=item.get("Effect") == "Allow",
                actions=as_strings(item.get("Action")),
                not_actions=as_strings(item.get("NotAction")),
                resources=as_strings(item.get("Resource")),
                not_resources=as_strings(item.get("NotResource")),
                condition=json.dumps(item["Condition"]) if item.get("Condition") else "",
                variables=variables,
            )
        )
    return tuple(statements)


def _role_documents(session: Session) -> tuple[list[str], list[str] | None]:
    """The role's policy documents now (inline ones and each attached policy's default version),
    and its permissions boundary's (None: it has none; empty: one that doesn't exist, which
    allows nothing)."""
    from moto.iam.models import iam_backends

    from .managed import materialise

    partition = session.role_arn.split(":")[1] if session.role_arn.startswith("arn:") else "aws"
    backend = iam_backends[session.account_id][partition]
    role = next((r for r in list(backend.roles.values()) if r.name == session.role_name), None)
    if role is None:
        return [], None  # a deleted role allows nothing
    documents = list(role.policies.values())
    for policy in list(role.managed_policies.values()):
        documents.extend(v.document for v in policy.versions if v.is_default)
    boundary_arn = getattr(role, "permissions_boundary_arn", None)
    boundary: list[str] | None = None
    if boundary_arn:
        materialise(backend, boundary_arn)
        policy = backend.managed_policies.get(boundary_arn)
        boundary = [v.document for v in policy.versions if v.is_default] if policy else []
        boundary = [d if isinstance(d, str) else json.dumps(d) for d in boundary]
    return [d if isinstance(d, str) else json.dumps(d) for d in documents], boundary


# Keys every request of a handler's SDK holds: it calls AWS over HTTPS, so aws:SecureTransport is
# "true" (a key "always included in the request context": AWS global condition context keys, IAM
# User Guide, as of 2026-12).
EVERY_REQUEST = {"aws:SecureTransport": "true"}


def request_context(session: Session, region: str | None) -> dict[str, str | None]:
    """The global condition keys the kit knows for a request by this role session."""
    return {
        **EVERY_REQUEST,
        "aws:RequestedRegion": region,
        "aws:PrincipalAccount": session.account_id,
        "aws:PrincipalArn": session.role_arn,
        # A role session's type; its calls are its own, not a service's on its behalf; the
        # kit's resources belong to the caller's account (AWS global condition context keys,
        # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html,
        # as of 2026-12).
        "aws:PrincipalType": "AssumedRole",
        "aws:PrincipalIsAWSService": "false",
        "aws:ViaAWSService": "false",
        "aws:ResourceAccount": session.account_id,
        # A role session's aws:userid is its AssumedRoleId: the role's unique id (AROA...), not
        # its name, then the session's name (STS API reference, AssumedRoleUser: "contains the
        # role ID and the role session name"; re:Post's example condition "AROAABCDEFGHIJ:*";
        # as of 2026-12). moto gives each role such an id (get_role's RoleId).
        "aws:userid": f"{_role_id(session)}:{session.name}",
        # The kit's clock (IAM: "aws:CurrentTime ... always included", ISO 8601; aws:EpochTime
        # in seconds).
        "aws:CurrentTime": now_text(),
        # A role session's credentials are temporary, and a request signed with temporary
        # credentials carries when they were issued (aws:TokenIssueTime, the page above;
        # learner trial 12, JD4).
        "aws:TokenIssueTime": session.issued or now_text(),
        "aws:EpochTime": str(int(_now().timestamp())),
        # A call from within a function's execution environment carries the function's ARN
        # (https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html).
        "lambda:SourceFunctionArn": (
            f"arn:{_partition(session)}:lambda:{session.function_region}:{session.account_id}"
            f":function:{session.name}"
            if session.function_region
            else None
        ),
        # The role's own tags, aws:PrincipalTag/<key> (learner trial 12, JD4; `tags`).
        **tags.principal_tags(session.account_id, session.role_arn),
    }


def _partition(session: Session) -> str:
    return session.role_arn.split(":")[1] if session.role_arn.startswith("arn:") else "aws"


def _role_id(session: Session) -> str:
    """The role's unique id (AROA...), as `get_role` answers RoleId."""
    from moto.iam.models import iam_backends

    partition = session.role_arn.split(":")[1] if session.role_arn.startswith("arn:") else "aws"
    backend = iam_backends[session.account_id][partition]
    role = next((r for r in list(backend.roles.values()) if r.name == session.role_name), None)
    return role.id if role is not None else session.role_name


def decide(
    session: Session,
    checks: list[Check],
    service: str,
    region: str | None = None,
    *,
    documents: tuple[list[str], list[str] | None] | None = None,
    context_free: bool = False,
) -> Denial | None:
    """None if the role allows every check, else the first refusal (`documents`: the role's,
    as `_role_documents` just read them; `context_free`: no statement of theirs reads the
    request's context, which is then not worked out)."""
    documents, boundary_documents = documents or _role_documents(session)
    statements = [s for doc in documents for s in _statements(doc)]
    boundary = (
        None
        if boundary_documents is None
        else [s for doc in boundary_documents for s in _statements(doc)]
    )
    common = {} if context_free else request_context(session, region)
    # The resource's tags when a statement names a tag (reading them costs a look-up per check).
    named = " ".join(
        f"{s.condition} {s.resources} {s.not_resources}" for s in [*statements, *(boundary or [])]
    )
    wants_resource_tags = "tag/" in named.lower()
    for check in checks:
        context = {**common, **dict(check.keys)} if check.keys else common
        if wants_resource_tags:
            context = {**tags.resource_tags(session.account_id, check.resource), **context}
        parts = (check.resource or "").split(":")
        owner = parts[4:5]
        if owner and owner[0].isdigit():  # the resource's own account, from its ARN
            context = {**context, "aws:ResourceAccount": owner[0]}
        if region is None and parts[3:4] and parts[3]:
            # A call Lambda makes with the role (a mapping's poll, the function's own log
            # writes) goes to the resource's Region: the Region in its ARN (learner trial 13,
            # MD17/MD18; aws:RequestedRegion, "the AWS Region that was called in the request",
            # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html,
            # as of 2026-12).
            context = {**context, "aws:RequestedRegion": parts[3]}
        verdict = _verdict(statements, check, context)
        if verdict is not False:
            # In one account, the resource's own policy grants as the role's does; its Deny
            # refuses ("Policy evaluation logic", IAM User Guide; as_of 2026-12-07).
            granted = _verdict(_resource_statements(session, check), check, context)
            if granted is False:
                return Denial(session, check, True, service, "resource-based policy")
            verdict = verdict or granted
        if verdict is not True:
            return Denial(session, check, explicit=verdict is False, service=service)
        if boundary is not None:  # what the policies allow, the boundary must allow too
            verdict = _verdict(boundary, check, context)
            if verdict is not True:
                return Denial(session, check, verdict is False, service, "permissions boundary")
    return None


def _resource_statements(session: Session, check: Check) -> list[_Statement]:
    """The statements of the resource's own policy (queue, topic, bucket) in the session's
    account whose Principal is the role, its session or everyone."""
    resource = check.resource or ""
    document = _resource_policy(session.account_id, resource)
    if not document:
        return []
    try:
        parsed = json.loads(document)
    except ValueError:
        return []
    raw = parsed.get("Statement", []) if isinstance(parsed, dict) else []
    callers = {"*", session.role_arn, session.arn}
    mine = []
    for item in [raw] if isinstance(raw, dict) else raw:
        if not isinstance(item, dict):
            continue
        principal = item.get("Principal")
        named = as_strings(principal.get("AWS")) if isinstance(principal, dict) else None
        named = named or (as_strings(principal) if isinstance(principal, str) else ())
        if callers & set(named or ()):
            single = {**parsed, "Statement": [{k: v for k, v in item.items() if k != "Principal"}]}
            mine.extend(_statements(json.dumps(single)))
    return mine


def _resource_policy(account_id: str, resource: str) -> str | None:
    """The policy of a queue, topic or bucket of this account, as JSON (None: none)."""
    parts = resource.split(":")
    if len(parts) < 6:
        return None
    service, region, account = parts[2], parts[3], parts[4]
    try:
        if service == "sqs" and account == account_id:
            from moto.sqs.models import sqs_backends

            queue = sqs_backends[account][region].queues.get(parts[5])
            return queue.policy if queue is not None else None
        if service == "sns" and account == account_id:
            from moto.sns.models import sns_backends

            topic = sns_backends[account][region].topics.get(resource)
            return topic.policy if topic is not None else None
        if service == "s3":
            from moto.s3.models import s3_backends

            name = parts[5].split("/", 1)[0]
            bucket = s3_backends[account_id]["aws"].buckets.get(name)
            policy = bucket.policy if bucket is not None else None
            return policy.decode() if isinstance(policy, bytes) else policy
    except (KeyError, AttributeError, TypeError):
        return None
    return None


def _verdict(statements: list[_Statement], check: Check, context: dict[str, str | None]):
    """True: allowed; False: explicitly denied; None: nothing allows it."""
    allowed = None
    for statement in statements:
        if statement.applies(check, context):
            if not statement.allow:
                return False
            allowed = True
    return allowed


def role_denial(
    account_id: str, role_arn: str, function: str, action: str, resource: str
) -> Denial | None:
    """Why `function`'s execution role may not do `action` on `resource` (None: it may).

    For what Lambda itself does with the role, not the handler: poll a queue or a stream for an
    event source mapping, send a failed event to a dead-letter queue or a destination. Always
    None when enforcement is off.
    """
    return first_role_denial(account_id, role_arn, function, [(action, resource)])


def first_role_denial(
    account_id: str, role_arn: str, function: str, needed: list[tuple[str, str]]
) -> Denial | None:
    """`role_denial` for several (action, resource) pairs at once: the first refused, or None.

    One evaluation reads the role's policies and request context once (Lambda's own log writes
    need two or three actions on every invoke)."""
    if not _enforcing or not needed:
        return None
    session = Session(account_id, role_arn, function)
    checks = [Check(action, resource) for action, resource in needed]
    service = needed[0][0].partition(":")[0]
    documents, boundary = _role_documents(session)
    key = (
        account_id,
        role_arn,
        function,
        tuple(needed),
        tuple(documents),
        boundary and tuple(boundary),
    )
    static = (
        all(map(_context_free, documents))
        and (boundary is None or all(map(_context_free, boundary)))
        and not any(_resource_policy(account_id, check.resource or "") for check in checks)
    )
    if static and key in _DECISIONS:
        return _DECISIONS[key]
    denial = decide(session, checks, service, documents=(documents, boundary), context_free=static)
    if static:
        if len(_DECISIONS) >= 4096:
            _DECISIONS.clear()
        _DECISIONS[key] = denial
    return denial


# Decisions of `first_role_denial` that depend on nothing but the policies' text and the checks
# (no Condition, no policy variable, no tag, no resource-based policy): Lambda asks the same of
# IAM on every invoke (its log writes). Keyed by the documents themselves, so any change to the
# role's inline or attached policies, their default versions or its boundary is a new key.
_DECISIONS: dict[tuple, Denial | None] = {}


@functools.lru_cache(maxsize=1024)
def _context_free(document: str) -> bool:
    """Whether a document's verdict on a check depends on nothing but the check: no statement
    has a Condition, a policy variable, or names a tag."""
    for statement in _statements(document):
        if statement.condition:
            return False
        named = " ".join((*(statement.resources or ()), *(statement.not_resources or ())))
        if (statement.variables and "${" in named) or "tag/" in named.lower():
            return False
    return True
