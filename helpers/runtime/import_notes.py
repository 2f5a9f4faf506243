"""What bootstrap.py says about a handler's imports of packages only the kit has.

AWS's Python runtime has the standard library, boto3 and boto3's dependencies; the kit's
interpreter has more (pandas, moto ...). By default the kit lends such a package and writes a
note in the function's log; with `strict_imports` (and while an exercise check runs) it
refuses the import as AWS would, and writes a marker line that only the kit reads.
"""

from __future__ import annotations

import re

LENT_NOTE = re.compile(r"\[lambda-kit\] '([^']+)' was found among the kit's own packages")
REFUSED_NOTE = re.compile(r"\[lambda-kit-refused\] '([^']+)'")


def take(lines: list, *, failed: bool) -> tuple[list[str], list[str]]:
    """(packages lent, packages refused) in one invocation's lines; the refused markers leave
    `lines` (AWS writes no such line). A refusal counts only when the invocation failed: a
    handler that falls back on the ImportError is fine, on AWS too."""
    refused = [m[1] for line in lines if (m := REFUSED_NOTE.match(str(line)))]
    if refused:
        lines[:] = [line for line in lines if not REFUSED_NOTE.match(str(line))]
    lent = [m[1] for line in lines if (m := LENT_NOTE.match(str(line)))]
    return lent, refused if failed else []
