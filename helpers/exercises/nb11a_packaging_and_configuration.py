"""Notebook 11a's exercise: a library shipped in a layer.

The bytes of a function's ZIP and of a layer version, and a check-owned copy of a learner's
function, come from `deployed_code.py` (notebooks 12a's and 12b's checks use them too).
"""

from __future__ import annotations

import random
import re
import uuid
from types import SimpleNamespace

from .core import Exercise, Incorrect
from .deployed_code import (
    KIT_PACKAGE_NOTE,
    attached_layer_zip,
    check_copy,
    function_zip,
    layer_zip,
    zip_names,
)
from .harness import LogMark, client, function_config, invoke

# ------------------------------------------------------------------------- q1: a layer
DOMAINS = "domains"
LAYER_PACKAGE = "idna"


# A module file at the root of the function's ZIP that `import idna` would load: source,
# bytecode, or an extension module (`idna.cpython-313-x86_64-linux-gnu.so`).
_TOP_LEVEL_MODULE = re.compile(rf"{LAYER_PACKAGE}(\.py|\.pyc|(\.[\w-]+)?\.so)")


def _layer_places(runtime: str) -> re.Pattern[str]:
    """Where Python finds a layer's packages: /opt/python, and /opt/python/lib/python3.x/
    site-packages for the function's own Python version only.
    https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html"""
    version = re.escape(runtime.removeprefix("python"))
    return re.compile(rf"python/(lib/python{version}/site-packages/)?idna/__init__\.py")


def _domains() -> list[str]:
    """International domain names of the check's own, new at every check. One holds ß, which
    the idna package (IDNA 2008, RFC 5891) keeps ("straße" → "xn--strae-oqa") and Python's
    built-in "idna" codec (IDNA 2003, RFC 3490, with its nameprep) maps to "ss": only a
    handler that uses the package gets it right (https://docs.python.org/3/library/codecs.html
    #module-encodings.idna)."""
    town = random.choice(("münchen", "zürich", "köln", "malmö", "são-paulo", "ålesund"))
    sharp = random.choice(("straße", "gießen", "meißen", "weißwasser", "großenhain"))
    return [f"{name}-{uuid.uuid4().hex[:6]}.example" for name in (town, sharp)]


def _builtin_codec(domain: str) -> str | None:
    """What Python's built-in "idna" codec gives (None if it refuses the name)."""
    try:
        return domain.encode("idna").decode()
    except UnicodeError:
        return None


def _newer_good_version(arns: list[str], places: re.Pattern[str]) -> str | None:
    """The ARN of a later version of an attached layer that holds idna where the runtime
    looks (a learner attached an older one), or None."""
    lam = client("lambda")
    for arn in arns:
        name, version = arn.rsplit(":", 2)[-2:]
        if not version.isdigit():
            continue
        listed = lam.list_layer_versions(LayerName=name).get("LayerVersions", [])
        for later in listed:
            if later["Version"] > int(version) and any(
                places.fullmatch(n) and n.endswith(f"{LAYER_PACKAGE}/__init__.py")
                for n in zip_names(layer_zip(later["LayerVersionArn"]))
            ):
                return later["LayerVersionArn"]
    return None


def _unattached_idna_layer(arns: list[str], places: re.Pattern[str]) -> str | None:
    """The ARN of a layer version of the account that holds idna but is not attached to the
    function (one with idna where the runtime looks first, then the latest made), or None."""
    lam = client("lambda")
    holding: list[tuple[bool, str, str]] = []
    for page in lam.get_paginator("list_layers").paginate():
        for layer in page.get("Layers", []):
            versions = lam.get_paginator("list_layer_versions").paginate(
                LayerName=layer["LayerName"]
            )
            for listed in (v for versions_page in versions for v in versions_page["LayerVersions"]):
                arn = listed["LayerVersionArn"]
                if arn in arns:
                    continue
                names = [
                    n
                    for n in zip_names(layer_zip(arn))
                    if n.endswith(f"{LAYER_PACKAGE}/__init__.py")
                ]
                if names:
                    right_place = any(places.fullmatch(n) for n in names)
                    holding.append((right_place, listed.get("CreatedDate", ""), arn))
    return max(holding)[2] if holding else None


def _opt_mapped(data: bytes, folder: str) -> bytes | None:
    """The function's ZIP with each quoted `"/opt/<folder>"` of its Python files that go on
    `sys.path` (`sys.path.insert`/`append`, `site.addsitedir`) read from the folder that plays
    /opt in the kit; None when no Python file adds that folder to the path."""
    import io
    import zipfile

    from ..runtime.layers import OPT_VARIABLE

    literal = re.compile(rf"""(['"])/opt/{re.escape(folder)}/?\1""")
    kit_path = f'(__import__("os").environ.get("{OPT_VARIABLE}", "/opt") + "/{folder}")'
    mapped = False
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as archive,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for info in archive.infolist():
            body = archive.read(info)
            if info.filename.endswith(".py"):
                text = body.decode(errors="replace")
                if re.search(r"sys\.path|addsitedir", text) and literal.search(text):
                    body = literal.sub(lambda _: kit_path, text).encode()
                    mapped = True
            copy.writestr(info, body)
    return out.getvalue() if mapped else None


