"""Deployment packages: the ZIP bytes that `create_function(Code={"ZipFile": ...})` takes."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

# Big archives made again from the same files (a layer of Pillow, built in every attempt at an
# exercise): compressing megabytes takes about half a second, hashing them a few milliseconds.
_BIG_BYTES = 1 << 20
_made: dict[bytes, bytes] = {}


def zip_bytes(files: dict[str, str | bytes]) -> bytes:
    """A ZIP archive in memory holding `files` ({path inside the ZIP: content})."""
    if sum(len(content) for content in files.values()) < _BIG_BYTES:
        return _zipped(files)
    digest = hashlib.blake2b(digest_size=32)
    for name, content in files.items():
        data = content.encode() if isinstance(content, str) else content
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    key = digest.digest()
    if key not in _made:
        if len(_made) >= 8:
            _made.pop(next(iter(_made)))
        _made[key] = _zipped(files)
    return _made[key]


def _zipped(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            # A fixed date: the same files give the same bytes, so the same CodeSha256.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def zip_folder(folder: str | Path) -> bytes:
    """A ZIP archive of everything under `folder`, paths relative to it (like `zip -r`)."""
    root = Path(folder)
    return zip_bytes(
        {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts
        }
    )


# What the Lambda Python runtime already has: `pip install --target` would copy them again, and
# AWS's own layers leave them out (your package may still bring its own boto3 on purpose).
RUNTIME_PROVIDED = frozenset(
    {"boto3", "botocore", "s3transfer", "jmespath", "urllib3", "python-dateutil", "six"}
)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _with_dependencies(names: Iterable[str], skip: frozenset[str]) -> list[metadata.Distribution]:
    """The installed distributions named, and what they require (extras not taken), in order."""
    found: dict[str, metadata.Distribution] = {}
    pending = [Requirement(name) for name in names]
    while pending:
        requirement = pending.pop(0)
        key = _canonical(requirement.name)
        if key in found or key in skip:
            continue
        try:
            distribution = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            raise ValueError(
                f"{requirement.name!r} is not installed in the kit's Python, so the kit cannot "
                f"package it (it builds ZIPs offline from what is installed). On your machine "
                f"with network: pip install --target package/ {requirement.name}"
            ) from None
        found[key] = distribution
        for line in distribution.requires or []:
            needed = Requirement(line)
            if needed.marker is None or needed.marker.evaluate({"extra": ""}):
                pending.append(needed)
    return list(found.values())


_INSTALLER_MARKS = frozenset({"REQUESTED", "direct_url.json"})


def site_packages_zip(
    *names: str, prefix: str = "", include_runtime_provided: bool = False
) -> dict[str, bytes]:
    """The files `pip install --target` would give for these packages, built offline.

    Returns {path inside the ZIP: bytes}, ready for `zip_bytes` next to your handler
    (`prefix=""`) or as a layer (`prefix="python/"`). Dependencies come along; the ones the Lambda
    runtime already has (boto3, botocore, ...) are left out unless `include_runtime_provided`.
    """
    skip = frozenset() if include_runtime_provided else RUNTIME_PROVIDED
    files: dict[str, bytes] = {}
    for distribution in _with_dependencies(names, skip):
        for entry in distribution.files or []:
            path = Path(str(distribution.locate_file(entry)))
            relative = entry.as_posix()
            # Console scripts land outside site-packages (../../bin/...): not part of the package.
            if relative.startswith("..") or "__pycache__" in entry.parts or not path.is_file():
                continue
            # How this machine's pip was asked (REQUESTED, direct_url.json) is not the package's:
            # leave it out, so the same packages give the same ZIP on every machine.
            if entry.parent.name.endswith(".dist-info") and entry.name in _INSTALLER_MARKS:
                continue
            files[f"{prefix}{relative}"] = path.read_bytes()
    return files
