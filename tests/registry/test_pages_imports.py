"""The public import history: what was imported when, failures visible, their details to staff only."""

from datetime import date

import pytest
from django.urls import reverse

from cqphub.registry.importer import ImportFailed, import_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(rncp_csv_sample, tmp_path):
    import_paths([rncp_csv_sample])
    bad = tmp_path / "export-fiches-rncp-v4-1-broken.xml"
    bad.write_text("<FICHES><VERSION_FLUX>4.1</VERSION_FLUX><FICHE>", encoding="utf-8")
    with pytest.raises(ImportFailed):
        import_paths([bad], as_of=date(2026, 8, 16))
    return bad


def test_history_lists_runs_newest_first_with_counts_and_file_names_only(client, history, rncp_csv_sample):
    html = client.get(reverse("registry:imports")).content.decode()
    assert html.index(history.name) < html.index(rncp_csv_sample.name)  # newest first
    assert str(rncp_csv_sample.parent) not in html  # no server folders
    assert "échoué" in html and "terminé" in html
    assert ">9<" in html  # 9 fiches read and created
    assert "malformed XML" not in html  # the error's details are for staff


def test_staff_see_why_an_import_failed(client, history, django_user_model):
    staff = django_user_model.objects.create_user(email="staff@example.org", password="x" * 16, is_staff=True)
    client.force_login(staff)
    html = client.get(reverse("registry:imports")).content.decode()
    assert "malformed XML" in html


def test_home_links_to_the_history(client):
    assert reverse("registry:imports") in client.get(reverse("web:home")).content.decode()


def test_history_shows_each_files_export_date(client, history, rncp_csv_sample):
    html = client.get(reverse("registry:imports")).content.decode().replace("\xa0", " ")
    assert "export du 22 février 2024" in html  # the CSV sample's parts are dated _2024_02_22
    assert "export du 16 août 2026" in html  # the broken file, given --as-of
