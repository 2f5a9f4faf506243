"""API Gateway (REST and HTTP APIs) and function URLs answer real HTTP requests, as on AWS."""

from __future__ import annotations

import base64
import json
import time

import pytest
import requests

from helpers.packaging import zip_bytes
from helpers.triggers.http import rest_api_url
from tests.conftest import allow_invoke, log_messages, public_url

ECHO = """
import json
def handler(event, context):
    print("EVENT", json.dumps(event))
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"},
            "body": json.dumps(event)}
"""

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


def _uri(function_arn: str) -> str:
    return (
        f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{function_arn}/invocations"
    )


def _rest_api(
    fresh, function_arn: str, routes: list[tuple[str, str]], integration: dict | None = None, **api
) -> str:
    """A REST API whose (path, method) pairs proxy to the function, deployed to stage "dev"."""
    apigw = fresh.client("apigateway")
    api_id = apigw.create_rest_api(name="shop", **api)["id"]
    ids = {"/": apigw.get_resources(restApiId=api_id)["items"][0]["id"]}
    for path, method in routes:
        parent = "/"
        for part in path.strip("/").split("/") if path != "/" else []:
            here = parent.rstrip("/") + "/" + part
            if here not in ids:
                made = apigw.create_resource(restApiId=api_id, parentId=ids[parent], pathPart=part)
                ids[here] = made["id"]
            parent = here
        apigw.put_method(
            restApiId=api_id, resourceId=ids[parent], httpMethod=method, authorizationType="NONE"
        )
        apigw.put_integration(
            restApiId=api_id,
            resourceId=ids[parent],
            httpMethod=method,
            type="AWS_PROXY",
            integrationHttpMethod="POST",
            uri=_uri(function_arn),
            **(integration or {}),
        )
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    _allow_api(function_arn, api_id)
    return api_id


def _allow_api(function_arn: str, api_id: str) -> None:
    """API Gateway may invoke the function (or its alias) from this API, as on AWS."""
    source = f"arn:aws:execute-api:us-east-1:123456789012:{api_id}/*"
    allow_invoke(function_arn, "apigateway.amazonaws.com", source)


def _http_api(fresh, function_arn: str, route_keys: list[str], **integration: object) -> dict:
    """An HTTP API with a Lambda proxy integration on each route and a `$default` stage."""
    v2 = fresh.client("apigatewayv2")
    api = v2.create_api(Name="shop", ProtocolType="HTTP")
    integration.setdefault("PayloadFormatVersion", "2.0")
    target = v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=function_arn, **integration
    )["IntegrationId"]
    for key in route_keys:
        v2.create_route(ApiId=api["ApiId"], RouteKey=key, Target=f"integrations/{target}")
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    _allow_api(function_arn, api["ApiId"])
    return api


# ------------------------------------------------------------------------------ REST APIs
def test_rest_api_get_with_path_parameters_and_query_string(deploy, fresh):
    arn = deploy("items", ECHO)["FunctionArn"]
    api_id = _rest_api(fresh, arn, [("/items/{id}", "GET")])
    url = rest_api_url(fresh.endpoint_url, api_id, "dev")
    assert url == f"{fresh.endpoint_url}/restapis/{api_id}/dev/_user_request_"

    response = requests.get(f"{url}/items/42?color=red&color=blue&size=L", timeout=30)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    event = response.json()
    assert event["resource"] == "/items/{id}"
    assert event["path"] == "/items/42"
    assert event["httpMethod"] == "GET"
    assert event["pathParameters"] == {"id": "42"}
    assert event["queryStringParameters"] == {"color": "blue", "size": "L"}  # last one wins
    assert event["multiValueQueryStringParameters"] == {"color": ["red", "blue"], "size": ["L"]}
    assert event["headers"]["User-Agent"].startswith("python-requests")
    assert event["multiValueHeaders"]["User-Agent"] == [event["headers"]["User-Agent"]]
    assert event["body"] is None
    assert event["isBase64Encoded"] is False
    assert event["stageVariables"] is None
    context = event["requestContext"]
    assert context["stage"] == "dev"
    assert context["path"] == "/dev/items/42"
    assert context["resourcePath"] == "/items/{id}"
    assert context["apiId"] == api_id
    assert context["accountId"] == "123456789012"
    assert context["identity"]["sourceIp"] == "127.0.0.1"


