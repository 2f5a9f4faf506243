"""API Gateway (REST and HTTP APIs) and function URL patches: their URLs answer locally.

moto stores these front doors but hands out URLs on AWS domains that nothing answers. These
patches make the URLs it returns (an HTTP API's ApiEndpoint, a FunctionUrl) point at the kit's
own server, where `helpers.triggers.http` serves them, and add what that needs and moto lacks:
HTTP API quick create, a REST API deployment that keeps the API as it was when deployed, REST
API binary media types, function URLs on aliases and ListFunctionUrlConfigs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from moto.apigateway import models as rest_models
from moto.apigateway import responses as rest_responses
from moto.apigatewayv2 import models as v2_models
from moto.apigatewayv2 import responses as v2_responses
from moto.apigatewayv2.exceptions import BadRequestException
from moto.awslambda import models as lambda_models
from moto.awslambda import responses as lambda_responses
from moto.awslambda import urls as lambda_urls
from moto.awslambda.exceptions import GenericResourcNotFound, LambdaClientError

from ..runtime.service import Runtime

runtime_getter: Callable[[], Runtime | None] = lambda: None  # noqa: E731

# The kit's paths (served by helpers.triggers.http).
EXECUTE_API_PREFIX = "/_aws/execute-api"
LAMBDA_URL_PREFIX = "/_aws/lambda-url"

_LIST_URLS_PATH = r"{0}/(?P<api_version>[^/]+)/functions/(?P<function_name>[\w_:%-]+)/urls/?$"


def apply(runtime: Callable[[], Runtime | None]) -> None:
    """Install the API Gateway and function URL patches."""
    global runtime_getter
    runtime_getter = runtime
    v2_models.Api.to_json = _with_local_endpoint(v2_models.Api.to_json)
    v2_responses.ApiGatewayV2Response.create_api = _with_quick_create(
        v2_responses.ApiGatewayV2Response.create_api
    )
    rest_models.RestAPI.create_deployment = _with_snapshot(rest_models.RestAPI.create_deployment)
    rest_models.RestAPI.apply_patch_operations = _with_binary_media_patches(
        rest_models.RestAPI.apply_patch_operations
    )
    rest_responses.APIGatewayResponse.create_rest_api = _with_binary_media_types(
        rest_responses.APIGatewayResponse.create_rest_api
    )
    lambda_models.FunctionUrlConfig.to_dict = _url_config_dict
    responses = lambda_responses.LambdaResponse
    responses.create_function_url_config = create_function_url_config
    responses.get_function_url_config = get_function_url_config
    responses.update_function_url_config = update_function_url_config
    responses.delete_function_url_config = delete_function_url_config
    responses.list_function_url_configs = list_function_url_configs
    # moto has no route for ListFunctionUrlConfigs; its Flask app reads this table when built.
    lambda_urls.url_paths.setdefault(_LIST_URLS_PATH, responses.dispatch)


def endpoint_url() -> str | None:
    """The kit server's base URL (http://127.0.0.1:PORT), or None when it is stopped."""
    runtime = runtime_getter()
    return runtime.endpoint_url if runtime is not None else None


# ----------------------------------------------------------------------------- HTTP APIs
def _with_local_endpoint(original: Callable) -> Callable:
    def to_json(self: Any) -> dict[str, Any]:
        """An HTTP API's ApiEndpoint: the kit's URL for it, not an AWS domain nobody answers."""
        data = original(self)
        base = endpoint_url()
        if base and self.protocol_type == "HTTP":
            data["apiEndpoint"] = f"{base}{EXECUTE_API_PREFIX}/{self.api_id}"
        return data

    return to_json


