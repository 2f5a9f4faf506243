"""Lambda function URLs: a function's own HTTPS endpoint, here on the kit's server."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.wrappers import Response

from ... import access
from ...access import function_policies
from ...access.function_policies import Caller
from ...access.sessions import assumed_session
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
        # Unsigned, wrongly signed, or signed by a caller who may not invoke the URL: AWS
        # refuses it before the function runs.
        if not _signer_may_invoke(request.signer, fn, arn):
            return _forbidden(request)
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


def _signer_may_invoke(signer: str | None, fn: Any, invoked_arn: str) -> bool:
    """Whether the caller who signed may call an AWS_IAM URL: its identity policies allow
    `lambda:InvokeFunctionUrl` on the function, or the function's policy allows the caller
    (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html, as of 2026-12). The kit's
    owner is the account's administrator; a key the kit issued is a role's session."""
    if signer is None or signer == "presigned":
        return False
    session = access.session_of(signer) or assumed_session(signer)
    if session is None:
        return True  # the owner's key (or an IAM user's): the account's own administrator
    wanted = [access.Check("lambda:InvokeFunctionUrl", invoked_arn)]
    if not access.enforcing() or access.decide(session, wanted, "lambda") is None:
        return True
    callers = [
        Caller(principal, url_auth_type="AWS_IAM", via_function_url=True)
        for principal in (session.role_arn, f"arn:aws:iam::{session.account_id}:root")
    ]
    return any(
        function_policies.allows(fn, caller, invoked_arn, "lambda:InvokeFunctionUrl")
        for caller in callers
    )


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
