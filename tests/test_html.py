"""The parsed-page helper used by page tests (`tests/html.py`)."""

import pytest

from tests.html import Page

HTML = """<!doctype html><html><body>
<section aria-labelledby="roles-title"><h2 id="roles-title">Mes
   rôles</h2><ul><li><a href="/a">Administrateur  de branche</a></li><li><a href="/b">Jury</a></li></ul></section>
</body></html>"""


def test_select_text_and_links():
    page = Page(HTML.encode())
    assert page.text("#roles-title") == "Mes rôles"
    assert page.texts("#roles-title + ul li") == ["Administrateur de branche", "Jury"]
    assert page.links("section a") == {"Administrateur de branche": "/a", "Jury": "/b"}
    assert page.select("#journal-title") == []


def test_one_says_how_many_it_found():
    with pytest.raises(AssertionError, match="2 elements"):
        Page(HTML).one("li")
