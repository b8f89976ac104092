"""Table-driven tests: every decision table of RULES.md §9, row by row."""

from datetime import date

import pytest

from cqphub.rules import Certainty, PersonSituation, evaluate
from tests.rules.helpers import ON, branch_only, facts, find, person

ACTIVE = {"registered_from": "2021-03-01", "registered_until": "2027-03-01"}
EXPIRED = {"registered_from": "2019-03-01", "registered_until": "2024-03-01"}
NOT_YET = {"registered_from": "2026-09-01", "registered_until": "2031-09-01"}


# -- 9.1 registration status ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("transmitted", "register", "dates", "status"),
    [
        (False, None, {}, "no_legal_existence"),
        (None, None, {}, "transmission_unknown"),  # audit A2: unknown is not "no" (L. 6113-4)
        (True, None, {}, "branch_only"),
        (True, "RNCP", ACTIVE, "rncp_active"),
        (False, "RNCP", ACTIVE, "rncp_active"),
        (None, "RNCP", ACTIVE, "rncp_active"),
        (True, "RS", ACTIVE, "rs_active"),
        (False, "RS", ACTIVE, "rs_active"),
        (True, "RNCP", EXPIRED, "rncp_expired"),
        (False, "RNCP", EXPIRED, "rncp_expired"),
        (True, "RS", EXPIRED, "rs_expired"),
        (True, "RNCP", NOT_YET, "branch_only"),
        (False, "RNCP", NOT_YET, "no_legal_existence"),
        (None, "RNCP", NOT_YET, "transmission_unknown"),  # audit A2: a CQP applying for registration exists
    ],
)
def test_9_1_registration_status(transmitted, register, dates, status):
    kw = {"registered_from": None, "registered_until": None, **dates}
    f = facts(transmitted=transmitted, register=register, code=None, **kw)
    assert find(f)["status.registration"].value == status


def test_9_1_a_registry_fiche_without_dates_follows_its_active_flag():
    assert (
        find(facts(registered_from=None, registered_until=None, active=False))["status.registration"].value
        == "rncp_expired"
    )
    assert (
        find(facts(registered_from=None, registered_until=None, active=True))["status.registration"].value
        == "rncp_active"
    )


def test_9_1_the_registration_ends_at_the_end_of_its_last_day():
    f = facts(**EXPIRED)
    assert find(f, on=date(2024, 3, 1))["status.registration"].value == "rncp_active"
    assert find(f, on=date(2024, 3, 2))["status.registration"].value == "rncp_expired"


def test_9_1_a_non_cqp_is_never_branch_only():
    f = facts(
        kind="other", register=None, code=None, registered_from=None, registered_until=None, transmitted=True
    )
    assert find(f)["status.registration"].value == "no_legal_existence"


# -- 9.2 recognition scope and level -------------------------------------------------------------
@pytest.mark.parametrize(
    ("f", "who", "scope", "outcome", "level"),
    [
        (branch_only(), None, "branch", "yes", None),
        (branch_only(kind="CQPI", idcc=["1486", "0044"]), None, "branch", "yes", None),
        (facts(), None, "national", "yes", 3),
        (facts(level=None), None, "national", "yes", None),
        (facts(register="RS", code="RS1234", level=None), None, "national", "yes", None),
        (facts(**EXPIRED), None, "branch", "conditional", 3),
        (facts(**EXPIRED), person(obtained_on="2023-06-01"), "national", "yes", 3),
        (facts(**EXPIRED, transmitted=False), person(obtained_on="2025-01-10"), None, "no", None),
        (facts(**EXPIRED, transmitted=True), person(obtained_on="2025-01-10"), "branch", "yes", None),
        (branch_only(transmitted=False), None, None, "no", None),
    ],
)
def test_9_2_recognition_scope_and_level(f, who, scope, outcome, level):
    got = find(f, who)
    assert got["recognition.scope"].value == scope
    assert got["recognition.scope"].outcome == outcome
    assert got["level"].value == level


def test_9_2_cqpi_names_every_signatory_branch():
    got = find(branch_only(kind="CQPI", idcc=["1486", "0044"]))
    assert "branches signataires" in got["recognition.scope"].explanation["fr"]


