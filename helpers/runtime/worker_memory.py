"""An environment's memory, from inside it: its peak (Max Memory Used), the address-space
backstop, and glibc's freed pages handed back before forks.

bootstrap.py loads this file by its path (like private_tmp.py): it runs in the environment's
interpreter, never imported by the kit.
"""

import os
import resource
import sys

_LIBC: list = []


def _libc():
    """The C library (None where ctypes can't load it), loaded once, before forks."""
    if not _LIBC:
        try:
            import ctypes

            _LIBC.append(ctypes.CDLL(None, use_errno=True))
        except (OSError, ImportError):
            _LIBC.append(None)
    return _LIBC[0]


def give_back_freed_memory() -> None:
    """glibc keeps the pages that parsing botocore's models freed: return them before forking,
    or every environment shares 3 MB of nothing (measured after the warm clients)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None).malloc_trim(0)
        except (OSError, AttributeError):
            pass  # not glibc (musl has no malloc_trim)


# True in an environment forked from the fork server once its peak was reset (clear_refs):
# getrusage's ru_maxrss is then this environment's own peak, and costs a microsecond, where
# reading /proc/self/status cost 30 (at every reply). A spawned interpreter's ru_maxrss would
# carry the peak of the process it was exec'd from, so it reads VmHWM.
FORKED = False


def max_rss_kb() -> int:
    """Peak resident memory of this interpreter (what AWS reports as Max Memory Used)."""
    if not FORKED:
        try:
            # Linux: VmHWM belongs to this program; ru_maxrss would carry the kit's own peak
            # across the fork and exec that started this worker.
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS reports bytes


def limit_memory(memory_mb: int, threads_max: int) -> None:
    """Cap the address space where the OS enforces it, so a huge allocation fails at once.

    The kit also watches the resident size from outside (what AWS measures); this cap is only a
    backstop with room for the interpreter's own mappings, and for as many threads as AWS lets
    an environment run (each reserves a stack's address space, which AWS doesn't count: 256
    threads at 128 MB run there). glibc's per-thread malloc arenas (64 MB of address space
    each, up to 8 per core) are capped at two, so their reservations stay small too.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(-8, 2)  # M_ARENA_MAX
    try:
        with open("/proc/self/statm") as statm:
            virtual = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        stack = resource.getrlimit(resource.RLIMIT_STACK)[0]
        stack = stack if 0 < stack < 2**30 else 8 * 2**20
        cap = virtual + 2 * memory_mb * 2**20 + 2**30 + threads_max * stack
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (OSError, ValueError):
        pass
