"""The memory half of `python -m helpers.bench`: what execution environments and a learner's
kernel hold, measured on this machine (Linux: PSS and USS come from /proc/<pid>/smaps).

- USS (unique set size): the pages only this process holds. A forked environment shares the
  fork server's pages copy-on-write; its USS is what one more warm environment costs.
- PSS (proportional set size): each page divided among the processes that share it. The PSS of
  a kernel and all its children adds up to what they cost the machine together, which is what a
  classroom hub must provision per learner.

Targets (issue 13): each further warm environment ≤ 15 MB USS; a kernel right after
`helpers.start()` ≤ 150 MB PSS, kernel and children together; after notebook 07 ≤ 300 MB PSS.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import psutil

USS_TARGET_MB = 15  # issue 13: each further warm environment
START_PSS_TARGET_MB = 150  # issue 13: a kernel right after helpers.start(), with its children
NOTEBOOK_PSS_TARGET_MB = 300  # issue 13: after notebook 07 (now 07a and 07b)
NOTEBOOK_07 = ("07a_cold_starts_measured.ipynb", "07b_cold_starts_managed.ipynb")
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
MB = 1024 * 1024


def measurable() -> bool:
    """Whether this platform reports USS and PSS (Linux does; elsewhere the bench says so)."""
    return sys.platform.startswith("linux")


def tree_pss_mb(pid: int) -> float:
    """PSS of a process and all its descendants, in MB: what they cost the machine together."""
    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0  # the kernel has gone
    total = 0
    for proc in tree:
        try:
            total += proc.memory_full_info().pss
        except psutil.Error:
            pass  # a process that ended while being read holds nothing
    return total / MB


def environments_uss_mb(aws) -> list[float]:
    """USS in MB of each live execution environment of this local AWS (its worker and its
    children)."""
    sizes = []
    for env in aws.environments():
        try:
            worker = psutil.Process(env["pid"])
            total = worker.memory_full_info().uss
            total += sum(child.memory_full_info().uss for child in worker.children(recursive=True))
        except psutil.Error:
            continue
        sizes.append(total / MB)
    return sizes


START_CELL = "import helpers\naws = helpers.start()\n"


def kernel_pss(notebook: str | None = None, settle_s: float = 1.0) -> dict[str, float]:
    """Start a Jupyter kernel as JupyterLab would, run `helpers.start()` (or every code cell of
    `notebook`, a file name in notebooks/), and measure the PSS of the kernel and its children.

    Returns {"pss_mb": at the end, "peak_mb": the most sampled every 0.2 s while the cells ran,
    "seconds"}; raises RuntimeError naming the cell if one fails.
    """
    import threading

    from jupyter_client.manager import start_new_kernel

    cells = [(START_CELL, False)]
    if notebook is not None:
        book = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
        cells = [
            ("".join(cell["source"]), "raises-exception" in cell["metadata"].get("tags", []))
            for cell in book["cells"]
            if cell["cell_type"] == "code"
        ]
    began = time.perf_counter()
    # The kernel's own chatter (a warning about TCP) would cut into the bench's table; a cell
    # that fails is reported from its reply instead.
    manager, client = start_new_kernel(
        kernel_name="python3", cwd=str(NOTEBOOKS), stderr=subprocess.DEVNULL
    )
    pid = manager.provisioner.pid
    peak = [0.0]
    running = threading.Event()
    running.set()

    def sample() -> None:
        while running.is_set():
            peak[0] = max(peak[0], tree_pss_mb(pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        for source, teaches_an_error in cells:
            reply = client.execute_interactive(source, timeout=600, output_hook=lambda _: None)
            if reply["content"]["status"] != "ok" and not teaches_an_error:
                content = reply["content"]
                raise RuntimeError(
                    f"{notebook or 'helpers.start()'}: a cell failed "
                    f"({content.get('ename')}: {content.get('evalue')}):\n{source[:300]}"
                )
        seconds = time.perf_counter() - began
        time.sleep(settle_s)  # spare environments the kit prepares ahead of need count too
        running.clear()
        sampler.join()
        now = tree_pss_mb(pid)
        return {"pss_mb": now, "peak_mb": max(peak[0], now), "seconds": seconds}
    finally:
        running.clear()
        client.stop_channels()
        manager.shutdown_kernel(now=True)