def test_9_2_rs_has_no_level_and_says_it_is_our_reading():
    got = find(facts(register="RS", code="RS1", level=None))["level"]
    assert got.value is None and got.certainty is Certainty.READING


# -- 9.3 who may assert an expired RNCP registration (L. 6113-9) ----------------------------------
@pytest.mark.parametrize(
    ("who", "outcome"),
    [
        ({"obtained_on": "2022-01-01"}, "yes"),  # obtained while registered
        ({"in_registration_cohort": True, "obtained_on": "2024-06-01"}, "yes"),
        ({"vae_admissible_on": "2024-01-15", "obtained_on": "2024-09-01"}, "yes"),
        ({"training_started_on": "2023-09-01"}, "yes"),  # once obtained
        ({"obtained_on": "2025-01-10", "training_started_on": "2024-09-01"}, "no"),
        ({}, "conditional"),
    ],
)
def test_9_3_assertion_of_an_expired_registration(who, outcome):
    got = find(facts(**EXPIRED), person(**who))["registration.assertion"]
    assert got.outcome == outcome


def test_9_3_before_l_6113_9_entering_training_was_not_enough():
    f = facts(registered_from="2019-01-15", registered_until="2020-12-31")
    who = person(training_started_on="2020-09-01")
    assert find(f, who, on=date(2021, 6, 1))["registration.assertion"].outcome == "no"
    assert find(f, who, on=date(2023, 1, 10))["registration.assertion"].outcome == "yes"
    assert (
        find(f, who, on=date(2021, 6, 1))["registration.assertion"].rule
        == "registration.assertion@2019-01-01"
    )


def test_9_3_l_6113_9_is_cited_from_2022_12_23():
    got = find(facts(**EXPIRED), person(obtained_on="2022-01-01"))["registration.assertion"]
    assert any(c.ref.endswith("L. 6113-9") for c in got.citations)


# -- 9.4 CPF -------------------------------------------------------------------------------------
RS = {"register": "RS", "code": "RS1234", "level": None}


@pytest.mark.parametrize(
    ("f", "who", "eligible", "participation", "ceiling"),
    [
        (facts(), person("employee"), "yes", 103.20, None),
        (facts(), person("self_employed"), "yes", 103.20, None),
        (facts(), person("job_seeker"), "yes", 0, None),
        (facts(**RS), person("employee"), "yes", 103.20, 1500),
        (facts(**RS), person("job_seeker"), "yes", 0, 1500),
        (branch_only(), person("employee"), "no", 0, None),
        (branch_only(transmitted=False), person("job_seeker"), "no", 0, None),
        (facts(**EXPIRED), person("employee"), "no", 0, None),
        (facts(), person("employee", employer_tops_up_cpf=True), "yes", 0, None),
        (facts(), person("employee", uses_c2p_or_atmp=True), "yes", 0, None),
    ],
)
def test_9_4_cpf(f, who, eligible, participation, ceiling):
    got = find(f, who)
    assert got["cpf.eligible"].outcome == eligible
    assert got["cpf.participation"].value == participation
    assert got["cpf.ceiling"].value == ceiling


@pytest.mark.parametrize(
    ("on", "amount", "certainty"),
    [
        (date(2019, 6, 1), 0, "verified_in_code"),
        (date(2024, 5, 1), 0, "verified_in_code"),
        (date(2024, 5, 2), 100, "verified_in_code"),
        (date(2024, 12, 31), 100, "verified_in_code"),
        (date(2025, 1, 1), 102.23, "official_page"),
        (date(2025, 12, 31), 102.23, "official_page"),
        (date(2026, 1, 1), 103.20, "secondary_source"),
        (date(2027, 3, 1), 103.20, "our_reading"),  # 2027 revaluation not in the book: said so
    ],
)
def test_9_4_flat_participation_by_date(on, amount, certainty):
    f = facts(registered_from="2019-01-01", registered_until="2029-12-31")
    got = find(f, person("employee"), on)["cpf.participation"]
    assert got.value == amount
    assert got.certainty == certainty


