"""The course's times are true: each notebook's "Time" and the README's total match what a careful
learner needs by `helpers.pace`'s model, and no notebook is over an hour (the README's table
matching each notebook's "Time" is tests/test_notebook_shape.py's)."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest

from helpers import pace

ROOT = Path(__file__).resolve().parent.parent
COURSE = pace.course()
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("row", COURSE, ids=[row.notebook for row in COURSE])
def test_a_notebook_states_the_time_the_model_gives_and_is_at_most_an_hour(row):
    assert row.stated is not None, f'{row.notebook} has no "## Time" cell saying "About N minutes."'
    assert row.minutes <= pace.LONGEST_MINUTES, (
        f"{row.notebook} needs {row.minutes:.0f} minutes by the model: split or trim it"
    )
    assert abs(row.stated - row.minutes) <= 5, (
        f"{row.notebook} says {row.stated} minutes; the model gives {row.minutes:.0f} "
        f"(say {row.rounded})"
    )


def test_the_readme_total_is_the_sum_of_the_times():
    stated = re.search(r"The whole course is about (\w+) hours", README)
    assert stated, "the README states the course's total time"
    words = {"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15}
    total = sum(row.stated or 0 for row in COURSE) / 60
    assert abs(words.get(stated.group(1), -1) - total) <= 0.5, (stated.group(0), total)


def test_the_model_counts_what_a_learner_does():
    # A wrong count would make every time above wrong: check it on a notebook written for it.
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["## Time\n", "\n", "About 5 minutes."]},
            {"cell_type": "markdown", "source": ["one two three\n```python\nx = 1\n```"]},
            {
                "cell_type": "code",
                "source": ["# read this\n", "\n", "x = 1\n", "q1.check()\n"],
                "outputs": [
                    {"output_type": "stream", "text": ["a\n", "b\n"]},
                    {"output_type": "display_data", "data": {"image/png": "", "text/plain": "F"}},
                ],
            },
            {"cell_type": "code", "source": ["notebook_13a.api.check()"], "outputs": []},
        ]
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "99_probe.ipynb")
        path.write_text(json.dumps(notebook), encoding="utf-8")
        row = pace.measure(path)
    assert (row.words, row.code_lines, row.output_lines, row.figures) == (9, 4, 2, 1)
    assert (row.exercises, row.stage_checks, row.stated) == (1, 1, 5)
