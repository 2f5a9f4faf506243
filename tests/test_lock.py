"""requirements.txt pins every installed package, so each fresh clone installs what was tested."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

LOCK = Path(__file__).parents[1] / "requirements.txt"
# The browser test's pinned extras (.ci/run installs them after the main suite).
BROWSER = Path(__file__).parents[1] / "requirements-browser.txt"
# Installed with the virtual environment itself, not from the lock; the kit's own package.
NOT_LOCKED = {"pip", "setuptools", "wheel", "lambda-teaching-kit-helpers"}


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _pins() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text().splitlines() + BROWSER.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)(\[[^]]*\])?==([^\s;#]+)", line)
        if match:
            pins[_name(match[1])] = match[3]
    return pins


def test_every_installed_package_is_pinned_at_its_installed_version():
    pins = _pins()
    installed = {_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    unpinned = sorted(set(installed) - set(pins) - NOT_LOCKED)
    assert unpinned == [], f"installed but not pinned in requirements.txt: {unpinned}"
    differ = {
        n: (installed[n], pins[n]) for n in pins if n in installed and installed[n] != pins[n]
    }
    assert differ == {}, f"installed version differs from the pin: {differ}"


def test_every_pin_is_exact():
    for line in LOCK.read_text().splitlines() + BROWSER.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "-e ")):
            assert "==" in line, f"not pinned exactly: {line}"