def test_rest_api_events_keep_header_names_as_sent(deploy, fresh):
    # AWS's own example (api_gateway_rest.py) reads event["headers"]["day"]: a REST proxy event
    # keeps names as the client sent them; HTTP APIs and function URLs lower-case them.
    arn = deploy("greet", ECHO)["FunctionArn"]
    api_id = _rest_api(fresh, arn, [("/hello", "GET")])
    url = rest_api_url(fresh.endpoint_url, api_id, "dev")
    event = requests.get(
        f"{url}/hello", headers={"day": "Friday", "X-Mixed-Case": "1"}, timeout=30
    ).json()
    assert event["headers"]["day"] == "Friday" and "Day" not in event["headers"]
    assert event["multiValueHeaders"]["day"] == ["Friday"]
    assert event["headers"]["X-Mixed-Case"] == "1"
    api = _http_api(fresh, arn, ["GET /hello"])
    event = requests.get(
        f"{api['ApiEndpoint']}/hello", headers={"Day": "Friday"}, timeout=30
    ).json()
    assert event["headers"]["day"] == "Friday"


def test_rest_api_post_json_body_and_custom_status(deploy, fresh):
    arn = deploy(
        "create-order",
        """
        import json
        def handler(event, context):
            order = json.loads(event["body"])
            return {"statusCode": 201,
                    "headers": {"Content-Type": "application/json", "Location": "/orders/7"},
                    "multiValueHeaders": {"X-Tag": ["a", "b"]},
                    "body": json.dumps({"id": 7, **order})}
        """,
    )["FunctionArn"]
    api_id = _rest_api(fresh, arn, [("/orders", "POST")])

    response = requests.post(
        rest_api_url(fresh.endpoint_url, api_id, "dev") + "/orders",
        json={"item": "tea", "qty": 2},
        timeout=30,
    )

    assert response.status_code == 201
    assert response.json() == {"id": 7, "item": "tea", "qty": 2}
    assert response.headers["Location"] == "/orders/7"
    assert response.raw.headers.getlist("X-Tag") == ["a", "b"]


def test_rest_api_greedy_proxy_resource_and_any_method(deploy, fresh):
    arn = deploy("router", ECHO)["FunctionArn"]
    api_id = _rest_api(fresh, arn, [("/{proxy+}", "ANY")])
    url = rest_api_url(fresh.endpoint_url, api_id, "dev")

    event = requests.delete(f"{url}/carts/9/lines/3", timeout=30).json()

    assert event["resource"] == "/{proxy+}"
    assert event["httpMethod"] == "DELETE"
    assert event["pathParameters"] == {"proxy": "carts/9/lines/3"}
    # {proxy+} needs at least one segment: the root is a resource of its own.
    assert requests.get(url + "/", timeout=30).status_code == 403


def test_rest_api_unknown_path_or_method_is_missing_authentication_token(deploy, fresh):
    arn = deploy("items", ECHO)["FunctionArn"]
    api_id = _rest_api(fresh, arn, [("/items", "GET")])
    url = rest_api_url(fresh.endpoint_url, api_id, "dev")

    for response in (
        requests.get(f"{url}/nothing-here", timeout=30),
        requests.post(f"{url}/items", json={}, timeout=30),
    ):
        assert response.status_code == 403
        assert response.json() == {"message": "Missing Authentication Token"}
    assert requests.get(rest_api_url(fresh.endpoint_url, api_id, "prod"), timeout=30).json() == {
        "message": "Forbidden"
    }


def test_rest_api_stage_serves_what_was_deployed(deploy, fresh):
    arn = deploy("items", ECHO)["FunctionArn"]
    api_id = _rest_api(fresh, arn, [("/items", "GET")])
    apigw = fresh.client("apigateway")
    root = apigw.get_resources(restApiId=api_id)["items"]
    items = next(r for r in root if r["path"] == "/items")
    apigw.put_method(
        restApiId=api_id, resourceId=items["id"], httpMethod="POST", authorizationType="NONE"
    )
    apigw.put_integration(
        restApiId=api_id,
        resourceId=items["id"],
        httpMethod="POST",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=_uri(arn),
    )
    url = rest_api_url(fresh.endpoint_url, api_id, "dev") + "/items"

    assert requests.post(url, timeout=30).status_code == 403  # not deployed yet
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    assert requests.post(url, timeout=30).status_code == 200