def test_9_4_rs_ceiling_starts_on_2026_02_26():
    f = facts(**RS)
    assert find(f, on=date(2026, 2, 25))["cpf.ceiling"].value is None
    assert find(f, on=date(2026, 2, 26))["cpf.ceiling"].value == 1500


@pytest.mark.parametrize(
    ("who", "credit", "cap"),
    [
        (person("employee"), 500, 5000),
        (person("employee", low_qualified=True), 800, 8000),
        (person("employee", disability=True), 800, 8000),
        (person("self_employed"), 500, 5000),
        (person("job_seeker"), None, None),
        (person("young_in_training", age=19), None, None),
    ],
)
def test_9_4_yearly_credit_and_cap(who, credit, cap):
    got = find(facts(), who)
    assert got["cpf.yearly_credit"].value == credit
    assert got["cpf.cap"].value == cap


# -- 9.5 VAE -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("f", "who", "access"),
    [
        (facts(), None, "yes"),
        (facts(vae_route=False), None, "no"),
        (facts(**EXPIRED), None, "no"),
        (facts(**EXPIRED), person(vae_admissible_on="2023-11-02"), "yes"),
        (facts(**EXPIRED), person(vae_admissible_on="2024-05-02"), "no"),
        (facts(**RS), None, "no"),
        (branch_only(), None, "no"),
        (branch_only(transmitted=False), None, "no"),
    ],
)
def test_9_5_vae_access(f, who, access):
    assert find(f, who)["vae.access"].outcome == access


def test_9_5_minimum_experience_removed_on_2022_12_23():
    f = facts(registered_from="2019-01-01")
    assert find(f, on=date(2022, 12, 22))["vae.minimum_experience_months"].value == 12
    assert find(f, on=date(2022, 12, 23))["vae.minimum_experience_months"].value == 0
    short = person(experience_months=6)
    assert find(f, short, date(2022, 12, 22))["vae.access"].outcome == "no"
    assert find(f, short, date(2022, 12, 23))["vae.access"].outcome == "yes"


def test_9_5_france_vae_procedure_and_its_limits_from_2024():
    f = facts(registered_from="2019-01-01")
    before = find(f, on=date(2023, 12, 31))
    after = find(f, person(vae_requests_this_year=3), on=date(2024, 1, 1))
    assert before["vae.procedure"].value is None
    assert after["vae.procedure"].value["admissibility_decision_months"] == 2
    assert after["vae.procedure"].value["certifications_per_year"] == 3
    assert after["vae.yearly_limit"].outcome == "no"
    assert find(f, person(vae_requests_this_year=1), on=date(2024, 1, 1))["vae.yearly_limit"].value == 2


# -- 9.6 access routes by status (no person: what the certification opens) ------------------------
ROUTES_TABLE = {
    # route: (branch_only, rncp_active, rs_active CQP). Without a person, a route open to some publics
    # only is "conditional" (audit D1); the période de reconversion always is (A5, L. 6324-3).
    "route.plan": ("conditional", "conditional", "conditional"),  # for employees only
    "route.professionalisation": ("conditional", "conditional", "conditional"),
    "route.reconversion": ("conditional", "conditional", "conditional"),
    "route.apprenticeship": ("no", "no", "no"),
    "cpf.eligible": ("no", "yes", "yes"),
    "route.ptp": ("no", "conditional", "conditional"),
    "vae.access": ("no", "yes", "no"),
    "route.poe": ("conditional", "conditional", "conditional"),
}


@pytest.mark.parametrize("route", ROUTES_TABLE)
@pytest.mark.parametrize("column", [0, 1, 2], ids=["branch_only", "rncp_active", "rs_active"])
def test_9_6_routes_by_status(route, column):
    f = [branch_only(), facts(), facts(**RS)][column]
    assert find(f)[route].outcome == ROUTES_TABLE[route][column]


def test_9_6_rs_reading_is_flagged_as_our_reading():
    got = find(facts(**RS))
    assert got["route.professionalisation"].certainty is Certainty.READING
    assert got["route.reconversion"].certainty is Certainty.READING


