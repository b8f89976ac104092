"""The legal audit's 26 scenarios (../shared/audits/rules-engine-audit.md §5) as regression tests,
with the corrected expectations. Facts mirror the audit's inputs: the real registry fiches of the
CSV sample (RNCP19468 / RS6117 CQP Tourier, RS5000, RNCP509) and of the XML fixture (RNCP35809),
as cqphub/orientation/facts.py now builds them (successors, access routes), plus the audit's facts
files for an active RNCP CQP and three unregistered CQPs."""

from datetime import date

import pytest

from cqphub.rules import Certainty, CertificationFacts, PersonSituation, evaluate

ALL_ROUTES = {
    key: True
    for key in ("initial", "apprenticeship", "continuing", "professionalisation", "individual", "vae")
}

CQP_ACTIVE = {  # the audit's cqp_active.json
    "kind": "CQP", "register": "RNCP", "code": "RNCP99001", "registered_from": "2021-06-01",
    "registered_until": "2026-12-31", "level": 4, "vae_route": True, "partial_validation": True,
    "idcc": ["1486"],
}  # fmt: skip
RS6117 = {
    "kind": "CQP", "register": "RS", "code": "RS6117", "registered_from": "2022-09-29",
    "registered_until": "2025-09-29", "idcc": ["3117"], "vae_route": True,
    "routes": {"initial": False, "apprenticeship": False, "continuing": True, "professionalisation": True,
               "individual": False, "vae": True},
}  # fmt: skip
TOURIER = {  # RNCP19468, RNCP until 2021-07-21, continued by RS6117 (continuity link)
    "kind": "CQP", "register": "RNCP", "code": "RNCP19468", "registered_until": "2021-07-21",
    "idcc": ["3117"], "vae_route": True,
    "routes": {"initial": False, "apprenticeship": False, "continuing": True, "professionalisation": True,
               "individual": True, "vae": True},
    "successors": [{"code": "RS6117", "register": "RS", "registered_from": "2022-09-29",
                    "registered_until": "2025-09-29"}],
}  # fmt: skip
RS5000 = {
    "kind": "other", "register": "RS", "code": "RS5000", "registered_from": "2019-06-13",
    "registered_until": "2024-05-24", "vae_route": True,
    "routes": {"initial": False, "apprenticeship": False, "continuing": True, "professionalisation": False,
               "individual": True, "vae": True},
}  # fmt: skip
BRANCH_TRUE = {"kind": "CQP", "code": "CQP-HCR-01", "transmitted": True, "idcc": ["1486"]}
BRANCH_UNKNOWN = {"kind": "CQP", "code": "CQP-X-02", "idcc": ["1486"]}
BRANCH_FALSE = {"kind": "CQP", "code": "CQP-X-03", "transmitted": False, "idcc": ["1486"]}
BTS = {
    "kind": "other", "register": "RNCP", "code": "RNCP35809", "level": 5, "registered_from": "2021-09-01",
    "registered_until": "2026-08-31", "vae_route": True, "routes": ALL_ROUTES, "registered_by_right": True,
}  # fmt: skip
CAP = {
    "kind": "other", "register": "RNCP", "code": "RNCP509", "level": 3, "registered_until": "2023-08-31",
    "vae_route": True, "routes": ALL_ROUTES,
}  # fmt: skip

YES, NO, COND, INFO = "yes", "no", "conditional", "info"

