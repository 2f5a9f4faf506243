"""A learner's kernel holds only what its notebook uses, and gives freed memory back (issue 13)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from helpers import memory_trim


def test_importing_one_notebooks_exercises_leaves_the_others_unloaded():
    script = textwrap.dedent(
        """
        import sys
        from helpers.exercises import notebook_07a
        import helpers.exercises as exercises
        print(sorted(m for m in sys.modules if m.startswith("helpers.exercises.nb")))
        print(notebook_07a.q1.name, sorted(exercises.ALL)[:3], len(exercises.ALL))
        """
    )
    lines = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.splitlines()

    assert lines[0] == "['helpers.exercises.nb07a_cold_starts_measured']"  # not all 20 (10 MB)
    assert lines[1] == "q1 ['00', '01', '02'] 20"  # ALL still gives every notebook's exercises


def test_an_unknown_notebook_is_an_attribute_error():
    import helpers.exercises as exercises

    with pytest.raises(AttributeError, match="notebook_99"):
        exercises.notebook_99  # noqa: B018


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_memory_is_given_back_after_each_cell_of_an_ipython_kernel():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        memory_trim.trim_after_each_cell()
        memory_trim.trim_after_each_cell()  # a second start() hooks nothing twice

        hooks = shell.events.callbacks["post_execute"]
        assert hooks.count(memory_trim._after_cell) == 1
        junk = [bytes(200) for _ in range(200_000)]  # 40 MB of small blocks, then freed
        del junk
        assert memory_trim.give_back_freed_memory() is True  # glibc had pages to return
    finally:
        shell.events.unregister("post_execute", memory_trim._after_cell)
        InteractiveShell.clear_instance()
        memory_trim._hooked.clear()


def test_outside_a_kernel_nothing_is_hooked():
    memory_trim._hooked.clear()
    memory_trim.trim_after_each_cell()  # plain Python: no IPython shell

    assert memory_trim._hooked == set()
