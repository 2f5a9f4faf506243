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
        from moto.awslambda.models import lambda_backends

        # Read from the local AWS's own record, not through an API call: the check may make
        # one inside a run whose AWS calls it orders (nb05's lock-step).
        aws = kit()
        fn = lambda_backends[aws.account_id][aws.region].get_function(function)
        self.function_name = function
        self.function_version = "$LATEST"
        self.aws_request_id = str(uuid.uuid4())
        self.memory_limit_in_mb = int(getattr(fn, "memory_size", None) or 128)
        self.invoked_function_arn = (
            f"arn:aws:lambda:{aws.region}:{aws.account_id}:function:{function}"
        )
        self.log_group_name = _log_group({"FunctionName": function, **fn.get_configuration()})
        self.log_stream_name = _LOG_STREAM

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


# The log stream the check's in-process environments name (`AWS_LAMBDA_LOG_STREAM_NAME`).
_LOG_STREAM = "check"


def _log_group(config: dict[str, Any]) -> str:
    """The function's log group: `/aws/lambda/<name>` unless its LoggingConfig names another."""
    return (config.get("LoggingConfig") or {}).get("LogGroup") or (
        f"/aws/lambda/{config['FunctionName']}"
    )


def _reserved_variables(config: dict[str, Any], task_root: Path) -> dict[str, str]:
    """The variables Lambda's runtime sets in every execution environment, as the kit's own
    runtime sets them (runtime/service.py, `_function_env`): "Defined runtime environment
    variables", https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
    #configuration-envvars-runtime. Learner trial 13 (ND13): a handler that read
    LAMBDA_TASK_ROOT at Init failed in the check's environments. Role credentials are not
    set: the check's runs use the notebook's own."""
    from ..runtime.environment import BOOTSTRAP

    runtime = config.get("Runtime") or ""
    return {
        "LAMBDA_TASK_ROOT": str(task_root),
        "LAMBDA_RUNTIME_DIR": str(BOOTSTRAP.parent),
        "_HANDLER": config["Handler"],
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{runtime}",
        "AWS_LAMBDA_FUNCTION_NAME": config["FunctionName"],
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(config.get("MemorySize") or 128),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": _log_group(config),
        "AWS_LAMBDA_LOG_STREAM_NAME": _LOG_STREAM,
        "AWS_REGION": kit().region,
        "TZ": ":UTC",
    }


def _opt(function: str, root: Path) -> Path | None:
    """The function's layers unzipped into one folder under `root` that plays /opt, as the
    kit's runtime lays them (runtime/layers.py: in order, a later layer's file replacing an
    earlier one's); None when it has none. Learner trial 13 (ND12): a handler importing its
    helpers from a layer failed in the check's environments."""
    from moto.awslambda.models import lambda_backends

    from ..runtime import layers

    aws = kit()
    fn = lambda_backends[aws.account_id][aws.region].get_function(function)
    return layers.LayerStore(root).opt(layers.attached(fn))


# Run in the Python of the function's Runtime: each file it is given, with its f-strings
# written as calls of `format` (the same calls an f-string makes, the same conversions), and
# None for a file that Python refuses too. An f-string that reuses its quotes (PEP 701,
# Python 3.12+) becomes code the kit's own Python reads.
_REWRITE = r"""
import ast, json, sys

CONVERSIONS = {115: "str", 114: "repr", 97: "ascii"}


class Calls(ast.NodeTransformer):
    def visit_JoinedStr(self, node):
        self.generic_visit(node)
        parts = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                inner = value.value
                if value.conversion in CONVERSIONS:
                    call = ast.Name(CONVERSIONS[value.conversion], ast.Load())
                    inner = ast.Call(call, [inner], [])
                spec = value.format_spec if value.format_spec is not None else ast.Constant("")
                parts.append(ast.Call(ast.Name("format", ast.Load()), [inner, spec], []))
            else:
                parts.append(value)
        joined = ast.Attribute(ast.Constant(""), "join", ast.Load())
        return ast.Call(joined, [ast.Tuple(parts, ast.Load())], [])


answers = {}
for path, source in json.load(sys.stdin).items():
    try:
        tree = Calls().visit(ast.parse(source, path))
    except (SyntaxError, ValueError):
        answers[path] = None
        continue
    answers[path] = ast.unparse(ast.fix_missing_locations(tree))
json.dump(answers, sys.stdout)
"""


