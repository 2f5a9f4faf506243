"""The learner's deployed code, read back for a check: the bytes of a function's ZIP and of a
layer version (from the local AWS: Lambda's API gives only a download URL the kit can't serve),
the handler loaded in separate copies as separate execution environments would hold it, and a
check-owned copy of a function, whose logs are the check's own.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import sys
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from .core import Incorrect
from .harness import client, function_config, kit

# The note the kit writes when a handler imports a package it didn't ship (AWS would fail).
KIT_PACKAGE_NOTE = "was found among the kit's own packages"


# ------------------------------------------------------------------ shared: ZIPs and copies
def function_zip(name: str) -> bytes:
    """The ZIP of the function's $LATEST, as the local AWS keeps it."""
    from moto.awslambda.models import lambda_backends

    aws = kit()
    function_config(name)  # Incorrect when it doesn't exist
    return lambda_backends[aws.account_id][aws.region].get_function(name).code_bytes


def layer_zip(arn: str) -> bytes:
    """The ZIP of one layer version, by its ARN (b"" when the local AWS doesn't hold it)."""
    from moto.awslambda.models import lambda_backends

    region, account = arn.split(":")[3:5]
    if not (region and account):
        return b""  # one of AWS's own layers (arn:aws:lambda:::awslayer:...): not in the kit
    version = lambda_backends[account][region].layers_versions_by_arn(arn)
    return (version.code_bytes or b"") if version is not None else b""


def attached_layer_zip(function: str, arn: str) -> bytes:
    """The ZIP of a layer version the function uses, even once that version is deleted.

    AWS keeps a copy of a deleted version for the functions that use it ("To avoid breaking
    functions, a copy of the version remains in Lambda until no functions refer to it",
    DeleteLayerVersion's API reference), and so does the kit.
    """
    from moto.awslambda.models import lambda_backends

    aws = kit()
    function_config(function)  # Incorrect when it doesn't exist
    fn = lambda_backends[aws.account_id][aws.region].get_function(function)
    for layer in getattr(fn, "kit_layers", None) or ():
        if layer.arn == arn and layer.version is not None:
            return layer.version.code_bytes or b""
    return layer_zip(arn)


def zip_names(data: bytes) -> list[str]:
    """The paths of the files in a ZIP."""
    if not data:
        return []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


@contextlib.contextmanager
def check_copy(name: str, *, code: bytes | None = None, **overrides: Any) -> Iterator[str]:
    """A copy of the learner's function (same ZIP, role, layers, settings), deleted afterwards.
    `code` replaces its ZIP (07a q2 adds a counting module to the learner's files).

    A new function starts in new execution environments and writes to a new log group: what it
    logs is the check's own, whatever the learner's function did before. `overrides` change
    settings (e.g. another Timeout) without touching the learner's function.
    """
    lam = client("lambda")
    logs = client("logs")
    config = function_config(name)
    copy = f"{name[:40]}-check-{uuid.uuid4().hex[:8]}"
    # A deleted layer version can't be given to a new function: the copy gets the same files
    # as a layer of the check's own (deleted afterwards).
    layers, own_layers = [], []
    for layer in config.get("Layers") or []:
        arn = layer["Arn"]
        if layer_zip(arn) or not arn.split(":")[3]:
            layers.append(arn)
            continue
        published = lam.publish_layer_version(
            LayerName=f"{copy}-layer-{len(own_layers)}",
            Content={"ZipFile": attached_layer_zip(name, arn)},
        )
        layers.append(published["LayerVersionArn"])
        own_layers.append(published["LayerVersionArn"])
    settings: dict[str, Any] = {
        "Runtime": config["Runtime"],
        "Role": config["Role"],
        "Handler": config["Handler"],
        "Timeout": config.get("Timeout", 3),
        "MemorySize": config.get("MemorySize", 128),
        "Layers": layers,
        "Environment": {"Variables": (config.get("Environment") or {}).get("Variables") or {}},
        **overrides,
    }
    try:
        lam.create_function(
            FunctionName=copy, Code={"ZipFile": code or function_zip(name)}, **settings
        )
    except BaseException:
        _delete_layers(lam, own_layers)
        raise
    try:
        lam.get_waiter("function_active_v2").wait(FunctionName=copy)
        yield copy
    finally:
        with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
            lam.delete_function(FunctionName=copy)
        with contextlib.suppress(logs.exceptions.ResourceNotFoundException):
            logs.delete_log_group(logGroupName=f"/aws/lambda/{copy}")
        _delete_layers(lam, own_layers)


