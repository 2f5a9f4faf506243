"""`helpers.start()` does not pay for an optional import moto pulls in, and loses nothing by it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("rfc3987_syntax")

SCRIPT = textwrap.dedent(
    """
    import sys
    import helpers
    from helpers.patches.fast_start import _Deferred

    aws = helpers.start()
    deferred_at_start = isinstance(sys.modules["rfc3987_syntax"], _Deferred)

    import jsonschema

    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    iri = jsonschema.Draft7Validator({"format": "iri"}, format_checker=checker)
    print(deferred_at_start)
    print(iri.is_valid("http://example.com/caf\u00e9"), iri.is_valid("http://a b"))
    print(type(sys.modules["rfc3987_syntax"]).__name__)
    import rfc3987_syntax
    print(rfc3987_syntax.is_valid_syntax("iri", "http://example.com/"))
    aws.stop()
    """
)


def test_start_defers_rfc3987_syntax_and_iri_checks_still_give_real_answers():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True
    )

    deferred, iri_checks, module_type, direct = result.stdout.split("\n")[:4]
    assert deferred == "True"  # moto's imports did not compile its grammars at start
    assert iri_checks == "True False"  # jsonschema's "iri" format still validates for real
    assert module_type == "module"  # after first use, the real package everywhere
    assert direct == "True"
