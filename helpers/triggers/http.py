"""API Gateway and Lambda function URLs: real HTTP endpoints on the kit's own server.

Each request runs the function for real (its output reaches CloudWatch Logs) and the reply is
built from what the handler returned, as AWS builds it. The URLs, on `endpoint` (e.g.
http://127.0.0.1:PORT):

- REST API stage:  {endpoint}/restapis/{api_id}/{stage}/_user_request_/{path}  (`rest_api_url`)
                   {endpoint}/_aws/execute-api/{api_id}/{stage}/{path}
- HTTP API:        {endpoint}/_aws/execute-api/{api_id}/{path}          (the `$default` stage;
                   this is the ApiEndpoint that CreateApi/GetApi return)
                   {endpoint}/_aws/execute-api/{api_id}/{stage}/{path}  (a named stage)
- Function URL:    {endpoint}/_aws/lambda-url/{url_id}/{path}           (the FunctionUrl)

Every other request goes on to moto. What AWS does, and where it says so:

- REST API Lambda proxy integration, payload 1.0 event and response, binary media types:
  https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
  https://docs.aws.amazon.com/apigateway/latest/developerguide/lambda-proxy-binary-media.html
- REST API errors: a function error or a malformed response is 502, an invoke Lambda refuses
  (a throttle) is 500, both with {"message": "Internal server error"}:
  https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
  https://repost.aws/knowledge-center/api-gateway-internal-server-error
- Gateway responses (MISSING_AUTHENTICATION_TOKEN 403, INTEGRATION_TIMEOUT 504):
  https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
- HTTP API payload formats 1.0 and 2.0, and the 2.0 "inferred" response:
  https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
- HTTP API routes (most specific match first, then `$default`) and stages:
  https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
  https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html
- HTTP API errors: {"message":"Internal Server Error"} (500); an integration timeout is 503
  {"message":"Service Unavailable"} (https://github.com/cortexlabs/cortex/issues/1225 shows
  AWS's reply):
  https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
- Function URL request and response payloads, cookies, the inferred response:
  https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
  A function error is 502 with the text body "Internal Server Error" (LocalStack's test
  validated against AWS, tests/aws/services/lambda_/test_lambda.py::TestLambdaURL).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote

from werkzeug.datastructures import Headers
from werkzeug.wrappers import Request, Response

from ..patches import http_endpoints
from ..patches.lambda_api import _resolve
from ..runtime import recursion
from ..runtime.concurrency import Throttled
from ..runtime.errors import throttle_body

REST_TIMEOUT_S = 29.0  # REST APIs: the integration timeout's default and maximum
HTTP_API_TIMEOUT_S = 30.0  # HTTP APIs: TimeoutInMillis' default and maximum

_LAMBDA_ARN = re.compile(
    r"arn:(?P<partition>[\w-]+):lambda:(?P<region>[\w-]+):(?P<account>\d{12}):function:[^/]+"
)
# Content types API Gateway (HTTP APIs) and function URLs pass as text; the rest is base64.
_TEXT_TYPES = re.compile(
    r"^(text/.*|application/(json|xml|javascript|x-javascript|ecmascript|yaml|x-yaml|graphql)"
    r"|application/.*\+(json|xml))$"
)
_HOP_BY_HOP = {"content-length", "transfer-encoding", "connection", "keep-alive"}
_V1_RESPONSE_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"}


def rest_api_url(endpoint_url: str, api_id: str, stage: str) -> str:
    """The base URL of a deployed REST API stage on the local AWS (append "/your/path")."""
    return f"{endpoint_url.rstrip('/')}/restapis/{api_id}/{stage}/_user_request_"


# ------------------------------------------------------------------------------ the request
@dataclass
class Incoming:
    """One HTTP request to a front door, with the kit's prefix taken off its path."""

    method: str
    raw_path: str  # as sent (percent-encoded), starting with "/"
    raw_query: str
    query: list[tuple[str, str]]
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str
    protocol: str
    received: datetime = field(default_factory=lambda: datetime.now(UTC))
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def segments(self) -> list[str]:
        """The decoded path segments (a trailing slash is ignored, as API Gateway does)."""
        return [unquote(part) for part in self.raw_path.strip("/").split("/") if part]

    @property
    def path(self) -> str:
        return "/" + "/".join(self.segments)

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return values[-1] if values else None

    @property
    def user_agent(self) -> str:
        return self.header("user-agent") or ""

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    def with_path(self, raw_path: str) -> Incoming:
        """The same request, seen under another path (a stage name taken off)."""
        return dataclasses.replace(self, raw_path=raw_path or "/")

    @property
    def time_text(self) -> str:
        return self.received.strftime("%d/%b/%Y:%H:%M:%S +0000")

    @property
    def epoch_ms(self) -> int:
        return int(self.received.timestamp() * 1000)