@pytest.mark.parametrize(
    ("on", "pro_a", "reconversion"),
    [(date(2025, 12, 31), "conditional", "no"), (date(2026, 1, 1), "no", "conditional")],
)
def test_9_6_pro_a_until_2025_then_periode_de_reconversion(on, pro_a, reconversion):
    got = find(facts(), None, on)
    assert got["route.pro_a"].outcome == pro_a
    assert got["route.reconversion"].outcome == reconversion


def test_9_6_a_non_cqp_rncp_diploma_opens_apprenticeship_but_an_rs_fiche_does_not():
    assert find(facts(kind="other"))["route.apprenticeship"].outcome == "conditional"  # by age
    assert find(facts(kind="other"), person(age=20))["route.apprenticeship"].outcome == "yes"
    assert find(facts(kind="other", **RS))["route.apprenticeship"].outcome == "no"
    assert find(facts(kind="other", **RS))["route.professionalisation"].outcome == "no"
    assert find(facts(kind="other", **RS))["route.reconversion"].outcome == "no"


@pytest.mark.parametrize(
    ("who", "outcome"),
    [
        (person("young_in_training", age=20), "yes"),
        (person("young_in_training", age=27), "no"),
        (person("young_in_training"), "conditional"),
        (person("job_seeker", age=30), "yes"),
        (person("job_seeker", age=20), "yes"),
        (person("employee", age=30), "no"),
        (person("employee", age=30, benefits=["RSA"]), "yes"),
        (person("self_employed", benefits=["AAH"]), "yes"),
    ],
)
def test_9_6_professionalisation_contract_publics(who, outcome):
    assert find(facts(), who)["route.professionalisation"].outcome == outcome


@pytest.mark.parametrize(
    ("who", "outcome"),
    [(person("employee", age=20), "yes"), (person("employee", age=30), "conditional"),  # L. 6222-2
     (person("employee", age=40, disability=True), "yes"), (person("employee"), "conditional")],
)  # fmt: skip
def test_9_6_apprenticeship_age_for_a_diploma(who, outcome):
    assert find(facts(kind="other"), who)["route.apprenticeship"].outcome == outcome


@pytest.mark.parametrize(
    ("status", "plan", "reconversion", "ptp", "poe"),
    [
        ("employee", "yes", "conditional", "conditional", "no"),  # L. 6324-3 written agreement
        ("job_seeker", "no", "no", "no", "yes"),
        ("young_in_training", "no", "no", "no", "conditional"),
        ("self_employed", "no", "no", "no", "no"),
    ],
)
def test_9_6_routes_by_person_status(status, plan, reconversion, ptp, poe):
    got = find(facts(), person(status, age=30))
    assert (got["route.plan"].outcome, got["route.reconversion"].outcome) == (plan, reconversion)
    assert (got["route.ptp"].outcome, got["route.poe"].outcome) == (ptp, poe)


# -- 9.7 funding by person status -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "first", "includes", "excludes"),
    [
        (person("young_in_training", age=19), "employer", {"opco", "cpf"}, {"transitions_pro", "state"}),
        (person("employee"), "employer", {"opco", "cpf", "transitions_pro"}, {"agefiph"}),
        # audit D7: the value follows the text's order, the CPF last for job seekers
        (person("job_seeker"), "france_travail", {"region", "opco", "cpf"}, {"employer"}),
        (person("job_seeker", disability=True), "france_travail", {"agefiph"}, set()),
        (person("self_employed"), "faf", {"cpf"}, {"opco"}),
    ],
)
def test_9_7_funding_by_person(who, first, includes, excludes):
    payers = find(facts(), who)["funding.payers"].value
    assert payers[0] == first
    assert includes <= set(payers)
    assert not excludes & set(payers)


def test_9_7_job_seekers_were_funded_by_pole_emploi_before_2024():
    payers = find(facts(), person("job_seeker"), date(2023, 6, 1))["funding.payers"].value
    assert "pole_emploi" in payers and "france_travail" not in payers


def test_9_7_no_cpf_for_a_branch_only_cqp():
    assert "cpf" not in find(branch_only(), person("employee"))["funding.payers"].value


