"""Kit plumbing: every botocore session in this process shares one cache of AWS's service models.

botocore keeps the JSON files that describe each service (lambda's, the endpoint list, ...) in a
cache that belongs to one session. `boto3.Session()` and each new default session (the kit makes
one whenever `start()` points boto3 somewhere new) read and parse them all again: about 0.1 s
per client, which a notebook or an exercise check making a dozen clients feels. Sharing the cache
changes nothing botocore does (the files are the same and botocore only reads what they hold);
each session keeps its own search paths, so a cache is shared only by loaders that search the
same paths.
"""

from __future__ import annotations

from typing import Any

import botocore.loaders
import botocore.session

# One cache per search-path setting (AWS_DATA_PATH), as a loader's answers depend on it. Filled
# with the loader's own keys (method name + arguments): see botocore.loaders.instance_cache.
_caches: dict[str | None, dict[Any, Any]] = {}


def install() -> None:
    """Make each new botocore session's loader use the shared cache (once per process)."""
    if getattr(botocore.session.create_loader, "_kit_shared_cache", False):
        return
    original = botocore.loaders.create_loader

    def create_loader(search_path_string: str | None = None) -> botocore.loaders.Loader:
        loader = original(search_path_string)
        loader._cache = _caches.setdefault(search_path_string, {})
        return loader

    create_loader._kit_shared_cache = True  # type: ignore[attr-defined]
    botocore.session.create_loader = create_loader
