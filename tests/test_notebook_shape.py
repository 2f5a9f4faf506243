"""Every notebook has the course's shape, and the README's course table matches the notebooks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import exercises

ROOT = Path(__file__).parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
# The headings every notebook has, in this order (Set-up may be absent in the tour only).
SHAPE = [
    "## What you'll learn",
    "## Prerequisites",
    "## Time",
    "## Exercises",
    "## Key points",
    "## Next",
]


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _headings(path: Path) -> list[str]:
    return [
        line.strip()
        for cell in _cells(path)
        if cell["cell_type"] == "markdown"
        for line in _source(cell).splitlines()
        if line.startswith("#")
    ]


def _minutes(path: Path) -> int:
    """The notebook's own time, from the paragraph under `## Time`."""
    for cell in _cells(path):
        text = _source(cell)
        if cell["cell_type"] == "markdown" and text.startswith("## Time"):
            found = re.search(r"About (\d+) minutes", text)
            assert found, f"{path.name}: '## Time' must say 'About N minutes'"
            return int(found.group(1))
    raise AssertionError(f"{path.name} has no '## Time' section")


def _number(path: Path) -> str:
    """A notebook's number: "07", or "07a" for the first part of a notebook in parts."""
    return path.name.split("_")[0]


def test_the_course_has_its_notebooks_in_order():
    numbers = [_number(path) for path in NOTEBOOKS]
    expected: list[str] = []
    for n in range(len({number[:2] for number in numbers})):
        parts = sorted(number for number in numbers if number[:2] == f"{n:02d}")
        # One notebook, or parts lettered a, b, ... with no gap.
        expected += (
            [f"{n:02d}"]
            if parts == [f"{n:02d}"]
            else [f"{n:02d}{chr(97 + i)}" for i in range(len(parts))]
        )
    assert numbers == expected, numbers
    assert len(numbers) >= 8


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_follows_the_course_shape(path):
    headings = _headings(path)
    assert headings[0].startswith(f"# {_number(path)} · "), headings[0]
    positions = [headings.index(h) if h in headings else -1 for h in SHAPE]
    missing = [h for h, at in zip(SHAPE, positions, strict=True) if at < 0]
    assert not missing, f"{path.name} lacks {missing}"
    assert positions == sorted(positions), f"{path.name}: headings out of order"
    if _number(path) != "00":
        assert "## Set-up" in headings, f"{path.name} lacks '## Set-up'"
    _minutes(path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_exercise_of_a_notebook_is_checked_in_it(path):
    number = _number(path)
    code = "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "code")
    assert f"notebook_{number}" in code, f"{path.name} never loads its exercises"
    questions = vars(exercises.ALL[number])
    assert questions, f"helpers.exercises has no exercise for notebook {number}"
    for name in questions:
        assert re.search(rf"\b{name}\.check\(", code), f"{path.name} never runs {name}.check()"


def test_the_readme_course_table_lists_each_notebook_with_its_time():
    readme = (ROOT / "README.md").read_text()
    for path in NOTEBOOKS:
        link = rf"\[[^\]]+\]\(notebooks/{re.escape(path.name)}\)"
        row = re.search(rf"^\| {_number(path)} \| {link} \| (\d+) min \|", readme, re.M)
        assert row, f"README's course table has no row for {path.name}"
        assert int(row.group(1)) == _minutes(path), f"{path.name}: README and notebook disagree"


def _outputs_text(cell: dict) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        data = output.get("data", {})
        parts.append("".join(data.get("text/markdown", "")) or "".join(data.get("text/plain", "")))
    return "".join(parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_exercises_are_committed_unsolved(path):
    """A learner reading the notebook sees the task and an empty answer, not the solution."""
    cells = _cells(path)
    start = next(i for i, c in enumerate(cells) if _source(c).startswith("## Exercises"))
    checks = [
        cell
        for cell in cells[start:]
        if cell["cell_type"] == "code" and re.search(r"\bq\d+\.check\(", _source(cell))
    ]
    assert checks, f"{path.name}: no `qN.check()` cell after '## Exercises'"
    for cell in checks:
        shown = _outputs_text(cell).lstrip(" '\"[")
        assert shown.startswith("❌ Not yet"), (
            f"{path.name}: `{_source(cell).strip()}` is committed with {shown[:60]!r}; commit "
            "the answer cell as a skeleton, so its check says what is still missing"
        )


# Where a path of the machine that ran a notebook would show: its checkout, a home folder, a
# temporary folder, a virtual environment. (AWS's own paths, /var/task and /opt, are fine.)
MACHINE_PATHS = re.compile(
    rf"{re.escape(str(ROOT))}|/home/|/Users/|/root/|/private/var/|/tmp/|\.venv/|[A-Z]:\\\\"
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_outputs_hold_no_machine_path_and_no_unexpected_error(path):
    for index, cell in enumerate(_cells(path)):
        if cell["cell_type"] != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                assert "raises-exception" in tags, f"{path.name} cell {index}: an error output"
            text = json.dumps({k: v for k, v in output.get("data", {}).items() if "image" not in k})
            text += "".join(output.get("text", "")) + "".join(output.get("traceback", []))
            found = MACHINE_PATHS.search(text)
            assert not found, f"{path.name} cell {index} shows a machine path: {found.group()!r}"
