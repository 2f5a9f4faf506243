"""The execution role as AWS applies it: who a handler's credentials are, and what they allow.

On AWS each execution environment gets temporary credentials for the function's execution role
(the role session is named after the function), and every call the handler makes with them is
authorised against the role's policies. This package gives that identity and that decision,
apart from moto's HTTP layer (it reads moto's STS, IAM and Secrets Manager models only):

- `sessions`: the role's temporary credentials from the local STS (`credentials`), and whose
  session an access key is (`session_of`).
- `policies`: the role's policies evaluated (`decide`, and `role_denial`/`first_role_denial`
  for what Lambda itself does with the role), the refusal AWS would give (`Denial`),
  and the switch `aws.configure(enforce_iam=True)` turns on (`enforce`, `enforcing`).
- `resources`: which IAM actions and resource ARNs an API call needs (`checks_for`).
- `function_policies`: a function's resource-based policy (`add_permission`), evaluated when
  a service invokes it; `aws.configure(enforce_resource_policies=False)` switches it off.
- `managed`: AWS managed policies created in an account when first used (`materialise`).
- `tags`: the role's and a resource's tags, as aws:PrincipalTag and aws:ResourceTag.
- `clock`: the time IAM conditions read (the kit's clock, `aws.advance_clock` moves it).

`helpers.patches.iam_enforcement` is the seam that applies them to moto's requests.
"""

from __future__ import annotations

from . import function_policies
from .managed import materialise
from .policies import Check, Denial, decide, enforce, enforcing, first_role_denial, role_denial
from .resources import checks_for, s3_checks
from .sessions import Session, credentials, session_of

__all__ = [
    "Check",
    "Denial",
    "Session",
    "checks_for",
    "credentials",
    "decide",
    "enforce",
    "enforcing",
    "first_role_denial",
    "function_policies",
    "materialise",
    "role_denial",
    "s3_checks",
    "session_of",
]
