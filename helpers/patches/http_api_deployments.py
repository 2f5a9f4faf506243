"""HTTP API stages and deployments as API Gateway has them (moto has neither UpdateStage nor
CreateDeployment for HTTP APIs, so a stage without AutoDeploy could never serve).

- `create_deployment(ApiId=..., StageName=...)` takes a snapshot of the API's routes and
  integrations and deploys it to the stage; `create_stage(..., DeploymentId=...)` and
  `update_stage(..., DeploymentId=...)` deploy an existing one.
- A stage without AutoDeploy serves its deployment, not later changes; with AutoDeploy it
  serves the API as it is (API Gateway deploys every change at once).
- `update_stage` changes AutoDeploy, the description, the stage variables and the route
  settings (throttling limits among them).

Source: "Working with stages for HTTP APIs" and the CreateDeployment API reference,
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html and
https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-deployments.html
(as of 2026-12).
"""

from __future__ import annotations

import copy
import json
import random
import re
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from moto.apigatewayv2 import urls as v2_urls
from moto.apigatewayv2.exceptions import APIGatewayV2Error, BadRequestException
from moto.apigatewayv2.models import Stage
from moto.apigatewayv2.responses import ApiGatewayV2Response

__all__ = ["Deployment", "apply", "served"]

_DEPLOYMENTS_PATH = "{0}/v2/apis/(?P<api_id>[^/]+)/deployments$"
_DEPLOYMENT_PATH = "{0}/v2/apis/(?P<api_id>[^/]+)/deployments/(?P<deployment_id>[^/]+)$"


@dataclass
class Deployment:
    """What a deployment froze: the API's routes and integrations at that moment."""

    deployment_id: str
    description: str | None
    routes: dict[str, Any]
    integrations: dict[str, Any]
    created: datetime = field(default_factory=lambda: datetime.now(UTC))

    def to_json(self) -> dict[str, Any]:
        made = {
            "autoDeployed": False,
            "createdDate": self.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "deploymentId": self.deployment_id,
            "deploymentStatus": "DEPLOYED",
        }
        if self.description:
            made["description"] = self.description
        return made


def apply() -> None:
    """Install UpdateStage and CreateDeployment for HTTP APIs."""
    v2_urls.url_paths.setdefault(_DEPLOYMENTS_PATH, ApiGatewayV2Response.dispatch)
    v2_urls.url_paths.setdefault(_DEPLOYMENT_PATH, ApiGatewayV2Response.dispatch)
    ApiGatewayV2Response.update_stage = _update_stage
    ApiGatewayV2Response.create_deployment = _create_deployment
    ApiGatewayV2Response.get_deployments = _get_deployments
    ApiGatewayV2Response.get_deployment = _get_deployment
    ApiGatewayV2Response.create_stage = _deploying_on_create(ApiGatewayV2Response.create_stage)
    Stage.to_json = _with_deployment_id(Stage.to_json)
    from moto.apigatewayv2.models import ApiGatewayV2Backend

    ApiGatewayV2Backend.create_route = _route_key_checked(
        _unique_route(ApiGatewayV2Backend.create_route)
    )
    ApiGatewayV2Backend.update_route = _route_key_checked(ApiGatewayV2Backend.update_route)
    ApiGatewayV2Response.create_api = _quick_create_route_key_checked(
        ApiGatewayV2Response.create_api
    )
    ApiGatewayV2Backend.create_stage = _unique_stage(ApiGatewayV2Backend.create_stage)


class _Conflict(APIGatewayV2Error):
    code = 409

    def __init__(self, message: str) -> None:
        super().__init__("ConflictException", message)


# A route key names one route of an API, and a stage name one stage: CreateRoute and CreateStage
# list ConflictException (409) for a second one (apigatewayv2 API reference, apis-apiid-routes
# and apis-apiid-stages, as of 2026-12). Its exact words weren't found, so the message says so.
# Learner trials 9 and 10 (TD14a, ZD2, ZD15): moto kept both, and routing became a guess.
def _unique_route(original: Any) -> Any:
    def create_route(self: Any, api_id: str, *args: Any, **kwargs: Any) -> Any:
        """CreateRoute refuses a route key the API has already."""
        key = kwargs.get("route_key")
        api = self.get_api(api_id)
        if key is not None and any(r.route_key == key for r in api.routes.values()):
            raise _Conflict(
                f"[local kit] The API already has a route '{key}': AWS refuses a second one "
                "with ConflictException. Change it with update_route, or delete_route it first."
            )
        if key is not None and (other := _variable_conflict(key, api.routes.values())):
            raise _Conflict(
                f"The route {key} has a conflicting variable on the same hierarchical level as "
                f"the route {other} [local kit: AWS's message begins with these words]. Change "
                "that route's key with update_route, or delete_route it first."
            )
        return original(self, api_id, *args, **kwargs)

    return create_route


