"""REST APIs (API Gateway v1): deployed stages, resources, methods, Lambda proxy integrations."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from ...patches import http_endpoints
from .incoming import Incoming, match_path, specificity
from .invoking import call_function, from_api, function_arn_in
from .payloads import BadProxyResponse, event_v1, json_response, media_matches, response_v1

REST_TIMEOUT_S = 29.0  # REST APIs: the integration timeout's default and maximum


def rest_api_url(endpoint_url: str, api_id: str, stage: str) -> str:
    """The base URL of a deployed REST API stage on the local AWS (append "/your/path")."""
    return f"{endpoint_url.rstrip('/')}/restapis/{api_id}/{stage}/_user_request_"


# ------------------------------------------------------------------------------ REST APIs
def _rest_error(status: int, message: str, error_type: str, request: Incoming) -> Response:
    return json_response(
        status,
        {"message": message},
        {"x-amzn-ErrorType": error_type, "x-amzn-RequestId": request.request_id},
    )


def find_rest_api(api_id: str) -> Any | None:
    """The moto REST API (apigateway) with this id, in any account and Region."""
    from moto.apigateway.models import apigateway_backends

    for regions in list(dict.values(apigateway_backends)):
        for backend in list(dict.values(regions)):
            api = backend.apis.get(api_id)
            if api is not None:
                return api
    return None


def _rest_routes(api: Any, stage: Any) -> dict[str, Any]:
    """What the stage serves: its deployment's snapshot (the live API if it has none)."""
    deployment = api.deployments.get(stage.deployment_id)
    snapshot = getattr(deployment, "kit_snapshot", None)
    return snapshot or http_endpoints.snapshot_rest_api(api)


def serve_rest_api(api_id: str, stage_name: str, request: Incoming) -> Response:
    """The reply of a REST API stage to this request: resource, method, invoke, reply."""
    api = find_rest_api(api_id)
    stage = api.stages.get(stage_name) if api is not None else None
    if stage is None:
        return _rest_error(403, "Forbidden", "ForbiddenException", request)
    routes = _rest_routes(api, stage)
    segments = request.segments
    candidates = []
    for resource in routes["resources"]:
        params = match_path(resource["path"], segments)
        if params is not None:
            candidates.append((specificity(resource["path"]), resource, params))
    method = None
    if candidates:
        # The most specific resource answers (or nothing does), then its method or ANY.
        _, resource, params = min(candidates, key=lambda c: c[0])
        method = resource["methods"].get(request.method) or resource["methods"].get("ANY")
    if method is None:
        return _rest_error(
            403, "Missing Authentication Token", "MissingAuthenticationTokenException", request
        )
    if method["type"] != "AWS_PROXY":
        return _rest_error(
            500,
            f"The teaching kit runs only Lambda proxy (AWS_PROXY) integrations; this method's "
            f"integration is {method['type']}, which it does not support.",
            "InternalServerErrorException",
            request,
        )
    variables = dict(stage.variables or {})
    function_arn = function_arn_in(method["uri"] or "", variables)
    if function_arn is None or (method["httpMethod"] or "").upper() != "POST":
        # AWS calls Lambda with POST only; another integration method fails every request.
        return _rest_error(500, "Internal server error", "InternalServerErrorException", request)
    binary_types = routes.get("binaryMediaTypes") or []
    event = event_v1(
        request,
        api_id=api.id,
        region=api.region_name,
        account=api.account_id,
        stage=stage_name,
        resource=resource["path"],
        resource_id=resource["id"],
        path_parameters=params,
        stage_variables=variables,
        binary=bool(request.body) and media_matches(binary_types, request.content_type),
        context_path=f"/{stage_name}{request.path}",
    )
    timeout = REST_TIMEOUT_S
    if method.get("timeoutInMillis"):
        timeout = min(int(method["timeoutInMillis"]) / 1000, REST_TIMEOUT_S)
    permitted = from_api(
        api.region_name, api.account_id, api.id, stage_name, request.method, resource["path"]
    )
    outcome = call_function(function_arn, event, timeout, permitted)
    if outcome.kind == "timeout":
        return _rest_error(
            504, "Endpoint request timed out", "InternalServerErrorException", request
        )
    if outcome.kind in ("throttled", "missing", "forbidden"):  # "Invalid permissions on
        # Lambda function" in the execution log; the caller sees AWS's plain 500
        return _rest_error(500, "Internal server error", "InternalServerErrorException", request)
    if outcome.kind == "error":
        return _rest_error(502, "Internal server error", "InternalServerErrorException", request)
    accept = (request.header("accept") or "").split(",")[0]
    try:
        response = response_v1(outcome.payload, decode_base64=media_matches(binary_types, accept))
    except BadProxyResponse:
        return _rest_error(502, "Internal server error", "InternalServerErrorException", request)
    response.headers["x-amzn-RequestId"] = request.request_id
    return response
