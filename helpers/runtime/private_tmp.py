"""A private /tmp for each execution environment, as on AWS (standard library only).

On AWS every execution environment has its own /tmp: a file one function writes at `/tmp/x` is
not there for another function, nor for another environment of the same function
(https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html). In the kit
an environment is a process on the learner's machine, so the literal path `/tmp` is the
machine's, shared by everything. Two ways to make it the environment's own folder:

- **A private mount namespace** (Linux, where the kernel lets this user have one: as root, or
  through an unprivileged user namespace). The environment's folder is bind-mounted on `/tmp`
  for this process and everything it starts (`subprocess`, C libraries). Kit paths that live
  under the machine's /tmp (the function's code, the kit's own virtual environment when the kit
  sits in /tmp) are mounted back at their own paths, so their folders show in the private /tmp.
- **Otherwise, path redirection** inside the interpreter: Python's file functions (`open`,
  `os.*`, and so `pathlib`, `shutil`, `glob`) read `/tmp/...` as the environment's folder. A
  child process or a C library still sees the machine's /tmp.

bootstrap.py loads this file by its path: it runs in the environment's interpreter, never
imported as part of the kit there.
"""

import ctypes
import os
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
MS_RDONLY = 0x1
MS_REMOUNT = 0x20

TMP = "/tmp"
_OWN_NAMESPACE = False  # set by own_namespace() in the environment's process
_USABLE = None  # whether namespaces work here: tried once, in a child process (usable())


_LIBC = None  # loaded once, before the fork server forks (a cold start mounts up to 5 times)


def _libc():
    global _LIBC
    if _LIBC is None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.mount.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong,
                               ctypes.c_void_p)  # fmt: skip
        _LIBC = libc
    return _LIBC


def _mount(source, target: str, flags: int) -> None:
    libc = _libc()
    if libc.mount(source.encode() if source else None, target.encode(), None, flags, None):
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount {source} on {target}: {os.strerror(errno)}")


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def usable() -> bool:
    """Whether a private mount namespace with a bind mount works here (tried once, in a child).

    A kernel may grant a user namespace yet refuse mounts in it (Ubuntu's AppArmor rule for
    unprivileged user namespaces): the trial runs in a throwaway child, so an environment only
    ever enters a namespace that works. The fork server asks before it forks environments.
    """
    global _USABLE
    if _USABLE is None:
        _USABLE = False
        if sys.platform.startswith("linux") and os.environ.get("KIT_PRIVATE_TMP") != "redirect":
            try:
                _libc()  # here, so that every environment forked later has it
            except OSError:
                return False
            pid = os.fork()
            if pid == 0:
                works = _unshare()
                try:
                    works = works and _mount(TMP, TMP, MS_BIND) is None
                except OSError:
                    works = False
                os._exit(0 if works else 1)
            _USABLE = os.waitpid(pid, 0)[1] == 0
    return _USABLE


def own_namespace() -> bool:
    """Give this process a mount namespace of its own (call it while single-threaded).

    As root, a mount namespace alone; otherwise (or if that is refused) a user namespace that maps
    this user to itself, and a mount namespace in it. Mounts are made private first, so nothing
    mounted here reaches the machine. False, with nothing changed, where the kernel refuses.
    """
    global _OWN_NAMESPACE
    if usable() and _unshare():
        _OWN_NAMESPACE = True
    return _OWN_NAMESPACE


def _unshare() -> bool:
    """Enter new namespaces (see own_namespace); False where the kernel refuses."""
    uid, gid = os.getuid(), os.getgid()
    tries = [CLONE_NEWNS, CLONE_NEWUSER | CLONE_NEWNS] if os.geteuid() == 0 else []
    tries = tries or [CLONE_NEWUSER | CLONE_NEWNS]
    try:
        libc = _libc()
    except OSError:
        return False
    for flags in tries:
        if libc.unshare(flags) != 0:
            continue
        try:
            if flags & CLONE_NEWUSER:
                _write("/proc/self/setgroups", "deny")
                _write("/proc/self/uid_map", f"{uid} {uid} 1")
                _write("/proc/self/gid_map", f"{gid} {gid} 1")
            _mount(None, "/", MS_REC | MS_PRIVATE)
        except OSError:
            return False  # a namespace we cannot use: mount nothing in it, redirect instead
        return True
    return False


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _kept_under_tmp(keep) -> list:
    """The fewest real paths under /tmp that cover every path in `keep` that lies there."""
    # Only absolute paths that exist (sys.path holds import hooks' names too), each as named and
    # as resolved: a symlink under /tmp (a layer's /opt) needs its own mount point.
    named = [os.path.normpath(p) for p in keep if p and os.path.isabs(p) and os.path.exists(p)]
    real = sorted({*named, *map(os.path.realpath, named)}, key=len)
    found: list = []
    for path in real:
        if _under(path, TMP) and not any(_under(path, done) for done in found):
            found.append(path)
    return found


