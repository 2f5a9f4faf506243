"""Every price and limit a notebook's text quotes comes from the kit's data files.

A figure in a markdown cell (a dollar amount, or a number with a unit of size, time or count)
must either be a value of `helpers/data/limits.json` or `prices.json` (in any unit: "6 MB" is
6291456 bytes, "15 minutes" is 900 s), or appear in the notebook's own code or outputs (a
scenario the notebook sets up or a result it computes). Anything else is a fact typed by hand,
and it goes stale silently: put it in the data with its source and date, or print it from a cell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DATA = ROOT / "helpers" / "data"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))

# unit -> (dimension, factor to the dimension's base unit: bytes, seconds, USD or a count)
UNITS: dict[str, tuple[str, Decimal]] = {
    "bytes": ("size", Decimal(1)),
    "byte": ("size", Decimal(1)),
    "KB": ("size", Decimal(1024)),
    "MB": ("size", Decimal(1024**2)),
    "GB": ("size", Decimal(1024**3)),
    "ms": ("time", Decimal("0.001")),
    "millisecond": ("time", Decimal("0.001")),
    "milliseconds": ("time", Decimal("0.001")),
    "s": ("time", Decimal(1)),
    "second": ("time", Decimal(1)),
    "seconds": ("time", Decimal(1)),
    "minute": ("time", Decimal(60)),
    "minutes": ("time", Decimal(60)),
    "hour": ("time", Decimal(3600)),
    "hours": ("time", Decimal(3600)),
    "day": ("time", Decimal(86400)),
    "days": ("time", Decimal(86400)),
    "GB-seconds": ("gb-s", Decimal(1)),
    "GB-second": ("gb-s", Decimal(1)),
    "GB-s": ("gb-s", Decimal(1)),
    "vCPU": ("vcpu", Decimal(1)),
    "vCPUs": ("vcpu", Decimal(1)),
    "concurrent executions": ("count", Decimal(1)),
    "executions": ("count", Decimal(1)),
    "invocations": ("count", Decimal(1)),
    "layers": ("count", Decimal(1)),
    "characters": ("count", Decimal(1)),
    "requests": ("count", Decimal(1)),
    "environments": ("count", Decimal(1)),
}
_UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
FIGURE = re.compile(
    rf"(?P<usd>\$\s?\d[\d,]*(?:\.\d+)?)|(?<![\w.])(?P<number>\d[\d,]*(?:\.\d+)?)"
    rf"(?:\s|-)?(?P<unit>{_UNIT})(?![\w-])"
)


def _data_units(unit: str) -> list[tuple[str, Decimal]]:
    """The dimensions a data file's unit text stands for ("MB", "s", "USD per GB-second"...)."""
    if "USD" in unit or "$" in unit:
        return [("usd", Decimal(1))]
    first = unit.split(" per ")[0].strip()
    if first in UNITS:
        return [UNITS[first]]
    if "GB-second" in first:
        return [("gb-s", Decimal(1))]
    return [("count", Decimal(1))]


def _numbers(node: object, unit: str = "") -> Iterator[tuple[str, Decimal]]:
    """Every figure of a data file, in each dimension its unit allows."""
    if isinstance(node, dict):
        unit = str(node.get("unit", unit))
        for key, value in node.items():
            if key in ("source", "as_of", "what", "note", "since"):
                continue
            yield from _numbers(value, unit)
    elif isinstance(node, list):
        for item in node:
            yield from _numbers(item, unit)
    elif isinstance(node, (int, float, str, Decimal)) and not isinstance(node, bool):
        try:
            number = Decimal(str(node))
        except ArithmeticError:
            return
        dimensions = _data_units(unit) if unit else [("usd", Decimal(1)), ("count", Decimal(1))]
        for dimension, factor in dimensions:
            yield dimension, number * factor


def _data_figures() -> set[tuple[str, Decimal]]:
    figures: set[tuple[str, Decimal]] = set()
    for path in (DATA / "limits.json", DATA / "prices.json"):
        # Prices stay exactly as written ("0.20"): read them as Decimal, not float.
        raw = json.loads(path.read_text(), parse_float=Decimal)
        figures |= {(d, v.normalize()) for d, v in _numbers(raw)}
    return figures


DATA_FIGURES = _data_figures()


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def _own_numbers(path: Path) -> set[Decimal]:
    """Numbers the notebook's code sets or its outputs print."""
    text = []
    for cell in _cells(path):
        if cell["cell_type"] != "code":
            continue
        text.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            text.append("".join(output.get("text", "")))
            for kind in ("text/plain", "text/markdown", "text/html"):
                text.append("".join(output.get("data", {}).get(kind, "")))
    found = set()
    for match in re.finditer(r"(?<![\w.])\d[\d,_]*(?:\.\d+)?", "\n".join(text)):
        try:
            found.add(Decimal(match.group().replace(",", "").replace("_", "")).normalize())
        except ArithmeticError:
            pass
    return found


def _quoted(path: Path) -> Iterator[tuple[str, str, Decimal, str]]:
    """(figure as written, dimension, value in base units, context) for each figure in the text."""
    for cell in _cells(path):
        text = "".join(cell["source"])
        if cell["cell_type"] != "markdown" or text.startswith("## Time"):
            continue
        # Inline code and link targets are code and addresses, not figures.
        prose = re.sub(r"`[^`]*`|\]\([^)]*\)", " ", text)
        for match in FIGURE.finditer(prose):
            around = prose[max(0, match.start() - 4) : match.end() + 4]
            if "×" in around or "=" in around:
                continue  # arithmetic worked in the text, from figures checked on their own
            context = " ".join(prose[max(0, match.start() - 60) : match.end() + 30].split())
            if match.group("usd"):
                amount = match.group("usd").lstrip("$").strip().replace(",", "")
                yield match.group(), "usd", Decimal(amount), context
            else:
                dimension, factor = UNITS[match.group("unit")]
                number = Decimal(match.group("number").replace(",", ""))
                yield match.group(), dimension, number * factor, context


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_figure_in_the_text_comes_from_the_data_or_the_notebook(path):
    own = _own_numbers(path)
    stray = []
    for written, dimension, value, context in _quoted(path):
        number = Decimal(re.sub(r"[^\d.]", "", written.split()[0].split("-")[0]) or "0")
        if (dimension, value.normalize()) in DATA_FIGURES or number.normalize() in own:
            continue
        stray.append(f"{written!r} in “…{context}…”")
    assert not stray, (
        f"{path.name} quotes figures that are neither in helpers/data/*.json nor set or printed "
        "by its cells. Add each AWS fact to the data (with source and as_of) and print it from "
        "a cell, or write it exactly as the data has it:\n  " + "\n  ".join(stray)
    )


def test_the_checker_knows_a_limit_in_any_unit():
    assert ("size", Decimal(6 * 1024**2)) in DATA_FIGURES  # "6 MB", the sync payload limit
    assert ("time", Decimal(900)) in DATA_FIGURES  # "15 minutes"
    assert ("usd", Decimal("0.20")) in DATA_FIGURES  # the request price as AWS prints it
    assert ("time", Decimal(31)) not in DATA_FIGURES