def _incoming(environ: dict[str, Any], raw_path: str) -> Incoming:
    request = Request(environ)
    headers = list(request.headers.items())
    port = environ.get("SERVER_PORT", "80")
    # What API Gateway adds in front of the function, as on AWS.
    headers += [
        ("X-Forwarded-For", request.remote_addr or "127.0.0.1"),
        ("X-Forwarded-Port", str(port)),
        ("X-Forwarded-Proto", environ.get("wsgi.url_scheme", "http")),
    ]
    return Incoming(
        method=request.method.upper(),
        raw_path=raw_path or "/",
        raw_query=environ.get("QUERY_STRING", ""),
        query=list(request.args.items(multi=True)),
        headers=headers,
        body=request.get_data(cache=True),
        source_ip=request.remote_addr or "127.0.0.1",
        protocol=environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
    )


def _raw_path_of(environ: dict[str, Any]) -> str:
    """The path as the client sent it: %2F stays inside a segment, as on AWS."""
    uri = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if uri:
        path = uri.split("?", 1)[0]
        if "://" in path:  # an absolute-form request line
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        return path
    return quote(environ.get("PATH_INFO", "/"))


# ----------------------------------------------------------------------------- the middleware
class FrontDoors:
    """WSGI middleware: API Gateway and function URL requests here, the rest to moto."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        raw = _raw_path_of(environ)
        parts = raw.split("/")
        try:
            if raw.startswith(http_endpoints.LAMBDA_URL_PREFIX + "/") and len(parts) > 3:
                rest = "/" + "/".join(parts[4:])
                response = _function_url(parts[3], _incoming(environ, rest))
            elif raw.startswith(http_endpoints.EXECUTE_API_PREFIX + "/") and len(parts) > 3:
                rest = "/" + "/".join(parts[4:])
                response = _execute_api(parts[3], _incoming(environ, rest))
            elif len(parts) > 4 and parts[1] == "restapis" and parts[4] == "_user_request_":
                rest = "/" + "/".join(parts[5:])
                response = _rest_api(parts[2], unquote(parts[3]), _incoming(environ, rest))
            else:
                return self.app(environ, start_response)
        except Exception as exc:  # a fault of the kit, said so: never the learner's code
            response = _json_response(
                500, {"message": f"The teaching kit failed to answer this request ({exc!r})."}
            )
        return response(environ, start_response)


def _json_response(status: int, data: Any, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(data), status=status, content_type="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


# ---------------------------------------------------------------------------- invoking
@dataclass
class Outcome:
    """How the function call went: "ok", "error", "throttled", "timeout" or "missing"."""

    kind: str
    payload: bytes = b""
    reason: str = ""


def function_arn_in(uri: str, stage_variables: dict[str, str] | None = None) -> str | None:
    """The function ARN inside an integration URI (API Gateway form or a plain ARN)."""
    for name, value in (stage_variables or {}).items():
        uri = uri.replace(f"${{stageVariables.{name}}}", value)
    match = _LAMBDA_ARN.search(uri)
    return match.group(0) if match else None


def call_function(function_arn: str, event: dict[str, Any], wait_s: float | None) -> Outcome:
    """Run the function with `event`; give up waiting after `wait_s` (it runs on, as on AWS)."""
    from moto.awslambda.models import lambda_backends

    runtime = http_endpoints.runtime_getter()
    match = _LAMBDA_ARN.fullmatch(function_arn)
    if runtime is None or match is None:
        return Outcome("missing", reason="no such function, or the local AWS is stopped")
    try:
        backend = lambda_backends[match["account"]][match["region"]]
        fn, invoked_arn = _resolve(backend, function_arn, None)
    except Exception as exc:
        return Outcome("missing", reason=str(exc))
    body = json.dumps(event).encode()
    trace = recursion.CURRENT_TRACE.get()
    result: dict[str, Outcome] = {}

    def run() -> None:
        try:
            done = runtime.invoke(fn, body, invoked_arn=invoked_arn, parent_trace=trace)
            kind = "error" if done.function_error else "ok"
            result["outcome"] = Outcome(kind, done.payload)
        except Throttled as exc:
            result["outcome"] = Outcome("throttled", reason=exc.reason)
        except Exception as exc:
            result["outcome"] = Outcome("missing", reason=repr(exc))

    if wait_s is None:
        run()
    else:
        # The gateway stops waiting; the function keeps running to its own timeout.
        worker = threading.Thread(target=run, name="kit-http-invoke", daemon=True)
        worker.start()
        worker.join(wait_s)
        if worker.is_alive():
            return Outcome("timeout")
    return result["outcome"]


# ------------------------------------------------------------------------------ matching
def _match(template: str, segments: list[str]) -> dict[str, str] | None:
    """Path parameters if `template` (e.g. /items/{id} or /{proxy+}) matches the segments."""
    parts = [p for p in template.strip("/").split("/") if p]
    params: dict[str, str] = {}
    for index, part in enumerate(parts):
        if part.startswith("{") and part.endswith("+}"):
            rest = segments[index:]
            if not rest or index != len(parts) - 1:
                return None
            params[part[1:-2]] = "/".join(rest)
            return params
        if index >= len(segments):
            return None
        if part.startswith("{") and part.endswith("}"):
            params[part[1:-1]] = segments[index]
        elif part != segments[index]:
            return None
    return params if len(parts) == len(segments) else None


def _specificity(template: str) -> tuple[int, ...]:
    """Lower is more specific: literal segments beat {param}, which beats {proxy+}."""
    ranks = []
    for part in template.strip("/").split("/"):
        if part.endswith("+}"):
            ranks.append(2)
        elif part.startswith("{"):
            ranks.append(1)
        elif part:
            ranks.append(0)
    return tuple(ranks)


# ------------------------------------------------------------------------------- events
def _multi(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped


def _cookies(request: Incoming) -> list[str]:
    cookie = ";".join(v for k, v in request.headers if k.lower() == "cookie")
    return [c.strip() for c in cookie.split(";") if c.strip()]


def _is_text(content_type: str) -> bool:
    return bool(_TEXT_TYPES.match(content_type))


def _media_matches(patterns: Iterable[str], media: str) -> bool:
    media = media.split(";")[0].strip().lower()
    for pattern in patterns:
        pattern = pattern.strip().lower()
        if pattern in ("*/*", media) or (pattern.endswith("/*") and media.startswith(pattern[:-1])):
            return True
    return False


def _body(data: bytes, as_base64: bool) -> tuple[str | None, bool]:
    if not data:
        return None, False
    if as_base64:
        return base64.b64encode(data).decode(), True
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(data).decode(), True


def event_v1(
    request: Incoming,
    *,
    api_id: str,
    region: str,
    account: str,
    stage: str,
    resource: str,
    resource_id: str | None,
    path_parameters: dict[str, str],
    stage_variables: dict[str, str] | None,
    binary: bool,
    version: str | None = None,
    context_path: str | None = None,
) -> dict[str, Any]:
    """A payload format 1.0 event (REST API proxy integrations, HTTP APIs on format 1.0)."""
    headers = [(k, v) for k, v in request.headers if k.lower() not in _HOP_BY_HOP]
    body, encoded = _body(request.body, binary)
    query = dict(request.query)  # the last value of a repeated parameter, as AWS gives it
    event: dict[str, Any] = {
        "resource": resource,
        "path": request.path,
        "httpMethod": request.method,
        "headers": dict(headers) or None,
        "multiValueHeaders": _multi(headers) or None,
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": _multi(request.query) or None,
        "pathParameters": path_parameters or None,
        "stageVariables": stage_variables or None,
        "requestContext": {
            "accountId": account,
            "apiId": api_id,
            "domainName": f"{api_id}.execute-api.{region}.amazonaws.com",
            "domainPrefix": api_id,
            "extendedRequestId": request.request_id,
            "httpMethod": request.method,
            "identity": {
                "accessKey": None,
                "accountId": None,
                "caller": None,
                "cognitoAuthenticationProvider": None,
                "cognitoAuthenticationType": None,
                "cognitoIdentityId": None,
                "cognitoIdentityPoolId": None,
                "principalOrgId": None,
                "sourceIp": request.source_ip,
                "user": None,
                "userAgent": request.user_agent,
                "userArn": None,
            },
            "path": context_path or request.path,
            "protocol": request.protocol,
            "requestId": request.request_id,
            "requestTime": request.time_text,
            "requestTimeEpoch": request.epoch_ms,
            "resourceId": resource_id,
            "resourcePath": resource,
            "stage": stage,
        },
        "body": body,
        "isBase64Encoded": encoded,
    }
    if version:
        event = {"version": version, **event}
    return event


def event_v2(
    request: Incoming,
    *,
    api_id: str,
    domain: str,
    account: str,
    stage: str,
    route_key: str,
    path_parameters: dict[str, str] | None = None,
    stage_variables: dict[str, str] | None = None,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A payload format 2.0 event (HTTP APIs, function URLs); empty fields are left out."""
    headers: dict[str, str] = {}
    for name, value in request.headers:
        key = name.lower()
        if key == "cookie" or key in ("connection", "keep-alive", "transfer-encoding"):
            continue  # cookies travel in their own field
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    query = {name: ",".join(values) for name, values in _multi(request.query).items()}
    body, encoded = _body(request.body, not _is_text(request.content_type))
    context: dict[str, Any] = {
        "accountId": account,
        "apiId": api_id,
        "domainName": domain,
        "domainPrefix": domain.split(".", 1)[0],
        "http": {
            "method": request.method,
            "path": request.raw_path,
            "protocol": request.protocol,
            "sourceIp": request.source_ip,
            "userAgent": request.user_agent,
        },
        "requestId": request.request_id,
        "routeKey": route_key,
        "stage": stage,
        "time": request.time_text,
        "timeEpoch": request.epoch_ms,
    }
    if authorizer:
        context["authorizer"] = authorizer
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": request.raw_path,
        "rawQueryString": request.raw_query,
    }
    if cookies := _cookies(request):
        event["cookies"] = cookies
    event["headers"] = headers
    if query:
        event["queryStringParameters"] = query
    event["requestContext"] = context
    if body is not None:
        event["body"] = body
    if path_parameters:
        event["pathParameters"] = path_parameters
    event["isBase64Encoded"] = encoded
    if stage_variables:
        event["stageVariables"] = stage_variables
    return event


