"""Exercise of notebook 02 (the lifecycle): two versions and a canary alias."""

from __future__ import annotations

import ast
from types import SimpleNamespace

from . import apps
from .core import Exercise, Incorrect
from .harness import Invocation, client, function_config, invoke, role_exists
from .nb01_first_function import existing_function, require_role_exists

FUNCTION = "counter"
ALIAS = "live"
WEIGHT = 0.25


def _alias() -> dict:
    lam = client("lambda")
    try:
        return lam.get_alias(FunctionName=FUNCTION, Name=ALIAS)
    except lam.exceptions.ResourceNotFoundException:
        pass
    # Learner trial 10 (U D7): name the aliases there are, `Live` above all (alias names are
    # case-sensitive, as function names are).
    names = [
        a["Name"]
        for page in lam.get_paginator("list_aliases").paginate(FunctionName=FUNCTION)
        for a in page["Aliases"]
    ]
    if same := [n for n in names if n.casefold() == ALIAS.casefold()]:
        raise Incorrect(
            f"there is no alias `{ALIAS}` on `{FUNCTION}` yet (found: `{same[0]}`). Alias names "
            f"are case-sensitive: `{same[0]}` is another alias. Create `{ALIAS}` "
            f"(`create_alias`), and delete `{same[0]}` if you like (`delete_alias`)."
        )
    seen = f"; found: {', '.join(f'`{n}`' for n in sorted(names))}" if names else ""
    # Learner trial 13 (MW6): published twice without a change, the learner's `create_alias`
    # was refused (the canary is its own main version); say why there is one version only.
    why = _why_same() if _published_versions() == 1 else ""
    raise Incorrect(f"there is no alias `{ALIAS}` on `{FUNCTION}` yet (`create_alias`){seen}.{why}")


def _published_versions() -> int:
    lam = client("lambda")
    return sum(
        v["Version"] != "$LATEST"
        for page in lam.get_paginator("list_versions_by_function").paginate(FunctionName=FUNCTION)
        for v in page["Versions"]
    )


def _require_role(version: str, config: dict) -> None:
    """Incorrect if the role a version runs as has been deleted: Lambda runs each version as
    the role it was published with, and can't when the role is gone
    (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html; learner
    trial 10, U D22: counter's role deleted after a right canary still passed)."""
    role = str(config.get("Role", "")).rsplit("/", 1)[-1]
    if not role_exists(role):
        raise Incorrect(
            f"version {version} of `{FUNCTION}` runs as the execution role `{role}`, which "
            "doesn't exist any more: Lambda can't run it. A published version keeps the role it "
            f"was published with: create `{role}` again (trusting `lambda.amazonaws.com`), or "
            f"give `{FUNCTION}` a role that exists and publish two new versions."
        )
    # Learner trial 13 (MD10): a role whose trust policy no longer lets Lambda assume it
    # passed; nb01's check names it (Lambda runs a version with the credentials it gets by
    # assuming the role: https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html).
    require_role_exists(FUNCTION, config, f"version {version} of `{FUNCTION}`")


def _published(version: str, role: str) -> None:
    """Incorrect unless `version` is a published version of the function that runs."""
    if version == "$LATEST" or not version.isdigit():
        raise Incorrect(
            f"the alias's {role} is `{version}`. A canary runs between two *published* "
            "versions: `publish_version` gives each one its number."
        )
    _require_role(version, function_config(FUNCTION, version))
    _require_runs(version)


def _missing_key(run: Invocation) -> str | None:
    """The key of a KeyError the handler raised (`KeyError: 'count'`), else None."""
    body = run.payload if isinstance(run.payload, dict) else {}
    if body.get("errorType") != "KeyError":
        return None
    try:
        key = ast.literal_eval(str(body.get("errorMessage", "")))
    except (ValueError, SyntaxError):
        return None
    return key if isinstance(key, str) else None


def _keys_got(version: str) -> list[str]:
    """The keys the version's code reads with `.get('<key>')` (string constants, at most 3),
    in the order they appear: a handler that reads its event with `.get` and converts
    (`int(event.get('count'))`) fails on `{}` with a TypeError, not a KeyError (learner trial
    13, MD19)."""
    import io
    import zipfile

    from moto.awslambda.models import lambda_backends

    from .harness import kit

    aws = kit()
    try:
        code = lambda_backends[aws.account_id][aws.region].get_function(FUNCTION, version)
        archive = zipfile.ZipFile(io.BytesIO(code.code_bytes))
    except Exception:  # no code the check can read (an image, say): no keys
        return []
    keys: list[str] = []
    for name in archive.namelist():
        if not name.endswith(".py"):
            continue
        try:
            tree = ast.parse(archive.read(name))
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value not in keys
            ):
                keys.append(node.args[0].value)
    return keys[:3]


def _require_runs(version: str) -> None:
    """Incorrect unless `version` answers an invoke without an error. The task fixes no event:
    the check sends `{}`, and when the handler misses a key of it (KeyError), or fails
    otherwise and its code reads keys with `.get` (`int(event.get('count'))`), sends the event
    again with that key or those keys (value 1), up to three keys, so a counter that reads its event
    (`event['count'] + 1`) runs (learner trial 9, O D18). A key it still misses is no key of
    its event (an environment variable not set, say): that version fails on every event."""
    event: dict[str, int] = {}
    for _ in range(4):
        run = invoke(FUNCTION, event, qualifier=version)
        if not run.failed:
            return
        key = _missing_key(run)
        if key is None and (got := [k for k in _keys_got(version) if k not in event]):
            # Learner trial 13 (MD19): read with `.get` and converted, a missing key fails
            # with a TypeError; the check sends the keys the code gets, with the value 1.
            event = {**event, **dict.fromkeys(got, 1)}
            continue
        if key is None or key in event or len(event) == 3:
            break
        event = {**event, key: 1}
    if key is not None and key in event:
        raise Incorrect(
            f"version {version} of `{FUNCTION}` fails when invoked: {run.error}, even with "
            f"the event {event!r}: the key it misses isn't read from its event, so it fails "
            "on every invocation."
        )
    added = (
        " (the check sent `{}`, then added each key the handler missed or reads with `.get`, "
        "with the value 1)"
        if event
        else ""
    )
    raise Incorrect(
        f"version {version} of `{FUNCTION}` fails when invoked with the event {event!r}"
        f"{added}: {run.error}."
    )


