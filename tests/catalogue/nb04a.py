"""Notebook 04a: q1 an HTTP API `greetings`, with the permission API Gateway needs on AWS."""

from tests.catalogue import Answers, Wrong

# What the learner's cells share, as the notebook's set-up has it; `deploy` replaces a function
# of the same name, so that a cell can run after any other.
SETUP = """
import json, boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
apigw = boto3.client("apigatewayv2")
account = boto3.client("sts").get_caller_identity()["Account"]
region = lam.meta.region_name

def deploy(name, source, runtime="python3.13"):
    try:
        lam.delete_function(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        pass
    arn = lam.create_function(FunctionName=name, Runtime=runtime, Role=execution_role(),
                              Handler="app.handler",
                              Code={"ZipFile": zip_bytes({"app.py": source})})["FunctionArn"]
    lam.get_waiter("function_active_v2").wait(FunctionName=name)
    return arn
"""

# ------------------------------------------------------------------------------ q1
GREETS = """
import json

def handler(event, context):
    name = event["pathParameters"]["name"]
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"},
            "body": json.dumps({"message": f"Hello, {name}!"})}
"""

_API = """
for old in apigw.get_apis()["Items"]:
    if old["Name"] == "greetings":
        apigw.delete_api(ApiId=old["ApiId"])
fn_arn = deploy("greeter-api", SOURCE)
if globals().get("ALIAS"):  # the route invokes an alias of the function
    version = lam.publish_version(FunctionName="greeter-api")["Version"]
    fn_arn = lam.create_alias(FunctionName="greeter-api", Name="live",
                              FunctionVersion=version)["AliasArn"]
api_id = apigw.create_api(Name="greetings", ProtocolType="HTTP")["ApiId"]
integration_id = apigw.create_integration(
    ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn_arn,
    PayloadFormatVersion={version!r})["IntegrationId"]
apigw.create_route(ApiId=api_id, RouteKey={route!r}, Target=f"integrations/{{integration_id}}")
if {stage!r}:
    apigw.create_stage(ApiId=api_id, StageName="$default", AutoDeploy={stage!r} == "auto")
"""
_PERMISSION = """
lam.add_permission(FunctionName="greeter-api", StatementId="greetings-api",
                   Action={action!r}, Principal={principal!r},
                   {source_arn})
"""


def api(
    source: str,
    *,
    permission: str | None = 'SourceArn=f"arn:aws:execute-api:{region}:{account}:{api_id}/*"',
    version: str = "2.0",
    route: str = "GET /hello/{name}",
    stage: str = "auto",  # "auto": AutoDeploy=True; "manual": without; "": no stage
    before: str = "",
    action: str = "lambda:InvokeFunction",
    principal: str = "apigateway.amazonaws.com",
) -> str:
    """A learner's q1 cell: `source` behind the API greetings, with its permission."""
    cell = SETUP + before + f"SOURCE = '''{source}'''\n"
    cell += _API.format(version=version, route=route, stage=stage)
    if permission is not None:
        cell += _PERMISSION.format(source_arn=permission, action=action, principal=principal)
    return cell


# The route secured after the API is built: `AuthorizationType` (and an authorizer's id).
_ROUTE_AUTH = """
route_id = next(r["RouteId"] for r in apigw.get_routes(ApiId=api_id)["Items"])
apigw.update_route(ApiId=api_id, RouteId=route_id, AuthorizationType={kind!r}{authorizer})
"""
# A Lambda authorizer (payload 2.0, simple responses) that denies everyone.
_DENY_ALL = """
DENY = "def handler(event, context):\\n    return {{'isAuthorized': False}}\\n"
deny_arn = deploy("deny-all", DENY)
auth_id = apigw.create_authorizer(
    ApiId=api_id, AuthorizerType="REQUEST", Name="deny-all", IdentitySource=[{source!r}],
    AuthorizerPayloadFormatVersion="2.0", EnableSimpleResponses=True,
    AuthorizerResultTtlInSeconds=0,
    AuthorizerUri=f"arn:aws:apigateway:{{region}}:lambda:path/2015-03-31/functions/{{deny_arn}}"
    "/invocations")["AuthorizerId"]
lam.add_permission(FunctionName="deny-all", StatementId="authorizer",
                   Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
                   SourceArn=f"arn:aws:execute-api:{{region}}:{{account}}:{{api_id}}/authorizers/{{auth_id}}")
"""
_JWT = """
auth_id = apigw.create_authorizer(
    ApiId=api_id, AuthorizerType="JWT", Name="cognito",
    IdentitySource=["$request.header.Authorization"],
    JwtConfiguration={"Audience": ["my-app"],
                      "Issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"},
)["AuthorizerId"]
"""


