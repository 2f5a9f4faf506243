"""Exercises of notebooks 00-02: a first bucket, a first function, versions and aliases."""

from __future__ import annotations

from types import SimpleNamespace

from .core import Exercise, Incorrect, function_exists, invoke


# ------------------------------------------------------------------------------ notebook 00
def _check_00_bucket() -> str:
    import boto3

    from ..cloud import current

    aws = current()
    if aws is None or not aws.running:
        raise Incorrect("the local AWS is not running. Run `aws = helpers.start()` first.")
    s3 = boto3.client("s3")
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    if "hello-lambda-kit" not in names:
        seen = f" (found: {', '.join(names)})" if names else ""
        raise Incorrect(
            f"there is no bucket named `hello-lambda-kit` in the local AWS yet{seen}. "
            "Create it with `boto3.client('s3').create_bucket(Bucket=...)`."
        )
    return "You created a bucket with plain boto3 — in the local AWS, at no cost."


# ------------------------------------------------------------------------------ notebook 01
def _check_01_greeter() -> str:
    config = function_exists("greeter")
    if not config.get("Runtime", "").startswith("python3"):
        raise Incorrect("`greeter` should use a Python runtime such as python3.12.")
    for who in ("Ada", "Grace"):
        response, body = invoke("greeter", {"name": who})
        if response.get("FunctionError"):
            raise Incorrect(
                f"invoking `greeter` with {{'name': '{who}'}} failed: "
                f"{body.get('errorType')}: {body.get('errorMessage')}"
            )
        expected = {"greeting": f"Hello, {who}!"}
        if body != expected:
            raise Incorrect(
                f"with the event {{'name': '{who}'}} `greeter` returned {body!r}; "
                f"expected {expected!r}. Read the name from the event."
            )
    return "`greeter` reads the name from its event and greets by name."


def _check_01_logs() -> str:
    import boto3

    function_exists("greeter")
    invoke("greeter", {"name": "Logs"})
    events = boto3.client("logs").filter_log_events(
        logGroupName="/aws/lambda/greeter", filterPattern="Hello"
    )["events"]
    if not any("Hello, Logs!" in e["message"] for e in events):
        raise Incorrect(
            "no log line of `greeter` mentions the greeting. Make the handler `print` "
            "the greeting it returns, update its code, then check again."
        )
    return "Your handler's print reaches CloudWatch Logs."


# ------------------------------------------------------------------------------ notebook 02
def _check_02_alias() -> str:
    import boto3

    function_exists("counter")
    lam = boto3.client("lambda")
    try:
        alias = lam.get_alias(FunctionName="counter", Name="live")
    except lam.exceptions.ResourceNotFoundException:
        raise Incorrect("there is no alias `live` on `counter` yet (`create_alias`).") from None
    versions = [
        v["Version"]
        for v in lam.list_versions_by_function(FunctionName="counter")["Versions"]
        if v["Version"] != "$LATEST"
    ]
    if len(versions) < 2:
        raise Incorrect("publish at least two versions of `counter` (`publish_version`).")
    newest, older = versions[-1], versions[-2]
    if alias["FunctionVersion"] != older:
        raise Incorrect(
            f"`live` should point at version {older} (the stable one); it points at "
            f"{alias['FunctionVersion']}."
        )
    weights = (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}
    if abs(float(weights.get(newest, 0)) - 0.25) > 1e-9:
        raise Incorrect(
            f"`live` should send 25% of traffic to version {newest} "
            f"(RoutingConfig={{'AdditionalVersionWeights': {{'{newest}': 0.25}}}}); "
            f"it has {weights or 'no routing config'}."
        )
    executed = {
        lam.invoke(FunctionName="counter", Qualifier="live")["ExecutedVersion"] for _ in range(60)
    }
    if executed != {older, newest}:
        raise Incorrect(f"invoking `live` ran versions {sorted(executed)}; expected both.")
    return f"`live` serves version {older} with a 25% canary on version {newest}."


