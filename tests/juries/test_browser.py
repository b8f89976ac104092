"""In headless Chromium: an assessor scores a block on a 390-pixel-wide phone screen and signs it; the
jury president adopts the proposals and closes the session. Every page passes axe-core."""

import pytest
from playwright.sync_api import expect

from cqphub.assessment.models import BlockResult, Grid
from cqphub.orgs.demo import DEMO_PASSWORD
from tests.juries.chain import assessed, assessment_session, assign_everywhere, jury_session, ready_candidacy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def purge_decisions(transactional_db):
    """The flush after a transactional test deletes rows: decisions refuse it, so they go first,
    with the triggers suspended (as a database owner would)."""
    yield
    from django.db import connection

    from cqphub.juries import append_only

    with append_only.suspended(connection), connection.cursor() as cursor:
        cursor.execute("DELETE FROM juries_decision")


def _login(page, live_server, email):
    page.goto(f"{live_server.url}/espace/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/espace/")


@pytest.fixture
def committed_world(transactional_db):
    """The demo world, committed: the live server's thread must see it."""
    from tests.journeys.conftest import build_world

    return build_world()


def test_assessor_scores_on_a_phone_and_the_president_closes_the_jury(
    browser, accessible, live_server, committed_world, purge_decisions, settings
):
    from cqphub.juries import services

    world = committed_world
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    session = assessment_session(world)
    assign_everywhere(world, session)
    from cqphub.assessment import services as assessment

    fresh = ready_candidacy(world, 1)
    assessment.add_candidate(actor=None, session=session, candidacy=fresh)
    grid = Grid.objects.filter(candidacy=fresh).select_related("block").order_by("block__code").first()
    done = assessed(world, 2, session=session)
    jury = jury_session(world)
    staff = world.users["certification_officer"]
    services.add_candidate(actor=staff, session=jury, candidacy=done)
    services.open_session(actor=staff, session=jury)

    # The assessor, on a phone.
    phone = browser.new_context(
        locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.set_default_timeout(15_000)
    _login(page, live_server, world.users["assessor"].email)
    page.goto(f"{live_server.url}/espace/evaluation/")
    accessible(page)
    page.get_by_role("link", name=f"{fresh.candidate.display_name} — {grid.block.code}").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    accessible(page)
    first = grid.criterion_ids()[0]
    page.locator(f"#c{first}-met").check()
    page.get_by_role("status").filter(has_text="Enregistré").wait_for()
    page.get_by_role("button", name="Signer la grille").click()
    expect(
        page.get_by_role("alert").filter(has_text="non évalué")
    ).to_be_visible()  # refused: criteria missing
    for cid in grid.criterion_ids():
        page.locator(f"#c{cid}-met").check()
    page.get_by_role("status").filter(has_text=" 0 à évaluer").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    accessible(page)
    page.get_by_role("button", name="Signer la grille").click()
    page.get_by_text("Grille signée.").wait_for()
    assert BlockResult.objects.get(grid=grid).outcome == "passed"
    phone.close()

    # The jury's president, on a desktop.
    desk = browser.new_context(locale="fr-FR")
    page = desk.new_page()
    page.set_default_timeout(15_000)
    _login(page, live_server, world.users["jury_member"].email)
    page.goto(f"{live_server.url}{jury.get_absolute_url()}")
    accessible(page)
    page.get_by_role("button", name="Adopter toutes les propositions").click()
    page.get_by_text("décision(s) enregistrée(s)").wait_for()
    page.get_by_label("Votre mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Clôturer").click()
    page.get_by_text("Session close.").wait_for()
    accessible(page)
    jury.refresh_from_db()
    assert jury.status == "closed" and jury.awards.count() == 1
    desk.close()


def test_a_choice_made_before_the_grid_script_ran_is_saved_when_it_runs(
    browser, live_server, committed_world, purge_decisions
):
    """On a slow connection the assessor may tap before grid.js has loaded: no handler saw that
    change, so the script saves it when it starts instead of leaving a checked box the server never got."""
    import threading

    from cqphub.assessment import services as assessment
    from cqphub.assessment.models import CriterionResult

    world = committed_world
    session = assessment_session(world)
    assign_everywhere(world, session)
    candidacy = ready_candidacy(world, 1)
    assessment.add_candidate(actor=None, session=session, candidacy=candidacy)
    grid = Grid.objects.filter(candidacy=candidacy).order_by("block__code").first()
    first, second = grid.criterion_ids()[:2]

    phone = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    page.set_default_timeout(15_000)
    _login(page, live_server, world.users["assessor"].email)
    script = threading.Event()
    held = []
    page.route("**/assessment/grid.js*", lambda route: held.append(route) or script.set())
    # the held deferred script holds DOMContentLoaded back: wait only for the response
    page.goto(f"{live_server.url}{grid.get_absolute_url()}", wait_until="commit")
    page.locator(f"#c{first}-met").check()  # before the script: no handler yet
    page.locator(f"#c{second}-not").check()
    assert script.is_set() and not CriterionResult.objects.filter(entry__grid=grid).exists()
    held[0].continue_()
    page.get_by_role("status").filter(has_text="Enregistré").wait_for()
    page.wait_for_load_state("networkidle")
    kept = dict(CriterionResult.objects.filter(entry__grid=grid).values_list("criterion_id", "met"))
    assert (kept[first], kept[second]) == (True, False)
    assert {met for cid, met in kept.items() if cid not in (first, second)} == {None}
    phone.close()