# ----------------------------------------------------------------------------- responses
class BadProxyResponse(ValueError):
    """The function returned something its front door cannot turn into an HTTP response."""


def _header_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise BadProxyResponse(f"header value {value!r} is not a string")


def _status(value: Any) -> int:
    try:
        status = int(value)
    except (TypeError, ValueError):
        raise BadProxyResponse(f"statusCode {value!r} is not a number") from None
    if not 100 <= status <= 599:
        raise BadProxyResponse(f"statusCode {status} is not an HTTP status")
    return status


def _decoded(body: str) -> bytes:
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise BadProxyResponse("isBase64Encoded is true but body is not base64") from None


def response_v1(payload: bytes, *, decode_base64: bool) -> Response:
    """The HTTP reply for a payload 1.0 result; raises BadProxyResponse when malformed."""
    try:
        data = json.loads(payload)
    except ValueError:
        raise BadProxyResponse("the result is not JSON") from None
    if not isinstance(data, dict):
        raise BadProxyResponse("the result is not a JSON object")
    extra = set(data) - _V1_RESPONSE_KEYS
    if extra:
        raise BadProxyResponse(f"unexpected fields {sorted(extra)}")
    body = data.get("body")
    if body is not None and not isinstance(body, str):
        raise BadProxyResponse("body must be a string (json.dumps it)")
    headers = Headers()
    for name, value in (data.get("headers") or {}).items():
        headers[name] = _header_text(value)
    for name, values in (data.get("multiValueHeaders") or {}).items():
        if not isinstance(values, list):
            raise BadProxyResponse(f"multiValueHeaders[{name!r}] is not a list")
        headers.remove(name)
        for value in values:
            headers.add(name, _header_text(value))
    content = (body or "").encode()
    if data.get("isBase64Encoded") and body and decode_base64:
        content = _decoded(body)
    return _reply(_status(data.get("statusCode", 200)), headers, content)