def _readable_here(folders: list[Path], runtime: str) -> None:
    """Makes the Python files in `folders` readable by the kit's own Python when they are
    written for the function's newer one. Learner trial 13 (ND5): a handler with an f-string
    that reuses its quotes (PEP 701) runs on python3.12 and later, and the check's
    environments, which run in the kit's own Python, called it a syntax error.

    A file the kit's Python refuses is compiled by the Python the function's Runtime names
    (the one the kit's runtime runs it on, runtime/interpreters.py); if that Python reads it,
    its f-strings are rewritten as the calls they make. A file that Python refuses too is left
    as it is (AWS refuses it: the import fails, as on AWS)."""
    import json
    import subprocess

    from ..runtime import interpreters

    wanted = interpreters.wanted_version(runtime)
    if wanted is None or wanted <= interpreters.KIT_VERSION:
        return
    refused: dict[str, str] = {}
    for folder in folders:
        for path in folder.rglob("*.py") if folder.is_dir() else ():
            try:
                source = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            try:
                compile(source, str(path), "exec", dont_inherit=True)
            except SyntaxError:
                refused[str(path)] = source
            except ValueError:  # a NUL byte: refused everywhere
                continue
    if not refused:
        return
    python = interpreters.find(wanted)
    if python is None:
        return  # the kit's runtime runs it on the kit's Python too, and fails as here
    answer = subprocess.run(
        [python.executable, "-S", "-I", "-c", _REWRITE],
        input=json.dumps(refused), capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    for path, source in json.loads(answer.stdout).items():
        if source is None:
            continue  # refused by the function's own Python too
        try:
            compile(source, path, "exec", dont_inherit=True)
        except SyntaxError as exc:
            # Syntax newer than the kit's Python beyond f-strings (a `type` statement, say):
            # the in-process environments can't run it. Not the learner's mistake.
            raise RuntimeError(
                f"the check runs `{Path(path).name}` in the kit's own Python "
                f"{'.'.join(map(str, interpreters.KIT_VERSION))}, which can't read what "
                f"{runtime} reads in it: {exc.msg} (line {exc.lineno}). Run the kit on "
                f"Python {'.'.join(map(str, wanted))} or later to check this answer"
            ) from None
        target = Path(path)
        target.unlink()  # a layer's files are read-only, as /opt is
        target.write_text(source, encoding="utf-8")


def _forget(folder: str, held: dict[str, ModuleType | None]) -> None:
    """Takes every module loaded from `folder` out of sys.modules (a package without an
    `__init__.py` by its `__path__`), and puts back what held those names before."""
    for added, module in list(sys.modules.items()):
        where = [str(getattr(module, "__file__", "") or "")]
        where += [str(p) for p in (getattr(module, "__path__", None) or [])]
        if any(w.startswith(folder) for w in where if w):
            del sys.modules[added]
    for name, module in held.items():
        if module is not None:
            sys.modules[name] = module
        else:
            sys.modules.pop(name, None)


@contextlib.contextmanager
def loaded_handlers(
    function: str, copies: int, *, own_name: bool = False
) -> Iterator[list[Callable[..., Any]]]:
    """`copies` handlers of the deployed code, each in a module of its own, as separate
    execution environments hold them: nothing in memory is shared between them.

    Each is loaded as Lambda's Python runtime loads it: the module the Handler names imported
    by name (`src/app.handler` is `src.app`; a package's `__init__.py` serves too), the
    function's code, then its layers' Python folders on `sys.path`, Lambda's reserved variables
    and the function's own set (learner trial 13, ND12-ND14), code written for the function's
    newer Python read (ND5).

    With `own_name`, every copy is named as the Handler names it (`app`), as in each execution
    environment on AWS, so that code deriving a key from `__name__` or `__module__` (as
    Powertools' idempotency records do) gives the same key in every copy; otherwise each
    copy's module is named `_check_<n>_<module>` (a file of the code's top folder only)."""
    code, handler, variables = deployed_package(function)
    config = function_config(function)
    module_path, _, name = handler.rpartition(".")
    module_name = module_path.replace("/", ".")
    with tempfile.TemporaryDirectory() as folder:
        task_root = Path(folder, "task")
        with zipfile.ZipFile(io.BytesIO(code)) as archive:
            archive.extractall(task_root)
        from ..runtime import layers

        opt = _opt(function, Path(folder, "layers"))
        runtime = config.get("Runtime") or ""
        paths = [str(task_root), *layers.python_paths(opt, runtime)]
        _readable_here([Path(p) for p in paths], runtime)
        environment = {**_reserved_variables(config, task_root)}
        environment.update(layers.environment(opt, {**os.environ, **environment}, variables))
        environment.update(variables)
        with _environment(environment):
            sys.path[:0] = paths
            try:
                handlers = [
                    _load(function, handler, module_name, name, task_root, folder, copy, own_name)
                    for copy in range(copies)
                ]
                yield handlers
            finally:
                for path in paths:
                    sys.path.remove(path)
                _forget(folder, {})


def _load(
    function: str,
    handler: str,
    module_name: str,
    name: str,
    task_root: Path,
    folder: str,
    copy: int,
    own_name: bool,
) -> Callable[..., Any]:
    """One copy of the handler, its modules taken out of sys.modules afterwards (the next copy
    imports its own); whatever held their names before comes back."""
    top = module_name.split(".")[0]
    held = {
        key: module
        for key, module in sys.modules.items()
        if key == top or key.startswith(f"{top}.")
    }
    for key in held:
        del sys.modules[key]
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            if own_name:
                # As Lambda's runtime does: importlib.import_module(modname.replace("/", "."))
                # (aws-lambda-python-runtime-interface-client, awslambdaric/bootstrap.py).
                module = importlib.import_module(module_name)
            else:
                module = _load_file(function, handler, module_name, task_root, copy)
    except ModuleNotFoundError as exc:
        if exc.name == module_name or module_name.startswith(f"{exc.name}."):
            raise Incorrect(
                f"the package of `{function}` has no module `{module_name}` (Handler "
                f"`{handler}`): a file `{module_name.replace('.', '/')}.py`."
            ) from None
        raise _init_failed(function, exc) from None
    except Exception as exc:  # the learner's module-level code failed
        raise _init_failed(function, exc) from None
    finally:
        _forget(folder, held)
    return getattr(module, name)


def _init_failed(function: str, exc: Exception) -> Incorrect:
    return Incorrect(
        f"the check loads the deployed code of `{function}` to run it as an execution "
        f"environment would, and its module-level code failed: {type(exc).__name__}: {exc}."
    )


def _load_file(
    function: str, handler: str, module_name: str, task_root: Path, copy: int
) -> ModuleType:
    """The handler's module loaded from its file under the name `_check_<copy>_<module>`;
    while it runs, the copy is the module of that name (dataclasses and pickle look it up)."""
    source = Path(task_root, *module_name.split(".")).with_suffix(".py")
    if not source.exists():
        raise Incorrect(
            f"the package of `{function}` has no `{source.name}` (Handler `{handler}`)."
        )
    own = f"_check_{copy}_{module_name}"
    spec = importlib.util.spec_from_file_location(own, source)
    module: ModuleType = importlib.util.module_from_spec(spec)
    held = sys.modules.get(own)
    sys.modules[own] = module
    try:
        spec.loader.exec_module(module)
    finally:
        if held is None:
            sys.modules.pop(own, None)
        else:
            sys.modules[own] = held
    return module
