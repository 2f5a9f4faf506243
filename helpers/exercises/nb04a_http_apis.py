"""Exercises of notebook 04a: q1 an HTTP API backend.

The check drives the learner's resources the way their trigger would: it calls the API over
HTTP, then looks only at what ran after it began. This trigger needs the function's
resource-based policy (`add_permission`) to let API Gateway invoke it, on AWS as in the kit;
the check also reads it, to name a missing or over-broad statement.
"""

from __future__ import annotations

import base64
import json
import random
import re
import string
import unicodedata
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, unquote

from .. import events
from . import apps
from .core import Exercise, Incorrect
from .harness import client, function_config, invoke, kit, require_not_paused
from .trigger_permissions import account_and_region, function_of, require_trigger_permission

# Names whose case isn't "First letter upper, the rest lower": a handler that re-cases the name
# (`.title()`, `.capitalize()`) changes them (learner trial 9, OD1: one passed).
MIXED_CASE = ("McGrath", "DiCaprio", "LeBlanc", "deSouza", "MacLeod", "vanRossum", "ada")
# Names over 40 characters: a handler that cuts the name (`[:12]`, `[:16]`) fails (learner
# trial 10, UD9: the longest name the check sent had 12).
LONG_NAMES = (
    "Maximiliane-Adelheid-vonSchwarzenberg-Thurnau",
    "Oluwaseun-Adebayo-Okonkwo-Nwachukwu-Eze",
    "Gwenllian-Angharad-apLlewelyn-Pritchard-Hughes",
    "María-José-Fernández-deCórdoba-yVillanueva",
)
# Names with a `+`, which a URL's path keeps as a plus (only a query string reads it as a
# space): a handler that decodes the path parameter again (`unquote_plus`, notebook 03's lesson
# for S3 keys) greets `Anne Marie` (learner trial 11, AD8: no name the check sent had one).
PLUS_NAMES = ("Anne+Marie", "Jean+Luc", "Mary+Kate", "Rosa+Lee")
# Names with a `"` and names with a `\`, which JSON must escape: a body built by joining strings
# (`'{"message": "Hello, ' + name + '!"}'`) is not JSON for them (learner trial 12, GD6: no name
# the check sent had one, and it passed). After the `\` no letter that JSON reads as an escape
# (`b f n r t u`), so a hand-made body is never valid JSON by chance.
QUOTE_NAMES = ('Ada-"Countess"', 'Dwayne-"Rock"', '"Kit"-Marlowe', 'Jo-"JJ"-Smith')
BACKSLASH_NAMES = ("CORP\\ada", "EU\\jdoe", "LAB\\kim", "HQ\\sam", "DEV\\mia")
# Names with letters outside Latin-1: a handler that encodes the name to latin-1 and drops what
# doesn't fit greets `ucja` (learner trial 13, MD21: every name the check sent was Latin-1).
NON_LATIN1_NAMES = ("Łucja", "Nguyễn", "美咲", "Ольга", "Dvořák", "Παύλος", "Şükrü")
# Names with compatibility characters (full-width letters, a ligature): a handler that
# normalises the name to NFKC changes them (learner trial 13, MD2: one passed).
COMPAT_NAMES = ("Ｙｕｋｉ", "ﬁona", "Ａｉｋｏ", "Sven-ﬂo", "Ｋｅｎ")


# ------------------------------------------------------------------------- q1: an HTTP API
API = "greetings"
ROUTE = "GET /hello/{name}"


def _api() -> dict[str, Any]:
    apis = [
        a
        for page in client("apigatewayv2").get_paginator("get_apis").paginate()
        for a in page["Items"]
    ]
    mine = [a for a in apis if a["Name"] == API]
    if not mine:
        seen = f" (found: {', '.join(sorted(a['Name'] for a in apis))})" if apis else ""
        raise Incorrect(
            f"there is no API named `{API}` yet{seen}. Create it with "
            f"`apigw.create_api(Name='{API}', ProtocolType='HTTP')`."
        )
    if len(mine) > 1:
        raise Incorrect(
            f"there are {len(mine)} APIs named `{API}` (API names are not unique: each "
            "`create_api` makes a new one, with its own endpoint). Keep one: delete the others "
            "with `apigw.delete_api(ApiId=...)`."
        )
    api = mine[0]
    if api.get("ProtocolType") != "HTTP":
        raise Incorrect(
            f"`{API}` is a {api.get('ProtocolType')} API; make an HTTP API (`ProtocolType='HTTP'`)."
        )
    if api.get("DisableExecuteApiEndpoint"):
        # Learner trial 10 (UD11): a disabled default endpoint takes no calls (with automatic
        # deployments at once), and the task's URL is that endpoint; clients that still
        # connect "receive a 403 Forbidden status code". The kit answered 200.
        # https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-disable-default-endpoint.html
        # https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html
        raise Incorrect(
            f"`{API}` has `DisableExecuteApiEndpoint=True`: its default endpoint "
            f"(`{api.get('ApiEndpoint')}`) refuses every request with 403 Forbidden, and the "
            "task's `GET /hello/<name>` is called there. Enable it again: "
            "`apigw.update_api(ApiId=..., DisableExecuteApiEndpoint=False)`."
        )
    return api