def test_rest_api_is_also_under_execute_api(deploy, fresh):
    arn = deploy("items", ECHO)["FunctionArn"]
    api_id = _rest_api(fresh, arn, [("/items/{id}", "GET")])

    response = requests.get(
        f"{fresh.endpoint_url}/_aws/execute-api/{api_id}/dev/items/5", timeout=30
    )

    assert response.status_code == 200
    assert response.json()["pathParameters"] == {"id": "5"}


@pytest.mark.parametrize(
    "body",
    [
        'raise ValueError("boom")',
        'return {"statusCode": 200, "body": {"not": "a string"}}',
        'return "just text"',
    ],
    ids=["handler-raises", "body-not-a-string", "not-a-proxy-response"],
)
def test_rest_api_function_error_or_bad_response_is_502(deploy, fresh, body):
    arn = deploy("broken", f"def handler(event, context):\n    {body}\n")["FunctionArn"]
    api_id = _rest_api(fresh, arn, [("/x", "GET")])

    response = requests.get(rest_api_url(fresh.endpoint_url, api_id, "dev") + "/x", timeout=30)

    assert response.status_code == 502
    assert response.json() == {"message": "Internal server error"}


def test_rest_api_integration_timeout_is_504(deploy, fresh):
    arn = deploy(
        "slow", "import time\ndef handler(event, context):\n    time.sleep(3)\n", Timeout=10
    )["FunctionArn"]
    api_id = _rest_api(fresh, arn, [("/slow", "GET")], {"timeoutInMillis": 1000})

    started = time.monotonic()
    response = requests.get(rest_api_url(fresh.endpoint_url, api_id, "dev") + "/slow", timeout=30)

    assert response.status_code == 504
    assert response.json() == {"message": "Endpoint request timed out"}
    assert time.monotonic() - started < 2.5  # the gateway gave up; the function ran on


def test_rest_api_binary_bodies_need_binary_media_types(deploy, fresh):
    arn = deploy(
        "thumbs",
        """
        import base64
        def handler(event, context):
            data = base64.b64decode(event["body"]) if event["isBase64Encoded"] else b""
            return {"statusCode": 200, "headers": {"Content-Type": "image/png"},
                    "body": base64.b64encode(data).decode(), "isBase64Encoded": True}
        """,
    )["FunctionArn"]
    api_id = _rest_api(fresh, arn, [("/thumb", "POST")], binaryMediaTypes=["image/png"])
    url = rest_api_url(fresh.endpoint_url, api_id, "dev") + "/thumb"
    headers = {"Content-Type": "image/png"}

    as_binary = requests.post(url, data=PNG, headers={**headers, "Accept": "image/png"}, timeout=30)
    as_text = requests.post(url, data=PNG, headers={**headers, "Accept": "*/*"}, timeout=30)

    assert as_binary.status_code == 200
    assert as_binary.content == PNG
    # Without a binary Accept type, API Gateway hands back the base64 text as it is.
    assert base64.b64decode(as_text.content) == PNG


# ------------------------------------------------------------------------------ HTTP APIs
def test_http_api_quick_create(deploy, fresh):
    arn = deploy("hello", ECHO)["FunctionArn"]
    v2 = fresh.client("apigatewayv2")

    api = v2.create_api(Name="hello", ProtocolType="HTTP", Target=arn)
    _allow_api(arn, api["ApiId"])  # quick create by API adds no permission

    assert api["ApiEndpoint"] == f"{fresh.endpoint_url}/_aws/execute-api/{api['ApiId']}"
    assert v2.get_api(ApiId=api["ApiId"])["ApiEndpoint"] == api["ApiEndpoint"]
    assert [r["RouteKey"] for r in v2.get_routes(ApiId=api["ApiId"])["Items"]] == ["$default"]
    stage = v2.get_stages(ApiId=api["ApiId"])["Items"][0]
    assert (stage["StageName"], stage["AutoDeploy"]) == ("$default", True)
    integration = v2.get_integrations(ApiId=api["ApiId"])["Items"][0]
    assert (integration["IntegrationType"], integration["PayloadFormatVersion"]) == (
        "AWS_PROXY",
        "2.0",
    )

    response = requests.post(
        api["ApiEndpoint"] + "/any/path?tag=a&tag=b", data="hi there", timeout=30
    )

    assert response.status_code == 200
    event = response.json()
    assert event["version"] == "2.0"
    assert event["routeKey"] == "$default"
    assert event["rawPath"] == "/any/path"
    assert event["rawQueryString"] == "tag=a&tag=b"
    assert event["queryStringParameters"] == {"tag": "a,b"}
    assert event["requestContext"]["http"]["method"] == "POST"
    assert event["requestContext"]["stage"] == "$default"
    assert event["requestContext"]["apiId"] == api["ApiId"]
    assert all(name == name.lower() for name in event["headers"])


