"""Table-driven tests for every item of the legal audit (A, B, C, and the engine's texts of D), each
with its boundary dates and the article it rests on (../shared/audits/rules-engine-audit.md §2)."""

from datetime import date

import pytest

from cqphub.rules import Certainty
from tests.rules.helpers import branch_only, facts, find, person

D = date.fromisoformat
ACTIVE_2019 = {"registered_from": "2019-01-01", "registered_until": "2029-12-31"}


# -- A1 contrat de professionnalisation: L. 6325-1 1° (16–25 whatever the status), 2°, 3° ----------
@pytest.mark.parametrize(
    ("status", "extra", "outcome"),
    [
        ("employee", {"age": 22}, "conditional"),  # 1°: any status, with the hiring employer
        ("employee", {"age": 25}, "conditional"),
        ("employee", {"age": 26}, "no"),
        ("self_employed", {"age": 20}, "conditional"),
        ("apprentice", {"age": 19}, "conditional"),
        ("young_in_training", {"age": 16}, "yes"),
        ("young_in_training", {"age": 15}, "no"),
        ("job_seeker", {"age": 26}, "yes"),  # 2°
        ("job_seeker", {}, "yes"),  # 1° or 2°: said so, not "26 and over" (A11)
        ("employee", {"age": 40, "former_cui": True}, "yes"),  # 3° former CUI
        ("employee", {"age": 40, "benefits": ["ASS"]}, "yes"),  # 3°
    ],
)
def test_a1_professionalisation_l6325_1(status, extra, outcome):
    got = find(facts(), person(status, **extra))["route.professionalisation"]
    assert got.outcome == outcome
    assert "L. 6325-1" in " ".join(c.ref for c in got.citations)
    if status == "job_seeker" and not extra:
        assert "26 ans et plus (2°)" in got.explanation["fr"] and "(1°)" in got.explanation["fr"]


# -- A2 / B10 unknown transmission (L. 6113-4) --------------------------------------------------
@pytest.mark.parametrize(
    ("transmitted", "dates", "status", "plan"),
    [
        (None, {}, "transmission_unknown", "conditional"),
        (True, {}, "branch_only", "yes"),
        (False, {}, "no_legal_existence", "no"),
        (None, {"registered_from": "2026-09-01"}, "transmission_unknown", "conditional"),
        (True, {"registered_from": "2026-09-01"}, "branch_only", "yes"),
    ],
)
def test_a2_unknown_transmission_is_not_no(transmitted, dates, status, plan):
    if dates:  # an RNCP registration not yet in force
        f = facts(transmitted=transmitted, code=None, registered_until=None, level=None, **dates)
    else:
        f = branch_only(transmitted=transmitted)
    got = find(f, person("employee"), D("2026-06-01"))
    assert got["status.registration"].value == status
    assert got["route.plan"].outcome == plan
    if transmitted is None:
        assert "transmis à France compétences" in got["route.plan"].explanation["fr"]


def test_b10_lapsed_cqp_routes_are_conditional_on_transmission():
    got = find(
        facts(registered_from="2019-03-01", registered_until="2024-03-01", transmitted=None),
        person("job_seeker", age=30),
    )
    assert got["route.professionalisation"].outcome == "conditional"


# -- A3 successors (L. 6323-6 I) ----------------------------------------------------------------
SUCCESSOR = [
    {"code": "RS6117", "register": "RS", "registered_from": "2022-09-29", "registered_until": "2025-09-29"}
]


@pytest.mark.parametrize(
    ("on", "successor", "cpf"),
    [
        ("2022-09-28", None, "no"),
        ("2022-09-29", "RS6117", "yes"),
        ("2025-09-29", "RS6117", "yes"),
        ("2025-09-30", None, "no"),
    ],
)
def test_a3_successor_in_force_on_the_date(on, successor, cpf):
    f = facts(registered_from=None, registered_until="2021-07-21", level=None, successors=SUCCESSOR)
    got = find(f, person("employee"), D(on))
    assert got["status.successor"].value == successor
    assert got["cpf.eligible"].outcome == cpf
    assert got["contact.mon_compte_formation"].outcome == cpf