def _with_quick_create(original: Callable) -> Callable:
    def create_api(self: Any) -> Any:
        """CreateApi, with quick create: moto ignores Target and RouteKey.

        As AWS does, a Target makes an integration (AWS_PROXY, payload format 2.0, for a
        function ARN), a route (RouteKey, `$default` when not given) and a `$default` stage
        that deploys automatically.
        """
        params = json.loads(self.body or "{}")
        target = params.get("target")
        if target and not target.startswith(("arn:", "http://", "https://")):
            # A 4xx, not a 500: boto3 would retry a 500 and create the API again.
            raise BadRequestException("Target must be a Lambda function ARN or an HTTP URL")
        response = original(self)
        if not target or params.get("protocolType") != "HTTP":
            return response
        api = self.apigatewayv2_backend.get_api(json.loads(response[2])["apiId"])
        is_lambda = ":lambda:" in target
        integration = api.create_integration(
            connection_type="INTERNET",
            description=None,
            integration_method="POST",
            integration_type="AWS_PROXY" if is_lambda else "HTTP_PROXY",
            integration_uri=target,
            payload_format_version="2.0" if is_lambda else "1.0",
            credentials_arn=params.get("credentialsArn"),
        )
        api.create_route(
            api_key_required=False,
            authorization_scopes=[],
            route_key=params.get("routeKey") or "$default",
            target=f"integrations/{integration.id}",
        )
        api.create_stage({"stageName": "$default", "autoDeploy": True})
        return response

    return create_api


# ----------------------------------------------------------------------------- REST APIs
def _with_snapshot(original: Callable) -> Callable:
    def create_deployment(self: Any, *args: Any, **kwargs: Any) -> Any:
        """CreateDeployment keeps the API as it is now, as AWS does.

        Fixes: moto's deployments hold nothing, so a stage would serve whatever the API became
        later. On AWS a change reaches callers only after a new deployment.
        """
        deployment = original(self, *args, **kwargs)
        deployment.kit_snapshot = snapshot_rest_api(self)
        return deployment

    return create_deployment


def _with_binary_media_types(original: Callable) -> Callable:
    def create_rest_api(self: Any) -> Any:
        """CreateRestApi keeps binaryMediaTypes (moto drops them)."""
        response = original(self)
        media_types = self._get_param("binaryMediaTypes")
        if not media_types or response[0] != 200:
            return response
        api = self.backend.get_rest_api(json.loads(response[2])["id"])
        api.binaryMediaTypes = list(media_types)
        return response[0], response[1], json.dumps(api.to_dict())

    return create_rest_api


def _with_binary_media_patches(original: Callable) -> Callable:
    def apply_patch_operations(self: Any, patch_operations: list[dict[str, Any]]) -> None:
        """UpdateRestApi's add/remove of "/binaryMediaTypes/image~1png", as AWS spells them.

        Fixes: moto reads the media type from "value" (AWS puts it in the path, "/" as "~1"),
        so it appended "" instead.
        """
        others = []
        for op in patch_operations:
            path = op.get("path", "")
            if path.startswith("/binaryMediaTypes/") and op.get("op") in ("add", "remove"):
                media = path.split("/", 2)[2].replace("~1", "/").replace("~0", "~")
                if op["op"] == "add" and media not in self.binaryMediaTypes:
                    self.binaryMediaTypes.append(media)
                elif op["op"] == "remove" and media in self.binaryMediaTypes:
                    self.binaryMediaTypes.remove(media)
            else:
                others.append(op)
        original(self, others)

    return apply_patch_operations


def snapshot_rest_api(api: Any) -> dict[str, Any]:
    """What a REST API deployment serves: its resources, methods and integrations."""
    resources = []
    for resource in list(api.resources.values()):
        methods = {}
        for verb, method in list(resource.resource_methods.items()):
            integration = method.method_integration
            methods[verb] = {
                "type": integration.integration_type if integration else None,
                "uri": integration.uri if integration else None,
                "httpMethod": integration.http_method if integration else None,
                "timeoutInMillis": integration.timeout_in_millis if integration else None,
            }
        resources.append({"id": resource.id, "path": resource.get_path(), "methods": methods})
    return {"resources": resources, "binaryMediaTypes": list(api.binaryMediaTypes or [])}


# --------------------------------------------------------------------------- function URLs
def url_id_of(config: Any) -> str:
    """The url-id moto generated (the first label of its https://{id}.lambda-url... URL)."""
    return config.url.split("//", 1)[-1].split(".", 1)[0]