# Two routes whose paths differ only by a path variable's name at one level (GET /hello/{Name}
# and GET /hello/{name}) can't both exist: AWS answers ConflictException "... has a conflicting
# variable on the same hierarchical level ..." (as CDK users quote CloudFormation's rollback of
# a renamed variable; the full message and whether other methods share the rule were not found:
# the kit refuses it for the same method only; learner trial 12, GD7).
def _variable_conflict(key: str, routes: Any) -> str | None:
    """The existing route key whose path names a variable differently at a level `key`'s does."""
    method, _, path = key.partition(" ")
    parts = path.split("/")
    for route in routes:
        other_method, _, other_path = str(route.route_key).partition(" ")
        if other_method != method:
            continue
        for mine, theirs in zip(parts, other_path.split("/"), strict=False):
            if mine == theirs:
                continue
            if _PATH_VARIABLE.fullmatch(mine) and _PATH_VARIABLE.fullmatch(theirs):
                return str(route.route_key)
            break  # two different literals: different branches of the path
    return None


# An HTTP API's route key is `$default`, or an HTTP method and a resource path: "Routes consist of
# two parts: an HTTP method and a resource path—for example, GET /pets. ... you can use the ANY
# method to match all methods", path variables such as `{petID}`, and "The greedy path variable
# must be at the end of the resource path" (Create routes for HTTP APIs,
# https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html, as of
# 2026-12). A path part that isn't a name, or a variable in braces taking the whole part, gets
# BadRequestException "One or more path parts appear to be invalid" (AWS's answer quoted in
# serverless/serverless#10423, for `/{eventId}.json`; as of 2026-12). No source found gives
# AWS's words for a method that isn't one (`get`, `FETCH`) or a path that doesn't begin with `/`:
# the kit answers BadRequestException too, in words marked "[local kit]". moto took any string,
# and even served `GET hello/{name}` (learner trial 10, UD27). Not refused, as no source says AWS
# does: a trailing `/`, and characters other than spaces and braces in a literal path part. Only
# API calls are checked (CreateRoute, UpdateRoute, CreateApi's quick create); moto's
# ImportApi makes its own keys.
_METHODS = ("ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
_PATH_VARIABLE = re.compile(r"\{[A-Za-z0-9._-]+\+?\}")
PATH_PARTS_INVALID = "One or more path parts appear to be invalid"


def check_route_key(key: str) -> None:
    """Refuse an HTTP API route key AWS refuses (see above)."""
    if key == "$default":
        return
    method, _, path = key.partition(" ")
    if method not in _METHODS or not path.startswith("/"):
        raise BadRequestException(
            f"[local kit] The route key '{key}' is not valid: an HTTP API's route key is "
            "'$default', or an HTTP method in capitals (GET, POST, PUT, PATCH, DELETE, HEAD, "
            "OPTIONS, or ANY for all of them), one space and a path beginning with '/', such "
            "as 'GET /pets/{petID}'. AWS refuses it with BadRequestException."
        )
    parts = path[1:].split("/")
    for index, part in enumerate(parts):
        braces = "{" in part or "}" in part
        if (braces and not _PATH_VARIABLE.fullmatch(part)) or any(c.isspace() for c in part):
            raise BadRequestException(PATH_PARTS_INVALID)
        if part.endswith("+}") and index != len(parts) - 1:
            raise BadRequestException(PATH_PARTS_INVALID)


def _is_http(api: Any) -> bool:
    return str(getattr(api, "protocol_type", "") or "").upper() == "HTTP"


def _route_key_checked(original: Any) -> Any:
    def checked(self: Any, api_id: str, *args: Any, **kwargs: Any) -> Any:
        """CreateRoute and UpdateRoute refuse a route key an HTTP API can't have."""
        key = kwargs.get("route_key")
        if key and _is_http(self.get_api(api_id)):
            check_route_key(key)
        return original(self, api_id, *args, **kwargs)

    return checked


def _quick_create_route_key_checked(original: Any) -> Any:
    def create_api(self: Any) -> Any:
        """CreateApi's quick create refuses a route key AWS refuses, before making anything."""
        try:
            params = json.loads(self.body or "{}")
        except ValueError:
            params = {}
        key = params.get("routeKey") if isinstance(params, dict) else None
        if key and str(params.get("protocolType") or "").upper() == "HTTP":
            check_route_key(key)
        return original(self)

    return create_api


def _unique_stage(original: Any) -> Any:
    def create_stage(self: Any, api_id: str, config: dict[str, Any]) -> Any:
        """CreateStage refuses a stage name the API has already."""
        name = (config or {}).get("stageName") or (config or {}).get("StageName")
        api = self.get_api(api_id)
        if name is not None and name in api.stages:
            raise _Conflict(
                f"[local kit] The API already has a stage '{name}': AWS refuses a second one "
                "with ConflictException. Change it with update_stage (AutoDeploy=True, for "
                "one), or delete_stage it first."
            )
        return original(self, api_id, config)

    return create_stage


def _with_deployment_id(original: Any) -> Any:
    def to_json(self: Any) -> dict[str, Any]:
        """The stage, with the deployment it serves (moto left it out)."""
        shown = original(self)
        if getattr(self, "kit_deployment_id", None):
            shown["deploymentId"] = self.kit_deployment_id
        return shown

    return to_json


def _deployments(api: Any) -> dict[str, Deployment]:
    if not hasattr(api, "kit_deployments"):
        api.kit_deployments = {}
    return api.kit_deployments


def served(api: Any, stage: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(routes, integrations) the stage serves; None when it serves nothing yet."""
    if stage.auto_deploy:
        return dict(api.routes), dict(api.integrations)
    deployment = _deployments(api).get(getattr(stage, "kit_deployment_id", None) or "")
    if deployment is None:
        return None
    return deployment.routes, deployment.integrations


def _deploy(api: Any, stage: Any, deployment_id: str) -> None:
    if deployment_id not in _deployments(api):
        raise BadRequestException(f"Invalid deployment identifier {deployment_id}")
    stage.kit_deployment_id = deployment_id


def _update_stage(self: Any) -> tuple[int, dict[str, str], str]:
    """UpdateStage: AutoDeploy, description, stage variables, the deployment it serves."""
    api_id = self.path.split("/")[-3]
    name = unquote(self.path.split("/")[-1])
    api = self.apigatewayv2_backend.get_api(api_id)
    stage = api.get_stage(name)
    changes = json.loads(self.body or "{}")
    if "autoDeploy" in changes:
        stage.auto_deploy = bool(changes["autoDeploy"])
    if "description" in changes:
        stage.description = changes["description"]
    if "stageVariables" in changes:
        stage.stage_variables = dict(changes["stageVariables"] or {})
    # Throttling and the other route settings, kept and answered (triggers/http/throttling.py
    # applies the limits); moto dropped them.
    if "defaultRouteSettings" in changes:
        stage.default_route_settings = {
            **(stage.default_route_settings or {}),
            **(changes["defaultRouteSettings"] or {}),
        }
    if "routeSettings" in changes:
        stage.route_settings = {
            **(stage.route_settings or {}),
            **{k: dict(v or {}) for k, v in (changes["routeSettings"] or {}).items()},
        }
    if changes.get("deploymentId"):
        _deploy(api, stage, changes["deploymentId"])
    return 200, {}, json.dumps(stage.to_json())


def _create_deployment(self: Any) -> tuple[int, dict[str, str], str]:
    """CreateDeployment: freeze the API's routes and integrations; deploy to StageName."""
    api_id = self.path.split("/")[-2]
    api = self.apigatewayv2_backend.get_api(api_id)
    request = json.loads(self.body or "{}")
    deployment = Deployment(
        deployment_id="".join(random.choices(string.ascii_lowercase + string.digits, k=6)),
        description=request.get("description"),
        routes={k: copy.copy(v) for k, v in api.routes.items()},
        integrations={k: copy.copy(v) for k, v in api.integrations.items()},
    )
    _deployments(api)[deployment.deployment_id] = deployment
    if request.get("stageName"):
        _deploy(api, api.get_stage(request["stageName"]), deployment.deployment_id)
    return 201, {}, json.dumps(deployment.to_json())


def _deploying_on_create(original: Any) -> Any:
    def create_stage(self: Any) -> tuple[int, dict[str, str], str]:
        """CreateStage, deploying the DeploymentId it names."""
        status, headers, body = original(self)
        deployment_id = json.loads(self.body or "{}").get("deploymentId")
        if deployment_id:
            api = self.apigatewayv2_backend.get_api(self.path.split("/")[-2])
            stage = api.get_stage(json.loads(body)["stageName"])
            _deploy(api, stage, deployment_id)
            body = json.dumps(stage.to_json())
        return status, headers, body

    return create_stage


# GetDeployments and GetDeployment (moto answered a 500 NotImplementedError and an HTML 404;
# learner trial 12, LD8): the deployments CreateDeployment made, as the API reference lists them
# ({"items": [...]}, and one deployment's fields; apis-apiid-deployments.html and
# apis-apiid-deployments-deploymentid.html, as of 2026-12). AutoDeploy's own deployments are
# not recorded by the kit, so they are not listed.
def _get_deployments(self: Any) -> tuple[int, dict[str, str], str]:
    api = self.apigatewayv2_backend.get_api(self.path.split("/")[-2])
    items = sorted(_deployments(api).values(), key=lambda d: d.created)
    return 200, {}, json.dumps({"items": [d.to_json() for d in items]})


def _get_deployment(self: Any) -> tuple[int, dict[str, str], str]:
    parts = self.path.split("/")
    api = self.apigatewayv2_backend.get_api(parts[-3])
    deployment = _deployments(api).get(unquote(parts[-1]))
    if deployment is None:
        raise _NotFound(f"Invalid Deployment identifier specified {unquote(parts[-1])}")
    return 200, {}, json.dumps(deployment.to_json())


class _NotFound(APIGatewayV2Error):
    code = 404

    def __init__(self, message: str) -> None:
        super().__init__("NotFoundException", message)