def _api_named(arn: str) -> str:
    """' (the API `name`)' when an execute-api ARN names one of the learner's APIs; when its
    region or account is not the API's, it says so (learner trial 10, UW8: an ARN in another
    region was labelled the API `greetings`)."""
    parts = arn.split(":")
    api_id = parts[5].split("/")[0] if len(parts) >= 6 else ""
    for api in client("apigatewayv2").get_apis()["Items"]:
        if api["ApiId"] != api_id:
            continue
        account, region = account_and_region()
        if parts[3] != region:
            return (
                f" (the id of the API `{api['Name']}`, but in the region `{parts[3]}`: the API "
                f"is in `{region}`)"
            )
        if parts[4] != account:
            return (
                f" (the id of the API `{api['Name']}`, but in the account `{parts[4]}`: the "
                f"API is in `{account}`)"
            )
        return f" (the API `{api['Name']}`)"
    return ""


# A route on the task's path with another method or another variable name (`ANY /hello/{name}`,
# `GET /hello/{Name}`): method and variable, from its key.
_NEAR_ROUTE = re.compile(r"(\S+) /hello/\{([^}+]+)\}")


def _route(api_id: str) -> dict[str, Any]:
    """The API's route `GET /hello/{name}`, or Incorrect naming the routes it has."""
    routes = client("apigatewayv2").get_routes(ApiId=api_id)["Items"]
    route = next((r for r in routes if r["RouteKey"] == ROUTE), None)
    if route is None:
        keys = ", ".join(f"`{r['RouteKey']}`" for r in routes) or "none"
        near = next((r for r in routes if _NEAR_ROUTE.fullmatch(r["RouteKey"])), None)
        if near is not None:
            raise Incorrect(
                f"`{API}` has no route `{ROUTE}` (its routes: {keys}). " + _near_route_advice(near)
            )
        raise Incorrect(
            f"`{API}` has no route `{ROUTE}` (its routes: {keys}). Add it with "
            f"`apigw.create_route(ApiId=..., RouteKey='{ROUTE}', "
            "Target=f'integrations/{integration_id}')`."
        )
    return route


def _near_route_advice(route: dict[str, Any]) -> str:
    """What to change in a route on `/hello/{...}` that is not the task's: its key, in place.

    Learner trial 12 (GD7): told to add `GET /hello/{name}` beside `GET /hello/{Name}`; AWS
    refuses a route whose path variable has another name than an existing route's at the same
    level, whatever the methods: ConflictException (409) "The provided route key GET
    /hello/{name} has a conflicting variable on the same hierarchical level as GET
    /hello/{Name}" (https://github.com/KensioSoftware/yulin/pull/307 quotes AWS's message; the
    REST API's rule: https://github.com/amazon-archives/aws-apigateway-importer/issues/202).
    GW1: `ANY /hello/{name}` answers every method, and the task's route is the GET one."""
    found = _NEAR_ROUTE.fullmatch(route["RouteKey"])
    assert found is not None
    method, variable = found.groups()
    key = route["RouteKey"]
    change = (
        f"Change that route's key: `apigw.update_route(ApiId=..., RouteId='{route['RouteId']}', "
        f"RouteKey='{ROUTE}')` (or delete it with `apigw.delete_route` and create `{ROUTE}`)"
    )
    if variable != "name":
        return (
            f"Its route `{key}` names the path variable `{{{variable}}}`; the task's is "
            f"`{{name}}`, and API Gateway hands the function the name you give it. AWS refuses "
            f"a second route whose variable at the same level is named otherwise "
            f"(ConflictException), so don't add one. {change}, and read the name from "
            "`event['pathParameters']['name']`."
        )
    what = "answers every method" if method.upper() == "ANY" else f"is for {method}"
    return f"Its route `{key}` {what}; the task's route is `{ROUTE}`. {change}."


