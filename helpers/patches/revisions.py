"""A function's RevisionId, for optimistic locking, as on AWS.

Every FunctionConfiguration AWS returns carries a `RevisionId` that changes with each update of
the function's code or configuration. `UpdateFunctionCode` and `UpdateFunctionConfiguration`
take an optional `RevisionId`: when it is not the current one, the update is refused with
`PreconditionFailedException` (412), so that two people (or two cells) can't overwrite each
other's change unknowingly. moto returned no RevisionId and accepted any.

Source (as of 2026-12): https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html
("RevisionId: Update the function only if the revision ID matches the ID that's specified"; the
PreconditionFailedException error: "Call the GetFunction or the GetAlias API operation to
retrieve the latest RevisionId for your resource").
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from moto.awslambda import models as lambda_models
from moto.awslambda.exceptions import LambdaClientError


class PreconditionFailed(LambdaClientError):
    code = 412

    def __init__(self) -> None:
        super().__init__(
            "PreconditionFailedException",
            "The Revision Id provided does not match the latest Revision Id. Call the "
            "GetFunction/GetAlias API to retrieve the latest Revision Id",
        )


def revision(fn: Any) -> str:
    """The function's current RevisionId (made on first need)."""
    return fn.__dict__.setdefault("kit_revision", str(uuid.uuid4()))


def apply() -> None:
    """RevisionId in every configuration; updates check it and make a new one."""
    function = lambda_models.LambdaFunction
    function.get_configuration = _with_revision(function.get_configuration)
    backend = lambda_models.LambdaBackend
    backend.update_function_code = _checked(backend.update_function_code)
    backend.update_function_configuration = _checked(backend.update_function_configuration)


def _with_revision(original: Callable) -> Callable:
    def get_configuration(self: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        config = original(self, *args, **kwargs)
        config["RevisionId"] = revision(self)
        return config

    return get_configuration


def _checked(original: Callable) -> Callable:
    def update(self: Any, function_name: str, qualifier: str, body: dict[str, Any]) -> Any:
        fn = self.get_function(function_name, qualifier)
        given = (body or {}).get("RevisionId")
        if given and given != revision(fn):
            raise PreconditionFailed()
        before = revision(fn)
        fn.kit_revision = str(uuid.uuid4())  # before the answer, which shows the new one
        try:
            return original(self, function_name, qualifier, body)
        except BaseException:
            fn.kit_revision = before  # a refused update changes nothing
            raise

    return update
