"""An HTTP API's integrations and routes refuse the settings API Gateway refuses, and take the
ones it takes (learner trial 11: AD14, AD15, FD1, FD2, FD7, FD11, FD14, FD19)."""

from __future__ import annotations

import pytest

from tests.conftest import aws_error

ARN = "arn:aws:lambda:us-east-1:123456789012:function:receipts-remove"


@pytest.fixture
def v2(fresh):
    return fresh.client("apigatewayv2")


@pytest.fixture
def api(v2):
    return v2.create_api(Name="receipts", ProtocolType="HTTP")["ApiId"]


def bad_request(call, *words: str) -> None:
    code, message, status = aws_error(call)
    assert (code, status) == ("BadRequestException", 400), (code, message)
    for word in words:
        assert word in message, message


def integration(v2, api: str, **settings):
    settings = {"IntegrationType": "AWS_PROXY", "IntegrationUri": ARN, **settings}
    return v2.create_integration(ApiId=api, **settings)


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({}, "PayloadFormatVersion"),
        ({"PayloadFormatVersion": "3.0"}, "'3.0'"),
        ({"PayloadFormatVersion": "2"}, "'2'"),
        ({"PayloadFormatVersion": "2.0", "IntegrationType": "aws_proxy"}, "in capitals"),
        ({"PayloadFormatVersion": "2.0", "IntegrationType": "AWS"}, "only be associated"),
        ({"PayloadFormatVersion": "2.0", "TimeoutInMillis": 60_000}, "30000 milliseconds"),
    ],
)
def test_an_integration_api_gateway_refuses(v2, api, settings, words):
    bad_request(lambda: integration(v2, api, **settings), words)
    assert v2.get_integrations(ApiId=api)["Items"] == []


@pytest.mark.parametrize(
    "settings",
    [
        {"PayloadFormatVersion": "2.0"},
        {"PayloadFormatVersion": "1.0", "TimeoutInMillis": 30_000},
        {"PayloadFormatVersion": "2.0", "TimeoutInMillis": 50},
    ],
)
def test_an_integration_api_gateway_takes(v2, api, settings):
    made = integration(v2, api, **settings)
    assert made["PayloadFormatVersion"] == settings["PayloadFormatVersion"]


def test_an_update_is_checked_too(v2, api):
    made = integration(v2, api, PayloadFormatVersion="2.0")["IntegrationId"]
    bad_request(
        lambda: v2.update_integration(ApiId=api, IntegrationId=made, PayloadFormatVersion="3.0"),
        "'3.0'",
    )
    v2.update_integration(ApiId=api, IntegrationId=made, TimeoutInMillis=10_000)


def test_a_route_api_gateway_refuses_and_takes(v2, api):
    made = integration(v2, api, PayloadFormatVersion="2.0")["IntegrationId"]
    target = f"integrations/{made}"
    for settings, words in [
        ({"AuthorizationType": "None", "Target": target}, "in capitals"),
        ({"AuthorizationType": "none", "Target": target}, "'none'"),
        ({"Target": made}, f"integrations/{made}"),
        ({"Target": "integrations/nope123"}, "an integration of this API"),
    ]:
        bad_request(lambda s=settings: v2.create_route(ApiId=api, RouteKey="GET /r", **s), words)
    assert v2.get_routes(ApiId=api)["Items"] == []
    route = v2.create_route(ApiId=api, RouteKey="GET /r", Target=target, AuthorizationType="NONE")
    bad_request(
        lambda: v2.update_route(ApiId=api, RouteId=route["RouteId"], AuthorizationType="iam"),
        "'iam'",
    )
    v2.update_route(ApiId=api, RouteId=route["RouteId"], AuthorizationType="AWS_IAM")


def test_a_websocket_api_is_not_checked_by_these_rules(v2):
    ws = v2.create_api(
        Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action"
    )["ApiId"]
    v2.create_integration(ApiId=ws, IntegrationType="MOCK")
