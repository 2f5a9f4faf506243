"""What a handler can import: AWS's Python runtime's search path, inside one environment.

AWS's Python runtime holds the standard library, boto3 and the packages boto3 needs; anything
else comes with the function, in its package or a layer. The environment's interpreter holds the
kit's own packages too (pandas, moto ...): at Init they leave the search path, and `KitPackages`
finds them last, after the function's code, its layers and the standard library.

bootstrap.py loads this file by its path (like private_tmp.py): it runs in the environment's
interpreter, never imported by the kit, and its folder is off `sys.path` there.
"""

import importlib
import os
import sys

# The line a refused import writes (strict): the kit reads it, and it never reaches the log.
REFUSED_MARK = "[lambda-kit-refused] "
RUNTIME_LIBRARIES: dict[str, str] = {}  # top-level module: distribution, for boto3 and its needs
KIT_PATHS: dict[str, str] = {}  # sys.path entries of installed packages: their real path + "/"
# sys.modules as the interpreter was prepared, and which of those came from the kit's packages:
# sorted once ahead of need, since reading every module in each new environment writes to (and
# so copies) pages it shares with the fork server (3 ms of a cold start's CPU).
PREPARED_MODULES: set[str] = set()
KIT_LOADED: list[str] = []


def _normalised(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_libraries(root: str = "boto3") -> dict[str, str]:
    """The top-level modules of boto3 and of every package it requires (extras left out)."""
    import importlib.metadata as metadata
    import re

    modules: dict[str, str] = {}
    wanted, seen = [root], set()
    while wanted:
        name = _normalised(wanted.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for requirement in dist.requires or []:
            if not re.search(r"\bextra\b", requirement.partition(";")[2]):
                wanted.append(re.match(r"[A-Za-z0-9._-]+", requirement).group())
        tops = (dist.read_text("top_level.txt") or "").split()
        if not tops:
            tops = {
                f.parts[0].removesuffix(".py")
                for f in dist.files or []
                if f.parts[0] not in ("..", "__pycache__", "bin")
                and not f.parts[0].endswith((".dist-info", ".egg-info", ".pth"))
            }
        modules.update(dict.fromkeys(tops, name))
    return modules


class KitPackages:
    """The kit's own packages, found after everything else and only as top-level imports.

    boto3 and its dependencies are found quietly, as AWS's runtime has them. Anything else is
    refused when strict (ModuleNotFoundError, as on AWS); otherwise found, and the first import
    by the function's own code (or a layer) writes a note to its log.
    """

    def __init__(
        self, paths: list, finders: list, strict: bool, own_roots: list, runner: str
    ) -> None:
        self.paths = paths  # the interpreter's site-packages folders
        self.finders = finders  # import hooks those packages installed (editable installs ...)
        self.strict = strict
        self.own_roots = tuple(root.rstrip(os.sep) + os.sep for root in own_roots if root)
        self.runner = runner  # bootstrap.py: its import of the handler module is the function's
        self.noted: set = set()

    def find_spec(self, name, path=None, target=None):
        if path is not None:
            return None  # a submodule: its package's __path__ finds it
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, self.paths)
        for finder in self.finders:
            if spec is not None:
                break
            try:
                spec = finder.find_spec(name, None, target)
            except Exception:
                spec = None
        if spec is None or name in RUNTIME_LIBRARIES:
            return spec
        if self.strict:
            if name not in self.noted and self._imported_by_function():
                self.noted.add(name)
                # For the kit only: the runtime records it and drops the line from the log.
                sys.stdout.write(f"{REFUSED_MARK}'{name}'\n")
            return None
        if name not in self.noted and self._imported_by_function():
            self.noted.add(name)
            sys.stdout.write(
                f"[lambda-kit] '{name}' was found among the kit's own packages, not in your "
                "deployment package or layers. AWS's Python runtime has only the standard "
                "library, boto3 and boto3's dependencies: there this import fails. Ship "
                f"'{name}' in your package or a layer.\n"
            )
        return spec

    def _imported_by_function(self) -> bool:
        """True when the import statement is in the function's code or a layer."""
        machinery = os.path.dirname(importlib.__file__) + os.sep
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename.startswith(("<frozen", machinery)):
            frame = frame.f_back
        if frame is None:
            return True
        filename = frame.f_code.co_filename
        return filename == self.runner or filename.startswith(self.own_roots)

    def find_distributions(self, context=None):
        """Package metadata (importlib.metadata) of what this finder may import."""
        from importlib.metadata import DistributionFinder, MetadataPathFinder

        query = DistributionFinder.Context(name=getattr(context, "name", None), path=self.paths)
        found = MetadataPathFinder.find_distributions(query)
        if not self.strict:
            return found
        runtime = set(RUNTIME_LIBRARIES.values())
        return (d for d in found if _normalised(d.metadata["Name"] or "") in runtime)


def kit_paths() -> list:
    """The entries of sys.path holding installed packages rather than the standard library."""
    import site
    import sysconfig

    def under(path: str, roots: list) -> bool:
        return any(path == root or path.startswith(root + os.sep) for root in roots)

    folders = [
        site.getusersitepackages(),
        sysconfig.get_path("purelib"),
        sysconfig.get_path("platlib"),
    ]
    sites = [os.path.realpath(p) for p in [*site.getsitepackages(), *folders] if p]
    stdlib = [os.path.realpath(sysconfig.get_path(k)) for k in ("stdlib", "platstdlib")]

    def standard(path: str) -> bool:
        real = os.path.realpath(path or ".")
        if under(real, sites):
            return False
        zipped = real.endswith(".zip") and os.path.dirname(real) == os.path.dirname(stdlib[0])
        return zipped or under(real, stdlib)

    return [p for p in sys.path if not standard(p)]


def _kit_prefixes() -> tuple[str, ...]:
    return (*KIT_PATHS.values(), *(p.rstrip(os.sep) + os.sep for p in KIT_PATHS))


def _from_kit(name: str, module: object, prefixes: tuple[str, ...]) -> bool:
    if name in ("__main__", "__mp_main__") or name.partition(".")[0] in RUNTIME_LIBRARIES:
        return False
    return (getattr(module, "__file__", None) or "").startswith(prefixes)


def note_prepared_modules() -> None:
    """Sort the modules loaded so far (bootstrap's `_prepare`, before any fork)."""
    prefixes = _kit_prefixes()
    PREPARED_MODULES.clear()
    PREPARED_MODULES.update(sys.modules)
    KIT_LOADED[:] = [name for name, mod in sys.modules.items() if _from_kit(name, mod, prefixes)]


def forget_kit_modules() -> None:
    """Forget the modules the kit loaded from its packages (certifi ...), so that a function's
    own import of them goes through `KitPackages` like any other. bootstrap runs it while a new
    environment waits for its function (off the cold start), and `isolate_imports` again for any
    module loaded since."""
    prefixes = _kit_prefixes()
    for name in KIT_LOADED:  # sorted ahead (note_prepared_modules): they go by name
        sys.modules.pop(name, None)
    for name, module in list(sys.modules.items()):
        if name not in PREPARED_MODULES and _from_kit(name, module, prefixes):
            del sys.modules[name]
    KIT_LOADED.clear()
    PREPARED_MODULES.update(sys.modules)


def isolate_imports(strict: bool, own_roots: list, runner: str) -> None:
    """Give the function AWS's search path: the standard library, then `KitPackages` last.

    (bootstrap's `RuntimeClient.init` then puts the function's code and its layers in front.)
    What can be worked out ahead was, in bootstrap's `_prepare` and `_serve`: this takes well
    under a millisecond of the cold start.
    """
    kit_paths = [p for p in sys.path if p in KIT_PATHS]
    sys.path[:] = [p for p in sys.path if p not in KIT_PATHS]
    ours = ("_frozen_importlib", "_frozen_importlib_external", "importlib", "zipimport")
    kept, moved = [], []
    for finder in sys.meta_path:
        top = (getattr(finder, "__module__", None) or "").partition(".")[0]
        (kept if top in ours or top in RUNTIME_LIBRARIES else moved).append(finder)
    forget_kit_modules()
    sys.meta_path[:] = [*kept, KitPackages(kit_paths, moved, strict, own_roots, runner)]
