"""Notebook 11's exercises: a least-privilege role, a canary on an alias, a library in a layer."""

from __future__ import annotations

import contextlib
import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from .core import Exercise, Incorrect, function_exists, invoke


def _aws() -> Any:
    from ..cloud import current

    aws = current()
    if aws is None or not aws.running:
        raise Incorrect("the local AWS is not running. Run `aws = helpers.start()` first.")
    return aws


def _failure(body: Any) -> str:
    """`errorType: errorMessage` of a failed invocation's payload."""
    body = body if isinstance(body, dict) else {}
    return f"{body.get('errorType')}: {body.get('errorMessage')}"


# ------------------------------------------------------------------ q1: least privilege
PARAMETER = "/app/db-url"
READER = "db-reader"


def _parameter_arn(name: str, region: str, account: str) -> str:
    return f"arn:aws:ssm:{region}:{account}:parameter/{name.lstrip('/')}"


def _check_11_least_privilege() -> str:
    import boto3

    from .. import access

    aws = _aws()
    config = function_exists(READER)
    ssm = boto3.client("ssm")
    try:
        expected = ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]["Value"]
    except ssm.exceptions.ParameterNotFound:
        raise Incorrect(
            f"there is no parameter `{PARAMETER}` yet. Create it with `ssm.put_parameter(Name="
            f"'{PARAMETER}', Value=..., Type='SecureString')`."
        ) from None
    role_arn = config["Role"]
    role = role_arn.rsplit("/", 1)[-1]
    response, body = invoke(READER, {})
    if response.get("FunctionError"):
        advice = (
            f" Give `{role}` a statement that allows exactly that action on that resource."
            if "AccessDenied" in str(body)
            else ""
        )
        raise Incorrect(f"invoking `{READER}` failed with {_failure(body)}.{advice}")
    if body != {"db_url": expected}:
        raise Incorrect(
            f"`{READER}` returned {body!r}; expected {{'db_url': <the value of {PARAMETER}>}}. "
            "Keep the handler of the answer cell, which reads the parameter at init."
        )

    # What the role allows, decided as the kit decides a handler's calls (with the switch on).
    region, account = aws.region, aws.account_id
    session = access.Session(account, role_arn, READER)
    arn = _parameter_arn(PARAMETER, region, account)
    if access.decide(session, [access.Check("ssm:GetParameter", arn)], "ssm") is not None:
        raise Incorrect(
            f"`{READER}` worked, but `{role}` does not allow `ssm:GetParameter` on `{arn}`: is "
            "IAM enforcement switched off (`aws.configure(enforce_iam=False)`)? Switch it back "
            "on and give the role that right."
        )
    broader = {
        "read another parameter (`/app/check-other`)": access.Check(
            "ssm:GetParameter", _parameter_arn("/app/check-other", region, account)
        ),
        f"change `{PARAMETER}` (`ssm:PutParameter`)": access.Check("ssm:PutParameter", arn),
        f"delete `{PARAMETER}` (`ssm:DeleteParameter`)": access.Check("ssm:DeleteParameter", arn),
        "read a secret in Secrets Manager": access.Check(
            "secretsmanager:GetSecretValue",
            f"arn:aws:secretsmanager:{region}:{account}:secret:check-AbCdEf",
        ),
        "read objects in S3": access.Check("s3:GetObject", "arn:aws:s3:::check-bucket/key"),
        "read a DynamoDB table": access.Check(
            "dynamodb:GetItem", f"arn:aws:dynamodb:{region}:{account}:table/check"
        ),
    }
    also = [
        what for what, check in broader.items() if access.decide(session, [check], "iam") is None
    ]
    if also:
        raise Incorrect(
            f"`{READER}` works, but `{role}` allows more than its handler needs: it may also "
            f"{'; '.join(also)}. Name one action, `ssm:GetParameter`, and one resource, the "
            f"parameter's own ARN (`{arn}`), without wildcards."
        )
    return (
        f"`{READER}` reads `{PARAMETER}`, and `{role}` allows exactly that: `ssm:GetParameter` on "
        "that one parameter, nothing else. If the function is ever compromised, that is all an "
        "attacker gets."
    )


_READER_SETUP = '''
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

ssm = boto3.client("ssm")
iam = boto3.client("iam")
lam = boto3.client("lambda")

ssm.put_parameter(
    Name="/app/db-url",
    Value="postgresql://db.internal:5432/app",
    Type="SecureString",
    Overwrite=True,
)
role_arn = execution_role("db-reader-role")  # may write its logs, nothing more yet

source = """
import boto3

ssm = boto3.client("ssm")
DB_URL = ssm.get_parameter(Name="/app/db-url", WithDecryption=True)["Parameter"]["Value"]


def handler(event, context):
    return {"db_url": DB_URL}
"""
lam.create_function(
    FunctionName="db-reader",
    Runtime="python3.13",
    Role=role_arn,
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
)
lam.get_waiter("function_active_v2").wait(FunctionName="db-reader")
'''

