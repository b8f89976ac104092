"""`CompressedTextField`: a long display text stored compressed on SQLite.

A fiche's activities, capacities, objectives, sectors and jobs are 60 % of the registry's text (280 MB
of a full export), a block's skills and assessment another 37 MB; they are only ever shown, never
searched or filtered in SQL (search has its own index). SQLite compresses nothing, so there they are stored as zlib BLOBs (2.6x smaller: a full import
writes 170 MB less through the WAL and its checkpoint, bench/registry_import.py); PostgreSQL already
compresses long values itself (TOAST), so there they stay plain `text`. Python always sees a `str`.

The column stays declared `text` on both: SQLite keeps a BLOB in a TEXT column as it is (type affinity
converts numbers only), so no table is rebuilt; migration 0006 compresses the rows already there.
"""

from __future__ import annotations

from django.db import models

from cqphub.registry.compression import compress_text, stored_text


class CompressedTextField(models.TextField):
    description = "Text (compressed on SQLite)"

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        if connection.vendor == "sqlite" and isinstance(value, str):
            return compress_text(value)
        return value

    def from_db_value(self, value, expression, connection):
        return stored_text(value)