def response_v2(payload: bytes) -> Response:
    """The HTTP reply for a payload 2.0 result, inferring the format as AWS does."""
    try:
        data = json.loads(payload) if payload else None
    except ValueError:
        raise BadProxyResponse("the result is not JSON") from None
    if not (isinstance(data, dict) and "statusCode" in data):
        # No statusCode: the whole result is the JSON body of a 200 (a string: its text).
        text = data if isinstance(data, str) else payload.decode()
        headers = Headers({"Content-Type": "application/json"})
        return _reply(200, headers, text.encode())
    headers = Headers()
    for name, value in (data.get("headers") or {}).items():
        headers[name] = _header_text(value)
    cookies = data.get("cookies") or []
    if not isinstance(cookies, list):
        raise BadProxyResponse("cookies must be a list of strings")
    for cookie in cookies:
        headers.add("Set-Cookie", str(cookie))
    body = data.get("body")
    if body is not None and not isinstance(body, str):
        body = json.dumps(body)
    content = (body or "").encode()
    if data.get("isBase64Encoded") and body:
        content = _decoded(body)
    return _reply(_status(data["statusCode"]), headers, content)


def _reply(status: int, headers: Headers, content: bytes) -> Response:
    for name in _HOP_BY_HOP:
        headers.remove(name)
    if "content-type" not in headers:
        headers["Content-Type"] = "application/json"
    response = Response(content, status=status)
    response.headers.clear()
    response.headers.extend(headers)
    response.headers["Content-Length"] = str(len(content))
    return response