def _bind(tmpdir: str, keep) -> None:
    """Mount `tmpdir` on /tmp, then each kept path back at its own place."""
    kept = _kept_under_tmp(keep)
    if TMP in kept:
        raise OSError("the whole of /tmp is needed by the kit")
    handles = {path: os.open(path, os.O_PATH) for path in kept}  # reachable once /tmp is hidden
    try:
        _mount(tmpdir, TMP, MS_BIND | MS_REC)
        for path, handle in handles.items():
            if os.path.isdir(f"/proc/self/fd/{handle}"):
                os.makedirs(path, exist_ok=True)
            else:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                open(path, "a").close()
            _mount(f"/proc/self/fd/{handle}", path, MS_BIND | MS_REC)
    finally:
        for handle in handles.values():
            os.close(handle)


def enter(tmpdir: str, keep) -> str:
    """Make /tmp this environment's `tmpdir`; what it took: "namespace" or "redirect"."""
    if _OWN_NAMESPACE:
        try:
            _bind(tmpdir, keep)
        except OSError:
            pass
        else:
            import tempfile

            os.environ["TMPDIR"] = TMP  # as on AWS: tempfile's folder is /tmp itself
            tempfile.tempdir = None
            return "namespace"
    redirect(tmpdir, [*keep, tmpdir])
    return "redirect"


def read_only(paths) -> None:
    """Make the function's code (and its layers) read-only for this environment, as /var/task
    and /opt are on AWS ("only /tmp is writable", Lambda's execution environment): a write
    there fails with OSError 30, "Read-only file system". Only with a private mount namespace
    (elsewhere the folders stay writable); a path that can't be remounted stays as it is."""
    if not _OWN_NAMESPACE:
        return
    for path in paths:
        if not path or not os.path.isdir(path):
            continue
        try:
            _mount(path, path, MS_BIND | MS_REC)
            _mount(None, path, MS_BIND | MS_REMOUNT | MS_RDONLY)
        except OSError:
            pass


# ------------------------------------------------------------------------- path redirection
# Functions of `os` that take a path first (and `open`): each one reads /tmp/... as the
# environment's folder. Those of two paths (rename ...) redirect both.
_ONE_PATH = (
    "open", "stat", "lstat", "listdir", "scandir", "mkdir", "rmdir", "remove", "unlink",
    "access", "chmod", "chown", "utime", "truncate", "readlink", "statvfs", "chdir", "mkfifo",
)  # fmt: skip
_TWO_PATHS = ("rename", "replace", "link", "symlink")


def redirect(tmpdir: str, keep) -> None:
    """Python's file functions read `/tmp/...` as `tmpdir/...` (`keep` paths stay as they are)."""
    import builtins
    import io

    tmpdir = os.path.realpath(tmpdir)
    kept = _kept_under_tmp(keep)

    def moved(path):
        if isinstance(path, int):
            return path
        try:
            text = os.fsdecode(os.fspath(path))
        except TypeError:
            return path
        if not text.startswith(TMP):
            return path
        normal = os.path.normpath(text)
        if not _under(normal, TMP) or any(_under(normal, k) for k in kept):
            return path
        new = tmpdir + normal[len(TMP) :]
        return os.fsencode(new) if isinstance(path, bytes) else new

    def redirected(original, paths, keywords):
        """`original` with its first `paths` arguments (and those `keywords`) redirected."""

        def wrapper(*args, **kwargs):
            args = tuple(moved(a) if i < paths else a for i, a in enumerate(args))
            for key in keywords:
                if key in kwargs:
                    kwargs[key] = moved(kwargs[key])
            return original(*args, **kwargs)

        wrapper.__name__ = wrapper.__qualname__ = original.__name__
        wrapper.__doc__ = original.__doc__
        return wrapper

    for names, paths, keywords in (
        (_ONE_PATH, 1, ("path", "file")),
        (_TWO_PATHS, 2, ("src", "dst")),
    ):
        for name in names:
            if hasattr(os, name):
                setattr(os, name, redirected(getattr(os, name), paths, keywords))
    builtins.open = io.open = redirected(io.open, 1, ("file",))