def _require_no_catch_all(api_id: str, function: str) -> None:
    """Incorrect when the API also has the route `$default`: "The $default route acts as a
    catch-all for requests that don't match any other routes"
    (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html),
    so every method and every path reaches its target, where the task's API answers
    `GET /hello/{name}` alone and API Gateway answers 404 to any other request itself. Learner
    trial 13 (MD7): it passed, while `ANY /hello/{name}` was refused."""
    routes = client("apigatewayv2").get_routes(ApiId=api_id)["Items"]
    catch_all = next((r for r in routes if r["RouteKey"] == "$default"), None)
    if catch_all is None:
        return
    raise Incorrect(
        f"`{API}` also has the route `$default`, a catch-all: every request that matches no "
        f"other route (any method, any path: `POST /hello/Ada`, `GET /nothing`) goes to its "
        "target instead of getting API Gateway's 404. The task's API has the one route "
        f"`{ROUTE}`, to `{function}`: delete the catch-all with "
        f"`apigw.delete_route(ApiId=..., RouteId='{catch_all['RouteId']}')`."
    )


# Headers of the check's own request (what `requests.get` sends): a Lambda authorizer's
# identity source in one of them is present, any other header is missing.
CHECK_HEADERS = ("host", "user-agent", "accept", "accept-encoding", "connection")
PUBLIC = (
    "The task's API is public, as anyone calls it (a browser, curl, the check): give the route "
    "no authorization, `apigw.update_route(ApiId=..., RouteId=..., AuthorizationType='NONE')` "
    "(which also detaches an authorizer)."
)


def _authorizer(api_id: str, route: dict[str, Any]) -> tuple[str, list[str]]:
    """A route's authorizer: how it is named in a message, and its identity sources."""
    apigw = client("apigatewayv2")
    if not route.get("AuthorizerId"):
        return "", []
    try:
        found = apigw.get_authorizer(ApiId=api_id, AuthorizerId=route["AuthorizerId"])
    except (apigw.exceptions.NotFoundException, apigw.exceptions.BadRequestException):
        return "", []  # no authorizer behind the route: it is named by its type alone
    return f" `{found.get('Name')}`", list(found.get("IdentitySource") or [])


def _authorization_refusal(
    api_id: str, route: dict[str, Any], status: int | None = None, path: str = ""
) -> None:
    """Incorrect when the route's authorization refuses the check's plain request.

    The check calls the API as anyone would: no SigV4 signature, no token. API Gateway refuses
    such a request before the function runs: AWS_IAM with 403, JWT with 401, and a Lambda
    authorizer (CUSTOM) with 401 when its identity source is missing (the authorizer isn't
    called) or 403 when it denies. AWS_IAM and JWT always refuse it, and a CUSTOM route whose
    identity source the request lacks too; another CUSTOM route is named when the check's
    request (GET `path`) got 401 or 403 (`status`).
    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html
    """
    kind = (route.get("AuthorizationType") or "NONE").upper()
    if kind == "NONE":
        return
    if kind == "AWS_IAM":
        raise Incorrect(
            f"the route `{ROUTE}` has `AuthorizationType='AWS_IAM'`: API Gateway answers "
            "403 Forbidden to every request that isn't signed with AWS credentials (SigV4), "
            "such as the check's, and never runs the function. " + PUBLIC
        )
    named, sources = _authorizer(api_id, route)
    if kind == "JWT":
        where = f"`{sources[0]}`" if sources else "the `Authorization` header"
        raise Incorrect(
            f"the route `{ROUTE}` has a JWT authorizer{named} (`AuthorizationType='JWT'`): "
            f"API Gateway answers 401 Unauthorized to every request without a valid token in "
            f"{where}, such as the check's, and never runs the function. " + PUBLIC
        )
    missing = [
        source
        for source in sources
        if source.startswith("$request.querystring.")
        or (
            source.startswith("$request.header.")
            and source.removeprefix("$request.header.").lower() not in CHECK_HEADERS
        )
    ]
    if missing:
        raise Incorrect(
            f"the route `{ROUTE}` has a Lambda authorizer{named} (`AuthorizationType="
            f"'{kind}'`) whose identity source is `{missing[0]}`: API Gateway answers 401 "
            "Unauthorized to every request without it, such as the check's, without even "
            "calling the authorizer. " + PUBLIC
        )
    if status in (401, 403):
        raise Incorrect(
            f"GET {path} answered {status}: the route `{ROUTE}` has a Lambda authorizer"
            f"{named} (`AuthorizationType='{kind}'`), and it refused the check's request, "
            "which carries no credentials. " + PUBLIC
        )