# ------------------------------------------------------------------------------ REST APIs
def _rest_error(status: int, message: str, error_type: str, request: Incoming) -> Response:
    return _json_response(
        status,
        {"message": message},
        {"x-amzn-ErrorType": error_type, "x-amzn-RequestId": request.request_id},
    )


def _find_rest_api(api_id: str) -> Any | None:
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


def _rest_api(api_id: str, stage_name: str, request: Incoming) -> Response:
    api = _find_rest_api(api_id)
    stage = api.stages.get(stage_name) if api is not None else None
    if stage is None:
        return _rest_error(403, "Forbidden", "ForbiddenException", request)
    routes = _rest_routes(api, stage)
    segments = request.segments
    candidates = []
    for resource in routes["resources"]:
        params = _match(resource["path"], segments)
        if params is not None:
            candidates.append((_specificity(resource["path"]), resource, params))
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
        binary=bool(request.body) and _media_matches(binary_types, request.content_type),
        context_path=f"/{stage_name}{request.path}",
    )
    timeout = REST_TIMEOUT_S
    if method.get("timeoutInMillis"):
        timeout = min(int(method["timeoutInMillis"]) / 1000, REST_TIMEOUT_S)
    outcome = call_function(function_arn, event, timeout)
    if outcome.kind == "timeout":
        return _rest_error(
            504, "Endpoint request timed out", "InternalServerErrorException", request
        )
    if outcome.kind in ("throttled", "missing"):
        return _rest_error(500, "Internal server error", "InternalServerErrorException", request)
    if outcome.kind == "error":
        return _rest_error(502, "Internal server error", "InternalServerErrorException", request)
    accept = (request.header("accept") or "").split(",")[0]
    try:
        response = response_v1(outcome.payload, decode_base64=_media_matches(binary_types, accept))
    except BadProxyResponse:
        return _rest_error(502, "Internal server error", "InternalServerErrorException", request)
    response.headers["x-amzn-RequestId"] = request.request_id
    return response


