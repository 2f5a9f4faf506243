"""Function names as Lambda's API takes them: partial ARNs, `name:$LATEST`, a qualifier in the
name that contradicts `Qualifier`, and ARNs of another Region or account.

Every Lambda operation whose FunctionName is a path parameter (GetFunction, Invoke,
UpdateFunctionConfiguration...) and the event source mapping operations take these name formats
(API reference, e.g. https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html and
API_Invoke.html, as of 2026-12): "Function name – my-function (name-only), my-function:v1 (with
alias). Function ARN – arn:aws:lambda:us-west-2:123456789012:function:my-function. Partial ARN –
123456789012:function:my-function. You can append a version number or alias to any of the
formats." moto answered a partial ARN with a 500 (it split the name on every `:`), and Flask's
HTML 404 to `name:$LATEST` (its routes don't take a `$`).

Here, before moto sees the request, a name in an ARN format is checked and replaced by the plain
`name[:qualifier]` that every moto handler takes: the backend moto picks is already this account's
in this Region, so the name is all that is left to say.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, quote, unquote

from moto.awslambda import responses as lambda_responses
from moto.awslambda import urls as lambda_urls
from moto.awslambda.exceptions import LambdaClientError
from moto.core.responses import BaseResponse

from ..access import checks_for

# NamespacedFunctionName's pattern in the API reference (API_GetFunction, API_Invoke; as of
# 2026-12, as botocore's Lambda model ships it), with its groups named.
NAME = re.compile(
    r"(?P<arn>arn:(aws[a-zA-Z-]*)?:lambda:)?"
    r"(?:(?P<region>(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}):)?"
    r"(?:(?P<account>\d{12}):)?"
    r"(?P<function>function:)?"
    r"(?P<name>[a-zA-Z0-9-_\.]+)"
    r"(?::(?P<qualifier>\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?"
)

# moto's routes take a function name of `[\w_:%-]+`, so `name:$LATEST` found no route. The `$`
# is written `\x24`: moto strips every `$` from a route when it builds the Flask app.
_MOTO_NAME_ROUTE = r"(?P<function_name>[\w_:%-]+)"
_NAME_ROUTE = r"(?P<function_name>[\w_:%\x24-]+)"

_PATH_NAME = re.compile(r"(/functions/)([^/?]+)")
# The event source mapping operations take FunctionName in the body or the query string.
_MAPPING_OPERATIONS = ("CreateEventSourceMapping", "UpdateEventSourceMapping")


class _Refused(LambdaClientError):
    def __init__(self, error: str, message: str, status: int) -> None:
        self.code = status
        super().__init__(error, message)


def apply() -> None:
    """Let `$` into moto's function name routes, and check every Lambda request's name first.

    Run after `provisioned_concurrency` and `http_endpoints`, whose routes it widens too (moto's
    Flask app reads the routes later, when the server builds it)."""
    paths = lambda_urls.url_paths
    for path in [p for p in paths if _MOTO_NAME_ROUTE in p]:
        paths[path.replace(_MOTO_NAME_ROUTE, _NAME_ROUTE)] = paths.pop(path)
    lambda_responses.LambdaResponse.call_action = call_action


def call_action(self: Any) -> Any:
    """LambdaResponse's call_action: the function name checked and made plain, then BaseResponse's
    (looked up at each call: `iam_enforcement` replaces it after this patch is installed)."""
    try:
        _normalise(self)
    except _Refused as refused:
        headers = {**self.response_headers, **dict(refused.get_headers() or [])}
        headers["status"] = str(refused.code)
        headers, body = self._enrich_response(headers, refused.description)
        return refused.code, headers, body
    return BaseResponse.call_action(self)


def _normalise(response: Any) -> None:
    """Check the request's function name and put the plain `name[:qualifier]` in its place."""
    match = _PATH_NAME.search(response.path)
    if match:
        given = unquote(match.group(2))
        query = parse_qs(response.parsed_url.query)
        qualifier = (query.get("Qualifier") or [None])[0]
        plain = _plain_name(response, given, qualifier)
        if plain != given:
            old, new = match.group(0), f"{match.group(1)}{quote(plain, safe='')}"
            response.path = response.path.replace(old, new, 1)
            response.uri = response.uri.replace(old, new, 1)
        return
    operation = response._get_action()
    if operation in _MAPPING_OPERATIONS and response.body:
        try:
            spec = json.loads(response.body)
        except ValueError:
            return  # moto's own answer to a body that isn't JSON
        given = spec.get("FunctionName") if isinstance(spec, dict) else None
        if isinstance(given, str):
            spec["FunctionName"] = _plain_name(response, given, None)
            response.body = json.dumps(spec)
    elif operation == "ListEventSourceMappings":
        given = (parse_qs(response.parsed_url.query).get("FunctionName") or [None])[0]
        if given:
            response.querystring["FunctionName"] = [_plain_name(response, given, None)]