def _delete_layers(lam: Any, arns: list[str]) -> None:
    for arn in arns:
        name, version = arn.rsplit(":", 2)[-2:]
        with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
            lam.delete_layer_version(LayerName=name, VersionNumber=int(version))


def deployed_package(function: str) -> tuple[bytes, str, dict[str, str]]:
    """The function's ZIP, its Handler setting and its environment variables, as deployed.

    (On AWS `get_function` gives the ZIP's address; the kit's cannot be downloaded, so this
    reads moto's copy.)
    """
    from moto.awslambda.models import lambda_backends

    aws = kit()
    fn = lambda_backends[aws.account_id][aws.region].get_function(function)
    if fn.package_type != "Zip":
        raise Incorrect(f"`{function}` is a container image; deploy it as a ZIP.")
    config = function_config(function)
    variables = (config.get("Environment") or {}).get("Variables") or {}
    return fn.code_bytes, config["Handler"], dict(variables)


@contextlib.contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class LambdaContext:
    """What a handler may read from `context` in the check's own run."""

    def __init__(self, function: str) -> None:
        self.function_name = function
        self.function_version = "$LATEST"
        self.aws_request_id = str(uuid.uuid4())
        self.memory_limit_in_mb = 128
        self.invoked_function_arn = (
            f"arn:aws:lambda:{kit().region}:{kit().account_id}:function:{function}"
        )
        self.log_group_name = f"/aws/lambda/{function}"
        self.log_stream_name = "check"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@contextlib.contextmanager
def loaded_handlers(
    function: str, copies: int, *, own_name: bool = False
) -> Iterator[list[Callable[..., Any]]]:
    """`copies` handlers of the deployed code, each in a module of its own, as separate
    execution environments hold them: nothing in memory is shared between them.

    Each copy's module is named `_check_<n>_<module>` (07a finds its frames by that prefix);
    with `own_name`, every copy is named as the Handler names it (`app`), as in each execution
    environment on AWS, so that code deriving a key from `__name__` or `__module__` (as
    Powertools' idempotency records do) gives the same key in every copy."""
    code, handler, variables = deployed_package(function)
    module_path, _, name = handler.rpartition(".")
    with tempfile.TemporaryDirectory() as folder, _environment(variables):
        with zipfile.ZipFile(io.BytesIO(code)) as archive:
            archive.extractall(folder)
        source = Path(folder, *module_path.split(".")).with_suffix(".py")
        if not source.exists():
            raise Incorrect(
                f"the package of `{function}` has no `{source.name}` (Handler `{handler}`)."
            )
        before = set(sys.modules)
        sys.path.insert(0, folder)
        try:
            handlers = []
            for copy in range(copies):
                module_name = module_path if own_name else f"_check_{copy}_{module_path}"
                spec = importlib.util.spec_from_file_location(module_name, source)
                module: ModuleType = importlib.util.module_from_spec(spec)
                # While it runs, the copy is the module of that name (dataclasses, pickle and
                # `import app` look it up); whatever held the name before comes back after.
                held = sys.modules.get(module_name)
                sys.modules[module_name] = module
                try:
                    with contextlib.redirect_stdout(io.StringIO()):
                        spec.loader.exec_module(module)
                except Exception as exc:  # the learner's module-level code failed
                    raise Incorrect(
                        f"the check loads the deployed code of `{function}` to run it as an "
                        f"execution environment would, and its module-level code failed: "
                        f"{type(exc).__name__}: {exc}."
                    ) from None
                finally:
                    if held is None:
                        sys.modules.pop(module_name, None)
                    else:
                        sys.modules[module_name] = held
                handlers.append(getattr(module, name))
            yield handlers
        finally:
            sys.path.remove(folder)
            for added in set(sys.modules) - before:
                if getattr(sys.modules[added], "__file__", "") and str(
                    sys.modules[added].__file__
                ).startswith(folder):
                    del sys.modules[added]