def _url_config_dict(self: Any) -> dict[str, Any]:
    """A function URL config: FunctionUrl is the kit's URL; FunctionArn names the alias.

    Fixes: moto's URL is on an AWS domain, its FunctionArn drops the qualifier and its
    InvokeMode is "Buffered" where AWS says "BUFFERED".
    """
    base = endpoint_url()
    qualifier = getattr(self, "kit_qualifier", None)
    arn = self.function.function_arn + (f":{qualifier}" if qualifier else "")
    url = f"{base}{LAMBDA_URL_PREFIX}/{url_id_of(self)}/" if base else f"{self.url}/"
    return {
        "FunctionUrl": url,
        "FunctionArn": arn,
        "AuthType": self.config.get("AuthType"),
        "Cors": self.config.get("Cors"),
        "CreationTime": self.created,
        "LastModifiedTime": self.last_modified,
        "InvokeMode": self.config.get("InvokeMode") or "BUFFERED",
    }


class _UrlConfigExists(LambdaClientError):
    code = 409

    def __init__(self, arn: str) -> None:
        super().__init__(
            "ResourceConflictException",
            f"Failed to create function url config for [functionArn = {arn}]. "
            "Error message:  FunctionUrlConfig exists for this Lambda function",
        )


def url_configs(fn: Any) -> dict[str | None, Any]:
    """A function's URL configs by qualifier (None: the unqualified function)."""
    configs = fn.__dict__.setdefault("kit_url_configs", {})
    if None not in configs and getattr(fn, "url_config", None) is not None:
        configs[None] = fn.url_config  # made by moto itself (CloudFormation)
    return configs


def _url_target(response: Any) -> tuple[Any, str | None]:
    """The function ($LATEST) and qualifier a function URL request names."""
    name = unquote(response.path.split("/")[-2])
    qualifier = response.querystring.get("Qualifier", [None])[0]
    if name.startswith("arn:"):
        _, name, in_arn = response.backend._lambdas.split_function_arn(name)
        qualifier = in_arn or qualifier
    elif ":" in name:
        name, qualifier = name.split(":", 1)
    fn = response.backend.get_function(name, None)
    if qualifier:
        if qualifier == "$LATEST" or qualifier.isdigit():
            raise LambdaClientError(
                "ValidationException",
                f"1 validation error detected: Value '{qualifier}' at 'qualifier' failed to "
                "satisfy constraint: Member must satisfy regular expression pattern: "
                "((?!^\\d+$)^[0-9a-zA-Z-_]+$)",
            )
        response.backend.get_alias(qualifier, name)  # raises ResourceNotFoundException
    return fn, qualifier


def _json(status: int, data: Any) -> tuple[int, dict[str, str], str]:
    return status, {"status": str(status), "content-type": "application/json"}, json.dumps(data)


# What CreateFunctionUrlConfig and UpdateFunctionUrlConfig take, from the API reference
# (API_CreateFunctionUrlConfig and API_Cors, as of 2026-12): two enums, and CORS lists and numbers
# within bounds (name in the request: (most items, longest member)). botocore checks none of them;
# the refusals are in AWS's validation format, as the kit's other ones.
URL_ENUMS = {"AuthType": ("NONE", "AWS_IAM"), "InvokeMode": ("BUFFERED", "RESPONSE_STREAM")}
CORS_LISTS = {
    "AllowHeaders": (100, 1024),
    "AllowMethods": (6, 6),
    "AllowOrigins": (100, 253),
    "ExposeHeaders": (100, 1024),
}
CORS_MAX_AGE = 86400


def _camel(name: str) -> str:
    return name[0].lower() + name[1:]


def _invalid(value: Any, where: str, constraint: str) -> LambdaClientError:
    return LambdaClientError(
        "ValidationException",
        f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy "
        f"constraint: {constraint}",
    )