def _route_target(api_id: str, route: dict[str, Any]) -> tuple[str, str | None, str]:
    """The function (name, qualifier) behind the route, and the integration's payload version."""
    apigw = client("apigatewayv2")
    target = route.get("Target") or ""
    if not target.startswith("integrations/"):
        raise Incorrect(
            f"the route `{ROUTE}` has no integration: give it "
            "`Target=f'integrations/{integration_id}'`."
        )
    integration = apigw.get_integration(ApiId=api_id, IntegrationId=target.split("/", 1)[1])
    if integration.get("IntegrationType") != "AWS_PROXY":
        raise Incorrect(
            f"the route's integration is {integration.get('IntegrationType')}; a Lambda "
            "function behind an HTTP API is an `AWS_PROXY` integration."
        )
    uri = integration.get("IntegrationUri", "")
    if not re.search(r"arn:aws[\w-]*:lambda:", uri):
        # Learner trial 13 (MD11): the function's bare name, as `lam.invoke` takes it; the API
        # answered 500 and the message blamed the response's shape. "For a Lambda
        # integration, specify the URI of a Lambda function" (its ARN in AWS's HTTP API
        # example: https://docs.aws.amazon.com/cli/latest/reference/apigatewayv2/create-integration.html).
        raise Incorrect(
            f"the route's integration has `IntegrationUri='{uri}'`, which is not a Lambda "
            "function's ARN: API Gateway needs the ARN there (a name alone, which `lam.invoke` "
            "accepts, is not enough), so every request fails. Give the integration the "
            "function's ARN (`lam.get_function(FunctionName=...)['Configuration']"
            "['FunctionArn']`): `apigw.update_integration(ApiId=..., IntegrationId=..., "
            "IntegrationUri=<that ARN>)`."
        )
    name, qualifier = function_of(uri)
    function_config(name, qualifier)
    return name, qualifier, integration.get("PayloadFormatVersion") or "2.0"


def _event(version: str, api_id: str, name: str) -> dict[str, Any]:
    """The event API Gateway sends the function for GET /hello/<name>, in the route's format."""
    path = f"/hello/{name}"
    if version == "1.0":
        event = events.load(
            "apigw_rest",
            method="GET",
            path=path,
            resource="/hello/{name}",
            path_parameters={"name": name},
        )
    else:
        event = events.load("apigw_http", method="GET", path=path, body=None, query={})
        event["routeKey"] = event["requestContext"]["routeKey"] = ROUTE
        event["pathParameters"] = {"name": name}
        event.pop("queryStringParameters", None)  # none in the request: 2.0 leaves it out
        event["rawQueryString"] = ""
    event["requestContext"]["apiId"] = api_id
    return event


def _body_not_a_string(
    function: str, qualifier: str | None, version: str, api_id: str, name: str
) -> None:
    """Incorrect when the function's raw result has a `body` that is not a string.

    API Gateway needs a proxy integration's `body` as a string: given another type, an HTTP
    API answers 500 Internal Server Error (a REST API 502). (The kit serialises it instead.)
    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
    """
    run = invoke(function, _event(version, api_id, name), qualifier=qualifier)
    if run.failed or not isinstance(run.payload, dict):
        return  # what it answers over HTTP is checked from the HTTP response
    if "statusCode" in run.payload or version == "1.0":
        body = run.payload.get("body")
        if body is not None and not isinstance(body, str):
            raise Incorrect(
                f"`{function}` returns a `body` that is a {type(body).__name__} "
                f"({body!r}), not a string. API Gateway needs the body as a string: on AWS "
                "this response is a 500 Internal Server Error (a REST API answers 502), even "
                "though the kit serialises it for you. Return `'body': json.dumps({...})`."
            )