def _require_not_throttled() -> None:
    """Incorrect if `counter` has a reserved concurrency of 0: it applies to the function as a
    whole, every published version and alias included ("Concurrency settings apply to the
    function as a whole, including all published versions and the unpublished version",
    https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html), so every
    invocation of `live` is throttled and the canary serves nothing (learner trial 9, O D7)."""
    lam = client("lambda")
    reserved = lam.get_function_concurrency(FunctionName=FUNCTION).get(
        "ReservedConcurrentExecutions"
    )
    if reserved == 0:
        raise Incorrect(
            f"`{FUNCTION}` has a reserved concurrency of 0 (`put_function_concurrency(..., "
            "ReservedConcurrentExecutions=0)`, section 8's off switch): it applies to the "
            f"function as a whole, its versions included, so every invocation of `{ALIAS}` is "
            "throttled (TooManyRequestsException) and the canary serves nothing. Remove it: "
            f"`lam.delete_function_concurrency(FunctionName='{FUNCTION}')`."
        )


def _why_same() -> str:
    """Why a canary may route to its main version: with one published version only, a second
    `publish_version` made nothing new. "Lambda doesn't publish a version if the function's
    configuration and code haven't changed since the last version"
    (https://docs.aws.amazon.com/lambda/latest/dg/API_PublishVersion.html; learner trial 10,
    U W3)."""
    lam = client("lambda")
    versions = [
        v["Version"]
        for page in lam.get_paginator("list_versions_by_function").paginate(FunctionName=FUNCTION)
        for v in page["Versions"]
        if v["Version"] != "$LATEST"
    ]
    if len(versions) > 1:
        return " Send the canary share to the newer version."
    return (
        f" `{FUNCTION}` has one published version only: `publish_version` publishes nothing new "
        "(it returns the last version) when neither the code nor the configuration changed "
        "since it. Change the code (or an environment variable), publish again, and send the "
        "canary share to the new version."
    )


def _check_canary() -> str:
    existing_function(FUNCTION, ". Create it with `create_function`.")
    _require_not_throttled()
    alias = _alias()
    primary = alias["FunctionVersion"]
    weights = (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}
    _published(primary, "main version")
    if not weights:
        raise Incorrect(
            f"`{ALIAS}` sends all traffic to version {primary}: give it a RoutingConfig that "
            f"sends {WEIGHT:.0%} to a newer version (`AdditionalVersionWeights`)."
        )
    # One other version, weighted 0.0 to 1.0, published: the kit refuses the rest, as AWS does.
    (canary, weight), *_ = weights.items()
    _published(canary, "canary version")
    if int(canary) < int(primary):
        raise Incorrect(
            f"`{ALIAS}` points at version {primary} and sends {weight} to version {canary}, an "
            "older one: the alias should stay on the older, stable version and send the canary "
            "share to the newer one."
        )
    if canary == primary:
        raise Incorrect(f"`{ALIAS}` routes to version {canary}, its own main version.{_why_same()}")
    if abs(float(weight) - WEIGHT) > 1e-9:
        raise Incorrect(
            f"`{ALIAS}` sends {round(float(weight) * 100, 4):g}% of invocations to version "
            f"{canary}; the task asks for {WEIGHT:.0%} (a weight of {WEIGHT})."
        )
    return f"`{ALIAS}` serves version {primary} with a {WEIGHT:.0%} canary on version {canary}."


notebook_02 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Give `counter` two published versions and an alias `live` on the older one that "
            "sends 25% of invocations to the newer one (a canary)."
        ),
        checker=_check_canary,
        hint_text=(
            "A version is a snapshot: change the code (or configuration), then "
            "`publish_version`, twice. An alias's `FunctionVersion` is where most traffic goes, "
            "and its `RoutingConfig` sends a fraction of it elsewhere."
        ),
        solution_code=f'''
import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

source = """
{apps.source("counter")}"""
lam = boto3.client("lambda")
try:  # start afresh: deleting a function deletes its versions and aliases too
    lam.delete_function(FunctionName="counter")
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(FunctionName="counter", Runtime="python3.12", Role=execution_role(),
                    Handler="app.handler", Code={{"ZipFile": zip_bytes({{"app.py": source}})}},
                    Environment={{"Variables": {{"RELEASE": "1"}}}})
lam.get_waiter("function_active_v2").wait(FunctionName="counter")
v1 = lam.publish_version(FunctionName="counter")["Version"]
lam.update_function_configuration(FunctionName="counter",
                                  Environment={{"Variables": {{"RELEASE": "2"}}}})
lam.get_waiter("function_updated_v2").wait(FunctionName="counter")
v2 = lam.publish_version(FunctionName="counter")["Version"]
lam.create_alias(FunctionName="counter", Name="live", FunctionVersion=v1,
                 RoutingConfig={{"AdditionalVersionWeights": {{v2: 0.25}}}})
''',
    )
)