def test_http_api_with_its_default_endpoint_disabled_answers_403(deploy, fresh):
    # http-api-disable-default-endpoint.html (learner trial 10, UD11).
    arn = deploy("hello", ECHO)["FunctionArn"]
    v2 = fresh.client("apigatewayv2")
    api = v2.create_api(Name="hello", ProtocolType="HTTP", Target=arn)
    _allow_api(arn, api["ApiId"])
    assert requests.get(api["ApiEndpoint"] + "/x", timeout=30).status_code == 200
    v2.update_api(ApiId=api["ApiId"], DisableExecuteApiEndpoint=True)
    response = requests.get(api["ApiEndpoint"] + "/x", timeout=30)
    assert (response.status_code, response.json()) == (403, {"message": "Forbidden"})


def test_http_api_refuses_a_second_route_or_stage_of_the_same_name(deploy, fresh):
    # CreateRoute and CreateStage list ConflictException (learner trials 9 and 10).
    arn = deploy("hello", ECHO)["FunctionArn"]
    v2 = fresh.client("apigatewayv2")
    api = v2.create_api(Name="hello", ProtocolType="HTTP", Target=arn)["ApiId"]
    with pytest.raises(v2.exceptions.ConflictException, match="already has a route"):
        v2.create_route(ApiId=api, RouteKey="$default")
    with pytest.raises(v2.exceptions.ConflictException, match="already has a stage"):
        v2.create_stage(ApiId=api, StageName="$default")
    v2.create_route(ApiId=api, RouteKey="GET /other")
    v2.create_stage(ApiId=api, StageName="dev")


def test_http_api_routes_path_parameters_and_stages(deploy, fresh):
    arn = deploy("items", ECHO)["FunctionArn"]
    api = _http_api(fresh, arn, ["GET /items/{id}", "ANY /{proxy+}", "GET /items/special"])
    v2 = fresh.client("apigatewayv2")
    v2.create_stage(ApiId=api["ApiId"], StageName="draft")  # nothing deployed to it
    v2.create_stage(ApiId=api["ApiId"], StageName="dev", AutoDeploy=True)
    base = api["ApiEndpoint"]
    draft = requests.get(base + "/draft/items/7", timeout=30)
    assert (draft.status_code, draft.json()) == (404, {"message": "Not Found"})

    item = requests.get(base + "/items/42", timeout=30).json()
    special = requests.get(base + "/items/special", timeout=30).json()
    other = requests.put(base + "/carts/1", timeout=30).json()
    staged = requests.get(base + "/dev/items/7", timeout=30).json()

    assert item["routeKey"] == "GET /items/{id}"
    assert item["pathParameters"] == {"id": "42"}
    assert special["routeKey"] == "GET /items/special"  # the most specific route wins
    assert "pathParameters" not in special
    assert other["routeKey"] == "ANY /{proxy+}"
    assert other["pathParameters"] == {"proxy": "carts/1"}
    assert staged["requestContext"]["stage"] == "dev"
    assert staged["rawPath"] == "/dev/items/7"  # a named stage stays in the path, as on AWS
    assert staged["pathParameters"] == {"id": "7"}
    # No route matches "/" (and there is no $default route).
    missing = requests.get(base + "/", timeout=30)
    assert (missing.status_code, missing.json()) == (404, {"message": "Not Found"})


