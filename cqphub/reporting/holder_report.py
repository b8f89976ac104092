"""The holder report ("accrochage") to the Caisse des dépôts: pure module, no Django import.

Certifiers of a certification registered in the RNCP or the RS send every holder to the CPF information
system within three months of the award (L. 6113-8; R. 6113-17-1, R. 6113-17-2). The file is a `flux` of
the CDC schema `urn:cdc:cpf:pc5:schema:1.0.0`, version 1.1.2 (the XSD in `shared/data/cdc_accrochage/`;
the project reads it from the path in settings, never from a committed copy).

What the XSD fixes, and how this module follows it
- `flux` = `idFlux` (1-50), `horodatage` (dateTime with a numeric offset, no fraction: pattern
  `…T(2[0-3]|[01][0-9]):[0-5][0-9]:[0-5][0-9](\\+|-)…`), `emetteur` = `idClient` (exactly 8) and
  `certificateurs`, which is an `xsd:all` holding exactly ONE `certificateur`: one file per certifier.
- `certificateur` = `idClient` (8), `idContrat` (1-20), `certifications` (one or more `certification`).
- `certification` = `type` (1-255, "RNCP" or "RS"), `code` (1-100, e.g. "RNCP37488"), optional
  `natureDeposant` (CERTIFICATEUR | TIERS_CONFIANCE), `passageCertifications` (one or more).
- `passageCertification` mandatory children: `idTechnique` (1-255), `obtentionCertification`
  (PAR_ADMISSION | PAR_SCORING), `donneeCertifiee` (boolean), `dateDebutValidite`, `dateFinValidite`
  (nillable), `presenceNiveauLangueEuro`, `presenceNiveauNumeriqueEuro` (booleans), `scoring` (nillable),
  `mentionValidee` (nillable), `modalitesInscription`, `identificationTitulaire`. Optional: `urlPreuve`
  (1-255), `libelleOption`, `dateDebutExamen`, `dateFinExamen`, `modalitePassageExamen`
  (A_DISTANCE | EN_PRESENTIEL | MIXTE), `codePostalCentreExamen` (1-9), `verbatim`.
- `modalitesInscription` = `modaliteAcces` (nillable; FORMATION_INITIALE_HORS_APPRENTISSAGE,
  FORMATION_INITIALE_APPRENTISSAGE, FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION,
  FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION, VAE, EQUIVALENCE_DIPLOME_ETRANGER,
  CANDIDAT_LIBRE), then optional `voieAccessVAE` — spelt with a double "s" in the XSD
  (`<xsd:element name="voieAccessVAE" type="cpf:voieAccesVAE" minOccurs="0"/>`; CONGES_VAE |
  VAE_CLASSIQUE), `initiativeInscription` (CERTIFIE | OF | POLE_EMPLOI | EMPLOYEUR | AUTRE),
  `dateInscription`.
- `titulaire` = `nomNaissance` (1-60), `nomUsage` (nillable, 1-60), `prenom1` (1-60), optional
  `prenom2`/`prenom3`, `anneeNaissance` (1900-2099), `moisNaissance` and `jourNaissance` (nillable),
  `sexe` (M | F), `codeCommuneNaissance` = choice of `codeInseeNaissance/codeInsee` (exactly 5) or
  `codePostalNaissance/codePostal` (nillable, 1-9), optional `libelleCommuneNaissance` (1-60),
  `codePaysNaissance` (exactly 3), `libellePaysNaissance` (1-60).
- Dates are `xsd:date` restricted to years 1900-2099 (pattern `(19|20)[0-9]{2}-…`).
- Every group is `xsd:all` (any order); elements are written in the XSD's declaration order anyway.

Corrections and revocations. Schema 1.1.2 has no way to say "modify" or "delete": no attribute is
declared anywhere in it, `flux` has no action element and `passageCertification` is a plain `xsd:all`
of the elements above (later schema versions, seen in public code for v1.1.5, add a flux-level
`action`, e.g. `CREATION`; this version has none). The CDC keys a passage on its `idTechnique`, so a
correction here is the same passage sent again with the same `idTechnique` and the corrected data, and
a revoked award is sent again with `dateFinValidite` set to the revocation date — the one element
of 1.1.2 that can state that a certification stopped being valid:
`<xsd:element name="dateFinValidite" nillable="true">` (an award still valid sends it `xsi:nil`).
`idTechnique` is therefore stable per award (`technical_id`), and a revocation must carry the
`idTechnique` of the award it revokes.

Where the schema is silent and this module chose (change here if the CDC says otherwise):
- born abroad: no French commune code exists; the INSEE COG code of the country ("99" + 3 digits,
  the code INSEE itself puts in place of the commune) goes in `codeInsee`, its last 3 digits in
  `codePaysNaissance`;
- a CQP is awarded by a jury: `obtentionCertification` = PAR_ADMISSION, `scoring` and
  `mentionValidee` nil;
- partial awards (blocks only) are not sent: they are listed as not reportable with that reason.

Speed: a passage is rendered from a template with strict escaping (measured ~40× faster than building
lxml elements one by one, see bench/reporting.py), while `passage_element` builds the same passage
with lxml for the tests, which prove both give the same XML. The written bytes are validated against
the XSD chunk by chunk in a second thread (lxml releases the GIL while it parses), each chunk as a
whole `flux` document with the file's own envelope; the XSD has no identity constraint (no
`xsd:unique`, `xsd:key` or `xsd:keyref`, no ID/IDREF), so every chunk valid in that envelope means
the whole file is valid; tests/reporting/test_holder_report.py holds chunked and whole-file validation
to the same answer on eleven kinds of broken passage, at every position and chunk size. `validate_file` re-checks a finished file in one streamed pass (bounded memory).
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from lxml import etree

NAMESPACE = "urn:cdc:cpf:pc5:schema:1.0.0"
SCHEMA_VERSION = "1.1.2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PARIS = ZoneInfo("Europe/Paris")


class AccessMode(StrEnum):
    """`modaliteAcces` values of the XSD."""

    INITIAL = "FORMATION_INITIALE_HORS_APPRENTISSAGE"
    APPRENTICESHIP = "FORMATION_INITIALE_APPRENTISSAGE"
    CONTINUING = "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION"
    PRO_CONTRACT = "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION"
    VAE = "VAE"
    FOREIGN_EQUIVALENCE = "EQUIVALENCE_DIPLOME_ETRANGER"
    FREE_CANDIDATE = "CANDIDAT_LIBRE"


class VaeWay(StrEnum):
    """`voieAccessVAE` values (type `voieAccesVAE`)."""

    LEAVE = "CONGES_VAE"
    CLASSIC = "VAE_CLASSIQUE"


class Initiative(StrEnum):
    """`initiativeInscription` values."""

    HOLDER = "CERTIFIE"
    CENTRE = "OF"
    FRANCE_TRAVAIL = "POLE_EMPLOI"
    EMPLOYER = "EMPLOYEUR"
    OTHER = "AUTRE"


class ExamModality(StrEnum):
    """`modalitePassageExamen` values."""

    REMOTE = "A_DISTANCE"
    ON_SITE = "EN_PRESENTIEL"
    MIXED = "MIXTE"


# The candidacy's route (journeys) → `modaliteAcces`. Every training route of DESIGN.md §2 is listed;
# an unknown route makes the award not reportable rather than being guessed.
ROUTE_TO_ACCESS: dict[str, AccessMode] = {
    "pro_contract": AccessMode.PRO_CONTRACT,  # contrat de professionnalisation
    "apprenticeship": AccessMode.APPRENTICESHIP,
    "plan": AccessMode.CONTINUING,  # plan de développement des compétences
    "cpf": AccessMode.CONTINUING,
    "pro_a": AccessMode.CONTINUING,  # reconversion ou promotion par alternance: not a contract
    "reconversion": AccessMode.CONTINUING,  # période / transition de reconversion
    "ptp": AccessMode.CONTINUING,  # projet de transition professionnelle
    "poe": AccessMode.CONTINUING,  # préparation opérationnelle à l'emploi
    "training": AccessMode.CONTINUING,  # other continuing training
    "initial": AccessMode.INITIAL,
    "vae": AccessMode.VAE,
    "free": AccessMode.FREE_CANDIDATE,
}

INITIATIVES: dict[str, Initiative] = {
    "candidate": Initiative.HOLDER,
    "centre": Initiative.CENTRE,
    "france_travail": Initiative.FRANCE_TRAVAIL,
    "employer": Initiative.EMPLOYER,
    "other": Initiative.OTHER,
}

EXAM_MODALITIES: dict[str, ExamModality] = {
    "remote": ExamModality.REMOTE,
    "on_site": ExamModality.ON_SITE,
    "mixed": ExamModality.MIXED,
}


@dataclass(frozen=True, slots=True)
class Holder:
    """The holder's civil identity, as the candidate gave it (journeys.Candidate)."""

    birth_name: str
    first_names: tuple[str, ...]
    sex: str  # "M" or "F"; anything else cannot be reported (the XSD knows only these two)
    birth_year: int | None
    birth_month: int | None = None
    birth_day: int | None = None
    usage_name: str = ""
    birth_insee_code: str = ""  # INSEE commune code (5), or the COG country code "99xxx" when born abroad
    birth_postcode: str = ""
    birth_city: str = ""
    birth_country_code: str = ""  # 3 digits, or the 5-digit COG code "99xxx"
    birth_country_name: str = ""
    identity_verified: bool = False  # → donneeCertifiee