_READER_SOLUTION = (
    _READER_SETUP
    + """
account = boto3.client("sts").get_caller_identity()["Account"]
region = lam.meta.region_name
policy = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "ssm:GetParameter",
            "Resource": f"arn:aws:ssm:{region}:{account}:parameter/app/db-url",
        }
    ],
}
iam.put_role_policy(
    RoleName="db-reader-role", PolicyName="read-db-url", PolicyDocument=json.dumps(policy)
)
"""
)

# It works, but the role may read every parameter of the account.
_READER_WRONG = (
    _READER_SETUP
    + """
policy = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"}],
}
iam.put_role_policy(
    RoleName="db-reader-role", PolicyName="read-db-url", PolicyDocument=json.dumps(policy)
)
"""
)


# ----------------------------------------------------------------------- q2: the canary
CANARY_WEIGHT = 0.25
CANARY_CALLS = 200  # enough that the share routed to the canary is within ±0.12 (4 sigma)
CANARY_TOLERANCE = 0.12
CART = {"items": [{"price": 4, "quantity": 2}, {"price": 10, "quantity": 1}]}


def _published_versions(lam: Any, name: str) -> list[str]:
    pages = lam.get_paginator("list_versions_by_function").paginate(FunctionName=name)
    numbers = [v["Version"] for page in pages for v in page["Versions"]]
    return sorted((v for v in numbers if v.isdigit()), key=int)


def _check_11_canary() -> str:
    import boto3

    function_exists("checkout")
    lam = boto3.client("lambda")
    try:
        alias = lam.get_alias(FunctionName="checkout", Name="live")
    except lam.exceptions.ResourceNotFoundException:
        raise Incorrect(
            "`checkout` has no alias `live` yet. Create it on the version in production with "
            "`lam.create_alias(FunctionName='checkout', Name='live', FunctionVersion=...)`."
        ) from None
    versions = _published_versions(lam, "checkout")
    if len(versions) < 2:
        raise Incorrect(
            f"`checkout` has {len(versions)} published version(s); a canary needs two: the one "
            "in production and the new release (`publish_version` after each update)."
        )
    newest = versions[-1]
    main = alias["FunctionVersion"]
    weights = (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}
    if not weights:
        raise Incorrect(
            f"`live` sends every invocation to version {main}: there is no canary yet. Keep "
            "`FunctionVersion` on the version in production and add `RoutingConfig="
            f"{{'AdditionalVersionWeights': {{'{newest}': {CANARY_WEIGHT}}}}}` with "
            "`lam.update_alias(...)`."
        )
    (canary, weight), *_ = weights.items()
    if main == newest:
        raise Incorrect(
            f"`live`'s main version is {main}, the newest release, and version {canary} gets "
            f"{weight:.0%}: that sends {1 - weight:.0%} of the invocations to the new release. "
            "A canary is the other way round: the alias stays on the version in production, and "
            f"the newest one gets {CANARY_WEIGHT:.0%}."
        )
    if canary != newest:
        raise Incorrect(
            f"the canary of `live` is version {canary}, but the newest release is version "
            f"{newest}: route the {CANARY_WEIGHT:.0%} to version {newest}."
        )
    if abs(weight - CANARY_WEIGHT) > 1e-9:
        raise Incorrect(
            f"version {newest} has the weight {weight} ({weight:.0%} of the invocations); a "
            f"{CANARY_WEIGHT:.0%} canary has the weight {CANARY_WEIGHT} (weights are fractions "
            "between 0 and 1)."
        )

    ran: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for _ in range(CANARY_CALLS):
        response = lam.invoke(FunctionName="checkout", Qualifier="live", Payload=json.dumps(CART))
        response["Payload"].read()
        ran[response["ExecutedVersion"]] += 1
        if response.get("FunctionError"):
            failed[response["ExecutedVersion"]] += 1
    if failed:
        raise Incorrect(
            f"{sum(failed.values())} of {CANARY_CALLS} invocations of `checkout:live` failed "
            f"(by version: {dict(failed)}), with the event {CART}. A failing canary is rolled "
            "back, not watched: fix the release first."
        )
    share = ran[newest] / CANARY_CALLS
    if set(ran) != {main, newest} or abs(share - CANARY_WEIGHT) > CANARY_TOLERANCE:
        raise Incorrect(
            f"of {CANARY_CALLS} invocations of `checkout:live`, the versions ran {dict(ran)}: "
            f"not the {CANARY_WEIGHT:.0%} split `get_alias` shows. Invoke it yourself and count "
            "`response['ExecutedVersion']`."
        )
    return (
        f"`live` stays on version {main} and sends {CANARY_WEIGHT:.0%} to version {newest}: of "
        f"{CANARY_CALLS} real invocations, version {newest} ran {ran[newest]} ({share:.0%}), "
        "without an error. Next step: 50%, or a rollback if its errors grow."
    )


