"""`cqphub registry search QUERY [--filter NAME=VALUE …] [--json]`: the site's search on the command line."""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from cqphub.registry.search.engine import search_certifications
from cqphub.registry.search.filters import FilterError, SearchFilters
from cqphub.registry.search.serialize import results_to_dict


def run_search_command(
    query: str, filters: list[str], as_json: bool, stdout, *, page: int = 1, page_size: int = 20
):
    try:
        parsed_filters = SearchFilters.parse(filters)
    except FilterError as error:
        raise CommandError(f"bad filter {error}")
    results = search_certifications(query, parsed_filters, page=page, page_size=page_size)
    if as_json:
        stdout.write(json.dumps(results_to_dict(results), ensure_ascii=False, indent=2))
        return results
    stdout.write(f"{results.total} result(s) for {query!r}" + _describe(parsed_filters))
    for hit in results.hits:
        flags = [hit.register, f"level {hit.level}" if hit.level else "no level"]
        flags.append("active" if hit.active else "inactive")
        if hit.is_cqp:
            flags.append("CQPI" if hit.is_interbranch else "CQP")
        stdout.write(f"  {hit.code:<11} {hit.title}  [{', '.join(flags)}] ({hit.matched_in})")
    return results


def _describe(filters: SearchFilters) -> str:
    active = filters.active_filters()
    if not active:
        return ""
    return " with " + ", ".join(
        f"{k}={','.join(map(str, v)) if isinstance(v, tuple) else v}" for k, v in active.items()
    )
