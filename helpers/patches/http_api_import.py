"""API Gateway v2 ImportApi: a 400 that says the kit doesn't import OpenAPI definitions, and
what to use instead (learner trial 11, FD6: moto answered a 500 NotImplementedError, retried).

On AWS, ImportApi creates an HTTP API from an OpenAPI 3 definition
(https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html); the kit
doesn't. BadRequestException (400) is ApiGatewayV2's code for a request it can't take; the
message is the kit's own ([local kit, not AWS]).
"""

from __future__ import annotations

from typing import Any

from moto.apigatewayv2 import responses as apigatewayv2_responses
from moto.apigatewayv2.exceptions import BadRequestException

MESSAGE = (
    "[local kit, not AWS] The local AWS doesn't import OpenAPI definitions (ImportApi). Make "
    "the HTTP API with create_api(Name=..., ProtocolType='HTTP'), then create_integration("
    "ApiId=..., IntegrationType='AWS_PROXY', IntegrationUri=<function ARN>, "
    "PayloadFormatVersion='2.0') and create_route(ApiId=..., RouteKey='GET /path', "
    "Target='integrations/<IntegrationId>') for each path. On AWS, ImportApi would run."
)


def import_api(self: Any) -> Any:
    """ImportApi, refused in the kit's words."""
    raise BadRequestException(MESSAGE)


def apply() -> None:
    """Answer ImportApi (moto has no handler for it)."""
    apigatewayv2_responses.ApiGatewayV2Response.import_api = import_api