def _named_stages(api_id: str) -> str:
    """When the API has stages, none of them `$default`: their URLs hold the stage's name
    (`/prod/hello/Ada`), and the task's URL holds none. Learner trial 9 (OW3): a stage `prod`
    was met with a question about `$default` alone.
    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html"""
    stages = [
        s["StageName"] for s in client("apigatewayv2").get_stages(ApiId=api_id).get("Items", [])
    ]
    if not stages or "$default" in stages:
        return ""
    shown = ", ".join(f"`{name}`" for name in stages)
    return (
        f" `{API}` has the stage(s) {shown}, none of them `$default`: a named stage serves "
        f"its routes under its name (`/{stages[0]}/hello/...`), and the task's URL, "
        "`/hello/<name>`, has no stage in it: that is the stage `$default`."
    )


def _response_advice(payload: Any, version: str) -> str:
    """Why API Gateway refused a response the function returned without an error (its log
    shows none). Learner trial 10 (UD13): "Its log group has the details" for a payload
    format 1.0 response without `statusCode`, and for `isBase64Encoded` on a plain body.
    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html"""
    if version == "1.0" and not (isinstance(payload, dict) and "statusCode" in payload):
        return (
            "The integration uses payload format 1.0, which infers nothing: the function must "
            "return `statusCode`, `headers` and `body` (a string). Only format 2.0 takes a "
            "dict without `statusCode` as the JSON body. Return them, or make the integration "
            "`PayloadFormatVersion='2.0'` (`apigw.update_integration`)."
        )
    if isinstance(payload, dict) and payload.get("isBase64Encoded") is True:
        body = payload.get("body")
        try:
            base64.b64decode(body if isinstance(body, str) else "", validate=True)
            plain = not isinstance(body, str)
        except ValueError:
            plain = True
        if plain:
            return (
                "It says `'isBase64Encoded': True`, but its `body` is not base64: API Gateway "
                "decodes a body so flagged, and this one isn't. Leave `isBase64Encoded` out "
                "(or False) for a JSON text body, or encode the body with "
                "`base64.b64encode(...).decode()`."
            )
    return (
        "It didn't fail, so its log shows no error: the response's shape is wrong. With "
        "`statusCode`, return an int `statusCode`, `headers` whose values are strings, and "
        "`body` as a string."
    )


def _require_time_to_answer(
    api_id: str, route: dict[str, Any], function: str, who: str, response: Any, run: Any
) -> None:
    """Incorrect when the API answered 503 because the integration's `TimeoutInMillis` is
    shorter than the function takes: API Gateway stops waiting then, and answers 503 Service
    Unavailable though the function succeeds (HTTP APIs: 50 to 30,000 ms,
    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
    Learner trial 13 (MD13): the message blamed the response's shape."""
    if response.status_code != 503:
        return
    integration = client("apigatewayv2").get_integration(
        ApiId=api_id, IntegrationId=(route.get("Target") or "").split("/", 1)[-1]
    )
    limit = integration.get("TimeoutInMillis")
    if not limit or int(limit) >= 30000:
        return
    took = run.duration_ms
    ran = f" (the check's own invocation of it ran {took:.0f} ms)" if took is not None else ""
    raise Incorrect(
        f"GET /hello/{who} answered 503 {response.text}: the route's integration has "
        f"`TimeoutInMillis={limit}`, and `{function}` takes longer than that{ran}. API Gateway "
        "stops waiting after that time and answers 503, though the function succeeds (a cold "
        "start alone can take longer on AWS). Leave the timeout at its default, 30,000 ms, or "
        "give it room: `apigw.update_integration(ApiId=..., IntegrationId=..., "
        "TimeoutInMillis=30000)`."
    )


def _get(endpoint: str, name: str) -> Any:
    import requests

    try:
        # Percent-encoded as a browser would (`%22`, `%5C`, `%C3%AB`); a `+` is kept.
        return requests.get(f"{endpoint}/hello/{quote(name, safe='+')}", timeout=30)
    except requests.RequestException as exc:
        raise Incorrect(f"calling GET /hello/{name} failed: {exc}") from None


