"""The execution role's temporary credentials, and whose role session an access key is."""

from __future__ import annotations

from dataclasses import dataclass

from .clock import now_text

__all__ = [
    "SESSION_SECONDS",
    "Session",
    "credentials",
    "issued_secret",
    "issued_token",
    "session_of",
]

# The role session AWS gives a function lasts up to 12 hours and is renewed; nothing expires here.
SESSION_SECONDS = 12 * 3600

# Every access key the runtime handed out, and the role session it stands for.
_sessions: dict[str, Session] = {}
# Their secret keys and session tokens, for the signature check (helpers.access.signatures).
_secrets: dict[str, str] = {}
_tokens: dict[str, str] = {}


@dataclass(frozen=True)
class Session:
    """Whose temporary credentials an access key is: a role, assumed for one function."""

    account_id: str
    role_arn: str
    name: str
    # The function's Region when the session is a handler's own (its requests then carry
    # lambda:SourceFunctionArn); "" for what Lambda itself does with the role.
    function_region: str = ""
    # When its credentials were issued (aws:TokenIssueTime, ISO 8601); "" for a session the kit
    # makes up for what Lambda itself does with the role (issued as the request is made).
    issued: str = ""

    @property
    def role_name(self) -> str:
        return self.role_arn.rsplit("/", 1)[-1]

    @property
    def arn(self) -> str:
        """The caller as AWS names it: arn:aws:sts::{account}:assumed-role/{role}/{function}."""
        partition = self.role_arn.split(":")[1] if self.role_arn.startswith("arn:") else "aws"
        return f"arn:{partition}:sts::{self.account_id}:assumed-role/{self.role_name}/{self.name}"


def credentials(account_id: str, region: str, role_arn: str, session_name: str) -> dict[str, str]:
    """Temporary credentials for `role_arn`, from the local STS, as the runtime hands them out.

    The role session is named after the function, as on AWS, so `sts.get_caller_identity()`
    in a handler answers `arn:aws:sts::{account}:assumed-role/{role}/{function}`.
    """
    from moto.sts.models import sts_backends
    from moto.utilities.utils import get_partition

    backend = sts_backends[account_id][get_partition(region)]
    assumed = backend.assume_role(
        region_name=region,
        role_session_name=session_name[:64],
        role_arn=role_arn,
        policy=None,
        duration=SESSION_SECONDS,
        external_id=None,
    )
    _sessions[assumed.access_key_id] = Session(
        assumed.account_id, role_arn, session_name[:64], function_region=region, issued=now_text()
    )
    _secrets[assumed.access_key_id] = assumed.secret_access_key
    _tokens[assumed.access_key_id] = assumed.session_token
    return {
        "AWS_ACCESS_KEY_ID": assumed.access_key_id,
        "AWS_SECRET_ACCESS_KEY": assumed.secret_access_key,
        "AWS_SESSION_TOKEN": assumed.session_token,
    }


def session_of(access_key_id: str) -> Session | None:
    """The function's role session an access key was issued for (None: not the runtime's)."""
    return _sessions.get(access_key_id)


def assumed_session(access_key_id: str) -> Session | None:
    """The role session of credentials the local STS issued (`assume_role`), else None."""
    from moto.sts.models import sts_backends

    for account in list(sts_backends):
        for backend in list(sts_backends[account].values()):
            for role in list(getattr(backend, "assumed_roles", [])):
                if role.access_key_id == access_key_id:
                    return Session(role.account_id, role.role_arn, role.session_name)
    return None


def issued_secret(access_key_id: str) -> str | None:
    """The secret key of an access key the local AWS issued (None: it issued no such key).

    The runtime's role sessions first; then what a learner asked for, as on AWS: STS's
    `assume_role` and friends, and IAM users' `create_access_key`.
    """
    if access_key_id in _secrets:
        return _secrets[access_key_id]
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends

    for account in list(sts_backends):
        for backend in list(sts_backends[account].values()):
            for role in list(getattr(backend, "assumed_roles", [])):
                if role.access_key_id == access_key_id:
                    return role.secret_access_key
    for account in list(iam_backends):
        for backend in list(iam_backends[account].values()):
            for user in list(getattr(backend, "users", {}).values()):
                for key in getattr(user, "access_keys", []):
                    if key.access_key_id == access_key_id and key.status == "Active":
                        return key.secret_access_key
    return None


def issued_token(access_key_id: str) -> str | None:
    """The session token that must come with a temporary access key the local AWS issued (a
    function's role session, or STS's `assume_role`); None for a key that has none (the
    owner's, an IAM user's) or that the kit didn't issue. AWS: temporary credentials are "an
    access key ID, a secret access key, and a security token", and "the token that users must
    pass to the service API to use the temporary credentials"
    (https://docs.aws.amazon.com/STS/latest/APIReference/API_Credentials.html, as of 2026-12)."""
    if access_key_id in _tokens:
        return _tokens[access_key_id]
    from moto.sts.models import sts_backends

    for account in list(sts_backends):
        for backend in list(sts_backends[account].values()):
            for role in list(getattr(backend, "assumed_roles", [])):
                if role.access_key_id == access_key_id:
                    return role.session_token
    return None
