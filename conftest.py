"""pytest configuration shared by the tests and the notebooks (nbval)."""


def pytest_collectstart(collector):
    # stderr carries warnings whose wording changes between library versions; a notebook's
    # teaching content is in its stdout and results, which nbval compares strictly.
    if hasattr(collector, "skip_compare"):
        collector.skip_compare += ("stderr",)


def pytest_collection_modifyitems(items):
    # The exercise catalogue's classes are the longest scopes (the capstone's, 13a and 13b,
    # above all): sent to the workers first, they finish while the short ones fill the gaps,
    # and `./kit test` ends sooner on two workers than when one starts the capstone last.
    def weight(item) -> tuple[int, int]:
        if "test_exercise_catalogue.py::TestNotebook" not in item.nodeid:
            return (1, 0)
        return (0, 0 if "::TestNotebook13" in item.nodeid else 1)

    items.sort(key=weight)  # stable: the order within each group stays