def _body_advice(who: str, body: Any) -> str:
    """What to change in a handler whose JSON body is not {"message": "Hello, <who>!"}: advice
    that fits what is wrong with it, not always "read the name"."""
    if body is None:
        # A 2.0 route answers 200 `null` for a handler that returns None: no `return`.
        return (
            "The body is `null`: the handler returns nothing (a `print` isn't a reply). "
            "`return` the response, its body `json.dumps({'message': ...})`."
        )
    if not isinstance(body, dict):
        return (
            f"The body is a JSON {type(body).__name__}; make it an object with one key, `message`."
        )
    if "statusCode" in body or "body" in body:
        return (
            "Your whole response came back as the body: a dict without `statusCode` is the body "
            "itself to API Gateway (payload format 2.0). Return `statusCode`, `headers` and "
            "`body` (a JSON string) at the top level."
        )
    if "message" not in body:
        return "The key must be `message`."
    if extra := [key for key in body if key != "message"]:
        return (
            f"The body has the extra key(s) {', '.join(f'`{k}`' for k in extra)}: answer "
            "exactly one key, `message`."
        )
    message = body["message"]
    if "+" in who and message == f"Hello, {who.replace('+', ' ')}!":
        return (
            "The `+` became a space: the name was decoded again (`unquote_plus`?). API Gateway "
            "hands the function the path parameter decoded already, and in a URL's path a `+` "
            "is a plus (only a query string reads it as a space). Greet "
            "`event['pathParameters']['name']` as it is."
        )
    if isinstance(message, str) and who not in message and who.lower() in message.lower():
        return (
            f"The name's letters were re-cased (`{who}` is not spelt so in the greeting), as "
            "`.title()`, `.capitalize()` or `.lower()` do: greet the name exactly as the "
            "request sent it, `event['pathParameters']['name']` as it is."
        )
    if isinstance(message, str) and who in message:
        before, _, after = message.partition(who)
        if re.sub(r"[\W_]", "", before + after).lower() == "hello":
            return "Check the words, the comma, the space and the `!` of the greeting."
        return (
            f"The name comes with more around it (`{before}` before it, `{after}` after it): "
            "greet the name alone, the string `event['pathParameters']['name']`, not the "
            "whole `pathParameters` or another value that holds it."
        )
    got = message.removeprefix("Hello, ").removesuffix("!") if isinstance(message, str) else ""
    lost = [c for c in who if ord(c) > 0xFF]
    if lost and got in {who.encode(e, "ignore").decode(e) for e in ("latin-1", "ascii")}:
        # Learner trial 13 (MD21).
        return (
            f"The letters `{''.join(dict.fromkeys(lost))}` were dropped, as encoding the name "
            "to latin-1 or ASCII with errors ignored does: a name may hold any letter. Keep "
            "the name a `str` as the event gives it, and build the body with `json.dumps`."
        )
    normal = {unicodedata.normalize(form, who) for form in ("NFC", "NFD", "NFKC", "NFKD")}
    if got != who and got in normal:
        # Learner trial 13 (MD2): NFKC turns `Ｙｕｋｉ` into `Yuki`.
        return (
            "The name was normalised (`unicodedata.normalize`), which changes letters such as "
            "full-width `Ｙ` or the ligature `ﬁ`: greet the name exactly as the request sent "
            "it, `event['pathParameters']['name']` as it is."
        )
    if got and len(got) < len(who) and who.startswith(got):
        return (
            f"The name was cut to its first {len(got)} characters: greet the whole name, "
            "however long, as the request sent it."
        )
    return (
        "The greeting doesn't hold the name as the request sent it. Read the name from the "
        "path: `event['pathParameters']['name']`."
    )


def _greets_on_aws(
    function: str, qualifier: str | None, version: str, api_id: str, who: str, body: Any
) -> bool:
    """Whether a greeting of the name still URL-encoded (`Hello, Zo%C3%AB1234!`) comes from a
    handler that reads the raw path (`rawPath`, or `path` in format 1.0) and greets the name on
    AWS. Learner trial 11 (AD7): the kit hands an HTTP API's function the path as sent, still
    encoded; on AWS an HTTP API hands it on URL-decoded (unlike REST APIs and function URLs).
    AWS's payload page shows no encoded path (http-api-develop-integrations-lambda.html); live
    events do: `GET /a%2Fb` arrived as `"rawPath": "/a/b"` (fastify/aws-lambda-fastify#169), and
    honojs/hono#2156 and middleapi/standard-server#93 report the same for 1.0 and 2.0. So the
    same request is sent as AWS would, path decoded, and its reply judged."""
    message = body.get("message") if isinstance(body, dict) else None
    if not (isinstance(message, str) and message.startswith("Hello, ")):
        return False
    got = message.removeprefix("Hello, ").removesuffix("!")
    if got == who or unquote(got) != who:
        return False
    run = invoke(function, _event(version, api_id, who), qualifier=qualifier)
    if run.failed or not isinstance(run.payload, dict):
        return False
    reply: Any = run.payload
    if "statusCode" in reply:
        if reply.get("statusCode") != 200 or not isinstance(reply.get("body"), str):
            return False
        text = reply["body"]
        if reply.get("isBase64Encoded") is True:
            try:
                text = base64.b64decode(text).decode("utf-8")
            except ValueError:
                return False
        try:
            reply = json.loads(text)
        except ValueError:
            return False
    elif version == "1.0":
        return False  # 1.0 infers nothing: a 500 on AWS
    return reply == {"message": f"Hello, {who}!"}


