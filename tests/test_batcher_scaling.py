"""12a q2: a batcher that runs items at once gets batches big enough to make it stop, up to a
limit; past it, a cross that says why (learner trial 7, H D8)."""

from __future__ import annotations

import pytest

from helpers.exercises import nb12a_best_practices as nb12a
from helpers.exercises.core import Incorrect


def test_a_batcher_running_items_at_once_gets_bigger_batches(monkeypatch):
    scales: list[int] = []

    def follow(function, who, timeout_s, min_work_ms, scale=1):
        scales.append(scale)
        if scale == 1:  # 80 items, 1.6 s of work, in 400 ms: four at a time
            raise nb12a._Overlapped(80, 1600, 400.0)
        return 7

    monkeypatch.setattr(nb12a, "_follow", follow)
    assert nb12a._follow_scaled("batcher", "`batcher`", 1, 15, scale=1) == (7, 6)
    assert scales == [1, 6]  # 4 at once, with half as much again to spare


def test_a_batcher_no_batch_can_stop_gets_a_cross_saying_why(monkeypatch):
    def follow(function, who, timeout_s, min_work_ms, scale=1):
        raise nb12a._Overlapped(80, 1600, 30.0)  # about 53 at once

    monkeypatch.setattr(nb12a, "_follow", follow)
    with pytest.raises(Incorrect) as crossed:
        nb12a._follow_scaled("batcher", "`batcher`", 1, 15, scale=1)
    said = str(crossed.value)
    assert "about 53 items at once" in said and "would make it stop" in said
    assert "a small pool of a fixed size" in said
