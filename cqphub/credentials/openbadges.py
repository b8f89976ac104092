"""Open Badges 3.0 `OpenBadgeCredential` (W3C VC Data Model 2.0) for a CQP award.

What goes where:
- `issuer`: the certifier's Profile, identified by its did:web DID (the key that signs is in that DID
  document), with its name, URL and SIRET (`IdentifierEntry`).
- `credentialSubject` (`AchievementSubject`): the holder, identified by a DID when they gave one,
  otherwise by a salted SHA-256 of their e-mail (OB 3.0 `IdentityObject`, `identityHash` =
  `sha256$` + hex(sha256(email + salt))), plus their name (`identityType: name`, not hashed: the
  parchment shows it and an employer checks it against an ID).
- `achievement`: the CQP's title, description, criteria narrative, `achievementType`
  (`Certification` for a CQP/CQPI; `Certificate` for a block attestation), `humanCode` = the RNCP/RS
  fiche code when registered, `fieldOfStudy` = NSF, `alignment` to the fiche page on France
  compétences, to each ROME code and to the EQF level (OB 3.0 has no `level` property; RNCP levels
  are EQF levels, so the level is an alignment to the European framework), `creator` = the CPNE(s).
- **Blocks: `resultDescription` entries on the achievement + `result` entries on the subject.**
  Chosen over linked achievements because (1) a block is validated by the same jury decision as the
  CQP and is not issued on its own here: a linked `Achievement` per block would need its own
  credential to mean anything to a wallet, while `result` states "this holder has this block" inside
  the one signed statement; (2) `resultDescription` on the achievement lists *every* block of the
  qualification, so a verifier sees which blocks a partial holder lacks; (3) each block's result is
  `status: Completed` tied by id to its description, which OB 3.0 verifiers and CLR displays already
  render. A block attestation is the same structure with the achievement "blocks of CQP X"
  (`achievementType: Certificate`) and results only for the validated blocks.
- `validFrom`: the jury's decision date; `credentialStatus`: a `BitstringStatusListEntry`.

Text values are normalised (control characters other than newlines removed, tabs as spaces): RDF
canonicalisers disagree on how to escape them, and no mention needs one.

Pure module: no Django import.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from cqphub.credentials import contexts
from cqphub.credentials.status_list import StatusEntry

CONTEXT = [contexts.VC_V2, contexts.OB_V3]
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
FRANCE_COMPETENCES_FICHE = "https://www.francecompetences.fr/recherche/{register}/{number}/"
ROME_URL = "https://candidat.francetravail.fr/metierscope/fiche-metier/{code}"
EQF_URL = "https://europass.europa.eu/en/description-eight-eqf-levels"


def clean(text: str) -> str:
    return _CONTROL_RE.sub("", text.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")).strip()


def identity_hash(identity: str, salt: str) -> str:
    """OB 3.0 IdentityObject hash: `sha256$` + hex SHA-256 of identity + salt (e-mail lower-cased)."""
    return "sha256$" + hashlib.sha256((identity.strip().lower() + salt).encode()).hexdigest()


@dataclass(frozen=True)
class Issuer:
    did: str
    name: str
    url: str = ""
    siret: str = ""


@dataclass(frozen=True)
class BlockInfo:
    code: str
    title: str


@dataclass(frozen=True)
class AchievementInfo:
    id: str  # stable URL of the qualification version on the platform
    name: str
    description: str
    criteria: str
    kind: str = "CQP"  # CQP | CQPI
    fiche_code: str = ""  # RNCP37488 / RS5719 when registered
    level: int | None = None  # EQF level (= RNCP level)
    nsf: str = ""  # "221 - Agro-alimentaire, alimentation, cuisine"
    rome: tuple[tuple[str, str], ...] = ()  # (code, label)
    creators: tuple[str, ...] = ()  # CPNE names
    blocks: tuple[BlockInfo, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Holder:
    name: str
    email: str = ""
    did: str = ""


def _fiche_url(code: str) -> str:
    match = re.fullmatch(r"(RNCP|RS)(\d+)", code)
    if not match:
        return ""
    return FRANCE_COMPETENCES_FICHE.format(register=match.group(1).lower(), number=match.group(2))


def _alignments(achievement: AchievementInfo) -> list[dict]:
    out = []
    if achievement.fiche_code and _fiche_url(achievement.fiche_code):
        register = "Répertoire national des certifications professionnelles"
        if achievement.fiche_code.startswith("RS"):
            register = "Répertoire spécifique"
        out.append(
            {
                "type": ["Alignment"],
                "targetName": clean(f"{achievement.fiche_code} — {achievement.name}"),
                "targetUrl": _fiche_url(achievement.fiche_code),
                "targetCode": achievement.fiche_code,
                "targetFramework": register,
                "targetType": "ceterms:Credential",
            }
        )
    for code, label in achievement.rome:
        out.append(
            {
                "type": ["Alignment"],
                "targetName": clean(label),
                "targetUrl": ROME_URL.format(code=code),
                "targetCode": code,
                "targetFramework": "ROME 4.0 (France Travail)",
                "targetType": "ext:ROME",
            }
        )
    if achievement.level:
        out.append(
            {
                "type": ["Alignment"],
                "targetName": f"EQF level {achievement.level}",
                "targetUrl": EQF_URL,
                "targetCode": str(achievement.level),
                "targetFramework": "European Qualifications Framework",
                "targetType": "ext:EQFLevel",
            }
        )
    return out


def block_description_id(achievement: AchievementInfo, block: BlockInfo) -> str:
    return f"{achievement.id}#block-{block.code}"


def build_achievement(achievement: AchievementInfo, *, attestation: bool = False) -> dict:
    name = clean(achievement.name)
    data = {
        "id": achievement.id + ("#blocks" if attestation else ""),
        "type": ["Achievement"],
        "achievementType": "Certificate" if attestation else "Certification",
        "name": (f"Blocs de compétences — {name}" if attestation else f"{achievement.kind} {name}"),
        "description": clean(achievement.description) or name,
        "criteria": {"narrative": clean(achievement.criteria) or name},
        "inLanguage": "fr",
    }
    if achievement.fiche_code:
        data["humanCode"] = achievement.fiche_code
    if achievement.nsf:
        data["fieldOfStudy"] = clean(achievement.nsf)
    alignment = _alignments(achievement)
    if alignment:
        data["alignment"] = alignment
    if achievement.creators:
        data["creator"] = {"type": ["Profile"], "name": clean(", ".join(achievement.creators))}
    if achievement.blocks:
        data["resultDescription"] = [
            {
                "id": block_description_id(achievement, block),
                "type": ["ResultDescription"],
                "name": clean(f"{block.code} — {block.title}"),
                "resultType": "Status",
            }
            for block in achievement.blocks
        ]
    return data


def build_credential(
    *,
    credential_id: str,
    issuer: Issuer,
    achievement: AchievementInfo,
    holder: Holder,
    validated_blocks: tuple[str, ...] | list[str],
    valid_from: str,
    status: StatusEntry,
    salt: str = "",
    attestation: bool = False,
) -> dict:
    """The unsigned OpenBadgeCredential (sign it with signing.sign)."""
    subject: dict = {"type": ["AchievementSubject"]}
    if holder.did:
        subject["id"] = holder.did
    subject["identifier"] = _holder_identifiers(holder, salt)
    subject["achievement"] = build_achievement(achievement, attestation=attestation)
    known = {b.code: b for b in achievement.blocks}
    results = [
        {
            "type": ["Result"],
            "resultDescription": block_description_id(achievement, known[code]),
            "status": "Completed",
        }
        for code in validated_blocks
        if code in known
    ]
    if results:
        subject["result"] = results
    title = clean(achievement.name)
    return {
        "@context": list(CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": (f"Attestation de blocs — {title}" if attestation else f"{achievement.kind} {title}"),
        "issuer": _issuer_profile(issuer),
        "validFrom": valid_from,
        "credentialSubject": subject,
        "credentialStatus": status.as_json(),
    }


def _holder_identifiers(holder: Holder, salt: str) -> list[dict]:
    """The holder's name in clear, and their e-mail address hashed with `salt` when there is one."""
    identifiers = [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": clean(holder.name),
        }
    ]
    if holder.email:
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": identity_hash(holder.email, salt),
                "salt": salt,
            }
        )
    return identifiers


def _issuer_profile(issuer: Issuer) -> dict:
    issuer_profile: dict = {"id": issuer.did, "type": ["Profile"], "name": clean(issuer.name)}
    if issuer.url:
        issuer_profile["url"] = issuer.url
    if issuer.siret:
        issuer_profile["otherIdentifier"] = [
            {"type": "IdentifierEntry", "identifier": issuer.siret, "identifierType": "ext:SIRET"}
        ]
    return issuer_profile
