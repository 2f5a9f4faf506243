"""Deployment packages: the ZIP bytes that `create_function(Code={"ZipFile": ...})` takes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def zip_bytes(files: dict[str, str | bytes]) -> bytes:
    """A ZIP archive in memory holding `files` ({path inside the ZIP: content})."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
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