notebook_00 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task="With plain boto3, create an S3 bucket named `hello-lambda-kit` in the local AWS.",
        checker=_check_00_bucket,
        hint_text="`s3 = boto3.client('s3')`, then `s3.create_bucket(Bucket='hello-lambda-kit')`.",
        solution_code="import boto3\nboto3.client('s3').create_bucket(Bucket='hello-lambda-kit')",
        wrong_code="import boto3\nboto3.client('s3').create_bucket(Bucket='hello-lambda')",
    )
)

_GREETER_SOLUTION = '''
import json, boto3
from helpers.packaging import zip_bytes
from helpers.iam import execution_role

source = """
def lambda_handler(event, context):
    greeting = f"Hello, {event['name']}!"
    print(greeting)
    return {"greeting": greeting}
"""
lam = boto3.client("lambda")
lam.create_function(
    FunctionName="greeter",
    Runtime="python3.12",
    Role=execution_role(),
    Handler="lambda_function.lambda_handler",
    Code={"ZipFile": zip_bytes({"lambda_function.py": source})},
)
'''
_GREETER_WRONG = '''
import boto3
from helpers.packaging import zip_bytes
from helpers.iam import execution_role

source = """
def lambda_handler(event, context):
    return {"greeting": "Hello, world!"}
"""
boto3.client("lambda").create_function(
    FunctionName="greeter",
    Runtime="python3.12",
    Role=execution_role(),
    Handler="lambda_function.lambda_handler",
    Code={"ZipFile": zip_bytes({"lambda_function.py": source})},
)
'''

notebook_01 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task="Deploy `greeter`: given {'name': 'Ada'} it returns {'greeting': 'Hello, Ada!'}.",
        checker=_check_01_greeter,
        hint_text="The handler receives the event as a dict: `event['name']`. Return a dict.",
        solution_code=_GREETER_SOLUTION,
        wrong_code=_GREETER_WRONG,
    ),
    q2=Exercise(
        name="q2",
        task="Make `greeter` print its greeting, so it shows in CloudWatch Logs.",
        checker=_check_01_logs,
        hint_text="Add `print(greeting)` to the handler, then `update_function_code`.",
        solution_code=_GREETER_SOLUTION,
        wrong_code=_GREETER_WRONG,
    ),
)

_COUNTER_SOLUTION = """
import time, boto3
from helpers.packaging import zip_bytes
from helpers.iam import execution_role

lam = boto3.client("lambda")
def source(n):
    return f"def handler(event, context):\\n    return {{'release': {n}}}\\n"

lam.create_function(FunctionName="counter", Runtime="python3.12", Role=execution_role(),
                    Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py": source(1)})})
v1 = lam.publish_version(FunctionName="counter")["Version"]
lam.update_function_code(FunctionName="counter", ZipFile=zip_bytes({"app.py": source(2)}))
v2 = lam.publish_version(FunctionName="counter")["Version"]
lam.create_alias(FunctionName="counter", Name="live", FunctionVersion=v1,
                 RoutingConfig={"AdditionalVersionWeights": {v2: 0.25}})
"""
_COUNTER_WRONG = """
import boto3
from helpers.packaging import zip_bytes
from helpers.iam import execution_role

lam = boto3.client("lambda")
lam.create_function(FunctionName="counter", Runtime="python3.12", Role=execution_role(),
                    Handler="app.handler",
                    Code={"ZipFile": zip_bytes({"app.py": "def handler(e, c):\\n    return 1\\n"})})
v1 = lam.publish_version(FunctionName="counter")["Version"]
lam.create_alias(FunctionName="counter", Name="live", FunctionVersion="$LATEST")
"""

notebook_02 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Give `counter` two published versions and an alias `live` on the older one that "
            "sends 25% of invocations to the newer one (a canary)."
        ),
        checker=_check_02_alias,
        hint_text=(
            "`publish_version` after each code change; then `create_alias(..., FunctionVersion="
            "older, RoutingConfig={'AdditionalVersionWeights': {newer: 0.25}})`."
        ),
        solution_code=_COUNTER_SOLUTION,
        wrong_code=_COUNTER_WRONG,
    )
)
