"""CSV downloads of the statistics tables (";" separated, UTF-8 with BOM, formula-safe cells).

Cells go through `cqphub.ui.tables.safe_cell`, the one formula-safe cell of the project: text
starting with =, +, -, @, a tab or a line break gets a leading apostrophe; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse

from cqphub.ui.tables import safe_cell


def csv_response(filename: str, headers: list, rows: Iterable[Iterable]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