def test_an_http_api_stage_without_auto_deploy_serves_its_deployment(deploy, fresh):
    arn = deploy("items", ECHO)["FunctionArn"]
    v2 = fresh.client("apigatewayv2")
    api = v2.create_api(Name="shop", ProtocolType="HTTP")
    target = v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=arn,
        PayloadFormatVersion="2.0",
    )["IntegrationId"]  # fmt: skip
    v2.create_route(ApiId=api["ApiId"], RouteKey="GET /a", Target=f"integrations/{target}")
    v2.create_stage(ApiId=api["ApiId"], StageName="$default")
    _allow_api(arn, api["ApiId"])
    base = api["ApiEndpoint"]
    assert requests.get(base + "/a", timeout=30).status_code == 404  # nothing deployed

    made = v2.create_deployment(ApiId=api["ApiId"], StageName="$default")
    assert made["DeploymentStatus"] == "DEPLOYED"
    assert (
        v2.get_stage(ApiId=api["ApiId"], StageName="$default")["DeploymentId"]
        == made["DeploymentId"]
    )
    assert requests.get(base + "/a", timeout=30).status_code == 200
    # A later route waits for the next deployment, or for AutoDeploy.
    v2.create_route(ApiId=api["ApiId"], RouteKey="GET /b", Target=f"integrations/{target}")
    assert requests.get(base + "/b", timeout=30).status_code == 404
    v2.update_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    assert requests.get(base + "/b", timeout=30).status_code == 200


