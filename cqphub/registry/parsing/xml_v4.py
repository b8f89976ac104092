"""France compétences' XML export v4.x (`export-fiches-rncp-v4-*.xml`, `export-fiches-rs-v4-*.xml`).

Streams: `iterparse` on `FICHE` end events, each element cleared and its previous siblings dropped,
so memory stays bounded on a 500 MB file. Each fiche's children are walked once, dispatching on the
tag through a dict; unknown elements are ignored here and stay in `raw` (the fiche's XML bytes).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from cqphub.registry.parsing.common import (
    CountingReader,
    Progress,
    digits_only,
    normalise_code,
    parse_bool,
    parse_date,
    parse_level,
    register_of,
)
from cqphub.registry.records import (
    ROUTE_KINDS,
    BlockRecord,
    CertifierRecord,
    CodeLabel,
    FicheRecord,
    KnownContent,
    ParseError,
    PartnerRecord,
)

SUPPORTED_MAJOR = "4"
SNIFF_BYTES = 64 * 1024
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.\-:]*)")
_STREAM_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError)


class _Bad(Exception):
    """A value that cannot be read, at `where` (element path inside the fiche)."""

    def __init__(self, where: str, reason: str):
        super().__init__(reason)
        self.where, self.reason = where, reason


# -- the public entry point -----------------------------------------------------------------------
def iter_xml_fiches(
    source: str | Path | BinaryIO,
    *,
    name: str,
    progress: Progress | None = None,
    known: KnownContent | None = None,
) -> Iterator[FicheRecord]:
    """Yield one `FicheRecord` per `<FICHE>` of an XML v4.x export, in file order.

    `source` is a path or a binary file object (e.g. a zip member); `name` is used in error messages;
    `progress(n)` is called with the number of bytes consumed as the file is read.
    `known(code, digest)`: when it says the caller holds this exact content, a `partial` record
    (code, register, digest) is yielded without reading the rest: a re-import stays close to a bare parse.
    Raises `ParseError` naming the file, the fiche and the element or line.
    """
    owned = isinstance(source, str | Path)
    raw_file = open(source, "rb") if owned else source  # noqa: SIM115 - closed in finally
    reader = CountingReader(raw_file, progress)
    try:
        _check_root(reader, name)
        yield from _iterate(reader, name, known)
    finally:
        if owned:
            raw_file.close()


def _check_root(reader: CountingReader, name: str) -> None:
    try:
        head = reader.peek(SNIFF_BYTES)
    except _STREAM_ERRORS as error:
        raise ParseError(f"corrupt or truncated archive member ({error})", file=name) from error
    if not head.strip():
        raise ParseError("empty file: not a France compétences XML export", file=name)
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    while text.startswith(b"<?") or text.startswith(b"<!"):
        end_mark = b"-->" if text.startswith(b"<!--") else (b"?>" if text.startswith(b"<?") else b">")
        end = text.find(end_mark)
        if end < 0:
            return  # a prologue longer than the sniffed head: let the parser judge
        text = text[end + len(end_mark) :].lstrip()
    if not text.startswith(b"<"):
        snippet = head[:40].decode("utf-8", "replace").strip()
        raise ParseError(
            f"not an XML file (it starts with {snippet!r}): not a France compétences XML export", file=name
        )
    match = _ROOT_TAG.match(text)
    if match and match.group(1) != b"FICHES":
        root = match.group(1).decode("utf-8", "replace")
        raise ParseError(
            f"root element is <{root}>, expected <FICHES>: not a France compétences XML export", file=name
        )


def _check_version(root, name: str) -> None:
    if root is None or root.tag != "FICHES":
        tag = getattr(root, "tag", None)
        raise ParseError(
            f"root element is <{tag}>, expected <FICHES>: not a France compétences XML export", file=name
        )
    version = (root.findtext("VERSION_FLUX") or "").strip()
    if not version:
        raise ParseError("no VERSION_FLUX before the first FICHE: not an XML v4.x export", file=name)
    if version.split(".")[0] != SUPPORTED_MAJOR:
        raise ParseError(
            f"VERSION_FLUX is {version}: only the XML export v4.x is supported",
            file=name,
            where="VERSION_FLUX",
        )


def _iterate(reader: CountingReader, name: str, known: KnownContent | None) -> Iterator[FicheRecord]:
    # NUMERO_FICHE end events (one per fiche, cheap) tell which fiche a syntax error falls in.
    context = etree.iterparse(
        reader,
        events=("end",),
        tag=("FICHE", "NUMERO_FICHE"),
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
    )
    last_code = current_code = ""
    first = True
    try:
        for _event, elem in context:
            parent = elem.getparent()
            if elem.tag == "NUMERO_FICHE":
                if parent.tag == "FICHE":
                    current_code = (elem.text or "").strip()
                continue
            if first:
                _check_version(parent, name)
                first = False
            record = _build(elem, name, known)
            last_code = record.code
            elem.clear(keep_tail=False)
            while elem.getprevious() is not None:
                del parent[0]
            yield record
        if first:  # no fiche at all: still say whether the file was an export
            _check_version(context.root, name)
    except etree.XMLSyntaxError as error:
        current = current_code if current_code != last_code else ""
        after = f" (last complete fiche: {last_code})" if last_code else " (before the first complete fiche)"
        line = error.lineno or (error.position[0] if error.position else 0)
        raise ParseError(
            f"malformed XML: {error.msg}{after}", file=name, fiche=current or last_code, where=f"line {line}"
        ) from error
    except _STREAM_ERRORS as error:
        after = f" after fiche {last_code}" if last_code else ""
        raise ParseError(
            f"corrupt or truncated archive member{after} ({error})", file=name, fiche=last_code
        ) from error


# -- one fiche -----------------------------------------------------------------------------------
def _text(el) -> str:
    text = el.text
    if len(el):  # mixed content (e.g. markup left in a long text): keep all its text
        text = "".join(el.itertext())
    return text.strip() if text else ""


def _build(elem, name: str, known: KnownContent | None = None) -> FicheRecord:
    raw = etree.tostring(elem, encoding="UTF-8", with_tail=False)
    code = normalise_code(elem.findtext("NUMERO_FICHE") or "")
    if not code:
        raise ParseError("FICHE without NUMERO_FICHE", file=name, where=f"line {elem.sourceline}")
    digest = hashlib.sha256(raw).hexdigest()
    if known is not None and known(code, digest):
        return FicheRecord(
            code=code,
            register=register_of(code),
            title="",
            raw=b"",
            raw_format="xml",
            digest=digest,
            partial=True,
        )
    record = FicheRecord(
        code=code,
        register=register_of(code),
        title="",
        raw=raw,
        raw_format="xml",
        digest=digest,
        routes=dict.fromkeys(ROUTE_KINDS, False),
    )
    handlers = _HANDLERS
    child = None
    try:
        for child in elem:
            handler = handlers.get(child.tag)
            if handler is not None:
                handler(record, child)
            elif isinstance(child.tag, str) and not _prefixed(record, child):
                record.unknown_elements.append(child.tag)  # kept in `raw`; the import counts them
    except _Bad as bad:
        raise ParseError(bad.reason, file=name, fiche=code, where=bad.where) from None
    except ValueError as error:  # a leaf handler: the element is the child itself
        raise ParseError(str(error), file=name, fiche=code, where=child.tag) from None
    return record


def _prefixed(record: FicheRecord, el) -> bool:
    tag = el.tag
    if tag.startswith("PUBLICATION_DECRET_"):
        _publications(record, el)
    elif tag.startswith("CCN"):
        _ccn(record, el)
    else:
        return False
    return True


def _set_text(attr: str) -> Callable:
    def handler(record, el):
        setattr(record, attr, _text(el))

    return handler


def _set_date(attr: str) -> Callable:
    def handler(record, el):
        setattr(record, attr, parse_date(_text(el)))

    return handler


def _set_bool(attr: str) -> Callable:
    def handler(record, el):
        setattr(record, attr, parse_bool(_text(el)))

    return handler


def _fiche_id(record, el):
    value = _text(el)
    if value:
        if not value.isdigit():
            raise ValueError(f"{value!r} is not an integer")
        record.fiche_id = int(value)


def _active(record, el):
    record.active = bool(parse_bool(_text(el)))


def _abbreviation(record, el):
    for c in el:
        if c.tag == "CODE":
            record.abbreviation_code = _text(c)
        elif c.tag == "LIBELLE":
            record.abbreviation_label = _text(c)


def _level(record, el):
    level = label = ""
    for c in el:
        if c.tag == "NIVEAU":
            level = _text(c)
        elif c.tag == "LIBELLE":
            label = _text(c)
    record.level_label = label
    try:
        record.level = parse_level(level, label)
    except ValueError as error:
        raise _Bad(f"{el.tag}/NIVEAU", str(error)) from None


def _date_at(value: str, where: Callable[[], str]):
    try:
        return parse_date(value)
    except ValueError as error:
        raise _Bad(where(), str(error)) from None


# PARTENAIRE's children, by the slot their text takes (half a million partners in a full export: one
# dict look-up per child instead of a chain of comparisons)
_PARTNER_SLOTS = {
    "SIRET_PARTENAIRE": 0,
    "NOM_PARTENAIRE": 1,
    "HABILITATION_PARTENAIRE": 2,
    "ETAT_HABILITATION": 3,
    "DATE_DERNIERE_MODIFICATION_ETAT": 4,
    "DATE_ACTIF": 5,
}


def _partners(record, el):
    out, slots = record.partners, _PARTNER_SLOTS
    for index, p in enumerate(el, 1):
        if p.tag != "PARTENAIRE":
            continue
        values = ["", "", "", "", "", ""]
        for c in p:
            slot = slots.get(c.tag)
            if slot is not None:
                text = c.text
                values[slot] = text.strip() if text else ""
        siret, name, habilitation, state, changed, since = values
        if changed:
            changed = _date_at(
                changed, lambda i=index: f"PARTENAIRES/PARTENAIRE[{i}]/DATE_DERNIERE_MODIFICATION_ETAT"
            )
        if since:
            since = _date_at(since, lambda i=index: f"PARTENAIRES/PARTENAIRE[{i}]/DATE_ACTIF")
        out.append(
            PartnerRecord(digits_only(siret), name, habilitation, state, changed or None, since or None)
        )


def _certifiers(record, el):
    for index, p in enumerate(el, 1):
        if p.tag != "CERTIFICATEUR":
            continue
        siret = name = state = trade_name = website = ""
        changed = None
        for c in p:
            tag, value = c.tag, _text(c)
            if tag == "SIRET_CERTIFICATEUR":
                siret = digits_only(value)
            elif tag == "NOM_CERTIFICATEUR":
                name = value
            elif tag == "ETAT_CERTIFICATEUR":
                state = value
            elif tag == "DATE_DERNIERE_MODIFICATION_ETAT":
                changed = _date_at(value, lambda i=index, t=tag: f"CERTIFICATEURS/CERTIFICATEUR[{i}]/{t}")
            elif tag == "NOM_COMMERCIAL":
                trade_name = value
            elif tag in ("SITE_INTERNET", "SITE_INTERNET_CERTIFICATEUR"):
                website = value
        record.certifiers.append(CertifierRecord(siret, name, state, changed, trade_name, website))


def _blocks(record, el):
    for b in el:
        if b.tag != "BLOC_COMPETENCES":
            continue
        values = {c.tag: _text(c) for c in b}
        record.blocks.append(
            BlockRecord(
                code=values.get("CODE", ""),
                title=values.get("LIBELLE", ""),
                skills=values.get("LISTE_COMPETENCES", ""),
                assessment=values.get("MODALITES_EVALUATION", ""),
                entry_prerequisites=values.get("PREREQUIS_ENTREE_FORMATION_BLOC", ""),
                validation_prerequisites=values.get("PREREQUIS_VALIDATION_BLOC", ""),
            )
        )


def _code_labels(attr: str) -> Callable:
    def handler(record, el):
        out = getattr(record, attr)
        for item in el:
            if not isinstance(item.tag, str):
                continue
            code = label = ""
            for c in item:
                if c.tag == "CODE":
                    code = _text(c)
                elif c.tag == "LIBELLE":
                    label = _text(c)
            if code or label:
                out.append(CodeLabel(code, label))

    return handler


def _add_idcc(record, code: str, label: str) -> None:
    if code.isdigit() and len(code) < 4:
        code = code.zfill(4)
    if code and all(c.code != code for c in record.idcc):
        record.idcc.append(CodeLabel(code, label))


def _idcc(record, el):
    """`CODES_IDCC/IDCC{CODE,LIBELLE}` (v4 spec)."""
    for item in el:
        values = {c.tag: _text(c) for c in item}
        _add_idcc(record, values.get("CODE") or values.get("NUMERO", ""), values.get("LIBELLE", ""))


def _ccn(record, el):
    """`CCN_1`..`CCN_3{NUMERO,LIBELLE}` (the conventions collectives, as in the CSV export's CCN part);
    tolerant of a `CCN` wrapper holding such items."""
    values = {c.tag: _text(c) for c in el}
    if "NUMERO" in values or "CODE" in values:
        _add_idcc(record, values.get("NUMERO") or values.get("CODE", ""), values.get("LIBELLE", ""))
    else:
        for item in el:
            if len(item):
                _ccn(record, item)


def _codes(attr: str) -> Callable:
    """NOUVELLES_/ANCIENNES_CERTIFICATIONS: the codes are the leaves' text, in order, deduplicated."""

    def handler(record, el):
        out = getattr(record, attr)
        for leaf in el.iter():
            if len(leaf) == 0 and leaf is not el:
                code = normalise_code(_text(leaf))
                if code and code not in out:
                    out.append(code)

    return handler


_ROUTE_TAGS = {
    "SI_JURY_FI": "initial",
    "SI_JURY_CA": "apprenticeship",
    "SI_JURY_FC": "continuing",
    "SI_JURY_CQ": "professionalisation",
    "SI_JURY_CL": "individual",
    "SI_JURY_VAE": "vae",
}


def _route(kind: str) -> Callable:
    def handler(record, el):
        if len(el) == 0:  # v3 style: <SI_JURY_FI>Oui</SI_JURY_FI>
            record.routes[kind] = bool(parse_bool(_text(el)))
            return
        for c in el:
            if c.tag == "ACTIF":
                try:
                    record.routes[kind] = bool(parse_bool(_text(c)))
                except ValueError as error:
                    raise _Bad(f"{el.tag}/ACTIF", str(error)) from None
            elif c.tag == "COMPOSITION":
                composition = _text(c)
                if composition:
                    record.jury_compositions[kind] = composition
            elif c.tag.startswith("DATE"):  # the date the jury of this route last changed
                when = _date_at(_text(c), lambda t=c.tag: f"{el.tag}/{t}")
                if when:
                    record.jury_dates[kind] = when.isoformat()

    return handler


def _jury_text(kind: str) -> Callable:  # v3 leftovers: JURY_FI etc. hold the composition
    def handler(record, el):
        composition = _text(el)
        if composition and kind not in record.jury_compositions:
            record.jury_compositions[kind] = composition

    return handler


def _correspondences(record, el):
    for item in el:
        if item.tag != "CORRESPONDANCE":
            continue
        entry = {}
        for side in item:
            if side.tag in ("SOURCE", "DESTINATION"):
                entry[side.tag.lower()] = {
                    "code": normalise_code(side.findtext("NUMERO_FICHE") or ""),
                    "blocks": [_text(c) for c in side.iter("CODE")],
                }
        record.correspondences.append(entry)


_STAT_KEYS = {
    "ANNEE": "year",
    "NOMBRE_CERTIFIES": "certified",
    "NOMBRE_CERTIFIES_VAE": "certified_vae",
    "TAUX_INSERTION_GLOBAL_6MOIS": "insertion_rate_6_months",
    "TAUX_INSERTION_METIER_2ANS": "job_insertion_rate_2_years",
}


def _number(value: str):
    if value.isdigit():
        return int(value)
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return value


def _stats(record, el):
    for item in el:
        if not isinstance(item.tag, str) or not len(item):
            continue
        stats = {}
        for c in item:
            if isinstance(c.tag, str):
                value = _text(c)
                stats[_STAT_KEYS.get(c.tag, c.tag.lower())] = _number(value) if value else None
        record.promotion_stats.append(stats)


def _publications(record, el):
    kind = el.tag.removeprefix("PUBLICATION_DECRET_").lower()
    for index, item in enumerate(el, 1):
        if not isinstance(item.tag, str):
            continue
        title = raw_date = ""
        for c in item:
            if c.tag == "TITRE":
                title = _text(c)
            elif c.tag.startswith("DATE"):
                raw_date = _text(c)
        when = _date_at(raw_date, lambda i=index, t=item.tag: f"{el.tag}/{t}[{i}]/DATE_PUBLICATION_JO")
        record.publications.append({"kind": kind, "title": title, "date": when.isoformat() if when else None})


_TEXTS = {
    "INTITULE": "title",
    "ETAT_FICHE": "state",
    "TYPE_ENREGISTREMENT": "registration_type",
    "DUREE_ENREGISTREMENT": "duration",
    "LIEN_URL_DESCRIPTION": "url",
    "ACTIVITES_VISEES": "activities",
    "CAPACITES_ATTESTEES": "capacities",
    "SECTEURS_ACTIVITE": "sectors",
    "TYPE_EMPLOI_ACCESSIBLES": "jobs",
    "OBJECTIFS_CONTEXTE": "objectives",
    "PREREQUIS_ENTREE_FORMATION": "prerequisites",
    "REGLEMENTATIONS_ACTIVITES": "regulations",
    "PREREQUIS_VALIDATION_CERTIFICATION": "validation_prerequisites",
    "NIVEAU_MAITRISE_COMPETENCES": "skill_mastery_level",
    "MODALITES_RENOUVELLEMENT": "renewal_terms",
    "DUREE_VALIDITE": "validity_duration",
    "VALIDATION_PARTIELLE_PERIMETRE": "partial_validation_scope",
    "ANNEES_PROMOTIONS_NIVEAU": "promotion_years",
}
_DATES = {
    "DATE_DECISION": "decision_date",
    "DATE_EFFET": "effect_date",
    "DATE_FIN_ENREGISTREMENT": "end_date",
    "DATE_LIMITE_DELIVRANCE": "delivery_deadline",
    "DATE_DERNIER_JO": "last_jo_date",
    "DATE_DE_PUBLICATION": "publication_date",
}
_BOOLS = {
    "VALIDATION_PARTIELLE": "partial_validation",
    "EXISTENCE_PARTENAIRES": "has_partners",
    "ACCESSIBLE_NOUVELLE_CALEDONIE": "accessible_new_caledonia",
    "ACCESSIBLE_POLYNESIE_FRANCAISE": "accessible_french_polynesia",
}

_HANDLERS: dict[str, Callable] = {
    **{tag: _set_text(attr) for tag, attr in _TEXTS.items()},
    **{tag: _set_date(attr) for tag, attr in _DATES.items()},
    **{tag: _set_bool(attr) for tag, attr in _BOOLS.items()},
    **{tag: _route(kind) for tag, kind in _ROUTE_TAGS.items()},
    **{tag.removeprefix("SI_"): _jury_text(kind) for tag, kind in _ROUTE_TAGS.items()},
    "NUMERO_FICHE": lambda record, el: None,  # read before the walk
    "ID_FICHE": _fiche_id,
    "ACTIF": _active,
    "ABREGE": _abbreviation,
    "NOMENCLATURE_EUROPE": _level,
    "BLOCS_COMPETENCES": _blocks,
    "CERTIFICATEURS": _certifiers,
    "PARTENAIRES": _partners,
    "CODES_ROME": _code_labels("rome"),
    "CODES_NSF": _code_labels("nsf"),
    "FORMACODES": _code_labels("formacode"),
    "CODES_IDCC": _idcc,
    "NOUVELLES_CERTIFICATIONS": _codes("successors"),
    "ANCIENNES_CERTIFICATIONS": _codes("predecessors"),
    "CORRESPONDANCES": _correspondences,
    "STATISTIQUES_PROMOTIONS": _stats,
}
