"""Lists in pages: pagination, a table description for `{% data_table %}`, and formula-safe CSV export.

    from cqphub.ui.tables import Column, Table, csv_response

    def habilitations(request):
        filters = HabilitationFilter(request.GET or None)          # any Django form, GET, optional
        qs = filters.filter(Habilitation.objects.all())            # your own filtering
        columns = [
            Column(_("Centre"), "centre.name", url=lambda h: h.get_absolute_url()),
            Column(_("Depuis"), "start", format=date_format),
            Column(_("État"), "state_label", tone=lambda h: h.state_tone),
        ]
        if request.GET.get("format") == "csv":
            return csv_response("habilitations.csv", columns, qs)
        table = Table(request, qs, columns, caption=_("Habilitations"), filters=filters, csv=True)
        return render(request, "…", {"table": table})              # then {% data_table table %}

A column's `value` is an attribute path ("centre.name"), a dict key, or a callable(row). The first column
is the row header. CSV cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a
leading apostrophe (OWASP "CSV injection"), numbers stay numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

PER_PAGE = 25
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def resolve(row: Any, value: str | Callable[[Any], Any]) -> Any:
    if callable(value):
        return value(row)
    current = row
    for part in value.split("."):
        if current is None:
            return None
        if isinstance(current, dict):
            current = current.get(part)
        else:
            current = getattr(current, part, None)
        if callable(current) and not hasattr(current, "all"):
            current = current()
    return current


@dataclass
class Column:
    label: str
    value: str | Callable[[Any], Any]
    url: Callable[[Any], str] | None = None
    tone: Callable[[Any], str] | None = None  # renders the cell as a status badge of that tone
    format: Callable[[Any], Any] | None = None
    numeric: bool = False

    def text(self, row) -> Any:
        value = resolve(row, self.value)
        if self.format is not None and value is not None:
            value = self.format(value)
        return "" if value is None else value


def paginate(request, items, per_page: int = PER_PAGE, param: str = "page") -> Page:
    """The requested page of a queryset or list; a bad or out-of-range number gives the nearest page."""
    return Paginator(items, per_page).get_page(request.GET.get(param) if request is not None else 1)


def page_links(request, page: Page, param: str = "page") -> list[dict]:
    """Links for a page bar: previous, first, a window around the current page, last, next."""
    query = request.GET.copy() if request is not None else None

    def url(number: int) -> str:
        if query is None:
            return f"?{param}={number}"
        query[param] = number
        return "?" + query.urlencode()

    total, current = page.paginator.num_pages, page.number
    numbers = sorted({1, total, *range(max(1, current - 2), min(total, current + 2) + 1)})
    links: list[dict] = []
    if page.has_previous():
        links.append({"label": _("Précédente"), "url": url(current - 1), "rel": "prev"})
    previous = 0
    for number in numbers:
        if number - previous > 1:
            links.append({"label": "…", "url": ""})
        links.append({"label": number, "url": url(number), "current": number == current})
        previous = number
    if page.has_next():
        links.append({"label": _("Suivante"), "url": url(current + 1), "rel": "next"})
    return links


class Table:
    """What `{% data_table table %}` renders: the current page's cells, the filters, the CSV link."""

    def __init__(
        self,
        request,
        items,
        columns: list[Column],
        *,
        caption: str,
        filters=None,
        csv: bool = False,
        per_page: int = PER_PAGE,
        empty_title: str = "",
        empty_text: str = "",
        count_text: str | None = None,
    ):
        self.columns = columns
        self.caption = caption
        self.filters = filters
        self.page = paginate(request, items, per_page)
        self.count = self.page.paginator.count
        self.count_text = count_text  # instead of "N lignes" (e.g. a capped count: "plus de 10 000 …")
        self.empty_title = empty_title or _("Aucune ligne")
        self.empty_text = empty_text
        self.csv_url = ""
        if csv:
            query = request.GET.copy()
            query.pop("page", None)
            query["format"] = "csv"
            self.csv_url = "?" + query.urlencode()
        self.rows = [
            [
                {
                    "text": column.text(row),
                    "url": column.url(row) if column.url else "",
                    "tone": column.tone(row) if column.tone else "",
                    "numeric": column.numeric,
                }
                for column in columns
            ]
            for row in self.page.object_list
        ]


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not execute: text starting like a formula gets a leading "'"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_rows(columns: list[Column] | list[str], rows: Iterable[Any]) -> Iterable[str]:
    """CSV lines (header first) for rows: Column objects, or plain header labels with row sequences."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # so that Excel reads UTF-8
    if columns and isinstance(columns[0], Column):
        yield writer.writerow([str(c.label) for c in columns])
        for row in rows:
            yield writer.writerow([safe_cell(c.text(row)) for c in columns])
    else:
        yield writer.writerow([str(c) for c in columns])
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])


def csv_response(filename: str, columns, rows: Iterable[Any]) -> StreamingHttpResponse:
    """A streamed CSV download (";" separated, UTF-8 with BOM, formula-safe cells)."""
    if hasattr(rows, "iterator"):
        rows = rows.iterator()
    response = StreamingHttpResponse(csv_rows(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