@pytest.mark.parametrize(
    ("who", "on", "outcome"),
    [
        (person("young_in_training", age=20), ON, "no"),  # audit A8: not students nor in training
        (person("job_seeker", age=20), ON, "conditional"),  # "difficultés d'accès à l'emploi durable"
        (person("job_seeker", age=28, disability=True), ON, "conditional"),
        (person("job_seeker", age=28), ON, "no"),
        (person("employee", age=20), ON, "no"),
        (person("young_in_training", age=20), date(2021, 6, 1), "info"),
    ],
)
def test_9_7_contrat_d_engagement_jeune(who, on, outcome):
    assert find(facts(registered_from="2019-01-01"), who, on)["funding.cej"].outcome == outcome


# -- 9.8 contacts ----------------------------------------------------------------------------------
CONTACTS = ("france_travail", "mission_locale", "cap_emploi", "opco", "france_vae", "cep", "transitions_pro")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # France VAE is conditional: whether the certification is on the portal is unknown (audit B5);
        # job seekers get the target branch's OPCO (contrat de pro, POEC: L. 6332-1)
        (person("young_in_training", age=20), ("yes", "yes", "no", "yes", "conditional", "yes", "no")),
        (person("employee", age=40), ("no", "no", "no", "yes", "conditional", "yes", "yes")),
        (person("job_seeker", age=35), ("yes", "no", "no", "yes", "conditional", "yes", "no")),
        (person("job_seeker", age=22), ("yes", "yes", "no", "yes", "conditional", "yes", "no")),
        (
            person("job_seeker", age=40, disability=True),
            ("yes", "no", "yes", "yes", "conditional", "yes", "no"),
        ),
        (
            person("employee", age=40, benefits=["AAH"]),
            ("yes", "no", "yes", "yes", "conditional", "yes", "yes"),
        ),
        (person("self_employed", age=40), ("no", "no", "no", "no", "conditional", "yes", "no")),
    ],
)
def test_9_8_contacts_by_person(who, expected):
    got = find(facts(), who)
    assert tuple(got[f"contact.{c}"].outcome for c in CONTACTS) == expected


def test_9_8_pole_emploi_before_2024_france_travail_after():
    f = facts(registered_from="2019-01-01")
    assert find(f, person("job_seeker"), date(2023, 12, 31))["contact.france_travail"].value == "Pôle emploi"
    assert find(f, person("job_seeker"), date(2024, 1, 1))["contact.france_travail"].value == "France Travail"


def test_9_8_france_vae_only_from_2024_and_only_when_vae_is_open():
    f = facts(registered_from="2019-01-01")
    assert find(f, person(), date(2023, 12, 31))["contact.france_vae"].outcome == "no"
    assert find(f, person(), date(2024, 1, 1))["contact.france_vae"].outcome == "conditional"
    on_portal = facts(registered_from="2019-01-01", on_france_vae=True)
    assert find(on_portal, person(), date(2024, 1, 1))["contact.france_vae"].outcome == "yes"
    assert find(facts(**RS), person())["contact.france_vae"].outcome == "no"


def test_9_8_the_opco_comes_from_the_employer_s_idcc_as_a_plain_input():
    who = PersonSituation.from_dict({"status": "employee", "employer_idcc": "1486", "employer_opco": "Atlas"})
    got = find(facts(), who)["contact.opco"]
    assert got.value == "Atlas" and "1486" in got.explanation["fr"]
    assert find(facts(), person())["contact.opco"].value is None


def test_9_8_cep_operator_by_person():
    assert find(facts(), person("employee", manager=True))["contact.cep"].value == "Apec"
    assert find(facts(), person("job_seeker"))["contact.cep"].value == "France Travail"
    assert find(facts(), person("young_in_training", age=18))["contact.cep"].value == "mission locale"
    assert find(facts(), person("job_seeker", disability=True))["contact.cep"].value == "Cap emploi"


def test_findings_ids_are_stable_and_in_book_order():
    ids = [f.id for f in evaluate(facts(), person(), ON)]
    assert ids[:5] == [
        "certification.kind",
        "status.registration",
        "status.successor",
        "recognition.scope",
        "level",
    ]
    assert ids == [f.id for f in evaluate(branch_only(), None, date(2019, 1, 1))]