def check_url_config(body: dict[str, Any]) -> None:
    """AWS's refusals of a function URL's AuthType, InvokeMode and Cors (see URL_ENUMS)."""
    for name, allowed in URL_ENUMS.items():
        if name in body and body[name] not in allowed:
            raise _invalid(
                body[name],
                _camel(name),
                f"Member must satisfy enum value set: [{', '.join(allowed)}]",
            )
    cors = body.get("Cors") or {}
    for name, (most, longest) in CORS_LISTS.items():
        items = cors.get(name) or []
        where = f"cors.{_camel(name)}"
        shown = "[" + ", ".join(map(str, items)) + "]"
        if len(items) > most:
            raise _invalid(shown, where, f"Member must have length less than or equal to {most}")
        if any(len(str(item)) > longest for item in items):
            raise _invalid(
                shown,
                where,
                "Member must satisfy constraint: [Member must have length less than or equal "
                f"to {longest}]",
            )
    age = cors.get("MaxAge")
    if isinstance(age, int) and not 0 <= age <= CORS_MAX_AGE:
        bound = "greater than or equal to 0" if age < 0 else f"less than or equal to {CORS_MAX_AGE}"
        raise _invalid(age, "cors.maxAge", f"Member must have value {bound}")


def create_function_url_config(self: Any) -> tuple[int, dict[str, str], str]:
    """CreateFunctionUrlConfig, with a Qualifier (an alias) and AWS's conflict error.

    Fixes: moto ignores the Qualifier and silently replaces an existing config.
    """
    fn, qualifier = _url_target(self)
    check_url_config(self.json_body)
    configs = url_configs(fn)
    if qualifier in configs:
        arn = fn.function_arn + (f":{qualifier}" if qualifier else "")
        raise _UrlConfigExists(arn)
    config = lambda_models.FunctionUrlConfig(function=fn, config=self.json_body)
    config.kit_qualifier = qualifier
    configs[qualifier] = config
    if qualifier is None:
        fn.url_config = config  # where moto's own code looks for it
    return _json(201, config.to_dict())


def _existing(fn: Any, qualifier: str | None) -> Any:
    config = url_configs(fn).get(qualifier)
    if config is None:
        raise GenericResourcNotFound()
    return config


def get_function_url_config(self: Any) -> tuple[int, dict[str, str], str]:
    """GetFunctionUrlConfig for the function or one of its aliases (moto: 201, no Qualifier)."""
    fn, qualifier = _url_target(self)
    return _json(200, _existing(fn, qualifier).to_dict())


def update_function_url_config(self: Any) -> tuple[int, dict[str, str], str]:
    """UpdateFunctionUrlConfig for the function or one of its aliases (AuthType, Cors)."""
    fn, qualifier = _url_target(self)
    config = _existing(fn, qualifier)
    check_url_config(self.json_body)
    config.update(self.json_body)
    return _json(200, config.to_dict())


def delete_function_url_config(self: Any) -> tuple[int, dict[str, str], str]:
    """DeleteFunctionUrlConfig for the function or one of its aliases; the URL stops answering."""
    fn, qualifier = _url_target(self)
    _existing(fn, qualifier)
    url_configs(fn).pop(qualifier)
    if qualifier is None:
        fn.url_config = None
    return 204, {"status": "204"}, ""


def list_function_url_configs(self: Any) -> tuple[int, dict[str, str], str]:
    """ListFunctionUrlConfigs (moto has no such operation): every URL of a function."""
    name = unquote(self.path.split("/")[-2])
    fn = self.backend.get_function(name, None)
    items = [config.to_dict() for config in url_configs(fn).values()]
    return _json(200, {"FunctionUrlConfigs": items})


def find_function_url(url_id: str) -> tuple[Any, Any, str | None] | None:
    """The (URL config, $LATEST function, qualifier) answering `url_id`, if any."""
    for regions in list(dict.values(lambda_models.lambda_backends)):
        for backend in list(dict.values(regions)):
            for group in list(backend._lambdas._functions.values()):
                latest = group.get("latest")
                if latest is None:
                    continue
                for qualifier, config in list(url_configs(latest).items()):
                    if url_id_of(config) == url_id:
                        return config, latest, qualifier
    return None
