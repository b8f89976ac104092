"""An employer opens a verification link in Chromium: "valid", then "revoked" once the document is
revoked; the page passes axe-core with no serious violation."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from cqphub.credentials import issuer, services
from cqphub.credentials.models import Parchment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _one_award():
    """A qualification, one holder and one full award, written directly (the chain is tested elsewhere)."""
    from cqphub.journeys.models import Candidacy, Candidate, RulesSnapshot
    from cqphub.juries.models import Award, JurySession
    from tests.factories.qualifications import make_qualification

    qualification = make_qualification(title="CQP Boulanger")
    version = qualification.versions.order_by("number").first()
    session = JurySession.objects.create(
        qualification=qualification,
        on=date(2026, 6, 15),
        place="Lyon",
        status="closed",
        opened_at=timezone.now(),
        closed_at=timezone.now(),
    )
    candidate = Candidate.objects.create(birth_name="Martin", first_names="Jeanne", sex="F", birth_year=1990,
                                         birth_month=3, birth_day=3, birth_country="99100", identity_key="browser-1")  # fmt: skip
    snapshot, _ = RulesSnapshot.objects.get_or_create(
        digest=RulesSnapshot.digest_of([]), defaults={"findings": []}
    )
    [candidacy] = Candidacy.objects.bulk_create([Candidacy(candidate=candidate, version=version, qualification=qualification,
                                         route="vae", funding="personal", rules_on=date(2026, 1, 1), rules_snapshot=snapshot)])  # fmt: skip
    return Award.objects.create(candidate=candidate, candidacy=candidacy, version=version, qualification=qualification,
                                kind="full", decision_date=session.on, place="Lyon", jury_session=session, route="vae")  # fmt: skip


def test_employer_sees_valid_then_revoked(live_server, page, accessible):
    award = _one_award()
    services.issue_awards([award])
    parchment = Parchment.objects.get(award=award)
    # the QR code's link: the number and its verification key
    link = f"{live_server.url}/attestations/verifier/{parchment.number}/?cle={issuer.verification_key(parchment.number)}"

    page.goto(link)
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == "valid"
    assert page.get_by_text("Document valide").is_visible()
    assert page.get_by_text("Jeanne MARTIN").is_visible()
    accessible(page)

    page.goto(link.split("?")[0])  # the number alone: valid, the holder's initials only
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == "valid"
    assert page.locator("[data-holder]").inner_text().startswith("J. M.")
    assert page.locator("[data-key-check]").get_attribute("data-key-check") == "missing"
    assert "Jeanne" not in page.content() and "MARTIN" not in page.content()
    accessible(page)
    page.goto(link)

    services.revoke(parchment, reason="Décision rectifiée")
    page.reload()
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == "revoked"
    assert page.get_by_text("Document révoqué").is_visible()
    assert "rectifiée" not in page.content()
    accessible(page)

    page.goto(f"{live_server.url}/attestations/verifier/")
    page.get_by_label("Numéro du document").fill("CQP-0000-2026-00000")
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_load_state()
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == "unknown"
    accessible(page)