@dataclass(frozen=True, slots=True)
class Fiche:
    """The register fiche the qualification was registered under on the award date."""

    register: str  # "RNCP" or "RS" → `type`
    code: str  # "RNCP37488" → `code`


@dataclass(frozen=True, slots=True)
class AwardRecord:
    """One award, flattened for the report. `id_technique` stays the same for every resend."""

    id_technique: str
    reference: str  # what staff recognise: the award or parchment number
    holder: Holder
    fiche: Fiche | None  # None: the qualification is not in the RNCP or the RS on the award date
    route: str  # a key of ROUTE_TO_ACCESS
    decision_date: date | None  # → dateDebutValidite
    proof_url: str = ""  # → urlPreuve (the credential's public verification page)
    full: bool = True  # False: blocks only
    vae_leave: bool = False  # → CONGES_VAE instead of VAE_CLASSIQUE
    initiative: str = ""  # a key of INITIATIVES
    enrolled_on: date | None = None
    exam_start: date | None = None
    exam_end: date | None = None
    exam_modality: str = ""  # a key of EXAM_MODALITIES
    exam_postcode: str = ""
    option_label: str = ""
    revoked_on: date | None = None  # → dateFinValidite (a correction, see the module docstring)


@dataclass(frozen=True, slots=True)
class CertifierAccount:
    """A certifier's CDC identifiers (entered by branch staff from the CDC's letter)."""

    siret: str
    name: str
    client_id: str  # "matricule" (idClient), 8 characters
    contract_id: str  # "numéro de contrat" (idContrat), e.g. MCFCER000123
    sender_client_id: str = ""  # the depositor's idClient when a trusted third party sends the file
    trusted_third_party: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """An award left out of the file, with what is missing or wrong (never silently dropped)."""

    reference: str
    id_technique: str
    reasons: tuple[str, ...]


