"""Search results as plain data: one shape for the API and `cqphub registry search --json`."""

from __future__ import annotations

from cqphub.registry.search.engine import SearchResults


def results_to_dict(results: SearchResults) -> dict:
    return {
        "query": results.query,
        "filters": {
            k: list(v) if isinstance(v, tuple) else v for k, v in results.filters.active_filters().items()
        },
        "page": results.page,
        "page_size": results.page_size,
        "pages": results.num_pages,
        "total": results.total,
        "exact_code": results.exact_code,
        "results": [
            {
                "code": h.code,
                "register": h.register,
                "title": h.title,
                "abbreviation": h.abbreviation,
                "level": h.level,
                "active": h.active,
                "is_cqp": h.is_cqp,
                "is_interbranch": h.is_interbranch,
                "end_date": h.end_date,
                "certifiers": list(h.certifiers),
                "matched_in": h.matched_in,
                "highlight": {
                    "title": str(h.title_html),
                    "snippet": str(h.snippet_html) if h.snippet_html else None,
                    "snippet_source": h.snippet_source,
                },
            }
            for h in results.hits
        ],
        "facets": {
            name: [
                {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected} for v in values
            ]
            for name, values in results.facets.items()
        },
    }
