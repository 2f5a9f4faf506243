"""HTTP APIs (API Gateway v2): routes, stages and Lambda proxy integrations."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from ...patches.http_api_deployments import served
from . import throttling
from .authorizers import authorize
from .incoming import Incoming, match_path, specificity
from .invoking import call_function, from_api, function_arn_in
from .payloads import (
    BadProxyResponse,
    event_v1,
    event_v2,
    is_text,
    json_response,
    response_v1,
    response_v2,
)

HTTP_API_TIMEOUT_S = 30.0  # HTTP APIs: TimeoutInMillis' default and maximum


# ------------------------------------------------------------------------------ HTTP APIs
def find_http_api(api_id: str) -> Any | None:
    """The moto HTTP API (apigatewayv2) with this id, in any account and Region."""
    from moto.apigatewayv2.models import apigatewayv2_backends

    for regions in list(dict.values(apigatewayv2_backends)):
        for backend in list(dict.values(regions)):
            api = backend.apis.get(api_id)
            if api is not None:
                return api
    return None


def _http_error(status: int, message: str, request: Incoming) -> Response:
    return json_response(status, {"message": message}, {"apigw-requestid": request.request_id})


def serve_http_api(api: Any, request: Incoming) -> Response:
    """The reply of an HTTP API to this request: route, invoke, reply."""
    stages = dict(api.stages)
    first = request.segments[0] if request.segments else None
    if first is not None and first != "$default" and first in stages:
        stage_name = first
        route_path = "/" + "/".join(request.segments[1:])
    elif "$default" in stages:
        stage_name, route_path = "$default", request.path
    else:
        return _http_error(404, "Not Found", request)
    deployed = served(api, stages[stage_name])
    if deployed is None:
        # A stage without AutoDeploy serves nothing until a deployment reaches it.
        return _http_error(404, "Not Found", request)
    routes, integrations = deployed
    route, params = _select_route(list(routes.values()), request.method, route_path)
    if route is None:
        return _http_error(404, "Not Found", request)
    if not throttling.admits(api.api_id, stages[stage_name], route.route_key):
        return _http_error(429, "Too Many Requests", request)
    integration_id = (route.target or "").removeprefix("integrations/")
    integration = integrations.get(integration_id)
    if integration is None:
        return _http_error(404, "Not Found", request)
    if integration.integration_type != "AWS_PROXY":
        return _http_error(
            500,
            f"The teaching kit runs only Lambda proxy (AWS_PROXY) integrations; this route's "
            f"integration is {integration.integration_type}, which it does not support.",
            request,
        )
    stage_variables = dict(stages[stage_name].stage_variables or {})
    function_arn = function_arn_in(integration.integration_uri or "", stage_variables)
    if function_arn is None:
        return _http_error(500, "Internal Server Error", request)
    region, account = api.backend.region_name, api.backend.account_id
    version = integration.payload_format_version or "2.0"
    if version == "1.0":
        event = event_v1(
            request,
            api_id=api.api_id,
            region=region,
            account=account,
            stage=stage_name,
            resource=route.route_key.split(" ", 1)[-1],
            resource_id=route.route_id,
            path_parameters=params,
            stage_variables=stage_variables,
            binary=bool(request.body) and not is_text(request.content_type),
            version="1.0",
        )
    else:
        event = event_v2(
            request,
            api_id=api.api_id,
            domain=f"{api.api_id}.execute-api.{region}.amazonaws.com",
            account=account,
            stage=stage_name,
            route_key=route.route_key,
            path_parameters=params,
            stage_variables=stage_variables,
        )
    # The route's authorization comes first (IAM, JWT or a Lambda authorizer: authorizers.py).
    refused, authorizer = authorize(api, route, request, event, stage_name)
    if refused is not None:
        return refused
    if authorizer:
        event["requestContext"]["authorizer"] = authorizer
    timeout = min((integration.timeout_in_millis or 30000) / 1000, HTTP_API_TIMEOUT_S)
    verb, _, path = route.route_key.partition(" ")
    permitted = from_api(region, account, api.api_id, stage_name, verb, path)
    outcome = call_function(function_arn, event, timeout, permitted)
    if outcome.kind == "timeout":
        return _http_error(503, "Service Unavailable", request)
    if outcome.kind != "ok":
        return _http_error(500, "Internal Server Error", request)
    try:
        if version == "1.0":
            response = response_v1(outcome.payload, decode_base64=True)
        else:
            response = response_v2(outcome.payload)
    except BadProxyResponse:
        return _http_error(500, "Internal Server Error", request)
    response.headers["apigw-requestid"] = request.request_id
    return response


def _select_route(routes: list[Any], method: str, path: str) -> tuple[Any, dict[str, str]]:
    """The most specific route for the request (exact method before ANY), else `$default`."""
    segments = [s for s in path.strip("/").split("/") if s]
    best: tuple[tuple[tuple[int, ...], int], Any, dict[str, str]] | None = None
    default = None
    for route in routes:
        if route.route_key == "$default":
            default = route
            continue
        verb, _, template = route.route_key.partition(" ")
        if verb not in (method, "ANY"):
            continue
        params = match_path(template, segments)
        if params is None:
            continue
        rank = (specificity(template), 0 if verb == method else 1)
        if best is None or rank < best[0]:
            best = (rank, route, params)
    if best is not None:
        return best[1], best[2]
    return default, {}
