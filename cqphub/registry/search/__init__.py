"""Full-text search over the registry (filled in by the search issue).

`update_index(ids)` keeps the index in step with an import, inside the import's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable


def update_index(certification_ids: Iterable[int] | None = None) -> None:
    """Re-index these certifications (all when None). No index exists yet: nothing to do."""
    return None
