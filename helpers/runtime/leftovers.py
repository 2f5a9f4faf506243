"""The folders of kits that ended without stopping (a killed kernel or test worker), removed.

A kit keeps its functions' code and each environment's /tmp in a folder of its own, and removes it
when it stops (`aws.stop()`, or at exit). A process killed outright leaves its folder behind; the
next kit that starts removes those whose owner is gone, in the background.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import psutil

OWNER = "owner.pid"  # in each kit's folder: the process that made it
PREFIX = "lambda-kit-"
OLD_S = 86_400  # a folder without an owner file (older kits) is left for a day


def mark(root: Path) -> None:
    """Say which process owns this kit's folder."""
    # Written whole or not at all: another kit's sweep that read the file half-written (empty)
    # took the folder for abandoned and removed a live kit's (a catalogue run met it, stop 26).
    partial = root / f".{OWNER}.partial"
    partial.write_text(str(os.getpid()))
    os.replace(partial, root / OWNER)


def _abandoned(folder: Path, now: float) -> bool:
    try:
        if folder.stat().st_uid != os.getuid():
            return False  # another user's: not ours to judge
        owner = folder / OWNER
        text = owner.read_text().strip() if owner.exists() else ""
        if text.isdigit() and int(text) > 0:
            return not psutil.pid_exists(int(text))
        # No owner said (yet, or an older kit's folder): left alone for a day.
        return now - folder.stat().st_mtime > OLD_S
    except (OSError, ValueError):
        return False


def sweep(base: Path, keep: Path) -> list[Path]:
    """Remove the abandoned kit folders in `base` (never `keep`); the ones removed."""
    now = time.time()
    gone = []
    for folder in base.glob(f"{PREFIX}*"):
        if folder != keep and folder.is_dir() and _abandoned(folder, now):
            shutil.rmtree(folder, ignore_errors=True)
            gone.append(folder)
    return gone


def sweep_in_background(base: Path, keep: Path) -> None:
    """`sweep`, in a thread of its own: a kit's start never waits for it."""
    threading.Thread(target=sweep, args=(base, keep), name="kit-leftovers", daemon=True).start()