def secured(kind: str, before: str = "") -> str:
    """A right q1 cell whose route then gets the authorization `kind` (an authorizer made by
    `before`, whose id is `auth_id`)."""
    authorizer = ", AuthorizerId=auth_id" if before else ""
    return api(GREETS) + before + _ROUTE_AUTH.format(kind=kind, authorizer=authorizer)


def greets(body: str) -> str:
    return (
        "import json\n\ndef handler(event, context):\n"
        "    name = event['pathParameters']['name']\n" + body
    )


ANSWERS = {
    "q1": Answers(
        wrong={
            "missing-add-permission": Wrong(
                api(GREETS, permission=None),
                "no resource-based policy statement",
                "apigateway.amazonaws.com",
                "add_permission",
            ),
            "dict-body": Wrong(
                api(
                    greets(
                        "    return {'statusCode': 200, 'headers': {'Content-Type': "
                        "'application/json'}, 'body': {'message': f'Hello, {name}!'}}\n"
                    )
                ),
                "`body` that is a dict",
                "not a string",
                "500",
            ),
            # Learner trial 11 (AW3): the message names the statement to remove.
            "over-broad-permission": Wrong(
                api(GREETS, permission=""),
                "over-broad",
                "SourceArn",
                "StatementId='greetings-api'",
            ),
            "permission-for-another-api": Wrong(
                api(
                    GREETS,
                    before="shop_id = apigw.create_api(Name='shop-api', ProtocolType='HTTP')"
                    "['ApiId']\n",
                    permission='SourceArn=f"arn:aws:execute-api:{region}:{account}:{shop_id}/*"',
                ),
                "allow only the source",
                "the API `shop-api`",
            ),
            "name-from-query-string": Wrong(
                api(
                    "import json\n\ndef handler(event, context):\n"
                    "    name = event['queryStringParameters']['name']\n"
                    "    return {'message': f'Hello, {name}!'}\n"
                ),
                "answered 500",
                "failed with KeyError",
                "queryStringParameters",
            ),
            # Found by a learner trial: told to check the punctuation.
            "greets-the-whole-path-parameters": Wrong(
                api(
                    "def handler(event, context):\n"
                    "    return {'message': f\"Hello, {event['pathParameters']}!\"}\n"
                ),
                "more around it",
                "not the whole `pathParameters`",
            ),
            "hard-coded-name": Wrong(
                api(greets("    return {'message': 'Hello, Ada!'}\n")),
                "expected",
                "pathParameters",
            ),
            # Learner trials: both read the name right, and were told to read it from the path.
            "returns-nothing": Wrong(
                api(greets("    print({'message': f'Hello, {name}!'})\n")),
                "answered None",
                "returns nothing",
            ),
            "extra-key-in-body": Wrong(
                api(
                    greets(
                        "    return {'statusCode': 200, 'headers': {'Content-Type': "
                        "'application/json'}, 'body': json.dumps({'message': "
                        "f'Hello, {name}!', 'name': name})}\n"
                    )
                ),
                "extra key(s) `name`",
                "exactly one key",
            ),
            "greeting-without-comma": Wrong(
                api(greets("    return {'message': f'Hello {name}!'}\n")),
                "the comma",
            ),
            "permission-on-function-not-alias": Wrong(
                api(GREETS, before="ALIAS = True\n"),
                "on `greeter-api` itself",
                "Qualifier='live'",
            ),
            "no-stage": Wrong(api(GREETS, stage=""), "404", "$default"),
            # A stage with nothing deployed to it: no AutoDeploy, no deployment.
            "stage-without-auto-deploy": Wrong(api(GREETS, stage="manual"), "404", "AutoDeploy"),
            "route-without-parameter": Wrong(
                api(GREETS, route="GET /hello"), "no route `GET /hello/{name}`"
            ),
            # Learner trial 8 (J, D3): an unsigned request to an AWS_IAM route is 403, and
            # the message blamed the handler's statusCode.
            "route-needs-aws-iam": Wrong(
                secured("AWS_IAM"), "AuthorizationType='AWS_IAM'", "403", "AuthorizationType='NONE'"
            ),
            # Learner trial 8 (J, D4): the check's request has no token.
            "route-with-jwt-authorizer": Wrong(
                secured("JWT", _JWT),
                "JWT authorizer `cognito`",
                "401",
                "AuthorizationType='NONE'",
            ),
            "lambda-authorizer-on-a-header": Wrong(
                secured("CUSTOM", _DENY_ALL.format(source="$request.header.Authorization")),
                "Lambda authorizer `deny-all`",
                "`$request.header.Authorization`",
                "AuthorizationType='NONE'",
            ),
            # Its identity source is in every request: the authorizer runs, and denies.
            "lambda-authorizer-denies": Wrong(
                secured("CUSTOM", _DENY_ALL.format(source="$context.routeKey")),
                "answered 403",
                "Lambda authorizer `deny-all`",
                "AuthorizationType='NONE'",
            ),
            # Learner trial 9 (OD1, for 04a): the name re-cased with `.capitalize()`; every
            # name the check sent was already capitalised, and it passed.
            "name-capitalized": Wrong(
                api(GREETS.replace('["name"]\n', '["name"].capitalize()\n')),
                "re-cased",
                "exactly as the request sent it",
            ),
            # Learner trial 9 (OW3): a stage `prod` only, whose URL is `/prod/hello/...`; the
            # task's `/hello/<name>` answered 404, and the message asked about `$default` alone.
            "named-stage-only": Wrong(
                api(GREETS, stage="")
                + "apigw.create_stage(ApiId=api_id, StageName='prod', AutoDeploy=True)\n",
                "404",
                "the stage(s) `prod`",
                "`$default`",
            ),
            # Learner trial 9 (OD13): the statement names no service (Principal '*', with the
            # API's SourceArn), and was praised as "API Gateway may invoke ... only"; AWS counts
            # a wildcard principal as public.
            "principal-star-with-source-arn": Wrong(
                api(GREETS, principal="*"),
                "principal `*`",
                "Principal='apigateway.amazonaws.com'",
            ),
            # Learner trial 9 (OD14): every Lambda action granted to API Gateway, which needs
            # `lambda:InvokeFunction` only.
            "permission-for-every-action": Wrong(
                api(GREETS, action="lambda:*"),
                "`lambda:*`",
                "over-broad",
                "lambda:InvokeFunction",
                "StatementId='greetings-api'",
            ),
            # Learner trial 9 (OD8, for 04a): paused with reserved concurrency 0, the function
            # is throttled at every request; named, not blamed on the handler.
            "function-throttled-to-zero": Wrong(
                api(GREETS) + "lam.put_function_concurrency(FunctionName='greeter-api', "
                "ReservedConcurrentExecutions=0)\n",
                "reserved concurrency of 0",
                "delete_function_concurrency",
            ),
            # Learner trial 9 (OD16): the stage throttled to 0 requests/s; API Gateway answers 429
            # before the function runs (the kit dropped the setting and answered 200).
            "stage-throttled-to-zero": Wrong(
                api(GREETS) + "apigw.update_stage(ApiId=api_id, StageName='$default', "
                "DefaultRouteSettings={'ThrottlingBurstLimit': 0, 'ThrottlingRateLimit': 0.0})\n",
                "429",
                "`DefaultRouteSettings`",
                "ThrottlingRateLimit",
            ),
            # Learner trial 10 (UD9): the name cut to 16 characters; the check's longest name
            # had 12, and it passed. It sends one over 40 characters now.
            "name-truncated": Wrong(
                api(GREETS.replace('["name"]\n', '["name"][:16]\n')),
                "cut to its first 16 characters",
                "the whole name",
            ),
            # Learner trial 11 (AD8): the path parameter decoded again with `unquote_plus`
            # (notebook 03's lesson for S3 keys); no name the check sent had a `+`, and it
            # passed. One always has now, which a URL's path keeps as a plus.
            "path-parameter-decoded-twice": Wrong(
                api(
                    "from urllib.parse import unquote_plus\n"
                    + GREETS.replace(
                        'event["pathParameters"]["name"]',
                        'unquote_plus(event["pathParameters"]["name"])',
                    )
                ),
                "The `+` became a space",
                "decoded already",
            ),
            # Learner trial 10 (UD13): payload format 1.0 infers no response; the function
            # succeeded, and the message sent the learner to a log with nothing in it.
            "payload-1.0-inferred-response": Wrong(
                api(greets("    return {'message': f'Hello, {name}!'}\n"), version="1.0"),
                "payload format 1.0",
                "`statusCode`",
                "PayloadFormatVersion='2.0'",
            ),
            # Learner trial 10 (UD13): `isBase64Encoded` copied from a binary example, the body
            # plain JSON.
            "base64-flag-on-plain-body": Wrong(
                api(
                    greets(
                        "    return {'statusCode': 200, 'headers': {'Content-Type': "
                        "'application/json'}, 'isBase64Encoded': True, "
                        "'body': json.dumps({'message': f'Hello, {name}!'})}\n"
                    )
                ),
                "`'isBase64Encoded': True`",
                "not base64",
            ),
            # Learner trial 10 (UD26): the permission added with Qualifier='live', the route
            # aimed at the function itself; the message said there was no statement at all.
            "permission-on-alias-route-unqualified": Wrong(
                api(GREETS, permission=None)
                + "version = lam.publish_version(FunctionName='greeter-api')['Version']\n"
                "lam.create_alias(FunctionName='greeter-api', Name='live', "
                "FunctionVersion=version)\n"
                "lam.add_permission(FunctionName='greeter-api', Qualifier='live', "
                "StatementId='greetings-api', Action='lambda:InvokeFunction', "
                "Principal='apigateway.amazonaws.com', "
                "SourceArn=f'arn:aws:execute-api:{region}:{account}:{api_id}/*')\n",
                "is on `greeter-api:live`",
                "invokes `greeter-api` itself",
                "without `Qualifier`",
            ),
            # Learner trial 10 (UW8): the API's id in a SourceArn of another region; the
            # message labelled it "the API `greetings`".
            "source-arn-in-another-region": Wrong(
                api(
                    GREETS,
                    permission='SourceArn=f"arn:aws:execute-api:us-west-2:{account}:{api_id}/*"',
                ),
                "allow only the source",
                "in the region `us-west-2`",
            ),
            # Learner trial 10 (UD11): the default endpoint disabled; on AWS it answers 403 to
            # every request, and the task's URL is that endpoint. (The kit answered 200.)
            "default-endpoint-disabled": Wrong(
                api(GREETS) + "apigw.update_api(ApiId=api_id, DisableExecuteApiEndpoint=True)\n",
                "`DisableExecuteApiEndpoint=True`",
                "403",
            ),
            # Learner trial 12 (GD6): the JSON body built by joining strings; no name the
            # check sent had a `"` or a `\`, and it passed. One of each is sent now.
            "json-body-built-by-concatenation": Wrong(
                api(
                    greets(
                        "    return {'statusCode': 200, 'headers': {'Content-Type': "
                        "'application/json'}, 'body': '{\"message\": \"Hello, ' + name + "
                        "'!\"}'}\n"
                    )
                ),
                "which is not JSON",
                "not escaped",
                "json.dumps",
            ),
            # The `"` escaped by hand, the `\` not: the backslash name catches it.
            "json-body-quote-escaped-by-hand": Wrong(
                api(
                    greets(
                        "    safe = name.replace(chr(34), chr(92) + chr(34))\n"
                        "    return {'statusCode': 200, 'headers': {'Content-Type': "
                        "'application/json'}, 'body': '{\"message\": \"Hello, ' + safe + "
                        "'!\"}'}\n"
                    )
                ),
                "which is not JSON",
                "the `\\` in the name is not escaped",
                "json.dumps",
            ),
            # Learner trial 12 (GD7): the route `GET /hello/{Name}`, its handler reading
            # `Name`; the message said to add `GET /hello/{name}`, which AWS refuses beside it
            # (ConflictException). It says to change the route's key now.
            "route-variable-capitalised": Wrong(
                api(GREETS.replace('["name"]', '["Name"]'), route="GET /hello/{Name}"),
                "`{Name}`",
                "ConflictException",
                "apigw.update_route(ApiId=..., RouteId='",
                "RouteKey='GET /hello/{name}'",
                "event['pathParameters']['name']",
            ),
            # Learner trial 12 (GD7): the old advice followed, a second route added beside
            # `GET /hello/{Name}`: refused as on AWS, and the message says to change the key.
            "route-variable-capitalised-then-second-route": Wrong(
                api(GREETS.replace('["name"]', '["Name"]'), route="GET /hello/{Name}")
                + "apigw.create_route(ApiId=api_id, RouteKey='GET /hello/{name}', "
                "Target=f'integrations/{integration_id}')\n",
                "ConflictException",
                "RouteKey='GET /hello/{name}'",
                raises="conflicting variable on the same hierarchical level",
            ),
            # Learner trial 12 (GW1): `ANY /hello/{name}`; the message now says why it isn't
            # the task's route, and to change its key.
            "any-method-route": Wrong(
                api(GREETS, route="ANY /hello/{name}"),
                "answers every method",
                "RouteKey='GET /hello/{name}'",
            ),
            # Learner trial 13 (MD7): the task's route and a `$default` catch-all to the same
            # integration: every method and path reached the function, and it passed.
            "extra-default-catch-all-route": Wrong(
                api(GREETS) + "apigw.create_route(ApiId=api_id, RouteKey='$default', "
                "Target=f'integrations/{integration_id}')\n",
                "route `$default`, a catch-all",
                "apigw.delete_route(",
            ),
            # Learner trial 13 (MD11): the function's name as the integration's URI; the API
            # answered 500, and the message blamed the response's shape.
            "integration-uri-function-name": Wrong(
                api(GREETS).replace("IntegrationUri=fn_arn", "IntegrationUri='greeter-api'"),
                "`IntegrationUri='greeter-api'`",
                "not a Lambda function's ARN",
                "update_integration",
            ),
            # Learner trial 13 (MD13): an integration timeout (50 ms) shorter than the handler;
            # API Gateway answers 503, and the message blamed the response's shape.
            "integration-timeout-shorter-than-handler": Wrong(
                api(
                    GREETS.replace("import json\n", "import json, time\n").replace(
                        '    name = event["pathParameters"]["name"]\n',
                        '    time.sleep(0.5)\n    name = event["pathParameters"]["name"]\n',
                    )
                ).replace(
                    "PayloadFormatVersion='2.0')", "PayloadFormatVersion='2.0', TimeoutInMillis=50)"
                ),
                "answered 503",
                "`TimeoutInMillis=50`",
                "TimeoutInMillis=30000",
            ),
            # Learner trial 13 (MD21): letters outside Latin-1 dropped; every name the check
            # sent was Latin-1, and it passed. One never is now.
            "latin-1-name-mangled": Wrong(
                api(
                    GREETS.replace(
                        'event["pathParameters"]["name"]',
                        'event["pathParameters"]["name"].encode("latin-1", "ignore")'
                        '.decode("latin-1")',
                    )
                ),
                "were dropped",
                "latin-1",
            ),
            # Learner trial 13 (MD2, for 04a): the name normalised to NFKC; no name the check
            # sent had a compatibility character (full-width letters, a ligature).
            "name-nfkc-normalised": Wrong(
                api(
                    "import unicodedata\n"
                    + GREETS.replace(
                        'event["pathParameters"]["name"]',
                        'unicodedata.normalize("NFKC", event["pathParameters"]["name"])',
                    )
                ),
                "was normalised",
                "as the request sent it",
            ),
            # Learner trial 13 (MD12): the stage named `$Default`; API Gateway refuses it (the
            # kit does since 02d59e2), so there is no stage, and the check says `$default`.
            "stage-named-capital-default": Wrong(
                api(GREETS, stage="")
                + "apigw.create_stage(ApiId=api_id, StageName='$Default', AutoDeploy=True)\n",
                "404",
                "`$default`",
                raises="Invalid StageName",
            ),
            "second-api-same-name": Wrong(
                api(GREETS) + "apigw.create_api(Name='greetings', ProtocolType='HTTP')\n",
                "2 APIs named `greetings`",
            ),
        },
        right={
            # Secured, then made public again as the message says (learner trial 8, J).
            "aws-iam-then-none": secured("AWS_IAM")
            + _ROUTE_AUTH.format(kind="NONE", authorizer=""),
            "inferred-response": api(greets("    return {'message': f'Hello, {name}!'}\n")),
            # Learner trial 13 (MD11): the integration's URI in its invocation-URI form, which
            # holds the function's ARN, works too.
            "integration-uri-as-invocation-uri": api(GREETS).replace(
                "IntegrationUri=fn_arn",
                "IntegrationUri=f'arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/"
                "{fn_arn}/invocations'",
            ),
            # A stage without AutoDeploy, and a deployment made for it (a learner trial).
            "manual-deployment": api(GREETS, stage="manual")
            + "apigw.create_deployment(ApiId=api_id, StageName='$default')\n",
            "alias-behind-the-route": api(
                GREETS,
                before="ALIAS = True\n",
                permission='SourceArn=f"arn:aws:execute-api:{region}:{account}:{api_id}/*", '
                "Qualifier='live'",
            ),
            "payload-1.0-and-route-arn": api(
                GREETS,
                version="1.0",
                permission='SourceArn=f"arn:aws:execute-api:{region}:{account}:{api_id}'
                '/*/GET/hello/{{name}}"',
            ),
            # Learner trial 11 (AD7): the name read from `rawPath`, not decoded. On AWS an HTTP
            # API hands the function `rawPath` URL-decoded (live events in
            # fastify/aws-lambda-fastify#169, honojs/hono#2156), so it greets the name there;
            # the kit hands it on encoded, and the check judged `Zo%C3%AB`. The check now sends
            # that request again as AWS would, and notes the difference.
            "name-from-raw-path-undecoded": api(
                GREETS.replace('event["pathParameters"]["name"]', 'event["rawPath"].split("/")[-1]')
            ),
            # Learner trial 12 (GD7): `GET /hello/{Name}`, then mended as the message says:
            # the route's key changed in place, the handler reading `name`.
            "route-variable-capitalised-then-update-route": api(
                GREETS.replace('["name"]', '["Name"]'), route="GET /hello/{Name}"
            )
            + "route_id = apigw.get_routes(ApiId=api_id)['Items'][0]['RouteId']\n"
            "apigw.update_route(ApiId=api_id, RouteId=route_id, RouteKey='GET /hello/{name}')\n"
            "lam.update_function_code(FunctionName='greeter-api', "
            "ZipFile=zip_bytes({'app.py': SOURCE.replace('[\"Name\"]', '[\"name\"]')}))\n"
            "lam.get_waiter('function_updated_v2').wait(FunctionName='greeter-api')\n",
            "raw-path-and-source-account": api(
                "import json\nfrom urllib.parse import unquote\n\n"
                "def handler(event, context):\n"
                "    name = unquote(event['rawPath'].rsplit('/', 1)[-1])\n"
                "    body = json.dumps({'message': 'Hello, ' + name + '!'}, ensure_ascii=False)\n"
                "    return {'statusCode': 200, 'body': body,\n"
                "            'headers': {'content-type': 'application/json; charset=utf-8'}}\n",
                permission='SourceArn=f"arn:aws:execute-api:{region}:{account}:{api_id}/*", '
                "SourceAccount=account",
            ),
        },
        broken="dict-body",
    ),
}