def test_a3_facts_accept_successors_and_refuse_bad_ones():
    assert facts(successors=["RNCP1"]).successors[0].code == "RNCP1"
    with pytest.raises(ValueError, match=r"successors\[0\].registered_from"):
        facts(successors=[{"code": "RS1", "registered_from": "soon"}])


# -- A4 the fiche's own access routes (R. 6113-16) --------------------------------------------------
@pytest.mark.parametrize(
    ("routes", "outcome"),
    [
        ({"professionalisation": False}, "no"),
        ({"professionalisation": True}, "yes"),
        ({}, "yes"),
        ({"vae": True}, "yes"),
    ],
)
def test_a4_a_route_the_fiche_closes_is_no_a_missing_key_is_not_stated(routes, outcome):
    got = find(facts(kind="other", routes=routes), person("job_seeker", age=30))["route.professionalisation"]
    assert got.outcome == outcome


def test_a4_apprenticeship_closed_by_the_fiche():
    assert (
        find(facts(kind="other", routes={"apprenticeship": False}), person(age=19))[
            "route.apprenticeship"
        ].outcome
        == "no"
    )
    with pytest.raises(ValueError, match="routes"):
        facts(routes={"by_magic": True})


# -- A5 période de reconversion (L. 6324-3, L. 6332-1 I 1° bis, R. 6324-2) --------------------------
@pytest.mark.parametrize(
    ("on", "outcome", "twenty_days"),
    [
        ("2025-12-31", "no", False),
        ("2026-01-01", "conditional", False),
        ("2026-01-31", "conditional", False),
        ("2026-02-01", "conditional", True),
    ],
)
def test_a5_reconversion_is_conditional_and_20_days_from_2026_02_01(on, outcome, twenty_days):
    got = find(facts(**ACTIVE_2019), person("employee"), D(on))["route.reconversion"]
    assert got.outcome == outcome
    assert ("20 jours" in got.explanation["fr"]) is twenty_days
    if outcome == "conditional":
        assert "accord écrit" in got.explanation["fr"] and "moitié de vos droits" in got.explanation["fr"]


# -- A6 / B11 CPF credit (D. 6323-3-3 BOETH, R. 6323-29 ESAT, R. 6323-3-1 II, R. 6323-1 II) ---------
@pytest.mark.parametrize(
    ("who", "credit", "cap", "text"),
    [
        ({"benefits": ["AAH"]}, 800, 8000, "D. 6323-3-3"),
        ({"benefits": ["invalidity_pension"]}, 800, 8000, "D. 6323-3-3"),
        ({"benefits": ["atmp_annuity"]}, 800, 8000, "D. 6323-3-3"),
        ({"disability": True}, 800, 8000, "D. 6323-3-3"),
        ({"esat": True}, 800, 8000, "R. 6323-29"),
        ({"low_qualified": True}, 800, 8000, "R. 6323-3-1 II"),
        ({"part_time_below_half": True}, 500, 5000, "R. 6323-1 II"),
        ({}, 500, 5000, ""),
    ],
)
def test_a6_cpf_credit(who, credit, cap, text):
    got = find(facts(), person("employee", **who))
    assert (got["cpf.yearly_credit"].value, got["cpf.cap"].value) == (credit, cap)
    assert text in got["cpf.yearly_credit"].explanation["fr"]


def test_d6_the_cap_text_of_a_job_seeker_is_about_the_cap():
    got = find(facts(), person("job_seeker"))["cpf.cap"]
    assert "plafond" in got.explanation["fr"].lower() and "crédit annuel" not in got.explanation["fr"]


