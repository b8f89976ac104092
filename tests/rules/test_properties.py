"""Invariants that hold for every certification, person and date (hypothesis)."""

import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from cqphub.rules import BOOK_START, FINDING_IDS, CertificationFacts, PersonSituation, evaluate, evaluate_many
from cqphub.rules.facts import Benefit, Kind, Register, Status

dates = st.dates(min_value=BOOK_START, max_value=date(2031, 12, 31))
optional_dates = st.none() | dates


@st.composite
def certification_facts(draw):
    start = draw(optional_dates)
    end = draw(optional_dates)
    if start and end and end < start:
        start, end = end, start
    return CertificationFacts(
        kind=draw(st.sampled_from(list(Kind))),
        register=draw(st.none() | st.sampled_from(list(Register))),
        code=draw(st.none() | st.just("RNCP1")),
        registered_from=start,
        registered_until=end,
        active=draw(st.none() | st.booleans()),
        level=draw(st.none() | st.integers(1, 8)),
        vae_route=draw(st.booleans()),
        partial_validation=draw(st.none() | st.booleans()),
        transmitted=draw(st.none() | st.booleans()),
        branch_opco=draw(st.none() | st.just("Akto")),
    )


@st.composite
def people(draw):
    return PersonSituation(
        status=draw(st.sampled_from(list(Status))),
        age=draw(st.none() | st.integers(14, 80)),
        disability=draw(st.booleans()),
        benefits=frozenset(draw(st.sets(st.sampled_from(list(Benefit))))),
        low_qualified=draw(st.booleans()),
        employer_idcc=draw(st.none() | st.just("1486")),
        employer_opco=draw(st.none() | st.just("Atlas")),
        experience_months=draw(st.none() | st.integers(0, 400)),
        employer_tops_up_cpf=draw(st.booleans()),
        uses_c2p_or_atmp=draw(st.booleans()),
        vae_requests_this_year=draw(st.none() | st.integers(0, 5)),
        manager=draw(st.booleans()),
        obtained_on=draw(optional_dates),
        training_started_on=draw(optional_dates),
        vae_admissible_on=draw(optional_dates),
        in_registration_cohort=draw(st.booleans()),
    )


maybe_people = st.none() | people()
SETTINGS = settings(max_examples=300, deadline=None)


def by_id(findings):
    return {f.id: f for f in findings}


@SETTINGS
@given(certification_facts(), maybe_people, dates)
def test_a_cqp_is_never_reachable_by_apprenticeship(facts, person, on):
    got = by_id(evaluate(facts, person, on))
    if facts.kind in (Kind.CQP, Kind.CQPI):
        assert got["route.apprenticeship"].outcome == "no"


@SETTINGS
@given(certification_facts(), maybe_people, dates)
def test_nothing_unregistered_is_cpf_eligible(facts, person, on):
    got = by_id(evaluate(facts, person, on))
    registered = got["status.registration"].value in {"rncp_active", "rs_active"}
    if not registered:
        assert got["cpf.eligible"].outcome == "no"
        assert got["cpf.participation"].value == 0
        assert got["route.ptp"].outcome == "no"
        assert got["contact.mon_compte_formation"].outcome == "no"


@SETTINGS
@given(certification_facts(), maybe_people, dates)
def test_vae_is_never_offered_for_an_rs_fiche_or_without_rncp(facts, person, on):
    got = by_id(evaluate(facts, person, on))
    if facts.register is not Register.RNCP:
        assert got["vae.access"].outcome == "no"
        assert got["contact.france_vae"].outcome == "no"


@SETTINGS
@given(certification_facts(), maybe_people, dates)
def test_every_finding_is_well_formed_and_cites_a_source(facts, person, on):
    findings = evaluate(facts, person, on)
    assert [f.id for f in findings] == list(FINDING_IDS)
    for f in findings:
        assert f.citations, f.id
        assert f.explanation["fr"] and f.explanation["en"], f.id
        assert f.outcome in {"yes", "no", "conditional", "info"}
        d = f.to_dict()
        json.dumps(d)
        assert all(c["url"].startswith("http") for c in d["citations"])


@SETTINGS
@given(certification_facts(), maybe_people, dates)
def test_dated_rules_respect_their_dates(facts, person, on):
    got = by_id(evaluate(facts, person, on))
    assert got["vae.minimum_experience_months"].value == (12 if on < date(2022, 12, 23) else 0)
    if on >= date(2026, 1, 1):
        assert got["route.pro_a"].outcome == "no"
    else:
        assert got["route.reconversion"].outcome == "no"
    if on < date(2024, 5, 2):
        assert got["cpf.participation"].value == 0
    if person is not None:
        assert got["contact.france_travail"].value == (
            "France Travail" if on >= date(2024, 1, 1) else "Pôle emploi"
        )
    if got["cpf.ceiling"].value is not None:
        assert got["status.registration"].value == "rs_active" and on >= date(2026, 2, 26)


@SETTINGS
@given(certification_facts(), people(), dates)
def test_participation_is_never_due_by_job_seekers_or_with_an_exemption(facts, person, on):
    got = by_id(evaluate(facts, person, on))
    value = got["cpf.participation"].value
    assert value >= 0
    if person.status is Status.JOB_SEEKER or person.employer_tops_up_cpf or person.uses_c2p_or_atmp:
        assert value == 0


@SETTINGS
@given(certification_facts(), dates)
def test_no_legal_existence_opens_no_training_route(facts, on):
    got = by_id(evaluate(facts, None, on))
    if got["status.registration"].value == "no_legal_existence":
        for route in (
            "route.plan",
            "route.professionalisation",
            "route.reconversion",
            "route.apprenticeship",
        ):
            assert got[route].outcome == "no", route
        assert got["recognition.scope"].value is None


@settings(max_examples=50, deadline=None)
@given(st.lists(certification_facts(), min_size=1, max_size=20), maybe_people, dates)
def test_the_fast_path_gives_the_same_answers(facts_list, person, on):
    many = list(evaluate_many(facts_list, person, on))
    assert [f for f, _ in many] == facts_list
    for facts, findings in many:
        assert [x.to_dict() for x in findings] == [x.to_dict() for x in evaluate(facts, person, on)]
