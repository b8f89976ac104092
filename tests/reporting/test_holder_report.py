"""The holder report file: every mapping, the XSD, listed-not-dropped, corrections (no Django needed)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from cqphub.reporting import holder_report as hr

NS = {"cpf": hr.NAMESPACE, "xsi": hr.XSI}
ACCOUNT = hr.CertifierAccount(
    siret="77567146400017", name="CPNE test", client_id="12ABC345", contract_id="MCFCER000123"
)
FICHE = hr.Fiche("RNCP", "RNCP19468")


@pytest.fixture(scope="session")
def xsd(shared_data):
    path = shared_data / "cdc_accrochage" / "cpf_accrochage_pc5_schema_1.0.0_v1.1.2_pix.xsd"
    assert path.exists(), path
    return path


def holder(**changes) -> hr.Holder:
    base = hr.Holder(
        birth_name="Lefèvre",
        first_names=("Anne-Sophie", "Marie"),
        sex="F",
        birth_year=1994,
        birth_month=3,
        birth_day=17,
        usage_name="Martin",
        birth_insee_code="69123",
        birth_city="Lyon",
        identity_verified=True,
    )
    return replace(base, **changes)


def award(n: int = 1, **changes) -> hr.AwardRecord:
    base = hr.AwardRecord(
        id_technique=f"cqphub-award-{n}",
        reference=f"CQP-2026-{n:05d}",
        holder=holder(),
        fiche=FICHE,
        route="pro_contract",
        decision_date=date(2026, 6, 30),
        proof_url=f"https://cqphub.example/attestations/verifier/CQP-2026-{n:05d}",
        initiative="employer",
        enrolled_on=date(2025, 9, 1),
        exam_start=date(2026, 6, 8),
        exam_end=date(2026, 6, 10),
        exam_modality="on_site",
        exam_postcode="69007",
    )
    return replace(base, **changes)


def build(awards, schema=None, account=ACCOUNT, **kw) -> tuple[hr.ReportResult, bytes]:
    out = io.BytesIO()
    result = hr.write_flux(
        out,
        account,
        awards,
        flux="CQPHUB-77567146400017-000001",
        generated_at=datetime(2026, 11, 30, 9, 15, 42, 123456, tzinfo=hr.PARIS),
        schema_path=schema,
        **kw,
    )
    return result, out.getvalue()


def one(xml: bytes, path: str) -> str:
    found = etree.fromstring(xml).xpath(path, namespaces=NS)
    assert len(found) == 1, (path, found)
    return found[0].text


def test_a_typical_file_validates_and_maps_the_envelope(xsd):
    result, xml = build([award(1), award(2)], xsd)
    assert result.validated and result.valid and result.count == 2
    assert result.validation_message().startswith("valid against the CDC schema 1.1.2")
    assert hr.validate_file_bytes(xml, xsd) == []
    assert one(xml, "/cpf:flux/cpf:idFlux") == "CQPHUB-77567146400017-000001"
    assert one(xml, "/cpf:flux/cpf:horodatage") == "2026-11-30T09:15:42+01:00"
    assert one(xml, "//cpf:emetteur/cpf:idClient") == "12ABC345"
    assert one(xml, "//cpf:certificateur/cpf:idClient") == "12ABC345"
    assert one(xml, "//cpf:certificateur/cpf:idContrat") == "MCFCER000123"
    assert one(xml, "//cpf:certification/cpf:type") == "RNCP"
    assert one(xml, "//cpf:certification/cpf:code") == "RNCP19468"
    assert one(xml, "//cpf:certification/cpf:natureDeposant") == "CERTIFICATEUR"


def test_each_passage_field_is_mapped(xsd):
    _, xml = build([award(7)], xsd)
    p = "//cpf:passageCertification/"
    assert one(xml, p + "cpf:idTechnique") == "cqphub-award-7"
    assert one(xml, p + "cpf:urlPreuve") == "https://cqphub.example/attestations/verifier/CQP-2026-00007"
    assert one(xml, p + "cpf:obtentionCertification") == "PAR_ADMISSION"
    assert one(xml, p + "cpf:donneeCertifiee") == "true"
    assert one(xml, p + "cpf:dateDebutExamen") == "2026-06-08"
    assert one(xml, p + "cpf:dateFinExamen") == "2026-06-10"
    assert one(xml, p + "cpf:modalitePassageExamen") == "EN_PRESENTIEL"
    assert one(xml, p + "cpf:codePostalCentreExamen") == "69007"
    assert one(xml, p + "cpf:dateDebutValidite") == "2026-06-30"
    assert etree.fromstring(xml).xpath(p + "cpf:dateFinValidite/@xsi:nil", namespaces=NS) == ["true"]
    assert one(xml, p + "cpf:presenceNiveauLangueEuro") == "false"
    assert one(xml, p + "cpf:presenceNiveauNumeriqueEuro") == "false"
    m = p + "cpf:modalitesInscription/"
    assert one(xml, m + "cpf:modaliteAcces") == "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION"
    assert etree.fromstring(xml).xpath(m + "cpf:voieAccessVAE", namespaces=NS) == []
    assert one(xml, m + "cpf:initiativeInscription") == "EMPLOYEUR"
    assert one(xml, m + "cpf:dateInscription") == "2025-09-01"
    t = p + "cpf:identificationTitulaire/cpf:titulaire/"
    assert one(xml, t + "cpf:nomNaissance") == "Lefèvre"
    assert one(xml, t + "cpf:nomUsage") == "Martin"
    assert one(xml, t + "cpf:prenom1") == "Anne-Sophie"
    assert one(xml, t + "cpf:prenom2") == "Marie"
    assert one(xml, t + "cpf:anneeNaissance") == "1994"
    assert one(xml, t + "cpf:moisNaissance") == "3"
    assert one(xml, t + "cpf:jourNaissance") == "17"
    assert one(xml, t + "cpf:sexe") == "F"
    assert one(xml, t + "cpf:codeCommuneNaissance/cpf:codeInseeNaissance/cpf:codeInsee") == "69123"
    assert one(xml, t + "cpf:libelleCommuneNaissance") == "Lyon"


def test_elements_follow_the_xsd_declaration_order(xsd):
    schema = etree.parse(str(xsd))
    xs = {"xsd": "http://www.w3.org/2001/XMLSchema"}
    declared = schema.xpath(
        "//xsd:complexType[@name='passageCertification']/xsd:all/xsd:element/@name", namespaces=xs
    )
    _, xml = build([award(1)], xsd)
    written = [
        etree.QName(e).localname
        for e in etree.fromstring(xml).xpath("//cpf:passageCertification/*", namespaces=NS)
    ]
    assert written == [name for name in declared if name in written]


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("pro_contract", "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION"),
        ("apprenticeship", "FORMATION_INITIALE_APPRENTISSAGE"),
        ("plan", "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION"),
        ("cpf", "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION"),
        ("pro_a", "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION"),
        ("ptp", "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION"),
        ("poe", "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION"),
        ("initial", "FORMATION_INITIALE_HORS_APPRENTISSAGE"),
        ("free", "CANDIDAT_LIBRE"),
        ("vae", "VAE"),
    ],
)
def test_route_to_modalite_acces(xsd, route, expected):
    result, xml = build([award(1, route=route)], xsd)
    assert result.validated
    assert one(xml, "//cpf:modaliteAcces") == expected


@pytest.mark.parametrize(("leave", "expected"), [(False, "VAE_CLASSIQUE"), (True, "CONGES_VAE")])
def test_vae_carries_voie_access_vae(xsd, leave, expected):
    result, xml = build([award(1, route="vae", vae_leave=leave)], xsd)
    assert result.validated
    assert one(xml, "//cpf:modalitesInscription/cpf:voieAccessVAE") == expected


@pytest.mark.parametrize(
    ("initiative", "expected"),
    [
        ("candidate", "CERTIFIE"),
        ("centre", "OF"),
        ("france_travail", "POLE_EMPLOI"),
        ("employer", "EMPLOYEUR"),
        ("other", "AUTRE"),
    ],
)
def test_enrolment_initiative(xsd, initiative, expected):
    _, xml = build([award(1, initiative=initiative)], xsd)
    assert one(xml, "//cpf:initiativeInscription") == expected


@pytest.mark.parametrize(
    ("modality", "expected"), [("remote", "A_DISTANCE"), ("on_site", "EN_PRESENTIEL"), ("mixed", "MIXTE")]
)
def test_exam_modality(xsd, modality, expected):
    _, xml = build([award(1, exam_modality=modality)], xsd)
    assert one(xml, "//cpf:modalitePassageExamen") == expected


def test_optional_data_absent_gives_nil_or_no_element(xsd):
    bare = award(
        1,
        holder=holder(
            usage_name="", first_names=("Luc",), birth_month=None, birth_day=None, identity_verified=False
        ),
        proof_url="",
        initiative="",
        enrolled_on=None,
        exam_start=None,
        exam_end=None,
        exam_modality="",
        exam_postcode="",
    )
    result, xml = build([bare], xsd)
    assert result.validated, result.errors
    root = etree.fromstring(xml)
    for name in ("nomUsage", "moisNaissance", "jourNaissance"):
        assert root.xpath(f"//cpf:{name}/@xsi:nil", namespaces=NS) == ["true"]
    for name in ("urlPreuve", "prenom2", "dateDebutExamen", "initiativeInscription", "dateInscription"):
        assert root.xpath(f"//cpf:{name}", namespaces=NS) == []
    assert one(xml, "//cpf:donneeCertifiee") == "false"


def test_born_abroad_uses_the_cog_country_code(xsd):
    abroad = holder(
        birth_insee_code="", birth_country_code="99134", birth_country_name="Espagne", birth_city="Madrid"
    )
    result, xml = build([award(1, holder=abroad)], xsd)
    assert result.validated
    assert one(xml, "//cpf:codeInsee") == "99134"
    assert one(xml, "//cpf:codePaysNaissance") == "134"
    assert one(xml, "//cpf:libellePaysNaissance") == "Espagne"


def test_postcode_when_no_insee_code(xsd):
    result, xml = build([award(1, holder=holder(birth_insee_code="", birth_postcode="13001"))], xsd)
    assert result.validated
    assert one(xml, "//cpf:codePostalNaissance/cpf:codePostal") == "13001"


def test_revocation_is_the_same_passage_with_an_end_of_validity(xsd):
    first, xml1 = build([award(3)], xsd)
    correction, xml2 = build([award(3, revoked_on=date(2026, 10, 2))], xsd)
    assert correction.validated and correction.corrections == ["cqphub-award-3"]
    assert one(xml1, "//cpf:idTechnique") == one(xml2, "//cpf:idTechnique")
    assert one(xml2, "//cpf:dateFinValidite") == "2026-10-02"


def test_schema_has_no_correction_attribute(xsd):
    """The docstring's claim: v1.1.2 declares no attribute and no action element."""
    text = xsd.read_text()
    assert "xsd:attribute" not in text
    assert 'name="action"' not in text


