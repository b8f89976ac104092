"""Assertions on the parsed page, not on substrings of its HTML.

    page = Page(client.get(url))
    assert page.texts("#centres-title + ul li a") == ["Centre Sud"]
    assert not page.select("#journal-title")           # the section is absent, whatever its wording
    page.one("h1")                                      # exactly one, or the assertion says how many

Text is whitespace-normalised (`"  Mes\n rôles "` → `"Mes rôles"`). CSS selectors go through lxml and
cssselect; Django's `assertContains(..., html=True)` remains the tool for a whole fragment.
"""

from __future__ import annotations

from lxml import html as lxml_html


def text_of(element) -> str:
    return " ".join(element.text_content().split())


class Page:
    def __init__(self, response_or_html):
        content = getattr(response_or_html, "content", response_or_html)
        if isinstance(content, bytes):
            content = content.decode()
        self.root = lxml_html.document_fromstring(content)

    def select(self, css: str) -> list:
        return self.root.cssselect(css)

    def one(self, css: str):
        found = self.select(css)
        assert len(found) == 1, f"{css!r}: {len(found)} elements, expected one"
        return found[0]

    def text(self, css: str) -> str:
        return text_of(self.one(css))

    def texts(self, css: str) -> list[str]:
        return [text_of(element) for element in self.select(css)]

    def links(self, css: str = "a") -> dict[str, str]:
        """{text: href} of the links matched."""
        return {text_of(a): a.get("href") for a in self.select(css)}
