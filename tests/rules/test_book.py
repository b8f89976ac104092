"""The rule book's integrity: dated versions, no gaps, citations that resolve."""

from datetime import date, timedelta

import pytest

from cqphub.rules import BOOK_START, CATALOGUE, FINDING_IDS, RULES, rules_on, valid_until, versions
from cqphub.rules.book import GENERAL_IDS

REQUIRED = {
    "status.registration", "recognition.scope", "level", "cpf.eligible", "cpf.participation", "cpf.ceiling",
    "vae.access", "vae.minimum_experience_months", "route.plan", "route.professionalisation", "route.pro_a",
    "route.reconversion", "route.apprenticeship", "route.ptp", "route.poe", "contact.france_travail",
    "contact.mission_locale", "contact.cap_emploi", "contact.opco", "contact.france_vae", "contact.cep",
    "contact.transitions_pro",
}  # fmt: skip


def test_the_issue_s_findings_all_exist():
    assert REQUIRED <= set(FINDING_IDS)


@pytest.mark.parametrize("finding", FINDING_IDS)
def test_every_finding_is_covered_from_the_start_of_the_book(finding):
    first = versions(finding)[0]
    assert first.valid_from == BOOK_START


@pytest.mark.parametrize("finding", FINDING_IDS)
def test_versions_of_a_finding_have_distinct_dates_and_chain(finding):
    chain = versions(finding)
    starts = [r.valid_from for r in chain]
    assert len(starts) == len(set(starts)), f"two versions of {finding} start the same day"
    for before, after in zip(chain, chain[1:], strict=False):
        assert valid_until(before) == after.valid_from - timedelta(days=1)
    assert valid_until(chain[-1]) is None


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_cites_known_sources_and_says_how_sure(rule):
    assert rule.citations
    assert all(key in CATALOGUE for key in rule.citations)
    assert rule.summary


def test_rule_ids_are_unique():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


def test_on_each_date_exactly_one_version_per_finding():
    day = BOOK_START
    while day < date(2028, 1, 1):
        chosen = rules_on(day)
        assert [r.finding for r in chosen] == list(FINDING_IDS)
        day += timedelta(days=30)


def test_before_the_book_starts_the_engine_refuses_clearly():
    with pytest.raises(ValueError, match="starts on 2019-01-01"):
        rules_on(date(2018, 12, 31))


def test_general_findings_are_a_subset():
    assert GENERAL_IDS <= set(FINDING_IDS)
    assert {"status.registration", "cpf.eligible", "vae.access", "route.apprenticeship"} <= GENERAL_IDS
