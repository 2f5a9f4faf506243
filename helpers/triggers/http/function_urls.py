"""Lambda function URLs: a function's own HTTPS endpoint, here on the kit's server."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.wrappers import Response

from ...access import function_policies
from ...access.function_policies import Caller
from ...patches import http_endpoints
from ...runtime.errors import throttle_body
from .incoming import Incoming
from .invoking import call_function
from .payloads import BadProxyResponse, event_v2, json_response, response_v2


# --------------------------------------------------------------------------- function URLs
def serve_function_url(url_id: str, request: Incoming) -> Response:
    """The reply of function URL `url_id` to this request (the function runs)."""
    found = http_endpoints.find_function_url(url_id)
    if found is None:
        return json_response(403, {"Message": None}, {"x-amzn-ErrorType": "AccessDeniedException"})
    config, fn, qualifier = found
    arn = fn.function_arn + (f":{qualifier}" if qualifier else "")
    authorizer = None
    auth_type = config.config.get("AuthType") or "NONE"
    if auth_type == "AWS_IAM":
        if "AWS4-HMAC-SHA256" not in (request.header("authorization") or ""):
            return _forbidden(request)  # unsigned: AWS refuses it before the function
        # A signed call is accepted without checking the signature or the caller's rights
        # (AWS would); it reports the caller it was told.
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
    permitted = _public_may_invoke if auth_type == "NONE" else None
    outcome = call_function(arn, event, None, permitted)  # no gateway timeout: the function's
    if outcome.kind == "forbidden":
        return _forbidden(request)
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


def _public_may_invoke(fn: Any, invoked_arn: str) -> bool:
    """Whether the policy lets anyone (`*`) call a URL with `AuthType NONE`: since October
    2025 both `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction` are needed
    (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html, as of 2026-12)."""
    public = Caller("*", url_auth_type="NONE", via_function_url=True)
    return function_policies.allows(
        fn, public, invoked_arn, "lambda:InvokeFunctionUrl"
    ) and function_policies.allows(fn, public, invoked_arn, "lambda:InvokeFunction")


def _forbidden(request: Incoming) -> Response:
    """AWS's answer to a caller the URL's auth type or the function's policy refuses."""
    return json_response(
        403,
        {"Message": "Forbidden"},
        {"x-amzn-ErrorType": "AccessDeniedException", "x-amzn-RequestId": request.request_id},
    )


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
