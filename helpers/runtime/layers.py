"""Lambda layers: what a function version's `Layers` name, checked as AWS checks them, and run.

On AWS, a function's layers are unzipped into /opt, in the order the function lists them (a
later layer's file replaces an earlier one's), and Python finds `/opt/python/lib/python3.x/
site-packages` and `/opt/python` right after the function's own code. The kit cannot create /opt
(that needs root), so each distinct list of layers gets one merged folder of its own, which plays
/opt: its Python folders are on the handler's `sys.path`, its `bin` on `PATH`, and its path is in
the environment variable `KIT_OPT_DIR`. A handler that opens `/opt/...` literally will not find
the file here; `os.environ.get("KIT_OPT_DIR", "/opt")` works both here and on AWS.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import stat
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..limits import InvalidParameterValue, ValidationException, value

__all__ = [
    "AttachedLayer",
    "LayerStore",
    "attached",
    "check_size",
    "environment",
    "python_paths",
    "resolve",
]

# The environment variable that holds the folder playing /opt (a kit name: unset on AWS).
OPT_VARIABLE = "KIT_OPT_DIR"
# AWS's pattern for an entry of `Layers` (CreateFunction and UpdateFunctionConfiguration), as its
# error message quotes it; matched with "-" meant literally (in "9-_" it would make a range).
LAYER_ARN_PATTERN = (
    r"(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)"
    r"|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)"
)
LAYER_ARN = re.compile(LAYER_ARN_PATTERN.replace("0-9-_", "0-9_-"))


@dataclass(frozen=True)
class AttachedLayer:
    """One layer version a function uses: its ARN, content hash and unzipped size."""

    arn: str
    digest: str
    unzipped_bytes: int
    # moto's LayerVersion. Held so that a function keeps running after its layer version is
    # deleted, as on AWS ("functions that already use it continue to have access to it").
    version: Any = field(compare=False, repr=False)

    def __deepcopy__(self, memo: dict) -> AttachedLayer:
        # moto deep-copies functions (list_functions, Publish=True): share the content instead.
        return self

    @property
    def zip_bytes(self) -> bytes:
        return self.version.code_bytes


def unzipped_size(data: bytes) -> int | None:
    """The size of a ZIP's files once unzipped, as AWS counts it (None if it isn't a ZIP)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        return None


def resolve(arns: Sequence[str]) -> tuple[AttachedLayer, ...]:
    """The layer versions a CreateFunction or UpdateFunctionConfiguration names, in order.

    Raises AWS's errors: ValidationException for an entry that isn't a layer version ARN,
    InvalidParameterValueException for a version that does not exist.
    """
    from moto.awslambda.models import lambda_backends

    bad = [arn for arn in arns if not isinstance(arn, str) or not LAYER_ARN.fullmatch(arn)]
    if bad:
        raise ValidationException(
            "layers",
            "[" + ", ".join(map(str, arns)) + "]",
            "Member must satisfy constraint: [Member must have length less than or equal to "
            "140, Member must have length greater than or equal to 1, Member must satisfy "
            f"regular expression pattern: {LAYER_ARN_PATTERN}]",
        )
    found = []
    for arn in arns:
        region, account = arn.split(":")[3:5]
        version = None
        if region and account:  # AWS's own layers (arn:aws:lambda:::awslayer:...) aren't here
            # The layer lives in the Region and account its ARN names (moto looked only in the
            # function's own, by name).
            version = lambda_backends[account][region].layers_versions_by_arn(arn)
        if version is None or not version.code_bytes:
            raise InvalidParameterValue(f"Layer version {arn} does not exist.")
        found.append(
            AttachedLayer(
                arn=version.arn,
                digest=version.code_digest,
                unzipped_bytes=unzipped_size(version.code_bytes) or 0,
                version=version,
            )
        )
    return tuple(found)


def attached(fn: Any) -> tuple[AttachedLayer, ...]:
    """The layers of one function version, as resolved when its Layers were last set."""
    kept = getattr(fn, "kit_layers", None)
    if kept is not None:
        return kept
    arns = [layer["Arn"] for layer in getattr(fn, "layers", None) or []]
    return resolve(arns) if arns else ()


