"""/tmp (EphemeralStorage): how much an environment's /tmp holds, counted as AWS counts it.

On AWS, /tmp is a volume of the function's EphemeralStorage size, and a write past it fails with
`OSError: [Errno 28] No space left on device`. The kit's /tmp is a folder on the learner's own disk,
which cannot be made that small without administrator rights. So the kit does not stop the write:
after each invoke it measures the folder, and when it holds more than the function's
EphemeralStorage it says so in the function's log, as it does for an import AWS would refuse.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..limits import value

MB = 2**20


def used_bytes(folder: Path) -> int:
    """Disk space the files under `folder` take: allocated blocks, as a full volume counts them.

    A sparse file takes only the blocks written, on AWS as here; links are not followed.
    """
    total = 0
    pending = [folder]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue  # removed meanwhile, or unreadable: nothing to count
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                    continue
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            blocks = getattr(stat, "st_blocks", None)  # not on Windows
            total += stat.st_size if blocks is None else blocks * 512
    return total


def size_mb(fn: Any) -> int:
    """The function's EphemeralStorage in MB (AWS's default, the smallest, when none is set)."""
    configured = getattr(fn, "ephemeral_storage", None)
    return int(configured) if configured else value("ephemeral_storage_mb_min")


def notes(folder: Path | None, fn: Any) -> list[str]:
    """Log lines for an environment whose /tmp holds more than its EphemeralStorage: [] or one.

    Never raises: a measurement must not break an invocation.
    """
    if folder is None:
        return []
    try:
        used, limit_mb = used_bytes(folder), size_mb(fn)
    except Exception:
        return []
    if used <= limit_mb * MB:
        return []
    return [
        f"[lambda-kit] /tmp holds {used / MB:.0f} MB, more than this function's EphemeralStorage "
        f"({limit_mb} MB). On AWS, the write that went past {limit_mb} MB fails with OSError: "
        "[Errno 28] No space left on device. The kit's /tmp is a folder on your disk, so the "
        "write worked here: raise EphemeralStorage, or delete files you no longer need."
    ]