@dataclass
class ReportResult:
    flux_id: str
    reported: list[str] = field(default_factory=list)  # idTechnique of every passage written
    corrections: list[str] = field(default_factory=list)  # of which: revocations sent again
    not_reportable: list[Problem] = field(default_factory=list)  # missing or invalid data
    excluded: list[Problem] = field(default_factory=list)  # not subject to the report (outside registers)
    validated: bool = False  # True only when the XSD was loaded and every byte passed it
    schema_used: str = ""  # path of the XSD, "" when none was configured
    errors: list[str] = field(default_factory=list)
    sha256: str = ""
    size: int = 0

    @property
    def count(self) -> int:
        return len(self.reported)

    @property
    def valid(self) -> bool:
        return not self.errors

    def validation_message(self) -> str:
        if not self.schema_used:
            return "NOT VALIDATED: no CDC schema configured (set CQPHUB_CDC_XSD to the XSD's path)"
        if self.errors:
            return f"INVALID against {self.schema_used}: {len(self.errors)} error(s)"
        return f"valid against the CDC schema {SCHEMA_VERSION} ({self.schema_used})"


# --- checks -------------------------------------------------------------------------------------

# Characters XML 1.0 refuses, plus tabs and line breaks (every field is one line; a parser would turn "\r"
# into "\n" and change the name silently).
_INVALID_XML = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_CLIENT_ID = re.compile(r"^\S{8}$")


def _text_problem(name: str, value: str, maximum: int, *, required: bool) -> str | None:
    if not value:
        return f"missing: {name}" if required else None
    if len(value) > maximum:
        return f"too long: {name} ({len(value)} > {maximum} characters)"
    if _INVALID_XML.search(value):
        return f"invalid character in {name}"
    return None


def _date_problem(name: str, value: date | None, *, required: bool) -> str | None:
    if value is None:
        return f"missing: {name}" if required else None
    if not 1900 <= value.year <= 2099:
        return f"out of range: {name} ({value.isoformat()})"
    return None


def account_problems(account: CertifierAccount | None) -> tuple[str, ...]:
    """What stops any award of this certifier from being reported."""
    if account is None:
        return ("missing: CDC client id (idClient)", "missing: CDC contract id (idContrat)")
    reasons = []
    if not account.client_id:
        reasons.append("missing: CDC client id (idClient)")
    elif not _CLIENT_ID.match(account.client_id):
        reasons.append("invalid: CDC client id (idClient) must be 8 characters")
    if not account.contract_id:
        reasons.append("missing: CDC contract id (idContrat)")
    elif len(account.contract_id) > 20 or _INVALID_XML.search(account.contract_id):
        reasons.append("invalid: CDC contract id (idContrat) must be 1 to 20 characters")
    if account.sender_client_id and not _CLIENT_ID.match(account.sender_client_id):
        reasons.append("invalid: depositor's client id must be 8 characters")
    return tuple(reasons)


def birth_place(holder: Holder) -> tuple[str, str, str]:
    """(codeInsee or "", codePostal or "", codePaysNaissance or "") for the holder."""
    insee = holder.birth_insee_code.strip()
    country = holder.birth_country_code.strip()
    if len(country) == 5 and country.startswith("99"):
        if not insee:
            insee = country
        country = country[2:]
    if insee.startswith("99") and len(insee) == 5 and not country:
        country = insee[2:]
    return insee, holder.birth_postcode.strip(), country