def _plain_name(response: Any, given: str, qualifier: str | None) -> str:
    """`given` as moto takes it, or AWS's refusal of it.

    Only an ARN format (an account and `function:`) is rewritten; a plain `name` or
    `name:qualifier` is left to moto, as it was.
    """
    found = NAME.fullmatch(given)
    if found and found["function"] and (found["account"] or found["arn"]):
        name, in_name = found["name"], found["qualifier"]
    else:
        found = None
        name, _, in_name = given.partition(":")
    # AWS's answer to `Invoke(FunctionName="MyFunction:2", Qualifier="1")`, as the EventBridge
    # Scheduler User Guide quotes it (as of 2026-12):
    # https://docs.aws.amazon.com/scheduler/latest/UserGuide/troubleshooting.html
    # ("Mismatching qualifiers": InvalidParameterValueException, this message).
    if in_name and qualifier and in_name != qualifier:
        raise _Refused(
            "InvalidParameterValueException",
            "The derived qualifier from the function name does not match the specified qualifier.",
            400,
        )
    if found is None:
        return given
    region = found["region"] or response.region
    # A function is reachable only from its own Region: AWS answers ResourceNotFoundException
    # (404), as users quote it, e.g. alexcasalboni/aws-lambda-power-tuning#18 (2019) and
    # Fraudmarc/fraudmarc-ce#21 (2019); as of 2026-12.
    if region != response.region:
        raise _Refused(
            "ResourceNotFoundException",
            f"Functions from '{region}' are not reachable in this region ('{response.region}')",
            404,
        )
    account = found["account"] or response.current_account
    if account != response.current_account:
        raise _another_account(response, given)
    return f"{name}:{in_name}" if in_name else name


def _another_account(response: Any, given: str) -> _Refused:
    """AWS's refusal of a function in another account that no resource-based policy opens to the
    caller: AccessDeniedException (403), "User: ... is not authorized to perform:
    lambda:InvokeFunction on resource: ..." across accounts (quoted in
    aws-solutions/instance-scheduler-on-aws#29, 2018), with the reason AWS now adds, "because no
    resource-based policy allows the lambda:InvokeFunction action" (quoted in
    awslabs/aws-automated-incident-response-and-forensics#13, 2022); as of 2026-12.

    The kit holds one account, so no other account's function can have such a policy; and the
    request must not reach this account's function of the same name, as moto let it."""
    from moto.sts.models import sts_backends

    operation = response._get_action() or "GetFunction"
    path = f"/functions/{given}?{response.parsed_url.query}"
    check = checks_for("lambda", operation, {}, response.region, response.current_account, path)[0]
    sts = sts_backends[response.current_account][response.partition]
    caller = sts.get_caller_identity(response.get_access_key(), response.region)[1]
    return _Refused(
        "AccessDeniedException",
        f"User: {caller} is not authorized to perform: {check.action} on resource: "
        f"{check.resource} because no resource-based policy allows the {check.action} action",
        403,
    )