# (scenario, facts, person, date, {finding: outcome or (outcome, value)})
SCENARIOS = [
    ("S01", CQP_ACTIVE, {"status": "job_seeker", "age": 22}, "2022-06-01", {
        "status.registration": (INFO, "rncp_active"), "cpf.eligible": YES, "cpf.participation": (NO, 0),
        "vae.access": YES, "vae.yearly_limit": (INFO, 3),  # B2: R. 335-7 COND. éduc.
        "route.professionalisation": YES, "route.pro_a": NO, "route.reconversion": NO, "route.apprenticeship": NO,
        "route.poe": YES, "funding.cej": COND,  # A8: L. 5131-6 conditions
        "contact.opco": YES,  # contrat de pro and POEC are OPCO-funded (L. 6332-1)
        "contact.france_travail": (YES, "Pôle emploi"),
    }),
    ("S02", CQP_ACTIVE, {"status": "employee", "age": 45}, "2024-06-01", {
        "cpf.participation": (YES, 100), "route.professionalisation": NO, "route.pro_a": COND, "route.ptp": COND,
        "contact.france_vae": COND,  # B5: portal phased in (R. 6412-1 NOTA)
    }),
    ("S03", CQP_ACTIVE, {"status": "employee", "age": 45}, "2026-06-01", {
        "cpf.participation": (YES, 103.2), "route.reconversion": COND,  # A5: L. 6324-3, L. 6332-1
        "contact.france_vae": COND,
    }),
    ("S04", CQP_ACTIVE, {"status": "self_employed", "age": 38}, "2025-06-01", {
        "cpf.participation": (YES, 102.23), "cpf.cap": (INFO, 5000), "contact.france_vae": COND,
    }),
    ("S05", CQP_ACTIVE, {"status": "job_seeker", "age": 34, "disability": True}, "2023-06-01", {
        "vae.access": YES, "vae.yearly_limit": (INFO, 3), "route.professionalisation": YES, "funding.agefiph": YES,
        "contact.cap_emploi": YES,
    }),
    ("S06", TOURIER, {"status": "employee", "age": 45}, "2022-06-01", {
        "status.registration": (INFO, "rncp_expired"), "status.successor": (INFO, None), "cpf.eligible": NO,
        "vae.yearly_limit": (INFO, 3), "route.pro_a": NO,  # B1: RNCP registered and active (OPCO EP)
        "contact.transitions_pro": NO,  # A9: neither PTP nor VAE
        "recognition.scope": (COND, "branch"),
    }),
    ("S07", TOURIER, {"status": "job_seeker", "age": 22}, "2025-06-01", {
        "status.successor": (INFO, "RS6117"), "cpf.eligible": YES,  # A3: L. 6323-6 INFO via RS6117
        "contact.mon_compte_formation": YES, "route.professionalisation": YES, "funding.cej": COND, "contact.opco": YES,
    }),
    ("S08", TOURIER, {"status": "employee", "age": 45, "training_started_on": "2021-01-10"}, "2024-06-01", {
        "status.successor": (INFO, "RS6117"), "cpf.eligible": YES, "contact.mon_compte_formation": YES,
        "route.pro_a": NO, "route.ptp": COND, "contact.transitions_pro": YES,  # a PTP is possible via RS6117
        "recognition.scope": (YES, "national"),  # L. 6113-9, once obtained (D6)
    }),
    ("S09", RS6117, {"status": "employee", "age": 45}, "2024-06-01", {
        "cpf.eligible": YES, "cpf.participation": (YES, 100), "vae.access": NO, "route.pro_a": NO, "route.ptp": COND,
    }),
    ("S10", RS6117, {"status": "job_seeker", "age": 30}, "2026-06-01", {
        "status.registration": (INFO, "rs_expired"), "cpf.eligible": NO,
        "route.professionalisation": COND,  # B10: transmission unknown
    }),
    ("S11", RS5000, {"status": "employee", "age": 45}, "2023-06-01", {
        "cpf.eligible": YES, "vae.access": NO, "route.ptp": COND, "vae.yearly_limit": (INFO, 3),
    }),
    ("S12", BRANCH_TRUE, {"status": "job_seeker", "age": 22}, "2026-06-01", {
        "status.registration": (INFO, "branch_only"), "cpf.eligible": NO, "route.professionalisation": YES,
        "funding.cej": COND, "contact.opco": YES,
    }),
    ("S13", BRANCH_UNKNOWN, {"status": "employee", "age": 45}, "2025-06-01", {
        "status.registration": (INFO, "transmission_unknown"),  # A2: never "ni transmis"
        "recognition.scope": (COND, "branch"), "route.plan": COND,  # B10
        "route.professionalisation": NO,  # aged 45 and employed: not a public of L. 6325-1
        "route.pro_a": NO, "contact.transitions_pro": NO,
    }),
    ("S14", BTS, {"status": "apprentice", "age": 19}, "2024-06-01", {
        "cpf.yearly_credit": (INFO, 500), "cpf.cap": (INFO, 5000),  # B7: an apprentice is an employee
        "vae.access": COND,  # B4: R. 6412-2
        "funding.cej": NO,  # A8
        "contact.france_vae": COND, "route.apprenticeship": YES, "route.professionalisation": COND,
    }),
    ("S15", BTS, {"status": "employee", "age": 45}, "2026-06-01", {
        "route.reconversion": COND, "route.apprenticeship": COND,  # A11: L. 6222-2
    }),
    ("S16", CAP, {"status": "employee", "age": 40, "disability": True}, "2022-06-01", {
        "vae.access": YES, "vae.yearly_limit": (INFO, 3), "route.pro_a": COND, "route.ptp": COND,
        "route.apprenticeship": YES, "cpf.yearly_credit": (INFO, 800),
    }),
    ("S17", CQP_ACTIVE, {"status": "apprentice", "age": 19}, "2026-06-01", {
        "route.professionalisation": COND,  # A1: L. 6325-1 1°, any status
        "route.reconversion": COND, "funding.cej": NO, "contact.mission_locale": YES, "cpf.yearly_credit": (INFO, 500),
    }),
    ("S18", CQP_ACTIVE, {"status": "employee", "age": 35, "benefits": ["AAH"]}, "2026-06-01", {
        "cpf.yearly_credit": (INFO, 800), "cpf.cap": (INFO, 8000),  # A6: D. 6323-3-3, BOETH
        "route.professionalisation": YES, "route.reconversion": COND,
    }),
    ("S19", CQP_ACTIVE, {"status": "employee", "age": 22}, "2025-06-01", {
        "route.professionalisation": COND, "route.pro_a": COND,  # A1, B1
    }),
    ("S20", RS6117, {"status": "employee", "age": 45}, "2026-03-01", {
        "route.reconversion": COND, "contact.transitions_pro": NO,  # B10, A9
    }),
    ("S21", CQP_ACTIVE, {"status": "young_in_training", "age": 17}, "2026-06-01", {
        "vae.access": COND, "funding.cej": NO, "route.professionalisation": YES,  # B4, A8
    }),
    ("S22", CQP_ACTIVE, {"status": "job_seeker", "age": 40, "experience_months": 6}, "2022-06-01", {
        "vae.access": NO, "vae.minimum_experience_months": (INFO, 12), "vae.yearly_limit": (INFO, 3),
        "route.professionalisation": YES,
    }),
    ("S23", CQP_ACTIVE, {"status": "employee", "age": 45}, "2026-01-15", {"route.reconversion": COND}),
    ("S24", BRANCH_FALSE, {"status": "job_seeker", "age": 34, "disability": True}, "2024-06-01", {
        "status.registration": (INFO, "no_legal_existence"), "cpf.eligible": NO, "route.professionalisation": NO,
        "route.plan": NO, "vae.access": NO,
    }),
    ("S25", TOURIER, {"status": "employee", "age": 45}, "2024-06-01", {
        "status.successor": (INFO, "RS6117"), "cpf.eligible": YES, "contact.mon_compte_formation": YES,
        "route.pro_a": NO, "contact.transitions_pro": YES,
        "recognition.scope": (COND, "national"),  # under RS6117's code, for a certificate obtained so
    }),
    ("S26", CQP_ACTIVE, {"status": "employee", "age": 40, "disability": True}, "2024-06-01", {
        "cpf.yearly_credit": (INFO, 800), "route.pro_a": COND, "contact.france_vae": COND, "route.ptp": COND,
    }),
]  # fmt: skip