def _in_years(value: date | None) -> bool:
    return value is None or 1900 <= value.year <= 2099


def _plainly_reportable(award: AwardRecord) -> bool:
    """A quick test, stricter than `award_problems` (True only when that finds nothing): the usual award
    passes it in one regular-expression search and a few comparisons; any doubt (a value too long
    before stripping, a control character anywhere, an odd birth place) goes to the full checks, which
    name the reasons. tests/reporting/test_holder_report.py holds the two in agreement."""
    h = award.holder
    first = h.first_names
    fiche = award.fiche
    if not (
        award.full and first and len(first) <= 3 and h.sex in ("M", "F") and award.route in ROUTE_TO_ACCESS
    ):
        return False
    texts = (award.id_technique, award.proof_url, award.option_label, award.exam_postcode, h.birth_name,
             h.usage_name, h.birth_city, h.birth_country_name, h.birth_insee_code, h.birth_postcode,
             h.birth_country_code, *first, fiche.code if fiche else "")  # fmt: skip
    if _INVALID_XML.search("".join(texts)):
        return False
    if not (award.id_technique and h.birth_name.strip() and first[0].strip()):
        return False
    if len(award.id_technique) > 255 or len(award.proof_url) > 255 or len(award.option_label) > 255:
        return False
    if len(award.exam_postcode) > 9 or max(len(h.birth_name), len(h.usage_name), len(h.birth_city),
                                           len(h.birth_country_name), *map(len, first)) > 60:  # fmt: skip
        return False
    year = h.birth_year
    if year is None or not 1900 <= year <= 2099:
        return False
    if (h.birth_month is not None and not 1 <= h.birth_month <= 12) or (
        h.birth_day is not None and not 1 <= h.birth_day <= 31
    ):
        return False
    decided = award.decision_date
    if decided is None or not 1900 <= decided.year <= 2099:
        return False
    if not (_in_years(award.enrolled_on) and _in_years(award.exam_start) and _in_years(award.exam_end)
            and _in_years(award.revoked_on)):  # fmt: skip
        return False
    insee, country = h.birth_insee_code.strip(), h.birth_country_code.strip()
    if not (
        (len(insee) == 5 and not country) or (not insee and len(country) == 5 and country.startswith("99"))
    ):
        return False  # a French commune code, or only a 99xxx country code: anything else, full checks
    if award.initiative and award.initiative not in INITIATIVES:
        return False
    if award.exam_modality and award.exam_modality not in EXAM_MODALITIES:
        return False
    return fiche is None or (fiche.register in ("RNCP", "RS") and 0 < len(fiche.code) <= 100)


def award_problems(award: AwardRecord) -> tuple[str, ...]:
    """Every reason this award cannot go in a valid file; empty when it can."""
    return () if _plainly_reportable(award) else problems_in_full(award)


def problems_in_full(award: AwardRecord) -> tuple[str, ...]:
    """`award_problems` without the quick test: every check, one by one."""
    reasons: list[str] = []
    add = reasons.append
    h = award.holder
    if not award.full:
        add("partial award (blocks of competence only): the CDC schema 1.1.2 reports certifications")
    for problem in (
        _text_problem("idTechnique", award.id_technique, 255, required=True),
        _text_problem("verification URL (urlPreuve)", award.proof_url, 255, required=False),
        _text_problem("option", award.option_label, 255, required=False),
        _text_problem("birth name", h.birth_name.strip(), 60, required=True),
        _text_problem("usage name", h.usage_name.strip(), 60, required=False),
        _text_problem("first name", (h.first_names[0].strip() if h.first_names else ""), 60, required=True),
        _text_problem("birth city", h.birth_city.strip(), 60, required=False),
        _text_problem("birth country", h.birth_country_name.strip(), 60, required=False),
        _text_problem("exam centre postcode", award.exam_postcode.strip(), 9, required=False),
        _date_problem("decision date", award.decision_date, required=True),
        _date_problem("enrolment date", award.enrolled_on, required=False),
        _date_problem("exam start date", award.exam_start, required=False),
        _date_problem("exam end date", award.exam_end, required=False),
        _date_problem("revocation date", award.revoked_on, required=False),
    ):
        if problem:
            add(problem)
    for index, name in enumerate(h.first_names[1:3], start=2):
        problem = _text_problem(f"first name {index}", name.strip(), 60, required=False)
        if problem:
            add(problem)
    if h.sex not in ("M", "F"):
        add("missing: sex (M or F)")
    if h.birth_year is None:
        add("missing: year of birth")
    elif not 1900 <= h.birth_year <= 2099:
        add(f"out of range: year of birth ({h.birth_year})")
    if h.birth_month is not None and not 1 <= h.birth_month <= 12:
        add(f"out of range: month of birth ({h.birth_month})")
    if h.birth_day is not None and not 1 <= h.birth_day <= 31:
        add(f"out of range: day of birth ({h.birth_day})")
    insee, postcode, country = birth_place(h)
    if not insee and not postcode:
        add("missing: birth place (INSEE commune code, postcode, or country when born abroad)")
    if insee and (len(insee) != 5 or _INVALID_XML.search(insee)):
        add("invalid: INSEE birth code must be 5 characters")
    if not insee and postcode and (len(postcode) > 9 or _INVALID_XML.search(postcode)):
        add("invalid: birth postcode (1 to 9 characters)")
    if country and (len(country) != 3 or _INVALID_XML.search(country)):
        add("invalid: birth country code must be 3 characters")
    if award.route not in ROUTE_TO_ACCESS:
        add(f"unknown route: {award.route or '(none)'}")
    if award.initiative and award.initiative not in INITIATIVES:
        add(f"unknown enrolment initiative: {award.initiative}")
    if award.exam_modality and award.exam_modality not in EXAM_MODALITIES:
        add(f"unknown exam modality: {award.exam_modality}")
    if award.fiche is not None:
        if award.fiche.register not in ("RNCP", "RS"):
            add(f"unknown register: {award.fiche.register}")
        if _text_problem("fiche code", award.fiche.code, 100, required=True):
            add("invalid: fiche code")
    return tuple(reasons)