def test_unreportable_awards_are_listed_with_what_is_missing(xsd):
    awards = [
        award(1),
        award(2, holder=holder(birth_year=None)),
        award(3, holder=holder(sex="")),
        award(4, holder=holder(birth_insee_code="", birth_postcode="", birth_country_code="")),
        award(5, holder=holder(birth_name="  ")),
        award(6, holder=holder(first_names=())),
        award(7, route="mystery"),
        award(8, decision_date=None),
        award(9, holder=holder(birth_name="X" * 61)),
        award(10, full=False),
        award(11, fiche=None),
        award(12, holder=holder(birth_name="Nul\x00l")),
        award(1),  # the same award twice
    ]
    result, _ = build(awards, xsd)
    assert result.validated
    assert result.reported == ["cqphub-award-1"]
    reasons = {p.reference: p.reasons for p in result.not_reportable}
    assert reasons["CQP-2026-00002"] == ("missing: year of birth",)
    assert reasons["CQP-2026-00003"] == ("missing: sex (M or F)",)
    assert "birth place" in reasons["CQP-2026-00004"][0]
    assert reasons["CQP-2026-00005"] == ("missing: birth name",)
    assert reasons["CQP-2026-00006"] == ("missing: first name",)
    assert reasons["CQP-2026-00007"] == ("unknown route: mystery",)
    assert reasons["CQP-2026-00008"] == ("missing: decision date",)
    assert reasons["CQP-2026-00009"] == ("too long: birth name (61 > 60 characters)",)
    assert "partial award" in reasons["CQP-2026-00010"][0]
    assert reasons["CQP-2026-00012"] == ("invalid character in birth name",)
    assert reasons["CQP-2026-00001"] == ("duplicate idTechnique in this file",)
    assert [p.reference for p in result.excluded] == ["CQP-2026-00011"]
    assert "not registered" in result.excluded[0].reasons[0]
    # nothing dropped: every award is somewhere
    assert len(result.reported) + len(result.not_reportable) + len(result.excluded) == len(awards)