def run(facts, person, on):
    findings = evaluate(
        CertificationFacts.from_dict(facts), PersonSituation.from_dict(person), date.fromisoformat(on)
    )
    return {f.id: f for f in findings}


@pytest.mark.parametrize(
    ("name", "facts", "person", "on", "expected"), SCENARIOS, ids=[s[0] for s in SCENARIOS]
)
def test_audit_scenario(name, facts, person, on, expected):
    got = run(facts, person, on)
    for finding, want in expected.items():
        outcome, value = (want, ...) if isinstance(want, str) else want
        assert got[finding].outcome == outcome, f"{name} {finding}: {got[finding].explanation['fr']}"
        if value is not ...:
            assert got[finding].value == value, f"{name} {finding}"


def test_the_26_scenarios_are_all_there():
    assert [s[0] for s in SCENARIOS] == [f"S{i:02d}" for i in range(1, 27)]


def test_s13_never_asserts_non_transmission():
    """A2: 'ni enregistré ni transmis' only when transmitted is false (S24), never when unknown (S13)."""
    for finding in run(BRANCH_UNKNOWN, {"status": "employee", "age": 45}, "2025-06-01").values():
        assert "ni transmis" not in finding.explanation["fr"], finding.id
        assert "Aucune base légale" not in finding.explanation["fr"], finding.id
    assert (
        "ni transmis"
        in run(BRANCH_FALSE, {"status": "job_seeker"}, "2024-06-01")["status.registration"].explanation["fr"]
    )


def test_s23_the_20_day_opco_rule_starts_on_2026_02_01():
    """A5: R. 6324-2 is in force from 2026-02-01."""
    employee = {"status": "employee", "age": 45}
    assert "20 jours" not in run(CQP_ACTIVE, employee, "2026-01-31")["route.reconversion"].explanation["fr"]
    assert "20 jours" in run(CQP_ACTIVE, employee, "2026-02-01")["route.reconversion"].explanation["fr"]
    assert "accord écrit" in run(CQP_ACTIVE, employee, "2026-01-15")["route.reconversion"].explanation["fr"]


def test_s01_names_pole_emploi_in_2022():
    """A8/D4: France Travail replaced Pôle emploi on 2024-01-01 (loi n° 2023-1196)."""
    cej = run(CQP_ACTIVE, {"status": "job_seeker", "age": 22}, "2022-06-01")["funding.cej"].explanation["fr"]
    assert "Pôle emploi" in cej and "France Travail" not in cej


def test_editorial_findings_are_our_reading():
    """C5: the payers' order and the choice of contacts are editorial (RULES.md §9.7, §9.8)."""
    got = run(CQP_ACTIVE, {"status": "employee", "age": 45}, "2026-06-01")
    assert got["funding.payers"].certainty is Certainty.READING
    assert all(got[k].certainty is Certainty.READING for k in got if k.startswith("contact."))


def test_apprenticeship_no_for_a_cqp_is_not_labelled_verified_in_code():
    """C2: L. 6211-1 read with L. 6113-5 II and the 2018 debates: secondary source."""
    got = run(CQP_ACTIVE, {"status": "young_in_training", "age": 18}, "2026-06-01")["route.apprenticeship"]
    assert got.outcome == "no" and got.certainty is Certainty.SECONDARY
    assert "niveau" not in got.explanation["fr"]  # not the obsolete 2012 "no level" argument