def check_size(code: bytes | None, layers: Sequence[AttachedLayer], operation: str) -> None:
    """AWS's check of a function's code and its layers together: 250 MB unzipped.

    AWS words it three ways: the layers alone are too big; the code is too big for the room
    the layers leave (CreateFunction, UpdateFunctionCode); the layers just set make the whole
    too big (UpdateFunctionConfiguration).
    """
    limit = value("zip_unzipped_bytes_max")
    in_layers = sum(layer.unzipped_bytes for layer in layers)
    if in_layers > limit:
        raise InvalidParameterValue(f"Layers consume more than the available size of {limit} bytes")
    in_code = unzipped_size(code) if code else None
    if not layers or in_code is None or in_code + in_layers <= limit:
        return
    if operation == "UpdateFunctionConfiguration":
        raise InvalidParameterValue(
            f"Function code combined with layers exceeds the maximum allowed size of {limit} "
            f"bytes. The actual size is {in_code + in_layers} bytes."
        )
    raise InvalidParameterValue(f"Unzipped size must be smaller than {limit - in_layers} bytes")


def python_paths(opt: Path | None, runtime: str) -> list[str]:
    """Where Python looks in /opt, in AWS's order: the runtime's site-packages, then python/."""
    if opt is None:
        return []
    # The folder is named for the function's runtime (python3.12 ...), as AWS names it: a layer
    # built for the runtime is found whatever Python runs the kit.
    version = runtime if runtime.startswith("python") else "python3"
    return [str(opt / "python" / "lib" / version / "site-packages"), str(opt / "python")]


def environment(opt: Path | None, current: dict[str, str], own: dict[str, str]) -> dict[str, str]:
    """The variables the layers change: /opt/bin on PATH, /opt/lib for libraries, KIT_OPT_DIR.

    Variables the function sets itself (`own`) are left as it set them.
    """
    if opt is None:
        return {}
    task_root = current.get("LAMBDA_TASK_ROOT", "")
    changes = {
        "PATH": f"{current.get('PATH', '')}{os.pathsep}{opt / 'bin'}",
        # AWS's list ends with /opt/lib; it reaches the programs a handler starts.
        "LD_LIBRARY_PATH": os.pathsep.join([task_root, f"{task_root}/lib", str(opt / "lib")]),
        OPT_VARIABLE: str(opt),
    }
    return {name: text for name, text in changes.items() if name not in own}


class LayerStore:
    """Unzipped layers, each once per content hash, and their merges (one folder per list)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()

    def opt(self, layers: Sequence[AttachedLayer]) -> Path | None:
        """The folder playing /opt for this list of layers (None when there are none)."""
        if not layers:
            return None
        key = hashlib.sha256("\n".join(layer.digest for layer in layers).encode()).hexdigest()
        target = self.root / "opt" / key
        with self._lock:
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                if len(layers) == 1:  # one layer is its own /opt: nothing to merge
                    target.symlink_to(self._unzipped(layers[0]), target_is_directory=True)
                    return target
                partial = target.with_name(target.name + ".partial")
                shutil.rmtree(partial, ignore_errors=True)
                partial.mkdir()
                for layer in layers:  # in order: a later layer's file replaces an earlier one's
                    _merge(self._unzipped(layer), partial)
                partial.rename(target)
        return target

    def _unzipped(self, layer: AttachedLayer) -> Path:
        target = self.root / "layers" / layer.digest
        if not target.exists():
            partial = target.with_name(target.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(parents=True)
            _extract(layer.zip_bytes, partial)
            partial.rename(target)
        return target


def _extract(data: bytes, into: Path) -> None:
    """Unzip, keeping the files' permission bits (a layer's bin/ tools must stay executable).

    Files are made read-only, as /opt is on AWS: the merges share them (hard links).
    """
    folders: set[Path] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            parts = [part for part in info.filename.split("/") if part not in ("", ".", "..")]
            if not parts:
                continue
            path = into.joinpath(*parts)
            if info.is_dir():
                path.mkdir(parents=True, exist_ok=True)
                continue
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            mode = ((info.external_attr >> 16) & 0o777 or 0o644) | stat.S_IRUSR
            if path.exists():  # a name twice in one ZIP: the later entry wins, as with unzip
                path.unlink()
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode & ~0o222)
            with os.fdopen(descriptor, "wb") as out:
                out.write(archive.read(info))


def _merge(source: Path, into: Path) -> None:
    """Lay `source` over `into`: hard links where possible, a later file replacing an earlier."""
    for folder, _, files in os.walk(source):
        destination = into / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in files:
            target = destination / name
            if target.exists() or target.is_symlink():
                target.unlink()
            try:
                os.link(Path(folder) / name, target)
            except OSError:
                shutil.copy2(Path(folder) / name, target)
