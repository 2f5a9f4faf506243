"""The event a function gets (payload 1.0 and 2.0) and the HTTP reply built from its result."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable
from typing import Any

from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response

from .incoming import Incoming, cookies_of, multi_values

# Content types API Gateway (HTTP APIs) and function URLs pass as text; the rest is base64.
_TEXT_TYPES = re.compile(
    r"^(text/.*|application/(json|xml|javascript|x-javascript|ecmascript|yaml|x-yaml|graphql)"
    r"|application/.*\+(json|xml))$"
)
HOP_BY_HOP = {"content-length", "transfer-encoding", "connection", "keep-alive"}
_V1_RESPONSE_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"}


def is_text(content_type: str) -> bool:
    """True when API Gateway passes a body of this content type as text (else base64)."""
    return bool(_TEXT_TYPES.match(content_type))


def media_matches(patterns: Iterable[str], media: str) -> bool:
    """True when the media type matches one of the patterns (`image/*` etc.)."""
    media = media.split(";")[0].strip().lower()
    for pattern in patterns:
        pattern = pattern.strip().lower()
        if pattern in ("*/*", media) or (pattern.endswith("/*") and media.startswith(pattern[:-1])):
            return True
    return False


def body_field(data: bytes, as_base64: bool) -> tuple[str | None, bool]:
    """The event's `body` and `isBase64Encoded` for the raw request body."""
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
    headers = [(k, v) for k, v in request.headers if k.lower() not in HOP_BY_HOP]
    body, encoded = body_field(request.body, binary)
    query = dict(request.query)  # the last value of a repeated parameter, as AWS gives it
    event: dict[str, Any] = {
        "resource": resource,
        "path": request.path,
        "httpMethod": request.method,
        "headers": dict(headers) or None,
        "multiValueHeaders": multi_values(headers) or None,
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": multi_values(request.query) or None,
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
    query = {name: ",".join(values) for name, values in multi_values(request.query).items()}
    body, encoded = body_field(request.body, not is_text(request.content_type))
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
    if cookies := cookies_of(request):
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
    for name in HOP_BY_HOP:
        headers.remove(name)
    if "content-type" not in headers:
        headers["Content-Type"] = "application/json"
    response = Response(content, status=status)
    response.headers.clear()
    response.headers.extend(headers)
    response.headers["Content-Length"] = str(len(content))
    return response


def json_response(status: int, data: Any, headers: dict[str, str] | None = None) -> Response:
    """A JSON reply with this status (and headers)."""
    response = Response(json.dumps(data), status=status, content_type="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
