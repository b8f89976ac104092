"""The credentials app's English catalogue is complete (every French string has its translation)."""

import re
from pathlib import Path

import polib

import cqphub.credentials

CATALOGUE = Path(cqphub.credentials.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_string_is_translated():
    po = polib.pofile(str(CATALOGUE))
    assert len(po) > 100
    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []
    for entry in po:
        text = entry.msgstr or entry.msgstr_plural[0]
        assert sorted(re.findall(r"%\(\w+\)[sd]", entry.msgid)) == sorted(re.findall(r"%\(\w+\)[sd]", text))
