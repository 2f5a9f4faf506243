"""Lambda's success status codes where moto answers another (learner trial 12, GW2).

Code that reads `response["ResponseMetadata"]["HTTPStatusCode"]` sees what AWS sends: 200 for
GetAlias, UpdateAlias and GetFunctionUrlConfig (moto: 201), 204 for DeleteAlias (moto: 201) and
202 for CreateEventSourceMapping (moto: 201). Source: botocore's Lambda model (2015-03-31,
each operation's `http.responseCode`) and the API reference's "Response Syntax" lines
(https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html: `HTTP/1.1 202`;
as of 2026-12).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.awslambda import responses as lambda_responses

STATUS = {
    "create_event_source_mapping": 202,
    "delete_alias": 204,
    "get_alias": 200,
    "get_function_url_config": 200,
    "update_alias": 200,
}


def apply() -> None:
    """Answer these operations' successes with AWS's status code."""
    for name, status in STATUS.items():
        handler = lambda_responses.LambdaResponse
        setattr(handler, name, _with_status(getattr(handler, name), status))


def _with_status(original: Callable, status: int) -> Callable:
    def answer(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        if isinstance(result, tuple) and len(result) == 3 and 200 <= int(result[0]) < 300:
            _, headers, body = result
            headers = {**(headers or {}), "status": status}
            return status, headers, "" if status == 204 else body
        return result

    return answer
