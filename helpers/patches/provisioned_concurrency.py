"""Provisioned concurrency's API: Put, Get, Delete and List ProvisionedConcurrencyConfig(s), and
the unreserved minimum reserved concurrency must leave too.

Fixes: moto has none of these operations (boto3 gets a 404). The configs live in the kit's
runtime (`helpers.runtime.provisioned`), which really initialises the environments. moto let a
reservation take the whole account (it checks only when MOTO_LAMBDA_CONCURRENCY_QUOTA is set).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from moto.awslambda import models as lambda_models
from moto.awslambda import responses as lambda_responses
from moto.awslambda import urls as lambda_urls
from moto.awslambda.exceptions import InvalidParameterValueException, LambdaClientError

from ..limits import value
from ..runtime.service import Runtime

runtime_getter: Callable[[], Runtime | None] = lambda: None  # noqa: E731

_PATH = (
    r"{0}/(?P<api_version>[^/]+)/functions/(?P<function_name>[\w_:%-]+)/provisioned-concurrency/?$"
)


def apply(runtime: Callable[[], Runtime | None]) -> None:
    """Install the four operations and their route."""
    global runtime_getter
    runtime_getter = runtime
    responses = lambda_responses.LambdaResponse
    responses.put_provisioned_concurrency_config = put_provisioned_concurrency_config
    responses.get_provisioned_concurrency_config = get_provisioned_concurrency_config
    responses.delete_provisioned_concurrency_config = delete_provisioned_concurrency_config
    responses.list_provisioned_concurrency_configs = list_provisioned_concurrency_configs
    # moto's Flask app reads this table when it is built, as for ListFunctionUrlConfigs.
    lambda_urls.url_paths.setdefault(_PATH, responses.dispatch)
    backend = lambda_models.LambdaBackend
    backend.put_function_concurrency = _reservation_checked(backend.put_function_concurrency)


def _reservation_checked(original: Callable) -> Callable:
    def put_function_concurrency(self: Any, function_name: str, reserved: str) -> str:
        """PutFunctionConcurrency leaves the account's unreserved minimum, as AWS does."""
        runtime = runtime_getter()
        fn = self.get_function(function_name)
        if runtime is not None:
            # This function's own reservation (or provisioned concurrency) is replaced.
            own = (
                int(fn.reserved_concurrency)
                if fn.reserved_concurrency is not None
                else runtime.provisioned.total(self.account_id, self.region_name, fn.function_name)
            )
            _check_account(
                runtime, self.account_id, self.region_name, int(reserved) - own, "Reserved"
            )
        return original(self, function_name, reserved)

    return put_function_concurrency


class _NotFound(LambdaClientError):
    code = 404

    def __init__(self, arn: str) -> None:
        super().__init__(
            "ProvisionedConcurrencyConfigNotFoundException",
            f"No Provisioned Concurrency Config found for this function: {arn}",
        )


def _arn(response: Any, name: str, qualifier: str) -> str:
    return (
        f"arn:aws:lambda:{response.region}:{response.current_account}:function:{name}:{qualifier}"
    )


def _json(status: int, data: Any) -> tuple[int, dict[str, str], str]:
    return status, {"status": str(status), "content-type": "application/json"}, json.dumps(data)


def _runtime() -> Runtime:
    runtime = runtime_getter()
    if runtime is None:
        raise RuntimeError("the kit's Lambda runtime is not running: call helpers.start()")
    return runtime


def _name(response: Any) -> str:
    name = unquote(response.path.split("/")[-2])
    if name.startswith("arn:"):
        _, name, _ = response.backend._lambdas.split_function_arn(name)
    return name.split(":")[0]


def _target(response: Any) -> tuple[Any, str, str]:
    """(the function version the Qualifier names, the function name, the Qualifier)."""
    name = _name(response)
    qualifier = (response.querystring.get("Qualifier") or [""])[0]
    backend = response.backend
    latest = backend.get_function(name, None)  # ResourceNotFoundException if missing
    if not qualifier:
        raise InvalidParameterValueException(
            "Provisioned Concurrency Configs need a Qualifier: a published version or an alias."
        )
    if qualifier == "$LATEST":
        raise InvalidParameterValueException(
            "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
        )
    if qualifier.isdigit():
        return backend.get_function(name, qualifier), latest.function_name, qualifier
    alias = backend.get_alias(qualifier, name)  # ResourceNotFoundException if missing
    if (alias.routing_config or {}).get("AdditionalVersionWeights"):
        raise InvalidParameterValueException(
            "Alias with weights can not be used with Provisioned Concurrency"
        )
    return backend.get_function(name, alias.function_version), latest.function_name, qualifier