# -- A7 the socle (CléA): D. 6323-1 A 1°, L. 6324-1 -------------------------------------------------
@pytest.mark.parametrize(
    ("on", "socle", "ceiling"),
    [("2026-02-25", False, None), ("2026-02-26", False, 1500), ("2026-02-26", True, None)],
)
def test_a7_socle_has_no_rs_ceiling(on, socle, ceiling):
    f = facts(kind="other", register="RS", code="RS5080", level=None, socle=socle)
    assert find(f, person("employee"), D(on))["cpf.ceiling"].value == ceiling


def test_a7_socle_allows_the_periode_de_reconversion():
    rs = {"kind": "other", "register": "RS", "code": "RS5080", "level": None}
    assert find(facts(**rs), person("employee"))["route.reconversion"].outcome == "no"
    assert find(facts(**rs, socle=True), person("employee"))["route.reconversion"].outcome == "conditional"


# -- A8 CEJ (L. 5131-6) ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "on", "outcome", "body"),
    [
        ("job_seeker", "2022-02-28", "info", None),
        ("job_seeker", "2022-03-01", "conditional", "Pôle emploi"),
        ("job_seeker", "2024-01-01", "conditional", "France Travail"),
        ("young_in_training", "2026-06-01", "no", None),
        ("apprentice", "2026-06-01", "no", None),
    ],
)
def test_a8_cej(status, on, outcome, body):
    got = find(facts(**ACTIVE_2019), person(status, age=20), D(on))["funding.cej"]
    assert got.outcome == outcome
    if body:
        assert body in got.explanation["fr"]


# -- A9 / B6 Transitions Pro: only where PTP or VAE is possible; Fongecif until 2019-12-31 -----------
@pytest.mark.parametrize(
    ("f", "on", "outcome", "name", "vae_rate"),
    [
        (facts(**ACTIVE_2019), "2019-12-31", "yes", "Fongecif", False),
        (facts(**ACTIVE_2019), "2020-01-01", "yes", "Transitions Pro", False),
        (facts(**ACTIVE_2019), "2022-12-22", "yes", "Transitions Pro", False),
        (facts(**ACTIVE_2019), "2022-12-23", "yes", "Transitions Pro", True),
        (branch_only(), "2025-06-01", "no", "Transitions Pro", False),
    ],
)
def test_a9_transitions_pro(f, on, outcome, name, vae_rate):
    got = find(f, person("employee"), D(on))["contact.transitions_pro"]
    assert (got.outcome, got.value) == (outcome, name)
    assert ("forfait VAE" in got.explanation["fr"]) is vae_rate


# -- A11 apprenticeship ages (L. 6222-1, L. 6222-2) --------------------------------------------------
@pytest.mark.parametrize(
    ("age", "outcome"), [(14, "no"), (15, "conditional"), (16, "yes"), (29, "yes"), (30, "conditional")]
)
def test_a11_apprenticeship_ages(age, outcome):
    got = find(facts(kind="other"), person("job_seeker", age=age))["route.apprenticeship"]
    assert got.outcome == outcome
    if age == 15:
        assert "L. 6222-1" in got.explanation["fr"]
    if age == 30:
        assert "L. 6222-2" in got.explanation["fr"]


# -- B1 Pro-A 2019–2025 (L. 6324-1 to -3 then in force, D. 6324-1-1, OPCO EP) ------------------------
@pytest.mark.parametrize(
    ("f", "who", "outcome"),
    [
        (facts(), {"contract": "cdi"}, "conditional"),
        (facts(), {"contract": "cui"}, "conditional"),
        (facts(), {"contract": "cdd"}, "no"),
        (facts(), {"contract": "cdi", "qualification_level": 6}, "no"),
        (facts(), {"contract": "cdi", "qualification_level": 5}, "conditional"),
        (branch_only(), {"contract": "cdi"}, "no"),  # RNCP registered and active (OPCO EP)
        (facts(register="RS", code="RS1", level=None), {"contract": "cdi"}, "no"),
    ],
)
def test_b1_pro_a(f, who, outcome):
    got = find(f, person("employee", **who), D("2025-06-01"))["route.pro_a"]
    assert got.outcome == outcome
    assert any("L. 6324-1 (rédaction en vigueur du 01/01/2019" in c.ref for c in got.citations)


