"""The style guide in Chromium at a phone and a desktop width: axe-clean, no overflow, working menu."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, email, password):
    page.goto(live_server.url + reverse("orgs:login"))
    page.locator("input[name=username], input[name=email], input[type=email]").first.fill(email)
    page.locator("input[type=password]").first.fill(password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [390, 1280])
def test_style_guide_accessible_and_fits(live_server, page, accessible, django_user_model, settings, width):
    settings.AXES_ENABLED = False
    django_user_model.objects.create_user(email="sg@example.org", password="styleguide-2026")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "sg@example.org", "styleguide-2026")
    page.goto(live_server.url + reverse("web:styleguide"))
    assert page.title()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    accessible(page)
    menu_button = page.get_by_role("button", name="Menu")
    if width < 992:
        assert menu_button.is_visible() and not page.locator("#site-menu").is_visible()
        menu_button.click()
        assert (
            page.locator("#site-menu").is_visible() and menu_button.get_attribute("aria-expanded") == "true"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    else:
        assert not menu_button.is_visible() and page.locator("#site-menu").is_visible()
    # filters apply on change (progressive enhancement)
    page.get_by_label("État", exact=True).select_option("suspended")
    page.wait_for_url("**state=suspended**")
    assert page.locator(".cq-data-table tbody tr").count() == 5
    assert not errors, errors