def test_no_cdc_ids_lists_every_award(xsd):
    result, xml = build([award(1), award(2)], xsd, account=replace(ACCOUNT, client_id="", contract_id=""))
    assert result.count == 0 and xml == b""
    assert [p.reasons for p in result.not_reportable] == [
        ("missing: CDC client id (idClient)", "missing: CDC contract id (idContrat)")
    ] * 2
    result, _ = build([award(1)], xsd, account=None)
    assert result.not_reportable[0].reasons[0] == "missing: CDC client id (idClient)"


def test_without_a_schema_the_file_is_made_but_says_it_is_not_validated():
    result, xml = build([award(1)], None)
    assert result.count == 1 and xml.startswith(b"<?xml")
    assert not result.validated
    assert result.validation_message().startswith("NOT VALIDATED")


def test_a_broken_passage_is_caught_by_the_xsd(xsd, monkeypatch):
    real = hr.render_passage

    def broken(a):
        text = real(a)
        return (
            text.replace("<cpf:sexe>F</cpf:sexe>", "<cpf:sexe>X</cpf:sexe>")
            if a.id_technique.endswith("-2")
            else text
        )

    monkeypatch.setattr(hr, "render_passage", broken)
    result, xml = build([award(1), award(2), award(3)], xsd, chunk_size=2)
    assert not result.validated
    assert len(result.errors) == 1 and result.errors[0].startswith("idTechnique cqphub-award-2:")
    assert "sexe" in result.errors[0]
    assert hr.validate_file_bytes(xml, xsd)  # the whole-file check agrees