# --- rendering ----------------------------------------------------------------------------------


def _esc(value: str) -> str:
    return value.translate(_ESCAPE)


def _el(name: str, value: str) -> str:
    return f"<cpf:{name}>{value}</cpf:{name}>"


_ACCESS_TEXT = {route: mode.value for route, mode in ROUTE_TO_ACCESS.items()}
_INITIATIVE_TEXT = {
    key: f"<cpf:initiativeInscription>{v.value}</cpf:initiativeInscription>" for key, v in INITIATIVES.items()
}
_MODALITY_TEXT = {
    key: f"<cpf:modalitePassageExamen>{v.value}</cpf:modalitePassageExamen>"
    for key, v in EXAM_MODALITIES.items()
}
_VAE_TEXT = {
    True: f"<cpf:voieAccessVAE>{VaeWay.LEAVE.value}</cpf:voieAccessVAE>",
    False: f"<cpf:voieAccessVAE>{VaeWay.CLASSIC.value}</cpf:voieAccessVAE>",
}
_NIL_END = '<cpf:dateFinValidite xsi:nil="true"/>'
_NIL_USAGE = '<cpf:nomUsage xsi:nil="true"/>'
_NIL_MONTH = '<cpf:moisNaissance xsi:nil="true"/>'
_NIL_DAY = '<cpf:jourNaissance xsi:nil="true"/>'


