"""Issue 11 §3 — the award chain end to end in headless Chromium, axe-core on every page visited.

Every step is a page its user would use:

1. the branch publishes a version of the demo CQP (registered RNCP99001);
2. a centre's trainer enrols a candidate by the professionalisation-contract route, takes the candidacy
   to "ready for assessment" and, at the candidate's request, opens their account (an e-mail link to
   choose a password);
3. branch staff habilitate the Nord campus to assess the CQP; its manager takes the demo assessor on,
   schedules an assessment session, assigns him every block and lists the candidate; the assessor
   scores every block on a phone-sized screen (390 px) and signs;
4. branch staff record the CQP's jury rules, create the jury session, compose it (three members, the demo jury member presiding),
   list the candidate and open it; the president adopts the proposals and closes the session
   (parchment and credential issued);
5. the holder chooses a password from the e-mail, logs in, downloads the parchment PDF and the JSON
   credential, and copies the verification link;
6. an employer opens the link and sees "valid";
7. branch staff enter the CDC identifiers, produce and download the holder report, which validates
   against the CDC's XSD and whose `urlPreuve` is that same link;
8. a decision is revoked (fraud): the employer's page now says "revoked", and the next holder report
   carries the correction (same idTechnique, dateFinValidite).
"""

from __future__ import annotations

import json
import re

import pytest
from lxml import etree
from playwright.sync_api import expect

from cqphub.assessment.models import Grid
from cqphub.orgs.demo import DEMO_PASSWORD
from cqphub.reporting import holder_report as hr

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NS = {"cpf": hr.NAMESPACE}
HOLDER_PASSWORD = "Fournil-de-Clara-2026"


@pytest.fixture
def purge_decisions(transactional_db):
    """Decisions refuse deletion: the flush after a transactional test removes them first."""
    yield
    from django.db import connection

    from cqphub.juries import append_only

    with append_only.suspended(connection), connection.cursor() as cursor:
        cursor.execute("DELETE FROM juries_decision")


@pytest.fixture
def committed_world(transactional_db):
    from tests.journeys.conftest import build_world

    return build_world()


@pytest.fixture
def issuer_keys(tmp_path, settings, live_server):
    """Issuer keys in a temporary folder, the platform's public address the live server's."""
    from cqphub.credentials import issuer, services
    from cqphub.credentials.did import KeyStore

    settings.CQPHUB_PUBLIC_URL = live_server.url
    settings.CREDENTIALS_KEY_DIR = tmp_path / "keys"
    KeyStore(settings.CREDENTIALS_KEY_DIR, issuer.host()).create(name="CPNE démo")
    services._templates.clear()
    services._signers.clear()
    yield
    services._templates.clear()
    services._signers.clear()


def login(page, live_server, email, password=DEMO_PASSWORD):
    page.goto(f"{live_server.url}/espace/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/espace/")