# Passages broken after rendering, one way each, to hold chunked validation (what write_flux does)
# to whole-file validation (one XMLSchema.validate of the whole tree): both must refuse the same files.
BREAKAGES = {
    "enumeration": ("<cpf:sexe>F</cpf:sexe>", "<cpf:sexe>X</cpf:sexe>"),
    "too long": ("<cpf:prenom1>Anne-Sophie</cpf:prenom1>", f"<cpf:prenom1>{'A' * 61}</cpf:prenom1>"),
    "mandatory element missing": (
        "<cpf:obtentionCertification>PAR_ADMISSION</cpf:obtentionCertification>",
        "",
    ),
    "element twice": ("<cpf:sexe>F</cpf:sexe>", "<cpf:sexe>F</cpf:sexe><cpf:sexe>F</cpf:sexe>"),
    "unknown element": ("<cpf:sexe>F</cpf:sexe>", "<cpf:sexe>F</cpf:sexe><cpf:age>32</cpf:age>"),
    "impossible date": ("<cpf:dateDebutValidite>2026-06-30", "<cpf:dateDebutValidite>2026-02-30"),
    "year out of pattern": ("<cpf:dateDebutValidite>2026-06-30", "<cpf:dateDebutValidite>1899-06-30"),
    "nil where not nillable": ("<cpf:prenom1>Anne-Sophie</cpf:prenom1>", '<cpf:prenom1 xsi:nil="true"/>'),
    "wrong namespace": ("<cpf:sexe>F</cpf:sexe>", '<sexe xmlns="urn:other">F</sexe>'),
    "not well-formed: bare ampersand": ("<cpf:nomNaissance>Lefèvre", "<cpf:nomNaissance>Lefèvre & fils"),
    "not well-formed: unclosed element": ("</cpf:titulaire>", ""),
}


