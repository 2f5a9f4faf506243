"""A function's RevisionId, for optimistic locking, and PublishVersion's preconditions, as on AWS.

Every FunctionConfiguration AWS returns carries a `RevisionId` that changes with each update of
the function's code or configuration. `UpdateFunctionCode` and `UpdateFunctionConfiguration`
take an optional `RevisionId`: when it is not the current one, the update is refused with
`PreconditionFailedException` (412), so that two people (or two cells) can't overwrite each
other's change unknowingly. moto returned no RevisionId and accepted any.

Source (as of 2026-12): https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html
("RevisionId: Update the function only if the revision ID matches the ID that's specified"; the
PreconditionFailedException error: "Call the GetFunction or the GetAlias API operation to
retrieve the latest RevisionId for your resource").

`PublishVersion` takes two preconditions: `RevisionId` (412, as above) and `CodeSha256`, "Only
publish a version if the hash value matches the value that's specified" (its API reference, as
of 2026-12). A hash that isn't $LATEST's is InvalidParameterValueException, in the words AWS
answers (quoted in serverless/serverless#3696 and justinram11/serverless-aws-batch#22, and
measured in floci-io/floci#2822). moto read neither and published.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from moto.awslambda import models as lambda_models
from moto.awslambda import responses as lambda_responses
from moto.awslambda.exceptions import LambdaClientError


class PreconditionFailed(LambdaClientError):
    code = 412

    def __init__(self) -> None:
        super().__init__(
            "PreconditionFailedException",
            "The Revision Id provided does not match the latest Revision Id. Call the "
            "GetFunction/GetAlias API to retrieve the latest Revision Id",
        )


class CodeShaMismatch(LambdaClientError):
    code = 400

    def __init__(self, given: str, latest: str) -> None:
        super().__init__(
            "InvalidParameterValueException",
            f"CodeSHA256 ({given}) is different from current CodeSHA256 in $LATEST ({latest}). "
            "Please try again with the CodeSHA256 in $LATEST.",
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
    responses = lambda_responses.LambdaResponse
    responses.publish_version = _publish_checked(responses.publish_version)
    responses.update_alias = _alias_update_checked(responses.update_alias)
    lambda_models.LambdaAlias.update = _new_alias_revision(lambda_models.LambdaAlias.update)


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


def _publish_checked(original: Callable) -> Callable:
    def publish_version(self: Any) -> Any:
        """PublishVersion publishes only when its RevisionId and CodeSha256 match $LATEST's."""
        try:
            body = json.loads(self.body or "{}")
        except (TypeError, ValueError):
            body = {}
        wanted_sha, wanted_revision = body.get("CodeSha256"), body.get("RevisionId")
        if wanted_sha is not None or wanted_revision is not None:
            name = unquote(self.path.split("/")[-2])
            fn = self.backend.get_function(name, None)
            if wanted_revision is not None and wanted_revision != revision(fn):
                raise PreconditionFailed()
            if wanted_sha is not None and wanted_sha != fn.code_sha_256:
                raise CodeShaMismatch(wanted_sha, fn.code_sha_256)
        return original(self)

    return publish_version


# An alias has a RevisionId of its own, and UpdateAlias takes one: "Only update the alias if the
# revision ID matches the ID that's specified" (UpdateAlias's API reference, as of 2026-12).
# moto gave each alias one RevisionId for life and read none.
def _alias_update_checked(original: Callable) -> Callable:
    def update_alias(self: Any) -> Any:
        """UpdateAlias updates only when its RevisionId (if given) is the alias's current one."""
        try:
            wanted = json.loads(self.body or "{}").get("RevisionId")
        except (TypeError, ValueError):
            wanted = None
        if wanted is not None:
            function = unquote(self.path.rsplit("/")[-3])
            alias = self.backend.get_alias(unquote(self.path.rsplit("/", 2)[-1]), function)
            if wanted != alias.revision_id:
                raise PreconditionFailed()
        return original(self)

    return update_alias


def _new_alias_revision(original: Callable) -> Callable:
    def update(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.revision_id = str(uuid.uuid4())  # each change makes a new revision, as on AWS

    return update