def test_an_http_api_stage_throttles_with_its_route_settings(deploy, fresh):
    # API Gateway's token bucket: burst is its size, rate refills it; an empty bucket is 429
    # (learner trial 9, OD16: a stage throttled to 0 still answered 200).
    arn = deploy("items", ECHO)["FunctionArn"]
    api = _http_api(fresh, arn, ["GET /a", "GET /b"])
    v2, base = fresh.client("apigatewayv2"), api["ApiEndpoint"]
    v2.update_stage(
        ApiId=api["ApiId"],
        StageName="$default",
        DefaultRouteSettings={"ThrottlingBurstLimit": 0, "ThrottlingRateLimit": 0.0},
    )
    stage = v2.get_stage(ApiId=api["ApiId"], StageName="$default")
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == 0.0
    answer = requests.get(base + "/a", timeout=30)
    assert (answer.status_code, answer.json()) == (429, {"message": "Too Many Requests"})
    # A route's own settings win: /b may have two at once, then waits for its refill.
    v2.update_stage(
        ApiId=api["ApiId"],
        StageName="$default",
        RouteSettings={"GET /b": {"ThrottlingBurstLimit": 2, "ThrottlingRateLimit": 0.001}},
    )
    codes = [requests.get(base + "/b", timeout=30).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert requests.get(base + "/a", timeout=30).status_code == 429


def test_http_api_infers_the_response_when_there_is_no_status_code(deploy, fresh):
    arn = deploy(
        "infer",
        """
        def handler(event, context):
            kind = event["rawPath"].strip("/")
            return {"dict": {"message": "hi"}, "text": "Hello from Lambda!", "number": 42}[kind]
        """,
    )["FunctionArn"]
    base = _http_api(fresh, arn, ["$default"])["ApiEndpoint"]

    as_dict = requests.get(base + "/dict", timeout=30)
    as_text = requests.get(base + "/text", timeout=30)
    as_number = requests.get(base + "/number", timeout=30)

    for response in (as_dict, as_text, as_number):
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/json"
    assert as_dict.json() == {"message": "hi"}
    assert as_text.text == "Hello from Lambda!"
    assert as_number.text == "42"


def test_http_api_cookies_both_ways(deploy, fresh):
    arn = deploy(
        "cookies",
        """
        def handler(event, context):
            return {"statusCode": 200, "body": ";".join(event.get("cookies", [])),
                    "headers": {"Content-Type": "text/plain"},
                    "cookies": ["session=abc; HttpOnly", "theme=dark; Max-Age=60"]}
        """,
    )["FunctionArn"]
    base = _http_api(fresh, arn, ["$default"])["ApiEndpoint"]

    response = requests.get(base + "/", headers={"Cookie": "a=1; b=2"}, timeout=30)

    assert response.text == "a=1;b=2"
    assert response.raw.headers.getlist("Set-Cookie") == [
        "session=abc; HttpOnly",
        "theme=dark; Max-Age=60",
    ]
    assert response.cookies["theme"] == "dark"


def test_http_api_payload_format_1_0(deploy, fresh):
    arn = deploy("v1", ECHO)["FunctionArn"]
    base = _http_api(fresh, arn, ["GET /items/{id}"], PayloadFormatVersion="1.0")["ApiEndpoint"]

    event = requests.get(base + "/items/3?x=1&x=2", timeout=30).json()

    assert event["version"] == "1.0"
    assert event["httpMethod"] == "GET"
    assert event["resource"] == "/items/{id}"
    assert event["pathParameters"] == {"id": "3"}
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"]}


def test_http_api_errors_and_timeout(deploy, fresh):
    arn = deploy(
        "flaky",
        """
        import time
        def handler(event, context):
            if event["rawPath"] == "/slow":
                time.sleep(3)
            raise RuntimeError("boom")
        """,
        Timeout=10,
    )["FunctionArn"]
    base = _http_api(fresh, arn, ["$default"], TimeoutInMillis=1000)["ApiEndpoint"]

    failed = requests.get(base + "/fail", timeout=30)
    slow = requests.get(base + "/slow", timeout=30)

    assert (failed.status_code, failed.json()) == (500, {"message": "Internal Server Error"})
    assert (slow.status_code, slow.json()) == (503, {"message": "Service Unavailable"})


# --------------------------------------------------------------------------- function URLs
def test_function_url_answers_with_a_payload_2_0_event(deploy, fresh, lam):
    deploy("web", ECHO)

    url = public_url(lam, "web")

    url_id = url.rstrip("/").rsplit("/", 1)[-1]
    assert url == f"{fresh.endpoint_url}/_aws/lambda-url/{url_id}/"
    assert lam.get_function_url_config(FunctionName="web")["FunctionUrl"] == url
    listed = lam.list_function_url_configs(FunctionName="web")["FunctionUrlConfigs"]
    assert [c["FunctionUrl"] for c in listed] == [url]

    response = requests.post(url + "orders/1?expand=lines", json={"qty": 2}, timeout=30)

    assert response.status_code == 200
    event = response.json()
    assert event["routeKey"] == "$default"
    assert event["rawPath"] == "/orders/1"
    assert event["queryStringParameters"] == {"expand": "lines"}
    assert json.loads(event["body"]) == {"qty": 2}
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["domainName"] == f"{url_id}.lambda-url.us-east-1.on.aws"
    assert context["domainPrefix"] == url_id
    assert context["apiId"] == url_id
    assert context["http"]["method"] == "POST"


def test_function_url_on_an_alias_runs_the_alias_version(deploy, lam):
    deploy("greet", 'def handler(event, context):\n    return "version one"\n')
    version = lam.publish_version(FunctionName="greet")["Version"]
    lam.create_alias(FunctionName="greet", Name="live", FunctionVersion=version)
    lam.update_function_code(
        FunctionName="greet",
        ZipFile=zip_bytes({"app.py": 'def handler(event, context):\n    return "latest"\n'}),
    )

    live = public_url(lam, "greet", "live")
    latest = public_url(lam, "greet")

    got = lam.get_function_url_config(FunctionName="greet", Qualifier="live")
    assert got["FunctionArn"].endswith(":function:greet:live")
    assert live != latest
    assert requests.get(live, timeout=30).text == "version one"
    assert requests.get(latest, timeout=30).text == "latest"
    assert got["FunctionUrl"] == live


def test_function_url_settings_aws_refuses_are_refused(deploy, lam):
    from botocore.exceptions import ClientError

    deploy("site", ECHO)

    def refusal(**settings) -> str:
        with pytest.raises(ClientError) as caught:
            lam.create_function_url_config(FunctionName="site", **settings)
        error = caught.value.response["Error"]
        assert error["Code"] == "ValidationException"
        return error["Message"]

    assert "at 'authType' failed" in refusal(AuthType="OPEN")
    assert "enum value set: [BUFFERED, RESPONSE_STREAM]" in refusal(
        AuthType="NONE", InvokeMode="STREAM"
    )
    assert "at 'cors.maxAge'" in refusal(AuthType="NONE", Cors={"MaxAge": 86401})
    assert "at 'cors.allowMethods'" in refusal(AuthType="NONE", Cors={"AllowMethods": ["GETTTTT"]})
    origins = [f"https://{n}.example.com" for n in range(101)]
    assert "at 'cors.allowOrigins'" in refusal(AuthType="NONE", Cors={"AllowOrigins": origins})
    assert lam.list_function_url_configs(FunctionName="site")["FunctionUrlConfigs"] == []
    # The bounds themselves are AWS's, and accepted; an update is checked as well.
    lam.create_function_url_config(
        FunctionName="site", AuthType="AWS_IAM", InvokeMode="RESPONSE_STREAM",
        Cors={"MaxAge": 86400, "AllowMethods": ["DELETE", "*"], "AllowOrigins": origins[:100]},
    )  # fmt: skip
    with pytest.raises(ClientError, match=r"at 'cors\.maxAge'"):
        lam.update_function_url_config(FunctionName="site", Cors={"MaxAge": 90000})
    assert lam.get_function_url_config(FunctionName="site")["Cors"]["MaxAge"] == 86400


def test_function_url_handler_exception_is_502(deploy, lam):
    deploy("oops", 'def handler(event, context):\n    raise KeyError("missing")\n')
    url = public_url(lam, "oops")

    response = requests.get(url, timeout=30)

    assert response.status_code == 502
    assert response.text == "Internal Server Error"


def test_function_url_binary_request_and_response(deploy, lam):
    deploy(
        "image",
        """
        import base64
        def handler(event, context):
            assert event["isBase64Encoded"], event
            data = base64.b64decode(event["body"])
            return {"statusCode": 200, "headers": {"Content-Type": "image/png"},
                    "body": base64.b64encode(data[::-1]).decode(), "isBase64Encoded": True}
        """,
    )
    url = public_url(lam, "image")

    response = requests.post(url, data=PNG, headers={"Content-Type": "image/png"}, timeout=30)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.content == PNG[::-1]


# ---------------------------------------------------------------------------- all of them
def test_a_throttled_function_gets_each_front_doors_status(deploy, fresh, lam):
    arn = deploy("busy", ECHO)["FunctionArn"]
    lam.put_function_concurrency(FunctionName="busy", ReservedConcurrentExecutions=0)
    rest = rest_api_url(fresh.endpoint_url, _rest_api(fresh, arn, [("/x", "GET")]), "dev")
    http = _http_api(fresh, arn, ["$default"])["ApiEndpoint"]
    url = public_url(lam, "busy")

    via_rest = requests.get(rest + "/x", timeout=30)
    via_http = requests.get(http + "/x", timeout=30)
    via_url = requests.get(url, timeout=30)

    assert (via_rest.status_code, via_rest.json()) == (500, {"message": "Internal server error"})
    assert (via_http.status_code, via_http.json()) == (500, {"message": "Internal Server Error"})
    assert via_url.status_code == 429
    assert via_url.json()["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"


def test_every_request_runs_the_function_and_logs_reach_cloudwatch(deploy, fresh, lam, logs):
    arn = deploy(
        "logged",
        """
        def handler(event, context):
            print("served", event.get("rawPath") or event.get("path"))
            return {"statusCode": 204}
        """,
    )["FunctionArn"]
    rest = rest_api_url(fresh.endpoint_url, _rest_api(fresh, arn, [("/{proxy+}", "ANY")]), "dev")
    http = _http_api(fresh, arn, ["$default"])["ApiEndpoint"]
    url = public_url(lam, "logged")

    for target in (rest + "/via-rest", http + "/via-http", url + "via-url"):
        assert requests.get(target, timeout=30).status_code == 204

    printed = [m.strip() for m in log_messages(logs, "logged") if m.startswith("served")]
    assert printed == ["served /via-rest", "served /via-http", "served /via-url"]


# ------------------------------------------------------------- events have the samples' shape
def _shape(name: str, actual: dict) -> list[str]:
    from helpers import events

    return events.shape_differences(events.load(name), actual, events.optional_paths(name))


def test_each_front_door_sends_the_shape_of_its_sample_event(deploy, fresh, lam):
    arn = deploy("echo", ECHO)["FunctionArn"]
    api_id = _rest_api(fresh, arn, [("/items/{id}", "GET")])
    rest = requests.get(
        rest_api_url(fresh.endpoint_url, api_id, "dev") + "/items/7?size=m",
        headers={"Accept": "application/json"},
        timeout=30,
    ).json()
    assert _shape("apigw_rest", rest) == []

    http_api = _http_api(fresh, arn, ["GET /items/{id}"])
    v2 = requests.get(http_api["ApiEndpoint"] + "/items/7?size=m", timeout=30).json()
    assert _shape("apigw_http", v2) == []

    url = public_url(lam, "echo")
    direct = requests.get(url + "items/7?size=m", timeout=30).json()
    assert _shape("function_url", direct) == []


def test_an_http_api_route_with_iam_authorization_refuses_unsigned_requests(deploy, fresh):
    arn = deploy("guarded", ECHO)["FunctionArn"]
    api = _http_api(fresh, arn, ["DELETE /items/{id}", "GET /items/{id}"])
    v2 = fresh.client("apigatewayv2")
    routes = {r["RouteKey"]: r["RouteId"] for r in v2.get_routes(ApiId=api["ApiId"])["Items"]}
    v2.update_route(
        ApiId=api["ApiId"], RouteId=routes["DELETE /items/{id}"], AuthorizationType="AWS_IAM"
    )
    base = api["ApiEndpoint"]
    refused = requests.delete(base + "/items/7", timeout=30)
    assert (refused.status_code, refused.json()) == (403, {"message": "Forbidden"})
    assert requests.get(base + "/items/7", timeout=30).json()["routeKey"] == "GET /items/{id}"
    # A SigV4-signed request goes through (the kit doesn't check execute-api:Invoke).
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    signed = AWSRequest(method="DELETE", url=base + "/items/7")
    credentials = fresh.client("sts")._request_signer._credentials
    SigV4Auth(credentials, "execute-api", "us-east-1").add_auth(signed)
    answer = requests.delete(base + "/items/7", headers=dict(signed.headers), timeout=30)
    assert answer.status_code == 200
    assert answer.json()["routeKey"] == "DELETE /items/{id}"


def test_jwt_and_lambda_authorizers_guard_their_routes(deploy, fresh, lam):
    import base64
    import json as _json

    arn = deploy("guarded2", ECHO)["FunctionArn"]
    gate = deploy(
        "gate",
        "def handler(event, context):\n"
        "    ok = event['identitySource'] == ['let-me-in']\n"
        "    return {'isAuthorized': ok, 'context': {'who': 'ada'}}\n",
    )["FunctionArn"]
    api = _http_api(fresh, arn, ["GET /jwt", "GET /lambda"])
    v2 = fresh.client("apigatewayv2")
    api_id = api["ApiId"]
    jwt = v2.create_authorizer(
        ApiId=api_id,
        AuthorizerType="JWT",
        Name="jwt",
        IdentitySource=["$request.header.Authorization"],
        JwtConfiguration={"Audience": ["shop"], "Issuer": "https://issuer.example"},
    )["AuthorizerId"]
    custom = v2.create_authorizer(
        ApiId=api_id,
        AuthorizerType="REQUEST",
        Name="gate",
        IdentitySource=["$request.header.X-Key"],
        AuthorizerUri=_uri(gate),
        AuthorizerPayloadFormatVersion="2.0",
        EnableSimpleResponses=True,
    )["AuthorizerId"]
    routes = {r["RouteKey"]: r["RouteId"] for r in v2.get_routes(ApiId=api_id)["Items"]}
    v2.update_route(
        ApiId=api_id, RouteId=routes["GET /jwt"], AuthorizationType="JWT", AuthorizerId=jwt
    )
    v2.update_route(
        ApiId=api_id, RouteId=routes["GET /lambda"], AuthorizationType="CUSTOM", AuthorizerId=custom
    )
    lam.add_permission(
        FunctionName="gate",
        StatementId="apigw",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=f"arn:aws:execute-api:us-east-1:123456789012:{api_id}/authorizers/{custom}",
    )
    base = api["ApiEndpoint"]

    def token(claims: dict) -> str:
        def part(data: dict) -> str:
            return base64.urlsafe_b64encode(_json.dumps(data).encode()).decode().rstrip("=")

        return f"Bearer {part({'alg': 'RS256'})}.{part(claims)}.c2ln"

    def get(path: str, **headers: str) -> requests.Response:
        return requests.get(base + path, headers=headers, timeout=30)

    assert (get("/jwt").status_code, get("/jwt").json()) == (401, {"message": "Unauthorized"})
    other = token({"iss": "https://issuer.example", "aud": "other-app"})
    assert get("/jwt", Authorization=other).status_code == 401  # not this API's audience
    good = token({"iss": "https://issuer.example", "aud": "shop", "sub": "ada"})
    answer = get("/jwt", Authorization=good)
    assert answer.status_code == 200
    assert answer.json()["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] == "ada"

    assert get("/lambda").status_code == 401  # no X-Key: the authorizer isn't even called
    assert (get("/lambda", **{"X-Key": "nope"}).status_code) == 403
    allowed = get("/lambda", **{"X-Key": "let-me-in"})
    assert allowed.status_code == 200
    assert allowed.json()["requestContext"]["authorizer"]["lambda"] == {"who": "ada"}
