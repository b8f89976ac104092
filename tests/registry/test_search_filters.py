"""Filters combine; facets count what each choice would give."""

from collections import Counter

import pytest

from cqphub.registry.models import Certification
from cqphub.registry.search import SearchFilters, search_certifications
from tests.factories.registry import cqp_registry  # noqa: F401

pytestmark = pytest.mark.django_db


def _all(query="", **filters):
    return search_certifications(query, SearchFilters(**filters), page_size=100)


def _facet(results, name):
    return {v.value: v.count for v in results.facets[name]}


@pytest.mark.shared
class TestOnRealFiches:
    def test_active_only_by_default(self, cqp_registry):  # noqa: F811
        everything = Certification.objects.filter(withdrawn_at__isnull=True)
        assert _all().total == everything.filter(active=True).count()
        assert _all(status="all").total == everything.count()
        assert _all(status="inactive").total == everything.filter(active=False).count()

    def test_register_and_kind(self, cqp_registry):  # noqa: F811
        rs = _all(status="all", register=("RS",))
        assert {h.register for h in rs.hits} == {"RS"} and rs.total == 2
        cqp = _all("tourier", status="all", kind="cqp")
        assert {h.code for h in cqp.hits} == {"RS6117", "RNCP19468"}
        cqpi = _all(kind="cqpi")
        assert cqpi.total and all(h.is_interbranch for h in cqpi.hits)

    def test_level_nsf_rome_idcc_certifier_route_partial(self, cqp_registry):  # noqa: F811
        assert {h.level for h in _all(level=(4, 5)).hits} <= {4, 5}
        assert [h.code for h in _all(rome=("H2913",)).hits] == ["RNCP34172"]
        assert {h.code for h in _all(status="all", idcc=("3117",)).hits} == {"RS6117", "RNCP19468"}
        by_certifier = _all(certifier=("CESI",))
        assert {h.code for h in by_certifier.hits} == {"RNCP35959", "RNCP36490"}
        vae = _all(route=("vae",))
        ids = Certification.objects.filter(code__in=[h.code for h in vae.hits]).values_list(
            "route_vae", flat=True
        )
        assert vae.total and all(ids)
        partial = _all(partial=True)
        assert partial.total and set(
            Certification.objects.filter(code__in=[h.code for h in partial.hits]).values_list(
                "partial_validation", flat=True
            )
        ) == {True}
        nsf = _all(nsf=("311",))
        assert nsf.total and all(
            Certification.objects.get(code=h.code)
            .classifications.filter(scheme="nsf", code__startswith="311")
            .exists()
            for h in nsf.hits
        )

    def test_filters_combine_with_words(self, cqp_registry):  # noqa: F811
        results = _all("animateur", route=("vae",), kind="cqp")
        assert results.total and all(h.is_cqp for h in results.hits)
        assert results.total < _all("animateur").total

    def test_facets_count_every_other_filter_but_not_their_own(self, cqp_registry):  # noqa: F811
        plain = _all("maintenance")
        rs_only = _all("maintenance", register=("RS",))
        # the register facet still shows what RNCP would give
        nonzero = {k: v for k, v in _facet(rs_only, "register").items() if v}
        assert nonzero == _facet(plain, "register") and "RNCP" in nonzero
        # status facet: counts of active and inactive whatever the status chosen
        both = _all("maintenance", status="all")
        assert _facet(plain, "status")["inactive"] == _facet(both, "status")["inactive"]
        # a level count is exactly the total one gets by choosing it
        for value, count in _facet(plain, "level").items():
            assert _all("maintenance", level=(int(value),)).total == count
        for value, count in list(_facet(plain, "rome").items())[:5]:
            assert _all("maintenance", rome=(value,)).total == count

    def test_facets_of_the_whole_registry_match_the_database(self, cqp_registry):  # noqa: F811
        results = _all(status="all")
        rows = Certification.objects.filter(withdrawn_at__isnull=True)
        assert _facet(results, "register") == dict(Counter(rows.values_list("register", flat=True)))
        assert _facet(results, "kind")["cqp"] == rows.filter(is_cqp=True).count()

    def test_selected_values_are_marked_and_always_listed(self, cqp_registry):  # noqa: F811
        results = _all(rome=("H2913",))
        rome = {v.value: v for v in results.facets["rome"]}
        assert rome["H2913"].selected and rome["H2913"].count == 1

    def test_pagination_is_bounded_and_consistent(self, cqp_registry):  # noqa: F811
        first = search_certifications("", SearchFilters(), page=1, page_size=7)
        second = search_certifications("", SearchFilters(), page=2, page_size=7)
        assert len(first.hits) == 7 and not {h.code for h in first.hits} & {h.code for h in second.hits}
        assert search_certifications("", SearchFilters(), page_size=10_000).page_size == 100
        far = search_certifications("", SearchFilters(), page=499)
        assert far.hits == [] and far.total == first.total