def whole_file_valid(xml: bytes, xsd) -> bool:
    try:
        tree = etree.fromstring(xml, etree.XMLParser(no_network=True, resolve_entities=False))
    except etree.XMLSyntaxError:
        return False
    return hr.load_schema(str(xsd)).validate(tree)


def test_the_schema_has_no_constraint_across_passages(xsd):
    """Why chunks may be validated apart: no identity constraint and no ID/IDREF, the only XSD
    features that relate one passage to another; every other rule is local to an element."""
    schema = etree.parse(str(xsd))
    ns = {"xsd": "http://www.w3.org/2001/XMLSchema"}
    assert not schema.xpath("//xsd:unique | //xsd:key | //xsd:keyref", namespaces=ns)
    assert not schema.xpath("//@type[contains(., 'ID') and not(contains(., 'id'))]", namespaces=ns)
    assert not schema.xpath("//xsd:any | //xsd:anyAttribute", namespaces=ns)


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
@pytest.mark.parametrize("broken_at", [0, 3, 6])
@pytest.mark.parametrize("chunk_size", [1, 2, 1000])
def test_chunked_validation_refuses_what_whole_file_validation_refuses(
    xsd, monkeypatch, breakage, broken_at, chunk_size
):
    old, new = BREAKAGES[breakage]
    real = hr.render_passage
    broken_id = f"cqphub-award-{broken_at + 1}"

    def render(a):
        text = real(a)
        if a.id_technique != broken_id:
            return text
        assert old in text, old
        return text.replace(old, new, 1)

    monkeypatch.setattr(hr, "render_passage", render)
    result, xml = build([award(n) for n in range(1, 8)], xsd, chunk_size=chunk_size)
    assert not whole_file_valid(xml, xsd)
    assert not result.validated and result.errors
    assert hr.validate_file_bytes(xml, xsd)  # the streamed re-check agrees
    if not breakage.startswith("not well-formed"):  # a passage-level error names its passage
        assert [e.split(":")[0] for e in result.errors] == [f"idTechnique {broken_id}"]


@pytest.mark.parametrize("chunk_size", [1, 2, 1000])
def test_chunked_validation_accepts_what_whole_file_validation_accepts(xsd, chunk_size):
    rs = hr.Fiche("RS", "RS6117")
    awards = [award(1), award(2, revoked_on=date(2026, 9, 1)), award(3, route="vae", vae_leave=True)]
    awards += [award(4, fiche=rs, holder=holder(birth_insee_code="", birth_country_code="99134"))]
    result, xml = build(awards, xsd, chunk_size=chunk_size)
    assert result.validated and whole_file_valid(xml, xsd) and hr.validate_file_bytes(xml, xsd) == []


def test_several_fiches_give_several_certifications(xsd):
    rs = hr.Fiche("RS", "RS6117")
    result, xml = build([award(1), award(2), award(3, fiche=rs)], xsd, chunk_size=1)
    assert result.validated, result.errors
    root = etree.fromstring(xml)
    assert root.xpath("//cpf:certification/cpf:code/text()", namespaces=NS) == ["RNCP19468", "RS6117"]
    assert root.xpath("count(//cpf:passageCertification)", namespaces=NS) == 3


def test_trusted_third_party_depositor(xsd):
    account = replace(ACCOUNT, sender_client_id="99XYZ001", trusted_third_party=True)
    result, xml = build([award(1)], xsd, account=account)
    assert result.validated
    assert one(xml, "//cpf:emetteur/cpf:idClient") == "99XYZ001"
    assert one(xml, "//cpf:natureDeposant") == "TIERS_CONFIANCE"


def test_file_hash_and_size_describe_the_bytes(xsd):
    import hashlib

    result, xml = build([award(1), award(2)], xsd)
    assert result.size == len(xml) and result.sha256 == hashlib.sha256(xml).hexdigest()


def test_deadline_is_three_calendar_months():
    assert hr.deadline(date(2026, 6, 30)) == date(2026, 9, 30)
    assert hr.deadline(date(2026, 11, 30)) == date(2027, 2, 28)
    assert hr.deadline(date(2027, 11, 30)) == date(2028, 2, 29)
    assert hr.deadline(date(2026, 10, 15)) == date(2027, 1, 15)


