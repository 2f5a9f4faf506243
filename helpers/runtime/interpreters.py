"""Which Python runs a function: the one its `Runtime` names, when this machine has it.

On AWS, the `python3.12` runtime is Python 3.12 and `python3.13` is Python 3.13
(https://docs.aws.amazon.com/lambda/latest/dg/lambda-python.html, as of 2026-12): a handler
written for 3.12 (an f-string that reuses its quotes, PEP 701) runs there, and one with 3.12-only
syntax fails on python3.11. The kit looks for that interpreter on this machine without any
network (PATH, pyenv, uv), once per version per process; when it finds none, the function runs
on the kit's own Python, and an Init error that the version gap may explain says so in a
`[lambda-kit]` line (`gap_note`).
"""

from __future__ import annotations

import functools
import glob
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

# "0" runs every function on the kit's own Python, whatever its Runtime (as the kit did before).
SWITCH = "KIT_RUNTIME_PYTHONS"
KIT_VERSION = sys.version_info[:2]
# What a candidate must answer: its real path (a pyenv shim is a script that starts it) and its
# version; it must import what bootstrap.py needs, or it could not serve an environment.
_PROBE = (
    "import sys, ctypes, json, resource, multiprocessing.connection; "
    "print(sys.executable); print(*sys.version_info[:2])"
)


@dataclass(frozen=True)
class Interpreter:
    """A Python that can run bootstrap.py, and how to start it."""

    executable: str
    version: tuple[int, int]

    @property
    def own(self) -> bool:
        """The kit's own interpreter (environments forked from the kit's own server)."""
        return self.executable == sys.executable

    def command(self) -> list[str]:
        """The interpreter and its flags, before bootstrap.py's own arguments.

        Another version starts with -S: none of its own site-packages (pyenv's may hold another
        boto3), only what AWS's runtime has, the standard library plus the SDK (`environment`).
        """
        return [self.executable, "-u"] if self.own else [self.executable, "-S", "-u"]

    def environment(self, base_env: dict[str, str]) -> dict[str, str]:
        """The worker's starting environment: for another version, where the SDK is."""
        if self.own:
            return base_env
        return {**base_env, "KIT_SDK_PATH": os.pathsep.join(sdk_paths())}


OWN = Interpreter(sys.executable, KIT_VERSION)
# The oldest Python the kit's runtime files (bootstrap.py and its siblings) and its SDK are
# checked on; an older Runtime (python3.10, deprecated) runs on the kit's own Python, as before.
OLDEST = (3, 11)


def wanted_version(runtime: str) -> tuple[int, int] | None:
    """(3, 12) for "python3.12"; None for a runtime that is not Python."""
    match = re.fullmatch(r"python(\d+)\.(\d+)", runtime or "")
    return (int(match[1]), int(match[2])) if match else None


@functools.cache
def sdk_paths() -> tuple[str, ...]:
    """The folders of the kit's boto3 and the packages it needs (all pure Python), for an
    interpreter of another version; handler_imports.py still decides what a handler may import
    from them (boto3 and its dependencies quietly, the kit's other packages lent or refused)."""
    import importlib.util

    folders: list[str] = []
    for name in ("boto3", "botocore", "s3transfer", "jmespath", "urllib3", "dateutil", "six"):
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            continue
        origin = Path(spec.origin)
        folder = str(origin.parent.parent if origin.name == "__init__.py" else origin.parent)
        if folder not in folders:
            folders.append(folder)
    return tuple(folders)


