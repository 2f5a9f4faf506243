"""IAM role requests checked as AWS checks them (learner trial 11: DD18, CD10; trial 12: ID14,
ID15, a role's Path and Description, and names with letters outside ASCII).

- A RoleName that isn't a name (a role's ARN, `arn:aws:iam::123456789012:role/reader`) is
  refused by IAM's validation before any role is looked up: RoleName "Length Constraints:
  Minimum length of 1. Maximum length of 64. Pattern: [\\w+=,.@-]+"
  (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html, and the other
  role calls, as of 2026-12) → ValidationError, in AWS's validation format. moto answered
  NoSuchEntity, "Role arn:... not found": the learner was told the role doesn't exist.
- A role's inline policies hold at most 10,240 characters in all, whitespace not counted
  ("Role policy size cannot exceed 10,240 characters", IAM quotas:
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html, as of 2026-12):
  PutRolePolicy beyond it is LimitExceeded (409), "Maximum policy size of 10240 bytes exceeded
  for role <name>" (AWS's words as users quote them, e.g. aws-amplify/amplify-cli#1699, and
  CloudFormation's relay of it: "Status Code: 409; Error Code: LimitExceeded"). moto kept any
  size.
- A role's trust policy (CreateRole's AssumeRolePolicyDocument, UpdateAssumeRolePolicy's
  PolicyDocument) must be JSON and name a principal in every statement: MalformedPolicyDocument
  (400), "The request was rejected because the policy document was malformed"
  (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html, Errors; "You must
  use the Principal element in ... the trust policy for IAM roles",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html;
  as of 2026-12). IAM's words as users quote them: "This policy contains invalid Json"
  (AWSCookbook/Security#2, brendanhay/amazonka#434) and "Invalid principal in policy:
  com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no
  principals!" (terraform-aws-modules/terraform-aws-iam#47, cloudposse/terraform-aws-cloudwatch-
  logs#7). moto made the role (outside check 12, M9, M10) and, at UpdateAssumeRolePolicy, said
  "Syntax errors in policy." of text that isn't JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from moto.iam import models as iam_models
from moto.iam.exceptions import LimitExceededException, MalformedPolicyDocument, ValidationError

ROLE_NAME = r"[\w+=,.@-]+"
ROLE_NAME_MAX = 64
INLINE_MAX = 10240
# The role calls (moto's backend methods) and where each takes the role's name.
_ROLE_CALLS = {
    "delete_role": 0,
    "update_assume_role_policy": 0,
    "put_role_policy": 0,
    "get_role_policy": 0,
    "delete_role_policy": 0,
    "list_role_policies": 0,
    "attach_role_policy": 1,
    "detach_role_policy": 1,
    "list_attached_role_policies": 0,
    "tag_role": 0,
    "list_role_tags": 0,
}


def check_role_name(name: Any) -> None:
    """AWS's ValidationError for a RoleName that isn't one."""
    name = str(name)
    errors = []
    if len(name) > ROLE_NAME_MAX:
        errors.append(f"Member must have length less than or equal to {ROLE_NAME_MAX}")
    if not re.fullmatch(ROLE_NAME, name, re.ASCII):  # `\w` is ASCII's, as in AWS's (ID14)
        errors.append(f"Member must satisfy regular expression pattern: {ROLE_NAME}")
    if errors:
        count = f"{len(errors)} validation error{'s' if len(errors) > 1 else ''} detected"
        detail = "; ".join(
            f"Value '{name}' at 'roleName' failed to satisfy constraint: {rule}" for rule in errors
        )
        raise ValidationError(f"{count}: {detail}")


def _role_named(original: Callable, index: int) -> Callable:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        name = kwargs.get("role_name", args[index] if len(args) > index else None)
        if name is not None:
            check_role_name(name)
        return original(self, *args, **kwargs)

    method.__name__ = original.__name__
    method.__doc__ = original.__doc__
    return method


def _size(document: Any) -> int:
    return len(re.sub(r"\s", "", str(document)))


def _inline_size_checked(original: Callable) -> Callable:
    def put_role_policy(self: Any, role_name: str, policy_name: str, policy_json: str) -> None:
        """PutRolePolicy refuses inline policies over 10,240 characters in all (see module)."""
        role = self.get_role(role_name)
        others = sum(_size(doc) for name, doc in role.policies.items() if name != policy_name)
        if others + _size(policy_json) > INLINE_MAX:
            raise LimitExceededException(
                f"Maximum policy size of {INLINE_MAX} bytes exceeded for role {role_name}"
            )
        return original(self, role_name, policy_name, policy_json)

    return put_role_policy


# CreateRole's Path begins and ends with `/`, printable ASCII between; its Description is
# Latin-1 text (API_CreateRole: Path "Pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)",
# Description "Pattern: [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*"; as of 2026-12).
# moto took "/lambda", "/rôles/" and emoji (learner trial 12, ID15). IAM's words for a path, as
# IAM's clients and emulators record them (ValidationError, 400); for a description the
# validation format, AWS's own words for it not found.
PATH = r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)"
PATH_INVALID = (
    "The specified value for path is invalid. It must begin and end with / and contain only "
    "alphanumeric characters and/or / characters."
)
DESCRIPTION = r"[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*"


def _path_and_description_checked(original: Callable) -> Callable:
    def create_role(self: Any, *args: Any, **kwargs: Any) -> Any:
        """CreateRole refuses a Path or a Description outside their patterns (see above)."""
        path = kwargs["path"] if "path" in kwargs else (args[2] if len(args) > 2 else None)
        if "description" in kwargs:
            description = kwargs["description"]
        else:
            description = args[4] if len(args) > 4 else None
        if path and not re.fullmatch(PATH, str(path)):
            raise ValidationError(PATH_INVALID)
        if description and not re.fullmatch(DESCRIPTION, str(description)):
            raise ValidationError(
                f"1 validation error detected: Value '{description}' at 'description' failed "
                f"to satisfy constraint: Member must satisfy regular expression pattern: "
                f"{DESCRIPTION}"
            )
        return original(self, *args, **kwargs)

    create_role.__doc__ = original.__doc__
    return create_role


INVALID_JSON = "This policy contains invalid Json"
NO_PRINCIPALS = (
    "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in "
    "policy has a statement with no principals!"
)


def _names_someone(principal: Any) -> bool:
    """A Principal that names at least one principal (`"*"`, or a non-empty list somewhere)."""
    if isinstance(principal, dict):
        return any(_names_someone(value) for value in principal.values())
    if isinstance(principal, list):
        return any(_names_someone(value) for value in principal)
    return isinstance(principal, str) and principal != ""


def check_trust_policy(document: Any) -> None:
    """IAM's MalformedPolicyDocument for a trust policy that isn't JSON or has a statement that
    names no principal (see the module). The rest of the document is left to moto."""
    try:
        policy = json.loads(str(document))
    except ValueError:
        raise MalformedPolicyDocument(INVALID_JSON) from None
    statements = policy.get("Statement") if isinstance(policy, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    for statement in statements if isinstance(statements, list) else []:
        if not isinstance(statement, dict):
            continue
        if not any(_names_someone(statement.get(key)) for key in ("Principal", "NotPrincipal")):
            raise MalformedPolicyDocument(NO_PRINCIPALS)


def _trust_checked(original: Callable, argument: str, index: int) -> Callable:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        document = kwargs[argument] if argument in kwargs else args[index]
        check_trust_policy(document)
        return original(self, *args, **kwargs)

    method.__name__ = original.__name__
    method.__doc__ = original.__doc__
    return method


# MaxSessionDuration: "Valid Range: Minimum value of 3600. Maximum value of 43200" (API_CreateRole,
# API_UpdateRole, https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html, as of
# 2026-12); botocore checks only the minimum. moto took 86400 (learner trial 13, T-OD13).
SESSION_SECONDS = (3600, 43200)


def check_max_session(value: Any) -> None:
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return  # moto's own answer
    least, most = SESSION_SECONDS
    rule = None
    if seconds > most:
        rule = f"Member must have value less than or equal to {most}"
    elif seconds < least:
        rule = f"Member must have value greater than or equal to {least}"
    if rule:
        raise ValidationError(
            f"1 validation error detected: Value '{seconds}' at 'maxSessionDuration' failed to "
            f"satisfy constraint: {rule}"
        )


def _session_checked(original: Callable, argument: str, index: int) -> Callable:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        value = (
            kwargs[argument] if argument in kwargs else (args[index] if len(args) > index else None)
        )
        if value is not None:
            check_max_session(value)
        return original(self, *args, **kwargs)

    method.__name__ = original.__name__
    method.__doc__ = original.__doc__
    return method


def apply() -> None:
    """Wrap moto's IAM backend's role calls (after `iam_names`: the name is checked first)."""
    backend = iam_models.IAMBackend
    backend.create_role = _session_checked(backend.create_role, "max_session_duration", 6)
    backend.update_role = _session_checked(backend.update_role, "max_session_duration", 2)
    backend.create_role = _trust_checked(backend.create_role, "assume_role_policy_document", 1)
    backend.update_assume_role_policy = _trust_checked(
        backend.update_assume_role_policy, "policy_document", 1
    )
    backend.create_role = _path_and_description_checked(backend.create_role)
    backend.put_role_policy = _inline_size_checked(backend.put_role_policy)
    for name, index in _ROLE_CALLS.items():
        if hasattr(backend, name):
            setattr(backend, name, _role_named(getattr(backend, name), index))