def desktop(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def follow(page, link_name):
    """Click a link and wait for the next page to have loaded (axe then checks that page)."""
    before = page.url
    page.get_by_role("link", name=link_name).click()
    page.wait_for_url(lambda url: url != before)


def passages(path):
    root = etree.parse(str(path))
    return {p.findtext("cpf:idTechnique", namespaces=NS): p for p in root.iterfind(".//cpf:passageCertification", namespaces=NS)}  # fmt: skip


def download(page, link_name, to):
    with page.expect_download() as event:
        page.get_by_role("link", name=link_name).click()
    event.value.save_as(to)
    return to.read_bytes()


def test_the_award_chain_end_to_end(browser, accessible, live_server, committed_world, purge_decisions,
                                    issuer_keys, mailoutbox, settings, tmp_path, shared_data):  # fmt: skip
    from cqphub.assessment.models import AssessmentSession
    from cqphub.journeys.models import Candidacy
    from cqphub.juries.models import Award, JurySession
    from tests.juries.chain import JURY_DAY, SESSION_DAY

    world = committed_world
    xsd = str(shared_data / "cdc_accrochage" / "cpf_accrochage_pc5_schema_1.0.0_v1.1.2_pix.xsd")
    settings.CQPHUB_CDC_XSD = xsd
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    cqp = world.extra["cqp"]

    # 1. The branch publishes the CQP's draft version.
    context, page = desktop(browser)
    login(page, live_server, world.users["certification_officer"].email)
    draft = cqp.draft()
    page.goto(f"{live_server.url}/espace/qualifications/{cqp.pk}/versions/{draft.number}/publier/")
    accessible(page)
    page.get_by_role("button", name="Publier et figer").click()
    page.get_by_text(f"Version {draft.number} publiée").wait_for()
    cqp.refresh_from_db()
    assert cqp.latest_published().number == draft.number
    context.close()

    # 2. The Lyon school's trainer enrols a job seeker by a professionalisation contract, takes the
    #    candidacy to "ready for assessment", and opens the candidate's account at her request.
    context, page = desktop(browser)
    login(page, live_server, world.users["trainer"].email)
    page.goto(f"{live_server.url}/espace/parcours/")
    accessible(page)
    follow(page, "Inscrire un candidat")
    accessible(page)
    page.get_by_label("Nom de naissance").fill("Benoît")
    page.get_by_label("Prénoms").fill("Clara Jeanne")
    page.get_by_label("Femme").check()
    page.get_by_label("Année de naissance").fill("1996")
    page.get_by_label("Mois de naissance").fill("4")
    page.get_by_label("Jour de naissance").fill("12")
    page.get_by_label("Commune de naissance (code INSEE)").fill("69123")
    page.get_by_label("Adresse e-mail").fill("clara.benoit@example.org")
    page.get_by_label("CQP visé").select_option(label=cqp.title)
    page.get_by_label("Formation", exact=True).check()
    page.get_by_label("Financement ou dispositif").select_option("professionalisation")
    page.get_by_label("Situation de la personne").select_option("job_seeker")
    page.get_by_label("Centre").select_option(label=world.extra["lyon"].name)
    page.get_by_label("Début prévu").fill("2026-03-02")
    page.get_by_role("button", name="Créer la candidature").click()
    page.get_by_text("Candidature créée.").wait_for()
    accessible(page)
    candidacy = Candidacy.objects.get(candidate__birth_name__iexact="Benoît")
    assert (candidacy.route, candidacy.funding) == ("training", "professionalisation")
    for status, label in (("submitted", "Déposée"), ("enrolled", "Inscrite"), ("in_training", "En formation"),
                          ("ready_for_assessment", "Prête pour l'évaluation")):  # fmt: skip
        page.get_by_label("Nouvel état").select_option(status)
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        page.get_by_text(f"État mis à jour : {label}.").wait_for()
    accessible(page)
    candidacy.refresh_from_db()
    assert candidacy.status == "ready_for_assessment"
    follow(page, "Fiche du candidat")
    accessible(page)
    page.get_by_role("button", name="Ouvrir le compte").click()
    page.get_by_text("Compte ouvert").wait_for()
    accessible(page)
    context.close()
    [invitation] = [
        m for m in mailoutbox if m.to == ["clara.benoit@example.org"] and "mot-de-passe" in m.body
    ]
    # the link names the site's configured address; its path is what the live server answers
    choose_password = re.search(
        r"https?://[^/\s]+(/espace/mot-de-passe-oublie/\S+/\S+/)", invitation.body
    ).group(1)

    # 3. The branch habilitates the Nord campus to assess the CQP; its manager takes the demo assessor on,
    #    schedules a session, assigns him every block and lists the candidate.
    nord = world.centres[2]
    context, page = desktop(browser)
    login(page, live_server, world.users["certification_officer"].email)
    page.goto(f"{live_server.url}/espace/qualifications/{cqp.pk}/habilitations/")
    accessible(page)
    page.get_by_role("combobox", name="Centre").select_option(label=nord.name)
    page.get_by_label("Objet").select_option("assess")
    page.get_by_label("Valable du").fill("2026-01-01")
    page.get_by_label("Valable jusqu'au").fill("2029-12-31")
    page.get_by_role("button", name="Enregistrer l’habilitation").click()
    page.get_by_text("Habilitation enregistrée.").wait_for()
    accessible(page)
    context.close()

    context, page = desktop(browser)
    login(page, live_server, world.users["centre_manager"].email)
    page.goto(f"{live_server.url}/espace/centres/{nord.pk}/")
    accessible(page)
    follow(page, "Inviter une personne")
    accessible(page)
    assessor = world.users["assessor"]
    page.get_by_label("Adresse e-mail").fill(assessor.email)
    page.get_by_label("Rôle").select_option("assessor")
    page.get_by_role("button", name="Inviter").click()
    page.get_by_text(f"{assessor.email} a reçu le rôle").wait_for()

    page.goto(f"{live_server.url}/espace/evaluation/")
    accessible(page)
    follow(page, "Programmer une session")
    accessible(page)
    page.get_by_label("Centre d'évaluation").select_option(label=nord.name)
    page.get_by_role("combobox", name="CQP").select_option(label=cqp.title)
    page.get_by_label("Date").fill(SESSION_DAY.isoformat())
    page.get_by_label("Heure").fill("09:00")
    page.get_by_label("Lieu").fill("Campus des métiers Nord, atelier 2, Lille")
    page.get_by_role("button", name="Programmer").click()
    page.get_by_text("Session programmée.").wait_for()
    accessible(page)
    session = AssessmentSession.objects.get(centre=nord, on=SESSION_DAY)
    blocks = list(session.blocks.order_by("code").values_list("pk", "code"))
    assert blocks
    assessors = page.locator("section[aria-labelledby=assessors-title]")
    for pk, code in blocks:
        assessors.get_by_label("Bloc").select_option(str(pk))
        assessors.get_by_label("Évaluateur").select_option(str(assessor.pk))
        assessors.get_by_label("Professionnel du métier").check()
        assessors.get_by_role("button", name="Affecter").click()
        assessors.get_by_role("listitem").filter(has_text=f"{code} — ").wait_for()
    assert session.assignments.filter(assessor=assessor).count() == len(blocks)
    page.get_by_label("Candidature prête pour l'évaluation").select_option(str(candidacy.pk))
    page.get_by_role("button", name="Ajouter le candidat").click()
    page.get_by_role("rowheader", name=candidacy.candidate.display_name).wait_for()
    accessible(page)
    context.close()

    # The assessor scores every block on a phone.
    phone = browser.new_context(
        locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.set_default_timeout(60_000)  # autosave round trips on a loaded CI machine
    login(page, live_server, world.users["assessor"].email)
    grids = list(Grid.objects.filter(candidacy=candidacy).select_related("block").order_by("block__code"))
    assert grids
    for grid in grids:
        page.goto(f"{live_server.url}/espace/evaluation/")
        accessible(page)
        page.get_by_role("link", name=f"{candidacy.candidate.display_name} — {grid.block.code}").click()
        # a tap before the deferred grid.js has run saves nothing: wait for the grid page's load event
        page.wait_for_url(f"**/espace/evaluation/grilles/{grid.pk}/")
        for cid in grid.criterion_ids():
            page.locator(f"#c{cid}-met").check()
            page.get_by_role("status").filter(has_text="Enregistré").wait_for()
        # autosave answers may come back out of order on a loaded machine: read what the server kept
        page.wait_for_load_state("networkidle")
        page.reload()
        for cid in grid.criterion_ids():
            if not page.locator(f"#c{cid}-met").is_checked():
                page.locator(f"#c{cid}-met").check()
                page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        accessible(page)
        page.get_by_role("button", name="Signer la grille").click()
        page.get_by_text("Grille signée.").wait_for()
    phone.close()

    # 4. Branch staff create the jury session, compose it (the demo jury member presides), list the
    #    candidate and open it; the president adopts the proposals and closes the session, which issues
    #    the parchment and the credential.
    candidacy.refresh_from_db()
    assert candidacy.status == "assessed"
    staff = world.users["certification_officer"]
    context, page = desktop(browser)
    login(page, live_server, staff.email)
    page.goto(f"{live_server.url}/espace/jurys/")
    accessible(page)
    follow(page, "Règles de jury des CQP")  # the CQP's regulation, art. 12
    accessible(page)
    page.get_by_role("combobox", name="CQP").select_option(label=cqp.title)
    page.get_by_label("Applicables à partir du").fill("2024-01-01")
    page.get_by_label("Nombre minimal de membres").fill("3")
    page.get_by_label("Quorum").fill("3")
    page.get_by_label("Parité employeurs / salariés").check()
    page.get_by_label("Référence du règlement").fill("Règlement du CQP, art. 12 (démo)")
    page.get_by_role("button", name="Enregistrer les règles").click()
    page.get_by_text("Règles de jury enregistrées.").wait_for()
    accessible(page)
    page.goto(f"{live_server.url}/espace/jurys/")
    follow(page, "Créer une session de jury")
    accessible(page)
    page.get_by_role("combobox", name="CQP").select_option(label=cqp.title)
    page.get_by_label("Date").fill(JURY_DAY.isoformat())
    page.get_by_label("Lieu").fill("CPNE, Paris")
    page.get_by_role("button", name="Créer", exact=True).click()
    page.get_by_text("Session de jury créée").wait_for()
    accessible(page)
    jury = JurySession.objects.get(qualification=cqp, on=JURY_DAY)
    members = (
        ("Sophie Leroy", "employer", "F", world.users["jury_member"]),
        ("Paul Girard", "employee", "M", None),
        ("Inès Robert", "qualified", "F", None),
    )
    for name, college, gender, account in members:
        page.get_by_text("Ajouter un membre").click()
        form = page.locator("form").filter(has=page.locator("input[name=action][value=add_member]"))
        form.get_by_label("Nom").fill(name)
        form.get_by_label("Collège").select_option(college)
        form.get_by_label("Sexe").select_option(gender)
        if account is not None:
            form.get_by_label("Compte (pour accéder à la session)").select_option(str(account.pk))
            form.get_by_label("Président").check()
        form.get_by_role("button", name="Ajouter", exact=True).click()
        page.get_by_role("rowheader", name=name).wait_for()
    page.get_by_text("Inscrire un candidat").click()
    page.get_by_label("Candidature évaluée").select_option(str(candidacy.pk))
    page.get_by_role("button", name="Inscrire", exact=True).click()
    page.get_by_role("rowheader", name=candidacy.candidate.display_name).wait_for()
    accessible(page)
    page.get_by_role("button", name="Ouvrir la session").click()
    page.get_by_text("Session ouverte : les membres").wait_for()
    accessible(page)
    context.close()

    context, page = desktop(browser)
    login(page, live_server, world.users["jury_member"].email)
    page.goto(f"{live_server.url}{jury.get_absolute_url()}")
    accessible(page)
    page.get_by_role("button", name="Adopter toutes les propositions").click()
    page.get_by_text("décision(s) enregistrée(s)").wait_for()
    page.get_by_label("Votre mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Clôturer").click()
    page.get_by_text("Session close.").wait_for()
    accessible(page)
    context.close()
    award = Award.objects.get(candidacy=candidacy, revoked_at__isnull=True)
    assert award.kind == "full"

    # 5. The holder chooses her password from the e-mail, logs in and downloads her documents.
    context, page = desktop(browser)
    page.goto(f"{live_server.url}{choose_password}")
    accessible(page)
    page.locator("input[name=new_password1]").fill(HOLDER_PASSWORD)
    page.locator("input[name=new_password2]").fill(HOLDER_PASSWORD)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    page.wait_for_url("**/mot-de-passe-oublie/termine/")
    accessible(page)
    login(page, live_server, "clara.benoit@example.org", HOLDER_PASSWORD)
    page.goto(f"{live_server.url}/attestations/mes-attestations/")
    accessible(page)
    expect(page.get_by_text(cqp.title).first).to_be_visible()
    pdf = download(page, "Télécharger le PDF", tmp_path / "parchemin.pdf")
    assert pdf.startswith(b"%PDF-")
    credential = json.loads(
        download(page, "Télécharger l'attestation numérique (JSON)", tmp_path / "vc.json")
    )
    assert "VerifiableCredential" in credential["type"] and credential["proof"]
    assert "Clara" in json.dumps(credential, ensure_ascii=False)
    link = page.get_by_label("Lien de vérification à partager").first.input_value()
    assert link.startswith(f"{live_server.url}/attestations/verifier/") and "?cle=" in link
    #    She also asks for the attestation of her blocks, a document of its own beside the parchment.
    page.get_by_role("button", name="Demander une attestation de blocs").click()
    expect(page.get_by_text("Attestation de blocs n°")).to_be_visible()
    expect(page.get_by_label("Lien de vérification à partager")).to_have_count(2)
    accessible(page)
    links = [field.input_value() for field in page.get_by_label("Lien de vérification à partager").all()]
    [attestation_link] = [other for other in links if other != link]
    context.close()

    # 6. An employer (no account) opens the link: valid, with the holder's name (the link's key).
    employer, page = desktop(browser)
    page.goto(link)
    expect(page.locator("[data-outcome]")).to_have_attribute("data-outcome", "valid")
    expect(page.get_by_text("Document valide")).to_be_visible()
    expect(page.locator("[data-holder]")).to_contain_text("Clara")
    accessible(page)

    # 7. Branch staff: CDC identifiers, the holder report produced, downloaded, valid.
    context, page = desktop(browser)
    login(page, live_server, staff.email)
    page.goto(f"{live_server.url}/espace/rapports/")
    accessible(page)
    follow(page, cqp.ip_holder.name)
    accessible(page)
    follow(page, "Saisir les identifiants")
    accessible(page)
    page.get_by_label("Matricule (idClient)").fill("12ABC345")
    page.get_by_label("Numéro de contrat (idContrat)").fill("MCFCER000123")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("button", name="Produire le fichier XML").click()
    expect(page.get_by_text("Validé par le schéma XSD 1.1.2")).to_be_visible()
    accessible(page)
    first = tmp_path / "flux-1.xml"
    download(page, "Télécharger", first)
    assert hr.validate_file(first, xsd) == []
    our_id = f"cqphub-award-{award.pk}"
    ours = passages(first)[our_id]
    assert ours.find("cpf:dateFinValidite", namespaces=NS).get(f"{{{hr.XSI}}}nil") == "true"
    assert ours.findtext(".//cpf:urlPreuve", namespaces=NS) == link
    assert (
        ours.findtext(".//cpf:modaliteAcces", namespaces=NS)
        == "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION"
    )
    assert ours.findtext(".//cpf:nomNaissance", namespaces=NS).upper() == "BENOÎT"
    follow(page, "Enregistrer la réponse de la Caisse des dépôts")
    accessible(page)
    page.get_by_role("button", name="Enregistrer la réponse").click()
    page.get_by_text("Réponse enregistrée").wait_for()
    context.close()

    # 8. A decision revoked for fraud (juries page): the employer's page says "revoked", and the next
    #    holder report carries the correction.
    context, page = desktop(browser)
    login(page, live_server, staff.email)
    page.goto(f"{live_server.url}/espace/jurys/sessions/{jury.pk}/candidats/{candidacy.pk}/")
    accessible(page)
    page.locator("details summary").first.click()
    form = page.locator("details form").first
    form.get_by_label("Nature").select_option(index=1)
    form.get_by_label("Motif").fill("Fraude établie à l'épreuve (démonstration de bout en bout)")
    form.get_by_role("button", name="Révoquer et enregistrer la nouvelle décision").click()
    page.get_by_text("Décision révoquée").wait_for()
    award.refresh_from_db()
    assert award.revoked_at is not None

    page_of_employer = employer.pages[0]
    page_of_employer.reload()
    expect(page_of_employer.locator("[data-outcome]")).to_have_attribute("data-outcome", "revoked")
    expect(page_of_employer.get_by_text("Document révoqué")).to_be_visible()
    assert "Fraude" not in page_of_employer.content()
    accessible(page_of_employer)
    page_of_employer.goto(attestation_link)  # the on-request attestation falls with the decision
    expect(page_of_employer.locator("[data-outcome]")).to_have_attribute("data-outcome", "revoked")
    employer.close()

    page.goto(f"{live_server.url}/espace/rapports/certificateurs/{cqp.ip_holder.siret}/")
    accessible(page)
    page.get_by_role("button", name="Produire le fichier XML").click()
    expect(page.get_by_text("Validé par le schéma XSD 1.1.2")).to_be_visible()
    second = tmp_path / "flux-2.xml"
    download(page, "Télécharger", second)
    assert hr.validate_file(second, xsd) == []
    assert (
        passages(second)[our_id].findtext("cpf:dateFinValidite", namespaces=NS)
        == award.revoked_at.date().isoformat()
    )
    context.close()
