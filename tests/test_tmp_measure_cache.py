"""An environment's /tmp is measured after every invoke from what it held last time when no
directory changed (issue 13: listing it cost 0.15 ms of every warm invoke): a file that grows,
appears or goes is still counted at once."""

from __future__ import annotations

import os
import time

from helpers.limits import value
from helpers.runtime import ephemeral
from tests.conftest import call, log_messages
from tests.test_ephemeral import WRITER


def _age(*folders) -> None:
    """Directories last changed an hour ago: a snapshot of them is trusted."""
    old = time.time() - 3600
    for folder in folders:
        os.utime(folder, (old, old))


def test_a_snapshot_sees_growth_new_files_and_removals(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    (tmp_path / "a").write_bytes(b"x" * 10_000)
    _age(tmp_path, sub)
    assert ephemeral.used_now(tmp_path) == ephemeral.used_bytes(tmp_path)
    assert ephemeral._SNAPSHOTS[str(tmp_path)].trusted
    # Grown in place: no directory changed, the file's own stat says so.
    with open(tmp_path / "a", "ab") as f:
        f.write(b"y" * 300_000)
    assert ephemeral.used_now(tmp_path) == ephemeral.used_bytes(tmp_path) > 300_000
    # A new file in a subfolder, then that file removed.
    (sub / "b").write_bytes(b"z" * 200_000)
    assert ephemeral.used_now(tmp_path) == ephemeral.used_bytes(tmp_path) > 500_000
    _age(tmp_path, sub)
    ephemeral.used_now(tmp_path)
    (sub / "b").unlink()
    assert ephemeral.used_now(tmp_path) == ephemeral.used_bytes(tmp_path) < 500_000
    ephemeral.forget(tmp_path)
    assert str(tmp_path) not in ephemeral._SNAPSHOTS


def test_a_directory_changed_just_now_is_listed_again(tmp_path):
    (tmp_path / "a").write_bytes(b"x")
    ephemeral.used_now(tmp_path)
    assert not ephemeral._SNAPSHOTS[str(tmp_path)].trusted  # changed within the racy margin
    ephemeral.forget(tmp_path)


def test_a_file_grown_past_ephemeral_storage_in_a_warm_environment_is_named(deploy, lam, logs):
    smallest = value("ephemeral_storage_mb_min")
    deploy("grows", WRITER, Timeout=60)
    call(lam, "grows", {"mb": 1})  # the file is made: its folder changes
    time.sleep(0.2)  # past the racy margin: the next measure is from a trusted snapshot
    call(lam, "grows", {"mb": 1})
    call(lam, "grows", {"mb": 1})
    assert not [m for m in log_messages(logs, "grows") if "EphemeralStorage" in m]
    # The same file rewritten larger: no directory changes, the file's stat does.
    call(lam, "grows", {"mb": smallest + 8})
    notes = [m for m in log_messages(logs, "grows") if "EphemeralStorage" in m]
    assert len(notes) == 1 and f"/tmp holds {smallest + 8} MB" in notes[0]
    call(lam, "grows", {"delete": True})
