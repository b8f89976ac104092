"""The index follows the registry: updates by id, full rebuilds, imports (and failed imports)."""

from datetime import date

import pytest

from cqphub.registry.models import Certification
from cqphub.registry.search import SearchFilters, search_certifications, update_index
from tests.factories.registry import XML_FIXTURE_DATE, make_certification

pytestmark = pytest.mark.django_db


def _all(query="", **filters):
    return search_certifications(query, SearchFilters(**filters), page_size=100)


class TestIndexFollowsTheRegistry:
    def test_update_index_adds_changes_and_drops(self):
        cert = make_certification("RNCP99001", "CQP Opérateur de cœur de réseau", active=True)
        update_index([cert.pk])
        assert [h.code for h in _all("coeur").hits] == ["RNCP99001"]  # œ folded
        assert [h.code for h in _all("cœur réseau").hits] == ["RNCP99001"]
        Certification.objects.filter(pk=cert.pk).update(title="CQP Agent de quai")
        update_index([cert.pk])
        assert _all("coeur").total == 0 and _all("quai").total == 1
        Certification.objects.filter(pk=cert.pk).update(withdrawn_at="2026-01-01T00:00:00Z")
        update_index([cert.pk])
        assert _all("quai").total == 0  # withdrawn: not among the active fiches shown by default
        found = _all("quai", status="all").hits  # but still findable, as an inactive, withdrawn fiche
        assert [(h.code, h.active, h.withdrawn) for h in found] == [("RNCP99001", False, True)]
        # a code typed exactly still leads to a withdrawn fiche
        assert search_certifications("RNCP99001").exact_code == "RNCP99001"

    def test_rebuild_replaces_everything(self):
        make_certification("RNCP99002", "CQP Tonnelier")
        assert _all("tonnelier").total == 0  # not indexed yet
        update_index(None)
        assert _all("tonnelier").total == 1

    @pytest.mark.shared
    def test_the_import_updates_the_index_in_its_transaction(self, rncp_xml_fixture, rncp_csv_sample):
        from cqphub.registry.importer import import_paths

        import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
        assert [h.code for h in _all("cybersécurité").hits] == ["RNCP37488"]
        # a newer export (the CSV sample, dated later here) lists other RNCP fiches: RNCP37488 is
        # withdrawn, found only among all fiches
        import_paths([rncp_csv_sample], as_of=date(2026, 9, 1), allow_mass_withdrawal=True)
        assert _all("cybersécurité").total == 0
        assert [(h.code, h.withdrawn) for h in _all("cybersécurité", status="all").hits] == [
            ("RNCP37488", True)
        ]
        assert [h.code for h in _all("tourier", status="all").hits] == ["RS6117", "RNCP19468"]

    @pytest.mark.shared
    def test_a_failed_import_leaves_the_index_as_it_was(self, rncp_xml_fixture, tmp_path):
        from cqphub.registry.importer import ImportFailed, import_paths

        import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
        broken = tmp_path / "broken.xml"
        broken.write_bytes(rncp_xml_fixture.read_bytes()[:200_000])
        with pytest.raises(ImportFailed):
            import_paths([broken])
        assert [h.code for h in _all("cybersécurité").hits] == ["RNCP37488"]