def test_b1_pro_a_ends_on_2026_01_01():
    assert (
        find(facts(), person("employee", contract="cdi"), D("2025-12-31"))["route.pro_a"].outcome
        == "conditional"
    )
    assert find(facts(), person("employee", contract="cdi"), D("2026-01-01"))["route.pro_a"].outcome == "no"


# -- B2 / B3 / C6 VAE before the reform (C. éduc. L. 335-5, R. 335-6 II, R. 335-7) -----------------------
@pytest.mark.parametrize(("on", "limit"), [("2019-06-01", 3), ("2023-12-31", 3), ("2024-01-01", 3)])
def test_b2_yearly_limit_existed_before_2024(on, limit):
    got = find(facts(**ACTIVE_2019), person(vae_requests_this_year=1), D(on))["vae.yearly_limit"]
    assert got.value == limit - 1
    assert any("R. 335-7" in c.ref for c in got.citations)


def test_b3_the_twelve_months_rest_on_the_code_de_l_education():
    got = find(facts(**ACTIVE_2019), None, D("2022-12-22"))["vae.minimum_experience_months"]
    assert got.value == 12 and any("R. 335-6" in c.ref for c in got.citations)
    assert "loi.2022-1598" not in {c.key for c in got.citations}
    assert find(facts(**ACTIVE_2019), None, D("2022-12-23"))["vae.minimum_experience_months"].value == 0


# -- B4 VAE and initial training for the same certification (R. 6412-2) ---------------------------
@pytest.mark.parametrize(
    ("status", "on", "outcome"),
    [("young_in_training", "2023-12-31", "yes"), ("young_in_training", "2024-01-01", "conditional"),
     ("apprentice", "2024-01-01", "conditional"), ("employee", "2024-01-01", "yes")],
)  # fmt: skip
def test_b4_vae_and_initial_training(status, on, outcome):
    assert find(facts(**ACTIVE_2019), person(status, age=19), D(on))["vae.access"].outcome == outcome


# -- B5 France VAE only where the certification is on the portal (R. 6412-1 NOTA) -------------------
@pytest.mark.parametrize(
    ("on_portal", "who", "outcome"),
    [
        (True, {}, "yes"),
        (None, {}, "conditional"),
        (False, {}, "no"),
        (True, {"vae_admissible_on": "2023-06-01"}, "no"),
    ],
)
def test_b5_france_vae(on_portal, who, outcome):
    got = find(facts(on_france_vae=on_portal), person(**who), D("2024-06-01"))["contact.france_vae"]
    assert got.outcome == outcome


# -- B6 dated institutions (L. 6111-6, L. 5314-2) -------------------------------------------------------
@pytest.mark.parametrize(
    ("on", "operator"), [("2019-12-31", "Fongecif de votre région"), ("2020-01-01", "opérateur CEP régional")]
)
def test_b6_cep_operator_for_employees(on, operator):
    assert find(facts(**ACTIVE_2019), person("employee"), D(on))["contact.cep"].value == operator


@pytest.mark.parametrize(("on", "outcome"), [("2024-12-31", "no"), ("2025-01-01", "yes")])
def test_b6_mission_locale_up_to_29_with_rqth_only_from_2025(on, outcome):
    got = find(facts(**ACTIVE_2019), person("job_seeker", age=28, disability=True), D(on))[
        "contact.mission_locale"
    ]
    assert got.outcome == outcome


@pytest.mark.parametrize(
    ("on", "mentions"), [("2025-12-31", "Pro-A"), ("2026-01-01", "période de reconversion")]
)
def test_b6_the_employer_contact_follows_the_date(on, mentions):
    got = find(facts(**ACTIVE_2019), person("employee"), D(on))["contact.employer"]
    assert mentions in got.explanation["fr"]


