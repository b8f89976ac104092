"""Reordering a skill with the keyboard in headless Chromium, then undoing it: the focus stays on the
moved row, the page is not reloaded (fetch enhancement), and the page stays axe-clean. Then the in-row
editor of a shared block's row warns, and a deleted skill is put back by "Annuler" at its place."""

import re

import pytest
from playwright.sync_api import expect

from tests.qualifications.test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _skill_codes(version, code="BC01"):
    block = version.version_blocks.get(block__code=code).block
    return list(block.skills.order_by("order", "pk").values_list("code", flat=True))


def _focused_name(page) -> str:
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return el ? (el.getAttribute('aria-label') || el.innerText || '').trim() : ''; }"
    )


def test_reorder_a_skill_by_keyboard_then_undo(page, accessible, live_server, world):
    from cqphub.qualifications.demo import CQP_TITLE
    from cqphub.qualifications.models import Qualification

    cqp = Qualification.objects.get(title=CQP_TITLE)
    draft = cqp.draft()
    assert _skill_codes(draft)[:3] == ["C1", "C2", "C3"]
    page.set_default_timeout(60_000)  # the machine may be busy; the steps themselves are fast
    login(page, live_server)
    page.goto(f"{live_server.url}/espace/qualifications/{cqp.pk}/versions/{draft.number}/")
    accessible(page)
    page.evaluate("() => { window.__sameDocument = true; }")

    down = page.get_by_role("button", name="Descendre la compétence C1 du bloc BC01")
    down.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('focus') === 'down'")
    assert page.evaluate("() => window.__sameDocument === true")  # swapped in place, no reload
    assert _skill_codes(draft)[:3] == ["C2", "C1", "C3"]
    # the focus is back on the same tool of the moved row (now second: it can still go down)
    focused = page.get_by_role("button", name="Descendre la compétence C1 du bloc BC01")
    assert focused.evaluate("el => el === document.activeElement")
    assert "Ligne déplacée" in page.locator(".cq-row-undo").inner_text()
    accessible(page)

    undo = page.get_by_role("button", name=re.compile(r"^Annuler — Ligne déplacée"))
    undo.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('fait')")
    assert _skill_codes(draft)[:3] == ["C1", "C2", "C3"]
    assert page.get_by_text("Modification annulée").first.is_visible()
    assert page.get_by_role("button", name="Descendre la compétence C1 du bloc BC01").evaluate(
        "el => el === document.activeElement"
    ), _focused_name(page)
    accessible(page)

    # in-place edit by keyboard: open the row's form, change the statement, save
    page.locator("summary").filter(has_text="Modifier la compétence C2 du bloc BC01").focus()
    page.keyboard.press("Enter")
    statement = page.locator("textarea[name$='-statement']:visible")
    statement.fill("Façonner des pâtes levées feuilletées")
    page.get_by_role("button", name="Enregistrer — Modifier la compétence C2 du bloc BC01").press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('focus') === 'edit'")
    block = draft.version_blocks.get(block__code="BC01").block
    assert block.skills.get(code="C2").statement == "Façonner des pâtes levées feuilletées"
    accessible(page)

    # a row of a shared block: its in-row editor says so, with the stand-alone page's warning
    from cqphub.qualifications.demo import CQPI_TITLE

    hygiene = draft.version_blocks.get(block__code="BC03").block
    shared_skill = hygiene.skills.order_by("order", "pk").first()
    page.locator("summary").filter(
        has_text=f"Modifier la compétence {shared_skill.code} du bloc BC03"
    ).click()
    warning = page.locator(f"#sharing-skill-{shared_skill.pk}")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Ce bloc est partagé")
    expect(warning).to_contain_text(CQPI_TITLE)
    accessible(page)

    # delete a skill (confirmation step), then undo from the page it lands on: back at its place
    codes = _skill_codes(draft, "BC02")
    gone = draft.version_blocks.get(block__code="BC02").block.skills.get(code=codes[1])
    page.locator(f"a[href$='/supprimer/skill/{gone.pk}/']").click()
    confirm = page.get_by_role("button", name="Supprimer")
    expect(confirm).to_be_visible()
    accessible(page)
    confirm.press("Enter")
    page.wait_for_url(re.compile(r"[?&]focus=undo"))
    assert _skill_codes(draft, "BC02") == codes[:1] + codes[2:]
    undo = page.get_by_role("button", name=re.compile(r"^Annuler — Compétence supprimée"))
    expect(undo).to_be_focused()  # the page lands on "Annuler"
    accessible(page)
    page.evaluate("() => { window.__sameDocument = true; }")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('fait')")
    assert page.evaluate("() => window.__sameDocument === true")  # put back in place, no reload
    assert _skill_codes(draft, "BC02") == codes
    expect(page.get_by_text("Suppression annulée").first).to_be_visible()
    restored = page.locator(f"#tools-skill-{gone.pk} summary")
    expect(restored).to_be_focused()  # the focus is on the restored row's edit tool
    accessible(page)