_names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() == s and s)


@settings(max_examples=150, deadline=None)
@given(birth=_names, first=_names, city=_names)
def test_template_and_lxml_build_the_same_passage(birth, first, city):
    """The fast text template escapes exactly as lxml does, whatever the names contain."""
    a = award(1, holder=holder(birth_name=birth, first_names=(first,), birth_city=city))
    assert hr.award_problems(a) == ()
    wrapped = f'<w xmlns:cpf="{hr.NAMESPACE}" xmlns:xsi="{hr.XSI}">{hr.render_passage(a)}</w>'
    from_template = etree.fromstring(wrapped.encode())[0]
    assert etree.tostring(from_template, method="c14n") == etree.tostring(
        hr.passage_element(a), method="c14n"
    )


_hostile_text = st.one_of(
    st.just(""),
    st.text(max_size=70),
    st.sampled_from(
        [" 69123", " 6912", "69123 ", "6912", "99134", " 99134", "9913 ", "134", "\t", "X" * 61, "X" * 60]
    ),
)
_hostile_day = st.one_of(st.none(), st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)))
_HOLDER_CHANGES = {
    **dict.fromkeys(
        [
            "birth_name",
            "usage_name",
            "birth_city",
            "birth_insee_code",
            "birth_postcode",
            "birth_country_code",
            "birth_country_name",
        ],
        _hostile_text,
    ),  # fmt: skip
    "first_names": st.lists(_hostile_text, max_size=4).map(tuple),
    "sex": st.sampled_from(["M", "F", "", "X"]),
    "birth_year": st.one_of(st.none(), st.integers(1800, 2200)),
    "birth_month": st.one_of(st.none(), st.integers(-1, 14)),
    "birth_day": st.one_of(st.none(), st.integers(-1, 33)),
}
_AWARD_CHANGES = {
    **dict.fromkeys(["decision_date", "enrolled_on", "exam_start", "exam_end", "revoked_on"], _hostile_day),
    **dict.fromkeys(["exam_postcode", "option_label"], _hostile_text),
    "id_technique": st.one_of(st.just(""), st.text(max_size=20), st.just("x" * 256)),
    "proof_url": st.one_of(st.just(""), st.text(max_size=20), st.just("u" * 256)),
    "route": st.sampled_from(["pro_contract", "vae", "mystery", ""]),
    "initiative": st.sampled_from(["", "candidate", "nobody"]),
    "exam_modality": st.sampled_from(["", "remote", "by pigeon"]),
    "fiche": st.sampled_from(
        [None, FICHE, hr.Fiche("RS", ""), hr.Fiche("XX", "XX1"), hr.Fiche("RS", "R" * 101)]
    ),
    "full": st.booleans(),
}


def _a_few(changes: dict):
    """One or two fields made hostile at a time, the rest of a usual award kept (so that the quick
    test is often passed and its agreement with the full checks is really exercised)."""
    keys = st.lists(st.sampled_from(sorted(changes)), min_size=0, max_size=2, unique=True)
    return keys.flatmap(lambda names: st.fixed_dictionaries({k: changes[k] for k in names}))


@settings(max_examples=500, deadline=None)
@given(holder_changes=_a_few(_HOLDER_CHANGES), award_changes=_a_few(_AWARD_CHANGES))
def test_the_quick_test_never_passes_an_award_the_full_checks_refuse(holder_changes, award_changes):
    """`award_problems` answers most awards with a quick test: it must never let through an award the
    full checks refuse (a usual award, with a few of its fields made hostile)."""
    a = award(1, holder=holder(**holder_changes), **award_changes)
    if hr._plainly_reportable(a):
        assert hr.problems_in_full(a) == ()
    assert bool(hr.award_problems(a)) == bool(hr.problems_in_full(a))


def test_the_quick_test_passes_the_usual_award():
    assert hr._plainly_reportable(award(1))
    assert hr._plainly_reportable(award(2, holder=holder(birth_insee_code="", birth_country_code="99134")))
    assert not hr._plainly_reportable(award(3, holder=holder(birth_name="Nul\x00l")))
