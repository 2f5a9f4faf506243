"""IAM names as AWS checks them: roles, users and policies with a space or a `/` are refused;
and an identity policy that names a principal is refused, as IAM refuses it.

moto accepted any name, so `put_role_policy(PolicyName="read db url", ...)` passed here, while on
AWS the call fails and the role gets no policy (a learner's handler then meets AccessDenied).

Sources (as of 2026-12): the IAM API reference, e.g.
https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html (PolicyName: length
1-128, pattern `[\\w+=,.@-]+`), API_CreateRole.html (RoleName: 1-64, same pattern),
API_CreateUser.html (UserName: 1-64), API_CreatePolicy.html (PolicyName: 1-128). The error, as
users quote it (aws-cloudformation/cfn-lint issue 996; app-sre/qontract-reconcile PR 2640):
"The specified value for policyName is invalid. It must contain only alphanumeric characters
and/or the following: +=,.@_-" (ValidationError, HTTP 400).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from moto.iam import models as iam_models
from moto.iam.exceptions import MalformedPolicyDocument, ValidationError
from moto.iam.policy_validation import IAMPolicyDocumentValidator

# `\w` as AWS's (Java's) regular expressions read it: ASCII letters, digits and `_` only;
# Python's also took `rôle` and `ρόλος` (learner trial 12, ID14).
_PATTERN = re.compile(r"[\w+=,.@-]+", re.ASCII)


def check_name(value: str, field: str, longest: int) -> None:
    """AWS's ValidationError for an IAM name it refuses (`field` as AWS spells it)."""
    if len(value) > longest:
        raise ValidationError(
            f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy "
            f"constraint: Member must have length less than or equal to {longest}"
        )
    if not _PATTERN.fullmatch(value):
        raise ValidationError(
            f"The specified value for {field} is invalid. It must contain only alphanumeric "
            "characters and/or the following: +=,.@_-"
        )


class _IdentityPolicyValidator(IAMPolicyDocumentValidator):
    """moto's check of an identity policy, which also refuses a principal (see module)."""

    def validate(self) -> None:
        super().validate()
        statements = getattr(self, "_statements", None) or []
        # "The Sid element supports ASCII uppercase letters (A-Z), lowercase letters (a-z), and
        # numbers (0-9)" (IAM JSON policy elements: Sid, reference_policies_elements_sid.html,
        # as of 2026-12); IAM's words as CloudFormation users quote them (MalformedPolicyDocument,
        # 400: aws-cloudformation/cfn-lint#1376). Learner trial 10 (XD10): `"Sid": "read-db-url"`
        # landed here, not on AWS.
        for s in statements:
            sid = s.get("Sid") if isinstance(s, dict) else None
            if isinstance(sid, str) and not re.fullmatch(r"[0-9A-Za-z]*", sid):
                raise MalformedPolicyDocument(
                    "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies "
                    "the regular expression [0-9A-Za-z]*"
                )
        if any(
            isinstance(s, dict) and ("Principal" in s or "NotPrincipal" in s) for s in statements
        ):
            raise MalformedPolicyDocument("Policy document should not specify a principal.")


def apply() -> None:
    """CreateRole, CreateUser, CreatePolicy, PutRolePolicy and PutUserPolicy check names;
    identity policies may not name a principal (only IAM's own models use this validator:
    ECR's repository policies, which name principals, keep moto's)."""
    iam_models.IAMPolicyDocumentValidator = _IdentityPolicyValidator
    backend = iam_models.IAMBackend
    backend.create_role = _checked(backend.create_role, "role_name", "roleName", 64, 0)
    backend.create_user = _checked(backend.create_user, "user_name", "userName", 64, 1)
    backend.create_policy = _checked(backend.create_policy, "policy_name", "policyName", 128, 3)
    backend.put_role_policy = _checked(backend.put_role_policy, "policy_name", "policyName", 128, 1)
    backend.put_user_policy = _checked(backend.put_user_policy, "policy_name", "policyName", 128, 1)


def _checked(original: Callable, argument: str, field: str, longest: int, index: int) -> Callable:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        value = kwargs[argument] if argument in kwargs else args[index]
        check_name(str(value), field, longest)
        return original(self, *args, **kwargs)

    method.__name__ = original.__name__
    method.__doc__ = original.__doc__
    return method