_CHECKOUT_SETUP = '''
import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")

release_1 = """
def handler(event, context):
    total = sum(item["price"] * item["quantity"] for item in event.get("items", []))
    return {"total": total}
"""
release_2 = """
def handler(event, context):
    total = sum(item["price"] * item["quantity"] for item in event.get("items", []))
    return {"total": total, "free_shipping": total >= 50}
"""

lam.create_function(
    FunctionName="checkout",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": release_1})},
)
lam.get_waiter("function_active_v2").wait(FunctionName="checkout")
v1 = lam.publish_version(FunctionName="checkout")["Version"]
lam.create_alias(FunctionName="checkout", Name="live", FunctionVersion=v1)

lam.update_function_code(FunctionName="checkout", ZipFile=zip_bytes({"app.py": release_2}))
lam.get_waiter("function_updated_v2").wait(FunctionName="checkout")
v2 = lam.publish_version(FunctionName="checkout")["Version"]
'''

_CHECKOUT_SOLUTION = (
    _CHECKOUT_SETUP
    + """
lam.update_alias(
    FunctionName="checkout",
    Name="live",
    FunctionVersion=v1,
    RoutingConfig={"AdditionalVersionWeights": {v2: 0.25}},
)
"""
)

# The alias moved to the new release, with 25% left on the old one: a 75% "canary".
_CHECKOUT_WRONG = (
    _CHECKOUT_SETUP
    + """
lam.update_alias(
    FunctionName="checkout",
    Name="live",
    FunctionVersion=v2,
    RoutingConfig={"AdditionalVersionWeights": {v1: 0.25}},
)
"""
)


# ------------------------------------------------------------------------- q3: a layer
LAYER_PACKAGE = "idna"
CHECK_DOMAIN = "münchen-check.example"
# Where Python finds a layer's packages: /opt/python and /opt/python/lib/python3.x/site-packages.
LAYER_PLACES = re.compile(r"python/(lib/python3\.\d+/site-packages/)?idna/__init__\.py")


def _zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


@contextlib.contextmanager
def _as_on_aws(aws: Any, name: str) -> Iterator[None]:
    """Imports as AWS's runtime allows them, in a fresh environment; the learner's setting after.

    The kit lends its own packages unless `strict_imports` is on, and an environment keeps the
    setting it started with: so the function's warm environments are reclaimed first.
    """
    previous = aws.runtime.strict_imports
    aws.configure(strict_imports=True)
    aws.runtime.forget(aws.account_id, aws.region, name, versions_too=False)
    try:
        yield
    finally:
        aws.configure(strict_imports=previous)
        aws.runtime.forget(aws.account_id, aws.region, name, versions_too=False)


def _check_11_layer() -> str:
    import idna
    from moto.awslambda.models import lambda_backends

    from ..runtime import layers

    aws = _aws()
    config = function_exists("domains")
    if not config.get("Layers"):
        raise Incorrect(
            "`domains` uses no layer yet. Publish one holding idna's files under `python/` "
            "(`lam.publish_layer_version(...)`) and give its `LayerVersionArn` to the function "
            "(`Layers=[...]` in `create_function` or `update_function_configuration`)."
        )
    fn = lambda_backends[aws.account_id][aws.region].get_function("domains")
    if any(name.split("/")[0] == LAYER_PACKAGE for name in _zip_names(fn.code_bytes)):
        raise Incorrect(
            "the function's own ZIP still holds the idna package: ship it in the layer only, "
            "and leave `app.py` alone in the function's ZIP."
        )
    in_layers = [
        name
        for layer in layers.attached(fn)
        for name in _zip_names(layer.zip_bytes)
        if name.endswith("idna/__init__.py")
    ]
    if not in_layers:
        raise Incorrect(
            "none of the layers of `domains` holds the idna package (`idna/__init__.py`). "
            "Build the layer's files with `site_packages_zip('idna', prefix='python/')`."
        )
    if not any(LAYER_PLACES.fullmatch(name) for name in in_layers):
        raise Incorrect(
            f"the layer holds idna at `{in_layers[0]}`, but Python looks for a layer's packages "
            "only in its `python/` and `python/lib/python3.x/site-packages/` folders (they "
            "become `/opt/python/...`). Build it with `site_packages_zip('idna', "
            "prefix='python/')`."
        )
    with _as_on_aws(aws, "domains"):
        response, body = invoke("domains", {"domain": CHECK_DOMAIN})
    if response.get("FunctionError"):
        raise Incorrect(
            f"run as on AWS (only the runtime's packages, the ZIP and the layers), `domains` "
            f"failed with {_failure(body)}."
        )
    expected = {"ascii": idna.encode(CHECK_DOMAIN).decode()}
    if body != expected:
        raise Incorrect(
            f"`domains` returned {body!r} for {{'domain': '{CHECK_DOMAIN}'}}; expected "
            f"{expected!r}. Keep the handler of the answer cell."
        )
    return (
        f"`domains` imports idna from its layer, run as AWS would run it, and turned "
        f"'{CHECK_DOMAIN}' into '{expected['ascii']}'. Its own ZIP holds only its code."
    )


