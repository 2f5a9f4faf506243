"""A kit killed outright leaves its folder; the next kit removes it (helpers/runtime/leftovers)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from helpers.runtime import leftovers


def _kit_folder(base: Path, name: str, owner: int | None, age_s: float = 0) -> Path:
    folder = base / f"{leftovers.PREFIX}{name}"
    (folder / "tmp").mkdir(parents=True)
    if owner is not None:
        (folder / leftovers.OWNER).write_text(str(owner))
    if age_s:
        old = time.time() - age_s
        os.utime(folder, (old, old))
    return folder


def test_only_the_folders_of_kits_that_are_gone_are_removed(tmp_path: Path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead = _kit_folder(tmp_path, "dead", int(gone.stdout))
    alive = _kit_folder(tmp_path, "alive", os.getpid())
    mine = _kit_folder(tmp_path, "mine", os.getpid())
    old_unmarked = _kit_folder(tmp_path, "old", None, age_s=2 * leftovers.OLD_S)
    new_unmarked = _kit_folder(tmp_path, "new", None)
    other = tmp_path / "not-a-kit"
    other.mkdir()

    removed = leftovers.sweep(tmp_path, keep=mine)

    assert sorted(removed) == sorted([dead, old_unmarked])
    assert not dead.exists() and not old_unmarked.exists()
    assert alive.exists() and mine.exists() and new_unmarked.exists() and other.exists()


def test_a_folder_whose_owner_file_is_still_being_written_is_kept(tmp_path: Path):
    # A sweep that read a half-written owner file (empty) removed a live kit's folder.
    being_written = _kit_folder(tmp_path, "starting", None)
    (being_written / leftovers.OWNER).write_text("")
    garbled = _kit_folder(tmp_path, "garbled", None)
    (garbled / leftovers.OWNER).write_text("12ab")
    assert leftovers.sweep(tmp_path, keep=tmp_path / "none") == []
    assert being_written.exists() and garbled.exists()


def test_marking_leaves_no_partial_file(tmp_path: Path):
    leftovers.mark(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [leftovers.OWNER]
    assert (tmp_path / leftovers.OWNER).read_text() == str(os.getpid())


def test_a_kit_marks_its_own_folder(aws):
    owner = aws.runtime.root / leftovers.OWNER
    assert owner.read_text() == str(os.getpid())
