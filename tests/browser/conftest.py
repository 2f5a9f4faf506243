"""The browser test runs only when asked (.ci/run sets KIT_BROWSER_TEST=1): it needs Playwright
and a Chromium, and a minute of its own, outside `./kit test`'s time."""

from __future__ import annotations

import os


def pytest_ignore_collect(collection_path, config):
    if os.environ.get("KIT_BROWSER_TEST") != "1" and collection_path.name == "test_lab.py":
        return True
    return None