_DOMAINS_SOURCE = '''
import boto3
from helpers.iam import execution_role
from helpers.packaging import site_packages_zip, zip_bytes

lam = boto3.client("lambda")

source = """
import idna


def handler(event, context):
    return {"ascii": idna.encode(event["domain"]).decode()}
"""
'''

_DOMAINS_DEPLOY = """
lam.create_function(
    FunctionName="domains",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": source})},
    Layers=[layer["LayerVersionArn"]],
)
lam.get_waiter("function_active_v2").wait(FunctionName="domains")
"""

_DOMAINS_SOLUTION = (
    _DOMAINS_SOURCE
    + """
layer = lam.publish_layer_version(
    LayerName="idna",
    Content={"ZipFile": zip_bytes(site_packages_zip("idna", prefix="python/"))},
    CompatibleRuntimes=["python3.13"],
)
"""
    + _DOMAINS_DEPLOY
)

# The package sits at the layer's root, where Python never looks (it would be /opt/idna).
_DOMAINS_WRONG = (
    _DOMAINS_SOURCE
    + """
layer = lam.publish_layer_version(
    LayerName="idna",
    Content={"ZipFile": zip_bytes(site_packages_zip("idna"))},
    CompatibleRuntimes=["python3.13"],
)
"""
    + _DOMAINS_DEPLOY
)


notebook_11 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "`db-reader` reads the SecureString parameter `/app/db-url` at init. Give its role, "
            "`db-reader-role`, exactly the right it needs: `ssm:GetParameter` on that parameter, "
            "and nothing broader."
        ),
        checker=_check_11_least_privilege,
        hint_text=(
            "One statement: `Effect` Allow, `Action` 'ssm:GetParameter', `Resource` the "
            "parameter's ARN, `arn:aws:ssm:{region}:{account}:parameter/app/db-url` (the "
            "parameter's name without its first slash). Attach it with `iam.put_role_policy("
            "RoleName='db-reader-role', PolicyName=..., PolicyDocument=json.dumps(policy))`."
        ),
        solution_code=_READER_SOLUTION,
        wrong_code=_READER_WRONG,
    ),
    q2=Exercise(
        name="q2",
        task=(
            "`checkout` has two published versions and an alias `live` on version 1. Start a "
            "25% canary: `live` stays on version 1 and sends a quarter of the invocations to "
            "version 2."
        ),
        checker=_check_11_canary,
        hint_text=(
            "`lam.update_alias(FunctionName='checkout', Name='live', FunctionVersion=v1, "
            "RoutingConfig={'AdditionalVersionWeights': {v2: 0.25}})`: the main version keeps "
            "the rest (75%)."
        ),
        solution_code=_CHECKOUT_SOLUTION,
        wrong_code=_CHECKOUT_WRONG,
    ),
    q3=Exercise(
        name="q3",
        task=(
            "`domains` imports the `idna` package, which the Lambda runtime does not have. Ship "
            "idna in a layer (not in the function's ZIP) and attach the layer to `domains`."
        ),
        checker=_check_11_layer,
        hint_text=(
            "`site_packages_zip('idna', prefix='python/')` gives the layer's files; "
            "`lam.publish_layer_version(LayerName='idna', Content={'ZipFile': zip_bytes(files)})`"
            " publishes them; its `LayerVersionArn` goes in the function's `Layers`."
        ),
        solution_code=_DOMAINS_SOLUTION,
        wrong_code=_DOMAINS_WRONG,
    ),
)