def _check_http_api() -> str:
    kit()
    api = _api()
    api_id = api["ApiId"]
    route = _route(api_id)
    function, qualifier, version = _route_target(api_id, route)
    _require_no_catch_all(api_id, function)
    # A route that refuses anyone without credentials is named before anything else: on
    # AWS nothing behind it is reached.
    _authorization_refusal(api_id, route)
    account, region = account_and_region()
    # An accented name every time: it reaches the API URL-encoded (`Zo%C3%AB`), and the
    # function must greet it decoded.
    name = random.choice(["Zoë", "José"]) + "".join(random.choices(string.digits, k=4))
    api_arn = f"arn:aws:execute-api:{region}:{account}:{api_id}"
    require_trigger_permission(
        function,
        "apigateway.amazonaws.com",
        # The ARN API Gateway invokes with: API/stage/METHOD/route path.
        f"{api_arn}/$default/GET/hello/{{name}}",
        f"the API `{API}`",
        shown_arn=f"{api_arn}/*",
        qualifier=qualifier,
        describe=_api_named,
    )
    # Throttled at every request: named, not blamed on the handler (learner trial 9, OD8).
    require_not_paused(function)
    names = [
        name,
        random.choice(MIXED_CASE) + "-" + name[-4:],
        random.choice(PLUS_NAMES) + "-" + name[-4:],
        random.choice(LONG_NAMES) + "-" + name[-4:],
        random.choice(QUOTE_NAMES) + "-" + name[-4:],
        random.choice(BACKSLASH_NAMES) + "-" + name[-4:],
        random.choice(NON_LATIN1_NAMES) + "-" + name[-4:],
        random.choice(COMPAT_NAMES) + "-" + name[-4:],
    ]
    raw_path_read = False
    # What the function returns, as API Gateway would call it: the kit is lenient with it.
    _body_not_a_string(function, qualifier, version, api_id, names[1])
    for who in names:
        response = _get(api["ApiEndpoint"], who)
        if response.status_code == 404:
            raise Incorrect(
                f"GET /hello/{who} answered 404 {response.text}: no route matched, or nothing "
                "is deployed. Is there a stage `$default` with `AutoDeploy=True` "
                "(`create_stage`)? Without it, the routes of an HTTP API go live only with a "
                "deployment." + _named_stages(api_id)
            )
        if response.status_code in (500, 502, 503):
            # The same request as an event, invoked directly: its error, if it fails.
            run = invoke(function, _event(version, api_id, who), qualifier=qualifier)
            if run.failed:
                raise Incorrect(
                    f"GET /hello/{who} answered {response.status_code} {response.text}: the "
                    f"function `{function}` failed with {run.error}. Its log group "
                    f"`/aws/lambda/{function}` has the details."
                )
            _require_time_to_answer(api_id, route, function, who, response, run)
            raise Incorrect(
                f"GET /hello/{who} answered {response.status_code} {response.text}: the "
                f"function `{function}` succeeded and returned {run.payload!r}, which API "
                "Gateway cannot turn into a response. " + _response_advice(run.payload, version)
            )
        if response.status_code in (401, 403):
            _authorization_refusal(api_id, route, response.status_code, f"/hello/{who}")
        if response.status_code == 429:
            # API Gateway's own throttle, before the function runs (the stage's or the route's
            # ThrottlingRateLimit/ThrottlingBurstLimit): learner trial 9, OD16.
            raise Incorrect(
                f"GET /hello/{who} answered 429 {response.text}: API Gateway throttled it before "
                f"`{function}` ran, by the stage's `DefaultRouteSettings` (or the route's "
                "`RouteSettings`): a `ThrottlingBurstLimit` or `ThrottlingRateLimit` of 0 lets "
                "nothing through. Raise them, or leave them out (`update_stage`)."
            )
        if response.status_code != 200:
            raise Incorrect(
                f"GET /hello/{who} answered {response.status_code}; expected 200. Return "
                "`statusCode: 200` (or a dict without `statusCode`)."
            )
        content_type = response.headers.get("Content-Type", "")
        if not content_type.startswith("application/json"):
            raise Incorrect(
                f"GET /hello/{who} answered with Content-Type `{content_type}`; expected "
                "`application/json`. Set it in the response's `headers`."
            )
        expected = {"message": f"Hello, {who}!"}
        try:
            body = response.json()
        except ValueError:
            special = next((c for c in '"\\' if c in who), "")
            raise Incorrect(
                f"GET /hello/{who} answered {response.text!r}, which is not JSON"
                + (
                    f": the `{special}` in the name is not escaped, as when the body is built "
                    "by joining strings. Build it with "
                    "`json.dumps({'message': f'Hello, {name}!'})`, which escapes whatever the "
                    "name holds."
                    if special
                    else ". Build the body with `json.dumps({...})`."
                )
            ) from None
        if body != expected and _greets_on_aws(function, qualifier, version, api_id, who, body):
            raw_path_read = True
            continue
        if body != expected:
            raise Incorrect(
                f"GET /hello/{who} answered {body!r}; expected {expected!r}. "
                + _body_advice(who, body)
            )
    note = (
        f" Note: `{function}` reads the name from the raw path, which the kit hands on still "
        f"URL-encoded (`GET /hello/{name}` greets `{quote(name)}` here). On AWS an HTTP API "
        "hands the function `rawPath` decoded, so it greets the name there; "
        "`event['pathParameters']['name']` is decoded on both."
        if raw_path_read
        else ""
    )
    return (
        f"Over real HTTP, `GET /hello/<a name of the check's>` answered 200 with "
        f'`{{"message": "Hello, <that name>!"}}` as JSON, and API Gateway may invoke '
        f"`{function}` for `{API}` only.{note}"
    )


