"""/tmp over EphemeralStorage is measured after each invoke and named in the function's log."""

from __future__ import annotations

import os

from helpers.limits import value
from helpers.runtime import ephemeral
from tests.conftest import call, log_messages

# Writes `mb` MB into the environment's /tmp (tempfile's folder, as on AWS), or deletes the file.
WRITER = """
import os
import tempfile

PATH = os.path.join(tempfile.gettempdir(), "scratch.bin")


def handler(event, context):
    if event.get("delete"):
        os.remove(PATH)
        return 0
    block = bytes(2**20)
    with open(PATH, "wb") as f:
        for _ in range(event["mb"]):
            f.write(block)
    return os.path.getsize(PATH)
"""


def _notes(logs, name: str) -> list[str]:
    return [m for m in log_messages(logs, name) if "EphemeralStorage" in m]


def test_writing_past_ephemeral_storage_is_named_in_the_log(deploy, lam, logs):
    smallest = value("ephemeral_storage_mb_min")
    deploy("scratch", WRITER, Timeout=30)
    response, size = call(lam, "scratch", {"mb": smallest + 8})
    assert "FunctionError" not in response  # the kit's disk is not a volume of that size
    assert size == (smallest + 8) * 2**20
    [note] = _notes(logs, "scratch")
    assert f"/tmp holds {smallest + 8} MB" in note
    assert f"EphemeralStorage ({smallest} MB)" in note
    assert "No space left on device" in note
    # The file stays in the warm environment, as on AWS; once deleted, /tmp is within its size.
    call(lam, "scratch", {"delete": True})
    call(lam, "scratch", {"mb": 1})
    assert len(_notes(logs, "scratch")) == 1


def test_within_ephemeral_storage_there_is_no_note(deploy, lam, logs):
    deploy("roomy", WRITER, EphemeralStorage={"Size": 2 * value("ephemeral_storage_mb_min")})
    call(lam, "roomy", {"mb": 4})
    assert log_messages(logs, "roomy")  # it ran and logged
    assert _notes(logs, "roomy") == []


def test_used_bytes_counts_allocated_blocks(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "data.bin").write_bytes(os.urandom(3 * 2**20))
    with open(tmp_path / "sparse.bin", "wb") as sparse:
        sparse.truncate(50 * 2**20)  # 50 MB long, no block written
    (tmp_path / "link").symlink_to(tmp_path / "sub" / "data.bin")
    used = ephemeral.used_bytes(tmp_path)
    assert 3 * 2**20 <= used < 4 * 2**20
    assert ephemeral.used_bytes(tmp_path / "missing") == 0
