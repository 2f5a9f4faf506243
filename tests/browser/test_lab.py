"""The course in a real browser: `./kit lab` on a throwaway copy of the notebooks, opened in
headless Chromium through Playwright, every cell run from JupyterLab's own Run menu.

Each notebook must end with no error output (but in the cells that teach an error), a drawn
plot where it has one, and its exercise feedback rendered on the page. `.ci/run` installs
`requirements-browser.txt` and runs this file after the main suite; without Playwright or a
Chromium (Debian's `chromium` package) it is skipped, saying which is missing.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = next(
    (
        path
        for path in (
            os.environ.get("KIT_CHROMIUM", ""),
            "/usr/lib/chromium/chromium",  # Debian's real binary (/usr/bin/chromium wraps it)
            shutil.which("chromium") or "",
            shutil.which("chromium-browser") or "",
            shutil.which("google-chrome") or "",
        )
        if path and Path(path).exists()
    ),
    None,
)
playwright = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright is not installed: `.venv/bin/pip install -r requirements-browser.txt`",
)
if CHROMIUM is None:
    pytest.skip(
        "no Chromium found (install Debian's `chromium`, or set KIT_CHROMIUM to a Chrome binary)",
        allow_module_level=True,
    )

# A notebook with plots, and one whose exercises render their feedback (and teach an error).
NOTEBOOKS = {
    "01_first_function.ipynb": {"plots": 0, "feedback": "Not yet"},
    "07a_cold_starts_measured.ipynb": {"plots": 1, "feedback": "Not yet"},
}
RUN_TIMEOUT_S = 240


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`./kit lab` serving a throwaway copy of the notebooks: (base URL, token, the copy)."""
    copy = tmp_path_factory.mktemp("course")
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(path, copy / path.name)
    port, token = _free_port(), secrets.token_hex(16)
    args = [
        str(ROOT / "kit"),
        "lab",
        "--no-browser",
        f"--port={port}",
        f"--ServerApp.token={token}",
        f"--LabApp.workspaces_dir={tmp_path_factory.mktemp('workspaces')}",
        "--expose-app-in-browser",
    ]
    if os.geteuid() == 0:
        args.append("--allow-root")
    server = subprocess.Popen(
        args,
        cwd=ROOT,
        env={**os.environ, "KIT_NOTEBOOKS": str(copy)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"./kit lab did not start:\n{server.stdout.read()}") from None
            time.sleep(0.5)
    yield base, token, copy
    server.send_signal(signal.SIGINT)  # as a learner's Ctrl-C: it must stop without asking
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        pytest.fail("./kit lab asked instead of stopping on Ctrl-C")


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


_STATE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext.session) return null;
  const cells = panel.content.widgets.filter(c => c.model.type === 'code');
  return {
    kernel: panel.sessionContext.session.kernel.status,
    total: cells.length,
    run: cells.filter(c => c.model.executionCount !== null).length,
    // Run All stops at an error a cell doesn't teach (tag raises-exception): the run is over.
    failed: cells.some(c => !(c.model.getMetadata('tags') || []).includes('raises-exception')
      && c.model.outputs.toJSON().some(o => o.output_type === 'error')),
  };
}"""


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_a_notebook_runs_all_its_cells_from_the_run_menu(lab, browser, name):
    base, token, copy = lab
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{base}/lab/tree/{name}?token={token}&reset")
    # Wait for the kernel before running anything: Run All before it is ready clears outputs.
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext"
        " && window.jupyterapp.shell.currentWidget.sessionContext.isReady",
        timeout=120_000,
    )
    # Start from a notebook without outputs, so a run count says what ran now.
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.wait_for_function(f"() => ({_STATE})().run === 0", timeout=30_000)
    # JupyterLab's own menu, as a learner would: Run > Run All Cells.
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(
        f"() => {{ const s = ({_STATE})(); "
        "return s && s.kernel === 'idle' && (s.run === s.total || s.failed); }",
        timeout=RUN_TIMEOUT_S * 1000,
        polling=500,
    )
    expected = NOTEBOOKS[name]
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000
    )
    feedback = page.get_by_text(expected["feedback"]).count()  # rendered on the page itself
    page.close()

    saved = json.loads((copy / name).read_text(encoding="utf-8"))
    errors, plots = [], 0
    for index, cell in enumerate(saved["cells"]):
        if cell["cell_type"] != "code":
            continue
        teaches_error = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        for output in cell.get("outputs", []):
            if output["output_type"] == "error" and not teaches_error:
                errors.append(f"cell {index}: {output['ename']}: {output['evalue'][:200]}")
            if "image/png" in output.get("data", {}):
                plots += 1
    assert errors == []
    assert all(c["execution_count"] for c in saved["cells"] if c["cell_type"] == "code")
    assert plots >= expected["plots"]
    assert feedback >= 1, f"no exercise feedback ({expected['feedback']!r}) rendered"
