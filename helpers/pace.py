"""`python -m helpers.pace`: how long each notebook takes a careful learner, by a stated model.

The model (issue 11) adds up what a careful learner does with a notebook:

- reads its prose at 180 words a minute (words: not link addresses, table rules or list dashes);
- reads each line of code and runs its cell, 15 lines a minute (4 s a line);
- reads its printed output, 40 lines a minute, and looks at each figure for a minute;
- does each exercise (`qN.check()`): reads the task, writes an answer, checks it, maybe asks for a
  hint: 6 minutes;
- runs each build-along stage check of the capstone, whose code is given: 1 minute.

Calibration: on the course as issue 11 found it (14 notebooks, commit 4515cbe), the model gives
779 minutes, the "about 13 hours" that issue measured at a careful learner's pace. Each notebook's
"Time" must be within 5 minutes of the model, and no notebook may be over 60 minutes
(tests/test_pace.py).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

WORDS_PER_MINUTE = 180
CODE_LINES_PER_MINUTE = 15
OUTPUT_LINES_PER_MINUTE = 40
MINUTES_PER_FIGURE = 1
MINUTES_PER_EXERCISE = 6
MINUTES_PER_STAGE_CHECK = 1
LONGEST_MINUTES = 60

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
_STATED = re.compile(r"^About (\d+) minutes\.", re.MULTILINE)
_EXERCISE = re.compile(r"^q\d+\.check\(", re.MULTILINE)
_STAGE = re.compile(r"^notebook_\w+\.\w+\.check\(\)", re.MULTILINE)
_FENCE = re.compile(r"```[^\n]*\n(.*?)```", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\([^)\s]+\)")  # a link's address: followed, not read
_WORD = re.compile(r"\w")  # a table's pipes and rules, a list's dash: not words


def _words(text: str) -> int:
    return sum(1 for token in _LINK_TARGET.sub("]", text).split() if _WORD.search(token))


@dataclass(frozen=True)
class Pace:
    """One notebook's reading load and its minutes by the model."""

    notebook: str
    words: int
    code_lines: int
    output_lines: int
    figures: int
    exercises: int
    stage_checks: int
    stated: int | None

    @property
    def minutes(self) -> float:
        """Minutes a careful learner needs, by the model above."""
        return (
            self.words / WORDS_PER_MINUTE
            + self.code_lines / CODE_LINES_PER_MINUTE
            + self.output_lines / OUTPUT_LINES_PER_MINUTE
            + self.figures * MINUTES_PER_FIGURE
            + self.exercises * MINUTES_PER_EXERCISE
            + self.stage_checks * MINUTES_PER_STAGE_CHECK
        )

    @property
    def rounded(self) -> int:
        """The model's minutes rounded to the nearest 5, as a notebook's "Time" says them."""
        return max(5, 5 * math.floor(self.minutes / 5 + 0.5))


def _code_lines(source: str) -> int:
    # Blank lines and comment-only lines are not read as code (comments are read as prose).
    return sum(
        1 for line in source.splitlines() if line.strip() and not line.strip().startswith("#")
    )


def measure(path: Path) -> Pace:
    """Count what a learner reads and does in one notebook."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    words = code = output = figures = exercises = stages = 0
    stated = None
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            if source.startswith("## Time") and (found := _STATED.search(source)):
                stated = int(found.group(1))
            blocks = _FENCE.findall(source)
            words += _words(_FENCE.sub(" ", source))
            code += sum(_code_lines(block) for block in blocks)
            continue
        if cell["cell_type"] != "code":
            continue
        code += _code_lines(source)
        words += sum(_words(line.split("#", 1)[1]) for line in source.splitlines() if "#" in line)
        exercises += len(_EXERCISE.findall(source))
        stages += len(_STAGE.findall(source))
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data:
                figures += 1
                continue
            text = out.get("text") or data.get("text/plain") or ""
            output += len("".join(text).splitlines())
    return Pace(path.stem, words, code, output, figures, exercises, stages, stated)


def course(directory: Path = NOTEBOOKS) -> list[Pace]:
    """Every notebook of the course, measured, in order."""
    return [measure(path) for path in sorted(directory.glob("[0-9][0-9]*_*.ipynb"))]


def main() -> None:
    rows = course()
    print(f"{'notebook':44} {'words':>6} {'code':>5} {'out':>5} {'fig':>4} {'ex':>3} model stated")
    for row in rows:
        print(
            f"{row.notebook:44} {row.words:6} {row.code_lines:5} {row.output_lines:5} "
            f"{row.figures:4} {row.exercises + row.stage_checks:3} {row.minutes:5.0f} "
            f"{row.stated or '?':>6}"
        )
    total = sum(row.minutes for row in rows)
    print(f"total: {total:.0f} minutes ({total / 60:.1f} hours)")


if __name__ == "__main__":
    main()
