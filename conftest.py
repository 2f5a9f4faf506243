"""pytest configuration shared by the tests and the notebooks (nbval)."""


def pytest_collectstart(collector):
    # stderr carries warnings whose wording changes between library versions; a notebook's
    # teaching content is in its stdout and results, which nbval compares strictly.
    if hasattr(collector, "skip_compare"):
        collector.skip_compare += ("stderr",)