def render_passage(award: AwardRecord) -> str:
    """One `passageCertification`, as text (the award must have no `award_problems`).

    Written as one formatted string per award: this is the hot loop of a 100,000-award file.
    """
    h = award.holder
    insee, postcode, country = birth_place(h)
    esc = _ESCAPE
    url = award.proof_url
    usage = h.usage_name.strip()
    first = h.first_names
    others = "".join(
        f"<cpf:prenom{index}>{name.strip().translate(esc)}</cpf:prenom{index}>"
        for index, name in enumerate(first[1:3], start=2)
        if name.strip()
    )
    access = _ACCESS_TEXT[award.route]
    city = h.birth_city.strip()
    country_name = h.birth_country_name.strip()
    exam_postcode = award.exam_postcode.strip()
    return (
        f"<cpf:passageCertification><cpf:idTechnique>{award.id_technique.translate(esc)}</cpf:idTechnique>"
        f"{f'<cpf:urlPreuve>{url.translate(esc)}</cpf:urlPreuve>' if url else ''}"
        f"{f'<cpf:libelleOption>{award.option_label.translate(esc)}</cpf:libelleOption>' if award.option_label else ''}"
        "<cpf:obtentionCertification>PAR_ADMISSION</cpf:obtentionCertification>"
        f"<cpf:donneeCertifiee>{'true' if h.identity_verified else 'false'}</cpf:donneeCertifiee>"
        f"{f'<cpf:dateDebutExamen>{award.exam_start.isoformat()}</cpf:dateDebutExamen>' if award.exam_start else ''}"
        f"{f'<cpf:dateFinExamen>{award.exam_end.isoformat()}</cpf:dateFinExamen>' if award.exam_end else ''}"
        f"{_MODALITY_TEXT[award.exam_modality] if award.exam_modality else ''}"
        f"{f'<cpf:codePostalCentreExamen>{exam_postcode.translate(esc)}</cpf:codePostalCentreExamen>' if exam_postcode else ''}"
        f"<cpf:dateDebutValidite>{award.decision_date.isoformat()}</cpf:dateDebutValidite>"  # type: ignore[union-attr]
        f"{f'<cpf:dateFinValidite>{award.revoked_on.isoformat()}</cpf:dateFinValidite>' if award.revoked_on else _NIL_END}"
        "<cpf:presenceNiveauLangueEuro>false</cpf:presenceNiveauLangueEuro>"
        "<cpf:presenceNiveauNumeriqueEuro>false</cpf:presenceNiveauNumeriqueEuro>"
        '<cpf:scoring xsi:nil="true"/><cpf:mentionValidee xsi:nil="true"/>'
        f"<cpf:modalitesInscription><cpf:modaliteAcces>{access}</cpf:modaliteAcces>"
        f"{_VAE_TEXT[award.vae_leave] if access == 'VAE' else ''}"
        f"{_INITIATIVE_TEXT[award.initiative] if award.initiative else ''}"
        f"{f'<cpf:dateInscription>{award.enrolled_on.isoformat()}</cpf:dateInscription>' if award.enrolled_on else ''}"
        "</cpf:modalitesInscription><cpf:identificationTitulaire><cpf:titulaire>"
        f"<cpf:nomNaissance>{h.birth_name.strip().translate(esc)}</cpf:nomNaissance>"
        f"{f'<cpf:nomUsage>{usage.translate(esc)}</cpf:nomUsage>' if usage else _NIL_USAGE}"
        f"<cpf:prenom1>{first[0].strip().translate(esc)}</cpf:prenom1>{others}"
        f"<cpf:anneeNaissance>{h.birth_year}</cpf:anneeNaissance>"
        f"{f'<cpf:moisNaissance>{h.birth_month}</cpf:moisNaissance>' if h.birth_month else _NIL_MONTH}"
        f"{f'<cpf:jourNaissance>{h.birth_day}</cpf:jourNaissance>' if h.birth_day else _NIL_DAY}"
        f"<cpf:sexe>{h.sex}</cpf:sexe><cpf:codeCommuneNaissance>"
        + (
            f"<cpf:codeInseeNaissance><cpf:codeInsee>{insee.translate(esc)}</cpf:codeInsee></cpf:codeInseeNaissance>"
            if insee
            else f"<cpf:codePostalNaissance><cpf:codePostal>{postcode.translate(esc)}</cpf:codePostal></cpf:codePostalNaissance>"
        )
        + "</cpf:codeCommuneNaissance>"
        f"{f'<cpf:libelleCommuneNaissance>{city.translate(esc)}</cpf:libelleCommuneNaissance>' if city else ''}"
        f"{f'<cpf:codePaysNaissance>{country.translate(esc)}</cpf:codePaysNaissance>' if country else ''}"
        f"{f'<cpf:libellePaysNaissance>{country_name.translate(esc)}</cpf:libellePaysNaissance>' if country_name else ''}"
        "</cpf:titulaire></cpf:identificationTitulaire></cpf:passageCertification>"
    )


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


_NIL = f"{{{XSI}}}nil"


def passage_element(award: AwardRecord) -> etree._Element:
    """The same passage built element by element with lxml (reference for tests and the bench baseline)."""
    h = award.holder
    insee, postcode, country = birth_place(h)
    p = etree.Element(_q("passageCertification"), nsmap={"cpf": NAMESPACE, "xsi": XSI})
    sub = etree.SubElement

    def text(parent, name, value):
        sub(parent, _q(name)).text = value

    def nil(parent, name):
        sub(parent, _q(name)).set(_NIL, "true")

    text(p, "idTechnique", award.id_technique)
    if award.proof_url:
        text(p, "urlPreuve", award.proof_url)
    if award.option_label:
        text(p, "libelleOption", award.option_label)
    text(p, "obtentionCertification", "PAR_ADMISSION")
    text(p, "donneeCertifiee", "true" if h.identity_verified else "false")
    if award.exam_start:
        text(p, "dateDebutExamen", award.exam_start.isoformat())
    if award.exam_end:
        text(p, "dateFinExamen", award.exam_end.isoformat())
    if award.exam_modality:
        text(p, "modalitePassageExamen", EXAM_MODALITIES[award.exam_modality].value)
    if award.exam_postcode.strip():
        text(p, "codePostalCentreExamen", award.exam_postcode.strip())
    text(p, "dateDebutValidite", award.decision_date.isoformat())  # type: ignore[union-attr]
    if award.revoked_on:
        text(p, "dateFinValidite", award.revoked_on.isoformat())
    else:
        nil(p, "dateFinValidite")
    text(p, "presenceNiveauLangueEuro", "false")
    text(p, "presenceNiveauNumeriqueEuro", "false")
    nil(p, "scoring")
    nil(p, "mentionValidee")
    m = sub(p, _q("modalitesInscription"))
    access = ROUTE_TO_ACCESS[award.route]
    text(m, "modaliteAcces", access.value)
    if access is AccessMode.VAE:
        text(m, "voieAccessVAE", (VaeWay.LEAVE if award.vae_leave else VaeWay.CLASSIC).value)
    if award.initiative:
        text(m, "initiativeInscription", INITIATIVES[award.initiative].value)
    if award.enrolled_on:
        text(m, "dateInscription", award.enrolled_on.isoformat())
    t = sub(sub(p, _q("identificationTitulaire")), _q("titulaire"))
    text(t, "nomNaissance", h.birth_name.strip())
    if h.usage_name.strip():
        text(t, "nomUsage", h.usage_name.strip())
    else:
        nil(t, "nomUsage")
    text(t, "prenom1", h.first_names[0].strip())
    for index, name in enumerate(h.first_names[1:3], start=2):
        if name.strip():
            text(t, f"prenom{index}", name.strip())
    text(t, "anneeNaissance", str(h.birth_year))
    if h.birth_month:
        text(t, "moisNaissance", str(h.birth_month))
    else:
        nil(t, "moisNaissance")
    if h.birth_day:
        text(t, "jourNaissance", str(h.birth_day))
    else:
        nil(t, "jourNaissance")
    text(t, "sexe", h.sex)
    c = sub(t, _q("codeCommuneNaissance"))
    if insee:
        text(sub(c, _q("codeInseeNaissance")), "codeInsee", insee)
    else:
        text(sub(c, _q("codePostalNaissance")), "codePostal", postcode)
    if h.birth_city.strip():
        text(t, "libelleCommuneNaissance", h.birth_city.strip())
    if country:
        text(t, "codePaysNaissance", country)
    if h.birth_country_name.strip():
        text(t, "libellePaysNaissance", h.birth_country_name.strip())
    return p