def _check_11a_layer() -> str:
    import idna

    config = function_config(DOMAINS)
    arns = [layer["Arn"] for layer in config.get("Layers") or []]
    if not arns:
        raise Incorrect(
            f"`{DOMAINS}` uses no layer yet. Publish one holding idna's files under `python/` "
            "(`lam.publish_layer_version(...)`) and give its `LayerVersionArn` to the function "
            "(`Layers=[...]` in `create_function` or `update_function_configuration`)."
        )
    names = zip_names(function_zip(DOMAINS))
    module = next((name for name in names if _TOP_LEVEL_MODULE.fullmatch(name)), None)
    if module:
        # The function's own code comes first on the Python runtime's search path (/var/task,
        # before the layers' /opt/python): an `import idna` finds this one.
        # https://docs.aws.amazon.com/lambda/latest/dg/python-package.html#python-package-searchpath
        raise Incorrect(
            f"the function's own ZIP holds an `{LAYER_PACKAGE}` module, `{module}`, which "
            "shadows the layer's idna: Python looks in the function's code (`/var/task`) before "
            f"the layers (`/opt/python`), so `import {LAYER_PACKAGE}` finds this one. Remove "
            f"`{module}` from the function's ZIP and leave `app.py` alone in it: idna comes "
            "from the layer."
        )
    shipped = [
        name
        for name in names
        if name.endswith(f"{LAYER_PACKAGE}/__init__.py") or name.split("/")[0] == LAYER_PACKAGE
    ]
    if shipped:
        at_root = shipped[0].split("/")[0] == LAYER_PACKAGE
        where = (
            " (Python looks in the function's code before the layers, so this copy shadows "
            "the layer's)"
            if at_root
            else f" (at `{shipped[0]}`)"
        )
        raise Incorrect(
            f"the function's own ZIP still holds the idna package{where}: ship it in the layer "
            "only, and leave `app.py` alone in the function's ZIP."
        )
    in_layers = [
        name
        for arn in arns
        for name in zip_names(attached_layer_zip(DOMAINS, arn))
        if name.endswith(f"{LAYER_PACKAGE}/__init__.py")
    ]
    places = _layer_places(config["Runtime"])
    code, custom = None, ""
    if not in_layers:
        elsewhere = _unattached_idna_layer(arns, places)
        if elsewhere:
            # UpdateFunctionConfiguration's Layers is the whole list of the function's layers:
            # a later call with one ARN detaches the others.
            # https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html
            attached = ", ".join(f"`{':'.join(arn.rsplit(':', 2)[-2:])}`" for arn in arns)
            raise Incorrect(
                f"none of the layers attached to `{DOMAINS}` holds the idna package: it uses "
                f"only {attached}. The layer version `{elsewhere}` holds idna, but it is not "
                "attached: `Layers=` (in `create_function` or `update_function_configuration`) "
                "is the function's whole list of layers, and a later call with other ARNs "
                "replaces it, it doesn't add to it. Give every ARN the function needs in one "
                f"list: `Layers=['{elsewhere}', ...]`."
            )
        raise Incorrect(
            f"none of the layers of `{DOMAINS}` holds the idna package (`idna/__init__.py`). "
            "Build the layer's files with `site_packages_zip('idna', prefix='python/')`."
        )
    if not any(places.fullmatch(name) for name in in_layers):
        newer = _newer_good_version(arns, places)
        if newer:
            raise Incorrect(
                f"`{DOMAINS}` uses `{arns[0]}`, whose idna is at `{in_layers[0]}`, outside "
                f"`python/`; the layer's newer version `{newer}` has it in the right place. "
                "Attach that one: `list_layer_versions` lists the newest version first."
            )
        # Learner trial 10 (XD11): Lambda extracts a layer into /opt and puts only these two
        # folders on the import path (packaging-layers.html, "Layer paths for each Lambda
        # runtime"); a folder the handler adds to sys.path itself works on AWS too.
        folder = in_layers[0].rsplit(f"{LAYER_PACKAGE}/", 1)[0].rstrip("/")
        code = _opt_mapped(function_zip(DOMAINS), folder) if folder else None
        # Learner trial 13 (PD4): or the function's PYTHONPATH variable names `/opt/<folder>`:
        # PYTHONPATH is one of the runtime variables a function may extend
        # (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
        # and Python reads it at start; the kit maps `/opt` in it to its stand-in.
        variable = str(
            ((config.get("Environment") or {}).get("Variables") or {}).get("PYTHONPATH", "")
        )
        in_variable = bool(folder) and f"/opt/{folder}" in [
            part.rstrip("/") for part in variable.split(":")
        ]
        if code is None and not in_variable:
            raise Incorrect(
                f"the layer holds idna at `{in_layers[0]}`. Lambda extracts a layer into `/opt` "
                f"and puts only its `python/` and `python/lib/{config['Runtime']}/site-packages/` "
                "folders on a Python function's import path (as `/opt/python/...`). Build the "
                "layer with `site_packages_zip('idna', prefix='python/')`: no path to add."
            )
        # Learner trial 12 (JD5): the handler adds `/opt/<folder>` to `sys.path` itself, which
        # works on AWS (every layer is extracted into /opt). The kit can't place layers at /opt
        # (kit-only): the check's copy runs with that path pointed at the folder that plays
        # /opt here (KIT_OPT_DIR), and is judged on what it then does, as on AWS.
        how = (
            f"`{DOMAINS}`'s `PYTHONPATH` variable names `/opt/{folder}`"
            if code is None
            else f"your code adds `/opt/{folder}` to `sys.path`"
        )
        custom = (
            f" (The layer keeps idna in `{folder}/`, and {how}: that works on AWS. The kit "
            f"can't place layers at `/opt`, so its copy of `{DOMAINS}` ran with that path "
            "pointed at the kit's stand-in for `/opt`. A "
            "layer with idna under `python/` needs no path at all.)"
        )
    # A copy of `domains` runs in new environments and logs to a new group: the kit's note
    # says whether idna came from the kit's own packages (as AWS's runtime has no idna).
    with check_copy(DOMAINS, code=code) as copy:
        mark = LogMark.of_function(copy)
        for domain in _domains():
            run = invoke(copy, {"domain": domain})
            if run.failed:
                raise Incorrect(
                    f"`{DOMAINS}` (run as on AWS, from its ZIP and its layers, in a new "
                    f"environment) failed with {run.error} for {{'domain': '{domain}'}}."
                )
            expected = {"ascii": idna.encode(domain).decode()}
            codec = _builtin_codec(domain)
            if run.payload != expected and run.payload == {"ascii": codec}:
                raise Incorrect(
                    f"`{DOMAINS}` returned {run.payload!r} for {{'domain': '{domain}'}}: that is "
                    "what Python's built-in `idna` codec gives (`str.encode('idna')`, the older "
                    "IDNA 2003, which turns ß into ss), not the idna package (IDNA 2008): "
                    f"{expected!r}. The task is to ship the package in a layer and use it: "
                    "keep the answer cell's handler, `idna.encode(event['domain'])`."
                )
            if run.payload != expected:
                raise Incorrect(
                    f"`{DOMAINS}` returned {run.payload!r} for {{'domain': '{domain}'}}; "
                    f"expected {expected!r}. Keep the handler of the answer cell."
                )
        if any(KIT_PACKAGE_NOTE in line for line in mark.new_messages()):
            raise Incorrect(
                f"`{DOMAINS}` imported idna from the kit's own packages, not from its layer: on "
                "AWS that import fails. Check where the layer puts idna."
            )
    return (
        f"`{DOMAINS}` ran with idna from its layer, in a new environment as on AWS, and "
        "turned the check's own domains into their ASCII form as the idna package does (IDNA "
        "2008, ß included). Its own ZIP holds only its code." + custom
    )


