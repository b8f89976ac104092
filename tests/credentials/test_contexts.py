"""JSON-LD contexts: from the npm packages, checked against pinned digests, never fetched."""

import json

import pytest

from cqphub.credentials import contexts


def test_every_pinned_context_loads_and_matches_its_digest():
    loaded = contexts.load()
    assert set(loaded) == set(contexts.PINNED)
    for url, document in loaded.items():
        assert contexts.digest(document) == contexts.PINNED[url][1]
        assert "@context" in document


def test_an_altered_context_is_refused(tmp_path):
    documents = json.loads(contexts.CONTEXTS_FILE.read_text(encoding="utf-8"))
    documents[contexts.VC_V2]["@context"]["name"] = "https://evil.example/name"
    altered = tmp_path / "contexts.json"
    altered.write_text(json.dumps(documents), encoding="utf-8")
    with pytest.raises(contexts.ContextError, match="SHA-256"):
        contexts.load(altered)


def test_a_missing_context_file_says_how_to_install_it(tmp_path):
    with pytest.raises(contexts.ContextError, match="make node"):
        contexts.load(tmp_path / "absent.json")


@pytest.mark.parametrize(
    "url",
    ["https://www.w3.org/2018/credentials/v1", "https://evil.example/context.json", "file:///etc/passwd"],
)
def test_the_loader_refuses_any_other_url(url):
    with pytest.raises(contexts.ContextError, match="refused"):
        contexts.document_loader(url)


def test_the_loader_serves_pinned_contexts():
    answer = contexts.document_loader(contexts.OB_V3)
    assert answer["documentUrl"] == contexts.OB_V3
    assert answer["document"] is contexts.load()[contexts.OB_V3]


def test_the_pure_modules_import_no_django():
    import subprocess
    import sys

    code = (
        "import sys; import cqphub.credentials.signing, cqphub.credentials.openbadges, "
        "cqphub.credentials.status_list, cqphub.credentials.did, cqphub.credentials.canon; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