def timestamp(moment: datetime | None = None) -> str:
    """`horodatage`: Paris time, seconds, numeric offset (the XSD's pattern refuses "Z" and fractions)."""
    moment = (moment or datetime.now(PARIS)).astimezone(PARIS).replace(microsecond=0)
    return moment.isoformat()


def flux_id(siret: str, number: int) -> str:
    """`idFlux`: unique per certifier and file number (at most 50 characters)."""
    return f"CQPHUB-{siret}-{number:06d}"[:50]


def technical_id(prefix: str, award_key: str | int) -> str:
    """`idTechnique`: one per award, the same in every file that carries it (corrections included)."""
    return f"{prefix}-{award_key}"


def deadline(decision: date, months: int = 3) -> date:
    """Decision date + `months` calendar months, clamped to the month's last day (30 Nov → 28/29 Feb)."""
    month_index = decision.month - 1 + months
    year, month = decision.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(decision.day, calendar.monthrange(year, month)[1]))


# --- the file -----------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def load_schema(path: str) -> etree.XMLSchema:
    """The CDC XSD at `path` (never fetched from the network)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(path, parser))


def _envelope(account: CertifierAccount, fiche: Fiche, flux: str, moment: str) -> tuple[bytes, bytes]:
    sender = account.sender_client_id or account.client_id
    nature = "TIERS_CONFIANCE" if account.trusted_third_party else "CERTIFICATEUR"
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<cpf:flux xmlns:cpf="{NAMESPACE}" xmlns:xsi="{XSI}">'
        f"{_el('idFlux', _esc(flux))}{_el('horodatage', moment)}"
        f"<cpf:emetteur>{_el('idClient', _esc(sender))}<cpf:certificateurs><cpf:certificateur>"
        f"{_el('idClient', _esc(account.client_id))}{_el('idContrat', _esc(account.contract_id))}"
        "<cpf:certifications>"
    )
    cert = (
        f"<cpf:certification>{_el('type', fiche.register)}{_el('code', _esc(fiche.code))}"
        f"{_el('natureDeposant', nature)}<cpf:passageCertifications>"
    )
    close_cert = "</cpf:passageCertifications></cpf:certification>"
    tail = "</cpf:certifications></cpf:certificateur></cpf:certificateurs></cpf:emetteur></cpf:flux>\n"
    return (head + cert).encode(), (close_cert + tail).encode()


class _ChunkValidator:
    """Validates chunks of passages in worker threads, each chunk inside the file's own envelope.

    lxml releases the GIL while it parses and validates, so the workers run beside the thread that
    renders the next chunk. Each worker thread has its own parser and its own XMLSchema instance.
    """

    def __init__(self, schema_path: str, workers: int = 2):
        load_schema(schema_path)  # fail early, in the caller's thread, on a missing or broken XSD
        self.schema_path = schema_path
        self.local = threading.local()
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cdc-xsd")
        self.pending: list[Future] = []
        self.found: list[str] = []
        self.workers = workers

    def _tools(self) -> tuple[etree.XMLParser, etree.XMLSchema]:
        tools = getattr(self.local, "tools", None)
        if tools is None:
            parser = etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True)
            schema = etree.XMLSchema(etree.parse(self.schema_path, parser))
            tools = self.local.tools = (parser, schema)
        return tools

    def _valid(self, document: bytes) -> str:
        parser, schema = self._tools()
        try:
            tree = etree.fromstring(document, parser)
        except etree.XMLSyntaxError as exc:
            return f"not well-formed: {exc}"
        if schema.validate(tree):
            return ""
        return "; ".join(f"{e.message}" for e in schema.error_log)

    def _check(self, head: bytes, passages: list[tuple[str, bytes]], tail: bytes) -> list[str]:
        if not self._valid(head + b"".join(body for _, body in passages) + tail):
            return []
        errors = []  # rare path: find which passage(s) failed, one by one
        for id_technique, body in passages:
            message = self._valid(head + body + tail)
            if message:
                errors.append(f"idTechnique {id_technique}: {message}")
        return errors or ["the envelope itself does not validate"]

    def submit(self, head: bytes, passages: list[tuple[str, bytes]], tail: bytes) -> None:
        self.pending.append(self.pool.submit(self._check, head, passages, tail))
        while len(self.pending) > 2 * self.workers:  # bounded memory: wait for the oldest chunk
            self.found.extend(self.pending.pop(0).result())

    def errors(self) -> list[str]:
        for future in self.pending:
            self.found.extend(future.result())
        self.pending = []
        self.pool.shutdown()
        return self.found


def classify(
    awards: Iterable[AwardRecord], account: CertifierAccount | None, result: ReportResult
) -> Iterator[AwardRecord]:
    """Yields the reportable awards; puts every other one in `result` with its reasons."""
    blocking = account_problems(account)
    seen: set[str] = set()
    for award in awards:
        if award.fiche is None:
            result.excluded.append(
                Problem(
                    award.reference,
                    award.id_technique,
                    ("not registered in the RNCP or the RS on the award date: not subject to the report",),
                )
            )
            continue
        reasons = blocking + award_problems(award)
        if award.id_technique in seen:
            reasons += ("duplicate idTechnique in this file",)
        if reasons:
            result.not_reportable.append(Problem(award.reference, award.id_technique, reasons))
            continue
        seen.add(award.id_technique)
        yield award


def write_flux(
    out: BinaryIO,
    account: CertifierAccount | None,
    awards: Iterable[AwardRecord],
    *,
    flux: str,
    generated_at: datetime | None = None,
    schema_path: str | Path | None = None,
    chunk_size: int = 1000,
    validation_workers: int = 2,
    on_progress: Callable[[int], None] | None = None,
) -> ReportResult:
    """Streams one certifier's `flux` into `out`; returns what was written, left out, and validated.

    Awards are grouped into one `certification` per consecutive run of the same fiche: pass them
    ordered by fiche. Nothing is written when no award is reportable (the XSD needs at least one
    passage), and the result says so through `count == 0`.
    """
    result = ReportResult(flux_id=flux)
    moment = timestamp(generated_at)
    validator = None
    if schema_path:
        result.schema_used = str(schema_path)
        validator = _ChunkValidator(str(schema_path), workers=validation_workers)
    digest = hashlib.sha256()
    size = 0

    def emit(data: bytes) -> None:
        nonlocal size
        out.write(data)
        digest.update(data)
        size += len(data)

    current: Fiche | None = None
    head = tail = b""
    chunk: list[tuple[str, bytes]] = []

    def flush() -> None:
        nonlocal chunk
        if chunk and validator is not None:
            validator.submit(head, chunk, tail)
        chunk = []

    header_written = False
    for award in classify(awards, account, result):
        assert account is not None
        if award.fiche != current:
            flush()
            current = award.fiche
            file_head, file_tail = _envelope(account, current, flux, moment)
            if not header_written:
                emit(file_head)
                header_written = True
            else:
                opener = file_head[file_head.index(b"<cpf:certification>") :]
                emit(b"</cpf:passageCertifications></cpf:certification>" + opener)
            head, tail = file_head, file_tail
        body = render_passage(award).encode()
        emit(body)
        chunk.append((award.id_technique, body))
        result.reported.append(award.id_technique)
        if award.revoked_on:
            result.corrections.append(award.id_technique)
        if len(chunk) >= chunk_size:
            flush()
            if on_progress:
                on_progress(len(result.reported))
    if header_written:
        emit(tail)
    flush()
    if validator is not None:
        result.errors = validator.errors() if header_written else []
        result.validated = header_written and not result.errors
    result.sha256 = digest.hexdigest()
    result.size = size
    return result


def validate_file_bytes(data: bytes, schema_path: str | Path) -> list[str]:
    return validate_file(io.BytesIO(data), schema_path)


def validate_file(path: str | Path | BinaryIO, schema_path: str | Path) -> list[str]:
    """Streams a finished file through the XSD (bounded memory); the errors, or [] when valid."""
    schema = load_schema(str(schema_path))
    tag = _q("passageCertification")
    try:
        for _event, element in etree.iterparse(
            path if hasattr(path, "read") else str(path),
            events=("end",),
            tag=tag,
            schema=schema,
            no_network=True,
            # not False: with a schema and a tag, lxml 6.1 then stops silently at a syntax error (a bare
            # "&") and the file passed; "internal" still resolves no external entity
            resolve_entities="internal",
        ):
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        return [str(exc)]
    return []
