"""A function's VpcConfig at update as at create (learner trial 12, ID11).

moto's `vpc_config` read `SecurityGroupIds` without a default: an UpdateFunctionConfiguration
whose VpcConfig named only subnets answered a 500 (KeyError). A list left out is an empty one,
as AWS returns it (VpcConfigResponse lists both, https://docs.aws.amazon.com/lambda/latest/api/
API_VpcConfigResponse.html, as of 2026-12). And an update that puts the function in subnets
needs the role's network-interface rights, as CreateFunction already checks them
(`lambda_validation._vpc_rights_checked`): without them AWS refuses the update too.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from moto.awslambda import models as lambda_models

from .lambda_validation import _vpc_rights_checked


def apply() -> None:
    """Default VpcConfig's lists, and check the role's rights when an update adds subnets."""
    function = lambda_models.LambdaFunction
    function.vpc_config = property(_vpc_config)
    function.update_configuration = _rights_checked(function.update_configuration)


def _vpc_config(self: Any) -> dict[str, Any] | None:
    if not self._vpc_config:
        return None
    config = {"SubnetIds": [], "SecurityGroupIds": [], **self._vpc_config}
    if config["SecurityGroupIds"]:
        config["VpcId"] = "vpc-123abc"  # moto's stand-in VPC
    return config


def _rights_checked(original: Callable) -> Callable:
    def update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
        if "VpcConfig" in config_updates:
            future = SimpleNamespace(
                account_id=self.account_id,
                role=config_updates.get("Role", self.role),
                function_name=self.function_name,
                _vpc_config=config_updates["VpcConfig"],
            )
            _vpc_rights_checked(future)
        return original(self, config_updates)

    return update_configuration