_GREETINGS_SOLUTION = f'''
import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
apigw = boto3.client("apigatewayv2")
account = boto3.client("sts").get_caller_identity()["Account"]
region = lam.meta.region_name

source = """
{apps.source("nb04_greeter_api")}"""
# Start afresh: no older API named greetings, a new function (its policy starts empty).
for api in apigw.get_apis()["Items"]:
    if api["Name"] == "greetings":
        apigw.delete_api(ApiId=api["ApiId"])
try:
    lam.delete_function(FunctionName="greeter-api")
except lam.exceptions.ResourceNotFoundException:
    pass
fn_arn = lam.create_function(
    FunctionName="greeter-api",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={{"ZipFile": zip_bytes({{"app.py": source}})}},
)["FunctionArn"]
lam.get_waiter("function_active_v2").wait(FunctionName="greeter-api")

api_id = apigw.create_api(Name="greetings", ProtocolType="HTTP")["ApiId"]
integration_id = apigw.create_integration(
    ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn_arn, PayloadFormatVersion="2.0"
)["IntegrationId"]
apigw.create_route(
    ApiId=api_id, RouteKey="GET /hello/{{name}}", Target=f"integrations/{{integration_id}}"
)
apigw.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
# API Gateway may invoke the function, for requests to this API only.
lam.add_permission(
    FunctionName="greeter-api",
    StatementId="greetings-api",
    Action="lambda:InvokeFunction",
    Principal="apigateway.amazonaws.com",
    SourceArn=f"arn:aws:execute-api:{{region}}:{{account}}:{{api_id}}/*",
)
'''


notebook_04a = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Build an HTTP API named `greetings` whose route `GET /hello/{name}` answers 200 "
            'with the JSON `{"message": "Hello, <name>!"}`, and let API Gateway invoke the '
            "function for this API only (`add_permission`), as AWS requires."
        ),
        checker=_check_http_api,
        hint_text=(
            "Five calls, as in section 1: the API, an `AWS_PROXY` integration, the route (its "
            "`{name}` arrives in `event['pathParameters']`), a `$default` stage that deploys "
            "itself, and the permission whose `SourceArn` names this API. With a `statusCode`, "
            "API Gateway wants the `body` as text, not as a dict."
        ),
        solution_code=_GREETINGS_SOLUTION,
    ),
)
