"""/tmp (EphemeralStorage): how much an environment's /tmp holds, counted as AWS counts it.

On AWS, /tmp is a volume of the function's EphemeralStorage size, and a write past it fails with
`OSError: [Errno 28] No space left on device`. The kit's /tmp is a folder on the learner's own disk,
which cannot be made that small without administrator rights. So the kit does not stop the write:
after each invoke it measures the folder, and when it holds more than the function's
EphemeralStorage it says so in the function's log, as it does for an import AWS would refuse.
"""

from __future__ import annotations

import os
import time
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


# What an environment's /tmp held when last measured, by folder: each directory's mtime and each
# file. A warm invoke's measure then stats what is known instead of listing every directory
# again (0.15 ms of every invoke: the kit's own paths are mount points inside it). A directory
# gains or loses an entry only by changing its mtime; a file that grew is seen by its own stat.
_SNAPSHOTS: dict[str, _Snapshot] = {}
# A directory changed this recently may change again within its timestamp's granularity
# unseen (a coarse clock tick; whole seconds on some file systems): it is listed again next time.
_RACY_NS = 50_000_000
_RACY_COARSE_NS = 2_000_000_000
_KEPT_FILES_MAX = 10_000  # more files than this: listed every time, as before, not remembered


class _Snapshot:
    def __init__(self, dirs: dict[str, int], files: list[str], taken_ns: int) -> None:
        self.dirs = dirs  # path: st_mtime_ns, as stat said before the directory was listed
        self.files = files
        coarse = all(mtime % 1_000_000_000 == 0 for mtime in dirs.values())
        margin = _RACY_COARSE_NS if coarse else _RACY_NS
        self.trusted = all(mtime < taken_ns - margin for mtime in dirs.values())

    def recount(self) -> int | None:
        """The bytes used now, if no directory changed since (else None: list it again)."""
        if not self.trusted:
            return None
        for path, mtime in self.dirs.items():
            try:
                if os.stat(path, follow_symlinks=False).st_mtime_ns != mtime:
                    return None
            except OSError:
                return None
        total = 0
        for path in self.files:
            try:
                stat = os.stat(path, follow_symlinks=False)
            except OSError:
                return None
            blocks = getattr(stat, "st_blocks", None)
            total += stat.st_size if blocks is None else blocks * 512
        return total


def _listed(folder: Path) -> tuple[int, _Snapshot | None]:
    """`used_bytes`, and what it saw (None when the folder is gone or holds too many files)."""
    taken_ns = time.time_ns()
    try:
        dirs = {str(folder): os.stat(folder, follow_symlinks=False).st_mtime_ns}
    except OSError:
        return 0, None
    files: list[str] = []
    total = 0
    pending = [str(folder)]
    complete = True
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            complete = False
            continue
        for entry in entries:
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                complete = False
                continue
            if entry.is_dir(follow_symlinks=False):
                dirs[entry.path] = stat.st_mtime_ns  # before it is listed
                pending.append(entry.path)
                continue
            files.append(entry.path)
            blocks = getattr(stat, "st_blocks", None)  # not on Windows
            total += stat.st_size if blocks is None else blocks * 512
    if not complete or len(files) > _KEPT_FILES_MAX:
        return total, None
    return total, _Snapshot(dirs, files, taken_ns)


def used_now(folder: Path) -> int:
    """`used_bytes` of an environment's /tmp, from what it held last time when nothing changed."""
    key = str(folder)
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is not None:
        total = snapshot.recount()
        if total is not None:
            return total
    total, snapshot = _listed(folder)
    if snapshot is None:
        _SNAPSHOTS.pop(key, None)
    else:
        _SNAPSHOTS[key] = snapshot
    return total


def forget(folder: Path | None) -> None:
    """The environment of this /tmp has ended."""
    if folder is not None:
        _SNAPSHOTS.pop(str(folder), None)


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
        used, limit_mb = used_now(folder), size_mb(fn)
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