# ------------------------------------------------------------------------------ HTTP APIs
def _find_http_api(api_id: str) -> Any | None:
    from moto.apigatewayv2.models import apigatewayv2_backends

    for regions in list(dict.values(apigatewayv2_backends)):
        for backend in list(dict.values(regions)):
            api = backend.apis.get(api_id)
            if api is not None:
                return api
    return None


def _execute_api(api_id: str, request: Incoming) -> Response:
    """/_aws/execute-api/{api_id}/...: an HTTP API, or a REST API's stage."""
    api = _find_http_api(api_id)
    if api is not None and api.protocol_type == "HTTP":
        return _http_api(api, request)
    segments = request.raw_path.strip("/").split("/", 1)
    if _find_rest_api(api_id) is not None and segments[0]:
        rest = "/" + (segments[1] if len(segments) > 1 else "")
        return _rest_api(api_id, unquote(segments[0]), request.with_path(rest))
    return _json_response(404, {"message": "Not Found"})


def _http_error(status: int, message: str, request: Incoming) -> Response:
    return _json_response(status, {"message": message}, {"apigw-requestid": request.request_id})


def _http_api(api: Any, request: Incoming) -> Response:
    stages = dict(api.stages)
    first = request.segments[0] if request.segments else None
    if first is not None and first != "$default" and first in stages:
        stage_name = first
        route_path = "/" + "/".join(request.segments[1:])
    elif "$default" in stages:
        stage_name, route_path = "$default", request.path
    else:
        return _http_error(404, "Not Found", request)
    route, params = _select_route(list(api.routes.values()), request.method, route_path)
    if route is None:
        return _http_error(404, "Not Found", request)
    integration_id = (route.target or "").removeprefix("integrations/")
    integration = api.integrations.get(integration_id)
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
            binary=bool(request.body) and not _is_text(request.content_type),
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
    timeout = min((integration.timeout_in_millis or 30000) / 1000, HTTP_API_TIMEOUT_S)
    outcome = call_function(function_arn, event, timeout)
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
        params = _match(template, segments)
        if params is None:
            continue
        rank = (_specificity(template), 0 if verb == method else 1)
        if best is None or rank < best[0]:
            best = (rank, route, params)
    if best is not None:
        return best[1], best[2]
    return default, {}


# --------------------------------------------------------------------------- function URLs
def _function_url(url_id: str, request: Incoming) -> Response:
    found = http_endpoints.find_function_url(url_id)
    if found is None:
        return _json_response(403, {"Message": None}, {"x-amzn-ErrorType": "AccessDeniedException"})
    config, fn, qualifier = found
    arn = fn.function_arn + (f":{qualifier}" if qualifier else "")
    authorizer = None
    if config.config.get("AuthType") == "AWS_IAM":
        # The kit accepts the call without checking a SigV4 signature (AWS would refuse an
        # unsigned or wrongly signed request with 403); it reports the caller it was told.
        authorizer = {"iam": _iam_caller(request, fn.account_id)}
    event = event_v2(
        request,
        api_id=url_id,
        domain=f"{url_id}.lambda-url.{fn.region}.on.aws",
        account=fn.account_id if authorizer else "anonymous",
        stage="$default",
        route_key="$default",
        authorizer=authorizer,
    )
    outcome = call_function(arn, event, None)  # no gateway timeout: the function's own
    headers = {"x-amzn-RequestId": request.request_id}
    if outcome.kind == "throttled":
        response = Response(throttle_body(outcome.reason), status=429)
        response.headers.update(
            {
                **headers,
                "Content-Type": "application/json",
                "x-amzn-ErrorType": "TooManyRequestsException",
            }
        )
        return response
    if outcome.kind == "ok":
        try:
            response = response_v2(outcome.payload)
            response.headers.update(headers)
            return response
        except BadProxyResponse:
            pass
    response = Response(b"Internal Server Error", status=502, content_type="text/plain")
    response.headers.update(headers)
    return response


def _iam_caller(request: Incoming, account: str) -> dict[str, Any]:
    authorization = request.header("authorization") or ""
    match = re.search(r"Credential=([^/,\s]+)", authorization)
    return {
        "accessKey": match.group(1) if match else None,
        "accountId": account,
        "callerId": None,
        "cognitoIdentity": None,
        "principalOrgId": None,
        "userArn": None,
        "userId": None,
    }
