"""The reporting app's English catalogue is complete (every French string has its translation)."""

from pathlib import Path

import polib

import cqphub.reporting

CATALOGUE = Path(cqphub.reporting.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_string_is_translated():
    po = polib.pofile(str(CATALOGUE))
    assert len(po) > 200
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    for entry in po:
        for key in ("%(", "{"):
            if key in entry.msgid:
                text = entry.msgstr or entry.msgstr_plural[0]
                assert sorted(_placeholders(entry.msgid)) == sorted(_placeholders(text)), entry.msgid


def _placeholders(text):
    import re

    return re.findall(r"%\(\w+\)[sd]", text)