_DOMAINS_SOLUTION = '''
import boto3
from helpers.iam import execution_role
from helpers.packaging import site_packages_zip, zip_bytes

lam = boto3.client("lambda")

domains_source = """
import idna


def handler(event, context):
    return {"ascii": idna.encode(event["domain"]).decode()}
"""

idna_layer = lam.publish_layer_version(
    LayerName="idna",
    Content={"ZipFile": zip_bytes(site_packages_zip("idna", prefix="python/"))},
    CompatibleRuntimes=["python3.13"],
)
try:
    lam.delete_function(FunctionName="domains")  # start afresh if it exists
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(
    FunctionName="domains",
    Runtime="python3.13",
    Role=execution_role(),
    Handler="app.handler",
    Code={"ZipFile": zip_bytes({"app.py": domains_source})},
    Layers=[idna_layer["LayerVersionArn"]],
)
lam.get_waiter("function_active_v2").wait(FunctionName="domains")
'''


notebook_11a = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "`domains` imports the `idna` package, which the Lambda runtime does not have. Ship "
            "idna in a layer (not in the function's ZIP) and attach the layer to `domains`."
        ),
        checker=_check_11a_layer,
        hint_text=(
            "A layer is extracted into `/opt`, and Python looks for its packages in "
            "`/opt/python`: so the layer's files go under `python/` (`site_packages_zip` has a "
            "`prefix`). Publish it with `lam.publish_layer_version`, then give its "
            "`LayerVersionArn` to the function's `Layers`."
        ),
        solution_code=_DOMAINS_SOLUTION,
    ),
)