# -- B7 apprentice and public agents -------------------------------------------------------------
def test_b7_public_agents_are_told_the_book_does_not_cover_them():
    got = find(facts(), person("employee", sector="public"))
    for key in ("route.plan", "route.reconversion", "route.ptp", "cpf.yearly_credit"):
        assert "fonction publique" in got[key].explanation["fr"], key
        assert got[key].certainty is Certainty.READING
    assert got["contact.opco"].outcome == "no"
    assert got["cpf.eligible"].outcome == "yes"  # the certification's eligibility does not change


# -- B8 POE publics (L. 6326-1) ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "outcome"),
    [({"contract": "cui"}, "conditional"), ({"disability": True}, "conditional"), ({}, "no")],
)
def test_b8_poe_for_some_employees(who, outcome):
    assert find(facts(), person("employee", **who))["route.poe"].outcome == outcome


# -- B9 PTP seniority exemptions (L. 6323-17-2 I) ------------------------------------------------------
def test_b9_no_seniority_condition_for_a_boeth():
    got = find(facts(), person("employee", benefits=["AAH"]))["route.ptp"]
    assert "sans condition d'ancienneté" in got.explanation["fr"]
    assert "réel et sérieux" in got.explanation["fr"]  # démission-reconversion (L. 6323-17-6)


# -- B11 the experimental contrat de professionnalisation with VAE actions (loi n° 2022-1598 art. 11) --
@pytest.mark.parametrize(
    ("on", "said"), [("2023-05-27", False), ("2023-05-28", True), ("2026-02-28", True), ("2026-03-01", False)]
)
def test_b11_vae_experiment(on, said):
    got = find(facts(**ACTIVE_2019), person("job_seeker", age=30), D(on))["route.professionalisation"]
    assert ("actions de VAE" in got.explanation["fr"]) is said


# -- C3 checked_until and the caveat after the snapshot ----------------------------------------------
@pytest.mark.parametrize(("on", "caveat"), [("2026-03-27", False), ("2026-03-28", True)])
def test_c3_later_texts_not_checked(on, caveat):
    got = find(facts(**ACTIVE_2019), person(), D(on))
    for finding in got.values():
        assert finding.checked_until == D("2026-03-27")
        assert (finding.caveat is not None) is caveat
    if caveat:
        assert "postérieurs" in got["cpf.eligible"].caveat["fr"]


# -- C4 registration by right: L. 6113-5 I ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("by_right", "kind", "text"),
    [(True, "other", "L. 6113-5 I,"), (False, "other", "L. 6113-5 II"), (True, "CQP", "L. 6113-5 II")],
)
def test_c4_registration_paragraph(by_right, kind, text):
    assert (
        text in find(facts(kind=kind, registered_by_right=by_right))["status.registration"].explanation["fr"]
    )


# -- D6 texts ----------------------------------------------------------------------------------------------
def test_d6_vae_procedure_texts():
    got = find(facts(on_france_vae=True), person(), D("2024-06-01"))["vae.procedure"].explanation["fr"]
    assert "sauf motif légitime" in got and "présentation devant le jury" in got


def test_d6_poe_does_not_call_an_expired_diploma_non_existent():
    f = facts(kind="other", registered_from="2019-01-01", registered_until="2022-01-01")
    assert "existence légale" not in find(f, person("job_seeker"))["route.poe"].explanation["fr"]


@pytest.mark.parametrize(
    ("on", "said"), [("2021-01-14", False), ("2021-01-15", True), ("2025-12-31", True), ("2026-01-01", False)]
)
def test_b9_transitions_collectives_2021_2025(on, said):
    got = find(facts(**ACTIVE_2019), person("employee"), D(on))["route.ptp"]
    assert ("Transitions collectives" in got.explanation["fr"]) is said
