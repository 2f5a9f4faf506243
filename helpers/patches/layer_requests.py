"""Layer requests checked as AWS checks them (learner trial 11: DD4, DD5, DD6, DD12, DD13, FD15,
AD9).

- PublishLayerVersion refuses what its API model refuses (API_PublishLayerVersion,
  https://docs.aws.amazon.com/lambda/latest/api/API_PublishLayerVersion.html, as of 2026-12):
  a LayerName outside `[a-zA-Z0-9-_]{1,140}` or a layer ARN (a dot: DD4), CompatibleRuntimes and
  CompatibleArchitectures outside their enums (DD5, DD6), a Description over 256 characters
  (DD13), in AWS's ValidationException format. moto published them all.
- A LayerName given as the layer's ARN ("The name or Amazon Resource Name (ARN) of the layer",
  same page) names the layer in the ARN (DD12): moto made a layer named after the whole ARN.
  The other layer calls with the name in the path (GetLayerVersion, ListLayerVersions,
  DeleteLayerVersion, the layer permissions) take the ARN the same way.
- A layer version of another account (AWS's public layers, such as Powertools'
  `arn:aws:lambda:{region}:017000801446:layer:AWSLambdaPowertoolsPythonV3-...`) can't be
  reached from the local AWS, which holds one account: the refusal says so, as the kit's own
  words, instead of claiming that the layer doesn't exist (FD15, AD9).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote, unquote

from moto.awslambda import responses as lambda_responses

from ..limits import InvalidParameterValue
from ..runtime import layers
from .lambda_requests import Refused, _body, check

PUBLISHED = ("LayerName", "Description", "CompatibleRuntimes", "CompatibleArchitectures")
LAYER_ARN = re.compile(
    r"arn:(aws[a-zA-Z-]*)?:lambda:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):layer:"
    r"(?P<name>[a-zA-Z0-9_-]{1,140})"
)
# The layer operations whose path holds /layers/<LayerName>/...
_NAMED = (
    "get_layer_version",
    "list_layer_versions",
    "delete_layer_version",
    "add_layer_version_permission",
    "get_layer_version_policy",
    "remove_layer_version_permission",
)
_PATH_NAME = re.compile(r"(/layers/)([^/?]+)")


def _plain(response: Any) -> str | None:
    """The request's LayerName made plain (an ARN of this account and Region: its name), the
    path rewritten to it; None when the path names no layer."""
    match = _PATH_NAME.search(response.path)
    if not match:
        return None
    given = unquote(match.group(2))
    found = LAYER_ARN.fullmatch(given)
    if found is None:
        return given
    if found["region"] != response.region or found["account"] != response.current_account:
        # AWS's wording for another account's or Region's layer name wasn't found.
        raise Refused(
            "InvalidParameterValueException",
            f"[local kit, not AWS: AWS's own words weren't found] {given} names a layer of "
            f"another account or Region; this request is for account {response.current_account}"
            f" in {response.region}.",
        )
    name = found["name"]
    old, new = match.group(0), f"{match.group(1)}{quote(name, safe='')}"
    response.path = response.path.replace(old, new, 1)
    response.uri = response.uri.replace(old, new, 1)
    return name


def _publish_checked(original: Callable) -> Callable:
    def publish_layer_version(self: Any) -> Any:
        """PublishLayerVersion: the request checked as AWS's model has it, and a LayerName ARN
        taken as the layer's name."""
        match = _PATH_NAME.search(self.path)
        given = unquote(match.group(2)) if match else ""
        check("PublishLayerVersion", {**_body(self), "LayerName": given}, PUBLISHED)
        _plain(self)
        return original(self)

    return publish_layer_version


def _named(original: Callable) -> Callable:
    def method(self: Any) -> Any:
        _plain(self)
        return original(self)

    method.__name__ = original.__name__
    method.__doc__ = f"{original.__name__}, a LayerName ARN taken as the layer's name."
    return method


PUBLIC_LAYER = (
    "[local kit, not AWS] Layer version {arn} belongs to account {account}, not yours: the "
    "local AWS holds only your own account, so it can't attach another account's layers, such "
    "as AWS's public Powertools layers. On AWS this layer may well exist. In the kit, put the "
    "package in your ZIP, or publish it as a layer of your own (notebook 11a)."
)


def _other_accounts_said(original: Callable) -> Callable:
    def resolve(arns: Sequence[str]) -> Any:
        """The layer versions a function names; another account's is refused in the kit's own
        words (it can't be reached here), not as a version that doesn't exist."""
        try:
            return original(arns)
        except InvalidParameterValue:
            from moto.core import DEFAULT_ACCOUNT_ID as ACCOUNT_ID  # the kit's one account

            for arn in arns:
                found = LAYER_ARN.match(str(arn))
                if found and found["account"] != ACCOUNT_ID:
                    raise Refused(
                        "InvalidParameterValueException",
                        PUBLIC_LAYER.format(arn=arn, account=found["account"]),
                    ) from None
            raise

    return resolve


def apply() -> None:
    """Wrap moto's layer responses, and the runtime's resolution of a function's Layers."""
    responses = lambda_responses.LambdaResponse
    responses.publish_layer_version = _publish_checked(responses.publish_layer_version)
    for name in _NAMED:
        setattr(responses, name, _named(getattr(responses, name)))
    layers.resolve = _other_accounts_said(layers.resolve)
