"""A route's authorization on an HTTP API, as API Gateway applies it before the integration.

- `AWS_IAM`: the request must be signed with SigV4, or it gets 403 (the kit doesn't check a
  signed request's `execute-api:Invoke` right: one account, the owner's keys).
- `JWT`: a request without the token its identity source names gets 401 Unauthorized, and so
  does a token that isn't a JWT, has expired, or whose issuer or audience isn't the
  authorizer's. The kit can't fetch the issuer's keys (it never reaches the internet), so it
  doesn't verify the signature: that difference is the kit's.
- `CUSTOM` (a Lambda authorizer, payload format 2.0): a request without its identity source
  gets 401, and the authorizer function runs on the others: `{"isAuthorized": true}` (simple
  responses) or an IAM policy that allows `execute-api:Invoke` lets the request through, with
  the authorizer's `context` in `requestContext.authorizer.lambda`; anything else is 403, and
  an authorizer that fails, or that API Gateway may not invoke, is 500.

Sources (as of 2026-12): https://docs.aws.amazon.com/apigateway/latest/developerguide/
http-api-access-control-iam.html, .../http-api-jwt-authorizer.html, and
.../http-api-lambda-authorizer.html (identity sources, the 2.0 event, simple and IAM responses).
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from werkzeug.wrappers import Response

from .incoming import Incoming
from .invoking import call_function, from_authorizer, function_arn_in
from .payloads import event_v2, json_response

AUTHORIZER_TIMEOUT_S = 10.0


def authorize(
    api: Any, route: Any, request: Incoming, event: dict[str, Any], stage: str
) -> tuple[Response | None, dict[str, Any] | None]:
    # `event` is the integration's event (either payload format): identity sources read it.
    """(the gateway's refusal, or None; what `requestContext.authorizer` holds when allowed)."""
    kind = (route.authorization_type or "NONE").upper()
    if kind == "NONE":
        return None, None
    if kind == "AWS_IAM":
        return (None, None) if _signed(request) else (_refuse(403, request), None)
    authorizer = getattr(api, "authorizers", {}).get(route.authorizer_id or "")
    if authorizer is None:
        return _refuse(500, request), None
    sources = list(authorizer.identity_source or [])
    if kind == "JWT" and not sources:
        sources = ["$request.header.Authorization"]
    values = [_identity(source, request, event) for source in sources]
    if any(value is None for value in values):
        return _refuse(401, request), None
    if kind == "JWT":
        claims = _jwt_claims(str(values[0]), authorizer.jwt_config or {})
        if claims is None:
            return _refuse(401, request), None
        return None, {"jwt": {"claims": claims, "scopes": None}}
    return _lambda_authorizer(
        api, route, authorizer, request, event, stage, [str(v) for v in values]
    )


def _refuse(status: int, request: Incoming) -> Response:
    message = {401: "Unauthorized", 403: "Forbidden"}.get(status, "Internal Server Error")
    return json_response(status, {"message": message}, {"apigw-requestid": request.request_id})


def _signed(request: Incoming) -> bool:
    header = request.header("Authorization") or ""
    return header.startswith("AWS4-HMAC-SHA256 ") or "X-Amz-Signature=" in request.raw_query


def _identity(source: str, request: Incoming, event: dict[str, Any]) -> str | None:
    """The value an identity source names (`$request.header.X`, `$request.querystring.x`,
    `$stageVariables.x`, `$context.x`), or None when the request lacks it."""
    if source.startswith("$request.header."):
        return request.header(source.removeprefix("$request.header.")) or None
    if source.startswith("$request.querystring."):
        name = source.removeprefix("$request.querystring.")
        values = [v for k, v in request.query if k == name]
        return ",".join(values) or None
    if source.startswith("$stageVariables."):
        return (event.get("stageVariables") or {}).get(source.removeprefix("$stageVariables."))
    if source.startswith("$context."):
        value: Any = event.get("requestContext") or {}
        for part in source.removeprefix("$context.").split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return None if value is None else str(value)
    return None


def _jwt_claims(header: str, config: dict[str, Any]) -> dict[str, Any] | None:
    """The token's claims when it is a JWT for this authorizer (signature not checked)."""
    token = header.removeprefix("Bearer ").strip()
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, TypeError):
        return None
    if not isinstance(claims, dict):
        return None
    expires = claims.get("exp")
    if isinstance(expires, int | float) and expires < time.time():
        return None
    issuer = config.get("Issuer") or config.get("issuer")  # the API's JSON spells it lower
    if issuer and claims.get("iss") != issuer:
        return None
    audiences = config.get("Audience") or config.get("audience") or []
    given = claims.get("aud") if "aud" in claims else claims.get("client_id")
    given = given if isinstance(given, list) else [given]
    if audiences and not set(audiences) & set(given):
        return None
    return claims


def _lambda_authorizer(
    api: Any,
    route: Any,
    authorizer: Any,
    request: Incoming,
    event: dict[str, Any],
    stage: str,
    values: list[str],
) -> tuple[Response | None, dict[str, Any] | None]:
    if (authorizer.auth_payload_format_version or "2.0") != "2.0":
        return (
            json_response(
                500,
                {
                    "message": "The teaching kit runs Lambda authorizers with payload format "
                    "2.0 only (AuthorizerPayloadFormatVersion='2.0')."
                },
                {"apigw-requestid": request.request_id},
            ),
            None,
        )
    function_arn = function_arn_in(authorizer.authorizer_uri or "")
    if function_arn is None:
        return _refuse(500, request), None
    region, account = api.backend.region_name, api.backend.account_id
    verb, _, path = route.route_key.partition(" ")
    call = event_v2(
        request,
        api_id=api.api_id,
        domain=f"{api.api_id}.execute-api.{region}.amazonaws.com",
        account=account,
        stage=stage,
        route_key=route.route_key,
        path_parameters=event.get("pathParameters"),
        stage_variables=event.get("stageVariables"),
    )
    call["type"] = "REQUEST"
    call["routeArn"] = f"arn:aws:execute-api:{region}:{account}:{api.api_id}/{stage}/{verb}{path}"
    call["identitySource"] = values
    permitted = from_authorizer(region, account, api.api_id, authorizer.id)
    outcome = call_function(function_arn, call, AUTHORIZER_TIMEOUT_S, permitted)
    if outcome.kind != "ok":
        return _refuse(500, request), None
    try:
        answer = json.loads(outcome.payload or b"null")
    except ValueError:
        return _refuse(500, request), None
    if not isinstance(answer, dict):
        return _refuse(500, request), None
    if authorizer.enable_simple_response:
        allowed = answer.get("isAuthorized") is True
    else:
        statements = (answer.get("policyDocument") or {}).get("Statement") or []
        statements = [statements] if isinstance(statements, dict) else statements
        effects = {str(s.get("Effect")) for s in statements if isinstance(s, dict)}
        allowed = "Allow" in effects and "Deny" not in effects
    if not allowed:
        return _refuse(403, request), None
    return None, {"lambda": answer.get("context") or {}}
