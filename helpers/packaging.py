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
