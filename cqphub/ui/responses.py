"""The HTTP status of a page that shows forms, decided in one place.

A page that comes back to the user after a POST is showing refused input (a valid POST redirects):
it answers 400, so tests, tools and assistive technology see the failure; a GET answers 200.
"""

from __future__ import annotations

from django.http import HttpRequest


def form_status(request: HttpRequest, *forms) -> int:
    """400 when a POST comes back to its page, 200 otherwise. With `forms` given, 400 only when one of
    them has errors (a page may redisplay after a POST that was not about its form)."""
    if request.method != "POST":
        return 200
    if not forms:
        return 400
    return 400 if any(form is not None and form.errors for form in forms) else 200
