"""The fast RDFC-1.0 path gives exactly pyld's canonical N-Quads, on varied and hostile inputs."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cqphub.credentials import canon
from tests.credentials.conftest import HOST, make_credential

ISSUER = f"did:web:{HOST}"
text = st.text(st.characters(exclude_categories=("Cs",)), min_size=0, max_size=24)
iris = st.sampled_from(
    [
        "urn:uuid:0b5e0c52-8d43-4f0e-9b8e-1c2d3e4f5a6b",
        "https://example.org/credentials/42?x=1#frag",
        "did:web:example.org%3A8443:issuers:cpne",
        ISSUER,  # same id as the issuer: the RDF conversion merges the two nodes
        "sec:proofValue",  # a compact IRI: the prefix is a term of the contexts
        "id",  # a term, not an IRI
        "not an iri",
        "_:b0",  # a blank node identifier
        "urn:cqphub-placeholder:3",  # our own placeholder text as a value
        "https://example.org/a b",
    ]
)
holders = st.fixed_dictionaries(
    {
        "name": text,
        "email": st.one_of(st.just(""), st.emails()),
        # not "_:b0" as the holder: with the same credential id it makes a blank node point at itself,
        # where pyld departs from RDFC-1.0 (see test_interop.py::test_a_blank_node_pointing_at_itself)
        "holder_did": st.one_of(st.just(""), iris.filter(lambda iri: iri != "_:b0")),
        "blocks": st.lists(st.sampled_from(["BC01", "BC02", "BC03", "BC09"]), max_size=4, unique=True),
        "index": st.integers(0, 131_071),
        "credential_id": iris,
        "attestation": st.booleans(),
    }
)


def _same_as_pyld(document):
    try:
        fast = canon.canonical_nquads(document)
    except canon.UnsafeDocument:
        return  # refused (a value would be dropped): nothing is signed, nothing to compare
    assert fast == canon.pyld_canonical(document)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(holders, min_size=1, max_size=4), fresh=st.booleans())
def test_fast_path_equals_pyld_on_generated_credentials(batch, fresh):
    if fresh:
        canon.clear_cache()
    for holder in batch:
        _same_as_pyld(make_credential(ISSUER, **holder))


@settings(max_examples=25, deadline=None)
@given(values=st.lists(text, min_size=6, max_size=6))
def test_raw_strings_with_any_character_are_escaped_like_pyld(values):
    document = make_credential(ISSUER)
    subject = document["credentialSubject"]
    subject["identifier"][0]["identityHash"] = values[0]
    subject["achievement"]["name"] = values[1]
    subject["achievement"]["criteria"]["narrative"] = values[2]
    document["name"] = values[3]
    document["issuer"]["name"] = values[4]
    document["validFrom"] = values[5]
    _same_as_pyld(document)


def test_shared_values_are_folded_and_the_holder_values_still_count():
    canon.clear_cache()
    documents = [make_credential(ISSUER, name=f"Holder {i}", index=i) for i in range(8)]
    for document in documents:
        assert canon.canonical_nquads(document) == canon.pyld_canonical(document)
    assert len({canon.canonical_nquads(d) for d in documents}) == len(documents)


def test_equal_first_degree_hashes_take_the_complete_algorithm():
    document = make_credential(ISSUER)
    identity = document["credentialSubject"]["identifier"][0]
    document["credentialSubject"]["identifier"] = [identity, copy.deepcopy(identity)]
    assert canon.canonical_nquads(document) == canon.pyld_canonical(document)


def test_key_order_and_a_value_moved_elsewhere_are_different_shapes():
    document = make_credential(ISSUER)
    reordered = dict(reversed(list(document.items())))
    assert canon.canonical_nquads(reordered) == canon.canonical_nquads(document)
    moved = copy.deepcopy(document)
    moved["name"], moved["issuer"]["name"] = moved["issuer"]["name"], moved["name"]
    assert canon.canonical_nquads(moved) == canon.pyld_canonical(moved)
    assert canon.canonical_nquads(moved) != canon.canonical_nquads(document)


@pytest.mark.parametrize("value", [1, 1.5, True, None, [], {}])
def test_non_string_values_are_part_of_the_shape(value):
    document = make_credential(ISSUER)
    document["credentialSubject"]["identifier"][0]["hashed"] = value
    _same_as_pyld(document)