def put_provisioned_concurrency_config(self: Any) -> tuple[int, dict[str, str], str]:
    """PutProvisionedConcurrencyConfig: 202, IN_PROGRESS; READY once every INIT has run."""
    fn, name, qualifier = _target(self)
    count = json.loads(self.body or "{}").get("ProvisionedConcurrentExecutions")
    if not isinstance(count, int) or count < 1:
        raise InvalidParameterValueException(
            "ProvisionedConcurrentExecutions must be a whole number of at least 1."
        )
    runtime = _runtime()
    account, region = self.current_account, self.region
    current = runtime.provisioned.get(account, region, name, qualifier)
    others = runtime.provisioned.total(account, region, name) - (
        current.requested if current else 0
    )
    reserved = self.backend.get_function(name, None).reserved_concurrency
    if reserved is not None and others + count > int(reserved):
        raise InvalidParameterValueException(
            f"Requested Provisioned Concurrency ({others + count} for the function) should not "
            f"be greater than the reservedConcurrentExecution ({reserved}) for function {name}."
        )
    _check_account(runtime, account, region, count - (current.requested if current else 0))
    config = runtime.provisioned.put(fn, qualifier, count)
    return _json(202, config.to_dict())


def _check_account(runtime: Runtime, account: str, region: str, extra: int, kind: str = "") -> None:
    """AWS keeps a minimum of the account's concurrency unreserved: 100, or the whole limit of
    an account whose limit is lower (a new account's 10: "below its minimum value of [10]", as
    users of such accounts quote AWS, e.g. in CloudFormation failures; as of 2026-12)."""
    from moto.awslambda.models import lambda_backends

    backend = lambda_backends[account][region]
    reserved = 0
    provisioned = 0
    for group in list(backend._lambdas._functions.values()):
        latest = group.get("latest")
        if latest is None:
            continue
        if latest.reserved_concurrency is not None:
            reserved += int(latest.reserved_concurrency)
        else:  # provisioned on a function with a reservation is inside the reservation
            provisioned += runtime.provisioned.total(account, region, latest.function_name)
    limit = runtime.concurrency.account_limit
    minimum = min(int(value("unreserved_concurrency_min")), limit)
    if limit - reserved - provisioned - extra < minimum:
        raise InvalidParameterValueException(
            f"Specified {kind}ConcurrentExecutions for function decreases account's "
            f"UnreservedConcurrentExecution below its minimum value of [{minimum}]."
        )


def get_provisioned_concurrency_config(self: Any) -> tuple[int, dict[str, str], str]:
    """GetProvisionedConcurrencyConfig: requested, allocated, status (IN_PROGRESS, READY...)."""
    _, name, qualifier = _target(self)
    config = _runtime().provisioned.get(self.current_account, self.region, name, qualifier)
    if config is None:
        raise _NotFound(_arn(self, name, qualifier))
    return _json(200, config.to_dict())


def delete_provisioned_concurrency_config(self: Any) -> tuple[int, dict[str, str], str]:
    """DeleteProvisionedConcurrencyConfig: the provisioned environments are released."""
    _, name, qualifier = _target(self)
    if not _runtime().provisioned.delete(self.current_account, self.region, name, qualifier):
        raise _NotFound(_arn(self, name, qualifier))
    return 204, {"status": "204"}, ""


def list_provisioned_concurrency_configs(self: Any) -> tuple[int, dict[str, str], str]:
    """ListProvisionedConcurrencyConfigs: every config of the function, with its ARN."""
    name = _name(self)
    self.backend.get_function(name, None)  # ResourceNotFoundException if missing
    configs = _runtime().provisioned.listed(self.current_account, self.region, name)
    items = [config.to_dict(with_arn=True) for config in configs]
    return _json(200, {"ProvisionedConcurrencyConfigs": items})