def _candidates(version: tuple[int, int]) -> list[str]:
    """Where a Python of this version may be, without any network: PATH, pyenv, uv."""
    major, minor = version
    found = [shutil.which(f"python{major}.{minor}") or ""]
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    # Newest patch release first (3.13.10 before 3.13.9).
    releases = glob.glob(
        os.path.join(pyenv_root, "versions", f"{major}.{minor}*", "bin", "python3")
    )
    numbers = [tuple(int(n) for n in re.findall(r"\d+", p.split(os.sep)[-3])) for p in releases]
    found += [path for _, path in sorted(zip(numbers, releases, strict=True), reverse=True)]
    uv = shutil.which("uv")
    if uv:
        try:
            answer = subprocess.run(
                [uv, "python", "find", f"{major}.{minor}", "--no-python-downloads"],
                capture_output=True, text=True, timeout=10,
                env={**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_OFFLINE": "1"},
            )  # fmt: skip
            if answer.returncode == 0:
                found.append(answer.stdout.strip())
        except (OSError, subprocess.TimeoutExpired):
            pass
    # A pyenv shim that PATH finds may fail ("command not found" unless pyenv's global version
    # names it) after pyenv's start-up: tried last, after pyenv's own binaries.
    found = [path for path in dict.fromkeys(found) if path]
    return sorted(found, key=lambda path: f"{os.sep}shims{os.sep}" in path)


@functools.cache
def _lookup(version: tuple[int, int]) -> Interpreter | None:
    """The first candidate that really is this version and can run bootstrap.py (cached)."""
    for candidate in _candidates(version):
        try:
            answer = subprocess.run(
                [candidate, "-c", _PROBE], capture_output=True, text=True, timeout=20,
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired):
            continue
        lines = answer.stdout.split("\n")
        if answer.returncode != 0 or len(lines) < 2:
            continue
        if tuple(int(n) for n in lines[1].split()) == version and os.path.isabs(lines[0]):
            return Interpreter(lines[0], version)
    return None


def find(version: tuple[int, int]) -> Interpreter | None:
    """A Python of this version on this machine (the kit's own for its own version), or None."""
    if version == KIT_VERSION:
        return OWN
    if version < OLDEST or os.environ.get(SWITCH, "1") == "0":
        return None
    # functools.cache doesn't hold other callers back while the first one looks: 20 first
    # invokes at once each probed every candidate (7.4 s against 0.25 s for one look, the
    # outside check of issue 13). One look per version, the others wait for its answer.
    with _LOOKING:
        return _lookup(version)


_LOOKING = threading.Lock()
_EXTENSION = re.compile(r"\.cpython-(\d)(\d+)[^/]*\.(so|pyd)$")


def built_for(folders: list[Path | None]) -> set[tuple[int, int]]:
    """The Python versions the compiled modules in these folders were built for (empty when
    they hold only Python files): `.cpython-311-x86_64-linux-gnu.so` is (3, 11)."""
    versions: set[tuple[int, int]] = set()
    for folder in filter(None, folders):
        for _, _, files in os.walk(folder):
            for name in files:
                match = _EXTENSION.search(name)
                if match:
                    versions.add((int(match[1]), int(match[2])))
    return versions


_IMPORT = re.compile(r"^[ \t]*(?:from|import)[ \t]+([A-Za-z_]\w*)", re.MULTILINE)


def imports_kit_binaries(code: Path | None) -> bool:
    """Whether the function's own code imports one of the kit's packages that holds compiled
    modules (pandas): the kit lends it (handler_imports.py, with a note that AWS has no such
    package), and it loads only on the kit's own Python, so the function runs there."""
    if code is None:
        return False
    names: set[str] = set()
    for path in code.rglob("*.py"):
        try:
            names.update(_IMPORT.findall(path.read_text(errors="replace")))
        except OSError:
            continue
    own = {p.name.removesuffix(".py") for p in code.iterdir()}
    return any(_kit_binary_package(n) for n in names - own - set(sys.stdlib_module_names))


@functools.cache
def _kit_binary_package(name: str) -> bool:
    """A top-level package of the kit's own (not boto3's) holding compiled modules."""
    import importlib.util

    if name in ("boto3", "botocore", "s3transfer", "jmespath", "urllib3", "dateutil", "six"):
        return False
    try:
        spec = importlib.util.find_spec(name)  # top-level: found, not imported
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    if spec.submodule_search_locations:
        return bool(built_for([Path(p) for p in spec.submodule_search_locations]))
    return bool(_EXTENSION.search(spec.origin or ""))


def choose(runtime: str, compiled: set[tuple[int, int]]) -> Interpreter:
    """The interpreter for a function with this Runtime, whose code and layers hold compiled
    modules built for the versions in `compiled` (`built_for`).

    Kit-only: a package whose compiled modules were built for the kit's own Python only (what
    `helpers.packaging.site_packages_zip` gives: it copies the kit's installed packages) runs on
    the kit's Python, where they load; on AWS, a python3.13 function needs them built for 3.13.
    """
    version = wanted_version(runtime)
    if version is None or version == KIT_VERSION:
        return OWN
    found = find(version)
    if found is None or (KIT_VERSION in compiled and version not in compiled):
        return OWN
    return found


# Init errors that Python's version can explain: syntax a newer Python accepts, and a name the
# standard library gained (itertools.batched in 3.12, warnings.deprecated in 3.13 ...).
_STDLIB_NAME = re.compile(
    r"(?:No module named |cannot import name '[^']+' from |^module )'([\w.]+)'"
)


def gap_note(runtime: str, interpreter: Interpreter, error: dict) -> str | None:
    """The `[lambda-kit]` line for an Init error when the function ran on an older Python
    than its Runtime's, because this machine has none of that version; None otherwise.

    It adds to AWS's error, never replaces it: the error may be a real mistake too.
    """
    version = wanted_version(runtime)
    if version is None or version <= interpreter.version or find(version) is not None:
        return None
    error_type, message = error.get("errorType", ""), error.get("errorMessage", "")
    if error_type == "Runtime.UserCodeSyntaxError":
        what = "which refuses syntax that is newer than it"
    else:
        module = _STDLIB_NAME.search(message)
        stdlib = module and module[1].partition(".")[0] in sys.stdlib_module_names
        if error_type not in ("Runtime.ImportModuleError", "AttributeError") or not stdlib:
            return None
        what = "whose standard library lacks what newer versions added"
    want = f"{version[0]}.{version[1]}"
    ran = f"{interpreter.version[0]}.{interpreter.version[1]}"
    return (
        f"[lambda-kit] This function's Runtime is {runtime}, but this machine has no Python "
        f"{want}: the kit ran it on Python {ran}, {what} (on AWS, {runtime} is Python {want}). "
        f"Install Python {want} (e.g. pyenv install {want}) or choose Runtime python{ran}."
    )
